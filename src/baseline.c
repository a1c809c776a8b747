/* The baseline store: an SQLite file of keyed row digests and the outbox. */
#include "config.h"

#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "baseline.h"
#include "buf.h"
#include "util.h"
#include "xmalloc.h"

#define BASELINE_FORMAT		2
#define BASELINE_APPID		0x44425343	/* "DBSC" */
#define BASELINE_BATCH		512

static const char baseline_schema_sql[] =
#include "schema_sql.h"
;

enum stmt {
	ST_TABLE_GET,
	ST_TABLE_INS,
	ST_TABLE_UPD,
	ST_TABLE_CLEAR,
	ST_TABLES_ALL,
	ST_ROWS_NEXT,
	ST_ROWS_NEXT_HI,
	ST_CHUNKS_GET,
	ST_CHUNKS_CLEAR,
	ST_CHUNK_PUT,
	ST_ROW_PUT,
	ST_ROW_DEL,
	ST_OUT_ADD,
	ST_OUT_COUNTS,
	ST_OUT_FETCH,
	ST_OUT_ACK,
	ST_META_GET,
	ST_META_PUT,
	ST_META_GET_BLOB,
	ST_MAX
};

static const char *const stmt_sql[ST_MAX] = {
	[ST_TABLE_GET] = "SELECT tid, schema, fingerprint, nrows, state, "
	    "last_scan, mac, chunk FROM tables WHERE db = ?1 AND name = ?2",
	[ST_TABLE_INS] = "INSERT INTO tables (db, name, schema, fingerprint, "
	    "nrows, state, last_scan, mac, chunk) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8, ?10)",
	[ST_TABLE_UPD] = "UPDATE tables SET schema = ?3, fingerprint = ?4, "
	    "nrows = ?5, state = ?6, last_scan = ?7, mac = ?8, chunk = ?10 "
	    "WHERE tid = ?9 AND db = ?1 AND name = ?2",
	[ST_TABLE_CLEAR] = "DELETE FROM rows WHERE tid = ?1",
	[ST_TABLES_ALL] = "SELECT db, name, tid, schema, fingerprint, nrows, "
	    "state, last_scan, mac, chunk FROM tables ORDER BY db, name",
	[ST_ROWS_NEXT] = "SELECT pk, digest, tags FROM rows WHERE tid = ?1 "
	    "AND pk > ?2 ORDER BY pk LIMIT ?3",
	[ST_ROWS_NEXT_HI] = "SELECT pk, digest, tags FROM rows WHERE tid = ?1 "
	    "AND pk > ?2 AND pk <= ?4 ORDER BY pk LIMIT ?3",
	[ST_CHUNKS_GET] = "SELECT n, hi, nrows, agg, mac FROM chunks "
	    "WHERE tid = ?1 ORDER BY n",
	[ST_CHUNKS_CLEAR] = "DELETE FROM chunks WHERE tid = ?1",
	[ST_CHUNK_PUT] = "INSERT INTO chunks (tid, n, hi, nrows, agg, mac) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (tid, n) DO UPDATE "
	    "SET hi = excluded.hi, nrows = excluded.nrows, agg = excluded.agg, "
	    "mac = excluded.mac",
	[ST_ROW_PUT] = "INSERT INTO rows (tid, pk, digest, tags) "
	    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (tid, pk) DO UPDATE SET "
	    "digest = excluded.digest, tags = excluded.tags",
	[ST_ROW_DEL] = "DELETE FROM rows WHERE tid = ?1 AND pk = ?2",
	[ST_OUT_ADD] = "INSERT INTO outbox (op, body) VALUES (?1, ?2)",
	[ST_OUT_COUNTS] = "SELECT op, count(*) FROM outbox WHERE seq > ?1 "
	    "GROUP BY op",
	[ST_OUT_FETCH] = "SELECT seq, op, body FROM outbox WHERE seq > ?1 "
	    "ORDER BY seq LIMIT ?2",
	[ST_OUT_ACK] = "DELETE FROM outbox WHERE seq <= ?1",
	[ST_META_GET] = "SELECT value FROM meta WHERE name = ?1",
	[ST_META_GET_BLOB] = "SELECT value FROM meta WHERE name = ?1",
	[ST_META_PUT] = "INSERT INTO meta (name, value) VALUES (?1, ?2) "
	    "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
};

struct baseline {
	sqlite3		*db;
	char		*path;
	sqlite3_stmt	*st[ST_MAX];
	int		 intxn;
	int		 broken;
};

struct cursor_row {
	size_t		 keyoff, keylen;
	size_t		 digoff;
	size_t		 tagoff, taglen;
};

struct baseline_cursor {
	struct baseline		*bl;
	int64_t			 tid;
	struct buf		 hi;
	int			 have_hi;
	struct buf		 arena;
	struct cursor_row	 rows[BASELINE_BATCH];
	size_t			 nrows, next;
	struct buf		 last;
	int			 have_last;
	int			 end;
};

/*
 * The message of the last SQLite error. A damaged file, an I/O error or a
 * full disk make the baseline broken: nothing more may be written to it.
 */
static char *
baseline_err(struct baseline *bl, const char *what)
{
	struct rlimit	 rl;
	char		*msg, *limit = NULL;

	switch (sqlite3_errcode(bl->db) & 0xff) {
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
		bl->broken = 1;
		break;
	}
	/*
	 * SQLite's "disk I/O error" hides the cause; a write past the file
	 * size limit (SIGXFSZ is ignored, so EFBIG) is the one we can name.
	 */
	if ((sqlite3_errcode(bl->db) & 0xff) == SQLITE_IOERR &&
	    getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		limit = xasprintf(" (or the file size limit of %llu bytes)",
		    (unsigned long long)rl.rlim_cur);
	msg = xasprintf("baseline %s: %s%s%s%s", bl->path,
	    what != NULL ? what : "", what != NULL ? ": " : "",
	    sqlite3_errmsg(bl->db), limit != NULL ? limit : "");
	free(limit);
	return msg;
}

/* 1 when an error showed the file damaged or unwritable. */
int
baseline_broken(const struct baseline *bl)
{
	return bl->broken;
}

static sqlite3_stmt *
baseline_stmt(struct baseline *bl, enum stmt which, char **cause)
{
	sqlite3_stmt	*st = bl->st[which];

	if (st != NULL) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	if (sqlite3_prepare_v3(bl->db, stmt_sql[which], -1,
	    SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		*cause = baseline_err(bl, "prepare");
		return NULL;
	}
	bl->st[which] = st;
	return st;
}

static int
baseline_exec(struct baseline *bl, const char *sql, char **cause)
{
	char	*msg = NULL;

	if (sqlite3_exec(bl->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		sqlite3_free(msg);
		*cause = baseline_err(bl, strncmp(sql, "PRAGMA", 6) == 0 ?
		    NULL : sql);
		return -1;
	}
	return 0;
}

/* Run a statement that returns no row; -1 with cause otherwise. */
static int
baseline_done(struct baseline *bl, sqlite3_stmt *st, const char *what,
    char **cause)
{
	int	 rc;

	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		*cause = baseline_err(bl, what);
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

/*
 * Take the run lock: an exclusive flock(2) on PATH.lock, never waiting.
 * Returns the descriptor that holds it. When another run holds it, *held
 * (unless NULL) is how many seconds ago that run took it, else -1.
 */
int
baseline_lock(const char *path, long long *held, char **cause)
{
	struct stat	 st;
	char		*lpath;
	int		 fd;

	if (held != NULL)
		*held = -1;

	lpath = xasprintf("%s.lock", path);
	fd = open(lpath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd == -1) {
		*cause = xasprintf("%s: %s", lpath, strerror(errno));
		free(lpath);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK && held != NULL &&
		    fstat(fd, &st) == 0)
			*held = (long long)(time(NULL) - st.st_mtime);
		if (errno == EWOULDBLOCK)
			*cause = xasprintf("another dbsyscheck run holds the "
			    "lock %s", lpath);
		else
			*cause = xasprintf("%s: flock: %s", lpath,
			    strerror(errno));
		close(fd);
		free(lpath);
		return -1;
	}
	/* The lock file's time says since when its holder has held it. */
	futimens(fd, NULL);
	free(lpath);
	return fd;
}

/* Release the run lock. */
void
baseline_unlock(int fd)
{
	if (fd != -1)
		close(fd);
}

/* 1 when a baseline exists at path, 0 when not, -1 when it is unusable. */
int
baseline_exists(const char *path, char **cause)
{
	struct stat	 st;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		*cause = xasprintf("%s: is a symbolic link; refusing to use it "
		    "as the baseline", path);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		return -1;
	}
	return 1;
}

static int
baseline_connect(struct baseline *bl, const char *path, int flags,
    char **cause)
{
	int	 oflags, on = 1;

	oflags = SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE;
	oflags |= (flags & BASELINE_READONLY) ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE;
	if (sqlite3_open_v2(path, &bl->db, oflags, NULL) != SQLITE_OK) {
		*cause = bl->db != NULL ? baseline_err(bl, "open") :
		    xasprintf("baseline %s: cannot open", path);
		return -1;
	}
	sqlite3_extended_result_codes(bl->db, 1);
	sqlite3_db_config(bl->db, SQLITE_DBCONFIG_DEFENSIVE, 1, &on);
	sqlite3_db_config(bl->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &on);
	sqlite3_busy_timeout(bl->db, 5000);
	return baseline_exec(bl, "PRAGMA cache_size = -8192; "
	    "PRAGMA synchronous = FULL; PRAGMA journal_mode = DELETE; "
	    "PRAGMA temp_store = FILE", cause);
}

static int
baseline_pragma_int(struct baseline *bl, const char *sql, int *out,
    char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(bl->db, sql, -1, &st, NULL) != SQLITE_OK) {
		*cause = baseline_err(bl, "not a dbsyscheck baseline");
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		*cause = baseline_err(bl, "not a dbsyscheck baseline");
		sqlite3_finalize(st);
		return -1;
	}
	*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/*
 * Create a new baseline: the schema goes into PATH.new, which is renamed
 * into place only when complete, so that an empty or partial file at path
 * is never ours and is always refused.
 */
static int
baseline_create(const char *path,
    const unsigned char keycheck[BASELINE_KEYCHECK_LEN], char **cause)
{
	struct baseline	 tmp;
	sqlite3_stmt	*st = NULL;
	char		*tpath, *sql;
	int		 fd, r = -1;

	memset(&tmp, 0, sizeof tmp);
	tpath = xasprintf("%s.new", path);
	tmp.path = tpath;
	if (unlink(tpath) == -1 && errno != ENOENT) {
		*cause = xasprintf("%s: %s", tpath, strerror(errno));
		goto out;
	}
	fd = open(tpath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1) {
		*cause = xasprintf("%s: %s", tpath, strerror(errno));
		goto out;
	}
	close(fd);
	if (baseline_connect(&tmp, tpath, 0, cause) == -1 ||
	    baseline_exec(&tmp, "BEGIN", cause) == -1 ||
	    baseline_exec(&tmp, baseline_schema_sql, cause) == -1)
		goto out;
	sql = xasprintf("PRAGMA application_id = %d; PRAGMA user_version = %d",
	    BASELINE_APPID, BASELINE_FORMAT);
	r = baseline_exec(&tmp, sql, cause);
	free(sql);
	if (r == -1)
		goto out;
	r = -1;
	if (sqlite3_prepare_v2(tmp.db, "INSERT INTO meta (name, value) VALUES "
	    "('keycheck', ?1), ('created', strftime('%s', 'now'))", -1, &st,
	    NULL) != SQLITE_OK ||
	    sqlite3_bind_blob(st, 1, keycheck, BASELINE_KEYCHECK_LEN,
	    SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE) {
		*cause = baseline_err(&tmp, "create");
		goto out;
	}
	if (baseline_exec(&tmp, "COMMIT", cause) == -1)
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_close(tmp.db) != SQLITE_OK) {
		*cause = xasprintf("%s: close failed", tpath);
		tmp.db = NULL;
		goto out;
	}
	tmp.db = NULL;
	if (rename(tpath, path) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	r = 0;
out:
	sqlite3_finalize(st);
	if (tmp.db != NULL)
		sqlite3_close(tmp.db);
	if (r == -1)
		unlink(tpath);
	free(tpath);
	return r;
}

static int
baseline_verify(struct baseline *bl,
    const unsigned char keycheck[BASELINE_KEYCHECK_LEN], char **cause)
{
	sqlite3_stmt	*st = NULL;
	int		 appid, version, r = -1;

	if (baseline_pragma_int(bl, "PRAGMA application_id", &appid,
	    cause) == -1)
		return -1;
	if (appid != BASELINE_APPID) {
		*cause = xasprintf("baseline %s: not a dbsyscheck baseline; "
		    "refusing to touch it", bl->path);
		return -1;
	}
	if (baseline_pragma_int(bl, "PRAGMA user_version", &version,
	    cause) == -1)
		return -1;
	if (version != BASELINE_FORMAT) {
		*cause = xasprintf("baseline %s: format %d, this dbsyscheck "
		    "reads format %d only (written by a %s version)", bl->path,
		    version, BASELINE_FORMAT, version > BASELINE_FORMAT ?
		    "newer" : "older");
		return -1;
	}
	if (sqlite3_prepare_v2(bl->db, "SELECT value FROM meta WHERE name = "
	    "'keycheck'", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		*cause = baseline_err(bl, "reading the key check");
		goto out;
	}
	if (keycheck != NULL && (sqlite3_column_bytes(st, 0) !=
	    BASELINE_KEYCHECK_LEN || memcmp(sqlite3_column_blob(st, 0),
	    keycheck, BASELINE_KEYCHECK_LEN) != 0)) {
		*cause = xasprintf("baseline %s was made with another key; "
		    "restore the key file it was made with, or move the "
		    "baseline away to start a new one", bl->path);
		goto out;
	}
	r = 0;
out:
	sqlite3_finalize(st);
	return r;
}

/*
 * Open the baseline at path; with BASELINE_CREATE make it when missing.
 * keycheck (may be NULL when reading only) must match the stored value.
 */
struct baseline *
baseline_open(const char *path, int flags,
    const unsigned char keycheck[BASELINE_KEYCHECK_LEN], char **cause)
{
	struct baseline	*bl;
	int		 fd, exists;

	if ((exists = baseline_exists(path, cause)) == -1)
		return NULL;
	if (!exists) {
		if (!(flags & BASELINE_CREATE) || keycheck == NULL) {
			*cause = xasprintf("%s: no baseline yet (run a scan "
			    "first)", path);
			return NULL;
		}
		if (util_mkdir_parent(path, cause) == -1 ||
		    baseline_create(path, keycheck, cause) == -1)
			return NULL;
	}
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (util_check_file(fd, path, 0, cause) == -1) {
		close(fd);
		return NULL;
	}
	close(fd);
	bl = xcalloc(1, sizeof *bl);
	bl->path = xstrdup(path);
	if (baseline_connect(bl, path, flags, cause) == -1 ||
	    baseline_verify(bl, keycheck, cause) == -1) {
		baseline_close(bl);
		return NULL;
	}
	return bl;
}

/* Close the baseline; an open transaction is rolled back. */
void
baseline_close(struct baseline *bl)
{
	size_t	 i;

	if (bl == NULL)
		return;
	for (i = 0; i < ST_MAX; i++)
		sqlite3_finalize(bl->st[i]);
	if (bl->db != NULL) {
		if (bl->intxn)
			sqlite3_exec(bl->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(bl->db);
	}
	free(bl->path);
	free(bl);
}

/* Start the run's transaction. */
int
baseline_begin(struct baseline *bl, char **cause)
{
	if (baseline_exec(bl, "BEGIN IMMEDIATE", cause) == -1)
		return -1;
	bl->intxn = 1;
	return 0;
}

/* Commit the run's transaction: the baseline advances here, whole. */
int
baseline_commit(struct baseline *bl, char **cause)
{
	if (baseline_exec(bl, "COMMIT", cause) == -1) {
		baseline_rollback(bl);
		return -1;
	}
	bl->intxn = 0;
	return 0;
}

/* Abandon the run's transaction. */
void
baseline_rollback(struct baseline *bl)
{
	size_t	 i;

	for (i = 0; i < ST_MAX; i++) {
		if (bl->st[i] != NULL)
			sqlite3_reset(bl->st[i]);
	}
	if (sqlite3_get_autocommit(bl->db) == 0)
		sqlite3_exec(bl->db, "ROLLBACK", NULL, NULL, NULL);
	bl->intxn = 0;
}

/* Start a table's part of the run. */
int
baseline_savepoint(struct baseline *bl, char **cause)
{
	return baseline_exec(bl, "SAVEPOINT tbl", cause);
}

/* Keep a table's part of the run. */
int
baseline_release(struct baseline *bl, char **cause)
{
	return baseline_exec(bl, "RELEASE tbl", cause);
}

/* Undo a table's part of the run. */
void
baseline_rollback_to(struct baseline *bl)
{
	size_t	 i;

	for (i = 0; i < ST_MAX; i++) {
		if (bl->st[i] != NULL)
			sqlite3_reset(bl->st[i]);
	}
	sqlite3_exec(bl->db, "ROLLBACK TO tbl; RELEASE tbl", NULL, NULL,
	    NULL);
}

static void
baseline_read_entry(sqlite3_stmt *st, int col, struct baseline_entry *e)
{
	const void	*p;
	int		 n;

	memset(e, 0, sizeof *e);
	e->tid = sqlite3_column_int64(st, col);
	p = sqlite3_column_blob(st, col + 1);
	n = sqlite3_column_bytes(st, col + 1);
	e->schema = (unsigned char *)xmemdup(p != NULL ? p : "", (size_t)n);
	e->schemalen = (size_t)n;
	if (sqlite3_column_bytes(st, col + 2) == (int)sizeof e->fp)
		memcpy(e->fp, sqlite3_column_blob(st, col + 2), sizeof e->fp);
	e->nrows = sqlite3_column_int64(st, col + 3);
	e->state = sqlite3_column_int(st, col + 4);
	e->last_scan = sqlite3_column_int64(st, col + 5);
	if (sqlite3_column_bytes(st, col + 6) == (int)sizeof e->mac)
		memcpy(e->mac, sqlite3_column_blob(st, col + 6), sizeof e->mac);
	e->chunk = sqlite3_column_int64(st, col + 7);
}

/* Free what an entry holds. */
void
baseline_entry_clear(struct baseline_entry *e)
{
	free(e->schema);
	e->schema = NULL;
	e->schemalen = 0;
}

/* Load the entry of DB.NAME: 1 found, 0 not stored, -1 error. */
int
baseline_table_get(struct baseline *bl, const char *db, const char *name,
    struct baseline_entry *e, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = baseline_stmt(bl, ST_TABLE_GET, cause)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, db, (int)strlen(db), SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, name, (int)strlen(name), SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		*cause = baseline_err(bl, "reading tables");
		sqlite3_reset(st);
		return -1;
	}
	baseline_read_entry(st, 0, e);
	sqlite3_reset(st);
	return 1;
}

/* Store the entry of DB.NAME (a new one gets its tid). */
int
baseline_table_put(struct baseline *bl, const char *db, const char *name,
    struct baseline_entry *e, char **cause)
{
	sqlite3_stmt	*st;

	st = baseline_stmt(bl, e->tid == 0 ? ST_TABLE_INS : ST_TABLE_UPD,
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, db, (int)strlen(db), SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, name, (int)strlen(name), SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, e->schema, (int)e->schemalen, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, e->fp, sizeof e->fp, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, e->nrows);
	sqlite3_bind_int(st, 6, e->state);
	sqlite3_bind_int64(st, 7, e->last_scan);
	sqlite3_bind_blob(st, 8, e->mac, sizeof e->mac, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, e->chunk);
	if (e->tid != 0)
		sqlite3_bind_int64(st, 9, e->tid);
	if (baseline_done(bl, st, "writing tables", cause) == -1)
		return -1;
	if (e->tid == 0)
		e->tid = sqlite3_last_insert_rowid(bl->db);
	else if (sqlite3_changes(bl->db) != 1) {
		*cause = xasprintf("baseline %s: table entry vanished",
		    bl->path);
		return -1;
	}
	return 0;
}

/* Call cb for every stored table, in name order. */
int
baseline_tables_each(struct baseline *bl, int (*cb)(void *, const char *,
    const char *, const struct baseline_entry *), void *arg, char **cause)
{
	struct baseline_entry	 e;
	sqlite3_stmt		*st;
	char			*db, *name;
	int			 rc, r = 0;

	if ((st = baseline_stmt(bl, ST_TABLES_ALL, cause)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		db = xmemdup(sqlite3_column_blob(st, 0) != NULL ?
		    sqlite3_column_blob(st, 0) : "",
		    (size_t)sqlite3_column_bytes(st, 0));
		name = xmemdup(sqlite3_column_blob(st, 1) != NULL ?
		    sqlite3_column_blob(st, 1) : "",
		    (size_t)sqlite3_column_bytes(st, 1));
		baseline_read_entry(st, 2, &e);
		r = cb(arg, db, name, &e);
		baseline_entry_clear(&e);
		free(db);
		free(name);
		if (r != 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE) {
		*cause = baseline_err(bl, "reading tables");
		r = -1;
	}
	sqlite3_reset(st);
	return r;
}

/* Forget every stored row of a table. */
int
baseline_table_clear(struct baseline *bl, int64_t tid, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = baseline_stmt(bl, ST_TABLE_CLEAR, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, tid);
	return baseline_done(bl, st, "clearing rows", cause);
}

/*
 * A cursor over the stored rows of a table in key order, from after lo to
 * hi inclusive (NULL: from the first, to the last).
 */
struct baseline_cursor *
baseline_cursor(struct baseline *bl, int64_t tid, const void *lo,
    size_t lolen, const void *hi, size_t hilen)
{
	struct baseline_cursor	*c;

	c = xcalloc(1, sizeof *c);
	c->bl = bl;
	c->tid = tid;
	buf_init(&c->arena, BUF_NOCAP);
	buf_init(&c->last, BUF_NOCAP);
	buf_init(&c->hi, BUF_NOCAP);
	if (lo != NULL) {
		if (buf_add(&c->last, lo, lolen) == -1)
			c->end = 1;
		c->have_last = 1;
	}
	if (hi != NULL) {
		if (buf_add(&c->hi, hi, hilen) == -1)
			c->end = 1;
		c->have_hi = 1;
	}
	return c;
}

/* Free a cursor. */
void
baseline_cursor_free(struct baseline_cursor *c)
{
	if (c == NULL)
		return;
	buf_free(&c->arena);
	buf_free(&c->last);
	buf_free(&c->hi);
	free(c);
}

static int
cursor_add(struct baseline_cursor *c, const void *p, int n, size_t *off)
{
	*off = c->arena.len;
	if (n < 0)
		return -1;
	return buf_add(&c->arena, p != NULL ? p : "", (size_t)n);
}

/*
 * Load the next batch. The statement is reset before returning, so that
 * the caller may write to the table between batches; rows written behind
 * the cursor (keys below the last one read) are never read again.
 */
static int
cursor_fill(struct baseline_cursor *c, char **cause)
{
	struct cursor_row	*r;
	sqlite3_stmt		*st;
	int			 rc;

	if ((st = baseline_stmt(c->bl, c->have_hi ? ST_ROWS_NEXT_HI :
	    ST_ROWS_NEXT, cause)) == NULL)
		return -1;
	buf_reset(&c->arena);
	c->nrows = c->next = 0;
	sqlite3_bind_int64(st, 1, c->tid);
	if (c->have_last)
		sqlite3_bind_blob(st, 2, c->last.data, (int)c->last.len,
		    SQLITE_STATIC);
	else
		sqlite3_bind_zeroblob(st, 2, 0);
	sqlite3_bind_int(st, 3, BASELINE_BATCH);
	if (c->have_hi)
		sqlite3_bind_blob(st, 4, c->hi.data, (int)c->hi.len,
		    SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = &c->rows[c->nrows];
		r->keylen = (size_t)sqlite3_column_bytes(st, 0);
		r->taglen = (size_t)sqlite3_column_bytes(st, 2);
		if (sqlite3_column_bytes(st, 1) != DIFF_DIGEST_LEN ||
		    sqlite3_column_type(st, 0) != SQLITE_BLOB) {
			*cause = xasprintf("baseline %s: malformed row",
			    c->bl->path);
			sqlite3_reset(st);
			return -1;
		}
		if (cursor_add(c, sqlite3_column_blob(st, 0), (int)r->keylen,
		    &r->keyoff) == -1 ||
		    cursor_add(c, sqlite3_column_blob(st, 1), DIFF_DIGEST_LEN,
		    &r->digoff) == -1 ||
		    cursor_add(c, sqlite3_column_blob(st, 2), (int)r->taglen,
		    &r->tagoff) == -1) {
			*cause = xstrdup("out of memory reading the baseline");
			sqlite3_reset(st);
			return -1;
		}
		c->nrows++;
	}
	if (rc != SQLITE_DONE) {
		*cause = baseline_err(c->bl, "reading rows");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	if (c->nrows < BASELINE_BATCH)
		c->end = 1;
	if (c->nrows > 0) {
		r = &c->rows[c->nrows - 1];
		buf_reset(&c->last);
		if (buf_add(&c->last, c->arena.data + r->keyoff,
		    r->keylen) == -1) {
			*cause = xstrdup("out of memory reading the baseline");
			return -1;
		}
		c->have_last = 1;
	}
	return 0;
}

/* The next stored row: 1 and the row, 0 at the end, -1 on error. */
int
baseline_cursor_next(struct baseline_cursor *c, struct diff_row *out,
    char **cause)
{
	struct cursor_row	*r;
	const unsigned char	*base;

	if (c->next == c->nrows) {
		if (c->end)
			return 0;
		if (cursor_fill(c, cause) == -1)
			return -1;
		if (c->nrows == 0)
			return 0;
	}
	r = &c->rows[c->next++];
	base = (const unsigned char *)c->arena.data;
	out->key = base + r->keyoff;
	out->keylen = r->keylen;
	out->digest = base + r->digoff;
	out->tags = base + r->tagoff;
	out->tagslen = r->taglen;
	return 1;
}

/* Store (insert or replace) one row. */
int
baseline_row_put(struct baseline *bl, int64_t tid, const struct diff_row *row,
    char **cause)
{
	sqlite3_stmt	*st;

	if ((st = baseline_stmt(bl, ST_ROW_PUT, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, tid);
	sqlite3_bind_blob(st, 2, row->key, (int)row->keylen, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, row->digest, DIFF_DIGEST_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, row->tags, (int)row->tagslen, SQLITE_STATIC);
	return baseline_done(bl, st, "writing rows", cause);
}

/* Remove one row. */
int
baseline_row_del(struct baseline *bl, int64_t tid, const unsigned char *key,
    size_t keylen, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = baseline_stmt(bl, ST_ROW_DEL, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, tid);
	sqlite3_bind_blob(st, 2, key, (int)keylen, SQLITE_STATIC);
	return baseline_done(bl, st, "deleting rows", cause);
}

/* Queue a record body for output. */
int
baseline_outbox_add(struct baseline *bl, const char *op, const char *body,
    size_t len, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = baseline_stmt(bl, ST_OUT_ADD, cause)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, op, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, body, (int)len, SQLITE_STATIC);
	return baseline_done(bl, st, "queueing a record", cause);
}

/* Count the queued records after seq by op. */
int
baseline_outbox_counts(struct baseline *bl, int64_t after,
    struct baseline_counts *c, char **cause)
{
	sqlite3_stmt	*st;
	const char	*op;
	uint64_t	 n;
	int		 rc;

	memset(c, 0, sizeof *c);
	if ((st = baseline_stmt(bl, ST_OUT_COUNTS, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, after);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		op = (const char *)sqlite3_column_text(st, 0);
		n = (uint64_t)sqlite3_column_int64(st, 1);
		if (op == NULL)
			continue;
		if (strcmp(op, "insert") == 0)
			c->inserts += n;
		else if (strcmp(op, "update") == 0)
			c->updates += n;
		else if (strcmp(op, "delete") == 0)
			c->deletes += n;
		else if (strcmp(op, "error") == 0)
			c->errors += n;
		c->total += n;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		*cause = baseline_err(bl, "counting records");
		return -1;
	}
	return 0;
}

/*
 * Call cb for up to max queued records after seq, in order; cb returns 0
 * to go on, 1 to stop. Returns the number of records seen, -1 on error.
 */
int
baseline_outbox_fetch(struct baseline *bl, int64_t after, size_t max,
    int (*cb)(void *, const struct baseline_outrec *), void *arg,
    char **cause)
{
	struct baseline_outrec	 r;
	sqlite3_stmt		*st;
	int			 rc, n = 0;

	if ((st = baseline_stmt(bl, ST_OUT_FETCH, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r.seq = sqlite3_column_int64(st, 0);
		r.op = (const char *)sqlite3_column_text(st, 1);
		r.body = (const char *)sqlite3_column_text(st, 2);
		r.len = (size_t)sqlite3_column_bytes(st, 2);
		if (r.op == NULL || r.body == NULL)
			continue;
		n++;
		if (cb(arg, &r) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		*cause = baseline_err(bl, "reading records");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return n;
}

/* Mark every record up to seq delivered (removes them, durably). */
int
baseline_outbox_ack(struct baseline *bl, int64_t seq, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = baseline_stmt(bl, ST_OUT_ACK, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, seq);
	return baseline_done(bl, st, "marking records delivered", cause);
}

/* An integer from meta: 1 and *v when set, 0 when not, -1 on error. */
int
baseline_meta_get(struct baseline *bl, const char *name, int64_t *v,
    char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = baseline_stmt(bl, ST_META_GET, cause)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	*cause = baseline_err(bl, "reading meta");
	return -1;
}

/* Set an integer in meta. */
int
baseline_meta_put(struct baseline *bl, const char *name, int64_t v,
    char **cause)
{
	sqlite3_stmt	*st;

	if ((st = baseline_stmt(bl, ST_META_PUT, cause)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, v);
	return baseline_done(bl, st, "writing meta", cause);
}

/* Free a list of chunks. */
void
baseline_chunks_free(struct baseline_chunk *c, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(c[i].hi);
	free(c);
}

/* Load the chunks of a table in key order. */
int
baseline_chunks_get(struct baseline *bl, int64_t tid,
    struct baseline_chunk **out, size_t *n, char **cause)
{
	struct baseline_chunk	*c = NULL, *k;
	sqlite3_stmt		*st;
	const void		*p;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((st = baseline_stmt(bl, ST_CHUNKS_GET, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, tid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c = xreallocarray(c, *n + 1, sizeof *c);
		k = &c[(*n)++];
		memset(k, 0, sizeof *k);
		k->n = sqlite3_column_int64(st, 0);
		if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
			p = sqlite3_column_blob(st, 1);
			k->hilen = (size_t)sqlite3_column_bytes(st, 1);
			k->hi = (unsigned char *)xmemdup(p != NULL ? p : "",
			    k->hilen);
		}
		k->nrows = sqlite3_column_int64(st, 2);
		if (sqlite3_column_bytes(st, 3) == (int)sizeof k->agg)
			memcpy(k->agg, sqlite3_column_blob(st, 3),
			    sizeof k->agg);
		if (sqlite3_column_bytes(st, 4) == (int)sizeof k->mac)
			memcpy(k->mac, sqlite3_column_blob(st, 4),
			    sizeof k->mac);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		baseline_chunks_free(c, *n);
		*n = 0;
		*cause = baseline_err(bl, "reading chunks");
		return -1;
	}
	*out = c;
	return 0;
}

/* Forget the chunks of a table. */
int
baseline_chunks_clear(struct baseline *bl, int64_t tid, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = baseline_stmt(bl, ST_CHUNKS_CLEAR, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, tid);
	return baseline_done(bl, st, "clearing chunks", cause);
}

/* Store one chunk. */
int
baseline_chunk_put(struct baseline *bl, int64_t tid,
    const struct baseline_chunk *c, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = baseline_stmt(bl, ST_CHUNK_PUT, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, tid);
	sqlite3_bind_int64(st, 2, c->n);
	if (c->hi != NULL)
		sqlite3_bind_blob(st, 3, c->hi, (int)c->hilen, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, c->nrows);
	sqlite3_bind_blob(st, 5, c->agg, sizeof c->agg, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, c->mac, sizeof c->mac, SQLITE_STATIC);
	return baseline_done(bl, st, "writing chunks", cause);
}

/* A blob from meta: 1 and a copy (the caller frees it), 0 when unset. */
int
baseline_meta_get_blob(struct baseline *bl, const char *name,
    unsigned char **v, size_t *len, char **cause)
{
	sqlite3_stmt	*st;
	const void	*p;
	int		 rc;

	*v = NULL;
	*len = 0;
	if ((st = baseline_stmt(bl, ST_META_GET_BLOB, cause)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		p = sqlite3_column_blob(st, 0);
		*len = (size_t)sqlite3_column_bytes(st, 0);
		*v = (unsigned char *)xmemdup(p != NULL ? p : "", *len);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	*cause = baseline_err(bl, "reading meta");
	return -1;
}

/* Set a blob in meta. */
int
baseline_meta_put_blob(struct baseline *bl, const char *name,
    const void *v, size_t len, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = baseline_stmt(bl, ST_META_PUT, cause)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, v, (int)len, SQLITE_STATIC);
	return baseline_done(bl, st, "writing meta", cause);
}

/* The baseline's SQLite file: opening, format, transactions, statements. */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "baseline.h"
#include "store.h"
#include "util.h"
#include "xmalloc.h"

#define BASELINE_FORMAT		4
#define BASELINE_FORMAT_BLOCKS	3	/* older encodings only: marked 4 */
#define BASELINE_FORMAT_OLD	2	/* one row per row: converted */
#define BASELINE_APPID		0x44425343	/* "DBSC" */

static const char baseline_schema_sql[] =
#include "schema_sql.h"
;

static const char *const stmt_sql[STORE_MAX] = {
	[STORE_TABLE_GET] = "SELECT tid, schema, fingerprint, nrows, state, "
	    "last_scan, mac, chunk FROM tables WHERE db = ?1 AND name = ?2",
	[STORE_TABLE_INS] = "INSERT INTO tables (db, name, schema, fingerprint, "
	    "nrows, state, last_scan, mac, chunk) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8, ?10)",
	[STORE_TABLE_UPD] = "UPDATE tables SET schema = ?3, fingerprint = ?4, "
	    "nrows = ?5, state = ?6, last_scan = ?7, mac = ?8, chunk = ?10 "
	    "WHERE tid = ?9 AND db = ?1 AND name = ?2",
	[STORE_TABLE_CLEAR] = "DELETE FROM blocks WHERE tid = ?1",
	[STORE_TABLES_ALL] = "SELECT db, name, tid, schema, fingerprint, nrows, "
	    "state, last_scan, mac, chunk FROM tables ORDER BY db, name",
	[STORE_BLOCKS_NEXT] = "SELECT hi, data FROM blocks WHERE tid = ?1 "
	    "AND hi > ?2 ORDER BY hi LIMIT ?3",
	[STORE_BLOCK_BEFORE] = "SELECT hi FROM blocks WHERE tid = ?1 "
	    "AND hi < ?2 ORDER BY hi DESC LIMIT 1",
	[STORE_CHUNKS_GET] = "SELECT n, hi, nrows, agg, mac FROM chunks "
	    "WHERE tid = ?1 ORDER BY n",
	[STORE_CHUNKS_CLEAR] = "DELETE FROM chunks WHERE tid = ?1",
	[STORE_CHUNK_PUT] = "INSERT INTO chunks (tid, n, hi, nrows, agg, mac) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (tid, n) DO UPDATE "
	    "SET hi = excluded.hi, nrows = excluded.nrows, agg = excluded.agg, "
	    "mac = excluded.mac",
	[STORE_BLOCK_PUT] = "INSERT INTO blocks (tid, hi, data) "
	    "VALUES (?1, ?2, ?3)",
	[STORE_BLOCK_SET] = "UPDATE blocks SET data = ?3 WHERE tid = ?1 AND hi = ?2",
	[STORE_BLOCK_DEL] = "DELETE FROM blocks WHERE tid = ?1 AND hi = ?2",
	[STORE_DELTAS_NEXT] = "SELECT pk, digest, tags FROM deltas WHERE tid = ?1 "
	    "AND pk > ?2 ORDER BY pk LIMIT ?3",
	[STORE_DELTA_PUT] = "INSERT OR REPLACE INTO deltas (tid, pk, digest, tags) "
	    "VALUES (?1, ?2, ?3, ?4)",
	[STORE_DELTAS_DEL] = "DELETE FROM deltas WHERE tid = ?1 AND pk > ?2 "
	    "AND pk <= ?3",
	[STORE_DELTAS_CLEAR] = "DELETE FROM deltas WHERE tid = ?1",
	[STORE_OUT_ADD] = "INSERT INTO outbox (op, body) VALUES (?1, ?2)",
	[STORE_OUT_COUNTS] = "SELECT count(*), total(op = 'insert'), "
	    "total(op = 'update'), total(op = 'delete'), total(op = 'error') "
	    "FROM outbox WHERE seq > ?1",
	[STORE_OUT_UPTO] = "SELECT count(*) FROM outbox WHERE seq <= ?1",
	[STORE_OUT_FETCH] = "SELECT seq, op, body FROM outbox WHERE seq > ?1 "
	    "ORDER BY seq LIMIT ?2",
	[STORE_OUT_ACK] = "DELETE FROM outbox WHERE seq <= ?1",
	[STORE_OUT_LAST] = "SELECT coalesce(max(seq), 0) FROM outbox",
	[STORE_META_GET] = "SELECT value FROM meta WHERE name = ?1",
	[STORE_META_GET_BLOB] = "SELECT value FROM meta WHERE name = ?1",
	[STORE_META_PUT] = "INSERT INTO meta (name, value) VALUES (?1, ?2) "
	    "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
	[STORE_FOLLOW_GET] = "SELECT file, offset, gtid FROM follow WHERE id = 1",
	[STORE_FOLLOW_PUT] = "INSERT INTO follow (id, file, offset, gtid, "
	    "updated) VALUES (1, ?1, ?2, ?3, strftime('%s', 'now')) "
	    "ON CONFLICT (id) DO UPDATE SET file = excluded.file, "
	    "offset = excluded.offset, gtid = excluded.gtid, "
	    "updated = excluded.updated",
	[STORE_FOLLOW_SERVER_GET] = "SELECT server_id, created FROM follow "
	    "WHERE id = 1",
	[STORE_FOLLOW_SERVER_PUT] = "UPDATE follow SET server_id = ?1, "
	    "created = nullif(?2, 0) WHERE id = 1",
	[STORE_XA_ADD] = "INSERT INTO follow_xa (xid, op, body) "
	    "VALUES (?1, ?2, ?3)",
	[STORE_XA_MOVE] = "INSERT INTO outbox (op, body) SELECT op, body "
	    "FROM follow_xa WHERE xid = ?1 ORDER BY seq",
	[STORE_XA_DROP] = "DELETE FROM follow_xa WHERE xid = ?1",
	[STORE_XA_CUT] = "DELETE FROM follow_xa WHERE xid = ?1 AND seq > ?2",
	[STORE_OUT_CUT] = "DELETE FROM outbox WHERE seq > ?1 AND op IN "
	    "('insert', 'update', 'delete')",
	[STORE_XA_RANGE] = "SELECT count(*) FROM follow_xa WHERE xid = ?1 "
	    "AND seq > ?2 AND seq <= ?3",
	[STORE_OUT_RANGE] = "SELECT count(*) FROM outbox WHERE seq > ?1 AND "
	    "seq <= ?2 AND op IN ('insert', 'update', 'delete')",
	[STORE_RECON_GET] = "SELECT file, offset, server_id, created, mac, "
	    "from_file, from_offset, at, untraced, note FROM reconcile "
	    "WHERE tid = ?1",
	[STORE_RECON_PUT] = "INSERT OR REPLACE INTO reconcile (tid, file, "
	    "offset, server_id, created, mac, from_file, from_offset, at, "
	    "untraced, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	    "?11)",
};

/*
 * Tables added since format 4 that older releases never read: created on
 * open, so a baseline an older release made gets them (db/baseline.sql).
 */
static const char baseline_added_sql[] =
    "CREATE TABLE IF NOT EXISTS follow (id INTEGER PRIMARY KEY CHECK "
    "(id = 1), file BLOB NOT NULL, offset INTEGER NOT NULL, gtid BLOB NOT "
    "NULL, updated INTEGER NOT NULL, server_id INTEGER, created INTEGER); "
    "CREATE TABLE IF NOT EXISTS follow_xa (seq INTEGER PRIMARY KEY "
    "AUTOINCREMENT, xid BLOB NOT NULL, op TEXT NOT NULL, body TEXT NOT "
    "NULL); "
    "CREATE INDEX IF NOT EXISTS follow_xa_xid ON follow_xa (xid, seq); "
    "CREATE TABLE IF NOT EXISTS reconcile (tid INTEGER PRIMARY KEY, "
    "file BLOB NOT NULL, offset INTEGER NOT NULL, server_id INTEGER NOT "
    "NULL, created INTEGER NOT NULL, mac BLOB NOT NULL, from_file BLOB "
    "NOT NULL, from_offset INTEGER NOT NULL, at INTEGER NOT NULL, "
    "untraced INTEGER NOT NULL, note BLOB NOT NULL)";

/*
 * Columns added to a table of baseline_added_sql since it was first made
 * (a follow table without the server's identity): added on open.
 */
static const struct {
	const char	*table;
	const char	*column;
	const char	*add;
} baseline_added_cols[] = {
	{ "follow", "server_id",
	    "ALTER TABLE follow ADD COLUMN server_id INTEGER" },
	{ "follow", "created",
	    "ALTER TABLE follow ADD COLUMN created INTEGER" },
};

/* A statement handed to the modules of store.h: its baseline and slot. */
struct store_stmt {
	struct baseline	*bl;
	enum store_sql	 which;
};

struct baseline {
	sqlite3		*db;
	char		*path;
	sqlite3_stmt	*st[STORE_MAX];
	struct store_stmt ss[STORE_MAX];
	int		 intxn;
	int		 broken;
	int		 format;
	int		 bindrc;	/* first failed bind ... */
	int		 bindn;		/* ... and its parameter */
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
baseline_stmt(struct baseline *bl, enum store_sql which, char **cause)
{
	sqlite3_stmt	*st = bl->st[which];

	bl->bindrc = SQLITE_OK;
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

/*
 * Binding. Every parameter of a statement from baseline_stmt is bound
 * through these, which keep the first failure (a value over SQLite's
 * length limit, a length past INT_MAX, no memory); baseline_bound then
 * reports it before the statement runs, so that a failed bind never runs
 * a statement with a parameter left NULL.
 */
static void
bind_result(struct baseline *bl, int n, int rc)
{
	if (rc != SQLITE_OK && bl->bindrc == SQLITE_OK) {
		bl->bindrc = rc;
		bl->bindn = n;
	}
}

static void
bind_blob(struct baseline *bl, sqlite3_stmt *st, int n, const void *p,
    size_t len)
{
	if (len > INT_MAX) {
		bind_result(bl, n, SQLITE_TOOBIG);
		return;
	}
	bind_result(bl, n, sqlite3_bind_blob(st, n, p, (int)len,
	    SQLITE_STATIC));
}

static void
bind_text(struct baseline *bl, sqlite3_stmt *st, int n, const char *p,
    size_t len)
{
	if (len > INT_MAX) {
		bind_result(bl, n, SQLITE_TOOBIG);
		return;
	}
	bind_result(bl, n, sqlite3_bind_text(st, n, p, (int)len,
	    SQLITE_STATIC));
}

static void
bind_int64(struct baseline *bl, sqlite3_stmt *st, int n, int64_t v)
{
	bind_result(bl, n, sqlite3_bind_int64(st, n, v));
}

static void
bind_null(struct baseline *bl, sqlite3_stmt *st, int n)
{
	bind_result(bl, n, sqlite3_bind_null(st, n));
}

/* A key bound: the key, or (have is 0) the empty key, below every key. */
static void
bind_key(struct baseline *bl, sqlite3_stmt *st, int n, const void *key,
    size_t len, int have)
{
	if (have)
		bind_blob(bl, st, n, key, len);
	else
		bind_result(bl, n, sqlite3_bind_zeroblob(st, n, 0));
}

/* -1 with cause when a parameter of st failed to bind; st is reset. */
static int
baseline_bound(struct baseline *bl, sqlite3_stmt *st, const char *what,
    char **cause)
{
	if (bl->bindrc == SQLITE_OK)
		return 0;
	*cause = xasprintf("baseline %s: %s: parameter %d: %s", bl->path,
	    what, bl->bindn, sqlite3_errstr(bl->bindrc));
	bl->bindrc = SQLITE_OK;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return -1;
}

/* Run a statement that returns no row; -1 with cause otherwise. */
static int
baseline_done(struct baseline *bl, sqlite3_stmt *st, const char *what,
    char **cause)
{
	int	 rc;

	if (baseline_bound(bl, st, what, cause) == -1)
		return -1;
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
 * The statement-level interface of store.h, for the modules of the store
 * that must not see SQLite (outbox.c, entries.c): a prepared statement by
 * its slot, checked binds, steps and column reads.
 */
struct store_stmt *
store_stmt(struct baseline *bl, enum store_sql which, char **cause)
{
	if (baseline_stmt(bl, which, cause) == NULL)
		return NULL;
	bl->ss[which].bl = bl;
	bl->ss[which].which = which;
	return &bl->ss[which];
}

static sqlite3_stmt *
store_sqlite(const struct store_stmt *ss)
{
	return ss->bl->st[ss->which];
}

void
store_bind_blob(struct store_stmt *ss, int n, const void *p, size_t len)
{
	bind_blob(ss->bl, store_sqlite(ss), n, p, len);
}

void
store_bind_text(struct store_stmt *ss, int n, const char *p, size_t len)
{
	bind_text(ss->bl, store_sqlite(ss), n, p, len);
}

void
store_bind_int64(struct store_stmt *ss, int n, int64_t v)
{
	bind_int64(ss->bl, store_sqlite(ss), n, v);
}

/*
 * Run the statement to its next row: 1 with a row, 0 when done (the
 * statement is reset), -1 with cause on error or a failed bind (reset).
 */
int
store_step(struct store_stmt *ss, const char *what, char **cause)
{
	sqlite3_stmt	*st = store_sqlite(ss);
	int		 rc;

	if (baseline_bound(ss->bl, st, what, cause) == -1)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	*cause = baseline_err(ss->bl, what);
	sqlite3_reset(st);
	return -1;
}

/* Run a statement that returns no row. */
int
store_done(struct store_stmt *ss, const char *what, char **cause)
{
	return baseline_done(ss->bl, store_sqlite(ss), what, cause);
}

/* Let go of a statement stopped before its end. */
void
store_reset(struct store_stmt *ss)
{
	sqlite3_reset(store_sqlite(ss));
}

int64_t
store_int64(struct store_stmt *ss, int col)
{
	return sqlite3_column_int64(store_sqlite(ss), col);
}

/* A column as bytes (NULL for SQL NULL or no bytes) and its length. */
const void *
store_blob(struct store_stmt *ss, int col, size_t *len)
{
	const void	*p;

	p = sqlite3_column_blob(store_sqlite(ss), col);
	*len = (size_t)sqlite3_column_bytes(store_sqlite(ss), col);
	return p;
}

/* A column as text, NUL-terminated (NULL for SQL NULL), and its length. */
const char *
store_text(struct store_stmt *ss, int col, size_t *len)
{
	const char	*p;

	p = (const char *)sqlite3_column_text(store_sqlite(ss), col);
	*len = (size_t)sqlite3_column_bytes(store_sqlite(ss), col);
	return p;
}

/* 1 when a column is SQL NULL. */
int
store_isnull(struct store_stmt *ss, int col)
{
	return sqlite3_column_type(store_sqlite(ss), col) == SQLITE_NULL;
}

/* The rows the last statement changed. */
int64_t
store_changes(struct baseline *bl)
{
	return sqlite3_changes(bl->db);
}

/* The rowid of the last row inserted. */
int64_t
store_last_rowid(struct baseline *bl)
{
	return sqlite3_last_insert_rowid(bl->db);
}

/* The message of the last SQLite error (store.h). */
char *
store_error(struct baseline *bl, const char *what)
{
	return baseline_err(bl, what);
}

/* The baseline's path, for messages. */
const char *
store_path(const struct baseline *bl)
{
	return bl->path;
}

/*
 * 1 when a baseline exists at path, 0 when not, -1 when it is unusable:
 * it, its directories or SQLite's files next to it fail util_check_path.
 */
int
baseline_exists(const char *path, char **cause)
{
	struct stat	 st;

	if (lstat(path, &st) == -1) {
		if (errno != ENOENT) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			return -1;
		}
		/* Where it would be made must be safe all the same. */
		return util_check_path(path, UTIL_MAYBE, cause) == -1 ? -1 : 0;
	}
	if (S_ISLNK(st.st_mode)) {
		*cause = xasprintf("%s: is a symbolic link, refusing to use it "
		    "as the baseline", path);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		return -1;
	}
	if (util_check_path(path, 0, cause) == -1 ||
	    baseline_check_side(path, cause) == -1)
		return -1;
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
	if (util_check_path(tpath, UTIL_MAYBE, cause) == -1)
		goto out;
	if (unlink(tpath) == -1 && errno != ENOENT) {
		*cause = xasprintf("%s: %s", tpath, strerror(errno));
		goto out;
	}
	fd = util_open(tpath, O_WRONLY | O_CREAT | O_EXCL, 0600, 0, cause);
	if (fd == -1)
		goto out;
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
	/*
	 * The name durable before the caller names its key (key.c): a
	 * power loss must not keep the key and lose the baseline.
	 */
	if (rename(tpath, path) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	if (util_sync_dir(path, cause) == -1)
		goto out;
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
		*cause = xasprintf("baseline %s: not a dbsyscheck baseline, "
		    "refusing to touch it", bl->path);
		return -1;
	}
	if (baseline_pragma_int(bl, "PRAGMA user_version", &version,
	    cause) == -1)
		return -1;
	if (version < BASELINE_FORMAT_OLD || version > BASELINE_FORMAT) {
		*cause = xasprintf("baseline %s: format %d, this dbsyscheck "
		    "reads formats %d to %d only (written by %s version)",
		    bl->path, version, BASELINE_FORMAT_OLD, BASELINE_FORMAT,
		    version > BASELINE_FORMAT ? "a newer" : "an older");
		return -1;
	}
	bl->format = version;
	if (sqlite3_prepare_v2(bl->db, "SELECT value FROM meta WHERE name = "
	    "'keycheck'", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		*cause = baseline_err(bl, "reading the key check");
		goto out;
	}
	if (keycheck != NULL && (sqlite3_column_bytes(st, 0) !=
	    BASELINE_KEYCHECK_LEN || memcmp(sqlite3_column_blob(st, 0),
	    keycheck, BASELINE_KEYCHECK_LEN) != 0)) {
		*cause = xasprintf("baseline %s was made with another key, "
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
 * Convert a format 2 baseline (one SQLite row per table row, in the table
 * rows) to row blocks, in one transaction: the file is either converted
 * whole or left as it was.
 */
static int
baseline_convert(struct baseline *bl, char **cause)
{
	struct baseline_cursor	*c = NULL;
	struct diff_row		 row;
	sqlite3_stmt		*st = NULL;
	int64_t			 tid = 0;
	char			*sql;
	int			 rc, r = -1;

	if (baseline_begin(bl, cause) == -1)
		return -1;
	if (baseline_exec(bl, "CREATE TABLE blocks (tid INTEGER NOT NULL, "
	    "hi BLOB NOT NULL, data BLOB NOT NULL, UNIQUE (tid, hi)); "
	    "CREATE TABLE deltas (tid INTEGER NOT NULL, pk BLOB NOT NULL, "
	    "digest BLOB, tags BLOB, PRIMARY KEY (tid, pk)) WITHOUT ROWID",
	    cause) == -1)
		goto out;
	if (sqlite3_prepare_v2(bl->db, "SELECT tid, pk, digest, tags FROM rows "
	    "ORDER BY tid, pk", -1, &st, NULL) != SQLITE_OK) {
		*cause = baseline_err(bl, "converting from format 2");
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (c == NULL || sqlite3_column_int64(st, 0) != tid) {
			if (c != NULL &&
			    baseline_cursor_finish(c, cause) == -1)
				goto out;
			baseline_cursor_free(c);
			tid = sqlite3_column_int64(st, 0);
			c = baseline_cursor(bl, tid, NULL, 0, NULL, 0);
		}
		memset(&row, 0, sizeof row);
		row.key = sqlite3_column_blob(st, 1);
		row.keylen = (size_t)sqlite3_column_bytes(st, 1);
		row.digest = sqlite3_column_blob(st, 2);
		row.tags = sqlite3_column_blob(st, 3);
		row.tagslen = (size_t)sqlite3_column_bytes(st, 3);
		if (row.key == NULL || sqlite3_column_bytes(st, 2) !=
		    DIFF_DIGEST_LEN || (row.tags == NULL && row.tagslen > 0)) {
			*cause = xasprintf("baseline %s: malformed row",
			    bl->path);
			goto out;
		}
		if (baseline_cursor_put(c, &row, cause) == -1)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		*cause = baseline_err(bl, "converting from format 2");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (c != NULL && baseline_cursor_finish(c, cause) == -1)
		goto out;
	sql = xasprintf("DROP TABLE rows; PRAGMA user_version = %d",
	    BASELINE_FORMAT);
	r = baseline_exec(bl, sql, cause);
	free(sql);
	if (r == -1)
		goto out;
	r = baseline_commit(bl, cause);
	if (r == 0)
		bl->format = BASELINE_FORMAT;
out:
	sqlite3_finalize(st);
	baseline_cursor_free(c);
	if (r == -1)
		baseline_rollback(bl);
	return r;
}

/* 1 when table has column, 0 when not, -1 on error. */
static int
baseline_has_column(struct baseline *bl, const char *table,
    const char *column, char **cause)
{
	sqlite3_stmt	*st = NULL;
	const char	*name;
	char		*sql;
	int		 rc, found = 0;

	sql = xasprintf("PRAGMA table_info(%s)", table);
	rc = sqlite3_prepare_v2(bl->db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		*cause = baseline_err(bl, "reading a table's columns");
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		name = (const char *)sqlite3_column_text(st, 1);
		if (name != NULL && strcmp(name, column) == 0)
			found = 1;
	}
	if (rc != SQLITE_DONE) {
		*cause = baseline_err(bl, "reading a table's columns");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return found;
}

/* Add the columns of baseline_added_cols a table made earlier lacks. */
static int
baseline_add_columns(struct baseline *bl, char **cause)
{
	size_t	 i;
	int	 r;

	for (i = 0; i < sizeof baseline_added_cols /
	    sizeof baseline_added_cols[0]; i++) {
		r = baseline_has_column(bl, baseline_added_cols[i].table,
		    baseline_added_cols[i].column, cause);
		if (r == -1)
			return -1;
		if (r == 0 && baseline_exec(bl, baseline_added_cols[i].add,
		    cause) == -1)
			return -1;
	}
	return 0;
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
	char		*sql;
	int		 fd, exists, r;

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
	if ((fd = util_open(path, O_RDONLY, 0, 0, cause)) == -1)
		return NULL;
	close(fd);
	bl = xcalloc(1, sizeof *bl);
	bl->path = xstrdup(path);
	if (baseline_connect(bl, path, flags, cause) == -1 ||
	    baseline_verify(bl, keycheck, cause) == -1) {
		baseline_close(bl);
		return NULL;
	}
	/*
	 * Reading tables, meta and the outbox is the same in every format.
	 * Format 3 is format 4 with every table's rows in encoding version
	 * 0, which the table's next scan compares and re-encodes (docs/
	 * DESIGN.md, "Encoding changes"): marking it 4 keeps an older
	 * dbsyscheck, which would take the new encodings for changes in
	 * every table, from using it at all.
	 */
	if (!(flags & BASELINE_READONLY) && bl->format == BASELINE_FORMAT_OLD &&
	    baseline_convert(bl, cause) == -1) {
		baseline_close(bl);
		return NULL;
	}
	if (!(flags & BASELINE_READONLY) &&
	    bl->format == BASELINE_FORMAT_BLOCKS) {
		sql = xasprintf("PRAGMA user_version = %d", BASELINE_FORMAT);
		r = baseline_exec(bl, sql, cause);
		free(sql);
		if (r == -1) {
			baseline_close(bl);
			return NULL;
		}
		bl->format = BASELINE_FORMAT;
	}
	if (!(flags & BASELINE_READONLY) &&
	    (baseline_exec(bl, baseline_added_sql, cause) == -1 ||
	    baseline_add_columns(bl, cause) == -1)) {
		baseline_close(bl);
		return NULL;
	}
	return bl;
}

/* The follower's position: 1 and a copy, 0 when none is stored. */
int
baseline_follow_get(struct baseline *bl, char *file, size_t filesz,
    uint64_t *offset, char *gtid, size_t gtidsz, char **cause)
{
	struct store_stmt	*st;
	const void		*f, *g;
	size_t			 flen, glen;
	int64_t			 off;
	int			 rc;

	if ((st = store_stmt(bl, STORE_FOLLOW_GET, cause)) == NULL)
		return -1;
	if ((rc = store_step(st, "reading the follow position", cause)) != 1)
		return rc;
	f = store_blob(st, 0, &flen);
	off = store_int64(st, 1);
	g = store_blob(st, 2, &glen);
	if (f == NULL || flen == 0 || flen >= filesz ||
	    memchr(f, '\0', flen) != NULL || off < 0 ||
	    glen >= gtidsz || (glen > 0 && memchr(g, '\0', glen) != NULL)) {
		store_reset(st);
		*cause = xasprintf("baseline %s: the follow position is "
		    "malformed", bl->path);
		return -1;
	}
	memcpy(file, f, flen);
	file[flen] = '\0';
	if (glen > 0)
		memcpy(gtid, g, glen);
	gtid[glen] = '\0';
	*offset = (uint64_t)off;
	store_reset(st);
	return 1;
}

/* The table is in the file (a read-only open creates none). */
static int
baseline_has_table(struct baseline *bl, const char *name, char **cause)
{
	sqlite3_stmt	*st = NULL;
	int		 rc;

	if (sqlite3_prepare_v2(bl->db, "SELECT 1 FROM sqlite_master WHERE "
	    "type = 'table' AND name = ?1", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK) {
		*cause = baseline_err(bl, "reading the schema");
		sqlite3_finalize(st);
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		*cause = baseline_err(bl, "reading the schema");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW;
}

/*
 * When the follower's position was stored (seconds since the epoch): 1,
 * or 0 when none is (the file may not have the table: read-only).
 */
int
baseline_follow_stored(struct baseline *bl, int64_t *when, char **cause)
{
	sqlite3_stmt	*st = NULL;
	int		 rc;

	if ((rc = baseline_has_table(bl, "follow", cause)) != 1)
		return rc;
	if (sqlite3_prepare_v2(bl->db, "SELECT updated FROM follow WHERE "
	    "id = 1", -1, &st, NULL) != SQLITE_OK) {
		*cause = baseline_err(bl, "reading the follow position");
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*when = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		*cause = baseline_err(bl, "reading the follow position");
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Forget the follower's position, in the caller's transaction. */
int
baseline_follow_clear(struct baseline *bl, char **cause)
{
	return baseline_exec(bl, "DELETE FROM follow; DELETE FROM follow_xa",
	    cause);
}

/* Keep a record of a prepared XA transaction, in the caller's transaction. */
int
baseline_xa_add(struct baseline *bl, const char *xid, const char *op,
    const char *body, size_t len, char **cause)
{
	struct store_stmt	*st;

	if (!bl->intxn) {
		*cause = xasprintf("baseline %s: an XA record is kept only "
		    "inside a transaction", bl->path);
		return -1;
	}
	if ((st = store_stmt(bl, STORE_XA_ADD, cause)) == NULL)
		return -1;
	store_bind_blob(st, 1, xid, strlen(xid));
	store_bind_text(st, 2, op, strlen(op));
	store_bind_text(st, 3, body, len);
	return store_done(st, "keeping a prepared XA record", cause);
}

/*
 * XA COMMIT: the transaction's records to the outbox, in their order, and
 * how many; XA ROLLBACK (commit 0): forgotten. In the caller's
 * transaction.
 */
int
baseline_xa_end(struct baseline *bl, const char *xid, int commit,
    uint64_t *n, char **cause)
{
	struct store_stmt	*st;

	*n = 0;
	if (!bl->intxn) {
		*cause = xasprintf("baseline %s: an XA transaction ends only "
		    "inside a transaction", bl->path);
		return -1;
	}
	if (commit) {
		if ((st = store_stmt(bl, STORE_XA_MOVE, cause)) == NULL)
			return -1;
		store_bind_blob(st, 1, xid, strlen(xid));
		if (store_done(st, "queueing a prepared XA transaction",
		    cause) == -1)
			return -1;
		*n = (uint64_t)sqlite3_changes(bl->db);
	}
	if ((st = store_stmt(bl, STORE_XA_DROP, cause)) == NULL)
		return -1;
	store_bind_blob(st, 1, xid, strlen(xid));
	return store_done(st, "forgetting a prepared XA transaction", cause);
}

/*
 * A rollback in a group (docs/BINLOG.md): its row records after seq
 * after are dropped, from the outbox or, xid not NULL, from that
 * prepared XA transaction's; other records stay. In the caller's
 * transaction.
 */
int
baseline_rows_drop(struct baseline *bl, const char *xid, int64_t after,
    uint64_t *n, char **cause)
{
	struct store_stmt	*st;

	*n = 0;
	if (!bl->intxn) {
		*cause = xasprintf("baseline %s: records are dropped only "
		    "inside a transaction", bl->path);
		return -1;
	}
	if ((st = store_stmt(bl, xid != NULL ? STORE_XA_CUT : STORE_OUT_CUT,
	    cause)) == NULL)
		return -1;
	if (xid != NULL) {
		store_bind_blob(st, 1, xid, strlen(xid));
		store_bind_int64(st, 2, after);
	} else
		store_bind_int64(st, 1, after);
	if (store_done(st, "dropping rolled-back records", cause) == -1)
		return -1;
	*n = (uint64_t)sqlite3_changes(bl->db);
	return 0;
}

/*
 * How many row records are queued after seq after up to seq upto, in the
 * outbox or, xid not NULL, kept for that prepared XA transaction.
 */
int
baseline_rows_count(struct baseline *bl, const char *xid, int64_t after,
    int64_t upto, uint64_t *n, char **cause)
{
	struct store_stmt	*st;
	int			 rc, i = 1;

	*n = 0;
	if ((st = store_stmt(bl, xid != NULL ? STORE_XA_RANGE :
	    STORE_OUT_RANGE, cause)) == NULL)
		return -1;
	if (xid != NULL)
		store_bind_blob(st, i++, xid, strlen(xid));
	store_bind_int64(st, i++, after);
	store_bind_int64(st, i, upto);
	if ((rc = store_step(st, "counting records", cause)) != 1)
		return rc;
	*n = (uint64_t)store_int64(st, 0);
	store_reset(st);
	return 0;
}

/* The sequence number of the record just queued or kept. */
int64_t
baseline_last_seq(struct baseline *bl)
{
	return (int64_t)sqlite3_last_insert_rowid(bl->db);
}

/* How many prepared XA transactions have records kept (0: no table). */
int
baseline_xa_count(struct baseline *bl, uint64_t *n, char **cause)
{
	sqlite3_stmt	*st = NULL;
	int		 rc;

	*n = 0;
	if ((rc = baseline_has_table(bl, "follow_xa", cause)) != 1)
		return rc;
	if (sqlite3_prepare_v2(bl->db, "SELECT count(DISTINCT xid) FROM "
	    "follow_xa", -1, &st, NULL) != SQLITE_OK) {
		*cause = baseline_err(bl, "counting prepared XA transactions");
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = (uint64_t)sqlite3_column_int64(st, 0);
	else
		*cause = baseline_err(bl, "counting prepared XA transactions");
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Store the follower's position in the caller's transaction. */
int
baseline_follow_set(struct baseline *bl, const char *file, uint64_t offset,
    const char *gtid, char **cause)
{
	struct store_stmt	*st;

	if (!bl->intxn) {
		*cause = xasprintf("baseline %s: the follow position is "
		    "stored only inside a transaction", bl->path);
		return -1;
	}
	if (*file == '\0' || offset > INT64_MAX) {
		*cause = xasprintf("baseline %s: no follow position to store",
		    bl->path);
		return -1;
	}
	if ((st = store_stmt(bl, STORE_FOLLOW_PUT, cause)) == NULL)
		return -1;
	store_bind_blob(st, 1, file, strlen(file));
	store_bind_int64(st, 2, (int64_t)offset);
	store_bind_blob(st, 3, gtid, strlen(gtid));
	return store_done(st, "storing the follow position", cause);
}

/*
 * The server the follow position was read from (its server_id) and the
 * time stamp of its file's format description (0 when not stored): 1,
 * 0 when no position is stored or it was stored without a server.
 */
int
baseline_follow_server_get(struct baseline *bl, uint64_t *server_id,
    uint64_t *created, char **cause)
{
	struct store_stmt	*st;
	int64_t			 v, c;
	int			 rc;

	if ((st = store_stmt(bl, STORE_FOLLOW_SERVER_GET, cause)) == NULL)
		return -1;
	if ((rc = store_step(st, "reading the follow position", cause)) != 1)
		return rc;
	if (store_isnull(st, 0)) {
		store_reset(st);
		return 0;
	}
	v = store_int64(st, 0);
	c = store_isnull(st, 1) ? 0 : store_int64(st, 1);
	store_reset(st);
	if (v < 0 || v > UINT32_MAX || c < 0 || c > UINT32_MAX) {
		*cause = xasprintf("baseline %s: the follow position's server "
		    "is malformed", bl->path);
		return -1;
	}
	*server_id = (uint64_t)v;
	*created = (uint64_t)c;
	return 1;
}

/* Store the position's server, after baseline_follow_set. */
int
baseline_follow_server_set(struct baseline *bl, uint64_t server_id,
    uint64_t created, char **cause)
{
	struct store_stmt	*st;

	if (!bl->intxn) {
		*cause = xasprintf("baseline %s: the follow position is "
		    "stored only inside a transaction", bl->path);
		return -1;
	}
	if (server_id > UINT32_MAX || created > UINT32_MAX) {
		*cause = xasprintf("baseline %s: no server id to store",
		    bl->path);
		return -1;
	}
	if ((st = store_stmt(bl, STORE_FOLLOW_SERVER_PUT, cause)) == NULL)
		return -1;
	store_bind_int64(st, 1, (int64_t)server_id);
	store_bind_int64(st, 2, (int64_t)created);
	return store_done(st, "storing the follow position", cause);
}

/* Close the baseline; an open transaction is rolled back. */
void
baseline_close(struct baseline *bl)
{
	size_t	 i;

	if (bl == NULL)
		return;
	for (i = 0; i < STORE_MAX; i++)
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

	for (i = 0; i < STORE_MAX; i++) {
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

	for (i = 0; i < STORE_MAX; i++) {
		if (bl->st[i] != NULL)
			sqlite3_reset(bl->st[i]);
	}
	sqlite3_exec(bl->db, "ROLLBACK TO tbl; RELEASE tbl", NULL, NULL,
	    NULL);
}

/* Forget every stored row of a table. */
int
baseline_table_clear(struct baseline *bl, int64_t tid, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = baseline_stmt(bl, STORE_TABLE_CLEAR, cause)) == NULL)
		return -1;
	bind_int64(bl, st, 1, tid);
	if (baseline_done(bl, st, "clearing rows", cause) == -1 ||
	    (st = baseline_stmt(bl, STORE_DELTAS_CLEAR, cause)) == NULL)
		return -1;
	bind_int64(bl, st, 1, tid);
	return baseline_done(bl, st, "clearing rows", cause);
}

/*
 * The byte-level interface of the row cursor (store.h): blocks and deltas
 * of a table, as bytes.
 */
char *
store_malformed(const struct baseline *bl, const char *what)
{
	return xasprintf("baseline %s: malformed row %s (a reset of the table "
	    "makes a new baseline of it)", bl->path, what);
}

/*
 * The bound of the block before the one whose bound is hi: 0 and a copy
 * in *out (the caller frees it; NULL when hi's block is the first).
 */
int
store_block_before(struct baseline *bl, int64_t tid, const void *hi,
    size_t hilen, unsigned char **out, size_t *outlen, char **cause)
{
	sqlite3_stmt	*st;
	const void	*p;
	int		 rc;

	*out = NULL;
	*outlen = 0;
	if ((st = baseline_stmt(bl, STORE_BLOCK_BEFORE, cause)) == NULL)
		return -1;
	bind_int64(bl, st, 1, tid);
	bind_blob(bl, st, 2, hi, hilen);
	if (baseline_bound(bl, st, "reading rows", cause) == -1)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_BLOB) {
			*cause = store_malformed(bl, "block");
			sqlite3_reset(st);
			return -1;
		}
		*outlen = (size_t)sqlite3_column_bytes(st, 0);
		p = sqlite3_column_blob(st, 0);
		*out = (unsigned char *)xmemdup(p != NULL ? p : "", *outlen);
	} else if (rc != SQLITE_DONE) {
		*cause = baseline_err(bl, "reading rows");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

/*
 * Read up to max blocks of table tid with a bound after the key given, in
 * order, into out; *n is how many.
 */
int
store_blocks_next(struct baseline *bl, int64_t tid, const void *after,
    size_t afterlen, int have, struct store_block *out, size_t max,
    size_t *n, char **cause)
{
	struct store_block	*b;
	sqlite3_stmt		*st;
	const void		*p;
	int			 rc = SQLITE_DONE;

	*n = 0;
	if ((st = baseline_stmt(bl, STORE_BLOCKS_NEXT, cause)) == NULL)
		return -1;
	bind_int64(bl, st, 1, tid);
	bind_key(bl, st, 2, after, afterlen, have);
	bind_int64(bl, st, 3, (int64_t)max);
	if (baseline_bound(bl, st, "reading rows", cause) == -1)
		return -1;
	while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_BLOB ||
		    sqlite3_column_type(st, 1) != SQLITE_BLOB) {
			*cause = store_malformed(bl, "block");
			goto fail;
		}
		b = &out[(*n)++];
		b->hilen = (size_t)sqlite3_column_bytes(st, 0);
		p = sqlite3_column_blob(st, 0);
		b->hi = (unsigned char *)xmemdup(p != NULL ? p : "", b->hilen);
		b->len = (size_t)sqlite3_column_bytes(st, 1);
		p = sqlite3_column_blob(st, 1);
		b->data = (unsigned char *)xmemdup(p != NULL ? p : "",
		    b->len);
	}
	if (*n < max && rc != SQLITE_DONE) {
		*cause = baseline_err(bl, "reading rows");
		goto fail;
	}
	sqlite3_reset(st);
	return 0;
fail:
	sqlite3_reset(st);
	while (*n > 0) {
		b = &out[--(*n)];
		free(b->hi);
		free(b->data);
		b->hi = b->data = NULL;
	}
	return -1;
}

/*
 * Write a block of table tid under the bound hi; with replace, over the
 * stored block of that bound, which must be there.
 */
int
store_block_put(struct baseline *bl, int64_t tid, const void *hi,
    size_t hilen, const void *data, size_t len, int replace, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = baseline_stmt(bl, replace ? STORE_BLOCK_SET : STORE_BLOCK_PUT,
	    cause)) == NULL)
		return -1;
	bind_int64(bl, st, 1, tid);
	bind_blob(bl, st, 2, hi, hilen);
	bind_blob(bl, st, 3, data, len);
	if (baseline_done(bl, st, "writing rows", cause) == -1)
		return -1;
	if (replace && sqlite3_changes(bl->db) != 1) {
		*cause = xasprintf("baseline %s: row block vanished", bl->path);
		return -1;
	}
	return 0;
}

/* Remove the block of table tid stored under the bound hi. */
int
store_block_del(struct baseline *bl, int64_t tid, const void *hi,
    size_t hilen, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = baseline_stmt(bl, STORE_BLOCK_DEL, cause)) == NULL)
		return -1;
	bind_int64(bl, st, 1, tid);
	bind_blob(bl, st, 2, hi, hilen);
	return baseline_done(bl, st, "writing rows", cause);
}

/*
 * Read up to max deltas of table tid with a key after the one given, in
 * order, into out; *n is how many.
 */
int
store_deltas_next(struct baseline *bl, int64_t tid, const void *after,
    size_t afterlen, int have, struct store_delta *out, size_t max,
    size_t *n, char **cause)
{
	struct store_delta	*d;
	sqlite3_stmt		*st;
	const void		*key, *dig, *tags;
	size_t			 keylen, taglen;
	int			 rc = SQLITE_DONE;

	*n = 0;
	if ((st = baseline_stmt(bl, STORE_DELTAS_NEXT, cause)) == NULL)
		return -1;
	bind_int64(bl, st, 1, tid);
	bind_key(bl, st, 2, after, afterlen, have);
	bind_int64(bl, st, 3, (int64_t)max);
	if (baseline_bound(bl, st, "reading rows", cause) == -1)
		return -1;
	while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		key = sqlite3_column_blob(st, 0);
		keylen = (size_t)sqlite3_column_bytes(st, 0);
		dig = sqlite3_column_blob(st, 1);
		tags = sqlite3_column_blob(st, 2);
		taglen = (size_t)sqlite3_column_bytes(st, 2);
		if (key == NULL || keylen == 0 ||
		    sqlite3_column_type(st, 0) != SQLITE_BLOB ||
		    (sqlite3_column_type(st, 1) != SQLITE_NULL &&
		    sqlite3_column_bytes(st, 1) != DIFF_DIGEST_LEN)) {
			*cause = store_malformed(bl, "delta");
			goto fail;
		}
		d = &out[(*n)++];
		memset(d, 0, sizeof *d);
		d->own = xmalloc(keylen + DIFF_DIGEST_LEN + taglen + 1);
		memcpy(d->own, key, keylen);
		d->key = d->own;
		d->keylen = keylen;
		if (dig != NULL) {
			memcpy(d->own + keylen, dig, DIFF_DIGEST_LEN);
			d->digest = d->own + keylen;
			if (taglen > 0)
				memcpy(d->own + keylen + DIFF_DIGEST_LEN, tags,
				    taglen);
			d->tags = d->own + keylen + DIFF_DIGEST_LEN;
			d->tagslen = taglen;
		}
	}
	if (*n < max && rc != SQLITE_DONE) {
		*cause = baseline_err(bl, "reading rows");
		goto fail;
	}
	sqlite3_reset(st);
	return 0;
fail:
	sqlite3_reset(st);
	while (*n > 0) {
		d = &out[--(*n)];
		free(d->own);
		d->own = NULL;
	}
	return -1;
}

/* Store one delta of table tid: a row put (digest set) or removed. */
int
store_delta_put(struct baseline *bl, int64_t tid, const void *key,
    size_t keylen, const unsigned char *digest, const void *tags,
    size_t tagslen, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = baseline_stmt(bl, STORE_DELTA_PUT, cause)) == NULL)
		return -1;
	bind_int64(bl, st, 1, tid);
	bind_blob(bl, st, 2, key, keylen);
	if (digest == NULL) {
		bind_null(bl, st, 3);
		bind_null(bl, st, 4);
	} else {
		bind_blob(bl, st, 3, digest, DIFF_DIGEST_LEN);
		bind_blob(bl, st, 4, tags, tagslen);
	}
	return baseline_done(bl, st, "writing rows", cause);
}

/* Remove the deltas of table tid with a key after from, up to to. */
int
store_deltas_del(struct baseline *bl, int64_t tid, const void *from,
    size_t fromlen, int have, const void *to, size_t tolen, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = baseline_stmt(bl, STORE_DELTAS_DEL, cause)) == NULL)
		return -1;
	bind_int64(bl, st, 1, tid);
	bind_key(bl, st, 2, from, fromlen, have);
	bind_blob(bl, st, 3, to, tolen);
	return baseline_done(bl, st, "writing rows", cause);
}

/* Set the connection's length limit; returns the old one (for tests). */
int
store_limit_length(struct baseline *bl, int n)
{
	return sqlite3_limit(bl->db, SQLITE_LIMIT_LENGTH, n);
}

/* Copy a stored file name or note: 0, -1 when it is malformed. */
static int
baseline_recon_str(struct store_stmt *st, int col, char *out, size_t outsz)
{
	const void	*p;
	size_t		 len;

	p = store_blob(st, col, &len);
	if (len >= outsz || (len > 0 && memchr(p, '\0', len) != NULL))
		return -1;
	if (len > 0)
		memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

/*
 * A table's reconciliation state (db/baseline.sql, reconcile): 1 and a
 * copy, 0 when none is stored (or the file has no such table: a
 * read-only open of an older baseline).
 */
int
baseline_recon_get(struct baseline *bl, int64_t tid,
    struct baseline_recon *r, char **cause)
{
	struct store_stmt	*st;
	const void		*mac;
	size_t			 maclen;
	int64_t			 v[6];
	int			 rc, i;

	memset(r, 0, sizeof *r);
	if ((rc = baseline_has_table(bl, "reconcile", cause)) != 1)
		return rc;
	if ((st = store_stmt(bl, STORE_RECON_GET, cause)) == NULL)
		return -1;
	store_bind_int64(st, 1, tid);
	if ((rc = store_step(st, "reading the reconciliation state",
	    cause)) != 1)
		return rc;
	v[0] = store_int64(st, 1);
	v[1] = store_int64(st, 2);
	v[2] = store_int64(st, 3);
	v[3] = store_int64(st, 6);
	v[4] = store_int64(st, 7);
	v[5] = store_int64(st, 8);
	mac = store_blob(st, 4, &maclen);
	rc = 0;
	for (i = 0; i < 6; i++)
		if (v[i] < 0)
			rc = -1;
	if (v[1] > UINT32_MAX || v[2] > UINT32_MAX ||
	    maclen != sizeof r->mac ||
	    baseline_recon_str(st, 0, r->file, sizeof r->file) == -1 ||
	    baseline_recon_str(st, 5, r->from, sizeof r->from) == -1 ||
	    baseline_recon_str(st, 9, r->note, sizeof r->note) == -1)
		rc = -1;
	if (rc == -1) {
		store_reset(st);
		*cause = xasprintf("baseline %s: the reconciliation state of "
		    "table %lld is malformed", bl->path, (long long)tid);
		return -1;
	}
	memcpy(r->mac, mac, sizeof r->mac);
	r->offset = (uint64_t)v[0];
	r->server_id = (uint64_t)v[1];
	r->created = (uint64_t)v[2];
	r->from_offset = (uint64_t)v[3];
	r->at = v[4];
	r->untraced = (uint64_t)v[5];
	store_reset(st);
	return 1;
}

/* Store a table's reconciliation state in the caller's transaction. */
int
baseline_recon_put(struct baseline *bl, int64_t tid,
    const struct baseline_recon *r, char **cause)
{
	struct store_stmt	*st;

	if (!bl->intxn) {
		*cause = xasprintf("baseline %s: the reconciliation state is "
		    "stored only inside a transaction", bl->path);
		return -1;
	}
	if (r->offset > INT64_MAX || r->from_offset > INT64_MAX ||
	    r->untraced > INT64_MAX || r->server_id > UINT32_MAX ||
	    r->created > UINT32_MAX) {
		*cause = xasprintf("baseline %s: no reconciliation state to "
		    "store", bl->path);
		return -1;
	}
	if ((st = store_stmt(bl, STORE_RECON_PUT, cause)) == NULL)
		return -1;
	store_bind_int64(st, 1, tid);
	store_bind_blob(st, 2, r->file, strlen(r->file));
	store_bind_int64(st, 3, (int64_t)r->offset);
	store_bind_int64(st, 4, (int64_t)r->server_id);
	store_bind_int64(st, 5, (int64_t)r->created);
	store_bind_blob(st, 6, r->mac, sizeof r->mac);
	store_bind_blob(st, 7, r->from, strlen(r->from));
	store_bind_int64(st, 8, (int64_t)r->from_offset);
	store_bind_int64(st, 9, r->at);
	store_bind_int64(st, 10, (int64_t)r->untraced);
	store_bind_blob(st, 11, r->note, strlen(r->note));
	return store_done(st, "storing the reconciliation state", cause);
}

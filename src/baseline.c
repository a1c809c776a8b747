/* The baseline store: an SQLite file of keyed row digests and the outbox. */
#include "config.h"

#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

#define BASELINE_FORMAT		4
#define BASELINE_FORMAT_BLOCKS	3	/* older encodings only: marked 4 */
#define BASELINE_FORMAT_OLD	2	/* one row per row: converted */
#define BASELINE_APPID		0x44425343	/* "DBSC" */

/*
 * Row blocks: a block aims at BLOCK_TARGET bytes of encoded rows (one 4 KiB
 * page of SQLite) and is cut into blocks of about that size when it grows
 * past twice as much. Blocks are read BLOCK_BATCH at a time.
 */
#define BLOCK_VERSION		1
#define BLOCK_TARGET		3800
#define BLOCK_BATCH		32

/*
 * Deltas: a few changes to a block are stored as rows of their own (a put,
 * or a removal) instead of rewriting the block; a block is rewritten with
 * its deltas once it has DELTA_MAX of them. Deltas are read DELTA_BATCH at
 * a time.
 */
#define DELTA_MAX		8
#define DELTA_BATCH		256

static const char baseline_schema_sql[] =
#include "schema_sql.h"
;

enum stmt {
	ST_TABLE_GET,
	ST_TABLE_INS,
	ST_TABLE_UPD,
	ST_TABLE_CLEAR,
	ST_TABLES_ALL,
	ST_BLOCKS_NEXT,
	ST_CHUNKS_GET,
	ST_CHUNKS_CLEAR,
	ST_CHUNK_PUT,
	ST_BLOCK_PUT,
	ST_BLOCK_SET,
	ST_BLOCK_DEL,
	ST_DELTAS_NEXT,
	ST_DELTA_PUT,
	ST_DELTAS_DEL,
	ST_DELTAS_CLEAR,
	ST_OUT_ADD,
	ST_OUT_COUNTS,
	ST_OUT_FETCH,
	ST_OUT_ACK,
	ST_OUT_LAST,
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
	[ST_TABLE_CLEAR] = "DELETE FROM blocks WHERE tid = ?1",
	[ST_TABLES_ALL] = "SELECT db, name, tid, schema, fingerprint, nrows, "
	    "state, last_scan, mac, chunk FROM tables ORDER BY db, name",
	[ST_BLOCKS_NEXT] = "SELECT hi, data FROM blocks WHERE tid = ?1 "
	    "AND hi > ?2 ORDER BY hi LIMIT ?3",
	[ST_CHUNKS_GET] = "SELECT n, hi, nrows, agg, mac FROM chunks "
	    "WHERE tid = ?1 ORDER BY n",
	[ST_CHUNKS_CLEAR] = "DELETE FROM chunks WHERE tid = ?1",
	[ST_CHUNK_PUT] = "INSERT INTO chunks (tid, n, hi, nrows, agg, mac) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (tid, n) DO UPDATE "
	    "SET hi = excluded.hi, nrows = excluded.nrows, agg = excluded.agg, "
	    "mac = excluded.mac",
	[ST_BLOCK_PUT] = "INSERT INTO blocks (tid, hi, data) "
	    "VALUES (?1, ?2, ?3)",
	[ST_BLOCK_SET] = "UPDATE blocks SET data = ?3 WHERE tid = ?1 AND hi = ?2",
	[ST_BLOCK_DEL] = "DELETE FROM blocks WHERE tid = ?1 AND hi = ?2",
	[ST_DELTAS_NEXT] = "SELECT pk, digest, tags FROM deltas WHERE tid = ?1 "
	    "AND pk > ?2 ORDER BY pk LIMIT ?3",
	[ST_DELTA_PUT] = "INSERT OR REPLACE INTO deltas (tid, pk, digest, tags) "
	    "VALUES (?1, ?2, ?3, ?4)",
	[ST_DELTAS_DEL] = "DELETE FROM deltas WHERE tid = ?1 AND pk > ?2 "
	    "AND pk <= ?3",
	[ST_DELTAS_CLEAR] = "DELETE FROM deltas WHERE tid = ?1",
	[ST_OUT_ADD] = "INSERT INTO outbox (op, body) VALUES (?1, ?2)",
	[ST_OUT_COUNTS] = "SELECT op, count(*) FROM outbox WHERE seq > ?1 "
	    "GROUP BY op",
	[ST_OUT_FETCH] = "SELECT seq, op, body FROM outbox WHERE seq > ?1 "
	    "ORDER BY seq LIMIT ?2",
	[ST_OUT_ACK] = "DELETE FROM outbox WHERE seq <= ?1",
	[ST_OUT_LAST] = "SELECT coalesce(max(seq), 0) FROM outbox",
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
	int		 format;
};

/* A row of the block in hand; own is set when the row's bytes are ours. */
struct brow {
	const unsigned char	*key;
	size_t			 keylen;
	const unsigned char	*digest;	/* DIFF_DIGEST_LEN bytes */
	const unsigned char	*tags;
	size_t			 tagslen;
	unsigned char		*own;
};

/* A delta read ahead; digest NULL: the row is removed. One allocation. */
struct dread {
	unsigned char		*own;
	const unsigned char	*key;
	size_t			 keylen;
	const unsigned char	*digest;
	const unsigned char	*tags;
	size_t			 tagslen;
};

/* A change made through the cursor to the block in hand. */
struct bchange {
	unsigned char		*key;
	size_t			 keylen;
	int			 removed;
};

/* A block read ahead: its stored bound and its bytes. */
struct bread {
	unsigned char		*hi;
	size_t			 hilen;
	unsigned char		*data;
	size_t			 len;
};

/*
 * A cursor holds one block of the table in hand, parsed into rows, and
 * applies the diff's changes to it (baseline_cursor_put, _del); the block
 * is written back when the cursor moves past it or finishes, cut or spilt
 * so that no block grows without bound.
 */
struct baseline_cursor {
	struct baseline		*bl;
	int64_t			 tid;
	struct buf		 lo;		/* rows up to lo are skipped */
	int			 have_lo;
	struct buf		 hi;		/* rows after hi end the range */
	int			 have_hi;
	int			 end;		/* the range is done */

	struct bread		 ahead[BLOCK_BATCH];
	size_t			 nahead, nextahead;
	struct buf		 seek;		/* read blocks with hi > seek */
	int			 have_seek;
	int			 nomore;	/* no block after those ahead */

	struct dread		 dahead[DELTA_BATCH];
	size_t			 ndahead, nextdahead;
	struct buf		 dseek;		/* read deltas with pk > dseek */
	int			 have_dseek;
	int			 dnomore;
	struct buf		 dpos;		/* deltas up to here are taken */
	int			 have_dpos;

	int			 have_cur;
	unsigned char		*curdata;	/* bytes the rows point into */
	struct brow		*rows;
	size_t			 nrows, allocrows;
	size_t			 pos;		/* next row to return */
	size_t			 bytes;		/* encoded size of the rows */
	struct buf		 stored;	/* bound it is stored under */
	int			 is_stored;
	int			 dirty;
	int			 rewrite;	/* store it whole, not as deltas */
	size_t			 ndeltas;	/* its deltas, applied */
	struct buf		 dfrom;		/* they lie after dfrom ... */
	int			 have_dfrom;	/* ... (none: from the first) */
	struct bchange		*chg;		/* changes made to it */
	size_t			 nchg, allocchg;
	unsigned char		**grave;	/* rows freed at the next call */
	size_t			 ngrave, allocgrave;
	struct buf		 enc;		/* encoding scratch */
	struct buf		 done;		/* last key put or deleted */
	int			 have_done;
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
	/*
	 * Any descriptor holds a flock(2), a read-only one too: nobody else
	 * may open the lock file at all.
	 */
	fd = util_open(lpath, O_RDWR | O_CREAT, 0600, UTIL_SECRET, cause);
	if (fd == -1) {
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

/*
 * The files SQLite opens by name next to the baseline: a hot journal
 * planted there would be rolled back into it. The directory check makes
 * new ones ours; an old one must be ours too.
 */
static int
baseline_check_side(const char *path, char **cause)
{
	static const char	*const sfx[] = { "-journal", "-wal", "-shm" };
	char			*p;
	size_t			 i;
	int			 r = 0;

	for (i = 0; i < sizeof sfx / sizeof sfx[0] && r != -1; i++) {
		p = xasprintf("%s%s", path, sfx[i]);
		r = util_check_path(p, UTIL_MAYBE, cause);
		free(p);
	}
	return r == -1 ? -1 : 0;
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
	if (baseline_done(bl, st, "clearing rows", cause) == -1 ||
	    (st = baseline_stmt(bl, ST_DELTAS_CLEAR, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, tid);
	return baseline_done(bl, st, "clearing rows", cause);
}

/*
 * Row blocks. A block is a version byte and its rows in strictly
 * increasing key order, each as: LEB128 key length, key, DIFF_DIGEST_LEN
 * bytes of digest, LEB128 tags length, tags. It is stored under the key
 * of its last row.
 */
static size_t
block_varlen(size_t v)
{
	size_t	 n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static int
block_putvar(struct buf *b, size_t v)
{
	unsigned char	 p[10];
	size_t		 n = 0;

	do {
		p[n] = v & 0x7f;
		v >>= 7;
		if (v != 0)
			p[n] |= 0x80;
		n++;
	} while (v != 0);
	return buf_add(b, p, n);
}

/* Read a length of at most 32 bits; -1 when it runs past end. */
static int
block_getvar(const unsigned char **p, const unsigned char *end, size_t *out)
{
	uint64_t	 v = 0;
	int		 shift;

	for (shift = 0; shift < 35 && *p < end; shift += 7) {
		v |= (uint64_t)(**p & 0x7f) << shift;
		if ((*(*p)++ & 0x80) == 0) {
			if (v > 0xffffffffU)
				return -1;
			*out = (size_t)v;
			return 0;
		}
	}
	return -1;
}

static size_t	 cursor_find(const struct baseline_cursor *,
		    const unsigned char *, size_t, int *);

static size_t
brow_bytes(const struct brow *r)
{
	return block_varlen(r->keylen) + r->keylen + DIFF_DIGEST_LEN +
	    block_varlen(r->tagslen) + r->tagslen;
}

static void
brow_push(struct baseline_cursor *c, size_t at, const struct brow *r)
{
	if (c->nrows == c->allocrows) {
		c->allocrows = c->allocrows == 0 ? 64 : c->allocrows * 2;
		c->rows = xreallocarray(c->rows, c->allocrows,
		    sizeof *c->rows);
	}
	memmove(c->rows + at + 1, c->rows + at,
	    (c->nrows - at) * sizeof *c->rows);
	c->rows[at] = *r;
	c->nrows++;
	c->bytes += brow_bytes(r);
}

static void
brow_remove(struct baseline_cursor *c, size_t at, size_t n)
{
	size_t	 i;

	if (n == 0)
		return;
	for (i = at; i < at + n; i++) {
		c->bytes -= brow_bytes(&c->rows[i]);
		free(c->rows[i].own);
	}
	memmove(c->rows + at, c->rows + at + n,
	    (c->nrows - at - n) * sizeof *c->rows);
	c->nrows -= n;
}

/*
 * Remove one row whose bytes the caller may still be reading (the diff's
 * old row): they are freed at the next call on the cursor.
 */
static void
brow_bury(struct baseline_cursor *c, size_t at)
{
	if (c->rows[at].own != NULL) {
		if (c->ngrave == c->allocgrave) {
			c->allocgrave = c->allocgrave == 0 ? 4 :
			    c->allocgrave * 2;
			c->grave = xreallocarray(c->grave, c->allocgrave,
			    sizeof *c->grave);
		}
		c->grave[c->ngrave++] = c->rows[at].own;
		c->rows[at].own = NULL;
	}
	brow_remove(c, at, 1);
}

static void
cursor_unbury(struct baseline_cursor *c)
{
	while (c->ngrave > 0)
		free(c->grave[--c->ngrave]);
}

/* The error for stored rows that do not parse. */
static char *
cursor_malformed(const struct baseline_cursor *c, const char *what)
{
	return xasprintf("baseline %s: malformed row %s (a reset of the table "
	    "makes a new baseline of it)", c->bl->path, what);
}

/* Parse a stored block into the rows in hand. */
static int
cursor_parse(struct baseline_cursor *c, const unsigned char *data,
    size_t len, const unsigned char *hi, size_t hilen, char **cause)
{
	const unsigned char	*p = data, *end = data + len;
	const struct brow	*prev;
	struct brow		 r;

	if (len < 1 || *p++ != BLOCK_VERSION)
		goto bad;
	while (p < end) {
		memset(&r, 0, sizeof r);
		if (block_getvar(&p, end, &r.keylen) == -1 || r.keylen == 0 ||
		    r.keylen > (size_t)(end - p))
			goto bad;
		r.key = p;
		p += r.keylen;
		if ((size_t)(end - p) < DIFF_DIGEST_LEN)
			goto bad;
		r.digest = p;
		p += DIFF_DIGEST_LEN;
		if (block_getvar(&p, end, &r.tagslen) == -1 ||
		    r.tagslen > (size_t)(end - p))
			goto bad;
		r.tags = p;
		p += r.tagslen;
		prev = c->nrows > 0 ? &c->rows[c->nrows - 1] : NULL;
		if (prev != NULL && diff_keycmp(prev->key, prev->keylen, r.key,
		    r.keylen) >= 0)
			goto bad;
		brow_push(c, c->nrows, &r);
	}
	prev = c->nrows > 0 ? &c->rows[c->nrows - 1] : NULL;
	if (prev == NULL ||
	    diff_keycmp(prev->key, prev->keylen, hi, hilen) != 0)
		goto bad;
	return 0;
bad:
	*cause = cursor_malformed(c, "block");
	return -1;
}

static int
cursor_setkey(struct buf *b, const void *key, size_t keylen, char **cause)
{
	buf_reset(b);
	if (buf_add(b, key, keylen) == -1) {
		*cause = xstrdup("out of memory");
		return -1;
	}
	return 0;
}

/* Raise the bound b (unset: have is 0) to key when key is greater. */
static int
cursor_raise(struct buf *b, int *have, const unsigned char *key,
    size_t keylen, char **cause)
{
	if (*have && diff_keycmp(key, keylen, (const unsigned char *)b->data,
	    b->len) <= 0)
		return 0;
	if (cursor_setkey(b, key, keylen, cause) == -1)
		return -1;
	*have = 1;
	return 0;
}

/* Bind the key b as parameter n, or the empty key (below every key). */
static void
cursor_bind_key(sqlite3_stmt *st, int n, const struct buf *b, int have)
{
	if (have)
		sqlite3_bind_blob(st, n, b->data, (int)b->len, SQLITE_STATIC);
	else
		sqlite3_bind_zeroblob(st, n, 0);
}

/* Read the next blocks ahead, unless some are left or none follow. */
static int
cursor_ahead(struct baseline_cursor *c, char **cause)
{
	struct bread	*b;
	sqlite3_stmt	*st;
	const void	*p;
	int		 rc;

	if (c->nextahead < c->nahead || c->nomore)
		return 0;
	c->nahead = c->nextahead = 0;
	if ((st = baseline_stmt(c->bl, ST_BLOCKS_NEXT, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, c->tid);
	cursor_bind_key(st, 2, &c->seek, c->have_seek);
	sqlite3_bind_int(st, 3, BLOCK_BATCH);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		b = &c->ahead[c->nahead++];
		if (sqlite3_column_type(st, 0) != SQLITE_BLOB ||
		    sqlite3_column_type(st, 1) != SQLITE_BLOB) {
			*cause = cursor_malformed(c, "block");
			sqlite3_reset(st);
			return -1;
		}
		b->hilen = (size_t)sqlite3_column_bytes(st, 0);
		p = sqlite3_column_blob(st, 0);
		b->hi = (unsigned char *)xmemdup(p != NULL ? p : "", b->hilen);
		b->len = (size_t)sqlite3_column_bytes(st, 1);
		p = sqlite3_column_blob(st, 1);
		b->data = (unsigned char *)xmemdup(p != NULL ? p : "",
		    b->len);
	}
	if (rc != SQLITE_DONE) {
		*cause = baseline_err(c->bl, "reading rows");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	if (c->nahead < BLOCK_BATCH)
		c->nomore = 1;
	if (c->nahead > 0) {
		b = &c->ahead[c->nahead - 1];
		return cursor_raise(&c->seek, &c->have_seek, b->hi, b->hilen,
		    cause);
	}
	return 0;
}

/* Read the next deltas ahead, unless some are left or none follow. */
static int
cursor_dahead(struct baseline_cursor *c, char **cause)
{
	struct dread	*d;
	sqlite3_stmt	*st;
	const void	*key, *dig, *tags;
	size_t		 keylen, taglen;
	int		 rc;

	if (c->nextdahead < c->ndahead || c->dnomore)
		return 0;
	c->ndahead = c->nextdahead = 0;
	if ((st = baseline_stmt(c->bl, ST_DELTAS_NEXT, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, c->tid);
	cursor_bind_key(st, 2, &c->dseek, c->have_dseek);
	sqlite3_bind_int(st, 3, DELTA_BATCH);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		key = sqlite3_column_blob(st, 0);
		keylen = (size_t)sqlite3_column_bytes(st, 0);
		dig = sqlite3_column_blob(st, 1);
		tags = sqlite3_column_blob(st, 2);
		taglen = (size_t)sqlite3_column_bytes(st, 2);
		if (key == NULL || keylen == 0 ||
		    sqlite3_column_type(st, 0) != SQLITE_BLOB ||
		    (sqlite3_column_type(st, 1) != SQLITE_NULL &&
		    sqlite3_column_bytes(st, 1) != DIFF_DIGEST_LEN)) {
			*cause = cursor_malformed(c, "delta");
			sqlite3_reset(st);
			return -1;
		}
		d = &c->dahead[c->ndahead++];
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
	if (rc != SQLITE_DONE) {
		*cause = baseline_err(c->bl, "reading rows");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	if (c->ndahead < DELTA_BATCH)
		c->dnomore = 1;
	if (c->ndahead > 0) {
		d = &c->dahead[c->ndahead - 1];
		if (cursor_setkey(&c->dseek, d->key, d->keylen, cause) == -1)
			return -1;
		c->have_dseek = 1;
	}
	return 0;
}

/*
 * Apply the deltas up to the bound of the block just taken in hand: the
 * rows in hand are then the table's rows in the block's range.
 */
static int
cursor_deltas(struct baseline_cursor *c, char **cause)
{
	struct dread	*d;
	struct brow	 r;
	size_t		 at;
	int		 exact;

	c->ndeltas = 0;
	c->have_dfrom = c->have_dpos;
	if (c->have_dpos && cursor_setkey(&c->dfrom, c->dpos.data,
	    c->dpos.len, cause) == -1)
		return -1;
	for (;;) {
		if (cursor_dahead(c, cause) == -1)
			return -1;
		if (c->nextdahead == c->ndahead)
			break;
		d = &c->dahead[c->nextdahead];
		if (diff_keycmp(d->key, d->keylen,
		    (const unsigned char *)c->stored.data, c->stored.len) > 0)
			break;
		c->nextdahead++;
		c->ndeltas++;
		at = cursor_find(c, d->key, d->keylen, &exact);
		if (exact)
			brow_remove(c, at, 1);
		if (d->digest == NULL) {
			free(d->own);
		} else {
			memset(&r, 0, sizeof r);
			r.key = d->key;
			r.keylen = d->keylen;
			r.digest = d->digest;
			r.tags = d->tags;
			r.tagslen = d->tagslen;
			r.own = d->own;
			brow_push(c, at, &r);
		}
		d->own = NULL;
	}
	c->have_dpos = 1;
	return cursor_setkey(&c->dpos, c->stored.data, c->stored.len, cause);
}

/* Store one delta: a row put (row) or removed (NULL). */
static int
cursor_delta(struct baseline_cursor *c, const unsigned char *key,
    size_t keylen, const struct brow *row, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = baseline_stmt(c->bl, ST_DELTA_PUT, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, c->tid);
	sqlite3_bind_blob(st, 2, key, (int)keylen, SQLITE_STATIC);
	if (row == NULL) {
		sqlite3_bind_null(st, 3);
		sqlite3_bind_null(st, 4);
	} else {
		sqlite3_bind_blob(st, 3, row->digest, DIFF_DIGEST_LEN,
		    SQLITE_STATIC);
		sqlite3_bind_blob(st, 4, row->tags != NULL ? row->tags :
		    (const unsigned char *)"", (int)row->tagslen,
		    SQLITE_STATIC);
	}
	return baseline_done(c->bl, st, "writing rows", cause);
}

/* Store the changes made to the block in hand as deltas. */
static int
cursor_put_deltas(struct baseline_cursor *c, char **cause)
{
	const struct bchange	*ch;
	size_t			 i, at;
	int			 exact;

	for (i = 0; i < c->nchg; i++) {
		ch = &c->chg[i];
		if (ch->removed) {
			if (cursor_delta(c, ch->key, ch->keylen, NULL,
			    cause) == -1)
				return -1;
			continue;
		}
		at = cursor_find(c, ch->key, ch->keylen, &exact);
		if (!exact) {
			*cause = xstrdup("baseline: a changed row vanished");
			return -1;
		}
		if (cursor_delta(c, ch->key, ch->keylen, &c->rows[at],
		    cause) == -1)
			return -1;
	}
	return 0;
}

/* Remove the deltas applied to the block in hand: it is stored whole. */
static int
cursor_clear_deltas(struct baseline_cursor *c, char **cause)
{
	sqlite3_stmt	*st;

	if (c->ndeltas == 0)
		return 0;
	if ((st = baseline_stmt(c->bl, ST_DELTAS_DEL, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, c->tid);
	cursor_bind_key(st, 2, &c->dfrom, c->have_dfrom);
	sqlite3_bind_blob(st, 3, c->stored.data, (int)c->stored.len,
	    SQLITE_STATIC);
	if (baseline_done(c->bl, st, "writing rows", cause) == -1)
		return -1;
	c->ndeltas = 0;
	return 0;
}

/*
 * Write rows [from, to) as one block under the key of the last; with
 * replace, over the stored block of that bound (in place: its page and
 * index entry stay where they are).
 */
static int
cursor_write(struct baseline_cursor *c, size_t from, size_t to, int replace,
    char **cause)
{
	const struct brow	*r, *last = &c->rows[to - 1];
	struct buf		*b = &c->enc;
	sqlite3_stmt		*st;
	size_t			 i;

	buf_reset(b);
	if (buf_addc(b, BLOCK_VERSION) == -1)
		goto nomem;
	for (i = from; i < to; i++) {
		r = &c->rows[i];
		if (block_putvar(b, r->keylen) == -1 ||
		    buf_add(b, r->key, r->keylen) == -1 ||
		    buf_add(b, r->digest, DIFF_DIGEST_LEN) == -1 ||
		    block_putvar(b, r->tagslen) == -1 ||
		    (r->tagslen > 0 && buf_add(b, r->tags, r->tagslen) == -1))
			goto nomem;
	}
	if (b->len > INT_MAX || last->keylen > INT_MAX)
		goto nomem;
	if ((st = baseline_stmt(c->bl, replace ? ST_BLOCK_SET : ST_BLOCK_PUT,
	    cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, c->tid);
	sqlite3_bind_blob(st, 2, last->key, (int)last->keylen, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, b->data, (int)b->len, SQLITE_STATIC);
	if (baseline_done(c->bl, st, "writing rows", cause) == -1)
		return -1;
	if (replace && sqlite3_changes(c->bl->db) != 1) {
		*cause = xasprintf("baseline %s: row block vanished",
		    c->bl->path);
		return -1;
	}
	/* Never read back what was written. */
	return cursor_raise(&c->seek, &c->have_seek, last->key, last->keylen,
	    cause);
nomem:
	*cause = xstrdup("out of memory writing the baseline");
	return -1;
}

/* Remove the stored copy of the block in hand. */
static int
cursor_unstore(struct baseline_cursor *c, char **cause)
{
	sqlite3_stmt	*st;

	if (!c->is_stored)
		return 0;
	if ((st = baseline_stmt(c->bl, ST_BLOCK_DEL, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, c->tid);
	sqlite3_bind_blob(st, 2, c->stored.data, (int)c->stored.len,
	    SQLITE_STATIC);
	if (baseline_done(c->bl, st, "writing rows", cause) == -1)
		return -1;
	c->is_stored = 0;
	return 0;
}

/*
 * Let go of the block in hand; when changed (and write is set), store it
 * first, cut into blocks of about BLOCK_TARGET bytes when it grew past
 * twice that.
 */
static int
cursor_drop(struct baseline_cursor *c, int write, char **cause)
{
	const struct brow	*last;
	size_t			 m, per, acc = 0, start = 0, i;
	int			 beyond;

	if (write && c->have_cur && (c->dirty || c->ndeltas >= DELTA_MAX)) {
		m = 1;
		if (c->bytes > 2 * BLOCK_TARGET)
			m = (c->bytes + BLOCK_TARGET - 1) / BLOCK_TARGET;
		last = c->nrows > 0 ? &c->rows[c->nrows - 1] : NULL;
		beyond = last != NULL && c->is_stored &&
		    diff_keycmp(last->key, last->keylen,
		    (const unsigned char *)c->stored.data, c->stored.len) > 0;
		if (c->is_stored && m == 1 && last != NULL && !beyond &&
		    c->ndeltas + c->nchg < DELTA_MAX) {
			/* A few changes: kept as deltas, the block as is. */
			if (cursor_put_deltas(c, cause) == -1)
				return -1;
			goto done;
		}
		if (cursor_clear_deltas(c, cause) == -1)
			return -1;
		if (m == 1 && last != NULL && c->is_stored &&
		    diff_keycmp(last->key, last->keylen,
		    (const unsigned char *)c->stored.data, c->stored.len) == 0) {
			/* Same bound: rewritten where it is. */
			if (cursor_write(c, 0, c->nrows, 1, cause) == -1)
				return -1;
			goto done;
		}
		if (cursor_unstore(c, cause) == -1)
			return -1;
		per = c->bytes / m;
		for (i = 0; i < c->nrows; i++) {
			acc += brow_bytes(&c->rows[i]);
			if (i + 1 < c->nrows && (m == 1 || acc < per))
				continue;
			if (cursor_write(c, start, i + 1, 0, cause) == -1)
				return -1;
			start = i + 1;
			acc = 0;
			if (m > 1)
				m--;
		}
	}
done:
	brow_remove(c, 0, c->nrows);
	free(c->curdata);
	c->curdata = NULL;
	c->have_cur = c->is_stored = c->dirty = 0;
	c->pos = 0;
	c->ndeltas = 0;
	while (c->nchg > 0)
		free(c->chg[--c->nchg].key);
	return 0;
}

/* Take the next block in hand: 1, or 0 when there is none. */
static int
cursor_load(struct baseline_cursor *c, char **cause)
{
	struct bread	*b;
	const struct brow *r;

	if (cursor_ahead(c, cause) == -1)
		return -1;
	if (c->nextahead == c->nahead)
		return 0;
	b = &c->ahead[c->nextahead++];
	c->curdata = b->data;
	b->data = NULL;
	c->have_cur = 1;
	c->is_stored = 1;
	if (cursor_setkey(&c->stored, b->hi, b->hilen, cause) == -1 ||
	    cursor_parse(c, c->curdata, b->len, b->hi, b->hilen, cause) == -1) {
		free(b->hi);
		b->hi = NULL;
		return -1;
	}
	free(b->hi);
	b->hi = NULL;
	if (cursor_deltas(c, cause) == -1)
		return -1;
	/* Rows up to lo are not the cursor's: step over them now. */
	while (c->have_lo && c->pos < c->nrows) {
		r = &c->rows[c->pos];
		if (diff_keycmp(r->key, r->keylen,
		    (const unsigned char *)c->lo.data, c->lo.len) > 0) {
			c->have_lo = 0;
			break;
		}
		c->pos++;
	}
	return 1;
}

/*
 * A cursor over the stored rows of a table in key order, from after lo to
 * hi inclusive (NULL: from the first, to the last), through which the
 * rows are also changed (baseline_cursor_put, _del); the changes are
 * stored by baseline_cursor_finish.
 */
struct baseline_cursor *
baseline_cursor(struct baseline *bl, int64_t tid, const void *lo,
    size_t lolen, const void *hi, size_t hilen)
{
	struct baseline_cursor	*c;

	c = xcalloc(1, sizeof *c);
	c->bl = bl;
	c->tid = tid;
	buf_init(&c->lo, BUF_NOCAP);
	buf_init(&c->hi, BUF_NOCAP);
	buf_init(&c->seek, BUF_NOCAP);
	buf_init(&c->stored, BUF_NOCAP);
	buf_init(&c->enc, BUF_NOCAP);
	buf_init(&c->done, BUF_NOCAP);
	buf_init(&c->dseek, BUF_NOCAP);
	buf_init(&c->dpos, BUF_NOCAP);
	buf_init(&c->dfrom, BUF_NOCAP);
	if (lo != NULL) {
		if (buf_add(&c->lo, lo, lolen) == -1 ||
		    buf_add(&c->seek, lo, lolen) == -1 ||
		    buf_add(&c->dseek, lo, lolen) == -1 ||
		    buf_add(&c->dpos, lo, lolen) == -1)
			c->end = 1;
		c->have_lo = c->have_seek = c->have_dseek = c->have_dpos = 1;
	}
	if (hi != NULL) {
		if (buf_add(&c->hi, hi, hilen) == -1)
			c->end = 1;
		c->have_hi = 1;
	}
	return c;
}

/* Free a cursor; changes not yet stored are lost. */
void
baseline_cursor_free(struct baseline_cursor *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nahead; i++) {
		free(c->ahead[i].hi);
		free(c->ahead[i].data);
	}
	for (i = 0; i < c->ndahead; i++)
		free(c->dahead[i].own);
	brow_remove(c, 0, c->nrows);
	free(c->rows);
	cursor_unbury(c);
	free(c->grave);
	while (c->nchg > 0)
		free(c->chg[--c->nchg].key);
	free(c->chg);
	buf_free(&c->dseek);
	buf_free(&c->dpos);
	buf_free(&c->dfrom);
	free(c->curdata);
	buf_free(&c->lo);
	buf_free(&c->hi);
	buf_free(&c->seek);
	buf_free(&c->stored);
	buf_free(&c->enc);
	buf_free(&c->done);
	free(c);
}

/* The next stored row: 1 and the row, 0 at the end, -1 on error. */
int
baseline_cursor_next(struct baseline_cursor *c, struct diff_row *out,
    char **cause)
{
	const struct brow	*r;
	int			 rc;

	cursor_unbury(c);
	while (!c->end) {
		if (!c->have_cur) {
			if ((rc = cursor_load(c, cause)) == -1)
				return -1;
			if (rc == 0)
				break;
			continue;
		}
		if (c->pos < c->nrows) {
			r = &c->rows[c->pos];
			if (c->have_hi && diff_keycmp(r->key, r->keylen,
			    (const unsigned char *)c->hi.data, c->hi.len) > 0)
				break;
			c->pos++;
			out->key = r->key;
			out->keylen = r->keylen;
			out->digest = r->digest;
			out->tags = r->tags;
			out->tagslen = r->tagslen;
			return 1;
		}
		/* Done with the block in hand; keep the last for puts. */
		if (cursor_ahead(c, cause) == -1)
			return -1;
		if (c->nextahead == c->nahead)
			break;
		if (cursor_drop(c, 1, cause) == -1)
			return -1;
	}
	c->end = 1;
	return 0;
}

/* Where key goes in the block in hand; *exact when it is there. */
static size_t
cursor_find(const struct baseline_cursor *c, const unsigned char *key,
    size_t keylen, int *exact)
{
	size_t	 lo = 0, hi = c->nrows, mid;
	int	 cmp;

	*exact = 0;
	if (c->nrows > 0 && diff_keycmp(c->rows[c->nrows - 1].key,
	    c->rows[c->nrows - 1].keylen, key, keylen) < 0)
		return c->nrows;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		cmp = diff_keycmp(c->rows[mid].key, c->rows[mid].keylen, key,
		    keylen);
		if (cmp == 0) {
			*exact = 1;
			return mid;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Write the rows before end, which no later change can touch, as blocks of
 * BLOCK_TARGET bytes; the few left over stay in hand.
 */
static int
cursor_spill(struct baseline_cursor *c, size_t end, char **cause)
{
	size_t	 start = 0, acc = 0, i;

	if (cursor_unstore(c, cause) == -1)
		return -1;
	for (i = 0; i < end; i++) {
		acc += brow_bytes(&c->rows[i]);
		if (acc < BLOCK_TARGET)
			continue;
		if (cursor_write(c, start, i + 1, 0, cause) == -1)
			return -1;
		start = i + 1;
		acc = 0;
	}
	brow_remove(c, 0, start);
	c->pos -= start;
	return 0;
}

/*
 * Remember a change to the block in hand, to be stored as a delta; past
 * DELTA_MAX the block is rewritten whole and the list is not needed.
 */
static void
cursor_note(struct baseline_cursor *c, const unsigned char *key,
    size_t keylen, int removed)
{
	struct bchange	*ch;

	if (!c->is_stored || c->ndeltas + c->nchg >= DELTA_MAX)
		return;
	if (c->nchg == c->allocchg) {
		c->allocchg = c->allocchg == 0 ? DELTA_MAX : c->allocchg * 2;
		c->chg = xreallocarray(c->chg, c->allocchg, sizeof *c->chg);
	}
	ch = &c->chg[c->nchg++];
	ch->key = (unsigned char *)xmemdup(key, keylen);
	ch->keylen = keylen;
	ch->removed = removed;
}

/* Changes come in strictly increasing key order; note this one's key. */
static int
cursor_order(struct baseline_cursor *c, const unsigned char *key,
    size_t keylen, char **cause)
{
	if (keylen == 0 || (c->have_done && diff_keycmp(key, keylen,
	    (const unsigned char *)c->done.data, c->done.len) <= 0)) {
		*cause = xstrdup("baseline: rows stored out of order");
		return -1;
	}
	if (cursor_setkey(&c->done, key, keylen, cause) == -1)
		return -1;
	c->have_done = 1;
	return 0;
}

/*
 * Store (insert or replace) one row. Rows are put and deleted in key
 * order, each after the cursor has returned the stored rows before it.
 */
int
baseline_cursor_put(struct baseline_cursor *c, const struct diff_row *row,
    char **cause)
{
	struct brow	 r;
	size_t		 at;
	int		 exact, rc;

	cursor_unbury(c);
	if (!c->have_cur) {
		if ((rc = cursor_load(c, cause)) == -1)
			return -1;
		if (rc == 0)
			c->have_cur = 1;	/* a new, empty block */
	}
	if (cursor_order(c, row->key, row->keylen, cause) == -1)
		return -1;
	memset(&r, 0, sizeof r);
	if (c->have_cur && c->have_dfrom && diff_keycmp(row->key, row->keylen,
	    (const unsigned char *)c->dfrom.data, c->dfrom.len) <= 0) {
		/*
		 * A new row in the range of the block before (whose last
		 * rows were removed), which is done with: a delta of it.
		 */
		r.digest = row->digest;
		r.tags = row->tags;
		r.tagslen = row->tagslen;
		return cursor_delta(c, row->key, row->keylen, &r, cause);
	}
	at = cursor_find(c, row->key, row->keylen, &exact);
	if ((!exact && at > c->pos) || (exact && at >= c->pos)) {
		*cause = xstrdup("baseline: rows stored out of order");
		return -1;
	}
	r.own = xmalloc(row->keylen + DIFF_DIGEST_LEN + row->tagslen);
	memcpy(r.own, row->key, row->keylen);
	memcpy(r.own + row->keylen, row->digest, DIFF_DIGEST_LEN);
	if (row->tagslen > 0)
		memcpy(r.own + row->keylen + DIFF_DIGEST_LEN, row->tags,
		    row->tagslen);
	r.key = r.own;
	r.keylen = row->keylen;
	r.digest = r.own + row->keylen;
	r.tags = r.own + row->keylen + DIFF_DIGEST_LEN;
	r.tagslen = row->tagslen;
	if (exact)
		brow_bury(c, at);
	else
		c->pos++;
	brow_push(c, at, &r);
	c->dirty = 1;
	cursor_note(c, row->key, row->keylen, 0);
	if (c->bytes > 2 * BLOCK_TARGET)
		return cursor_spill(c, at + 1, cause);
	return 0;
}

/* Remove one row, which the cursor has returned. */
int
baseline_cursor_del(struct baseline_cursor *c, const unsigned char *key,
    size_t keylen, char **cause)
{
	size_t	 at;
	int	 exact;

	cursor_unbury(c);
	if (cursor_order(c, key, keylen, cause) == -1)
		return -1;
	at = cursor_find(c, key, keylen, &exact);
	if (!c->have_cur || !exact || at >= c->pos) {
		*cause = xstrdup("baseline: deleting a row not read");
		return -1;
	}
	brow_bury(c, at);
	c->pos--;
	c->dirty = 1;
	cursor_note(c, key, keylen, 1);
	return 0;
}

/* Store the changes made through the cursor. */
int
baseline_cursor_finish(struct baseline_cursor *c, char **cause)
{
	cursor_unbury(c);
	c->end = 1;
	return cursor_drop(c, 1, cause);
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

/*
 * The seq of the last queued record, 0 when none is queued: records
 * queued later have a greater seq (AUTOINCREMENT never reuses one).
 */
int
baseline_outbox_last(struct baseline *bl, int64_t *seq, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = baseline_stmt(bl, ST_OUT_LAST, cause)) == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		*cause = baseline_err(bl, "reading the queue");
		return -1;
	}
	return 0;
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

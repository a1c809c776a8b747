/* Trigger SQL for watched tables, and the token file that guards it. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "buf.h"
#include "record.h"
#include "schema.h"
#include "secret.h"
#include "sqltext.h"
#include "token.h"
#include "triggers.h"
#include "util.h"
#include "xmalloc.h"

#define TRIGGERS_PREFIX_MAX	40	/* bytes of the table name kept */

/*
 * One statement at a time in a struct buf, whose failure (an add refused,
 * or the callback's) refuses every later add and emit, so callers check
 * once; and the callback that takes each statement.
 */
struct sql {
	struct buf	 b;
	triggers_cb	 cb;
	void		*arg;
	char		*cause;		/* the callback's message */
};

static void
sql_init(struct sql *q, triggers_cb cb, void *arg)
{
	buf_init(&q->b, BUF_NOCAP);
	q->cb = cb;
	q->arg = arg;
	q->cause = NULL;
}

/* 0, or -1 with *cause set; what was built (it may hold the token) wiped. */
static int
sql_result(struct sql *q, char **cause)
{
	int	 failed = buf_failed(&q->b);

	if (q->b.data != NULL)
		util_wipe(q->b.data, q->b.len);
	buf_free(&q->b);
	if (!failed)
		return 0;
	*cause = q->cause != NULL ? q->cause :
	    xstrdup("cannot build the trigger SQL");
	return -1;
}

/* Hand the statement (or comment) built so far to the callback. */
static void
emit(struct sql *q, int kind)
{
	int	 r;

	if (buf_failed(&q->b))
		return;
	if (q->b.data == NULL) {
		buf_error(&q->b);
		return;
	}
	r = q->cb(q->arg, kind, q->b.data, q->b.len, &q->cause);
	util_wipe(q->b.data, q->b.len);
	if (r == -1)
		buf_error(&q->b);
	else
		buf_reset(&q->b);
}

/*
 * 1 when a client program reads the identifier inside backticks as the
 * server does, under every client character set: printable ASCII without
 * a backslash. A byte from 0x80 up can start a multibyte character of
 * the client's set (gbk, sjis, big5, cp932, gb18030...) that swallows the
 * next byte, a closing backtick included; and the mariadb client pairs a
 * backslash with the next byte even inside backticks, where the server
 * takes it as it is. Either desynchronises the client's statement
 * splitting from the server's parser, and the client then runs what the
 * name holds (\! is a shell command). No other byte does: every such set
 * keeps ASCII single-byte, and backticks are doubled.
 */
int
triggers_printable(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e ||
		    s[i] == '\\')
			return 0;
	}
	return 1;
}

/*
 * The name of one of a table's triggers: "dbsc_", up to 40 bytes of the
 * table name with anything but [A-Za-z0-9_] made '_', '_', 8 hex digits of
 * SHA-256(db NUL table), then the suffix ("_ai", "_au", "_ad"). Unique per
 * table whatever the prefix, and never longer than 64 bytes.
 */
int
triggers_name(const char *db, const char *name, const char *suffix,
    char out[TRIGGERS_NAME_MAX + 1])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;
	struct buf	 in;
	size_t		 i, n, dblen = strlen(db), namelen = strlen(name);
	unsigned char	 c;
	int		 r;

	if (strlen(suffix) > 8)
		return -1;
	buf_init(&in, BUF_NOCAP);
	if (buf_add(&in, db, dblen) == -1 || buf_addc(&in, '\0') == -1 ||
	    buf_add(&in, name, namelen) == -1)
		return -1;
	r = EVP_Digest(in.data, in.len, md, &mdlen, EVP_sha256(), NULL);
	buf_free(&in);
	if (r != 1 || mdlen < 4)
		return -1;
	memcpy(out, "dbsc_", 5);
	n = 5;
	for (i = 0; i < namelen && i < TRIGGERS_PREFIX_MAX; i++) {
		c = (unsigned char)name[i];
		out[n++] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' ? (char)c : '_';
	}
	out[n++] = '_';
	secret_hex(out + n, md, 4);
	n += 8;
	memcpy(out + n, suffix, strlen(suffix) + 1);
	return 0;
}

/* Statements that go before those of every table. */
int
triggers_preamble(triggers_cb cb, void *arg, char **cause)
{
	struct sql	 q;

	sql_init(&q, cb, arg);
	buf_adds(&q.b, "-- dbsyscheck triggers: run as an administrator "
	    "(docs/TRIGGERS.md).");
	emit(&q, TRIGGERS_COMMENT);
	buf_adds(&q.b, "SET NAMES utf8mb4");
	emit(&q, TRIGGERS_STMT);
	return sql_result(&q, cause);
}

static void
put_secret_ref(struct sql *q)
{
	sqltext_ident(&q->b, TRIGGERS_SECRET_DB);
	buf_adds(&q->b, ".");
	sqltext_ident(&q->b, TRIGGERS_SECRET_TABLE);
}

/*
 * The table the triggers read the token from, and the token in it. Only
 * the triggers' definer (an administrator) may read it; the triggers run
 * with the definer's rights, so no statement a writer of a watched table
 * can see holds the token. The token is written in a session kept out of
 * the binary log (each server's table holds its own token file's token:
 * a replica's too, which the server's replicated row would not), the
 * general log, the slow log and the performance schema; this needs SUPER
 * (sql_log_bin, sql_log_off) and UPDATE on performance_schema.threads.
 * The session's settings are restored afterwards.
 */
int
triggers_secret(const char *token, triggers_cb cb, void *arg, char **cause)
{
	static const char *const pfs = "performance_schema.threads";
	struct sql	 q;

	if (token == NULL || strlen(token) != TRIGGERS_TOKEN_LEN ||
	    !triggers_printable(token, TRIGGERS_TOKEN_LEN) ||
	    strchr(token, '\'') != NULL) {
		*cause = xstrdup("malformed token");
		return -1;
	}
	sql_init(&q, cb, arg);
	buf_adds(&q.b, "-- The token, readable only by administrators (the "
	    "triggers' definer).");
	emit(&q, TRIGGERS_COMMENT);
	buf_adds(&q.b, "CREATE DATABASE IF NOT EXISTS ");
	sqltext_ident(&q.b, TRIGGERS_SECRET_DB);
	emit(&q, TRIGGERS_STMT);
	buf_adds(&q.b, "CREATE TABLE IF NOT EXISTS ");
	put_secret_ref(&q);
	buf_adds(&q.b, " (id TINYINT UNSIGNED NOT NULL PRIMARY KEY, "
	    "token BINARY(64) NOT NULL) ENGINE=InnoDB");
	emit(&q, TRIGGERS_STMT);
	buf_adds(&q.b, "SET @dbsyscheck_log_bin = @@SESSION.sql_log_bin, "
	    "@dbsyscheck_log_off = @@SESSION.sql_log_off, "
	    "@dbsyscheck_lqt = @@SESSION.long_query_time, "
	    "@dbsyscheck_pfs = (SELECT INSTRUMENTED FROM ");
	buf_adds(&q.b, pfs);
	buf_adds(&q.b, " WHERE PROCESSLIST_ID = CONNECTION_ID())");
	emit(&q, TRIGGERS_STMT);
	buf_adds(&q.b, "UPDATE ");
	buf_adds(&q.b, pfs);
	buf_adds(&q.b, " SET INSTRUMENTED = 'NO' WHERE PROCESSLIST_ID = "
	    "CONNECTION_ID()");
	emit(&q, TRIGGERS_STMT);
	buf_adds(&q.b, "SET SESSION sql_log_bin = 0, sql_log_off = 1, "
	    "long_query_time = 31536000");
	emit(&q, TRIGGERS_STMT);
	buf_adds(&q.b, "REPLACE INTO ");
	put_secret_ref(&q);
	buf_adds(&q.b, " VALUES (1, '");
	buf_adds(&q.b, token);
	buf_adds(&q.b, "')");
	emit(&q, TRIGGERS_SECRET);
	buf_adds(&q.b, "SET SESSION sql_log_bin = @dbsyscheck_log_bin, "
	    "sql_log_off = @dbsyscheck_log_off, "
	    "long_query_time = @dbsyscheck_lqt");
	emit(&q, TRIGGERS_STMT);
	buf_adds(&q.b, "UPDATE ");
	buf_adds(&q.b, pfs);
	buf_adds(&q.b, " SET INSTRUMENTED = @dbsyscheck_pfs WHERE "
	    "PROCESSLIST_ID = CONNECTION_ID()");
	emit(&q, TRIGGERS_STMT);
	return sql_result(&q, cause);
}

static void
put_trigger_ref(struct sql *q, const struct schema *s, const char *tname)
{
	sqltext_ident(&q->b, s->db);
	buf_adds(&q->b, ".");
	sqltext_ident(&q->b, tname);
}

/*
 * The key columns as 'name', ROW.`name` pairs; a key whose text is not
 * exact in the expression the scanner reads it by (docs/DESIGN.md, "How
 * each type is encoded"), so that pk= is the same in both records.
 */
static void
put_key_args(struct sql *q, const struct schema *s, const char *row)
{
	const struct column	*c;
	size_t			 k;

	for (k = 0; k < s->nkey; k++) {
		c = &s->cols[s->key[k]];
		buf_adds(&q->b, ", ");
		sqltext_string(&q->b, c->name);
		buf_adds(&q->b, ", ");
		buf_adds(&q->b, c->keyenc == COLENC_DOUBLE ? "CAST(" :
		    c->keyenc == COLENC_NUMBER ? "(" : "");
		buf_adds(&q->b, row);
		buf_adds(&q->b, ".");
		sqltext_ident(&q->b, c->name);
		buf_adds(&q->b, c->keyenc == COLENC_DOUBLE ? " AS DOUBLE)" :
		    c->keyenc == COLENC_NUMBER ? " + 0)" : "");
	}
}

/*
 * The changed flag of a column: NULL-safe, and on the bytes for character
 * columns, since a collation calls 'a' and 'A' (or 'x' and 'x ') equal.
 */
static void
put_flag(struct sql *q, const struct column *c)
{
	buf_adds(&q->b, ", ");
	sqltext_string(&q->b, c->name);
	if (c->charset != NULL) {
		buf_adds(&q->b, ", NOT (CAST(OLD.");
		sqltext_ident(&q->b, c->name);
		buf_adds(&q->b, " AS BINARY) <=> CAST(NEW.");
		sqltext_ident(&q->b, c->name);
		buf_adds(&q->b, " AS BINARY))");
	} else {
		buf_adds(&q->b, ", NOT (OLD.");
		sqltext_ident(&q->b, c->name);
		buf_adds(&q->b, " <=> NEW.");
		sqltext_ident(&q->b, c->name);
		buf_adds(&q->b, ")");
	}
}

/*
 * A trigger's body reads the token from the secret table with the
 * definer's rights, at each row: the token is in no statement text.
 */
static void
put_create(struct sql *q, const struct schema *s, const char *tname,
    const char *event, const char *op, const char *row)
{
	size_t	 i;

	buf_adds(&q->b, "CREATE TRIGGER ");
	put_trigger_ref(q, s, tname);
	buf_adds(&q->b, " AFTER ");
	buf_adds(&q->b, event);
	buf_adds(&q->b, " ON ");
	sqltext_ident(&q->b, s->db);
	buf_adds(&q->b, ".");
	sqltext_ident(&q->b, s->name);
	buf_adds(&q->b, " FOR EACH ROW\n    SET @dbsyscheck_rc = "
	    "dbsyscheck_log((SELECT token FROM ");
	put_secret_ref(q);
	buf_adds(&q->b, " WHERE id = 1), '");
	buf_adds(&q->b, op);
	buf_adds(&q->b, "', ");
	sqltext_string(&q->b, s->db);
	buf_adds(&q->b, ", ");
	sqltext_string(&q->b, s->name);
	buf_adds(&q->b, ", USER(), ");
	buf_printf(&q->b, "%zu", s->nkey);
	put_key_args(q, s, row);
	if (strcmp(op, "update") == 0) {
		for (i = 0; i < s->ncols; i++) {
			if (s->cols[i].hashed)
				put_flag(q, &s->cols[i]);
		}
	}
	buf_adds(&q->b, ")");
	emit(q, TRIGGERS_STMT);
}

/* "DB.TABLE" percent-encoded as in records, for the SQL's comments. */
static char *
label_of(const struct schema *s)
{
	struct buf	 label;
	char		*r;

	buf_init(&label, BUF_NOCAP);
	if (record_pct(&label, s->db, strlen(s->db), RECORD_IDENT) == -1 ||
	    buf_addc(&label, '.') == -1 ||
	    record_pct(&label, s->name, strlen(s->name), RECORD_IDENT) == -1) {
		buf_free(&label);
		return NULL;
	}
	r = xstrdup(buf_str(&label));
	buf_free(&label);
	return r;
}

/*
 * For printing: every identifier the SQL of the table holds must read the
 * same to a client program as to the server (triggers_printable), or the
 * table is refused, naming what and why. The names in the message are
 * raw: messages are encoded where they are printed (log.c).
 */
static int
check_printable(const struct schema *s, int flags, char **cause)
{
	static const char *const why = "has a byte outside printable ASCII "
	    "or a backslash, which a client program may read differently "
	    "from the server under some client character sets (and run a "
	    "command): install with dbsyscheck triggers --install";
	const struct column	*c;
	size_t			 i;

	if (!triggers_printable(s->db, strlen(s->db))) {
		*cause = xasprintf("%s.%s: the database name %s", s->db,
		    s->name, why);
		return -1;
	}
	if (flags & TRIGGERS_UNINSTALL)
		return 0;
	if (!triggers_printable(s->name, strlen(s->name))) {
		*cause = xasprintf("%s.%s: the table name %s", s->db, s->name,
		    why);
		return -1;
	}
	for (i = 0; i < s->ncols; i++) {
		c = &s->cols[i];
		if ((!c->hashed && c->keypos == 0) ||
		    triggers_printable(c->name, strlen(c->name)))
			continue;
		*cause = xasprintf("%s.%s: the name of column %s %s", s->db,
		    s->name, c->name, why);
		return -1;
	}
	return 0;
}

/*
 * The SQL for one table: DROP TRIGGER IF EXISTS for its three triggers,
 * then (unless TRIGGERS_UNINSTALL) AFTER INSERT, UPDATE and DELETE
 * triggers calling dbsyscheck_log() with the token read from the secret
 * table. Key values come from NEW (OLD for a delete); an update passes a
 * changed flag for every column but the ignore= ones, key columns
 * included; no other value is ever passed, so mask= columns appear only
 * as flags. With TRIGGERS_PRINT a table whose names a client program
 * could misread is refused.
 */
int
triggers_sql(const struct schema *s, int flags, triggers_cb cb, void *arg,
    char **cause)
{
	static const char *const suffix[3] = { "_ai", "_au", "_ad" };
	struct sql	 q;
	char		 tname[3][TRIGGERS_NAME_MAX + 1];
	char		*label;
	int		 i;

	if ((label = label_of(s)) == NULL) {
		*cause = xstrdup("out of memory");
		return -1;
	}
	if (s->nkey == 0 && !(flags & TRIGGERS_UNINSTALL)) {
		*cause = xasprintf("%s.%s: no key", s->db, s->name);
		free(label);
		return -1;
	}
	if ((flags & TRIGGERS_PRINT) &&
	    check_printable(s, flags, cause) == -1) {
		free(label);
		return -1;
	}
	for (i = 0; i < 3; i++) {
		if (triggers_name(s->db, s->name, suffix[i], tname[i]) == -1) {
			free(label);
			*cause = xstrdup("cannot name the triggers");
			return -1;
		}
	}
	sql_init(&q, cb, arg);
	buf_adds(&q.b, "-- ");
	buf_adds(&q.b, label);
	free(label);
	emit(&q, TRIGGERS_COMMENT);
	for (i = 0; i < 3; i++) {
		buf_adds(&q.b, "DROP TRIGGER IF EXISTS ");
		put_trigger_ref(&q, s, tname[i]);
		emit(&q, TRIGGERS_STMT);
	}
	if (!(flags & TRIGGERS_UNINSTALL)) {
		put_create(&q, s, tname[0], "INSERT", "insert", "NEW");
		put_create(&q, s, tname[1], "UPDATE", "update", "NEW");
		put_create(&q, s, tname[2], "DELETE", "delete", "OLD");
	}
	return sql_result(&q, cause);
}

/*
 * Read the token file after util_open has checked its path (every
 * directory above it, and the file) the way StrictModes does; token.c
 * then applies the checks the UDF applies too: a regular file owned by
 * root or us that is neither world-accessible nor group-writable, holding
 * TRIGGERS_TOKEN_LEN lowercase hex characters and an optional newline.
 * token gets a NUL-terminated copy.
 */
int
triggers_token_load(const char *path, char token[TRIGGERS_TOKEN_LEN + 1],
    char **cause)
{
	int	 fd, r;

	fd = util_open(path, O_RDONLY, 0, 0, cause);
	if (fd == -1 && errno == ENOENT) {
		free(*cause);
		*cause = xasprintf("%s: %s (run: dbsyscheck token)", path,
		    strerror(ENOENT));
	}
	if (fd == -1)
		return -1;
	switch (r = token_read(fd, token)) {
	case TOKEN_OK:
		break;
	case TOKEN_ESYS:
		*cause = xasprintf("%s: %s", path, strerror(errno));
		break;
	case TOKEN_ENOTREG:
		*cause = xasprintf("%s: not a regular file", path);
		break;
	case TOKEN_EOWNER:
		*cause = xasprintf("%s: owned by neither root nor the invoking "
		    "user", path);
		break;
	case TOKEN_EMODE:
		*cause = xasprintf("%s: world-accessible or group-writable, "
		    "run: chmod 0640 '%s'", path, path);
		break;
	default:
		*cause = xasprintf("%s: not a trigger token (64 lowercase hex "
		    "characters and a newline), run: dbsyscheck token", path);
		break;
	}
	close(fd);
	return r == TOKEN_OK ? 0 : -1;
}

/* Write a new token into a new file at path: mode 0640, uid and gid. */
static int
token_create(const char *path, uid_t uid, gid_t gid, int chown_it,
    char **cause)
{
	int	 fd, r;

	fd = util_open(path, O_WRONLY | O_CREAT | O_EXCL, TOKEN_MODE, 0,
	    cause);
	if (fd == -1)
		return -1;
	if (chown_it && fchown(fd, uid, gid) == -1) {
		*cause = xasprintf("%s: cannot keep the owner and group of the "
		    "old token file: %s", path, strerror(errno));
		goto fail;
	}
	if ((r = token_write(fd)) != TOKEN_OK) {
		*cause = xasprintf("%s%s: %s", r == TOKEN_ERANDOM ? "" : path,
		    r == TOKEN_ERANDOM ? "getrandom" : "", strerror(errno));
		goto fail;
	}
	if (close(fd) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
fail:
	close(fd);
	unlink(path);
	return -1;
}

/*
 * Create the token file, or rotate it: a new token in PATH.new with the
 * old file's owner and group, renamed over PATH. 0 created, 1 rotated.
 */
int
triggers_token_write(const char *path, char **cause)
{
	struct stat	 st;
	char		*tmp;
	int		 r;

	if (lstat(path, &st) == -1) {
		if (errno != ENOENT) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			return -1;
		}
		return token_create(path, 0, 0, 0, cause);
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		return -1;
	}
	tmp = xasprintf("%s.new", path);
	if (unlink(tmp) == -1 && errno != ENOENT) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	r = token_create(tmp, st.st_uid, st.st_gid, 1, cause);
	if (r == 0 && rename(tmp, path) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		unlink(tmp);
		r = -1;
	}
	free(tmp);
	return r == 0 ? 1 : -1;
}

/* Trigger SQL for watched tables, and the token file that guards it. */
#include "config.h"

#include <sys/random.h>
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
#include "triggers.h"
#include "util.h"
#include "xmalloc.h"

#define TRIGGERS_PREFIX_MAX	40	/* bytes of the table name kept */
#define TRIGGERS_TOKEN_BYTES	(TRIGGERS_TOKEN_LEN / 2)

static const char hexdigits[] = "0123456789abcdef";

/*
 * One statement at a time: appends that remember the first failure, so
 * callers check once, and the callback that takes each statement.
 */
struct sql {
	struct buf	 b;
	int		 err;
	triggers_cb	 cb;
	void		*arg;
	char		*cause;		/* set when the callback failed */
};

static void
sql_init(struct sql *q, triggers_cb cb, void *arg)
{
	buf_init(&q->b, BUF_NOCAP);
	q->err = 0;
	q->cb = cb;
	q->arg = arg;
	q->cause = NULL;
}

/* Wipe what was built (it may hold the token) and free it. */
static void
sql_done(struct sql *q)
{
	if (q->b.data != NULL)
		util_wipe(q->b.data, q->b.len);
	buf_free(&q->b);
}

/* 0, or -1 with *cause set. */
static int
sql_result(struct sql *q, char **cause)
{
	sql_done(q);
	if (!q->err)
		return 0;
	*cause = q->cause != NULL ? q->cause :
	    xstrdup("cannot build the trigger SQL");
	return -1;
}

static void
put(struct sql *q, const char *s)
{
	if (!q->err && buf_adds(&q->b, s) == -1)
		q->err = 1;
}

static void
putn(struct sql *q, const void *p, size_t n)
{
	if (!q->err && buf_add(&q->b, p, n) == -1)
		q->err = 1;
}

/* Hand the statement (or comment) built so far to the callback. */
static void
emit(struct sql *q, int kind)
{
	if (q->b.data == NULL)
		q->err = 1;
	if (!q->err && q->cb(q->arg, kind, q->b.data, q->b.len,
	    &q->cause) == -1)
		q->err = 1;
	if (q->b.data != NULL)
		util_wipe(q->b.data, q->b.len);
	buf_reset(&q->b);
}

/* `name`, a backtick inside doubled: safe in every sql_mode. */
static void
put_ident(struct sql *q, const char *s)
{
	const char	*bt;

	put(q, "`");
	while ((bt = strchr(s, '`')) != NULL) {
		putn(q, s, (size_t)(bt - s) + 1);
		put(q, "`");
		s = bt + 1;
	}
	put(q, s);
	put(q, "`");
}

/*
 * A string literal: 'text' when every byte is printable ASCII other than
 * a quote or a backslash, else X'hex', so that neither NO_BACKSLASH_ESCAPES
 * nor the connection's character set can change what the UDF receives.
 */
static void
put_literal(struct sql *q, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			 hex[2];
	size_t			 i, n = strlen(s);
	int			 plain = 1;

	for (i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] > 0x7e || p[i] == '\'' ||
		    p[i] == '\\')
			plain = 0;
	}
	if (plain) {
		put(q, "'");
		putn(q, s, n);
		put(q, "'");
		return;
	}
	put(q, "X'");
	for (i = 0; i < n; i++) {
		hex[0] = hexdigits[p[i] >> 4];
		hex[1] = hexdigits[p[i] & 0xf];
		putn(q, hex, 2);
	}
	put(q, "'");
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
	for (i = 0; i < 4; i++) {
		out[n++] = hexdigits[md[i] >> 4];
		out[n++] = hexdigits[md[i] & 0xf];
	}
	memcpy(out + n, suffix, strlen(suffix) + 1);
	return 0;
}

/* Statements that go before those of every table. */
int
triggers_preamble(triggers_cb cb, void *arg, char **cause)
{
	struct sql	 q;

	sql_init(&q, cb, arg);
	put(&q, "-- dbsyscheck triggers: run as an administrator "
	    "(docs/TRIGGERS.md).");
	emit(&q, TRIGGERS_COMMENT);
	put(&q, "SET NAMES utf8mb4");
	emit(&q, TRIGGERS_STMT);
	return sql_result(&q, cause);
}

static void
put_secret_ref(struct sql *q)
{
	put_ident(q, TRIGGERS_SECRET_DB);
	put(q, ".");
	put_ident(q, TRIGGERS_SECRET_TABLE);
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
	put(&q, "-- The token, readable only by administrators (the triggers' "
	    "definer).");
	emit(&q, TRIGGERS_COMMENT);
	put(&q, "CREATE DATABASE IF NOT EXISTS ");
	put_ident(&q, TRIGGERS_SECRET_DB);
	emit(&q, TRIGGERS_STMT);
	put(&q, "CREATE TABLE IF NOT EXISTS ");
	put_secret_ref(&q);
	put(&q, " (id TINYINT UNSIGNED NOT NULL PRIMARY KEY, "
	    "token BINARY(64) NOT NULL) ENGINE=InnoDB");
	emit(&q, TRIGGERS_STMT);
	put(&q, "SET @dbsyscheck_log_bin = @@SESSION.sql_log_bin, "
	    "@dbsyscheck_log_off = @@SESSION.sql_log_off, "
	    "@dbsyscheck_lqt = @@SESSION.long_query_time, "
	    "@dbsyscheck_pfs = (SELECT INSTRUMENTED FROM ");
	put(&q, pfs);
	put(&q, " WHERE PROCESSLIST_ID = CONNECTION_ID())");
	emit(&q, TRIGGERS_STMT);
	put(&q, "UPDATE ");
	put(&q, pfs);
	put(&q, " SET INSTRUMENTED = 'NO' WHERE PROCESSLIST_ID = "
	    "CONNECTION_ID()");
	emit(&q, TRIGGERS_STMT);
	put(&q, "SET SESSION sql_log_bin = 0, sql_log_off = 1, "
	    "long_query_time = 31536000");
	emit(&q, TRIGGERS_STMT);
	put(&q, "REPLACE INTO ");
	put_secret_ref(&q);
	put(&q, " VALUES (1, '");
	put(&q, token);
	put(&q, "')");
	emit(&q, TRIGGERS_SECRET);
	put(&q, "SET SESSION sql_log_bin = @dbsyscheck_log_bin, "
	    "sql_log_off = @dbsyscheck_log_off, "
	    "long_query_time = @dbsyscheck_lqt");
	emit(&q, TRIGGERS_STMT);
	put(&q, "UPDATE ");
	put(&q, pfs);
	put(&q, " SET INSTRUMENTED = @dbsyscheck_pfs WHERE PROCESSLIST_ID = "
	    "CONNECTION_ID()");
	emit(&q, TRIGGERS_STMT);
	return sql_result(&q, cause);
}

static void
put_trigger_ref(struct sql *q, const struct schema *s, const char *tname)
{
	put_ident(q, s->db);
	put(q, ".");
	put_ident(q, tname);
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
		put(q, ", ");
		put_literal(q, c->name);
		put(q, ", ");
		put(q, c->keyenc == COLENC_DOUBLE ? "CAST(" :
		    c->keyenc == COLENC_NUMBER ? "(" : "");
		put(q, row);
		put(q, ".");
		put_ident(q, c->name);
		put(q, c->keyenc == COLENC_DOUBLE ? " AS DOUBLE)" :
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
	put(q, ", ");
	put_literal(q, c->name);
	if (c->charset != NULL) {
		put(q, ", NOT (CAST(OLD.");
		put_ident(q, c->name);
		put(q, " AS BINARY) <=> CAST(NEW.");
		put_ident(q, c->name);
		put(q, " AS BINARY))");
	} else {
		put(q, ", NOT (OLD.");
		put_ident(q, c->name);
		put(q, " <=> NEW.");
		put_ident(q, c->name);
		put(q, ")");
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
	char	 nkey[32];
	size_t	 i;
	int	 n;

	n = snprintf(nkey, sizeof nkey, "%zu", s->nkey);
	if (n < 0 || (size_t)n >= sizeof nkey) {
		q->err = 1;
		return;
	}
	put(q, "CREATE TRIGGER ");
	put_trigger_ref(q, s, tname);
	put(q, " AFTER ");
	put(q, event);
	put(q, " ON ");
	put_ident(q, s->db);
	put(q, ".");
	put_ident(q, s->name);
	put(q, " FOR EACH ROW\n    SET @dbsyscheck_rc = dbsyscheck_log("
	    "(SELECT token FROM ");
	put_secret_ref(q);
	put(q, " WHERE id = 1), '");
	put(q, op);
	put(q, "', ");
	put_literal(q, s->db);
	put(q, ", ");
	put_literal(q, s->name);
	put(q, ", USER(), ");
	put(q, nkey);
	put_key_args(q, s, row);
	if (strcmp(op, "update") == 0) {
		for (i = 0; i < s->ncols; i++) {
			if (s->cols[i].hashed)
				put_flag(q, &s->cols[i]);
		}
	}
	put(q, ")");
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
	put(&q, "-- ");
	put(&q, label);
	free(label);
	emit(&q, TRIGGERS_COMMENT);
	for (i = 0; i < 3; i++) {
		put(&q, "DROP TRIGGER IF EXISTS ");
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
 * Read the token file: TRIGGERS_TOKEN_LEN lowercase hex characters and
 * an optional newline (as the UDF reads it), in a regular file owned by
 * root or us that is neither world-accessible nor group-writable. token
 * gets a NUL-terminated copy.
 */
int
triggers_token_load(const char *path, char token[TRIGGERS_TOKEN_LEN + 1],
    char **cause)
{
	struct stat	 st;
	char		 data[TRIGGERS_TOKEN_LEN + 2];
	size_t		 got = 0, i;
	ssize_t		 n;
	int		 fd, r = -1;

	fd = util_open(path, O_RDONLY, 0, 0, cause);
	if (fd == -1 && errno == ENOENT) {
		free(*cause);
		*cause = xasprintf("%s: %s (run: dbsyscheck token)", path,
		    strerror(ENOENT));
	}
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1 || (st.st_mode & S_IRWXO)) {
		*cause = xasprintf("%s: world-accessible, run: chmod 0640 "
		    "'%s'", path, path);
		goto out;
	}
	if ((n = util_read_full(fd, data, sizeof data, path, cause)) == -1)
		goto out;
	got = (size_t)n;
	if (got != TRIGGERS_TOKEN_LEN && (got != TRIGGERS_TOKEN_LEN + 1 ||
	    data[TRIGGERS_TOKEN_LEN] != '\n'))
		goto bad;
	for (i = 0; i < TRIGGERS_TOKEN_LEN; i++) {
		if (!((data[i] >= '0' && data[i] <= '9') ||
		    (data[i] >= 'a' && data[i] <= 'f')))
			goto bad;
	}
	memcpy(token, data, TRIGGERS_TOKEN_LEN);
	token[TRIGGERS_TOKEN_LEN] = '\0';
	r = 0;
	goto out;
bad:
	*cause = xasprintf("%s: not a trigger token (64 lowercase hex "
	    "characters and a newline), run: dbsyscheck token", path);
out:
	util_wipe(data, sizeof data);
	close(fd);
	return r;
}

/* Write a new token into a new file at path: mode 0640, uid and gid. */
static int
token_create(const char *path, uid_t uid, gid_t gid, int chown_it,
    char **cause)
{
	unsigned char	 raw[TRIGGERS_TOKEN_BYTES];
	char		 text[TRIGGERS_TOKEN_LEN + 1];
	size_t		 got = 0, i;
	ssize_t		 n;
	int		 fd, r = -1;

	while (got < sizeof raw) {
		n = getrandom(raw + got, sizeof raw - got, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			*cause = xasprintf("getrandom: %s", strerror(errno));
			goto wipe;
		}
		got += (size_t)n;
	}
	for (i = 0; i < sizeof raw; i++) {
		text[2 * i] = hexdigits[raw[i] >> 4];
		text[2 * i + 1] = hexdigits[raw[i] & 0xf];
	}
	text[TRIGGERS_TOKEN_LEN] = '\n';
	fd = util_open(path, O_WRONLY | O_CREAT | O_EXCL, 0640, 0, cause);
	if (fd == -1)
		goto wipe;
	if (chown_it && fchown(fd, uid, gid) == -1) {
		*cause = xasprintf("%s: cannot keep the owner and group of the "
		    "old token file: %s", path, strerror(errno));
		goto fail;
	}
	/* The umask must not take the group's read bit: the server's. */
	if (fchmod(fd, 0640) == -1 ||
	    write(fd, text, sizeof text) != (ssize_t)sizeof text ||
	    fsync(fd) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto fail;
	}
	if (close(fd) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		unlink(path);
		goto wipe;
	}
	r = 0;
	goto wipe;
fail:
	close(fd);
	unlink(path);
wipe:
	util_wipe(raw, sizeof raw);
	util_wipe(text, sizeof text);
	return r;
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

/* MySQL/MariaDB access: pinned session, snapshot, schema and row stream. */
#include "config.h"

#include <sys/socket.h>

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mysql.h>
#include <errmsg.h>

#include "buf.h"
#include "record.h"
#include "rowenc.h"
#include "source_mysql.h"
#include "sqltext.h"
#include "util.h"
#include "xmalloc.h"

#define SOURCE_CONNECT_TIMEOUT	10
#define SOURCE_IO_TIMEOUT	3600

struct source {
	MYSQL		*my;
	int		 lost;
	int		 intxn;
	char		*server;
	char		*funcs;		/* the watched UDFs, read once a run */
	unsigned long long maxpacket;	/* @@max_allowed_packet, or 0 */
	int		 chunk_udf;	/* dbsyscheck_chunk(): -1 untried,
					   0 not installed, 1 in use */
};

/* Copy the client library's message at once: the next call overwrites it. */
static char *
source_err(struct source *src, const char *what)
{
	unsigned int	 e = mysql_errno(src->my);

	/*
	 * Client-side errors (2000-2999: connection lost, server gone) and a
	 * killed connection or a shutdown end the whole run.
	 */
	if ((e >= 2000 && e < 3000) || e == 1053 || e == 1927 || e == 1317)
		src->lost = 1;
	return xasprintf("%s: %s (%u)", what, mysql_error(src->my), e);
}

static int
source_query(struct source *src, const char *sql, char **cause)
{
	if (mysql_real_query(src->my, sql, strlen(sql)) != 0) {
		*cause = source_err(src, "query");
		return -1;
	}
	return 0;
}

/*
 * The session settings that make a result's bytes, its row count, its
 * order and whether a query runs at all independent of the server's and
 * the account's defaults (docs/DESIGN.md, "Session settings", says why
 * each is here). Explicit values: SET SESSION x = DEFAULT copies the
 * global value. In order: SET NAMES sets character_set_results, which the
 * next statement sets to binary; max_join_size other than its maximum
 * clears sql_big_selects.
 */
static const char *const source_pinned[] = {
	"SET NAMES utf8mb4 COLLATE utf8mb4_general_ci",
	"SET SESSION sql_mode = '', time_zone = '+00:00', "
	    "character_set_results = binary, "
	    "net_write_timeout = 3600, net_read_timeout = 3600, "
	    "wait_timeout = 28800, lock_wait_timeout = 3600, "
	    "autocommit = 1, sql_quote_show_create = 1, "
	    "sql_select_limit = 18446744073709551615, "
	    "max_join_size = 18446744073709551615, sql_big_selects = 1, "
	    "max_sort_length = 8388608, "
	    "sort_buffer_size = GREATEST(@@GLOBAL.sort_buffer_size, 2097152), "
	    "sql_safe_updates = 0, div_precision_increment = 4, "
	    "lc_time_names = 'en_US', lc_messages = 'en_US', "
	    "default_week_format = 0",
	"SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
};

/*
 * Settings that one of MariaDB and MySQL lacks: each alone, and an unknown
 * system variable (1193) is no error. Any other error is. Set first: they
 * are the limits that may stop any statement.
 */
static const char *const source_pinned_optional[] = {
	/* MariaDB */
	"SET SESSION max_statement_time = 0",
	"SET SESSION max_session_mem_used = 9223372036854775807",
	"SET SESSION tmp_disk_table_size = 18446744073709551615",
	"SET SESSION idle_transaction_timeout = 0",
	"SET SESSION idle_readonly_transaction_timeout = 0",
	"SET SESSION idle_write_transaction_timeout = 0",
	/* DEFAULT is "now" here, not the global value: current rows only. */
	"SET SESSION system_versioning_asof = DEFAULT",
	/* What VIRTUAL columns compute in this session. */
	"SET SESSION old_mode = ''",
	"SET SESSION default_regex_flags = ''",
	/* MySQL */
	"SET SESSION max_execution_time = 0",
	"SET SESSION block_encryption_mode = 'aes-128-ecb'",
};

static int
source_pin(struct source *src, char **cause)
{
	size_t	 i;

	/* First the limits that may stop the statements that follow. */
	for (i = 0; i < sizeof source_pinned_optional /
	    sizeof source_pinned_optional[0]; i++) {
		if (source_query(src, source_pinned_optional[i],
		    cause) == -1) {
			if (src->lost || mysql_errno(src->my) != 1193)
				return -1;
			free(*cause);
			*cause = NULL;
		}
	}
	for (i = 0; i < sizeof source_pinned / sizeof source_pinned[0]; i++) {
		if (source_query(src, source_pinned[i], cause) == -1)
			return -1;
	}
	return 0;
}

/*
 * Connect with the credentials of an option file and pin the session
 * (source_pinned above) so that what we read does not depend on server
 * defaults.
 */
struct source *
source_open(const char *defaults_file, const char *group, char **cause)
{
	struct source	*src;
	unsigned int	 ct = SOURCE_CONNECT_TIMEOUT, io = SOURCE_IO_TIMEOUT;

	src = xcalloc(1, sizeof *src);
	src->chunk_udf = -1;
	if ((src->my = mysql_init(NULL)) == NULL) {
		*cause = xstrdup("mysql_init failed");
		free(src);
		return NULL;
	}
	if (defaults_file != NULL)
		mysql_options(src->my, MYSQL_READ_DEFAULT_FILE, defaults_file);
	mysql_options(src->my, MYSQL_READ_DEFAULT_GROUP, group);
	mysql_options(src->my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(src->my, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
	mysql_options(src->my, MYSQL_OPT_READ_TIMEOUT, &io);
	mysql_options(src->my, MYSQL_OPT_WRITE_TIMEOUT, &io);
	if (mysql_real_connect(src->my, NULL, NULL, NULL, NULL, 0, NULL,
	    0) == NULL) {
		*cause = source_err(src, "cannot connect to the database");
		source_close(src);
		return NULL;
	}
#ifdef MARIADB_PACKAGE_VERSION_ID
	{
		/*
		 * Connector/C reads ssl-enforce and ssl-verify-server-cert
		 * from the option file, yet may connect in clear text when the
		 * server offers no TLS: refuse that here.
		 */
		unsigned char	 enforce = 0, verify = 0;

		mysql_get_optionv(src->my, MYSQL_OPT_SSL_ENFORCE, &enforce);
		mysql_get_optionv(src->my, MYSQL_OPT_SSL_VERIFY_SERVER_CERT,
		    &verify);
		if ((enforce || verify) &&
		    mysql_get_ssl_cipher(src->my) == NULL) {
			*cause = xstrdup("cannot connect to the database: the "
			    "option file requires TLS, but the connection is "
			    "not encrypted");
			source_close(src);
			return NULL;
		}
	}
#endif
	src->server = xasprintf("%s", mysql_get_server_info(src->my));
	if (source_pin(src, cause) == -1) {
		source_close(src);
		return NULL;
	}
	return src;
}

/*
 * Run one statement as it is, in one mysql_real_query (no client-side
 * splitting; the connection does not allow several statements at once),
 * and drop any result. quiet: the message leaves out the server's text,
 * which may quote the statement.
 */
int
source_exec(struct source *src, const char *sql, size_t len, int quiet,
    char **cause)
{
	MYSQL_RES	*res;

	if (mysql_real_query(src->my, sql, len) != 0) {
		if (quiet) {
			*cause = xasprintf("query failed (%u)",
			    mysql_errno(src->my));
			if (mysql_errno(src->my) >= 2000 &&
			    mysql_errno(src->my) < 3000)
				src->lost = 1;
		} else
			*cause = source_err(src, "query");
		return -1;
	}
	if ((res = mysql_store_result(src->my)) != NULL)
		mysql_free_result(res);
	else if (mysql_field_count(src->my) != 0) {
		*cause = source_err(src, "query result");
		return -1;
	}
	return 0;
}

/* Close the connection. */
void
source_close(struct source *src)
{
	if (src == NULL)
		return;
	if (src->my != NULL)
		mysql_close(src->my);
	free(src->server);
	free(src->funcs);
	free(src);
}

/* 1 when the connection is gone (the run must stop). */
int
source_lost(const struct source *src)
{
	return src->lost;
}

/* The server's version string. */
const char *
source_server(const struct source *src)
{
	return src->server != NULL ? src->server : "";
}

/*
 * The connection itself, for the one other file that speaks the
 * replication protocol on it (binlog.c); borrowed until source_close.
 */
struct st_mysql *
source_conn(struct source *src)
{
	/* MySQL's client library names its struct MYSQL, not st_mysql. */
	return (struct st_mysql *)src->my;
}

/* Start the run's read-only consistent snapshot. */
int
source_begin(struct source *src, char **cause)
{
	if (source_query(src, "START TRANSACTION WITH CONSISTENT SNAPSHOT, "
	    "READ ONLY", cause) == -1)
		return -1;
	src->intxn = 1;
	return 0;
}

/*
 * End the snapshot: 0, or -1 with *cause when the server refused the
 * COMMIT (then the connection is not to be trusted for this run).
 */
int
source_end(struct source *src, char **cause)
{
	int	 r = 0;

	if (src->intxn && !src->lost)
		r = source_query(src, "COMMIT", cause);
	src->intxn = 0;
	return r;
}

static char *
source_dup(const char *p, unsigned long len)
{
	return p != NULL ? xmemdup(p, len) : NULL;
}

/* Run sql and return its whole (small) result, or NULL with cause. */
static MYSQL_RES *
source_small(struct source *src, const struct buf *sql, char **cause)
{
	MYSQL_RES	*res;

	if (sql->data == NULL) {
		*cause = xstrdup("query too large");
		return NULL;
	}
	if (source_query(src, sql->data, cause) == -1)
		return NULL;
	if ((res = mysql_store_result(src->my)) == NULL) {
		*cause = source_err(src, "reading a result");
		return NULL;
	}
	return res;
}

/*
 * The number in column col of the first row of sql's result, from min to
 * max; what names it in the error.
 */
static int
source_number(struct source *src, const struct buf *sql, unsigned int col,
    long long min, long long max, const char *what, long long *out,
    char **cause)
{
	MYSQL_RES	*res;
	MYSQL_ROW	 row;
	const char	*errstr = "missing";

	if ((res = source_small(src, sql, cause)) == NULL)
		return -1;
	if (mysql_num_fields(res) > col &&
	    (row = mysql_fetch_row(res)) != NULL && row[col] != NULL)
		*out = util_strtonum(row[col], min, max, &errstr);
	mysql_free_result(res);
	if (errstr != NULL) {
		*cause = xasprintf("%s: %s", what, errstr);
		return -1;
	}
	return 0;
}

static int
source_where(struct buf *b, const char *db, const char *name)
{
	if (buf_adds(b, " WHERE TABLE_SCHEMA = ") == -1 ||
	    sqltext_hex(b, db, strlen(db), 0) == -1 ||
	    buf_adds(b, " AND TABLE_NAME = ") == -1 ||
	    sqltext_hex(b, name, strlen(name), 0) == -1)
		return -1;
	return 0;
}

static int
source_columns(struct source *src, struct schema *s, char **cause)
{
	MYSQL_RES	*res;
	MYSQL_ROW	 row;
	unsigned long	*len;
	struct buf	 sql;
	char		*f[6];
	int		 i;

	buf_init(&sql, BUF_NOCAP);
	buf_adds(&sql, "SELECT COLUMN_NAME, COLUMN_TYPE, CHARACTER_SET_NAME, "
	    "COLLATION_NAME, IS_NULLABLE, DATA_TYPE FROM "
	    "information_schema.COLUMNS");
	source_where(&sql, s->db, s->name);
	buf_adds(&sql, " ORDER BY ORDINAL_POSITION");
	res = source_small(src, &sql, cause);
	buf_free(&sql);
	if (res == NULL)
		return -1;
	while ((row = mysql_fetch_row(res)) != NULL) {
		len = mysql_fetch_lengths(res);
		for (i = 0; i < 6; i++)
			f[i] = source_dup(row[i], len[i]);
		if (f[0] == NULL || f[1] == NULL || f[4] == NULL ||
		    strlen(f[0]) != len[0]) {
			*cause = xstrdup("unexpected column description");
			for (i = 0; i < 6; i++)
				free(f[i]);
			mysql_free_result(res);
			return -1;
		}
		schema_add_column(s, f[0], f[1], f[2], f[3],
		    strcmp(f[4], "YES") == 0, f[5]);
		for (i = 0; i < 6; i++)
			free(f[i]);
	}
	mysql_free_result(res);
	return 0;
}

/*
 * Choose the key: the primary key, else the first unique index whose
 * columns are all NOT NULL.
 */
static int
source_key(struct source *src, struct schema *s, char **cause)
{
	MYSQL_RES	*res;
	MYSQL_ROW	 row;
	struct buf	 sql;
	char		*chosen = NULL, *current = NULL;
	size_t		 i, *key = NULL, nkey = 0;
	int		 usable = 0, done = 0;

	buf_init(&sql, BUF_NOCAP);
	buf_adds(&sql, "SELECT INDEX_NAME, COLUMN_NAME, NON_UNIQUE FROM "
	    "information_schema.STATISTICS");
	source_where(&sql, s->db, s->name);
	buf_adds(&sql, " ORDER BY INDEX_NAME <> 'PRIMARY', INDEX_NAME, "
	    "SEQ_IN_INDEX");
	res = source_small(src, &sql, cause);
	buf_free(&sql);
	if (res == NULL)
		return -1;
	while (!done && (row = mysql_fetch_row(res)) != NULL) {
		if (row[0] == NULL || row[1] == NULL || row[2] == NULL)
			continue;
		if (current == NULL || strcmp(current, row[0]) != 0) {
			if (current != NULL && usable) {
				done = 1;
				break;
			}
			free(current);
			current = xstrdup(row[0]);
			nkey = 0;
			usable = strcmp(row[2], "0") == 0;
		}
		if (!usable)
			continue;
		for (i = 0; i < s->ncols; i++) {
			if (strcmp(s->cols[i].name, row[1]) == 0)
				break;
		}
		if (i == s->ncols || s->cols[i].nullable) {
			usable = 0;
			continue;
		}
		key = xreallocarray(key, nkey + 1, sizeof *key);
		key[nkey++] = i;
	}
	if (current != NULL && usable)
		chosen = current;
	else
		free(current);
	mysql_free_result(res);
	if (chosen == NULL) {
		free(key);
		*cause = xstrdup("no primary key or unique NOT NULL key");
		return -1;
	}
	free(chosen);
	s->key = key;
	s->nkey = nkey;
	for (i = 0; i < nkey; i++)
		s->cols[key[i]].keypos = (int)i + 1;
	return 0;
}

/* Append "name\tfield\tfield...\n" with the name percent-encoded. */
static int
source_watch_line(struct buf *b, const char *kind, MYSQL_ROW row,
    const unsigned long *len, unsigned int n)
{
	unsigned int	 i;

	if (buf_adds(b, kind) == -1 ||
	    record_pct(b, row[0] != NULL ? row[0] : "", len[0], 0) == -1)
		return -1;
	for (i = 1; i < n; i++) {
		if (buf_addc(b, '\t') == -1 || (row[i] != NULL &&
		    record_pct(b, row[i], len[i], 0) == -1))
			return -1;
	}
	return buf_addc(b, '\n');
}

static int
source_watch_rows(struct source *src, struct buf *out, const char *kind,
    const struct buf *sql, char **cause)
{
	MYSQL_RES	*res;
	MYSQL_ROW	 row;
	unsigned long	*len;

	if ((res = source_small(src, sql, cause)) == NULL)
		return -1;
	while ((row = mysql_fetch_row(res)) != NULL) {
		len = mysql_fetch_lengths(res);
		if (source_watch_line(out, kind, row, len,
		    mysql_num_fields(res)) == -1) {
			mysql_free_result(res);
			*cause = xstrdup("out of memory");
			return -1;
		}
	}
	mysql_free_result(res);
	return 0;
}

/*
 * What watches the table: the triggers on it (as far as the account may
 * see them: information_schema shows triggers only with the TRIGGER
 * privilege) and the dbsyscheck functions in mysql.func (read once per
 * run; "unreadable" without SELECT on it).
 */
static int
source_watch(struct source *src, struct schema *s, char **cause)
{
	struct buf	 sql, w;

	buf_init(&w, BUF_NOCAP);
	buf_init(&sql, BUF_NOCAP);
	buf_adds(&sql, "SELECT TRIGGER_NAME, EVENT_MANIPULATION, "
	    "ACTION_TIMING, ACTION_ORDER, SHA2(ACTION_STATEMENT, 256), "
	    "DEFINER FROM information_schema.TRIGGERS WHERE "
	    "EVENT_OBJECT_SCHEMA = ");
	sqltext_hex(&sql, s->db, strlen(s->db), 0);
	buf_adds(&sql, " AND EVENT_OBJECT_TABLE = ");
	sqltext_hex(&sql, s->name, strlen(s->name), 0);
	buf_adds(&sql, " ORDER BY TRIGGER_NAME");
	if (source_watch_rows(src, &w, "trigger:", &sql, cause) == -1)
		goto fail;
	if (src->funcs == NULL) {
		struct buf	 f;

		buf_init(&f, BUF_NOCAP);
		buf_reset(&sql);
		buf_adds(&sql, "SELECT name, ret, dl, type FROM mysql.func "
		    "WHERE name IN ('dbsyscheck_log', 'log_error') "
		    "ORDER BY name");
		if (source_watch_rows(src, &f, "function:", &sql,
		    cause) == -1) {
			buf_free(&f);
			if (src->lost)
				goto fail;
			free(*cause);
			*cause = NULL;
			buf_init(&f, BUF_NOCAP);
			buf_adds(&f, "function:*\tunreadable\n");
		}
		src->funcs = xstrdup(buf_str(&f));
		buf_free(&f);
	}
	buf_adds(&w, src->funcs);
	if (w.data == NULL) {
		*cause = xstrdup("out of memory");
		goto fail;
	}
	s->watch = xstrdup(w.data);
	buf_free(&w);
	buf_free(&sql);
	return 0;

fail:
	buf_free(&w);
	buf_free(&sql);
	return -1;
}

/*
 * Describe DB.NAME: 0 and a schema, 1 when the table does not exist, -1
 * on error (no privilege, no usable key, connection lost).
 */
int
source_describe(struct source *src, const char *db, const char *name,
    struct schema **out, char **cause)
{
	struct schema	*s;
	struct buf	 sql;
	MYSQL_RES	*res;

	*out = NULL;
	s = schema_create(db, name);
	if (source_columns(src, s, cause) == -1)
		goto fail;
	if (s->ncols == 0) {
		/* information_schema hides tables we hold no privilege on. */
		buf_init(&sql, BUF_NOCAP);
		buf_adds(&sql, "SELECT 1 FROM ");
		sqltext_ident(&sql, db);
		buf_addc(&sql, '.');
		sqltext_ident(&sql, name);
		buf_adds(&sql, " LIMIT 0");
		res = source_small(src, &sql, cause);
		buf_free(&sql);
		if (res != NULL) {
			mysql_free_result(res);
			*cause = xstrdup("table has no visible columns");
			goto fail;
		}
		if (mysql_errno(src->my) == 1146 ||
		    mysql_errno(src->my) == 1049) {
			free(*cause);
			*cause = NULL;
			schema_free(s);
			return 1;
		}
		goto fail;
	}
	if (source_key(src, s, cause) == -1 ||
	    source_watch(src, s, cause) == -1)
		goto fail;
	*out = s;
	return 0;

fail:
	schema_free(s);
	return -1;
}

static int
source_from_where(struct buf *sql, const struct schema *s,
    const struct keyvals *lo, const struct keyvals *hi, char **cause)
{
	if (sqltext_from_where(sql, s, lo != NULL ? lo->vals : NULL,
	    lo != NULL ? lo->lens : NULL, hi != NULL ? hi->vals : NULL,
	    hi != NULL ? hi->lens : NULL) == -1) {
		*cause = xstrdup("malformed chunk bound");
		return -1;
	}
	return 0;
}

/*
 * Stream the hashed columns of every row in key order through cb, or of
 * the rows after lo up to hi inclusive (NULL: unbounded), each in its
 * encoding (col->enc), followed by the nextra columns of extra in theirs.
 * Integer keys and binary-ordered keys use the server's index order; other
 * key columns are sorted by the bytes of their key encoding (col->keyenc)
 * on the server (CAST AS BINARY; CAST(CAST(col AS CHAR) AS BINARY) for
 * the types whose stored bytes are not their text, schema_textorder), so
 * the order is memcmp order of the key bytes whatever the collation.
 * *stop set by a signal ends the stream (and the connection) at once.
 */
int
source_stream(struct source *src, const struct schema *s,
    const struct source_extra *extra, size_t nextra,
    const struct keyvals *lo, const struct keyvals *hi, source_row_cb cb,
    void *arg, volatile sig_atomic_t *stop, char **cause)
{
	const struct column *c;
	MYSQL_RES	*res;
	MYSQL_ROW	 row;
	unsigned long	*len;
	struct buf	 sql;
	size_t		 i, n = 0;
	int		 r = 0;

	buf_init(&sql, BUF_NOCAP);
	buf_adds(&sql, "SELECT ");
	for (i = 0; i < s->ncols; i++) {
		if (!s->cols[i].hashed)
			continue;
		if (n++ > 0)
			buf_adds(&sql, ", ");
		sqltext_expr(&sql, &s->cols[i], s->cols[i].enc);
	}
	for (i = 0; i < nextra; i++) {
		if (extra[i].col >= s->ncols || n++ == 0) {
			*cause = xstrdup("malformed column list");
			buf_free(&sql);
			return -1;
		}
		buf_adds(&sql, ", ");
		sqltext_expr(&sql, &s->cols[extra[i].col], extra[i].enc);
	}
	if (source_from_where(&sql, s, lo, hi, cause) == -1) {
		buf_free(&sql);
		return -1;
	}
	buf_adds(&sql, " ORDER BY ");
	for (i = 0; i < s->nkey; i++) {
		if (i > 0)
			buf_adds(&sql, ", ");
		c = &s->cols[s->key[i]];
		if (c->castorder)
			buf_adds(&sql, "CAST(");
		if (c->castorder && schema_textorder(c))
			buf_adds(&sql, "CAST(");
		sqltext_expr(&sql, c, c->keyenc);
		if (c->castorder && schema_textorder(c))
			buf_adds(&sql, " AS CHAR)");
		if (c->castorder)
			buf_adds(&sql, " AS BINARY)");
	}
	if (sql.data == NULL) {
		*cause = xstrdup("query too large");
		return -1;
	}
	r = source_query(src, sql.data, cause);
	buf_free(&sql);
	if (r == -1)
		return -1;
	if ((res = mysql_use_result(src->my)) == NULL) {
		*cause = source_err(src, "reading rows");
		return -1;
	}
	if (mysql_num_fields(res) != n) {
		*cause = xstrdup("unexpected number of columns");
		mysql_free_result(res);
		return -1;
	}
	for (;;) {
		if (*stop) {
			*cause = xstrdup("interrupted by a signal");
			src->lost = 1;
			r = -1;
			break;
		}
		if ((row = mysql_fetch_row(res)) == NULL) {
			if (mysql_errno(src->my) != 0) {
				*cause = source_err(src, "reading rows");
				r = -1;
			}
			break;
		}
		if ((len = mysql_fetch_lengths(res)) == NULL) {
			*cause = source_err(src, "reading rows");
			r = -1;
			break;
		}
		if (cb(arg, (const char *const *)row, len) == -1) {
			r = -1;
			break;
		}
	}
	if (src->lost && *stop) {
		/*
		 * Do not drain the rest of a large table: shut the socket so
		 * that freeing the result fails at once.
		 */
		shutdown((int)mysql_get_socket(src->my), SHUT_RDWR);
	}
	mysql_free_result(res);
	return r;
}

/*
 * 1 when no row of the table can come near max_allowed_packet as one
 * string (its column types bound it to a quarter of that), 0 otherwise.
 */
static int
source_bounded(struct source *src, const struct schema *s, char **cause)
{
	struct buf	 sql;
	long long	 v;
	size_t		 i, max, total = 64 * s->ncols + 32;
	int		 r;

	if (src->maxpacket == 0) {
		buf_init(&sql, BUF_NOCAP);
		buf_adds(&sql, "SELECT @@max_allowed_packet");
		r = source_number(src, &sql, 0, 1, LLONG_MAX,
		    "max_allowed_packet", &v, cause);
		buf_free(&sql);
		if (r == -1)
			return -1;
		src->maxpacket = (unsigned long long)v;
	}
	for (i = 0; i < s->ncols; i++) {
		if (!s->cols[i].hashed || !s->cols[i].varlen)
			continue;
		if ((max = schema_text_max(&s->cols[i])) >= src->maxpacket)
			return 0;
		total += max;
		if (total >= src->maxpacket / 4)
			return 0;
	}
	return 1;
}

/*
 * Read a chunk query's row (count, aggregate, rows too long to hash) and
 * free the result. The aggregate comes as an unsigned decimal from SQL and
 * as a signed BIGINT from dbsyscheck_chunk(): the same 64 bits.
 */
static int
source_chunk_result(MYSQL_RES *res, uint64_t *count,
    unsigned char agg[CHUNKHASH_AGG_LEN], uint64_t *oversize, char **cause)
{
	MYSQL_ROW		 row;
	const char		*errstr = NULL, *operr = NULL;
	int			 aggerr = 0;

	row = mysql_fetch_row(res);
	if (row == NULL || mysql_num_fields(res) != 3 || row[0] == NULL) {
		*cause = xstrdup("unexpected chunk result");
		mysql_free_result(res);
		return -1;
	}
	*count = (uint64_t)util_strtocount(row[0], LLONG_MAX, &errstr);
	if (row[1] == NULL)
		memset(agg, 0, CHUNKHASH_AGG_LEN);
	else
		aggerr = rowenc_agg_parse(row[1], agg);
	*oversize = row[2] != NULL ?
	    (uint64_t)util_strtocount(row[2], LLONG_MAX, &operr) : 0;
	mysql_free_result(res);
	if (errstr != NULL || aggerr != 0 || operr != NULL) {
		*cause = xstrdup("unexpected chunk result");
		return -1;
	}
	return 0;
}

/*
 * The chunk query through dbsyscheck_chunk(), the UDF library's aggregate
 * (src/udf/udf_chunk.c), when the server has it: the same count and
 * aggregate for a fraction of the server's work. NULL with *cause unset
 * when the function is not installed.
 */
static MYSQL_RES *
source_chunk_udf(struct source *src, const struct schema *s,
    const struct keyvals *lo, const struct keyvals *hi, char **cause)
{
	MYSQL_RES	*res;
	struct buf	 sql;

	buf_init(&sql, BUF_NOCAP);
	if (sqltext_chunk_udf(&sql, s) == -1) {
		*cause = xstrdup(sql.data == NULL ? "query too large" :
		    "no column to hash");
		buf_free(&sql);
		return NULL;
	}
	if (source_from_where(&sql, s, lo, hi, cause) == -1) {
		buf_free(&sql);
		return NULL;
	}
	res = source_small(src, &sql, cause);
	buf_free(&sql);
	if (res == NULL && src->chunk_udf == -1 && !src->lost &&
	    mysql_errno(src->my) == 1305) {
		/* ER_SP_DOES_NOT_EXIST: not installed; SQL from now on. */
		free(*cause);
		*cause = NULL;
		src->chunk_udf = 0;
		return NULL;
	}
	if (res != NULL)
		src->chunk_udf = 1;
	return res;
}

/*
 * The server's aggregate of the rows after lo up to hi (NULL: unbounded):
 * their number and the XOR of the first 8 bytes of each row's SHA-256
 * (chunkhash_row computes the same on the client), with dbsyscheck_chunk()
 * when the server has it, else in SQL. Character columns are hashed as
 * stored: in SQL, when they do not share one ASCII-compatible character
 * set, as CAST(... AS BINARY), so CONCAT_WS never converts them.
 */
int
source_chunk(struct source *src, const struct schema *s,
    const struct keyvals *lo, const struct keyvals *hi, uint64_t *count,
    unsigned char agg[CHUNKHASH_AGG_LEN], uint64_t *oversize, char **cause)
{
	MYSQL_RES	*res;
	struct buf	 sql;
	char		*ucause = NULL;
	int		 bounded;

	if (src->chunk_udf != 0) {
		res = source_chunk_udf(src, s, lo, hi, &ucause);
		if (res != NULL)
			return source_chunk_result(res, count, agg, oversize,
			    cause);
		if (ucause != NULL) {
			*cause = ucause;
			return -1;
		}
	}
	/*
	 * Rows that may come near max_allowed_packet are counted unless the
	 * column types bound every row well below it (sqltext_chunk_sql).
	 */
	if ((bounded = source_bounded(src, s, cause)) == -1)
		return -1;
	buf_init(&sql, BUF_NOCAP);
	if (sqltext_chunk_sql(&sql, s, bounded) == -1) {
		*cause = xstrdup("query too large");
		buf_free(&sql);
		return -1;
	}
	if (source_from_where(&sql, s, lo, hi, cause) == -1) {
		buf_free(&sql);
		return -1;
	}
	res = source_small(src, &sql, cause);
	buf_free(&sql);
	if (res == NULL)
		return -1;
	return source_chunk_result(res, count, agg, oversize, cause);
}

/*
 * The server's Threads_running, not counting the thread asking nor, when
 * other is not NULL, other's thread while it runs a statement (a scan
 * whose rows the server is still sending; once all are sent, it sleeps).
 */
int
source_threads_running(struct source *src, const struct source *other,
    unsigned long *n, char **cause)
{
	struct buf	 sql;
	long long	 running, busy = 0;
	int		 r;

	buf_init(&sql, BUF_NOCAP);
	buf_adds(&sql, "SHOW GLOBAL STATUS LIKE 'Threads_running'");
	r = source_number(src, &sql, 1, 0, LLONG_MAX, "Threads_running",
	    &running, cause);
	if (r == 0 && other != NULL) {
		/* An account always sees its own threads. */
		buf_reset(&sql);
		buf_printf(&sql, "SELECT COUNT(*) FROM "
		    "information_schema.PROCESSLIST WHERE ID = %lu AND "
		    "COMMAND <> 'Sleep'", mysql_thread_id(other->my));
		r = source_number(src, &sql, 0, 0, 1, "PROCESSLIST", &busy,
		    cause);
	}
	buf_free(&sql);
	if (r == -1)
		return -1;
	*n = running > 1 + busy ? (unsigned long)(running - 1 - busy) : 0;
	return 0;
}

/* 1 in *empty when DB.NAME holds no row. */
int
source_empty(struct source *src, const struct schema *s, int *empty,
    char **cause)
{
	struct buf	 sql;
	MYSQL_RES	*res;

	buf_init(&sql, BUF_NOCAP);
	buf_adds(&sql, "SELECT 1 FROM ");
	sqltext_ident(&sql, s->db);
	buf_addc(&sql, '.');
	sqltext_ident(&sql, s->name);
	buf_adds(&sql, " LIMIT 1");
	res = source_small(src, &sql, cause);
	buf_free(&sql);
	if (res == NULL)
		return -1;
	*empty = mysql_num_rows(res) == 0;
	mysql_free_result(res);
	return 0;
}

/*
 * The binary-log position of the run's snapshot (MariaDB's
 * binlog_snapshot_file and binlog_snapshot_position, read in the
 * snapshot's session after source_begin) and the server's @@server_id:
 * 1; 0 when the server gives none (no binary log, or not MariaDB).
 */
int
source_snapshot_pos(struct source *src, char *file, size_t filesz,
    uint64_t *offset, uint64_t *server_id, char **cause)
{
	struct buf	 sql;
	MYSQL_RES	*res;
	MYSQL_ROW	 row;
	unsigned long	*lens;
	const char	*errstr;
	long long	 n;
	int		 found = 0, bad = 0;

	file[0] = '\0';
	*offset = 0;
	buf_init(&sql, BUF_NOCAP);
	buf_adds(&sql, "SHOW SESSION STATUS LIKE 'binlog\\_snapshot\\_%'");
	res = source_small(src, &sql, cause);
	if (res == NULL) {
		buf_free(&sql);
		return -1;
	}
	while (mysql_num_fields(res) == 2 &&
	    (row = mysql_fetch_row(res)) != NULL) {
		lens = mysql_fetch_lengths(res);
		if (row[0] == NULL || row[1] == NULL)
			continue;
		if (strcmp(row[0], "Binlog_snapshot_file") == 0) {
			if (lens[1] >= filesz ||
			    memchr(row[1], '\0', lens[1]) != NULL)
				bad = 1;
			else {
				memcpy(file, row[1], lens[1]);
				file[lens[1]] = '\0';
				found |= 1;
			}
		} else if (strcmp(row[0], "Binlog_snapshot_position") == 0) {
			n = util_strtonum(row[1], 0, LLONG_MAX, &errstr);
			if (errstr != NULL)
				bad = 1;
			else {
				*offset = (uint64_t)n;
				found |= 2;
			}
		}
	}
	mysql_free_result(res);
	if (bad) {
		buf_free(&sql);
		*cause = xstrdup("the server's binlog_snapshot_file or "
		    "binlog_snapshot_position is malformed");
		return -1;
	}
	if (found != 3 || file[0] == '\0' || *offset < 4) {
		buf_free(&sql);
		file[0] = '\0';
		return 0;
	}
	buf_reset(&sql);
	buf_adds(&sql, "SELECT @@server_id");
	if (source_number(src, &sql, 0, 0, UINT32_MAX, "@@server_id", &n,
	    cause) == -1) {
		buf_free(&sql);
		return -1;
	}
	buf_free(&sql);
	*server_id = (uint64_t)n;
	return 1;
}

/*
 * Whether DB.NAME's rows are all read in the snapshot and all its rows
 * the scan reads: *why NULL, or (allocated) why not: an engine other
 * than InnoDB (MyISAM, Aria, MEMORY...: changed while read), a
 * system-versioned table (its history rows are in the log, not in the
 * scan).
 */
int
source_snapshotted(struct source *src, const char *db, const char *name,
    char **why, char **cause)
{
	struct buf	 sql;
	MYSQL_RES	*res;
	MYSQL_ROW	 row;

	*why = NULL;
	buf_init(&sql, BUF_NOCAP);
	buf_adds(&sql, "SELECT ENGINE, TABLE_TYPE FROM "
	    "information_schema.TABLES");
	source_where(&sql, db, name);
	res = source_small(src, &sql, cause);
	buf_free(&sql);
	if (res == NULL)
		return -1;
	if (mysql_num_fields(res) != 2 || (row = mysql_fetch_row(res)) ==
	    NULL || row[0] == NULL || strcasecmp(row[0], "InnoDB") != 0)
		*why = xstrdup("its engine is not InnoDB: its rows are not "
		    "read in the scan's snapshot");
	else if (row[1] != NULL && strcasecmp(row[1], "BASE TABLE") != 0)
		*why = xasprintf("it is a %s table: the log holds rows the "
		    "scan does not read", row[1]);
	mysql_free_result(res);
	return 0;
}

/* A backquoted identifier of SHOW CREATE TABLE at *p, unquoted. */
static int
source_bqident(const char **p, const char *end, struct buf *out)
{
	buf_reset(out);
	if (*p >= end || **p != '`')
		return -1;
	for ((*p)++; *p < end; (*p)++) {
		if (**p == '`') {
			if (*p + 1 < end && (*p)[1] == '`')
				(*p)++;
			else {
				(*p)++;
				return buf_addc(out, '\0');
			}
		}
		buf_addc(out, **p);
	}
	return -1;
}

/* The action of ON what ... in a foreign key's line [p, end). */
static int
source_fk_action(const char *p, const char *end, const char *what)
{
	const char	*q;
	size_t		 n = strlen(what);

	for (q = p; q + n <= end; q++) {
		if (memcmp(q, what, n) != 0)
			continue;
		q += n;
		if ((size_t)(end - q) >= 7 && memcmp(q, "CASCADE", 7) == 0)
			return 1;
		if ((size_t)(end - q) >= 4 && memcmp(q, "SET ", 4) == 0)
			return 2;
		return 0;
	}
	return 0;
}

/*
 * The foreign keys of DB.NAME that change its rows when their parent's
 * change (ON DELETE or ON UPDATE CASCADE, SET NULL, SET DEFAULT), whose
 * changes the binary log does not hold: cb gets each parent's database,
 * name and SOURCE_FK_* bits, and the key's columns in the child (names,
 * each NUL-terminated, len bytes in all). Read from SHOW CREATE TABLE, which SELECT
 * allows (information_schema's REFERENTIAL_CONSTRAINTS shows such an
 * account nothing).
 */
int
source_cascades(struct source *src, const char *db, const char *name,
    void (*cb)(void *, const char *, const char *, int, const char *,
    size_t), void *arg, char **cause)
{
	struct buf	 sql, pdb, pname, cols, col;
	MYSQL_RES	*res;
	MYSQL_ROW	 row;
	unsigned long	*lens;
	const char	*p, *end, *eol, *q;
	int		 flags, a;

	buf_init(&sql, BUF_NOCAP);
	buf_adds(&sql, "SHOW CREATE TABLE ");
	sqltext_ident(&sql, db);
	buf_addc(&sql, '.');
	sqltext_ident(&sql, name);
	res = source_small(src, &sql, cause);
	buf_free(&sql);
	if (res == NULL)
		return -1;
	buf_init(&pdb, BUF_NOCAP);
	buf_init(&pname, BUF_NOCAP);
	buf_init(&cols, BUF_NOCAP);
	buf_init(&col, BUF_NOCAP);
	if (mysql_num_fields(res) >= 2 && (row = mysql_fetch_row(res)) !=
	    NULL && row[1] != NULL) {
		lens = mysql_fetch_lengths(res);
		end = row[1] + lens[1];
		for (p = row[1]; p < end; p = eol + 1) {
			if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
				eol = end;
			/* "  CONSTRAINT `c` FOREIGN KEY (...) REFERENCES" */
			for (q = p; q < eol && *q == ' '; q++)
				;
			if ((size_t)(eol - q) < 11 ||
			    memcmp(q, "CONSTRAINT ", 11) != 0)
				continue;
			/* The child's columns: FOREIGN KEY (`a`, `b`). */
			q += 11;
			if (source_bqident(&q, eol, &col) == -1 ||
			    (size_t)(eol - q) < 14 ||
			    memcmp(q, " FOREIGN KEY (", 14) != 0)
				continue;
			q += 14;
			buf_reset(&cols);
			while (source_bqident(&q, eol, &col) == 0) {
				buf_add(&cols, col.data, col.len);
				if (q + 2 <= eol && memcmp(q, ", ", 2) == 0)
					q += 2;
			}
			if ((size_t)(eol - q) < 13 ||
			    memcmp(q, ") REFERENCES ", 13) != 0)
				continue;
			q += 13;
			if (source_bqident(&q, eol, &pname) == -1)
				continue;
			if (q < eol && *q == '.') {
				q++;
				buf_reset(&pdb);
				buf_add(&pdb, pname.data, pname.len);
				if (source_bqident(&q, eol, &pname) == -1)
					continue;
			} else {
				buf_reset(&pdb);
				buf_add(&pdb, db, strlen(db) + 1);
			}
			flags = 0;
			a = source_fk_action(q, eol, " ON DELETE ");
			if (a == 1)
				flags |= SOURCE_FK_DEL_DELETES;
			else if (a == 2)
				flags |= SOURCE_FK_DEL_UPDATES;
			if (source_fk_action(q, eol, " ON UPDATE ") != 0)
				flags |= SOURCE_FK_UPD_UPDATES;
			if (flags != 0 && !buf_failed(&pdb) &&
			    !buf_failed(&pname) && !buf_failed(&cols) &&
			    cols.len > 0)
				cb(arg, pdb.data, pname.data, flags,
				    cols.data, cols.len);
		}
	}
	buf_free(&pdb);
	buf_free(&pname);
	buf_free(&cols);
	buf_free(&col);
	mysql_free_result(res);
	return 0;
}

/* 1 when the comma-separated list names db. */
static int
source_inlist(const char *list, const char *db)
{
	const char	*p, *e;
	size_t		 n = strlen(db);

	for (p = list; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, ",");
		if ((size_t)(e - p) == n && memcmp(p, db, n) == 0)
			return 1;
	}
	return 0;
}

/*
 * What of its own changes the server's binary log leaves out, read once:
 * binlog_do_db and binlog_ignore_db (SHOW MASTER STATUS, with BINLOG
 * MONITOR), and whether it applies replicated changes without logging
 * them (log_slave_updates off, gtid_slave_pos not empty). -1 when the
 * server does not say.
 */
int
source_binlog_holes(struct source *src, struct source_holes *h,
    char **cause)
{
	struct buf	 sql;
	MYSQL_RES	*res;
	MYSQL_ROW	 row;

	memset(h, 0, sizeof *h);
	buf_init(&sql, BUF_NOCAP);
	buf_adds(&sql, "SHOW MASTER STATUS");
	res = source_small(src, &sql, cause);
	if (res == NULL) {
		buf_free(&sql);
		return -1;
	}
	if (mysql_num_fields(res) >= 4 && (row = mysql_fetch_row(res)) !=
	    NULL) {
		if (row[2] != NULL && row[2][0] != '\0')
			h->do_db = xstrdup(row[2]);
		if (row[3] != NULL && row[3][0] != '\0')
			h->ignore_db = xstrdup(row[3]);
	}
	mysql_free_result(res);
	buf_reset(&sql);
	buf_adds(&sql, "SELECT @@global.log_slave_updates, "
	    "@@global.gtid_slave_pos");
	res = source_small(src, &sql, cause);
	buf_free(&sql);
	if (res == NULL) {
		source_holes_clear(h);
		return -1;
	}
	if (mysql_num_fields(res) == 2 && (row = mysql_fetch_row(res)) !=
	    NULL && row[0] != NULL && strcmp(row[0], "0") == 0 &&
	    row[1] != NULL && row[1][0] != '\0')
		h->unlogged_replica = 1;
	mysql_free_result(res);
	return 0;
}

/* Why the log leaves out the changes of database db, or NULL. */
char *
source_holes_why(const struct source_holes *h, const char *db)
{
	if (h->do_db != NULL && !source_inlist(h->do_db, db))
		return xstrdup("the server's binlog_do_db does not name its "
		    "database: its changes are not logged");
	if (h->ignore_db != NULL && source_inlist(h->ignore_db, db))
		return xstrdup("the server's binlog_ignore_db names its "
		    "database: its changes are not logged");
	if (h->unlogged_replica)
		return xstrdup("the server applies replicated changes "
		    "(gtid_slave_pos is set) without logging them "
		    "(log_slave_updates off)");
	return NULL;
}

void
source_holes_clear(struct source_holes *h)
{
	free(h->do_db);
	free(h->ignore_db);
	memset(h, 0, sizeof *h);
}

/* 1 in *fold when the server folds table names (lower_case_table_names). */
int
source_foldcase(struct source *src, int *fold, char **cause)
{
	struct buf	 sql;
	long long	 n;
	int		 r;

	buf_init(&sql, BUF_NOCAP);
	buf_adds(&sql, "SELECT @@lower_case_table_names");
	r = source_number(src, &sql, 0, 0, 2, "lower_case_table_names", &n,
	    cause);
	buf_free(&sql);
	if (r == -1)
		return -1;
	*fold = n != 0;
	return 0;
}

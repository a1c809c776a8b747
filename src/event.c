/* Typed builders for every record dbsyscheck writes: the owner of caps. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "event.h"
#include "record.h"
#include "rowenc.h"
#include "schema.h"
#include "xmalloc.h"

/* Every record says where it came from. */
#define EVENT_SRC	"scan"
#define EVENT_SRC_BINLOG "binlog"

/*
 * The end of every builder: record.c's builders return -1 only when the
 * buffer failed (every value is cut to fit), so one check is enough.
 */
static int
event_done(struct buf *b, int r, char **cause)
{
	if (r == -1 || buf_failed(b) || b->data == NULL) {
		*cause = xstrdup("out of memory building a record");
		return -1;
	}
	return 0;
}

/* A row record: op, table, pk, changed ("-" when none), src, by. */
static int
event_row(struct buf *b, const char *op, const struct schema *s,
    const unsigned char *key, size_t keylen, const struct buf *changed,
    const char *src, const struct event_who *who, char **cause)
{
	struct buf	 pk;
	int		 r;

	buf_init(&pk, BUF_NOCAP);
	if (rowenc_key_text(&pk, s, key, keylen, RECORD_PK_VALUE_MAX) == -1) {
		buf_free(&pk);
		*cause = xstrdup("stored key does not decode");
		return -1;
	}
	r = record_row(b, op, s->db, s->name, buf_str(&pk), pk.len,
	    changed != NULL ? buf_str(changed) : "",
	    changed != NULL ? changed->len : 0, src,
	    who != NULL ? who->account : NULL, who != NULL ? who->how : NULL);
	buf_free(&pk);
	return event_done(b, r, cause);
}

/* op=insert. */
int
event_insert(struct buf *b, const struct schema *s, const unsigned char *key,
    size_t keylen, char **cause)
{
	return event_row(b, "insert", s, key, keylen, NULL, EVENT_SRC, NULL,
	    cause);
}

/* op=delete. */
int
event_delete(struct buf *b, const struct schema *s, const unsigned char *key,
    size_t keylen, char **cause)
{
	return event_row(b, "delete", s, key, keylen, NULL, EVENT_SRC, NULL,
	    cause);
}

/* The changed= list: the names, comma-separated ("?" when none). */
static int
event_changed(struct buf *changed, const char *const *names, size_t n,
    char **cause)
{
	size_t	 i;

	/* Only a tag collision (2^-64 per column) leaves no name. */
	if (n == 0)
		buf_adds(changed, "%3F");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(changed, ',');
		record_name(changed, names[i]);
	}
	if (buf_failed(changed)) {
		*cause = xstrdup("out of memory building a record");
		return -1;
	}
	return 0;
}

/* op=update with the names of the changed columns, comma-separated. */
int
event_update(struct buf *b, const struct schema *s, const unsigned char *key,
    size_t keylen, const char *const *names, size_t n, char **cause)
{
	struct buf	 changed;
	int		 r = -1;

	buf_init(&changed, BUF_NOCAP);
	if (event_changed(&changed, names, n, cause) == 0)
		r = event_row(b, "update", s, key, keylen, &changed,
		    EVENT_SRC, NULL, cause);
	buf_free(&changed);
	return r;
}

/* op=insert, src=binlog. */
int
event_binlog_insert(struct buf *b, const struct schema *s,
    const unsigned char *key, size_t keylen, const struct event_who *who,
    char **cause)
{
	return event_row(b, "insert", s, key, keylen, NULL, EVENT_SRC_BINLOG,
	    who, cause);
}

/* op=delete, src=binlog. */
int
event_binlog_delete(struct buf *b, const struct schema *s,
    const unsigned char *key, size_t keylen, const struct event_who *who,
    char **cause)
{
	return event_row(b, "delete", s, key, keylen, NULL, EVENT_SRC_BINLOG,
	    who, cause);
}

/* op=update, src=binlog: n is never 0 (no changed column, no record). */
int
event_binlog_update(struct buf *b, const struct schema *s,
    const unsigned char *key, size_t keylen, const char *const *names,
    size_t n, const struct event_who *who, char **cause)
{
	struct buf	 changed;
	int		 r = -1;

	buf_init(&changed, BUF_NOCAP);
	if (event_changed(&changed, names, n, cause) == 0)
		r = event_row(b, "update", s, key, keylen, &changed,
		    EVENT_SRC_BINLOG, who, cause);
	buf_free(&changed);
	return r;
}

/* The end of a record built field by field: src, by= (by), " ;". */
static int
event_tail(struct buf *b, const char *src, int by,
    const struct event_who *who, char **cause)
{
	record_field(b, "src", src);
	if (by)
		record_by(b, who != NULL ? who->account : NULL,
		    who != NULL ? who->how : NULL);
	record_end(b);
	if (buf_failed(b) || b->data == NULL ||
	    record_check(b->data, b->len) == -1) {
		*cause = xstrdup("out of memory building a record");
		return -1;
	}
	return 0;
}

/* " NAME=FILE:OFFSET", the file encoded. */
static void
event_posname(struct buf *b, const char *name, const char *file,
    uint64_t offset)
{
	buf_addc(b, ' ');
	buf_adds(b, name);
	buf_addc(b, '=');
	if (*file == '\0')
		buf_addc(b, '-');
	else
		record_pct(b, file, strlen(file), 0);
	buf_printf(b, ":%llu", (unsigned long long)offset);
}

/* " pos=FILE:OFFSET". */
static void
event_pos(struct buf *b, const char *file, uint64_t offset)
{
	event_posname(b, "pos", file, offset);
}

/*
 * op=untraced: a row whose change between two scans the binary log
 * between their snapshots (from, to) does not explain.
 */
int
event_untraced(struct buf *b, const struct schema *s,
    const unsigned char *key, size_t keylen, const char *change,
    const char *logged, const struct event_span *span, char **cause)
{
	struct buf	 pk;

	buf_init(&pk, BUF_NOCAP);
	if (rowenc_key_text(&pk, s, key, keylen, RECORD_PK_VALUE_MAX) == -1) {
		buf_free(&pk);
		*cause = xstrdup("stored key does not decode");
		return -1;
	}
	buf_reset(b);
	record_begin(b, "untraced");
	record_table(b, s->db, strlen(s->db), s->name, strlen(s->name));
	buf_adds(b, " pk=");
	record_cut(b, buf_str(&pk), pk.len, RECORD_PK_MAX);
	buf_free(&pk);
	record_field(b, "change", change);
	record_field(b, "logged", logged);
	event_posname(b, "from", span->from, span->fromoff);
	event_posname(b, "to", span->to, span->tooff);
	return event_tail(b, EVENT_SRC, 1, NULL, cause);
}

/* " gtid= conn= time= pos=" of a transaction. */
static void
event_txn(struct buf *b, const struct event_txn *t)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t->when;
	char		 when[32];

	record_field_value(b, "gtid", t->gtid, strlen(t->gtid));
	if (t->conn == 0)
		record_field(b, "conn", "-");
	else
		record_field_num(b, "conn", t->conn);
	if (t->when == 0 || gmtime_r(&tt, &tm) == NULL ||
	    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		record_field(b, "time", "-");
	else
		record_field(b, "time", when);
	event_pos(b, t->file, t->offset);
}

/* The end of a src=binlog record: src, by (unless none), " ;", checked. */
static int
event_binlog_end(struct buf *b, int by, const struct event_who *who,
    char **cause)
{
	return event_tail(b, EVENT_SRC_BINLOG, by, who, cause);
}

/* op=commit rows=n: a transaction that changed watched rows committed. */
int
event_commit(struct buf *b, uint64_t rows, const struct event_txn *t,
    char **cause)
{
	buf_reset(b);
	record_begin(b, "commit");
	record_field_num(b, "rows", rows);
	event_txn(b, t);
	return event_binlog_end(b, 1, t->who, cause);
}

/* op=ddl stmt=: a statement that truncates, drops, renames, ... a table. */
int
event_ddl(struct buf *b, const char *db, size_t dblen, const char *name,
    size_t namelen, const char *stmt, const struct event_txn *t,
    char **cause)
{
	buf_reset(b);
	record_begin(b, "ddl");
	record_table(b, db, dblen, name, namelen);
	record_field_value(b, "stmt", stmt, strlen(stmt));
	event_txn(b, t);
	return event_binlog_end(b, 1, t->who, cause);
}

/* op=start: a follower's first run, from the end of the log. */
int
event_start(struct buf *b, const char *file, uint64_t offset,
    const char *gtid, char **cause)
{
	buf_reset(b);
	record_begin(b, "start");
	event_pos(b, file, offset);
	record_field_value(b, "gtid", gtid, strlen(gtid));
	return event_binlog_end(b, 0, NULL, cause);
}

/* op=error, the message cut at RECORD_MSG_MAX. */
int
event_error(struct buf *b, const char *db, const char *name, int tampered,
    const char *msg, char **cause)
{
	return event_done(b, record_error(b, db, name, tampered, msg,
	    EVENT_SRC), cause);
}

/* op=error from the source src ("scan", "binlog"). */
int
event_error_src(struct buf *b, const char *db, const char *name,
    int tampered, const char *msg, const char *src, char **cause)
{
	return event_done(b, record_error(b, db, name, tampered, msg,
	    src != NULL ? src : EVENT_SRC), cause);
}

/* op=missing. */
int
event_missing(struct buf *b, const char *db, const char *name, uint64_t rows,
    char **cause)
{
	return event_done(b, record_count(b, "missing", db, name, "rows",
	    (unsigned long long)rows, EVENT_SRC, NULL), cause);
}

/* op=schema with the change fields fitted into RECORD_SCHEMA_MAX. */
int
event_schema(struct buf *b, const char *db, const char *name, int tampered,
    const char *fields, size_t len, const char *tail, char **cause)
{
	return event_done(b, record_schema(b, db, name, tampered, fields, len,
	    tail, EVENT_SRC), cause);
}

/* op=schema emptied=. */
int
event_emptied(struct buf *b, const char *db, const char *name, uint64_t rows,
    char **cause)
{
	return event_done(b, record_count(b, "schema", db, name, "emptied",
	    (unsigned long long)rows, EVENT_SRC, NULL), cause);
}

/* op=baseline. */
int
event_baseline(struct buf *b, const char *db, const char *name,
    uint64_t rows, char **cause)
{
	return event_done(b, record_count(b, "baseline", db, name, "rows",
	    (unsigned long long)rows, EVENT_SRC, NULL), cause);
}

/* op=reset, by= cut at RECORD_BY_MAX. */
int
event_reset(struct buf *b, const char *db, const char *name, uint64_t rows,
    const char *by, char **cause)
{
	return event_done(b, record_count(b, "reset", db, name, "rows",
	    (unsigned long long)rows, EVENT_SRC, by), cause);
}

/* op=summary (no src=: report writes it, not a scan). */
int
event_summary(struct buf *b, uint64_t inserts, uint64_t updates,
    uint64_t deletes, uint64_t errors, uint64_t pending, char **cause)
{
	buf_reset(b);
	record_begin(b, "summary");
	record_field_num(b, "inserts", inserts);
	record_field_num(b, "updates", updates);
	record_field_num(b, "deletes", deletes);
	record_field_num(b, "errors", errors);
	record_field_num(b, "pending", pending);
	record_end(b);
	return event_done(b, 0, cause);
}

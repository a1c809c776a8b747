/* Typed builders for every record the scanner writes: the owner of caps. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "record.h"
#include "rowenc.h"
#include "schema.h"
#include "xmalloc.h"

/* Every scanner record says where it came from. */
#define EVENT_SRC	"scan"

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

/* A row record: op, table, pk, changed ("-" when none), src, by=-. */
static int
event_row(struct buf *b, const char *op, const struct schema *s,
    const unsigned char *key, size_t keylen, const struct buf *changed,
    char **cause)
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
	    changed != NULL ? changed->len : 0, EVENT_SRC, NULL);
	buf_free(&pk);
	return event_done(b, r, cause);
}

/* op=insert. */
int
event_insert(struct buf *b, const struct schema *s, const unsigned char *key,
    size_t keylen, char **cause)
{
	return event_row(b, "insert", s, key, keylen, NULL, cause);
}

/* op=delete. */
int
event_delete(struct buf *b, const struct schema *s, const unsigned char *key,
    size_t keylen, char **cause)
{
	return event_row(b, "delete", s, key, keylen, NULL, cause);
}

/* op=update with the names of the changed columns, comma-separated. */
int
event_update(struct buf *b, const struct schema *s, const unsigned char *key,
    size_t keylen, const char *const *names, size_t n, char **cause)
{
	struct buf	 changed;
	size_t		 i;
	int		 r;

	buf_init(&changed, BUF_NOCAP);
	/* Only a tag collision (2^-64 per column) leaves no name. */
	if (n == 0)
		buf_adds(&changed, "%3F");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&changed, ',');
		record_name(&changed, names[i]);
	}
	if (buf_failed(&changed)) {
		buf_free(&changed);
		*cause = xstrdup("out of memory building a record");
		return -1;
	}
	r = event_row(b, "update", s, key, keylen, &changed, cause);
	buf_free(&changed);
	return r;
}

/* op=error, the message cut at RECORD_MSG_MAX. */
int
event_error(struct buf *b, const char *db, const char *name, int tampered,
    const char *msg, char **cause)
{
	return event_done(b, record_error(b, db, name, tampered, msg,
	    EVENT_SRC), cause);
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

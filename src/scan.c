/* One run over the watched tables: stream, digest, diff, queue records. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "baseline.h"
#include "buf.h"
#include "conf.h"
#include "diff.h"
#include "record.h"
#include "rowenc.h"
#include "scan.h"
#include "schema.h"
#include "source_mysql.h"
#include "util.h"
#include "xmalloc.h"

struct scan {
	struct source		*src;
	struct baseline		*bl;
	const unsigned char	*key;
	size_t			 keylen;
	char			*by;
	volatile sig_atomic_t	*stop;
	struct scan_stats	 stats;
};

/* The state of one table's pass. */
struct tscan {
	struct scan		*run;
	struct schema		*s;
	struct rowenc		*re;
	int64_t			 tid;
	int			 report;	/* queue row records */
	int			 updates;	/* ... including updates */
	uint64_t		 nrows;
	size_t			 nhashed;
	size_t			*keyidx;	/* key column -> value index */
	size_t			*colidx;	/* value index -> column */
	const char *const	*vals;
	const unsigned long	*lens;
	unsigned char		 digest[ROWENC_DIGEST_LEN];
	unsigned char		*tags;
	struct buf		 key;
	struct buf		 rec;
	struct baseline_cursor	*cur;
	struct diff		*diff;
	char			*cause;
};

/* A run over src, recording into bl under key. */
struct scan *
scan_create(struct source *src, struct baseline *bl, const unsigned char *key,
    size_t keylen, const char *by, volatile sig_atomic_t *stop)
{
	struct scan	*sc;

	sc = xcalloc(1, sizeof *sc);
	sc->src = src;
	sc->bl = bl;
	sc->key = key;
	sc->keylen = keylen;
	sc->by = xstrdup(by);
	sc->stop = stop;
	return sc;
}

/* Free a run. */
void
scan_free(struct scan *sc)
{
	if (sc == NULL)
		return;
	free(sc->by);
	free(sc);
}

/* What the run has found so far. */
const struct scan_stats *
scan_stats(const struct scan *sc)
{
	return &sc->stats;
}

static int
scan_queue(struct baseline *bl, const char *op, struct buf *rec,
    char **cause)
{
	if (rec->data == NULL) {
		*cause = xstrdup("record too large");
		return -1;
	}
	return baseline_outbox_add(bl, op, rec->data, rec->len, cause);
}

/*
 * Queue an op=error record (table may be NULL for a run-level error). The
 * message is cut at RECORD_MSG_MAX.
 */
int
scan_error(struct baseline *bl, const char *db, const char *name,
    const char *msg, char **cause)
{
	struct buf	 rec, m;
	int		 r;

	buf_init(&rec, RECORD_MAX);
	buf_init(&m, BUF_NOCAP);
	record_pct(&m, msg, strlen(msg), 0);
	record_begin(&rec, "error");
	if (db != NULL)
		record_table(&rec, db, strlen(db), name, strlen(name));
	buf_adds(&rec, " msg=");
	record_cut(&rec, buf_str(&m), m.len, RECORD_MSG_MAX);
	record_field(&rec, "src", "scan");
	record_end(&rec);
	r = scan_queue(bl, "error", &rec, cause);
	buf_free(&rec);
	buf_free(&m);
	return r;
}

static void
scan_rec_start(struct tscan *t, const char *op)
{
	buf_free(&t->rec);
	buf_init(&t->rec, RECORD_MAX);
	record_begin(&t->rec, op);
	record_table(&t->rec, t->s->db, strlen(t->s->db), t->s->name,
	    strlen(t->s->name));
}

/* Queue a row record: op, table, pk, changed, src, by. */
static int
scan_row_record(struct tscan *t, const char *op, const unsigned char *key,
    size_t keylen, const struct buf *changed, char **cause)
{
	struct buf	 pk;
	int		 r;

	buf_init(&pk, BUF_NOCAP);
	if (rowenc_key_text(&pk, t->s, key, keylen,
	    RECORD_PK_VALUE_MAX) == -1) {
		buf_free(&pk);
		*cause = xstrdup("stored key does not decode");
		return -1;
	}
	scan_rec_start(t, op);
	buf_adds(&t->rec, " pk=");
	record_cut(&t->rec, buf_str(&pk), pk.len, RECORD_PK_MAX);
	if (changed != NULL && changed->len > 0) {
		buf_adds(&t->rec, " changed=");
		record_cut(&t->rec, buf_str(changed), changed->len,
		    RECORD_LIST_MAX);
	} else
		record_field(&t->rec, "changed", "-");
	record_field(&t->rec, "src", "scan");
	record_field(&t->rec, "by", "-");
	record_end(&t->rec);
	r = scan_queue(t->run->bl, op, &t->rec, cause);
	buf_free(&pk);
	return r;
}

/* The names of the columns whose tags differ, comma-separated. */
static int
scan_changed(struct tscan *t, const struct diff_row *old, struct buf *out)
{
	const char	*name;
	size_t		 i;
	int		 any = 0;

	if (old->tagslen != t->nhashed * ROWENC_TAG_LEN)
		return buf_adds(out, "%3F");
	for (i = 0; i < t->nhashed; i++) {
		if (memcmp(old->tags + i * ROWENC_TAG_LEN,
		    t->tags + i * ROWENC_TAG_LEN, ROWENC_TAG_LEN) == 0)
			continue;
		name = t->s->cols[t->colidx[i]].name;
		if ((any && buf_addc(out, ',') == -1) ||
		    record_pct(out, name, strlen(name), 0) == -1)
			return -1;
		any = 1;
	}
	/* Only a tag collision (2^-64 per column) can get here. */
	if (!any)
		return buf_adds(out, "%3F");
	return 0;
}

static int
scan_emit(void *arg, enum diff_event ev, const struct diff_row *old,
    const struct diff_row *new, char **cause)
{
	struct tscan	*t = arg;
	struct diff_row	 row;
	struct buf	 changed;
	int		 r;

	switch (ev) {
	case DIFF_SAME:
		return 0;
	case DIFF_REMOVED:
		if (baseline_row_del(t->run->bl, t->tid, old->key, old->keylen,
		    cause) == -1)
			return -1;
		if (!t->report)
			return 0;
		t->run->stats.deletes++;
		return scan_row_record(t, "delete", old->key, old->keylen,
		    NULL, cause);
	case DIFF_ADDED:
	case DIFF_CHANGED:
		break;
	}
	rowenc_tags(t->re, t->vals, t->lens, t->nhashed, t->tags);
	row = *new;
	row.tags = t->tags;
	row.tagslen = t->nhashed * ROWENC_TAG_LEN;
	if (baseline_row_put(t->run->bl, t->tid, &row, cause) == -1)
		return -1;
	if (!t->report)
		return 0;
	if (ev == DIFF_ADDED) {
		t->run->stats.inserts++;
		return scan_row_record(t, "insert", new->key, new->keylen,
		    NULL, cause);
	}
	if (!t->updates)
		return 0;
	t->run->stats.updates++;
	buf_init(&changed, BUF_NOCAP);
	if (scan_changed(t, old, &changed) == -1) {
		*cause = xstrdup("out of memory");
		return -1;
	}
	r = scan_row_record(t, "update", new->key, new->keylen, &changed,
	    cause);
	buf_free(&changed);
	return r;
}

static int
scan_next(void *arg, struct diff_row *row, char **cause)
{
	struct tscan	*t = arg;

	return baseline_cursor_next(t->cur, row, cause);
}

static const struct diff_ops scan_diff_ops = { scan_next, scan_emit };

static int
scan_row(void *arg, const char *const *vals, const unsigned long *lens)
{
	struct tscan	*t = arg;
	struct diff_row	 row;
	size_t		 k, i;

	buf_reset(&t->key);
	for (k = 0; k < t->s->nkey; k++) {
		i = t->keyidx[k];
		if (rowenc_key(&t->key, t->s->cols[t->s->key[k]].kclass,
		    vals[i], lens[i], &t->cause) == -1)
			return -1;
	}
	if (t->key.data == NULL) {
		t->cause = xstrdup("key too large");
		return -1;
	}
	if (rowenc_digest(t->re, vals, lens, t->nhashed, t->digest,
	    &t->cause) == -1)
		return -1;
	memset(&row, 0, sizeof row);
	row.key = (const unsigned char *)t->key.data;
	row.keylen = t->key.len;
	row.digest = t->digest;
	t->vals = vals;
	t->lens = lens;
	t->nrows++;
	return diff_feed(t->diff, &row, &t->cause);
}

/* The MAC over a table entry: everything but the MAC itself. */
static int
scan_entry_mac(struct scan *sc, const char *db, const char *name,
    const struct baseline_entry *e, unsigned char out[ROWENC_MAC_LEN],
    char **cause)
{
	struct buf	 b;
	int		 r;

	buf_init(&b, BUF_NOCAP);
	buf_printf(&b, "%lld %zu %zu %zu %lld %d %lld ", (long long)e->tid,
	    strlen(db), strlen(name), e->schemalen, (long long)e->nrows,
	    e->state, (long long)e->last_scan);
	buf_adds(&b, db);
	buf_adds(&b, name);
	buf_add(&b, e->schema, e->schemalen);
	buf_add(&b, e->fp, sizeof e->fp);
	if (b.data == NULL) {
		*cause = xstrdup("out of memory");
		return -1;
	}
	r = rowenc_mac(sc->key, sc->keylen, "dbsyscheck table v1", b.data,
	    b.len, out, cause);
	buf_free(&b);
	return r;
}

static int
scan_entry_put(struct scan *sc, const char *db, const char *name,
    struct baseline_entry *e, char **cause)
{
	if (e->tid == 0 &&
	    baseline_table_put(sc->bl, db, name, e, cause) == -1)
		return -1;
	if (scan_entry_mac(sc, db, name, e, e->mac, cause) == -1)
		return -1;
	return baseline_table_put(sc->bl, db, name, e, cause);
}

static int
scan_missing(struct tscan *t, const struct conf_table *ct,
    enum scan_mode mode, char **cause)
{
	struct baseline_entry	 e;
	int			 r;

	r = baseline_table_get(t->run->bl, ct->db, ct->name, &e, cause);
	if (r == -1)
		return -1;
	if (r == 0 || mode == SCAN_RESET) {
		if (r == 1)
			baseline_entry_clear(&e);
		*cause = xstrdup("no such table, or no privilege to see it");
		return -1;
	}
	if (e.state == BASELINE_MISSING) {
		baseline_entry_clear(&e);
		return 0;
	}
	e.state = BASELINE_MISSING;
	r = scan_entry_put(t->run, ct->db, ct->name, &e, cause);
	if (r == 0) {
		buf_init(&t->rec, RECORD_MAX);
		record_begin(&t->rec, "missing");
		record_table(&t->rec, ct->db, strlen(ct->db), ct->name,
		    strlen(ct->name));
		record_field_num(&t->rec, "rows", (unsigned long long)e.nrows);
		record_field(&t->rec, "src", "scan");
		record_end(&t->rec);
		r = scan_queue(t->run->bl, "missing", &t->rec, cause);
		t->run->stats.events++;
	}
	baseline_entry_clear(&e);
	return r;
}

/*
 * Decide how to compare with what is stored: returns 0 and sets t->report
 * and t->updates, queueing an op=schema record first when the table's
 * description changed or its entry fails authentication.
 */
static int
scan_plan(struct tscan *t, struct baseline_entry *e, int stored,
    enum scan_mode mode, const unsigned char fp[SCHEMA_FP_LEN],
    int *first, char **cause)
{
	unsigned char	 mac[ROWENC_MAC_LEN];
	struct schema	*old = NULL;
	struct buf	 why;
	char		*derr = NULL;
	int		 authentic, what;

	*first = 0;
	t->report = mode == SCAN_REPORT;
	t->updates = 1;
	if (!stored) {
		*first = 1;
		t->report = 0;
		return 0;
	}
	if (scan_entry_mac(t->run, t->s->db, t->s->name, e, mac, cause) == -1)
		return -1;
	authentic = util_timingsafe_eq(mac, e->mac, sizeof mac);
	if (authentic)
		old = schema_decode(e->schema, e->schemalen, &derr);
	free(derr);
	buf_init(&why, RECORD_LIST_MAX * 6);
	/* An entry that fails authentication is not trusted at all. */
	what = SCHEMA_COLUMNS | SCHEMA_KEY;
	if (old != NULL)
		what = schema_compare(old, t->s, &why);
	schema_free(old);
	if (what == -1) {
		buf_free(&why);
		*cause = xstrdup("out of memory");
		return -1;
	}
	if (authentic && old != NULL &&
	    memcmp(fp, e->fp, SCHEMA_FP_LEN) != 0 && what == 0)
		what = SCHEMA_COLUMNS;
	if (what == 0) {
		buf_free(&why);
		return 0;
	}
	if (what & (SCHEMA_COLUMNS | SCHEMA_KEY))
		t->updates = 0;
	if ((what & SCHEMA_KEY) && baseline_table_clear(t->run->bl, t->tid,
	    cause) == -1) {
		buf_free(&why);
		return -1;
	}
	if (what & SCHEMA_KEY)
		t->report = 0;
	if (mode == SCAN_REPORT) {
		scan_rec_start(t, "schema");
		if (!authentic)
			buf_adds(&t->rec, " baseline=tampered");
		record_cut(&t->rec, buf_str(&why), why.len, RECORD_LIST_MAX * 3);
		if (what & SCHEMA_KEY)
			record_field(&t->rec, "rows", "uncompared");
		else if (what & SCHEMA_COLUMNS)
			record_field(&t->rec, "updates", "uncompared");
		record_field(&t->rec, "src", "scan");
		record_end(&t->rec);
		t->run->stats.events++;
		if (scan_queue(t->run->bl, "schema", &t->rec, cause) == -1) {
			buf_free(&why);
			return -1;
		}
	}
	buf_free(&why);
	return 0;
}

static void
tscan_free(struct tscan *t)
{
	diff_free(t->diff);
	baseline_cursor_free(t->cur);
	rowenc_free(t->re);
	schema_free(t->s);
	free(t->keyidx);
	free(t->colidx);
	free(t->tags);
	buf_free(&t->key);
	buf_free(&t->rec);
	free(t->cause);
}

static int
scan_table_body(struct tscan *t, const struct conf_table *ct,
    enum scan_mode mode, char **cause)
{
	struct scan		*sc = t->run;
	struct baseline_entry	 e;
	struct buf		 enc;
	unsigned char		 fp[SCHEMA_FP_LEN];
	size_t			 i, n, k;
	int			 r, stored, first;

	r = source_describe(sc->src, ct->db, ct->name, &t->s, cause);
	if (r == 1)
		return scan_missing(t, ct, mode, cause);
	if (r == -1)
		return -1;
	if (schema_apply_conf(t->s, ct, cause) == -1)
		return -1;
	t->nhashed = schema_nhashed(t->s);
	t->keyidx = xcalloc(t->s->nkey, sizeof *t->keyidx);
	t->colidx = xcalloc(t->nhashed, sizeof *t->colidx);
	t->tags = xcalloc(t->nhashed, ROWENC_TAG_LEN);
	for (i = 0, n = 0; i < t->s->ncols; i++) {
		if (!t->s->cols[i].hashed)
			continue;
		t->colidx[n] = i;
		for (k = 0; k < t->s->nkey; k++) {
			if (t->s->key[k] == i)
				t->keyidx[k] = n;
		}
		n++;
	}
	t->re = rowenc_create(sc->key, sc->keylen, ct->db, ct->name, cause);
	if (t->re == NULL)
		return -1;

	memset(&e, 0, sizeof e);
	if ((stored = baseline_table_get(sc->bl, ct->db, ct->name, &e,
	    cause)) == -1)
		return -1;
	schema_fingerprint(t->s, fp);
	t->tid = e.tid;
	if (scan_plan(t, &e, stored, mode, fp, &first, cause) == -1) {
		baseline_entry_clear(&e);
		return -1;
	}
	baseline_entry_clear(&e);

	buf_init(&enc, BUF_NOCAP);
	if (schema_encode(t->s, &enc) == -1) {
		*cause = xstrdup("out of memory");
		return -1;
	}
	e.schema = (unsigned char *)enc.data;
	e.schemalen = enc.len;
	memcpy(e.fp, fp, sizeof e.fp);
	e.state = BASELINE_PRESENT;
	e.last_scan = (int64_t)time(NULL);
	if (t->tid == 0) {
		if (scan_entry_put(sc, ct->db, ct->name, &e, cause) == -1)
			goto fail;
		t->tid = e.tid;
	}

	t->cur = baseline_cursor(sc->bl, t->tid);
	t->diff = diff_create(&scan_diff_ops, t);
	if (source_stream(sc->src, t->s, scan_row, t, sc->stop, cause) == -1) {
		if (t->cause != NULL) {
			free(*cause);
			*cause = t->cause;
			t->cause = NULL;
		}
		goto fail;
	}
	if (diff_finish(t->diff, cause) == -1)
		goto fail;
	sc->stats.rows += t->nrows;

	e.nrows = (int64_t)t->nrows;
	if (scan_entry_put(sc, ct->db, ct->name, &e, cause) == -1)
		goto fail;
	if (first || mode == SCAN_RESET) {
		scan_rec_start(t, first ? "baseline" : "reset");
		record_field_num(&t->rec, "rows", (unsigned long long)t->nrows);
		record_field(&t->rec, "src", "scan");
		if (!first)
			record_field_value(&t->rec, "by", sc->by,
			    strlen(sc->by));
		record_end(&t->rec);
		sc->stats.events++;
		if (scan_queue(sc->bl, first ? "baseline" : "reset", &t->rec,
		    cause) == -1)
			goto fail;
	}
	buf_free(&enc);
	return 0;

fail:
	buf_free(&enc);
	return -1;
}

/*
 * Scan one watched table inside the run's transactions. Returns 0, or
 * SCAN_TABLE_ERROR (that table's changes are rolled back, the others
 * stand) or SCAN_FATAL (the run must be rolled back).
 */
int
scan_table(struct scan *sc, const struct conf_table *ct,
    enum scan_mode mode, char **cause)
{
	struct tscan		 t;
	struct scan_stats	 saved = sc->stats;
	int			 r;

	memset(&t, 0, sizeof t);
	t.run = sc;
	buf_init(&t.key, BUF_NOCAP);
	buf_init(&t.rec, RECORD_MAX);
	if (baseline_savepoint(sc->bl, cause) == -1)
		return SCAN_FATAL;
	r = scan_table_body(&t, ct, mode, cause);
	tscan_free(&t);
	if (r == 0) {
		if (baseline_release(sc->bl, cause) == -1)
			return SCAN_FATAL;
		return 0;
	}
	baseline_rollback_to(sc->bl);
	sc->stats = saved;
	if (*sc->stop || source_lost(sc->src))
		return SCAN_FATAL;
	sc->stats.errors++;
	return SCAN_TABLE_ERROR;
}

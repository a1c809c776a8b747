/* One run over the watched tables: stream, digest, diff, queue records. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "baseline.h"
#include "buf.h"
#include "conf.h"
#include "diff.h"
#include "event.h"
#include "pace.h"
#include "record.h"
#include "reconcile.h"
#include "rowenc.h"
#include "scan.h"
#include "scan_int.h"
#include "schema.h"
#include "seal.h"
#include "source_mysql.h"
#include "util.h"
#include "xmalloc.h"

/* A table that had more rows than this and is now empty: one record. */
#define SCAN_EMPTIED_MIN	100

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
	free(sc->list);
	free(sc);
}

/* Append DB.NAME to the list of tables (seal.c: seal_list). */
static int
scan_list_add(void *arg, const char *db, const char *name,
    const struct baseline_entry *e)
{
	struct buf	*b = arg;

	(void)e;
	buf_add(b, db, strlen(db) + 1);
	buf_add(b, name, strlen(name) + 1);
	return 0;
}

/* 1 when the list (pairs of NUL-terminated strings) holds DB.NAME. */
static int
scan_list_has(const unsigned char *list, size_t len, const char *db,
    const char *name)
{
	const char	*p = (const char *)list, *end = p + len, *n;

	while (p < end) {
		n = p + strnlen(p, (size_t)(end - p)) + 1;
		if (n >= end)
			break;
		if (strcmp(p, db) == 0 && strcmp(n, name) == 0)
			return 1;
		p = n + strnlen(n, (size_t)(end - n)) + 1;
	}
	return 0;
}

static int
scan_list_mac(struct scan *sc, const void *p, size_t len,
    unsigned char out[ROWENC_MAC_LEN], char **cause)
{
	return seal_list(sc->key, sc->keylen, p, len, out, cause);
}

/*
 * Start a run inside the baseline transaction: load the authenticated
 * list of tables. A list that fails authentication makes every table
 * without an entry suspect.
 */
int
scan_begin(struct scan *sc, char **cause)
{
	unsigned char	 mac[ROWENC_MAC_LEN], *stored = NULL;
	size_t		 len, n;
	struct buf	 now;
	int		 r;

	free(sc->list);
	sc->list = NULL;
	sc->listlen = 0;
	sc->list_bad = 0;
	if ((r = baseline_meta_get_blob(sc->bl, "tables", &sc->list,
	    &sc->listlen, cause)) == -1)
		return -1;
	if (r == 0) {
		/* Only a baseline that never held a table has no list. */
		buf_init(&now, BUF_NOCAP);
		if (baseline_tables_each(sc->bl, scan_list_add, &now,
		    cause) == -1) {
			buf_free(&now);
			return -1;
		}
		sc->list_bad = now.len != 0;
		buf_free(&now);
		return 0;
	}
	if (baseline_meta_get_blob(sc->bl, "tables_mac", &stored, &len,
	    cause) == -1 ||
	    scan_list_mac(sc, sc->list, sc->listlen, mac, cause) == -1) {
		free(stored);
		return -1;
	}
	n = sizeof mac;
	sc->list_bad = stored == NULL || len != n ||
	    !util_timingsafe_eq(mac, stored, n);
	free(stored);
	return 0;
}

/* 1 when DB.NAME has no entry but should have one. */
static int
scan_entry_removed(const struct scan *sc, const char *db, const char *name)
{
	if (sc->list_bad)
		return 1;
	return scan_list_has(sc->list, sc->listlen, db, name);
}

/*
 * End a run: store the list of tables as it now stands, keeping the names
 * of removed entries not scanned in this run, so that a later run still
 * reports them.
 */
int
scan_end(struct scan *sc, char **cause)
{
	unsigned char	 mac[ROWENC_MAC_LEN];
	const char	*p, *end, *n;
	struct buf	 b;
	int		 r = -1;

	buf_init(&b, BUF_NOCAP);
	if (baseline_tables_each(sc->bl, scan_list_add, &b, cause) == -1)
		goto out;
	p = (const char *)sc->list;
	end = p != NULL ? p + sc->listlen : p;
	while (!sc->list_bad && p != NULL && p < end) {
		n = p + strnlen(p, (size_t)(end - p)) + 1;
		if (n >= end)
			break;
		if (!scan_list_has((const unsigned char *)buf_str(&b), b.len,
		    p, n))
			scan_list_add(&b, p, n, NULL);
		p = n + strnlen(n, (size_t)(end - n)) + 1;
	}
	if (buf_failed(&b)) {
		*cause = xstrdup("out of memory");
		goto out;
	}
	/* An empty list (no table scanned yet) is stored empty, not NULL. */
	if (scan_list_mac(sc, buf_str(&b), b.len, mac, cause) == -1 ||
	    baseline_meta_put_blob(sc->bl, "tables", buf_str(&b), b.len,
	    cause) == -1 ||
	    baseline_meta_put_blob(sc->bl, "tables_mac", mac, sizeof mac,
	    cause) == -1)
		goto out;
	r = 0;
out:
	buf_free(&b);
	return r;
}

/* Limit the load a run puts on the server. */
void
scan_set_limits(struct scan *sc, const struct scan_limits *l)
{
	sc->limits = *l;
}

/* Compare each table's changes with the binary log (reconcile.c). */
void
scan_set_recon(struct scan *sc, struct recon *rc)
{
	sc->recon = rc;
}

/* Report progress through cb (about once a second and at each table end). */
void
scan_set_progress(struct scan *sc, scan_progress_cb cb, void *arg)
{
	sc->progress = cb;
	sc->progress_arg = arg;
}

/* Threads_running for pace_wait_load, asked on the connection src. */
struct scan_load {
	struct scan	*sc;
	struct source	*src;
};

static int
scan_running(void *arg, unsigned long *n, char **cause)
{
	struct scan_load	*l = arg;
	struct scan		*sc = l->sc;

	/*
	 * Not counting our own threads: the one asking and, while rows
	 * stream (asked on the monitor), the run's connection if the server
	 * is still sending it rows.
	 */
	return source_threads_running(l->src, l->src == sc->limits.monitor &&
	    sc->streaming ? sc->src : NULL, n, cause);
}

/*
 * Wait while the server is too busy (pace.c). src is the connection to
 * ask: the run's own between chunks, the monitor connection while rows
 * stream.
 */
int
scan_wait_load(struct scan *sc, struct source *src, char **cause)
{
	struct scan_load	 l;

	if (src == NULL)
		return 0;
	l.sc = sc;
	l.src = src;
	return pace_wait_load(&sc->pace, scan_running, &l, cause);
}

/*
 * After rows more rows: keep to max-rows-per-second, and about once a
 * second report progress and check the server's load.
 */
int
scan_pace(struct tscan *t, uint64_t rows)
{
	struct scan	*sc = t->run;

	if (pace_rows(&sc->pace, rows) == 0)
		return 0;
	if (sc->progress != NULL)
		sc->progress(sc->progress_arg, t->s->db, t->s->name,
		    sc->pace.seen, 0);
	return scan_wait_load(sc, sc->limits.monitor, &t->cause);
}

/* What the run has found so far. */
const struct scan_stats *
scan_stats(const struct scan *sc)
{
	return &sc->stats;
}

/* Queue the record an event builder (event.h) returned r for. */
static int
scan_queue(struct baseline *bl, const char *op, int r, struct buf *rec,
    char **cause)
{
	if (r == -1)
		return -1;
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
	struct buf	 rec;
	int		 r;

	buf_init(&rec, RECORD_MAX);
	r = scan_queue(bl, "error", event_error(&rec, db, name, 0, msg, cause),
	    &rec, cause);
	buf_free(&rec);
	return r;
}

/*
 * The names of the columns whose tags differ, into names (nhashed long);
 * none when the stored tags are not comparable.
 */
static size_t
scan_changed(struct tscan *t, const struct diff_row *old,
    const unsigned char *tags, const char **names)
{
	size_t	 i, n = 0;

	if (old->tagslen != t->nhashed * ROWENC_TAG_LEN)
		return 0;
	for (i = 0; i < t->nhashed; i++) {
		if (memcmp(old->tags + i * ROWENC_TAG_LEN,
		    tags + i * ROWENC_TAG_LEN, ROWENC_TAG_LEN) == 0)
			continue;
		names[n++] = t->s->cols[t->colidx[i]].name;
	}
	return n;
}

/* op=untraced: a change of the row of key the log does not explain. */
static int
scan_untraced(void *arg, const unsigned char *key, size_t keylen,
    const char *logged, const char *change, char **cause)
{
	struct tscan	*t = arg;

	t->untraced++;
	t->run->stats.events++;
	return scan_queue(t->run->bl, "untraced", event_untraced(&t->rec,
	    t->s, key, keylen, change, logged, recon_span(t->rt), cause),
	    &t->rec, cause);
}

/*
 * A key the log changed that the scan found as stored; with digest, a
 * change explained if the stored row has that digest, which a cursor
 * over the stored rows, moving with the keys (in key order), tells.
 */
struct scan_unseen_arg {
	struct tscan		*t;
	struct baseline_cursor	*cur;
	struct diff_row		 row;
	int			 state;		/* 0 none read, 1 row, 2 end */
};

static int
scan_keycmp(const unsigned char *a, size_t alen, const unsigned char *b,
    size_t blen)
{
	int	 c;

	if ((c = memcmp(a, b, alen < blen ? alen : blen)) != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int
scan_unseen(void *arg, const unsigned char *key, size_t keylen,
    const char *logged, const unsigned char *digest, char **cause)
{
	struct scan_unseen_arg	*u = arg;
	struct tscan		*t = u->t;
	int			 r;

	while (digest != NULL && u->state != 2 && (u->state == 0 ||
	    scan_keycmp(u->row.key, u->row.keylen, key, keylen) < 0)) {
		if (u->cur == NULL)
			u->cur = baseline_cursor(t->run->bl, t->tid, NULL, 0,
			    NULL, 0);
		if ((r = baseline_cursor_next(u->cur, &u->row, cause)) == -1)
			return -1;
		u->state = r == 1 ? 1 : 2;
	}
	if (digest != NULL && u->state == 1 &&
	    scan_keycmp(u->row.key, u->row.keylen, key, keylen) == 0 &&
	    memcmp(u->row.digest, digest, ROWENC_DIGEST_LEN) == 0)
		return 0;
	return scan_untraced(t, key, keylen, logged, "none", cause);
}

/*
 * A change the scan found, compared with the log's net effect on the
 * key (old NULL: inserted, new NULL: deleted).
 */
static int
scan_reconcile(struct tscan *t, const char *change, const unsigned char *key,
    size_t keylen, const unsigned char *old, const unsigned char *new,
    const char *const *names, size_t n, char **cause)
{
	const char	*logged;

	if (!recon_checking(t->rt))
		return 0;
	if (recon_change(t->rt, key, keylen, old, new, names, n, &logged,
	    cause) == -1)
		return -1;
	if (logged == NULL)
		return 0;
	return scan_untraced(t, key, keylen, logged, change, cause);
}

static int
scan_emit(void *arg, enum diff_event ev, const struct diff_row *old,
    const struct diff_row *new, char **cause)
{
	struct tscan	*t = arg;
	struct diff_row	 row;
	const char	**names;
	size_t		 n;
	int		 r;

	switch (ev) {
	case DIFF_SAME:
		if (t->nlegacy == 0)
			return 0;
		/* Unchanged under the old encoding: stored under the new. */
		break;
	case DIFF_REMOVED:
		if (baseline_cursor_del(t->cur, old->key, old->keylen,
		    cause) == -1)
			return -1;
		if (t->report) {
			t->run->stats.deletes++;
			if (scan_queue(t->run->bl, "delete", event_delete(
			    &t->rec, t->s, old->key, old->keylen, cause),
			    &t->rec, cause) == -1)
				return -1;
		}
		/* An emptied table's rows too: one op=schema said them. */
		return scan_reconcile(t, "delete", old->key, old->keylen,
		    old->digest, NULL, NULL, 0, cause);
	case DIFF_ADDED:
	case DIFF_CHANGED:
		break;
	}
	rowenc_tags(t->re, t->vals, t->lens, t->nhashed, t->tags);
	row = *new;
	row.digest = t->digest;
	row.tags = t->tags;
	row.tagslen = t->nhashed * ROWENC_TAG_LEN;
	if (baseline_cursor_put(t->cur, &row, cause) == -1)
		return -1;
	if (!t->report || ev == DIFF_SAME)
		return 0;
	if (ev == DIFF_ADDED) {
		t->run->stats.inserts++;
		if (scan_queue(t->run->bl, "insert", event_insert(&t->rec,
		    t->s, new->key, new->keylen, cause), &t->rec, cause) == -1)
			return -1;
		return scan_reconcile(t, "insert", new->key, new->keylen,
		    NULL, t->digest, NULL, 0, cause);
	}
	if (!t->updates)
		return 0;
	t->run->stats.updates++;
	/* Under the old encoding, old tags are compared with old tags. */
	if (t->nlegacy != 0)
		rowenc_tags(t->re, (const char *const *)t->ovals, t->olens,
		    t->nhashed, t->otags);
	names = xcalloc(t->nhashed + 1, sizeof *names);
	n = scan_changed(t, old, t->nlegacy != 0 ? t->otags : t->tags, names);
	r = scan_queue(t->run->bl, "update", event_update(&t->rec, t->s,
	    new->key, new->keylen, names, n, cause), &t->rec, cause);
	if (r != -1)
		r = scan_reconcile(t, "update", new->key, new->keylen,
		    old->digest, t->digest, names, n, cause);
	free(names);
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
	if (t->nlegacy != 0) {
		memcpy(t->ovals, vals, t->nhashed * sizeof *t->ovals);
		memcpy(t->olens, lens, t->nhashed * sizeof *t->olens);
		for (k = 0; k < t->nlegacy; k++) {
			i = t->nhashed + t->nextra - t->nlegacy + k;
			t->ovals[t->legacy[k]] = vals[i];
			t->olens[t->legacy[k]] = lens[i];
		}
		if (rowenc_digest(t->re, (const char *const *)t->ovals,
		    t->olens, t->nhashed, t->odigest, &t->cause) == -1)
			return -1;
	}
	memset(&row, 0, sizeof row);
	row.key = (const unsigned char *)t->key.data;
	row.keylen = t->key.len;
	/* The diff compares with what is stored: in its encoding. */
	row.digest = t->nlegacy != 0 ? t->odigest : t->digest;
	t->vals = vals;
	t->lens = lens;
	t->nrows++;
	if (diff_feed(t->diff, &row, &t->cause) == -1 ||
	    scan_pace(t, 1) == -1)
		return -1;
	if (t->chunk != 0)
		scan_chunk_row(t, vals, lens, row.key, row.keylen);
	return 0;
}

static int
scan_entry_mac(struct scan *sc, const char *db, const char *name,
    const struct baseline_entry *e, unsigned char out[ROWENC_MAC_LEN],
    char **cause)
{
	return seal_entry(sc->key, sc->keylen, db, name, e, out, cause);
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
		r = scan_queue(t->run->bl, "missing", event_missing(&t->rec,
		    ct->db, ct->name, (uint64_t)e.nrows, cause), &t->rec,
		    cause);
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
    int *first, int *same, int *oldenc, char **cause)
{
	unsigned char	 mac[ROWENC_MAC_LEN];
	struct schema	*old = NULL;
	struct buf	 why;
	char		*derr = NULL;
	int		 authentic, what;

	*first = 0;
	*same = 0;
	*oldenc = SCHEMA_ENC;
	t->report = mode == SCAN_REPORT;
	t->updates = 1;
	if (!stored) {
		*first = 1;
		t->report = 0;
		if (mode != SCAN_REPORT ||
		    !scan_entry_removed(t->run, t->s->db, t->s->name))
			return 0;
		/* Its entry was removed: this is no first scan. */
		*first = 0;
		t->run->stats.events++;
		return scan_queue(t->run->bl, "schema", event_schema(&t->rec,
		    t->s->db, t->s->name, 1, "", 0, "rows", cause), &t->rec,
		    cause);
	}
	if (scan_entry_mac(t->run, t->s->db, t->s->name, e, mac, cause) == -1)
		return -1;
	authentic = util_timingsafe_eq(mac, e->mac, sizeof mac);
	if (authentic)
		old = schema_decode(e->schema, e->schemalen, &derr);
	free(derr);
	/* Uncapped: event_schema fits the lists into the record. */
	buf_init(&why, BUF_NOCAP);
	/* An entry that fails authentication is not trusted at all. */
	what = SCHEMA_COLUMNS | SCHEMA_KEY;
	if (old != NULL) {
		what = schema_compare(old, t->s, &why);
		*oldenc = old->encver;
	}
	schema_free(old);
	if (what == -1) {
		buf_free(&why);
		*cause = xstrdup("out of memory");
		return -1;
	}
	if (authentic && old != NULL &&
	    memcmp(fp, e->fp, SCHEMA_FP_LEN) != 0 && what == 0)
		what = SCHEMA_COLUMNS;
	if ((what & (SCHEMA_COLUMNS | SCHEMA_KEY)) == 0)
		*same = 1;
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
		t->run->stats.events++;
		if (scan_queue(t->run->bl, "schema", event_schema(&t->rec,
		    t->s->db, t->s->name, !authentic, buf_str(&why), why.len,
		    (what & SCHEMA_KEY) ? "rows" : (what & SCHEMA_COLUMNS) ?
		    "updates" : NULL, cause), &t->rec, cause) == -1) {
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
	free(t->extra);
	free(t->legacy);
	free(t->ovals);
	free(t->olens);
	free(t->otags);
	free(t->varlen);
	baseline_chunks_free(t->chunks, t->nchunks);
	buf_free(&t->key);
	buf_free(&t->rec);
	free(t->cause);
}

/* Stream the rows after lo up to hi through a fresh diff. */
int
scan_range(struct tscan *t, const struct keyvals *lo, const unsigned char *lok,
    size_t loklen, const struct keyvals *hi, const unsigned char *hik,
    size_t hiklen, char **cause)
{
	struct scan	*sc = t->run;
	int		 r;

	diff_free(t->diff);
	baseline_cursor_free(t->cur);
	t->cur = baseline_cursor(sc->bl, t->tid, lok, loklen, hik, hiklen);
	t->diff = diff_create(&scan_diff_ops, t);
	sc->streaming = 1;
	r = source_stream(sc->src, t->s, t->extra, t->nextra, lo, hi, scan_row,
	    t, sc->stop, cause);
	sc->streaming = 0;
	if (r == -1) {
		if (t->cause != NULL) {
			free(*cause);
			*cause = t->cause;
			t->cause = NULL;
		}
		return -1;
	}
	if (diff_finish(t->diff, cause) == -1)
		return -1;
	return baseline_cursor_finish(t->cur, cause);
}

/* Read column col once more after the hashed ones, in encoding enc. */
static void
scan_extra(struct tscan *t, size_t col, enum colenc enc)
{
	t->extra = xreallocarray(t->extra, t->nextra + 1, sizeof *t->extra);
	t->extra[t->nextra].col = col;
	t->extra[t->nextra].enc = enc;
	t->nextra++;
}

/*
 * Read the columns in their encodings under version encver (values and
 * keys): lay out the values of a row, the hashed columns then the key
 * columns whose key bytes are in another encoding than their value.
 */
static void
scan_layout(struct tscan *t, int encver)
{
	struct column	*c;
	size_t		 i, n, k;

	free(t->extra);
	t->extra = NULL;
	t->nextra = 0;
	for (i = 0, n = 0; i < t->s->ncols; i++) {
		c = &t->s->cols[i];
		c->enc = schema_colenc(c, encver);
		c->keyenc = schema_keyenc(c, encver);
		if (!c->hashed)
			continue;
		t->colidx[n] = i;
		t->varlen[n] = (unsigned char)c->varlen;
		for (k = 0; k < t->s->nkey; k++) {
			if (t->s->key[k] != i)
				continue;
			t->keyidx[k] = n;
			if (c->keyenc != c->enc) {
				scan_extra(t, i, c->keyenc);
				t->keyidx[k] = t->nhashed + t->nextra - 1;
			}
		}
		n++;
	}
}

/*
 * The first pass over a table whose stored keys are in an older key
 * encoding (docs/DESIGN.md, "Encoding changes"): compare every row with
 * what is stored, under the old encoding and keys, as the release that
 * stored them would (its records, its changed=); then clear the stored
 * rows, which the second pass, in the same snapshot, stores anew under
 * the new encoding and keys without a record.
 */
static int
scan_rekey(struct tscan *t, int oldenc, char **cause)
{
	char	*why;

	scan_layout(t, oldenc);
	t->chunk = 0;
	if (scan_wait_load(t->run, t->run->src, cause) == -1)
		return -1;
	if (scan_range(t, NULL, NULL, 0, NULL, NULL, 0, cause) == -1) {
		if (*t->run->stop || source_lost(t->run->src))
			return -1;
		why = xasprintf("comparing under the keys of encoding version "
		    "%d: %s (reset takes the table over)", oldenc, *cause);
		free(*cause);
		*cause = why;
		return -1;
	}
	scan_layout(t, t->s->encver);
	t->report = 0;
	t->nrows = 0;
	return baseline_table_clear(t->run->bl, t->tid, cause);
}

/* What the plan decided for one table, and what the stream needs. */
struct tplan {
	struct baseline_entry	 e;	/* the stored entry, then the new */
	int			 stored;	/* e was stored */
	int			 first;		/* op=baseline */
	int			 same;		/* rows compare */
	int			 oldenc;	/* their encoding */
	int			 rekey;		/* keys differ */
	int			 empty;		/* emptied */
	unsigned char		 fp[SCHEMA_FP_LEN];
	struct baseline_chunk	*old;		/* chunks to compare */
	size_t			 nold;
	struct buf		 enc;		/* the new e.schema */
};

/* Set up the pass over a table just described. */
static int
scan_open(struct tscan *t, const struct conf_table *ct, char **cause)
{
	struct scan	*sc = t->run;

	if (schema_apply_conf(t->s, ct, cause) == -1)
		return -1;
	if (ct->chunk != 0 && schema_chunkable(t->s, cause) == -1)
		return -1;
	t->nhashed = schema_nhashed(t->s);
	t->keyidx = xcalloc(t->s->nkey, sizeof *t->keyidx);
	t->colidx = xcalloc(t->nhashed, sizeof *t->colidx);
	t->tags = xcalloc(t->nhashed, ROWENC_TAG_LEN);
	t->varlen = xcalloc(t->nhashed, 1);
	scan_layout(t, t->s->encver);
	t->re = rowenc_create(sc->key, sc->keylen, ct->db, ct->name, cause);
	if (t->re == NULL)
		return -1;
	pace_table(&sc->pace, ct->max_rows_per_second != 0 ?
	    ct->max_rows_per_second : sc->limits.max_rows_per_second);
	return 0;
}

/*
 * Rows stored under an older encoding version (docs/DESIGN.md,
 * "Encoding changes"). When the key encoding of a key column changed,
 * the stored keys are not those of the rows: two passes (scan_rekey).
 * Otherwise one: the columns whose encoding changed are read in both,
 * and every row is compared under the old one and stored under the new.
 */
static void
scan_legacy(struct tscan *t, struct tplan *p, enum scan_mode mode)
{
	size_t	 i, n, k;

	if (p->stored && mode == SCAN_REPORT && t->report &&
	    p->oldenc != SCHEMA_ENC) {
		for (k = 0; k < t->s->nkey; k++) {
			i = t->s->key[k];
			if (schema_keyenc(&t->s->cols[i], p->oldenc) !=
			    t->s->cols[i].keyenc)
				p->rekey = 1;
		}
	}
	if (!p->stored || !p->same || mode != SCAN_REPORT ||
	    p->oldenc == SCHEMA_ENC || p->rekey)
		return;
	for (n = 0; n < t->nhashed; n++) {
		i = t->colidx[n];
		if (schema_colenc(&t->s->cols[i], p->oldenc) ==
		    t->s->cols[i].enc)
			continue;
		scan_extra(t, i, schema_colenc(&t->s->cols[i], p->oldenc));
		t->legacy = xreallocarray(t->legacy, t->nlegacy + 1,
		    sizeof *t->legacy);
		t->legacy[t->nlegacy++] = n;
	}
	if (t->nlegacy != 0) {
		t->ovals = xcalloc(t->nhashed, sizeof *t->ovals);
		t->olens = xcalloc(t->nhashed, sizeof *t->olens);
		t->otags = xcalloc(t->nhashed, ROWENC_TAG_LEN);
	}
}

/*
 * Plan the pass: compare the description with the stored entry (records
 * for a changed schema or an emptied table), choose the encodings, and
 * load the stored chunks when they can be compared as they are.
 */
static int
scan_prepare(struct tscan *t, const struct conf_table *ct,
    enum scan_mode mode, struct tplan *p, char **cause)
{
	struct scan	*sc = t->run;
	int		 r = -1;

	if ((p->stored = baseline_table_get(sc->bl, ct->db, ct->name, &p->e,
	    cause)) == -1)
		return -1;
	if (schema_fingerprint(t->s, p->fp, cause) == -1)
		goto out;
	t->tid = p->e.tid;
	if (scan_plan(t, &p->e, p->stored, mode, p->fp, &p->first, &p->same,
	    &p->oldenc, cause) == -1)
		goto out;
	scan_legacy(t, p, mode);
	/* A reset builds the table's rows anew, never reading the old. */
	if (p->stored && mode == SCAN_RESET &&
	    baseline_table_clear(sc->bl, t->tid, cause) == -1)
		goto out;
	/*
	 * A table that lost all of its many rows (TRUNCATE, DELETE without
	 * WHERE) gives one record, not a flood of deletes.
	 */
	if (p->stored && mode == SCAN_REPORT && t->report &&
	    p->e.nrows > SCAN_EMPTIED_MIN) {
		if (source_empty(sc->src, t->s, &p->empty, cause) == -1)
			goto out;
		if (p->empty) {
			t->report = 0;
			sc->stats.events++;
			if (scan_queue(sc->bl, "schema", event_emptied(&t->rec,
			    t->s->db, t->s->name, (uint64_t)p->e.nrows, cause),
			    &t->rec, cause) == -1)
				goto out;
		}
	}
	/* Chunks stored under an old encoding are laid out anew. */
	if (ct->chunk != 0 && mode == SCAN_REPORT && p->same && !p->empty &&
	    t->nlegacy == 0 && !p->rekey &&
	    p->e.chunk == (int64_t)ct->chunk &&
	    p->e.state == BASELINE_PRESENT &&
	    baseline_chunks_get(sc->bl, t->tid, &p->old, &p->nold,
	    cause) == -1)
		goto out;
	r = 0;
out:
	baseline_entry_clear(&p->e);
	return r;
}

/* Stream the table: the stored chunks that differ, or every row. */
static int
scan_stream(struct tscan *t, const struct conf_table *ct, struct tplan *p,
    char **cause)
{
	struct scan	*sc = t->run;

	if (schema_encode(t->s, &p->enc) == -1) {
		*cause = xstrdup("out of memory");
		return -1;
	}
	p->e.schema = (unsigned char *)p->enc.data;
	p->e.schemalen = p->enc.len;
	memcpy(p->e.fp, p->fp, sizeof p->e.fp);
	p->e.state = BASELINE_PRESENT;
	p->e.last_scan = (int64_t)time(NULL);
	p->e.chunk = (int64_t)ct->chunk;
	if (t->tid == 0) {
		if (scan_entry_put(sc, ct->db, ct->name, &p->e, cause) == -1)
			return -1;
		t->tid = p->e.tid;
	}
	if (p->nold > 0)
		return scan_chunked(t, p->old, p->nold, ct->chunk, cause);
	if (p->rekey && scan_rekey(t, p->oldenc, cause) == -1)
		return -1;
	/* A full pass; in chunk mode it lays out the chunks anew. */
	t->chunk = ct->chunk;
	if (scan_wait_load(sc, sc->src, cause) == -1 ||
	    scan_range(t, NULL, NULL, 0, NULL, NULL, 0, cause) == -1)
		return -1;
	if (t->chunk != 0)
		scan_chunk_close(t, NULL, 0);
	if ((t->chunk != 0 || p->stored) && scan_chunks_store(t, cause) == -1)
		return -1;
	return 0;
}

/*
 * The interval truncated or dropped the table: each row it holds must
 * have come back through the log (a row event on its key), else it was
 * put back around it (op=untraced change=none logged=delete).
 */
static int
scan_untruncated(struct tscan *t, char **cause)
{
	struct baseline_cursor	*cur;
	struct diff_row		 row;
	int			 r, logged;

	cur = baseline_cursor(t->run->bl, t->tid, NULL, 0, NULL, 0);
	while ((r = baseline_cursor_next(cur, &row, cause)) == 1) {
		if ((r = recon_logged(t->rt, row.key, row.keylen, &logged,
		    cause)) == -1)
			break;
		if (!logged && (r = scan_untraced(t, row.key, row.keylen,
		    "delete", "none", cause)) == -1)
			break;
	}
	baseline_cursor_free(cur);
	return r == -1 ? -1 : 0;
}

/*
 * The end of a table's reconciliation: the keys the log changed that
 * the scan found as stored, the new position; an interval that could
 * not be checked is an op=error for the table.
 */
static int
scan_recon_finish(struct tscan *t, char **cause)
{
	struct scan_unseen_arg	 u;
	char			*msg = NULL;
	int			 r;

	if (t->rt == NULL)
		return 0;
	memset(&u, 0, sizeof u);
	u.t = t;
	r = recon_unseen(t->rt, scan_unseen, &u, cause);
	baseline_cursor_free(u.cur);
	if (r == 0 && recon_truncated(t->rt))
		r = scan_untruncated(t, cause);
	if (r == -1 ||
	    recon_finish(t->rt, t->tid, t->untraced, &msg, cause) == -1)
		return -1;
	if (msg == NULL)
		return 0;
	t->run->stats.errors++;
	r = scan_error(t->run->bl, t->s->db, t->s->name, msg, cause);
	free(msg);
	return r;
}

/* Store the table's new entry and queue op=baseline or op=reset. */
static int
scan_finish(struct tscan *t, const struct conf_table *ct,
    enum scan_mode mode, struct tplan *p, char **cause)
{
	struct scan	*sc = t->run;
	int		 r;

	sc->stats.rows += t->nrows;
	if (sc->progress != NULL)
		sc->progress(sc->progress_arg, t->s->db, t->s->name,
		    sc->pace.seen, 1);
	p->e.nrows = (int64_t)t->nrows;
	if (scan_entry_put(sc, ct->db, ct->name, &p->e, cause) == -1 ||
	    scan_recon_finish(t, cause) == -1)
		return -1;
	if (!p->first && mode != SCAN_RESET)
		return 0;
	sc->stats.events++;
	if (p->first)
		r = event_baseline(&t->rec, t->s->db, t->s->name, t->nrows,
		    cause);
	else
		r = event_reset(&t->rec, t->s->db, t->s->name, t->nrows,
		    sc->by, cause);
	return scan_queue(sc->bl, p->first ? "baseline" : "reset", r, &t->rec,
	    cause);
}

/*
 * Why a table's changes are not compared with the binary log, or NULL:
 * they are for a report of a table of the same description and
 * encoding.
 */
static const char *
scan_nocheck(const struct tscan *t, const struct tplan *p,
    enum scan_mode mode)
{
	if (mode != SCAN_REPORT)
		return "not compared: a reset";
	if (!p->stored || p->first)
		return "not compared: the table's first scan";
	if (!p->same || !t->updates)
		return "not compared: the table's description changed "
		    "(op=schema)";
	if (t->nlegacy != 0 || p->rekey || p->oldenc != SCHEMA_ENC)
		return "not compared: its rows were stored under an older "
		    "encoding";
	return NULL;
}

/* One table: describe, plan, stream, finish. */
static int
scan_table_body(struct tscan *t, const struct conf_table *ct,
    enum scan_mode mode, char **cause)
{
	struct tplan	 p;
	int		 r;

	r = source_describe(t->run->src, ct->db, ct->name, &t->s, cause);
	if (r == 1)
		return scan_missing(t, ct, mode, cause);
	if (r == -1)
		return -1;
	memset(&p, 0, sizeof p);
	buf_init(&p.enc, BUF_NOCAP);
	if (scan_open(t, ct, cause) == -1 ||
	    scan_prepare(t, ct, mode, &p, cause) == -1)
		r = -1;
	else {
		/*
		 * The changes of a table compared under its stored
		 * description and encoding are checked against the log.
		 */
		t->rt = recon_table(t->run->recon, ct->db, ct->name);
		recon_check(t->rt, scan_nocheck(t, &p, mode));
	}
	if (r == -1 ||
	    scan_stream(t, ct, &p, cause) == -1 ||
	    scan_finish(t, ct, mode, &p, cause) == -1)
		r = -1;
	else
		r = 0;
	baseline_chunks_free(p.old, p.nold);
	buf_free(&p.enc);
	return r;
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
	pace_init(&sc->pace, &pace_clock_real, sc->stop,
	    sc->limits.max_threads_running, sc->progress != NULL,
	    &sc->stats.pauses, &sc->stats.paused);
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
	if (*sc->stop || source_lost(sc->src) || baseline_broken(sc->bl))
		return SCAN_FATAL;
	sc->stats.errors++;
	return SCAN_TABLE_ERROR;
}

/* Chunk mode: compare stored chunks by count and aggregate, keep them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "buf.h"
#include "rowenc.h"
#include "scan.h"
#include "scan_int.h"
#include "schema.h"
#include "seal.h"
#include "source_mysql.h"
#include "util.h"
#include "xmalloc.h"

/*
 * Append a chunk ending at hi (NULL: open-ended) to the chunks kept. An
 * empty chunk that is not the last is dropped: its range joins the next.
 */
static void
scan_chunk_push(struct tscan *t, const unsigned char *hi, size_t hilen,
    uint64_t nrows, const unsigned char agg[ROWENC_AGG_LEN])
{
	struct baseline_chunk	*c;

	if (nrows == 0 && hi != NULL)
		return;
	t->chunks = xreallocarray(t->chunks, t->nchunks + 1,
	    sizeof *t->chunks);
	c = &t->chunks[t->nchunks++];
	memset(c, 0, sizeof *c);
	if (hi != NULL) {
		c->hi = (unsigned char *)xmemdup(hi, hilen);
		c->hilen = hilen;
	}
	c->nrows = (int64_t)nrows;
	memcpy(c->agg, agg, sizeof c->agg);
}

/* Close the chunk being built at the row with key hi. */
void
scan_chunk_close(struct tscan *t, const unsigned char *hi, size_t hilen)
{
	scan_chunk_push(t, hi, hilen, t->crows, t->cagg);
	t->crows = 0;
	memset(t->cagg, 0, sizeof t->cagg);
}

/*
 * Add a row (its hashed values and its key) to the chunk being built;
 * the chunk closes at its chunk-th row.
 */
void
scan_chunk_row(struct tscan *t, const char *const *vals,
    const unsigned long *lens, const unsigned char *key, size_t keylen)
{
	rowenc_chunk_hash(vals, lens, t->nhashed, t->varlen, t->cagg);
	if (++t->crows == t->chunk)
		scan_chunk_close(t, key, keylen);
}

/* Replace the stored chunks of the table with those kept in t. */
int
scan_chunks_store(struct tscan *t, char **cause)
{
	struct baseline_chunk	*c;
	size_t			 i;

	if (baseline_chunks_clear(t->run->bl, t->tid, cause) == -1)
		return -1;
	for (i = 0; i < t->nchunks; i++) {
		c = &t->chunks[i];
		c->n = (int64_t)i;
		if (seal_chunk(t->run->key, t->run->keylen, t->tid, c, c->mac,
		    cause) == -1 ||
		    baseline_chunk_put(t->run->bl, t->tid, c, cause) == -1)
			return -1;
	}
	return 0;
}

struct bound {
	struct buf	 store;
	const char	**vals;
	unsigned long	*lens;
	struct keyvals	 kv;
};

static int
scan_bound(struct tscan *t, struct bound *b, const unsigned char *key,
    size_t keylen, char **cause)
{
	if (rowenc_key_values(t->s, key, keylen, &b->store, b->vals,
	    b->lens) == -1) {
		*cause = xstrdup("stored chunk bound does not decode");
		return -1;
	}
	b->kv.vals = b->vals;
	b->kv.lens = b->lens;
	return 0;
}

/*
 * Chunk mode: ask the server for the count and aggregate of every stored
 * chunk; fetch and diff row by row only the chunks that differ (or whose
 * stored entry fails authentication). A chunk that grew past twice the
 * chunk size is split while it is fetched.
 */
int
scan_chunked(struct tscan *t, const struct baseline_chunk *old, size_t nold,
    unsigned long size, char **cause)
{
	struct scan		*sc = t->run;
	const struct baseline_chunk *c;
	struct bound		 lo, hi;
	unsigned char		 mac[ROWENC_MAC_LEN], agg[ROWENC_AGG_LEN];
	const unsigned char	*lok = NULL;
	size_t			 loklen = 0, i;
	uint64_t		 count, oversize, total = 0;
	int			 r = -1, dirty = 0, authentic;

	memset(&lo, 0, sizeof lo);
	memset(&hi, 0, sizeof hi);
	buf_init(&lo.store, BUF_NOCAP);
	buf_init(&hi.store, BUF_NOCAP);
	lo.vals = xcalloc(t->s->nkey, sizeof *lo.vals);
	lo.lens = xcalloc(t->s->nkey, sizeof *lo.lens);
	hi.vals = xcalloc(t->s->nkey, sizeof *hi.vals);
	hi.lens = xcalloc(t->s->nkey, sizeof *hi.lens);
	for (i = 0; i < nold; i++) {
		c = &old[i];
		if (*sc->stop) {
			*cause = xstrdup("interrupted by a signal");
			goto out;
		}
		if ((c->hi == NULL) != (i + 1 == nold)) {
			*cause = xstrdup("stored chunks are malformed");
			goto out;
		}
		if (c->hi != NULL &&
		    scan_bound(t, &hi, c->hi, c->hilen, cause) == -1)
			goto out;
		if (seal_chunk(sc->key, sc->keylen, t->tid, c, mac,
		    cause) == -1 ||
		    scan_wait_load(sc, sc->src, cause) == -1)
			goto out;
		authentic = util_timingsafe_eq(mac, c->mac, sizeof mac) &&
		    c->n == (int64_t)i;
		if (source_chunk(sc->src, t->s, lok != NULL ? &lo.kv : NULL,
		    c->hi != NULL ? &hi.kv : NULL, &count, agg, &oversize,
		    cause) == -1)
			goto out;
		if (authentic && oversize == 0 && count == (uint64_t)c->nrows &&
		    memcmp(agg, c->agg, sizeof agg) == 0) {
			scan_chunk_push(t, c->hi, c->hilen, count, agg);
			if (scan_pace(t, count) == -1) {
				*cause = t->cause;
				t->cause = NULL;
				goto out;
			}
		} else {
			dirty = 1;
			t->chunk = count > 2 * (uint64_t)size ? size : 0;
			t->crows = 0;
			memset(t->cagg, 0, sizeof t->cagg);
			t->nrows = 0;
			if (scan_range(t, lok != NULL ? &lo.kv : NULL, lok,
			    loklen, c->hi != NULL ? &hi.kv : NULL, c->hi,
			    c->hilen, cause) == -1)
				goto out;
			count = t->nrows;
			if (t->chunk != 0)
				scan_chunk_close(t, c->hi, c->hilen);
			else
				scan_chunk_push(t, c->hi, c->hilen, count, agg);
			t->chunk = 0;
		}
		total += count;
		if (c->hi != NULL && t->nchunks > 0 &&
		    t->chunks[t->nchunks - 1].hi != NULL) {
			/* The next chunk starts after the last kept bound. */
			lok = t->chunks[t->nchunks - 1].hi;
			loklen = t->chunks[t->nchunks - 1].hilen;
			if (scan_bound(t, &lo, lok, loklen, cause) == -1)
				goto out;
		}
	}
	if (nold != t->nchunks)
		dirty = 1;
	t->nrows = total;
	r = dirty ? scan_chunks_store(t, cause) : 0;
out:
	buf_free(&lo.store);
	buf_free(&hi.store);
	free(lo.vals);
	free(lo.lens);
	free(hi.vals);
	free(hi.lens);
	return r;
}


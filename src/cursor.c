/* The block-and-delta cursor over the stored rows of one table. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"
#include "buf.h"
#include "cursor.h"
#include "diff.h"
#include "store.h"
#include "xmalloc.h"

/*
 * Row blocks (block.c): a block aims at BLOCK_TARGET bytes of encoded rows
 * (one 4 KiB page of SQLite) and is cut into blocks of about that size
 * when it grows past twice as much. Blocks are read BLOCK_BATCH at a time.
 */
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

/* A row of the block in hand; own is set when the row's bytes are ours. */
struct brow {
	const unsigned char	*key;
	size_t			 keylen;
	const unsigned char	*digest;	/* DIFF_DIGEST_LEN bytes */
	const unsigned char	*tags;
	size_t			 tagslen;
	unsigned char		*own;
};

/* A change made through the cursor to the block in hand. */
struct bchange {
	unsigned char		*key;
	size_t			 keylen;
	int			 removed;
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
	int			 from_lo;	/* first block: deltas from its start */
	struct buf		 hi;		/* rows after hi end the range */
	int			 have_hi;
	int			 end;		/* the range is done */

	struct store_block	 ahead[BLOCK_BATCH];
	size_t			 nahead, nextahead;
	struct buf		 seek;		/* read blocks with hi > seek */
	int			 have_seek;
	int			 nomore;	/* no block after those ahead */

	struct store_delta	 dahead[DELTA_BATCH];
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
	struct buf		 loaded;	/* last block read, its hi */
	int			 have_loaded;
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

static size_t	 cursor_find(const struct baseline_cursor *,
		    const unsigned char *, size_t, int *);

static size_t
brow_bytes(const struct brow *r)
{
	return block_rowlen(r->keylen, r->tagslen);
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

/* Take one parsed row in hand (block_parse's callback). */
static int
cursor_take(void *arg, const struct block_row *br)
{
	struct baseline_cursor	*c = arg;
	struct brow		 r;

	memset(&r, 0, sizeof r);
	r.key = br->key;
	r.keylen = br->keylen;
	r.digest = br->digest;
	r.tags = br->tags;
	r.tagslen = br->tagslen;
	brow_push(c, c->nrows, &r);
	return 0;
}

/*
 * Parse a stored block into the rows in hand. The codec's reason is not
 * shown: the message is the one of every malformed stored row.
 */
static int
cursor_parse(struct baseline_cursor *c, const unsigned char *data,
    size_t len, const unsigned char *hi, size_t hilen, char **cause)
{
	char	*why = NULL;

	if (block_parse(data, len, hi, hilen, cursor_take, c, &why) == -1) {
		free(why);
		*cause = store_malformed(c->bl, "block");
		return -1;
	}
	return 0;
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

/* Read the next blocks ahead, unless some are left or none follow. */
static int
cursor_ahead(struct baseline_cursor *c, char **cause)
{
	struct store_block	*b;

	if (c->nextahead < c->nahead || c->nomore)
		return 0;
	c->nahead = c->nextahead = 0;
	if (store_blocks_next(c->bl, c->tid, c->seek.data, c->seek.len,
	    c->have_seek, c->ahead, BLOCK_BATCH, &c->nahead, cause) == -1)
		return -1;
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
	struct store_delta	*d;

	if (c->nextdahead < c->ndahead || c->dnomore)
		return 0;
	c->ndahead = c->nextdahead = 0;
	if (store_deltas_next(c->bl, c->tid, c->dseek.data, c->dseek.len,
	    c->have_dseek, c->dahead, DELTA_BATCH, &c->ndahead, cause) == -1)
		return -1;
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
 * A cursor from lo takes in hand first the block whose range holds lo:
 * its deltas are read from the start of that range (the bound of the
 * block before), not from lo. Those up to lo apply to the block too, and
 * a rewrite of the block (cursor_drop) must take them in and clear them:
 * left behind, a delta past the block's new bound belonged to no block,
 * and no cursor read it again (a stored row lost, reported as an insert
 * at the next scan of its range).
 */
static int
cursor_deltas_start(struct baseline_cursor *c, char **cause)
{
	unsigned char	*prev;
	size_t		 prevlen;
	int		 r = 0;

	c->from_lo = 0;
	if (store_block_before(c->bl, c->tid, c->stored.data, c->stored.len,
	    &prev, &prevlen, cause) == -1)
		return -1;
	c->ndahead = c->nextdahead = 0;
	c->dnomore = 0;
	c->have_dseek = c->have_dpos = prev != NULL;
	if (prev != NULL && (cursor_setkey(&c->dseek, prev, prevlen,
	    cause) == -1 || cursor_setkey(&c->dpos, prev, prevlen,
	    cause) == -1))
		r = -1;
	free(prev);
	return r;
}

/*
 * Apply the deltas up to the bound of the block just taken in hand: the
 * rows in hand are then the table's rows in the block's range.
 */
static int
cursor_deltas(struct baseline_cursor *c, char **cause)
{
	struct store_delta *d;
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
	if (row == NULL)
		return store_delta_put(c->bl, c->tid, key, keylen, NULL, NULL,
		    0, cause);
	return store_delta_put(c->bl, c->tid, key, keylen, row->digest,
	    row->tags != NULL ? row->tags : (const unsigned char *)"",
	    row->tagslen, cause);
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
	if (c->ndeltas == 0)
		return 0;
	if (store_deltas_del(c->bl, c->tid, c->dfrom.data, c->dfrom.len,
	    c->have_dfrom, c->stored.data, c->stored.len, cause) == -1)
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
	struct block_row	 br;
	struct buf		*b = &c->enc;
	size_t			 i;

	if (block_begin(b) == -1)
		goto nomem;
	for (i = from; i < to; i++) {
		r = &c->rows[i];
		br.key = r->key;
		br.keylen = r->keylen;
		br.digest = r->digest;
		br.tags = r->tags;
		br.tagslen = r->tagslen;
		if (block_add(b, &br) == -1)
			goto nomem;
	}
	if (b->len > INT_MAX || last->keylen > INT_MAX)
		goto nomem;
	if (store_block_put(c->bl, c->tid, last->key, last->keylen, b->data,
	    b->len, replace, cause) == -1)
		return -1;
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
	if (!c->is_stored)
		return 0;
	if (store_block_del(c->bl, c->tid, c->stored.data, c->stored.len,
	    cause) == -1)
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
	struct store_block *b;
	const struct brow *r;
	size_t		 first;

	if (cursor_ahead(c, cause) == -1)
		return -1;
	if (c->nextahead == c->nahead)
		return 0;
	b = &c->ahead[c->nextahead++];
	first = c->nrows;
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
	/*
	 * A block holds the keys after the bound of the block before it:
	 * rows copied from one block into the next are refused, not read
	 * as rows of their own (they would be reported as deletes).
	 */
	if (c->have_loaded && c->nrows > first &&
	    diff_keycmp(c->rows[first].key, c->rows[first].keylen,
	    (const unsigned char *)c->loaded.data, c->loaded.len) <= 0) {
		free(b->hi);
		b->hi = NULL;
		*cause = store_malformed(c->bl, "block");
		return -1;
	}
	if (cursor_setkey(&c->loaded, b->hi, b->hilen, cause) == -1) {
		free(b->hi);
		b->hi = NULL;
		return -1;
	}
	c->have_loaded = 1;
	free(b->hi);
	b->hi = NULL;
	if (c->from_lo && cursor_deltas_start(c, cause) == -1)
		return -1;
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
	buf_init(&c->loaded, BUF_NOCAP);
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
		c->from_lo = 1;
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
	buf_free(&c->loaded);
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

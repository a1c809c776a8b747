/* Unit tests for the row cursor: blocks, deltas, puts and deletes. */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
/* Only to tamper with the file, as an attacker would. */
#include <sqlite3.h>

#include "baseline.h"
#include "block.h"
#include "diff.h"
#include "store.h"
#include "xmalloc.h"

#include "testdir.h"

/*
 * A model table: rows sorted by key (diff_keycmp), each with a digest and
 * tags. Every merge through the cursors is checked against the model: the
 * events the diff saw, and every stored row read back.
 */
struct mrow {
	unsigned char	 key[24];
	size_t		 keylen;
	unsigned char	 digest[DIFF_DIGEST_LEN];
	unsigned char	 tags[48];
	size_t		 tagslen;
};

struct model {
	struct mrow	*rows;
	size_t		 n;
};

struct fixture {
	char		 dir[PATH_MAX];
	char		 path[PATH_MAX + 32];
	struct baseline	*bl;
	uint64_t	 rng;
};

static const unsigned char keycheck[BASELINE_KEYCHECK_LEN] = { 1, 2, 3 };

static uint64_t
rnd(struct fixture *f)
{
	/* xorshift64*: a fixed sequence per seed, so failures repeat. */
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return f->rng * 2685821657736338717ULL;
}

static size_t
rndn(struct fixture *f, size_t n)
{
	return n == 0 ? 0 : (size_t)(rnd(f) % n);
}

static int
mrow_cmp(const void *a, const void *b)
{
	const struct mrow	*x = a, *y = b;

	return diff_keycmp(x->key, x->keylen, y->key, y->keylen);
}

static void
model_sort(struct model *m)
{
	size_t	 i, j;

	qsort(m->rows, m->n, sizeof *m->rows, mrow_cmp);
	/* Keep the first of equal keys. */
	for (i = 0, j = 0; i < m->n; i++) {
		if (j > 0 && mrow_cmp(&m->rows[j - 1], &m->rows[i]) == 0)
			continue;
		m->rows[j++] = m->rows[i];
	}
	m->n = j;
}

static void
model_copy(struct model *dst, const struct model *src)
{
	dst->n = src->n;
	dst->rows = xreallocarray(NULL, src->n + 1, sizeof *dst->rows);
	if (src->n > 0)
		memcpy(dst->rows, src->rows, src->n * sizeof *src->rows);
}

static void
mrow_fill(struct fixture *f, struct mrow *r)
{
	size_t	 i;

	for (i = 0; i < sizeof r->digest; i++)
		r->digest[i] = (unsigned char)rnd(f);
	r->tagslen = rndn(f, sizeof r->tags + 1);
	for (i = 0; i < r->tagslen; i++)
		r->tags[i] = (unsigned char)rnd(f);
}

/* A random key: few byte values and lengths, so that prefixes abound. */
static void
mrow_key(struct fixture *f, struct mrow *r, const struct mrow *near)
{
	size_t	 i;

	if (near != NULL && near->keylen < sizeof r->key) {
		/* Just after near: its key and one more byte. */
		memcpy(r->key, near->key, near->keylen);
		r->key[near->keylen] = (unsigned char)rnd(f);
		r->keylen = near->keylen + 1 + rndn(f, 2);
		if (r->keylen > sizeof r->key)
			r->keylen = sizeof r->key;
		for (i = near->keylen + 1; i < r->keylen; i++)
			r->key[i] = (unsigned char)rnd(f);
		return;
	}
	r->keylen = 1 + rndn(f, 12);
	for (i = 0; i < r->keylen; i++)
		r->key[i] = (unsigned char)rndn(f, 4) * 0x55;
}

static void
model_add(struct fixture *f, struct model *m, size_t n, const struct mrow *near)
{
	size_t	 i;

	m->rows = xreallocarray(m->rows, m->n + n + 1, sizeof *m->rows);
	for (i = 0; i < n; i++) {
		mrow_key(f, &m->rows[m->n], near);
		mrow_fill(f, &m->rows[m->n]);
		m->n++;
	}
	model_sort(m);
}

/* The next state: rows updated, deleted and added, some in bursts. */
static void
model_mutate(struct fixture *f, struct model *m)
{
	struct mrow	 near;
	size_t		 i, j, n, from, rate;

	switch (rndn(f, 40)) {
	case 0:
		/* Everything gone. */
		m->n = 0;
		return;
	case 1:
	case 2:
		/* A long run deleted. */
		if (m->n > 0) {
			from = rndn(f, m->n);
			n = rndn(f, m->n - from + 1);
			memmove(m->rows + from, m->rows + from + n,
			    (m->n - from - n) * sizeof *m->rows);
			m->n -= n;
		}
		break;
	case 3:
	case 4:
	case 5:
		/* Many rows inserted between two stored keys. */
		if (m->n > 0) {
			near = m->rows[rndn(f, m->n)];
			model_add(f, m, 200 + rndn(f, 800), &near);
		}
		break;
	default:
		break;
	}
	/* A few changes to every block, or many: deltas, or rewrites. */
	rate = (size_t[]){ 400, 100, 30, 8 }[rndn(f, 4)];
	for (i = 0, j = 0; i < m->n; i++) {
		n = rndn(f, rate);
		if (n == 0)
			continue;		/* deleted */
		if (n <= 2)
			mrow_fill(f, &m->rows[i]);	/* updated */
		m->rows[j++] = m->rows[i];
	}
	m->n = j;
	model_add(f, m, rndn(f, 4000 / rate + 2), NULL);
}

/* The diff of a range, applied through the cursor. */
struct merge {
	struct baseline_cursor	*cur;
	const struct model	*new;
	size_t			 pos;		/* next new row */
	const struct mrow	*fed;		/* the new row being fed */
	struct model		 added, removed, changed;
};

static void
model_push(struct model *m, const unsigned char *key, size_t keylen)
{
	m->rows = xreallocarray(m->rows, m->n + 1, sizeof *m->rows);
	memset(&m->rows[m->n], 0, sizeof m->rows[m->n]);
	assert_true(keylen <= sizeof m->rows[m->n].key);
	memcpy(m->rows[m->n].key, key, keylen);
	m->rows[m->n].keylen = keylen;
	m->n++;
}

static int
merge_next(void *arg, struct diff_row *row, char **cause)
{
	struct merge	*mg = arg;

	return baseline_cursor_next(mg->cur, row, cause);
}

static int
merge_emit(void *arg, enum diff_event ev, const struct diff_row *old,
    const struct diff_row *new, char **cause)
{
	struct merge	*mg = arg;
	struct diff_row	 row;

	switch (ev) {
	case DIFF_SAME:
		return 0;
	case DIFF_REMOVED:
		model_push(&mg->removed, old->key, old->keylen);
		return baseline_cursor_del(mg->cur, old->key, old->keylen,
		    cause);
	case DIFF_ADDED:
		model_push(&mg->added, new->key, new->keylen);
		break;
	case DIFF_CHANGED:
		model_push(&mg->changed, new->key, new->keylen);
		break;
	}
	row = *new;
	row.tags = mg->fed->tags;
	row.tagslen = mg->fed->tagslen;
	if (baseline_cursor_put(mg->cur, &row, cause) == -1)
		return -1;
	/* The old row stays readable after the put (scan_changed uses it). */
	if (old != NULL)
		assert_int_equal(diff_keycmp(old->key, old->keylen, new->key,
		    new->keylen), 0);
	return 0;
}

static const struct diff_ops merge_ops = { merge_next, merge_emit };

/* Merge new over the stored rows in the range (lo, hi]. */
static void
merge_range(struct fixture *f, struct merge *mg, const struct mrow *lo,
    const struct mrow *hi)
{
	struct diff	*d;
	struct diff_row	 row;
	char		*cause = NULL;
	const struct mrow *r;

	mg->cur = baseline_cursor(f->bl, 1, lo != NULL ? lo->key : NULL,
	    lo != NULL ? lo->keylen : 0, hi != NULL ? hi->key : NULL,
	    hi != NULL ? hi->keylen : 0);
	d = diff_create(&merge_ops, mg);
	for (; mg->pos < mg->new->n; mg->pos++) {
		r = &mg->new->rows[mg->pos];
		if (hi != NULL && mrow_cmp(r, hi) > 0)
			break;
		memset(&row, 0, sizeof row);
		row.key = r->key;
		row.keylen = r->keylen;
		row.digest = r->digest;
		mg->fed = r;
		if (diff_feed(d, &row, &cause) == -1)
			fail_msg("feed: %s", cause);
	}
	if (diff_finish(d, &cause) == -1 ||
	    baseline_cursor_finish(mg->cur, &cause) == -1)
		fail_msg("finish: %s", cause);
	diff_free(d);
	baseline_cursor_free(mg->cur);
	mg->cur = NULL;
}

/* Every stored row, read back, is the model's. */
static void
check_stored(struct fixture *f, const struct model *m)
{
	struct baseline_cursor	*c;
	struct diff_row		 row;
	char			*cause = NULL;
	size_t			 i = 0;
	int			 r;

	c = baseline_cursor(f->bl, 1, NULL, 0, NULL, 0);
	while ((r = baseline_cursor_next(c, &row, &cause)) == 1) {
		assert_true(i < m->n);
		assert_int_equal(row.keylen, m->rows[i].keylen);
		assert_memory_equal(row.key, m->rows[i].key, row.keylen);
		assert_memory_equal(row.digest, m->rows[i].digest,
		    DIFF_DIGEST_LEN);
		assert_int_equal(row.tagslen, m->rows[i].tagslen);
		if (row.tagslen > 0)
			assert_memory_equal(row.tags, m->rows[i].tags,
			    row.tagslen);
		i++;
	}
	if (r == -1)
		fail_msg("read back: %s", cause);
	assert_int_equal(i, m->n);
	baseline_cursor_free(c);
}

/* The keys of a, in order, as in b (the events, against the models). */
static void
check_keys(const struct model *a, const struct model *b)
{
	size_t	 i;

	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++)
		assert_int_equal(mrow_cmp(&a->rows[i], &b->rows[i]), 0);
}

/* What the diff must have seen going from old to new. */
static void
expected_events(const struct model *old, const struct model *new,
    struct model *added, struct model *removed, struct model *changed)
{
	size_t	 i = 0, j = 0;
	int	 c;

	while (i < old->n || j < new->n) {
		if (i == old->n)
			c = 1;
		else if (j == new->n)
			c = -1;
		else
			c = mrow_cmp(&old->rows[i], &new->rows[j]);
		if (c < 0) {
			model_push(removed, old->rows[i].key,
			    old->rows[i].keylen);
			i++;
		} else if (c > 0) {
			model_push(added, new->rows[j].key,
			    new->rows[j].keylen);
			j++;
		} else {
			if (memcmp(old->rows[i].digest, new->rows[j].digest,
			    DIFF_DIGEST_LEN) != 0)
				model_push(changed, new->rows[j].key,
				    new->rows[j].keylen);
			i++;
			j++;
		}
	}
}

/* One pass from old to new: whole, or in ranges bounded by old keys. */
static void
merge_pass(struct fixture *f, const struct model *old,
    const struct model *new)
{
	struct merge	 mg;
	struct model	 add, rem, chg;
	const struct mrow *lo = NULL, *hi;
	size_t		 nb, i, b;

	memset(&mg, 0, sizeof mg);
	memset(&add, 0, sizeof add);
	memset(&rem, 0, sizeof rem);
	memset(&chg, 0, sizeof chg);
	mg.new = new;
	nb = old->n > 0 && rndn(f, 2) ? rndn(f, 12) : 0;
	for (i = 0, b = 0; i < nb; i++) {
		/* Increasing bounds picked among the stored keys. */
		b += 1 + rndn(f, old->n / (nb + 1) + 1);
		if (b >= old->n)
			break;
		hi = &old->rows[b];
		merge_range(f, &mg, lo, hi);
		lo = hi;
	}
	merge_range(f, &mg, lo, NULL);
	assert_int_equal(mg.pos, new->n);
	expected_events(old, new, &add, &rem, &chg);
	check_keys(&mg.added, &add);
	check_keys(&mg.removed, &rem);
	check_keys(&mg.changed, &chg);
	free(mg.added.rows);
	free(mg.removed.rows);
	free(mg.changed.rows);
	free(add.rows);
	free(rem.rows);
	free(chg.rows);
}

static int
setup(void **state)
{
	struct fixture	*f;
	char		*cause = NULL;

	f = xcalloc(1, sizeof *f);
	assert_int_equal(testdir_make(f->dir, sizeof f->dir), 0);
	snprintf(f->path, sizeof f->path, "%s/baseline.db", f->dir);
	f->bl = baseline_open(f->path, BASELINE_CREATE, keycheck, &cause);
	if (f->bl == NULL)
		fail_msg("open: %s", cause);
	if (baseline_begin(f->bl, &cause) == -1)
		fail_msg("begin: %s", cause);
	f->rng = 0x9E3779B97F4A7C15ULL;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		*p;

	baseline_close(f->bl);
	unlink(f->path);
	p = xasprintf("%s.lock", f->path);
	unlink(p);
	free(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

/*
 * Ensure that random sequences of states, merged whole or in ranges
 * bounded by stored keys (as chunk mode does), give exactly the diff's
 * events and leave exactly the new rows stored, across commits, reopens
 * and rolled-back savepoints.
 */
/* A few changes to a small table: most blocks keep them as deltas. */
static void
model_mutate_small(struct fixture *f, struct model *m)
{
	struct mrow	 near;
	size_t		 i, j, n;

	for (i = 0, j = 0; i < m->n; i++) {
		n = rndn(f, 12);
		if (n == 0)
			continue;		/* deleted */
		if (n == 1)
			mrow_fill(f, &m->rows[i]);	/* updated */
		m->rows[j++] = m->rows[i];
	}
	m->n = j;
	for (n = rndn(f, 4); n > 0 && m->n > 0; n--) {
		near = m->rows[rndn(f, m->n)];
		model_add(f, m, 1, &near);
	}
	if (rndn(f, 3) == 0)
		model_add(f, m, 1 + rndn(f, 3), NULL);
}

static void
blocks_random(struct fixture *f, size_t nrows, int rounds)
{
	struct model	 cur, next;
	char		*cause = NULL;
	int		 round;

	memset(&cur, 0, sizeof cur);
	for (round = 0; round < rounds; round++) {
		memset(&next, 0, sizeof next);
		model_copy(&next, &cur);
		if (round == 0)
			model_add(f, &next, nrows, NULL);
		else if (nrows < 1000)
			model_mutate_small(f, &next);
		else
			model_mutate(f, &next);
		if (round % 10 == 9) {
			/* A pass rolled back leaves the rows as they were. */
			assert_int_equal(baseline_savepoint(f->bl, &cause), 0);
			merge_pass(f, &cur, &next);
			baseline_rollback_to(f->bl);
			check_stored(f, &cur);
		}
		merge_pass(f, &cur, &next);
		check_stored(f, &next);
		free(cur.rows);
		cur = next;
		if (round % 25 == 24) {
			assert_int_equal(baseline_commit(f->bl, &cause), 0);
			baseline_close(f->bl);
			f->bl = baseline_open(f->path, 0, keycheck, &cause);
			if (f->bl == NULL)
				fail_msg("reopen: %s", cause);
			assert_int_equal(baseline_begin(f->bl, &cause), 0);
			check_stored(f, &cur);
		}
	}
	free(cur.rows);
}

static void
test_blocks_random(void **state)
{
	blocks_random(*state, 5000, 150);
}

/*
 * The same with small tables of a few blocks and a few changes a round,
 * which blocks keep as deltas, merged in ranges that start inside them.
 * (The bug of a range's first block taken in hand without its deltas up
 * to the range's start, cursor_deltas_start, was found by
 * differential.sh's seed 2926525849, its regression test; this did not
 * reproduce it.)
 */
static void
test_blocks_random_small(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;
	int		 t;

	for (t = 0; t < 30; t++) {
		assert_int_equal(baseline_table_clear(f->bl, 1, &cause), 0);
		blocks_random(f, 100 + (size_t)t * 20, 40);
	}
}

/*
 * Ensure that a first baseline of many rows (all puts at the end) and a
 * table emptied again both read back right, and that clearing a table
 * leaves no row.
 */
static void
test_blocks_bulk(void **state)
{
	struct fixture	*f = *state;
	struct model	 empty, big;
	char		*cause = NULL;

	memset(&empty, 0, sizeof empty);
	memset(&big, 0, sizeof big);
	model_add(f, &big, 20000, NULL);
	merge_pass(f, &empty, &big);
	check_stored(f, &big);
	merge_pass(f, &big, &empty);
	check_stored(f, &empty);
	merge_pass(f, &empty, &big);
	assert_int_equal(baseline_table_clear(f->bl, 1, &cause), 0);
	check_stored(f, &empty);
	free(big.rows);
}

/* Ensure that a put out of key order, or a delete of a row not read, fails. */
static void
test_blocks_order(void **state)
{
	struct fixture		*f = *state;
	struct baseline_cursor	*c;
	struct diff_row		 row;
	unsigned char		 d[DIFF_DIGEST_LEN] = { 0 };
	char			*cause = NULL;

	memset(&row, 0, sizeof row);
	row.digest = d;
	c = baseline_cursor(f->bl, 1, NULL, 0, NULL, 0);
	assert_int_equal(baseline_cursor_next(c, &row, &cause), 0);
	row.key = (const unsigned char *)"b";
	row.keylen = 1;
	row.digest = d;
	assert_int_equal(baseline_cursor_put(c, &row, &cause), 0);
	row.key = (const unsigned char *)"a";
	assert_int_equal(baseline_cursor_put(c, &row, &cause), -1);
	assert_non_null(strstr(cause, "out of order"));
	free(cause);
	cause = NULL;
	assert_int_equal(baseline_cursor_del(c, (const unsigned char *)"z", 1,
	    &cause), -1);
	free(cause);
	baseline_cursor_free(c);
}

/* The key of row i of the tests below: "k%05zu". */
static void
row_key(char *k, size_t i)
{
	snprintf(k, 8, "k%05zu", i);
}

/* Store rows 0 to n - 1 of table 1, each with digest byte d, and commit. */
static void
put_rows(struct fixture *f, size_t n, unsigned char d)
{
	struct baseline_cursor	*c;
	struct diff_row		 row;
	unsigned char		 dig[DIFF_DIGEST_LEN];
	char			 k[8], *cause = NULL;
	size_t			 i;

	memset(dig, d, sizeof dig);
	c = baseline_cursor(f->bl, 1, NULL, 0, NULL, 0);
	assert_int_equal(baseline_cursor_next(c, &row, &cause), 0);
	for (i = 0; i < n; i++) {
		row_key(k, i);
		memset(&row, 0, sizeof row);
		row.key = (const unsigned char *)k;
		row.keylen = 6;
		row.digest = dig;
		row.tags = (const unsigned char *)"tg";
		row.tagslen = 2;
		if (baseline_cursor_put(c, &row, &cause) == -1)
			fail_msg("put: %s", cause);
	}
	if (baseline_cursor_finish(c, &cause) == -1)
		fail_msg("finish: %s", cause);
	baseline_cursor_free(c);
}

/* Read every row; give every row i with want[i] set digest byte d. */
static void
change_rows(struct fixture *f, size_t n, const unsigned char *want,
    unsigned char d)
{
	struct baseline_cursor	*c;
	struct diff_row		 row, put;
	unsigned char		 dig[DIFF_DIGEST_LEN];
	char			 k[8], *cause = NULL;
	size_t			 i = 0;
	int			 r;

	memset(dig, d, sizeof dig);
	c = baseline_cursor(f->bl, 1, NULL, 0, NULL, 0);
	while ((r = baseline_cursor_next(c, &row, &cause)) == 1) {
		assert_true(i < n);
		row_key(k, i);
		assert_int_equal(row.keylen, 6);
		assert_memory_equal(row.key, k, 6);
		if (want[i]) {
			put = row;
			put.digest = dig;
			if (baseline_cursor_put(c, &put, &cause) == -1)
				fail_msg("put: %s", cause);
		}
		i++;
	}
	assert_int_equal(r, 0);
	assert_int_equal(i, n);
	if (baseline_cursor_finish(c, &cause) == -1)
		fail_msg("finish: %s", cause);
	baseline_cursor_free(c);
}

static int
count_row(void *arg, const struct block_row *r)
{
	(void)arg;
	(void)r;
	return 0;
}

/* How many blocks and deltas table 1 has, and each block well formed. */
static void
count_stored(struct fixture *f, size_t *nblocks, size_t *ndeltas,
    size_t *maxlen)
{
	struct store_block	 b[32];
	struct store_delta	 d[256];
	unsigned char		*seek = NULL;
	size_t			 seeklen = 0, n, i;
	char			*cause = NULL;
	int			 have = 0;

	*nblocks = *ndeltas = *maxlen = 0;
	do {
		if (store_blocks_next(f->bl, 1, seek, seeklen, have, b, 32, &n,
		    &cause) == -1)
			fail_msg("blocks: %s", cause);
		for (i = 0; i < n; i++) {
			if (block_parse(b[i].data, b[i].len, b[i].hi,
			    b[i].hilen, count_row, NULL, &cause) == -1)
				fail_msg("stored block: %s", cause);
			if (b[i].len > *maxlen)
				*maxlen = b[i].len;
			free(b[i].data);
			if (i + 1 < n)
				free(b[i].hi);
		}
		if (n > 0) {
			free(seek);
			seek = b[n - 1].hi;
			seeklen = b[n - 1].hilen;
			have = 1;
		}
		*nblocks += n;
	} while (n == 32);
	free(seek);
	if (store_deltas_next(f->bl, 1, NULL, 0, 0, d, 256, &n, &cause) == -1)
		fail_msg("deltas: %s", cause);
	for (i = 0; i < n; i++)
		free(d[i].own);
	*ndeltas = n;
}

/*
 * Ensure that a few changes to a stored block are kept as deltas, the
 * block as it was, and that once there are DELTA_MAX (8) the block is
 * rewritten with them and the deltas go.
 */
static void
test_cursor_deltas(void **state)
{
	struct fixture	*f = *state;
	unsigned char	 want[40];
	size_t		 nb, nd, maxlen;

	put_rows(f, 40, 0xaa);
	count_stored(f, &nb, &nd, &maxlen);
	assert_int_equal(nb, 1);
	assert_int_equal(nd, 0);
	memset(want, 0, sizeof want);
	want[3] = want[17] = 1;
	change_rows(f, 40, want, 0xbb);
	count_stored(f, &nb, &nd, &maxlen);
	assert_int_equal(nb, 1);
	assert_int_equal(nd, 2);
	memset(want, 0, sizeof want);
	want[4] = want[5] = want[6] = want[7] = want[20] = 1;
	change_rows(f, 40, want, 0xbb);
	count_stored(f, &nb, &nd, &maxlen);
	assert_int_equal(nd, 7);
	/* One more change: eight, rewritten whole. */
	memset(want, 0, sizeof want);
	want[39] = 1;
	change_rows(f, 40, want, 0xbb);
	count_stored(f, &nb, &nd, &maxlen);
	assert_int_equal(nb, 1);
	assert_int_equal(nd, 0);
}

/*
 * Ensure that a first baseline of many rows is spilt into blocks of about
 * BLOCK_TARGET (3800) bytes, each well formed, and reads back whole.
 */
static void
test_cursor_spill(void **state)
{
	struct fixture		*f = *state;
	struct baseline_cursor	*c;
	struct diff_row		 row;
	char			*cause = NULL, k[8];
	size_t			 nb, nd, maxlen, i = 0;
	int			 r;

	put_rows(f, 5000, 0x5a);
	count_stored(f, &nb, &nd, &maxlen);
	/* 5000 rows of 6 + 1 + 32 + 1 + 2 bytes. */
	assert_true(nb >= 5000 * 42 / (2 * 3800));
	assert_true(nb <= 5000 * 42 / 3800 + 1);
	assert_true(maxlen <= 2 * 3800);
	assert_int_equal(nd, 0);
	c = baseline_cursor(f->bl, 1, NULL, 0, NULL, 0);
	while ((r = baseline_cursor_next(c, &row, &cause)) == 1) {
		row_key(k, i);
		assert_memory_equal(row.key, k, 6);
		assert_int_equal(row.tagslen, 2);
		assert_memory_equal(row.tags, "tg", 2);
		assert_int_equal(row.digest[0], 0x5a);
		i++;
	}
	assert_int_equal(r, 0);
	assert_int_equal(i, 5000);
	baseline_cursor_free(c);
}

/* Ensure that a cursor over (lo, hi] returns exactly the rows in it. */
static void
test_cursor_range(void **state)
{
	struct fixture		*f = *state;
	struct baseline_cursor	*c;
	struct diff_row		 row;
	char			*cause = NULL, k[8];
	size_t			 i = 1001;
	int			 r;

	put_rows(f, 3000, 1);
	c = baseline_cursor(f->bl, 1, "k01000", 6, "k02500", 6);
	while ((r = baseline_cursor_next(c, &row, &cause)) == 1) {
		row_key(k, i);
		assert_memory_equal(row.key, k, 6);
		i++;
	}
	assert_int_equal(r, 0);
	assert_int_equal(i, 2501);
	baseline_cursor_free(c);
}

/* Ensure that a tampered block stops the cursor with the stored message. */
static void
test_cursor_malformed_block(void **state)
{
	struct fixture		*f = *state;
	struct baseline_cursor	*c;
	struct diff_row		 row;
	char			*cause = NULL, *want;

	assert_int_equal(store_block_put(f->bl, 1, "z", 1, "\001\001z", 3, 0,
	    &cause), 0);
	c = baseline_cursor(f->bl, 1, NULL, 0, NULL, 0);
	assert_int_equal(baseline_cursor_next(c, &row, &cause), -1);
	want = xasprintf("baseline %s: malformed row block (a reset of the "
	    "table makes a new baseline of it)", f->path);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	baseline_cursor_free(c);
}

/*
 * Ensure that a block holding rows of the block before it (each block well
 * formed, hostile review of issue 14) stops the cursor as malformed rather
 * than returning those rows twice.
 */
static void
test_cursor_overlap(void **state)
{
	struct fixture		*f = *state;
	struct baseline_cursor	*c;
	struct diff_row		 row;
	struct block_row	 br;
	struct buf		 b1, b2;
	unsigned char		 dig[DIFF_DIGEST_LEN];
	char			*cause = NULL, *want, k[8];
	size_t			 i, n = 0;
	int			 r;

	memset(dig, 7, sizeof dig);
	buf_init(&b1, BUF_NOCAP);
	buf_init(&b2, BUF_NOCAP);
	assert_int_equal(block_begin(&b1), 0);
	assert_int_equal(block_begin(&b2), 0);
	for (i = 1; i <= 4; i++) {
		row_key(k, i);
		memset(&br, 0, sizeof br);
		br.key = (const unsigned char *)k;
		br.keylen = 6;
		br.digest = dig;
		br.tags = (const unsigned char *)"tg";
		br.tagslen = 2;
		if (i <= 2)
			assert_int_equal(block_add(&b1, &br), 0);
		assert_int_equal(block_add(&b2, &br), 0);
	}
	row_key(k, 2);
	assert_int_equal(store_block_put(f->bl, 1, k, 6, b1.data, b1.len, 0,
	    &cause), 0);
	row_key(k, 4);
	assert_int_equal(store_block_put(f->bl, 1, k, 6, b2.data, b2.len, 0,
	    &cause), 0);
	c = baseline_cursor(f->bl, 1, NULL, 0, NULL, 0);
	while ((r = baseline_cursor_next(c, &row, &cause)) == 1)
		n++;
	assert_int_equal(r, -1);
	assert_int_equal(n, 2);
	want = xasprintf("baseline %s: malformed row block (a reset of the "
	    "table makes a new baseline of it)", f->path);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	baseline_cursor_free(c);
	buf_free(&b1);
	buf_free(&b2);
}

/*
 * Ensure that a tampered delta (a digest of the wrong length, written
 * behind dbsyscheck's back) stops the cursor with the stored message.
 */
static void
test_cursor_malformed_delta(void **state)
{
	struct fixture		*f = *state;
	struct baseline_cursor	*c;
	struct diff_row		 row;
	sqlite3			*db;
	char			*cause = NULL, *want;

	put_rows(f, 3, 1);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	baseline_close(f->bl);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO deltas (tid, pk, "
	    "digest, tags) VALUES (1, x'6b3030303031', x'0102', x'')", NULL,
	    NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	f->bl = baseline_open(f->path, 0, keycheck, &cause);
	assert_non_null(f->bl);
	c = baseline_cursor(f->bl, 1, NULL, 0, NULL, 0);
	assert_int_equal(baseline_cursor_next(c, &row, &cause), -1);
	want = xasprintf("baseline %s: malformed row delta (a reset of the "
	    "table makes a new baseline of it)", f->path);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	baseline_cursor_free(c);
}

/*
 * Ensure that tags too big to bind fail the delta that carries them (the
 * column may be NULL: a failed bind used to store the row without tags).
 */
static void
test_cursor_delta_toobig(void **state)
{
	struct fixture		*f = *state;
	struct baseline_cursor	*c;
	struct diff_row		 row, put;
	unsigned char		 tags[300];
	char			*cause = NULL;
	int			 r;

	put_rows(f, 3, 1);
	memset(tags, 't', sizeof tags);
	store_limit_length(f->bl, 200);
	c = baseline_cursor(f->bl, 1, NULL, 0, NULL, 0);
	assert_int_equal(baseline_cursor_next(c, &row, &cause), 1);
	put = row;
	put.tags = tags;
	put.tagslen = sizeof tags;
	assert_int_equal(baseline_cursor_put(c, &put, &cause), 0);
	while ((r = baseline_cursor_next(c, &row, &cause)) == 1)
		;
	assert_int_equal(r, 0);
	assert_int_equal(baseline_cursor_finish(c, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, ": writing rows: parameter 4: string "
	    "or blob too big"));
	free(cause);
	baseline_cursor_free(c);
}

int
main(void)
{
	const char	*top;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_blocks_random, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_blocks_random_small, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_blocks_bulk, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_blocks_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cursor_deltas, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cursor_spill, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cursor_range, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cursor_overlap,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_cursor_malformed_block,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_cursor_malformed_delta,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_cursor_delta_toobig,
		    setup, teardown),
	};

	/* Their files go where dbsyscheck accepts them (tests/testdir.sh). */
	if ((top = getenv("DBSC_TESTDIR")) != NULL && chdir(top) == -1) {
		perror(top);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}

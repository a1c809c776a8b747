/* Unit tests for the baseline's row blocks: cursors, puts and deletes. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "baseline.h"
#include "diff.h"
#include "xmalloc.h"

#include "store.h"

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
	char		 dir[64];
	char		 path[96];
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
	snprintf(f->dir, sizeof f->dir, "dbsc-test-baseline.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
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
static void
test_blocks_random(void **state)
{
	struct fixture	*f = *state;
	struct model	 cur, next;
	char		*cause = NULL;
	int		 round;

	memset(&cur, 0, sizeof cur);
	for (round = 0; round < 150; round++) {
		memset(&next, 0, sizeof next);
		model_copy(&next, &cur);
		if (round == 0)
			model_add(f, &next, 5000, NULL);
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

/*
 * Ensure that a bind that fails (a blob over the connection's length
 * limit) reaches the caller, with the parameter and SQLite's reason, and
 * that nothing is stored.
 */
static void
test_bind_toobig(void **state)
{
	struct fixture	*f = *state;
	unsigned char	 blob[200], *v = NULL;
	size_t		 len;
	char		*cause = NULL, *want;

	memset(blob, 'x', sizeof blob);
	store_limit_length(f->bl, 100);
	assert_int_equal(baseline_meta_put_blob(f->bl, "big", blob,
	    sizeof blob, &cause), -1);
	want = xasprintf("baseline %s: writing meta: parameter 2: string or "
	    "blob too big", f->path);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	assert_int_equal(baseline_broken(f->bl), 0);
	store_limit_length(f->bl, 1000000);
	assert_int_equal(baseline_meta_get_blob(f->bl, "big", &v, &len,
	    &cause), 0);
	assert_null(v);
	/* The next statement binds afresh: no stale failure. */
	assert_int_equal(baseline_meta_put_blob(f->bl, "big", blob,
	    sizeof blob, &cause), 0);
}

/*
 * Ensure that a length past INT_MAX is refused, not cut to its low 32
 * bits (4 GiB + 4 bytes was stored as 4 bytes); no byte past the fourth
 * is read.
 */
static void
test_bind_overlong(void **state)
{
	struct fixture	*f = *state;
	unsigned char	 blob[4] = { 'a', 'b', 'c', 'd' }, *v = NULL;
	size_t		 len = 0;
	char		*cause = NULL, *want;

	if (sizeof(size_t) <= 4)
		skip();
	assert_int_equal(baseline_meta_put_blob(f->bl, "big", blob,
	    ((size_t)1 << 32) + sizeof blob, &cause), -1);
	want = xasprintf("baseline %s: writing meta: parameter 2: string or "
	    "blob too big", f->path);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	assert_int_equal(baseline_meta_get_blob(f->bl, "big", &v, &len,
	    &cause), 0);
	assert_null(v);
}

/*
 * Ensure that a chunk bound that cannot be bound fails the put: the
 * column may be NULL, so the failed bind used to store an open-ended
 * chunk silently.
 */
static void
test_bind_chunk_hi(void **state)
{
	struct fixture		*f = *state;
	struct baseline_chunk	 k, *got = NULL;
	unsigned char		 hi[200];
	size_t			 n = 0;
	char			*cause = NULL;

	memset(&k, 0, sizeof k);
	memset(hi, 'k', sizeof hi);
	k.n = 1;
	k.hi = hi;
	k.hilen = sizeof hi;
	store_limit_length(f->bl, 100);
	assert_int_equal(baseline_chunk_put(f->bl, 7, &k, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "writing chunks: parameter 3: string "
	    "or blob too big"));
	free(cause);
	cause = NULL;
	store_limit_length(f->bl, 1000000);
	assert_int_equal(baseline_chunks_get(f->bl, 7, &got, &n, &cause), 0);
	assert_int_equal(n, 0);
	baseline_chunks_free(got, n);
}

int
main(void)
{
	const char	*dir;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_blocks_random, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_blocks_bulk, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_blocks_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bind_toobig, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bind_overlong, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bind_chunk_hi, setup,
		    teardown),
	};

	/* Their files go where dbsyscheck accepts them (tests/testdir.sh). */
	if ((dir = getenv("DBSC_TESTDIR")) != NULL && chdir(dir) == -1) {
		perror(dir);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}

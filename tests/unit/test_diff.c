/* Unit tests for diff: the merge of new rows against the stored rows. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "diff.h"
#include "xmalloc.h"

/*
 * The "old" side is an array of rows handed out by next; every event is
 * logged as "+key" (added), "-key" (removed), "~key" (changed) or "=key"
 * (same), separated by spaces, so that a test compares one string.
 */
struct fake {
	const struct diff_row	*old;
	size_t			 nold;
	size_t			 pos;
	int			 ended;
	int			 nnext;
	int			 fail_next_at;	/* 1-based */
	int			 fail_emit_at;	/* 1-based */
	int			 nemit;
	struct buf		 log;
	struct diff_row		 last_old;	/* of the last event */
	struct diff_row		 last_new;
};

static const unsigned char	 D1[DIFF_DIGEST_LEN] = { 0x11, 0x11, 0x11 };
static const unsigned char	 D2[DIFF_DIGEST_LEN] = { 0x22, 0x22, 0x22 };
static const unsigned char	 D3[DIFF_DIGEST_LEN] = { [31] = 0x01 };

static int
fake_next(void *arg, struct diff_row *row, char **cause)
{
	struct fake	*f = arg;

	if (f->ended)
		fail_msg("next called again after it returned 0");
	f->nnext++;
	if (f->nnext == f->fail_next_at) {
		*cause = xstrdup("baseline read failed");
		return -1;
	}
	if (f->pos == f->nold) {
		f->ended = 1;
		return 0;
	}
	*row = f->old[f->pos++];
	return 1;
}

static int
fake_emit(void *arg, enum diff_event ev, const struct diff_row *old,
    const struct diff_row *new, char **cause)
{
	struct fake		*f = arg;
	const struct diff_row	*r;
	char			 c;

	f->nemit++;
	if (f->nemit == f->fail_emit_at) {
		*cause = xstrdup("emit failed");
		return -1;
	}
	switch (ev) {
	case DIFF_ADDED:
		assert_null(old);
		assert_non_null(new);
		c = '+';
		r = new;
		break;
	case DIFF_REMOVED:
		assert_non_null(old);
		assert_null(new);
		c = '-';
		r = old;
		break;
	case DIFF_CHANGED:
	case DIFF_SAME:
		assert_non_null(old);
		assert_non_null(new);
		assert_int_equal(diff_keycmp(old->key, old->keylen, new->key,
		    new->keylen), 0);
		c = ev == DIFF_SAME ? '=' : '~';
		r = new;
		break;
	default:
		fail_msg("unknown event %d", (int)ev);
		return -1;
	}
	memset(&f->last_old, 0, sizeof f->last_old);
	memset(&f->last_new, 0, sizeof f->last_new);
	if (old != NULL)
		f->last_old = *old;
	if (new != NULL)
		f->last_new = *new;
	if (f->log.len > 0)
		assert_int_equal(buf_addc(&f->log, ' '), 0);
	assert_int_equal(buf_addc(&f->log, c), 0);
	assert_int_equal(buf_add(&f->log, r->key, r->keylen), 0);
	return 0;
}

static const struct diff_ops fake_ops = { fake_next, fake_emit };

static void
fake_init(struct fake *f, const struct diff_row *old, size_t nold)
{
	memset(f, 0, sizeof *f);
	f->old = old;
	f->nold = nold;
	buf_init(&f->log, BUF_NOCAP);
}

/* A row keyed by a C string with a digest. */
static struct diff_row
row(const char *key, const unsigned char *digest)
{
	struct diff_row	 r;

	r.key = (const unsigned char *)key;
	r.keylen = strlen(key);
	r.digest = digest;
	r.tags = NULL;
	r.tagslen = 0;
	return r;
}

/* Feed rows to a diff over old, finish it and compare the event log. */
static void
run_diff_n(const struct diff_row *old, size_t nold,
    const struct diff_row *new, size_t nnew, const char *want, size_t wantlen)
{
	struct fake	 f;
	struct diff	*d;
	char		*cause = NULL;
	size_t		 i;

	fake_init(&f, old, nold);
	d = diff_create(&fake_ops, &f);
	for (i = 0; i < nnew; i++)
		assert_int_equal(diff_feed(d, &new[i], &cause), 0);
	assert_int_equal(diff_finish(d, &cause), 0);
	assert_null(cause);
	assert_int_equal(f.log.len, wantlen);
	assert_memory_equal(buf_str(&f.log), want, wantlen);
	assert_int_equal(f.ended, 1);
	diff_free(d);
	buf_free(&f.log);
}

static void
run_diff(const struct diff_row *old, size_t nold, const struct diff_row *new,
    size_t nnew, const char *want)
{
	run_diff_n(old, nold, new, nnew, want, strlen(want));
}

/* Ensure that identical rows give only SAME events. */
static void
test_same(void **state)
{
	struct diff_row	 old[2], new[2];

	(void)state;
	old[0] = row("a", D1);
	old[1] = row("b", D2);
	new[0] = row("a", D1);
	new[1] = row("b", D2);
	run_diff(old, 2, new, 2, "=a =b");
}

/* Ensure that a row with another digest gives CHANGED. */
static void
test_changed(void **state)
{
	struct diff_row	 old[2], new[2];

	(void)state;
	old[0] = row("a", D1);
	old[1] = row("b", D1);
	new[0] = row("a", D1);
	new[1] = row("b", D2);
	run_diff(old, 2, new, 2, "=a ~b");
}

/* Ensure that a difference only in a digest's last byte gives CHANGED. */
static void
test_changed_last_byte(void **state)
{
	static const unsigned char	 z[DIFF_DIGEST_LEN];
	struct diff_row			 old[1], new[1];

	(void)state;
	old[0] = row("k", z);
	new[0] = row("k", D3);
	run_diff(old, 1, new, 1, "~k");
}

/* Ensure that a new row after the last old row gives ADDED. */
static void
test_added_at_end(void **state)
{
	struct diff_row	 old[1], new[2];

	(void)state;
	old[0] = row("a", D1);
	new[0] = row("a", D1);
	new[1] = row("c", D1);
	run_diff(old, 1, new, 2, "=a +c");
}

/* Ensure that a new row before the first old row gives ADDED first. */
static void
test_added_at_start(void **state)
{
	struct diff_row	 old[1], new[2];

	(void)state;
	old[0] = row("b", D1);
	new[0] = row("a", D1);
	new[1] = row("b", D1);
	run_diff(old, 1, new, 2, "+a =b");
}

/* Ensure that an old row missing from the middle gives REMOVED. */
static void
test_removed_middle(void **state)
{
	struct diff_row	 old[3], new[2];

	(void)state;
	old[0] = row("a", D1);
	old[1] = row("b", D1);
	old[2] = row("c", D1);
	new[0] = row("a", D1);
	new[1] = row("c", D1);
	run_diff(old, 3, new, 2, "=a -b =c");
}

/* Ensure that several old rows skipped by one new row are all REMOVED. */
static void
test_removed_run(void **state)
{
	struct diff_row	 old[4], new[1];

	(void)state;
	old[0] = row("a", D1);
	old[1] = row("b", D1);
	old[2] = row("c", D1);
	old[3] = row("d", D1);
	new[0] = row("d", D2);
	run_diff(old, 4, new, 1, "-a -b -c ~d");
}

/* Ensure that interleaved adds, removes and matches come out in order. */
static void
test_interleaved(void **state)
{
	struct diff_row	 old[4], new[5];

	(void)state;
	old[0] = row("a", D1);
	old[1] = row("c", D1);
	old[2] = row("e", D1);
	old[3] = row("g", D1);
	new[0] = row("b", D1);
	new[1] = row("c", D1);
	new[2] = row("d", D1);
	new[3] = row("f", D1);
	new[4] = row("g", D2);
	run_diff(old, 4, new, 5, "-a +b =c +d -e +f ~g");
}

/* Ensure that with no old rows every new row is ADDED. */
static void
test_empty_old(void **state)
{
	struct diff_row	 new[3];

	(void)state;
	new[0] = row("a", D1);
	new[1] = row("b", D1);
	new[2] = row("c", D1);
	run_diff(NULL, 0, new, 3, "+a +b +c");
}

/* Ensure that with no new rows every old row is REMOVED at finish. */
static void
test_empty_new(void **state)
{
	struct diff_row	 old[3];

	(void)state;
	old[0] = row("a", D1);
	old[1] = row("b", D1);
	old[2] = row("c", D1);
	run_diff(old, 3, NULL, 0, "-a -b -c");
}

/* Ensure that with no rows on either side nothing is emitted. */
static void
test_both_empty(void **state)
{
	(void)state;
	run_diff(NULL, 0, NULL, 0, "");
}

/* Ensure that the old rows after the last new row are REMOVED at finish. */
static void
test_removed_at_finish(void **state)
{
	struct diff_row	 old[3], new[1];

	(void)state;
	old[0] = row("a", D1);
	old[1] = row("b", D1);
	old[2] = row("c", D1);
	new[0] = row("a", D1);
	run_diff(old, 3, new, 1, "=a -b -c");
}

/* Ensure that an old row held back by adds is REMOVED at finish. */
static void
test_held_row_removed(void **state)
{
	struct diff_row	 old[1], new[3];

	(void)state;
	old[0] = row("m", D1);
	new[0] = row("a", D1);
	new[1] = row("b", D1);
	new[2] = row("c", D1);
	run_diff(old, 1, new, 3, "+a +b +c -m");
}

/* Ensure that events are emitted as each row is fed, not at finish. */
static void
test_events_per_feed(void **state)
{
	struct diff_row	 old[2], new[2];
	struct fake	 f;
	struct diff	*d;
	char		*cause = NULL;

	(void)state;
	old[0] = row("a", D1);
	old[1] = row("c", D1);
	new[0] = row("b", D1);
	new[1] = row("c", D1);
	fake_init(&f, old, 2);
	d = diff_create(&fake_ops, &f);
	assert_int_equal(diff_feed(d, &new[0], &cause), 0);
	assert_string_equal(buf_str(&f.log), "-a +b");
	assert_int_equal(f.nnext, 2);
	assert_int_equal(diff_feed(d, &new[1], &cause), 0);
	assert_string_equal(buf_str(&f.log), "-a +b =c");
	assert_int_equal(diff_finish(d, &cause), 0);
	assert_string_equal(buf_str(&f.log), "-a +b =c");
	assert_int_equal(f.nnext, 3);
	diff_free(d);
	buf_free(&f.log);
}

/* Ensure that the old and new rows of a CHANGED event are the right ones. */
static void
test_changed_rows(void **state)
{
	static const unsigned char	 otags[] = "OLDTAGS1", ntags[] =
					    "NEWTAGS1";
	struct diff_row			 old, new;
	struct fake			 f;
	struct diff			*d;
	char				*cause = NULL;

	(void)state;
	old = row("k", D1);
	old.tags = otags;
	old.tagslen = 8;
	new = row("k", D2);
	new.tags = ntags;
	new.tagslen = 8;
	fake_init(&f, &old, 1);
	d = diff_create(&fake_ops, &f);
	assert_int_equal(diff_feed(d, &new, &cause), 0);
	assert_string_equal(buf_str(&f.log), "~k");
	assert_ptr_equal(f.last_old.digest, D1);
	assert_ptr_equal(f.last_old.tags, otags);
	assert_int_equal(f.last_old.tagslen, 8);
	assert_ptr_equal(f.last_new.digest, D2);
	assert_ptr_equal(f.last_new.tags, ntags);
	diff_free(d);
	buf_free(&f.log);
}

/* Ensure that a new key lower than the previous one is an error. */
static void
test_out_of_order(void **state)
{
	struct diff_row	 new[2];
	struct fake	 f;
	struct diff	*d;
	char		*cause = NULL;

	(void)state;
	new[0] = row("b", D1);
	new[1] = row("a", D1);
	fake_init(&f, NULL, 0);
	d = diff_create(&fake_ops, &f);
	assert_int_equal(diff_feed(d, &new[0], &cause), 0);
	assert_int_equal(diff_feed(d, &new[1], &cause), -1);
	assert_string_equal(cause, "rows arrived out of key order (duplicate "
	    "key, or the server's order is not byte order)");
	assert_string_equal(buf_str(&f.log), "+b");
	free(cause);
	diff_free(d);
	buf_free(&f.log);
}

/* Ensure that a duplicate new key is an error, not a change. */
static void
test_duplicate_key(void **state)
{
	struct diff_row	 old[1], new[2];
	struct fake	 f;
	struct diff	*d;
	char		*cause = NULL;

	(void)state;
	old[0] = row("a", D1);
	new[0] = row("a", D1);
	new[1] = row("a", D2);
	fake_init(&f, old, 1);
	d = diff_create(&fake_ops, &f);
	assert_int_equal(diff_feed(d, &new[0], &cause), 0);
	assert_int_equal(diff_feed(d, &new[1], &cause), -1);
	assert_non_null(cause);
	assert_string_equal(buf_str(&f.log), "=a");
	free(cause);
	diff_free(d);
	buf_free(&f.log);
}

/* Ensure that a key that is a prefix of the previous one is out of order. */
static void
test_prefix_after_longer(void **state)
{
	struct diff_row	 new[2];
	struct fake	 f;
	struct diff	*d;
	char		*cause = NULL;

	(void)state;
	new[0] = row("ab", D1);
	new[1] = row("a", D1);
	fake_init(&f, NULL, 0);
	d = diff_create(&fake_ops, &f);
	assert_int_equal(diff_feed(d, &new[0], &cause), 0);
	assert_int_equal(diff_feed(d, &new[1], &cause), -1);
	assert_non_null(cause);
	free(cause);
	diff_free(d);
	buf_free(&f.log);
}

/* Ensure that keys are ordered as unsigned bytes, not as signed chars. */
static void
test_unsigned_order(void **state)
{
	struct diff_row	 old[2], new[2];

	(void)state;
	old[0] = row("\x01", D1);
	old[1] = row("\xff", D1);
	new[0] = row("\x01", D1);
	new[1] = row("\xff", D1);
	run_diff(old, 2, new, 2, "=\x01 =\xff");
}

/* Ensure that keys holding 0x00 bytes are compared whole. */
static void
test_keys_with_nul(void **state)
{
	static const unsigned char	 k1[] = { 'a', 0, 'b' };
	static const unsigned char	 k2[] = { 'a', 0, 'c' };
	struct diff_row			 old[1], new[2];

	(void)state;
	old[0].key = k2;
	old[0].keylen = 3;
	old[0].digest = D1;
	new[0].key = k1;
	new[0].keylen = 3;
	new[0].digest = D1;
	new[1].key = k2;
	new[1].keylen = 3;
	new[1].digest = D1;
	old[0].tags = new[0].tags = new[1].tags = NULL;
	old[0].tagslen = new[0].tagslen = new[1].tagslen = 0;
	run_diff_n(old, 1, new, 2, "+a\0b =a\0c", 9);
}

/* Ensure that long keys (past the buffer's first allocation) keep order. */
static void
test_long_keys(void **state)
{
	char		 k1[5001], k2[5001];
	struct diff_row	 old[1], new[2];
	struct buf	 want;

	(void)state;
	memset(k1, 'k', 5000);
	k1[5000] = '\0';
	memcpy(k2, k1, sizeof k2);
	k2[4999] = 'l';
	old[0] = row(k2, D1);
	new[0] = row(k1, D1);
	new[1] = row(k2, D1);
	buf_init(&want, BUF_NOCAP);
	assert_int_equal(buf_printf(&want, "+%s =%s", k1, k2), 0);
	run_diff(old, 1, new, 2, buf_str(&want));
	buf_free(&want);
}

/* Ensure that a failing next stops the feed with its cause. */
static void
test_next_error_feed(void **state)
{
	struct diff_row	 new[1];
	struct fake	 f;
	struct diff	*d;
	char		*cause = NULL;

	(void)state;
	new[0] = row("a", D1);
	fake_init(&f, NULL, 0);
	f.fail_next_at = 1;
	d = diff_create(&fake_ops, &f);
	assert_int_equal(diff_feed(d, &new[0], &cause), -1);
	assert_string_equal(cause, "baseline read failed");
	assert_string_equal(buf_str(&f.log), "");
	free(cause);
	diff_free(d);
	buf_free(&f.log);
}

/* Ensure that a failing next stops the finish with its cause. */
static void
test_next_error_finish(void **state)
{
	struct diff_row	 old[2];
	struct fake	 f;
	struct diff	*d;
	char		*cause = NULL;

	(void)state;
	old[0] = row("a", D1);
	old[1] = row("b", D1);
	fake_init(&f, old, 2);
	f.fail_next_at = 2;
	d = diff_create(&fake_ops, &f);
	assert_int_equal(diff_finish(d, &cause), -1);
	assert_string_equal(cause, "baseline read failed");
	assert_string_equal(buf_str(&f.log), "-a");
	free(cause);
	diff_free(d);
	buf_free(&f.log);
}

/* Ensure that a failing emit while removing stops the feed with its cause. */
static void
test_emit_error_feed(void **state)
{
	struct diff_row	 old[2], new[1];
	struct fake	 f;
	struct diff	*d;
	char		*cause = NULL;

	(void)state;
	old[0] = row("a", D1);
	old[1] = row("b", D1);
	new[0] = row("c", D1);
	fake_init(&f, old, 2);
	f.fail_emit_at = 2;
	d = diff_create(&fake_ops, &f);
	assert_int_equal(diff_feed(d, &new[0], &cause), -1);
	assert_string_equal(cause, "emit failed");
	assert_string_equal(buf_str(&f.log), "-a");
	free(cause);
	diff_free(d);
	buf_free(&f.log);
}

/* Ensure that a failing emit stops the finish with its cause. */
static void
test_emit_error_finish(void **state)
{
	struct diff_row	 old[3];
	struct fake	 f;
	struct diff	*d;
	char		*cause = NULL;

	(void)state;
	old[0] = row("a", D1);
	old[1] = row("b", D1);
	old[2] = row("c", D1);
	fake_init(&f, old, 3);
	f.fail_emit_at = 2;
	d = diff_create(&fake_ops, &f);
	assert_int_equal(diff_finish(d, &cause), -1);
	assert_string_equal(cause, "emit failed");
	assert_string_equal(buf_str(&f.log), "-a");
	free(cause);
	diff_free(d);
	buf_free(&f.log);
}

/* Ensure that diff_keycmp is 0 for equal keys, empty ones included. */
static void
test_keycmp_equal(void **state)
{
	(void)state;
	assert_int_equal(diff_keycmp((const unsigned char *)"abc", 3,
	    (const unsigned char *)"abc", 3), 0);
	assert_int_equal(diff_keycmp((const unsigned char *)"", 0,
	    (const unsigned char *)"", 0), 0);
}

/* Ensure that diff_keycmp orders a prefix before the longer key. */
static void
test_keycmp_prefix(void **state)
{
	(void)state;
	assert_true(diff_keycmp((const unsigned char *)"ab", 2,
	    (const unsigned char *)"abc", 3) < 0);
	assert_true(diff_keycmp((const unsigned char *)"abc", 3,
	    (const unsigned char *)"ab", 2) > 0);
	assert_true(diff_keycmp((const unsigned char *)"", 0,
	    (const unsigned char *)"a", 1) < 0);
	assert_true(diff_keycmp((const unsigned char *)"a", 1,
	    (const unsigned char *)"", 0) > 0);
}

/* Ensure that diff_keycmp decides on the first differing byte, unsigned. */
static void
test_keycmp_bytes(void **state)
{
	(void)state;
	assert_true(diff_keycmp((const unsigned char *)"b", 1,
	    (const unsigned char *)"abc", 3) > 0);
	assert_true(diff_keycmp((const unsigned char *)"\x7f", 1,
	    (const unsigned char *)"\x80", 1) < 0);
	assert_true(diff_keycmp((const unsigned char *)"a\0z", 3,
	    (const unsigned char *)"a\x01", 2) < 0);
}

/* Ensure that diff_keycmp reads only the given lengths. */
static void
test_keycmp_lengths(void **state)
{
	(void)state;
	assert_int_equal(diff_keycmp((const unsigned char *)"abX", 2,
	    (const unsigned char *)"abY", 2), 0);
}

/* Ensure that diff_free(NULL) does nothing. */
static void
test_free_null(void **state)
{
	(void)state;
	diff_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_changed),
		cmocka_unit_test(test_changed_last_byte),
		cmocka_unit_test(test_added_at_end),
		cmocka_unit_test(test_added_at_start),
		cmocka_unit_test(test_removed_middle),
		cmocka_unit_test(test_removed_run),
		cmocka_unit_test(test_interleaved),
		cmocka_unit_test(test_empty_old),
		cmocka_unit_test(test_empty_new),
		cmocka_unit_test(test_both_empty),
		cmocka_unit_test(test_removed_at_finish),
		cmocka_unit_test(test_held_row_removed),
		cmocka_unit_test(test_events_per_feed),
		cmocka_unit_test(test_changed_rows),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_prefix_after_longer),
		cmocka_unit_test(test_unsigned_order),
		cmocka_unit_test(test_keys_with_nul),
		cmocka_unit_test(test_long_keys),
		cmocka_unit_test(test_next_error_feed),
		cmocka_unit_test(test_next_error_finish),
		cmocka_unit_test(test_emit_error_feed),
		cmocka_unit_test(test_emit_error_finish),
		cmocka_unit_test(test_keycmp_equal),
		cmocka_unit_test(test_keycmp_prefix),
		cmocka_unit_test(test_keycmp_bytes),
		cmocka_unit_test(test_keycmp_lengths),
		cmocka_unit_test(test_free_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for chunkhash: chunk mode's per-row hash and its aggregate. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chunkhash.h"
#include "xmalloc.h"

/*
 * The known answers are the first 8 bytes of SHA-256 (Python's hashlib)
 * of the text the server's chunk query builds: the NULL map, "#" and the
 * length of every non-NULL varlen column, "#" and every non-NULL value.
 */

/* Ensure that ("12", "abc"), the second varlen, hashes "00#3#12#abc". */
static void
test_row(void **state)
{
	static const unsigned char	 want[8] = {
		0x8e, 0x5e, 0xab, 0x30, 0x9d, 0xef, 0x33, 0x58 };
	const char			*vals[2] = { "12", "abc" };
	unsigned long			 lens[2] = { 2, 3 };
	unsigned char			 varlen[2] = { 0, 1 };
	unsigned char			 agg[CHUNKHASH_AGG_LEN];

	(void)state;
	assert_int_equal(CHUNKHASH_AGG_LEN, 8);
	memset(agg, 0, sizeof agg);
	chunkhash_row(vals, lens, 2, varlen, agg);
	assert_memory_equal(agg, want, sizeof want);
}

/*
 * Ensure that a NULL is "1" in the map and is left out of the lengths and
 * values ("01#7"), and that its length is not read.
 */
static void
test_null(void **state)
{
	static const unsigned char	 want[8] = {
		0xb4, 0x73, 0xc8, 0x63, 0x7b, 0xc7, 0xa4, 0x93 };
	static const unsigned char	 all[8] = {
		0x4f, 0xc8, 0x2b, 0x26, 0xae, 0xcb, 0x47, 0xd2 };
	const char			*vals[2] = { "7", NULL };
	unsigned long			 lens[2] = { 1, 99 };
	unsigned char			 varlen[2] = { 1, 1 };
	unsigned char			 agg[CHUNKHASH_AGG_LEN];

	(void)state;
	varlen[0] = 0;
	memset(agg, 0, sizeof agg);
	chunkhash_row(vals, lens, 2, varlen, agg);
	assert_memory_equal(agg, want, sizeof want);
	vals[0] = NULL;
	memset(agg, 0, sizeof agg);
	chunkhash_row(vals, lens, 2, varlen, agg);
	assert_memory_equal(agg, all, sizeof all);
}

/*
 * Ensure that an empty value is not NULL: "0#0#" for a varlen column,
 * "0#" for a fixed one.
 */
static void
test_empty(void **state)
{
	static const unsigned char	 var[8] = {
		0x91, 0xe9, 0x85, 0x01, 0x6d, 0xf7, 0x95, 0x6b };
	static const unsigned char	 fixed[8] = {
		0x60, 0x6a, 0x75, 0xce, 0x4d, 0xf2, 0x3f, 0x14 };
	const char			*vals[1] = { "" };
	unsigned long			 lens[1] = { 0 };
	unsigned char			 varlen[1] = { 1 };
	unsigned char			 agg[CHUNKHASH_AGG_LEN];

	(void)state;
	memset(agg, 0, sizeof agg);
	chunkhash_row(vals, lens, 1, varlen, agg);
	assert_memory_equal(agg, var, sizeof var);
	varlen[0] = 0;
	memset(agg, 0, sizeof agg);
	chunkhash_row(vals, lens, 1, varlen, agg);
	assert_memory_equal(agg, fixed, sizeof fixed);
}

/*
 * Ensure that values around the 1024-byte block are hashed whole: a value
 * that just fits the block (1022 bytes after "0#") and one that does not.
 */
static void
test_block_boundary(void **state)
{
	static const unsigned char	 fits[8] = {
		0xec, 0x95, 0x3f, 0x91, 0x7d, 0x95, 0x65, 0x3b };
	static const unsigned char	 over[8] = {
		0x36, 0xb6, 0x40, 0xac, 0x22, 0x39, 0x6e, 0x8b };
	char				 v[1023];
	const char			*vals[1] = { v };
	unsigned long			 lens[1] = { 1022 };
	unsigned char			 varlen[1] = { 0 };
	unsigned char			 agg[CHUNKHASH_AGG_LEN];

	(void)state;
	memset(v, 'y', sizeof v);
	memset(agg, 0, sizeof agg);
	chunkhash_row(vals, lens, 1, varlen, agg);
	assert_memory_equal(agg, fits, sizeof fits);
	lens[0] = 1023;
	memset(agg, 0, sizeof agg);
	chunkhash_row(vals, lens, 1, varlen, agg);
	assert_memory_equal(agg, over, sizeof over);
}

/*
 * Ensure that a long value followed by another ("00#2000#x...#hello")
 * and 1100 columns (the map and the lengths past one block) hash whole.
 */
static void
test_long(void **state)
{
	static const unsigned char	 big[8] = {
		0x86, 0x01, 0x1c, 0x03, 0xae, 0xa0, 0x5d, 0x9e };
	static const unsigned char	 wide[8] = {
		0xe9, 0x82, 0xe8, 0x14, 0x11, 0xe2, 0x66, 0x74 };
	const char			**vals;
	unsigned long			*lens;
	unsigned char			*varlen, agg[CHUNKHASH_AGG_LEN];
	char				 x[2000];
	size_t				 i;

	(void)state;
	vals = xcalloc(1100, sizeof *vals);
	lens = xcalloc(1100, sizeof *lens);
	varlen = xcalloc(1100, 1);
	memset(x, 'x', sizeof x);
	vals[0] = x;
	lens[0] = sizeof x;
	varlen[0] = 1;
	vals[1] = "hello";
	lens[1] = 5;
	memset(agg, 0, sizeof agg);
	chunkhash_row(vals, lens, 2, varlen, agg);
	assert_memory_equal(agg, big, sizeof big);
	for (i = 0; i < 1100; i++) {
		vals[i] = "ab";
		lens[i] = 2;
		varlen[i] = 1;
	}
	memset(agg, 0, sizeof agg);
	chunkhash_row(vals, lens, 1100, varlen, agg);
	assert_memory_equal(agg, wide, sizeof wide);
	free(vals);
	free(lens);
	free(varlen);
}

/*
 * Ensure that the aggregate is the XOR of the rows' hashes: the same for
 * any order, and a row added twice cancels out (why a chunk's row count
 * is compared too).
 */
static void
test_aggregate(void **state)
{
	static const unsigned char	 both[8] = {
		0x3a, 0x2d, 0x63, 0x53, 0xe6, 0x28, 0x97, 0xcb };
	const char			*r1[2] = { "12", "abc" };
	const char			*r2[2] = { "7", NULL };
	unsigned long			 l1[2] = { 2, 3 }, l2[2] = { 1, 0 };
	unsigned char			 varlen[2] = { 0, 1 };
	unsigned char			 a[CHUNKHASH_AGG_LEN], b[CHUNKHASH_AGG_LEN];
	unsigned char			 zero[CHUNKHASH_AGG_LEN];

	(void)state;
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	memset(zero, 0, sizeof zero);
	chunkhash_row(r1, l1, 2, varlen, a);
	varlen[0] = 0;
	varlen[1] = 1;
	chunkhash_row(r2, l2, 2, varlen, a);
	chunkhash_row(r2, l2, 2, varlen, b);
	chunkhash_row(r1, l1, 2, varlen, b);
	assert_memory_equal(a, both, sizeof both);
	assert_memory_equal(a, b, sizeof a);
	chunkhash_row(r1, l1, 2, varlen, b);
	chunkhash_row(r1, l1, 2, varlen, b);
	assert_memory_equal(a, b, sizeof a);
	chunkhash_row(r1, l1, 2, varlen, b);
	chunkhash_row(r2, l2, 2, varlen, b);
	assert_memory_equal(b, zero, sizeof zero);
}

/*
 * Ensure that the length prefix keeps column boundaries: ("a#b", "c") and
 * ("a", "b#c") differ when both columns are varlen.
 */
static void
test_boundaries(void **state)
{
	const char	*r1[2] = { "a#b", "c" }, *r2[2] = { "a", "b#c" };
	unsigned long	 l1[2] = { 3, 1 }, l2[2] = { 1, 3 };
	unsigned char	 varlen[2] = { 1, 1 };
	unsigned char	 a[CHUNKHASH_AGG_LEN], b[CHUNKHASH_AGG_LEN];

	(void)state;
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	chunkhash_row(r1, l1, 2, varlen, a);
	chunkhash_row(r2, l2, 2, varlen, b);
	assert_memory_not_equal(a, b, sizeof a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row),
		cmocka_unit_test(test_null),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_block_boundary),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_aggregate),
		cmocka_unit_test(test_boundaries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

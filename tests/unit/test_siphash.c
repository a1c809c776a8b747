/* Unit tests for siphash: SipHash-2-4 against the reference vectors. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "siphash.h"

/*
 * The reference key 00 01 .. 0f and message 00 01 .. (n-1) of the
 * SipHash paper and its vectors.h (vectors_sip64, read little-endian).
 */
static unsigned char	 refkey[SIPHASH_KEY_LEN];
static unsigned char	 refmsg[64];

static int
setup_ref(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof refkey; i++)
		refkey[i] = (unsigned char)i;
	for (i = 0; i < sizeof refmsg; i++)
		refmsg[i] = (unsigned char)i;
	return 0;
}

/* Ensure that the empty message gives 0x726fdb47dd0e0e31. */
static void
test_vector_empty(void **state)
{
	(void)state;
	assert_int_equal(siphash24(refkey, refmsg, 0), 0x726fdb47dd0e0e31ULL);
}

/* Ensure that a 1-byte message (tail only) matches the reference. */
static void
test_vector_1(void **state)
{
	(void)state;
	assert_int_equal(siphash24(refkey, refmsg, 1), 0x74f839c593dc67fdULL);
}

/* Ensure that a 7-byte message (longest tail, no block) matches. */
static void
test_vector_7(void **state)
{
	(void)state;
	assert_int_equal(siphash24(refkey, refmsg, 7), 0xab0200f58b01d137ULL);
}

/* Ensure that an 8-byte message (one block, empty tail) matches. */
static void
test_vector_8(void **state)
{
	(void)state;
	assert_int_equal(siphash24(refkey, refmsg, 8), 0x93f5f5799a932462ULL);
}

/* Ensure that a 9-byte message (one block, 1-byte tail) matches. */
static void
test_vector_9(void **state)
{
	(void)state;
	assert_int_equal(siphash24(refkey, refmsg, 9), 0x9e0082df0ba9e4b0ULL);
}

/* Ensure that the 15-byte message gives 0xa129ca6149be45e5. */
static void
test_vector_15(void **state)
{
	(void)state;
	assert_int_equal(siphash24(refkey, refmsg, 15),
	    0xa129ca6149be45e5ULL);
}

/* Ensure that the input is read by length from an unaligned address. */
static void
test_unaligned(void **state)
{
	unsigned char	 buf[1 + 15];

	(void)state;
	memcpy(buf + 1, refmsg, 15);
	assert_int_equal(siphash24(refkey, buf + 1, 15),
	    0xa129ca6149be45e5ULL);
}

/* Ensure that one flipped key bit changes the hash. */
static void
test_key_matters(void **state)
{
	unsigned char	 key[SIPHASH_KEY_LEN];

	(void)state;
	memcpy(key, refkey, sizeof key);
	key[15] ^= 0x80;
	assert_int_not_equal(siphash24(key, refmsg, 15),
	    0xa129ca6149be45e5ULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector_empty),
		cmocka_unit_test(test_vector_1),
		cmocka_unit_test(test_vector_7),
		cmocka_unit_test(test_vector_8),
		cmocka_unit_test(test_vector_9),
		cmocka_unit_test(test_vector_15),
		cmocka_unit_test(test_unaligned),
		cmocka_unit_test(test_key_matters),
	};

	return cmocka_run_group_tests(tests, setup_ref, NULL);
}

/* Unit tests for secret: wiping, random bytes, hex text. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <cmocka.h>

#include "secret.h"

/*
 * getrandom as secret.c sees it (linked with --wrap=getrandom): the real
 * one, or the scripted answers of script[] (bytes given, or -errno).
 */
static long	 script[8];
static size_t	 nscript, at;

ssize_t	 __wrap_getrandom(void *, size_t, unsigned int);
ssize_t	 __real_getrandom(void *, size_t, unsigned int);

ssize_t
__wrap_getrandom(void *p, size_t n, unsigned int flags)
{
	long	 r;

	assert_int_equal(flags, 0);
	if (at >= nscript)
		return __real_getrandom(p, n, flags);
	r = script[at++];
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	if ((size_t)r > n)
		r = (long)n;
	memset(p, 0x5a, (size_t)r);
	return r;
}

static int
setup(void **state)
{
	(void)state;
	nscript = at = 0;
	return 0;
}

/* Ensure that secret_hex writes lowercase digits, two a byte, no NUL. */
static void
test_hex(void **state)
{
	static const unsigned char	 in[] = { 0x00, 0x0f, 0xa5, 0xff, 0x10 };
	char				 out[12];

	(void)state;
	memset(out, '#', sizeof out);
	secret_hex(out, in, sizeof in);
	assert_memory_equal(out, "000fa5ff10##", sizeof out);
	secret_hex(out, in, 0);
	assert_int_equal(out[0], '0');
}

/* Ensure that secret_is_hex takes only 0-9 a-f, and an empty string. */
static void
test_is_hex(void **state)
{
	(void)state;
	assert_true(secret_is_hex("0123456789abcdef", 16));
	assert_true(secret_is_hex("", 0));
	assert_false(secret_is_hex("ABCDEF", 6));
	assert_false(secret_is_hex("0g", 2));
	assert_false(secret_is_hex("/", 1));	/* '0' - 1 */
	assert_false(secret_is_hex(":", 1));	/* '9' + 1 */
	assert_false(secret_is_hex("`", 1));	/* 'a' - 1 */
	assert_false(secret_is_hex("ab\0d", 4));
	assert_false(secret_is_hex("ab\n", 3));
	/* Only n bytes are looked at. */
	assert_true(secret_is_hex("abX", 2));
}

/* Ensure that secret_wipe zeroes exactly n bytes. */
static void
test_wipe(void **state)
{
	unsigned char	 b[8];

	(void)state;
	memset(b, 0xff, sizeof b);
	secret_wipe(b + 1, 6);
	assert_memory_equal(b, "\377\0\0\0\0\0\0\377", sizeof b);
	secret_wipe(b, 0);
	assert_int_equal(b[0], 0xff);
}

/* Ensure that secret_random fills the bytes from the system's source. */
static void
test_random(void **state)
{
	unsigned char	 a[64], b[64], zero[64];

	(void)state;
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	memset(zero, 0, sizeof zero);
	assert_int_equal(secret_random(a, sizeof a), 0);
	assert_int_equal(secret_random(b, sizeof b), 0);
	assert_memory_not_equal(a, zero, sizeof a);
	assert_memory_not_equal(a, b, sizeof a);
	assert_int_equal(secret_random(a, 0), 0);
}

/* Ensure that short reads and EINTR are retried until n bytes came. */
static void
test_random_short(void **state)
{
	unsigned char	 b[10];

	(void)state;
	script[0] = 3;
	script[1] = -EINTR;
	script[2] = 4;
	script[3] = 3;
	nscript = 4;
	memset(b, 0, sizeof b);
	assert_int_equal(secret_random(b, sizeof b), 0);
	assert_int_equal(at, 4);
	assert_memory_equal(b, "ZZZZZZZZZZ", sizeof b);
}

/*
 * Ensure that a failure returns -1 with its errno and wipes what was
 * filled, and that a zero-byte answer is EIO rather than a loop.
 */
static void
test_random_fails(void **state)
{
	unsigned char	 b[10], zero[10];

	(void)state;
	memset(zero, 0, sizeof zero);
	script[0] = 6;
	script[1] = -ENOSYS;
	nscript = 2;
	memset(b, 0xee, sizeof b);
	assert_int_equal(secret_random(b, sizeof b), -1);
	assert_int_equal(errno, ENOSYS);
	assert_memory_equal(b, zero, sizeof b);

	at = 0;
	script[0] = 2;
	script[1] = 0;
	nscript = 2;
	memset(b, 0xee, sizeof b);
	assert_int_equal(secret_random(b, sizeof b), -1);
	assert_int_equal(errno, EIO);
	assert_memory_equal(b, zero, sizeof b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_hex, setup),
		cmocka_unit_test_setup(test_is_hex, setup),
		cmocka_unit_test_setup(test_wipe, setup),
		cmocka_unit_test_setup(test_random, setup),
		cmocka_unit_test_setup(test_random_short, setup),
		cmocka_unit_test_setup(test_random_fails, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

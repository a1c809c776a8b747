/* Unit tests for buf: growable byte buffers with a length and a cap. */
#include "config.h"

#include <sys/resource.h>
#include <sys/wait.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"

/* Ensure that a new buffer is empty and reads as "". */
static void
test_buf_init_empty(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, 16);
	assert_int_equal(b.len, 0);
	assert_null(b.data);
	assert_int_equal(b.cap, 16);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

/* Ensure that buf_add appends the exact bytes followed by a NUL. */
static void
test_buf_add_bytes(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(buf_add(&b, "abc", 3), 0);
	assert_int_equal(buf_add(&b, "de", 2), 0);
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.data, "abcde", 6);
	buf_free(&b);
}

/* Ensure that buf_add keeps embedded NUL bytes and counts them. */
static void
test_buf_add_embedded_nul(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(buf_add(&b, "a\0b", 3), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);
	buf_free(&b);
}

/* Ensure that adding zero bytes to an empty buffer succeeds and reads "". */
static void
test_buf_add_zero(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(buf_add(&b, "", 0), 0);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

/* Ensure that buf_addc appends single bytes, including 0x00 and 0xFF. */
static void
test_buf_addc(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(buf_addc(&b, 'x'), 0);
	assert_int_equal(buf_addc(&b, 0xff), 0);
	assert_int_equal(buf_addc(&b, 0), 0);
	assert_int_equal(buf_addc(&b, -1), 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "x\xff\0\xff\0", 5);
	buf_free(&b);
}

/* Ensure that buf_adds appends a string without its terminator. */
static void
test_buf_adds(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(buf_adds(&b, "hello"), 0);
	assert_int_equal(buf_adds(&b, ""), 0);
	assert_int_equal(buf_adds(&b, " world"), 0);
	assert_int_equal(b.len, 11);
	assert_string_equal(buf_str(&b), "hello world");
	buf_free(&b);
}

/* Ensure that buf_printf appends formatted text after existing contents. */
static void
test_buf_printf_small(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(buf_adds(&b, "n="), 0);
	assert_int_equal(buf_printf(&b, "%d,%s,%llu", -7, "x",
	    18446744073709551615ULL), 0);
	assert_string_equal(buf_str(&b), "n=-7,x,18446744073709551615");
	assert_int_equal(b.len, 27);
	buf_free(&b);
}

/* Ensure that buf_printf writes text longer than its 256-byte stack copy. */
static void
test_buf_printf_large(void **state)
{
	struct buf	 b;
	char		 big[1001], want[1010];

	(void)state;
	memset(big, 'q', 1000);
	big[1000] = '\0';
	memcpy(want, "<", 1);
	memcpy(want + 1, big, 1000);
	memcpy(want + 1001, ">end", 5);
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(buf_printf(&b, "<%s>%s", big, "end"), 0);
	assert_int_equal(b.len, 1005);
	assert_memory_equal(b.data, want, 1006);
	buf_free(&b);
}

/* Ensure that buf_printf is exact at 255 and 256 bytes of output. */
static void
test_buf_printf_boundary(void **state)
{
	struct buf	 b;
	char		 s[257];

	(void)state;
	memset(s, 'z', 256);
	s[256] = '\0';
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(buf_printf(&b, "%.255s", s), 0);
	assert_int_equal(b.len, 255);
	assert_memory_equal(b.data, s, 255);
	assert_int_equal(b.data[255], '\0');
	buf_reset(&b);
	assert_int_equal(buf_printf(&b, "%s", s), 0);
	assert_int_equal(b.len, 256);
	assert_memory_equal(b.data, s, 257);
	buf_free(&b);
}

/* Ensure that many small adds grow the buffer without losing bytes. */
static void
test_buf_grow(void **state)
{
	struct buf	 b;
	size_t		 i;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	for (i = 0; i < 5000; i++)
		assert_int_equal(buf_addc(&b, 'a' + (int)(i % 26)), 0);
	assert_int_equal(b.len, 5000);
	assert_true(b.alloc > 5000);
	for (i = 0; i < 5000; i++)
		assert_int_equal(b.data[i], 'a' + (int)(i % 26));
	assert_int_equal(b.data[5000], '\0');
	buf_free(&b);
}

/* Ensure that data filling the buffer exactly to its cap is accepted. */
static void
test_buf_cap_exact(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_add(&b, "abcde", 5), 0);
	assert_int_equal(buf_add(&b, "fgh", 3), 0);
	assert_int_equal(b.len, 8);
	assert_string_equal(buf_str(&b), "abcdefgh");
	buf_free(&b);
}

/* Ensure that an add past the cap returns -1 and frees the contents. */
static void
test_buf_cap_add_fails_and_empties(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_add(&b, "abcde", 5), 0);
	assert_int_equal(buf_add(&b, "fghi", 4), -1);
	assert_int_equal(b.len, 0);
	assert_null(b.data);
	assert_int_equal(b.alloc, 0);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

/* Ensure that one add larger than the cap fails on an empty buffer. */
static void
test_buf_cap_single_oversize(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, 4);
	assert_int_equal(buf_add(&b, "abcde", 5), -1);
	assert_int_equal(b.len, 0);
	assert_null(b.data);
	buf_free(&b);
}

/* Ensure that buf_addc past the cap returns -1 and empties the buffer. */
static void
test_buf_cap_addc(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, 2);
	assert_int_equal(buf_addc(&b, 'a'), 0);
	assert_int_equal(buf_addc(&b, 'b'), 0);
	assert_int_equal(buf_addc(&b, 'c'), -1);
	assert_int_equal(b.len, 0);
	assert_null(b.data);
	buf_free(&b);
}

/* Ensure that buf_adds past the cap returns -1 and empties the buffer. */
static void
test_buf_cap_adds(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, 5);
	assert_int_equal(buf_adds(&b, "abc"), 0);
	assert_int_equal(buf_adds(&b, "def"), -1);
	assert_int_equal(b.len, 0);
	assert_null(b.data);
	buf_free(&b);
}

/* Ensure that a short buf_printf past the cap fails and empties. */
static void
test_buf_cap_printf_small(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, 6);
	assert_int_equal(buf_adds(&b, "abc"), 0);
	assert_int_equal(buf_printf(&b, "%d", 1234), -1);
	assert_int_equal(b.len, 0);
	assert_null(b.data);
	buf_free(&b);
}

/* Ensure that a long (> 256 bytes) printf past the cap fails and empties. */
static void
test_buf_cap_printf_large(void **state)
{
	struct buf	 b;
	char		 s[401];

	(void)state;
	memset(s, 'x', 400);
	s[400] = '\0';
	buf_init(&b, 300);
	assert_int_equal(buf_adds(&b, "abc"), 0);
	assert_int_equal(buf_printf(&b, "%s", s), -1);
	assert_int_equal(b.len, 0);
	assert_null(b.data);
	buf_free(&b);
}

/*
 * Ensure that a failed buffer refuses every later add (so that a builder
 * that misses one check cannot emit the tail of a record) until buf_reset.
 */
static void
test_buf_failed_stays_failed(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, 4);
	assert_false(buf_failed(&b));
	assert_int_equal(buf_add(&b, "abcdef", 6), -1);
	assert_true(buf_failed(&b));
	assert_int_equal(buf_adds(&b, "ok"), -1);
	assert_int_equal(buf_addc(&b, 'x'), -1);
	assert_int_equal(buf_printf(&b, "%d", 1), -1);
	assert_int_equal(buf_add(&b, "", 0), -1);
	assert_true(buf_failed(&b));
	assert_int_equal(b.len, 0);
	assert_null(b.data);
	assert_string_equal(buf_str(&b), "");
	buf_reset(&b);
	assert_false(buf_failed(&b));
	assert_int_equal(buf_adds(&b, "ok"), 0);
	assert_string_equal(buf_str(&b), "ok");
	assert_int_equal(b.cap, 4);
	buf_free(&b);
}

/* Ensure that buf_free and buf_init also clear a failure. */
static void
test_buf_failed_cleared_by_free(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, 1);
	assert_int_equal(buf_adds(&b, "ab"), -1);
	buf_free(&b);
	assert_false(buf_failed(&b));
	assert_int_equal(buf_addc(&b, 'a'), 0);
	assert_int_equal(buf_addc(&b, 'b'), -1);
	buf_init(&b, 2);
	assert_false(buf_failed(&b));
	assert_int_equal(buf_adds(&b, "ab"), 0);
	buf_free(&b);
}

/* Ensure that an empty buffer that never failed is not failed. */
static void
test_buf_empty_not_failed(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_false(buf_failed(&b));
	assert_null(b.data);
	assert_int_equal(buf_add(&b, "", 0), 0);
	assert_false(buf_failed(&b));
	buf_free(&b);
}

/* Ensure that a zero cap refuses any byte but accepts an empty add. */
static void
test_buf_cap_zero(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(buf_add(&b, "", 0), 0);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_addc(&b, 'a'), -1);
	assert_int_equal(b.len, 0);
	assert_null(b.data);
	buf_free(&b);
}

/* Ensure that an add whose size alone passes the cap fails at once. */
static void
test_buf_add_huge(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, 1024);
	assert_int_equal(buf_add(&b, "abc", 3), 0);
	assert_int_equal(buf_add(&b, "x", SIZE_MAX - 1), -1);
	assert_int_equal(b.len, 0);
	assert_null(b.data);
	buf_free(&b);
}

/* Ensure that an uncapped add wrapping len + n + 1 returns -1. */
static void
test_buf_add_size_wrap(void **state)
{
	struct rlimit	 rl = { 0, 0 };
	struct buf	 b;
	pid_t		 pid;
	int		 status;

	(void)state;
	/* In a child: with the sum unchecked the add copies ~SIZE_MAX bytes. */
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		(void)setrlimit(RLIMIT_CORE, &rl);
		(void)signal(SIGSEGV, SIG_DFL);
		(void)signal(SIGBUS, SIG_DFL);
		buf_init(&b, BUF_NOCAP);
		if (buf_add(&b, "abc", 3) != 0)
			_exit(3);
		_exit(buf_add(&b, "x", SIZE_MAX - 3) == -1 && b.len == 0 ?
		    0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		fail_msg("buf_add(SIZE_MAX - len) died of signal %d",
		    WTERMSIG(status));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* Ensure that buf_reset empties the buffer but keeps its memory. */
static void
test_buf_reset_keeps_memory(void **state)
{
	struct buf	 b;
	char		*data;
	size_t		 alloc;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(buf_adds(&b, "hello"), 0);
	data = b.data;
	alloc = b.alloc;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_ptr_equal(b.data, data);
	assert_int_equal(b.alloc, alloc);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_adds(&b, "hi"), 0);
	assert_ptr_equal(b.data, data);
	assert_string_equal(buf_str(&b), "hi");
	buf_free(&b);
}

/* Ensure that buf_reset on a never-used buffer leaves it empty. */
static void
test_buf_reset_empty(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_null(b.data);
	assert_string_equal(buf_str(&b), "");
}

/* Ensure that buf_free releases the memory and leaves an empty buffer. */
static void
test_buf_free(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(buf_adds(&b, "data"), 0);
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

/* Ensure that buf_free(NULL) does nothing. */
static void
test_buf_free_null(void **state)
{
	(void)state;
	buf_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_init_empty),
		cmocka_unit_test(test_buf_add_bytes),
		cmocka_unit_test(test_buf_add_embedded_nul),
		cmocka_unit_test(test_buf_add_zero),
		cmocka_unit_test(test_buf_addc),
		cmocka_unit_test(test_buf_adds),
		cmocka_unit_test(test_buf_printf_small),
		cmocka_unit_test(test_buf_printf_large),
		cmocka_unit_test(test_buf_printf_boundary),
		cmocka_unit_test(test_buf_grow),
		cmocka_unit_test(test_buf_cap_exact),
		cmocka_unit_test(test_buf_cap_add_fails_and_empties),
		cmocka_unit_test(test_buf_cap_single_oversize),
		cmocka_unit_test(test_buf_cap_addc),
		cmocka_unit_test(test_buf_cap_adds),
		cmocka_unit_test(test_buf_cap_printf_small),
		cmocka_unit_test(test_buf_cap_printf_large),
		cmocka_unit_test(test_buf_failed_stays_failed),
		cmocka_unit_test(test_buf_failed_cleared_by_free),
		cmocka_unit_test(test_buf_empty_not_failed),
		cmocka_unit_test(test_buf_cap_zero),
		cmocka_unit_test(test_buf_add_huge),
		cmocka_unit_test(test_buf_add_size_wrap),
		cmocka_unit_test(test_buf_reset_keeps_memory),
		cmocka_unit_test(test_buf_reset_empty),
		cmocka_unit_test(test_buf_free),
		cmocka_unit_test(test_buf_free_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

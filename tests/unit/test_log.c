/* Unit tests for log: one encoded line per message on standard error. */
#include "config.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "xmalloc.h"

/* Standard error while a test runs: a pipe, read back by took(). */
static int	 saved = -1, rd = -1;

static int
setup(void **state)
{
	int	 p[2];

	(void)state;
	fflush(stderr);
	if (pipe(p) == -1 || (saved = dup(STDERR_FILENO)) == -1 ||
	    dup2(p[1], STDERR_FILENO) == -1)
		return -1;
	close(p[1]);
	rd = p[0];
	return fcntl(rd, F_SETFL, O_NONBLOCK);
}

static int
teardown(void **state)
{
	(void)state;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(rd);
	return 0;
}

/* What was written to standard error since the last call. */
static char *
took(void)
{
	static char	 b[16384];
	ssize_t		 n;

	fflush(stderr);
	n = read(rd, b, sizeof b - 1);
	b[n < 0 ? 0 : n] = '\0';
	return b;
}

/* Ensure that a plain message is "dbsyscheck: MSG\n", formatted. */
static void
test_plain(void **state)
{
	(void)state;
	log_warnx("%s: %d rows, don't", "acme.users", 42);
	assert_string_equal(took(),
	    "dbsyscheck: acme.users: 42 rows, don't\n");
}

/*
 * Ensure that line breaks, control and high bytes and the record syntax
 * (" % ; = \ ` |) are %XX, so that a message is one line and never reads
 * as a record; space, ',' and '\'' stay.
 */
static void
test_encoded(void **state)
{
	(void)state;
	log_warnx("%s", "a\nb\rc\td\x01\x1f\x7f\x80\xff \"%;=\\`|,'");
	assert_string_equal(took(), "dbsyscheck: a%0Ab%0Dc%09d%01%1F%7F%80%FF "
	    "%22%25%3B%3D%5C%60%7C,'\n");
	log_warnx("dbsyscheck: op=insert table=x ;");
	assert_string_equal(took(),
	    "dbsyscheck: dbsyscheck: op%3Dinsert table%3Dx %3B\n");
}

/*
 * Ensure that a message of 2047 bytes is whole and one of 2048 is cut
 * to 2047 and marked "%...".
 */
static void
test_cut(void **state)
{
	char	*m, *want;

	(void)state;
	m = xmalloc(2049);
	memset(m, 'a', 2048);
	m[2047] = '\0';
	want = xasprintf("dbsyscheck: %s\n", m);
	log_warnx("%s", m);
	assert_string_equal(took(), want);
	free(want);
	m[2047] = 'b';
	m[2048] = '\0';
	m[2046] = 'c';
	log_warnx("%s", m);
	m[2047] = '\0';
	want = xasprintf("dbsyscheck: %s%%...\n", m);
	assert_string_equal(took(), want);
	free(want);
	free(m);
}

/* Ensure that an empty message is still one line. */
static void
test_empty(void **state)
{
	(void)state;
	log_warnx("%s", "");
	assert_string_equal(took(), "dbsyscheck: \n");
}

/*
 * Ensure that progress starts with a carriage return, ends a line only
 * when last, and is encoded the same.
 */
static void
test_progress(void **state)
{
	(void)state;
	log_progress(0, "d.%s %d", "t\n", 5);
	assert_string_equal(took(), "\rdbsyscheck: d.t%0A 5");
	log_progress(1, "done");
	assert_string_equal(took(), "\rdbsyscheck: done\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encoded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cut, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for the outbox. */
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

#include "baseline.h"
#include "xmalloc.h"

#include "testdir.h"

struct fixture {
	char		 dir[PATH_MAX];
	char		 path[PATH_MAX + 32];
	struct baseline	*bl;
};

static const unsigned char keycheck[BASELINE_KEYCHECK_LEN] = { 1, 2, 3 };

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

static int
fetch_cb(void *arg, const struct baseline_outrec *r)
{
	char	*s = arg;
	size_t	 n = strlen(s);

	snprintf(s + n, 64 - n, "%s:%.*s ", r->op, (int)r->len, r->body);
	return 0;
}

/* Ensure that the outbox keeps records in order until acknowledged. */
static void
test_outbox(void **state)
{
	struct fixture		*f = *state;
	struct baseline_counts	 c;
	char			*cause = NULL, seen[64] = "";
	int64_t			 last = -1;
	uint64_t		 n = 99;

	assert_int_equal(baseline_outbox_last(f->bl, &last, &cause), 0);
	assert_int_equal(last, 0);
	assert_int_equal(baseline_outbox_add(f->bl, "insert", "a b", 3,
	    &cause), 0);
	assert_int_equal(baseline_outbox_add(f->bl, "delete", "cXX", 1,
	    &cause), 0);
	assert_int_equal(baseline_outbox_add(f->bl, "insert", "d", 1,
	    &cause), 0);
	assert_int_equal(baseline_outbox_counts(f->bl, 0, &c, &cause), 0);
	assert_int_equal(c.inserts, 2);
	assert_int_equal(c.deletes, 1);
	assert_int_equal(c.total, 3);
	assert_int_equal(baseline_outbox_upto(f->bl, 2, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(baseline_outbox_upto(f->bl, 0, &n, &cause), 0);
	assert_int_equal(n, 0);
	assert_int_equal(baseline_outbox_fetch(f->bl, 0, 2, fetch_cb, seen,
	    &cause), 2);
	assert_string_equal(seen, "insert:a b delete:c ");
	assert_int_equal(baseline_outbox_last(f->bl, &last, &cause), 0);
	assert_int_equal(last, 3);
	assert_int_equal(baseline_outbox_ack(f->bl, 2, &cause), 0);
	seen[0] = '\0';
	assert_int_equal(baseline_outbox_fetch(f->bl, 0, 10, fetch_cb, seen,
	    &cause), 1);
	assert_string_equal(seen, "insert:d ");
	assert_int_equal(baseline_outbox_upto(f->bl, 3, &n, &cause), 0);
	assert_int_equal(n, 1);
}

static int
stop_cb(void *arg, const struct baseline_outrec *r)
{
	int64_t	*seen = arg;

	*seen = r->seq;
	return 1;
}

/* Ensure that a callback returning 1 stops the fetch after its record. */
static void
test_outbox_stop(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;
	int64_t		 seen = 0;

	assert_int_equal(baseline_outbox_add(f->bl, "insert", "a", 1,
	    &cause), 0);
	assert_int_equal(baseline_outbox_add(f->bl, "update", "b", 1,
	    &cause), 0);
	assert_int_equal(baseline_outbox_fetch(f->bl, 0, 10, stop_cb, &seen,
	    &cause), 1);
	assert_int_equal(seen, 1);
	assert_int_equal(baseline_outbox_fetch(f->bl, 1, 10, stop_cb, &seen,
	    &cause), 1);
	assert_int_equal(seen, 2);
	/* The statement was let go of: the queue can be written. */
	assert_int_equal(baseline_outbox_ack(f->bl, 2, &cause), 0);
	assert_int_equal(baseline_outbox_fetch(f->bl, 0, 10, stop_cb, &seen,
	    &cause), 0);
}

int
main(void)
{
	const char	*top;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_outbox, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbox_stop, setup,
		    teardown),
	};

	/* Their files go where dbsyscheck accepts them (tests/testdir.sh). */
	if ((top = getenv("DBSC_TESTDIR")) != NULL && chdir(top) == -1) {
		perror(top);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}

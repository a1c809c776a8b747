/* Unit tests for pace: rows a second and Threads_running, on a fake clock. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pace.h"

/* A clock that moves only when slept on; every sleep is recorded. */
struct fake {
	double			 t;
	double			 slept;
	int			 nsleeps;
	double			 maxslice;
	volatile sig_atomic_t	*stop;
	int			 stop_after;	/* sleeps before the "signal" */
};

static double
fake_now(void *arg)
{
	return ((struct fake *)arg)->t;
}

static void
fake_sleep(void *arg, double secs)
{
	struct fake	*f = arg;

	f->t += secs;
	f->slept += secs;
	f->nsleeps++;
	if (secs > f->maxslice)
		f->maxslice = secs;
	if (f->stop_after != 0 && f->nsleeps == f->stop_after)
		*f->stop = 1;
}

static struct fake		 fk;
static struct pace_clock	 fclock = { fake_now, fake_sleep, &fk };
static volatile sig_atomic_t	 stopflag;
static uint64_t			 pauses;
static double			 paused;

static int
setup(void **state)
{
	(void)state;
	memset(&fk, 0, sizeof fk);
	fk.t = 1000;
	fk.stop = &stopflag;
	stopflag = 0;
	pauses = 0;
	paused = 0;
	return 0;
}

/* Threads_running answers, one a call, from a list; then the last. */
struct answers {
	const unsigned long	*n;
	size_t			 len, next;
	int			 fail_at;	/* 1-based call that fails, or 0 */
	struct fake		*clock;
	double			 advance;	/* the query takes this long */
};

static int
answer(void *arg, unsigned long *n, char **cause)
{
	struct answers	*a = arg;

	a->next++;
	if (a->fail_at != 0 && (int)a->next == a->fail_at) {
		*cause = strdup("lost connection");
		return -1;
	}
	*n = a->n[a->next - 1 < a->len ? a->next - 1 : a->len - 1];
	if (a->clock != NULL)
		a->clock->t += a->advance;
	return 0;
}

/* Ensure that with no limit and no progress the clock is never read. */
static void
test_rows_no_limits(void **state)
{
	struct pace	 p;
	int		 i;

	(void)state;
	pace_init(&p, &fclock, &stopflag, 0, 0, &pauses, &paused);
	pace_table(&p, 0);
	for (i = 0; i < 100000; i++)
		assert_int_equal(pace_rows(&p, 1), 0);
	assert_int_equal(p.seen, 100000);
	assert_int_equal(fk.nsleeps, 0);
}

/*
 * Ensure that max-rows-per-second 1000 sleeps so that 2560 rows read at
 * once take 2.56 seconds, looked at every 256 rows.
 */
static void
test_rows_rate(void **state)
{
	struct pace	 p;
	int		 i;

	(void)state;
	pace_init(&p, &fclock, &stopflag, 0, 0, &pauses, &paused);
	pace_table(&p, 1000);
	for (i = 0; i < 2560; i++)
		pace_rows(&p, 1);
	assert_true(fk.slept > 2.5599 && fk.slept < 2.5601);
	/* Cut into slices of at most PACE_SLICE. */
	assert_true(fk.maxslice <= PACE_SLICE + 1e-9);
	assert_int_equal(fk.nsleeps, 10 * 2);	/* 0.256 s: 0.2 + 0.056 */
}

/* Ensure that a batch of rows (chunk sums) is paced as a whole. */
static void
test_rows_batch(void **state)
{
	struct pace	 p;

	(void)state;
	pace_init(&p, &fclock, &stopflag, 0, 0, &pauses, &paused);
	pace_table(&p, 100);
	pace_rows(&p, 50);
	assert_true(fk.slept > 0.4999 && fk.slept < 0.5001);
	assert_int_equal(p.seen, 50);
}

/* Ensure that a check is due once a second, not before. */
static void
test_rows_check_each_second(void **state)
{
	struct pace	 p;

	(void)state;
	pace_init(&p, &fclock, &stopflag, 0, 1, &pauses, &paused);
	pace_table(&p, 0);
	assert_int_equal(pace_rows(&p, 10), 0);
	fk.t += 0.999;
	assert_int_equal(pace_rows(&p, 10), 0);
	fk.t += 0.001;
	assert_int_equal(pace_rows(&p, 10), 1);
	assert_int_equal(pace_rows(&p, 10), 0);
	fk.t += 1;
	assert_int_equal(pace_rows(&p, 10), 1);
}

/* Ensure that a single row is looked at only on every 256th. */
static void
test_rows_every_256(void **state)
{
	struct pace	 p;
	int		 i;

	(void)state;
	pace_init(&p, &fclock, &stopflag, 0, 1, &pauses, &paused);
	pace_table(&p, 0);
	fk.t += 5;
	for (i = 1; i < 256; i++)
		assert_int_equal(pace_rows(&p, 1), 0);
	assert_int_equal(pace_rows(&p, 1), 1);
}

/* Ensure that a signal cuts a rate sleep short. */
static void
test_rows_stop(void **state)
{
	struct pace	 p;

	(void)state;
	pace_init(&p, &fclock, &stopflag, 0, 0, &pauses, &paused);
	pace_table(&p, 1);
	fk.stop_after = 2;
	pace_rows(&p, 100);	/* due in 100 s */
	assert_int_equal(fk.nsleeps, 2);
	assert_true(fk.slept < 0.5);
}

/* Ensure that no limit means no query. */
static void
test_load_no_limit(void **state)
{
	static const unsigned long	 n[] = { 99 };
	struct answers			 a = { n, 1, 0, 0, NULL, 0 };
	struct pace			 p;
	char				*cause = NULL;

	(void)state;
	pace_init(&p, &fclock, &stopflag, 0, 0, &pauses, &paused);
	assert_int_equal(pace_wait_load(&p, answer, &a, &cause), 0);
	assert_int_equal(a.next, 0);
	assert_int_equal(pauses, 0);
}

/* Ensure that a count at the limit goes on at once: no pause. */
static void
test_load_at_limit(void **state)
{
	static const unsigned long	 n[] = { 8 };
	struct answers			 a = { n, 1, 0, 0, NULL, 0 };
	struct pace			 p;
	char				*cause = NULL;

	(void)state;
	pace_init(&p, &fclock, &stopflag, 8, 0, &pauses, &paused);
	assert_int_equal(pace_wait_load(&p, answer, &a, &cause), 0);
	assert_int_equal(a.next, 1);
	assert_int_equal(pauses, 0);
	assert_int_equal(fk.nsleeps, 0);
}

/* Ensure that a busy server is waited for, counted as one pause. */
static void
test_load_waits(void **state)
{
	static const unsigned long	 n[] = { 9, 20, 9, 8 };
	struct answers			 a = { n, 4, 0, 0, NULL, 0 };
	struct pace			 p;
	char				*cause = NULL;

	(void)state;
	pace_init(&p, &fclock, &stopflag, 8, 0, &pauses, &paused);
	assert_int_equal(pace_wait_load(&p, answer, &a, &cause), 0);
	assert_null(cause);
	assert_int_equal(a.next, 4);
	assert_int_equal(pauses, 1);
	/* Three waits of PACE_RECHECK, each one slice of 0.2 and 0.05. */
	assert_true(paused > 3 * PACE_RECHECK - 1e-9 &&
	    paused < 3 * PACE_RECHECK + 1e-9);
}

/* Ensure that an hour above the limit fails with its cause. */
static void
test_load_hour(void **state)
{
	static const unsigned long	 n[] = { 100 };
	struct answers			 a = { n, 1, 0, 0, &fk, 60 };
	struct pace			 p;
	char				*cause = NULL;

	(void)state;
	pace_init(&p, &fclock, &stopflag, 8, 0, &pauses, &paused);
	assert_int_equal(pace_wait_load(&p, answer, &a, &cause), -1);
	assert_string_equal(cause, "Threads_running stayed above 8 for an "
	    "hour");
	free(cause);
	assert_int_equal(pauses, 1);
	/* Each answer takes 60 s, each wait 0.25: the 61st is 3615 s on. */
	assert_int_equal(a.next, 61);
}

/* Ensure that a failing query passes its cause on. */
static void
test_load_query_fails(void **state)
{
	static const unsigned long	 n[] = { 100 };
	struct answers			 a = { n, 1, 0, 3, NULL, 0 };
	struct pace			 p;
	char				*cause = NULL;

	(void)state;
	pace_init(&p, &fclock, &stopflag, 8, 0, &pauses, &paused);
	assert_int_equal(pace_wait_load(&p, answer, &a, &cause), -1);
	assert_string_equal(cause, "lost connection");
	free(cause);
}

/* Ensure that a signal ends the wait without an error. */
static void
test_load_stop(void **state)
{
	static const unsigned long	 n[] = { 100 };
	struct answers			 a = { n, 1, 0, 0, NULL, 0 };
	struct pace			 p;
	char				*cause = NULL;

	(void)state;
	pace_init(&p, &fclock, &stopflag, 8, 0, &pauses, &paused);
	fk.stop_after = 1;
	assert_int_equal(pace_wait_load(&p, answer, &a, &cause), 0);
	assert_null(cause);
	assert_int_equal(a.next, 2);
}

/* Ensure that the real clock moves forward and sleeps. */
static void
test_real_clock(void **state)
{
	struct pace	 p;
	double		 t0;

	(void)state;
	pace_init(&p, &pace_clock_real, &stopflag, 0, 0, &pauses, &paused);
	t0 = pace_now(&p);
	pace_sleep(&p, 0.01);
	assert_true(pace_now(&p) >= t0 + 0.01);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_rows_no_limits, setup),
		cmocka_unit_test_setup(test_rows_rate, setup),
		cmocka_unit_test_setup(test_rows_batch, setup),
		cmocka_unit_test_setup(test_rows_check_each_second, setup),
		cmocka_unit_test_setup(test_rows_every_256, setup),
		cmocka_unit_test_setup(test_rows_stop, setup),
		cmocka_unit_test_setup(test_load_no_limit, setup),
		cmocka_unit_test_setup(test_load_at_limit, setup),
		cmocka_unit_test_setup(test_load_waits, setup),
		cmocka_unit_test_setup(test_load_hour, setup),
		cmocka_unit_test_setup(test_load_query_fails, setup),
		cmocka_unit_test_setup(test_load_stop, setup),
		cmocka_unit_test_setup(test_real_clock, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for the run lock and the check of SQLite's side files. */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lock.h"
#include "xmalloc.h"

#include "testdir.h"

struct fixture {
	char	 dir[PATH_MAX];
	char	 path[PATH_MAX + 32];
	char	 lock[PATH_MAX + 64];
};

static int
setup(void **state)
{
	struct fixture	*f;

	f = xcalloc(1, sizeof *f);
	assert_int_equal(testdir_make(f->dir, sizeof f->dir), 0);
	snprintf(f->path, sizeof f->path, "%s/baseline.db", f->dir);
	snprintf(f->lock, sizeof f->lock, "%s.lock", f->path);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		*p;

	unlink(f->lock);
	p = xasprintf("%s-journal", f->path);
	unlink(p);
	free(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

/*
 * Ensure that a second lock of the same baseline fails at once, saying
 * who holds it and since when, and succeeds once the first is released.
 */
static void
test_lock_exclusive(void **state)
{
	struct fixture	*f = *state;
	struct stat	 st;
	long long	 held = -2;
	char		*cause = NULL, *want;
	int		 fd, fd2;

	fd = baseline_lock(f->path, &held, &cause);
	assert_true(fd >= 0);
	assert_int_equal(held, -1);
	assert_int_equal(stat(f->lock, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	assert_int_equal(baseline_lock(f->path, &held, &cause), -1);
	want = xasprintf("another dbsyscheck run holds the lock %s", f->lock);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	assert_true(held >= 0);
	/* No held time asked for: the same refusal. */
	assert_int_equal(baseline_lock(f->path, NULL, &cause), -1);
	free(cause);
	cause = NULL;

	baseline_unlock(fd);
	fd2 = baseline_lock(f->path, &held, &cause);
	assert_true(fd2 >= 0);
	assert_int_equal(held, -1);
	baseline_unlock(fd2);
	baseline_unlock(-1);
}

/*
 * Ensure that a waiting lock gives up after its time, saying who holds
 * it, and at once when the stop flag is set.
 */
static void
test_lock_wait_gives_up(void **state)
{
	struct fixture		*f = *state;
	volatile sig_atomic_t	 stop = 0;
	long long		 held = -2;
	char			*cause = NULL;
	time_t			 t0;
	int			 fd;

	fd = baseline_lock(f->path, NULL, &cause);
	assert_true(fd >= 0);
	t0 = time(NULL);
	assert_int_equal(baseline_lock_wait(f->path, 1, &stop, &held,
	    &cause), -1);
	assert_true(time(NULL) - t0 >= 1);
	assert_true(held >= 0);
	assert_non_null(strstr(cause, "another dbsyscheck run holds"));
	free(cause);
	cause = NULL;
	stop = 1;
	t0 = time(NULL);
	assert_int_equal(baseline_lock_wait(f->path, -1, &stop, NULL,
	    &cause), -1);
	assert_true(time(NULL) - t0 <= 1);
	free(cause);
	baseline_unlock(fd);
}

/*
 * Ensure that a waiting lock is taken once its holder (another process,
 * a follower's batch) lets go.
 */
static void
test_lock_wait_taken(void **state)
{
	struct fixture	*f = *state;
	struct timespec	 ts = { 0, 300 * 1000000L };
	char		*cause = NULL;
	pid_t		 pid;
	int		 fd, status;

	fd = baseline_lock(f->path, NULL, &cause);
	assert_true(fd >= 0);
	if ((pid = fork()) == 0) {
		/* The lock is the open file's: the parent's copy holds it. */
		close(fd);
		fd = baseline_lock_wait(f->path, 10, NULL, NULL, &cause);
		_exit(fd >= 0 ? 0 : 1);
	}
	assert_true(pid > 0);
	nanosleep(&ts, NULL);
	baseline_unlock(fd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* Ensure that a lock file that is a symbolic link to no file is refused. */
static void
test_lock_symlink(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	assert_int_equal(symlink("/dev/null", f->lock), 0);
	assert_int_equal(baseline_lock(f->path, NULL, &cause), -1);
	/* Followed (root's link), and the target is no lock file. */
	assert_string_equal(cause, "/dev/null: not a regular file");
	free(cause);
}

/* Ensure that a lock in a directory that is not there fails with a cause. */
static void
test_lock_nodir(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL, *p;

	p = xasprintf("%s/nonexistent/baseline.db", f->dir);
	assert_int_equal(baseline_lock(p, NULL, &cause), -1);
	assert_non_null(cause);
	free(cause);
	free(p);
}

/*
 * Ensure that SQLite's files next to the baseline pass when absent or
 * safe, and are refused when one is writable by others (a hot journal
 * anybody could have planted).
 */
static void
test_check_side(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL, *p, *want;
	int		 fd;

	assert_int_equal(baseline_check_side(f->path, &cause), 0);
	assert_null(cause);
	p = xasprintf("%s-journal", f->path);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(baseline_check_side(f->path, &cause), 0);
	assert_int_equal(chmod(p, 0666), 0);
	assert_int_equal(baseline_check_side(f->path, &cause), -1);
	want = xasprintf("%s: group- or world-writable (mode 0666), run: "
	    "chmod go-w '%s'", p, p);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(p);
}

int
main(void)
{
	const char	*top;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lock_wait_gives_up, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lock_wait_taken, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lock_exclusive, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lock_symlink, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lock_nodir, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_check_side, setup,
		    teardown),
	};

	/* Their files go where dbsyscheck accepts them (tests/testdir.sh). */
	if ((top = getenv("DBSC_TESTDIR")) != NULL && chdir(top) == -1) {
		perror(top);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}

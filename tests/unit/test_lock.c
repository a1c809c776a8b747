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
	p = xasprintf("%s.wait", f->lock);
	unlink(p);
	free(p);
	p = xasprintf("%s.turn", f->lock);
	unlink(p);
	free(p);
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

/* Sleep ms milliseconds. */
static void
pause_ms(long ms)
{
	struct timespec	 ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Milliseconds on the monotonic clock. */
static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for a child and check that it exited 0. */
static void
reap(pid_t pid)
{
	int	 status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * In a child: take the lock (as a follower or as a run), write tag to
 * the pipe, hold it ms milliseconds, exit 0 (1 if it was not taken).
 * The parent's lock, held, is closed in the child: the lock is the open
 * file's, and the child's copy would hold it too.
 */
static pid_t
spawn_holder(const char *path, int held, int follower, int out, char tag,
    long ms)
{
	char	*cause = NULL;
	pid_t	 pid;
	int	 fd;

	if ((pid = fork()) != 0)
		return pid;
	if (held != -1)
		close(held);
	if (follower)
		fd = baseline_lock_follow(path, 10, NULL, &cause);
	else
		fd = baseline_lock_wait(path, 10, NULL, NULL, &cause);
	if (fd == -1)
		_exit(1);
	if (write(out, &tag, 1) != 1)
		_exit(1);
	pause_ms(ms);
	baseline_unlock(fd);
	_exit(0);
}

/*
 * Ensure that a run waits for a follower's batch longer than its own
 * wait, and that the lock file says a follower holds it meanwhile.
 */
static void
test_lock_follower_batch_waited(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL, buf[16];
	long long	 t0;
	pid_t		 pid;
	int		 p[2], fd, rfd;
	char		 c;

	assert_int_equal(pipe(p), 0);
	pid = spawn_holder(f->path, -1, 1, p[1], 'F', 2500);
	assert_int_equal(read(p[0], &c, 1), 1);
	assert_int_equal(c, 'F');
	rfd = open(f->lock, O_RDONLY);
	assert_true(rfd >= 0);
	assert_int_equal(read(rfd, buf, sizeof buf), 7);
	assert_memory_equal(buf, "follow\n", 7);
	close(rfd);
	t0 = now_ms();
	fd = baseline_lock_wait(f->path, 1, NULL, NULL, &cause);
	assert_true(fd >= 0);
	assert_true(now_ms() - t0 >= 1500);
	/* A run's lock file says no follower holds it. */
	rfd = open(f->lock, O_RDONLY);
	assert_true(rfd >= 0);
	assert_int_equal(read(rfd, buf, sizeof buf), 0);
	close(rfd);
	baseline_unlock(fd);
	reap(pid);
	close(p[0]);
	close(p[1]);
}

/*
 * Ensure that a follower that retakes the lock batch after batch, with
 * no pause between, lets a waiting run have it at its next batch.
 */
static void
test_lock_follower_loop_yields(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;
	long long	 t0;
	pid_t		 pid;
	int		 fd, n = 0;

	if ((pid = fork()) == 0) {
		t0 = now_ms();
		while (now_ms() - t0 < 3000) {
			fd = baseline_lock_follow(f->path, -1, NULL, &cause);
			if (fd == -1)
				_exit(1);
			pause_ms(20);
			baseline_unlock(fd);
		}
		_exit(0);
	}
	assert_true(pid > 0);
	pause_ms(300);
	for (n = 0; n < 5; n++) {
		t0 = now_ms();
		fd = baseline_lock_wait(f->path, 1, NULL, NULL, &cause);
		assert_true(fd >= 0);
		/* One batch and a poll or two, not the whole wait. */
		assert_true(now_ms() - t0 < 500);
		pause_ms(50);
		baseline_unlock(fd);
		pause_ms(100);
	}
	reap(pid);
}

/*
 * Ensure that a follower waits behind the runs that were waiting when it
 * came, and a run that comes after it waits behind it: order B F C.
 */
static void
test_lock_follower_fair(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL, order[4] = "";
	pid_t		 b, fl, c;
	int		 p[2], fd;

	assert_int_equal(pipe(p), 0);
	fd = baseline_lock_wait(f->path, 1, NULL, NULL, &cause);
	assert_true(fd >= 0);
	b = spawn_holder(f->path, fd, 0, p[1], 'B', 300);
	pause_ms(200);
	fl = spawn_holder(f->path, fd, 1, p[1], 'F', 300);
	pause_ms(200);
	c = spawn_holder(f->path, fd, 0, p[1], 'C', 0);
	/* A child that fails ends the reads below. */
	close(p[1]);
	pause_ms(200);
	baseline_unlock(fd);
	assert_int_equal(read(p[0], order, 1), 1);
	assert_int_equal(read(p[0], order + 1, 1), 1);
	assert_int_equal(read(p[0], order + 2, 1), 1);
	assert_string_equal(order, "BFC");
	reap(b);
	reap(fl);
	reap(c);
	close(p[0]);
}

/*
 * Ensure that a follower waiting for a run's lock gives up after its
 * time, and at once when the stop flag is set.
 */
static void
test_lock_follower_gives_up(void **state)
{
	struct fixture		*f = *state;
	volatile sig_atomic_t	 stop = 0;
	char			*cause = NULL;
	time_t			 t0;
	int			 fd;

	fd = baseline_lock(f->path, NULL, &cause);
	assert_true(fd >= 0);
	t0 = time(NULL);
	assert_int_equal(baseline_lock_follow(f->path, 1, &stop, &cause), -1);
	assert_true(time(NULL) - t0 >= 1);
	assert_non_null(strstr(cause, "another dbsyscheck run holds"));
	free(cause);
	cause = NULL;
	stop = 1;
	t0 = time(NULL);
	assert_int_equal(baseline_lock_follow(f->path, -1, &stop, &cause),
	    -1);
	assert_true(time(NULL) - t0 <= 1);
	free(cause);
	baseline_unlock(fd);
}

/*
 * Ensure that the files beside the lock are made 0600 and that one that
 * is a symbolic link is refused.
 */
static void
test_lock_queue_files(void **state)
{
	struct fixture	*f = *state;
	struct stat	 st;
	char		*cause = NULL, *w, *t;
	int		 fd;

	w = xasprintf("%s.wait", f->lock);
	t = xasprintf("%s.turn", f->lock);
	fd = baseline_lock_wait(f->path, 1, NULL, NULL, &cause);
	assert_true(fd >= 0);
	baseline_unlock(fd);
	assert_int_equal(stat(w, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(t, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(unlink(t), 0);
	assert_int_equal(symlink("/nonexistent", t), 0);
	assert_int_equal(baseline_lock_follow(f->path, 1, NULL, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(baseline_lock_wait(f->path, 1, NULL, NULL, &cause),
	    -1);
	assert_non_null(cause);
	free(cause);
	free(w);
	free(t);
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
		cmocka_unit_test_setup_teardown(test_lock_follower_batch_waited,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_follower_loop_yields,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_follower_fair, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lock_follower_gives_up,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_queue_files, setup,
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

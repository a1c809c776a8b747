/* Unit tests for util: the StrictModes path check and the checked open. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"
#include "xmalloc.h"

#include "testdir.h"

/* Create dir/name with mode and return its path. */
static char *
mkfile(const char *name, mode_t mode)
{
	char	*p;
	int	 fd;

	p = xasprintf("%s/%s", dir, name);
	unlink(p);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd != -1);
	assert_int_equal(write(fd, "x\n", 2), 2);
	close(fd);
	assert_int_equal(chmod(p, mode), 0);
	return p;
}

/* Expect util_check_path to refuse p with a message containing want. */
static void
refused(const char *p, int flags, const char *want)
{
	char	*cause = NULL;

	assert_int_equal(util_check_path(p, flags, &cause), -1);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("'%s' does not contain '%s'", cause, want);
	free(cause);
}

/* Ensure that a 0600 file in a safe directory passes, as a secret too. */
static void
test_good_file(void **state)
{
	char	*p, *cause = NULL;

	(void)state;
	p = mkfile("good", 0600);
	assert_int_equal(util_check_path(p, UTIL_SECRET, &cause), 0);
	assert_null(cause);
	free(p);
}

/* Ensure that a missing file fails with ENOENT, or gives 1 with MAYBE. */
static void
test_missing(void **state)
{
	char	*p, *cause = NULL;

	(void)state;
	p = xasprintf("%s/none", dir);
	assert_int_equal(util_check_path(p, 0, &cause), -1);
	assert_int_equal(errno, ENOENT);
	free(cause);
	cause = NULL;
	assert_int_equal(util_check_path(p, UTIL_MAYBE, &cause), 1);
	assert_null(cause);
	free(p);
	/* A missing directory on the way is an error even with MAYBE. */
	p = xasprintf("%s/nodir/none", dir);
	assert_int_equal(util_check_path(p, UTIL_MAYBE, &cause), -1);
	free(cause);
	free(p);
}

/* Ensure that NULL and empty paths are refused. */
static void
test_empty(void **state)
{
	char	*cause = NULL;

	(void)state;
	assert_int_equal(util_check_path(NULL, 0, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(util_check_path("", 0, &cause), -1);
	free(cause);
}

/* Ensure that a group- or world-writable file is refused with the fix. */
static void
test_writable_file(void **state)
{
	char	*p;

	(void)state;
	p = mkfile("gw", 0620);
	refused(p, 0, "chmod go-w");
	free(p);
	p = mkfile("ww", 0602);
	refused(p, 0, "chmod go-w");
	free(p);
}

/* Ensure that a readable secret is refused, a readable non-secret not. */
static void
test_secret(void **state)
{
	char	*p, *cause = NULL;

	(void)state;
	p = mkfile("readable", 0644);
	refused(p, UTIL_SECRET, "chmod 600");
	assert_int_equal(util_check_path(p, 0, &cause), 0);
	free(p);
}

/* Ensure that a file below a group-writable directory is refused. */
static void
test_writable_dir(void **state)
{
	char	*d, *p;

	(void)state;
	d = xasprintf("%s/gwd", dir);
	assert_int_equal(mkdir(d, 0700), 0);
	p = xasprintf("%s/gwd/f", dir);
	free(mkfile("gwd/f", 0600));
	assert_int_equal(chmod(d, 0770), 0);
	refused(p, 0, d);
	refused(p, 0, "chmod g-w");
	/* And as the last component, with UTIL_DIR. */
	refused(d, UTIL_DIR, "chmod g-w");
	free(p);
	free(d);
}

/* Ensure that a sticky world-writable directory (like /tmp) is refused. */
static void
test_sticky_dir(void **state)
{
	char	*d, *p;

	(void)state;
	d = xasprintf("%s/sticky", dir);
	assert_int_equal(mkdir(d, 0700), 0);
	free(mkfile("sticky/f", 0600));
	assert_int_equal(chmod(d, 01777), 0);
	p = xasprintf("%s/f", d);
	refused(p, 0, "sticky");
	/* The fix is to move the file, never to chmod a shared directory. */
	refused(p, 0, "move it to a directory that only root may write");
	free(p);
	free(d);
}

/* Ensure that a FIFO is refused, by the check and by util_open at once. */
static void
test_fifo(void **state)
{
	char	*p, *cause = NULL;

	(void)state;
	p = xasprintf("%s/fifo", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	refused(p, 0, "not a regular file");
	/* Would block in open(2) for ever without O_NONBLOCK. */
	assert_int_equal(util_open(p, O_RDONLY, 0, 0, &cause), -1);
	assert_non_null(strstr(cause, "not a regular file"));
	free(cause);
	cause = NULL;
	assert_int_equal(util_open(p, O_WRONLY | O_APPEND | O_CREAT, 0600, 0,
	    &cause), -1);
	free(cause);
	free(p);
}

/* Ensure that a directory is not taken for a file, nor a file for one. */
static void
test_kind(void **state)
{
	char	*p, *cause = NULL;

	(void)state;
	refused(dir, 0, "not a regular file");
	assert_int_equal(util_check_path(dir, UTIL_DIR, &cause), 0);
	p = mkfile("plain", 0600);
	refused(p, UTIL_DIR, "not a directory");
	free(p);
}

/*
 * Ensure that a symbolic link is followed and its target checked, and
 * that util_open never opens through one.
 */
static void
test_symlink(void **state)
{
	char	*p, *l, *d, *cause = NULL;

	(void)state;
	p = mkfile("target", 0600);
	l = xasprintf("%s/link", dir);
	assert_int_equal(symlink("target", l), 0);
	assert_int_equal(util_check_path(l, UTIL_SECRET, &cause), 0);
	assert_int_equal(util_open(l, O_RDONLY, 0, 0, &cause), -1);
	assert_non_null(strstr(cause, "symbolic link"));
	free(cause);
	cause = NULL;
	/* A link to a bad target: the target's fault is found. */
	free(p);
	p = mkfile("badtarget", 0666);
	unlink(l);
	assert_int_equal(symlink(p, l), 0);
	refused(l, 0, "chmod go-w");
	/* A directory link into a writable directory. */
	d = xasprintf("%s/wd", dir);
	assert_int_equal(mkdir(d, 0700), 0);
	free(mkfile("wd/f", 0600));
	assert_int_equal(chmod(d, 0777), 0);
	unlink(l);
	assert_int_equal(symlink("wd", l), 0);
	free(p);
	p = xasprintf("%s/link/f", dir);
	refused(p, 0, "wd");
	free(p);
	free(d);
	free(l);
}

/* Ensure that a relative path is checked from the working directory. */
static void
test_relative(void **state)
{
	char	*p, *cwd, *cause = NULL;

	(void)state;
	p = mkfile("rel", 0600);
	cwd = getcwd(NULL, 0);
	assert_non_null(cwd);
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(util_check_path("rel", 0, &cause), 0);
	assert_int_equal(chmod(".", 0777), 0);
	refused("rel", 0, "writable by others");
	assert_int_equal(chmod(".", 0700), 0);
	assert_int_equal(chdir(cwd), 0);
	free(cwd);
	free(p);
}

/* Ensure that a file or directory of another user is refused (as root). */
static void
test_other_owner(void **state)
{
	char	*p, *d;

	(void)state;
	if (geteuid() != 0)
		skip();
	p = mkfile("nobody", 0600);
	assert_int_equal(chown(p, 65534, (gid_t)-1), 0);
	refused(p, 0, "owned by uid 65534");
	free(p);
	d = xasprintf("%s/nd", dir);
	assert_int_equal(mkdir(d, 0755), 0);
	free(mkfile("nd/f", 0600));
	assert_int_equal(chown(d, 65534, (gid_t)-1), 0);
	p = xasprintf("%s/f", d);
	refused(p, 0, "owned by uid 65534");
	free(p);
	free(d);
}

/*
 * Ensure that util_open returns a blocking descriptor of a checked file,
 * creates a missing one with the mode asked, and says ENOENT otherwise.
 */
static void
test_open(void **state)
{
	char	*p, *cause = NULL;
	int	 fd;

	(void)state;
	p = mkfile("open", 0600);
	fd = util_open(p, O_RDONLY, 0, UTIL_SECRET, &cause);
	assert_true(fd != -1);
	assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	close(fd);
	free(p);
	p = xasprintf("%s/created", dir);
	assert_int_equal(util_open(p, O_RDONLY, 0, 0, &cause), -1);
	assert_int_equal(errno, ENOENT);
	free(cause);
	cause = NULL;
	fd = util_open(p, O_WRONLY | O_CREAT | O_EXCL, 0600, UTIL_SECRET,
	    &cause);
	assert_true(fd != -1);
	close(fd);
	free(p);
}

/* A server's count: digits only; what strtoll would skip is refused. */
static void
test_strtocount(void **state)
{
	static const char *const bad[] = {
		"", " 12", "+12", "\t7", "12 ", "12abc", "-1", "0x10",
		"9223372036854775808", "99999999999999999999",
	};
	const char	*errstr;
	size_t		 i;

	(void)state;
	assert_int_equal(util_strtocount("0", LLONG_MAX, &errstr), 0);
	assert_null(errstr);
	assert_int_equal(util_strtocount("12", LLONG_MAX, &errstr), 12);
	assert_null(errstr);
	assert_int_equal(util_strtocount("9223372036854775807", LLONG_MAX,
	    &errstr), LLONG_MAX);
	assert_null(errstr);
	assert_int_equal(util_strtocount("11", 10, &errstr), 0);
	assert_string_equal(errstr, "too large");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		errstr = NULL;
		assert_int_equal(util_strtocount(bad[i], LLONG_MAX, &errstr),
		    0);
		if (errstr == NULL)
			fail_msg("\"%s\" was taken as a count", bad[i]);
	}
	assert_int_equal(util_strtocount(NULL, LLONG_MAX, &errstr), 0);
	assert_string_equal(errstr, "invalid");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strtocount),
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_writable_file),
		cmocka_unit_test(test_secret),
		cmocka_unit_test(test_writable_dir),
		cmocka_unit_test(test_sticky_dir),
		cmocka_unit_test(test_fifo),
		cmocka_unit_test(test_kind),
		cmocka_unit_test(test_symlink),
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_other_owner),
		cmocka_unit_test(test_open),
	};

	return cmocka_run_group_tests(tests, testdir_setup, testdir_teardown);
}

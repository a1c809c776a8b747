/* Unit tests for key: loading and creating the installation key file. */
#include "config.h"

#include <sys/stat.h>

#include <fcntl.h>
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

#include "key.h"
#include "xmalloc.h"

#include "testdir.h"

/* Write n bytes of 0x41 to dir/name with mode; return its path. */
static char *
mkkey(const char *name, size_t n, mode_t mode)
{
	char	*p, b[64];
	int	 fd;

	p = xasprintf("%s/%s", dir, name);
	memset(b, 'A', sizeof b);
	assert_true((fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600)) != -1);
	assert_int_equal(write(fd, b, n), (ssize_t)n);
	close(fd);
	assert_int_equal(chmod(p, mode), 0);
	return p;
}

/* Ensure that a 32-byte key of mode 0600 is read as it is. */
static void
test_load(void **state)
{
	unsigned char	 key[KEY_LEN], want[KEY_LEN];
	char		*p, *cause = NULL;

	(void)state;
	p = mkkey("key", KEY_LEN, 0600);
	memset(want, 'A', sizeof want);
	assert_int_equal(key_load(p, 0, key, &cause), 0);
	assert_null(cause);
	assert_memory_equal(key, want, sizeof key);
	/* create does not replace a key that is there. */
	assert_int_equal(key_load(p, 1, key, &cause), 0);
	assert_memory_equal(key, want, sizeof key);
	free(p);
}

/*
 * Ensure that a missing key is created (1) with mode 0600, in a new
 * directory of mode 0700, holding the key returned, and is read back.
 */
static void
test_create(void **state)
{
	unsigned char	 key[KEY_LEN], again[KEY_LEN], file[KEY_LEN + 1];
	struct stat	 st;
	char		*p, *d, *cause = NULL;
	int		 fd;

	(void)state;
	d = xasprintf("%s/state", dir);
	p = xasprintf("%s/hmac.key", d);
	assert_int_equal(key_load(p, 1, key, &cause), KEY_CREATED);
	assert_null(cause);
	/* Made at PATH.new; PATH only once the baseline exists. */
	assert_int_equal(stat(p, &st), -1);
	assert_int_equal(key_commit(p, key, &cause), 0);
	assert_null(cause);
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, KEY_LEN);
	assert_int_equal(stat(d, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_true((fd = open(p, O_RDONLY)) != -1);
	assert_int_equal(read(fd, file, sizeof file), KEY_LEN);
	close(fd);
	assert_memory_equal(file, key, KEY_LEN);
	assert_int_equal(key_load(p, 0, again, &cause), 0);
	assert_memory_equal(again, key, KEY_LEN);
	free(p);
	free(d);
}

/*
 * Ensure that a first run killed between making its key and its baseline
 * leaves only PATH.new, which the next first run takes up (another
 * configuration sharing the key file may have made its baseline with
 * it), that one killed after making its baseline leaves PATH.new to be
 * read (pending) and committed, and that a commit never replaces another
 * key at PATH.
 */
static void
test_pending(void **state)
{
	unsigned char	 k1[KEY_LEN], k2[KEY_LEN], k3[KEY_LEN];
	struct stat	 st;
	char		*p, *np, *cause = NULL;

	(void)state;
	p = xasprintf("%s/hmac.key", dir);
	np = xasprintf("%s/hmac.key.new", dir);
	assert_int_equal(key_load(p, 1, k1, &cause), KEY_CREATED);
	assert_int_equal(stat(np, &st), 0);
	assert_int_equal(stat(p, &st), -1);
	/* Killed before the baseline: the next first run takes it up. */
	assert_int_equal(key_load(p, 1, k2, &cause), KEY_CREATED);
	assert_null(cause);
	assert_memory_equal(k1, k2, KEY_LEN);
	/* Cut short while written: read as no key, replaced by a first run. */
	assert_int_equal(truncate(np, 5), 0);
	assert_int_equal(key_load(p, 0, k3, &cause), -1);
	assert_non_null(strstr(cause, "not a dbsyscheck key"));
	free(cause);
	cause = NULL;
	assert_int_equal(key_load(p, 1, k2, &cause), KEY_CREATED);
	assert_null(cause);
	assert_memory_not_equal(k1, k2, KEY_LEN);
	assert_int_equal(stat(np, &st), 0);
	assert_int_equal(st.st_size, KEY_LEN);
	/* Killed after the baseline: the key is read from PATH.new. */
	assert_int_equal(key_load(p, 0, k3, &cause), KEY_PENDING);
	assert_null(cause);
	assert_memory_equal(k2, k3, KEY_LEN);
	assert_int_equal(key_commit(p, k3, &cause), 0);
	assert_int_equal(stat(np, &st), -1);
	assert_int_equal(key_load(p, 0, k3, &cause), KEY_READ);
	assert_memory_equal(k2, k3, KEY_LEN);
	/* A second commit of the same key (a run sharing it): nothing. */
	assert_int_equal(key_commit(p, k3, &cause), 0);
	assert_null(cause);
	/* Another key is never put in place of the one there. */
	k3[0] ^= 1;
	assert_int_equal(key_commit(p, k3, &cause), -1);
	assert_non_null(strstr(cause, "another key took this name"));
	free(cause);
	assert_int_equal(key_load(p, 0, k3, &cause), KEY_READ);
	assert_memory_equal(k2, k3, KEY_LEN);
	free(np);
	free(p);
}

/* Ensure that a missing key without create is refused with why. */
static void
test_missing(void **state)
{
	unsigned char	 key[KEY_LEN];
	char		*p, *want, *cause = NULL;

	(void)state;
	p = xasprintf("%s/none", dir);
	assert_int_equal(key_load(p, 0, key, &cause), -1);
	want = xasprintf("%s: key file missing, but the baseline exists: "
	    "restore the key (a new key would make every row look changed)",
	    p);
	assert_string_equal(cause, want);
	assert_int_equal(access(p, F_OK), -1);
	free(want);
	free(cause);
	free(p);
}

/*
 * Ensure that a key of 0, 31 and 33 bytes is refused with the exact
 * message, and the bytes read are wiped.
 */
static void
test_length(void **state)
{
	static const size_t	 sizes[] = { 0, KEY_LEN - 1, KEY_LEN + 1 };
	unsigned char		 key[KEY_LEN], zero[KEY_LEN];
	char			*p, *want, *cause = NULL, name[16];
	size_t			 i;

	(void)state;
	memset(zero, 0, sizeof zero);
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		snprintf(name, sizeof name, "key%zu", sizes[i]);
		p = mkkey(name, sizes[i], 0600);
		memset(key, 0xee, sizeof key);
		assert_int_equal(key_load(p, 1, key, &cause), -1);
		want = xasprintf("%s: not a dbsyscheck key (expected exactly "
		    "32 bytes)", p);
		assert_string_equal(cause, want);
		assert_memory_equal(key, zero, sizeof key);
		free(want);
		free(cause);
		cause = NULL;
		free(p);
	}
}

/* Ensure that a key readable or writable by others is refused. */
static void
test_mode(void **state)
{
	unsigned char	 key[KEY_LEN];
	char		*p, *want, *cause = NULL;

	(void)state;
	p = mkkey("key", KEY_LEN, 0640);
	assert_int_equal(key_load(p, 1, key, &cause), -1);
	want = xasprintf("%s: group- or world-accessible (mode 0640), run: "
	    "chmod 600 '%s'", p, p);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	assert_int_equal(chmod(p, 0602), 0);
	assert_int_equal(key_load(p, 1, key, &cause), -1);
	want = xasprintf("%s: group- or world-writable (mode 0602), run: "
	    "chmod go-w '%s'", p, p);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(p);
}

/* Ensure that a key owned by another user is refused (run as root). */
static void
test_owner(void **state)
{
	unsigned char	 key[KEY_LEN];
	char		*p, *want, *cause = NULL;

	(void)state;
	if (geteuid() != 0)
		skip();
	p = mkkey("key", KEY_LEN, 0600);
	assert_int_equal(chown(p, 12345, 0), 0);
	assert_int_equal(key_load(p, 1, key, &cause), -1);
	want = xasprintf("%s: owned by uid 12345, not by root or the invoking "
	    "user, who may have written what it holds: move it to a place of "
	    "root's, or check it and run: chown 0 '%s'", p, p);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(p);
}

/*
 * Ensure that a key that is a symbolic link, even to a good key, is
 * refused, and that create does not write through a dangling link.
 */
static void
test_link(void **state)
{
	unsigned char	 key[KEY_LEN];
	char		*p, *l, *t, *want, *cause = NULL;

	(void)state;
	p = mkkey("real", KEY_LEN, 0600);
	l = xasprintf("%s/link", dir);
	assert_int_equal(symlink(p, l), 0);
	assert_int_equal(key_load(l, 0, key, &cause), -1);
	want = xasprintf("%s: Too many levels of symbolic links (a symbolic "
	    "link: refused)", l);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	cause = NULL;

	t = xasprintf("%s/target", dir);
	assert_int_equal(unlink(l), 0);
	assert_int_equal(symlink(t, l), 0);
	assert_int_equal(key_load(l, 1, key, &cause), -1);
	assert_non_null(cause);
	assert_int_equal(access(t, F_OK), -1);
	free(cause);
	free(t);
	free(l);
	free(p);
}

/* Ensure that a key that is a directory is refused. */
static void
test_not_file(void **state)
{
	unsigned char	 key[KEY_LEN];
	char		*p, *want, *cause = NULL;

	(void)state;
	p = xasprintf("%s/key", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(key_load(p, 1, key, &cause), -1);
	want = xasprintf("%s: not a regular file", p);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_create,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_pending,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_missing,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_length,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_mode,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_owner,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_link,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_not_file,
		    testdir_setup, testdir_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

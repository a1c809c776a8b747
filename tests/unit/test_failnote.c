/* Unit tests for failnote: the note of a scan that could not run. */
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

#include "failnote.h"
#include "xmalloc.h"

#include "testdir.h"

static char	*bl;		/* dir/b.db: the note is dir/b.db.failed */
static char	*note;

static int
setup(void **state)
{
	if (testdir_setup(state) == -1)
		return -1;
	bl = xasprintf("%s/b.db", dir);
	note = xasprintf("%s/b.db.failed", dir);
	return 0;
}

static int
teardown(void **state)
{
	free(note);
	free(bl);
	return testdir_teardown(state);
}

/* The bytes of the note file, NUL-terminated; its length into *len. */
static char *
slurp(size_t *len)
{
	char	*s = xmalloc(8192);
	ssize_t	 n;
	int	 fd;

	assert_true((fd = open(note, O_RDONLY)) != -1);
	assert_true((n = read(fd, s, 8191)) >= 0);
	close(fd);
	s[n] = '\0';
	*len = (size_t)n;
	return s;
}

/* Write text as the note file, mode 0600. */
static void
plant(const char *text, size_t len)
{
	int	 fd;

	assert_true((fd = open(note, O_WRONLY | O_CREAT | O_TRUNC,
	    0600)) != -1);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
}

/* Ensure that no note reads as 0 with nothing filled in. */
static void
test_none(void **state)
{
	struct failnote	 n;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(failnote_read(bl, &n, &cause), 0);
	assert_null(cause);
	assert_null(n.msg);
	assert_int_equal(n.tamper, 0);
	assert_int_equal(failnote_clear(bl, &cause), 0);
	failnote_free(&n);
	failnote_free(NULL);
}

/*
 * Ensure that an error note is "error MSG" on disk, mode 0600, and reads
 * back with its message, no tamper flag, and the file's time.
 */
static void
test_error(void **state)
{
	struct failnote	 n;
	struct stat	 st;
	char		*s, *cause = NULL;
	size_t		 len;

	(void)state;
	assert_int_equal(failnote_write(bl, 0, "cannot connect: denied",
	    &cause), 0);
	s = slurp(&len);
	assert_string_equal(s, "error cannot connect: denied");
	free(s);
	assert_int_equal(stat(note, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(failnote_read(bl, &n, &cause), 1);
	assert_int_equal(n.tamper, 0);
	assert_string_equal(n.msg, "cannot connect: denied");
	assert_int_equal(n.when, (int64_t)st.st_mtime);
	failnote_free(&n);
	assert_null(n.msg);

	/* Cleared: none any more. */
	assert_int_equal(failnote_clear(bl, &cause), 0);
	assert_int_equal(access(note, F_OK), -1);
	assert_int_equal(failnote_read(bl, &n, &cause), 0);
}

/* Ensure that a tamper note is "tampered MSG" and reads with its flag. */
static void
test_tamper(void **state)
{
	struct failnote	 n;
	char		*s, *cause = NULL;
	size_t		 len;

	(void)state;
	assert_int_equal(failnote_write(bl, 1, "key check differs", &cause),
	    0);
	s = slurp(&len);
	assert_string_equal(s, "tampered key check differs");
	free(s);
	assert_int_equal(failnote_read(bl, &n, &cause), 1);
	assert_int_equal(n.tamper, 1);
	assert_string_equal(n.msg, "key check differs");
	failnote_free(&n);

	/* A later error note replaces it whole. */
	assert_int_equal(failnote_write(bl, 0, "x", &cause), 0);
	s = slurp(&len);
	assert_string_equal(s, "error x");
	free(s);
}

/*
 * Ensure that a message cannot raise itself to the tamper level, and that
 * hostile bytes (line breaks, record syntax, high bytes) come back as
 * they went in: encoding them is the reader's job (report).
 */
static void
test_hostile(void **state)
{
	static const char	 msg[] = "tampered x\n; op=error =\x01\x7f\xff%";
	struct failnote		 n;
	char			*cause = NULL;

	(void)state;
	assert_int_equal(failnote_write(bl, 0, msg, &cause), 0);
	assert_int_equal(failnote_read(bl, &n, &cause), 1);
	assert_int_equal(n.tamper, 0);
	assert_string_equal(n.msg, msg);
	failnote_free(&n);
}

/*
 * Ensure that a note is cut at 2048 bytes (kind included), and that a
 * note of exactly 2048 is whole.
 */
static void
test_long(void **state)
{
	struct failnote	 n;
	char		*msg, *s, *cause = NULL;
	size_t		 len;

	(void)state;
	msg = xmalloc(4000);
	memset(msg, 'm', 3999);
	msg[3999] = '\0';
	assert_int_equal(failnote_write(bl, 0, msg, &cause), 0);
	s = slurp(&len);
	assert_int_equal(len, 2048);
	free(s);
	assert_int_equal(failnote_read(bl, &n, &cause), 1);
	assert_int_equal(strlen(n.msg), 2048 - 6);
	failnote_free(&n);

	msg[2048 - 9] = '\0';
	assert_int_equal(failnote_write(bl, 1, msg, &cause), 0);
	s = slurp(&len);
	assert_int_equal(len, 2048);
	free(s);
	assert_int_equal(failnote_read(bl, &n, &cause), 1);
	assert_int_equal(n.tamper, 1);
	assert_string_equal(n.msg, msg);
	failnote_free(&n);
	free(msg);
}

/* Ensure that a note of another shape reads as unreadable, not tamper. */
static void
test_unreadable(void **state)
{
	struct failnote	 n;
	char		*want, *cause = NULL;

	(void)state;
	want = xasprintf("%s: unreadable note", note);
	plant("Tampered x", 10);
	assert_int_equal(failnote_read(bl, &n, &cause), 1);
	assert_int_equal(n.tamper, 0);
	assert_string_equal(n.msg, want);
	failnote_free(&n);
	plant("", 0);
	assert_int_equal(failnote_read(bl, &n, &cause), 1);
	assert_string_equal(n.msg, want);
	failnote_free(&n);
	/* "error" without its space is no kind either. */
	plant("error", 5);
	assert_int_equal(failnote_read(bl, &n, &cause), 1);
	assert_string_equal(n.msg, want);
	failnote_free(&n);
	/* A NUL ends the message. */
	plant("error a\0b", 9);
	assert_int_equal(failnote_read(bl, &n, &cause), 1);
	assert_string_equal(n.msg, "a");
	failnote_free(&n);
	free(want);
}

/* Ensure that a note others may write is refused, with the fix. */
static void
test_mode(void **state)
{
	struct failnote	 n;
	char		*want, *cause = NULL;

	(void)state;
	plant("tampered forged", 15);
	assert_int_equal(chmod(note, 0622), 0);
	assert_int_equal(failnote_read(bl, &n, &cause), -1);
	want = xasprintf("%s: group- or world-writable (mode 0622), run: "
	    "chmod go-w '%s'", note, note);
	assert_string_equal(cause, want);
	assert_null(n.msg);
	free(want);
	free(cause);
}

/*
 * Ensure that the note is never written or read through a symbolic
 * link, and that what the link points to is untouched.
 */
static void
test_link(void **state)
{
	struct failnote	 n;
	char		*t, *want, *cause = NULL, b[8];
	int		 fd;

	(void)state;
	t = xasprintf("%s/target", dir);
	assert_true((fd = open(t, O_WRONLY | O_CREAT, 0600)) != -1);
	assert_int_equal(write(fd, "keep", 4), 4);
	close(fd);
	assert_int_equal(symlink(t, note), 0);
	assert_int_equal(failnote_write(bl, 0, "x", &cause), -1);
	want = xasprintf("%s: Too many levels of symbolic links (a symbolic "
	    "link: refused)", note);
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;
	assert_int_equal(failnote_read(bl, &n, &cause), -1);
	assert_string_equal(cause, want);
	free(cause);
	assert_true((fd = open(t, O_RDONLY)) != -1);
	assert_int_equal(read(fd, b, sizeof b), 4);
	close(fd);
	assert_memory_equal(b, "keep", 4);
	free(want);
	free(t);
}

/* Ensure that a note that cannot be removed is an error with why. */
static void
test_clear_fails(void **state)
{
	char	*want, *cause = NULL;

	(void)state;
	assert_int_equal(mkdir(note, 0700), 0);
	assert_int_equal(failnote_clear(bl, &cause), -1);
	want = xasprintf("%s: Is a directory", note);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clear_fails, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

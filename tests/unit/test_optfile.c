/* Unit tests for optfile: the option file and what it includes, checked. */
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

#include "buf.h"
#include "optfile.h"
#include "xmalloc.h"

#include "testdir.h"

/* Write text to dir/name with mode; return its path. */
static char *
mk(const char *name, mode_t mode, const char *text)
{
	char	*p;
	size_t	 len = strlen(text);
	int	 fd;

	p = xasprintf("%s/%s", dir, name);
	assert_true((fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600)) != -1);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	assert_int_equal(chmod(p, mode), 0);
	return p;
}

/* optfile_check on path: NULL when it passes, else its message. */
static char *
check(const char *path)
{
	char	*cause = NULL;

	if (optfile_check(path, &cause) == 0) {
		assert_null(cause);
		return NULL;
	}
	assert_non_null(cause);
	return cause;
}

static void
expect(const char *path, const char *want)
{
	char	*got = check(path);

	if (want == NULL) {
		if (got != NULL)
			fail_msg("unexpected: %s", got);
		return;
	}
	if (got == NULL)
		fail_msg("passed, expected: %s", want);
	assert_string_equal(got, want);
	free(got);
}

/* Ensure that a plain option file of mode 0600 passes. */
static void
test_plain(void **state)
{
	char	*p;

	(void)state;
	p = mk("my.cnf", 0600, "[client]\nuser=scan\npassword=x!y\n"
	    "!unknown directive\n");
	expect(p, NULL);
	free(p);
}

/* Ensure that the file itself must be a secret: mode, missing, link. */
static void
test_self(void **state)
{
	char	*p, *l, *want;

	(void)state;
	p = mk("my.cnf", 0644, "[client]\n");
	want = xasprintf("%s: group- or world-accessible (mode 0644), run: "
	    "chmod 600 '%s'", p, p);
	expect(p, want);
	free(want);
	free(p);
	p = xasprintf("%s/none.cnf", dir);
	want = xasprintf("%s: No such file or directory", p);
	expect(p, want);
	free(want);
	/* A link to a checked file is followed, as the library does. */
	free(p);
	p = mk("real.cnf", 0600, "[client]\n");
	l = xasprintf("%s/link.cnf", dir);
	assert_int_equal(symlink(p, l), 0);
	expect(l, NULL);
	free(l);
	free(p);
}

/*
 * Ensure that an included file is checked as a secret, and the message
 * names the file and line that included it.
 */
static void
test_include(void **state)
{
	char	*p, *inc, *text, *want;

	(void)state;
	inc = mk("inc.cnf", 0640, "[client]\n");
	text = xasprintf("[client]\n  !include %s  \t\r\n", inc);
	p = mk("my.cnf", 0600, text);
	want = xasprintf("%s: group- or world-accessible (mode 0640), run: "
	    "chmod 600 '%s' (included from %s line 2)", inc, inc, p);
	expect(p, want);
	free(want);
	assert_int_equal(chmod(inc, 0600), 0);
	expect(p, NULL);
	free(text);
	free(inc);
	free(p);
}

/*
 * Ensure that a missing included file is skipped, as the library skips
 * it, but one in a directory others may write is refused.
 */
static void
test_include_missing(void **state)
{
	char	*p, *d, *text, *got;

	(void)state;
	text = xasprintf("!include %s/none.cnf\n", dir);
	p = mk("my.cnf", 0600, text);
	expect(p, NULL);
	free(text);
	free(p);

	d = xasprintf("%s/open", dir);
	assert_int_equal(mkdir(d, 0777), 0);
	assert_int_equal(chmod(d, 0777), 0);
	text = xasprintf("!include %s/none.cnf\n", d);
	p = mk("my2.cnf", 0600, text);
	got = check(p);
	assert_non_null(got);
	free(got);
	free(text);
	free(p);
	free(d);
}

/* Ensure that !includedir checks every *.cnf in it and nothing else. */
static void
test_includedir(void **state)
{
	char	*p, *d, *f, *text, *want;
	int	 fd;

	(void)state;
	d = xasprintf("%s/conf.d", dir);
	assert_int_equal(mkdir(d, 0700), 0);
	f = xasprintf("%s/a.txt", d);
	assert_true((fd = open(f, O_WRONLY | O_CREAT, 0666)) != -1);
	close(fd);
	assert_int_equal(chmod(f, 0666), 0);
	free(f);
	f = xasprintf("%s/x.cnf.bak", d);
	assert_true((fd = open(f, O_WRONLY | O_CREAT, 0666)) != -1);
	close(fd);
	free(f);
	text = xasprintf("!includedir %s\n", d);
	p = mk("my.cnf", 0600, text);
	expect(p, NULL);

	f = xasprintf("%s/b.cnf", d);
	assert_true((fd = open(f, O_WRONLY | O_CREAT, 0600)) != -1);
	close(fd);
	assert_int_equal(chmod(f, 0604), 0);
	want = xasprintf("%s: group- or world-accessible (mode 0604), run: "
	    "chmod 600 '%s' (included from %s line 1)", f, f, p);
	expect(p, want);
	free(want);
	free(f);
	free(text);
	free(p);

	/* A missing directory: nothing is read. */
	text = xasprintf("!includedir %s/none\n", dir);
	p = mk("my2.cnf", 0600, text);
	expect(p, NULL);
	free(text);
	free(p);
	free(d);
}

/*
 * Ensure that a file that includes itself stops at 16 levels, each level
 * named in the message.
 */
static void
test_loop(void **state)
{
	struct buf	 want;
	char		*p, *text;
	int		 i;

	(void)state;
	p = xasprintf("%s/loop.cnf", dir);
	text = xasprintf("!include %s\n", p);
	free(p);
	p = mk("loop.cnf", 0600, text);
	buf_init(&want, BUF_NOCAP);
	buf_adds(&want, p);
	buf_adds(&want, ": includes nested deeper than 16 (a loop?)");
	for (i = 0; i <= OPTFILE_DEPTH; i++) {
		buf_adds(&want, " (included from ");
		buf_adds(&want, p);
		buf_adds(&want, " line 1)");
	}
	assert_int_equal(OPTFILE_DEPTH, 16);
	expect(p, buf_str(&want));
	buf_free(&want);
	free(text);
	free(p);
}

/*
 * Ensure that a chain of 16 includes is read, and 17 is refused: the
 * boundary.
 */
static void
test_depth(void **state)
{
	char	*p, *next, *text, name[16];
	int	 i;

	(void)state;
	for (i = OPTFILE_DEPTH; i >= 0; i--) {
		snprintf(name, sizeof name, "c%d.cnf", i);
		if (i == OPTFILE_DEPTH)
			text = xstrdup("[client]\n");
		else
			text = xasprintf("!include %s/c%d.cnf\n", dir, i + 1);
		p = mk(name, 0600, text);
		free(text);
		free(p);
	}
	p = xasprintf("%s/c0.cnf", dir);
	expect(p, NULL);
	free(p);
	/* One more level above c0. */
	text = xasprintf("!include %s/c0.cnf\n", dir);
	p = mk("top.cnf", 0600, text);
	next = check(p);
	assert_non_null(next);
	assert_non_null(strstr(next, "c16.cnf: includes nested deeper than "
	    "16 (a loop?)"));
	free(next);
	free(text);
	free(p);
}

/*
 * Ensure that a long line is read in the library's 4094-byte pieces: a
 * piece that starts with "!" is a directive, a "!" inside one is not.
 */
static void
test_long_line(void **state)
{
	char	*p, *inc, *text, *pad, *want;

	(void)state;
	inc = mk("bad.cnf", 0644, "");
	pad = xmalloc(4095);
	memset(pad, 'x', 4094);
	pad[0] = '#';
	pad[4094] = '\0';
	text = xasprintf("%s!include %s\n", pad, inc);
	p = mk("my.cnf", 0600, text);
	want = xasprintf("%s: group- or world-accessible (mode 0644), run: "
	    "chmod 600 '%s' (included from %s line 2)", inc, inc, p);
	expect(p, want);
	free(want);
	free(text);
	free(p);

	pad[4093] = '\0';
	text = xasprintf("%s!include %s\n", pad, inc);
	p = mk("my2.cnf", 0600, text);
	expect(p, NULL);
	free(text);
	free(p);
	free(pad);
	free(inc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_self,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_include,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_include_missing,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_includedir,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_loop,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_depth,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_long_line,
		    testdir_setup, testdir_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

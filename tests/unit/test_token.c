/* Unit tests for token: one reader of the token file for scanner and UDF. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "secret.h"
#include "token.h"
#include "triggers.h"
#include "xmalloc.h"

#define GOOD	"0123456789abcdef0123456789abcdef" \
		"0123456789abcdef0123456789abcdef"

#include "testdir.h"

/* Write n bytes to dir/name with mode and return its path. */
static char *
mkfile(const char *name, const void *data, size_t n, mode_t mode)
{
	char	*p;
	int	 fd;

	p = xasprintf("%s/%s", dir, name);
	unlink(p);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd != -1);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
	return p;
}

/*
 * Both readers on path: token_load (what the UDF calls) must give want,
 * and the scanner's triggers_token_load must accept exactly when it does.
 */
static void
both(const char *path, int want)
{
	char	 t1[TOKEN_LEN + 1], t2[TRIGGERS_TOKEN_LEN + 1];
	char	*cause = NULL;
	int	 r;

	memset(t1, 'x', sizeof t1);
	memset(t2, 'y', sizeof t2);
	assert_int_equal(token_load(path, t1), want);
	r = triggers_token_load(path, t2, &cause);
	if (want == TOKEN_OK) {
		assert_int_equal(r, 0);
		assert_null(cause);
		assert_string_equal(t1, GOOD);
		assert_string_equal(t2, GOOD);
	} else {
		assert_int_equal(r, -1);
		assert_non_null(cause);
		free(cause);
	}
}

/* Write data, a whole file of mode 0640, and check both readers. */
static void
shape(const char *data, size_t n, int want)
{
	char	*p;

	p = mkfile("t", data, n, 0640);
	both(p, want);
	free(p);
}

/* Ensure that 64 lowercase hex digits and a newline are the token. */
static void
test_newline(void **state)
{
	(void)state;
	shape(GOOD "\n", TOKEN_LEN + 1, TOKEN_OK);
}

/* Ensure that the newline is optional, as it always was. */
static void
test_no_newline(void **state)
{
	(void)state;
	shape(GOOD, TOKEN_LEN, TOKEN_OK);
}

/* Ensure that 63 characters (with or without the newline) are refused. */
static void
test_short(void **state)
{
	(void)state;
	shape(GOOD, TOKEN_LEN - 1, TOKEN_EFORMAT);
	shape(GOOD "\n" + 1, TOKEN_LEN, TOKEN_EFORMAT);
	shape("", 0, TOKEN_EFORMAT);
}

/* Ensure that 65 characters, or a second newline, are refused. */
static void
test_long(void **state)
{
	(void)state;
	shape(GOOD "a", TOKEN_LEN + 1, TOKEN_EFORMAT);
	shape(GOOD "a\n", TOKEN_LEN + 2, TOKEN_EFORMAT);
	shape(GOOD "\n\n", TOKEN_LEN + 2, TOKEN_EFORMAT);
	shape(GOOD "\nx", TOKEN_LEN + 2, TOKEN_EFORMAT);
	shape(GOOD GOOD, 2 * TOKEN_LEN, TOKEN_EFORMAT);
}

/* Ensure that a CR LF or another byte in the newline's place is refused. */
static void
test_trailing(void **state)
{
	(void)state;
	shape(GOOD "\r\n", TOKEN_LEN + 2, TOKEN_EFORMAT);
	shape(GOOD "\r", TOKEN_LEN + 1, TOKEN_EFORMAT);
	shape(GOOD " ", TOKEN_LEN + 1, TOKEN_EFORMAT);
	shape(GOOD "\0", TOKEN_LEN + 1, TOKEN_EFORMAT);
}

/* Ensure that every byte but [0-9a-f] is refused at every position. */
static void
test_charset(void **state)
{
	char	 data[TOKEN_LEN + 1];
	int	 c;
	size_t	 pos[] = { 0, 31, TOKEN_LEN - 1 }, i;

	(void)state;
	for (i = 0; i < sizeof pos / sizeof pos[0]; i++) {
		for (c = 0; c < 256; c++) {
			memcpy(data, GOOD "\n", sizeof data);
			data[pos[i]] = (char)c;
			if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
				continue;
			assert_false(secret_is_hex(data, TOKEN_LEN));
			if (c == 'A' || c == 'g' || c == 0 || c == '\n' ||
			    c == 0xff)
				shape(data, sizeof data, TOKEN_EFORMAT);
		}
	}
}

/* Ensure that world-accessible and group-writable modes are refused. */
static void
test_mode(void **state)
{
	static const mode_t	 bad[] = { 0644, 0604, 0602, 0601, 0660,
	    0620, 0666, 0777 };
	static const mode_t	 good[] = { 0600, 0640, 0400, 0440 };
	char			 t[TRIGGERS_TOKEN_LEN + 1];
	char			*p, *cause = NULL, *want;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		p = mkfile("t", GOOD "\n", TOKEN_LEN + 1, bad[i]);
		both(p, TOKEN_EMODE);
		free(p);
	}
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		p = mkfile("t", GOOD "\n", TOKEN_LEN + 1, good[i]);
		both(p, TOKEN_OK);
		free(p);
	}
	/* A world-readable file: the message names both faults, as the UDF's. */
	p = mkfile("t", GOOD "\n", TOKEN_LEN + 1, 0604);
	assert_int_equal(triggers_token_load(p, t, &cause), -1);
	want = xasprintf("%s: world-accessible or group-writable, run: "
	    "chmod 0640 '%s'", p, p);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(p);
}

/* Ensure that a file owned by neither root nor us is refused (as root). */
static void
test_owner(void **state)
{
	char	*p;

	(void)state;
	if (geteuid() != 0)
		skip();
	p = mkfile("t", GOOD "\n", TOKEN_LEN + 1, 0640);
	assert_int_equal(chown(p, 12345, 0), 0);
	both(p, TOKEN_EOWNER);
	/* The group may be anyone's: the server's account reads through it. */
	assert_int_equal(chown(p, 0, 12345), 0);
	both(p, TOKEN_OK);
	free(p);
}

/* Ensure that a symbolic link to a good token file is refused. */
static void
test_symlink(void **state)
{
	char	*p, *l;

	(void)state;
	p = mkfile("t", GOOD "\n", TOKEN_LEN + 1, 0640);
	l = xasprintf("%s/link", dir);
	assert_int_equal(symlink(p, l), 0);
	both(l, TOKEN_ESYS);
	assert_int_equal(token_load(l, (char[TOKEN_LEN + 1]){ 0 }),
	    TOKEN_ESYS);
	assert_int_equal(errno, ELOOP);
	unlink(l);
	free(l);
	free(p);
}

/* Ensure that a FIFO is refused at once, never waited on. */
static void
test_fifo(void **state)
{
	char	*p;

	(void)state;
	p = xasprintf("%s/fifo", dir);
	assert_int_equal(mkfifo(p, 0640), 0);
	assert_int_equal(token_load(p, (char[TOKEN_LEN + 1]){ 0 }),
	    TOKEN_ENOTREG);
	both(p, TOKEN_ENOTREG);
	unlink(p);
	free(p);
}

/* Ensure that a directory and a missing file are refused. */
static void
test_not_file(void **state)
{
	char	*p;

	(void)state;
	both(dir, TOKEN_ENOTREG);
	p = xasprintf("%s/missing", dir);
	assert_int_equal(token_load(p, (char[TOKEN_LEN + 1]){ 0 }),
	    TOKEN_ESYS);
	assert_int_equal(errno, ENOENT);
	both(p, TOKEN_ESYS);
	free(p);
}

/*
 * Ensure that token_write writes a token both readers take, mode 0640
 * whatever the umask, and a new one each time.
 */
static void
test_write(void **state)
{
	char		 t1[TOKEN_LEN + 1], t2[TOKEN_LEN + 1];
	char		*p;
	struct stat	 st;
	mode_t		 old;
	int		 fd;

	(void)state;
	p = xasprintf("%s/w", dir);
	old = umask(077);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	umask(old);
	assert_true(fd != -1);
	assert_int_equal(token_write(fd), TOKEN_OK);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(st.st_size, TOKEN_LEN + 1);
	close(fd);
	assert_int_equal(token_load(p, t1), TOKEN_OK);
	assert_int_equal(strlen(t1), TOKEN_LEN);
	assert_int_equal(unlink(p), 0);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_int_equal(token_write(fd), TOKEN_OK);
	close(fd);
	assert_int_equal(token_load(p, t2), TOKEN_OK);
	assert_string_not_equal(t1, t2);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_newline),
		cmocka_unit_test(test_no_newline),
		cmocka_unit_test(test_short),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_trailing),
		cmocka_unit_test(test_charset),
		cmocka_unit_test(test_mode),
		cmocka_unit_test(test_owner),
		cmocka_unit_test(test_symlink),
		cmocka_unit_test(test_fifo),
		cmocka_unit_test(test_not_file),
		cmocka_unit_test(test_write),
	};

	return cmocka_run_group_tests(tests, testdir_setup, testdir_teardown);
}

/* Unit tests for the UDF library: its entry points as the server calls them. */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
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

#include "buf.h"
#include "paths.h"
#include "record.h"
#include "udf/udf.h"

/*
 * The library reads its environment once per process (udf_env.c), so
 * main() names the token file and the log file before any call, and the
 * "main" group's setup creates the token file. The "env" group runs first
 * and forks a child for each case, before the parent has called into the
 * library, so that every child reads an environment of its own.
 *
 * Arguments are built as the server passes them: each in an allocation of
 * exactly its length, not NUL-terminated (valgrind reports any read past
 * it), NULL for SQL NULL. Each test compares the exact bytes the log file
 * got.
 */

#define TOKEN \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define CLASSIC_UPDATE \
	"dbsyscheck: op=update table=acme.users pk=id=7 changed=password " \
	"src=trigger by=root@localhost ;\n"
#define FORGED \
	"dbsyscheck: op=forged table=acme.users by=root@localhost " \
	"src=trigger ;\n"
#define MALFORMED_OP \
	"dbsyscheck: op=error table=acme.users " \
	"msg=op%20is%20not%20insert%2C%20update%20or%20delete src=trigger ;\n"
#define MALFORMED_KEY \
	"dbsyscheck: op=error table=acme.users " \
	"msg=bad%20key%20count%20or%20argument%20count src=trigger ;\n"

/* Caps private to udf_log.c, udf_log_error.c and udf_out.c. */
#define UDF_TABLE_MAX	1160
#define UDF_BY_MAX	256
#define LOG_ERROR_MAX	8192
#define LOG_ERROR_CUT	" [truncated]"
#define UDF_LINE_MAX	(sizeof "2026-11-26T15:04:05Z " + \
			    sizeof RECORD_PREFIX + 16384)

static char	 dir[] = "/tmp/test_udf.XXXXXX";
static char	 token_path[PATH_MAX];
static char	 log_path[PATH_MAX];
static off_t	 log_seen;
static char	 le_path[PATH_MAX];	/* log_error's standard error */

static int	 stderr_to(const char *);
static void	 stderr_restore(int);

/* One call's arguments, laid out as the server's UDF_ARGS. */
#define MAXARGS	64

struct call {
	UDF_ARGS	 args;
	enum Item_result types[MAXARGS];
	char		*argv[MAXARGS];
	unsigned long	 lengths[MAXARGS];
	char		 maybe_null[MAXARGS];
};

/* A string literal as bytes and length. */
#define S(lit)	(lit), (sizeof (lit) - 1)

static const char	 end_mark;
#define END	(&end_mark)

/*
 * The helpers that build arguments abort rather than assert: the env
 * group's children use them, and a cmocka assert in a forked child would
 * jump back into the parent's test runner.
 */
static void *
xmem(size_t n)
{
	void	*p;

	if ((p = malloc(n)) == NULL)
		abort();
	return p;
}

/* Set argument i to n bytes at p (NULL: SQL NULL), in its own allocation. */
static void
call_set(struct call *c, unsigned int i, const void *p, size_t n)
{
	if (i >= MAXARGS)
		abort();
	free(c->argv[i]);
	if (p == NULL) {
		c->argv[i] = NULL;
		c->lengths[i] = 0;
		c->maybe_null[i] = 1;
	} else {
		c->argv[i] = xmem(n);
		if (n > 0)
			memcpy(c->argv[i], p, n);
		c->lengths[i] = n;
		c->maybe_null[i] = 0;
	}
	if (i >= c->args.arg_count)
		c->args.arg_count = i + 1;
}

/* Arguments from strings (NULL: SQL NULL) up to END; types not yet strings. */
static void
call_init(struct call *c, ...)
{
	va_list		 ap;
	const char	*s;
	unsigned int	 i;

	memset(c, 0, sizeof *c);
	c->args.arg_type = c->types;
	c->args.args = c->argv;
	c->args.lengths = c->lengths;
	c->args.maybe_null = c->maybe_null;
	va_start(ap, c);
	for (i = 0; (s = va_arg(ap, const char *)) != END; i++)
		call_set(c, i, s, s == NULL ? 0 : strlen(s));
	va_end(ap);
	for (i = 0; i < MAXARGS; i++)
		c->types[i] = i % 2 ? INT_RESULT : REAL_RESULT;
}

static void
call_free(struct call *c)
{
	unsigned int	 i;

	for (i = 0; i < MAXARGS; i++) {
		free(c->argv[i]);
		c->argv[i] = NULL;
	}
}

/* The generated triggers' arguments for the row id=7 of acme.users. */
static void
call_classic(struct call *c, const char *token, const char *op)
{
	if (strcmp(op, "update") == 0)
		call_init(c, token, op, "acme", "users", "root@localhost", "1",
		    "id", "7", "id", "0", "login", "0", "password", "1", END);
	else
		call_init(c, token, op, "acme", "users", "root@localhost", "1",
		    "id", "7", END);
}

/* _init, the call and _deinit, as the server runs them for one row. */
static long long
log_call(struct call *c)
{
	UDF_INIT	 init;
	char		 msg[MYSQL_ERRMSG_SIZE], is_null = 1, error = 1;
	long long	 r;
	unsigned int	 i;

	memset(&init, 0xa5, sizeof init);
	memset(msg, 0, sizeof msg);
	assert_false(dbsyscheck_log_init(&init, &c->args, msg));
	assert_string_equal(msg, "");
	for (i = 0; i < c->args.arg_count; i++)
		assert_int_equal(c->types[i], STRING_RESULT);
	r = dbsyscheck_log(&init, &c->args, &is_null, &error);
	assert_int_equal(is_null, 0);
	assert_int_equal(error, 0);
	dbsyscheck_log_deinit(&init);
	return r;
}

/* The same for log_error(); checks its result and returns nothing. */
static void
log_error_call(struct call *c)
{
	UDF_INIT	 init;
	char		 msg[MYSQL_ERRMSG_SIZE], result[255], is_null = 1;
	char		 error = 1, *r;
	unsigned long	 length = 99;

	memset(&init, 0xa5, sizeof init);
	memset(msg, 0, sizeof msg);
	memset(result, 'X', sizeof result);
	int		 saved;

	assert_false(log_error_init(&init, &c->args, msg));
	assert_int_equal(c->types[0], STRING_RESULT);
	saved = stderr_to(le_path);
	r = log_error(&init, &c->args, result, &length, &is_null, &error);
	stderr_restore(saved);
	assert_ptr_equal(r, result);
	assert_int_equal(r[0], '\0');
	assert_int_equal(length, 0);
	assert_int_equal(is_null, 0);
	assert_int_equal(error, 0);
	log_error_deinit(&init);
}

/* log_error() of n bytes at p (NULL: SQL NULL). */
static void
log_error_bytes(const void *p, size_t n)
{
	struct call	 c;

	call_init(&c, END);
	call_set(&c, 0, p, n);
	log_error_call(&c);
	call_free(&c);
}

/* The bytes a file got from offset *seen on, NUL-terminated; moves *seen. */
static char *
file_new(const char *path, off_t *seen, size_t *len)
{
	struct stat	 st;
	char		*p;
	size_t		 want, got = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		assert_int_equal(errno, ENOENT);
		*len = 0;
		return strdup("");
	}
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(st.st_size >= *seen);
	want = (size_t)(st.st_size - *seen);
	p = xmem(want + 1);
	while (got < want) {
		n = pread(fd, p + got, want - got, *seen + (off_t)got);
		assert_true(n > 0);
		got += (size_t)n;
	}
	close(fd);
	p[want] = '\0';
	*seen = st.st_size;
	*len = want;
	return p;
}

static char *
log_new(size_t *len)
{
	return file_new(log_path, &log_seen, len);
}

/* Exactly want (n bytes) arrived in the log since the last look. */
static void
expect_log_bytes(const char *want, size_t n)
{
	char	*got;
	size_t	 len;

	got = log_new(&len);
	if (len != n || memcmp(got, want, n) != 0)
		print_error("log got %zu bytes:\n%s\nwanted %zu bytes:\n%.*s\n",
		    len, got, n, (int)n, want);
	assert_int_equal(len, n);
	assert_memory_equal(got, want, n);
	free(got);
}

static void
expect_log(const char *want)
{
	expect_log_bytes(want, strlen(want));
}

/* A NUL-terminated string of n copies of c (allocated). */
static char *
repeat(int c, size_t n)
{
	char	*p;

	p = xmem(n + 1);
	memset(p, c, n);
	p[n] = '\0';
	return p;
}

/* s repeated n times (allocated). */
static char *
repeats(const char *s, size_t n)
{
	struct buf	 b;
	size_t		 i;
	char		*p;

	buf_init(&b, BUF_NOCAP);
	for (i = 0; i < n; i++)
		assert_int_equal(buf_adds(&b, s), 0);
	p = strdup(buf_str(&b));
	assert_non_null(p);
	buf_free(&b);
	return p;
}

/* printf into a fresh allocation. */
static char *
fmt(const char *f, ...)
{
	va_list	 ap;
	char	*p;
	int	 n;

	va_start(ap, f);
	n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	assert_true(n >= 0);
	p = xmem((size_t)n + 1);
	va_start(ap, f);
	assert_int_equal(vsnprintf(p, (size_t)n + 1, f, ap), n);
	va_end(ap);
	return p;
}

/* "dbsyscheck: op=update table=acme.users pk=PK changed=CH ..." */
static char *
row_line(const char *op, const char *pk, const char *changed,
    const char *by)
{
	return fmt("dbsyscheck: op=%s table=acme.users pk=%s changed=%s "
	    "src=trigger by=%s ;\n", op, pk, changed, by);
}

static void
expect_row(const char *op, const char *pk, const char *changed,
    const char *by)
{
	char	*want;

	want = row_line(op, pk, changed, by);
	expect_log(want);
	free(want);
}

static void
sleep_ms(long ms)
{
	struct timespec	 ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static long
elapsed_ms(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000L +
	    (b->tv_nsec - a->tv_nsec) / 1000000L;
}

/* Write a file of mode mode (not subject to the umask). */
static void
write_file(const char *path, const char *data, size_t n, mode_t mode)
{
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	assert_true(fd != -1);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
}

static void
path_in_dir(char *out, const char *name)
{
	int	 n;

	n = snprintf(out, PATH_MAX, "%s/%s", dir, name);
	assert_true(n > 0 && n < PATH_MAX);
}

/* Redirect standard error to path; restore it with stderr_restore. */
static int
stderr_to(const char *path)
{
	int	 saved, fd;

	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(saved != -1);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd != -1);
	assert_true(dup2(fd, STDERR_FILENO) != -1);
	close(fd);
	return saved;
}

static void
stderr_restore(int saved)
{
	assert_true(dup2(saved, STDERR_FILENO) != -1);
	close(saved);
}

/*
 * The last log_error() call wrote exactly want (n bytes) to standard
 * error, the error log, and nothing to the trigger log.
 */
static void
expect_le_bytes(const char *want, size_t n)
{
	char	*got;
	size_t	 len;
	off_t	 seen = 0;

	got = file_new(le_path, &seen, &len);
	if (len != n || memcmp(got, want, n) != 0)
		print_error("stderr got %zu bytes:\n%s\nwanted %zu bytes:\n"
		    "%.*s\n", len, got, n, (int)n, want);
	assert_int_equal(len, n);
	assert_memory_equal(got, want, n);
	free(got);
	got = log_new(&len);
	assert_int_equal(len, 0);
	free(got);
}

static void
expect_le(const char *want)
{
	expect_le_bytes(want, strlen(want));
}

/*
 * The env group: one child per environment. Each child runs the classic
 * update with the right token, its standard error in dir/child.err, and
 * exits with what dbsyscheck_log() returned (valgrind makes it 99 on an
 * error). It must never touch cmocka.
 */
static int
child_call(const char *tokenvar, const char *logvar, const char *stamp)
{
	struct call	 c;
	UDF_INIT	 init;
	char		 msg[MYSQL_ERRMSG_SIZE], path[PATH_MAX];
	char		 is_null, error;
	long long	 r;
	pid_t		 pid;
	int		 status, fd;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		snprintf(path, sizeof path, "%s/child.err", dir);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0600);
		if (fd == -1 || dup2(fd, STDERR_FILENO) == -1)
			_exit(2);
		if ((tokenvar == NULL ?
		    unsetenv("DBSYSCHECK_UDF_TOKEN") :
		    setenv("DBSYSCHECK_UDF_TOKEN", tokenvar, 1)) == -1 ||
		    (logvar == NULL ? unsetenv("DBSYSCHECK_UDF_LOG") :
		    setenv("DBSYSCHECK_UDF_LOG", logvar, 1)) == -1 ||
		    (stamp == NULL ? unsetenv("DBSYSCHECK_UDF_TIMESTAMP") :
		    setenv("DBSYSCHECK_UDF_TIMESTAMP", stamp, 1)) == -1)
			_exit(2);
		call_classic(&c, TOKEN, "update");
		if (dbsyscheck_log_init(&init, &c.args, msg))
			_exit(2);
		r = dbsyscheck_log(&init, &c.args, &is_null, &error);
		dbsyscheck_log_deinit(&init);
		call_free(&c);
		_exit((int)r);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A child's output: its log file (or "") and its standard error. */
static void
expect_child(const char *clog, const char *want_log, const char *want_err)
{
	char	 path[PATH_MAX], *got;
	off_t	 seen = 0;
	size_t	 len;

	if (clog != NULL) {
		got = file_new(clog, &seen, &len);
		assert_string_equal(got, want_log);
		assert_int_equal(len, strlen(want_log));
		free(got);
		unlink(clog);
	}
	path_in_dir(path, "child.err");
	seen = 0;
	got = file_new(path, &seen, &len);
	assert_string_equal(got, want_err);
	assert_int_equal(len, strlen(want_err));
	free(got);
	unlink(path);
}

/* The op=error record of an unusable token file, then the forged one. */
static char *
token_complaint(const char *path, const char *why)
{
	return fmt("dbsyscheck: op=error msg=token%%20file%%20%s:%%20%s "
	    "src=trigger ;\n" FORGED, path, why);
}

/* Run a child with the token file at name holding data, mode mode. */
static int
child_token_file(const char *name, const char *data, mode_t mode,
    char *tpath, char *clog)
{
	int	 r;

	path_in_dir(tpath, name);
	path_in_dir(clog, "child.log");
	write_file(tpath, data, strlen(data), mode);
	r = child_call(tpath, clog, NULL);
	unlink(tpath);
	return r;
}

#define BAD_MODE \
	"world-accessible%20or%20group-writable%20(run:%20chmod%200640)"
#define BAD_TEXT \
	"not%2064%20lowercase%20hex%20characters%20and%20a%20newline%20" \
	"(run:%20dbsyscheck%20token)"

/* Ensure that a 0640 token file with a newline makes the right token work. */
static void
test_env_token_newline(void **state)
{
	char	 tpath[PATH_MAX], clog[PATH_MAX];

	(void)state;
	assert_int_equal(child_token_file("t", TOKEN "\n", 0640, tpath,
	    clog), 1);
	expect_child(clog, CLASSIC_UPDATE, "");
}

/* Ensure that a token file without the final newline is accepted. */
static void
test_env_token_no_newline(void **state)
{
	char	 tpath[PATH_MAX], clog[PATH_MAX];

	(void)state;
	assert_int_equal(child_token_file("t", TOKEN, 0600, tpath, clog), 1);
	expect_child(clog, CLASSIC_UPDATE, "");
}

/* Ensure that a world-readable token file is refused: all calls forged. */
static void
test_env_token_world_readable(void **state)
{
	char	 tpath[PATH_MAX], clog[PATH_MAX], *want;

	(void)state;
	assert_int_equal(child_token_file("t", TOKEN "\n", 0644, tpath,
	    clog), 0);
	want = token_complaint(tpath, BAD_MODE);
	expect_child(clog, want, "");
	free(want);
}

/* Ensure that a group-writable token file is refused. */
static void
test_env_token_group_writable(void **state)
{
	char	 tpath[PATH_MAX], clog[PATH_MAX], *want;

	(void)state;
	assert_int_equal(child_token_file("t", TOKEN "\n", 0660, tpath,
	    clog), 0);
	want = token_complaint(tpath, BAD_MODE);
	expect_child(clog, want, "");
	free(want);
}

/* Ensure that a token of 63 characters is refused. */
static void
test_env_token_short(void **state)
{
	char	 tpath[PATH_MAX], clog[PATH_MAX], data[UDF_TOKEN_LEN + 1];
	char	*want;

	(void)state;
	memcpy(data, TOKEN, UDF_TOKEN_LEN - 1);
	data[UDF_TOKEN_LEN - 1] = '\n';
	data[UDF_TOKEN_LEN] = '\0';
	assert_int_equal(child_token_file("t", data, 0640, tpath, clog), 0);
	want = token_complaint(tpath, BAD_TEXT);
	expect_child(clog, want, "");
	free(want);
}

/* Ensure that upper-case hex is refused. */
static void
test_env_token_upper(void **state)
{
	char	 tpath[PATH_MAX], clog[PATH_MAX], *want;

	(void)state;
	assert_int_equal(child_token_file("t", "0123456789ABCDEF"
	    "0123456789abcdef0123456789abcdef0123456789abcdef\n", 0640, tpath,
	    clog), 0);
	want = token_complaint(tpath, BAD_TEXT);
	expect_child(clog, want, "");
	free(want);
}

/* Ensure that anything after the token's newline is refused. */
static void
test_env_token_trailing(void **state)
{
	char	 tpath[PATH_MAX], clog[PATH_MAX], *want;

	(void)state;
	assert_int_equal(child_token_file("t", TOKEN "\nx", 0640, tpath,
	    clog), 0);
	want = token_complaint(tpath, BAD_TEXT);
	expect_child(clog, want, "");
	free(want);
}

/* Ensure that an empty token file is refused. */
static void
test_env_token_empty_file(void **state)
{
	char	 tpath[PATH_MAX], clog[PATH_MAX], *want;

	(void)state;
	assert_int_equal(child_token_file("t", "", 0640, tpath, clog), 0);
	want = token_complaint(tpath, BAD_TEXT);
	expect_child(clog, want, "");
	free(want);
}

/* Ensure that a missing token file is reported with its errno text. */
static void
test_env_token_missing(void **state)
{
	char	 tpath[PATH_MAX], clog[PATH_MAX], *want;

	(void)state;
	path_in_dir(tpath, "missing");
	path_in_dir(clog, "child.log");
	assert_int_equal(child_call(tpath, clog, NULL), 0);
	want = token_complaint(tpath,
	    "No%20such%20file%20or%20directory");
	expect_child(clog, want, "");
	free(want);
}

/* Ensure that a symbolic link to a good token file is refused. */
static void
test_env_token_symlink(void **state)
{
	char	 tpath[PATH_MAX], lpath[PATH_MAX], clog[PATH_MAX], *want;

	(void)state;
	path_in_dir(tpath, "t");
	path_in_dir(lpath, "link");
	path_in_dir(clog, "child.log");
	write_file(tpath, TOKEN "\n", strlen(TOKEN "\n"), 0640);
	assert_int_equal(symlink(tpath, lpath), 0);
	assert_int_equal(child_call(lpath, clog, NULL), 0);
	want = token_complaint(lpath,
	    "Too%20many%20levels%20of%20symbolic%20links");
	expect_child(clog, want, "");
	free(want);
	unlink(lpath);
	unlink(tpath);
}

/*
 * Ensure that a token file owned by neither root nor the server's account
 * is refused, as the scanner refuses it (token.c; before, only the scanner
 * checked the owner). Needs root to give the file away.
 */
static void
test_env_token_owner(void **state)
{
	char	 tpath[PATH_MAX], clog[PATH_MAX], *want;

	(void)state;
	if (geteuid() != 0)
		skip();
	path_in_dir(tpath, "t");
	path_in_dir(clog, "child.log");
	write_file(tpath, TOKEN "\n", strlen(TOKEN "\n"), 0640);
	assert_int_equal(chown(tpath, 12345, 12345), 0);
	assert_int_equal(child_call(tpath, clog, NULL), 0);
	want = token_complaint(tpath, "owned%20by%20neither%20root%20nor%20"
	    "the%20server%27s%20account");
	expect_child(clog, want, "");
	free(want);
	unlink(tpath);
}

/*
 * Ensure that a FIFO as token file is refused at once: before, the open
 * waited for a writer, and the server thread with it.
 */
static void
test_env_token_fifo(void **state)
{
	char	 tpath[PATH_MAX], clog[PATH_MAX], *want;

	(void)state;
	path_in_dir(tpath, "fifo");
	path_in_dir(clog, "child.log");
	assert_int_equal(mkfifo(tpath, 0640), 0);
	assert_int_equal(child_call(tpath, clog, NULL), 0);
	want = token_complaint(tpath, "not%20a%20regular%20file");
	expect_child(clog, want, "");
	free(want);
	unlink(tpath);
}

/* Ensure that a directory as token file is refused. */
static void
test_env_token_directory(void **state)
{
	char	 clog[PATH_MAX], *want;

	(void)state;
	path_in_dir(clog, "child.log");
	assert_int_equal(child_call(dir, clog, NULL), 0);
	want = token_complaint(dir, "not%20a%20regular%20file");
	expect_child(clog, want, "");
	free(want);
}

/* Ensure that a relative token path is refused, not looked up. */
static void
test_env_token_relative(void **state)
{
	char	 clog[PATH_MAX], *want;

	(void)state;
	path_in_dir(clog, "child.log");
	assert_int_equal(child_call("trigger.token", clog, NULL), 0);
	want = token_complaint("trigger.token",
	    "not%20an%20absolute%20path");
	expect_child(clog, want, "");
	free(want);
}

/*
 * Ensure that a relative log path loses the record, saying so on standard
 * error, and never writes the record there.
 */
static void
test_env_log_relative(void **state)
{
	(void)state;
	assert_int_equal(child_call(token_path, "rel.log", NULL), 0);
	expect_child(NULL, NULL, UDF_LOST "rel.log: not an absolute path\n");
	assert_int_equal(access("rel.log", F_OK), -1);
}

/*
 * Ensure that an unset log path means the compiled-in trigger log (here
 * one that cannot exist), never standard error.
 */
static void
test_env_log_unset(void **state)
{
	(void)state;
	assert_int_equal(child_call(token_path, NULL, NULL), 0);
	expect_child(NULL, NULL, UDF_LOST DBSC_UDF_LOG
	    ": No such file or directory\n");
}

/*
 * Ensure that a trigger log that cannot be opened loses the record with a
 * "record lost" line on standard error, not the record.
 */
static void
test_env_log_unopenable(void **state)
{
	char	 clog[PATH_MAX], *want;

	(void)state;
	path_in_dir(clog, "no/such/dir.log");
	assert_int_equal(child_call(token_path, clog, NULL), 0);
	want = fmt(UDF_LOST "%s: No such file or directory\n", clog);
	expect_child(NULL, NULL, want);
	free(want);
}

/* Ensure that DBSYSCHECK_UDF_TIMESTAMP=1 prefixes an ISO-8601 UTC time. */
static void
test_env_timestamp(void **state)
{
	char		 clog[PATH_MAX], *got;
	const char	*pat = "dddd-dd-ddTdd:dd:ddZ ";
	off_t		 seen = 0;
	size_t		 len, i;

	(void)state;
	path_in_dir(clog, "child.log");
	assert_int_equal(child_call(token_path, clog, "1"), 1);
	got = file_new(clog, &seen, &len);
	assert_int_equal(len, strlen(pat) + strlen(CLASSIC_UPDATE));
	for (i = 0; pat[i] != '\0'; i++) {
		if (pat[i] == 'd')
			assert_true(got[i] >= '0' && got[i] <= '9');
		else
			assert_int_equal(got[i], pat[i]);
	}
	assert_string_equal(got + i, CLASSIC_UPDATE);
	free(got);
	unlink(clog);
	expect_child(NULL, NULL, "");
}

/* Ensure that DBSYSCHECK_UDF_TIMESTAMP other than "1" adds no time. */
static void
test_env_timestamp_other(void **state)
{
	char	 clog[PATH_MAX];

	(void)state;
	path_in_dir(clog, "child.log");
	assert_int_equal(child_call(token_path, clog, "yes"), 1);
	expect_child(clog, CLASSIC_UPDATE, "");
}

static int
env_setup(void **state)
{
	(void)state;
	write_file(token_path, TOKEN "\n", strlen(TOKEN "\n"), 0640);
	return 0;
}

static int
env_teardown(void **state)
{
	(void)state;
	unlink(token_path);
	return 0;
}

/* The main group: this process's own environment. */
static int
main_setup(void **state)
{
	(void)state;
	write_file(token_path, TOKEN "\n", strlen(TOKEN "\n"), 0640);
	return 0;
}

static int
main_teardown(void **state)
{
	char	 path[PATH_MAX];

	(void)state;
	unlink(token_path);
	unlink(log_path);
	unlink(le_path);
	path_in_dir(path, "stderr");
	unlink(path);
	path_in_dir(path, "target.log");
	unlink(path);
	path_in_dir(path, "link.log");
	unlink(path);
	return 0;
}

/* Each test looks only at what it wrote, even after a failed one. */
static int
log_sync(void **state)
{
	struct stat	 st;

	(void)state;
	log_seen = stat(log_path, &st) == 0 ? st.st_size : 0;
	return 0;
}

/* Ensure that the environment is read as given: token, log file, no time. */
static void
test_env_loaded(void **state)
{
	const struct udf_env	*e;

	(void)state;
	e = udf_env();
	assert_int_equal(e->token_ok, 1);
	assert_memory_equal(e->token, TOKEN, UDF_TOKEN_LEN);
	assert_non_null(e->log_path);
	assert_string_equal(e->log_path, log_path);
	assert_int_equal(e->timestamp, 0);
	assert_ptr_equal(udf_env(), e);
	expect_log("");
}

/* Ensure that _init refuses fewer than six arguments, in one message. */
static void
test_init_too_few(void **state)
{
	struct call	 c;
	UDF_INIT	 init;
	char		 msg[MYSQL_ERRMSG_SIZE];
	unsigned int	 n;

	(void)state;
	for (n = 0; n < 6; n++) {
		call_init(&c, END);
		while (c.args.arg_count < n)
			call_set(&c, c.args.arg_count, "x", 1);
		memset(msg, 'Z', sizeof msg);
		assert_true(dbsyscheck_log_init(&init, &c.args, msg));
		assert_non_null(memchr(msg, '\0', sizeof msg));
		assert_true(strlen(msg) > 0);
		assert_true(strncmp(msg, "dbsyscheck_log() takes", 22) == 0);
		call_free(&c);
	}
	expect_log("");
}

/* Ensure that _init makes every argument a string and keeps no state. */
static void
test_init_types(void **state)
{
	struct call	 c;
	UDF_INIT	 init;
	char		 msg[MYSQL_ERRMSG_SIZE];
	unsigned int	 i;

	(void)state;
	call_classic(&c, TOKEN, "update");
	memset(&init, 0xa5, sizeof init);
	assert_false(dbsyscheck_log_init(&init, &c.args, msg));
	for (i = 0; i < c.args.arg_count; i++)
		assert_int_equal(c.types[i], STRING_RESULT);
	assert_int_equal(init.maybe_null, 0);
	assert_int_equal(init.const_item, 0);
	assert_null(init.ptr);
	dbsyscheck_log_deinit(&init);
	call_free(&c);
	expect_log("");
}

/* Ensure that a call with fewer than six arguments writes nothing. */
static void
test_call_too_few(void **state)
{
	struct call	 c;
	UDF_INIT	 init;
	char		 is_null = 1, error = 1;

	(void)state;
	call_init(&c, TOKEN, "insert", "acme", "users", "root@localhost", END);
	memset(&init, 0, sizeof init);
	assert_int_equal(dbsyscheck_log(&init, &c.args, &is_null, &error), 0);
	assert_int_equal(is_null, 0);
	assert_int_equal(error, 0);
	call_free(&c);
	expect_log("");
}

/* Ensure that an _init message longer than the buffer is cut with "...". */
static void
test_init_error_cut(void **state)
{
	char	 msg[MYSQL_ERRMSG_SIZE + 16], *big;

	(void)state;
	memset(msg, 'Z', sizeof msg);
	big = repeat('m', 2 * MYSQL_ERRMSG_SIZE);
	assert_int_equal(udf_init_error(msg, "%s", big), 1);
	assert_int_equal(strlen(msg), MYSQL_ERRMSG_SIZE - 1);
	assert_string_equal(msg + MYSQL_ERRMSG_SIZE - 4, "...");
	assert_int_equal(msg[MYSQL_ERRMSG_SIZE], 'Z');
	free(big);
}

/* Ensure that a short _init message is written whole. */
static void
test_init_error_short(void **state)
{
	char	 msg[MYSQL_ERRMSG_SIZE];

	(void)state;
	assert_int_equal(udf_init_error(msg, "bad %d", 7), 1);
	assert_string_equal(msg, "bad 7");
}

/* Ensure that log_error's _init takes exactly one argument. */
static void
test_log_error_init_count(void **state)
{
	struct call	 c;
	UDF_INIT	 init;
	char		 msg[MYSQL_ERRMSG_SIZE];

	(void)state;
	call_init(&c, END);
	assert_true(log_error_init(&init, &c.args, msg));
	assert_true(strlen(msg) > 0 && strlen(msg) < MYSQL_ERRMSG_SIZE);
	call_free(&c);
	call_init(&c, "a", "b", END);
	assert_true(log_error_init(&init, &c.args, msg));
	assert_string_equal(msg, "log_error() takes exactly one argument");
	call_free(&c);
	call_init(&c, "a", END);
	assert_false(log_error_init(&init, &c.args, msg));
	assert_int_equal(c.types[0], STRING_RESULT);
	assert_int_equal(init.maybe_null, 0);
	log_error_deinit(&init);
	call_free(&c);
	expect_log("");
}

/* Ensure that the classic insert of id 7 writes the exact record. */
static void
test_insert(void **state)
{
	struct call	 c;

	(void)state;
	call_classic(&c, TOKEN, "insert");
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_log("dbsyscheck: op=insert table=acme.users pk=id=7 changed=- "
	    "src=trigger by=root@localhost ;\n");
}

/* Ensure that the classic update of id 7 writes the exact record. */
static void
test_update(void **state)
{
	struct call	 c;

	(void)state;
	call_classic(&c, TOKEN, "update");
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_log(CLASSIC_UPDATE);
}

/* Ensure that the classic delete of id 7 writes the exact record. */
static void
test_delete(void **state)
{
	struct call	 c;

	(void)state;
	call_classic(&c, TOKEN, "delete");
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_log("dbsyscheck: op=delete table=acme.users pk=id=7 changed=- "
	    "src=trigger by=root@localhost ;\n");
}

/* Ensure that the log file is created 0640 by the first line. */
static void
test_log_mode(void **state)
{
	struct stat	 st;

	(void)state;
	assert_int_equal(lstat(log_path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0640);
}

/* Ensure that an update lists every changed column, in argument order. */
static void
test_update_several(void **state)
{
	struct call	 c;

	(void)state;
	call_init(&c, TOKEN, "update", "acme", "users", "root@localhost", "1",
	    "id", "7", "id", "0", "login", "1", "password", "1", END);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_row("update", "id=7", "login,password", "root@localhost");
}

/* Ensure that a changed key column shows in changed=. */
static void
test_update_key_changed(void **state)
{
	struct call	 c;

	(void)state;
	call_init(&c, TOKEN, "update", "acme", "users", "root@localhost", "1",
	    "id", "8", "id", "1", "login", "0", END);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_row("update", "id=8", "id", "root@localhost");
}

/* Ensure that an insert ignores flag pairs and says changed=-. */
static void
test_insert_ignores_flags(void **state)
{
	struct call	 c;

	(void)state;
	call_init(&c, TOKEN, "insert", "acme", "users", "root@localhost", "1",
	    "id", "7", "login", "1", END);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_row("insert", "id=7", "-", "root@localhost");
}

/* Ensure that an update with every flag false writes nothing, returns 0. */
static void
test_update_nothing_changed(void **state)
{
	struct call	 c;

	(void)state;
	call_init(&c, TOKEN, "update", "acme", "users", "root@localhost", "1",
	    "id", "7", "id", "0", "login", NULL, "password", "", END);
	assert_int_equal(log_call(&c), 0);
	call_free(&c);
	expect_log("");
}

/* Ensure that an update without flag pairs writes nothing, returns 0. */
static void
test_update_no_flags(void **state)
{
	struct call	 c;

	(void)state;
	call_init(&c, TOKEN, "update", "acme", "users", "root@localhost", "1",
	    "id", "7", END);
	assert_int_equal(log_call(&c), 0);
	call_free(&c);
	expect_log("");
}

/* Run an update whose only flag (for column "c") is n bytes at v. */
static long long
flag_call(const char *v, size_t n)
{
	struct call	 c;
	long long	 r;

	call_init(&c, TOKEN, "update", "acme", "users", "root@localhost", "1",
	    "id", "7", "c", "x", END);
	call_set(&c, 9, v, n);
	r = log_call(&c);
	call_free(&c);
	return r;
}

/* Ensure that a NULL flag means unchanged. */
static void
test_flag_null(void **state)
{
	(void)state;
	assert_int_equal(flag_call(NULL, 0), 0);
	expect_log("");
}

/* Ensure that an empty flag means unchanged. */
static void
test_flag_empty(void **state)
{
	(void)state;
	assert_int_equal(flag_call("", 0), 0);
	expect_log("");
}

/* Ensure that a flag "0" means unchanged. */
static void
test_flag_zero(void **state)
{
	(void)state;
	assert_int_equal(flag_call("0", 1), 0);
	expect_log("");
}

/* Ensure that other spellings of zero ("00", "0.0", "-0", "+0") too. */
static void
test_flag_zero_forms(void **state)
{
	(void)state;
	assert_int_equal(flag_call("00", 2), 0);
	assert_int_equal(flag_call("0.0", 3), 0);
	assert_int_equal(flag_call("-0", 2), 0);
	assert_int_equal(flag_call("+0", 2), 0);
	expect_log("");
}

/* Ensure that a flag "1" means changed. */
static void
test_flag_one(void **state)
{
	(void)state;
	assert_int_equal(flag_call("1", 1), 1);
	expect_row("update", "id=7", "c", "root@localhost");
}

/* Ensure that a flag "2" (any non-zero number) means changed. */
static void
test_flag_two(void **state)
{
	(void)state;
	assert_int_equal(flag_call("2", 1), 1);
	expect_row("update", "id=7", "c", "root@localhost");
}

/* Ensure that a flag "0" followed by a NUL byte means changed, not zero. */
static void
test_flag_binary(void **state)
{
	(void)state;
	assert_int_equal(flag_call("0\0", 2), 1);
	expect_row("update", "id=7", "c", "root@localhost");
}

/* Ensure that a composite key is written name=value, comma-separated. */
static void
test_composite_key(void **state)
{
	struct call	 c;

	(void)state;
	call_init(&c, TOKEN, "update", "acme", "users", "root@localhost", "2",
	    "org", "a,b=c", "id", "7", "org", "0", "id", "0", "login", "1",
	    END);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_row("update", "org=a%2Cb%3Dc,id=7", "login", "root@localhost");
}

/* Ensure that a NULL key value is written empty and the record kept. */
static void
test_null_key_value(void **state)
{
	struct call	 c;

	(void)state;
	call_init(&c, TOKEN, "delete", "acme", "users", "root@localhost", "2",
	    "id", NULL, "org", "x", END);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_row("delete", "id=,org=x", "-", "root@localhost");
}

/* Ensure that an empty key value is written as nothing (pk=id=). */
static void
test_empty_key_value(void **state)
{
	struct call	 c;

	(void)state;
	call_init(&c, TOKEN, "insert", "acme", "users", "root@localhost", "1",
	    "id", "", END);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_row("insert", "id=", "-", "root@localhost");
}

/* Ensure that NUL, newline and CR in a key are taken by length, encoded. */
static void
test_binary_key(void **state)
{
	struct call	 c;

	(void)state;
	call_classic(&c, TOKEN, "insert");
	call_set(&c, 7, S("a\0b\nc\rd"));
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_row("insert", "id=a%00b%0Ac%0Dd", "-", "root@localhost");
}

/* Ensure that record text in a key stays inside one encoded line. */
static void
test_forged_text_key(void **state)
{
	struct call	 c;

	(void)state;
	call_classic(&c, TOKEN, "update");
	call_set(&c, 7, S("7 ;\ndbsyscheck: op=delete table=acme.users "
	    "pk=id=1 changed=- src=trigger by=root@localhost ;"));
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_row("update", "id=7%20%3B%0Adbsyscheck:%20op%3Ddelete%20table"
	    "%3Dacme.users%20pk%3Did%3D1%20changed%3D-%20src%3Dtrigger%20by"
	    "%3Droot@localhost%20%3B", "password", "root@localhost");
}

/* Ensure that quotes, backslash, backquote, pipe and high bytes encode. */
static void
test_special_key(void **state)
{
	struct call	 c;

	(void)state;
	call_classic(&c, TOKEN, "insert");
	call_set(&c, 7, "x'\"\\`|\xff\xc3(", 9);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_row("insert", "id=x%27%22%5C%60%7C%FF%C3(", "-",
	    "root@localhost");
}

/* Run an insert whose only key value is v; expect pk=id=want. */
static void
check_key_cut(const char *v, size_t n, const char *want)
{
	struct call	 c;
	char		*pk;

	call_classic(&c, TOKEN, "insert");
	call_set(&c, 7, v, n);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	pk = fmt("id=%s", want);
	expect_row("insert", pk, "-", "root@localhost");
	free(pk);
}

/* Ensure that a 3000-byte key is cut to 1024 bytes, marker included. */
static void
test_key_cut(void **state)
{
	char	*v, *keep, *want;

	(void)state;
	v = repeat('a', 3000);
	keep = repeat('a', RECORD_PK_VALUE_MAX - 4);
	want = fmt("%s%%...", keep);
	assert_int_equal(strlen(want), RECORD_PK_VALUE_MAX);
	check_key_cut(v, 3000, want);
	free(v);
	free(keep);
	free(want);
}

/* Ensure that a cut key of escapes keeps whole escapes up to the cap. */
static void
test_key_cut_escapes(void **state)
{
	char	*v, *enc, *want;

	(void)state;
	v = repeat('\n', 3000);
	enc = repeats("%0A", 340);
	want = fmt("%s%%...", enc);
	assert_int_equal(strlen(want), RECORD_PK_VALUE_MAX);
	check_key_cut(v, 3000, want);
	free(v);
	free(enc);
	free(want);
}

/* Ensure that a key is never cut inside a %XX escape. */
static void
test_key_cut_no_split(void **state)
{
	char	*v, *enc, *want;

	(void)state;
	v = repeat('\n', 3000);
	v[0] = 'a';
	enc = repeats("%0A", 339);
	want = fmt("a%s%%...", enc);
	assert_int_equal(strlen(want), RECORD_PK_VALUE_MAX - 2);
	check_key_cut(v, 3000, want);
	free(v);
	free(enc);
	free(want);
}

/* Ensure that a key of exactly 1024 encoded bytes is not cut. */
static void
test_key_at_cap(void **state)
{
	char	*v;

	(void)state;
	v = repeat('k', RECORD_PK_VALUE_MAX);
	check_key_cut(v, RECORD_PK_VALUE_MAX, v);
	free(v);
}

/* Ensure that the whole pk= field is cut at 1536 bytes with %.... */
static void
test_pk_cut(void **state)
{
	struct call	 c;
	char		*a, *b, *ca, *cb, *pk;

	(void)state;
	a = repeat('a', 3000);
	b = repeat('b', 3000);
	call_init(&c, TOKEN, "delete", "acme", "users", "root@localhost", "2",
	    "a", "", "b", "", END);
	call_set(&c, 7, a, 3000);
	call_set(&c, 9, b, 3000);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	ca = repeat('a', RECORD_PK_VALUE_MAX - 4);
	cb = repeat('b', RECORD_PK_MAX - 4 - (2 + RECORD_PK_VALUE_MAX + 3));
	pk = fmt("a=%s%%...,b=%s%%...", ca, cb);
	assert_int_equal(strlen(pk), RECORD_PK_MAX);
	expect_row("delete", pk, "-", "root@localhost");
	free(a);
	free(b);
	free(ca);
	free(cb);
	free(pk);
}

/* Ensure that the changed= list is cut at 1024 bytes with %.... */
static void
test_changed_cut(void **state)
{
	struct call	 c;
	char		*name, *want, *p;
	unsigned int	 i;

	(void)state;
	call_init(&c, TOKEN, "update", "acme", "users", "root@localhost", "1",
	    "id", "7", END);
	name = repeat('n', 99);
	for (i = 0; i < 20; i++) {
		name[0] = (char)('A' + i);
		call_set(&c, 8 + 2 * i, name, 99);
		call_set(&c, 9 + 2 * i, "1", 1);
	}
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	/* 10 names and commas are 1000 bytes; 20 bytes of the 11th fit. */
	want = xmem(RECORD_LIST_MAX + 1);
	for (i = 0, p = want; i < 10; i++, p += 100) {
		memset(p, 'n', 99);
		p[0] = (char)('A' + i);
		p[99] = ',';
	}
	memset(p, 'n', RECORD_LIST_MAX - 4 - 1000);
	p[0] = 'K';
	memcpy(want + RECORD_LIST_MAX - 4, "%...", 5);
	expect_row("update", "id=7", want, "root@localhost");
	free(name);
	free(want);
}

/* Ensure that column names in changed= are percent-encoded. */
static void
test_changed_encoded(void **state)
{
	struct call	 c;

	(void)state;
	call_init(&c, TOKEN, "update", "acme", "users", "root@localhost", "1",
	    "id", "7", "a,b c", "1", END);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_row("update", "id=7", "a%2Cb%20c", "root@localhost");
}

/*
 * Ensure that a changed column named "-" is written %2D, as the scanner's
 * record_name() writes it, so that it never reads as changed=- (none).
 */
static void
test_changed_dash(void **state)
{
	struct call	 c;

	(void)state;
	call_init(&c, TOKEN, "update", "acme", "users", "root@localhost", "1",
	    "id", "7", "-", "1", END);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_row("update", "id=7", "%2D", "root@localhost");
}

/* Ensure that a key column named "-" is written %2D, as the scanner does. */
static void
test_key_name_dash(void **state)
{
	struct call	 c;

	(void)state;
	call_init(&c, TOKEN, "insert", "acme", "users", "root@localhost", "1",
	    "-", "7", END);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_row("insert", "%2D=7", "-", "root@localhost");
}

/* Ensure that a flagged column with an empty or NULL name is left out. */
static void
test_changed_empty_name(void **state)
{
	struct call	 c;

	(void)state;
	call_init(&c, TOKEN, "update", "acme", "users", "root@localhost", "1",
	    "id", "7", "", "1", NULL, "1", "login", "1", END);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_row("update", "id=7", "login", "root@localhost");
}

/* Ensure that flags only on columns without a name write nothing. */
static void
test_changed_only_empty_names(void **state)
{
	struct call	 c;

	(void)state;
	call_init(&c, TOKEN, "update", "acme", "users", "root@localhost", "1",
	    "id", "7", "", "1", END);
	assert_int_equal(log_call(&c), 0);
	call_free(&c);
	expect_log("");
}

/* Ensure that '.' in database and table names is encoded (%2E). */
static void
test_table_dots(void **state)
{
	struct call	 c;

	(void)state;
	call_init(&c, TOKEN, "insert", "my.db", "t.x", "root@localhost", "1",
	    "id", "7", END);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_log("dbsyscheck: op=insert table=my%2Edb.t%2Ex pk=id=7 "
	    "changed=- src=trigger by=root@localhost ;\n");
}

/* Ensure that a huge table name is cut at 1160 bytes with %.... */
static void
test_table_cut(void **state)
{
	struct call	 c;
	char		*t, *want, *cut;

	(void)state;
	t = repeat('T', 2000);
	call_init(&c, TOKEN, "insert", "acme", "", "root@localhost", "1",
	    "id", "7", END);
	call_set(&c, 3, t, 2000);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	cut = repeat('T', UDF_TABLE_MAX - 4 - 5);
	want = fmt("dbsyscheck: op=insert "
	    "table=acme.%s%%... pk=id=7 changed=- src=trigger "
	    "by=root@localhost ;\n", cut);
	expect_log(want);
	free(t);
	free(cut);
	free(want);
}

/* Ensure that NULL database and table names do not stop the record. */
static void
test_table_null(void **state)
{
	struct call	 c;

	(void)state;
	call_init(&c, TOKEN, "insert", NULL, NULL, "root@localhost", "1",
	    "id", "7", END);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_log("dbsyscheck: op=insert table=. pk=id=7 changed=- "
	    "src=trigger by=root@localhost ;\n");
}

/* Ensure that a NULL account is written by=-. */
static void
test_by_null(void **state)
{
	struct call	 c;

	(void)state;
	call_classic(&c, TOKEN, "insert");
	call_set(&c, 4, NULL, 0);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_row("insert", "id=7", "-", "-");
}

/* Ensure that an account that is exactly "-" is written %2D. */
static void
test_by_dash(void **state)
{
	struct call	 c;

	(void)state;
	call_classic(&c, TOKEN, "insert");
	call_set(&c, 4, "-", 1);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_row("insert", "id=7", "-", "%2D");
}

/* Ensure that an account is percent-encoded. */
static void
test_by_encoded(void **state)
{
	struct call	 c;

	(void)state;
	call_classic(&c, TOKEN, "insert");
	call_set(&c, 4, "o'b ;@%", 7);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	expect_row("insert", "id=7", "-", "o%27b%20%3B@%25");
}

/* Ensure that a huge account is cut at 256 bytes with %.... */
static void
test_by_cut(void **state)
{
	struct call	 c;
	char		*u, *want;

	(void)state;
	u = repeat('u', 300);
	call_classic(&c, TOKEN, "insert");
	call_set(&c, 4, u, 300);
	assert_int_equal(log_call(&c), 1);
	call_free(&c);
	u[UDF_BY_MAX - 4] = '\0';
	want = fmt("%s%%...", u);
	expect_row("insert", "id=7", "-", want);
	free(u);
	free(want);
}

/* Run a call with the right token and expect one op=error record. */
static void
check_malformed(struct call *c, const char *want)
{
	assert_int_equal(log_call(c), 0);
	call_free(c);
	expect_log(want);
}

/* Ensure that an unknown op writes an op=error record, no row record. */
static void
test_bad_op(void **state)
{
	struct call	 c;

	(void)state;
	call_classic(&c, TOKEN, "insert");
	call_set(&c, 1, "merge", 5);
	check_malformed(&c, MALFORMED_OP);
}

/* Ensure that a NULL op is malformed. */
static void
test_null_op(void **state)
{
	struct call	 c;

	(void)state;
	call_classic(&c, TOKEN, "insert");
	call_set(&c, 1, NULL, 0);
	check_malformed(&c, MALFORMED_OP);
}

/* Ensure that op is compared exactly: case and length count. */
static void
test_op_exact(void **state)
{
	struct call	 c;

	(void)state;
	call_classic(&c, TOKEN, "insert");
	call_set(&c, 1, "UPDATE", 6);
	check_malformed(&c, MALFORMED_OP);
	call_classic(&c, TOKEN, "insert");
	call_set(&c, 1, "inser", 5);
	check_malformed(&c, MALFORMED_OP);
	call_classic(&c, TOKEN, "insert");
	call_set(&c, 1, "insert\0", 7);
	check_malformed(&c, MALFORMED_OP);
}

/* Ensure that a key count of 0 is malformed. */
static void
test_nkey_zero(void **state)
{
	struct call	 c;

	(void)state;
	call_classic(&c, TOKEN, "insert");
	call_set(&c, 5, "0", 1);
	check_malformed(&c, MALFORMED_KEY);
}

/* Ensure that a key count that is NULL, empty or not a number is bad. */
static void
test_nkey_not_number(void **state)
{
	struct call	 c;

	(void)state;
	call_classic(&c, TOKEN, "insert");
	call_set(&c, 5, NULL, 0);
	check_malformed(&c, MALFORMED_KEY);
	call_classic(&c, TOKEN, "insert");
	call_set(&c, 5, "", 0);
	check_malformed(&c, MALFORMED_KEY);
	call_classic(&c, TOKEN, "insert");
	call_set(&c, 5, "1x", 2);
	check_malformed(&c, MALFORMED_KEY);
	call_classic(&c, TOKEN, "insert");
	call_set(&c, 5, "-1", 2);
	check_malformed(&c, MALFORMED_KEY);
}

/* Ensure that a key count of more than six digits is malformed. */
static void
test_nkey_long(void **state)
{
	struct call	 c;

	(void)state;
	call_classic(&c, TOKEN, "insert");
	call_set(&c, 5, "0000001", 7);
	check_malformed(&c, MALFORMED_KEY);
}

/* Ensure that more keys than argument pairs is malformed. */
static void
test_nkey_too_big(void **state)
{
	struct call	 c;

	(void)state;
	call_classic(&c, TOKEN, "insert");
	call_set(&c, 5, "2", 1);
	check_malformed(&c, MALFORMED_KEY);
}

/* Ensure that a dangling column name without its flag is malformed. */
static void
test_odd_args(void **state)
{
	struct call	 c;

	(void)state;
	call_classic(&c, TOKEN, "update");
	call_set(&c, c.args.arg_count, "extra", 5);
	check_malformed(&c, MALFORMED_KEY);
}

/*
 * Forged calls. The bucket admits 10 at once and one every 100 ms: each
 * single test waits 110 ms first so that its record is admitted whatever
 * ran before, and nothing refused is pending (the burst test reports its
 * own).
 */
static void
check_forged(const void *token, size_t n)
{
	struct call	 c;

	sleep_ms(110);
	call_classic(&c, TOKEN, "update");
	call_set(&c, 0, token, n);
	assert_int_equal(log_call(&c), 0);
	call_free(&c);
	expect_log(FORGED);
}

/* Ensure that a wrong token of the right length writes op=forged only. */
static void
test_token_wrong(void **state)
{
	char	 t[] = TOKEN;

	(void)state;
	t[UDF_TOKEN_LEN - 1] = 'e';
	check_forged(t, UDF_TOKEN_LEN);
}

/* Ensure that the right token less its last character is forged. */
static void
test_token_short(void **state)
{
	(void)state;
	check_forged(TOKEN, UDF_TOKEN_LEN - 1);
}

/* Ensure that the right token with one more character is forged. */
static void
test_token_long(void **state)
{
	(void)state;
	check_forged(TOKEN "0", UDF_TOKEN_LEN + 1);
}

/* Ensure that a NULL token is forged. */
static void
test_token_null(void **state)
{
	(void)state;
	check_forged(NULL, 0);
}

/* Ensure that an empty token is forged. */
static void
test_token_empty(void **state)
{
	(void)state;
	check_forged("", 0);
}

/* Ensure that the token is compared as bytes: upper case is forged. */
static void
test_token_upper(void **state)
{
	(void)state;
	check_forged("0123456789ABCDEF0123456789abcdef"
	    "0123456789abcdef0123456789abcdef", UDF_TOKEN_LEN);
}

/* Ensure that a forged record names what the caller claimed, encoded. */
static void
test_forged_claims(void **state)
{
	struct call	 c;

	(void)state;
	sleep_ms(110);
	call_init(&c, "nope", "delete", "a.b", "c\n", NULL, "1", "id", "7",
	    END);
	assert_int_equal(log_call(&c), 0);
	call_free(&c);
	expect_log("dbsyscheck: op=forged table=a%2Eb.c%0A by=- "
	    "src=trigger ;\n");
}

/* Parse " suppressed=N ;\n" at the end of a forged line; -1 when absent. */
static long long
suppressed_of(const char *line, size_t len)
{
	static const char	 pre[] = "dbsyscheck: op=forged "
	    "table=acme.users by=root@localhost src=trigger suppressed=";
	char			*end;
	long long		 n;

	if (len == strlen(FORGED) && memcmp(line, FORGED, len) == 0)
		return -1;
	assert_true(len > sizeof pre - 1 + 3);
	assert_memory_equal(line, pre, sizeof pre - 1);
	n = strtoll(line + sizeof pre - 1, &end, 10);
	assert_true(n > 0);
	assert_int_equal(end - line, (long)len - 3);
	assert_memory_equal(end, " ;\n", 3);
	return n;
}

/*
 * Ensure that a burst of 100 forged calls writes 10 records (plus one
 * per 100 ms the burst took), and that the next admitted record carries
 * suppressed= with every refused call counted exactly once.
 */
static void
test_forged_burst(void **state)
{
	struct call	 c;
	struct timespec	 t0, t1;
	char		*got, *p, *nl, *want;
	size_t		 len, lines = 0;
	long long	 s, cut = 0;
	long		 ms;
	int		 i;

	(void)state;
	sleep_ms(1050);		/* a full bucket */
	call_classic(&c, "wrong", "update");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 100; i++)
		assert_int_equal(log_call(&c), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = elapsed_ms(&t0, &t1);
	got = log_new(&len);
	for (p = got; p < got + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(got + len - p));
		assert_non_null(nl);
		s = suppressed_of(p, (size_t)(nl - p + 1));
		if (lines < UDF_FORGED_BURST)
			assert_int_equal(s, -1);
		if (s > 0)
			cut += s;
		lines++;
	}
	free(got);
	assert_true(lines >= UDF_FORGED_BURST);
	assert_true(lines <= UDF_FORGED_BURST + 1 +
	    (size_t)(ms * UDF_FORGED_RATE / 1000));
	print_message("burst of 100 in %ld ms: %zu lines\n", ms, lines);

	sleep_ms(110);
	assert_int_equal(log_call(&c), 0);
	call_free(&c);
	want = fmt("dbsyscheck: op=forged "
	    "table=acme.users by=root@localhost src=trigger suppressed=%lld "
	    ";\n", 100 - (long long)lines - cut);
	expect_log(want);
	free(want);
	assert_int_equal(udf_forged_pending(), 0);
}

/* Ensure that no guess passes when no token was loaded, zero bytes neither. */
static void
test_token_ok_unloaded(void **state)
{
	struct udf_env	 e;
	char		 zero[UDF_TOKEN_LEN];

	(void)state;
	memset(&e, 0, sizeof e);
	memset(zero, 0, sizeof zero);
	assert_int_equal(udf_token_ok(&e, zero, sizeof zero), 0);
	e.token_ok = 1;
	assert_int_equal(udf_token_ok(&e, zero, sizeof zero), 1);
	assert_int_equal(udf_token_ok(&e, NULL, sizeof zero), 0);
	assert_int_equal(udf_token_ok(&e, NULL, 0), 0);
}

/* Ensure that log_error writes plain text as it is, one line, no prefix. */
static void
test_le_plain(void **state)
{
	(void)state;
	log_error_bytes(S("dbsyscheck: op=delete pk=id=1 ;"));
	expect_le("dbsyscheck: op=delete pk=id=1 ;\n");
}

/* Ensure that log_error writes a backslash as \\. */
static void
test_le_backslash(void **state)
{
	(void)state;
	log_error_bytes("a\\b\\", 4);
	expect_le("a\\\\b\\\\\n");
}

/* Ensure that log_error writes newline, CR and tab as \n, \r, \t. */
static void
test_le_newline_cr_tab(void **state)
{
	(void)state;
	log_error_bytes("a\nb\rc\td", 7);
	expect_le("a\\nb\\rc\\td\n");
}

/* Ensure that a newline cannot start a second (forged) line. */
static void
test_le_forged_line(void **state)
{
	(void)state;
	log_error_bytes(S("x\ndbsyscheck: op=delete ;"));
	expect_le("x\\ndbsyscheck: op=delete ;\n");
}

/* Ensure that every other control byte is written \xHH in lower case. */
static void
test_le_controls(void **state)
{
	unsigned char	 in[0x20 - 3];
	struct buf	 want;
	unsigned int	 b, i = 0;

	(void)state;
	buf_init(&want, BUF_NOCAP);
	for (b = 0; b < 0x20; b++) {
		if (b == '\n' || b == '\r' || b == '\t')
			continue;
		in[i++] = (unsigned char)b;
		assert_int_equal(buf_printf(&want, "\\x%02x", b), 0);
	}
	assert_int_equal(buf_addc(&want, '\n'), 0);
	log_error_bytes(in, sizeof in);
	expect_le(buf_str(&want));
	assert_true(strstr(buf_str(&want), "\\x00\\x01") == buf_str(&want));
	assert_non_null(strstr(buf_str(&want), "\\x1b\\x1c"));
	buf_free(&want);
}

/* Ensure that DEL (0x7F) is written \x7f. */
static void
test_le_del(void **state)
{
	(void)state;
	log_error_bytes("a\x7f" "b", 3);
	expect_le("a\\x7fb\n");
}

/* Ensure that bytes from 0x80 up are written \xHH, like controls. */
static void
test_le_high(void **state)
{
	(void)state;
	log_error_bytes("\x80\xc3\xa9\xfe\xff~", 6);
	expect_le("\\x80\\xc3\\xa9\\xfe\\xff~\n");
}

/* Ensure that a NULL argument writes NULL. */
static void
test_le_null(void **state)
{
	(void)state;
	log_error_bytes(NULL, 0);
	expect_le("NULL\n");
}

/* Ensure that an empty argument writes an empty line. */
static void
test_le_empty(void **state)
{
	(void)state;
	log_error_bytes("", 0);
	expect_le("\n");
}

/* log_error of n copies of c then tail; expect keep copies and a marker. */
static void
check_le_cut(size_t n, const char *tail, size_t keep, const char *end)
{
	char	*in, *want;
	size_t	 tlen = strlen(tail), elen = strlen(end);

	in = xmem(n + tlen);
	memset(in, 'a', n);
	memcpy(in + n, tail, tlen);
	log_error_bytes(in, n + tlen);
	want = xmem(keep + elen + 2);
	memset(want, 'a', keep);
	memcpy(want + keep, end, elen);
	memcpy(want + keep + elen, "\n", 2);
	expect_le_bytes(want, keep + elen + 1);
	free(in);
	free(want);
}

/* Ensure that 9000 bytes are cut at 8192 and marked " [truncated]". */
static void
test_le_cut(void **state)
{
	(void)state;
	check_le_cut(9000, "", LOG_ERROR_MAX, LOG_ERROR_CUT);
}

/* Ensure that exactly 8192 bytes are written whole, unmarked. */
static void
test_le_at_cap(void **state)
{
	(void)state;
	check_le_cut(LOG_ERROR_MAX, "", LOG_ERROR_MAX, "");
}

/* Ensure that an escape that would cross 8192 is dropped whole. */
static void
test_le_cut_escape(void **state)
{
	(void)state;
	check_le_cut(LOG_ERROR_MAX - 1, "\n", LOG_ERROR_MAX - 1,
	    LOG_ERROR_CUT);
	check_le_cut(LOG_ERROR_MAX - 3, "\x01", LOG_ERROR_MAX - 3,
	    LOG_ERROR_CUT);
}

/* Ensure that an escape ending exactly at 8192 is kept, unmarked. */
static void
test_le_escape_at_cap(void **state)
{
	(void)state;
	check_le_cut(LOG_ERROR_MAX - 4, "\x01", LOG_ERROR_MAX - 4, "\\x01");
}

/* Ensure that log_error returns "" of length 0, never NULL. */
static void
test_le_result(void **state)
{
	struct call	 c;

	(void)state;
	call_init(&c, "x", END);
	log_error_call(&c);	/* checks result, length, is_null, error */
	call_free(&c);
	expect_le("x\n");
}

/* Ensure that a line longer than the stack buffer is written whole. */
static void
test_write_heap(void **state)
{
	char	*text, *want;

	(void)state;
	text = repeat('h', 5000);
	assert_int_equal(udf_write(udf_env(), text, 5000, UDF_RECORD), 0);
	want = fmt("dbsyscheck: %s\n", text);
	expect_log(want);
	free(text);
	free(want);
}

/* Ensure that the longest line is written, one byte more refused. */
static void
test_write_max(void **state)
{
	char	*text;

	(void)state;
	text = repeat('m', UDF_LINE_MAX + 1);
	assert_int_equal(udf_write(udf_env(), text, UDF_LINE_MAX + 1, 0), -1);
	expect_log("");
	assert_int_equal(udf_write(udf_env(), text, UDF_LINE_MAX, 0), 0);
	text[UDF_LINE_MAX] = '\n';
	expect_log_bytes(text, UDF_LINE_MAX + 1);
	free(text);
}

/* Ensure that a timestamp is ISO-8601 UTC and a space, before the prefix. */
static void
test_write_timestamp(void **state)
{
	struct udf_env	 e;
	struct tm	 tm;
	time_t		 t0, t1;
	char		*got, *end;
	size_t		 len;

	(void)state;
	memset(&e, 0, sizeof e);
	e.log_path = log_path;
	e.timestamp = 1;
	t0 = time(NULL);
	assert_int_equal(udf_write(&e, "op=x ;", 6, UDF_RECORD), 0);
	t1 = time(NULL);
	got = log_new(&len);
	assert_int_equal(len, 21 + strlen("dbsyscheck: op=x ;\n"));
	memset(&tm, 0, sizeof tm);
	end = strptime(got, "%Y-%m-%dT%H:%M:%SZ ", &tm);
	assert_ptr_equal(end, got + 21);
	assert_true(timegm(&tm) >= t0 && timegm(&tm) <= t1);
	assert_string_equal(end, "dbsyscheck: op=x ;\n");
	free(got);
}

/* Ensure that a log file that cannot be opened loses the line, loudly. */
static void
test_write_fallback(void **state)
{
	struct udf_env	 e;
	char		 bad[PATH_MAX], errpath[PATH_MAX], *got, *want;
	off_t		 seen = 0;
	size_t		 len;
	int		 saved, r;

	(void)state;
	path_in_dir(bad, "no/such.log");
	path_in_dir(errpath, "stderr");
	memset(&e, 0, sizeof e);
	e.log_path = bad;
	saved = stderr_to(errpath);
	r = udf_write(&e, "op=x ;", 6, UDF_RECORD);
	stderr_restore(saved);
	assert_int_equal(r, -1);
	got = file_new(errpath, &seen, &len);
	want = fmt(UDF_LOST "%s: No such file or directory\n", bad);
	assert_string_equal(got, want);
	free(want);
	free(got);
	expect_log("");
}

/*
 * Ensure that the open trigger log follows the path: after a rotation
 * (rename, then a new file), a removal, or a replacement by a link or a
 * FIFO, no line goes to the old file; a link or FIFO loses the line
 * loudly, without blocking.
 */
static void
test_write_follows_path(void **state)
{
	struct udf_env	 e;
	char		 lpath[PATH_MAX], old[PATH_MAX], errpath[PATH_MAX];
	char		*got, *want;
	off_t		 seen, eseen = 0;
	size_t		 len;
	int		 saved, r;

	(void)state;
	path_in_dir(lpath, "rot.log");
	path_in_dir(old, "rot.log.1");
	path_in_dir(errpath, "stderr");
	memset(&e, 0, sizeof e);
	e.log_path = lpath;
	assert_int_equal(udf_write(&e, "one", 3, 0), 0);

	/* Rotated: renamed, and a new file created by logrotate. */
	assert_int_equal(rename(lpath, old), 0);
	write_file(lpath, "", 0, 0640);
	assert_int_equal(udf_write(&e, "two", 3, 0), 0);
	seen = 0;
	got = file_new(old, &seen, &len);
	assert_string_equal(got, "one\n");
	free(got);
	seen = 0;
	got = file_new(lpath, &seen, &len);
	assert_string_equal(got, "two\n");
	free(got);

	/* Removed: created again. */
	assert_int_equal(unlink(lpath), 0);
	assert_int_equal(udf_write(&e, "three", 5, 0), 0);
	seen = 0;
	got = file_new(lpath, &seen, &len);
	assert_string_equal(got, "three\n");
	free(got);

	/* Replaced by a link to the old file: lost, the old file untouched. */
	assert_int_equal(unlink(lpath), 0);
	assert_int_equal(symlink(old, lpath), 0);
	saved = stderr_to(errpath);
	r = udf_write(&e, "four", 4, 0);
	stderr_restore(saved);
	assert_int_equal(r, -1);
	got = file_new(errpath, &eseen, &len);
	want = fmt(UDF_LOST "%s: %s\n", lpath, strerror(ELOOP));
	assert_string_equal(got, want);
	free(want);
	free(got);
	seen = 0;
	got = file_new(old, &seen, &len);
	assert_string_equal(got, "one\n");
	free(got);

	/* Replaced by a FIFO nobody reads: lost at once. */
	assert_int_equal(unlink(lpath), 0);
	assert_int_equal(mkfifo(lpath, 0640), 0);
	saved = stderr_to(errpath);
	r = udf_write(&e, "five", 4, 0);
	stderr_restore(saved);
	assert_int_equal(r, -1);
	eseen = 0;
	got = file_new(errpath, &eseen, &len);
	/* open(2) of a FIFO without a reader, O_NONBLOCK: ENXIO. */
	want = fmt(UDF_LOST "%s: %s\n", lpath, strerror(ENXIO));
	assert_string_equal(got, want);
	free(want);
	free(got);
	assert_int_equal(unlink(lpath), 0);
	assert_int_equal(unlink(old), 0);
}

/* Ensure that a symbolic link as log file is not followed. */
static void
test_write_symlink(void **state)
{
	struct udf_env	 e;
	char		 target[PATH_MAX], lpath[PATH_MAX];
	char		 errpath[PATH_MAX], *got, *want;
	off_t		 seen = 0;
	size_t		 len;
	int		 saved, r;

	(void)state;
	path_in_dir(target, "target.log");
	path_in_dir(lpath, "link.log");
	path_in_dir(errpath, "stderr");
	write_file(target, "", 0, 0640);
	assert_int_equal(symlink(target, lpath), 0);
	memset(&e, 0, sizeof e);
	e.log_path = lpath;
	saved = stderr_to(errpath);
	r = udf_write(&e, "hello", 5, 0);
	stderr_restore(saved);
	assert_int_equal(r, -1);
	got = file_new(errpath, &seen, &len);
	want = fmt(UDF_LOST "%s: %s\n", lpath, strerror(ELOOP));
	assert_string_equal(got, want);
	free(want);
	free(got);
	seen = 0;
	got = file_new(target, &seen, &len);
	assert_int_equal(len, 0);
	free(got);
}

/*
 * Ensure that dbsyscheck_chunk_init refuses a call without columns, a
 * varlen argument that is not a constant, not one flag per column, or not
 * made of 0 and 1, each with a message; and makes every column a string.
 */
static void
test_chunk_init(void **state)
{
	static const char *const bad[] = { "0", "012", "0x", "00 " };
	struct call	 c;
	UDF_INIT	 init;
	char		 msg[MYSQL_ERRMSG_SIZE];
	size_t		 i;

	(void)state;
	call_init(&c, "0", END);
	c.types[0] = STRING_RESULT;
	assert_true(dbsyscheck_chunk_init(&init, &c.args, msg));
	assert_non_null(strstr(msg, "1 to 4096 columns"));
	call_free(&c);
	call_init(&c, NULL, "a", END);
	c.types[0] = STRING_RESULT;
	assert_true(dbsyscheck_chunk_init(&init, &c.args, msg));
	assert_non_null(strstr(msg, "constant"));
	call_free(&c);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		call_init(&c, bad[i], "a", "b", END);
		c.types[0] = STRING_RESULT;
		assert_true(dbsyscheck_chunk_init(&init, &c.args, msg));
		assert_true(strncmp(msg, "dbsyscheck_chunk", 16) == 0);
		call_free(&c);
	}
	call_init(&c, "01", "a", "b", END);
	c.types[0] = INT_RESULT;
	assert_true(dbsyscheck_chunk_init(&init, &c.args, msg));
	c.types[0] = STRING_RESULT;
	memset(&init, 0, sizeof init);
	assert_false(dbsyscheck_chunk_init(&init, &c.args, msg));
	assert_int_equal(c.types[1], STRING_RESULT);
	assert_int_equal(c.types[2], STRING_RESULT);
	dbsyscheck_chunk_deinit(&init);
	assert_null(init.ptr);
	call_free(&c);
	expect_log("");
}

#define HASH_11	5748892369479747538LL	/* SHA-256("11"), 8 bytes */

/*
 * Ensure that the aggregate is the XOR of the first 8 bytes of the SHA-256
 * of each row's text, as SQL's CONCAT_WS builds it (values from Python's
 * hashlib): row (1, NULL, 'a#b') with varlen 011 is "010#3#1#a#b", row
 * (NULL, NULL) with varlen 00 is "11"; no row gives 0; clear starts over.
 */
static void
test_chunk_aggregate(void **state)
{
	struct call	 c;
	UDF_INIT	 init;
	char		 msg[MYSQL_ERRMSG_SIZE], is_null = 0, error = 0;

	(void)state;
	call_init(&c, "011", "1", NULL, "a#b", END);
	c.types[0] = STRING_RESULT;
	memset(&init, 0, sizeof init);
	assert_false(dbsyscheck_chunk_init(&init, &c.args, msg));
	dbsyscheck_chunk_clear(&init, &is_null, &error);
	assert_int_equal(dbsyscheck_chunk(&init, &c.args, &is_null, &error),
	    0);
	dbsyscheck_chunk_add(&init, &c.args, &is_null, &error);
	assert_int_equal(dbsyscheck_chunk(&init, &c.args, &is_null, &error),
	    (long long)8594069700856067311ULL);
	dbsyscheck_chunk_clear(&init, &is_null, &error);
	dbsyscheck_chunk_add(&init, &c.args, &is_null, &error);
	/* The same row twice cancels out: XOR. */
	dbsyscheck_chunk_add(&init, &c.args, &is_null, &error);
	assert_int_equal(dbsyscheck_chunk(&init, &c.args, &is_null, &error),
	    0);
	dbsyscheck_chunk_add(&init, &c.args, &is_null, &error);
	dbsyscheck_chunk_deinit(&init);
	call_free(&c);

	call_init(&c, "00", NULL, NULL, END);
	c.types[0] = STRING_RESULT;
	memset(&init, 0, sizeof init);
	assert_false(dbsyscheck_chunk_init(&init, &c.args, msg));
	dbsyscheck_chunk_clear(&init, &is_null, &error);
	dbsyscheck_chunk_add(&init, &c.args, &is_null, &error);
	assert_int_equal(dbsyscheck_chunk(&init, &c.args, &is_null, &error),
	    HASH_11);
	call_set(&c, 3, "a#b", 3);
	/* A call with another number of arguments is an error. */
	dbsyscheck_chunk_add(&init, &c.args, &is_null, &error);
	assert_int_equal(error, 1);
	assert_int_equal(is_null, 0);
	call_free(&c);
	dbsyscheck_chunk_deinit(&init);
	expect_log("");
}

/*
 * Ensure that two rows give the XOR of their hashes: "010#3#1#a#b" and
 * (three NULLs) "111" give 81a4e53ea238a0b5, a negative BIGINT.
 */
static void
test_chunk_two_rows(void **state)
{
	struct call	 a, b;
	UDF_INIT	 init;
	char		 msg[MYSQL_ERRMSG_SIZE], is_null = 0, error = 0;

	(void)state;
	call_init(&a, "011", "1", NULL, "a#b", END);
	call_init(&b, "011", NULL, NULL, NULL, END);
	a.types[0] = STRING_RESULT;
	memset(&init, 0, sizeof init);
	assert_false(dbsyscheck_chunk_init(&init, &a.args, msg));
	dbsyscheck_chunk_clear(&init, &is_null, &error);
	dbsyscheck_chunk_add(&init, &a.args, &is_null, &error);
	dbsyscheck_chunk_add(&init, &b.args, &is_null, &error);
	assert_int_equal(dbsyscheck_chunk(&init, &a.args, &is_null, &error),
	    -9104900489463947083LL);
	dbsyscheck_chunk_deinit(&init);
	call_free(&a);
	call_free(&b);
	expect_log("");
}

int
main(void)
{
	const struct CMUnitTest env_tests[] = {
		cmocka_unit_test(test_env_token_newline),
		cmocka_unit_test(test_env_token_no_newline),
		cmocka_unit_test(test_env_token_world_readable),
		cmocka_unit_test(test_env_token_group_writable),
		cmocka_unit_test(test_env_token_short),
		cmocka_unit_test(test_env_token_upper),
		cmocka_unit_test(test_env_token_trailing),
		cmocka_unit_test(test_env_token_empty_file),
		cmocka_unit_test(test_env_token_missing),
		cmocka_unit_test(test_env_token_symlink),
		cmocka_unit_test(test_env_token_directory),
		cmocka_unit_test(test_env_token_owner),
		cmocka_unit_test(test_env_token_fifo),
		cmocka_unit_test(test_env_token_relative),
		cmocka_unit_test(test_env_log_relative),
		cmocka_unit_test(test_env_log_unset),
		cmocka_unit_test(test_env_log_unopenable),
		cmocka_unit_test(test_env_timestamp),
		cmocka_unit_test(test_env_timestamp_other),
	};
#define T(f)	cmocka_unit_test_setup(f, log_sync)
	const struct CMUnitTest main_tests[] = {
		T(test_env_loaded),
		T(test_init_too_few),
		T(test_chunk_init),
		T(test_chunk_aggregate),
		T(test_chunk_two_rows),
		T(test_init_types),
		T(test_call_too_few),
		T(test_init_error_cut),
		T(test_init_error_short),
		T(test_log_error_init_count),
		T(test_insert),
		T(test_update),
		T(test_delete),
		T(test_log_mode),
		T(test_update_several),
		T(test_update_key_changed),
		T(test_insert_ignores_flags),
		T(test_update_nothing_changed),
		T(test_update_no_flags),
		T(test_flag_null),
		T(test_flag_empty),
		T(test_flag_zero),
		T(test_flag_zero_forms),
		T(test_flag_one),
		T(test_flag_two),
		T(test_flag_binary),
		T(test_composite_key),
		T(test_null_key_value),
		T(test_empty_key_value),
		T(test_binary_key),
		T(test_forged_text_key),
		T(test_special_key),
		T(test_key_cut),
		T(test_key_cut_escapes),
		T(test_key_cut_no_split),
		T(test_key_at_cap),
		T(test_pk_cut),
		T(test_changed_cut),
		T(test_changed_encoded),
		T(test_changed_dash),
		T(test_changed_empty_name),
		T(test_changed_only_empty_names),
		T(test_key_name_dash),
		T(test_table_dots),
		T(test_table_cut),
		T(test_table_null),
		T(test_by_null),
		T(test_by_dash),
		T(test_by_encoded),
		T(test_by_cut),
		T(test_bad_op),
		T(test_null_op),
		T(test_op_exact),
		T(test_nkey_zero),
		T(test_nkey_not_number),
		T(test_nkey_long),
		T(test_nkey_too_big),
		T(test_odd_args),
		T(test_token_wrong),
		T(test_token_short),
		T(test_token_long),
		T(test_token_null),
		T(test_token_empty),
		T(test_token_upper),
		T(test_forged_claims),
		T(test_forged_burst),
		T(test_token_ok_unloaded),
		T(test_le_plain),
		T(test_le_backslash),
		T(test_le_newline_cr_tab),
		T(test_le_forged_line),
		T(test_le_controls),
		T(test_le_del),
		T(test_le_high),
		T(test_le_null),
		T(test_le_empty),
		T(test_le_cut),
		T(test_le_at_cap),
		T(test_le_cut_escape),
		T(test_le_escape_at_cap),
		T(test_le_result),
		T(test_write_heap),
		T(test_write_max),
		T(test_write_timestamp),
		T(test_write_fallback),
		T(test_write_symlink),
		T(test_write_follows_path),
	};
#undef T
	int	 failed;

	umask(022);
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	path_in_dir(token_path, "trigger.token");
	path_in_dir(log_path, "udf.log");
	path_in_dir(le_path, "le.err");
	/* Read at the first call of the main group, never again. */
	if (setenv("DBSYSCHECK_UDF_TOKEN", token_path, 1) == -1 ||
	    setenv("DBSYSCHECK_UDF_LOG", log_path, 1) == -1 ||
	    setenv("DBSYSCHECK_UDF_TIMESTAMP", "0", 1) == -1) {
		perror("setenv");
		return 1;
	}
	failed = cmocka_run_group_tests_name("env", env_tests, env_setup,
	    env_teardown);
	failed += cmocka_run_group_tests_name("main", main_tests, main_setup,
	    main_teardown);
	if (rmdir(dir) == -1)
		perror(dir);
	return failed;
}

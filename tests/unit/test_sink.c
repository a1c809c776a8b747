/* Unit tests for sink: the --log file's lines, its stamp, its refusals. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
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
#include "buf.h"
#include "report.h"
#include "sink.h"
#include "xmalloc.h"

#include "testdir.h"

static const unsigned char keycheck[BASELINE_KEYCHECK_LEN] = { 7 };

/* All of the file at path, NUL-terminated. */
static char *
slurp(const char *path)
{
	FILE	*f;
	char	*s;
	long	 n;

	assert_non_null(f = fopen(path, "r"));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	assert_true((n = ftell(f)) >= 0);
	rewind(f);
	s = xmalloc((size_t)n + 1);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

/* A new baseline at dir/name holding the records bodies[], op "insert". */
static struct baseline *
mkbaseline(const char *name, const char *const *bodies, size_t n)
{
	struct baseline	*bl;
	char		*path, *cause = NULL;
	size_t		 i;

	path = xasprintf("%s/%s", dir, name);
	bl = baseline_open(path, BASELINE_CREATE, keycheck, &cause);
	if (bl == NULL)
		fail_msg("%s", cause);
	assert_int_equal(baseline_begin(bl, &cause), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(baseline_outbox_add(bl, "insert", bodies[i],
		    strlen(bodies[i]), &cause), 0);
	assert_int_equal(baseline_commit(bl, &cause), 0);
	free(path);
	return bl;
}

/*
 * Check the stamp of one text line and return what follows it: the RFC
 * 3339 time with microseconds in UTC, the host, "dbsyscheck[PID]: ".
 */
static const char *
check_stamp(const char *line, const char *host)
{
	char		 want[300];
	const char	*p = line;
	size_t		 i;

	for (i = 0; i < 26; i++) {
		if (i == 4 || i == 7)
			assert_int_equal(p[i], '-');
		else if (i == 10)
			assert_int_equal(p[i], 'T');
		else if (i == 13 || i == 16)
			assert_int_equal(p[i], ':');
		else if (i == 19)
			assert_int_equal(p[i], '.');
		else
			assert_true(p[i] >= '0' && p[i] <= '9');
	}
	p += 26;
	snprintf(want, sizeof want, "+00:00 %s dbsyscheck[%ld]: ", host,
	    (long)getpid());
	assert_memory_equal(p, want, strlen(want));
	return p + strlen(want);
}

/* Check that p starts with want; return what follows. */
static const char *
expect(const char *p, const char *want)
{
	assert_memory_equal(p, want, strlen(want));
	return p + strlen(want);
}

/* Ensure that sink_open_log creates a 0600 file and appends to one. */
static void
test_open_log(void **state)
{
	struct stat	 st;
	char		*path, *cause = NULL;
	int		 fd;

	(void)state;
	path = xasprintf("%s/new.log", dir);
	fd = sink_open_log(path, &cause);
	assert_true(fd != -1);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(write(fd, "a\n", 2), 2);
	close(fd);
	fd = sink_open_log(path, &cause);
	assert_true(fd != -1);
	assert_int_equal(write(fd, "b\n", 2), 2);
	close(fd);
	cause = slurp(path);
	assert_string_equal(cause, "a\nb\n");
	free(cause);
	free(path);
}

/* Ensure that a log path replaced by a symbolic link is refused. */
static void
test_open_log_symlink(void **state)
{
	char	*path, *target, *want, *cause = NULL;

	(void)state;
	path = xasprintf("%s/link.log", dir);
	target = xasprintf("%s/elsewhere", dir);
	close(open(target, O_WRONLY | O_CREAT, 0600));
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(sink_open_log(path, &cause), -1);
	want = xasprintf("%s: %s (a symbolic link: refused)", path,
	    strerror(ELOOP));
	assert_string_equal(cause, want);
	free(cause);
	cause = slurp(target);
	assert_string_equal(cause, "");
	free(cause);
	free(want);
	/* A dangling link: nothing is created through it either. */
	unlink(target);
	cause = NULL;
	assert_int_equal(sink_open_log(path, &cause), -1);
	want = xasprintf("%s: %s", path, strerror(ENOENT));
	assert_string_equal(cause, want);
	assert_int_equal(access(target, F_OK), -1);
	free(cause);
	free(want);
	free(target);
	free(path);
}

/*
 * Ensure that sink_outbox writes a summary and every record, uncapped,
 * each after the stamp, and gives nothing twice.
 */
static void
test_outbox_text(void **state)
{
	static const char *const bodies[] = {
		"op=insert table=d.t pk=1 ;",
		"op=insert table=d.t pk=2 ;",
	};
	struct report_opts	 ro;
	struct baseline		*bl;
	const char		*p;
	char			*path, *text, *more, *cause = NULL;
	int64_t			 sunk;

	(void)state;
	bl = mkbaseline("text.db", bodies, 2);
	path = xasprintf("%s/text.log", dir);
	memset(&ro, 0, sizeof ro);
	ro.fd = -1;
	ro.max_bytes = 10;	/* the sinks are never capped */
	ro.host = "db host;1";
	assert_true((ro.logfd = sink_open_log(path, &cause)) != -1);
	assert_int_equal(sink_outbox(bl, &ro, &cause), 0);
	text = slurp(path);
	p = check_stamp(text, "db_host_1");
	p = expect(p, "op=summary inserts=2 updates=0 deletes=0 errors=0 "
	    "pending=0 ;\n");
	p = check_stamp(p, "db_host_1");
	p = expect(p, "op=insert table=d.t pk=1 ;\n");
	p = check_stamp(p, "db_host_1");
	p = expect(p, "op=insert table=d.t pk=2 ;\n");
	assert_int_equal(*p, '\0');
	/* How far the sinks got is kept; a second call adds nothing. */
	assert_int_equal(baseline_meta_get(bl, "sunk", &sunk, &cause), 1);
	assert_int_equal(sunk, 2);
	assert_int_equal(sink_outbox(bl, &ro, &cause), 0);
	more = slurp(path);
	assert_int_equal(strlen(more), (size_t)(p - text));
	free(more);
	free(text);
	close(ro.logfd);
	baseline_close(bl);
	free(path);
}

/* Ensure that sink_drop_sunk removes what the sinks got, and only that. */
static void
test_drop_sunk(void **state)
{
	static const char *const bodies[] = { "op=insert pk=1 ;" };
	struct report_opts	 ro;
	struct baseline_counts	 c;
	struct baseline		*bl;
	char			*path, *cause = NULL;

	(void)state;
	bl = mkbaseline("drop.db", bodies, 1);
	assert_int_equal(sink_drop_sunk(bl, &cause), 0);
	assert_int_equal(baseline_outbox_counts(bl, 0, &c, &cause), 0);
	assert_int_equal(c.total, 1);
	path = xasprintf("%s/drop.log", dir);
	memset(&ro, 0, sizeof ro);
	ro.host = "h";
	assert_true((ro.logfd = sink_open_log(path, &cause)) != -1);
	assert_int_equal(sink_outbox(bl, &ro, &cause), 0);
	assert_int_equal(baseline_begin(bl, &cause), 0);
	assert_int_equal(baseline_outbox_add(bl, "delete", "op=delete ;", 11,
	    &cause), 0);
	assert_int_equal(baseline_commit(bl, &cause), 0);
	assert_int_equal(sink_drop_sunk(bl, &cause), 0);
	assert_int_equal(baseline_outbox_counts(bl, 0, &c, &cause), 0);
	assert_int_equal(c.total, 1);
	assert_int_equal(c.deletes, 1);
	close(ro.logfd);
	baseline_close(bl);
	free(path);
}

/* Ensure that the JSON line is one object, timestamp and host first. */
static void
test_outbox_json(void **state)
{
	static const char *const bodies[] = { "op=insert pk=1 ;" };
	struct report_opts	 ro;
	struct baseline		*bl;
	char			*path, *text, *p, *cause = NULL;
	size_t			 i;

	(void)state;
	bl = mkbaseline("json.db", bodies, 1);
	path = xasprintf("%s/json.log", dir);
	memset(&ro, 0, sizeof ro);
	ro.format = REPORT_JSON;
	ro.host = "h\"x";
	assert_true((ro.logfd = sink_open_log(path, &cause)) != -1);
	assert_int_equal(sink_outbox(bl, &ro, &cause), 0);
	text = slurp(path);
	/* {"timestamp":"YYYY-MM-DDTHH:MM:SS.uuuuuuZ","host":"h_x",... */
	assert_memory_equal(text, "{\"timestamp\":\"", 14);
	p = text + 14;
	for (i = 0; i < 26; i++)
		assert_true(p[i] != '"' && p[i] != '\n');
	assert_memory_equal(p + 26, "Z\",\"host\":\"h_x\",\"program\":"
	    "\"dbsyscheck\",\"op\":\"summary\"", 52);
	p = strchr(p, '\n');
	assert_non_null(p);
	p++;
	assert_memory_equal(p, "{\"timestamp\":\"", 14);
	assert_non_null(strstr(p, "\"host\":\"h_x\",\"program\":\"dbsyscheck\","
	    "\"op\":\"insert\",\"pk\":\"1\"}\n"));
	free(text);
	close(ro.logfd);
	baseline_close(bl);
	free(path);
}

/* Ensure that sink_direct gives a summary and the error, nothing else. */
static void
test_direct(void **state)
{
	struct report_opts	 ro;
	const char		*p;
	char			*path, *text, *cause = NULL;

	(void)state;
	memset(&ro, 0, sizeof ro);
	ro.logfd = -1;
	/* No sink: nothing to do, not an error. */
	assert_int_equal(sink_direct(&ro, "op=error ;", 10, &cause), 0);
	path = xasprintf("%s/direct.log", dir);
	ro.host = "h";
	assert_true((ro.logfd = sink_open_log(path, &cause)) != -1);
	assert_int_equal(sink_direct(&ro, "op=error msg=x ;", 16, &cause), 0);
	text = slurp(path);
	p = check_stamp(text, "h");
	p = expect(p, "op=summary inserts=0 updates=0 deletes=0 errors=1 "
	    "pending=0 ;\n");
	p = check_stamp(p, "h");
	assert_string_equal(p, "op=error msg=x ;\n");
	free(text);
	close(ro.logfd);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_log),
		cmocka_unit_test(test_open_log_symlink),
		cmocka_unit_test(test_outbox_text),
		cmocka_unit_test(test_drop_sunk),
		cmocka_unit_test(test_outbox_json),
		cmocka_unit_test(test_direct),
	};

	return cmocka_run_group_tests(tests, testdir_setup,
	    testdir_teardown);
}

/* Unit tests for report: line formats, the summary, the cap, the drain. */
#include "config.h"

#include <sys/stat.h>

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
#include "xmalloc.h"

#include "testdir.h"

static const unsigned char keycheck[BASELINE_KEYCHECK_LEN] = { 9 };

#define SUM(i, e, p)	"dbsyscheck: op=summary inserts=" #i " updates=0 " \
			"deletes=0 errors=" #e " pending=" #p " ;\n"
#define REC(n)		"dbsyscheck: op=insert table=d.t pk=" #n " ;\n"

/* A new file for the output; its descriptor. */
static int
outfile(const char *name)
{
	char	*path;
	int	 fd;

	path = xasprintf("%s/%s", dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd != -1);
	free(path);
	return fd;
}

/* All that was written to fd, NUL-terminated. */
static char *
readback(int fd)
{
	off_t	 n;
	char	*s;

	assert_true((n = lseek(fd, 0, SEEK_END)) >= 0);
	s = xmalloc((size_t)n + 1);
	assert_int_equal(pread(fd, s, (size_t)n, 0), n);
	s[n] = '\0';
	return s;
}

/* A new baseline at dir/name with n records "op=insert ... pk=1..n". */
static struct baseline *
mkbaseline(const char *name, int n)
{
	struct baseline	*bl;
	char		*path, *body, *cause = NULL;
	int		 i;

	path = xasprintf("%s/%s", dir, name);
	bl = baseline_open(path, BASELINE_CREATE, keycheck, &cause);
	if (bl == NULL)
		fail_msg("%s", cause);
	assert_int_equal(baseline_begin(bl, &cause), 0);
	for (i = 1; i <= n; i++) {
		body = xasprintf("op=insert table=d.t pk=%d ;", i);
		assert_int_equal(baseline_outbox_add(bl, "insert", body,
		    strlen(body), &cause), 0);
		free(body);
	}
	assert_int_equal(baseline_commit(bl, &cause), 0);
	free(path);
	return bl;
}

static uint64_t
queued(struct baseline *bl)
{
	struct baseline_counts	 c;
	char			*cause = NULL;

	assert_int_equal(baseline_outbox_counts(bl, 0, &c, &cause), 0);
	return c.total;
}

/* Ensure that a text line is the prefix, the body and a newline. */
static void
test_format_text(void **state)
{
	struct buf	 b;
	const char	*body = "op=insert table=d.t pk=1 ;";

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(report_format_line(&b, REPORT_TEXT, body,
	    strlen(body)), 0);
	assert_int_equal(b.len, strlen(REC(1)));
	assert_memory_equal(b.data, REC(1), b.len);
	/* Appended, not replaced. */
	assert_int_equal(report_format_line(&b, REPORT_TEXT, body, 0), 0);
	assert_string_equal(buf_str(&b), REC(1) "dbsyscheck: \n");
	buf_free(&b);
}

/* Ensure that a JSON line is one object, "program" first, and a newline. */
static void
test_format_json(void **state)
{
	static const char	 want[] = "{\"program\":\"dbsyscheck\","
	    "\"op\":\"insert\",\"table\":\"d.t\",\"pk\":\"1\"}\n";
	struct buf		 b;
	const char		*body = "op=insert table=d.t pk=1 ;";

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(report_format_line(&b, REPORT_JSON, body,
	    strlen(body)), 0);
	assert_int_equal(b.len, sizeof want - 1);
	assert_memory_equal(b.data, want, b.len);
	buf_free(&b);
}

/* Ensure that a body without one name=value gives "program" alone. */
static void
test_format_json_empty(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(report_format_line(&b, REPORT_JSON, "op ;", 4), 0);
	assert_string_equal(buf_str(&b), "{\"program\":\"dbsyscheck\"}\n");
	buf_free(&b);
}

/* Ensure that the summary counts each op and says what is pending. */
static void
test_summary(void **state)
{
	struct baseline_counts	 c;
	struct buf		 b;

	(void)state;
	memset(&c, 0, sizeof c);
	c.inserts = 3;
	c.updates = 2;
	c.deletes = 1;
	c.errors = 4;
	c.total = 10;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(report_summary(&b, REPORT_TEXT, &c, 17), 0);
	assert_string_equal(buf_str(&b), "dbsyscheck: op=summary inserts=3 "
	    "updates=2 deletes=1 errors=4 pending=17 ;\n");
	buf_reset(&b);
	assert_int_equal(report_summary(&b, REPORT_JSON, &c, 0), 0);
	assert_string_equal(buf_str(&b), "{\"program\":\"dbsyscheck\","
	    "\"op\":\"summary\",\"inserts\":\"3\",\"updates\":\"2\","
	    "\"deletes\":\"1\",\"errors\":\"4\",\"pending\":\"0\"}\n");
	buf_free(&b);
}

/*
 * Ensure that a delivery capped at max_bytes takes exactly the records
 * that fit with their summary, one byte short takes one fewer, and the
 * rest stay queued in order.
 */
static void
test_drain_cap(void **state)
{
	static const char	 two[] = SUM(2, 0, 3) REC(1) REC(2);
	static const char	 one[] = SUM(1, 0, 4) REC(1);
	struct report_opts	 ro;
	struct baseline		*bl;
	size_t			 printed;
	char			*out, *cause = NULL;

	(void)state;
	bl = mkbaseline("cap.db", 5);
	memset(&ro, 0, sizeof ro);
	ro.logfd = -1;
	ro.fd = outfile("cap1.out");
	ro.max_bytes = sizeof one - 1 + strlen(REC(2)) - 1;
	assert_int_equal(report_drain(bl, &ro, &printed, &cause), 0);
	assert_int_equal(printed, 1);
	out = readback(ro.fd);
	assert_string_equal(out, one);
	free(out);
	close(ro.fd);
	assert_int_equal(queued(bl), 4);

	/* The next delivery starts at pk=2; exactly two fit. */
	ro.fd = outfile("cap2.out");
	ro.max_bytes = sizeof two - 1;
	assert_int_equal(report_drain(bl, &ro, &printed, &cause), 0);
	assert_int_equal(printed, 2);
	out = readback(ro.fd);
	assert_int_equal(strlen(out), ro.max_bytes);
	assert_string_equal(out, SUM(2, 0, 2) REC(2) REC(3));
	free(out);
	close(ro.fd);
	assert_int_equal(queued(bl), 2);
	baseline_close(bl);
}

/* Ensure that an uncapped delivery takes everything, summary first. */
static void
test_drain_all(void **state)
{
	struct report_opts	 ro;
	struct baseline		*bl;
	size_t			 printed;
	char			*out, *cause = NULL;

	(void)state;
	bl = mkbaseline("all.db", 3);
	memset(&ro, 0, sizeof ro);
	ro.logfd = -1;
	ro.fd = outfile("all.out");
	assert_int_equal(report_drain(bl, &ro, &printed, &cause), 0);
	assert_int_equal(printed, 3);
	out = readback(ro.fd);
	assert_string_equal(out, SUM(3, 0, 0) REC(1) REC(2) REC(3));
	free(out);
	assert_int_equal(queued(bl), 0);
	/* Nothing queued: nothing written, not even a summary. */
	assert_int_equal(report_drain(bl, &ro, &printed, &cause), 0);
	assert_int_equal(printed, 0);
	out = readback(ro.fd);
	assert_int_equal(strlen(out), strlen(SUM(3, 0, 0) REC(1) REC(2)
	    REC(3)));
	free(out);
	close(ro.fd);
	baseline_close(bl);
}

/* Ensure that a copy prints the records after seq and removes none. */
static void
test_copy(void **state)
{
	struct report_opts	 ro;
	struct baseline		*bl;
	size_t			 printed;
	char			*out, *cause = NULL;

	(void)state;
	bl = mkbaseline("copy.db", 3);
	memset(&ro, 0, sizeof ro);
	ro.logfd = -1;
	ro.fd = outfile("copy.out");
	assert_int_equal(report_copy(bl, &ro, 1, &printed, &cause), 0);
	assert_int_equal(printed, 2);
	out = readback(ro.fd);
	assert_string_equal(out, SUM(2, 0, 0) REC(2) REC(3));
	free(out);
	close(ro.fd);
	assert_int_equal(queued(bl), 3);
	baseline_close(bl);
}

/* Ensure that a direct error is its summary and its line. */
static void
test_direct(void **state)
{
	struct report_opts	 ro;
	char			*out, *cause = NULL;

	(void)state;
	memset(&ro, 0, sizeof ro);
	ro.logfd = -1;
	ro.fd = outfile("direct.out");
	assert_int_equal(report_direct(&ro, "op=error msg=x ;", 16, &cause),
	    0);
	out = readback(ro.fd);
	assert_string_equal(out, SUM(0, 1, 0) "dbsyscheck: op=error msg=x ;\n");
	free(out);
	close(ro.fd);
	/* A descriptor that cannot be written: the error comes back. */
	ro.fd = -1;
	assert_int_equal(report_direct(&ro, "op=error ;", 10, &cause), -1);
	assert_string_equal(cause, "writing records: Bad file descriptor");
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_text),
		cmocka_unit_test(test_format_json),
		cmocka_unit_test(test_format_json_empty),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_drain_cap),
		cmocka_unit_test(test_drain_all),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_direct),
	};

	return cmocka_run_group_tests(tests, testdir_setup,
	    testdir_teardown);
}

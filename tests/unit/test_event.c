/* Unit tests for event: every scanner record, byte for byte. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "event.h"
#include "golden.h"
#include "record.h"
#include "rowenc.h"
#include "schema.h"
#include "xmalloc.h"

#include "event_cases.h"

/* Append "name\tbody\n" for a builder that must succeed. */
static void
line(struct buf *out, const char *name, struct buf *rec, int r, char *cause)
{
	if (r != 0)
		fail_msg("%s: %s", name, cause != NULL ? cause : "-1");
	assert_null(cause);
	assert_false(buf_failed(rec));
	assert_int_equal(record_check(rec->data, rec->len), 0);
	buf_printf(out, "%s\t%s\n", name, buf_str(rec));
}

/*
 * Ensure that every builder writes the record the builders of scan.c,
 * main.c and report.c wrote before event.c (tests/data/events.golden was
 * made with them), hostile names and values and caps included.
 */
static void
test_golden(void **state)
{
	static const char *const names[] = EV_CHANGED_NAMES;
	const char	*many[300];
	struct schema	*s;
	struct buf	 out, rec, key, why;
	char		*cause = NULL, *msg, *by, *longkey;
	size_t		 i;

	(void)state;
	buf_init(&out, BUF_NOCAP);
	buf_init(&rec, RECORD_MAX);
	buf_init(&key, BUF_NOCAP);
	s = ev_schema();
	ev_key(&key, "-7", EV_KEYB, sizeof EV_KEYB - 1);
	line(&out, "insert", &rec, event_insert(&rec, s,
	    (unsigned char *)key.data, key.len, &cause), cause);
	line(&out, "delete", &rec, event_delete(&rec, s,
	    (unsigned char *)key.data, key.len, &cause), cause);
	line(&out, "update", &rec, event_update(&rec, s,
	    (unsigned char *)key.data, key.len, names, 4, &cause), cause);
	line(&out, "update-unknown", &rec, event_update(&rec, s,
	    (unsigned char *)key.data, key.len, NULL, 0, &cause), cause);
	for (i = 0; i < 300; i++)
		many[i] = "col;umn";
	line(&out, "update-long", &rec, event_update(&rec, s,
	    (unsigned char *)key.data, key.len, many, 300, &cause), cause);
	buf_reset(&key);
	longkey = ev_longkey();
	ev_key(&key, "9223372036854775807", longkey, EV_LONGKEY_LEN);
	line(&out, "delete-longkey", &rec, event_delete(&rec, s,
	    (unsigned char *)key.data, key.len, &cause), cause);

	msg = ev_msg();
	by = ev_by();
	line(&out, "error", &rec, event_error(&rec, s->db, s->name, 0, msg,
	    &cause), cause);
	line(&out, "error-run", &rec, event_error(&rec, NULL, NULL, 0,
	    EV_SHORTMSG, &cause), cause);
	line(&out, "error-tampered", &rec, event_error(&rec, NULL, NULL, 1,
	    msg, &cause), cause);
	line(&out, "missing", &rec, event_missing(&rec, s->db, s->name, 123,
	    &cause), cause);
	line(&out, "schema-removed", &rec, event_schema(&rec, s->db, s->name,
	    1, "", 0, "rows", &cause), cause);
	buf_init(&why, BUF_NOCAP);
	ev_why(&why);
	line(&out, "schema-updates", &rec, event_schema(&rec, s->db, s->name,
	    0, buf_str(&why), why.len, "updates", &cause), cause);
	line(&out, "schema-rows", &rec, event_schema(&rec, s->db, s->name,
	    1, buf_str(&why), why.len, "rows", &cause), cause);
	buf_reset(&why);
	buf_adds(&why, " watch=trg%3B1");
	line(&out, "schema-watch", &rec, event_schema(&rec, s->db, s->name,
	    0, buf_str(&why), why.len, NULL, &cause), cause);
	line(&out, "emptied", &rec, event_emptied(&rec, s->db, s->name,
	    UINT64_MAX, &cause), cause);
	line(&out, "baseline", &rec, event_baseline(&rec, s->db, s->name, 0,
	    &cause), cause);
	line(&out, "reset", &rec, event_reset(&rec, s->db, s->name, 42, by,
	    &cause), cause);
	line(&out, "reset-short-by", &rec, event_reset(&rec, s->db, s->name,
	    42, "root@localhost", &cause), cause);
	line(&out, "summary", &rec, event_summary(&rec, 1, 22, 333, 0,
	    UINT64_MAX, &cause), cause);
	assert_false(buf_failed(&out));
	golden_check("events.golden", out.data, out.len);
	buf_free(&why);
	buf_free(&out);
	buf_free(&rec);
	buf_free(&key);
	free(msg);
	free(by);
	free(longkey);
	schema_free(s);
}

/*
 * Ensure that the binary-log follower's records (src=binlog) are written
 * as docs/FORMAT.md says, hostile names, file names and caps included
 * (tests/data/events_binlog.golden).
 */
static void
test_binlog_golden(void **state)
{
	static const char *const names[] = EV_CHANGED_NAMES;
	const char	*many[300];
	struct event_txn t;
	struct event_who exact = { "app@localhost", "exact" };
	struct event_who hostile = { "a p,p;%\n@h", "statement" };
	struct event_who longby;
	struct schema	*s;
	struct buf	 out, rec, key;
	char		*cause = NULL, *longkey, file[512], acct[600];
	size_t		 i;

	(void)state;
	memset(acct, '=', sizeof acct - 1);
	acct[sizeof acct - 1] = '\0';
	longby.account = acct;
	longby.how = "statement";
	buf_init(&out, BUF_NOCAP);
	buf_init(&rec, RECORD_MAX);
	buf_init(&key, BUF_NOCAP);
	s = ev_schema();
	ev_key(&key, "-7", EV_KEYB, sizeof EV_KEYB - 1);
	line(&out, "insert", &rec, event_binlog_insert(&rec, s,
	    (unsigned char *)key.data, key.len, NULL, &cause), cause);
	line(&out, "delete", &rec, event_binlog_delete(&rec, s,
	    (unsigned char *)key.data, key.len, NULL, &cause), cause);
	line(&out, "update", &rec, event_binlog_update(&rec, s,
	    (unsigned char *)key.data, key.len, names, 4, NULL, &cause),
	    cause);
	line(&out, "insert-exact", &rec, event_binlog_insert(&rec, s,
	    (unsigned char *)key.data, key.len, &exact, &cause), cause);
	line(&out, "update-statement", &rec, event_binlog_update(&rec, s,
	    (unsigned char *)key.data, key.len, names, 4, &hostile, &cause),
	    cause);
	line(&out, "delete-longby", &rec, event_binlog_delete(&rec, s,
	    (unsigned char *)key.data, key.len, &longby, &cause), cause);
	for (i = 0; i < 300; i++)
		many[i] = "col;umn";
	line(&out, "update-long", &rec, event_binlog_update(&rec, s,
	    (unsigned char *)key.data, key.len, many, 300, NULL, &cause),
	    cause);
	buf_reset(&key);
	longkey = ev_longkey();
	ev_key(&key, "9223372036854775807", longkey, EV_LONGKEY_LEN);
	line(&out, "delete-longkey", &rec, event_binlog_delete(&rec, s,
	    (unsigned char *)key.data, key.len, NULL, &cause), cause);

	memset(&t, 0, sizeof t);
	t.gtid = "0-1-42";
	t.conn = 12;
	t.when = 1796655845;	/* 2026-12-07T15:04:05Z */
	t.file = "binlog.000003";
	t.offset = 1234;
	line(&out, "commit", &rec, event_commit(&rec, 3, &t, &cause), cause);
	line(&out, "ddl", &rec, event_ddl(&rec, "acme", 4, "users", 5,
	    "truncate", &t, &cause), cause);
	t.who = &exact;
	line(&out, "commit-exact", &rec, event_commit(&rec, 3, &t, &cause),
	    cause);
	line(&out, "ddl-exact", &rec, event_ddl(&rec, "acme", 4, "users", 5,
	    "truncate", &t, &cause), cause);
	t.who = &hostile;
	line(&out, "commit-statement", &rec, event_commit(&rec, 3, &t,
	    &cause), cause);
	t.who = NULL;
	line(&out, "ddl-hostile", &rec, event_ddl(&rec, EV_DB,
	    sizeof EV_DB - 1, EV_NAME, sizeof EV_NAME - 1, "drop", &t,
	    &cause), cause);
	t.gtid = "";
	t.conn = 0;
	t.when = 0;
	line(&out, "commit-none", &rec, event_commit(&rec, UINT64_MAX, &t,
	    &cause), cause);
	/* The longest file name the reader passes, every byte escaped. */
	memset(file, ';', sizeof file - 1);
	file[sizeof file - 1] = '\0';
	t.file = file;
	t.offset = UINT64_MAX;
	t.gtid = "4294967295-4294967295-18446744073709551615";
	line(&out, "commit-longfile", &rec, event_commit(&rec, 1, &t,
	    &cause), cause);
	line(&out, "start", &rec, event_start(&rec, "binlog.000003", 1234,
	    "0-1-41", &cause), cause);
	line(&out, "start-nogtid", &rec, event_start(&rec, "bin log%.000001",
	    4, "", &cause), cause);
	line(&out, "error", &rec, event_error_src(&rec, s->db, s->name, 0,
	    EV_SHORTMSG, "binlog", &cause), cause);
	line(&out, "error-run", &rec, event_error_src(&rec, NULL, NULL, 0,
	    "the binary log is off", "binlog", &cause), cause);
	assert_false(buf_failed(&out));
	golden_check("events_binlog.golden", out.data, out.len);
	buf_free(&out);
	buf_free(&rec);
	buf_free(&key);
	free(longkey);
	schema_free(s);
}

/* Ensure that event_error_src without a source says src=scan. */
static void
test_error_src_default(void **state)
{
	struct buf	 rec;
	char		*cause = NULL;

	(void)state;
	buf_init(&rec, RECORD_MAX);
	assert_int_equal(event_error_src(&rec, NULL, NULL, 0, "x", NULL,
	    &cause), 0);
	assert_string_equal(buf_str(&rec), "op=error msg=x src=scan ;");
	buf_free(&rec);
}

/* Ensure that the binlog builders fail cleanly in a buffer too small. */
static void
test_binlog_buffer_fails(void **state)
{
	struct event_txn t = { "0-1-1", 1, 1, "binlog.000001", 4, NULL };
	struct buf	 rec;
	char		*cause = NULL;

	(void)state;
	buf_init(&rec, 20);
	assert_int_equal(event_commit(&rec, 1, &t, &cause), -1);
	assert_non_null(cause);
	assert_true(buf_failed(&rec));
	free(cause);
	cause = NULL;
	assert_int_equal(event_start(&rec, "binlog.000001", 4, "0-1-1",
	    &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(event_ddl(&rec, "a", 1, "b", 1, "drop", &t,
	    &cause), -1);
	assert_non_null(cause);
	free(cause);
	buf_free(&rec);
}

/* Ensure that a buffer too small for the record fails with a cause. */
static void
test_buffer_fails(void **state)
{
	struct buf	 rec;
	char		*cause = NULL;

	(void)state;
	buf_init(&rec, 20);
	assert_int_equal(event_missing(&rec, "acme", "users", 1, &cause), -1);
	assert_string_equal(cause, "out of memory building a record");
	assert_true(buf_failed(&rec));
	free(cause);
	cause = NULL;
	assert_int_equal(event_summary(&rec, 1, 2, 3, 4, 5, &cause), -1);
	assert_non_null(cause);
	free(cause);
	buf_free(&rec);
}

/* Ensure that a failed buffer is started afresh by the next builder. */
static void
test_buffer_reused(void **state)
{
	struct buf	 rec;
	char		*cause = NULL;

	(void)state;
	buf_init(&rec, 30);
	assert_int_equal(event_error(&rec, NULL, NULL, 0, "a long message "
	    "that cannot fit", &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(event_error(&rec, NULL, NULL, 0, "x", &cause), 0);
	assert_string_equal(buf_str(&rec), "op=error msg=x src=scan ;");
	buf_free(&rec);
}

/* Ensure that a key that does not decode fails the row record. */
static void
test_bad_key(void **state)
{
	struct schema	*s;
	struct buf	 rec;
	char		*cause = NULL;

	(void)state;
	s = ev_schema();
	buf_init(&rec, RECORD_MAX);
	assert_int_equal(event_insert(&rec, s, (const unsigned char *)"\001",
	    1, &cause), -1);
	assert_string_equal(cause, "stored key does not decode");
	free(cause);
	buf_free(&rec);
	schema_free(s);
}

/* acme.users: an INT key id. */
static struct schema *
users_schema(void)
{
	struct schema	*s;
	struct column	*c;

	s = schema_create("acme", "users");
	c = schema_add_column(s, "id", "int(11)", NULL, NULL, 0, "int");
	c->keypos = 1;
	schema_add_column(s, "password", "varchar(64)", "utf8mb4",
	    "utf8mb4_bin", 1, "varchar");
	s->key = xcalloc(1, sizeof *s->key);
	s->key[0] = 0;
	s->nkey = 1;
	return s;
}

/* The key id=a. */
static void
users_key(struct buf *b, const char *a)
{
	char	*cause = NULL;

	if (rowenc_key(b, KEYCLASS_INT, a, strlen(a), &cause) == -1)
		abort();
}

/*
 * Ensure that op=untraced is written as docs/FORMAT.md shows it, fields
 * in order, and that record_check accepts it.
 */
static void
test_untraced(void **state)
{
	struct event_span span = { "binlog.000003", 1234, "binlog.000003",
			    5678 };
	struct schema	*s;
	struct buf	 rec, key;
	char		*cause = NULL;

	(void)state;
	s = users_schema();
	buf_init(&rec, RECORD_MAX);
	buf_init(&key, BUF_NOCAP);
	users_key(&key, "7");
	assert_int_equal(event_untraced(&rec, s, (unsigned char *)key.data,
	    key.len, "update", "none", &span, &cause), 0);
	assert_null(cause);
	assert_string_equal(buf_str(&rec), "op=untraced table=acme.users "
	    "pk=id=7 change=update logged=none from=binlog.000003:1234 "
	    "to=binlog.000003:5678 src=scan by=- ;");
	assert_int_equal(record_check(rec.data, rec.len), 0);

	span.to = "binlog.000004";
	span.tooff = 389;
	buf_reset(&key);
	users_key(&key, "-8");
	assert_int_equal(event_untraced(&rec, s, (unsigned char *)key.data,
	    key.len, "none", "insert", &span, &cause), 0);
	assert_string_equal(buf_str(&rec), "op=untraced table=acme.users "
	    "pk=id=-8 change=none logged=insert from=binlog.000003:1234 "
	    "to=binlog.000004:389 src=scan by=- ;");
	assert_int_equal(record_check(rec.data, rec.len), 0);
	buf_free(&rec);
	buf_free(&key);
	schema_free(s);
}

/*
 * Ensure that op=untraced percent-encodes the file names of from= and
 * to= (space, '%', ';', '=', newline, a byte over 0x7e), writes the
 * greatest offset whole, and a file not known as "-".
 */
static void
test_untraced_files(void **state)
{
	struct event_span span = { "bin log%.000001", 4,
			    "a;b=c\n\377.000002", UINT64_MAX };
	struct schema	*s;
	struct buf	 rec, key;
	char		*cause = NULL;

	(void)state;
	s = users_schema();
	buf_init(&rec, RECORD_MAX);
	buf_init(&key, BUF_NOCAP);
	users_key(&key, "7");
	assert_int_equal(event_untraced(&rec, s, (unsigned char *)key.data,
	    key.len, "delete", "text", &span, &cause), 0);
	assert_string_equal(buf_str(&rec), "op=untraced table=acme.users "
	    "pk=id=7 change=delete logged=text from=bin%20log%25.000001:4 "
	    "to=a%3Bb%3Dc%0A%FF.000002:18446744073709551615 src=scan by=- ;");
	assert_int_equal(record_check(rec.data, rec.len), 0);

	span.from = "";
	span.fromoff = 0;
	assert_int_equal(event_untraced(&rec, s, (unsigned char *)key.data,
	    key.len, "insert", "same", &span, &cause), 0);
	assert_string_equal(buf_str(&rec), "op=untraced table=acme.users "
	    "pk=id=7 change=insert logged=same from=-:0 "
	    "to=a%3Bb%3Dc%0A%FF.000002:18446744073709551615 src=scan by=- ;");
	assert_int_equal(record_check(rec.data, rec.len), 0);
	buf_free(&rec);
	buf_free(&key);
	schema_free(s);
}

/*
 * Ensure that op=untraced escapes a hostile table and key as the row
 * records do (the same table= and pk= text as op=delete of the key).
 */
static void
test_untraced_hostile(void **state)
{
	struct event_span span = { "binlog.000001", 4, "binlog.000002", 4 };
	struct schema	*s;
	struct buf	 rec, del, key;
	char		*cause = NULL, *longkey;
	const char	*p, *q;

	(void)state;
	s = ev_schema();
	buf_init(&rec, RECORD_MAX);
	buf_init(&del, RECORD_MAX);
	buf_init(&key, BUF_NOCAP);
	longkey = ev_longkey();
	ev_key(&key, "9223372036854775807", longkey, EV_LONGKEY_LEN);
	assert_int_equal(event_untraced(&rec, s, (unsigned char *)key.data,
	    key.len, "delete", "update", &span, &cause), 0);
	assert_int_equal(record_check(rec.data, rec.len), 0);
	assert_int_equal(event_delete(&del, s, (unsigned char *)key.data,
	    key.len, &cause), 0);
	/* " table=... pk=... " alike, up to change= and changed=. */
	p = strstr(buf_str(&rec), " change=");
	q = strstr(buf_str(&del), " changed=");
	assert_non_null(p);
	assert_non_null(q);
	assert_int_equal(p - buf_str(&rec) - (sizeof "op=untraced" - 1),
	    q - buf_str(&del) - (sizeof "op=delete" - 1));
	assert_memory_equal(buf_str(&rec) + sizeof "op=untraced" - 1,
	    buf_str(&del) + sizeof "op=delete" - 1,
	    (size_t)(p - buf_str(&rec)) - (sizeof "op=untraced" - 1));
	assert_non_null(strstr(buf_str(&rec), " change=delete logged=update "
	    "from=binlog.000001:4 to=binlog.000002:4 src=scan by=- ;"));
	buf_free(&rec);
	buf_free(&del);
	buf_free(&key);
	free(longkey);
	schema_free(s);
}

/* Ensure that op=untraced fails cleanly: a bad key, a small buffer. */
static void
test_untraced_fails(void **state)
{
	struct event_span span = { "binlog.000001", 4, "binlog.000002", 4 };
	struct schema	*s;
	struct buf	 rec, key;
	char		*cause = NULL;

	(void)state;
	s = users_schema();
	buf_init(&rec, RECORD_MAX);
	assert_int_equal(event_untraced(&rec, s, (const unsigned char *)"\001",
	    1, "update", "none", &span, &cause), -1);
	assert_string_equal(cause, "stored key does not decode");
	free(cause);
	cause = NULL;
	buf_free(&rec);
	buf_init(&rec, 40);
	buf_init(&key, BUF_NOCAP);
	users_key(&key, "7");
	assert_int_equal(event_untraced(&rec, s, (unsigned char *)key.data,
	    key.len, "update", "none", &span, &cause), -1);
	assert_string_equal(cause, "out of memory building a record");
	assert_true(buf_failed(&rec));
	free(cause);
	buf_free(&rec);
	buf_free(&key);
	schema_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_buffer_fails),
		cmocka_unit_test(test_buffer_reused),
		cmocka_unit_test(test_bad_key),
		cmocka_unit_test(test_binlog_golden),
		cmocka_unit_test(test_error_src_default),
		cmocka_unit_test(test_binlog_buffer_fails),
		cmocka_unit_test(test_untraced),
		cmocka_unit_test(test_untraced_files),
		cmocka_unit_test(test_untraced_hostile),
		cmocka_unit_test(test_untraced_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

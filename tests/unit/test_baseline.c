/* Unit tests for the baseline store: binds, entries, meta, chunks, outbox. */
#include "config.h"

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
#include "diff.h"
#include "store.h"
#include "xmalloc.h"

struct fixture {
	char		 dir[64];
	char		 path[96];
	struct baseline	*bl;
};

static const unsigned char keycheck[BASELINE_KEYCHECK_LEN] = { 1, 2, 3 };

static int
setup(void **state)
{
	struct fixture	*f;
	char		*cause = NULL;

	f = xcalloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "dbsc-test-baseline.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/baseline.db", f->dir);
	f->bl = baseline_open(f->path, BASELINE_CREATE, keycheck, &cause);
	if (f->bl == NULL)
		fail_msg("open: %s", cause);
	if (baseline_begin(f->bl, &cause) == -1)
		fail_msg("begin: %s", cause);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		*p;

	baseline_close(f->bl);
	unlink(f->path);
	p = xasprintf("%s.lock", f->path);
	unlink(p);
	free(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

/*
 * Ensure that a bind that fails (a blob over the connection's length
 * limit) reaches the caller, with the parameter and SQLite's reason, and
 * that nothing is stored.
 */
static void
test_bind_toobig(void **state)
{
	struct fixture	*f = *state;
	unsigned char	 blob[200], *v = NULL;
	size_t		 len;
	char		*cause = NULL, *want;

	memset(blob, 'x', sizeof blob);
	store_limit_length(f->bl, 100);
	assert_int_equal(baseline_meta_put_blob(f->bl, "big", blob,
	    sizeof blob, &cause), -1);
	want = xasprintf("baseline %s: writing meta: parameter 2: string or "
	    "blob too big", f->path);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	assert_int_equal(baseline_broken(f->bl), 0);
	store_limit_length(f->bl, 1000000);
	assert_int_equal(baseline_meta_get_blob(f->bl, "big", &v, &len,
	    &cause), 0);
	assert_null(v);
	/* The next statement binds afresh: no stale failure. */
	assert_int_equal(baseline_meta_put_blob(f->bl, "big", blob,
	    sizeof blob, &cause), 0);
}

/*
 * Ensure that a length past INT_MAX is refused, not cut to its low 32
 * bits (4 GiB + 4 bytes was stored as 4 bytes); no byte past the fourth
 * is read.
 */
static void
test_bind_overlong(void **state)
{
	struct fixture	*f = *state;
	unsigned char	 blob[4] = { 'a', 'b', 'c', 'd' }, *v = NULL;
	size_t		 len = 0;
	char		*cause = NULL, *want;

	if (sizeof(size_t) <= 4)
		skip();
	assert_int_equal(baseline_meta_put_blob(f->bl, "big", blob,
	    ((size_t)1 << 32) + sizeof blob, &cause), -1);
	want = xasprintf("baseline %s: writing meta: parameter 2: string or "
	    "blob too big", f->path);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	assert_int_equal(baseline_meta_get_blob(f->bl, "big", &v, &len,
	    &cause), 0);
	assert_null(v);
}

/*
 * Ensure that a chunk bound that cannot be bound fails the put: the
 * column may be NULL, so the failed bind used to store an open-ended
 * chunk silently.
 */
static void
test_bind_chunk_hi(void **state)
{
	struct fixture		*f = *state;
	struct baseline_chunk	 k, *got = NULL;
	unsigned char		 hi[200];
	size_t			 n = 0;
	char			*cause = NULL;

	memset(&k, 0, sizeof k);
	memset(hi, 'k', sizeof hi);
	k.n = 1;
	k.hi = hi;
	k.hilen = sizeof hi;
	store_limit_length(f->bl, 100);
	assert_int_equal(baseline_chunk_put(f->bl, 7, &k, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "writing chunks: parameter 3: string "
	    "or blob too big"));
	free(cause);
	cause = NULL;
	store_limit_length(f->bl, 1000000);
	assert_int_equal(baseline_chunks_get(f->bl, 7, &got, &n, &cause), 0);
	assert_int_equal(n, 0);
	baseline_chunks_free(got, n);
}

/* Ensure that a baseline made with another key is refused, as it says. */
static void
test_open_wrong_key(void **state)
{
	struct fixture	*f = *state;
	unsigned char	 other[BASELINE_KEYCHECK_LEN] = { 9 };
	char		*cause = NULL, *want;

	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	assert_null(baseline_open(f->path, 0, other, &cause));
	want = xasprintf("baseline %s was made with another key, restore the "
	    "key file it was made with, or move the baseline away to start a "
	    "new one", f->path);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
}

/* Ensure that a missing baseline is not made without BASELINE_CREATE. */
static void
test_open_missing(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL, *path, *want;

	path = xasprintf("%s/other.db", f->dir);
	assert_null(baseline_open(path, 0, keycheck, &cause));
	want = xasprintf("%s: no baseline yet (run a scan first)", path);
	assert_string_equal(cause, want);
	assert_int_equal(access(path, F_OK), -1);
	free(want);
	free(cause);
	free(path);
}

static int
each_name(void *arg, const char *db, const char *name,
    const struct baseline_entry *e)
{
	char	*s = arg;
	size_t	 n = strlen(s);

	snprintf(s + n, 64 - n, "%s.%s:%lld ", db, name, (long long)e->nrows);
	return 0;
}

/* Ensure that table entries are stored, updated and listed in name order. */
static void
test_tables(void **state)
{
	struct fixture		*f = *state;
	struct baseline_entry	 e, g;
	char			*cause = NULL, list[64] = "";
	int64_t			 tid;

	memset(&e, 0, sizeof e);
	e.schema = (unsigned char *)"s1";
	e.schemalen = 2;
	e.nrows = 5;
	e.chunk = 100;
	memset(e.fp, 0xfe, sizeof e.fp);
	memset(e.mac, 0xab, sizeof e.mac);
	assert_int_equal(baseline_table_put(f->bl, "db", "t2", &e, &cause), 0);
	assert_int_not_equal(e.tid, 0);
	tid = e.tid;
	e.tid = 0;
	e.nrows = 1;
	assert_int_equal(baseline_table_put(f->bl, "db", "t1", &e, &cause), 0);
	assert_int_not_equal(e.tid, tid);
	e.tid = tid;
	e.nrows = 7;
	e.state = BASELINE_MISSING;
	assert_int_equal(baseline_table_put(f->bl, "db", "t2", &e, &cause), 0);
	assert_int_equal(baseline_table_get(f->bl, "db", "t2", &g, &cause), 1);
	assert_int_equal(g.tid, tid);
	assert_int_equal(g.nrows, 7);
	assert_int_equal(g.state, BASELINE_MISSING);
	assert_int_equal(g.chunk, 100);
	assert_int_equal(g.schemalen, 2);
	assert_memory_equal(g.schema, "s1", 2);
	assert_memory_equal(g.fp, e.fp, sizeof e.fp);
	assert_memory_equal(g.mac, e.mac, sizeof e.mac);
	baseline_entry_clear(&g);
	assert_int_equal(baseline_table_get(f->bl, "db", "t3", &g, &cause), 0);
	assert_int_equal(baseline_tables_each(f->bl, each_name, list, &cause),
	    0);
	assert_string_equal(list, "db.t1:1 db.t2:7 ");
	/* An update of an entry that is not there fails. */
	e.tid = tid + 100;
	assert_int_equal(baseline_table_put(f->bl, "db", "t2", &e, &cause), -1);
	assert_non_null(strstr(cause, "table entry vanished"));
	free(cause);
}

/* Ensure that meta values and chunks read back as written. */
static void
test_meta_chunks(void **state)
{
	struct fixture		*f = *state;
	struct baseline_chunk	 k[2], *got = NULL;
	unsigned char		*v = NULL;
	size_t			 len = 0, n = 0;
	char			*cause = NULL;
	int64_t			 i = 0;

	assert_int_equal(baseline_meta_get(f->bl, "x", &i, &cause), 0);
	assert_int_equal(baseline_meta_put(f->bl, "x", -42, &cause), 0);
	assert_int_equal(baseline_meta_get(f->bl, "x", &i, &cause), 1);
	assert_int_equal(i, -42);
	assert_int_equal(baseline_meta_put_blob(f->bl, "b", "\0\1\2", 3,
	    &cause), 0);
	assert_int_equal(baseline_meta_get_blob(f->bl, "b", &v, &len, &cause),
	    1);
	assert_int_equal(len, 3);
	assert_memory_equal(v, "\0\1\2", 3);
	free(v);

	memset(k, 0, sizeof k);
	k[0].n = 0;
	k[0].hi = (unsigned char *)"m";
	k[0].hilen = 1;
	k[0].nrows = 3;
	memset(k[0].agg, 1, sizeof k[0].agg);
	k[1].n = 1;
	k[1].nrows = 4;
	memset(k[1].mac, 2, sizeof k[1].mac);
	assert_int_equal(baseline_chunk_put(f->bl, 5, &k[1], &cause), 0);
	assert_int_equal(baseline_chunk_put(f->bl, 5, &k[0], &cause), 0);
	assert_int_equal(baseline_chunks_get(f->bl, 5, &got, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(got[0].hilen, 1);
	assert_memory_equal(got[0].hi, "m", 1);
	assert_int_equal(got[0].nrows, 3);
	assert_memory_equal(got[0].agg, k[0].agg, sizeof k[0].agg);
	assert_null(got[1].hi);
	assert_memory_equal(got[1].mac, k[1].mac, sizeof k[1].mac);
	baseline_chunks_free(got, n);
	assert_int_equal(baseline_chunks_clear(f->bl, 5, &cause), 0);
	assert_int_equal(baseline_chunks_get(f->bl, 5, &got, &n, &cause), 0);
	assert_int_equal(n, 0);
	baseline_chunks_free(got, n);
}

static int
fetch_cb(void *arg, const struct baseline_outrec *r)
{
	char	*s = arg;
	size_t	 n = strlen(s);

	snprintf(s + n, 64 - n, "%s:%.*s ", r->op, (int)r->len, r->body);
	return 0;
}

/* Ensure that the outbox keeps records in order until acknowledged. */
static void
test_outbox(void **state)
{
	struct fixture		*f = *state;
	struct baseline_counts	 c;
	char			*cause = NULL, seen[64] = "";
	int64_t			 last = -1;

	assert_int_equal(baseline_outbox_last(f->bl, &last, &cause), 0);
	assert_int_equal(last, 0);
	assert_int_equal(baseline_outbox_add(f->bl, "insert", "a b", 3,
	    &cause), 0);
	assert_int_equal(baseline_outbox_add(f->bl, "delete", "cXX", 1,
	    &cause), 0);
	assert_int_equal(baseline_outbox_add(f->bl, "insert", "d", 1,
	    &cause), 0);
	assert_int_equal(baseline_outbox_counts(f->bl, 0, &c, &cause), 0);
	assert_int_equal(c.inserts, 2);
	assert_int_equal(c.deletes, 1);
	assert_int_equal(c.total, 3);
	assert_int_equal(baseline_outbox_fetch(f->bl, 0, 2, fetch_cb, seen,
	    &cause), 2);
	assert_string_equal(seen, "insert:a b delete:c ");
	assert_int_equal(baseline_outbox_last(f->bl, &last, &cause), 0);
	assert_int_equal(last, 3);
	assert_int_equal(baseline_outbox_ack(f->bl, 2, &cause), 0);
	seen[0] = '\0';
	assert_int_equal(baseline_outbox_fetch(f->bl, 0, 10, fetch_cb, seen,
	    &cause), 1);
	assert_string_equal(seen, "insert:d ");
}

int
main(void)
{
	const char	*dir;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bind_toobig, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bind_overlong, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bind_chunk_hi, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_open_wrong_key, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_open_missing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meta_chunks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_outbox, setup, teardown),
	};

	/* Their files go where dbsyscheck accepts them (tests/testdir.sh). */
	if ((dir = getenv("DBSC_TESTDIR")) != NULL && chdir(dir) == -1) {
		perror(dir);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}

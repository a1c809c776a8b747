/* Unit tests for table entries, chunk ranges and meta values. */
#include "config.h"

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

#include "baseline.h"
#include "xmalloc.h"

#include "testdir.h"

struct fixture {
	char		 dir[PATH_MAX];
	char		 path[PATH_MAX + 32];
	struct baseline	*bl;
};

static const unsigned char keycheck[BASELINE_KEYCHECK_LEN] = { 1, 2, 3 };

static int
setup(void **state)
{
	struct fixture	*f;
	char		*cause = NULL;

	f = xcalloc(1, sizeof *f);
	assert_int_equal(testdir_make(f->dir, sizeof f->dir), 0);
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

int
main(void)
{
	const char	*top;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meta_chunks, setup,
		    teardown),
	};

	/* Their files go where dbsyscheck accepts them (tests/testdir.sh). */
	if ((top = getenv("DBSC_TESTDIR")) != NULL && chdir(top) == -1) {
		perror(top);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for scan and scan_chunk: a run on a real baseline, no server. */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "baseline.h"
#include "buf.h"
#include "conf.h"
#include "rowenc.h"
#include "scan.h"
#include "seal.h"
#include "schema.h"
#include "source_mysql.h"
#include "xmalloc.h"

#include "testdir.h"

/*
 * The database as the stand-ins of source_mysql.c see it (linked with
 * --wrap=source_describe and the others): tables d.t and d.u, each of an
 * INT key id and a varchar v, rows in key order.
 */
#define NROWS	300

struct frow {
	long long	 id;
	char		 v[32];
	int		 vnull;
};

struct ftable {
	const char	*name;
	int		 missing;	/* source_describe returns 1 */
	int		 extra;		/* a third column w */
	int		 nokey;		/* no usable key */
	int		 flt;		/* a FLOAT column f */
	int		 keyv;		/* the key is v, not id */
	int		 encver;	/* -1: as a release of version 0 */
	const char	*watch;
	size_t		 n;
	struct frow	 rows[NROWS];
};

static struct ftable	 tables[2];
static int		 lost;		/* source_lost */
static int		 fail_rows = -1; /* source_stream fails after these */
static int		 nstreams;	/* source_stream calls */
static size_t		 nextras;	/* extra columns asked for */
static int		 nchunks;	/* source_chunk calls */
static char		 ranges[256];	/* "lo-hi " of each source_stream */
static int		 nthreads;	/* source_threads_running calls */
static int		 threads_self_null; /* ... all with self NULL */
static int		 dummy;
static struct source	*fsrc = (struct source *)&dummy;

int	 __wrap_source_describe(struct source *, const char *, const char *,
	    struct schema **, char **);
int	 __wrap_source_stream(struct source *, const struct schema *,
	    const struct source_extra *, size_t, const struct keyvals *,
	    const struct keyvals *, source_row_cb, void *,
	    volatile sig_atomic_t *, char **);
int	 __wrap_source_chunk(struct source *, const struct schema *,
	    const struct keyvals *, const struct keyvals *, uint64_t *,
	    unsigned char[CHUNKHASH_AGG_LEN], uint64_t *, char **);
int	 __wrap_source_empty(struct source *, const struct schema *, int *,
	    char **);
int	 __wrap_source_threads_running(struct source *, const struct source *,
	    unsigned long *, char **);
int	 __wrap_source_lost(const struct source *);

static struct ftable *
ftable(const char *name)
{
	size_t	 i;

	for (i = 0; i < 2; i++) {
		if (strcmp(tables[i].name, name) == 0)
			return &tables[i];
	}
	fail_msg("no table %s", name);
	return NULL;
}

int
__wrap_source_describe(struct source *src, const char *db, const char *name,
    struct schema **out, char **cause)
{
	struct ftable	*ft = ftable(name);
	struct schema	*s;
	struct column	*c;

	assert_ptr_equal(src, fsrc);
	assert_string_equal(db, "d");
	*out = NULL;
	if (ft->missing)
		return 1;
	if (ft->nokey) {
		*cause = xstrdup("no primary key or unique NOT NULL key");
		return -1;
	}
	s = schema_create(db, name);
	c = schema_add_column(s, "id", "int(11)", NULL, NULL, 0, "int");
	c->keypos = !ft->keyv;
	c = schema_add_column(s, "v", "varchar(64)", "utf8mb4", "utf8mb4_bin",
	    !ft->keyv, "varchar");
	c->keypos = ft->keyv;
	if (ft->extra)
		schema_add_column(s, "w", "int(11)", NULL, NULL, 1, "int");
	if (ft->flt)
		schema_add_column(s, "f", "float", NULL, NULL, 1, "float");
	/* An older release: every column as its text (scan_layout). */
	if (ft->encver == -1)
		s->encver = 0;
	s->key = xcalloc(1, sizeof *s->key);
	s->key[0] = ft->keyv ? 1 : 0;
	s->nkey = 1;
	s->watch = xstrdup(ft->watch != NULL ? ft->watch : "");
	*out = s;
	return 0;
}

/* The key value of a bound, or the default. */
static long long
bound(const struct keyvals *kv, long long dflt)
{
	char	 text[32];

	if (kv == NULL)
		return dflt;
	assert_true(kv->lens[0] < sizeof text);
	memcpy(text, kv->vals[0], kv->lens[0]);
	text[kv->lens[0]] = '\0';
	return strtoll(text, NULL, 10);
}

/* Column c of row r in encoding enc, as the client library gives it. */
static void
fval(const struct frow *r, const struct column *c, enum colenc enc,
    char idtext[32], const char **val, unsigned long *len)
{
	if (strcmp(c->name, "id") == 0) {
		snprintf(idtext, 32, "%lld", r->id);
		*val = idtext;
	} else if (strcmp(c->name, "v") == 0)
		*val = r->vnull ? NULL : r->v;
	else if (strcmp(c->name, "w") == 0)
		*val = "7";
	else	/* f, a FLOAT: its text, or CAST(f AS DOUBLE) */
		*val = enc == COLENC_DOUBLE ? "0.10000000149011612" : "0.1";
	*len = *val != NULL ? strlen(*val) : 0;
}

/*
 * The values of row r as source_stream gives them: the hashed columns in
 * their encodings, then the extra ones in theirs.
 */
static size_t
fvals(const struct schema *s, const struct frow *r,
    const struct source_extra *extra, size_t nextra, char idtext[32],
    const char *vals[8], unsigned long lens[8])
{
	size_t	 i, n = 0;

	for (i = 0; i < s->ncols; i++) {
		if (s->cols[i].hashed) {
			fval(r, &s->cols[i], s->cols[i].enc, idtext, &vals[n],
			    &lens[n]);
			n++;
		}
	}
	for (i = 0; i < nextra; i++, n++)
		fval(r, &s->cols[extra[i].col], extra[i].enc, idtext, &vals[n],
		    &lens[n]);
	assert_true(n <= 8);
	return n;
}

int
__wrap_source_stream(struct source *src, const struct schema *s,
    const struct source_extra *extra, size_t nextra, const struct keyvals *lo,
    const struct keyvals *hi, source_row_cb cb, void *arg,
    volatile sig_atomic_t *stop, char **cause)
{
	struct ftable	*ft = ftable(s->name);
	const char	*vals[8];
	unsigned long	 lens[8];
	char		 idtext[32];
	long long	 l, h;
	size_t		 i, len;
	int		 n = 0;

	assert_ptr_equal(src, fsrc);
	assert_non_null(stop);
	nstreams++;
	nextras += nextra;
	l = bound(lo, -1);
	h = bound(hi, 1LL << 62);
	len = strlen(ranges);
	snprintf(ranges + len, sizeof ranges - len, "%s-%s ",
	    lo == NULL ? "" : lo->vals[0], hi == NULL ? "" : hi->vals[0]);
	for (i = 0; i < ft->n; i++) {
		if (ft->rows[i].id <= l || ft->rows[i].id > h)
			continue;
		if (n++ == fail_rows) {
			*cause = xstrdup("Lost connection to server during "
			    "query");
			return -1;
		}
		fvals(s, &ft->rows[i], extra, nextra, idtext, vals, lens);
		if (cb(arg, vals, lens) == -1) {
			*cause = xstrdup("row callback failed");
			return -1;
		}
	}
	return 0;
}

int
__wrap_source_chunk(struct source *src, const struct schema *s,
    const struct keyvals *lo, const struct keyvals *hi, uint64_t *count,
    unsigned char agg[CHUNKHASH_AGG_LEN], uint64_t *oversize, char **cause)
{
	struct ftable	*ft = ftable(s->name);
	const char	*vals[8];
	unsigned long	 lens[8];
	unsigned char	 varlen[8];
	char		 idtext[32];
	long long	 l, h;
	size_t		 i, n = 0;

	(void)src;
	(void)cause;
	nchunks++;
	l = bound(lo, -1);
	h = bound(hi, 1LL << 62);
	*count = 0;
	*oversize = 0;
	memset(agg, 0, CHUNKHASH_AGG_LEN);
	for (i = 0; i < s->ncols; i++) {
		if (s->cols[i].hashed)
			varlen[n++] = (unsigned char)s->cols[i].varlen;
	}
	for (i = 0; i < ft->n; i++) {
		if (ft->rows[i].id <= l || ft->rows[i].id > h)
			continue;
		n = fvals(s, &ft->rows[i], NULL, 0, idtext, vals, lens);
		rowenc_chunk_hash(vals, lens, n, varlen, agg);
		(*count)++;
	}
	return 0;
}

int
__wrap_source_empty(struct source *src, const struct schema *s, int *empty,
    char **cause)
{
	(void)src;
	(void)cause;
	*empty = ftable(s->name)->n == 0;
	return 0;
}

int
__wrap_source_threads_running(struct source *src, const struct source *self,
    unsigned long *n, char **cause)
{
	assert_ptr_equal(src, fsrc);
	nthreads++;
	if (self != NULL)
		threads_self_null = 0;
	if (nthreads == 3) {
		*cause = xstrdup("SHOW STATUS: injected");
		return -1;
	}
	*n = 1;
	return 0;
}

int
__wrap_source_lost(const struct source *src)
{
	(void)src;
	return lost;
}

/* One test's state: a baseline in a directory of its own. */
struct fixture {
	char			 dir[PATH_MAX];
	char			 path[PATH_MAX + 32];
	struct baseline		*bl;
	struct conf		*conf;
	int64_t			 seen;		/* last record read */
	volatile sig_atomic_t	 stop;
	unsigned char		 key[32];
};

static const unsigned char keycheck[BASELINE_KEYCHECK_LEN] = { 9, 9, 9 };

static void
fill(struct ftable *ft, const char *name, size_t n)
{
	size_t	 i;

	memset(ft, 0, sizeof *ft);
	ft->name = name;
	ft->n = n;
	for (i = 0; i < n; i++) {
		ft->rows[i].id = (long long)i + 1;
		snprintf(ft->rows[i].v, sizeof ft->rows[i].v, "v%zu", i + 1);
	}
}

static int
setup(void **state)
{
	struct fixture	*f;
	const char	*text;
	char		*cause = NULL;
	size_t		 i;

	f = xcalloc(1, sizeof *f);
	assert_int_equal(testdir_make(f->dir, sizeof f->dir), 0);
	snprintf(f->path, sizeof f->path, "%s/baseline.db", f->dir);
	f->bl = baseline_open(f->path, BASELINE_CREATE, keycheck, &cause);
	if (f->bl == NULL)
		fail_msg("open: %s", cause);
	text = "baseline /nonexistent/b.db\nkey /nonexistent/key\n"
	    "mysql-defaults-file /nonexistent/my.cnf\n"
	    "table d.t\ntable d.u chunk=2\n";
	f->conf = conf_parse("test.conf", text, strlen(text), &cause);
	if (f->conf == NULL)
		fail_msg("conf: %s", cause);
	for (i = 0; i < sizeof f->key; i++)
		f->key[i] = (unsigned char)(i * 7);
	fill(&tables[0], "t", 3);
	fill(&tables[1], "u", 5);
	lost = 0;
	fail_rows = -1;
	nstreams = nchunks = nthreads = 0;
	nextras = 0;
	threads_self_null = 1;
	ranges[0] = '\0';
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		*p;

	baseline_close(f->bl);
	conf_free(f->conf);
	unlink(f->path);
	p = xasprintf("%s.lock", f->path);
	unlink(p);
	free(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int
collect(void *arg, const struct baseline_outrec *r)
{
	struct fixture	*f = ((void **)arg)[0];
	struct buf	*b = ((void **)arg)[1];

	buf_adds(b, r->op);
	buf_addc(b, '|');
	buf_add(b, r->body, r->len);
	buf_addc(b, '\n');
	f->seen = r->seq;
	return 0;
}

/* The records queued since the last call, "op|body\n" each. */
static char *
records(struct fixture *f)
{
	struct buf	 b;
	void		*arg[2] = { f, &b };
	char		*cause = NULL, *s;

	buf_init(&b, BUF_NOCAP);
	buf_addc(&b, '\0');
	b.len = 0;
	if (baseline_outbox_fetch(f->bl, f->seen, 1000, collect, arg,
	    &cause) == -1)
		fail_msg("fetch: %s", cause);
	s = xstrdup(buf_str(&b));
	buf_free(&b);
	return s;
}

static void
check_records(struct fixture *f, const char *want)
{
	char	*got = records(f);

	assert_string_equal(got, want);
	free(got);
}

/*
 * A whole run over the tables named in which ("t", "u", "tu") in mode:
 * returns the result of the last scan_table; causes into *cause.
 */
static int
run(struct fixture *f, const char *which, enum scan_mode mode,
    struct scan_stats *stats, char **causep)
{
	struct scan	*sc;
	const char	*p;
	char		*cause = NULL, name[2] = "";
	int		 r = 0;

	if (baseline_begin(f->bl, &cause) == -1)
		fail_msg("begin: %s", cause);
	sc = scan_create(fsrc, f->bl, f->key, sizeof f->key, "root@x",
	    &f->stop);
	if (scan_begin(sc, &cause) == -1)
		fail_msg("scan_begin: %s", cause);
	for (p = which; *p != '\0'; p++) {
		name[0] = *p;
		free(cause);
		cause = NULL;
		r = scan_table(sc, conf_find_table(f->conf, "d", name), mode,
		    &cause);
	}
	if (causep != NULL)
		*causep = cause;
	else if (r != 0)
		fail_msg("scan_table: %s", cause);
	else
		free(cause);
	cause = NULL;
	if (r != SCAN_FATAL && scan_end(sc, &cause) == -1)
		fail_msg("scan_end: %s", cause);
	if (stats != NULL)
		*stats = *scan_stats(sc);
	scan_free(sc);
	if (r == SCAN_FATAL)
		baseline_rollback(f->bl);
	else if (baseline_commit(f->bl, &cause) == -1)
		fail_msg("commit: %s", cause);
	return r;
}

/*
 * Ensure that a first scan stores the rows and queues exactly one
 * op=baseline per table, and that the list of tables is stored as pairs of
 * NUL-terminated names.
 */
static void
test_first(void **state)
{
	struct fixture		*f = *state;
	struct scan_stats	 st;
	unsigned char		*list = NULL;
	size_t			 len;
	char			*cause = NULL;

	run(f, "tu", SCAN_REPORT, &st, NULL);
	check_records(f, "baseline|op=baseline table=d.t rows=3 src=scan ;\n"
	    "baseline|op=baseline table=d.u rows=5 src=scan ;\n");
	assert_int_equal(st.events, 2);
	assert_int_equal(st.rows, 8);
	assert_int_equal(st.inserts + st.updates + st.deletes + st.errors, 0);
	assert_int_equal(baseline_meta_get_blob(f->bl, "tables", &list, &len,
	    &cause), 1);
	assert_int_equal(len, 8);
	assert_memory_equal(list, "d\0t\0d\0u\0", 8);
	free(list);

	/* Nothing changed: nothing queued. */
	run(f, "tu", SCAN_REPORT, &st, NULL);
	check_records(f, "");
	assert_int_equal(st.events, 0);
	assert_int_equal(st.rows, 8);
}

/*
 * Ensure that the diff of rows becomes op=insert, op=update with the
 * changed column, and op=delete, byte for byte, in key order.
 */
static void
test_changes(void **state)
{
	struct fixture		*f = *state;
	struct ftable		*t = &tables[0];
	struct scan_stats	 st;

	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "baseline|op=baseline table=d.t rows=3 src=scan ;\n");
	/* Rows 1 2 3 become 2 (v changed) 3 (v NULL) 4. */
	t->rows[0] = t->rows[1];
	t->rows[1] = t->rows[2];
	t->rows[2].id = 4;
	snprintf(t->rows[0].v, sizeof t->rows[0].v, "changed");
	t->rows[1].vnull = 1;
	run(f, "t", SCAN_REPORT, &st, NULL);
	check_records(f,
	    "delete|op=delete table=d.t pk=id=1 changed=- src=scan by=- ;\n"
	    "update|op=update table=d.t pk=id=2 changed=v src=scan by=- ;\n"
	    "update|op=update table=d.t pk=id=3 changed=v src=scan by=- ;\n"
	    "insert|op=insert table=d.t pk=id=4 changed=- src=scan by=- ;\n");
	assert_int_equal(st.inserts, 1);
	assert_int_equal(st.updates, 2);
	assert_int_equal(st.deletes, 1);
	assert_int_equal(st.rows, 3);

	/* The changes were stored: the same rows again give nothing. */
	run(f, "t", SCAN_REPORT, &st, NULL);
	check_records(f, "");
}

/*
 * Ensure that a reset stores the rows silently with one op=reset naming
 * the account, and a later report compares with the reset rows.
 */
static void
test_reset(void **state)
{
	struct fixture	*f = *state;
	struct ftable	*t = &tables[0];

	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "baseline|op=baseline table=d.t rows=3 src=scan ;\n");
	snprintf(t->rows[2].v, sizeof t->rows[2].v, "x");
	t->n = 2 + 1;
	run(f, "t", SCAN_RESET, NULL, NULL);
	check_records(f,
	    "reset|op=reset table=d.t rows=3 src=scan by=root@x ;\n");
	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "");
}

/* Store list (len bytes) as the list of tables, sealed with f's key. */
static void
put_list(struct fixture *f, const void *list, size_t len)
{
	unsigned char	 mac[ROWENC_MAC_LEN];
	char		*cause = NULL;

	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(seal_list(f->key, sizeof f->key, list, len, mac,
	    &cause), 0);
	assert_int_equal(baseline_meta_put_blob(f->bl, "tables", list, len,
	    &cause), 0);
	assert_int_equal(baseline_meta_put_blob(f->bl, "tables_mac", mac,
	    sizeof mac, &cause), 0);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
}

/*
 * Ensure that a table the authentic list names but which has no entry
 * (its entry was removed) gives op=schema rows=uncompared, not a silent
 * op=baseline; and that scan_end keeps the name of an entry removed but
 * not scanned in this run, so that a later run still reports it.
 */
static void
test_entry_removed(void **state)
{
	struct fixture	*f = *state;
	unsigned char	*list = NULL;
	size_t		 len;
	char		*cause = NULL;

	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "baseline|op=baseline table=d.t rows=3 src=scan ;\n");
	put_list(f, "d\0t\0d\0u\0", 8);
	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "");
	assert_int_equal(baseline_meta_get_blob(f->bl, "tables", &list, &len,
	    &cause), 1);
	assert_int_equal(len, 8);
	assert_memory_equal(list, "d\0t\0d\0u\0", 8);
	free(list);
	run(f, "u", SCAN_REPORT, NULL, NULL);
	check_records(f, "schema|op=schema table=d.u baseline=tampered "
	    "rows=uncompared src=scan ;\n");
	/* A reset takes the table over silently. */
	put_list(f, "d\0t\0d\0z\0", 8);
	run(f, "t", SCAN_RESET, NULL, NULL);
	free(records(f));
	assert_int_equal(baseline_meta_get_blob(f->bl, "tables", &list, &len,
	    &cause), 1);
	/* The entries, then the names kept. */
	assert_int_equal(len, 12);
	assert_memory_equal(list, "d\0t\0d\0u\0d\0z\0", 12);
	free(list);
}

/*
 * Ensure that a list that does not end in a whole pair is read up to its
 * last whole pair: a lone database name names no table.
 */
static void
test_list_truncated(void **state)
{
	struct fixture	*f = *state;

	run(f, "t", SCAN_REPORT, NULL, NULL);
	free(records(f));
	put_list(f, "d\0t\0u\0", 6);
	run(f, "u", SCAN_REPORT, NULL, NULL);
	check_records(f, "baseline|op=baseline table=d.u rows=5 src=scan ;\n");
}

/*
 * Ensure that a list of tables whose MAC fails makes a table without an
 * entry suspect: op=schema baseline=tampered rows=uncompared instead of
 * op=baseline; with an authentic list the same table is a first scan.
 */
static void
test_list_tampered(void **state)
{
	struct fixture	*f = *state;
	unsigned char	*mac = NULL;
	size_t		 len;
	char		*cause = NULL;

	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "baseline|op=baseline table=d.t rows=3 src=scan ;\n");
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_meta_get_blob(f->bl, "tables_mac", &mac,
	    &len, &cause), 1);
	assert_int_equal(len, ROWENC_MAC_LEN);
	mac[31] ^= 1;
	assert_int_equal(baseline_meta_put_blob(f->bl, "tables_mac", mac,
	    len, &cause), 0);
	free(mac);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	run(f, "u", SCAN_REPORT, NULL, NULL);
	check_records(f, "schema|op=schema table=d.u baseline=tampered "
	    "rows=uncompared src=scan ;\n");
}

/* Ensure that a list whose MAC is short or absent is refused the same. */
static void
test_list_short_mac(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "baseline|op=baseline table=d.t rows=3 src=scan ;\n");
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_meta_put_blob(f->bl, "tables_mac", "x", 1,
	    &cause), 0);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	run(f, "u", SCAN_REPORT, NULL, NULL);
	check_records(f, "schema|op=schema table=d.u baseline=tampered "
	    "rows=uncompared src=scan ;\n");
}

/* Ensure that an untouched list lets a new table be a first scan. */
static void
test_list_authentic(void **state)
{
	struct fixture	*f = *state;

	run(f, "t", SCAN_REPORT, NULL, NULL);
	run(f, "u", SCAN_REPORT, NULL, NULL);
	check_records(f, "baseline|op=baseline table=d.t rows=3 src=scan ;\n"
	    "baseline|op=baseline table=d.u rows=5 src=scan ;\n");
}

/*
 * Ensure that a table's entry whose MAC fails is not trusted: op=schema
 * baseline=tampered, its rows not compared.
 */
static void
test_entry_tampered(void **state)
{
	struct fixture		*f = *state;
	struct baseline_entry	 e;
	char			*cause = NULL;

	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "baseline|op=baseline table=d.t rows=3 src=scan ;\n");
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_table_get(f->bl, "d", "t", &e, &cause), 1);
	e.nrows = 2;
	assert_int_equal(baseline_table_put(f->bl, "d", "t", &e, &cause), 0);
	baseline_entry_clear(&e);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	tables[0].n = 2;
	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "schema|op=schema table=d.t baseline=tampered "
	    "rows=uncompared src=scan ;\n");
	/* The entry is sealed anew: the next run trusts it. */
	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "");
}

/*
 * Ensure that a column added gives op=schema added= updates=uncompared,
 * and that row inserts are still reported in that run.
 */
static void
test_schema_columns(void **state)
{
	struct fixture	*f = *state;
	struct ftable	*t = &tables[0];

	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "baseline|op=baseline table=d.t rows=3 src=scan ;\n");
	t->extra = 1;
	t->n = 4;
	t->rows[3].id = 9;
	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "schema|op=schema table=d.t added=w "
	    "updates=uncompared src=scan ;\n"
	    "insert|op=insert table=d.t pk=id=9 changed=- src=scan by=- ;\n");
	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "");
}

/*
 * Ensure that a new key gives op=schema rows=uncompared and no row
 * records (the stored keys do not compare), and that the rows are stored
 * under the new key: the next change names it in pk=.
 */
static void
test_schema_key(void **state)
{
	struct fixture	*f = *state;
	struct ftable	*t = &tables[0];

	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "baseline|op=baseline table=d.t rows=3 src=scan ;\n");
	/* v, now the key, also became NOT NULL: retyped. */
	t->keyv = 1;
	t->n = 2;
	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "schema|op=schema table=d.t retyped=v key=changed "
	    "rows=uncompared src=scan ;\n");
	t->n = 1;
	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f,
	    "delete|op=delete table=d.t pk=v=v2 changed=- src=scan by=- ;\n");
}

/* Ensure that a new trigger on the table gives op=schema watch_added=. */
static void
test_schema_watch(void **state)
{
	struct fixture	*f = *state;
	struct ftable	*t = &tables[0];

	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "baseline|op=baseline table=d.t rows=3 src=scan ;\n");
	t->watch = "trigger:trg%3B1\tBEFORE\n";
	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "schema|op=schema table=d.t "
	    "watch_added=trigger:trg%3B1 src=scan ;\n");
}

/*
 * Ensure that a table that is gone gives one op=missing with the rows it
 * had, once; and a table never seen is an error with the exact message.
 */
static void
test_missing(void **state)
{
	struct fixture		*f = *state;
	struct scan_stats	 st;
	char			*cause = NULL;

	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "baseline|op=baseline table=d.t rows=3 src=scan ;\n");
	tables[0].missing = 1;
	run(f, "t", SCAN_REPORT, &st, NULL);
	check_records(f, "missing|op=missing table=d.t rows=3 src=scan ;\n");
	assert_int_equal(st.events, 1);
	run(f, "t", SCAN_REPORT, &st, NULL);
	check_records(f, "");
	assert_int_equal(st.events, 0);

	tables[1].missing = 1;
	assert_int_equal(run(f, "u", SCAN_REPORT, &st, &cause),
	    SCAN_TABLE_ERROR);
	assert_string_equal(cause, "no such table, or no privilege to see it");
	free(cause);
	assert_int_equal(st.errors, 1);
	check_records(f, "");

	/* A reset of a missing table is an error too. */
	assert_int_equal(run(f, "t", SCAN_RESET, &st, &cause),
	    SCAN_TABLE_ERROR);
	assert_string_equal(cause, "no such table, or no privilege to see it");
	free(cause);
}

/*
 * Ensure that a table of more than 100 rows that is now empty gives one
 * op=schema emptied=, not a delete per row; and that 100 rows emptied
 * (the boundary) give the deletes.
 */
static void
test_emptied(void **state)
{
	struct fixture		*f = *state;
	struct scan_stats	 st;
	char			*got;

	fill(&tables[0], "t", 101);
	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f,
	    "baseline|op=baseline table=d.t rows=101 src=scan ;\n");
	tables[0].n = 0;
	run(f, "t", SCAN_REPORT, &st, NULL);
	check_records(f, "schema|op=schema table=d.t emptied=101 src=scan ;\n");
	assert_int_equal(st.deletes, 0);

	fill(&tables[1], "u", 100);
	run(f, "u", SCAN_REPORT, NULL, NULL);
	free(records(f));
	tables[1].n = 0;
	run(f, "u", SCAN_REPORT, &st, NULL);
	assert_int_equal(st.deletes, 100);
	got = records(f);
	assert_true(strncmp(got, "delete|op=delete table=d.u pk=id=1 ",
	    35) == 0);
	free(got);
}

/*
 * Ensure that a stream that fails mid-table rolls that table back (its
 * records, rows and counts) with the source's message, and that a lost
 * connection makes the failure fatal.
 */
static void
test_stream_fails(void **state)
{
	struct fixture		*f = *state;
	struct scan_stats	 st;
	char			*cause = NULL;

	run(f, "t", SCAN_REPORT, NULL, NULL);
	free(records(f));
	tables[0].rows[0].id = 0;	/* an insert, then the failure */
	fail_rows = 1;
	assert_int_equal(run(f, "t", SCAN_REPORT, &st, &cause),
	    SCAN_TABLE_ERROR);
	assert_string_equal(cause, "Lost connection to server during query");
	free(cause);
	assert_int_equal(st.inserts, 0);
	assert_int_equal(st.errors, 1);
	check_records(f, "");

	fail_rows = -1;
	run(f, "t", SCAN_REPORT, &st, NULL);
	check_records(f,
	    "insert|op=insert table=d.t pk=id=0 changed=- src=scan by=- ;\n"
	    "delete|op=delete table=d.t pk=id=1 changed=- src=scan by=- ;\n");

	fail_rows = 0;
	lost = 1;
	assert_int_equal(run(f, "t", SCAN_REPORT, &st, &cause), SCAN_FATAL);
	free(cause);
}

/* Ensure that a table without a usable key fails with the source's words. */
static void
test_no_key(void **state)
{
	struct fixture		*f = *state;
	struct scan_stats	 st;
	char			*cause = NULL;

	tables[0].nokey = 1;
	assert_int_equal(run(f, "t", SCAN_REPORT, &st, &cause),
	    SCAN_TABLE_ERROR);
	assert_string_equal(cause, "no primary key or unique NOT NULL key");
	free(cause);
	assert_int_equal(st.errors, 1);
}

/* Ensure that scan_error queues op=error with the message cut at its cap. */
static void
test_scan_error(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL, *msg, *got;

	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(scan_error(f->bl, "d", "t", "bad; x=y\n", &cause), 0);
	assert_int_equal(scan_error(f->bl, NULL, NULL, "run", &cause), 0);
	msg = xmalloc(5000);
	memset(msg, 'a', 4999);
	msg[4999] = '\0';
	assert_int_equal(scan_error(f->bl, NULL, NULL, msg, &cause), 0);
	free(msg);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	got = records(f);
	assert_true(strncmp(got,
	    "error|op=error table=d.t msg=bad%3B%20x%3Dy%0A src=scan ;\n"
	    "error|op=error msg=run src=scan ;\n"
	    "error|op=error msg=aaaa", 96) == 0);
	assert_non_null(strstr(got, "a%... src=scan ;\n"));
	assert_true(strlen(strstr(got, "msg=aaaa")) < 4999);
	free(got);
}

/*
 * Ensure that chunk mode stores chunks of chunk= rows (the last one
 * open-ended), and that an unchanged table is compared by aggregates
 * alone, without streaming a row.
 */
static void
test_chunk_layout(void **state)
{
	struct fixture		*f = *state;
	struct baseline_chunk	*c = NULL;
	size_t			 n;
	char			*cause = NULL;

	run(f, "u", SCAN_REPORT, NULL, NULL);
	check_records(f, "baseline|op=baseline table=d.u rows=5 src=scan ;\n");
	assert_int_equal(nstreams, 1);
	assert_int_equal(nchunks, 0);
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_chunks_get(f->bl, 1, &c, &n, &cause), 0);
	baseline_rollback(f->bl);
	/* Rows 1-2, 3-4, 5 and after. */
	assert_int_equal(n, 3);
	assert_int_equal(c[0].nrows, 2);
	assert_int_equal(c[1].nrows, 2);
	assert_int_equal(c[2].nrows, 1);
	assert_non_null(c[0].hi);
	assert_non_null(c[1].hi);
	assert_null(c[2].hi);
	assert_int_equal(c[0].n, 0);
	assert_int_equal(c[2].n, 2);
	baseline_chunks_free(c, n);

	nstreams = 0;
	run(f, "u", SCAN_REPORT, NULL, NULL);
	check_records(f, "");
	assert_int_equal(nstreams, 0);
	assert_int_equal(nchunks, 3);
}

/*
 * Ensure that a changed row is found by its chunk's aggregate and only
 * that chunk is streamed, between the bounds of its neighbours.
 */
static void
test_chunk_changed(void **state)
{
	struct fixture	*f = *state;

	run(f, "u", SCAN_REPORT, NULL, NULL);
	free(records(f));
	ranges[0] = '\0';
	nstreams = 0;
	snprintf(tables[1].rows[3].v, sizeof tables[1].rows[3].v, "new");
	run(f, "u", SCAN_REPORT, NULL, NULL);
	check_records(f,
	    "update|op=update table=d.u pk=id=4 changed=v src=scan by=- ;\n");
	assert_int_equal(nstreams, 1);
	assert_string_equal(ranges, "2-4 ");
	/* Stored anew: the next run streams nothing. */
	nstreams = 0;
	run(f, "u", SCAN_REPORT, NULL, NULL);
	check_records(f, "");
	assert_int_equal(nstreams, 0);
}

/*
 * Ensure that a chunk grown past twice the chunk size is split while it
 * is streamed, and that the last chunk stays open-ended.
 */
static void
test_chunk_split(void **state)
{
	struct fixture		*f = *state;
	struct baseline_chunk	*c = NULL;
	size_t			 n, i;
	char			*cause = NULL;

	run(f, "u", SCAN_REPORT, NULL, NULL);
	free(records(f));
	/* Five more rows after 5: the open last chunk holds six. */
	for (i = 5; i < 10; i++) {
		tables[1].rows[i].id = (long long)i + 1;
		snprintf(tables[1].rows[i].v, sizeof tables[1].rows[i].v, "n");
	}
	tables[1].n = 10;
	ranges[0] = '\0';
	run(f, "u", SCAN_REPORT, NULL, NULL);
	check_records(f,
	    "insert|op=insert table=d.u pk=id=6 changed=- src=scan by=- ;\n"
	    "insert|op=insert table=d.u pk=id=7 changed=- src=scan by=- ;\n"
	    "insert|op=insert table=d.u pk=id=8 changed=- src=scan by=- ;\n"
	    "insert|op=insert table=d.u pk=id=9 changed=- src=scan by=- ;\n"
	    "insert|op=insert table=d.u pk=id=10 changed=- src=scan by=- ;\n");
	assert_string_equal(ranges, "4- ");
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_chunks_get(f->bl, 1, &c, &n, &cause), 0);
	baseline_rollback(f->bl);
	/* 1-2, 3-4, then 5-6, 7-8, 9-10 and an empty open chunk. */
	assert_int_equal(n, 6);
	for (i = 0; i < 5; i++)
		assert_int_equal(c[i].nrows, 2);
	assert_int_equal(c[5].nrows, 0);
	assert_null(c[5].hi);
	baseline_chunks_free(c, n);
}

/*
 * Ensure that a chunk whose MAC fails is streamed and compared row by row
 * even though its count and aggregate agree.
 */
static void
test_chunk_tampered(void **state)
{
	struct fixture		*f = *state;
	struct baseline_chunk	*c = NULL;
	size_t			 n, i;
	char			*cause = NULL;

	run(f, "u", SCAN_REPORT, NULL, NULL);
	free(records(f));
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_chunks_get(f->bl, 1, &c, &n, &cause), 0);
	assert_int_equal(n, 3);
	c[1].mac[0] ^= 1;
	assert_int_equal(baseline_chunks_clear(f->bl, 1, &cause), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(baseline_chunk_put(f->bl, 1, &c[i], &cause),
		    0);
	baseline_chunks_free(c, n);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	ranges[0] = '\0';
	nstreams = 0;
	run(f, "u", SCAN_REPORT, NULL, NULL);
	check_records(f, "");
	assert_int_equal(nstreams, 1);
	assert_string_equal(ranges, "2-4 ");
	/* Sealed anew. */
	nstreams = 0;
	run(f, "u", SCAN_REPORT, NULL, NULL);
	assert_int_equal(nstreams, 0);
}

/*
 * Replace the stored chunks of d.u (tid 1) after change() altered them;
 * returns what the next report of d.u says.
 */
static char *
chunks_altered(struct fixture *f, void (*change)(struct baseline_chunk *,
    size_t))
{
	struct baseline_chunk	*c = NULL;
	size_t			 n, i;
	char			*cause = NULL;

	run(f, "u", SCAN_REPORT, NULL, NULL);
	free(records(f));
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_chunks_get(f->bl, 1, &c, &n, &cause), 0);
	assert_int_equal(n, 3);
	change(c, n);
	assert_int_equal(baseline_chunks_clear(f->bl, 1, &cause), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(baseline_chunk_put(f->bl, 1, &c[i], &cause),
		    0);
	baseline_chunks_free(c, n);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	assert_int_equal(run(f, "u", SCAN_REPORT, NULL, &cause),
	    SCAN_TABLE_ERROR);
	return cause;
}

static void
open_first(struct baseline_chunk *c, size_t n)
{
	(void)n;
	free(c[0].hi);
	c[0].hi = NULL;
	c[0].hilen = 0;
}

static void
bad_bound(struct baseline_chunk *c, size_t n)
{
	(void)n;
	c[1].hilen = 3;
}

/*
 * Ensure that stored chunks whose open-ended one is not the last, or
 * whose bound does not decode as a key, fail the table with the exact
 * message instead of being compared.
 */
static void
test_chunk_malformed(void **state)
{
	struct fixture	*f = *state;
	char		*cause;

	cause = chunks_altered(f, open_first);
	assert_string_equal(cause, "stored chunks are malformed");
	free(cause);
	check_records(f, "");
}

static void
test_chunk_bad_bound(void **state)
{
	struct fixture	*f = *state;
	char		*cause;

	cause = chunks_altered(f, bad_bound);
	assert_string_equal(cause, "stored chunk bound does not decode");
	free(cause);
}

/*
 * Ensure that rows stored by a release of an older encoding version (a
 * FLOAT as its text) are compared under that encoding, read in both: no
 * record for the encoding change, only for real changes; and that they
 * are then stored under the new one.
 */
static void
test_encoding_upgrade(void **state)
{
	struct fixture	*f = *state;
	struct ftable	*t = &tables[0];

	t->flt = 1;
	t->encver = -1;		/* version 0 */
	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "baseline|op=baseline table=d.t rows=3 src=scan ;\n");
	assert_int_equal(nextras, 0);
	t->encver = 0;
	snprintf(t->rows[1].v, sizeof t->rows[1].v, "changed");
	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f,
	    "update|op=update table=d.t pk=id=2 changed=v src=scan by=- ;\n");
	assert_int_equal(nextras, 1);
	nextras = 0;
	run(f, "t", SCAN_REPORT, NULL, NULL);
	check_records(f, "");
	assert_int_equal(nextras, 0);
}

/*
 * Ensure that the load check asks the run's own connection, not counting
 * a streaming connection, and that its failure fails the table.
 */
static void
test_threads_running(void **state)
{
	struct fixture		*f = *state;
	struct scan		*sc;
	struct scan_limits	 l;
	char			*cause = NULL;
	int			 r;

	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	sc = scan_create(fsrc, f->bl, f->key, sizeof f->key, "x", &f->stop);
	memset(&l, 0, sizeof l);
	l.max_threads_running = 5;
	scan_set_limits(sc, &l);
	assert_int_equal(scan_begin(sc, &cause), 0);
	r = scan_table(sc, conf_find_table(f->conf, "d", "t"), SCAN_REPORT,
	    &cause);
	assert_int_equal(r, 0);
	assert_int_equal(nthreads, 1);
	assert_int_equal(threads_self_null, 1);
	r = scan_table(sc, conf_find_table(f->conf, "d", "t"), SCAN_REPORT,
	    &cause);
	assert_int_equal(r, 0);
	r = scan_table(sc, conf_find_table(f->conf, "d", "t"), SCAN_REPORT,
	    &cause);
	assert_int_equal(r, SCAN_TABLE_ERROR);
	assert_string_equal(cause, "SHOW STATUS: injected");
	free(cause);
	assert_int_equal(scan_stats(sc)->errors, 1);
	scan_free(sc);
	baseline_rollback(f->bl);
}

/* Progress calls: the last one of each table. */
static char	 progress[128];

static void
on_progress(void *arg, const char *db, const char *name, uint64_t rows,
    int done)
{
	(void)arg;
	if (done)
		snprintf(progress + strlen(progress),
		    sizeof progress - strlen(progress), "%s.%s=%llu ", db,
		    name, (unsigned long long)rows);
}

/* Ensure that progress reports each table's end with its row count. */
static void
test_progress(void **state)
{
	struct fixture	*f = *state;
	struct scan	*sc;
	char		*cause = NULL;

	progress[0] = '\0';
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	sc = scan_create(fsrc, f->bl, f->key, sizeof f->key, "x", &f->stop);
	scan_set_progress(sc, on_progress, NULL);
	assert_int_equal(scan_begin(sc, &cause), 0);
	assert_int_equal(scan_table(sc, conf_find_table(f->conf, "d", "t"),
	    SCAN_REPORT, &cause), 0);
	assert_int_equal(scan_table(sc, conf_find_table(f->conf, "d", "u"),
	    SCAN_REPORT, &cause), 0);
	assert_string_equal(progress, "d.t=3 d.u=5 ");
	scan_free(sc);
	baseline_rollback(f->bl);
}

/* Ensure that a stop flag set before a table makes it fatal. */
static void
test_stopped(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	f->stop = 1;
	fail_rows = 0;
	assert_int_equal(run(f, "t", SCAN_REPORT, NULL, &cause), SCAN_FATAL);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_removed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_list_truncated, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_list_tampered, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_list_short_mac, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_list_authentic, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_entry_tampered, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_schema_columns, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_schema_key, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_schema_watch, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_emptied, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_fails, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_error, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_chunk_layout, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_chunk_changed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_chunk_split, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_chunk_tampered, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_chunk_malformed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_chunk_bad_bound, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_encoding_upgrade, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_threads_running, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_progress, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stopped, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

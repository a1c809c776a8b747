/* Unit tests for the baseline's file: opening, key check, checked binds. */
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
#include "diff.h"
#include "store.h"
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

/* Ensure that no follow position is stored in a new baseline. */
static void
test_follow_none(void **state)
{
	struct fixture	*f = *state;
	char		 file[512], gtid[64], *cause = NULL;
	uint64_t	 off = 7;

	assert_int_equal(baseline_follow_get(f->bl, file, sizeof file, &off,
	    gtid, sizeof gtid, &cause), 0);
	assert_null(cause);
	assert_int_equal(off, 7);
}

/*
 * Ensure that the follow position is stored with the records queued in
 * the same transaction, and read back as stored; a second one replaces it.
 */
static void
test_follow_set_get(void **state)
{
	struct fixture	*f = *state;
	char		 file[512], gtid[64], *cause = NULL;
	uint64_t	 off = 0;
	int64_t		 last = 0;

	assert_int_equal(baseline_outbox_add(f->bl, "insert", "op=insert ;",
	    11, &cause), 0);
	assert_int_equal(baseline_follow_set(f->bl, "binlog.000003", 1234,
	    "0-1-42", &cause), 0);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	assert_int_equal(baseline_follow_get(f->bl, file, sizeof file, &off,
	    gtid, sizeof gtid, &cause), 1);
	assert_string_equal(file, "binlog.000003");
	assert_int_equal(off, 1234);
	assert_string_equal(gtid, "0-1-42");
	assert_int_equal(baseline_outbox_last(f->bl, &last, &cause), 0);
	assert_int_equal(last, 1);

	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_follow_set(f->bl, "binlog.000004", 4, "",
	    &cause), 0);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	assert_int_equal(baseline_follow_get(f->bl, file, sizeof file, &off,
	    gtid, sizeof gtid, &cause), 1);
	assert_string_equal(file, "binlog.000004");
	assert_int_equal(off, 4);
	assert_string_equal(gtid, "");

	/* reset forgets it. */
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_follow_clear(f->bl, &cause), 0);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	assert_int_equal(baseline_follow_get(f->bl, file, sizeof file, &off,
	    gtid, sizeof gtid, &cause), 0);
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
}

/* Collect the queued records' bodies, one a line. */
static int
xa_collect(void *arg, const struct baseline_outrec *r)
{
	char	*b = arg;
	size_t	 n = strlen(b);

	snprintf(b + n, 256 - n, "%s %.*s\n", r->op, (int)r->len, r->body);
	return 0;
}

/*
 * Ensure that a prepared XA transaction's records are kept apart until
 * XA COMMIT moves them to the outbox in order, counted; XA ROLLBACK and
 * reset forget them; adding them needs a transaction.
 */
static void
test_follow_xa(void **state)
{
	struct fixture	*f = *state;
	char		 out[256] = "", *cause = NULL;
	uint64_t	 n = 9;

	assert_int_equal(baseline_xa_add(f->bl, "X'61',X'',1", "insert",
	    "a1 ;", 4, &cause), 0);
	assert_int_equal(baseline_xa_add(f->bl, "X'62',X'',1", "delete",
	    "b1 ;", 4, &cause), 0);
	assert_int_equal(baseline_xa_add(f->bl, "X'61',X'',1", "update",
	    "a2 ;", 4, &cause), 0);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	assert_int_equal(baseline_xa_count(f->bl, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(baseline_outbox_fetch(f->bl, 0, 10, xa_collect, out,
	    &cause), 0);
	assert_string_equal(out, "");

	/* Outside a transaction: refused. */
	assert_int_equal(baseline_xa_add(f->bl, "X'63',X'',1", "insert",
	    "c ;", 3, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(baseline_xa_end(f->bl, "X'61',X'',1", 1, &n,
	    &cause), -1);
	free(cause);
	cause = NULL;

	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_xa_end(f->bl, "X'61',X'',1", 1, &n,
	    &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(baseline_xa_end(f->bl, "X'62',X'',1", 0, &n,
	    &cause), 0);
	assert_int_equal(n, 0);
	/* An xid never prepared: nothing. */
	assert_int_equal(baseline_xa_end(f->bl, "X'64',X'',1", 1, &n,
	    &cause), 0);
	assert_int_equal(n, 0);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	assert_int_equal(baseline_outbox_fetch(f->bl, 0, 10, xa_collect, out,
	    &cause), 2);
	assert_string_equal(out, "insert a1 ;\nupdate a2 ;\n");
	assert_int_equal(baseline_xa_count(f->bl, &n, &cause), 0);
	assert_int_equal(n, 0);

	/* reset forgets what is kept. */
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_xa_add(f->bl, "X'65',X'',1", "insert",
	    "e ;", 3, &cause), 0);
	assert_int_equal(baseline_follow_clear(f->bl, &cause), 0);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	assert_int_equal(baseline_xa_count(f->bl, &n, &cause), 0);
	assert_int_equal(n, 0);
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
}

/*
 * Ensure that a rolled-back transaction (a kill before the commit) leaves
 * neither its records nor its position: nothing lost, nothing repeated.
 */
static void
test_follow_rollback(void **state)
{
	struct fixture	*f = *state;
	char		 file[512], gtid[64], *cause = NULL;
	uint64_t	 off = 0;
	int64_t		 last = -1;

	assert_int_equal(baseline_follow_set(f->bl, "binlog.000001", 100,
	    "0-1-1", &cause), 0);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_outbox_add(f->bl, "insert", "op=insert ;",
	    11, &cause), 0);
	assert_int_equal(baseline_follow_set(f->bl, "binlog.000001", 200,
	    "0-1-2", &cause), 0);
	baseline_rollback(f->bl);
	assert_int_equal(baseline_follow_get(f->bl, file, sizeof file, &off,
	    gtid, sizeof gtid, &cause), 1);
	assert_int_equal(off, 100);
	assert_string_equal(gtid, "0-1-1");
	assert_int_equal(baseline_outbox_last(f->bl, &last, &cause), 0);
	assert_int_equal(last, 0);
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
}

/* Ensure that the position is stored only inside a transaction. */
static void
test_follow_outside(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	assert_int_equal(baseline_follow_set(f->bl, "binlog.000001", 4, "",
	    &cause), -1);
	assert_non_null(strstr(cause, "only inside a transaction"));
	free(cause);
	cause = NULL;
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_follow_set(f->bl, "", 4, "", &cause), -1);
	free(cause);
}

/* Ensure that a stored position too long for the caller is refused. */
static void
test_follow_toolong(void **state)
{
	struct fixture	*f = *state;
	char		 file[8], gtid[64], *cause = NULL;
	uint64_t	 off;

	assert_int_equal(baseline_follow_set(f->bl, "binlog.000001", 4,
	    "0-1-1", &cause), 0);
	assert_int_equal(baseline_follow_get(f->bl, file, sizeof file, &off,
	    gtid, sizeof gtid, &cause), -1);
	assert_non_null(strstr(cause, "follow position is malformed"));
	free(cause);
}

/*
 * Ensure that a baseline made before follow (no follow table) gets the
 * table on a read-write open, format unchanged, and stores positions.
 */
static void
test_follow_migrate(void **state)
{
	struct fixture	*f = *state;
	char		 file[512], gtid[64], *cause = NULL, *cmd;
	uint64_t	 off;

	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	baseline_close(f->bl);
	f->bl = NULL;
	cmd = xasprintf("sqlite3 '%s' 'DROP TABLE follow' && "
	    "test \"$(sqlite3 '%s' 'PRAGMA user_version')\" = 4", f->path,
	    f->path);
	if (system(cmd) != 0)
		skip();
	free(cmd);
	f->bl = baseline_open(f->path, 0, keycheck, &cause);
	assert_non_null(f->bl);
	assert_int_equal(baseline_follow_get(f->bl, file, sizeof file, &off,
	    gtid, sizeof gtid, &cause), 0);
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_follow_set(f->bl, "binlog.000002", 9, "",
	    &cause), 0);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	assert_int_equal(baseline_follow_get(f->bl, file, sizeof file, &off,
	    gtid, sizeof gtid, &cause), 1);
	assert_int_equal(off, 9);
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
}

/* Ensure that the position's server is stored beside it, read back. */
static void
test_follow_server(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;
	uint64_t	 sid = 7, created = 7;

	/* No position, no server. */
	assert_int_equal(baseline_follow_server_get(f->bl, &sid, &created,
	    &cause), 0);
	assert_int_equal(sid, 7);
	assert_int_equal(baseline_follow_set(f->bl, "binlog.000001", 100,
	    "0-1-1", &cause), 0);
	/* A position stored without its server (an earlier release). */
	assert_int_equal(baseline_follow_server_get(f->bl, &sid, &created,
	    &cause), 0);
	assert_int_equal(baseline_follow_server_set(f->bl, 4242, 1700000000,
	    &cause), 0);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	assert_int_equal(baseline_follow_server_get(f->bl, &sid, &created,
	    &cause), 1);
	assert_int_equal(sid, 4242);
	assert_int_equal(created, 1700000000);
	/* The position moves: the server stays until set again. */
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_follow_set(f->bl, "binlog.000001", 200,
	    "0-1-2", &cause), 0);
	assert_int_equal(baseline_follow_server_set(f->bl, 1, 0, &cause), 0);
	baseline_rollback(f->bl);
	assert_int_equal(baseline_follow_server_get(f->bl, &sid, &created,
	    &cause), 1);
	assert_int_equal(sid, 4242);
	assert_int_equal(created, 1700000000);
	/* A file's time not known: stored as such. */
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_follow_server_set(f->bl, 5, 0, &cause), 0);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	assert_int_equal(baseline_follow_server_get(f->bl, &sid, &created,
	    &cause), 1);
	assert_int_equal(sid, 5);
	assert_int_equal(created, 0);
	/* Out of range, outside a transaction: refused. */
	assert_int_equal(baseline_follow_server_set(f->bl, 1, 0, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_follow_server_set(f->bl,
	    (uint64_t)UINT32_MAX + 1, 0, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(baseline_follow_server_set(f->bl, 1,
	    (uint64_t)UINT32_MAX + 1, &cause), -1);
	free(cause);
}

/*
 * Ensure that a follow table made before the server was stored (no
 * server_id column, a position in it) gets the column on a read-write
 * open, keeps its position, and stores the server.
 */
static void
test_follow_migrate_server(void **state)
{
	struct fixture	*f = *state;
	char		 file[512], gtid[64], *cause = NULL, *cmd;
	uint64_t	 off = 0, sid = 0, created = 7;

	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	baseline_close(f->bl);
	f->bl = NULL;
	cmd = xasprintf("sqlite3 '%s' \"DROP TABLE follow; CREATE TABLE "
	    "follow (id INTEGER PRIMARY KEY CHECK (id = 1), file BLOB NOT "
	    "NULL, offset INTEGER NOT NULL, gtid BLOB NOT NULL, updated "
	    "INTEGER NOT NULL); INSERT INTO follow VALUES (1, "
	    "CAST('binlog.000005' AS BLOB), 5315, CAST('0-1-13' AS BLOB), "
	    "0)\"", f->path);
	if (system(cmd) != 0)
		skip();
	free(cmd);
	/* Read-only: as it is. */
	f->bl = baseline_open(f->path, BASELINE_READONLY, keycheck, &cause);
	assert_non_null(f->bl);
	assert_int_equal(baseline_follow_get(f->bl, file, sizeof file, &off,
	    gtid, sizeof gtid, &cause), 1);
	baseline_close(f->bl);
	f->bl = baseline_open(f->path, 0, keycheck, &cause);
	assert_non_null(f->bl);
	assert_int_equal(baseline_follow_get(f->bl, file, sizeof file, &off,
	    gtid, sizeof gtid, &cause), 1);
	assert_string_equal(file, "binlog.000005");
	assert_int_equal(off, 5315);
	assert_string_equal(gtid, "0-1-13");
	assert_int_equal(baseline_follow_server_get(f->bl, &sid, &created,
	    &cause), 0);
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_follow_server_set(f->bl, 9, 0, &cause), 0);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	assert_int_equal(baseline_follow_server_get(f->bl, &sid, &created,
	    &cause), 1);
	assert_int_equal(sid, 9);
	/* Opened again: the column is there, nothing added twice. */
	baseline_close(f->bl);
	f->bl = baseline_open(f->path, 0, keycheck, &cause);
	if (f->bl == NULL)
		fail_msg("open: %s", cause);
	assert_int_equal(baseline_follow_server_get(f->bl, &sid, &created,
	    &cause), 1);
	assert_int_equal(sid, 9);
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
}

/* A full reconciliation state, every field set. */
static void
recon_fill(struct baseline_recon *r)
{
	size_t	 i;

	memset(r, 0, sizeof *r);
	snprintf(r->file, sizeof r->file, "binlog.000004");
	r->offset = 567;
	r->server_id = UINT32_MAX;
	r->created = 1796655845;
	for (i = 0; i < sizeof r->mac; i++)
		r->mac[i] = (unsigned char)(0xff - i);
	snprintf(r->from, sizeof r->from, "bin log.000003");
	r->from_offset = (uint64_t)INT64_MAX;
	r->at = 1796670000;
	r->untraced = 3;
	snprintf(r->note, sizeof r->note, "binlog_format is STATEMENT");
}

/* Ensure that two reconciliation states are field by field the same. */
static void
recon_equal(const struct baseline_recon *a, const struct baseline_recon *b)
{
	assert_string_equal(a->file, b->file);
	assert_int_equal(a->offset, b->offset);
	assert_int_equal(a->server_id, b->server_id);
	assert_int_equal(a->created, b->created);
	assert_memory_equal(a->mac, b->mac, sizeof a->mac);
	assert_string_equal(a->from, b->from);
	assert_int_equal(a->from_offset, b->from_offset);
	assert_int_equal(a->at, b->at);
	assert_int_equal(a->untraced, b->untraced);
	assert_string_equal(a->note, b->note);
}

/*
 * Ensure that a table's reconciliation state is stored in the caller's
 * transaction and read back as stored, per table; a second one replaces
 * it; a rolled back one is not stored; an unknown table has none.
 */
static void
test_recon_put_get(void **state)
{
	struct fixture		*f = *state;
	struct baseline_recon	 r, got, empty;
	char			*cause = NULL;

	memset(&empty, 0, sizeof empty);
	memset(&got, 0x55, sizeof got);
	assert_int_equal(baseline_recon_get(f->bl, 1, &got, &cause), 0);
	assert_null(cause);
	recon_equal(&got, &empty);

	recon_fill(&r);
	assert_int_equal(baseline_recon_put(f->bl, 1, &r, &cause), 0);
	/* Seen inside the transaction already. */
	assert_int_equal(baseline_recon_get(f->bl, 1, &got, &cause), 1);
	recon_equal(&got, &r);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	assert_null(cause);
	memset(&got, 0, sizeof got);
	assert_int_equal(baseline_recon_get(f->bl, 1, &got, &cause), 1);
	recon_equal(&got, &r);
	assert_int_equal(baseline_recon_get(f->bl, 2, &got, &cause), 0);
	assert_int_equal(baseline_recon_get(f->bl, -1, &got, &cause), 0);
	assert_int_equal(baseline_recon_get(f->bl, INT64_MAX, &got, &cause),
	    0);
	assert_null(cause);

	/* Not stored (file ""), nothing checked: replaces it. */
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	memset(&empty, 0, sizeof empty);
	empty.at = 1;
	snprintf(empty.note, sizeof empty.note, "not on InnoDB");
	assert_int_equal(baseline_recon_put(f->bl, 1, &empty, &cause), 0);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	assert_int_equal(baseline_recon_get(f->bl, 1, &got, &cause), 1);
	recon_equal(&got, &empty);

	/* Rolled back: the last committed one stays. */
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	assert_int_equal(baseline_recon_put(f->bl, 1, &r, &cause), 0);
	baseline_rollback(f->bl);
	assert_int_equal(baseline_recon_get(f->bl, 1, &got, &cause), 1);
	recon_equal(&got, &empty);
	assert_null(cause);
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
}

/*
 * Ensure that the longest file name and note fit and are read back
 * whole.
 */
static void
test_recon_longest(void **state)
{
	struct fixture		*f = *state;
	struct baseline_recon	 r, got;
	char			*cause = NULL;

	recon_fill(&r);
	memset(r.file, 'f', sizeof r.file - 1);
	r.file[sizeof r.file - 1] = '\0';
	memset(r.from, 'g', sizeof r.from - 1);
	r.from[sizeof r.from - 1] = '\0';
	memset(r.note, 'n', sizeof r.note - 1);
	r.note[sizeof r.note - 1] = '\0';
	assert_int_equal(baseline_recon_put(f->bl, 7, &r, &cause), 0);
	assert_int_equal(baseline_recon_get(f->bl, 7, &got, &cause), 1);
	assert_null(cause);
	recon_equal(&got, &r);
}

/* Ensure that the state is stored only inside a transaction. */
static void
test_recon_outside(void **state)
{
	struct fixture		*f = *state;
	struct baseline_recon	 r, got;
	char			*cause = NULL;

	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	recon_fill(&r);
	assert_int_equal(baseline_recon_put(f->bl, 1, &r, &cause), -1);
	assert_non_null(strstr(cause, "only inside a transaction"));
	free(cause);
	cause = NULL;
	assert_int_equal(baseline_recon_get(f->bl, 1, &got, &cause), 0);
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
}

/* Ensure that values the baseline cannot hold are refused, not cut. */
static void
test_recon_range(void **state)
{
	struct fixture		*f = *state;
	struct baseline_recon	 r, got;
	char			*cause = NULL;
	int			 i;

	for (i = 0; i < 5; i++) {
		recon_fill(&r);
		switch (i) {
		case 0:
			r.offset = (uint64_t)INT64_MAX + 1;
			break;
		case 1:
			r.from_offset = UINT64_MAX;
			break;
		case 2:
			r.untraced = (uint64_t)INT64_MAX + 1;
			break;
		case 3:
			r.server_id = (uint64_t)UINT32_MAX + 1;
			break;
		case 4:
			r.created = (uint64_t)UINT32_MAX + 1;
			break;
		}
		assert_int_equal(baseline_recon_put(f->bl, 1, &r, &cause), -1);
		assert_non_null(cause);
		free(cause);
		cause = NULL;
	}
	assert_int_equal(baseline_recon_get(f->bl, 1, &got, &cause), 0);
}

/*
 * Ensure that a stored state that is not one baseline_recon_put could
 * have written (changed behind dbsyscheck's back with the sqlite3
 * shell) is refused as malformed, not read as a position.
 */
static void
test_recon_malformed(void **state)
{
	static const char *const bad[] = {
		"offset = -1",
		"server_id = -1",
		"server_id = 4294967296",
		"created = -5",
		"created = 4294967296",
		"from_offset = -1",
		"at = -1",
		"untraced = -1",
		"mac = zeroblob(1)",
		"mac = zeroblob(33)",
		"file = zeroblob(512)",
		"file = CAST(char(97, 0, 98) AS BLOB)",
		"from_file = zeroblob(600)",
		"note = zeroblob(1024)",
	};
	struct baseline_recon	 r, got;
	struct fixture		*f = *state;
	char			*cause = NULL, *cmd, *want;
	size_t			 i;

	recon_fill(&r);
	assert_int_equal(baseline_recon_put(f->bl, 3, &r, &cause), 0);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	baseline_close(f->bl);
	f->bl = NULL;
	cmd = xasprintf("sqlite3 '%s' 'CREATE TABLE good AS SELECT * FROM "
	    "reconcile'", f->path);
	if (system(cmd) != 0)
		skip();
	free(cmd);
	want = xasprintf("baseline %s: the reconciliation state of table 3 "
	    "is malformed", f->path);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cmd = xasprintf("sqlite3 '%s' 'DELETE FROM reconcile; INSERT "
		    "INTO reconcile SELECT * FROM good; UPDATE reconcile SET "
		    "%s'", f->path, bad[i]);
		assert_int_equal(system(cmd), 0);
		free(cmd);
		f->bl = baseline_open(f->path, 0, keycheck, &cause);
		if (f->bl == NULL)
			fail_msg("open: %s", cause);
		if (baseline_recon_get(f->bl, 3, &got, &cause) != -1)
			fail_msg("%s: read as good", bad[i]);
		assert_string_equal(cause, want);
		free(cause);
		cause = NULL;
		baseline_close(f->bl);
		f->bl = NULL;
	}
	free(want);
	/* As it was stored, it is read again. */
	cmd = xasprintf("sqlite3 '%s' 'DELETE FROM reconcile; INSERT INTO "
	    "reconcile SELECT * FROM good; DROP TABLE good'", f->path);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	f->bl = baseline_open(f->path, 0, keycheck, &cause);
	assert_non_null(f->bl);
	assert_int_equal(baseline_recon_get(f->bl, 3, &got, &cause), 1);
	recon_equal(&got, &r);
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
}

/*
 * Ensure that a baseline made before reconciliation (no reconcile
 * table) reads as none stored, read-only, and gets the table on a
 * read-write open.
 */
static void
test_recon_migrate(void **state)
{
	struct fixture		*f = *state;
	struct baseline_recon	 r, got;
	char			*cause = NULL, *cmd;

	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	baseline_close(f->bl);
	f->bl = NULL;
	cmd = xasprintf("sqlite3 '%s' 'DROP TABLE reconcile'", f->path);
	if (system(cmd) != 0)
		skip();
	free(cmd);
	f->bl = baseline_open(f->path, BASELINE_READONLY, keycheck, &cause);
	assert_non_null(f->bl);
	assert_int_equal(baseline_recon_get(f->bl, 1, &got, &cause), 0);
	assert_null(cause);
	baseline_close(f->bl);
	f->bl = baseline_open(f->path, 0, keycheck, &cause);
	assert_non_null(f->bl);
	assert_int_equal(baseline_recon_get(f->bl, 1, &got, &cause), 0);
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
	recon_fill(&r);
	assert_int_equal(baseline_recon_put(f->bl, 1, &r, &cause), 0);
	assert_int_equal(baseline_commit(f->bl, &cause), 0);
	assert_int_equal(baseline_recon_get(f->bl, 1, &got, &cause), 1);
	recon_equal(&got, &r);
	assert_int_equal(baseline_begin(f->bl, &cause), 0);
}

int
main(void)
{
	const char	*top;
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
		cmocka_unit_test_setup_teardown(test_follow_none, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_follow_set_get, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_follow_xa, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_follow_rollback, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_follow_outside, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_follow_toolong, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_follow_migrate, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_follow_server, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_follow_migrate_server,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_recon_put_get, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_recon_longest, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_recon_outside, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_recon_range, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_recon_malformed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_recon_migrate, setup,
		    teardown),
	};

	/* Their files go where dbsyscheck accepts them (tests/testdir.sh). */
	if ((top = getenv("DBSC_TESTDIR")) != NULL && chdir(top) == -1) {
		perror(top);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}

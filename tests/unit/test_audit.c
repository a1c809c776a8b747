/* Unit tests for audit: server_audit's file, parsed and looked up. */
#include "config.h"

#include <sys/stat.h>
#include <sys/xattr.h>

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

#include "audit.h"
#include "testdir.h"
#include "xmalloc.h"

/* 2026-12-07 21:26:20 UTC. */
#define T0	1796678780LL

static int
parse(const char *line, struct audit_line *l)
{
	return (audit_parse(line, strlen(line), 0, l));
}

static void
expect_field(const char *p, size_t len, const char *want)
{
	if (len != strlen(want) || memcmp(p, want, len) != 0)
		fail_msg("got \"%.*s\", want \"%s\"", (int)len, p, want);
}

/* Ensure that a line of each kind splits into its fields. */
static void
test_parse_ops(void **state)
{
	struct audit_line	 l;

	(void)state;
	assert_int_equal(parse("20261207 21:26:20,vm,app,localhost,6,0,"
	    "CONNECT,acme,,0", &l), 0);
	assert_int_equal(l.t, T0);
	assert_int_equal(l.op, AUDIT_CONNECT);
	expect_field(l.user, l.userlen, "app");
	expect_field(l.host, l.hostlen, "localhost");
	expect_field(l.db, l.dblen, "acme");
	assert_int_equal(l.conn, 6);
	assert_int_equal(l.code, 0);

	assert_int_equal(parse("20261207 21:26:20,vm,app,localhost,6,7,WRITE,"
	    "acme,users,", &l), 0);
	assert_int_equal(l.op, AUDIT_WRITE);
	assert_int_equal(l.query, 7);
	expect_field(l.obj, l.objlen, "users");

	assert_int_equal(parse("20261207 21:26:20,vm,app,localhost,6,7,QUERY,"
	    "acme,'insert into users values (7,\\'a\\'),(8,\\'it\\'\\'s\\nx\\')',"
	    "0", &l), 0);
	assert_int_equal(l.op, AUDIT_QUERY);
	expect_field(l.db, l.dblen, "acme");
	expect_field(l.obj, l.objlen, "'insert into users values "
	    "(7,\\'a\\'),(8,\\'it\\'\\'s\\nx\\')'");

	assert_int_equal(parse("20261207 21:26:20,vm,app,localhost,6,0,"
	    "DISCONNECT,acme,,0", &l), 0);
	assert_int_equal(l.op, AUDIT_DISCONNECT);
	assert_int_equal(parse("20261207 21:26:20,vm,app,localhost,6,0,"
	    "FAILED_CONNECT,,,1045", &l), 0);
	assert_int_equal(l.op, AUDIT_FAILED_CONNECT);
	assert_int_equal(l.code, 1045);
	/* 10.11: no account, garbage for the database. */
	assert_int_equal(parse("20261207 21:26:20,vm,,,5,0,CHANGEUSER,OO,O'\"x,"
	    ",0", &l), 0);
	assert_int_equal(l.op, AUDIT_CHANGEUSER);
	assert_int_equal(l.userlen, 0);
	assert_int_equal(l.hostlen, 0);
	expect_field(l.db, l.dblen, "OO,O'\"x");
	assert_int_equal(parse("20261207 21:26:20,vm,a,localhost,10,40,RENAME,"
	    "d,t|d.t2,", &l), 0);
	assert_int_equal(l.op, AUDIT_RENAME);
	expect_field(l.obj, l.objlen, "t|d.t2");
	assert_int_equal(parse("20261207 21:26:20,vm,a,localhost,10,40,QUERY,,"
	    "'select 1',-1", &l), 0);
	assert_int_equal(l.code, -1);
	assert_int_equal(l.dblen, 0);
}

/* Ensure that a database with ",'" in it still splits one way only. */
static void
test_parse_db_quote(void **state)
{
	struct audit_line	 l;

	(void)state;
	assert_int_equal(parse("20261207 21:32:02,vm,ab,localhost,10,39,QUERY,"
	    "d,'b,'insert into `t,n` val',0", &l), 0);
	expect_field(l.db, l.dblen, "d,'b");
	expect_field(l.obj, l.objlen, "'insert into `t,n` val'");
	assert_int_equal(parse("20261207 21:32:02,vm,ab,localhost,10,39,QUERY,"
	    "x,'a\\','b',0", &l), 0);
	expect_field(l.db, l.dblen, "x,'a\\'");
	expect_field(l.obj, l.objlen, "'b'");
}

/* Ensure that ",ID,ID,OP," inside a text does not make its line refused. */
static void
test_parse_ids_in_text(void **state)
{
	struct audit_line	 l;

	(void)state;
	assert_int_equal(parse("20261207 21:26:20,vm,app,localhost,6,7,QUERY,,"
	    "'select 1,2,3,READ,4',0", &l), 0);
	assert_int_equal(l.conn, 6);
	assert_int_equal(l.query, 7);
	expect_field(l.user, l.userlen, "app");
	expect_field(l.obj, l.objlen, "'select 1,2,3,READ,4'");
	assert_int_equal(parse("20261207 21:26:20,vm,eve,localhost,9,3,QUERY,"
	    "acme,'update t set a=1 /*,1,1,QUERY,acme,\\',0*/ where id=7',0",
	    &l), 0);
	assert_int_equal(l.conn, 9);
	expect_field(l.user, l.userlen, "eve");
	expect_field(l.db, l.dblen, "acme");
	expect_field(l.obj, l.objlen, "'update t set a=1 /*,1,1,QUERY,acme,"
	    "\\',0*/ where id=7'");
	/* As the text's last bytes, and with connection and table events. */
	assert_int_equal(parse("20261207 21:26:20,vm,eve,localhost,9,3,QUERY,,"
	    "'x,1,1,CONNECT,,,0',0", &l), 0);
	assert_int_equal(l.conn, 9);
	assert_int_equal(parse("20261207 21:26:20,vm,eve,localhost,9,3,QUERY,,"
	    "'x,1,1,WRITE,a,b,',0", &l), 0);
	assert_int_equal(l.op, AUDIT_QUERY);
}

/* Ensure that lines that split two ways, or none, are refused. */
static void
test_parse_hostile(void **state)
{
	static const char	*bad[] = {
		"",
		"20261207 21:26:20",
		"20261207 21:26:20,vm,app,localhost,6,0,CONNECT",
		"20261207 21:26:20,vm,app,localhost,6,0,CONNECT,acme,0",
		/* USER with a comma: a,b@localhost or a@b,localhost? */
		"20261207 21:26:20,vm,a,b,localhost,6,0,CONNECT,,,0",
		/* USER holding a fake ",ID,ID,OP," */
		"20261207 21:26:20,vm,x,1,2,QUERY,y,localhost,6,0,CONNECT,,,0",
		"20261207 21:26:20,vm,app,localhost,6x,0,CONNECT,,,0",
		"20261207 21:26:20,vm,app,localhost,,0,CONNECT,,,0",
		"20261207 21:26:20,vm,app,localhost,-6,0,CONNECT,,,0",
		"20261207 21:26:20,vm,app,localhost,6,0,CONNECTX,,,0",
		"20261207 21:26:20,vm,app,localhost,6,0,connect,,,0",
		"20261207 21:26:20,vm,app,localhost,99999999999999999999,0,"
		    "CONNECT,,,0",
		"20261207 21:26:20,vm,app,localhost,6,0,CONNECT,,,99999999999",
		"20261207 21:26:20,vm,app,localhost,6,0,CONNECT,,,",
		"20261307 21:26:20,vm,app,localhost,6,0,CONNECT,,,0",
		"20260230 21:26:20,vm,app,localhost,6,0,CONNECT,,,0",
		"20261207 24:26:20,vm,app,localhost,6,0,CONNECT,,,0",
		"2026120721:26:20,,vm,app,localhost,6,0,CONNECT,,,0",
		"20261207 21:26:20,vm,app,localhost,6,7,WRITE,acme,",
		"20261207 21:26:20,vm,app,localhost,6,7,WRITE,acme,users",
		"20261207 21:26:20,vm,app,localhost,6,7,WRITE,a,b,c,",
		"20261207 21:26:20,vm,app,localhost,6,7,QUERY,acme,'select 1,0",
		"20261207 21:26:20,vm,app,localhost,6,7,QUERY,acme,'sel'ect',0",
		"20261207 21:26:20,vm,app,localhost,6,7,QUERY,acme,'sel\\x',0",
		"20261207 21:26:20,vm,app,localhost,6,7,QUERY,acme,'sel\\',0",
		"20261207 21:26:20,vm,app,localhost,6,7,QUERY,acme,select,0",
		"20261207 21:26:20,vm,app,localhost,6,7,QUERY,acme,'x',",
		/* A name holding ",ID,ID,OP," and a valid REST: two ways. */
		"20261207 21:26:20,vm,a,b,7,1,CONNECT,,,0,localhost,6,0,"
		    "CONNECT,,,0",
		"20261207 21:26:20,vm,app,localhost,6,7,WRITE,a,1,1,READ,b,",
		"20261207 21:26:20,vm,app,localhost,6,7,QUERY,acme,'\\b\\v',0",
		NULL
	};
	struct audit_line	 l;
	size_t			 i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		if (parse(bad[i], &l) != -1)
			fail_msg("accepted: %s", bad[i]);
	}
	assert_int_equal(audit_parse(NULL, 0, 0, &l), -1);
}

/* Ensure that the escapes server_audit writes are undone, others refused. */
static void
test_unescape(void **state)
{
	char		dst[64];
	const char	*o;
	ssize_t		n;

	(void)state;
	o = "'a\\'b\\\\c\\nd\\re\\tf\"g\\bh\\fi'";
	n = audit_unescape(o, strlen(o), dst);
	assert_int_equal(n, 17);
	assert_memory_equal(dst, "a'b\\c\nd\re\tf\"g\bh\fi", 17);
	assert_int_equal(audit_unescape("'nul\0x'", 7, dst), 5);
	assert_memory_equal(dst, "nul\0x", 5);
	assert_int_equal(audit_unescape("''", 2, dst), 0);
	assert_int_equal(audit_unescape("'", 1, dst), -1);
	assert_int_equal(audit_unescape("'a\\0'", 5, dst), -1);
	assert_int_equal(audit_unescape("'a\\'", 4, dst), -1);
	assert_int_equal(audit_unescape("'a'b'", 5, dst), -1);
	assert_int_equal(audit_unescape("xab'", 4, dst), -1);
}

/* Ensure that the cut rule is the server's: limit L leaves L or L - 1. */
static void
test_truncated(void **state)
{
	(void)state;
	assert_int_equal(audit_truncated(20, 50, 20), 1);
	assert_int_equal(audit_truncated(19, 50, 20), 1);
	assert_int_equal(audit_truncated(18, 50, 20), 0);
	assert_int_equal(audit_truncated(5000, 50, 0), 0);
	/* The 1024-byte message buffer. */
	assert_int_equal(audit_truncated(921, 100, 2048), 1);
	assert_int_equal(audit_truncated(900, 100, 2048), 0);
}

/* Write (mode 0600, appended) to a file of the test's directory. */
static char *
put(const char *name, const char *text, const char *mode)
{
	char	*path;
	FILE	*f;

	path = xasprintf("%s/%s", dir, name);
	f = fopen(path, mode);
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, 0600), 0);
	return (path);
}

static struct audit *
load(const char *text, size_t limit)
{
	struct audit	*a;
	char		*path, *cause = NULL;

	path = put("audit.log", text, "w");
	a = audit_create(path, 0, limit);
	assert_int_equal(audit_read(a, 0, &cause), 0);
	free(path);
	return (a);
}

#define L(hms, rest)	"20261207 21:26:" hms "," "vm," rest "\n"

/* Ensure that a lifetime runs from CONNECT to DISCONNECT, not outside. */
static void
test_conn_lifetime(void **state)
{
	struct audit	*a;
	const char	*acct;

	(void)state;
	a = load(L("20", "app,localhost,6,0,CONNECT,acme,,0")
	    L("25", "app,localhost,6,0,DISCONNECT,acme,,0"), 1024);
	assert_int_equal(audit_conn(a, 6, T0 - 1, &acct), 0);
	assert_int_equal(audit_conn(a, 6, T0, &acct), 1);
	assert_string_equal(acct, "app@localhost");
	assert_int_equal(audit_conn(a, 6, T0 + 5, &acct), 1);
	assert_int_equal(audit_conn(a, 6, T0 + 6, &acct), 0);
	assert_int_equal(audit_conn(a, 7, T0 + 1, &acct), 0);
	assert_int_equal(audit_newest(a), T0 + 5);
	audit_free(a);
}

/* Ensure that an id reused after a restart answers for its newest only. */
static void
test_conn_reuse(void **state)
{
	struct audit	*a;
	const char	*acct;

	(void)state;
	/* No DISCONNECT for the first: the server stopped. */
	a = load(L("20", "app,localhost,6,0,CONNECT,,,0")
	    L("30", "bob,10.0.0.1,6,0,CONNECT,,,0"), 1024);
	/* A time in app's lifetime may be bob's, forged (SET timestamp). */
	assert_int_equal(audit_conn(a, 6, T0 + 5, &acct), 0);
	assert_int_equal(audit_conn(a, 6, T0 + 20, &acct), 1);
	assert_string_equal(acct, "bob@10.0.0.1");
	/* The second both lifetimes hold: two accounts, unknown. */
	assert_int_equal(audit_conn(a, 6, T0 + 10, &acct), 0);
	audit_free(a);
}

/* Ensure that CHANGEUSER switches the account, learnt from the next line,
 * and that the lifetime before it answers no more. */
static void
test_conn_changeuser(void **state)
{
	struct audit	*a;
	const char	*acct;

	(void)state;
	a = load(L("20", "root,localhost,5,0,CONNECT,,,0")
	    L("22", ",,5,0,CHANGEUSER,OOOO,,0")
	    L("24", "x,localhost,5,7,QUERY,,'select 1',0"), 1024);
	assert_int_equal(audit_conn(a, 5, T0 + 1, &acct), 0);
	assert_int_equal(audit_conn(a, 5, T0 + 2, &acct), 0);
	assert_int_equal(audit_conn(a, 5, T0 + 3, &acct), 1);
	assert_string_equal(acct, "x@localhost");
	audit_free(a);
}

/* Ensure that lines of another account in a lifetime make it unknown. */
static void
test_conn_conflict(void **state)
{
	struct audit	*a;
	const char	*acct;

	(void)state;
	a = load(L("20", "root,localhost,5,0,CONNECT,,,0")
	    L("22", "app,localhost,5,7,QUERY,,'select 1',0"), 1024);
	assert_int_equal(audit_conn(a, 5, T0 + 1, &acct), 0);
	audit_free(a);
}

/* Ensure that a statement of a connection whose lines disagree is no one's. */
static void
test_stmt_conflict(void **state)
{
	struct audit	*a;
	const char	*acct;
	uint64_t	 conn;

	(void)state;
	a = load(L("20", "root,localhost,5,0,CONNECT,,,0")
	    L("21", "app,localhost,5,7,QUERY,,'delete from t',0")
	    L("22", "root,localhost,5,8,QUERY,,'delete from u',0")
	    L("23", ",,9,0,CONNECT,,,0")
	    L("23", ",,9,9,QUERY,,'delete from v',0"), 1024);
	assert_int_equal(audit_stmt(a, "delete from t", 13, T0, T0 + 9, &conn,
	    &acct), 2);
	assert_int_equal(audit_stmt(a, "delete from u", 13, T0, T0 + 9, &conn,
	    &acct), 2);
	/* No account on a CONNECT line: not known, never "@". */
	assert_int_equal(audit_conn(a, 9, T0 + 3, &acct), 0);
	audit_free(a);
}

/* Ensure that a statement names its one connection, and two are two. */
static void
test_stmt(void **state)
{
	struct audit	*a;
	const char	*acct, *s = "insert into t values ('it''s\n')";
	uint64_t	 conn;

	(void)state;
	a = load(L("20", "app,localhost,6,7,QUERY,acme,"
	    "'insert into t values (\\'it\\'\\'s\\n\\')',0")
	    L("21", "app,localhost,6,8,QUERY,acme,'delete from t',0")
	    L("22", "bob,localhost,9,9,QUERY,acme,'delete from t',0")
	    L("30", "app,localhost,6,10,QUERY,acme,'update t set a=1',0"),
	    1024);
	assert_int_equal(audit_stmt(a, s, strlen(s), T0, T0, &conn, &acct),
	    1);
	assert_int_equal(conn, 6);
	assert_string_equal(acct, "app@localhost");
	/* Outside the window, or another text. */
	assert_int_equal(audit_stmt(a, s, strlen(s), T0 + 1, T0 + 9, &conn,
	    &acct), 0);
	assert_int_equal(audit_stmt(a, s, strlen(s) - 1, T0, T0, &conn,
	    &acct), 0);
	assert_int_equal(audit_stmt(a, "delete from t", 13, T0, T0 + 10,
	    &conn, &acct), 2);
	/* app's record outside the window still makes it two accounts. */
	assert_int_equal(audit_stmt(a, "delete from t", 13, T0 + 2, T0 + 10,
	    &conn, &acct), 2);
	assert_int_equal(audit_stmt(a, "update t set a=1", 16, T0 + 10,
	    T0 + 10, &conn, &acct), 1);
	/* Pruned: a window before what is kept answers 0. */
	audit_prune(a, T0 + 5);
	assert_int_equal(audit_stmt(a, "delete from t", 13, T0 + 2, T0 + 10,
	    &conn, &acct), 0);
	assert_int_equal(audit_stmt(a, "update t set a=1", 16, T0 + 10,
	    T0 + 10, &conn, &acct), 1);
	audit_free(a);
}

/* Ensure that one account on two connections (a pool) is that account. */
static void
test_stmt_pool(void **state)
{
	struct audit	*a;
	const char	*acct;
	uint64_t	 conn;

	(void)state;
	a = load(L("20", "app,localhost,6,7,QUERY,,'update c set n=n+1',0")
	    L("21", "app,localhost,8,9,QUERY,,'update c set n=n+1',0")
	    L("22", "app,localhost,6,10,QUERY,,'update c set n=n+1',0"),
	    1024);
	assert_int_equal(audit_stmt(a, "update c set n=n+1", 18, T0, T0 + 9,
	    &conn, &acct), 1);
	assert_string_equal(acct, "app@localhost");
	/* The newest in the window. */
	assert_int_equal(conn, 6);
	audit_free(a);
}

/* Ensure that another account's record of the text, at any time kept,
 * makes a statement no one's: a replay dated back must not name it. */
static void
test_stmt_replay(void **state)
{
	struct audit	*a;
	const char	*acct, *s = "update accounts set balance=balance+100 "
	    "where id=7";
	uint64_t	 conn;

	(void)state;
	/* app at :20, eve's replays at :23 (her binlog time forged to :20 -
	 * 59); the window from the forged time holds app's record only. */
	a = load(L("20", "app,localhost,6,7,QUERY,acme,'update accounts set "
	    "balance=balance+100 where id=7',0")
	    L("23", "eve,localhost,9,3,QUERY,acme,'update accounts set "
	    "balance=balance+100 where id=7',0"), 1024);
	assert_int_equal(audit_stmt(a, s, strlen(s), T0 - 60, T0, &conn,
	    &acct), 2);
	assert_int_equal(audit_stmt(a, s, strlen(s), T0, T0 + 1, &conn,
	    &acct), 2);
	/* Nothing in the window: still two accounts, 2 before 0. */
	assert_int_equal(audit_stmt(a, s, strlen(s), T0 - 100, T0 - 90, &conn,
	    &acct), 2);
	assert_int_equal(audit_stmt(a, "update", 6, T0 - 100, T0 + 90, &conn,
	    &acct), 0);
	audit_free(a);

	/* The same with a cut record of app's: eve's longer text begins it. */
	a = load(L("20", "app,localhost,6,7,QUERY,acme,'update accounts set "
	    "bal',0")
	    L("23", "eve,localhost,9,3,QUERY,acme,'update accounts set "
	    "bal',0"), 20);
	assert_int_equal(audit_stmt(a, s, strlen(s), T0 - 60, T0, &conn,
	    &acct), 2);
	audit_free(a);
	a = load(L("20", "app,localhost,6,7,QUERY,acme,'update accounts set "
	    "bal',0"), 20);
	assert_int_equal(audit_stmt(a, s, strlen(s), T0 - 60, T0, &conn,
	    &acct), 1);
	audit_free(a);
}

/* Ensure that a lookup walks at most AUDIT_WALK_MAX records and hashes at
 * most AUDIT_PREFIX_MAX cut lengths: beyond, 3 (not decided). */
static void
test_stmt_bounds(void **state)
{
	struct audit	*a;
	char		*path, *cause = NULL, *s;
	const char	*acct;
	uint64_t	 conn;
	FILE		*f;
	int		 i;

	(void)state;
	path = xasprintf("%s/audit.log", dir);
	assert_non_null(f = fopen(path, "w"));
	for (i = 0; i < AUDIT_WALK_MAX + 1; i++)
		fprintf(f, "20261207 21:26:20,vm,app,localhost,6,%d,QUERY,,"
		    "'select 1',0\n", i);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, 0600), 0);
	a = audit_create(path, 0, 1024);
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_stmt(a, "select 1", 8, T0, T0, &conn, &acct),
	    3);
	audit_free(a);

	/* Cut texts of AUDIT_PREFIX_MAX + 1 lengths, all beginning s. */
	s = xmalloc(200);
	memset(s, 'x', 199);
	memcpy(s, "select ", 7);
	s[199] = '\0';
	assert_non_null(f = fopen(path, "w"));
	for (i = 0; i <= AUDIT_PREFIX_MAX; i++)
		fprintf(f, "20261207 21:26:20,vm,app,localhost,6,%d,QUERY,,"
		    "'%.*s',0\n", i, 100 + i, s);
	assert_int_equal(fclose(f), 0);
	/* limit 101: 100 and 101 bytes are cut; the longer ones, too long
	 * for a limit, are read as cut all the same by a limit of 1. */
	a = audit_create(path, 0, 1);
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_stmt(a, s, 199, T0, T0, &conn, &acct), 3);
	audit_free(a);
	/* One fewer length: found. */
	assert_non_null(f = fopen(path, "w"));
	for (i = 0; i < AUDIT_PREFIX_MAX; i++)
		fprintf(f, "20261207 21:26:20,vm,app,localhost,6,%d,QUERY,,"
		    "'%.*s',0\n", i, 100 + i, s);
	assert_int_equal(fclose(f), 0);
	a = audit_create(path, 0, 1);
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_stmt(a, s, 199, T0, T0, &conn, &acct), 1);
	audit_free(a);
	free(s);
	free(path);
}

/*
 * Ensure that a statement refused before it ran neither names nor unnames
 * anyone, that audit_stmt_on wants a record on the connection, and that
 * a failed login's name with a comma is not a line left out.
 */
static void
test_stmt_refused_on(void **state)
{
	struct audit	*a;
	const char	*acct;
	uint64_t	 conn;

	(void)state;
	a = load(L("20", "app,localhost,6,1,QUERY,d,'update t set v=1',0")
	    L("20", "eve,localhost,7,2,QUERY,d,'update t set v=1',1142")
	    L("20", "eve,localhost,7,3,QUERY,d,'update t set v=1',1064")
	    L("20", "x,y,localhost,9,0,FAILED_CONNECT,,,1045"), 1024);
	assert_int_equal(audit_stmt(a, "update t set v=1", 16, T0 - 1, T0,
	    &conn, &acct), 1);
	assert_string_equal(acct, "app@localhost");
	assert_int_equal(audit_stmt_on(a, "update t set v=1", 16, T0 - 1, T0,
	    6, &acct), 1);
	assert_int_equal(audit_stmt_on(a, "update t set v=1", 16, T0 - 1, T0,
	    7, &acct), 0);
	assert_int_equal(audit_stmt_on(a, "update t set v=1", 16, T0 - 1, T0,
	    0, &acct), 0);
	assert_int_equal(audit_rejected(a), 0);
	audit_free(a);
	/* Ran, and failed after (a duplicate key): it counts. */
	a = load(L("20", "app,localhost,6,1,QUERY,d,'update t set v=1',0")
	    L("20", "eve,localhost,7,2,QUERY,d,'update t set v=1',1062"),
	    1024);
	assert_int_equal(audit_stmt(a, "update t set v=1", 16, T0 - 1, T0,
	    &conn, &acct), 2);
	audit_free(a);
}

/* Ensure that a cut text matches as a prefix, an uncut one never does. */
static void
test_stmt_truncated(void **state)
{
	struct audit	*a;
	const char	*acct, *s = "select 'zzzzzzzzzzz''y'";
	uint64_t	 conn;

	(void)state;
	a = load(L("20", "root,localhost,6,16,QUERY,,'select \\'zzzzzzzzzzz',"
	    "0") L("20", "root,localhost,7,17,QUERY,,'select 1',0"), 20);
	assert_int_equal(audit_stmt(a, s, strlen(s), T0, T0, &conn, &acct),
	    1);
	assert_int_equal(conn, 6);
	assert_int_equal(audit_stmt(a, "select 12", 9, T0, T0, &conn, &acct),
	    0);
	audit_free(a);
	/* Without a limit the same line is whole. */
	a = load(L("20", "root,localhost,6,16,QUERY,,'select \\'zzzzzzzzzzz',"
	    "0"), 0);
	assert_int_equal(audit_stmt(a, s, strlen(s), T0, T0, &conn, &acct),
	    0);
	audit_free(a);
}

/* Ensure that past AUDIT_QUERIES_MAX records the oldest go, with a horizon. */
static void
test_stmt_horizon(void **state)
{
	struct audit	*a;
	char		*path, *cause = NULL;
	const char	*acct;
	uint64_t	 conn;
	FILE		*f;
	int		 i;

	(void)state;
	path = xasprintf("%s/audit.log", dir);
	assert_non_null(f = fopen(path, "w"));
	for (i = 0; i < AUDIT_QUERIES_MAX + 10; i++)
		fprintf(f, "20261207 21:%s,vm,app,localhost,6,%d,QUERY,,"
		    "'select %d',0\n", i < 10 ? "24:40" : "26:20", i, i);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, 0600), 0);
	a = audit_create(path, 0, 1024);
	assert_int_equal(audit_read(a, 0, &cause), 0);
	/* The ten oldest are gone: a window from their time answers 0. */
	assert_int_equal(audit_stmt(a, "select 5", 8, T0 - 100, T0 - 100,
	    &conn, &acct), 0);
	assert_int_equal(audit_stmt(a, "select 10", 9, T0 - 100, T0,
	    &conn, &acct), 0);
	assert_int_equal(audit_stmt(a, "select 10", 9, T0 - 99, T0,
	    &conn, &acct), 1);
	assert_int_equal(audit_stmt(a, "select 131080", 13, T0, T0,
	    &conn, &acct), 1);
	/* Covered from past the records dropped. */
	assert_int_equal(audit_covered(a), T0 - 99);
	audit_free(a);
	free(path);
}

/* Ensure that a partial last line waits for its newline. */
static void
test_read_partial(void **state)
{
	struct audit	*a;
	char		*path, *cause = NULL;
	const char	*acct;

	(void)state;
	path = put("audit.log", L("20", "app,localhost,6,0,CONNECT,,,0")
	    "20261207 21:26:20,vm,bob,local", "w");
	a = audit_create(path, 0, 1024);
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_files(a), 1);
	assert_int_equal(audit_conn(a, 7, T0, &acct), 0);
	free(put("audit.log", "host,7,0,CONNECT,,,0\n", "a"));
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_conn(a, 7, T0, &acct), 1);
	assert_string_equal(acct, "bob@localhost");
	assert_int_equal(audit_rejected(a), 0);
	audit_free(a);
	free(path);
}

/* Ensure that a line over AUDIT_LINE_MAX is skipped whole. */
static void
test_read_long(void **state)
{
	struct audit	*a;
	char		*path, *cause = NULL, *big;
	const char	*acct;

	(void)state;
	big = xmalloc(AUDIT_LINE_MAX + 2);
	memset(big, 'x', AUDIT_LINE_MAX + 1);
	big[AUDIT_LINE_MAX + 1] = '\0';
	path = put("audit.log", L("20", "app,localhost,6,0,CONNECT,,,0"), "w");
	free(put("audit.log", big, "a"));
	free(put("audit.log", L("20", "bob,localhost,7,0,CONNECT,,,0")
	    "\n", "a"));
	a = audit_create(path, 0, 1024);
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_conn(a, 6, T0, &acct), 1);
	/* The long line ran into bob's CONNECT line: both went; the
	 * empty line after, which records no statement, is not counted. */
	assert_int_equal(audit_conn(a, 7, T0, &acct), 0);
	assert_int_equal(audit_rejected(a), 1);
	audit_free(a);
	free(big);
	free(path);
}

/* Rename name to newname, both in the test's directory. */
static void
mv(const char *name, const char *newname)
{
	char	*from, *to;

	from = xasprintf("%s/%s", dir, name);
	to = xasprintf("%s/%s", dir, newname);
	assert_int_equal(rename(from, to), 0);
	free(to);
	free(from);
}

/* Ensure that a rotation between reads loses no line and repeats none. */
static void
test_read_rotation(void **state)
{
	struct audit	*a;
	char		*path, *cause = NULL;
	const char	*acct;
	uint64_t	 conn;

	(void)state;
	path = put("audit.log", L("20", "app,localhost,6,0,CONNECT,,,0"), "w");
	a = audit_create(path, 0, 1024);
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_files(a), 1);
	/* More lines, then renamed to .1, then a new file. */
	free(put("audit.log", L("21", "app,localhost,6,1,QUERY,,'a',0"), "a"));
	mv("audit.log", "audit.log.1");
	free(put("audit.log", L("22", "app,localhost,6,2,QUERY,,'b',0"), "w"));
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_stmt(a, "a", 1, T0, T0 + 9, &conn, &acct), 1);
	assert_int_equal(audit_stmt(a, "b", 1, T0, T0 + 9, &conn, &acct), 1);
	assert_int_equal(audit_files(a), 2);
	/* Twice over between two reads, the open file ending as .2. */
	free(put("audit.log", L("23", "app,localhost,6,3,QUERY,,'c',0"), "a"));
	mv("audit.log.1", "audit.log.2");
	mv("audit.log", "audit.log.1");
	free(put("audit.log", L("24", "app,localhost,6,4,QUERY,,'d',0"), "w"));
	mv("audit.log.1", "audit.log.2");
	mv("audit.log", "audit.log.1");
	free(put("audit.log", L("25", "app,localhost,6,5,QUERY,,'e',0"), "w"));
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_stmt(a, "c", 1, T0, T0 + 9, &conn, &acct), 1);
	assert_int_equal(audit_stmt(a, "d", 1, T0, T0 + 9, &conn, &acct), 1);
	assert_int_equal(audit_stmt(a, "e", 1, T0, T0 + 9, &conn, &acct), 1);
	assert_int_equal(audit_files(a), 4);
	/* Nothing new: nothing more read. */
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_files(a), 4);
	assert_int_equal(audit_rejected(a), 0);
	audit_free(a);
	free(path);
}

/* Ensure that a world-writable or non-regular file is refused. */
static void
test_read_refused(void **state)
{
	struct audit	*a;
	char		*path, *cause = NULL;

	(void)state;
	path = put("audit.log", L("20", "app,localhost,6,0,CONNECT,,,0"), "w");
	assert_int_equal(chmod(path, 0602), 0);
	a = audit_create(path, 0, 1024);
	assert_int_equal(audit_read(a, 0, &cause), -1);
	assert_non_null(strstr(cause, "writable by others"));
	free(cause);
	audit_free(a);
	free(path);

	path = xasprintf("%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	a = audit_create(path, 0, 1024);
	assert_int_equal(audit_read(a, 0, &cause), -1);
	assert_non_null(strstr(cause, "not a regular file"));
	free(cause);
	audit_free(a);
	free(path);

	/* Missing: nothing read, no error. */
	path = xasprintf("%s/none", dir);
	a = audit_create(path, 0, 1024);
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_files(a), 0);
	audit_free(a);
	free(path);
}

/* Ensure that coverage starts past the first line read, and rises with
 * what is dropped or lost. */
static void
test_read_covered(void **state)
{
	struct audit	*a;
	char		*path, *cause = NULL;

	(void)state;
	path = xasprintf("%s/audit.log", dir);
	a = audit_create(path, 0, 1024);
	assert_int_equal(audit_covered(a), INT64_MIN);
	/* Nothing read yet: nothing covered. */
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_covered(a), INT64_MAX);
	free(put("audit.log", L("20", "app,localhost,6,0,CONNECT,,,0")
	    L("30", "app,localhost,6,1,QUERY,,'a',0"), "w"));
	assert_int_equal(audit_read(a, 0, &cause), 0);
	/* Lines of that second may have gone with an older file. */
	assert_int_equal(audit_covered(a), T0 + 1);
	audit_prune(a, T0 + 5);
	assert_int_equal(audit_covered(a), T0 + 5);
	/* Cut short in place: what was written before the cut may be lost. */
	free(put("audit.log", L("40", "app,localhost,6,2,QUERY,,'b',0"), "w"));
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_covered(a), T0 + 21);
	/* Rotated past the last kept (.1 is not the file read): lost too. */
	free(put("audit.log.1", L("50", "app,localhost,6,3,QUERY,,'c',0"),
	    "w"));
	free(put("audit.log.new", L("55", "app,localhost,6,4,QUERY,,'d',0"),
	    "w"));
	mv("audit.log.new", "audit.log");
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_covered(a), T0 + 31);
	audit_free(a);
	free(path);
}

/*
 * Ensure that with the server's rotations known, fewer rotated files than
 * it keeps mean none was removed (covered from the start, or from since
 * past a skipped one), and files past its rotations are left alone.
 */
static void
test_read_rotations(void **state)
{
	struct audit	*a;
	char		*path, *cause = NULL;
	const char	*acct;
	uint64_t	 conn;

	(void)state;
	free(put("audit.log.1", L("10", "app,localhost,6,0,CONNECT,,,0")
	    L("11", "app,localhost,6,1,QUERY,,'a',0"), "w"));
	path = put("audit.log", L("12", "app,localhost,6,2,QUERY,,'b',0"),
	    "w");
	/* Two kept, one there: nothing removed. */
	a = audit_create(path, 0, 1024);
	audit_set_rotations(a, 2);
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_covered(a), INT64_MIN);
	assert_int_equal(audit_stmt(a, "a", 1, T0 - 10, T0, &conn,
	    &acct), 1);
	/* What is dropped still raises it. */
	audit_prune(a, T0 + 5);
	assert_int_equal(audit_covered(a), T0 + 5);
	audit_free(a);
	/* Never rotated (0): the same. */
	a = audit_create(path, 0, 1024);
	audit_set_rotations(a, 0);
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_covered(a), INT64_MIN);
	audit_free(a);
	/* One kept, one there: the oldest may have gone. */
	a = audit_create(path, 0, 1024);
	audit_set_rotations(a, 1);
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_covered(a), T0 - 9);
	audit_free(a);
	/* A file past the server's rotations is not read. */
	free(put("audit.log.2", L("05", "eve,localhost,7,1,QUERY,,'a',0"),
	    "w"));
	a = audit_create(path, 0, 1024);
	audit_set_rotations(a, 1);
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_files(a), 2);
	assert_int_equal(audit_stmt(a, "a", 1, T0 - 10, T0, &conn,
	    &acct), 1);
	audit_free(a);
	free(path);
}

/* Ensure that lines left out are counted by about the time they fell. */
static void
test_read_rejected_since(void **state)
{
	struct audit	*a;
	char		*path, *cause = NULL;

	(void)state;
	path = put("audit.log", "garbage,QUERY, before any line\n"
	    L("10", "app,localhost,6,0,CONNECT,,,0")
	    L("10", "a,b,c,localhost,6,1,QUERY,,'x',0")
	    L("20", "app,localhost,6,2,QUERY,,'y',0")
	    "more garbage,QUERY,\n"
	    "a line of no statement, not counted\n", "w");
	a = audit_create(path, 0, 1024);
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_rejected(a), 3);
	assert_int_equal(audit_rejected_since(a, INT64_MIN), 3);
	assert_int_equal(audit_rejected_since(a, T0 - 10), 2);
	assert_int_equal(audit_rejected_since(a, T0 - 9), 1);
	assert_int_equal(audit_rejected_since(a, T0 + 1), 0);
	audit_free(a);
	free(path);
}

/* Ensure that FILE missing is told apart from no file at all. */
static void
test_read_missing(void **state)
{
	struct audit	*a;
	char		*path, *cause = NULL;

	(void)state;
	free(put("audit.log.1", L("20", "app,localhost,6,0,CONNECT,,,0"),
	    "w"));
	path = xasprintf("%s/audit.log", dir);
	a = audit_create(path, 0, 1024);
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_files(a), 1);
	assert_int_equal(audit_file_missing(a), 1);
	free(put("audit.log", L("21", "app,localhost,6,1,QUERY,,'a',0"), "w"));
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_file_missing(a), 0);
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_file_missing(a), 0);
	/* Moved away, no new FILE. */
	mv("audit.log", "moved.log");
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_file_missing(a), 1);
	audit_free(a);
	free(path);

	/* A directory that does not exist: missing, no error. */
	path = xasprintf("%s/none/audit.log", dir);
	a = audit_create(path, 0, 1024);
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(audit_files(a), 0);
	assert_int_equal(audit_file_missing(a), 1);
	audit_free(a);
	free(path);
}

/* A file in sub/ of the test's directory, owned uid:gid, mode mode. */
static char *
own(const char *name, uid_t uid, gid_t gid, mode_t mode)
{
	char	*path;
	int	 fd;

	path = xasprintf("%s/sub/%s", dir, name);
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) !=
	    -1);
	assert_int_equal(write(fd, "x\n", 2), 2);
	assert_int_equal(fchown(fd, uid, gid), 0);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
	return (path);
}

/* audit_read of sub/audit.log: its result, cause checked for want. */
static int
try_read(const char *want)
{
	struct audit	*a;
	char		*path, *cause = NULL;
	int		 r;

	path = xasprintf("%s/sub/audit.log", dir);
	a = audit_create(path, 0, 1024);
	r = audit_read(a, 0, &cause);
	if (want == NULL && r != 0)
		fail_msg("refused: %s", cause);
	if (want != NULL && (r != -1 || strstr(cause, want) == NULL))
		fail_msg("want \"%s\", got %d: %s", want, r,
		    cause != NULL ? cause : "-");
	free(cause);
	audit_free(a);
	free(path);
	return (r);
}

/* Give user uid write access to path by a POSIX ACL: 0, or -1 where the
 * file system has none. */
static int
acl_write(const char *path, uint32_t uid)
{
	unsigned char	 b[4 + 5 * 8];
	const unsigned	 tags[5] = { 0x01, 0x02, 0x04, 0x10, 0x20 };
	const unsigned	 perms[5] = { 06, 06, 04, 06, 00 };
	size_t		 i;
	uint32_t	 id;

	memset(b, 0, sizeof b);
	b[0] = 2;			/* POSIX_ACL_XATTR_VERSION */
	for (i = 0; i < 5; i++) {
		id = tags[i] == 0x02 ? uid : 0xffffffffU;
		b[4 + 8 * i] = (unsigned char)tags[i];
		b[4 + 8 * i + 2] = (unsigned char)perms[i];
		b[4 + 8 * i + 4] = id & 0xff;
		b[4 + 8 * i + 5] = id >> 8 & 0xff;
		b[4 + 8 * i + 6] = id >> 16 & 0xff;
		b[4 + 8 * i + 7] = id >> 24 & 0xff;
	}
	if (setxattr(path, "system.posix_acl_access", b, sizeof b, 0) == -1) {
		assert_true(errno == ENOTSUP || errno == EOPNOTSUPP);
		return (-1);
	}
	return (0);
}

/* A file safe when first read, writable by others at the next. */
static void
recheck(const char *path)
{
	struct audit	*a;
	char		*cause = NULL;

	a = audit_create(path, 0, 1024);
	assert_int_equal(audit_read(a, 0, &cause), 0);
	assert_int_equal(chmod(path, 0646), 0);
	assert_int_equal(audit_read(a, 0, &cause), -1);
	assert_non_null(strstr(cause, "writable by others"));
	free(cause);
	audit_free(a);
	assert_int_equal(chmod(path, 0640), 0);
}

/* Ensure that a file (FILE or FILE.N) or directory someone other than the
 * writer could have written is refused, naming the file and why. */
static void
test_read_owner(void **state)
{
	char	*sub, *p, *q;

	(void)state;
	sub = xasprintf("%s/sub", dir);
	assert_int_equal(mkdir(sub, 0755), 0);

	p = own("audit.log", 0, 0, 0640);
	try_read(NULL);
	/* Owned by another user (nu-audit 3a). */
	free(own("audit.log", 65534, 0, 0640));
	try_read("owned by uid 65534");
	/* Group-writable by a group not root's nor the directory's. */
	free(own("audit.log", 0, 100, 0660));
	try_read("writable by group 100");
	assert_int_equal(chown(sub, 0, 100), 0);
	try_read(NULL);
	assert_int_equal(chown(sub, 0, 0), 0);
	free(own("audit.log", 0, 100, 0640));
	try_read(NULL);
	/* The directory's owner writes it (mysql). */
	assert_int_equal(chown(sub, 65534, 65534), 0);
	free(own("audit.log", 65534, 65534, 0660));
	try_read(NULL);
	/* A directory owned by another user than the file's (root). */
	free(own("audit.log", 0, 0, 0640));
	try_read("directory is owned by uid 65534");
	/* A file owned by someone the directory's owner is not. */
	free(own("audit.log", 65533, 0, 0640));
	try_read("owned by uid 65533");
	assert_int_equal(chown(sub, 0, 0), 0);
	free(own("audit.log", 0, 0, 0640));
	/* A rotated file planted by nobody (nu-audit 3d). */
	q = own("audit.log.1", 65534, 65534, 0644);
	try_read("audit.log.1: owned by uid 65534");
	assert_int_equal(unlink(q), 0);
	free(q);
	/* A directory others may write (nu-audit 3c), even sticky. */
	assert_int_equal(chmod(sub, 01777), 0);
	try_read("directory writable by others");
	assert_int_equal(chmod(sub, 0755), 0);
	/* A directory its group may write; one above it so too. */
	assert_int_equal(chmod(sub, 0775), 0);
	try_read("directory writable by its group");
	assert_int_equal(chmod(sub, 0755), 0);
	assert_int_equal(chmod(dir, 0770), 0);
	try_read("writable by its group");
	assert_int_equal(chmod(dir, 0700), 0);
	/* An ACL that lets another user write it (where ACLs exist). */
	if (acl_write(p, 65533) == 0) {
		try_read("its ACL lets user 65533 write it");
		free(own("audit.log", 0, 0, 0640));
	}
	/* Made writable by others once open: the next read refuses it. */
	recheck(p);
	/* A symbolic link as FILE. */
	assert_int_equal(rename(p, q = xasprintf("%s/sub/real", dir)), 0);
	assert_int_equal(symlink("real", p), 0);
	try_read("symbolic link");
	free(q);
	free(p);
	free(sub);
}

/* Ensure that the first read takes rotated files modified since `since`. */
static void
test_read_since(void **state)
{
	struct audit	*a;
	char		*path, *cause = NULL;
	const char	*acct;
	struct timespec	 ts[2];
	uint64_t	 conn;

	(void)state;
	free(put("audit.log.2", L("20", "app,localhost,6,1,QUERY,,'old',0"),
	    "w"));
	free(put("audit.log.1", L("21", "app,localhost,6,2,QUERY,,'mid',0"),
	    "w"));
	path = put("audit.log", L("22", "app,localhost,6,3,QUERY,,'new',0"),
	    "w");
	ts[0].tv_sec = ts[1].tv_sec = 1000;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	free(path);
	path = xasprintf("%s/audit.log.2", dir);
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
	free(path);
	path = xasprintf("%s/audit.log", dir);
	a = audit_create(path, 0, 1024);
	assert_int_equal(audit_read(a, 2000, &cause), 0);
	assert_int_equal(audit_files(a), 2);
	assert_int_equal(audit_stmt(a, "old", 3, T0, T0 + 9, &conn, &acct), 0);
	assert_int_equal(audit_stmt(a, "mid", 3, T0, T0 + 9, &conn, &acct), 1);
	assert_int_equal(audit_stmt(a, "new", 3, T0, T0 + 9, &conn, &acct), 1);
	audit_free(a);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_parse_ops),
		cmocka_unit_test(test_parse_db_quote),
		cmocka_unit_test(test_parse_ids_in_text),
		cmocka_unit_test(test_parse_hostile),
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test_setup_teardown(test_conn_lifetime,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_conn_reuse,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_conn_changeuser,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_conn_conflict,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_stmt,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_stmt_conflict,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_stmt_pool,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_stmt_replay,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_stmt_bounds,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_stmt_refused_on,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_stmt_truncated,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_stmt_horizon,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_read_partial,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_read_long,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_read_rotation,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_read_refused,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_read_since,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_read_rotations,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_read_rejected_since,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_read_covered,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_read_missing,
		    testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_read_owner,
		    testdir_setup, testdir_teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

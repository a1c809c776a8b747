/* Unit tests for triggers: the trigger SQL against golden text. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "schema.h"
#include "triggers.h"
#include "xmalloc.h"

#define TOKEN	"00112233445566778899aabbccddeeff" \
		"0123456789abcdef0123456789abcdef"

/* What the callback was handed: "<kind>|<text>\n" each. */
struct got {
	struct buf	 out;
	int		 fail_at;	/* the call that fails */
	int		 calls;
};

static int
collect(void *arg, int kind, const char *text, size_t len, char **cause)
{
	struct got	*g = arg;

	if (++g->calls == g->fail_at) {
		*cause = xstrdup("refused by the callback");
		return -1;
	}
	assert_int_equal(strlen(text), len);
	buf_printf(&g->out, "%d|", kind);
	buf_add(&g->out, text, len);
	buf_addc(&g->out, '\n');
	return 0;
}

static void
set_key(struct schema *s, const size_t *idx, size_t n)
{
	size_t	 i;

	s->key = xcalloc(n, sizeof *s->key);
	for (i = 0; i < n; i++) {
		s->key[i] = idx[i];
		s->cols[idx[i]].keypos = (int)i + 1;
	}
	s->nkey = n;
}

/*
 * A table with hostile names: a backtick, a quote, a space and non-ASCII
 * bytes; a composite key of an INT, a VARCHAR and a DOUBLE, an ENUM, an
 * ignored column and a masked one.
 */
static struct schema *
hostile(void)
{
	static const size_t	 key[] = { 0, 1, 3 };
	struct schema		*s;

	s = schema_create("d`b'x", "t`a\"ble r\xc3\xa9");
	schema_add_column(s, "k`1", "int(11)", NULL, NULL, 0, "int");
	schema_add_column(s, "k'2", "varchar(10)", "utf8mb4",
	    "utf8mb4_general_ci", 0, "varchar");
	schema_add_column(s, "e", "enum('a','b')", "utf8mb4",
	    "utf8mb4_general_ci", 1, "enum");
	schema_add_column(s, "k\\3", "double", NULL, NULL, 0, "double");
	schema_add_column(s, "noise", "int(11)", NULL, NULL, 1, "int");
	schema_add_column(s, "secret\xff", "varbinary(8)", NULL, NULL, 1,
	    "varbinary");
	s->cols[4].hashed = 0;
	s->cols[5].masked = 1;
	set_key(s, key, 3);
	return s;
}

/* A plain table: one BIGINT UNSIGNED key. */
static struct schema *
plain(void)
{
	static const size_t	 key[] = { 0 };
	struct schema		*s;

	s = schema_create("shop", "orders");
	schema_add_column(s, "id", "bigint(20) unsigned", NULL, NULL, 0,
	    "bigint");
	schema_add_column(s, "total", "decimal(10,2)", NULL, NULL, 1,
	    "decimal");
	set_key(s, key, 1);
	return s;
}

/* Everything the generator writes, in the order the command runs it. */
static void
generate(struct got *g)
{
	struct schema	*s;
	char		*cause = NULL;

	assert_int_equal(triggers_preamble(collect, g, &cause), 0);
	assert_int_equal(triggers_secret(TOKEN, collect, g, &cause), 0);
	s = hostile();
	assert_int_equal(triggers_sql(s, 0, collect, g, &cause), 0);
	assert_int_equal(triggers_sql(s, TRIGGERS_UNINSTALL, collect, g,
	    &cause), 0);
	schema_free(s);
	s = plain();
	assert_int_equal(triggers_sql(s, 0, collect, g, &cause), 0);
	assert_int_equal(triggers_sql(s, TRIGGERS_PRINT, collect, g,
	    &cause), 0);
	assert_int_equal(triggers_sql(s, TRIGGERS_PRINT | TRIGGERS_UNINSTALL,
	    collect, g, &cause), 0);
	schema_free(s);
	assert_null(cause);
	assert_false(buf_failed(&g->out));
}

static char *
golden_path(void)
{
	const char	*top;

	if ((top = getenv("top_srcdir")) == NULL)
		top = ".";
	return xasprintf("%s/tests/data/triggers.sql", top);
}

/*
 * Ensure that the SQL is byte for byte the golden text, made by the code
 * before it moved onto sqltext.c (DBSC_UPDATE_GOLDEN=1 rewrites it).
 */
static void
test_golden(void **state)
{
	struct got	 g;
	char		*path, *want;
	FILE		*f;
	long		 n;

	(void)state;
	memset(&g, 0, sizeof g);
	buf_init(&g.out, BUF_NOCAP);
	generate(&g);
	path = golden_path();
	if (getenv("DBSC_UPDATE_GOLDEN") != NULL) {
		assert_non_null(f = fopen(path, "w"));
		assert_int_equal(fwrite(g.out.data, 1, g.out.len, f),
		    g.out.len);
		assert_int_equal(fclose(f), 0);
	}
	assert_non_null(f = fopen(path, "r"));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	want = xmalloc((size_t)n + 1);
	assert_int_equal(fread(want, 1, (size_t)n, f), (size_t)n);
	want[n] = '\0';
	fclose(f);
	assert_string_equal(g.out.data, want);
	assert_int_equal(g.out.len, (size_t)n);
	free(want);
	free(path);
	buf_free(&g.out);
}

/*
 * Ensure that a callback failing at any statement stops the rest and its
 * message reaches the caller.
 */
static void
test_callback_fails(void **state)
{
	struct got	 g;
	struct schema	*s;
	char		*cause;
	int		 at;

	(void)state;
	s = hostile();
	for (at = 1; at <= 7; at++) {
		memset(&g, 0, sizeof g);
		buf_init(&g.out, BUF_NOCAP);
		g.fail_at = at;
		cause = NULL;
		assert_int_equal(triggers_sql(s, 0, collect, &g, &cause), -1);
		assert_string_equal(cause, "refused by the callback");
		assert_int_equal(g.calls, at);
		free(cause);
		buf_free(&g.out);
	}
	schema_free(s);
}

/* Ensure that a keyless table and a malformed token are refused. */
static void
test_refused(void **state)
{
	struct got	 g;
	struct schema	*s;
	char		*cause = NULL, bad[] = TOKEN;

	(void)state;
	memset(&g, 0, sizeof g);
	buf_init(&g.out, BUF_NOCAP);
	s = schema_create("a", "b");
	schema_add_column(s, "x", "int(11)", NULL, NULL, 1, "int");
	assert_int_equal(triggers_sql(s, 0, collect, &g, &cause), -1);
	assert_string_equal(cause, "a.b: no key");
	free(cause);
	cause = NULL;
	assert_int_equal(triggers_sql(s, TRIGGERS_UNINSTALL, collect, &g,
	    &cause), 0);
	schema_free(s);
	assert_int_equal(triggers_secret(TOKEN "0", collect, &g, &cause), -1);
	assert_string_equal(cause, "malformed token");
	free(cause);
	cause = NULL;
	memcpy(bad, TOKEN, sizeof bad);
	bad[10] = '\'';
	assert_int_equal(triggers_secret(bad, collect, &g, &cause), -1);
	assert_string_equal(cause, "malformed token");
	free(cause);
	cause = NULL;
	s = hostile();
	assert_int_equal(triggers_sql(s, TRIGGERS_PRINT, collect, &g, &cause),
	    -1);
	assert_non_null(strstr(cause, "the table name has a byte outside"));
	free(cause);
	schema_free(s);
	buf_free(&g.out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_callback_fails),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

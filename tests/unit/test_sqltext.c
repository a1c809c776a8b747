/* Unit tests for sqltext: identifiers, literals, key ranges, chunk SQL. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "schema.h"
#include "sqltext.h"
#include "xmalloc.h"

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

/* Ensure that an identifier is quoted with every backtick doubled. */
static void
test_ident(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(sqltext_ident(&b, "plain"), 0);
	assert_string_equal(buf_str(&b), "`plain`");
	buf_reset(&b);
	assert_int_equal(sqltext_ident(&b, "`a``b`"), 0);
	assert_string_equal(buf_str(&b), "```a````b```");
	buf_reset(&b);
	assert_int_equal(sqltext_ident(&b, "x'\"\\ \xc3\xa9\xff;--"), 0);
	assert_string_equal(buf_str(&b), "`x'\"\\ \xc3\xa9\xff;--`");
	buf_reset(&b);
	assert_int_equal(sqltext_ident(&b, ""), 0);
	assert_string_equal(buf_str(&b), "``");
	buf_reset(&b);
	assert_int_equal(sqltext_table(&b, "d`b", "t"), 0);
	assert_string_equal(buf_str(&b), "`d``b`.`t`");
	buf_free(&b);
}

/* Ensure that a NUL inside an identifier fails the buffer, not cuts it. */
static void
test_ident_nul(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	buf_adds(&b, "SELECT ");
	assert_int_equal(sqltext_identn(&b, "a\0b", 3), -1);
	assert_true(buf_failed(&b));
	assert_null(b.data);
	assert_int_equal(sqltext_ident(&b, "c"), -1);
	buf_free(&b);
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(sqltext_identn(&b, "a`b", 3), 0);
	assert_string_equal(buf_str(&b), "`a``b`");
	buf_free(&b);
}

/* Ensure that a long name (64 KiB of backticks) is quoted whole. */
static void
test_ident_long(void **state)
{
	struct buf	 b;
	char		*name;
	size_t		 n = 65536, i;

	(void)state;
	name = xmalloc(n + 1);
	memset(name, '`', n);
	name[n] = '\0';
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(sqltext_ident(&b, name), 0);
	assert_int_equal(b.len, 2 * n + 2);
	for (i = 0; i < b.len; i++)
		assert_int_equal(b.data[i], '`');
	buf_free(&b);
	/* A cap too small for it: refused whole. */
	buf_init(&b, 2 * n);
	assert_int_equal(sqltext_ident(&b, name), -1);
	assert_true(buf_failed(&b));
	buf_free(&b);
	free(name);
}

/* Ensure that every byte 0..255 is written as two hex digits. */
static void
test_hex_all_bytes(void **state)
{
	unsigned char	 all[256];
	struct buf	 up, low;
	char		 want[3];
	size_t		 i;

	(void)state;
	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	buf_init(&up, BUF_NOCAP);
	buf_init(&low, BUF_NOCAP);
	assert_int_equal(sqltext_hex(&up, all, sizeof all, 0), 0);
	assert_int_equal(sqltext_hex(&low, all, sizeof all, SQLTEXT_LOWER),
	    0);
	assert_int_equal(up.len, 2 + 512 + 1);
	assert_memory_equal(up.data, "X'", 2);
	assert_memory_equal(low.data, "X'", 2);
	for (i = 0; i < 256; i++) {
		snprintf(want, sizeof want, "%02X", (unsigned)i);
		assert_memory_equal(up.data + 2 + 2 * i, want, 2);
		snprintf(want, sizeof want, "%02x", (unsigned)i);
		assert_memory_equal(low.data + 2 + 2 * i, want, 2);
	}
	assert_int_equal(up.data[up.len - 1], '\'');
	buf_reset(&up);
	assert_int_equal(sqltext_hex(&up, "", 0, 0), 0);
	assert_string_equal(buf_str(&up), "X''");
	buf_free(&up);
	buf_free(&low);
}

/*
 * Ensure that a string literal is 'text' only for printable ASCII without
 * a quote or a backslash, for every single byte.
 */
static void
test_string(void **state)
{
	struct buf	 b;
	char		 s[2], want[8];
	int		 c;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	for (c = 1; c < 256; c++) {
		s[0] = (char)c;
		s[1] = '\0';
		buf_reset(&b);
		assert_int_equal(sqltext_string(&b, s), 0);
		if (c >= 0x20 && c <= 0x7e && c != '\'' && c != '\\')
			snprintf(want, sizeof want, "'%c'", c);
		else
			snprintf(want, sizeof want, "X'%02x'", (unsigned)c);
		assert_string_equal(buf_str(&b), want);
	}
	buf_reset(&b);
	assert_int_equal(sqltext_string(&b, "a b-c"), 0);
	assert_string_equal(buf_str(&b), "'a b-c'");
	buf_reset(&b);
	assert_int_equal(sqltext_string(&b, "it's"), 0);
	assert_string_equal(buf_str(&b), "X'69742773'");
	buf_reset(&b);
	assert_int_equal(sqltext_string(&b, ""), 0);
	assert_string_equal(buf_str(&b), "''");
	buf_free(&b);
}

/* Ensure that integer key values are checked and bytes hex-encoded. */
static void
test_key_literal(void **state)
{
	static const char *const bad[] = { "", "-", "1-", "--1", "+1", " 1",
	    "1 ", "0x1", "1e3", "1.5", "1;DROP" };
	struct column	 ci, cb;
	struct buf	 b;
	size_t		 i;

	(void)state;
	memset(&ci, 0, sizeof ci);
	memset(&cb, 0, sizeof cb);
	ci.kclass = KEYCLASS_INT;
	cb.kclass = KEYCLASS_BYTES;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(sqltext_key_literal(&b, &ci, "-42", 3), 0);
	assert_string_equal(buf_str(&b), "-42");
	buf_reset(&b);
	assert_int_equal(sqltext_key_literal(&b, &ci, "0", 1), 0);
	assert_string_equal(buf_str(&b), "0");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		buf_reset(&b);
		assert_int_equal(sqltext_key_literal(&b, &ci, bad[i],
		    strlen(bad[i])), -1);
		assert_true(buf_failed(&b));
	}
	buf_reset(&b);
	ci.kclass = KEYCLASS_UINT;
	assert_int_equal(sqltext_key_literal(&b, &ci, "18446744073709551615",
	    20), 0);
	assert_string_equal(buf_str(&b), "18446744073709551615");
	buf_reset(&b);
	assert_int_equal(sqltext_key_literal(&b, &cb, "a\0'\xff", 4), 0);
	assert_string_equal(buf_str(&b), "X'610027FF'");
	buf_free(&b);
}

/* Ensure that each encoding reads its column by the exact expression. */
static void
test_expr(void **state)
{
	struct column	 c;
	struct buf	 b;

	(void)state;
	memset(&c, 0, sizeof c);
	c.name = (char *)"f`x";
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(sqltext_expr(&b, &c, COLENC_TEXT), 0);
	assert_int_equal(sqltext_expr(&b, &c, COLENC_DOUBLE), 0);
	assert_int_equal(sqltext_expr(&b, &c, COLENC_NUMBER), 0);
	assert_string_equal(buf_str(&b),
	    "`f``x`CAST(`f``x` AS DOUBLE)(`f``x` + 0)");
	buf_free(&b);
}

/* A composite key (INT, VARBINARY, BIGINT UNSIGNED) and a value column. */
static struct schema *
composite(void)
{
	static const size_t	 key[] = { 0, 1, 2 };
	struct schema		*s;

	s = schema_create("d`b", "t");
	schema_add_column(s, "a", "int(11)", NULL, NULL, 0, "int");
	schema_add_column(s, "b`", "varbinary(8)", NULL, NULL, 0,
	    "varbinary");
	schema_add_column(s, "c", "bigint(20) unsigned", NULL, NULL, 0,
	    "bigint");
	schema_add_column(s, "v", "varchar(20)", "utf8mb4",
	    "utf8mb4_general_ci", 1, "varchar");
	set_key(s, key, 3);
	return s;
}

/* Ensure the exact bounds of a composite key, lower and upper. */
static void
test_bound_composite(void **state)
{
	static const char *const lo[] = { "-3", "x'\0", "7" };
	static const unsigned long lolen[] = { 2, 3, 1 };
	static const char *const hi[] = { "9", "", "0" };
	static const unsigned long hilen[] = { 1, 0, 1 };
	struct schema	*s;
	struct buf	 b;

	(void)state;
	s = composite();
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(sqltext_bound(&b, s, lo, lolen, SQLTEXT_LO), 0);
	assert_string_equal(buf_str(&b), "((`a` > -3) OR (`a` = -3 AND "
	    "`b``` > X'782700') OR (`a` = -3 AND `b``` = X'782700' AND "
	    "`c` > 7))");
	buf_reset(&b);
	assert_int_equal(sqltext_bound(&b, s, hi, hilen, SQLTEXT_HI), 0);
	assert_string_equal(buf_str(&b), "((`a` < 9) OR (`a` = 9 AND "
	    "`b``` < X'') OR (`a` = 9 AND `b``` = X'' AND `c` <= 0))");
	buf_reset(&b);
	assert_int_equal(sqltext_from_where(&b, s, lo, lolen, hi, hilen), 0);
	assert_string_equal(buf_str(&b), " FROM `d``b`.`t` WHERE "
	    "((`a` > -3) OR (`a` = -3 AND `b``` > X'782700') OR (`a` = -3 AND "
	    "`b``` = X'782700' AND `c` > 7)) AND ((`a` < 9) OR (`a` = 9 AND "
	    "`b``` < X'') OR (`a` = 9 AND `b``` = X'' AND `c` <= 0))");
	buf_reset(&b);
	assert_int_equal(sqltext_from_where(&b, s, NULL, NULL, hi, hilen), 0);
	assert_string_equal(buf_str(&b), " FROM `d``b`.`t` WHERE "
	    "((`a` < 9) OR (`a` = 9 AND `b``` < X'') OR (`a` = 9 AND "
	    "`b``` = X'' AND `c` <= 0))");
	buf_reset(&b);
	assert_int_equal(sqltext_from_where(&b, s, NULL, NULL, NULL, NULL),
	    0);
	assert_string_equal(buf_str(&b), " FROM `d``b`.`t`");
	buf_free(&b);
	schema_free(s);
}

/* Ensure that a forged integer bound fails the whole query. */
static void
test_bound_forged(void **state)
{
	static const char *const lo[] = { "1 OR 1=1", "", "1" };
	static const unsigned long lolen[] = { 8, 0, 1 };
	struct schema	*s;
	struct buf	 b;

	(void)state;
	s = composite();
	buf_init(&b, BUF_NOCAP);
	buf_adds(&b, "SELECT 1");
	assert_int_equal(sqltext_from_where(&b, s, lo, lolen, NULL, NULL),
	    -1);
	assert_true(buf_failed(&b));
	assert_null(b.data);
	buf_free(&b);
	schema_free(s);
}

/* Ensure the exact chunk query through dbsyscheck_chunk(). */
static void
test_chunk_udf(void **state)
{
	struct schema	*s;
	struct buf	 b;

	(void)state;
	s = composite();
	s->cols[2].hashed = 0;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(sqltext_chunk_udf(&b, s), 0);
	assert_string_equal(buf_str(&b), "SELECT COUNT(*) AS n, "
	    "dbsyscheck_chunk('011', `a`, `b```, `v`) AS agg, 0 AS big");
	buf_reset(&b);
	s->cols[0].hashed = s->cols[1].hashed = s->cols[3].hashed = 0;
	assert_int_equal(sqltext_chunk_udf(&b, s), -1);
	buf_free(&b);
	schema_free(s);
}

/* Ensure the exact chunk query in SQL, bounded and not, cast and not. */
static void
test_chunk_sql(void **state)
{
	struct schema	*s;
	struct buf	 b;

	(void)state;
	s = composite();
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(sqltext_chunk_sql(&b, s, 1), 0);
	assert_string_equal(buf_str(&b), "SELECT COUNT(*) AS n, BIT_XOR(CAST("
	    "CONV(LEFT(SHA2(CONCAT_WS('#', CONCAT(ISNULL(`a`), ISNULL(`b```), "
	    "ISNULL(`c`), ISNULL(`v`)), LENGTH(`b```), LENGTH(`v`), `a`, "
	    "`b```, `c`, `v`), 256), 16), 16, 10) AS UNSIGNED)) AS agg, "
	    "0 AS big");
	buf_reset(&b);
	schema_add_column(s, "w", "text", "latin1", "latin1_swedish_ci", 1,
	    "text");
	assert_int_equal(sqltext_chunk_sql(&b, s, 0), 0);
	assert_string_equal(buf_str(&b), "SELECT COUNT(*) AS n, BIT_XOR(CAST("
	    "CONV(LEFT(SHA2(CONCAT_WS('#', CONCAT(ISNULL(`a`), ISNULL(`b```), "
	    "ISNULL(`c`), ISNULL(`v`), ISNULL(`w`)), LENGTH(`b```), "
	    "LENGTH(`v`), LENGTH(`w`), `a`, `b```, `c`, CAST(`v` AS BINARY), "
	    "CAST(`w` AS BINARY)), 256), 16), 16, 10) AS UNSIGNED)) AS agg, "
	    "SUM(352 + IFNULL(LENGTH(`b```), 0) + IFNULL(LENGTH(`v`), 0) + "
	    "IFNULL(LENGTH(`w`), 0) >= @@max_allowed_packet) AS big");
	buf_free(&b);
	schema_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ident),
		cmocka_unit_test(test_ident_nul),
		cmocka_unit_test(test_ident_long),
		cmocka_unit_test(test_hex_all_bytes),
		cmocka_unit_test(test_string),
		cmocka_unit_test(test_key_literal),
		cmocka_unit_test(test_expr),
		cmocka_unit_test(test_bound_composite),
		cmocka_unit_test(test_bound_forged),
		cmocka_unit_test(test_chunk_udf),
		cmocka_unit_test(test_chunk_sql),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

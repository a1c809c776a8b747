/* Unit tests for the binary log's row event decoder. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "binrow.h"
#include "buf.h"
#include "schema.h"
#include "xmalloc.h"

#define TABLE_ID	0x0000a1b2c3d4ULL

/* Bytes from hex, appended to b. */
static void
addhex(struct buf *b, const char *hex)
{
	unsigned int	 v;

	for (; hex[0] != '\0' && hex[1] != '\0'; hex += 2) {
		if (hex[0] == ' ') {
			hex--;
			continue;
		}
		assert_int_equal(sscanf(hex, "%2x", &v), 1);
		assert_int_equal(buf_addc(b, (int)v), 0);
	}
}

static void
addle(struct buf *b, uint64_t v, size_t n)
{
	while (n-- > 0) {
		assert_int_equal(buf_addc(b, (int)(v & 0xff)), 0);
		v >>= 8;
	}
}

/*
 * A TABLE_MAP body for db "d", table "t": ncols types, their metadata
 * as hex (already in the log's byte order), every column nullable.
 */
static void
make_map(struct buf *b, const unsigned char *types, size_t ncols,
    const char *metahex)
{
	size_t	 i, mlen = strlen(metahex) / 2;

	buf_init(b, BUF_NOCAP);
	addle(b, TABLE_ID, 6);
	addle(b, 1, 2);
	buf_add(b, "\001d\000\001t\000", 6);
	buf_addc(b, (int)ncols);
	buf_add(b, types, ncols);
	buf_addc(b, (int)mlen);
	addhex(b, metahex);
	for (i = 0; i < (ncols + 7) / 8; i++)
		buf_addc(b, 0xff);
	assert_false(buf_failed(b));
}

/* A ROWS v1 body header: every one of ncols columns present. */
static void
make_rows(struct buf *b, size_t ncols, int update)
{
	size_t	 i;

	buf_init(b, BUF_NOCAP);
	addle(b, TABLE_ID, 6);
	addle(b, 1, 2);
	buf_addc(b, (int)ncols);
	for (i = 0; i < (ncols + 7) / 8 * (update ? 2 : 1); i++)
		buf_addc(b, 0xff);
}

/* A copy of exactly n bytes on the heap, so that an overread shows. */
static unsigned char *
exact(const void *p, size_t n)
{
	unsigned char	*q = xmalloc(n == 0 ? 1 : n);

	memcpy(q, p, n);
	return q;
}

struct tcase {
	unsigned char	 type;
	const char	*meta;		/* hex */
	const char	*val;		/* hex, the field as the log holds it */
	const char	*ctype;		/* COLUMN_TYPE */
	const char	*charset;
	enum colenc	 enc;
	const char	*want;		/* NULL: refused */
	size_t		 wantlen;	/* 0: strlen(want) */
};

#define TXT	COLENC_TEXT
#define DBL	COLENC_DOUBLE
#define NUM	COLENC_NUMBER

static const struct tcase cases[] = {
	/* Integers, signed and unsigned from COLUMN_TYPE. */
	{ 1, "", "ff", "tinyint(4)", NULL, TXT, "-1", 0 },
	{ 1, "", "ff", "tinyint(3) unsigned", NULL, TXT, "255", 0 },
	{ 1, "", "80", "tinyint(1)", NULL, TXT, "-128", 0 },
	{ 2, "", "0080", "smallint(6)", NULL, TXT, "-32768", 0 },
	{ 2, "", "0080", "smallint(5) unsigned", NULL, TXT, "32768", 0 },
	{ 9, "", "ffff7f", "mediumint(9)", NULL, TXT, "8388607", 0 },
	{ 9, "", "000080", "mediumint(9)", NULL, TXT, "-8388608", 0 },
	{ 9, "", "ffffff", "mediumint(8) unsigned", NULL, TXT, "16777215", 0 },
	{ 3, "", "ffffffff", "int(11)", NULL, TXT, "-1", 0 },
	{ 3, "", "ffffffff", "int(10) unsigned", NULL, TXT, "4294967295", 0 },
	{ 3, "", "2a000000", "int(8) unsigned zerofill", NULL, TXT,
	    "00000042", 0 },
	{ 3, "", "2a000000", "int(8) zerofill", NULL, TXT, NULL, 0 },
	{ 8, "", "0000000000000080", "bigint(20)", NULL, TXT,
	    "-9223372036854775808", 0 },
	{ 8, "", "ffffffffffffffff", "bigint(20) unsigned", NULL, TXT,
	    "18446744073709551615", 0 },
	{ 3, "", "01000000", "int(11)", NULL, DBL, NULL, 0 },
	{ 3, "", "01000000", "int(11)", NULL, NUM, NULL, 0 },
	{ 3, "", "01000000", "varchar(4)", NULL, TXT, NULL, 0 },
	{ 3, "", "01000000", "bigint(20)", NULL, TXT, NULL, 0 },

	/* FLOAT as CAST(f AS DOUBLE); DOUBLE as my_gcvt prints it. */
	{ 4, "04", "cdcc8c3f", "float", NULL, DBL, "1.100000023841858", 0 },
	{ 4, "04", "cdcc8c3f", "float", NULL, TXT, NULL, 0 },
	{ 4, "04", "00000000", "float(7,3)", NULL, DBL, "0", 0 },
	{ 4, "08", "cdcc8c3f", "float", NULL, DBL, NULL, 0 },
	{ 5, "08", "9a9999999999b93f", "double", NULL, TXT, "0.1", 0 },
	{ 5, "08", "00003426f56b0c43", "double", NULL, TXT, "1e15", 0 },
	{ 5, "08", "0000901ec4bcd642", "double", NULL, TXT,
	    "100000000000000", 0 },
	{ 5, "08", "1656e79eaf03d23c", "double", NULL, TXT,
	    "0.000000000000001", 0 },
	{ 5, "08", "bc89d897b2d29c3c", "double", NULL, TXT, "1e-16", 0 },
	{ 5, "08", "03eb2af2548b1143", "double", NULL, TXT,
	    "1234567890123456.8", 0 },
	{ 5, "08", "350f63bab4697b43", "double", NULL, TXT,
	    "1.2345678901234568e17", 0 },
	{ 5, "08", "0100000000000000", "double", NULL, TXT, "5e-324", 0 },
	/* A power of two: the shortest digits are not the rounded ones. */
	{ 5, "08", "0000000000006000", "double", NULL, TXT,
	    "7.120236347223045e-307", 0 },
	{ 5, "08", "355800662deb41fe", "double", NULL, TXT, "-1.5e300", 0 },
	{ 5, "08", "0000000000000080", "double", NULL, TXT, NULL, 0 },
	{ 5, "08", "000000000000f87f", "double", NULL, TXT, NULL, 0 },
	{ 5, "08", "000000000000f07f", "double", NULL, TXT, NULL, 0 },
	{ 5, "08", "9a9999999999b93f", "double(10,2)", NULL, TXT, NULL, 0 },
	{ 5, "08", "9a9999999999b93f", "double(10,2)", NULL, DBL, "0.1", 0 },
	{ 5, "04", "9a9999999999b93f", "double", NULL, TXT, NULL, 0 },

	/* Binary decimals: every digit of the scale. */
	{ 246, "0502", "807b2d", "decimal(5,2)", NULL, TXT, "123.45", 0 },
	{ 246, "0502", "7f84d2", "decimal(5,2)", NULL, TXT, "-123.45", 0 },
	{ 246, "0502", "800000", "decimal(5,2)", NULL, TXT, "0.00", 0 },
	{ 246, "0502", "7fffcd", "decimal(5,2)", NULL, TXT, "-0.50", 0 },
	{ 246, "0502", "7fffff", "decimal(5,2)", NULL, TXT, NULL, 0 },
	{ 246, "0502", "83e800", "decimal(5,2)", NULL, TXT, NULL, 0 },
	{ 246, "0502", "807b64", "decimal(5,2)", NULL, TXT, NULL, 0 },
	{ 246, "0a00", "810dfb38d2", "decimal(10,0)", NULL, TXT,
	    "1234567890", 0 },
	{ 246, "0100", "89", "decimal(1,0)", NULL, TXT, "9", 0 },
	{ 246, "2626", "8000000000000000000000000000000001",
	    "decimal(38,38)", NULL, TXT,
	    "0.00000000000000000000000000000000000001", 0 },
	{ 246, "411e",
	    "85f5e0ff3b9ac9ff3b9ac9ff3b9ac9ff3b9ac9ff3b9ac9ff3b9ac9ff03e7",
	    "decimal(65,30)", NULL, TXT,
	    "99999999999999999999999999999999999."
	    "999999999999999999999999999999", 0 },
	{ 246, "4200", "80", "decimal(66,0)", NULL, TXT, NULL, 0 },
	{ 246, "0506", "807b2d", "decimal(5,2)", NULL, TXT, NULL, 0 },

	/* Dates and times, zero dates and fractions included. */
	{ 13, "", "00", "year(4)", NULL, TXT, "0000", 0 },
	{ 13, "", "7c", "year(4)", NULL, TXT, "2024", 0 },
	{ 13, "", "ff", "year(4)", NULL, TXT, "2155", 0 },
	{ 13, "", "7c", "year(2)", NULL, TXT, NULL, 0 },
	{ 10, "", "5dd00f", "date", NULL, TXT, "2024-02-29", 0 },
	{ 10, "", "000000", "date", NULL, TXT, "0000-00-00", 0 },
	{ 10, "", "a1d10f", "date", NULL, TXT, NULL, 0 },
	{ 19, "02", "7fffffff", "time(2)", NULL, TXT, "-00:00:00.01", 0 },
	{ 19, "02", "7ffffef6", "time(2)", NULL, TXT, "-00:00:01.10", 0 },
	{ 19, "02", "8010832d", "time(2)", NULL, TXT, "01:02:03.45", 0 },
	{ 19, "01", "7fffffce", "time(1)", NULL, TXT, "-00:00:00.5", 0 },
	{ 19, "06", "4b9104f0bdc1", "time(6)", NULL, TXT,
	    "-838:59:59.999999", 0 },
	{ 19, "04", "7f3747e12e", "time(4)", NULL, TXT, "-12:34:56.7890", 0 },
	{ 19, "00", "b46efb", "time", NULL, TXT, "838:59:59", 0 },
	{ 19, "00", "7fffff", "time", NULL, TXT, "-00:00:01", 0 },
	{ 19, "00", "800000", "time", NULL, TXT, "00:00:00", 0 },
	{ 19, "00", "80ffff", "time", NULL, TXT, NULL, 0 },
	{ 19, "07", "80000000000000", "time", NULL, TXT, NULL, 0 },
	{ 18, "00", "99b2bac8b8", "datetime", NULL, TXT,
	    "2024-02-29 12:34:56", 0 },
	{ 18, "06", "fef3ff7efb0f423f", "datetime(6)", NULL, TXT,
	    "9999-12-31 23:59:59.999999", 0 },
	{ 18, "03", "80000000000000", "datetime(3)", NULL, TXT,
	    "0000-00-00 00:00:00.000", 0 },
	{ 18, "02", "8cb242000001", "datetime(2)", NULL, TXT,
	    "1000-01-01 00:00:00.01", 0 },
	{ 18, "00", "99b5420000", "datetime", NULL, TXT,
	    "2025-00-01 00:00:00", 0 },
	{ 18, "00", "99b2bb8000", "datetime", NULL, TXT, NULL, 0 },
	{ 18, "00", "7fffffffff", "datetime", NULL, TXT, NULL, 0 },
	{ 18, "06", "fef3ff7efb0f4240", "datetime(6)", NULL, TXT, NULL, 0 },
	{ 17, "00", "00000000", "timestamp", NULL, TXT,
	    "0000-00-00 00:00:00", 0 },
	{ 17, "03", "000000000000", "timestamp(3)", NULL, TXT,
	    "0000-00-00 00:00:00.000", 0 },
	{ 17, "00", "7fffffff", "timestamp", NULL, TXT,
	    "2038-01-19 03:14:07", 0 },
	{ 17, "06", "00000001000001", "timestamp(6)", NULL, TXT,
	    "1970-01-01 00:00:01.000001", 0 },
	{ 17, "01", "0000000032", "timestamp(1)", NULL, TXT,
	    "1970-01-01 00:00:00.5", 0 },
	/*
	 * The old formats: TIME(3) is 5 bytes, TIME 3, and the map does not
	 * tell them apart.
	 */
	{ 11, "", "590a80", "time", NULL, TXT, NULL, 0 },
	{ 12, "", "80c5aa8b68120000", "datetime", NULL, TXT, NULL, 0 },
	{ 7, "", "01000000", "timestamp", NULL, TXT, NULL, 0 },
	{ 17, "00", "00000001", "datetime", NULL, TXT, NULL, 0 },

	/* BIT: the stored bytes. */
	{ 16, "0401", "0aaa", "bit(12)", NULL, TXT, "\x0a\xaa", 2 },
	{ 16, "0008", "ffffffffffffffff", "bit(64)", NULL, TXT,
	    "\xff\xff\xff\xff\xff\xff\xff\xff", 8 },
	{ 16, "0100", "01", "bit(1)", NULL, TXT, "\x01", 1 },
	{ 16, "0000", "", "bit(1)", NULL, TXT, NULL, 0 },
	{ 16, "0801", "0000", "bit(1)", NULL, TXT, NULL, 0 },

	/* ENUM and SET under STRING, by name or as a number. */
	{ 254, "f701", "02", "enum('a','b')", "utf8mb4", TXT, "b", 0 },
	{ 254, "f701", "00", "enum('a','b')", "utf8mb4", TXT, "", 0 },
	{ 254, "f701", "03", "enum('a','b')", "utf8mb4", TXT, NULL, 0 },
	{ 254, "f701", "02", "enum('','a','a')", "utf8mb4", NUM, "2", 0 },
	{ 254, "f702", "0201", "enum('a','b')", "utf8mb4", NUM, "258", 0 },
	{ 254, "f701", "01", "enum('it''s','b')", "utf8mb4", TXT, "it's", 0 },
	{ 254, "f701", "01", "enum('a\\\\b')", "utf8mb4", TXT, NULL, 0 },
	{ 254, "f701", "01", "enum('\xc3\xa9')", "utf8mb4", TXT,
	    "\xc3\xa9", 0 },
	{ 254, "f701", "01", "enum('\xc3\xa9')", "latin1", TXT, NULL, 0 },
	{ 254, "f701", "01", "set('a')", "utf8mb4", TXT, NULL, 0 },
	{ 254, "f703", "01", "enum('a')", "utf8mb4", TXT, NULL, 0 },
	{ 254, "f801", "05", "set('x','y','z')", "utf8mb4", TXT, "x,z", 0 },
	{ 254, "f801", "00", "set('x','y','z')", "utf8mb4", TXT, "", 0 },
	{ 254, "f801", "05", "set('x','y','z')", "utf8mb4", NUM, "5", 0 },
	{ 254, "f801", "08", "set('x','y','z')", "utf8mb4", TXT, NULL, 0 },
	{ 254, "f808", "0000000000000080", "set('a')", "utf8mb4", NUM,
	    "9223372036854775808", 0 },
	{ 254, "f809", "000000000000000000", "set('a')", "utf8mb4", NUM,
	    NULL, 0 },

	/* CHAR, BINARY and the types stored as BINARY. */
	{ 254, "fe0c", "03616220", "char(3)", "utf8mb4", TXT, "ab", 0 },
	{ 254, "fe0c", "00", "char(3)", "utf8mb4", TXT, "", 0 },
	{ 254, "fe0c", "03616220", "char(3)", "utf8mb4", NUM, NULL, 0 },
	{ 254, "fe0c", "0400610020", "char(3)", "utf16", TXT, "\0a\0 ", 4 },
	{ 254, "ee90", "02006162", "char(100)", "utf8mb4", TXT, "ab", 0 },
	{ 254, "fe04", "0161", "binary(4)", NULL, TXT, "a\0\0\0", 4 },
	{ 254, "fe04", "0400000000", "binary(4)", NULL, TXT,
	    "\0\0\0\0", 4 },
	{ 254, "fe02", "03000000", "binary(2)", NULL, TXT, NULL, 0 },
	{ 254, "fe10", "020001", "inet6", NULL, TXT, "1::", 0 },
	{ 254, "fe10", "1000000000000000000000ffff01020304", "inet6", NULL,
	    TXT, "::ffff:1.2.3.4", 0 },
	{ 254, "fe10", "1000000000000000000000000001020304", "inet6", NULL,
	    TXT, "::1.2.3.4", 0 },
	{ 254, "fe10", "1000000000000000000000000000000001", "inet6", NULL,
	    TXT, "::1", 0 },
	{ 254, "fe10", "1000010000000100000001000000010000", "inet6", NULL,
	    TXT, "1::1:0:1:0:1:0", 0 },
	{ 254, "fe10", "00", "inet6", NULL, TXT, "::", 0 },
	{ 254, "fe04", "040a000001", "inet4", NULL, TXT, "10.0.0.1", 0 },
	{ 254, "fe08", "040a000001", "inet4", NULL, TXT, NULL, 0 },
	{ 254, "fe10", "1000112233445566778899aabbccddeeff", "uuid", NULL,
	    TXT, NULL, 0 },

	/* VARCHAR, BLOB and what is stored as one. */
	{ 15, "0a00", "03616263", "varchar(10)", "utf8mb4", TXT, "abc", 0 },
	{ 15, "2c01", "0300616263", "varchar(300)", "utf8mb4", TXT, "abc",
	    0 },
	{ 15, "0a00", "0400ff2000", "varbinary(10)", NULL, TXT,
	    "\0\xff \0", 4 },
	{ 252, "02", "0300000102", "blob", NULL, TXT, "\0\1\2", 3 },
	{ 252, "04", "0100000041", "longtext", "utf8mb4", TXT, "A", 0 },
	{ 252, "01", "00", "tinytext", "utf8mb4", TXT, "", 0 },
	{ 252, "04", "0100000041", "int(11)", NULL, TXT, NULL, 0 },
	{ 252, "05", "0100000041", "blob", NULL, TXT, NULL, 0 },
	{ 255, "04", "0200000001ff", "point", NULL, TXT, "\1\xff", 2 },
	{ 245, "04", "020000007b7d", "json", NULL, TXT, "{}", 0 },
};

/* Decode one row of one column and render it. */
static int
run_case(const struct tcase *tc, struct buf *out, char **cause)
{
	struct binrow_map	 map;
	struct binrow_rows	 rows;
	struct binrow_image	 before, after;
	struct column		 col;
	struct buf		 mb, rb;
	unsigned char		*mp, *rp;
	int			 r;

	buf_reset(out);
	memset(&before, 0, sizeof before);
	memset(&after, 0, sizeof after);
	memset(&col, 0, sizeof col);
	col.name = (char *)"c";
	col.type = (char *)tc->ctype;
	col.charset = (char *)tc->charset;
	make_map(&mb, &tc->type, 1, tc->meta);
	make_rows(&rb, 1, 0);
	buf_addc(&rb, 0);	/* not NULL */
	addhex(&rb, tc->val);
	mp = exact(mb.data, mb.len);
	rp = exact(rb.data, rb.len);
	r = binrow_map_parse(&map, mp, mb.len, cause);
	if (r == -1)
		goto done;
	assert_int_equal(binrow_rows_parse(&rows, 23, rp, rb.len, cause), 0);
	r = binrow_next(&rows, &map, &before, &after, cause);
	if (r == 1) {
		if (rows.p != rows.end)
			fail_msg("%s %s: %zu bytes left", tc->ctype, tc->val,
			    (size_t)(rows.end - rows.p));
		r = binrow_text(&map, &after, 0, &col, tc->enc, out, cause);
	} else
		assert_int_equal(r, -1);
	binrow_rows_clear(&rows);
	binrow_map_clear(&map);
done:
	binrow_image_free(&before);
	binrow_image_free(&after);
	free(mp);
	free(rp);
	buf_free(&mb);
	buf_free(&rb);
	return r;
}

/* Ensure that every type renders as the server's text, or is refused. */
static void
test_types(void **state)
{
	struct buf	 out;
	char		*cause;
	size_t		 i, wl;
	int		 r;

	(void)state;
	buf_init(&out, BUF_NOCAP);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cause = NULL;
		r = run_case(&cases[i], &out, &cause);
		if (cases[i].want == NULL) {
			if (r != -1)
				fail_msg("case %zu (%s %s): got \"%s\", want "
				    "refusal", i, cases[i].ctype, cases[i].val,
				    out.data);
			if (cause == NULL)
				fail_msg("case %zu: refused without a cause", i);
			if (out.len != 0)
				fail_msg("case %zu: output left on refusal", i);
			free(cause);
			continue;
		}
		if (r != 0)
			fail_msg("case %zu (%s %s): refused: %s", i,
			    cases[i].ctype, cases[i].val, cause);
		wl = cases[i].wantlen != 0 ? cases[i].wantlen :
		    strlen(cases[i].want);
		if (out.len != wl || memcmp(out.data, cases[i].want, wl) != 0)
			fail_msg("case %zu (%s %s): got \"%s\" (%zu bytes), "
			    "want \"%s\"", i, cases[i].ctype, cases[i].val,
			    out.len != 0 ? out.data : "", out.len,
			    cases[i].want);
	}
	buf_free(&out);
}

/* Ensure that a map's fields are parsed, optional metadata ignored. */
static void
test_map(void **state)
{
	static const unsigned char types[] = { 3, 15, 254, 246, 18 };
	struct binrow_map	 map;
	struct buf		 b;
	char			*cause = NULL;

	(void)state;
	make_map(&b, types, 5, "2c01" "fe0c" "0502" "06");
	buf_add(&b, "\143\001\003", 3);	/* optional metadata, unknown */
	assert_int_equal(binrow_map_parse(&map, (unsigned char *)b.data,
	    b.len, &cause), 0);
	assert_true(map.table_id == TABLE_ID);
	assert_string_equal(map.db, "d");
	assert_string_equal(map.name, "t");
	assert_int_equal(map.ncols, 5);
	assert_memory_equal(map.types, types, 5);
	assert_int_equal(map.meta[0], 0);
	assert_int_equal(map.meta[1], 300);
	assert_int_equal(map.meta[2], 0xfe0c);
	assert_int_equal(map.meta[3], 0x0502);
	assert_int_equal(map.meta[4], 6);
	assert_int_equal(map.nullable[0], 0xff);
	assert_null(map.colnames);
	assert_null(map.unsig);
	binrow_map_clear(&map);
	assert_null(map.db);
	binrow_map_clear(&map);
	binrow_map_clear(NULL);
	buf_free(&b);
}

/* Ensure that a map cut anywhere, or malformed, is refused. */
static void
test_map_malformed(void **state)
{
	static const unsigned char types[] = { 3, 15, 254 };
	static const unsigned char t0[] = { 3 };
	struct binrow_map	 map;
	struct buf		 b;
	unsigned char		*p;
	char			*cause;
	size_t			 n;

	(void)state;
	make_map(&b, types, 3, "2c01fe0c");
	for (n = 0; n < b.len; n++) {
		cause = NULL;
		p = exact(b.data, n);
		assert_int_equal(binrow_map_parse(&map, p, n, &cause), -1);
		assert_non_null(cause);
		assert_null(map.types);
		free(cause);
		free(p);
	}
	buf_free(&b);

	/* Metadata longer than the types use. */
	make_map(&b, types, 3, "2c01fe0c00");
	cause = NULL;
	assert_int_equal(binrow_map_parse(&map, (unsigned char *)b.data,
	    b.len, &cause), -1);
	free(cause);
	buf_free(&b);

	/* No columns. */
	make_map(&b, t0, 0, "");
	cause = NULL;
	assert_int_equal(binrow_map_parse(&map, (unsigned char *)b.data,
	    b.len, &cause), -1);
	free(cause);
	buf_free(&b);

	/* A name without its NUL, or with one inside. */
	make_map(&b, t0, 1, "");
	b.data[10] = 'x';
	cause = NULL;
	assert_int_equal(binrow_map_parse(&map, (unsigned char *)b.data,
	    b.len, &cause), -1);
	free(cause);
	b.data[10] = '\0';
	b.data[8] = 2;
	cause = NULL;
	assert_int_equal(binrow_map_parse(&map, (unsigned char *)b.data,
	    b.len, &cause), -1);
	free(cause);
	buf_free(&b);

	/* 5000 columns: more than a table can have. */
	buf_init(&b, BUF_NOCAP);
	addle(&b, TABLE_ID, 8);
	buf_add(&b, "\001d\000\001t\000", 6);
	addhex(&b, "fc8813");
	cause = NULL;
	assert_int_equal(binrow_map_parse(&map, (unsigned char *)b.data,
	    b.len, &cause), -1);
	free(cause);
	buf_free(&b);
	cause = NULL;
	assert_int_equal(binrow_map_parse(&map, NULL, 0, &cause), -1);
	free(cause);
}

/*
 * A map of (id INT, a INT UNSIGNED, v VARCHAR(20)) with its optional
 * metadata (signedness, column names, one field of an unknown type)
 * appended as opthex.
 */
static void
make_map_opt(struct buf *b, const char *opthex)
{
	static const unsigned char types[] = { 3, 3, 15 };

	make_map(b, types, 3, "1400");
	addhex(b, opthex);
	assert_false(buf_failed(b));
}

#define OPT_SIGN	"010140"
#define OPT_NAMES	"0407" "02696401610176"
#define OPT_OTHER	"080100"

/* Ensure that the optional metadata gives the names and signedness. */
static void
test_map_optional(void **state)
{
	struct binrow_map	 map;
	struct buf		 b;
	char			*cause = NULL;

	(void)state;
	make_map_opt(&b, OPT_SIGN OPT_OTHER OPT_NAMES);
	assert_int_equal(binrow_map_parse(&map, (unsigned char *)b.data,
	    b.len, &cause), 0);
	assert_non_null(map.colnames);
	assert_string_equal(map.colnames[0], "id");
	assert_string_equal(map.colnames[1], "a");
	assert_string_equal(map.colnames[2], "v");
	assert_non_null(map.unsig);
	assert_int_equal(map.unsig[0], 0);
	assert_int_equal(map.unsig[1], 1);
	assert_int_equal(map.unsig[2], 0);
	binrow_map_clear(&map);
	assert_null(map.colnames);
	buf_free(&b);
}

/* Ensure that malformed or cut optional metadata is refused. */
static void
test_map_optional_malformed(void **state)
{
	static const char *bad[] = {
		OPT_NAMES OPT_NAMES,		/* names twice */
		OPT_SIGN OPT_SIGN,		/* signedness twice */
		"0405" "0269640161",		/* a name short */
		"0409" "026964016101760177",	/* a name too many */
		"0407" "02696400610176",	/* a NUL in a name */
		"0406" "026964000161",		/* an empty name */
		"020540",			/* a field cut short */
		"0102c000",			/* signedness too long */
		"0100",				/* signedness too short */
		"04fb",				/* a NULL length */
		"04",				/* a type without length */
	};
	struct binrow_map	 map;
	struct buf		 b;
	unsigned char		*p;
	char			*cause;
	size_t			 i, n;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		make_map_opt(&b, bad[i]);
		cause = NULL;
		assert_int_equal(binrow_map_parse(&map,
		    (unsigned char *)b.data, b.len, &cause), -1);
		assert_non_null(cause);
		assert_null(map.colnames);
		free(cause);
		buf_free(&b);
	}
	/*
	 * Cut anywhere inside the optional metadata: never read past; only
	 * a cut between two fields is a map (with fewer of them).
	 */
	make_map_opt(&b, OPT_SIGN OPT_NAMES);
	for (n = b.len - 12; n < b.len; n++) {
		cause = NULL;
		p = exact(b.data, n);
		if (n == b.len - 12 || n == b.len - 9) {
			assert_int_equal(binrow_map_parse(&map, p, n, &cause),
			    0);
			assert_null(map.colnames);
			binrow_map_clear(&map);
		} else
			assert_int_equal(binrow_map_parse(&map, p, n, &cause),
			    -1);
		free(cause);
		free(p);
	}
	buf_free(&b);
}

/* Ensure that a map is checked against a description, name and type. */
static void
test_map_check(void **state)
{
	struct column		 cols[3];
	struct schema		 s;
	struct binrow_map	 map;
	struct buf		 b;
	char			*cause = NULL;

	(void)state;
	memset(cols, 0, sizeof cols);
	memset(&s, 0, sizeof s);
	cols[0].name = (char *)"id";
	cols[0].type = (char *)"int(11)";
	cols[1].name = (char *)"a";
	cols[1].type = (char *)"int(10) unsigned";
	cols[2].name = (char *)"v";
	cols[2].type = (char *)"varchar(20)";
	s.cols = cols;
	s.ncols = 3;
	make_map_opt(&b, OPT_SIGN OPT_NAMES);
	assert_int_equal(binrow_map_parse(&map, (unsigned char *)b.data,
	    b.len, &cause), 0);
	assert_int_equal(binrow_map_check(&map, &s, &cause), 0);
	assert_null(cause);

	/* Reordered: names differ. */
	cols[0].name = (char *)"a";
	cols[1].name = (char *)"id";
	assert_int_equal(binrow_map_check(&map, &s, &cause), -1);
	assert_non_null(strstr(cause, "column 1 is id"));
	free(cause);
	cols[0].name = (char *)"id";
	cols[1].name = (char *)"a";

	/* Retyped, the name kept. */
	cols[0].type = (char *)"bigint(20)";
	assert_int_equal(binrow_map_check(&map, &s, &cause), -1);
	free(cause);
	cols[0].type = (char *)"int(11)";
	cols[2].type = (char *)"text";
	assert_int_equal(binrow_map_check(&map, &s, &cause), -1);
	free(cause);
	cols[2].type = (char *)"varchar(20)";

	/* Signedness changed. */
	cols[1].type = (char *)"int(11)";
	assert_int_equal(binrow_map_check(&map, &s, &cause), -1);
	assert_non_null(strstr(cause, "unsigned"));
	free(cause);
	cols[1].type = (char *)"int(10) unsigned";

	/* A column more. */
	s.ncols = 2;
	assert_int_equal(binrow_map_check(&map, &s, &cause), -1);
	free(cause);
	s.ncols = 3;
	assert_int_equal(binrow_map_check(&map, NULL, &cause), -1);
	free(cause);
	binrow_map_clear(&map);
	buf_free(&b);

	/* A map without names: never trusted. */
	make_map_opt(&b, OPT_SIGN);
	assert_int_equal(binrow_map_parse(&map, (unsigned char *)b.data,
	    b.len, &cause), 0);
	assert_int_equal(binrow_map_check(&map, &s, &cause), -1);
	assert_non_null(strstr(cause, "binlog_row_metadata"));
	free(cause);
	binrow_map_clear(&map);
	buf_free(&b);
}

/*
 * A map of (id INT, k ENUM, s SET) with its column names and the optional
 * metadata opthex (members, primary key) appended.
 */
static void
make_map_es(struct buf *b, const char *opthex)
{
	static const unsigned char types[] = { 3, 254, 254 };

	make_map(b, types, 3, "f701f801");
	addhex(b, "0407026964016b0173");
	addhex(b, opthex);
	assert_false(buf_failed(b));
}

/* k: 'admin', 'guest'; s: 'a', 'b', 'c'; the primary key (id). */
#define OPT_ENUM	"060d" "020561646d696e056775657374"
#define OPT_SET		"0507" "03016101620163"
#define OPT_PK		"080100"

/* The description of (id INT, k ENUM, s SET), keyed on id. */
static void
es_schema(struct schema *s, struct column *cols, size_t *key)
{
	memset(cols, 0, 3 * sizeof *cols);
	memset(s, 0, sizeof *s);
	cols[0].name = (char *)"id";
	cols[0].type = (char *)"int(11)";
	cols[1].name = (char *)"k";
	cols[1].type = (char *)"enum('admin','guest')";
	cols[1].charset = (char *)"utf8mb4";
	cols[2].name = (char *)"s";
	cols[2].type = (char *)"set('a','b','c')";
	cols[2].charset = (char *)"utf8mb4";
	key[0] = 0;
	key[1] = 1;
	s->cols = cols;
	s->ncols = 3;
	s->key = key;
	s->nkey = 1;
}

/* Check a map of opthex against s: its result, a cause holding want. */
static void
es_check(const char *opthex, const struct schema *s, int rc,
    const char *want)
{
	struct binrow_map	 map;
	struct buf		 b;
	char			*cause = NULL;

	make_map_es(&b, opthex);
	assert_int_equal(binrow_map_parse(&map, (unsigned char *)b.data,
	    b.len, &cause), 0);
	assert_int_equal(binrow_map_check(&map, s, &cause), rc);
	if (rc == 0)
		assert_null(cause);
	else {
		assert_non_null(cause);
		if (want != NULL && strstr(cause, want) == NULL)
			fail_msg("cause \"%s\", not \"%s\"", cause, want);
		free(cause);
	}
	binrow_map_clear(&map);
	buf_free(&b);
}

/* Ensure that the ENUM and SET members and the primary key are kept. */
static void
test_map_members(void **state)
{
	struct binrow_map	 map;
	struct buf		 b;
	char			*cause = NULL;

	(void)state;
	make_map_es(&b, OPT_SET OPT_PK OPT_ENUM);
	assert_int_equal(binrow_map_parse(&map, (unsigned char *)b.data,
	    b.len, &cause), 0);
	assert_non_null(map.members);
	assert_false(map.members[0].given);
	assert_true(map.members[1].given);
	assert_int_equal(map.members[1].n, 2);
	assert_int_equal(map.members[1].len[1], 5);
	assert_memory_equal(map.members[1].str[1], "guest", 5);
	assert_true(map.members[2].given);
	assert_int_equal(map.members[2].n, 3);
	assert_memory_equal(map.members[2].str[2], "c", 1);
	assert_int_equal(map.npk, 1);
	assert_int_equal(map.pk[0], 0);
	binrow_map_clear(&map);
	assert_null(map.members);
	assert_null(map.pk);
	buf_free(&b);

	/* With prefixes: (k, s(3)). */
	make_map_es(&b, "0904" "01000203");
	assert_int_equal(binrow_map_parse(&map, (unsigned char *)b.data,
	    b.len, &cause), 0);
	assert_int_equal(map.npk, 2);
	assert_int_equal(map.pk[0], 1);
	assert_int_equal(map.pk[1], 2);
	assert_null(map.members);
	binrow_map_clear(&map);
	buf_free(&b);
}

/* Ensure that members are checked against COLUMN_TYPE, in order. */
static void
test_map_check_members(void **state)
{
	struct column	 cols[3];
	struct schema	 s;
	size_t		 key[2];

	(void)state;
	es_schema(&s, cols, key);
	es_check(OPT_ENUM OPT_SET, &s, 0, NULL);
	es_check("", &s, 0, NULL);

	/* Reordered. */
	cols[1].type = (char *)"enum('guest','admin')";
	es_check(OPT_ENUM OPT_SET, &s, -1,
	    "the members of ENUM column k differ from the table's");
	/* Added, removed. */
	cols[1].type = (char *)"enum('admin','guest','root')";
	es_check(OPT_ENUM, &s, -1, "ENUM column k");
	cols[1].type = (char *)"enum('admin')";
	es_check(OPT_ENUM, &s, -1, "ENUM column k");
	cols[1].type = (char *)"enum('admin','guests')";
	es_check(OPT_ENUM, &s, -1, "ENUM column k");
	cols[1].type = (char *)"enum('admin','guest')";
	cols[2].type = (char *)"set('c','b','a')";
	es_check(OPT_ENUM OPT_SET, &s, -1,
	    "the members of SET column s differ from the table's");
	cols[2].type = (char *)"set('a','b','c')";

	/* A quote, doubled in COLUMN_TYPE: k 'a''b', 'guest'. */
	cols[1].type = (char *)"enum('a''b','guest')";
	es_check("060b" "020361276205" "6775657374", &s, 0, NULL);
	es_check(OPT_ENUM, &s, -1, "ENUM column k");
	es_check("060b" "020361626205" "6775657374", &s, -1, NULL);
	/* An empty member. */
	cols[1].type = (char *)"enum('','guest')";
	es_check("0608" "02000567756573" "74", &s, 0, NULL);
	es_check(OPT_ENUM, &s, -1, NULL);

	/*
	 * Text that is not certain (a backslash; Latin-1 bytes): any member
	 * matches it there, which binrow_text refuses to render; the others
	 * and the count are still compared.
	 */
	cols[1].type = (char *)"enum('a\\b','guest')";
	es_check(OPT_ENUM, &s, 0, NULL);
	es_check("060d" "020561646d696e056775657378", &s, -1, NULL);
	cols[1].type = (char *)"enum('a\\b','guest','x')";
	es_check(OPT_ENUM, &s, -1, NULL);
	cols[1].type = (char *)"enum('\xc3\xa9','guest')";
	cols[1].charset = (char *)"latin1";
	es_check("0609" "0201e9056775657374", &s, 0, NULL);
	cols[1].charset = (char *)"utf8mb4";
	es_check("0609" "0201e9056775657374", &s, -1, NULL);
	es_check("060a" "0202c3a9056775657374", &s, 0, NULL);

	/* A COLUMN_TYPE that does not parse. */
	cols[1].type = (char *)"enum('admin','guest'";
	es_check(OPT_ENUM, &s, -1, NULL);
	cols[1].type = (char *)"enum";
	es_check(OPT_ENUM, &s, -1, NULL);
}

/* Ensure that the map's primary key is checked against the table's key. */
static void
test_map_check_pk(void **state)
{
	struct column	 cols[3];
	struct schema	 s;
	size_t		 key[2];

	(void)state;
	es_schema(&s, cols, key);
	es_check(OPT_PK, &s, 0, NULL);
	es_check("0902" "0000", &s, 0, NULL);
	/* No primary key in the map: not compared. */
	s.nkey = 0;
	es_check(OPT_ENUM, &s, 0, NULL);
	es_check(OPT_PK, &s, -1, "the primary key has 1 columns");
	/* Moved to another column. */
	key[0] = 1;
	s.nkey = 1;
	es_check(OPT_PK, &s, -1,
	    "the primary key's column 1 is id in the binary log, k in");
	/* Extended, shortened, reordered. */
	key[0] = 0;
	es_check("0802" "0001", &s, -1, "the primary key has 2 columns");
	s.nkey = 2;
	es_check(OPT_PK, &s, -1, "the primary key has 1 columns");
	es_check("0802" "0001", &s, 0, NULL);
	es_check("0802" "0100", &s, -1, "column 1 is k");
	es_check("0904" "00000103", &s, 0, NULL);
}

/* Ensure that malformed or cut members and primary keys are refused. */
static void
test_map_members_malformed(void **state)
{
	static const char *bad[] = {
		OPT_ENUM OPT_ENUM,		/* members twice */
		OPT_PK OPT_PK,			/* a primary key twice */
		"0602" "0300",			/* more members than bytes */
		"0603" "020100",		/* a member cut short */
		"0604" "01030061",		/* a member cut short */
		"060e" "020561646d696e05677565737400", /* a byte more */
		"0600",				/* no count at all */
		"0601" "fb",			/* a NULL count */
		"0602" "01fb",			/* a NULL length */
		"0605" "fcffff0000",		/* a huge count */
		"0800",				/* an empty primary key */
		"080103",			/* a column out of range */
		"0801" "fc",			/* an index cut short */
		"0802" "0000",			/* a column twice */
		"090100",			/* a prefix missing */
		"0903" "000001",		/* a prefix missing */
		"0609" "fe0000000000000001",	/* a 64-bit count */
	};
	struct binrow_map	 map;
	struct buf		 b;
	unsigned char		*p;
	char			*cause;
	size_t			 i, n, start;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		make_map_es(&b, bad[i]);
		cause = NULL;
		if (binrow_map_parse(&map, (unsigned char *)b.data, b.len,
		    &cause) != -1)
			fail_msg("bad[%zu] parsed", i);
		assert_non_null(cause);
		assert_null(map.members);
		assert_null(map.pk);
		free(cause);
		buf_free(&b);
	}
	/* Cut anywhere inside: never read past (valgrind, ASan). */
	make_map_es(&b, "");
	start = b.len;
	buf_free(&b);
	make_map_es(&b, OPT_ENUM OPT_SET "0904" "01000203");
	for (n = start; n < b.len; n++) {
		cause = NULL;
		p = exact(b.data, n);
		if (binrow_map_parse(&map, p, n, &cause) == 0)
			binrow_map_clear(&map);
		else
			assert_non_null(cause);
		free(cause);
		free(p);
	}
	buf_free(&b);
}

/* Ensure that an update gives both images, some columns NULL. */
static void
test_update(void **state)
{
	static const unsigned char types[] = { 3, 15 };
	struct binrow_map	 map;
	struct binrow_rows	 rows;
	struct binrow_image	 before, after;
	struct column		 cols[2];
	struct buf		 mb, rb, out;
	char			*cause = NULL;

	(void)state;
	memset(&before, 0, sizeof before);
	memset(&after, 0, sizeof after);
	memset(cols, 0, sizeof cols);
	cols[0].name = (char *)"id";
	cols[0].type = (char *)"int(11)";
	cols[1].name = (char *)"v";
	cols[1].type = (char *)"varchar(10)";
	buf_init(&out, BUF_NOCAP);
	make_map(&mb, types, 2, "0a00");
	make_rows(&rb, 2, 1);
	/* Row 1: (7, 'ab') -> (7, NULL); row 2: (8, NULL) -> (9, ''). */
	addhex(&rb, "00 07000000 026162");
	addhex(&rb, "02 07000000");
	addhex(&rb, "02 08000000");
	addhex(&rb, "00 09000000 00");
	assert_int_equal(binrow_map_parse(&map, (unsigned char *)mb.data,
	    mb.len, &cause), 0);
	assert_int_equal(binrow_rows_parse(&rows, 24,
	    (unsigned char *)rb.data, rb.len, &cause), 0);
	assert_int_equal(rows.kind, BINROW_UPDATE);
	assert_int_equal(rows.flags, 1);
	assert_int_equal(binrow_next(&rows, &map, &before, &after, &cause), 1);
	assert_int_equal(before.null[1], 0);
	assert_int_equal(before.rawlen[1], 3);
	assert_int_equal(binrow_text(&map, &before, 1, &cols[1], COLENC_TEXT,
	    &out, &cause), 0);
	assert_string_equal(out.data, "ab");
	assert_int_equal(after.null[1], 1);
	assert_int_equal(binrow_text(&map, &after, 1, &cols[1], COLENC_TEXT,
	    &out, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(binrow_text(&map, &after, 0, &cols[0], COLENC_TEXT,
	    &out, &cause), 0);
	assert_string_equal(out.data, "7");
	assert_int_equal(binrow_next(&rows, &map, &before, &after, &cause), 1);
	assert_int_equal(before.null[1], 1);
	assert_int_equal(binrow_text(&map, &before, 0, &cols[0], COLENC_TEXT,
	    &out, &cause), 0);
	assert_string_equal(out.data, "8");
	assert_int_equal(binrow_text(&map, &after, 1, &cols[1], COLENC_TEXT,
	    &out, &cause), 0);
	assert_int_equal(out.len, 0);
	assert_int_equal(binrow_next(&rows, &map, &before, &after, &cause), 0);
	assert_int_equal(binrow_next(&rows, &map, &before, &after, &cause), 0);
	binrow_rows_clear(&rows);
	binrow_map_clear(&map);
	binrow_image_free(&before);
	binrow_image_free(&after);
	binrow_image_free(NULL);
	buf_free(&mb);
	buf_free(&rb);
	buf_free(&out);
}

/* Ensure that columns left out of an image are marked and not rendered. */
static void
test_partial(void **state)
{
	static const unsigned char types[] = { 3, 3, 3 };
	struct binrow_map	 map;
	struct binrow_rows	 rows;
	struct binrow_image	 before, after;
	struct column		 col;
	struct buf		 mb, rb, out;
	char			*cause = NULL;

	(void)state;
	memset(&before, 0, sizeof before);
	memset(&after, 0, sizeof after);
	memset(&col, 0, sizeof col);
	col.name = (char *)"c";
	col.type = (char *)"int(11)";
	buf_init(&out, BUF_NOCAP);
	make_map(&mb, types, 3, "");
	/* A delete (v2, 4 bytes of extra data) of columns 1 and 3 only. */
	buf_init(&rb, BUF_NOCAP);
	addle(&rb, TABLE_ID, 6);
	addle(&rb, 0, 2);
	addhex(&rb, "0400 abcd 03 05 00 01000000 03000000");
	assert_int_equal(binrow_map_parse(&map, (unsigned char *)mb.data,
	    mb.len, &cause), 0);
	assert_int_equal(binrow_rows_parse(&rows, 32,
	    (unsigned char *)rb.data, rb.len, &cause), 0);
	assert_int_equal(rows.kind, BINROW_DELETE);
	assert_int_equal(binrow_next(&rows, &map, &before, &after, &cause), 1);
	assert_int_equal(before.present[0], 1);
	assert_int_equal(before.present[1], 0);
	assert_int_equal(before.present[2], 1);
	assert_int_equal(binrow_text(&map, &before, 2, &col, COLENC_TEXT,
	    &out, &cause), 0);
	assert_string_equal(out.data, "3");
	assert_int_equal(binrow_text(&map, &before, 1, &col, COLENC_TEXT,
	    &out, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(binrow_text(&map, &before, 3, &col, COLENC_TEXT,
	    &out, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(binrow_next(&rows, &map, &before, &after, &cause), 0);
	binrow_rows_clear(&rows);
	binrow_map_clear(&map);
	binrow_image_free(&before);
	binrow_image_free(&after);
	buf_free(&mb);
	buf_free(&rb);
	buf_free(&out);
}

/* Ensure that a rows event of another shape than its map is refused. */
static void
test_mismatch(void **state)
{
	static const unsigned char types[] = { 3, 3 };
	struct binrow_map	 map;
	struct binrow_rows	 rows;
	struct binrow_image	 before, after;
	struct buf		 mb, rb;
	char			*cause = NULL;

	(void)state;
	memset(&before, 0, sizeof before);
	memset(&after, 0, sizeof after);
	make_map(&mb, types, 2, "");
	make_rows(&rb, 1, 0);
	addhex(&rb, "00 01000000");
	assert_int_equal(binrow_map_parse(&map, (unsigned char *)mb.data,
	    mb.len, &cause), 0);
	assert_int_equal(binrow_rows_parse(&rows, 23,
	    (unsigned char *)rb.data, rb.len, &cause), 0);
	assert_int_equal(binrow_next(&rows, &map, &before, &after, &cause),
	    -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	/* Once failed, the event is over. */
	assert_int_equal(binrow_next(&rows, &map, &before, &after, &cause), 0);
	binrow_rows_clear(&rows);
	binrow_map_clear(&map);
	binrow_image_free(&before);
	binrow_image_free(&after);
	buf_free(&mb);
	buf_free(&rb);

	/* Not a rows event; an unknown column type. */
	assert_int_equal(binrow_rows_parse(&rows, 19, (unsigned char *)"x", 1,
	    &cause), -1);
	free(cause);
	cause = NULL;
	{
		static const unsigned char bad[] = { 6 };

		make_map(&mb, bad, 1, "");
		make_rows(&rb, 1, 0);
		addhex(&rb, "00 01");
		assert_int_equal(binrow_map_parse(&map,
		    (unsigned char *)mb.data, mb.len, &cause), 0);
		assert_int_equal(binrow_rows_parse(&rows, 23,
		    (unsigned char *)rb.data, rb.len, &cause), 0);
		assert_int_equal(binrow_next(&rows, &map, &before, &after,
		    &cause), -1);
		free(cause);
		binrow_rows_clear(&rows);
		binrow_map_clear(&map);
		binrow_image_free(&before);
		binrow_image_free(&after);
		buf_free(&mb);
		buf_free(&rb);
	}
}

/* Ensure that rows cut anywhere never read past the end. */
static void
test_rows_truncated(void **state)
{
	static const unsigned char types[] = { 3, 15, 252, 246, 18 };
	struct binrow_map	 map;
	struct binrow_rows	 rows;
	struct binrow_image	 before, after;
	struct buf		 mb, rb;
	unsigned char		*p;
	char			*cause = NULL;
	size_t			 n;
	int			 r, got;

	(void)state;
	memset(&before, 0, sizeof before);
	memset(&after, 0, sizeof after);
	make_map(&mb, types, 5, "2c01" "02" "0502" "06");
	make_rows(&rb, 5, 1);
	addhex(&rb, "00 01000000 0300616263 02006162 807b2d 99b2bac8b8000000");
	addhex(&rb, "1e 02000000");
	assert_int_equal(binrow_map_parse(&map, (unsigned char *)mb.data,
	    mb.len, &cause), 0);
	for (n = 0; n <= rb.len; n++) {
		p = exact(rb.data, n);
		cause = NULL;
		if (binrow_rows_parse(&rows, 24, p, n, &cause) == -1) {
			assert_non_null(cause);
			free(cause);
			free(p);
			continue;
		}
		got = 0;
		while ((r = binrow_next(&rows, &map, &before, &after,
		    &cause)) == 1)
			got++;
		if (n == rb.len)
			assert_true(r == 0 && got == 1);
		else if (r == -1)
			free(cause);
		else
			assert_int_equal(got, 0);	/* no row bytes left */
		binrow_rows_clear(&rows);
		free(p);
	}
	binrow_map_clear(&map);
	binrow_image_free(&before);
	binrow_image_free(&after);
	buf_free(&mb);
	buf_free(&rb);
}

/* A compressed rows body: header, ncols, bitmap, then header + zlib. */
static void
make_compressed(struct buf *b, const struct buf *plain, size_t skip,
    int lenlen, long delta)
{
	unsigned char	 z[1024];
	uLongf		 zn = sizeof z;
	size_t		 want = plain->len - skip;
	int		 i;

	assert_int_equal(compress(z, &zn, (const unsigned char *)plain->data +
	    skip, (uLong)want), Z_OK);
	buf_init(b, BUF_NOCAP);
	buf_add(b, plain->data, skip);
	buf_addc(b, 0x80 | lenlen);
	for (i = lenlen - 1; i >= 0; i--)
		buf_addc(b, (int)(((long)want + delta) >> (8 * i)) & 0xff);
	buf_add(b, z, zn);
}

/* Ensure that MariaDB's compressed events inflate, and bad ones fail. */
static void
test_compressed(void **state)
{
	static const unsigned char types[] = { 3, 15 };
	struct binrow_map	 map;
	struct binrow_rows	 rows;
	struct binrow_image	 before, after;
	struct column		 col;
	struct buf		 mb, rb, cb, out;
	unsigned char		*p;
	char			*cause = NULL;
	size_t			 skip, n;
	int			 i;

	(void)state;
	memset(&before, 0, sizeof before);
	memset(&after, 0, sizeof after);
	memset(&col, 0, sizeof col);
	col.name = (char *)"v";
	col.type = (char *)"varchar(10)";
	buf_init(&out, BUF_NOCAP);
	make_map(&mb, types, 2, "0a00");
	make_rows(&rb, 2, 0);
	skip = rb.len;
	for (i = 0; i < 20; i++) {
		addhex(&rb, "00");
		addle(&rb, (uint64_t)i, 4);
		addhex(&rb, "0568656c6c6f");
	}
	assert_int_equal(binrow_map_parse(&map, (unsigned char *)mb.data,
	    mb.len, &cause), 0);

	make_compressed(&cb, &rb, skip, 2, 0);
	assert_int_equal(binrow_rows_parse(&rows, 166,
	    (unsigned char *)cb.data, cb.len, &cause), 0);
	assert_int_equal(rows.kind, BINROW_WRITE);
	for (i = 0; i < 20; i++) {
		assert_int_equal(binrow_next(&rows, &map, &before, &after,
		    &cause), 1);
		assert_int_equal(binrow_text(&map, &after, 1, &col,
		    COLENC_TEXT, &out, &cause), 0);
		assert_string_equal(out.data, "hello");
	}
	assert_int_equal(binrow_next(&rows, &map, &before, &after, &cause), 0);
	binrow_rows_clear(&rows);

	/* Cut anywhere: refused, or fewer rows, never an overread. */
	for (n = 0; n < cb.len; n++) {
		p = exact(cb.data, n);
		cause = NULL;
		assert_int_equal(binrow_rows_parse(&rows, 169, p, n, &cause),
		    -1);
		free(cause);
		free(p);
	}
	buf_free(&cb);

	/* A length that is not the inflated one, either way. */
	make_compressed(&cb, &rb, skip, 3, 1);
	cause = NULL;
	assert_int_equal(binrow_rows_parse(&rows, 166,
	    (unsigned char *)cb.data, cb.len, &cause), -1);
	free(cause);
	buf_free(&cb);
	make_compressed(&cb, &rb, skip, 1, -1);
	cause = NULL;
	assert_int_equal(binrow_rows_parse(&rows, 166,
	    (unsigned char *)cb.data, cb.len, &cause), -1);
	free(cause);

	/* Another algorithm, no length bytes, a corrupt stream. */
	cb.data[skip] = (char)0x92;
	cause = NULL;
	assert_int_equal(binrow_rows_parse(&rows, 166,
	    (unsigned char *)cb.data, cb.len, &cause), -1);
	free(cause);
	cb.data[skip] = (char)0x80;
	cause = NULL;
	assert_int_equal(binrow_rows_parse(&rows, 166,
	    (unsigned char *)cb.data, cb.len, &cause), -1);
	free(cause);
	buf_free(&cb);
	make_compressed(&cb, &rb, skip, 2, 0);
	cb.data[skip + 6] ^= 0x55;
	cause = NULL;
	assert_int_equal(binrow_rows_parse(&rows, 166,
	    (unsigned char *)cb.data, cb.len, &cause), -1);
	free(cause);
	buf_free(&cb);

	/* An announced size past the limit. */
	buf_init(&cb, BUF_NOCAP);
	buf_add(&cb, rb.data, skip);
	addhex(&cb, "84 7fffffff 789c0300000000");
	cause = NULL;
	assert_int_equal(binrow_rows_parse(&rows, 166,
	    (unsigned char *)cb.data, cb.len, &cause), -1);
	free(cause);
	buf_free(&cb);

	binrow_map_clear(&map);
	binrow_image_free(&before);
	binrow_image_free(&after);
	buf_free(&mb);
	buf_free(&rb);
	buf_free(&out);
}

/* Ensure that bad arguments to binrow_text are refused. */
static void
test_text_args(void **state)
{
	static const unsigned char types[] = { 3 };
	struct binrow_map	 map;
	struct binrow_rows	 rows;
	struct binrow_image	 before, after;
	struct column		 col;
	struct buf		 mb, rb, out;
	char			*cause = NULL;

	(void)state;
	memset(&before, 0, sizeof before);
	memset(&after, 0, sizeof after);
	memset(&col, 0, sizeof col);
	col.name = (char *)"c";
	col.type = (char *)"int(11)";
	buf_init(&out, BUF_NOCAP);
	make_map(&mb, types, 1, "");
	make_rows(&rb, 1, 0);
	addhex(&rb, "00 01000000");
	assert_int_equal(binrow_map_parse(&map, (unsigned char *)mb.data,
	    mb.len, &cause), 0);
	assert_int_equal(binrow_rows_parse(&rows, 23,
	    (unsigned char *)rb.data, rb.len, &cause), 0);
	assert_int_equal(binrow_next(&rows, &map, &before, &after, &cause), 1);
	assert_int_equal(binrow_text(&map, &after, 0, &col, COLENC_TEXT, &out,
	    &cause), 0);
	assert_string_equal(out.data, "1");
	/* A hand-made image whose length is not the value's. */
	after.rawlen[0] = 2;
	assert_int_equal(binrow_text(&map, &after, 0, &col, COLENC_TEXT, &out,
	    &cause), -1);
	assert_int_equal(out.len, 0);
	free(cause);
	assert_int_equal(binrow_text(NULL, &after, 0, &col, COLENC_TEXT, &out,
	    &cause), -1);
	free(cause);
	assert_int_equal(binrow_text(&map, &before, 0, &col, COLENC_TEXT, &out,
	    &cause), -1);
	free(cause);
	/* A capped output buffer. */
	after.rawlen[0] = 4;
	buf_free(&out);
	buf_init(&out, 0);
	assert_int_equal(binrow_text(&map, &after, 0, &col, COLENC_TEXT, &out,
	    &cause), -1);
	free(cause);
	binrow_rows_clear(&rows);
	binrow_map_clear(&map);
	binrow_image_free(&before);
	binrow_image_free(&after);
	buf_free(&mb);
	buf_free(&rb);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_map_malformed),
		cmocka_unit_test(test_map_optional),
		cmocka_unit_test(test_map_optional_malformed),
		cmocka_unit_test(test_map_members),
		cmocka_unit_test(test_map_check_members),
		cmocka_unit_test(test_map_check_pk),
		cmocka_unit_test(test_map_members_malformed),
		cmocka_unit_test(test_map_check),
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_mismatch),
		cmocka_unit_test(test_rows_truncated),
		cmocka_unit_test(test_compressed),
		cmocka_unit_test(test_text_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

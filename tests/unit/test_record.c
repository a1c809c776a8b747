/* Unit tests for record: percent-encoding and the record body format. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "record.h"

/* Percent-encode n bytes with flags into a fresh buffer and compare. */
static void
check_pct(const void *in, size_t n, int flags, const char *want)
{
	struct buf	 b;

	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_pct(&b, in, n, flags), 0);
	assert_string_equal(buf_str(&b), want);
	assert_int_equal(b.len, strlen(want));
	assert_int_equal(record_pct_len(in, n, flags), strlen(want));
	buf_free(&b);
}

/* Ensure that printable ASCII outside the escaped set is copied as is. */
static void
test_pct_plain(void **state)
{
	static const char	 in[] =
	    "AZaz09-_.~!#$&()*+/:<>?@[]^{}";

	(void)state;
	check_pct(in, sizeof in - 1, 0, in);
}

/* Ensure that every byte below 0x21 (controls and space) is encoded. */
static void
test_pct_controls(void **state)
{
	unsigned char	 in[0x21];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof in; i++)
		in[i] = (unsigned char)i;
	check_pct(in, sizeof in, 0,
	    "%00%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F"
	    "%10%11%12%13%14%15%16%17%18%19%1A%1B%1C%1D%1E%1F%20");
}

/*
 * Ensure that RECORD_TEXT (messages) keeps space, ',' and '\'' and still
 * encodes controls, non-ASCII and every byte a record or decoder keys on.
 */
static void
test_pct_text(void **state)
{
	static const char	 in[] =
	    "op=delete table=mysql.user pk=User=root changed=- src=scan ;"
	    "\n\t\"%\\`|',\xc3\xa4.";

	(void)state;
	check_pct(in, sizeof in - 1, RECORD_TEXT,
	    "op%3Ddelete table%3Dmysql.user pk%3DUser%3Droot changed%3D- "
	    "src%3Dscan %3B%0A%09%22%25%5C%60%7C',%C3%A4.");
}

/* Ensure that DEL (0x7F) is encoded. */
static void
test_pct_del(void **state)
{
	(void)state;
	check_pct("a\x7f" "b", 3, 0, "a%7Fb");
}

/* Ensure that bytes from 0x80 up (UTF-8 included) are encoded. */
static void
test_pct_high(void **state)
{
	(void)state;
	check_pct("\x80\xc3\xa9\xfe\xff", 5, 0, "%80%C3%A9%FE%FF");
}

/* Ensure that each record metacharacter " % ' , ; = \ ` | is encoded. */
static void
test_pct_specials(void **state)
{
	(void)state;
	check_pct("\"%',;=\\`|", 9, 0, "%22%25%27%2C%3B%3D%5C%60%7C");
}

/* Ensure that the hex digits of an escape are upper case. */
static void
test_pct_upper_hex(void **state)
{
	(void)state;
	check_pct("\xab\xcd\xef\x0a", 4, 0, "%AB%CD%EF%0A");
}

/* Ensure that '.' is kept in a value (flags 0). */
static void
test_pct_dot_value(void **state)
{
	(void)state;
	check_pct("a.b", 3, 0, "a.b");
}

/* Ensure that '.' is encoded in an identifier (RECORD_IDENT). */
static void
test_pct_dot_ident(void **state)
{
	(void)state;
	check_pct("a.b", 3, RECORD_IDENT, "a%2Eb");
}

/* Ensure that RECORD_IDENT changes nothing but '.'. */
static void
test_pct_ident_others(void **state)
{
	(void)state;
	check_pct("my db;x_1", 9, RECORD_IDENT, "my%20db%3Bx_1");
}

/* Ensure that an embedded NUL is encoded and the rest is kept. */
static void
test_pct_embedded_nul(void **state)
{
	(void)state;
	check_pct("a\0b", 3, 0, "a%00b");
}

/* Ensure that encoding zero bytes appends nothing. */
static void
test_pct_empty(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(buf_adds(&b, "x"), 0);
	assert_int_equal(record_pct(&b, "", 0, 0), 0);
	assert_string_equal(buf_str(&b), "x");
	assert_int_equal(record_pct_len("", 0, 0), 0);
	buf_free(&b);
}

/* Ensure that record_pct_len counts 3 per escaped byte and 1 otherwise. */
static void
test_pct_len(void **state)
{
	(void)state;
	assert_int_equal(record_pct_len("abc", 3, 0), 3);
	assert_int_equal(record_pct_len("a b", 3, 0), 5);
	assert_int_equal(record_pct_len("a.b", 3, 0), 3);
	assert_int_equal(record_pct_len("a.b", 3, RECORD_IDENT), 5);
	assert_int_equal(record_pct_len("\0\xff%", 3, 0), 9);
}

/* Ensure that an encoding past the buffer's cap fails and empties it. */
static void
test_pct_cap(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, 5);
	assert_int_equal(buf_adds(&b, "ab"), 0);
	assert_int_equal(record_pct(&b, "c d", 3, 0), -1);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

/* Ensure that record_begin writes "op=" and the encoded op. */
static void
test_begin(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_begin(&b, "up date"), 0);
	assert_string_equal(buf_str(&b), "op=up%20date");
	buf_free(&b);
}

/* Ensure that record_field writes " name=value" unchanged. */
static void
test_field(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_field(&b, "src", "scan"), 0);
	assert_string_equal(buf_str(&b), " src=scan");
	buf_free(&b);
}

/* Ensure that record_field writes "-" for an empty or NULL value. */
static void
test_field_empty(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_field(&b, "a", ""), 0);
	assert_int_equal(record_field(&b, "b", NULL), 0);
	assert_string_equal(buf_str(&b), " a=- b=-");
	buf_free(&b);
}

/* Ensure that record_field_value writes an empty value as "-". */
static void
test_field_value_empty(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_field_value(&b, "by", "", 0), 0);
	assert_string_equal(buf_str(&b), " by=-");
	buf_free(&b);
}

/* Ensure that record_field_value writes a value of exactly "-" as %2D. */
static void
test_field_value_dash(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_field_value(&b, "by", "-", 1), 0);
	assert_string_equal(buf_str(&b), " by=%2D");
	buf_free(&b);
}

/* Ensure that record_field_value keeps '-' inside longer values. */
static void
test_field_value_dashes(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_field_value(&b, "a", "--", 2), 0);
	assert_int_equal(record_field_value(&b, "b", "x-y", 3), 0);
	assert_string_equal(buf_str(&b), " a=-- b=x-y");
	buf_free(&b);
}

/* Ensure that record_field_value percent-encodes its value by length. */
static void
test_field_value_encoded(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_field_value(&b, "by", "root@x y\0z", 10), 0);
	assert_string_equal(buf_str(&b), " by=root@x%20y%00z");
	buf_free(&b);
}

/* Ensure that record_field_num writes the full unsigned range. */
static void
test_field_num(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_field_num(&b, "rows", 0), 0);
	assert_int_equal(record_field_num(&b, "max",
	    18446744073709551615ULL), 0);
	assert_string_equal(buf_str(&b), " rows=0 max=18446744073709551615");
	buf_free(&b);
}

/* Ensure that record_table encodes both parts as identifiers. */
static void
test_table_ident(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_table(&b, "my.db", 5, "t 1\n", 4), 0);
	assert_string_equal(buf_str(&b), " table=my%2Edb.t%201%0A");
	buf_free(&b);
}

/* Ensure that record_table uses the given lengths, not strlen. */
static void
test_table_lengths(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_table(&b, "acmeXX", 4, "a\0b", 3), 0);
	assert_string_equal(buf_str(&b), " table=acme.a%00b");
	buf_free(&b);
}

/* Ensure that a whole record body has the exact documented form. */
static void
test_full_record(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, RECORD_MAX);
	assert_int_equal(record_begin(&b, "update"), 0);
	assert_int_equal(record_table(&b, "acme", 4, "users", 5), 0);
	assert_int_equal(record_field(&b, "pk", "id=42"), 0);
	assert_int_equal(record_field(&b, "changed", "email,name"), 0);
	assert_int_equal(record_field(&b, "src", "scan"), 0);
	assert_int_equal(record_field_value(&b, "by", "", 0), 0);
	assert_int_equal(record_end(&b), 0);
	assert_string_equal(buf_str(&b), "op=update table=acme.users pk=id=42 "
	    "changed=email,name src=scan by=- ;");
	buf_free(&b);
}

/* Ensure that a value forging a second record stays inside one field. */
static void
test_hostile_value(void **state)
{
	static const char	 evil[] =
	    "x\ndbsyscheck: op=delete table=acme.users pk=id=1 ;";
	struct buf		 b;
	const char		*s, *v;
	size_t			 vlen;

	(void)state;
	buf_init(&b, RECORD_MAX);
	assert_int_equal(record_begin(&b, "update"), 0);
	assert_int_equal(record_field_value(&b, "by", evil, sizeof evil - 1),
	    0);
	assert_int_equal(record_end(&b), 0);
	s = buf_str(&b);
	assert_string_equal(s, "op=update by=x%0Adbsyscheck:%20op%3Ddelete"
	    "%20table%3Dacme.users%20pk%3Did%3D1%20%3B ;");
	assert_null(strchr(s, '\n'));
	assert_ptr_equal(strchr(s, ';'), s + b.len - 1);
	assert_int_equal(record_get(s, b.len, "by", &v, &vlen), 0);
	assert_null(memchr(v, ' ', vlen));
	assert_int_equal(record_get(s, b.len, "table", &v, &vlen), -1);
	buf_free(&b);
}

/* Ensure that record_cut copies text no longer than the cap unchanged. */
static void
test_cut_short(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_cut(&b, "abc", 3, 10), 0);
	assert_int_equal(record_cut(&b, "%41de", 5, 5), 0);
	assert_string_equal(buf_str(&b), "abc%41de");
	buf_free(&b);
}

/* Ensure that record_cut marks a cut with "%..." and fills the cap. */
static void
test_cut_plain(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_cut(&b, "abcdefghij", 10, 8), 0);
	assert_string_equal(buf_str(&b), "abcd%...");
	assert_int_equal(b.len, 8);
	buf_free(&b);
}

/* Ensure that a cut falling after a '%' drops the whole escape. */
static void
test_cut_after_percent(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_cut(&b, "ab%41cdefgh", 11, 7), 0);
	assert_string_equal(buf_str(&b), "ab%...");
	buf_free(&b);
}

/* Ensure that a cut falling inside the hex digits drops the whole escape. */
static void
test_cut_inside_escape(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_cut(&b, "ab%41cdefgh", 11, 8), 0);
	assert_string_equal(buf_str(&b), "ab%...");
	buf_free(&b);
}

/* Ensure that a cut just after a whole escape keeps it. */
static void
test_cut_after_escape(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_cut(&b, "ab%41cdefgh", 11, 9), 0);
	assert_string_equal(buf_str(&b), "ab%41%...");
	buf_free(&b);
}

/* Ensure that at every cap a cut is <= cap and ends on whole escapes. */
static void
test_cut_all_caps(void **state)
{
	static const char	 in[] = "%0A%0Ab%0A%20%20cd%25%25%25";
	struct buf		 b;
	size_t			 cap, i, len;

	(void)state;
	for (cap = 4; cap < sizeof in - 1; cap++) {
		buf_init(&b, BUF_NOCAP);
		assert_int_equal(record_cut(&b, in, sizeof in - 1, cap), 0);
		len = b.len;
		assert_true(len <= cap);
		assert_true(len >= 4);
		assert_memory_equal(b.data + len - 4, "%...", 4);
		assert_memory_equal(b.data, in, len - 4);
		for (i = 0; i < len - 4; i++) {
			if (b.data[i] == '%')
				assert_true(i + 2 < len - 4);
		}
		/* Only a partial escape (at most 2 bytes) is given up. */
		assert_true(len - 4 + 2 >= cap - 4);
		buf_free(&b);
	}
}

/* Ensure that a cap smaller than the marker is refused. */
static void
test_cut_tiny_cap(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_cut(&b, "abcdef", 6, 3), -1);
	buf_free(&b);
}

/* Ensure that a cap equal to the marker length leaves just the marker. */
static void
test_cut_marker_only(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_cut(&b, "abcdef", 6, 4), 0);
	assert_string_equal(buf_str(&b), "%...");
	buf_free(&b);
}

/* Ensure that a cut never splits an earlier "%..." marker. */
static void
test_cut_keeps_marker_whole(void **state)
{
	struct buf	 b;
	char		 out[32];

	(void)state;
	/* rowenc_key_text marks each cut pk value before the pk is cut. */
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_cut(&b, "a=xy%...,b=zz", 13, 11), 0);
	assert_true(b.len < sizeof out);
	memcpy(out, buf_str(&b), b.len + 1);
	buf_free(&b);
	assert_string_equal(out, "a=xy%...");
}

/* Ensure that record_cut appends after what the buffer holds. */
static void
test_cut_appends(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(buf_adds(&b, " pk="), 0);
	assert_int_equal(record_cut(&b, "abcdefghij", 10, 6), 0);
	assert_string_equal(buf_str(&b), " pk=ab%...");
	buf_free(&b);
}

/* Ensure that record_get finds a field and gives its value's span. */
static void
test_get_found(void **state)
{
	static const char	 body[] =
	    "op=update table=acme.users pk=id=42 src=scan ;";
	const char		*v;
	size_t			 vlen;

	(void)state;
	assert_int_equal(record_get(body, sizeof body - 1, "table", &v,
	    &vlen), 0);
	assert_int_equal(vlen, 10);
	assert_memory_equal(v, "acme.users", 10);
	assert_int_equal(record_get(body, sizeof body - 1, "pk", &v,
	    &vlen), 0);
	assert_int_equal(vlen, 5);
	assert_memory_equal(v, "id=42", 5);
	assert_int_equal(record_get(body, sizeof body - 1, "src", &v,
	    &vlen), 0);
	assert_int_equal(vlen, 4);
	assert_memory_equal(v, "scan", 4);
}

/* Ensure that record_get matches whole names, not prefixes or suffixes. */
static void
test_get_whole_name(void **state)
{
	static const char	 body[] = "op=x pkx=1 xpk=2 pk=3 ;";
	const char		*v;
	size_t			 vlen;

	(void)state;
	assert_int_equal(record_get(body, sizeof body - 1, "pk", &v, &vlen),
	    0);
	assert_int_equal(vlen, 1);
	assert_int_equal(*v, '3');
}

/* Ensure that record_get reports -1 for a missing field. */
static void
test_get_missing(void **state)
{
	static const char	 body[] = "op=x a=1 ;";
	const char		*v;
	size_t			 vlen;

	(void)state;
	assert_int_equal(record_get(body, sizeof body - 1, "b", &v, &vlen),
	    -1);
	assert_int_equal(record_get(body, sizeof body - 1, ";", &v, &vlen),
	    -1);
	assert_int_equal(record_get("", 0, "op", &v, &vlen), -1);
}

/* Ensure that record_get looks only within the given length. */
static void
test_get_bounded(void **state)
{
	static const char	 body[] = "op=x a=1 b=2 ;";
	const char		*v;
	size_t			 vlen;

	(void)state;
	assert_int_equal(record_get(body, 8, "b", &v, &vlen), -1);
	assert_int_equal(record_get(body, 7, "a", &v, &vlen), 0);
	assert_int_equal(vlen, 0);
}

/* Ensure that record_op returns the op of a body. */
static void
test_op(void **state)
{
	static const char	 body[] = "op=delete table=a.b ;";
	const char		*op;
	size_t			 len;

	(void)state;
	op = record_op(body, sizeof body - 1, &len);
	assert_int_equal(len, 6);
	assert_memory_equal(op, "delete", 6);
}

/* Ensure that record_op returns "" and length 0 when there is no op. */
static void
test_op_missing(void **state)
{
	static const char	 body[] = "table=a.b ;";
	const char		*op;
	size_t			 len = 99;

	(void)state;
	op = record_op(body, sizeof body - 1, &len);
	assert_int_equal(len, 0);
	assert_string_equal(op, "");
}

/* Ensure that record_to_json gives one member per field, in order. */
static void
test_json(void **state)
{
	static const char	 body[] =
	    "op=update table=acme.users pk=id=42 changed=a,b by=- ;";
	struct buf		 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_to_json(&b, body, sizeof body - 1), 0);
	assert_string_equal(buf_str(&b), "{\"op\":\"update\","
	    "\"table\":\"acme.users\",\"pk\":\"id=42\",\"changed\":\"a,b\","
	    "\"by\":\"-\"}");
	buf_free(&b);
}

/* Ensure that record_to_json of an empty body is "{}". */
static void
test_json_empty(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_to_json(&b, "", 0), 0);
	assert_string_equal(buf_str(&b), "{}");
	buf_free(&b);
}

/* Ensure that record_to_json keeps escapes, which hold no quote. */
static void
test_json_escaped(void **state)
{
	struct buf	 b, body;

	(void)state;
	buf_init(&body, BUF_NOCAP);
	assert_int_equal(record_begin(&body, "error"), 0);
	assert_int_equal(record_field_value(&body, "msg", "say \"hi\"\\", 9),
	    0);
	assert_int_equal(record_end(&body), 0);
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_to_json(&b, body.data, body.len), 0);
	assert_string_equal(buf_str(&b),
	    "{\"op\":\"error\",\"msg\":\"say%20%22hi%22%5C\"}");
	buf_free(&b);
	buf_free(&body);
}

/* Ensure that record_to_json past the buffer's cap fails and empties it. */
static void
test_json_cap(void **state)
{
	static const char	 body[] = "op=update table=acme.users ;";
	struct buf		 b;

	(void)state;
	buf_init(&b, 16);
	assert_int_equal(record_to_json(&b, body, sizeof body - 1), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

/* A string of n copies of the UTF-8 bytes of U+4E2D (9 bytes encoded). */
static char *
cjk(size_t n)
{
	char	*s;
	size_t	 i;

	s = malloc(n * 3 + 1);
	assert_non_null(s);
	for (i = 0; i < n; i++)
		memcpy(s + i * 3, "\xe4\xb8\xad", 3);
	s[n * 3] = '\0';
	return s;
}

/* Ensure that record_check accepts records and refuses malformed ones. */
static void
test_check(void **state)
{
	static const char *const bad[] = {
		"", "op=x", " rows=uncompared src=scan ;", "op=x  a=b ;",
		"op=x a= ;", "op=x =b ;", "op=x A=b ;", "op=x a=b;c ;",
		"op=x a=\x80 ;", "op=x a=b", "op=x a ;",
	};
	size_t	 i;
	char	 big[RECORD_MAX + 2];

	(void)state;
	assert_int_equal(record_check("op=x ;", 6), 0);
	assert_int_equal(record_check("op=x a=b ;", 10), 0);
	assert_int_equal(record_check("op=x pk=a=1,b=2 ;", 17), 0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(record_check(bad[i], strlen(bad[i])), -1);
	memset(big, 'a', sizeof big);
	memcpy(big, "op=x a=", 7);
	memcpy(big + sizeof big - 2, " ;", 2);
	assert_int_equal(record_check(big, sizeof big), -1);
	assert_int_equal(record_check(big + 1, sizeof big - 1), -1);
	memcpy(big + 2, "op=x a=", 7);
	assert_int_equal(record_check(big + 2, sizeof big - 2), 0);
}

/* Ensure that record_fit keeps fields that fit as they are. */
static void
test_fit_fits(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(record_fit(&b, " added=a,b key=changed", 22, 22), 0);
	assert_string_equal(buf_str(&b), " added=a,b key=changed");
	buf_free(&b);
}

/*
 * Ensure that record_fit cuts the long values to a fair share with the
 * marker, keeps short ones and every name, and stays within the budget.
 */
static void
test_fit_cuts(void **state)
{
	struct buf	 in, b;
	const char	*v;
	size_t		 vlen, i;

	(void)state;
	buf_init(&in, BUF_NOCAP);
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(buf_adds(&in, " added="), 0);
	for (i = 0; i < 300; i++)
		assert_int_equal(buf_adds(&in, "%E4%B8%AD"), 0);
	assert_int_equal(buf_adds(&in, " dropped=x key=changed watch_added="),
	    0);
	for (i = 0; i < 300; i++)
		assert_int_equal(buf_adds(&in, "a,"), 0);
	assert_int_equal(buf_adds(&in, "b"), 0);
	assert_int_equal(record_fit(&b, in.data, in.len, 1000), 0);
	assert_true(b.len <= 1000);
	assert_true(b.len >= 1000 - 8);
	assert_int_equal(buf_add(&b, " ;", 2), 0);
	assert_int_equal(buf_str(&b)[0], ' ');
	assert_int_equal(record_get(b.data + 1, b.len - 1, "dropped", &v,
	    &vlen), 0);
	assert_int_equal(vlen, 1);
	assert_int_equal(record_get(b.data + 1, b.len - 1, "key", &v, &vlen),
	    0);
	assert_int_equal(vlen, 7);
	assert_int_equal(record_get(b.data + 1, b.len - 1, "added", &v,
	    &vlen), 0);
	assert_memory_equal(v + vlen - 4, RECORD_CUT, 4);
	assert_int_equal(record_get(b.data + 1, b.len - 1, "watch_added", &v,
	    &vlen), 0);
	assert_memory_equal(v + vlen - 4, RECORD_CUT, 4);
	/* Names alone that cannot fit, and text that is not fields. */
	buf_reset(&b);
	assert_int_equal(record_fit(&b, in.data, in.len, 40), -1);
	assert_int_equal(record_fit(&b, "added=a", 7, 3), -1);
	assert_int_equal(record_fit(&b, " added", 6, 3), -1);
	buf_free(&in);
	buf_free(&b);
}

/*
 * Ensure that an op=schema for a dozen 64-character non-ASCII columns in
 * a long-named table is one well-formed record within RECORD_MAX, its
 * list cut with the marker (it was "out of memory", or a record with no
 * op= at all).
 */
static void
test_schema_long_lists(void **state)
{
	struct buf	 why, rec;
	char		*db, *name, *col;
	const char	*v;
	size_t		 vlen, i;

	(void)state;
	db = cjk(64);
	name = cjk(64);
	col = cjk(64);
	buf_init(&why, BUF_NOCAP);
	buf_init(&rec, RECORD_MAX);
	for (i = 0; i < 12; i++) {
		assert_int_equal(buf_adds(&why, i == 0 ? " added=" : ","), 0);
		assert_int_equal(record_name(&why, col), 0);
	}
	assert_int_equal(buf_adds(&why, " dropped=a key=changed"), 0);
	assert_true(why.len > RECORD_MAX);
	assert_int_equal(record_schema(&rec, db, name, 1, why.data, why.len,
	    "rows", "scan"), 0);
	assert_int_equal(record_check(rec.data, rec.len), 0);
	assert_memory_equal(rec.data, "op=schema table=", 16);
	assert_int_equal(record_get(rec.data, rec.len, "added", &v, &vlen), 0);
	assert_memory_equal(v + vlen - 4, RECORD_CUT, 4);
	assert_int_equal(record_get(rec.data, rec.len, "key", &v, &vlen), 0);
	assert_int_equal(record_get(rec.data, rec.len, "baseline", &v, &vlen),
	    0);
	assert_true(rec.len > 3 * RECORD_LIST_MAX);
	assert_memory_equal(rec.data + rec.len - 26,
	    "rows=uncompared src=scan ;", 26);
	buf_free(&why);
	buf_free(&rec);
	free(db);
	free(name);
	free(col);
}

/*
 * Ensure that a row record with the longest table, key, list and account
 * fits RECORD_MAX, every oversize value cut with the marker.
 */
static void
test_row_longest(void **state)
{
	struct buf	 pk, ch, rec;
	char		*id, *by;
	const char	*v;
	size_t		 vlen, i;

	(void)state;
	id = cjk(86);
	by = cjk(200);
	buf_init(&pk, BUF_NOCAP);
	buf_init(&ch, BUF_NOCAP);
	buf_init(&rec, RECORD_MAX);
	for (i = 0; i < 4000; i++)
		assert_int_equal(buf_adds(&pk, "%E4"), 0);
	for (i = 0; i < 4000; i++)
		assert_int_equal(buf_adds(&ch, "a,"), 0);
	assert_int_equal(record_row(&rec, "update", id, id, pk.data, pk.len,
	    ch.data, ch.len, "trigger", by, NULL), 0);
	assert_int_equal(record_check(rec.data, rec.len), 0);
	assert_memory_equal(rec.data, "op=update table=", 16);
	for (i = 0; i < 4; i++) {
		assert_int_equal(record_get(rec.data, rec.len,
		    (const char *[]){ "table", "pk", "changed", "by" }[i], &v,
		    &vlen), 0);
		assert_memory_equal(v + vlen - 4, RECORD_CUT, 4);
	}
	/* No list: "-"; no account: "-". */
	assert_int_equal(record_row(&rec, "insert", "d", "t", "k=1", 3, "", 0,
	    "scan", NULL, NULL), 0);
	assert_string_equal(rec.data,
	    "op=insert table=d.t pk=k=1 changed=- src=scan by=- ;");
	/* The follower's account and how it knows it, after a comma. */
	assert_int_equal(record_row(&rec, "insert", "d", "t", "k=1", 3, "", 0,
	    "binlog", "a,b c@h", "statement"), 0);
	assert_string_equal(rec.data, "op=insert table=d.t pk=k=1 changed=- "
	    "src=binlog by=a%2Cb%20c@h,statement ;");
	/* Cut: the word stays whole, within the cap. */
	assert_int_equal(record_row(&rec, "insert", "d", "t", "k=1", 3, "", 0,
	    "binlog", by, "exact"), 0);
	assert_int_equal(record_check(rec.data, rec.len), 0);
	assert_int_equal(record_get(rec.data, rec.len, "by", &v, &vlen), 0);
	assert_true(vlen <= RECORD_BY_MAX);
	assert_memory_equal(v + vlen - 6 - 4, RECORD_CUT ",exact", 10);
	buf_free(&pk);
	buf_free(&ch);
	buf_free(&rec);
	free(id);
	free(by);
}

/* Ensure that the error and count records fit and read back. */
static void
test_error_count(void **state)
{
	struct buf	 rec;
	char		*msg;

	(void)state;
	msg = cjk(1000);
	buf_init(&rec, RECORD_MAX);
	assert_int_equal(record_error(&rec, "d", "t", 0, "a b", "scan"), 0);
	assert_string_equal(rec.data,
	    "op=error table=d.t msg=a%20b src=scan ;");
	assert_int_equal(record_error(&rec, NULL, NULL, 0, msg, "scan"), 0);
	assert_int_equal(record_check(rec.data, rec.len), 0);
	assert_true(strstr(rec.data, RECORD_CUT " src=scan ;") != NULL);
	assert_int_equal(record_count(&rec, "reset", "d", "t", "rows", 3,
	    "scan", "-"), 0);
	assert_string_equal(rec.data,
	    "op=reset table=d.t rows=3 src=scan by=%2D ;");
	assert_int_equal(record_count(&rec, "schema", "d", "t", "emptied",
	    7, "scan", NULL), 0);
	assert_string_equal(rec.data,
	    "op=schema table=d.t emptied=7 src=scan ;");
	buf_free(&rec);
	free(msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pct_plain),
		cmocka_unit_test(test_pct_controls),
		cmocka_unit_test(test_pct_del),
		cmocka_unit_test(test_pct_text),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_fit_fits),
		cmocka_unit_test(test_fit_cuts),
		cmocka_unit_test(test_schema_long_lists),
		cmocka_unit_test(test_row_longest),
		cmocka_unit_test(test_error_count),
		cmocka_unit_test(test_pct_high),
		cmocka_unit_test(test_pct_specials),
		cmocka_unit_test(test_pct_upper_hex),
		cmocka_unit_test(test_pct_dot_value),
		cmocka_unit_test(test_pct_dot_ident),
		cmocka_unit_test(test_pct_ident_others),
		cmocka_unit_test(test_pct_embedded_nul),
		cmocka_unit_test(test_pct_empty),
		cmocka_unit_test(test_pct_len),
		cmocka_unit_test(test_pct_cap),
		cmocka_unit_test(test_begin),
		cmocka_unit_test(test_field),
		cmocka_unit_test(test_field_empty),
		cmocka_unit_test(test_field_value_empty),
		cmocka_unit_test(test_field_value_dash),
		cmocka_unit_test(test_field_value_dashes),
		cmocka_unit_test(test_field_value_encoded),
		cmocka_unit_test(test_field_num),
		cmocka_unit_test(test_table_ident),
		cmocka_unit_test(test_table_lengths),
		cmocka_unit_test(test_full_record),
		cmocka_unit_test(test_hostile_value),
		cmocka_unit_test(test_cut_short),
		cmocka_unit_test(test_cut_plain),
		cmocka_unit_test(test_cut_after_percent),
		cmocka_unit_test(test_cut_inside_escape),
		cmocka_unit_test(test_cut_after_escape),
		cmocka_unit_test(test_cut_all_caps),
		cmocka_unit_test(test_cut_tiny_cap),
		cmocka_unit_test(test_cut_marker_only),
		cmocka_unit_test(test_cut_keeps_marker_whole),
		cmocka_unit_test(test_cut_appends),
		cmocka_unit_test(test_get_found),
		cmocka_unit_test(test_get_whole_name),
		cmocka_unit_test(test_get_missing),
		cmocka_unit_test(test_get_bounded),
		cmocka_unit_test(test_op),
		cmocka_unit_test(test_op_missing),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_empty),
		cmocka_unit_test(test_json_escaped),
		cmocka_unit_test(test_json_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

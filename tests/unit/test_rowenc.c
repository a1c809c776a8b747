/* Unit tests for rowenc: canonical rows, keyed digests and tags, keys. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "golden.h"
#include "rowenc.h"
#include "schema.h"
#include "xmalloc.h"

#define NELEM(a)	(sizeof (a) / sizeof (a)[0])

/* The installation key 00 01 .. 1f. */
static unsigned char	 ikey[32];

static int
setup_key(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof ikey; i++)
		ikey[i] = (unsigned char)i;
	return 0;
}

static struct rowenc *
create(const unsigned char *key, const char *db, const char *name)
{
	struct rowenc	*re;
	char		*cause = NULL;

	re = rowenc_create(key, 32, db, name, &cause);
	if (re == NULL)
		fail_msg("rowenc_create: %s", cause);
	return re;
}

/* The digest of one row under a fresh rowenc for DB.NAME. */
static void
digest(const unsigned char *key, const char *db, const char *name,
    const char *const *vals, const unsigned long *lens, size_t n,
    unsigned char out[ROWENC_DIGEST_LEN])
{
	struct rowenc	*re;
	char		*cause = NULL;

	re = create(key, db, name);
	assert_int_equal(rowenc_digest(re, vals, lens, n, out, &cause), 0);
	assert_null(cause);
	rowenc_free(re);
}

/* The digest of one single-column row (NULL is SQL NULL). */
static void
digest1(const char *v, unsigned long len, unsigned char out[32])
{
	const char	*vals[1] = { v };
	unsigned long	 lens[1] = { len };

	digest(ikey, "acme", "users", vals, lens, 1, out);
}

/* Encode one key value that must be good and append it to b. */
static void
key_ok(struct buf *b, enum keyclass kc, const char *v, unsigned long len)
{
	char	*cause = NULL;

	if (rowenc_key(b, kc, v, len, &cause) != 0)
		fail_msg("rowenc_key(%.*s): %s", (int)len, v, cause);
	assert_null(cause);
}

/* Encode one key value that must be refused with want. */
static void
key_bad(enum keyclass kc, const char *v, unsigned long len, const char *want)
{
	struct buf	 b;
	char		*cause = NULL;

	buf_init(&b, BUF_NOCAP);
	assert_int_equal(rowenc_key(&b, kc, v, len, &cause), -1);
	assert_int_equal(b.len, 0);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
	buf_free(&b);
}

/* The 8-byte encoding of one integer key. */
static void
key_int(enum keyclass kc, const char *v, unsigned char out[8])
{
	struct buf	 b;

	buf_init(&b, BUF_NOCAP);
	key_ok(&b, kc, v, strlen(v));
	assert_int_equal(b.len, 8);
	memcpy(out, b.data, 8);
	buf_free(&b);
}

/* memcmp order of two whole encoded keys: -1, 0 or 1. */
static int
keyorder(const struct buf *a, const struct buf *b)
{
	size_t	 n = a->len < b->len ? a->len : b->len;
	int	 c;

	c = memcmp(a->data, b->data, n);
	if (c != 0)
		return c < 0 ? -1 : 1;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* Ensure that rowenc_canon writes NULL, "", "NULL" and NUL bytes exactly. */
static void
test_canon_exact(void **state)
{
	static const unsigned char	 want[] = {
		0x00,
		0x01, 0x00, 0x00, 0x00, 0x00,
		0x01, 0x00, 0x00, 0x00, 0x04, 'N', 'U', 'L', 'L',
		0x01, 0x00, 0x00, 0x00, 0x03, 'a', 0x00, 'b',
	};
	const char	*vals[] = { NULL, "", "NULL", "a\0b" };
	unsigned long	 lens[] = { 0, 0, 4, 3 };
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(rowenc_canon(&b, vals, lens, 4), 0);
	assert_int_equal(b.len, sizeof want);
	assert_memory_equal(b.data, want, sizeof want);
	buf_free(&b);
}

/* Ensure that the length given with a NULL value is not used. */
static void
test_canon_null_ignores_length(void **state)
{
	const char	*vals[] = { NULL };
	unsigned long	 lens[] = { 77 };
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(rowenc_canon(&b, vals, lens, 1), 0);
	assert_int_equal(b.len, 1);
	assert_int_equal(b.data[0], 0);
	buf_free(&b);
}

/* Ensure that a length uses all four big-endian bytes. */
static void
test_canon_length_bytes(void **state)
{
	static const unsigned char	 hdr[] = { 0x01, 0x00, 0x00, 0x01,
					    0x02 };
	const char			*vals[1];
	unsigned long			 lens[1] = { 258 };
	char				 v[258];
	struct buf			 b;

	(void)state;
	memset(v, 'v', sizeof v);
	vals[0] = v;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(rowenc_canon(&b, vals, lens, 1), 0);
	assert_int_equal(b.len, 5 + 258);
	assert_memory_equal(b.data, hdr, 5);
	assert_memory_equal(b.data + 5, v, 258);
	buf_free(&b);
}

/* Ensure that zero values encode to nothing. */
static void
test_canon_empty_row(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(rowenc_canon(&b, NULL, NULL, 0), 0);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

/* Ensure that rowenc_canon past the buffer's cap fails. */
static void
test_canon_cap(void **state)
{
	const char	*vals[] = { "abcdef" };
	unsigned long	 lens[] = { 6 };
	struct buf	 b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(rowenc_canon(&b, vals, lens, 1), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

/* Ensure that a value longer than 2^32-1 bytes is refused, not truncated. */
static void
test_canon_oversize(void **state)
{
	const char	*vals[] = { "x" };
	unsigned long	 lens[] = { 0xffffffffUL };
	struct buf	 b;

	(void)state;
	if (sizeof(unsigned long) < 8)
		skip();
	lens[0] = (unsigned long)0xffffffffUL + 1;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(rowenc_canon(&b, vals, lens, 1), -1);
	buf_free(&b);
}

/* Ensure that the row digest matches an independent HMAC-SHA-256. */
static void
test_digest_golden(void **state)
{
	static const unsigned char	 want[32] = {
		0x2f, 0x93, 0xa0, 0x1d, 0x97, 0xa5, 0x5f, 0xb0,
		0x5a, 0xf7, 0x13, 0x96, 0x44, 0x1b, 0xd2, 0xaa,
		0x0c, 0x2c, 0xab, 0xcc, 0x22, 0xd9, 0x40, 0x75,
		0x5d, 0x9c, 0x26, 0x44, 0xf3, 0xf5, 0x88, 0x09,
	};
	const char			*vals[] = { "42", NULL, "", "a\0b" };
	unsigned long			 lens[] = { 2, 0, 0, 3 };
	unsigned char			 out[32];

	(void)state;
	digest(ikey, "acme", "users", vals, lens, 4, out);
	assert_memory_equal(out, want, 32);
}

/* Ensure that the digest is the same twice and across rowenc objects. */
static void
test_digest_deterministic(void **state)
{
	const char	*vals[] = { "1", "alice" };
	unsigned long	 lens[] = { 1, 5 };
	unsigned char	 d1[32], d2[32], d3[32];
	struct rowenc	*re;
	char		*cause = NULL;

	(void)state;
	re = create(ikey, "acme", "users");
	assert_int_equal(rowenc_digest(re, vals, lens, 2, d1, &cause), 0);
	assert_int_equal(rowenc_digest(re, vals, lens, 2, d2, &cause), 0);
	rowenc_free(re);
	digest(ikey, "acme", "users", vals, lens, 2, d3);
	assert_memory_equal(d1, d2, 32);
	assert_memory_equal(d1, d3, 32);
}

/* Ensure that NULL, "" and "NULL" give three different digests. */
static void
test_digest_null_empty_text(void **state)
{
	unsigned char	 dn[32], de[32], dt[32];

	(void)state;
	digest1(NULL, 0, dn);
	digest1("", 0, de);
	digest1("NULL", 4, dt);
	assert_memory_not_equal(dn, de, 32);
	assert_memory_not_equal(dn, dt, 32);
	assert_memory_not_equal(de, dt, 32);
}

/* Ensure that bytes after an embedded NUL change the digest. */
static void
test_digest_embedded_nul(void **state)
{
	unsigned char	 d1[32], d2[32], d3[32];

	(void)state;
	digest1("a\0b", 3, d1);
	digest1("a\0c", 3, d2);
	digest1("a", 1, d3);
	assert_memory_not_equal(d1, d2, 32);
	assert_memory_not_equal(d1, d3, 32);
}

/* Ensure that moving a byte across a column boundary changes the digest. */
static void
test_digest_boundary(void **state)
{
	const char	*v1[] = { "ab", "c" }, *v2[] = { "a", "bc" };
	unsigned long	 l1[] = { 2, 1 }, l2[] = { 1, 2 };
	unsigned char	 d1[32], d2[32];

	(void)state;
	digest(ikey, "acme", "users", v1, l1, 2, d1);
	digest(ikey, "acme", "users", v2, l2, 2, d2);
	assert_memory_not_equal(d1, d2, 32);
}

/* Ensure that the same row digests differently in another table. */
static void
test_digest_per_table(void **state)
{
	const char	*vals[] = { "1", "alice" };
	unsigned long	 lens[] = { 1, 5 };
	unsigned char	 d1[32], d2[32], d3[32];

	(void)state;
	digest(ikey, "acme", "users", vals, lens, 2, d1);
	digest(ikey, "acme", "orders", vals, lens, 2, d2);
	digest(ikey, "shop", "users", vals, lens, 2, d3);
	assert_memory_not_equal(d1, d2, 32);
	assert_memory_not_equal(d1, d3, 32);
	assert_memory_not_equal(d2, d3, 32);
}

/* Ensure that db and table names cannot trade bytes ("ab"."c" != "a"."bc"). */
static void
test_digest_table_boundary(void **state)
{
	const char	*vals[] = { "1" };
	unsigned long	 lens[] = { 1 };
	unsigned char	 d1[32], d2[32];

	(void)state;
	digest(ikey, "ab", "c", vals, lens, 1, d1);
	digest(ikey, "a", "bc", vals, lens, 1, d2);
	assert_memory_not_equal(d1, d2, 32);
}

/* Ensure that another installation key gives another digest. */
static void
test_digest_per_key(void **state)
{
	const char	*vals[] = { "1" };
	unsigned long	 lens[] = { 1 };
	unsigned char	 other[32], d1[32], d2[32];

	(void)state;
	memcpy(other, ikey, 32);
	other[31] ^= 0x01;
	digest(ikey, "acme", "users", vals, lens, 1, d1);
	digest(other, "acme", "users", vals, lens, 1, d2);
	assert_memory_not_equal(d1, d2, 32);
}

/* Ensure that an oversize row fails with a cause and the state recovers. */
static void
test_digest_oversize(void **state)
{
	const char	*big[] = { "x" }, *small[] = { "1" };
	unsigned long	 biglen[] = { 0 }, smalllen[] = { 1 };
	unsigned char	 d1[32], d2[32];
	struct rowenc	*re;
	char		*cause = NULL;

	(void)state;
	if (sizeof(unsigned long) < 8)
		skip();
	biglen[0] = (unsigned long)0xffffffffUL + 1;
	re = create(ikey, "acme", "users");
	assert_int_equal(rowenc_digest(re, big, biglen, 1, d1, &cause), -1);
	assert_string_equal(cause, "row too large to encode");
	free(cause);
	cause = NULL;
	assert_int_equal(rowenc_digest(re, small, smalllen, 1, d1, &cause), 0);
	rowenc_free(re);
	digest(ikey, "acme", "users", small, smalllen, 1, d2);
	assert_memory_equal(d1, d2, 32);
}

/* Ensure that a digest refusing an oversize row leaks nothing. */
static void
test_digest_oversize_no_leak(void **state)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
	const char	*big[] = { "x" }, *small[] = { "1" };
	unsigned long	 biglen[] = { 0 }, smalllen[] = { 1 };
	unsigned char	 d[32];
	struct rowenc	*re;
	char		*cause = NULL;
	size_t		 before, after, i;
	int		 r;

	(void)state;
	/* 1000 rounds of good row, oversize row: the heap must not grow. */
	if (sizeof(unsigned long) < 8)
		skip();
	biglen[0] = (unsigned long)0xffffffffUL + 1;
	re = create(ikey, "acme", "users");
	r = rowenc_digest(re, small, smalllen, 1, d, &cause);
	before = mallinfo2().uordblks;
	for (i = 0; r == 0 && i < 1000; i++) {
		if (rowenc_digest(re, big, biglen, 1, d, &cause) != -1)
			r = -1;
		free(cause);
		cause = NULL;
		if (rowenc_digest(re, small, smalllen, 1, d, &cause) != 0)
			r = -1;
	}
	after = mallinfo2().uordblks;
	rowenc_free(re);
	assert_int_equal(r, 0);
	/* 0 when nothing leaks; at least 64 bytes a round when canon does. */
	if (after > before && after - before >= 1000 * 16)
		fail_msg("%zu bytes more in use after 1000 oversize rows",
		    after - before);
#else
	(void)state;
	skip();
#endif
}

/* Ensure that the column tags match an independent SipHash-2-4. */
static void
test_tags_golden(void **state)
{
	static const unsigned char	 want[4 * ROWENC_TAG_LEN] = {
		0xcd, 0x4f, 0x7a, 0x03, 0x10, 0x89, 0x2a, 0x99,
		0x9f, 0x71, 0x6a, 0xd1, 0x43, 0x05, 0xc0, 0x70,
		0x16, 0x3e, 0x0c, 0xaf, 0xfb, 0x1d, 0xbd, 0xa8,
		0x49, 0x7a, 0x55, 0x83, 0xd3, 0x6f, 0x61, 0x52,
	};
	const char			*vals[] = { "42", NULL, "", "a\0b" };
	unsigned long			 lens[] = { 2, 0, 0, 3 };
	unsigned char			 out[4 * ROWENC_TAG_LEN];
	struct rowenc			*re;

	(void)state;
	re = create(ikey, "acme", "users");
	rowenc_tags(re, vals, lens, 4, out);
	rowenc_free(re);
	assert_memory_equal(out, want, sizeof want);
}

/* Ensure that changing one column changes that column's tag only. */
static void
test_tags_one_column(void **state)
{
	const char	*v1[] = { "1", "alice", "a@x", "2024" };
	const char	*v2[] = { "1", "alice", "b@x", "2024" };
	unsigned long	 lens[] = { 1, 5, 3, 4 };
	unsigned char	 t1[4 * ROWENC_TAG_LEN], t2[4 * ROWENC_TAG_LEN];
	struct rowenc	*re;

	(void)state;
	re = create(ikey, "acme", "users");
	rowenc_tags(re, v1, lens, 4, t1);
	rowenc_tags(re, v2, lens, 4, t2);
	rowenc_free(re);
	assert_memory_equal(t1, t2, 2 * ROWENC_TAG_LEN);
	assert_memory_not_equal(t1 + 2 * ROWENC_TAG_LEN,
	    t2 + 2 * ROWENC_TAG_LEN, ROWENC_TAG_LEN);
	assert_memory_equal(t1 + 3 * ROWENC_TAG_LEN, t2 + 3 * ROWENC_TAG_LEN,
	    ROWENC_TAG_LEN);
}

/* Ensure that the same value in two positions gets two different tags. */
static void
test_tags_position(void **state)
{
	const char	*vals[] = { "x", "x" };
	unsigned long	 lens[] = { 1, 1 };
	unsigned char	 t[2 * ROWENC_TAG_LEN];
	struct rowenc	*re;

	(void)state;
	re = create(ikey, "acme", "users");
	rowenc_tags(re, vals, lens, 2, t);
	rowenc_free(re);
	assert_memory_not_equal(t, t + ROWENC_TAG_LEN, ROWENC_TAG_LEN);
}

/* Ensure that NULL and "" get different tags. */
static void
test_tags_null_empty(void **state)
{
	const char	*v1[] = { NULL }, *v2[] = { "" };
	unsigned long	 lens[] = { 0 };
	unsigned char	 t1[ROWENC_TAG_LEN], t2[ROWENC_TAG_LEN];
	struct rowenc	*re;

	(void)state;
	re = create(ikey, "acme", "users");
	rowenc_tags(re, v1, lens, 1, t1);
	rowenc_tags(re, v2, lens, 1, t2);
	rowenc_free(re);
	assert_memory_not_equal(t1, t2, ROWENC_TAG_LEN);
}

/* Ensure that the tags of the same row differ between tables. */
static void
test_tags_per_table(void **state)
{
	const char	*vals[] = { "x" };
	unsigned long	 lens[] = { 1 };
	unsigned char	 t1[ROWENC_TAG_LEN], t2[ROWENC_TAG_LEN];
	struct rowenc	*re;

	(void)state;
	re = create(ikey, "acme", "users");
	rowenc_tags(re, vals, lens, 1, t1);
	rowenc_free(re);
	re = create(ikey, "acme", "orders");
	rowenc_tags(re, vals, lens, 1, t2);
	rowenc_free(re);
	assert_memory_not_equal(t1, t2, ROWENC_TAG_LEN);
}

/* Ensure that rowenc_mac matches an independent HMAC-SHA-256. */
static void
test_mac_golden(void **state)
{
	static const unsigned char	 want[32] = {
		0x18, 0x01, 0xb8, 0xed, 0x57, 0xda, 0x4d, 0xcd,
		0xa7, 0x86, 0xd7, 0xd5, 0x37, 0x50, 0x3d, 0xfb,
		0xe8, 0xbb, 0x2f, 0x6d, 0xcd, 0x53, 0x02, 0x48,
		0x6f, 0x93, 0x61, 0x34, 0xde, 0x77, 0x30, 0x6a,
	};
	unsigned char			 out[32];
	char				*cause = NULL;

	(void)state;
	assert_int_equal(rowenc_mac(ikey, 32, "dbsyscheck entry v1", "hello",
	    5, out, &cause), 0);
	assert_memory_equal(out, want, 32);
}

/* Ensure that the MAC label separates otherwise equal inputs. */
static void
test_mac_label(void **state)
{
	unsigned char	 m1[32], m2[32];
	char		*cause = NULL;

	(void)state;
	assert_int_equal(rowenc_mac(ikey, 32, "a", "x", 1, m1, &cause), 0);
	assert_int_equal(rowenc_mac(ikey, 32, "b", "x", 1, m2, &cause), 0);
	assert_memory_not_equal(m1, m2, 32);
}

/* Ensure that rowenc_free(NULL) does nothing. */
static void
test_free_null(void **state)
{
	(void)state;
	rowenc_free(NULL);
}

/* Ensure that signed keys are 8 bytes big-endian with the sign bit flipped. */
static void
test_key_int_exact(void **state)
{
	static const unsigned char	 zero[8] = { 0x80 };
	static const unsigned char	 one[8] = { 0x80, 0, 0, 0, 0, 0, 0,
					    1 };
	static const unsigned char	 minus1[8] = { 0x7f, 0xff, 0xff, 0xff,
					    0xff, 0xff, 0xff, 0xff };
	static const unsigned char	 min[8] = { 0 };
	static const unsigned char	 max[8] = { 0xff, 0xff, 0xff, 0xff,
					    0xff, 0xff, 0xff, 0xff };
	static const unsigned char	 n258[8] = { 0x80, 0, 0, 0, 0, 0, 1,
					    2 };
	unsigned char			 out[8];

	(void)state;
	key_int(KEYCLASS_INT, "0", out);
	assert_memory_equal(out, zero, 8);
	key_int(KEYCLASS_INT, "1", out);
	assert_memory_equal(out, one, 8);
	key_int(KEYCLASS_INT, "-1", out);
	assert_memory_equal(out, minus1, 8);
	key_int(KEYCLASS_INT, "-9223372036854775808", out);
	assert_memory_equal(out, min, 8);
	key_int(KEYCLASS_INT, "9223372036854775807", out);
	assert_memory_equal(out, max, 8);
	key_int(KEYCLASS_INT, "258", out);
	assert_memory_equal(out, n258, 8);
}

/* Ensure that signed key encodings sort as the numbers do. */
static void
test_key_int_order(void **state)
{
	static const char *const	 sorted[] = {
		"-9223372036854775808", "-5", "-1", "0", "1", "9", "10",
		"255", "256", "9223372036854775807",
	};
	unsigned char			 a[8], b[8];
	size_t				 i;

	(void)state;
	for (i = 0; i + 1 < NELEM(sorted); i++) {
		key_int(KEYCLASS_INT, sorted[i], a);
		key_int(KEYCLASS_INT, sorted[i + 1], b);
		if (memcmp(a, b, 8) >= 0)
			fail_msg("%s does not sort before %s", sorted[i],
			    sorted[i + 1]);
	}
}

/* Ensure that unsigned keys are 8 bytes big-endian up to 2^64-1. */
static void
test_key_uint_exact(void **state)
{
	static const unsigned char	 zero[8] = { 0 };
	static const unsigned char	 max[8] = { 0xff, 0xff, 0xff, 0xff,
					    0xff, 0xff, 0xff, 0xff };
	static const unsigned char	 big[8] = { 0x80, 0, 0, 0, 0, 0, 0,
					    0 };
	unsigned char			 out[8];

	(void)state;
	key_int(KEYCLASS_UINT, "0", out);
	assert_memory_equal(out, zero, 8);
	key_int(KEYCLASS_UINT, "18446744073709551615", out);
	assert_memory_equal(out, max, 8);
	key_int(KEYCLASS_UINT, "9223372036854775808", out);
	assert_memory_equal(out, big, 8);
}

/* Ensure that unsigned key encodings sort as the numbers do. */
static void
test_key_uint_order(void **state)
{
	static const char *const	 sorted[] = {
		"0", "1", "9", "10", "9223372036854775807",
		"9223372036854775808", "18446744073709551615",
	};
	unsigned char			 a[8], b[8];
	size_t				 i;

	(void)state;
	for (i = 0; i + 1 < NELEM(sorted); i++) {
		key_int(KEYCLASS_UINT, sorted[i], a);
		key_int(KEYCLASS_UINT, sorted[i + 1], b);
		if (memcmp(a, b, 8) >= 0)
			fail_msg("%s does not sort before %s", sorted[i],
			    sorted[i + 1]);
	}
}

/* Ensure that an integer key is read by its length, not up to a NUL. */
static void
test_key_int_length(void **state)
{
	unsigned char	 a[8], b[8];
	struct buf	 k;

	(void)state;
	buf_init(&k, BUF_NOCAP);
	key_ok(&k, KEYCLASS_INT, "123456", 2);
	assert_int_equal(k.len, 8);
	memcpy(a, k.data, 8);
	buf_free(&k);
	key_int(KEYCLASS_INT, "12", b);
	assert_memory_equal(a, b, 8);
}

/* Ensure that an empty integer key is refused. */
static void
test_key_int_empty(void **state)
{
	(void)state;
	key_bad(KEYCLASS_INT, "", 0, "bad integer in a key column");
	key_bad(KEYCLASS_UINT, "", 0, "bad integer in a key column");
}

/* Ensure that an integer key with trailing junk is refused. */
static void
test_key_int_junk(void **state)
{
	(void)state;
	key_bad(KEYCLASS_INT, "12a", 3, "bad integer in a key column");
	key_bad(KEYCLASS_INT, "1.5", 3, "bad integer in a key column");
	key_bad(KEYCLASS_UINT, "abc", 3, "bad integer in a key column");
	key_bad(KEYCLASS_UINT, "7 ", 2, "bad integer in a key column");
}

/* Ensure that a negative unsigned key is refused. */
static void
test_key_uint_negative(void **state)
{
	(void)state;
	key_bad(KEYCLASS_UINT, "-1", 2, "bad integer in a key column");
	key_bad(KEYCLASS_UINT, "-0", 2, "bad integer in a key column");
}

/* Ensure that a signed key outside 64 bits is refused. */
static void
test_key_int_overflow(void **state)
{
	(void)state;
	key_bad(KEYCLASS_INT, "9223372036854775808", 19,
	    "bad integer in a key column");
	key_bad(KEYCLASS_INT, "-9223372036854775809", 20,
	    "bad integer in a key column");
}

/* Ensure that an unsigned key past 2^64-1 is refused. */
static void
test_key_uint_overflow(void **state)
{
	(void)state;
	key_bad(KEYCLASS_UINT, "18446744073709551616", 20,
	    "bad integer in a key column");
}

/* Ensure that integer text of 32 bytes or more is refused. */
static void
test_key_int_too_long(void **state)
{
	static const char	 v[] = "0000000000000000000000000000000000001";

	(void)state;
	key_bad(KEYCLASS_INT, v, 32, "bad integer in a key column");
	key_bad(KEYCLASS_UINT, v, sizeof v - 1, "bad integer in a key column");
}

/* Ensure that an integer key with an embedded NUL is refused. */
static void
test_key_int_embedded_nul(void **state)
{
	struct buf	 b;
	char		*cause = NULL;
	int		 r;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	r = rowenc_key(&b, KEYCLASS_INT, "1\0" "99", 4, &cause);
	buf_free(&b);
	free(cause);
	assert_int_equal(r, -1);
}

/* Ensure that an unsigned key with leading space and a sign is refused. */
static void
test_key_uint_space_sign(void **state)
{
	struct buf	 b;
	char		*cause = NULL;
	int		 r;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	r = rowenc_key(&b, KEYCLASS_UINT, " -1", 3, &cause);
	buf_free(&b);
	free(cause);
	assert_int_equal(r, -1);
}

/* Ensure that a NULL key value is refused for every class. */
static void
test_key_null(void **state)
{
	(void)state;
	key_bad(KEYCLASS_INT, NULL, 0, "NULL in a key column");
	key_bad(KEYCLASS_UINT, NULL, 0, "NULL in a key column");
	key_bad(KEYCLASS_BYTES, NULL, 0, "NULL in a key column");
}

/* Ensure that byte keys escape 00 as 00 FF and end with 00 01. */
static void
test_key_bytes_exact(void **state)
{
	static const unsigned char	 want[] = { 'a', 0x00, 0xff, 'b',
					    0x00, 0xff, 0x00, 0xff, 0x00,
					    0x01 };
	struct buf			 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	key_ok(&b, KEYCLASS_BYTES, "a\0b\0\0", 5);
	assert_int_equal(b.len, sizeof want);
	assert_memory_equal(b.data, want, sizeof want);
	buf_free(&b);
}

/* Ensure that an empty byte key is just the terminator 00 01. */
static void
test_key_bytes_empty(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	key_ok(&b, KEYCLASS_BYTES, "", 0);
	assert_int_equal(b.len, 2);
	assert_memory_equal(b.data, "\0\001", 2);
	buf_free(&b);
}

/* Ensure that byte keys sort "" < "\0" < "a" < "a\0" < "ab" < "b". */
static void
test_key_bytes_order(void **state)
{
	static const struct {
		const char	*v;
		unsigned long	 len;
	} sorted[] = {
		{ "", 0 }, { "\0", 1 }, { "\0\0", 2 }, { "\x01", 1 },
		{ "a", 1 }, { "a\0", 2 }, { "a\0a", 3 }, { "ab", 2 },
		{ "b", 1 }, { "\xff", 1 },
	};
	struct buf	 a, b;
	size_t		 i;

	(void)state;
	for (i = 0; i + 1 < NELEM(sorted); i++) {
		buf_init(&a, BUF_NOCAP);
		buf_init(&b, BUF_NOCAP);
		key_ok(&a, KEYCLASS_BYTES, sorted[i].v, sorted[i].len);
		key_ok(&b, KEYCLASS_BYTES, sorted[i + 1].v, sorted[i + 1].len);
		if (keyorder(&a, &b) >= 0)
			fail_msg("byte key %zu does not sort before %zu", i,
			    i + 1);
		buf_free(&a);
		buf_free(&b);
	}
}

/* Ensure that composite keys sort as tuples: (1,"b") < (1,"ba") < (2,""). */
static void
test_key_composite_order(void **state)
{
	struct buf	 k1, k2, k3;

	(void)state;
	buf_init(&k1, BUF_NOCAP);
	buf_init(&k2, BUF_NOCAP);
	buf_init(&k3, BUF_NOCAP);
	key_ok(&k1, KEYCLASS_INT, "1", 1);
	key_ok(&k1, KEYCLASS_BYTES, "b", 1);
	key_ok(&k2, KEYCLASS_INT, "1", 1);
	key_ok(&k2, KEYCLASS_BYTES, "ba", 2);
	key_ok(&k3, KEYCLASS_INT, "2", 1);
	key_ok(&k3, KEYCLASS_BYTES, "", 0);
	assert_int_equal(keyorder(&k1, &k2), -1);
	assert_int_equal(keyorder(&k2, &k3), -1);
	assert_int_equal(keyorder(&k1, &k3), -1);
	buf_free(&k1);
	buf_free(&k2);
	buf_free(&k3);
}

/* Ensure that a byte-first composite key orders on the first column. */
static void
test_key_composite_bytes_first(void **state)
{
	struct buf	 k1, k2;

	(void)state;
	buf_init(&k1, BUF_NOCAP);
	buf_init(&k2, BUF_NOCAP);
	key_ok(&k1, KEYCLASS_BYTES, "a", 1);
	key_ok(&k1, KEYCLASS_INT, "9223372036854775807", 19);
	key_ok(&k2, KEYCLASS_BYTES, "a\0", 2);
	key_ok(&k2, KEYCLASS_INT, "-9223372036854775808", 20);
	assert_int_equal(keyorder(&k1, &k2), -1);
	buf_free(&k1);
	buf_free(&k2);
}

/* Ensure that a key past the buffer's cap fails with "key too large". */
static void
test_key_cap(void **state)
{
	struct buf	 b;
	char		*cause = NULL;

	(void)state;
	buf_init(&b, 4);
	assert_int_equal(rowenc_key(&b, KEYCLASS_BYTES, "abcd", 4, &cause),
	    -1);
	assert_string_equal(cause, "key too large");
	free(cause);
	cause = NULL;
	assert_int_equal(rowenc_key(&b, KEYCLASS_INT, "1", 1, &cause), -1);
	assert_string_equal(cause, "key too large");
	free(cause);
	buf_free(&b);
}

/*
 * A schema for acme.users: a INT key 1, note (not key), b BYTES key 2,
 * c UINT (not key).
 */
static struct schema *
key_schema(void)
{
	struct schema	*s;
	struct column	*c;

	s = schema_create("acme", "users");
	c = schema_add_column(s, "a", "int(11)", NULL, NULL, 0, "int");
	c->keypos = 1;
	schema_add_column(s, "note", "text", "utf8mb4", "utf8mb4_bin", 1,
	    "text");
	c = schema_add_column(s, "b", "varchar(64)", "utf8mb4",
	    "utf8mb4_bin", 0, "varchar");
	c->keypos = 2;
	schema_add_column(s, "c", "bigint(20) unsigned", NULL, NULL, 0,
	    "bigint");
	s->key = xcalloc(2, sizeof *s->key);
	s->key[0] = 0;
	s->key[1] = 2;
	s->nkey = 2;
	return s;
}

/* A schema with one key column of the given name and class. */
static struct schema *
one_key_schema(const char *name, enum keyclass kc)
{
	struct schema	*s;
	struct column	*c;

	s = schema_create("acme", "t");
	if (kc == KEYCLASS_BYTES)
		c = schema_add_column(s, name, "varbinary(9000)", NULL, NULL,
		    0, "varbinary");
	else
		c = schema_add_column(s, name, kc == KEYCLASS_UINT ?
		    "bigint(20) unsigned" : "bigint(20)", NULL, NULL, 0,
		    "bigint");
	assert_int_equal(c->kclass, kc);
	c->keypos = 1;
	s->key = xcalloc(1, sizeof *s->key);
	s->nkey = 1;
	return s;
}

/* The text of key (built from one value of s's single key column). */
static void
key_text1(const struct schema *s, const char *v, unsigned long len,
    size_t max, const char *want)
{
	struct buf	 k, t;

	buf_init(&k, BUF_NOCAP);
	buf_init(&t, BUF_NOCAP);
	key_ok(&k, s->cols[s->key[0]].kclass, v, len);
	assert_int_equal(rowenc_key_text(&t, s, (unsigned char *)k.data, k.len,
	    max), 0);
	assert_string_equal(buf_str(&t), want);
	buf_free(&t);
	buf_free(&k);
}

/* Ensure that a composite key decodes to "a=1,b=x%0Ay" text. */
static void
test_key_text_composite(void **state)
{
	struct schema	*s;
	struct buf	 k, t;

	(void)state;
	s = key_schema();
	buf_init(&k, BUF_NOCAP);
	buf_init(&t, BUF_NOCAP);
	key_ok(&k, KEYCLASS_INT, "1", 1);
	key_ok(&k, KEYCLASS_BYTES, "x\ny", 3);
	assert_int_equal(rowenc_key_text(&t, s, (unsigned char *)k.data, k.len,
	    1024), 0);
	assert_string_equal(buf_str(&t), "a=1,b=x%0Ay");
	buf_free(&t);
	buf_free(&k);
	schema_free(s);
}

/* Ensure that key text is appended after the buffer's contents. */
static void
test_key_text_appends(void **state)
{
	struct schema	*s;
	struct buf	 k, t;

	(void)state;
	s = key_schema();
	buf_init(&k, BUF_NOCAP);
	buf_init(&t, BUF_NOCAP);
	assert_int_equal(buf_adds(&t, " pk="), 0);
	key_ok(&k, KEYCLASS_INT, "-7", 2);
	key_ok(&k, KEYCLASS_BYTES, "z", 1);
	assert_int_equal(rowenc_key_text(&t, s, (unsigned char *)k.data, k.len,
	    1024), 0);
	assert_string_equal(buf_str(&t), " pk=a=-7,b=z");
	buf_free(&t);
	buf_free(&k);
	schema_free(s);
}

/* Ensure that signed extremes decode exactly. */
static void
test_key_text_int_extremes(void **state)
{
	struct schema	*s;

	(void)state;
	s = one_key_schema("id", KEYCLASS_INT);
	key_text1(s, "-9223372036854775808", 20, 1024,
	    "id=-9223372036854775808");
	key_text1(s, "9223372036854775807", 19, 1024,
	    "id=9223372036854775807");
	key_text1(s, "0", 1, 1024, "id=0");
	schema_free(s);
}

/* Ensure that the unsigned maximum decodes exactly. */
static void
test_key_text_uint_max(void **state)
{
	struct schema	*s;

	(void)state;
	s = one_key_schema("id", KEYCLASS_UINT);
	key_text1(s, "18446744073709551615", 20, 1024,
	    "id=18446744073709551615");
	schema_free(s);
}

/* Ensure that byte values decode with NUL and metacharacters encoded. */
static void
test_key_text_bytes_escaped(void **state)
{
	struct schema	*s;

	(void)state;
	s = one_key_schema("k", KEYCLASS_BYTES);
	key_text1(s, "a\0b=c,d \xff", 9, 1024, "k=a%00b%3Dc%2Cd%20%FF");
	schema_free(s);
}

/* Ensure that an empty byte value (key 00 01) decodes to an empty value. */
static void
test_key_text_bytes_empty(void **state)
{
	struct schema	*s;
	struct buf	 k, t;
	char		 out[16];
	int		 r;

	(void)state;
	s = one_key_schema("k", KEYCLASS_BYTES);
	buf_init(&k, BUF_NOCAP);
	buf_init(&t, BUF_NOCAP);
	key_ok(&k, KEYCLASS_BYTES, "", 0);
	r = rowenc_key_text(&t, s, (unsigned char *)k.data, k.len, 1024);
	snprintf(out, sizeof out, "%s", buf_str(&t));
	buf_free(&t);
	buf_free(&k);
	schema_free(s);
	assert_int_equal(r, 0);
	assert_string_equal(out, "k=");
}

/* Ensure that column names are percent-encoded in key text. */
static void
test_key_text_name_encoded(void **state)
{
	struct schema	*s;

	(void)state;
	s = one_key_schema("my id=", KEYCLASS_INT);
	key_text1(s, "5", 1, 1024, "my%20id%3D=5");
	schema_free(s);
}

/* Ensure that a value of exactly max encoded bytes is not cut. */
static void
test_key_text_at_max(void **state)
{
	struct schema	*s;

	(void)state;
	s = one_key_schema("k", KEYCLASS_BYTES);
	key_text1(s, "abcdef", 6, 6, "k=abcdef");
	key_text1(s, "ab\n", 3, 5, "k=ab%0A");
	schema_free(s);
}

/* Ensure that a longer value is cut and marked "%...", within max. */
static void
test_key_text_cut(void **state)
{
	struct schema	*s;

	(void)state;
	s = one_key_schema("k", KEYCLASS_BYTES);
	key_text1(s, "abcdefghij", 10, 6, "k=ab%...");
	key_text1(s, "abcdefghij", 10, 9, "k=abcde%...");
	schema_free(s);
}

/* Ensure that a cut never splits an escape (the whole byte is dropped). */
static void
test_key_text_cut_escape(void **state)
{
	struct schema	*s;

	(void)state;
	s = one_key_schema("k", KEYCLASS_BYTES);
	key_text1(s, "\n\n\n", 3, 7, "k=%0A%...");
	key_text1(s, "a\n\n", 3, 5, "k=a%...");
	schema_free(s);
}

/* Ensure that each value of a composite key is cut on its own. */
static void
test_key_text_cut_each(void **state)
{
	struct schema	*s;
	struct buf	 k, t;

	(void)state;
	s = key_schema();
	buf_init(&k, BUF_NOCAP);
	buf_init(&t, BUF_NOCAP);
	key_ok(&k, KEYCLASS_INT, "123456", 6);
	key_ok(&k, KEYCLASS_BYTES, "xyz", 3);
	assert_int_equal(rowenc_key_text(&t, s, (unsigned char *)k.data, k.len,
	    5), 0);
	assert_string_equal(buf_str(&t), "a=1%...,b=xyz");
	buf_free(&t);
	buf_free(&k);
	schema_free(s);
}

/* Ensure that an empty encoded key does not decode for a keyed schema. */
static void
test_key_text_empty_key(void **state)
{
	struct schema	*s;
	struct buf	 t;

	(void)state;
	s = key_schema();
	buf_init(&t, BUF_NOCAP);
	assert_int_equal(rowenc_key_text(&t, s, (const unsigned char *)"", 0,
	    1024), -1);
	buf_free(&t);
	schema_free(s);
}

/* Ensure that a truncated integer (7 of 8 bytes) does not decode. */
static void
test_key_text_short_int(void **state)
{
	static const unsigned char	 key[7] = { 0x80 };
	struct schema			*s;
	struct buf			 t;

	(void)state;
	s = one_key_schema("id", KEYCLASS_INT);
	buf_init(&t, BUF_NOCAP);
	assert_int_equal(rowenc_key_text(&t, s, key, sizeof key, 1024), -1);
	buf_free(&t);
	schema_free(s);
}

/* Ensure that a byte value without its 00 01 terminator does not decode. */
static void
test_key_text_unterminated(void **state)
{
	struct schema	*s;
	struct buf	 t;

	(void)state;
	s = one_key_schema("k", KEYCLASS_BYTES);
	buf_init(&t, BUF_NOCAP);
	assert_int_equal(rowenc_key_text(&t, s, (const unsigned char *)"abc",
	    3, 1024), -1);
	buf_reset(&t);
	assert_int_equal(rowenc_key_text(&t, s, (const unsigned char *)"abc",
	    4, 1024), -1);
	buf_free(&t);
	schema_free(s);
}

/* Ensure that 00 followed by anything but 01 or FF does not decode. */
static void
test_key_text_bad_escape(void **state)
{
	static const unsigned char	 key[] = { 'a', 0x00, 0x02, 0x00,
					    0x01 };
	struct schema			*s;
	struct buf			 t;

	(void)state;
	s = one_key_schema("k", KEYCLASS_BYTES);
	buf_init(&t, BUF_NOCAP);
	assert_int_equal(rowenc_key_text(&t, s, key, sizeof key, 1024), -1);
	buf_free(&t);
	schema_free(s);
}

/* Ensure that bytes after the last key column do not decode. */
static void
test_key_text_trailing(void **state)
{
	struct schema	*s;
	struct buf	 k, t;

	(void)state;
	s = key_schema();
	buf_init(&k, BUF_NOCAP);
	buf_init(&t, BUF_NOCAP);
	key_ok(&k, KEYCLASS_INT, "1", 1);
	key_ok(&k, KEYCLASS_BYTES, "x", 1);
	assert_int_equal(buf_addc(&k, 'z'), 0);
	assert_int_equal(rowenc_key_text(&t, s, (unsigned char *)k.data, k.len,
	    1024), -1);
	buf_free(&t);
	buf_free(&k);
	schema_free(s);
}

/* Ensure that key text past the output buffer's cap fails. */
static void
test_key_text_cap(void **state)
{
	struct schema	*s;
	struct buf	 k, t;

	(void)state;
	s = one_key_schema("k", KEYCLASS_BYTES);
	buf_init(&k, BUF_NOCAP);
	buf_init(&t, 8);
	key_ok(&k, KEYCLASS_BYTES, "abcdefgh", 8);
	assert_int_equal(rowenc_key_text(&t, s, (unsigned char *)k.data, k.len,
	    1024), -1);
	assert_int_equal(t.len, 0);
	buf_free(&t);
	buf_free(&k);
	schema_free(s);
}

/* Ensure that rowenc_key_values decodes a composite key into values. */
static void
test_key_values(void **state)
{
	struct schema	*s;
	struct buf	 k, store;
	const char	*vals[2];
	unsigned long	 lens[2];

	(void)state;
	s = key_schema();
	buf_init(&k, BUF_NOCAP);
	buf_init(&store, BUF_NOCAP);
	key_ok(&k, KEYCLASS_INT, "-42", 3);
	key_ok(&k, KEYCLASS_BYTES, "x\0y", 3);
	assert_int_equal(rowenc_key_values(s, (unsigned char *)k.data, k.len,
	    &store, vals, lens), 0);
	assert_int_equal(lens[0], 3);
	assert_memory_equal(vals[0], "-42", 3);
	assert_int_equal(lens[1], 3);
	assert_memory_equal(vals[1], "x\0y", 3);
	buf_free(&store);
	buf_free(&k);
	schema_free(s);
}

/* Ensure that rowenc_key_values resets the store before decoding. */
static void
test_key_values_reuse(void **state)
{
	struct schema	*s;
	struct buf	 k, store;
	const char	*vals[1];
	unsigned long	 lens[1];

	(void)state;
	s = one_key_schema("id", KEYCLASS_UINT);
	buf_init(&k, BUF_NOCAP);
	buf_init(&store, BUF_NOCAP);
	assert_int_equal(buf_adds(&store, "stale"), 0);
	key_ok(&k, KEYCLASS_UINT, "18446744073709551615", 20);
	assert_int_equal(rowenc_key_values(s, (unsigned char *)k.data, k.len,
	    &store, vals, lens), 0);
	assert_int_equal(store.len, 20);
	assert_int_equal(lens[0], 20);
	assert_memory_equal(vals[0], "18446744073709551615", 20);
	buf_free(&store);
	buf_free(&k);
	schema_free(s);
}

/* Ensure that rowenc_key_values refuses a malformed key. */
static void
test_key_values_malformed(void **state)
{
	static const unsigned char	 key[] = { 'a', 0x00, 0x02 };
	struct schema			*s;
	struct buf			 store;
	const char			*vals[1];
	unsigned long			 lens[1];

	(void)state;
	s = one_key_schema("k", KEYCLASS_BYTES);
	buf_init(&store, BUF_NOCAP);
	assert_int_equal(rowenc_key_values(s, key, sizeof key, &store, vals,
	    lens), -1);
	buf_free(&store);
	schema_free(s);
}

/* Ensure that the chunk hash matches the server's SHA2(CONCAT_WS(...)). */
static void
test_chunk_hash_golden(void **state)
{
	/* SHA-256("010#3#42#a#b"), first 8 bytes. */
	static const unsigned char	 want[ROWENC_AGG_LEN] = {
		0x63, 0xae, 0x08, 0x27, 0x47, 0xaf, 0x37, 0x7f,
	};
	const char			*vals[] = { "42", NULL, "a#b" };
	unsigned long			 lens[] = { 2, 0, 3 };
	unsigned char			 varlen[] = { 0, 1, 1 };
	unsigned char			 agg[ROWENC_AGG_LEN] = { 0 };

	(void)state;
	rowenc_chunk_hash(vals, lens, 3, varlen, agg);
	assert_memory_equal(agg, want, ROWENC_AGG_LEN);
}

/* Ensure that the chunk hash is XORed in, so adding a row twice cancels. */
static void
test_chunk_hash_xor(void **state)
{
	/* SHA-256("1") and SHA-256("0#0#"), first 8 bytes. */
	static const unsigned char	 h1[ROWENC_AGG_LEN] = {
		0x6b, 0x86, 0xb2, 0x73, 0xff, 0x34, 0xfc, 0xe1,
	};
	static const unsigned char	 h2[ROWENC_AGG_LEN] = {
		0x91, 0xe9, 0x85, 0x01, 0x6d, 0xf7, 0x95, 0x6b,
	};
	const char			*null[] = { NULL }, *empty[] = { "" };
	unsigned long			 lens[] = { 0 };
	unsigned char			 varlen[] = { 1 };
	unsigned char			 agg[ROWENC_AGG_LEN] = { 0 };
	unsigned char			 want[ROWENC_AGG_LEN];
	size_t				 i;

	(void)state;
	for (i = 0; i < ROWENC_AGG_LEN; i++)
		want[i] = h1[i] ^ h2[i];
	rowenc_chunk_hash(null, lens, 1, varlen, agg);
	assert_memory_equal(agg, h1, ROWENC_AGG_LEN);
	rowenc_chunk_hash(empty, lens, 1, varlen, agg);
	assert_memory_equal(agg, want, ROWENC_AGG_LEN);
	rowenc_chunk_hash(null, lens, 1, varlen, agg);
	rowenc_chunk_hash(empty, lens, 1, varlen, agg);
	memset(want, 0, sizeof want);
	assert_memory_equal(agg, want, ROWENC_AGG_LEN);
}

/* Ensure that lengths keep '#' in variable-length values unambiguous. */
static void
test_chunk_hash_separator(void **state)
{
	const char	*v1[] = { "a#b", "c" }, *v2[] = { "a", "b#c" };
	unsigned long	 l1[] = { 3, 1 }, l2[] = { 1, 3 };
	unsigned char	 varlen[] = { 1, 1 };
	unsigned char	 a1[ROWENC_AGG_LEN] = { 0 };
	unsigned char	 a2[ROWENC_AGG_LEN] = { 0 };

	(void)state;
	rowenc_chunk_hash(v1, l1, 2, varlen, a1);
	rowenc_chunk_hash(v2, l2, 2, varlen, a2);
	assert_memory_not_equal(a1, a2, ROWENC_AGG_LEN);
}

/* Ensure that the chunk hash reads values by length, NUL bytes included. */
static void
test_chunk_hash_embedded_nul(void **state)
{
	const char	*v1[] = { "a\0b" }, *v2[] = { "a\0c" };
	unsigned long	 lens[] = { 3 };
	unsigned char	 varlen[] = { 1 };
	unsigned char	 a1[ROWENC_AGG_LEN] = { 0 };
	unsigned char	 a2[ROWENC_AGG_LEN] = { 0 };

	(void)state;
	rowenc_chunk_hash(v1, lens, 1, varlen, a1);
	rowenc_chunk_hash(v2, lens, 1, varlen, a2);
	assert_memory_not_equal(a1, a2, ROWENC_AGG_LEN);
}

/*
 * The golden encodings (tests/data/rowenc.golden), one line per value as
 * the server sends a column type: the canonical row, digest, tags and
 * chunk aggregate of the value alone under acme.users and the key 00..1f;
 * then one line per key class and value: the key bytes and the key text.
 */
struct golden_value {
	const char	*type;
	const char	*v;		/* NULL: SQL NULL */
	unsigned long	 len;
	int		 varlen;
};

static const struct golden_value golden_values[] = {
	{ "int", "-2147483648", 11, 0 },
	{ "bigint-unsigned", "18446744073709551615", 20, 0 },
	{ "decimal", "-0.00100", 8, 0 },
	{ "double", "1.7976931348623157e308", 22, 0 },
	{ "float-cast", "0.1", 3, 0 },
	{ "date", "2038-01-19", 10, 0 },
	{ "datetime", "9999-12-31 23:59:59.999999", 26, 0 },
	{ "timestamp", "1970-01-01 00:00:01", 19, 0 },
	{ "time", "-838:59:59", 10, 0 },
	{ "year", "2155", 4, 0 },
	{ "bit", "\200\000\001", 3, 1 },
	{ "enum-number", "65535", 5, 0 },
	{ "set-text", "a,b,c", 5, 1 },
	{ "varchar-utf8", "\303\251t\303\251 \360\237\230\200", 11, 1 },
	{ "varchar-hostile", "a;b=c%d\n\r\t \"'`|\\", 16, 1 },
	{ "varbinary-nul", "\000a\000\377", 4, 1 },
	{ "blob-empty", "", 0, 1 },
	{ "null", NULL, 0, 1 },
	{ "json", "{\"k\": [1, null]}", 16, 1 },
	{ "geometry-wkb", "\000\000\000\000\001\001\000\000\000", 9, 1 },
};

struct golden_key {
	enum keyclass	 kc;
	const char	*v;
	unsigned long	 len;
};

static const struct golden_key golden_keys[] = {
	{ KEYCLASS_INT, "-9223372036854775808", 20 },
	{ KEYCLASS_INT, "-1", 2 },
	{ KEYCLASS_INT, "0", 1 },
	{ KEYCLASS_INT, "9223372036854775807", 19 },
	{ KEYCLASS_UINT, "0", 1 },
	{ KEYCLASS_UINT, "18446744073709551615", 20 },
	{ KEYCLASS_BYTES, "", 0 },
	{ KEYCLASS_BYTES, "\000", 1 },
	{ KEYCLASS_BYTES, "a\000\001b", 4 },
	{ KEYCLASS_BYTES, "\377\376 ;=%", 6 },
	{ KEYCLASS_BYTES, "\303\251t\303\251", 6 },
};

static void
golden_hex(struct buf *b, const void *p, size_t n)
{
	const unsigned char	*s = p;
	size_t			 i;

	if (n == 0)
		buf_addc(b, '-');
	for (i = 0; i < n; i++)
		buf_printf(b, "%02x", s[i]);
}

/* Ensure that every encoding equals the golden file's, byte for byte. */
static void
test_golden_file(void **state)
{
	const struct golden_value	*g;
	const struct golden_key		*k;
	static const char * const	 kcname[] = { "int", "uint", "bytes" };
	struct schema			*s;
	struct rowenc			*re;
	struct buf			 out, canon, key, text;
	unsigned char			 d[ROWENC_DIGEST_LEN];
	unsigned char			 tag[ROWENC_TAG_LEN];
	unsigned char			 agg[ROWENC_AGG_LEN], varlen;
	char				*cause = NULL;
	size_t				 i;

	(void)state;
	buf_init(&out, BUF_NOCAP);
	re = create(ikey, "acme", "users");
	for (i = 0; i < NELEM(golden_values); i++) {
		g = &golden_values[i];
		buf_init(&canon, BUF_NOCAP);
		assert_int_equal(rowenc_canon(&canon, &g->v, &g->len, 1), 0);
		assert_int_equal(rowenc_digest(re, &g->v, &g->len, 1, d,
		    &cause), 0);
		rowenc_tags(re, &g->v, &g->len, 1, tag);
		memset(agg, 0, sizeof agg);
		varlen = (unsigned char)g->varlen;
		rowenc_chunk_hash(&g->v, &g->len, 1, &varlen, agg);
		buf_printf(&out, "value %s ", g->type);
		golden_hex(&out, g->v, g->len);
		buf_adds(&out, " canon=");
		golden_hex(&out, canon.data, canon.len);
		buf_adds(&out, " digest=");
		golden_hex(&out, d, sizeof d);
		buf_adds(&out, " tag=");
		golden_hex(&out, tag, sizeof tag);
		buf_adds(&out, " chunk=");
		golden_hex(&out, agg, sizeof agg);
		buf_addc(&out, '\n');
		buf_free(&canon);
	}
	rowenc_free(re);
	for (i = 0; i < NELEM(golden_keys); i++) {
		k = &golden_keys[i];
		s = one_key_schema("k", k->kc);
		buf_init(&key, BUF_NOCAP);
		buf_init(&text, BUF_NOCAP);
		key_ok(&key, k->kc, k->v, k->len);
		assert_int_equal(rowenc_key_text(&text, s,
		    (unsigned char *)key.data, key.len, 1024), 0);
		buf_printf(&out, "key %s ", kcname[k->kc]);
		golden_hex(&out, k->v, k->len);
		buf_adds(&out, " key=");
		golden_hex(&out, key.data, key.len);
		buf_printf(&out, " text=%s\n", buf_str(&text));
		buf_free(&text);
		buf_free(&key);
		schema_free(s);
	}
	assert_false(buf_failed(&out));
	golden_check("rowenc.golden", out.data, out.len);
	buf_free(&out);
}

/*
 * Ensure that a chunk aggregate parses from either spelling the server
 * uses (unsigned decimal, signed BIGINT) to the same bytes, and that
 * junk, spaces, signs, overflow and the empty string fail (before, the
 * chunk query's aggregate went through bare strtoull: "12abc" was 12).
 */
static void
test_agg_parse(void **state)
{
	static const unsigned char	 ff[8] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const unsigned char	 top[8] = { 0x80, 0, 0, 0, 0, 0, 0, 0 };
	static const unsigned char	 twelve[8] = { 0, 0, 0, 0, 0, 0, 0, 12 };
	static const char *const	 bad[] = {
		"", "12abc", " 12", "12 ", "+12", "-", "--1", "0x10",
		"18446744073709551616", "-9223372036854775809", "-0",
		"1\n", "1.0",
	};
	unsigned char			 agg[8];
	size_t				 i;

	(void)state;
	assert_int_equal(rowenc_agg_parse("18446744073709551615", agg), 0);
	assert_memory_equal(agg, ff, 8);
	assert_int_equal(rowenc_agg_parse("-1", agg), 0);
	assert_memory_equal(agg, ff, 8);
	assert_int_equal(rowenc_agg_parse("9223372036854775808", agg), 0);
	assert_memory_equal(agg, top, 8);
	assert_int_equal(rowenc_agg_parse("-9223372036854775808", agg), 0);
	assert_memory_equal(agg, top, 8);
	assert_int_equal(rowenc_agg_parse("12", agg), 0);
	assert_memory_equal(agg, twelve, 8);
	assert_int_equal(rowenc_agg_parse(NULL, agg), -1);
	for (i = 0; i < NELEM(bad); i++) {
		if (rowenc_agg_parse(bad[i], agg) != -1)
			fail_msg("\"%s\" parsed", bad[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canon_exact),
		cmocka_unit_test(test_canon_null_ignores_length),
		cmocka_unit_test(test_canon_length_bytes),
		cmocka_unit_test(test_canon_empty_row),
		cmocka_unit_test(test_canon_cap),
		cmocka_unit_test(test_canon_oversize),
		cmocka_unit_test(test_digest_golden),
		cmocka_unit_test(test_digest_deterministic),
		cmocka_unit_test(test_digest_null_empty_text),
		cmocka_unit_test(test_digest_embedded_nul),
		cmocka_unit_test(test_digest_boundary),
		cmocka_unit_test(test_digest_per_table),
		cmocka_unit_test(test_digest_table_boundary),
		cmocka_unit_test(test_digest_per_key),
		cmocka_unit_test(test_digest_oversize),
		cmocka_unit_test(test_digest_oversize_no_leak),
		cmocka_unit_test(test_tags_golden),
		cmocka_unit_test(test_tags_one_column),
		cmocka_unit_test(test_tags_position),
		cmocka_unit_test(test_tags_null_empty),
		cmocka_unit_test(test_tags_per_table),
		cmocka_unit_test(test_mac_golden),
		cmocka_unit_test(test_golden_file),
		cmocka_unit_test(test_agg_parse),
		cmocka_unit_test(test_mac_label),
		cmocka_unit_test(test_free_null),
		cmocka_unit_test(test_key_int_exact),
		cmocka_unit_test(test_key_int_order),
		cmocka_unit_test(test_key_uint_exact),
		cmocka_unit_test(test_key_uint_order),
		cmocka_unit_test(test_key_int_length),
		cmocka_unit_test(test_key_int_empty),
		cmocka_unit_test(test_key_int_junk),
		cmocka_unit_test(test_key_uint_negative),
		cmocka_unit_test(test_key_int_overflow),
		cmocka_unit_test(test_key_uint_overflow),
		cmocka_unit_test(test_key_int_too_long),
		cmocka_unit_test(test_key_int_embedded_nul),
		cmocka_unit_test(test_key_uint_space_sign),
		cmocka_unit_test(test_key_null),
		cmocka_unit_test(test_key_bytes_exact),
		cmocka_unit_test(test_key_bytes_empty),
		cmocka_unit_test(test_key_bytes_order),
		cmocka_unit_test(test_key_composite_order),
		cmocka_unit_test(test_key_composite_bytes_first),
		cmocka_unit_test(test_key_cap),
		cmocka_unit_test(test_key_text_composite),
		cmocka_unit_test(test_key_text_appends),
		cmocka_unit_test(test_key_text_int_extremes),
		cmocka_unit_test(test_key_text_uint_max),
		cmocka_unit_test(test_key_text_bytes_escaped),
		cmocka_unit_test(test_key_text_bytes_empty),
		cmocka_unit_test(test_key_text_name_encoded),
		cmocka_unit_test(test_key_text_at_max),
		cmocka_unit_test(test_key_text_cut),
		cmocka_unit_test(test_key_text_cut_escape),
		cmocka_unit_test(test_key_text_cut_each),
		cmocka_unit_test(test_key_text_empty_key),
		cmocka_unit_test(test_key_text_short_int),
		cmocka_unit_test(test_key_text_unterminated),
		cmocka_unit_test(test_key_text_bad_escape),
		cmocka_unit_test(test_key_text_trailing),
		cmocka_unit_test(test_key_text_cap),
		cmocka_unit_test(test_key_values),
		cmocka_unit_test(test_key_values_reuse),
		cmocka_unit_test(test_key_values_malformed),
		cmocka_unit_test(test_chunk_hash_golden),
		cmocka_unit_test(test_chunk_hash_xor),
		cmocka_unit_test(test_chunk_hash_separator),
		cmocka_unit_test(test_chunk_hash_embedded_nul),
	};

	return cmocka_run_group_tests(tests, setup_key, NULL);
}

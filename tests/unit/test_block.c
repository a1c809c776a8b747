/* Unit tests for the row block codec: varints, golden bytes, malformed. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "block.h"
#include "buf.h"
#include "diff.h"
#include "xmalloc.h"

/* The rows a parse handed out, copied. */
struct got {
	struct block_row	 rows[8];
	size_t			 n;
	int			 fail_at;	/* fail on this row (1-based) */
};

static int
collect(void *arg, const struct block_row *r)
{
	struct got	*g = arg;

	if (g->fail_at != 0 && (int)g->n + 1 == g->fail_at)
		return -1;
	assert_true(g->n < sizeof g->rows / sizeof g->rows[0]);
	g->rows[g->n++] = *r;
	return 0;
}

/* The golden files: tests/data/block-*.bin, written from the format. */
static unsigned char *
golden(const char *name, size_t *len)
{
	const char	*top;
	char		*path;
	FILE		*f;
	unsigned char	*p;
	long		 n;

	if ((top = getenv("top_srcdir")) == NULL)
		top = ".";
	path = xasprintf("%s/tests/data/%s", top, name);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("%s: cannot open", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	p = xmalloc((size_t)n);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	free(path);
	*len = (size_t)n;
	return p;
}

/* The rows of block-one.bin and block-three.bin. */
static unsigned char	 dig1[DIFF_DIGEST_LEN], dig11[DIFF_DIGEST_LEN];
static unsigned char	 dig22[DIFF_DIGEST_LEN], dig33[DIFF_DIGEST_LEN];
static unsigned char	 key200[200], tags130[130];

static void
golden_rows(struct block_row one[1], struct block_row three[3])
{
	size_t	 i;

	for (i = 0; i < DIFF_DIGEST_LEN; i++)
		dig1[i] = (unsigned char)i;
	memset(dig11, 0x11, sizeof dig11);
	memset(dig22, 0x22, sizeof dig22);
	memset(dig33, 0x33, sizeof dig33);
	key200[0] = 'k';
	memset(key200 + 1, 'x', sizeof key200 - 1);
	for (i = 0; i < sizeof tags130; i++)
		tags130[i] = (unsigned char)(0x80 + i);
	memset(one, 0, sizeof *one);
	one[0].key = (const unsigned char *)"a";
	one[0].keylen = 1;
	one[0].digest = dig1;
	one[0].tags = (const unsigned char *)"";
	memset(three, 0, 3 * sizeof *three);
	three[0].key = (const unsigned char *)"\0\1";
	three[0].keylen = 2;
	three[0].digest = dig11;
	three[0].tags = (const unsigned char *)"T";
	three[0].tagslen = 1;
	three[1].key = key200;
	three[1].keylen = sizeof key200;
	three[1].digest = dig22;
	three[1].tags = tags130;
	three[1].tagslen = sizeof tags130;
	three[2].key = (const unsigned char *)"l";
	three[2].keylen = 1;
	three[2].digest = dig33;
	three[2].tags = (const unsigned char *)"";
}

static void
assert_row_equal(const struct block_row *a, const struct block_row *b)
{
	assert_int_equal(a->keylen, b->keylen);
	assert_memory_equal(a->key, b->key, a->keylen);
	assert_memory_equal(a->digest, b->digest, DIFF_DIGEST_LEN);
	assert_int_equal(a->tagslen, b->tagslen);
	if (a->tagslen > 0)
		assert_memory_equal(a->tags, b->tags, a->tagslen);
}

/* Ensure that varints have their exact bytes and read back, at every width. */
static void
test_varint_roundtrip(void **state)
{
	static const struct {
		size_t		 v;
		const char	*bytes;
		size_t		 n;
	} t[] = {
		{ 0, "\x00", 1 },
		{ 1, "\x01", 1 },
		{ 127, "\x7f", 1 },
		{ 128, "\x80\x01", 2 },
		{ 300, "\xac\x02", 2 },
		{ 16383, "\xff\x7f", 2 },
		{ 16384, "\x80\x80\x01", 3 },
		{ 2097151, "\xff\xff\x7f", 3 },
		{ 268435456, "\x80\x80\x80\x80\x01", 5 },
		{ 0xffffffffU, "\xff\xff\xff\xff\x0f", 5 },
	};
	const unsigned char	*p;
	struct buf		 b;
	size_t			 i, v;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		buf_reset(&b);
		assert_int_equal(block_putvar(&b, t[i].v), 0);
		assert_int_equal(b.len, t[i].n);
		assert_memory_equal(b.data, t[i].bytes, t[i].n);
		assert_int_equal(block_varlen(t[i].v), t[i].n);
		p = (const unsigned char *)b.data;
		v = 12345;
		assert_int_equal(block_getvar(&p, p + b.len, &v), 0);
		assert_int_equal(v, t[i].v);
		assert_ptr_equal(p, (const unsigned char *)b.data + b.len);
	}
	buf_free(&b);
}

/*
 * Ensure that a varint that runs past the end, past 32 bits or past five
 * bytes is refused; a non-minimal one (0x80 0x00) is read as its value.
 */
static void
test_varint_malformed(void **state)
{
	static const struct {
		const char	*bytes;
		size_t		 n;
	} bad[] = {
		{ "", 0 },				/* nothing */
		{ "\x80", 1 },				/* truncated */
		{ "\xff\xff", 2 },			/* truncated */
		{ "\x80\x80\x80\x80\x10", 5 },		/* 2^32 */
		{ "\xff\xff\xff\xff\x7f", 5 },		/* 2^35 - 1 */
		{ "\x80\x80\x80\x80\x80\x00", 6 },	/* six bytes */
	};
	const unsigned char	*p, *s;
	size_t			 i, v;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		p = (const unsigned char *)bad[i].bytes;
		assert_int_equal(block_getvar(&p, p + bad[i].n, &v), -1);
	}
	s = p = (const unsigned char *)"\x80\x00";
	assert_int_equal(block_getvar(&p, p + 2, &v), 0);
	assert_int_equal(v, 0);
	assert_ptr_equal(p, s + 2);
}

/* Ensure that block_rowlen is the encoded size of a row. */
static void
test_rowlen(void **state)
{
	(void)state;
	assert_int_equal(block_rowlen(1, 0), 1 + 1 + DIFF_DIGEST_LEN + 1);
	assert_int_equal(block_rowlen(127, 128),
	    1 + 127 + DIFF_DIGEST_LEN + 2 + 128);
	assert_int_equal(block_rowlen(200, 130),
	    2 + 200 + DIFF_DIGEST_LEN + 2 + 130);
}

/*
 * Ensure that the codec writes the golden bytes of tests/data exactly (a
 * change here is a change of the baseline format) and reads them back.
 */
static void
test_golden(void **state)
{
	struct block_row	 one[1], three[3];
	struct got		 g;
	struct buf		 b;
	unsigned char		*want;
	char			*cause = NULL;
	size_t			 len, i;

	(void)state;
	golden_rows(one, three);
	buf_init(&b, BUF_NOCAP);

	want = golden("block-one.bin", &len);
	assert_int_equal(block_begin(&b), 0);
	assert_int_equal(block_add(&b, &one[0]), 0);
	assert_int_equal(b.len, len);
	assert_memory_equal(b.data, want, len);
	memset(&g, 0, sizeof g);
	assert_int_equal(block_parse(want, len, one[0].key, one[0].keylen,
	    collect, &g, &cause), 0);
	assert_int_equal(g.n, 1);
	assert_row_equal(&g.rows[0], &one[0]);
	free(want);

	want = golden("block-three.bin", &len);
	buf_printf(&b, "left over");
	assert_int_equal(block_begin(&b), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(block_add(&b, &three[i]), 0);
	assert_int_equal(b.len, len);
	assert_memory_equal(b.data, want, len);
	memset(&g, 0, sizeof g);
	assert_int_equal(block_parse(want, len, three[2].key, three[2].keylen,
	    collect, &g, &cause), 0);
	assert_int_equal(g.n, 3);
	for (i = 0; i < 3; i++)
		assert_row_equal(&g.rows[i], &three[i]);
	/* The rows point into the bytes parsed. */
	assert_ptr_equal(g.rows[0].key, want + 2);
	free(want);
	buf_free(&b);
}

/* Parse len bytes under the bound hi; the exact cause expected. */
static void
expect_bad(const void *data, size_t len, const char *hi, size_t hilen,
    const char *want)
{
	struct got	 g;
	char		*cause = NULL;

	memset(&g, 0, sizeof g);
	assert_int_equal(block_parse(data, len, (const unsigned char *)hi,
	    hilen, collect, &g, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
}

/* A block of rows given as keys, with zero digests and no tags. */
static void
make_block(struct buf *b, const char *const *keys, size_t n)
{
	static const unsigned char	 zero[DIFF_DIGEST_LEN];
	struct block_row		 r;
	size_t				 i;

	assert_int_equal(block_begin(b), 0);
	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof r);
		r.key = (const unsigned char *)keys[i];
		r.keylen = strlen(keys[i]);
		r.digest = zero;
		assert_int_equal(block_add(b, &r), 0);
	}
}

/* Ensure that every malformed shape of a block is refused, with its reason. */
static void
test_parse_malformed(void **state)
{
	static const char *const ba[] = { "b", "a" };
	static const char *const aa[] = { "a", "a" };
	static const char *const ab[] = { "a", "ab" };
	unsigned char	*one;
	unsigned char	 p[64];
	struct buf	 b;
	size_t		 len;

	(void)state;
	one = golden("block-one.bin", &len);
	assert_int_equal(len, 36);
	buf_init(&b, BUF_NOCAP);

	expect_bad("", 0, "a", 1, "row block: empty");
	expect_bad("\x02", 1, "a", 1, "row block: unknown version");
	expect_bad("\x00", 1, "a", 1, "row block: unknown version");
	expect_bad("\x01", 1, "a", 1, "row block: no row");
	expect_bad("\x01\x80", 2, "a", 1, "row block: bad key length");
	expect_bad("\x01\x80\x80\x80\x80\x10", 6, "a", 1,
	    "row block: bad key length");
	expect_bad("\x01\x00", 2, "a", 1, "row block: empty key");
	expect_bad("\x01\x05" "abcd", 6, "a", 1, "row block: key past the end");
	/* Every cut of a good block is refused. */
	for (len = 1; len < 36; len++) {
		memcpy(p, one, len);
		expect_bad(p, len, "a", 1, len == 1 ? "row block: no row" :
		    len == 2 ? "row block: key past the end" :
		    len < 35 ? "row block: digest past the end" :
		    "row block: bad tags length");
	}
	/* A tags length past the end. */
	memcpy(p, one, 36);
	p[35] = 2;
	memcpy(p + 36, "T", 1);
	expect_bad(p, 37, "a", 1, "row block: tags past the end");
	/* Trailing bytes after the last row. */
	memcpy(p, one, 36);
	p[36] = 0;
	expect_bad(p, 37, "a", 1, "row block: empty key");
	p[36] = 1;
	p[37] = 'b';
	expect_bad(p, 38, "a", 1, "row block: digest past the end");
	/* Keys out of order, or twice. */
	make_block(&b, ba, 2);
	expect_bad(b.data, b.len, "a", 1, "row block: keys out of order");
	make_block(&b, aa, 2);
	expect_bad(b.data, b.len, "a", 1, "row block: keys out of order");
	/* A prefix sorts first: in order. */
	make_block(&b, ab, 2);
	expect_bad(b.data, b.len, "a", 1,
	    "row block: last key is not the bound");
	expect_bad(b.data, b.len, "abc", 3,
	    "row block: last key is not the bound");
	expect_bad(one, 36, "", 0, "row block: last key is not the bound");
	buf_free(&b);
	free(one);
}

/* Ensure that a failing callback stops the parse with its own result. */
static void
test_parse_callback_fails(void **state)
{
	unsigned char	*three;
	struct got	 g;
	char		*cause = NULL;
	size_t		 len;

	(void)state;
	three = golden("block-three.bin", &len);
	memset(&g, 0, sizeof g);
	g.fail_at = 2;
	assert_int_equal(block_parse(three, len, (const unsigned char *)"l", 1,
	    collect, &g, &cause), -1);
	assert_null(cause);
	assert_int_equal(g.n, 1);
	free(three);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_varint_roundtrip),
		cmocka_unit_test(test_varint_malformed),
		cmocka_unit_test(test_rowlen),
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_parse_callback_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

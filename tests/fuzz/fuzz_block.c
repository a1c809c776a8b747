/* libFuzzer target: the row block parser, as a tampered baseline feeds it. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"
#include "buf.h"
#include "diff.h"
#include "fuzz_check.h"

/*
 * The input is the bound the block is stored under (two bytes of length,
 * little-endian, then the bound: fuzz_take) followed by the block's bytes.
 * The seed corpus in tests/fuzz/corpus/fuzz_block/ holds real blocks of
 * tests/data/fixture-v4-85d6c4f/baseline.db in that form, made with
 *   sqlite3 baseline.db "SELECT hex(hi), hex(data) FROM blocks"
 * and the golden blocks of tests/data/block-*.bin.
 */
int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_ROWS	4096

struct rows {
	struct block_row	 r[FUZZ_ROWS];
	size_t			 n;
	const unsigned char	*lo, *hi;	/* the bytes parsed */
	const unsigned char	*prev;		/* the last key seen */
	size_t			 prevlen;
	int			 stop_at;	/* fail on this row, 0: never */
};

static struct rows	 first, again;

static int
take(void *arg, const struct block_row *r)
{
	struct rows	*g = arg;

	if (g->stop_at != 0 && (size_t)g->stop_at == g->n + 1)
		return -1;
	FUZZ_ASSERT(r->keylen > 0, "empty key");
	FUZZ_ASSERT(r->key >= g->lo && r->key + r->keylen <= g->hi,
	    "key outside the block");
	FUZZ_ASSERT(r->digest >= g->lo && r->digest + DIFF_DIGEST_LEN <= g->hi,
	    "digest outside the block");
	FUZZ_ASSERT(r->tags >= g->lo && r->tags + r->tagslen <= g->hi,
	    "tags outside the block");
	if (g->prev != NULL)
		FUZZ_ASSERT(diff_keycmp(g->prev, g->prevlen, r->key,
		    r->keylen) < 0, "rows out of order");
	g->prev = r->key;
	g->prevlen = r->keylen;
	if (g->n < FUZZ_ROWS)
		g->r[g->n] = *r;
	g->n++;
	return 0;
}

static void
check_getvar(const unsigned char *p, size_t n)
{
	const unsigned char	*q = p;
	struct buf		 b;
	size_t			 v, used;

	if (block_getvar(&q, p + n, &v) == -1)
		return;
	used = (size_t)(q - p);
	FUZZ_ASSERT(used >= 1 && used <= 5 && used <= n, "varint of %zu bytes",
	    used);
	FUZZ_ASSERT(v <= 0xffffffffU, "varint past 32 bits");
	FUZZ_ASSERT(block_varlen(v) <= used, "varlen %zu, read %zu",
	    block_varlen(v), used);
	buf_init(&b, BUF_NOCAP);
	FUZZ_ASSERT(block_putvar(&b, v) == 0, "block_putvar");
	FUZZ_ASSERT(b.len == block_varlen(v), "putvar wrote %zu", b.len);
	q = (const unsigned char *)b.data;
	FUZZ_ASSERT(block_getvar(&q, q + b.len, &used) == 0 && used == v,
	    "varint does not read back");
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in	 in = { data, size };
	const unsigned char *hi, *blk;
	struct buf	 enc;
	size_t		 hilen, len, i;
	char		*cause = NULL;
	int		 r;

	hi = (const unsigned char *)fuzz_take(&in, &hilen);
	if (hi == NULL)
		hi = (const unsigned char *)"";
	blk = in.p;
	len = in.left;
	check_getvar(blk, len);

	memset(&first, 0, sizeof first);
	first.lo = blk;
	first.hi = blk + len;
	r = block_parse(blk, len, hi, hilen, take, &first, &cause);
	if (r == -1) {
		FUZZ_ASSERT(cause != NULL && strncmp(cause, "row block: ", 11) ==
		    0, "refused without a cause");
		free(cause);
		return 0;
	}
	FUZZ_ASSERT(cause == NULL, "a cause on success");
	FUZZ_ASSERT(first.n >= 1 && len >= 1 && blk[0] == BLOCK_VERSION,
	    "accepted %zu rows", first.n);
	FUZZ_ASSERT(diff_keycmp(first.prev, first.prevlen, hi, hilen) == 0,
	    "last key is not the bound");
	if (first.n > FUZZ_ROWS)
		return 0;

	/*
	 * Written again, the rows make a block no longer than the input
	 * (a varint may have had more bytes than it needs), the same bytes
	 * when as long, and one that parses to the same rows.
	 */
	buf_init(&enc, BUF_NOCAP);
	FUZZ_ASSERT(block_begin(&enc) == 0, "block_begin");
	for (i = 0; i < first.n; i++) {
		FUZZ_ASSERT(block_rowlen(first.r[i].keylen,
		    first.r[i].tagslen) <= len, "row longer than the block");
		FUZZ_ASSERT(block_add(&enc, &first.r[i]) == 0, "block_add");
	}
	FUZZ_ASSERT(enc.len <= len, "re-encoded %zu bytes from %zu", enc.len,
	    len);
	if (enc.len == len)
		FUZZ_ASSERT(memcmp(enc.data, blk, len) == 0,
		    "re-encoded bytes differ");
	memset(&again, 0, sizeof again);
	again.lo = (const unsigned char *)enc.data;
	again.hi = again.lo + enc.len;
	FUZZ_ASSERT(block_parse(again.lo, enc.len, hi, hilen, take, &again,
	    &cause) == 0, "re-encoded block refused: %s", cause);
	FUZZ_ASSERT(again.n == first.n, "%zu rows, then %zu", first.n,
	    again.n);
	for (i = 0; i < first.n; i++) {
		FUZZ_ASSERT(again.r[i].keylen == first.r[i].keylen &&
		    memcmp(again.r[i].key, first.r[i].key,
		    first.r[i].keylen) == 0 &&
		    memcmp(again.r[i].digest, first.r[i].digest,
		    DIFF_DIGEST_LEN) == 0 &&
		    again.r[i].tagslen == first.r[i].tagslen &&
		    (first.r[i].tagslen == 0 || memcmp(again.r[i].tags,
		    first.r[i].tags, first.r[i].tagslen) == 0),
		    "row %zu differs after re-encoding", i);
	}
	buf_free(&enc);

	/* A callback that fails stops the parse with its result only. */
	memset(&again, 0, sizeof again);
	again.lo = blk;
	again.hi = blk + len;
	again.stop_at = (int)(first.n < 3 ? first.n : 3);
	FUZZ_ASSERT(block_parse(blk, len, hi, hilen, take, &again, &cause) ==
	    -1 && cause == NULL, "a failing callback did not stop the parse");
	return 0;
}

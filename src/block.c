/* The row block codec: the bytes of one stored block of rows; pure. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "block.h"
#include "buf.h"
#include "diff.h"
#include "xmalloc.h"

static int	 block_bad(const char *, char **);

/* The bytes of v as a LEB128 number. */
size_t
block_varlen(size_t v)
{
	size_t	 n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/* Append v as a LEB128 number. */
int
block_putvar(struct buf *b, size_t v)
{
	unsigned char	 p[10];
	size_t		 n = 0;

	do {
		p[n] = v & 0x7f;
		v >>= 7;
		if (v != 0)
			p[n] |= 0x80;
		n++;
	} while (v != 0);
	return buf_add(b, p, n);
}

/* Read a length of at most 32 bits; -1 when it runs past end. */
int
block_getvar(const unsigned char **p, const unsigned char *end, size_t *out)
{
	uint64_t	 v = 0;
	int		 shift;

	for (shift = 0; shift < 35 && *p < end; shift += 7) {
		v |= (uint64_t)(**p & 0x7f) << shift;
		if ((*(*p)++ & 0x80) == 0) {
			if (v > 0xffffffffU)
				return -1;
			*out = (size_t)v;
			return 0;
		}
	}
	return -1;
}

/* The encoded size of a row with these key and tags lengths. */
size_t
block_rowlen(size_t keylen, size_t tagslen)
{
	return block_varlen(keylen) + keylen + DIFF_DIGEST_LEN +
	    block_varlen(tagslen) + tagslen;
}

/* Start a block in b (emptied first). */
int
block_begin(struct buf *b)
{
	buf_reset(b);
	return buf_addc(b, BLOCK_VERSION);
}

/* Append one row; rows are added in increasing key order. */
int
block_add(struct buf *b, const struct block_row *r)
{
	if (block_putvar(b, r->keylen) == -1 ||
	    buf_add(b, r->key, r->keylen) == -1 ||
	    buf_add(b, r->digest, DIFF_DIGEST_LEN) == -1 ||
	    block_putvar(b, r->tagslen) == -1 ||
	    (r->tagslen > 0 && buf_add(b, r->tags, r->tagslen) == -1))
		return -1;
	return 0;
}

static int
block_bad(const char *what, char **cause)
{
	*cause = xasprintf("row block: %s", what);
	return -1;
}

/*
 * Parse the block data, stored under the bound hi, calling cb for each row
 * in order (cb returns 0 to go on, -1 to fail with its cause). A block is
 * well formed when it has its version, at least one row, rows in strictly
 * increasing key order, no byte after the last row, and hi is the key of
 * its last row.
 */
int
block_parse(const unsigned char *data, size_t len, const unsigned char *hi,
    size_t hilen, int (*cb)(void *, const struct block_row *), void *arg,
    char **cause)
{
	const unsigned char	*p = data, *end = data + len;
	const unsigned char	*prev = NULL;
	struct block_row	 r;
	size_t			 prevlen = 0;

	if (len < 1)
		return block_bad("empty", cause);
	if (*p++ != BLOCK_VERSION)
		return block_bad("unknown version", cause);
	while (p < end) {
		memset(&r, 0, sizeof r);
		if (block_getvar(&p, end, &r.keylen) == -1)
			return block_bad("bad key length", cause);
		if (r.keylen == 0)
			return block_bad("empty key", cause);
		if (r.keylen > (size_t)(end - p))
			return block_bad("key past the end", cause);
		r.key = p;
		p += r.keylen;
		if ((size_t)(end - p) < DIFF_DIGEST_LEN)
			return block_bad("digest past the end", cause);
		r.digest = p;
		p += DIFF_DIGEST_LEN;
		if (block_getvar(&p, end, &r.tagslen) == -1)
			return block_bad("bad tags length", cause);
		if (r.tagslen > (size_t)(end - p))
			return block_bad("tags past the end", cause);
		r.tags = p;
		p += r.tagslen;
		if (prev != NULL &&
		    diff_keycmp(prev, prevlen, r.key, r.keylen) >= 0)
			return block_bad("keys out of order", cause);
		if (cb(arg, &r) == -1)
			return -1;
		prev = r.key;
		prevlen = r.keylen;
	}
	if (prev == NULL)
		return block_bad("no row", cause);
	if (diff_keycmp(prev, prevlen, hi, hilen) != 0)
		return block_bad("last key is not the bound", cause);
	return 0;
}

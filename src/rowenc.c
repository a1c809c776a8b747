/* Canonical row encoding, order-preserving keys and keyed row digests. */
#include "config.h"

/* SHA256_* on precomputed HMAC states: no EVP_MAC context work per row. */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "chunkhash.h"
#include "record.h"
#include "rowenc.h"
#include "siphash.h"
#include "util.h"
#include "xmalloc.h"

struct rowenc {
	SHA256_CTX	 ictx;		/* HMAC states after the padded key */
	SHA256_CTX	 octx;
	unsigned char	 tagkey[SIPHASH_KEY_LEN];
};

static char *
rowenc_sslerr(const char *what)
{
	char	 msg[256];

	ERR_error_string_n(ERR_get_error(), msg, sizeof msg);
	ERR_clear_error();
	return xasprintf("%s: %s", what, msg);
}

/*
 * HMAC-SHA-256 of the label and the parts under key into out; a part is
 * written with its length first so that no two inputs collide.
 */
static int
rowenc_hmac(const unsigned char *key, size_t keylen, const char *label,
    const void *a, size_t alen, const void *b, size_t blen,
    unsigned char out[32], char **cause)
{
	unsigned char	 len[4];
	EVP_MD_CTX	*md = NULL;
	EVP_PKEY	*pkey = NULL;
	size_t		 outlen = 32;
	int		 r = -1;

	pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_HMAC, NULL, key, keylen);
	if (pkey == NULL || (md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, pkey) != 1 ||
	    EVP_DigestSignUpdate(md, label, strlen(label) + 1) != 1)
		goto out;
	len[0] = alen >> 24; len[1] = alen >> 16; len[2] = alen >> 8;
	len[3] = alen;
	if (EVP_DigestSignUpdate(md, len, 4) != 1 ||
	    EVP_DigestSignUpdate(md, a, alen) != 1)
		goto out;
	len[0] = blen >> 24; len[1] = blen >> 16; len[2] = blen >> 8;
	len[3] = blen;
	if (EVP_DigestSignUpdate(md, len, 4) != 1 ||
	    EVP_DigestSignUpdate(md, b, blen) != 1 ||
	    EVP_DigestSignFinal(md, out, &outlen) != 1 || outlen != 32)
		goto out;
	r = 0;
out:
	if (r == -1)
		*cause = rowenc_sslerr("HMAC");
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pkey);
	return r;
}

/*
 * The SHA-256 state after one block of key XOR pad: HMAC's inner (0x36)
 * or outer (0x5c) state, computed once per table so that a row digest
 * costs its own blocks and one more, with no context set-up.
 */
static void
rowenc_hmac_pad(SHA256_CTX *c, const unsigned char *key, size_t keylen,
    unsigned char pad)
{
	unsigned char	 block[SHA256_CBLOCK];
	size_t		 i;

	memset(block, pad, sizeof block);
	for (i = 0; i < keylen && i < sizeof block; i++)
		block[i] ^= key[i];
	SHA256_Init(c);
	SHA256_Update(c, block, sizeof block);
	util_wipe(block, sizeof block);
}

/*
 * Derive the row-digest and column-tag keys of table DB.NAME from the
 * installation key, so that digests differ between tables.
 */
struct rowenc *
rowenc_create(const unsigned char *key, size_t keylen, const char *db,
    const char *name, char **cause)
{
	struct rowenc	*re;
	unsigned char	 rowkey[32], tagkey[32];

	re = xcalloc(1, sizeof *re);
	if (rowenc_hmac(key, keylen, "dbsyscheck row v1", db, strlen(db),
	    name, strlen(name), rowkey, cause) == -1 ||
	    rowenc_hmac(key, keylen, "dbsyscheck tag v1", db, strlen(db),
	    name, strlen(name), tagkey, cause) == -1)
		goto fail;
	memcpy(re->tagkey, tagkey, sizeof re->tagkey);
	rowenc_hmac_pad(&re->ictx, rowkey, sizeof rowkey, 0x36);
	rowenc_hmac_pad(&re->octx, rowkey, sizeof rowkey, 0x5c);
	util_wipe(rowkey, sizeof rowkey);
	util_wipe(tagkey, sizeof tagkey);
	return re;

fail:
	util_wipe(rowkey, sizeof rowkey);
	util_wipe(tagkey, sizeof tagkey);
	rowenc_free(re);
	return NULL;
}

/*
 * The header of one value in the canonical encoding: a flag byte (0 NULL,
 * 1 present) and, when present, the 32-bit big-endian length. Returns its
 * size, or 0 for a value too long to encode.
 */
#define ROWENC_HDR_MAX	5

static size_t
rowenc_hdr(unsigned char *p, const char *v, unsigned long len)
{
	if (v == NULL) {
		p[0] = 0;
		return 1;
	}
	if (len > 0xffffffffUL)
		return 0;
	p[0] = 1;
	p[1] = len >> 24;
	p[2] = len >> 16;
	p[3] = len >> 8;
	p[4] = len;
	return ROWENC_HDR_MAX;
}

/* Free the state and wipe the derived keys. */
void
rowenc_free(struct rowenc *re)
{
	if (re == NULL)
		return;
	util_wipe(re, sizeof *re);
	free(re);
}

static int
rowenc_canon_one(struct buf *b, const char *v, unsigned long len)
{
	unsigned char	 hdr[ROWENC_HDR_MAX];
	size_t		 n;

	if ((n = rowenc_hdr(hdr, v, len)) == 0 || buf_add(b, hdr, n) == -1)
		return -1;
	return v == NULL ? 0 : buf_add(b, v, len);
}

/*
 * Append the canonical encoding of n values: per value a flag byte (0 NULL,
 * 1 present) and, when present, a 32-bit big-endian length and the bytes.
 */
int
rowenc_canon(struct buf *b, const char *const *vals,
    const unsigned long *lens, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (rowenc_canon_one(b, vals[i], lens[i]) == -1)
			return -1;
	}
	return 0;
}

/* The keyed digest (HMAC-SHA-256) of the canonical encoding of a row. */
int
rowenc_digest(struct rowenc *re, const char *const *vals,
    const unsigned long *lens, size_t n, unsigned char out[ROWENC_DIGEST_LEN],
    char **cause)
{
	SHA256_CTX	 c = re->ictx;
	unsigned char	 blk[1024], inner[32];
	size_t		 i, hdr, used = 0;

	/* The canonical encoding, hashed a kilobyte at a time. */
	for (i = 0; i < n; i++) {
		if (used + ROWENC_HDR_MAX > sizeof blk) {
			SHA256_Update(&c, blk, used);
			used = 0;
		}
		if ((hdr = rowenc_hdr(blk + used, vals[i], lens[i])) == 0) {
			*cause = xstrdup("row too large to encode");
			util_wipe(&c, sizeof c);
			return -1;
		}
		used += hdr;
		if (vals[i] == NULL)
			continue;
		if (used + lens[i] <= sizeof blk) {
			memcpy(blk + used, vals[i], lens[i]);
			used += lens[i];
			continue;
		}
		SHA256_Update(&c, blk, used);
		SHA256_Update(&c, vals[i], lens[i]);
		used = 0;
	}
	SHA256_Update(&c, blk, used);
	SHA256_Final(inner, &c);
	c = re->octx;
	SHA256_Update(&c, inner, sizeof inner);
	SHA256_Final(out, &c);
	util_wipe(&c, sizeof c);
	util_wipe(inner, sizeof inner);
	util_wipe(blk, used);
	return 0;
}

/*
 * Per-column keyed tags (SipHash-2-4 of the column's position and canonical
 * value), ROWENC_TAG_LEN bytes each, so that an update can name the
 * columns that changed without storing any value.
 */
void
rowenc_tags(const struct rowenc *re, const char *const *vals,
    const unsigned long *lens, size_t n, unsigned char *out)
{
	unsigned char	 small[512];
	struct buf	 one;
	const void	*p;
	uint64_t	 t;
	size_t		 i, j, len, used = 0;

	buf_init(&one, BUF_NOCAP);
	for (i = 0; i < n; i++) {
		/* Position, flag, length, value: as rowenc_canon_one. */
		small[0] = i >> 24; small[1] = i >> 16; small[2] = i >> 8;
		small[3] = i;
		if (vals[i] == NULL ||
		    lens[i] <= sizeof small - 4 - ROWENC_HDR_MAX) {
			len = 4 + rowenc_hdr(small + 4, vals[i], lens[i]);
			if (vals[i] != NULL) {
				memcpy(small + len, vals[i], lens[i]);
				len += lens[i];
			}
			p = small;
			if (len > used)
				used = len;
		} else {
			buf_reset(&one);
			if (buf_add(&one, small, 4) == -1 ||
			    rowenc_canon_one(&one, vals[i], lens[i]) == -1) {
				p = NULL;
				len = 0;
			} else {
				p = one.data;
				len = one.len;
			}
		}
		t = p != NULL ? siphash24(re->tagkey, p, len) : 0;
		for (j = 0; j < ROWENC_TAG_LEN; j++)
			out[i * ROWENC_TAG_LEN + j] = (unsigned char)(t >> (8 * j));
	}
	util_wipe(small, used);
	buf_free(&one);
}

/*
 * Append the order-preserving encoding of one key value: integers as
 * 8 bytes big-endian (sign bit flipped for signed), bytes with 0x00
 * escaped as 00 FF and ended by 00 01, so that memcmp on whole keys gives
 * the server's ORDER BY order for each class.
 */
int
rowenc_key(struct buf *b, enum keyclass kc, const char *v, unsigned long len,
    char **cause)
{
	char			 num[32];
	const char		*errstr = NULL;
	unsigned char		 be[8];
	unsigned long long	 u = 0;
	unsigned long		 i, run;
	char			*end;
	int			 j;

	if (v == NULL) {
		*cause = xstrdup("NULL in a key column");
		return -1;
	}
	switch (kc) {
	case KEYCLASS_INT:
	case KEYCLASS_UINT:
		if (len == 0 || len >= sizeof num) {
			errstr = "bad integer";
			break;
		}
		memcpy(num, v, len);
		num[len] = '\0';
		/* Only what the server prints: [-]digits; no NUL, space, '+'. */
		i = kc == KEYCLASS_INT && num[0] == '-';
		if (i == len)
			errstr = "bad integer";
		for (; i < len; i++) {
			if (num[i] < '0' || num[i] > '9')
				errstr = "bad integer";
		}
		if (errstr != NULL)
			break;
		errno = 0;
		if (kc == KEYCLASS_INT) {
			u = (unsigned long long)strtoll(num, &end, 10);
			u ^= 1ULL << 63;
		} else
			u = strtoull(num, &end, 10);
		if (*end != '\0' || errno != 0)
			errstr = "bad integer";
		break;
	case KEYCLASS_BYTES:
		for (i = 0; i < len; i = run + 1) {
			for (run = i; run < len && v[run] != '\0'; run++)
				;
			if (buf_add(b, v + i, run - i) == -1)
				goto toolarge;
			if (run == len)
				break;
			if (buf_add(b, "\0\377", 2) == -1)
				goto toolarge;
		}
		if (buf_add(b, "\0\001", 2) == -1)
			goto toolarge;
		return 0;
	}
	if (errstr != NULL) {
		*cause = xasprintf("%s in a key column", errstr);
		return -1;
	}
	for (j = 7; j >= 0; j--) {
		be[j] = (unsigned char)u;
		u >>= 8;
	}
	if (buf_add(b, be, sizeof be) == -1)
		goto toolarge;
	return 0;

toolarge:
	*cause = xstrdup("key too large");
	return -1;
}

/*
 * Decode an encoded key into one value per key column: the bytes go into
 * store (reset first), offsets into off[] and lengths into len[]; integers
 * come back as decimal text. Returns -1 when the key does not decode.
 */
static int
rowenc_key_decode(const struct schema *s, const unsigned char *key,
    size_t keylen, struct buf *store, size_t *off, unsigned long *len)
{
	const struct column	*c;
	const unsigned char	*p = key, *end = key + keylen;
	unsigned long long	 u;
	size_t			 k, i;
	char			 num[32];

	buf_reset(store);
	for (k = 0; k < s->nkey; k++) {
		c = &s->cols[s->key[k]];
		off[k] = store->len;
		if (c->kclass == KEYCLASS_BYTES) {
			for (;;) {
				if (p >= end)
					return -1;
				if (*p != 0) {
					if (buf_addc(store, *p++) == -1)
						return -1;
					continue;
				}
				if (p + 1 >= end)
					return -1;
				if (p[1] == 0x01) {
					p += 2;
					break;
				}
				if (p[1] != 0xff || buf_addc(store, 0) == -1)
					return -1;
				p += 2;
			}
		} else {
			if (end - p < 8)
				return -1;
			for (u = 0, i = 0; i < 8; i++)
				u = u << 8 | p[i];
			p += 8;
			if (c->kclass == KEYCLASS_INT)
				snprintf(num, sizeof num, "%lld",
				    (long long)(u ^ (1ULL << 63)));
			else
				snprintf(num, sizeof num, "%llu", u);
			if (buf_adds(store, num) == -1)
				return -1;
		}
		len[k] = (unsigned long)(store->len - off[k]);
	}
	if (p != end)
		return -1;
	/* The values point into store: an all-empty key needs memory too. */
	if (store->data == NULL && buf_add(store, "", 0) == -1)
		return -1;
	return 0;
}

/*
 * Decode an encoded key into vals[]/lens[] (nkey each) pointing into
 * store, which the caller frees. Returns -1 when the key does not decode.
 */
int
rowenc_key_values(const struct schema *s, const unsigned char *key,
    size_t keylen, struct buf *store, const char **vals, unsigned long *lens)
{
	size_t	*off;
	size_t	 k;
	int	 r;

	off = xcalloc(s->nkey, sizeof *off);
	r = rowenc_key_decode(s, key, keylen, store, off, lens);
	for (k = 0; r == 0 && k < s->nkey; k++)
		vals[k] = store->data + off[k];
	free(off);
	return r;
}

/*
 * Append "name=value,name=value" for an encoded key, each name and value
 * percent-encoded; a value whose encoding would pass max bytes is cut and
 * ends with the marker "%..." (never a valid encoding). Returns -1 when
 * the key cannot be decoded or on a buffer failure.
 */
int
rowenc_key_text(struct buf *b, const struct schema *s,
    const unsigned char *key, size_t keylen, size_t max)
{
	const struct column	*c;
	struct buf		 v;
	size_t			*off, k;
	unsigned long		*len;
	int			 r = -1;

	buf_init(&v, BUF_NOCAP);
	off = xcalloc(s->nkey, sizeof *off);
	len = xcalloc(s->nkey, sizeof *len);
	if (rowenc_key_decode(s, key, keylen, &v, off, len) == -1)
		goto out;
	for (k = 0; k < s->nkey; k++) {
		c = &s->cols[s->key[k]];
		if ((k > 0 && buf_addc(b, ',') == -1) ||
		    record_name(b, c->name) == -1 ||
		    buf_addc(b, '=') == -1)
			goto out;
		if (record_pct_capped(b, v.data + off[k], len[k], max) == -1)
			goto out;
	}
	r = 0;
out:
	free(off);
	free(len);
	buf_free(&v);
	return r;
}

/*
 * XOR into agg the row's hash as the server computes it in chunk mode
 * (chunkhash.c); it cannot fail.
 */
void
rowenc_chunk_hash(const char *const *vals, const unsigned long *lens,
    size_t n, const unsigned char *varlen, unsigned char *agg)
{
	chunkhash_row(vals, lens, n, varlen, agg);
}

/*
 * Parse a chunk aggregate as the server sends it: an unsigned decimal
 * from SQL's BIT_XOR, a signed BIGINT from dbsyscheck_chunk() (the same
 * 64 bits), into agg, big-endian. -1 on anything else: no sign but a
 * leading '-', no space, no junk after the digits, no overflow.
 */
int
rowenc_agg_parse(const char *text, unsigned char agg[ROWENC_AGG_LEN])
{
	unsigned long long	 v;
	const char		*errstr, *p;
	char			*end;
	size_t			 i;

	if (text == NULL || *text == '\0')
		return -1;
	if (text[0] == '-') {
		v = (unsigned long long)util_strtonum(text, LLONG_MIN, -1,
		    &errstr);
		if (errstr != NULL)
			return -1;
	} else {
		for (p = text; *p != '\0'; p++) {
			if (*p < '0' || *p > '9')
				return -1;
		}
		errno = 0;
		v = strtoull(text, &end, 10);
		if (*end != '\0' || errno != 0)
			return -1;
	}
	for (i = 0; i < ROWENC_AGG_LEN; i++)
		agg[i] = (unsigned char)(v >> (56 - 8 * i));
	return 0;
}

/* The MAC of a baseline entry under the installation key. */
int
rowenc_mac(const unsigned char *key, size_t keylen, const char *label,
    const void *p, size_t len, unsigned char out[ROWENC_MAC_LEN],
    char **cause)
{
	return rowenc_hmac(key, keylen, label, p, len, "", 0, out, cause);
}

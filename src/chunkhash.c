/* The per-row hash of chunk mode, shared by the scanner and the UDF. */
#include "config.h"

/* SHA256_* one row at a time: no context set-up per row. */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <string.h>

#include <openssl/sha.h>

#include "chunkhash.h"

/* Append "#" and the decimal digits of v to p; returns the bytes added. */
static size_t
chunkhash_num(unsigned char *p, unsigned long v)
{
	unsigned char	 rev[24];
	size_t		 n = 0, i;

	do {
		rev[n++] = (unsigned char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	p[0] = '#';
	for (i = 0; i < n; i++)
		p[1 + i] = rev[n - 1 - i];
	return 1 + n;
}

/*
 * XOR into agg the first CHUNKHASH_AGG_LEN bytes of the SHA-256 of a row's
 * text as the server's chunk query builds it (source_mysql.c):
 *
 *	CONCAT_WS('#', CONCAT(ISNULL(c1), ...), LENGTH(v1), ..., c1, ...)
 *
 * that is a NULL map ("0" or "1" per column), then "#" and the byte length
 * of every non-NULL column whose varlen[i] is set, then "#" and the bytes
 * of every non-NULL column; NULL values are left out, as CONCAT_WS does.
 * The text is hashed a kilobyte at a time.
 */
void
chunkhash_row(const char *const *vals, const unsigned long *lens, size_t n,
    const unsigned char *varlen, unsigned char agg[CHUNKHASH_AGG_LEN])
{
	SHA256_CTX	 c;
	unsigned char	 blk[1024], md[SHA256_DIGEST_LENGTH];
	size_t		 i, used = 0;

	SHA256_Init(&c);
	for (i = 0; i < n; i++) {
		if (used == sizeof blk) {
			SHA256_Update(&c, blk, used);
			used = 0;
		}
		blk[used++] = vals[i] == NULL ? '1' : '0';
	}
	for (i = 0; i < n; i++) {
		if (vals[i] == NULL || !varlen[i])
			continue;
		if (used + 24 > sizeof blk) {
			SHA256_Update(&c, blk, used);
			used = 0;
		}
		used += chunkhash_num(blk + used, lens[i]);
	}
	for (i = 0; i < n; i++) {
		if (vals[i] == NULL)
			continue;
		if (used + 1 + lens[i] > sizeof blk) {
			SHA256_Update(&c, blk, used);
			SHA256_Update(&c, "#", 1);
			SHA256_Update(&c, vals[i], lens[i]);
			used = 0;
			continue;
		}
		blk[used++] = '#';
		memcpy(blk + used, vals[i], lens[i]);
		used += lens[i];
	}
	SHA256_Update(&c, blk, used);
	SHA256_Final(md, &c);
	for (i = 0; i < CHUNKHASH_AGG_LEN; i++)
		agg[i] ^= md[i];
}

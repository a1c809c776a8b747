/* The row block codec: the bytes of one stored block of rows; pure. */
#ifndef BLOCK_H
#define BLOCK_H

#include <stddef.h>

#include "buf.h"

/*
 * A block is a version byte and its rows in strictly increasing key order
 * (diff_keycmp), each as: LEB128 key length (1 to 2^32 - 1), key,
 * DIFF_DIGEST_LEN bytes of digest, LEB128 tags length, tags. It is stored
 * under the key of its last row, its bound. Changing any of this means a
 * new BLOCK_VERSION and a new baseline format.
 *
 * The rows block_parse hands to its callback point into the caller's
 * bytes and are valid as long as those are. Nothing here allocates except
 * through buf_add and the error messages.
 */
#define BLOCK_VERSION		1

struct block_row {
	const unsigned char	*key;
	size_t			 keylen;
	const unsigned char	*digest;	/* DIFF_DIGEST_LEN bytes */
	const unsigned char	*tags;
	size_t			 tagslen;
};

size_t	 block_varlen(size_t);
int	 block_putvar(struct buf *, size_t);
int	 block_getvar(const unsigned char **, const unsigned char *, size_t *);
size_t	 block_rowlen(size_t, size_t);
int	 block_begin(struct buf *);
int	 block_add(struct buf *, const struct block_row *);
int	 block_parse(const unsigned char *, size_t, const unsigned char *,
	    size_t, int (*)(void *, const struct block_row *), void *,
	    char **);

#endif

/* Canonical row encoding, order-preserving keys and keyed row digests. */
#ifndef ROWENC_H
#define ROWENC_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "chunkhash.h"
#include "diff.h"
#include "schema.h"

/*
 * A struct rowenc holds the keys derived for one table from the
 * installation key; it belongs to the caller (rowenc_free). Row values are
 * passed as arrays of pointers and lengths as the client library gives
 * them; a NULL pointer is SQL NULL.
 */
struct rowenc;

#define ROWENC_KEY_LEN		32
#define ROWENC_DIGEST_LEN	DIFF_DIGEST_LEN	/* owned by diff.h */
#define ROWENC_TAG_LEN		8
#define ROWENC_MAC_LEN		32
#define ROWENC_AGG_LEN		CHUNKHASH_AGG_LEN /* owned by chunkhash.h */

struct rowenc	*rowenc_create(const unsigned char *, size_t, const char *,
		    const char *, char **);
void		 rowenc_free(struct rowenc *);
int		 rowenc_canon(struct buf *, const char *const *,
		    const unsigned long *, size_t);
int		 rowenc_digest(struct rowenc *, const char *const *,
		    const unsigned long *, size_t,
		    unsigned char[ROWENC_DIGEST_LEN], char **);
void		 rowenc_tags(const struct rowenc *, const char *const *,
		    const unsigned long *, size_t, unsigned char *);
int		 rowenc_key(struct buf *, enum keyclass, const char *,
		    unsigned long, char **);
int		 rowenc_key_text(struct buf *, const struct schema *,
		    const unsigned char *, size_t, size_t);
int		 rowenc_key_values(const struct schema *,
		    const unsigned char *, size_t, struct buf *, const char **,
		    unsigned long *);
void		 rowenc_chunk_hash(const char *const *, const unsigned long *,
		    size_t, const unsigned char *, unsigned char *);
int		 rowenc_agg_parse(const char *, unsigned char[ROWENC_AGG_LEN]);
int		 rowenc_mac(const unsigned char *, size_t, const char *,
		    const void *, size_t, unsigned char[ROWENC_MAC_LEN],
		    char **);

#endif

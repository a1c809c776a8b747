/* The baseline's private byte-level interface to its blocks and deltas. */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Implemented in baseline.c (the one includer of sqlite3.h) for cursor.c,
 * which must not see SQLite. A key bound given as (key, len, have) is the
 * empty key, below every key, when have is 0. What store_blocks_next and
 * store_deltas_next fill in belongs to the caller (free hi and data, or
 * own); on error they leave nothing to free. Every function returns -1
 * and a message through cause on error, and a damaging error marks the
 * baseline broken.
 */
struct baseline;

/* A stored block: its bound and its bytes. */
struct store_block {
	unsigned char		*hi;
	size_t			 hilen;
	unsigned char		*data;
	size_t			 len;
};

/* A stored delta; digest NULL: the row is removed. One allocation, own. */
struct store_delta {
	unsigned char		*own;
	const unsigned char	*key;
	size_t			 keylen;
	const unsigned char	*digest;	/* DIFF_DIGEST_LEN bytes */
	const unsigned char	*tags;
	size_t			 tagslen;
};

char	*store_malformed(const struct baseline *, const char *);
int	 store_blocks_next(struct baseline *, int64_t, const void *, size_t,
	    int, struct store_block *, size_t, size_t *, char **);
int	 store_block_put(struct baseline *, int64_t, const void *, size_t,
	    const void *, size_t, int, char **);
int	 store_block_del(struct baseline *, int64_t, const void *, size_t,
	    char **);
int	 store_deltas_next(struct baseline *, int64_t, const void *, size_t,
	    int, struct store_delta *, size_t, size_t *, char **);
int	 store_delta_put(struct baseline *, int64_t, const void *, size_t,
	    const unsigned char *, const void *, size_t, char **);
int	 store_deltas_del(struct baseline *, int64_t, const void *, size_t,
	    int, const void *, size_t, char **);

/* For tests: set the connection's length limit, return the old one. */
int	 store_limit_length(struct baseline *, int);

#endif

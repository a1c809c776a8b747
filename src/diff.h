/* Merge of a key-ordered row stream against the key-ordered baseline. */
#ifndef DIFF_H
#define DIFF_H

#include <stddef.h>

/*
 * The diff pulls old rows through ops->next and is fed new rows in
 * strictly increasing key order (memcmp on the encoded key; a stream out
 * of order is an error, never a phantom change). Row pointers are
 * borrowed: an old row is valid until the next call to next, a new row
 * until diff_feed returns. The struct diff belongs to the caller.
 */
struct diff_row {
	const unsigned char	*key;
	size_t			 keylen;
	const unsigned char	*digest;	/* DIFF_DIGEST_LEN bytes */
	const unsigned char	*tags;
	size_t			 tagslen;
};

#define DIFF_DIGEST_LEN	32

enum diff_event {
	DIFF_ADDED,
	DIFF_REMOVED,
	DIFF_CHANGED,
	DIFF_SAME,
};

struct diff_ops {
	/* 1 and a row, 0 at the end, -1 on error. */
	int	(*next)(void *, struct diff_row *, char **);
	/* 0 to go on, -1 to stop with an error. */
	int	(*emit)(void *, enum diff_event, const struct diff_row *,
		    const struct diff_row *, char **);
};

struct diff;

struct diff	*diff_create(const struct diff_ops *, void *);
int		 diff_feed(struct diff *, const struct diff_row *, char **);
int		 diff_finish(struct diff *, char **);
void		 diff_free(struct diff *);
int		 diff_keycmp(const unsigned char *, size_t,
		    const unsigned char *, size_t);

#endif

/* Growable byte buffers with an explicit length and a cap. */
#ifndef BUF_H
#define BUF_H

#include <stddef.h>

/*
 * A buffer owns its memory. Every add either succeeds whole or fails with
 * -1, frees the memory and leaves an empty, failed buffer (curl's dynbuf
 * rule), so that a failure can never leave a half-written value behind. A
 * failed buffer refuses every later add until buf_reset (or buf_free or
 * buf_init): a builder that misses one check still cannot produce the
 * tail of a value, and one check of buf_failed at the end is enough. The
 * data is always followed by a NUL byte that len does not count.
 * buf_free(NULL) does nothing. No function here allocates through xmalloc: the UDF links
 * this file and must never exit inside the server.
 */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 alloc;
	size_t	 cap;
	int	 failed;
};

#define BUF_NOCAP	((size_t)-1)

void	 buf_init(struct buf *, size_t);
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_addc(struct buf *, int);
int	 buf_adds(struct buf *, const char *);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_reset(struct buf *);
void	 buf_free(struct buf *);
int	 buf_failed(const struct buf *);
int	 buf_error(struct buf *);
const char *buf_str(const struct buf *);

#endif

/* Growable byte buffers with an explicit length and a cap. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Start an empty buffer that may hold at most cap bytes. */
void
buf_init(struct buf *b, size_t cap)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap;
	b->failed = 0;
}

static int
buf_fail(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
	b->failed = 1;
	return -1;
}

/*
 * Append n bytes; -1 (and an emptied, failed buffer) past the cap, on
 * ENOMEM, or when the buffer has failed before.
 */
int
buf_add(struct buf *b, const void *p, size_t n)
{
	size_t	 need, nalloc;
	char	*d;

	if (b->failed)
		return -1;
	if (n > b->cap || b->len > b->cap - n || n >= (size_t)-1 - b->len)
		return buf_fail(b);
	need = b->len + n + 1;
	if (need > b->alloc) {
		nalloc = b->alloc < 64 ? 64 : b->alloc;
		while (nalloc < need) {
			if (nalloc > ((size_t)-1) / 2)
				return buf_fail(b);
			nalloc *= 2;
		}
		if ((d = realloc(b->data, nalloc)) == NULL)
			return buf_fail(b);
		b->data = d;
		b->alloc = nalloc;
	}
	if (n != 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

/* Append one byte. */
int
buf_addc(struct buf *b, int c)
{
	unsigned char	 ch = (unsigned char)c;

	return buf_add(b, &ch, 1);
}

/* Append a NUL-terminated string. */
int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

/* Append formatted text. */
int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	 small[256], *big;
	int	 n, r;

	if (b->failed)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return buf_fail(b);
	if ((size_t)n < sizeof small)
		return buf_add(b, small, (size_t)n);
	if ((big = malloc((size_t)n + 1)) == NULL)
		return buf_fail(b);
	va_start(ap, fmt);
	r = vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (r != n) {
		free(big);
		return buf_fail(b);
	}
	r = buf_add(b, big, (size_t)n);
	free(big);
	return r;
}

/* Forget the contents (and a failure) but keep the memory. */
void
buf_reset(struct buf *b)
{
	b->failed = 0;
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Release the memory; the buffer is then empty and not failed. */
void
buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
	b->failed = 0;
}

/*
 * Fail the buffer as a refused add would (a builder refusing its input):
 * always -1.
 */
int
buf_error(struct buf *b)
{
	return buf_fail(b);
}

/* 1 when an add failed since the last buf_init, buf_reset or buf_free. */
int
buf_failed(const struct buf *b)
{
	return b->failed;
}

/* The contents as a NUL-terminated string ("" when empty). */
const char *
buf_str(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

/* Merge of a key-ordered row stream against the key-ordered baseline. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diff.h"
#include "xmalloc.h"

struct diff {
	const struct diff_ops	*ops;
	void			*arg;
	struct diff_row		 old;
	int			 have_old;
	int			 old_end;
	struct buf		 last;
	int			 have_last;
};

/* Compare two encoded keys as memcmp, a prefix first. */
int
diff_keycmp(const unsigned char *a, size_t alen, const unsigned char *b,
    size_t blen)
{
	size_t	 n = alen < blen ? alen : blen;
	int	 c;

	/* An empty key may have no bytes at all: never memcmp(NULL, ...). */
	if (n > 0 && (c = memcmp(a, b, n)) != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* A diff pulling old rows through ops. */
struct diff *
diff_create(const struct diff_ops *ops, void *arg)
{
	struct diff	*d;

	d = xcalloc(1, sizeof *d);
	d->ops = ops;
	d->arg = arg;
	buf_init(&d->last, BUF_NOCAP);
	return d;
}

/* Free a diff. */
void
diff_free(struct diff *d)
{
	if (d == NULL)
		return;
	buf_free(&d->last);
	free(d);
}

static int
diff_pull(struct diff *d, char **cause)
{
	int	 r;

	if (d->have_old || d->old_end)
		return 0;
	r = d->ops->next(d->arg, &d->old, cause);
	if (r == -1)
		return -1;
	if (r == 0)
		d->old_end = 1;
	else
		d->have_old = 1;
	return 0;
}

/* Feed the next new row; emits every event up to and including it. */
int
diff_feed(struct diff *d, const struct diff_row *new, char **cause)
{
	enum diff_event	 ev;
	int		 c;

	if (d->have_last && diff_keycmp((const unsigned char *)d->last.data,
	    d->last.len, new->key,
	    new->keylen) >= 0) {
		*cause = xstrdup("rows arrived out of key order (duplicate "
		    "key, or the server's order is not byte order)");
		return -1;
	}
	buf_reset(&d->last);
	if (buf_add(&d->last, new->key, new->keylen) == -1) {
		*cause = xstrdup("key too large");
		return -1;
	}
	d->have_last = 1;
	for (;;) {
		if (diff_pull(d, cause) == -1)
			return -1;
		if (d->old_end)
			return d->ops->emit(d->arg, DIFF_ADDED, NULL, new, cause);
		c = diff_keycmp(d->old.key, d->old.keylen, new->key,
		    new->keylen);
		if (c > 0)
			return d->ops->emit(d->arg, DIFF_ADDED, NULL, new, cause);
		if (c == 0) {
			ev = memcmp(d->old.digest, new->digest,
			    DIFF_DIGEST_LEN) == 0 ? DIFF_SAME : DIFF_CHANGED;
			d->have_old = 0;
			return d->ops->emit(d->arg, ev, &d->old, new, cause);
		}
		d->have_old = 0;
		if (d->ops->emit(d->arg, DIFF_REMOVED, &d->old, NULL,
		    cause) == -1)
			return -1;
	}
}

/* The stream ended: every old row not seen was removed. */
int
diff_finish(struct diff *d, char **cause)
{
	for (;;) {
		if (diff_pull(d, cause) == -1)
			return -1;
		if (d->old_end)
			return 0;
		d->have_old = 0;
		if (d->ops->emit(d->arg, DIFF_REMOVED, &d->old, NULL,
		    cause) == -1)
			return -1;
	}
}

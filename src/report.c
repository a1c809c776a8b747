/* Records on standard output: line format, summary, cap, the outbox drain. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline.h"
#include "buf.h"
#include "event.h"
#include "record.h"
#include "report.h"
#include "xmalloc.h"

#define REPORT_BATCH	4096	/* records a write and a mark */

/* A record line ready to write, with the outbox seq it delivers. */
struct pending {
	int64_t	 seq;
	size_t	 end;		/* offset just past its newline */
};

struct drain {
	const struct report_opts *opts;
	struct buf		  out;
	struct pending		 *lines;
	size_t			  nlines;
	struct baseline_counts	  counts;	/* of the records taken */
	uint64_t		  total;	/* records queued in all */
	int64_t			  last;
	int			  full;
	int			  copy;		/* print only, never ack */
	char			 *cause;
};

/* One record line for standard output: text with its prefix, or JSON. */
int
report_format_line(struct buf *b, enum report_format fmt, const char *body,
    size_t len)
{
	struct buf	 j;
	int		 r;

	if (fmt != REPORT_JSON) {
		if (buf_adds(b, RECORD_PREFIX) == -1 ||
		    buf_add(b, body, len) == -1)
			return -1;
		return buf_addc(b, '\n');
	}
	buf_init(&j, BUF_NOCAP);
	if (record_to_json(&j, body, len) == -1 || j.len < 2) {
		buf_free(&j);
		return -1;
	}
	/* {"program":"dbsyscheck","op":...} */
	r = buf_adds(b, "{\"program\":\"dbsyscheck\"");
	if (r == 0 && j.len > 2)
		r = buf_addc(b, ',');
	if (r == 0)
		r = buf_add(b, j.data + 1, j.len - 1);
	if (r == 0)
		r = buf_addc(b, '\n');
	buf_free(&j);
	return r;
}

/* Write all of b; returns the bytes written (all, or fewer on error). */
size_t
report_write(int fd, const struct buf *b, char **cause)
{
	size_t	 done = 0;
	ssize_t	 n;

	while (done < b->len) {
		n = write(fd, b->data + done, b->len - done);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			*cause = xasprintf("writing records: %s",
			    n == 0 ? "short write" : strerror(errno));
			break;
		}
		done += (size_t)n;
	}
	return done;
}

/* The summary line of the records counted in c, pending more to come. */
int
report_summary(struct buf *b, enum report_format fmt,
    const struct baseline_counts *c, uint64_t pending)
{
	struct buf	 body;
	char		*cause = NULL;
	int		 r;

	buf_init(&body, RECORD_MAX);
	r = event_summary(&body, c->inserts, c->updates, c->deletes,
	    c->errors, pending, &cause);
	free(cause);
	if (r == 0)
		r = report_format_line(b, fmt, body.data, body.len);
	buf_free(&body);
	return r;
}

static void
count_op(struct baseline_counts *c, const char *op)
{
	if (strcmp(op, "insert") == 0)
		c->inserts++;
	else if (strcmp(op, "update") == 0)
		c->updates++;
	else if (strcmp(op, "delete") == 0)
		c->deletes++;
	else if (strcmp(op, "error") == 0)
		c->errors++;
	c->total++;
}

/*
 * Take records while the summary plus the records taken still fit in
 * max_bytes (the summary's own size depends on the counts, so it is
 * measured for each candidate).
 */
static int
drain_take(void *arg, const struct baseline_outrec *r)
{
	struct drain		*d = arg;
	struct baseline_counts	 c = d->counts;
	struct buf		 line, sum;
	size_t			 need;

	buf_init(&line, BUF_NOCAP);
	buf_init(&sum, BUF_NOCAP);
	if (report_format_line(&line, d->opts->format, r->body,
	    r->len) == -1) {
		d->cause = xstrdup("out of memory");
		return 1;
	}
	count_op(&c, r->op);
	if (report_summary(&sum, d->opts->format, &c,
	    d->total - c.total) == -1) {
		buf_free(&line);
		d->cause = xstrdup("out of memory");
		return 1;
	}
	need = sum.len + d->out.len + line.len;
	buf_free(&sum);
	if (need > d->opts->max_bytes) {
		buf_free(&line);
		d->full = 1;
		return 1;
	}
	if (buf_add(&d->out, line.data, line.len) == -1) {
		buf_free(&line);
		d->cause = xstrdup("out of memory");
		return 1;
	}
	buf_free(&line);
	d->lines = xreallocarray(d->lines, d->nlines + 1, sizeof *d->lines);
	d->lines[d->nlines].seq = r->seq;
	d->lines[d->nlines].end = d->out.len;
	d->nlines++;
	d->counts = c;
	d->last = r->seq;
	return 0;
}

/* Add a batch of records, unlimited. */
static int
drain_all(void *arg, const struct baseline_outrec *r)
{
	struct drain	*d = arg;

	if (report_format_line(&d->out, d->opts->format, r->body,
	    r->len) == -1) {
		d->cause = xstrdup("out of memory");
		return 1;
	}
	d->lines = xreallocarray(d->lines, d->nlines + 1, sizeof *d->lines);
	d->lines[d->nlines].seq = r->seq;
	d->lines[d->nlines].end = d->out.len;
	d->nlines++;
	d->last = r->seq;
	return 0;
}

/*
 * Write out the lines gathered in d (after skip bytes of other text) and
 * mark delivered every record whose line was written in full.
 */
static int
drain_flush(struct baseline *bl, struct drain *d, size_t *done, char **cause)
{
	size_t	 written, i;
	int64_t	 acked = -1;
	char	*werr = NULL;
	int	 r = 0;

	written = report_write(d->opts->fd, &d->out, &werr);
	for (i = 0; i < d->nlines; i++) {
		if (d->lines[i].end > written)
			break;
		acked = d->lines[i].seq;
	}
	*done += i;
	if (acked != -1 && !d->copy &&
	    baseline_outbox_ack(bl, acked, cause) == -1)
		r = -1;
	if (werr != NULL) {
		if (r == 0)
			*cause = werr;
		else
			free(werr);
		r = -1;
	}
	buf_reset(&d->out);
	d->nlines = 0;
	return r;
}

/* Put the summary of the records taken in front of them. */
static int
drain_prepend_summary(struct drain *d)
{
	struct buf	 whole;
	size_t		 i, shift;

	buf_init(&whole, BUF_NOCAP);
	if (report_summary(&whole, d->opts->format, &d->counts,
	    d->total - d->counts.total) == -1)
		return -1;
	shift = whole.len;
	if (buf_add(&whole, buf_str(&d->out), d->out.len) == -1)
		return -1;
	for (i = 0; i < d->nlines; i++)
		d->lines[i].end += shift;
	buf_free(&d->out);
	d->out = whole;
	return 0;
}

/*
 * The queued records after seq "after" on standard output: a summary
 * first, then as many records as fit in max_bytes, whole lines only.
 * Unless copy is set, a record is removed from the outbox once its line
 * was written in full; the rest stay queued, in order.
 */
static int
report_out(struct baseline *bl, const struct report_opts *opts,
    int64_t after, int copy, size_t *printed, char **cause)
{
	struct baseline_counts	 all;
	struct drain		 d;
	int			 n, r = -1;

	*printed = 0;
	if (baseline_outbox_counts(bl, after, &all, cause) == -1)
		return -1;
	if (all.total == 0)
		return 0;
	memset(&d, 0, sizeof d);
	d.opts = opts;
	d.total = all.total;
	d.last = after;
	d.copy = copy;
	buf_init(&d.out, BUF_NOCAP);

	if (opts->max_bytes != 0) {
		n = baseline_outbox_fetch(bl, after, (size_t)all.total,
		    drain_take, &d, cause);
		if (n == -1)
			goto out;
		if (d.cause != NULL) {
			*cause = d.cause;
			d.cause = NULL;
			goto out;
		}
		if (drain_prepend_summary(&d) == -1) {
			*cause = xstrdup("out of memory");
			goto out;
		}
		r = drain_flush(bl, &d, printed, cause);
		goto out;
	}

	if (report_summary(&d.out, opts->format, &all, 0) == -1) {
		*cause = xstrdup("out of memory");
		goto out;
	}
	for (;;) {
		n = baseline_outbox_fetch(bl, d.last, REPORT_BATCH, drain_all,
		    &d, cause);
		if (n == -1)
			goto out;
		if (d.cause != NULL) {
			*cause = d.cause;
			d.cause = NULL;
			goto out;
		}
		if (n == 0 && d.out.len == 0)
			break;
		if (drain_flush(bl, &d, printed, cause) == -1)
			goto out;
		if (n == 0)
			break;
	}
	r = 0;
out:
	free(d.cause);
	free(d.lines);
	buf_free(&d.out);
	return r;
}

/*
 * Deliver the queue on standard output (the SIEM's consumer): every
 * record whose line was written in full leaves the queue. *printed is
 * the number of records written (the summary not counted).
 */
int
report_drain(struct baseline *bl, const struct report_opts *opts,
    size_t *printed, char **cause)
{
	return report_out(bl, opts, 0, 0, printed, cause);
}

/*
 * Print a copy of the records queued after seq "after" (a run's own, for
 * the operator), capped like a delivery; nothing leaves the queue.
 */
int
report_copy(struct baseline *bl, const struct report_opts *opts,
    int64_t after, size_t *printed, char **cause)
{
	return report_out(bl, opts, after, 1, printed, cause);
}

/*
 * Write one error record that could not be queued (no usable baseline),
 * after its summary, like any other output (sink_direct gives it to the
 * sinks).
 */
int
report_direct(const struct report_opts *opts, const char *body, size_t len,
    char **cause)
{
	struct baseline_counts	 c;
	struct buf		 b;
	size_t			 n;
	int			 r;

	memset(&c, 0, sizeof c);
	c.errors = c.total = 1;
	buf_init(&b, BUF_NOCAP);
	if (report_summary(&b, opts->format, &c, 0) == -1 ||
	    report_format_line(&b, opts->format, body, len) == -1) {
		*cause = xstrdup("out of memory");
		return -1;
	}
	n = report_write(opts->fd, &b, cause);
	r = n == b.len ? 0 : -1;
	buf_free(&b);
	return r;
}

/* The outbox: records queued in the baseline until written out. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "outbox.h"
#include "store.h"

/* Queue a record body for output. */
int
baseline_outbox_add(struct baseline *bl, const char *op, const char *body,
    size_t len, char **cause)
{
	struct store_stmt	*st;

	if ((st = store_stmt(bl, STORE_OUT_ADD, cause)) == NULL)
		return -1;
	store_bind_text(st, 1, op, strlen(op));
	store_bind_text(st, 2, body, len);
	return store_done(st, "queueing a record", cause);
}

/*
 * Count the queued records after seq by op: one pass over a range of the
 * key, no grouping (a GROUP BY sorted every record of the outbox).
 */
int
baseline_outbox_counts(struct baseline *bl, int64_t after,
    struct baseline_counts *c, char **cause)
{
	struct store_stmt	*st;
	int			 rc;

	memset(c, 0, sizeof *c);
	if ((st = store_stmt(bl, STORE_OUT_COUNTS, cause)) == NULL)
		return -1;
	store_bind_int64(st, 1, after);
	if ((rc = store_step(st, "counting records", cause)) != 1)
		return rc;
	c->total = (uint64_t)store_int64(st, 0);
	c->inserts = (uint64_t)store_int64(st, 1);
	c->updates = (uint64_t)store_int64(st, 2);
	c->deletes = (uint64_t)store_int64(st, 3);
	c->errors = (uint64_t)store_int64(st, 4);
	store_reset(st);
	return 0;
}

/*
 * How many queued records are at or before seq: a range of the key, no
 * grouping (drain asks it after every delivery).
 */
int
baseline_outbox_upto(struct baseline *bl, int64_t seq, uint64_t *n,
    char **cause)
{
	struct store_stmt	*st;
	int			 rc;

	*n = 0;
	if ((st = store_stmt(bl, STORE_OUT_UPTO, cause)) == NULL)
		return -1;
	store_bind_int64(st, 1, seq);
	if ((rc = store_step(st, "counting records", cause)) == 1) {
		*n = (uint64_t)store_int64(st, 0);
		rc = store_step(st, "counting records", cause);
	}
	return rc;
}

/*
 * Call cb for up to max queued records after seq, in order; cb returns 0
 * to go on, 1 to stop. Returns the number of records seen, -1 on error.
 */
int
baseline_outbox_fetch(struct baseline *bl, int64_t after, size_t max,
    int (*cb)(void *, const struct baseline_outrec *), void *arg,
    char **cause)
{
	struct baseline_outrec	 r;
	struct store_stmt	*st;
	size_t			 oplen;
	int			 rc, n = 0;

	if ((st = store_stmt(bl, STORE_OUT_FETCH, cause)) == NULL)
		return -1;
	store_bind_int64(st, 1, after);
	store_bind_int64(st, 2, max > INT64_MAX ? INT64_MAX : (int64_t)max);
	while ((rc = store_step(st, "reading records", cause)) == 1) {
		r.seq = store_int64(st, 0);
		r.op = store_text(st, 1, &oplen);
		r.body = store_text(st, 2, &r.len);
		if (r.op == NULL || r.body == NULL)
			continue;
		n++;
		if (cb(arg, &r) != 0) {
			store_reset(st);
			break;
		}
	}
	return rc == -1 ? -1 : n;
}

/* Mark every record up to seq delivered (removes them, durably). */
int
baseline_outbox_ack(struct baseline *bl, int64_t seq, char **cause)
{
	struct store_stmt	*st;

	if ((st = store_stmt(bl, STORE_OUT_ACK, cause)) == NULL)
		return -1;
	store_bind_int64(st, 1, seq);
	return store_done(st, "marking records delivered", cause);
}

/*
 * The seq of the last queued record, 0 when none is queued: records
 * queued later have a greater seq (AUTOINCREMENT never reuses one).
 */
int
baseline_outbox_last(struct baseline *bl, int64_t *seq, char **cause)
{
	struct store_stmt	*st;
	int			 rc;

	if ((st = store_stmt(bl, STORE_OUT_LAST, cause)) == NULL)
		return -1;
	if ((rc = store_step(st, "reading the queue", cause)) == -1)
		return -1;
	if (rc == 0) {
		*cause = store_error(bl, "reading the queue");
		return -1;
	}
	*seq = store_int64(st, 0);
	store_reset(st);
	return 0;
}

/* The outbox: records queued in the baseline until written out. */
#ifndef OUTBOX_H
#define OUTBOX_H

#include <stddef.h>
#include <stdint.h>

/*
 * The records are queued in the run's transaction and removed once
 * delivered (docs/DESIGN.md, "The outbox"). The strings of a struct
 * baseline_outrec are borrowed for the duration of the callback.
 */
struct baseline;

struct baseline_outrec {
	int64_t		 seq;
	const char	*op;
	const char	*body;
	size_t		 len;
};

struct baseline_counts {
	uint64_t	 inserts;
	uint64_t	 updates;
	uint64_t	 deletes;
	uint64_t	 errors;
	uint64_t	 total;
};

int	 baseline_outbox_add(struct baseline *, const char *, const char *,
	    size_t, char **);
int	 baseline_outbox_counts(struct baseline *, int64_t,
	    struct baseline_counts *, char **);
int	 baseline_outbox_upto(struct baseline *, int64_t, uint64_t *, char **);
int	 baseline_outbox_fetch(struct baseline *, int64_t, size_t,
	    int (*)(void *, const struct baseline_outrec *), void *, char **);
int	 baseline_outbox_ack(struct baseline *, int64_t, char **);
int	 baseline_outbox_last(struct baseline *, int64_t *, char **);

#endif

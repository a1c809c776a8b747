/* One run over the watched tables: stream, digest, diff, queue records. */
#ifndef SCAN_H
#define SCAN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct baseline;
struct conf_table;
struct source;

/* scan_create returns a struct scan that belongs to the caller. */
struct scan;

enum scan_mode {
	SCAN_REPORT,		/* report row changes */
	SCAN_RESET,		/* re-take the baseline silently */
};

struct scan_stats {
	uint64_t	 inserts;
	uint64_t	 updates;
	uint64_t	 deletes;
	uint64_t	 events;	/* baseline, schema, missing, reset */
	uint64_t	 errors;
	uint64_t	 rows;		/* rows read from the server */
};

#define SCAN_TABLE_ERROR	-1	/* that table failed, rolled back */
#define SCAN_FATAL		-2	/* the run must stop */

struct scan	*scan_create(struct source *, struct baseline *,
		    const unsigned char *, size_t, const char *,
		    volatile sig_atomic_t *);
void		 scan_free(struct scan *);
int		 scan_table(struct scan *, const struct conf_table *,
		    enum scan_mode, char **);
int		 scan_error(struct baseline *, const char *, const char *,
		    const char *, char **);
const struct scan_stats *scan_stats(const struct scan *);

#endif

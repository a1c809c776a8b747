/* One run over the watched tables: stream, digest, diff, queue records. */
#ifndef SCAN_H
#define SCAN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct baseline;
struct conf_table;
struct recon;
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
	uint64_t	 pauses;	/* waits for Threads_running */
	double		 paused;	/* seconds spent waiting */
};

#define SCAN_TABLE_ERROR	-1	/* that table failed, rolled back */
#define SCAN_FATAL		-2	/* the run must stop */

/* Progress of one table: rows read so far; done is set at its end. */
typedef void (*scan_progress_cb)(void *, const char *, const char *,
    uint64_t, int);

struct scan_limits {
	unsigned long	 max_rows_per_second;	/* 0: none (per table too) */
	unsigned long	 max_threads_running;	/* 0: none */
	struct source	*monitor;	/* for Threads_running in full mode */
};

struct scan	*scan_create(struct source *, struct baseline *,
		    const unsigned char *, size_t, const char *,
		    volatile sig_atomic_t *);
void		 scan_free(struct scan *);
void		 scan_set_limits(struct scan *, const struct scan_limits *);
void		 scan_set_progress(struct scan *, scan_progress_cb, void *);
void		 scan_set_recon(struct scan *, struct recon *);
int		 scan_begin(struct scan *, char **);
int		 scan_end(struct scan *, char **);
int		 scan_table(struct scan *, const struct conf_table *,
		    enum scan_mode, char **);
int		 scan_error(struct baseline *, const char *, const char *,
		    const char *, char **);
const struct scan_stats *scan_stats(const struct scan *);

#endif

/* The lifecycle of a run: lock, key, baseline, work, commit, delivery. */
#ifndef RUN_H
#define RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "report.h"
#include "scan.h"

/*
 * run_create returns a struct run that belongs to the caller (run_free,
 * which wipes the key, closes the baseline and releases the lock). The
 * conf and the options are borrowed for the run's life; the baseline of
 * run_baseline and the key of run_key are borrowed until run_free.
 *
 * A run reports its own failures, each once: as a record (and a message
 * on standard error through log.c) where main.c would have written one.
 * Before the baseline is open an error is written directly, and a scan
 * also leaves the note (failnote.c) that report repeats; afterwards it is
 * queued in the baseline in a transaction of its own and delivered
 * (run_fail), or written directly when the baseline is damaged.
 *
 * The steps, in order, for any kind of run:
 *
 *	run_open	lock, key (created on the very first run), baseline
 *			(created or verified with the key's check), the
 *			mark after which queued records are this run's own
 *	run_begin	one baseline transaction
 *	(the work)	records queued in run_baseline(), MACs keyed by
 *			run_key(); run_fail on an error, which rolls back
 *	run_commit	the baseline and the queued records advance whole
 *	run_deliver	the outbox to the sinks and standard output
 *	run_free
 *
 * run_scan is the table scan built on these steps (scan.c does the work).
 * The binary-log follower (issue 15) is a second kind: instead of a
 * struct scan over a snapshot it reads events from another source, and
 * for each batch of them calls run_begin, queues its records,
 * run_commit and run_deliver, keeping the baseline of one run_open;
 * run_fail and delivery are shared. It holds the lock only around each
 * batch (run_unlock after it, run_lock before the next, which also marks
 * what is queued after it as the batch's own), so that scans and reports
 * run beside it; its errors say src=binlog (run_opts.src), and one that
 * cannot start leaves a note of its own (BASELINE.follow.failed), but
 * not when another follower runs (run_fail_busy).
 */
struct conf;
struct baseline;
struct run;

struct run_opts {
	struct report_opts	 report;	/* standard output and sinks */
	int			 noreport;	/* --no-report */
	int			 deliver;	/* --deliver: the SIEM's consumer */
	int			 progress;	/* rows read, on standard error */
	volatile sig_atomic_t	*stop;		/* set by a signal */
	const char		*src;		/* errors' src=: NULL scan */
};

/* What a command found, for main.c's exit code. */
enum run_result {
	RUN_NOCHANGE,
	RUN_CHANGES,
	RUN_ERROR,
};

#define RUN_RESET	0x1	/* a missing baseline may be made anew */
#define RUN_READONLY	0x2	/* status: no lock, no key, no records */
#define RUN_PATIENT	0x4	/* the follower: wait RUN_PATIENT_WAIT for
				   a scan's lock, not LOCK_WAIT */
#define RUN_PATIENT_WAIT 600

struct run	*run_create(const struct conf *, const struct run_opts *);
void		 run_free(struct run *);
int		 run_open(struct run *, int);
struct baseline	*run_baseline(struct run *);
const struct conf *run_conf(const struct run *);
volatile sig_atomic_t *run_stop(const struct run *);
const unsigned char *run_key(const struct run *);
int		 run_begin(struct run *, char **);
int		 run_commit(struct run *, char **);
void		 run_fail(struct run *, const char *);
void		 run_fail_busy(struct run *, const char *);
int		 run_deliver(struct run *);
int		 run_queue_error(struct run *, const char *, const char *,
		    const char *, char **);
int		 run_lock(struct run *, int, int, char **);
void		 run_unlock(struct run *);

enum run_result	 run_scan(struct run *, enum scan_mode, int, char **);
enum run_result	 run_report(struct run *);

void		 run_fail_direct(const struct run_opts *, const char *);
void		 run_note_early(const char *, const char *);
void		 run_time(int64_t, char *, size_t);

#endif

/* The lifecycle of a run: lock, key, baseline, work, commit, delivery. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "baseline.h"
#include "buf.h"
#include "conf.h"
#include "event.h"
#include "failnote.h"
#include "key.h"
#include "log.h"
#include "optfile.h"
#include "record.h"
#include "reconcile.h"
#include "report.h"
#include "run.h"
#include "scan.h"
#include "seal.h"
#include "sink.h"
#include "source_mysql.h"
#include "util.h"
#include "xmalloc.h"

#define REPORT_LOCK_ALARM	3600	/* a lock held longer is an error */

struct run {
	const struct conf	*conf;
	struct run_opts		 opts;
	volatile sig_atomic_t	 nostop;	/* when opts.stop is NULL */
	int			 lock;
	struct baseline		*bl;
	unsigned char		 key[KEY_LEN];
	int			 keyloaded;
	int64_t			 after;		/* records after it: ours */
	int			 warned;	/* said that records wait */
};

static void	 fail_record(const struct run_opts *, const char *, int);
static void	 fail_start(const struct run *, const char *, int);
static int	 key_present(const struct conf *);
static char	*missing_msg(const struct conf *);
static int	 drain(const struct run_opts *, struct baseline *, int64_t,
		    int *);
static void	 fail_queued(struct run *, const char *);
static void	 show_progress(void *, const char *, const char *, uint64_t,
		    int);
static char	*invoking_user(void);
static int	 report_failnote(const struct run *);

/* A run with these options; nothing is opened yet. */
struct run *
run_create(const struct conf *conf, const struct run_opts *opts)
{
	struct run	*run;

	run = xcalloc(1, sizeof *run);
	run->conf = conf;
	run->opts = *opts;
	if (run->opts.stop == NULL)
		run->opts.stop = &run->nostop;
	run->lock = -1;
	return run;
}

/* Wipe the key, close the baseline, release the lock. */
void
run_free(struct run *run)
{
	if (run == NULL)
		return;
	if (run->keyloaded)
		util_wipe(run->key, sizeof run->key);
	baseline_close(run->bl);
	baseline_unlock(run->lock);
	free(run);
}

/* The open baseline, or NULL. */
struct baseline *
run_baseline(struct run *run)
{
	return run->bl;
}

/* The run's configuration. */
const struct conf *
run_conf(const struct run *run)
{
	return run->conf;
}

/* The flag a signal sets: the work stops at the next step. */
volatile sig_atomic_t *
run_stop(const struct run *run)
{
	return run->opts.stop;
}

/* The installation key, KEY_LEN bytes, once run_open has loaded it. */
const unsigned char *
run_key(const struct run *run)
{
	return run->key;
}

/*
 * Report an error that cannot be queued: stderr and one record; with
 * tamper, the record says baseline=tampered (rules raise it as tampering).
 */
static void
fail_record(const struct run_opts *o, const char *msg, int tamper)
{
	struct buf	 rec;
	char		*cause = NULL;

	log_warnx("%s", msg);
	buf_init(&rec, RECORD_MAX);
	if (event_error_src(&rec, NULL, NULL, tamper, msg, o->src,
	    &cause) == -1) {
		log_warnx("%s", cause);
		free(cause);
		buf_free(&rec);
		return;
	}
	if (report_direct(&o->report, rec.data, rec.len, &cause) == -1) {
		log_warnx("%s", cause);
		free(cause);
		cause = NULL;
	}
	if (sink_direct(&o->report, rec.data, rec.len, &cause) == -1) {
		log_warnx("%s", cause);
		free(cause);
	}
	buf_free(&rec);
}

/* An error before any baseline: written directly, never queued. */
void
run_fail_direct(const struct run_opts *o, const char *msg)
{
	fail_record(o, msg, 0);
}

/*
 * Where a run that cannot start leaves its note (failnote.h): a scan's
 * (or reset's) beside the baseline, the follower's beside its lock
 * (BASELINE.follow); NULL for the others.
 */
static char *
note_base(const struct run_opts *o, const struct conf *conf)
{
	if (o->src == NULL)
		return xstrdup(conf->baseline);
	if (strcmp(o->src, "binlog") == 0)
		return xasprintf("%s.follow", conf->baseline);
	return NULL;
}

/*
 * A scan or a follower that cannot start: its record, and the note that
 * report repeats until one of the same kind gets as far as the baseline.
 */
static void
fail_start(const struct run *run, const char *msg, int tamper)
{
	char	*cause = NULL, *base;

	fail_record(&run->opts, msg, tamper);
	if ((base = note_base(&run->opts, run->conf)) != NULL &&
	    failnote_write(base, tamper, msg, &cause) == -1) {
		log_warnx("%s", cause);
		free(cause);
	}
	free(base);
}

/* A scan that fails before its configuration is read leaves a note too. */
void
run_note_early(const char *conffile, const char *msg)
{
	struct conf	*conf;
	char		*cause = NULL;

	if ((conf = conf_load(conffile, &cause)) == NULL ||
	    failnote_write(conf->baseline, 0, msg, &cause) == -1) {
		log_warnx("%s", cause);
		free(cause);
	}
	conf_free(conf);
}

/* Something is at the key's path (a key, or what is left of one). */
static int
key_present(const struct conf *conf)
{
	struct stat	 st;

	return lstat(conf->key, &st) == 0 || errno != ENOENT;
}

/* Why a missing baseline whose key exists is not made anew by scan. */
static char *
missing_msg(const struct conf *conf)
{
	return xasprintf("baseline %s is missing but its key %s exists: it "
	    "was removed outside dbsyscheck: restore it from a backup, or run "
	    "dbsyscheck reset to take a new one (changes since the last scan "
	    "are then not reported)", conf->baseline, conf->key);
}

/*
 * Deliver what is queued. Every record not yet given to the sinks (--log,
 * --syslog) goes there, uncapped, whichever run queued it. Then, unless
 * --no-report: with --deliver (the SIEM's consumer) standard output gets
 * the queue, capped, and what it got leaves the queue; without, it gets a
 * copy of the records queued after seq "after" (this run's own, for the
 * operator) and everything stays queued for the SIEM. With --no-report
 * and a sink, the sinks are the SIEM's channel: what they got leaves the
 * queue. 1 when records were printed on standard output, -1 on error.
 */
static int
drain(const struct run_opts *o, struct baseline *bl, int64_t after,
    int *warned)
{
	const struct report_opts *ro = &o->report;
	uint64_t		 earlier = 0;
	size_t			 printed = 0;
	char			*cause = NULL;
	int			 r, sinks;

	sinks = ro->logfd != -1 || ro->use_syslog;
	r = sink_outbox(bl, ro, &cause);
	if (r == 0 && !o->noreport && o->deliver)
		r = report_drain(bl, ro, &printed, &cause);
	else if (r == 0 && !o->noreport)
		r = report_copy(bl, ro, after, &printed, &cause);
	else if (r == 0 && sinks)
		r = sink_drop_sunk(bl, &cause);
	/*
	 * Not the consumer: say when earlier runs' records still wait (a
	 * follower, which delivers each batch, says it once).
	 */
	if (r == 0 && !o->deliver && !(o->noreport && sinks) &&
	    (warned == NULL || !*warned) &&
	    (r = baseline_outbox_upto(bl, after, &earlier, &cause)) == 0 &&
	    earlier > 0) {
		log_warnx("%llu record%s queued by earlier runs still wait%s "
		    "for the SIEM's consumer, a run with --deliver or with "
		    "--no-report and --log (dbsyscheck status counts them, "
		    "docs/OSSEC.md sets one up)", (unsigned long long)earlier,
		    earlier == 1 ? "" : "s", earlier == 1 ? "s" : "");
		if (warned != NULL)
			*warned = 1;
	}
	if (r == -1) {
		log_warnx("%s", cause);
		free(cause);
		return -1;
	}
	return printed > 0;
}

/* Deliver what is queued: 1 when records were printed, -1 on error. */
int
run_deliver(struct run *run)
{
	return drain(&run->opts, run->bl, run->after, &run->warned);
}

/*
 * status (RUN_READONLY): the baseline, read only, without the lock; its
 * errors are messages only.
 */
static int
run_open_readonly(struct run *run)
{
	const struct conf	*conf = run->conf;
	char			*cause = NULL;
	int			 exists, r = -1;

	if ((exists = baseline_exists(conf->baseline, &cause)) == -1) {
		log_warnx("%s", cause);
		goto out;
	}
	if (!exists && key_present(conf)) {
		cause = missing_msg(conf);
		log_warnx("%s", cause);
		goto out;
	}
	if ((run->bl = baseline_open(conf->baseline, BASELINE_READONLY, NULL,
	    &cause)) == NULL) {
		log_warnx("%s", cause);
		goto out;
	}
	r = 0;
out:
	free(cause);
	return r;
}

/*
 * Take the lock, load (or on the first run create) the key, open (or
 * create) the baseline; with RUN_RESET a missing baseline is made anew
 * for an existing key. With RUN_PATIENT (the follower, run from cron or
 * logcollector every minute beside scans that may take long) it waits
 * longer for the lock than a scan would. 0, or -1 with the failure reported.
 */
int
run_open(struct run *run, int flags)
{
	const struct conf	*conf = run->conf;
	unsigned char		 kc[BASELINE_KEYCHECK_LEN];
	char			*cause = NULL, *msg;
	int			 exists, kr, r = -1;

	if (flags & RUN_READONLY)
		return run_open_readonly(run);
	if ((conf->defaults_file != NULL &&
	    optfile_check(conf->defaults_file, &cause) == -1) ||
	    util_mkdir_parent(conf->baseline, &cause) == -1 ||
	    (run->lock = baseline_lock_wait(conf->baseline,
	    (flags & RUN_PATIENT) ? RUN_PATIENT_WAIT : LOCK_WAIT,
	    run->opts.stop, NULL, &cause)) == -1 ||
	    (exists = baseline_exists(conf->baseline, &cause)) == -1) {
		fail_start(run, cause, 0);
		goto out;
	}
	/* Only reset, by hand, makes a new baseline for an old key. */
	if (!exists && !(flags & RUN_RESET) && key_present(conf)) {
		msg = missing_msg(conf);
		fail_start(run, msg, 1);
		free(msg);
		goto out;
	}
	if ((kr = key_load(conf->key, !exists, run->key, &cause)) == -1) {
		fail_start(run, cause, 0);
		goto out;
	}
	run->keyloaded = 1;
	if (seal_keycheck(run->key, kc, &cause) == -1) {
		fail_start(run, cause, 0);
		goto out;
	}
	if ((run->bl = baseline_open(conf->baseline, BASELINE_CREATE, kc,
	    &cause)) == NULL) {
		fail_start(run, cause, 0);
		goto out;
	}
	/* A new key is the key once its baseline exists (key.c). */
	if (kr != KEY_READ && key_commit(conf->key, run->key, &cause) == -1) {
		fail_start(run, cause, 0);
		goto out;
	}
	/* What is queued after this is the run's own. */
	if (baseline_outbox_last(run->bl, &run->after, &cause) == -1) {
		fail_start(run, cause, 0);
		goto out;
	}
	/* From here on failures are queued in the baseline. */
	if ((msg = note_base(&run->opts, conf)) != NULL &&
	    failnote_clear(msg, &cause) == -1) {
		log_warnx("%s", cause);
		free(cause);
		cause = NULL;
	}
	free(msg);
	r = 0;
out:
	free(cause);
	return r;
}

/* Begin the run's baseline transaction. */
int
run_begin(struct run *run, char **cause)
{
	return baseline_begin(run->bl, cause);
}

/* Commit it: the baseline and the queued records advance together. */
int
run_commit(struct run *run, char **cause)
{
	return baseline_commit(run->bl, cause);
}

/*
 * Queue an op=error record in the open transaction, from the run's
 * source (db NULL: about the run).
 */
int
run_queue_error(struct run *run, const char *db, const char *name,
    const char *msg, char **cause)
{
	struct buf	 rec;
	int		 r = -1;

	buf_init(&rec, RECORD_MAX);
	if (event_error_src(&rec, db, name, 0, msg, run->opts.src,
	    cause) == 0)
		r = baseline_outbox_add(run->bl, "error", rec.data, rec.len,
		    cause);
	buf_free(&rec);
	return r;
}

/*
 * Let go of the lock between batches (the follower), keeping the
 * baseline open: scans and reports take it meanwhile.
 */
void
run_unlock(struct run *run)
{
	baseline_unlock(run->lock);
	run->lock = -1;
}

/*
 * Take the lock again for a batch, as a follower (behind the runs
 * waiting for it), waiting up to wait seconds (-1: until a signal); with
 * mark, what is queued after this is the batch's own (its delivery
 * prints it), else the run's since run_open.
 */
int
run_lock(struct run *run, int wait, int mark, char **cause)
{
	if (run->lock != -1)
		return 0;
	if ((run->lock = baseline_lock_follow(run->conf->baseline, wait,
	    run->opts.stop, cause)) == -1)
		return -1;
	if (mark &&
	    baseline_outbox_last(run->bl, &run->after, cause) == -1) {
		run_unlock(run);
		return -1;
	}
	return 0;
}

/* Queue a run-level error in its own transaction and deliver it. */
static void
fail_queued(struct run *run, const char *msg)
{
	char	*cause = NULL;

	if (baseline_broken(run->bl)) {
		/* Write nothing more to a damaged or full baseline. */
		run_fail_direct(&run->opts, msg);
		return;
	}
	if (baseline_begin(run->bl, &cause) == -1 ||
	    run_queue_error(run, NULL, NULL, msg, &cause) == -1 ||
	    baseline_commit(run->bl, &cause) == -1) {
		/* Why it could not be queued, then msg itself, once. */
		baseline_rollback(run->bl);
		log_warnx("%s", cause);
		free(cause);
		run_fail_direct(&run->opts, msg);
		return;
	}
	log_warnx("%s", msg);
	drain(&run->opts, run->bl, run->after, &run->warned);
}

/*
 * The run cannot start because another of its kind runs (a second
 * follower): said directly, no note (the other one is running).
 */
void
run_fail_busy(struct run *run, const char *msg)
{
	fail_record(&run->opts, msg, 0);
}

/*
 * The run failed: roll back what it did and report msg, queued when the
 * baseline is open (and undamaged), else directly with the note.
 */
void
run_fail(struct run *run, const char *msg)
{
	char	*cause = NULL;

	if (run->bl == NULL) {
		fail_start(run, msg, 0);
		return;
	}
	baseline_rollback(run->bl);
	/* A follower between batches: queue it under the lock, or say it. */
	if (run->lock == -1 && run_lock(run, LOCK_WAIT, 0, &cause) == -1) {
		log_warnx("%s", cause);
		free(cause);
		run_fail_direct(&run->opts, msg);
		return;
	}
	fail_queued(run, msg);
}

/*
 * --progress: rows read so far, on standard error, once a second; the
 * last count of a table only when one was shown before it.
 */
static void
show_progress(void *arg, const char *db, const char *name, uint64_t rows,
    int done)
{
	int		*shown = arg;

	if (done && !*shown)
		return;
	log_progress(done, "%s.%s: %llu rows", db, name,
	    (unsigned long long)rows);
	*shown = !done;
}

static char *
invoking_user(void)
{
	struct passwd	*pw;

	if ((pw = getpwuid(getuid())) != NULL)
		return xstrdup(pw->pw_name);
	return xasprintf("uid%lu", (unsigned long)getuid());
}

/*
 * scan and reset: the tables named (all when none) scanned in one run,
 * each in a savepoint of its own, then delivered.
 */
enum run_result
run_scan(struct run *run, enum scan_mode mode, int argc, char **argv)
{
	const struct conf	 *conf = run->conf;
	const struct conf_table	**tables = NULL;
	const struct scan_stats	 *st;
	struct source		 *src = NULL, *monitor = NULL;
	struct scan		 *sc = NULL;
	struct recon		 *recon = NULL;
	struct scan_limits	  limits;
	size_t			  ntables, i;
	char			 *cause = NULL, *by = NULL, *msg;
	int			  r, shown = 0, printed;
	enum run_result		  rc = RUN_ERROR;

	if (conf_select(conf, argc, argv, &tables, &ntables, &cause) == -1) {
		fail_start(run, cause, 0);
		goto out;
	}
	if (run_open(run, mode == SCAN_RESET ? RUN_RESET : 0) == -1)
		goto out;
	if ((src = source_open(conf->defaults_file, conf->group,
	    &cause)) == NULL) {
		run_fail(run, cause);
		goto out;
	}
	by = invoking_user();
	sc = scan_create(src, run->bl, run->key, sizeof run->key, by,
	    run->opts.stop);
	memset(&limits, 0, sizeof limits);
	limits.max_rows_per_second = conf->max_rows_per_second;
	limits.max_threads_running = conf->max_threads_running;
	if (limits.max_threads_running != 0 && (monitor =
	    source_open(conf->defaults_file, conf->group, &cause)) == NULL) {
		run_fail(run, cause);
		goto out;
	}
	limits.monitor = monitor;
	scan_set_limits(sc, &limits);
	if (run->opts.progress)
		scan_set_progress(sc, show_progress, &shown);
	/*
	 * The log between the last scan's snapshot and this one's, read
	 * before any table (docs/BINLOG.md, "Reconciliation").
	 */
	recon = recon_create(conf, run->bl, run->key, sizeof run->key,
	    run->opts.stop);
	if (run_begin(run, &cause) == -1 ||
	    scan_begin(sc, &cause) == -1 ||
	    source_begin(src, &cause) == -1 ||
	    recon_begin(recon, src, tables, ntables, mode == SCAN_REPORT,
	    &cause) == -1) {
		run_fail(run, cause);
		goto out;
	}
	scan_set_recon(sc, recon);
	for (i = 0; i < ntables; i++) {
		r = scan_table(sc, tables[i], mode, &cause);
		if (r == 0)
			continue;
		msg = xasprintf("%s.%s: %s", tables[i]->db, tables[i]->name,
		    cause);
		if (r == SCAN_FATAL) {
			run_fail(run, msg);
			free(msg);
			goto out;
		}
		log_warnx("%s", msg);
		free(msg);
		msg = cause;
		cause = NULL;
		r = scan_error(run->bl, tables[i]->db, tables[i]->name, msg,
		    &cause);
		free(msg);
		if (r == -1) {
			run_fail(run, cause);
			goto out;
		}
	}
	if (*run->opts.stop) {
		run_fail(run, "interrupted by a signal");
		goto out;
	}
	/*
	 * A reset of every table also forgets the binary-log follower's
	 * position: its next run starts at the log's end (op=start), as
	 * after a position the server purged.
	 */
	if (source_end(src, &cause) == -1 || scan_end(sc, &cause) == -1 ||
	    (mode == SCAN_RESET && argc == 0 &&
	    baseline_follow_clear(run->bl, &cause) == -1) ||
	    run_commit(run, &cause) == -1) {
		run_fail(run, cause);
		goto out;
	}
	/*
	 * A run that could not start while this one held the lock (two cron
	 * runs overlapping) left a note: this run has covered it.
	 */
	if (failnote_clear(conf->baseline, &cause) == -1) {
		log_warnx("%s", cause);
		free(cause);
		cause = NULL;
	}
	st = scan_stats(sc);
	if (st->pauses > 0)
		log_warnx("paused %llu times, %.1f s in all, for "
		    "max-threads-running %lu", (unsigned long long)st->pauses,
		    st->paused, conf->max_threads_running);
	if ((printed = run_deliver(run)) == -1)
		goto out;
	/*
	 * Changes when this run found changes, or with --deliver printed
	 * records that an earlier run queued.
	 */
	if (st->errors > 0)
		rc = RUN_ERROR;
	else if (mode == SCAN_RESET)
		rc = RUN_NOCHANGE;
	else if (st->inserts + st->updates + st->deletes + st->events > 0 ||
	    printed)
		rc = RUN_CHANGES;
	else
		rc = RUN_NOCHANGE;
out:
	/* The key is wiped by run_free, after the scan that borrows it. */
	scan_free(sc);
	recon_free(recon);
	source_close(monitor);
	source_close(src);
	free(tables);
	free(by);
	free(cause);
	return rc;
}

/* A time for people: UTC, ISO 8601, or "-" for none. */
void
run_time(int64_t t, char *out, size_t len)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (t == 0 || gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, len, "-");
}

/*
 * The notes of a scan and of a follower that could not start, as direct
 * records: 1 for the scan's, 2 for the follower's, or both; 0 when none,
 * -1 on error (reported).
 */
static int
report_failnote(const struct run *run)
{
	struct failnote	 note;
	struct run_opts	 fo;
	char		*cause = NULL, *msg, *base, when[32];
	int		 r, noted;

	if ((noted = failnote_read(run->conf->baseline, &note,
	    &cause)) == -1) {
		run_fail_direct(&run->opts, cause);
		free(cause);
		return -1;
	}
	if (noted) {
		run_time(note.when, when, sizeof when);
		msg = xasprintf("the last scan (%s) could not run, and no scan "
		    "has since: %s", when, note.msg);
		fail_record(&run->opts, msg, note.tamper);
		free(msg);
		failnote_free(&note);
	}
	/* A follower that could not start: said too, never a skip. */
	base = xasprintf("%s.follow", run->conf->baseline);
	r = failnote_read(base, &note, &cause);
	free(base);
	if (r == -1) {
		run_fail_direct(&run->opts, cause);
		free(cause);
		return -1;
	}
	if (r == 1) {
		run_time(note.when, when, sizeof when);
		msg = xasprintf("the last follow run (%s) could not start, and "
		    "none has since: %s", when, note.msg);
		/* The follower's record (src=binlog: a gap in the log). */
		fo = run->opts;
		fo.src = "binlog";
		fail_record(&fo, msg, note.tamper);
		free(msg);
		failnote_free(&note);
	}
	return (noted ? 1 : 0) | (r == 1 ? 2 : 0);
}

/*
 * report: print what is queued, without touching the database; and, at
 * every run until a scan gets through, why the last scan could not run.
 */
enum run_result
run_report(struct run *run)
{
	const struct conf	*conf = run->conf;
	char			*cause = NULL, *msg;
	long long		 held;
	int			 r, noted, exists;
	enum run_result		 rc = RUN_ERROR;

	/* Only the SIEM's consumer takes records: refuse loudly, keep all. */
	if (!run->opts.deliver) {
		run_fail_direct(&run->opts, "report takes records off the "
		    "queue for the SIEM and runs only with --deliver, in the "
		    "command that the SIEM's agent runs (docs/OSSEC.md): "
		    "nothing was taken, dbsyscheck status counts what is "
		    "queued");
		goto out;
	}
	if ((noted = report_failnote(run)) == -1)
		goto out;
	if ((exists = baseline_exists(conf->baseline, &cause)) == -1) {
		run_fail_direct(&run->opts, cause);
		goto out;
	}
	if (!exists && key_present(conf)) {
		/* The scan's note says it already. */
		if (!(noted & 1)) {
			msg = missing_msg(conf);
			fail_record(&run->opts, msg, 1);
			free(msg);
		}
		goto out;
	}
	if ((run->lock = baseline_lock_wait(conf->baseline, LOCK_WAIT,
	    run->opts.stop, &held, &cause)) == -1 && held >= 0 &&
	    held < REPORT_LOCK_ALARM) {
		/*
		 * A scan is running: its records are printed by the next
		 * report. Only a lock held for long is worth an alert, or
		 * one that kept the last scan out (noted above).
		 */
		log_warnx("%s (for %lld s), nothing printed", cause, held);
		if (!noted)
			rc = RUN_NOCHANGE;
		goto out;
	}
	if (run->lock == -1 && held >= REPORT_LOCK_ALARM) {
		free(cause);
		cause = xasprintf("another dbsyscheck run has held the lock "
		    "%s.lock for %lld s", conf->baseline, held);
	}
	if (run->lock == -1 || (run->bl = baseline_open(conf->baseline, 0,
	    NULL, &cause)) == NULL) {
		run_fail_direct(&run->opts, cause);
		goto out;
	}
	if ((r = drain(&run->opts, run->bl, 0, NULL)) != -1 && !noted)
		rc = r == 1 ? RUN_CHANGES : RUN_NOCHANGE;
out:
	free(cause);
	return rc;
}

/* dbsyscheck: report inserted, updated and deleted rows of watched tables. */
#include "config.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <syslog.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "baseline.h"
#include "buf.h"
#include "conf.h"
#include "failnote.h"
#include "key.h"
#include "log.h"
#include "optfile.h"
#include "paths.h"
#include "record.h"
#include "report.h"
#include "rowenc.h"
#include "scan.h"
#include "source_mysql.h"
#include "triggers.h"
#include "util.h"
#include "xmalloc.h"

#define EXIT_NOCHANGE	0
#define EXIT_CHANGES	1
#define EXIT_ERROR	2

#define DEFAULT_MAX_BYTES	5400
#define REPORT_LOCK_ALARM	3600	/* a lock held longer is an error */

static volatile sig_atomic_t stop;

struct options {
	const char		*conffile;
	int			 test;
	int			 noreport;
	int			 deliver;	/* --deliver: the SIEM's consumer */
	int			 uninstall;	/* triggers --uninstall */
	int			 install;	/* triggers --install */
	int			 token_only;	/* triggers --token-only */
	const char		*admin_file;	/* triggers --admin-file */
	long long		 max_bytes;	/* -1: by terminal */
	enum report_format	 format;
	const char		*logfile;	/* --log */
	int			 logfd;
	int			 use_syslog;	/* --syslog */
	int			 progress;	/* --progress, or a terminal */
	char			 host[256];
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: dbsyscheck [-htV] [-c file] [--format text|json] "
	    "[--deliver] [--log file]\n"
	    "                  [--max-bytes n] [--no-report] [--progress] "
	    "[--syslog]\n"
	    "                  [scan | reset | status | report] "
	    "[db.table ...]\n"
	    "       dbsyscheck [-c file] token\n"
	    "       dbsyscheck [-c file] triggers [--install "
	    "[--admin-file file]]\n"
	    "                  [--uninstall | --token-only] "
	    "[db.table ...]\n");
}

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* No core dumps (they would hold the key), SIGPIPE as EPIPE, clean stops. */
static void
setup_process(void)
{
	struct rlimit		 rl = { 0, 0 };
	struct sigaction	 sa;

	umask(077);
	/*
	 * Credentials come from the option file only: the client library
	 * would take a password and a server from these.
	 */
	if (getenv("MYSQL_PWD") != NULL)
		log_warnx("MYSQL_PWD is set: ignoring it (passwords belong in "
		    "the option file)");
	unsetenv("MYSQL_PWD");
	unsetenv("MYSQL_HOST");
	unsetenv("MYSQL_TCP_PORT");
	unsetenv("MYSQL_UNIX_PORT");
	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/* Past a file-size limit, writes fail with EFBIG instead. */
	sigaction(SIGXFSZ, &sa, NULL);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static void
report_opts(const struct options *o, struct report_opts *ro)
{
	ro->fd = STDOUT_FILENO;
	ro->format = o->format;
	ro->logfd = o->logfd;
	ro->use_syslog = o->use_syslog;
	ro->host = o->host;
	if (o->max_bytes >= 0)
		ro->max_bytes = (size_t)o->max_bytes;
	else
		ro->max_bytes = isatty(STDOUT_FILENO) ? 0 : DEFAULT_MAX_BYTES;
}

/*
 * Report an error that cannot be queued: stderr and one record; with
 * tamper, the record says baseline=tampered (rules raise it as tampering).
 */
static void
fail_record(const struct options *o, const char *msg, int tamper)
{
	struct report_opts	 ro;
	struct buf		 rec;
	char			*cause = NULL;

	log_warnx("%s", msg);
	report_opts(o, &ro);
	buf_init(&rec, RECORD_MAX);
	if (record_error(&rec, NULL, NULL, tamper, msg, "scan") == 0 &&
	    report_direct(&ro, rec.data, rec.len, &cause) == -1) {
		log_warnx("%s", cause);
		free(cause);
	}
	buf_free(&rec);
}

static void
fail_direct(const struct options *o, const char *msg)
{
	fail_record(o, msg, 0);
}

/*
 * A scan that cannot start: its record, and the note that report repeats
 * until a scan gets as far as the baseline.
 */
static void
fail_start(const struct options *o, const struct conf *conf,
    const char *msg, int tamper)
{
	char	*cause = NULL;

	fail_record(o, msg, tamper);
	if (failnote_write(conf->baseline, tamper, msg, &cause) == -1) {
		log_warnx("%s", cause);
		free(cause);
	}
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
drain(const struct options *o, struct baseline *bl, int64_t after)
{
	struct report_opts	 ro;
	struct baseline_counts	 all, own;
	size_t			 printed = 0;
	char			*cause = NULL;
	int			 r, sinks;

	sinks = o->logfd != -1 || o->use_syslog;
	report_opts(o, &ro);
	r = report_sink(bl, &ro, &cause);
	if (r == 0 && !o->noreport && o->deliver)
		r = report_drain(bl, &ro, &printed, &cause);
	else if (r == 0 && !o->noreport)
		r = report_copy(bl, &ro, after, &printed, &cause);
	else if (r == 0 && sinks)
		r = report_drop_sunk(bl, &cause);
	/* Not the consumer: say when earlier runs' records still wait. */
	if (r == 0 && !o->deliver && !(o->noreport && sinks) &&
	    (r = baseline_outbox_counts(bl, 0, &all, &cause)) == 0 &&
	    (r = baseline_outbox_counts(bl, after, &own, &cause)) == 0 &&
	    all.total > own.total)
		log_warnx("%llu record%s queued by earlier runs still wait%s "
		    "for the SIEM's consumer, a run with --deliver or with "
		    "--no-report and --log (dbsyscheck status counts them, "
		    "docs/OSSEC.md sets one up)",
		    (unsigned long long)(all.total - own.total),
		    all.total - own.total == 1 ? "" : "s",
		    all.total - own.total == 1 ? "s" : "");
	if (r == -1) {
		log_warnx("%s", cause);
		free(cause);
		return -1;
	}
	return printed > 0;
}

static void	 status_name(struct buf *, const char *, const char *);
static void	 status_time(int64_t, char *, size_t);

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

/*
 * Open the --log file for appending, checked like every file we open. One
 * we create is 0600: records name key values and tables, and the log
 * readers (OSSEC's logcollector, syslog daemons) run as root.
 */
static int
open_log(const char *path, char **cause)
{
	int	 fd;

	fd = util_open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL, 0600, 0,
	    cause);
	if (fd != -1 || errno != EEXIST)
		return fd;
	free(*cause);
	*cause = NULL;
	return util_open(path, O_WRONLY | O_APPEND, 0, 0, cause);
}

/* A scan that fails before its configuration is read leaves a note too. */
static void
note_early(const char *conffile, const char *msg)
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

static char *
invoking_user(void)
{
	struct passwd	*pw;

	if ((pw = getpwuid(getuid())) != NULL)
		return xstrdup(pw->pw_name);
	return xasprintf("uid%lu", (unsigned long)getuid());
}

/*
 * An option file holding credentials, and its includes, before the client
 * library reads them: the checks of the scanner's own.
 */
static int
check_option_file(const char *path, char **cause)
{
	return optfile_check(path, cause);
}

static int
check_defaults_file(const struct conf *conf, char **cause)
{
	if (conf->defaults_file == NULL)
		return 0;
	return check_option_file(conf->defaults_file, cause);
}

/* The watched tables to work on: all, or those named (which must be). */
static int
select_tables(const struct conf *conf, int argc, char **argv,
    const struct conf_table ***out, size_t *n, char **cause)
{
	const struct conf_table	**list;
	struct conf_table	 *t;
	char			 *db, *name;
	size_t			  i;
	int			  a;

	list = xcalloc(conf->ntables + (size_t)argc + 1, sizeof *list);
	*n = 0;
	if (argc == 0) {
		for (i = 0; i < conf->ntables; i++)
			list[(*n)++] = &conf->tables[i];
		*out = list;
		return 0;
	}
	for (a = 0; a < argc; a++) {
		if (conf_parse_table(argv[a], strlen(argv[a]), &db, &name,
		    cause) == -1)
			goto fail;
		t = conf_find_table(conf, db, name);
		free(db);
		free(name);
		if (t == NULL) {
			*cause = xasprintf("%s: not a watched table in %s",
			    argv[a], conf->path);
			goto fail;
		}
		for (i = 0; i < *n; i++) {
			if (list[i] == t)
				break;
		}
		if (i == *n)
			list[(*n)++] = t;
	}
	*out = list;
	return 0;

fail:
	free(list);
	return -1;
}

static void
keycheck_of(const unsigned char *key, unsigned char out[BASELINE_KEYCHECK_LEN])
{
	unsigned char	 mac[ROWENC_MAC_LEN];
	char		*cause = NULL;

	if (rowenc_mac(key, KEY_LEN, "dbsyscheck key check v1", "", 0, mac,
	    &cause) == -1) {
		free(cause);
		memset(mac, 0, sizeof mac);
	}
	memcpy(out, mac, BASELINE_KEYCHECK_LEN);
}

/* Queue a run-level error in its own transaction and deliver it. */
static void
fail_queued(const struct options *o, struct baseline *bl, int64_t after,
    const char *msg)
{
	char	*cause = NULL;

	if (baseline_broken(bl)) {
		/* Write nothing more to a damaged or full baseline. */
		fail_direct(o, msg);
		return;
	}
	log_warnx("%s", msg);
	if (baseline_begin(bl, &cause) == -1 ||
	    scan_error(bl, NULL, NULL, msg, &cause) == -1 ||
	    baseline_commit(bl, &cause) == -1) {
		baseline_rollback(bl);
		log_warnx("%s", cause);
		free(cause);
		fail_direct(o, msg);
		return;
	}
	drain(o, bl, after);
}

/* scan and reset. */
static int
cmd_scan(const struct options *o, struct conf *conf, enum scan_mode mode,
    int argc, char **argv)
{
	const struct conf_table	**tables = NULL;
	const struct scan_stats	 *st;
	struct baseline		 *bl = NULL;
	struct source		 *src = NULL, *monitor = NULL;
	struct scan		 *sc = NULL;
	struct scan_limits	  limits;
	unsigned char		  key[KEY_LEN], kc[BASELINE_KEYCHECK_LEN];
	int64_t			  after = 0;
	size_t			  ntables, i;
	char			 *cause = NULL, *by = NULL, *msg;
	int			  lock = -1, exists, r, rc = EXIT_ERROR;
	int			  keyloaded = 0, shown = 0, printed;

	if (select_tables(conf, argc, argv, &tables, &ntables, &cause) == -1 ||
	    check_defaults_file(conf, &cause) == -1 ||
	    util_mkdir_parent(conf->baseline, &cause) == -1 ||
	    (lock = baseline_lock(conf->baseline, NULL, &cause)) == -1 ||
	    (exists = baseline_exists(conf->baseline, &cause)) == -1) {
		fail_start(o, conf, cause, 0);
		goto out;
	}
	/* Only reset, by hand, makes a new baseline for an old key. */
	if (!exists && mode == SCAN_REPORT && key_present(conf)) {
		msg = missing_msg(conf);
		fail_start(o, conf, msg, 1);
		free(msg);
		goto out;
	}
	if (key_load(conf->key, !exists, key, &cause) == -1) {
		fail_start(o, conf, cause, 0);
		goto out;
	}
	keyloaded = 1;
	keycheck_of(key, kc);
	if ((bl = baseline_open(conf->baseline, BASELINE_CREATE, kc,
	    &cause)) == NULL) {
		fail_start(o, conf, cause, 0);
		goto out;
	}
	/* What is queued after this is the run's own. */
	if (baseline_outbox_last(bl, &after, &cause) == -1) {
		log_warnx("%s", cause);
		fail_direct(o, cause);
		goto out;
	}
	/* From here on failures are queued in the baseline. */
	if (failnote_clear(conf->baseline, &cause) == -1) {
		log_warnx("%s", cause);
		free(cause);
		cause = NULL;
	}
	if ((src = source_open(conf->defaults_file, conf->group,
	    &cause)) == NULL) {
		fail_queued(o, bl, after, cause);
		goto out;
	}
	by = invoking_user();
	sc = scan_create(src, bl, key, sizeof key, by, &stop);
	memset(&limits, 0, sizeof limits);
	limits.max_rows_per_second = conf->max_rows_per_second;
	limits.max_threads_running = conf->max_threads_running;
	if (limits.max_threads_running != 0 && (monitor =
	    source_open(conf->defaults_file, conf->group, &cause)) == NULL) {
		fail_queued(o, bl, after, cause);
		goto out;
	}
	limits.monitor = monitor;
	scan_set_limits(sc, &limits);
	if (o->progress)
		scan_set_progress(sc, show_progress, &shown);
	if (baseline_begin(bl, &cause) == -1 ||
	    scan_begin(sc, &cause) == -1 ||
	    source_begin(src, &cause) == -1) {
		baseline_rollback(bl);
		fail_queued(o, bl, after, cause);
		goto out;
	}
	for (i = 0; i < ntables; i++) {
		r = scan_table(sc, tables[i], mode, &cause);
		if (r == 0)
			continue;
		msg = xasprintf("%s.%s: %s", tables[i]->db, tables[i]->name,
		    cause);
		if (r == SCAN_FATAL) {
			baseline_rollback(bl);
			fail_queued(o, bl, after, msg);
			free(msg);
			goto out;
		}
		log_warnx("%s", msg);
		free(msg);
		msg = cause;
		cause = NULL;
		r = scan_error(bl, tables[i]->db, tables[i]->name, msg,
		    &cause);
		free(msg);
		if (r == -1) {
			baseline_rollback(bl);
			fail_queued(o, bl, after, cause);
			goto out;
		}
	}
	if (stop) {
		baseline_rollback(bl);
		fail_queued(o, bl, after, "interrupted by a signal");
		goto out;
	}
	if (source_end(src, &cause) == -1 || scan_end(sc, &cause) == -1 ||
	    baseline_commit(bl, &cause) == -1) {
		baseline_rollback(bl);
		fail_queued(o, bl, after, cause);
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
	if ((printed = drain(o, bl, after)) == -1)
		goto out;
	/*
	 * 1 when this run found changes, or with --deliver printed records
	 * that an earlier run queued.
	 */
	if (st->errors > 0)
		rc = EXIT_ERROR;
	else if (mode == SCAN_RESET)
		rc = EXIT_NOCHANGE;
	else if (st->inserts + st->updates + st->deletes + st->events > 0 ||
	    printed)
		rc = EXIT_CHANGES;
	else
		rc = EXIT_NOCHANGE;
out:
	if (keyloaded)
		util_wipe(key, sizeof key);
	scan_free(sc);
	source_close(monitor);
	source_close(src);
	baseline_close(bl);
	baseline_unlock(lock);
	free(tables);
	free(by);
	free(cause);
	return rc;
}

/*
 * The note of a scan that could not run, as a direct record: 1 when there
 * was one, 0 when not, -1 on error (reported).
 */
static int
report_failnote(const struct options *o, const struct conf *conf)
{
	struct failnote	 note;
	char		*cause = NULL, *msg, when[32];
	int		 r;

	if ((r = failnote_read(conf->baseline, &note, &cause)) == -1) {
		fail_direct(o, cause);
		free(cause);
		return -1;
	}
	if (r == 0)
		return 0;
	status_time(note.when, when, sizeof when);
	msg = xasprintf("the last scan (%s) could not run, and no scan has "
	    "since: %s", when, note.msg);
	fail_record(o, msg, note.tamper);
	free(msg);
	failnote_free(&note);
	return 1;
}

/*
 * report: print what is queued, without touching the database; and, at
 * every run until a scan gets through, why the last scan could not run.
 */
static int
cmd_report(const struct options *o, struct conf *conf)
{
	struct baseline	*bl = NULL;
	char		*cause = NULL, *msg;
	long long	 held;
	int		 lock = -1, r, rc = EXIT_ERROR, noted, exists;

	/* Only the SIEM's consumer takes records: refuse loudly, keep all. */
	if (!o->deliver) {
		fail_direct(o, "report takes records off the queue for the "
		    "SIEM and runs only with --deliver, in the command that "
		    "the SIEM's agent runs (docs/OSSEC.md): nothing was taken, "
		    "dbsyscheck status counts what is queued");
		goto out;
	}
	if ((noted = report_failnote(o, conf)) == -1)
		goto out;
	if ((exists = baseline_exists(conf->baseline, &cause)) == -1) {
		fail_direct(o, cause);
		goto out;
	}
	if (!exists && key_present(conf)) {
		if (!noted) {
			msg = missing_msg(conf);
			fail_record(o, msg, 1);
			free(msg);
		}
		goto out;
	}
	if ((lock = baseline_lock(conf->baseline, &held, &cause)) == -1 &&
	    held >= 0 && held < REPORT_LOCK_ALARM) {
		/*
		 * A scan is running: its records are printed by the next
		 * report. Only a lock held for long is worth an alert, or
		 * one that kept the last scan out (noted above).
		 */
		log_warnx("%s (for %lld s), nothing printed", cause, held);
		if (!noted)
			rc = EXIT_NOCHANGE;
		goto out;
	}
	if (lock == -1 && held >= REPORT_LOCK_ALARM) {
		free(cause);
		cause = xasprintf("another dbsyscheck run has held the lock "
		    "%s.lock for %lld s", conf->baseline, held);
	}
	if (lock == -1 ||
	    (bl = baseline_open(conf->baseline, 0, NULL, &cause)) == NULL) {
		fail_direct(o, cause);
		goto out;
	}
	if ((r = drain(o, bl, 0)) != -1 && !noted)
		rc = r == 1 ? EXIT_CHANGES : EXIT_NOCHANGE;
out:
	baseline_close(bl);
	baseline_unlock(lock);
	free(cause);
	return rc;
}

struct status_ctx {
	const struct conf	*conf;
	int			 shown;
};

static void
status_time(int64_t t, char *out, size_t len)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (t == 0 || gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, len, "-");
}

static void
status_name(struct buf *b, const char *db, const char *name)
{
	record_pct(b, db, strlen(db), RECORD_IDENT);
	buf_addc(b, '.');
	record_pct(b, name, strlen(name), RECORD_IDENT);
}

/* status: per watched table, what the baseline holds. */
static int
cmd_status(const struct options *o, struct conf *conf, int argc, char **argv)
{
	const struct conf_table	**tables = NULL;
	struct baseline_entry	  e;
	struct baseline_counts	  q;
	struct baseline		 *bl = NULL;
	struct failnote		  note;
	struct buf		  b;
	char			 *cause = NULL, when[32];
	unsigned long		  rps;
	size_t			  ntables, i, j;
	int			  r, rc = EXIT_ERROR, exists, noted;

	(void)o;
	if (select_tables(conf, argc, argv, &tables, &ntables, &cause) == -1 ||
	    (exists = baseline_exists(conf->baseline, &cause)) == -1) {
		log_warnx("%s", cause);
		goto out;
	}
	if (!exists && key_present(conf)) {
		cause = missing_msg(conf);
		log_warnx("%s", cause);
		goto out;
	}
	if ((bl = baseline_open(conf->baseline, BASELINE_READONLY, NULL,
	    &cause)) == NULL) {
		log_warnx("%s", cause);
		goto out;
	}
	buf_init(&b, BUF_NOCAP);
	for (i = 0; i < ntables; i++) {
		buf_reset(&b);
		buf_adds(&b, "table ");
		status_name(&b, tables[i]->db, tables[i]->name);
		r = baseline_table_get(bl, tables[i]->db, tables[i]->name, &e,
		    &cause);
		if (r == -1) {
			buf_free(&b);
			log_warnx("%s", cause);
			goto out;
		}
		if (r == 0) {
			printf("%s never-scanned\n", buf_str(&b));
			continue;
		}
		status_time(e.last_scan, when, sizeof when);
		buf_printf(&b, " rows=%lld last-scan=%s state=%s "
		    "fingerprint=", (long long)e.nrows, when,
		    e.state == BASELINE_MISSING ? "missing" : "present");
		for (j = 0; j < 8; j++)
			buf_printf(&b, "%02x", e.fp[j]);
		rps = tables[i]->max_rows_per_second != 0 ?
		    tables[i]->max_rows_per_second : conf->max_rows_per_second;
		buf_printf(&b, " chunk=%lu max-rows-per-second=%lu",
		    tables[i]->chunk, rps);
		printf("%s\n", buf_str(&b));
		baseline_entry_clear(&e);
	}
	buf_free(&b);
	if (baseline_outbox_counts(bl, 0, &q, &cause) == -1) {
		log_warnx("%s", cause);
		goto out;
	}
	printf("queued records=%llu\n", (unsigned long long)q.total);
	printf("max-threads-running=%lu\n", conf->max_threads_running);
	/* A scan that could not start since the last that did: an error. */
	if ((noted = failnote_read(conf->baseline, &note, &cause)) == -1) {
		log_warnx("%s", cause);
		goto out;
	}
	if (noted) {
		status_time(note.when, when, sizeof when);
		buf_init(&b, BUF_NOCAP);
		if (record_pct(&b, note.msg, strlen(note.msg), RECORD_TEXT) ==
		    -1 || b.data == NULL) {
			buf_free(&b);
			failnote_free(&note);
			cause = xstrdup("out of memory");
			log_warnx("%s", cause);
			goto out;
		}
		printf("failed-scan=%s msg=%s\n", when, buf_str(&b));
		buf_free(&b);
		failnote_free(&note);
	}
	if (fflush(stdout) == 0 && !noted)
		rc = EXIT_NOCHANGE;
out:
	baseline_close(bl);
	free(tables);
	free(cause);
	return rc;
}

/*
 * BASELINE and SUFFIX, a file a run makes next to the baseline: missing,
 * or a regular file (runs open it without following links) that passes
 * util_check_path, as its directories must.
 */
static int
check_state_file(const char *baseline, const char *suffix, char **cause)
{
	struct stat	 st;
	char		*path;
	int		 missing, r = -1;

	path = xasprintf("%s%s", baseline, suffix);
	if ((missing = lstat(path, &st) == -1) && errno != ENOENT)
		*cause = xasprintf("%s: %s", path, strerror(errno));
	else if (!missing && !S_ISREG(st.st_mode))
		*cause = xasprintf("%s: not a regular file", path);
	else if (util_check_path(path, UTIL_MAYBE, cause) != -1)
		r = 0;
	free(path);
	return r;
}

/*
 * The baseline's directory: 0 when it exists, 1 when it is missing and
 * the first scan would make it (its parents pass util_check_path), -1
 * when it is unusable.
 */
static int
check_state_dir(const char *baseline, char **cause)
{
	struct stat	 st;
	char		*dir, *slash;
	int		 r = 0;

	dir = xstrdup(baseline);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (stat(dir, &st) == -1 && errno == ENOENT) {
			r = util_check_path(dir, UTIL_DIR | UTIL_MAYBE, cause);
			if (r != -1)
				r = 1;
		}
	}
	free(dir);
	return r;
}

/* -t: the configuration parses, files are safe, every table is usable. */
static int
cmd_test(struct conf *conf)
{
	struct source	*src = NULL;
	struct schema	*s;
	unsigned char	 key[KEY_LEN];
	char		*cause = NULL;
	size_t		 i;
	int		 r, rc = EXIT_ERROR, bad = 0;

	if (check_defaults_file(conf, &cause) == -1)
		goto out;
	/*
	 * Where a run would keep its state: the checks of every run. A
	 * missing state directory is one the first scan makes (the
	 * directories above it must be there and safe).
	 */
	if ((r = check_state_dir(conf->baseline, &cause)) == -1 ||
	    (r == 0 && (baseline_exists(conf->baseline, &cause) == -1 ||
	    check_state_file(conf->baseline, ".lock", &cause) == -1 ||
	    check_state_file(conf->baseline, ".failed", &cause) == -1)))
		goto out;
	r = key_load(conf->key, 0, key, &cause);
	util_wipe(key, sizeof key);
	if (r == -1 && access(conf->key, F_OK) == 0)
		goto out;
	free(cause);
	cause = NULL;
	if ((src = source_open(conf->defaults_file, conf->group,
	    &cause)) == NULL)
		goto out;
	for (i = 0; i < conf->ntables; i++) {
		r = source_describe(src, conf->tables[i].db,
		    conf->tables[i].name, &s, &cause);
		if (r == 0 && schema_apply_conf(s, &conf->tables[i],
		    &cause) == -1)
			r = -1;
		if (r == 0 && conf->tables[i].chunk != 0 &&
		    schema_chunkable(s, &cause) == -1)
			r = -1;
		if (r == 1)
			cause = xstrdup("no such table, or no privilege");
		if (r != 0) {
			log_warnx("%s:%d: %s.%s: %s", conf->path,
			    conf->tables[i].line, conf->tables[i].db,
			    conf->tables[i].name, cause);
			free(cause);
			cause = NULL;
			bad = 1;
		}
		schema_free(s);
	}
	if (!bad) {
		log_warnx("%s: configuration OK, server %s, %zu table%s",
		    conf->path, source_server(src), conf->ntables,
		    conf->ntables == 1 ? "" : "s");
		rc = EXIT_NOCHANGE;
	}
out:
	if (cause != NULL)
		log_warnx("%s", cause);
	free(cause);
	source_close(src);
	return rc;
}

/* token: create the trigger token file, or rotate it. */
static int
cmd_token(struct conf *conf)
{
	char	*cause = NULL;
	int	 r;

	if ((r = triggers_token_write(conf->trigger_token, &cause)) == -1) {
		log_warnx("%s", cause);
		free(cause);
		return EXIT_ERROR;
	}
	/* Messages hold no ';' or '=': log_warnx() would encode them. */
	if (r == 0)
		log_warnx("%s: token created, let the server's account read it "
		    "(chgrp mysql)", conf->trigger_token);
	else
		log_warnx("%s: token rotated: restart the server (it reads the "
		    "token when it loads the UDF library), then store it with "
		    "dbsyscheck triggers --install --token-only",
		    conf->trigger_token);
	/* The library reads its compiled-in file unless told otherwise. */
	if (strcmp(conf->trigger_token, DBSC_UDF_TOKEN_FILE) != 0)
		log_warnx("%s: not the UDF's default token file %s, so set "
		    "DBSYSCHECK_UDF_TOKEN to this path in the server's "
		    "environment", conf->trigger_token, DBSC_UDF_TOKEN_FILE);
	return EXIT_NOCHANGE;
}

/* Print mode: each statement with its ';', comments on lines of their own. */
static int
triggers_print(void *arg, int kind, const char *text, size_t len,
    char **cause)
{
	struct buf	*b = arg;

	if ((kind == TRIGGERS_COMMENT && b->len > 0 &&
	    buf_addc(b, '\n') == -1) || buf_add(b, text, len) == -1 ||
	    buf_adds(b, kind == TRIGGERS_COMMENT ? "\n" : ";\n") == -1) {
		*cause = xstrdup("cannot build the trigger SQL");
		return -1;
	}
	return 0;
}

/* Install mode: each statement run by itself; comments dropped. */
static int
triggers_run(void *arg, int kind, const char *text, size_t len,
    char **cause)
{
	struct source	*src = arg;

	if (kind == TRIGGERS_COMMENT)
		return 0;
	if (source_exec(src, text, len, kind == TRIGGERS_SECRET,
	    cause) == -1) {
		if (kind == TRIGGERS_SECRET) {
			char	*c = *cause;

			*cause = xasprintf("storing the token in %s.%s: %s",
			    TRIGGERS_SECRET_DB, TRIGGERS_SECRET_TABLE, c);
			free(c);
		}
		return -1;
	}
	return 0;
}

/*
 * triggers: the SQL installing (or with --uninstall dropping) the triggers
 * of the watched tables, and storing the token where they read it.
 * Printed for a client program, or with --install run statement by
 * statement on a connection made with an administrator's option file;
 * nothing at all is printed or run unless every table is described.
 * Printing the drops needs neither the token nor the server.
 */
static int
cmd_triggers(const struct options *o, struct conf *conf, int argc,
    char **argv)
{
	const struct conf_table	**tables = NULL;
	struct source		 *src = NULL;
	struct schema		**schemas = NULL;
	struct buf		  sql;
	char			  token[TRIGGERS_TOKEN_LEN + 1];
	char			 *cause = NULL;
	const char		 *admin = NULL;
	triggers_cb		  cb = triggers_print;
	void			 *arg = &sql;
	size_t			  ntables = 0, i;
	int			  r, flags = 0, rc = EXIT_ERROR;

	memset(token, 0, sizeof token);
	buf_init(&sql, BUF_NOCAP);
	if (o->uninstall)
		flags |= TRIGGERS_UNINSTALL;
	if (!o->install)
		flags |= TRIGGERS_PRINT;
	if (o->token_only && argc > 0) {
		cause = xstrdup("--token-only takes no table names");
		goto out;
	}
	if (!o->token_only && select_tables(conf, argc, argv, &tables,
	    &ntables, &cause) == -1)
		goto out;
	if (!o->uninstall && triggers_token_load(conf->trigger_token, token,
	    &cause) == -1)
		goto out;
	if (o->install) {
		admin = o->admin_file != NULL ? o->admin_file :
		    conf->trigger_admin_file;
		if (admin == NULL) {
			cause = xstrdup("--install needs an administrator's "
			    "option file: --admin-file FILE, or "
			    "trigger-admin-file in the configuration");
			goto out;
		}
		if (check_option_file(admin, &cause) == -1 ||
		    (src = source_open(admin, "client", &cause)) == NULL)
			goto out;
		cb = triggers_run;
		arg = src;
	} else if (!o->uninstall && !o->token_only) {
		if (check_defaults_file(conf, &cause) == -1 ||
		    (src = source_open(conf->defaults_file, conf->group,
		    &cause)) == NULL)
			goto out;
	}
	/* Every table first: nothing is printed or run unless all work. */
	schemas = xcalloc(ntables + 1, sizeof *schemas);
	for (i = 0; i < ntables; i++) {
		if (src == NULL || o->uninstall) {
			schemas[i] = schema_create(tables[i]->db,
			    tables[i]->name);
			continue;
		}
		r = source_describe(src, tables[i]->db, tables[i]->name,
		    &schemas[i], &cause);
		if (r == 1)
			cause = xstrdup("no such table, or no privilege");
		if (r == 0 && schema_apply_conf(schemas[i], tables[i],
		    &cause) == -1)
			r = -1;
		if (r != 0) {
			log_warnx("%s.%s: %s", tables[i]->db,
			    tables[i]->name, cause);
			free(cause);
			cause = NULL;
			goto out;
		}
	}
	/* With --install the tables are described by the admin's account. */
	if (!o->install && src != NULL) {
		source_close(src);
		src = NULL;
	}
	if (!o->install) {
		/* Refuse what cannot be printed before printing anything. */
		for (i = 0; i < ntables; i++) {
			if (triggers_sql(schemas[i], flags, triggers_print,
			    &sql, &cause) == -1)
				goto out;
		}
		if (sql.data != NULL)
			util_wipe(sql.data, sql.len);
		buf_reset(&sql);
	}
	if (triggers_preamble(cb, arg, &cause) == -1 ||
	    (!o->uninstall && triggers_secret(token, cb, arg, &cause) == -1))
		goto out;
	for (i = 0; i < ntables; i++) {
		if (triggers_sql(schemas[i], flags, cb, arg, &cause) == -1)
			goto out;
	}
	if (o->install) {
		log_warnx("%s: %zu table%s: %s", admin, ntables,
		    ntables == 1 ? "" : "s", o->uninstall ?
		    "triggers dropped" : o->token_only ? "token stored" :
		    "token stored, triggers installed");
	} else if (fwrite(sql.data, 1, sql.len, stdout) != sql.len ||
	    fflush(stdout) != 0) {
		cause = xasprintf("standard output: %s", strerror(errno));
		goto out;
	}
	rc = EXIT_NOCHANGE;
out:
	if (cause != NULL)
		log_warnx("%s", cause);
	free(cause);
	if (sql.data != NULL)
		util_wipe(sql.data, sql.len);
	buf_free(&sql);
	util_wipe(token, sizeof token);
	source_close(src);
	if (schemas != NULL) {
		for (i = 0; i < ntables; i++)
			schema_free(schemas[i]);
		free(schemas);
	}
	free(tables);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config",	required_argument,	NULL, 'c' },
		{ "deliver",	no_argument,		NULL, 'd' },
		{ "format",	required_argument,	NULL, 'f' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "log",	required_argument,	NULL, 'l' },
		{ "progress",	no_argument,		NULL, 'p' },
		{ "syslog",	no_argument,		NULL, 's' },
		{ "max-bytes",	required_argument,	NULL, 'm' },
		{ "no-report",	no_argument,		NULL, 'n' },
		{ "uninstall",	no_argument,		NULL, 'u' },
		{ "install",	no_argument,		NULL, 'i' },
		{ "token-only",	no_argument,		NULL, 'k' },
		{ "admin-file",	required_argument,	NULL, 'a' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	struct options	 o;
	struct conf	*conf;
	const char	*cmd = "scan", *errstr;
	char		*cause = NULL;
	int		 ch, rc;

	memset(&o, 0, sizeof o);
	o.conffile = DBSC_SYSCONFDIR "/dbsyscheck.conf";
	o.max_bytes = -1;
	o.logfd = -1;
	while ((ch = getopt_long(argc, argv, "c:htV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			o.conffile = optarg;
			break;
		case 'd':
			o.deliver = 1;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				o.format = REPORT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				o.format = REPORT_JSON;
			else {
				log_warnx("--format: text or json, not %s",
				    optarg);
				return EXIT_ERROR;
			}
			break;
		case 'h':
			usage(stdout);
			return EXIT_NOCHANGE;
		case 'm':
			o.max_bytes = util_strtonum(optarg, 0, 1LL << 40,
			    &errstr);
			if (errstr == NULL && o.max_bytes != 0 &&
			    o.max_bytes < REPORT_MIN_BYTES)
				errstr = "too small";
			if (errstr != NULL) {
				log_warnx("--max-bytes %s: %s (0 = unlimited, "
				    "else at least %d)", optarg, errstr,
				    REPORT_MIN_BYTES);
				return EXIT_ERROR;
			}
			break;
		case 'l':
			o.logfile = optarg;
			break;
		case 'n':
			o.noreport = 1;
			break;
		case 'p':
			o.progress = 1;
			break;
		case 's':
			o.use_syslog = 1;
			break;
		case 't':
			o.test = 1;
			break;
		case 'u':
			o.uninstall = 1;
			break;
		case 'i':
			o.install = 1;
			break;
		case 'k':
			o.token_only = 1;
			break;
		case 'a':
			o.admin_file = optarg;
			break;
		case 'V':
			printf("dbsyscheck %s\n", PACKAGE_VERSION);
			return EXIT_NOCHANGE;
		default:
			usage(stderr);
			return EXIT_ERROR;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 0 && strchr(argv[0], '.') == NULL) {
		cmd = argv[0];
		argc--;
		argv++;
	}
	if (strcmp(cmd, "scan") != 0 && strcmp(cmd, "reset") != 0 &&
	    strcmp(cmd, "status") != 0 && strcmp(cmd, "report") != 0 &&
	    strcmp(cmd, "token") != 0 && strcmp(cmd, "triggers") != 0) {
		log_warnx("unknown command %s", cmd);
		usage(stderr);
		return EXIT_ERROR;
	}
	if (strcmp(cmd, "report") == 0 && argc > 0) {
		log_warnx("report takes no table names");
		return EXIT_ERROR;
	}
	if (strcmp(cmd, "token") == 0 && argc > 0) {
		log_warnx("token takes no table names");
		return EXIT_ERROR;
	}
	if ((o.uninstall || o.install || o.token_only ||
	    o.admin_file != NULL) && strcmp(cmd, "triggers") != 0) {
		log_warnx("--uninstall, --install, --token-only and "
		    "--admin-file go with triggers only");
		return EXIT_ERROR;
	}
	if (o.deliver && strcmp(cmd, "scan") != 0 &&
	    strcmp(cmd, "reset") != 0 && strcmp(cmd, "report") != 0) {
		log_warnx("--deliver goes with scan, reset and report only");
		return EXIT_ERROR;
	}
	if (o.uninstall && o.token_only) {
		log_warnx("--uninstall and --token-only exclude each other");
		return EXIT_ERROR;
	}
	if (o.admin_file != NULL && !o.install) {
		log_warnx("--admin-file goes with --install");
		return EXIT_ERROR;
	}

	setup_process();
	if (isatty(STDERR_FILENO))
		o.progress = 1;
	if (gethostname(o.host, sizeof o.host) == -1 || o.host[0] == '\0')
		snprintf(o.host, sizeof o.host, "localhost");
	o.host[sizeof o.host - 1] = '\0';
	if (o.logfile != NULL &&
	    (o.logfd = open_log(o.logfile, &cause)) == -1) {
		if (strcmp(cmd, "scan") == 0 || strcmp(cmd, "reset") == 0)
			note_early(o.conffile, cause);
		fail_direct(&o, cause);
		free(cause);
		return EXIT_ERROR;
	}
	if (o.use_syslog)
		openlog("dbsyscheck", LOG_PID, LOG_DAEMON);
	if ((conf = conf_load(o.conffile, &cause)) == NULL) {
		/* Records only where standard output carries records. */
		if (o.test || strcmp(cmd, "status") == 0 ||
		    strcmp(cmd, "token") == 0 || strcmp(cmd, "triggers") == 0)
			log_warnx("%s", cause);
		else
			fail_direct(&o, cause);
		free(cause);
		return EXIT_ERROR;
	}
	if (o.test)
		rc = cmd_test(conf);
	else if (strcmp(cmd, "scan") == 0)
		rc = cmd_scan(&o, conf, SCAN_REPORT, argc, argv);
	else if (strcmp(cmd, "reset") == 0)
		rc = cmd_scan(&o, conf, SCAN_RESET, argc, argv);
	else if (strcmp(cmd, "status") == 0)
		rc = cmd_status(&o, conf, argc, argv);
	else if (strcmp(cmd, "token") == 0)
		rc = cmd_token(conf);
	else if (strcmp(cmd, "triggers") == 0)
		rc = cmd_triggers(&o, conf, argc, argv);
	else
		rc = cmd_report(&o, conf);
	conf_free(conf);
	return rc;
}

/* dbsyscheck status: per watched table, what the baseline holds. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "binlog.h"
#include "buf.h"
#include "cmd.h"
#include "conf.h"
#include "failnote.h"
#include "log.h"
#include "record.h"
#include "run.h"
#include "xmalloc.h"

static void	 status_name(struct buf *, const char *, const char *);
static int	 status_line(struct buf *, char **);
static int	 status_follow(struct baseline *, char **);

static void
status_name(struct buf *b, const char *db, const char *name)
{
	record_pct(b, db, strlen(db), RECORD_IDENT);
	buf_addc(b, '.');
	record_pct(b, name, strlen(name), RECORD_IDENT);
}

/* Print a line built in b, whole or not at all, and free b. */
static int
status_line(struct buf *b, char **cause)
{
	if (buf_failed(b) || b->data == NULL) {
		buf_free(b);
		*cause = xstrdup("out of memory");
		return -1;
	}
	printf("%s\n", buf_str(b));
	buf_free(b);
	return 0;
}

/*
 * The follower's position: "follow pos=FILE:OFFSET gtid=G stored=TIME
 * xa-prepared=N" (N prepared XA transactions whose records wait for
 * their XA COMMIT), or "follow none" when the log is not followed.
 */
static int
status_follow(struct baseline *bl, char **cause)
{
	struct buf	 b;
	char		 file[BINLOG_FILE_MAX + 1], gtid[BINLOG_GTID_MAX + 1];
	char		 when[32];
	uint64_t	 off, nxa;
	int64_t		 stored;
	int		 r;

	if ((r = baseline_follow_stored(bl, &stored, cause)) == -1)
		return -1;
	if (r == 1 && (r = baseline_follow_get(bl, file, sizeof file, &off,
	    gtid, sizeof gtid, cause)) == -1)
		return -1;
	if (r == 0) {
		printf("follow none\n");
		return 0;
	}
	if (baseline_xa_count(bl, &nxa, cause) == -1)
		return -1;
	run_time(stored, when, sizeof when);
	buf_init(&b, BUF_NOCAP);
	buf_adds(&b, "follow pos=");
	record_pct(&b, file, strlen(file), RECORD_TEXT);
	buf_printf(&b, ":%llu gtid=", (unsigned long long)off);
	if (*gtid == '\0')
		buf_addc(&b, '-');
	else
		record_pct(&b, gtid, strlen(gtid), RECORD_TEXT);
	buf_printf(&b, " stored=%s xa-prepared=%llu", when,
	    (unsigned long long)nxa);
	return status_line(&b, cause);
}

/*
 * A table's reconciliation with the binary log (docs/BINLOG.md):
 * "reconcile DB.NAME from=FILE:OFF to=FILE:OFF at=TIME untraced=N" for
 * the last interval checked; "reconcile DB.NAME pos=FILE:OFF at=TIME
 * msg=WHY" when the last scan stored a position without checking one;
 * "reconcile DB.NAME off at=TIME msg=WHY"; "reconcile DB.NAME none".
 */
static int
status_recon(struct baseline *bl, const struct conf_table *ct, int64_t tid,
    char **cause)
{
	struct baseline_recon	 r;
	struct buf		 b;
	char			 when[32];
	int			 got;

	if ((got = baseline_recon_get(bl, tid, &r, cause)) == -1)
		return -1;
	buf_init(&b, BUF_NOCAP);
	buf_adds(&b, "reconcile ");
	status_name(&b, ct->db, ct->name);
	if (got == 0)
		buf_adds(&b, " none");
	else {
		run_time(r.at, when, sizeof when);
		if (r.from[0] != '\0') {
			buf_adds(&b, " from=");
			record_pct(&b, r.from, strlen(r.from), RECORD_TEXT);
			buf_printf(&b, ":%llu to=",
			    (unsigned long long)r.from_offset);
		} else if (r.file[0] != '\0')
			buf_adds(&b, " pos=");
		else
			buf_adds(&b, " off");
		if (r.file[0] != '\0') {
			record_pct(&b, r.file, strlen(r.file), RECORD_TEXT);
			buf_printf(&b, ":%llu", (unsigned long long)r.offset);
		}
		buf_printf(&b, " at=%s", when);
		if (r.from[0] != '\0')
			buf_printf(&b, " untraced=%llu",
			    (unsigned long long)r.untraced);
		if (r.note[0] != '\0') {
			buf_adds(&b, " msg=");
			record_pct(&b, r.note, strlen(r.note), RECORD_TEXT);
		}
	}
	return status_line(&b, cause);
}

/* status: per watched table, what the baseline holds. */
int
cmd_status(struct conf *conf, const struct run_opts *ro, int argc,
    char **argv)
{
	const struct conf_table	**tables = NULL;
	struct baseline_entry	  e;
	struct baseline_counts	  q;
	struct baseline		 *bl;
	struct run		 *run;
	struct failnote		  note;
	struct buf		  b;
	char			 *cause = NULL, *base, when[32];
	unsigned long		  rps;
	size_t			  ntables, i, j;
	int			  r, rc = EXIT_ERROR, noted = 0;

	run = run_create(conf, ro);
	if (conf_select(conf, argc, argv, &tables, &ntables, &cause) == -1) {
		log_warnx("%s", cause);
		goto out;
	}
	if (run_open(run, RUN_READONLY) == -1)
		goto out;
	bl = run_baseline(run);
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
		if (r == 0 && buf_failed(&b))
			goto nomem;
		if (r == 0) {
			printf("%s never-scanned\n", buf_str(&b));
			continue;
		}
		run_time(e.last_scan, when, sizeof when);
		buf_printf(&b, " rows=%lld last-scan=%s state=%s "
		    "fingerprint=", (long long)e.nrows, when,
		    e.state == BASELINE_MISSING ? "missing" : "present");
		for (j = 0; j < 8; j++)
			buf_printf(&b, "%02x", e.fp[j]);
		rps = tables[i]->max_rows_per_second != 0 ?
		    tables[i]->max_rows_per_second : conf->max_rows_per_second;
		buf_printf(&b, " chunk=%lu max-rows-per-second=%lu",
		    tables[i]->chunk, rps);
		if (buf_failed(&b)) {
			baseline_entry_clear(&e);
			goto nomem;
		}
		printf("%s\n", buf_str(&b));
		r = status_recon(bl, tables[i], e.tid, &cause);
		baseline_entry_clear(&e);
		if (r == -1) {
			buf_free(&b);
			log_warnx("%s", cause);
			goto out;
		}
	}
	buf_free(&b);
	if (baseline_outbox_counts(bl, 0, &q, &cause) == -1) {
		log_warnx("%s", cause);
		goto out;
	}
	printf("queued records=%llu\n", (unsigned long long)q.total);
	printf("max-threads-running=%lu\n", conf->max_threads_running);
	if (status_follow(bl, &cause) == -1) {
		log_warnx("%s", cause);
		goto out;
	}
	/*
	 * A scan, or a follower, that could not start since the last that
	 * did: an error.
	 */
	for (i = 0; i < 2; i++) {
		base = i == 0 ? xstrdup(conf->baseline) :
		    xasprintf("%s.follow", conf->baseline);
		r = failnote_read(base, &note, &cause);
		free(base);
		if (r == -1) {
			log_warnx("%s", cause);
			goto out;
		}
		if (r == 0)
			continue;
		noted = 1;
		run_time(note.when, when, sizeof when);
		buf_init(&b, BUF_NOCAP);
		if (record_pct(&b, note.msg, strlen(note.msg), RECORD_TEXT) ==
		    -1 || b.data == NULL) {
			buf_free(&b);
			failnote_free(&note);
			cause = xstrdup("out of memory");
			log_warnx("%s", cause);
			goto out;
		}
		printf("%s=%s msg=%s\n", i == 0 ? "failed-scan" :
		    "failed-follow", when, buf_str(&b));
		buf_free(&b);
		failnote_free(&note);
	}
	if (fflush(stdout) == 0 && !noted)
		rc = EXIT_NOCHANGE;
	goto out;

nomem:
	/* A line is printed whole or not at all. */
	buf_free(&b);
	log_warnx("out of memory");
out:
	run_free(run);
	free(tables);
	free(cause);
	return rc;
}

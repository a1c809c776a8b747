/* The sinks: records to the --log file and to syslog, uncapped. */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <paths.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline.h"
#include "buf.h"
#include "record.h"
#include "report.h"
#include "sink.h"
#include "util.h"
#include "xmalloc.h"

#define SINK_BATCH	4096	/* records a write */

/* A record for a sink: everything goes, nothing is capped. */
struct sink {
	const struct report_opts *opts;
	struct buf		  out;
	char			  stamp[512];
	char			  iso[64];
	char			  host[256];
	int64_t			  last;
	char			 *cause;
};

/*
 * One log-file line. Text: an RFC 3339 timestamp with microseconds, the
 * host, the program with its pid, then the record body (never the
 * "YYYY-MM-DD HH:MM:SS " form that OSSEC's stock decoders claim). JSON:
 * the record's object with "timestamp" and "host" members first, so that
 * the line is pure JSON for a json localfile.
 */
static int
sink_line(struct sink *k, const char *body, size_t len)
{
	struct buf	 j;
	int		 r;

	if (k->opts->format != REPORT_JSON) {
		if (buf_adds(&k->out, k->stamp) == -1 ||
		    buf_add(&k->out, body, len) == -1)
			return -1;
		return buf_addc(&k->out, '\n');
	}
	buf_init(&j, BUF_NOCAP);
	r = report_format_line(&j, REPORT_JSON, body, len);
	if (r == 0 && j.len > 1)
		r = buf_printf(&k->out, "{\"timestamp\":\"%s\",\"host\":\"%s\",",
		    k->iso, k->host);
	if (r == 0)
		r = buf_add(&k->out, j.data + 1, j.len - 1);
	buf_free(&j);
	return r;
}

static void
sink_syslog(const struct report_opts *opts, const char *op, const char *body,
    size_t len)
{
	struct buf	 b;
	int		 pri = LOG_NOTICE;

	if (strcmp(op, "error") == 0 || strcmp(op, "schema") == 0 ||
	    strcmp(op, "missing") == 0 || strcmp(op, "reset") == 0)
		pri = LOG_WARNING;
	buf_init(&b, BUF_NOCAP);
	if (opts->format == REPORT_JSON)
		report_format_line(&b, REPORT_JSON, body, len);
	else
		buf_add(&b, body, len);
	if (b.len > 0 && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	if (b.data != NULL)
		syslog(pri, "%s", b.data);
	buf_free(&b);
}

/*
 * syslog(3) drops a message silently when no daemon listens: refuse to
 * give records to a syslog that is not there (they stay queued).
 */
static int
sink_syslog_ready(char **cause)
{
	static const int	 types[] = { SOCK_DGRAM, SOCK_STREAM };
	struct sockaddr_un	 sun;
	size_t			 i;
	int			 fd, saved = 0;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", _PATH_LOG);
	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		if ((fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0)) == -1) {
			saved = errno;
			continue;
		}
		if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0) {
			close(fd);
			return 0;
		}
		saved = errno;
		close(fd);
	}
	*cause = xasprintf("syslog: %s: %s", _PATH_LOG, strerror(saved));
	return -1;
}

static int
sink_take(void *arg, const struct baseline_outrec *r)
{
	struct sink	*k = arg;

	if (k->opts->logfd != -1 && sink_line(k, r->body, r->len) == -1) {
		k->cause = xstrdup("out of memory");
		return 1;
	}
	if (k->opts->use_syslog)
		sink_syslog(k->opts, r->op, r->body, r->len);
	k->last = r->seq;
	return 0;
}

static int
sink_flush(struct sink *k, char **cause)
{
	if (k->opts->logfd == -1 || k->out.len == 0)
		return 0;
	if (report_write(k->opts->logfd, &k->out, cause) != k->out.len)
		return -1;
	buf_reset(&k->out);
	return 0;
}

static void
sink_stamp(struct sink *k)
{
	struct timeval	 tv;
	struct tm	 tm;
	char		 t[32], *h;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(k->iso, sizeof k->iso, "%s.%06ldZ", t, (long)tv.tv_usec);
	/* The host goes into JSON and a syslog header: keep it plain. */
	snprintf(k->host, sizeof k->host, "%s", k->opts->host);
	for (h = k->host; *h != '\0'; h++) {
		if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
		    (*h >= '0' && *h <= '9') || *h == '.' || *h == '-' ||
		    *h == '_'))
			*h = '_';
	}
	if (snprintf(k->stamp, sizeof k->stamp, "%s.%06ld+00:00 %.255s "
	    "dbsyscheck[%ld]: ", t, (long)tv.tv_usec, k->host,
	    (long)getpid()) >= (int)sizeof k->stamp)
		k->stamp[0] = '\0';
}

/* Give one record to the sinks at once. */
static int
sink_one(const struct report_opts *opts, const struct baseline_outrec *r,
    char **cause)
{
	struct sink	 k;
	int		 rc = 0;

	memset(&k, 0, sizeof k);
	k.opts = opts;
	buf_init(&k.out, BUF_NOCAP);
	sink_stamp(&k);
	sink_take(&k, r);
	if (k.cause != NULL) {
		*cause = k.cause;
		rc = -1;
	} else
		rc = sink_flush(&k, cause);
	buf_free(&k.out);
	return rc;
}

/*
 * A long run (follow -f) outlives the --log file's rotation: when the
 * path no longer names the file the descriptor holds (renamed or removed
 * by logrotate), the path is opened anew, as at the start, onto the same
 * descriptor. The records still go to the old file until then, and none
 * is lost between: every delivery checks first.
 */
static int
sink_reopen_log(const struct report_opts *opts, char **cause)
{
	struct stat	 sfd, spath;
	int		 fd;

	if (opts->logfd == -1 || opts->logpath == NULL)
		return 0;
	if (fstat(opts->logfd, &sfd) == -1) {
		*cause = xasprintf("%s: %s", opts->logpath, strerror(errno));
		return -1;
	}
	if (stat(opts->logpath, &spath) == 0 && spath.st_dev == sfd.st_dev &&
	    spath.st_ino == sfd.st_ino)
		return 0;
	if ((fd = sink_open_log(opts->logpath, cause)) == -1)
		return -1;
	if (dup3(fd, opts->logfd, O_CLOEXEC) == -1) {
		*cause = xasprintf("%s: %s", opts->logpath, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Give every record not yet given to a sink (--log, --syslog) to the sinks,
 * uncapped, after a summary of them; then remember how far the sinks got
 * (meta "sunk"), after the log file was synced.
 */
int
sink_outbox(struct baseline *bl, const struct report_opts *opts,
    char **cause)
{
	struct baseline_counts	 c;
	struct sink		 k;
	struct buf		 sum;
	int64_t			 from = 0;
	int			 n, r = -1;

	if (opts->logfd == -1 && !opts->use_syslog)
		return 0;
	if (baseline_meta_get(bl, "sunk", &from, cause) == -1 ||
	    baseline_outbox_counts(bl, from, &c, cause) == -1)
		return -1;
	if (c.total == 0)
		return 0;
	if (opts->use_syslog && sink_syslog_ready(cause) == -1)
		return -1;
	if (sink_reopen_log(opts, cause) == -1)
		return -1;
	memset(&k, 0, sizeof k);
	k.opts = opts;
	k.last = from;
	buf_init(&k.out, BUF_NOCAP);
	sink_stamp(&k);
	buf_init(&sum, BUF_NOCAP);
	if (report_summary(&sum, REPORT_TEXT, &c, 0) == -1) {
		*cause = xstrdup("out of memory");
		goto out;
	}
	/* The summary body without its prefix and newline. */
	{
		struct baseline_outrec	 sr;
		size_t			 plen = sizeof RECORD_PREFIX - 1;

		sr.seq = from;
		sr.op = "summary";
		sr.body = sum.data + plen;
		sr.len = sum.len - plen - 1;
		sink_take(&k, &sr);
	}
	for (;;) {
		n = baseline_outbox_fetch(bl, k.last, SINK_BATCH, sink_take,
		    &k, cause);
		if (n == -1)
			goto out;
		if (k.cause != NULL) {
			*cause = k.cause;
			k.cause = NULL;
			goto out;
		}
		if (sink_flush(&k, cause) == -1)
			goto out;
		if (n == 0)
			break;
	}
	if (opts->logfd != -1 && fsync(opts->logfd) == -1 && errno != EINVAL) {
		*cause = xasprintf("syncing the log: %s", strerror(errno));
		goto out;
	}
	if (baseline_meta_put(bl, "sunk", k.last, cause) == -1)
		goto out;
	r = 0;
out:
	free(k.cause);
	buf_free(&sum);
	buf_free(&k.out);
	return r;
}

/* With no standard output report, the sinks are the channel: drop sunk. */
int
sink_drop_sunk(struct baseline *bl, char **cause)
{
	int64_t	 sunk = 0;

	if (baseline_meta_get(bl, "sunk", &sunk, cause) == -1)
		return -1;
	if (sunk == 0)
		return 0;
	return baseline_outbox_ack(bl, sunk, cause);
}

/*
 * One error record that could not be queued, after its summary, to the
 * sinks (report_direct writes it on standard output).
 */
int
sink_direct(const struct report_opts *opts, const char *body, size_t len,
    char **cause)
{
	struct baseline_counts	 c;
	struct baseline_outrec	 rec;
	struct buf		 sum;
	char			*more = NULL;
	int			 r = 0;

	if (opts->logfd == -1 && !opts->use_syslog)
		return 0;
	/* Rotated and cannot be opened anew: the old file still takes it. */
	if (sink_reopen_log(opts, &more) == -1) {
		free(more);
		more = NULL;
	}
	memset(&c, 0, sizeof c);
	c.errors = c.total = 1;
	buf_init(&sum, BUF_NOCAP);
	if (report_summary(&sum, REPORT_TEXT, &c, 0) == -1) {
		buf_free(&sum);
		*cause = xstrdup("out of memory");
		return -1;
	}
	rec.seq = 0;
	rec.op = "summary";
	rec.body = sum.data + sizeof RECORD_PREFIX - 1;
	rec.len = sum.len - sizeof RECORD_PREFIX;
	if (sink_one(opts, &rec, cause) == -1)
		r = -1;
	rec.op = "error";
	rec.body = body;
	rec.len = len;
	/* Both go, even when the first did not; the first error is told. */
	if (sink_one(opts, &rec, r == 0 ? cause : &more) == -1)
		r = -1;
	free(more);
	buf_free(&sum);
	return r;
}

/*
 * Open the --log file for appending, checked like every file we open. One
 * we create is 0600: records name key values and tables, and the log
 * readers (OSSEC's logcollector, syslog daemons) run as root.
 */
int
sink_open_log(const char *path, char **cause)
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

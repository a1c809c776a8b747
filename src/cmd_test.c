/* dbsyscheck -t: the configuration, its files and every table checked. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "baseline.h"
#include "binlog.h"
#include "cmd.h"
#include "conf.h"
#include "follow.h"
#include "key.h"
#include "log.h"
#include "optfile.h"
#include "reconcile.h"
#include "schema.h"
#include "source_mysql.h"
#include "util.h"
#include "xmalloc.h"

static int	 check_state_file(const char *, const char *, char **);
static int	 check_state_dir(const char *, char **);

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
/*
 * With follow-server-id set, the follower's checks too: the server's
 * binary log settings (binlog_open) and reading the log's end, which
 * needs BINLOG MONITOR. REPLICATION SLAVE shows only when a dump starts,
 * which would end a running follower's (the same server id): the first
 * follow checks it. With audit-log, the audit plugin and its file.
 */
static int
test_follow(const struct conf *conf, char **cause)
{
	struct binlog		*b;
	struct binlog_pos	 end;
	struct audit		*au;
	char			 gtid[BINLOG_GTID_MAX + 1], *why;
	int			 r;

	if ((b = binlog_open(conf->defaults_file, conf->group, NULL,
	    (uint32_t)conf->follow_server_id, 0, cause)) == NULL)
		return -1;
	r = binlog_end(b, &end, gtid, sizeof gtid, cause);
	if (r == 0 && conf->audit_log != NULL) {
		if ((au = follow_audit_check(conf, b,
		    FOLLOW_AUDIT_PROBE | FOLLOW_AUDIT_WARN, &why)) == NULL) {
			*cause = xasprintf("audit-log %s: %s", conf->audit_log,
			    why != NULL ? why : "cannot be read");
			free(why);
			r = -1;
		}
		audit_free(au);
	}
	binlog_close(b);
	return r;
}

int
cmd_test(struct conf *conf)
{
	struct source	*src = NULL;
	struct schema	*s;
	unsigned char	 key[KEY_LEN];
	char		*cause = NULL;
	size_t		 i;
	int		 r, rc = EXIT_ERROR, bad = 0;

	if (conf->defaults_file != NULL &&
	    optfile_check(conf->defaults_file, &cause) == -1)
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
	if (!bad && conf->follow_server_id != 0) {
		if (test_follow(conf, &cause) == -1) {
			log_warnx("%s: follow: %s", conf->path, cause);
			free(cause);
			cause = NULL;
			bad = 1;
		} else if (conf->audit_log != NULL)
			log_warnx("%s: audit-log: on (the server's audit plugin "
			    "writes %s, which can be read)", conf->path,
			    conf->audit_log);
	}
	/*
	 * Reconciliation: with yes, a log a scan cannot read is an error;
	 * with auto, said (status says it again after a scan).
	 */
	if (!bad && conf->reconcile != CONF_RECONCILE_NO) {
		if (recon_test(conf, &cause) == -1) {
			log_warnx("%s: reconcile %s: %s%s", conf->path,
			    conf->reconcile == CONF_RECONCILE_YES ? "yes" :
			    "auto", conf->reconcile == CONF_RECONCILE_YES ?
			    "" : "off: ", cause);
			bad = conf->reconcile == CONF_RECONCILE_YES;
		} else
			log_warnx("%s: reconcile: on (the binary log can "
			    "be read)", conf->path);
		free(cause);
		cause = NULL;
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

/* dbsyscheck: report inserted, updated and deleted rows of watched tables. */
#include "config.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <syslog.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
#include "run.h"
#include "scan.h"
#include "sink.h"
#include "source_mysql.h"
#include "triggers.h"
#include "util.h"
#include "xmalloc.h"

#define EXIT_NOCHANGE	0
#define EXIT_CHANGES	1
#define EXIT_ERROR	2

#define DEFAULT_MAX_BYTES	5400

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
	struct run_opts		 run;		/* what a run is given */
};

typedef int (*cmd_fn)(struct options *, struct conf *, int, char **);

static int	 cmd_scan(struct options *, struct conf *, int, char **);
static int	 cmd_reset(struct options *, struct conf *, int, char **);
static int	 cmd_status(struct options *, struct conf *, int, char **);
static int	 cmd_report(struct options *, struct conf *, int, char **);
static int	 cmd_token(struct options *, struct conf *, int, char **);
static int	 cmd_triggers(struct options *, struct conf *, int, char **);

#define CMD_TABLES	0x1	/* takes table names */
#define CMD_DELIVER	0x2	/* --deliver allowed */
#define CMD_TRIGGERS	0x4	/* --install, --uninstall, ... allowed */
#define CMD_RECORDS	0x8	/* standard output carries records */
#define CMD_NOTE	0x10	/* an early failure leaves the failure note */

/*
 * The commands (the first operand without a '.'; scan when none). Their
 * usage is the one text of usage(), where several share a line.
 */
static const struct cmd_entry {
	const char	*name;
	int		 flags;
	cmd_fn		 exec;
} cmd_table[] = {
	{ "scan", CMD_TABLES|CMD_DELIVER|CMD_RECORDS|CMD_NOTE, cmd_scan },
	{ "reset", CMD_TABLES|CMD_DELIVER|CMD_RECORDS|CMD_NOTE, cmd_reset },
	{ "status", CMD_TABLES, cmd_status },
	{ "report", CMD_DELIVER|CMD_RECORDS, cmd_report },
	{ "token", 0, cmd_token },
	{ "triggers", CMD_TABLES|CMD_TRIGGERS, cmd_triggers },
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

/* What a run is given: standard output, the sinks, delivery, progress. */
static void
run_opts(struct options *o)
{
	struct run_opts		*ro = &o->run;

	memset(ro, 0, sizeof *ro);
	ro->report.fd = STDOUT_FILENO;
	ro->report.format = o->format;
	ro->report.logfd = o->logfd;
	ro->report.use_syslog = o->use_syslog;
	ro->report.host = o->host;
	if (o->max_bytes >= 0)
		ro->report.max_bytes = (size_t)o->max_bytes;
	else
		ro->report.max_bytes = isatty(STDOUT_FILENO) ? 0 :
		    DEFAULT_MAX_BYTES;
	ro->noreport = o->noreport;
	ro->deliver = o->deliver;
	ro->progress = o->progress;
	ro->stop = &stop;
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
exit_code(enum run_result r)
{
	switch (r) {
	case RUN_NOCHANGE:
		return EXIT_NOCHANGE;
	case RUN_CHANGES:
		return EXIT_CHANGES;
	case RUN_ERROR:
		break;
	}
	return EXIT_ERROR;
}

static int
check_defaults_file(const struct conf *conf, char **cause)
{
	if (conf->defaults_file == NULL)
		return 0;
	return check_option_file(conf->defaults_file, cause);
}

static void
status_name(struct buf *b, const char *db, const char *name)
{
	record_pct(b, db, strlen(db), RECORD_IDENT);
	buf_addc(b, '.');
	record_pct(b, name, strlen(name), RECORD_IDENT);
}

/* scan: report the changes since the last run. */
static int
cmd_scan(struct options *o, struct conf *conf, int argc, char **argv)
{
	struct run	*run;
	int		 rc;

	run = run_create(conf, &o->run);
	rc = exit_code(run_scan(run, SCAN_REPORT, argc, argv));
	run_free(run);
	return rc;
}

/* reset: take the baseline anew, reporting no row changes. */
static int
cmd_reset(struct options *o, struct conf *conf, int argc, char **argv)
{
	struct run	*run;
	int		 rc;

	run = run_create(conf, &o->run);
	rc = exit_code(run_scan(run, SCAN_RESET, argc, argv));
	run_free(run);
	return rc;
}

/* report: deliver what is queued, without touching the database. */
static int
cmd_report(struct options *o, struct conf *conf, int argc, char **argv)
{
	struct run	*run;
	int		 rc;

	(void)argc;
	(void)argv;
	run = run_create(conf, &o->run);
	rc = exit_code(run_report(run));
	run_free(run);
	return rc;
}

/* status: per watched table, what the baseline holds. */
static int
cmd_status(struct options *o, struct conf *conf, int argc, char **argv)
{
	const struct conf_table	**tables = NULL;
	struct baseline_entry	  e;
	struct baseline_counts	  q;
	struct baseline		 *bl;
	struct run		 *run;
	struct failnote		  note;
	struct buf		  b;
	char			 *cause = NULL, when[32];
	unsigned long		  rps;
	size_t			  ntables, i, j;
	int			  r, rc = EXIT_ERROR, noted;

	run = run_create(conf, &o->run);
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
		printf("failed-scan=%s msg=%s\n", when, buf_str(&b));
		buf_free(&b);
		failnote_free(&note);
	}
	if (fflush(stdout) == 0 && !noted)
		rc = EXIT_NOCHANGE;
out:
	run_free(run);
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
cmd_token(struct options *o, struct conf *conf, int argc, char **argv)
{
	char	*cause = NULL;
	int	 r;

	(void)o;
	(void)argc;
	(void)argv;
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
cmd_triggers(struct options *o, struct conf *conf, int argc, char **argv)
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
	if (!o->token_only && conf_select(conf, argc, argv, &tables,
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
	const struct cmd_entry	*ce;
	struct options		 o;
	struct conf		*conf;
	const char		*cmd = "scan", *errstr;
	char			*cause = NULL;
	size_t			 i;
	int			 ch, rc;

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
	for (i = 0; i < sizeof cmd_table / sizeof cmd_table[0]; i++) {
		if (strcmp(cmd, cmd_table[i].name) == 0)
			break;
	}
	if (i == sizeof cmd_table / sizeof cmd_table[0]) {
		log_warnx("unknown command %s", cmd);
		usage(stderr);
		return EXIT_ERROR;
	}
	ce = &cmd_table[i];
	if (!(ce->flags & CMD_TABLES) && argc > 0) {
		log_warnx("%s takes no table names", ce->name);
		return EXIT_ERROR;
	}
	if ((o.uninstall || o.install || o.token_only ||
	    o.admin_file != NULL) && !(ce->flags & CMD_TRIGGERS)) {
		log_warnx("--uninstall, --install, --token-only and "
		    "--admin-file go with triggers only");
		return EXIT_ERROR;
	}
	if (o.deliver && !(ce->flags & CMD_DELIVER)) {
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
	if (o.logfile != NULL)
		o.logfd = sink_open_log(o.logfile, &cause);
	run_opts(&o);
	if (o.logfile != NULL && o.logfd == -1) {
		if (ce->flags & CMD_NOTE)
			run_note_early(o.conffile, cause);
		run_fail_direct(&o.run, cause);
		free(cause);
		return EXIT_ERROR;
	}
	if (o.use_syslog)
		openlog("dbsyscheck", LOG_PID, LOG_DAEMON);
	if ((conf = conf_load(o.conffile, &cause)) == NULL) {
		/* Records only where standard output carries records. */
		if (o.test || !(ce->flags & CMD_RECORDS))
			log_warnx("%s", cause);
		else
			run_fail_direct(&o.run, cause);
		free(cause);
		return EXIT_ERROR;
	}
	if (o.test)
		rc = cmd_test(conf);
	else
		rc = ce->exec(&o, conf, argc, argv);
	conf_free(conf);
	return rc;
}

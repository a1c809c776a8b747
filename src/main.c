/* dbsyscheck: report inserted, updated and deleted rows of watched tables. */
#include "config.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <getopt.h>
#include <syslog.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "conf.h"
#include "follow.h"
#include "log.h"
#include "paths.h"
#include "report.h"
#include "run.h"
#include "scan.h"
#include "sink.h"
#include "util.h"

#define DEFAULT_MAX_BYTES	5400

static volatile sig_atomic_t stop;

struct options {
	const char		*conffile;
	int			 test;
	int			 noreport;
	int			 deliver;	/* --deliver: the SIEM's consumer */
	struct cmd_triggers_opts trig;		/* triggers' options */
	long long		 max_bytes;	/* -1: by terminal */
	enum report_format	 format;
	const char		*logfile;	/* --log */
	int			 logfd;
	int			 use_syslog;	/* --syslog */
	int			 progress;	/* --progress, or a terminal */
	int			 followf;	/* follow -f */
	char			 host[256];
	struct run_opts		 run;		/* what a run is given */
};

typedef int (*cmd_fn)(struct options *, struct conf *, int, char **);

static int	 cmd_scan(struct options *, struct conf *, int, char **);
static int	 cmd_reset(struct options *, struct conf *, int, char **);
static int	 cmd_report(struct options *, struct conf *, int, char **);
static int	 cmd_follow(struct options *, struct conf *, int, char **);
static int	 main_status(struct options *, struct conf *, int, char **);
static int	 main_token(struct options *, struct conf *, int, char **);
static int	 main_triggers(struct options *, struct conf *, int, char **);

#define CMD_TABLES	0x1	/* takes table names */
#define CMD_DELIVER	0x2	/* --deliver allowed */
#define CMD_TRIGGERS	0x4	/* --install, --uninstall, ... allowed */
#define CMD_RECORDS	0x8	/* standard output carries records */
#define CMD_NOTE	0x10	/* an early failure leaves the failure note */
#define CMD_FOLLOW	0x20	/* -f allowed */

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
	{ "status", CMD_TABLES, main_status },
	{ "report", CMD_DELIVER|CMD_RECORDS, cmd_report },
	{ "follow", CMD_DELIVER|CMD_RECORDS|CMD_FOLLOW, cmd_follow },
	{ "token", 0, main_token },
	{ "triggers", CMD_TABLES|CMD_TRIGGERS, main_triggers },
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
	    "       dbsyscheck [options] follow [-f]\n"
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
	ro->report.logpath = o->logfile;
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

/* follow: the changes from the binary log; -f until a signal. */
static int
cmd_follow(struct options *o, struct conf *conf, int argc, char **argv)
{
	struct run	*run;
	int		 rc;

	o->run.src = "binlog";
	run = run_create(conf, &o->run);
	(void)argc;
	(void)argv;
	rc = exit_code(follow_run(run, o->followf ? FOLLOW_BLOCK : 0));
	run_free(run);
	return rc;
}

/* status, token and triggers (cmd_status.c, cmd_triggers.c). */
static int
main_status(struct options *o, struct conf *conf, int argc, char **argv)
{
	return cmd_status(conf, &o->run, argc, argv);
}

static int
main_token(struct options *o, struct conf *conf, int argc, char **argv)
{
	(void)o;
	(void)argc;
	(void)argv;
	return cmd_token(conf);
}

static int
main_triggers(struct options *o, struct conf *conf, int argc, char **argv)
{
	return cmd_triggers(conf, &o->trig, argc, argv);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config",	required_argument,	NULL, 'c' },
		{ "deliver",	no_argument,		NULL, 'd' },
		{ "format",	required_argument,	NULL, 'F' },
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
	while ((ch = getopt_long(argc, argv, "c:fhtV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			o.conffile = optarg;
			break;
		case 'd':
			o.deliver = 1;
			break;
		case 'f':
			o.followf = 1;
			break;
		case 'F':
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
			o.trig.uninstall = 1;
			break;
		case 'i':
			o.trig.install = 1;
			break;
		case 'k':
			o.trig.token_only = 1;
			break;
		case 'a':
			o.trig.admin_file = optarg;
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
		/* One stored position: a subset would skip the others. */
		if (ce->flags & CMD_FOLLOW)
			log_warnx("follow takes no table names: it follows "
			    "every watched table from one position in the "
			    "binary log, which a run over some of them would "
			    "move past the others' changes");
		else
			log_warnx("%s takes no table names", ce->name);
		return EXIT_ERROR;
	}
	if ((o.trig.uninstall || o.trig.install || o.trig.token_only ||
	    o.trig.admin_file != NULL) && !(ce->flags & CMD_TRIGGERS)) {
		log_warnx("--uninstall, --install, --token-only and "
		    "--admin-file go with triggers only");
		return EXIT_ERROR;
	}
	if (o.followf && !(ce->flags & CMD_FOLLOW)) {
		log_warnx("-f goes with follow only");
		return EXIT_ERROR;
	}
	if (o.deliver && !(ce->flags & CMD_DELIVER)) {
		log_warnx("--deliver goes with scan, reset, report and follow "
		    "only");
		return EXIT_ERROR;
	}
	if (o.trig.uninstall && o.trig.token_only) {
		log_warnx("--uninstall and --token-only exclude each other");
		return EXIT_ERROR;
	}
	if (o.trig.admin_file != NULL && !o.trig.install) {
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

/* dbsyscheck follow: the watched tables' changes from the binary log. */
#include "config.h"

#include <sys/stat.h>

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "baseline.h"
#include "binlog.h"
#include "binrow.h"
#include "buf.h"
#include "conf.h"
#include "ddl.h"
#include "event.h"
#include "follow.h"
#include "lock.h"
#include "log.h"
#include "logrow.h"
#include "record.h"
#include "rowenc.h"
#include "run.h"
#include "schema.h"
#include "source_mysql.h"
#include "util.h"
#include "xmalloc.h"

/*
 * Groups that touch no watched table queue nothing, but the position
 * must advance past them: it is stored at the end of a bounded run, and
 * with -f after FOLLOW_STORE_GROUPS such groups or FOLLOW_STORE_SECS,
 * whichever comes first, in a transaction of its own.
 */
#define FOLLOW_STORE_GROUPS	1000
#define FOLLOW_STORE_SECS	5
/*
 * Groups that queued records share a baseline transaction (a commit
 * costs four fdatasync calls: one a group kept a follower hundreds of
 * groups a second behind a busy writer): it commits when it holds
 * FOLLOW_BATCH_GROUPS groups, is FOLLOW_BATCH_MS old at a group's end,
 * when the log has nothing new (the end of a bounded run; a heartbeat
 * with -f, within a second) and at a stop between groups. The position
 * moves with the records, so a kill loses and repeats nothing.
 */
#define FOLLOW_BATCH_GROUPS	1000
#define FOLLOW_BATCH_MS		200
/* A bounded run waits this long for a scan's lock; -f until a signal. */
#define FOLLOW_LOCK_WAIT	RUN_PATIENT_WAIT

/*
 * Who made a change (docs/BINLOG.md "Who made the change"), from the
 * server's audit log: a statement's QUERY record must lie within
 * FOLLOW_AUDIT_WINDOW seconds after the statement's start; records are
 * kept FOLLOW_AUDIT_KEEP seconds behind the newest statement read (a
 * transaction's statements may be that much older than its commit);
 * the record of a statement just written may lag the binary log (the
 * plugin writes it once the statement has ended, after its commit): the
 * follower waits up to FOLLOW_AUDIT_WAIT_MS for it while the statement
 * is at most FOLLOW_AUDIT_LIVE seconds old: a follower that falls behind
 * (statements that never match: an account the plugin skips) waits for
 * none until it has caught up.
 */
#define FOLLOW_AUDIT_WINDOW	60
#define FOLLOW_AUDIT_KEEP	600
#define FOLLOW_AUDIT_WAIT_MS	500
#define FOLLOW_AUDIT_LIVE	2
#define FOLLOW_AUDIT_POLL_MS	5
#define FOLLOW_AUDIT_BUDGET_MS	250	/* of waiting a second, at most */
#define FOLLOW_AUDIT_SKEW	2	/* seconds past the clock: forged */
#define FOLLOW_AUDIT_CHECK_SECS	60	/* -f: the plugin's settings */
#define FOLLOW_AUDIT_SAY_SECS	600	/* -f: lines left out, gaps */
#define FOLLOW_AUDIT_SRC	"audit"	/* src= of its op=error */

/* An account and how it is known: a struct event_who that owns it. */
struct fwho {
	struct event_who	 w;
	char			*account;
};

/* A watched table as the follower knows it: described once. */
struct ftable {
	const struct conf_table	*ct;
	struct schema		*s;		/* NULL until described */
	int			 gone;		/* the server has no such */
	const char		**names;	/* changed=, ncols long */
	int			 redescribed;	/* a map did not match it, */
						/* described again: until a
						   map matches, refuse */
	int			 textchanged;	/* said in this group */
};

/* A change the log holds as a statement: what it cannot say. */
#define FOLLOW_TEXT_MSG	"may have been changed by a statement logged " \
	"as text (binlog_format STATEMENT or MIXED in that session), " \
	"directly or through a trigger, a view or a function: the rows it " \
	"changed cannot be read from the log; the next scan shows them"

/* A TABLE_MAP of the current group that maps a watched table. */
struct fmap {
	struct binrow_map	 map;
	struct ftable		*ft;
	int			 shaped;	/* column count checked */
	int			 bad;		/* reported: skip its rows */
};

struct follow {
	struct run		*run;
	int			 flock;		/* one follower: PATH.follow */
	const struct conf	*conf;
	struct baseline		*bl;
	volatile sig_atomic_t	*stop;
	struct binlog		*bl_log;
	int			 flags;

	struct ftable		*tables;
	size_t			 ntables;
	struct ftable		**byconf;	/* by index in conf->tables */
	struct fmap		*maps;
	size_t			 nmaps;

	int			 intxn;		/* a baseline transaction */
	size_t			 batchgroups;	/* groups ended in it */
	struct timespec		 batchstart;	/* when it began */
	uint64_t		 grouprows;	/* row records of the group */
	int			 groupddl;	/* op=ddl records of it */
	int64_t			 groupmark;	/* its row records are after */
						/* this sequence number
						   (DDL_SP_PENDING: none) */
	struct ddl_savepoints	 sps;		/* its savepoints, the same */
	int64_t			 lastrow;	/* its last row record's */
	int64_t			 unsurefrom;	/* rows in (from, to] may */
	int64_t			 unsureto;	/* have been rolled back */
	char			*unsuremsg;	/* (from DDL_SP_PENDING: */
						/* none): what to say */

	struct binlog_pos	 pos;		/* after the last group */
	char			 gtid[BINLOG_GTID_MAX + 1];
	uint64_t		 server_id;	/* the server's, stored too */
	uint32_t		 created;	/* pos's file's FDE time, or 0 */
	uint64_t		 want_created;	/* as stored: checked once */
	int			 created_checked;
	int			 have_sid;
	int			 unstored;	/* pos not yet stored */
	size_t			 ngroups;	/* unstored groups */
	time_t			 stored;	/* when pos was last stored */

	uint64_t		 records;
	uint64_t		 errors;

	int			 xa;		/* the group ends XA-prepared */
	char			 xid[BINLOG_XID_MAX + 1];

	struct binlog_event	 last;		/* next, gtid, thread, when */
	int			 ingroup;	/* BEGIN seen, no end yet */
	int			 rowsseen;	/* the group has row events */
	int			 interrupted;	/* a signal while waiting */

	struct audit		*audit;		/* NULL: by=- */
	char			*auditwhy;	/* why not, as last said */
	int			 auditread;	/* the file read once */
	time_t			 auditcheck;	/* -f: settings checked */
	time_t			 auditsaid;	/* gaps, lines said */
	int64_t			 auditrejfrom;	/* lines left out since: */
						/* INT64_MAX: the first
						   statement's time */
	uint64_t		 auditgaps;	/* statements not covered */
	int64_t			 auditgapfrom;
	int64_t			 auditgapto;
	int64_t			 auditfloor;	/* pruned before this */
	long			 auditbudget;	/* ms of waiting left */
	struct timespec		 auditrefill;
	uint64_t		 auditundecided; /* past the walk's limits */
	int			 auditsha;	/* a digest failed */
	struct fwho		 swho;		/* the statement's */
	struct fwho		 cwho;		/* all the group's statements' */
	int			 cwhoset;	/* a statement said one */

	struct binrow_image	 before;
	struct binrow_image	 after;
	struct buf		 rec;
	struct buf		 kb, ka, txt;
};

/* Report a run-level failure (rolled back, queued) and count it. */
static void
follow_fatal(struct follow *f, const char *msg)
{
	f->intxn = 0;
	run_fail(f->run, msg != NULL ? msg : "unknown error");
	run_unlock(f->run);
	f->errors++;
}

/* Begin the batch's transaction at its first record, under the lock. */
static int
follow_txn(struct follow *f, char **cause)
{
	int	 wait;

	if (f->intxn)
		return 0;
	wait = (f->flags & FOLLOW_BLOCK) ? -1 : FOLLOW_LOCK_WAIT;
	if (run_lock(f->run, wait, f->flags & FOLLOW_BLOCK, cause) == -1) {
		/* A signal while waiting for a scan: a clean stop. */
		if (*f->stop)
			f->interrupted = 1;
		return -1;
	}
	if (run_begin(f->run, cause) == -1) {
		run_unlock(f->run);
		return -1;
	}
	f->intxn = 1;
	f->batchgroups = 0;
	clock_gettime(CLOCK_MONOTONIC, &f->batchstart);
	return 0;
}

/* The batch's transaction has enough groups, or is old enough. */
static int
follow_batch_due(const struct follow *f)
{
	struct timespec	 now;
	long long	 ms;

	if (f->batchgroups >= FOLLOW_BATCH_GROUPS)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(now.tv_sec - f->batchstart.tv_sec) * 1000 +
	    (now.tv_nsec - f->batchstart.tv_nsec) / 1000000;
	return ms >= FOLLOW_BATCH_MS;
}

/*
 * Queue the record in rec, built with result r. A row record of a group
 * that ends XA-prepared is kept apart until its XA COMMIT.
 */
static int
follow_queue(struct follow *f, const char *op, int r, char **cause)
{
	int64_t	 mark;
	int	 row;

	if (r == -1)
		return -1;
	row = strcmp(op, "insert") == 0 || strcmp(op, "update") == 0 ||
	    strcmp(op, "delete") == 0;
	if (f->xa && row)
		r = baseline_xa_add(f->bl, f->xid, op, f->rec.data,
		    f->rec.len, cause);
	else {
		r = baseline_outbox_add(f->bl, op, f->rec.data, f->rec.len,
		    cause);
		if (r == 0)
			f->records++;
	}
	if (r == -1 || !row)
		return r;
	/* The group's first row record, a savepoint's: where they begin. */
	f->lastrow = baseline_last_seq(f->bl);
	if (f->groupmark == DDL_SP_PENDING || f->sps.pending > 0) {
		mark = f->lastrow - 1;
		if (f->groupmark == DDL_SP_PENDING)
			f->groupmark = mark;
		ddl_sp_fill(&f->sps, mark);
	}
	return 0;
}

/* A new group, or the end of one: no row records, no savepoints. */
static void
follow_group_clear(struct follow *f)
{
	f->groupmark = DDL_SP_PENDING;
	ddl_sp_clear(&f->sps);
	f->lastrow = 0;
	f->unsurefrom = DDL_SP_PENDING;
	free(f->unsuremsg);
	f->unsuremsg = NULL;
}

/*
 * A rollback inside a group (docs/BINLOG.md "Rolled back"): its row
 * records after mark are dropped, kept ones of an XA group too.
 */
static int
follow_drop(struct follow *f, int64_t mark, char **cause)
{
	uint64_t	 n;

	if (mark == DDL_SP_PENDING)
		return 0;
	if (baseline_rows_drop(f->bl, f->xa ? f->xid : NULL, mark, &n,
	    cause) == -1)
		return -1;
	if (!f->xa)
		f->records -= n;
	f->grouprows -= n;
	if (f->groupmark >= mark)
		f->groupmark = DDL_SP_PENDING;
	/* Rows that may have been rolled back, dropped now for certain. */
	if (f->unsurefrom != DDL_SP_PENDING) {
		if (mark <= f->unsurefrom)
			f->unsurefrom = DDL_SP_PENDING;
		else if (mark < f->unsureto)
			f->unsureto = mark;
	}
	return 0;
}

/*
 * At the end of a group (before XA PREPARE keeps its rows): if row
 * records an unsure rollback may have rolled back are still queued, say
 * so (not fatal: they are reported).
 */
static int
follow_unsure_say(struct follow *f, char **cause)
{
	uint64_t	 n;

	if (f->unsurefrom == DDL_SP_PENDING)
		return 0;
	if (baseline_rows_count(f->bl, f->xa ? f->xid : NULL, f->unsurefrom,
	    f->unsureto, &n, cause) == -1)
		return -1;
	if (n > 0) {
		log_warnx("%s", f->unsuremsg);
		if (run_queue_error(f->run, NULL, NULL, f->unsuremsg,
		    cause) == -1)
			return -1;
		f->errors++;
	}
	f->unsurefrom = DDL_SP_PENDING;
	return 0;
}

/* Queue op=error table= for one table (not fatal: the run goes on). */
static int
follow_table_error(struct follow *f, const struct conf_table *ct,
    const char *msg, char **cause)
{
	log_warnx("%s.%s: %s", ct->db, ct->name, msg);
	if (follow_txn(f, cause) == -1 ||
	    run_queue_error(f->run, ct->db, ct->name, msg, cause) == -1)
		return -1;
	f->errors++;
	return 0;
}

static void	 follow_utc(uint64_t, char *, size_t);

/* Set who to a copy of account, known by how; account NULL: none. */
static void
follow_who_set(struct fwho *who, const char *account, const char *how)
{
	free(who->account);
	who->account = account != NULL ? xstrdup(account) : NULL;
	who->w.account = who->account;
	who->w.how = account != NULL ? how : NULL;
}

/* A record's by=: NULL for "-". */
static const struct event_who *
follow_who(const struct fwho *who)
{
	return who->account != NULL ? &who->w : NULL;
}

/*
 * Queue op=error msg= src=audit: attribution failed (not fatal: every
 * change is still reported, with by=-).
 */
static int
follow_audit_error(struct follow *f, const char *msg, char **cause)
{
	log_warnx("%s", msg);
	if (follow_txn(f, cause) == -1 || follow_queue(f, "error",
	    event_error_src(&f->rec, NULL, NULL, 0, msg, FOLLOW_AUDIT_SRC,
	    cause), cause) == -1)
		return -1;
	f->errors++;
	/* Stored with the position, in a group or not. */
	f->unstored = 1;
	return 0;
}

/*
 * Attribution stops: the reader is dropped and why is said, once (with
 * -f again only when the cause changes: the settings are checked every
 * FOLLOW_AUDIT_CHECK_SECS, and attribution resumes once they are right).
 */
static int
follow_audit_off(struct follow *f, const char *why, char **cause)
{
	char	*msg;
	size_t	 n;
	int	 r;

	audit_free(f->audit);
	f->audit = NULL;
	if (f->auditwhy != NULL && strcmp(f->auditwhy, why) == 0)
		return 0;
	free(f->auditwhy);
	f->auditwhy = xstrdup(why);
	/* The reader's causes name the file already. */
	n = strlen(f->conf->audit_log);
	if (strncmp(why, f->conf->audit_log, n) == 0 && why[n] == ':')
		msg = xasprintf("audit-log %s: the records name no account%s",
		    why, (f->flags & FOLLOW_BLOCK) ?
		    " until that is set right" : "");
	else
		msg = xasprintf("audit-log %s: %s: the records name no "
		    "account%s", f->conf->audit_log, why,
		    (f->flags & FOLLOW_BLOCK) ? " until that is set right" :
		    "");
	r = follow_audit_error(f, msg, cause);
	free(msg);
	return r;
}

/*
 * Read what the audit log holds now; since: see audit_read. The first
 * read of a run needs the file itself (its rotations alone are old).
 */
static int
follow_audit_read(struct follow *f, int64_t since, char **cause)
{
	char		*why = NULL;
	int		 r;

	if (f->audit == NULL)
		return 0;
	if (audit_read(f->audit, since, &why) == 0) {
		if (f->auditread || !audit_file_missing(f->audit)) {
			f->auditread = 1;
			return 0;
		}
		why = xstrdup("no such file");
	}
	r = follow_audit_off(f, why != NULL ? why : "cannot be read", cause);
	free(why);
	return r;
}

/*
 * A time of the binary log is the statement's session's to set (SET
 * timestamp needs no privilege): one past the wall clock is forged, and
 * names no account.
 */
static int
follow_audit_future(int64_t t)
{
	return t > (int64_t)time(NULL) + FOLLOW_AUDIT_SKEW;
}

/*
 * May the follower wait FOLLOW_AUDIT_POLL_MS more for a statement's audit
 * record? Waiting is paid from a budget that refills at
 * FOLLOW_AUDIT_BUDGET_MS a second, up to FOLLOW_AUDIT_WAIT_MS, so that
 * statements that never match slow the follower by a quarter at most.
 */
static int
follow_audit_wait(struct follow *f)
{
	struct timespec	 now;
	long long	 ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(now.tv_sec - f->auditrefill.tv_sec) * 1000 +
	    (now.tv_nsec - f->auditrefill.tv_nsec) / 1000000;
	if (ms > 0) {
		f->auditbudget += ms * FOLLOW_AUDIT_BUDGET_MS / 1000;
		if (f->auditbudget > FOLLOW_AUDIT_WAIT_MS)
			f->auditbudget = FOLLOW_AUDIT_WAIT_MS;
		f->auditrefill = now;
	}
	if (f->auditbudget < FOLLOW_AUDIT_POLL_MS)
		return 0;
	f->auditbudget -= FOLLOW_AUDIT_POLL_MS;
	return 1;
}

/* A lookup's answer: -1 (the baseline failed) or a digest that failed. */
static int
follow_audit_check_sha(struct follow *f, int r, char **cause)
{
	if (r == -1)
		return -1;
	if (!f->auditsha)
		return 0;
	f->auditsha = 0;
	return follow_audit_off(f, "a statement's digest cannot be computed",
	    cause);
}

/*
 * Who ran a statement of text at time t (the session's: see
 * follow_audit_future), on connection conn when the log gives it (0:
 * any): audit_stmt's or audit_stmt_on's answer, 0 for a forged time, a
 * time older than what the index still holds (counted, said as a gap) or
 * no reader; -1 on an error of the baseline. A recent statement that
 * matches nothing is waited for: its record may not be written yet.
 */
static int
follow_who_lookup(struct follow *f, const char *text, size_t len, int64_t t,
    uint64_t conn, const char **account, char **cause)
{
	struct timespec	 ts = { 0, FOLLOW_AUDIT_POLL_MS * 1000000L };
	uint64_t	 c;
	int64_t		 now = (int64_t)time(NULL), floor;
	long		 waited = 0;
	int		 n = 0;

	if (f->audit == NULL || follow_audit_future(t))
		return 0;
	if (f->auditrejfrom == INT64_MAX)
		f->auditrejfrom = t - 1;
	/*
	 * -f forgets by the statements' time, never past the clock's; a
	 * bounded run keeps what it read (up to AUDIT_QUERIES_MAX): a time
	 * the session set must not make it forget a record that would
	 * contradict it.
	 */
	floor = (t < now ? t : now) - FOLLOW_AUDIT_KEEP;
	if ((f->flags & FOLLOW_BLOCK) && floor > f->auditfloor) {
		f->auditfloor = floor;
		audit_prune(f->audit, floor);
	}
	for (;;) {
		if (follow_audit_read(f, t - FOLLOW_AUDIT_KEEP, cause) == -1)
			return -1;
		if (f->audit == NULL)
			return 0;
		if (t - 1 < audit_covered(f->audit)) {
			if (f->auditgaps++ == 0 || t < f->auditgapfrom)
				f->auditgapfrom = t;
			if (t > f->auditgapto)
				f->auditgapto = t;
			return 0;
		}
		if (conn == 0)
			n = audit_stmt(f->audit, text, len, t - 1,
			    t + FOLLOW_AUDIT_WINDOW, &c, account);
		else
			n = audit_stmt_on(f->audit, text, len, t - 1,
			    t + FOLLOW_AUDIT_WINDOW, conn, account);
		if (n == -1) {
			f->auditsha = 1;
			return 0;
		}
		if (n == 3)
			f->auditundecided++;
		if (n != 0 || waited >= FOLLOW_AUDIT_WAIT_MS || *f->stop ||
		    t < now - FOLLOW_AUDIT_LIVE || !follow_audit_wait(f))
			return n;
		nanosleep(&ts, NULL);
		waited += FOLLOW_AUDIT_POLL_MS;
	}
}

/*
 * A statement the log gives with its connection id (a DDL statement):
 * exact when its own QUERY record, on that connection, names
 * one account (no other account's record of the text kept), and the
 * audit log's newest lifetime of that connection, holding time t, is
 * that account's. Forged lines (a failed login's name may hold newlines)
 * can make it unknown, not another account.
 */
static int
follow_who_conn(struct follow *f, uint64_t conn, int64_t t, const char *text,
    size_t len, struct fwho *who, char **cause)
{
	const char	*account, *lacct;
	char		*copy;
	int		 r;

	follow_who_set(who, NULL, NULL);
	if (conn == 0 || text == NULL || len == 0)
		return 0;
	if ((r = follow_who_lookup(f, text, len, t, conn, &account,
	    cause)) != 1)
		return follow_audit_check_sha(f, r, cause);
	copy = xstrdup(account);
	if (audit_conn(f->audit, conn, t, &lacct) == 1 &&
	    strcmp(lacct, copy) == 0)
		follow_who_set(who, copy, "exact");
	free(copy);
	return 0;
}

/* 1 when a and b name the same account the same way (or none). */
static int
follow_who_same(const struct fwho *a, const struct fwho *b)
{
	if (a->account == NULL || b->account == NULL)
		return a->account == b->account;
	return strcmp(a->account, b->account) == 0 &&
	    strcmp(a->w.how, b->w.how) == 0;
}

/*
 * A statement's text (Annotate_rows), before its row events: who ran it,
 * the one account whose audit QUERY records hold that text within the
 * window and no other account's anywhere in what is kept.
 */
static int
follow_who_stmt(struct follow *f, const struct binlog_event *ev,
    char **cause)
{
	const char	*account = NULL;
	int		 r;

	follow_who_set(&f->swho, NULL, NULL);
	if ((r = follow_who_lookup(f, ev->stmt, ev->stmtlen, ev->when, 0,
	    &account, cause)) == 1)
		follow_who_set(&f->swho, account, "statement");
	else if (follow_audit_check_sha(f, r, cause) == -1)
		return -1;
	/* The commit's: the one account every statement names. */
	if (f->cwhoset == 0) {
		follow_who_set(&f->cwho, f->swho.account, f->swho.w.how);
		f->cwhoset = 1;
	} else if (f->cwhoset == 1 && !follow_who_same(&f->cwho, &f->swho)) {
		follow_who_set(&f->cwho, NULL, NULL);
		f->cwhoset = 2;
	}
	return 0;
}

/* 1 when paths a and b name the same file (or, unknown, are equal). */
static int
follow_samefile(const char *a, const char *b)
{
	struct stat	 sa, sb;

	if (stat(a, &sa) == -1 || stat(b, &sb) == -1)
		return strcmp(a, b) == 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* follow.h */
struct audit *
follow_audit_check(const struct conf *conf, struct binlog *chk, int flags,
    char **why)
{
	struct binlog_audit	 a;
	struct audit		*au = NULL;

	*why = NULL;
	if (binlog_audit(chk, &a, why) == -1)
		return NULL;
	if (!a.loaded)
		*why = xstrdup("the server runs no audit plugin (server_audit)");
	else if (!a.logging)
		*why = xstrdup("the server's server_audit_logging is OFF");
	else if (!a.file)
		*why = xstrdup("the server's server_audit_output_type is not "
		    "file");
	else if (!a.connect || !a.query)
		*why = xstrdup("the server's server_audit_events must name "
		    "CONNECT and QUERY (or QUERY_DML, QUERY_DML_NO_SELECT)");
	else if (!follow_samefile(a.path, conf->audit_log))
		*why = xasprintf("the server writes its audit log to %s",
		    a.path);
	else {
		au = audit_create(conf->audit_log, a.offset, (size_t)a.limit);
		audit_set_rotations(au, a.rotations > 100000 ? -1 :
		    (long)a.rotations);
	}
	if (au != NULL && (flags & FOLLOW_AUDIT_WARN) &&
	    (a.excl[0] != '\0' || a.incl[0] != '\0'))
		log_warnx("audit-log %s: the server's audit plugin skips "
		    "accounts (server_audit_%s_users): their changes name no "
		    "account, or, with the same text as another account's "
		    "within a minute, that account", conf->audit_log,
		    a.excl[0] != '\0' ? "excl" : "incl");
	binlog_audit_clear(&a);
	/* The file itself: readable, and by no one else writable. */
	if (au != NULL && (flags & FOLLOW_AUDIT_PROBE)) {
		if (audit_read(au, (int64_t)time(NULL) - FOLLOW_AUDIT_KEEP,
		    why) == 0 && audit_file_missing(au))
			*why = xstrdup("no such file");
		if (*why != NULL) {
			audit_free(au);
			au = NULL;
		}
	}
	return au;
}

/*
 * audit-log: the server must write there what attribution reads (the
 * plugin on, to a file, connections and statements). Otherwise an
 * op=error says why, and the run goes on with by=-.
 */
static int
follow_audit_open(struct follow *f, struct binlog *chk, char **cause)
{
	char	*why;
	int	 r;

	/* Once a run: the first run checks it at the log's end too. */
	if (f->conf->audit_log == NULL || f->auditcheck != 0)
		return 0;
	f->auditcheck = time(NULL);
	f->auditsaid = f->auditcheck;
	clock_gettime(CLOCK_MONOTONIC, &f->auditrefill);
	f->auditbudget = FOLLOW_AUDIT_WAIT_MS;
	f->auditfloor = INT64_MIN;
	f->auditrejfrom = INT64_MAX;
	/* The file is read at the first statement, from its time on. */
	if ((f->audit = follow_audit_check(f->conf, chk, FOLLOW_AUDIT_WARN,
	    &why)) != NULL)
		return 0;
	r = follow_audit_off(f, why != NULL ? why : "cannot be read", cause);
	free(why);
	return r;
}

/*
 * What attribution could not do since last said: lines of the audit log
 * left out, statements older than what it still holds. At the end of a
 * bounded run; with -f every FOLLOW_AUDIT_SAY_SECS.
 */
static int
follow_audit_say(struct follow *f, char **cause)
{
	char		*msg, from[32], to[32];
	uint64_t	 n;
	int		 r = 0;

	f->auditsaid = time(NULL);
	/* The lines left out among those of the statements read since. */
	if (f->audit != NULL && f->auditrejfrom != INT64_MAX &&
	    (n = audit_rejected_since(f->audit, f->auditrejfrom)) > 0) {
		msg = xasprintf("audit-log %s: lines left out: %llu: they do "
		    "not read exactly one way (a user or database name "
		    "holding a comma or a newline) or are too long: the "
		    "statements they record name no account",
		    f->conf->audit_log, (unsigned long long)n);
		r = follow_audit_error(f, msg, cause);
		free(msg);
		if (r == -1)
			return -1;
	}
	if (f->auditgaps > 0) {
		follow_utc((uint64_t)f->auditgapfrom, from, sizeof from);
		follow_utc((uint64_t)f->auditgapto, to, sizeof to);
		msg = xasprintf("audit-log %s: statements from %s to %s: "
		    "%llu, older than what the audit log still holds (its files "
		    "rotated away, or more than %d statements since): they "
		    "name no account", f->conf->audit_log, from, to,
		    (unsigned long long)f->auditgaps, AUDIT_QUERIES_MAX);
		f->auditgaps = 0;
		r = follow_audit_error(f, msg, cause);
		free(msg);
		if (r == -1)
			return -1;
	}
	if (f->auditundecided > 0) {
		msg = xasprintf("audit-log %s: statements not decided: %llu: "
		    "their text has more than %d records in the audit log "
		    "(or more than %d cut texts of different lengths share "
		    "its start): they name no account", f->conf->audit_log,
		    (unsigned long long)f->auditundecided, AUDIT_WALK_MAX,
		    AUDIT_PREFIX_MAX);
		f->auditundecided = 0;
		r = follow_audit_error(f, msg, cause);
		free(msg);
		if (r == -1)
			return -1;
	}
	/* What is said is said: from the newest line read on. */
	if (f->audit != NULL && f->auditrejfrom != INT64_MAX &&
	    audit_newest(f->audit) != INT64_MIN)
		f->auditrejfrom = audit_newest(f->audit) + 1;
	return r;
}

/*
 * -f: every FOLLOW_AUDIT_CHECK_SECS the plugin's settings again (off,
 * another file: said, by=- until right; right again: attribution
 * resumes), and what attribution could not do.
 */
static int
follow_audit_tick(struct follow *f, char **cause)
{
	struct binlog	*chk;
	struct audit	*au;
	char		*why = NULL;
	time_t		 now = time(NULL);
	int		 r = 0;

	if (f->conf->audit_log == NULL || !(f->flags & FOLLOW_BLOCK))
		return 0;
	if (now - f->auditsaid >= FOLLOW_AUDIT_SAY_SECS &&
	    follow_audit_say(f, cause) == -1)
		return -1;
	if (now - f->auditcheck < FOLLOW_AUDIT_CHECK_SECS)
		return 0;
	f->auditcheck = now;
	if ((chk = binlog_open(f->conf->defaults_file, f->conf->group, NULL,
	    (uint32_t)f->conf->follow_server_id, 0, &why)) == NULL) {
		/* The dump's own connection says the rest. */
		free(why);
		return 0;
	}
	/* Off: the file too must read before attribution resumes. */
	au = follow_audit_check(f->conf, chk, f->audit == NULL ?
	    FOLLOW_AUDIT_PROBE : 0, &why);
	binlog_close(chk);
	if (au == NULL)
		r = follow_audit_off(f, why != NULL ? why : "cannot be read",
		    cause);
	else if (f->audit == NULL) {
		log_warnx("audit-log %s: on again", f->conf->audit_log);
		free(f->auditwhy);
		f->auditwhy = NULL;
		f->audit = au;
		f->auditread = 1;
		f->auditrejfrom = INT64_MAX;
		au = NULL;
	}
	audit_free(au);
	free(why);
	return r;
}

/* The followed table db.name (NUL-terminated raw bytes), or NULL. */
static struct ftable *
follow_find(struct follow *f, const char *db, const char *name)
{
	const struct conf_table	*ct;

	if ((ct = conf_find_table(f->conf, db, name)) == NULL)
		return NULL;
	return f->byconf[ct - f->conf->tables];
}

/* Forget a table's description: a statement changed it. */
static void
follow_forget(struct ftable *ft)
{
	schema_free(ft->s);
	ft->s = NULL;
	free(ft->names);
	ft->names = NULL;
	ft->gone = 0;
}

/*
 * Describe a table as the scanner does (conf applied, keys in the current
 * encoding), through a connection of its own: the follower may idle for
 * hours between descriptions. 0, 1 when the table is gone, -1 on error.
 */
static int
follow_describe(struct follow *f, struct ftable *ft, char **cause)
{
	struct source	*src;
	struct column	*c;
	size_t		 i;
	int		 r;

	if (ft->s != NULL)
		return 0;
	if (ft->gone)
		return 1;
	if ((src = source_open(f->conf->defaults_file, f->conf->group,
	    cause)) == NULL)
		return -1;
	r = source_describe(src, ft->ct->db, ft->ct->name, &ft->s, cause);
	source_close(src);
	if (r == 1) {
		ft->gone = 1;
		return 1;
	}
	if (r == -1)
		return -1;
	if (schema_apply_conf(ft->s, ft->ct, cause) == -1) {
		follow_forget(ft);
		return -1;
	}
	for (i = 0; i < ft->s->ncols; i++) {
		c = &ft->s->cols[i];
		c->enc = schema_colenc(c, ft->s->encver);
		c->keyenc = schema_keyenc(c, ft->s->encver);
	}
	ft->names = xcalloc(ft->s->ncols + 1, sizeof *ft->names);
	return 0;
}

/* Forget the maps of the group that ended. */
static void
follow_maps_clear(struct follow *f)
{
	size_t	 i;

	for (i = 0; i < f->nmaps; i++)
		binrow_map_clear(&f->maps[i].map);
	free(f->maps);
	f->maps = NULL;
	f->nmaps = 0;
}

/* A new group: its statements are said again. */
static void
follow_textchanged_clear(struct follow *f)
{
	size_t	 i;

	for (i = 0; i < f->ntables; i++)
		f->tables[i].textchanged = 0;
}

/* A TABLE_MAP: kept when it maps a followed table. */
static int
follow_table_map(struct follow *f, const struct binlog_event *ev,
    char **cause)
{
	struct binrow_map	 map;
	struct ftable		*ft;
	size_t			 i;

	memset(&map, 0, sizeof map);
	if (binrow_map_parse(&map, ev->body, ev->len, cause) == -1)
		return -1;
	ft = follow_find(f, map.db, map.name);
	if (ft == NULL) {
		binrow_map_clear(&map);
		return 0;
	}
	/* A table id mapped again in the group: the later map holds. */
	for (i = 0; i < f->nmaps; i++) {
		if (f->maps[i].map.table_id != map.table_id)
			continue;
		binrow_map_clear(&f->maps[i].map);
		f->maps[i].map = map;
		f->maps[i].ft = ft;
		f->maps[i].shaped = f->maps[i].bad = 0;
		return 0;
	}
	f->maps = xreallocarray(f->maps, f->nmaps + 1, sizeof *f->maps);
	memset(&f->maps[f->nmaps], 0, sizeof f->maps[f->nmaps]);
	f->maps[f->nmaps].map = map;
	f->maps[f->nmaps].ft = ft;
	f->nmaps++;
	return 0;
}

/* The key of a row image, built as the scanner builds it. */
static int
follow_key(struct follow *f, const struct fmap *fm,
    const struct binrow_image *img, struct buf *key, char **cause)
{
	return logrow_key(&fm->map, img, fm->ft->s, &f->txt, key, cause);
}

/*
 * The hashed columns whose stored bytes differ between the images, into
 * the table's names: how many.
 */
static int
follow_changed(const struct fmap *fm, const struct binrow_image *b,
    const struct binrow_image *a, size_t *n, char **cause)
{
	const struct schema	*s = fm->ft->s;
	size_t			 i;

	*n = 0;
	for (i = 0; i < s->ncols; i++) {
		if (!s->cols[i].hashed)
			continue;
		if (i >= b->ncols || i >= a->ncols || !b->present[i] ||
		    !a->present[i]) {
			*cause = xasprintf("column %s is not in both row "
			    "images (binlog_row_image must be FULL)",
			    s->cols[i].name);
			return -1;
		}
		if (b->null[i] != a->null[i] || (!b->null[i] &&
		    (b->rawlen[i] != a->rawlen[i] || (b->rawlen[i] > 0 &&
		    memcmp(b->raw[i], a->raw[i], b->rawlen[i]) != 0))))
			fm->ft->names[(*n)++] = s->cols[i].name;
	}
	return 0;
}

/*
 * One row change: its records. 1 for a row the table cannot give a
 * record for (reported), -1 on a failure of the baseline.
 */
static int
follow_row(struct follow *f, const struct fmap *fm, enum binrow_kind kind,
    char **cause)
{
	const struct schema	*s = fm->ft->s;
	char			*why = NULL;
	size_t			 n;
	int			 r;

	switch (kind) {
	case BINROW_WRITE:
		if (follow_key(f, fm, &f->after, &f->ka, &why) == -1)
			break;
		f->grouprows++;
		return follow_queue(f, "insert", event_binlog_insert(&f->rec,
		    s, (unsigned char *)f->ka.data, f->ka.len,
		    follow_who(&f->swho), cause), cause);
	case BINROW_DELETE:
		if (follow_key(f, fm, &f->before, &f->kb, &why) == -1)
			break;
		f->grouprows++;
		return follow_queue(f, "delete", event_binlog_delete(&f->rec,
		    s, (unsigned char *)f->kb.data, f->kb.len,
		    follow_who(&f->swho), cause), cause);
	case BINROW_UPDATE:
		if (follow_key(f, fm, &f->before, &f->kb, &why) == -1 ||
		    follow_key(f, fm, &f->after, &f->ka, &why) == -1)
			break;
		if (f->kb.len != f->ka.len ||
		    memcmp(f->kb.data, f->ka.data, f->kb.len) != 0) {
			/* A new key: the old row went, a new one came. */
			f->grouprows += 2;
			if (follow_queue(f, "delete", event_binlog_delete(
			    &f->rec, s, (unsigned char *)f->kb.data,
			    f->kb.len, follow_who(&f->swho), cause),
			    cause) == -1)
				return -1;
			return follow_queue(f, "insert", event_binlog_insert(
			    &f->rec, s, (unsigned char *)f->ka.data,
			    f->ka.len, follow_who(&f->swho), cause), cause);
		}
		if (follow_changed(fm, &f->before, &f->after, &n, &why) == -1)
			break;
		/* Only ignore= columns changed: nothing to say. */
		if (n == 0)
			return 0;
		f->grouprows++;
		return follow_queue(f, "update", event_binlog_update(&f->rec,
		    s, (unsigned char *)f->ka.data, f->ka.len, fm->ft->names,
		    n, follow_who(&f->swho), cause), cause);
	}
	r = follow_table_error(f, fm->ft->ct, why, cause);
	free(why);
	return r == -1 ? -1 : 1;
}

/*
 * The map's columns must be the description's (names in order, types):
 * never decode rows logged before an ALTER against the table of now.
 * The description may be older than the map (an ALTER that ddl.c did
 * not see, with -f): described once more before refusing, and not again
 * until a map matches (a follower behind reads many maps of the old
 * shape, each refused without a connection of its own).
 */
static void
follow_shape(struct follow *f, struct fmap *fm, char **why)
{
	char	*c = NULL;
	int	 r;

	if (binrow_map_check(&fm->map, fm->ft->s, &c) == 0) {
		fm->ft->redescribed = 0;
		return;
	}
	if (!fm->ft->redescribed) {
		free(c);
		c = NULL;
		follow_forget(fm->ft);
		if ((r = follow_describe(f, fm->ft, why)) == -1)
			return;
		if (r == 1) {
			*why = xstrdup("the table is gone: its changes in the "
			    "binary log cannot be read");
			return;
		}
		if (binrow_map_check(&fm->map, fm->ft->s, &c) == 0)
			return;
		fm->ft->redescribed = 1;
	}
	*why = xasprintf("the table changed shape since this event was "
	    "logged (%s)", c != NULL ? c : "unknown");
	free(c);
}

/* A ROWS event of a followed table: a record per row change. */
static int
follow_rows(struct follow *f, const struct binlog_event *ev, char **cause)
{
	struct binrow_rows	 rows;
	struct fmap		*fm = NULL;
	char			*why = NULL, *msg;
	size_t			 i;
	int			 r = -1;

	memset(&rows, 0, sizeof rows);
	if (binrow_rows_parse(&rows, ev->rawtype, ev->body, ev->len,
	    cause) == -1)
		return -1;
	for (i = 0; i < f->nmaps; i++)
		if (f->maps[i].map.table_id == rows.table_id)
			fm = &f->maps[i];
	if (fm == NULL || fm->bad) {
		r = 0;
		goto out;
	}
	/* A statement of the group may have made it forget the table. */
	if (!fm->shaped || fm->ft->s == NULL) {
		r = follow_describe(f, fm->ft, &why);
		if (r == 1) {
			/* Dropped since: the DROP gives its op=ddl. */
			why = xstrdup("the table is gone: its changes in the "
			    "binary log cannot be read");
		}
		if (r == 0)
			follow_shape(f, fm, &why);
		if (why != NULL) {
			fm->bad = 1;
			r = follow_table_error(f, fm->ft->ct, why, cause);
			goto out;
		}
		fm->shaped = 1;
	}
	if (follow_txn(f, cause) == -1)
		goto out;
	while ((r = binrow_next(&rows, &fm->map, &f->before, &f->after,
	    &why)) == 1) {
		if ((r = follow_row(f, fm, rows.kind, cause)) == -1)
			goto out;
	}
	if (r == -1) {
		/* Bytes that do not decode: this table's event is lost. */
		fm->bad = 1;
		msg = xasprintf("a row event cannot be read: %s", why);
		r = follow_table_error(f, fm->ft->ct, msg, cause);
		free(msg);
		goto out;
	}
	r = 0;
out:
	free(why);
	binrow_rows_clear(&rows);
	return r;
}

/* The transaction fields of a record: the group's GTID, conn, time, pos. */
static void
follow_evtxn(const struct binlog_event *ev, struct event_txn *t)
{
	t->gtid = ev->gtid;
	t->conn = ev->thread_id;
	t->when = ev->when;
	t->file = ev->next.file;
	t->offset = ev->next.offset;
	t->who = NULL;
}

struct follow_ddl {
	struct follow			*f;
	const struct binlog_event	*ev;
	const struct event_who		*who;
	char				**cause;
};

/* A table a statement names: op=ddl when it is followed. */
static int
follow_ddl_one(void *arg, enum ddl_stmt kind, const char *db, size_t dblen,
    const char *name, size_t namelen)
{
	struct follow_ddl	*d = arg;
	struct follow		*f = d->f;
	struct event_txn	 t;
	const struct conf_table	*ct;
	size_t			 i;

	follow_evtxn(d->ev, &t);
	t.who = d->who;
	/*
	 * Rows written by a statement logged as text: through a trigger,
	 * a view or a stored function it may have written any table,
	 * whatever it names, so every followed table is said (once a
	 * group).
	 */
	if (kind == DDL_DML) {
		for (i = 0; i < f->ntables; i++) {
			if (f->tables[i].textchanged)
				continue;
			f->tables[i].textchanged = 1;
			if (follow_table_error(f, f->tables[i].ct,
			    FOLLOW_TEXT_MSG, d->cause) == -1)
				return -1;
		}
		return 0;
	}
	for (i = 0; i < f->ntables; i++) {
		ct = f->tables[i].ct;
		/* db NULL: a statement that may have changed any table. */
		if (db != NULL && !ddl_samename(ct->db, db, dblen))
			continue;
		if (name != NULL && !ddl_samename(ct->name, name, namelen))
			continue;
		follow_forget(&f->tables[i]);
		if (follow_txn(f, d->cause) == -1 ||
		    follow_queue(f, "ddl", event_ddl(&f->rec, ct->db,
		    strlen(ct->db), ct->name, strlen(ct->name),
		    ddl_name(kind), &t, d->cause), d->cause) == -1)
			return -1;
		f->groupddl++;
	}
	return 0;
}

/*
 * A statement: op=ddl for each followed table it changes, op=error for
 * each it may have written rows of (logged as text); never its text.
 */
static int
follow_query(struct follow *f, const struct binlog_event *ev, char **cause)
{
	struct follow_ddl	 d;
	struct fwho		 who = { { NULL, NULL }, NULL };
	int			 r = -1;

	if (follow_who_conn(f, ev->thread_id, ev->when, ev->stmt, ev->stmtlen,
	    &who, cause) == 0) {
		d.f = f;
		d.ev = ev;
		d.who = follow_who(&who);
		d.cause = cause;
		r = ddl_parse(ev->stmt, ev->stmtlen, ev->db, ev->dblen,
		    follow_ddl_one, &d);
	}
	free(who.account);
	return r;
}

/*
 * Store the position in the open transaction, commit, unlock; with -f
 * deliver the batch first (a bounded run delivers once, at its end).
 */
static int
follow_commit(struct follow *f, char **cause)
{
	if (baseline_follow_set(f->bl, f->pos.file, f->pos.offset, f->gtid,
	    cause) == -1 || (f->have_sid && baseline_follow_server_set(f->bl,
	    f->server_id, f->created, cause) == -1) ||
	    run_commit(f->run, cause) == -1) {
		f->intxn = 0;
		return -1;
	}
	f->intxn = 0;
	f->unstored = 0;
	f->ngroups = 0;
	f->stored = time(NULL);
	if ((f->flags & FOLLOW_BLOCK) && run_deliver(f->run) == -1)
		f->errors++;
	run_unlock(f->run);
	return 0;
}

/* A bounded run's delivery, under the lock, once at its end. */
static int
follow_deliver(struct follow *f, char **cause)
{
	int	 r;

	if (f->flags & FOLLOW_BLOCK)
		return 0;
	if (run_lock(f->run, FOLLOW_LOCK_WAIT, 0, cause) == -1) {
		if (*f->stop)
			f->interrupted = 1;
		return -1;
	}
	if ((r = run_deliver(f->run)) == -1)
		f->errors++;
	run_unlock(f->run);
	return 0;
}

/* Store a position past groups that queued nothing, on its own. */
static int
follow_store(struct follow *f, char **cause)
{
	if (!f->unstored)
		return 0;
	if (follow_txn(f, cause) == -1)
		return -1;
	return follow_commit(f, cause);
}

/*
 * The end of a group (COMMIT, or a ROLLBACK whose row records were
 * dropped): op=commit after its row records, the position.
 */
static int
follow_group_end(struct follow *f, const struct binlog_event *ev,
    char **cause)
{
	struct event_txn	 t;
	int			 r;

	follow_maps_clear(f);
	follow_textchanged_clear(f);
	follow_group_clear(f);
	memcpy(&f->pos, &ev->next, sizeof f->pos);
	snprintf(f->gtid, sizeof f->gtid, "%s", ev->gtid);
	f->created = ev->created;
	f->unstored = 1;
	f->ngroups++;
	if (f->intxn) {
		follow_evtxn(ev, &t);
		/* The one account every statement names, if one. */
		t.who = f->cwhoset == 1 ? follow_who(&f->cwho) : NULL;
		r = 0;
		if (f->grouprows > 0)
			r = follow_queue(f, "commit", event_commit(&f->rec,
			    f->grouprows, &t, cause), cause);
		if (r == -1)
			return -1;
		f->grouprows = 0;
		f->groupddl = 0;
		f->batchgroups++;
		if (follow_batch_due(f))
			return follow_commit(f, cause);
		return 0;
	}
	if ((f->flags & FOLLOW_BLOCK) && (f->ngroups >= FOLLOW_STORE_GROUPS ||
	    time(NULL) - f->stored >= FOLLOW_STORE_SECS))
		return follow_store(f, cause);
	return 0;
}

/*
 * The end of a group that XA PREPARE leaves waiting: its row records are
 * kept (follow_queue), the position goes on, no op=commit yet.
 */
static int
follow_xa_prepare(struct follow *f, const struct binlog_event *ev,
    char **cause)
{
	if (follow_unsure_say(f, cause) == -1)
		return -1;
	f->grouprows = 0;
	f->xa = 0;
	return follow_group_end(f, ev, cause);
}

/*
 * XA COMMIT xid: the kept records to the outbox and their op=commit, in
 * the statement group's transaction; XA ROLLBACK xid: forgotten. The
 * group's COMMIT (binlog.c makes one) stores the position.
 */
static int
follow_xa_end(struct follow *f, const struct binlog_event *ev, int commit,
    char **cause)
{
	struct event_txn	 t;
	uint64_t		 n;

	if (follow_txn(f, cause) == -1 ||
	    baseline_xa_end(f->bl, ev->xid, commit, &n, cause) == -1)
		return -1;
	if (n == 0)
		return 0;
	f->records += n;
	follow_evtxn(ev, &t);
	/*
	 * by=-: the log holds the XA COMMIT as the server writes it, not as
	 * the client sent it, so no audit record has its text (the rows
	 * name their statements' account).
	 */
	return follow_queue(f, "commit", event_commit(&f->rec, n, &t, cause),
	    cause);
}

/*
 * SAVEPOINT, ROLLBACK TO, RELEASE SAVEPOINT in a group: 1 when the
 * statement was one, 0 when not, -1 on error. A rollback it cannot
 * follow (ddl.h) leaves the rows as they are (a change is never lost)
 * and says that some may not stand.
 */
static int
follow_savepoint(struct follow *f, const struct binlog_event *ev,
    char **cause)
{
	const char	*gtid = ev->gtid[0] != '\0' ? ev->gtid : "-";
	char		*msg;
	int64_t		 mark, first, to;
	int		 r;

	switch (ddl_sp_stmt(&f->sps, ev->stmt, ev->stmtlen, DDL_SP_PENDING,
	    &mark, &first)) {
	case DDL_SP_OTHER:
		return 0;
	case DDL_SP_DONE:
		return 1;
	case DDL_SP_ROLLBACK:
		return follow_drop(f, mark, cause) == -1 ? -1 : 1;
	case DDL_SP_UNSURE:
		/*
		 * The rows after the last mark go; those after the first
		 * may have gone too: said at the group's end if they are
		 * still queued then (a later rollback may drop them).
		 */
		to = mark != DDL_SP_PENDING ? mark : f->lastrow;
		if (to > first) {
			if (f->unsurefrom == DDL_SP_PENDING) {
				f->unsurefrom = first;
				f->unsureto = to;
			}
			if (first < f->unsurefrom)
				f->unsurefrom = first;
			if (to > f->unsureto)
				f->unsureto = to;
			free(f->unsuremsg);
			f->unsuremsg = xasprintf("%s:%llu: a ROLLBACK TO a "
			    "savepoint whose name was set more than once in "
			    "the transaction (a trigger or a stored function "
			    "has savepoints of its own, which leave the outer "
			    "one where it was): rows reported for this "
			    "transaction (GTID %s) set between the two may "
			    "have been rolled back: the next scan shows which "
			    "stand", ev->at.file,
			    (unsigned long long)ev->at.offset, gtid);
		}
		return follow_drop(f, mark, cause) == -1 ? -1 : 1;
	default:
		msg = xasprintf("%s:%llu: a ROLLBACK TO a savepoint the "
		    "follower cannot follow (one of more than %d set since, "
		    "or after a savepoint named outside ASCII, which the "
		    "server compares without accents, or longer than %d "
		    "bytes): rows reported for this transaction (GTID %s) "
		    "may have been rolled back: the next scan shows which "
		    "stand", ev->at.file, (unsigned long long)ev->at.offset,
		    DDL_SP_MAX, DDL_SP_NAME_MAX, gtid);
		break;
	}
	log_warnx("%s", msg);
	r = follow_txn(f, cause) == -1 ||
	    run_queue_error(f->run, NULL, NULL, msg, cause) == -1 ? -1 : 1;
	free(msg);
	if (r == 1)
		f->errors++;
	return r;
}

/*
 * A statement outside a transaction (DDL: MariaDB writes it as a group
 * of its own, without COMMIT) ends where it is: its records and the
 * position after it are stored at once.
 */
static int
follow_query_group(struct follow *f, const struct binlog_event *ev,
    char **cause)
{
	if (follow_query(f, ev, cause) == -1)
		return -1;
	if (f->ingroup)
		return 0;
	return follow_group_end(f, ev, cause);
}

/*
 * A group that ended without COMMIT (a statement of its own, whose
 * reader gave it a BEGIN): ended after its last event, when the next
 * group begins or the log ends. A group with row events always ends
 * with COMMIT or ROLLBACK and is never ended here.
 */
static int
follow_unended(struct follow *f, char **cause)
{
	if (!f->ingroup || f->rowsseen)
		return 0;
	f->ingroup = 0;
	return follow_group_end(f, &f->last, cause);
}

/*
 * The first run: no position stored. The log's current end is stored
 * and said (op=start); what was written before it is the scan's.
 */
static int
follow_start(struct follow *f, char **cause)
{
	struct binlog	*bl;
	uint32_t	 sid = (uint32_t)f->conf->follow_server_id;
	int		 r;

	if ((bl = binlog_open(f->conf->defaults_file, f->conf->group, NULL,
	    sid, 0, cause)) == NULL)
		return -1;
	/*
	 * The GTID state at that very position (gtid_binlog_pos may have
	 * moved on since), which the next run checks the log against.
	 */
	if (binlog_end(bl, &f->pos, f->gtid, sizeof f->gtid, cause) == -1 ||
	    binlog_origin(bl, &f->pos, &f->server_id, f->gtid, sizeof f->gtid,
	    cause) != 1) {
		if (*cause == NULL)
			*cause = xstrdup("the end of the binary log moved "
			    "while it was read: run again");
		binlog_close(bl);
		return -1;
	}
	f->have_sid = 1;
	r = follow_audit_open(f, bl, cause);
	binlog_close(bl);
	/*
	 * When the server opened the position's file, stored with it (a
	 * RESET MASTER before the next run then shows, as after any other).
	 */
	if (r == -1 || binlog_probe(f->conf->defaults_file, f->conf->group,
	    &f->pos, sid, f->stop, &f->created, cause) == -1)
		return -1;
	f->unstored = 1;
	if (follow_txn(f, cause) == -1 ||
	    follow_queue(f, "start", event_start(&f->rec, f->pos.file,
	    f->pos.offset, f->gtid, cause), cause) == -1)
		return -1;
	return follow_commit(f, cause);
}

static void
follow_free(struct follow *f)
{
	size_t	 i;

	follow_maps_clear(f);
	for (i = 0; i < f->ntables; i++)
		follow_forget(&f->tables[i]);
	free(f->tables);
	free(f->byconf);
	binrow_image_free(&f->before);
	binrow_image_free(&f->after);
	buf_free(&f->rec);
	buf_free(&f->kb);
	buf_free(&f->ka);
	buf_free(&f->txt);
	binlog_close(f->bl_log);
	baseline_unlock(f->flock);
	audit_free(f->audit);
	free(f->auditwhy);
	follow_who_set(&f->swho, NULL, NULL);
	follow_who_set(&f->cwho, NULL, NULL);
	free(f->unsuremsg);
}

/* A time stamp of the log as UTC text. */
static void
follow_utc(uint64_t t, char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "%llu", (unsigned long long)t);
}

/*
 * Once the dump has sent the format description of the stored position's
 * file: when the server opened that file must be when it had opened it
 * as the position was stored. A file of the same name made since (RESET
 * MASTER, another server) has another, whatever its GTIDs say.
 */
static int
follow_created(struct follow *f, char **cause)
{
	char		 now[32], then[32];
	uint32_t	 c;

	if (f->created_checked || (c = binlog_created(f->bl_log)) == 0)
		return 0;
	f->created_checked = 1;
	if (f->want_created == 0) {
		/* Stored without it: learnt now, for the next run. */
		f->created = c;
		return 0;
	}
	if (c == f->want_created)
		return 0;
	follow_utc(c, now, sizeof now);
	follow_utc(f->want_created, then, sizeof then);
	*cause = xasprintf("binary log reset or another server: %s was "
	    "opened by the server at %s, not at %s as when the position "
	    "%s:%llu was stored; dbsyscheck reset starts over at the end of "
	    "the log, and a scan covers what came before", f->pos.file, now,
	    then, f->pos.file, (unsigned long long)f->pos.offset);
	return -1;
}

/* The events after the stored position, until the end or a signal. */
static int
follow_loop(struct follow *f, char **cause)
{
	struct binlog_event	 ev;
	int			 r;

	while ((r = binlog_next(f->bl_log, &ev, f->stop, cause)) == 1) {
		if (follow_created(f, cause) == -1)
			return -1;
		switch (ev.type) {
		case BINLOG_BEGIN:
			r = follow_unended(f, cause);
			if (r == 0)
				r = follow_audit_tick(f, cause);
			follow_maps_clear(f);
			follow_textchanged_clear(f);
			follow_group_clear(f);
			f->ingroup = 1;
			f->rowsseen = 0;
			f->xa = ev.xid[0] != '\0';
			snprintf(f->xid, sizeof f->xid, "%s", ev.xid);
			if (r == -1)
				break;
			/* Rows with no statement text: no one. */
			f->cwhoset = 0;
			follow_who_set(&f->cwho, NULL, NULL);
			follow_who_set(&f->swho, NULL, NULL);
			break;
		case BINLOG_ANNOTATE:
			r = follow_who_stmt(f, &ev, cause);
			break;
		case BINLOG_TABLE_MAP:
			f->rowsseen = 1;
			r = follow_table_map(f, &ev, cause);
			break;
		case BINLOG_ROWS:
			f->rowsseen = 1;
			r = follow_rows(f, &ev, cause);
			break;
		case BINLOG_QUERY:
			if (f->ingroup && (r = follow_savepoint(f, &ev,
			    cause)) != 0)
				break;
			r = follow_query_group(f, &ev, cause);
			break;
		case BINLOG_ROLLBACK:
			/*
			 * The group's non-transactional changes stay (its
			 * temporary tables: MyISAM rows are groups of their
			 * own in a row-based log); its row records, InnoDB
			 * rows logged with them, were rolled back.
			 */
			r = follow_drop(f, f->groupmark, cause);
			/* FALLTHROUGH */
		case BINLOG_COMMIT:
			if (r != -1)
				r = follow_unsure_say(f, cause);
			f->ingroup = 0;
			f->xa = 0;
			if (r != -1)
				r = follow_group_end(f, &ev, cause);
			break;
		case BINLOG_XA_PREPARE:
			f->ingroup = 0;
			r = follow_xa_prepare(f, &ev, cause);
			break;
		case BINLOG_XA_COMMIT:
		case BINLOG_XA_ROLLBACK:
			r = follow_xa_end(f, &ev, ev.type == BINLOG_XA_COMMIT,
			    cause);
			break;
		case BINLOG_IDLE:
			/* Nothing new: the batch, or the position, now. */
			if (!f->ingroup && (follow_audit_tick(f, cause) == -1 ||
			    follow_store(f, cause) == -1))
				return -1;
			if (*f->stop)
				return 0;
			continue;
		default:
			r = 0;
			break;
		}
		if (r == -1)
			return -1;
		f->last = ev;
		f->last.body = NULL;
		f->last.db = f->last.stmt = NULL;
		/* Inside a group: rolled back by the caller, read again. */
		if (*f->stop)
			return 0;
	}
	if (r == -1 || follow_created(f, cause) == -1)
		return -1;
	return follow_unended(f, cause);
}

/* 1 when every GTID of the comma-separated list want is in list have. */
static int
follow_gtid_in(const char *want, const char *have)
{
	const char	*w, *h;
	size_t		 wn, hn;

	if (*want == '\0')
		return *have == '\0';
	for (w = want; *w != '\0'; w += wn + (w[wn] == ',')) {
		wn = strcspn(w, ",");
		for (h = have; *h != '\0'; h += hn + (h[hn] == ',')) {
			hn = strcspn(h, ",");
			if (hn == wn && memcmp(h, w, wn) == 0)
				break;
		}
		if (*h == '\0')
			return 0;
	}
	return 1;
}

/*
 * The stored position must be in the log it was read from: the same
 * server (its server_id, once stored) and, at that offset, the GTID state
 * stored with it. After RESET MASTER, or against another server at the
 * same address, the same file and offset hold other events: never read
 * from there. 0, or -1 and *cause naming why.
 */
static int
follow_placed(struct follow *f, struct binlog *chk, const struct binlog_pos
    *pos, int stored_sid, uint64_t sid, char **cause)
{
	char		 at[BINLOG_GTID_MAX + 1];
	const char	*again = "; dbsyscheck reset starts over at the end "
			    "of the log, and a scan covers what came before";
	int		 r;

	r = binlog_origin(chk, pos, &f->server_id, at, sizeof at, cause);
	if (r == -1)
		return -1;
	if (stored_sid && f->server_id != sid) {
		*cause = xasprintf("another server: the stored position %s:%llu "
		    "was read from server_id %llu, this is server_id %llu%s",
		    pos->file, (unsigned long long)pos->offset,
		    (unsigned long long)sid,
		    (unsigned long long)f->server_id, again);
		return -1;
	}
	f->have_sid = 1;
	if (r == 0)		/* the file is gone: the dump says purged */
		return 0;
	if (r == 2) {
		*cause = xasprintf("binary log reset or another server: no "
		    "event of the server's log starts at the stored position "
		    "%s:%llu%s", pos->file, (unsigned long long)pos->offset,
		    again);
		return -1;
	}
	if (!follow_gtid_in(f->gtid, at)) {
		*cause = xasprintf("binary log reset or another server: at the "
		    "stored position %s:%llu the log's GTID state is %s, not "
		    "%s as stored%s", pos->file,
		    (unsigned long long)pos->offset, *at != '\0' ? at : "empty",
		    *f->gtid != '\0' ? f->gtid : "empty", again);
		return -1;
	}
	return 0;
}

/*
 * Open the log at the stored position, checked before the dump and again
 * once it started (a reset in between).
 */
static int
follow_open(struct follow *f, const struct binlog_pos *start, int stored_sid,
    uint64_t sid, char **cause)
{
	struct binlog	*chk;
	int		 r = -1;

	if ((chk = binlog_open(f->conf->defaults_file, f->conf->group, NULL,
	    (uint32_t)f->conf->follow_server_id, 0, cause)) == NULL)
		return -1;
	if (follow_placed(f, chk, start, stored_sid, sid, cause) == -1)
		goto out;
	if ((f->bl_log = binlog_open(f->conf->defaults_file, f->conf->group,
	    start, (uint32_t)f->conf->follow_server_id,
	    (f->flags & FOLLOW_BLOCK) ? BINLOG_BLOCK : 0, cause)) == NULL)
		goto out;
	if (follow_placed(f, chk, start, stored_sid, sid, cause) == -1 ||
	    follow_audit_open(f, chk, cause) == -1)
		goto out;
	r = 0;
out:
	binlog_close(chk);
	return r;
}

/* follow: see follow.h. */
enum run_result
follow_run(struct run *run, int flags)
{
	const struct conf_table	**sel = NULL;
	struct follow		  f;
	char			 *lpath, *msg;
	struct binlog_pos	  start;
	char			 *cause = NULL;
	size_t			  nsel, i;
	uint64_t		  sid = 0;
	int			  r, stored_sid = 0;
	enum run_result		  rc = RUN_ERROR;

	memset(&f, 0, sizeof f);
	follow_group_clear(&f);
	f.flock = -1;
	f.run = run;
	f.conf = run_conf(run);
	f.stop = run_stop(run);
	f.flags = flags;
	buf_init(&f.rec, RECORD_MAX);
	buf_init(&f.kb, BUF_NOCAP);
	buf_init(&f.ka, BUF_NOCAP);
	buf_init(&f.txt, BUF_NOCAP);
	if (conf_select(f.conf, 0, NULL, &sel, &nsel, &cause) == -1) {
		run_fail(run, cause);
		goto out;
	}
	if (f.conf->follow_server_id == 0) {
		run_fail(run, "follow needs follow-server-id in the "
		    "configuration: the server id it presents to the server, "
		    "unique among the server's replicas (dbsyscheck.conf(5))");
		goto out;
	}
	f.tables = xcalloc(nsel + 1, sizeof *f.tables);
	f.byconf = xcalloc(f.conf->ntables + 1, sizeof *f.byconf);
	for (i = 0; i < nsel; i++) {
		f.tables[i].ct = sel[i];
		f.byconf[sel[i] - f.conf->tables] = &f.tables[i];
	}
	f.ntables = nsel;
	/*
	 * One follower at a time: a second one on the same baseline would
	 * present the same server id, and the server ends the first one's
	 * dump. The lock is PATH.follow.lock beside the run lock, in the
	 * baseline's directory, made as a scan makes it if missing (a
	 * first follow before any scan).
	 */
	if (util_mkdir_parent(f.conf->baseline, &cause) == -1) {
		run_fail(run, cause);
		goto out;
	}
	lpath = xasprintf("%s.follow", f.conf->baseline);
	f.flock = baseline_lock(lpath, NULL, &cause);
	free(lpath);
	if (f.flock == -1) {
		msg = xasprintf("one follower at a time on a baseline: %s",
		    cause);
		run_fail_busy(run, msg);
		free(msg);
		goto out;
	}
	if (run_open(run, RUN_PATIENT) == -1)
		goto out;
	f.bl = run_baseline(run);
	f.stored = time(NULL);
	/* run_open took the lock: the batches take it again each. */
	if ((r = baseline_follow_get(f.bl, start.file, sizeof start.file,
	    &start.offset, f.gtid, sizeof f.gtid, &cause)) == -1 ||
	    (r == 1 && (stored_sid = baseline_follow_server_get(f.bl, &sid,
	    &f.want_created, &cause)) == -1)) {
		follow_fatal(&f, cause);
		goto out;
	}
	/* -f: what earlier runs queued goes out now, not at the next batch. */
	if (r == 1 && (flags & FOLLOW_BLOCK) && run_deliver(run) == -1)
		f.errors++;
	run_unlock(run);
	if (r == 0) {
		if (follow_start(&f, &cause) == -1) {
			follow_fatal(&f, cause);
			goto out;
		}
		if (!(flags & FOLLOW_BLOCK))
			goto deliver;
		start = f.pos;
	} else {
		f.pos = start;
		f.created = (uint32_t)f.want_created;
	}
	if (follow_open(&f, &start, stored_sid, sid, &cause) == -1 ||
	    (f.intxn && follow_commit(&f, &cause) == -1)) {
		follow_fatal(&f, cause);
		goto out;
	}
	if (follow_loop(&f, &cause) == -1 && !f.interrupted) {
		follow_fatal(&f, cause);
		goto out;
	}
	/*
	 * Stopped inside a group: it is read again from its start, and the
	 * groups batched with it too (the position moves with them).
	 */
	if (f.intxn && f.ingroup) {
		baseline_rollback(f.bl);
		f.intxn = 0;
		/*
		 * The position in memory moved past the batch's groups,
		 * whose records are gone: it must not be stored.
		 */
		f.unstored = 0;
		run_unlock(run);
	}
	/*
	 * A signal while waiting for a scan's lock stops the run cleanly:
	 * what it committed stays queued for the next delivery.
	 */
	if (!f.interrupted && ((f.conf->audit_log != NULL &&
	    follow_audit_say(&f, &cause) == -1) ||
	    follow_store(&f, &cause) == -1) && !f.interrupted) {
		follow_fatal(&f, cause);
		goto out;
	}
deliver:
	if (!f.interrupted && follow_deliver(&f, &cause) == -1 &&
	    !f.interrupted) {
		follow_fatal(&f, cause);
		goto out;
	}
	if (f.errors > 0)
		rc = RUN_ERROR;
	else if (f.records > 0)
		rc = RUN_CHANGES;
	else
		rc = RUN_NOCHANGE;
out:
	free(cause);
	free(sel);
	follow_free(&f);
	return rc;
}

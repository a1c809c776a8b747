/* Unit tests for run: the lifecycle of a run, without a database server. */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "baseline.h"
#include "buf.h"
#include "conf.h"
#include "failnote.h"
#include "key.h"
#include "record.h"
#include "report.h"
#include "run.h"
#include "xmalloc.h"

#include "testdir.h"

/* One test's state: a configuration in a directory of its own. */
struct fixture {
	char		*sub;
	struct conf	*conf;
	struct run_opts	 opts;
	int		 errfd;		/* standard error, captured */
	int		 saved;		/* the real standard error */
};

static char *
path(const struct fixture *f, const char *name)
{
	return xasprintf("%s/%s", f->sub, name);
}

/*
 * A configuration watching d.t in dir/name, with an option file; records
 * go to the file "out", messages to the file "err".
 */
static void
fixture(struct fixture *f, const char *name)
{
	char	*text, *p, *cause = NULL;
	int	 fd;

	memset(f, 0, sizeof *f);
	f->sub = xasprintf("%s/%s", dir, name);
	assert_int_equal(mkdir(f->sub, 0700), 0);
	p = path(f, "my.cnf");
	assert_true((fd = open(p, O_WRONLY | O_CREAT, 0600)) != -1);
	assert_int_equal(write(fd, "[client]\n", 9), 9);
	close(fd);
	text = xasprintf("baseline %s/state/b.db\nkey %s/key\n"
	    "mysql-defaults-file %s\ntable d.t\n", f->sub, f->sub, p);
	free(p);
	f->conf = conf_parse("test.conf", text, strlen(text), &cause);
	if (f->conf == NULL)
		fail_msg("%s", cause);
	free(text);
	f->opts.report.logfd = -1;
	p = path(f, "out");
	assert_true((f->opts.report.fd = open(p, O_RDWR | O_CREAT | O_TRUNC,
	    0600)) != -1);
	free(p);
	p = path(f, "err");
	assert_true((f->errfd = open(p, O_RDWR | O_CREAT | O_TRUNC,
	    0600)) != -1);
	free(p);
	fflush(stderr);
	assert_true((f->saved = dup(STDERR_FILENO)) != -1);
	assert_int_equal(dup2(f->errfd, STDERR_FILENO), STDERR_FILENO);
}

static void
fixture_free(struct fixture *f)
{
	fflush(stderr);
	dup2(f->saved, STDERR_FILENO);
	close(f->saved);
	close(f->errfd);
	close(f->opts.report.fd);
	conf_free(f->conf);
	free(f->sub);
}

/* All that was written to fd, NUL-terminated; fd is emptied. */
static char *
take(int fd)
{
	off_t	 n;
	char	*s;

	fflush(stderr);
	assert_true((n = lseek(fd, 0, SEEK_END)) >= 0);
	s = xmalloc((size_t)n + 1);
	assert_int_equal(pread(fd, s, (size_t)n, 0), n);
	s[n] = '\0';
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return s;
}

/* The output of one direct error record: its summary and its line. */
static char *
direct(const char *msg, int tamper)
{
	struct buf	 rec;
	char		*s;

	buf_init(&rec, RECORD_MAX);
	assert_int_equal(record_error(&rec, NULL, NULL, tamper, msg, "scan"),
	    0);
	s = xasprintf("dbsyscheck: op=summary inserts=0 updates=0 deletes=0 "
	    "errors=1 pending=0 ;\ndbsyscheck: %s\n", buf_str(&rec));
	buf_free(&rec);
	return s;
}

/* Check the failure note: tamper, and msg (NULL: no note). */
static void
check_note(const struct fixture *f, int tamper, const char *msg)
{
	struct failnote	 note;
	char		*cause = NULL;
	int		 r;

	r = failnote_read(f->conf->baseline, &note, &cause);
	assert_int_equal(r, msg != NULL);
	if (msg == NULL)
		return;
	assert_int_equal(note.tamper, tamper);
	assert_string_equal(note.msg, msg);
	failnote_free(&note);
}

/*
 * Ensure that a run whose lock another process holds fails with the
 * exact message, on standard error, as a direct record, and as the note.
 */
static void
test_lock_held(void **state)
{
	struct fixture	 f;
	struct run	*run;
	char		*out, *want, *msg, *cause = NULL, c;
	int		 go[2], done[2], status, lock;
	pid_t		 pid;

	(void)state;
	fixture(&f, "lock");
	msg = path(&f, "state");
	assert_int_equal(mkdir(msg, 0700), 0);
	free(msg);
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(done), 0);
	if ((pid = fork()) == 0) {
		lock = baseline_lock(f.conf->baseline, NULL, &cause);
		c = lock == -1 ? 'n' : 'y';
		if (write(go[1], &c, 1) != 1 || read(done[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(read(go[0], &c, 1), 1);
	assert_int_equal(c, 'y');

	run = run_create(f.conf, &f.opts);
	assert_int_equal(run_open(run, 0), -1);
	assert_null(run_baseline(run));
	run_free(run);
	msg = xasprintf("another dbsyscheck run holds the lock %s.lock",
	    f.conf->baseline);
	out = take(f.opts.report.fd);
	want = direct(msg, 0);
	assert_string_equal(out, want);
	free(want);
	free(out);
	out = take(f.errfd);
	want = xasprintf("dbsyscheck: %s\n", msg);
	assert_string_equal(out, want);
	free(want);
	free(out);
	check_note(&f, 0, msg);
	free(msg);

	assert_int_equal(write(done[1], "x", 1), 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(go[0]);
	close(go[1]);
	close(done[0]);
	close(done[1]);
	/* The lock free again: the run opens, and the note is gone. */
	run = run_create(f.conf, &f.opts);
	assert_int_equal(run_open(run, 0), 0);
	assert_non_null(run_baseline(run));
	run_free(run);
	check_note(&f, 0, NULL);
	out = take(f.opts.report.fd);
	assert_string_equal(out, "");
	free(out);
	fixture_free(&f);
}

/*
 * Ensure that a missing baseline whose key exists is refused at the
 * tamper level, and that only a reset takes a new one.
 */
static void
test_missing_baseline(void **state)
{
	struct fixture	 f;
	struct run	*run;
	char		*out, *want, *msg;

	(void)state;
	fixture(&f, "missing");
	/* The very first run makes the key and the baseline. */
	run = run_create(f.conf, &f.opts);
	assert_int_equal(run_open(run, 0), 0);
	run_free(run);
	assert_int_equal(access(f.conf->key, F_OK), 0);
	assert_int_equal(unlink(f.conf->baseline), 0);

	run = run_create(f.conf, &f.opts);
	assert_int_equal(run_open(run, 0), -1);
	run_free(run);
	msg = xasprintf("baseline %s is missing but its key %s exists: it "
	    "was removed outside dbsyscheck: restore it from a backup, or run "
	    "dbsyscheck reset to take a new one (changes since the last scan "
	    "are then not reported)", f.conf->baseline, f.conf->key);
	out = take(f.opts.report.fd);
	want = direct(msg, 1);
	assert_string_equal(out, want);
	assert_non_null(strstr(out, " baseline=tampered "));
	free(want);
	free(out);
	check_note(&f, 1, msg);
	assert_int_equal(access(f.conf->baseline, F_OK), -1);
	free(msg);

	run = run_create(f.conf, &f.opts);
	assert_int_equal(run_open(run, RUN_RESET), 0);
	run_free(run);
	assert_int_equal(access(f.conf->baseline, F_OK), 0);
	check_note(&f, 0, NULL);
	out = take(f.errfd);
	free(out);
	fixture_free(&f);
}

/*
 * Ensure that a first run killed between making its key and its baseline
 * is no alarm at the next run, which takes that key up (before, the key
 * stood beside a missing baseline: "baseline=tampered"), that one killed
 * after making its baseline but before its key took the key's name goes
 * on with that key, and that a key left at PATH.new that does not open
 * the baseline is refused.
 */
static void
test_first_run_killed(void **state)
{
	struct fixture	 f;
	struct run	*run;
	char		*np, *out;
	unsigned char	 junk[KEY_LEN], got[KEY_LEN + 1];
	int		 fd;

	(void)state;
	fixture(&f, "firstkill");
	np = xasprintf("%s.new", f.conf->key);
	/* Killed after the key, before the baseline: that key is taken up. */
	assert_true((fd = open(np, O_WRONLY | O_CREAT | O_EXCL, 0600)) != -1);
	memset(junk, 'j', sizeof junk);
	assert_int_equal(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
	close(fd);
	run = run_create(f.conf, &f.opts);
	assert_int_equal(run_open(run, 0), 0);
	run_free(run);
	assert_int_equal(access(f.conf->baseline, F_OK), 0);
	assert_int_equal(access(f.conf->key, F_OK), 0);
	assert_int_equal(access(np, F_OK), -1);
	assert_true((fd = open(f.conf->key, O_RDONLY)) != -1);
	assert_int_equal(read(fd, got, sizeof got), (ssize_t)sizeof junk);
	close(fd);
	assert_memory_equal(got, junk, sizeof junk);
	check_note(&f, 0, NULL);
	/* Killed after the baseline, before the key's rename. */
	assert_int_equal(rename(f.conf->key, np), 0);
	run = run_create(f.conf, &f.opts);
	assert_int_equal(run_open(run, 0), 0);
	run_free(run);
	assert_int_equal(access(f.conf->key, F_OK), 0);
	assert_int_equal(access(np, F_OK), -1);
	/* A key at PATH.new that is not the baseline's: refused. */
	assert_int_equal(rename(f.conf->key, np), 0);
	memset(junk, 'x', sizeof junk);
	assert_true((fd = open(np, O_WRONLY | O_TRUNC)) != -1);
	assert_int_equal(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
	close(fd);
	run = run_create(f.conf, &f.opts);
	assert_int_equal(run_open(run, 0), -1);
	run_free(run);
	assert_int_equal(access(f.conf->key, F_OK), -1);
	out = take(f.opts.report.fd);
	assert_non_null(strstr(out, "op=error"));
	free(out);
	out = take(f.errfd);
	free(out);
	free(np);
	fixture_free(&f);
}

/* Queue one record in the run's baseline: a stand-in for a source. */
static void
standin(struct run *run, const char *body)
{
	char	*cause = NULL;

	assert_int_equal(baseline_outbox_add(run_baseline(run), "insert",
	    body, strlen(body), &cause), 0);
}

static uint64_t
queued(struct run *run)
{
	struct baseline_counts	 c;
	char			*cause = NULL;

	assert_int_equal(baseline_outbox_counts(run_baseline(run), 0, &c,
	    &cause), 0);
	return c.total;
}

/*
 * Ensure that a run of another kind (a stand-in source queuing its own
 * records) commits, delivers a copy of its own records and keeps them
 * queued, and that with --deliver they are taken.
 */
static void
test_standin_commit(void **state)
{
	struct fixture	 f;
	struct run	*run;
	char		*out, *cause = NULL;

	(void)state;
	fixture(&f, "standin");
	run = run_create(f.conf, &f.opts);
	assert_int_equal(run_open(run, 0), 0);
	assert_int_equal(run_begin(run, &cause), 0);
	standin(run, "op=insert table=d.t pk=1 ;");
	assert_int_equal(run_commit(run, &cause), 0);
	assert_int_equal(run_deliver(run), 1);
	out = take(f.opts.report.fd);
	assert_string_equal(out, "dbsyscheck: op=summary inserts=1 "
	    "updates=0 deletes=0 errors=0 pending=0 ;\n"
	    "dbsyscheck: op=insert table=d.t pk=1 ;\n");
	free(out);
	assert_int_equal(queued(run), 1);
	run_free(run);

	/* A second run: its own records only, and a word on the rest. */
	run = run_create(f.conf, &f.opts);
	assert_int_equal(run_open(run, 0), 0);
	assert_int_equal(run_begin(run, &cause), 0);
	standin(run, "op=insert table=d.t pk=2 ;");
	assert_int_equal(run_commit(run, &cause), 0);
	free(take(f.errfd));
	assert_int_equal(run_deliver(run), 1);
	out = take(f.opts.report.fd);
	assert_string_equal(out, "dbsyscheck: op=summary inserts=1 "
	    "updates=0 deletes=0 errors=0 pending=0 ;\n"
	    "dbsyscheck: op=insert table=d.t pk=2 ;\n");
	free(out);
	out = take(f.errfd);
	assert_string_equal(out, "dbsyscheck: 1 record queued by earlier "
	    "runs still waits for the SIEM's consumer, a run with --deliver "
	    "or with --no-report and --log (dbsyscheck status counts them, "
	    "docs/OSSEC.md sets one up)\n");
	free(out);
	run_free(run);

	/* The consumer takes both. */
	f.opts.deliver = 1;
	run = run_create(f.conf, &f.opts);
	assert_int_equal(run_report(run), RUN_CHANGES);
	out = take(f.opts.report.fd);
	assert_string_equal(out, "dbsyscheck: op=summary inserts=2 "
	    "updates=0 deletes=0 errors=0 pending=0 ;\n"
	    "dbsyscheck: op=insert table=d.t pk=1 ;\n"
	    "dbsyscheck: op=insert table=d.t pk=2 ;\n");
	free(out);
	run_free(run);
	run = run_create(f.conf, &f.opts);
	assert_int_equal(run_report(run), RUN_NOCHANGE);
	out = take(f.opts.report.fd);
	assert_string_equal(out, "");
	free(out);
	run_free(run);
	fixture_free(&f);
}

/*
 * Ensure that a failing run keeps nothing of its work and queues its
 * error in a transaction of its own, delivered at once.
 */
static void
test_standin_fail(void **state)
{
	struct fixture	 f;
	struct run	*run;
	struct buf	 rec;
	char		*out, *want, *cause = NULL;

	(void)state;
	fixture(&f, "fail");
	run = run_create(f.conf, &f.opts);
	assert_int_equal(run_open(run, 0), 0);
	assert_int_equal(run_begin(run, &cause), 0);
	standin(run, "op=insert table=d.t pk=1 ;");
	run_fail(run, "the source went away");
	assert_int_equal(queued(run), 1);
	buf_init(&rec, RECORD_MAX);
	assert_int_equal(record_error(&rec, NULL, NULL, 0,
	    "the source went away", "scan"), 0);
	want = xasprintf("dbsyscheck: op=summary inserts=0 updates=0 "
	    "deletes=0 errors=1 pending=0 ;\ndbsyscheck: %s\n",
	    buf_str(&rec));
	buf_free(&rec);
	out = take(f.opts.report.fd);
	assert_string_equal(out, want);
	free(out);
	free(want);
	out = take(f.errfd);
	assert_string_equal(out, "dbsyscheck: the source went away\n");
	free(out);
	run_free(run);
	/* Queued, not noted: report need not repeat it. */
	check_note(&f, 0, NULL);
	fixture_free(&f);
}

/* Ensure that a run failing before its baseline leaves the note. */
static void
test_fail_unopened(void **state)
{
	struct fixture	 f;
	struct run	*run;
	char		*out, *want;

	(void)state;
	fixture(&f, "unopened");
	out = path(&f, "state");
	assert_int_equal(mkdir(out, 0700), 0);
	free(out);
	run = run_create(f.conf, &f.opts);
	run_fail(run, "no such table");
	run_free(run);
	out = take(f.opts.report.fd);
	want = direct("no such table", 0);
	assert_string_equal(out, want);
	free(want);
	free(out);
	check_note(&f, 0, "no such table");
	fixture_free(&f);
}

/* Ensure that report without --deliver refuses and takes nothing. */
static void
test_report_refused(void **state)
{
	struct fixture	 f;
	struct run	*run;
	char		*out, *want;
	static const char msg[] = "report takes records off the queue for "
	    "the SIEM and runs only with --deliver, in the command that the "
	    "SIEM's agent runs (docs/OSSEC.md): nothing was taken, dbsyscheck "
	    "status counts what is queued";

	(void)state;
	fixture(&f, "refused");
	run = run_create(f.conf, &f.opts);
	assert_int_equal(run_report(run), RUN_ERROR);
	run_free(run);
	out = take(f.opts.report.fd);
	want = direct(msg, 0);
	assert_string_equal(out, want);
	free(want);
	free(out);
	fixture_free(&f);
}

/* Ensure that run_time gives UTC in ISO 8601, and "-" for none. */
static void
test_time(void **state)
{
	char	 t[32];

	(void)state;
	run_time(0, t, sizeof t);
	assert_string_equal(t, "-");
	run_time(1700000000, t, sizeof t);
	assert_string_equal(t, "2023-11-14T22:13:20Z");
	run_time(1700000000, t, 5);
	assert_string_equal(t, "-");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_held),
		cmocka_unit_test(test_missing_baseline),
		cmocka_unit_test(test_first_run_killed),
		cmocka_unit_test(test_standin_commit),
		cmocka_unit_test(test_standin_fail),
		cmocka_unit_test(test_fail_unopened),
		cmocka_unit_test(test_report_refused),
		cmocka_unit_test(test_time),
	};

	return cmocka_run_group_tests(tests, testdir_setup, testdir_teardown);
}

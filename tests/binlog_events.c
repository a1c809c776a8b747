/* Test driver: print what binlog.c reads from a server's binary log. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binlog.h"

/*
 * binlog_events DEFAULTS GROUP end
 *	prints "end FILE:POS GTID"
 * binlog_events DEFAULTS GROUP read FILE POS [block]
 *	prints one line per event, then "eof" (or "stopped" after SIGTERM in
 *	block mode); an error prints "error: CAUSE" and exits 2.
 * Statement text is printed here (a test), never by dbsyscheck.
 */

static volatile sig_atomic_t	 stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static const char *
type_name(enum binlog_evtype t)
{
	switch (t) {
	case BINLOG_BEGIN:
		return "begin";
	case BINLOG_TABLE_MAP:
		return "table_map";
	case BINLOG_ROWS:
		return "rows";
	case BINLOG_QUERY:
		return "query";
	case BINLOG_COMMIT:
		return "commit";
	case BINLOG_ROLLBACK:
		return "rollback";
	case BINLOG_XA_PREPARE:
		return "xa_prepare";
	case BINLOG_XA_COMMIT:
		return "xa_commit";
	case BINLOG_XA_ROLLBACK:
		return "xa_rollback";
	case BINLOG_IDLE:
		return "idle";
	case BINLOG_ANNOTATE:
		return "annotate";
	}
	return "?";
}

static void
print_bytes(const char *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '%')
			putchar(p[i]);
		else
			printf("%%%02X", (unsigned char)p[i]);
	}
}

int
main(int argc, char **argv)
{
	struct binlog		*b;
	struct binlog_pos	 pos;
	struct binlog_event	 ev;
	struct sigaction	 sa;
	char			 gtid[256];
	char			*cause = NULL;
	int			 flags = 0, r;

	if (argc < 4)
		goto usage;
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	if (strcmp(argv[3], "end") == 0 && argc == 4) {
		if ((b = binlog_open(argv[1], argv[2], NULL, 0, 0,
		    &cause)) == NULL)
			goto fail;
		if (binlog_end(b, &pos, gtid, sizeof gtid, &cause) == -1) {
			binlog_close(b);
			goto fail;
		}
		printf("end %s:%llu %s\n", pos.file,
		    (unsigned long long)pos.offset, gtid[0] ? gtid : "-");
		binlog_close(b);
		return 0;
	}
	if (strcmp(argv[3], "read") != 0 || argc < 6 || argc > 7)
		goto usage;
	if (argc == 7) {
		if (strcmp(argv[6], "block") != 0)
			goto usage;
		flags = BINLOG_BLOCK;
	}
	memset(&pos, 0, sizeof pos);
	if (strlen(argv[4]) >= sizeof pos.file)
		goto usage;
	memcpy(pos.file, argv[4], strlen(argv[4]) + 1);
	pos.offset = strtoull(argv[5], NULL, 10);
	if ((b = binlog_open(argv[1], argv[2], &pos, 4242, flags,
	    &cause)) == NULL)
		goto fail;
	while ((r = binlog_next(b, &ev, &stop, &cause)) == 1) {
		/* As many as the seconds waited: not part of the log. */
		if (ev.type == BINLOG_IDLE)
			continue;
		printf("%s raw=%d gtid=%s thread=%s next=%s:%llu len=%zu",
		    type_name(ev.type), ev.rawtype,
		    ev.gtid[0] ? ev.gtid : "-",
		    ev.thread_id ? "set" : "-", ev.next.file,
		    (unsigned long long)ev.next.offset, ev.len);
		if (ev.type == BINLOG_QUERY) {
			printf(" db=");
			print_bytes(ev.db, ev.dblen);
		}
		if (ev.type == BINLOG_QUERY || ev.type == BINLOG_ANNOTATE) {
			printf(" stmt=");
			print_bytes(ev.stmt, ev.stmtlen);
		}
		if (ev.thread_id)
			printf(" tid=%u", ev.thread_id);
		putchar('\n');
	}
	binlog_close(b);
	if (r == -1)
		goto fail;
	printf("%s\n", stop ? "stopped" : "eof");
	return 0;

fail:
	printf("error: %s\n", cause != NULL ? cause : "(no cause)");
	free(cause);
	return 2;

usage:
	fprintf(stderr, "usage: binlog_events defaults group end | "
	    "read file pos [block]\n");
	return 64;
}

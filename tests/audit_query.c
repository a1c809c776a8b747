/* Test driver: ask audit.c about a server_audit file. */
#include "config.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "util.h"

/*
 * audit_query FILE OFFSET LIMIT stmt T0 T1 TEXTFILE...
 *	prints "N CONN ACCOUNT" (N 1) or "N" (0 or 2) for each statement
 *	text (the file's bytes, whole)
 * audit_query FILE OFFSET LIMIT conn ID T
 *	prints "1 ACCOUNT" or "0"
 * then "rejected R files F missing M covered C"; an error prints
 * "error: CAUSE" and exits 2.
 */

static long long
num(const char *s, long long min, long long max)
{
	const char	*err;
	long long	 v;

	v = util_strtonum(s, min, max, &err);
	if (err != NULL) {
		fprintf(stderr, "audit_query: %s: %s\n", s, err);
		exit(2);
	}
	return (v);
}

int
main(int argc, char **argv)
{
	struct audit	*a;
	char		*cause = NULL, *text;
	const char	*acct;
	uint64_t	 conn;
	FILE		*f;
	size_t		 len;
	int		 i, r;

	if (argc < 7) {
		fprintf(stderr, "usage: audit_query FILE OFFSET LIMIT "
		    "stmt T0 T1 TEXTFILE... | conn ID T\n");
		return (2);
	}
	a = audit_create(argv[1], (long)num(argv[2], -86400, 86400),
	    (size_t)num(argv[3], 0, 1 << 30));
	if (audit_read(a, 0, &cause) != 0) {
		printf("error: %s\n", cause);
		free(cause);
		audit_free(a);
		return (2);
	}
	if (strcmp(argv[4], "conn") == 0) {
		r = audit_conn(a, (uint64_t)num(argv[5], 0, LLONG_MAX),
		    num(argv[6], 0, LLONG_MAX), &acct);
		printf(r == 1 ? "1 %s\n" : "0\n", acct);
	} else {
		text = malloc(AUDIT_LINE_MAX);
		if (text == NULL)
			return (2);
		for (i = 7; i < argc; i++) {
			if ((f = fopen(argv[i], "rb")) == NULL) {
				perror(argv[i]);
				return (2);
			}
			len = fread(text, 1, AUDIT_LINE_MAX, f);
			fclose(f);
			r = audit_stmt(a, text, len, num(argv[5], 0,
			    LLONG_MAX), num(argv[6], 0, LLONG_MAX), &conn,
			    &acct);
			if (r == 1)
				printf("1 %" PRIu64 " %s\n", conn, acct);
			else
				printf("%d\n", r);
		}
		free(text);
	}
	printf("rejected %" PRIu64 " files %d missing %d covered %" PRId64 "\n",
	    audit_rejected(a), audit_files(a), audit_file_missing(a),
	    audit_covered(a));
	audit_free(a);
	return (0);
}

/* libFuzzer target: server_audit's lines, as a hostile audit file feeds them. */
#include "config.h"

#include <sys/types.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "fuzz_check.h"

/*
 * The input is one line, copied to a buffer of its exact size so that a
 * read past it is caught. Every field handed out must lie inside the line
 * and a QUERY text must unescape to at most its own length; USER and HOST
 * hold no comma (a line is taken only when it splits one way).
 */
int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
inside(const char *line, size_t len, const char *p, size_t n, const char *what)
{
	FUZZ_ASSERT(n == 0 || (p != NULL && p >= line && n <= len &&
	    (size_t)(p - line) <= len - n), "%s outside the line", what);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct audit_line	 l;
	char			*line, *dst;
	ssize_t			 n;

	if ((line = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	memcpy(line, data, size);
	if (audit_parse(line, size, 3600, &l) == 0) {
		inside(line, size, l.user, l.userlen, "user");
		inside(line, size, l.host, l.hostlen, "host");
		inside(line, size, l.db, l.dblen, "db");
		inside(line, size, l.obj, l.objlen, "obj");
		FUZZ_ASSERT((l.userlen == 0 || memchr(l.user, ',',
		    l.userlen) == NULL) && (l.hostlen == 0 ||
		    memchr(l.host, ',', l.hostlen) == NULL),
		    "%s", "a comma in USER or HOST");
		if (l.op == AUDIT_QUERY) {
			FUZZ_ASSERT(l.objlen >= 2 && l.obj[0] == '\'' &&
			    l.obj[l.objlen - 1] == '\'', "query object %zu",
			    l.objlen);
			dst = malloc(l.objlen);
			FUZZ_ASSERT(dst != NULL, "%s", "malloc");
			n = audit_unescape(l.obj, l.objlen, dst);
			FUZZ_ASSERT(n >= 0 && (size_t)n <= l.objlen - 2,
			    "parsed text unescapes to %zd", n);
			free(dst);
		}
	}
	/* The unescaper alone, on the whole input. */
	if (size > 0) {
		dst = malloc(size);
		if (dst != NULL) {
			n = audit_unescape(line, size, dst);
			FUZZ_ASSERT(n == -1 || (size >= 2 &&
			    (size_t)n <= size - 2), "unescaped %zd of %zu", n,
			    size);
			free(dst);
		}
	}
	(void)audit_truncated(size, size, size / 2);
	free(line);
	return 0;
}

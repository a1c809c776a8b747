/* Small helpers: bounded number parsing, secret wiping, file checks. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "xmalloc.h"

/* Parse a decimal number in [min, max]; on error return 0 and set errstr. */
long long
util_strtonum(const char *s, long long min, long long max,
    const char **errstr)
{
	long long	 n;
	char		*end;

	*errstr = NULL;
	if (s == NULL || *s == '\0' || min > max) {
		*errstr = "invalid";
		return 0;
	}
	errno = 0;
	n = strtoll(s, &end, 10);
	if (*end != '\0' || end == s)
		*errstr = "invalid";
	else if ((n == LLONG_MIN && errno == ERANGE) || n < min)
		*errstr = "too small";
	else if ((n == LLONG_MAX && errno == ERANGE) || n > max)
		*errstr = "too large";
	return *errstr == NULL ? n : 0;
}

/* Overwrite a secret so that the compiler cannot elide it. */
void
util_wipe(void *p, size_t n)
{
#ifdef HAVE_EXPLICIT_BZERO
	explicit_bzero(p, n);
#else
	volatile unsigned char	*v = p;

	while (n-- > 0)
		*v++ = 0;
#endif
}

/* Compare n bytes without an early exit; 1 when equal. */
int
util_timingsafe_eq(const void *a, const void *b, size_t n)
{
	const unsigned char	*x = a, *y = b;
	unsigned char		 d = 0;
	size_t			 i;

	for (i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

/*
 * Check an open file the way ssh and doas do: a regular file owned by us or
 * root, never group- or world-writable, and for secrets never group- or
 * world-readable. The message says how to fix it.
 */
int
util_check_file(int fd, const char *path, int flags, char **cause)
{
	struct stat	 st;

	if (fstat(fd, &st) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		return -1;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		*cause = xasprintf("%s: owned by uid %lu, not by root or the "
		    "invoking user; run: chown %lu '%s'", path,
		    (unsigned long)st.st_uid, (unsigned long)geteuid(), path);
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		*cause = xasprintf("%s: group- or world-writable (mode %04o); "
		    "run: chmod go-w '%s'", path,
		    (unsigned)(st.st_mode & 07777), path);
		return -1;
	}
	if ((flags & UTIL_SECRET) && (st.st_mode & (S_IRWXG | S_IRWXO))) {
		*cause = xasprintf("%s: group- or world-accessible (mode %04o); "
		    "run: chmod 600 '%s'", path,
		    (unsigned)(st.st_mode & 07777), path);
		return -1;
	}
	return 0;
}

/* Create the directory holding path with mode 0700 when it is missing. */
int
util_mkdir_parent(const char *path, char **cause)
{
	char	*dir, *slash;
	int	 r = 0;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
			*cause = xasprintf("%s: %s", dir, strerror(errno));
			r = -1;
		}
	}
	free(dir);
	return r;
}

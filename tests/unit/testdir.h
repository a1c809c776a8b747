/*
 * A unit test's directory of its own: below DBSC_TESTDIR (tests/testdir.sh;
 * never /tmp, which the file checks refuse as world-writable), mode 0700,
 * its real path in dir. testdir_setup and testdir_teardown are cmocka
 * fixtures, per test or per group; teardown removes the directory whole.
 */
#ifndef TESTDIR_H
#define TESTDIR_H

#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "xmalloc.h"

static char	*dir __attribute__((unused));

/*
 * Make a new directory for one test in out (len bytes): its real path,
 * mode 0700. -1 when it cannot be made or does not fit.
 */
static inline int
testdir_make(char *out, size_t len)
{
	const char	*top;
	char		*d, real[PATH_MAX];
	int		 n;

	if ((top = getenv("DBSC_TESTDIR")) == NULL)
		top = ".";
	d = xasprintf("%s/t.XXXXXX", top);
	if (mkdtemp(d) == NULL || realpath(d, real) == NULL) {
		free(d);
		return -1;
	}
	free(d);
	n = snprintf(out, len, "%s", real);
	if (n < 0 || (size_t)n >= len)
		return -1;
	return chmod(out, 0700);
}

static inline int
testdir_setup(void **state)
{
	char	real[PATH_MAX];

	(void)state;
	if (testdir_make(real, sizeof real) == -1)
		return -1;
	dir = xstrdup(real);
	return 0;
}

static inline int
testdir_teardown(void **state)
{
	char	*cmd;
	int	 r;

	(void)state;
	cmd = xasprintf("rm -rf '%s'", dir);
	r = system(cmd);
	free(cmd);
	free(dir);
	dir = NULL;
	return r == 0 ? 0 : -1;
}

#endif

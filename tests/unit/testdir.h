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
#include <stdlib.h>

#include "xmalloc.h"

static char	*dir;

static int
testdir_setup(void **state)
{
	const char	*top;
	char		*d, real[PATH_MAX];

	(void)state;
	if ((top = getenv("DBSC_TESTDIR")) == NULL)
		top = ".";
	d = xasprintf("%s/t.XXXXXX", top);
	if (mkdtemp(d) == NULL || realpath(d, real) == NULL) {
		free(d);
		return -1;
	}
	free(d);
	dir = xstrdup(real);
	return chmod(dir, 0700);
}

static int
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

/* The MySQL option file and every file it includes, checked. */
#include "config.h"

#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "optfile.h"
#include "util.h"
#include "xmalloc.h"

/*
 * The client library reads an option file line by line into a 4096-byte
 * buffer with fgets(buf, 4095): a longer line comes in pieces, and a
 * piece that starts with '!' is a directive. Read the same pieces.
 */
#define OPTFILE_BUF	4096

static int	 optfile_file(const char *, unsigned, char **);

/* Name where an include came from in its message. */
static void
optfile_from(char **cause, const char *path, unsigned line)
{
	char	*c;

	c = xasprintf("%s (included from %s line %u)", *cause, path, line);
	free(*cause);
	*cause = c;
}

/* True when name ends in ".cnf", as the library's !includedir wants. */
static int
optfile_is_cnf(const char *name)
{
	size_t	 n = strlen(name);

	return n >= 4 && strcmp(name + n - 4, ".cnf") == 0;
}

/* !includedir: the directory, and every *.cnf in it. */
static int
optfile_dir(const char *dir, unsigned depth, char **cause)
{
	struct dirent	*de;
	DIR		*d;
	char		*p;
	int		 r;

	r = util_check_path(dir, UTIL_DIR | UTIL_MAYBE, cause);
	if (r != 0)
		return r == 1 ? 0 : -1;	/* missing: nothing is read */
	if ((d = opendir(dir)) == NULL) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		return -1;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno != 0) {
				*cause = xasprintf("%s: %s", dir,
				    strerror(errno));
				r = -1;
			}
			break;
		}
		if (!optfile_is_cnf(de->d_name))
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		r = optfile_file(p, depth, cause);
		free(p);
		if (r == -1)
			break;
	}
	closedir(d);
	return r;
}

/*
 * A "!include FILE" or "!includedir DIR" line, split as the library
 * splits it: the name up to the first space, the value after it with
 * trailing white space removed. Other directives are ignored, as there.
 */
static int
optfile_directive(char *line, unsigned depth, char **cause)
{
	char	*val, *end;

	if ((val = strchr(line, ' ')) == NULL)
		return 0;
	*val++ = '\0';
	end = val + strlen(val);
	while (end > val && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	if (strcmp(line, "include") == 0)
		return optfile_file(val, depth + 1, cause);
	if (strcmp(line, "includedir") == 0)
		return optfile_dir(val, depth + 1, cause);
	return 0;
}

/*
 * One option file: checked as a secret (util_check_path; the library
 * follows links, so may we once they are checked), then its directives
 * followed. An included file that is missing is skipped, as the library
 * skips it, once its directory is known safe.
 */
static int
optfile_file(const char *path, unsigned depth, char **cause)
{
	FILE		*f;
	char		 buf[OPTFILE_BUF], *p;
	unsigned	 line = 0;
	int		 fd, r;

	if (depth > OPTFILE_DEPTH) {
		*cause = xasprintf("%s: includes nested deeper than %d (a "
		    "loop?)", path, OPTFILE_DEPTH);
		return -1;
	}
	if (depth > 0 &&
	    (r = util_check_path(path, UTIL_SECRET | UTIL_MAYBE, cause)) != 0)
		return r == 1 ? 0 : -1;
	if ((fd = util_open(path, O_RDONLY, 0, UTIL_SECRET | UTIL_FOLLOW,
	    cause)) == -1)
		return -1;
	if ((f = fdopen(fd, "r")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	r = 0;
	while (r == 0 && fgets(buf, sizeof buf - 1, f) != NULL) {
		line++;
		for (p = buf; isspace((unsigned char)*p); p++)
			;
		if (*p != '!')
			continue;
		if ((r = optfile_directive(p + 1, depth, cause)) == -1)
			optfile_from(cause, path, line);
	}
	if (r == 0 && ferror(f)) {
		*cause = xasprintf("%s: read error", path);
		r = -1;
	}
	fclose(f);
	return r;
}

/*
 * Check the option file at path and every file the client library would
 * read through it (!include, !includedir, nested): each must pass
 * util_check_path as a secret, so nobody but root or the invoking user
 * can have written it or can swap it before the library reads it.
 */
int
optfile_check(const char *path, char **cause)
{
	return optfile_file(path, 0, cause);
}

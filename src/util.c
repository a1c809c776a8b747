/* Small helpers: bounded number parsing, secret wiping, file checks. */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secret.h"
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

/*
 * A count as a server prints one: decimal digits only (no sign, no space,
 * no junk), at most max; on error return 0 and set errstr.
 */
long long
util_strtocount(const char *s, long long max, const char **errstr)
{
	const char	*p;

	if (s == NULL || *s == '\0') {
		*errstr = "invalid";
		return 0;
	}
	for (p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9') {
			*errstr = "invalid";
			return 0;
		}
	}
	return util_strtonum(s, 0, max, errstr);
}

/* Overwrite a secret so that the compiler cannot elide it (secret.c). */
void
util_wipe(void *p, size_t n)
{
	secret_wipe(p, n);
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
 * Read from fd until len bytes or the end of the file (EINTR retried):
 * the count read, or -1 with *cause naming path.
 */
ssize_t
util_read_full(int fd, void *buf, size_t len, const char *path, char **cause)
{
	unsigned char	*p = buf;
	size_t		 got = 0;
	ssize_t		 n;

	while (got < len) {
		n = read(fd, p + got, len - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* Owned by root or by the invoking user; what names the kind ("" a file). */
static int
util_check_owner(const struct stat *st, const char *what, const char *path,
    char **cause)
{
	if (st->st_uid == 0 || st->st_uid == geteuid())
		return 0;
	*cause = xasprintf("%s: %sowned by uid %lu, not by root or the "
	    "invoking user, who may have written what it holds: move it to "
	    "a place of root's, or check it and run: chown %lu '%s'", path,
	    what, (unsigned long)st->st_uid, (unsigned long)geteuid(), path);
	return -1;
}

/*
 * A directory on the way to a file: only its owner may add, remove or
 * rename entries. A sticky world-writable directory (/tmp) is refused as
 * well: others may still create names in it.
 */
static int
util_check_dir(const struct stat *st, const char *path, const char *to,
    char **cause)
{
	char	*c;

	if (!S_ISDIR(st->st_mode)) {
		*cause = xasprintf("%s: not a directory", path);
		return -1;
	}
	if (util_check_owner(st, "directory ", path, cause) == -1) {
		if (strcmp(path, to) != 0) {
			c = xasprintf("%s (on the way to %s)", *cause, to);
			free(*cause);
			*cause = c;
		}
		return -1;
	}
	if (st->st_mode & (S_ISVTX | S_IWOTH)) {
		/* /tmp and the like: shared on purpose, never to be chmod'ed. */
		if (st->st_mode & (S_IWGRP | S_IWOTH)) {
			*cause = xasprintf("%s: directory writable by others "
			    "(mode %04o%s), so they could put a file in place "
			    "of %s: move it to a directory that only root may "
			    "write", path, (unsigned)(st->st_mode & 07777),
			    (st->st_mode & S_ISVTX) ? ", sticky" : "", to);
			return -1;
		}
	} else if (st->st_mode & S_IWGRP) {
		*cause = xasprintf("%s: directory writable by its group (mode "
		    "%04o), so the group could replace %s, run: chmod g-w "
		    "'%s', or move the file to a directory that only root may "
		    "write", path, (unsigned)(st->st_mode & 07777), to, path);
		return -1;
	}
	return 0;
}

/*
 * A file: regular, owned by us or root, never group- or world-writable,
 * and for secrets never group- or world-readable.
 */
static int
util_check_stat(const struct stat *st, const char *path, int flags,
    char **cause)
{
	if (flags & UTIL_DIR)
		return util_check_dir(st, path, path, cause);
	if (!S_ISREG(st->st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		return -1;
	}
	if (util_check_owner(st, "", path, cause) == -1)
		return -1;
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		*cause = xasprintf("%s: group- or world-writable (mode %04o), "
		    "run: chmod go-w '%s'", path,
		    (unsigned)(st->st_mode & 07777), path);
		return -1;
	}
	if ((flags & UTIL_SECRET) && (st->st_mode & (S_IRWXG | S_IRWXO))) {
		*cause = xasprintf("%s: group- or world-accessible (mode %04o), "
		    "run: chmod 600 '%s'", path,
		    (unsigned)(st->st_mode & 07777), path);
		return -1;
	}
	return 0;
}

/*
 * Check an open file the way ssh and doas do (util_check_stat). The
 * message says how to fix it.
 */
int
util_check_file(int fd, const char *path, int flags, char **cause)
{
	struct stat	 st;

	if (fstat(fd, &st) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	return util_check_stat(&st, path, flags, cause);
}

/* path made absolute against the working directory. */
static char *
util_absolute(const char *path, char **cause)
{
	char	*cwd, *abs;

	if (path[0] == '/')
		return xstrdup(path);
	if ((cwd = getcwd(NULL, 0)) == NULL) {
		*cause = xasprintf("%s: working directory: %s", path,
		    strerror(errno));
		return NULL;
	}
	abs = xasprintf("%s/%s", cwd, path);
	free(cwd);
	return abs;
}

/*
 * The path once the symbolic link at cur[0..end) is replaced by its
 * target: the rest of cur (from end) is kept.
 */
static char *
util_follow(const char *cur, size_t end, char **cause)
{
	char	 target[PATH_MAX], *dir, *slash, *next;
	ssize_t	 n;

	dir = xstrdup(cur);
	dir[end] = '\0';
	n = readlink(dir, target, sizeof target - 1);
	if (n == -1 || n == 0) {
		*cause = xasprintf("%s: %s", dir,
		    n == 0 ? "empty symbolic link" : strerror(errno));
		free(dir);
		return NULL;
	}
	target[n] = '\0';
	if (target[0] == '/')
		next = xasprintf("%s%s", target, cur + end);
	else {
		slash = strrchr(dir, '/');
		slash[1] = '\0';
		next = xasprintf("%s%s%s", dir, target, cur + end);
	}
	free(dir);
	return next;
}

/*
 * Check a path the way OpenSSH's StrictModes does, before it is opened by
 * name (by us or by a library): every directory from / down to it owned
 * by root or the invoking user and writable by its owner only, and the
 * file itself as util_check_stat wants it (a directory with UTIL_DIR).
 * A symbolic link on the way must be owned by root or the invoking user;
 * its target is checked the same way. So nobody else can put another
 * file in its place between the check and the open. With UTIL_MAYBE a
 * missing last component is no error: 1 is returned (its directory was
 * checked). A missing file otherwise fails with errno ENOENT.
 */
int
util_check_path(const char *path, int flags, char **cause)
{
	struct stat	 st;
	char		*cur, *next, *part;
	size_t		 end;
	int		 links = 0, last, r = -1, missing = 0;

	if (path == NULL || *path == '\0') {
		*cause = xstrdup("empty path");
		errno = EINVAL;
		return -1;
	}
	if ((cur = util_absolute(path, cause)) == NULL)
		return -1;
restart:
	if (lstat("/", &st) == -1 || util_check_dir(&st, "/", path,
	    cause) == -1)
		goto out;
	end = 0;
	for (;;) {
		while (cur[end] == '/')
			end++;
		if (cur[end] == '\0')
			break;		/* "/" itself, or a trailing slash */
		while (cur[end] != '/' && cur[end] != '\0')
			end++;
		last = cur[end + strspn(cur + end, "/")] == '\0';
		part = xstrdup(cur);
		part[end] = '\0';
		if (lstat(part, &st) == -1) {
			if (errno == ENOENT && last && (flags & UTIL_MAYBE)) {
				free(part);
				r = 1;
				goto out;
			}
			missing = errno == ENOENT;
			*cause = xasprintf("%s: %s", missing ? path : part,
			    strerror(errno));
			free(part);
			goto out;
		}
		if (S_ISLNK(st.st_mode)) {
			r = util_check_owner(&st, "symbolic link ", part,
			    cause);
			free(part);
			if (r == -1)
				goto out;
			r = -1;
			if (++links > UTIL_MAX_LINKS) {
				*cause = xasprintf("%s: too many symbolic "
				    "links", path);
				goto out;
			}
			if ((next = util_follow(cur, end, cause)) == NULL)
				goto out;
			free(cur);
			cur = next;
			goto restart;
		}
		if (!last)
			r = util_check_dir(&st, part, path, cause);
		else
			r = util_check_stat(&st, links == 0 ? path : part,
			    flags, cause);
		free(part);
		if (r == -1)
			goto out;
		r = -1;
		if (last)
			break;
	}
	r = 0;
out:
	free(cur);
	if (r == -1)
		errno = missing ? ENOENT : EPERM;
	return r;
}

/*
 * Open path after util_check_path: never through a symbolic link as the
 * last component (unless UTIL_FOLLOW: for files a library opens by name
 * anyway, whose links util_check_path has checked), never blocking (a FIFO or a device could hang us), and
 * only a regular file passing util_check_file; O_NONBLOCK is cleared
 * before the descriptor is returned. -1 on error, with errno ENOENT when
 * the file does not exist (and oflags has no O_CREAT).
 */
int
util_open(const char *path, int oflags, mode_t mode, int flags, char **cause)
{
	int	 fd, fl, saved;

	if (util_check_path(path, (oflags & O_CREAT) ? flags | UTIL_MAYBE :
	    flags, cause) == -1)
		return -1;
	if (!(flags & UTIL_FOLLOW))
		oflags |= O_NOFOLLOW;
	fd = open(path, oflags | O_NONBLOCK | O_CLOEXEC, mode);
	if (fd == -1) {
		saved = errno;
		*cause = xasprintf("%s: %s%s", path, strerror(errno),
		    errno == ELOOP ? " (a symbolic link: refused)" : "");
		errno = saved;
		return -1;
	}
	if (util_check_file(fd, path, flags, cause) == -1)
		goto fail;
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1) {
		*cause = xasprintf("%s: fcntl: %s", path, strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	errno = EPERM;
	return -1;
}

/*
 * Create the directory holding path with mode 0700 when it is missing,
 * in a directory that passes util_check_path.
 */
int
util_mkdir_parent(const char *path, char **cause)
{
	char	*dir, *slash, *c, *up;
	int	 r = 0;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		r = util_check_path(dir, UTIL_DIR | UTIL_MAYBE, cause);
		if (r == -1 && errno == ENOENT) {
			/* Only the last one is ours to make (mode 0700). */
			c = *cause;
			up = xstrdup(dir);
			*cause = xasprintf("%s (dbsyscheck creates %s but not "
			    "the directories above it, so create them first, for "
			    "instance with install -d -m 0755 '%s')", c, dir,
			    dirname(up));
			free(up);
			free(c);
		}
		if (r == 1 && mkdir(dir, 0700) == -1 && errno != EEXIST) {
			*cause = xasprintf("%s: %s", dir, strerror(errno));
			r = -1;
		}
		if (r == 1)
			r = 0;
	}
	free(dir);
	return r;
}

/*
 * Make a rename or a new file in the directory holding path durable:
 * fsync(2) that directory.
 */
int
util_sync_dir(const char *path, char **cause)
{
	char	*dir, *slash;
	int	 fd, r = -1;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) == NULL) {
		free(dir);
		dir = xstrdup(".");
	} else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fsync(fd) == -1)
		*cause = xasprintf("%s: %s", dir, strerror(errno));
	else
		r = 0;
	if (fd != -1)
		close(fd);
	free(dir);
	return r;
}

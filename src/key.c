/* The installation key: a 32-byte secret file, created on first use. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "key.h"
#include "secret.h"
#include "util.h"
#include "xmalloc.h"

static int
key_create(const char *path, unsigned char key[KEY_LEN], char **cause)
{
	int	 fd;

	if (secret_random(key, KEY_LEN) == -1) {
		*cause = xasprintf("getrandom: %s", strerror(errno));
		return -1;
	}
	if (util_mkdir_parent(path, cause) == -1)
		return -1;
	fd = util_open(path, O_WRONLY | O_CREAT | O_EXCL, 0600, UTIL_SECRET,
	    cause);
	if (fd == -1)
		return -1;
	if (write(fd, key, KEY_LEN) != KEY_LEN || fsync(fd) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	if (close(fd) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 1;
}

/* Read exactly KEY_LEN bytes from the open key file path. */
static int
key_read(int fd, const char *path, unsigned char key[KEY_LEN], char **cause)
{
	unsigned char	 extra;
	ssize_t		 n;
	int		 r = -1;

	n = read(fd, key, KEY_LEN);
	if (n != KEY_LEN || read(fd, &extra, 1) != 0) {
		*cause = xasprintf("%s: not a dbsyscheck key (expected "
		    "exactly %d bytes)", path, KEY_LEN);
		util_wipe(key, KEY_LEN);
	} else
		r = 0;
	close(fd);
	return r;
}

/*
 * Read the key at path into key: KEY_READ. When it is missing and create
 * is set, take the key waiting at PATH.new, or make one there from the
 * system's random source (mode 0600, never through a symbolic link):
 * KEY_CREATED. When it is missing and create is not set, a key left at
 * PATH.new by a first run killed after making its baseline is read:
 * KEY_PENDING. Either of the last two becomes PATH only through
 * key_commit, once the caller has made or verified the baseline that
 * records its check. -1 on error.
 *
 * So a first run killed between making the key and making the baseline
 * leaves no key beside a missing baseline, which the next run would take
 * for a removed baseline (an alarm), only PATH.new; and a key waiting
 * there is never replaced, since another configuration sharing the key
 * file may have made its baseline with it.
 */
int
key_load(const char *path, int create, unsigned char key[KEY_LEN],
    char **cause)
{
	struct stat	 st;
	char		*pending;
	int		 fd, r = -1;

	fd = util_open(path, O_RDONLY, 0, UTIL_SECRET, cause);
	if (fd != -1)
		return key_read(fd, path, key, cause) == -1 ? -1 : KEY_READ;
	if (errno != ENOENT)
		return -1;
	free(*cause);
	*cause = NULL;
	/* Something that cannot be opened stands there: a dangling link. */
	if (lstat(path, &st) == 0) {
		*cause = xasprintf("%s: not a regular file (refused)", path);
		return -1;
	}
	pending = xasprintf("%s" KEY_PENDING_SUFFIX, path);
	fd = util_open(pending, O_RDONLY, 0, UTIL_SECRET, cause);
	if (fd != -1) {
		if (key_read(fd, pending, key, cause) != -1) {
			r = create ? KEY_CREATED : KEY_PENDING;
			goto out;
		}
		/*
		 * Cut short (a crash while it was written): no baseline
		 * can have been made with it, so a first run replaces it.
		 */
		if (!create)
			goto out;
		free(*cause);
		*cause = NULL;
		if (unlink(pending) == -1) {
			*cause = xasprintf("%s: %s", pending, strerror(errno));
			goto out;
		}
	} else if (errno != ENOENT)
		goto out;
	else {
		free(*cause);
		*cause = NULL;
	}
	if (create) {
		if (key_create(pending, key, cause) != -1)
			r = KEY_CREATED;
		goto out;
	}
	*cause = xasprintf("%s: key file missing, but the baseline exists: "
	    "restore the key (a new key would make every row look changed)",
	    path);
out:
	free(pending);
	return r;
}

/*
 * Make the key at PATH.new (KEY_CREATED or KEY_PENDING), which is key, the
 * key at path, durably: the baseline recording its check exists by now.
 * A key already at path is never replaced: when another run sharing the
 * key file named it first, it must be the same key.
 */
int
key_commit(const char *path, const unsigned char key[KEY_LEN], char **cause)
{
	unsigned char	 have[KEY_LEN];
	char		*pending;
	int		 r = -1, same;

	pending = xasprintf("%s" KEY_PENDING_SUFFIX, path);
	if (link(pending, path) == -1) {
		if (errno != EEXIST && errno != ENOENT) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			goto out;
		}
		if (key_load(path, 0, have, cause) != KEY_READ)
			goto out;
		same = util_timingsafe_eq(have, key, KEY_LEN);
		util_wipe(have, sizeof have);
		if (!same) {
			*cause = xasprintf("%s: another key took this name "
			    "while the baseline was made with %s", path,
			    pending);
			goto out;
		}
	}
	if (unlink(pending) == -1 && errno != ENOENT) {
		*cause = xasprintf("%s: %s", pending, strerror(errno));
		goto out;
	}
	r = util_sync_dir(path, cause);
out:
	free(pending);
	return r;
}

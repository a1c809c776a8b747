/* The installation key: a 32-byte secret file, created on first use. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
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

/*
 * Read the key at path into key. When it is missing and create is set,
 * make a new one from the system's random source (mode 0600, never
 * through a symbolic link). Returns 0 read, 1 created, -1 on error.
 */
int
key_load(const char *path, int create, unsigned char key[KEY_LEN],
    char **cause)
{
	unsigned char	 extra;
	ssize_t		 n;
	int		 fd, r = -1;

	fd = util_open(path, O_RDONLY, 0, UTIL_SECRET, cause);
	if (fd == -1 && errno == ENOENT) {
		free(*cause);
		*cause = NULL;
		if (create)
			return key_create(path, key, cause);
		*cause = xasprintf("%s: key file missing, but the baseline "
		    "exists: restore the key (a new key would make every row "
		    "look changed)", path);
	}
	if (fd == -1)
		return -1;
	n = read(fd, key, KEY_LEN);
	if (n != KEY_LEN || read(fd, &extra, 1) != 0) {
		*cause = xasprintf("%s: not a dbsyscheck key (expected "
		    "exactly %d bytes)", path, KEY_LEN);
		util_wipe(key, KEY_LEN);
		goto out;
	}
	r = 0;
out:
	close(fd);
	return r;
}

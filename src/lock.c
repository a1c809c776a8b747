/* The run lock and the files SQLite opens next to the baseline. */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"
#include "util.h"
#include "xmalloc.h"

/*
 * Take the run lock: an exclusive flock(2) on PATH.lock, never waiting.
 * Returns the descriptor that holds it. When another run holds it, *held
 * (unless NULL) is how many seconds ago that run took it, else -1.
 */
int
baseline_lock(const char *path, long long *held, char **cause)
{
	return baseline_lock_wait(path, 0, NULL, held, cause);
}

/*
 * baseline_lock waiting up to wait seconds (-1: until *stop is set) for
 * a holder to let go, trying every LOCK_POLL_MS: the binary-log follower
 * holds the lock only for each batch of records (docs/DESIGN.md, "The
 * lock"), so a scan or a report that meets it waits for the batch.
 */
int
baseline_lock_wait(const char *path, int wait, volatile sig_atomic_t *stop,
    long long *held, char **cause)
{
	struct timespec	 ts = { 0, LOCK_POLL_MS * 1000000L };
	struct stat	 st;
	char		*lpath;
	time_t		 deadline;
	int		 fd;

	if (held != NULL)
		*held = -1;

	lpath = xasprintf("%s.lock", path);
	/*
	 * Any descriptor holds a flock(2), a read-only one too: nobody else
	 * may open the lock file at all.
	 */
	fd = util_open(lpath, O_RDWR | O_CREAT, 0600, UTIL_SECRET, cause);
	if (fd == -1) {
		free(lpath);
		return -1;
	}
	deadline = time(NULL) + (wait > 0 ? wait : 0);
	while (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK && (wait == -1 ||
		    time(NULL) < deadline) && (stop == NULL || !*stop)) {
			nanosleep(&ts, NULL);
			continue;
		}
		if (errno == EWOULDBLOCK && held != NULL &&
		    fstat(fd, &st) == 0)
			*held = (long long)(time(NULL) - st.st_mtime);
		if (errno == EWOULDBLOCK)
			*cause = xasprintf("another dbsyscheck run holds the "
			    "lock %s", lpath);
		else
			*cause = xasprintf("%s: flock: %s", lpath,
			    strerror(errno));
		close(fd);
		free(lpath);
		return -1;
	}
	/* The lock file's time says since when its holder has held it. */
	futimens(fd, NULL);
	free(lpath);
	return fd;
}

/* Release the run lock. */
void
baseline_unlock(int fd)
{
	if (fd != -1)
		close(fd);
}

/*
 * The files SQLite opens by name next to the baseline: a hot journal
 * planted there would be rolled back into it. The directory check makes
 * new ones ours; an old one must be ours too.
 */
int
baseline_check_side(const char *path, char **cause)
{
	static const char	*const sfx[] = { "-journal", "-wal", "-shm" };
	char			*p;
	size_t			 i;
	int			 r = 0;

	for (i = 0; i < sizeof sfx / sizeof sfx[0] && r != -1; i++) {
		p = xasprintf("%s%s", path, sfx[i]);
		r = util_check_path(p, UTIL_MAYBE, cause);
		free(p);
	}
	return r == -1 ? -1 : 0;
}


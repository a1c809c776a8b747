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
 * The lock is PATH.lock. Two files beside it make the hand-off between
 * the follower and the other runs fair (docs/DESIGN.md, "The lock"):
 * PATH.lock.wait, held shared by each scan, report or reset waiting for
 * the lock, and PATH.lock.turn, held by a follower that waits behind
 * them, so that runs coming later wait behind it. A follower's batch
 * says so in the lock file (LOCK_ROLE_FOLLOW), so that a waiting run
 * waits for it longer than for another run.
 */
#define LOCK_ROLE_FOLLOW	"follow\n"

/* Where a waiting run's time goes. */
enum lock_behind {
	LOCK_BEHIND_RUN,		/* a scan, report or reset */
	LOCK_BEHIND_FOLLOW		/* a follower's batch or turn */
};

struct lockset {
	char	*lpath;
	int	 l;			/* PATH.lock */
	int	 w;			/* PATH.lock.wait */
	int	 t;			/* PATH.lock.turn */
};

/* Open the lock file and, with queue, the two beside it. */
static int
lock_open(struct lockset *ls, const char *path, int queue, char **cause)
{
	char	*p;

	ls->w = ls->t = -1;
	ls->lpath = xasprintf("%s.lock", path);
	/*
	 * Any descriptor holds a flock(2), a read-only one too: nobody else
	 * may open these files at all.
	 */
	ls->l = util_open(ls->lpath, O_RDWR | O_CREAT, 0600, UTIL_SECRET,
	    cause);
	if (ls->l == -1 || !queue)
		return ls->l == -1 ? -1 : 0;
	p = xasprintf("%s.wait", ls->lpath);
	ls->w = util_open(p, O_RDWR | O_CREAT, 0600, UTIL_SECRET, cause);
	free(p);
	if (ls->w == -1)
		return -1;
	p = xasprintf("%s.turn", ls->lpath);
	ls->t = util_open(p, O_RDWR | O_CREAT, 0600, UTIL_SECRET, cause);
	free(p);
	return ls->t == -1 ? -1 : 0;
}

/* Close what lock_open opened but the lock itself, when kept. */
static void
lock_close(struct lockset *ls, int keep)
{
	if (ls->t != -1)
		close(ls->t);
	if (ls->w != -1)
		close(ls->w);
	if (!keep && ls->l != -1)
		close(ls->l);
	free(ls->lpath);
}

/* Try a flock(2) without waiting: 0 taken, 1 held by another, -1 error. */
static int
lock_try(int fd, int op, const char *lpath, char **cause)
{
	if (flock(fd, op | LOCK_NB) == 0)
		return 0;
	if (errno == EWOULDBLOCK)
		return 1;
	*cause = xasprintf("%s: flock: %s", lpath, strerror(errno));
	return -1;
}

/* Milliseconds on the monotonic clock. */
static long long
lock_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
lock_pause(void)
{
	struct timespec	 ts = { 0, LOCK_POLL_MS * 1000000L };

	nanosleep(&ts, NULL);
}

/* Does the lock file say that a follower's batch holds it? */
static int
lock_is_follower(int fd)
{
	char	buf[sizeof LOCK_ROLE_FOLLOW];
	ssize_t	n;

	n = pread(fd, buf, sizeof buf, 0);
	return n == (ssize_t)strlen(LOCK_ROLE_FOLLOW) &&
	    memcmp(buf, LOCK_ROLE_FOLLOW, n) == 0;
}

/*
 * Whom does a run that is not yet queued wait behind? A follower has the
 * turn: behind it, unless the lock is held by another run (then the
 * follower itself waits for that run).
 */
static enum lock_behind
lock_behind_turn(int fd)
{
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		flock(fd, LOCK_UN);
		return LOCK_BEHIND_FOLLOW;
	}
	return lock_is_follower(fd) ? LOCK_BEHIND_FOLLOW : LOCK_BEHIND_RUN;
}

/* The refusal, with since when the holder has held the lock. */
static void
lock_refused(struct lockset *ls, long long *held, char **cause)
{
	struct stat	 st;

	if (held != NULL && fstat(ls->l, &st) == 0)
		*held = (long long)(time(NULL) - st.st_mtime);
	*cause = xasprintf("another dbsyscheck run holds the lock %s",
	    ls->lpath);
}

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
 * baseline_lock for a scan, a report or a reset, waiting (queued in
 * PATH.lock.wait) up to wait seconds (-1: until *stop is set) behind
 * another such run, and up to LOCK_WAIT_BATCH behind a follower, trying
 * every LOCK_POLL_MS.
 */
int
baseline_lock_wait(const char *path, int wait, volatile sig_atomic_t *stop,
    long long *held, char **cause)
{
	struct lockset		 ls;
	enum lock_behind	 behind;
	long long		 run = 0, total = 0, last, now, cap;
	int			 queued = 0, r = 0;

	if (held != NULL)
		*held = -1;
	if (lock_open(&ls, path, wait != 0, cause) == -1)
		goto fail;
	if (wait == 0) {
		if ((r = lock_try(ls.l, LOCK_EX, ls.lpath, cause)) == 1)
			lock_refused(&ls, held, cause);
		if (r != 0)
			goto fail;
		goto done;
	}
	cap = (wait > LOCK_WAIT_BATCH ? wait : LOCK_WAIT_BATCH) * 1000LL;
	last = lock_now();
	for (;;) {
		/* Queue up, unless a follower waits for its turn. */
		if (!queued && (r = lock_try(ls.t, LOCK_SH, ls.lpath,
		    cause)) == 0) {
			r = lock_try(ls.w, LOCK_SH, ls.lpath, cause);
			flock(ls.t, LOCK_UN);
			queued = r == 0;
		}
		if (r == -1)
			goto fail;
		if (queued) {
			if ((r = lock_try(ls.l, LOCK_EX, ls.lpath,
			    cause)) == 0)
				break;
			if (r == -1)
				goto fail;
			behind = lock_is_follower(ls.l) ? LOCK_BEHIND_FOLLOW :
			    LOCK_BEHIND_RUN;
		} else
			behind = lock_behind_turn(ls.l);
		now = lock_now();
		total += now - last;
		if (behind == LOCK_BEHIND_RUN)
			run += now - last;
		last = now;
		if ((stop != NULL && *stop) || (wait != -1 &&
		    (run >= wait * 1000LL || total >= cap))) {
			lock_refused(&ls, held, cause);
			goto fail;
		}
		lock_pause();
	}
done:
	/*
	 * The lock file's time says since when its holder has held it; its
	 * text that no follower does.
	 */
	if (ftruncate(ls.l, 0) == -1) {
		*cause = xasprintf("%s: ftruncate: %s", ls.lpath,
		    strerror(errno));
		goto fail;
	}
	futimens(ls.l, NULL);
	r = ls.l;
	lock_close(&ls, 1);
	return r;
fail:
	lock_close(&ls, 0);
	return -1;
}

/*
 * The lock for a follower's batch, waiting up to wait seconds (-1: until
 * *stop is set): behind the runs queued when it found them, not behind
 * those that come while it waits.
 */
int
baseline_lock_follow(const char *path, int wait,
    volatile sig_atomic_t *stop, char **cause)
{
	struct lockset	 ls;
	long long	 deadline;
	int		 turn = 0, r = 0;

	if (lock_open(&ls, path, 1, cause) == -1)
		goto fail;
	deadline = lock_now() + (wait > 0 ? wait : 0) * 1000LL;
	for (;;) {
		/* The turn stays ours until the lock is. */
		if (!turn && (r = lock_try(ls.t, LOCK_EX, ls.lpath,
		    cause)) == 0)
			turn = 1;
		if (turn && (r = lock_try(ls.w, LOCK_EX, ls.lpath,
		    cause)) == 0) {
			/* Nobody queued: nobody can while the turn is ours. */
			flock(ls.w, LOCK_UN);
			if ((r = lock_try(ls.l, LOCK_EX, ls.lpath,
			    cause)) == 0)
				break;
		}
		if (r == -1)
			goto fail;
		if ((stop != NULL && *stop) || (wait != -1 &&
		    lock_now() >= deadline)) {
			lock_refused(&ls, NULL, cause);
			goto fail;
		}
		lock_pause();
	}
	if (ftruncate(ls.l, 0) == -1 || pwrite(ls.l, LOCK_ROLE_FOLLOW,
	    strlen(LOCK_ROLE_FOLLOW), 0) != (ssize_t)strlen(LOCK_ROLE_FOLLOW)) {
		*cause = xasprintf("%s: write: %s", ls.lpath, strerror(errno));
		goto fail;
	}
	futimens(ls.l, NULL);
	r = ls.l;
	lock_close(&ls, 1);
	return r;
fail:
	lock_close(&ls, 0);
	return -1;
}

/*
 * Release the run lock, emptying the lock file first: a holder that
 * writes no word of its own (another program's flock) must not be taken
 * for a follower.
 */
void
baseline_unlock(int fd)
{
	if (fd == -1)
		return;
	while (ftruncate(fd, 0) == -1 && errno == EINTR)
		continue;
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


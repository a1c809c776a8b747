/* The run lock and the files SQLite opens next to the baseline. */
#ifndef LOCK_H
#define LOCK_H

/*
 * baseline_lock returns a descriptor that belongs to the caller, who
 * releases the lock with baseline_unlock (baseline_unlock(-1) does
 * nothing). The names keep the baseline_ prefix: the lock is PATH.lock
 * next to the baseline at PATH, and main.c calls them by these names.
 */
#include <signal.h>

#define LOCK_POLL_MS	50	/* how often a waiting run tries again */
#define LOCK_WAIT	2	/* seconds a scan or a report waits for it */
#define LOCK_WAIT_BATCH	600	/* ... in all, behind a follower's batch */

int	 baseline_lock(const char *, long long *, char **);
int	 baseline_lock_wait(const char *, int, volatile sig_atomic_t *,
	    long long *, char **);
int	 baseline_lock_follow(const char *, int, volatile sig_atomic_t *,
	    char **);
void	 baseline_unlock(int);
int	 baseline_check_side(const char *, char **);

#endif

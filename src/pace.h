/* Load pacing: rows a second, and waits while Threads_running is high. */
#ifndef PACE_H
#define PACE_H

#include <signal.h>
#include <stdint.h>

/*
 * The clock and sleep a pace uses: pace_clock_real (CLOCK_MONOTONIC and
 * nanosleep) in a run, a stand-in in tests. now returns seconds.
 */
struct pace_clock {
	double	(*now)(void *);
	void	(*sleep)(void *, double);
	void	 *arg;
};

extern const struct pace_clock pace_clock_real;

/*
 * The pacing of a run and of the table being scanned; it belongs to its
 * caller (no allocation). pauses and paused point at the run's counters.
 */
struct pace {
	const struct pace_clock	*clock;
	volatile sig_atomic_t	*stop;
	unsigned long		 max_threads_running;	/* 0: none */
	int			 checks;	/* a check is wanted each second */
	uint64_t		*pauses;	/* waits for Threads_running */
	double			*paused;	/* seconds spent waiting */

	/* The table being scanned (pace_table). */
	unsigned long		 rps;		/* max rows a second, or 0 */
	uint64_t		 seen;		/* rows read, chunk sums too */
	double			 start;		/* when the table began */
	double			 next_check;	/* next progress/load check */
};

/* Reads Threads_running (without the run's own threads) into *n. */
typedef int (*pace_running_cb)(void *, unsigned long *, char **);

#define PACE_MAX_WAIT	3600	/* seconds Threads_running may stay high */
#define PACE_SLICE	0.2	/* a sleep is cut into slices of this */
#define PACE_RECHECK	0.25	/* Threads_running is asked again after */

void	 pace_init(struct pace *, const struct pace_clock *,
	    volatile sig_atomic_t *, unsigned long, int, uint64_t *,
	    double *);
double	 pace_now(const struct pace *);
void	 pace_sleep(const struct pace *, double);
void	 pace_table(struct pace *, unsigned long);
int	 pace_rows(struct pace *, uint64_t);
int	 pace_wait_load(struct pace *, pace_running_cb, void *, char **);

#endif

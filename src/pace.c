/* Load pacing: rows a second, and waits while Threads_running is high. */
#include "config.h"

#include <time.h>

#include "pace.h"
#include "xmalloc.h"

static double
pace_real_now(void *arg)
{
	struct timespec	 ts;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
pace_real_sleep(void *arg, double secs)
{
	struct timespec	 ts;

	(void)arg;
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

const struct pace_clock pace_clock_real = {
	pace_real_now, pace_real_sleep, NULL
};

/*
 * Start pacing a run: max_threads (0: none) is max-threads-running;
 * checks is set when progress is reported, so that a check is due about
 * once a second even without limits.
 */
void
pace_init(struct pace *p, const struct pace_clock *clock,
    volatile sig_atomic_t *stop, unsigned long max_threads, int checks,
    uint64_t *pauses, double *paused)
{
	p->clock = clock;
	p->stop = stop;
	p->max_threads_running = max_threads;
	p->checks = checks || max_threads != 0;
	p->pauses = pauses;
	p->paused = paused;
	p->rps = 0;
	p->seen = 0;
	p->start = p->next_check = 0;
}

/* The time now, in seconds, on the pace's clock. */
double
pace_now(const struct pace *p)
{
	return p->clock->now(p->clock->arg);
}

/* Sleep up to secs, in slices, so a signal stops the wait soon. */
void
pace_sleep(const struct pace *p, double secs)
{
	double	 slice;

	while (secs > 0 && !*p->stop) {
		slice = secs > PACE_SLICE ? PACE_SLICE : secs;
		p->clock->sleep(p->clock->arg, slice);
		secs -= slice;
	}
}

/* Start a table, read at most rps rows a second (0: no limit). */
void
pace_table(struct pace *p, unsigned long rps)
{
	p->rps = rps;
	p->seen = 0;
	p->start = pace_now(p);
	p->next_check = p->start + 1;
}

/*
 * After rows more rows: keep to max-rows-per-second (sleeping), and
 * return 1 about once a second, when progress is due and the server's
 * load is to be checked (pace_wait_load); 0 otherwise. A single row is
 * looked at only every 256, to keep the clock off the row path.
 */
int
pace_rows(struct pace *p, uint64_t rows)
{
	double	 now, due;

	p->seen += rows;
	if (p->rps == 0 && !p->checks)
		return 0;
	if (rows == 1 && (p->seen & 255) != 0)
		return 0;
	now = pace_now(p);
	if (p->rps != 0) {
		due = p->start + (double)p->seen / (double)p->rps;
		if (due > now) {
			pace_sleep(p, due - now);
			now = pace_now(p);
		}
	}
	if (now < p->next_check)
		return 0;
	p->next_check = now + 1;
	return 1;
}

/*
 * Wait while the server runs more than max-threads-running threads (as
 * pt-table-checksum's --max-load does), asking running for the count;
 * -1 when it fails or the count stays high for PACE_MAX_WAIT seconds. A
 * signal ends the wait (the caller sees the stop flag).
 */
int
pace_wait_load(struct pace *p, pace_running_cb running, void *arg,
    char **cause)
{
	unsigned long	 n;
	double		 t0 = 0;
	int		 waited = 0;

	if (p->max_threads_running == 0 || running == NULL)
		return 0;
	for (;;) {
		if (running(arg, &n, cause) == -1)
			return -1;
		if (n <= p->max_threads_running || *p->stop)
			break;
		if (!waited) {
			waited = 1;
			t0 = pace_now(p);
			(*p->pauses)++;
		}
		if (pace_now(p) - t0 > PACE_MAX_WAIT) {
			*cause = xasprintf("Threads_running stayed above %lu "
			    "for an hour", p->max_threads_running);
			return -1;
		}
		pace_sleep(p, PACE_RECHECK);
	}
	if (waited)
		*p->paused += pace_now(p) - t0;
	return 0;
}

/* A lock-free token bucket for op=forged records. */
#include "config.h"

#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "udf.h"

#define NS		1000000000ULL
#define INTERVAL	(NS / UDF_FORGED_RATE)
#define TOLERANCE	((UDF_FORGED_BURST - 1) * INTERVAL)

/*
 * The bucket as a generic cell rate algorithm: one atomic "theoretical
 * arrival time" on the monotonic clock. A record is admitted when that
 * time is at most TOLERANCE ahead of now, and pushes it INTERVAL further;
 * so at most UDF_FORGED_BURST records pass at once and UDF_FORGED_RATE a
 * second after that, whatever the number of threads. With the count of
 * records refused since the last admitted one, this is the library's only
 * mutable static state (see udf.h).
 */
static _Atomic uint_least64_t	tat;
static _Atomic uint_least64_t	suppressed;

static uint_least64_t
now_ns(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return 0;
	return (uint_least64_t)ts.tv_sec * NS + (uint_least64_t)ts.tv_nsec;
}

/*
 * 1 when a forged record may be written now; *cut is then the number of
 * records refused since the previous admitted one (and is reset). 0 when
 * refused (and counted).
 */
int
udf_forged_admit(unsigned long long *cut)
{
	uint_least64_t	 now, old, base;

	now = now_ns();
	old = atomic_load(&tat);
	do {
		base = old > now ? old : now;
		if (base - now > TOLERANCE) {
			atomic_fetch_add(&suppressed, 1);
			return 0;
		}
	} while (!atomic_compare_exchange_weak(&tat, &old, base + INTERVAL));
	*cut = atomic_exchange(&suppressed, 0);
	return 1;
}

/* Take the count of refused records that no admitted record reported. */
unsigned long long
udf_forged_pending(void)
{
	return atomic_exchange(&suppressed, 0);
}

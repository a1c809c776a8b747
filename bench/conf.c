/*
 * Configuration parse benchmark (make bench-conf): conf_parse of N table
 * lines ("table db.tK" and every tenth with options), the median of R
 * runs; prints the figures and checks the parse (count and order).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "conf.h"

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	struct buf	 text;
	struct conf	*conf;
	double		 t[99], t0;
	char		*cause = NULL, last[32];
	long		 n = 70000, reps = 3, i, r;

	if (argc > 1)
		n = strtol(argv[1], NULL, 10);
	if (argc > 2)
		reps = strtol(argv[2], NULL, 10);
	if (n < 1 || reps < 1 || reps > 99) {
		fprintf(stderr, "usage: bench/conf [tables [repetitions]]\n");
		return 2;
	}
	buf_init(&text, BUF_NOCAP);
	for (i = 0; i < n; i++) {
		if (buf_printf(&text, "table db%ld.`t %ld`%s\n", i % 7, i,
		    i % 10 == 0 ? " ignore=a,b mask=c" : "") == -1) {
			fprintf(stderr, "bench/conf: out of memory\n");
			return 2;
		}
	}
	for (r = 0; r < reps; r++) {
		t0 = now();
		conf = conf_parse("bench.conf", text.data, text.len, &cause);
		t[r] = now() - t0;
		if (conf == NULL) {
			fprintf(stderr, "bench/conf: %s\n", cause);
			return 1;
		}
		snprintf(last, sizeof last, "t %ld", n - 1);
		if ((long)conf->ntables != n ||
		    strcmp(conf->tables[n - 1].name, last) != 0) {
			fprintf(stderr, "bench/conf: wrong parse\n");
			return 1;
		}
		conf_free(conf);
	}
	qsort(t, (size_t)reps, sizeof t[0], cmp);
	printf("conf_parse of %ld table lines: median %.3f s, min %.3f s, "
	    "max %.3f s (%ld runs)\n", n, t[reps / 2], t[0], t[reps - 1],
	    reps);
	buf_free(&text);
	return 0;
}

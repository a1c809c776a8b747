/* Records on standard output: line format, summary, cap, the outbox drain. */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdint.h>

/*
 * With sink.c (the --log file and syslog), the only writer of the
 * scanner's records. The descriptors of a struct report_opts belong to
 * the caller.
 */
struct baseline;
struct baseline_counts;
struct buf;

enum report_format {
	REPORT_TEXT,
	REPORT_JSON,
};

struct report_opts {
	int			 fd;
	size_t			 max_bytes;	/* 0: unlimited */
	enum report_format	 format;
	int			 logfd;		/* --log, or -1 */
	const char		*logpath;	/* its path: reopened when
						   rotated (sink.c) */
	int			 use_syslog;	/* --syslog */
	const char		*host;
};

/* The smallest --max-bytes that always fits a summary and one record. */
#define REPORT_MIN_BYTES	5120

int	 report_format_line(struct buf *, enum report_format, const char *,
	    size_t);
int	 report_summary(struct buf *, enum report_format,
	    const struct baseline_counts *, uint64_t);
size_t	 report_write(int, const struct buf *, char **);
int	 report_drain(struct baseline *, const struct report_opts *,
	    size_t *, char **);
int	 report_copy(struct baseline *, const struct report_opts *, int64_t,
	    size_t *, char **);
int	 report_direct(const struct report_opts *, const char *, size_t,
	    char **);

#endif

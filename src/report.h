/* The only writer of records: the outbox to standard output and sinks. */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdint.h>

struct baseline;

enum report_format {
	REPORT_TEXT,
	REPORT_JSON,
};

struct report_opts {
	int			 fd;
	size_t			 max_bytes;	/* 0: unlimited */
	enum report_format	 format;
	int			 logfd;		/* --log, or -1 */
	int			 use_syslog;	/* --syslog */
	const char		*host;
};

/* The smallest --max-bytes that always fits a summary and one record. */
#define REPORT_MIN_BYTES	5120

int	 report_drain(struct baseline *, const struct report_opts *,
	    size_t *, char **);
int	 report_copy(struct baseline *, const struct report_opts *, int64_t,
	    size_t *, char **);
int	 report_sink(struct baseline *, const struct report_opts *, char **);
int	 report_drop_sunk(struct baseline *, char **);
int	 report_direct(const struct report_opts *, const char *, size_t,
	    char **);

#endif

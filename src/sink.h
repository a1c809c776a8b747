/* The sinks: records to the --log file and to syslog, uncapped. */
#ifndef SINK_H
#define SINK_H

#include <stddef.h>

/*
 * The sinks are the descriptor and flag of a struct report_opts (logfd,
 * use_syslog), owned by the caller: nothing here closes the log file.
 * sink_open_log returns a descriptor that belongs to the caller.
 */
struct baseline;
struct report_opts;

int	 sink_open_log(const char *, char **);
int	 sink_outbox(struct baseline *, const struct report_opts *, char **);
int	 sink_drop_sunk(struct baseline *, char **);
int	 sink_direct(const struct report_opts *, const char *, size_t,
	    char **);

#endif

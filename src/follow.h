/* dbsyscheck follow: the watched tables' changes from the binary log. */
#ifndef FOLLOW_H
#define FOLLOW_H

#include "run.h"

/*
 * follow_run reads the binary log from the position stored in the
 * baseline (the first run stores the log's current end and says
 * op=start) and queues a record for every change of a watched table
 * (docs/FORMAT.md, src=binlog), the position advancing in the baseline
 * transaction of the records, then delivers them. Bounded, it stops at
 * the end of the log; with FOLLOW_BLOCK it waits for new events until
 * the run's stop flag is set. The run (run.h) is borrowed and reports
 * its own errors. Every watched table is followed: there is one stored
 * position, which a run over some tables would move past the others'
 * changes.
 */
#define FOLLOW_BLOCK	0x1	/* -f: wait for new events */

enum run_result	 follow_run(struct run *, int);

/*
 * audit-log's checks, through a connection binlog_open made without a
 * position: the server's audit plugin logs connections and statements to
 * that file; with FOLLOW_AUDIT_PROBE, the file can be read and is by no
 * one else writable (read once); with FOLLOW_AUDIT_WARN, a plugin that
 * skips accounts is said on standard error. The reader, or NULL and *why.
 */
#define FOLLOW_AUDIT_PROBE	0x1
#define FOLLOW_AUDIT_WARN	0x2
struct binlog;
struct conf;
struct audit	*follow_audit_check(const struct conf *, struct binlog *, int,
		    char **);

#endif

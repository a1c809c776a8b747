/* Typed builders for every record dbsyscheck writes: the owner of caps. */
#ifndef EVENT_H
#define EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct schema;

/*
 * Each builder writes one whole record body (docs/FORMAT.md) into b,
 * which the caller owns and has given the cap RECORD_MAX (record.h), and
 * returns 0; or -1 with an allocated *cause, b then failed. Values are
 * cut at their caps (record.h: RECORD_PK_VALUE_MAX, RECORD_MSG_MAX, ...),
 * which only this file and the UDF apply. db and name are the raw table
 * names (db NULL: a run-level record), by the raw account (NULL: none);
 * key is a key as rowenc_key encodes it for the schema's key columns.
 */

/* op=insert, op=delete: pk= from the stored key. */
int	 event_insert(struct buf *, const struct schema *,
	    const unsigned char *, size_t, char **);
int	 event_delete(struct buf *, const struct schema *,
	    const unsigned char *, size_t, char **);
/* op=update: changed= the n names (n 0: "?", only a tag collision). */
int	 event_update(struct buf *, const struct schema *,
	    const unsigned char *, size_t, const char *const *, size_t,
	    char **);
/* op=error: tampered adds baseline=tampered; msg is cut. */
int	 event_error(struct buf *, const char *, const char *, int,
	    const char *, char **);
/* op=missing rows=n: the table is gone. */
int	 event_missing(struct buf *, const char *, const char *, uint64_t,
	    char **);
/*
 * op=schema: the change fields as schema_compare writes them (fitted),
 * tail "rows" or "updates" (rows=uncompared ...) or NULL.
 */
int	 event_schema(struct buf *, const char *, const char *, int,
	    const char *, size_t, const char *, char **);
/* op=schema emptied=n: a table of many rows is now empty. */
int	 event_emptied(struct buf *, const char *, const char *, uint64_t,
	    char **);
/* op=baseline rows=n: a first scan. */
int	 event_baseline(struct buf *, const char *, const char *, uint64_t,
	    char **);
/* op=reset rows=n by=: an operator's reset. */
int	 event_reset(struct buf *, const char *, const char *, uint64_t,
	    const char *, char **);
/* op=error with src= src (NULL: scan). */
int	 event_error_src(struct buf *, const char *, const char *, int,
	    const char *, const char *, char **);

/*
 * The binary-log follower's records (src=binlog, docs/FORMAT.md). Row
 * records are the scanner's with src=binlog. A transaction is described
 * by a struct event_txn: gtid "" for none, conn 0 for none, when 0 for
 * none, file and offset the position after the event.
 */
/*
 * Who made a change, as the audit log says (by=ACCOUNT,HOW): account the
 * raw "user@host", how a word (docs/FORMAT.md); a NULL struct event_who
 * or account: by=-.
 */
struct event_who {
	const char	*account;
	const char	*how;
};

struct event_txn {
	const char		*gtid;
	uint64_t		 conn;
	int64_t			 when;
	const char		*file;
	uint64_t		 offset;
	const struct event_who	*who;
};

int	 event_binlog_insert(struct buf *, const struct schema *,
	    const unsigned char *, size_t, const struct event_who *,
	    char **);
int	 event_binlog_delete(struct buf *, const struct schema *,
	    const unsigned char *, size_t, const struct event_who *,
	    char **);
int	 event_binlog_update(struct buf *, const struct schema *,
	    const unsigned char *, size_t, const char *const *, size_t,
	    const struct event_who *, char **);
/* op=commit rows=n gtid= conn= time= pos=. */
int	 event_commit(struct buf *, uint64_t, const struct event_txn *,
	    char **);
/* op=ddl table= stmt= gtid= conn= time= pos=: db, name raw with lengths. */
int	 event_ddl(struct buf *, const char *, size_t, const char *, size_t,
	    const char *, const struct event_txn *, char **);
/* op=start pos= gtid=: file, offset, gtid ("" none). */
int	 event_start(struct buf *, const char *, uint64_t, const char *,
	    char **);

/*
 * op=untraced change= logged= from= to=: a change of the row of key that
 * the binary log between two scans' snapshots does not explain
 * (src/reconcile.c); change and logged are words (docs/FORMAT.md).
 */
struct event_span {
	const char	*from;
	uint64_t	 fromoff;
	const char	*to;
	uint64_t	 tooff;
};
int	 event_untraced(struct buf *, const struct schema *,
	    const unsigned char *, size_t, const char *, const char *,
	    const struct event_span *, char **);
/* op=summary: the counts of a report. */
int	 event_summary(struct buf *, uint64_t, uint64_t, uint64_t, uint64_t,
	    uint64_t, char **);

#endif

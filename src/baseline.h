/* The baseline store: an SQLite file of keyed row digests and the outbox. */
#ifndef BASELINE_H
#define BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "diff.h"
#include "entries.h"
#include "lock.h"
#include "outbox.h"

/*
 * baseline_open returns a struct baseline that belongs to the caller
 * (baseline_close). baseline.c owns the file: the connection, creation,
 * verification and conversion, transactions and savepoints, and it is
 * the only file that includes sqlite3.h. The rest of the store reaches
 * the file through the private interface of store.h: the row cursor
 * (cursor.h), table entries, chunks and meta values (entries.h) and the
 * outbox (outbox.h); the run lock is lock.h. Their headers are included
 * here for the callers of this one.
 */
struct baseline;

#define BASELINE_CREATE		0x1	/* create the file when missing */
#define BASELINE_READONLY	0x2
#define BASELINE_KEYCHECK_LEN	16

int	 baseline_exists(const char *, char **);
struct baseline *baseline_open(const char *, int,
	    const unsigned char[BASELINE_KEYCHECK_LEN], char **);
void	 baseline_close(struct baseline *);
int	 baseline_broken(const struct baseline *);
int	 baseline_begin(struct baseline *, char **);
int	 baseline_commit(struct baseline *, char **);
void	 baseline_rollback(struct baseline *);
int	 baseline_savepoint(struct baseline *, char **);
int	 baseline_release(struct baseline *, char **);
void	 baseline_rollback_to(struct baseline *);
int	 baseline_table_clear(struct baseline *, int64_t, char **);

/*
 * The binary-log follower's position (db/baseline.sql, follow): get
 * copies the file (at most filesz - 1 bytes) and the GTID (gtidsz - 1)
 * and returns 1, or 0 when none is stored, -1 on error or a malformed
 * row; set stores it inside the caller's transaction (baseline_begin),
 * so that it advances with the records queued in it; clear forgets it
 * (reset), in the caller's transaction too; stored gives when it was
 * stored, 1, or 0 when none is (status, on a file opened read-only).
 */
int	 baseline_follow_get(struct baseline *, char *, size_t, uint64_t *,
	    char *, size_t, char **);
int	 baseline_follow_set(struct baseline *, const char *, uint64_t,
	    const char *, char **);
int	 baseline_follow_clear(struct baseline *, char **);
int	 baseline_follow_stored(struct baseline *, int64_t *, char **);

/*
 * A table's reconciliation with the binary log (db/baseline.sql,
 * reconcile; src/reconcile.c): the binary-log position of the snapshot
 * of its last good scan ("" when not stored), the server and its file's
 * creation time, a MAC over them (reconcile.c's), the start of the last
 * interval checked ("" none), when it was stored, the op=untraced
 * records of that interval, and why the last interval was not checked
 * ("" when it was). get: 1, 0 when none is stored; put: in the caller's
 * transaction.
 */
#define BASELINE_RECON_FILE_MAX	511
struct baseline_recon {
	char		 file[BASELINE_RECON_FILE_MAX + 1];
	uint64_t	 offset;
	uint64_t	 server_id;
	uint64_t	 created;
	unsigned char	 mac[32];
	char		 from[BASELINE_RECON_FILE_MAX + 1];
	uint64_t	 from_offset;
	int64_t		 at;
	uint64_t	 untraced;
	char		 note[1024];
};
int	 baseline_recon_get(struct baseline *, int64_t,
	    struct baseline_recon *, char **);
int	 baseline_recon_put(struct baseline *, int64_t,
	    const struct baseline_recon *, char **);

/*
 * A prepared XA transaction's records (follow_xa), kept until its XA
 * COMMIT or XA ROLLBACK, which may come much later: add keeps one in the
 * caller's transaction; end with commit set moves them, in order, to the
 * outbox and gives how many, without it forgets them; count gives how
 * many transactions have records kept (0 when the file, opened
 * read-only, has no such table). clear (above) forgets them all.
 */
int	 baseline_xa_add(struct baseline *, const char *, const char *,
	    const char *, size_t, char **);
int	 baseline_xa_end(struct baseline *, const char *, int, uint64_t *,
	    char **);
int	 baseline_xa_count(struct baseline *, uint64_t *, char **);

/*
 * A rolled-back part of a group (follow): last_seq gives the sequence
 * number of the record just queued (baseline_outbox_add) or kept
 * (baseline_xa_add); rows_drop drops the row records (insert, update,
 * delete) queued after a sequence number, or those kept for an xid, in
 * the caller's transaction, and gives how many; rows_count counts them
 * in a range of sequence numbers (after, upto].
 */
int64_t	 baseline_last_seq(struct baseline *);
int	 baseline_rows_drop(struct baseline *, const char *, int64_t,
	    uint64_t *, char **);
int	 baseline_rows_count(struct baseline *, const char *, int64_t,
	    int64_t, uint64_t *, char **);

/*
 * The log the position was read from, stored beside it: the server's
 * server_id and the time stamp of the format description of the
 * position's file (0: not known), columns added on open to a follow
 * table made without them. get returns 1 and both, 0 when no server is
 * stored; set, after baseline_follow_set in the same transaction, stores
 * them.
 */
int	 baseline_follow_server_get(struct baseline *, uint64_t *, uint64_t *,
	    char **);
int	 baseline_follow_server_set(struct baseline *, uint64_t, uint64_t,
	    char **);

#endif

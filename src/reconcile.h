/*
 * Reconciliation (docs/BINLOG.md): every change a scan finds between two
 * snapshots must be the net effect of the row events on that key in the
 * binary log between the snapshots' positions.
 */
#ifndef RECONCILE_H
#define RECONCILE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct baseline;
struct conf;
struct conf_table;
struct source;

/*
 * recon_create returns a struct recon that belongs to the caller
 * (recon_free); it borrows the configuration, the baseline and the key.
 * recon_begin, after the scan's snapshot began and before any table is
 * scanned, reads the snapshot's position and, for every table given
 * whose position is stored, the binary log from it to the snapshot's
 * into a scratch file of net effects per key (compare 0, for a reset:
 * only the position). What keeps one table's
 * interval from being checked is said by recon_finish; -1 only when the
 * run cannot go on (the scratch file, a signal).
 */
struct recon;
struct recon_table;

struct recon	*recon_create(const struct conf *, struct baseline *,
		    const unsigned char *, size_t, volatile sig_atomic_t *);
void		 recon_free(struct recon *);
int		 recon_begin(struct recon *, struct source *,
		    const struct conf_table *const *, size_t, int, char **);

/*
 * A table's part: recon_table (NULL when the run does not reconcile),
 * then recon_check(rt, NULL) when its changes are compared with what is
 * stored (a report of a table of the same description and encoding),
 * else recon_check(rt, why not) (a static string: a first scan, a
 * reset, a table whose description changed...).
 * recon_change for each change the scan finds (old NULL: inserted; new
 * NULL: deleted; digests of ROWENC_DIGEST_LEN bytes; an update's n
 * changed columns' names, none known when 0): 0 and *logged
 * NULL when the log explains it, else *logged the word for the record;
 * recon_unseen calls cb, in key order, for each key the log changed and
 * the scan found unchanged, with the logged word and, when the change is
 * explained if the stored row's digest is the one given (a TRUNCATE in
 * the interval), that digest (else NULL); recon_finish, in the table's
 * transaction, stores the new position and sets *msg (allocated, NULL if
 * none) to the op=error message when an interval could not be checked
 * (or the table can no longer be reconciled). span gives the
 * from= and to= of the table's records.
 */
struct recon_table *recon_table(struct recon *, const char *, const char *);
void		 recon_check(struct recon_table *, const char *);
int		 recon_checking(const struct recon_table *);
const struct event_span *recon_span(const struct recon_table *);
int		 recon_change(struct recon_table *, const unsigned char *,
		    size_t, const unsigned char *, const unsigned char *,
		    const char *const *, size_t, const char **, char **);
typedef int (*recon_unseen_cb)(void *, const unsigned char *, size_t,
		    const char *, const unsigned char *, char **);
int		 recon_unseen(struct recon_table *, recon_unseen_cb, void *,
		    char **);
int		 recon_finish(struct recon_table *, int64_t, uint64_t, char **,
		    char **);

/*
 * recon_truncated: the interval truncated or dropped the table, so every
 * row it holds now must have row events (recon_logged sets *logged 1),
 * or it came back around the log.
 */
int		 recon_truncated(const struct recon_table *);
int		 recon_logged(struct recon_table *, const unsigned char *,
		    size_t, int *, char **);

/* dbsyscheck -t: 0 when a scan can read the log, else -1 and why. */
int		 recon_test(const struct conf *, char **);

/*
 * recon_judge is pure: the word for the record of a key, or NULL when
 * the log explains what the scan found. found: the log has row events
 * on the key; before and after: the row before the first and after the
 * last (NULL: no row); old and new: the stored row and the row now
 * (NULL: none); truncated: the interval truncated or dropped the table
 * (a row the log does not name may be gone); text: a statement logged
 * as text may have changed the table.
 */
const char	*recon_judge(int, const unsigned char *, const unsigned char *,
		    const unsigned char *, const unsigned char *, int, int);

#endif

/* The baseline store: an SQLite file of keyed row digests and the outbox. */
#ifndef BASELINE_H
#define BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "diff.h"
#include "lock.h"

/*
 * baseline_open returns a struct baseline that belongs to the caller
 * (baseline_close). baseline.c is the only file that includes sqlite3.h;
 * the row cursor (cursor.h) reaches the file through its private
 * byte-level interface (store.h), the run lock is lock.h, and both are
 * included here for the callers of this header.
 */
struct baseline;

#define BASELINE_CREATE		0x1	/* create the file when missing */
#define BASELINE_READONLY	0x2
#define BASELINE_KEYCHECK_LEN	16

struct baseline_entry {
	int64_t		 tid;		/* 0 until stored */
	unsigned char	*schema;	/* encoded table description */
	size_t		 schemalen;
	unsigned char	 fp[32];
	int64_t		 nrows;
	int		 state;		/* BASELINE_PRESENT, _MISSING */
	int64_t		 last_scan;
	int64_t		 chunk;		/* chunk size, 0 in full mode */
	unsigned char	 mac[32];
};

/* A key range of a table in chunk mode: up to hi (NULL: no end). */
struct baseline_chunk {
	int64_t		 n;
	unsigned char	*hi;
	size_t		 hilen;
	int64_t		 nrows;
	unsigned char	 agg[8];
	unsigned char	 mac[32];
};

#define BASELINE_PRESENT	0
#define BASELINE_MISSING	1

struct baseline_outrec {
	int64_t		 seq;
	const char	*op;
	const char	*body;
	size_t		 len;
};

struct baseline_counts {
	uint64_t	 inserts;
	uint64_t	 updates;
	uint64_t	 deletes;
	uint64_t	 errors;
	uint64_t	 total;
};

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

int	 baseline_table_get(struct baseline *, const char *, const char *,
	    struct baseline_entry *, char **);
int	 baseline_table_put(struct baseline *, const char *, const char *,
	    struct baseline_entry *, char **);
int	 baseline_tables_each(struct baseline *, int (*)(void *, const char *,
	    const char *, const struct baseline_entry *), void *, char **);
int	 baseline_table_clear(struct baseline *, int64_t, char **);
void	 baseline_entry_clear(struct baseline_entry *);

int	 baseline_outbox_add(struct baseline *, const char *, const char *,
	    size_t, char **);
int	 baseline_outbox_counts(struct baseline *, int64_t,
	    struct baseline_counts *, char **);
int	 baseline_outbox_fetch(struct baseline *, int64_t, size_t,
	    int (*)(void *, const struct baseline_outrec *), void *, char **);
int	 baseline_outbox_ack(struct baseline *, int64_t, char **);
int	 baseline_outbox_last(struct baseline *, int64_t *, char **);
int	 baseline_chunks_get(struct baseline *, int64_t,
	    struct baseline_chunk **, size_t *, char **);
void	 baseline_chunks_free(struct baseline_chunk *, size_t);
int	 baseline_chunks_clear(struct baseline *, int64_t, char **);
int	 baseline_chunk_put(struct baseline *, int64_t,
	    const struct baseline_chunk *, char **);
int	 baseline_meta_get(struct baseline *, const char *, int64_t *, char **);
int	 baseline_meta_put(struct baseline *, const char *, int64_t, char **);
int	 baseline_meta_get_blob(struct baseline *, const char *,
	    unsigned char **, size_t *, char **);
int	 baseline_meta_put_blob(struct baseline *, const char *, const void *,
	    size_t, char **);

#endif

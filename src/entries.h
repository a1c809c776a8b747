/* The baseline's table entries, chunk ranges and meta values. */
#ifndef ENTRIES_H
#define ENTRIES_H

#include <stddef.h>
#include <stdint.h>

#include "chunkhash.h"

/*
 * What baseline_table_get, baseline_tables_each (for the callback's
 * duration), baseline_chunks_get and baseline_meta_get_blob hand out
 * belongs to the caller: baseline_entry_clear, baseline_chunks_free,
 * free. The MACs over entries and chunks are computed by their callers
 * (rowenc, scan); here they are stored bytes.
 */
struct baseline;

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
	unsigned char	 agg[CHUNKHASH_AGG_LEN];
	unsigned char	 mac[32];
};

#define BASELINE_PRESENT	0
#define BASELINE_MISSING	1

int	 baseline_table_get(struct baseline *, const char *, const char *,
	    struct baseline_entry *, char **);
int	 baseline_table_put(struct baseline *, const char *, const char *,
	    struct baseline_entry *, char **);
int	 baseline_tables_each(struct baseline *, int (*)(void *, const char *,
	    const char *, const struct baseline_entry *), void *, char **);
void	 baseline_entry_clear(struct baseline_entry *);

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

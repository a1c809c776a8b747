/*
 * The scanner's private state, shared by scan.c (the run over one table)
 * and scan_chunk.c (chunk mode); no other file includes this header.
 */
#ifndef SCAN_INT_H
#define SCAN_INT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "baseline.h"
#include "buf.h"
#include "pace.h"
#include "rowenc.h"
#include "scan.h"
#include "source_mysql.h"

struct diff;
struct recon;
struct recon_table;
struct schema;

/* A run (scan_create); the struct tscan of one table lives on the stack. */
struct scan {
	struct source		*src;
	struct baseline		*bl;
	const unsigned char	*key;
	size_t			 keylen;
	char			*by;
	volatile sig_atomic_t	*stop;
	struct scan_stats	 stats;
	struct scan_limits	 limits;
	scan_progress_cb	 progress;
	void			*progress_arg;
	unsigned char		*list;		/* authenticated table list */
	size_t			 listlen;
	int			 list_bad;	/* it failed authentication */
	int			 streaming;	/* rows are streaming now */
	struct pace		 pace;
	struct recon		*recon;		/* NULL: not reconciled */
};

/* The state of one table's pass. */
struct tscan {
	struct scan		*run;
	struct schema		*s;
	struct rowenc		*re;
	int64_t			 tid;
	int			 report;	/* queue row records */
	int			 updates;	/* ... including updates */
	uint64_t		 nrows;
	size_t			 nhashed;
	size_t			*keyidx;	/* key column -> value index */
	size_t			*colidx;	/* value index -> column */
	const char *const	*vals;
	const unsigned long	*lens;
	unsigned char		 digest[ROWENC_DIGEST_LEN];
	unsigned char		*tags;

	/*
	 * Columns read once more after the hashed ones: key columns whose
	 * key bytes are read in another encoding than their value (keyenc,
	 * only under an old encoding version), then, while the stored
	 * digests use an older encoding version, the columns whose encoding
	 * changed, in the old one.
	 */
	struct source_extra	*extra;
	size_t			 nextra;
	size_t			 nlegacy;
	size_t			*legacy;	/* their hashed value indexes */
	const char		**ovals;	/* the row in the old encoding */
	unsigned long		*olens;
	unsigned char		 odigest[ROWENC_DIGEST_LEN];
	unsigned char		*otags;
	struct buf		 key;
	struct buf		 rec;
	struct baseline_cursor	*cur;
	struct diff		*diff;
	char			*cause;
	struct recon_table	*rt;		/* reconciliation, or NULL */
	uint64_t		 untraced;	/* its op=untraced records */

	/* Chunk mode: chunks being built (every chunk rows) and kept. */
	unsigned long		 chunk;		/* 0: build none */
	unsigned char		*varlen;	/* per hashed column */
	uint64_t		 crows;
	unsigned char		 cagg[ROWENC_AGG_LEN];
	struct baseline_chunk	*chunks;
	size_t			 nchunks;
};

/* scan.c */
int	 scan_range(struct tscan *, const struct keyvals *,
	    const unsigned char *, size_t, const struct keyvals *,
	    const unsigned char *, size_t, char **);
int	 scan_wait_load(struct scan *, struct source *, char **);
int	 scan_pace(struct tscan *, uint64_t);

/* scan_chunk.c */
void	 scan_chunk_row(struct tscan *, const char *const *,
	    const unsigned long *, const unsigned char *, size_t);
void	 scan_chunk_close(struct tscan *, const unsigned char *, size_t);
int	 scan_chunks_store(struct tscan *, char **);
int	 scan_chunked(struct tscan *, const struct baseline_chunk *, size_t,
	    unsigned long, char **);

#endif

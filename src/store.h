/* The baseline's private interface: statements, blocks and deltas. */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Implemented in baseline.c (the one includer of sqlite3.h) for the
 * modules of the store that must not see SQLite: outbox.c and entries.c
 * use its statements, cursor.c its blocks and deltas. A key bound given
 * as (key, len, have) is the empty key, below every key, when have is 0.
 * What store_blocks_next and store_deltas_next fill in belongs to the
 * caller (free hi and data, or own); on error they leave nothing to free.
 * Every function returns -1 and a message through cause on error, and a
 * damaging error marks the baseline broken. store_error and
 * store_malformed return messages the caller frees.
 */
struct baseline;

/*
 * The statements of the store, by slot; their SQL is in baseline.c, next
 * to the schema. A struct store_stmt belongs to the baseline and is valid
 * until the next store_stmt for the same slot: bind, then step until 0,
 * or store_reset. Binds keep their first failure, which the next step
 * reports. Column pointers are borrowed until the next step or reset.
 */
enum store_sql {
	STORE_TABLE_GET,
	STORE_TABLE_INS,
	STORE_TABLE_UPD,
	STORE_TABLE_CLEAR,
	STORE_TABLES_ALL,
	STORE_BLOCKS_NEXT,
	STORE_BLOCK_BEFORE,
	STORE_CHUNKS_GET,
	STORE_CHUNKS_CLEAR,
	STORE_CHUNK_PUT,
	STORE_BLOCK_PUT,
	STORE_BLOCK_SET,
	STORE_BLOCK_DEL,
	STORE_DELTAS_NEXT,
	STORE_DELTA_PUT,
	STORE_DELTAS_DEL,
	STORE_DELTAS_CLEAR,
	STORE_OUT_ADD,
	STORE_OUT_COUNTS,
	STORE_OUT_UPTO,
	STORE_OUT_FETCH,
	STORE_OUT_ACK,
	STORE_OUT_LAST,
	STORE_META_GET,
	STORE_META_PUT,
	STORE_META_GET_BLOB,
	STORE_FOLLOW_GET,
	STORE_FOLLOW_PUT,
	STORE_FOLLOW_SERVER_GET,
	STORE_FOLLOW_SERVER_PUT,
	STORE_XA_ADD,
	STORE_XA_MOVE,
	STORE_XA_DROP,
	STORE_XA_CUT,
	STORE_OUT_CUT,
	STORE_XA_RANGE,
	STORE_OUT_RANGE,
	STORE_RECON_GET,
	STORE_RECON_PUT,
	STORE_MAX
};

struct store_stmt;

struct store_stmt *store_stmt(struct baseline *, enum store_sql, char **);
void	 store_bind_blob(struct store_stmt *, int, const void *, size_t);
void	 store_bind_text(struct store_stmt *, int, const char *, size_t);
void	 store_bind_int64(struct store_stmt *, int, int64_t);
int	 store_step(struct store_stmt *, const char *, char **);
int	 store_done(struct store_stmt *, const char *, char **);
void	 store_reset(struct store_stmt *);
int64_t	 store_int64(struct store_stmt *, int);
const void *store_blob(struct store_stmt *, int, size_t *);
const char *store_text(struct store_stmt *, int, size_t *);
int	 store_isnull(struct store_stmt *, int);
int64_t	 store_changes(struct baseline *);
int64_t	 store_last_rowid(struct baseline *);
char	*store_error(struct baseline *, const char *);
const char *store_path(const struct baseline *);

/* A stored block: its bound and its bytes. */
struct store_block {
	unsigned char		*hi;
	size_t			 hilen;
	unsigned char		*data;
	size_t			 len;
};

/* A stored delta; digest NULL: the row is removed. One allocation, own. */
struct store_delta {
	unsigned char		*own;
	const unsigned char	*key;
	size_t			 keylen;
	const unsigned char	*digest;	/* DIFF_DIGEST_LEN bytes */
	const unsigned char	*tags;
	size_t			 tagslen;
};

char	*store_malformed(const struct baseline *, const char *);
int	 store_blocks_next(struct baseline *, int64_t, const void *, size_t,
	    int, struct store_block *, size_t, size_t *, char **);
int	 store_block_before(struct baseline *, int64_t, const void *, size_t,
	    unsigned char **, size_t *, char **);
int	 store_block_put(struct baseline *, int64_t, const void *, size_t,
	    const void *, size_t, int, char **);
int	 store_block_del(struct baseline *, int64_t, const void *, size_t,
	    char **);
int	 store_deltas_next(struct baseline *, int64_t, const void *, size_t,
	    int, struct store_delta *, size_t, size_t *, char **);
int	 store_delta_put(struct baseline *, int64_t, const void *, size_t,
	    const unsigned char *, const void *, size_t, char **);
int	 store_deltas_del(struct baseline *, int64_t, const void *, size_t,
	    int, const void *, size_t, char **);

/* For tests: set the connection's length limit, return the old one. */
int	 store_limit_length(struct baseline *, int);

#endif

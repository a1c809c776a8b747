/* MySQL/MariaDB access: pinned session, snapshot, schema and row stream. */
#ifndef SOURCE_MYSQL_H
#define SOURCE_MYSQL_H

#include <signal.h>
#include <stdint.h>

#include "chunkhash.h"
#include "schema.h"

/*
 * source_open returns a struct source that belongs to the caller
 * (source_close). Only this file includes mysql.h (and binlog.c, which
 * reads the binary log on a connection source_conn lends it). Values
 * handed to the row callback are borrowed for the duration of the call; a
 * NULL pointer is SQL NULL and lengths come from the client library.
 */
struct source;
struct st_mysql;

typedef int (*source_row_cb)(void *, const char *const *,
    const unsigned long *);

/* The values of a key, one per key column in key order. */
struct keyvals {
	const char *const	*vals;
	const unsigned long	*lens;
};

/* A column read once more, in another encoding, after the hashed ones. */
struct source_extra {
	size_t		 col;		/* index in the schema's cols */
	enum colenc	 enc;
};

struct source	*source_open(const char *, const char *, char **);
void		 source_close(struct source *);
int		 source_exec(struct source *, const char *, size_t, int,
		    char **);
int		 source_begin(struct source *, char **);
int		 source_end(struct source *, char **);
int		 source_describe(struct source *, const char *, const char *,
		    struct schema **, char **);
int		 source_stream(struct source *, const struct schema *,
		    const struct source_extra *, size_t,
		    const struct keyvals *, const struct keyvals *,
		    source_row_cb, void *, volatile sig_atomic_t *, char **);
int		 source_chunk(struct source *, const struct schema *,
		    const struct keyvals *, const struct keyvals *,
		    uint64_t *, unsigned char[CHUNKHASH_AGG_LEN], uint64_t *,
		    char **);
int		 source_empty(struct source *, const struct schema *, int *,
		    char **);
int		 source_threads_running(struct source *, const struct source *,
		    unsigned long *, char **);
int		 source_snapshot_pos(struct source *, char *, size_t,
		    uint64_t *, uint64_t *, char **);
int		 source_snapshotted(struct source *, const char *,
		    const char *, char **, char **);
/* What a parent's change does to the rows of a child (source_cascades). */
#define SOURCE_FK_DEL_DELETES	0x1	/* ON DELETE CASCADE */
#define SOURCE_FK_DEL_UPDATES	0x2	/* ON DELETE SET NULL, SET DEFAULT */
#define SOURCE_FK_UPD_UPDATES	0x4	/* ON UPDATE CASCADE, SET ... */
int		 source_cascades(struct source *, const char *, const char *,
		    void (*)(void *, const char *, const char *, int,
		    const char *, size_t), void *, char **);
/* What the binary log leaves out (source_binlog_holes). */
struct source_holes {
	char		*do_db;		/* binlog_do_db, NULL: none */
	char		*ignore_db;	/* binlog_ignore_db, NULL: none */
	int		 unlogged_replica;
};
int		 source_binlog_holes(struct source *, struct source_holes *,
		    char **);
char		*source_holes_why(const struct source_holes *, const char *);
void		 source_holes_clear(struct source_holes *);
int		 source_foldcase(struct source *, int *, char **);
int		 source_lost(const struct source *);
const char	*source_server(const struct source *);
struct st_mysql	*source_conn(struct source *);

#endif

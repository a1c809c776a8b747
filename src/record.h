/* Record lines: percent-encoding and the "key=value ... ;" format. */
#ifndef RECORD_H
#define RECORD_H

#include <stddef.h>

#include "buf.h"

/*
 * A record body is "op=OP field=value ... ;": ASCII only, fields separated
 * by one space, ended by " ;". Every name and value is percent-encoded
 * (docs/FORMAT.md), so no byte of row data can end a line or a record.
 * The line written out is RECORD_PREFIX followed by the body. This file
 * is pure and shared with the UDF; it allocates only through struct buf.
 */
#define RECORD_PREFIX	"dbsyscheck: "

/* Flags for record_pct. */
#define RECORD_IDENT	0x1	/* also escape '.' (database, table names) */
#define RECORD_TEXT	0x2	/* keep ' ', ',' and '\'' (messages) */

/* Caps: a record body is never longer than RECORD_MAX bytes. */
#define RECORD_MAX		4096
#define RECORD_PK_MAX		1536	/* the pk= value */
#define RECORD_PK_VALUE_MAX	1024	/* one key column's value */
#define RECORD_LIST_MAX		1024	/* changed=, added=, ... */
#define RECORD_MSG_MAX		512	/* msg= */
#define RECORD_TABLE_MAX	1160	/* table=: any two legal identifiers */
#define RECORD_BY_MAX		256	/* by= */
#define RECORD_SCHEMA_MAX	2816	/* the change fields of op=schema */
#define RECORD_CUT		"%..."

/*
 * The record builders (record_row ... record_schema) start the buffer
 * afresh (buf_reset; give it the cap RECORD_MAX) and write a whole record
 * body or nothing: every value is cut at its cap, and the caps add up to
 * less than RECORD_MAX, so a record always fits (docs/FORMAT.md). -1 only
 * when memory runs out; the buffer is then failed. db and name are the
 * raw database and table names (db NULL: no table= field); by is the raw
 * account (NULL: "-"), how the follower knows it (record_by: NULL for
 * none); pk, changed and fields are already encoded.
 */
int	 record_row(struct buf *, const char *, const char *, const char *,
	    const char *, size_t, const char *, size_t, const char *,
	    const char *, const char *);
int	 record_by(struct buf *, const char *, const char *);
int	 record_count(struct buf *, const char *, const char *, const char *,
	    const char *, unsigned long long, const char *, const char *);
int	 record_error(struct buf *, const char *, const char *, int,
	    const char *, const char *);
int	 record_schema(struct buf *, const char *, const char *, int,
	    const char *, size_t, const char *, const char *);
int	 record_fit(struct buf *, const char *, size_t, size_t);
int	 record_check(const char *, size_t);

size_t	 record_pct_len(const void *, size_t, int);
int	 record_pct(struct buf *, const void *, size_t, int);
int	 record_pct_capped(struct buf *, const void *, size_t, size_t);
int	 record_name(struct buf *, const char *);
int	 record_name_len(struct buf *, const char *, size_t);
int	 record_begin(struct buf *, const char *);
int	 record_field(struct buf *, const char *, const char *);
int	 record_field_value(struct buf *, const char *, const void *, size_t);
int	 record_field_num(struct buf *, const char *, unsigned long long);
int	 record_table(struct buf *, const char *, size_t, const char *,
	    size_t);
int	 record_end(struct buf *);
int	 record_cut(struct buf *, const char *, size_t, size_t);
int	 record_to_json(struct buf *, const char *, size_t);
const char *record_op(const char *, size_t, size_t *);
int	 record_get(const char *, size_t, const char *, const char **,
	    size_t *);

#endif

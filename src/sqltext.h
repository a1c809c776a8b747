/* SQL text: identifiers, literals, key ranges and the chunk expression. */
#ifndef SQLTEXT_H
#define SQLTEXT_H

#include <stddef.h>

#include "buf.h"
#include "schema.h"

/*
 * Pure text building, shared by source_mysql.c (the scanner's queries)
 * and triggers.c (the trigger SQL); no mysql.h, no xmalloc, no printing.
 * Every function appends to a struct buf of the caller's and returns 0,
 * or -1 when the input cannot be written safely (a NUL in an identifier,
 * a malformed key value) or the buffer failed; a failed buffer refuses
 * every later add (buf.h), so a caller may check once at the end. Only
 * the types of schema.h are used, none of its functions.
 */
#define SQLTEXT_LOWER	0x1	/* sqltext_hex: lowercase digits */

/* What sqltext_bound writes: "(key > lo)" or "(key <= hi)". */
#define SQLTEXT_LO	0
#define SQLTEXT_HI	1

int	 sqltext_ident(struct buf *, const char *);
int	 sqltext_identn(struct buf *, const char *, size_t);
int	 sqltext_hex(struct buf *, const void *, size_t, int);
int	 sqltext_string(struct buf *, const char *);
int	 sqltext_key_literal(struct buf *, const struct column *,
	    const char *, unsigned long);
int	 sqltext_expr(struct buf *, const struct column *, enum colenc);
int	 sqltext_table(struct buf *, const char *, const char *);
int	 sqltext_bound(struct buf *, const struct schema *,
	    const char *const *, const unsigned long *, int);
int	 sqltext_from_where(struct buf *, const struct schema *,
	    const char *const *, const unsigned long *,
	    const char *const *, const unsigned long *);
int	 sqltext_chunk_udf(struct buf *, const struct schema *);
int	 sqltext_chunk_sql(struct buf *, const struct schema *, int);

#endif

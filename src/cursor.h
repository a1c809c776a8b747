/* The block-and-delta cursor over the stored rows of one table. */
#ifndef CURSOR_H
#define CURSOR_H

#include <stddef.h>
#include <stdint.h>

#include "diff.h"

/*
 * A cursor belongs to its caller (baseline_cursor_free) and must not
 * outlive the baseline it reads. Pointers handed out by
 * baseline_cursor_next are borrowed until the next call on the cursor
 * (puts and deletes in between leave them valid). The cursor reaches the
 * SQLite file only through store.h; it keeps the baseline_ prefix, under
 * which scan.c calls it.
 */
struct baseline;
struct baseline_cursor;

struct baseline_cursor *baseline_cursor(struct baseline *, int64_t,
	    const void *, size_t, const void *, size_t);
int	 baseline_cursor_next(struct baseline_cursor *, struct diff_row *,
	    char **);
int	 baseline_cursor_put(struct baseline_cursor *,
	    const struct diff_row *, char **);
int	 baseline_cursor_del(struct baseline_cursor *, const unsigned char *,
	    size_t, char **);
int	 baseline_cursor_finish(struct baseline_cursor *, char **);
void	 baseline_cursor_free(struct baseline_cursor *);

#endif

/* A binary-log row image as the scanner sees the row: its key. */
#ifndef LOGROW_H
#define LOGROW_H

#include <stddef.h>

struct binrow_image;
struct binrow_map;
struct buf;
struct schema;

/*
 * logrow_key builds into key the key of the row image im of the map, as
 * the scanner builds it (each key column's text under its key encoding,
 * binrow_text, then rowenc_key), so that the follower's pk= and the
 * reconciliation's keys are the scan's; txt is scratch space. -1 and
 * *cause when a key column is not in the image (binlog_row_image not
 * FULL), NULL, or cannot be rendered.
 */
int	 logrow_key(const struct binrow_map *, const struct binrow_image *,
	    const struct schema *, struct buf *, struct buf *, char **);

#endif

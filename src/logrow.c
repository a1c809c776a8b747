/* A binary-log row image as the scanner sees the row: its key. */
#include "config.h"

#include <stddef.h>

#include "binrow.h"
#include "buf.h"
#include "logrow.h"
#include "rowenc.h"
#include "schema.h"
#include "xmalloc.h"

int
logrow_key(const struct binrow_map *map, const struct binrow_image *im,
    const struct schema *s, struct buf *txt, struct buf *key, char **cause)
{
	const struct column	*c;
	size_t			 k, i;

	buf_reset(key);
	for (k = 0; k < s->nkey; k++) {
		i = s->key[k];
		c = &s->cols[i];
		if (i >= im->ncols || !im->present[i] || im->null[i]) {
			*cause = xasprintf("key column %s is not in the row "
			    "image (binlog_row_image must be FULL)", c->name);
			return -1;
		}
		if (binrow_text(map, im, i, c, c->keyenc, txt, cause) == -1 ||
		    rowenc_key(key, c->kclass, txt->data != NULL ? txt->data :
		    "", (unsigned long)txt->len, cause) == -1)
			return -1;
	}
	if (key->data == NULL || buf_failed(key)) {
		*cause = xstrdup("key too large");
		return -1;
	}
	return 0;
}

/* Every MAC that seals the baseline, and its label: one file owns them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "buf.h"
#include "key.h"
#include "rowenc.h"
#include "seal.h"
#include "xmalloc.h"

#define SEAL_LIST	"dbsyscheck tables v2"
#define SEAL_ENTRY	"dbsyscheck table v1"
#define SEAL_CHUNK	"dbsyscheck chunk v1"
#define SEAL_KEYCHECK	"dbsyscheck key check v1"

/*
 * The list of tables the baseline holds is authenticated as a whole (meta
 * "tables": "db\0name\0" pairs; meta "tables_mac": its HMAC), so that a
 * table entry removed from the file cannot pass for a table never scanned.
 */
int
seal_list(const unsigned char *key, size_t keylen, const void *p, size_t len,
    unsigned char out[ROWENC_MAC_LEN], char **cause)
{
	return rowenc_mac(key, keylen, SEAL_LIST, p, len, out, cause);
}

/* The MAC over a table entry: everything but the MAC itself. */
int
seal_entry(const unsigned char *key, size_t keylen, const char *db,
    const char *name, const struct baseline_entry *e,
    unsigned char out[ROWENC_MAC_LEN], char **cause)
{
	struct buf	 b;
	int		 r;

	buf_init(&b, BUF_NOCAP);
	buf_printf(&b, "%lld %zu %zu %zu %lld %d %lld %lld ",
	    (long long)e->tid, strlen(db), strlen(name), e->schemalen,
	    (long long)e->nrows, e->state, (long long)e->last_scan,
	    (long long)e->chunk);
	buf_adds(&b, db);
	buf_adds(&b, name);
	buf_add(&b, e->schema, e->schemalen);
	buf_add(&b, e->fp, sizeof e->fp);
	if (buf_failed(&b) || b.data == NULL) {
		buf_free(&b);
		*cause = xstrdup("out of memory");
		return -1;
	}
	r = rowenc_mac(key, keylen, SEAL_ENTRY, b.data, b.len, out, cause);
	buf_free(&b);
	return r;
}

/* The MAC of a stored chunk: table, position, bound, count, aggregate. */
int
seal_chunk(const unsigned char *key, size_t keylen, int64_t tid,
    const struct baseline_chunk *c, unsigned char out[ROWENC_MAC_LEN],
    char **cause)
{
	struct buf	 b;
	int		 r;

	buf_init(&b, BUF_NOCAP);
	buf_printf(&b, "%lld %lld %lld %d %zu ", (long long)tid,
	    (long long)c->n, (long long)c->nrows, c->hi != NULL, c->hilen);
	if (c->hi != NULL)
		buf_add(&b, c->hi, c->hilen);
	buf_add(&b, c->agg, sizeof c->agg);
	if (buf_failed(&b) || b.data == NULL) {
		buf_free(&b);
		*cause = xstrdup("out of memory");
		return -1;
	}
	r = rowenc_mac(key, keylen, SEAL_CHUNK, b.data, b.len, out, cause);
	buf_free(&b);
	return r;
}

/*
 * The key check: a MAC of nothing, cut to BASELINE_KEYCHECK_LEN. On an
 * error nothing is written to out, so that no baseline can store a value
 * that any key would fail to match.
 */
int
seal_keycheck(const unsigned char *key,
    unsigned char out[BASELINE_KEYCHECK_LEN], char **cause)
{
	unsigned char	 mac[ROWENC_MAC_LEN];

	if (rowenc_mac(key, KEY_LEN, SEAL_KEYCHECK, "", 0, mac, cause) == -1)
		return -1;
	memcpy(out, mac, BASELINE_KEYCHECK_LEN);
	return 0;
}

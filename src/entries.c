/* The baseline's table entries, chunk ranges and meta values. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "entries.h"
#include "store.h"
#include "xmalloc.h"

static void	 entry_read(struct store_stmt *, int, struct baseline_entry *);

static void
entry_read(struct store_stmt *st, int col, struct baseline_entry *e)
{
	const void	*p;
	size_t		 n;

	memset(e, 0, sizeof *e);
	e->tid = store_int64(st, col);
	p = store_blob(st, col + 1, &n);
	e->schema = (unsigned char *)xmemdup(p != NULL ? p : "", n);
	e->schemalen = n;
	p = store_blob(st, col + 2, &n);
	if (n == sizeof e->fp)
		memcpy(e->fp, p, sizeof e->fp);
	e->nrows = store_int64(st, col + 3);
	e->state = (int)store_int64(st, col + 4);
	e->last_scan = store_int64(st, col + 5);
	p = store_blob(st, col + 6, &n);
	if (n == sizeof e->mac)
		memcpy(e->mac, p, sizeof e->mac);
	e->chunk = store_int64(st, col + 7);
}

/* Free what an entry holds. */
void
baseline_entry_clear(struct baseline_entry *e)
{
	free(e->schema);
	e->schema = NULL;
	e->schemalen = 0;
}

/* Load the entry of DB.NAME: 1 found, 0 not stored, -1 error. */
int
baseline_table_get(struct baseline *bl, const char *db, const char *name,
    struct baseline_entry *e, char **cause)
{
	struct store_stmt	*st;
	int			 rc;

	if ((st = store_stmt(bl, STORE_TABLE_GET, cause)) == NULL)
		return -1;
	store_bind_blob(st, 1, db, strlen(db));
	store_bind_blob(st, 2, name, strlen(name));
	if ((rc = store_step(st, "reading tables", cause)) != 1)
		return rc;
	entry_read(st, 0, e);
	store_reset(st);
	return 1;
}

/* Store the entry of DB.NAME (a new one gets its tid). */
int
baseline_table_put(struct baseline *bl, const char *db, const char *name,
    struct baseline_entry *e, char **cause)
{
	struct store_stmt	*st;

	st = store_stmt(bl, e->tid == 0 ? STORE_TABLE_INS : STORE_TABLE_UPD,
	    cause);
	if (st == NULL)
		return -1;
	store_bind_blob(st, 1, db, strlen(db));
	store_bind_blob(st, 2, name, strlen(name));
	store_bind_blob(st, 3, e->schema, e->schemalen);
	store_bind_blob(st, 4, e->fp, sizeof e->fp);
	store_bind_int64(st, 5, e->nrows);
	store_bind_int64(st, 6, e->state);
	store_bind_int64(st, 7, e->last_scan);
	store_bind_blob(st, 8, e->mac, sizeof e->mac);
	store_bind_int64(st, 10, e->chunk);
	if (e->tid != 0)
		store_bind_int64(st, 9, e->tid);
	if (store_done(st, "writing tables", cause) == -1)
		return -1;
	if (e->tid == 0)
		e->tid = store_last_rowid(bl);
	else if (store_changes(bl) != 1) {
		*cause = xasprintf("baseline %s: table entry vanished",
		    store_path(bl));
		return -1;
	}
	return 0;
}

/* Call cb for every stored table, in name order. */
int
baseline_tables_each(struct baseline *bl, int (*cb)(void *, const char *,
    const char *, const struct baseline_entry *), void *arg, char **cause)
{
	struct baseline_entry	 e;
	struct store_stmt	*st;
	const void		*p;
	char			*db, *name;
	size_t			 n;
	int			 rc, r = 0;

	if ((st = store_stmt(bl, STORE_TABLES_ALL, cause)) == NULL)
		return -1;
	while ((rc = store_step(st, "reading tables", cause)) == 1) {
		p = store_blob(st, 0, &n);
		db = xmemdup(p != NULL ? p : "", n);
		p = store_blob(st, 1, &n);
		name = xmemdup(p != NULL ? p : "", n);
		entry_read(st, 2, &e);
		r = cb(arg, db, name, &e);
		baseline_entry_clear(&e);
		free(db);
		free(name);
		if (r != 0) {
			store_reset(st);
			return r;
		}
	}
	return rc;
}

/* Free a list of chunks. */
void
baseline_chunks_free(struct baseline_chunk *c, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(c[i].hi);
	free(c);
}

/* Load the chunks of a table in key order. */
int
baseline_chunks_get(struct baseline *bl, int64_t tid,
    struct baseline_chunk **out, size_t *n, char **cause)
{
	struct baseline_chunk	*c = NULL, *k;
	struct store_stmt	*st;
	const void		*p;
	size_t			 len;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((st = store_stmt(bl, STORE_CHUNKS_GET, cause)) == NULL)
		return -1;
	store_bind_int64(st, 1, tid);
	while ((rc = store_step(st, "reading chunks", cause)) == 1) {
		c = xreallocarray(c, *n + 1, sizeof *c);
		k = &c[(*n)++];
		memset(k, 0, sizeof *k);
		k->n = store_int64(st, 0);
		if (!store_isnull(st, 1)) {
			p = store_blob(st, 1, &k->hilen);
			k->hi = (unsigned char *)xmemdup(p != NULL ? p : "",
			    k->hilen);
		}
		k->nrows = store_int64(st, 2);
		p = store_blob(st, 3, &len);
		if (len == sizeof k->agg)
			memcpy(k->agg, p, sizeof k->agg);
		p = store_blob(st, 4, &len);
		if (len == sizeof k->mac)
			memcpy(k->mac, p, sizeof k->mac);
	}
	if (rc == -1) {
		baseline_chunks_free(c, *n);
		*n = 0;
		return -1;
	}
	*out = c;
	return 0;
}

/* Forget the chunks of a table. */
int
baseline_chunks_clear(struct baseline *bl, int64_t tid, char **cause)
{
	struct store_stmt	*st;

	if ((st = store_stmt(bl, STORE_CHUNKS_CLEAR, cause)) == NULL)
		return -1;
	store_bind_int64(st, 1, tid);
	return store_done(st, "clearing chunks", cause);
}

/* Store one chunk. */
int
baseline_chunk_put(struct baseline *bl, int64_t tid,
    const struct baseline_chunk *c, char **cause)
{
	struct store_stmt	*st;

	if ((st = store_stmt(bl, STORE_CHUNK_PUT, cause)) == NULL)
		return -1;
	store_bind_int64(st, 1, tid);
	store_bind_int64(st, 2, c->n);
	if (c->hi != NULL)
		store_bind_blob(st, 3, c->hi, c->hilen);
	store_bind_int64(st, 4, c->nrows);
	store_bind_blob(st, 5, c->agg, sizeof c->agg);
	store_bind_blob(st, 6, c->mac, sizeof c->mac);
	return store_done(st, "writing chunks", cause);
}

/* An integer from meta: 1 and *v when set, 0 when not, -1 on error. */
int
baseline_meta_get(struct baseline *bl, const char *name, int64_t *v,
    char **cause)
{
	struct store_stmt	*st;
	int			 rc;

	if ((st = store_stmt(bl, STORE_META_GET, cause)) == NULL)
		return -1;
	store_bind_text(st, 1, name, strlen(name));
	if ((rc = store_step(st, "reading meta", cause)) != 1)
		return rc;
	*v = store_int64(st, 0);
	store_reset(st);
	return 1;
}

/* Set an integer in meta. */
int
baseline_meta_put(struct baseline *bl, const char *name, int64_t v,
    char **cause)
{
	struct store_stmt	*st;

	if ((st = store_stmt(bl, STORE_META_PUT, cause)) == NULL)
		return -1;
	store_bind_text(st, 1, name, strlen(name));
	store_bind_int64(st, 2, v);
	return store_done(st, "writing meta", cause);
}

/* A blob from meta: 1 and a copy (the caller frees it), 0 when unset. */
int
baseline_meta_get_blob(struct baseline *bl, const char *name,
    unsigned char **v, size_t *len, char **cause)
{
	struct store_stmt	*st;
	const void		*p;
	int			 rc;

	*v = NULL;
	*len = 0;
	if ((st = store_stmt(bl, STORE_META_GET_BLOB, cause)) == NULL)
		return -1;
	store_bind_text(st, 1, name, strlen(name));
	if ((rc = store_step(st, "reading meta", cause)) != 1)
		return rc;
	p = store_blob(st, 0, len);
	*v = (unsigned char *)xmemdup(p != NULL ? p : "", *len);
	store_reset(st);
	return 1;
}

/* Set a blob in meta. */
int
baseline_meta_put_blob(struct baseline *bl, const char *name,
    const void *v, size_t len, char **cause)
{
	struct store_stmt	*st;

	if ((st = store_stmt(bl, STORE_META_PUT, cause)) == NULL)
		return -1;
	store_bind_text(st, 1, name, strlen(name));
	store_bind_blob(st, 2, v, len);
	return store_done(st, "writing meta", cause);
}

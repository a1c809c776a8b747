/* The description of a watched table: columns, key and fingerprint. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "conf.h"
#include "record.h"
#include "schema.h"
#include "xmalloc.h"

#define SCHEMA_VERSION	1
#define SCHEMA_NULL	0xffffffffU

/* An empty schema for DB.NAME. */
struct schema *
schema_create(const char *db, const char *name)
{
	struct schema	*s;

	s = xcalloc(1, sizeof *s);
	s->db = xstrdup(db);
	s->name = xstrdup(name);
	return s;
}

/*
 * Append a column; data_type (information_schema DATA_TYPE) decides how it
 * would be ordered and encoded as a key column.
 */
struct column *
schema_add_column(struct schema *s, const char *name, const char *type,
    const char *charset, const char *collation, int nullable,
    const char *data_type)
{
	struct column	*c;

	s->cols = xreallocarray(s->cols, s->ncols + 1, sizeof *s->cols);
	c = &s->cols[s->ncols++];
	memset(c, 0, sizeof *c);
	c->name = xstrdup(name);
	c->type = xstrdup(type);
	c->charset = charset != NULL ? xstrdup(charset) : NULL;
	c->collation = collation != NULL ? xstrdup(collation) : NULL;
	c->nullable = nullable;
	c->hashed = 1;
	if (data_type == NULL)
		data_type = "";
	if (strcmp(data_type, "tinyint") == 0 ||
	    strcmp(data_type, "smallint") == 0 ||
	    strcmp(data_type, "mediumint") == 0 ||
	    strcmp(data_type, "int") == 0 ||
	    strcmp(data_type, "bigint") == 0)
		c->kclass = strstr(type, "unsigned") != NULL ?
		    KEYCLASS_UINT : KEYCLASS_INT;
	else {
		c->kclass = KEYCLASS_BYTES;
		/*
		 * Binary strings and fixed-width temporal text sort by their
		 * bytes natively; everything else (collations, ENUM, numbers
		 * as text) needs a byte-order sort on the server.
		 */
		c->castorder = !(charset == NULL &&
		    (strcmp(data_type, "binary") == 0 ||
		    strcmp(data_type, "varbinary") == 0 ||
		    strcmp(data_type, "date") == 0 ||
		    strcmp(data_type, "datetime") == 0 ||
		    strcmp(data_type, "timestamp") == 0 ||
		    strcmp(data_type, "year") == 0));
	}
	return c;
}

/* Free a schema. */
void
schema_free(struct schema *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ncols; i++) {
		free(s->cols[i].name);
		free(s->cols[i].type);
		free(s->cols[i].charset);
		free(s->cols[i].collation);
	}
	free(s->cols);
	free(s->key);
	free(s->watch);
	free(s->db);
	free(s->name);
	free(s);
}

static struct column *
schema_find(const struct schema *s, const char *name)
{
	size_t	 i;

	for (i = 0; i < s->ncols; i++) {
		if (strcmp(s->cols[i].name, name) == 0)
			return &s->cols[i];
	}
	return NULL;
}

/* Mark ignore= and mask= columns; they must exist and not be key columns. */
int
schema_apply_conf(struct schema *s, const struct conf_table *t, char **cause)
{
	struct column	*c;
	size_t		 i;

	for (i = 0; i < t->nignore; i++) {
		if ((c = schema_find(s, t->ignore[i])) == NULL) {
			*cause = xasprintf("ignore= names no column %s",
			    t->ignore[i]);
			return -1;
		}
		if (c->keypos != 0) {
			*cause = xasprintf("ignore= names key column %s",
			    c->name);
			return -1;
		}
		c->hashed = 0;
	}
	for (i = 0; i < t->nmask; i++) {
		if ((c = schema_find(s, t->mask[i])) == NULL) {
			*cause = xasprintf("mask= names no column %s",
			    t->mask[i]);
			return -1;
		}
		if (c->keypos != 0) {
			*cause = xasprintf("mask= names key column %s "
			    "(key values appear in every record)", c->name);
			return -1;
		}
		c->masked = 1;
	}
	for (i = 0; i < s->ncols; i++) {
		if (s->cols[i].hashed)
			return 0;
	}
	*cause = xstrdup("every column is ignored");
	return -1;
}

/* The number of hashed (not ignored) columns. */
size_t
schema_nhashed(const struct schema *s)
{
	size_t	 i, n = 0;

	for (i = 0; i < s->ncols; i++)
		n += s->cols[i].hashed != 0;
	return n;
}

static int
put32(struct buf *b, uint32_t v)
{
	unsigned char	 p[4];

	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
	return buf_add(b, p, sizeof p);
}

static int
putstr(struct buf *b, const char *s)
{
	if (s == NULL)
		return put32(b, SCHEMA_NULL);
	if (put32(b, (uint32_t)strlen(s)) == -1)
		return -1;
	return buf_adds(b, s);
}

/*
 * Encode everything that decides the digests (not mask=, which never
 * changes a digest) as a length-prefixed blob for the baseline.
 */
int
schema_encode(const struct schema *s, struct buf *b)
{
	const struct column	*c;
	size_t			 i;

	if (buf_addc(b, SCHEMA_VERSION) == -1 || putstr(b, s->db) == -1 ||
	    putstr(b, s->name) == -1 || put32(b, (uint32_t)s->ncols) == -1)
		return -1;
	for (i = 0; i < s->ncols; i++) {
		c = &s->cols[i];
		if (putstr(b, c->name) == -1 || putstr(b, c->type) == -1 ||
		    putstr(b, c->charset) == -1 ||
		    putstr(b, c->collation) == -1 ||
		    buf_addc(b, c->nullable) == -1 ||
		    buf_addc(b, c->hashed) == -1 ||
		    buf_addc(b, c->kclass) == -1 ||
		    buf_addc(b, c->castorder) == -1 ||
		    put32(b, (uint32_t)c->keypos) == -1)
			return -1;
	}
	return putstr(b, s->watch);
}

struct reader {
	const unsigned char	*p;
	size_t			 left;
	int			 bad;
};

static uint32_t
get32(struct reader *r)
{
	uint32_t	 v;

	if (r->left < 4) {
		r->bad = 1;
		return 0;
	}
	v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	    (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	r->left -= 4;
	return v;
}

static int
get8(struct reader *r)
{
	if (r->left < 1) {
		r->bad = 1;
		return 0;
	}
	r->left--;
	return *r->p++;
}

static char *
getstr(struct reader *r)
{
	uint32_t	 n;
	char		*s;

	n = get32(r);
	if (r->bad || n == SCHEMA_NULL)
		return NULL;
	if (n > r->left || memchr(r->p, '\0', n) != NULL) {
		r->bad = 1;
		return NULL;
	}
	s = xmemdup(r->p, n);
	r->p += n;
	r->left -= n;
	return s;
}

/* Decode a blob made by schema_encode. */
struct schema *
schema_decode(const void *p, size_t len, char **cause)
{
	struct reader	 r = { p, len, 0 };
	struct schema	*s;
	struct column	*c;
	uint32_t	 n, i;
	char		*db, *name;

	if (get8(&r) != SCHEMA_VERSION || r.bad) {
		*cause = xstrdup("stored table description has an unknown "
		    "version");
		return NULL;
	}
	db = getstr(&r);
	name = getstr(&r);
	s = schema_create(db != NULL ? db : "", name != NULL ? name : "");
	free(db);
	free(name);
	n = get32(&r);
	if (n > r.left)
		r.bad = 1;
	for (i = 0; i < n && !r.bad; i++) {
		s->cols = xreallocarray(s->cols, s->ncols + 1,
		    sizeof *s->cols);
		c = &s->cols[s->ncols++];
		memset(c, 0, sizeof *c);
		c->name = getstr(&r);
		c->type = getstr(&r);
		c->charset = getstr(&r);
		c->collation = getstr(&r);
		c->nullable = get8(&r);
		c->hashed = get8(&r);
		c->kclass = (enum keyclass)get8(&r);
		c->castorder = get8(&r);
		c->keypos = (int)get32(&r);
		if (c->name == NULL || c->type == NULL ||
		    c->kclass > KEYCLASS_BYTES || c->keypos < 0 ||
		    (size_t)c->keypos > n)
			r.bad = 1;
		else if (c->keypos > 0)
			s->nkey++;
	}
	s->watch = getstr(&r);
	if (!r.bad && r.left != 0)
		r.bad = 1;
	if (!r.bad) {
		s->key = xcalloc(s->nkey, sizeof *s->key);
		for (i = 0; i < s->nkey; i++)
			s->key[i] = SIZE_MAX;
		for (i = 0; i < s->ncols && !r.bad; i++) {
			c = &s->cols[i];
			if (c->keypos == 0)
				continue;
			if ((size_t)c->keypos > s->nkey ||
			    s->key[c->keypos - 1] != SIZE_MAX)
				r.bad = 1;
			else
				s->key[c->keypos - 1] = i;
		}
		if (s->nkey == 0)
			r.bad = 1;
	}
	if (r.bad) {
		*cause = xstrdup("stored table description is malformed");
		schema_free(s);
		return NULL;
	}
	return s;
}

/* SHA-256 of the encoded description. */
void
schema_fingerprint(const struct schema *s, unsigned char out[SCHEMA_FP_LEN])
{
	struct buf	 b;
	unsigned int	 n = SCHEMA_FP_LEN;

	buf_init(&b, BUF_NOCAP);
	if (schema_encode(s, &b) == -1 ||
	    EVP_Digest(b.data, b.len, out, &n, EVP_sha256(), NULL) != 1)
		memset(out, 0, SCHEMA_FP_LEN);
	buf_free(&b);
}

static int
schema_list(struct buf *b, const char *field, const struct schema *a,
    const struct schema *other, int retyped)
{
	const struct column	*c, *o;
	size_t			 i, start = b->len;
	int			 any = 0;

	if (buf_addc(b, ' ') == -1 || buf_adds(b, field) == -1 ||
	    buf_addc(b, '=') == -1)
		return -1;
	for (i = 0; i < a->ncols; i++) {
		c = &a->cols[i];
		o = schema_find(other, c->name);
		if (retyped) {
			if (o == NULL || (strcmp(c->type, o->type) == 0 &&
			    c->nullable == o->nullable &&
			    c->hashed == o->hashed &&
			    (c->charset == NULL) == (o->charset == NULL) &&
			    (c->charset == NULL ||
			    strcmp(c->charset, o->charset) == 0) &&
			    (c->collation == NULL) == (o->collation == NULL) &&
			    (c->collation == NULL ||
			    strcmp(c->collation, o->collation) == 0)))
				continue;
		} else if (o != NULL)
			continue;
		if ((any && buf_addc(b, ',') == -1) ||
		    record_pct(b, c->name, strlen(c->name), 0) == -1)
			return -1;
		any = 1;
	}
	if (!any) {
		b->len = start;
		b->data[b->len] = '\0';
	}
	return 0;
}

/*
 * Append record fields that say how new differs from old (added=,
 * dropped=, retyped= column lists, key=changed, watch=changed). Returns 1
 * when the keys are still comparable (same key columns, names and
 * classes), 0 when not, -1 on error.
 */
int
schema_compare(const struct schema *old, const struct schema *new,
    struct buf *b)
{
	size_t	 i;
	int	 same_key;

	if (schema_list(b, "added", new, old, 0) == -1 ||
	    schema_list(b, "dropped", old, new, 0) == -1 ||
	    schema_list(b, "retyped", new, old, 1) == -1)
		return -1;
	same_key = old->nkey == new->nkey;
	for (i = 0; same_key && i < old->nkey; i++) {
		if (strcmp(old->cols[old->key[i]].name,
		    new->cols[new->key[i]].name) != 0 ||
		    old->cols[old->key[i]].kclass !=
		    new->cols[new->key[i]].kclass)
			same_key = 0;
	}
	if (!same_key && buf_adds(b, " key=changed") == -1)
		return -1;
	if (((old->watch == NULL) != (new->watch == NULL) ||
	    (old->watch != NULL && strcmp(old->watch, new->watch) != 0)) &&
	    buf_adds(b, " watch=changed") == -1)
		return -1;
	return same_key;
}

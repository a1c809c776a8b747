/* The description of a watched table: columns, key and fingerprint. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "conf.h"
#include "record.h"
#include "schema.h"
#include "util.h"
#include "xmalloc.h"

#define SCHEMA_VERSION	2	/* 1: no encoding version (it is 0) */
#define SCHEMA_NULL	0xffffffffU

/* An empty schema for DB.NAME. */
struct schema *
schema_create(const char *db, const char *name)
{
	struct schema	*s;

	s = xcalloc(1, sizeof *s);
	s->db = xstrdup(db);
	s->name = xstrdup(name);
	s->encver = SCHEMA_ENC;
	return s;
}

/*
 * 1 when two values of the ENUM or SET type (COLUMN_TYPE "enum('a','b')",
 * a quote in a member doubled) print the same: it has an empty member,
 * whose text is that of the invalid value (ENUM index 0) or of the empty
 * set, or, from encoding version 3 (dups), two members of the same bytes
 * (accepted with a note when sql_mode is not strict).
 */
static int
schema_ambiguous_members(const char *type, int dups)
{
	const char	*p = strchr(type, '('), *m, *q;
	size_t		 n;
	int		 ambiguous = 0;

	if (p == NULL)
		return 0;
	for (p++; *p == '\'';) {
		for (m = ++p, n = 0; *p != '\0'; p++, n++) {
			if (*p == '\'' && p[1] == '\'')
				p++;
			else if (*p == '\'')
				break;
		}
		if (*p != '\'')
			return 0;
		ambiguous |= n == 0;
		/*
		 * A later member of the same quoted text: the quoting is one
		 * to one, so the same text is the same member name.
		 */
		for (q = p + 1; dups && !ambiguous && *q == ',' &&
		    q[1] == '\'';) {
			q += 2;
			if (strncmp(q, m, (size_t)(p - m)) == 0 &&
			    q[p - m] == '\'' && q[p - m + 1] != '\'')
				ambiguous = 1;
			/* Skip that member. */
			for (; *q != '\0'; q++) {
				if (*q == '\'' && q[1] == '\'')
					q++;
				else if (*q == '\'')
					break;
			}
			if (*q != '\'')
				return 0;
			q++;
		}
		if (*++p == ')')
			return ambiguous;
		if (*p != ',')
			return 0;
		p++;
	}
	return 0;
}

/*
 * The encoding of column c's value under encoding version encver (see
 * docs/DESIGN.md, "How each type is encoded"): only the types whose text
 * is not exactly the stored value are read through an expression. Later
 * versions add cases for encver >= 2 and keep those of the older ones.
 */
enum colenc
schema_colenc(const struct column *c, int encver)
{
	size_t	 n;

	if (encver < 1)
		return COLENC_TEXT;
	n = strcspn(c->type, "( ");
	/* FLOAT text has 6 significant digits; DOUBLE(M,D) has D decimals. */
	if ((n == 5 && strncmp(c->type, "float", 5) == 0) ||
	    (n == 6 && strncmp(c->type, "double", 6) == 0 &&
	    c->type[n] == '('))
		return COLENC_DOUBLE;
	if (((n == 4 && strncmp(c->type, "enum", 4) == 0) ||
	    (n == 3 && strncmp(c->type, "set", 3) == 0)) &&
	    schema_ambiguous_members(c->type, encver >= 3))
		return COLENC_NUMBER;
	return COLENC_TEXT;
}

/*
 * The encoding of column c's key bytes, when it is a key column, under
 * encoding version encver: its text before version 2, since then the
 * same exact value as its digest (two FLOAT keys may print the same).
 */
enum colenc
schema_keyenc(const struct column *c, int encver)
{
	if (encver < 2)
		return COLENC_TEXT;
	return schema_colenc(c, encver);
}

/*
 * 1 for a column whose stored bytes, which CAST(col AS BINARY) gives, are
 * not its text (the data type plugins of MariaDB 10.5 to 10.11: INET4,
 * INET6, UUID): its byte order is not that of the key bytes built from its
 * text, so it is sorted by the bytes of its text (docs/DESIGN.md, "Key
 * order is byte order"). Not part of the schema's encoding: the keys are
 * the same text, only the server's sort changes.
 */
int
schema_textorder(const struct column *c)
{
	return strcmp(c->type, "inet4") == 0 ||
	    strcmp(c->type, "inet6") == 0 || strcmp(c->type, "uuid") == 0;
}

/* 1 for the types whose text can never hold a '#' (numbers, times). */
static int
schema_fixed_text(const char *data_type)
{
	static const char *const fixed[] = {
		"tinyint", "smallint", "mediumint", "int", "bigint", "decimal",
		"float", "double", "date", "datetime", "timestamp", "time",
		"year",
	};
	size_t	 i;

	for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		if (strcmp(data_type, fixed[i]) == 0)
			return 1;
	}
	return 0;
}

/*
 * The most bytes the text of a value of column c can take, from its
 * COLUMN_TYPE; SIZE_MAX when the type is not known to be bounded below a
 * few megabytes (LONGTEXT, LONGBLOB, JSON, spatial types, ...).
 */
size_t
schema_text_max(const struct column *c)
{
	static const struct {
		const char	*name;
		size_t		 max;
		int		 declared;	/* the length is in the type */
	} types[] = {
		{ "char", 0, 1 }, { "varchar", 0, 1 },
		{ "binary", 0, 1 }, { "varbinary", 0, 1 },
		{ "tinytext", 255, 0 }, { "tinyblob", 255, 0 },
		{ "text", 65535, 0 }, { "blob", 65535, 0 },
		{ "mediumtext", 16777215, 0 }, { "mediumblob", 16777215, 0 },
		{ "bit", 8, 0 },
		{ "tinyint", 64, 0 }, { "smallint", 64, 0 },
		{ "mediumint", 64, 0 }, { "int", 64, 0 }, { "bigint", 64, 0 },
		{ "decimal", 80, 0 }, { "float", 64, 0 }, { "double", 64, 0 },
		{ "date", 64, 0 }, { "datetime", 64, 0 },
		{ "timestamp", 64, 0 }, { "time", 64, 0 }, { "year", 64, 0 },
	};
	const char	*errstr;
	char		 name[16], num[16];
	size_t		 i, n;
	long long	 len;

	n = strcspn(c->type, "( ");
	if (n >= sizeof name)
		return SIZE_MAX;
	memcpy(name, c->type, n);
	name[n] = '\0';
	/* An ENUM or SET value is never longer than the list of members. */
	if (strcmp(name, "enum") == 0 || strcmp(name, "set") == 0)
		return strlen(c->type);
	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		if (strcmp(name, types[i].name) != 0)
			continue;
		if (!types[i].declared)
			return types[i].max;
		if (c->type[n] != '(')
			return SIZE_MAX;
		n++;
		i = strspn(c->type + n, "0123456789");
		if (i == 0 || i >= sizeof num || c->type[n + i] != ')')
			return SIZE_MAX;
		memcpy(num, c->type + n, i);
		num[i] = '\0';
		len = util_strtonum(num, 0, 1 << 24, &errstr);
		if (errstr != NULL)
			return SIZE_MAX;
		/* Characters take up to 4 bytes (utf8mb4, utf16, utf32). */
		return (size_t)len * (c->charset != NULL ? 4 : 1);
	}
	return SIZE_MAX;
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
	c->enc = schema_colenc(c, s->encver);
	c->keyenc = schema_keyenc(c, s->encver);
	if (data_type == NULL)
		data_type = "";
	c->varlen = !schema_fixed_text(data_type);
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

static int schema_encode_cols(const struct schema *, int, struct buf *);

/*
 * Encode the description as a length-prefixed blob for the baseline:
 * everything that decides the digests (not mask=, which never changes a
 * digest), the encoding version of the digests, then the watched
 * triggers and functions.
 */
int
schema_encode(const struct schema *s, struct buf *b)
{
	if (schema_encode_cols(s, SCHEMA_VERSION, b) == -1 ||
	    put32(b, (uint32_t)s->encver) == -1)
		return -1;
	return putstr(b, s->watch);
}

static int
schema_encode_cols(const struct schema *s, int version, struct buf *b)
{
	const struct column	*c;
	size_t			 i;

	if (buf_addc(b, version) == -1 || putstr(b, s->db) == -1 ||
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
	return 0;
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
	int		 version;

	version = get8(&r);
	if ((version != 1 && version != SCHEMA_VERSION) || r.bad) {
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
	/* Version 1 was written before encodings were recorded. */
	s->encver = 0;
	if (version >= 2) {
		n = get32(&r);
		if (n > SCHEMA_ENC)
			r.bad = 1;
		s->encver = (int)n;
	}
	for (i = 0; i < s->ncols && !r.bad; i++) {
		s->cols[i].enc = schema_colenc(&s->cols[i], s->encver);
		s->cols[i].keyenc = schema_keyenc(&s->cols[i], s->encver);
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

/*
 * SHA-256 of the encoded columns and key: what decides whether stored
 * digests can be compared (the watched triggers do not, nor the encoding
 * version, which scan.c bridges). Encoded as by version 1, so that the
 * fingerprints stored before version 2 stay valid. -1 with *cause when
 * it cannot be computed: a made-up value would report a false op=schema.
 */
int
schema_fingerprint(const struct schema *s, unsigned char out[SCHEMA_FP_LEN],
    char **cause)
{
	struct buf	 b;
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 n = sizeof md;
	int		 r = -1;

	buf_init(&b, BUF_NOCAP);
	if (schema_encode_cols(s, 1, &b) == -1 ||
	    EVP_Digest(b.data, b.len, md, &n, EVP_sha256(), NULL) != 1 ||
	    n != SCHEMA_FP_LEN) {
		ERR_clear_error();
		*cause = xstrdup("cannot compute the table's fingerprint");
		goto out;
	}
	memcpy(out, md, SCHEMA_FP_LEN);
	r = 0;
out:
	buf_free(&b);
	return r;
}

static int
schema_same_type(const struct column *c, const struct column *o)
{
	return strcmp(c->type, o->type) == 0 && c->nullable == o->nullable &&
	    (c->charset == NULL) == (o->charset == NULL) &&
	    (c->charset == NULL || strcmp(c->charset, o->charset) == 0) &&
	    (c->collation == NULL) == (o->collation == NULL) &&
	    (c->collation == NULL || strcmp(c->collation, o->collation) == 0);
}

enum schema_what { LIST_ADDED, LIST_RETYPED, LIST_WATCHED };

/* Append " field=a,b" for the columns of a that differ from other. */
static int
schema_list(struct buf *b, const char *field, const struct schema *a,
    const struct schema *other, enum schema_what what, int *any)
{
	const struct column	*c, *o;
	size_t			 i, start = b->len;
	int			 n = 0;

	if (buf_addc(b, ' ') == -1 || buf_adds(b, field) == -1 ||
	    buf_addc(b, '=') == -1)
		return -1;
	for (i = 0; i < a->ncols; i++) {
		c = &a->cols[i];
		o = schema_find(other, c->name);
		if (what == LIST_ADDED && o != NULL)
			continue;
		if (what == LIST_RETYPED && (o == NULL || schema_same_type(c, o)))
			continue;
		if (what == LIST_WATCHED && (o == NULL || c->hashed == o->hashed))
			continue;
		if ((n > 0 && buf_addc(b, ',') == -1) ||
		    record_name(b, c->name) == -1)
			return -1;
		n++;
	}
	if (n == 0) {
		b->len = start;
		b->data[b->len] = '\0';
	} else
		*any = 1;
	return 0;
}

/* The line of watch for the object named name (percent-encoded), or NULL. */
static const char *
schema_watch_find(const char *watch, const char *line, size_t namelen,
    size_t *linelen)
{
	const char	*p = watch, *eol;

	while (p != NULL && *p != '\0') {
		eol = strchr(p, '\n');
		*linelen = eol != NULL ? (size_t)(eol - p) : strlen(p);
		if (*linelen > namelen && p[namelen] == '\t' &&
		    memcmp(p, line, namelen) == 0)
			return p;
		p = eol != NULL ? eol + 1 : NULL;
	}
	return NULL;
}

/*
 * Append " field=a,b" for the watched objects (lines "name\t..." of the
 * watch text; names already percent-encoded) of a that are missing from
 * other (altered == 0) or differ (altered == 1).
 */
static int
schema_watch_list(struct buf *b, const char *field, const char *a,
    const char *other, int altered)
{
	const char	*p = a, *eol, *tab, *o;
	size_t		 len, namelen, olen, start = b->len;
	int		 n = 0;

	if (buf_addc(b, ' ') == -1 || buf_adds(b, field) == -1 ||
	    buf_addc(b, '=') == -1)
		return -1;
	while (p != NULL && *p != '\0') {
		eol = strchr(p, '\n');
		len = eol != NULL ? (size_t)(eol - p) : strlen(p);
		tab = memchr(p, '\t', len);
		namelen = tab != NULL ? (size_t)(tab - p) : len;
		o = schema_watch_find(other != NULL ? other : "", p, namelen,
		    &olen);
		if ((!altered && o == NULL) || (altered && o != NULL &&
		    (olen != len || memcmp(o, p, len) != 0))) {
			if ((n > 0 && buf_addc(b, ',') == -1) ||
			    buf_add(b, p, namelen) == -1)
				return -1;
			n++;
		}
		p = eol != NULL ? eol + 1 : NULL;
	}
	if (n == 0) {
		b->len = start;
		b->data[b->len] = '\0';
	}
	return 0;
}

/*
 * Append record fields that say how new differs from old (added=,
 * dropped=, retyped=, watched= column lists, key=changed, and for the
 * watched triggers and functions watch_added=, watch_dropped=,
 * watch_altered=).
 * Returns a mask of SCHEMA_COLUMNS, SCHEMA_KEY and SCHEMA_WATCH, or -1.
 */
int
schema_compare(const struct schema *old, const struct schema *new,
    struct buf *b)
{
	size_t	 i;
	int	 any = 0, what = 0;
	const char *ow = old->watch != NULL ? old->watch : "";
	const char *nw = new->watch != NULL ? new->watch : "";

	if (schema_list(b, "added", new, old, LIST_ADDED, &any) == -1 ||
	    schema_list(b, "dropped", old, new, LIST_ADDED, &any) == -1 ||
	    schema_list(b, "retyped", new, old, LIST_RETYPED, &any) == -1 ||
	    schema_list(b, "watched", new, old, LIST_WATCHED, &any) == -1)
		return -1;
	if (any)
		what |= SCHEMA_COLUMNS;
	if (old->nkey != new->nkey)
		what |= SCHEMA_KEY;
	for (i = 0; !(what & SCHEMA_KEY) && i < old->nkey; i++) {
		if (strcmp(old->cols[old->key[i]].name,
		    new->cols[new->key[i]].name) != 0 ||
		    old->cols[old->key[i]].kclass !=
		    new->cols[new->key[i]].kclass)
			what |= SCHEMA_KEY;
	}
	if ((what & SCHEMA_KEY) && buf_adds(b, " key=changed") == -1)
		return -1;
	if (strcmp(ow, nw) != 0) {
		what |= SCHEMA_WATCH;
		if (schema_watch_list(b, "watch_added", nw, ow, 0) == -1 ||
		    schema_watch_list(b, "watch_dropped", ow, nw, 0) == -1 ||
		    schema_watch_list(b, "watch_altered", nw, ow, 1) == -1)
			return -1;
	}
	return what;
}

/*
 * 0 when the key is in index order, so that chunk ranges can use the
 * index; -1 and why not otherwise. A key read through an expression
 * (FLOAT, DOUBLE(M,D), ENUM with an empty member) is never in index
 * order: its types are all sorted by their bytes (castorder).
 */
int
schema_chunkable(const struct schema *s, char **cause)
{
	size_t	 k;

	for (k = 0; k < s->nkey; k++) {
		if (s->cols[s->key[k]].castorder ||
		    s->cols[s->key[k]].keyenc != COLENC_TEXT) {
			*cause = xasprintf("chunk= needs a key of integer, "
			    "binary or date and time columns: key column %s "
			    "is sorted by its bytes on the server (a collation, "
			    "or a value read through an expression), so its "
			    "ranges cannot use the index",
			    s->cols[s->key[k]].name);
			return -1;
		}
	}
	return 0;
}

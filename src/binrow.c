/* The binary log's row events: a pure decoder of TABLE_MAP and ROWS bodies. */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "binrow.h"
#include "buf.h"
#include "schema.h"

/* Column types as the log names them (MariaDB's enum_field_types). */
#define T_DECIMAL	0
#define T_TINY		1
#define T_SHORT		2
#define T_LONG		3
#define T_FLOAT		4
#define T_DOUBLE	5
#define T_NULL		6
#define T_TIMESTAMP	7
#define T_LONGLONG	8
#define T_INT24		9
#define T_DATE		10
#define T_TIME		11
#define T_DATETIME	12
#define T_YEAR		13
#define T_NEWDATE	14
#define T_VARCHAR	15
#define T_BIT		16
#define T_TIMESTAMP2	17
#define T_DATETIME2	18
#define T_TIME2		19
#define T_JSON		245
#define T_NEWDECIMAL	246
#define T_ENUM		247
#define T_SET		248
#define T_TINY_BLOB	249
#define T_MEDIUM_BLOB	250
#define T_LONG_BLOB	251
#define T_BLOB		252
#define T_VAR_STRING	253
#define T_STRING	254
#define T_GEOMETRY	255

/* MariaDB allows 4096 columns a table; a map beyond that is not real. */
#define BINROW_MAXCOLS	4096
/* The largest row data a compressed event may inflate to. */
#define BINROW_MAXINFLATE (1024UL * 1024 * 1024)

static int
binrow_err(char **cause, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
binrow_err(char **cause, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	*cause = s;
	return -1;
}

static uint64_t
le(const unsigned char *p, size_t n)
{
	uint64_t	 v = 0;

	while (n-- > 0)
		v = (v << 8) | p[n];
	return v;
}

static uint64_t
be(const unsigned char *p, size_t n)
{
	uint64_t	 v = 0;
	size_t		 i;

	for (i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/* A length-encoded integer at *pp, before end; -1 when cut short. */
static int
lenenc(const unsigned char **pp, const unsigned char *end, uint64_t *v)
{
	const unsigned char	*p = *pp;
	size_t			 n;

	if (p >= end)
		return -1;
	switch (*p) {
	case 251:
	case 255:
		return -1;
	case 252:
		n = 2;
		break;
	case 253:
		n = 3;
		break;
	case 254:
		n = 8;
		break;
	default:
		*v = *p;
		*pp = p + 1;
		return 0;
	}
	if ((size_t)(end - p - 1) < n)
		return -1;
	*v = le(p + 1, n);
	*pp = p + 1 + n;
	return 0;
}

/* A name: length byte, bytes, NUL; an allocated copy. */
static int
map_name(const unsigned char **pp, const unsigned char *end, char **out)
{
	const unsigned char	*p = *pp;
	size_t			 n;

	if (p >= end)
		return -1;
	n = *p++;
	if ((size_t)(end - p) < n + 1 || p[n] != '\0' ||
	    memchr(p, '\0', n) != NULL)
		return -1;
	if ((*out = malloc(n + 1)) == NULL)
		return -1;
	memcpy(*out, p, n + 1);
	*pp = p + n + 1;
	return 0;
}

/*
 * The bytes of metadata each type has in a TABLE_MAP, and its value as
 * MariaDB's rpl_utility keeps it: VARCHAR's maximum length little-endian;
 * BIT's bits % 8 in the low byte and whole bytes in the high one;
 * STRING, ENUM, SET the real type in the high byte and the length in the
 * low one; NEWDECIMAL the precision in the high byte, the scale in the low.
 */
static int
map_meta(unsigned char type, const unsigned char **pp,
    const unsigned char *end, uint16_t *meta)
{
	const unsigned char	*p = *pp;
	size_t			 n;

	switch (type) {
	case T_FLOAT:
	case T_DOUBLE:
	case T_TINY_BLOB:
	case T_MEDIUM_BLOB:
	case T_LONG_BLOB:
	case T_BLOB:
	case T_GEOMETRY:
	case T_JSON:
	case T_TIMESTAMP2:
	case T_DATETIME2:
	case T_TIME2:
		n = 1;
		break;
	case T_VARCHAR:
	case T_VAR_STRING:
	case T_BIT:
	case T_NEWDECIMAL:
	case T_STRING:
	case T_ENUM:
	case T_SET:
	case T_DECIMAL:
		n = 2;
		break;
	default:
		n = 0;
		break;
	}
	if ((size_t)(end - p) < n)
		return -1;
	switch (n) {
	case 0:
		*meta = 0;
		break;
	case 1:
		*meta = p[0];
		break;
	default:
		if (type == T_VARCHAR || type == T_VAR_STRING ||
		    type == T_BIT)
			*meta = (uint16_t)(p[0] | (p[1] << 8));
		else
			*meta = (uint16_t)((p[0] << 8) | p[1]);
		break;
	}
	*pp = p + n;
	return 0;
}

/* The types whose signedness the optional metadata gives, one bit each. */
static int
map_numeric(unsigned char type)
{
	switch (type) {
	case T_TINY:
	case T_SHORT:
	case T_INT24:
	case T_LONG:
	case T_LONGLONG:
	case T_NEWDECIMAL:
	case T_FLOAT:
	case T_DOUBLE:
		return 1;
	}
	return 0;
}

/* COLUMN_NAME: one length-encoded name a column, nothing else. */
static int
map_colnames(struct binrow_map *map, const unsigned char *p,
    const unsigned char *end, char **cause)
{
	uint64_t	 n;
	size_t		 i;

	if (map->colnames != NULL)
		return binrow_err(cause, "table map event: column names twice");
	if ((map->colnames = calloc(map->ncols, sizeof *map->colnames)) == NULL)
		return binrow_err(cause, "out of memory");
	for (i = 0; i < map->ncols; i++) {
		if (lenenc(&p, end, &n) == -1 || (uint64_t)(end - p) < n ||
		    n == 0 || memchr(p, '\0', (size_t)n) != NULL)
			return binrow_err(cause,
			    "table map event: malformed column name");
		if ((map->colnames[i] = malloc((size_t)n + 1)) == NULL)
			return binrow_err(cause, "out of memory");
		memcpy(map->colnames[i], p, (size_t)n);
		map->colnames[i][n] = '\0';
		p += n;
	}
	if (p != end)
		return binrow_err(cause,
		    "table map event: column names do not match its columns");
	return 0;
}

/* SIGNEDNESS: a bit a numeric column, the first in the high bit. */
static int
map_signedness(struct binrow_map *map, const unsigned char *p, size_t len,
    char **cause)
{
	size_t	 i, k = 0;

	if (map->unsig != NULL)
		return binrow_err(cause, "table map event: signedness twice");
	for (i = 0; i < map->ncols; i++)
		k += map_numeric(map->types[i]);
	if (len != (k + 7) / 8)
		return binrow_err(cause,
		    "table map event: signedness does not match its columns");
	if ((map->unsig = calloc(map->ncols, 1)) == NULL)
		return binrow_err(cause, "out of memory");
	for (i = 0, k = 0; i < map->ncols; i++) {
		if (!map_numeric(map->types[i]))
			continue;
		map->unsig[i] = (p[k / 8] >> (7 - k % 8)) & 1;
		k++;
	}
	return 0;
}

static void	string_meta(uint16_t, unsigned int *, unsigned int *);

/* The real type of column i: ENUM and SET are logged as STRING. */
static unsigned int
map_real(const struct binrow_map *map, size_t i)
{
	unsigned int	 real, len;

	if (map->types[i] != T_STRING)
		return (map->types[i]);
	string_meta(map->meta[i], &real, &len);
	return (real);
}

/*
 * ENUM_STR_VALUE, SET_STR_VALUE: for each ENUM (SET) column in order, a
 * length-encoded count of members, then each member length-encoded.
 */
static int
map_members(struct binrow_map *map, unsigned int kind,
    const unsigned char *p, const unsigned char *end, char **cause)
{
	struct binrow_members	*m;
	uint64_t		 n, len;
	size_t			 i, k;

	if (map->members == NULL &&
	    (map->members = calloc(map->ncols, sizeof *map->members)) == NULL)
		return binrow_err(cause, "out of memory");
	for (i = 0; i < map->ncols; i++) {
		if (map_real(map, i) != kind)
			continue;
		m = &map->members[i];
		if (m->given)
			return binrow_err(cause,
			    "table map event: members twice");
		m->given = 1;
		/* Each member takes one byte at least: n is bounded. */
		if (lenenc(&p, end, &n) == -1 || n > (uint64_t)(end - p))
			return binrow_err(cause,
			    "table map event: malformed members");
		if ((m->str = calloc((size_t)n + 1, sizeof *m->str)) == NULL ||
		    (m->len = calloc((size_t)n + 1, sizeof *m->len)) == NULL)
			return binrow_err(cause, "out of memory");
		for (k = 0; k < (size_t)n; k++) {
			if (lenenc(&p, end, &len) == -1 ||
			    (uint64_t)(end - p) < len)
				return binrow_err(cause,
				    "table map event: malformed members");
			if ((m->str[k] = malloc((size_t)len + 1)) == NULL)
				return binrow_err(cause, "out of memory");
			memcpy(m->str[k], p, (size_t)len);
			m->str[k][len] = '\0';
			m->len[k] = (size_t)len;
			m->n = k + 1;
			p += len;
		}
	}
	if (p != end)
		return binrow_err(cause,
		    "table map event: members do not match its columns");
	return 0;
}

/*
 * SIMPLE_PRIMARY_KEY: length-encoded column indexes; PRIMARY_KEY_WITH_PREFIX:
 * pairs of a column index and a prefix length (0 for the whole column).
 */
static int
map_pk(struct binrow_map *map, int prefix, const unsigned char *p,
    const unsigned char *end, char **cause)
{
	uint64_t	 v, plen;
	size_t		 i;

	if (map->pk != NULL)
		return binrow_err(cause, "table map event: primary key twice");
	if (p == end)
		return binrow_err(cause, "table map event: empty primary key");
	if ((map->pk = calloc(map->ncols, sizeof *map->pk)) == NULL)
		return binrow_err(cause, "out of memory");
	while (p < end) {
		if (lenenc(&p, end, &v) == -1 ||
		    (prefix && lenenc(&p, end, &plen) == -1))
			return binrow_err(cause,
			    "table map event: malformed primary key");
		if (v >= map->ncols)
			return binrow_err(cause,
			    "table map event: primary key column %llu of %zu",
			    (unsigned long long)v + 1, map->ncols);
		for (i = 0; i < map->npk; i++) {
			if (map->pk[i] == v)
				return binrow_err(cause,
				    "table map event: primary key column twice");
		}
		/* Distinct indexes below ncols: npk stays within ncols. */
		map->pk[map->npk++] = (size_t)v;
	}
	return 0;
}

/*
 * The optional metadata after the null bitmap (binlog_row_metadata MINIMAL
 * or FULL): fields of a type byte, a length-encoded length and as many
 * bytes. Column names, signedness, ENUM and SET members and the primary
 * key are kept; other fields skipped (the members' character sets too:
 * the check compares bytes with the table's COLUMN_TYPE, and a column
 * whose character set changed is refused by those bytes or its type).
 */
static int
map_optional(struct binrow_map *map, const unsigned char *p,
    const unsigned char *end, char **cause)
{
	unsigned char	 type;
	uint64_t	 n;

	while (p < end) {
		type = *p++;
		if (lenenc(&p, end, &n) == -1 || (uint64_t)(end - p) < n)
			return binrow_err(cause,
			    "table map event: optional metadata cut short");
		switch (type) {
		case 1:		/* SIGNEDNESS */
			if (map_signedness(map, p, (size_t)n, cause) == -1)
				return -1;
			break;
		case 4:		/* COLUMN_NAME */
			if (map_colnames(map, p, p + n, cause) == -1)
				return -1;
			break;
		case 5:		/* SET_STR_VALUE */
			if (map_members(map, T_SET, p, p + n, cause) == -1)
				return -1;
			break;
		case 6:		/* ENUM_STR_VALUE */
			if (map_members(map, T_ENUM, p, p + n, cause) == -1)
				return -1;
			break;
		case 8:		/* SIMPLE_PRIMARY_KEY */
		case 9:		/* PRIMARY_KEY_WITH_PREFIX */
			if (map_pk(map, type == 9, p, p + n, cause) == -1)
				return -1;
			break;
		}
		p += n;
	}
	return 0;
}

/* Parse a TABLE_MAP body into map. */
int
binrow_map_parse(struct binrow_map *map, const unsigned char *buf,
    size_t len, char **cause)
{
	const unsigned char	*p = buf, *end, *mend;
	uint64_t		 ncols, mlen;
	size_t			 i, nb;

	memset(map, 0, sizeof *map);
	if (buf == NULL || len < 8)
		return binrow_err(cause, "table map event too short");
	end = buf + len;
	map->table_id = le(p, 6);
	p += 8;
	if (map_name(&p, end, &map->db) == -1 ||
	    map_name(&p, end, &map->name) == -1) {
		binrow_map_clear(map);
		return binrow_err(cause, "table map event: malformed name");
	}
	if (lenenc(&p, end, &ncols) == -1 || ncols == 0 ||
	    ncols > BINROW_MAXCOLS) {
		binrow_map_clear(map);
		return binrow_err(cause, "table map event: bad column count");
	}
	map->ncols = (size_t)ncols;
	nb = (map->ncols + 7) / 8;
	if ((size_t)(end - p) < map->ncols) {
		binrow_map_clear(map);
		return binrow_err(cause, "table map event too short");
	}
	map->types = malloc(map->ncols);
	map->meta = calloc(map->ncols, sizeof *map->meta);
	map->nullable = malloc(nb);
	if (map->types == NULL || map->meta == NULL ||
	    map->nullable == NULL) {
		binrow_map_clear(map);
		return binrow_err(cause, "out of memory");
	}
	memcpy(map->types, p, map->ncols);
	p += map->ncols;
	if (lenenc(&p, end, &mlen) == -1 || (uint64_t)(end - p) < mlen) {
		binrow_map_clear(map);
		return binrow_err(cause, "table map event: bad metadata length");
	}
	mend = p + mlen;
	for (i = 0; i < map->ncols; i++) {
		if (map_meta(map->types[i], &p, mend, &map->meta[i]) == -1) {
			binrow_map_clear(map);
			return binrow_err(cause,
			    "table map event: metadata cut short");
		}
	}
	if (p != mend) {
		binrow_map_clear(map);
		return binrow_err(cause,
		    "table map event: metadata length mismatch");
	}
	if ((size_t)(end - p) < nb) {
		binrow_map_clear(map);
		return binrow_err(cause, "table map event: no null bitmap");
	}
	memcpy(map->nullable, p, nb);
	p += nb;
	if (map_optional(map, p, end, cause) == -1) {
		binrow_map_clear(map);
		return -1;
	}
	return 0;
}

/* Free what binrow_map_parse allocated. */
void
binrow_map_clear(struct binrow_map *map)
{
	struct binrow_members	*m;
	size_t			 i, k;

	if (map == NULL)
		return;
	free(map->db);
	free(map->name);
	free(map->types);
	free(map->meta);
	free(map->nullable);
	if (map->colnames != NULL) {
		for (i = 0; i < map->ncols; i++)
			free(map->colnames[i]);
		free(map->colnames);
	}
	free(map->unsig);
	if (map->members != NULL) {
		for (i = 0; i < map->ncols; i++) {
			m = &map->members[i];
			if (m->str != NULL) {
				for (k = 0; k < m->n; k++)
					free(m->str[k]);
			}
			free(m->str);
			free(m->len);
		}
		free(map->members);
	}
	free(map->pk);
	memset(map, 0, sizeof *map);
}

/*
 * Inflate MariaDB's compressed row data: a header byte (0x80, the
 * algorithm in bits 4-6, zlib only, and the count of length bytes in bits
 * 0-2), the inflated length big-endian, then a zlib stream.
 */
static int
rows_inflate(struct binrow_rows *r, const unsigned char *p, size_t len,
    char **cause)
{
	z_stream	 z;
	unsigned char	 chunk[16384];
	size_t		 lenlen, want;
	int		 zr;

	if (len < 1 || (p[0] & 0x80) == 0 || (p[0] & 0x70) != 0)
		return binrow_err(cause, "compressed rows: bad header");
	lenlen = p[0] & 0x07;
	if (lenlen < 1 || lenlen > 4 || len - 1 < lenlen)
		return binrow_err(cause, "compressed rows: bad header");
	want = (size_t)be(p + 1, lenlen);
	if (want > BINROW_MAXINFLATE)
		return binrow_err(cause, "compressed rows: too large");
	p += 1 + lenlen;
	len -= 1 + lenlen;
	if (len > UINT_MAX)
		return binrow_err(cause, "compressed rows: too large");
	/*
	 * Grown as the stream inflates, never to more than announced: a
	 * few hostile bytes cannot make us allocate what they claim.
	 */
	buf_free(&r->inflated);
	buf_init(&r->inflated, want);
	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK)
		return binrow_err(cause, "compressed rows: inflateInit failed");
	z.next_in = (unsigned char *)(uintptr_t)p;
	z.avail_in = (uInt)len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof chunk;
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END)
			break;
		if (buf_add(&r->inflated, chunk, sizeof chunk -
		    z.avail_out) == -1)
			break;
	} while (zr == Z_OK && (z.avail_out == 0 || z.avail_in != 0));
	inflateEnd(&z);
	if (buf_failed(&r->inflated) || zr != Z_STREAM_END ||
	    z.avail_in != 0 || r->inflated.len != want) {
		buf_free(&r->inflated);
		buf_init(&r->inflated, BUF_NOCAP);
		return binrow_err(cause, "compressed rows: bad zlib stream");
	}
	return 0;
}

/* Parse a ROWS event body of event type type. */
int
binrow_rows_parse(struct binrow_rows *r, int type, const unsigned char *buf,
    size_t len, char **cause)
{
	static const enum binrow_kind kinds[] = { BINROW_WRITE, BINROW_UPDATE,
	    BINROW_DELETE };
	const unsigned char	*p = buf, *end;
	uint64_t		 ncols, extra;
	size_t			 nb;
	int			 v2 = 0, compressed = 0;

	memset(r, 0, sizeof *r);
	buf_init(&r->inflated, BUF_NOCAP);
	/*
	 * v1 23-25 and v2 30-32 (write, update, delete); MariaDB's
	 * compressed v1 166-168 and v2 169-171.
	 */
	if (type >= 23 && type <= 25)
		r->kind = kinds[type - 23];
	else if (type >= 30 && type <= 32) {
		r->kind = kinds[type - 30];
		v2 = 1;
	} else if (type >= 166 && type <= 168) {
		r->kind = kinds[type - 166];
		compressed = 1;
	} else if (type >= 169 && type <= 171) {
		r->kind = kinds[type - 169];
		v2 = compressed = 1;
	} else
		return binrow_err(cause, "not a rows event: type %d", type);
	if (buf == NULL || len < 8)
		return binrow_err(cause, "rows event too short");
	end = buf + len;
	r->table_id = le(p, 6);
	r->flags = (uint16_t)le(p + 6, 2);
	p += 8;
	if (v2) {
		if (end - p < 2)
			return binrow_err(cause, "rows event too short");
		extra = le(p, 2);
		if (extra < 2 || (uint64_t)(end - p) < extra)
			return binrow_err(cause, "rows event: bad extra data");
		p += extra;
	}
	if (lenenc(&p, end, &ncols) == -1 || ncols == 0 ||
	    ncols > BINROW_MAXCOLS)
		return binrow_err(cause, "rows event: bad column count");
	r->ncols = (size_t)ncols;
	nb = (r->ncols + 7) / 8;
	if ((size_t)(end - p) < nb)
		return binrow_err(cause, "rows event too short");
	r->present = p;
	p += nb;
	if (r->kind == BINROW_UPDATE) {
		if ((size_t)(end - p) < nb)
			return binrow_err(cause, "rows event too short");
		r->present_after = p;
		p += nb;
	}
	if (compressed) {
		if (rows_inflate(r, p, (size_t)(end - p), cause) == -1) {
			binrow_rows_clear(r);
			return -1;
		}
		r->p = (const unsigned char *)r->inflated.data;
		r->end = r->p + r->inflated.len;
	} else {
		r->p = p;
		r->end = end;
	}
	return 0;
}

/* Free what binrow_rows_parse allocated. */
void
binrow_rows_clear(struct binrow_rows *r)
{
	if (r == NULL)
		return;
	buf_free(&r->inflated);
	memset(r, 0, sizeof *r);
	buf_init(&r->inflated, BUF_NOCAP);
}

/* Free an image's arrays. */
void
binrow_image_free(struct binrow_image *im)
{
	if (im == NULL)
		return;
	free(im->present);
	free(im->null);
	free(im->raw);
	free(im->rawlen);
	memset(im, 0, sizeof *im);
}

static int
image_size(struct binrow_image *im, size_t ncols)
{
	if (im->ncols == ncols && im->present != NULL)
		return 0;
	binrow_image_free(im);
	im->present = calloc(ncols, 1);
	im->null = calloc(ncols, 1);
	im->raw = calloc(ncols, sizeof *im->raw);
	im->rawlen = calloc(ncols, sizeof *im->rawlen);
	if (im->present == NULL || im->null == NULL || im->raw == NULL ||
	    im->rawlen == NULL) {
		binrow_image_free(im);
		return -1;
	}
	im->ncols = ncols;
	return 0;
}

/* The byte length of the binary decimal of precision prec, scale scale. */
static size_t
decimal_size(unsigned int prec, unsigned int scale)
{
	static const unsigned char dig2bytes[10] =
	    { 0, 1, 1, 2, 2, 3, 3, 4, 4, 4 };
	unsigned int	 intg = prec - scale;

	return (intg / 9) * 4 + dig2bytes[intg % 9] + (scale / 9) * 4 +
	    dig2bytes[scale % 9];
}

/* The real type and length of a STRING/ENUM/SET column's metadata. */
static void
string_meta(uint16_t meta, unsigned int *real, unsigned int *len)
{
	unsigned int	 b0 = meta >> 8, b1 = meta & 0xff;

	if ((b0 & 0x30) != 0x30) {
		b1 |= ((b0 & 0x30) ^ 0x30) << 4;
		b0 |= 0x30;
	}
	*real = b0;
	*len = b1;
}

/*
 * The length of the value of a column of type type and metadata meta at
 * p (avail bytes left); 0 and *n, or -1.
 */
static int
field_len(unsigned char type, uint16_t meta, const unsigned char *p,
    size_t avail, size_t *n)
{
	unsigned int	 real, slen, dec;
	size_t		 pre = 0, need;

	switch (type) {
	case T_TINY:
	case T_YEAR:
		need = 1;
		break;
	case T_SHORT:
		need = 2;
		break;
	case T_INT24:
	case T_DATE:
	case T_NEWDATE:
		need = 3;
		break;
	case T_LONG:
		need = 4;
		break;
	case T_LONGLONG:
		need = 8;
		break;
	case T_FLOAT:
		if (meta != 4)
			return -1;
		need = 4;
		break;
	case T_DOUBLE:
		if (meta != 8)
			return -1;
		need = 8;
		break;
	case T_TIME2:
	case T_DATETIME2:
	case T_TIMESTAMP2:
		if (meta > 6)
			return -1;
		dec = (meta + 1) / 2;
		need = dec + (type == T_TIME2 ? 3 :
		    type == T_DATETIME2 ? 5 : 4);
		break;
	case T_NEWDECIMAL:
		if ((meta >> 8) < 1 || (meta >> 8) > 65 ||
		    (meta & 0xff) > 38 || (meta & 0xff) > (meta >> 8))
			return -1;
		need = decimal_size(meta >> 8, meta & 0xff);
		break;
	case T_BIT:
		if ((meta & 0xff) > 7 || (meta >> 8) > 8)
			return -1;
		need = (meta >> 8) + ((meta & 0xff) != 0);
		if (need == 0)
			return -1;
		break;
	case T_VARCHAR:
	case T_VAR_STRING:
		pre = meta > 255 ? 2 : 1;
		break;
	case T_TINY_BLOB:
	case T_MEDIUM_BLOB:
	case T_LONG_BLOB:
	case T_BLOB:
	case T_GEOMETRY:
	case T_JSON:
		if (meta < 1 || meta > 4)
			return -1;
		pre = meta;
		break;
	case T_STRING:
	case T_ENUM:
	case T_SET:
		string_meta(meta, &real, &slen);
		if (real == T_ENUM) {
			if (slen != 1 && slen != 2)
				return -1;
			need = slen;
		} else if (real == T_SET) {
			if (slen < 1 || slen > 8)
				return -1;
			need = slen;
		} else if (real == T_STRING) {
			pre = slen > 255 ? 2 : 1;
		} else
			return -1;
		break;
	default:
		return -1;
	}
	if (pre != 0) {
		if (avail < pre)
			return -1;
		need = le(p, pre);
		if (need > avail - pre)
			return -1;
		need += pre;
	}
	if (need > avail)
		return -1;
	*n = need;
	return 0;
}

static int
bit(const unsigned char *map, size_t i)
{
	return (map[i / 8] >> (i % 8)) & 1;
}

/* One image: present columns, null bitmap, values. */
static int
read_image(struct binrow_rows *r, const struct binrow_map *map,
    const unsigned char *present, struct binrow_image *im, char **cause)
{
	const unsigned char	*nulls;
	size_t			 i, j, npresent = 0, nb, n;

	if (image_size(im, r->ncols) == -1)
		return binrow_err(cause, "out of memory");
	for (i = 0; i < r->ncols; i++)
		npresent += bit(present, i);
	nb = (npresent + 7) / 8;
	if ((size_t)(r->end - r->p) < nb)
		return binrow_err(cause, "row image cut short");
	nulls = r->p;
	r->p += nb;
	for (i = 0, j = 0; i < r->ncols; i++) {
		im->raw[i] = NULL;
		im->rawlen[i] = 0;
		im->null[i] = 0;
		if (!(im->present[i] = (unsigned char)bit(present, i)))
			continue;
		if (bit(nulls, j++)) {
			im->null[i] = 1;
			continue;
		}
		if (map->types[i] == T_TIME || map->types[i] == T_DATETIME ||
		    map->types[i] == T_TIMESTAMP)
			return binrow_err(cause, "row image: column %zu is an "
			    "old-format TIME, DATETIME or TIMESTAMP, whose "
			    "length the log does not give (ALTER TABLE ... "
			    "FORCE converts it)", i + 1);
		if (field_len(map->types[i], map->meta[i], r->p,
		    (size_t)(r->end - r->p), &n) == -1)
			return binrow_err(cause,
			    "row image: column %zu (type %u) does not decode",
			    i + 1, map->types[i]);
		im->raw[i] = r->p;
		im->rawlen[i] = n;
		r->p += n;
	}
	return 0;
}

/* Read the next row of an event; 1, 0 at its end, or -1. */
int
binrow_next(struct binrow_rows *r, const struct binrow_map *map,
    struct binrow_image *before, struct binrow_image *after, char **cause)
{
	const unsigned char	*start;

	if (r->p == NULL || r->p >= r->end)
		return 0;
	if (map->ncols != r->ncols) {
		binrow_err(cause, "rows event has %zu columns, its table map "
		    "%zu", r->ncols, map->ncols);
		goto fail;
	}
	if (map->table_id != r->table_id) {
		binrow_err(cause, "rows event of another table");
		goto fail;
	}
	start = r->p;
	switch (r->kind) {
	case BINROW_WRITE:
		if (read_image(r, map, r->present, after, cause) == -1)
			goto fail;
		break;
	case BINROW_DELETE:
		if (read_image(r, map, r->present, before, cause) == -1)
			goto fail;
		break;
	case BINROW_UPDATE:
		if (read_image(r, map, r->present, before, cause) == -1 ||
		    read_image(r, map, r->present_after, after, cause) == -1)
			goto fail;
		break;
	}
	/* A row of no bytes (no column present) would never end. */
	if (r->p == start) {
		binrow_err(cause, "row image of no columns");
		goto fail;
	}
	return 1;

fail:
	/* Never read on from a place that did not decode. */
	r->p = r->end;
	return -1;
}

/* The data type of a COLUMN_TYPE: its name up to '(' or ' '. */
static int
col_is(const struct column *col, const char *name)
{
	size_t	 n = strcspn(col->type, "( ");

	return strlen(name) == n && strncmp(col->type, name, n) == 0;
}

static int
col_unsigned(const struct column *col)
{
	return strstr(col->type, " unsigned") != NULL;
}

/* The display width of a ZEROFILL integer, or 0. */
static int
col_zerofill(const struct column *col)
{
	const char	*p;
	int		 w = 0;

	if (strstr(col->type, " zerofill") == NULL)
		return 0;
	if ((p = strchr(col->type, '(')) == NULL)
		return -1;
	for (p++; *p >= '0' && *p <= '9' && w < 1000; p++)
		w = w * 10 + (*p - '0');
	if (*p != ')' || w == 0 || w >= 1000)
		return -1;
	return w;
}

static int
text_int(const struct column *col, const unsigned char *p, size_t n,
    struct buf *out, char **cause)
{
	uint64_t	 u = le(p, n);
	int64_t		 s;
	int		 w;

	if ((w = col_zerofill(col)) == -1)
		return binrow_err(cause, "bad zerofill width");
	if (col_unsigned(col)) {
		if (w > 0)
			return buf_printf(out, "%0*llu", w,
			    (unsigned long long)u);
		return buf_printf(out, "%llu", (unsigned long long)u);
	}
	if (w > 0)
		return binrow_err(cause, "zerofill without unsigned");
	if (n < 8 && (u & ((uint64_t)1 << (n * 8 - 1))))
		u |= ~(((uint64_t)1 << (n * 8)) - 1);
	memcpy(&s, &u, sizeof s);
	return buf_printf(out, "%lld", (long long)s);
}

/* The double that 0.DIGITSe<decpt> reads as. */
static double
digits_value(const char *digits, int len, int decpt)
{
	char	 tmp[48];

	snprintf(tmp, sizeof tmp, "0.%.*se%d", len, digits, decpt);
	return strtod(tmp, NULL);
}

/*
 * The shortest digits that read back as d (> 0), and among those the
 * closest to d, as dtoa's mode 0 gives them (MariaDB's my_gcvt): for each
 * length the correctly rounded digits, or, where d is a power of two and
 * its interval is lopsided, their neighbour one unit up or down. At most
 * 17 digits, no trailing zeros; decpt is the decimal point's place.
 */
static int
shortest(double d, char *digits, int *len, int *decpt)
{
	char	 tmp[40], o[20], c[20];
	int	 p, i, n, dp, odp;

	for (p = 1; p <= 17; p++) {
		snprintf(tmp, sizeof tmp, "%.*e", p - 1, d);
		for (i = 0, n = 0; tmp[i] != 'e' && tmp[i] != '\0'; i++) {
			if (tmp[i] >= '0' && tmp[i] <= '9' && n < p)
				o[n++] = tmp[i];
		}
		if (tmp[i] != 'e' || n != p || o[0] == '0')
			return -1;
		odp = (int)strtol(tmp + i + 1, NULL, 10) + 1;
		memcpy(c, o, (size_t)p);
		n = p;
		dp = odp;
		if (digits_value(c, n, dp) == d)
			goto found;
		/* One unit up. */
		for (i = n - 1; i >= 0 && c[i] == '9'; i--)
			c[i] = '0';
		if (i < 0) {
			memmove(c + 1, c, (size_t)n);
			c[0] = '1';
			n++;
			dp++;
		} else
			c[i]++;
		if (digits_value(c, n, dp) == d)
			goto found;
		/* One unit down (o[0] is not '0': there is a digit to take). */
		memcpy(c, o, (size_t)p);
		n = p;
		dp = odp;
		for (i = n - 1; c[i] == '0'; i--)
			c[i] = '9';
		c[i]--;
		if (c[0] == '0') {
			memmove(c, c + 1, (size_t)--n);
			dp--;
		}
		if (n > 0 && digits_value(c, n, dp) == d)
			goto found;
	}
	return -1;

found:
	while (n > 1 && c[n - 1] == '0')
		n--;
	memcpy(digits, c, (size_t)n);
	*len = n;
	*decpt = dp;
	return 0;
}

/*
 * The text of a double as MariaDB's my_gcvt writes it for a DOUBLE
 * (String::set_real with no fixed decimals): the shortest digits that
 * read back as the same double, fixed notation when the decimal point
 * falls within -14 and 15 digits of them (or inside them), else
 * d.ddde[-]x.
 */
static int
text_double(double d, struct buf *out, char **cause)
{
	char	 digits[20];
	int	 decpt, len, i;

	if (!isfinite(d))
		return binrow_err(cause, "not a finite number");
	if (d == 0) {
		if (signbit(d))
			return binrow_err(cause, "negative zero");
		return buf_adds(out, "0");
	}
	if (shortest(fabs(d), digits, &len, &decpt) == -1)
		return binrow_err(cause, "double does not print");
	if (d < 0 && buf_addc(out, '-') == -1)
		return -1;
	if (decpt >= -14 && (decpt <= 15 || len > decpt)) {
		if (decpt <= 0) {
			if (buf_adds(out, "0.") == -1)
				return -1;
			for (i = decpt; i < 0; i++)
				buf_addc(out, '0');
			return buf_add(out, digits, (size_t)len);
		}
		if (decpt < len) {
			buf_add(out, digits, (size_t)decpt);
			buf_addc(out, '.');
			return buf_add(out, digits + decpt,
			    (size_t)(len - decpt));
		}
		buf_add(out, digits, (size_t)len);
		for (i = len; i < decpt; i++)
			buf_addc(out, '0');
		return buf_failed(out) ? -1 : 0;
	}
	buf_addc(out, digits[0]);
	if (len > 1) {
		buf_addc(out, '.');
		buf_add(out, digits + 1, (size_t)(len - 1));
	}
	return buf_printf(out, "e%d", decpt - 1);
}

/* A binary decimal: every digit of the scale, no leading zeros. */
static int
text_decimal(uint16_t meta, const unsigned char *raw, size_t n,
    struct buf *out, char **cause)
{
	static const unsigned char dig2bytes[10] =
	    { 0, 1, 1, 2, 2, 3, 3, 4, 4, 4 };
	static const uint32_t pow10[10] = { 1, 10, 100, 1000, 10000,
	    100000, 1000000, 10000000, 100000000, 1000000000 };
	unsigned char	 b[40];
	unsigned int	 prec = meta >> 8, scale = meta & 0xff;
	unsigned int	 intg = prec - scale, lead = intg % 9, i, k, nd;
	size_t		 off = 0;
	uint32_t	 w;
	int		 neg, any = 0, nonzero = 0;
	char		 d[12];

	if (n > sizeof b || n != decimal_size(prec, scale))
		return binrow_err(cause, "bad decimal");
	memcpy(b, raw, n);
	neg = !(b[0] & 0x80);
	b[0] ^= 0x80;
	if (neg) {
		for (i = 0; i < n; i++)
			b[i] ^= 0xff;
	}
	if (neg && buf_addc(out, '-') == -1)
		return -1;
	/* The integer part: the leading group, then whole words. */
	for (k = 0; k <= intg / 9; k++) {
		nd = k == 0 ? lead : 9;
		if (nd == 0)
			continue;
		w = (uint32_t)be(b + off, k == 0 ? dig2bytes[lead] : 4);
		off += k == 0 ? dig2bytes[lead] : 4;
		if (w >= pow10[nd])
			return binrow_err(cause, "bad decimal digits");
		if (w != 0)
			nonzero = 1;
		if (!any && w == 0)
			continue;
		if (any)
			buf_printf(out, "%0*u", (int)nd, w);
		else
			buf_printf(out, "%u", w);
		any = 1;
	}
	if (!any)
		buf_addc(out, '0');
	if (scale > 0) {
		buf_addc(out, '.');
		for (k = 0; k < (scale + 8) / 9; k++) {
			nd = k < scale / 9 ? 9 : scale % 9;
			w = (uint32_t)be(b + off, nd == 9 ? 4 : dig2bytes[nd]);
			off += nd == 9 ? 4 : dig2bytes[nd];
			if (w >= pow10[nd])
				return binrow_err(cause, "bad decimal digits");
			if (w != 0)
				nonzero = 1;
			snprintf(d, sizeof d, "%0*u", (int)nd, w);
			buf_add(out, d, nd);
		}
	}
	if (neg && !nonzero)
		return binrow_err(cause, "negative zero decimal");
	return buf_failed(out) ? -1 : 0;
}

static int
text_frac(struct buf *out, unsigned int dec, uint32_t usec)
{
	static const uint32_t div[7] = { 1000000, 100000, 10000, 1000, 100,
	    10, 1 };

	if (dec == 0)
		return 0;
	return buf_printf(out, ".%0*u", (int)dec, usec / div[dec]);
}

/* The fractional part after a TIME2/DATETIME2/TIMESTAMP2, unsigned. */
static uint32_t
frac_unsigned(const unsigned char *p, unsigned int dec)
{
	switch ((dec + 1) / 2) {
	case 1:
		return (uint32_t)p[0] * 10000;
	case 2:
		return (uint32_t)be(p, 2) * 100;
	case 3:
		return (uint32_t)be(p, 3);
	}
	return 0;
}

static int
text_datetime(struct buf *out, unsigned int y, unsigned int mo,
    unsigned int d, unsigned int h, unsigned int mi, unsigned int s,
    unsigned int dec, uint32_t usec, char **cause)
{
	if (y > 9999 || mo > 12 || d > 31 || h > 23 || mi > 59 || s > 59 ||
	    usec > 999999)
		return binrow_err(cause, "datetime out of range");
	if (buf_printf(out, "%04u-%02u-%02u %02u:%02u:%02u", y, mo, d, h, mi,
	    s) == -1)
		return -1;
	return text_frac(out, dec, usec);
}

static int
text_time2(uint16_t dec, const unsigned char *p, struct buf *out,
    char **cause)
{
	int64_t		 intpart, frac, packed;
	uint64_t	 u, hms;
	unsigned int	 h, mi, s;
	uint32_t	 usec;
	int		 neg = 0;

	intpart = (int64_t)be(p, 3) - 0x800000;
	switch ((dec + 1) / 2) {
	case 0:
		packed = intpart * ((int64_t)1 << 24);
		break;
	case 1:
		frac = p[3];
		if (intpart < 0 && frac != 0) {
			intpart++;
			frac -= 0x100;
		}
		packed = intpart * ((int64_t)1 << 24) + frac * 10000;
		break;
	case 2:
		frac = (int64_t)be(p + 3, 2);
		if (intpart < 0 && frac != 0) {
			intpart++;
			frac -= 0x10000;
		}
		packed = intpart * ((int64_t)1 << 24) + frac * 100;
		break;
	default:
		packed = (int64_t)be(p, 6) - (int64_t)0x800000000000LL;
		break;
	}
	if (packed < 0) {
		neg = 1;
		u = (uint64_t)-packed;
	} else
		u = (uint64_t)packed;
	hms = u >> 24;
	usec = (uint32_t)(u % (1 << 24));
	h = (unsigned int)((hms >> 12) % (1 << 10));
	mi = (unsigned int)((hms >> 6) % (1 << 6));
	s = (unsigned int)(hms % (1 << 6));
	if ((hms >> 22) != 0 || h > 838 || mi > 59 || s > 59 ||
	    usec > 999999)
		return binrow_err(cause, "time out of range");
	if (buf_printf(out, "%s%02u:%02u:%02u", neg ? "-" : "", h, mi,
	    s) == -1)
		return -1;
	return text_frac(out, dec, usec);
}

static int
text_datetime2(uint16_t dec, const unsigned char *p, struct buf *out,
    char **cause)
{
	int64_t		 intpart;
	uint64_t	 ymd, ym, hms;
	uint32_t	 usec;

	intpart = (int64_t)be(p, 5) - (int64_t)0x8000000000LL;
	if (intpart < 0)
		return binrow_err(cause, "negative datetime");
	usec = frac_unsigned(p + 5, dec);
	ymd = (uint64_t)intpart >> 17;
	ym = ymd >> 5;
	hms = (uint64_t)intpart % (1 << 17);
	return text_datetime(out, (unsigned int)(ym / 13),
	    (unsigned int)(ym % 13), (unsigned int)(ymd % 32),
	    (unsigned int)(hms >> 12), (unsigned int)((hms >> 6) % 64),
	    (unsigned int)(hms % 64), dec, usec, cause);
}

static int
text_timestamp(uint64_t secs, uint32_t usec, unsigned int dec,
    struct buf *out, char **cause)
{
	struct tm	 tm;
	time_t		 t = (time_t)secs;

	if (secs == 0 && usec == 0)
		return text_datetime(out, 0, 0, 0, 0, 0, 0, dec, 0, cause);
	if (gmtime_r(&t, &tm) == NULL)
		return binrow_err(cause, "timestamp out of range");
	return text_datetime(out, (unsigned int)tm.tm_year + 1900,
	    (unsigned int)tm.tm_mon + 1, (unsigned int)tm.tm_mday,
	    (unsigned int)tm.tm_hour, (unsigned int)tm.tm_min,
	    (unsigned int)tm.tm_sec, dec, usec, cause);
}

/* 1 when COLUMN_TYPE's members, read in UTF-8, are col's bytes. */
static int
member_utf8(const struct column *col)
{
	return (col->charset != NULL &&
	    (strncmp(col->charset, "utf8", 4) == 0 ||
	    strcmp(col->charset, "ascii") == 0));
}

/*
 * The member of an ENUM or SET COLUMN_TYPE at *pp (its opening quote) into
 * out, a doubled quote undoubled; *pp is left after it and its comma, or
 * at the closing parenthesis. *certain is 0 when its text is not certain
 * (a backslash, whose quoting in COLUMN_TYPE is not one to one; non-ASCII
 * bytes in a column whose character set is not the UTF-8 that COLUMN_TYPE
 * is read in). -1 when malformed (or out fails).
 */
static int
member_next(const char **pp, int utf8, struct buf *out, int *certain)
{
	const char	*p = *pp;

	*certain = 1;
	if (*p != '\'')
		return -1;
	for (p++; *p != '\0'; p++) {
		if (*p == '\'' && p[1] == '\'')
			p++;
		else if (*p == '\'')
			break;
		if (*p == '\\' || ((unsigned char)*p >= 0x80 && !utf8))
			*certain = 0;
		if (out != NULL && buf_addc(out, *p) == -1)
			return -1;
	}
	if (*p != '\'')
		return -1;
	p++;
	if (*p == ',')
		p++;
	else if (*p != ')')
		return -1;
	*pp = p;
	return 0;
}

/*
 * Member idx (1-based) of an ENUM or SET COLUMN_TYPE into out; -1 when
 * there is no such member or its text, or an earlier one's, is not
 * certain (member_next).
 */
static int
member(const struct column *col, unsigned int idx, struct buf *out)
{
	const char	*p = strchr(col->type, '(');
	unsigned int	 k;
	int		 utf8 = member_utf8(col), certain;

	if (p == NULL)
		return -1;
	for (k = 1, p++; *p == '\''; k++) {
		if (member_next(&p, utf8, k == idx ? out : NULL,
		    &certain) == -1 || !certain)
			return -1;
		if (k == idx)
			return 0;
	}
	return -1;
}

static int
text_enum(const struct column *col, uint64_t v, enum colenc enc,
    struct buf *out, char **cause)
{
	if (enc == COLENC_NUMBER)
		return buf_printf(out, "%llu", (unsigned long long)v);
	if (v == 0)
		return 0;
	if (member(col, (unsigned int)v, out) == -1)
		return binrow_err(cause, "enum value %llu has no certain text",
		    (unsigned long long)v);
	return 0;
}

static int
text_set(const struct column *col, uint64_t v, enum colenc enc,
    struct buf *out, char **cause)
{
	unsigned int	 i;
	int		 first = 1;

	if (enc == COLENC_NUMBER)
		return buf_printf(out, "%llu", (unsigned long long)v);
	for (i = 0; i < 64; i++) {
		if (!(v & ((uint64_t)1 << i)))
			continue;
		if (!first && buf_addc(out, ',') == -1)
			return -1;
		first = 0;
		if (member(col, i + 1, out) == -1)
			return binrow_err(cause,
			    "set member %u has no certain text", i + 1);
	}
	return 0;
}

/*
 * MariaDB's INET6 text: lower-case groups, the first longest run of zero
 * groups, even one, as "::", and ::a.b.c.d, ::ffff:a.b.c.d for IPv4.
 */
static int
text_inet6(const unsigned char *a, struct buf *out)
{
	unsigned int	 w[8];
	int		 i, best = -1, bestlen = 0, cur = -1, curlen = 0;

	for (i = 0; i < 8; i++)
		w[i] = (unsigned int)a[2 * i] << 8 | a[2 * i + 1];
	for (i = 0; i < 8; i++) {
		if (w[i] == 0) {
			if (cur == -1) {
				cur = i;
				curlen = 1;
			} else
				curlen++;
			if (curlen > bestlen) {
				best = cur;
				bestlen = curlen;
			}
		} else
			cur = -1;
	}
	for (i = 0; i < 8; i++) {
		if (best != -1 && i >= best && i < best + bestlen) {
			if (i == best && buf_addc(out, ':') == -1)
				return -1;
			continue;
		}
		if (i != 0 && buf_addc(out, ':') == -1)
			return -1;
		if (i == 6 && best == 0 && (bestlen == 6 ||
		    (bestlen == 5 && w[5] == 0xffff)))
			return buf_printf(out, "%u.%u.%u.%u", a[12], a[13],
			    a[14], a[15]);
		if (buf_printf(out, "%x", w[i]) == -1)
			return -1;
	}
	if (best != -1 && best + bestlen == 8)
		return buf_addc(out, ':');
	return 0;
}

static int
text_string(const struct binrow_map *map, size_t i, const struct column *col,
    enum colenc enc, const unsigned char *raw, size_t rawlen,
    struct buf *out, char **cause)
{
	unsigned char	 pad[1024];
	unsigned int	 real, slen;
	size_t		 pre, n;

	string_meta(map->meta[i], &real, &slen);
	if (real == T_ENUM) {
		if (!col_is(col, "enum"))
			goto shape;
		return text_enum(col, le(raw, rawlen), enc, out, cause);
	}
	if (real == T_SET) {
		if (!col_is(col, "set"))
			goto shape;
		return text_set(col, le(raw, rawlen), enc, out, cause);
	}
	if (enc != COLENC_TEXT)
		goto enc;
	pre = slen > 255 ? 2 : 1;
	raw += pre;
	n = rawlen - pre;
	if (col_is(col, "binary") || col_is(col, "inet6") ||
	    col_is(col, "inet4")) {
		/* The log cuts the zero bytes these pad with: put back. */
		if (n > slen || slen > sizeof pad)
			return binrow_err(cause, "binary value too long");
		memcpy(pad, raw, n);
		memset(pad + n, 0, slen - n);
	}
	if (col_is(col, "inet6")) {
		if (slen != 16)
			return binrow_err(cause, "inet6 of %u bytes", slen);
		return text_inet6(pad, out);
	}
	if (col_is(col, "inet4")) {
		if (slen != 4)
			return binrow_err(cause, "inet4 of %u bytes", slen);
		return buf_printf(out, "%u.%u.%u.%u", pad[0], pad[1], pad[2],
		    pad[3]);
	}
	if (col_is(col, "binary"))
		return buf_add(out, pad, slen);
	if (col_is(col, "uuid"))
		return binrow_err(cause, "column %s: UUID text from the log "
		    "is not supported", col->name);
	if (!col_is(col, "char"))
		goto shape;
	/*
	 * The log cuts CHAR's trailing spaces as the text protocol does
	 * (the character set's lengthsp); cut them again where a space is
	 * the byte 0x20, to be sure, never in UCS-2, UTF-16 or UTF-32.
	 */
	if (col->charset == NULL || (strncmp(col->charset, "ucs2", 4) != 0 &&
	    strncmp(col->charset, "utf16", 5) != 0 &&
	    strncmp(col->charset, "utf32", 5) != 0)) {
		while (n > 0 && raw[n - 1] == ' ')
			n--;
	}
	return buf_add(out, raw, n);

shape:
	return binrow_err(cause, "column %s is %s, the log has a string type",
	    col->name, col->type);
enc:
	return binrow_err(cause, "column %s: encoding not applicable",
	    col->name);
}

static int	text_column(const struct binrow_map *,
		    const struct binrow_image *, size_t, const struct column *,
		    enum colenc, struct buf *, char **);

/* The text of column i of an image under enc (see binrow.h). */
int
binrow_text(const struct binrow_map *map, const struct binrow_image *im,
    size_t i, const struct column *col, enum colenc enc, struct buf *out,
    char **cause)
{
	*cause = NULL;
	buf_reset(out);
	if (text_column(map, im, i, col, enc, out, cause) == 0 &&
	    !buf_failed(out))
		return 0;
	if (*cause == NULL)
		binrow_err(cause, "value too large");
	buf_reset(out);
	return -1;
}

static int
text_column(const struct binrow_map *map, const struct binrow_image *im,
    size_t i, const struct column *col, enum colenc enc, struct buf *out,
    char **cause)
{
	const unsigned char	*raw;
	size_t			 rawlen, pre;
	unsigned char		 type;
	uint16_t		 meta;
	uint64_t		 u;
	uint32_t		 f32;
	float			 f;
	double			 d;
	int			 r;

	if (map == NULL || im == NULL || col == NULL || col->type == NULL ||
	    i >= map->ncols || i >= im->ncols)
		return binrow_err(cause, "no such column");
	if (!im->present[i])
		return binrow_err(cause, "column %zu not in the row image",
		    i + 1);
	if (im->null[i] || im->raw[i] == NULL)
		return binrow_err(cause, "column %zu is NULL", i + 1);
	raw = im->raw[i];
	rawlen = im->rawlen[i];
	type = map->types[i];
	meta = map->meta[i];
	/* Only the lengths field_len gave, never a hand-made image's. */
	{
		size_t	 n;

		if (field_len(type, meta, raw, rawlen, &n) == -1 || n != rawlen)
			return binrow_err(cause, "column %zu does not decode",
			    i + 1);
	}
	if (enc == COLENC_NUMBER && type != T_STRING && type != T_ENUM &&
	    type != T_SET)
		return binrow_err(cause, "column %s: encoding not applicable",
		    col->name);
	switch (type) {
	case T_TINY:
	case T_SHORT:
	case T_INT24:
	case T_LONG:
	case T_LONGLONG:
		if (!((type == T_TINY && col_is(col, "tinyint")) ||
		    (type == T_SHORT && col_is(col, "smallint")) ||
		    (type == T_INT24 && col_is(col, "mediumint")) ||
		    (type == T_LONG && col_is(col, "int")) ||
		    (type == T_LONGLONG && col_is(col, "bigint"))))
			goto shape;
		if (enc != COLENC_TEXT)
			goto enc;
		r = text_int(col, raw, rawlen, out, cause);
		break;
	case T_FLOAT:
		if (!col_is(col, "float"))
			goto shape;
		if (enc != COLENC_DOUBLE)
			return binrow_err(cause,
			    "FLOAT's plain text is not exact");
		f32 = (uint32_t)le(raw, 4);
		memcpy(&f, &f32, sizeof f);
		r = text_double((double)f, out, cause);
		break;
	case T_DOUBLE:
		if (!col_is(col, "double"))
			goto shape;
		if (enc == COLENC_TEXT && strchr(col->type, '(') != NULL)
			return binrow_err(cause,
			    "DOUBLE(M,D)'s plain text is not exact");
		u = le(raw, 8);
		memcpy(&d, &u, sizeof d);
		r = text_double(d, out, cause);
		break;
	case T_NEWDECIMAL:
		if (!col_is(col, "decimal"))
			goto shape;
		if (enc != COLENC_TEXT || strstr(col->type, "zerofill") != NULL)
			goto enc;
		r = text_decimal(meta, raw, rawlen, out, cause);
		break;
	case T_YEAR:
		if (!col_is(col, "year"))
			goto shape;
		if (enc != COLENC_TEXT || strcmp(col->type, "year(2)") == 0)
			goto enc;
		r = raw[0] == 0 ? buf_adds(out, "0000") :
		    buf_printf(out, "%u", 1900U + raw[0]);
		break;
	case T_DATE:
	case T_NEWDATE:
		if (!col_is(col, "date"))
			goto shape;
		if (enc != COLENC_TEXT)
			goto enc;
		u = le(raw, 3);
		if ((u >> 9) > 9999 || ((u >> 5) & 15) > 12)
			return binrow_err(cause, "date out of range");
		r = buf_printf(out, "%04u-%02u-%02u", (unsigned int)(u >> 9),
		    (unsigned int)((u >> 5) & 15), (unsigned int)(u & 31));
		break;
	case T_TIME2:
		if (!col_is(col, "time"))
			goto shape;
		if (enc != COLENC_TEXT)
			goto enc;
		r = text_time2(meta, raw, out, cause);
		break;
	case T_DATETIME2:
		if (!col_is(col, "datetime"))
			goto shape;
		if (enc != COLENC_TEXT)
			goto enc;
		r = text_datetime2(meta, raw, out, cause);
		break;
	case T_TIMESTAMP2:
		if (!col_is(col, "timestamp"))
			goto shape;
		if (enc != COLENC_TEXT)
			goto enc;
		r = text_timestamp(be(raw, 4), frac_unsigned(raw + 4, meta),
		    meta, out, cause);
		break;
	case T_BIT:
		if (!col_is(col, "bit"))
			goto shape;
		if (enc != COLENC_TEXT)
			goto enc;
		r = buf_add(out, raw, rawlen);
		break;
	case T_VARCHAR:
	case T_VAR_STRING:
		if (!col_is(col, "varchar") && !col_is(col, "varbinary"))
			goto shape;
		if (enc != COLENC_TEXT)
			goto enc;
		pre = meta > 255 ? 2 : 1;
		r = buf_add(out, raw + pre, rawlen - pre);
		break;
	case T_TINY_BLOB:
	case T_MEDIUM_BLOB:
	case T_LONG_BLOB:
	case T_BLOB:
	case T_GEOMETRY:
	case T_JSON:
		if (!(col_is(col, "tinytext") || col_is(col, "text") ||
		    col_is(col, "mediumtext") || col_is(col, "longtext") ||
		    col_is(col, "tinyblob") || col_is(col, "blob") ||
		    col_is(col, "mediumblob") || col_is(col, "longblob") ||
		    col_is(col, "json") || col_is(col, "geometry") ||
		    col_is(col, "point") || col_is(col, "linestring") ||
		    col_is(col, "polygon") || col_is(col, "multipoint") ||
		    col_is(col, "multilinestring") ||
		    col_is(col, "multipolygon") ||
		    col_is(col, "geometrycollection")))
			goto shape;
		if (enc != COLENC_TEXT)
			goto enc;
		r = buf_add(out, raw + meta, rawlen - meta);
		break;
	case T_STRING:
	case T_ENUM:
	case T_SET:
		r = text_string(map, i, col, enc, raw, rawlen, out, cause);
		break;
	default:
		return binrow_err(cause, "column %s: log type %u not supported",
		    col->name, type);
	}
	return r;

shape:
	return binrow_err(cause, "column %s is %s, the log has type %u",
	    col->name, col->type, type);
enc:
	return binrow_err(cause, "column %s: encoding not applicable",
	    col->name);
}

/* Whether a column of the map's type i can be the schema's column col. */
static int
map_fits(const struct binrow_map *map, size_t i, const struct column *col)
{
	unsigned int	 real, slen;

	switch (map->types[i]) {
	case T_TINY:
		return col_is(col, "tinyint");
	case T_SHORT:
		return col_is(col, "smallint");
	case T_INT24:
		return col_is(col, "mediumint");
	case T_LONG:
		return col_is(col, "int");
	case T_LONGLONG:
		return col_is(col, "bigint");
	case T_FLOAT:
		return col_is(col, "float");
	case T_DOUBLE:
		return col_is(col, "double");
	case T_DECIMAL:
	case T_NEWDECIMAL:
		return col_is(col, "decimal");
	case T_YEAR:
		return col_is(col, "year");
	case T_DATE:
	case T_NEWDATE:
		return col_is(col, "date");
	case T_TIME:
	case T_TIME2:
		return col_is(col, "time");
	case T_DATETIME:
	case T_DATETIME2:
		return col_is(col, "datetime");
	case T_TIMESTAMP:
	case T_TIMESTAMP2:
		return col_is(col, "timestamp");
	case T_BIT:
		return col_is(col, "bit");
	case T_VARCHAR:
	case T_VAR_STRING:
		return col_is(col, "varchar") || col_is(col, "varbinary");
	case T_TINY_BLOB:
	case T_MEDIUM_BLOB:
	case T_LONG_BLOB:
	case T_BLOB:
	case T_GEOMETRY:
	case T_JSON:
		return col_is(col, "tinytext") || col_is(col, "text") ||
		    col_is(col, "mediumtext") || col_is(col, "longtext") ||
		    col_is(col, "tinyblob") || col_is(col, "blob") ||
		    col_is(col, "mediumblob") || col_is(col, "longblob") ||
		    col_is(col, "json") || col_is(col, "geometry") ||
		    col_is(col, "point") || col_is(col, "linestring") ||
		    col_is(col, "polygon") || col_is(col, "multipoint") ||
		    col_is(col, "multilinestring") ||
		    col_is(col, "multipolygon") ||
		    col_is(col, "geometrycollection");
	case T_STRING:
	case T_ENUM:
	case T_SET:
		string_meta(map->meta[i], &real, &slen);
		if (real == T_ENUM)
			return col_is(col, "enum");
		if (real == T_SET)
			return col_is(col, "set");
		return col_is(col, "char") || col_is(col, "binary") ||
		    col_is(col, "inet4") || col_is(col, "inet6") ||
		    col_is(col, "uuid");
	}
	return 0;
}

/*
 * 0 when the members the map gives for a column are those of col's
 * COLUMN_TYPE, in order, with the same bytes. A member whose text there is
 * not certain (member_next; binrow_text refuses it) matches any member:
 * the count still has to be equal.
 */
static int
map_members_equal(const struct binrow_members *m, const struct column *col)
{
	const char	*p = strchr(col->type, '(');
	struct buf	 b;
	size_t		 k;
	int		 utf8 = member_utf8(col), certain, rc = -1;

	if (p == NULL)
		return -1;
	buf_init(&b, BUF_NOCAP);
	for (k = 0, p++; *p == '\''; k++) {
		buf_reset(&b);
		if (member_next(&p, utf8, &b, &certain) == -1 || k >= m->n)
			goto out;
		if (certain && (b.len != m->len[k] ||
		    (b.len != 0 && memcmp(b.data, m->str[k], b.len) != 0)))
			goto out;
	}
	if (*p == ')' && k == m->n)
		rc = 0;
out:
	buf_free(&b);
	return (rc);
}

/* binrow_map_check: see binrow.h. */
int
binrow_map_check(const struct binrow_map *map, const struct schema *s,
    char **cause)
{
	const struct column	*col;
	size_t			 i;

	*cause = NULL;
	if (map == NULL || s == NULL)
		return binrow_err(cause, "no table map");
	if (map->ncols != s->ncols)
		return binrow_err(cause, "the binary log has %zu columns, the "
		    "table %zu", map->ncols, s->ncols);
	if (map->colnames == NULL)
		return binrow_err(cause, "the table map names no columns "
		    "(binlog_row_metadata must be FULL)");
	for (i = 0; i < map->ncols; i++) {
		col = &s->cols[i];
		if (col->name == NULL || col->type == NULL)
			return binrow_err(cause, "column %zu undescribed",
			    i + 1);
		if (strcmp(map->colnames[i], col->name) != 0)
			return binrow_err(cause, "column %zu is %.64s in the "
			    "binary log, %.64s in the table", i + 1,
			    map->colnames[i], col->name);
		if (!map_fits(map, i, col))
			return binrow_err(cause, "column %.64s has type %u in "
			    "the binary log, is %.64s in the table", col->name,
			    map->types[i], col->type);
		if (map->unsig != NULL && map_numeric(map->types[i]) &&
		    map->unsig[i] != (col_unsigned(col) ? 1 : 0))
			return binrow_err(cause, "column %.64s is %s in the "
			    "binary log, %.64s in the table", col->name,
			    map->unsig[i] ? "unsigned" : "signed", col->type);
		if (map->members != NULL && map->members[i].given &&
		    map_members_equal(&map->members[i], col) == -1)
			return binrow_err(cause, "the members of %s column "
			    "%.64s differ from the table's",
			    map_real(map, i) == T_SET ? "SET" : "ENUM",
			    col->name);
	}
	if (map->pk == NULL)
		return 0;
	if (map->npk != s->nkey)
		return binrow_err(cause, "the primary key has %zu columns in "
		    "the binary log, the table's key %zu", map->npk, s->nkey);
	for (i = 0; i < map->npk; i++) {
		if (s->key[i] >= s->ncols)
			return binrow_err(cause, "key column %zu undescribed",
			    i + 1);
		if (map->pk[i] != s->key[i])
			return binrow_err(cause, "the primary key's column %zu "
			    "is %.64s in the binary log, %.64s in the table",
			    i + 1, s->cols[map->pk[i]].name,
			    s->cols[s->key[i]].name);
	}
	return 0;
}

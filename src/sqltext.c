/* SQL text: identifiers, literals, key ranges and the chunk expression. */
#include "config.h"

#include <string.h>

#include "buf.h"
#include "schema.h"
#include "sqltext.h"

/*
 * An identifier of n bytes quoted with backticks, a backtick inside
 * doubled: safe in every sql_mode. A NUL byte is refused: the server
 * would end the name there.
 */
int
sqltext_identn(struct buf *b, const char *s, size_t n)
{
	const char	*bt;
	size_t		 left = n;

	if (memchr(s, '\0', n) != NULL)
		return buf_error(b);
	if (buf_addc(b, '`') == -1)
		return -1;
	while ((bt = memchr(s, '`', left)) != NULL) {
		if (buf_add(b, s, (size_t)(bt - s) + 1) == -1 ||
		    buf_addc(b, '`') == -1)
			return -1;
		left -= (size_t)(bt - s) + 1;
		s = bt + 1;
	}
	if (buf_add(b, s, left) == -1)
		return -1;
	return buf_addc(b, '`');
}

/* A NUL-terminated identifier, quoted (sqltext_identn). */
int
sqltext_ident(struct buf *b, const char *s)
{
	return sqltext_identn(b, s, strlen(s));
}

/* `db`.`name`. */
int
sqltext_table(struct buf *b, const char *db, const char *name)
{
	if (sqltext_ident(b, db) == -1 || buf_addc(b, '.') == -1)
		return -1;
	return sqltext_ident(b, name);
}

/*
 * X'hex' of n bytes, digits in capitals (x'..' with SQLTEXT_LOWER: the
 * trigger SQL has always been written so, and the watched triggers'
 * fingerprints hash that text).
 */
int
sqltext_hex(struct buf *b, const void *p, size_t n, int flags)
{
	const char		*digits = (flags & SQLTEXT_LOWER) ?
	    "0123456789abcdef" : "0123456789ABCDEF";
	const unsigned char	*u = p;
	char			 hex[2];
	size_t			 i;

	if (buf_adds(b, "X'") == -1)
		return -1;
	for (i = 0; i < n; i++) {
		hex[0] = digits[u[i] >> 4];
		hex[1] = digits[u[i] & 0xf];
		if (buf_add(b, hex, 2) == -1)
			return -1;
	}
	return buf_addc(b, '\'');
}

/*
 * A string literal: 'text' when every byte is printable ASCII other than
 * a quote or a backslash, else X'hex', so that neither NO_BACKSLASH_ESCAPES
 * nor the connection's character set can change what the server receives.
 */
int
sqltext_string(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, n = strlen(s);

	for (i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] > 0x7e || p[i] == '\'' ||
		    p[i] == '\\')
			return sqltext_hex(b, s, n, SQLTEXT_LOWER);
	}
	if (buf_addc(b, '\'') == -1 || buf_add(b, s, n) == -1)
		return -1;
	return buf_addc(b, '\'');
}

/*
 * A key value of column c as a literal: for an integer key a checked
 * decimal (digits, one leading '-'), for any other X'hex'.
 */
int
sqltext_key_literal(struct buf *b, const struct column *c, const char *v,
    unsigned long len)
{
	unsigned long	 i;

	if (c->kclass != KEYCLASS_BYTES) {
		for (i = 0; i < len; i++) {
			if (!((v[i] >= '0' && v[i] <= '9') ||
			    (i == 0 && v[i] == '-' && len > 1)))
				return buf_error(b);
		}
		if (len == 0)
			return buf_error(b);
		return buf_add(b, v, len);
	}
	return sqltext_hex(b, v, len, 0);
}

/*
 * The expression that reads column c in encoding enc (docs/DESIGN.md,
 * "How each type is encoded"). The same expression serves the row
 * stream, the chunk query, dbsyscheck_chunk() and the triggers' key
 * arguments, which all see it as the same text.
 */
int
sqltext_expr(struct buf *b, const struct column *c, enum colenc enc)
{
	switch (enc) {
	case COLENC_TEXT:
		return sqltext_ident(b, c->name);
	case COLENC_DOUBLE:
		if (buf_adds(b, "CAST(") == -1 ||
		    sqltext_ident(b, c->name) == -1)
			return -1;
		return buf_adds(b, " AS DOUBLE)");
	case COLENC_NUMBER:
		if (buf_addc(b, '(') == -1 || sqltext_ident(b, c->name) == -1)
			return -1;
		return buf_adds(b, " + 0)");
	}
	return -1;
}

/*
 * "(key > lo)" (SQLTEXT_LO) or "(key <= hi)" (SQLTEXT_HI) for a key of one
 * or more columns with these values (one per key column, in key order),
 * expanded into OR terms the optimizer turns into index ranges. Only for
 * keys in index order (no castorder columns).
 */
int
sqltext_bound(struct buf *b, const struct schema *s, const char *const *vals,
    const unsigned long *lens, int upper)
{
	const struct column	*c;
	const char		*op;
	size_t			 j, i;

	if (buf_addc(b, '(') == -1)
		return -1;
	for (j = 0; j < s->nkey; j++) {
		if (j > 0 && buf_adds(b, " OR ") == -1)
			return -1;
		if (buf_addc(b, '(') == -1)
			return -1;
		for (i = 0; i <= j; i++) {
			c = &s->cols[s->key[i]];
			if (i > 0 && buf_adds(b, " AND ") == -1)
				return -1;
			if (sqltext_ident(b, c->name) == -1)
				return -1;
			if (i < j)
				op = " = ";
			else if (upper == SQLTEXT_LO)
				op = " > ";
			else
				op = j + 1 == s->nkey ? " <= " : " < ";
			if (buf_adds(b, op) == -1 ||
			    sqltext_key_literal(b, c, vals[i], lens[i]) == -1)
				return -1;
		}
		if (buf_addc(b, ')') == -1)
			return -1;
	}
	return buf_addc(b, ')');
}

/*
 * " FROM `db`.`name`", then " WHERE " and the bounds after lo up to hi
 * inclusive when either is given (NULL vals: unbounded).
 */
int
sqltext_from_where(struct buf *b, const struct schema *s,
    const char *const *lovals, const unsigned long *lolens,
    const char *const *hivals, const unsigned long *hilens)
{
	if (buf_adds(b, " FROM ") == -1 ||
	    sqltext_table(b, s->db, s->name) == -1)
		return -1;
	if (lovals == NULL && hivals == NULL)
		return 0;
	if (buf_adds(b, " WHERE ") == -1)
		return -1;
	if (lovals != NULL &&
	    sqltext_bound(b, s, lovals, lolens, SQLTEXT_LO) == -1)
		return -1;
	if (lovals != NULL && hivals != NULL && buf_adds(b, " AND ") == -1)
		return -1;
	if (hivals != NULL &&
	    sqltext_bound(b, s, hivals, hilens, SQLTEXT_HI) == -1)
		return -1;
	return 0;
}

/*
 * The select list of a chunk query through dbsyscheck_chunk(), the UDF
 * library's aggregate: "SELECT COUNT(*) AS n, dbsyscheck_chunk('flags',
 * cols...) AS agg, 0 AS big", a flag a hashed column ('1' when it may
 * hold any byte). -1 when no column is hashed.
 */
int
sqltext_chunk_udf(struct buf *b, const struct schema *s)
{
	size_t	 i;
	int	 any = 0;

	buf_adds(b, "SELECT COUNT(*) AS n, dbsyscheck_chunk('");
	for (i = 0; i < s->ncols; i++) {
		if (s->cols[i].hashed)
			buf_addc(b, s->cols[i].varlen ? '1' : '0');
	}
	buf_addc(b, '\'');
	for (i = 0; i < s->ncols; i++) {
		if (!s->cols[i].hashed)
			continue;
		buf_adds(b, ", ");
		sqltext_expr(b, &s->cols[i], s->cols[i].enc);
		any = 1;
	}
	buf_adds(b, ") AS agg, 0 AS big");
	return !any || buf_failed(b) ? -1 : 0;
}

/*
 * The select list of a chunk query in SQL: the count, the XOR of the first
 * 8 bytes of each row's SHA-256 (chunkhash_row computes the same on the
 * client) and, unless bounded, the rows that may come near
 * max_allowed_packet. Character columns are hashed as stored: when they
 * do not share one ASCII-compatible character set, as CAST(... AS BINARY),
 * so CONCAT_WS never converts them.
 */
int
sqltext_chunk_sql(struct buf *b, const struct schema *s, int bounded)
{
	struct buf	 expr, len;
	const char	*cs = NULL;
	size_t		 i;
	int		 cast = 0, any;

	for (i = 0; i < s->ncols; i++) {
		if (!s->cols[i].hashed || s->cols[i].charset == NULL)
			continue;
		if (cs == NULL)
			cs = s->cols[i].charset;
		if (strcmp(cs, s->cols[i].charset) != 0 ||
		    strncmp(cs, "ucs2", 4) == 0 ||
		    strncmp(cs, "utf16", 5) == 0 ||
		    strncmp(cs, "utf32", 5) == 0)
			cast = 1;
	}
	buf_init(&expr, BUF_NOCAP);
	buf_adds(&expr, "SHA2(CONCAT_WS('#', CONCAT(");
	for (i = 0, any = 0; i < s->ncols; i++) {
		if (!s->cols[i].hashed)
			continue;
		if (any++ > 0)
			buf_adds(&expr, ", ");
		buf_adds(&expr, "ISNULL(");
		sqltext_expr(&expr, &s->cols[i], s->cols[i].enc);
		buf_addc(&expr, ')');
	}
	buf_addc(&expr, ')');
	for (i = 0; i < s->ncols; i++) {
		if (!s->cols[i].hashed || !s->cols[i].varlen)
			continue;
		buf_adds(&expr, ", LENGTH(");
		sqltext_expr(&expr, &s->cols[i], s->cols[i].enc);
		buf_addc(&expr, ')');
	}
	for (i = 0; i < s->ncols; i++) {
		if (!s->cols[i].hashed)
			continue;
		buf_adds(&expr, ", ");
		if (cast && s->cols[i].charset != NULL)
			buf_adds(&expr, "CAST(");
		sqltext_expr(&expr, &s->cols[i], s->cols[i].enc);
		if (cast && s->cols[i].charset != NULL)
			buf_adds(&expr, " AS BINARY)");
	}
	buf_adds(&expr, "), 256)");

	/*
	 * CONCAT_WS gives NULL for a row longer than max_allowed_packet, and
	 * BIT_XOR skips it: count the rows that may come near that bound
	 * (the fixed-width columns are at most 64 bytes of text), so that the
	 * caller diffs their chunk row by row instead of trusting it. When
	 * the column types bound every row well below it, no row is counted
	 * and the count (an eighth of the server's work) is left out.
	 */
	buf_init(&len, BUF_NOCAP);
	buf_printf(&len, "%zu", 64 * s->ncols + 32);
	for (i = 0; i < s->ncols && !bounded; i++) {
		if (!s->cols[i].hashed || !s->cols[i].varlen)
			continue;
		buf_adds(&len, " + IFNULL(LENGTH(");
		sqltext_expr(&len, &s->cols[i], s->cols[i].enc);
		buf_adds(&len, "), 0)");
	}

	/* One SHA2 a row: each reference to it would compute it again. */
	if (buf_failed(&expr) || buf_failed(&len))
		buf_error(b);
	else if (bounded)
		buf_printf(b, "SELECT COUNT(*) AS n, BIT_XOR(CAST(CONV(LEFT("
		    "%s, 16), 16, 10) AS UNSIGNED)) AS agg, 0 AS big",
		    buf_str(&expr));
	else
		buf_printf(b, "SELECT COUNT(*) AS n, BIT_XOR(CAST(CONV(LEFT("
		    "%s, 16), 16, 10) AS UNSIGNED)) AS agg, SUM(%s >= "
		    "@@max_allowed_packet) AS big", buf_str(&expr),
		    buf_str(&len));
	buf_free(&expr);
	buf_free(&len);
	return buf_failed(b) ? -1 : 0;
}

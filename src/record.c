/* Record lines: percent-encoding and the "key=value ... ;" format. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "record.h"

static const char hexdigits[] = "0123456789ABCDEF";

static int
record_escaped(unsigned char c, int flags)
{
	if (c == ' ')
		return (flags & RECORD_TEXT) == 0;
	if (c < 0x21 || c >= 0x7f)
		return 1;
	switch (c) {
	case '\'': case ',':
		return (flags & RECORD_TEXT) == 0;
	case '"': case '%': case ';': case '=': case '\\': case '`': case '|':
		return 1;
	case '.':
		return (flags & RECORD_IDENT) != 0;
	}
	return 0;
}

/* Length of the percent-encoding of n bytes at p. */
size_t
record_pct_len(const void *p, size_t n, int flags)
{
	const unsigned char	*s = p;
	size_t			 i, len = 0;

	for (i = 0; i < n; i++)
		len += record_escaped(s[i], flags) ? 3 : 1;
	return len;
}

/* Append the percent-encoding of n bytes at p. */
int
record_pct(struct buf *b, const void *p, size_t n, int flags)
{
	const unsigned char	*s = p;
	char			 esc[3];
	size_t			 i, run;

	for (i = 0; i < n; i = run) {
		for (run = i; run < n && !record_escaped(s[run], flags); run++)
			;
		if (run > i && buf_add(b, s + i, run - i) == -1)
			return -1;
		if (run == n)
			break;
		esc[0] = '%';
		esc[1] = hexdigits[s[run] >> 4];
		esc[2] = hexdigits[s[run] & 0xf];
		if (buf_add(b, esc, sizeof esc) == -1)
			return -1;
		run++;
	}
	return 0;
}

/*
 * Append the percent-encoding of n bytes at p, at most max bytes of it:
 * a longer one is cut on a whole byte (no %XX split) and marked with
 * RECORD_CUT, the marker counted within max.
 */
int
record_pct_capped(struct buf *b, const void *p, size_t n, size_t max)
{
	const unsigned char	*s = p;
	size_t			 cut, elen, e, room;

	if (record_pct_len(p, n, 0) <= max)
		return record_pct(b, p, n, 0);
	room = max > sizeof RECORD_CUT - 1 ? max - (sizeof RECORD_CUT - 1) : 0;
	for (cut = 0, elen = 0; cut < n; cut++) {
		e = record_escaped(s[cut], 0) ? 3 : 1;
		if (elen + e > room)
			break;
		elen += e;
	}
	if (record_pct(b, p, cut, 0) == -1)
		return -1;
	return buf_adds(b, RECORD_CUT);
}

/*
 * Append a column name for a list (changed=a,b): percent-encoded, and a
 * name that is exactly "-" as %2D, so that it never reads as "none".
 */
int
record_name(struct buf *b, const char *name)
{
	return record_name_len(b, name, strlen(name));
}

/* record_name for a name of len bytes (not NUL-terminated). */
int
record_name_len(struct buf *b, const char *name, size_t len)
{
	if (len == 1 && name[0] == '-')
		return buf_adds(b, "%2D");
	return record_pct(b, name, len, 0);
}

/* Start a record body with its op field. */
int
record_begin(struct buf *b, const char *op)
{
	if (buf_adds(b, "op=") == -1)
		return -1;
	return record_pct(b, op, strlen(op), 0);
}

/* Append " name=" and a value that is already safe (or "-" when empty). */
int
record_field(struct buf *b, const char *name, const char *safe)
{
	if (buf_addc(b, ' ') == -1 || buf_adds(b, name) == -1 ||
	    buf_addc(b, '=') == -1)
		return -1;
	return buf_adds(b, safe == NULL || *safe == '\0' ? "-" : safe);
}

/*
 * Append " name=" and a value percent-encoded; an empty value becomes "-"
 * and a value that is exactly "-" is written %2D so the two differ.
 */
int
record_field_value(struct buf *b, const char *name, const void *v, size_t n)
{
	if (n == 0)
		return record_field(b, name, "-");
	if (buf_addc(b, ' ') == -1 || buf_adds(b, name) == -1 ||
	    buf_addc(b, '=') == -1)
		return -1;
	if (n == 1 && *(const char *)v == '-')
		return buf_adds(b, "%2D");
	return record_pct(b, v, n, 0);
}

/* Append " name=N". */
int
record_field_num(struct buf *b, const char *name, unsigned long long n)
{
	return buf_printf(b, " %s=%llu", name, n);
}

/* Append " table=DB.NAME" with both parts encoded as identifiers. */
int
record_table(struct buf *b, const char *db, size_t dblen, const char *name,
    size_t namelen)
{
	if (buf_adds(b, " table=") == -1 ||
	    record_pct(b, db, dblen, RECORD_IDENT) == -1 ||
	    buf_addc(b, '.') == -1)
		return -1;
	return record_pct(b, name, namelen, RECORD_IDENT);
}

/* End a record body. */
int
record_end(struct buf *b)
{
	return buf_adds(b, " ;");
}

/*
 * Append len bytes of encoded text, cut to at most cap bytes when longer:
 * the cut never splits a %XX escape and is marked by RECORD_CUT, which no
 * encoding can produce ('%' is always followed by two hex digits).
 */
int
record_cut(struct buf *b, const char *p, size_t len, size_t cap)
{
	size_t	 n;

	if (len <= cap)
		return buf_add(b, p, len);
	if (cap < sizeof RECORD_CUT - 1)
		return -1;
	n = cap - (sizeof RECORD_CUT - 1);
	if (n >= 1 && p[n - 1] == '%')
		n -= 1;
	else if (n >= 2 && p[n - 2] == '%')
		n -= 2;
	else if (n >= 3 && p[n - 3] == '%' && p[n - 2] == '.')
		n -= 3;		/* nor an earlier RECORD_CUT */
	/* An earlier marker right at the cut: one marker is enough. */
	if (n >= sizeof RECORD_CUT - 1 && memcmp(p + n -
	    (sizeof RECORD_CUT - 1), RECORD_CUT, sizeof RECORD_CUT - 1) == 0)
		n -= sizeof RECORD_CUT - 1;
	if (buf_add(b, p, n) == -1)
		return -1;
	return buf_adds(b, RECORD_CUT);
}

/*
 * Find field name in a record body; 0 and the value's span when present,
 * -1 when not. Values never contain a space, so splitting is exact.
 */
int
record_get(const char *body, size_t len, const char *name, const char **v,
    size_t *vlen)
{
	size_t	 i = 0, start, eq, nlen = strlen(name);

	while (i < len) {
		start = i;
		while (i < len && body[i] != ' ')
			i++;
		for (eq = start; eq < i && body[eq] != '='; eq++)
			;
		if (eq < i && eq - start == nlen &&
		    memcmp(body + start, name, nlen) == 0) {
			*v = body + eq + 1;
			*vlen = i - eq - 1;
			return 0;
		}
		i++;
	}
	return -1;
}

/* The op of a record body (borrowed, not NUL-terminated). */
const char *
record_op(const char *body, size_t len, size_t *oplen)
{
	const char	*v;

	if (record_get(body, len, "op", &v, oplen) == -1) {
		*oplen = 0;
		return "";
	}
	return v;
}

/*
 * Append the JSON object for a record body: one member per field, values
 * as the same percent-encoded strings (which hold no quote or backslash).
 */
int
record_to_json(struct buf *b, const char *body, size_t len)
{
	size_t	 i = 0, start, eq;
	int	 first = 1;

	if (buf_addc(b, '{') == -1)
		return -1;
	while (i < len) {
		start = i;
		while (i < len && body[i] != ' ')
			i++;
		for (eq = start; eq < i && body[eq] != '='; eq++)
			;
		if (eq < i) {
			if (buf_adds(b, first ? "\"" : ",\"") == -1 ||
			    buf_add(b, body + start, eq - start) == -1 ||
			    buf_adds(b, "\":\"") == -1 ||
			    buf_add(b, body + eq + 1, i - eq - 1) == -1 ||
			    buf_addc(b, '"') == -1)
				return -1;
			first = 0;
		}
		i++;
	}
	return buf_addc(b, '}');
}

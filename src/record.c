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

/*
 * Append " table=DB.NAME" with both parts encoded as identifiers, cut at
 * RECORD_TABLE_MAX (which two identifiers of 64 characters never reach).
 */
int
record_table(struct buf *b, const char *db, size_t dblen, const char *name,
    size_t namelen)
{
	struct buf	 t;
	int		 r = -1;

	if (buf_adds(b, " table=") == -1)
		return -1;
	if (record_pct_len(db, dblen, RECORD_IDENT) + 1 +
	    record_pct_len(name, namelen, RECORD_IDENT) <= RECORD_TABLE_MAX) {
		if (record_pct(b, db, dblen, RECORD_IDENT) == -1 ||
		    buf_addc(b, '.') == -1)
			return -1;
		return record_pct(b, name, namelen, RECORD_IDENT);
	}
	buf_init(&t, BUF_NOCAP);
	if (record_pct(&t, db, dblen, RECORD_IDENT) == 0 &&
	    buf_addc(&t, '.') == 0 &&
	    record_pct(&t, name, namelen, RECORD_IDENT) == 0)
		r = record_cut(b, t.data, t.len, RECORD_TABLE_MAX);
	buf_free(&t);
	return r;
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

/* " name=" and v encoded as record_field_value does, cut at cap. */
static int
record_value_capped(struct buf *b, const char *name, const void *v, size_t n,
    size_t cap)
{
	struct buf	 t;
	int		 r = -1;

	if (record_pct_len(v, n, 0) <= cap)
		return record_field_value(b, name, v, n);
	buf_init(&t, BUF_NOCAP);
	if (record_pct(&t, v, n, 0) == 0 && buf_addc(b, ' ') == 0 &&
	    buf_adds(b, name) == 0 && buf_addc(b, '=') == 0)
		r = record_cut(b, t.data, t.len, cap);
	buf_free(&t);
	return r;
}

/* " name=" and encoded text cut at cap, or "-" when there is none. */
static int
record_text_capped(struct buf *b, const char *name, const char *enc,
    size_t len, size_t cap)
{
	if (len == 0)
		return record_field(b, name, "-");
	if (buf_addc(b, ' ') == -1 || buf_adds(b, name) == -1 ||
	    buf_addc(b, '=') == -1)
		return -1;
	return record_cut(b, enc, len, cap);
}

/* Start a record about a table (db NULL: about the run). */
static int
record_start(struct buf *b, const char *op, const char *db, const char *name)
{
	buf_reset(b);
	if (record_begin(b, op) == -1)
		return -1;
	if (db == NULL)
		return 0;
	return record_table(b, db, strlen(db), name, strlen(name));
}

/* End a record and prove it well formed and within RECORD_MAX. */
static int
record_finish(struct buf *b)
{
	if (record_end(b) == -1 || buf_failed(b) ||
	    record_check(b->data, b->len) == -1)
		return -1;
	return 0;
}

/* A row record: op, table, pk, changed ("-" when none), src, by. */
int
record_row(struct buf *b, const char *op, const char *db, const char *name,
    const char *pk, size_t pklen, const char *changed, size_t changedlen,
    const char *src, const char *by, const char *how)
{
	if (record_start(b, op, db, name) == -1 ||
	    buf_adds(b, " pk=") == -1 ||
	    record_cut(b, pk, pklen, RECORD_PK_MAX) == -1 ||
	    record_text_capped(b, "changed", changed, changedlen,
	    RECORD_LIST_MAX) == -1 ||
	    record_field(b, "src", src) == -1 ||
	    record_by(b, by, how) == -1)
		return -1;
	return record_finish(b);
}

/*
 * Append " by=": the raw account percent-encoded and cut at
 * RECORD_BY_MAX, "-" when account is NULL; how (a word, or NULL) follows
 * a comma, which the encoding never leaves in the account, within the
 * cap.
 */
int
record_by(struct buf *b, const char *account, const char *how)
{
	size_t	 room;

	if (account == NULL)
		return record_field(b, "by", "-");
	if (how == NULL)
		return record_value_capped(b, "by", account, strlen(account),
		    RECORD_BY_MAX);
	room = RECORD_BY_MAX - 1 - strlen(how);
	if (buf_adds(b, " by=") == -1)
		return -1;
	if (*account == '\0') {
		if (buf_addc(b, '-') == -1)
			return -1;
	} else if (record_pct_capped(b, account, strlen(account), room) == -1)
		return -1;
	if (buf_addc(b, ',') == -1)
		return -1;
	return buf_adds(b, how);
}

/*
 * A record that counts rows (op=baseline, reset, missing; op=schema with
 * emptied=): op, table, field=n, src, then by= when by is not NULL.
 */
int
record_count(struct buf *b, const char *op, const char *db, const char *name,
    const char *field, unsigned long long n, const char *src, const char *by)
{
	if (record_start(b, op, db, name) == -1 ||
	    record_field_num(b, field, n) == -1 ||
	    record_field(b, "src", src) == -1)
		return -1;
	if (by != NULL && record_value_capped(b, "by", by, strlen(by),
	    RECORD_BY_MAX) == -1)
		return -1;
	return record_finish(b);
}

/* op=error: table (unless db is NULL), msg cut at RECORD_MSG_MAX, src. */
int
record_error(struct buf *b, const char *db, const char *name, int tampered,
    const char *msg, const char *src)
{
	if (record_start(b, "error", db, name) == -1 ||
	    (tampered && buf_adds(b, " baseline=tampered") == -1) ||
	    record_value_capped(b, "msg", msg, strlen(msg),
	    RECORD_MSG_MAX) == -1 ||
	    record_field(b, "src", src) == -1)
		return -1;
	return record_finish(b);
}

/*
 * op=schema: table, baseline=tampered when set, the change fields (" f=v"
 * as schema_compare writes them) fitted into RECORD_SCHEMA_MAX, tail
 * ("rows" or "updates", or NULL) as tail=uncompared, src.
 */
int
record_schema(struct buf *b, const char *db, const char *name, int tampered,
    const char *fields, size_t len, const char *tail, const char *src)
{
	if (record_start(b, "schema", db, name) == -1 ||
	    (tampered && buf_adds(b, " baseline=tampered") == -1) ||
	    record_fit(b, fields, len, RECORD_SCHEMA_MAX) == -1 ||
	    (tail != NULL && record_field(b, tail, "uncompared") == -1) ||
	    record_field(b, "src", src) == -1)
		return -1;
	return record_finish(b);
}

#define RECORD_FIT_FIELDS	16

/*
 * Append fields (" name=value ...", values encoded, at most
 * RECORD_FIT_FIELDS of them) in at most budget bytes: when they are
 * longer, values are cut with RECORD_CUT, each to a fair share (the
 * shorter ones kept whole, the rest cut to the same length), so that
 * every field stays present and well formed. -1 when the names alone,
 * with a marker each, do not fit, or the text is not such fields.
 */
int
record_fit(struct buf *b, const char *fields, size_t len, size_t budget)
{
	const size_t	 cutlen = sizeof RECORD_CUT - 1;
	const char	*name[RECORD_FIT_FIELDS], *val[RECORD_FIT_FIELDS];
	size_t		 nlen[RECORD_FIT_FIELDS], vlen[RECORD_FIT_FIELDS];
	size_t		 give[RECORD_FIT_FIELDS];
	size_t		 n = 0, i, j, over = 0, avail, left, share;
	int		 done[RECORD_FIT_FIELDS], progress;

	if (len <= budget)
		return buf_add(b, fields, len);
	for (i = 0; i < len; i = j) {
		if (fields[i] != ' ' || n == RECORD_FIT_FIELDS)
			return -1;
		for (j = i + 1; j < len && fields[j] != ' '; j++)
			;
		name[n] = fields + i + 1;
		val[n] = memchr(name[n], '=', j - i - 1);
		if (val[n] == NULL || val[n] == name[n] || val[n] + 1 ==
		    fields + j)
			return -1;
		nlen[n] = (size_t)(val[n] - name[n]);
		val[n]++;
		vlen[n] = (size_t)(fields + j - val[n]);
		over += 2 + nlen[n];
		done[n] = 0;
		n++;
	}
	if (over + n * cutlen > budget)
		return -1;
	avail = budget - over;
	for (left = n, progress = 1; left > 0 && progress; ) {
		share = avail / left;
		progress = 0;
		for (i = 0; i < n; i++) {
			if (!done[i] && vlen[i] <= share) {
				give[i] = vlen[i];
				avail -= vlen[i];
				done[i] = 1;
				left--;
				progress = 1;
			}
		}
	}
	for (i = 0; i < n; i++) {
		if (!done[i])
			give[i] = avail / left;
		if (buf_addc(b, ' ') == -1 ||
		    buf_add(b, name[i], nlen[i] + 1) == -1 ||
		    record_cut(b, val[i], vlen[i], give[i]) == -1)
			return -1;
	}
	return 0;
}

/*
 * 0 when body is a well-formed record of at most RECORD_MAX bytes
 * (docs/FORMAT.md): "op=" first, " ;" last, printable ASCII, fields
 * "name=value" (name of a-z and '_', value not empty) separated by one
 * space, no ';' but the last; -1 otherwise.
 */
int
record_check(const char *body, size_t len)
{
	size_t	 i, start, eq;

	if (body == NULL || len < 6 || len > RECORD_MAX ||
	    memcmp(body, "op=", 3) != 0 ||
	    memcmp(body + len - 2, " ;", 2) != 0)
		return -1;
	for (i = 0; i < len - 2; i = eq + 1) {
		start = i;
		for (eq = i; eq < len - 2 && body[eq] >= 'a' &&
		    body[eq] <= 'z'; eq++)
			;
		while (eq < len - 2 && ((body[eq] >= 'a' && body[eq] <= 'z') ||
		    body[eq] == '_'))
			eq++;
		if (eq == start || eq >= len - 2 || body[eq] != '=')
			return -1;
		for (i = eq + 1; i < len - 2 && body[i] != ' '; i++) {
			if ((unsigned char)body[i] < 0x21 ||
			    (unsigned char)body[i] > 0x7e || body[i] == ';')
				return -1;
		}
		if (i == eq + 1)
			return -1;
		eq = i;
	}
	return 0;
}

/* Invariant checks and input splitting shared by the fuzz targets. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "record.h"

void
fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "%s:%d: check failed: %s: ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* The next byte, or 0 at the end. */
unsigned int
fuzz_byte(struct fuzz_in *in)
{
	if (in->left == 0)
		return 0;
	in->left--;
	return *in->p++;
}

/*
 * The next value: a 16-bit little-endian length, then that many bytes (or
 * what is left). Length 0xFFFF is SQL NULL (returns NULL, length 0); at
 * the end of the input the value is empty.
 */
const char *
fuzz_take(struct fuzz_in *in, size_t *len)
{
	const char	*v;
	size_t		 n;

	if (in->left < 2) {
		in->p += in->left;
		in->left = 0;
		*len = 0;
		return "";
	}
	n = (size_t)in->p[0] | (size_t)in->p[1] << 8;
	in->p += 2;
	in->left -= 2;
	if (n == 0xffff) {
		*len = 0;
		return NULL;
	}
	if (n > in->left)
		n = in->left;
	v = (const char *)in->p;
	in->p += n;
	in->left -= n;
	*len = n;
	return v;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
fuzz_pct_decode(const char *s, size_t n, struct buf *out, int *cut)
{
	const size_t	 cutlen = sizeof RECORD_CUT - 1;
	size_t		 i;
	int		 hi, lo;

	buf_reset(out);
	if (cut != NULL)
		*cut = 0;
	for (i = 0; i < n; i++) {
		if (s[i] != '%') {
			FUZZ_ASSERT(buf_addc(out, s[i]) == 0, "buf_addc");
			continue;
		}
		if (cut != NULL && n - i == cutlen &&
		    memcmp(s + i, RECORD_CUT, cutlen) == 0) {
			*cut = 1;
			return 0;
		}
		if (n - i < 3 || (hi = hexval(s[i + 1])) == -1 ||
		    (lo = hexval(s[i + 2])) == -1)
			return -1;
		FUZZ_ASSERT(buf_addc(out, hi << 4 | lo) == 0, "buf_addc");
		i += 2;
	}
	return 0;
}

/* One field value: printable, escapes whole, a cut marker only at a cut. */
static void
check_value(const char *name, size_t nlen, const char *v, size_t vlen)
{
	const size_t	 cutlen = sizeof RECORD_CUT - 1;
	int		 pk = nlen == 2 && memcmp(name, "pk", 2) == 0;
	int		 by = nlen == 2 && memcmp(name, "by", 2) == 0;
	size_t		 i;

	FUZZ_ASSERT(vlen > 0, "empty value of %.*s", (int)nlen, name);
	for (i = 0; i < vlen; i++) {
		switch (v[i]) {
		case '"': case '\'': case ';': case '\\': case '`': case '|':
			fuzz_fail(__FILE__, __LINE__, "unencoded byte",
			    "%c in %.*s=%.*s", v[i], (int)nlen, name,
			    (int)vlen, v);
		case '=':
			FUZZ_ASSERT(pk, "'=' in %.*s=%.*s", (int)nlen, name,
			    (int)vlen, v);
			break;
		case '%':
			if (vlen - i >= cutlen &&
			    memcmp(v + i, RECORD_CUT, cutlen) == 0) {
				/*
				 * The marker ends the value, one key value,
				 * or by='s account (",HOW" after it).
				 */
				FUZZ_ASSERT(i + cutlen == vlen ||
				    ((pk || by) && v[i + cutlen] == ','),
				    "cut marker inside %.*s=%.*s", (int)nlen,
				    name, (int)vlen, v);
				i += cutlen - 1;
				break;
			}
			FUZZ_ASSERT(vlen - i >= 3 && hexval(v[i + 1]) != -1 &&
			    hexval(v[i + 2]) != -1, "broken escape in %.*s=%.*s",
			    (int)nlen, name, (int)vlen, v);
			i += 2;
			break;
		}
	}
}

void
fuzz_check_record(const char *b, size_t len)
{
	size_t	 i, start, eq, k;

	FUZZ_ASSERT(len >= 6, "record too short: %.*s", (int)len, b);
	FUZZ_ASSERT(len <= RECORD_MAX, "record of %zu bytes", len);
	FUZZ_ASSERT(memcmp(b, "op=", 3) == 0, "no op=: %.*s", (int)len, b);
	FUZZ_ASSERT(memcmp(b + len - 2, " ;", 2) == 0, "no final ' ;': %.*s",
	    (int)len, b);
	for (i = 0; i < len; i++) {
		if (b[i] == ' ') {
			FUZZ_ASSERT(i > 0 && b[i - 1] != ' ',
			    "space not between fields: %.*s", (int)len, b);
			continue;
		}
		FUZZ_ASSERT((unsigned char)b[i] >= 0x21 &&
		    (unsigned char)b[i] <= 0x7e, "byte 0x%02x at %zu",
		    (unsigned char)b[i], i);
		FUZZ_ASSERT(b[i] != ';' || i == len - 1, "';' at %zu of %.*s",
		    i, (int)len, b);
	}
	/* Every token but the last ";" is name=value, name in [a-z_]. */
	for (i = 0; i < len - 2; i++) {
		start = i;
		while (b[i] != ' ')
			i++;
		for (eq = start; eq < i && b[eq] != '='; eq++)
			;
		FUZZ_ASSERT(eq > start && eq < i, "field without a name=: "
		    "%.*s", (int)(i - start), b + start);
		for (k = start; k < eq; k++)
			FUZZ_ASSERT((b[k] >= 'a' && b[k] <= 'z') || b[k] == '_',
			    "bad field name %.*s", (int)(eq - start),
			    b + start);
		check_value(b + start, eq - start, b + eq + 1, i - eq - 1);
	}
}

/* A tiny JSON parser, enough to prove the text is well-formed. */
struct json {
	const char	*p, *end;
	int		 depth;
};

static void	json_value(struct json *);

static void
json_ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static void
json_expect(struct json *j, char c)
{
	json_ws(j);
	FUZZ_ASSERT(j->p < j->end && *j->p == c, "JSON: expected '%c'", c);
	j->p++;
}

static void
json_string(struct json *j)
{
	int	 i;

	json_expect(j, '"');
	for (;;) {
		FUZZ_ASSERT(j->p < j->end, "JSON: unterminated string");
		if (*j->p == '"') {
			j->p++;
			return;
		}
		FUZZ_ASSERT((unsigned char)*j->p >= 0x20,
		    "JSON: control byte in a string");
		if (*j->p++ != '\\')
			continue;
		FUZZ_ASSERT(j->p < j->end, "JSON: escape at the end");
		if (*j->p == 'u') {
			j->p++;
			for (i = 0; i < 4; i++, j->p++)
				FUZZ_ASSERT(j->p < j->end &&
				    strchr("0123456789abcdefABCDEF", *j->p) !=
				    NULL && *j->p != '\0', "JSON: bad \\u");
			continue;
		}
		FUZZ_ASSERT(strchr("\"\\/bfnrt", *j->p) != NULL &&
		    *j->p != '\0', "JSON: bad escape");
		j->p++;
	}
}

static void
json_number(struct json *j)
{
	const char	*s = j->p;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	while (j->p < j->end && ((*j->p >= '0' && *j->p <= '9') ||
	    *j->p == '.' || *j->p == 'e' || *j->p == 'E' || *j->p == '+' ||
	    *j->p == '-'))
		j->p++;
	FUZZ_ASSERT(j->p > s, "JSON: expected a value");
}

static size_t
json_members(struct json *j, char close, int object)
{
	size_t	 n = 0;

	FUZZ_ASSERT(++j->depth < 64, "JSON: too deep");
	json_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return 0;
	}
	for (;;) {
		if (object) {
			json_string(j);
			json_expect(j, ':');
		}
		json_value(j);
		n++;
		json_ws(j);
		FUZZ_ASSERT(j->p < j->end, "JSON: unterminated");
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		json_expect(j, close);
		j->depth--;
		return n;
	}
}

static void
json_value(struct json *j)
{
	json_ws(j);
	FUZZ_ASSERT(j->p < j->end, "JSON: expected a value");
	switch (*j->p) {
	case '{':
		j->p++;
		json_members(j, '}', 1);
		return;
	case '[':
		j->p++;
		json_members(j, ']', 0);
		return;
	case '"':
		json_string(j);
		return;
	}
	if ((size_t)(j->end - j->p) >= 4 && (memcmp(j->p, "true", 4) == 0 ||
	    memcmp(j->p, "null", 4) == 0)) {
		j->p += 4;
		return;
	}
	if ((size_t)(j->end - j->p) >= 5 && memcmp(j->p, "false", 5) == 0) {
		j->p += 5;
		return;
	}
	json_number(j);
}

size_t
fuzz_check_json_object(const char *s, size_t len)
{
	struct json	 j = { s, s + len, 0 };
	size_t		 n;

	json_expect(&j, '{');
	n = json_members(&j, '}', 1);
	json_ws(&j);
	FUZZ_ASSERT(j.p == j.end, "JSON: text after the object: %.*s",
	    (int)(j.end - j.p), j.p);
	return n;
}

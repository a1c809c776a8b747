/* libFuzzer target: canonical row encoding, keys and key text (rowenc). */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz_check.h"
#include "record.h"
#include "rowenc.h"
#include "schema.h"
#include "xmalloc.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NCOLS	3
#define NCANON	8

/* Key column names that need encoding themselves. */
static const char *const names[NCOLS] = { "id", "k,=%", "\xc3\xa4 x" };

static struct rowenc	*re;

/*
 * The canonical text of an integer key value as the server prints it, in
 * out; -1 when rowenc_key must refuse it ([-]digits, fewer than 32 bytes,
 * in range).
 */
static int
int_canon(enum keyclass kc, const char *v, size_t len, char *out,
    size_t outlen)
{
	char			 num[32], *end;
	size_t			 i;
	long long		 s;
	unsigned long long	 u;

	if (len == 0 || len >= sizeof num)
		return -1;
	memcpy(num, v, len);
	num[len] = '\0';
	i = kc == KEYCLASS_INT && num[0] == '-';
	if (i == len)
		return -1;
	for (; i < len; i++) {
		if (num[i] < '0' || num[i] > '9')
			return -1;
	}
	errno = 0;
	if (kc == KEYCLASS_INT) {
		s = strtoll(num, &end, 10);
		if (errno != 0)
			return -1;
		snprintf(out, outlen, "%lld", s);
	} else {
		u = strtoull(num, &end, 10);
		if (errno != 0)
			return -1;
		snprintf(out, outlen, "%llu", u);
	}
	return 0;
}

/* Compare two values of one class as the server orders them. */
static int
value_cmp(enum keyclass kc, const char *a, size_t alen, const char *b,
    size_t blen)
{
	char			 na[32], nb[32];
	long long		 sa, sb;
	unsigned long long	 ua, ub;
	int			 c;

	if (kc != KEYCLASS_BYTES) {
		FUZZ_ASSERT(alen < sizeof na && blen < sizeof nb,
		    "canonical integer too long");
		memcpy(na, a, alen);
		na[alen] = '\0';
		memcpy(nb, b, blen);
		nb[blen] = '\0';
	}
	switch (kc) {
	case KEYCLASS_INT:
		sa = strtoll(na, NULL, 10);
		sb = strtoll(nb, NULL, 10);
		return (sa > sb) - (sa < sb);
	case KEYCLASS_UINT:
		ua = strtoull(na, NULL, 10);
		ub = strtoull(nb, NULL, 10);
		return (ua > ub) - (ua < ub);
	case KEYCLASS_BYTES:
		break;
	}
	c = memcmp(a, b, alen < blen ? alen : blen);
	if (c != 0)
		return (c > 0) - (c < 0);
	return (alen > blen) - (alen < blen);
}

static int
key_cmp(const struct buf *a, const struct buf *b)
{
	int	 c;

	c = memcmp(a->data, b->data, a->len < b->len ? a->len : b->len);
	if (c != 0)
		return (c > 0) - (c < 0);
	return (a->len > b->len) - (a->len < b->len);
}

static struct schema *
make_schema(size_t ncols, const enum keyclass *kc)
{
	struct schema	*s;
	struct column	*c;
	size_t		 i;

	s = schema_create("fuzz", "t");
	s->key = xcalloc(ncols, sizeof *s->key);
	for (i = 0; i < ncols; i++) {
		if (kc[i] == KEYCLASS_BYTES)
			c = schema_add_column(s, names[i], "varbinary(9000)",
			    NULL, NULL, 0, "varbinary");
		else
			c = schema_add_column(s, names[i],
			    kc[i] == KEYCLASS_UINT ? "bigint(20) unsigned" :
			    "bigint(20)", NULL, NULL, 0, "bigint");
		FUZZ_ASSERT(c->kclass == kc[i], "column %zu has class %d", i,
		    (int)c->kclass);
		c->keypos = (int)i + 1;
		s->key[i] = i;
	}
	s->nkey = ncols;
	return s;
}

/*
 * Encode a tuple; 0 and the canonical values (in canon, offsets in off)
 * when every value is a valid key, -1 when one is refused.
 */
static int
encode(const struct schema *s, const enum keyclass *kc, const char **v,
    const size_t *len, struct buf *key, struct buf *canon, size_t *off)
{
	char	 num[32], *cause = NULL;
	size_t	 i;
	int	 valid, r;

	buf_reset(key);
	buf_reset(canon);
	for (i = 0; i < s->nkey; i++) {
		off[i] = canon->len;
		if (kc[i] == KEYCLASS_BYTES) {
			valid = v[i] != NULL;
			if (valid)
				FUZZ_ASSERT(buf_add(canon, v[i], len[i]) == 0,
				    "buf_add");
		} else {
			valid = v[i] != NULL && int_canon(kc[i], v[i], len[i],
			    num, sizeof num) == 0;
			if (valid)
				FUZZ_ASSERT(buf_adds(canon, num) == 0,
				    "buf_adds");
		}
		r = rowenc_key(key, kc[i], v[i], len[i], &cause);
		FUZZ_ASSERT((r == 0) == valid, "rowenc_key %s column %zu (%.*s)",
		    r == 0 ? "accepted" : "refused", i, (int)len[i],
		    v[i] != NULL ? v[i] : "NULL");
		if (r == -1) {
			FUZZ_ASSERT(cause != NULL, "refused without a cause");
			free(cause);
			return -1;
		}
	}
	off[s->nkey] = canon->len;
	return 0;
}

/* Decoding the key gives back the canonical values, as values and text. */
static void
check_decode(const struct schema *s, const struct buf *key,
    const struct buf *canon, const size_t *off, size_t max)
{
	const char	*vals[NCOLS];
	unsigned long	 lens[NCOLS];
	struct buf	 store, text, dec;
	const char	*p, *end, *comma, *eq;
	size_t		 i, clen;
	int		 cut;

	buf_init(&store, BUF_NOCAP);
	FUZZ_ASSERT(rowenc_key_values(s, (const unsigned char *)key->data,
	    key->len, &store, vals, lens) == 0, "key does not decode");
	for (i = 0; i < s->nkey; i++) {
		clen = off[i + 1] - off[i];
		FUZZ_ASSERT(lens[i] == clen && memcmp(vals[i],
		    canon->data + off[i], clen) == 0,
		    "column %zu decodes to other bytes", i);
	}
	buf_free(&store);

	buf_init(&text, BUF_NOCAP);
	buf_init(&dec, BUF_NOCAP);
	FUZZ_ASSERT(rowenc_key_text(&text, s, (const unsigned char *)key->data,
	    key->len, max) == 0, "rowenc_key_text failed");
	p = buf_str(&text);
	end = p + text.len;
	for (i = 0; i < s->nkey; i++) {
		comma = memchr(p, ',', (size_t)(end - p));
		if (comma == NULL)
			comma = end;
		FUZZ_ASSERT(i + 1 < s->nkey || comma == end,
		    "more values than key columns: %s", text.data);
		eq = memchr(p, '=', (size_t)(comma - p));
		FUZZ_ASSERT(eq != NULL, "no '=' in %s", text.data);
		FUZZ_ASSERT(fuzz_pct_decode(p, (size_t)(eq - p), &dec,
		    NULL) == 0 && dec.len == strlen(names[i]) &&
		    memcmp(dec.data, names[i], dec.len) == 0,
		    "column name %zu differs in %s", i, text.data);
		eq++;
		FUZZ_ASSERT(fuzz_pct_decode(eq, (size_t)(comma - eq), &dec,
		    &cut) == 0, "value %zu does not decode in %s", i,
		    text.data);
		clen = off[i + 1] - off[i];
		if (cut) {
			FUZZ_ASSERT((size_t)(comma - eq) <= max +
			    sizeof RECORD_CUT - 1, "cut value %zu too long", i);
			FUZZ_ASSERT(dec.len < clen && (dec.len == 0 ||
			    memcmp(dec.data, canon->data + off[i],
			    dec.len) == 0), "cut value %zu not a prefix", i);
		} else {
			FUZZ_ASSERT((size_t)(comma - eq) <= max,
			    "value %zu longer than %zu", i, max);
			FUZZ_ASSERT(dec.len == clen && (clen == 0 ||
			    memcmp(dec.data, canon->data + off[i], clen) == 0),
			    "value %zu differs in %s", i, text.data);
		}
		p = comma + (comma < end);
	}
	buf_free(&dec);
	buf_free(&text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in	 in = { data, size };
	enum keyclass	 kc[NCOLS];
	struct schema	*s;
	struct buf	 ka, kb, ca, cb, text, store, canon;
	const char	*va[NCOLS], *vb[NCOLS], *cv[NCANON];
	const char	*vals[NCOLS];
	unsigned long	 cl[NCANON], lens[NCOLS];
	unsigned char	 digest[ROWENC_DIGEST_LEN];
	unsigned char	 tags[NCANON * ROWENC_TAG_LEN], agg[ROWENC_AGG_LEN];
	unsigned char	 varlen[NCANON];
	size_t		 la[NCOLS], lb[NCOLS], offa[NCOLS + 1], offb[NCOLS + 1];
	size_t		 ncols, ncanon, max, i, pos;
	char		*cause = NULL;
	unsigned int	 f;
	int		 oka, okb, want, c;

	f = fuzz_byte(&in);
	ncols = 1 + f % NCOLS;
	for (i = 0; i < ncols; i++)
		kc[i] = (enum keyclass)((f >> (2 + 2 * i)) % 3);
	max = fuzz_byte(&in) * 5;
	for (i = 0; i < ncols; i++)
		va[i] = fuzz_take(&in, &la[i]);
	for (i = 0; i < ncols; i++)
		vb[i] = fuzz_take(&in, &lb[i]);

	s = make_schema(ncols, kc);
	buf_init(&ka, BUF_NOCAP);
	buf_init(&kb, BUF_NOCAP);
	buf_init(&ca, BUF_NOCAP);
	buf_init(&cb, BUF_NOCAP);
	oka = encode(s, kc, va, la, &ka, &ca, offa) == 0;
	okb = encode(s, kc, vb, lb, &kb, &cb, offb) == 0;
	if (oka)
		check_decode(s, &ka, &ca, offa, max);
	if (okb)
		check_decode(s, &kb, &cb, offb, max);

	/* memcmp of whole keys is the server's order on the tuples. */
	if (oka && okb) {
		want = 0;
		for (i = 0; i < ncols && want == 0; i++)
			want = value_cmp(kc[i], ca.data + offa[i],
			    offa[i + 1] - offa[i], cb.data + offb[i],
			    offb[i + 1] - offb[i]);
		c = key_cmp(&ka, &kb);
		FUZZ_ASSERT(c == want, "keys compare %d, values %d", c, want);
	}

	/* Any bytes as a stored key: decode or refuse, never more. */
	buf_init(&text, BUF_NOCAP);
	buf_init(&store, BUF_NOCAP);
	if (rowenc_key_text(&text, s, in.p, in.left, max) == 0)
		FUZZ_ASSERT(memchr(buf_str(&text), ' ', text.len) == NULL,
		    "space in key text");
	(void)rowenc_key_values(s, in.p, in.left, &store, vals, lens);
	buf_free(&store);
	buf_free(&text);

	/* The canonical row encoding of what is left, decoded back. */
	for (ncanon = 0; ncanon < NCANON && in.left > 0; ncanon++) {
		cv[ncanon] = fuzz_take(&in, &pos);
		cl[ncanon] = (unsigned long)pos;
		varlen[ncanon] = (unsigned char)(pos & 1);
	}
	buf_init(&canon, BUF_NOCAP);
	FUZZ_ASSERT(rowenc_canon(&canon, cv, cl, ncanon) == 0,
	    "rowenc_canon failed");
	for (pos = 0, i = 0; i < ncanon; i++) {
		FUZZ_ASSERT(pos < canon.len, "encoding ends early");
		if (cv[i] == NULL) {
			FUZZ_ASSERT(canon.data[pos] == 0, "NULL flag");
			pos++;
			continue;
		}
		FUZZ_ASSERT(canon.data[pos] == 1 && canon.len - pos >= 5,
		    "value flag");
		FUZZ_ASSERT(((size_t)(unsigned char)canon.data[pos + 1] << 24 |
		    (size_t)(unsigned char)canon.data[pos + 2] << 16 |
		    (size_t)(unsigned char)canon.data[pos + 3] << 8 |
		    (size_t)(unsigned char)canon.data[pos + 4]) == cl[i],
		    "length of value %zu", i);
		pos += 5;
		FUZZ_ASSERT(canon.len - pos >= cl[i] && (cl[i] == 0 ||
		    memcmp(canon.data + pos, cv[i], cl[i]) == 0),
		    "bytes of value %zu", i);
		pos += cl[i];
	}
	FUZZ_ASSERT(pos == canon.len, "%zu bytes after the values",
	    canon.len - pos);
	buf_free(&canon);
	FUZZ_ASSERT(rowenc_digest(re, cv, cl, ncanon, digest, &cause) == 0,
	    "rowenc_digest: %s", cause);
	rowenc_tags(re, cv, cl, ncanon, tags);
	/* A row has at least one column (none leaves nothing to hash). */
	memset(agg, 0, sizeof agg);
	if (ncanon != 0)
		rowenc_chunk_hash(cv, cl, ncanon, varlen, agg);

	buf_free(&ka);
	buf_free(&kb);
	buf_free(&ca);
	buf_free(&cb);
	schema_free(s);
	return 0;
}

int	 LLVMFuzzerInitialize(int *, char ***);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const unsigned char	 key[32] = "fuzz key fuzz key fuzz key fuzz";
	char				*cause = NULL;

	(void)argc;
	(void)argv;
	re = rowenc_create(key, sizeof key, "fuzz", "t", &cause);
	FUZZ_ASSERT(re != NULL, "rowenc_create: %s", cause);
	return 0;
}

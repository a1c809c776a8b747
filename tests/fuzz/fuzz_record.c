/* libFuzzer target: percent-encoding, record building, cuts and JSON. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "fuzz_check.h"
#include "record.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const ops[] = {
	"insert", "update", "delete", "error", "schema"
};

/* The encoding of v: printable, nothing of the encoded set, decodes back. */
static void
check_pct(const char *v, size_t n, int flags, struct buf *dec)
{
	struct buf	 e;
	size_t		 i;

	buf_init(&e, BUF_NOCAP);
	FUZZ_ASSERT(record_pct(&e, v, n, flags) == 0, "record_pct failed");
	FUZZ_ASSERT(e.len == record_pct_len(v, n, flags),
	    "record_pct_len %zu, record_pct wrote %zu",
	    record_pct_len(v, n, flags), e.len);
	for (i = 0; i < e.len; i++) {
		FUZZ_ASSERT((unsigned char)e.data[i] > 0x20 &&
		    (unsigned char)e.data[i] < 0x7f, "byte 0x%02x",
		    (unsigned char)e.data[i]);
		FUZZ_ASSERT(strchr("\"',;=\\`| ", e.data[i]) == NULL,
		    "unencoded %c", e.data[i]);
		FUZZ_ASSERT(e.data[i] != '.' || !(flags & RECORD_IDENT),
		    "unencoded '.' in an identifier");
	}
	FUZZ_ASSERT(fuzz_pct_decode(buf_str(&e), e.len, dec, NULL) == 0,
	    "undecodable: %s", buf_str(&e));
	FUZZ_ASSERT(dec->len == n && (n == 0 || memcmp(dec->data, v, n) == 0),
	    "round trip differs for %s", buf_str(&e));
	buf_free(&e);
}

/*
 * record_cut of text at cap: at most cap bytes, a prefix and the marker;
 * encoded text (key text) stays a well-formed pk= value.
 */
static void
check_cut(const char *text, size_t len, size_t cap, int encoded)
{
	const size_t	 cutlen = sizeof RECORD_CUT - 1;
	struct buf	 out, rec;
	size_t		 n;
	int		 r;

	buf_init(&out, BUF_NOCAP);
	FUZZ_ASSERT(buf_adds(&out, "pk=") == 0, "buf_adds");
	r = record_cut(&out, text, len, cap);
	if (len > cap && cap < cutlen) {
		FUZZ_ASSERT(r == -1, "cut to %zu bytes succeeded", cap);
		buf_free(&out);
		return;
	}
	FUZZ_ASSERT(r == 0, "record_cut failed");
	n = out.len - 3;
	FUZZ_ASSERT(n <= cap, "cut to %zu bytes gave %zu", cap, n);
	if (len <= cap)
		FUZZ_ASSERT(n == len && memcmp(out.data + 3, text, len) == 0,
		    "a value within its cap was changed");
	else {
		FUZZ_ASSERT(n >= cutlen && memcmp(out.data + out.len - cutlen,
		    RECORD_CUT, cutlen) == 0, "cut without marker: %s",
		    out.data);
		FUZZ_ASSERT(memcmp(out.data + 3, text, n - cutlen) == 0,
		    "kept part is not a prefix");
	}
	if (encoded && n > 0) {
		buf_init(&rec, BUF_NOCAP);
		FUZZ_ASSERT(buf_adds(&rec, "op=x ") == 0 &&
		    buf_add(&rec, out.data, out.len) == 0 &&
		    buf_adds(&rec, " ;") == 0, "buf_add");
		fuzz_check_record(rec.data, rec.len);
		buf_free(&rec);
	}
	buf_free(&out);
}

/* Key text as the scanner and the UDF write it: col=value,col=value. */
static int
make_pk(struct buf *pk, const char *a, size_t alen, const char *b,
    size_t blen, size_t vcap)
{
	struct buf	 v;
	int		 r = -1;

	buf_init(&v, BUF_NOCAP);
	if (buf_adds(pk, "a=") == -1 || record_pct(&v, a, alen, 0) == -1 ||
	    record_cut(pk, buf_str(&v), v.len, vcap) == -1)
		goto out;
	buf_reset(&v);
	if (buf_adds(pk, ",b=") == -1 || record_pct(&v, b, blen, 0) == -1 ||
	    record_cut(pk, buf_str(&v), v.len, vcap) == -1)
		goto out;
	r = 0;
out:
	buf_free(&v);
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in	 in = { data, size };
	struct buf	 rec, pk, js, dec, want;
	const char	*v, *db, *name, *a, *b, *got;
	size_t		 vlen, dblen, namelen, alen, blen, glen, i, ntok, ndot;
	size_t		 cap, vcap;
	unsigned long long num;
	unsigned int	 f;
	int		 ok;

	f = fuzz_byte(&in);
	cap = fuzz_byte(&in) | fuzz_byte(&in) << 8;
	cap %= RECORD_PK_MAX + 8;
	vcap = 4 + fuzz_byte(&in) * 4;
	for (num = 0, i = 0; i < 8; i++)
		num = num << 8 | fuzz_byte(&in);
	v = fuzz_take(&in, &vlen);
	db = fuzz_take(&in, &dblen);
	name = fuzz_take(&in, &namelen);
	a = fuzz_take(&in, &alen);
	b = fuzz_take(&in, &blen);
	if (v == NULL)
		v = "";
	if (db == NULL)
		db = "";
	if (name == NULL)
		name = "";
	if (a == NULL)
		a = "";
	if (b == NULL)
		b = "";

	buf_init(&dec, BUF_NOCAP);
	buf_init(&want, BUF_NOCAP);
	check_pct(v, vlen, 0, &dec);
	check_pct(v, vlen, RECORD_IDENT, &dec);
	check_pct(db, dblen, RECORD_IDENT, &dec);

	/* Key text, cut per value and then as a whole. */
	buf_init(&pk, BUF_NOCAP);
	FUZZ_ASSERT(make_pk(&pk, a, alen, b, blen, vcap) == 0, "make_pk");
	check_cut(buf_str(&pk), pk.len, cap, 1);
	check_cut(v, vlen, cap, 0);

	/* A whole record, in a buffer capped like the real ones. */
	buf_init(&rec, RECORD_MAX);
	ok = record_begin(&rec, ops[f % 5]) == 0 &&
	    record_table(&rec, db, dblen, name, namelen) == 0 &&
	    buf_adds(&rec, " pk=") == 0 &&
	    record_cut(&rec, buf_str(&pk), pk.len, RECORD_PK_MAX) == 0 &&
	    record_field_value(&rec, "v", v, vlen) == 0 &&
	    record_field_num(&rec, "n", num) == 0 &&
	    record_field(&rec, "src", (f & 0x80) ? "" : "scan") == 0 &&
	    record_end(&rec) == 0;
	if (!ok) {
		FUZZ_ASSERT(rec.data == NULL && rec.len == 0,
		    "a failed record left %zu bytes", rec.len);
		goto out;
	}
	fuzz_check_record(rec.data, rec.len);

	/* The fields read back. */
	FUZZ_ASSERT(record_get(rec.data, rec.len, "v", &got, &glen) == 0,
	    "no v=");
	if (vlen == 0)
		FUZZ_ASSERT(glen == 1 && *got == '-', "empty value not '-'");
	else if (vlen == 1 && *v == '-')
		FUZZ_ASSERT(glen == 3 && memcmp(got, "%2D", 3) == 0,
		    "'-' not written %%2D");
	else {
		FUZZ_ASSERT(fuzz_pct_decode(got, glen, &dec, NULL) == 0 &&
		    dec.len == vlen && memcmp(dec.data, v, vlen) == 0,
		    "v= does not decode back");
	}
	FUZZ_ASSERT(record_get(rec.data, rec.len, "table", &got, &glen) == 0,
	    "no table=");
	FUZZ_ASSERT(buf_add(&want, db, dblen) == 0 && buf_addc(&want, '.') ==
	    0 && buf_add(&want, name, namelen) == 0, "buf_add");
	/* Past RECORD_TABLE_MAX, table= is cut with the marker. */
	if (glen < sizeof RECORD_CUT - 1 || memcmp(got + glen -
	    (sizeof RECORD_CUT - 1), RECORD_CUT, sizeof RECORD_CUT - 1) != 0) {
		for (ndot = 0, i = 0; i < glen; i++)
			ndot += got[i] == '.';
		FUZZ_ASSERT(ndot == 1, "table= has %zu '.'", ndot);
		FUZZ_ASSERT(fuzz_pct_decode(got, glen, &dec, NULL) == 0 &&
		    dec.len == want.len &&
		    memcmp(dec.data, want.data, want.len) == 0,
		    "table= does not decode back");
	} else
		FUZZ_ASSERT(glen <= RECORD_TABLE_MAX, "table= past its cap");
	got = record_op(rec.data, rec.len, &glen);
	FUZZ_ASSERT(glen == strlen(ops[f % 5]) &&
	    memcmp(got, ops[f % 5], glen) == 0, "record_op");

	/* JSON: one member per field, valid as JSON. */
	for (ntok = 0, i = 0; i < rec.len; i++)
		ntok += rec.data[i] == ' ';
	buf_init(&js, BUF_NOCAP);
	FUZZ_ASSERT(record_to_json(&js, rec.data, rec.len) == 0,
	    "record_to_json failed");
	FUZZ_ASSERT(fuzz_check_json_object(js.data, js.len) == ntok,
	    "JSON member count differs from %zu fields: %s", ntok, js.data);
	buf_free(&js);

	/* record_get and record_op on any bytes stay within them. */
	if (record_get(v, vlen, "op", &got, &glen) == 0)
		FUZZ_ASSERT(got >= v && got + glen <= v + vlen,
		    "record_get out of bounds");
	got = record_op(v, vlen, &glen);
	FUZZ_ASSERT(glen == 0 || (got >= v && got + glen <= v + vlen),
	    "record_op out of bounds");
out:
	buf_free(&rec);
	buf_free(&pk);
	buf_free(&dec);
	buf_free(&want);
	return 0;
}

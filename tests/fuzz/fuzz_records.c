/*
 * libFuzzer target: every kind of scanner record, built by the record
 * builders (record.h) from long, non-ASCII names, keys, lists, accounts
 * and messages, is one well-formed record within RECORD_MAX whose fields
 * read back as what went in, or as a prefix of it cut with the marker.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz_check.h"
#include "record.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NLISTS	7

static const char *const lists[NLISTS] = {
	"added", "dropped", "retyped", "watched", "watch_added",
	"watch_dropped", "watch_altered"
};

/*
 * Take a string and repeat it 1 to 256 times (a byte says how often; at
 * most 64 KiB in all, for speed), so that short inputs make names and
 * values far past every cap; bytes from 0x80 up are as likely as any.
 */
static char *
take_long(struct fuzz_in *in, size_t *len)
{
	const char	*p;
	size_t		 n, k, i;
	char		*s;

	k = 1 + fuzz_byte(in);
	if ((p = fuzz_take(in, &n)) == NULL) {
		p = "";
		n = 0;
	}
	if (n > 0 && k > 65536 / n)
		k = 65536 / n > 0 ? 65536 / n : 1;
	s = malloc(n * k + 1);
	FUZZ_ASSERT(s != NULL, "malloc");
	for (i = 0; i < k; i++)
		memcpy(s + i * n, p, n);
	s[n * k] = '\0';
	*len = n * k;
	return s;
}

/* Raw names hold no NUL (the scanner's come from C strings). */
static void
no_nul(char *s, size_t *len)
{
	size_t	 i;

	for (i = 0; i < *len; i++) {
		if (s[i] == '\0')
			s[i] = '\x80';
	}
}

/*
 * The value of field name in rec, decoded, equals want (or, when cut is
 * allowed, ends in the marker and its encoded part is a prefix of the
 * encoding of want).
 */
static void
check_field(const struct buf *rec, const char *name, const char *want,
    size_t wlen, int dash)
{
	struct buf	 enc;
	const char	*v;
	size_t		 vlen;
	const size_t	 cutlen = sizeof RECORD_CUT - 1;

	FUZZ_ASSERT(record_get(rec->data, rec->len, name, &v, &vlen) == 0,
	    "no %s= in %s", name, rec->data);
	buf_init(&enc, BUF_NOCAP);
	if (wlen == 0 && dash)
		FUZZ_ASSERT(vlen == 1 && *v == '-', "empty %s= not '-'", name);
	else if (wlen == 1 && *want == '-' && dash)
		FUZZ_ASSERT(vlen == 3 && memcmp(v, "%2D", 3) == 0,
		    "%s=- not %%2D", name);
	else {
		FUZZ_ASSERT(record_pct(&enc, want, wlen, 0) == 0,
		    "record_pct");
		if (vlen >= cutlen && memcmp(v + vlen - cutlen, RECORD_CUT,
		    cutlen) == 0) {
			FUZZ_ASSERT(enc.len > vlen - cutlen &&
			    memcmp(enc.data, v, vlen - cutlen) == 0,
			    "cut %s= is not a prefix", name);
		} else
			FUZZ_ASSERT(vlen == enc.len &&
			    memcmp(v, enc.data, vlen) == 0,
			    "%s= differs: %.*s", name, (int)vlen, v);
	}
	buf_free(&enc);
}

/* table= reads back as db.name (ident-encoded), or a cut prefix of it. */
static void
check_table(const struct buf *rec, const char *db, size_t dblen,
    const char *name, size_t namelen)
{
	struct buf	 enc;

	buf_init(&enc, BUF_NOCAP);
	FUZZ_ASSERT(record_pct(&enc, db, dblen, RECORD_IDENT) == 0 &&
	    buf_addc(&enc, '.') == 0 &&
	    record_pct(&enc, name, namelen, RECORD_IDENT) == 0, "encode");
	{
		const char	*v;
		size_t		 vlen;
		const size_t	 cutlen = sizeof RECORD_CUT - 1;

		FUZZ_ASSERT(record_get(rec->data, rec->len, "table", &v,
		    &vlen) == 0, "no table=");
		if (enc.len <= RECORD_TABLE_MAX)
			FUZZ_ASSERT(vlen == enc.len &&
			    memcmp(v, enc.data, vlen) == 0, "table= differs");
		else
			FUZZ_ASSERT(vlen <= RECORD_TABLE_MAX &&
			    vlen >= cutlen && memcmp(v + vlen - cutlen,
			    RECORD_CUT, cutlen) == 0 &&
			    memcmp(v, enc.data, vlen - cutlen) == 0,
			    "table= not a cut prefix");
	}
	buf_free(&enc);
}

/* A built record: fits, well formed by both checkers, op as asked. */
static void
check_record(const struct buf *rec, const char *op)
{
	const char	*got;
	size_t		 glen;

	FUZZ_ASSERT(!buf_failed(rec) && rec->data != NULL, "failed buffer");
	FUZZ_ASSERT(rec->len <= RECORD_MAX, "record of %zu bytes", rec->len);
	FUZZ_ASSERT(record_check(rec->data, rec->len) == 0,
	    "record_check refuses %s", rec->data);
	fuzz_check_record(rec->data, rec->len);
	got = record_op(rec->data, rec->len, &glen);
	FUZZ_ASSERT(glen == strlen(op) && memcmp(got, op, glen) == 0,
	    "op differs");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in	 in = { data, size };
	struct buf	 rec, pk, changed, why;
	char		*db, *name, *by, *msg, *col;
	size_t		 dblen, namelen, bylen, msglen, collen, i, k;
	const char	*v;
	size_t		 vlen;
	unsigned int	 f, nl;
	int		 asked[NLISTS];
	unsigned long long num;

	f = fuzz_byte(&in);
	nl = fuzz_byte(&in);
	for (num = 0, i = 0; i < 8; i++)
		num = num << 8 | fuzz_byte(&in);
	db = take_long(&in, &dblen);
	name = take_long(&in, &namelen);
	by = take_long(&in, &bylen);
	msg = take_long(&in, &msglen);
	col = take_long(&in, &collen);
	no_nul(db, &dblen);
	no_nul(name, &namelen);
	no_nul(by, &bylen);
	no_nul(msg, &msglen);
	no_nul(col, &collen);
	if (collen == 0) {
		/* No column has an empty name (nor does the server allow one). */
		free(col);
		col = strdup("c");
		FUZZ_ASSERT(col != NULL, "strdup");
		collen = 1;
	}

	buf_init(&rec, RECORD_MAX);
	buf_init(&pk, BUF_NOCAP);
	buf_init(&changed, BUF_NOCAP);
	buf_init(&why, BUF_NOCAP);

	/* Row records: key text as rowenc writes it, a list of names. */
	FUZZ_ASSERT(record_name(&pk, col) == 0 && buf_addc(&pk, '=') == 0 &&
	    record_pct_capped(&pk, msg, msglen, RECORD_PK_VALUE_MAX) == 0 &&
	    buf_adds(&pk, ",k=") == 0 &&
	    record_pct_capped(&pk, by, bylen, RECORD_PK_VALUE_MAX) == 0,
	    "key text");
	for (i = 0; i < (nl & 0x3f); i++)
		FUZZ_ASSERT((i == 0 || buf_addc(&changed, ',') == 0) &&
		    record_name(&changed, col) == 0, "list");
	FUZZ_ASSERT(record_row(&rec, "update", db, name, pk.data, pk.len,
	    buf_str(&changed), changed.len, (f & 1) ? "trigger" : "scan",
	    (f & 2) ? by : NULL, (f & 10) == 10 ? "statement" : NULL) == 0,
	    "record_row failed");
	check_record(&rec, "update");
	check_table(&rec, db, dblen, name, namelen);
	FUZZ_ASSERT(record_get(rec.data, rec.len, "pk", &v, &vlen) == 0,
	    "no pk=");
	FUZZ_ASSERT(vlen <= RECORD_PK_MAX, "pk= of %zu bytes", vlen);
	FUZZ_ASSERT(record_get(rec.data, rec.len, "changed", &v, &vlen) == 0,
	    "no changed=");
	FUZZ_ASSERT(vlen <= RECORD_LIST_MAX, "changed= of %zu bytes", vlen);
	if (changed.len <= RECORD_LIST_MAX)
		FUZZ_ASSERT(changed.len == 0 ? vlen == 1 && *v == '-' :
		    vlen == changed.len && memcmp(v, changed.data, vlen) == 0,
		    "changed= differs");
	if ((f & 10) == 10) {
		/* The account, encoded (cut), then ",statement". */
		FUZZ_ASSERT(record_get(rec.data, rec.len, "by", &v, &vlen) ==
		    0 && vlen <= RECORD_BY_MAX && vlen > 10 &&
		    memcmp(v + vlen - 10, ",statement", 10) == 0 &&
		    memchr(v, ',', vlen - 10) == NULL, "by= with how");
	} else if (f & 2)
		check_field(&rec, "by", by, bylen, 1);
	else
		FUZZ_ASSERT(record_get(rec.data, rec.len, "by", &v, &vlen) ==
		    0 && vlen == 1 && *v == '-', "by= not '-'");

	/* Count records: baseline, missing, reset (by=), schema emptied=. */
	FUZZ_ASSERT(record_count(&rec, "reset", db, name, "rows", num, "scan",
	    by) == 0, "record_count failed");
	check_record(&rec, "reset");
	check_table(&rec, db, dblen, name, namelen);
	check_field(&rec, "by", by, bylen, 1);
	FUZZ_ASSERT(record_count(&rec, (f & 4) ? "baseline" : "schema", db,
	    name, (f & 4) ? "rows" : "emptied", num, "scan", NULL) == 0,
	    "record_count failed");
	check_record(&rec, (f & 4) ? "baseline" : "schema");
	FUZZ_ASSERT(record_get(rec.data, rec.len, "by", &v, &vlen) == -1,
	    "by= where none was given");

	/* Errors, about a table and about the run. */
	FUZZ_ASSERT(record_error(&rec, (f & 8) ? NULL : db, name,
	    (f & 16) != 0, msg, "scan") == 0, "record_error failed");
	check_record(&rec, "error");
	if (!(f & 8))
		check_table(&rec, db, dblen, name, namelen);
	FUZZ_ASSERT((record_get(rec.data, rec.len, "baseline", &v,
	    &vlen) == 0) == ((f & 16) != 0), "baseline= wrongly present");
	check_field(&rec, "msg", msg, msglen, 1);
	FUZZ_ASSERT(record_get(rec.data, rec.len, "msg", &v, &vlen) == 0 &&
	    vlen <= RECORD_MSG_MAX, "msg= past its cap");

	/* op=schema: up to every list, each of nl names, and key=changed. */
	for (k = 0; k < NLISTS; k++) {
		asked[k] = (f & (0x10 << (k % 4))) || k == (nl % NLISTS);
		if (!asked[k])
			continue;
		FUZZ_ASSERT(buf_addc(&why, ' ') == 0 &&
		    buf_adds(&why, lists[k]) == 0 && buf_addc(&why, '=') == 0,
		    "why");
		for (i = 0; i <= (nl >> 4); i++)
			FUZZ_ASSERT((i == 0 || buf_addc(&why, ',') == 0) &&
			    record_name(&why, col) == 0, "why");
	}
	if (f & 0x40)
		FUZZ_ASSERT(buf_adds(&why, " key=changed") == 0, "why");
	FUZZ_ASSERT(record_schema(&rec, db, name, (f & 0x80) != 0,
	    buf_str(&why), why.len, (f & 0x40) ? "rows" : (f & 0x20) ? "updates" : NULL,
	    "scan") == 0, "record_schema failed");
	check_record(&rec, "schema");
	check_table(&rec, db, dblen, name, namelen);
	if (f & 0x40)
		FUZZ_ASSERT(record_get(rec.data, rec.len, "key", &v, &vlen) ==
		    0 && vlen == 7 && memcmp(v, "changed", 7) == 0,
		    "key=changed lost");
	for (k = 0; k < NLISTS; k++) {
		/* Every list asked for is there, whole or cut. */
		if (!asked[k])
			continue;
		FUZZ_ASSERT(record_get(rec.data, rec.len, lists[k], &v,
		    &vlen) == 0, "%s= lost", lists[k]);
	}

	buf_free(&rec);
	buf_free(&pk);
	buf_free(&changed);
	buf_free(&why);
	free(db);
	free(name);
	free(by);
	free(msg);
	free(col);
	return 0;
}

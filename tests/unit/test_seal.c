/* Unit tests for seal: the baseline MACs, their labels and failures. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "baseline.h"
#include "key.h"
#include "rowenc.h"
#include "seal.h"

/* The installation key 00 01 .. 1f. */
static unsigned char	 ikey[KEY_LEN];

/*
 * rowenc_mac as seal.c sees it (linked with --wrap=rowenc_mac): the real
 * one, or a failure like OpenSSL's while fail_mac is set.
 */
static int	 fail_mac;

int	 __wrap_rowenc_mac(const unsigned char *, size_t, const char *,
	    const void *, size_t, unsigned char[ROWENC_MAC_LEN], char **);
int	 __real_rowenc_mac(const unsigned char *, size_t, const char *,
	    const void *, size_t, unsigned char[ROWENC_MAC_LEN], char **);

int
__wrap_rowenc_mac(const unsigned char *key, size_t keylen, const char *label,
    const void *p, size_t len, unsigned char out[ROWENC_MAC_LEN],
    char **cause)
{
	if (fail_mac) {
		*cause = strdup("HMAC: injected failure");
		return -1;
	}
	return __real_rowenc_mac(key, keylen, label, p, len, out, cause);
}

static int
setup(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof ikey; i++)
		ikey[i] = (unsigned char)i;
	fail_mac = 0;
	return 0;
}

static const char	 list[] = "acme\0users\0d.b\0t;x";	/* + its NUL */

/* An entry of ac.me."t\nx" with every field set. */
static void
entry(struct baseline_entry *e)
{
	static unsigned char	 schema[] = "\000\001schema;bytes";
	size_t			 i;

	memset(e, 0, sizeof *e);
	e->tid = 7;
	e->schema = schema;
	e->schemalen = sizeof schema - 1;
	for (i = 0; i < sizeof e->fp; i++)
		e->fp[i] = (unsigned char)(100 + i);
	e->nrows = -3;
	e->state = BASELINE_MISSING;
	e->last_scan = 1700000000;
	e->chunk = 500;
	memset(e->mac, 0xaa, sizeof e->mac);
}

/* Chunk 2 of table 7, up to a bound, or chunk 3, open-ended and empty. */
static void
chunk(struct baseline_chunk *c, int open)
{
	static unsigned char	 hi[] = "\200\000\000\000\000\000\000\005a\000\001";
	static const unsigned char agg[8] = { 0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3 };

	memset(c, 0, sizeof *c);
	c->n = open ? 3 : 2;
	c->nrows = open ? 0 : 1000;
	if (!open) {
		c->hi = hi;
		c->hilen = sizeof hi - 1;
	}
	memcpy(c->agg, agg, sizeof c->agg);
}

/*
 * Ensure that the list MAC is the golden value (an HMAC-SHA-256 computed
 * apart, with Python's hmac, over "dbsyscheck tables v2\0", len, list).
 */
static void
test_list_golden(void **state)
{
	static const unsigned char	 want[32] = {
		0xde, 0x0c, 0x0e, 0xc3, 0x07, 0xbd, 0xff, 0x45, 0xe5, 0x38,
		0x41, 0x99, 0x8f, 0x5f, 0x5d, 0x4b, 0x25, 0x58, 0xfc, 0x8f,
		0xdc, 0x60, 0x3d, 0xcb, 0xf0, 0xc6, 0xa3, 0xbb, 0x9d, 0xa3,
		0xd0, 0x93,
	};
	unsigned char			 out[32];
	char				*cause = NULL;

	(void)state;
	assert_int_equal(seal_list(ikey, sizeof ikey, list, sizeof list, out,
	    &cause), 0);
	assert_null(cause);
	assert_memory_equal(out, want, sizeof want);
}

/* Ensure that the entry MAC is the golden value ("dbsyscheck table v1"). */
static void
test_entry_golden(void **state)
{
	static const unsigned char	 want[32] = {
		0xc6, 0x60, 0x11, 0x9e, 0x38, 0x2e, 0x03, 0x14, 0x1e, 0x53,
		0x25, 0xd6, 0x21, 0x84, 0x93, 0x2b, 0x89, 0xe3, 0x44, 0xa1,
		0x11, 0xb9, 0x5d, 0x42, 0x74, 0x08, 0x4d, 0x98, 0x81, 0xad,
		0x07, 0xe6,
	};
	struct baseline_entry		 e;
	unsigned char			 out[32];
	char				*cause = NULL;

	(void)state;
	entry(&e);
	assert_int_equal(seal_entry(ikey, sizeof ikey, "ac.me", "t\nx", &e,
	    out, &cause), 0);
	assert_memory_equal(out, want, sizeof want);
}

/* Ensure that the entry MAC covers every field but the MAC. */
static void
test_entry_fields(void **state)
{
	struct baseline_entry	 e;
	unsigned char		 a[32], b[32];
	char			*cause = NULL;

	(void)state;
	entry(&e);
	assert_int_equal(seal_entry(ikey, 32, "ac.me", "t\nx", &e, a,
	    &cause), 0);
	memset(e.mac, 0x55, sizeof e.mac);
	assert_int_equal(seal_entry(ikey, 32, "ac.me", "t\nx", &e, b,
	    &cause), 0);
	assert_memory_equal(a, b, 32);
	e.state = BASELINE_PRESENT;
	assert_int_equal(seal_entry(ikey, 32, "ac.me", "t\nx", &e, b,
	    &cause), 0);
	assert_memory_not_equal(a, b, 32);
	entry(&e);
	e.fp[31] ^= 1;
	assert_int_equal(seal_entry(ikey, 32, "ac.me", "t\nx", &e, b,
	    &cause), 0);
	assert_memory_not_equal(a, b, 32);
	/* The lengths keep "ac.me"+"t\nx" apart from "ac.met"+"\nx". */
	entry(&e);
	assert_int_equal(seal_entry(ikey, 32, "ac.met", "\nx", &e, b,
	    &cause), 0);
	assert_memory_not_equal(a, b, 32);
}

/* Ensure that the chunk MACs are the golden values ("dbsyscheck chunk v1"). */
static void
test_chunk_golden(void **state)
{
	static const unsigned char	 want[32] = {
		0x60, 0xca, 0x6f, 0xd8, 0x01, 0x08, 0xe6, 0xb5, 0x4e, 0x80,
		0x85, 0xb4, 0x8a, 0xbf, 0x4e, 0xf5, 0xac, 0x3a, 0x9b, 0x8b,
		0x92, 0x00, 0x1b, 0x4f, 0x06, 0x0a, 0x8e, 0xbb, 0x06, 0xfc,
		0xb7, 0x4a,
	};
	static const unsigned char	 wantopen[32] = {
		0x00, 0xab, 0x0e, 0x30, 0x71, 0x7b, 0x39, 0x1d, 0x25, 0x31,
		0xc1, 0x14, 0x52, 0xf7, 0x7d, 0xd8, 0x26, 0xe0, 0xe7, 0x20,
		0x22, 0xf8, 0x3d, 0x88, 0xb3, 0x31, 0x68, 0xc2, 0x8f, 0x5b,
		0x4c, 0x55,
	};
	struct baseline_chunk		 c;
	unsigned char			 out[32];
	char				*cause = NULL;

	(void)state;
	chunk(&c, 0);
	assert_int_equal(seal_chunk(ikey, 32, 7, &c, out, &cause), 0);
	assert_memory_equal(out, want, sizeof want);
	chunk(&c, 1);
	assert_int_equal(seal_chunk(ikey, 32, 7, &c, out, &cause), 0);
	assert_memory_equal(out, wantopen, sizeof wantopen);
}

/* Ensure that the key check is the golden value, 16 bytes of its MAC. */
static void
test_keycheck_golden(void **state)
{
	static const unsigned char	 want[BASELINE_KEYCHECK_LEN] = {
		0xe6, 0xcd, 0x82, 0x03, 0x71, 0x50, 0x60, 0x20, 0x93, 0x8a,
		0xb7, 0xdd, 0x81, 0xbe, 0x15, 0x3c,
	};
	unsigned char			 out[BASELINE_KEYCHECK_LEN];
	char				*cause = NULL;

	(void)state;
	assert_int_equal(seal_keycheck(ikey, out, &cause), 0);
	assert_null(cause);
	assert_memory_equal(out, want, sizeof want);
}

/*
 * Ensure that the four labels are distinct: the same bytes sealed as a
 * list and as the key check's input give different MACs, and no seal of
 * one kind equals another's on the same key.
 */
static void
test_labels_distinct(void **state)
{
	unsigned char	 m[4][32], kc[BASELINE_KEYCHECK_LEN];
	char		*cause = NULL;
	size_t		 i, j;
	struct baseline_chunk c;
	struct baseline_entry e;

	(void)state;
	assert_int_equal(seal_list(ikey, 32, "", 0, m[0], &cause), 0);
	assert_int_equal(seal_keycheck(ikey, kc, &cause), 0);
	memset(m[1], 0, 32);
	memcpy(m[1], kc, sizeof kc);
	entry(&e);
	assert_int_equal(seal_entry(ikey, 32, "", "", &e, m[2], &cause), 0);
	chunk(&c, 1);
	assert_int_equal(seal_chunk(ikey, 32, 7, &c, m[3], &cause), 0);
	for (i = 0; i < 4; i++)
		for (j = i + 1; j < 4; j++)
			assert_memory_not_equal(m[i], m[j],
			    BASELINE_KEYCHECK_LEN);
	/* The list MAC of nothing is not the key check's MAC of nothing. */
	assert_memory_not_equal(m[0], kc, sizeof kc);
}

/*
 * Ensure that a failing HMAC makes the key check fail with a cause and
 * leave out untouched (before seal.c, main.c's keycheck_of wrote zeros
 * and a new baseline stored them).
 */
static void
test_keycheck_fails(void **state)
{
	unsigned char	 out[BASELINE_KEYCHECK_LEN];
	char		*cause = NULL;
	size_t		 i;

	(void)state;
	memset(out, 0x77, sizeof out);
	fail_mac = 1;
	assert_int_equal(seal_keycheck(ikey, out, &cause), -1);
	fail_mac = 0;
	assert_non_null(cause);
	assert_string_equal(cause, "HMAC: injected failure");
	free(cause);
	for (i = 0; i < sizeof out; i++)
		assert_int_equal(out[i], 0x77);
}

/* Ensure that every other seal passes a failing HMAC on too. */
static void
test_seals_fail(void **state)
{
	struct baseline_entry	 e;
	struct baseline_chunk	 c;
	unsigned char		 out[32];
	char			*cause = NULL;

	(void)state;
	entry(&e);
	chunk(&c, 0);
	fail_mac = 1;
	assert_int_equal(seal_list(ikey, 32, list, sizeof list, out, &cause),
	    -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(seal_entry(ikey, 32, "a", "b", &e, out, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(seal_chunk(ikey, 32, 1, &c, out, &cause), -1);
	assert_non_null(cause);
	free(cause);
	fail_mac = 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_list_golden, setup),
		cmocka_unit_test_setup(test_entry_golden, setup),
		cmocka_unit_test_setup(test_entry_fields, setup),
		cmocka_unit_test_setup(test_chunk_golden, setup),
		cmocka_unit_test_setup(test_keycheck_golden, setup),
		cmocka_unit_test_setup(test_labels_distinct, setup),
		cmocka_unit_test_setup(test_keycheck_fails, setup),
		cmocka_unit_test_setup(test_seals_fail, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for reconcile: recon_judge, the word for a key's record. */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "reconcile.h"
#include "rowenc.h"

/*
 * Row digests: A and A2 hold the same bytes at two addresses (compared
 * by bytes, not by pointer), B differs from A in its last byte only, C
 * in its first only.
 */
static unsigned char	 A[ROWENC_DIGEST_LEN], A2[ROWENC_DIGEST_LEN];
static unsigned char	 B[ROWENC_DIGEST_LEN], C[ROWENC_DIGEST_LEN];

#define NOROW	NULL

struct judge_case {
	const char		*name;
	int			 found;
	const unsigned char	*before, *after;	/* the log's net effect */
	const unsigned char	*old, *new;		/* stored, row now */
	int			 truncated;
	int			 text;
	const char		*want;			/* NULL: explained */
};

static const struct judge_case cases[] = {
	/* No row event on the key: the scan's change is not in the log. */
	{ "unlogged insert", 0, NULL, NULL, NOROW, B, 0, 0, "none" },
	{ "unlogged update", 0, NULL, NULL, A, B, 0, 0, "none" },
	{ "unlogged delete", 0, NULL, NULL, A, NOROW, 0, 0, "none" },
	/* TRUNCATE or DROP removes rows without row events ... */
	{ "truncated delete", 0, NULL, NULL, A, NOROW, 1, 0, NULL },
	{ "truncated delete, text", 0, NULL, NULL, A, NOROW, 1, 1, NULL },
	/* ... but puts none back nor changes one. */
	{ "truncated insert", 0, NULL, NULL, NOROW, B, 1, 0, "none" },
	{ "truncated update", 0, NULL, NULL, A, B, 1, 0, "none" },
	/* A statement logged as text may have made it. */
	{ "text insert", 0, NULL, NULL, NOROW, B, 0, 1, "text" },
	{ "text update", 0, NULL, NULL, A, B, 0, 1, "text" },
	{ "text delete", 0, NULL, NULL, A, NOROW, 0, 1, "text" },
	{ "truncated text update", 0, NULL, NULL, A, B, 1, 1, "text" },

	/* Row events whose net effect is what the scan found. */
	{ "logged insert", 1, NOROW, B, NOROW, B, 0, 0, NULL },
	{ "logged update", 1, A, B, A, B, 0, 0, NULL },
	{ "logged delete", 1, A, NOROW, A, NOROW, 0, 0, NULL },
	{ "same bytes elsewhere", 1, A2, B, A, B, 0, 0, NULL },
	{ "logged update, text", 1, A, B, A, B, 0, 1, NULL },
	{ "logged update, truncated", 1, A, B, A, B, 1, 0, NULL },
	/* Events, then TRUNCATE: the reader leaves no row after. */
	{ "truncated after events", 1, A, NOROW, A, NOROW, 1, 0, NULL },

	/* The log's after image is not the row now. */
	{ "after differs", 1, A, B, A, C, 0, 0, "update" },
	{ "after differs, truncated", 1, A, B, A, C, 1, 0, "update" },
	{ "after differs, text", 1, A, B, A, C, 0, 1, "text" },
	{ "after a row, none now", 1, A, B, A, NOROW, 0, 0, "update" },
	{ "after no row, one now", 1, A, NOROW, A, B, 0, 0, "delete" },
	{ "truncated, one now", 1, A, NOROW, A, B, 1, 0, "delete" },

	/* Its before image is not the stored row. */
	{ "before differs", 1, C, B, A, B, 0, 0, "update" },
	{ "before differs, text", 1, C, B, A, B, 0, 1, "text" },
	{ "before a row, none stored", 1, A, B, NOROW, B, 0, 0, "update" },
	{ "before no row, one stored", 1, NOROW, B, A, B, 0, 0, "insert" },
	/* TRUNCATE in the interval: the first event may follow it. */
	{ "before differs, truncated", 1, C, B, A, B, 1, 0, NULL },
	{ "before no row, truncated", 1, NOROW, B, A, B, 1, 0, NULL },

	/* Every logged= word. */
	{ "logged=insert", 1, NOROW, C, A, B, 0, 0, "insert" },
	{ "logged=delete", 1, C, NOROW, A, B, 0, 0, "delete" },
	{ "logged=update", 1, C, A, NOROW, B, 0, 0, "update" },
	{ "logged=same", 1, A, A2, A, B, 0, 0, "same" },
	{ "logged=same, no row", 1, NOROW, NOROW, A, NOROW, 0, 0, "same" },
	{ "logged=same, deleted", 1, NOROW, NOROW, NOROW, B, 0, 0, "same" },
	{ "logged=text", 1, A, A, A, B, 0, 1, "text" },
	{ "logged=none", 0, NULL, NULL, A, C, 0, 0, "none" },
};

static void
digests_init(void)
{
	memset(A, 0x5a, sizeof A);
	memcpy(A2, A, sizeof A2);
	memcpy(B, A, sizeof B);
	B[sizeof B - 1] ^= 1;
	memcpy(C, A, sizeof C);
	C[0] ^= 0x80;
}

/*
 * Ensure that recon_judge gives the contract's word (or NULL when the
 * log explains the change) for every case of the table.
 */
static void
test_judge_table(void **state)
{
	const struct judge_case	*c;
	const char		*got;
	size_t			 i;
	int			 bad = 0;

	(void)state;
	digests_init();
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c = &cases[i];
		got = recon_judge(c->found, c->before, c->after, c->old,
		    c->new, c->truncated, c->text);
		if ((got == NULL) != (c->want == NULL) ||
		    (got != NULL && strcmp(got, c->want) != 0)) {
			print_error("%s: want %s, got %s\n", c->name,
			    c->want != NULL ? c->want : "NULL",
			    got != NULL ? got : "NULL");
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* Ensure that every word recon_judge gives is one docs/FORMAT.md lists. */
static void
test_judge_words(void **state)
{
	static const char *const words[] = { "none", "insert", "update",
	    "delete", "same", "text" };
	const unsigned char	*rows[] = { NULL, A, B };
	const char		*got;
	size_t			 w, seen[6] = { 0 };
	int			 f, b, a, o, n, t, x, ok;

	(void)state;
	digests_init();
	for (f = 0; f < 2; f++)
	for (b = 0; b < 3; b++)
	for (a = 0; a < 3; a++)
	for (o = 0; o < 3; o++)
	for (n = 0; n < 3; n++)
	for (t = 0; t < 2; t++)
	for (x = 0; x < 2; x++) {
		got = recon_judge(f, f ? rows[b] : NULL, f ? rows[a] : NULL,
		    rows[o], rows[n], t, x);
		if (got == NULL)
			continue;
		for (ok = 0, w = 0; w < 6; w++) {
			if (strcmp(got, words[w]) == 0) {
				seen[w]++;
				ok = 1;
			}
		}
		if (!ok)
			fail_msg("unknown word %s", got);
		/* text only when a text statement is in the interval. */
		if (strcmp(got, "text") == 0)
			assert_int_equal(x, 1);
	}
	for (w = 0; w < 6; w++)
		if (seen[w] == 0)
			fail_msg("%s never given", words[w]);
}

/*
 * Ensure that a change the log explains is never reported, whatever is
 * in the interval: the net effect is exactly the scan's change.
 */
static void
test_judge_explained(void **state)
{
	const unsigned char	*rows[] = { NULL, A, B };
	int			 o, n, t, x;

	(void)state;
	digests_init();
	for (o = 0; o < 3; o++)
	for (n = 0; n < 3; n++)
	for (t = 0; t < 2; t++)
	for (x = 0; x < 2; x++)
		assert_null(recon_judge(1, rows[o], rows[n], rows[o],
		    rows[n], t, x));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_judge_table),
		cmocka_unit_test(test_judge_words),
		cmocka_unit_test(test_judge_explained),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

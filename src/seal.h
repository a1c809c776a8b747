/* Every MAC that seals the baseline, and its label: one file owns them. */
#ifndef SEAL_H
#define SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "baseline.h"
#include "rowenc.h"

/*
 * Each function computes one MAC under the installation key into out
 * (ROWENC_MAC_LEN bytes, or BASELINE_KEYCHECK_LEN for the key check) and
 * returns 0, or -1 with an allocated *cause when OpenSSL or memory fails;
 * out is then undefined and must not be stored. The labels ("dbsyscheck
 * tables v2", ...) are part of the baseline format: changing one is a
 * format change (tests/unit/test_seal.c holds their golden values).
 */

/* The list of tables a baseline holds ("db\0name\0" pairs). */
int	 seal_list(const unsigned char *, size_t, const void *, size_t,
	    unsigned char[ROWENC_MAC_LEN], char **);
/* A table entry of DB.NAME: every field but the MAC itself. */
int	 seal_entry(const unsigned char *, size_t, const char *, const char *,
	    const struct baseline_entry *, unsigned char[ROWENC_MAC_LEN],
	    char **);
/* A stored chunk of table tid: position, bound, count, aggregate. */
int	 seal_chunk(const unsigned char *, size_t, int64_t,
	    const struct baseline_chunk *, unsigned char[ROWENC_MAC_LEN],
	    char **);
/* The key check a baseline stores to recognise its key (KEY_LEN bytes). */
int	 seal_keycheck(const unsigned char *,
	    unsigned char[BASELINE_KEYCHECK_LEN], char **);

#endif

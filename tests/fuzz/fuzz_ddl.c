/* libFuzzer target: the DDL tokenizer, as a hostile binary log feeds it. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ddl.h"
#include "fuzz_check.h"

/*
 * The input is the default database (two bytes of length, little-endian,
 * then the name: fuzz_take) followed by the statement, each copied to a
 * buffer of its exact size so that a read past either is caught.
 */
int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
check(void *arg, enum ddl_stmt kind, const char *db, size_t dblen,
    const char *name, size_t namelen)
{
	static volatile unsigned int sink;
	const char	*k;
	size_t		*n = arg, i;

	k = ddl_name(kind);
	FUZZ_ASSERT(strcmp(k, "unknown") != 0, "kind %d", (int)kind);
	/* No database: a statement that may have written any table. */
	FUZZ_ASSERT((db != NULL && dblen > 0 && dblen <= DDL_IDENT_MAX) ||
	    (db == NULL && name == NULL && kind == DDL_DML),
	    "db length %zu", dblen);
	FUZZ_ASSERT(name != NULL || kind == DDL_DROP || kind == DDL_DML,
	    "no name for %s", k);
	FUZZ_ASSERT(name == NULL || (namelen > 0 && namelen <= DDL_IDENT_MAX),
	    "name length %zu", namelen);
	/* Every byte handed out must be readable (ASan says if not). */
	for (i = 0; i < dblen; i++)
		sink += (unsigned char)db[i];
	for (i = 0; name != NULL && i < namelen; i++)
		sink += (unsigned char)name[i];
	(*n)++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in	 in = { data, size };
	const char	*db;
	char		*dbc = NULL, *stmt = NULL;
	size_t		 dblen, n = 0;

	db = fuzz_take(&in, &dblen);
	if (db != NULL && dblen > 0) {
		dbc = malloc(dblen);
		if (dbc == NULL)
			return 0;
		memcpy(dbc, db, dblen);
	}
	if (in.left > 0) {
		if ((stmt = malloc(in.left)) == NULL) {
			free(dbc);
			return 0;
		}
		memcpy(stmt, in.p, in.left);
	}
	FUZZ_ASSERT(ddl_parse(stmt, in.left, dbc, dblen, check, &n) == 0,
	    "%s", "ddl_parse failed without a failing callback");
	/* Each name is at least one byte of the statement, and one "all". */
	FUZZ_ASSERT(n <= in.left + 1, "%zu names from %zu bytes", n, in.left);
	free(stmt);
	free(dbc);
	return 0;
}

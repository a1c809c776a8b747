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

/*
 * The statement's lines as a group's statements, each with its own mark
 * (every other one pending, filled at the next): savepoints kept stay
 * within their bounds, a rollback gives a mark given before.
 */
static void
savepoints(const char *stmt, size_t len)
{
	struct ddl_savepoints	 s;
	const char		*p = stmt, *nl;
	int64_t			 mark = 0, to, first;
	size_t			 n;
	enum ddl_sp		 r;

	ddl_sp_clear(&s);
	while (p != NULL && p < stmt + len) {
		nl = memchr(p, '\n', (size_t)(stmt + len - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(stmt + len - p);
		mark++;
		to = first = -2;
		r = ddl_sp_stmt(&s, p, n, mark % 2 ? mark : DDL_SP_PENDING,
		    &to, &first);
		FUZZ_ASSERT(r == DDL_SP_OTHER || r == DDL_SP_DONE ||
		    r == DDL_SP_ROLLBACK || r == DDL_SP_UNSURE ||
		    r == DDL_SP_UNKNOWN, "%d", (int)r);
		FUZZ_ASSERT((r != DDL_SP_ROLLBACK && r != DDL_SP_UNSURE) ||
		    to == DDL_SP_PENDING || (to >= 1 && to <= mark),
		    "mark %lld of %lld", (long long)to, (long long)mark);
		/* Unsure: rows between a first mark and a later last one. */
		FUZZ_ASSERT(r != DDL_SP_UNSURE || (first >= 1 &&
		    (to == DDL_SP_PENDING || first < to)),
		    "first %lld, last %lld", (long long)first, (long long)to);
		FUZZ_ASSERT(s.n <= DDL_SP_MAX && s.pending <= s.n,
		    "%zu kept, %zu pending", s.n, s.pending);
		if (mark % 2 == 1)
			ddl_sp_fill(&s, mark);
		FUZZ_ASSERT(mark % 2 == 0 || s.pending == 0, "%zu pending",
		    s.pending);
		p = nl != NULL ? nl + 1 : NULL;
	}
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
	savepoints(stmt, in.left);
	free(stmt);
	free(dbc);
	return 0;
}

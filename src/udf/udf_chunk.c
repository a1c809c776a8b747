/* dbsyscheck_chunk(): chunk mode's aggregate, computed in the server. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "chunkhash.h"
#include "udf.h"

/*
 * dbsyscheck_chunk(varlen, c1, c2, ...) is an aggregate function: over the
 * rows of a group, the XOR of every row's hash (chunkhash.c), the same
 * value as source_chunk's SQL expression
 *
 *	BIT_XOR(CAST(CONV(LEFT(SHA2(CONCAT_WS('#', CONCAT(ISNULL(c1), ...),
 *	    LENGTH(c1), ..., c1, ...), 256), 16), 16, 10) AS UNSIGNED))
 *
 * without building the text, its hexadecimal digest and its conversions
 * for every row; and with no row too long for max_allowed_packet.
 * varlen is a constant string of one '0' or '1' per column ('1': its byte
 * length is part of the text). _init asks the server for every column as
 * a string, the text CONCAT_WS would see. The result is the aggregate's
 * 64 bits as a BIGINT (0 for no row). The state lives in initid->ptr: one
 * per use of the function in a statement, so the function is thread-safe
 * and keeps nothing between statements.
 */
#define CHUNK_MAX_COLUMNS	4096

struct chunk_state {
	unsigned int	 ncols;
	unsigned char	 agg[CHUNKHASH_AGG_LEN];
	unsigned char	 varlen[];
};

bool
dbsyscheck_chunk_init(UDF_INIT *initid, UDF_ARGS *args, char *message)
{
	struct chunk_state	*st;
	unsigned int		 i, n;

	if (args->arg_count < 2 || args->arg_count - 1 > CHUNK_MAX_COLUMNS)
		return udf_init_error(message, "dbsyscheck_chunk(varlen, "
		    "column, ...): 1 to %d columns", CHUNK_MAX_COLUMNS);
	n = args->arg_count - 1;
	if (args->arg_type[0] != STRING_RESULT || args->args[0] == NULL ||
	    args->lengths[0] != n)
		return udf_init_error(message, "dbsyscheck_chunk: the first "
		    "argument must be a constant of one 0 or 1 per column");
	for (i = 0; i < n; i++) {
		if (args->args[0][i] != '0' && args->args[0][i] != '1')
			return udf_init_error(message, "dbsyscheck_chunk: "
			    "the first argument must be made of 0 and 1");
	}
	if ((st = calloc(1, sizeof *st + n)) == NULL)
		return udf_init_error(message, "dbsyscheck_chunk: out of "
		    "memory");
	st->ncols = n;
	for (i = 0; i < n; i++) {
		st->varlen[i] = args->args[0][i] == '1';
		args->arg_type[i + 1] = STRING_RESULT;
	}
	initid->ptr = (char *)st;
	initid->maybe_null = 0;
	initid->const_item = 0;
	return 0;
}

void
dbsyscheck_chunk_deinit(UDF_INIT *initid)
{
	free(initid->ptr);
	initid->ptr = NULL;
}

void
dbsyscheck_chunk_clear(UDF_INIT *initid, char *is_null, char *error)
{
	struct chunk_state	*st = (struct chunk_state *)initid->ptr;

	(void)is_null;
	(void)error;
	memset(st->agg, 0, sizeof st->agg);
}

void
dbsyscheck_chunk_add(UDF_INIT *initid, UDF_ARGS *args, char *is_null,
    char *error)
{
	struct chunk_state	*st = (struct chunk_state *)initid->ptr;

	(void)is_null;
	if (args->arg_count != st->ncols + 1) {
		*error = 1;
		return;
	}
	chunkhash_row((const char *const *)args->args + 1, args->lengths + 1,
	    st->ncols, st->varlen, st->agg);
}

long long
dbsyscheck_chunk(UDF_INIT *initid, UDF_ARGS *args, char *is_null,
    char *error)
{
	struct chunk_state	*st = (struct chunk_state *)initid->ptr;
	unsigned long long	 v = 0;
	size_t			 i;

	(void)args;
	(void)is_null;
	(void)error;
	for (i = 0; i < sizeof st->agg; i++)
		v = v << 8 | st->agg[i];
	return (long long)v;
}

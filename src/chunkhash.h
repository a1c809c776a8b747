/* The per-row hash of chunk mode, shared by the scanner and the UDF. */
#ifndef CHUNKHASH_H
#define CHUNKHASH_H

#include <stddef.h>

/*
 * The chunk aggregate: the one definition of its length (rowenc.h,
 * source_mysql and the UDF use this one). On the server it is a 64-bit
 * BIGINT: LEFT(SHA2(...), 16) hex digits in SQL, a long long in the UDF.
 */
#define CHUNKHASH_AGG_LEN	8

void	 chunkhash_row(const char *const *, const unsigned long *, size_t,
	    const unsigned char *, unsigned char[CHUNKHASH_AGG_LEN]);

#endif

/* The per-row hash of chunk mode, shared by the scanner and the UDF. */
#ifndef CHUNKHASH_H
#define CHUNKHASH_H

#include <stddef.h>

#define CHUNKHASH_AGG_LEN	8

void	 chunkhash_row(const char *const *, const unsigned long *, size_t,
	    const unsigned char *, unsigned char[CHUNKHASH_AGG_LEN]);

#endif

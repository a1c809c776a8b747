/* The trigger token file: the one reader and writer of its bytes. */
#ifndef TOKEN_H
#define TOKEN_H

#include <stddef.h>

/*
 * Pure: no xmalloc, no printing, nothing that exits; the scanner
 * (triggers.c) and the UDF library (udf/udf_env.c) link the same copy, so
 * both accept exactly the same files. Functions return TOKEN_OK or one of
 * the TOKEN_E* reasons (TOKEN_ESYS: errno says why); each caller words its
 * own message. A token is TOKEN_LEN lowercase hex characters in a buffer
 * of the caller's, which the caller wipes (secret_wipe) after use.
 */
#define TOKEN_LEN	64		/* lowercase hex characters */
#define TOKEN_BYTES	(TOKEN_LEN / 2)	/* random bytes behind them */
#define TOKEN_MODE	0640		/* the server's group reads it */

#define TOKEN_OK	0
#define TOKEN_ESYS	1	/* open, fstat or read failed: errno */
#define TOKEN_ENOTREG	2	/* not a regular file */
#define TOKEN_EOWNER	3	/* owned by neither root nor the reader */
#define TOKEN_EMODE	4	/* world-accessible or group-writable */
#define TOKEN_EFORMAT	5	/* not TOKEN_LEN hex digits (+ newline) */
#define TOKEN_ERANDOM	6	/* getrandom failed: errno */

int	 token_open(const char *);
int	 token_read(int, char[TOKEN_LEN + 1]);
int	 token_load(const char *, char[TOKEN_LEN + 1]);
int	 token_write(int);

#endif

/* Secrets: wiping them, the system's random bytes, and hex text. */
#ifndef SECRET_H
#define SECRET_H

#include <stddef.h>

/*
 * Pure: no xmalloc, no printing, nothing that exits; the scanner and the
 * UDF library link the same copy. The caller owns every buffer; errors
 * are -1 with errno set, and the caller words the message.
 */
void	 secret_wipe(void *, size_t);
int	 secret_random(void *, size_t);
void	 secret_hex(char *, const void *, size_t);
int	 secret_is_hex(const void *, size_t);

#endif

/* The installation key: a 32-byte secret file, created on first use. */
#ifndef KEY_H
#define KEY_H

#include <stddef.h>

#define KEY_LEN	32

/* key_load's answers; a new key waits at PATH.new for key_commit. */
#define KEY_READ		0
#define KEY_CREATED		1
#define KEY_PENDING		2
#define KEY_PENDING_SUFFIX	".new"

int	 key_load(const char *, int, unsigned char[KEY_LEN], char **);
int	 key_commit(const char *, const unsigned char[KEY_LEN], char **);

#endif

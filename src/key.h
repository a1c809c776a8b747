/* The installation key: a 32-byte secret file, created on first use. */
#ifndef KEY_H
#define KEY_H

#include <stddef.h>

#define KEY_LEN	32

int	 key_load(const char *, int, unsigned char[KEY_LEN], char **);

#endif

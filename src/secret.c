/* Secrets: wiping them, the system's random bytes, and hex text. */
#include "config.h"

#include <sys/random.h>

#include <errno.h>
#include <string.h>

#include "secret.h"

static const char secret_hexdigits[] = "0123456789abcdef";

/* Overwrite a secret so that the compiler cannot elide it. */
void
secret_wipe(void *p, size_t n)
{
#ifdef HAVE_EXPLICIT_BZERO
	explicit_bzero(p, n);
#else
	volatile unsigned char	*v = p;

	while (n-- > 0)
		*v++ = 0;
#endif
}

/*
 * Fill n bytes from the system's random source (getrandom, EINTR
 * retried): 0, or -1 with errno set (and the bytes wiped).
 */
int
secret_random(void *p, size_t n)
{
	unsigned char	*u = p;
	size_t		 got = 0;
	ssize_t		 r;

	while (got < n) {
		r = getrandom(u + got, n - got, 0);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			secret_wipe(p, n);
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

/* Write the 2 * n lowercase hex digits of n bytes to out (no NUL). */
void
secret_hex(char *out, const void *in, size_t n)
{
	const unsigned char	*p = in;
	size_t			 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = secret_hexdigits[p[i] >> 4];
		out[2 * i + 1] = secret_hexdigits[p[i] & 0xf];
	}
}

/* 1 when all n bytes are lowercase hex digits. */
int
secret_is_hex(const void *in, size_t n)
{
	const unsigned char	*p = in;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (!((p[i] >= '0' && p[i] <= '9') ||
		    (p[i] >= 'a' && p[i] <= 'f')))
			return 0;
	}
	return 1;
}

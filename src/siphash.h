/* SipHash-2-4, the keyed 64-bit PRF of Aumasson and Bernstein. */
#ifndef SIPHASH_H
#define SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define SIPHASH_KEY_LEN	16

uint64_t	 siphash24(const unsigned char[SIPHASH_KEY_LEN], const void *,
		    size_t);

#endif

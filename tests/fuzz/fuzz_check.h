/* Invariant checks and input splitting shared by the fuzz targets. */
#ifndef FUZZ_CHECK_H
#define FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/*
 * Every failed check prints what it found and aborts, which libFuzzer
 * reports as a crash and saves the input that caused it.
 */
#define FUZZ_ASSERT(c, ...) do {					\
	if (!(c))							\
		fuzz_fail(__FILE__, __LINE__, #c, __VA_ARGS__);		\
} while (0)

void	 fuzz_fail(const char *, int, const char *, const char *, ...)
	    __attribute__((format(printf, 4, 5), noreturn));

/* The fuzz input, taken apart front to back. */
struct fuzz_in {
	const uint8_t	*p;
	size_t		 left;
};

unsigned int	 fuzz_byte(struct fuzz_in *);
const char	*fuzz_take(struct fuzz_in *, size_t *);

/*
 * Percent-decode n bytes into out (reset first); -1 when a '%' is not
 * followed by two upper-case hex digits. With cut set, a final RECORD_CUT
 * is allowed and *cut says whether it was there.
 */
int	 fuzz_pct_decode(const char *, size_t, struct buf *, int *);

/* Check a record body: the record format of docs/FORMAT.md. */
void	 fuzz_check_record(const char *, size_t);

/* Check that n bytes are one JSON object (RFC 8259); its member count. */
size_t	 fuzz_check_json_object(const char *, size_t);

#endif

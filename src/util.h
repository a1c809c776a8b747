/* Small helpers: bounded number parsing, secret wiping, file checks. */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>
#include <sys/stat.h>

long long	 util_strtonum(const char *, long long, long long,
		    const char **);
void		 util_wipe(void *, size_t);
int		 util_check_file(int, const char *, int, char **);
int		 util_mkdir_parent(const char *, char **);
int		 util_timingsafe_eq(const void *, const void *, size_t);

/* Flags for util_check_file. */
#define UTIL_SECRET	0x1	/* refuse group/world-readable too */

#endif

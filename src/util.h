/* Small helpers: bounded number parsing, secret wiping, file checks. */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

long long	 util_strtonum(const char *, long long, long long,
		    const char **);
long long	 util_strtocount(const char *, long long, const char **);
void		 util_wipe(void *, size_t);
int		 util_check_file(int, const char *, int, char **);
int		 util_check_path(const char *, int, char **);
int		 util_open(const char *, int, mode_t, int, char **);
int		 util_mkdir_parent(const char *, char **);
int		 util_sync_dir(const char *, char **);
int		 util_timingsafe_eq(const void *, const void *, size_t);
ssize_t		 util_read_full(int, void *, size_t, const char *, char **);

/* Flags for util_check_file, util_check_path and util_open. */
#define UTIL_SECRET	0x1	/* refuse group/world-readable too */
#define UTIL_DIR	0x2	/* the path names a directory */
#define UTIL_MAYBE	0x4	/* util_check_path: it may be missing (1) */
#define UTIL_FOLLOW	0x8	/* util_open: a checked link may be opened */

#define UTIL_MAX_LINKS	32	/* symbolic links followed in one path */

#endif

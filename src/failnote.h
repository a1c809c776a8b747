/* The note a scan that could not run leaves for report. */
#ifndef FAILNOTE_H
#define FAILNOTE_H

#include <stdint.h>

/* A note; its msg belongs to the caller (failnote_free). */
struct failnote {
	int	 tamper;	/* the baseline was tampered with */
	int64_t	 when;		/* when the scan failed (Unix time) */
	char	*msg;
};

int	 failnote_write(const char *, int, const char *, char **);
int	 failnote_read(const char *, struct failnote *, char **);
int	 failnote_clear(const char *, char **);
void	 failnote_free(struct failnote *);

#endif

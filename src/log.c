/* Messages for people, on standard error. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

/*
 * Print "dbsyscheck: message" on standard error as one line: control bytes
 * (which could come from names or server messages) become '?'.
 */
void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[2048];
	size_t	 i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	for (i = 0; msg[i] != '\0'; i++) {
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			msg[i] = '?';
	}
	fprintf(stderr, "dbsyscheck: %s\n", msg);
	fflush(stderr);
}

/* Messages for people, on standard error. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "record.h"

/* Longest message before encoding; the rest is cut, marked RECORD_CUT. */
#define LOG_MSG_MAX	2048

/*
 * The one place that prints messages: "dbsyscheck: " and the message
 * encoded as record values are (record_pct with RECORD_TEXT), then end.
 * Names and server texts inside a message are caller-controlled, so every
 * byte outside printable ASCII and every one of " % ; = \ ` | becomes %XX:
 * no message can hold a line break, a '=' or a ';', so none reads as a
 * record (docs/SECURITY.md). Spaces, ',' and '\'' stay, for people.
 */
static void
log_emit(const char *end, const char *fmt, va_list ap)
{
	struct buf	 out;
	char		 msg[LOG_MSG_MAX];
	size_t		 len;
	int		 n;

	n = vsnprintf(msg, sizeof msg, fmt, ap);
	len = n < 0 ? 0 : (size_t)n >= sizeof msg ? sizeof msg - 1 : (size_t)n;
	buf_init(&out, BUF_NOCAP);
	if (record_pct(&out, msg, len, RECORD_TEXT) == -1 ||
	    ((size_t)n >= sizeof msg && buf_adds(&out, RECORD_CUT) == -1)) {
		buf_free(&out);
		fprintf(stderr, "dbsyscheck: (message lost: out of memory)%s",
		    end);
	} else
		fprintf(stderr, "dbsyscheck: %s%s", buf_str(&out), end);
	buf_free(&out);
	fflush(stderr);
}

/* Print one message line on standard error. */
void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_emit("\n", fmt, ap);
	va_end(ap);
}

/*
 * Print a progress message that the next one overwrites: after a carriage
 * return, without a newline unless last is set.
 */
void
log_progress(int last, const char *fmt, ...)
{
	va_list	 ap;

	fputc('\r', stderr);
	va_start(ap, fmt);
	log_emit(last ? "\n" : "", fmt, ap);
	va_end(ap);
}

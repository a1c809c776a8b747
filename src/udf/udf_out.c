/* Lines out of the UDF: one write(2) each, to the error log or a file. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "record.h"
#include "udf.h"

#define UDF_STAMP_LEN	sizeof "2026-11-26T15:04:05Z "
#define UDF_LINE_MAX	(UDF_STAMP_LEN + sizeof RECORD_PREFIX + 16384)

/*
 * Write [timestamp ][RECORD_PREFIX]text and a newline with a single
 * write(2), so that lines of concurrent server threads never interleave
 * (O_APPEND: the server opens its error log that way, we open the file
 * that way). A dedicated file is opened for every line, which follows a
 * log rotation at once; when it cannot be opened the line goes to
 * standard error, the error log, rather than nowhere. 0 when written.
 */
int
udf_write(const struct udf_env *e, const char *text, size_t len, int flags)
{
	char		 stack[4608], *line = stack;
	struct tm	 tm;
	time_t		 now;
	size_t		 n = 0, need;
	ssize_t		 w;
	int		 fd = STDERR_FILENO, r = -1;

	if (len > UDF_LINE_MAX)
		return -1;
	need = UDF_STAMP_LEN + sizeof RECORD_PREFIX + len + 1;
	if (need > sizeof stack && (line = malloc(need)) == NULL)
		return -1;
	if (e->timestamp) {
		now = time(NULL);
		if (gmtime_r(&now, &tm) == NULL ||
		    (n = strftime(line, UDF_STAMP_LEN, "%Y-%m-%dT%H:%M:%SZ ",
		    &tm)) != UDF_STAMP_LEN - 1)
			n = 0;
	}
	if (flags & UDF_RECORD) {
		memcpy(line + n, RECORD_PREFIX, sizeof RECORD_PREFIX - 1);
		n += sizeof RECORD_PREFIX - 1;
	}
	memcpy(line + n, text, len);
	n += len;
	line[n++] = '\n';
	if (e->log_path != NULL) {
		fd = open(e->log_path, O_WRONLY | O_APPEND | O_CREAT |
		    O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0640);
		if (fd == -1)
			fd = STDERR_FILENO;
	}
	do
		w = write(fd, line, n);
	while (w == -1 && errno == EINTR);
	if (w >= 0 && (size_t)w == n)
		r = 0;
	if (fd != STDERR_FILENO)
		close(fd);
	if (line != stack)
		free(line);
	return r;
}

/* Fill an _init message (MYSQL_ERRMSG_SIZE bytes) and return 1 (failure). */
int
udf_init_error(char *message, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(message, MYSQL_ERRMSG_SIZE, fmt, ap);
	va_end(ap);
	if (n < 0)
		snprintf(message, MYSQL_ERRMSG_SIZE, "dbsyscheck UDF: error");
	else if ((size_t)n >= MYSQL_ERRMSG_SIZE)
		memcpy(message + MYSQL_ERRMSG_SIZE - 4, "...", 4);
	return 1;
}

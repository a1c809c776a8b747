/* Lines out of the UDF: one write(2) each, to the trigger log or stderr. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "record.h"
#include "udf.h"

#define UDF_STAMP_LEN	sizeof "2026-11-26T15:04:05Z "
#define UDF_LINE_MAX	(UDF_STAMP_LEN + sizeof RECORD_PREFIX + 16384)

/* All n bytes at p with one write(2); 0, or -1 with errno set. */
static int
put(int fd, const char *p, size_t n)
{
	ssize_t	 w;

	do
		w = write(fd, p, n);
	while (w == -1 && errno == EINTR);
	if (w == -1)
		return -1;
	if ((size_t)w != n) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/*
 * The trigger log stays open between records, shared by the server's
 * threads under out_lock. Before each write, lstat(2) of the path must
 * still name the open file (same device and inode, a regular file);
 * otherwise (rotated: renamed and created again; removed; replaced) the
 * path is opened again, so that no record goes to a rotated file and a
 * rotation needs no signal. out_path is the path the file was opened by.
 */
static pthread_mutex_t	 out_lock = PTHREAD_MUTEX_INITIALIZER;
static int		 out_fd = -1;
static char		*out_path;
static dev_t		 out_dev;
static ino_t		 out_ino;

/* Close the trigger log; out_lock held. */
static void
out_drop(void)
{
	if (out_fd != -1)
		(void)close(out_fd);
	out_fd = -1;
	free(out_path);
	out_path = NULL;
}

/*
 * Open path as the trigger log, without following a link, without
 * blocking, a regular file only; out_lock held. NULL, or why not.
 */
static const char *
out_open(const char *path)
{
	struct stat	 st;
	const char	*why;
	int		 fd;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
	    O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0640);
	if (fd == -1)
		return strerror(errno);
	if (fstat(fd, &st) == -1)
		why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	else if ((out_path = strdup(path)) == NULL)
		why = "out of memory";
	else {
		out_fd = fd;
		out_dev = st.st_dev;
		out_ino = st.st_ino;
		return NULL;
	}
	(void)close(fd);
	return why;
}

/* One line to the trigger log at path: NULL, or why it was lost. */
static const char *
out_log(const char *path, const char *line, size_t n)
{
	struct stat	 st;
	const char	*why = NULL;

	if (pthread_mutex_lock(&out_lock) != 0)
		return "cannot lock";
	if (out_fd != -1 && (strcmp(out_path, path) != 0 ||
	    lstat(path, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_dev != out_dev || st.st_ino != out_ino))
		out_drop();
	if (out_fd == -1)
		why = out_open(path);
	if (why == NULL && put(out_fd, line, n) == -1) {
		why = strerror(errno);
		out_drop();
	}
	(void)pthread_mutex_unlock(&out_lock);
	return why;
}

/* Close the trigger log (the library's unload). */
void
udf_out_close(void)
{
	if (pthread_mutex_lock(&out_lock) != 0)
		return;
	out_drop();
	(void)pthread_mutex_unlock(&out_lock);
}

/*
 * A line that could not go to the trigger log: say so on standard error,
 * the server's error log, as a line no decoder takes for a record (it
 * holds no "op="; the path is percent-encoded). The record itself is not
 * repeated there: anyone can write lines into the error log, so nothing
 * in it may look like a record that rules would trust.
 */
static void
udf_lost(const struct udf_env *e, const char *why)
{
	struct buf	 line;
	const char	*path = e->log_path != NULL ? e->log_path : "(unknown)";

	buf_init(&line, 2 * RECORD_MSG_MAX);
	if (buf_adds(&line, UDF_LOST) == 0 &&
	    record_pct(&line, path, strlen(path), 0) == 0 &&
	    buf_adds(&line, ": ") == 0 &&
	    buf_adds(&line, why) == 0 &&
	    buf_addc(&line, '\n') == 0)
		(void)put(STDERR_FILENO, line.data, line.len);
	else
		(void)put(STDERR_FILENO, UDF_LOST "(message too long)\n",
		    sizeof UDF_LOST "(message too long)\n" - 1);
	buf_free(&line);
}

/*
 * Write [timestamp ][RECORD_PREFIX]text and a newline with a single
 * write(2), so that lines of concurrent server threads never interleave
 * (O_APPEND). Records go to the trigger log only, checked before every
 * line (out_log), which follows a log rotation at once; when it cannot be
 * opened or written, the record is lost and a "record lost" line goes to the error
 * log instead. UDF_ERRLOG lines (log_error) go to standard error, the
 * error log, and never to the trigger log. 0 when written.
 */
int
udf_write(const struct udf_env *e, const char *text, size_t len, int flags)
{
	char		 stack[4608], *line = stack;
	const char	*why;
	struct tm	 tm;
	time_t		 now;
	size_t		 n = 0, need;
	int		 r = -1;

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
	if (flags & UDF_ERRLOG) {
		r = put(STDERR_FILENO, line, n);
		goto out;
	}
	if ((why = e->log_bad) == NULL &&
	    (why = out_log(e->log_path, line, n)) == NULL)
		r = 0;
	if (why != NULL)
		udf_lost(e, why);
out:
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

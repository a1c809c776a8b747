/* The note a scan that could not run leaves for report. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "failnote.h"
#include "util.h"
#include "xmalloc.h"

/*
 * BASELINE.failed holds "error MSG" or "tampered MSG" of the last scan
 * that failed before it could use the baseline (where its errors are
 * queued otherwise); its time is the file's. report repeats it at every
 * run until a scan gets as far as the baseline and removes it.
 */
#define FAILNOTE_MAX	2048

static char *
failnote_path(const char *baseline)
{
	return xasprintf("%s.failed", baseline);
}

/* Record that a scan failed with msg (tamper: at the tamper level). */
int
failnote_write(const char *baseline, int tamper, const char *msg,
    char **cause)
{
	const char	*kind = tamper ? "tampered " : "error ";
	char		*path, *text;
	size_t		 len;
	int		 fd, r = -1;

	path = failnote_path(baseline);
	text = xasprintf("%s%s", kind, msg);
	len = strlen(text);
	if (len > FAILNOTE_MAX)
		len = FAILNOTE_MAX;
	fd = util_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600, 0, cause);
	if (fd == -1)
		goto out;
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		close(fd);
		goto out;
	}
	if (close(fd) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	r = 0;
out:
	free(text);
	free(path);
	return r;
}

/* Read the note: 1 and *note filled, 0 when there is none, -1 on error. */
int
failnote_read(const char *baseline, struct failnote *note, char **cause)
{
	struct stat	 st;
	char		*path, buf[FAILNOTE_MAX + 1];
	size_t		 got = 0;
	ssize_t		 n;
	int		 fd, r = -1;

	memset(note, 0, sizeof *note);
	path = failnote_path(baseline);
	if ((fd = util_open(path, O_RDONLY, 0, 0, cause)) == -1) {
		if (errno == ENOENT) {
			free(*cause);
			*cause = NULL;
			r = 0;
		}
		free(path);
		return r;
	}
	if ((n = util_read_full(fd, buf, FAILNOTE_MAX, path, cause)) == -1)
		goto out;
	got = (size_t)n;
	buf[got] = '\0';
	if (fstat(fd, &st) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	note->when = (int64_t)st.st_mtime;
	if (strncmp(buf, "tampered ", 9) == 0) {
		note->tamper = 1;
		note->msg = xstrdup(buf + 9);
	} else if (strncmp(buf, "error ", 6) == 0)
		note->msg = xstrdup(buf + 6);
	else
		note->msg = xasprintf("%s: unreadable note", path);
	r = 1;
out:
	close(fd);
	free(path);
	return r;
}

/* Remove the note: a scan got as far as the baseline. */
int
failnote_clear(const char *baseline, char **cause)
{
	char	*path;
	int	 r = 0;

	path = failnote_path(baseline);
	if (unlink(path) == -1 && errno != ENOENT) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		r = -1;
	}
	free(path);
	return r;
}

/* Free what failnote_read filled in; NULL does nothing. */
void
failnote_free(struct failnote *note)
{
	if (note == NULL)
		return;
	free(note->msg);
	note->msg = NULL;
}

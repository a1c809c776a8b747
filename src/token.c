/* The trigger token file: the one reader and writer of its bytes. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "secret.h"
#include "token.h"

/*
 * Open path for reading as the token file: never through a symbolic link
 * as the last component, and never blocking (a FIFO would hang the reader,
 * a server thread in the UDF's case, until a writer came); O_NONBLOCK is
 * cleared again. The descriptor, or -1 with errno set.
 */
int
token_open(const char *path)
{
	int	 fd, fl, saved;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
	    O_NOCTTY);
	if (fd == -1)
		return -1;
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/*
 * Read the token from an open token file: a regular file owned by root or
 * by the reader's effective user, neither world-accessible nor
 * group-writable, holding TOKEN_LEN lowercase hex characters and an
 * optional newline, nothing else. token gets a NUL-terminated copy.
 */
int
token_read(int fd, char token[TOKEN_LEN + 1])
{
	struct stat	 st;
	char		 data[TOKEN_LEN + 2];
	size_t		 got = 0;
	ssize_t		 n;
	int		 r = TOKEN_EFORMAT;

	if (fstat(fd, &st) == -1)
		return TOKEN_ESYS;
	if (!S_ISREG(st.st_mode))
		return TOKEN_ENOTREG;
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return TOKEN_EOWNER;
	if (st.st_mode & (S_IRWXO | S_IWGRP))
		return TOKEN_EMODE;
	while (got < sizeof data) {
		n = read(fd, data + got, sizeof data - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			r = TOKEN_ESYS;
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got != TOKEN_LEN && (got != TOKEN_LEN + 1 ||
	    data[TOKEN_LEN] != '\n'))
		goto out;
	if (!secret_is_hex(data, TOKEN_LEN))
		goto out;
	memcpy(token, data, TOKEN_LEN);
	token[TOKEN_LEN] = '\0';
	r = TOKEN_OK;
out:
	secret_wipe(data, sizeof data);
	return r;
}

/* token_open and token_read of path; errno is kept for TOKEN_ESYS. */
int
token_load(const char *path, char token[TOKEN_LEN + 1])
{
	int	 fd, r, saved;

	if ((fd = token_open(path)) == -1)
		return TOKEN_ESYS;
	r = token_read(fd, token);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

/*
 * Write a new token and its newline to fd, a new empty file, with mode
 * TOKEN_MODE whatever the umask (the group's read bit is the server's),
 * and sync it: TOKEN_OK, TOKEN_ERANDOM or TOKEN_ESYS.
 */
int
token_write(int fd)
{
	unsigned char	 raw[TOKEN_BYTES];
	char		 text[TOKEN_LEN + 1];
	int		 r = TOKEN_ESYS, saved;

	if (secret_random(raw, sizeof raw) == -1)
		return TOKEN_ERANDOM;
	secret_hex(text, raw, sizeof raw);
	text[TOKEN_LEN] = '\n';
	if (fchmod(fd, TOKEN_MODE) == -1 ||
	    write(fd, text, sizeof text) != (ssize_t)sizeof text ||
	    fsync(fd) == -1)
		goto out;
	r = TOKEN_OK;
out:
	saved = errno;
	secret_wipe(raw, sizeof raw);
	secret_wipe(text, sizeof text);
	errno = saved;
	return r;
}

/* The UDF's view of the server's environment: token file and trigger log. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "record.h"
#include "udf.h"

#include "paths.h"

/*
 * Read once, on the first _init of either function after the library is
 * loaded, and never written again: a new token file takes effect when the
 * server loads the library anew (restart, or every function of it dropped
 * and created again). pthread_once makes the first reader wait for it.
 */
static pthread_once_t	 env_once = PTHREAD_ONCE_INIT;
static struct udf_env	 env;

static void
env_wipe(void *p, size_t n)
{
#ifdef HAVE_EXPLICIT_BZERO
	explicit_bzero(p, n);
#else
	volatile unsigned char	*v = p;

	while (n-- > 0)
		*v++ = 0;
#endif
}

/* One op=error record saying why the set-up is unusable. */
static void
env_complain(const char *what, const char *path, const char *why)
{
	struct buf	 rec, m;
	char		 msg[RECORD_MSG_MAX];
	int		 n;

	n = snprintf(msg, sizeof msg, "%s %s: %s", what, path, why);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof msg)
		n = (int)sizeof msg - 1;
	buf_init(&m, BUF_NOCAP);
	buf_init(&rec, RECORD_MAX);
	if (record_pct(&m, msg, (size_t)n, 0) == 0 &&
	    record_begin(&rec, "error") == 0 &&
	    buf_adds(&rec, " msg=") == 0 &&
	    record_cut(&rec, buf_str(&m), m.len, RECORD_MSG_MAX) == 0 &&
	    record_field(&rec, "src", "trigger") == 0 &&
	    record_end(&rec) == 0)
		udf_write(&env, rec.data, rec.len, UDF_RECORD);
	buf_free(&m);
	buf_free(&rec);
}

static int
env_hex(const unsigned char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (!((p[i] >= '0' && p[i] <= '9') ||
		    (p[i] >= 'a' && p[i] <= 'f')))
			return 0;
	}
	return 1;
}

/*
 * Load the token: 64 lowercase hex characters and an optional newline, in
 * a regular file (not a symbolic link) that is neither world-accessible
 * nor group-writable.
 */
static void
env_token(const char *path)
{
	struct stat	 st;
	unsigned char	 data[UDF_TOKEN_LEN + 2];
	size_t		 got = 0;
	ssize_t		 n;
	int		 fd;

	if (path[0] != '/') {
		env_complain("token file", path, "not an absolute path");
		return;
	}
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd == -1) {
		env_complain("token file", path, strerror(errno));
		return;
	}
	if (fstat(fd, &st) == -1) {
		env_complain("token file", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		env_complain("token file", path, "not a regular file");
		goto out;
	}
	if (st.st_mode & (S_IRWXO | S_IWGRP)) {
		env_complain("token file", path, "world-accessible or "
		    "group-writable (run: chmod 0640)");
		goto out;
	}
	while (got < sizeof data) {
		n = read(fd, data + got, sizeof data - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			env_complain("token file", path,
			    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if ((got != UDF_TOKEN_LEN && (got != UDF_TOKEN_LEN + 1 ||
	    data[UDF_TOKEN_LEN] != '\n')) || !env_hex(data, UDF_TOKEN_LEN)) {
		env_complain("token file", path, "not 64 lowercase hex "
		    "characters and a newline (run: dbsyscheck token)");
		goto out;
	}
	memcpy(env.token, data, UDF_TOKEN_LEN);
	env.token_ok = 1;
out:
	env_wipe(data, sizeof data);
	close(fd);
}

static void
env_load(void)
{
	const char	*p;

	/*
	 * The trigger log is always a file of its own: the error log is a
	 * channel anyone can write to (failed logins), so records never go
	 * there. An unusable path makes every record a "record lost" line.
	 */
	p = getenv("DBSYSCHECK_UDF_LOG");
	if (p == NULL || *p == '\0')
		p = DBSC_UDF_LOG;
	if ((env.log_path = strdup(p)) == NULL)
		env.log_bad = "out of memory";
	else if (p[0] != '/')
		env.log_bad = "not an absolute path";
	p = getenv("DBSYSCHECK_UDF_TIMESTAMP");
	env.timestamp = p != NULL && strcmp(p, "1") == 0;
	p = getenv("DBSYSCHECK_UDF_TOKEN");
	if (p == NULL || *p == '\0')
		p = DBSC_UDF_TOKEN_FILE;
	env_token(p);
}

/* The environment, read on the first call. */
const struct udf_env *
udf_env(void)
{
	pthread_once(&env_once, env_load);
	return &env;
}

/*
 * 1 when n bytes at p are the token. The time taken depends only on the
 * token's length, never on where a guess differs.
 */
int
udf_token_ok(const struct udf_env *e, const char *p, unsigned long n)
{
	unsigned char	 guess[UDF_TOKEN_LEN], d;
	size_t		 i;

	memset(guess, 0, sizeof guess);
	if (p != NULL)
		memcpy(guess, p, n < sizeof guess ? n : sizeof guess);
	d = (unsigned char)(p == NULL || n != UDF_TOKEN_LEN || !e->token_ok);
	for (i = 0; i < UDF_TOKEN_LEN; i++)
		d |= guess[i] ^ (unsigned char)e->token[i];
	env_wipe(guess, sizeof guess);
	return d == 0;
}

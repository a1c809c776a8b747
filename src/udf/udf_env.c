/* The UDF's view of the server's environment: token file and trigger log. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "record.h"
#include "secret.h"
#include "token.h"
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

/*
 * Load the token with token.c's checks, the scanner's too: 64 lowercase
 * hex characters and an optional newline, in a regular file (not a
 * symbolic link, never waited on) owned by root or the server's account,
 * neither world-accessible nor group-writable. A relative path is
 * refused: the server's working directory is nobody's choice.
 */
static void
env_token(const char *path)
{
	char	 token[TOKEN_LEN + 1];
	int	 r;

	if (path[0] != '/') {
		env_complain("token file", path, "not an absolute path");
		return;
	}
	switch (r = token_load(path, token)) {
	case TOKEN_OK:
		memcpy(env.token, token, UDF_TOKEN_LEN);
		env.token_ok = 1;
		break;
	case TOKEN_ESYS:
		env_complain("token file", path, strerror(errno));
		break;
	case TOKEN_ENOTREG:
		env_complain("token file", path, "not a regular file");
		break;
	case TOKEN_EOWNER:
		env_complain("token file", path, "owned by neither root nor "
		    "the server's account");
		break;
	case TOKEN_EMODE:
		env_complain("token file", path, "world-accessible or "
		    "group-writable (run: chmod 0640)");
		break;
	default:
		env_complain("token file", path, "not 64 lowercase hex "
		    "characters and a newline (run: dbsyscheck token)");
		break;
	}
	secret_wipe(token, sizeof token);
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
	secret_wipe(guess, sizeof guess);
	return d == 0;
}

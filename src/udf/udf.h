/* The server-side UDF library: its ABI, entry points and shared parts. */
#ifndef UDF_H
#define UDF_H

#include <stdbool.h>
#include <stddef.h>

#include "token.h"

/*
 * UDF_INIT, UDF_ARGS and Item_result come from the client headers; no
 * client function is called and no client library is linked. MySQL 8 has
 * a header of its own for them; MariaDB Connector/C declares them in
 * mariadb_com.h, which only compiles through mysql.h. The _init functions
 * return bool: one byte in both ABIs (MariaDB's my_bool is a char), and
 * my_bool is gone from MySQL 8.
 */
#if defined(__has_include)
#if __has_include(<mysql/udf_registration_types.h>)
#include <mysql/udf_registration_types.h>
#define UDF_ABI_MYSQL8	1
#endif
#endif
#ifndef UDF_ABI_MYSQL8
#include <mysql.h>
#endif
#ifndef MYSQL_ERRMSG_SIZE
#define MYSQL_ERRMSG_SIZE	512
#endif

/* Entry points: the only symbols the library exports. */
bool		 dbsyscheck_log_init(UDF_INIT *, UDF_ARGS *, char *);
void		 dbsyscheck_log_deinit(UDF_INIT *);
long long	 dbsyscheck_log(UDF_INIT *, UDF_ARGS *, char *, char *);
bool		 log_error_init(UDF_INIT *, UDF_ARGS *, char *);
void		 log_error_deinit(UDF_INIT *);
char		*log_error(UDF_INIT *, UDF_ARGS *, char *, unsigned long *,
		    char *, char *);
bool		 dbsyscheck_chunk_init(UDF_INIT *, UDF_ARGS *, char *);
void		 dbsyscheck_chunk_deinit(UDF_INIT *);
void		 dbsyscheck_chunk_clear(UDF_INIT *, char *, char *);
void		 dbsyscheck_chunk_add(UDF_INIT *, UDF_ARGS *, char *, char *);
long long	 dbsyscheck_chunk(UDF_INIT *, UDF_ARGS *, char *, char *);

/*
 * What the library reads once per load from the server's environment
 * (udf_env.c): the token and the trigger log, the only place records go.
 * Together with the forged-call rate limiter (udf_limit.c) and the open
 * trigger log (udf_out.c) this is the library's only static state; after
 * the first _init it is never written again.
 */
#define UDF_TOKEN_LEN	TOKEN_LEN	/* lowercase hex characters */

struct udf_env {
	char		 token[UDF_TOKEN_LEN];
	int		 token_ok;	/* 0: every call is forged */
	char		*log_path;	/* the trigger log; NULL: no memory */
	const char	*log_bad;	/* why log_path is unusable, or NULL */
	int		 timestamp;	/* lines start with an ISO-8601 time */
};

const struct udf_env *udf_env(void);
int	 udf_token_ok(const struct udf_env *, const char *, unsigned long);

/*
 * Writing lines (udf_out.c): records to the trigger log, never elsewhere;
 * log_error()'s lines to standard error, the server's error log.
 */
#define UDF_RECORD	0x1	/* prefix the line with RECORD_PREFIX */
#define UDF_ERRLOG	0x2	/* standard error, not the trigger log */
#define UDF_LOST	"dbsyscheck-udf: trigger log unavailable, record lost: "
int	 udf_write(const struct udf_env *, const char *, size_t, int);
void	 udf_out_close(void);
int	 udf_init_error(char *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* The forged-call rate limiter (udf_limit.c). */
#define UDF_FORGED_RATE		10	/* a second, sustained */
#define UDF_FORGED_BURST	10	/* at once */
int		 udf_forged_admit(unsigned long long *);
unsigned long long udf_forged_pending(void);

#endif

/* A UDF that does nothing, for bench/triggers.sh: the cost of calling one. */
#include "udf.h"

/*
 * Built by bench/triggers.sh only, never installed. _init asks for every
 * argument as a string, as dbsyscheck_log_init does, so that a trigger
 * calling dbsc_noop() with dbsyscheck_log()'s arguments costs the server
 * what calling dbsyscheck_log() costs it before the function's own work.
 */
bool		 dbsc_noop_init(UDF_INIT *, UDF_ARGS *, char *);
void		 dbsc_noop_deinit(UDF_INIT *);
long long	 dbsc_noop(UDF_INIT *, UDF_ARGS *, char *, char *);

bool
dbsc_noop_init(UDF_INIT *initid, UDF_ARGS *args, char *message)
{
	unsigned int	 i;

	(void)message;
	for (i = 0; i < args->arg_count; i++)
		args->arg_type[i] = STRING_RESULT;
	initid->maybe_null = 0;
	initid->const_item = 0;
	initid->ptr = NULL;
	return 0;
}

void
dbsc_noop_deinit(UDF_INIT *initid)
{
	(void)initid;
}

long long
dbsc_noop(UDF_INIT *initid, UDF_ARGS *args, char *is_null, char *error)
{
	(void)initid;
	(void)args;
	*is_null = 0;
	*error = 0;
	return 0;
}

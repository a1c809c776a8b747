/* Made by make from the configured paths; do not edit. */
#ifndef DBSC_SYSCONFDIR
#define DBSC_SYSCONFDIR "/usr/local/etc/dbsyscheck"
#endif
#ifndef DBSC_STATEDIR
#define DBSC_STATEDIR "/usr/local/var/lib/dbsyscheck"
#endif
#ifndef DBSC_UDF_TOKEN_FILE
#define DBSC_UDF_TOKEN_FILE "/usr/local/etc/dbsyscheck/trigger.token"
#endif
#ifndef DBSC_UDF_LOG
#define DBSC_UDF_LOG "/var/log/dbsyscheck-udf/trigger.log"
#endif

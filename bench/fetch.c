/* The benchmark's floor: stream a table through the client library, no work. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

/*
 * usage: fetch DEFAULTS-FILE [QUERY]
 * Connects as src/source_mysql.c source_open does (option file, group
 * client, utf8mb4, results as stored bytes, the same session settings and
 * snapshot), streams QUERY with mysql_use_result and touches nothing but
 * fetch_row and fetch_lengths. Prints the row count and the value bytes.
 */
static int
fetch_query(MYSQL *my, const char *sql)
{
	if (mysql_real_query(my, sql, strlen(sql)) != 0) {
		fprintf(stderr, "fetch: %s: %s\n", sql, mysql_error(my));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char		*sql = "SELECT * FROM bench.users ORDER BY id";
	MYSQL			*my;
	MYSQL_RES		*res;
	MYSQL_ROW		 row;
	unsigned long		*len;
	unsigned long long	 nrows = 0, nbytes = 0;
	unsigned int		 i, n;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: fetch defaults-file [query]\n");
		return 2;
	}
	if (argc == 3)
		sql = argv[2];
	if ((my = mysql_init(NULL)) == NULL)
		return 2;
	mysql_options(my, MYSQL_READ_DEFAULT_FILE, argv[1]);
	mysql_options(my, MYSQL_READ_DEFAULT_GROUP, "client");
	mysql_options(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (mysql_real_connect(my, NULL, NULL, NULL, NULL, 0, NULL, 0) ==
	    NULL) {
		fprintf(stderr, "fetch: connect: %s\n", mysql_error(my));
		return 2;
	}
	if (fetch_query(my, "SET SESSION sql_mode = '', "
	    "time_zone = '+00:00', character_set_results = binary, "
	    "net_write_timeout = 3600, net_read_timeout = 3600") == -1 ||
	    fetch_query(my, "SET SESSION TRANSACTION ISOLATION LEVEL "
	    "REPEATABLE READ") == -1 ||
	    fetch_query(my, "START TRANSACTION WITH CONSISTENT SNAPSHOT, "
	    "READ ONLY") == -1 ||
	    fetch_query(my, sql) == -1)
		return 2;
	if ((res = mysql_use_result(my)) == NULL) {
		fprintf(stderr, "fetch: %s\n", mysql_error(my));
		return 2;
	}
	n = mysql_num_fields(res);
	while ((row = mysql_fetch_row(res)) != NULL) {
		if ((len = mysql_fetch_lengths(res)) == NULL)
			break;
		for (i = 0; i < n; i++)
			nbytes += len[i];
		nrows++;
	}
	if (mysql_errno(my) != 0) {
		fprintf(stderr, "fetch: reading rows: %s\n", mysql_error(my));
		return 2;
	}
	mysql_free_result(res);
	mysql_close(my);
	printf("%llu rows %llu bytes\n", nrows, nbytes);
	return 0;
}

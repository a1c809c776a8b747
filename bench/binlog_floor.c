/* The follower benchmark's floor: read binary log events, decode nothing. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

#if defined(HAVE_MARIADB_RPL_H) && defined(HAVE_MARIADB_RPL_EVENT_RAW_DATA)
#include <mariadb_rpl.h>

/*
 * usage: binlog_floor [-c] [-f] DEFAULTS-FILE FILE OFFSET SERVER-ID
 * Connects with the option file (group client), tells the server what
 * src/binlog.c binlog_dump tells it (CRC32 checksums when the server
 * writes them, MariaDB's GTID capability, annotations sent), asks for a
 * non-blocking dump from FILE:OFFSET and fetches every event with
 * mariadb_rpl_fetch until the end of the log, touching nothing but each
 * event's length. -c: the library verifies each event's checksum, as the
 * follower asks it to. -f: a blocking dump, which waits for new events
 * until the process is killed (the writers' benchmark: the cheapest
 * reader). Prints the events and their bytes.
 */
static int
floor_query(MYSQL *my, const char *sql)
{
	MYSQL_RES	*res;

	if (mysql_real_query(my, sql, strlen(sql)) != 0) {
		fprintf(stderr, "binlog_floor: %s: %s\n", sql, mysql_error(my));
		return -1;
	}
	if ((res = mysql_store_result(my)) != NULL)
		mysql_free_result(res);
	return 0;
}

int
main(int argc, char **argv)
{
	MYSQL			*my;
	MARIADB_RPL		*rpl;
	MARIADB_RPL_EVENT	*ev = NULL;
	unsigned long long	 nev = 0, nbytes = 0;
	unsigned long		 off, sid;
	char			*end;
	unsigned int		 flags;
	int			 verify = 0, block = 0;

	for (; argc > 1 && argv[1][0] == '-'; argc--, argv++) {
		if (strcmp(argv[1], "-c") == 0)
			verify = 1;
		else if (strcmp(argv[1], "-f") == 0)
			block = 1;
		else
			break;
	}
	if (argc != 5) {
		fprintf(stderr, "usage: binlog_floor [-c] [-f] defaults-file "
		    "file offset server-id\n");
		return 2;
	}
	off = strtoul(argv[3], &end, 10);
	if (*argv[3] == '\0' || *end != '\0' || off < 4) {
		fprintf(stderr, "binlog_floor: bad offset %s\n", argv[3]);
		return 2;
	}
	sid = strtoul(argv[4], &end, 10);
	if (*argv[4] == '\0' || *end != '\0' || sid == 0 ||
	    sid > 4294967295UL) {
		fprintf(stderr, "binlog_floor: bad server id %s\n", argv[4]);
		return 2;
	}
	if ((my = mysql_init(NULL)) == NULL)
		return 2;
	mysql_options(my, MYSQL_READ_DEFAULT_FILE, argv[1]);
	mysql_options(my, MYSQL_READ_DEFAULT_GROUP, "client");
	if (mysql_real_connect(my, NULL, NULL, NULL, NULL, 0, NULL, 0) ==
	    NULL) {
		fprintf(stderr, "binlog_floor: connect: %s\n", mysql_error(my));
		return 2;
	}
	if (floor_query(my, "SET @master_binlog_checksum = "
	    "@@GLOBAL.binlog_checksum, @mariadb_slave_capability = 4") == -1)
		return 2;
	flags = MARIADB_RPL_BINLOG_SEND_ANNOTATE_ROWS;
	if (!block)
		flags |= MARIADB_RPL_BINLOG_DUMP_NON_BLOCK;
	if ((rpl = mariadb_rpl_init(my)) == NULL ||
	    mariadb_rpl_optionsv(rpl, MARIADB_RPL_FILENAME, argv[2],
	    strlen(argv[2])) != 0 ||
	    mariadb_rpl_optionsv(rpl, MARIADB_RPL_START, off) != 0 ||
	    mariadb_rpl_optionsv(rpl, MARIADB_RPL_SERVER_ID,
	    (unsigned int)sid) != 0 ||
	    mariadb_rpl_optionsv(rpl, MARIADB_RPL_FLAGS, flags) != 0 ||
	    mariadb_rpl_optionsv(rpl, MARIADB_RPL_VERIFY_CHECKSUM,
	    (uint32_t)verify) != 0) {
		fprintf(stderr, "binlog_floor: cannot set up the dump\n");
		return 2;
	}
	if (mariadb_rpl_open(rpl) != 0) {
		fprintf(stderr, "binlog_floor: dump: %s\n", mysql_error(my));
		return 2;
	}
	while ((ev = mariadb_rpl_fetch(rpl, ev)) != NULL) {
		nev++;
		nbytes += ev->raw_data_size - ev->raw_data_ofs;
	}
	if (mysql_errno(my) != 0 || mariadb_rpl_errno(rpl) != 0) {
		fprintf(stderr, "binlog_floor: fetch: %s %s\n", mysql_error(my),
		    mariadb_rpl_error(rpl));
		return 2;
	}
	mariadb_rpl_close(rpl);
	mysql_close(my);
	printf("%llu events %llu bytes\n", nev, nbytes);
	return 0;
}

#else

int
main(void)
{
	fprintf(stderr, "binlog_floor: needs MariaDB Connector/C's "
	    "replication API (3.3 or later)\n");
	return 2;
}

#endif

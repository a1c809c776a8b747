/* The binary log as a replica client reads it: positions and events. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mysql.h>

#include "binlog.h"
#include "xmalloc.h"

#if defined(HAVE_MARIADB_RPL_H) && defined(HAVE_MARIADB_RPL_EVENT_RAW_DATA)
#define BINLOG_RPL 1
#endif

#ifndef BINLOG_RPL

/*
 * Built against a client library without Connector/C's replication API
 * (3.3 or later, for the raw bytes of each event): every call says so.
 */
struct binlog {
	int	 unused;
};

static char *
binlog_unsupported(void)
{
	return xasprintf("follow needs MariaDB Connector/C's replication API; "
	    "this build uses client library %s", mysql_get_client_info());
}

struct binlog *
binlog_open(const char *defaults_file, const char *group,
    const struct binlog_pos *pos, uint32_t server_id, int flags,
    char **cause)
{
	(void)defaults_file;
	(void)group;
	(void)pos;
	(void)server_id;
	(void)flags;
	*cause = binlog_unsupported();
	return NULL;
}

void
binlog_close(struct binlog *b)
{
	free(b);
}

int
binlog_end(struct binlog *b, struct binlog_pos *pos, char *gtid,
    size_t gtidsz, char **cause)
{
	(void)b;
	(void)pos;
	(void)gtid;
	(void)gtidsz;
	*cause = binlog_unsupported();
	return -1;
}

int
binlog_next(struct binlog *b, struct binlog_event *ev,
    volatile sig_atomic_t *stop, char **cause)
{
	(void)b;
	(void)ev;
	(void)stop;
	*cause = binlog_unsupported();
	return -1;
}

uint32_t
binlog_created(const struct binlog *b)
{
	(void)b;
	return 0;
}

int
binlog_origin(struct binlog *b, const struct binlog_pos *pos,
    uint64_t *server_id, char *gtid, size_t gtidsz, char **cause)
{
	(void)b;
	(void)pos;
	(void)server_id;
	(void)gtid;
	(void)gtidsz;
	*cause = binlog_unsupported();
	return -1;
}

int
binlog_audit(struct binlog *b, struct binlog_audit *a, char **cause)
{
	(void)b;
	memset(a, 0, sizeof *a);
	*cause = binlog_unsupported();
	return -1;
}

#else /* BINLOG_RPL */

#include <errmsg.h>
#include <mariadb_rpl.h>
#include <zlib.h>

#include "source_mysql.h"

#define BINLOG_HEADER		19	/* the common header of an event */
#define BINLOG_CRC		4
#define BINLOG_FDE_FIXED	57	/* version, server version, time, hlen */
#define BINLOG_QUERY_PHL	13	/* a query event's post-header, at least */
#define BINLOG_GTID_PHL		13	/* seq_no, domain, flags */
#define BINLOG_ARTIFICIAL	0x0020	/* LOG_EVENT_ARTIFICIAL_F */
#define BINLOG_THREAD_SPECIFIC	0x0004	/* LOG_EVENT_THREAD_SPECIFIC_F */
#define BINLOG_IGNORABLE	0x0080	/* LOG_EVENT_IGNORABLE_F */
#define BINLOG_STANDALONE	0x01	/* FL_STANDALONE of a GTID event */
#define BINLOG_XA_PREPARE_EV	38	/* XA_PREPARE_LOG_EVENT */
#define BINLOG_GROUP_COMMIT_ID	0x02	/* FL_GROUP_COMMIT_ID: 8 bytes more */
#define BINLOG_PREPARED_XA	0x40	/* FL_PREPARED_XA: ends prepared */
#define BINLOG_COMPLETED_XA	0x80	/* FL_COMPLETED_XA: XA COMMIT/ROLLBACK */
#define BINLOG_XID_PART_MAX	64	/* MAXGTRIDSIZE, MAXBQUALSIZE */
#define BINLOG_INFLATE_MAX	(1ULL << 30)	/* max_allowed_packet's cap */

/*
 * What the server is told before the dump: MARIA_SLAVE_CAPABILITY_GTID (4),
 * without which MariaDB rewrites GTID events into "BEGIN" query events; the
 * checksum algorithm we verify; a heartbeat a second while the log is idle
 * (nanoseconds), so that a stop request is seen while waiting.
 */
#define BINLOG_CAPABILITY	"4"
#define BINLOG_HEARTBEAT_NS	"1000000000"

struct binlog {
	struct source		*src;
	MYSQL			*my;
	MARIADB_RPL		*rpl;
	MARIADB_RPL_EVENT	*ev;		/* the library's, reused */
	int			 flags;
	int			 dumping;	/* COM_BINLOG_DUMP sent */
	int			 have;		/* ev holds an unread event */
	int			 eof;
	int			 started;	/* the dump's rotation seen */
	int			 failed;
	int			 crc_connect;	/* CRC32 asked for at connect */
	int			 crc;		/* events carry a CRC32 */
	int			 fde;		/* a format description seen */
	unsigned char		 phl[256];	/* post-header lengths */
	uint64_t		 maxpkt;	/* cap of an inflated statement */
	struct binlog_pos	 pos;		/* where the next event starts */
	struct binlog_pos	 at;		/* where the last one started */
	uint16_t		 evflags;	/* the last one's header flags */

	/* The event group being read. */
	int			 ingroup;
	int			 standalone;	/* no COMMIT follows its query */
	int			 queued;	/* a COMMIT to hand out next */
	char			 gtid[BINLOG_GTID_MAX + 1];
	uint32_t		 thread_id;
	uint32_t		 when;
	uint32_t		 created;	/* the file's FDE time stamp */
	uint32_t		 created0;	/* that of the dump's first */
	struct binlog_pos	 qnext;		/* the queued COMMIT's next */
	int			 xa;		/* BINLOG_PREPARED_XA, _COMPLETED_XA */
	char			 xid[BINLOG_XID_MAX + 1];

	unsigned char		*inflated;	/* a compressed statement */
};

static uint16_t
binlog_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t
binlog_le32(const unsigned char *p)
{
	return ((uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	    ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24));
}

static uint64_t
binlog_le64(const unsigned char *p)
{
	return ((uint64_t)binlog_le32(p) | ((uint64_t)binlog_le32(p + 4) << 32));
}

/*
 * The client library's or the server's error, copied at once and named by
 * its cause: a position the server no longer holds, a missing privilege,
 * a lost connection. Anything else ends the reading too.
 */
static char *
binlog_err(struct binlog *b, const char *what)
{
	unsigned int	 e = mysql_errno(b->my);
	const char	*m = mysql_error(b->my);

	if (e == 0 && b->rpl != NULL && mariadb_rpl_errno(b->rpl) != 0) {
		e = mariadb_rpl_errno(b->rpl);
		m = mariadb_rpl_error(b->rpl);
	}
	if (e == 1236 && (strstr(m, "Could not find first log file") != NULL ||
	    strstr(m, "purged") != NULL))
		return xasprintf("%s: position purged: the server no longer "
		    "holds %s:%llu in its binary log (%.200s)", what,
		    b->pos.file, (unsigned long long)b->pos.offset, m);
	if (e == 1227 || e == 1045 || e == 1044 || e == 1142)
		return xasprintf("%s: privilege missing: %.200s (%u)", what, m,
		    e);
	if ((e >= 2000 && e < 3000) || e == 1053 || e == 1927 || e == 1317)
		return xasprintf("%s: lost connection to the server: %.200s "
		    "(%u)", what, m, e);
	if (e == 0)
		return xasprintf("%s: the client library failed without a "
		    "message", what);
	return xasprintf("%s: %.200s (%u)", what, m, e);
}

/* Run a statement and keep its result (NULL for none). */
static int
binlog_query(struct binlog *b, const char *sql, MYSQL_RES **res,
    char **cause)
{
	*res = NULL;
	if (mysql_real_query(b->my, sql, strlen(sql)) != 0) {
		*cause = binlog_err(b, "query");
		return -1;
	}
	*res = mysql_store_result(b->my);
	if (*res == NULL && mysql_field_count(b->my) != 0) {
		*cause = binlog_err(b, "query result");
		return -1;
	}
	return 0;
}

/* One row of one result, its cells NUL-terminated by the library. */
static int
binlog_row(struct binlog *b, const char *sql, unsigned int ncols,
    MYSQL_RES **res, MYSQL_ROW *row, char **cause)
{
	if (binlog_query(b, sql, res, cause) == -1)
		return -1;
	if (*res == NULL || mysql_num_fields(*res) < ncols) {
		*cause = xasprintf("%s: unexpected result", sql);
		return -1;
	}
	if ((*row = mysql_fetch_row(*res)) == NULL) {
		if (mysql_errno(b->my) != 0) {
			*cause = binlog_err(b, "query result");
			return -1;
		}
		return 0;
	}
	return 1;
}

/* A decimal number of the server's, checked; -1 if it is not one. */
static int
binlog_number(const char *s, uint64_t *v)
{
	uint64_t	 n = 0;

	if (s == NULL || *s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || n > (UINT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	*v = n;
	return 0;
}

/*
 * The server must write what a follower can read: the binary log on,
 * binlog_format ROW and binlog_row_image FULL (the global values: a
 * session may change its own, which the events then show).
 */
static int
binlog_check(struct binlog *b, char **cause)
{
	MYSQL_RES	*res;
	MYSQL_ROW	 row;
	int		 r;

	r = binlog_row(b, "SELECT @@GLOBAL.log_bin, @@GLOBAL.binlog_format, "
	    "@@GLOBAL.binlog_row_image, @@GLOBAL.binlog_checksum, "
	    "@@GLOBAL.max_allowed_packet", 5, &res, &row, cause);
	if (r != 1) {
		if (r == 0)
			*cause = xstrdup("the server's binary log settings "
			    "cannot be read");
		goto fail;
	}
	if (row[0] == NULL || strcmp(row[0], "1") != 0) {
		*cause = xstrdup("the binary log is off (log_bin): the server "
		    "has no log to follow");
		goto fail;
	}
	if (row[1] == NULL || strcasecmp(row[1], "ROW") != 0) {
		*cause = xasprintf("binlog_format is %.32s, not ROW: the "
		    "binary log does not hold the rows", row[1] != NULL ?
		    row[1] : "NULL");
		goto fail;
	}
	if (row[2] == NULL || strcasecmp(row[2], "FULL") != 0) {
		*cause = xasprintf("binlog_row_image is %.32s, not FULL: the "
		    "binary log does not hold whole rows", row[2] != NULL ?
		    row[2] : "NULL");
		goto fail;
	}
	if (row[3] != NULL && strcasecmp(row[3], "CRC32") == 0)
		b->crc_connect = 1;
	else if (row[3] != NULL && strcasecmp(row[3], "NONE") == 0)
		b->crc_connect = 0;
	else {
		*cause = xasprintf("binlog_checksum is %.32s, neither CRC32 "
		    "nor NONE", row[3] != NULL ? row[3] : "NULL");
		goto fail;
	}
	if (binlog_number(row[4], &b->maxpkt) == -1 ||
	    b->maxpkt > BINLOG_INFLATE_MAX)
		b->maxpkt = BINLOG_INFLATE_MAX;
	mysql_free_result(res);
	res = NULL;

	/*
	 * Each TABLE_MAP must name its columns (optional metadata): rows
	 * logged before an ALTER are otherwise read with the table's shape
	 * of now. MariaDB 10.5 and MySQL 8.0 have binlog_row_metadata.
	 */
	r = binlog_row(b, "SELECT @@GLOBAL.binlog_row_metadata", 1, &res,
	    &row, cause);
	if (r == -1 && mysql_errno(b->my) == 1193) {
		free(*cause);
		*cause = xstrdup("binlog_row_metadata is unknown to the server "
		    "(MariaDB 10.5 or later is needed): the binary log does "
		    "not name the columns of its rows");
		goto fail;
	}
	if (r == -1)
		goto fail;
	if (r == 0 || row[0] == NULL || strcasecmp(row[0], "FULL") != 0) {
		*cause = xasprintf("binlog_row_metadata is %.32s, not FULL: the "
		    "binary log does not name the columns of its rows",
		    r == 1 && row[0] != NULL ? row[0] : "NULL");
		goto fail;
	}
	mysql_free_result(res);
	res = NULL;

	/*
	 * Connector/C 3.3 refuses a compressed row event without a checksum
	 * as a malformed packet: say why before it does (MariaDB only).
	 */
	r = binlog_row(b, "SELECT @@GLOBAL.log_bin_compress", 1, &res, &row,
	    cause);
	if (r == -1 && mysql_errno(b->my) == 1193) {
		free(*cause);
		*cause = NULL;
		return 0;
	}
	if (r == -1)
		goto fail;
	if (r == 1 && row[0] != NULL && strcmp(row[0], "1") == 0 &&
	    !b->crc_connect) {
		*cause = xstrdup("log_bin_compress is ON with binlog_checksum "
		    "NONE: the client library cannot read compressed row "
		    "events without a checksum (set binlog_checksum CRC32)");
		goto fail;
	}
	mysql_free_result(res);
	return 0;

fail:
	if (res != NULL)
		mysql_free_result(res);
	return -1;
}

/* A binary log's file name as the server gives it: a plain name. */
static int
binlog_set_file(struct binlog_pos *pos, const unsigned char *name,
    size_t len, char **cause)
{
	if (len == 0 || len > BINLOG_FILE_MAX ||
	    memchr(name, '\0', len) != NULL || memchr(name, '/', len) != NULL) {
		*cause = xstrdup("the binary log names a file that cannot be "
		    "one of its own");
		return -1;
	}
	memcpy(pos->file, name, len);
	pos->file[len] = '\0';
	return 0;
}

/*
 * Fetch the next event: 1 with b->ev, 0 at the end of the log (a
 * non-blocking dump's EOF), -1 on an error. The library frees the event
 * it was handed when it fails or reaches the end.
 */
static int
binlog_fetch(struct binlog *b, char **cause)
{
	MARIADB_RPL_EVENT	*e;

	e = mariadb_rpl_fetch(b->rpl, b->ev);
	b->ev = e;
	if (e != NULL)
		return 1;
	if (mysql_errno(b->my) == 0 && mariadb_rpl_errno(b->rpl) == 0) {
		b->eof = 1;
		return 0;
	}
	if (b->fde && !b->crc && (mysql_errno(b->my) == CR_BINLOG_ERROR ||
	    mariadb_rpl_errno(b->rpl) == CR_BINLOG_ERROR))
		*cause = binlog_err(b, "cannot read the binary log (a "
		    "compressed row event in a file without checksums?)");
	else
		*cause = binlog_err(b, "cannot read the binary log");
	b->failed = 1;
	return -1;
}

/* Tell the server how to send, then ask for the log from pos. */
static int
binlog_dump(struct binlog *b, const struct binlog_pos *pos, uint32_t sid,
    char **cause)
{
	MYSQL_RES	*res;
	char		 sql[256];
	int		 n;
	size_t		 len;
	unsigned int	 dflags;

	len = strnlen(pos->file, sizeof pos->file);
	if (len == 0 || len > BINLOG_FILE_MAX || pos->offset < 4 ||
	    pos->offset > UINT32_MAX) {
		*cause = xasprintf("cannot read the binary log from %.*s:%llu: "
		    "not a position", (int)len, pos->file,
		    (unsigned long long)pos->offset);
		return -1;
	}
	b->pos = *pos;
	n = snprintf(sql, sizeof sql, "SET @master_binlog_checksum = '%s', "
	    "@mariadb_slave_capability = " BINLOG_CAPABILITY "%s",
	    b->crc_connect ? "CRC32" : "NONE", (b->flags & BINLOG_BLOCK) ?
	    ", @master_heartbeat_period = " BINLOG_HEARTBEAT_NS : "");
	if (n < 0 || (size_t)n >= sizeof sql) {
		*cause = xstrdup("the dump's session settings do not fit");
		return -1;
	}
	if (binlog_query(b, sql, &res, cause) == -1)
		return -1;
	if (res != NULL)
		mysql_free_result(res);

	/*
	 * Annotations are asked for only to be skipped here: the server
	 * leaves out those not asked for, a gap the position check refuses.
	 */
	dflags = MARIADB_RPL_BINLOG_SEND_ANNOTATE_ROWS;
	/*
	 * Every event's CRC32 is checked here (binlog_crc_ok), so the
	 * library's check (MARIADB_RPL_VERIFY_CHECKSUM) is not asked for:
	 * it computed each checksum a second time.
	 */
	if (!(b->flags & BINLOG_BLOCK))
		dflags |= MARIADB_RPL_BINLOG_DUMP_NON_BLOCK;
	if ((b->rpl = mariadb_rpl_init(b->my)) == NULL) {
		*cause = binlog_err(b, "cannot start reading the binary log");
		return -1;
	}
	if (mariadb_rpl_optionsv(b->rpl, MARIADB_RPL_FILENAME, pos->file,
	    len) != 0 ||
	    mariadb_rpl_optionsv(b->rpl, MARIADB_RPL_START,
	    (unsigned long)pos->offset) != 0 ||
	    mariadb_rpl_optionsv(b->rpl, MARIADB_RPL_SERVER_ID,
	    (unsigned int)sid) != 0 ||
	    mariadb_rpl_optionsv(b->rpl, MARIADB_RPL_FLAGS, dflags) != 0) {
		*cause = xstrdup("cannot set the replication options");
		return -1;
	}
	b->dumping = 1;
	if (mariadb_rpl_open(b->rpl) != 0) {
		*cause = binlog_err(b, "cannot start reading the binary log");
		return -1;
	}
	/*
	 * The server answers a refused dump (privilege, position) with its
	 * first packet: read it here, and keep the event for binlog_next.
	 */
	switch (binlog_fetch(b, cause)) {
	case -1:
		return -1;
	case 1:
		b->have = 1;
		break;
	}
	return 0;
}

/*
 * Connect with the option file and group, check that the server can be
 * followed and, given a position, start reading the log there.
 */
struct binlog *
binlog_open(const char *defaults_file, const char *group,
    const struct binlog_pos *pos, uint32_t server_id, int flags,
    char **cause)
{
	struct binlog	*b;

	b = xcalloc(1, sizeof *b);
	b->flags = flags;
	if ((b->src = source_open(defaults_file, group, cause)) == NULL) {
		free(b);
		return NULL;
	}
	b->my = (MYSQL *)source_conn(b->src);
	if (binlog_check(b, cause) == -1)
		goto fail;
	if (pos != NULL && binlog_dump(b, pos, server_id, cause) == -1)
		goto fail;
	return b;

fail:
	binlog_close(b);
	return NULL;
}

/* Stop reading and close the connection. */
void
binlog_close(struct binlog *b)
{
	if (b == NULL)
		return;
	if (b->ev != NULL)
		mariadb_free_rpl_event(b->ev);
	if (b->rpl != NULL)
		mariadb_rpl_close(b->rpl);
	source_close(b->src);
	free(b->inflated);
	free(b);
}

/* The time stamp of the format description of the file read first. */
uint32_t
binlog_created(const struct binlog *b)
{
	return b->created0;
}

/*
 * The current end of the log (SHOW BINLOG STATUS, which MariaDB 10.5 and
 * later allow with BINLOG MONITOR; SHOW MASTER STATUS elsewhere) and
 * gtid_binlog_pos. Only on a connection that is not reading the log.
 */
int
binlog_end(struct binlog *b, struct binlog_pos *pos, char *gtid,
    size_t gtidsz, char **cause)
{
	MYSQL_RES	*res = NULL;
	MYSQL_ROW	 row;
	unsigned long	*lens;
	const char	*p;
	int		 r;

	if (b->dumping) {
		*cause = xstrdup("binlog_end: the connection is reading the "
		    "binary log");
		return -1;
	}
	r = binlog_row(b, "SHOW BINLOG STATUS", 2, &res, &row, cause);
	if (r == -1 && mysql_errno(b->my) == 1064) {
		free(*cause);
		*cause = NULL;
		r = binlog_row(b, "SHOW MASTER STATUS", 2, &res, &row, cause);
	}
	if (r == -1) {
		if (mysql_errno(b->my) == 1227) {
			free(*cause);
			*cause = xstrdup("privilege missing: SHOW BINLOG "
			    "STATUS needs BINLOG MONITOR (REPLICATION CLIENT "
			    "before MariaDB 10.5)");
		}
		goto fail;
	}
	if (r == 0) {
		*cause = xstrdup("the binary log is off: SHOW BINLOG STATUS "
		    "names no file");
		goto fail;
	}
	lens = mysql_fetch_lengths(res);
	if (row[0] == NULL || row[1] == NULL || lens == NULL ||
	    binlog_set_file(pos, (const unsigned char *)row[0], lens[0],
	    cause) == -1) {
		if (*cause == NULL)
			*cause = xstrdup("SHOW BINLOG STATUS: no file");
		goto fail;
	}
	if (binlog_number(row[1], &pos->offset) == -1) {
		*cause = xstrdup("SHOW BINLOG STATUS: the position is not a "
		    "number");
		goto fail;
	}
	mysql_free_result(res);
	res = NULL;

	if (gtidsz == 0) {
		*cause = xstrdup("binlog_end: no room for the GTID");
		goto fail;
	}
	gtid[0] = '\0';
	r = binlog_row(b, "SELECT @@GLOBAL.gtid_binlog_pos", 1, &res, &row,
	    cause);
	if (r == -1 && mysql_errno(b->my) == 1193) {	/* MySQL */
		free(*cause);
		*cause = NULL;
		return 0;
	}
	if (r == -1)
		goto fail;
	if (r == 1 && row[0] != NULL) {
		for (p = row[0]; *p != '\0'; p++) {
			if ((*p < '0' || *p > '9') && *p != '-' && *p != ',')
				break;
		}
		if (*p != '\0' || (size_t)(p - row[0]) >= gtidsz) {
			*cause = xstrdup("gtid_binlog_pos is not a list of "
			    "GTIDs that fits");
			goto fail;
		}
		memcpy(gtid, row[0], (size_t)(p - row[0]) + 1);
	}
	mysql_free_result(res);
	return 0;

fail:
	if (res != NULL)
		mysql_free_result(res);
	return -1;
}

/* A word in a comma-separated list of the server's (any case). */
static int
binlog_listed(const char *list, const char *word)
{
	size_t	 n, w = strlen(word);

	while (list != NULL && *list != '\0') {
		n = strcspn(list, ",");
		if (n == w && strncasecmp(list, word, n) == 0)
			return 1;
		list += n;
		if (*list == ',')
			list++;
	}
	return 0;
}

/*
 * The audit plugin's settings. Its file path, when relative, is the
 * server's data directory's; the offset is that of the server's SYSTEM
 * time zone, the one server_audit writes its local times in.
 */
int
binlog_audit(struct binlog *b, struct binlog_audit *a, char **cause)
{
	MYSQL_RES	*res = NULL;
	MYSQL_ROW	 row;
	const char	*dir;
	uint64_t	 v;
	long		 off;
	int		 r, neg = 0;

	memset(a, 0, sizeof *a);
	r = binlog_row(b, "SELECT @@GLOBAL.server_audit_logging, "
	    "@@GLOBAL.server_audit_output_type, @@GLOBAL.server_audit_events, "
	    "@@GLOBAL.server_audit_file_path, "
	    "@@GLOBAL.server_audit_query_log_limit, @@GLOBAL.datadir, "
	    "TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), CONVERT_TZ("
	    "UTC_TIMESTAMP(), '+00:00', 'SYSTEM')), "
	    "@@GLOBAL.server_audit_excl_users, "
	    "@@GLOBAL.server_audit_incl_users, "
	    "@@GLOBAL.server_audit_file_rotations", 10, &res, &row, cause);
	if (r == -1 && mysql_errno(b->my) == 1193) {	/* no such variable */
		free(*cause);
		*cause = NULL;
		return 0;
	}
	if (r != 1) {
		if (r == 0)
			*cause = xstrdup("the audit plugin's settings cannot "
			    "be read");
		goto fail;
	}
	a->loaded = 1;
	a->logging = row[0] != NULL && (strcmp(row[0], "1") == 0 ||
	    strcasecmp(row[0], "ON") == 0);
	a->file = row[1] != NULL && strcasecmp(row[1], "file") == 0;
	/* No event named: the plugin logs every kind. */
	a->connect = row[2] == NULL || row[2][0] == '\0' ||
	    binlog_listed(row[2], "CONNECT");
	a->query = row[2] == NULL || row[2][0] == '\0' ||
	    binlog_listed(row[2], "QUERY") ||
	    binlog_listed(row[2], "QUERY_DML") ||
	    binlog_listed(row[2], "QUERY_DML_NO_SELECT");
	if (row[3] == NULL || row[3][0] == '\0' || row[5] == NULL ||
	    binlog_number(row[4], &v) == -1 || row[6] == NULL) {
		*cause = xstrdup("the audit plugin's settings are not as "
		    "expected");
		goto fail;
	}
	a->limit = v;
	if (row[3][0] == '/')
		a->path = xstrdup(row[3]);
	else {
		dir = row[5];
		a->path = xasprintf("%s%s%s", dir, dir[0] != '\0' &&
		    dir[strlen(dir) - 1] == '/' ? "" : "/", row[3]);
	}
	if (row[6][0] == '-')
		neg = 1;
	if (binlog_number(row[6] + neg, &v) == -1 || v > 26 * 3600) {
		*cause = xstrdup("the server's time zone offset is not as "
		    "expected");
		goto fail;
	}
	off = (long)v;
	a->offset = neg ? -off : off;
	if (binlog_number(row[9], &a->rotations) == -1) {
		*cause = xstrdup("the audit plugin's settings are not as "
		    "expected");
		goto fail;
	}
	a->excl = xstrdup(row[7] != NULL ? row[7] : "");
	a->incl = xstrdup(row[8] != NULL ? row[8] : "");
	mysql_free_result(res);
	return 1;

fail:
	if (res != NULL)
		mysql_free_result(res);
	binlog_audit_clear(a);
	return -1;
}

/* A GTID list of the server's (digits, '-', ','), copied; -1 if not. */
static int
binlog_gtid_copy(const char *s, char *gtid, size_t gtidsz)
{
	size_t	 n;

	n = strspn(s, "0123456789-,");
	if (s[n] != '\0' || n >= gtidsz)
		return -1;
	memcpy(gtid, s, n + 1);
	return 0;
}

/*
 * The server's @@server_id and the GTID state its log has at pos
 * (BINLOG_GTID_POS), for checking a stored position before reading from
 * it. 1 and both; 0 when the server holds no file pos->file (purged:
 * the dump says so); 2 when it holds the file but pos is not where one of
 * its events starts (beyond its end, or inside an event). Only on a
 * connection that is not reading the log.
 */
int
binlog_origin(struct binlog *b, const struct binlog_pos *pos,
    uint64_t *server_id, char *gtid, size_t gtidsz, char **cause)
{
	MYSQL_RES	*res = NULL;
	MYSQL_ROW	 row;
	char		 esc[BINLOG_FILE_MAX * 2 + 1], *sql;
	size_t		 len;
	int		 r, found = 0;

	if (b->dumping) {
		*cause = xstrdup("binlog_origin: the connection is reading the "
		    "binary log");
		return -1;
	}
	len = strnlen(pos->file, sizeof pos->file);
	if (len == 0 || len > BINLOG_FILE_MAX || gtidsz == 0) {
		*cause = xstrdup("binlog_origin: not a position");
		return -1;
	}
	mysql_real_escape_string(b->my, esc, pos->file, (unsigned long)len);
	sql = xasprintf("SELECT @@GLOBAL.server_id, BINLOG_GTID_POS('%s', "
	    "%llu)", esc, (unsigned long long)pos->offset);
	r = binlog_row(b, sql, 2, &res, &row, cause);
	free(sql);
	if (r == 0)
		*cause = xstrdup("BINLOG_GTID_POS: no result");
	if (r != 1)
		goto fail;
	if (binlog_number(row[0], server_id) == -1) {
		*cause = xstrdup("@@server_id is not a number");
		goto fail;
	}
	if (row[1] != NULL) {
		if (binlog_gtid_copy(row[1], gtid, gtidsz) == -1) {
			*cause = xstrdup("BINLOG_GTID_POS is not a list of "
			    "GTIDs that fits");
			goto fail;
		}
		mysql_free_result(res);
		return 1;
	}
	mysql_free_result(res);
	res = NULL;

	/* No state there: is it the file that is gone, or the position? */
	if (binlog_query(b, "SHOW BINARY LOGS", &res, cause) == -1)
		goto fail;
	if (res == NULL || mysql_num_fields(res) < 1) {
		*cause = xstrdup("SHOW BINARY LOGS: unexpected result");
		goto fail;
	}
	while ((row = mysql_fetch_row(res)) != NULL) {
		if (row[0] != NULL && strcmp(row[0], pos->file) == 0)
			found = 1;
	}
	if (mysql_errno(b->my) != 0) {
		*cause = binlog_err(b, "SHOW BINARY LOGS");
		goto fail;
	}
	mysql_free_result(res);
	return found ? 2 : 0;

fail:
	if (res != NULL)
		mysql_free_result(res);
	return -1;
}

/* 1 when the last four bytes of p are the CRC32 of the ones before. */
static int
binlog_crc_ok(const unsigned char *p, size_t len)
{
	uLong	 c;

	if (len < BINLOG_CRC || len - BINLOG_CRC > UINT_MAX)
		return 0;
	c = crc32(0L, Z_NULL, 0);
	c = crc32(c, p, (uInt)(len - BINLOG_CRC));
	return ((uint32_t)c == binlog_le32(p + len - BINLOG_CRC));
}

/*
 * A compressed statement (MariaDB's log_bin_compress): one byte, 0x80 |
 * algorithm (0, zlib) << 4 | the size's length (1 to 4), the inflated
 * size big-endian, then the zlib stream.
 */
static int
binlog_inflate(struct binlog *b, const unsigned char *p, size_t len,
    const unsigned char **out, size_t *outlen, char **cause)
{
	uint64_t	 size = 0;
	uLongf		 got;
	size_t		 nlen, i;

	if (len < 1 || (p[0] & 0x80) == 0 || ((p[0] >> 4) & 0x07) != 0 ||
	    (nlen = p[0] & 0x07) < 1 || nlen > 4 || len - 1 < nlen)
		goto bad;
	for (i = 0; i < nlen; i++)
		size = (size << 8) | p[1 + i];
	if (size > b->maxpkt) {
		*cause = xasprintf("a compressed statement claims %llu bytes, "
		    "more than max_allowed_packet",
		    (unsigned long long)size);
		return -1;
	}
	free(b->inflated);
	b->inflated = xmalloc(size != 0 ? size : 1);
	got = (uLongf)size;
	if (len - 1 - nlen > ULONG_MAX ||
	    uncompress(b->inflated, &got, p + 1 + nlen,
	    (uLong)(len - 1 - nlen)) != Z_OK || got != size)
		goto bad;
	*out = b->inflated;
	*outlen = size;
	return 0;

bad:
	*cause = xstrdup("a compressed statement in the binary log cannot be "
	    "inflated");
	return -1;
}

/* The text of a statement without case: BEGIN, COMMIT, ROLLBACK. */
static int
binlog_is(const char *stmt, size_t len, const char *word)
{
	size_t	 n = strlen(word);

	return (len == n && strncasecmp(stmt, word, n) == 0);
}

/* "XA word ..." (a blank between, any case). */
static int
binlog_xa_is(const char *s, size_t len, const char *word)
{
	size_t	 i = 2, n = strlen(word);

	if (len < 2 || strncasecmp(s, "XA", 2) != 0)
		return 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
		i++;
	if (i == 2 || len - i < n || strncasecmp(s + i, word, n) != 0)
		return 0;
	return (len - i == n || s[i + n] == ' ' || s[i + n] == '\t' ||
	    s[i + n] == '\n');
}

/* Start of an event group (a GTID event, or a BEGIN without one). */
static void
binlog_group(struct binlog *b, const char *gtid, int standalone)
{
	b->ingroup = 1;
	b->standalone = standalone;
	b->thread_id = 0;
	b->xa = 0;
	b->xid[0] = '\0';
	snprintf(b->gtid, sizeof b->gtid, "%s", gtid);
}

/*
 * An xid as the follower spells it, from its parts: 0, or -1 when a part
 * is longer than XA allows.
 */
static int
binlog_xid(char *out, int32_t fmt, const unsigned char *data, size_t glen,
    size_t blen)
{
	static const char hex[] = "0123456789abcdef";
	size_t	 i, o = 0;

	if (glen > BINLOG_XID_PART_MAX || blen > BINLOG_XID_PART_MAX)
		return -1;
	out[o++] = 'X';
	out[o++] = '\'';
	for (i = 0; i < glen + blen; i++) {
		if (i == glen) {
			memcpy(out + o, "',X'", 4);
			o += 4;
		}
		out[o++] = hex[data[i] >> 4];
		out[o++] = hex[data[i] & 0xf];
	}
	if (blen == 0) {
		memcpy(out + o, "',X'", 4);
		o += 4;
	}
	/* 4 + 2 * 128 + 4 + 12 fit BINLOG_XID_MAX. */
	snprintf(out + o, BINLOG_XID_MAX + 1 - o, "',%ld", (long)fmt);
	return 0;
}

/*
 * The XA part of a GTID event after its flags, at off: formatID (4),
 * gtrid and bqual lengths (1 each), their bytes. 0, -1 when malformed.
 */
static int
binlog_gtid_xa(struct binlog *b, const unsigned char *body, size_t blen,
    int flags)
{
	size_t	 off = BINLOG_GTID_PHL, glen, qlen;

	if (flags & BINLOG_GROUP_COMMIT_ID)
		off += 8;
	if (blen < off + 6)
		return -1;
	glen = body[off + 4];
	qlen = body[off + 5];
	if (blen - off - 6 < glen + qlen ||
	    binlog_xid(b->xid, (int32_t)binlog_le32(body + off), body + off + 6,
	    glen, qlen) == -1)
		return -1;
	b->xa = flags & (BINLOG_PREPARED_XA | BINLOG_COMPLETED_XA);
	return 0;
}

static void	 binlog_fill(struct binlog *, struct binlog_event *,
		    enum binlog_evtype, int);
static void	 binlog_ungroup(struct binlog *);

/*
 * XA_PREPARE_LOG_EVENT: one_phase (1), formatID (4), gtrid and bqual
 * lengths (4 each), their bytes. It ends the group its GTID event said
 * would be prepared, with the same xid; one phase is a commit.
 */
static int
binlog_xa_prepare(struct binlog *b, struct binlog_event *ev,
    const unsigned char *body, size_t blen, char **cause)
{
	char		 xid[BINLOG_XID_MAX + 1];
	uint32_t	 glen, qlen;

	if (blen < 13)
		goto bad;
	glen = binlog_le32(body + 5);
	qlen = binlog_le32(body + 9);
	if (glen > BINLOG_XID_PART_MAX || qlen > BINLOG_XID_PART_MAX ||
	    blen - 13 < glen + qlen || binlog_xid(xid,
	    (int32_t)binlog_le32(body + 1), body + 13, glen, qlen) == -1)
		goto bad;
	if (body[0] != 0) {
		binlog_fill(b, ev, BINLOG_COMMIT, BINLOG_XA_PREPARE_EV);
		binlog_ungroup(b);
		return 1;
	}
	if (!b->ingroup || b->xa != BINLOG_PREPARED_XA ||
	    strcmp(xid, b->xid) != 0) {
		*cause = xasprintf("an XA PREPARE at %s:%llu ends a group "
		    "that was not begun as the same prepared XA transaction",
		    b->pos.file, (unsigned long long)b->pos.offset);
		return -1;
	}
	binlog_fill(b, ev, BINLOG_XA_PREPARE, BINLOG_XA_PREPARE_EV);
	memcpy(ev->xid, xid, sizeof ev->xid);
	binlog_ungroup(b);
	return 1;

bad:
	*cause = xasprintf("an XA PREPARE event at %s:%llu cannot be read",
	    b->pos.file, (unsigned long long)b->pos.offset);
	return -1;
}

static void
binlog_fill(struct binlog *b, struct binlog_event *ev, enum binlog_evtype t,
    int rawtype)
{
	memset(ev, 0, sizeof *ev);
	ev->type = t;
	ev->rawtype = rawtype;
	ev->next = b->pos;
	ev->at = b->at;
	ev->temporary = (b->evflags & BINLOG_THREAD_SPECIFIC) != 0;
	memcpy(ev->gtid, b->gtid, sizeof ev->gtid);
	ev->thread_id = b->thread_id;
	ev->when = b->when;
	ev->created = b->created;
}

/* The group ends with this event: what follows belongs to no group. */
static void
binlog_ungroup(struct binlog *b)
{
	b->ingroup = 0;
	b->standalone = 0;
	b->gtid[0] = '\0';
	b->thread_id = 0;
	b->xa = 0;
	b->xid[0] = '\0';
}

/* A query event: BEGIN, COMMIT, ROLLBACK, or a statement. */
static int
binlog_query_event(struct binlog *b, struct binlog_event *ev, int type,
    const unsigned char *body, size_t blen, char **cause)
{
	const unsigned char	*stmt, *db;
	size_t			 phl, off, dblen, svlen, slen;
	const char		*s;

	phl = b->fde ? b->phl[type - 1] : BINLOG_QUERY_PHL;
	if (phl < BINLOG_QUERY_PHL || blen < phl)
		goto bad;
	dblen = body[8];
	svlen = binlog_le16(body + 11);
	off = phl;
	if (blen - off < svlen)
		goto bad;
	off += svlen;
	if (blen - off < dblen + 1)
		goto bad;
	db = body + off;
	off += dblen + 1;
	stmt = body + off;
	slen = blen - off;
	if (type == QUERY_COMPRESSED_EVENT &&
	    binlog_inflate(b, stmt, slen, &stmt, &slen, cause) == -1)
		return -1;
	s = (const char *)stmt;

	/* The connection id (pseudo_thread_id) of the group, where held. */
	if (binlog_is(s, slen, "BEGIN")) {
		if (b->ingroup) {
			b->thread_id = binlog_le32(body);
			return 0;
		}
		binlog_group(b, "", 0);
		b->thread_id = binlog_le32(body);
		binlog_fill(b, ev, BINLOG_BEGIN, type);
		return 1;
	}
	b->thread_id = binlog_le32(body);
	if (binlog_is(s, slen, "COMMIT")) {
		binlog_fill(b, ev, BINLOG_COMMIT, type);
		binlog_ungroup(b);
		return 1;
	}
	if (binlog_is(s, slen, "ROLLBACK")) {
		binlog_fill(b, ev, BINLOG_ROLLBACK, type);
		binlog_ungroup(b);
		return 1;
	}
	/* XA COMMIT or ROLLBACK of a prepared group: the GTID's xid. */
	if (binlog_xa_is(s, slen, "COMMIT") ||
	    binlog_xa_is(s, slen, "ROLLBACK")) {
		if (b->xa != BINLOG_COMPLETED_XA) {
			*cause = xasprintf("an XA COMMIT or ROLLBACK at %s:%llu "
			    "without the xid of its transaction",
			    b->pos.file, (unsigned long long)b->pos.offset);
			return -1;
		}
		binlog_fill(b, ev, binlog_xa_is(s, slen, "COMMIT") ?
		    BINLOG_XA_COMMIT : BINLOG_XA_ROLLBACK, type);
		memcpy(ev->xid, b->xid, sizeof ev->xid);
		if (b->standalone) {
			b->queued = 1;
			b->qnext = b->pos;
		}
		return 1;
	}
	binlog_fill(b, ev, BINLOG_QUERY, type);
	ev->db = (const char *)db;
	ev->dblen = dblen;
	ev->stmt = s;
	ev->stmtlen = slen;
	if (b->standalone) {
		/* No COMMIT follows a DDL statement's group: make one. */
		b->queued = 1;
		b->qnext = b->pos;
	}
	return 1;

bad:
	*cause = xasprintf("a query event at %s:%llu cannot be read",
	    b->pos.file, (unsigned long long)b->pos.offset);
	return -1;
}

/*
 * The post-header lengths binrow.c reads TABLE_MAP and ROWS events with
 * (8, and 10 for the version 2 ROWS events): a log that announces others
 * is refused rather than misread. A type the description does not list
 * has the standard length.
 */
static int
binlog_fde_rows(const struct binlog *b, char **cause)
{
	static const struct {
		int		 type;
		unsigned char	 len;
	} want[] = {
		{ TABLE_MAP_EVENT, 8 },
		{ WRITE_ROWS_EVENT_V1, 8 },
		{ UPDATE_ROWS_EVENT_V1, 8 },
		{ DELETE_ROWS_EVENT_V1, 8 },
		{ WRITE_ROWS_EVENT, 10 },
		{ UPDATE_ROWS_EVENT, 10 },
		{ DELETE_ROWS_EVENT, 10 },
		{ WRITE_ROWS_COMPRESSED_EVENT_V1, 8 },
		{ UPDATE_ROWS_COMPRESSED_EVENT_V1, 8 },
		{ DELETE_ROWS_COMPRESSED_EVENT_V1, 8 },
		{ WRITE_ROWS_COMPRESSED_EVENT, 10 },
		{ UPDATE_ROWS_COMPRESSED_EVENT, 10 },
		{ DELETE_ROWS_COMPRESSED_EVENT, 10 },
	};
	size_t	 i;
	int	 t;

	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		t = want[i].type;
		if (b->phl[t - 1] != 0 && b->phl[t - 1] != want[i].len) {
			*cause = xasprintf("the format description of %s gives "
			    "event type %d a post-header of %u bytes, not %u: "
			    "a binary log of another format", b->pos.file, t,
			    b->phl[t - 1], want[i].len);
			return -1;
		}
	}
	return 0;
}

/* A format description: the checksum and the post-header lengths. */
static int
binlog_fde(struct binlog *b, const unsigned char *p, size_t n, char **cause)
{
	const unsigned char	*body = p + BINLOG_HEADER;
	size_t			 blen, nphl;
	int			 alg;

	if (n < BINLOG_HEADER + BINLOG_FDE_FIXED + 1 + BINLOG_CRC)
		goto bad;
	blen = n - BINLOG_HEADER;
	/* Its algorithm byte and a CRC32 field end it, whatever the byte. */
	alg = p[n - BINLOG_CRC - 1];
	if (alg != 0 && alg != 1) {
		*cause = xasprintf("the binary log uses checksum algorithm %d, "
		    "neither CRC32 nor NONE", alg);
		return -1;
	}
	if (binlog_le16(body) != 4 || body[BINLOG_FDE_FIXED - 1] !=
	    BINLOG_HEADER)
		goto bad;
	if (alg == 1 && !binlog_crc_ok(p, n)) {
		*cause = xasprintf("checksum mismatch in the format description "
		    "of %s", b->pos.file);
		return -1;
	}
	nphl = blen - BINLOG_FDE_FIXED - 1 - BINLOG_CRC;
	if (nphl > sizeof b->phl)
		nphl = sizeof b->phl;
	memset(b->phl, 0, sizeof b->phl);
	memcpy(b->phl, body + BINLOG_FDE_FIXED, nphl);
	if (binlog_fde_rows(b, cause) == -1)
		return -1;
	b->crc = alg;
	b->fde = 1;
	return 0;

bad:
	*cause = xasprintf("the format description of %s cannot be read",
	    b->pos.file);
	return -1;
}

/*
 * Read the event in b->ev: 1 and ev filled, 0 when it is consumed here,
 * -1 on an error.
 */
static int
binlog_event(struct binlog *b, struct binlog_event *ev, char **cause)
{
	const unsigned char	*p, *body;
	size_t			 n, blen;
	uint32_t		 len, logpos, sid;
	uint16_t		 fl;
	uint64_t		 seq;
	int			 type, crc, artificial, r;
	struct binlog_pos	 to;
	char			 gtid[BINLOG_GTID_MAX + 1];

	if (b->ev->raw_data == NULL ||
	    b->ev->raw_data_ofs > b->ev->raw_data_size)
		goto bad;
	p = b->ev->raw_data + b->ev->raw_data_ofs;
	n = b->ev->raw_data_size - b->ev->raw_data_ofs;
	if (n < BINLOG_HEADER)
		goto bad;
	type = p[4];
	sid = binlog_le32(p + 5);
	len = binlog_le32(p + 9);
	logpos = binlog_le32(p + 13);
	fl = binlog_le16(p + 17);
	b->evflags = fl;
	if (len != n)
		goto bad;
	/* The server had nothing new: the follower commits what it holds. */
	if (type == HEARTBEAT_LOG_EVENT) {
		binlog_fill(b, ev, BINLOG_IDLE, type);
		return 1;
	}
	if (type == FORMAT_DESCRIPTION_EVENT) {
		if (binlog_fde(b, p, n, cause) == -1)
			goto fail;
		crc = 1;	/* its CRC field, checked or not */
		/* When the server opened the file: its generation. */
		b->created = binlog_le32(p);
		if (b->created0 == 0)
			b->created0 = b->created;
	} else {
		/* Before the first one: the algorithm asked for at connect. */
		crc = b->fde ? b->crc : b->crc_connect;
		if (crc && !binlog_crc_ok(p, n)) {
			*cause = xasprintf("checksum mismatch in the binary "
			    "log at %s:%llu", b->pos.file,
			    (unsigned long long)b->pos.offset);
			goto fail;
		}
	}
	if (crc && n < BINLOG_HEADER + BINLOG_CRC)
		goto bad;
	body = p + BINLOG_HEADER;
	blen = n - BINLOG_HEADER - (crc ? BINLOG_CRC : 0);

	/*
	 * Artificial events (the dump's rotation, the format description
	 * sent again when a dump starts inside a file) have no place in the
	 * log. The others follow each other without a gap.
	 */
	artificial = (fl & BINLOG_ARTIFICIAL) != 0 || logpos == 0;
	if (!artificial) {
		if ((uint32_t)(b->pos.offset + len) != logpos) {
			*cause = xasprintf("the binary log skips from %s:%llu "
			    "to %u", b->pos.file,
			    (unsigned long long)b->pos.offset, logpos);
			goto fail;
		}
		b->at = b->pos;
		b->pos.offset += len;
	}
	b->when = binlog_le32(p);
	if (!b->started && type != ROTATE_EVENT) {
		*cause = xasprintf("the server's dump does not start with a "
		    "rotation to %s:%llu", b->pos.file,
		    (unsigned long long)b->pos.offset);
		goto fail;
	}

	switch (type) {
	case ROTATE_EVENT:
		if (blen < 8 + 1)
			goto bad;
		if (binlog_set_file(&to, body + 8, blen - 8, cause) == -1)
			goto fail;
		to.offset = binlog_le64(body);
		/* The dump's first event names where it starts: ours. */
		if (!b->started && (to.offset != b->pos.offset ||
		    strcmp(to.file, b->pos.file) != 0)) {
			*cause = xasprintf("the server starts the binary log at "
			    "%s:%llu, not at %s:%llu", to.file,
			    (unsigned long long)to.offset, b->pos.file,
			    (unsigned long long)b->pos.offset);
			goto fail;
		}
		b->started = 1;
		b->pos = to;
		return 0;
	case GTID_EVENT:
		if (blen < BINLOG_GTID_PHL)
			goto bad;
		seq = binlog_le64(body);
		snprintf(gtid, sizeof gtid, "%u-%u-%llu",
		    (unsigned)binlog_le32(body + 8), (unsigned)sid,
		    (unsigned long long)seq);
		binlog_group(b, gtid, (body[12] & BINLOG_STANDALONE) != 0);
		if ((body[12] & (BINLOG_PREPARED_XA | BINLOG_COMPLETED_XA)) &&
		    binlog_gtid_xa(b, body, blen, body[12]) == -1) {
			*cause = xasprintf("the xid of an XA transaction at "
			    "%s:%llu cannot be read", b->pos.file,
			    (unsigned long long)b->pos.offset);
			goto fail;
		}
		binlog_fill(b, ev, BINLOG_BEGIN, type);
		/* Its rows wait for XA COMMIT: say so at its start. */
		if (b->xa == BINLOG_PREPARED_XA)
			memcpy(ev->xid, b->xid, sizeof ev->xid);
		return 1;
	case QUERY_EVENT:
	case QUERY_COMPRESSED_EVENT:
		if ((r = binlog_query_event(b, ev, type, body, blen,
		    cause)) == -1)
			goto fail;
		return r;
	case XID_EVENT:
		binlog_fill(b, ev, BINLOG_COMMIT, type);
		binlog_ungroup(b);
		return 1;
	case TABLE_MAP_EVENT:
		binlog_fill(b, ev, BINLOG_TABLE_MAP, type);
		ev->body = body;
		ev->len = blen;
		return 1;
	case WRITE_ROWS_EVENT_V1:
	case UPDATE_ROWS_EVENT_V1:
	case DELETE_ROWS_EVENT_V1:
	case WRITE_ROWS_EVENT:
	case UPDATE_ROWS_EVENT:
	case DELETE_ROWS_EVENT:
	case WRITE_ROWS_COMPRESSED_EVENT_V1:
	case UPDATE_ROWS_COMPRESSED_EVENT_V1:
	case DELETE_ROWS_COMPRESSED_EVENT_V1:
	case WRITE_ROWS_COMPRESSED_EVENT:
	case UPDATE_ROWS_COMPRESSED_EVENT:
	case DELETE_ROWS_COMPRESSED_EVENT:
		/* Compressed bodies stay so: binrow_rows_parse inflates. */
		binlog_fill(b, ev, BINLOG_ROWS, type);
		ev->body = body;
		ev->len = blen;
		return 1;
	case ANNOTATE_ROWS_EVENT:
		/* The statement's text, for the audit log's (follow.c). */
		binlog_fill(b, ev, BINLOG_ANNOTATE, type);
		ev->stmt = (const char *)body;
		ev->stmtlen = blen;
		return 1;
	case FORMAT_DESCRIPTION_EVENT:
	case STOP_EVENT:
	case INTVAR_EVENT:
	case RAND_EVENT:
	case USER_VAR_EVENT:
	case IGNORABLE_LOG_EVENT:
	case ROWS_QUERY_LOG_EVENT:
	case BINLOG_CHECKPOINT_EVENT:
	case GTID_LIST_EVENT:
	case START_ENCRYPTION_EVENT:
		return 0;
	case INCIDENT_EVENT:
		*cause = xasprintf("the binary log records an incident at "
		    "%s:%llu: events may be missing", b->pos.file,
		    (unsigned long long)b->pos.offset);
		goto fail;
	case BINLOG_XA_PREPARE_EV:
		if ((r = binlog_xa_prepare(b, ev, body, blen, cause)) == -1)
			goto fail;
		return r;
	default:
		if (fl & BINLOG_IGNORABLE)
			return 0;
		*cause = xasprintf("an event of type %d at %s:%llu cannot be "
		    "read", type, b->pos.file,
		    (unsigned long long)b->pos.offset);
		goto fail;
	}

bad:
	*cause = xasprintf("a malformed event in the binary log at %s:%llu",
	    b->pos.file, (unsigned long long)b->pos.offset);
fail:
	b->failed = 1;
	return -1;
}

/*
 * The next event the follower uses. Waiting (BINLOG_BLOCK) ends when *stop
 * is set: the server's heartbeat wakes the read once a second.
 */
int
binlog_next(struct binlog *b, struct binlog_event *ev,
    volatile sig_atomic_t *stop, char **cause)
{
	int	 r;

	if (b->failed || !b->dumping) {
		*cause = xstrdup(b->dumping ? "the binary log cannot be read "
		    "after an error" : "binlog_next: no position was given");
		return -1;
	}
	for (;;) {
		if (b->queued) {
			b->queued = 0;
			binlog_fill(b, ev, BINLOG_COMMIT, QUERY_EVENT);
			ev->next = b->qnext;
			binlog_ungroup(b);
			return 1;
		}
		if (b->eof)
			return 0;
		if (!b->have) {
			if (stop != NULL && *stop)
				return 0;
			if ((r = binlog_fetch(b, cause)) != 1)
				return r;
		}
		b->have = 0;
		if ((r = binlog_event(b, ev, cause)) != 0)
			return r;
	}
}

#endif /* BINLOG_RPL */

/*
 * When the server opened the file of pos, and whether the log can be
 * read from there at all (the settings, the privileges): a dump from
 * pos, one event long.
 */
int
binlog_probe(const char *defaults_file, const char *group,
    const struct binlog_pos *pos, uint32_t server_id,
    volatile sig_atomic_t *stop, uint32_t *created, char **cause)
{
	struct binlog		*b;
	struct binlog_event	 ev;

	*created = 0;
	if ((b = binlog_open(defaults_file, group, pos, server_id, 0,
	    cause)) == NULL)
		return -1;
	if (binlog_next(b, &ev, stop, cause) == -1) {
		binlog_close(b);
		return -1;
	}
	*created = binlog_created(b);
	binlog_close(b);
	return 0;
}

/* Free what binlog_audit allocated. */
void
binlog_audit_clear(struct binlog_audit *a)
{
	free(a->path);
	free(a->excl);
	free(a->incl);
	memset(a, 0, sizeof *a);
}

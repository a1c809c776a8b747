/* The binary log as a replica client reads it: positions and events. */
#ifndef BINLOG_H
#define BINLOG_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/*
 * binlog_open returns a struct binlog that belongs to the caller
 * (binlog_close). Only this file includes mariadb_rpl.h. It connects with
 * the MySQL option file and group (as source_mysql.c), checks that the
 * server can be followed (the binary log on, binlog_format ROW,
 * binlog_row_image FULL, binlog_row_metadata FULL, the privileges; each
 * refusal names its cause), and asks for the log from a position. Built
 * without Connector/C's replication API (mysqlclient), binlog_open fails
 * saying so.
 */
struct binlog;

#define BINLOG_FILE_MAX	511	/* bytes of a binary log's file name */
#define BINLOG_GTID_MAX	63	/* "domain-server-seq", decimal */

/* A position in the binary log: the file and the offset of an event. */
struct binlog_pos {
	char		 file[BINLOG_FILE_MAX + 1];
	uint64_t	 offset;
};

enum binlog_evtype {
	BINLOG_BEGIN,		/* a transaction (event group) starts */
	BINLOG_TABLE_MAP,	/* body: binrow_map_parse */
	BINLOG_ROWS,		/* body: binrow_rows_parse(rawtype) */
	BINLOG_QUERY,		/* a statement other than BEGIN/COMMIT */
	BINLOG_COMMIT,		/* the transaction committed (XID, COMMIT) */
	BINLOG_ROLLBACK,	/* a non-transactional group's ROLLBACK */
	BINLOG_XA_PREPARE,	/* the group ends prepared (XA PREPARE) */
	BINLOG_XA_COMMIT,	/* XA COMMIT xid of a prepared group */
	BINLOG_XA_ROLLBACK,	/* XA ROLLBACK xid of a prepared group */
	BINLOG_IDLE,		/* BINLOG_BLOCK: nothing new for a
				   heartbeat's period (a second) */
	BINLOG_ANNOTATE,	/* stmt: the text of the statement whose
				   row events follow (Annotate_rows) */
};

/* An XA transaction's id as binlog.c spells it: X'gtrid',X'bqual',fmt. */
#define BINLOG_XID_MAX	300

/*
 * One event, borrowed until the next binlog_next. body and len are the
 * event after its common header, without the checksum (TABLE_MAP, ROWS;
 * NULL and 0 otherwise). A compressed ROWS body (rawtype 166-171) is
 * handed on as the log holds it: binrow_rows_parse(rawtype) inflates it.
 * A compressed statement (QUERY_COMPRESSED, 165) is inflated here: stmt
 * is its text. rawtype is the type the log holds (XID 16, QUERY 2 or 165
 * for COMMIT, GTID 162 for BEGIN...). next is the position after the
 * event (where a reader that stops after it resumes), at where the
 * last event the log holds (not one binlog.c makes) began: for a
 * BINLOG_BEGIN, where its group begins; temporary is set on a statement
 * that uses a temporary table (LOG_EVENT_THREAD_SPECIFIC_F: its names
 * may be a temporary table's, not the table of that name); a standalone
 * group's COMMIT, which binlog.c makes, has its query's next. gtid and
 * thread_id are those of the transaction the event belongs to (gtid ""
 * where the log holds none). thread_id is the connection id
 * (pseudo_thread_id) from the group's query events, 0 until one is seen:
 * MariaDB 10.11 writes none for a row-based transaction on a
 * transactional engine (GTID, TABLE_MAP, ROWS, XID); a DDL statement's
 * query and the COMMIT query ending a non-transactional group carry it,
 * so a group's COMMIT holds it where the log does. when is the event's
 * time stamp (seconds since the epoch, UTC). created is the time stamp of
 * the format description at the start of the file the event is in (when
 * the server opened it: after RESET MASTER, or on another server, a file
 * of the same name has another), 0 until the dump has sent it.
 *
 * XA: MariaDB writes a prepared XA transaction's rows as a group whose
 * GTID event is flagged prepared and holds the xid, ended by an
 * XA_PREPARE event instead of a commit; XA COMMIT xid or XA ROLLBACK xid
 * comes later (maybe after a restart) as a statement group of its own.
 * xid is set ("" otherwise) on such a group's BINLOG_BEGIN, on
 * BINLOG_XA_PREPARE (which ends it: no BINLOG_COMMIT follows), and on
 * the BINLOG_XA_COMMIT and BINLOG_XA_ROLLBACK statements, each followed
 * by the BINLOG_COMMIT of its group; an xid always has the same
 * spelling: X'hex gtrid',X'hex bqual',formatID, hex in lower case. XA
 * COMMIT ... ONE PHASE is logged as an ordinary transaction.
 */
struct binlog_event {
	enum binlog_evtype	 type;
	int			 rawtype;
	const unsigned char	*body;
	size_t			 len;
	struct binlog_pos	 next;
	struct binlog_pos	 at;
	int			 temporary;	/* LOG_EVENT_THREAD_SPECIFIC_F */
	char			 gtid[BINLOG_GTID_MAX + 1];
	uint32_t		 thread_id;
	uint32_t		 when;
	uint32_t		 created;
	const char		*db;		/* BINLOG_QUERY: the default */
	size_t			 dblen;		/* database and the statement */
	const char		*stmt;		/* (never printed: it may hold */
	size_t			 stmtlen;	/* masked values) */
	char			 xid[BINLOG_XID_MAX + 1];
};

/* How binlog_open starts and how binlog_next ends. */
#define BINLOG_BLOCK	0x1	/* wait for new events (follow -f) */

struct binlog	*binlog_open(const char *, const char *,
		    const struct binlog_pos *, uint32_t, int, char **);
void		 binlog_close(struct binlog *);
int		 binlog_end(struct binlog *, struct binlog_pos *, char *,
		    size_t, char **);
int		 binlog_next(struct binlog *, struct binlog_event *,
		    volatile sig_atomic_t *, char **);
int		 binlog_origin(struct binlog *, const struct binlog_pos *,
		    uint64_t *, char *, size_t, char **);
uint32_t	 binlog_created(const struct binlog *);
int		 binlog_probe(const char *, const char *,
		    const struct binlog_pos *, uint32_t,
		    volatile sig_atomic_t *, uint32_t *, char **);

/* What the server's audit plugin (server_audit) is set to write. */
struct binlog_audit {
	int		 loaded;	/* the plugin's variables exist */
	int		 logging;	/* server_audit_logging ON */
	int		 file;		/* server_audit_output_type file */
	int		 connect;	/* server_audit_events: CONNECT, */
	int		 query;		/* QUERY or QUERY_DML (or all) */
	char		*path;		/* server_audit_file_path, made */
					/* absolute with the datadir */
	char		*excl;		/* server_audit_excl_users */
	char		*incl;		/* server_audit_incl_users */
	uint64_t	 limit;		/* server_audit_query_log_limit */
	uint64_t	 rotations;	/* server_audit_file_rotations */
	long		 offset;	/* the server's local time minus */
					/* UTC, in seconds, now */
};
int		 binlog_audit(struct binlog *, struct binlog_audit *,
		    char **);
void		 binlog_audit_clear(struct binlog_audit *);

/*
 * binlog_open: defaults file, group, the position to read from (NULL:
 * only connect and check, for binlog_end), the server id to present, and
 * BINLOG_BLOCK or 0. Given a position, it starts the dump and reads the
 * server's first answer, so that a refused dump (privilege missing,
 * position purged) fails here. The server id must be one no replica and
 * no other follower of the server uses: the server ends an earlier dump
 * of the same id when a new one starts.
 * binlog_end: the current end of the log and the GTID of the last
 * transaction written (gtid_binlog_pos, one GTID a replication domain,
 * comma-separated; "" if none), for a first run; only on a struct binlog
 * opened without a position (the connection of a dump is the server's).
 * binlog_origin: the server's @@server_id and the GTID state its log
 * has at a position (BINLOG_GTID_POS: one GTID a domain, comma-separated,
 * "" before any), for checking a stored position: 1; 0 when the server
 * holds no such file (purged); 2 when it holds the file but no event
 * starts at the offset; only on a struct binlog opened without a position.
 * binlog_audit: the audit plugin's settings, on a struct binlog opened
 * without a position; loaded 0 when the server has no such plugin.
 * binlog_audit_clear frees what binlog_audit allocated.
 * binlog_created: the time stamp of the format description of the file
 * the dump started in (when the server opened that file), once
 * binlog_next has returned; 0 before. binlog_probe: the same for a
 * position, through a dump of its own one event long (0 when none was
 * read), or -1 and *cause when the log cannot be read from there.
 * binlog_next: 1 and an event; 0 at the end of the log (without
 * BINLOG_BLOCK), or when *stop was set while waiting; -1 and *cause on an
 * error: the position purged, a lost connection, an event that cannot be
 * read, a gap between two events, a checksum mismatch, an incident
 * event, an XA event or statement whose xid cannot be read, an XA
 * PREPARE that ends another group than it prepared. Events that carry
 * nothing the follower uses (format description, rotation, GTID lists,
 * checkpoints, annotations, INTVAR/RAND/USER_VAR) are consumed inside; a
 * rotation is seen in next.file. After -1 the struct binlog only closes.
 * Waiting with BINLOG_BLOCK, the server's heartbeat (one a second while
 * the log is idle) wakes the read so that *stop is seen, and is given as
 * BINLOG_IDLE (next unchanged): the log has nothing new for now.
 */

#endif

/* MariaDB server_audit's file output: who ran a connection or a statement. */
#ifndef AUDIT_H
#define AUDIT_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

/*
 * What audit_create returns belongs to the caller (audit_free; NULL does
 * nothing). An account handed back ("USER@HOST", raw bytes, NUL-ended)
 * is borrowed until the next audit_read or audit_prune.
 *
 * Every byte of the file is hostile: USER, HOST and DB may hold commas,
 * quotes and newlines, so a line is taken only when it splits one way
 * (audit_parse); a line that does not is counted (audit_rejected), never
 * guessed at.
 */
#define AUDIT_LINE_MAX		(1024 * 1024)
#define AUDIT_QUERIES_MAX	131072
#define AUDIT_CONNS_MAX		131072
#define AUDIT_DIGEST_LEN	16
/* audit_stmt walks at most this many records, and hashes at most this
 * many prefixes of the statement (one per length of a cut text). */
#define AUDIT_WALK_MAX		4096
#define AUDIT_PREFIX_MAX	64

enum audit_op {
	AUDIT_CONNECT,
	AUDIT_FAILED_CONNECT,
	AUDIT_DISCONNECT,
	AUDIT_CHANGEUSER,	/* USER and HOST empty, DB garbage (10.11) */
	AUDIT_QUERY,
	AUDIT_READ,
	AUDIT_WRITE,
	AUDIT_CREATE,
	AUDIT_DROP,
	AUDIT_ALTER,
	AUDIT_RENAME,		/* object "table|newdb.newtable" */
};

struct audit;

/*
 * One parsed line. Pointers are into the line. obj is the QUERY text as
 * logged ('...' with the quotes, escaped), the table for a TABLE event,
 * empty for a connection event; code is the last field (RETCODE of a
 * QUERY, the status of a connection event, 0 for a TABLE event).
 */
struct audit_line {
	int64_t		 t;
	const char	*user;
	size_t		 userlen;
	const char	*host;
	size_t		 hostlen;
	uint64_t	 conn;
	uint64_t	 query;
	enum audit_op	 op;
	const char	*db;
	size_t		 dblen;
	const char	*obj;
	size_t		 objlen;
	long		 code;
};

/* path: the audit file; offset: server local time minus UTC (seconds);
 * limit: server_audit_query_log_limit (0: none). */
struct audit	*audit_create(const char *, long, size_t);
/* The server's server_audit_file_rotations (0: it never rotates); unknown
 * (-1) by default, when a line of the first read may follow lost ones. */
void		 audit_set_rotations(struct audit *, long);
void		 audit_free(struct audit *);
/* Read what the files now hold (rotated files modified at or after since
 * on the first call, then FILE, then what is appended, following
 * rotations). 0, or -1 with *cause: a file or its directory others could
 * have written (see audit.c), or one that cannot be read. */
int		 audit_read(struct audit *, int64_t, char **);
/* How many files audit_read had open so far. */
int		 audit_files(const struct audit *);
/* 1 when FILE itself was not found at the last audit_read. */
int		 audit_file_missing(const struct audit *);
/* The earliest UTC time from which every QUERY record of the files is
 * kept: the second after the first line of the oldest file read at the
 * first read (older files may be rotated away; lines of that second may
 * be in them), raised likewise past a later loss (FILE rotated past the
 * last rotation kept, or cut in place) and past records dropped
 * (AUDIT_QUERIES_MAX, audit_prune). INT64_MIN before any read,
 * INT64_MAX until a line is read. */
int64_t		 audit_covered(const struct audit *);
/* Lines refused as malformed or ambiguous, and over-long lines skipped. */
uint64_t	 audit_rejected(const struct audit *);
/* Of those, the ones after a line taken at t or later (about their time;
 * a line left out before any is taken counts as of INT64_MIN). */
uint64_t	 audit_rejected_since(const struct audit *, int64_t);
/* 1 and *account when the newest lifetime of connection conn holds t and
 * one account held conn at t; else 0 (t is the session's to set, so an
 * older lifetime of a reused id never answers). */
int		 audit_conn(struct audit *, uint64_t, int64_t, const char **);
/* 1 with *account (and *conn, the newest such record's) when QUERY
 * records carrying the text (or a cut text that begins it) lie in
 * [t0, t1] and every such record kept, at any time, is that one
 * account's; else 2 when any is another account's or not known to be
 * one account's; 3 past AUDIT_WALK_MAX records of the text (or
 * AUDIT_PREFIX_MAX cut lengths, or 16 times AUDIT_WALK_MAX records
 * passed over): not decided; else 0 (none lies in [t0, t1]); 0 also when
 * t0 is at or before the horizon (records dropped); -1 if SHA-256 fails.
 * Records of statements refused before they ran (no privilege, no such
 * table, a syntax error) are not kept. */
int		 audit_stmt(struct audit *, const char *, size_t, int64_t,
		    int64_t, uint64_t *, const char **);
/* audit_stmt, 1 only when a record in [t0, t1] is on connection conn:
 * the statement the log gives with its connection id (,exact). */
int		 audit_stmt_on(struct audit *, const char *, size_t, int64_t,
		    int64_t, uint64_t, const char **);
/* Forget QUERY records and ended connections older than t. */
void		 audit_prune(struct audit *, int64_t);
/* UTC time of the newest record read, or INT64_MIN when none. */
int64_t		 audit_newest(const struct audit *);

/* Parse one line (no '\n'): 0, or -1 when malformed or ambiguous. */
int		 audit_parse(const char *, size_t, long, struct audit_line *);
/* Unescape a QUERY object ('...' with the quotes) into dst (room for
 * objlen bytes): the length, or -1 when malformed. */
ssize_t		 audit_unescape(const char *, size_t, char *);
/* 1 when the server may have cut a QUERY text of esclen escaped bytes
 * that starts off bytes into its line, with this query log limit. */
int		 audit_truncated(size_t, size_t, size_t);

#endif

/* The binary log's row events: a pure decoder of TABLE_MAP and ROWS bodies. */
#ifndef BINROW_H
#define BINROW_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "schema.h"

/*
 * Nothing here talks to a server or allocates through xmalloc: the input
 * is the bytes of one event as the binary log holds them, after the
 * common header (19 bytes) and without the checksum, and any byte of it
 * may be hostile (tests/fuzz/fuzz_binrow.c). Every function returns 0, or
 * -1 with an allocated *cause naming what was wrong; the value given back
 * is then unchanged or cleared. The format: MariaDB's sql/log_event.h and
 * log_event_server.cc, and the protocol documentation of binary log
 * events (docs/BINLOG.md cites them).
 */

struct binrow_members;

/* A TABLE_MAP event: binrow_map_parse fills it, binrow_map_clear frees. */
struct binrow_map {
	uint64_t	 table_id;
	char		*db;		/* raw bytes, NUL-terminated */
	char		*name;
	size_t		 ncols;
	unsigned char	*types;		/* ncols column types (MYSQL_TYPE_*) */
	uint16_t	*meta;		/* ncols, each column's metadata */
	unsigned char	*nullable;	/* bitmap, (ncols + 7) / 8 bytes */
	char		**colnames;	/* ncols names (raw bytes, NUL-
					   terminated), NULL when the map
					   has none (optional metadata) */
	unsigned char	*unsig;		/* ncols, 1 for an unsigned numeric
					   column; NULL when not given */
	struct binrow_members *members;	/* ncols, an ENUM or SET column's
					   members (ENUM_STR_VALUE,
					   SET_STR_VALUE), NULL when not
					   given */
	size_t		*pk;		/* the primary key's column indexes
					   in key order, NULL when not given */
	size_t		 npk;
};

/* The members of one ENUM or SET column as the log holds them. */
struct binrow_members {
	int		 given;		/* 1 for an ENUM or SET column */
	size_t		 n;
	char		**str;		/* n member byte strings */
	size_t		*len;
};

/*
 * meta as MariaDB's rpl_utility keeps it: FLOAT, DOUBLE the byte length;
 * BLOB, GEOMETRY, JSON the length's bytes; TIME2, DATETIME2, TIMESTAMP2
 * the fraction digits; VARCHAR the maximum byte length; BIT the bits % 8
 * in the low byte and the whole bytes in the high; NEWDECIMAL the
 * precision in the high byte and the scale in the low; STRING (and ENUM,
 * SET) the real type in the high byte, the length in the low (CHAR over
 * 255 bytes folded in the log's way). The post-header lengths are the
 * ones MariaDB and MySQL 5.6+ write (TABLE_MAP and ROWS v1 8, ROWS v2 10,
 * a 6-byte table id): the reader checks the format description's.
 */

int	 binrow_map_parse(struct binrow_map *, const unsigned char *, size_t,
	    char **);
void	 binrow_map_clear(struct binrow_map *);

/*
 * binrow_map_check: 0 when the map's columns are the described table's,
 * in order: the same count, each named the same (the map's optional
 * metadata, binlog_row_metadata FULL; a map without names fails), of a
 * type the column has, signedness equal where the map gives it, ENUM and
 * SET members equal where the map gives them, the primary key's columns
 * the schema's key where the map gives one. -1 and
 * *cause naming the first difference: the table changed shape since the
 * event was logged, and its rows must not be decoded against s.
 */
int	 binrow_map_check(const struct binrow_map *, const struct schema *,
	    char **);

enum binrow_kind {
	BINROW_WRITE,
	BINROW_UPDATE,
	BINROW_DELETE,
};

/*
 * A ROWS event (v1 23-25, v2 30-32, MariaDB's compressed 166-171, whose
 * row data binrow_rows_parse inflates into inflated). Its images are
 * read one at a time with binrow_next.
 */
struct binrow_rows {
	enum binrow_kind	 kind;
	uint64_t		 table_id;
	uint16_t		 flags;		/* STMT_END_F 0x1, ... */
	size_t			 ncols;
	const unsigned char	*present;	/* columns in the before image
						   (or the only one) */
	const unsigned char	*present_after;	/* update: the after image */
	const unsigned char	*p;		/* the next row, up to end */
	const unsigned char	*end;
	struct buf		 inflated;	/* owned: binrow_rows_clear */
};

int	 binrow_rows_parse(struct binrow_rows *, int, const unsigned char *,
	    size_t, char **);
void	 binrow_rows_clear(struct binrow_rows *);

/*
 * One row image: for each of the map's ncols columns whether it is in the
 * image, whether it is NULL, and its bytes as the log holds them (for
 * comparing two images: equal bytes, equal values; a length prefix
 * included, raw NULL for an absent or NULL column). Arrays of ncols,
 * owned by the image (binrow_image_free), reused across rows. A struct
 * binrow_image starts zeroed.
 */
struct binrow_image {
	size_t			 ncols;
	unsigned char		*present;
	unsigned char		*null;
	const unsigned char	**raw;		/* into the event's bytes */
	size_t			*rawlen;
};

void	 binrow_image_free(struct binrow_image *);

/*
 * binrow_next reads the next row: an insert's after image into after, a
 * delete's before image into before, an update's both. It returns 1 for
 * a row, 0 at the end of the event, -1 on bytes that do not decode
 * against the map (or a map whose column count or table id differs from
 * the event's, or an old-format TIME, DATETIME, TIMESTAMP column, whose
 * length the map does not give); after -1 the event is over (0).
 */
int	 binrow_next(struct binrow_rows *, const struct binrow_map *,
	    struct binrow_image *, struct binrow_image *, char **);

/*
 * binrow_text writes into out (which it resets) the value of column i of
 * an image as the scanner reads that column under enc (schema.h: the
 * text the server's text protocol gives for it, with the session of
 * source_mysql.c: time_zone '+00:00', sql_mode ''), so that a key built
 * from it with rowenc_key, and a digest with rowenc_digest, equal the
 * scanner's. col describes the column (its COLUMN_TYPE gives what the map
 * does not always carry: unsignedness, ENUM and SET members). A NULL
 * value is not text: the caller tests image->null first. -1 when the
 * map's type cannot hold the schema's column (the table changed shape
 * since the event) or the value cannot be rendered exactly.
 */
int	 binrow_text(const struct binrow_map *, const struct binrow_image *,
	    size_t, const struct column *, enum colenc, struct buf *,
	    char **);

#endif

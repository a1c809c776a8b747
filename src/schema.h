/* The description of a watched table: columns, key and fingerprint. */
#ifndef SCHEMA_H
#define SCHEMA_H

#include <stddef.h>

#include "buf.h"

struct conf_table;

/* How a key column is encoded and ordered (docs/DESIGN.md). */
enum keyclass {
	KEYCLASS_INT,		/* signed integer: ORDER BY col, numeric */
	KEYCLASS_UINT,		/* unsigned integer: ORDER BY col, numeric */
	KEYCLASS_BYTES,		/* bytes: memcmp order */
};

/*
 * How a column's value is read for its digest (docs/DESIGN.md, "How each
 * type is encoded"). Every encoding ever used stays here: a baseline made
 * under an older one is compared under it once (src/scan.c).
 */
enum colenc {
	COLENC_TEXT,		/* the column as the text protocol gives it */
	COLENC_DOUBLE,		/* CAST(col AS DOUBLE): FLOAT, DOUBLE(M,D) */
	COLENC_NUMBER,		/* col + 0: ENUM, SET with an empty or
				   (version 3) a duplicate member */
};

/*
 * The encoding version of digests and keys: 0 before encodings were
 * recorded (every column COLENC_TEXT), 1 exact values but keys from the
 * text, 2 keys from the exact values too, 3 ENUM and SET with duplicate
 * members as numbers too; SCHEMA_ENC for those made now.
 */
#define SCHEMA_ENC	3

struct column {
	char		*name;
	char		*type;		/* information_schema COLUMN_TYPE */
	char		*charset;	/* NULL for non-character types */
	char		*collation;
	int		 nullable;
	int		 keypos;	/* 1-based position in the key, or 0 */
	enum keyclass	 kclass;
	int		 castorder;	/* ORDER BY CAST(col AS BINARY) */
	int		 hashed;	/* not ignore= */
	int		 masked;	/* mask= */
	int		 varlen;	/* may hold any byte (strings, blobs) */
	enum colenc	 enc;		/* under the schema's encver */
	enum colenc	 keyenc;	/* its key bytes, if a key column */
};

/*
 * A schema belongs to whoever created it (schema_free). The key holds
 * indexes into cols, in key order.
 */
struct schema {
	char		*db;
	char		*name;
	struct column	*cols;
	size_t		 ncols;
	size_t		*key;
	size_t		 nkey;
	char		*watch;		/* watched triggers and UDFs, one a line:
					   "name\t..." (name percent-encoded) */
	int		 encver;	/* encoding version of the digests */
};

#define SCHEMA_FP_LEN	32

/* What schema_compare found. */
#define SCHEMA_COLUMNS	0x1	/* columns added, dropped, retyped, ... */
#define SCHEMA_KEY	0x2	/* the key differs: keys are not comparable */
#define SCHEMA_WATCH	0x4	/* triggers or functions differ */

struct schema	*schema_create(const char *, const char *);
size_t		 schema_text_max(const struct column *);
enum colenc	 schema_colenc(const struct column *, int);
enum colenc	 schema_keyenc(const struct column *, int);
struct column	*schema_add_column(struct schema *, const char *,
		    const char *, const char *, const char *, int,
		    const char *);
void		 schema_free(struct schema *);
int		 schema_apply_conf(struct schema *, const struct conf_table *,
		    char **);
int		 schema_encode(const struct schema *, struct buf *);
struct schema	*schema_decode(const void *, size_t, char **);
int		 schema_fingerprint(const struct schema *,
		    unsigned char[SCHEMA_FP_LEN], char **);
int		 schema_compare(const struct schema *, const struct schema *,
		    struct buf *);
size_t		 schema_nhashed(const struct schema *);
int		 schema_chunkable(const struct schema *, char **);
int		 schema_textorder(const struct column *);

#endif

/* Unit tests for schema: columns, key classes, encoding and comparison. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/evp.h>

#include "buf.h"
#include "conf.h"
#include "schema.h"
#include "xmalloc.h"

/*
 * EVP_Digest as schema.c sees it (linked with --wrap=EVP_Digest): the
 * real one, or OpenSSL's failure while fail_digest is set.
 */
static int	 fail_digest;

int	 __wrap_EVP_Digest(const void *, size_t, unsigned char *,
	    unsigned int *, const EVP_MD *, ENGINE *);
int	 __real_EVP_Digest(const void *, size_t, unsigned char *,
	    unsigned int *, const EVP_MD *, ENGINE *);

int
__wrap_EVP_Digest(const void *data, size_t len, unsigned char *md,
    unsigned int *mdlen, const EVP_MD *type, ENGINE *impl)
{
	if (fail_digest)
		return 0;
	return __real_EVP_Digest(data, len, md, mdlen, type, impl);
}

/* The fingerprint of s, which must be computed. */
static void
fp_ok(const struct schema *s, unsigned char out[SCHEMA_FP_LEN])
{
	char	*cause = NULL;

	if (schema_fingerprint(s, out, &cause) != 0)
		fail_msg("schema_fingerprint: %s", cause);
}

#define MALFORMED	"stored table description is malformed"
#define BADVERSION	"stored table description has an unknown version"

/* Set the key of s to the columns at idx (in key order). */
static void
set_key(struct schema *s, const size_t *idx, size_t n)
{
	size_t	 i;

	free(s->key);
	s->key = xcalloc(n, sizeof *s->key);
	for (i = 0; i < s->ncols; i++)
		s->cols[i].keypos = 0;
	for (i = 0; i < n; i++) {
		s->key[i] = idx[i];
		s->cols[idx[i]].keypos = (int)i + 1;
	}
	s->nkey = n;
}

/* acme.users (id INT key, name VARCHAR, email VARCHAR NULL, age INT). */
static struct schema *
users(void)
{
	static const size_t	 key[] = { 0 };
	struct schema		*s;

	s = schema_create("acme", "users");
	schema_add_column(s, "id", "int(11)", NULL, NULL, 0, "int");
	schema_add_column(s, "name", "varchar(64)", "utf8mb4",
	    "utf8mb4_general_ci", 0, "varchar");
	schema_add_column(s, "email", "varchar(255)", "utf8mb4",
	    "utf8mb4_general_ci", 1, "varchar");
	schema_add_column(s, "age", "int(11)", NULL, NULL, 1, "int");
	set_key(s, key, 1);
	return s;
}

/* Encode s into b, which the caller frees. */
static void
encode(const struct schema *s, struct buf *b)
{
	buf_init(b, BUF_NOCAP);
	assert_int_equal(schema_encode(s, b), 0);
}

/* Decode len bytes that must be refused with want. */
static void
decode_bad(const void *p, size_t len, const char *want)
{
	struct schema	*s;
	char		*cause = NULL;

	s = schema_decode(p, len, &cause);
	assert_null(s);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
}

/* Encode s (made invalid by the caller), free it, and expect a refusal. */
static void
decode_bad_schema(struct schema *s)
{
	struct buf	 b;

	encode(s, &b);
	schema_free(s);
	decode_bad(b.data, b.len, MALFORMED);
	buf_free(&b);
}

/* Compare old and new; check the fields and the return value. */
static void
compare(const struct schema *old, const struct schema *new, const char *want,
    int wantr)
{
	struct buf	 b;

	buf_init(&b, BUF_NOCAP);
	assert_int_equal(schema_compare(old, new, &b), wantr);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

/* A one-column conf_table with the given lists. */
static struct conf_table
table(char **ignore, size_t nignore, char **mask, size_t nmask)
{
	struct conf_table	 t;

	memset(&t, 0, sizeof t);
	t.ignore = ignore;
	t.nignore = nignore;
	t.mask = mask;
	t.nmask = nmask;
	return t;
}

/* Ensure that schema_create copies the names and starts empty. */
static void
test_create(void **state)
{
	struct schema	*s;

	(void)state;
	s = schema_create("acme", "users");
	assert_string_equal(s->db, "acme");
	assert_string_equal(s->name, "users");
	assert_int_equal(s->ncols, 0);
	assert_int_equal(s->nkey, 0);
	assert_null(s->key);
	assert_null(s->watch);
	schema_free(s);
}

/* Ensure that a new column is copied, hashed, unmasked and not in the key. */
static void
test_add_column_fields(void **state)
{
	struct schema	*s;
	struct column	*c;

	(void)state;
	s = schema_create("acme", "users");
	c = schema_add_column(s, "email", "varchar(255)", "utf8mb4",
	    "utf8mb4_bin", 1, "varchar");
	assert_ptr_equal(c, &s->cols[0]);
	assert_int_equal(s->ncols, 1);
	assert_string_equal(c->name, "email");
	assert_string_equal(c->type, "varchar(255)");
	assert_string_equal(c->charset, "utf8mb4");
	assert_string_equal(c->collation, "utf8mb4_bin");
	assert_int_equal(c->nullable, 1);
	assert_int_equal(c->keypos, 0);
	assert_int_equal(c->hashed, 1);
	assert_int_equal(c->masked, 0);
	schema_free(s);
}

/* Ensure that a NULL charset and collation stay NULL. */
static void
test_add_column_null_charset(void **state)
{
	struct schema	*s;
	struct column	*c;

	(void)state;
	s = schema_create("acme", "users");
	c = schema_add_column(s, "id", "int(11)", NULL, NULL, 0, "int");
	assert_null(c->charset);
	assert_null(c->collation);
	assert_int_equal(c->nullable, 0);
	schema_free(s);
}

/* Ensure that signed integer types get KEYCLASS_INT without a cast. */
static void
test_add_column_int(void **state)
{
	static const char *const	 types[] = { "tinyint", "smallint",
					    "mediumint", "int", "bigint" };
	struct schema			*s;
	struct column			*c;
	size_t				 i;

	(void)state;
	s = schema_create("acme", "t");
	for (i = 0; i < 5; i++) {
		c = schema_add_column(s, types[i], types[i], NULL, NULL, 0,
		    types[i]);
		assert_int_equal(c->kclass, KEYCLASS_INT);
		assert_int_equal(c->castorder, 0);
	}
	schema_free(s);
}

/* Ensure that unsigned int and bigint get KEYCLASS_UINT. */
static void
test_add_column_uint(void **state)
{
	struct schema	*s;
	struct column	*c;

	(void)state;
	s = schema_create("acme", "t");
	c = schema_add_column(s, "a", "int(10) unsigned", NULL, NULL, 0,
	    "int");
	assert_int_equal(c->kclass, KEYCLASS_UINT);
	assert_int_equal(c->castorder, 0);
	c = schema_add_column(s, "b", "bigint(20) unsigned zerofill", NULL,
	    NULL, 0, "bigint");
	assert_int_equal(c->kclass, KEYCLASS_UINT);
	c = schema_add_column(s, "c", "tinyint(3) unsigned", NULL, NULL, 0,
	    "tinyint");
	assert_int_equal(c->kclass, KEYCLASS_UINT);
	schema_free(s);
}

/* Ensure that a character string is KEYCLASS_BYTES ordered by a cast. */
static void
test_add_column_varchar(void **state)
{
	struct schema	*s;
	struct column	*c;

	(void)state;
	s = schema_create("acme", "t");
	c = schema_add_column(s, "a", "varchar(64)", "utf8mb4",
	    "utf8mb4_general_ci", 0, "varchar");
	assert_int_equal(c->kclass, KEYCLASS_BYTES);
	assert_int_equal(c->castorder, 1);
	c = schema_add_column(s, "b", "char(2)", "latin1",
	    "latin1_swedish_ci", 0, "char");
	assert_int_equal(c->kclass, KEYCLASS_BYTES);
	assert_int_equal(c->castorder, 1);
	schema_free(s);
}

/* Ensure that binary strings (no charset) sort natively, without a cast. */
static void
test_add_column_varbinary(void **state)
{
	struct schema	*s;
	struct column	*c;

	(void)state;
	s = schema_create("acme", "t");
	c = schema_add_column(s, "a", "varbinary(16)", NULL, NULL, 0,
	    "varbinary");
	assert_int_equal(c->kclass, KEYCLASS_BYTES);
	assert_int_equal(c->castorder, 0);
	c = schema_add_column(s, "b", "binary(16)", NULL, NULL, 0, "binary");
	assert_int_equal(c->kclass, KEYCLASS_BYTES);
	assert_int_equal(c->castorder, 0);
	schema_free(s);
}

/*
 * Ensure that the text of a column is bounded from its type (4 bytes a
 * character, the declared or the type's length), and that LONGTEXT, spatial
 * and malformed types are unbounded.
 */
static void
test_text_max(void **state)
{
	static const struct {
		const char	*type, *charset;
		size_t		 max;
	} cases[] = {
		{ "varchar(255)", "utf8mb4", 1020 },
		{ "char(60)", "latin1", 240 },
		{ "varbinary(16)", NULL, 16 },
		{ "binary(3)", NULL, 3 },
		{ "tinytext", "utf8mb4", 255 },
		{ "text", "utf8mb4", 65535 },
		{ "blob", NULL, 65535 },
		{ "mediumblob", NULL, 16777215 },
		{ "int(11)", NULL, 64 },
		{ "bigint(20) unsigned", NULL, 64 },
		{ "decimal(65,30)", NULL, 80 },
		{ "datetime", NULL, 64 },
		{ "enum('a','bb')", "utf8mb4", 14 },
		{ "set('x','y')", "utf8mb4", 12 },
		{ "longtext", "utf8mb4", SIZE_MAX },
		{ "longblob", NULL, SIZE_MAX },
		{ "geometry", NULL, SIZE_MAX },
		{ "varchar", "utf8mb4", SIZE_MAX },
		{ "varchar(x)", "utf8mb4", SIZE_MAX },
		{ "varchar(99999999999)", "utf8mb4", SIZE_MAX },
		{ "averyveryverylongtypename", NULL, SIZE_MAX },
	};
	struct schema	*s;
	struct column	*c;
	size_t		 i;

	(void)state;
	s = schema_create("acme", "t");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c = schema_add_column(s, "c", cases[i].type, cases[i].charset,
		    NULL, 1, "");
		if (schema_text_max(c) != cases[i].max)
			fail_msg("%s: %zu, not %zu", cases[i].type,
			    schema_text_max(c), cases[i].max);
	}
	schema_free(s);
}

/* Ensure that fixed-width temporal types sort natively, without a cast. */
static void
test_add_column_temporal(void **state)
{
	static const char *const	 types[] = { "datetime", "date",
					    "timestamp", "year" };
	struct schema			*s;
	struct column			*c;
	size_t				 i;

	(void)state;
	s = schema_create("acme", "t");
	for (i = 0; i < 4; i++) {
		c = schema_add_column(s, types[i], types[i], NULL, NULL, 0,
		    types[i]);
		assert_int_equal(c->kclass, KEYCLASS_BYTES);
		assert_int_equal(c->castorder, 0);
	}
	schema_free(s);
}

/* Ensure that numbers as text, enums and unknown types need a cast. */
static void
test_add_column_cast_others(void **state)
{
	struct schema	*s;
	struct column	*c;

	(void)state;
	s = schema_create("acme", "t");
	c = schema_add_column(s, "a", "decimal(10,2)", NULL, NULL, 0,
	    "decimal");
	assert_int_equal(c->kclass, KEYCLASS_BYTES);
	assert_int_equal(c->castorder, 1);
	c = schema_add_column(s, "b", "enum('x','y')", "utf8mb4",
	    "utf8mb4_bin", 0, "enum");
	assert_int_equal(c->castorder, 1);
	c = schema_add_column(s, "c", "time", NULL, NULL, 0, "time");
	assert_int_equal(c->castorder, 1);
	c = schema_add_column(s, "d", "mystery", NULL, NULL, 0, NULL);
	assert_int_equal(c->kclass, KEYCLASS_BYTES);
	assert_int_equal(c->castorder, 1);
	schema_free(s);
}

/* Ensure that a temporal type reported with a charset needs a cast. */
static void
test_add_column_charset_forces_cast(void **state)
{
	struct schema	*s;
	struct column	*c;

	(void)state;
	s = schema_create("acme", "t");
	c = schema_add_column(s, "a", "datetime", "utf8mb4", "utf8mb4_bin", 0,
	    "datetime");
	assert_int_equal(c->castorder, 1);
	schema_free(s);
}

/* Ensure that ignore= and mask= mark their columns. */
static void
test_apply_conf(void **state)
{
	char			 n1[] = "age", n2[] = "email";
	char			*ign[] = { n1 }, *msk[] = { n2 };
	struct conf_table	 t = table(ign, 1, msk, 1);
	struct schema		*s;
	char			*cause = NULL;

	(void)state;
	s = users();
	assert_int_equal(schema_apply_conf(s, &t, &cause), 0);
	assert_null(cause);
	assert_int_equal(s->cols[3].hashed, 0);
	assert_int_equal(s->cols[3].masked, 0);
	assert_int_equal(s->cols[2].hashed, 1);
	assert_int_equal(s->cols[2].masked, 1);
	assert_int_equal(s->cols[1].hashed, 1);
	assert_int_equal(s->cols[1].masked, 0);
	assert_int_equal(schema_nhashed(s), 3);
	schema_free(s);
}

/* Ensure that an empty conf_table changes nothing. */
static void
test_apply_conf_empty(void **state)
{
	struct conf_table	 t = table(NULL, 0, NULL, 0);
	struct schema		*s;
	char			*cause = NULL;

	(void)state;
	s = users();
	assert_int_equal(schema_apply_conf(s, &t, &cause), 0);
	assert_int_equal(schema_nhashed(s), 4);
	schema_free(s);
}

/* Ensure that ignore= naming an unknown column is refused. */
static void
test_apply_conf_unknown_ignore(void **state)
{
	char			 n1[] = "nope";
	char			*ign[] = { n1 };
	struct conf_table	 t = table(ign, 1, NULL, 0);
	struct schema		*s;
	char			*cause = NULL;

	(void)state;
	s = users();
	assert_int_equal(schema_apply_conf(s, &t, &cause), -1);
	assert_string_equal(cause, "ignore= names no column nope");
	free(cause);
	schema_free(s);
}

/* Ensure that mask= naming an unknown column is refused. */
static void
test_apply_conf_unknown_mask(void **state)
{
	char			 n1[] = "Email";
	char			*msk[] = { n1 };
	struct conf_table	 t = table(NULL, 0, msk, 1);
	struct schema		*s;
	char			*cause = NULL;

	(void)state;
	s = users();
	assert_int_equal(schema_apply_conf(s, &t, &cause), -1);
	assert_string_equal(cause, "mask= names no column Email");
	free(cause);
	schema_free(s);
}

/* Ensure that ignoring a key column is refused. */
static void
test_apply_conf_ignore_key(void **state)
{
	char			 n1[] = "id";
	char			*ign[] = { n1 };
	struct conf_table	 t = table(ign, 1, NULL, 0);
	struct schema		*s;
	char			*cause = NULL;

	(void)state;
	s = users();
	assert_int_equal(schema_apply_conf(s, &t, &cause), -1);
	assert_string_equal(cause, "ignore= names key column id");
	free(cause);
	schema_free(s);
}

/* Ensure that masking a key column is refused. */
static void
test_apply_conf_mask_key(void **state)
{
	char			 n1[] = "id";
	char			*msk[] = { n1 };
	struct conf_table	 t = table(NULL, 0, msk, 1);
	struct schema		*s;
	char			*cause = NULL;

	(void)state;
	s = users();
	assert_int_equal(schema_apply_conf(s, &t, &cause), -1);
	assert_string_equal(cause,
	    "mask= names key column id (key values appear in every record)");
	free(cause);
	schema_free(s);
}

/* Ensure that ignoring every column is refused. */
static void
test_apply_conf_all_ignored(void **state)
{
	static const size_t	 nokey[1] = { 0 };
	char			 n1[] = "a", n2[] = "b";
	char			*ign[] = { n1, n2 };
	struct conf_table	 t = table(ign, 2, NULL, 0);
	struct schema		*s;
	char			*cause = NULL;

	(void)state;
	s = schema_create("acme", "t");
	schema_add_column(s, "a", "int", NULL, NULL, 0, "int");
	schema_add_column(s, "b", "int", NULL, NULL, 0, "int");
	set_key(s, nokey, 0);
	assert_int_equal(schema_apply_conf(s, &t, &cause), -1);
	assert_string_equal(cause, "every column is ignored");
	free(cause);
	schema_free(s);
}

/* Ensure that schema_nhashed counts the columns not ignored. */
static void
test_nhashed(void **state)
{
	struct schema	*s;

	(void)state;
	s = users();
	assert_int_equal(schema_nhashed(s), 4);
	s->cols[1].hashed = 0;
	s->cols[3].hashed = 0;
	assert_int_equal(schema_nhashed(s), 2);
	schema_free(s);
}

/* Ensure that the encoding of a small schema is exact. */
static void
test_encode_exact(void **state)
{
	static const unsigned char	 want[] = {
		0x02,					/* version */
		0, 0, 0, 1, 'd',			/* db */
		0, 0, 0, 1, 't',			/* name */
		0, 0, 0, 1,				/* ncols */
		0, 0, 0, 2, 'i', 'd',			/* name */
		0, 0, 0, 3, 'i', 'n', 't',		/* type */
		0xff, 0xff, 0xff, 0xff,			/* charset */
		0, 0, 0, 0,				/* collation */
		1, 1, 0, 0,				/* flags */
		0, 0, 0, 1,				/* keypos */
		0, 0, 0, 3,				/* encver */
		0xff, 0xff, 0xff, 0xff,			/* watch NULL */
	};
	static const size_t		 key[] = { 0 };
	struct schema			*s;
	struct buf			 b;

	(void)state;
	s = schema_create("d", "t");
	schema_add_column(s, "id", "int", NULL, "", 1, "int");
	set_key(s, key, 1);
	encode(s, &b);
	assert_int_equal(b.len, sizeof want);
	assert_memory_equal(b.data, want, sizeof want);
	buf_free(&b);
	schema_free(s);
}

/* Ensure that mask= is not encoded (it never changes a digest). */
static void
test_encode_ignores_mask(void **state)
{
	struct schema	*s;
	struct buf	 b1, b2;

	(void)state;
	s = users();
	encode(s, &b1);
	s->cols[2].masked = 1;
	encode(s, &b2);
	assert_int_equal(b1.len, b2.len);
	assert_memory_equal(b1.data, b2.data, b1.len);
	buf_free(&b1);
	buf_free(&b2);
	schema_free(s);
}

/* Ensure that encoding past the buffer's cap fails. */
static void
test_encode_cap(void **state)
{
	struct schema	*s;
	struct buf	 b;

	(void)state;
	s = users();
	buf_init(&b, 32);
	assert_int_equal(schema_encode(s, &b), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
	schema_free(s);
}

/* Ensure that decode(encode(s)) restores every encoded field. */
static void
test_round_trip_fields(void **state)
{
	static const size_t	 key[] = { 2, 0 };
	struct schema		*s, *d;
	struct buf		 b;
	char			*cause = NULL;
	size_t			 i;

	(void)state;
	s = users();
	set_key(s, key, 2);
	s->cols[3].hashed = 0;
	s->watch = xstrdup("trg_users_ins,trg_users_upd");
	encode(s, &b);
	d = schema_decode(b.data, b.len, &cause);
	assert_non_null(d);
	assert_string_equal(d->db, "acme");
	assert_string_equal(d->name, "users");
	assert_int_equal(d->ncols, 4);
	for (i = 0; i < 4; i++) {
		assert_string_equal(d->cols[i].name, s->cols[i].name);
		assert_string_equal(d->cols[i].type, s->cols[i].type);
		assert_int_equal(d->cols[i].nullable, s->cols[i].nullable);
		assert_int_equal(d->cols[i].hashed, s->cols[i].hashed);
		assert_int_equal(d->cols[i].kclass, s->cols[i].kclass);
		assert_int_equal(d->cols[i].castorder, s->cols[i].castorder);
		assert_int_equal(d->cols[i].keypos, s->cols[i].keypos);
	}
	assert_null(d->cols[0].charset);
	assert_string_equal(d->cols[1].charset, "utf8mb4");
	assert_string_equal(d->cols[2].collation, "utf8mb4_general_ci");
	assert_int_equal(d->nkey, 2);
	assert_int_equal(d->key[0], 2);
	assert_int_equal(d->key[1], 0);
	assert_string_equal(d->watch, "trg_users_ins,trg_users_upd");
	buf_free(&b);
	schema_free(d);
	schema_free(s);
}

/* Ensure that a decoded schema has the original's fingerprint. */
static void
test_round_trip_fingerprint(void **state)
{
	struct schema	*s, *d;
	struct buf	 b;
	unsigned char	 f1[SCHEMA_FP_LEN], f2[SCHEMA_FP_LEN];
	char		*cause = NULL;

	(void)state;
	s = users();
	encode(s, &b);
	d = schema_decode(b.data, b.len, &cause);
	assert_non_null(d);
	fp_ok(s, f1);
	fp_ok(d, f2);
	assert_memory_equal(f1, f2, SCHEMA_FP_LEN);
	buf_free(&b);
	schema_free(d);
	schema_free(s);
}

/*
 * Ensure that a version 1 blob (written before encodings were recorded)
 * decodes with encoding version 0, every column as text, and keeps the
 * fingerprint of the same columns described now.
 */
static void
test_decode_version1(void **state)
{
	static const unsigned char	 v1[] = {
		0x01,					/* version */
		0, 0, 0, 1, 'd',			/* db */
		0, 0, 0, 1, 't',			/* name */
		0, 0, 0, 2,				/* ncols */
		0, 0, 0, 2, 'i', 'd',			/* name */
		0, 0, 0, 3, 'i', 'n', 't',		/* type */
		0xff, 0xff, 0xff, 0xff,			/* charset */
		0, 0, 0, 0,				/* collation */
		0, 1, 0, 0,				/* flags */
		0, 0, 0, 1,				/* keypos */
		0, 0, 0, 2, 'f', 'l',			/* name */
		0, 0, 0, 5, 'f', 'l', 'o', 'a', 't',	/* type */
		0xff, 0xff, 0xff, 0xff,			/* charset */
		0xff, 0xff, 0xff, 0xff,			/* collation */
		1, 1, 2, 1,				/* flags */
		0, 0, 0, 0,				/* keypos */
		0xff, 0xff, 0xff, 0xff,			/* watch NULL */
	};
	struct schema	*s, *d;
	unsigned char	 f1[SCHEMA_FP_LEN], f2[SCHEMA_FP_LEN];
	char		*cause = NULL;
	static const size_t key[] = { 0 };

	(void)state;
	d = schema_decode(v1, sizeof v1, &cause);
	assert_non_null(d);
	assert_int_equal(d->encver, 0);
	assert_int_equal(d->cols[1].enc, COLENC_TEXT);
	s = schema_create("d", "t");
	assert_int_equal(s->encver, SCHEMA_ENC);
	schema_add_column(s, "id", "int", NULL, "", 0, "int");
	schema_add_column(s, "fl", "float", NULL, NULL, 1, "float");
	set_key(s, key, 1);
	assert_int_equal(s->cols[1].enc, COLENC_DOUBLE);
	fp_ok(s, f1);
	fp_ok(d, f2);
	assert_memory_equal(f1, f2, SCHEMA_FP_LEN);
	schema_free(d);
	schema_free(s);
}

/* Ensure that an encoding version newer than this code is refused. */
static void
test_decode_encver_newer(void **state)
{
	struct schema	*s;
	struct buf	 b;

	(void)state;
	s = users();
	s->encver = SCHEMA_ENC + 1;
	encode(s, &b);
	schema_free(s);
	decode_bad(b.data, b.len, MALFORMED);
	buf_free(&b);
}

/* Ensure that each type gets the encoding DESIGN.md gives it. */
static void
test_colenc(void **state)
{
	static const struct {
		const char	*type;
		enum colenc	 enc;
	} cases[] = {
		{ "float", COLENC_DOUBLE },
		{ "float unsigned", COLENC_DOUBLE },
		{ "float(10,4)", COLENC_DOUBLE },
		{ "double", COLENC_TEXT },
		{ "double unsigned zerofill", COLENC_TEXT },
		{ "double(20,5)", COLENC_DOUBLE },
		{ "decimal(65,30)", COLENC_TEXT },
		{ "floaty", COLENC_TEXT },
		{ "enum('a','b')", COLENC_TEXT },
		{ "enum('','a')", COLENC_NUMBER },
		{ "enum('a','')", COLENC_NUMBER },
		{ "enum('a','','b')", COLENC_NUMBER },
		{ "enum('''','a')", COLENC_TEXT },
		{ "enum('a,''''')", COLENC_TEXT },
		{ "enum(''", COLENC_TEXT },
		{ "set('x','y')", COLENC_TEXT },
		{ "set('','x')", COLENC_NUMBER },
		{ "setx('')", COLENC_TEXT },
		{ "bit(12)", COLENC_TEXT },
		{ "datetime(6)", COLENC_TEXT },
		{ "point", COLENC_TEXT },
		{ "inet6", COLENC_TEXT },
		{ "uuid", COLENC_TEXT },
	};
	struct column	 c;
	size_t		 i;

	(void)state;
	memset(&c, 0, sizeof c);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c.type = (char *)cases[i].type;
		if (schema_colenc(&c, SCHEMA_ENC) != cases[i].enc)
			fail_msg("%s: encoding %d, expected %d", cases[i].type,
			    (int)schema_colenc(&c, SCHEMA_ENC),
			    (int)cases[i].enc);
		assert_int_equal(schema_colenc(&c, 0), COLENC_TEXT);
		assert_int_equal(schema_colenc(&c, 1), cases[i].enc);
	}
}

/*
 * Ensure that an ENUM or SET with two members of the same name is read as
 * a number from encoding version 3 on, and as its text before.
 */
static void
test_colenc_duplicates(void **state)
{
	static const struct {
		const char	*type;
		enum colenc	 enc;
	} cases[] = {
		{ "enum('a','a','b')", COLENC_NUMBER },
		{ "enum('a','b','a')", COLENC_NUMBER },
		{ "enum('b','a','a')", COLENC_NUMBER },
		{ "set('x','x','y')", COLENC_NUMBER },
		{ "enum('a''','a''')", COLENC_NUMBER },
		{ "enum('a','A')", COLENC_TEXT },
		{ "enum('a','a''')", COLENC_TEXT },
		{ "enum('a''','a')", COLENC_TEXT },
		{ "enum('a','ab')", COLENC_TEXT },
		{ "enum('ab','a')", COLENC_TEXT },
		{ "enum('a,''a')", COLENC_TEXT },
		{ "enum('a','a'", COLENC_TEXT },
		{ "enum('a','a", COLENC_TEXT },
		{ "enum('a',", COLENC_TEXT },
	};
	struct column	 c;
	size_t		 i;

	(void)state;
	memset(&c, 0, sizeof c);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c.type = (char *)cases[i].type;
		if (schema_colenc(&c, 3) != cases[i].enc)
			fail_msg("%s: encoding %d, expected %d", cases[i].type,
			    (int)schema_colenc(&c, 3), (int)cases[i].enc);
		assert_int_equal(schema_colenc(&c, 2), COLENC_TEXT);
		assert_int_equal(schema_keyenc(&c, 2), COLENC_TEXT);
		assert_int_equal(schema_keyenc(&c, 3), cases[i].enc);
	}
}

/*
 * Ensure that key bytes are the text before encoding version 2 and the
 * exact value since.
 */
static void
test_keyenc(void **state)
{
	static const char *const types[] = {
		"float", "double(20,5)", "enum('','a')", "set('','x')",
		"int", "double", "varchar(10)", "enum('a')",
	};
	struct column	 c;
	size_t		 i;

	(void)state;
	memset(&c, 0, sizeof c);
	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		c.type = (char *)types[i];
		assert_int_equal(schema_keyenc(&c, 0), COLENC_TEXT);
		assert_int_equal(schema_keyenc(&c, 1), COLENC_TEXT);
		assert_int_equal(schema_keyenc(&c, SCHEMA_ENC),
		    schema_colenc(&c, SCHEMA_ENC));
	}
}

/*
 * Ensure that chunk mode refuses a key not in index order: FLOAT, and any
 * key whose bytes are read through an expression.
 */
static void
test_chunkable(void **state)
{
	static const size_t	 key[] = { 0 };
	struct schema		*s;
	char			*cause = NULL;

	(void)state;
	s = schema_create("d", "t");
	schema_add_column(s, "id", "int", NULL, NULL, 0, "int");
	set_key(s, key, 1);
	assert_int_equal(schema_chunkable(s, &cause), 0);
	schema_free(s);

	s = schema_create("d", "t");
	schema_add_column(s, "f", "float", NULL, NULL, 0, "float");
	set_key(s, key, 1);
	assert_int_equal(s->cols[0].keyenc, COLENC_DOUBLE);
	assert_int_equal(schema_chunkable(s, &cause), -1);
	assert_non_null(strstr(cause, "key column f"));
	free(cause);
	cause = NULL;
	/* Even if it were in index order. */
	s->cols[0].castorder = 0;
	assert_int_equal(schema_chunkable(s, &cause), -1);
	free(cause);
	schema_free(s);
}

/* Ensure that the fingerprint changes with a column's type. */
static void
test_fingerprint_type(void **state)
{
	struct schema	*s;
	unsigned char	 f1[SCHEMA_FP_LEN], f2[SCHEMA_FP_LEN];

	(void)state;
	s = users();
	fp_ok(s, f1);
	free(s->cols[3].type);
	s->cols[3].type = xstrdup("bigint(20)");
	fp_ok(s, f2);
	assert_memory_not_equal(f1, f2, SCHEMA_FP_LEN);
	schema_free(s);
}

/* Ensure that the fingerprint changes with ignore= but not with mask=. */
static void
test_fingerprint_ignore_mask(void **state)
{
	struct schema	*s;
	unsigned char	 f1[SCHEMA_FP_LEN], f2[SCHEMA_FP_LEN];
	unsigned char	 f3[SCHEMA_FP_LEN];

	(void)state;
	s = users();
	fp_ok(s, f1);
	s->cols[2].masked = 1;
	fp_ok(s, f2);
	s->cols[2].hashed = 0;
	fp_ok(s, f3);
	assert_memory_equal(f1, f2, SCHEMA_FP_LEN);
	assert_memory_not_equal(f2, f3, SCHEMA_FP_LEN);
	schema_free(s);
}

/* Ensure that the fingerprint ignores the watched triggers. */
static void
test_fingerprint_ignores_watch(void **state)
{
	struct schema	*s;
	unsigned char	 f1[SCHEMA_FP_LEN], f2[SCHEMA_FP_LEN];

	(void)state;
	s = users();
	fp_ok(s, f1);
	s->watch = xstrdup("trg\tAFTER INSERT");
	fp_ok(s, f2);
	assert_memory_equal(f1, f2, SCHEMA_FP_LEN);
	schema_free(s);
}

/* Ensure that the fingerprint is the SHA-256 of the encoding minus watch. */
static void
test_fingerprint_golden(void **state)
{
	static const unsigned char	 want[SCHEMA_FP_LEN] = {
		0x69, 0x18, 0xaa, 0x2c, 0x87, 0xfe, 0x8b, 0x37,
		0xf5, 0xd9, 0xb1, 0x33, 0xa5, 0xcd, 0xf8, 0x5c,
		0xca, 0xa9, 0xc3, 0x35, 0xe7, 0x78, 0xb3, 0xa7,
		0x1a, 0xd0, 0xd4, 0xa5, 0x5c, 0xd6, 0x08, 0xd5,
	};
	static const size_t		 key[] = { 0 };
	struct schema			*s;
	unsigned char			 fp[SCHEMA_FP_LEN];

	(void)state;
	s = schema_create("d", "t");
	schema_add_column(s, "id", "int", NULL, "", 1, "int");
	set_key(s, key, 1);
	s->watch = xstrdup("x\ty");
	fp_ok(s, fp);
	schema_free(s);
	assert_memory_equal(fp, want, SCHEMA_FP_LEN);
}

/*
 * Ensure that a fingerprint that cannot be computed is an error, never a
 * value (zeros) that differs from the stored one and reports a false
 * op=schema.
 */
static void
test_fingerprint_fails(void **state)
{
	struct schema	*s;
	unsigned char	 fp[SCHEMA_FP_LEN], zero[SCHEMA_FP_LEN];
	char		*cause = NULL;

	(void)state;
	s = schema_create("d", "t");
	schema_add_column(s, "id", "int", NULL, "", 1, "int");
	memset(fp, 0x77, sizeof fp);
	memset(zero, 0, sizeof zero);
	fail_digest = 1;
	assert_int_equal(schema_fingerprint(s, fp, &cause), -1);
	fail_digest = 0;
	assert_non_null(cause);
	assert_string_equal(cause, "cannot compute the table's fingerprint");
	free(cause);
	assert_memory_not_equal(fp, zero, sizeof fp);
	cause = NULL;
	assert_int_equal(schema_fingerprint(s, fp, &cause), 0);
	assert_null(cause);
	schema_free(s);
}

/* Ensure that every truncation of a good blob is refused cleanly. */
static void
test_decode_truncated(void **state)
{
	struct schema	*s;
	struct buf	 b;
	unsigned char	*copy;
	size_t		 len;

	(void)state;
	s = users();
	s->watch = xstrdup("w");
	encode(s, &b);
	schema_free(s);
	for (len = 0; len < b.len; len++) {
		/* A copy of exactly len bytes, so ASan sees any overread. */
		copy = xmalloc(len == 0 ? 1 : len);
		memcpy(copy, b.data, len);
		decode_bad(copy, len, len == 0 ? BADVERSION : MALFORMED);
		free(copy);
	}
	buf_free(&b);
}

/* Ensure that a byte after a good blob is refused. */
static void
test_decode_trailing(void **state)
{
	struct schema	*s;
	struct buf	 b;

	(void)state;
	s = users();
	encode(s, &b);
	schema_free(s);
	assert_int_equal(buf_addc(&b, 0), 0);
	decode_bad(b.data, b.len, MALFORMED);
	buf_free(&b);
}

/* Ensure that an unknown version byte is refused. */
static void
test_decode_version(void **state)
{
	struct schema	*s;
	struct buf	 b;

	(void)state;
	s = users();
	encode(s, &b);
	schema_free(s);
	b.data[0] = 3;
	decode_bad(b.data, b.len, BADVERSION);
	b.data[0] = 0;
	decode_bad(b.data, b.len, BADVERSION);
	buf_free(&b);
}

/* Ensure that garbage blobs of every length up to 256 are refused. */
static void
test_decode_garbage(void **state)
{
	unsigned char	 blob[256];
	unsigned int	 x = 12345;
	size_t		 len, i;
	struct schema	*s;
	char		*cause;

	(void)state;
	for (len = 1; len <= sizeof blob; len++) {
		for (i = 0; i < len; i++) {
			x = x * 1103515245U + 12345U;
			blob[i] = (unsigned char)(x >> 16);
		}
		blob[0] = 1;
		cause = NULL;
		s = schema_decode(blob, len, &cause);
		assert_null(s);
		assert_non_null(cause);
		free(cause);
	}
}

/* Ensure that a blob of 0xFF bytes (huge lengths) is refused. */
static void
test_decode_all_ff(void **state)
{
	unsigned char	 blob[64];

	(void)state;
	memset(blob, 0xff, sizeof blob);
	blob[0] = 1;
	decode_bad(blob, sizeof blob, MALFORMED);
}

/* Ensure that a column count larger than the blob is refused. */
static void
test_decode_ncols_huge(void **state)
{
	static const unsigned char	 blob[] = {
		0x01, 0, 0, 0, 1, 'd', 0, 0, 0, 1, 't',
		0x7f, 0xff, 0xff, 0xff,
	};

	(void)state;
	decode_bad(blob, sizeof blob, MALFORMED);
}

/* Ensure that a string holding a NUL byte is refused. */
static void
test_decode_nul_in_string(void **state)
{
	struct schema	*s;
	struct buf	 b;

	(void)state;
	s = users();
	encode(s, &b);
	schema_free(s);
	/* The db "acme" starts at offset 5. */
	assert_memory_equal(b.data + 5, "acme", 4);
	b.data[6] = '\0';
	decode_bad(b.data, b.len, MALFORMED);
	buf_free(&b);
}

/* Ensure that a blob without any key column is refused. */
static void
test_decode_no_key(void **state)
{
	struct schema	*s;

	(void)state;
	s = users();
	set_key(s, NULL, 0);
	decode_bad_schema(s);
}

/* Ensure that two columns at the same key position are refused. */
static void
test_decode_duplicate_keypos(void **state)
{
	struct schema	*s;

	(void)state;
	s = users();
	s->cols[1].keypos = 1;
	decode_bad_schema(s);
}

/* Ensure that a gap in the key positions is refused. */
static void
test_decode_keypos_gap(void **state)
{
	struct schema	*s;

	(void)state;
	s = users();
	s->cols[0].keypos = 2;
	decode_bad_schema(s);
}

/* Ensure that a negative key position is refused. */
static void
test_decode_keypos_negative(void **state)
{
	struct schema	*s;

	(void)state;
	s = users();
	s->cols[1].keypos = -1;
	decode_bad_schema(s);
}

/* Ensure that an unknown key class is refused. */
static void
test_decode_bad_kclass(void **state)
{
	struct schema	*s;

	(void)state;
	s = users();
	s->cols[1].kclass = (enum keyclass)3;
	decode_bad_schema(s);
}

/* Ensure that a NULL column type is refused. */
static void
test_decode_null_type(void **state)
{
	struct schema	*s;

	(void)state;
	s = users();
	free(s->cols[2].type);
	s->cols[2].type = NULL;
	decode_bad_schema(s);
}

/* Ensure that schema_free(NULL) does nothing. */
static void
test_free_null(void **state)
{
	(void)state;
	schema_free(NULL);
}

/* Ensure that equal schemas compare with no fields and an empty mask. */
static void
test_compare_same(void **state)
{
	struct schema	*a, *b;

	(void)state;
	a = users();
	b = users();
	compare(a, b, "", 0);
	schema_free(a);
	schema_free(b);
}

/* Ensure that added, dropped and retyped columns are all listed. */
static void
test_compare_lists(void **state)
{
	static const char *const	 names[] = { "k", "a", "b" };
	struct schema			*old, *new;
	size_t				 i, key[] = { 0 };

	(void)state;
	old = schema_create("acme", "t");
	for (i = 0; i < 3; i++)
		schema_add_column(old, names[i], "int(11)", NULL, NULL, 0,
		    "int");
	set_key(old, key, 1);
	new = schema_create("acme", "t");
	schema_add_column(new, "k", "int(11)", NULL, NULL, 0, "int");
	schema_add_column(new, "a", "bigint(20)", NULL, NULL, 0, "bigint");
	schema_add_column(new, "c", "int(11)", NULL, NULL, 0, "int");
	set_key(new, key, 1);
	compare(old, new, " added=c dropped=b retyped=a", SCHEMA_COLUMNS);
	schema_free(old);
	schema_free(new);
}

/* Ensure that several names in one list are comma-separated, in order. */
static void
test_compare_several(void **state)
{
	struct schema	*old, *new;

	(void)state;
	old = users();
	new = users();
	schema_add_column(new, "zeta", "int", NULL, NULL, 0, "int");
	schema_add_column(new, "alpha", "int", NULL, NULL, 0, "int");
	compare(old, new, " added=zeta,alpha", SCHEMA_COLUMNS);
	compare(new, old, " dropped=zeta,alpha", SCHEMA_COLUMNS);
	schema_free(old);
	schema_free(new);
}

/* Ensure that column names in the lists are percent-encoded. */
static void
test_compare_encoded(void **state)
{
	struct schema	*old, *new;

	(void)state;
	old = users();
	new = users();
	schema_add_column(new, "a b,c", "int", NULL, NULL, 0, "int");
	compare(old, new, " added=a%20b%2Cc", SCHEMA_COLUMNS);
	schema_free(old);
	schema_free(new);
}

/* Ensure that a change of nullability counts as retyped. */
static void
test_compare_nullable(void **state)
{
	struct schema	*old, *new;

	(void)state;
	old = users();
	new = users();
	new->cols[1].nullable = 1;
	compare(old, new, " retyped=name", SCHEMA_COLUMNS);
	schema_free(old);
	schema_free(new);
}

/* Ensure that a change of charset or collation counts as retyped. */
static void
test_compare_charset(void **state)
{
	struct schema	*old, *new;

	(void)state;
	old = users();
	new = users();
	free(new->cols[1].collation);
	new->cols[1].collation = xstrdup("utf8mb4_bin");
	free(new->cols[2].charset);
	new->cols[2].charset = NULL;
	compare(old, new, " retyped=name,email", SCHEMA_COLUMNS);
	schema_free(old);
	schema_free(new);
}

/* Ensure that a change of ignore= is listed as watched=, not retyped=. */
static void
test_compare_hashed(void **state)
{
	struct schema	*old, *new;

	(void)state;
	old = users();
	new = users();
	new->cols[3].hashed = 0;
	compare(old, new, " watched=age", SCHEMA_COLUMNS);
	schema_free(old);
	schema_free(new);
}

/* Ensure that a different key column makes keys incomparable. */
static void
test_compare_key_column(void **state)
{
	static const size_t	 key[] = { 1 };
	struct schema		*old, *new;

	(void)state;
	old = users();
	new = users();
	set_key(new, key, 1);
	compare(old, new, " key=changed", SCHEMA_KEY);
	schema_free(old);
	schema_free(new);
}

/* Ensure that a key column changing class makes keys incomparable. */
static void
test_compare_key_class(void **state)
{
	struct schema	*old, *new;

	(void)state;
	old = users();
	new = schema_create("acme", "users");
	schema_add_column(new, "id", "int(10) unsigned", NULL, NULL, 0,
	    "int");
	schema_add_column(new, "name", "varchar(64)", "utf8mb4",
	    "utf8mb4_general_ci", 0, "varchar");
	schema_add_column(new, "email", "varchar(255)", "utf8mb4",
	    "utf8mb4_general_ci", 1, "varchar");
	schema_add_column(new, "age", "int(11)", NULL, NULL, 1, "int");
	set_key(new, (const size_t[]){ 0 }, 1);
	compare(old, new, " retyped=id key=changed",
	    SCHEMA_COLUMNS | SCHEMA_KEY);
	schema_free(old);
	schema_free(new);
}

/* Ensure that a longer key makes keys incomparable. */
static void
test_compare_key_length(void **state)
{
	static const size_t	 key[] = { 0, 1 };
	struct schema		*old, *new;

	(void)state;
	old = users();
	new = users();
	set_key(new, key, 2);
	compare(old, new, " key=changed", SCHEMA_KEY);
	compare(new, old, " key=changed", SCHEMA_KEY);
	schema_free(old);
	schema_free(new);
}

/* Ensure that reordering key columns makes keys incomparable. */
static void
test_compare_key_order(void **state)
{
	static const size_t	 k1[] = { 0, 1 }, k2[] = { 1, 0 };
	struct schema		*old, *new;

	(void)state;
	old = users();
	new = users();
	set_key(old, k1, 2);
	set_key(new, k2, 2);
	compare(old, new, " key=changed", SCHEMA_KEY);
	schema_free(old);
	schema_free(new);
}

/* Ensure that a newly watched trigger is listed as watch_added=. */
static void
test_compare_watch_added(void **state)
{
	struct schema	*old, *new;

	(void)state;
	old = users();
	new = users();
	new->watch = xstrdup("trg_ins\tAFTER INSERT 1 abc");
	compare(old, new, " watch_added=trg_ins", SCHEMA_WATCH);
	schema_free(old);
	schema_free(new);
}

/* Ensure that a trigger no longer present is listed as watch_dropped=. */
static void
test_compare_watch_dropped(void **state)
{
	struct schema	*old, *new;

	(void)state;
	old = users();
	new = users();
	old->watch = xstrdup("trg_ins\tAFTER INSERT 1 abc\nfn%20x\tFUNCTION d");
	new->watch = xstrdup("trg_ins\tAFTER INSERT 1 abc");
	compare(old, new, " watch_dropped=fn%20x", SCHEMA_WATCH);
	schema_free(old);
	schema_free(new);
}

/* Ensure that added, dropped and altered objects are told apart. */
static void
test_compare_watch_all(void **state)
{
	struct schema	*old, *new;

	(void)state;
	old = users();
	new = users();
	old->watch = xstrdup("t1\tdef1\nt2\tdef2\nt\tdef");
	new->watch = xstrdup("t1\tdef1-changed\nt3\tdef3\nt\tdef");
	compare(old, new, " watch_added=t3 watch_dropped=t2 watch_altered=t1",
	    SCHEMA_WATCH);
	schema_free(old);
	schema_free(new);
}

/* Ensure that a name that prefixes another is not taken for it. */
static void
test_compare_watch_prefix(void **state)
{
	struct schema	*old, *new;

	(void)state;
	old = users();
	new = users();
	old->watch = xstrdup("trg1\tx");
	new->watch = xstrdup("trg\tx");
	compare(old, new, " watch_added=trg watch_dropped=trg1",
	    SCHEMA_WATCH);
	schema_free(old);
	schema_free(new);
}

/* Ensure that equal watch text, or none against "", reports nothing. */
static void
test_compare_watch_same(void **state)
{
	struct schema	*old, *new;

	(void)state;
	old = users();
	new = users();
	new->watch = xstrdup("");
	compare(old, new, "", 0);
	free(new->watch);
	new->watch = xstrdup("t\tx\nu\ty");
	old->watch = xstrdup("t\tx\nu\ty");
	compare(old, new, "", 0);
	schema_free(old);
	schema_free(new);
}

/* Ensure that column, key and watch changes combine in one mask. */
static void
test_compare_mask_all(void **state)
{
	static const size_t	 key[] = { 1 };
	struct schema		*old, *new;

	(void)state;
	old = users();
	new = users();
	new->cols[2].nullable = 0;
	set_key(new, key, 1);
	new->watch = xstrdup("t\tx");
	compare(old, new, " retyped=email key=changed watch_added=t",
	    SCHEMA_COLUMNS | SCHEMA_KEY | SCHEMA_WATCH);
	schema_free(old);
	schema_free(new);
}

/* Ensure that schema_compare appends after what the buffer holds. */
static void
test_compare_appends(void **state)
{
	struct schema	*old, *new;
	struct buf	 b;

	(void)state;
	old = users();
	new = users();
	new->cols[3].nullable = 0;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(buf_adds(&b, "op=schema"), 0);
	assert_int_equal(schema_compare(old, new, &b), SCHEMA_COLUMNS);
	assert_string_equal(buf_str(&b), "op=schema retyped=age");
	buf_free(&b);
	schema_free(old);
	schema_free(new);
}

/* Ensure that schema_compare past the buffer's cap returns -1. */
static void
test_compare_cap(void **state)
{
	struct schema	*old, *new;
	struct buf	 b;

	(void)state;
	old = users();
	new = users();
	schema_add_column(new, "a_rather_long_column_name", "int", NULL, NULL,
	    0, "int");
	buf_init(&b, 16);
	assert_int_equal(schema_compare(old, new, &b), -1);
	buf_free(&b);
	schema_free(old);
	schema_free(new);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_add_column_fields),
		cmocka_unit_test(test_add_column_null_charset),
		cmocka_unit_test(test_add_column_int),
		cmocka_unit_test(test_add_column_uint),
		cmocka_unit_test(test_add_column_varchar),
		cmocka_unit_test(test_add_column_varbinary),
		cmocka_unit_test(test_text_max),
		cmocka_unit_test(test_add_column_temporal),
		cmocka_unit_test(test_add_column_cast_others),
		cmocka_unit_test(test_add_column_charset_forces_cast),
		cmocka_unit_test(test_apply_conf),
		cmocka_unit_test(test_apply_conf_empty),
		cmocka_unit_test(test_apply_conf_unknown_ignore),
		cmocka_unit_test(test_apply_conf_unknown_mask),
		cmocka_unit_test(test_apply_conf_ignore_key),
		cmocka_unit_test(test_apply_conf_mask_key),
		cmocka_unit_test(test_apply_conf_all_ignored),
		cmocka_unit_test(test_nhashed),
		cmocka_unit_test(test_encode_exact),
		cmocka_unit_test(test_encode_ignores_mask),
		cmocka_unit_test(test_encode_cap),
		cmocka_unit_test(test_round_trip_fields),
		cmocka_unit_test(test_round_trip_fingerprint),
		cmocka_unit_test(test_fingerprint_type),
		cmocka_unit_test(test_fingerprint_ignore_mask),
		cmocka_unit_test(test_fingerprint_ignores_watch),
		cmocka_unit_test(test_fingerprint_golden),
		cmocka_unit_test(test_fingerprint_fails),
		cmocka_unit_test(test_decode_truncated),
		cmocka_unit_test(test_decode_trailing),
		cmocka_unit_test(test_decode_version),
		cmocka_unit_test(test_decode_version1),
		cmocka_unit_test(test_decode_encver_newer),
		cmocka_unit_test(test_colenc_duplicates),
		cmocka_unit_test(test_colenc),
		cmocka_unit_test(test_keyenc),
		cmocka_unit_test(test_chunkable),
		cmocka_unit_test(test_decode_garbage),
		cmocka_unit_test(test_decode_all_ff),
		cmocka_unit_test(test_decode_ncols_huge),
		cmocka_unit_test(test_decode_nul_in_string),
		cmocka_unit_test(test_decode_no_key),
		cmocka_unit_test(test_decode_duplicate_keypos),
		cmocka_unit_test(test_decode_keypos_gap),
		cmocka_unit_test(test_decode_keypos_negative),
		cmocka_unit_test(test_decode_bad_kclass),
		cmocka_unit_test(test_decode_null_type),
		cmocka_unit_test(test_free_null),
		cmocka_unit_test(test_compare_same),
		cmocka_unit_test(test_compare_lists),
		cmocka_unit_test(test_compare_several),
		cmocka_unit_test(test_compare_encoded),
		cmocka_unit_test(test_compare_nullable),
		cmocka_unit_test(test_compare_charset),
		cmocka_unit_test(test_compare_hashed),
		cmocka_unit_test(test_compare_key_column),
		cmocka_unit_test(test_compare_key_class),
		cmocka_unit_test(test_compare_key_length),
		cmocka_unit_test(test_compare_key_order),
		cmocka_unit_test(test_compare_watch_added),
		cmocka_unit_test(test_compare_watch_dropped),
		cmocka_unit_test(test_compare_watch_all),
		cmocka_unit_test(test_compare_watch_prefix),
		cmocka_unit_test(test_compare_watch_same),
		cmocka_unit_test(test_compare_mask_all),
		cmocka_unit_test(test_compare_appends),
		cmocka_unit_test(test_compare_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* dbsyscheck_log(): a row record per trigger call, in the scanner's format. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "record.h"
#include "udf.h"

/*
 * Arguments: token, op, db, table, account, nkey, nkey pairs of key column
 * name and value, then for an update pairs of column name and "changed"
 * flag. Caps for the fields record.h has none for, chosen so that the
 * longest record still fits RECORD_MAX (and so PIPE_BUF): table= holds any
 * two legal identifiers, by= any usual account.
 */
#define ARG_TOKEN	0
#define ARG_OP		1
#define ARG_DB		2
#define ARG_TABLE	3
#define ARG_ACCOUNT	4
#define ARG_NKEY	5
#define ARG_FIRST	6

#define UDF_TABLE_MAX	1160
#define UDF_BY_MAX	256

/* Argument i as bytes: NULL (and 0) for SQL NULL, never strlen. */
static const char *
arg(const UDF_ARGS *args, unsigned int i, size_t *len)
{
	if (i >= args->arg_count || args->args[i] == NULL) {
		*len = 0;
		return NULL;
	}
	*len = args->lengths[i];
	return args->args[i];
}

/* " table=DB.NAME", both parts encoded as identifiers, cut when huge. */
static int
put_table(struct buf *rec, const UDF_ARGS *args)
{
	const char	*db, *name;
	size_t		 dblen, namelen;
	struct buf	 t;
	int		 r;

	db = arg(args, ARG_DB, &dblen);
	name = arg(args, ARG_TABLE, &namelen);
	if (record_pct_len(db, dblen, RECORD_IDENT) + 1 +
	    record_pct_len(name, namelen, RECORD_IDENT) <= UDF_TABLE_MAX)
		return record_table(rec, db, dblen, name, namelen);
	buf_init(&t, BUF_NOCAP);
	if (record_pct(&t, db, dblen, RECORD_IDENT) == -1 ||
	    buf_addc(&t, '.') == -1 ||
	    record_pct(&t, name, namelen, RECORD_IDENT) == -1)
		return -1;
	r = buf_adds(rec, " table=");
	if (r == 0)
		r = record_cut(rec, t.data, t.len, UDF_TABLE_MAX);
	buf_free(&t);
	return r;
}

/* " name=value" as record_field_value writes it, cut at cap when longer. */
static int
put_value(struct buf *rec, const char *name, const char *v, size_t n,
    size_t cap)
{
	struct buf	 t;
	int		 r;

	if (record_pct_len(v, n, 0) <= cap)
		return record_field_value(rec, name, v, n);
	buf_init(&t, BUF_NOCAP);
	if (record_pct(&t, v, n, 0) == -1)
		return -1;
	r = buf_addc(rec, ' ');
	if (r == 0)
		r = buf_adds(rec, name);
	if (r == 0)
		r = buf_addc(rec, '=');
	if (r == 0)
		r = record_cut(rec, t.data, t.len, cap);
	buf_free(&t);
	return r;
}

/* A flag is true unless NULL, empty or a zero written as a number. */
static int
flag_true(const char *v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		if (v[i] != '0' && v[i] != '.' && v[i] != '-' && v[i] != '+' &&
		    v[i] != ' ')
			return 1;
	}
	return 0;
}

/* A small decimal number; -1 when the text is not one. */
static long
small_number(const char *v, size_t n)
{
	long	 x = 0;
	size_t	 i;

	if (v == NULL || n == 0 || n > 6)
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		x = x * 10 + (v[i] - '0');
	}
	return x;
}

static void
write_record(const struct udf_env *e, struct buf *rec)
{
	if (rec->data != NULL)
		udf_write(e, rec->data, rec->len, UDF_RECORD);
}

/* An op=error record for a call that holds the token but is malformed. */
static void
log_malformed(const struct udf_env *e, const UDF_ARGS *args, const char *why)
{
	struct buf	 rec;

	buf_init(&rec, RECORD_MAX);
	if (record_begin(&rec, "error") == 0 && put_table(&rec, args) == 0 &&
	    put_value(&rec, "msg", why, strlen(why), RECORD_MSG_MAX) == 0 &&
	    record_field(&rec, "src", "trigger") == 0 &&
	    record_end(&rec) == 0)
		write_record(e, &rec);
	buf_free(&rec);
}

/*
 * A call without the token: no row record, but one op=forged record with
 * what the caller claimed, unless the rate limit cuts it. The first record
 * admitted after a cut says how many were cut.
 */
static void
log_forged(const struct udf_env *e, const UDF_ARGS *args)
{
	unsigned long long	 cut;
	struct buf		 rec;
	const char		*by;
	size_t			 bylen;

	if (!udf_forged_admit(&cut))
		return;
	by = arg(args, ARG_ACCOUNT, &bylen);
	buf_init(&rec, RECORD_MAX);
	if (record_begin(&rec, "forged") == 0 && put_table(&rec, args) == 0 &&
	    put_value(&rec, "by", by, bylen, UDF_BY_MAX) == 0 &&
	    record_field(&rec, "src", "trigger") == 0 &&
	    (cut == 0 || record_field_num(&rec, "suppressed", cut) == 0) &&
	    record_end(&rec) == 0)
		write_record(e, &rec);
	buf_free(&rec);
}

/* The row record; 1 when written, 0 when there was nothing to write. */
static long long
log_row(const struct udf_env *e, const UDF_ARGS *args)
{
	struct buf	 rec, pk, list;
	const char	*op, *v, *name, *by;
	size_t		 oplen, vlen, namelen, bylen;
	unsigned int	 i, first_col;
	unsigned long	 nargs;
	long		 nkey;
	int		 update, any = 0, r = -1;

	op = arg(args, ARG_OP, &oplen);
	if (op == NULL || !((oplen == 6 && (memcmp(op, "insert", 6) == 0 ||
	    memcmp(op, "update", 6) == 0 || memcmp(op, "delete", 6) == 0)))) {
		log_malformed(e, args, "op is not insert, update or delete");
		return 0;
	}
	update = memcmp(op, "update", 6) == 0;
	v = arg(args, ARG_NKEY, &vlen);
	nkey = small_number(v, vlen);
	nargs = args->arg_count - ARG_FIRST;
	if (nkey < 1 || (unsigned long)nkey > nargs / 2 ||
	    (nargs - 2 * (unsigned long)nkey) % 2 != 0) {
		log_malformed(e, args, "bad key count or argument count");
		return 0;
	}
	first_col = ARG_FIRST + 2 * (unsigned int)nkey;

	buf_init(&rec, RECORD_MAX);
	buf_init(&pk, BUF_NOCAP);
	buf_init(&list, BUF_NOCAP);
	for (i = ARG_FIRST; i < first_col; i += 2) {
		name = arg(args, i, &namelen);
		v = arg(args, i + 1, &vlen);
		if ((i > ARG_FIRST && buf_addc(&pk, ',') == -1) ||
		    record_name_len(&pk, name, namelen) == -1 ||
		    buf_addc(&pk, '=') == -1 ||
		    record_pct_capped(&pk, v, vlen, RECORD_PK_VALUE_MAX) == -1)
			goto out;
	}
	if (update) {
		for (i = first_col; i + 1 < args->arg_count; i += 2) {
			v = arg(args, i + 1, &vlen);
			if (!flag_true(v, vlen))
				continue;
			name = arg(args, i, &namelen);
			/* No column has an empty (or NULL) name. */
			if (name == NULL || namelen == 0)
				continue;
			if ((any && buf_addc(&list, ',') == -1) ||
			    record_name_len(&list, name, namelen) == -1)
				goto out;
			any = 1;
		}
		if (!any) {
			r = 0;
			goto out;
		}
	}
	by = arg(args, ARG_ACCOUNT, &bylen);
	if (record_begin(&rec, update ? "update" : op[0] == 'i' ? "insert" :
	    "delete") == -1 || put_table(&rec, args) == -1 ||
	    buf_adds(&rec, " pk=") == -1 ||
	    record_cut(&rec, buf_str(&pk), pk.len, RECORD_PK_MAX) == -1)
		goto out;
	if (any) {
		if (buf_adds(&rec, " changed=") == -1 ||
		    record_cut(&rec, buf_str(&list), list.len,
		    RECORD_LIST_MAX) == -1)
			goto out;
	} else if (record_field(&rec, "changed", "-") == -1)
		goto out;
	if (record_field(&rec, "src", "trigger") == -1 ||
	    put_value(&rec, "by", by, bylen, UDF_BY_MAX) == -1 ||
	    record_end(&rec) == -1)
		goto out;
	r = udf_write(e, rec.data, rec.len, UDF_RECORD) == 0 ? 1 : 0;
out:
	if (r == -1) {
		log_malformed(e, args, "record does not fit");
		r = 0;
	}
	buf_free(&list);
	buf_free(&pk);
	buf_free(&rec);
	return r;
}

/* Check the argument count and have every argument passed as a string. */
bool
dbsyscheck_log_init(UDF_INIT *initid, UDF_ARGS *args, char *message)
{
	unsigned int	 i;

	if (args->arg_count < ARG_FIRST)
		return udf_init_error(message, "dbsyscheck_log() takes a "
		    "token, op, db, table, account, key count, key name/value "
		    "pairs and, for updates, column name/changed pairs");
	for (i = 0; i < args->arg_count; i++)
		args->arg_type[i] = STRING_RESULT;
	initid->maybe_null = 0;
	initid->const_item = 0;
	initid->ptr = NULL;
	udf_env();
	return 0;
}

/* Nothing to release: no per-statement state. */
void
dbsyscheck_log_deinit(UDF_INIT *initid)
{
	(void)initid;
}

/* Write one row record when the token is right; 1 when a record was written. */
long long
dbsyscheck_log(UDF_INIT *initid, UDF_ARGS *args, char *is_null, char *error)
{
	const struct udf_env	*e = udf_env();

	(void)initid;
	*is_null = 0;
	*error = 0;
	if (args->arg_count < ARG_FIRST)
		return 0;
	if (!udf_token_ok(e, args->args[ARG_TOKEN],
	    args->lengths[ARG_TOKEN])) {
		log_forged(e, args);
		return 0;
	}
	return log_row(e, args);
}

/*
 * At unload (DROP FUNCTION, shutdown): report forged records still cut,
 * then close the trigger log.
 */
__attribute__((destructor)) static void
udf_log_unload(void)
{
	unsigned long long	 n;
	struct buf		 rec;

	if ((n = udf_forged_pending()) != 0) {
		buf_init(&rec, RECORD_MAX);
		if (record_begin(&rec, "forged") == 0 &&
		    record_field(&rec, "src", "trigger") == 0 &&
		    record_field_num(&rec, "suppressed", n) == 0 &&
		    record_end(&rec) == 0)
			write_record(udf_env(), &rec);
		buf_free(&rec);
	}
	udf_out_close();
}

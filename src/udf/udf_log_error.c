/* log_error(): lib_mysqludf_log's function, one escaped line per call. */
#include "config.h"

#include <string.h>

#include "buf.h"
#include "udf.h"

/*
 * The text is written as one line of printable ASCII (0x20 to 0x7E): a
 * backslash becomes \\, newline \n, carriage return \r, tab \t, every
 * other byte below 0x20 or above 0x7E \xHH (lower-case hex), so the line
 * can be decoded back into the bytes. At most LOG_ERROR_MAX bytes of
 * escaped text are kept, then LOG_ERROR_CUT marks the cut (never inside
 * an escape). A NULL argument writes NULL. There is no token: any account
 * can call it and write any line, so it writes to the server's error log
 * only, never to the trigger log, and nothing trusts what it writes.
 */
#define LOG_ERROR_MAX	8192
#define LOG_ERROR_CUT	" [truncated]"

static const char hexdigits[] = "0123456789abcdef";

static int
log_error_escape(struct buf *out, const unsigned char *p, size_t n)
{
	char	 esc[4];
	size_t	 i, elen, run;

	for (i = 0; i < n; i = run) {
		for (run = i; run < n && p[run] >= 0x20 && p[run] <= 0x7e &&
		    p[run] != '\\'; run++)
			;
		if (run > i) {
			if (out->len + (run - i) > LOG_ERROR_MAX) {
				run = i + (LOG_ERROR_MAX - out->len);
				if (buf_add(out, p + i, run - i) == -1)
					return -1;
				return buf_adds(out, LOG_ERROR_CUT);
			}
			if (buf_add(out, p + i, run - i) == -1)
				return -1;
		}
		if (run == n)
			break;
		esc[0] = '\\';
		elen = 2;
		switch (p[run]) {
		case '\\':
			esc[1] = '\\';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			esc[1] = 'x';
			esc[2] = hexdigits[p[run] >> 4];
			esc[3] = hexdigits[p[run] & 0xf];
			elen = 4;
		}
		if (out->len + elen > LOG_ERROR_MAX)
			return buf_adds(out, LOG_ERROR_CUT);
		if (buf_add(out, esc, elen) == -1)
			return -1;
		run++;
	}
	return 0;
}

/* One argument, passed as a string. */
bool
log_error_init(UDF_INIT *initid, UDF_ARGS *args, char *message)
{
	if (args->arg_count != 1)
		return udf_init_error(message, "log_error() takes exactly one "
		    "argument");
	args->arg_type[0] = STRING_RESULT;
	initid->maybe_null = 0;
	initid->const_item = 0;
	initid->max_length = 0;
	initid->ptr = NULL;
	udf_env();
	return 0;
}

/* Nothing to release. */
void
log_error_deinit(UDF_INIT *initid)
{
	(void)initid;
}

/*
 * Write the argument as one line; return the empty string (never NULL, so
 * that it can be inserted into a NOT NULL column).
 */
char *
log_error(UDF_INIT *initid, UDF_ARGS *args, char *result,
    unsigned long *length, char *is_null, char *error)
{
	struct buf	 out;

	(void)initid;
	*is_null = 0;
	*error = 0;
	*length = 0;
	buf_init(&out, LOG_ERROR_MAX + sizeof LOG_ERROR_CUT);
	if (args->args[0] == NULL) {
		if (buf_adds(&out, "NULL") == -1)
			goto out;
	} else if (log_error_escape(&out, (const unsigned char *)args->args[0],
	    args->lengths[0]) == -1)
		goto out;
	udf_write(udf_env(), buf_str(&out), out.len, UDF_ERRLOG);
out:
	buf_free(&out);
	result[0] = '\0';
	return result;
}

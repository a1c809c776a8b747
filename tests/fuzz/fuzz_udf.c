/* libFuzzer target: the UDF library's record and log line formatting. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "buf.h"
#include "fuzz_check.h"
#include "record.h"
#include "udf.h"

/*
 * The UDF builds its lines inside the entry points and hands each to
 * udf_write (udf_out.c); nothing pure sits between. So the entry points
 * are called here as the server calls them, with every argument in its
 * own allocation, and udf_write, udf_out_close, udf_init_error and the
 * forged-call rate limiter (udf_limit.c) are replaced by the stand-ins below, which keep
 * the lines for the checks. udf_env.c is the real one, reading a token
 * file made in LLVMFuzzerInitialize.
 */
int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	 LLVMFuzzerInitialize(int *, char ***);

#define MAXARGS		40
#define MAXLINES	8
#define ARG_FIRST	6

/* Caps of udf_log.c and udf_log_error.c, which keep them to themselves. */
#define UDF_TABLE_MAX	1160
#define UDF_BY_MAX	256
#define LOG_ERROR_MAX	8192
#define LOG_ERROR_CUT	" [truncated]"

static const char	 token[] =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static struct {
	struct buf	 text;
	int		 flags;
} lines[MAXLINES];
static size_t			 nlines;
static unsigned long long	 forged_cut;

int
udf_write(const struct udf_env *e, const char *text, size_t len, int flags)
{
	(void)e;
	FUZZ_ASSERT(nlines < MAXLINES, "more than %d lines for one call",
	    MAXLINES);
	buf_init(&lines[nlines].text, BUF_NOCAP);
	FUZZ_ASSERT(buf_add(&lines[nlines].text, text, len) == 0, "buf_add");
	lines[nlines].flags = flags;
	nlines++;
	return 0;
}

/* udf_out.c's: the library's unload closes the trigger log. */
void
udf_out_close(void)
{
}

int
udf_init_error(char *message, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	(void)vsnprintf(message, MYSQL_ERRMSG_SIZE, fmt, ap);
	va_end(ap);
	return 1;
}

int
udf_forged_admit(unsigned long long *cut)
{
	*cut = forged_cut;
	return 1;
}

unsigned long long
udf_forged_pending(void)
{
	return 0;
}

static void
lines_reset(void)
{
	size_t	 i;

	for (i = 0; i < nlines; i++)
		buf_free(&lines[i].text);
	nlines = 0;
}

/* A field of a record, or NULL; its length in *len. */
static const char *
field(const struct buf *rec, const char *name, size_t *len)
{
	const char	*v;

	if (record_get(rec->data, rec->len, name, &v, len) == -1)
		return NULL;
	return v;
}

/* The value of field name is at most cap bytes, a cut one marked. */
static int
check_cap(const struct buf *rec, const char *name, size_t cap)
{
	const char	*v;
	size_t		 len;

	if ((v = field(rec, name, &len)) == NULL)
		return 0;
	FUZZ_ASSERT(len <= cap, "%s= of %zu bytes, cap %zu", name, len, cap);
	return len >= sizeof RECORD_CUT - 1 && memcmp(v + len -
	    (sizeof RECORD_CUT - 1), RECORD_CUT, sizeof RECORD_CUT - 1) == 0;
}

/* As udf_log.c's flag_true: true unless NULL, empty or a written zero. */
static int
flag_true(const char *v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		if (strchr("0.-+ ", v[i]) == NULL || v[i] == '\0')
			return 1;
	}
	return 0;
}

/* Field name decodes to the n bytes at want (NULL or empty: "-"). */
static void
check_decodes(const struct buf *rec, const char *name, const char *want,
    size_t n, struct buf *dec)
{
	const char	*v;
	size_t		 len;

	v = field(rec, name, &len);
	FUZZ_ASSERT(v != NULL, "no %s= in %s", name, rec->data);
	if (want == NULL || n == 0) {
		FUZZ_ASSERT(len == 1 && *v == '-', "%s= not '-'", name);
		return;
	}
	FUZZ_ASSERT(fuzz_pct_decode(v, len, dec, NULL) == 0 && dec->len == n &&
	    memcmp(dec->data, want, n) == 0, "%s= does not decode back in %s",
	    name, rec->data);
}

/* The records of one dbsyscheck_log call. */
static void
check_log(const UDF_ARGS *args, int token_right, long long ret)
{
	const char	*op, *v;
	struct buf	*rec, dec, want;
	size_t		 i, oplen, len, nrow = 0;
	unsigned int	 a;
	int		 pk_cut, valid_op, any;

	buf_init(&dec, BUF_NOCAP);
	buf_init(&want, BUF_NOCAP);
	for (i = 0; i < nlines; i++) {
		rec = &lines[i].text;
		FUZZ_ASSERT(lines[i].flags == UDF_RECORD, "a plain line");
		fuzz_check_record(rec->data, rec->len);
		op = record_op(rec->data, rec->len, &oplen);
		if (!token_right) {
			/* Without the token nothing but op=forged. */
			FUZZ_ASSERT(oplen == 6 && memcmp(op, "forged", 6) == 0,
			    "a forged call wrote %s", rec->data);
		} else
			FUZZ_ASSERT(!(oplen == 6 &&
			    memcmp(op, "forged", 6) == 0),
			    "a call with the token counted as forged");
		check_cap(rec, "table", UDF_TABLE_MAX);
		check_cap(rec, "by", UDF_BY_MAX);
		check_cap(rec, "msg", RECORD_MSG_MAX);
		check_cap(rec, "changed", RECORD_LIST_MAX);
		pk_cut = check_cap(rec, "pk", RECORD_PK_MAX);
		valid_op = (oplen == 6 && (memcmp(op, "insert", 6) == 0 ||
		    memcmp(op, "update", 6) == 0 ||
		    memcmp(op, "delete", 6) == 0));
		if (!valid_op)
			continue;
		nrow++;

		/* A row record says what the trigger passed. */
		if (!check_cap(rec, "by", UDF_BY_MAX))
			check_decodes(rec, "by", args->args[4],
			    args->lengths[4], &dec);
		v = field(rec, "pk", &len);
		FUZZ_ASSERT(v != NULL, "row record without pk=");
		if (!pk_cut && memmem(v, len, RECORD_CUT,
		    sizeof RECORD_CUT - 1) == NULL) {
			/* pk= is name=value,... for the key pairs. */
			buf_reset(&want);
			for (a = ARG_FIRST; a < args->arg_count &&
			    a + 1 < args->arg_count; a += 2) {
				if (a > ARG_FIRST)
					FUZZ_ASSERT(buf_addc(&want, ',') == 0,
					    "buf_addc");
				/* A name that is exactly "-" is %2D. */
				FUZZ_ASSERT((args->lengths[a] == 1 &&
				    args->args[a][0] == '-' ?
				    buf_adds(&want, "%2D") :
				    record_pct(&want, args->args[a],
				    args->lengths[a], 0)) == 0 &&
				    buf_addc(&want, '=') == 0 &&
				    record_pct(&want, args->args[a + 1],
				    args->lengths[a + 1], 0) == 0, "record_pct");
				if (want.len >= len)
					break;
			}
			FUZZ_ASSERT(want.len >= len &&
			    memcmp(want.data, v, len) == 0 &&
			    (want.len == len || want.data[len] == ','),
			    "pk= is not the key pairs: %.*s", (int)len, v);
		}
		if (memcmp(op, "update", 6) == 0) {
			v = field(rec, "changed", &len);
			FUZZ_ASSERT(v != NULL && !(len == 1 && *v == '-'),
			    "update without changed columns");
		}
	}
	FUZZ_ASSERT(nrow <= 1, "%zu row records for one call", nrow);
	FUZZ_ASSERT(ret == (long long)nrow, "returned %lld, wrote %zu rows",
	    ret, nrow);

	/* An update with the token: a record exactly when a flag is set. */
	if (token_right && args->arg_count > ARG_FIRST &&
	    args->args[1] != NULL && args->lengths[1] == 6 &&
	    memcmp(args->args[1], "update", 6) == 0 && nrow == 1) {
		any = 0;
		for (a = ARG_FIRST; a + 1 < args->arg_count; a += 2)
			any |= flag_true(args->args[a + 1], args->lengths[a + 1]);
		FUZZ_ASSERT(any, "an update record with no flag set");
	}
	buf_free(&dec);
	buf_free(&want);
}

/* The line of one log_error call: one escaped line, capped. */
static void
check_log_error(const char *v, size_t n)
{
	const size_t	 cutlen = sizeof LOG_ERROR_CUT - 1;
	const char	*s;
	struct buf	 dec;
	size_t		 i, len;
	int		 cut, c;

	FUZZ_ASSERT(nlines == 1, "log_error wrote %zu lines", nlines);
	FUZZ_ASSERT(lines[0].flags == UDF_ERRLOG,
	    "log_error line not for the error log");
	s = lines[0].text.data != NULL ? lines[0].text.data : "";
	len = lines[0].text.len;
	FUZZ_ASSERT(len <= LOG_ERROR_MAX + cutlen, "line of %zu bytes", len);
	if (v == NULL) {
		FUZZ_ASSERT(len == 4 && memcmp(s, "NULL", 4) == 0,
		    "NULL not written NULL");
		return;
	}
	cut = len >= cutlen && memcmp(s + len - cutlen, LOG_ERROR_CUT,
	    cutlen) == 0 && len - cutlen <= LOG_ERROR_MAX;
	if (cut)
		len -= cutlen;
	buf_init(&dec, BUF_NOCAP);
	for (i = 0; i < len; i++) {
		FUZZ_ASSERT((unsigned char)s[i] >= 0x20 &&
		    (unsigned char)s[i] <= 0x7e,
		    "byte 0x%02x in a log line", (unsigned char)s[i]);
		if (s[i] != '\\') {
			c = (unsigned char)s[i];
		} else {
			FUZZ_ASSERT(i + 1 < len, "escape cut at the end");
			switch (s[++i]) {
			case '\\': c = '\\'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'x':
				FUZZ_ASSERT(i + 2 < len &&
				    strchr("0123456789abcdef", s[i + 1]) &&
				    strchr("0123456789abcdef", s[i + 2]) &&
				    s[i + 1] != '\0' && s[i + 2] != '\0',
				    "bad \\x escape");
				c = (int)strtol((char[]){ s[i + 1], s[i + 2],
				    '\0' }, NULL, 16);
				FUZZ_ASSERT(c < 0x20 || c > 0x7e,
				    "\\x%02x escapes a plain byte", c);
				i += 2;
				break;
			default:
				fuzz_fail(__FILE__, __LINE__, "escape",
				    "unknown escape \\%c", s[i]);
			}
		}
		FUZZ_ASSERT(buf_addc(&dec, c) == 0, "buf_addc");
	}
	if (cut)
		FUZZ_ASSERT(dec.len < n && (dec.len == 0 ||
		    memcmp(dec.data, v, dec.len) == 0),
		    "the kept part is not the start of the text");
	else
		FUZZ_ASSERT(dec.len == n && (n == 0 ||
		    memcmp(dec.data, v, n) == 0),
		    "the line does not decode to the text");
	buf_free(&dec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in		 in = { data, size };
	UDF_INIT		 init;
	UDF_ARGS		 args;
	enum Item_result	 types[MAXARGS];
	char			*argv[MAXARGS], maybe_null[MAXARGS];
	unsigned long		 lens[MAXARGS];
	char			 message[MYSQL_ERRMSG_SIZE], result[256];
	char			 nkey[16], is_null, error;
	const char		*v;
	size_t			 len;
	unsigned int		 f, i, n;
	unsigned long		 rlen;
	long long		 ret;
	int			 token_right;

	f = fuzz_byte(&in);
	forged_cut = fuzz_byte(&in);
	n = fuzz_byte(&in) % MAXARGS;
	memset(&init, 0, sizeof init);
	memset(&args, 0, sizeof args);
	memset(message, 0, sizeof message);
	args.arg_count = n;
	args.arg_type = types;
	args.args = argv;
	args.lengths = lens;
	args.maybe_null = maybe_null;
	/* Each argument in its own allocation, as the server passes them. */
	for (i = 0; i < n; i++) {
		v = fuzz_take(&in, &len);
		if (i == 0 && (f & 3) != 3) {
			v = (f & 3) == 0 ? token : (f & 3) == 1 ?
			    "0123456789abcdef0123456789abcdef0123456789abcdef"
			    "0123456789abcdeF" : NULL;
			len = v != NULL ? strlen(v) : 0;
		} else if (i == 1 && (f & 0x0c) != 0) {
			v = (f & 0x0c) == 0x04 ? "insert" :
			    (f & 0x0c) == 0x08 ? "update" : "delete";
			len = 6;
		} else if (i == 5 && (f & 0x10)) {
			snprintf(nkey, sizeof nkey, "%u",
			    n > ARG_FIRST ? 1 + (f >> 5) % ((n - ARG_FIRST) / 2 +
			    1) : 1);
			v = nkey;
			len = strlen(v);
		}
		maybe_null[i] = 1;
		types[i] = STRING_RESULT;
		lens[i] = (unsigned long)len;
		argv[i] = NULL;
		if (v != NULL) {
			argv[i] = malloc(len > 0 ? len : 1);
			FUZZ_ASSERT(argv[i] != NULL, "malloc");
			memcpy(argv[i], v, len);
		}
	}
	token_right = argv[0] != NULL && n > 0 && lens[0] == 64 &&
	    memcmp(argv[0], token, 64) == 0;

	if (f & 0x80) {
		/* log_error(text): one argument, any account. */
		if (log_error_init(&init, &args, message) == 0) {
			FUZZ_ASSERT(n == 1, "log_error_init took %u args", n);
			rlen = 1;
			v = log_error(&init, &args, result, &rlen, &is_null,
			    &error);
			FUZZ_ASSERT(v != NULL && rlen == 0 && !is_null &&
			    !error, "log_error result");
			check_log_error(argv[0], lens[0]);
			log_error_deinit(&init);
		} else
			FUZZ_ASSERT(n != 1 && memchr(message, '\0',
			    sizeof message) != NULL, "log_error_init message");
	} else if (dbsyscheck_log_init(&init, &args, message) == 0) {
		FUZZ_ASSERT(n >= ARG_FIRST, "init took %u args", n);
		ret = dbsyscheck_log(&init, &args, &is_null, &error);
		FUZZ_ASSERT(!is_null && !error, "dbsyscheck_log flags");
		check_log(&args, token_right, ret);
		dbsyscheck_log_deinit(&init);
	} else
		FUZZ_ASSERT(n < ARG_FIRST && memchr(message, '\0',
		    sizeof message) != NULL, "dbsyscheck_log_init message");

	lines_reset();
	for (i = 0; i < n; i++)
		free(argv[i]);
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	 dir[] = "/tmp/fuzz_udf.XXXXXX", path[64];
	FILE	*f;

	(void)argc;
	(void)argv;
	FUZZ_ASSERT(mkdtemp(dir) != NULL, "mkdtemp");
	snprintf(path, sizeof path, "%s/token", dir);
	FUZZ_ASSERT((f = fopen(path, "w")) != NULL, "fopen %s", path);
	fprintf(f, "%s\n", token);
	FUZZ_ASSERT(fclose(f) == 0, "fclose");
	FUZZ_ASSERT(chmod(path, 0600) == 0, "chmod");
	setenv("DBSYSCHECK_UDF_TOKEN", path, 1);
	unsetenv("DBSYSCHECK_UDF_LOG");
	unsetenv("DBSYSCHECK_UDF_TIMESTAMP");
	FUZZ_ASSERT(udf_env()->token_ok, "the token file was not taken");
	FUZZ_ASSERT(nlines == 0, "udf_env complained");
	/* Read once: the file can go. */
	unlink(path);
	rmdir(dir);
	return 0;
}

/* Unit tests for conf: the configuration file and DB.TABLE names. */
#include "config.h"

#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "conf.h"
#include "paths.h"

#define NAME	"/etc/dbsyscheck/dbsyscheck.conf"

static const char good[] =
    "# dbsyscheck configuration\n"
    "\n"
    "baseline /var/lib/dbsyscheck/base.db\n"
    "key /etc/dbsyscheck/hmac.key   # the installation key\n"
    "mysql-defaults-file /etc/dbsyscheck/my.cnf\n"
    "mysql-group dbsyscheck\n"
    "table acme.users ignore=last_login,`login count` mask=password "
    "chunk=5000\n"
    "\ttable `my db`.`we``ird #name` mask=`a b`,`c``d`,`e#f`  # comment\n"
    "   \n"
    "table acme.orders\n";

/* Parse text that must be good; the result belongs to the caller. */
static struct conf *
parse_ok(const char *text)
{
	struct conf	*conf;
	char		*cause = NULL;

	conf = conf_parse(NAME, text, strlen(text), &cause);
	if (conf == NULL)
		fail_msg("unexpected error: %s", cause);
	assert_null(cause);
	return conf;
}

/* Parse text that must fail and compare the whole message. */
static void
parse_err(const char *text, size_t len, const char *want)
{
	struct conf	*conf;
	char		*cause = NULL;

	conf = conf_parse(NAME, text, len, &cause);
	assert_null(conf);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
}

/* Parse one DB.TABLE string that must be good and check both parts. */
static void
table_ok(const char *s, size_t len, const char *wdb, const char *wname)
{
	char	*db = NULL, *name = NULL, *cause = NULL;

	assert_int_equal(conf_parse_table(s, len, &db, &name, &cause), 0);
	assert_null(cause);
	assert_string_equal(db, wdb);
	assert_string_equal(name, wname);
	free(db);
	free(name);
}

/* Parse one DB.TABLE string that must fail and compare the message. */
static void
table_err(const char *s, size_t len, const char *want)
{
	char	*db = NULL, *name = NULL, *cause = NULL;

	assert_int_equal(conf_parse_table(s, len, &db, &name, &cause), -1);
	assert_null(db);
	assert_null(name);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
}

/* Ensure that follow-server-id is a server id, given once; 0 unset. */
static void
test_parse_follow_server_id(void **state)
{
	struct conf	*conf;

	(void)state;
	conf = parse_ok("baseline /b\nkey /k\nfollow-server-id 4294967295\n");
	assert_int_equal(conf->follow_server_id, 4294967295UL);
	conf_free(conf);
	conf = parse_ok("baseline /b\nkey /k\n");
	assert_int_equal(conf->follow_server_id, 0);
	conf_free(conf);
	parse_err("follow-server-id 0\n", 19, NAME ":1: follow-server-id: "
	    "number is too small (1 to 4294967295)");
	parse_err("follow-server-id 4294967296\n", 28, NAME ":1: "
	    "follow-server-id: number is too large (1 to 4294967295)");
	parse_err("follow-server-id 1\nfollow-server-id 2\n", 38, NAME
	    ":2: follow-server-id given twice");
}

/* Ensure that audit-log is an absolute path, given once; NULL unset. */
static void
test_parse_audit_log(void **state)
{
	struct conf	*conf;

	(void)state;
	conf = parse_ok("baseline /b\nkey /k\naudit-log /var/lib/a.log\n");
	assert_string_equal(conf->audit_log, "/var/lib/a.log");
	conf_free(conf);
	conf = parse_ok("baseline /b\nkey /k\n");
	assert_null(conf->audit_log);
	conf_free(conf);
	parse_err("audit-log a.log\n", 16, NAME ":1: paths must be absolute");
	parse_err("audit-log /a\naudit-log /b\n", 26, NAME
	    ":2: audit-log given twice");
	parse_err("audit-log\n", 10, NAME
	    ":1: audit-log takes exactly one argument");
}

/* Ensure that reconcile takes auto, yes or no, once; auto by default. */
static void
test_parse_reconcile(void **state)
{
	static const struct {
		const char	*text;
		int		 want;
	} ok[] = {
		{ "baseline /b\nkey /k\nreconcile auto\n", CONF_RECONCILE_AUTO },
		{ "baseline /b\nkey /k\nreconcile yes\n", CONF_RECONCILE_YES },
		{ "baseline /b\nkey /k\nreconcile no  # never\n",
		    CONF_RECONCILE_NO },
		{ "baseline /b\nkey /k\n", CONF_RECONCILE_AUTO },
	};
	struct conf	*conf;
	size_t		 i;

	(void)state;
	assert_int_equal(CONF_RECONCILE_AUTO, 0);
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		conf = parse_ok(ok[i].text);
		assert_int_equal(conf->reconcile, ok[i].want);
		conf_free(conf);
	}
}

/* Ensure that reconcile given twice is refused, even with the same word. */
static void
test_err_reconcile_twice(void **state)
{
	static const char	 same[] = "reconcile no\nreconcile no\n";
	static const char	 other[] = "reconcile yes\n\nreconcile auto\n";

	(void)state;
	parse_err(same, sizeof same - 1, NAME ":2: reconcile given twice");
	parse_err(other, sizeof other - 1, NAME ":3: reconcile given twice");
}

/* Ensure that reconcile with a bad word, none or two is refused. */
static void
test_err_reconcile_word(void **state)
{
	static const char *const bad[] = {
		"reconcile maybe\n",
		"reconcile YES\n",
		"reconcile Auto\n",
		"reconcile yess\n",
		"reconcile ye\n",
		"reconcile 1\n",
		"reconcile\n",
		"reconcile   # none\n",
		"reconcile yes no\n",
		"reconcile `yes`x\n",
	};
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		parse_err(bad[i], strlen(bad[i]), NAME ":1: reconcile takes "
		    "auto, yes or no");
}

/* Ensure that the path and option directives are stored verbatim. */
static void
test_parse_paths(void **state)
{
	struct conf	*conf;

	(void)state;
	conf = parse_ok(good);
	assert_string_equal(conf->path, NAME);
	assert_string_equal(conf->baseline, "/var/lib/dbsyscheck/base.db");
	assert_string_equal(conf->key, "/etc/dbsyscheck/hmac.key");
	assert_string_equal(conf->defaults_file, "/etc/dbsyscheck/my.cnf");
	assert_string_equal(conf->group, "dbsyscheck");
	conf_free(conf);
}

/* Ensure that table lines are kept in order with their line numbers. */
static void
test_parse_tables(void **state)
{
	struct conf	*conf;

	(void)state;
	conf = parse_ok(good);
	assert_int_equal(conf->ntables, 3);
	assert_string_equal(conf->tables[0].db, "acme");
	assert_string_equal(conf->tables[0].name, "users");
	assert_int_equal(conf->tables[0].line, 7);
	assert_int_equal(conf->tables[1].line, 8);
	assert_string_equal(conf->tables[2].db, "acme");
	assert_string_equal(conf->tables[2].name, "orders");
	assert_int_equal(conf->tables[2].line, 10);
	conf_free(conf);
}

/* Ensure that backtick-quoted names keep spaces, '#' and `` as a backtick. */
static void
test_parse_quoted_names(void **state)
{
	struct conf	*conf;

	(void)state;
	conf = parse_ok(good);
	assert_string_equal(conf->tables[1].db, "my db");
	assert_string_equal(conf->tables[1].name, "we`ird #name");
	conf_free(conf);
}

/* Ensure that ignore= gives the list of names, quoted ones unquoted. */
static void
test_parse_ignore(void **state)
{
	struct conf	*conf;

	(void)state;
	conf = parse_ok(good);
	assert_int_equal(conf->tables[0].nignore, 2);
	assert_string_equal(conf->tables[0].ignore[0], "last_login");
	assert_string_equal(conf->tables[0].ignore[1], "login count");
	assert_int_equal(conf->tables[1].nignore, 0);
	assert_int_equal(conf->tables[2].nignore, 0);
	conf_free(conf);
}

/* Ensure that mask= gives the list of names, quoted ones unquoted. */
static void
test_parse_mask(void **state)
{
	struct conf	*conf;

	(void)state;
	conf = parse_ok(good);
	assert_int_equal(conf->tables[0].nmask, 1);
	assert_string_equal(conf->tables[0].mask[0], "password");
	assert_int_equal(conf->tables[1].nmask, 3);
	assert_string_equal(conf->tables[1].mask[0], "a b");
	assert_string_equal(conf->tables[1].mask[1], "c`d");
	assert_string_equal(conf->tables[1].mask[2], "e#f");
	assert_int_equal(conf->tables[2].nmask, 0);
	conf_free(conf);
}

/* Ensure that chunk= is stored and defaults to 0 when absent. */
static void
test_parse_chunk(void **state)
{
	struct conf	*conf;

	(void)state;
	conf = parse_ok(good);
	assert_int_equal(conf->tables[0].chunk, 5000);
	assert_int_equal(conf->tables[1].chunk, 0);
	conf_free(conf);
}

/* Ensure that the chunk= bounds 1 and 100000000 are accepted. */
static void
test_parse_chunk_bounds(void **state)
{
	struct conf	*conf;

	(void)state;
	conf = parse_ok("table a.b chunk=1\ntable a.c chunk=100000000\n");
	assert_int_equal(conf->tables[0].chunk, 1);
	assert_int_equal(conf->tables[1].chunk, 100000000);
	conf_free(conf);
}

/* Ensure that repeated ignore= options add to one list. */
static void
test_parse_ignore_repeated(void **state)
{
	struct conf	*conf;

	(void)state;
	conf = parse_ok("table a.b ignore=x ignore=y\n");
	assert_int_equal(conf->tables[0].nignore, 2);
	assert_string_equal(conf->tables[0].ignore[0], "x");
	assert_string_equal(conf->tables[0].ignore[1], "y");
	conf_free(conf);
}

/* Ensure that baseline, key, option file and group have defaults. */
static void
test_parse_defaults(void **state)
{
	struct conf	*conf;

	(void)state;
	conf = parse_ok("table a.b\n");
	assert_string_equal(conf->baseline, DBSC_STATEDIR "/baseline.db");
	assert_string_equal(conf->key, DBSC_STATEDIR "/hmac.key");
	assert_string_equal(conf->group, "client");
	assert_string_equal(conf->defaults_file, DBSC_SYSCONFDIR "/my.cnf");
	conf_free(conf);
}

/* Ensure that trigger-token is stored and has a default when omitted. */
static void
test_parse_trigger_token(void **state)
{
	struct conf	*conf;

	(void)state;
	conf = parse_ok("trigger-token /etc/dbsyscheck/t.token\n");
	assert_string_equal(conf->trigger_token, "/etc/dbsyscheck/t.token");
	conf_free(conf);
	conf = parse_ok("");
	assert_string_equal(conf->trigger_token,
	    DBSC_SYSCONFDIR "/trigger.token");
	conf_free(conf);
}

/* Ensure that empty text parses to no tables and the defaults. */
static void
test_parse_empty(void **state)
{
	struct conf	*conf;
	char		*cause = NULL;

	(void)state;
	conf = conf_parse(NAME, "", 0, &cause);
	assert_non_null(conf);
	assert_int_equal(conf->ntables, 0);
	assert_null(conf->tables);
	assert_string_equal(conf->group, "client");
	conf_free(conf);
}

/* Ensure that comments, blank lines and CRLF endings are ignored. */
static void
test_parse_comments_crlf(void **state)
{
	struct conf	*conf;

	(void)state;
	conf = parse_ok("#only\r\n\r\n  # indented\r\n\t\r\n"
	    "table a.b#trailing\r\nmysql-group g\r\n");
	assert_int_equal(conf->ntables, 1);
	assert_string_equal(conf->tables[0].name, "b");
	assert_int_equal(conf->tables[0].line, 5);
	assert_string_equal(conf->group, "g");
	conf_free(conf);
}

/* Ensure that a last line without a newline is parsed. */
static void
test_parse_no_final_newline(void **state)
{
	struct conf	*conf;

	(void)state;
	conf = parse_ok("table a.b\ntable c.d");
	assert_int_equal(conf->ntables, 2);
	assert_string_equal(conf->tables[1].db, "c");
	assert_string_equal(conf->tables[1].name, "d");
	conf_free(conf);
}

/* Ensure that the text is read only up to the given length. */
static void
test_parse_bounded(void **state)
{
	static const char	 text[] = "table a.b\nbogus";
	struct conf		*conf;
	char			*cause = NULL;

	(void)state;
	conf = conf_parse(NAME, text, 10, &cause);
	assert_non_null(conf);
	assert_int_equal(conf->ntables, 1);
	conf_free(conf);
}

/* Ensure that an unknown directive is reported with its line number. */
static void
test_err_unknown_directive(void **state)
{
	static const char	 text[] = "# c\n\nbogus x\ntable a.b\n";

	(void)state;
	parse_err(text, sizeof text - 1, NAME ":3: unknown directive bogus");
}

/* Ensure that a long unknown directive is cut to 64 bytes in the message. */
static void
test_err_unknown_directive_long(void **state)
{
	char	 text[201], want[200];

	(void)state;
	memset(text, 'd', 200);
	text[200] = '\0';
	snprintf(want, sizeof want, "%s:1: unknown directive %.64s", NAME,
	    text);
	parse_err(text, 200, want);
}

/* Ensure that a table line without a dot is refused. */
static void
test_err_table_no_dot(void **state)
{
	static const char	 text[] = "table a.b\ntable acme\n";

	(void)state;
	parse_err(text, sizeof text - 1, NAME ":2: acme: expected DB.TABLE");
}

/* Ensure that a table line without a name is refused. */
static void
test_err_table_missing(void **state)
{
	static const char	 text[] = "table\n";

	(void)state;
	parse_err(text, sizeof text - 1, NAME ":1: table needs DB.TABLE");
}

/* Ensure that junk after DB.TABLE in one word is refused. */
static void
test_err_table_junk(void **state)
{
	static const char	 text[] = "table a.b-c\n";

	(void)state;
	parse_err(text, sizeof text - 1,
	    NAME ":1: a.b-c: trailing characters after DB.TABLE");
}

/* Ensure that a table listed twice (quoted or not) is refused. */
static void
test_err_table_duplicate(void **state)
{
	static const char	 text[] = "table acme.users\n"
	    "table `acme`.`users`\n";

	(void)state;
	parse_err(text, sizeof text - 1,
	    NAME ":2: table `acme`.`users` listed twice");
}

/*
 * Ensure that many tables keep their order and are all found, that names
 * which only concatenate alike (a.bc, ab.c) are different tables, and
 * that a duplicate after thousands of lines is still refused, by line.
 */
static void
test_many_tables(void **state)
{
	struct conf		*conf;
	const struct conf_table	*t;
	struct buf		 b;
	char			 db[16], name[32], want[128];
	size_t			 i;
	const size_t		 n = 5000;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	for (i = 0; i < n; i++)
		assert_int_equal(buf_printf(&b, "table d%zu.`t %zu`\n", i % 7,
		    i), 0);
	assert_int_equal(buf_adds(&b, "table a.bc\ntable ab.c\n"), 0);
	conf = parse_ok(b.data);
	assert_int_equal(conf->ntables, n + 2);
	for (i = 0; i < n; i++) {
		snprintf(db, sizeof db, "d%zu", i % 7);
		snprintf(name, sizeof name, "t %zu", i);
		assert_string_equal(conf->tables[i].db, db);
		assert_string_equal(conf->tables[i].name, name);
		assert_int_equal(conf->tables[i].line, (int)i + 1);
		t = conf_find_table(conf, db, name);
		assert_ptr_equal(t, &conf->tables[i]);
	}
	assert_ptr_equal(conf_find_table(conf, "a", "bc"), &conf->tables[n]);
	assert_ptr_equal(conf_find_table(conf, "ab", "c"),
	    &conf->tables[n + 1]);
	assert_null(conf_find_table(conf, "d1", "t 0"));
	assert_null(conf_find_table(conf, "abc", ""));
	conf_free(conf);
	assert_int_equal(buf_adds(&b, "table `d3`.`t 1676`\n"), 0);
	snprintf(want, sizeof want, NAME ":%zu: table `d3`.`t 1676` listed "
	    "twice", n + 3);
	parse_err(b.data, b.len, want);
	buf_free(&b);
}

/* Ensure that a path directive given twice is refused. */
static void
test_err_baseline_twice(void **state)
{
	static const char	 text[] = "baseline /a\nbaseline /b\n";

	(void)state;
	parse_err(text, sizeof text - 1, NAME ":2: baseline given twice");
}

/* Ensure that mysql-group given twice is refused. */
static void
test_err_group_twice(void **state)
{
	static const char	 text[] = "mysql-group a\nmysql-group b\n";

	(void)state;
	parse_err(text, sizeof text - 1, NAME ":2: mysql-group given twice");
}

/* Ensure that a path directive without an argument is refused. */
static void
test_err_path_no_arg(void **state)
{
	static const char	 text[] = "key\n";

	(void)state;
	parse_err(text, sizeof text - 1,
	    NAME ":1: key takes exactly one argument");
}

/* Ensure that a path directive with two arguments is refused. */
static void
test_err_path_two_args(void **state)
{
	static const char	 text[] = "baseline /a /b\n";

	(void)state;
	parse_err(text, sizeof text - 1,
	    NAME ":1: baseline takes exactly one argument");
}

/* Ensure that a relative baseline path is refused. */
static void
test_err_relative_baseline(void **state)
{
	static const char	 text[] = "\nbaseline var/base.db\n";

	(void)state;
	parse_err(text, sizeof text - 1, NAME ":2: paths must be absolute");
}

/* Ensure that a relative key path is refused. */
static void
test_err_relative_key(void **state)
{
	static const char	 text[] = "key ./hmac.key\n";

	(void)state;
	parse_err(text, sizeof text - 1, NAME ":1: paths must be absolute");
}

/* Ensure that a relative trigger-token path is refused. */
static void
test_err_relative_trigger_token(void **state)
{
	static const char	 text[] = "trigger-token token\n";

	(void)state;
	parse_err(text, sizeof text - 1, NAME ":1: paths must be absolute");
}

/* Ensure that a relative mysql-defaults-file path is refused. */
static void
test_err_relative_defaults(void **state)
{
	static const char	 text[] = "mysql-defaults-file my.cnf\n";

	(void)state;
	parse_err(text, sizeof text - 1, NAME ":1: paths must be absolute");
}

/* Ensure that an unterminated backtick on a line is refused. */
static void
test_err_unterminated_backtick(void **state)
{
	static const char	 text[] = "table `acme.users\n";

	(void)state;
	parse_err(text, sizeof text - 1,
	    NAME ":1: unterminated `quoted` name");
}

/* Ensure that an empty quoted name is refused. */
static void
test_err_empty_name(void **state)
{
	static const char	 text[] = "table ``.users\n";

	(void)state;
	parse_err(text, sizeof text - 1, NAME ":1: ``.users: empty name");
}

/* Ensure that a quoted name ending with a space is refused. */
static void
test_err_name_trailing_space(void **state)
{
	static const char	 text[] = "table a.`b `\n";

	(void)state;
	parse_err(text, sizeof text - 1,
	    NAME ":1: a.`b `: name ends with a space");
}

/* Ensure that a column both ignored and masked is refused. */
static void
test_err_ignored_and_masked(void **state)
{
	static const char	 text[] = "table a.b ignore=x,y mask=z,y\n";

	(void)state;
	parse_err(text, sizeof text - 1,
	    NAME ":1: column y is both ignored and masked");
}

/* Ensure that a column named twice in the lists is refused. */
static void
test_err_column_twice(void **state)
{
	static const char	 text[] = "table a.b ignore=x ignore=`x`\n";

	(void)state;
	parse_err(text, sizeof text - 1, NAME ":1: column x named twice");
}

/* Ensure that a list with an empty element is refused. */
static void
test_err_list_empty_element(void **state)
{
	static const char	 text[] = "table a.b mask=x,\n";

	(void)state;
	parse_err(text, sizeof text - 1, NAME ":1: expected a name");
}

/* Ensure that a list with a bad separator is refused. */
static void
test_err_list_separator(void **state)
{
	static const char	 text[] = "table a.b mask=x;y\n";

	(void)state;
	parse_err(text, sizeof text - 1,
	    NAME ":1: expected a comma-separated list");
}

/* Ensure that chunk=0 is refused as too small. */
static void
test_err_chunk_zero(void **state)
{
	static const char	 text[] = "table a.b chunk=0\n";

	(void)state;
	parse_err(text, sizeof text - 1, NAME ":1: chunk size is too small");
}

/* Ensure that a chunk over 100000000 is refused as too large. */
static void
test_err_chunk_large(void **state)
{
	static const char	 text[] = "table a.b chunk=100000001\n";

	(void)state;
	parse_err(text, sizeof text - 1, NAME ":1: chunk size is too large");
}

/* Ensure that a chunk that is not a number is refused. */
static void
test_err_chunk_invalid(void **state)
{
	static const char	 text[] = "table a.b chunk=10k\n";

	(void)state;
	parse_err(text, sizeof text - 1, NAME ":1: chunk size is invalid");
}

/* Ensure that a negative chunk is refused. */
static void
test_err_chunk_negative(void **state)
{
	static const char	 text[] = "table a.b chunk=-5\n";

	(void)state;
	parse_err(text, sizeof text - 1, NAME ":1: chunk size is too small");
}

/* Ensure that an option with '=' but no value is refused. */
static void
test_err_option_no_value(void **state)
{
	static const char	 text[] = "table a.b ignore=\n";

	(void)state;
	parse_err(text, sizeof text - 1,
	    NAME ":1: expected option=value, not ignore=");
}

/* Ensure that an option without '=' is refused. */
static void
test_err_option_no_equals(void **state)
{
	static const char	 text[] = "table a.b chunk\n";

	(void)state;
	parse_err(text, sizeof text - 1,
	    NAME ":1: expected option=value, not chunk");
}

/* Ensure that an unknown table option is refused. */
static void
test_err_option_unknown(void **state)
{
	static const char	 text[] = "table a.b index=x\n";

	(void)state;
	parse_err(text, sizeof text - 1,
	    NAME ":1: unknown table option index");
}

/* Ensure that a NUL byte in the text is refused. */
static void
test_err_nul(void **state)
{
	static const char	 text[] = "table a.b\ntable c\0.d\n";

	(void)state;
	parse_err(text, sizeof text - 1, NAME ":2: NUL byte");
}

/* Ensure that a NUL byte inside backticks is refused. */
static void
test_err_nul_quoted(void **state)
{
	static const char	 text[] = "table `c\0`.d\n";

	(void)state;
	parse_err(text, sizeof text - 1, NAME ":1: NUL byte");
}

/* Ensure that 64 words on a line are accepted and 65 refused. */
static void
test_err_too_many_words(void **state)
{
	struct conf	*conf;
	struct buf	 b;
	char		*cause = NULL;
	int		 i;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	assert_int_equal(buf_adds(&b, "table a.b"), 0);
	for (i = 0; i < 62; i++)
		assert_int_equal(buf_printf(&b, " ignore=c%d", i), 0);
	conf = conf_parse(NAME, b.data, b.len, &cause);
	assert_non_null(conf);
	assert_int_equal(conf->tables[0].nignore, 62);
	conf_free(conf);
	assert_int_equal(buf_adds(&b, " ignore=c62"), 0);
	parse_err(b.data, b.len, NAME ":1: too many words on one line");
	buf_free(&b);
}

/* Ensure that a good DB.TABLE argument splits into its two names. */
static void
test_table_good(void **state)
{
	(void)state;
	table_ok("acme.users", 10, "acme", "users");
}

/* Ensure that bare names may hold '$', '_', digits and non-ASCII bytes. */
static void
test_table_bare_chars(void **state)
{
	(void)state;
	table_ok("db_1$.t\xc3\xa9", 9, "db_1$", "t\xc3\xa9");
}

/* Ensure that quoted parts may hold dots and doubled backticks. */
static void
test_table_quoted(void **state)
{
	(void)state;
	table_ok("`my.db`.`t``x`", 14, "my.db", "t`x");
}

/* Ensure that the argument is read only up to the given length. */
static void
test_table_bounded(void **state)
{
	(void)state;
	table_ok("acme.usersXYZ", 10, "acme", "users");
}

/* Ensure that an argument without a dot is refused. */
static void
test_table_missing_dot(void **state)
{
	(void)state;
	table_err("acmeusers", 9, "acmeusers: expected DB.TABLE");
}

/* Ensure that junk after DB.TABLE is refused. */
static void
test_table_trailing_junk(void **state)
{
	(void)state;
	table_err("acme.users x", 12,
	    "acme.users x: trailing characters after DB.TABLE");
}

/* Ensure that a second dot is refused as trailing junk. */
static void
test_table_two_dots(void **state)
{
	(void)state;
	table_err("a.b.c", 5, "a.b.c: trailing characters after DB.TABLE");
}

/* Ensure that a missing table part is refused. */
static void
test_table_missing_name(void **state)
{
	(void)state;
	table_err("acme.", 5, "acme.: expected a name");
}

/* Ensure that a missing database part is refused. */
static void
test_table_missing_db(void **state)
{
	(void)state;
	table_err(".users", 6, ".users: expected a name");
}

/* Ensure that an empty argument is refused. */
static void
test_table_empty(void **state)
{
	(void)state;
	table_err("", 0, ": expected a name");
}

/* Ensure that an unterminated quoted part is refused. */
static void
test_table_unterminated(void **state)
{
	(void)state;
	table_err("a.`b", 4, "a.`b: unterminated `quoted` name");
}

/* Ensure that a NUL byte inside a quoted part is refused. */
static void
test_table_nul(void **state)
{
	char	*db = NULL, *name = NULL, *cause = NULL;

	(void)state;
	assert_int_equal(conf_parse_table("a.`b\0c`", 7, &db, &name, &cause),
	    -1);
	assert_null(db);
	assert_null(name);
	assert_non_null(cause);
	free(cause);
}

/* Ensure that a 256-byte name is accepted (db and table). */
static void
test_table_256(void **state)
{
	char	 s[256 + 1 + 256 + 1], n[257];

	(void)state;
	memset(n, 'n', 256);
	n[256] = '\0';
	memcpy(s, n, 256);
	s[256] = '.';
	memcpy(s + 257, n, 256);
	s[513] = '\0';
	table_ok(s, 513, n, n);
}

/* Ensure that a 256-byte quoted name with `` counts the backtick once. */
static void
test_table_256_quoted(void **state)
{
	char	 s[2 + 255 + 2 + 1 + 2 + 1], n[257];

	(void)state;
	s[0] = '`';
	memset(s + 1, 'q', 255);
	memcpy(s + 256, "```.t", 6);
	memset(n, 'q', 255);
	n[255] = '`';
	n[256] = '\0';
	table_ok(s, 261, n, "t");
}

/* Ensure that a 257-byte table name is refused. */
static void
test_table_257_name(void **state)
{
	char	 s[2 + 257 + 1], want[300];

	(void)state;
	memcpy(s, "d.", 2);
	memset(s + 2, 'n', 257);
	s[259] = '\0';
	snprintf(want, sizeof want, "%.200s: name longer than 256 bytes", s);
	table_err(s, 259, want);
}

/* Ensure that a 257-byte database name is refused. */
static void
test_table_257_db(void **state)
{
	char	 s[257 + 2 + 1], want[300];

	(void)state;
	memset(s, 'd', 257);
	memcpy(s + 257, ".t", 3);
	snprintf(want, sizeof want, "%.200s: name longer than 256 bytes", s);
	table_err(s, 259, want);
}

/* Ensure that conf_find_table finds a table by both names. */
static void
test_find_table(void **state)
{
	struct conf		*conf;
	struct conf_table	*t;

	(void)state;
	conf = parse_ok(good);
	t = conf_find_table(conf, "my db", "we`ird #name");
	assert_ptr_equal(t, &conf->tables[1]);
	t = conf_find_table(conf, "acme", "orders");
	assert_ptr_equal(t, &conf->tables[2]);
	conf_free(conf);
}

/* Ensure that conf_find_table returns NULL for an unlisted table. */
static void
test_find_table_missing(void **state)
{
	struct conf	*conf;

	(void)state;
	conf = parse_ok(good);
	assert_null(conf_find_table(conf, "users", "acme"));
	assert_null(conf_find_table(conf, "acme", "user"));
	assert_null(conf_find_table(conf, "acm", "users"));
	assert_null(conf_find_table(conf, "", ""));
	conf_free(conf);
}

/* Ensure that conf_find_table on a configuration without tables is NULL. */
static void
test_find_table_none(void **state)
{
	struct conf	*conf;

	(void)state;
	conf = parse_ok("");
	assert_null(conf_find_table(conf, "a", "b"));
	conf_free(conf);
}

/* Ensure that conf_table_has matches whole names only. */
static void
test_table_has(void **state)
{
	char	 a[] = "alpha", b[] = "beta";
	char	*list[] = { a, b };

	(void)state;
	assert_int_equal(conf_table_has(list, 2, "beta"), 1);
	assert_int_equal(conf_table_has(list, 2, "bet"), 0);
	assert_int_equal(conf_table_has(list, 1, "beta"), 0);
	assert_int_equal(conf_table_has(NULL, 0, "x"), 0);
}

/* Ensure that conf_free(NULL) does nothing. */
static void
test_free_null(void **state)
{
	(void)state;
	conf_free(NULL);
}

/* Write text to a new temporary file with mode; the path is in tmpl. */
static void
write_temp(char *tmpl, const char *text, size_t len, mode_t mode)
{
	int	 fd;

	fd = mkstemp(tmpl);
	assert_true(fd != -1);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
}

/* Ensure that conf_load reads and parses a private file. */
static void
test_load_good(void **state)
{
	char		 path[] = "test_conf.XXXXXX";
	struct conf	*conf;
	char		*cause = NULL;

	(void)state;
	write_temp(path, good, sizeof good - 1, 0600);
	conf = conf_load(path, &cause);
	unlink(path);
	assert_non_null(conf);
	assert_string_equal(conf->path, path);
	assert_int_equal(conf->ntables, 3);
	conf_free(conf);
}

/* Ensure that conf_load names the file and line in a parse error. */
static void
test_load_parse_error(void **state)
{
	char		 path[] = "test_conf.XXXXXX", want[64];
	struct conf	*conf;
	char		*cause = NULL;

	(void)state;
	write_temp(path, "table a.b\nnope\n", 15, 0600);
	conf = conf_load(path, &cause);
	unlink(path);
	assert_null(conf);
	snprintf(want, sizeof want, "%s:2: unknown directive nope", path);
	assert_string_equal(cause, want);
	free(cause);
}

/* Ensure that conf_load refuses a missing file. */
static void
test_load_missing(void **state)
{
	struct conf	*conf;
	char		*cause = NULL;

	(void)state;
	conf = conf_load("/nonexistent/dbsyscheck.conf", &cause);
	assert_null(conf);
	assert_string_equal(cause,
	    "/nonexistent/dbsyscheck.conf: No such file or directory");
	free(cause);
}

/* Ensure that conf_load refuses a world-writable file. */
static void
test_load_world_writable(void **state)
{
	char		 path[] = "test_conf.XXXXXX", want[128];
	struct conf	*conf;
	char		*cause = NULL;

	(void)state;
	write_temp(path, good, sizeof good - 1, 0646);
	conf = conf_load(path, &cause);
	unlink(path);
	assert_null(conf);
	snprintf(want, sizeof want, "%s: group- or world-writable (mode "
	    "0646), run: chmod go-w '%s'", path, path);
	assert_string_equal(cause, want);
	free(cause);
}

/* Ensure that conf_load refuses a file larger than 1 MiB. */
static void
test_load_too_large(void **state)
{
	char		 path[] = "test_conf.XXXXXX", want[128];
	struct conf	*conf;
	char		*big, *cause = NULL;
	size_t		 len = 1024 * 1024 + 1;

	(void)state;
	big = malloc(len);
	assert_non_null(big);
	memset(big, '\n', len);
	write_temp(path, big, len, 0600);
	free(big);
	conf = conf_load(path, &cause);
	unlink(path);
	assert_null(conf);
	snprintf(want, sizeof want, "%s: larger than 1048576 bytes", path);
	assert_string_equal(cause, want);
	free(cause);
}

int
main(void)
{
	const char	*dir;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_follow_server_id),
		cmocka_unit_test(test_parse_audit_log),
		cmocka_unit_test(test_parse_reconcile),
		cmocka_unit_test(test_err_reconcile_twice),
		cmocka_unit_test(test_err_reconcile_word),
		cmocka_unit_test(test_parse_paths),
		cmocka_unit_test(test_parse_tables),
		cmocka_unit_test(test_parse_quoted_names),
		cmocka_unit_test(test_parse_ignore),
		cmocka_unit_test(test_parse_mask),
		cmocka_unit_test(test_parse_chunk),
		cmocka_unit_test(test_parse_chunk_bounds),
		cmocka_unit_test(test_parse_ignore_repeated),
		cmocka_unit_test(test_parse_defaults),
		cmocka_unit_test(test_parse_trigger_token),
		cmocka_unit_test(test_parse_empty),
		cmocka_unit_test(test_parse_comments_crlf),
		cmocka_unit_test(test_parse_no_final_newline),
		cmocka_unit_test(test_parse_bounded),
		cmocka_unit_test(test_err_unknown_directive),
		cmocka_unit_test(test_err_unknown_directive_long),
		cmocka_unit_test(test_err_table_no_dot),
		cmocka_unit_test(test_err_table_missing),
		cmocka_unit_test(test_err_table_junk),
		cmocka_unit_test(test_err_table_duplicate),
		cmocka_unit_test(test_many_tables),
		cmocka_unit_test(test_err_baseline_twice),
		cmocka_unit_test(test_err_group_twice),
		cmocka_unit_test(test_err_path_no_arg),
		cmocka_unit_test(test_err_path_two_args),
		cmocka_unit_test(test_err_relative_baseline),
		cmocka_unit_test(test_err_relative_key),
		cmocka_unit_test(test_err_relative_defaults),
		cmocka_unit_test(test_err_relative_trigger_token),
		cmocka_unit_test(test_err_unterminated_backtick),
		cmocka_unit_test(test_err_empty_name),
		cmocka_unit_test(test_err_name_trailing_space),
		cmocka_unit_test(test_err_ignored_and_masked),
		cmocka_unit_test(test_err_column_twice),
		cmocka_unit_test(test_err_list_empty_element),
		cmocka_unit_test(test_err_list_separator),
		cmocka_unit_test(test_err_chunk_zero),
		cmocka_unit_test(test_err_chunk_large),
		cmocka_unit_test(test_err_chunk_invalid),
		cmocka_unit_test(test_err_chunk_negative),
		cmocka_unit_test(test_err_option_no_value),
		cmocka_unit_test(test_err_option_no_equals),
		cmocka_unit_test(test_err_option_unknown),
		cmocka_unit_test(test_err_nul),
		cmocka_unit_test(test_err_nul_quoted),
		cmocka_unit_test(test_err_too_many_words),
		cmocka_unit_test(test_table_good),
		cmocka_unit_test(test_table_bare_chars),
		cmocka_unit_test(test_table_quoted),
		cmocka_unit_test(test_table_bounded),
		cmocka_unit_test(test_table_missing_dot),
		cmocka_unit_test(test_table_trailing_junk),
		cmocka_unit_test(test_table_two_dots),
		cmocka_unit_test(test_table_missing_name),
		cmocka_unit_test(test_table_missing_db),
		cmocka_unit_test(test_table_empty),
		cmocka_unit_test(test_table_unterminated),
		cmocka_unit_test(test_table_nul),
		cmocka_unit_test(test_table_256),
		cmocka_unit_test(test_table_256_quoted),
		cmocka_unit_test(test_table_257_name),
		cmocka_unit_test(test_table_257_db),
		cmocka_unit_test(test_find_table),
		cmocka_unit_test(test_find_table_missing),
		cmocka_unit_test(test_find_table_none),
		cmocka_unit_test(test_table_has),
		cmocka_unit_test(test_free_null),
		cmocka_unit_test(test_load_good),
		cmocka_unit_test(test_load_parse_error),
		cmocka_unit_test(test_load_missing),
		cmocka_unit_test(test_load_world_writable),
		cmocka_unit_test(test_load_too_large),
	};

	/* Their files go where dbsyscheck accepts them (tests/testdir.sh). */
	if ((dir = getenv("DBSC_TESTDIR")) != NULL && chdir(dir) == -1) {
		perror(dir);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}

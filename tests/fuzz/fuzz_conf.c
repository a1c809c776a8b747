/* libFuzzer target: the configuration parser (conf_parse). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "conf.h"
#include "fuzz_check.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Append name `quoted`, with a backtick doubled. */
static void
put_ident(struct buf *b, const char *name)
{
	size_t	 i;

	FUZZ_ASSERT(buf_addc(b, '`') == 0, "buf_addc");
	for (i = 0; name[i] != '\0'; i++) {
		FUZZ_ASSERT(buf_addc(b, name[i]) == 0, "buf_addc");
		if (name[i] == '`')
			FUZZ_ASSERT(buf_addc(b, '`') == 0, "buf_addc");
	}
	FUZZ_ASSERT(buf_addc(b, '`') == 0, "buf_addc");
}

static void
put_names(struct buf *b, const char *opt, char *const *list, size_t n)
{
	size_t	 i;

	if (n == 0)
		return;
	FUZZ_ASSERT(buf_printf(b, " %s=", opt) == 0, "buf_printf");
	for (i = 0; i < n; i++) {
		if (i > 0)
			FUZZ_ASSERT(buf_addc(b, ',') == 0, "buf_addc");
		put_ident(b, list[i]);
	}
}

/* An identifier: 1 to CONF_IDENT_MAX bytes, no NUL (it is a C string). */
static void
check_ident(const char *what, const char *s)
{
	size_t	 n;

	FUZZ_ASSERT(s != NULL, "%s is NULL", what);
	n = strlen(s);
	FUZZ_ASSERT(n >= 1 && n <= CONF_IDENT_MAX, "%s of %zu bytes", what, n);
}

static void
check_list(const char *what, char *const *list, size_t n)
{
	size_t	 i, j;

	for (i = 0; i < n; i++) {
		check_ident(what, list[i]);
		for (j = 0; j < i; j++)
			FUZZ_ASSERT(strcmp(list[i], list[j]) != 0,
			    "%s lists %s twice", what, list[i]);
	}
}

static void
check_path(const char *what, const char *p, int optional)
{
	if (p == NULL) {
		FUZZ_ASSERT(optional, "no %s", what);
		return;
	}
	FUZZ_ASSERT(p[0] == '/', "%s %s is not absolute", what, p);
}

static int
same_list(char *const *a, size_t na, char *const *b, size_t nb)
{
	size_t	 i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++) {
		if (strcmp(a[i], b[i]) != 0)
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf		*conf, *again;
	struct conf_table	*t, *u;
	struct buf		 text;
	char			*cause = NULL, *db, *name;
	size_t			 i, j;

	conf = conf_parse("fuzz.conf", (const char *)data, size, &cause);
	if (conf == NULL) {
		FUZZ_ASSERT(cause != NULL && cause[0] != '\0',
		    "failed without a cause");
		free(cause);
		return 0;
	}
	FUZZ_ASSERT(cause == NULL, "a cause on success: %s", cause);
	check_path("baseline", conf->baseline, 0);
	check_path("key", conf->key, 0);
	check_path("mysql-defaults-file", conf->defaults_file, 1);
	check_path("trigger-token", conf->trigger_token, 1);
	FUZZ_ASSERT(conf->group != NULL, "no group");

	/* Each table: sane names, found by name, its line parsed again. */
	buf_init(&text, BUF_NOCAP);
	for (i = 0; i < conf->ntables; i++) {
		t = &conf->tables[i];
		check_ident("db", t->db);
		check_ident("table", t->name);
		check_list("ignore=", t->ignore, t->nignore);
		check_list("mask=", t->mask, t->nmask);
		for (j = 0; j < t->nmask; j++)
			FUZZ_ASSERT(!conf_table_has(t->ignore, t->nignore,
			    t->mask[j]), "%s both ignored and masked",
			    t->mask[j]);
		FUZZ_ASSERT(conf_find_table(conf, t->db, t->name) == t,
		    "conf_find_table does not find table %zu", i);

		buf_reset(&text);
		put_ident(&text, t->db);
		FUZZ_ASSERT(buf_addc(&text, '.') == 0, "buf_addc");
		put_ident(&text, t->name);
		FUZZ_ASSERT(conf_parse_table(text.data, text.len, &db, &name,
		    &cause) == 0, "%s does not parse: %s", text.data, cause);
		FUZZ_ASSERT(strcmp(db, t->db) == 0 &&
		    strcmp(name, t->name) == 0, "%s parses differently",
		    text.data);
		free(db);
		free(name);
	}

	/* The tables written out as text parse to the same tables. */
	buf_reset(&text);
	for (i = 0; i < conf->ntables; i++) {
		t = &conf->tables[i];
		FUZZ_ASSERT(buf_adds(&text, "table ") == 0, "buf_adds");
		put_ident(&text, t->db);
		FUZZ_ASSERT(buf_addc(&text, '.') == 0, "buf_addc");
		put_ident(&text, t->name);
		put_names(&text, "ignore", t->ignore, t->nignore);
		put_names(&text, "mask", t->mask, t->nmask);
		if (t->chunk != 0)
			FUZZ_ASSERT(buf_printf(&text, " chunk=%lu", t->chunk) ==
			    0, "buf_printf");
		FUZZ_ASSERT(buf_addc(&text, '\n') == 0, "buf_addc");
	}
	again = conf_parse("again.conf", buf_str(&text), text.len, &cause);
	FUZZ_ASSERT(again != NULL, "written-out tables do not parse: %s\n%s",
	    cause, buf_str(&text));
	FUZZ_ASSERT(again->ntables == conf->ntables, "table count differs");
	for (i = 0; i < conf->ntables; i++) {
		t = &conf->tables[i];
		u = &again->tables[i];
		FUZZ_ASSERT(strcmp(t->db, u->db) == 0 &&
		    strcmp(t->name, u->name) == 0 &&
		    same_list(t->ignore, t->nignore, u->ignore, u->nignore) &&
		    same_list(t->mask, t->nmask, u->mask, u->nmask) &&
		    t->chunk == u->chunk, "table %zu differs after a round trip",
		    i);
	}
	conf_free(again);
	buf_free(&text);
	conf_free(conf);
	return 0;
}

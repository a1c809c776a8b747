/* The configuration file: paths, the MySQL option file and watched tables. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "conf.h"
#include "paths.h"
#include "util.h"
#include "xmalloc.h"

#define CONF_MAX_SIZE	(1024 * 1024)
#define CONF_MAX_TOKENS	64
#define IS_PATH(s)	((s) != NULL && (s)[0] != '/')

struct token {
	const char	*p;
	size_t		 len;
};

static int
conf_bare(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '$' || c >= 0x80;
}

/*
 * Parse one identifier at *pp (bare, or backtick-quoted with `` for a
 * backtick) into an allocated string; advance *pp past it.
 */
static char *
conf_ident(const char **pp, const char *end, char **cause)
{
	const char	*p = *pp;
	char		*s;
	struct buf	 b;

	buf_init(&b, CONF_IDENT_MAX);
	if (p < end && *p == '`') {
		for (p++;; p++) {
			if (p == end) {
				*cause = xstrdup("unterminated `quoted` name");
				goto fail;
			}
			if (*p == '`') {
				if (p + 1 < end && p[1] == '`')
					p++;
				else
					break;
			}
			if (*p == '\0') {
				*cause = xstrdup("NUL byte in a name");
				goto fail;
			}
			if (buf_addc(&b, *p) == -1) {
				*cause = xasprintf("name longer than %d bytes",
				    CONF_IDENT_MAX);
				goto fail;
			}
		}
		p++;
		if (b.len == 0) {
			*cause = xstrdup("empty name");
			goto fail;
		}
		if (b.data[b.len - 1] == ' ') {
			*cause = xstrdup("name ends with a space");
			goto fail;
		}
	} else {
		for (; p < end && conf_bare((unsigned char)*p); p++) {
			if (buf_addc(&b, *p) == -1) {
				*cause = xasprintf("name longer than %d bytes",
				    CONF_IDENT_MAX);
				goto fail;
			}
		}
		if (b.len == 0) {
			*cause = xstrdup("expected a name");
			goto fail;
		}
	}
	s = xmemdup(b.data, b.len);
	buf_free(&b);
	*pp = p;
	return s;

fail:
	buf_free(&b);
	return NULL;
}

/* Parse "DB.TABLE" (either part may be `quoted`) into two strings. */
int
conf_parse_table(const char *s, size_t len, char **db, char **name,
    char **cause)
{
	const char	*p = s, *end = s + len;
	char		*why = NULL;

	*db = *name = NULL;
	if ((*db = conf_ident(&p, end, &why)) == NULL)
		goto fail;
	if (p == end || *p != '.') {
		why = xstrdup("expected DB.TABLE");
		goto fail;
	}
	p++;
	if ((*name = conf_ident(&p, end, &why)) == NULL)
		goto fail;
	if (p != end) {
		why = xstrdup("trailing characters after DB.TABLE");
		goto fail;
	}
	return 0;

fail:
	*cause = xasprintf("%.*s: %s", (int)(len > 200 ? 200 : len), s, why);
	free(why);
	free(*db);
	free(*name);
	*db = *name = NULL;
	return -1;
}

/* Parse "a,b,`c d`" into a list of names appended to *list. */
static int
conf_names(const char *s, size_t len, char ***list, size_t *n, char **cause)
{
	const char	*p = s, *end = s + len;
	char		*name;

	for (;;) {
		if ((name = conf_ident(&p, end, cause)) == NULL)
			return -1;
		if (conf_table_has(*list, *n, name)) {
			*cause = xasprintf("column %s named twice", name);
			free(name);
			return -1;
		}
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		(*list)[(*n)++] = name;
		if (p == end)
			return 0;
		if (*p != ',') {
			*cause = xstrdup("expected a comma-separated list");
			return -1;
		}
		p++;
	}
}

/* 1 when name is in the list. */
int
conf_table_has(char *const *list, size_t n, const char *name)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(list[i], name) == 0)
			return 1;
	}
	return 0;
}

/*
 * The index of the tables: open addressing over FNV-1a of "db\0name" (the
 * configuration is the administrator's, so no keyed hash is needed), so
 * that reading N table lines, each checked for a duplicate, is linear.
 */
struct conf_index {
	size_t	*slot;		/* table index + 1; 0 is free */
	size_t	 nslot;		/* a power of two */
	size_t	 alloc;		/* room in conf->tables */
};

static size_t
conf_hash(const char *db, const char *name)
{
	uint64_t	 h = 14695981039346656037ULL;
	const char	*p;

	for (p = db; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h *= 1099511628211ULL;		/* the NUL between the two */
	for (p = name; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 32));
}

/* The watched table DB.NAME, or NULL. */
struct conf_table *
conf_find_table(const struct conf *conf, const char *db, const char *name)
{
	const struct conf_index	*ix = conf->index;
	const struct conf_table	*t;
	size_t			 i, k;

	if (ix == NULL || ix->nslot == 0)
		return NULL;
	for (i = conf_hash(db, name) & (ix->nslot - 1);
	    (k = ix->slot[i]) != 0; i = (i + 1) & (ix->nslot - 1)) {
		t = &conf->tables[k - 1];
		if (strcmp(t->db, db) == 0 && strcmp(t->name, name) == 0)
			return &conf->tables[k - 1];
	}
	return NULL;
}

/* Put table k (an index into conf->tables) into the hash table. */
static void
conf_index_put(struct conf_index *ix, const struct conf_table *tables,
    size_t k)
{
	size_t	 i;

	for (i = conf_hash(tables[k].db, tables[k].name) & (ix->nslot - 1);
	    ix->slot[i] != 0; i = (i + 1) & (ix->nslot - 1))
		;
	ix->slot[i] = k + 1;
}

/* Append t to the tables: amortised constant time, indexed. */
static void
conf_table_append(struct conf *conf, const struct conf_table *t)
{
	struct conf_index	*ix;
	size_t			 k;

	if (conf->index == NULL)
		conf->index = xcalloc(1, sizeof *conf->index);
	ix = conf->index;
	if (conf->ntables == ix->alloc) {
		ix->alloc = ix->alloc == 0 ? 16 : ix->alloc * 2;
		conf->tables = xreallocarray(conf->tables, ix->alloc,
		    sizeof *conf->tables);
	}
	conf->tables[conf->ntables++] = *t;
	/* At most half full, so that probe runs stay short. */
	if (conf->ntables * 2 > ix->nslot) {
		free(ix->slot);
		ix->nslot = ix->nslot == 0 ? 32 : ix->nslot * 2;
		ix->slot = xcalloc(ix->nslot, sizeof *ix->slot);
		for (k = 0; k < conf->ntables; k++)
			conf_index_put(ix, conf->tables, k);
	} else
		conf_index_put(ix, conf->tables, conf->ntables - 1);
}

/* Split a line into tokens; a backtick quotes spaces and '#'. */
static int
conf_tokens(const char *p, const char *end, struct token *tok, size_t *ntok,
    char **cause)
{
	int	 quoted;

	*ntok = 0;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p == end || *p == '#')
			return 0;
		if (*ntok == CONF_MAX_TOKENS) {
			*cause = xstrdup("too many words on one line");
			return -1;
		}
		tok[*ntok].p = p;
		quoted = 0;
		for (; p < end; p++) {
			if (*p == '`')
				quoted = !quoted;
			else if (!quoted && (*p == ' ' || *p == '\t' ||
			    *p == '\r' || *p == '#'))
				break;
			else if (*p == '\0') {
				*cause = xstrdup("NUL byte");
				return -1;
			}
		}
		if (quoted) {
			*cause = xstrdup("unterminated `quoted` name");
			return -1;
		}
		tok[*ntok].len = (size_t)(p - tok[*ntok].p);
		(*ntok)++;
	}
}

static int
conf_path(char **dst, const struct token *tok, size_t ntok, char **cause)
{
	if (ntok != 2) {
		*cause = xasprintf("%.*s takes exactly one argument",
		    (int)tok[0].len, tok[0].p);
		return -1;
	}
	if (*dst != NULL) {
		*cause = xasprintf("%.*s given twice", (int)tok[0].len,
		    tok[0].p);
		return -1;
	}
	*dst = xmemdup(tok[1].p, tok[1].len);
	return 0;
}

/* A directive with one whole number in [min, max], given once. */
static int
conf_number(unsigned long *dst, const struct token *tok, size_t ntok,
    long long min, long long max, char **cause)
{
	const char	*errstr;
	char		*num;

	if (ntok != 2) {
		*cause = xasprintf("%.*s takes exactly one number",
		    (int)tok[0].len, tok[0].p);
		return -1;
	}
	if (*dst != 0) {
		*cause = xasprintf("%.*s given twice", (int)tok[0].len,
		    tok[0].p);
		return -1;
	}
	num = xmemdup(tok[1].p, tok[1].len);
	*dst = (unsigned long)util_strtonum(num, min, max, &errstr);
	free(num);
	if (errstr != NULL) {
		*cause = xasprintf("%.*s: number is %s (%lld to %lld)",
		    (int)tok[0].len, tok[0].p, errstr, min, max);
		return -1;
	}
	return 0;
}

/* reconcile auto, yes or no (docs/BINLOG.md, "Reconciliation"). */
static int
conf_reconcile(struct conf *conf, const struct token *tok, size_t ntok,
    char **cause)
{
	static const char *const words[] = { "auto", "yes", "no" };
	static const int	 values[] = { CONF_RECONCILE_AUTO,
				    CONF_RECONCILE_YES, CONF_RECONCILE_NO };
	size_t			 i;

	if (conf->reconcile_set) {
		*cause = xstrdup("reconcile given twice");
		return -1;
	}
	for (i = 0; ntok == 2 && i < sizeof words / sizeof words[0]; i++) {
		if (tok[1].len != strlen(words[i]) ||
		    memcmp(tok[1].p, words[i], tok[1].len) != 0)
			continue;
		conf->reconcile = values[i];
		conf->reconcile_set = 1;
		return 0;
	}
	*cause = xstrdup("reconcile takes auto, yes or no");
	return -1;
}

static int
conf_table_line(struct conf *conf, const struct token *tok, size_t ntok,
    int line, char **cause)
{
	struct conf_table	 t;
	const char		*eq, *errstr;
	size_t			 i, klen;
	char			*num;

	memset(&t, 0, sizeof t);
	t.line = line;
	if (ntok < 2) {
		*cause = xstrdup("table needs DB.TABLE");
		return -1;
	}
	if (conf_parse_table(tok[1].p, tok[1].len, &t.db, &t.name,
	    cause) == -1)
		return -1;
	if (conf_find_table(conf, t.db, t.name) != NULL) {
		*cause = xasprintf("table %.*s listed twice", (int)tok[1].len,
		    tok[1].p);
		goto fail;
	}
	for (i = 2; i < ntok; i++) {
		eq = memchr(tok[i].p, '=', tok[i].len);
		if (eq == NULL || eq + 1 == tok[i].p + tok[i].len) {
			*cause = xasprintf("expected option=value, not %.*s",
			    (int)tok[i].len, tok[i].p);
			goto fail;
		}
		klen = (size_t)(eq - tok[i].p);
		eq++;
		if (klen == 6 && memcmp(tok[i].p, "ignore", 6) == 0) {
			if (conf_names(eq, (size_t)(tok[i].p + tok[i].len - eq),
			    &t.ignore, &t.nignore, cause) == -1)
				goto fail;
		} else if (klen == 4 && memcmp(tok[i].p, "mask", 4) == 0) {
			if (conf_names(eq, (size_t)(tok[i].p + tok[i].len - eq),
			    &t.mask, &t.nmask, cause) == -1)
				goto fail;
		} else if (klen == 19 &&
		    memcmp(tok[i].p, "max-rows-per-second", 19) == 0) {
			if (t.max_rows_per_second != 0) {
				*cause = xstrdup("max-rows-per-second= given "
				    "twice");
				goto fail;
			}
			num = xmemdup(eq, (size_t)(tok[i].p + tok[i].len - eq));
			t.max_rows_per_second = (unsigned long)util_strtonum(num,
			    1, 1000000000, &errstr);
			free(num);
			if (errstr != NULL) {
				*cause = xasprintf("max-rows-per-second is %s",
				    errstr);
				goto fail;
			}
		} else if (klen == 5 && memcmp(tok[i].p, "chunk", 5) == 0) {
			if (t.chunk != 0) {
				*cause = xstrdup("chunk= given twice");
				goto fail;
			}
			num = xmemdup(eq, (size_t)(tok[i].p + tok[i].len - eq));
			t.chunk = (unsigned long)util_strtonum(num, 1,
			    100000000, &errstr);
			free(num);
			if (errstr != NULL) {
				*cause = xasprintf("chunk size is %s", errstr);
				goto fail;
			}
		} else {
			*cause = xasprintf("unknown table option %.*s",
			    (int)klen, tok[i].p);
			goto fail;
		}
	}
	for (i = 0; i < t.nmask; i++) {
		if (conf_table_has(t.ignore, t.nignore, t.mask[i])) {
			*cause = xasprintf("column %s is both ignored and "
			    "masked", t.mask[i]);
			goto fail;
		}
	}
	conf_table_append(conf, &t);
	return 0;

fail:
	for (i = 0; i < t.nignore; i++)
		free(t.ignore[i]);
	for (i = 0; i < t.nmask; i++)
		free(t.mask[i]);
	free(t.ignore);
	free(t.mask);
	free(t.db);
	free(t.name);
	return -1;
}

static int
conf_line(struct conf *conf, const char *p, const char *end, int line,
    char **cause)
{
	struct token	 tok[CONF_MAX_TOKENS];
	size_t		 ntok;
	int		 r;

#define IS(w) (tok[0].len == sizeof(w) - 1 && memcmp(tok[0].p, w, tok[0].len) == 0)
	if (conf_tokens(p, end, tok, &ntok, cause) == -1)
		return -1;
	if (ntok == 0)
		return 0;
	if (IS("baseline"))
		r = conf_path(&conf->baseline, tok, ntok, cause);
	else if (IS("key"))
		r = conf_path(&conf->key, tok, ntok, cause);
	else if (IS("mysql-defaults-file"))
		r = conf_path(&conf->defaults_file, tok, ntok, cause);
	else if (IS("mysql-group"))
		r = conf_path(&conf->group, tok, ntok, cause);
	else if (IS("trigger-token"))
		r = conf_path(&conf->trigger_token, tok, ntok, cause);
	else if (IS("trigger-admin-file"))
		r = conf_path(&conf->trigger_admin_file, tok, ntok, cause);
	else if (IS("max-rows-per-second"))
		r = conf_number(&conf->max_rows_per_second, tok, ntok, 1,
		    1000000000, cause);
	else if (IS("max-threads-running"))
		r = conf_number(&conf->max_threads_running, tok, ntok, 1,
		    100000, cause);
	else if (IS("follow-server-id"))
		r = conf_number(&conf->follow_server_id, tok, ntok, 1,
		    4294967295LL, cause);
	else if (IS("reconcile"))
		r = conf_reconcile(conf, tok, ntok, cause);
	else if (IS("audit-log"))
		r = conf_path(&conf->audit_log, tok, ntok, cause);
	else if (IS("table"))
		r = conf_table_line(conf, tok, ntok, line, cause);
	else {
		*cause = xasprintf("unknown directive %.*s",
		    (int)(tok[0].len > 64 ? 64 : tok[0].len), tok[0].p);
		r = -1;
	}
#undef IS
	if (r == 0 && (IS_PATH(conf->baseline) || IS_PATH(conf->key) ||
	    IS_PATH(conf->defaults_file) || IS_PATH(conf->trigger_token) ||
	    IS_PATH(conf->trigger_admin_file) || IS_PATH(conf->audit_log))) {
		*cause = xstrdup("paths must be absolute");
		r = -1;
	}
	return r;
}

/* Parse configuration text; name is used in messages ("name:line: ..."). */
struct conf *
conf_parse(const char *name, const char *text, size_t len, char **cause)
{
	struct conf	*conf;
	const char	*p = text, *end = text + len, *eol;
	char		*why = NULL;
	int		 line = 0;

	conf = xcalloc(1, sizeof *conf);
	conf->path = xstrdup(name);
	while (p < end) {
		line++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (conf_line(conf, p, eol, line, &why) == -1) {
			*cause = xasprintf("%s:%d: %s", name, line, why);
			free(why);
			conf_free(conf);
			return NULL;
		}
		p = eol + 1;
	}
	if (conf->baseline == NULL)
		conf->baseline = xstrdup(DBSC_STATEDIR "/baseline.db");
	if (conf->key == NULL)
		conf->key = xstrdup(DBSC_STATEDIR "/hmac.key");
	if (conf->defaults_file == NULL)
		conf->defaults_file = xstrdup(DBSC_SYSCONFDIR "/my.cnf");
	if (conf->group == NULL)
		conf->group = xstrdup("client");
	if (conf->trigger_token == NULL)
		conf->trigger_token = xstrdup(DBSC_SYSCONFDIR "/trigger.token");
	return conf;
}

/* Read and parse a configuration file, refusing unsafe permissions. */
struct conf *
conf_load(const char *path, char **cause)
{
	struct buf	 b;
	struct conf	*conf = NULL;
	char		 chunk[8192];
	ssize_t		 n;
	int		 fd;

	if ((fd = util_open(path, O_RDONLY, 0, 0, cause)) == -1)
		return NULL;
	buf_init(&b, CONF_MAX_SIZE);
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			buf_free(&b);
			goto out;
		}
		if (n == 0)
			break;
		if (buf_add(&b, chunk, (size_t)n) == -1) {
			*cause = xasprintf("%s: larger than %d bytes", path,
			    CONF_MAX_SIZE);
			goto out;
		}
	}
	conf = conf_parse(path, buf_str(&b), b.len, cause);
	buf_free(&b);
out:
	close(fd);
	return conf;
}

/* Free a configuration. */
void
conf_free(struct conf *conf)
{
	size_t	 i, j;

	if (conf == NULL)
		return;
	for (i = 0; i < conf->ntables; i++) {
		for (j = 0; j < conf->tables[i].nignore; j++)
			free(conf->tables[i].ignore[j]);
		for (j = 0; j < conf->tables[i].nmask; j++)
			free(conf->tables[i].mask[j]);
		free(conf->tables[i].ignore);
		free(conf->tables[i].mask);
		free(conf->tables[i].db);
		free(conf->tables[i].name);
	}
	free(conf->tables);
	if (conf->index != NULL)
		free(conf->index->slot);
	free(conf->index);
	free(conf->path);
	free(conf->baseline);
	free(conf->key);
	free(conf->defaults_file);
	free(conf->audit_log);
	free(conf->group);
	free(conf->trigger_token);
	free(conf->trigger_admin_file);
	free(conf);
}

/* The watched tables to work on: all, or those named (which must be). */
int
conf_select(const struct conf *conf, int argc, char **argv,
    const struct conf_table ***out, size_t *n, char **cause)
{
	const struct conf_table	**list;
	struct conf_table	 *t;
	char			 *db, *name;
	size_t			  i;
	int			  a;

	list = xcalloc(conf->ntables + (size_t)argc + 1, sizeof *list);
	*n = 0;
	if (argc == 0) {
		for (i = 0; i < conf->ntables; i++)
			list[(*n)++] = &conf->tables[i];
		*out = list;
		return 0;
	}
	for (a = 0; a < argc; a++) {
		if (conf_parse_table(argv[a], strlen(argv[a]), &db, &name,
		    cause) == -1)
			goto fail;
		t = conf_find_table(conf, db, name);
		free(db);
		free(name);
		if (t == NULL) {
			*cause = xasprintf("%s: not a watched table in %s",
			    argv[a], conf->path);
			goto fail;
		}
		for (i = 0; i < *n; i++) {
			if (list[i] == t)
				break;
		}
		if (i == *n)
			list[(*n)++] = t;
	}
	*out = list;
	return 0;

fail:
	free(list);
	return -1;
}

/* The tables a statement of the binary log truncates, drops, renames, ... */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "ddl.h"

/*
 * A small tokenizer of the statements MariaDB writes to the binary log:
 * comments (executable ones, MySQL's and MariaDB's, are read as the
 * statement), quoted identifiers (`x`, and "x" where a name is expected,
 * for ANSI_QUOTES), strings, words and single punctuation bytes. It only
 * has to find the table names of five statements; the rest of a
 * statement is never looked at, except in a statement that may write
 * rows, where every identifier is a table it may have changed.
 */
enum ddl_ttype {
	DDL_T_END,
	DDL_T_WORD,		/* a bare word: keyword or identifier */
	DDL_T_QUOTED,		/* `x` or "x" */
	DDL_T_STRING,		/* 'x' */
	DDL_T_PUNCT,
};

struct ddl_tok {
	enum ddl_ttype	 type;
	char		 c;			/* DDL_T_PUNCT */
	char		 s[DDL_IDENT_MAX + 1];	/* WORD, QUOTED: unquoted */
	size_t		 len;
	int		 toolong;
};

struct ddl_lex {
	const char	*p;
	const char	*end;
	int		 inexec;	/* open executable comments */
};

static int
ddl_wordc(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '$' || c >= 0x80;
}

static int
ddl_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

/*
 * What may follow "--" for the server to read a comment: a space or any
 * control byte (its my_isspace or my_iscntrl), not only the blanks.
 */
static int
ddl_cntrl(unsigned char c)
{
	return c <= 0x20 || c == 0x7f;
}

/* Skip what is not a token: blanks and comments. */
static void
ddl_skip(struct ddl_lex *l)
{
	const char	*e;
	size_t		 n;

	while (l->p < l->end) {
		n = (size_t)(l->end - l->p);
		if (ddl_space((unsigned char)*l->p)) {
			l->p++;
		} else if (l->inexec > 0 && n >= 2 && l->p[0] == '*' &&
		    l->p[1] == '/') {
			l->p += 2;
			l->inexec--;
		} else if ((n >= 3 && memcmp(l->p, "/*!", 3) == 0) ||
		    (n >= 4 && memcmp(l->p, "/*M!", 4) == 0)) {
			/* Executed by the server: its text is the statement. */
			l->p += l->p[2] == '!' ? 3 : 4;
			while (l->p < l->end && *l->p >= '0' && *l->p <= '9')
				l->p++;
			l->inexec++;
		} else if (n >= 2 && l->p[0] == '/' && l->p[1] == '*') {
			for (e = l->p + 2; e + 1 < l->end; e++)
				if (e[0] == '*' && e[1] == '/')
					break;
			l->p = e + 1 < l->end ? e + 2 : l->end;
		} else if (*l->p == '#' || (n >= 2 && l->p[0] == '-' &&
		    l->p[1] == '-' && (n == 2 ||
		    ddl_cntrl((unsigned char)l->p[2])))) {
			while (l->p < l->end && *l->p != '\n')
				l->p++;
		} else
			break;
	}
}

/* Add one byte of an identifier (a longer one is marked, not kept). */
static void
ddl_add(struct ddl_tok *t, char c)
{
	if (t->len < DDL_IDENT_MAX)
		t->s[t->len++] = c;
	else
		t->toolong = 1;
}

/* A quoted identifier or string up to q; a doubled q is one q. */
static int
ddl_quoted(struct ddl_lex *l, struct ddl_tok *t, char q)
{
	l->p++;
	while (l->p < l->end) {
		if (*l->p == q) {
			if (l->p + 1 < l->end && l->p[1] == q) {
				ddl_add(t, q);
				l->p += 2;
				continue;
			}
			l->p++;
			return 0;
		}
		/* Backslash escapes only in strings (sql_mode permitting). */
		if (q == '\'' && *l->p == '\\' && l->p + 1 < l->end)
			l->p++;
		ddl_add(t, *l->p++);
	}
	return -1;	/* unterminated: nothing more to read */
}

static void
ddl_next(struct ddl_lex *l, struct ddl_tok *t)
{
	unsigned char	 c;

	t->len = 0;
	t->toolong = 0;
	t->s[0] = '\0';
	ddl_skip(l);
	if (l->p >= l->end) {
		t->type = DDL_T_END;
		return;
	}
	c = (unsigned char)*l->p;
	if (c == '`' || c == '"' || c == '\'') {
		t->type = c == '\'' ? DDL_T_STRING : DDL_T_QUOTED;
		if (ddl_quoted(l, t, (char)c) == -1) {
			t->type = DDL_T_END;
			l->p = l->end;
		}
	} else if (ddl_wordc(c)) {
		t->type = DDL_T_WORD;
		while (l->p < l->end && ddl_wordc((unsigned char)*l->p))
			ddl_add(t, *l->p++);
	} else {
		t->type = DDL_T_PUNCT;
		t->c = (char)c;
		l->p++;
	}
	t->s[t->len] = '\0';
}

/* The token is the keyword kw (upper case), in any case. */
static int
ddl_kw(const struct ddl_tok *t, const char *kw)
{
	size_t	 i;
	char	 c;

	if (t->type != DDL_T_WORD || t->len != strlen(kw))
		return 0;
	for (i = 0; i < t->len; i++) {
		c = t->s[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c != kw[i])
			return 0;
	}
	return 1;
}

static int
ddl_punct(const struct ddl_tok *t, char c)
{
	return t->type == DDL_T_PUNCT && t->c == c;
}

/* Skip the keywords of the list given when they come next, in order. */
static void
ddl_opt(struct ddl_lex *l, struct ddl_tok *t, const char *const *kws)
{
	for (; *kws != NULL; kws++)
		if (ddl_kw(t, *kws))
			ddl_next(l, t);
}

/* IF EXISTS, IF NOT EXISTS. */
static void
ddl_if(struct ddl_lex *l, struct ddl_tok *t)
{
	if (!ddl_kw(t, "IF"))
		return;
	ddl_next(l, t);
	if (ddl_kw(t, "NOT"))
		ddl_next(l, t);
	if (ddl_kw(t, "EXISTS"))
		ddl_next(l, t);
}

/*
 * A table name at t: [db.]name, into the callback's terms; t is left on
 * the token after it. 1 for a name, 0 for none.
 */
struct ddl_name {
	char	 db[DDL_IDENT_MAX + 1];
	size_t	 dblen;
	int	 hasdb;
	char	 name[DDL_IDENT_MAX + 1];
	size_t	 namelen;
	int	 toolong;
};

static int
ddl_ident(const struct ddl_tok *t)
{
	return t->type == DDL_T_WORD || t->type == DDL_T_QUOTED;
}

static int
ddl_tname(struct ddl_lex *l, struct ddl_tok *t, struct ddl_name *n)
{
	memset(n, 0, sizeof *n);
	if (!ddl_ident(t))
		return 0;
	memcpy(n->name, t->s, t->len);
	n->namelen = t->len;
	n->toolong = t->toolong;
	ddl_next(l, t);
	if (!ddl_punct(t, '.'))
		return 1;
	ddl_next(l, t);
	if (!ddl_ident(t))
		return 0;
	memcpy(n->db, n->name, n->namelen);
	n->dblen = n->namelen;
	n->hasdb = 1;
	memcpy(n->name, t->s, t->len);
	n->namelen = t->len;
	n->toolong |= t->toolong;
	ddl_next(l, t);
	return 1;
}

struct ddl_ctx {
	const char	*defdb;
	size_t		 defdblen;
	ddl_cb		 cb;
	void		*arg;
};

/* Hand a name to the callback; an unqualified one without a default: none. */
static int
ddl_emit(const struct ddl_ctx *c, enum ddl_stmt kind, const struct ddl_name *n)
{
	/* `` names nothing: no table or database has an empty name. */
	if (n->toolong || n->namelen == 0 || (n->hasdb && n->dblen == 0))
		return 0;
	if (n->hasdb)
		return c->cb(c->arg, kind, n->db, n->dblen, n->name,
		    n->namelen);
	if (c->defdb == NULL || c->defdblen == 0)
		return 0;
	return c->cb(c->arg, kind, c->defdb, c->defdblen, n->name,
	    n->namelen);
}

/* A list of names separated by commas: DROP TABLE, TRUNCATE. */
static int
ddl_list(const struct ddl_ctx *c, struct ddl_lex *l, struct ddl_tok *t,
    enum ddl_stmt kind)
{
	struct ddl_name	 n;

	for (;;) {
		if (!ddl_tname(l, t, &n))
			return 0;
		if (ddl_emit(c, kind, &n) == -1)
			return -1;
		if (!ddl_punct(t, ','))
			return 0;
		ddl_next(l, t);
	}
}

/* RENAME TABLE a [WAIT n | NOWAIT] TO b, ...: both names of each pair. */
static int
ddl_rename(const struct ddl_ctx *c, struct ddl_lex *l, struct ddl_tok *t)
{
	struct ddl_name	 n;

	for (;;) {
		if (!ddl_tname(l, t, &n))
			return 0;
		if (ddl_emit(c, DDL_RENAME, &n) == -1)
			return -1;
		if (ddl_kw(t, "WAIT")) {
			ddl_next(l, t);
			ddl_next(l, t);
		} else if (ddl_kw(t, "NOWAIT"))
			ddl_next(l, t);
		if (!ddl_kw(t, "TO"))
			return 0;
		ddl_next(l, t);
		if (!ddl_tname(l, t, &n))
			return 0;
		if (ddl_emit(c, DDL_RENAME, &n) == -1)
			return -1;
		if (!ddl_punct(t, ','))
			return 0;
		ddl_next(l, t);
	}
}

/*
 * ALTER TABLE n ...: its clauses say more than "alter". TRUNCATE or DROP
 * PARTITION empties part of n (truncate); RENAME [TO | AS] m moves n
 * onto m (rename, both); EXCHANGE PARTITION p WITH TABLE m swaps the
 * rows of n's partition and of m (exchange, both). Parentheses (partition
 * definitions) are skipped.
 */
static int
ddl_alter(const struct ddl_ctx *c, struct ddl_lex *l, struct ddl_tok *t,
    const struct ddl_name *table, int ignore)
{
	enum ddl_stmt	 kind = DDL_ALTER;
	struct ddl_name	 m;
	size_t		 depth = 0;

	while (t->type != DDL_T_END) {
		if (ddl_punct(t, '(')) {
			depth++;
			ddl_next(l, t);
			continue;
		}
		if (ddl_punct(t, ')')) {
			if (depth > 0)
				depth--;
			ddl_next(l, t);
			continue;
		}
		if (depth > 0 || t->type != DDL_T_WORD) {
			ddl_next(l, t);
			continue;
		}
		if (ddl_kw(t, "TRUNCATE") || ddl_kw(t, "DROP")) {
			ddl_next(l, t);
			if (ddl_kw(t, "PARTITION") && kind == DDL_ALTER)
				kind = DDL_PARTIAL;
			continue;
		}
		/*
		 * CONVERT PARTITION p TO TABLE m moves rows out (some rows
		 * removed); CONVERT TABLE m TO PARTITION p brings m's in
		 * (an exchange, both).
		 */
		if (ddl_kw(t, "CONVERT")) {
			ddl_next(l, t);
			if (ddl_kw(t, "PARTITION") && kind == DDL_ALTER)
				kind = DDL_PARTIAL;
			else if (ddl_kw(t, "TABLE")) {
				ddl_next(l, t);
				if (ddl_tname(l, t, &m) &&
				    ddl_emit(c, DDL_EXCHANGE, &m) == -1)
					return -1;
				kind = DDL_EXCHANGE;
			}
			continue;
		}
		if (ddl_kw(t, "RENAME")) {
			ddl_next(l, t);
			if (ddl_kw(t, "COLUMN") || ddl_kw(t, "INDEX") ||
			    ddl_kw(t, "KEY") || ddl_kw(t, "CONSTRAINT"))
				continue;
			if (ddl_kw(t, "TO") || ddl_kw(t, "AS"))
				ddl_next(l, t);
			else if (ddl_punct(t, '='))
				ddl_next(l, t);
			if (ddl_tname(l, t, &m) &&
			    ddl_emit(c, DDL_RENAME, &m) == -1)
				return -1;
			if (kind != DDL_EXCHANGE)
				kind = DDL_RENAME;
			continue;
		}
		if (ddl_kw(t, "EXCHANGE")) {
			ddl_next(l, t);
			if (!ddl_kw(t, "PARTITION"))
				continue;
			/* The partition's name, then WITH TABLE m. */
			ddl_next(l, t);
			ddl_next(l, t);
			if (!ddl_kw(t, "WITH"))
				continue;
			ddl_next(l, t);
			if (ddl_kw(t, "TABLE"))
				ddl_next(l, t);
			if (ddl_tname(l, t, &m) &&
			    ddl_emit(c, DDL_EXCHANGE, &m) == -1)
				return -1;
			kind = DDL_EXCHANGE;
			continue;
		}
		ddl_next(l, t);
	}
	/* ALTER IGNORE drops the rows a key or a CHECK refuses. */
	if (ignore && kind == DDL_ALTER)
		kind = DDL_PARTIAL;
	return ddl_emit(c, kind, table);
}

/* The first word is one of the list's. */
static int
ddl_oneof(const struct ddl_tok *t, const char *const *kws)
{
	for (; *kws != NULL; kws++)
		if (ddl_kw(t, *kws))
			return 1;
	return 0;
}

/* Digits only: a number, never an unquoted name. */
static int
ddl_number(const struct ddl_tok *t)
{
	size_t	 i;

	for (i = 0; i < t->len; i++)
		if (t->s[i] < '0' || t->s[i] > '9')
			return 0;
	return t->len > 0;
}

/*
 * Every identifier of a statement that may write rows, as a table name:
 * db.name, or name in the default database (a.b.c is a column of db a's
 * table b). Strings and comments are no names, nor @variables.
 */
static int
ddl_idents(const struct ddl_ctx *c, const char *stmt, size_t len)
{
	static const char *const reserved[] = { "SELECT", "INSERT", "UPDATE",
	    "DELETE", "REPLACE", "INTO", "FROM", "WHERE", "SET", "VALUES",
	    "AND", "OR", "NOT", "NULL", "IN", "IS", "JOIN", "ON", "USING",
	    "AS", "LEFT", "RIGHT", "INNER", "OUTER", "CROSS", "LIMIT",
	    "ORDER", "BY", "GROUP", "HAVING", "UNION", "ALL", "DISTINCT",
	    "LOW_PRIORITY", "HIGH_PRIORITY", "DELAYED", "IGNORE", "CALL",
	    "LOAD", "INFILE", "TABLE", "WITH", "FOR", "LIKE", "BETWEEN",
	    "CASE", "WHEN", "THEN", "ELSE", "EXISTS", "INTERVAL", "DIV", "MOD",
	    "XOR", "DEFAULT", "REGEXP", "KEY", "STRAIGHT_JOIN", "ASC", "DESC",
	    "TRUE", "FALSE", NULL };
	struct ddl_lex	 l;
	struct ddl_tok	 t;
	struct ddl_name	 n;
	int		 var;

	l.p = stmt;
	l.end = stmt + len;
	l.inexec = 0;
	ddl_next(&l, &t);
	while (t.type != DDL_T_END) {
		var = 0;
		while (ddl_punct(&t, '@')) {
			var = 1;
			ddl_next(&l, &t);
		}
		if (!ddl_ident(&t)) {
			if (!var)
				ddl_next(&l, &t);
			continue;
		}
		/* A reserved word or a number unquoted is no table's name. */
		if (t.type == DDL_T_WORD && (ddl_oneof(&t, reserved) ||
		    ddl_number(&t))) {
			ddl_next(&l, &t);
			continue;
		}
		if (!ddl_tname(&l, &t, &n))
			continue;
		if (ddl_punct(&t, '.')) {
			/* db.table.column */
			ddl_next(&l, &t);
			if (ddl_ident(&t))
				ddl_next(&l, &t);
		}
		if (!var && ddl_emit(c, DDL_DML, &n) == -1)
			return -1;
	}
	return 0;
}

/* The target of INSERT, REPLACE, UPDATE, DELETE, LOAD: 1 when read. */
static int
ddl_target(const struct ddl_ctx *c, const char *stmt, size_t len)
{
	static const char *const ins_opt[] = { "LOW_PRIORITY", "DELAYED",
	    "HIGH_PRIORITY", "IGNORE", "INTO", NULL };
	static const char *const upd_opt[] = { "LOW_PRIORITY", "IGNORE",
	    NULL };
	static const char *const del_opt[] = { "LOW_PRIORITY", "QUICK",
	    "IGNORE", "FROM", NULL };
	static const char *const load_opt[] = { "LOW_PRIORITY", "CONCURRENT",
	    "LOCAL", "INFILE", NULL };
	static const char *const load_opt2[] = { "REPLACE", "IGNORE", "INTO",
	    "TABLE", NULL };
	struct ddl_lex	 l;
	struct ddl_tok	 t;
	struct ddl_name	 n;
	int		 del = 0;

	l.p = stmt;
	l.end = stmt + len;
	l.inexec = 0;
	ddl_next(&l, &t);
	if (ddl_kw(&t, "INSERT") || ddl_kw(&t, "REPLACE")) {
		ddl_next(&l, &t);
		ddl_opt(&l, &t, ins_opt);
	} else if (ddl_kw(&t, "UPDATE")) {
		ddl_next(&l, &t);
		ddl_opt(&l, &t, upd_opt);
	} else if (ddl_kw(&t, "DELETE")) {
		del = 1;
		ddl_next(&l, &t);
		ddl_opt(&l, &t, del_opt);
	} else if (ddl_kw(&t, "LOAD")) {
		ddl_next(&l, &t);
		if (!ddl_kw(&t, "DATA") && !ddl_kw(&t, "XML"))
			return 0;
		ddl_next(&l, &t);
		ddl_opt(&l, &t, load_opt);
		if (t.type != DDL_T_STRING)
			return 0;
		ddl_next(&l, &t);
		ddl_opt(&l, &t, load_opt2);
	} else
		return 0;
	if (!ddl_tname(&l, &t, &n))
		return 0;
	/* DELETE a, b FROM ...: the tables, maybe aliased, follow. */
	if (del && (ddl_punct(&t, ',') || ddl_kw(&t, "FROM")))
		return 1;
	/* A name the callback can be given: qualified, or a default. */
	if (n.toolong || n.namelen == 0 || (n.hasdb && n.dblen == 0))
		return 0;
	return n.hasdb || (c->defdb != NULL && c->defdblen > 0);
}

/*
 * A statement other than the five: nothing for transaction control and
 * administration; the identifiers of anything else, and the default
 * database (or every database) when its target cannot be read.
 */
static int
ddl_dml(const struct ddl_ctx *c, const char *stmt, size_t len,
    const struct ddl_tok *first, struct ddl_lex *l)
{
	struct ddl_tok	 t;

	static const char *const none[] = { "BEGIN", "COMMIT", "ROLLBACK",
	    "XA", "SAVEPOINT", "RELEASE", "START", "GRANT", "REVOKE", "FLUSH",
	    "ANALYZE", "OPTIMIZE", "REPAIR", "CHECK", "CHECKSUM", "INSTALL",
	    "UNINSTALL", "PURGE", "RESET", "SHOW", "USE", "TRUNCATE", "DROP",
	    "RENAME", "ALTER", "CREATE", NULL };
	static const char *const target[] = { "INSERT", "REPLACE", "UPDATE",
	    "DELETE", "LOAD", NULL };

	if (first->type == DDL_T_END || ddl_oneof(first, none))
		return 0;
	/*
	 * SET var = ... writes no row, but SET STATEMENT without FOR (not
	 * SQL) may: read as any (a stored function's call from SET is
	 * logged as SELECT f()).
	 */
	if (ddl_kw(first, "SET")) {
		ddl_next(l, &t);
		if (!ddl_kw(&t, "STATEMENT"))
			return 0;
	}
	if (ddl_idents(c, stmt, len) == -1)
		return -1;
	if (ddl_oneof(first, target) && ddl_target(c, stmt, len))
		return 0;
	if (c->defdb != NULL && c->defdblen > 0)
		return c->cb(c->arg, DDL_DML, c->defdb, c->defdblen, NULL, 0);
	return c->cb(c->arg, DDL_DML, NULL, 0, NULL, 0);
}

/*
 * SET STATEMENT var = value, ... FOR stmt: where stmt starts, or NULL
 * when the statement is not one (or has no FOR).
 */
static const char *
ddl_setstmt(const char *stmt, size_t len)
{
	struct ddl_lex	 l;
	struct ddl_tok	 t;
	size_t		 depth = 0;

	l.p = stmt;
	l.end = stmt + len;
	l.inexec = 0;
	ddl_next(&l, &t);
	if (!ddl_kw(&t, "SET"))
		return NULL;
	ddl_next(&l, &t);
	if (!ddl_kw(&t, "STATEMENT"))
		return NULL;
	for (ddl_next(&l, &t); t.type != DDL_T_END; ddl_next(&l, &t)) {
		if (ddl_punct(&t, '('))
			depth++;
		else if (ddl_punct(&t, ')') && depth > 0)
			depth--;
		else if (depth == 0 && ddl_kw(&t, "FOR"))
			return l.p;
	}
	return NULL;
}

/* The name of a kind, as stmt= says it. */
const char *
ddl_name(enum ddl_stmt kind)
{
	switch (kind) {
	case DDL_TRUNCATE:
		return "truncate";
	case DDL_DROP:
		return "drop";
	case DDL_RENAME:
		return "rename";
	case DDL_ALTER:
		return "alter";
	case DDL_CREATE:
		return "create";
	case DDL_EXCHANGE:
		return "exchange";
	case DDL_PARTIAL:
		return "truncate";
	case DDL_DML:
		return "dml";
	}
	return "unknown";
}

/* Call cb for each table the statement truncates, drops, renames, ... */
int
ddl_parse(const char *stmt, size_t len, const char *defdb, size_t defdblen,
    ddl_cb cb, void *arg)
{
	static const char *const alter_opt[] = { "ONLINE", "IGNORE", NULL };
	static const char *const create_opt[] = { "OR", "REPLACE", NULL };
	struct ddl_ctx	 c;
	struct ddl_lex	 l;
	struct ddl_tok	 t;
	struct ddl_name	 n;
	const char	*p;
	int		 ignore;

	if (stmt == NULL)
		return 0;
	/* SET STATEMENT ... FOR stmt is stmt (a loop: nested ones too). */
	while ((p = ddl_setstmt(stmt, len)) != NULL) {
		len -= (size_t)(p - stmt);
		stmt = p;
	}
	/* A default longer than any name is no watched table's: none. */
	c.defdb = defdblen <= DDL_IDENT_MAX ? defdb : NULL;
	c.defdblen = c.defdb != NULL ? defdblen : 0;
	c.cb = cb;
	c.arg = arg;
	l.p = stmt;
	l.end = stmt + len;
	l.inexec = 0;
	ddl_next(&l, &t);
	if (ddl_kw(&t, "TRUNCATE")) {
		ddl_next(&l, &t);
		if (ddl_kw(&t, "TABLE"))
			ddl_next(&l, &t);
		if (!ddl_tname(&l, &t, &n))
			return 0;
		return ddl_emit(&c, DDL_TRUNCATE, &n);
	}
	if (ddl_kw(&t, "DROP")) {
		ddl_next(&l, &t);
		/* A temporary table is not the watched one it may shadow. */
		if (ddl_kw(&t, "TEMPORARY"))
			return 0;
		if (ddl_kw(&t, "DATABASE") || ddl_kw(&t, "SCHEMA")) {
			ddl_next(&l, &t);
			ddl_if(&l, &t);
			if (!ddl_ident(&t) || t.toolong || t.len == 0)
				return 0;
			return cb(arg, DDL_DROP, t.s, t.len, NULL, 0);
		}
		if (!ddl_kw(&t, "TABLE") && !ddl_kw(&t, "TABLES"))
			return 0;
		ddl_next(&l, &t);
		ddl_if(&l, &t);
		return ddl_list(&c, &l, &t, DDL_DROP);
	}
	if (ddl_kw(&t, "RENAME")) {
		ddl_next(&l, &t);
		if (!ddl_kw(&t, "TABLE") && !ddl_kw(&t, "TABLES"))
			return 0;
		ddl_next(&l, &t);
		ddl_if(&l, &t);
		return ddl_rename(&c, &l, &t);
	}
	if (ddl_kw(&t, "ALTER")) {
		ddl_next(&l, &t);
		/* ALTER IGNORE drops the rows a new unique key refuses. */
		ignore = 0;
		while (ddl_oneof(&t, alter_opt)) {
			if (ddl_kw(&t, "IGNORE"))
				ignore = 1;
			ddl_next(&l, &t);
		}
		if (!ddl_kw(&t, "TABLE"))
			return 0;
		ddl_next(&l, &t);
		ddl_if(&l, &t);
		if (!ddl_tname(&l, &t, &n))
			return 0;
		return ddl_alter(&c, &l, &t, &n, ignore);
	}
	if (ddl_kw(&t, "CREATE")) {
		ddl_next(&l, &t);
		ddl_opt(&l, &t, create_opt);
		if (ddl_kw(&t, "TEMPORARY"))
			return 0;
		if (!ddl_kw(&t, "TABLE"))
			return 0;
		ddl_next(&l, &t);
		ddl_if(&l, &t);
		if (!ddl_tname(&l, &t, &n))
			return 0;
		return ddl_emit(&c, DDL_CREATE, &n);
	}
	return ddl_dml(&c, stmt, len, &t, &l);
}

/*
 * A name in a statement's text is the configured one also in another
 * ASCII case: with lower_case_table_names (or a case-insensitive file
 * system) the server takes ACME.USERS for acme.users. Where it does not,
 * the fold may name a watched table for another one: an alert too many,
 * never one missed.
 */
int
ddl_samename(const char *conf, const char *s, size_t len)
{
	size_t		 i;
	unsigned char	 a, b;

	if (strlen(conf) != len)
		return 0;
	for (i = 0; i < len; i++) {
		a = (unsigned char)conf[i];
		b = (unsigned char)s[i];
		if (a >= 'A' && a <= 'Z')
			a = (unsigned char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (unsigned char)(b - 'A' + 'a');
		if (a != b)
			return 0;
	}
	return 1;
}

/* The keyword w (any ASCII case) at *p after blanks: 1 and past it. */
static int
ddl_spword(const char **p, const char *end, const char *w)
{
	const char	*q = *p;
	size_t		 n = strlen(w);

	while (q < end && ddl_space((unsigned char)*q))
		q++;
	if ((size_t)(end - q) < n || !ddl_samename(w, q, n) ||
	    ((size_t)(end - q) > n && ddl_wordc((unsigned char)q[n])))
		return 0;
	*p = q + n;
	return 1;
}

/*
 * A savepoint's name, lowered (ASCII), quoted with backquotes or double
 * quotes (ANSI_QUOTES) or bare, then only blanks and semicolons to the
 * end: 0; 1 for a name with bytes outside ASCII; -1 for none, one too
 * long or anything after it.
 */
static int
ddl_spname(const char *p, const char *end, char *name)
{
	size_t		 n = 0;
	int		 q = 0, wide = 0;
	unsigned char	 c;

	while (p < end && ddl_space((unsigned char)*p))
		p++;
	if (p < end && (*p == '`' || *p == '"'))
		q = *p++;
	for (; p < end; p++) {
		c = (unsigned char)*p;
		if (q != 0 && c == q) {
			if (p + 1 < end && p[1] == q)
				p++;
			else {
				p++;
				q = -1;
				break;
			}
		} else if (q == 0 && !ddl_wordc(c))
			break;
		if (c >= 0x80)
			wide = 1;
		if (n == DDL_SP_NAME_MAX)
			return -1;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		name[n++] = (char)c;
	}
	name[n] = '\0';
	if (n == 0 || q > 0)
		return -1;
	while (p < end && (ddl_space((unsigned char)*p) || *p == ';'))
		p++;
	return p != end ? -1 : wide;
}

void
ddl_sp_clear(struct ddl_savepoints *s)
{
	s->n = 0;
	s->pending = 0;
	s->lost = 0;
}

/* Forget the savepoints from index i on. */
static void
ddl_sp_cut(struct ddl_savepoints *s, size_t i)
{
	for (; s->n > i; s->n--) {
		if (s->sp[s->n - 1].mark == DDL_SP_PENDING)
			s->pending--;
	}
}

enum ddl_sp
ddl_sp_stmt(struct ddl_savepoints *s, const char *stmt, size_t len,
    int64_t mark, int64_t *rollto, int64_t *firstp)
{
	const char	*p = stmt, *end = stmt + len;
	char		 name[DDL_SP_NAME_MAX + 1];
	size_t		 i;
	int64_t		 first;
	int		 kind;

	if (stmt == NULL)
		return DDL_SP_OTHER;
	if (ddl_spword(&p, end, "SAVEPOINT"))
		kind = 0;
	else if (ddl_spword(&p, end, "ROLLBACK")) {
		ddl_spword(&p, end, "WORK");
		if (!ddl_spword(&p, end, "TO"))
			return DDL_SP_OTHER;
		ddl_spword(&p, end, "SAVEPOINT");
		kind = 1;
	} else if (ddl_spword(&p, end, "RELEASE")) {
		if (!ddl_spword(&p, end, "SAVEPOINT"))
			return DDL_SP_OTHER;
		kind = 2;
	} else
		return DDL_SP_OTHER;
	/*
	 * A name not kept may be a kept one's to the server: no rollback
	 * of the group can be followed from here on.
	 */
	if (ddl_spname(p, end, name) != 0)
		s->lost = 1;
	if (s->lost)
		return kind == 1 ? DDL_SP_UNKNOWN : DDL_SP_DONE;
	for (i = s->n; i > 0; i--) {
		if (strcmp(s->sp[i - 1].name, name) == 0)
			break;
	}
	switch (kind) {
	case 0:
		/* Set again, a savepoint moves; its first mark stays. */
		first = mark;
		if (i > 0) {
			first = s->sp[i - 1].first;
			if (s->sp[i - 1].mark == DDL_SP_PENDING)
				s->pending--;
			memmove(&s->sp[i - 1], &s->sp[i],
			    (s->n - i) * sizeof s->sp[0]);
			s->n--;
		}
		/* Full (RELEASE is not logged): the oldest is forgotten. */
		if (s->n == DDL_SP_MAX) {
			if (s->sp[0].mark == DDL_SP_PENDING)
				s->pending--;
			memmove(&s->sp[0], &s->sp[1],
			    (s->n - 1) * sizeof s->sp[0]);
			s->n--;
		}
		memcpy(s->sp[s->n].name, name, sizeof name);
		s->sp[s->n].first = first;
		s->sp[s->n++].mark = mark;
		if (mark == DDL_SP_PENDING)
			s->pending++;
		return DDL_SP_DONE;
	case 1:
		if (i == 0)
			return DDL_SP_UNKNOWN;
		/* It stays; those after it go. */
		ddl_sp_cut(s, i);
		*rollto = s->sp[i - 1].mark;
		if (firstp != NULL)
			*firstp = s->sp[i - 1].first;
		/* Rows between its first mark and its last (pending: none). */
		return s->sp[i - 1].first == s->sp[i - 1].mark ||
		    s->sp[i - 1].first == DDL_SP_PENDING ? DDL_SP_ROLLBACK :
		    DDL_SP_UNSURE;
	default:
		/* It and those after it go. */
		if (i > 0)
			ddl_sp_cut(s, i - 1);
		return DDL_SP_DONE;
	}
}

/*
 * The marks not known when their savepoints were set are mark (a first
 * mark pending has a last one pending too).
 */
void
ddl_sp_fill(struct ddl_savepoints *s, int64_t mark)
{
	size_t	 i;

	for (i = 0; i < s->n && s->pending > 0; i++) {
		if (s->sp[i].mark == DDL_SP_PENDING) {
			s->sp[i].mark = mark;
			if (s->sp[i].first == DDL_SP_PENDING)
				s->sp[i].first = mark;
			s->pending--;
		}
	}
}

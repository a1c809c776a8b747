/* The tables a statement of the binary log truncates, drops, renames, ... */
#ifndef DDL_H
#define DDL_H

#include <stddef.h>
#include <stdint.h>

/*
 * ddl_parse is pure: it reads a statement as the binary log holds it (any
 * bytes, hostile, not NUL-terminated), never allocates and never fails on
 * what it cannot read, which names no table. For each table the
 * statement names it calls the callback with the statement's kind, the
 * database (the default database given when the name has none) and the
 * name, raw bytes (unquoted: `a``b` is a`b) borrowed for the call; name
 * NULL is the whole database (DROP DATABASE). It returns 0, or -1 when a
 * callback did (its cause is the caller's).
 *
 * A statement that may write rows (DDL_DML: anything but the five DDL
 * statements, transaction control, a few administrative statements and
 * other CREATE/ALTER/DROP/RENAME forms) is logged as text, so the rows
 * it changed are not in the log. For it the callback gets every
 * identifier of the statement that could name a table (db.name, or the
 * default database and name; strings, comments and @variables skipped),
 * the same table maybe more than once, and, when its target cannot be
 * read from the text (CALL, SELECT f(), DO, an unreadable INSERT...), the
 * default database with name NULL, or db NULL and name NULL without a
 * default database: every table may have changed.
 */
enum ddl_stmt {
	DDL_TRUNCATE,
	DDL_DROP,
	DDL_RENAME,
	DDL_ALTER,
	DDL_CREATE,
	DDL_EXCHANGE,		/* ALTER ... EXCHANGE PARTITION: rows swapped */
	DDL_PARTIAL,		/* some rows removed: TRUNCATE or DROP
				   PARTITION, CONVERT PARTITION TO TABLE,
				   ALTER IGNORE; named "truncate" */
	DDL_DML,		/* rows written by a statement logged as text */
};

#define DDL_IDENT_MAX	256	/* longer names are no watched table's */

typedef int (*ddl_cb)(void *, enum ddl_stmt, const char *, size_t,
    const char *, size_t);

int		 ddl_parse(const char *, size_t, const char *, size_t, ddl_cb,
		    void *);
const char	*ddl_name(enum ddl_stmt);
/* 1 when the name len bytes at s is conf in any ASCII case. */
int		 ddl_samename(const char *, const char *, size_t);

/*
 * A group's savepoints as its statements set them: SAVEPOINT name,
 * ROLLBACK [WORK] TO [SAVEPOINT] name, RELEASE SAVEPOINT name (which
 * MariaDB does not log), each with the caller's mark (where the group's
 * rows stood when it was set: a count, a sequence number; DDL_SP_PENDING
 * for one not known yet, given later with ddl_sp_fill). Names are
 * compared in any ASCII case. The server compares them without accents
 * too (e is é, s is ß): a name outside ASCII (or longer than
 * DDL_SP_NAME_MAX) may be another one's, so once a statement names one,
 * no later rollback of the group is followed. At most DDL_SP_MAX are
 * kept, the oldest forgotten first. A name set again moves to its new
 * mark, but a trigger or a stored function has savepoints of its own,
 * logged like the others, which leave the outer one of the same name
 * where it was: the first mark is kept too. ddl_sp_stmt returns
 * DDL_SP_OTHER for any other statement; DDL_SP_DONE when one was set or
 * released; DDL_SP_ROLLBACK with *mark the savepoint's (the rows after it
 * are rolled back, the savepoint stays); DDL_SP_UNSURE the same for a
 * name set more than once with rows between its first mark and its
 * last, the first in *first (when not NULL): those may have been rolled
 * back too; DDL_SP_UNKNOWN for a rollback that is not followed (a
 * savepoint forgotten or never seen, a name outside ASCII named in the
 * group): which rows stand is not known.
 */
#define DDL_SP_MAX		32
#define DDL_SP_NAME_MAX		64
#define DDL_SP_PENDING		INT64_C(-1)
enum ddl_sp {
	DDL_SP_OTHER,
	DDL_SP_DONE,
	DDL_SP_ROLLBACK,
	DDL_SP_UNSURE,
	DDL_SP_UNKNOWN,
};
struct ddl_savepoints {
	struct {
		char	 name[DDL_SP_NAME_MAX + 1];
		int64_t	 mark;		/* as last set */
		int64_t	 first;		/* as first set */
	}		 sp[DDL_SP_MAX];
	size_t		 n;
	size_t		 pending;	/* marks DDL_SP_PENDING */
	int		 lost;		/* a name not kept was named */
};
void		 ddl_sp_clear(struct ddl_savepoints *);
enum ddl_sp	 ddl_sp_stmt(struct ddl_savepoints *, const char *, size_t,
		    int64_t, int64_t *, int64_t *);
void		 ddl_sp_fill(struct ddl_savepoints *, int64_t);

#endif

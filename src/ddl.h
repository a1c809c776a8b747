/* The tables a statement of the binary log truncates, drops, renames, ... */
#ifndef DDL_H
#define DDL_H

#include <stddef.h>

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

#endif

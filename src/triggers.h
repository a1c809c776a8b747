/* Trigger SQL for watched tables, and the token file that guards it. */
#ifndef TRIGGERS_H
#define TRIGGERS_H

#include "buf.h"
#include "schema.h"
#include "token.h"

/*
 * triggers_preamble, triggers_secret and triggers_sql are pure: they hand
 * each statement (without a terminating ';') or comment line to a
 * callback, which prints it or runs it; the text is borrowed for the call.
 * The token functions read and write the token file; a token is
 * TRIGGERS_TOKEN_LEN lowercase hex characters, which the caller wipes
 * (util_wipe) after use, together with any SQL holding it.
 */
#define TRIGGERS_TOKEN_LEN	TOKEN_LEN
#define TRIGGERS_NAME_MAX	64	/* bytes of a trigger name */

/* The table the triggers read the token from, with the definer's rights. */
#define TRIGGERS_SECRET_DB	"dbsyscheck"
#define TRIGGERS_SECRET_TABLE	"trigger_token"

/* Flags for triggers_sql. */
#define TRIGGERS_UNINSTALL	0x1	/* only DROP TRIGGER statements */
#define TRIGGERS_PRINT		0x2	/* for a client program: refuse names
					   it could misread (see .c) */

/* What the callback gets. */
#define TRIGGERS_STMT		0	/* a statement */
#define TRIGGERS_COMMENT	1	/* a comment line, for print only */
#define TRIGGERS_SECRET		2	/* a statement holding the token */

typedef int (*triggers_cb)(void *, int, const char *, size_t, char **);

int	 triggers_preamble(triggers_cb, void *, char **);
int	 triggers_secret(const char *, triggers_cb, void *, char **);
int	 triggers_sql(const struct schema *, int, triggers_cb, void *,
	    char **);
int	 triggers_printable(const char *, size_t);
int	 triggers_name(const char *, const char *, const char *,
	    char[TRIGGERS_NAME_MAX + 1]);
int	 triggers_token_load(const char *, char[TRIGGERS_TOKEN_LEN + 1],
	    char **);
int	 triggers_token_write(const char *, char **);

#endif

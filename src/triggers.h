/* Trigger SQL for watched tables, and the token file that guards it. */
#ifndef TRIGGERS_H
#define TRIGGERS_H

#include "buf.h"
#include "schema.h"

/*
 * triggers_preamble and triggers_sql are pure: they append SQL text to a
 * buffer the caller owns. The token functions read and write the token
 * file; a token is TRIGGERS_TOKEN_LEN lowercase hex characters, which the
 * caller wipes (util_wipe) after use, together with any SQL holding it.
 */
#define TRIGGERS_TOKEN_LEN	64
#define TRIGGERS_NAME_MAX	64	/* bytes of a trigger name */

/* Flags for triggers_sql. */
#define TRIGGERS_UNINSTALL	0x1	/* only DROP TRIGGER statements */

int	 triggers_preamble(struct buf *);
int	 triggers_sql(struct buf *, const struct schema *, const char *,
	    int);
int	 triggers_name(const char *, const char *, const char *,
	    char[TRIGGERS_NAME_MAX + 1]);
int	 triggers_token_load(const char *, char[TRIGGERS_TOKEN_LEN + 1],
	    char **);
int	 triggers_token_write(const char *, char **);

#endif

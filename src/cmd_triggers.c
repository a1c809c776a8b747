/* dbsyscheck token and triggers: the token file and the trigger SQL. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "conf.h"
#include "log.h"
#include "optfile.h"
#include "paths.h"
#include "schema.h"
#include "source_mysql.h"
#include "triggers.h"
#include "util.h"
#include "xmalloc.h"

static int	 triggers_print(void *, int, const char *, size_t, char **);
static int	 triggers_run(void *, int, const char *, size_t, char **);

/* token: create the trigger token file, or rotate it. */
int
cmd_token(struct conf *conf)
{
	char	*cause = NULL;
	int	 r;

	if ((r = triggers_token_write(conf->trigger_token, &cause)) == -1) {
		log_warnx("%s", cause);
		free(cause);
		return EXIT_ERROR;
	}
	/* Messages hold no ';' or '=': log_warnx() would encode them. */
	if (r == 0)
		log_warnx("%s: token created, let the server's account read it "
		    "(chgrp mysql)", conf->trigger_token);
	else
		log_warnx("%s: token rotated: restart the server (it reads the "
		    "token when it loads the UDF library), then store it with "
		    "dbsyscheck triggers --install --token-only",
		    conf->trigger_token);
	/* The library reads its compiled-in file unless told otherwise. */
	if (strcmp(conf->trigger_token, DBSC_UDF_TOKEN_FILE) != 0)
		log_warnx("%s: not the UDF's default token file %s, so set "
		    "DBSYSCHECK_UDF_TOKEN to this path in the server's "
		    "environment", conf->trigger_token, DBSC_UDF_TOKEN_FILE);
	return EXIT_NOCHANGE;
}

/* Print mode: each statement with its ';', comments on lines of their own. */
static int
triggers_print(void *arg, int kind, const char *text, size_t len,
    char **cause)
{
	struct buf	*b = arg;

	if ((kind == TRIGGERS_COMMENT && b->len > 0 &&
	    buf_addc(b, '\n') == -1) || buf_add(b, text, len) == -1 ||
	    buf_adds(b, kind == TRIGGERS_COMMENT ? "\n" : ";\n") == -1) {
		*cause = xstrdup("cannot build the trigger SQL");
		return -1;
	}
	return 0;
}

/* Install mode: each statement run by itself; comments dropped. */
static int
triggers_run(void *arg, int kind, const char *text, size_t len,
    char **cause)
{
	struct source	*src = arg;

	if (kind == TRIGGERS_COMMENT)
		return 0;
	if (source_exec(src, text, len, kind == TRIGGERS_SECRET,
	    cause) == -1) {
		if (kind == TRIGGERS_SECRET) {
			char	*c = *cause;

			*cause = xasprintf("storing the token in %s.%s: %s",
			    TRIGGERS_SECRET_DB, TRIGGERS_SECRET_TABLE, c);
			free(c);
		}
		return -1;
	}
	return 0;
}

/*
 * triggers: the SQL installing (or with --uninstall dropping) the triggers
 * of the watched tables, and storing the token where they read it.
 * Printed for a client program, or with --install run statement by
 * statement on a connection made with an administrator's option file;
 * nothing at all is printed or run unless every table is described.
 * Printing the drops needs neither the token nor the server.
 */
int
cmd_triggers(struct conf *conf, const struct cmd_triggers_opts *o,
    int argc, char **argv)
{
	const struct conf_table	**tables = NULL;
	struct source		 *src = NULL;
	struct schema		**schemas = NULL;
	struct buf		  sql;
	char			  token[TRIGGERS_TOKEN_LEN + 1];
	char			 *cause = NULL;
	const char		 *admin = NULL;
	triggers_cb		  cb = triggers_print;
	void			 *arg = &sql;
	size_t			  ntables = 0, i;
	int			  r, flags = 0, rc = EXIT_ERROR;

	memset(token, 0, sizeof token);
	buf_init(&sql, BUF_NOCAP);
	if (o->uninstall)
		flags |= TRIGGERS_UNINSTALL;
	if (!o->install)
		flags |= TRIGGERS_PRINT;
	if (o->token_only && argc > 0) {
		cause = xstrdup("--token-only takes no table names");
		goto out;
	}
	if (!o->token_only && conf_select(conf, argc, argv, &tables,
	    &ntables, &cause) == -1)
		goto out;
	if (!o->uninstall && triggers_token_load(conf->trigger_token, token,
	    &cause) == -1)
		goto out;
	if (o->install) {
		admin = o->admin_file != NULL ? o->admin_file :
		    conf->trigger_admin_file;
		if (admin == NULL) {
			cause = xstrdup("--install needs an administrator's "
			    "option file: --admin-file FILE, or "
			    "trigger-admin-file in the configuration");
			goto out;
		}
		if (optfile_check(admin, &cause) == -1 ||
		    (src = source_open(admin, "client", &cause)) == NULL)
			goto out;
		cb = triggers_run;
		arg = src;
	} else if (!o->uninstall && !o->token_only) {
		if ((conf->defaults_file != NULL &&
		    optfile_check(conf->defaults_file, &cause) == -1) ||
		    (src = source_open(conf->defaults_file, conf->group,
		    &cause)) == NULL)
			goto out;
	}
	/* Every table first: nothing is printed or run unless all work. */
	schemas = xcalloc(ntables + 1, sizeof *schemas);
	for (i = 0; i < ntables; i++) {
		if (src == NULL || o->uninstall) {
			schemas[i] = schema_create(tables[i]->db,
			    tables[i]->name);
			continue;
		}
		r = source_describe(src, tables[i]->db, tables[i]->name,
		    &schemas[i], &cause);
		if (r == 1)
			cause = xstrdup("no such table, or no privilege");
		if (r == 0 && schema_apply_conf(schemas[i], tables[i],
		    &cause) == -1)
			r = -1;
		if (r != 0) {
			log_warnx("%s.%s: %s", tables[i]->db,
			    tables[i]->name, cause);
			free(cause);
			cause = NULL;
			goto out;
		}
	}
	/* With --install the tables are described by the admin's account. */
	if (!o->install && src != NULL) {
		source_close(src);
		src = NULL;
	}
	if (!o->install) {
		/* Refuse what cannot be printed before printing anything. */
		for (i = 0; i < ntables; i++) {
			if (triggers_sql(schemas[i], flags, triggers_print,
			    &sql, &cause) == -1)
				goto out;
		}
		if (sql.data != NULL)
			util_wipe(sql.data, sql.len);
		buf_reset(&sql);
	}
	if (triggers_preamble(cb, arg, &cause) == -1 ||
	    (!o->uninstall && triggers_secret(token, cb, arg, &cause) == -1))
		goto out;
	for (i = 0; i < ntables; i++) {
		if (triggers_sql(schemas[i], flags, cb, arg, &cause) == -1)
			goto out;
	}
	if (o->install) {
		log_warnx("%s: %zu table%s: %s", admin, ntables,
		    ntables == 1 ? "" : "s", o->uninstall ?
		    "triggers dropped" : o->token_only ? "token stored" :
		    "token stored, triggers installed");
	} else if (fwrite(sql.data, 1, sql.len, stdout) != sql.len ||
	    fflush(stdout) != 0) {
		cause = xasprintf("standard output: %s", strerror(errno));
		goto out;
	}
	rc = EXIT_NOCHANGE;
out:
	if (cause != NULL)
		log_warnx("%s", cause);
	free(cause);
	if (sql.data != NULL)
		util_wipe(sql.data, sql.len);
	buf_free(&sql);
	util_wipe(token, sizeof token);
	source_close(src);
	if (schemas != NULL) {
		for (i = 0; i < ntables; i++)
			schema_free(schemas[i]);
		free(schemas);
	}
	free(tables);
	return rc;
}

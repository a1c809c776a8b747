/* The configuration file: paths, the MySQL option file and watched tables. */
#ifndef CONF_H
#define CONF_H

#include <stddef.h>

/*
 * conf_load and conf_parse return a struct conf that belongs to the caller
 * (conf_free); the list conf_select returns too (free), its tables are
 * the conf's. Identifiers are stored unquoted, as raw bytes without NUL.
 */
struct conf_table {
	char		 *db;
	char		 *name;
	char		**ignore;
	size_t		  nignore;
	char		**mask;
	size_t		  nmask;
	unsigned long	  chunk;
	unsigned long	  max_rows_per_second;	/* 0: the global one */
	int		  line;
};

struct conf {
	char			*path;
	char			*baseline;
	char			*key;
	char			*defaults_file;
	char			*group;
	char			*trigger_token;	/* docs/TRIGGERS.md */
	char			*trigger_admin_file; /* or NULL */
	unsigned long		 max_rows_per_second;	/* 0: no limit */
	unsigned long		 max_threads_running;	/* 0: no limit */
	unsigned long		 follow_server_id;	/* 0: not set */
	char			*audit_log;	/* server_audit's file, */
						/* or NULL: by=- */
	int			 reconcile;	/* CONF_RECONCILE_* */
	int			 reconcile_set;
	struct conf_table	*tables;
	size_t			 ntables;
	struct conf_index	*index;		/* private: finds tables */
};

/* reconcile: with the binary log (src/reconcile.c); AUTO is 0. */
#define CONF_RECONCILE_AUTO	0
#define CONF_RECONCILE_YES	1
#define CONF_RECONCILE_NO	2

#define CONF_IDENT_MAX	256	/* bytes of one identifier */

struct conf	*conf_load(const char *, char **);
struct conf	*conf_parse(const char *, const char *, size_t, char **);
void		 conf_free(struct conf *);
int		 conf_parse_table(const char *, size_t, char **, char **,
		    char **);
struct conf_table *conf_find_table(const struct conf *, const char *,
		    const char *);
int		 conf_table_has(char *const *, size_t, const char *);
int		 conf_select(const struct conf *, int, char **,
		    const struct conf_table ***, size_t *, char **);

#endif

/* The commands main.c dispatches that are not a run (run.h). */
#ifndef CMD_H
#define CMD_H

/*
 * The exit codes of every command: 0 nothing changed (or done), 1 changes
 * reported, 2 an error. Each command reports its own errors on standard
 * error (log.c) and returns one of these; the conf is borrowed.
 */
#define EXIT_NOCHANGE	0
#define EXIT_CHANGES	1
#define EXIT_ERROR	2

struct conf;
struct run_opts;

/* triggers' options. */
struct cmd_triggers_opts {
	int		 uninstall;	/* --uninstall */
	int		 install;	/* --install */
	int		 token_only;	/* --token-only */
	const char	*admin_file;	/* --admin-file */
};

int	 cmd_status(struct conf *, const struct run_opts *, int, char **);
int	 cmd_test(struct conf *);
int	 cmd_token(struct conf *);
int	 cmd_triggers(struct conf *, const struct cmd_triggers_opts *, int,
	    char **);

#endif

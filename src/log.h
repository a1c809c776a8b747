/* Messages for people, on standard error. */
#ifndef LOG_H
#define LOG_H

/*
 * The only way the scanner prints a message: every message is encoded
 * as a whole (src/log.c), so that no name or server text in it can end a
 * line or read as a record.
 */
void	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_progress(int, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif

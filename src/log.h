/* Messages for people, on standard error. */
#ifndef LOG_H
#define LOG_H

void	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif

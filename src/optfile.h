/* The MySQL option file and every file it includes, checked. */
#ifndef OPTFILE_H
#define OPTFILE_H

#define OPTFILE_DEPTH	16	/* nested includes refused past this */

int	 optfile_check(const char *, char **);

#endif

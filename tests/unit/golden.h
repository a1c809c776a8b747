/*
 * Golden files of tests/data/: the text a test built must equal the file
 * byte for byte. DBSC_UPDATE_GOLDEN=1 writes the file instead (a changed
 * golden file means a changed on-disk or record format: docs/FORMAT.md).
 */
#ifndef GOLDEN_H
#define GOLDEN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Compare got with tests/data/NAME; fail at the first line that differs. */
static void
golden_check(const char *name, const char *got, size_t len)
{
	const char	*top, *upd;
	char		 path[4096], *want = NULL;
	size_t		 wlen = 0, i, line = 1, start = 0;
	FILE		*f;
	long		 sz = 0;
	int		 n;

	if ((top = getenv("top_srcdir")) == NULL)
		top = ".";
	n = snprintf(path, sizeof path, "%s/tests/data/%s", top, name);
	if (n < 0 || (size_t)n >= sizeof path)
		fail_msg("golden path too long");
	upd = getenv("DBSC_UPDATE_GOLDEN");
	if (upd != NULL && strcmp(upd, "1") == 0) {
		if ((f = fopen(path, "w")) == NULL ||
		    fwrite(got, 1, len, f) != len || fclose(f) != 0)
			fail_msg("writing %s", path);
		return;
	}
	if ((f = fopen(path, "r")) == NULL)
		fail_msg("cannot open %s", path);
	if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		fail_msg("cannot size %s", path);
	wlen = (size_t)sz;
	want = malloc(wlen + 1);
	if (want == NULL || fread(want, 1, wlen, f) != wlen)
		fail_msg("cannot read %s", path);
	fclose(f);
	for (i = 0; i < len && i < wlen && got[i] == want[i]; i++) {
		if (got[i] == '\n') {
			line++;
			start = i + 1;
		}
	}
	if (i != len || i != wlen)
		fail_msg("%s: line %zu differs:\n got: %.*s\nwant: %.*s", path,
		    line, (int)strcspn(got + start, "\n"), got + start,
		    (int)strcspn(want + start, "\n"), want + start);
	free(want);
}

#endif

/* Test driver: a table's rows from a binary log file, or from the server. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "binrow.h"
#include "buf.h"
#include "schema.h"
#include "source_mysql.h"

/*
 * binrow_dump log DEFAULTS DB TABLE FILE...
 *	every row image of DB.TABLE in the binary log FILEs, one a line:
 *	"insert after", "update before", "update after" or "delete before",
 *	then per column a tab and the hex of binrow_text under the column's
 *	encoding, NULL, or ERR(cause).
 * binrow_dump table DEFAULTS DB TABLE
 *	the table's rows as the scanner reads them, per column the hex of
 *	the text, or NULL.
 * DEFAULTS is an option file of the [client] group (tests/integration/setup
 * dbsc_conf writes one); the columns' descriptions come from the server.
 * Exit 0, or 1 with a message.
 */

#define EV_FORMAT	15
#define EV_TABLE_MAP	19

static volatile sig_atomic_t	 stop;

static void
hex(const void *p, size_t n)
{
	const unsigned char	*u = p;
	size_t			 i;

	for (i = 0; i < n; i++)
		printf("%02x", u[i]);
}

static int
row_cb(void *arg, const char *const *vals, const unsigned long *lens)
{
	const struct schema	*s = arg;
	size_t			 i;

	printf("row");
	for (i = 0; i < s->ncols; i++) {
		putchar('\t');
		if (vals[i] == NULL)
			printf("NULL");
		else
			hex(vals[i], lens[i]);
	}
	putchar('\n');
	return 0;
}

static void
print_image(const char *tag, const struct binrow_map *map,
    const struct binrow_image *im, const struct schema *s)
{
	struct buf	 out;
	char		*cause = NULL;
	size_t		 i;

	buf_init(&out, BUF_NOCAP);
	printf("%s", tag);
	for (i = 0; i < s->ncols; i++) {
		putchar('\t');
		if (!im->present[i])
			printf("ABSENT");
		else if (im->null[i])
			printf("NULL");
		else if (binrow_text(map, im, i, &s->cols[i], s->cols[i].enc,
		    &out, &cause) == -1) {
			printf("ERR(%s)", cause != NULL ? cause : "?");
			free(cause);
			cause = NULL;
		} else
			hex(out.data, out.len);
	}
	putchar('\n');
	buf_free(&out);
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE		*f;
	unsigned char	*data = NULL, *nd;
	size_t		 n = 0, alloc = 0, r;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (n == alloc) {
			alloc = alloc == 0 ? 65536 : alloc * 2;
			if ((nd = realloc(data, alloc)) == NULL)
				goto fail;
			data = nd;
		}
		r = fread(data + n, 1, alloc - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	*len = n;
	return data;
fail:
	free(data);
	fclose(f);
	return NULL;
}

static int
dump_log(const char *path, const struct schema *s, const char *db,
    const char *name)
{
	struct binrow_map	 map;
	struct binrow_rows	 rows;
	struct binrow_image	 before, after;
	unsigned char		*data;
	const unsigned char	*p, *ev, *body;
	size_t			 len, evlen, blen;
	uint32_t		 crc;
	int			 type, checksum = 0, have_map = 0, r;
	char			*cause = NULL;

	memset(&map, 0, sizeof map);
	memset(&before, 0, sizeof before);
	memset(&after, 0, sizeof after);
	if ((data = slurp(path, &len)) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (len < 4 || memcmp(data, "\xfe" "bin", 4) != 0) {
		fprintf(stderr, "%s: not a binary log\n", path);
		goto fail;
	}
	for (p = data + 4; p < data + len; p += evlen) {
		if ((size_t)(data + len - p) < 19) {
			fprintf(stderr, "%s: event header cut short\n", path);
			goto fail;
		}
		ev = p;
		type = ev[4];
		evlen = (size_t)ev[9] | (size_t)ev[10] << 8 |
		    (size_t)ev[11] << 16 | (size_t)ev[12] << 24;
		if (evlen < 19 || evlen > (size_t)(data + len - p)) {
			fprintf(stderr, "%s: bad event length\n", path);
			goto fail;
		}
		body = ev + 19;
		blen = evlen - 19;
		if (type == EV_FORMAT) {
			/* The checksum algorithm, then the FDE's own CRC. */
			if (blen < 2 + 50 + 4 + 1 + 5) {
				fprintf(stderr, "%s: short FDE\n", path);
				goto fail;
			}
			checksum = body[blen - 5] == 1;
			if (body[2 + 50 + 4] != 19) {
				fprintf(stderr, "%s: header length %u\n", path,
				    body[2 + 50 + 4]);
				goto fail;
			}
		}
		if (checksum) {
			if (blen < 4) {
				fprintf(stderr, "%s: no checksum\n", path);
				goto fail;
			}
			blen -= 4;
			/*
			 * A log still open has LOG_EVENT_BINLOG_IN_USE_F set
			 * in its FDE, which the checksum was taken without.
			 */
			if (type == EV_FORMAT) {
				unsigned char	 hdr[19];

				memcpy(hdr, ev, sizeof hdr);
				hdr[17] &= ~0x01;
				crc = (uint32_t)crc32(0L, hdr, sizeof hdr);
				crc = (uint32_t)crc32(crc, ev + 19,
				    (uInt)(evlen - 19 - 4));
			} else
				crc = (uint32_t)crc32(0L, ev,
				    (uInt)(evlen - 4));
			if (crc != ((uint32_t)body[blen] |
			    (uint32_t)body[blen + 1] << 8 |
			    (uint32_t)body[blen + 2] << 16 |
			    (uint32_t)body[blen + 3] << 24)) {
				fprintf(stderr, "%s: bad checksum at %zu\n",
				    path, (size_t)(ev - data));
				goto fail;
			}
		}
		if (type == EV_TABLE_MAP) {
			binrow_map_clear(&map);
			have_map = 0;
			if (binrow_map_parse(&map, body, blen, &cause) == -1) {
				fprintf(stderr, "table map at %zu: %s\n",
				    (size_t)(ev - data), cause);
				free(cause);
				goto fail;
			}
			if (strcmp(map.db, db) == 0 &&
			    strcmp(map.name, name) == 0) {
				if (map.ncols != s->ncols) {
					fprintf(stderr, "map of %zu columns, "
					    "table of %zu\n", map.ncols,
					    s->ncols);
					goto fail;
				}
				have_map = 1;
			}
			continue;
		}
		if (!((type >= 23 && type <= 25) || (type >= 30 &&
		    type <= 32) || (type >= 166 && type <= 171)))
			continue;
		if (binrow_rows_parse(&rows, type, body, blen, &cause) == -1) {
			fprintf(stderr, "rows event at %zu: %s\n",
			    (size_t)(ev - data), cause);
			free(cause);
			goto fail;
		}
		if (!have_map || rows.table_id != map.table_id) {
			binrow_rows_clear(&rows);
			continue;
		}
		printf("event\t%d\n", type);
		while ((r = binrow_next(&rows, &map, &before, &after,
		    &cause)) == 1) {
			switch (rows.kind) {
			case BINROW_WRITE:
				print_image("insert after", &map, &after, s);
				break;
			case BINROW_UPDATE:
				print_image("update before", &map, &before, s);
				print_image("update after", &map, &after, s);
				break;
			case BINROW_DELETE:
				print_image("delete before", &map, &before, s);
				break;
			}
		}
		binrow_rows_clear(&rows);
		if (r == -1) {
			fprintf(stderr, "rows event at %zu: %s\n",
			    (size_t)(ev - data), cause);
			free(cause);
			goto fail;
		}
	}
	binrow_image_free(&before);
	binrow_image_free(&after);
	binrow_map_clear(&map);
	free(data);
	return 0;

fail:
	binrow_image_free(&before);
	binrow_image_free(&after);
	binrow_map_clear(&map);
	free(data);
	return -1;
}

int
main(int argc, char **argv)
{
	struct source	*src;
	struct schema	*s;
	char		*cause = NULL;
	int		 i, r;

	if (argc < 5 || (strcmp(argv[1], "log") != 0 &&
	    strcmp(argv[1], "table") != 0)) {
		fprintf(stderr, "usage: binrow_dump log|table defaults db "
		    "table [file ...]\n");
		return 1;
	}
	if ((src = source_open(argv[2], "client", &cause)) == NULL) {
		fprintf(stderr, "binrow_dump: %s\n", cause);
		return 1;
	}
	if ((r = source_describe(src, argv[3], argv[4], &s, &cause)) != 0) {
		fprintf(stderr, "binrow_dump: %s\n", r == 1 ? "no such table" :
		    cause);
		source_close(src);
		return 1;
	}
	if (strcmp(argv[1], "table") == 0) {
		r = source_stream(src, s, NULL, 0, NULL, NULL, row_cb, s,
		    &stop, &cause);
		if (r == -1)
			fprintf(stderr, "binrow_dump: %s\n", cause);
	} else {
		r = 0;
		for (i = 5; i < argc && r == 0; i++)
			r = dump_log(argv[i], s, argv[3], argv[4]);
	}
	schema_free(s);
	source_close(src);
	if (fflush(stdout) != 0)
		return 1;
	return r == 0 ? 0 : 1;
}

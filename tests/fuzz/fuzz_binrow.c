/* libFuzzer target: the binary log's row events, as a hostile log holds them. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "binrow.h"
#include "buf.h"
#include "fuzz_check.h"
#include "schema.h"

/*
 * The input is one byte choosing the rows event's type, the TABLE_MAP
 * body (two bytes of length, little-endian, then the body: fuzz_take) and
 * the ROWS body. Every row is read and every column rendered under every
 * encoding against the column descriptions below of its type, and one
 * the first byte picks. The seed corpus in
 * tests/fuzz/corpus/fuzz_binrow/ holds events of tests/unit/test_binrow.c
 * and of a real log (tests/integration/binrow_types.sh) in that form.
 */
int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const int types[] = { 23, 24, 25, 30, 31, 32, 166, 167, 168, 169,
    170, 171 };

/* Column descriptions by the log's type that may hold them. */
static const struct {
	unsigned char	 type;
	const char	*ctype;
} coltypes[] = {
	{ 1, "tinyint(4)" }, { 1, "tinyint(3) unsigned" },
	{ 2, "smallint(6)" }, { 9, "mediumint(9)" }, { 3, "int(11)" },
	{ 3, "int(8) unsigned zerofill" }, { 8, "bigint(20) unsigned" },
	{ 4, "float" }, { 5, "double" }, { 5, "double(10,2)" },
	{ 246, "decimal(10,2)" }, { 13, "year(4)" }, { 10, "date" },
	{ 19, "time(6)" }, { 11, "time" }, { 18, "datetime(3)" },
	{ 12, "datetime" }, { 17, "timestamp(6)" }, { 7, "timestamp" },
	{ 16, "bit(12)" }, { 254, "enum('a','b''c','')" },
	{ 254, "set('x','y','z')" }, { 254, "char(10)" },
	{ 254, "binary(4)" }, { 254, "inet6" }, { 254, "inet4" },
	{ 254, "uuid" }, { 254, "enum('\\\\')" },
	{ 254, "set('\xc3\xa9')" }, { 15, "varchar(300)" },
	{ 15, "varbinary(10)" }, { 252, "text" }, { 252, "blob" },
	{ 252, "json" }, { 255, "point" },
};

#define NCOLTYPES	(sizeof coltypes / sizeof coltypes[0])

static void
render(const struct binrow_map *map, const struct binrow_image *im,
    size_t i, const char *ctype, int utf8, struct buf *out)
{
	struct column	 col;
	char		*cause;
	int		 enc, r;

	memset(&col, 0, sizeof col);
	col.name = (char *)"c";
	col.type = (char *)ctype;
	col.charset = utf8 ? (char *)"utf8mb4" : NULL;
	for (enc = COLENC_TEXT; enc <= COLENC_NUMBER; enc++) {
		cause = NULL;
		r = binrow_text(map, im, i, &col, (enum colenc)enc, out,
		    &cause);
		if (r == -1) {
			FUZZ_ASSERT(cause != NULL, "refused without a cause");
			FUZZ_ASSERT(out->len == 0, "output left on refusal");
			free(cause);
		} else {
			FUZZ_ASSERT(r == 0 && cause == NULL,
			    "binrow_text returned %d", r);
			FUZZ_ASSERT(!buf_failed(out), "failed output");
		}
	}
}

static void
check_image(const struct binrow_map *map, const struct binrow_image *im,
    const unsigned char *lo, const unsigned char *hi,
    const unsigned char *zlo, const unsigned char *zhi, unsigned int sel)
{
	struct buf	 out;
	size_t		 i, t;

	FUZZ_ASSERT(im->ncols == map->ncols, "image of %zu columns", im->ncols);
	buf_init(&out, BUF_NOCAP);
	for (i = 0; i < im->ncols; i++) {
		if (!im->present[i] || im->null[i]) {
			FUZZ_ASSERT(im->raw[i] == NULL, "raw of an absent column");
			continue;
		}
		FUZZ_ASSERT((im->raw[i] >= lo && im->raw[i] + im->rawlen[i] <=
		    hi) || (zlo != NULL && im->raw[i] >= zlo &&
		    im->raw[i] + im->rawlen[i] <= zhi), "raw outside the event");
		/* Those that may match, and one that may not. */
		for (t = 0; t < NCOLTYPES; t++) {
			if (coltypes[t].type == map->types[i])
				render(map, im, i, coltypes[t].ctype, (int)(t & 1),
				    &out);
		}
		render(map, im, i, coltypes[(i + sel) % NCOLTYPES].ctype,
		    (int)(sel & 1), &out);
	}
	buf_free(&out);
}

/*
 * The optional metadata's names: one a column, and binrow_map_check
 * against a description of those names and one type answers either way
 * without reading past them.
 */
static void
check_names(const struct binrow_map *map, unsigned int sel)
{
	struct schema	 s;
	struct column	*cols;
	char		*cause = NULL;
	size_t		 i;
	int		 r;

	memset(&s, 0, sizeof s);
	if ((cols = calloc(map->ncols, sizeof *cols)) == NULL)
		return;
	for (i = 0; i < map->ncols; i++) {
		if (map->colnames != NULL) {
			FUZZ_ASSERT(map->colnames[i] != NULL &&
			    map->colnames[i][0] != '\0', "column %zu unnamed",
			    i);
			cols[i].name = map->colnames[i];
		} else
			cols[i].name = (char *)"c";
		cols[i].type = (char *)coltypes[(i + sel) % NCOLTYPES].ctype;
	}
	s.cols = cols;
	s.ncols = map->ncols;
	r = binrow_map_check(map, &s, &cause);
	FUZZ_ASSERT((r == 0 && cause == NULL) || (r == -1 && cause != NULL),
	    "binrow_map_check returned %d", r);
	free(cause);
	free(cols);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in		 in = { data, size };
	struct binrow_map	 map;
	struct binrow_rows	 rows;
	struct binrow_image	 before, after;
	const unsigned char	*mp, *zlo = NULL, *zhi = NULL;
	unsigned char		*rp;
	size_t			 mlen, n = 0;
	char			*cause = NULL;
	unsigned int		 sel;
	int			 type, r;

	sel = fuzz_byte(&in);
	type = types[sel % (sizeof types / sizeof types[0])];
	sel /= sizeof types / sizeof types[0];
	if ((mp = (const unsigned char *)fuzz_take(&in, &mlen)) == NULL)
		return 0;
	if (binrow_map_parse(&map, mp, mlen, &cause) == -1) {
		FUZZ_ASSERT(cause != NULL, "map refused without a cause");
		FUZZ_ASSERT(map.types == NULL && map.db == NULL,
		    "a refused map holds memory");
		free(cause);
		return 0;
	}
	FUZZ_ASSERT(map.ncols >= 1 && map.ncols <= 4096, "map of %zu columns",
	    map.ncols);
	FUZZ_ASSERT(strlen(map.db) < 256 && strlen(map.name) < 256,
	    "long names");
	check_names(&map, sel);

	/* The rows body alone on the heap: an overread shows. */
	rp = malloc(in.left == 0 ? 1 : in.left);
	FUZZ_ASSERT(rp != NULL, "malloc");
	if (in.left != 0)
		memcpy(rp, in.p, in.left);
	memset(&before, 0, sizeof before);
	memset(&after, 0, sizeof after);
	if (binrow_rows_parse(&rows, type, rp, in.left, &cause) == -1) {
		FUZZ_ASSERT(cause != NULL, "rows refused without a cause");
		free(cause);
		goto done;
	}
	if (type >= 166) {
		zlo = (const unsigned char *)rows.inflated.data;
		zhi = zlo + rows.inflated.len;
	}
	/* The map's table id is the event's: the fuzzer need not find it. */
	map.table_id = rows.table_id;
	while ((r = binrow_next(&rows, &map, &before, &after, &cause)) == 1) {
		FUZZ_ASSERT(n++ < in.left + 8 * (size_t)(zhi - zlo) + 1,
		    "rows without bytes");
		if (rows.kind != BINROW_WRITE)
			check_image(&map, &before, rp, rp + in.left, zlo, zhi,
			    sel);
		if (rows.kind != BINROW_DELETE)
			check_image(&map, &after, rp, rp + in.left, zlo, zhi,
			    sel);
	}
	if (r == -1) {
		FUZZ_ASSERT(cause != NULL, "row refused without a cause");
		free(cause);
		cause = NULL;
		FUZZ_ASSERT(binrow_next(&rows, &map, &before, &after,
		    &cause) == 0, "an event read on after a failure");
	}
	binrow_rows_clear(&rows);
done:
	binrow_image_free(&before);
	binrow_image_free(&after);
	binrow_map_clear(&map);
	free(rp);
	return 0;
}

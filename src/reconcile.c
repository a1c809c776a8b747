/*
 * Reconciliation: every change a scan finds must be in the binary log.
 *
 * A scan notes the binary-log position of its snapshot, per table. The
 * next scan of the table reads the log from that position to its own
 * snapshot's, as a client that does not register as a replica (server
 * id 0, not blocking), and keeps per key the row before the first row
 * event and after the last, as keyed digests, in a scratch SQLite file.
 * Each change the scan finds is then compared with that net effect; a
 * key the log changed and the scan found unchanged is said too.
 */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "baseline.h"
#include "binlog.h"
#include "binrow.h"
#include "buf.h"
#include "conf.h"
#include "ddl.h"
#include "entries.h"
#include "event.h"
#include "logrow.h"
#include "reconcile.h"
#include "rowenc.h"
#include "run.h"
#include "schema.h"
#include "source_mysql.h"
#include "util.h"
#include "xmalloc.h"

#define RECON_MAC_LABEL	"dbsyscheck reconcile v1"

/* A parent of a foreign key that cascades into a watched table. */
struct recon_parent {
	char			*db;
	char			*name;
	int			 fk;		/* SOURCE_FK_* */
};

/* What cascades may have done to a table's rows in the interval. */
#define RECON_EFF_DEL	0x1	/* deleted rows */
#define RECON_EFF_UPD	0x2	/* changed rows (a key too) */

/* A watched table's part of the run. */
struct recon_table {
	struct recon		*rc;
	const struct conf_table	*ct;
	size_t			 idx;		/* its t in the scratch file */
	struct baseline_recon	 st;		/* as stored */
	int			 stored;	/* st.file holds a position */
	int			 read;		/* its interval is read */
	int			 check;		/* recon_check */
	const char		*nocheck;	/* why not */
	struct schema		*s;		/* to read the log's rows */
	struct rowenc		*re;
	size_t			 nhashed;
	struct buf		*vals;		/* a row's hashed values */
	const char		**vp;
	unsigned long		*vl;
	struct binlog_pos	 from;
	int			 idchecked;	/* from's file's creation */
	int			 truncated;	/* TRUNCATE, DROP seen */
	int			 altered;	/* ALTER seen */
	int64_t			 ntrunc;	/* how many */
	int			 text;		/* a statement logged as text */
	struct recon_parent	*parents;	/* its cascading foreign */
	size_t			 nparents;	/* keys' parents */
	int			 gfk;		/* SOURCE_FK_* of those the */
						/* group maps */
	int			 cascade;	/* RECON_EFF_*: what */
						/* cascades may have done */
	struct buf		 cascols;	/* the columns keys that */
						/* update it name (NULs) */
	int			 cascadekey;	/* one of them is a key's */
	char			*why;		/* its interval cannot be */
						/* checked: why */
	char			*note;		/* never checked: why */
	struct event_span	 span;
};

/* A table map of the group being read, of a table being read. */
struct recon_map {
	struct binrow_map	 map;
	struct recon_table	*rt;
	int			 bad;
};

struct recon {
	const struct conf	*conf;
	struct baseline		*bl;
	const unsigned char	*key;
	size_t			 keylen;
	volatile sig_atomic_t	*stop;
	int			 on;		/* to is known, the log read */
	char			*off;		/* why not: every table */
	int			 fatal;		/* off in yes mode: an error */
	int			 compare;	/* a scan, not a reset */
	int			 foldcase;	/* lower_case_table_names */
	struct source_holes	 holes;		/* what the log leaves out */
	char			*holes_err;	/* or why that is not known */
	struct binlog_pos	 to;
	uint64_t		 server_id;
	uint64_t		 created;	/* to's file's, 0: not known */
	struct recon_table	*tables;
	size_t			 ntables;

	sqlite3			*db;		/* the scratch file */
	sqlite3_stmt		*put, *get, *mark, *each, *trunc;
	sqlite3_stmt		*xaput, *xamove, *xaeach, *xadel;
	sqlite3_stmt		*gput, *gcommit, *gdrop;

	/* Reading the log. */
	struct recon_map	*maps;
	size_t			 nmaps;
	struct binlog_pos	 gstart;	/* where the group began */
	char			 xid[BINLOG_XID_MAX + 1];	/* "" none */
	int64_t			 gseq;		/* the group's rows so far */
	int			 gdel, gupd;	/* it deletes, updates rows */
	struct ddl_savepoints	 sps;		/* its savepoints: gseq */
	struct binrow_image	 before, after;
	struct buf		 kb, ka, txt;
	unsigned char		 dbef[ROWENC_DIGEST_LEN];
	unsigned char		 daft[ROWENC_DIGEST_LEN];
};

/* Binary log positions in log order: the files are NAME.NNNNNN. */
static int
recon_pos_cmp(const struct binlog_pos *a, const struct binlog_pos *b)
{
	size_t	 la = strlen(a->file), lb = strlen(b->file);
	int	 c;

	if (la != lb)
		return la < lb ? -1 : 1;
	if ((c = strcmp(a->file, b->file)) != 0)
		return c < 0 ? -1 : 1;
	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	return 0;
}

/* A digest, or NULL for no row. */
static int
recon_same(const unsigned char *a, const unsigned char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return memcmp(a, b, ROWENC_DIGEST_LEN) == 0;
}

/* The net effect of the row events on a key, as a word. */
static const char *
recon_kind(const unsigned char *before, const unsigned char *after)
{
	if (recon_same(before, after))
		return "same";
	if (before == NULL)
		return "insert";
	if (after == NULL)
		return "delete";
	return "update";
}

const char *
recon_judge(int found, const unsigned char *before,
    const unsigned char *after, const unsigned char *old,
    const unsigned char *new, int truncated, int text)
{
	if (!found) {
		/* TRUNCATE and DROP remove rows without a row event. */
		if (new == NULL && truncated)
			return NULL;
		return text ? "text" : "none";
	}
	if (recon_same(after, new) && (truncated || recon_same(before, old)))
		return NULL;
	return text ? "text" : recon_kind(before, after);
}

/* The MAC of a stored position, under the key, for its table. */
static int
recon_mac(const struct recon *rc, const struct conf_table *ct,
    const struct baseline_recon *st, unsigned char mac[ROWENC_MAC_LEN],
    char **cause)
{
	struct buf	 b;
	int		 r;

	buf_init(&b, BUF_NOCAP);
	buf_add(&b, ct->db, strlen(ct->db) + 1);
	buf_add(&b, ct->name, strlen(ct->name) + 1);
	buf_add(&b, st->file, strlen(st->file) + 1);
	buf_printf(&b, "%llu %llu %llu", (unsigned long long)st->offset,
	    (unsigned long long)st->server_id,
	    (unsigned long long)st->created);
	if (buf_failed(&b)) {
		buf_free(&b);
		*cause = xstrdup("out of memory");
		return -1;
	}
	r = rowenc_mac(rc->key, rc->keylen, RECON_MAC_LABEL, b.data, b.len,
	    mac, cause);
	buf_free(&b);
	return r;
}

struct recon *
recon_create(const struct conf *conf, struct baseline *bl,
    const unsigned char *key, size_t keylen, volatile sig_atomic_t *stop)
{
	struct recon	*rc;

	rc = xcalloc(1, sizeof *rc);
	rc->conf = conf;
	rc->bl = bl;
	rc->key = key;
	rc->keylen = keylen;
	rc->stop = stop;
	buf_init(&rc->kb, BUF_NOCAP);
	buf_init(&rc->ka, BUF_NOCAP);
	buf_init(&rc->txt, BUF_NOCAP);
	return rc;
}

static void
recon_maps_clear(struct recon *rc)
{
	size_t	 i;

	for (i = 0; i < rc->nmaps; i++)
		binrow_map_clear(&rc->maps[i].map);
	free(rc->maps);
	rc->maps = NULL;
	rc->nmaps = 0;
}

static void
recon_scratch_close(struct recon *rc)
{
	sqlite3_finalize(rc->put);
	sqlite3_finalize(rc->get);
	sqlite3_finalize(rc->mark);
	sqlite3_finalize(rc->each);
	sqlite3_finalize(rc->trunc);
	sqlite3_finalize(rc->xaput);
	sqlite3_finalize(rc->xaeach);
	sqlite3_finalize(rc->xadel);
	sqlite3_finalize(rc->xamove);
	sqlite3_finalize(rc->gput);
	sqlite3_finalize(rc->gcommit);
	sqlite3_finalize(rc->gdrop);
	rc->put = rc->get = rc->mark = rc->each = rc->trunc = NULL;
	rc->xaput = rc->xamove = rc->xaeach = rc->xadel = NULL;
	rc->gput = rc->gcommit = rc->gdrop = NULL;
	if (rc->db != NULL)
		sqlite3_close(rc->db);
	rc->db = NULL;
}

void
recon_free(struct recon *rc)
{
	struct recon_table	*rt;
	size_t			 i, j;

	if (rc == NULL)
		return;
	for (i = 0; i < rc->ntables; i++) {
		rt = &rc->tables[i];
		schema_free(rt->s);
		rowenc_free(rt->re);
		for (j = 0; j < rt->nhashed; j++)
			buf_free(&rt->vals[j]);
		free(rt->vals);
		free(rt->vp);
		free(rt->vl);
		free(rt->why);
		free(rt->note);
		for (j = 0; j < rt->nparents; j++) {
			free(rt->parents[j].db);
			free(rt->parents[j].name);
		}
		free(rt->parents);
		buf_free(&rt->cascols);
	}
	free(rc->tables);
	recon_maps_clear(rc);
	recon_scratch_close(rc);
	binrow_image_free(&rc->before);
	binrow_image_free(&rc->after);
	buf_free(&rc->kb);
	buf_free(&rc->ka);
	buf_free(&rc->txt);
	free(rc->off);
	source_holes_clear(&rc->holes);
	free(rc->holes_err);
	free(rc);
}

/* The scratch file's error. */
static char *
recon_sqlerr(struct recon *rc, const char *what)
{
	return xasprintf("reconciliation's scratch file: %s: %s", what,
	    rc->db != NULL ? sqlite3_errmsg(rc->db) : "cannot open");
}

/*
 * The scratch file: a temporary SQLite database (never named on disk),
 * unjournalled, in one transaction that is never committed, its cache
 * small: the net effects of any number of row events in bounded memory.
 */
static int
recon_scratch(struct recon *rc, char **cause)
{
	static const char schema[] =
	    "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
	    "PRAGMA cache_size = -4096; PRAGMA temp_store = FILE; "
	    "CREATE TABLE net (t INTEGER NOT NULL, pk BLOB NOT NULL, "
	    "before BLOB, after BLOB, gap INTEGER NOT NULL, "
	    "seen INTEGER NOT NULL DEFAULT 0, tr INTEGER NOT NULL, "
	    "PRIMARY KEY (t, pk)) WITHOUT ROWID; "
	    "CREATE TABLE xa (seq INTEGER PRIMARY KEY, xid BLOB NOT NULL, "
	    "t INTEGER NOT NULL, pk BLOB, before BLOB, after BLOB, "
	    "tr INTEGER NOT NULL DEFAULT 0); "
	    "CREATE INDEX xa_xid ON xa (xid, seq); "
	    "CREATE TABLE grp (seq INTEGER PRIMARY KEY, t INTEGER NOT NULL, "
	    "pk BLOB NOT NULL, before BLOB, after BLOB, tr INTEGER NOT "
	    "NULL); BEGIN";
	struct {
		sqlite3_stmt	**st;
		const char	 *sql;
	} stmts[] = {
		/*
		 * A row event that does not start from the row the last
		 * one left (gap): a change around the log between them.
		 */
		{ &rc->put, "INSERT INTO net (t, pk, before, after, gap, tr) "
		    "VALUES (?1, ?2, ?3, ?4, 0, ?5) ON CONFLICT (t, pk) DO "
		    "UPDATE SET gap = gap OR excluded.before IS NOT after, "
		    "after = excluded.after" },
		{ &rc->get, "SELECT before, after, gap, tr FROM net WHERE "
		    "t = ?1 AND pk = ?2" },
		{ &rc->mark, "UPDATE net SET seen = 1 WHERE t = ?1 AND "
		    "pk = ?2" },
		{ &rc->each, "SELECT pk, before, after, gap, tr FROM net "
		    "WHERE t = ?1 AND seen = 0 ORDER BY pk" },
		{ &rc->trunc, "UPDATE net SET after = NULL WHERE t = ?1" },
		{ &rc->xaput, "INSERT INTO xa (xid, t) VALUES (?1, -1)" },
		/* An XA PREPARE: its group's rows wait for XA COMMIT. */
		{ &rc->xamove, "INSERT INTO xa (xid, t, pk, before, after, tr) "
		    "SELECT ?1, t, pk, before, after, tr FROM grp ORDER BY "
		    "seq" },
		{ &rc->xaeach, "SELECT t, pk, before, after, tr FROM xa WHERE "
		    "xid = ?1 ORDER BY seq" },
		{ &rc->xadel, "DELETE FROM xa WHERE xid = ?1" },
		{ &rc->gput, "INSERT INTO grp (seq, t, pk, before, after, tr) "
		    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)" },
		/* A group's rows at its COMMIT, in order (WHERE: upsert). */
		{ &rc->gcommit, "INSERT INTO net (t, pk, before, after, gap, "
		    "tr) SELECT t, pk, before, after, 0, tr FROM grp WHERE true "
		    "ORDER BY seq ON CONFLICT (t, pk) DO UPDATE SET gap = gap "
		    "OR excluded.before IS NOT after, after = excluded.after" },
		{ &rc->gdrop, "DELETE FROM grp WHERE seq > ?1" },
	};
	char	*dir, *slash;
	size_t	 i;

	/*
	 * Its pages spill to a file SQLite unlinks as soon as it made it:
	 * in the baseline's directory (0700), not /var/tmp, so that no
	 * one catches the keys between the two.
	 */
	if (sqlite3_temp_directory == NULL) {
		dir = xstrdup(rc->conf->baseline);
		if ((slash = strrchr(dir, '/')) != NULL)
			slash[slash == dir ? 1 : 0] = '\0';
		sqlite3_temp_directory = sqlite3_mprintf("%s",
		    slash != NULL ? dir : ".");
		free(dir);
	}
	if (sqlite3_open_v2("", &rc->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
	    sqlite3_exec(rc->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		*cause = recon_sqlerr(rc, "creating it");
		return -1;
	}
	for (i = 0; i < sizeof stmts / sizeof stmts[0]; i++) {
		if (sqlite3_prepare_v2(rc->db, stmts[i].sql, -1, stmts[i].st,
		    NULL) != SQLITE_OK) {
			*cause = recon_sqlerr(rc, "preparing a statement");
			return -1;
		}
	}
	return 0;
}

/* Bind a digest, or NULL for no row. */
static int
recon_bind_digest(sqlite3_stmt *st, int i, const unsigned char *d)
{
	if (d == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_blob(st, i, d, ROWENC_DIGEST_LEN, SQLITE_STATIC);
}

/* A digest column: NULL, or ROWENC_DIGEST_LEN bytes. */
static const unsigned char *
recon_col_digest(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL ||
	    sqlite3_column_bytes(st, i) != ROWENC_DIGEST_LEN)
		return NULL;
	return sqlite3_column_blob(st, i);
}

/* Step a statement that returns no row, and reset it. */
static int
recon_done(struct recon *rc, sqlite3_stmt *st, char **cause)
{
	int	 r;

	r = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (r != SQLITE_DONE) {
		*cause = recon_sqlerr(rc, "writing");
		return -1;
	}
	return 0;
}

/*
 * One row event's effect on a key, kept with its group until its COMMIT
 * (a ROLLBACK, or ROLLBACK TO a savepoint, drops it; an XA PREPARE moves
 * it to its xid until XA COMMIT), with how many times the table was
 * truncated before it.
 */
static int
recon_apply(struct recon *rc, size_t t, const struct buf *key,
    const unsigned char *before, const unsigned char *after, char **cause)
{
	sqlite3_stmt	*st = rc->gput;

	sqlite3_bind_int64(st, 1, (sqlite3_int64)++rc->gseq);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)t);
	sqlite3_bind_blob(st, 3, key->data, (int)key->len, SQLITE_STATIC);
	recon_bind_digest(st, 4, before);
	recon_bind_digest(st, 5, after);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)rc->tables[t].ntrunc);
	return recon_done(rc, st, cause);
}

/* A table being read whose name is db.name, or NULL. */
static struct recon_table *
recon_find(struct recon *rc, const char *db, const char *name)
{
	const struct conf_table	*ct;
	size_t			 i;

	if ((ct = conf_find_table(rc->conf, db, name)) == NULL)
		return NULL;
	for (i = 0; i < rc->ntables; i++)
		if (rc->tables[i].ct == ct && rc->tables[i].read)
			return &rc->tables[i];
	return NULL;
}

/* The table's interval holds the group that began at rc->gstart. */
static int
recon_in(const struct recon *rc, const struct recon_table *rt)
{
	return rt->read && rt->why == NULL &&
	    recon_pos_cmp(&rc->gstart, &rt->from) >= 0;
}

/* One table's interval cannot be checked: the first cause is kept. */
static void	 recon_spoil(struct recon_table *, char *);

/* Every table whose interval holds the group being read. */
static void
recon_spoil_group(struct recon *rc, const char *why)
{
	size_t	 i;

	for (i = 0; i < rc->ntables; i++)
		if (recon_in(rc, &rc->tables[i]))
			recon_spoil(&rc->tables[i], xstrdup(why));
}

static void
recon_spoil(struct recon_table *rt, char *why)
{
	if (rt->why == NULL)
		rt->why = why;
	else
		free(why);
}

/*
 * A table of the group: a parent of a cascading foreign key? MariaDB
 * maps every table a cascade reaches, and logs only the rows of the
 * statement's own table: a mapped parent in a group that deletes or
 * updates rows may have changed the child (recon_cascade_end).
 */
static void
recon_cascade_map(struct recon *rc, const char *db, const char *name)
{
	struct recon_table	*rt;
	size_t			 i, j;

	for (i = 0; i < rc->ntables; i++) {
		rt = &rc->tables[i];
		if (!recon_in(rc, rt))
			continue;
		for (j = 0; j < rt->nparents; j++)
			if (strcmp(rt->parents[j].db, db) == 0 &&
			    strcmp(rt->parents[j].name, name) == 0)
				rt->gfk |= rt->parents[j].fk;
	}
}

/* The group's end: what its deletes and updates may have cascaded to. */
static void
recon_cascade_end(struct recon *rc, int commit)
{
	struct recon_table	*rt;
	size_t			 i;

	for (i = 0; i < rc->ntables; i++) {
		rt = &rc->tables[i];
		if (commit && rc->gdel && (rt->gfk & SOURCE_FK_DEL_DELETES))
			rt->cascade |= RECON_EFF_DEL;
		if (commit && (rc->gdel || rc->gupd) &&
		    (rt->gfk & (SOURCE_FK_DEL_UPDATES | SOURCE_FK_UPD_UPDATES)))
			rt->cascade |= RECON_EFF_UPD;
		rt->gfk = 0;
	}
	rc->gdel = rc->gupd = 0;
}

/*
 * An unexplained change (change: "insert", "update", "delete", "none")
 * that a cascade may have made: deletes where one deleted, any where
 * one changed rows (a key among them: a delete and an insert).
 */
static int
recon_cascaded(const struct recon_table *rt, const char *change,
    const char *const *names, size_t n, int found)
{
	const char	*p, *end;
	size_t		 i;
	int		 in;

	if (rt->text || rt->altered)
		return 0;
	if ((rt->cascade & RECON_EFF_DEL) && (strcmp(change, "delete") == 0 ||
	    strcmp(change, "none") == 0))
		return 1;
	if (!(rt->cascade & RECON_EFF_UPD))
		return 0;
	/* An update by a key's action changes only the key's columns. */
	if (strcmp(change, "update") == 0) {
		if (n == 0)
			return 0;
		end = rt->cascols.data + rt->cascols.len;
		for (i = 0; i < n; i++) {
			in = 0;
			for (p = rt->cascols.data; p != NULL && p < end;
			    p += strlen(p) + 1)
				if (strcasecmp(p, names[i]) == 0)
					in = 1;
			if (!in)
				return 0;
		}
		return 1;
	}
	/* A row the log inserted, its key's columns set by an action. */
	if (strcmp(change, "insert") == 0 && found)
		return 1;
	/* Else a key's column changed: a row gone, a row come. */
	return rt->cascadekey;
}

/* A TABLE_MAP: kept when it maps a table being read. */
static int
recon_table_map(struct recon *rc, const struct binlog_event *ev,
    char **cause)
{
	struct binrow_map	 map;
	struct recon_table	*rt;
	struct recon_map	*m;
	char			*c = NULL;
	size_t			 i;

	memset(&map, 0, sizeof map);
	if (binrow_map_parse(&map, ev->body, ev->len, cause) == -1)
		return -1;
	recon_cascade_map(rc, map.db, map.name);
	if ((rt = recon_find(rc, map.db, map.name)) == NULL ||
	    !recon_in(rc, rt)) {
		binrow_map_clear(&map);
		return 0;
	}
	m = NULL;
	for (i = 0; i < rc->nmaps; i++) {
		if (rc->maps[i].map.table_id == map.table_id) {
			m = &rc->maps[i];
			binrow_map_clear(&m->map);
		}
	}
	if (m == NULL) {
		rc->maps = xreallocarray(rc->maps, rc->nmaps + 1,
		    sizeof *rc->maps);
		m = &rc->maps[rc->nmaps++];
	}
	memset(m, 0, sizeof *m);
	m->map = map;
	m->rt = rt;
	if (binrow_map_check(&m->map, rt->s, &c) != 0) {
		m->bad = 1;
		recon_spoil(rt, xasprintf("a row event in it was logged for "
		    "another shape of the table (%s)", c != NULL ? c :
		    "unknown"));
	}
	free(c);
	return 0;
}

/* The scanner's keyed digest of a row image. */
static int
recon_digest(const struct recon_map *m, const struct binrow_image *im,
    unsigned char out[ROWENC_DIGEST_LEN], char **cause)
{
	struct recon_table	*rt = m->rt;
	const struct schema	*s = rt->s;
	const struct column	*c;
	size_t			 i, n = 0;

	for (i = 0; i < s->ncols; i++) {
		c = &s->cols[i];
		if (!c->hashed)
			continue;
		if (i >= im->ncols || !im->present[i]) {
			*cause = xasprintf("column %s is not in the row image "
			    "(binlog_row_image must be FULL)", c->name);
			return -1;
		}
		if (im->null[i]) {
			rt->vp[n] = NULL;
			rt->vl[n++] = 0;
			continue;
		}
		if (binrow_text(&m->map, im, i, c, c->enc, &rt->vals[n],
		    cause) == -1)
			return -1;
		rt->vp[n] = rt->vals[n].data != NULL ? rt->vals[n].data : "";
		rt->vl[n] = (unsigned long)rt->vals[n].len;
		n++;
	}
	return rowenc_digest(rt->re, rt->vp, rt->vl, n, out, cause);
}

/* The key of a row image, as the scanner builds it. */
static int
recon_key(struct recon *rc, const struct recon_map *m,
    const struct binrow_image *im, struct buf *key, char **why)
{
	return logrow_key(&m->map, im, m->rt->s, &rc->txt, key, why);
}

/* One row change of a ROWS event. */
static int
recon_row(struct recon *rc, const struct recon_map *m, enum binrow_kind kind,
    char **why, char **cause)
{
	size_t	 t = m->rt->idx;

	switch (kind) {
	case BINROW_WRITE:
		if (recon_key(rc, m, &rc->after, &rc->ka, why) == -1 ||
		    recon_digest(m, &rc->after, rc->daft, why) == -1)
			return 1;
		return recon_apply(rc, t, &rc->ka, NULL, rc->daft, cause);
	case BINROW_DELETE:
		if (recon_key(rc, m, &rc->before, &rc->kb, why) == -1 ||
		    recon_digest(m, &rc->before, rc->dbef, why) == -1)
			return 1;
		return recon_apply(rc, t, &rc->kb, rc->dbef, NULL, cause);
	case BINROW_UPDATE:
		if (recon_key(rc, m, &rc->before, &rc->kb, why) == -1 ||
		    recon_key(rc, m, &rc->after, &rc->ka, why) == -1 ||
		    recon_digest(m, &rc->before, rc->dbef, why) == -1 ||
		    recon_digest(m, &rc->after, rc->daft, why) == -1)
			return 1;
		if (rc->kb.len != rc->ka.len ||
		    memcmp(rc->kb.data, rc->ka.data, rc->kb.len) != 0) {
			/* A new key: the old row went, a new one came. */
			if (recon_apply(rc, t, &rc->kb, rc->dbef, NULL,
			    cause) == -1)
				return -1;
			return recon_apply(rc, t, &rc->ka, NULL, rc->daft,
			    cause);
		}
		return recon_apply(rc, t, &rc->ka, rc->dbef, rc->daft, cause);
	}
	return 0;
}

/* A ROWS event of a table being read. */
static int
recon_rows(struct recon *rc, const struct binlog_event *ev, char **cause)
{
	struct binrow_rows	 rows;
	struct recon_map	*m = NULL;
	char			*why = NULL;
	size_t			 i;
	int			 r;

	memset(&rows, 0, sizeof rows);
	if (binrow_rows_parse(&rows, ev->rawtype, ev->body, ev->len,
	    cause) == -1)
		return -1;
	if (rows.kind == BINROW_DELETE)
		rc->gdel = 1;
	else if (rows.kind == BINROW_UPDATE)
		rc->gupd = 1;
	for (i = 0; i < rc->nmaps; i++)
		if (rc->maps[i].map.table_id == rows.table_id)
			m = &rc->maps[i];
	r = 0;
	while (m != NULL && !m->bad && m->rt->why == NULL &&
	    (r = binrow_next(&rows, &m->map, &rc->before, &rc->after,
	    &why)) == 1) {
		if ((r = recon_row(rc, m, rows.kind, &why, cause)) != 0)
			break;
	}
	if (r == 1 || (r == -1 && why != NULL)) {
		/* A row that cannot be read: the interval is not checked. */
		recon_spoil(m->rt, xasprintf("a row event in it cannot be "
		    "read: %s", why != NULL ? why : "unknown"));
		r = 0;
	}
	free(why);
	binrow_rows_clear(&rows);
	return r;
}

/* What a statement of the log does to the tables being read. */
struct recon_stmt {
	struct recon	*rc;
	int		 temporary;	/* the event's: temporary tables */
	char		**cause;
};


/*
 * A name in a statement is the configured one: in any ASCII case where
 * the server folds names (lower_case_table_names), byte for byte where
 * it does not (a DROP of ACME.USERS is then no DROP of acme.users).
 */
static int
recon_samename(const struct recon *rc, const char *conf, const char *s,
    size_t len)
{
	if (rc->foldcase)
		return ddl_samename(conf, s, len);
	return strlen(conf) == len && memcmp(conf, s, len) == 0;
}

static int
recon_stmt_one(void *arg, enum ddl_stmt kind, const char *db, size_t dblen,
    const char *name, size_t namelen)
{
	struct recon_stmt	*d = arg;
	struct recon		*rc = d->rc;
	struct recon_table	*rt;
	size_t			 i;

	for (i = 0; i < rc->ntables; i++) {
		rt = &rc->tables[i];
		if (!recon_in(rc, rt))
			continue;
		/*
		 * Rows written by a statement logged as text: through a
		 * trigger, a view or a function, any table (follow.c).
		 */
		if (kind == DDL_DML) {
			rt->text = 1;
			continue;
		}
		if (db != NULL && !recon_samename(rc, rt->ct->db, db, dblen))
			continue;
		if (name != NULL && !recon_samename(rc, rt->ct->name, name,
		    namelen))
			continue;
		switch (kind) {
		case DDL_TRUNCATE:
		case DDL_DROP:
			/*
			 * A TRUNCATE that used a temporary table may have
			 * been of one of that name (a DROP of one is logged
			 * as DROP TEMPORARY TABLE, which ddl.c skips; a
			 * plain DROP is flagged too).
			 */
			if (kind == DDL_TRUNCATE && d->temporary) {
				recon_spoil(rt, xstrdup("it holds a TRUNCATE "
				    "of a table of that name in a session "
				    "with temporary tables: which table it was "
				    "is not in the log"));
				break;
			}
			rt->truncated = 1;
			rt->ntrunc++;
			sqlite3_bind_int64(rc->trunc, 1,
			    (sqlite3_int64)rt->idx);
			if (recon_done(rc, rc->trunc, d->cause) == -1)
				return -1;
			break;
		case DDL_ALTER:
			/*
			 * Rows of another shape are refused by their map. A
			 * foreign key it added is not the interval's: no
			 * cascade is taken for the table's changes.
			 */
			rt->altered = 1;
			break;
		case DDL_PARTIAL:
			recon_spoil(rt, xstrdup("it holds a statement that "
			    "removes some of the table's rows without row "
			    "events (TRUNCATE or DROP PARTITION, CONVERT "
			    "PARTITION, ALTER IGNORE)"));
			break;
		case DDL_CREATE:
			/*
			 * Made anew after a DROP in the interval: empty, its
			 * rows logged after. Without one, CREATE ... IF NOT
			 * EXISTS may have left the table as it was.
			 */
			if (rt->truncated)
				break;
			recon_spoil(rt, xstrdup("it holds a CREATE statement "
			    "naming the table with no DROP of it before: "
			    "what it left in the table is not in the log"));
			break;
		default:
			recon_spoil(rt, xasprintf("it holds a %s statement "
			    "naming the table, which brings it rows from "
			    "another table, not in the log as its rows",
			    ddl_name(kind)));
			break;
		}
	}
	return 0;
}

/* An XA COMMIT: the rows its XA PREPARE kept, applied in order. */
static int
recon_xa_end(struct recon *rc, const char *xid, int commit, char **cause)
{
	struct buf	 key;
	sqlite3_stmt	*st = rc->xaeach;
	size_t		 i;
	int		 r, seen = 0;

	buf_init(&key, BUF_NOCAP);
	sqlite3_bind_blob(st, 1, xid, (int)strlen(xid), SQLITE_TRANSIENT);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		seen = 1;
		if (!commit || sqlite3_column_int64(st, 0) < 0)
			continue;	/* the PREPARE's mark */
		buf_reset(&key);
		buf_add(&key, sqlite3_column_blob(st, 1),
		    (size_t)sqlite3_column_bytes(st, 1));
		if (buf_failed(&key)) {
			r = SQLITE_NOMEM;
			break;
		}
		sqlite3_bind_int64(rc->put, 1, sqlite3_column_int64(st, 0));
		sqlite3_bind_blob(rc->put, 2, key.data, (int)key.len,
		    SQLITE_STATIC);
		recon_bind_digest(rc->put, 3, recon_col_digest(st, 2));
		recon_bind_digest(rc->put, 4, recon_col_digest(st, 3));
		sqlite3_bind_int64(rc->put, 5, sqlite3_column_int64(st, 4));
		if (recon_done(rc, rc->put, cause) == -1) {
			sqlite3_reset(st);
			buf_free(&key);
			return -1;
		}
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	buf_free(&key);
	if (r != SQLITE_DONE) {
		*cause = recon_sqlerr(rc, "reading");
		return -1;
	}
	/* Prepared before the interval (of each table it is in). */
	for (i = 0; !seen && commit && i < rc->ntables; i++)
		if (recon_in(rc, &rc->tables[i]))
			recon_spoil(&rc->tables[i], xasprintf("it holds an "
			    "XA COMMIT of %s, prepared before it: its rows "
			    "are not in it", xid));
	sqlite3_bind_blob(rc->xadel, 1, xid, (int)strlen(xid),
	    SQLITE_TRANSIENT);
	return recon_done(rc, rc->xadel, cause);
}

/*
 * An XA PREPARE ends its group: its mark says it was prepared in it. An
 * xid prepared again while its first prepare is kept was ended around
 * the log (an XA ROLLBACK or COMMIT with sql_log_bin=0): which rows
 * stand is not in the log.
 */
static int
recon_xa_prepare(struct recon *rc, char **cause)
{
	sqlite3_stmt	*st = rc->xaeach;
	size_t		 i;
	int		 r, marks = 0;

	sqlite3_bind_blob(st, 1, rc->xid, (int)strlen(rc->xid),
	    SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		if (sqlite3_column_int64(st, 0) < 0)
			marks++;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (r != SQLITE_DONE) {
		*cause = recon_sqlerr(rc, "reading");
		return -1;
	}
	for (i = 0; marks > 0 && i < rc->ntables; i++)
		if (recon_in(rc, &rc->tables[i]))
			recon_spoil(&rc->tables[i], xasprintf("it holds XA "
			    "PREPARE of %s twice with no XA COMMIT or XA "
			    "ROLLBACK between: the first was ended around "
			    "the log", rc->xid));
	sqlite3_bind_blob(rc->xamove, 1, rc->xid, (int)strlen(rc->xid),
	    SQLITE_STATIC);
	if (recon_done(rc, rc->xamove, cause) == -1)
		return -1;
	rc->gseq = 0;
	ddl_sp_clear(&rc->sps);
	sqlite3_bind_int64(rc->gdrop, 1, 0);
	if (recon_done(rc, rc->gdrop, cause) == -1)
		return -1;
	st = rc->xaput;
	sqlite3_bind_blob(st, 1, rc->xid, (int)strlen(rc->xid),
	    SQLITE_STATIC);
	return recon_done(rc, st, cause);
}

/* The log was reset: its file was opened at another time. */
static char *
recon_reset_msg(const char *file, uint64_t now, uint64_t then)
{
	char	 a[32], b[32];

	run_time((int64_t)now, a, sizeof a);
	run_time((int64_t)then, b, sizeof b);
	return xasprintf("the binary log was reset or is another server's: "
	    "%s was opened at %s, not at %s as when the position was "
	    "stored", file, a, b);
}

/* A table's from= file, first seen: opened when its position was taken. */
static void
recon_idcheck(struct recon *rc, const struct binlog_event *ev)
{
	struct recon_table	*rt;
	size_t			 i;

	for (i = 0; i < rc->ntables; i++) {
		rt = &rc->tables[i];
		if (!rt->read || rt->idchecked || ev->created == 0 ||
		    strcmp(ev->at.file, rt->from.file) != 0)
			continue;
		rt->idchecked = 1;
		if (rt->st.created != 0 && rt->st.created != ev->created)
			recon_spoil(rt, recon_reset_msg(rt->from.file,
			    ev->created, rt->st.created));
	}
}

/* The end of a group: its rows to the net effects (commit) or dropped. */
static int
recon_group_end(struct recon *rc, int commit, char **cause)
{
	recon_cascade_end(rc, commit);
	if (commit && recon_done(rc, rc->gcommit, cause) == -1)
		return -1;
	sqlite3_bind_int64(rc->gdrop, 1, 0);
	rc->gseq = 0;
	ddl_sp_clear(&rc->sps);
	return recon_done(rc, rc->gdrop, cause);
}

/*
 * SAVEPOINT name, ROLLBACK [WORK] TO [SAVEPOINT] name, RELEASE SAVEPOINT
 * name: the group's rows after a savepoint rolled back to are dropped.
 * 0 for another statement; 1 when handled; 2 when a rollback cannot be
 * followed, or only in part (ddl.h): which rows stand is not known.
 */
static int
recon_savepoint(struct recon *rc, const char *stmt, size_t len,
    char **cause)
{
	int64_t	 mark;

	switch (ddl_sp_stmt(&rc->sps, stmt, len, rc->gseq, &mark, NULL)) {
	case DDL_SP_OTHER:
		return 0;
	case DDL_SP_DONE:
		return 1;
	case DDL_SP_UNKNOWN:
	case DDL_SP_UNSURE:
		return 2;
	default:
		sqlite3_bind_int64(rc->gdrop, 1, (sqlite3_int64)mark);
		return recon_done(rc, rc->gdrop, cause) == -1 ? -1 : 1;
	}
}

/* The log from the earliest position to the snapshot's. */
static int
recon_loop(struct recon *rc, struct binlog *b, char **why, char **cause)
{
	struct binlog_event	 ev;
	struct recon_stmt	 d;
	int			 r;

	while ((r = binlog_next(b, &ev, rc->stop, why)) == 1) {
		recon_idcheck(rc, &ev);
		switch (ev.type) {
		case BINLOG_BEGIN:
			if (recon_pos_cmp(&ev.at, &rc->to) >= 0)
				return 0;
			recon_maps_clear(rc);
			rc->gstart = ev.at;
			snprintf(rc->xid, sizeof rc->xid, "%s", ev.xid);
			r = recon_group_end(rc, 0, cause);
			break;
		case BINLOG_TABLE_MAP:
			r = recon_table_map(rc, &ev, cause);
			break;
		case BINLOG_ROWS:
			r = recon_rows(rc, &ev, cause);
			break;
		case BINLOG_QUERY:
			if ((r = recon_savepoint(rc, ev.stmt, ev.stmtlen,
			    cause)) == 2) {
				recon_spoil_group(rc, "it holds a ROLLBACK TO "
				    "a savepoint this reader cannot follow "
				    "(docs/BINLOG.md, Rolled back): which rows "
				    "stand is not known");
				r = 0;
			}
			if (r != 0)
				break;
			d.rc = rc;
			d.temporary = ev.temporary;
			d.cause = cause;
			r = ddl_parse(ev.stmt, ev.stmtlen, ev.db, ev.dblen,
			    recon_stmt_one, &d);
			break;
		case BINLOG_XA_PREPARE:
			r = recon_xa_prepare(rc, cause);
			rc->xid[0] = '\0';
			break;
		case BINLOG_XA_COMMIT:
		case BINLOG_XA_ROLLBACK:
			/* A statement group of its own, its rows are kept. */
			r = recon_xa_end(rc, ev.xid, ev.type ==
			    BINLOG_XA_COMMIT, cause);
			break;
		case BINLOG_COMMIT:
		case BINLOG_ROLLBACK:
			/*
			 * A ROLLBACK ends a group whose non-transactional
			 * changes stay (a temporary table, a MyISAM table
			 * written in a transaction rolled back): its InnoDB
			 * rows, logged with them, were rolled back.
			 */
			rc->xid[0] = '\0';
			r = recon_group_end(rc, ev.type == BINLOG_COMMIT,
			    cause);
			break;
		default:
			r = 0;
			break;
		}
		if (r == -1)
			return -1;
		if (*rc->stop) {
			*cause = xstrdup("interrupted by a signal");
			return -1;
		}
	}
	if (r == -1)
		return 1;
	if (*rc->stop) {
		*cause = xstrdup("interrupted by a signal");
		return -1;
	}
	/*
	 * The end of the log as it was when the dump began, after the
	 * snapshot: every group before the snapshot's position was read.
	 */
	return 0;
}

/* Describe a table as the scanner does, for the log's rows. */
static int
recon_describe(struct recon_table *rt, struct source *src, char **why)
{
	struct column	*c;
	size_t		 i;
	int		 r;

	if ((r = source_describe(src, rt->ct->db, rt->ct->name, &rt->s,
	    why)) != 0)
		return r;
	if (schema_apply_conf(rt->s, rt->ct, why) == -1)
		return -1;
	for (i = 0; i < rt->s->ncols; i++) {
		c = &rt->s->cols[i];
		c->enc = schema_colenc(c, rt->s->encver);
		c->keyenc = schema_keyenc(c, rt->s->encver);
	}
	rt->nhashed = schema_nhashed(rt->s);
	rt->vals = xcalloc(rt->nhashed + 1, sizeof *rt->vals);
	for (i = 0; i < rt->nhashed; i++)
		buf_init(&rt->vals[i], BUF_NOCAP);
	rt->vp = xcalloc(rt->nhashed + 1, sizeof *rt->vp);
	rt->vl = xcalloc(rt->nhashed + 1, sizeof *rt->vl);
	rt->re = rowenc_create(rt->rc->key, rt->rc->keylen, rt->ct->db,
	    rt->ct->name, why);
	return rt->re == NULL ? -1 : 0;
}

/*
 * A table's stored state and what keeps its interval from being read;
 * 1 when it is to be read.
 */
/* A table's stored state. */
static int
recon_stored(struct recon *rc, struct recon_table *rt, char **cause)
{
	struct baseline_entry	 e;
	int			 r;

	if ((r = baseline_table_get(rc->bl, rt->ct->db, rt->ct->name, &e,
	    cause)) != 1)
		return r;
	r = baseline_recon_get(rc->bl, e.tid, &rt->st, cause);
	baseline_entry_clear(&e);
	if (r == -1)
		return -1;
	rt->stored = r == 1 && rt->st.file[0] != '\0';
	return 0;
}

#define RECON_PARENTS_MAX	64

/* A parent of a cascading foreign key, once (its bits or'ed). */
static void
recon_parent_add(void *arg, const char *db, const char *name, int fk,
    const char *cols, size_t colslen)
{
	struct recon_table	*rt = arg;
	const char		*p;
	size_t			 j, k;

	/* The columns an update by it may change; a key's among them? */
	if (fk & (SOURCE_FK_DEL_UPDATES | SOURCE_FK_UPD_UPDATES)) {
		buf_add(&rt->cascols, cols, colslen);
		for (p = cols; p < cols + colslen; p += strlen(p) + 1)
			for (k = 0; rt->s != NULL && k < rt->s->nkey; k++)
				if (strcasecmp(rt->s->cols[rt->s->key[k]].name,
				    p) == 0)
					rt->cascadekey = 1;
	}
	for (j = 0; j < rt->nparents; j++) {
		if (strcmp(rt->parents[j].db, db) == 0 &&
		    strcmp(rt->parents[j].name, name) == 0) {
			rt->parents[j].fk |= fk;
			return;
		}
	}
	if (rt->nparents == RECON_PARENTS_MAX) {
		/* More: any delete or update may have cascaded. */
		rt->cascade = RECON_EFF_DEL | RECON_EFF_UPD;
		return;
	}
	rt->parents = xreallocarray(rt->parents, rt->nparents + 1,
	    sizeof *rt->parents);
	rt->parents[rt->nparents].db = xstrdup(db);
	rt->parents[rt->nparents].name = xstrdup(name);
	rt->parents[rt->nparents].fk = fk;
	rt->nparents++;
}

/* The table's foreign keys that cascade: their parents. */
static int
recon_parents(struct recon_table *rt, struct source *src, char **cause)
{
	return source_cascades(src, rt->ct->db, rt->ct->name,
	    recon_parent_add, rt, cause);
}

/* What keeps a table's interval from being read; 1 when it is read. */
static int
recon_prepare(struct recon *rc, struct recon_table *rt, struct source *src,
    char **cause)
{
	unsigned char		 mac[ROWENC_MAC_LEN];
	char			*why = NULL, *err = NULL;
	int			 r;

	if (source_snapshotted(src, rt->ct->db, rt->ct->name, &why,
	    cause) == -1)
		return -1;
	/*
	 * Never reconciled: said by status. Once reconciled (or with
	 * reconcile yes), an engine changed away from InnoDB is an error
	 * until a reset takes it: no silent way out of reconciliation.
	 */
	if (why != NULL && ((!rt->stored &&
	    rc->conf->reconcile != CONF_RECONCILE_YES) || !rc->compare)) {
		rt->note = why;
		return 0;
	}
	if (why != NULL) {
		recon_spoil(rt, why);
		return 0;
	}
	/* A log that does not hold the table's changes: never compared. */
	if (rc->holes_err != NULL)
		why = xstrdup(rc->holes_err);
	else
		why = source_holes_why(&rc->holes, rt->ct->db);
	if (why != NULL && ((!rt->stored &&
	    rc->conf->reconcile != CONF_RECONCILE_YES) || !rc->compare)) {
		rt->note = why;
		return 0;
	}
	if (why != NULL && !rt->stored) {
		recon_spoil(rt, why);
		return 0;
	}
	/* A reset stores the new position, whatever the old one was. */
	if (!rt->stored || !rc->compare) {
		free(why);
		return 0;
	}
	snprintf(rt->from.file, sizeof rt->from.file, "%s", rt->st.file);
	rt->from.offset = rt->st.offset;
	rt->span.from = rt->from.file;
	rt->span.fromoff = rt->from.offset;
	if (recon_mac(rc, rt->ct, &rt->st, mac, cause) == -1) {
		free(why);
		return -1;
	}
	if (why != NULL)
		;	/* once compared, a log that lost it is an error */
	else if (!util_timingsafe_eq(mac, rt->st.mac, sizeof mac))
		why = xstrdup("its stored position fails authentication");
	else if (rt->st.server_id != rc->server_id)
		why = xasprintf("its position was stored on the server of "
		    "server_id %llu, this is %llu",
		    (unsigned long long)rt->st.server_id,
		    (unsigned long long)rc->server_id);
	else if (recon_pos_cmp(&rt->from, &rc->to) > 0)
		why = xasprintf("its stored position is past the snapshot's "
		    "(the binary log was reset)");
	else if (strcmp(rt->from.file, rc->to.file) == 0 &&
	    rt->st.created != 0 && rc->created != 0 &&
	    rt->st.created != rc->created)
		why = recon_reset_msg(rt->from.file, rc->created,
		    rt->st.created);
	else if ((r = recon_describe(rt, src, &why)) == 1)
		why = xstrdup("the table could not be found when the log "
		    "was read");
	else if (r == 0 && recon_parents(rt, src, &err) == -1) {
		if (source_lost(src)) {
			*cause = err;
			return -1;
		}
		why = xasprintf("its foreign keys cannot be read: %s", err);
		free(err);
	}
	if (why != NULL) {
		recon_spoil(rt, xasprintf("%s", why));
		free(why);
		return 0;
	}
	rt->read = 1;
	return 1;
}

/*
 * The snapshot's file's creation time and whether the log can be read at
 * all (the settings, the privileges): a dump from the snapshot's
 * position, one event long.
 */
static int
recon_probe(struct recon *rc, char **why)
{
	uint32_t	 created;

	if (binlog_probe(rc->conf->defaults_file, rc->conf->group, &rc->to,
	    0, rc->stop, &created, why) == -1)
		return -1;
	rc->created = created;
	return 0;
}

/*
 * dbsyscheck -t: whether a scan could read the log (the server's
 * settings, the privileges): a dump from the log's current end.
 */
int
recon_test(const struct conf *conf, char **why)
{
	struct binlog		*b;
	struct binlog_event	 ev;
	struct binlog_pos	 end;
	char			 gtid[BINLOG_GTID_MAX + 1];
	volatile sig_atomic_t	 stop = 0;
	int			 r;

	if ((b = binlog_open(conf->defaults_file, conf->group, NULL, 0, 0,
	    why)) == NULL)
		return -1;
	r = binlog_end(b, &end, gtid, sizeof gtid, why);
	binlog_close(b);
	if (r == -1)
		return -1;
	if ((b = binlog_open(conf->defaults_file, conf->group, &end, 0, 0,
	    why)) == NULL)
		return -1;
	r = binlog_next(b, &ev, &stop, why);
	binlog_close(b);
	return r == -1 ? -1 : 0;
}

/* Off for every table: why, an error in yes mode. */
static void
recon_off(struct recon *rc, char *why)
{
	free(rc->off);
	rc->off = why;
	rc->fatal = rc->conf->reconcile == CONF_RECONCILE_YES;
}

int
recon_begin(struct recon *rc, struct source *src,
    const struct conf_table *const *tables, size_t ntables, int compare,
    char **cause)
{
	struct recon_table	*rt;
	struct binlog		*b;
	struct binlog_pos	 min;
	char			*why = NULL;
	size_t			 i, nread = 0;
	int			 r;

	rc->compare = compare;
	rc->tables = xcalloc(ntables + 1, sizeof *rc->tables);
	rc->ntables = ntables;
	for (i = 0; i < ntables; i++) {
		rc->tables[i].rc = rc;
		rc->tables[i].ct = tables[i];
		buf_init(&rc->tables[i].cascols, BUF_NOCAP);
		rc->tables[i].idx = i;
		if (recon_stored(rc, &rc->tables[i], cause) == -1)
			return -1;
	}
	if (rc->conf->reconcile == CONF_RECONCILE_NO) {
		recon_off(rc, xstrdup("reconcile no in the configuration"));
		return 0;
	}
	r = source_snapshot_pos(src, rc->to.file, sizeof rc->to.file,
	    &rc->to.offset, &rc->server_id, cause);
	if (r == -1)
		return -1;
	if (r == 0) {
		recon_off(rc, xstrdup("the server gives no binary log "
		    "position for the scan's snapshot (binlog_snapshot_file: "
		    "the binary log is off, or the server is not MariaDB)"));
		return 0;
	}
	if (source_foldcase(src, &rc->foldcase, cause) == -1)
		return -1;
	if (recon_probe(rc, &why) == -1) {
		recon_off(rc, why);
		return 0;
	}
	rc->on = 1;
	if (source_binlog_holes(src, &rc->holes, &why) == -1) {
		if (source_lost(src)) {
			*cause = why;
			return -1;
		}
		rc->holes_err = xasprintf("the server's binary log filters "
		    "cannot be read (SHOW MASTER STATUS needs BINLOG "
		    "MONITOR): %s", why);
		free(why);
		why = NULL;
	}
	memset(&min, 0, sizeof min);
	for (i = 0; i < ntables; i++) {
		rt = &rc->tables[i];
		rt->span.to = rc->to.file;
		rt->span.tooff = rc->to.offset;
		if ((r = recon_prepare(rc, rt, src, cause)) == -1)
			return -1;
		if (r == 0)
			continue;
		if (nread++ == 0 || recon_pos_cmp(&rt->from, &min) < 0)
			min = rt->from;
	}
	if (nread == 0)
		return 0;
	if (recon_scratch(rc, cause) == -1)
		return -1;
	b = binlog_open(rc->conf->defaults_file, rc->conf->group, &min, 0, 0,
	    &why);
	r = b == NULL ? 1 : recon_loop(rc, b, &why, cause);
	binlog_close(b);
	recon_maps_clear(rc);
	if (r == -1)
		return -1;
	for (i = 0; i < ntables; i++) {
		rt = &rc->tables[i];
		if (!rt->read)
			continue;
		if (r == 1)
			recon_spoil(rt, xasprintf("reading the binary log "
			    "from %s:%llu: %s", min.file,
			    (unsigned long long)min.offset, why));
	}
	free(why);
	return 0;
}

struct recon_table *
recon_table(struct recon *rc, const char *db, const char *name)
{
	size_t	 i;

	if (rc == NULL)
		return NULL;
	for (i = 0; i < rc->ntables; i++)
		if (strcmp(rc->tables[i].ct->db, db) == 0 &&
		    strcmp(rc->tables[i].ct->name, name) == 0)
			return &rc->tables[i];
	return NULL;
}

void
recon_check(struct recon_table *rt, const char *nocheck)
{
	if (rt == NULL)
		return;
	rt->check = nocheck == NULL;
	rt->nocheck = nocheck;
}

/* The scan's changes of this table are compared with the log. */
int
recon_checking(const struct recon_table *rt)
{
	return rt != NULL && rt->check && rt->read && rt->why == NULL;
}

const struct event_span *
recon_span(const struct recon_table *rt)
{
	return &rt->span;
}

int
recon_change(struct recon_table *rt, const unsigned char *key, size_t keylen,
    const unsigned char *old, const unsigned char *new,
    const char *const *names, size_t n, const char **logged, char **cause)
{
	struct recon		*rc;
	sqlite3_stmt		*st;
	const unsigned char	*before, *after;
	int			 r, found, trk;

	*logged = NULL;
	if (!recon_checking(rt))
		return 0;
	rc = rt->rc;
	st = rc->get;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)rt->idx);
	sqlite3_bind_blob(st, 2, key, (int)keylen, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		sqlite3_reset(st);
		*cause = recon_sqlerr(rc, "reading");
		return -1;
	}
	found = r == SQLITE_ROW;
	before = found ? recon_col_digest(st, 0) : NULL;
	after = found ? recon_col_digest(st, 1) : NULL;
	/*
	 * First seen after a TRUNCATE or DROP: its row events start from
	 * no row (else it was put back around the log), and the stored row
	 * is not compared with the row before them.
	 */
	trk = found ? sqlite3_column_int64(st, 3) > 0 : rt->truncated;
	if (found && (sqlite3_column_int(st, 2) != 0 ||
	    (trk && before != NULL)))
		/* A net effect that bridges a change around the log. */
		*logged = rt->text ? "text" : recon_kind(before, after);
	else
		*logged = recon_judge(found, before, after, old, new, trk,
		    rt->text);
	/* Maybe a parent's cascade, whose rows the log does not hold. */
	if (*logged != NULL && recon_cascaded(rt, old == NULL ? "insert" :
	    new == NULL ? "delete" : "update", names, n, found))
		*logged = "cascade";
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (!found)
		return 0;
	/* Judged: what is left after the scan is what it did not see. */
	sqlite3_bind_int64(rc->mark, 1, (sqlite3_int64)rt->idx);
	sqlite3_bind_blob(rc->mark, 2, key, (int)keylen, SQLITE_STATIC);
	return recon_done(rc, rc->mark, cause);
}

/*
 * After a TRUNCATE or DROP in the interval, a row the table holds must
 * have been inserted by a row event after it: 1 when the key has row
 * events (its net effect was judged by recon_change or recon_unseen), 0
 * when none: the row is there around the log.
 */
int
recon_truncated(const struct recon_table *rt)
{
	return recon_checking(rt) && rt->truncated && !rt->text &&
	    !(rt->cascade & RECON_EFF_UPD);
}

int
recon_logged(struct recon_table *rt, const unsigned char *key,
    size_t keylen, int *logged, char **cause)
{
	struct recon	*rc = rt->rc;
	sqlite3_stmt	*st = rc->get;
	int		 r;

	sqlite3_bind_int64(st, 1, (sqlite3_int64)rt->idx);
	sqlite3_bind_blob(st, 2, key, (int)keylen, SQLITE_STATIC);
	r = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		*cause = recon_sqlerr(rc, "reading");
		return -1;
	}
	*logged = r == SQLITE_ROW;
	return 0;
}

int
recon_unseen(struct recon_table *rt, recon_unseen_cb cb, void *arg,
    char **cause)
{
	struct recon		*rc;
	sqlite3_stmt		*st;
	struct buf		 key;
	const unsigned char	*before, *after;
	unsigned char		 now[ROWENC_DIGEST_LEN];
	const char		*kind;
	int			 r, verify, gap, trk;

	if (!recon_checking(rt))
		return 0;
	rc = rt->rc;
	st = rc->each;
	buf_init(&key, BUF_NOCAP);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)rt->idx);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		before = recon_col_digest(st, 1);
		after = recon_col_digest(st, 2);
		trk = sqlite3_column_int64(st, 4) > 0;
		gap = sqlite3_column_int(st, 3) != 0 ||
		    (trk && before != NULL);
		kind = recon_kind(before, after);
		if (strcmp(kind, "same") == 0 && !gap)
			continue;
		/*
		 * After a TRUNCATE or DROP, a key whose first event inserts
		 * it may have held that very row before: explained when the
		 * row now (the stored one: the scan found it unchanged) is
		 * the row after the events.
		 */
		verify = trk && !gap && before == NULL && after != NULL;
		if (verify)
			memcpy(now, after, sizeof now);
		buf_reset(&key);
		buf_add(&key, sqlite3_column_blob(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0));
		if (buf_failed(&key) || key.data == NULL) {
			r = SQLITE_NOMEM;
			break;
		}
		if (cb(arg, (unsigned char *)key.data, key.len, rt->text ?
		    "text" : recon_cascaded(rt, "none", NULL, 0, 1) ? "cascade" :
		    kind,
		    verify ? now : NULL, cause) == -1) {
			sqlite3_reset(st);
			buf_free(&key);
			return -1;
		}
	}
	sqlite3_reset(st);
	buf_free(&key);
	if (r != SQLITE_DONE) {
		*cause = recon_sqlerr(rc, "reading");
		return -1;
	}
	return 0;
}

int
recon_finish(struct recon_table *rt, int64_t tid, uint64_t untraced,
    char **msg, char **cause)
{
	struct recon		*rc;
	struct baseline_recon	 st;
	const char		*note = NULL;
	int			 loud, keep;

	*msg = NULL;
	if (rt == NULL)
		return 0;
	rc = rt->rc;
	memset(&st, 0, sizeof st);
	st.at = (int64_t)time(NULL);
	if (!rc->on) {
		/*
		 * Off: said as an error in yes mode, and once a position
		 * was stored (unless the configuration turned it off), so
		 * that taking the account's privilege away is not silent.
		 * The snapshot's position, when known, is where the next
		 * interval starts.
		 */
		keep = rt->stored && rc->conf->reconcile != CONF_RECONCILE_NO;
		loud = rc->compare && (rc->fatal || keep);
		if (loud)
			*msg = xasprintf("cannot reconcile with the binary "
			    "log: %s", rc->off);
		if ((loud || keep) && rc->to.file[0] != '\0') {
			snprintf(st.file, sizeof st.file, "%s", rc->to.file);
			st.offset = rc->to.offset;
			st.server_id = rc->server_id;
			st.created = rc->created;
		} else if (keep) {
			memcpy(st.file, rt->st.file, sizeof st.file);
			st.offset = rt->st.offset;
			st.server_id = rt->st.server_id;
			st.created = rt->st.created;
		}
		snprintf(st.note, sizeof st.note, "off: %s", rc->off);
	} else if (rt->note != NULL)
		note = rt->note;
	else {
		snprintf(st.file, sizeof st.file, "%s", rc->to.file);
		st.offset = rc->to.offset;
		st.server_id = rc->server_id;
		st.created = rc->created;
		if (rt->nocheck != NULL) {
			/* The scan compared nothing: nothing to explain. */
			note = rt->nocheck;
		} else if (recon_checking(rt)) {
			snprintf(st.from, sizeof st.from, "%s",
			    rt->from.file);
			st.from_offset = rt->from.offset;
			st.untraced = untraced;
		} else if (rt->why != NULL && rt->from.file[0] == '\0') {
			*msg = xasprintf("cannot reconcile with the binary "
			    "log: %s", rt->why);
			note = *msg;
		} else if (rt->why != NULL) {
			*msg = xasprintf("cannot reconcile with the binary "
			    "log between %s:%llu and %s:%llu: %s",
			    rt->from.file,
			    (unsigned long long)rt->from.offset, rc->to.file,
			    (unsigned long long)rc->to.offset, rt->why);
			note = *msg;
		} else if (!rt->stored)
			note = "first position stored";
		else
			note = "not compared";
	}
	if (note != NULL)
		snprintf(st.note, sizeof st.note, "%s", note);
	if (st.file[0] != '\0' && recon_mac(rc, rt->ct, &st, st.mac,
	    cause) == -1)
		return -1;
	return baseline_recon_put(rc->bl, tid, &st, cause);
}

/* MariaDB server_audit's file output: who ran a connection or a statement. */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "audit.h"
#include "util.h"
#include "xmalloc.h"

/*
 * The line, as server_audit 10.11 writes it (plugin/server_audit):
 *   YYYYMMDD HH:MM:SS,SERVERHOST,USER,HOST,CONNID,QUERYID,OP,REST
 * REST is DB,,STATUS for connection events, DB,TABLE, for table events
 * and DB,'TEXT',RETCODE for QUERY, where TEXT escapes ' \ backspace, tab,
 * newline, form feed and carriage return (\' \\ \b \t \n \f \r: the
 * plugin's esc_map) and leaves every other byte, NUL included, as it is.
 * USER, HOST and DB are not escaped at all.
 */

#define AUDIT_ROTATIONS_MAX	999	/* server_audit_file_rotations */
#define AUDIT_CHUNK		65536
/* Connection ids' buckets: a power of 2. */
#define AUDIT_HASH_SIZE		(2 * AUDIT_CONNS_MAX)
#define AUDIT_ACCT_BUCKETS	4096
#define AUDIT_REJECTS_KEPT	1024	/* times of lines left out */
/* Records a lookup may pass over in its chains. */
#define AUDIT_VISIT_MAX		(16 * AUDIT_WALK_MAX)
#define AUDIT_QBUCKETS		65536	/* a power of 2 */
/* Cut texts chain by the digest of their first AUDIT_CUTPRE bytes (one
 * chain holds those shorter). */
#define AUDIT_CUTPRE		32

/* An account, interned: QUERY records and lifetimes hold references. */
struct acct {
	struct acct	*next;
	uint32_t	 hash;
	unsigned int	 refs;
	size_t		 len;
	char		 s[];
};

/* A QUERY record: the text as a digest, never whole. */
struct aquery {
	int64_t		 t;
	uint64_t	 conn;
	struct acct	*acct;
	size_t		 len;		/* of the unescaped text */
	int		 cut;		/* the server may have cut it */
	uint32_t	 pre;		/* a cut text's first bytes, hashed */
	uint64_t	 older;		/* its chain's next, seq + 1, or 0 */
	unsigned char	 d[AUDIT_DIGEST_LEN];
};

/* One account's stretch of a connection: CONNECT or CHANGEUSER to the
 * next CHANGEUSER, DISCONNECT or CONNECT of the same id. */
struct alife {
	uint64_t	 conn;
	int64_t		 start;
	int64_t		 end;		/* INT64_MAX while open */
	struct acct	*acct;		/* NULL: not yet known (CHANGEUSER) */
	int		 conflict;	/* lines of two accounts in it */
	int32_t		 prev;		/* older lifetime of the id, or -1 */
};

struct audit {
	char		*path;
	char		*dir;		/* FILE's directory */
	char		*parent;	/* and the one above, or NULL */
	char		*base;		/* FILE's name in it */
	int		 dfd;		/* dir, open during a read */
	struct stat	 dst;		/* its status */
	long		 offset;
	size_t		 limit;

	int		 started;
	int		 fd;
	dev_t		 dev;
	ino_t		 ino;
	int		 files;
	int		 missing;	/* FILE not found at the last read */
	uint64_t	 rejected;
	int64_t		 newest;
	/*
	 * Records before floor may be in files not read (rotated away before
	 * the first read, or past the last rotation between two reads, or
	 * cut in place): the next line read (gap) raises it past its time.
	 */
	int64_t		 floor;
	int		 gap;
	long		 rotations;	/* the server's, or -1: unknown */
	int64_t		 lastt;		/* the last line taken's time */
	int64_t		 rejt[AUDIT_REJECTS_KEPT];	/* ring: lines */
	size_t		 nrejt;		/* left out, at about that time */

	char		*line;		/* the line being read */
	size_t		 linelen;
	int		 skipping;	/* in an over-long line */
	char		*ubuf;		/* unescaped text */
	char		*chunk;

	struct aquery	*q;		/* ring of AUDIT_QUERIES_MAX */
	size_t		 qhead;
	size_t		 qcount;
	/*
	 * The records read are numbered (seq; a record's ring slot is
	 * seq % AUDIT_QUERIES_MAX): chains by digest (qbuckets), of the cut
	 * texts by the digest of their first AUDIT_CUTPRE bytes (qcutb) and
	 * of the shorter cut texts (qcut) name the newest as seq + 1 and run
	 * from newer to older, so a chain ends at 0 or at a record the ring
	 * dropped.
	 */
	uint64_t	 qseq;		/* the next record's */
	uint64_t	*qbuckets;
	uint64_t	*qcutb;
	uint64_t	 qcut;
	int64_t		 horizon;	/* windows starting at or before: 0 */

	struct alife	*lives;		/* in the order read */
	size_t		 nlives;
	int32_t		*hash;		/* conn id -> newest lifetime */

	struct acct	*accts[AUDIT_ACCT_BUCKETS];
};

static const struct {
	const char	*name;
	enum audit_op	 op;
} audit_ops[] = {
	{ "CONNECT", AUDIT_CONNECT },
	{ "FAILED_CONNECT", AUDIT_FAILED_CONNECT },
	{ "DISCONNECT", AUDIT_DISCONNECT },
	{ "CHANGEUSER", AUDIT_CHANGEUSER },
	{ "QUERY", AUDIT_QUERY },
	{ "READ", AUDIT_READ },
	{ "WRITE", AUDIT_WRITE },
	{ "CREATE", AUDIT_CREATE },
	{ "DROP", AUDIT_DROP },
	{ "ALTER", AUDIT_ALTER },
	{ "RENAME", AUDIT_RENAME },
};

static int
is_digit(char c)
{
	return (c >= '0' && c <= '9');
}

/* Days from 1970-01-01 to a civil date (proleptic Gregorian). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

static int
num2(const char *p)
{
	return ((p[0] - '0') * 10 + (p[1] - '0'));
}

/* "YYYYMMDD HH:MM:SS" (17 bytes) as UTC seconds, or -1. */
static int
parse_time(const char *p, long offset, int64_t *t)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	static const char shape[] = "dddddddd dd:dd:dd";
	int		  i, y, m, d, hh, mm, ss, leap;

	for (i = 0; i < 17; i++) {
		if (shape[i] == 'd' ? !is_digit(p[i]) : p[i] != shape[i])
			return (-1);
	}
	y = num2(p) * 100 + num2(p + 2);
	m = num2(p + 4);
	d = num2(p + 6);
	hh = num2(p + 9);
	mm = num2(p + 12);
	ss = num2(p + 15);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !leap) || hh > 23 || mm > 59 || ss > 59)
		return (-1);
	*t = days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss -
	    offset;
	return (0);
}

/* Digits from p (at most 20, fitting 64 bits): the count, or 0. */
static size_t
parse_u64(const char *p, const char *end, uint64_t *v)
{
	size_t	n = 0;

	*v = 0;
	while (p + n < end && is_digit(p[n])) {
		if (n == 20 || *v > (UINT64_MAX - (p[n] - '0')) / 10)
			return (0);
		*v = *v * 10 + (uint64_t)(p[n] - '0');
		n++;
	}
	return (n);
}

/*
 * At the comma p: ",CONNID,QUERYID,OP," with OP a known word. Returns the
 * length matched, or 0.
 */
static size_t
match_ids(const char *p, const char *end, uint64_t *conn, uint64_t *query,
    enum audit_op *op)
{
	const char	*s = p;
	size_t		 n, i, w;

	if (s >= end || *s++ != ',')
		return (0);
	if ((n = parse_u64(s, end, conn)) == 0 || s + n >= end || s[n] != ',')
		return (0);
	s += n + 1;
	if ((n = parse_u64(s, end, query)) == 0 || s + n >= end || s[n] != ',')
		return (0);
	s += n + 1;
	for (w = 0; s + w < end && ((s[w] >= 'A' && s[w] <= 'Z') ||
	    s[w] == '_'); w++)
		;
	if (w == 0 || s + w >= end || s[w] != ',')
		return (0);
	for (i = 0; i < sizeof audit_ops / sizeof audit_ops[0]; i++) {
		if (strlen(audit_ops[i].name) == w &&
		    memcmp(audit_ops[i].name, s, w) == 0) {
			*op = audit_ops[i].op;
			return ((size_t)(s + w + 1 - p));
		}
	}
	return (0);
}

/* A number at the end of [p, end), maybe negative: its start, or NULL. */
static const char *
tail_code(const char *p, const char *end, long *code)
{
	const char	*s = end;
	long		 v = 0, mul = 1;

	while (s > p && is_digit(s[-1])) {
		if (end - s >= 9)
			return (NULL);
		v += (s[-1] - '0') * mul;
		mul *= 10;
		s--;
	}
	if (s == end)
		return (NULL);
	if (s > p && s[-1] == '-') {
		v = -v;
		s--;
	}
	*code = v;
	return (s);
}

/* The escaped body [p, end) reads whole: 1, else 0. */
static int
body_valid(const char *p, const char *end)
{
	while (p < end) {
		if (*p == '\\') {
			if (p + 1 >= end)
				return (0);
			switch (p[1]) {
			case '\'': case '\\': case 'b': case 't': case 'n':
			case 'f': case 'r':
				break;
			default:
				return (0);
			}
			p += 2;
		} else if (*p == '\'')
			return (0);
		else
			p++;
	}
	return (1);
}

/* The one comma in [p, end), or NULL: none, or two or more. */
static const char *
one_comma(const char *p, const char *end)
{
	const char	*k = NULL;

	for (; p < end; p++) {
		if (*p != ',')
			continue;
		if (k != NULL)
			return (NULL);
		k = p;
	}
	return (k);
}

/*
 * What the end of a line allows as the REST of each kind of op, found once
 * a line so that each candidate ",ID,ID,OP," costs O(1): the trailing
 * number, the one QUERY text start that reads whole (every ",'" before
 * the last one is cut short by the last one's bare quote), and the last
 * two commas before a TABLE line's closing comma.
 */
struct rest {
	const char	*tail;		/* the trailing number, or NULL */
	long		 code;
	const char	*text;		/* the QUERY text's opening quote */
	const char	*close;		/* its closing quote */
	const char	*last;		/* DB,TABLE, */
	const char	*prev;
};

static void
rest_scan(const char *from, const char *end, struct rest *rs)
{
	const char	*s, *j;

	memset(rs, 0, sizeof *rs);
	s = rs->tail = tail_code(from, end, &rs->code);
	if (s != NULL && s - from >= 3 && s[-1] == ',' && s[-2] == '\'') {
		for (j = s - 3; j > from; j--) {
			if (*j == '\'' && j[-1] == ',')
				break;
		}
		if (j > from && body_valid(j + 1, s - 2)) {
			rs->text = j;
			rs->close = s - 2;
		}
	}
	if (end > from && end[-1] == ',') {
		for (j = end - 2; j >= from; j--) {
			if (*j != ',')
				continue;
			if (rs->last == NULL)
				rs->last = j;
			else {
				rs->prev = j;
				break;
			}
		}
	}
}

/* 1 when a REST starting at r reads whole for op. */
static int
rest_valid(const struct rest *rs, enum audit_op op, const char *r)
{
	switch (op) {
	case AUDIT_CONNECT:
	case AUDIT_FAILED_CONNECT:
	case AUDIT_DISCONNECT:
	case AUDIT_CHANGEUSER:
		/* DB,,STATUS. */
		return (rs->tail != NULL && rs->tail - r >= 2 &&
		    rs->tail[-1] == ',' && rs->tail[-2] == ',');
	case AUDIT_QUERY:
		/* DB,'TEXT',RETCODE. */
		return (rs->text != NULL && rs->text - 1 >= r);
	default:
		/* DB,TABLE, with exactly one comma inside. */
		return (rs->last != NULL && rs->last >= r &&
		    (rs->prev == NULL || rs->prev < r));
	}
}

/*
 * ",CONNID,QUERYID,OP," may occur in DB or the text too: the line is
 * taken when exactly one such place reads as a whole line (a REST valid
 * for its op), and USER,HOST before it hold exactly one comma. A text
 * cannot give a valid QUERY REST (a quote in it is always escaped, so it
 * holds no ",'"), nor end as a TABLE or connection line does.
 */
int
audit_parse(const char *line, size_t len, long offset, struct audit_line *l)
{
	const char	*end = line + len, *p, *c1, *m = NULL, *k, *r;
	struct rest	 rs;
	uint64_t	 conn, query;
	enum audit_op	 op;
	size_t		 n, mn = 0;
	int		 count = 0;

	memset(l, 0, sizeof *l);
	if (line == NULL || len < 18 || line[17] != ',' ||
	    parse_time(line, offset, &l->t) != 0)
		return (-1);
	if ((c1 = memchr(line + 18, ',', len - 18)) == NULL)
		return (-1);
	rest_scan(c1 + 1, end, &rs);

	for (p = c1; p < end; p++) {
		if (*p != ',' || (n = match_ids(p, end, &conn, &query,
		    &op)) == 0 || !rest_valid(&rs, op, p + n))
			continue;
		if (++count > 1)
			return (-1);
		m = p;
		mn = n;
		l->conn = conn;
		l->query = query;
		l->op = op;
	}
	if (count != 1)
		return (-1);

	/* USER,HOST between: exactly one comma, or it splits two ways. */
	if ((k = one_comma(c1 + 1, m)) == NULL)
		return (-1);
	l->user = c1 + 1;
	l->userlen = (size_t)(k - (c1 + 1));
	l->host = k + 1;
	l->hostlen = (size_t)(m - (k + 1));

	r = m + mn;
	l->db = r;
	switch (l->op) {
	case AUDIT_CONNECT:
	case AUDIT_FAILED_CONNECT:
	case AUDIT_DISCONNECT:
	case AUDIT_CHANGEUSER:
		l->code = rs.code;
		l->dblen = (size_t)(rs.tail - 2 - r);
		l->obj = rs.tail - 1;
		l->objlen = 0;
		break;
	case AUDIT_QUERY:
		l->code = rs.code;
		l->dblen = (size_t)(rs.text - 1 - r);
		l->obj = rs.text;
		l->objlen = (size_t)(rs.close + 1 - rs.text);
		break;
	default:
		l->dblen = (size_t)(rs.last - r);
		l->obj = rs.last + 1;
		l->objlen = (size_t)(end - 1 - (rs.last + 1));
		break;
	}
	return (0);
}

ssize_t
audit_unescape(const char *obj, size_t objlen, char *dst)
{
	const char	*p, *end;
	size_t		 n = 0;

	if (obj == NULL || objlen < 2 || obj[0] != '\'' ||
	    obj[objlen - 1] != '\'' || objlen > SSIZE_MAX)
		return (-1);
	end = obj + objlen - 1;
	for (p = obj + 1; p < end; p++) {
		if (*p == '\'')
			return (-1);
		if (*p != '\\') {
			dst[n++] = *p;
			continue;
		}
		if (++p >= end)
			return (-1);
		switch (*p) {
		case '\'':
		case '\\':
			dst[n++] = *p;
			break;
		case 'b':
			dst[n++] = '\b';
			break;
		case 'f':
			dst[n++] = '\f';
			break;
		case 'n':
			dst[n++] = '\n';
			break;
		case 'r':
			dst[n++] = '\r';
			break;
		case 't':
			dst[n++] = '\t';
			break;
		default:
			return (-1);
		}
	}
	return ((ssize_t)n);
}

/*
 * The server escapes the text into a buffer (log_statement_ex,
 * escape_string) and stops before the first character whose escape does
 * not fit: with limit L the text is L or L - 1 escaped bytes long when cut
 * (seen on 10.11). The buffer is also bounded by the 1024-byte message
 * buffer less the line's head (off) for a short text, or by a 4 KiB
 * multiple for a long one; a text that nearly fills either may be cut too.
 */
int
audit_truncated(size_t esclen, size_t off, size_t limit)
{
	size_t	used = esclen + off;

	if (limit > 0 && esclen + 1 >= limit)
		return (1);
	if (used + 3 >= 1024 && used + 2 <= 1024)
		return (1);
	if ((used + 3) % 4096 <= 1)
		return (1);
	return (0);
}

static uint32_t
hash_bytes(const char *s, size_t len)
{
	uint32_t	h = 2166136261u;
	size_t		i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return (h);
}

/* A new reference to the account user@host. */
static struct acct *
acct_get(struct audit *a, const struct audit_line *l)
{
	struct acct	*ac;
	char		*s;
	size_t		 len;
	uint32_t	 h;

	len = l->userlen + 1 + l->hostlen;
	s = xmalloc(len + 1);
	memcpy(s, l->user, l->userlen);
	s[l->userlen] = '@';
	memcpy(s + l->userlen + 1, l->host, l->hostlen);
	s[len] = '\0';
	h = hash_bytes(s, len);
	for (ac = a->accts[h % AUDIT_ACCT_BUCKETS]; ac != NULL; ac = ac->next) {
		if (ac->hash == h && ac->len == len &&
		    memcmp(ac->s, s, len) == 0) {
			free(s);
			ac->refs++;
			return (ac);
		}
	}
	ac = xmalloc(sizeof *ac + len + 1);
	memcpy(ac->s, s, len + 1);
	free(s);
	ac->len = len;
	ac->hash = h;
	ac->refs = 1;
	ac->next = a->accts[h % AUDIT_ACCT_BUCKETS];
	a->accts[h % AUDIT_ACCT_BUCKETS] = ac;
	return (ac);
}

static struct acct *
acct_ref(struct acct *ac)
{
	if (ac != NULL)
		ac->refs++;
	return (ac);
}

static void
acct_put(struct audit *a, struct acct *ac)
{
	struct acct	**pp;

	if (ac == NULL || --ac->refs > 0)
		return;
	for (pp = &a->accts[ac->hash % AUDIT_ACCT_BUCKETS]; *pp != NULL;
	    pp = &(*pp)->next) {
		if (*pp == ac) {
			*pp = ac->next;
			break;
		}
	}
	free(ac);
}

static int
digest(const char *s, size_t len, unsigned char *out)
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	n;

	if (EVP_Digest(s, len, md, &n, EVP_sha256(), NULL) != 1 ||
	    n < AUDIT_DIGEST_LEN)
		return (-1);
	memcpy(out, md, AUDIT_DIGEST_LEN);
	return (0);
}

static size_t
hash_slot(uint64_t conn)
{
	conn ^= conn >> 33;
	conn *= 0xff51afd7ed558ccdULL;
	conn ^= conn >> 33;
	return ((size_t)conn & (AUDIT_HASH_SIZE - 1));
}

/* The hash slot of conn (holding its newest lifetime or -1). */
static int32_t *
life_slot(struct audit *a, uint64_t conn)
{
	size_t	i = hash_slot(conn);

	while (a->hash[i] != -1 && a->lives[a->hash[i]].conn != conn)
		i = (i + 1) & (AUDIT_HASH_SIZE - 1);
	return (&a->hash[i]);
}

/* Keep the lifetimes keep() says, in order; rebuild the chains. */
static void
life_compact(struct audit *a, int64_t before, size_t drop)
{
	int32_t		*map;
	size_t		 i, n = 0;
	struct alife	*lf;

	map = xreallocarray(NULL, a->nlives + 1, sizeof *map);
	for (i = 0; i < a->nlives; i++) {
		lf = &a->lives[i];
		if (i < drop || lf->end < before) {
			acct_put(a, lf->acct);
			map[i] = -1;
			continue;
		}
		map[i] = (int32_t)n;
		lf->prev = lf->prev == -1 ? -1 : map[lf->prev];
		a->lives[n++] = *lf;
	}
	a->nlives = n;
	for (i = 0; i < AUDIT_HASH_SIZE; i++)
		a->hash[i] = -1;
	for (i = 0; i < n; i++)
		*life_slot(a, a->lives[i].conn) = (int32_t)i;
	free(map);
}

/* A new lifetime of conn from t, account ac (a reference taken). */
static void
life_new(struct audit *a, uint64_t conn, int64_t t, struct acct *ac)
{
	struct alife	*lf;
	int32_t		*slot;

	if (a->nlives == AUDIT_CONNS_MAX)
		life_compact(a, INT64_MIN, AUDIT_CONNS_MAX / 2);
	slot = life_slot(a, conn);
	lf = &a->lives[a->nlives];
	lf->conn = conn;
	lf->start = t;
	lf->end = INT64_MAX;
	lf->acct = acct_ref(ac);
	lf->conflict = 0;
	lf->prev = *slot;
	*slot = (int32_t)a->nlives++;
}

/* The newest lifetime of conn when it is still open, else NULL. */
static struct alife *
life_open(struct audit *a, uint64_t conn)
{
	int32_t	i = *life_slot(a, conn);

	if (i == -1 || a->lives[i].end != INT64_MAX)
		return (NULL);
	return (&a->lives[i]);
}

/* A line of conn names account ac: learn it, or note the conflict. */
static void
life_seen(struct alife *lf, struct acct *ac, size_t acctlen)
{
	if (lf == NULL || acctlen == 1)	/* "@": no account on the line */
		return;
	if (lf->acct == NULL)
		lf->acct = acct_ref(ac);
	else if (lf->acct != ac)
		lf->conflict = 1;
}

/* The chain of a digest. */
static size_t
query_bucket(const unsigned char *d)
{
	return (((size_t)d[0] | (size_t)d[1] << 8 | (size_t)d[2] << 16) &
	    (AUDIT_QBUCKETS - 1));
}

/* The record a chain names (seq + 1), or NULL: none, or dropped. */
static struct aquery *
query_at(struct audit *a, uint64_t link)
{
	if (link == 0 || link - 1 < a->qseq - a->qcount)
		return (NULL);
	return (&a->q[(link - 1) % AUDIT_QUERIES_MAX]);
}

/* The first 4 bytes of a digest. */
static uint32_t
digest_word(const unsigned char *d)
{
	return ((uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 |
	    (uint32_t)d[3] << 24);
}

/* The chain a cut text of len bytes (pre: its first bytes' digest) is on. */
static uint64_t *
query_cutchain(struct audit *a, size_t len, const unsigned char *pre)
{
	if (len < AUDIT_CUTPRE)
		return (&a->qcut);
	return (&a->qcutb[query_bucket(pre)]);
}

/* d: the text's digest; pre: its first AUDIT_CUTPRE bytes' (cut texts). */
static void
query_add(struct audit *a, const struct audit_line *l, struct acct *ac,
    size_t len, int cut, const unsigned char *d, const unsigned char *pre)
{
	uint64_t	*chain;

	struct aquery	*q;

	if (a->qcount == AUDIT_QUERIES_MAX) {
		q = &a->q[a->qhead];
		if (q->t > a->horizon)
			a->horizon = q->t;
		acct_put(a, q->acct);
		a->qhead = (a->qhead + 1) % AUDIT_QUERIES_MAX;
		a->qcount--;
	}
	q = &a->q[(a->qhead + a->qcount) % AUDIT_QUERIES_MAX];
	q->t = l->t;
	q->conn = l->conn;
	q->acct = acct_ref(ac);
	q->len = len;
	q->cut = cut;
	memcpy(q->d, d, AUDIT_DIGEST_LEN);
	q->pre = cut && len >= AUDIT_CUTPRE ? digest_word(pre) : 0;
	chain = cut ? query_cutchain(a, len, pre) :
	    &a->qbuckets[query_bucket(d)];
	q->older = *chain;
	*chain = a->qseq + 1;
	a->qseq++;
	a->qcount++;
}

/*
 * A statement the server refused before it ran (it wrote nothing): no
 * privilege (1044, 1142, 1143), no database (1046), a syntax error (1064,
 * 1149), no such table or column (1146, 1054). Anyone may send another
 * account's text so: such records neither name nor unname anyone.
 */
static int
refused_early(long code)
{
	switch (code) {
	case 1044: case 1046: case 1054: case 1064: case 1142: case 1143:
	case 1146: case 1149:
		return (1);
	}
	return (0);
}

/* A line that records no statement: no ",QUERY," in it (a connection's
 * line, a failed login's, a table's). */
static int
conn_line(const char *line, size_t len)
{
	static const char	 q[] = ",QUERY,";
	size_t			 i;

	for (i = 0; i + sizeof q - 1 <= len; i++) {
		if (memcmp(line + i, q, sizeof q - 1) == 0)
			return (0);
	}
	return (1);
}

/* A line left out, at about the time of the last line taken. */
static void
audit_reject(struct audit *a)
{
	a->rejected++;
	a->rejt[a->nrejt++ % AUDIT_REJECTS_KEPT] = a->lastt;
}

/* One whole line of the file. */
static int
audit_line(struct audit *a, const char *line, size_t len, char **cause)
{
	struct audit_line	 l;
	struct acct		*ac;
	struct alife		*lf;
	unsigned char		 d[AUDIT_DIGEST_LEN] = { 0 };
	unsigned char		 pre[AUDIT_DIGEST_LEN] = { 0 };
	ssize_t			 n = 0;
	int			 cut;

	if (audit_parse(line, len, a->offset, &l) != 0) {
		/*
		 * Counted only when it may be a statement's record: a name
		 * with a comma in a failed login's lines (or a connection's)
		 * records no statement.
		 */
		if (!conn_line(line, len))
			audit_reject(a);
		return (0);
	}
	a->lastt = l.t;
	if (a->gap) {
		a->gap = 0;
		if (a->floor == INT64_MAX || l.t + 1 > a->floor)
			a->floor = l.t == INT64_MAX ? l.t : l.t + 1;
	}
	if (l.op == AUDIT_FAILED_CONNECT)
		return (0);
	if (l.op == AUDIT_QUERY) {
		if ((n = audit_unescape(l.obj, l.objlen, a->ubuf)) == -1) {
			audit_reject(a);
			return (0);
		}
		if (digest(a->ubuf, (size_t)n, d) != 0) {
			*cause = xstrdup("audit: SHA-256 failed");
			return (-1);
		}
	}
	if (l.t > a->newest)
		a->newest = l.t;
	ac = acct_get(a, &l);
	lf = life_open(a, l.conn);
	switch (l.op) {
	case AUDIT_CONNECT:
		if (lf != NULL)
			lf->end = l.t;
		life_new(a, l.conn, l.t, ac->len > 1 ? ac : NULL);
		break;
	case AUDIT_CHANGEUSER:
		/* The line names no account (10.11): the next line will. */
		if (lf != NULL)
			lf->end = l.t;
		life_new(a, l.conn, l.t, NULL);
		break;
	case AUDIT_DISCONNECT:
		life_seen(lf, ac, ac->len);
		if (lf != NULL)
			lf->end = l.t;
		break;
	case AUDIT_QUERY:
		life_seen(lf, ac, ac->len);
		cut = audit_truncated(l.objlen - 2, (size_t)(l.obj + 1 - line),
		    a->limit);
		if (cut && n >= AUDIT_CUTPRE &&
		    digest(a->ubuf, AUDIT_CUTPRE, pre) != 0) {
			acct_put(a, ac);
			*cause = xstrdup("audit: SHA-256 failed");
			return (-1);
		}
		if (!refused_early(l.code))
			query_add(a, &l, ac, (size_t)n, cut, d, pre);
		break;
	default:
		life_seen(lf, ac, ac->len);
		break;
	}
	acct_put(a, ac);
	return (0);
}

/* Bytes read from a file: whole lines go to audit_line. */
static int
audit_feed(struct audit *a, const char *p, size_t len, char **cause)
{
	const char	*nl;
	size_t		 n;

	while (len > 0) {
		nl = memchr(p, '\n', len);
		n = nl != NULL ? (size_t)(nl - p) : len;
		if (!a->skipping) {
			if (n > AUDIT_LINE_MAX - a->linelen) {
				a->skipping = 1;
				audit_reject(a);
				a->linelen = 0;
			} else {
				memcpy(a->line + a->linelen, p, n);
				a->linelen += n;
			}
		}
		if (nl == NULL)
			break;
		if (!a->skipping && audit_line(a, a->line, a->linelen,
		    cause) != 0)
			return (-1);
		a->skipping = 0;
		a->linelen = 0;
		p += n + 1;
		len -= n + 1;
	}
	return (0);
}

/* A partial line at the end of a file that will not grow: dropped. */
static void
audit_endfile(struct audit *a)
{
	if (a->linelen > 0 && !a->skipping)
		audit_reject(a);
	a->linelen = 0;
	a->skipping = 0;
}

/*
 * Who may write an open file or directory (fd, st): besides its mode, a
 * POSIX access ACL (setfacl) may grant write to other users or groups:
 * -1 with cause when one other than root, owner (an owner's uid or a
 * gid given) has it.
 */
static int
audit_acl(int fd, const struct stat *st, uid_t owner, gid_t group,
    const char *path, char **cause)
{
	unsigned char	 buf[8 * 128 + 4];
	const unsigned char *e;
	ssize_t		 n;
	size_t		 i;
	unsigned int	 tag, perm, mask = 07;
	uint32_t	 id;

	(void)st;
	n = fgetxattr(fd, "system.posix_acl_access", buf, sizeof buf);
	if (n == -1) {
		if (errno == ENODATA || errno == ENOTSUP)
			return (0);
		*cause = xasprintf("%s: its ACL cannot be read: %s", path,
		    strerror(errno));
		return (-1);
	}
	if (n < 4 || (n - 4) % 8 != 0) {
		*cause = xasprintf("%s: its ACL is not as expected", path);
		return (-1);
	}
	/* The mask first: it limits named users and groups. */
	for (i = 4; i + 8 <= (size_t)n; i += 8) {
		e = buf + i;
		if ((e[0] | e[1] << 8) == 0x10)
			mask = e[2] | e[3] << 8;
	}
	for (i = 4; i + 8 <= (size_t)n; i += 8) {
		e = buf + i;
		tag = e[0] | e[1] << 8;
		perm = e[2] | e[3] << 8;
		id = (uint32_t)e[4] | (uint32_t)e[5] << 8 |
		    (uint32_t)e[6] << 16 | (uint32_t)e[7] << 24;
		if (!(perm & 02) || !(mask & 02))
			continue;
		if ((tag == 0x02 && id != 0 && id != (uint32_t)owner) ||
		    (tag == 0x08 && id != 0 && id != (uint32_t)group)) {
			*cause = xasprintf("%s: its ACL lets %s %lu write it",
			    path, tag == 0x02 ? "user" : "group",
			    (unsigned long)id);
			return (-1);
		}
	}
	return (0);
}

/*
 * The directory holding FILE, opened for the files to be opened in it (so
 * that what is checked is what is read): 1 with a->dfd, 0 when it does
 * not exist, -1 with cause when others could write it (add or swap a
 * file of rotated lines) or it cannot be opened.
 */
static int
audit_opendir(struct audit *a, char **cause)
{
	if ((a->dfd = open(a->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1) {
		if (errno == ENOENT)
			return (0);
		*cause = xasprintf("%s: %s", a->dir, strerror(errno));
		return (-1);
	}
	if (fstat(a->dfd, &a->dst) == -1) {
		*cause = xasprintf("%s: %s", a->dir, strerror(errno));
		goto fail;
	}
	if (a->dst.st_mode & (S_IWOTH | S_IWGRP)) {
		*cause = xasprintf("%s: directory writable by %s (they could "
		    "plant audit files in it)", a->dir,
		    (a->dst.st_mode & S_IWOTH) ? "others" : "its group");
		goto fail;
	}
	if (audit_acl(a->dfd, &a->dst, a->dst.st_uid, 0, a->dir,
	    cause) == -1)
		goto fail;
	/*
	 * The directories above it as every file of ours: owned by root
	 * (or us), writable by their owner only, so that nobody can put
	 * another directory in its place.
	 */
	if (a->parent != NULL && util_check_path(a->parent, UTIL_DIR,
	    cause) == -1)
		goto fail;
	return (1);
fail:
	close(a->dfd);
	a->dfd = -1;
	return (-1);
}

/*
 * Whether an open audit file (fd, st; shown as path) in a->dfd's
 * directory could hold lines of someone other than its writer (root, or
 * the directory's owner): checked when it is opened and before each read
 * of it (a mode changed meanwhile), with the directory.
 */
static int
audit_safe(struct audit *a, int fd, const struct stat *st, const char *path,
    char **cause)
{
	const struct stat	*ds = &a->dst;

	if (!S_ISREG(st->st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		return (-1);
	}
	if (st->st_mode & S_IWOTH) {
		*cause = xasprintf("%s: writable by others (anyone could "
		    "forge its lines)", path);
		return (-1);
	}
	if (st->st_uid != 0 && st->st_uid != ds->st_uid) {
		*cause = xasprintf("%s: owned by uid %lu, neither root nor "
		    "its directory's owner (it could forge its lines)", path,
		    (unsigned long)st->st_uid);
		return (-1);
	}
	if (ds->st_uid != 0 && ds->st_uid != st->st_uid) {
		*cause = xasprintf("%s: its directory is owned by uid %lu, "
		    "neither root nor the file's owner", path,
		    (unsigned long)ds->st_uid);
		return (-1);
	}
	if ((st->st_mode & S_IWGRP) && st->st_gid != 0 &&
	    st->st_gid != ds->st_gid) {
		*cause = xasprintf("%s: writable by group %lu, neither root's "
		    "nor its directory's (its members could forge its lines)",
		    path, (unsigned long)st->st_gid);
		return (-1);
	}
	return (audit_acl(fd, st, st->st_uid, ds->st_gid, path, cause));
}

/*
 * Open name (in a->dfd; shown as path): 1 and *fd, 0 when it does not
 * exist, -1 with cause when it cannot be read or someone other than its
 * writer (root, or the directory's owner) could have written its lines.
 */
static int
audit_open(struct audit *a, const char *name, const char *path, int *fd,
    struct stat *st, char **cause)
{
	int			 fl;

	*fd = openat(a->dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);
	if (*fd == -1) {
		if (errno == ENOENT)
			return (0);
		*cause = xasprintf("%s: %s%s", path, strerror(errno),
		    errno == ELOOP ? " (a symbolic link: refused)" : "");
		return (-1);
	}
	if (fstat(*fd, st) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto fail;
	}
	if (audit_safe(a, *fd, st, path, cause) == -1)
		goto fail;
	if ((fl = fcntl(*fd, F_GETFL)) == -1 ||
	    fcntl(*fd, F_SETFL, fl & ~O_NONBLOCK) == -1) {
		*cause = xasprintf("%s: fcntl: %s", path, strerror(errno));
		goto fail;
	}
	return (1);
fail:
	close(*fd);
	*fd = -1;
	return (-1);
}

/* Lines may have been lost here: nothing before the next line read is
 * known to be whole. */
static void
audit_gap(struct audit *a)
{
	if (a->newest != INT64_MIN && a->newest != INT64_MAX &&
	    a->newest + 1 > a->floor)
		a->floor = a->newest + 1;
	a->gap = 1;
}

/* Read fd to its end. */
static int
audit_drain(struct audit *a, int fd, const char *path, char **cause)
{
	ssize_t	n;

	for (;;) {
		n = read(fd, a->chunk, AUDIT_CHUNK);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			return (-1);
		}
		if (n == 0)
			return (0);
		if (audit_feed(a, a->chunk, (size_t)n, cause) != 0)
			return (-1);
	}
}

/* FILE.k: its name in the directory, and as shown. */
static char *
audit_rotname(const struct audit *a, int k, char **path)
{
	*path = xasprintf("%s.%d", a->path, k);
	return (xasprintf("%s.%d", a->base, k));
}

/* FILE.k's status (not following a link): 0, or -1 when there is none. */
static int
audit_rotstat(const struct audit *a, int k, struct stat *st)
{
	char	*name, *path;
	int	 r;

	name = audit_rotname(a, k, &path);
	r = fstatat(a->dfd, name, st, AT_SYMLINK_NOFOLLOW);
	free(path);
	free(name);
	return (r);
}

/* FILE.k, read whole (when it exists). */
static int
audit_whole(struct audit *a, int k, char **cause)
{
	struct stat	 st;
	char		*name, *path;
	int		 fd, r;

	name = audit_rotname(a, k, &path);
	if ((r = audit_open(a, name, path, &fd, &st, cause)) == 1) {
		a->files++;
		r = audit_drain(a, fd, path, cause);
		close(fd);
		audit_endfile(a);
	}
	free(path);
	free(name);
	return (r);
}

/* Open FILE (when it exists) and read it. */
static int
audit_current(struct audit *a, char **cause)
{
	struct stat	st;
	int		r;

	r = audit_open(a, a->base, a->path, &a->fd, &st, cause);
	a->missing = r == 0;
	if (r <= 0)
		return (r);
	a->dev = st.st_dev;
	a->ino = st.st_ino;
	a->files++;
	return (audit_drain(a, a->fd, a->path, cause));
}

/* The open file was renamed away: its end, the newer rotated files, the
 * new FILE. */
static int
audit_rotated(struct audit *a, char **cause)
{
	struct stat	 st;
	int		 k, found = 0;

	if (audit_drain(a, a->fd, a->path, cause) != 0)
		return (-1);
	audit_endfile(a);
	close(a->fd);
	a->fd = -1;
	for (k = 1; k <= AUDIT_ROTATIONS_MAX; k++) {
		if (audit_rotstat(a, k, &st) == -1)
			break;
		if (st.st_dev == a->dev && st.st_ino == a->ino) {
			found = k;
			break;
		}
	}
	/* Not found (removed, or rotated past the last): FILE.1 at least,
	 * and what lay between may be lost. */
	if (found == 0) {
		found = 2;
		audit_gap(a);
	}
	for (k = found - 1; k >= 1; k--) {
		if (audit_rotstat(a, k, &st) == 0 && st.st_dev == a->dev &&
		    st.st_ino == a->ino)
			continue;
		if (audit_whole(a, k, cause) == -1)
			return (-1);
	}
	return (audit_current(a, cause));
}

/* audit_read with the directory open. */
static int
audit_read1(struct audit *a, int64_t since, char **cause)
{
	struct stat	 st;
	int		 k, n, skipped;
	off_t		 pos;

	if (!a->started) {
		a->started = 1;
		a->floor = INT64_MAX;
		a->gap = 1;
		for (n = 0; n < AUDIT_ROTATIONS_MAX; n++) {
			if (audit_rotstat(a, n + 1, &st) == -1)
				break;
		}
		/* Past the server's rotations: left from an older setting,
		 * never written again. */
		if (a->rotations >= 0 && n > a->rotations)
			n = (int)a->rotations;
		skipped = 0;
		for (k = n; k >= 1; k--) {
			if (audit_rotstat(a, k, &st) == 0 &&
			    st.st_mtime < since) {
				skipped = 1;
				continue;
			}
			if (audit_whole(a, k, cause) == -1)
				return (-1);
		}
		/*
		 * Fewer rotated files than the server keeps (or none kept):
		 * none was removed, and what a skipped one holds is older
		 * than since.
		 */
		if (a->rotations == 0 || (a->rotations > 0 &&
		    n < a->rotations)) {
			a->gap = 0;
			a->floor = skipped ? since : INT64_MIN;
		}
		return (audit_current(a, cause));
	}
	if (a->fd == -1)
		return (audit_current(a, cause));
	if (audit_drain(a, a->fd, a->path, cause) != 0)
		return (-1);
	if (fstatat(a->dfd, a->base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    st.st_dev == a->dev && st.st_ino == a->ino) {
		a->missing = 0;
		/* Cut short in place (copytruncate): read it anew. */
		pos = lseek(a->fd, 0, SEEK_CUR);
		if (pos != -1 && st.st_size < pos) {
			audit_endfile(a);
			audit_gap(a);
			if (lseek(a->fd, 0, SEEK_SET) == -1) {
				*cause = xasprintf("%s: %s", a->path,
				    strerror(errno));
				return (-1);
			}
			return (audit_drain(a, a->fd, a->path, cause));
		}
		return (0);
	}
	return (audit_rotated(a, cause));
}

/* The file open since an earlier read: still as safe as when opened. */
static int
audit_recheck(struct audit *a, char **cause)
{
	struct stat	 st;

	if (a->fd == -1)
		return (0);
	if (fstat(a->fd, &st) == -1) {
		*cause = xasprintf("%s: %s", a->path, strerror(errno));
		return (-1);
	}
	return (audit_safe(a, a->fd, &st, a->path, cause));
}

int
audit_read(struct audit *a, int64_t since, char **cause)
{
	int	r;

	if ((r = audit_opendir(a, cause)) == -1)
		return (-1);
	if (r == 0) {
		/* No directory: no file, and none that could be read. */
		if (!a->started) {
			a->started = 1;
			a->floor = INT64_MAX;
			a->gap = 1;
		}
		if (a->fd != -1) {
			close(a->fd);
			a->fd = -1;
			audit_gap(a);
		}
		a->missing = 1;
		return (0);
	}
	r = audit_recheck(a, cause) == -1 ? -1 : audit_read1(a, since, cause);
	close(a->dfd);
	a->dfd = -1;
	return (r);
}

struct audit *
audit_create(const char *path, long offset, size_t limit)
{
	struct audit	*a;
	const char	*slash;
	char		*cut;
	size_t		 i;

	a = xcalloc(1, sizeof *a);
	a->path = xstrdup(path);
	if ((slash = strrchr(path, '/')) == NULL) {
		a->dir = xstrdup(".");
		a->base = xstrdup(path);
	} else {
		a->dir = xstrdup(path);
		a->dir[slash == path ? 1 : slash - path] = '\0';
		a->base = xstrdup(slash + 1);
	}
	/* "/a/b/f": "/a"; "/a/f": "/"; "/f" or "f": none. */
	if (strcmp(a->dir, "/") != 0 && strcmp(a->dir, ".") != 0) {
		a->parent = xstrdup(a->dir);
		if ((cut = strrchr(a->parent, '/')) != NULL)
			cut[cut == a->parent ? 1 : 0] = '\0';
		else {
			free(a->parent);
			a->parent = NULL;
		}
	}
	a->dfd = -1;
	a->offset = offset;
	a->limit = limit;
	a->fd = -1;
	a->newest = INT64_MIN;
	a->horizon = INT64_MIN;
	a->floor = INT64_MIN;
	a->rotations = -1;
	a->lastt = INT64_MIN;
	a->line = xmalloc(AUDIT_LINE_MAX);
	a->ubuf = xmalloc(AUDIT_LINE_MAX);
	a->chunk = xmalloc(AUDIT_CHUNK);
	a->q = xreallocarray(NULL, AUDIT_QUERIES_MAX, sizeof *a->q);
	a->lives = xreallocarray(NULL, AUDIT_CONNS_MAX, sizeof *a->lives);
	a->hash = xreallocarray(NULL, AUDIT_HASH_SIZE, sizeof *a->hash);
	for (i = 0; i < AUDIT_HASH_SIZE; i++)
		a->hash[i] = -1;
	a->qbuckets = xcalloc(AUDIT_QBUCKETS, sizeof *a->qbuckets);
	a->qcutb = xcalloc(AUDIT_QBUCKETS, sizeof *a->qcutb);
	return (a);
}

void
audit_free(struct audit *a)
{
	size_t	i;

	if (a == NULL)
		return;
	if (a->fd != -1)
		close(a->fd);
	for (i = 0; i < a->qcount; i++)
		acct_put(a, a->q[(a->qhead + i) % AUDIT_QUERIES_MAX].acct);
	for (i = 0; i < a->nlives; i++)
		acct_put(a, a->lives[i].acct);
	free(a->hash);
	free(a->qbuckets);
	free(a->qcutb);
	free(a->lives);
	free(a->q);
	free(a->chunk);
	free(a->ubuf);
	free(a->line);
	free(a->base);
	free(a->dir);
	free(a->parent);
	free(a->path);
	free(a);
}

int
audit_files(const struct audit *a)
{
	return (a->files);
}

void
audit_set_rotations(struct audit *a, long rotations)
{
	a->rotations = rotations;
}

int
audit_file_missing(const struct audit *a)
{
	return (a->missing);
}

int64_t
audit_covered(const struct audit *a)
{
	if (a->floor == INT64_MAX)
		return (a->floor);
	if (a->horizon != INT64_MIN && a->horizon >= a->floor)
		return (a->horizon + 1);
	return (a->floor);
}

uint64_t
audit_rejected(const struct audit *a)
{
	return (a->rejected);
}

uint64_t
audit_rejected_since(const struct audit *a, int64_t t)
{
	size_t		 i, n;
	uint64_t	 c = 0;

	n = a->nrejt < AUDIT_REJECTS_KEPT ? a->nrejt : AUDIT_REJECTS_KEPT;
	for (i = 0; i < n; i++) {
		if (a->rejt[i] >= t)
			c++;
	}
	/* More than kept: those not kept are not known to be older. */
	if (a->nrejt > AUDIT_REJECTS_KEPT && c == n)
		c = a->rejected;
	return (c);
}

int64_t
audit_newest(const struct audit *a)
{
	return (a->newest);
}

/*
 * The one account that held conn at t: 1, 0 when no lifetime held it, -1
 * when one did but its account is not known for sure (not learnt yet,
 * lines of two accounts in it, or two lifetimes of two accounts).
 */
static int
conn_account(struct audit *a, uint64_t conn, int64_t t, struct acct **acct)
{
	struct acct	*found = NULL;
	int32_t		 i;
	struct alife	*lf;

	for (i = *life_slot(a, conn); i != -1; i = lf->prev) {
		lf = &a->lives[i];
		if (lf->start > t || lf->end < t)
			continue;
		if (lf->acct == NULL || lf->conflict ||
		    (found != NULL && found != lf->acct))
			return (-1);
		found = lf->acct;
	}
	if (found == NULL)
		return (0);
	*acct = found;
	return (1);
}

int
audit_conn(struct audit *a, uint64_t conn, int64_t t, const char **account)
{
	struct acct	*ac;
	int32_t		 i = *life_slot(a, conn);

	/*
	 * Only the newest lifetime of the id answers: the binary log's time
	 * is the session's to set (SET timestamp), so an older lifetime (a
	 * reused id, a CHANGEUSER) could be reached with a forged time.
	 */
	if (i == -1 || a->lives[i].start > t || a->lives[i].end < t)
		return (0);
	if (conn_account(a, conn, t, &ac) != 1)
		return (0);
	*account = ac->s;
	return (1);
}

/* One statement looked up: what audit_stmt's walks share. */
struct lookup {
	const char	*text;
	size_t		 len;
	int64_t		 t0;
	int64_t		 t1;
	unsigned char	 full[AUDIT_DIGEST_LEN];
	size_t		 npre;
	size_t		 prelen[AUDIT_PREFIX_MAX];
	unsigned char	 pre[AUDIT_PREFIX_MAX][AUDIT_DIGEST_LEN];
	size_t		 walked;	/* records of the text */
	size_t		 visited;	/* records of the chains */
	uint64_t	 onconn;	/* first: on it (0: any) */
	struct aquery	*first;		/* the newest in [t0, t1] */
	struct acct	*acct;		/* every record's account */
};

/* The digest of the statement's first len bytes: 0, 2 past
 * AUDIT_PREFIX_MAX lengths, -1 if SHA-256 fails. */
static int
lookup_prefix(struct lookup *lk, size_t len, const unsigned char **d)
{
	size_t	i;

	if (len == lk->len) {
		*d = lk->full;
		return (0);
	}
	for (i = 0; i < lk->npre; i++) {
		if (lk->prelen[i] == len) {
			*d = lk->pre[i];
			return (0);
		}
	}
	if (lk->npre == AUDIT_PREFIX_MAX)
		return (3);
	if (digest(lk->text, len, lk->pre[lk->npre]) != 0)
		return (-1);
	lk->prelen[lk->npre] = len;
	*d = lk->pre[lk->npre++];
	return (0);
}

/*
 * One record with the statement's text (at any time kept): 1 to go on, 2
 * when the answer cannot be one account (another account's record, or
 * one whose connection is not known to be its account's).
 */
static int
lookup_match(struct audit *a, struct lookup *lk, struct aquery *q)
{
	struct acct	*lac;
	int		 r;

	r = conn_account(a, q->conn, q->t, &lac);
	if (r == -1 || (r == 1 && lac != q->acct))
		return (2);
	if (lk->acct == NULL)
		lk->acct = q->acct;
	else if (lk->acct != q->acct)
		return (2);
	if (lk->first == NULL && q->t >= lk->t0 && q->t <= lk->t1 &&
	    (lk->onconn == 0 || q->conn == lk->onconn))
		lk->first = q;
	return (1);
}

/* Walk one chain whole: 1 to go on, 2 (see lookup_match), -1. */
static int
lookup_chain(struct audit *a, struct lookup *lk, uint64_t link, int cut,
    uint32_t preword)
{
	struct aquery		*q;
	const unsigned char	*d;
	int			 r;

	for (q = query_at(a, link); q != NULL; q = query_at(a, q->older)) {
		if (++lk->visited > AUDIT_VISIT_MAX)
			return (3);
		if (!cut) {
			if (q->len != lk->len ||
			    memcmp(q->d, lk->full, AUDIT_DIGEST_LEN) != 0)
				continue;
		} else {
			if (q->len > lk->len ||
			    (q->len >= AUDIT_CUTPRE && q->pre != preword))
				continue;
			if ((r = lookup_prefix(lk, q->len, &d)) != 0)
				return (r);
			if (memcmp(q->d, d, AUDIT_DIGEST_LEN) != 0)
				continue;
		}
		/* Records of the text only count toward the limit. */
		if (++lk->walked > AUDIT_WALK_MAX)
			return (3);
		if (lookup_match(a, lk, q) == 2)
			return (2);
	}
	return (1);
}

static int
stmt_lookup(struct audit *a, const char *text, size_t len, int64_t t0,
    int64_t t1, uint64_t onconn, uint64_t *conn, const char **account)
{
	struct lookup	*lk;
	unsigned char	 pre[AUDIT_DIGEST_LEN];
	uint32_t	 preword = 0;
	int		 r = -1;

	if (t0 <= a->horizon || t0 > t1)
		return (0);
	lk = xcalloc(1, sizeof *lk);
	lk->onconn = onconn;
	lk->text = text;
	lk->len = len;
	lk->t0 = t0;
	lk->t1 = t1;
	if (digest(text, len, lk->full) != 0)
		goto out;
	if (len >= AUDIT_CUTPRE) {
		if (digest(text, AUDIT_CUTPRE, pre) != 0)
			goto out;
		preword = digest_word(pre);
	}
	/*
	 * Every record kept with the text (the digest's chain) or with a cut
	 * text that begins it (the chain of cut texts with its first bytes,
	 * and that of the shorter ones), whatever its time: a replay of
	 * another account's text dated back into the window must not name
	 * that account, so any other account's record makes the answer 2.
	 * Accounts decide, not connections: a pool's connections are one.
	 */
	if ((r = lookup_chain(a, lk, a->qbuckets[query_bucket(lk->full)], 0,
	    0)) != 1)
		goto out;
	if (len >= AUDIT_CUTPRE && (r = lookup_chain(a, lk,
	    a->qcutb[query_bucket(pre)], 1, preword)) != 1)
		goto out;
	if ((r = lookup_chain(a, lk, a->qcut, 1, 0)) != 1)
		goto out;
	r = 0;
	if (lk->first != NULL) {
		*conn = lk->first->conn;
		*account = lk->first->acct->s;
		r = 1;
	}
out:
	free(lk);
	return (r);
}

int
audit_stmt(struct audit *a, const char *text, size_t len, int64_t t0,
    int64_t t1, uint64_t *conn, const char **account)
{
	return (stmt_lookup(a, text, len, t0, t1, 0, conn, account));
}

int
audit_stmt_on(struct audit *a, const char *text, size_t len, int64_t t0,
    int64_t t1, uint64_t conn, const char **account)
{
	uint64_t	 c;

	if (conn == 0)
		return (0);
	return (stmt_lookup(a, text, len, t0, t1, conn, &c, account));
}

void
audit_prune(struct audit *a, int64_t t)
{
	struct aquery	*q;

	while (a->qcount > 0) {
		q = &a->q[a->qhead];
		if (q->t >= t)
			break;
		acct_put(a, q->acct);
		a->qhead = (a->qhead + 1) % AUDIT_QUERIES_MAX;
		a->qcount--;
	}
	if (t != INT64_MIN && t - 1 > a->horizon)
		a->horizon = t - 1;
	life_compact(a, t, 0);
}

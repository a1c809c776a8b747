/*
 * The hostile inputs of tests/data/events.golden, shared by test_event.c
 * and the generator the golden file was first made with (the record
 * builders of scan.c, main.c and report.c before event.c existed).
 */
#ifndef EVENT_CASES_H
#define EVENT_CASES_H

/* Names that need escaping: '.', newline, '%', ';', '=', space. */
#define EV_DB		"ac.me\n%db"
#define EV_NAME		"t;b=1 x"
#define EV_KEYB		"x\n;y=%\377 z\"`|"
#define EV_LONGKEY_LEN	2000
#define EV_SHORTMSG	"cannot connect: Access denied for 'scan'@'h'"
#define EV_CHANGED_NAMES { "na me", "c;2", "d=%", "\303\251t\303\251" }

/* ac.me\n%db.t;b=1 x: a INT key 1, note, "k;=\n ey" BYTES key 2. */
static struct schema *
ev_schema(void)
{
	struct schema	*s;
	struct column	*c;

	s = schema_create(EV_DB, EV_NAME);
	c = schema_add_column(s, "a", "bigint(20)", NULL, NULL, 0, "bigint");
	c->keypos = 1;
	schema_add_column(s, "note", "text", "utf8mb4", "utf8mb4_bin", 1,
	    "text");
	c = schema_add_column(s, "k;=\n ey", "varbinary(3072)", NULL, NULL, 0,
	    "varbinary");
	c->keypos = 2;
	s->key = xcalloc(2, sizeof *s->key);
	s->key[0] = 0;
	s->key[1] = 2;
	s->nkey = 2;
	return s;
}

/* Append the key (a, k) to b. */
static void
ev_key(struct buf *b, const char *a, const char *k, size_t klen)
{
	char	*cause = NULL;

	if (rowenc_key(b, KEYCLASS_INT, a, strlen(a), &cause) == -1 ||
	    rowenc_key(b, KEYCLASS_BYTES, k, klen, &cause) == -1)
		abort();
}

/* EV_LONGKEY_LEN bytes 0x00..0xff repeated: cut at RECORD_PK_VALUE_MAX. */
static char *
ev_longkey(void)
{
	char	*p;
	size_t	 i;

	p = xmalloc(EV_LONGKEY_LEN);
	for (i = 0; i < EV_LONGKEY_LEN; i++)
		p[i] = (char)(i & 0xff);
	return p;
}

/* A message of 700 bytes with every kind of byte: cut at RECORD_MSG_MAX. */
static char *
ev_msg(void)
{
	char	*p;
	size_t	 i;

	p = xmalloc(701);
	for (i = 0; i < 700; i++)
		p[i] = (char)(1 + (i * 7) % 255);
	p[700] = '\0';
	memcpy(p, "op=x ; a=b\n", 11);
	return p;
}

/* An account of 300 bytes with spaces and quotes: cut at RECORD_BY_MAX. */
static char *
ev_by(void)
{
	char	*p;
	size_t	 i;

	p = xmalloc(301);
	for (i = 0; i < 300; i++)
		p[i] = "r o'o\"t@%;="[i % 11];
	p[300] = '\0';
	return p;
}

/* Change fields longer than RECORD_SCHEMA_MAX: fitted by record_fit. */
static void
ev_why(struct buf *b)
{
	size_t	 i;

	buf_adds(b, " added=");
	for (i = 0; i < 400; i++)
		buf_adds(b, i == 0 ? "c%3Bol" : ",c%3Bol");
	buf_adds(b, " dropped=x");
	buf_adds(b, " retyped=");
	for (i = 0; i < 300; i++)
		buf_adds(b, i == 0 ? "long_name" : ",long_name");
}

#endif

#!/bin/sh
# The OSSEC samples (ossec/samples/*.txt), made from real output: the
# scanner runs the classic example and every other record it can be made
# to write cheaply (baseline, insert, update, delete, a truncated report,
# reset, table and run errors, missing, schema changes including emptied=
# and baseline=tampered, privilege-table rows), in text with a --log file
# and in JSON with a JSON --log file; the trigger UDF, loaded into the
# server from the build, writes row, error and forged records to its
# trigger log, with and without timestamps. The output becomes the events
# OSSEC analyses (command: one per line; full_command: one per run, glued;
# the log file; the trigger log, read by an agent; the server's own lines
# in the error log; Wazuh: the JSON lines), each with the rule id
# that docs/OSSEC.md's rule table gives it, and the real OSSEC HIDS 4.2.0
# (ossec-logtest, and analysisd fed from each event's location:
# tests/ossec/ossec_real.py) and the model tests/ossec/check_rules.py
# must agree on every one (Wazuh: the model only). Every op seen must be
# in docs/OSSEC.md.
#
# The samples go to the work dir; with DBSC_UPDATE_SAMPLES=1 also to
# ossec/samples/ in the source tree (one event per kind). Without it the
# committed samples must cover the same kinds of event as the fresh ones.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/udf_lib.sh"
. "$top_srcdir/tests/ossec/ossec-env"

check=$top_srcdir/tests/ossec/check_rules.py
docs=$top_srcdir/docs/OSSEC.md
command -v python3 >/dev/null 2>&1 || fail "python3 not found"
command -v sqlite3 >/dev/null 2>&1 || fail "sqlite3 not found"

mkdir "$W/raw" "$W/all" "$W/samples"
nrun=0

# run [dbsyscheck args...]: one run for the text configuration (standard
# output kept for the command and full_command events, the log file
# $W/text.log) and one for the JSON configuration (standard output and
# $W/json.log); both watch the same tables with their own baselines.
run()
{
	nrun=$((nrun + 1))
	dbsc --deliver --log "$W/text.log" "$@"
	cp "$W/out" "$W/raw/$nrun.out"
	text_rc=$rc
	dbsc --deliver -c "$W/json.conf" --format json --log "$W/json.log" "$@"
	cp "$W/out" "$W/raw/$nrun.json"
	[ "$rc" = "$text_rc" ] ||
	    fail "text and JSON runs exited $text_rc and $rc"
	cp "$W/raw/$nrun.out" "$W/out"
}

# saw TEXT: the text run printed a line holding TEXT (fixed text).
saw()
{
	grep -F -q -e "$1" "$W/raw/$nrun.out" ||
	    fail "the run printed no '$1'"
}

# --- A server with the UDF library, watched tables, two configurations.
# Its local hour has one digit now; after the restart below, two: the
# server's own lines are taken in both forms (MariaDB pads the hour of its
# error-log time with a space).
db_tz=$(tz_hour 4)
# A row-based binary log for the follower's records.
udf_server_args="--log-bin=$W/binlog --binlog-format=ROW --server-id=1"
udf_server_args="$udf_server_args --binlog-row-image=FULL"
udf_server_args="$udf_server_args --binlog-row-metadata=FULL"
udf_start "acme.users mask=password" "acme.orders" "acme.alt" "acme.keyed" \
    "acme.big" "acme.strkey" "acme.nokey" "mysql.global_priv" "acme.rec" \
    "acme.rec_items"
echo "follow-server-id 4242" >>"$W/dbsyscheck.conf"
sed -e "s|^baseline .*|baseline $W/json.db|" -e "s|^key .*|key $W/json.key|" \
    "$W/dbsyscheck.conf" >"$W/json.conf"
# Configurations whose option file names a socket nobody listens on.
sed "s|^socket=.*|socket=$W/nosock|" "$W/my.cnf" >"$W/bad.cnf"
for c in dbsyscheck json; do
	sed "s|^mysql-defaults-file .*|mysql-defaults-file $W/bad.cnf|" \
	    "$W/$c.conf" >"$W/$c.bad.conf"
done
chmod 0600 "$W/json.conf" "$W/bad.cnf" "$W/dbsyscheck.bad.conf" \
    "$W/json.bad.conf"

sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (
	id INT PRIMARY KEY AUTO_INCREMENT,
	login VARCHAR(20) NOT NULL,
	password VARCHAR(60) NOT NULL)"
sql_db acme "INSERT INTO users VALUES (1, 'alice', 'a1'), (2, 'bob', 'b1')"
sql_db acme "CREATE TABLE orders (id INT PRIMARY KEY, total INT NOT NULL)"
sql_db acme "INSERT INTO orders VALUES (1, 10)"
sql_db acme "CREATE TABLE alt (id INT PRIMARY KEY, v INT NOT NULL)"
sql_db acme "INSERT INTO alt VALUES (1, 1), (2, 2)"
sql_db acme "CREATE TABLE keyed (id INT NOT NULL, k INT NOT NULL,
	PRIMARY KEY (id))"
sql_db acme "INSERT INTO keyed VALUES (1, 1), (2, 2), (3, 3), (4, 4), (5, 5)"
sql_db acme "CREATE TABLE big (id INT PRIMARY KEY, v INT NOT NULL)"
sql_db acme "INSERT INTO big SELECT seq, seq FROM seq_1_to_150"
sql_db acme "CREATE TABLE strkey (k VARCHAR(80) PRIMARY KEY, v INT NOT NULL)"
sql_db acme "CREATE TABLE nokey (a INT, b INT)"
sql_db acme "INSERT INTO nokey VALUES (1, 1)"
sql_db acme "CREATE TABLE rec (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB"
sql_db acme "INSERT INTO rec SELECT seq, seq FROM seq_1_to_9"
# A parent that is not watched, a watched child its deletes cascade to.
sql_db acme "CREATE TABLE rec_orders (id INT PRIMARY KEY) ENGINE=InnoDB"
sql_db acme "INSERT INTO rec_orders VALUES (1), (2)"
sql_db acme "CREATE TABLE rec_items (id INT PRIMARY KEY, order_id INT NOT NULL,
	FOREIGN KEY (order_id) REFERENCES rec_orders (id) ON DELETE CASCADE)
	ENGINE=InnoDB"
sql_db acme "INSERT INTO rec_items VALUES (1, 1), (2, 2)"
# take_lines DIGITS PATTERN: append a few of the running server's own
# lines to $W/server.lines (no rule of ours may take them); their hour
# must have DIGITS digits (PATTERN, after the date).
: >"$W/server.lines"
take_lines()
{
	server_lines "$W/err.log" | grep -v -i dbsyscheck | head -n 3 \
	    >"$W/server.new"
	echo "server (TZ=$db_tz), its own lines:"
	sed 's/^/  err| /' "$W/server.new"
	grep -E -q "^[0-9-]{10} $2:" "$W/server.new" ||
	    fail "no server lines with a $1-digit hour in $W/err.log"
	cat "$W/server.new" >>"$W/server.lines"
}
take_lines one ' [0-9]'

tables="acme.users acme.orders acme.alt acme.keyed acme.big acme.strkey
    mysql.global_priv"

# --- The scanner.
# shellcheck disable=SC2086
run scan $tables
expect_rc 1
saw "op=baseline table=acme.users rows=2 "

# The classic example.
sql_db acme "INSERT INTO users VALUES (7, 'xavier', 'x1')"
run scan acme.users
expect_rc 1
saw "op=insert table=acme.users pk=id=7 "
sql_db acme "UPDATE users SET password = 'x2' WHERE id = 7"
run scan acme.users
expect_rc 1
saw "op=update table=acme.users pk=id=7 changed=password "
sql_db acme "DELETE FROM users WHERE id = 7"
run scan acme.users
expect_rc 1
saw "op=delete table=acme.users pk=id=7 "

# An update of another column; several records in one run.
sql_db acme "UPDATE users SET login = 'alicia' WHERE id = 1"
run scan acme.users
expect_rc 1
saw "changed=login "
sql_db acme "INSERT INTO users VALUES (8, 'yves', 'y1'), (9, 'zoe', 'z1')"
sql_db acme "DELETE FROM users WHERE id = 2"
run scan acme.users
expect_rc 1
saw "op=delete table=acme.users pk=id=2 "

# A key that looks like a record: it arrives percent-encoded.
sql_db acme "INSERT INTO strkey VALUES (CONCAT('a b;', CHAR(10),
	'dbsyscheck: op=delete table=acme.users pk=id=1 changed=- src=scan ;'), 1)"
run scan acme.strkey
expect_rc 1
saw "op=insert table=acme.strkey pk=k=a%20b%3B%0Adbsyscheck:%20op%3Ddelete"

# More than fits: a truncated report (pending=), then report runs.
sql_db acme "INSERT INTO users SELECT seq, CONCAT('u', seq), 'p'
	FROM seq_100_to_219"
run scan acme.users
expect_rc 1
grep -q ' pending=[1-9]' "$W/out" || fail "the report was not truncated"
# (JSON lines are longer: that queue may take a run more to drain.)
n=0
while :; do
	nrun=$((nrun + 1))
	dbsc --deliver --log "$W/text.log" report
	cp "$W/out" "$W/raw/$nrun.out"
	text_rc=$rc
	dbsc --deliver -c "$W/json.conf" --format json --log "$W/json.log" report
	cp "$W/out" "$W/raw/$nrun.json"
	[ "$text_rc" != 0 ] || [ "$rc" != 0 ] || break
	n=$((n + 1))
	[ "$n" -lt 5 ] || fail "the queue does not drain"
done

# reset.
run reset acme.users
expect_rc 0
saw "op=reset table=acme.users "

# A table that cannot be scanned; a run that cannot start (queued), and
# one that fails before it can queue anything (written directly).
run scan acme.nokey
expect_rc 2
saw "op=error table=acme.nokey "
nrun=$((nrun + 1))
dbsc --deliver -c "$W/dbsyscheck.bad.conf" --log "$W/text.log" scan acme.users
expect_rc 2
cp "$W/out" "$W/raw/$nrun.out"
dbsc --deliver -c "$W/json.bad.conf" --format json --log "$W/json.log" scan acme.users
expect_rc 2
cp "$W/out" "$W/raw/$nrun.json"
saw "op=error msg="
run scan acme.nope
expect_rc 2
saw "op=error msg="

# A table gone; columns added; the key changed; a table emptied.
sql_db acme "DROP TABLE orders"
run scan acme.orders
expect_rc 1
saw "op=missing table=acme.orders rows=1 "
sql_db acme "ALTER TABLE alt ADD COLUMN note VARCHAR(10) NULL"
sql_db acme "INSERT INTO alt VALUES (3, 3, 'n')"
run scan acme.alt
expect_rc 1
saw "op=schema table=acme.alt added=note "
sql_db acme "ALTER TABLE keyed DROP PRIMARY KEY, ADD PRIMARY KEY (id, k)"
run scan acme.keyed
expect_rc 1
saw " key=changed "
sql_db acme "TRUNCATE TABLE big"
run scan acme.big
expect_rc 1
saw "op=schema table=acme.big emptied=150 "

# The baseline's table entry altered behind dbsyscheck's back.
for b in baseline json; do
	sqlite3 "$W/$b.db" "UPDATE tables SET fingerprint = zeroblob(32)
	    WHERE name = CAST('alt' AS BLOB)" || fail "sqlite3 on $b.db"
done
run scan acme.alt
expect_rc 1
saw " baseline=tampered "

# Accounts: rows of mysql.global_priv.
sql "CREATE USER 'app'@'localhost' IDENTIFIED BY 'pw'"
sql "GRANT SELECT, INSERT, UPDATE, DELETE ON acme.users TO 'app'@'localhost'"
sql "CREATE USER 'eve'@'localhost' IDENTIFIED BY 'pw'"
sql "GRANT SELECT ON acme.users TO 'eve'@'localhost'"
run scan mysql.global_priv
expect_rc 1
saw "op=insert table=mysql.global_priv "

# --- The binary-log follower (docs/BINLOG.md): op=start on its first run;
# row records with src=binlog and op=commit; op=ddl (TRUNCATE, ALTER); an
# op=error with src=binlog (binlog_row_image not FULL).
run follow
expect_rc 1
saw "op=start pos="
sql_db acme "INSERT INTO users VALUES (907, 'walter', 'w1')"
sql_db acme "UPDATE users SET password = 'w2' WHERE id = 907"
sql_db acme "DELETE FROM users WHERE id = 907"
run follow
expect_rc 1
saw "op=commit rows=1 "
saw "op=delete table=acme.users pk=id=907 changed=- src=binlog "
sql_db acme "TRUNCATE TABLE big"
sql_db acme "ALTER TABLE alt ADD COLUMN note2 VARCHAR(10) NULL"
run follow
expect_rc 1
saw "op=ddl table=acme.big stmt=truncate "
saw "op=ddl table=acme.alt stmt=alter "
sql "SET GLOBAL binlog_row_image=MINIMAL"
run follow
expect_rc 2
saw "op=error msg=binlog_row_image"
sql "SET GLOBAL binlog_row_image=FULL"

# --- A scan's reconciliation with the binary log (reconcile auto, the
# default: the server writes a row-based log): op=untraced for changes
# the log's row events do not explain, in every change=/logged= pair;
# logged=text for a statement logged as text; the scan's table error
# when the interval cannot be reconciled (a RENAME of the table in it).
# acme.rec is on InnoDB and no other step touches it.
run scan acme.rec
expect_rc 1
saw "op=baseline table=acme.rec rows=9 "
# unlogged SQL: run SQL in a session that does not write the binary log.
unlogged()
{
	sql_db acme "SET SESSION sql_log_bin=0; $1"
}
unlogged "UPDATE rec SET v = 10 WHERE id = 1"
unlogged "INSERT INTO rec VALUES (10, 10)"
unlogged "DELETE FROM rec WHERE id = 2"
sql_db acme "UPDATE rec SET v = 30 WHERE id = 3"
unlogged "UPDATE rec SET v = 3 WHERE id = 3"
sql_db acme "UPDATE rec SET v = 40 WHERE id = 4"
unlogged "UPDATE rec SET v = 41 WHERE id = 4"
sql_db acme "UPDATE rec SET v = 50 WHERE id = 5"
sql_db acme "UPDATE rec SET v = 5 WHERE id = 5"
unlogged "UPDATE rec SET v = 51 WHERE id = 5"
sql_db acme "INSERT INTO rec VALUES (11, 11)"
unlogged "DELETE FROM rec WHERE id = 11"
sql_db acme "DELETE FROM rec WHERE id = 6"
unlogged "INSERT INTO rec VALUES (6, 6)"
run scan acme.rec
expect_rc 1
saw "op=untraced table=acme.rec pk=id=1 change=update logged=none "
saw "op=untraced table=acme.rec pk=id=10 change=insert logged=none "
saw "op=untraced table=acme.rec pk=id=2 change=delete logged=none "
saw "op=untraced table=acme.rec pk=id=3 change=none logged=update "
saw "op=untraced table=acme.rec pk=id=4 change=update logged=update "
saw "op=untraced table=acme.rec pk=id=5 change=update logged=same "
saw "op=untraced table=acme.rec pk=id=11 change=none logged=insert "
saw "op=untraced table=acme.rec pk=id=6 change=none logged=delete "
saw " from=binlog.0"
sql_db acme "SET SESSION binlog_format=STATEMENT; UPDATE rec SET v = 70 WHERE id = 7"
run scan acme.rec
expect_rc 1
saw "op=untraced table=acme.rec pk=id=7 change=update logged=text "
sql_db acme "RENAME TABLE rec TO rec_away, rec_away TO rec"
sql_db acme "UPDATE rec SET v = 80 WHERE id = 8"
run scan acme.rec
expect_rc 2
saw "op=error table=acme.rec msg=cannot%20reconcile"
# logged=cascade: a logged delete of a parent row, whose cascade to the
# watched child the log does not hold.
run scan acme.rec_items
expect_rc 1
saw "op=baseline table=acme.rec_items rows=2 "
sql_db acme "DELETE FROM rec_orders WHERE id = 1"
run scan acme.rec_items
expect_rc 1
saw "op=untraced table=acme.rec_items pk=id=1 change=delete logged=cascade "

# --- The triggers: records in the trigger log.
udf_new >/dev/null
udf_triggers acme.users
# as ACCOUNT "SQL": run SQL as app or eve (password pw).
as()
{
	mariadb --no-defaults --socket="$W/sock" -u"$1" -ppw acme \
	    --batch --skip-column-names -e "$2" || fail "$1: $2"
}
tok=$(cut -c1-64 "$W/trigger.token")

# trigger_records: insert, update and delete of id 7 by root, an update by
# app, a malformed call holding the token, forged calls (one, then a flood
# the rate limit cuts, one more that says how many were cut, and another
# flood, reported when the library is unloaded).
trigger_records()
{
	sql_db acme "INSERT INTO users VALUES (7, 'xavier', 'x1')"
	sql_db acme "UPDATE users SET password = 'x2' WHERE id = 7"
	sql_db acme "DELETE FROM users WHERE id = 7"
	as app "UPDATE users SET login = CONCAT(login, 'y') WHERE id = 8"
	sql "SELECT dbsyscheck_log('$tok', 'vacuum', 'acme', 'users',
	    'root@localhost', 1, 'id', 7)" >/dev/null
	as eve "SELECT dbsyscheck_log('', 'delete', 'acme', 'users',
	    'eve@localhost', 1, 'id', 1)" >/dev/null
	i=0
	while [ "$i" -lt 40 ]; do
		echo "SELECT dbsyscheck_log('bad', 'delete', 'acme', 'users',
		    'eve@localhost', 1, 'id', $i);"
		i=$((i + 1))
	done >"$W/flood.sql"
	as eve "source $W/flood.sql" >/dev/null
	sleep 0.3
	as eve "SELECT dbsyscheck_log(NULL, 'update', 'acme', 'users',
	    'eve@localhost', 1, 'id', 1)" >/dev/null
	as eve "source $W/flood.sql" >/dev/null
}
trigger_records

# The scanner sees the triggers (and app's update).
run scan acme.users
expect_rc 1
saw " watch_added=trigger:"

# Stop the server (the library reports the cut records as it unloads) and
# start it again with timestamps on the UDF's lines.
db_stop
udf_new >"$W/triggerlog.1"
DBSYSCHECK_UDF_TIMESTAMP=1
export DBSYSCHECK_UDF_TIMESTAMP
db_tz=$(tz_hour 14)
db_start --plugin-dir="$udf_plugindir"
udf_seen=$(udf_lines)
trigger_records
db_stop
udf_new >"$W/triggerlog.2"
take_lines two '[0-9]{2}'
for f in triggerlog.1 triggerlog.2; do
	for want in "op=insert table=acme.users pk=id=7 " \
	    "op=update table=acme.users pk=id=7 changed=password " \
	    "op=delete table=acme.users pk=id=7 " \
	    "by=app@localhost" "op=error table=acme.users " \
	    "op=forged table=acme.users " " suppressed=" \
	    "op=forged src=trigger suppressed="; do
		grep -F -q -e "$want" "$W/$f" || fail "$f: no '$want'"
	done
done
grep -v -q '^dbsyscheck: ' "$W/triggerlog.1" && fail "lines with a time"
grep -q '^dbsyscheck: ' "$W/triggerlog.2" && fail "lines without a time"
grep -q 'op=' "$W/err.log" && fail "a record in the error log"

# --- Events, each with the rule docs/OSSEC.md gives it.
cat >"$W/expect.py" <<'EOF'
"""Read events (one a line) and print RULE, SIG, OPS and the event,
tab-separated. RULE is the rule docs/OSSEC.md's table gives the event
(levels from the table; the most severe record of an event decides,
equal levels going to the lower id, as in local_rules.xml); SIG says what
kind of event it is (the rule, the shape before the first record, each
record's op and field names, "%" after those whose value is encoded); OPS
the ops it holds."""
import json, re, sys

docs, mode = sys.argv[1], sys.argv[2]
levels = {}
for line in open(docs, encoding="utf-8"):
    m = re.match(r"\|\s*(1003\d\d)\s*\|\s*(\d+)\s*\|", line)
    if m:
        levels[int(m.group(1))] = int(m.group(2))
REC = re.compile(r"(?:dbsyscheck: |dbsyscheck\[\d+\]: )(op=[^ ;]+(?: [^ ;]+)* ;)")
CRED = re.compile(r"pass|pwd|secret", re.I)
PRIV = ("mysql.global_priv", "mysql.user", "mysql.db", "mysql.tables_priv",
        "mysql.roles_mapping")
ROW = {"insert": 100311, "update": 100312, "delete": 100313}
# op=untraced: the logged= values that mean a row changed outside the
# binary log (100337, JSON 100364); cascade (a foreign-key parent changed
# in the interval) is 100326 (100367); any other (text) is 100338
# (100365), but in text an unknown value of cascade's length only 100398.
UNTRACED = ("none", "insert", "update", "delete", "same")
# A scan's table error whose message begins so: an interval that cannot
# be reconciled with the binary log (100339, JSON 100366).
RECON = "cannot%20reconcile%20with%20the%20binary%20log"
JROW = {"insert": 100341, "update": 100342, "delete": 100343}
SIMPLE = {"baseline": 100310, "missing": 100317, "schema": 100318,
          "reset": 100321, "forged": 100322}
SHAPES = (("command",
           r"ossec: output: 'dbsyscheck-[0-9a-f]{16}': dbsyscheck: op="),
          ("full_command",
           r"ossec: output: 'dbsyscheck-[0-9a-f]{16}':dbsyscheck: op="),
          ("log", r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 \S+ "
                  r"dbsyscheck\[\d+\]: op="),
          ("triggerlog_time",
           r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ dbsyscheck: op="),
          ("triggerlog", r"dbsyscheck: op="))
JSIMPLE = {"baseline": 100340, "missing": 100347, "schema": 100348,
           "reset": 100351, "forged": 100352}


def text_rules(f):
    op, c = f["op"], []
    if op == "summary":
        if f.get("pending", "0") != "0":
            c.append(100314)
    elif op in ROW:
        c.append(ROW[op])
    elif op == "error":
        c.append(100315 if "table" in f else 100316)
        if f.get("src") == "binlog":
            c.append(100336)
        if ("table" in f and f.get("src") == "scan" and
                f.get("msg", "").startswith(RECON)):
            c.append(100339)
    elif op == "commit":
        pass
    elif op == "untraced":
        lg = f.get("logged", "")
        if lg in UNTRACED:
            c.append(100337)
        elif lg == "cascade":
            c.append(100326)
        elif len(lg) != 7:
            c.append(100338)
        else:
            c.append(100398)
    elif op == "start":
        c.append(100333)
    elif op == "ddl":
        c.append(100334)
        if f.get("stmt") in ("truncate", "drop"):
            c.append(100335)
    elif op in SIMPLE:
        c.append(SIMPLE[op])
    else:
        c.append(100398)
    if CRED.search(f.get("changed", "-")):
        c.append(100330)
    if op in ROW and f.get("table") in PRIV:
        c.append(100331)
    if f.get("rows") == "uncompared":
        c.append(100319)
    if f.get("baseline") == "tampered":
        c.append(100320)
    return c


def json_rules(f):
    op, c = f.get("op"), []
    if op == "summary":
        c.append(100344 if f.get("pending", "0") != "0" else 100358)
    elif op in JROW:
        c.append(JROW[op])
    elif op == "error":
        c.append(100346 if "table" in f else 100345)
        if f.get("src") == "binlog":
            c.append(100363)
        if ("table" in f and f.get("src") == "scan" and
                f.get("msg", "").startswith(RECON)):
            c.append(100366)
    elif op == "commit":
        c.append(100359)
    elif op == "untraced":
        lg = f.get("logged", "")
        c.append(100364 if lg in UNTRACED else
                 100367 if lg == "cascade" else 100365)
    elif op == "start":
        c.append(100360)
    elif op == "ddl":
        c.append(100361)
        if f.get("stmt") in ("truncate", "drop"):
            c.append(100362)
    elif op in JSIMPLE:
        c.append(JSIMPLE[op])
    else:
        c.append(100357)
    if op == "update" and CRED.search(f.get("changed", "-")):
        c.append(100353)
    if op in JROW and f.get("table") in PRIV:
        c.append(100354)
    if op == "schema" and f.get("rows") == "uncompared":
        c.append(100349)
    if f.get("baseline") == "tampered":
        c.append(100350)
    return c


def decide(cands):
    for r in cands:
        if r not in levels:
            sys.exit("expect.py: rule %d is not in the table of %s"
                     % (r, docs))
    return min(cands, key=lambda r: (-levels[r], r))


for event in sys.stdin.read().split("\n"):
    if not event:
        continue
    if mode == "json":
        f = json.loads(event)
        recs = [f]
        shape = "json:" + ",".join(k for k in f if k in ("timestamp",
                                                         "host"))
        cands = json_rules(f)
    else:
        recs = []
        for m in REC.finditer(event):
            f = {}
            for tok in m.group(1)[:-2].split(" "):
                k, _, v = tok.partition("=")
                f.setdefault(k, v)
            recs.append(f)
        shape = "-"
        for name, pat in SHAPES:
            if recs and re.match(pat, event):
                shape = name
                break
        cands = []
        for f in recs:
            cands += text_rules(f)
    if cands:
        rule = str(decide(cands))
    elif recs and recs[-1]["op"] == "commit":
        # An op=commit ends the event and nothing raised an alert.
        rule = "100332"
    elif any(f["op"] == "summary" for f in recs):
        rule = "100399"
    elif not recs:
        rule = "none"
    else:
        sys.exit("expect.py: no rule for %r" % event)
    kinds = []
    for f in recs:
        # Field names, "%" marking an encoded value.
        k = f["op"] + "(" + ",".join(
            x + ("%" if "%" in str(f[x]) else "") for x in f
            if x not in ("op", "timestamp", "host")) + ")"
        if not kinds or kinds[-1] != k:
            kinds.append(k)
    ops = sorted(set(f["op"] for f in recs))
    print("%s\t%s|%s|%s\t%s\t%s" % (rule, rule, shape, " ".join(kinds),
                                    ",".join(ops), event))
EOF

# events SHAPE NAME: the events of $W/events.in (made for shape SHAPE:
# text or json) with their rules: all in $W/all/NAME.txt, one of each kind
# in $W/samples/NAME.txt; their kinds in $W/kinds.NAME, ops in $W/ops.
events()
{
	python3 "$W/expect.py" "$docs" "$1" <"$W/events.in" >"$W/events.tab" ||
	    fail "expect.py failed on $2"
	[ -s "$W/events.tab" ] || fail "no events for $2"
	cut -f1,4 "$W/events.tab" >"$W/all/$2.txt"
	{
		echo "# Generated by tests/integration/ossec_samples.sh from real"
		echo "# dbsyscheck and trigger output (DBSC_UPDATE_SAMPLES=1);"
		echo "# do not edit. RULE<TAB>EVENT, see README.md."
		awk -F '\t' '!seen[$2]++' "$W/events.tab" | cut -f1,4
	} >"$W/samples/$2.txt"
	cut -f2 "$W/events.tab" | sort -u >"$W/kinds.$2"
	cut -f3 "$W/events.tab" | tr ',' '\n' | grep -v '^$' >>"$W/ops" || true
}
: >"$W/ops"

# command: one event per line of every text run; full_command: one per run.
: >"$W/events.in"
: >"$W/full.in"
i=1
while [ "$i" -le "$nrun" ]; do
	if [ -s "$W/raw/$i.out" ]; then
		python3 "$check" --events command <"$W/raw/$i.out" \
		    >>"$W/events.in" || fail "--events command"
		python3 "$check" --events full_command <"$W/raw/$i.out" \
		    >>"$W/full.in" || fail "--events full_command"
	fi
	i=$((i + 1))
done
events text command
cp "$W/full.in" "$W/events.in"
events text full_command
python3 "$check" --events log <"$W/text.log" >"$W/events.in" ||
    fail "--events log"
events text logfile
cat "$W/triggerlog.1" "$W/triggerlog.2" |
    python3 "$check" --events log >"$W/events.in" || fail "--events log"
events text triggerlog
python3 "$check" --events log <"$W/server.lines" >"$W/events.in" ||
    fail "--events log"
events text errorlog
{
	i=1
	while [ "$i" -le "$nrun" ]; do
		cat "$W/raw/$i.json"
		i=$((i + 1))
	done
	cat "$W/json.log"
} >"$W/events.in"
events json wazuh_json

# Every event kind the run had to produce is there.
# has NAME RULE...: the events of NAME include one with each RULE.
has()
{
	_f=$1
	shift
	for _r in "$@"; do
		cut -f1 "$W/all/$_f.txt" | grep -q -x "$_r" ||
		    fail "$_f: no event with rule $_r"
	done
}
has command 100310 100311 100312 100313 100314 100315 100316 100317 \
    100318 100319 100320 100321 100330 100331 100399 \
    100332 100333 100334 100335 100336 100337 100338 100326
has full_command 100310 100311 100313 100314 100315 100316 100317 100318 \
    100319 100320 100321 100330 100331 100333 100335 100336 100337 100338
has logfile 100310 100311 100312 100313 100315 100316 100317 100318 \
    100319 100320 100321 100330 100331 100399 \
    100332 100333 100334 100335 100336 100337 100338 100326
has triggerlog 100311 100312 100313 100315 100322 100330
has errorlog none
has wazuh_json 100340 100341 100342 100343 100344 100345 100346 100347 \
    100348 100349 100350 100351 100353 100354 100358 \
    100359 100360 100361 100362 100363 100364 100365 100367
for want in emptied= key=changed added= watch_added= baseline=tampered; do
	grep -F -q -e " $want" "$W/all/command.txt" ||
	    fail "no record with $want"
done

# The real analysisd and the model agree with the docs on every event
# (the samples are some of these), each from its location
# (ossec_sample_location): the command alias, an agent's scanner log,
# trigger log and error log. Trigger records and the scanner's log file
# are trusted only from an agent's files (OSSEC 4.2 rules see no other
# location); ossec_rules.sh uses the same locations.
real=$top_srcdir/tests/ossec/ossec_real.py
ossec_begin
ossec_install_dbsc agents
ossec_start_analysisd
for f in "$W"/all/*.txt; do
	loc=stdin
	case $(basename "$f") in
	wazuh*) ;;
	*) loc=$(ossec_sample_location "$f") ;;
	esac
	case $(basename "$f") in
	wazuh*)
		python3 "$check" --wazuh --location /var/log/dbsyscheck.json \
		    "$f" || fail "$f" ;;
	*)
		python3 "$check" --location "$loc" "$f" || fail "$f"
		python3 "$real" logtest "$OSSEC" --location "$loc" "$f" ||
		    fail "ossec-logtest: $f"
		python3 "$real" analysisd "$OSSEC" --location "$loc" "$f" ||
		    fail "ossec-analysisd: $f"
		python3 "$real" agree "$OSSEC" --location "$loc" "$f" ||
		    fail "the model and ossec-analysisd disagree on $f"
		# Wazuh reads the command, log file and trigger log shapes
		# alike (its locations: the alias, the file's path).
		wloc=$loc
		case $(basename "$f") in
		logfile*) wloc=/var/log/dbsyscheck.log ;;
		esac
		[ "$(basename "$f")" = full_command.txt ] ||
		    python3 "$check" --wazuh --location "$wloc" "$f" ||
		    fail "$f (Wazuh)"
		;;
	esac
done
# Anywhere else the same trigger records are not trusted.
sed 's/^[0-9]*	/100304	/' "$W/all/triggerlog.txt" >"$W/untrusted.txt"
for loc in stdin /var/log/dbsyscheck-udf/trigger.log \
    "(db1) 192.0.2.10->/var/log/mysql/error.log"; do
	python3 "$check" --location "$loc" "$W/untrusted.txt" ||
	    fail "trigger records trusted from $loc"
	python3 "$real" analysisd "$OSSEC" --location "$loc" \
	    "$W/untrusted.txt" ||
	    fail "ossec-analysisd: trigger records trusted from $loc"
done
# The same for the scanner's records anywhere but their own channels: the
# command shape without the site's alias, the log file's lines from
# syslog or the error log, or from the log file of a local install.
sed -e 's/^[0-9]*	/100304	/' -e '/^none	/d' -e '/^100399	/d' \
    -e "s/^\(100304	ossec: output: \)'dbsyscheck-[0-9a-f]*'/\1'dbsyscheck'/" \
    "$W/all/command.txt" >"$W/untrusted.txt"
grep -q "'dbsyscheck':" "$W/untrusted.txt" || fail "no command events"
for loc in stdin dbsyscheck "(db1) 192.0.2.10->/var/log/mysql/error.log"; do
	python3 "$check" --location "$loc" "$W/untrusted.txt" ||
	    fail "command output without the site alias trusted from $loc"
	python3 "$real" analysisd "$OSSEC" --location "$loc" \
	    "$W/untrusted.txt" ||
	    fail "ossec-analysisd: command output without the alias, $loc"
done
sed -e 's/^[0-9]*	/100304	/' -e '/^none	/d' -e '/^100399	/d' \
    "$W/all/logfile.txt" >"$W/untrusted.txt"
for loc in /var/log/dbsyscheck.log /var/log/syslog \
    "(db1) 192.0.2.10->/var/log/syslog" \
    "(db1) 192.0.2.10->/var/log/mysql/error.log"; do
	python3 "$check" --location "$loc" "$W/untrusted.txt" ||
	    fail "log file records trusted from $loc"
	python3 "$real" analysisd "$OSSEC" --location "$loc" \
	    "$W/untrusted.txt" ||
	    fail "ossec-analysisd: log file records trusted from $loc"
done

# Every op of the samples is explained in docs/OSSEC.md.
for op in $(sort -u "$W/ops"); do
	grep -F -q -e "op=$op" "$docs" ||
	    fail "op=$op is in the samples but not in docs/OSSEC.md"
done

# The committed samples: written now, or checked for kinds of event.
if [ "${DBSC_UPDATE_SAMPLES:-0}" = 1 ]; then
	for f in "$W"/samples/*.txt; do
		cp "$f" "$top_srcdir/ossec/samples/" ||
		    fail "cannot write $top_srcdir/ossec/samples"
	done
	echo "$test_name: wrote $(ls "$W"/samples/*.txt | wc -l) files to" \
	    "$top_srcdir/ossec/samples"
else
	for f in "$W"/samples/*.txt; do
		name=$(basename "$f" .txt)
		c=$top_srcdir/ossec/samples/$name.txt
		[ -f "$c" ] ||
		    fail "$c is missing (DBSC_UPDATE_SAMPLES=1 makes it)"
		case $name in
		wazuh_json) mode=json ;;
		*) mode=text ;;
		esac
		grep -v '^#' "$c" | grep -v '^$' | cut -f2- |
		    python3 "$W/expect.py" "$docs" "$mode" \
		    >"$W/committed.tab" ||
		    fail "$c: expect.py failed"
		cut -f1 "$W/committed.tab" >"$W/committed.rules"
		grep -v '^#' "$c" | grep -v '^$' | cut -f1 |
		    cmp -s - "$W/committed.rules" ||
		    fail "$c: a rule differs from the one docs/OSSEC.md gives"
		cut -f2 "$W/committed.tab" | sort -u >"$W/committed.kinds"
		if ! cmp -s "$W/kinds.$name" "$W/committed.kinds"; then
			diff "$W/committed.kinds" "$W/kinds.$name" >&2 || true
			fail "$c is stale (run with DBSC_UPDATE_SAMPLES=1)"
		fi
	done
fi
echo "$test_name: $(cat "$W"/all/*.txt | wc -l) events checked"

#!/bin/sh
# follow, bounded: the first run stores the end of the binary log and
# says op=start; the next reports each row change of the log once, with
# op=commit after each transaction, and a run with nothing new exits 0.
. "$(dirname "$0")/setup"

db_start --log-bin="$W/binlog" --binlog-format=ROW --server-id=1 \
    --binlog-row-metadata=FULL
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (
	id INT PRIMARY KEY AUTO_INCREMENT,
	login VARCHAR(20) NOT NULL,
	password VARCHAR(60) NOT NULL,
	seen INT NOT NULL DEFAULT 0)"
sql_db acme "INSERT INTO users VALUES (1, 'alice', 'a1', 0)"
sql_db acme "CREATE TABLE k (a BIGINT, b VARCHAR(20), c DATETIME(3),
	PRIMARY KEY (a, b, c))"
dbsc_conf "acme.users ignore=seen" "acme.k"

# Without follow-server-id: refused, an error record.
dbsc follow
expect_rc 2
grep -q '^dbsyscheck: op=error msg=follow%20needs%20follow-server-id' \
    "$W/out" || grep -q 'op=error msg=follow needs follow-server-id' \
    "$W/out" || fail "no op=error naming follow-server-id"
echo "follow-server-id 4242" >>"$W/dbsyscheck.conf"

# -f goes with follow only.
dbsc -f scan
expect_rc 2

dbsc follow
expect_rc 1
grep -q '^dbsyscheck: op=start pos=binlog\.[0-9]*:[0-9]* gtid=[-0-9]* src=binlog ;$' \
    "$W/out" || fail "the first follow did not say op=start"

# Nothing since: nothing to say.
dbsc follow
expect_rc 0
grep -q 'op=' "$W/out" && fail "a follow with nothing new printed records"

sql "INSERT INTO acme.users VALUES (7, 'xavier', 'x1', 0)"
sql "UPDATE acme.users SET password='x2' WHERE id=7"
sql "UPDATE acme.users SET seen=seen+1 WHERE id=7"
sql "DELETE FROM acme.users WHERE id=7"
dbsc follow
expect_rc 1
# One delivery, one summary: the update of an ignore= column says nothing.
head -n 1 "$W/out" | grep -q '^dbsyscheck: op=summary inserts=1 updates=1 deletes=1 errors=0 ' ||
    fail "not one summary first"
grep '^dbsyscheck: op=' "$W/out" | grep -v '^dbsyscheck: op=summary' |
    sed 's/ gtid=[^ ]* conn=[^ ]* time=[^ ]* pos=[^ ]* / GTID /' \
    >"$W/recs"
cat >"$W/want" <<EOF
dbsyscheck: op=insert table=acme.users pk=id=7 changed=- src=binlog by=- ;
dbsyscheck: op=commit rows=1 GTID src=binlog by=- ;
dbsyscheck: op=update table=acme.users pk=id=7 changed=password src=binlog by=- ;
dbsyscheck: op=commit rows=1 GTID src=binlog by=- ;
dbsyscheck: op=delete table=acme.users pk=id=7 changed=- src=binlog by=- ;
dbsyscheck: op=commit rows=1 GTID src=binlog by=- ;
EOF
diff -u "$W/want" "$W/recs" || fail "follow records differ"
grep -q 'op=commit rows=1 gtid=0-1-[0-9]* conn=[-0-9]* time=20[0-9-]*T[0-9:]*Z pos=binlog\.[0-9]*:[0-9]* ' \
    "$W/out" || fail "op=commit fields"

# Each change once: the position advanced with the records.
dbsc follow
expect_rc 0
grep -q 'op=' "$W/out" && fail "records repeated"

# A key change is a delete and an insert; a TRUNCATE is op=ddl.
sql "UPDATE acme.users SET id=8 WHERE id=1"
sql "TRUNCATE TABLE acme.users"
dbsc follow
expect_rc 1
grep -q '^dbsyscheck: op=delete table=acme.users pk=id=1 changed=- src=binlog by=- ;$' \
    "$W/out" || fail "no delete of the old key"
grep -q '^dbsyscheck: op=insert table=acme.users pk=id=8 changed=- src=binlog by=- ;$' \
    "$W/out" || fail "no insert of the new key"
grep -q '^dbsyscheck: op=commit rows=2 ' "$W/out" || fail "rows=2"
grep -q '^dbsyscheck: op=ddl table=acme.users stmt=truncate gtid=' \
    "$W/out" || fail "no op=ddl for TRUNCATE"

# The scan beside the follower: the same pk= text, src=scan.
sql "INSERT INTO acme.users VALUES (9, 'z', 'z', 0)"
dbsc scan
expect_rc 1
dbsc follow
expect_rc 1
grep -q '^dbsyscheck: op=insert table=acme.users pk=id=9 changed=- src=binlog by=- ;$' \
    "$W/out" || fail "no insert of id 9"

# An unwatched table's changes: nothing, and the position moves on.
sql "CREATE TABLE acme.other (id INT PRIMARY KEY)"
sql "INSERT INTO acme.other VALUES (1)"
dbsc follow
expect_rc 0
grep -q 'op=' "$W/out" && fail "an unwatched table gave records"

# reset of every table forgets the position: op=start again.
dbsc reset
expect_rc 0
dbsc follow
expect_rc 1
grep -q '^dbsyscheck: op=start pos=binlog\.[0-9]*:[0-9]* ' "$W/out" ||
    fail "no op=start after reset"

# -f: records as they come; a scan and a report run beside it (the
# follower holds the lock only for a batch); SIGTERM stops it cleanly.
dbsc_bg follow -f
sleep 1
sql "INSERT INTO acme.users VALUES (10, 'f', 'f', 0)"
n=0
until grep -q 'op=commit' "$W/bg.out"; do
	n=$((n + 1))
	[ "$n" -le 100 ] || fail "follow -f printed no op=commit: $(cat "$W/bg.err")"
	sleep 0.1
done
grep -q '^dbsyscheck: op=insert table=acme.users pk=id=10 changed=- src=binlog by=- ;$' \
    "$W/bg.out" || fail "follow -f: no insert of id 10"
dbsc scan
expect_rc 1
dbsc --deliver report
[ "$rc" -ne 2 ] || fail "report failed beside follow -f"
kill -TERM "$bg"
bg_wait "$bg"
[ "$st" -eq 1 ] || fail "follow -f exited $st after SIGTERM, not 1"
dbsc follow
expect_rc 0

# A composite key of hostile bytes: the follower's pk= is the scanner's.
dbsc scan
sql "INSERT INTO acme.k VALUES (-5, 'x;y z%=\\n', '2026-01-02 03:04:05.678')"
dbsc follow
expect_rc 1
grep '^dbsyscheck: op=insert table=acme.k ' "$W/out" |
    sed 's/ src=binlog / src=SRC /' >"$W/k.follow"
[ -s "$W/k.follow" ] || fail "no insert into acme.k"
dbsc scan
expect_rc 1
grep '^dbsyscheck: op=insert table=acme.k ' "$W/out" |
    sed 's/ src=scan / src=SRC /' >"$W/k.scan"
cmp -s "$W/k.follow" "$W/k.scan" ||
    fail "pk= differs: $(cat "$W/k.follow") / $(cat "$W/k.scan")"

# ALTER: op=ddl, and the table is described again for the rows after it.
sql "ALTER TABLE acme.users ADD extra INT NULL"
sql "INSERT INTO acme.users (id, login, password) VALUES (11, 'g', 'g')"
dbsc follow
expect_rc 1
grep -q '^dbsyscheck: op=ddl table=acme.users stmt=alter ' "$W/out" ||
    fail "no op=ddl for ALTER"
grep -q '^dbsyscheck: op=insert table=acme.users pk=id=11 changed=- src=binlog by=- ;$' \
    "$W/out" || fail "no insert of id 11 after ALTER"

# Rows logged before an ALTER, read after it: the columns no longer match,
# said as an error of the table, never a silent gap; the next run is clean.
sql "INSERT INTO acme.users (id, login, password) VALUES (12, 'h', 'h')"
sql "ALTER TABLE acme.users DROP COLUMN extra"
dbsc follow
expect_rc 2
grep -q '^dbsyscheck: op=error table=acme.users msg=the%20table%20changed%20shape' \
    "$W/out" || fail "no op=error for the changed shape"
grep -q '^dbsyscheck: op=ddl table=acme.users stmt=alter ' "$W/out" ||
    fail "no op=ddl for the second ALTER"
dbsc follow
expect_rc 0

# -t checks the follower's server settings too (follow-server-id set).
dbsc -t
expect_rc 0

# The binary log off: an error naming it, from follow and from -t.
db_stop
db_start
dbsc follow
expect_rc 2
grep -q '^dbsyscheck: op=error .*src=binlog ;$' "$W/out" ||
    fail "no op=error src=binlog with the binary log off"
dbsc -t
expect_rc 2
grep -q 'follow: the binary log is off' "$W/errout" ||
    fail "-t did not say the binary log is off"
exit 0

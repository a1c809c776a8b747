#!/bin/sh
# Two runs at once: while a slow scan holds the lock, a second scan exits 2
# at once with the lock message and one op=error record (a report repeats
# that error until a scan gets through); the first finishes normally and
# reports the changes; nothing is lost.
. "$(dirname "$0")/setup"

rows=300000
db_start --innodb-buffer-pool-size=256M
sql "CREATE DATABASE fcc"
sql_db fcc "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40) NOT NULL,
	pad VARCHAR(255))"
sql_db fcc "INSERT INTO t SELECT seq, MD5(seq), REPEAT(MD5(seq), 6)
	FROM seq_1_to_$rows"
dbsc_conf "fcc.t"
dbsc --deliver --max-bytes 0 scan
expect_rc 1

sql_db fcc "UPDATE t SET v = 'one' WHERE id = 5;
	INSERT INTO t VALUES ($((rows + 1)), 'two', NULL)"

# The first run paced to about ten seconds: it is still at work when the
# second scan and the report below run, on a loaded machine too (once it
# completes, it clears the refused run's note).
dbsc_conf "fcc.t max-rows-per-second=30000"
dbsc_bg --deliver --max-bytes 0 scan
first=$bg
# Wait until the first run streams the table: it holds the lock by then.
n=0
while [ "$(sql "SELECT COUNT(*) FROM information_schema.PROCESSLIST
    WHERE ID <> CONNECTION_ID() AND
    INFO LIKE 'SELECT %FROM \`fcc\`.\`t\` ORDER BY%'")" = 0 ]; do
	n=$((n + 1))
	[ "$n" -lt 300 ] || fail "the first run never streamed"
	_alive "$first" || fail "the first run ended too soon"
	sleep 0.02
done

DBSC_TIMEOUT=20
t0=$(now_ms)
dbsc --deliver --max-bytes 0 scan
took=$(($(now_ms) - t0))
expect_error_run "another dbsyscheck run holds the lock $W/baseline.db.lock"
[ "$took" -lt 3000 ] || fail "the second run waited ${took} ms"
_alive "$first" || fail "the test was too slow: the first run had ended"
# report, meanwhile, prints none of the first scan's records (they come
# with the next report) but repeats the second scan's error: that scan
# did not run, and only a scan that gets through clears it (the first one,
# when it completes: it has covered the second's work).
dbsc --deliver report
expect_rc 2
[ "$(wc -l <"$W/out")" -eq 2 ] || fail "report: not a summary and one record"
grep -q '^dbsyscheck: op=error msg=the%20last%20scan%20.*could%20not%20run.*holds%20the%20lock%20.* src=scan ;$' \
    "$W/out" || fail "report does not repeat the refused scan's error"
expect_err "another dbsyscheck run holds the lock $W/baseline.db.lock"

bg_wait "$first"
sed 's/^/  first| /' "$W/bg.out" "$W/bg.err"
[ "$st" = 1 ] || fail "the first run exited $st, not 1"
cat >"$W/want" <<EOF
$(summary 1 1 0)
dbsyscheck: op=update table=fcc.t pk=id=5 changed=v src=scan by=- ;
dbsyscheck: op=insert table=fcc.t pk=id=$((rows + 1)) changed=- src=scan by=- ;
EOF
cmp -s "$W/want" "$W/bg.out" || {
	diff -u "$W/want" "$W/bg.out" >&2
	fail "the first run did not report the changes"
}
[ ! -s "$W/bg.err" ] || fail "the first run complained"
# The first run, complete, cleared the refused run's note.
dbsc --deliver report
expect_rc 0
expect_empty

dbsc --deliver --max-bytes 0 scan
expect_rc 0
expect_empty
dbsc --deliver report
expect_rc 0
expect_empty

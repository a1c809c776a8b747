#!/bin/sh
# dbsyscheck follow -f stopped by SIGTERM (systemctl stop or restart,
# SIGINT, SIGHUP) at random moments under a writer of small transactions
# and a 2,000-row one every 50, so that stops fall inside a group while
# earlier groups are batched in the open baseline transaction: the batch
# is rolled back and read again, never its position stored without its
# records (found by the second hostile review of issue 15, which lost
# 78,000 of 164,000 rows this way). Every row of the table is queued
# exactly once. DBSC_TERM_TRIALS stops (10).
. "$(dirname "$0")/setup"

trials=${DBSC_TERM_TRIALS:-10}
seed_init
db_start_binlog --innodb-flush-log-at-trx-commit=0 --sync-binlog=0
sql "CREATE DATABASE fk"
sql_db fk "CREATE TABLE t (id INT PRIMARY KEY, v INT)"
follow_conf "fk.t"
follow_first
# Small transactions with a 2,000-row one every 50: a stop falls inside
# a group often, with the earlier small ones batched before it.
i=1
while [ $i -le 4000 ]; do
	if [ $((i % 50)) = 0 ]; then
		echo "INSERT INTO t SELECT 1000000 + $i * 10000 + seq, 0 FROM seq_1_to_2000;"
	else
		echo "INSERT INTO t VALUES ($i, 0);"
	fi
	[ $((i % 400)) != 0 ] || echo "DO SLEEP(0.3);"
	i=$((i + 1))
done >"$W/w.sql"
_sql_run -D fk <"$W/w.sql" &
wpid=$!; bg_track "$wpid"
k=0
while _alive "$wpid" || [ $k -lt "$trials" ]; do
	dbsc_bg --no-report follow -f
	rand 500
	sleep_ms $((100 + r))
	kill -TERM "$bg" 2>/dev/null || true; st=0; wait "$bg" || st=$?; bg_kill "$bg"
	echo "TERM after $((100 + r)) ms: exit $st, stored $(sqlite3 "$W/baseline.db" 'SELECT file || ":" || offset FROM follow')"
	k=$((k + 1))
done
dbsc --no-report follow
dbsc --no-report follow
expect_rc 0
dbsc --deliver --max-bytes 0 report
grep '^dbsyscheck: op=insert ' "$W/out" | sed 's/.* pk=id=\([^ ]*\) .*/\1/' |
    sort -n >"$W/got"
_sql_run -e "SELECT id FROM fk.t ORDER BY id" >"$W/want"
echo "rows $(wc -l <"$W/want"), queued inserts $(wc -l <"$W/got")"
if ! cmp -s "$W/want" "$W/got"; then
	echo "missing ids (first 5 of each run of them):"
	comm -23 "$W/want" "$W/got" | awk 'NR == 1 || $1 != p + 1 { if (NR > 1) print "  " s "-" p; s = $1 } { p = $1 } END { print "  " s "-" p }' | head
	fail "a SIGTERM lost or repeated records"
fi
exit 0

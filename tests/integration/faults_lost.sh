#!/bin/sh
# Faults while a large table streams: the server killed with SIGKILL (then
# restarted on the same data dir), and dbsyscheck stopped by SIGTERM or
# SIGINT. Each run exits 2 with one op=error record, keeps nothing of the
# run, releases the lock at once, and the next good run reports exactly
# the changes made before it.
. "$(dirname "$0")/setup"

rows=300000

db_start --innodb-buffer-pool-size=256M
sql "CREATE DATABASE fl"
sql_db fl "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40) NOT NULL,
	n INT, pad VARCHAR(255))"
sql_db fl "INSERT INTO t SELECT seq, MD5(seq), seq % 1000,
	REPEAT(MD5(seq), 6) FROM seq_1_to_$rows"
dbsc_conf "fl.t"

t0=$(now_ms)
dbsc --deliver --max-bytes 0 scan
expect_rc 1
expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=baseline table=fl.t rows=$rows src=scan ;
EOF
echo "a first scan of $rows rows takes $(($(now_ms) - t0)) ms"
t0=$(now_ms)
dbsc --deliver --max-bytes 0 scan
expect_rc 0
expect_empty
echo "a clean rescan takes $(($(now_ms) - t0)) ms"

# changes N: an update near the start, a delete in the middle and an insert
# past the end; what the next good scan prints goes to $W/expected.pending.
changes()
{
	sql_db fl "UPDATE t SET v = 'change $1' WHERE id = $((10 + $1));
		DELETE FROM t WHERE id = $((150000 + $1));
		INSERT INTO t VALUES ($((rows + $1)), 'new', 0, NULL)"
	{
		summary 1 1 1
		echo "dbsyscheck: op=update table=fl.t pk=id=$((10 + $1))" \
		    "changed=v src=scan by=- ;"
		echo "dbsyscheck: op=delete table=fl.t pk=id=$((150000 + $1))" \
		    "changed=- src=scan by=- ;"
		echo "dbsyscheck: op=insert table=fl.t pk=id=$((rows + $1))" \
		    "changed=- src=scan by=- ;"
	} >"$W/expected.pending"
}

good_run()
{
	dbsc --deliver --max-bytes 0 scan
	expect_rc 1
	expect_out <"$W/expected.pending"
	dbsc --deliver --max-bytes 0 scan
	expect_rc 0
	expect_empty
}

# wait_streaming: wait until the scanner's SELECT on fl.t runs on the
# server (it streams from then on).
wait_streaming()
{
	_n=0
	while :; do
		_q=$(sql "SELECT COUNT(*) FROM information_schema.PROCESSLIST
		    WHERE ID <> CONNECTION_ID() AND
		    INFO LIKE 'SELECT %FROM \`fl\`.\`t\` ORDER BY%'")
		[ "$_q" = 0 ] || break
		_n=$((_n + 1))
		[ "$_n" -lt 300 ] || fail "the scan never started streaming"
		_alive "$bg" || fail "the scan ended before it streamed"
		sleep 0.05
	done
	# Let a few rows through before the fault.
	sleep 0.02
}

# The server dies (SIGKILL) while the table streams: the run fails as a
# whole; the server comes back on the same data dir; the next scan reports
# exactly the changes.
echo "=== case server_killed_mid_scan"
changes 1
bl_save before
dbsc_bg --deliver --max-bytes 0 scan
wait_streaming
db_kill
bg_wait "$bg"
sed 's/^/  bg| /' "$W/bg.out" "$W/bg.err"
[ "$st" = 2 ] || fail "scan exited $st after the server died, not 2"
head -n 1 "$W/bg.out" >"$W/bg.1"
summary 0 0 0 1 | cmp -s - "$W/bg.1" || fail "no summary with errors=1"
[ "$(wc -l <"$W/bg.out")" = 2 ] || fail "not exactly one error record"
# The message names the table, then the client library's own words.
tail -n 1 "$W/bg.out" | grep -E -q '^dbsyscheck: op=error msg=fl\.t:%20reading%20rows:%20(Lost%20connection%20to%20server%20during%20query%20\(2013\)|Server%20has%20gone%20away%20\(2006\)) src=scan ;$' ||
    fail "not the lost-connection error record"
grep -q '^dbsyscheck: fl\.t: reading rows: ' "$W/bg.err" ||
    fail "stderr does not name the table and the error"
bl_same before
db_start --innodb-buffer-pool-size=256M
good_run
echo "=== case server_killed_mid_scan: PASS"

# The server shut down cleanly (SIGTERM, as a restart does) while the table
# streams: the same, whatever words the client library finds for it.
echo "=== case server_restarted_mid_scan"
changes 4
bl_save before
dbsc_bg --deliver --max-bytes 0 scan
wait_streaming
db_stop
bg_wait "$bg"
sed 's/^/  bg| /' "$W/bg.out" "$W/bg.err"
[ "$st" = 2 ] || fail "scan exited $st after the server stopped, not 2"
head -n 1 "$W/bg.out" >"$W/bg.1"
summary 0 0 0 1 | cmp -s - "$W/bg.1" || fail "no summary with errors=1"
[ "$(wc -l <"$W/bg.out")" = 2 ] || fail "not exactly one error record"
tail -n 1 "$W/bg.out" | grep -E -q '^dbsyscheck: op=error msg=fl\.t:%20reading%20rows:%20[^ ]*\((2013|2006|1053|1927)\) src=scan ;$' ||
    fail "not the lost-connection error record"
bl_same before
db_start --innodb-buffer-pool-size=256M
good_run
echo "=== case server_restarted_mid_scan: PASS"

# A signal while the table streams: exit 2, "interrupted by a signal",
# nothing kept, the lock free at once.
signal_case()
{
	changes "$2"
	bl_save before
	dbsc_bg --deliver --max-bytes 0 scan
	wait_streaming
	t0=$(now_ms)
	kill "-$1" "$bg"
	bg_wait "$bg"
	echo "  stopped $(($(now_ms) - t0)) ms after SIG$1"
	sed 's/^/  bg| /' "$W/bg.out" "$W/bg.err"
	[ "$st" = 2 ] || fail "scan exited $st after SIG$1, not 2"
	[ $(($(now_ms) - t0)) -lt 5000 ] || fail "slow to stop after SIG$1"
	cat >"$W/want" <<EOF
$(summary 0 0 0 1)
dbsyscheck: op=error msg=fl.t:%20interrupted%20by%20a%20signal src=scan ;
EOF
	if ! cmp -s "$W/want" "$W/bg.out"; then
		diff -u "$W/want" "$W/bg.out" >&2 || true
		fail "not the interrupted error record"
	fi
	grep -q 'interrupted by a signal' "$W/bg.err" ||
	    fail "stderr does not say interrupted"
	bl_same before
	# The lock is free at once: a run right after is not refused.
	flock -n "$W/baseline.db.lock" true ||
	    fail "the lock is still held after SIG$1"
	good_run
}

case_sigterm()
{
	signal_case TERM 5
}
case_run sigterm case_sigterm

case_sigint()
{
	signal_case INT 6
}
case_run sigint case_sigint

case_end

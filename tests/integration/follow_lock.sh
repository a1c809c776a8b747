#!/bin/sh
# The lock between follow -f and the cron scan (hostile review of issue
# 15): a session writing to a watched table without a pause keeps the
# follower taking the lock batch after batch; each scan still gets it
# (it queues, and the follower lets the queued runs go first), and a
# scan that meets a long batch (one transaction of 1,000,000 rows) waits
# for it beyond its 2 s for another scan.
. "$(dirname "$0")/setup"

db_start_binlog
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY,
	pw VARCHAR(20))"
sql_db acme "INSERT INTO users (pw) VALUES ('a')"
follow_conf "acme.users"
dbsc scan
expect_rc 1
dbsc follow
expect_rc 1

# quiet_scan N: a scan, its records kept in the baseline (many: the
# writer's rows), its output in $W/sN.out and $W/sN.err, exit in $rc.
quiet_scan()
{
	rc=0
	timeout -k 5 "$((DBSC_TIMEOUT * dbsc_slow))" $dbsc_wrap \
	    "$top_builddir/dbsyscheck" -c "$W/dbsyscheck.conf" --no-report \
	    scan >"$W/s$1.out" 2>"$W/s$1.err" </dev/null || rc=$?
	echo "+ scan $1: exit $rc"
	sed 's/^/  err| /' "$W/s$1.err"
	[ "$rc" -ne 124 ] || fail "scan $1 hung"
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
		grep -h -o 'op=error[^;]*' "$W/s$1.out" | head -n 3 >&2
		fail "scan $1 failed (exit $rc)"
	fi
	! grep -q -i 'holds the lock' "$W/s$1.out" "$W/s$1.err" ||
	    fail "scan $1 was refused the lock"
}

dbsc_bg --no-report --log "$W/follow.log" follow -f
sleep 1

# wait_log TEXT: the follower's log gets TEXT (fixed) within 60 s.
wait_log()
{
	_wl_n=0
	while ! grep -q -F -e "$1" "$W/follow.log"; do
		_wl_n=$((_wl_n + 1))
		[ "$_wl_n" -lt 600 ] || fail "no '$1' in the follower's log"
		sleep 0.1
	done
}

# A long batch: one transaction of 1,000,000 rows. Once the follower holds
# the lock for it (its lock file says so and the lock is taken), a scan
# starts; it waits for the batch rather than fail after 2 s.
sql_db acme "INSERT INTO users (pw) SELECT 'b' FROM seq_1_to_1000000"
lock="$W/baseline.db.lock"
_n=0
while ! { [ "$(cat "$lock")" = follow ] && ! flock -n -s "$lock" true; }; do
	_n=$((_n + 1))
	[ "$_n" -lt 600 ] || fail "follow -f never held the lock for the batch"
	sleep 0.05
done
t0=$(now_ms)
grep -q -F 'op=commit rows=1000000 ' "$W/follow.log" &&
    fail "the batch was over before the scan started"
quiet_scan long
echo "scan long took $(($(now_ms) - t0)) ms"
wait_log 'op=commit rows=1000000 '

# The writer: one session, single-row autocommit INSERTs, as fast as it
# can, until $W/stop exists.
awk 'BEGIN { for (i = 0; i < 2000; i++)
	print "INSERT INTO users (pw) VALUES (\x27w\x27);" }' >"$W/load.sql"
rm -f "$W/stop"
(
	while [ ! -e "$W/stop" ]; do
		_sql_run -D acme <"$W/load.sql" || exit 1
	done
) &
writer=$!
bg_track "$writer"
sleep 2

n0=$(grep -c 'op=commit' "$W/follow.log" || true)
for i in 1 2 3 4 5; do
	quiet_scan "$i"
	sleep 0.5
done
n1=$(grep -c 'op=commit' "$W/follow.log" || true)
touch "$W/stop"
wait "$writer" || fail "the writer failed"
echo "follow -f batches during the scans: $((n1 - n0))"
# The follower was not starved either.
[ "$n1" -gt "$n0" ] || fail "follow -f logged no batch while the scans ran"
_alive "$bg" || {
	sed 's/^/  bg.err| /' "$W/bg.err" >&2
	fail "follow -f exited"
}

kill -TERM "$bg"
bg_wait "$bg"
[ "$st" -eq 0 ] || [ "$st" -eq 1 ] || {
	sed 's/^/  bg.err| /' "$W/bg.err" >&2
	fail "follow -f exited $st on SIGTERM"
}

# A bounded follow (cron, logcollector) that starts while a long scan
# holds the lock waits for it, longer than a scan would wait for another
# scan, instead of an op=error. (First the writer's rows the follower
# had not yet read.)
dbsc follow
hold_lock "$W/baseline.db.lock" 30
dbsc_bg follow
sleep 4
_alive "$bg" || fail "a bounded follow did not wait 4 s for a scan's lock"
release_lock
bg_wait "$bg"
[ "$st" -eq 0 ] || [ "$st" -eq 1 ] || {
	sed 's/^/  bg.err| /' "$W/bg.err" >&2
	fail "a bounded follow behind a scan's lock exited $st"
}
! grep -q 'op=error' "$W/bg.out" ||
    fail "a bounded follow behind a scan's lock said op=error"
exit 0

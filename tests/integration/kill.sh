#!/bin/sh
# A scan killed with SIGKILL at any moment leaves the baseline as it was:
# the next clean scan reports exactly the changes made since the last
# complete scan, no more, no fewer.
. "$(dirname "$0")/setup"

rows=200000
# Trials: kills spread over the time one clean scan takes, with random
# jitter. DBSC_KILL_DELAYS="120 480" (milliseconds) repeats a logged run.
trials=6

db_start --innodb-buffer-pool-size=256M
sql "CREATE DATABASE killdb"
sql_db killdb "CREATE TABLE t (
	id INT PRIMARY KEY,
	v VARCHAR(40) NOT NULL,
	n INT)"
sql_db killdb "INSERT INTO t SELECT seq, MD5(seq), seq % 1000
	FROM seq_1_to_$rows"
[ "$(sql "SELECT COUNT(*) FROM killdb.t")" = $rows ] ||
    fail "setup: table not filled"
dbsc_conf "killdb.t"

# random N: a number from 0 to N-1.
random()
{
	echo $(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % $1))
}

# now_ms: a clock in milliseconds.
now_ms()
{
	echo $(($(date +%s%N) / 1000000))
}

# killed_scan MS: start a scan in the background and SIGKILL it after MS
# milliseconds unless it finished first. Sets $st to its exit status (137
# when killed).
killed_scan()
{
	_ms=$1
	"$top_builddir/dbsyscheck" -c "$W/dbsyscheck.conf" --max-bytes 0 \
	    scan >"$W/bg.out" 2>"$W/bg.err" </dev/null &
	_pid=$!
	bg_track "$_pid"
	sleep "$(printf '%d.%03d' $((_ms / 1000)) $((_ms % 1000)))"
	kill -KILL "$_pid" 2>/dev/null || true
	st=0
	wait "$_pid" || st=$?
	bg_kill "$_pid"
	if [ "$st" = 137 ]; then
		echo "scan killed after ${_ms} ms"
	else
		echo "scan finished (exit $st) within ${_ms} ms"
		sed 's/^/  bg| /' "$W/bg.out" "$W/bg.err"
	fi
}

# After killed_scan: the changes in file $1 are reported exactly once,
# by the next clean scan or by the background scan if it was too quick.
expect_changes_once()
{
	if [ "$st" = 137 ]; then
		dbsc --max-bytes 0 scan
		if [ "$rc" = 0 ] && [ ! -s "$W/out" ]; then
			# Killed after it had written and marked them all: the
			# killed scan itself reported them, whole, once.
			echo "the killed scan had delivered everything"
			cp "$W/bg.out" "$W/out"
			expect_out <"$1"
			return 0
		fi
		expect_rc 1
		expect_out <"$1"
	else
		[ "$st" = 1 ] || fail "background scan exited $st"
		cp "$W/bg.out" "$W/out"
		expect_out <"$1"
		dbsc --max-bytes 0 scan
		expect_rc 0
		expect_empty
	fi
}

# A kill during the very first scan leaves no half baseline behind.
cat >"$W/expected.first" <<EOF
$(summary 0 0 0)
dbsyscheck: op=baseline table=killdb.t rows=$rows src=scan ;
EOF
killed_scan $((100 + $(random 200)))
expect_changes_once "$W/expected.first"

# How long a clean scan takes here, to aim the kills inside one.
t0=$(now_ms)
dbsc --max-bytes 0 scan
expect_rc 0
expect_empty
span=$(($(now_ms) - t0 + 1))
echo "a clean scan takes about $span ms"

if [ -n "${DBSC_KILL_DELAYS:-}" ]; then
	delays=$DBSC_KILL_DELAYS
else
	delays=
	k=0
	while [ "$k" -lt "$trials" ]; do
		j=$(random $((span / trials + 1)))
		delays="$delays $((span * k / trials + j))"
		k=$((k + 1))
	done
fi
echo "kill delays (ms):$delays"

t=0
for delay in $delays; do
	t=$((t + 1))
	echo "--- trial $t, delay $delay ms"

	# 5 updates, 2 deletes and 3 inserts spread over the key range.
	sql_db killdb "
		UPDATE t SET v = 'trial $t'
		    WHERE id IN (10+$t, 40000+$t, 90000+$t, 150000+$t, 199900+$t);
		DELETE FROM t WHERE id IN (60000+$t, 120000+$t);
		INSERT INTO t VALUES
		    (200000+$t, 'new', 0), (210000+$t, 'new', 0),
		    (220000+$t, 'new', 0)"
	{
		summary 3 5 2
		{
			for id in $((10 + t)) $((40000 + t)) $((90000 + t)) \
			    $((150000 + t)) $((199900 + t)); do
				echo "$id update v"
			done
			for id in $((60000 + t)) $((120000 + t)); do
				echo "$id delete -"
			done
			for id in $((200000 + t)) $((210000 + t)) \
			    $((220000 + t)); do
				echo "$id insert -"
			done
		} | sort -n | while read -r id op ch; do
			echo "dbsyscheck: op=$op table=killdb.t pk=id=$id" \
			    "changed=$ch src=scan by=- ;"
		done
	} >"$W/expected.trial"

	killed_scan "$delay"
	expect_changes_once "$W/expected.trial"
done

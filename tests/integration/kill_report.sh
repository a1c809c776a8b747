#!/bin/sh
# "dbsyscheck --deliver report", the SIEM's consumer, killed with SIGKILL
# at random moments while it prints a long queue: across all runs every
# record is printed at least once and in order; a record is printed again
# only when it was being written when the run died (the last batch of a
# run not yet marked delivered). Between the trials an operator's run
# (scan, and report without --deliver) takes nothing off the queue.
. "$(dirname "$0")/setup"

n=60000
trials=24
batch=4096		# REPORT_BATCH in src/report.c
cap=60000		# --max-bytes for every other trial

seed_init
db_start
sql "CREATE DATABASE kr"
sql_db kr "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))"
sql_db kr "INSERT INTO t VALUES (0, 'x')"
dbsc_conf "kr.t"
dbsc --deliver scan
expect_rc 1

# Queue n insert records without printing them.
sql_db kr "INSERT INTO t SELECT seq, 'v' FROM seq_1_to_$n"
dbsc --no-report scan
expect_rc 1
expect_empty
[ "$(sqlite3 -readonly "$W/baseline.db" 'SELECT count(*) FROM outbox')" = $n ] ||
    fail "setup: $n records are not queued"
seq 1 "$n" | while read -r id; do
	echo "dbsyscheck: op=insert table=kr.t pk=id=$id changed=- src=scan by=- ;"
done >"$W/all"

# How long a report of the whole queue takes, on a copy.
cp "$W/baseline.db" "$W/copy.db"
sed "s|^baseline .*|baseline $W/copy.db|" "$W/dbsyscheck.conf" >"$W/copy.conf"
chmod 0600 "$W/copy.conf"
t0=$(now_ms)
"$top_builddir/dbsyscheck" -c "$W/copy.conf" --deliver --max-bytes 0 report \
    >"$W/copy.out" 2>&1 || [ $? = 1 ] || fail "report of the copy failed"
span=$(($(now_ms) - t0 + 5))
echo "a report of $n records takes about $span ms"
tail -n +2 "$W/copy.out" | cmp -s - "$W/all" ||
    fail "the report of the copy is not the queue"

t=0
: >"$W/runs"
while [ "$t" -lt "$trials" ]; do
	t=$((t + 1))
	if [ $((t % 2)) = 1 ]; then
		mb=0
	else
		mb=$cap
	fi
	# Early kills, so that each trial takes only part of the queue.
	rand $((span / 12 + 1))
	delay=$r
	"$top_builddir/dbsyscheck" -c "$W/dbsyscheck.conf" --deliver \
	    --max-bytes "$mb" report >"$W/run.$t" 2>"$W/run.$t.err" \
	    </dev/null &
	pid=$!
	bg_track "$pid"
	sleep_ms "$delay"
	kill -KILL "$pid" 2>/dev/null || true
	st=0
	wait "$pid" || st=$?
	bg_kill "$pid"
	echo "trial $t: --max-bytes $mb, kill after $delay ms: exit $st," \
	    "$(wc -l <"$W/run.$t") lines"
	case $st in
	0 | 1 | 137) ;;
	*)	cat "$W/run.$t.err" >&2
		fail "report exited $st" ;;
	esac
	echo "$t $mb" >>"$W/runs"
	# An operator's runs in between take nothing. Not -readonly: a kill
	# inside the acknowledging transaction leaves a hot journal, which
	# this first open rolls back, as the next run of dbsyscheck would
	# (a read-only open refuses it: "attempt to write a readonly
	# database", seen once in the sanitizer pass).
	left=$(sqlite3 "$W/baseline.db" 'SELECT count(*) FROM outbox')
	dbsc --max-bytes 0 scan
	expect_rc 0
	expect_empty
	dbsc report
	expect_rc 2
	[ "$(sqlite3 -readonly "$W/baseline.db" 'SELECT count(*) FROM outbox')" \
	    = "$left" ] || fail "an operator's run took records off the queue"
done

# Then runs without a kill until the queue is empty.
k=0
while :; do
	t=$((t + 1))
	dbsc --deliver --max-bytes "$cap" report
	cp "$W/out" "$W/run.$t"
	echo "$t $cap" >>"$W/runs"
	[ "$rc" = 1 ] || break
	k=$((k + 1))
	[ "$k" -lt $((n / 100)) ] || fail "the queue never emptied"
done
expect_rc 0
expect_empty
[ "$(sqlite3 -readonly "$W/baseline.db" 'SELECT count(*) FROM outbox')" = 0 ] ||
    fail "records left queued"

# Check the runs: each printed a summary then a run of consecutive records;
# together they cover the whole queue in order.
while read -r t mb; do
	# A line cut by the kill (no newline) was not printed whole.
	if [ -s "$W/run.$t" ] && [ "$(tail -c 1 "$W/run.$t" | od -An -c |
	    tr -d ' ')" != '\n' ]; then
		echo "run $t ends in a cut line" >&2
		sed '$d' "$W/run.$t" >"$W/run.$t.whole"
	else
		cp "$W/run.$t" "$W/run.$t.whole"
	fi
	awk -v t="$t" -v mb="$mb" '{ print t, mb, $0 }' "$W/run.$t.whole"
done <"$W/runs" | awk -v batch="$batch" -v n="$n" -v all="$W/all" '
BEGIN {
	while ((getline line < all) > 0)
		idx[line] = ++m
	last = 0; bad = 0; maxfirst = 0
}
{
	t = $1; mb = $2
	line = $0; sub(/^[0-9]+ [0-9]+ /, "", line)
	if (t != run) {
		if (line !~ /^dbsyscheck: op=summary /) {
			print "run " t ": does not start with a summary"; bad = 1
		}
		run = t; first = 0; prev = 0
		next
	}
	if (!(line in idx)) {
		print "run " t ": unknown line: " line; bad = 1; next
	}
	i = idx[line]
	if (!first) {
		first = i
		if (i > last + 1) {
			print "run " t ": records " last + 1 ".." i - 1 " lost"
			bad = 1
		}
		# Only records not yet marked delivered come again, and marks
		# only move forward: no run starts before a run before it.
		if (i < maxfirst) {
			print "run " t ": starts again at " i ", before " \
			    maxfirst ", where an earlier run started"
			bad = 1
		}
		if (i > maxfirst)
			maxfirst = i
		if (i <= last)
			dups += last - i + 1
	} else if (i != prev + 1) {
		print "run " t ": record " i " after " prev; bad = 1
	}
	prev = i
	if (i > last)
		last = i
}
END {
	if (last != n) {
		print "only records up to " last " of " n " were printed"
		bad = 1
	}
	print "records printed again after a kill: " dups + 0
	exit bad
}' || fail "records lost, out of order or repeated"

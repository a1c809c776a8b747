#!/bin/sh
# dbsyscheck follow over one transaction of 1,000,000 rows (insert, then
# update, then delete of all of them): every row queued once, one
# op=commit rows=1000000 each, and the follower's peak resident memory
# under 64 MiB however big the transaction (no timing asserted).
. "$(dirname "$0")/setup"

: "${DBSC_BIG_ROWS:=1000000}"
n=$DBSC_BIG_ROWS
max_kib=65536
DBSC_TIMEOUT=900

db_start_binlog --innodb-buffer-pool-size=256M --max-binlog-size=1G
sql "CREATE DATABASE fb"
sql_db fb "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(64), w INT)"
follow_account fb.t
follow_conf "fb.t"
follow_first

# big OP: one follow run under /usr/bin/time, --no-report (the records
# stay queued: standard output would be a million lines); its peak RSS
# must stay under the bound, and the queue must hold n records of OP and
# one op=commit rows=n more than before.
big()
{
	_b_before=$(sqlite3 -readonly "$W/baseline.db" \
	    "SELECT count(*) FROM outbox WHERE op = '$1'")
	_b_cbefore=$(sqlite3 -readonly "$W/baseline.db" \
	    "SELECT count(*) FROM outbox WHERE body LIKE '%op=commit rows=$n %'")
	rc=0
	timeout -k 5 "$((DBSC_TIMEOUT * dbsc_slow))" /usr/bin/time -v \
	    -o "$W/time" $dbsc_wrap "$top_builddir/dbsyscheck" \
	    -c "$W/dbsyscheck.conf" --no-report follow >"$W/out" \
	    2>"$W/errout" </dev/null || rc=$?
	sed 's/^/  err| /' "$W/errout" | head -n 20
	echo "  exit $rc"
	[ "$rc" = 1 ] || fail "follow over $n rows ($1) exited $rc"
	expect_empty
	kib=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' \
	    "$W/time")
	[ -n "$kib" ] || fail "no peak RSS from /usr/bin/time"
	echo "$test_name: $1 of $n rows: peak RSS $kib KiB"
	# Under AddressSanitizer (the sanitizer pass) memory is its shadow
	# and quarantine: the bound is the plain build's.
	[ -n "${ASAN_OPTIONS:-}" ] || [ "$kib" -lt "$max_kib" ] ||
	    fail "peak RSS $kib KiB over $n rows ($1), bound $max_kib KiB"
	_b_after=$(sqlite3 -readonly "$W/baseline.db" \
	    "SELECT count(*) FROM outbox WHERE op = '$1'")
	[ $((_b_after - _b_before)) = "$n" ] ||
	    fail "$((_b_after - _b_before)) $1 records queued, not $n"
	_b_cafter=$(sqlite3 -readonly "$W/baseline.db" \
	    "SELECT count(*) FROM outbox WHERE body LIKE '%op=commit rows=$n %'")
	[ $((_b_cafter - _b_cbefore)) = 1 ] ||
	    fail "not one op=commit rows=$n record for the $1 transaction"
}

sql_db fb "INSERT INTO t SELECT seq, MD5(seq), seq FROM seq_1_to_$n"
big insert
sql_db fb "UPDATE t SET w = w + 1"
big update
sql_db fb "DELETE FROM t"
big delete

# The queue holds each key once per operation.
sqlite3 -readonly "$W/baseline.db" \
    "SELECT count(DISTINCT body) FROM outbox WHERE op = 'update'" >"$W/distinct"
[ "$(cat "$W/distinct")" = "$n" ] || fail "update records are not distinct"

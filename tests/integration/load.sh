#!/bin/sh
# Load control: max-rows-per-second (global, and per table overriding it)
# and max-threads-running show in status; a scan paced to 1000 rows a
# second reports exactly; while other sessions keep Threads_running above
# max-threads-running the scan pauses (and says so on standard error) and
# still reports exactly; the scan's own connections do not count. No
# duration is asserted anywhere.
. "$(dirname "$0")/setup"

R='src=scan by=- ;'

db_start
sql "CREATE DATABASE ld"
sql_db ld "CREATE TABLE big (id INT PRIMARY KEY, v INT NOT NULL)"
sql_db ld "INSERT INTO big SELECT seq, seq FROM seq_1_to_3000"
sql_db ld "CREATE TABLE chunky (id INT PRIMARY KEY, v INT NOT NULL)"
sql_db ld "INSERT INTO chunky SELECT seq, seq FROM seq_1_to_200"
sql_db ld "CREATE TABLE small (id INT PRIMARY KEY, v INT NOT NULL)"
sql_db ld "INSERT INTO small SELECT seq, seq FROM seq_1_to_10"
sql_db ld "CREATE TABLE fast (id INT PRIMARY KEY, v INT NOT NULL)"
sql_db ld "INSERT INTO fast SELECT seq, seq FROM seq_1_to_10"
# Read at 600 rows a second: narrow rows (the server has sent them all long
# before the scan has read them) and wide ones (3 MB: the server is still
# sending while the scan reads).
sql_db ld "CREATE TABLE narrow (id INT PRIMARY KEY, v INT NOT NULL)"
sql_db ld "INSERT INTO narrow SELECT seq, seq FROM seq_1_to_3000"
sql_db ld "CREATE TABLE wide (id INT PRIMARY KEY, v INT NOT NULL,
	pad VARCHAR(1000) NOT NULL DEFAULT '')"
sql_db ld "INSERT INTO wide SELECT seq, seq, REPEAT('p', 1000)
	FROM seq_1_to_3000"
dbsc_conf "ld.big" "ld.chunky chunk=50" "ld.small" \
    "ld.fast max-rows-per-second=5000" "ld.narrow" "ld.wide"
# The first scans of the large tables, before any limit.
dbsc --deliver scan ld.big ld.narrow ld.wide
expect_rc 1

# status_is <<EOF: status printed exactly this, last-scan= and fingerprint=
# values aside (written T and F), and for each table the reconcile line of
# a server without a binary log (reconciliation off), left out of EOF.
status_is()
{
	dbsc status
	expect_rc 0
	grep -E -v -e '^table [^ ]+ rows=[0-9]+ last-scan=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z state=present fingerprint=[0-9a-f]{16} ' \
	    -e '^table [^ ]+ never-scanned$' -e '^queued records=' \
	    -e '^max-threads-running=' -e '^follow ' \
	    -e '^reconcile [^ ]+ off at=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z msg=off: the server gives no binary log position for the scan.s snapshot ' \
	    "$W/out" && fail "a status line in an unexpected form"
	[ "$(grep -c '^reconcile ' "$W/out")" = "$(grep -c '^table [^ ]* rows=' "$W/out")" ] ||
	    fail "not one reconcile line for each table scanned"
	sed -e '/^reconcile /d' -e 's/last-scan=[^ ]*/last-scan=T/' \
	    -e 's/fingerprint=[0-9a-f]*/fingerprint=F/' "$W/out" >"$W/status"
	cp "$W/status" "$W/out"
	expect_out
}

echo "=== case status_defaults"
dbsc --deliver scan ld.chunky ld.small ld.fast
expect_rc 1
status_is <<EOF
table ld.big rows=3000 last-scan=T state=present fingerprint=F chunk=0 max-rows-per-second=0
table ld.chunky rows=200 last-scan=T state=present fingerprint=F chunk=50 max-rows-per-second=0
table ld.small rows=10 last-scan=T state=present fingerprint=F chunk=0 max-rows-per-second=0
table ld.fast rows=10 last-scan=T state=present fingerprint=F chunk=0 max-rows-per-second=5000
table ld.narrow rows=3000 last-scan=T state=present fingerprint=F chunk=0 max-rows-per-second=0
table ld.wide rows=3000 last-scan=T state=present fingerprint=F chunk=0 max-rows-per-second=0
queued records=0
max-threads-running=0
follow none
EOF
echo "=== case status_defaults: PASS"

dbsc_conf "ld.big" "ld.chunky chunk=50" "ld.small" \
    "ld.fast max-rows-per-second=5000" "ld.narrow max-rows-per-second=600" \
    "ld.wide max-rows-per-second=600"
cat >>"$W/dbsyscheck.conf" <<EOF
max-rows-per-second 1000
max-threads-running 1
EOF

echo "=== case paced_scan"
# 3000 rows at 1000 a second: the right records, whatever it took.
sql_db ld "UPDATE big SET v = v + 1 WHERE id IN (10, 2999)"
sql_db ld "DELETE FROM big WHERE id = 1500"
sql_db ld "INSERT INTO big VALUES (3001, 3001)"
dbsc --deliver scan ld.big
expect_rc 1
expect_out <<EOF
$(summary 1 2 1)
dbsyscheck: op=update table=ld.big pk=id=10 changed=v $R
dbsyscheck: op=delete table=ld.big pk=id=1500 changed=- $R
dbsyscheck: op=update table=ld.big pk=id=2999 changed=v $R
dbsyscheck: op=insert table=ld.big pk=id=3001 changed=- $R
EOF
grep -q paused "$W/errout" && fail "paused with no load"
# The table option wins over the global one.
status_is <<EOF
table ld.big rows=3000 last-scan=T state=present fingerprint=F chunk=0 max-rows-per-second=1000
table ld.chunky rows=200 last-scan=T state=present fingerprint=F chunk=50 max-rows-per-second=1000
table ld.small rows=10 last-scan=T state=present fingerprint=F chunk=0 max-rows-per-second=1000
table ld.fast rows=10 last-scan=T state=present fingerprint=F chunk=0 max-rows-per-second=5000
table ld.narrow rows=3000 last-scan=T state=present fingerprint=F chunk=0 max-rows-per-second=600
table ld.wide rows=3000 last-scan=T state=present fingerprint=F chunk=0 max-rows-per-second=600
queued records=0
max-threads-running=1
follow none
EOF
echo "=== case paced_scan: PASS"

# sleepers N: N other sessions running SELECT SLEEP(4), all of them under
# way when it returns.
sleepers()
{
	busy_sessions "$1" 4
	echo "($1 sessions running SELECT SLEEP(4))"
}

# expect_paused: the last run said it paused for max-threads-running 1.
expect_paused()
{
	grep -E -q -x 'dbsyscheck: paused [1-9][0-9]* times, [0-9]+\.[0-9] s in all, for max-threads-running 1' \
	    "$W/errout" || fail "no 'paused N times' line on standard error"
	[ "$(grep -c . "$W/errout")" = 1 ] || fail "more on standard error"
}

# change TABLE: update rows 10 and 120, delete 199, insert 5000.
change()
{
	sql_db ld "UPDATE $1 SET v = v + 1 WHERE id IN (10, 120)"
	sql_db ld "DELETE FROM $1 WHERE id = 199"
	sql_db ld "INSERT INTO $1 (id, v) VALUES (5000, 5000)"
}

# changes TABLE: the records of change TABLE.
changes()
{
	cat <<EOF
$(summary 1 2 1)
dbsyscheck: op=update table=ld.$1 pk=id=10 changed=v $R
dbsyscheck: op=update table=ld.$1 pk=id=120 changed=v $R
dbsyscheck: op=delete table=ld.$1 pk=id=199 changed=- $R
dbsyscheck: op=insert table=ld.$1 pk=id=5000 changed=- $R
EOF
}

# undo TABLE: put the rows back (then a scan reports the reverse).
undo()
{
	sql_db ld "UPDATE $1 SET v = v - 1 WHERE id IN (10, 120)"
	sql_db ld "INSERT INTO $1 (id, v) VALUES (199, 199)"
	sql_db ld "DELETE FROM $1 WHERE id = 5000"
}

case_chunk_three_sessions()
{
	# Chunk mode asks before every chunk: three others running, over
	# the limit of one, so it waits; the records are exact.
	change chunky
	sleepers 3
	dbsc --deliver scan ld.chunky
	busy_done
	expect_rc 1
	changes chunky | expect_out
	expect_paused
	undo chunky
	dbsc --deliver scan ld.chunky
	expect_rc 1
}
case_run chunk_three_sessions case_chunk_three_sessions

case_chunk_one_session()
{
	# One other session: Threads_running is 2 while the scan asks, its
	# own query being one; not over the limit of 1, so the scan does not
	# wait for that session to end. (It may pause for a moment when a
	# client that just quit is still counted: on a loaded machine the
	# server can take a while over the COM_QUIT of the previous sql
	# call. Counting its own thread, it would pause until the session
	# ends, a minute here.)
	change chunky
	busy_sessions 1 60
	echo "(1 session running SELECT SLEEP(60))"
	dbsc --deliver scan ld.chunky
	_left=$(sql "SELECT COUNT(*) FROM information_schema.PROCESSLIST
	    WHERE INFO = 'SELECT SLEEP(60)'")
	sql "SELECT CONCAT('KILL QUERY ', ID, ';') FROM
	    information_schema.PROCESSLIST WHERE INFO = 'SELECT SLEEP(60)'" |
	    sql
	busy_done
	expect_rc 1
	changes chunky | expect_out
	[ "$_left" = 1 ] || fail "the scan waited for the other session to end"
	grep -v -E -x 'dbsyscheck: paused [0-9]+ times, [0-9]+\.[0-9] s in all, for max-threads-running 1' \
	    "$W/errout" | grep -q . && fail "more on standard error"
	undo chunky
	dbsc --deliver scan ld.chunky
	expect_rc 1
}
case_run chunk_one_session case_chunk_one_session

# stream_run TABLE N: scan TABLE (paced) in the background; once it has
# shown progress (the load is checked at the same moments, about once a
# second, on the monitor connection), N other sessions start; then wait
# for the scan. Standard error without the progress in $W/errout.
stream_run()
{
	change "$1"
	echo "+ dbsyscheck --progress scan ld.$1 (background)"
	dbsc_bg --deliver --progress scan "ld.$1"
	_n=0
	until grep -q ' rows' "$W/bg.err" 2>/dev/null; do
		_n=$((_n + 1))
		[ "$_n" -lt 600 ] && _alive "$bg" || fail "no progress shown"
		sleep 0.05
	done
	sleepers "$2"
	bg_wait "$bg"
	busy_done
	rc=$st
	cp "$W/bg.out" "$W/out"
	tr '\r' '\n' <"$W/bg.err" | grep -v -e '^$' \
	    -e "^dbsyscheck: ld\\.$1: [0-9]* rows\$" >"$W/errout" || true
	sed 's/^/  out| /' "$W/out"
	sed 's/^/  err| /' "$W/errout"
	echo "  exit $rc"
	expect_rc 1
	changes "$1" | expect_out
}

case_stream_two_sessions()
{
	# Two others start while the rows stream: over the limit of one.
	stream_run narrow 2
	expect_paused
}
case_run stream_two_sessions case_stream_two_sessions

case_stream_one_session()
{
	# One other session runs for the whole scan, also while the server
	# still sends the scan its rows: Threads_running is then 3 (the
	# other, the scan's stream, its monitor's query), the scan's own two
	# not counted: no pause. The other starts before the scan, so that
	# none of the test's own queries (waiting for it to start) can run
	# while the scan looks: one would count as a second other.
	change wide
	busy_sessions 1 600
	echo "(1 session running SELECT SLEEP(600))"
	echo "+ dbsyscheck --deliver --progress scan ld.wide (background)"
	dbsc_bg --deliver --progress scan ld.wide
	bg_wait "$bg"
	rc=$st
	[ "$(sql "SELECT COUNT(*) FROM information_schema.PROCESSLIST
	    WHERE INFO = 'SELECT SLEEP(600)'")" = 1 ] ||
	    fail "the other session did not last the whole scan"
	sql "SELECT ID FROM information_schema.PROCESSLIST
	    WHERE INFO = 'SELECT SLEEP(600)'" | while read -r _id; do
		sql "KILL $_id"
	done
	busy_done
	cp "$W/bg.out" "$W/out"
	tr '\r' '\n' <"$W/bg.err" | grep -v -e '^$' \
	    -e "^dbsyscheck: ld\\.wide: [0-9]* rows\$" >"$W/errout" || true
	sed 's/^/  out| /' "$W/out"
	sed 's/^/  err| /' "$W/errout"
	echo "  exit $rc"
	expect_rc 1
	changes wide | expect_out
	grep -q ' rows' "$W/bg.err" || fail "no progress shown"
	! grep -q paused "$W/errout" || fail "paused for its own threads"
	[ ! -s "$W/errout" ] || fail "more on standard error"
}
case_run stream_one_session case_stream_one_session

case_full_small_table()
{
	# A table read in well under a second, in full mode: the load is
	# looked at before it is read, as in chunk mode.
	sql_db ld "UPDATE small SET v = v + 1 WHERE id = 3"
	sleepers 3
	dbsc --deliver scan ld.small
	busy_done
	expect_rc 1
	expect_out <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=ld.small pk=id=3 changed=v $R
EOF
	expect_paused
}
case_run full_small_table case_full_small_table

case_end

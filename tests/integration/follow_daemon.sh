#!/bin/sh
# dbsyscheck follow -f, the long-running mode: it stays up while nothing
# happens, each change's records reach standard output and the --log file
# as it is made (across a rotation of the log too), a cron scan beside it
# is not refused for its lock, and SIGTERM stops it cleanly (exit 0 or 1)
# at a position from which a bounded run goes on without losing or
# repeating a record.
. "$(dirname "$0")/setup"

db_start_binlog
sql "CREATE DATABASE fm"
sql_db fm "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40))"
sql_db fm "INSERT INTO t VALUES (1, 'a')"
follow_account fm.t
follow_conf "fm.t"
follow_first
dbsc scan
expect_rc 1

# wait_line FILE TEXT: FILE gets a line holding TEXT (fixed) within 20 s.
wait_line()
{
	_wl_n=0
	while ! grep -q -F -e "$2" "$1" 2>/dev/null; do
		_wl_n=$((_wl_n + 1))
		if [ "$_wl_n" -gt 200 ]; then
			sed 's/^/  bg.out| /' "$W/bg.out" >&2
			sed 's/^/  bg.err| /' "$W/bg.err" >&2
			fail "no '$2' in $(basename "$1") after 20 s"
		fi
		_alive "$bg" || {
			sed 's/^/  bg.err| /' "$W/bg.err" >&2
			fail "follow -f exited while waiting for '$2'"
		}
		sleep 0.1
	done
}

dbsc_bg --log "$W/follow.log" follow -f
sleep 3
_alive "$bg" || {
	sed 's/^/  bg.err| /' "$W/bg.err" >&2
	fail "follow -f did not stay up with nothing to read"
}

rec()
{
	echo "dbsyscheck: op=$1 table=fm.t pk=id=$2 changed=$3 src=binlog by=- ;"
}

sql "INSERT INTO fm.t VALUES (7, 'x')"
wait_line "$W/bg.out" "$(rec insert 7 -)"
wait_line "$W/follow.log" "op=insert table=fm.t pk=id=7 changed=- src=binlog"
sql "UPDATE fm.t SET v = 'y' WHERE id = 7"
wait_line "$W/bg.out" "$(rec update 7 v)"

# A rotation while it runs.
sql "FLUSH BINARY LOGS"
sql "DELETE FROM fm.t WHERE id = 7"
wait_line "$W/bg.out" "$(rec delete 7 -)"

# A cron scan beside it (twice: with and without a change to report).
sql "INSERT INTO fm.t VALUES (8, 'p')"
wait_line "$W/bg.out" "$(rec insert 8 -)"
for want in 1 0; do
	dbsc scan
	[ "$rc" = "$want" ] ||
	    fail "a scan beside follow -f exited $rc, expected $want"
	! grep -q -i 'lock' "$W/errout" ||
	    fail "a scan beside follow -f met its lock"
done
_alive "$bg" || fail "follow -f exited beside a scan"

# Records, each once, in order, each transaction ending with op=commit.
sed -n 's/^\(dbsyscheck: op=[a-z]*\) .*/\1/p' "$W/bg.out" |
    grep -v 'op=summary' >"$W/ops"
printf '%s\n' insert commit update commit delete commit insert commit |
    sed 's/^/dbsyscheck: op=/' >"$W/want"
if ! cmp -s "$W/want" "$W/ops"; then
	diff "$W/want" "$W/ops" >&2
	fail "follow -f records not each once in order"
fi

# SIGTERM: a clean stop.
kill -TERM "$bg"
bg_wait "$bg"
[ "$st" = 0 ] || [ "$st" = 1 ] || {
	sed 's/^/  bg.err| /' "$W/bg.err" >&2
	fail "follow -f exited $st on SIGTERM"
}
! grep -q -i 'sanitizer\|runtime error' "$W/bg.err" ||
    fail "follow -f left a sanitizer report"

# What follows the stop is for the next run, and nothing before it again.
sql "UPDATE fm.t SET v = 'q' WHERE id = 8"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 1 0)
$(rec update 8 v)
$(commit_rec 1)
EOF

# Stopped while waiting with nothing read: exit 0, and SIGINT stops it too.
dbsc_bg follow -f
sleep 2
kill -INT "$bg"
bg_wait "$bg"
[ "$st" = 0 ] || fail "follow -f stopped by SIGINT with nothing read exited $st"
[ ! -s "$W/bg.out" ] || fail "follow -f with nothing to read printed something"

# follow takes no table names: one stored position serves every table.
dbsc follow fm.t
expect_rc 2
grep -q 'follow takes no table names' "$W/errout" ||
    fail "follow with a table name was not refused"

# One follower at a time: a second one (bounded or -f) is refused while
# the first runs, which goes on undisturbed. The first gives its --log
# file at start what was queued before it (a --no-report run's records;
# standard output has only its own records).
sql "UPDATE fm.t SET v = 'r' WHERE id = 8"
dbsc --no-report follow
expect_rc 1
expect_empty
dbsc_bg --log "$W/rot.log" follow -f
wait_line "$W/rot.log" "op=update table=fm.t pk=id=8 changed=v src=binlog"
first=$bg
dbsc follow
expect_rc 2
grep -q 'one follower at a time on a baseline: another dbsyscheck run holds the lock .*follow.lock' "$W/errout" ||
    fail "a second follower was not refused"
_alive "$first" || fail "follow -f exited beside a second follower"
# The first one follows the log: no note of a follower that cannot start.
[ ! -e "$W/baseline.db.follow.failed" ] ||
    fail "a second follower left a failure note"

# The --log file rotated under it (renamed, then removed): the next
# records go to a new file at the path, as logrotate expects.
mv "$W/rot.log" "$W/rot.log.1"
sql "INSERT INTO fm.t VALUES (9, 'n')"
wait_line "$W/rot.log" "op=insert table=fm.t pk=id=9 changed=- src=binlog"
rm -f "$W/rot.log"
sql "DELETE FROM fm.t WHERE id = 9"
wait_line "$W/rot.log" "op=delete table=fm.t pk=id=9 changed=- src=binlog"
! grep -q 'pk=id=9' "$W/rot.log.1" ||
    fail "records went to the rotated log file"
bg=$first
kill -TERM "$bg"
bg_wait "$bg"
[ "$st" = 1 ] || fail "follow -f exited $st on SIGTERM after records"

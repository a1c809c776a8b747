#!/bin/sh
# Records for the operator and records for the SIEM: only the SIEM's
# consumer (a run with --deliver, or the log sink with --no-report) takes
# records off the queue. A reset, a scan, a report or an error run by an
# operator, on a terminal or from a script, prints a copy of its own
# records and leaves them queued, so that the SIEM's command of every
# documented set-up still gets them: set-up 1 (--deliver scan), 2 and 3
# (--deliver report), 4 (--log FILE --no-report scan, each record once in
# the file). Operator runs never print older records again; a queue that
# no consumer takes from is said on standard error and by status; report
# without --deliver refuses and takes nothing.
. "$(dirname "$0")/setup"

command -v script >/dev/null 2>&1 || fail "script(1) not found (util-linux)"

me=$(printf "%s" "$(id -un)" | pct)
R='src=scan by=- ;'

db_start
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (
	id INT PRIMARY KEY AUTO_INCREMENT,
	login VARCHAR(20) NOT NULL,
	password VARCHAR(60) NOT NULL)"
sql_db acme "INSERT INTO users VALUES (1, 'alice', 'a1'), (2, 'bob', 'b1')"
sql_db acme "CREATE TABLE orders (id INT PRIMARY KEY, n INT NOT NULL)"
sql_db acme "INSERT INTO orders VALUES (1, 1)"
dbsc_conf "acme.users" "acme.orders"

# tty_run [args...]: dbsyscheck on a terminal (script(1) gives it a pty
# for standard input, output and error), as an operator types it; its
# output in $W/out, carriage returns removed, exit status in $rc.
tty_run()
{
	echo "+ dbsyscheck $* (on a terminal)"
	rc=0
	script -qec "timeout -k 5 $DBSC_TIMEOUT $dbsc_wrap \
	    $top_builddir/dbsyscheck -c $W/dbsyscheck.conf $*" /dev/null \
	    </dev/null >"$W/tty.out" || rc=$?
	tr -d '\r' <"$W/tty.out" | grep -v '^dbsyscheck: [^o]' >"$W/out" || true
	sed 's/^/  tty| /' "$W/tty.out"
	echo "  exit $rc"
}

# expect_queued N: status says N queued records.
expect_queued()
{
	dbsc status
	grep -qx "queued records=$1" "$W/out" ||
	    fail "status does not say queued records=$1"
}

# The SIEM's command of set-ups 2 and 3.
siem_report()
{
	dbsc --deliver --max-bytes 0 report
}

dbsc --deliver scan
expect_rc 1
expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=baseline table=acme.users rows=2 src=scan ;
dbsyscheck: op=baseline table=acme.orders rows=1 src=scan ;
EOF
expect_queued 0

case_reset_terminal()
{
	# The issue's example: a password changed, then absorbed by a reset
	# typed on a terminal; the SIEM's report still delivers the reset,
	# which names the table whose change it absorbed and who ran it.
	sql "UPDATE acme.users SET password = 'x' WHERE id = 1"
	tty_run reset acme.users
	expect_rc 0
	expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=reset table=acme.users rows=2 src=scan by=$me ;
EOF
	expect_queued 1
	siem_report
	expect_rc 1
	expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=reset table=acme.users rows=2 src=scan by=$me ;
EOF
	siem_report
	expect_rc 0
	expect_empty
	expect_queued 0
}
case_run reset_terminal case_reset_terminal

case_reset_script()
{
	# The same from a script: standard output a file, no terminal at all.
	sql "UPDATE acme.users SET password = 'y' WHERE id = 1"
	dbsc reset acme.users
	expect_rc 0
	expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=reset table=acme.users rows=2 src=scan by=$me ;
EOF
	siem_report
	expect_rc 1
	expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=reset table=acme.users rows=2 src=scan by=$me ;
EOF
	expect_queued 0
}
case_run reset_script case_reset_script

case_operator_scan()
{
	# An operator's scan shows the changes it found and leaves them for
	# the SIEM; a second operator run shows nothing again.
	sql "INSERT INTO acme.users VALUES (7, 'xavier', 'x1')"
	tty_run scan
	expect_rc 1
	expect_out <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=acme.users pk=id=7 changed=- $R
EOF
	sql "UPDATE acme.users SET password = 'x2' WHERE id = 7"
	dbsc scan
	expect_rc 1
	expect_out <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=acme.users pk=id=7 changed=password $R
EOF
	dbsc scan
	expect_rc 0
	expect_empty
	tty_run scan
	expect_rc 0
	expect_empty
	expect_queued 2
	siem_report
	expect_rc 1
	expect_out <<EOF
$(summary 1 1 0)
dbsyscheck: op=insert table=acme.users pk=id=7 changed=- $R
dbsyscheck: op=update table=acme.users pk=id=7 changed=password $R
EOF
	expect_queued 0
}
case_run operator_scan case_operator_scan

case_setup1()
{
	# Set-up 1: the agent's full_command runs the scan with --deliver;
	# it delivers what operators' runs queued before its own records.
	sql "UPDATE acme.orders SET n = 2 WHERE id = 1"
	tty_run reset acme.orders
	expect_rc 0
	sql "DELETE FROM acme.users WHERE id = 7"
	dbsc --deliver scan
	expect_rc 1
	expect_out <<EOF
$(summary 0 0 1)
dbsyscheck: op=reset table=acme.orders rows=1 src=scan by=$me ;
dbsyscheck: op=delete table=acme.users pk=id=7 changed=- $R
EOF
	dbsc --deliver scan
	expect_rc 0
	expect_empty
	expect_queued 0
}
case_run setup1 case_setup1

case_other_kinds()
{
	# Every other kind of record too: schema, missing, and a run-level
	# error queued by an operator's run (no server at its socket).
	sql_db acme "ALTER TABLE users ADD COLUMN email VARCHAR(40)"
	sql_db acme "CREATE TABLE gone (id INT PRIMARY KEY)"
	dbsc_conf "acme.users" "acme.orders" "acme.gone"
	dbsc --deliver scan acme.gone
	expect_rc 1
	sql_db acme "DROP TABLE gone"
	tty_run scan
	expect_rc 1
	grep -q '^dbsyscheck: op=schema table=acme.users ' "$W/out" ||
	    fail "the operator's run shows no op=schema"
	grep -q '^dbsyscheck: op=missing table=acme.gone ' "$W/out" ||
	    fail "the operator's run shows no op=missing"
	tail -n +2 "$W/out" >"$W/kinds"
	sed "s|^socket=.*|socket=$W/nosock|" "$W/my.cnf" >"$W/bad.cnf"
	chmod 0600 "$W/bad.cnf"
	sed "s|^mysql-defaults-file .*|mysql-defaults-file $W/bad.cnf|" \
	    "$W/dbsyscheck.conf" >"$W/bad.conf"
	chmod 0600 "$W/bad.conf"
	dbsc -c "$W/bad.conf" scan
	expect_rc 2
	[ "$(wc -l <"$W/out")" = 2 ] &&
	    grep -q '^dbsyscheck: op=error msg=.*nosock.* src=scan ;$' \
	    "$W/out" || fail "the operator's run shows no op=error"
	tail -n +2 "$W/out" >>"$W/kinds"
	siem_report
	expect_rc 1
	tail -n +2 "$W/out" | cmp -s - "$W/kinds" ||
	    fail "the SIEM's report does not deliver the operator's records"
	head -n 1 "$W/out" | grep -q ' errors=1 pending=0 ;$' ||
	    fail "the SIEM's summary does not count the error"
	expect_queued 0
	dbsc_conf "acme.users" "acme.orders"
}
case_run other_kinds case_other_kinds

case_report_needs_deliver()
{
	# report without --deliver, typed by an operator or run by an agent
	# set up before --deliver: an op=error record saying what to do,
	# exit 2, nothing taken off the queue.
	sql "INSERT INTO acme.users VALUES (8, 'yves', 'y1', NULL)"
	dbsc --no-report scan
	expect_rc 1
	expect_queued 1
	dbsc report
	expect_rc 2
	expect_err "--deliver"
	grep -q '^dbsyscheck: op=error msg=.*--deliver.* src=scan ;$' "$W/out" ||
	    fail "report without --deliver writes no op=error record"
	tty_run report
	expect_rc 2
	expect_queued 1
	siem_report
	expect_rc 1
	expect_out <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=acme.users pk=id=8 changed=- $R
EOF
}
case_run report_needs_deliver case_report_needs_deliver

case_queue_not_silent()
{
	# No consumer (a cron line from before --deliver): each run shows its
	# own records only, and says on standard error that records of
	# earlier runs still wait for the SIEM's consumer.
	sql "INSERT INTO acme.users VALUES (9, 'zoe', 'z1', NULL)"
	dbsc scan
	expect_rc 1
	sql "INSERT INTO acme.users VALUES (10, 'zed', 'z2', NULL)"
	dbsc scan
	expect_rc 1
	expect_out <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=acme.users pk=id=10 changed=- $R
EOF
	expect_err "1 record queued by earlier runs"
	dbsc --no-report scan
	expect_rc 0
	expect_err "2 records queued by earlier runs"
	expect_queued 2
	siem_report
	expect_rc 1
	dbsc scan
	expect_rc 0
	expect_empty
	[ ! -s "$W/errout" ] || fail "a warning with nothing queued"
}
case_run queue_not_silent case_queue_not_silent

case_setup4()
{
	# Set-up 4: the timer's run writes the log file and is the consumer;
	# an operator's run without --log leaves its records to it, one with
	# --log writes them itself, and each record is in the log once.
	dbsc_conf "acme.users" "acme.orders"
	sed -e "s|^baseline .*|baseline $W/log.db|" \
	    -e "s|^key .*|key $W/log.key|" "$W/dbsyscheck.conf" >"$W/log.conf"
	chmod 0600 "$W/log.conf"
	cron="-c $W/log.conf --log $W/siem.log --no-report scan"
	dbsc $cron
	expect_rc 1
	expect_empty
	sql "UPDATE acme.users SET password = 'z' WHERE id = 2"
	echo "+ (operator) dbsyscheck -c log.conf reset acme.users"
	script -qec "$top_builddir/dbsyscheck -c $W/log.conf reset acme.users" \
	    /dev/null </dev/null >"$W/tty.out" || fail "reset failed"
	grep -q 'op=reset table=acme.users ' "$W/tty.out" ||
	    fail "the operator's reset printed no op=reset"
	grep -q 'op=reset' "$W/siem.log" && fail "logged before the timer ran"
	dbsc $cron
	expect_rc 0
	sql "INSERT INTO acme.users VALUES (11, 'ann', 'a2', NULL)"
	dbsc -c "$W/log.conf" --log "$W/siem.log" scan
	expect_rc 1
	grep -q 'op=insert table=acme.users pk=id=11 ' "$W/out" ||
	    fail "the operator's scan with --log shows no insert"
	dbsc $cron
	dbsc $cron
	expect_rc 0
	sed 's/^/  log| /' "$W/siem.log"
	[ "$(grep -c " op=reset table=acme.users rows=[0-9]* src=scan by=$me ;\$" \
	    "$W/siem.log")" = 1 ] || fail "op=reset is not in the log once"
	[ "$(grep -c ' op=insert table=acme.users pk=id=11 ' "$W/siem.log")" = 1 ] ||
	    fail "the insert is not in the log once"
	dbsc -c "$W/log.conf" status
	grep -qx "queued records=0" "$W/out" ||
	    fail "the log's consumer left records queued"
}
case_run setup4 case_setup4

case_end

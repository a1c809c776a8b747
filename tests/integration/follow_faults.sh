#!/bin/sh
# dbsyscheck follow when the log moves or cannot be trusted: rotation
# (FLUSH BINARY LOGS) between runs and within one run's reach; purged logs
# past the stored position, binlog_format STATEMENT, binlog_row_image
# MINIMAL (at the server, and images without columns already in the
# log), a server without a binary log, and an account without REPLICATION
# SLAVE: each an op=error naming its cause, exit 2, and never a silent
# gap (the next run says it again). Under exactly sql/grant.sql's grants.
. "$(dirname "$0")/setup"

db_start_binlog
sql "CREATE DATABASE fl"
sql_db fl "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40))"
sql_db fl "CREATE TABLE u (id INT PRIMARY KEY, v VARCHAR(40))"
follow_account fl.t
follow_conf "fl.t"
follow_first

# --- (f) Rotation between two runs: the next run goes on in the new file.
sql "INSERT INTO fl.t VALUES (1, 'a')"
sql "FLUSH BINARY LOGS"
sql "INSERT INTO fl.t VALUES (2, 'b')"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 2 0 0)
dbsyscheck: op=insert table=fl.t pk=id=1 changed=- src=binlog by=- ;
$(commit_rec 1)
dbsyscheck: op=insert table=fl.t pk=id=2 changed=- src=binlog by=- ;
$(commit_rec 1)
EOF
# The last op=commit is at the end of the new file's transaction (the
# server may write its Binlog_checkpoint event after it, at any time).
_f=$(master_pos | cut -d: -f1)
_x=$(sql "SHOW BINLOG EVENTS IN '$_f'" |
    awk -F '\t' '$3 == "Xid" { p = $5 } END { print p }')
[ -n "$_x" ] || fail "no transaction in $_f"
grep -q " pos=$_f:$_x src=binlog " "$W/out" ||
    fail "the last op=commit is not at $_f:$_x"
sql "FLUSH BINARY LOGS"
dbsc follow
expect_rc 0
expect_empty
sql "FLUSH BINARY LOGS"
sql "UPDATE fl.t SET v='c' WHERE id=2"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=fl.t pk=id=2 changed=v src=binlog by=- ;
$(commit_rec 1)
EOF

# Many transactions over many files in one run, each file cut mid-way
# through the changes, with unwatched changes in between.
n=300
i=3
while [ "$i" -le "$n" ]; do
	echo "INSERT INTO fl.t VALUES ($i, REPEAT('x', $i % 40));"
	echo "INSERT INTO fl.u VALUES ($i, 'u');"
	[ $((i % 37)) != 0 ] || echo "FLUSH BINARY LOGS;"
	i=$((i + 1))
done | sql
files_before=$(sql "SHOW BINARY LOGS" | wc -l)
[ "$files_before" -ge 9 ] || fail "only $files_before binary logs"
# Standard output is not a terminal: no cap (--max-bytes 0) for a run
# this long.
dbsc --max-bytes 0 follow
expect_rc 1
i=3
{
	summary $((n - 2)) 0 0
	while [ "$i" -le "$n" ]; do
		echo "dbsyscheck: op=insert table=fl.t pk=id=$i changed=- src=binlog by=- ;"
		commit_rec 1
		i=$((i + 1))
	done
} | expect_norm

# --- (g) A purged position: op=error naming the purge, every run.
dbsc follow
expect_rc 0
stored=$(master_pos | cut -d: -f1)
sql "INSERT INTO fl.t VALUES (1000, 'lost')"
sql "FLUSH BINARY LOGS"
sql "INSERT INTO fl.t VALUES (1001, 'later')"
# MariaDB keeps a file until its transactions are durable in InnoDB (the
# binary log checkpoint): rotate and purge until the file is gone.
k=0
while sql "SHOW BINARY LOGS" | grep -q "^$stored	"; do
	k=$((k + 1))
	[ "$k" -le 100 ] || fail "$stored cannot be purged"
	sql "FLUSH BINARY LOGS"
	sql "PURGE BINARY LOGS TO '$(master_pos | cut -d: -f1)'"
	sleep 0.1
done
dbsc follow
expect_follow_error 'purg'
dbsc follow
expect_follow_error 'purg'

# The way out (docs/BINLOG.md, "After a purge"): a scan, then reset
# without table names, which forgets the position; the next follow starts
# again at the end of the log.
dbsc scan
dbsc reset
expect_rc 0
follow_first

# --- (h) binlog_format STATEMENT and binlog_row_image MINIMAL.
sql "SET GLOBAL binlog_format=STATEMENT"
dbsc follow
expect_follow_error 'binlog_format|format'
sql "SET GLOBAL binlog_format=ROW"
dbsc follow
expect_rc 0
expect_empty

sql "SET GLOBAL binlog_row_image=MINIMAL"
dbsc follow
expect_follow_error 'row_image|image'
sql "SET GLOBAL binlog_row_image=FULL"
dbsc follow
expect_rc 0
expect_empty

# Images without all columns already in the log: the server is FULL again
# by the time the follower connects, the event is not. The table's error
# is queued with the position past the event (one op=error, at least once
# delivered, docs/BINLOG.md); the changes after it are read again.
sql "SET GLOBAL binlog_row_image=MINIMAL"
sql "UPDATE fl.t SET v='minimal' WHERE id=1"
sql "SET GLOBAL binlog_row_image=FULL"
dbsc follow
expect_follow_error 'image|column'
grep -q '^dbsyscheck: op=error table=fl.t ' "$W/out" ||
    fail "the op=error does not name the table"
sql "UPDATE fl.t SET v='full' WHERE id=1"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=fl.t pk=id=1 changed=v src=binlog by=- ;
$(commit_rec 1)
EOF

# --- (l) The account without REPLICATION SLAVE.
rm -f "$W/baseline.db" "$W/hmac.key"
follow_first
sql "REVOKE REPLICATION SLAVE ON *.* FROM 'dbsyscheck'@'localhost'"
sql "INSERT INTO fl.t VALUES (2000, 'x')"
dbsc follow
expect_follow_error 'REPLICATION%20SLAVE|replication'
follow_account fl.t
dbsc follow
expect_rc 1

# Without BINLOG MONITOR a first run cannot find the end of the log.
rm -f "$W/baseline.db" "$W/hmac.key"
sql "REVOKE BINLOG MONITOR ON *.* FROM 'dbsyscheck'@'localhost'"
dbsc follow
expect_follow_error 'BINLOG%20MONITOR'
follow_account fl.t

# --- A server without a binary log.
db_stop
db_start
rm -f "$W/baseline.db" "$W/hmac.key"
dbsc follow
expect_follow_error 'binary%20log|log_bin'
db_stop
db_start_binlog

# A change written as a statement into the log (the session's format):
# the follower cannot see its rows, so it must say so.
rm -f "$W/baseline.db" "$W/hmac.key"
follow_first
sql "SET SESSION binlog_format=STATEMENT;
	UPDATE fl.t SET v='stmt' WHERE id=2"
dbsc follow
expect_follow_error 'statement|format|row'

# A first follow before any scan: the baseline's directory is made, as a
# scan makes it (not "follow.lock: No such file or directory").
sed -e "s|^baseline .*|baseline $W/state/baseline.db|" \
    -e "s|^key .*|key $W/state/hmac.key|" "$W/dbsyscheck.conf" \
    >"$W/conf.new"
mv "$W/conf.new" "$W/dbsyscheck.conf"
chmod 0600 "$W/dbsyscheck.conf"
[ ! -e "$W/state" ] || fail "$W/state is there already"
dbsc follow
expect_rc 1
grep -q '^dbsyscheck: op=start ' "$W/out" || fail "no op=start"
[ "$(stat -c %a "$W/state")" = 700 ] || fail "$W/state is not mode 0700"

# A follower that cannot start (here its option file readable by others)
# leaves a note: status shows it and report says it at every run (exit 2)
# until a follow run gets as far as the baseline; a scan does not clear it.
chmod 0644 "$W/my.cnf"
dbsc --no-report follow
expect_rc 2
[ -f "$W/state/baseline.db.follow.failed" ] || fail "no note of the follower"
dbsc status
expect_rc 2
grep -q '^failed-follow=[0-9T:-]*Z msg=.*my\.cnf' "$W/out" ||
    fail "status does not show the follower's failure"
! grep -q '^failed-scan=' "$W/out" || fail "status calls it a scan's"
for i in 1 2; do
	dbsc report --deliver
	expect_rc 2
	_m='^dbsyscheck: op=error msg=the%20last%20follow%20run%20(.*)'
	grep -q "$_m%20could%20not%20start.*my\.cnf.* src=binlog ;\$" \
	    "$W/out" || fail "report does not say the follower's failure"
done
chmod 0600 "$W/my.cnf"
dbsc --no-report follow
expect_rc 0
[ ! -e "$W/state/baseline.db.follow.failed" ] || fail "the note stayed"
dbsc status
expect_rc 0
! grep -q '^failed-' "$W/out" || fail "status still shows a failure"

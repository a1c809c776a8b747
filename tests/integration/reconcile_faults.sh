#!/bin/sh
# Reconciliation when the log cannot tell: never a silent gap. With
# `reconcile auto` (the default) and no position ever stored, a log that
# cannot be read turns it off and status says why; once a table has a
# position, an interval that cannot be read is an op=error table=...
# msg=cannot reconcile... (REPLICATION SLAVE revoked, the log purged or
# reset, the binary log turned off, an XA transaction prepared before the
# interval and committed in it), and the run after it works again from the
# new position. A statement logged as text cannot be checked: logged=text.
# `reconcile yes` makes a log that cannot be read an error, `reconcile no`
# turns it off.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/reconcile_lib.sh"

db_start_binlog
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (id INT PRIMARY KEY, login VARCHAR(20),
	note VARCHAR(40))"
sql_db acme "INSERT INTO users VALUES (1, 'alice', 'x'), (2, 'bob', 'x'),
	(3, 'carol', 'x')"
sql_db acme "CREATE TABLE orders (id INT PRIMARY KEY, v INT)"
sql_db acme "INSERT INTO orders VALUES (1, 1), (2, 2)"
# Not watched: writes that only move the log.
sql_db acme "CREATE TABLE pad (id INT PRIMARY KEY AUTO_INCREMENT, v INT)"
follow_account acme.users acme.orders
rc_conf acme.users acme.orders
U=acme.users

slave_off()
{
	sql "REVOKE REPLICATION SLAVE ON *.* FROM 'dbsyscheck'@'localhost'"
}

slave_on()
{
	sql "GRANT REPLICATION SLAVE ON *.* TO 'dbsyscheck'@'localhost'"
}

# --- auto, without REPLICATION SLAVE, no position ever stored: off, the
# scans as before, no error.
slave_off
rscan
expect_rc 1
expect_recs 0 0 0 <<EOF
dbsyscheck: op=baseline table=acme.users rows=3 src=scan ;
dbsyscheck: op=baseline table=acme.orders rows=2 src=scan ;
EOF
expect_off $U
expect_off acme.orders
unlogged "UPDATE acme.users SET note='a' WHERE id=1"
rscan
expect_rc 1
expect_recs 0 1 0 <<EOF
dbsyscheck: op=update table=acme.users pk=id=1 changed=note src=scan by=- ;
EOF
expect_off $U

# Granted: the next scan stores the positions without checking (there is
# no interval yet), the one after reconciles.
slave_on
unlogged "UPDATE acme.users SET note='b' WHERE id=1"
rscan
expect_rc 1
expect_recs 0 1 0 <<EOF
dbsyscheck: op=update table=acme.users pk=id=1 changed=note src=scan by=- ;
EOF
expect_not_yet $U "$pos_now"
expect_not_yet acme.orders "$pos_now"
unlogged "UPDATE acme.users SET note='c' WHERE id=1"
rscan
expect_rc 1
expect_recs 0 1 0 <<EOF
dbsyscheck: op=update table=acme.users pk=id=1 changed=note src=scan by=- ;
$(untraced $U id=1 update none)
EOF
expect_interval $U "$pos_prev" "$pos_now" 1

# --- A statement logged as text changed a row: no row event decides it,
# logged=text. A row of the same interval with row events that explain it
# is not said.
sql_db acme "SET SESSION binlog_format=STATEMENT;
	UPDATE users SET login='st' WHERE id=2"
sql "UPDATE acme.users SET login='row' WHERE id=3"
rscan
expect_rc 1
expect_recs 0 2 0 <<EOF
dbsyscheck: op=update table=acme.users pk=id=2 changed=login src=scan by=- ;
dbsyscheck: op=update table=acme.users pk=id=3 changed=login src=scan by=- ;
$(untraced $U id=2 update text)
EOF

# --- XA: prepared and committed in one interval: explained; prepared
# before a scan (its rows in the log before the position, not in the
# snapshot: not a change yet), committed after: cannot be reconciled.
sql_db acme "XA START 'a'; UPDATE users SET login='xa' WHERE id=3; XA END 'a';
	XA PREPARE 'a'"
sql_db acme "XA COMMIT 'a'"
rscan
expect_rc 1
expect_recs 0 1 0 <<EOF
dbsyscheck: op=update table=acme.users pk=id=3 changed=login src=scan by=- ;
EOF
sql_db acme "XA START 'b'; UPDATE users SET login='xb' WHERE id=3; XA END 'b';
	XA PREPARE 'b'"
rscan
expect_none
sql_db acme "XA COMMIT 'b'"
rscan
expect_rc_error $U
# The scan's records kept (README, exit codes).
[ "$(grep -c '^dbsyscheck: op=update table=acme.users pk=id=3 changed=login src=scan by=- ;$' \
    "$W/out")" = 1 ] || fail "the XA's update was not said with the error"
rscan
expect_none

# --- REPLICATION SLAVE revoked once positions are stored: an error for
# each table; granted again, it works.
slave_off
rscan
expect_rc_error $U acme.orders
slave_on
rscan
expect_none

# --- The log purged past the stored position: an error for each table,
# then the new position.
old_file=${pos_now%:*}
sql "FLUSH BINARY LOGS"
new_file=$(master_pos)
new_file=${new_file%:*}
[ "$old_file" != "$new_file" ] || fail "FLUSH BINARY LOGS did not rotate"
purge_to "$new_file"
rscan
expect_rc_error $U acme.orders
rscan
expect_none
unlogged "UPDATE acme.users SET note='d' WHERE id=1"
rscan
expect_rc 1
expect_recs 0 1 0 <<EOF
dbsyscheck: op=update table=acme.users pk=id=1 changed=note src=scan by=- ;
$(untraced $U id=1 update none)
EOF

# --- RESET MASTER: the stored position's file is gone.
sql "RESET MASTER"
rscan
expect_rc_error $U acme.orders
rscan
expect_none
# RESET MASTER again: the position is binlog.000001 at the same offset,
# the end of the new file's header, a valid place to read from: only the
# file's creation time (a second later at least) tells it is another file.
# Nothing logged after it: the interval holds no event at all.
[ "$pos_now" = binlog.000001:325 ] ||
    fail "the position after RESET MASTER is $pos_now, not binlog.000001:325"
sleep 1.1
sql "RESET MASTER"
[ "$(master_pos)" = "$pos_now" ] ||
    fail "the second RESET MASTER left $(master_pos), not $pos_now"
rscan
expect_rc_error $U acme.orders
rscan
expect_none
# The same with a row of another table logged after the reset.
sleep 1.1
sql "RESET MASTER"
[ "$(master_pos)" = "$pos_now" ] ||
    fail "the third RESET MASTER left $(master_pos), not $pos_now"
sql "INSERT INTO acme.pad (v) VALUES (0)"
rscan
expect_rc_error $U acme.orders
rscan
expect_none
# And past the end of the new file.
sql "INSERT INTO acme.pad (v) VALUES (1), (2), (3)"
rscan
expect_none
sleep 1.1
sql "RESET MASTER"
rscan
expect_rc_error $U acme.orders
rscan
expect_none

# --- The binary log turned off.
db_stop
db_start
# auto, positions stored: an error for each table.
rscan
expect_rc_error $U acme.orders
# yes, a new state: an error for each table, from the first run on.
rc_conf acme.users acme.orders
rc_conf_baseline yes
rc_conf_line "reconcile yes"
dbsc scan
expect_rc 2
for t in $U acme.orders; do
	[ "$(grep -c "^dbsyscheck: op=error table=$t msg=[^ ]* src=scan ;\$" \
	    "$W/out")" = 1 ] || fail "reconcile yes: not one op=error for $t"
done
dbsc scan
expect_rc_error $U acme.orders
# auto, a new state: the scans as before, status says off.
rc_conf acme.users acme.orders
rc_conf_baseline auto
rscan
expect_rc 1
expect_recs 0 0 0 <<EOF
dbsyscheck: op=baseline table=acme.users rows=3 src=scan ;
dbsyscheck: op=baseline table=acme.orders rows=2 src=scan ;
EOF
sql "UPDATE acme.users SET note='e' WHERE id=1"
rscan
expect_rc 1
expect_recs 0 1 0 <<EOF
dbsyscheck: op=update table=acme.users pk=id=1 changed=note src=scan by=- ;
EOF
expect_off $U
expect_off acme.orders

# --- reconcile no, beside auto on a new state of its own (the control):
# the same change without the log is untraced for one, not the other.
db_stop
db_start_binlog
rc_conf acme.users acme.orders
rc_conf_baseline no
rc_conf_line "reconcile no"
cp "$W/dbsyscheck.conf" "$W/conf.no"
rc_conf acme.users acme.orders
rc_conf_baseline ctl
cp "$W/dbsyscheck.conf" "$W/conf.ctl"
for c in no ctl; do
	cat "$W/conf.$c" >"$W/dbsyscheck.conf"
	dbsc scan
	expect_rc 1
done
unlogged "UPDATE acme.users SET note='f' WHERE id=2"
cat "$W/conf.no" >"$W/dbsyscheck.conf"
dbsc scan
expect_rc 1
expect_recs 0 1 0 <<EOF
dbsyscheck: op=update table=acme.users pk=id=2 changed=note src=scan by=- ;
EOF
expect_off $U
cat "$W/conf.ctl" >"$W/dbsyscheck.conf"
dbsc scan
expect_rc 1
[ "$(grep -c '^dbsyscheck: op=untraced table=acme.users pk=id=2 change=update logged=none from=' \
    "$W/out")" = 1 ] || fail "the control (auto) did not say op=untraced"
exit 0

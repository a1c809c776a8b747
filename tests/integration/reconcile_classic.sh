#!/bin/sh
# Reconciliation of the scan against the binary log, the ordinary cases:
# every change made through the log (insert, update, delete, a key change,
# multi-row statements, transactions committed, rolled back and rolled
# back to a savepoint, TRUNCATE) is explained and gives only the scan's
# usual records, never op=untraced (DROP and CREATE of the table in the
# interval too, docs/BINLOG.md); changes made with
# sql_log_bin=0 are op=untraced where the scan sees them (a masked column),
# not where it does not (an ignored column); a table not on InnoDB is not
# reconciled; status shows each table's interval. The scan account has the
# grants of sql/grant.sql with the follower's line.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/reconcile_lib.sh"

secret='RC-masked-secret-4f1a-never-shown'

db_start_binlog
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (
	id INT PRIMARY KEY AUTO_INCREMENT,
	login VARCHAR(20) NOT NULL,
	password VARCHAR(60) NOT NULL,
	seen INT NOT NULL DEFAULT 0)"
sql_db acme "INSERT INTO users VALUES (1, 'alice', 'a1', 0),
	(2, 'bob', 'b1', 0), (3, 'carol', 'c1', 0)"
orders_def='CREATE TABLE orders (id INT PRIMARY KEY, user_id INT NOT NULL,
	amount DECIMAL(10,2) NOT NULL)'
sql_db acme "$orders_def"
sql_db acme "INSERT INTO orders VALUES (1, 1, 10.00), (2, 2, 20.00),
	(3, 2, 30.00)"
sql_db acme "CREATE TABLE m (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=Aria"
sql_db acme "INSERT INTO m VALUES (1, 'a')"
follow_account acme.users acme.orders acme.m
rc_conf "acme.users ignore=seen mask=password" acme.orders acme.m

U=acme.users
O=acme.orders

# The first scan stores the positions, checks nothing.
rscan
expect_rc 1
expect_recs 0 0 0 <<EOF
dbsyscheck: op=baseline table=acme.users rows=3 src=scan ;
dbsyscheck: op=baseline table=acme.orders rows=3 src=scan ;
dbsyscheck: op=baseline table=acme.m rows=1 src=scan ;
EOF
expect_not_yet $U "$pos_now"
expect_not_yet $O "$pos_now"
expect_off acme.m

# The classic trio of id 7, each through the log: the scan's records only.
sql "INSERT INTO acme.users VALUES (7, 'xavier', 'x1', 0)"
rscan
expect_rc 1
expect_recs 1 0 0 <<EOF
dbsyscheck: op=insert table=acme.users pk=id=7 changed=- src=scan by=- ;
EOF
expect_interval $U "$pos_prev" "$pos_now" 0
expect_interval $O "$pos_prev" "$pos_now" 0
expect_off acme.m

sql "UPDATE acme.users SET password='x2' WHERE id=7"
rscan
expect_rc 1
expect_recs 0 1 0 <<EOF
dbsyscheck: op=update table=acme.users pk=id=7 changed=password src=scan by=- ;
EOF

sql "DELETE FROM acme.users WHERE id=7"
rscan
expect_rc 1
expect_recs 0 0 1 <<EOF
dbsyscheck: op=delete table=acme.users pk=id=7 changed=- src=scan by=- ;
EOF
expect_interval $U "$pos_prev" "$pos_now" 0

# Nothing changed.
rscan
expect_none

# A key change: one update event in the log, a delete and an insert for
# the scan.
sql "UPDATE acme.users SET id=8 WHERE id=1"
rscan
expect_rc 1
expect_recs 1 0 1 <<EOF
dbsyscheck: op=delete table=acme.users pk=id=1 changed=- src=scan by=- ;
dbsyscheck: op=insert table=acme.users pk=id=8 changed=- src=scan by=- ;
EOF

# Multi-row statements on two tables; rows 10 and 11 born and gone in the
# interval (net effect: nothing).
sql_db acme "INSERT INTO users (id, login, password) VALUES
	(10, 'j', 'j1'), (11, 'k', 'k1'), (12, 'l', 'l1')"
sql_db acme "UPDATE users SET login = CONCAT(login, 'x') WHERE id IN (2, 3)"
sql_db acme "DELETE FROM users WHERE id IN (10, 11)"
sql_db acme "UPDATE orders SET amount = amount + 1"
rscan
expect_rc 1
expect_recs 1 5 0 <<EOF
dbsyscheck: op=insert table=acme.users pk=id=12 changed=- src=scan by=- ;
dbsyscheck: op=update table=acme.users pk=id=2 changed=login src=scan by=- ;
dbsyscheck: op=update table=acme.users pk=id=3 changed=login src=scan by=- ;
dbsyscheck: op=update table=acme.orders pk=id=1 changed=amount src=scan by=- ;
dbsyscheck: op=update table=acme.orders pk=id=2 changed=amount src=scan by=- ;
dbsyscheck: op=update table=acme.orders pk=id=3 changed=amount src=scan by=- ;
EOF
expect_interval $U "$pos_prev" "$pos_now" 0
expect_interval $O "$pos_prev" "$pos_now" 0

# Transactions: one committed over two tables, one rolled back (not in the
# log), one rolled back to a savepoint (the log holds the rows before the
# savepoint and a SAVEPOINT statement, checked by hand).
sql_db acme "BEGIN; INSERT INTO users (id, login, password) VALUES
	(13, 'm', 'm1'); UPDATE orders SET user_id = 3 WHERE id = 3; COMMIT"
sql_db acme "BEGIN; UPDATE users SET login = 'zz' WHERE id = 2;
	DELETE FROM orders WHERE id = 1; INSERT INTO users (id, login,
	password) VALUES (14, 'n', 'n1'); ROLLBACK"
sql_db acme "BEGIN; INSERT INTO users (id, login, password) VALUES
	(15, 'o', 'o1'); SAVEPOINT s; UPDATE users SET login = 'sv'
	WHERE id = 15; DELETE FROM users WHERE id = 2;
	ROLLBACK TO SAVEPOINT s; COMMIT"
rscan
expect_rc 1
expect_recs 2 1 0 <<EOF
dbsyscheck: op=insert table=acme.users pk=id=13 changed=- src=scan by=- ;
dbsyscheck: op=insert table=acme.users pk=id=15 changed=- src=scan by=- ;
dbsyscheck: op=update table=acme.orders pk=id=3 changed=user_id src=scan by=- ;
EOF
expect_interval $U "$pos_prev" "$pos_now" 0

# Changed and changed back through the log (logged=same): nothing.
sql "UPDATE acme.users SET login='mallory' WHERE id=2"
sql "UPDATE acme.users SET login='bobx' WHERE id=2"
sql "UPDATE acme.orders SET amount=0 WHERE id=2"
sql "UPDATE acme.orders SET amount=21.00 WHERE id=2"
rscan
expect_none
expect_interval $U "$pos_prev" "$pos_now" 0
expect_interval $O "$pos_prev" "$pos_now" 0

# An ignore= column changed through the log and without it: the scan does
# not see either, so neither is untraced.
sql "UPDATE acme.users SET seen=seen+1 WHERE id=2"
unlogged "UPDATE acme.users SET seen=seen+5 WHERE id=3"
rscan
expect_none
expect_interval $U "$pos_prev" "$pos_now" 0

# A logged change, then an unlogged change of an ignore= column of the same
# row: the log's after image differs from the row now only in a column the
# keyed digest leaves out, so it is explained.
sql "UPDATE acme.users SET password='l2' WHERE id=12"
unlogged "UPDATE acme.users SET seen=9 WHERE id=12"
rscan
expect_rc 1
expect_recs 0 1 0 <<EOF
dbsyscheck: op=update table=acme.users pk=id=12 changed=password src=scan by=- ;
EOF
expect_interval $U "$pos_prev" "$pos_now" 0

# A mask= column changed without the log: the scan sees it, the log does
# not explain it; its value is never shown.
unlogged "UPDATE acme.users SET password='$secret' WHERE id=3"
rscan
expect_rc 1
expect_recs 0 1 0 <<EOF
dbsyscheck: op=update table=acme.users pk=id=3 changed=password src=scan by=- ;
$(untraced $U id=3 update none)
EOF
! grep -q -F "$secret" "$W/out" "$W/errout" || fail "the masked value was shown"
expect_interval $U "$pos_prev" "$pos_now" 1
expect_interval $O "$pos_prev" "$pos_now" 0
dbsc status
! grep -q -F "$secret" "$W/out" "$W/errout" ||
    fail "status showed the masked value"

# Several tables: a change without the log in one, with it in the other,
# in the same interval: the untraced record names the right table.
unlogged "DELETE FROM acme.orders WHERE id=2"
sql "UPDATE acme.users SET login='carol2' WHERE id=3"
rscan
expect_rc 1
expect_recs 0 1 1 <<EOF
dbsyscheck: op=update table=acme.users pk=id=3 changed=login src=scan by=- ;
dbsyscheck: op=delete table=acme.orders pk=id=2 changed=- src=scan by=- ;
$(untraced $O id=2 delete none)
EOF
expect_interval $O "$pos_prev" "$pos_now" 1
expect_interval $U "$pos_prev" "$pos_now" 0

# TRUNCATE (the log has no row events for it) explains the deletions.
sql_db acme "TRUNCATE TABLE orders"
rscan
expect_rc 1
expect_recs 0 0 2 <<EOF
dbsyscheck: op=delete table=acme.orders pk=id=1 changed=- src=scan by=- ;
dbsyscheck: op=delete table=acme.orders pk=id=3 changed=- src=scan by=- ;
EOF
expect_interval $O "$pos_prev" "$pos_now" 0

# TRUNCATE, then rows inserted again, one with other values, one as it
# was: the stored row went with the TRUNCATE, the insert after it is the
# row now.
sql "INSERT INTO acme.orders VALUES (1, 1, 10.00), (2, 2, 20.00), (3, 2, 30.00)"
rscan
expect_rc 1
expect_recs 3 0 0 <<EOF
dbsyscheck: op=insert table=acme.orders pk=id=1 changed=- src=scan by=- ;
dbsyscheck: op=insert table=acme.orders pk=id=2 changed=- src=scan by=- ;
dbsyscheck: op=insert table=acme.orders pk=id=3 changed=- src=scan by=- ;
EOF
sql_db acme "TRUNCATE TABLE orders; INSERT INTO orders VALUES
	(1, 1, 99.00), (2, 2, 20.00), (5, 5, 50.00)"
rscan
expect_rc 1
expect_recs 1 1 1 <<EOF
dbsyscheck: op=update table=acme.orders pk=id=1 changed=amount src=scan by=- ;
dbsyscheck: op=delete table=acme.orders pk=id=3 changed=- src=scan by=- ;
dbsyscheck: op=insert table=acme.orders pk=id=5 changed=- src=scan by=- ;
EOF
expect_interval $O "$pos_prev" "$pos_now" 0

# DROP and CREATE of the table (the same definition), rows inserted again:
# the DROP removed every row, the table made anew after it is empty, the
# rows logged after it explain the rest (docs/BINLOG.md): no op=untraced,
# no error.
sql_db acme "DROP TABLE orders; $orders_def;
	INSERT INTO orders VALUES (1, 1, 99.00), (7, 7, 70.00)"
rscan
expect_rc 1
expect_recs 1 0 2 <<EOF
dbsyscheck: op=delete table=acme.orders pk=id=2 changed=- src=scan by=- ;
dbsyscheck: op=delete table=acme.orders pk=id=5 changed=- src=scan by=- ;
dbsyscheck: op=insert table=acme.orders pk=id=7 changed=- src=scan by=- ;
EOF
rscan
expect_none
expect_interval $O "$pos_prev" "$pos_now" 0

# A CREATE of the table with no DROP of it before in the interval (CREATE
# OR REPLACE; CREATE TABLE IF NOT EXISTS of a table that exists is not
# logged): what the table holds is not explained by it: an op=error for
# the table, and the next interval is reconciled.
sql_db acme "CREATE TABLE orders_copy LIKE orders;
	INSERT INTO orders_copy SELECT * FROM orders;
	CREATE OR REPLACE TABLE orders LIKE orders_copy;
	INSERT INTO orders SELECT * FROM orders_copy"
rscan
expect_rc_error $O
rscan
expect_none

# A TRUNCATE that is not in the log explains nothing.
unlogged "TRUNCATE TABLE acme.orders"
rscan
expect_rc 1
expect_recs 0 0 2 <<EOF
dbsyscheck: op=delete table=acme.orders pk=id=1 changed=- src=scan by=- ;
dbsyscheck: op=delete table=acme.orders pk=id=7 changed=- src=scan by=- ;
$(untraced $O id=1 delete none)
$(untraced $O id=7 delete none)
EOF
expect_interval $O "$pos_prev" "$pos_now" 2

# A table on Aria: its rows are not in the snapshot, it is not reconciled,
# changes with and without the log are the scan's records only.
sql "INSERT INTO acme.m VALUES (2, 'b')"
unlogged "INSERT INTO acme.m VALUES (3, 'c')"
unlogged "UPDATE acme.m SET v='z' WHERE id=1"
rscan
expect_rc 1
expect_recs 2 1 0 <<EOF
dbsyscheck: op=insert table=acme.m pk=id=2 changed=- src=scan by=- ;
dbsyscheck: op=insert table=acme.m pk=id=3 changed=- src=scan by=- ;
dbsyscheck: op=update table=acme.m pk=id=1 changed=v src=scan by=- ;
EOF
expect_off acme.m

# Each untraced change once: the stored position moved on with the scan.
rscan
expect_none
expect_interval $U "$pos_prev" "$pos_now" 0
expect_interval $O "$pos_prev" "$pos_now" 0
exit 0

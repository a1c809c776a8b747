#!/bin/sh
# Reconciliation's guards (docs/BINLOG.md, "Reconciliation"; docs/FORMAT.md,
# op=untraced):
# - gap chain: a key's row event whose before image is not the row the
#   previous event left bridges a change around the log: op=untraced even
#   when the net effect matches what the scan sees (logged= the net kind,
#   `same` with change=none when the row is as stored);
# - cascade: deletes and updates of a watched table that the log does not
#   explain, in an interval where a foreign-key parent of it (unwatched)
#   had row events, are logged=cascade (MariaDB does not log the rows an
#   ON DELETE CASCADE or ON UPDATE SET NULL changes), two levels down
#   too; an insert never is, nor a change in an interval where no parent
#   changed;
# - holes: a server that does not log the table's database
#   (--binlog-ignore-db, --binlog-do-db) or a replica that applies changes
#   without logging them (log_slave_updates off, gtid_slave_pos set): not
#   reconciled, status says off and why, while no position was stored; an
#   op=error table=... msg=cannot%20reconcile... (exit 2) once one was.
# The scan account has the grants of sql/grant.sql with the follower's
# line.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/reconcile_lib.sh"

db_start_binlog
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (id INT PRIMARY KEY, login VARCHAR(20),
	note VARCHAR(40))"
sql_db acme "INSERT INTO users VALUES (1, 'alice', 'x'), (2, 'bob', 'x'),
	(3, 'carol', 'x'), (4, 'dave', 'x'), (5, 'eve', 'x')"
# A parent that is not watched, a watched child whose rows its deletes
# and key updates change without row events of their own.
sql_db acme "CREATE TABLE orders (id INT PRIMARY KEY, v INT) ENGINE=InnoDB"
sql_db acme "INSERT INTO orders VALUES (1, 1), (2, 2), (3, 3), (4, 4)"
sql_db acme "CREATE TABLE items (id INT PRIMARY KEY, order_id INT NULL,
	v INT NOT NULL, FOREIGN KEY (order_id) REFERENCES orders (id)
	ON DELETE CASCADE ON UPDATE SET NULL) ENGINE=InnoDB"
sql_db acme "INSERT INTO items VALUES (11, 1, 1), (12, 1, 2), (21, 2, 1),
	(31, 3, 1), (41, 4, 1), (42, 4, 2), (90, NULL, 1)"
# Two levels: regions -> shops (neither watched) -> stock (watched).
sql_db acme "CREATE TABLE regions (id INT PRIMARY KEY) ENGINE=InnoDB"
sql_db acme "INSERT INTO regions VALUES (1), (2)"
sql_db acme "CREATE TABLE shops (id INT PRIMARY KEY, region_id INT NOT NULL,
	FOREIGN KEY (region_id) REFERENCES regions (id) ON DELETE CASCADE)
	ENGINE=InnoDB"
sql_db acme "INSERT INTO shops VALUES (10, 1), (20, 2)"
sql_db acme "CREATE TABLE stock (id INT PRIMARY KEY, shop_id INT NOT NULL,
	FOREIGN KEY (shop_id) REFERENCES shops (id) ON DELETE CASCADE)
	ENGINE=InnoDB"
sql_db acme "INSERT INTO stock VALUES (100, 10), (200, 20)"
# A table of its own for the servers that do not log acme.
sql_db acme "CREATE TABLE h (id INT PRIMARY KEY, v INT NOT NULL)"
sql_db acme "INSERT INTO h VALUES (1, 1), (2, 2)"
follow_account acme.users acme.items acme.stock acme.h
rc_conf acme.users acme.items acme.stock
U=acme.users
I=acme.items

rscan
expect_rc 1
expect_recs 0 0 0 <<EOF
dbsyscheck: op=baseline table=acme.users rows=5 src=scan ;
dbsyscheck: op=baseline table=acme.items rows=7 src=scan ;
dbsyscheck: op=baseline table=acme.stock rows=2 src=scan ;
EOF
expect_not_yet $U "$pos_now"
expect_not_yet $I "$pos_now"

# --- Gap chain.
# A chain of logged events, each starting where the last one ended: the
# scan's records only, and nothing for a key changed and changed back.
sql "UPDATE acme.users SET login='alice2' WHERE id=1"
sql "UPDATE acme.users SET login='alice3' WHERE id=1"
sql "INSERT INTO acme.users VALUES (40, 'w', 'x')"
sql "UPDATE acme.users SET note='y' WHERE id=40"
sql "DELETE FROM acme.users WHERE id=40"
sql "UPDATE acme.users SET note='tmp' WHERE id=2"
sql "UPDATE acme.users SET note='x' WHERE id=2"
rscan
expect_rc 1
expect_recs 0 1 0 <<EOF
dbsyscheck: op=update table=acme.users pk=id=1 changed=login src=scan by=- ;
EOF
expect_interval $U "$pos_prev" "$pos_now" 0

# Logged A->B, unlogged B->C, logged C->A: the net effect is no change and
# the scan sees none, but the third event does not start from the row the
# first left.
sql "UPDATE acme.users SET login='bob2' WHERE id=2"
unlogged "UPDATE acme.users SET login='bob3' WHERE id=2"
sql "UPDATE acme.users SET login='bob' WHERE id=2"
rscan
expect_rc 1
expect_recs 0 0 0 <<EOF
$(untraced $U id=2 none same)
EOF
expect_pos_form
expect_interval $U "$pos_prev" "$pos_now" 1

# A logged update, an unlogged one of the same row, a logged one that ends
# where the scan sees the row: net effect and scan agree, the chain does
# not.
sql "UPDATE acme.users SET login='carol2' WHERE id=3"
unlogged "UPDATE acme.users SET login='carol3' WHERE id=3"
sql "UPDATE acme.users SET login='carol4' WHERE id=3"
rscan
expect_rc 1
expect_recs 0 1 0 <<EOF
dbsyscheck: op=update table=acme.users pk=id=3 changed=login src=scan by=- ;
$(untraced $U id=3 update update)
EOF

# Through a delete: logged delete, unlogged insert of the same key, logged
# delete again (the second delete's before image is a row the log never
# put there).
sql "DELETE FROM acme.users WHERE id=4"
unlogged "INSERT INTO acme.users VALUES (4, 'dave', 'x')"
sql "DELETE FROM acme.users WHERE id=4"
rscan
expect_rc 1
expect_recs 0 0 1 <<EOF
dbsyscheck: op=delete table=acme.users pk=id=4 changed=- src=scan by=- ;
$(untraced $U id=4 delete delete)
EOF

# Each once: the next scan says nothing.
rscan
expect_none
expect_interval $U "$pos_prev" "$pos_now" 0

# --- Cascade.
# A parent row deleted through the log: its children go without row
# events; each is logged=cascade.
sql "DELETE FROM acme.orders WHERE id=1"
rscan
expect_rc 1
expect_recs 0 0 2 <<EOF
dbsyscheck: op=delete table=acme.items pk=id=11 changed=- src=scan by=- ;
dbsyscheck: op=delete table=acme.items pk=id=12 changed=- src=scan by=- ;
$(untraced $I id=11 delete cascade)
$(untraced $I id=12 delete cascade)
EOF
expect_interval $I "$pos_prev" "$pos_now" 2

# A child row deleted without the log in an interval where no parent had
# row events (other tables did): logged=none.
sql "UPDATE acme.users SET note='z' WHERE id=5"
unlogged "DELETE FROM acme.items WHERE id=21"
rscan
expect_rc 1
expect_recs 0 1 1 <<EOF
dbsyscheck: op=update table=acme.users pk=id=5 changed=note src=scan by=- ;
dbsyscheck: op=delete table=acme.items pk=id=21 changed=- src=scan by=- ;
$(untraced $I id=21 delete none)
EOF

# ON UPDATE SET NULL: a parent's key changed through the log sets the
# child's column without a row event.
sql "UPDATE acme.orders SET id=30 WHERE id=3"
rscan
expect_rc 1
expect_recs 0 1 0 <<EOF
dbsyscheck: op=update table=acme.items pk=id=31 changed=order_id src=scan by=- ;
$(untraced $I id=31 update cascade)
EOF

# An insert into the child is never a cascade, even when a parent had row
# events in the interval.
sql "INSERT INTO acme.orders VALUES (5, 5)"
unlogged "INSERT INTO acme.items VALUES (50, 5, 1)"
rscan
expect_rc 1
expect_recs 1 0 0 <<EOF
dbsyscheck: op=insert table=acme.items pk=id=50 changed=- src=scan by=- ;
$(untraced $I id=50 insert none)
EOF

# The price of the guard: a child row deleted without the log while a
# parent row was deleted through it is logged=cascade too (level 5, not
# 15: docs/OSSEC.md), even when that parent row had no child left: the
# log does not say which rows a cascade changed.
sql "DELETE FROM acme.orders WHERE id=2"
unlogged "DELETE FROM acme.items WHERE id=41"
rscan
expect_rc 1
expect_recs 0 0 1 <<EOF
dbsyscheck: op=delete table=acme.items pk=id=41 changed=- src=scan by=- ;
$(untraced $I id=41 delete cascade)
EOF

# A logged change of the child stays explained.
sql "UPDATE acme.orders SET v=51 WHERE id=5"
sql "DELETE FROM acme.items WHERE id=42"
rscan
expect_rc 1
expect_recs 0 0 1 <<EOF
dbsyscheck: op=delete table=acme.items pk=id=42 changed=- src=scan by=- ;
EOF

# Two levels up: a region deleted through the log, its shops and their
# stock by cascades. (The account sees no foreign key of shops, a table
# it has no privilege on; MariaDB 10.11 writes a Table_map for every
# table the statement's cascades reach, shops and stock among them,
# checked with mariadb-binlog.)
sql "DELETE FROM acme.regions WHERE id=1"
rscan
expect_rc 1
expect_recs 0 0 1 <<EOF
dbsyscheck: op=delete table=acme.stock pk=id=100 changed=- src=scan by=- ;
$(untraced acme.stock id=100 delete cascade)
EOF

rscan
expect_none

# --- Holes: a server that does not log acme. A baseline of its own for
# acme.h, where no position was ever stored.
rc_conf acme.h
rc_conf_baseline holes
H=acme.h

# expect_off_why ERE: status says reconciliation is off for acme.h, and
# its msg= matches ERE.
expect_off_why()
{
	expect_off $H
	sed 's/^/  status| /' "$W/rline"
	grep -Eq "msg=.*$1" "$W/rline" ||
	    fail "status of $H: '$(cat "$W/rline")' does not say '$1'"
}

# first_scans: the first scans of acme.h: its baseline, then changes with
# the log as the server writes it and without (which reconciliation
# would report); no op=untraced.
first_scans()
{
	rscan
	expect_rc 1
	grep -q "^dbsyscheck: op=baseline table=$H rows=" "$W/out" ||
	    fail "no op=baseline for $H"
	no_untraced
	sql "UPDATE acme.h SET v=v+1 WHERE id=1"
	unlogged "UPDATE acme.h SET v=v+1 WHERE id=2"
	rscan
	expect_rc 1
	expect_recs 0 2 0 <<-EOF
	dbsyscheck: op=update table=acme.h pk=id=1 changed=v src=scan by=- ;
	dbsyscheck: op=update table=acme.h pk=id=2 changed=v src=scan by=- ;
	EOF
}

db_stop
db_start_binlog --binlog-ignore-db=acme
first_scans
expect_off_why 'binlog_ignore_db'

# binlog_do_db naming another database only.
rc_conf_baseline holes2
db_stop
db_start_binlog --binlog-do-db=other
first_scans
expect_off_why 'binlog_do_db'

# binlog_do_db naming acme among others: the log holds its changes, the
# table is reconciled.
rc_conf_baseline holes3
db_stop
db_start_binlog --binlog-do-db=other --binlog-do-db=acme
rscan
expect_rc 1
expect_not_yet $H "$pos_now"
sql "UPDATE acme.h SET v=v+1 WHERE id=1"
unlogged "UPDATE acme.h SET v=v+1 WHERE id=2"
rscan
expect_rc 1
expect_recs 0 2 0 <<EOF
dbsyscheck: op=update table=acme.h pk=id=1 changed=v src=scan by=- ;
dbsyscheck: op=update table=acme.h pk=id=2 changed=v src=scan by=- ;
$(untraced $H id=2 update none)
EOF
expect_interval $H "$pos_prev" "$pos_now" 1

# Once a position was stored (a server that logs acme), a server that
# does not is an error for the table, at every scan.
rc_conf_baseline holes4
db_stop
db_start_binlog
rscan
expect_rc 1
expect_not_yet $H "$pos_now"
unlogged "UPDATE acme.h SET v=v+1 WHERE id=2"
rscan
expect_rc 1
expect_recs 0 1 0 <<EOF
dbsyscheck: op=update table=acme.h pk=id=2 changed=v src=scan by=- ;
$(untraced $H id=2 update none)
EOF
expect_interval $H "$pos_prev" "$pos_now" 1
db_stop
db_start_binlog --binlog-ignore-db=acme
unlogged "UPDATE acme.h SET v=v+1 WHERE id=2"
rscan
expect_rc_error $H
grep -q "^dbsyscheck: op=error table=$H msg=cannot%20reconcile[^ ]*binlog_ignore_db" \
    "$W/out" || fail "the error does not name binlog_ignore_db"
rscan
expect_rc_error $H

# A replica that applies changes without logging them: log_slave_updates
# off and gtid_slave_pos set (as root, with no replication configured).
rc_conf_baseline holes5
db_stop
db_start_binlog --log-slave-updates=0
sql "SET GLOBAL gtid_slave_pos='0-1-1'"
[ "$(_sql_run -e 'SELECT @@global.gtid_slave_pos')" = 0-1-1 ] ||
    fail "gtid_slave_pos was not set"
first_scans
expect_off_why 'log_slave_updates'
# With log_slave_updates on, the same server is reconciled.
rc_conf_baseline holes6
db_stop
db_start_binlog --log-slave-updates=1
[ "$(_sql_run -e 'SELECT @@global.gtid_slave_pos')" = 0-1-1 ] ||
    fail "gtid_slave_pos was not kept"
rscan
expect_rc 1
expect_not_yet $H "$pos_now"
unlogged "UPDATE acme.h SET v=v+1 WHERE id=2"
rscan
expect_rc 1
expect_recs 0 1 0 <<EOF
dbsyscheck: op=update table=acme.h pk=id=2 changed=v src=scan by=- ;
$(untraced $H id=2 update none)
EOF
# ... and then off again, with that position stored: an error.
db_stop
db_start_binlog --log-slave-updates=0
rscan
expect_rc_error $H
grep -q "^dbsyscheck: op=error table=$H msg=cannot%20reconcile[^ ]*log_slave_updates" \
    "$W/out" || fail "the error does not name log_slave_updates"
exit 0

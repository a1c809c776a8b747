#!/bin/sh
# Reconciliation and changes made with SET SESSION sql_log_bin=0 (as a
# tamperer with SUPER may): each row the scan finds changed without the
# row events that explain it is op=untraced, with the log's net effect on
# that key (none, or an update whose after image is not the row now or
# whose before image is not the stored row), and so is a logged change
# whose effect the scan does not see; from= and to= are the snapshot
# positions of the two scans. Each once: the next scan says nothing.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/reconcile_lib.sh"

secret='RC-unlogged-secret-92b7-never-shown'

db_start_binlog
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (id INT PRIMARY KEY, login VARCHAR(20),
	password VARCHAR(60), note VARCHAR(40))"
sql_db acme "INSERT INTO users VALUES (1, 'alice', 'a1', 'x'),
	(2, 'bob', 'b1', 'x'), (3, 'carol', 'c1', 'x'), (4, 'dave', 'd1', 'x'),
	(5, 'eve', 'e1', 'x')"
sql_db acme "CREATE TABLE k (a VARCHAR(40), b INT, v INT, PRIMARY KEY (a, b))"
sql_db acme "INSERT INTO k VALUES ('plain', 1, 1)"
follow_account acme.users acme.k
rc_conf "acme.users mask=password" acme.k
U=acme.users

rscan
expect_rc 1
expect_recs 0 0 0 <<EOF
dbsyscheck: op=baseline table=acme.users rows=5 src=scan ;
dbsyscheck: op=baseline table=acme.k rows=1 src=scan ;
EOF

# The unlogged classic trio of id 7, one scan each.
unlogged "INSERT INTO acme.users VALUES (7, 'xavier', 'x1', 'x')"
rscan
expect_rc 1
expect_recs 1 0 0 <<EOF
dbsyscheck: op=insert table=acme.users pk=id=7 changed=- src=scan by=- ;
$(untraced $U id=7 insert none)
EOF
# The unlogged change moved neither position (checked by hand): the
# interval is empty, and still untraced.
[ "$pos_prev" = "$pos_now" ] || fail "the log moved: $pos_prev $pos_now"
expect_pos_form
expect_interval $U "$pos_prev" "$pos_now" 1
expect_interval acme.k "$pos_prev" "$pos_now" 0

unlogged "UPDATE acme.users SET login='xavier2' WHERE id=7"
rscan
expect_rc 1
expect_recs 0 1 0 <<EOF
dbsyscheck: op=update table=acme.users pk=id=7 changed=login src=scan by=- ;
$(untraced $U id=7 update none)
EOF

unlogged "DELETE FROM acme.users WHERE id=7"
rscan
expect_rc 1
expect_recs 0 0 1 <<EOF
dbsyscheck: op=delete table=acme.users pk=id=7 changed=- src=scan by=- ;
$(untraced $U id=7 delete none)
EOF

# Logged changes around it (the interval is not empty), and a key of
# hostile bytes: op=untraced's pk= is the scan's.
sql "INSERT INTO acme.users VALUES (8, 'yves', 'y1', 'x')"
unlogged "INSERT INTO acme.users VALUES (20, 'zed', 'z1', 'x');
	UPDATE acme.users SET note='n' WHERE id=1;
	DELETE FROM acme.users WHERE id=5;
	INSERT INTO acme.k VALUES ('x;y z%=,\\n', -3, 1)"
sql "UPDATE acme.users SET note='logged' WHERE id=4"
kpk="a=$(printf 'x;y z%%=,\n' | pct),b=-3"
rscan
expect_rc 1
[ "$pos_prev" != "$pos_now" ] || fail "the log did not move"
expect_recs 3 2 1 <<EOF
dbsyscheck: op=insert table=acme.users pk=id=8 changed=- src=scan by=- ;
dbsyscheck: op=insert table=acme.users pk=id=20 changed=- src=scan by=- ;
dbsyscheck: op=update table=acme.users pk=id=1 changed=note src=scan by=- ;
dbsyscheck: op=update table=acme.users pk=id=4 changed=note src=scan by=- ;
dbsyscheck: op=delete table=acme.users pk=id=5 changed=- src=scan by=- ;
dbsyscheck: op=insert table=acme.k pk=$kpk changed=- src=scan by=- ;
$(untraced $U id=20 insert none)
$(untraced $U id=1 update none)
$(untraced $U id=5 delete none)
$(untraced acme.k "$kpk" insert none)
EOF
expect_interval acme.k "$pos_prev" "$pos_now" 1

# A logged update, then an unlogged one of the same row (a mask= column):
# the log's after image is not the row now. The value is never shown.
sql "UPDATE acme.users SET password='b2' WHERE id=2"
unlogged "UPDATE acme.users SET password='$secret' WHERE id=2"
rscan
expect_rc 1
expect_recs 0 1 0 <<EOF
dbsyscheck: op=update table=acme.users pk=id=2 changed=password src=scan by=- ;
$(untraced $U id=2 update update)
EOF
! grep -q -F "$secret" "$W/out" "$W/errout" || fail "the masked value was shown"

# An unlogged update, then a logged update of another column of the same
# row: the log's before image is not the stored row (the after image is
# the row now).
unlogged "UPDATE acme.users SET login='carol2' WHERE id=3"
sql "UPDATE acme.users SET note='y' WHERE id=3"
rscan
expect_rc 1
expect_recs 0 1 0 <<EOF
dbsyscheck: op=update table=acme.users pk=id=3 changed=login,note src=scan by=- ;
$(untraced $U id=3 update update)
EOF

# Logged changes the scan does not see: an insert, an update and a delete,
# each undone without the log.
sql "INSERT INTO acme.users VALUES (30, 'w', 'w1', 'x')"
unlogged "DELETE FROM acme.users WHERE id=30"
sql "UPDATE acme.users SET login='mallory' WHERE id=4"
unlogged "UPDATE acme.users SET login='dave' WHERE id=4"
sql "DELETE FROM acme.users WHERE id=8"
unlogged "INSERT INTO acme.users VALUES (8, 'yves', 'y1', 'x')"
rscan
expect_rc 1
expect_recs 0 0 0 <<EOF
$(untraced $U id=30 none insert)
$(untraced $U id=4 none update)
$(untraced $U id=8 none delete)
EOF

# A row inserted without the log, deleted through it: the delete's before
# image is a row the baseline never had.
unlogged "INSERT INTO acme.users VALUES (31, 'v', 'v1', 'x')"
sql "DELETE FROM acme.users WHERE id=31"
rscan
expect_rc 1
expect_recs 0 0 0 <<EOF
$(untraced $U id=31 none delete)
EOF

# Changed and changed back without the log: nothing to see, nothing said.
unlogged "UPDATE acme.users SET note='tmp' WHERE id=1"
unlogged "UPDATE acme.users SET note='n' WHERE id=1"
rscan
expect_none

# The baseline moved on: no op=untraced again.
rscan
expect_none
expect_interval $U "$pos_prev" "$pos_now" 0
exit 0

#!/bin/sh
# Reconciliation and a change made while the server was stopped, by putting
# back an older copy of its data files with the binary logs kept (issue
# 15): the log says rows changed, the scan finds them as stored, each is
# op=untraced change=none logged=insert/update/delete. And when a scan ran
# between the logged changes and the restore: the scan after it finds the
# rows changed back with no row events, change=... logged=none.
#
# What MariaDB 10.11 does, checked by hand with the server setup starts
# (the binary logs, binlog.index and binlog.state in $W, outside the data
# dir): stopped cleanly (SIGTERM), a copy of the data dir taken, started
# again, changes made, stopped cleanly, the copy put back, it starts with
# no error or warning in its log and no recovery (InnoDB and the binary log
# were both closed cleanly); SHOW BINARY LOGS still lists every file, and
# it opens a new one (binlog.000003: the first start wrote .000001, the
# second .000002, this one .000003), its position is that file's start;
# @@gtid_binlog_pos goes on from the kept logs (0-1-6 after the three
# changes, not the 0-1-3 of the copied data), as binlog.state and the last
# file's Gtid_list say; the rows are the copy's. Nothing on the server
# tells that the data went back.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/reconcile_lib.sh"

db_start_binlog
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (id INT PRIMARY KEY, v VARCHAR(20))"
sql_db acme "INSERT INTO users VALUES (1, 'a'), (3, 'c'), (7, 'g')"
sql_db acme "CREATE TABLE other (id INT PRIMARY KEY, v VARCHAR(20))"
sql_db acme "INSERT INTO other VALUES (1, 'o')"
# The account is in the copy too (mysql.* is in the data dir).
follow_account acme.users acme.other
rc_conf acme.users acme.other
U=acme.users

# save_data: stop the server cleanly and copy its data dir aside.
save_data()
{
	db_stop
	rm -rf "$W/data.old"
	cp -a "$W/data" "$W/data.old"
	db_restart
}

# restore_data: stop the server cleanly, put the copy back (the binary
# logs stay), start it; check what it says of its log.
restore_data()
{
	_rd_gtid=$(gtid_pos)
	_rd_files=$(_sql_run -e 'SHOW BINARY LOGS' | cut -f 1 | tr '\n' ' ')
	db_stop
	rm -rf "$W/data"
	mv "$W/data.old" "$W/data"
	db_restart
	! server_lines "$W/err.log" | grep -q '\[ERROR\]' ||
	    fail "the server logged an error on the restored data dir"
	[ "$(gtid_pos)" = "$_rd_gtid" ] ||
	    fail "the GTID position went from $_rd_gtid to $(gtid_pos)"
	case $(_sql_run -e 'SHOW BINARY LOGS' | cut -f 1 | tr '\n' ' ') in
	"$_rd_files"binlog.*) ;;
	*) fail "the binary logs after the restore are not those before" ;;
	esac
}

rscan
expect_rc 1
expect_recs 0 0 0 <<EOF
dbsyscheck: op=baseline table=acme.users rows=3 src=scan ;
dbsyscheck: op=baseline table=acme.other rows=1 src=scan ;
EOF

# Logged changes, then the older data files back.
save_data
sql "INSERT INTO acme.users VALUES (8, 'h')"
sql "UPDATE acme.users SET v='G' WHERE id=7"
sql "DELETE FROM acme.users WHERE id=3"
restore_data
[ "$(sql "SELECT GROUP_CONCAT(id, v ORDER BY id) FROM acme.users")" = \
    1a,3c,7g ] || fail "the restored rows are not the copy's"
rscan
expect_rc 1
expect_pos_form
expect_recs 0 0 0 <<EOF
$(untraced $U id=8 none insert)
$(untraced $U id=7 none update)
$(untraced $U id=3 none delete)
EOF
expect_interval $U "$pos_prev" "$pos_now" 3
expect_interval acme.other "$pos_prev" "$pos_now" 0

# Once.
rscan
expect_none

# The same changes seen by a scan before the restore: explained then, and
# the restore puts the rows back without row events.
save_data
sql "INSERT INTO acme.users VALUES (8, 'h')"
sql "UPDATE acme.users SET v='G' WHERE id=7"
sql "DELETE FROM acme.users WHERE id=3"
rscan
expect_rc 1
expect_recs 1 1 1 <<EOF
dbsyscheck: op=insert table=acme.users pk=id=8 changed=- src=scan by=- ;
dbsyscheck: op=update table=acme.users pk=id=7 changed=v src=scan by=- ;
dbsyscheck: op=delete table=acme.users pk=id=3 changed=- src=scan by=- ;
EOF
restore_data
rscan
expect_rc 1
expect_recs 1 1 1 <<EOF
dbsyscheck: op=delete table=acme.users pk=id=8 changed=- src=scan by=- ;
dbsyscheck: op=update table=acme.users pk=id=7 changed=v src=scan by=- ;
dbsyscheck: op=insert table=acme.users pk=id=3 changed=- src=scan by=- ;
$(untraced $U id=8 delete none)
$(untraced $U id=7 update none)
$(untraced $U id=3 insert none)
EOF
expect_interval $U "$pos_prev" "$pos_now" 3

rscan
expect_none
expect_interval $U "$pos_prev" "$pos_now" 0
exit 0

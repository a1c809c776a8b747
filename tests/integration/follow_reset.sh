#!/bin/sh
# dbsyscheck follow and a stored position that no longer means what it
# meant: after RESET MASTER (the same file name and offset reused, even
# padded so that an event starts exactly there), or against another
# server at the same address (another server_id, or the same one with a
# log of its own). Each is an op=error naming the log reset or the other
# server, exit 2, every run, never a silent read; a reset of every table
# forgets the position and the next run starts again (op=start). A
# position stored without its server (before server_id was stored) is
# checked by its GTID and gets it; the first run stores the file's time
# too. (From the hostile review's hf_reset.sh.)
. "$(dirname "$0")/setup"

db_start_binlog
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (id INT PRIMARY KEY, pw VARCHAR(20))"
sql_db acme "CREATE TABLE pad (id INT AUTO_INCREMENT PRIMARY KEY, v TEXT)"
sql_db acme "INSERT INTO users VALUES (1, 'a')"
follow_account acme.users
follow_conf acme.users
follow_first
[ "$(sqlite3 "$W/baseline.db" 'SELECT server_id FROM follow')" = 1 ] ||
    fail "the server's id is not stored with the position"

# Ordinary traffic, read by the follower: the stored offset grows.
for i in 1 2 3 4 5 6 7 8 9 10; do
	sql_db acme "INSERT INTO pad (v) VALUES (REPEAT('x', 200))"
done
dbsc follow
expect_rc 0
target=$(master_pos | cut -d: -f2)
[ "$(sqlite3 "$W/baseline.db" 'SELECT offset FROM follow')" = "$target" ] ||
    fail "the stored offset is not the end of the log"

# (1) The attack: RESET MASTER, the watched change, then padding until an
# event boundary falls exactly on the stored offset. Without the
# Annotate_rows event an insert of a value of L bytes costs c0 + L bytes
# of log: measure c0, then land exactly.
sql "RESET MASTER"
sql_db acme "UPDATE users SET pw = 'evil' WHERE id = 1"
pad()
{
	_sql_run -D acme -e "SET SESSION binlog_annotate_row_events=0;
	    INSERT INTO pad (v) VALUES (REPEAT('w', $1))"
}
base=$(master_pos | cut -d: -f2)
pad 0
c0=$(( $(master_pos | cut -d: -f2) - base ))
gap=$(( target - $(master_pos | cut -d: -f2) ))
[ "$gap" -ge "$c0" ] || fail "the stored offset is too small for this test"
pad $((gap - c0))
[ "$(master_pos | cut -d: -f2)" = "$target" ] ||
    fail "the padding did not land on $target ($(master_pos))"
dbsc follow
expect_follow_error 'reset'
grep -q 'GTID%20state' "$W/out" || fail "the op=error does not name the GTID"
# Every run, not once.
dbsc follow
expect_follow_error 'reset'

# (2) The same without the padding: no event starts at the offset.
sql "RESET MASTER"
sql_db acme "UPDATE users SET pw = 'evil2' WHERE id = 1"
dbsc follow
expect_follow_error 'reset'

# The way out: reset every table (forgets the position), then op=start.
dbsc reset
expect_rc 0
grep -q '^dbsyscheck: op=baseline table=acme.users ' "$W/out" ||
    fail "no op=baseline from the reset"
follow_first

# (3) A position stored without its server (a follow table of the
# release before): checked by its GTID, then stored with the server.
sqlite3 "$W/baseline.db" 'UPDATE follow SET server_id = NULL' ||
    fail "cannot clear the stored server"
sql_db acme "UPDATE users SET pw = 'b' WHERE id = 1"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=acme.users pk=id=1 changed=pw src=binlog by=- ;
$(commit_rec 1)
EOF
[ "$(sqlite3 "$W/baseline.db" 'SELECT server_id FROM follow')" = 1 ] ||
    fail "the server's id is not stored after a position without it"

# (4) Another server at the same address, with another server_id: its
# data and logs of its own.
db_stop
mkdir "$W/first"
mv "$W/data" "$W"/binlog.* "$W/first/"
db_start_binlog --server-id=2
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (id INT PRIMARY KEY, pw VARCHAR(20))"
follow_account acme.users
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	sql_db acme "INSERT INTO users VALUES ($i, REPEAT('y', 20))"
done
dbsc follow
expect_follow_error 'another%20server'
grep -q 'server_id%201' "$W/out" || fail "the stored server is not named"

# (5) Another server with the same server_id: its log at the offset is
# not the one the position was read from.
db_stop
rm -rf "$W/data" "$W"/binlog.*
db_start_binlog
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (id INT PRIMARY KEY, pw VARCHAR(20))"
follow_account acme.users
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	sql_db acme "INSERT INTO users VALUES ($i, REPEAT('z', 20))"
done
dbsc follow
expect_follow_error 'reset%20or%20another%20server'

# (6) The first server back: the position is its own again.
db_stop
rm -rf "$W/data" "$W"/binlog.*
mv "$W"/first/* "$W/"
db_start_binlog
sql_db acme "UPDATE users SET pw = 'c' WHERE id = 1"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=acme.users pk=id=1 changed=pw src=binlog by=- ;
$(commit_rec 1)
EOF

# forge_reset CASE VALUE: RESET MASTER, the watched change (pw = VALUE),
# then padding that lands exactly on the stored offset $target, its last
# transaction given the stored GTID $stored's sequence number (a
# privileged session's gtid_seq_no): the log's GTID state there is the
# stored one.
forge_reset()
{
	sql "RESET MASTER"
	sql_db acme "UPDATE users SET pw = '$2' WHERE id = 1"
	base=$(master_pos | cut -d: -f2)
	pad 0
	c0=$(( $(master_pos | cut -d: -f2) - base ))
	gap=$(( target - $(master_pos | cut -d: -f2) ))
	[ "$gap" -ge "$c0" ] ||
	    fail "the stored offset is too small for ($1)"
	_sql_run -D acme -e "SET SESSION binlog_annotate_row_events=0;
	    SET SESSION gtid_seq_no=${stored##*-};
	    INSERT INTO pad (v) VALUES (REPEAT('w', $((gap - c0))))"
	[ "$(master_pos | cut -d: -f2)" = "$target" ] ||
	    fail "($1): the padding did not land on $target ($(master_pos))"
	[ "$(sql "SELECT BINLOG_GTID_POS('binlog.000001', $target)")" = \
	    "$stored" ] ||
	    fail "($1): the GTID state at $target is not the stored $stored"
}

# (7) The reset hidden from the GTID check too: the last padding
# transaction given the stored GTID's sequence number (gtid_seq_no, a
# privileged session's), so that BINLOG_GTID_POS at the stored offset is
# the stored GTID. The file's format description, written when the server
# opened it, tells the new binlog.000001 from the old one.
# The restart of (6) rotated to binlog.000002: start again in a new
# binlog.000001, a second before the attack's.
sql "RESET MASTER"
dbsc reset
expect_rc 0
follow_first
sleep 1
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	sql_db acme "INSERT INTO pad (v) VALUES (REPEAT('x', 200))"
done
dbsc follow
expect_rc 0
[ -n "$(sqlite3 "$W/baseline.db" 'SELECT created FROM follow')" ] ||
    fail "the file's time is not stored with the position"
target=$(master_pos | cut -d: -f2)
stored=$(sqlite3 "$W/baseline.db" 'SELECT CAST(gtid AS TEXT) FROM follow')
forge_reset 7 evil3
dbsc follow
expect_follow_error 'opened%20by%20the%20server'
dbsc follow
expect_follow_error 'opened%20by%20the%20server'

# (8) The same right after the first run, before any other stored the
# position again: op=start stores the file's time with the position.
sql "RESET MASTER"
dbsc reset
expect_rc 0
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	sql_db acme "INSERT INTO pad (v) VALUES (REPEAT('x', 200))"
done
follow_first
[ -n "$(sqlite3 "$W/baseline.db" 'SELECT created FROM follow')" ] ||
    fail "(8): the first run did not store the file's time"
target=$(master_pos | cut -d: -f2)
stored=$(sqlite3 "$W/baseline.db" 'SELECT CAST(gtid AS TEXT) FROM follow')
sleep 1
forge_reset 8 evil4
dbsc follow
expect_follow_error 'opened%20by%20the%20server'

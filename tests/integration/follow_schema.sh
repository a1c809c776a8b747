#!/bin/sh
# dbsyscheck follow and a table that changed shape since its rows were
# logged: a follower that is behind reads row events written before an
# ALTER that reorders (the key column too), retypes (same names) or
# changes the signedness of a column, reorders an ENUM's members or moves
# the primary key to another column. Each such event is an op=error
# table= "the table changed shape since this event was logged", never
# records decoded against the table of now (no pk= of rows that never
# existed, no wrong changed=); the events after the ALTER decode again.
# follow -f, its description made before an ALTER that ddl.c does not
# see, describes the table again. binlog_row_metadata other than FULL is
# refused, naming it. (From the hostile reviews' hf_schema.sh
# and hf2_schema.sh.)
. "$(dirname "$0")/setup"

db_start_binlog
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (id INT PRIMARY KEY, a INT, b INT)"
sql_db acme "INSERT INTO users VALUES (1, 10, 100), (2, 20, 200)"
follow_account acme.users
follow_conf acme.users
follow_first

# shape_error [TABLE]: the last run reported the event before the ALTER
# as an error of TABLE (acme.users) naming the change, and no row record.
shape_error()
{
	_st=${1:-acme.users}
	expect_rc 2
	_se='the%20table%20changed%20shape%20since%20this%20event%20was%20logged'
	grep -q "^dbsyscheck: op=error table=$_st msg=$_se" "$W/out" ||
	    fail "no op=error for the table that changed shape"
	grep -q '^dbsyscheck: op=\(insert\|update\|delete\) ' "$W/out" &&
	    fail "records from rows decoded against the wrong columns"
	grep -q "^dbsyscheck: op=ddl table=$_st stmt=alter " "$W/out" ||
	    fail "no op=ddl for the ALTER"
	grep -q '^dbsyscheck: op=summary .* errors=1 ' "$W/out" ||
	    fail "no summary with errors=1"
}

# (1) An update, then a reorder (same count, same types), then the run.
sql_db acme "UPDATE users SET b = 101 WHERE id = 1"
sql_db acme "ALTER TABLE users MODIFY id INT NOT NULL FIRST,
    MODIFY b INT AFTER id"
dbsc follow
shape_error
grep -q 'column%202%20is%20b%20in%20the%20binary%20log' "$W/out" ||
    grep -q 'column%202%20is%20a%20in%20the%20binary%20log' "$W/out" ||
    fail "the op=error does not name the column"
# After the ALTER the rows decode with the new shape.
sql_db acme "UPDATE users SET b = 102 WHERE id = 1"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=acme.users pk=id=1 changed=b src=binlog by=- ;
$(commit_rec 1)
EOF

# (1b) The key column moved: it was reported as op=delete pk=id=200 and
# op=insert pk=id=111, rows that never existed.
sql_db acme "UPDATE users SET b = 111 WHERE id = 2"
sql_db acme "ALTER TABLE users MODIFY a INT FIRST"
dbsc follow
shape_error

# (2) A column retyped, its name kept; then its signedness changed.
sql_db acme "UPDATE users SET b = 112 WHERE id = 2"
sql_db acme "ALTER TABLE users MODIFY b BIGINT"
dbsc follow
shape_error
sql_db acme "UPDATE users SET a = 5 WHERE id = 2"
sql_db acme "ALTER TABLE users MODIFY a INT UNSIGNED"
dbsc follow
shape_error
grep -q 'unsigned' "$W/out" || fail "the signedness is not named"
sql_db acme "UPDATE users SET a = 6 WHERE id = 2"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=acme.users pk=id=2 changed=a src=binlog by=- ;
$(commit_rec 1)
EOF

# (3) follow -f, the table described at its first update; an ALTER
# hidden from ddl.c by a comment with a control byte; the update after
# it decodes against a fresh description, not the cached one. Row 3 is
# its own (the log sink also gets what the runs above queued).
sql_db acme "INSERT INTO users (id, a, b) VALUES (3, 30, 300)"
dbsc follow
expect_rc 1
# wait_out TEXT: follow -f printed a line holding TEXT within 20 s.
wait_out()
{
	_wo_n=0
	while ! grep -q -F -e "$1" "$W/bg.out" 2>/dev/null; do
		_wo_n=$((_wo_n + 1))
		if [ "$_wo_n" -gt 200 ] || ! _alive "$bg"; then
			sed 's/^/  bg.out| /' "$W/bg.out" >&2
			sed 's/^/  bg.err| /' "$W/bg.err" >&2
			fail "follow -f: no '$1'"
		fi
		sleep 0.1
	done
}

upd3="dbsyscheck: op=update table=acme.users pk=id=3 changed=b src=binlog"
dbsc_bg --log "$W/f.log" follow -f
sleep 2
sql_db acme "UPDATE users SET b = 302 WHERE id = 3"
wait_out "$upd3"
# The description is older than the ALTER.
sleep 2
printf 'ALTER --\001\n TABLE acme.users MODIFY b INT FIRST' |
    _sql_run --comments -D acme
sql_db acme "UPDATE users SET b = 303 WHERE id = 3"
wait_out "gtid=$(gtid_pos) "
kill -TERM "$bg"
bg_wait "$bg"
[ "$(grep -c -F -e "$upd3" "$W/bg.out")" = 2 ] || {
	sed 's/^/  bg.out| /' "$W/bg.out" >&2
	fail "-f after a hidden ALTER: not two updates of id=3 changed=b"
}
grep -q '^dbsyscheck: op=\(insert\|delete\|error\) ' "$W/bg.out" &&
    fail "-f after a hidden ALTER: rows decoded with the old shape"

# (4) binlog_row_metadata MINIMAL: refused, named.
sql "SET GLOBAL binlog_row_metadata=MINIMAL"
dbsc follow
expect_follow_error 'binlog_row_metadata'
sql "SET GLOBAL binlog_row_metadata=FULL"
dbsc follow
expect_rc 0
expect_empty

# (5) An ENUM key's members reordered: the log holds the member's number,
# so a row logged as k='guest' was reported as pk=k=admin.
sql_db acme "CREATE TABLE roles (k ENUM('admin','guest') PRIMARY KEY, v INT)"
sql_db acme "CREATE TABLE moved (a INT NOT NULL, b INT NOT NULL,
    PRIMARY KEY (a))"
follow_account acme.users acme.roles acme.moved
follow_conf acme.users acme.roles acme.moved
dbsc follow
[ "$rc" != 2 ] || fail "follow failed after the configuration changed"
sql_db acme "INSERT INTO roles VALUES ('guest', 1)"
sql_db acme "ALTER TABLE roles MODIFY k ENUM('guest','admin')"
dbsc follow
shape_error acme.roles
grep -q 'msg=.*the%20members%20of%20ENUM%20column%20k%20differ' "$W/out" ||
    fail "the op=error does not name the ENUM column"
grep -q 'pk=k=admin' "$W/out" && fail "k=guest reported as pk=k=admin"
sql_db acme "INSERT INTO roles VALUES ('admin', 2)"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=acme.roles pk=k=admin changed=- src=binlog by=- ;
$(commit_rec 1)
EOF

# (6) The primary key moved from a to b, names and types unchanged: a row
# keyed a=1 was reported as pk=b=2.
sql_db acme "INSERT INTO moved VALUES (1, 2)"
sql_db acme "ALTER TABLE moved DROP PRIMARY KEY, ADD PRIMARY KEY (b)"
dbsc follow
shape_error acme.moved
grep -q 'msg=.*the%20primary%20key.*column%201%20is%20a%20' "$W/out" ||
    fail "the op=error does not name the key column"
grep -q 'pk=b=2' "$W/out" && fail "a row keyed a=1 reported as pk=b=2"
sql_db acme "INSERT INTO moved VALUES (3, 4)"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=acme.moved pk=b=4 changed=- src=binlog by=- ;
$(commit_rec 1)
EOF

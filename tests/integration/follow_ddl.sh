#!/bin/sh
# dbsyscheck follow and DDL: TRUNCATE, DROP, RENAME, ALTER and CREATE of a
# watched table, however the statement names it (qualified or by the
# default database, backquoted, in another case of keyword), are op=ddl
# records with stmt= and the transaction's fields, never the statement's
# text; the same statements on unwatched tables give nothing.
. "$(dirname "$0")/setup"

secret='DDL-secret-value-41ab-never-shown'

db_start_binlog
sql "CREATE DATABASE fd"
sql "CREATE DATABASE other"
for t in t1 t2 t3 t4 t5 u1 u2; do
	sql_db fd "CREATE TABLE $t (id INT PRIMARY KEY, v VARCHAR(60))"
	sql_db fd "INSERT INTO $t VALUES (1, 'a'), (2, 'b')"
done
sql_db other "CREATE TABLE t1 (id INT PRIMARY KEY)"
follow_account fd.t1 fd.t2 fd.t3 fd.t4 fd.t5
follow_conf fd.t1 fd.t2 fd.t3 fd.t4 fd.t5
follow_first

# TRUNCATE: no row events, one op=ddl.
sql_db fd "TRUNCATE TABLE t1"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 0 0)
$(ddl_rec fd.t1 truncate)
EOF

# Another database as the default, a backquoted name, lower case.
sql_db other "truncate \`fd\`.\`t2\`"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 0 0)
$(ddl_rec fd.t2 truncate)
EOF

# ALTER, with a default value that must not leak (the statement text is
# never printed).
sql_db fd "ALTER TABLE t3 ADD COLUMN note VARCHAR(60) DEFAULT '$secret'"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 0 0)
$(ddl_rec fd.t3 alter)
EOF
! grep -q -F "$secret" "$W/out" "$W/errout" ||
    fail "the statement's text was printed"

# RENAME away and back: the watched name in each.
sql_db fd "RENAME TABLE t4 TO t4old"
sql_db fd "RENAME TABLE t4old TO t4"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 0 0)
$(ddl_rec fd.t4 rename)
$(ddl_rec fd.t4 rename)
EOF

# DROP, then CREATE of the same name.
sql_db fd "DROP TABLE t5"
sql_db fd "CREATE TABLE t5 (id INT PRIMARY KEY, v VARCHAR(60))"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 0 0)
$(ddl_rec fd.t5 drop)
$(ddl_rec fd.t5 create)
EOF

# The op=ddl fields: the server's GTID and end of log after the statement.
sql_db fd "TRUNCATE t1"
gtid=$(gtid_pos)
pos=$(master_pos)
dbsc follow
expect_rc 1
grep -q "^dbsyscheck: op=ddl table=fd.t1 stmt=truncate gtid=$gtid conn=[0-9]* time=[^ ]* pos=$pos src=binlog by=- ;\$" \
    "$W/out" || fail "op=ddl does not carry gtid=$gtid pos=$pos"

# Statements written to slip past the parser (the hostile review's): a
# "--" comment ended by a control byte, SET STATEMENT ... FOR, the rows of a partition exchanged into a watched table, a
# partition truncated, a table renamed onto a watched name by ALTER.
sql_db fd "CREATE TABLE part (id INT PRIMARY KEY, v VARCHAR(60))
    PARTITION BY RANGE (id) (PARTITION p0 VALUES LESS THAN (100),
    PARTITION p1 VALUES LESS THAN MAXVALUE)"
sql_db fd "CREATE TABLE evil (id INT PRIMARY KEY, v VARCHAR(60))"
sql_db fd "$(printf 'TRUNCATE --\001 x\n fd.t1')"
sql_db fd "SET STATEMENT max_statement_time=1000 FOR TRUNCATE fd.t2"
sql_db fd "ALTER TABLE part EXCHANGE PARTITION p0 WITH TABLE t1"
sql_db fd "DROP TABLE t5"
sql_db fd "ALTER TABLE evil RENAME TO t5"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 0 0)
$(ddl_rec fd.t1 truncate)
$(ddl_rec fd.t2 truncate)
$(ddl_rec fd.t1 exchange)
$(ddl_rec fd.t5 drop)
$(ddl_rec fd.t5 rename)
EOF
sql_db fd "ALTER TABLE part TRUNCATE PARTITION p1"
sql_db fd "RENAME TABLE t5 TO evil"
sql_db fd "CREATE TABLE t5 (id INT PRIMARY KEY, v VARCHAR(60))"
sql_db fd "ALTER TABLE t5 PARTITION BY RANGE (id) (PARTITION p0 VALUES
    LESS THAN (100), PARTITION p1 VALUES LESS THAN MAXVALUE)"
sql_db fd "ALTER TABLE t5 DROP PARTITION p1"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 0 0)
$(ddl_rec fd.t5 rename)
$(ddl_rec fd.t5 create)
$(ddl_rec fd.t5 alter)
$(ddl_rec fd.t5 truncate)
EOF

# Unwatched tables and a table of the same name in another database:
# nothing.
sql_db fd "TRUNCATE u1"
sql_db fd "ALTER TABLE u1 ADD COLUMN x INT"
sql_db fd "RENAME TABLE u2 TO u2b"
sql_db fd "DROP TABLE u2b"
sql_db fd "CREATE TABLE u3 (id INT PRIMARY KEY)"
sql_db other "TRUNCATE t1"
sql_db other "ALTER TABLE t1 ADD COLUMN x INT"
sql_db other "DROP TABLE t1"
dbsc follow
expect_rc 0
expect_empty

# Row changes after the DDL are still followed (t3 has a new column).
sql_db fd "INSERT INTO t3 (id, v) VALUES (3, 'c')"
sql_db fd "INSERT INTO t1 VALUES (9, 'z')"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 2 0 0)
dbsyscheck: op=insert table=fd.t3 pk=id=3 changed=- src=binlog by=- ;
$(commit_rec 1)
dbsyscheck: op=insert table=fd.t1 pk=id=9 changed=- src=binlog by=- ;
$(commit_rec 1)
EOF

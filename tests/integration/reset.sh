#!/bin/sh
# reset accepts the tables as they are now: one op=reset record per table,
# nothing left for the next scan; naming a table resets only that one.
. "$(dirname "$0")/setup"

me=$(id -un)

db_start
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE t1 (id INT PRIMARY KEY, v VARCHAR(10))"
sql_db acme "CREATE TABLE t2 (id INT PRIMARY KEY, v VARCHAR(10))"
sql_db acme "INSERT INTO t1 VALUES (1, 'a'), (2, 'b')"
sql_db acme "INSERT INTO t2 VALUES (1, 'a'), (2, 'b'), (3, 'c')"
dbsc_conf "acme.t1" "acme.t2"

dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=baseline table=acme.t1 rows=2 src=scan ;
dbsyscheck: op=baseline table=acme.t2 rows=3 src=scan ;
EOF

sql_db acme "INSERT INTO t1 VALUES (3, 'c')"
sql_db acme "UPDATE t2 SET v = 'B' WHERE id = 2"
sql_db acme "DELETE FROM t2 WHERE id = 3"
dbsc reset
expect_rc 0
expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=reset table=acme.t1 rows=3 src=scan by=$me ;
dbsyscheck: op=reset table=acme.t2 rows=2 src=scan by=$me ;
EOF

dbsc scan
expect_rc 0
expect_empty

# Only the named table is reset; the other keeps its pending changes.
sql_db acme "DELETE FROM t1 WHERE id = 1"
sql_db acme "INSERT INTO t2 VALUES (4, 'd')"
dbsc reset acme.t1
expect_rc 0
expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=reset table=acme.t1 rows=2 src=scan by=$me ;
EOF

dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=acme.t2 pk=id=4 changed=- src=scan by=- ;
EOF

dbsc scan
expect_rc 0
expect_empty

# Scanning one named table leaves the others alone.
sql_db acme "UPDATE t1 SET v = 'x' WHERE id = 2"
sql_db acme "UPDATE t2 SET v = 'y' WHERE id = 1"
dbsc scan acme.t2
expect_rc 1
expect_out <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=acme.t2 pk=id=1 changed=v src=scan by=- ;
EOF
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=acme.t1 pk=id=2 changed=v src=scan by=- ;
EOF

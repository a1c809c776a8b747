#!/bin/sh
# A two-column primary key: pk=a=1,b=x, every column of the key reported.
. "$(dirname "$0")/setup"

db_start
sql "CREATE DATABASE composite"
sql_db composite "CREATE TABLE t (
	a INT NOT NULL,
	b VARCHAR(10) NOT NULL,
	v INT,
	PRIMARY KEY (a, b))"
# -1, 2 and 10: numeric key order is not text order.
sql_db composite "INSERT INTO t VALUES
	(-1, 'x', 0), (1, 'x', 1), (1, 'y', 2), (2, 'x', 3), (10, 'x', 4)"
dbsc_conf "composite.t"

dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=baseline table=composite.t rows=5 src=scan ;
EOF

dbsc scan
expect_rc 0
expect_empty

sql_db composite "UPDATE t SET v = 20 WHERE a = 1 AND b = 'y'"
sql_db composite "INSERT INTO t VALUES (2, 'y', 5)"
sql_db composite "DELETE FROM t WHERE a = 2 AND b = 'x'"
# Changing part of the key is a delete of the old row, an insert of the new.
sql_db composite "UPDATE t SET b = 'z' WHERE a = 1 AND b = 'x'"
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 2 1 2)
dbsyscheck: op=delete table=composite.t pk=a=1,b=x changed=- src=scan by=- ;
dbsyscheck: op=update table=composite.t pk=a=1,b=y changed=v src=scan by=- ;
dbsyscheck: op=insert table=composite.t pk=a=1,b=z changed=- src=scan by=- ;
dbsyscheck: op=delete table=composite.t pk=a=2,b=x changed=- src=scan by=- ;
dbsyscheck: op=insert table=composite.t pk=a=2,b=y changed=- src=scan by=- ;
EOF

# Separators inside key values are encoded, so pk= stays unambiguous.
sql_db composite "INSERT INTO t VALUES (3, 'a,b=c', 6)"
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=composite.t pk=a=3,b=a%2Cb%3Dc changed=- src=scan by=- ;
EOF

sql_db composite "UPDATE t SET v = NULL WHERE a = 3"
sql_db composite "DELETE FROM t WHERE a = -1"
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 0 1 1)
dbsyscheck: op=delete table=composite.t pk=a=-1,b=x changed=- src=scan by=- ;
dbsyscheck: op=update table=composite.t pk=a=3,b=a%2Cb%3Dc changed=v src=scan by=- ;
EOF

dbsc scan
expect_rc 0
expect_empty

#!/bin/sh
# NULL, the empty string and the string 'NULL' are three different values.
. "$(dirname "$0")/setup"

db_start
sql "CREATE DATABASE nulls"
sql_db nulls "CREATE TABLE t (
	id INT PRIMARY KEY,
	v VARCHAR(20) NULL,
	w VARCHAR(20) NULL)"
sql_db nulls "INSERT INTO t VALUES
	(1, NULL, 'same'),
	(2, '', 'same'),
	(3, 'NULL', 'same'),
	(4, NULL, ''),
	(5, 'a', 'b')"
dbsc_conf "nulls.t"

dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=baseline table=nulls.t rows=5 src=scan ;
EOF

sql_db nulls "UPDATE t SET v = '' WHERE id = 1"
sql_db nulls "UPDATE t SET v = 'NULL' WHERE id = 2"
sql_db nulls "UPDATE t SET v = NULL WHERE id = 3"
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 0 3 0)
dbsyscheck: op=update table=nulls.t pk=id=1 changed=v src=scan by=- ;
dbsyscheck: op=update table=nulls.t pk=id=2 changed=v src=scan by=- ;
dbsyscheck: op=update table=nulls.t pk=id=3 changed=v src=scan by=- ;
EOF

# Values moving between adjacent columns: (NULL,'') -> ('',NULL) and
# ('a','b') -> ('ab','') must not look like the same row.
sql_db nulls "UPDATE t SET v = '', w = NULL WHERE id = 4"
sql_db nulls "UPDATE t SET v = 'ab', w = '' WHERE id = 5"
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 0 2 0)
dbsyscheck: op=update table=nulls.t pk=id=4 changed=v,w src=scan by=- ;
dbsyscheck: op=update table=nulls.t pk=id=5 changed=v,w src=scan by=- ;
EOF

dbsc scan
expect_rc 0
expect_empty

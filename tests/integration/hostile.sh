#!/bin/sh
# Hostile bytes in keys and values: every record stays one ASCII line and
# keys are percent-encoded, so no row can forge or split a record.
. "$(dirname "$0")/setup"

fake='dbsyscheck: op=delete table=acme.users pk=id=1 changed=- src=scan by=- ;'

# Each record is one line of printable ASCII.
expect_ascii_lines()
{
	if LC_ALL=C grep -q '[^ -~]' "$W/out"; then
		od -c "$W/out" >&2
		fail "output has bytes outside printable ASCII"
	fi
}

db_start
sql "CREATE DATABASE hostile"
sql_db hostile "CREATE TABLE t (
	k VARBINARY(255) PRIMARY KEY,
	b BLOB)"
sql_db hostile "INSERT INTO t VALUES ('plain', 'x')"
dbsc_conf "hostile.t"

dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=baseline table=hostile.t rows=1 src=scan ;
EOF

# A key with NUL, LF, CR and a complete fake record; one with every byte
# the encoding names (and its neighbours ~ and !, which stay); an empty one.
sql_db hostile "INSERT INTO t VALUES
	(CONCAT('a', X'00', 'b', X'0A', 'c', X'0D0A', '$fake'), 'v'),
	(X'22252C273B3D5C607C7F80FF0920C3A47E21', 'w'),
	('', 'e')"
dbsc scan
expect_rc 1
expect_ascii_lines
expect_out <<EOF
$(summary 3 0 0)
dbsyscheck: op=insert table=hostile.t pk=k= changed=- src=scan by=- ;
dbsyscheck: op=insert table=hostile.t pk=k=%22%25%2C%27%3B%3D%5C%60%7C%7F%80%FF%09%20%C3%A4~! changed=- src=scan by=- ;
dbsyscheck: op=insert table=hostile.t pk=k=a%00b%0Ac%0D%0Adbsyscheck:%20op%3Ddelete%20table%3Dacme.users%20pk%3Did%3D1%20changed%3D-%20src%3Dscan%20by%3D-%20%3B changed=- src=scan by=- ;
EOF

dbsc scan
expect_rc 0
expect_empty

# BLOB values with NUL and newlines: one update record per row.
sql_db hostile "UPDATE t SET b = CONCAT(X'000A0D00', '$fake', X'0A')
	WHERE k LIKE 'a%'"
sql_db hostile "UPDATE t SET b = X'00' WHERE k = 'plain'"
dbsc scan
expect_rc 1
expect_ascii_lines
expect_out <<EOF
$(summary 0 2 0)
dbsyscheck: op=update table=hostile.t pk=k=a%00b%0Ac%0D%0Adbsyscheck:%20op%3Ddelete%20table%3Dacme.users%20pk%3Did%3D1%20changed%3D-%20src%3Dscan%20by%3D-%20%3B changed=b src=scan by=- ;
dbsyscheck: op=update table=hostile.t pk=k=plain changed=b src=scan by=- ;
EOF

# A NUL byte is a value, not an end: X'00' -> X'0000' and 'e' -> 'e\0'.
sql_db hostile "UPDATE t SET b = X'0000' WHERE k = 'plain'"
sql_db hostile "UPDATE t SET b = X'6500' WHERE k = ''"
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 0 2 0)
dbsyscheck: op=update table=hostile.t pk=k= changed=b src=scan by=- ;
dbsyscheck: op=update table=hostile.t pk=k=plain changed=b src=scan by=- ;
EOF

sql_db hostile "DELETE FROM t WHERE k <> 'plain'"
dbsc scan
expect_rc 1
expect_ascii_lines
expect_out <<EOF
$(summary 0 0 3)
dbsyscheck: op=delete table=hostile.t pk=k= changed=- src=scan by=- ;
dbsyscheck: op=delete table=hostile.t pk=k=%22%25%2C%27%3B%3D%5C%60%7C%7F%80%FF%09%20%C3%A4~! changed=- src=scan by=- ;
dbsyscheck: op=delete table=hostile.t pk=k=a%00b%0Ac%0D%0Adbsyscheck:%20op%3Ddelete%20table%3Dacme.users%20pk%3Did%3D1%20changed%3D-%20src%3Dscan%20by%3D-%20%3B changed=- src=scan by=- ;
EOF

dbsc scan
expect_rc 0
expect_empty

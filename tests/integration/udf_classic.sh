#!/bin/sh
# The classic insert/update/delete of id 7 through the generated triggers:
# exact records in the server's error log, masked and ignored columns,
# NULL columns, byte-exact change detection, key changes, and
# "triggers --uninstall".
. "$(dirname "$0")/setup"
. "$(dirname "$0")/udf_lib.sh"

by=root@localhost
udf_start "acme.users mask=password" "acme.notes ignore=seen"
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (
	id INT PRIMARY KEY AUTO_INCREMENT,
	login VARCHAR(20) NOT NULL,
	password VARCHAR(60) NOT NULL,
	KEY (login))"
sql_db acme "CREATE TABLE notes (
	a INT NOT NULL,
	b VARCHAR(10) NOT NULL,
	body TEXT NULL,
	score DOUBLE NULL,
	seen DATETIME NULL,
	PRIMARY KEY (a, b))"
udf_triggers
grep -q "dbsyscheck_log((SELECT token FROM \`dbsyscheck\`.\`trigger_token\` WHERE id = 1), 'update', 'acme', 'users'" \
    "$W/triggers.sql" || fail "no update trigger calling dbsyscheck_log"
expect_no_records

# The classic example, with a secret that must never reach the log.
secret='$2y$10$S3cr3tHashS3cr3tHash'
sql "INSERT INTO acme.users VALUES (7, 'xavier', '$secret')"
sql "UPDATE acme.users SET password='${secret}2' WHERE id=7"
sql "DELETE FROM acme.users WHERE id=7"
expect_records <<EOF
dbsyscheck: op=insert table=acme.users pk=id=7 changed=- src=trigger by=$by ;
dbsyscheck: op=update table=acme.users pk=id=7 changed=password src=trigger by=$by ;
dbsyscheck: op=delete table=acme.users pk=id=7 changed=- src=trigger by=$by ;
EOF
! grep -q 'S3cr3tHash' "$W/err.log" "$DBSYSCHECK_UDF_LOG" ||
    fail "a password reached a log"

# An update that changes nothing writes nothing; several columns are
# listed in table order; a case-only change counts (bytes, not collation).
sql "INSERT INTO acme.users VALUES (8, 'yvonne', 'p1')"
sql "UPDATE acme.users SET login = login WHERE id = 8"
sql "UPDATE acme.users SET password = 'p2', login = 'yves' WHERE id = 8"
sql "UPDATE acme.users SET login = 'YVES' WHERE id = 8"
sql "UPDATE acme.users SET login = 'YVES ' WHERE id = 8"
expect_records <<EOF
dbsyscheck: op=insert table=acme.users pk=id=8 changed=- src=trigger by=$by ;
dbsyscheck: op=update table=acme.users pk=id=8 changed=login,password src=trigger by=$by ;
dbsyscheck: op=update table=acme.users pk=id=8 changed=login src=trigger by=$by ;
dbsyscheck: op=update table=acme.users pk=id=8 changed=login src=trigger by=$by ;
EOF

# A key change: the new key, and the key column among the changed ones.
sql "UPDATE acme.users SET id = 9 WHERE id = 8"
expect_records <<EOF
dbsyscheck: op=update table=acme.users pk=id=9 changed=id src=trigger by=$by ;
EOF

# A multi-row statement: one record per row.
sql "INSERT INTO acme.users VALUES (10, 'a', 'x'), (11, 'b', 'x')"
sql "UPDATE acme.users SET password = 'y' WHERE id >= 10"
sql "DELETE FROM acme.users WHERE id >= 10"
expect_records <<EOF
dbsyscheck: op=insert table=acme.users pk=id=10 changed=- src=trigger by=$by ;
dbsyscheck: op=insert table=acme.users pk=id=11 changed=- src=trigger by=$by ;
dbsyscheck: op=update table=acme.users pk=id=10 changed=password src=trigger by=$by ;
dbsyscheck: op=update table=acme.users pk=id=11 changed=password src=trigger by=$by ;
dbsyscheck: op=delete table=acme.users pk=id=10 changed=- src=trigger by=$by ;
dbsyscheck: op=delete table=acme.users pk=id=11 changed=- src=trigger by=$by ;
EOF

# NULL columns: every record is written; NULL, '' and 'NULL' differ;
# NULL to NULL is no change; ignore= columns are never looked at.
sql "INSERT INTO acme.notes VALUES (1, 'k', NULL, NULL, NULL)"
sql "UPDATE acme.notes SET body = '' WHERE a = 1"
sql "UPDATE acme.notes SET body = 'NULL' WHERE a = 1"
sql "UPDATE acme.notes SET body = NULL, score = NULL WHERE a = 1"
sql "UPDATE acme.notes SET score = 0 WHERE a = 1"
sql "UPDATE acme.notes SET score = -0.5, body = NULL WHERE a = 1"
sql "UPDATE acme.notes SET seen = NOW() WHERE a = 1"
sql "DELETE FROM acme.notes WHERE a = 1"
expect_records <<EOF
dbsyscheck: op=insert table=acme.notes pk=a=1,b=k changed=- src=trigger by=$by ;
dbsyscheck: op=update table=acme.notes pk=a=1,b=k changed=body src=trigger by=$by ;
dbsyscheck: op=update table=acme.notes pk=a=1,b=k changed=body src=trigger by=$by ;
dbsyscheck: op=update table=acme.notes pk=a=1,b=k changed=body src=trigger by=$by ;
dbsyscheck: op=update table=acme.notes pk=a=1,b=k changed=score src=trigger by=$by ;
dbsyscheck: op=update table=acme.notes pk=a=1,b=k changed=score src=trigger by=$by ;
dbsyscheck: op=delete table=acme.notes pk=a=1,b=k changed=- src=trigger by=$by ;
EOF
grep -q "'seen'" "$W/triggers.sql" && fail "an ignore= column is passed"

# Another account is named by USER().
sql "CREATE USER 'app'@'localhost' IDENTIFIED BY 'pw'"
sql "GRANT INSERT, UPDATE, DELETE, SELECT ON acme.users TO 'app'@'localhost'"
mariadb --no-defaults --socket="$W/sock" -uapp -ppw acme \
    -e "INSERT INTO users VALUES (12, 'c', 'x')" || fail "app cannot insert"
expect_records <<EOF
dbsyscheck: op=insert table=acme.users pk=id=12 changed=- src=trigger by=app@localhost ;
EOF

# The scanner sees the same rows with the same pk= text.
dbsc scan acme.users
expect_rc 1
grep -q "^dbsyscheck: op=baseline table=acme.users rows=2 src=scan ;" \
    "$W/out" || fail "scan does not agree"

# Uninstall: only DROP statements, no token, and no more records.
dbsc triggers --uninstall
expect_rc 0
grep -v -e '^DROP TRIGGER IF EXISTS `acme`\.`dbsc_[a-z]*_[0-9a-f]\{8\}_a[iud]`;$' \
    -e '^--' -e '^$' -e '^SET NAMES utf8mb4;$' "$W/out" &&
    fail "uninstall prints more than DROP TRIGGER"
[ "$(grep -c '^DROP TRIGGER' "$W/out")" = 6 ] || fail "not 6 DROP TRIGGER"
grep -q "$(cut -c1-16 "$W/trigger.token")" "$W/out" &&
    fail "uninstall prints the token"
sql <"$W/out"
[ "$(sql "SELECT COUNT(*) FROM information_schema.TRIGGERS
    WHERE TRIGGER_SCHEMA = 'acme'")" = 0 ] || fail "triggers left behind"
sql "INSERT INTO acme.users VALUES (13, 'd', 'x')"
sql "DELETE FROM acme.users"
expect_no_records

# Installing twice is the same as once (DROP TRIGGER IF EXISTS first).
udf_triggers
udf_triggers
sql "INSERT INTO acme.users VALUES (7, 'xavier', 'x')"
expect_records <<EOF
dbsyscheck: op=insert table=acme.users pk=id=7 changed=- src=trigger by=$by ;
EOF
if grep -q 'op=forged\|op=error' "$DBSYSCHECK_UDF_LOG"; then
	grep 'op=forged\|op=error' "$DBSYSCHECK_UDF_LOG" >&2
	fail "forged or error records"
fi

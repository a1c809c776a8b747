#!/bin/sh
# Keys whose text is not exact (a FLOAT, an ENUM with an empty member):
# the trigger record names the row by the same pk= as the scan, the exact
# value (docs/DESIGN.md, "How each type is encoded"), and two FLOAT keys
# that print alike are two rows in both.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/udf_lib.sh"

by=root@localhost
udf_start "acme.fk" "acme.ek"
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE fk (f FLOAT PRIMARY KEY, v INT)"
sql_db acme "CREATE TABLE ek (e ENUM('', 'a') NOT NULL PRIMARY KEY, v INT)"
dbsc --deliver scan
expect_rc 1
udf_triggers
expect_no_records

# 1.2345678 and 1.2345679 both print 1.23457; IGNORE stores '' for 'x'
# (index 0), which prints as the member '' (index 1) does.
sql_db acme "INSERT INTO fk VALUES (1.2345678, 1), (1.2345679, 2)"
sql_db acme "INSERT INTO ek VALUES ('', 1)"
sql_db acme "INSERT IGNORE INTO ek VALUES ('x', 2)"
expect_records <<EOF
dbsyscheck: op=insert table=acme.fk pk=f=1.2345677614212036 changed=- src=trigger by=$by ;
dbsyscheck: op=insert table=acme.fk pk=f=1.2345678806304932 changed=- src=trigger by=$by ;
dbsyscheck: op=insert table=acme.ek pk=e=1 changed=- src=trigger by=$by ;
dbsyscheck: op=insert table=acme.ek pk=e=0 changed=- src=trigger by=$by ;
EOF
dbsc --deliver scan
expect_rc 1
sed 's/ src=scan by=- ;$//' "$W/out" | grep 'op=insert' | sort \
    >"$W/scan.keys"
sed -n 's/^dbsyscheck: \(.*\) src=trigger by=[^ ]* ;$/dbsyscheck: \1/p' \
    "$DBSYSCHECK_UDF_LOG" | sort >"$W/trigger.keys"
cat "$W/scan.keys"
[ "$(wc -l <"$W/scan.keys")" = 4 ] || fail "the scan did not see 4 rows"
cmp -s "$W/scan.keys" "$W/trigger.keys" || {
	diff -u "$W/trigger.keys" "$W/scan.keys" >&2
	fail "the scan and the triggers name the rows differently"
}

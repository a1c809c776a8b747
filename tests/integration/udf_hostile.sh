#!/bin/sh
# Hostile values and names through the triggers: newline, CR, NUL, record
# text, quotes, backticks and invalid UTF-8 in keys, values, database,
# table and column names. Exactly one record per row change, every record
# one printable ASCII line, nothing forged, and the same pk= text as the
# scanner writes.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/udf_lib.sh"

by=root@localhost
fake='dbsyscheck: op=delete table=acme.users pk=id=1 changed=- src=scan by=- ;'
T='table=q%27b%60d.t%22x%27y%60z'

# Each record line is printable ASCII (the rest of the log is the server's).
expect_ascii_records()
{
	if grep '^dbsyscheck: ' "$DBSYSCHECK_UDF_LOG" |
	    LC_ALL=C grep -q '[^ -~]'; then
		grep '^dbsyscheck: ' "$DBSYSCHECK_UDF_LOG" | od -c >&2
		fail "a record has bytes outside printable ASCII"
	fi
}

udf_start '`q'"'"'b``d`.`t"x'"'"'y``z`'
sql <<'EOF'
CREATE DATABASE `q'b``d`;
CREATE TABLE `q'b``d`.`t"x'y``z` (
	`k'ey` VARBINARY(3000) PRIMARY KEY,
	`v``al` BLOB NULL,
	`na"me` VARCHAR(200) CHARACTER SET utf8mb4 NULL);
EOF
udf_triggers
# The scanner's baseline of the empty table, to compare pk= texts later.
dbsc scan
expect_rc 1
expect_no_records

# Keys: NUL, LF, CR LF and a whole fake record; every byte the encoding
# names with invalid UTF-8 (80 FF); empty; 3000 bytes (cut with %...).
sql_db "q'b\`d" <<EOF
INSERT INTO \`t"x'y\`\`z\` VALUES
	(CONCAT('a', X'00', 'b', X'0A', 'c', X'0D0A', '$fake'), X'00', 'x');
INSERT INTO \`t"x'y\`\`z\` VALUES
	(X'22252C273B3D5C607C7F80FF0920C3A47E21', NULL, NULL);
INSERT INTO \`t"x'y\`\`z\` VALUES ('', 'e', 'O''Brien "quoted" \`x\`');
INSERT INTO \`t"x'y\`\`z\` VALUES (REPEAT(X'FF', 3000), NULL, NULL);
EOF
k1='a%00b%0Ac%0D%0Adbsyscheck:%20op%3Ddelete%20table%3Dacme.users%20pk%3Did%3D1%20changed%3D-%20src%3Dscan%20by%3D-%20%3B'
k2='%22%25%2C%27%3B%3D%5C%60%7C%7F%80%FF%09%20%C3%A4~!'
k4="$(i=0; while [ $i -lt 340 ]; do printf '%%FF'; i=$((i + 1)); done)%..."
expect_records <<EOF
dbsyscheck: op=insert $T pk=k%27ey=$k1 changed=- src=trigger by=$by ;
dbsyscheck: op=insert $T pk=k%27ey=$k2 changed=- src=trigger by=$by ;
dbsyscheck: op=insert $T pk=k%27ey= changed=- src=trigger by=$by ;
dbsyscheck: op=insert $T pk=k%27ey=$k4 changed=- src=trigger by=$by ;
EOF
expect_ascii_records

# The scanner reports the same rows with the same pk= text.
dbsc --max-bytes 0 scan
expect_rc 1
grep '^dbsyscheck: op=insert' "$W/out" | sed 's/ src=.*//' | sort \
    >"$W/scan.pk"
grep '^dbsyscheck: op=insert' "$W/rec.actual" | sed 's/ src=.*//' | sort \
    >"$W/trigger.pk"
cmp -s "$W/scan.pk" "$W/trigger.pk" || {
	diff -u "$W/scan.pk" "$W/trigger.pk" >&2
	fail "the triggers' pk= differs from the scanner's"
}

# Non-key values with NUL, newlines, record text, quotes, invalid UTF-8:
# exactly one update record each, naming only the column.
sql_db "q'b\`d" <<EOF
UPDATE \`t"x'y\`\`z\` SET \`v\`\`al\` = CONCAT(X'000A0D00', '$fake', X'0A')
	WHERE \`k'ey\` LIKE 'a%';
UPDATE \`t"x'y\`\`z\` SET \`v\`\`al\` = X'80FFFE0A3B'
	WHERE \`k'ey\` = X'22252C273B3D5C607C7F80FF0920C3A47E21';
UPDATE \`t"x'y\`\`z\` SET \`na"me\` = CONCAT('$fake', '\n', '''"\`;')
	WHERE \`k'ey\` = '';
UPDATE \`t"x'y\`\`z\` SET \`na"me\` = 'O''Brien "quoted" \`x\`'
	WHERE \`k'ey\` = '';
EOF
expect_records <<EOF
dbsyscheck: op=update $T pk=k%27ey=$k1 changed=v%60al src=trigger by=$by ;
dbsyscheck: op=update $T pk=k%27ey=$k2 changed=v%60al src=trigger by=$by ;
dbsyscheck: op=update $T pk=k%27ey= changed=na%22me src=trigger by=$by ;
dbsyscheck: op=update $T pk=k%27ey= changed=na%22me src=trigger by=$by ;
EOF

# Both non-key columns at once, then deletes.
sql_db "q'b\`d" <<EOF
UPDATE \`t"x'y\`\`z\` SET \`v\`\`al\` = X'0D', \`na"me\` = X'0A'
	WHERE \`k'ey\` = '';
DELETE FROM \`t"x'y\`\`z\` WHERE \`k'ey\` LIKE 'a%';
DELETE FROM \`t"x'y\`\`z\` WHERE \`k'ey\` = '';
EOF
expect_records <<EOF
dbsyscheck: op=update $T pk=k%27ey= changed=v%60al,na%22me src=trigger by=$by ;
dbsyscheck: op=delete $T pk=k%27ey=$k1 changed=- src=trigger by=$by ;
dbsyscheck: op=delete $T pk=k%27ey= changed=- src=trigger by=$by ;
EOF
expect_ascii_records

# Nothing forged, no error, and no line of the log but ours starts with
# the record prefix (the fake record text never became a line).
grep -q 'op=forged\|op=error' "$DBSYSCHECK_UDF_LOG" &&
    fail "forged or error records"
[ "$(grep -c '^dbsyscheck: ' "$DBSYSCHECK_UDF_LOG")" = 11 ] ||
    fail "not exactly 11 records in the log"
grep -q '^dbsyscheck: op=delete table=acme' "$DBSYSCHECK_UDF_LOG" &&
    fail "a value forged a record"
grep -E -q '(^|Z )dbsyscheck|op=' "$W/err.log" && fail "a line in the error log"
exit 0

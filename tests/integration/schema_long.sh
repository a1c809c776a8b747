#!/bin/sh
# Records that would not fit: a dozen added columns with 64-character
# non-ASCII names, in a database and a table with such names too, give an
# op=schema record whose lists are cut with the marker (docs/FORMAT.md),
# never op=error; and the next scans compare the table as usual.
. "$(dirname "$0")/setup"

# long CHAR [N]: N (64) times CHAR.
long()
{
	_s=
	_i=0
	while [ "$_i" -lt "${2:-64}" ]; do
		_s=$_s$1
		_i=$((_i + 1))
	done
	printf '%s' "$_s"
}

# check_records: every line of stdout is one well-formed record that fits.
check_records()
{
	while IFS= read -r line; do
		body=${line#dbsyscheck: }
		[ "$body" != "$line" ] || fail "no record prefix: $line"
		case $body in
		"op="*" ;") ;;
		*) fail "not a record: $line" ;;
		esac
		[ "${#body}" -le 4096 ] || fail "record of ${#body} bytes"
		if printf '%s' "$body" | LC_ALL=C grep -q '[^ -~]'; then
			fail "non-ASCII record: $line"
		fi
		printf '%s\n' "$body" | tr ' ' '\n' | sed '$d' |
		    grep -v -E '^[a-z_]+=[^=]' | grep -v -E '^pk=' |
		    grep . && fail "malformed field in: $line"
		:
	done <"$W/out"
}

# As long as a file name allows (the server names files after them).
d=$(long "$(printf '\344\270\255')" 40)	# U+4E2D, 3 bytes each
t=$(long "$(printf '\303\266')" 40)		# U+00F6, 2 bytes each
db_start
sql "CREATE DATABASE \`$d\`"
sql_db "$d" "CREATE TABLE \`$t\` (id INT PRIMARY KEY, v INT)"
sql_db "$d" "INSERT INTO \`$t\` VALUES (1, 1), (2, 2)"
dbsc_conf "\`$d\`.\`$t\`"
dbsc scan
expect_rc 1
check_records
tenc="$(printf '%s' "$d" | pct ident).$(printf '%s' "$t" | pct ident)"
grep -q -F "op=baseline table=$tenc rows=2 " "$W/out" || fail "no op=baseline"

# A dozen columns, each named by 63 three-byte characters and a letter.
alter=
for c in a b c d e f g h i j k l; do
	n="$(long "$(printf '\344\270\255')" 63)$c"	# U+4E2D
	alter="$alter${alter:+, }ADD COLUMN \`$n\` INT"
done
sql_db "$d" "ALTER TABLE \`$t\` $alter"
sql_db "$d" "INSERT INTO \`$t\` (id, v) VALUES (3, 3)"
dbsc scan
expect_rc 1
check_records
grep -q 'op=error' "$W/out" && fail "op=error for a table with long names"
grep -q -F "dbsyscheck: op=schema table=$tenc added=%E4%B8%AD" "$W/out" ||
    fail "no op=schema with added="
grep -q -F '%... updates=uncompared src=scan ;' "$W/out" ||
    fail "the added= list is not cut with the marker"
grep -q -F "op=insert table=$tenc pk=id=3 " "$W/out" ||
    fail "the insert of this scan is not reported"

# The next scan compares the table: one update, reported.
sql_db "$d" "UPDATE \`$t\` SET v = 9 WHERE id = 1"
dbsc scan
expect_rc 1
check_records
grep -q -F "op=update table=$tenc pk=id=1 changed=v src=scan by=- ;" \
    "$W/out" || fail "no update after the schema change"

# Dropping them again: the dropped= list is cut too.
drop=
for c in a b c d e f g h i j k l; do
	n="$(long "$(printf '\344\270\255')" 63)$c"
	drop="$drop${drop:+, }DROP COLUMN \`$n\`"
done
sql_db "$d" "ALTER TABLE \`$t\` $drop"
dbsc scan
expect_rc 1
check_records
grep -q -F "dbsyscheck: op=schema table=$tenc dropped=%E4%B8%AD" "$W/out" ||
    fail "no op=schema with dropped="
grep -q -F '%... updates=uncompared src=scan ;' "$W/out" ||
    fail "the dropped= list is not cut with the marker"

echo "$test_name: passed"

#!/bin/sh
# "dbsyscheck token" and "dbsyscheck triggers": the token file's creation,
# rotation and checks; trigger names (unique, at most 64 bytes); quoting
# of odd names under any sql_mode; which columns reach the SQL; all or
# nothing output; other triggers of the table left alone.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/udf_lib.sh"

by=root@localhost
long=abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz_0123456789
l1=${long}
l2=$(echo "$long" | cut -c1-63)Z

# The token file: 64 lowercase hex characters and a newline, mode 0640.
udf_conf
dbsc token
expect_rc 0
expect_empty
expect_err "token created"
# Not the UDF's compiled-in token file: the server must be told.
expect_err "$W/trigger.token: not the UDF's default token file"
expect_err "set DBSYSCHECK_UDF_TOKEN to this path in the server's environment"
[ "$(stat -c %a "$W/trigger.token")" = 640 ] || fail "token not mode 0640"
grep -qx '[0-9a-f]\{64\}' "$W/trigger.token" || fail "token not 64 hex"
[ "$(wc -c <"$W/trigger.token")" = 65 ] || fail "token not 65 bytes"
cp "$W/trigger.token" "$W/token.1"

# Rotation: a new token, same mode, group kept, nothing left behind.
chgrp 1 "$W/trigger.token"
dbsc token
expect_rc 0
expect_err "token rotated: restart the server (it reads the token when it loads the UDF library), then store it with dbsyscheck triggers --install --token-only"
expect_err "$W/trigger.token: not the UDF's default token file"
expect_err "set DBSYSCHECK_UDF_TOKEN to this path in the server's environment"
grep -q 'install new triggers' "$W/errout" &&
    fail "rotation asks for new triggers"
cmp -s "$W/token.1" "$W/trigger.token" && fail "rotation kept the token"
[ "$(stat -c %a:%g "$W/trigger.token")" = 640:1 ] ||
    fail "rotation changed the mode or group"
[ ! -e "$W/trigger.token.new" ] || fail "trigger.token.new left behind"
dbsc token extra
expect_rc 2
dbsc --uninstall scan
expect_rc 2
expect_err "--uninstall"

# A symbolic link is refused by both commands; so are unsafe modes and
# malformed contents, by triggers (before connecting to anything).
mv "$W/trigger.token" "$W/real.token"
ln -s "$W/real.token" "$W/trigger.token"
dbsc token
expect_rc 2
expect_err "not a regular file"
dbsc triggers
expect_rc 2
expect_empty
rm "$W/trigger.token"
mv "$W/real.token" "$W/trigger.token"
for mode in 0644 0660 0642; do
	chmod "$mode" "$W/trigger.token"
	dbsc triggers
	expect_rc 2
	expect_empty
done
chmod 0640 "$W/trigger.token"
cp "$W/trigger.token" "$W/token.good"
printf 'ABCDEF\n' >"$W/trigger.token"
dbsc triggers
expect_rc 2
expect_err "not a trigger token"
cp "$W/token.good" "$W/trigger.token"

# Tables with odd names (dbsc_conf echoes, so no backslash in the table
# names); two share their first 64 characters but one.
udf_start "odd.$l1" "odd.$l2" "\`odd\`.\`b'c\"k\`" \
    "odd.plain mask=secret ignore=noise"
sql "CREATE DATABASE odd"
sql_db odd "CREATE TABLE $l1 (id INT PRIMARY KEY, v INT)"
sql_db odd "CREATE TABLE $l2 (id INT PRIMARY KEY, v INT)"
sql_db odd "CREATE TABLE \`b'c\"k\` (\`k\\'\` CHAR(3) PRIMARY KEY,
	\`ä\` INT NULL, \`x\`\`y\` INT NULL)"
sql_db odd "CREATE TABLE plain (id INT PRIMARY KEY, pub INT, secret INT,
	noise INT)"
# A trigger of the site's own: left alone by install and uninstall.
sql_db odd "CREATE TRIGGER own_ai AFTER INSERT ON plain FOR EACH ROW
	SET @own = NEW.id"

# All or nothing: a table not in the configuration, or not on the server,
# and nothing is printed.
dbsc triggers odd.plain odd.nosuch
expect_rc 2
expect_empty
sql_db odd "RENAME TABLE $l2 TO gone"
dbsc triggers
expect_rc 2
expect_empty
expect_err "no such table"
sql_db odd "RENAME TABLE gone TO $l2"
dbsc triggers odd.plain
expect_rc 0
grep -c '^CREATE TRIGGER' "$W/out" | grep -qx 3 || fail "not 3 triggers"

# A backslash and a non-ASCII name: not printed (triggers_charset.sh).
dbsc triggers
expect_rc 2
expect_empty
expect_err "odd.b'c%22k: the name of column k%5C'"
dbsc triggers "odd.$l1" "odd.$l2" odd.plain
expect_rc 0
cp "$W/out" "$W/triggers.sql"
# Names: dbsc_, at most 64 bytes, 9 distinct ones.
sed -n 's/^CREATE TRIGGER `odd`\.`\([^`]*\)`.*/\1/p' "$W/triggers.sql" \
    >"$W/names"
[ "$(wc -l <"$W/names")" = 9 ] || fail "not 9 CREATE TRIGGER"
[ "$(sort -u "$W/names" | wc -l)" = 9 ] || fail "trigger names collide"
awk 'length($0) > 64 { exit 1 }' "$W/names" || fail "a name over 64 bytes"
grep -v '^dbsc_[A-Za-z0-9_]*_[0-9a-f]\{8\}_a[iud]$' "$W/names" &&
    fail "a malformed trigger name"
# No ignore= column, and the mask= column only inside a changed flag.
grep -q noise "$W/triggers.sql" && fail "an ignore= column is in the SQL"
grep -o 'secret[^,)]*' "$W/triggers.sql" | sort -u >"$W/secret.uses"
printf "secret\` <=> NEW.\`secret\`\nsecret'\n" | sort >"$W/secret.want"
cmp -s "$W/secret.want" "$W/secret.uses" || {
	cat "$W/secret.uses" >&2
	fail "the mask= column is used other than as a flag"
}

# Install under a hostile sql_mode: ANSI_QUOTES, NO_BACKSLASH_ESCAPES.
{
	echo "SET SESSION sql_mode = 'ANSI_QUOTES,NO_BACKSLASH_ESCAPES';"
	cat "$W/triggers.sql"
} | sql
# The odd names: installed statement by statement. Non-ASCII and quoting
# names go as hex literals.
(umask 077 && cat >"$W/admin.cnf") <<EOF
[client]
socket=$W/sock
user=root
EOF
dbsc triggers --install --admin-file "$W/admin.cnf" "\`odd\`.\`b'c\"k\`"
expect_rc 0
sql "SELECT ACTION_STATEMENT FROM information_schema.TRIGGERS
    WHERE TRIGGER_SCHEMA = 'odd'" >"$W/bodies"
grep -q "X'c3a4', NOT (OLD.\`ä\` <=> NEW.\`ä\`)" "$W/bodies" ||
    fail "no hex literal for a non-ASCII column name"
sql "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS
    WHERE TRIGGER_SCHEMA = 'odd' AND TRIGGER_NAME LIKE 'dbsc%'" >"$W/names"
[ "$(sort -u "$W/names" | wc -l)" = 12 ] || fail "not 12 distinct triggers"
udf_seen=$(udf_lines)
sql_db odd "INSERT INTO $l1 VALUES (1, 1)"
sql_db odd "INSERT INTO $l2 VALUES (1, 1)"
sql_db odd "INSERT INTO \`b'c\"k\` VALUES ('a''b', 1, 2)"
sql_db odd "UPDATE \`b'c\"k\` SET \`ä\` = NULL, \`x\`\`y\` = 3"
sql_db odd "INSERT INTO plain VALUES (1, 1, 1, 1)"
sql_db odd "UPDATE plain SET noise = 2"
sql_db odd "UPDATE plain SET secret = 2"
sql_db odd "DELETE FROM plain"
expect_records <<EOF
dbsyscheck: op=insert table=odd.$l1 pk=id=1 changed=- src=trigger by=$by ;
dbsyscheck: op=insert table=odd.$l2 pk=id=1 changed=- src=trigger by=$by ;
dbsyscheck: op=insert table=odd.b%27c%22k pk=k%5C%27=a%27b changed=- src=trigger by=$by ;
dbsyscheck: op=update table=odd.b%27c%22k pk=k%5C%27=a%27b changed=%C3%A4,x%60y src=trigger by=$by ;
dbsyscheck: op=insert table=odd.plain pk=id=1 changed=- src=trigger by=$by ;
dbsyscheck: op=update table=odd.plain pk=id=1 changed=secret src=trigger by=$by ;
dbsyscheck: op=delete table=odd.plain pk=id=1 changed=- src=trigger by=$by ;
EOF
[ "$(sql_db odd "INSERT INTO plain VALUES (9, 0, 0, 0); SELECT @own")" = 9 ] ||
    fail "the site's own trigger did not run"

# Uninstall leaves the site's own trigger.
dbsc triggers --uninstall
expect_rc 0
sql <"$W/out"
[ "$(sql "SELECT GROUP_CONCAT(TRIGGER_NAME) FROM information_schema.TRIGGERS
    WHERE TRIGGER_SCHEMA = 'odd'")" = own_ai ] ||
    fail "uninstall did not leave exactly the site's trigger"
exit 0

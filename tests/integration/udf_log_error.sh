#!/bin/sh
# log_error() as the classic set-up calls it (lib_mysqludf_log's drop-in),
# created by its opt-in SQL file: triggers inserting into a dummy table or
# setting a variable, one line of printable ASCII per call in the error
# log whatever the value holds, the escape format, NULL, the empty string
# it returns, the 8192-byte cut; then the ISO-8601 timestamp, with
# log_error()'s lines in the error log and records in the trigger log.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/udf_lib.sh"

by=root@localhost
udf_start "acme.watched"
sql <"$top_srcdir/sql/udf_install_log_error.sql"

# le_new: the lines log_error wrote (all start with "Table: " or "LE:").
le_seen=0
le_new()
{
	_total=$(wc -l <"$W/err.log")
	tail -n +"$((le_seen + 1))" "$W/err.log" | head -n "$((_total - le_seen))" |
	    grep -E '^(Table: |LE:)' || true
	le_seen=$_total
}

# expect_lines <<EOF: exactly these log_error lines since the last look.
expect_lines()
{
	cat >"$W/le.expected"
	le_new >"$W/le.actual"
	if ! cmp -s "$W/le.expected" "$W/le.actual"; then
		echo "--- lines differ (- expected, + actual):" >&2
		diff -u "$W/le.expected" "$W/le.actual" | cut -c1-300 >&2 || true
		fail "unexpected log_error lines"
	fi
}

# The classic tables and triggers, with distinct names this time: the
# dummy-table variant for insert and delete, SET for update.
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (
	id INT PRIMARY KEY AUTO_INCREMENT,
	login CHAR(20) NOT NULL,
	password CHAR(20) NOT NULL)"
sql_db acme "CREATE TABLE dummy (fake CHAR(1) NOT NULL)"
sql_db acme "CREATE TABLE watched (id INT PRIMARY KEY)"
sql_db acme "CREATE TRIGGER users_insert AFTER INSERT ON users
	FOR EACH ROW INSERT INTO dummy VALUES(
	log_error(CONCAT('Table: acme.users: insert(',
	NEW.id, ',', NEW.login, ',', NEW.password, ') by ', USER())))"
sql_db acme "CREATE TRIGGER users_update AFTER UPDATE ON users
	FOR EACH ROW SET @rc = log_error(CONCAT('Table: acme.users: update(',
	NEW.id, ',', NEW.login, ',', NEW.password, ') by ', USER()))"
sql_db acme "CREATE TRIGGER users_delete AFTER DELETE ON users
	FOR EACH ROW INSERT INTO dummy VALUES(
	log_error(CONCAT('Table: acme.users: delete(',
	OLD.id, ',', OLD.login, ',', OLD.password, ') by ', USER())))"
sql "SELECT @@GLOBAL.sql_mode" | grep -q STRICT_TRANS_TABLES ||
    fail "the server is not in strict mode"
le_seen=$(wc -l <"$W/err.log")

# A newline in a value stays on the line, escaped.
sql_db acme "INSERT INTO users VALUES (7, 'xa\nvier', 'zZDDIZ0NOlPzw')"
sql_db acme "UPDATE users SET password = 'RjdqndSkxdjeX' WHERE id = 7"
sql_db acme "DELETE FROM users WHERE id = 7"
expect_lines <<EOF
Table: acme.users: insert(7,xa\\nvier,zZDDIZ0NOlPzw) by $by
Table: acme.users: update(7,xa\\nvier,RjdqndSkxdjeX) by $by
Table: acme.users: delete(7,xa\\nvier,RjdqndSkxdjeX) by $by
EOF
[ "$(sql_db acme "SELECT COUNT(*) FROM dummy WHERE fake = ''")" = 2 ] ||
    fail "the dummy table did not get two empty strings"

# The escapes: \\ \t \r \n, \xHH for other controls, DEL and bytes from
# 0x80 up (UTF-8 and not): the line is printable ASCII.
sql "SELECT log_error(CONCAT('LE:a', X'5C', 'b', X'09', 'c', X'0D', 'd',
	X'0A', 'e', X'00', 'f', X'01', 'g', X'1F', 'h', X'7F', 'i', X'C3A4',
	X'FF', ' ~'))" >/dev/null
printf 'LE:a\\\\b\\tc\\rd\\ne\\x00f\\x01g\\x1fh\\x7fi\\xc3\\xa4\\xff ~\n' \
    >"$W/le.want"
le_new >"$W/le.got"
cmp -s "$W/le.want" "$W/le.got" || {
	od -c "$W/le.want" >&2
	od -c "$W/le.got" >&2
	fail "escapes differ"
}

# NULL writes NULL; the result is an empty string, never NULL.
[ "$(sql "SELECT log_error(NULL) IS NULL, LENGTH(log_error('LE:x'))")" = \
    "$(printf '0\t0')" ] || fail "log_error does not return ''"
sql "SELECT log_error(CONCAT('LE:', NULL))" >/dev/null
sql "SELECT log_error('')" >/dev/null
expect_lines <<EOF
LE:x
EOF
grep -q '^NULL$' "$W/err.log" || fail "log_error(NULL) did not write NULL"

# The cut: 8192 bytes of escaped text, then " [truncated]"; never inside
# an escape; exactly 8192 bytes are not cut.
sql "SELECT log_error(CONCAT('LE:', REPEAT('a', 9000)))" >/dev/null
sql "SELECT log_error(CONCAT('LE:', REPEAT('b', 8188), X'0A'))" >/dev/null
sql "SELECT log_error(CONCAT('LE:', REPEAT('c', 8187), X'0A'))" >/dev/null
a=$(head -c 8189 /dev/zero | tr '\0' a)
b=$(head -c 8188 /dev/zero | tr '\0' b)
c=$(head -c 8187 /dev/zero | tr '\0' c)
expect_lines <<EOF
LE:$a [truncated]
LE:$b [truncated]
LE:$c\\n
EOF
# Wrong argument counts are refused by _init.
_sql_run -e "SELECT log_error('a', 'b')" 2>/dev/null && fail "two arguments accepted"

# The ISO-8601 timestamp, for both functions: log_error()'s line goes to
# the error log, never to the trigger log; the record only to the trigger
# log.
sql_db acme "DROP TRIGGER users_insert"
sql_db acme "DROP TRIGGER users_update"
sql_db acme "DROP TRIGGER users_delete"
udf_triggers
DBSYSCHECK_UDF_TIMESTAMP=1
export DBSYSCHECK_UDF_TIMESTAMP
db_restart
udf_seen=$(udf_lines)
sql "SELECT log_error('LE:to the error log')" >/dev/null
sql_db acme "INSERT INTO watched VALUES (1)"
ts='[0-9]\{4\}-[0-9]\{2\}-[0-9]\{2\}T[0-9]\{2\}:[0-9]\{2\}:[0-9]\{2\}Z'
udf_new >"$W/udf.new"
sed "s/^$ts //" "$W/udf.new" >"$W/udf.stripped"
cat >"$W/udf.want" <<EOF
dbsyscheck: op=insert table=acme.watched pk=id=1 changed=- src=trigger by=$by ;
EOF
cmp -s "$W/udf.want" "$W/udf.stripped" || {
	cat "$W/udf.new" >&2
	fail "unexpected lines in the trigger log"
}
[ "$(grep -c "^$ts " "$W/udf.new")" = 1 ] ||
    fail "the record lacks the ISO-8601 timestamp"
grep -q "^$ts LE:to the error log\$" "$W/err.log" ||
    fail "log_error()'s line is not in the error log with a timestamp"
grep -q 'LE:' "$DBSYSCHECK_UDF_LOG" && fail "log_error() wrote to the trigger log"
grep -q 'op=insert' "$W/err.log" && fail "a record went to the error log"
exit 0

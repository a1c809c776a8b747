#!/bin/sh
# dbsyscheck follow, row records: the classic insert, update and delete of
# id 7 (op=start on the first run, op=commit after each transaction with
# its rows, GTID, connection, time and position); multi-row statements; a
# committed transaction (its records and one op=commit), a rolled-back one
# (nothing); a key change (delete of the old key, insert of the new);
# hostile values and names, whose pk= is the text a scan prints for the
# same row; masked and ignored columns (docs/FORMAT.md, docs/BINLOG.md).
# The follower runs under exactly the grants of sql/grant.sql.
. "$(dirname "$0")/setup"

masked='MASKED-binlog-3f8a1c-never-shown'

# sqlc "STATEMENTS": run STATEMENTS as root in one session; that session's
# connection id in $conn.
sqlc()
{
	conn=$(_sql_run -e "$1; SELECT CONNECTION_ID()" | tail -n 1) ||
	    fail "SQL failed: $1"
}

# expect_commit ROWS: the last op=commit record printed is exactly that of
# the last transaction: ROWS rows, the server's GTID and end of log now,
# conn=- (MariaDB starts a row transaction with a GTID event, which holds
# no connection id, not with a BEGIN query event: the log has none to
# give), a time within five minutes of now.
expect_commit()
{
	_ec_line=$(grep '^dbsyscheck: op=commit ' "$W/out" | tail -n 1)
	_ec_time=$(printf '%s\n' "$_ec_line" |
	    sed -n 's/.* time=\([^ ]*\) .*/\1/p')
	_ec_want="dbsyscheck: op=commit rows=$1 gtid=$(gtid_pos) conn=-"
	_ec_want="$_ec_want time=$_ec_time pos=$(master_pos) src=binlog by=- ;"
	[ "$_ec_line" = "$_ec_want" ] ||
	    fail "op=commit is '$_ec_line', expected '$_ec_want'"
	_ec_s=$(date -u -d "$(printf '%s' "$_ec_time" | tr T ' ' |
	    tr -d Z)" +%s) || fail "time=$_ec_time is not a time"
	_ec_d=$(($(date +%s) - _ec_s))
	[ "$_ec_d" -ge -5 ] && [ "$_ec_d" -le 300 ] ||
	    fail "time=$_ec_time is not the commit's time (${_ec_d}s ago)"
}

# Each record is one line of printable ASCII.
expect_ascii_lines()
{
	if LC_ALL=C grep -q '[^ -~]' "$W/out"; then
		od -c "$W/out" >&2
		fail "output has bytes outside printable ASCII"
	fi
}

db_start_binlog
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (
	id INT PRIMARY KEY AUTO_INCREMENT,
	login VARCHAR(20) NOT NULL,
	password VARCHAR(60) NOT NULL,
	lastseen DATETIME NULL)"
sql_db acme "CREATE TABLE other (id INT PRIMARY KEY, v VARCHAR(20))"
sql_db acme "INSERT INTO users VALUES
	(1, 'alice', '\$2y\$10\$alicealicealicealicealiceOu', NULL),
	(2, 'bob', '\$2y\$10\$bobbobbobbobbobbobbobbobbOu', NULL)"
follow_account acme.users
follow_conf "acme.users"

# --- (a) The classic trio.

# The first run starts at the current end of the log: what was written
# before it is not reported.
follow_first
dbsc follow
expect_rc 0
expect_empty

sqlc "INSERT INTO acme.users VALUES (7, 'xavier', 'x1', NULL)"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=acme.users pk=id=7 changed=- src=binlog by=- ;
$(commit_rec 1)
EOF
expect_commit 1

sqlc "UPDATE acme.users SET password='x2' WHERE id=7"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=acme.users pk=id=7 changed=password src=binlog by=- ;
$(commit_rec 1)
EOF
expect_commit 1

sqlc "DELETE FROM acme.users WHERE id=7"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 0 1)
dbsyscheck: op=delete table=acme.users pk=id=7 changed=- src=binlog by=- ;
$(commit_rec 1)
EOF
expect_commit 1

# Nothing new: nothing printed, exit 0.
dbsc follow
expect_rc 0
expect_empty

# Each step of a row born and gone, not the net effect.
sqlc "INSERT INTO acme.users VALUES (8, 'yvonne', 'y1', NULL);
	UPDATE acme.users SET password='y2' WHERE id=8;
	DELETE FROM acme.users WHERE id=8"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 1 1 1)
dbsyscheck: op=insert table=acme.users pk=id=8 changed=- src=binlog by=- ;
$(commit_rec 1)
dbsyscheck: op=update table=acme.users pk=id=8 changed=password src=binlog by=- ;
$(commit_rec 1)
dbsyscheck: op=delete table=acme.users pk=id=8 changed=- src=binlog by=- ;
$(commit_rec 1)
EOF
expect_commit 1

# --- (b) Multi-row statements and transactions.

sqlc "INSERT INTO acme.users VALUES (10, 'u10', 'p', NULL),
	(12, 'u12', 'p', NULL), (11, 'u11', 'p', NULL)"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 3 0 0)
dbsyscheck: op=insert table=acme.users pk=id=10 changed=- src=binlog by=- ;
dbsyscheck: op=insert table=acme.users pk=id=12 changed=- src=binlog by=- ;
dbsyscheck: op=insert table=acme.users pk=id=11 changed=- src=binlog by=- ;
$(commit_rec 3)
EOF
expect_commit 3

sqlc "UPDATE acme.users SET login=CONCAT(login, 'x'), password='q'
	WHERE id >= 10 ORDER BY id"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 3 0)
dbsyscheck: op=update table=acme.users pk=id=10 changed=login,password src=binlog by=- ;
dbsyscheck: op=update table=acme.users pk=id=11 changed=login,password src=binlog by=- ;
dbsyscheck: op=update table=acme.users pk=id=12 changed=login,password src=binlog by=- ;
$(commit_rec 3)
EOF
expect_commit 3

# One transaction over several statements and an unwatched table: its
# records in log order, then one op=commit counting the watched rows.
sqlc "START TRANSACTION;
	INSERT INTO acme.users VALUES (20, 'u20', 'p', NULL);
	INSERT INTO acme.other VALUES (1, 'o1');
	UPDATE acme.users SET password='r' WHERE id=10;
	DELETE FROM acme.users WHERE id IN (11, 12);
	UPDATE acme.other SET v='o2' WHERE id=1;
	COMMIT"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 1 1 2)
dbsyscheck: op=insert table=acme.users pk=id=20 changed=- src=binlog by=- ;
dbsyscheck: op=update table=acme.users pk=id=10 changed=password src=binlog by=- ;
dbsyscheck: op=delete table=acme.users pk=id=11 changed=- src=binlog by=- ;
dbsyscheck: op=delete table=acme.users pk=id=12 changed=- src=binlog by=- ;
$(commit_rec 4)
EOF
expect_commit 4

# A rolled-back transaction and one on unwatched tables only: nothing.
sqlc "START TRANSACTION;
	INSERT INTO acme.users VALUES (30, 'u30', 'p', NULL);
	UPDATE acme.users SET password='s' WHERE id=10;
	DELETE FROM acme.users WHERE id=20;
	ROLLBACK"
sqlc "INSERT INTO acme.other VALUES (2, 'o')"
dbsc follow
expect_rc 0
expect_empty

# An update that changes no byte writes no row event: nothing.
sqlc "UPDATE acme.users SET password=password WHERE id=10"
dbsc follow
expect_rc 0
expect_empty

# --- (c) A key change: the delete of the old key, the insert of the new.
sqlc "UPDATE acme.users SET id=70, password='k' WHERE id=20"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 1 0 1)
dbsyscheck: op=delete table=acme.users pk=id=20 changed=- src=binlog by=- ;
dbsyscheck: op=insert table=acme.users pk=id=70 changed=- src=binlog by=- ;
$(commit_rec 2)
EOF
expect_commit 2

# --- (e) Masked and ignored columns.
follow_conf "acme.users mask=password ignore=lastseen"
dbsc follow
expect_rc 0
expect_empty

# Only the ignored column: no record at all.
sqlc "UPDATE acme.users SET lastseen='2026-12-07 10:00:00' WHERE id=1"
dbsc follow
expect_rc 0
expect_empty

# The masked column is named, its value goes nowhere.
sqlc "UPDATE acme.users SET password='$masked-1',
	lastseen='2026-12-07 11:00:00' WHERE id=1"
sqlc "INSERT INTO acme.users VALUES (40, 'u40', '$masked-2', NULL)"
dbsc --log "$W/follow.log" follow
expect_rc 1
expect_norm <<EOF
$(summary 1 1 0)
dbsyscheck: op=update table=acme.users pk=id=1 changed=password src=binlog by=- ;
$(commit_rec 1)
dbsyscheck: op=insert table=acme.users pk=id=40 changed=- src=binlog by=- ;
$(commit_rec 1)
EOF
mhex=$(printf '%s' "$masked" | od -An -tx1 | tr -d ' \n')
for f in "$W/out" "$W/errout" "$W/follow.log" "$W"/baseline.db*; do
	[ -f "$f" ] || continue
	! grep -a -q -F "$masked" "$f" || fail "the masked value is in $f"
	! grep -a -q -i -F "$mhex" "$f" ||
	    fail "the masked value is in $f, in hex"
done
grep -q 'op=update table=acme.users pk=id=1 changed=password src=binlog' \
    "$W/follow.log" || fail "the log file lacks the update record"

# --- (d) Hostile values and names: the same pk= text as a scan's.
sql "CREATE DATABASE \`ho stile\`"
tq='t=,%``x y;'			# the table's name, `` a backquote
kc=$(printf 'k\n=,%%``c')	# the key column's name, with a newline
sql_db "ho stile" "CREATE TABLE \`$tq\` (
	\`$kc\` VARBINARY(300) PRIMARY KEY,
	\`b v\` BLOB)"
sql_db "ho stile" "CREATE TABLE types (
	u BIGINT UNSIGNED, d DECIMAL(30,6), dt DATETIME(6), c CHAR(5),
	e ENUM('a','b c'), x INT,
	f DOUBLE, ts TIMESTAMP(3) NULL, j JSON, bits BIT(10), s SET('p','q'),
	PRIMARY KEY (u, d, dt, c, e))"
follow_account "\`ho stile\`.\`$tq\`" "\`ho stile\`.types"
follow_conf "\`ho stile\`.\`$tq\`" "\`ho stile\`.types"
dbsc scan
expect_rc 1
# The follower was behind the CREATE TABLE of both, now watched.
tenc=$(printf '%s' 'ho stile' | pct ident).$(printf '%s' 't=,%`x y;' | pct ident)
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 0 0)
$(ddl_rec "$tenc" create)
$(ddl_rec "ho%20stile.types" create)
EOF

fake='dbsyscheck: op=delete table=acme.users pk=id=1 changed=- src=binlog by=- ;'
# Every single byte as a key, all 256 in one key, a fake record, empty.
{
	echo "INSERT INTO \`$tq\` SELECT UNHEX(LPAD(HEX(seq), 2, '0')), 'v'
	    FROM seq_0_to_255;"
	echo "INSERT INTO \`$tq\` VALUES
	    ((SELECT GROUP_CONCAT(UNHEX(LPAD(HEX(seq), 2, '0')) ORDER BY seq
		SEPARATOR '') FROM seq_0_to_255), X'00'),
	    (CONCAT('a', X'00', 'b', X'0A', 'c', X'0D0A', '$fake'), 'w'),
	    ('', NULL);"
	# The earliest TIMESTAMP in UTC, whatever the server's zone.
	echo "SET time_zone = '+00:00';"
	echo "INSERT INTO types VALUES
	    (18446744073709551615, -123456789012345678901234.123456,
		'2026-12-07 15:04:05.000001', 'a b', 'b c', 1, -0.5,
		'2026-12-07 15:04:05.123', '{\"a\": [1, 2]}', b'1010101010',
		'p,q'),
	    (0, 0, '1000-01-01 00:00:00', '', 'a', 2, 1e300, NULL, NULL,
		b'0', ''),
	    (1, -0.000001, '9999-12-31 23:59:59.999999', 'é%=,', 'a', 3, 0,
		'1970-01-01 00:00:01', 'null', b'1111111111', 'q');"
} | sql_db "ho stile"

# compare_scan: the row records of the last follow ($W/follow.out) are, as
# a set, those a scan prints now (src= aside). Each round changes a row
# once at most: the follower reports each step, the scan the net effect.
compare_scan()
{
	grep -v '^dbsyscheck: op=\(summary\|commit\) ' "$W/follow.out" |
	    sed 's/ src=binlog by=- ;$/ by=- ;/' | sort >"$W/f.rows"
	dbsc --max-bytes 0 scan
	[ "$rc" = 1 ] || fail "the scan found no change"
	grep -v '^dbsyscheck: op=summary ' "$W/out" |
	    sed 's/ src=scan by=- ;$/ by=- ;/' | sort >"$W/s.rows"
	if ! cmp -s "$W/s.rows" "$W/f.rows"; then
		diff -u "$W/s.rows" "$W/f.rows" | head -n 40 >&2
		fail "follow and scan records differ (- scan, + follow)"
	fi
}

dbsc --max-bytes 0 follow
expect_rc 1
expect_ascii_lines
cp "$W/out" "$W/follow.out"
[ "$(grep -c '^dbsyscheck: op=insert ' "$W/follow.out")" = 262 ] ||
    fail "not 262 insert records"
compare_scan

{
	echo "UPDATE \`$tq\` SET \`b v\` = CONCAT(X'000A0D00', '$fake', X'0A')
	    WHERE \`$kc\` LIKE 'a%' OR \`$kc\` = X'FF' OR \`$kc\` = '';"
	echo "UPDATE types SET x = x + 10, f = f / 3, j = '[]', bits = b'1',
	    s = 'q', ts = '2030-01-01 00:00:00' WHERE u = 0;"
	echo "UPDATE types SET x = 4, ts = NULL WHERE u = 1;"
	echo "UPDATE types SET ts = NULL WHERE u = 18446744073709551615;"
} | sql_db "ho stile"
dbsc --max-bytes 0 follow
expect_rc 1
expect_ascii_lines
cp "$W/out" "$W/follow.out"
compare_scan

# Key changes and deletes of hostile keys.
{
	echo "UPDATE \`$tq\` SET \`$kc\` = CONCAT(\`$kc\`, X'00')
	    WHERE \`$kc\` IN (X'00', X'25', X'3D', X'60');"
	echo "DELETE FROM \`$tq\` WHERE \`$kc\` LIKE 'a%' OR \`$kc\` = X'0A';"
	echo "UPDATE types SET d = -d, c = 'z' WHERE u = 18446744073709551615;"
	echo "DELETE FROM types WHERE u = 1;"
} | sql_db "ho stile"
dbsc --max-bytes 0 follow
expect_rc 1
expect_ascii_lines
cp "$W/out" "$W/follow.out"
compare_scan

# The JSON form of the follower's records.
sql_db "ho stile" "UPDATE types SET x = 99 WHERE u = 0"
dbsc --format json --max-bytes 0 follow
expect_rc 1
grep -q '^{.*"op":"update","table":"ho%20stile.types","pk":"u=0,.*"changed":"x","src":"binlog","by":"-"}$' \
    "$W/out" || fail "no JSON update record"
grep -q '^{.*"op":"commit","rows":"1","gtid":"0-1-[0-9]*","conn":"-","time":"[0-9T:Z-]*","pos":"binlog.[0-9]*:[0-9]*","src":"binlog","by":"-"}$' \
    "$W/out" || fail "no JSON op=commit record"

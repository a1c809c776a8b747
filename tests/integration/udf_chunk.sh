#!/bin/sh
# dbsyscheck_chunk(), chunk mode's aggregate in the UDF library, gives the
# very value of the SQL expression it replaces on a table of hostile values
# and types (NULL and empty, '#', NUL bytes, multi-byte and UTF-16 text,
# decimals, times, doubles, BIT, ENUM, large unsigned); with it installed,
# chunk mode finds no change where there is none (no chunk is fetched) and
# reports the same records as full mode after random changes; bad calls
# fail with a message; with it dropped, chunk mode goes back to SQL.
. "$(dirname "$0")/setup"
. "$top_srcdir/tests/integration/udf_lib.sh"

R='src=scan by=- ;'

udf_start
sql "CREATE DATABASE uc"
sql_db uc "CREATE TABLE t (
	id INT PRIMARY KEY,
	a VARCHAR(20) CHARACTER SET utf8mb4,
	b VARBINARY(20),
	c TEXT CHARACTER SET utf8mb4,
	d DECIMAL(10,3),
	e DATETIME(3),
	f DOUBLE,
	g BIT(5),
	h ENUM('x', 'y#') CHARACTER SET utf8mb4,
	i CHAR(5) CHARACTER SET latin1,
	j BIGINT UNSIGNED,
	k DATE,
	l VARCHAR(10) CHARACTER SET utf16)"
sql_db uc "INSERT INTO t VALUES
	(1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	(2, '', '', '', 0, '2026-11-26 12:00:00.5', 0.1, b'0', 'x', '', 0,
	    '2026-01-01', ''),
	(3, 'a#b', X'00230023', '#', -1.5, '1970-01-01 00:00:01', -1e-300,
	    b'11111', 'y#', 'ab#', 18446744073709551615, '9999-12-31', 'é#'),
	(4, 'élan', X'FF', REPEAT('x', 3000), 1234567.891, NULL, 1e300, b'1',
	    NULL, 'é', 1, NULL, '漢字'),
	(5, '#', X'23', 'a', 0.001, '2000-02-29 23:59:59.999', 3.14159,
	    NULL, 'x', '#', 9223372036854775808, '2000-02-29', '#')"
sql_db uc "CREATE TABLE big (id INT PRIMARY KEY, v VARCHAR(30), w INT)"
sql_db uc "INSERT INTO big SELECT seq, CONCAT('v', seq), seq % 7
    FROM seq_1_to_2000"

# The SQL of source_chunk for uc.t (mixed character sets: each character
# column as its bytes), and the UDF's call.
cols='`id`, `a`, `b`, `c`, `d`, `e`, `f`, `g`, `h`, `i`, `j`, `k`, `l`'
nulls='ISNULL(`id`), ISNULL(`a`), ISNULL(`b`), ISNULL(`c`), ISNULL(`d`),
    ISNULL(`e`), ISNULL(`f`), ISNULL(`g`), ISNULL(`h`), ISNULL(`i`),
    ISNULL(`j`), ISNULL(`k`), ISNULL(`l`)'
lens='LENGTH(`a`), LENGTH(`b`), LENGTH(`c`), LENGTH(`g`), LENGTH(`h`),
    LENGTH(`i`), LENGTH(`l`)'
vals='`id`, CAST(`a` AS BINARY), `b`, CAST(`c` AS BINARY), `d`, `e`, `f`,
    `g`, CAST(`h` AS BINARY), CAST(`i` AS BINARY), `j`, `k`,
    CAST(`l` AS BINARY)'
flags=0111000111001
sql_agg()
{
	sql_db uc "SELECT BIT_XOR(CAST(CONV(LEFT(SHA2(CONCAT_WS('#',
	    CONCAT($nulls), $lens, $vals), 256), 16), 16, 10) AS UNSIGNED))
	    FROM t $1"
}
udf_agg()
{
	sql_db uc "SELECT CAST(dbsyscheck_chunk('$flags', $cols) AS UNSIGNED)
	    FROM t $1"
}

echo "=== case same_value"
for w in "" "WHERE id = 1" "WHERE id = 2" "WHERE id = 3" "WHERE id = 4" \
    "WHERE id = 5" "WHERE id > 1" "WHERE id > 9"; do
	s=$(sql_agg "$w")
	u=$(udf_agg "$w")
	echo "  $w: SQL $s, UDF $u"
	[ "$s" = "$u" ] || fail "$w: SQL gives $s, dbsyscheck_chunk $u"
done
[ "$(udf_agg "WHERE id > 9")" = 0 ] || fail "no row does not give 0"
echo "=== case same_value: PASS"

echo "=== case bad_calls"
for call in "dbsyscheck_chunk('0')" "dbsyscheck_chunk('01', id)" \
    "dbsyscheck_chunk('2', id)" "dbsyscheck_chunk(id, id)"; do
	if out=$(sql_db uc "SELECT $call FROM t" 2>&1); then
		fail "$call did not fail: $out"
	fi
	case $out in
	*dbsyscheck_chunk*)	;;
	*)	fail "$call: $out" ;;
	esac
done
echo "=== case bad_calls: PASS"

# Chunk mode with the function: a re-scan with no change fetches no row
# (few bytes sent); after changes, the same records as full mode.
bytes_sent()
{
	sql "SHOW GLOBAL STATUS LIKE 'Bytes_sent'" | awk '{ print $2 }'
}
conf_both()
{
	dbsc_conf "uc.t chunk=2" "uc.big chunk=100"
	echo "trigger-token $W/trigger.token" >>"$W/dbsyscheck.conf"
	# Its own key: a key without its baseline means a removed baseline.
	sed -e "s|^baseline .*|baseline $W/full.db|" \
	    -e "s|^key .*|key $W/full.key|" \
	    -e 's/ chunk=[0-9]*//' "$W/dbsyscheck.conf" >"$W/full.conf"
	chmod 0600 "$W/full.conf"
}
full_scan()
{
	rc=0
	"$top_builddir/dbsyscheck" -c "$W/full.conf" scan >"$W/full.out" \
	    2>"$W/full.err" </dev/null || rc=$?
	[ "$rc" -le 1 ] || fail "full mode: $(cat "$W/full.err")"
}

echo "=== case chunk_mode"
conf_both
dbsc scan
expect_rc 1
full_scan
b0=$(bytes_sent)
sql "SET GLOBAL general_log_file = '$W/general.log', general_log = 1"
dbsc scan
expect_rc 0
expect_empty
sql "SET GLOBAL general_log = 0"
b1=$(bytes_sent)
echo "  bytes sent for a chunk re-scan: $((b1 - b0))"
[ $((b1 - b0)) -lt 15000 ] ||
    fail "a chunk re-scan without change read $((b1 - b0)) bytes"
# Every range through the function: 3 of uc.t, 20 of uc.big.
n=$(grep -c "dbsyscheck_chunk('" "$W/general.log")
[ "$n" -ge 23 ] || fail "$n chunk queries used dbsyscheck_chunk()"
! grep -q "BIT_XOR" "$W/general.log" || fail "a chunk query used SQL"
i=0
while [ "$i" -lt 4 ]; do
	sql_db uc "UPDATE big SET v = CONCAT(v, '#') WHERE id % 97 = $i"
	sql_db uc "DELETE FROM big WHERE id % 211 = $((i + 3))"
	sql_db uc "INSERT INTO big VALUES ($((3000 + i)), NULL, 0)"
	sql_db uc "UPDATE big SET id = id + 5000 WHERE id = $((100 + i))"
	sql_db uc "UPDATE t SET a = IF(a IS NULL, '', NULL) WHERE id = $((i + 1))"
	dbsc scan
	full_scan
	grep -v '^dbsyscheck: op=summary' "$W/out" >"$W/chunk.recs"
	grep -v '^dbsyscheck: op=summary' "$W/full.out" >"$W/full.recs"
	[ -s "$W/chunk.recs" ] || fail "round $i: no record"
	cmp -s "$W/chunk.recs" "$W/full.recs" || {
		diff -u "$W/full.recs" "$W/chunk.recs" >&2
		fail "round $i: chunk mode and full mode differ"
	}
	i=$((i + 1))
done
echo "=== case chunk_mode: PASS"

echo "=== case dropped"
sql "DROP FUNCTION dbsyscheck_chunk"
dbsc scan
expect_rc 0
expect_empty
sql_db uc "UPDATE t SET d = 2 WHERE id = 2"
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=uc.t pk=id=2 changed=d $R
EOF
echo "=== case dropped: PASS"

#!/bin/sh
# Chunk mode reports exactly the records of full mode. Two configurations
# with separate baselines watch the same two tables, an INT key and a
# composite (INT, VARBINARY) key, one in full mode and one with chunk=50.
# After every seeded random batch of inserts, updates, deletes, key changes
# and NULL changes both scan, and their outputs must be byte for byte the
# same, in the same order (records come out in key order in both modes).
# Then the cases that random batches may miss: changes across chunk
# boundaries, a chunk emptied, a chunk grown past twice the chunk size (it
# splits, and the next re-scan fetches nothing), and tampered chunks in the
# baseline, which must neither hide a change nor invent one.
. "$(dirname "$0")/setup"

command -v sqlite3 >/dev/null 2>&1 ||
    fail "the sqlite3 command is missing (scripts/deps.sh)"
seed_init
rounds=${DBSC_ROUNDS:-25}
chunk=50

db_start
sql "CREATE DATABASE cd"
sql_db cd "CREATE TABLE t1 (
	id INT NOT NULL PRIMARY KEY,
	a VARCHAR(20) NULL,
	b INT NULL,
	c VARBINARY(16) NULL)"
sql_db cd "CREATE TABLE t2 (
	k1 INT NOT NULL,
	k2 VARBINARY(8) NOT NULL,
	v VARCHAR(20) NULL,
	w INT NULL,
	PRIMARY KEY (k1, k2))"
# 3000 rows each; t1's keys 10 apart leave room for inserts in every chunk.
sql_db cd "INSERT INTO t1 SELECT seq * 10,
	IF(seq % 7 = 0, NULL, CONCAT('a', seq % 97)),
	IF(seq % 11 = 0, NULL, seq),
	IF(seq % 13 = 0, NULL, UNHEX(LEFT(MD5(seq), 2 * (seq % 9))))
	FROM seq_1_to_3000"
sql_db cd "INSERT INTO t2 SELECT k.seq,
	CASE j.seq WHEN 1 THEN X'00' WHEN 2 THEN 'a' ELSE X'FF' END,
	IF((k.seq + j.seq) % 5 = 0, NULL, CONCAT('v', k.seq)),
	IF((k.seq + j.seq) % 6 = 0, NULL, k.seq * j.seq)
	FROM seq_1_to_1000 k, seq_1_to_3 j"

(umask 077 && cat >"$W/my.cnf") <<EOF
[client]
socket=$W/sock
user=root
EOF
# full and chunk: the two modes; scratch: chunk mode on a copy of chunk's
# baseline, to forge chunk aggregates from.
for m in full chunk scratch; do
	{
		echo "baseline $W/$m.db"
		echo "key $W/$m.key"
		echo "mysql-defaults-file $W/my.cnf"
		echo "mysql-group client"
		if [ "$m" = full ]; then
			echo "table cd.t1"
			echo "table cd.t2"
		else
			echo "table cd.t1 chunk=$chunk"
			echo "table cd.t2 chunk=$chunk"
		fi
	} | (umask 077 && cat >"$W/$m.conf")
done

# scan MODE: one scan; stdout in $W/out.MODE, exit status in $rc.
scan()
{
	rc=0
	timeout -k 5 "$DBSC_TIMEOUT" "$top_builddir/dbsyscheck" \
	    -c "$W/$1.conf" --max-bytes 0 scan >"$W/out.$1" \
	    2>"$W/err.$1" </dev/null || rc=$?
	if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
		cat "$W/out.$1" "$W/err.$1" >&2
		fail "$1 mode: dbsyscheck exited $rc (seed $DBSC_SEED)"
	fi
	! grep -q 'op=error' "$W/out.$1" ||
	    fail "$1 mode reported an error: $(grep 'op=error' "$W/out.$1")"
}

# compare WHAT: both modes scan and print exactly the same.
compare()
{
	scan full
	rc_full=$rc
	scan chunk
	if ! cmp -s "$W/out.full" "$W/out.chunk"; then
		echo "--- full mode (-) and chunk mode (+):" >&2
		diff -u "$W/out.full" "$W/out.chunk" | head -n 40 >&2 || true
		fail "$1: chunk mode reported other records (seed $DBSC_SEED)"
	fi
	[ "$rc" = "$rc_full" ] ||
	    fail "$1: exit $rc in chunk mode, $rc_full in full mode"
	if [ -s "$W/out.full" ]; then
		echo "$1: $(sed -n 's/^dbsyscheck: op=summary //p' \
		    "$W/out.full" | sed 's/ errors=.*//')"
	else
		echo "$1: nothing reported"
	fi
}

# expect_records WHAT: the last compare reported at least one row record.
expect_records()
{
	grep -q 'op=\(insert\|update\|delete\) ' "$W/out.full" ||
	    fail "$1: no row record; the case tested nothing"
}

# expect_no_fetch WHAT: a chunk mode re-scan of unchanged tables asks only
# for chunk aggregates, never for rows: every stored aggregate, the ones
# the client computed included, matches the server's.
expect_no_fetch()
{
	sql "SET GLOBAL general_log_file = '$W/general.log', general_log = 1"
	scan chunk
	sql "SET GLOBAL general_log = 0"
	[ ! -s "$W/out.chunk" ] || fail "$1: records reported"
	if grep 'Query.*FROM `cd`.*ORDER BY' "$W/general.log" >&2; then
		fail "$1: chunk mode fetched rows although nothing changed"
	fi
	echo "$1: chunk mode asked for $(grep -c 'Query.*SHA2' \
	    "$W/general.log") chunk aggregates and fetched no row"
	rm -f "$W/general.log"
}

# tid NAME: the table's id in the chunk mode baseline.
tid()
{
	sqlite3 -readonly -batch "$W/chunk.db" \
	    "SELECT tid FROM tables WHERE name = CAST('$1' AS BLOB)"
}

# nchunks NAME: the number of chunks stored for the table.
nchunks()
{
	sqlite3 -readonly -batch "$W/chunk.db" \
	    "SELECT count(*) FROM chunks WHERE tid = $(tid "$1")"
}

# An encoded INT key (8 bytes big-endian, sign bit flipped, as hex) as a
# decimal number.
int_of()
{
	case $1 in
	[89ABCDEF]*)
		_d=$(printf '%X' $((0x$(printf '%s' "$1" | cut -c1) - 8)))
		printf '%d' "0x$_d$(printf '%s' "$1" | cut -c2-)"
		;;
	*)
		echo $(($(printf '%d' "0x$1") - 9223372036854775807 - 1))
		;;
	esac
}

# bounds NAME: the stored chunks, one line each: n, the upper bound as SQL
# (an id, or "k1 X'k2'" for t2; "-" for the open-ended last chunk) and the
# stored row count.
bounds()
{
	sqlite3 -readonly -batch -separator ' ' "$W/chunk.db" \
	    "SELECT n, ifnull(hex(hi), '-'), nrows FROM chunks
	    WHERE tid = $(tid "$1") ORDER BY n" |
	while read -r _n _h _c; do
		if [ "$_h" = - ]; then
			echo "$_n - $_c"
			continue
		fi
		_k1=$(int_of "$(printf '%s' "$_h" | cut -c1-16)")
		if [ "$1" = t1 ]; then
			echo "$_n $_k1 $_c"
			continue
		fi
		# The VARBINARY part: 00 escaped as 00 FF, ended by 00 01.
		_k2=$(printf '%s' "$_h" | cut -c17- | sed 's/../& /g' | awk '{
			out = ""
			for (i = 1; i <= NF; i++) {
				if ($i != "00") { out = out $i; continue }
				if ($(i + 1) == "01") break
				out = out "00"
				i++
			}
			print out
		}')
		echo "$_n $_k1 X'$_k2' $_c"
	done
}

# bound NAME N: field 2 (and 3 for t2) of chunk N's line of bounds.
bound()
{
	bounds "$1" | awk -v n="$2" '$1 == n { $1 = ""; $NF = ""; print }' |
	    sed 's/^ //; s/ $//'
}

# A value for a column, often NULL or empty, sometimes holding '#'.
rand_text()
{
	rand 12
	case $r in
	0|1)	v=NULL ;;
	2)	v="''" ;;
	3)	v="'#'" ;;
	4)	v="'a#b'" ;;
	5)	v="'#1'" ;;
	6)	v="'NULL'" ;;
	7)	v="'é'" ;;
	8)	v="'it''s'" ;;
	*)	rand 1000; v="'t$r'" ;;
	esac
}
rand_bin()
{
	rand 8
	case $r in
	0|1)	v=NULL ;;
	2)	v="X''" ;;
	3)	v="X'00'" ;;
	4)	v="X'23'" ;;
	5)	v="X'FF00'" ;;
	*)	rand 65536; v="X'$(printf '%04X' "$r")'" ;;
	esac
}
rand_int()
{
	rand 6
	case $r in
	0|1)	v=NULL ;;
	2)	v=0 ;;
	3)	v=-1 ;;
	*)	rand 100000; v=$r ;;
	esac
}
rand_k2()
{
	rand 8
	case $r in
	0)	v="X''" ;;
	1)	v="X'00'" ;;
	2)	v="'a'" ;;
	3)	v="X'6100'" ;;
	4)	v="'b'" ;;
	5)	v="X'FF'" ;;
	6)	v="'zz'" ;;
	*)	v="X'0001'" ;;
	esac
}

# One random statement on t1 or t2.
rand_stmt()
{
	rand 2
	if [ "$r" = 0 ]; then
		rand 31000; _x=$r
		rand 40; _w=$r
		rand 9
		case $r in
		0|1)	rand_text; _a=$v; rand_int; _b=$v; rand_bin
			echo "INSERT IGNORE INTO t1 VALUES ($_x, $_a, $_b, $v);" ;;
		2)	rand 8
			echo "INSERT IGNORE INTO t1 SELECT $_x + seq, 'run', seq,
			    NULL FROM seq_1_to_$((r + 2));" ;;
		3)	rand_text
			echo "UPDATE t1 SET a = $v WHERE id BETWEEN $_x AND \
$((_x + _w));" ;;
		4)	rand_int; _b=$v; rand_bin
			echo "UPDATE t1 SET b = $_b, c = $v WHERE id BETWEEN $_x \
AND $((_x + _w));" ;;
		5)	echo "UPDATE t1 SET a = IF(a IS NULL, '', NULL),
			    c = IF(c IS NULL, X'', NULL) WHERE id BETWEEN $_x AND \
$((_x + _w));" ;;
		6)	echo "DELETE FROM t1 WHERE id BETWEEN $_x AND \
$((_x + _w));" ;;
		*)	rand 30000; _d=$((r - 15000))
			[ "$_d" != 0 ] || _d=7
			echo "UPDATE IGNORE t1 SET id = id + ($_d) WHERE id \
BETWEEN $_x AND $((_x + _w / 4));" ;;
		esac
	else
		rand 1100; _x=$r
		rand 6; _w=$r
		rand 8
		case $r in
		0|1)	rand_k2; _k=$v; rand_text; _t=$v; rand_int
			echo "INSERT IGNORE INTO t2 VALUES ($_x, $_k, $_t, $v);" ;;
		2)	rand_text; _t=$v; rand_int
			echo "UPDATE t2 SET v = $_t, w = $v WHERE k1 BETWEEN $_x \
AND $((_x + _w));" ;;
		3)	rand_k2
			echo "UPDATE t2 SET v = IF(v IS NULL, '', NULL) WHERE \
k1 BETWEEN $_x AND $((_x + _w)) AND k2 <> $v;" ;;
		4)	rand_k2
			echo "DELETE FROM t2 WHERE k1 BETWEEN $_x AND \
$((_x + _w)) AND k2 <> $v;" ;;
		5)	rand_k2; _k=$v; rand_k2
			echo "UPDATE IGNORE t2 SET k2 = $v WHERE k1 BETWEEN $_x AND \
$((_x + _w)) AND k2 = $_k;" ;;
		*)	rand 2000; _d=$((r - 1000))
			[ "$_d" != 0 ] || _d=3
			echo "UPDATE IGNORE t2 SET k1 = k1 + ($_d) WHERE k1 = $_x;" ;;
		esac
	fi
}

# One random batch; now and then a large one that empties a range or
# grows one past twice the chunk size.
rand_batch()
{
	rand 20
	_ops=$((r + 3))
	while [ "$_ops" -gt 0 ]; do
		rand_stmt
		_ops=$((_ops - 1))
	done
	rand 6
	case $r in
	0)	rand 30000
		echo "DELETE FROM t1 WHERE id BETWEEN $r AND $((r + 700));" ;;
	1)	rand 30000
		echo "INSERT IGNORE INTO t1 SELECT $r + seq, NULL, seq, X''
		    FROM seq_1_to_$((2 * chunk + 30));" ;;
	2)	rand 1000
		echo "INSERT IGNORE INTO t2 SELECT $r + k.seq, CONCAT('g', j.seq),
		    NULL, j.seq FROM seq_1_to_12 k, seq_1_to_12 j;" ;;
	esac
}

compare "first scan"
[ "$(nchunks t1)" -ge 50 ] && [ "$(nchunks t2)" -ge 50 ] ||
    fail "chunk mode stored $(nchunks t1) and $(nchunks t2) chunks"
compare "no change"
[ ! -s "$W/out.full" ] || fail "no change: records reported"
expect_no_fetch "no change after the first scan"

i=1
busy=0
while [ "$i" -le "$rounds" ]; do
	rand_batch >"$W/batch.sql"
	sql_db cd <"$W/batch.sql"
	compare "round $i"
	[ ! -s "$W/out.full" ] || busy=$((busy + 1))
	i=$((i + 1))
done
[ "$busy" -ge $((rounds / 2)) ] ||
    fail "only $busy of $rounds rounds changed anything"

# Across boundaries: a row moved three chunks on, rows deleted and updated
# on both sides of a bound, rows inserted right before and after one.
h3=$(bound t1 3)
h4=$(bound t1 4)
h6=$(bound t1 6)
h9=$(bound t1 9)
sql_db cd "UPDATE IGNORE t1 SET id = $((h9 - 1)) WHERE id = $h3;
	DELETE FROM t1 WHERE id > $((h4 - 25)) AND id <= $((h4 + 25));
	UPDATE t1 SET b = IFNULL(b, 0) + 1 WHERE id BETWEEN $((h6 - 30)) AND
	    $((h6 + 30));
	INSERT IGNORE INTO t1 VALUES ($((h9 + 1)), 'after', 1, NULL),
	    ($((h9 - 2)), 'before', 2, NULL)"
compare "t1 across chunk bounds"
expect_records "t1 across chunk bounds"
set -- $(bound t2 3)
sql_db cd "UPDATE IGNORE t2 SET k1 = k1 + 300 WHERE k1 = $1 AND k2 = $2;
	DELETE FROM t2 WHERE k1 BETWEEN $(($1 - 1)) AND $(($1 + 1));
	INSERT IGNORE INTO t2 VALUES ($1, X'', 'edge', 1), ($1, X'FFFF', NULL, 2)"
compare "t2 across chunk bounds"
expect_records "t2 across chunk bounds"

# A chunk emptied: its range joins the next chunk; then filled again.
n=$(nchunks t1)
lo=$(bound t1 4)
hi=$(bound t1 5)
sql_db cd "DELETE FROM t1 WHERE id > $lo AND id <= $hi"
compare "t1 chunk emptied"
expect_records "t1 chunk emptied"
[ "$(nchunks t1)" -eq $((n - 1)) ] ||
    fail "t1: $(nchunks t1) chunks after emptying one of $n"
sql_db cd "INSERT INTO t1 SELECT $lo + seq, 'back', seq, NULL FROM
	seq_1_to_$((hi - lo))"
compare "t1 emptied range filled"
expect_records "t1 emptied range filled"
n=$(nchunks t2)
set -- $(bound t2 4)
lo1=$1 lo2=$2
set -- $(bound t2 5)
sql_db cd "DELETE FROM t2 WHERE (k1, k2) > ($lo1, $lo2) AND
	(k1, k2) <= ($1, $2)"
compare "t2 chunk emptied"
expect_records "t2 chunk emptied"
[ "$(nchunks t2)" -eq $((n - 1)) ] ||
    fail "t2: $(nchunks t2) chunks after emptying one of $n"

# A chunk grown past twice the chunk size is split; the next re-scan of
# the new chunks must match the server's aggregates, so fetches no rows.
# The chunk with the widest range of (first) key values is grown.
widest()
{
	bounds "$1" | awk '$2 != "-" {
		if (NR > 1 && $2 - prev > best) { best = $2 - prev; n = $1 }
		prev = $2
	} END { print n }'
}
n=$(nchunks t1)
g=$(widest t1)
lo=$(bound t1 $((g - 1)))
hi=$(bound t1 "$g")
[ $((hi - lo)) -gt $((2 * chunk + 10)) ] ||
    fail "t1: the widest chunk spans only $((hi - lo)) keys"
sql_db cd "INSERT IGNORE INTO t1 SELECT $lo + seq, 'grown', seq, X'01'
	FROM seq_1_to_$((hi - lo - 1))"
compare "t1 chunk $g grown"
expect_records "t1 chunk grown"
[ "$(nchunks t1)" -gt "$n" ] ||
    fail "t1: still $(nchunks t1) chunks after growing one of $n"
n=$(nchunks t2)
g=$(widest t2)
set -- $(bound t2 $((g - 1)))
lo1=$1
set -- $(bound t2 "$g")
[ $(($1 - lo1)) -ge 2 ] || fail "t2: the widest chunk spans too few keys"
sql_db cd "INSERT IGNORE INTO t2 SELECT $lo1 + CAST(k.seq AS SIGNED), CONCAT('s', j.seq),
	'grown', NULL FROM seq_1_to_$(($1 - lo1)) k,
	seq_1_to_$((2 * chunk + 10)) j WHERE $lo1 + CAST(k.seq AS SIGNED) < $1 OR
	CONCAT('s', j.seq) < $2"
compare "t2 chunk $g grown"
expect_records "t2 chunk grown"
[ "$(nchunks t2)" -gt "$n" ] ||
    fail "t2: still $(nchunks t2) chunks after growing one of $n"

expect_no_fetch "no change after the splits"

# Tampered chunks. A changed aggregate alone: the chunk fails
# authentication and is diffed row by row; nothing is reported.
t=$(tid t1)
sqlite3 "$W/chunk.db" "UPDATE chunks SET agg = X'0123456789ABCDEF'
	WHERE tid = $t AND n = 5"
compare "t1 chunk aggregate tampered, no change"
[ ! -s "$W/out.chunk" ] || fail "a tampered chunk raised records"
# A change hidden by a forged chunk: the count and aggregate the server
# now computes (taken from a scan of a copy of the baseline), written in
# place of the stored ones without the key; the MAC gives it away.
fc=$(sqlite3 -readonly -batch "$W/chunk.db" "SELECT n FROM chunks
	WHERE tid = $t AND n > 0 AND hi IS NOT NULL AND nrows >= 3 ORDER BY n
	LIMIT 1 OFFSET 5")
lo=$(bound t1 $((fc - 1)))
hi=$(bound t1 "$fc")
cp "$W/chunk.db" "$W/scratch.db"
cp "$W/chunk.key" "$W/scratch.key"
sql_db cd "UPDATE t1 SET a = 'hidden?' WHERE id = (SELECT MIN(id) FROM t1
	WHERE id > $lo AND id <= $hi);
	DELETE FROM t1 WHERE id = (SELECT MAX(id) FROM t1 WHERE id > $lo AND
	id <= $hi)"
scan scratch
nr=$(sqlite3 -readonly -batch "$W/scratch.db" "SELECT nrows FROM chunks
	WHERE tid = $t AND n = $fc")
agg=$(sqlite3 -readonly -batch "$W/scratch.db" "SELECT hex(agg) FROM chunks
	WHERE tid = $t AND n = $fc")
[ "$(sqlite3 -readonly -batch "$W/chunk.db" "SELECT nrows FROM chunks
	WHERE tid = $t AND n = $fc")" = $((nr + 1)) ] ||
    fail "the forged chunk does not cover the changed rows"
sqlite3 "$W/chunk.db" "UPDATE chunks SET nrows = $nr, agg = X'$agg'
	WHERE tid = $t AND n = $fc"
compare "t1 change behind a forged chunk"
grep -q "op=update table=cd.t1 .* changed=a " "$W/out.chunk" &&
    grep -q "op=delete table=cd.t1 " "$W/out.chunk" ||
    fail "chunk mode missed the change behind the forged chunk"
compare "after the forged chunk"
[ ! -s "$W/out.chunk" ] || fail "records after the forged chunk was healed"
echo "$test_name: $rounds rounds and the chunk cases agree"

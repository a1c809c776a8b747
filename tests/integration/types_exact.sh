#!/bin/sh
# Every column type is digested as its exact stored value: a change that
# the text protocol does not show (a FLOAT below its sixth digit, an ENUM
# set to the invalid value where '' is a member, a SET's empty member, a
# geometry's coordinate in its last bit, a trailing zero byte, ...) is
# reported with the right changed=, in full mode and in chunk mode, with
# dbsyscheck_chunk() and with the SQL aggregate; both modes print the same;
# a chunk mode re-scan of unchanged rows fetches none (the server's
# aggregate of the exact expressions equals the client's); a value stored
# the same way (CHAR's trailing spaces) is no change; a system-versioned
# table is read as it is now, whatever the global system_versioning_asof;
# keys are the exact values too (FLOAT keys that print the same, pk=);
# INET4, INET6 and UUID keys whose text order is not their byte order
# (10.0.0.1 beside 2.0.0.1, 1:: beside ::ffff:1.2.3.4) are read in the
# order of their text; ENUM and SET with duplicate members
# (ENUM('a','a','b')) show a move between the duplicates, as values and
# as keys.
. "$(dirname "$0")/setup"
. "$top_srcdir/tests/integration/udf_lib.sh"

udf_start
for m in full chunk; do
	{
		echo "baseline $W/$m.db"
		echo "key $W/$m.key"
		echo "mysql-defaults-file $W/my.cnf"
		echo "mysql-group client"
		if [ "$m" = full ]; then
			echo "table tx.t"
			echo "table tx.v"
		else
			echo "table tx.t chunk=2"
			echo "table tx.v chunk=2"
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
	sed "s/^/  $1| /" "$W/out.$1" "$W/err.$1"
	[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "$1 mode: exit $rc"
}

# both: scan in both modes, which must print the same.
both()
{
	scan full
	scan chunk
	cmp -s "$W/out.full" "$W/out.chunk" ||
	    fail "$path: chunk mode reported other records than full mode"
}

# change WHAT SQL RECORD: after SQL (sql_mode ''), both modes report the
# one update RECORD ("pk=... changed=...") and nothing else.
change()
{
	echo "--- $path: $1"
	sql_db tx "SET SESSION sql_mode = ''; $2"
	both
	{
		summary 0 1 0
		echo "dbsyscheck: op=update table=tx.t $3 src=scan by=- ;"
	} >"$W/expected"
	if ! cmp -s "$W/expected" "$W/out.full"; then
		diff -u "$W/expected" "$W/out.full" >&2 || true
		fail "$path: $1: not reported as expected"
	fi
}

# no_fetch: a chunk mode re-scan with nothing changed reports nothing and
# fetches no row.
no_fetch()
{
	sql "SET GLOBAL general_log_file = '$W/general.log', general_log = 1"
	scan chunk
	sql "SET GLOBAL general_log = 0"
	[ ! -s "$W/out.chunk" ] || fail "$path: $1: records reported"
	if grep 'Query.*FROM `tx`.*ORDER BY' "$W/general.log" >&2; then
		fail "$path: $1: chunk mode fetched rows; the server's aggregate" \
		    "differs from the client's"
	fi
	rm -f "$W/general.log"
}

run_cases()
{
	rm -f "$W/full.db" "$W/chunk.db" "$W/full.key" "$W/chunk.key"
	sql "DROP DATABASE IF EXISTS tx; CREATE DATABASE tx"
	sql_db tx "CREATE TABLE t (
		id INT PRIMARY KEY,
		fl FLOAT, fd FLOAT(10,4), d DOUBLE, d2 DOUBLE(20,5),
		de DECIMAL(65,30), b BIT(12),
		e ENUM('', 'a', 'b'), s SET('', 'x', 'y'), e2 ENUM('a', 'b'),
		y YEAR, da DATE, dt DATETIME(6), tm TIME(6),
		ts TIMESTAMP(6) NULL DEFAULT NULL,
		j JSON, g GEOMETRY, p POINT, i6 INET6, i4 INET4, u UUID,
		bi BINARY(4), vb VARBINARY(8), bl BLOB, ch CHAR(5),
		inv INT INVISIBLE,
		gs INT AS (inv * 2) STORED, gv INT AS (inv + 1) VIRTUAL)"
	# TIMESTAMP literals at the ends of the range are UTC: the test runs
	# in any TZ (the sanitizer pass picks another one).
	sql_db tx "SET time_zone = '+00:00';
	    INSERT INTO t (id, fl, fd, d, d2, de, b, e, s, e2, y, da,
		dt, tm, ts, j, g, p, i6, i4, u, bi, vb, bl, ch, inv) VALUES
	    (1, 1.2345678, 1.2346, 0.30000000000000004, 1.5,
		-1.000000000000000000000000000001, b'101010101010', '', 1,
		'a', 2024, '2024-02-29', '2024-01-02 03:04:05.123456',
		'-838:59:59.000001', '2038-01-19 03:14:07.999999',
		'{\"a\": 1}', ST_GeomFromText('POINT(1 2)'),
		ST_GeomFromText('POINT(1 2)', 4326), '::ffff:1.2.3.4',
		'1.2.3.4', '123e4567-e89b-12d3-a456-426614174000', 'a',
		'a', 'x', 'a', 7),
	    (2, 743647.75, 0, 9007199254740992, 0, 0, 0, 'a', 'x', 'b', 1901,
		'1000-01-01', '1000-01-01 00:00:00', '00:00:00',
		'1970-01-01 00:00:01', '[]',
		ST_GeomFromText('LINESTRING(0 0, 1 1)'), NULL, '::1',
		'0.0.0.0', '00000000-0000-0000-0000-000000000000',
		X'00', X'00', X'00', '', 0),
	    (3, 1.17549435e-38, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		NULL, NULL, NULL, NULL, NULL, NULL, NULL)"
	sql_db tx "CREATE TABLE v (id INT PRIMARY KEY, x FLOAT)
		WITH SYSTEM VERSIONING"
	sql_db tx "INSERT INTO v VALUES (1, 1), (2, 2)"
	sql_db tx "UPDATE v SET x = 1.2345678 WHERE id = 1"
	both
	grep -q 'op=baseline table=tx.t rows=3' "$W/out.full" ||
	    fail "$path: no baseline of tx.t"
	no_fetch "first re-scan"

	change "FLOAT 1.2345678 -> 1.2345679" \
	    "UPDATE t SET fl = 1.2345679 WHERE id = 1" "pk=id=1 changed=fl"
	change "FLOAT 743647.75 -> 743648" \
	    "UPDATE t SET fl = 743648 WHERE id = 2" "pk=id=2 changed=fl"
	change "FLOAT 1.17549435e-38 -> 1.1754948e-38" \
	    "UPDATE t SET fl = 1.1754948e-38 WHERE id = 3" "pk=id=3 changed=fl"
	change "FLOAT(10,4) 1.2346 -> 1234.5677" \
	    "UPDATE t SET fd = 1234.5677 WHERE id = 1" "pk=id=1 changed=fd"
	change "DOUBLE 0.30000000000000004 -> 0.3" \
	    "UPDATE t SET d = 0.3e0 WHERE id = 1" "pk=id=1 changed=d"
	change "DOUBLE 2^53 -> 2^53 + 2" \
	    "UPDATE t SET d = 9007199254740994e0 WHERE id = 2" \
	    "pk=id=2 changed=d"
	change "DECIMAL(65,30) in its last digit" \
	    "UPDATE t SET de = -1.000000000000000000000000000002 WHERE id = 1" \
	    "pk=id=1 changed=de"
	change "BIT(12) in its last bit" \
	    "UPDATE t SET b = b'101010101011' WHERE id = 1" "pk=id=1 changed=b"
	change "ENUM '' member -> invalid value (index 0), both shown as ''" \
	    "UPDATE t SET e = 'zzz' WHERE id = 1" "pk=id=1 changed=e"
	change "SET: the empty member -> the empty set, both shown as ''" \
	    "UPDATE t SET s = 0 WHERE id = 1" "pk=id=1 changed=s"
	change "ENUM without an empty member" \
	    "UPDATE t SET e2 = 'b' WHERE id = 1" "pk=id=1 changed=e2"
	change "YEAR" "UPDATE t SET y = 2155 WHERE id = 2" "pk=id=2 changed=y"
	change "DATETIME(6) by a microsecond" \
	    "UPDATE t SET dt = '2024-01-02 03:04:05.123457' WHERE id = 1" \
	    "pk=id=1 changed=dt"
	change "TIME(6) by a microsecond" \
	    "UPDATE t SET tm = '-838:59:59.000002' WHERE id = 1" \
	    "pk=id=1 changed=tm"
	change "TIMESTAMP(6) by a microsecond" \
	    "SET time_zone = '+00:00';
	    UPDATE t SET ts = '1970-01-01 00:00:01.000001' WHERE id = 2" \
	    "pk=id=2 changed=ts"
	change "JSON: the same document, other bytes" \
	    "UPDATE t SET j = '{\"a\":1}' WHERE id = 1" "pk=id=1 changed=j"
	change "GEOMETRY: a coordinate in its last bit" \
	    "UPDATE t SET g = ST_GeomFromText('POINT(1 2.0000000000000004)')
	    WHERE id = 1" "pk=id=1 changed=g"
	change "POINT: the SRID only" \
	    "UPDATE t SET p = ST_GeomFromText('POINT(1 2)', 0) WHERE id = 1" \
	    "pk=id=1 changed=p"
	change "INET6 IPv4-mapped -> IPv4-compatible" \
	    "UPDATE t SET i6 = '::1.2.3.4' WHERE id = 1" "pk=id=1 changed=i6"
	change "INET4" "UPDATE t SET i4 = '0.0.0.1' WHERE id = 2" \
	    "pk=id=2 changed=i4"
	change "UUID in its last digit" \
	    "UPDATE t SET u = '123e4567-e89b-12d3-a456-426614174001'
	    WHERE id = 1" "pk=id=1 changed=u"
	change "BINARY(4): a trailing zero byte made 1" \
	    "UPDATE t SET bi = X'0001' WHERE id = 2" "pk=id=2 changed=bi"
	change "VARBINARY: a trailing zero byte added" \
	    "UPDATE t SET vb = X'0000' WHERE id = 2" "pk=id=2 changed=vb"
	change "BLOB: a trailing zero byte added" \
	    "UPDATE t SET bl = X'7800' WHERE id = 1" "pk=id=1 changed=bl"
	change "INVISIBLE column and the columns generated from it" \
	    "UPDATE t SET inv = 8 WHERE id = 1" "pk=id=1 changed=inv,gs,gv"

	echo "--- $path: CHAR's trailing spaces are not stored: no change"
	sql_db tx "UPDATE t SET ch = 'a   ' WHERE id = 1"
	both
	[ ! -s "$W/out.full" ] || fail "$path: CHAR padding reported"
	no_fetch "after the changes"

	echo "--- $path: system-versioned: the current rows only"
	sql "SET GLOBAL system_versioning_asof = '2000-01-01 00:00:00'"
	both
	sql "SET GLOBAL system_versioning_asof = DEFAULT"
	[ ! -s "$W/out.full" ] ||
	    fail "$path: the global system_versioning_asof changed the rows"
	sql_db tx "UPDATE v SET x = 1.2345679 WHERE id = 1"
	both
	{
		summary 0 1 0
		echo "dbsyscheck: op=update table=tx.v pk=id=1 changed=x" \
		    "src=scan by=- ;"
	} >"$W/expected"
	cmp -s "$W/expected" "$W/out.full" ||
	    fail "$path: versioned table: change not reported"
}

path=udf
run_cases
sql "DROP FUNCTION dbsyscheck_chunk"
path=sql
run_cases

# Keys are built from the exact value too: FLOAT keys that print the same
# (1.2345678 and 1.2345679 both print 1.23457) are two rows, alone or in a
# composite key; an ENUM key's '' member and invalid value (both print '')
# are two keys; pk= shows the exact value. Full mode only: such keys are
# not in index order, so chunk mode refuses them.
echo "--- keys from the exact value"
sql_db tx "SET SESSION sql_mode = '';
	CREATE TABLE kf (f FLOAT PRIMARY KEY, v INT);
	INSERT INTO kf VALUES (1.2345678, 1), (1.2345679, 2), (743647.75, 3);
	CREATE TABLE kc (id INT, f FLOAT, v INT, PRIMARY KEY (id, f));
	INSERT INTO kc VALUES (1, 1.2345678, 1), (1, 1.2345679, 2);
	CREATE TABLE kd (d DOUBLE(20,2) PRIMARY KEY, v INT);
	INSERT INTO kd VALUES (1.5, 1);
	CREATE TABLE ke (e ENUM('', 'a') PRIMARY KEY, v INT);
	INSERT INTO ke VALUES ('', 1), ('zzz', 2);
	CREATE TABLE kn4 (ip INET4 PRIMARY KEY, v VARCHAR(20));
	INSERT INTO kn4 VALUES ('1.2.3.4', 'a'), ('2.0.0.1', 'b'),
	    ('3.0.0.1', 'c');
	CREATE TABLE kn6 (ip INET6 PRIMARY KEY, v VARCHAR(20));
	INSERT INTO kn6 VALUES ('::ffff:1.2.3.4', 'a'), ('::1', 'b');
	CREATE TABLE ku (u UUID PRIMARY KEY, v INT);
	INSERT INTO ku VALUES ('123e4567-e89b-12d3-a456-426614174000', 1),
	    ('ffffffff-0000-0000-0000-000000000001', 2);
	CREATE TABLE kdup (id INT PRIMARY KEY, e ENUM('a', 'a', 'b'),
	    s SET('x', 'x', 'y'));
	INSERT INTO kdup VALUES (1, 1, 1), (2, 2, 2);
	CREATE TABLE kde (e ENUM('a', 'a', 'b') PRIMARY KEY, v INT);
	INSERT INTO kde VALUES (1, 1), (2, 2)"
[ "$(sql_db tx "SELECT COUNT(DISTINCT CONCAT(f)) FROM kf WHERE v < 3")" = 1 ] ||
    fail "setup: the FLOAT keys do not print the same"
for m in keys keyschunk; do
	{
		echo "baseline $W/$m.db"
		echo "key $W/$m.key"
		echo "mysql-defaults-file $W/my.cnf"
		echo "mysql-group client"
		case $m in
		keys)	for t in kf kc kd ke kn4 kn6 ku kdup kde; do
				echo "table tx.$t"
			done ;;
		*)	echo "table tx.kf chunk=2" ;;
		esac
	} | (umask 077 && cat >"$W/$m.conf")
done
# A chunk-mode FLOAT key is refused, with a reason.
rc=0
timeout -k 5 "$DBSC_TIMEOUT" "$top_builddir/dbsyscheck" \
    -c "$W/keyschunk.conf" -t >"$W/out.t" 2>&1 </dev/null || rc=$?
sed 's/^/  -t| /' "$W/out.t"
[ "$rc" != 0 ] && grep -q "key column f" "$W/out.t" ||
    fail "a chunk-mode FLOAT key was not refused"
scan keys
grep -q 'op=baseline table=tx.kf rows=3' "$W/out.keys" &&
    grep -q 'op=baseline table=tx.ke rows=2' "$W/out.keys" &&
    grep -q 'op=baseline table=tx.kn4 rows=3' "$W/out.keys" &&
    grep -q 'op=baseline table=tx.kde rows=2' "$W/out.keys" ||
    fail "no baseline of the exact keys"
scan keys
[ ! -s "$W/out.keys" ] || fail "records on the re-scan of exact keys"
sql_db tx "UPDATE kf SET v = 10 WHERE v IN (1, 2, 3);
	UPDATE kc SET v = 10 WHERE v = 2;
	UPDATE kd SET v = 10;
	UPDATE ke SET v = 10 WHERE v = 2;
	DELETE FROM ke WHERE v = 1;
	INSERT INTO kn4 VALUES ('10.0.0.1', 'x');
	UPDATE kn4 SET v = 'changed' WHERE ip = '3.0.0.1';
	INSERT INTO kn6 VALUES ('1::', 'x');
	UPDATE kn6 SET v = 'changed' WHERE ip = '::1';
	INSERT INTO ku VALUES ('00000000-ffff-0000-0000-000000000002', 3);
	UPDATE ku SET v = 10 WHERE v = 1;
	UPDATE kdup SET e = 2, s = 2 WHERE id = 1;
	UPDATE kdup SET e = 1 WHERE id = 2;
	UPDATE kde SET v = 10 WHERE v = 2"
scan keys
R='src=scan by=- ;'
cat >"$W/expected" <<EOF
$(summary 3 12 1)
dbsyscheck: op=update table=tx.kf pk=f=1.2345677614212036 changed=v $R
dbsyscheck: op=update table=tx.kf pk=f=1.2345678806304932 changed=v $R
dbsyscheck: op=update table=tx.kf pk=f=743647.75 changed=v $R
dbsyscheck: op=update table=tx.kc pk=id=1,f=1.2345678806304932 changed=v $R
dbsyscheck: op=update table=tx.kd pk=d=1.5 changed=v $R
dbsyscheck: op=update table=tx.ke pk=e=0 changed=v $R
dbsyscheck: op=delete table=tx.ke pk=e=1 changed=- $R
dbsyscheck: op=insert table=tx.kn4 pk=ip=10.0.0.1 changed=- $R
dbsyscheck: op=update table=tx.kn4 pk=ip=3.0.0.1 changed=v $R
dbsyscheck: op=insert table=tx.kn6 pk=ip=1:: changed=- $R
dbsyscheck: op=update table=tx.kn6 pk=ip=::1 changed=v $R
dbsyscheck: op=insert table=tx.ku pk=u=00000000-ffff-0000-0000-000000000002 changed=- $R
dbsyscheck: op=update table=tx.ku pk=u=123e4567-e89b-12d3-a456-426614174000 changed=v $R
dbsyscheck: op=update table=tx.kdup pk=id=1 changed=e,s $R
dbsyscheck: op=update table=tx.kdup pk=id=2 changed=e $R
dbsyscheck: op=update table=tx.kde pk=e=2 changed=v $R
EOF
if ! cmp -s "$W/expected" "$W/out.keys"; then
	diff -u "$W/expected" "$W/out.keys" >&2 || true
	fail "changes under exact keys not reported as expected"
fi
echo "ok"

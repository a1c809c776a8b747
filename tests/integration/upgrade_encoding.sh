#!/bin/sh
# A baseline made by the release before exact encodings (commit fb2c9b5,
# FLOAT digested as its 6-digit text, ENUM and SET with an empty member as
# their names, DOUBLE(M,D) with D decimals) is taken over by this code
# without a false alarm: with no row changed, the first scan reports
# nothing, in full mode and in chunk mode, and the next chunk scan fetches
# no row; the changes made meanwhile that the old encoding shows are
# reported with the right changed= columns and nothing else; afterwards a
# FLOAT change below its sixth digit is reported. The old release is built
# once per build tree from git (or DBSC_OLD_DBSYSCHECK names its binary).
. "$(dirname "$0")/setup"

old_rev=fb2c9b5

# The old binary: built from git into $top_builddir/tests/.old-$old_rev.
if [ -n "${DBSC_OLD_DBSYSCHECK:-}" ]; then
	old=$DBSC_OLD_DBSYSCHECK
else
	od=$top_builddir/tests/.old-$old_rev
	old=$od/dbsyscheck
	if [ ! -x "$old" ]; then
		git -C "$top_srcdir" cat-file -e "$old_rev^{commit}" 2>/dev/null ||
		    fail "commit $old_rev is not in $top_srcdir (set" \
		    "DBSC_OLD_DBSYSCHECK to a dbsyscheck built from it)"
		rm -rf "$od.tmp"
		mkdir -p "$od.tmp"
		git -C "$top_srcdir" archive "$old_rev" | tar -x -C "$od.tmp" ||
		    fail "git archive $old_rev"
		echo "building $old_rev in $od.tmp"
		(cd "$od.tmp" && autoreconf -fi && ./configure &&
		    make src/schema_sql.h dbsyscheck) >"$W/old-build.log" 2>&1 || {
			tail -n 30 "$W/old-build.log" >&2
			fail "cannot build $old_rev"
		}
		rm -rf "$od"
		mv "$od.tmp" "$od"
	fi
fi
[ -x "$old" ] || fail "$old is not built"

db_start
sql "CREATE DATABASE ue"
# Every column whose encoding changed, one that did not, and a FLOAT key
# (its key stays its text; not chunkable, so full mode in every file).
sql_db ue "CREATE TABLE t (id INT PRIMARY KEY, fl FLOAT, d2 DOUBLE(20,5),
    e ENUM('', 'a'), s SET('', 'x'), v VARCHAR(10))"
sql_db ue "INSERT INTO t SELECT seq, seq + 0.2345678, seq / 7,
    IF(seq % 2, '', 'a'), IF(seq % 3, 'x', ''), CONCAT('v', seq)
    FROM seq_1_to_300"
sql_db ue "CREATE TABLE k (fk FLOAT PRIMARY KEY, v INT)"
sql_db ue "INSERT INTO k SELECT seq / 4, seq FROM seq_1_to_50"

(umask 077 && cat >"$W/my.cnf") <<EOF
[client]
socket=$W/sock
user=root
EOF
# a: upgraded with no change; b: upgraded after changes.
for m in full_a chunk_a full_b chunk_b; do
	{
		echo "baseline $W/$m.db"
		echo "key $W/$m.key"
		echo "mysql-defaults-file $W/my.cnf"
		echo "mysql-group client"
		case $m in
		full*)	echo "table ue.t"; echo "table ue.k" ;;
		*)	echo "table ue.t chunk=40"; echo "table ue.k" ;;
		esac
	} | (umask 077 && cat >"$W/$m.conf")
done

# scan BINARY MODE: one scan; stdout in $W/out.MODE.
scan()
{
	rc=0
	timeout -k 5 "$DBSC_TIMEOUT" "$1" -c "$W/$2.conf" --max-bytes 0 \
	    scan >"$W/out.$2" 2>"$W/err.$2" </dev/null || rc=$?
	sed "s/^/  $2| /" "$W/out.$2" "$W/err.$2"
	[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "$2: exit $rc"
}

new=$top_builddir/dbsyscheck
for m in full_a chunk_a full_b chunk_b; do
	scan "$old" "$m"
	grep -q 'op=baseline table=ue.t rows=300' "$W/out.$m" ||
	    fail "$m: the old release made no baseline"
done
[ "$(sqlite3 "$W/full_a.db" "SELECT hex(substr(schema, 1, 1))
    FROM tables LIMIT 1")" = 01 ] ||
    fail "the old release's table description is not version 1"

echo "--- no change: the first scans of this code report nothing"
for m in full_a chunk_a; do
	scan "$new" "$m"
	[ ! -s "$W/out.$m" ] || fail "$m: records after the upgrade"
done
[ "$(sqlite3 "$W/full_a.db" "SELECT DISTINCT hex(substr(schema, 1, 1))
    FROM tables")" = 02 ] || fail "the table descriptions were not rewritten"
echo "--- the chunks were laid out anew: a re-scan fetches no row"
sql "SET GLOBAL general_log_file = '$W/general.log', general_log = 1"
scan "$new" chunk_a
sql "SET GLOBAL general_log = 0"
[ ! -s "$W/out.chunk_a" ] || fail "chunk_a: records on the re-scan"
if grep 'Query.*FROM `ue`.`t`.*ORDER BY' "$W/general.log" >&2; then
	fail "chunk mode fetched rows after the upgrade"
fi

echo "--- changes made before the upgrade that the old encoding shows"
sql_db ue "UPDATE t SET fl = 99.5 WHERE id = 5"
sql_db ue "UPDATE t SET e = 'a' WHERE id = 7"
sql_db ue "UPDATE t SET v = 'w' WHERE id = 9"
sql_db ue "UPDATE t SET s = 'x', v = 'y' WHERE id = 12"
sql_db ue "DELETE FROM t WHERE id = 20"
sql_db ue "INSERT INTO t VALUES (1000, 1.5, 1, 'a', 'x', 'n')"
sql_db ue "UPDATE k SET v = 0 WHERE fk = 0.25"
R='src=scan by=- ;'
cat >"$W/expected" <<EOF
dbsyscheck: op=summary inserts=1 updates=5 deletes=1 errors=0 pending=0 ;
dbsyscheck: op=update table=ue.t pk=id=5 changed=fl $R
dbsyscheck: op=update table=ue.t pk=id=7 changed=e $R
dbsyscheck: op=update table=ue.t pk=id=9 changed=v $R
dbsyscheck: op=update table=ue.t pk=id=12 changed=s,v $R
dbsyscheck: op=delete table=ue.t pk=id=20 changed=- $R
dbsyscheck: op=insert table=ue.t pk=id=1000 changed=- $R
dbsyscheck: op=update table=ue.k pk=fk=0.25 changed=v $R
EOF
for m in full_b chunk_b full_a chunk_a; do
	scan "$new" "$m"
	if ! cmp -s "$W/expected" "$W/out.$m"; then
		diff -u "$W/expected" "$W/out.$m" >&2 || true
		fail "$m: not the changes made"
	fi
done
for m in full_b chunk_b; do
	scan "$new" "$m"
	[ ! -s "$W/out.$m" ] || fail "$m: records on the re-scan"
done

echo "--- after the upgrade, changes only the exact encodings show"
sql_db ue "UPDATE t SET fl = 1.2345679 WHERE id = 1"
sql_db ue "SET SESSION sql_mode = ''; UPDATE t SET e = 'zzz' WHERE id = 3"
sql_db ue "UPDATE t SET s = 0 WHERE id = 1"
cat >"$W/expected" <<EOF
dbsyscheck: op=summary inserts=0 updates=2 deletes=0 errors=0 pending=0 ;
dbsyscheck: op=update table=ue.t pk=id=1 changed=fl,s $R
dbsyscheck: op=update table=ue.t pk=id=3 changed=e $R
EOF
for m in full_a chunk_a full_b chunk_b; do
	scan "$new" "$m"
	if ! cmp -s "$W/expected" "$W/out.$m"; then
		diff -u "$W/expected" "$W/out.$m" >&2 || true
		fail "$m: the exact changes were not reported"
	fi
done
echo "ok"

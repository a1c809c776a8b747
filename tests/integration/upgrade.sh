#!/bin/sh
# A baseline of format 2 (one SQLite row per table row, as dbsyscheck wrote
# before row blocks) is converted to format 4 by the first run that writes
# to it: the stored rows and their column tags carry over, so the changes
# made meanwhile are reported exactly, with the right changed= columns. status
# reads a format 2 file without converting it. A format 2 file with a
# malformed row is refused and left as it was.
. "$(dirname "$0")/setup"

B=$W/baseline.db
R='src=scan by=- ;'

blocks()
{
	python3 "$top_srcdir/tests/integration/blocks.py" "$B" "$@" ||
	    fail "blocks.py $*"
}

version()
{
	sqlite3 "$B" "PRAGMA user_version"
}

db_start
sql "CREATE DATABASE up"
sql_db up "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(20), b INT)"
sql_db up "INSERT INTO t SELECT seq, CONCAT('a', seq), seq FROM seq_1_to_3000"
sql_db up "CREATE TABLE k (name VARCHAR(30) PRIMARY KEY, v TEXT)"
sql_db up "INSERT INTO k SELECT CONCAT('key', seq), REPEAT('x', seq)
    FROM seq_1_to_300"
dbsc_conf "up.t" "up.k"
dbsc scan
expect_rc 1
[ "$(version)" = 4 ] || fail "a new baseline is format $(version), not 4"

tid=$(sqlite3 "$B" "SELECT tid FROM tables WHERE name = CAST('t' AS BLOB)")
ktid=$(sqlite3 "$B" "SELECT tid FROM tables WHERE name = CAST('k' AS BLOB)")
blocks "$tid" list >"$W/t.rows"
blocks "$ktid" list >"$W/k.rows"
[ "$(wc -l <"$W/t.rows")" -eq 3000 ] || fail "setup: up.t rows"

# Back to format 2, the way format 2 stored rows.
blocks 0 downgrade
[ "$(version)" = 2 ] || fail "setup: the downgrade did not take"
[ "$(sqlite3 "$B" "SELECT count(*) FROM rows")" -eq 3300 ] ||
    fail "setup: format 2 rows"
cp "$B" "$W/v2.db"

# status reads it as it is.
dbsc status
expect_rc 0
grep -q "^table up.t .*rows=3000" "$W/out" ||
    fail "status of a format 2 baseline: $(cat "$W/out")"
[ "$(version)" = 2 ] || fail "status converted the baseline"

sql_db up "UPDATE t SET a = 'changed' WHERE id = 10"
sql_db up "UPDATE t SET b = -1 WHERE id = 2999"
sql_db up "DELETE FROM t WHERE id = 20"
sql_db up "INSERT INTO t VALUES (5000, 'new', 5000)"
sql_db up "UPDATE k SET v = 'y' WHERE name = 'key7'"
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 1 3 1)
dbsyscheck: op=update table=up.t pk=id=10 changed=a $R
dbsyscheck: op=delete table=up.t pk=id=20 changed=- $R
dbsyscheck: op=update table=up.t pk=id=2999 changed=b $R
dbsyscheck: op=insert table=up.t pk=id=5000 changed=- $R
dbsyscheck: op=update table=up.k pk=name=key7 changed=v $R
EOF
[ "$(version)" = 4 ] || fail "the scan left format $(version)"
[ -z "$(sqlite3 "$B" "SELECT name FROM sqlite_master WHERE name = 'rows'")" ] ||
    fail "the rows table is still there"
# The rows not changed carried over as they were.
# (the stored key of 'key7': its bytes, then 00 01)
k7="^6B6579370001 "
blocks "$ktid" list | grep -v "$k7" >"$W/k.after"
grep -v "$k7" "$W/k.rows" >"$W/k.before"
[ "$(wc -l <"$W/k.before")" -eq 299 ] || fail "setup: key7 is not one row"
cmp -s "$W/k.before" "$W/k.after" || fail "up.k rows changed in conversion"
dbsc scan
expect_rc 0
expect_empty

# A malformed format 2 row: refused, the file left as it was.
cp "$W/v2.db" "$B"
sqlite3 "$B" "UPDATE rows SET digest = X'0102'
    WHERE pk = (SELECT min(pk) FROM rows WHERE tid = $tid) AND tid = $tid" ||
    fail "setup: cannot damage the format 2 file"
before=$(bl_sha)
dbsc scan
expect_rc 2
expect_err "malformed row"
[ "$(bl_sha)" = "$before" ] || fail "the malformed format 2 file was changed"
[ "$(version)" = 2 ] || fail "the malformed file was converted"


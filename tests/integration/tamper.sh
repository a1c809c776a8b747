#!/bin/sh
# Tampering with the baseline file without the key (sqlite3 on the file):
# a row removed comes back as an insert, a row added is a delete, an altered
# digest an update; an altered table entry (fingerprint, schema, row count)
# gives op=schema baseline=tampered; in chunk mode an altered aggregate does
# not hide a change.
. "$(dirname "$0")/setup"

B=$W/baseline.db
R='src=scan by=- ;'

db_start
sql "CREATE DATABASE tp"
sql_db tp "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20), w INT)"
sql_db tp "INSERT INTO t SELECT seq, CONCAT('v', seq), seq FROM seq_1_to_20"
sql_db tp "CREATE TABLE c (id INT PRIMARY KEY, v VARCHAR(20))"
sql_db tp "INSERT INTO c SELECT seq, CONCAT('c', seq) FROM seq_1_to_1000"
dbsc_conf "tp.t" "tp.c chunk=100"
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=baseline table=tp.t rows=20 src=scan ;
dbsyscheck: op=baseline table=tp.c rows=1000 src=scan ;
EOF

tid=$(sqlite3 "$B" "SELECT tid FROM tables WHERE name = CAST('t' AS BLOB)")
ctid=$(sqlite3 "$B" "SELECT tid FROM tables WHERE name = CAST('c' AS BLOB)")
[ -n "$tid" ] && [ -n "$ctid" ] || fail "setup: no table entries"
[ "$(sqlite3 "$B" "SELECT count(*) FROM chunks WHERE tid = $ctid")" -ge 5 ] ||
    fail "setup: tp.c has no chunks"

# pk ID: the stored key of a signed integer id (8 bytes big-endian, the
# sign bit flipped), as hex.
pk()
{
	printf '%016X' $(($1 + 0x7FFFFFFFFFFFFFFF + 1))
}

# tamper SQL: change the baseline behind dbsyscheck's back.
tamper()
{
	sqlite3 "$B" "$1" || fail "sqlite3: $1"
}

# blocks TID OP ARGS...: change the stored rows (tests/integration/blocks.py
# decodes and rewrites the row blocks of the table).
blocks()
{
	python3 "$top_srcdir/tests/integration/blocks.py" "$B" "$@" ||
	    fail "blocks.py $*"
}

clean()
{
	dbsc scan
	expect_rc 0
	expect_empty
}

case_row_removed()
{
	blocks "$tid" del "$(pk 5)"
	dbsc scan
	expect_rc 1
	expect_out <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=tp.t pk=id=5 changed=- $R
EOF
	clean
}
case_run row_removed case_row_removed

case_row_added()
{
	blocks "$tid" copy "$(pk 6)" "$(pk 999)"
	dbsc scan
	expect_rc 1
	expect_out <<EOF
$(summary 0 0 1)
dbsyscheck: op=delete table=tp.t pk=id=999 changed=- $R
EOF
	clean
}
case_run row_added case_row_added

case_digest_altered()
{
	blocks "$tid" digest "$(pk 7)" "$(printf '%064d' 0)"
	# The column tags still match: which column changed is unknown (%3F).
	dbsc scan
	expect_rc 1
	expect_out <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=tp.t pk=id=7 changed=%3F $R
EOF
	clean
	# A digest copied from another row (valid, but not this row's).
	blocks "$tid" digest "$(pk 8)" "$(blocks "$tid" list |
	    awk -v k="$(pk 9)" '$1 == k { print $2 }')"
	dbsc scan
	expect_rc 1
	expect_out <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=tp.t pk=id=8 changed=%3F $R
EOF
	clean
}
case_run digest_altered case_digest_altered

# entry_tampered SQL: altering the table entry of tp.t gives one op=schema
# baseline=tampered record; the stored rows are not trusted (re-read with
# no row records), and the next scan is clean.
entry_tampered()
{
	tamper "$1"
	dbsc scan
	expect_rc 1
	expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=schema table=tp.t baseline=tampered rows=uncompared src=scan ;
EOF
	clean
}

case_fingerprint_altered()
{
	entry_tampered "UPDATE tables SET fingerprint = zeroblob(32)
	    WHERE tid = $tid"
}
case_run fingerprint_altered case_fingerprint_altered

case_schema_altered()
{
	# One byte of the stored description replaced.
	[ "$(sqlite3 "$B" "SELECT hex(substr(schema, 13, 1)) FROM tables
	    WHERE tid = $tid")" != FF ] || fail "setup: byte 13 is FF"
	entry_tampered "UPDATE tables SET schema = substr(schema, 1, 12) ||
	    X'FF' || substr(schema, 14) WHERE tid = $tid"
}
case_run schema_altered case_schema_altered

case_nrows_altered()
{
	entry_tampered "UPDATE tables SET nrows = nrows + 1 WHERE tid = $tid"
}
case_run nrows_altered case_nrows_altered

case_mac_swapped()
{
	# One table's MAC on the other's entry.
	entry_tampered "UPDATE tables SET mac = (SELECT mac FROM tables
	    WHERE tid = $ctid) WHERE tid = $tid"
}
case_run mac_swapped case_mac_swapped

# Chunk mode: a row changed in the server, and the stored aggregate of its
# chunk replaced by the server's new aggregate (taken from a scan of a copy
# of the baseline: what an attacker who cannot forge the MAC can do): the
# change is still found and reported.
case_chunk_agg_altered()
{
	sql_db tp "UPDATE c SET v = 'changed' WHERE id = 150"
	cp "$B" "$W/copy.db"
	sed "s|^baseline .*|baseline $W/copy.db|" "$W/dbsyscheck.conf" \
	    >"$W/copy.conf"
	chmod 0600 "$W/copy.conf"
	"$top_builddir/dbsyscheck" -c "$W/copy.conf" --no-report scan \
	    >/dev/null 2>&1 || true
	n=$(sqlite3 "$W/copy.db" "SELECT n FROM chunks WHERE tid = $ctid AND
	    hi >= X'$(pk 150)' ORDER BY n LIMIT 1")
	agg=$(sqlite3 "$W/copy.db" "SELECT hex(agg) FROM chunks
	    WHERE tid = $ctid AND n = $n")
	[ -n "$agg" ] || fail "setup: no new aggregate"
	[ "$(sqlite3 "$B" "SELECT hex(agg) FROM chunks WHERE tid = $ctid
	    AND n = $n")" != "$agg" ] || fail "setup: the aggregate is the same"
	tamper "UPDATE chunks SET agg = X'$agg' WHERE tid = $ctid AND n = $n"
	dbsc scan
	expect_rc 1
	expect_out <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=tp.c pk=id=150 changed=v $R
EOF
	clean
	# An aggregate zeroed in a chunk that did not change: no false record.
	tamper "UPDATE chunks SET agg = zeroblob(8) WHERE tid = $ctid AND n = 3"
	clean
	clean
}
case_run chunk_agg_altered case_chunk_agg_altered

# A table's entry deleted from the baseline: the list of tables is
# authenticated too, so the table is taken anew with baseline=tampered,
# never as a plain first baseline.
case_entry_deleted()
{
	tamper "DELETE FROM blocks WHERE tid = $tid; DELETE FROM chunks
	    WHERE tid = $tid; DELETE FROM tables WHERE tid = $tid"
	dbsc scan
	expect_rc 1
	expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=schema table=tp.t baseline=tampered rows=uncompared src=scan ;
EOF
	clean
}
case_run entry_deleted case_entry_deleted
# tp.t was taken anew: it has another tid now.
tid=$(sqlite3 "$B" "SELECT tid FROM tables WHERE name = CAST('t' AS BLOB)")

# The stored rows packed otherwise (one row a block, all rows in one
# block): still read right, no false record; changes are found and the
# blocks written back are read right too.
case_repacked()
{
	blocks "$ctid" repack 1
	clean
	blocks "$ctid" repack 5000
	clean
	sql_db tp "UPDATE c SET v = 'again' WHERE id IN (3, 500, 998)"
	sql_db tp "DELETE FROM c WHERE id = 700"
	sql_db tp "INSERT INTO c VALUES (5000, 'new')"
	blocks "$ctid" repack 7
	dbsc scan
	expect_rc 1
	expect_out <<EOF
$(summary 1 3 1)
dbsyscheck: op=update table=tp.c pk=id=3 changed=v $R
dbsyscheck: op=update table=tp.c pk=id=500 changed=v $R
dbsyscheck: op=delete table=tp.c pk=id=700 changed=- $R
dbsyscheck: op=update table=tp.c pk=id=998 changed=v $R
dbsyscheck: op=insert table=tp.c pk=id=5000 changed=- $R
EOF
	clean
	[ "$(blocks "$ctid" list | wc -l)" -eq 1000 ] ||
	    fail "tp.c holds $(blocks "$ctid" list | wc -l) rows, not 1000"
	# Those few changes were kept as deltas.
	[ "$(sqlite3 "$B" "SELECT count(*) FROM deltas WHERE tid = $ctid")" \
	    -eq 4 ] || fail "the changes were not kept as 4 deltas"
}
case_run repacked case_repacked

# A change kept as a delta (full mode, tp.t), then the delta altered: found
# like an altered block.
case_delta_altered()
{
	sql_db tp "UPDATE t SET w = -1 WHERE id = 4"
	dbsc scan
	expect_rc 1
	expect_out <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=tp.t pk=id=4 changed=w $R
EOF
	[ "$(sqlite3 "$B" "SELECT count(*) FROM deltas WHERE tid = $tid AND
	    pk = X'$(pk 4)'")" -eq 1 ] || fail "the update is not a delta"
	tamper "UPDATE deltas SET digest = zeroblob(32)
	    WHERE tid = $tid AND pk = X'$(pk 4)'"
	dbsc scan
	expect_rc 1
	expect_out <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=tp.t pk=id=4 changed=%3F $R
EOF
	clean
	# A delta removing a row that is there.
	tamper "INSERT INTO deltas (tid, pk, digest, tags)
	    VALUES ($tid, X'$(pk 11)', NULL, NULL)"
	dbsc scan
	expect_rc 1
	expect_out <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=tp.t pk=id=11 changed=- $R
EOF
	clean
}
case_run delta_altered case_delta_altered

# A damaged row block: that table fails with an error record and its
# stored state is kept as it was; the other table is scanned; reset of the
# table makes a new baseline of it.
case_block_garbled()
{
	blocks "$tid" garble
	before=$(sqlite3 "$B" "SELECT hex(hi), hex(data) FROM blocks
	    WHERE tid = $tid ORDER BY hi")
	sql_db tp "UPDATE c SET v = 'seen' WHERE id = 1"
	dbsc scan
	expect_rc 2
	m=$(printf '%s' "baseline $B: malformed row block (a reset of the table makes a new baseline of it)" | pct)
	expect_out <<EOF
$(summary 0 1 0 1)
dbsyscheck: op=error table=tp.t msg=$m src=scan ;
dbsyscheck: op=update table=tp.c pk=id=1 changed=v $R
EOF
	[ "$(sqlite3 "$B" "SELECT hex(hi), hex(data) FROM blocks
	    WHERE tid = $tid ORDER BY hi")" = "$before" ] ||
	    fail "the damaged blocks were changed"
	dbsc reset tp.t
	dbsc scan
	expect_rc 0
	expect_empty
}
case_run block_garbled case_block_garbled

case_end

#!/bin/sh
# A damaged or foreign baseline file, or the wrong key: refused with a
# clear message (exit 2, one op=error record), the file left byte for byte
# as it was, never replaced or silently re-baselined. With the good file
# and key back, the next scan reports exactly the changes made meanwhile.
. "$(dirname "$0")/setup"

seed_init
db_start
sql "CREATE DATABASE fb"
sql_db fb "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40), w TEXT)"
# Enough rows for a baseline of many pages.
sql_db fb "INSERT INTO t SELECT seq, MD5(seq), REPEAT('w', seq % 50)
	FROM seq_1_to_5000"
dbsc_conf "fb.t"
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=baseline table=fb.t rows=5000 src=scan ;
EOF
pages=$(sqlite3 -readonly "$W/baseline.db" 'PRAGMA page_count')
fmt=$(sqlite3 -readonly "$W/baseline.db" 'PRAGMA user_version')
echo "the baseline has $pages pages"
[ "$pages" -ge 20 ] || fail "setup: the baseline is too small"

# The changes every refused run must leave for the next good one.
sql_db fb "UPDATE t SET v = 'changed' WHERE id = 7;
	DELETE FROM t WHERE id = 4000;
	INSERT INTO t VALUES (9000, 'new', '')"
cat >"$W/expected.pending" <<EOF
$(summary 1 1 1)
dbsyscheck: op=update table=fb.t pk=id=7 changed=v src=scan by=- ;
dbsyscheck: op=delete table=fb.t pk=id=4000 changed=- src=scan by=- ;
dbsyscheck: op=insert table=fb.t pk=id=9000 changed=- src=scan by=- ;
EOF
cp "$W/baseline.db" "$W/good.db"
cp "$W/hmac.key" "$W/good.key"
B=$W/baseline.db

# refused MSG [nokey]: a scan is refused with exactly MSG (a pattern of
# the encoded msg= with "~"); the baseline file is as it was (same bytes,
# same kind of file) and nothing took its place. Unless nokey, "report"
# refuses it too ("report" needs no key: it prints the queue only).
refused()
{
	_kind=$(stat -c %F "$B")
	_sum=$(bl_sha "$B")
	_key=$(bl_sha "$W/hmac.key" 2>/dev/null || echo none)
	dbsc scan
	case $1 in
	"~"*)
		expect_rc 2
		[ "$(wc -l <"$W/out")" = 2 ] || fail "not one error record"
		summary 0 0 0 1 >"$W/want.1"
		head -n 1 "$W/out" | cmp -s - "$W/want.1" ||
		    fail "not a summary with errors=1"
		tail -n 1 "$W/out" | grep -E -q \
		    "^dbsyscheck: op=error msg=${1#"~"} src=scan ;\$" ||
		    fail "not the expected error record"
		;;
	*)
		expect_error_run "$1"
		;;
	esac
	[ "$(stat -c %F "$B")" = "$_kind" ] ||
	    fail "the baseline became a $(stat -c %F "$B")"
	[ "$(bl_sha "$B")" = "$_sum" ] || fail "the baseline file changed"
	[ "$(bl_sha "$W/hmac.key" 2>/dev/null || echo none)" = "$_key" ] ||
	    fail "the key file changed"
	[ ! -e "$B.new" ] || fail "a new baseline was left at $B.new"
	[ ! -e "$B-journal" ] || fail "a journal was left at $B-journal"
	[ "${2:-}" = nokey ] && return 0
	dbsc report
	if [ "${2:-}" = unseen ]; then
		# report reads only the outbox; damage elsewhere is found by
		# the next scan. It may print nothing, but must not write.
		[ "$rc" = 2 ] || { [ "$rc" = 0 ] && [ ! -s "$W/out" ]; } ||
		    fail "report printed records from a damaged baseline"
	else
		expect_rc 2
	fi
	[ "$(bl_sha "$B")" = "$_sum" ] || fail "report changed the baseline"
}

# restore: the good baseline and key back; the pending changes come out.
restore_and_scan()
{
	rm -f "$B" "$W/hmac.key"
	cp "$W/good.db" "$B"
	cp "$W/good.key" "$W/hmac.key"
	chmod 0600 "$B" "$W/hmac.key"
	dbsc scan
	expect_rc 1
	expect_out <"$W/expected.pending"
	# Back to the state before the scan, for the next case.
	rm -f "$B"
	cp "$W/good.db" "$B"
	chmod 0600 "$B"
}

size=$(stat -c %s "$B")

case_truncated()
{
	truncate -s $((size / 2)) "$B"
	refused "baseline $B: database disk image is malformed"
	restore_and_scan
}
case_run truncated case_truncated

case_corrupted()
{
	# Four whole pages of random bytes in the middle of the file
	# (seeded): a few bytes could land in a page's free space, which
	# SQLite never reads, and rightly goes unnoticed.
	rand 8
	off=$(( (size / 4096 / 2 - 2 + r) * 4096 ))
	awk -v s="$r" 'BEGIN { srand(s); for (i = 0; i < 16384; i++)
	    printf "%c", int(rand() * 255) + 1 }' >"$W/noise"
	dd if="$W/noise" of="$B" bs=1 seek="$off" conv=notrunc 2>/dev/null
	echo "  16384 bytes overwritten at offset $off"
	# Where the damage is found decides the words before SQLite's.
	refused "~(fb\.t:%20)?baseline%20$B:%20([a-z%20]+:%20)?database%20disk%20image%20is%20malformed" unseen
	restore_and_scan
}
case_run corrupted case_corrupted

case_not_sqlite()
{
	rm -f "$B"
	head -c 16384 /dev/urandom >"$B"
	chmod 0600 "$B"
	refused "baseline $B: file is not a database"
	restore_and_scan
}
case_run not_sqlite case_not_sqlite

case_empty()
{
	rm -f "$B"
	: >"$B"
	chmod 0600 "$B"
	refused "baseline $B: not a dbsyscheck baseline, refusing to touch it"
	[ ! -s "$B" ] || fail "the empty file was written to"
	restore_and_scan
}
case_run empty case_empty

case_newer()
{
	sqlite3 "$B" 'PRAGMA user_version = 99'
	refused "baseline $B: format 99, this dbsyscheck reads formats 2 to $fmt only (written by a newer version)"
	restore_and_scan
}
case_run newer case_newer

case_older()
{
	sqlite3 "$B" 'PRAGMA user_version = 1'
	refused "baseline $B: format 1, this dbsyscheck reads formats 2 to $fmt only (written by an older version)"
	restore_and_scan
}
case_run older case_older

case_other_app()
{
	rm -f "$B"
	sqlite3 "$B" "CREATE TABLE tables (x); CREATE TABLE rows (y);
	    INSERT INTO tables VALUES ('not ours')"
	chmod 0600 "$B"
	refused "baseline $B: not a dbsyscheck baseline, refusing to touch it"
	restore_and_scan
}
case_run other_app case_other_app

case_symlink()
{
	rm -f "$B"
	cp "$W/good.db" "$W/target.db"
	ln -s "$W/target.db" "$B"
	_t=$(bl_sha "$W/target.db")
	refused "$B: is a symbolic link, refusing to use it as the baseline"
	[ -L "$B" ] || fail "the link was replaced"
	[ "$(bl_sha "$W/target.db")" = "$_t" ] || fail "the target changed"
	restore_and_scan
}
case_run symlink case_symlink

case_other_key()
{
	rm -f "$W/hmac.key"
	head -c 32 /dev/urandom >"$W/hmac.key"
	chmod 0600 "$W/hmac.key"
	refused "baseline $B was made with another key, restore the key file it was made with, or move the baseline away to start a new one" nokey
	restore_and_scan
}
case_run other_key case_other_key

case_key_missing()
{
	rm -f "$W/hmac.key"
	refused "$W/hmac.key: key file missing, but the baseline exists: restore the key (a new key would make every row look changed)" nokey
	[ ! -e "$W/hmac.key" ] || fail "a new key was created"
	restore_and_scan
}
case_run key_missing case_key_missing

case_end

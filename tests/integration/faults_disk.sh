#!/bin/sh
# No room to commit the baseline: a small filesystem (a tmpfs, as root) and
# a file-size limit (ulimit -f, which raises SIGXFSZ). The run exits 2 with
# one op=error record, the baseline stays as it was and sound (first
# baseline: none is taken), and once there is room the next run reports
# exactly the pending changes.
. "$(dirname "$0")/setup"

db_start
sql "CREATE DATABASE fd"
sql_db fd "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40), w VARCHAR(40))"
sql_db fd "INSERT INTO t SELECT seq, MD5(seq), SHA1(seq) FROM seq_1_to_5000"

# Every line of output is exactly one summary with errors=1 and one op=error
# record that says the disk (or file) is full; exit 2.
expect_full_error()
{
	expect_rc 2
	[ "$(wc -l <"$W/out")" = 2 ] || fail "not one error record"
	summary 0 0 0 1 >"$W/want.1"
	head -n 1 "$W/out" | cmp -s - "$W/want.1" ||
	    fail "not a summary with errors=1"
	tail -n 1 "$W/out" | grep -E -q \
	    '^dbsyscheck: op=error (table=fd\.t )?msg=[^ ]*(disk%20is%20full|too%20large|File%20too%20large|file%20size%20limit)[^ ]* src=scan ;$' ||
	    fail "not an error record about a full disk"
}

# sound FILE: SQLite finds FILE intact.
sound()
{
	[ "$(sqlite3 -readonly "$1" 'PRAGMA integrity_check')" = ok ] ||
	    fail "$1 is damaged"
}

# inserts_expected FROM TO: the records of inserts of ids FROM..TO.
inserts_expected()
{
	summary $(($2 - $1 + 1)) 0 0
	seq "$1" "$2" | while read -r id; do
		echo "dbsyscheck: op=insert table=fd.t pk=id=$id changed=-" \
		    "src=scan by=- ;"
	done
}

# --- A small filesystem (root only: mount(2) needs it; without it, only
# the file-size limit below is tried).
fs=$W/fs
mkdir "$fs"
tmpfs_cases()
{
	# Unmount before setup's cleanup removes the work dir.
	trap '_st=$?; umount "$fs" 2>/dev/null || umount -l "$fs"; (exit $_st);
	    _cleanup' EXIT

	dbsc_conf "fd.t"
	sed -i "s|^baseline .*|baseline $fs/baseline.db|" "$W/dbsyscheck.conf"

	echo "=== case first_baseline_no_room"
	dbsc --max-bytes 0 scan
	expect_full_error
	if [ -e "$fs/baseline.db" ]; then
		sound "$fs/baseline.db"
		[ "$(sqlite3 -readonly "$fs/baseline.db" \
		    'SELECT count(*) FROM tables')" = 0 ] ||
		    fail "a partial baseline of fd.t was kept"
	fi
	[ ! -e "$fs/baseline.db-journal" ] || fail "a journal was left behind"
	mount -o remount,size=20m "$fs"
	dbsc --max-bytes 0 scan
	expect_rc 1
	expect_out <<-EOF
	$(summary 0 0 0)
	dbsyscheck: op=baseline table=fd.t rows=5000 src=scan ;
	EOF
	echo "=== case first_baseline_no_room: PASS"

	echo "=== case commit_no_room"
	# Fill the filesystem but for a little, then add 5000 rows to scan.
	used=$(du -k "$fs" | tail -n 1 | cut -f 1)
	mount -o remount,size=$((used + 120))k "$fs"
	sql_db fd "INSERT INTO t SELECT seq, MD5(seq), SHA1(seq)
		FROM seq_5001_to_10000"
	bl_state "$fs/baseline.db" >"$W/state.before"
	dbsc --max-bytes 0 scan
	expect_full_error
	sound "$fs/baseline.db"
	bl_state "$fs/baseline.db" | cmp -s "$W/state.before" - ||
	    fail "the baseline changed"
	mount -o remount,size=20m "$fs"
	dbsc --max-bytes 0 scan
	expect_rc 1
	inserts_expected 5001 10000 | expect_out
	dbsc --max-bytes 0 scan
	expect_rc 0
	expect_empty
	echo "=== case commit_no_room: PASS"
	umount "$fs"
	trap - EXIT
	trap _cleanup EXIT
}
if mount -t tmpfs -o size=200k,mode=0700 tmpfs "$fs"; then
	tmpfs_cases
else
	echo "cannot mount a tmpfs (not root?): the file-size limit only"
fi

# --- A file-size limit: the kernel sends SIGXFSZ (which kills by default)
# and fails the write with EFBIG.
echo "=== case file_size_limit"
dbsc_conf "fd.t"
# A new installation: a key without its baseline would be refused as a
# removed baseline.
rm -f "$W/hmac.key"
sql_db fd "DELETE FROM t WHERE id > 5000"
dbsc --max-bytes 0 scan
expect_rc 1
size=$(stat -c %s "$W/baseline.db")
sql_db fd "INSERT INTO t SELECT seq, MD5(seq), SHA1(seq)
	FROM seq_5001_to_15000"
bl_save before
sum=$(bl_sha)
# ulimit -f counts 512-byte blocks in sh: room for the file as it is, and
# a little more.
(
	ulimit -f $((size / 512 + 64))
	dbsc --max-bytes 0 scan
	echo "$rc" >"$W/rc"
)
rc=$(cat "$W/rc")
killed=0
if [ "$rc" = 153 ]; then
	# Killed like a SIGKILL would: the journal left behind must still
	# protect the baseline; the next run (with room) rolls it back.
	echo "  killed by SIGXFSZ (exit 153): no op=error record, no exit 2"
	killed=1
else
	expect_full_error
	sound "$W/baseline.db"
	bl_same before
fi
dbsc --max-bytes 0 scan
expect_rc 1
inserts_expected 5001 15000 | expect_out
sound "$W/baseline.db"
[ "$killed" = 0 ] ||
    fail "dbsyscheck died of SIGXFSZ instead of failing the write (EFBIG)"
echo "=== case file_size_limit: PASS"
: "$sum"

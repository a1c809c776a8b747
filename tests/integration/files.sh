#!/bin/sh
# Every file the scanner opens is checked like OpenSSH's StrictModes
# (docs/SECURITY.md, "Files and the directories above them"): a FIFO, a
# file of another user, a file in a directory another user may write is
# refused at once, never waited on; a lock taken by someone else and a
# baseline deleted behind the key's back are alerts that report repeats
# at every run until they are resolved. The other user is nobody.
. "$(dirname "$0")/setup"

play_nobody
check="$top_srcdir/tests/ossec/check_rules.py"
# ossec_level: the level OSSEC gives the last dbsc output (full_command).
ossec_level()
{
	python3 "$check" --events full_command <"$W/out" >"$W/event" ||
	    fail "check_rules --events"
	python3 "$check" --show "$(cat "$W/event")" |
	    sed -n 's/^level: //p'
}
# A refused run: exit 2, a summary and one op=error record on stdout.
expect_refused()
{
	expect_rc 2
	head -n 1 "$W/out" | grep -q '^dbsyscheck: op=summary .* errors=1 ' ||
	    fail "no summary with errors=1"
	grep -q '^dbsyscheck: op=error .*msg=.* src=scan ;$' "$W/out" ||
	    fail "no op=error record"
}
# Runs that would block on a FIFO must not: a hang fails (rc 124).
DBSC_TIMEOUT=30

db_start
sql "CREATE DATABASE filedb"
sql_db filedb "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))"
sql_db filedb "INSERT INTO t VALUES (1, 'a')"
dbsc_conf "filedb.t"
dbsc --deliver scan
expect_rc 1

# A FIFO as the log file is refused without waiting for a writer... or a
# reader.
mkfifo -m 0600 "$W/log.fifo"
dbsc --deliver --log "$W/log.fifo" scan
expect_refused
expect_err "not a regular file"

# A FIFO as the key file, likewise (the baseline's key check never runs).
mv "$W/hmac.key" "$W/hmac.key.saved"
mkfifo -m 0600 "$W/hmac.key"
dbsc --deliver scan
expect_refused
expect_err "not a regular file"
rm "$W/hmac.key"
mv "$W/hmac.key.saved" "$W/hmac.key"

# A log file of another user, world-writable, in a directory of its own:
# refused, and not appended to.
mkdir "$W/pub"
chown nobody "$W/pub"
as_nobody sh -c "umask 0; : >'$W/pub/dbsyscheck.log'"
dbsc --deliver --log "$W/pub/dbsyscheck.log" scan
expect_refused
expect_err "$W/pub"
[ ! -s "$W/pub/dbsyscheck.log" ] || fail "the scanner wrote to nobody's log"
# The same file in a directory of root's: refused for its owner.
cp -p "$W/pub/dbsyscheck.log" "$W/foreign.log"
dbsc --deliver --log "$W/foreign.log" scan
expect_refused
expect_err "owned by uid"
[ ! -s "$W/foreign.log" ] || fail "the scanner wrote to nobody's log"
# A log file that the scanner creates has the documented mode, 0600.
dbsc --deliver --log "$W/new.log" scan
expect_rc 0
[ "$(stat -c %a "$W/new.log")" = 600 ] || fail "new log file is not 0600"

# The lock file readable by others: anyone could open it and hold the
# lock, so it is refused like a secret.
chmod 0644 "$W/baseline.db.lock"
dbsc --deliver scan
expect_refused
expect_err "chmod 600"
chmod 0600 "$W/baseline.db.lock"

# A lock held by another process (a hung run): the scan fails, and report
# says so at every run, not only after an hour, until a scan gets through.
hold_lock "$W/baseline.db.lock" 60
sql_db filedb "INSERT INTO t VALUES (2, 'b')"
dbsc --no-report scan
expect_rc 2
for i in 1 2; do
	dbsc --deliver report
	expect_refused
	grep -q 'lock' "$W/out" || fail "report $i does not name the lock"
	[ "$(ossec_level)" -ge 10 ] || fail "report $i: OSSEC level below 10"
done
# status says so too, and exits 2.
dbsc status
expect_rc 2
grep -q '^failed-scan=[0-9T:-]*Z msg=.*lock' "$W/out" ||
    fail "status does not show the scan that could not run"
release_lock
dbsc --no-report scan
expect_rc 1
dbsc status
expect_rc 0
grep -q '^failed-scan=' "$W/out" && fail "status still shows the failed scan"
dbsc --deliver report
expect_rc 1
expect_out <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=filedb.t pk=id=2 changed=- src=scan by=- ;
EOF
dbsc --deliver report
expect_rc 0
expect_empty

# A baseline in a directory another user may write: that user could hold
# the lock, plant a journal or swap the file. Refused, by scan and by
# report, at every run.
dbsc_conf "filedb.t"
sed -i "s|^baseline .*|baseline $W/pub/baseline.db|" "$W/dbsyscheck.conf"
as_nobody sh -c "umask 0; : >'$W/pub/baseline.db.lock'"
as_nobody flock "$W/pub/baseline.db.lock" sleep 60 &
holder=$!
bg_track "$holder"
dbsc --deliver scan
expect_refused
expect_err "$W/pub"
for i in 1 2; do
	dbsc --deliver report
	expect_refused
	expect_err "$W/pub"
done
bg_kill "$holder"

# The baseline deleted while its key is there: not a quiet new baseline
# but a tamper-level alert, at every scan and report, until reset.
dbsc_conf "filedb.t"
rm "$W/baseline.db"
sql_db filedb "UPDATE t SET v = 'pw' WHERE id = 1"
for i in 1 2; do
	dbsc --deliver scan
	expect_refused
	grep -q '^dbsyscheck: op=error baseline=tampered msg=[^ ]* src=scan ;$' \
	    "$W/out" || fail "scan $i: no op=error baseline=tampered record"
	[ "$(ossec_level)" = 13 ] || fail "scan $i: OSSEC level is not 13"
	[ ! -e "$W/baseline.db" ] || fail "scan $i made a new baseline"
done
dbsc --deliver report
expect_refused
grep -q ' baseline=tampered ' "$W/out" || fail "report: no tamper record"
[ "$(ossec_level)" = 13 ] || fail "report: OSSEC level is not 13"
dbsc status
expect_rc 2
expect_err "is missing but its key"
dbsc --deliver reset
expect_rc 0
dbsc --deliver scan
expect_rc 0
expect_empty
dbsc --deliver report
expect_rc 0
expect_empty

# A baseline whose directory's parent is missing: the message says what
# to create (dbsyscheck makes only the last directory).
sed -i "s|^baseline .*|baseline $W/no/such/baseline.db|" "$W/dbsyscheck.conf"
sed -i "s|^key .*|key $W/no/such/hmac.key|" "$W/dbsyscheck.conf"
dbsc --deliver scan
expect_rc 2
expect_err "so create them first, for instance with install -d -m 0755 '$W/no')"

exit 0

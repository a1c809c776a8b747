#!/bin/sh
# The sinks: --log FILE appends one syslog-style line per record
# ("YYYY-MM-DDTHH:MM:SS.ffffff+00:00 HOST dbsyscheck[PID]: op=... ;", never
# "YYYY-MM-DD HH:MM:SS "), summary included, uncapped while standard output
# stays capped, each record once; scan --no-report --log leaves nothing
# queued; direct errors reach the log; --format json on standard output and
# in the log (valid JSON, "timestamp" and "host" first) with the exact
# records of the classic example; --syslog through a /dev/log of our own in
# a private mount namespace.
. "$(dirname "$0")/setup"

command -v jq >/dev/null 2>&1 || fail "jq not found (scripts/deps.sh)"
command -v python3 >/dev/null 2>&1 || fail "python3 not found"

db_start
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (
	id INT PRIMARY KEY AUTO_INCREMENT,
	login VARCHAR(20) NOT NULL,
	password VARCHAR(60) NOT NULL)"
sql_db acme "INSERT INTO users VALUES (1, 'alice', 'a1'), (2, 'bob', 'b1')"
sql_db acme "CREATE TABLE many (id INT PRIMARY KEY, v INT NOT NULL)"
dbsc_conf "acme.users" "acme.many"

# A second configuration and baseline for the JSON runs: it sees the same
# changes.
sed -e "s|^baseline .*|baseline $W/json.db|" -e "s|^key .*|key $W/json.key|" \
    "$W/dbsyscheck.conf" >"$W/json.conf"
chmod 0600 "$W/json.conf"

# The host as the log writes it (anything but [A-Za-z0-9._-] becomes _).
host=$(uname -n | sed 's/[^A-Za-z0-9._-]/_/g')
[ -n "$host" ] || host=localhost
host_re=$(printf '%s' "$host" | sed 's/\./\\./g')
stamp_re="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}"
text_re="^$stamp_re\\+00:00 $host_re dbsyscheck\\[[0-9]+\\]: "

# log_new FILE: the lines FILE got since the last log_new FILE (the count
# seen so far is kept in FILE.seen).
log_new()
{
	_seen=$(cat "$1.seen" 2>/dev/null || echo 0)
	_total=$(wc -l <"$1" 2>/dev/null || echo 0)
	[ "$_total" -ge "$_seen" ] || fail "$1 shrank"
	tail -n +"$((_seen + 1))" "$1" 2>/dev/null |
	    head -n "$((_total - _seen))"
	echo "$_total" >"$1.seen"
}

# expect_log FILE <<EOF: FILE got exactly these records (text lines with
# the "dbsyscheck: " prefix, as on standard output), each after a valid
# header.
expect_log()
{
	cat >"$W/log.expected"
	log_new "$1" >"$W/log.new"
	sed 's/^/  log| /' "$W/log.new"
	if grep -E -v "${text_re}op=[a-z]+ .* ;\$" "$W/log.new" >"$W/log.bad"
	then
		cat "$W/log.bad" >&2
		fail "$1: lines not in the log format"
	fi
	! grep -E -q '^[0-9]{4}-[0-9]{2}-[0-9]{2} [ 0-9][0-9]:' "$W/log.new" ||
	    fail "$1: a line starts YYYY-MM-DD HH:MM:SS"
	# One run, one process: the same pid on every line.
	[ "$(sed -E 's/^[^ ]+ [^ ]+ (dbsyscheck\[[0-9]+\]):.*/\1/' \
	    "$W/log.new" | sort -u | wc -l)" -le 1 ] ||
	    fail "$1: lines of one run name different processes"
	sed -E "s/$text_re/dbsyscheck: /" "$W/log.new" >"$W/log.bodies"
	if ! cmp -s "$W/log.expected" "$W/log.bodies"; then
		echo "--- $1 differs (- expected, + actual):" >&2
		diff -u "$W/log.expected" "$W/log.bodies" >&2 || true
		fail "unexpected log lines"
	fi
}

# jsum I U D [E [P]]: the JSON summary.
jsum()
{
	printf '{"program":"dbsyscheck","op":"summary","inserts":"%s",' "$1"
	printf '"updates":"%s","deletes":"%s","errors":"%s","pending":"%s"}\n' \
	    "$2" "$3" "${4:-0}" "${5:-0}"
}

# expect_json_log FILE: FILE got one JSON line for each line of the last
# standard output (run with --format json): "timestamp" and "host" first,
# then the same object.
expect_json_log()
{
	log_new "$1" >"$W/log.new"
	sed 's/^/  log| /' "$W/log.new"
	jq -e . "$W/log.new" >/dev/null 2>&1 || fail "$1: not JSON lines"
	[ "$(wc -l <"$W/log.new")" = "$(wc -l <"$W/out")" ] ||
	    fail "$1: not one line per record"
	jq -c 'keys_unsorted[0:2]' "$W/log.new" | sort -u >"$W/log.keys"
	echo '["timestamp","host"]' | cmp -s - "$W/log.keys" ||
	    fail "$1: \"timestamp\" and \"host\" are not first"
	jq -r '.timestamp' "$W/log.new" | grep -E -v "^${stamp_re}Z\$" &&
	    fail "$1: a timestamp is not YYYY-MM-DDTHH:MM:SS.ffffffZ"
	jq -r '.host' "$W/log.new" | grep -F -v -x "$host" &&
	    fail "$1: a host is not $host"
	jq -c 'del(.timestamp, .host)' "$W/log.new" >"$W/log.objects"
	if ! cmp -s "$W/out" "$W/log.objects"; then
		diff -u "$W/out" "$W/log.objects" >&2 || true
		fail "$1: the records differ from standard output"
	fi
}

# expect_queued N: status says N queued records.
expect_queued()
{
	dbsc status
	expect_rc 0
	grep -qx "queued records=$1" "$W/out" ||
	    fail "status does not say queued records=$1"
}

# Some text in the log before: it is appended to, never truncated.
echo "an older line" >"$W/text.log"
echo 1 >"$W/text.log.seen"

echo "=== case classic"
R='src=scan by=- ;'
dbsc --deliver --log "$W/text.log" scan acme.users
expect_rc 1
expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=baseline table=acme.users rows=2 src=scan ;
EOF
expect_log "$W/text.log" <"$W/out"
dbsc --deliver -c "$W/json.conf" --format json --log "$W/json.log" scan acme.users
expect_rc 1
expect_out <<EOF
$(jsum 0 0 0)
{"program":"dbsyscheck","op":"baseline","table":"acme.users","rows":"2","src":"scan"}
EOF
expect_json_log "$W/json.log"

sql_db acme "INSERT INTO users VALUES (7, 'xavier', 'x1')"
dbsc --deliver --log "$W/text.log" scan acme.users
expect_rc 1
expect_out <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=acme.users pk=id=7 changed=- $R
EOF
expect_log "$W/text.log" <"$W/out"
dbsc --deliver -c "$W/json.conf" --format json --log "$W/json.log" scan acme.users
expect_rc 1
expect_out <<EOF
$(jsum 1 0 0)
{"program":"dbsyscheck","op":"insert","table":"acme.users","pk":"id=7","changed":"-","src":"scan","by":"-"}
EOF
expect_json_log "$W/json.log"

sql_db acme "UPDATE users SET password = 'x2' WHERE id = 7"
dbsc --deliver --log "$W/text.log" scan acme.users
expect_rc 1
expect_out <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=acme.users pk=id=7 changed=password $R
EOF
expect_log "$W/text.log" <"$W/out"
dbsc --deliver -c "$W/json.conf" --format json --log "$W/json.log" scan acme.users
expect_rc 1
expect_out <<EOF
$(jsum 0 1 0)
{"program":"dbsyscheck","op":"update","table":"acme.users","pk":"id=7","changed":"password","src":"scan","by":"-"}
EOF
expect_json_log "$W/json.log"

sql_db acme "DELETE FROM users WHERE id = 7"
dbsc --deliver --log "$W/text.log" scan acme.users
expect_rc 1
expect_out <<EOF
$(summary 0 0 1)
dbsyscheck: op=delete table=acme.users pk=id=7 changed=- $R
EOF
expect_log "$W/text.log" <"$W/out"
dbsc --deliver -c "$W/json.conf" --format json --log "$W/json.log" scan acme.users
expect_rc 1
expect_out <<EOF
$(jsum 0 0 1)
{"program":"dbsyscheck","op":"delete","table":"acme.users","pk":"id=7","changed":"-","src":"scan","by":"-"}
EOF
expect_json_log "$W/json.log"

# Nothing changed: nothing printed, nothing logged.
dbsc --deliver --log "$W/text.log" scan acme.users
expect_rc 0
expect_empty
expect_log "$W/text.log" </dev/null
[ "$(head -n 1 "$W/text.log")" = "an older line" ] ||
    fail "the log was not appended to"
# A log it creates is 0600; one that exists keeps its mode.
[ "$(stat -c %a "$W/json.log")" = 600 ] || fail "a new log is not 0600"
[ "$(stat -c %a "$W/text.log")" = 644 ] || fail "the log's mode changed"
echo "=== case classic: PASS"

# The first scan of acme.many, for both configurations.
dbsc --deliver --log "$W/text.log" scan acme.many
expect_rc 1
expect_log "$W/text.log" <"$W/out"
dbsc --deliver -c "$W/json.conf" --format json --log "$W/json.log" scan acme.many
expect_rc 1
expect_json_log "$W/json.log"

# many_records A B: insert rows A..B into acme.many; their records in
# $W/many.
many_records()
{
	sql_db acme "INSERT INTO many SELECT seq, seq FROM seq_$1_to_$2"
	_i=$1
	while [ "$_i" -le "$2" ]; do
		echo "dbsyscheck: op=insert table=acme.many pk=id=$_i changed=- $R"
		_i=$((_i + 1))
	done >"$W/many"
}

echo "=== case uncapped_log"
# 200 records: standard output gets at most 5400 bytes, the log all of
# them after one summary, and later runs log none of them again.
many_records 1 200
dbsc --deliver --log "$W/text.log" scan acme.many
expect_rc 1
[ "$(wc -c <"$W/out")" -le 5400 ] || fail "standard output not capped"
printed=$(($(wc -l <"$W/out") - 1))
[ "$printed" -lt 200 ] || fail "all 200 records fit in 5400 bytes?"
head -n 1 "$W/out" >"$W/out.1"
summary "$printed" 0 0 0 $((200 - printed)) | cmp -s - "$W/out.1" ||
    fail "the summary does not say pending=$((200 - printed))"
tail -n +2 "$W/out" >"$W/printed"
{
	summary 200 0 0
	cat "$W/many"
} | expect_log "$W/text.log"
[ "$(wc -c <"$W/log.new")" -gt 5400 ] || fail "the log was capped"
n=0
while [ "$(wc -l <"$W/printed")" -lt 200 ]; do
	n=$((n + 1))
	[ "$n" -le 10 ] || fail "the queue does not drain"
	dbsc --deliver --log "$W/text.log" report
	expect_rc 1
	tail -n +2 "$W/out" >>"$W/printed"
	expect_log "$W/text.log" </dev/null
done
cmp -s "$W/many" "$W/printed" || fail "standard output lost or repeated records"
dbsc --deliver --log "$W/text.log" report
expect_rc 0
expect_empty
expect_log "$W/text.log" </dev/null
# The same in JSON: standard output capped, the log whole.
dbsc --deliver -c "$W/json.conf" --format json --log "$W/json.log" scan acme.many
expect_rc 1
[ "$(wc -c <"$W/out")" -le 5400 ] || fail "JSON standard output not capped"
log_new "$W/json.log" >"$W/log.new"
[ "$(wc -l <"$W/log.new")" = 201 ] || fail "the JSON log lacks records"
jq -e . "$W/log.new" >/dev/null 2>&1 || fail "the JSON log is not JSON"
[ "$(jq -r 'select(.op == "summary") | .inserts + " " + .pending' \
    "$W/log.new")" = "200 0" ] || fail "the JSON log's summary is wrong"
dbsc --deliver -c "$W/json.conf" --format json --max-bytes 0 --log "$W/json.log" report
expect_rc 1
log_new "$W/json.log" >"$W/log.new"
[ ! -s "$W/log.new" ] || fail "records were logged twice"
echo "=== case uncapped_log: PASS"

echo "=== case no_report_log"
# scan --no-report --log: the log is the channel; nothing stays queued.
many_records 201 250
dbsc --no-report --log "$W/text.log" scan acme.many
expect_rc 1
expect_empty
{
	summary 50 0 0
	cat "$W/many"
} | expect_log "$W/text.log"
expect_queued 0
dbsc --deliver report
expect_rc 0
expect_empty
# Queued without a sink, then reported with one: logged once.
many_records 251 260
dbsc --no-report scan acme.many
expect_rc 1
expect_empty
expect_queued 10
dbsc --deliver --log "$W/text.log" report
expect_rc 1
{
	summary 10 0 0
	cat "$W/many"
} | expect_out
expect_log "$W/text.log" <"$W/out"
dbsc --deliver --log "$W/text.log" report
expect_rc 0
expect_empty
expect_log "$W/text.log" </dev/null
dbsc --deliver --log "$W/text.log" scan
expect_rc 0
expect_empty
expect_log "$W/text.log" </dev/null
echo "=== case no_report_log: PASS"

echo "=== case direct_errors"
# Errors written directly (never queued) reach the log too.
hold_lock "$W/baseline.db.lock" 60
dbsc --deliver --log "$W/text.log" scan
expect_rc 2
expect_err lock
m=$(printf '%s' "another dbsyscheck run holds the lock $W/baseline.db.lock" |
    pct)
expect_out <<EOF
$(summary 0 0 0 1)
dbsyscheck: op=error msg=$m src=scan ;
EOF
expect_log "$W/text.log" <"$W/out"
dbsc --deliver --format json --log "$W/json.log" scan
expect_rc 2
expect_out <<EOF
$(jsum 0 0 0 1)
{"program":"dbsyscheck","op":"error","msg":"$m","src":"scan"}
EOF
expect_json_log "$W/json.log"
release_lock

# A baseline that is not one: report fails before it can queue anything.
printf 'this is not an SQLite file, it only looks like a baseline\n' \
    >"$W/garbage.db"
sed "s|^baseline .*|baseline $W/garbage.db|" "$W/dbsyscheck.conf" \
    >"$W/garbage.conf"
chmod 0600 "$W/garbage.conf"
dbsc --deliver -c "$W/garbage.conf" --log "$W/text.log" report
expect_rc 2
[ "$(wc -l <"$W/out")" = 2 ] || fail "not a summary and an error"
head -n 1 "$W/out" >"$W/out.1"
summary 0 0 0 1 | cmp -s - "$W/out.1" || fail "no summary with errors=1"
grep -q '^dbsyscheck: op=error msg=[^ ]*garbage\.db[^ ]* src=scan ;$' \
    "$W/out" || fail "no op=error record naming the baseline"
expect_log "$W/text.log" <"$W/out"

# A table that is not watched.
dbsc --deliver --log "$W/text.log" scan acme.nope
expect_rc 2
m=$(printf '%s' "acme.nope: not a watched table in $W/dbsyscheck.conf" | pct)
expect_out <<EOF
$(summary 0 0 0 1)
dbsyscheck: op=error msg=$m src=scan ;
EOF
expect_log "$W/text.log" <"$W/out"

# A log that cannot be opened: standard output says so.
dbsc --deliver --log "$W/nodir/x.log" scan
expect_rc 2
m=$(printf '%s' "$W/nodir/x.log: No such file or directory" | pct)
expect_out <<EOF
$(summary 0 0 0 1)
dbsyscheck: op=error msg=$m src=scan ;
EOF
[ ! -e "$W/nodir" ] || fail "the log's directory was created"
echo "=== case direct_errors: PASS"

echo "=== case log_write_fails"
# Writing the log fails (EFBIG): nothing is marked given to the log or
# delivered; the next run with a working log has it all.
many_records 261 265
dbsc --no-report scan acme.many
expect_rc 1
expect_queued 5
# A log that cannot grow: already as large as the file-size limit, so
# every write to it fails with EFBIG (/dev/full is no longer accepted: no
# device is). The limit leaves room for the small outputs of the run.
head -c 4096 /dev/zero | tr '\0' x >"$W/full.log"
(
	ulimit -f 8
	dbsc --deliver --log "$W/full.log" report
	echo "$rc" >"$W/rc"
) >"$W/full.trace" 2>&1
cat "$W/full.trace"
rc=$(cat "$W/rc")
expect_rc 2
expect_err "File too large"
expect_queued 5
dbsc --deliver --log "$W/text.log" report
expect_rc 1
{
	summary 5 0 0
	cat "$W/many"
} | expect_out
expect_log "$W/text.log" <"$W/out"
echo "=== case log_write_fails: PASS"

echo "=== case syslog"
# --syslog: a /dev/log of our own in a private mount namespace (unshare -m
# as root, else with a user namespace too); no other process sees it.
if [ "$(id -u)" = 0 ]; then
	ns="unshare -m"
else
	ns="unshare -r -m"
fi
if ! $ns sh -c 'mount -t tmpfs tmpfs /mnt' 2>/dev/null; then
	# No namespace: only check that --syslog runs cleanly.
	echo "NOTE: $test_name: no private mount namespace ($ns failed);" \
	    "--syslog is only checked to run cleanly, not its messages" >&2
	many_records 266 266
	dbsc --deliver --syslog scan acme.many
	expect_rc 1
	{
		summary 1 0 0
		cat "$W/many"
	} | expect_out
	echo "=== case syslog: PASS (messages not checked)"
	echo "$test_name: all cases passed"
	exit 0
fi

cat >"$W/listen.py" <<'EOF'
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1] + ".tmp")
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
with open(sys.argv[2], "ab", buffering=0) as out:
    while True:
        out.write(s.recv(65536).replace(b"\n", b"\\n") + b"\n")
EOF
: >"$W/syslog"
python3 "$W/listen.py" "$W/log.sock" "$W/syslog" 2>"$W/listen.err" &
listener=$!
bg_track "$listener"
n=0
while [ ! -S "$W/log.sock" ]; do
	n=$((n + 1))
	[ "$n" -lt 300 ] && _alive "$listener" ||
	    fail "the syslog listener did not start: $(cat "$W/listen.err")"
	sleep 0.1
done
mkdir "$W/realdev"

# dbsc_ns [args...]: dbsc inside the namespace, /dev/log our socket (or
# $ns_log).
ns_log=$W/log.sock
dbsc_ns()
{
	echo "+ dbsyscheck $* (/dev/log is $ns_log)"
	rc=0
	# shellcheck disable=SC2016
	$ns sh -c '
		set -e
		W=$1
		L=$2
		shift 2
		mount --make-rprivate /
		mount --rbind /dev "$W/realdev"
		mount -t tmpfs -o mode=0755 tmpfs /dev
		for n in null zero full random urandom tty; do
			ln -s "$W/realdev/$n" "/dev/$n"
		done
		ln -s /proc/self/fd /dev/fd
		ln -s "$L" /dev/log
		exec "$@"' sh "$W" "$ns_log" timeout -k 5 "$DBSC_TIMEOUT" $dbsc_wrap \
	    "$top_builddir/dbsyscheck" -c "$W/dbsyscheck.conf" "$@" \
	    >"$W/out" 2>"$W/errout" </dev/null || rc=$?
	_tool_keep "$W/errout"
	sed 's/^/  out| /' "$W/out"
	sed 's/^/  err| /' "$W/errout"
	echo "  exit $rc"
	[ "$rc" -ne 124 ] || fail "dbsyscheck $* hung"
}

# expect_syslog <<EOF: the listener got exactly these messages since the
# last look, each "PRI BODY" (PRI 29 daemon.notice, 28 daemon.warning),
# after a syslog(3) header naming dbsyscheck and its pid.
expect_syslog()
{
	cat >"$W/sys.expected"
	_want=$(wc -l <"$W/sys.expected")
	_seen=$(cat "$W/syslog.seen" 2>/dev/null || echo 0)
	_n=0
	while [ "$(wc -l <"$W/syslog")" -lt $((_seen + _want)) ]; do
		_n=$((_n + 1))
		[ "$_n" -lt 300 ] || break
		sleep 0.1
	done
	log_new "$W/syslog" >"$W/sys.new"
	sed 's/^/  syslog| /' "$W/sys.new"
	grep -E -v '^<[0-9]+>[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} dbsyscheck\[[0-9]+\]: ' \
	    "$W/sys.new" && fail "syslog messages without the header"
	sed -E 's/^<([0-9]+)>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} dbsyscheck\[[0-9]+\]: /\1 /' \
	    "$W/sys.new" >"$W/sys.bodies"
	if ! cmp -s "$W/sys.expected" "$W/sys.bodies"; then
		diff -u "$W/sys.expected" "$W/sys.bodies" >&2 || true
		fail "unexpected syslog messages"
	fi
}

many_records 266 267
dbsc_ns --deliver --syslog scan acme.many
expect_rc 1
{
	summary 2 0 0
	cat "$W/many"
} | expect_out
expect_syslog <<EOF
29 op=summary inserts=2 updates=0 deletes=0 errors=0 pending=0 ;
29 op=insert table=acme.many pk=id=266 changed=- $R
29 op=insert table=acme.many pk=id=267 changed=- $R
EOF
# Given once: not again.
dbsc_ns --deliver --syslog report
expect_rc 0
expect_empty
expect_syslog </dev/null
# Warnings: reset (and error, schema, missing); --no-report with --syslog
# leaves nothing queued.
dbsc_ns --syslog --no-report reset acme.users
expect_rc 0
expect_empty
expect_syslog <<EOF
29 op=summary inserts=0 updates=0 deletes=0 errors=0 pending=0 ;
28 op=reset table=acme.users rows=2 src=scan by=$(printf "%s" "$(id -un)" | pct) ;
EOF
expect_queued 0
dbsc_ns --deliver --syslog scan acme.nope
expect_rc 2
m=$(printf '%s' "acme.nope: not a watched table in $W/dbsyscheck.conf" | pct)
expect_syslog <<EOF
29 op=summary inserts=0 updates=0 deletes=0 errors=1 pending=0 ;
28 op=error msg=$m src=scan ;
EOF
# The text messages as a syslog daemon writes them to a file (the
# traditional format: time, host, tag and message) decode and raise the
# rules of docs/OSSEC.md: as they came, and with the day of the month
# both ways syslog writes it ("Jan  7", "Dec 17"), whatever today is.
# Any local user writes such lines (logger -t dbsyscheck): the rules
# never trust syslog, so every record is the untrusted rule 100304.
for day in '' 'Jan  7' 'Dec 17'; do
	if [ -n "$day" ]; then
		sed -E "s/^<([0-9]+)>[A-Z][a-z]{2} [ 0-9][0-9] /<\\1>$day /" \
		    "$W/syslog"
	else
		cat "$W/syslog"
	fi
done | sed -E "s/^<[0-9]+>([A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8}) /\\1 $host /" \
    >"$W/syslog.file"
grep -q '^Jan  7 ' "$W/syslog.file" && grep -q '^Dec 17 ' "$W/syslog.file" ||
    fail "the syslog lines were not rewritten"
for day in 1 2 3; do
	printf '%s\n' 100304 100304 100304 100304 100304 100304 100304
done >"$W/syslog.rules"
paste "$W/syslog.rules" "$W/syslog.file" >"$W/syslog.cases"
sed 's/^/  case| /' "$W/syslog.cases"
python3 "$top_srcdir/tests/ossec/check_rules.py" "$W/syslog.cases" ||
    fail "syslog lines not decoded as docs/OSSEC.md says"
python3 "$top_srcdir/tests/ossec/check_rules.py" --wazuh "$W/syslog.cases" ||
    fail "syslog lines not decoded as docs/OSSEC.md says (Wazuh)"
# JSON messages.
many_records 268 268
dbsc_ns --deliver --syslog --format json scan acme.many
expect_rc 1
expect_syslog <<EOF
29 $(jsum 1 0 0)
29 {"program":"dbsyscheck","op":"insert","table":"acme.many","pk":"id=268","changed":"-","src":"scan","by":"-"}
EOF
# The namespace's /dev/log never showed outside it.
[ "$(readlink /dev/log 2>/dev/null)" != "$W/log.sock" ] ||
    fail "/dev/log leaked"
echo "=== case syslog: PASS"

case_syslog_unreachable()
{
	# No syslog daemon (nothing listens on /dev/log): syslog(3) drops
	# messages without a word, so no record may leave the queue.
	many_records 269 270
	ns_log=$W/nobody.sock
	dbsc_ns --syslog --no-report scan acme.many
	ns_log=$W/log.sock
	expect_empty
	expect_syslog </dev/null
	expect_queued 2
	dbsc_ns --deliver --syslog --max-bytes 0 report
	expect_rc 1
	{
		summary 2 0 0
		cat "$W/many"
	} | expect_out
	expect_syslog <<EOF
29 op=summary inserts=2 updates=0 deletes=0 errors=0 pending=0 ;
29 op=insert table=acme.many pk=id=269 changed=- $R
29 op=insert table=acme.many pk=id=270 changed=- $R
EOF
}
case_run syslog_unreachable case_syslog_unreachable

case_end

#!/bin/sh
# The outbox and --max-bytes: a capped run prints its summary and a
# whole-line prefix of the queue within the cap (as many records as fit),
# later runs print the rest in order with no loss and no duplicate; the
# default cap is 5400 bytes when standard output is not a terminal and
# there is none on a terminal; --max-bytes 0 is unlimited, below 5120 is
# refused; nothing queued prints nothing; scan --no-report queues; a
# reader that goes away (EPIPE) loses no record not yet written whole.
# Every expected output is computed from a model of the queue ($W/queue).
. "$(dirname "$0")/setup"

db_start
sql "CREATE DATABASE ob"
sql_db ob "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20) NOT NULL)"
sql_db ob "INSERT INTO t VALUES (1, 'one')"
dbsc_conf "ob.t"
dbsc --deliver scan
expect_rc 1
expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=baseline table=ob.t rows=1 src=scan ;
EOF

# The records queued and not yet printed, in order, as text lines.
: >"$W/queue"

# queue_inserts A B: insert rows A..B; their records join the model queue
# (the next scan queues them, in key order).
queue_inserts()
{
	sql_db ob "INSERT INTO t SELECT seq, CONCAT('v', seq) FROM seq_$1_to_$2"
	_i=$1
	while [ "$_i" -le "$2" ]; do
		echo "dbsyscheck: op=insert table=ob.t pk=id=$_i changed=- src=scan by=- ;"
		_i=$((_i + 1))
	done >>"$W/queue"
}

# model CAP [json]: what a run must print for the model queue with
# --max-bytes CAP (0: no cap), into $W/model; $model_k is the number of
# records it takes. The summary counts the records taken and says how many
# stay (pending=); records are taken while summary plus records fit.
model()
{
	model_k=$(awk -v cap="$1" -v fmt="${2:-text}" -v out="$W/model" '
	function line(body,   n, i, f, eq, s) {
		if (fmt == "text")
			return "dbsyscheck: " body
		sub(/ ;$/, "", body)
		n = split(body, f, " ")
		s = "{\"program\":\"dbsyscheck\""
		for (i = 1; i <= n; i++) {
			eq = index(f[i], "=")
			s = s ",\"" substr(f[i], 1, eq - 1) "\":\"" \
			    substr(f[i], eq + 1) "\""
		}
		return s "}"
	}
	function summ(ins, upd, del, err, pend) {
		return line("op=summary inserts=" ins " updates=" upd \
		    " deletes=" del " errors=" err " pending=" pend " ;")
	}
	{
		body[NR] = substr($0, length("dbsyscheck: ") + 1)
		op = body[NR]
		sub(/^op=/, "", op)
		sub(/ .*/, "", op)
		ops[NR] = op
	}
	END {
		printf "" >out
		if (NR == 0) {
			print 0
			exit
		}
		c["insert"] = c["update"] = c["delete"] = c["error"] = 0
		used = 0
		for (k = 0; k < NR; k++) {
			for (o in c)
				d[o] = c[o]
			d[ops[k + 1]]++
			l = line(body[k + 1])
			s = summ(d["insert"], d["update"], d["delete"],
			    d["error"], NR - k - 1)
			need = length(s) + 1 + used + length(l) + 1
			if (cap > 0 && need > cap)
				break
			c[ops[k + 1]]++
			used += length(l) + 1
		}
		print summ(c["insert"], c["update"], c["delete"], c["error"],
		    NR - k) >out
		for (i = 1; i <= k; i++)
			print line(body[i]) >out
		print k
	}' "$W/queue")
}

# model_pop K: the first K records of the model queue were delivered.
model_pop()
{
	tail -n +"$(($1 + 1))" "$W/queue" >"$W/queue.tmp"
	mv "$W/queue.tmp" "$W/queue"
}

# expect_model CAP [json]: the last run printed what the model says for
# CAP, within CAP bytes, ending on a newline; the records it took are
# delivered.
expect_model()
{
	model "$@"
	expect_out <"$W/model"
	if [ "$1" != 0 ]; then
		[ "$(wc -c <"$W/out")" -le "$1" ] ||
		    fail "$(wc -c <"$W/out") bytes printed, more than $1"
	fi
	[ ! -s "$W/out" ] ||
	    [ "$(tail -c 1 "$W/out" | od -An -c | tr -d ' ')" = '\n' ] ||
	    fail "the output does not end with a newline"
	model_pop "$model_k"
}

# expect_queued: status says how many records the model holds.
expect_queued()
{
	dbsc status
	expect_rc 0
	grep -qx "queued records=$(wc -l <"$W/queue" | tr -d ' ')" "$W/out" ||
	    fail "status does not say queued records=$(wc -l <"$W/queue")"
}

# pipe_run READER [args...]: run dbsyscheck with its standard output piped
# into the shell command READER (whose output goes to $W/out); the exit
# status of dbsyscheck in $rc, its standard error in $W/errout.
pipe_run()
{
	_reader=$1
	shift
	echo "+ dbsyscheck $* | $_reader"
	{
		_prc=0
		timeout -k 5 "$DBSC_TIMEOUT" $dbsc_wrap \
		    "$top_builddir/dbsyscheck" -c "$W/dbsyscheck.conf" "$@" \
		    2>"$W/errout" </dev/null || _prc=$?
		echo "$_prc" >"$W/pipe.rc"
	} | eval "$_reader" >"$W/out"
	rc=$(cat "$W/pipe.rc")
	_tool_keep "$W/errout"
	sed 's/^/  out| /' "$W/out"
	sed 's/^/  err| /' "$W/errout"
	echo "  exit $rc"
	[ "$rc" -ne 124 ] || fail "dbsyscheck $* hung"
}

# A reader that takes exactly N bytes and then closes its end of the pipe,
# or (N = -1) one that closed it before dbsyscheck started. The pipe holds
# one page, so a longer output blocks dbsyscheck; once it sleeps in write(2)
# on its standard output the bytes it got out are what was read plus what
# the pipe holds. Prints dbsyscheck's exit status and that byte count.
cat >"$W/pipe.py" <<'EOF'
import fcntl, os, struct, subprocess, sys, termios, time

limit, n, got_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
cmd = sys.argv[4:]
r, w = os.pipe()
if n < 0:
    os.close(r)
    p = subprocess.Popen(cmd, stdout=w, stdin=subprocess.DEVNULL)
    os.close(w)
    print(p.wait(timeout=limit), 0)
    sys.exit(0)
fcntl.fcntl(w, 1031, 4096)          # F_SETPIPE_SZ: one page
p = subprocess.Popen(cmd, stdout=w, stdin=subprocess.DEVNULL)
os.close(w)
got = b""
while len(got) < n:
    d = os.read(r, n - len(got))
    if not d:
        break
    got += d
held = 0
deadline = time.time() + limit
while p.poll() is None:
    try:
        with open("/proc/%d/syscall" % p.pid) as f:
            sc = f.read().split()
    except OSError:
        sc = []
    if len(sc) > 1 and sc[0] == "1" and int(sc[1], 16) == 1:
        held = struct.unpack("i", fcntl.ioctl(r, termios.FIONREAD,
                                              b"\0\0\0\0"))[0]
        break
    if time.time() > deadline:
        p.kill()
        sys.exit("pipe.py: dbsyscheck never blocked writing")
    time.sleep(0.01)
else:
    # It finished: everything fit in the pipe.
    held = struct.unpack("i", fcntl.ioctl(r, termios.FIONREAD,
                                          b"\0\0\0\0"))[0]
os.close(r)
with open(got_path, "wb") as f:
    f.write(got)
print(p.wait(timeout=limit), len(got) + held)
EOF

# pyreader N [args...]: run dbsyscheck into pipe.py; $rc and $written.
pyreader()
{
	_n=$1
	shift
	echo "+ dbsyscheck $* | (reader of $_n bytes)"
	_res=$(python3 "$W/pipe.py" "$DBSC_TIMEOUT" "$_n" "$W/out" \
	    $dbsc_wrap "$top_builddir/dbsyscheck" -c "$W/dbsyscheck.conf" \
	    "$@" 2>"$W/errout") || fail "pipe.py failed"
	set -- $_res
	rc=$1
	written=$2
	_tool_keep "$W/errout"
	sed 's/^/  err| /' "$W/errout"
	echo "  exit $rc, $written bytes written"
}

# expect_acked BYTES: of the model output ($W/model, for no cap), the lines
# that ended within BYTES were delivered: pop their records.
expect_acked()
{
	_k=$(awk -v b="$1" '{ n += length($0) + 1; if (n > b) exit; k = NR }
	    END { print (k > 0 ? k - 1 : 0) }' "$W/model")
	echo "  $_k records were written whole"
	model_pop "$_k"
}

command -v python3 >/dev/null 2>&1 || fail "python3 not found"
command -v script >/dev/null 2>&1 || fail "script(1) not found (util-linux)"
[ -r "/proc/$$/syscall" ] || fail "/proc/PID/syscall cannot be read"

echo "=== case capped_scan"
# 200 records, --max-bytes 5120: the summary and as many whole records as
# fit; pending= is exact.
queue_inserts 100 299
dbsc --deliver --max-bytes 5120 scan
expect_rc 1
expect_model 5120
[ "$model_k" -ge 10 ] && [ "$model_k" -lt 200 ] ||
    fail "took $model_k records of 200"
expect_queued
# Then report runs print the rest, in order, until nothing is left.
n=0
while [ -s "$W/queue" ]; do
	n=$((n + 1))
	[ "$n" -le 10 ] || fail "the queue does not drain"
	dbsc --deliver --max-bytes 5120 report
	expect_rc 1
	expect_model 5120
	expect_queued
done
dbsc --deliver --max-bytes 5120 report
expect_rc 0
expect_empty
echo "=== case capped_scan: PASS"

echo "=== case queued_first"
# What an earlier run left queued comes first, in order, before the
# records of the run that prints it; a scan with no change of its own
# prints what is queued (exit 1).
queue_inserts 2000 2149
dbsc --deliver --max-bytes 5120 scan
expect_rc 1
expect_model 5120
queue_inserts 2150 2159
dbsc --deliver scan
expect_rc 1
expect_model 5400
grep -q ' pending=[1-9]' "$W/out" || fail "nothing left for the next scan"
dbsc --deliver --max-bytes 0 scan
expect_rc 1
expect_model 0
expect_queued
echo "=== case queued_first: PASS"

echo "=== case nothing_to_report"
# No change: nothing at all, not even a summary; exit 0.
dbsc --deliver scan
expect_rc 0
expect_empty
dbsc --deliver report
expect_rc 0
expect_empty
dbsc --deliver --max-bytes 0 report
expect_rc 0
expect_empty
expect_queued
echo "=== case nothing_to_report: PASS"

echo "=== case no_report"
# scan --no-report queues and prints nothing; report prints all (exit 1),
# then nothing (exit 0).
queue_inserts 300 349
dbsc --no-report scan
expect_rc 1
expect_empty
expect_queued
dbsc --deliver --max-bytes 0 report
expect_rc 1
expect_model 0
dbsc --deliver report
expect_rc 0
expect_empty
expect_queued
echo "=== case no_report: PASS"

echo "=== case default_cap_pipe"
# Standard output a pipe (or a file): 5400 bytes by default.
queue_inserts 400 599
dbsc --no-report scan
expect_rc 1
expect_empty
pipe_run cat --deliver report
expect_rc 1
expect_model 5400
[ "$(wc -c <"$W/out")" -gt 5120 ] || fail "the default cap is not 5400"
dbsc --deliver report
expect_rc 1
expect_model 5400
echo "=== case default_cap_pipe: PASS"

echo "=== case terminal_uncapped"
# On a terminal there is no cap: all that is queued comes in one run.
queue_inserts 1600 1799
dbsc --no-report scan
expect_rc 1
echo "+ dbsyscheck report (on a terminal)"
rc=0
cmd="$dbsc_wrap $top_builddir/dbsyscheck -c $W/dbsyscheck.conf --deliver report"
script -qec "timeout -k 5 $DBSC_TIMEOUT $cmd 2>$W/errout" /dev/null \
    </dev/null >"$W/tty.out" || rc=$?
tr -d '\r' <"$W/tty.out" >"$W/out"
echo "  exit $rc, $(wc -l <"$W/out") lines"
expect_rc 1
[ "$(wc -c <"$W/out")" -gt 5400 ] || fail "the terminal output was capped"
expect_model 0
expect_queued
echo "=== case terminal_uncapped: PASS"

echo "=== case unlimited"
queue_inserts 600 799
dbsc --no-report scan
expect_rc 1
dbsc --deliver --max-bytes 0 report
expect_rc 1
expect_model 0
[ "$(wc -c <"$W/out")" -gt 5400 ] || fail "--max-bytes 0 capped the output"
expect_queued
echo "=== case unlimited: PASS"

echo "=== case json_capped"
# JSON lines count against the cap too.
queue_inserts 800 899
dbsc --no-report scan
expect_rc 1
dbsc --deliver --format json --max-bytes 5120 report
expect_rc 1
expect_model 5120 json
jq -e . "$W/out" >/dev/null || fail "not JSON"
dbsc --deliver --format json --max-bytes 0 report
expect_rc 1
expect_model 0 json
echo "=== case json_capped: PASS"

echo "=== case max_bytes_refused"
queue_inserts 900 909
dbsc --no-report scan
expect_rc 1
for mb in 5119 100 1 -1 abc 5120x; do
	dbsc --deliver --max-bytes "$mb" report
	expect_rc 2
	expect_empty
	expect_err "--max-bytes $mb"
	expect_queued
done
dbsc --deliver --max-bytes 5120 report
expect_rc 1
expect_model 5120
echo "=== case max_bytes_refused: PASS"

echo "=== case reader_gone_before_write"
# The reader closed the pipe before anything was written: EPIPE, not
# SIGPIPE; exit 2; nothing is marked delivered.
queue_inserts 1000 1199
dbsc --no-report scan
expect_rc 1
pyreader -1 --deliver --max-bytes 0 report
expect_rc 2
expect_err "Broken pipe"
expect_queued
pyreader -1 --deliver report
expect_rc 2
expect_queued
echo "=== case reader_gone_before_write: PASS"

echo "=== case reader_gone_midway"
# The reader takes 100 bytes and goes: the records written whole before it
# went are delivered, every other one is printed by the next report.
model 0
pyreader 100 --deliver --max-bytes 0 report
expect_rc 2
expect_err "Broken pipe"
head -c 100 "$W/model" | cmp -s - "$W/out" ||
    fail "the reader did not get the start of the output"
[ "$written" -lt "$(wc -c <"$W/model")" ] ||
    fail "the whole output fit in the pipe; the case tests nothing"
expect_acked "$written"
expect_queued
# The same when the output is capped.
model 5400
pyreader 100 --deliver report
expect_rc 2
expect_acked "$written"
expect_queued
dbsc --deliver --max-bytes 0 report
expect_rc 1
expect_model 0
echo "=== case reader_gone_midway: PASS"

# expect_suffix: the last run printed, uncapped, the model queue less at
# most its first $1 records (those an earlier run may have written whole).
expect_suffix()
{
	_n=$(($(wc -l <"$W/out") - 1))
	_q=$(wc -l <"$W/queue")
	[ "$_n" -ge $((_q - $1)) ] && [ "$_n" -le "$_q" ] ||
	    fail "printed $_n records; $_q queued, at most $1 delivered"
	model_pop $((_q - _n))
	expect_model 0
}

echo "=== case head_and_true"
# The shell forms: "report | head -c 100" and "report | true". What
# dbsyscheck wrote whole is delivered, the rest is printed next time.
queue_inserts 1200 1399
dbsc --no-report scan
expect_rc 1
model 5400
k=$model_k
pipe_run "head -c 100" --deliver report
head -c 100 "$W/model" | cmp -s - "$W/out" ||
    fail "head did not get the start of the output"
case $rc in
1 | 2) ;;
*) fail "report | head exited $rc" ;;
esac
dbsc --deliver --max-bytes 0 report
expect_rc 1
expect_suffix "$k"
queue_inserts 1400 1599
dbsc --no-report scan
expect_rc 1
model 5400
k=$model_k
pipe_run true --deliver report
case $rc in
1 | 2) ;;
*) fail "report | true exited $rc" ;;
esac
dbsc --deliver --max-bytes 0 report
expect_rc 1
expect_suffix "$k"
expect_queued
echo "=== case head_and_true: PASS"

echo "$test_name: all cases passed"

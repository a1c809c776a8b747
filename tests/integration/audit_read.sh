#!/bin/sh
# audit.c against a real server_audit file (tests/audit_query asks it):
# hostile statement texts come back byte for byte, a text cut by the query
# log limit matches as a prefix, connections name their account, and lines
# split over a rotation are all read.
. "$(dirname "$0")/setup"

aq="$top_builddir/tests/audit_query"
[ -x "$aq" ] || fail "$aq is not built (make check builds it)"

db_start --plugin-load-add=server_audit --server-audit-logging=ON \
    --server-audit-events=CONNECT,QUERY,TABLE \
    --server-audit-file-path="$W/audit.log"
off=$(sql "SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW())")
t0=$(($(date +%s) - 2))

# q N TEXT: statement N (printf format) in $W/qN, sent as it is.
q()
{
	printf "$2" >"$W/q$1"
	{ cat "$W/q$1"; printf ';\n'; } |
	    _sql_run --binary-mode --comments >/dev/null ||
	    fail "statement $1 failed"
}
q 1 "select 'q''s', \"dq\", 'bs\\\\\\\\x'"
q 2 "select 'cr\r lf\n tab\t', 1"
q 3 "select 'ctl\001\002\033\177', 'hi\303\251\377'"
q 4 "select 'nul\000x', _binary 0x00410A"
q 5 "select 1 /* c,1,2,QUERYX, */ , 'x''y\\\\\\\\'' \"z'"
# Over the 1024-byte limit, cut where an escape does not fit.
q 6 "select '$(awk 'BEGIN { for (i = 0; i < 400; i++) printf "a\\\\\\\\" }')'"
sleep 1
t1=$(($(date +%s) + 2))

expect_stmt()
{
	_out=$("$aq" "$W/audit.log" "$off" 1024 stmt "$t0" "$t1" "$@") ||
	    fail "audit_query: $_out"
	echo "$_out" | sed 's/^/  aq| /'
}
expect_stmt "$W/q1" "$W/q2" "$W/q3" "$W/q4" "$W/q5" "$W/q6"
n=$(echo "$_out" | grep -c '^1 [0-9]* root@localhost$') || true
[ "$n" -eq 6 ] || fail "$n of 6 statements found as root's"
echo "$_out" | grep -q '^rejected 0 files 1$' || fail "lines rejected"

# The cut text also matches a longer text of the same prefix, never a
# shorter one.
head -c 1100 "$W/q6" >"$W/q6short"
printf 'select 1' >"$W/q7"
expect_stmt "$W/q6short" "$W/q7"
[ "$(echo "$_out" | sed -n 1p | cut -d' ' -f1)" = 1 ] ||
    fail "cut text not a prefix match"
[ "$(echo "$_out" | sed -n 2p)" = 0 ] || fail "select 1 matched"

# The connection's account.
conn=$("$aq" "$W/audit.log" "$off" 1024 stmt "$t0" "$t1" "$W/q1" |
    sed -n 's/^1 \([0-9]*\) .*/\1/p')
out=$("$aq" "$W/audit.log" "$off" 1024 conn "$conn" "$((t0 + 2))")
echo "$out" | grep -q '^1 root@localhost$' || fail "conn $conn: $out"

# Rotation: lines spread over audit.log.N .. audit.log, all found.
sql "SET GLOBAL server_audit_file_rotate_size = 4096"
i=0
while [ $i -lt 60 ]; do
	printf 'select %d, "%s"' $i \
	    "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz" >"$W/r$i"
	{ cat "$W/r$i"; printf ';\n'; } | _sql_run >/dev/null ||
	    fail "select $i failed"
	i=$((i + 1))
done
[ -f "$W/audit.log.1" ] || fail "no rotation"
t1=$(($(date +%s) + 2))
expect_stmt "$W/r0" "$W/r30" "$W/r59"
n=$(echo "$_out" | grep -c '^1 [0-9]* root@localhost$') || true
[ "$n" -eq 3 ] || fail "$n of 3 rotated statements found"
echo "$_out" | grep -q '^rejected 0 files [2-9]' || fail "rotated files"
echo "PASS: $test_name"

#!/bin/sh
# audit.c against a real server_audit file (tests/audit_query asks it):
# hostile statement texts come back byte for byte, a text cut by the query
# log limit matches as a prefix, connections name their account, lines
# split over a rotation are all read, a rotated file of another user is
# refused and FILE gone is told.
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
# The plugin's other escapes (\b \f), and a ",ID,ID,OP," in a comment.
q 8 "select 'bs\010 ff\014 vt\013', 1 /* ,1,1,QUERY,,'x',0 */"
q 9 "select 2 /*,1,1,CONNECT,,,0*/"
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
expect_stmt "$W/q1" "$W/q2" "$W/q3" "$W/q4" "$W/q5" "$W/q6" "$W/q8" \
    "$W/q9"
n=$(echo "$_out" | grep -c '^1 [0-9]* root@localhost$') || true
[ "$n" -eq 8 ] || fail "$n of 8 statements found as root's"
echo "$_out" | grep -q '^rejected 0 files 1 missing 0 covered ' ||
    fail "lines rejected"
grep -aq "bs\\\\b ff\\\\f vt$(printf '\013')" "$W/audit.log" ||
    fail "the plugin's escapes of 0x08 0x0c are not \\b \\f"

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
# At its CONNECT line's time (server local time less the offset).
ts=$(grep -a "^[0-9 :]*,[^,]*,root,localhost,$conn,0,CONNECT," \
    "$W/audit.log" | head -n 1 | cut -c1-17)
[ -n "$ts" ] || fail "no CONNECT line of conn $conn"
tc=$(($(date -u -d "$(echo "$ts" | cut -c1-8) $(echo "$ts" |
    cut -c10-17)" +%s) - off))
out=$("$aq" "$W/audit.log" "$off" 1024 conn "$conn" "$tc")
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

# A rotated file planted by another user is refused, named.
k=1
while [ -e "$W/audit.log.$k" ]; do k=$((k + 1)); done
cp "$W/audit.log.1" "$W/audit.log.$k"
chown 65534 "$W/audit.log.$k"
_out=$("$aq" "$W/audit.log" "$off" 1024 stmt "$t0" "$t1" "$W/r0") &&
    fail "a rotated file of uid 65534 was read"
echo "$_out" | grep -q "audit.log.$k: owned by uid 65534" ||
    fail "not named: $_out"
rm -f "$W/audit.log.$k"
# FILE gone, rotated files left: read, and said missing.
mv "$W/audit.log" "$W/moved.log"
_out=$("$aq" "$W/audit.log" "$off" 1024 stmt "$t0" "$t1" "$W/r0") ||
    fail "audit_query: $_out"
echo "$_out" | grep -q '^rejected 0 files [1-9][0-9]* missing 1 ' ||
    fail "FILE missing not told: $_out"
echo "PASS: $test_name"

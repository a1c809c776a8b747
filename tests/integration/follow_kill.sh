#!/bin/sh
# dbsyscheck follow killed with SIGKILL at random moments while a writer
# makes numbered changes (each its own transaction), then a clean run:
# - queued (--no-report, then one report --deliver): every change exactly
#   once, in log order, with one op=commit each. The position advances in
#   the same SQLite transaction as the queued records (docs/BINLOG.md), so
#   a kill can neither lose nor repeat a queued record.
# - printed (--deliver): every change at least once and in order; a record
#   is printed again only when the run died before marking it delivered
#   (docs/FORMAT.md, "Delivery"), that is at the start of the next run.
. "$(dirname "$0")/setup"

n=400
trials=20

seed_init
db_start_binlog
sql "CREATE DATABASE fk"
sql_db fk "CREATE TABLE t (id INT PRIMARY KEY, v INT)"
follow_account fk.t
follow_conf "fk.t"
follow_first

# writer FIRST: changes FIRST .. FIRST+n-1 in the background ($writer):
# the insert of id i, then for every third id an update of it, for every
# fifth a delete, each a transaction of its own, a little apart.
writer()
{
	_w_i=$1
	_w_end=$(($1 + n))
	while [ "$_w_i" -lt "$_w_end" ]; do
		echo "INSERT INTO fk.t VALUES ($_w_i, 0);"
		[ $((_w_i % 3)) != 0 ] ||
		    echo "UPDATE fk.t SET v = 1 WHERE id = $_w_i;"
		[ $((_w_i % 5)) != 0 ] ||
		    echo "DELETE FROM fk.t WHERE id = $_w_i;"
		[ $((_w_i % 8)) != 0 ] || echo "DO SLEEP(0.01);"
		_w_i=$((_w_i + 1))
	done | _sql_run >/dev/null 2>&1 &
	writer=$!
	bg_track "$writer"
}

# expected FIRST: the row records the writer FIRST makes, in order.
expected()
{
	_x_i=$1
	_x_end=$(($1 + n))
	while [ "$_x_i" -lt "$_x_end" ]; do
		echo "dbsyscheck: op=insert table=fk.t pk=id=$_x_i changed=- src=binlog by=- ;"
		[ $((_x_i % 3)) != 0 ] ||
		    echo "dbsyscheck: op=update table=fk.t pk=id=$_x_i changed=v src=binlog by=- ;"
		[ $((_x_i % 5)) != 0 ] ||
		    echo "dbsyscheck: op=delete table=fk.t pk=id=$_x_i changed=- src=binlog by=- ;"
		_x_i=$((_x_i + 1))
	done
}

# killer ARGS...: while the writer runs, start follow ARGS... and kill it
# with SIGKILL after 0 to 400 ms, $trials times at least; each run's
# standard output appended to $W/all.out (only whole lines).
killer()
{
	: >"$W/all.out"
	_k_t=0
	while [ "$_k_t" -lt "$trials" ] || _alive "$writer"; do
		dbsc_bg "$@" follow
		rand 400
		sleep_ms "$r"
		kill -KILL "$bg" 2>/dev/null || true
		wait "$bg" 2>/dev/null || true
		bg_kill "$bg"
		# A line cut by the kill is not a record.
		sed '$ { /;$/!d }' "$W/bg.out" >>"$W/all.out"
		grep -q -i 'sanitizer\|runtime error' "$W/bg.err" &&
		    fail "a killed run left a sanitizer report"
		_k_t=$((_k_t + 1))
	done
	wait "$writer" || fail "the writer failed"
	bg_kill "$writer"
}

# --- Queued: exactly once.
writer 1
killer --no-report
dbsc --no-report follow
[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "the clean run exited $rc"
dbsc --no-report follow
expect_rc 0
dbsc --deliver --max-bytes 0 report
[ "$rc" = 1 ] || fail "report --deliver exited $rc"
[ ! -s "$W/all.out" ] || fail "a --no-report run printed something"
expected 1 >"$W/want"
grep -v '^dbsyscheck: op=\(summary\|commit\|start\) ' "$W/out" >"$W/got"
if ! cmp -s "$W/want" "$W/got"; then
	diff "$W/want" "$W/got" | head -n 20 >&2
	fail "the queued records are not every change exactly once, in order"
fi
ncommit=$(grep -c '^dbsyscheck: op=commit rows=1 ' "$W/out" || true)
[ "$ncommit" = "$(wc -l <"$W/want")" ] ||
    fail "$ncommit op=commit records for $(wc -l <"$W/want") transactions"
grep '^dbsyscheck: op=summary ' "$W/out" | grep -q ' errors=0 pending=0 ;' ||
    fail "the summary has errors or pending records"
# The op=commit positions only grow (file, then offset).
grep '^dbsyscheck: op=commit ' "$W/out" | sed 's/.* pos=\([^ ]*\) .*/\1/' |
    awk -F: '{ if (($1 < f) || ($1 == f && $2 + 0 <= o + 0)) bad = 1
	f = $1; o = $2 }
	END { exit bad }' || fail "op=commit positions go back"

# --- Printed with --deliver: at least once, in order.
writer $((n + 1))
killer --deliver --max-bytes 0
dbsc --deliver --max-bytes 0 follow
cat "$W/out" >>"$W/all.out"
dbsc --deliver --max-bytes 0 follow
expect_rc 0
expected $((n + 1)) >"$W/want"
grep -v '^dbsyscheck: op=\(summary\|commit\|start\) ' "$W/all.out" \
    >"$W/got"
# Every record printed is one of the changes, and the first printing of
# each comes in order.
awk '!seen[$0]++' "$W/got" >"$W/first"
if ! cmp -s "$W/want" "$W/first"; then
	diff "$W/want" "$W/first" | head -n 20 >&2
	fail "a change was lost or came out of order (printed, --deliver)"
fi
dups=$(($(wc -l <"$W/got") - $(wc -l <"$W/first")))
echo "$test_name: $dups records printed twice over all kills"

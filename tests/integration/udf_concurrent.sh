#!/bin/sh
# 8 clients update rows at the same time through the triggers: every
# record arrives whole on a line of its own (one write(2) each), none is
# interleaved with another, and the count is exact.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/udf_lib.sh"

clients=8
updates=250
by=root@localhost
# Long keys make long records (about 1.1 KB), which a torn write would show.
pad=700

udf_start "conc.t"
sql "CREATE DATABASE conc"
sql_db conc "CREATE TABLE t (
	k VARBINARY(1000) PRIMARY KEY,
	v INT NOT NULL,
	w VARCHAR(20) NOT NULL)"
c=1
while [ "$c" -le "$clients" ]; do
	sql_db conc "INSERT INTO t VALUES (CONCAT('$c', REPEAT(';', $pad)), 0, '')"
	c=$((c + 1))
done
udf_triggers
udf_new >/dev/null

# One SQL file per client, run by one client session each, all at once.
c=1
while [ "$c" -le "$clients" ]; do
	i=0
	while [ "$i" -lt "$updates" ]; do
		echo "UPDATE t SET v = v + 1, w = '$i' WHERE k = CONCAT('$c', REPEAT(';', $pad));"
		i=$((i + 1))
	done >"$W/client$c.sql"
	c=$((c + 1))
done
pids=
c=1
while [ "$c" -le "$clients" ]; do
	_sql_run -D conc <"$W/client$c.sql" >"$W/client$c.out" 2>&1 &
	bg_track $!
	pids="$pids $!"
	c=$((c + 1))
done
for p in $pids; do
	wait "$p" || fail "client $p failed: $(cat "$W"/client*.out)"
done
bg_pids=

# The exact multiset of records: per client, $updates identical lines.
semis=$(i=0; while [ $i -lt 339 ]; do printf '%%3B'; i=$((i + 1)); done)
c=1
while [ "$c" -le "$clients" ]; do
	printf '%7d dbsyscheck: op=update table=conc.t pk=k=%s%s%%... changed=v,w src=trigger by=%s ;\n' \
	    "$updates" "$c" "$semis" "$by"
	c=$((c + 1))
done >"$W/expected.counts"
udf_new >"$W/records"
sort "$W/records" | uniq -c >"$W/actual.counts"
if ! cmp -s "$W/expected.counts" "$W/actual.counts"; then
	diff -u "$W/expected.counts" "$W/actual.counts" | cut -c1-200 >&2
	fail "records are not exactly $updates per client"
fi
[ "$(wc -l <"$W/records")" = $((clients * updates)) ] ||
    fail "not $((clients * updates)) records"

# No record was torn or glued to another line of the log.
n=$(grep -c 'dbsyscheck: ' "$DBSYSCHECK_UDF_LOG")
[ "$n" = $((clients * updates)) ] || fail "$n lines mention dbsyscheck"
grep 'dbsyscheck: ' "$DBSYSCHECK_UDF_LOG" | grep -v '^dbsyscheck: ' &&
    fail "torn line"
grep '^dbsyscheck: ' "$DBSYSCHECK_UDF_LOG" | grep -v ' ;$' && fail "torn line"
grep 'op=.*op=' "$DBSYSCHECK_UDF_LOG" && fail "two records on one line"
grep -q 'op=' "$W/err.log" && fail "a record in the error log"
exit 0

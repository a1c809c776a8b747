#!/bin/sh
# Calls without the token: an account holding only SELECT on one table
# calls dbsyscheck_log() directly with no token, an empty one, a wrong one
# or a token-less argument list: never a row record, one op=forged record
# each; a loop of 10,000 calls is cut by the rate limit, and every call is
# accounted for. A missing or unsafe token file makes every call forged.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/udf_lib.sh"

by=root@localhost
rate=10		# UDF_FORGED_RATE
burst=10	# UDF_FORGED_BURST

udf_start "forged.t"
sql "CREATE DATABASE forged"
sql_db forged "CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL)"
sql_db forged "INSERT INTO t VALUES (1, 0), (7, 0)"
udf_triggers
sql "CREATE USER 'limited'@'localhost' IDENTIFIED BY 'pw'"
sql "GRANT SELECT ON forged.t TO 'limited'@'localhost'"
udf_new >/dev/null

# limited "SQL": run SQL as the account with SELECT on forged.t only.
limited()
{
	mariadb --no-defaults --socket="$W/sock" -ulimited -ppw \
	    --batch --skip-column-names "$@"
}

tok=$(cut -c1-64 "$W/trigger.token")
call="'update', 'forged', 't', '$by', 1, 'id', 7, 'v', 1"
[ "$(limited -e "SELECT dbsyscheck_log(NULL, $call)")" = 0 ] ||
    fail "a call without the token did not return 0"
limited -e "SELECT dbsyscheck_log('', $call)" >/dev/null ||
    fail "empty token call failed"
limited -e "SELECT dbsyscheck_log(REPEAT('0', 64), $call)" >/dev/null ||
    fail "wrong token call failed"
limited -e "SELECT dbsyscheck_log('$(echo "$tok" | cut -c1-63)', $call)" \
    >/dev/null || fail "short token call failed"
limited -e "SELECT dbsyscheck_log('${tok}x', $call)" >/dev/null ||
    fail "long token call failed"
limited -e "SELECT dbsyscheck_log($call)" >/dev/null ||
    fail "token-less call failed"
expect_records <<EOF
dbsyscheck: op=forged table=forged.t by=$by src=trigger ;
dbsyscheck: op=forged table=forged.t by=$by src=trigger ;
dbsyscheck: op=forged table=forged.t by=$by src=trigger ;
dbsyscheck: op=forged table=forged.t by=$by src=trigger ;
dbsyscheck: op=forged table=forged.t by=$by src=trigger ;
dbsyscheck: op=forged table=t.root@localhost by=1 src=trigger ;
EOF
# Too few arguments: refused by _init, nothing written at all.
limited -e "SELECT dbsyscheck_log('a', 'b')" 2>"$W/init.err" &&
    fail "dbsyscheck_log with 2 arguments was accepted"
grep -q 'takes a token' "$W/init.err" || fail "no _init message"
expect_no_records

# The triggers still work, and the records name the real account.
sql_db forged "UPDATE t SET v = 1 WHERE id = 7"
expect_records <<EOF
dbsyscheck: op=update table=forged.t pk=id=7 changed=v src=trigger by=$by ;
EOF

# A flood: 10,000 calls, one statement each, in one session. At most
# $burst records at once and $rate a second pass the limit.
i=0
while [ "$i" -lt 10000 ]; do
	echo "SELECT dbsyscheck_log('bad', 'delete', 'forged', 't', 'x', 1, 'id', $i);"
	i=$((i + 1))
done >"$W/flood.sql"
t0=$(date +%s%N)
limited <"$W/flood.sql" >/dev/null || fail "flood client failed"
ms=$((($(date +%s%N) - t0) / 1000000))
udf_new >"$W/flood.records"
n=$(wc -l <"$W/flood.records")
max=$((burst + (rate * ms + 999) / 1000 + 1))
echo "10000 forged calls in $ms ms wrote $n records (bound $max)"
[ "$n" -ge 1 ] || fail "the flood wrote no op=forged record"
[ "$n" -le "$max" ] || fail "the flood wrote $n records, more than $max"
grep -v '^dbsyscheck: op=forged table=forged.t by=x src=trigger\( suppressed=[0-9]*\)\? ;$' \
    "$W/flood.records" && fail "unexpected records during the flood"

# After a pause the next forged record says how many were cut: every one
# of the 10,000 calls is a record or counted in a suppressed= field.
sleep 0.3
limited -e "SELECT dbsyscheck_log('bad', 'delete', 'forged', 't', 'x', 1, 'id', 1)" \
    >/dev/null || fail "forged call failed"
udf_new >"$W/last.records"
grep -q '^dbsyscheck: op=forged table=forged.t by=x src=trigger suppressed=[0-9]* ;$' \
    "$W/last.records" || fail "no suppressed= count after the flood"
cat "$W/flood.records" "$W/last.records" >"$W/all.records"
lines=$(wc -l <"$W/all.records")
cut=$(sed -n 's/.* suppressed=\([0-9]*\) ;$/\1/p' "$W/all.records" |
    awk '{ s += $1 } END { print s + 0 }')
[ $((lines + cut)) = 10001 ] ||
    fail "$lines records + $cut suppressed is not 10001 calls"
grep -q 'op=insert\|op=update\|op=delete' "$W/all.records" &&
    fail "a forged call wrote a row record"

# A missing token file: one op=error record, then every call is forged,
# the triggers' included.
DBSYSCHECK_UDF_TOKEN=$W/missing.token
export DBSYSCHECK_UDF_TOKEN
db_restart
udf_seen=$(udf_lines)
sql_db forged "UPDATE t SET v = 2 WHERE id = 7"
expect_records <<EOF
dbsyscheck: op=error msg=token%20file%20$W/missing.token:%20No%20such%20file%20or%20directory src=trigger ;
dbsyscheck: op=forged table=forged.t by=$by src=trigger ;
EOF

# A world-readable token file is refused the same way.
chmod 0644 "$W/trigger.token"
DBSYSCHECK_UDF_TOKEN=$W/trigger.token
db_restart
udf_seen=$(udf_lines)
sql_db forged "UPDATE t SET v = 3 WHERE id = 7"
expect_records <<EOF
dbsyscheck: op=error msg=token%20file%20$W/trigger.token:%20world-accessible%20or%20group-writable%20(run:%20chmod%200640) src=trigger ;
dbsyscheck: op=forged table=forged.t by=$by src=trigger ;
EOF

# Mode 0640 again: the triggers write row records again.
chmod 0640 "$W/trigger.token"
db_restart
udf_seen=$(udf_lines)
sql_db forged "UPDATE t SET v = 4 WHERE id = 7"
expect_records <<EOF
dbsyscheck: op=update table=forged.t pk=id=7 changed=v src=trigger by=$by ;
EOF
exit 0

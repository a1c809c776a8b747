#!/bin/sh
# A second scanner finds the baseline locked: it fails at once with exit 2,
# says so, and leaves the baseline to the lock holder.
. "$(dirname "$0")/setup"

db_start
sql "CREATE DATABASE lockdb"
sql_db lockdb "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))"
sql_db lockdb "INSERT INTO t VALUES (1, 'a')"
dbsc_conf "lockdb.t"

dbsc scan
expect_rc 1
[ -f "$W/baseline.db.lock" ] || fail "no lock file $W/baseline.db.lock"

# Hold an exclusive flock(2) on the lock file, as a second scanner would.
hold_lock "$W/baseline.db.lock" 30

sql_db lockdb "INSERT INTO t VALUES (2, 'b')"
DBSC_TIMEOUT=20
start=$(date +%s)
dbsc scan
expect_rc 2
expect_err lock
[ $(($(date +%s) - start)) -lt 10 ] || fail "scan waited for the lock"
# On stdout, as for any run that prints records: the summary, then one
# error record (no table=: it concerns the whole run).
[ "$(wc -l <"$W/out")" -eq 2 ] ||
    fail "stdout is not a summary and one op=error record"
head -n 1 "$W/out" >"$W/out.1"
summary 0 0 0 1 | cmp -s - "$W/out.1" ||
    fail "first line is not the summary with errors=1"
tail -n 1 "$W/out" |
    grep -q '^dbsyscheck: op=error msg=[^ ]* src=scan ;$' ||
    fail "second line is not an op=error record"

release_lock

# The refused scan did not touch the baseline: the insert is still news.
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=lockdb.t pk=id=2 changed=- src=scan by=- ;
EOF

dbsc scan
expect_rc 0
expect_empty

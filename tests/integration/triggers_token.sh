#!/bin/sh
# The trigger token stays secret from the accounts that write watched
# tables (docs/SECURITY.md, "The trigger token"). An account with only
# SELECT, INSERT, UPDATE and DELETE on acme.*, and one that also holds
# TRIGGER there, try every channel that shows statement text: SHOW
# PROFILES, PROCESSLIST while a trigger runs, performance_schema's
# statement and stage tables, the optimizer trace, SHOW CREATE TRIGGER,
# information_schema.TRIGGERS, mysqldump, warnings and error messages, a
# trigger of their own, and the general, slow and binary logs they make
# the server write. None holds the token; calling dbsyscheck_log() with
# whatever they learnt writes no row record.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/udf_lib.sh"

pfs=--performance-schema=ON
for c in events-statements-current events-statements-history \
    events-statements-history-long events-stages-current \
    events-stages-history events-stages-history-long; do
	pfs="$pfs --performance-schema-consumer-$c=ON"
done
udf_server_args="$pfs --log-bin=$W/binlog --server-id=1
    --binlog-format=MIXED --log-output=FILE --general-log=1
    --general-log-file=$W/general.log --slow-query-log=1
    --slow-query-log-file=$W/slow.log --long-query-time=0
    --log-slow-verbosity=query_plan,explain"
udf_start "acme.users"
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (id INT PRIMARY KEY, login VARCHAR(32),
	password VARCHAR(64))"
udf_triggers
tok=$(cut -c1-64 "$W/trigger.token")
names=$(sql "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS
    WHERE EVENT_OBJECT_SCHEMA = 'acme' ORDER BY TRIGGER_NAME")
[ "$(echo "$names" | wc -l)" = 3 ] || fail "not 3 triggers installed"
sql "CREATE USER 'w'@'localhost' IDENTIFIED BY 'pw'"
sql "GRANT SELECT, INSERT, UPDATE, DELETE ON acme.* TO 'w'@'localhost'"
sql "CREATE USER 'wt'@'localhost' IDENTIFIED BY 'pw'"
sql "GRANT SELECT, INSERT, UPDATE, DELETE, TRIGGER ON acme.*
    TO 'wt'@'localhost'"
udf_new >/dev/null

# as USER [client args...]: a session of USER; everything it prints,
# errors included, is added to $W/seen, what the writers saw.
as()
{
	_as_u=$1
	shift
	mariadb --no-defaults --socket="$W/sock" -u"$_as_u" -ppw --batch \
	    --force "$@" >>"$W/seen" 2>&1 || true
}
: >"$W/seen"

# seen_has TEXT: what the writers saw contains TEXT.
seen_has()
{
	grep -F -q -e "$1" "$W/seen"
}

# Profiling: every statement a trigger ran, with its text.
as w <<'EOF'
SET profiling = 1;
INSERT INTO acme.users VALUES (50, 'a', 'b');
UPDATE acme.users SET password = 'c' WHERE id = 50;
DELETE FROM acme.users WHERE id = 50;
SHOW PROFILES;
SHOW PROFILE ALL FOR QUERY 1;
SHOW PROFILE ALL FOR QUERY 2;
SHOW WARNINGS;
EOF
seen_has 'dbsyscheck_log(' || fail "SHOW PROFILES showed no trigger statement"
seen_has "$tok" && fail "SHOW PROFILES showed the token"

# Errors and warnings raised inside and around the triggers.
as w <<'EOF'
INSERT INTO acme.users VALUES (51, 'a', 'b');
INSERT INTO acme.users VALUES (51, 'a', 'b');
SHOW WARNINGS;
SHOW ERRORS;
INSERT INTO acme.users VALUES (52, REPEAT('x', 40), 'b');
SHOW WARNINGS;
SET sql_mode = '';
INSERT INTO acme.users VALUES ('53x', REPEAT('x', 40), 'b');
SHOW WARNINGS;
GET DIAGNOSTICS CONDITION 1 @m = MESSAGE_TEXT;
SELECT @m, @dbsyscheck_rc;
SELECT * FROM dbsyscheck.trigger_token;
SELECT token FROM dbsyscheck.trigger_token WHERE id = 1;
SHOW CREATE TABLE dbsyscheck.trigger_token;
SHOW CREATE TRIGGER acme.xyz;
SHOW TRIGGERS FROM acme;
SELECT TRIGGER_NAME, ACTION_STATEMENT FROM information_schema.TRIGGERS;
SHOW BINLOG EVENTS;
SHOW BINARY LOGS;
SELECT * FROM mysql.general_log;
EOF

# performance_schema: statement texts, also of other sessions.
for t in events_statements_current events_statements_history \
    events_statements_history_long events_stages_current \
    events_stages_history events_stages_history_long threads \
    events_statements_summary_by_digest; do
	echo "SELECT * FROM performance_schema.$t;"
done | as w
# The same tables hold the trigger's statement text (for root to read):
# the channel is there.
[ "$(sql "SELECT COUNT(*) FROM performance_schema.events_statements_history_long
    WHERE SQL_TEXT LIKE '%dbsyscheck_log((SELECT token%'")" -gt 0 ] ||
    fail "performance_schema recorded no trigger statement"

# The optimizer trace of statements that fire the triggers.
as w <<'EOF'
SET optimizer_trace = 'enabled=on';
INSERT INTO acme.users VALUES (54, 'a', 'b');
SELECT * FROM information_schema.OPTIMIZER_TRACE;
UPDATE acme.users SET password = 'd' WHERE id = 54;
SELECT * FROM information_schema.OPTIMIZER_TRACE;
EOF

# PROCESSLIST while a multi-row INSERT runs its triggers: root holds the
# token's row locked, the writer's serializable INSERT waits inside its
# first trigger, and the writer's other session looks.
mkfifo "$W/lock.in"
mariadb --no-defaults --socket="$W/sock" -uroot --batch --unbuffered <"$W/lock.in" \
    >"$W/lock.out" 2>&1 &
bg_track $!
lock_pid=$!
exec 8>"$W/lock.in"
echo "BEGIN; SELECT id FROM dbsyscheck.trigger_token WHERE id = 1
    FOR UPDATE; SELECT 'locked';" >&8
n=0
until grep -q '^locked$' "$W/lock.out"; do
	n=$((n + 1))
	[ "$n" -lt 300 ] || fail "root could not lock the token's row"
	sleep 0.1
done
mariadb --no-defaults --socket="$W/sock" -uw -ppw --batch -e "
    SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE;
    SET SESSION innodb_lock_wait_timeout = 600;
    INSERT INTO acme.users VALUES (60, 'a', 'b'), (61, 'a', 'b'),
	(62, 'a', 'b')" >"$W/multi.out" 2>&1 &
bg_track $!
multi_pid=$!
n=0
until mariadb --no-defaults --socket="$W/sock" -uw -ppw --batch \
    --skip-column-names -e "SELECT INFO FROM information_schema.PROCESSLIST
    WHERE USER = 'w' AND INFO LIKE '%dbsyscheck_log(%'" | grep -q .; do
	n=$((n + 1))
	[ "$n" -lt 300 ] || fail "the writer's INSERT never waited in a trigger"
	sleep 0.1
done
as w <<'EOF'
SELECT ID, USER, COMMAND, STATE, INFO, INFO_BINARY
    FROM information_schema.PROCESSLIST;
SHOW FULL PROCESSLIST;
EOF
seen_has 'dbsyscheck_log((SELECT token' ||
    fail "PROCESSLIST did not show the trigger statement"
echo "COMMIT; SELECT 'released';" >&8
exec 8>&-
wait "$multi_pid" || fail "the multi-row INSERT failed: $(cat "$W/multi.out")"
wait "$lock_pid" || true
cat "$W/multi.out" >>"$W/seen"

# With TRIGGER: the bodies themselves, and a trigger of its own that
# tries to read the token with its own rights.
for n in $names; do
	echo "SHOW CREATE TRIGGER acme.\`$n\`;"
done | as wt
# (Binary logging is on: without SUPER, creating a trigger needs this.)
sql "SET GLOBAL log_bin_trust_function_creators = 1"
as wt <<'EOF'
SHOW TRIGGERS FROM acme;
SELECT TRIGGER_NAME, ACTION_STATEMENT, DEFINER
    FROM information_schema.TRIGGERS;
CREATE TRIGGER acme.steal BEFORE INSERT ON acme.users FOR EACH ROW
    SET @stolen = (SELECT token FROM dbsyscheck.trigger_token WHERE id = 1);
SELECT 'steal created';
INSERT INTO acme.users VALUES (70, 'a', 'b');
SELECT @stolen;
DROP TRIGGER acme.steal;
EOF
seen_has 'steal created' || fail "the TRIGGER account could not create a trigger"
[ "$(sql "SELECT COUNT(*) FROM acme.users WHERE id = 70")" = 0 ] ||
    fail "a trigger of the writer's own read the secret table"
seen_has 'FROM `dbsyscheck`.`trigger_token`' ||
    fail "the TRIGGER account did not see the trigger bodies"
mariadb-dump --no-defaults --socket="$W/sock" -uwt -ppw --no-data \
    --triggers --skip-lock-tables acme >>"$W/seen" 2>&1 || true

if seen_has "$tok"; then
	grep -F -n -e "$tok" "$W/seen" | head -n 5 >&2
	fail "a writer saw the token"
fi

# Whatever looks like a token, and the secret table itself, in direct
# calls: each is op=forged, never a row record.
{
	grep -o '[0-9a-f]\{64\}' "$W/seen" | sort -u
	echo ''
	echo '0000000000000000000000000000000000000000000000000000000000000000'
} >"$W/candidates"
call="'delete', 'mysql', 'global_priv', 'root@localhost', 1, 'User', 'root'"
while read -r c; do
	echo "SELECT dbsyscheck_log('$c', $call);"
done <"$W/candidates" >"$W/calls.sql"
echo "SELECT dbsyscheck_log((SELECT token FROM dbsyscheck.trigger_token
    WHERE id = 1), $call);" >>"$W/calls.sql"
as w <"$W/calls.sql"
as wt <"$W/calls.sql"
udf_new >"$W/records"
cat "$W/records"
grep -q 'table=mysql\.global_priv .*pk=' "$W/records" &&
    fail "a direct call wrote a row record"
grep -q '^dbsyscheck: op=forged table=mysql.global_priv ' "$W/records" ||
    fail "the direct calls wrote no op=forged record"
# The writers' own changes were recorded, under their names.
grep -q '^dbsyscheck: op=insert table=acme.users pk=id=50 changed=- src=trigger by=w@localhost ;$' \
    "$W/records" || fail "no record of the writer's insert"
grep -q '^dbsyscheck: op=insert table=acme.users pk=id=62 changed=- src=trigger by=w@localhost ;$' \
    "$W/records" || fail "no record of the multi-row insert"

# The logs the writers made the server write, and every other log: the
# administrator's install (which stored the token) included.
sql "FLUSH LOGS"
for f in "$W"/*.log "$W"/binlog.[0-9]*; do
	[ -f "$f" ] || continue
	if grep -a -F -q -e "$tok" "$f"; then
		fail "$(basename "$f") holds the token"
	fi
done
grep -a -q 'INSERT INTO acme.users VALUES (50' "$W/general.log" ||
    fail "the general log did not log the writer"
grep -a -q 'INSERT INTO acme.users VALUES (50' "$W/slow.log" ||
    fail "the slow log did not log the writer"
mariadb-binlog "$W"/binlog.[0-9]* >"$W/binlog.txt" 2>&1 ||
    fail "mariadb-binlog failed"
grep -q 'trigger_token' "$W/binlog.txt" ||
    fail "the binary log does not hold the secret table's creation"
grep -F -q -e "$tok" "$W/binlog.txt" && fail "the binary log holds the token"
exit 0

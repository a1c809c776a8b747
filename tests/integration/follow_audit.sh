#!/bin/sh
# follow with audit-log: by= names the account from MariaDB's audit plugin
# (server_audit): ",exact" from the connection id the log holds (a
# statement such as TRUNCATE, a non-transactional table's group), inside
# that connection's recorded lifetime; ",statement" from the one
# connection whose audit QUERY record has the row events' statement text.
# Two connections with the same text, or none, give by=-. A plugin that
# cannot serve (off, another file, a file others may write) is an op=error
# and the records say by=-.
. "$(dirname "$0")/setup"

db_start_binlog --plugin-load-add=server_audit --server-audit-logging=ON \
    --server-audit-events=CONNECT,QUERY,TABLE \
    --server-audit-file-path="$W/audit.log"
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (id INT PRIMARY KEY, login VARCHAR(20),
	password VARCHAR(60), seen INT NOT NULL DEFAULT 0)"
sql_db acme "CREATE TABLE m (id INT PRIMARY KEY, v VARCHAR(20))
	ENGINE=MyISAM"
sql "CREATE USER 'app'@'localhost' IDENTIFIED BY 'app-pw-1'"
sql "GRANT ALL ON acme.* TO 'app'@'localhost'"
sql "CREATE USER 'eve'@'localhost' IDENTIFIED BY 'eve-pw-1'"
sql "GRANT SELECT, INSERT, UPDATE, DELETE ON acme.* TO 'eve'@'localhost'"
sql "CREATE USER 'w,e ird'@'localhost' IDENTIFIED BY 'w-pw-1'"
sql "GRANT UPDATE, SELECT ON acme.users TO 'w,e ird'@'localhost'"
sql "CREATE USER 'q u''o%te'@'localhost' IDENTIFIED BY 'q-pw-1'"
sql "GRANT UPDATE, SELECT ON acme.users TO 'q u''o%te'@'localhost'"
follow_account acme.users acme.m
follow_conf acme.users acme.m
echo "audit-log $W/audit.log" >>"$W/dbsyscheck.conf"
follow_first

# as USER PASSWORD SQL...: run statements as that account, one session.
as()
{
	_as_u=$1
	_as_p=$2
	shift 2
	mariadb --no-defaults --socket="$W/sock" -u"$_as_u" -p"$_as_p" acme \
	    -e "$*" || fail "as $_as_u: $*"
}

# recs: the row, commit and ddl records of the last run, normalised.
recs()
{
	grep -v '^dbsyscheck: op=summary ' "$W/out" | binlog_norm
}

# wait_for FILE TEXT SECONDS: FILE gets TEXT (fixed) within SECONDS.
wait_for()
{
	_wf_n=0
	until grep -q -F -e "$2" "$1"; do
		_wf_n=$((_wf_n + 1))
		[ "$_wf_n" -le $(($3 * 10)) ] ||
		    fail "no '$2' in $(basename "$1") after $3 s"
		sleep 0.1
	done
}

as app app-pw-1 "INSERT INTO users VALUES (7, 'xavier', 'x1', 0)"
as eve eve-pw-1 "UPDATE users SET password='evil' WHERE id=7"
as app app-pw-1 "BEGIN; UPDATE users SET seen=1 WHERE id=7;
	INSERT INTO users VALUES (8, 'y', 'y1', 0); COMMIT"
as "q u'o%te" q-pw-1 "UPDATE users SET login='q' WHERE id=8"
dbsc follow
expect_rc 1
recs >"$W/got"
cat >"$W/want" <<EOF
dbsyscheck: op=insert table=acme.users pk=id=7 changed=- src=binlog by=app@localhost,statement ;
dbsyscheck: op=commit rows=1 gtid=G conn=C time=T pos=P src=binlog by=app@localhost,statement ;
dbsyscheck: op=update table=acme.users pk=id=7 changed=password src=binlog by=eve@localhost,statement ;
dbsyscheck: op=commit rows=1 gtid=G conn=C time=T pos=P src=binlog by=eve@localhost,statement ;
dbsyscheck: op=update table=acme.users pk=id=7 changed=seen src=binlog by=app@localhost,statement ;
dbsyscheck: op=insert table=acme.users pk=id=8 changed=- src=binlog by=app@localhost,statement ;
dbsyscheck: op=commit rows=2 gtid=G conn=C time=T pos=P src=binlog by=app@localhost,statement ;
dbsyscheck: op=update table=acme.users pk=id=8 changed=login src=binlog by=q%20u%27o%25te@localhost,statement ;
dbsyscheck: op=commit rows=1 gtid=G conn=C time=T pos=P src=binlog by=q%20u%27o%25te@localhost,statement ;
EOF
diff -u "$W/want" "$W/got" || fail "by= of row transactions"

# A user name with a comma makes its audit lines split two ways: they are
# left out (an op=error src=audit says how many), and its changes name
# no one.
as 'w,e ird' w-pw-1 "UPDATE users SET login='w' WHERE id=8"
dbsc follow
expect_rc 2
grep -q '^dbsyscheck: op=update table=acme.users pk=id=8 changed=login src=binlog by=- ;$' \
    "$W/out" || fail "a line that splits two ways named an account"
grep -q '^dbsyscheck: op=error msg=audit-log%20[^ ]*:%20lines%20left%20out:%20[0-9]*:.* src=audit ;$' \
    "$W/out" || fail "no op=error for the lines left out"
# Said for the statements whose time they share: not for later ones.
sleep 2

# Texts the plugin escapes (backspace, form feed) or that look like a
# line's fields are still read.
bsff=$(printf 'b\010f\014')
as app app-pw-1 "INSERT INTO users VALUES (30, '$bsff', ',1,1,QUERY,', 0)"
dbsc follow
expect_rc 1
grep -q '^dbsyscheck: op=insert table=acme.users pk=id=30 changed=- src=binlog by=app@localhost,statement ;$' \
    "$W/out" || fail "an escaped text was not matched"

# The log's time is the session's (SET timestamp needs no privilege): a
# replay of app's statement by eve, dated back into app's window, finds
# eve's own record of that text: neither is named.
as app app-pw-1 "UPDATE users SET seen=seen+100 WHERE id=7"
now=$(_sql_run -e "SELECT UNIX_TIMESTAMP()")
as eve eve-pw-1 "SET timestamp=$((now - 30));
	UPDATE users SET seen=seen+100 WHERE id=7"
dbsc follow
expect_rc 1
[ "$(grep -c '^dbsyscheck: op=update table=acme.users pk=id=7 changed=seen src=binlog by=- ;$' "$W/out")" = 2 ] ||
    fail "a backdated replay named an account"
# Dated after the clock: forged, no account, and no harm to the next.
as eve eve-pw-1 "SET timestamp=UNIX_TIMESTAMP() + 86400;
	INSERT INTO users VALUES (31, 'f', 'f', 0)"
as app app-pw-1 "INSERT INTO users VALUES (32, 'g', 'g', 0)"
dbsc follow
expect_rc 1
grep -q '^dbsyscheck: op=insert table=acme.users pk=id=31 changed=- src=binlog by=- ;$' \
    "$W/out" || fail "a statement dated in the future named an account"
grep -q '^dbsyscheck: op=insert table=acme.users pk=id=32 changed=- src=binlog by=app@localhost,statement ;$' \
    "$W/out" || fail "a statement dated in the future spoilt the next"

# The same text from two connections: either may have written each row
# event group, so neither is named.
as app app-pw-1 "UPDATE users SET seen=seen+1 WHERE id=7"
as eve eve-pw-1 "UPDATE users SET seen=seen+1 WHERE id=7"
dbsc follow
expect_rc 1
[ "$(grep -c '^dbsyscheck: op=update table=acme.users pk=id=7 changed=seen src=binlog by=- ;$' "$W/out")" = 2 ] ||
    fail "a text two connections ran named an account"

# A statement the audit log cut (server_audit_query_log_limit): matched on
# what it kept.
sql "SET GLOBAL server_audit_query_log_limit = 40"
as eve eve-pw-1 "UPDATE users SET password='a-rather-long-value-past-the-cut' WHERE id=8"
dbsc follow
expect_rc 1
grep -q '^dbsyscheck: op=update table=acme.users pk=id=8 changed=password src=binlog by=eve@localhost,statement ;$' \
    "$W/out" || fail "a cut statement text was not matched"
sql "SET GLOBAL server_audit_query_log_limit = 1024"

# The log's connection id, with the statement's own QUERY record on that
# connection: a TRUNCATE, exact. A non-transactional table's group (its
# COMMIT holds a connection id, its rows their statements) by statement.
as app app-pw-1 "INSERT INTO m VALUES (1, 'a')"
as eve eve-pw-1 "UPDATE m SET v='b' WHERE id=1"
as app app-pw-1 "TRUNCATE TABLE users"
dbsc follow
expect_rc 1
recs >"$W/got"
cat >"$W/want" <<EOF
dbsyscheck: op=insert table=acme.m pk=id=1 changed=- src=binlog by=app@localhost,statement ;
dbsyscheck: op=commit rows=1 gtid=G conn=C time=T pos=P src=binlog by=app@localhost,statement ;
dbsyscheck: op=update table=acme.m pk=id=1 changed=v src=binlog by=eve@localhost,statement ;
dbsyscheck: op=commit rows=1 gtid=G conn=C time=T pos=P src=binlog by=eve@localhost,statement ;
dbsyscheck: op=ddl table=acme.users stmt=truncate gtid=G conn=C time=T pos=P src=binlog by=app@localhost,exact ;
EOF
diff -u "$W/want" "$W/got" || fail "by= from the log's connection id"

# Lines forged through a failed login's name (the plugin writes it
# unescaped, newlines too; no account needed): a CONNECT of bob on app's
# open connection. App's TRUNCATE then names no one, never bob.
mariadb --no-defaults --socket="$W/sock" -uapp -papp-pw-1 acme \
    -e "SELECT SLEEP(3); TRUNCATE TABLE m" >/dev/null 2>&1 &
apid=$!
bg_track "$apid"
P=
n=0
while [ -z "$P" ] && [ "$n" -lt 50 ]; do
	sleep 0.1
	P=$(_sql_run -e "SELECT ID FROM information_schema.PROCESSLIST
	    WHERE USER = 'app' AND INFO LIKE 'SELECT SLEEP%'")
	n=$((n + 1))
done
[ -n "$P" ] || fail "app's connection not seen"
d=$(_sql_run -e "SELECT DATE_FORMAT(NOW(), '%Y%m%d %H:%i:%s')")
forged="z,l,9,0,FAILED_CONNECT,,,0
$d,vm,bob,localhost,$P,0,CONNECT,acme,,0
$d,vm,z"
mariadb --no-defaults --socket="$W/sock" -u"$forged" -px acme \
    -e "SELECT 1" >/dev/null 2>&1 && fail "the forging login succeeded"
grep -q "bob,localhost,$P,0,CONNECT" "$W/audit.log" ||
    fail "the plugin did not write the forged line (escaped now?)"
wait "$apid" || fail "app's TRUNCATE failed"
dbsc follow
expect_rc 1
grep -q '^dbsyscheck: op=ddl table=acme.m stmt=truncate .* by=- ;$' \
    "$W/out" || fail "a forged CONNECT named an account for a TRUNCATE"
grep -q 'bob@' "$W/out" && fail "a forged line named bob"

# A change the audit log does not hold (the plugin skips the account):
# unknown, never another account's.
sql "SET GLOBAL server_audit_excl_users = 'eve'"
as eve eve-pw-1 "INSERT INTO users VALUES (9, 'e', 'e', 0)"
as app app-pw-1 "SELECT 1"
dbsc follow
expect_rc 1
grep -q '^dbsyscheck: op=insert table=acme.users pk=id=9 changed=- src=binlog by=- ;$' \
    "$W/out" || fail "an unaudited change named an account"
sql "SET GLOBAL server_audit_excl_users = ''"

# follow -f: the audit record of a statement may be written after its
# commit reached the log; the follower waits for it.
dbsc_bg follow -f
sleep 2
as app app-pw-1 "INSERT INTO users VALUES (10, 'f', 'f', 0)"
wait_for "$W/bg.out" op=commit 20
kill -TERM "$bg"
bg_wait "$bg"
grep -q '^dbsyscheck: op=insert table=acme.users pk=id=10 changed=- src=binlog by=app@localhost,statement ;$' \
    "$W/bg.out" || fail "follow -f: no by= for a live statement"

# -t checks the plugin and the file.
dbsc -t
expect_rc 0
# The plugin off: op=error, the records say by=-, exit 2; -t says so.
sql "SET GLOBAL server_audit_logging = OFF"
dbsc -t
expect_rc 2
expect_err "server_audit_logging is OFF"
as app app-pw-1 "INSERT INTO users VALUES (11, 'g', 'g', 0)"
dbsc follow
expect_rc 2
grep -q '^dbsyscheck: op=error msg=audit-log%20.*server_audit_logging%20is%20OFF' \
    "$W/out" || fail "no op=error for the plugin off"
grep -q '^dbsyscheck: op=insert table=acme.users pk=id=11 changed=- src=binlog by=- ;$' \
    "$W/out" || fail "the row record was lost with the plugin off"
sql "SET GLOBAL server_audit_logging = ON"

# Another file than the server's: op=error naming the server's.
sed "s|^audit-log .*|audit-log $W/other.log|" "$W/dbsyscheck.conf" \
    >"$W/conf.tmp" && cat "$W/conf.tmp" >"$W/dbsyscheck.conf"
: >"$W/other.log"
as app app-pw-1 "INSERT INTO users VALUES (12, 'h', 'h', 0)"
dbsc follow
expect_rc 2
grep -q "^dbsyscheck: op=error msg=audit-log%20.*writes%20its%20audit%20log%20to" \
    "$W/out" || fail "no op=error for another file"
grep -q '^dbsyscheck: op=insert table=acme.users pk=id=12 .* by=- ;$' \
    "$W/out" || fail "the row record was lost with another file"
sed "s|^audit-log .*|audit-log $W/audit.log|" "$W/dbsyscheck.conf" \
    >"$W/conf.tmp" && cat "$W/conf.tmp" >"$W/dbsyscheck.conf"

# A file anyone may write: its lines could be forged. Refused.
chmod o+w "$W/audit.log"
dbsc -t
expect_rc 2
expect_err "audit-log $W/audit.log"
as app app-pw-1 "INSERT INTO users VALUES (13, 'i', 'i', 0)"
dbsc follow
expect_rc 2
grep -q '^dbsyscheck: op=error msg=audit-log%20.*writ' "$W/out" ||
    fail "no op=error for a world-writable audit log"
grep -q '^dbsyscheck: op=insert table=acme.users pk=id=13 .* by=- ;$' \
    "$W/out" || fail "a forgeable audit log named an account"
chmod o-w "$W/audit.log"

# Rotation between runs: the statement's record is in FILE.1 now.
sql "SET GLOBAL server_audit_file_rotate_size = 4096"
as app app-pw-1 "INSERT INTO users VALUES (14, 'j', 'j', 0)"
i=0
while [ ! -f "$W/audit.log.2" ] && [ "$i" -lt 200 ]; do
	as eve eve-pw-1 "SELECT 'padding the audit log past its rotation'" \
	    >/dev/null
	i=$((i + 1))
done
[ -f "$W/audit.log.1" ] || fail "the audit log did not rotate"
dbsc follow
expect_rc 1
grep -q '^dbsyscheck: op=insert table=acme.users pk=id=14 changed=- src=binlog by=app@localhost,statement ;$' \
    "$W/out" || fail "a statement in a rotated audit file was not matched"

# A record rotated out of every file before the follower read it: the
# change names no account, and an op=error says the audit log no longer
# covers it.
sql "SET GLOBAL server_audit_file_rotations = 1"
as eve eve-pw-1 "INSERT INTO users VALUES (40, 'k', 'k', 0)"
i=0
while grep -q "VALUES (40, " "$W"/audit.log* && [ "$i" -lt 400 ]; do
	as app app-pw-1 "SELECT 'padding the audit log past two rotations'" \
	    >/dev/null
	i=$((i + 1))
done
grep -q "VALUES (40, " "$W"/audit.log* && fail "the record did not rotate out"
dbsc follow
expect_rc 2
grep -q '^dbsyscheck: op=insert table=acme.users pk=id=40 changed=- src=binlog by=- ;$' \
    "$W/out" || fail "a change whose record rotated out named an account"
grep -q '^dbsyscheck: op=error msg=audit-log%20.*older%20than%20what%20the%20audit%20log%20still%20holds.* src=audit ;$' \
    "$W/out" || fail "no op=error for a record rotated out"

# follow -f checks the plugin every minute: switched off, said once;
# on again, accounts named again.
sql "SET GLOBAL server_audit_file_rotations = 9"
sql "SET GLOBAL server_audit_file_rotate_size = 1000000"
dbsc_bg follow -f
sleep 2
sql "SET GLOBAL server_audit_logging = OFF"
wait_for "$W/bg.out" server_audit_logging%20is%20OFF 90
sql "SET GLOBAL server_audit_logging = ON"
wait_for "$W/bg.err" 'on again' 90
as app app-pw-1 "INSERT INTO users VALUES (41, 'l', 'l', 0)"
wait_for "$W/bg.out" 'pk=id=41 ' 20
kill -TERM "$bg"
bg_wait "$bg"
[ "$(grep -c 'server_audit_logging%20is%20OFF' "$W/bg.out")" = 1 ] ||
    fail "follow -f said the plugin off more than once"
grep -q '^dbsyscheck: op=insert table=acme.users pk=id=41 changed=- src=binlog by=app@localhost,statement ;$' \
    "$W/bg.out" || {
	sed 's/^/  bg.out| /' "$W/bg.out"
	sed 's/^/  bg.err| /' "$W/bg.err"
	fail "follow -f did not name an account after resuming"
}

# The first run (op=start) checks the plugin too.
dbsc reset
expect_rc 0
sql "SET GLOBAL server_audit_logging = OFF"
dbsc follow
expect_rc 2
grep -q '^dbsyscheck: op=start ' "$W/out" || fail "no op=start"
grep -q '^dbsyscheck: op=error msg=audit-log%20.*server_audit_logging%20is%20OFF.* src=audit ;$' \
    "$W/out" || fail "the first run did not check the plugin"
sql "SET GLOBAL server_audit_logging = ON"

echo "$test_name: ok"

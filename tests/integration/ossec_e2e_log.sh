#!/bin/sh
# Set-ups 4 and 5 of docs/OSSEC.md against a real OSSEC HIDS 4.2.0: cron
# scans with the documented cron line into the log file that the
# "syslog" snippet reads (one event per record): the classic insert,
# update and delete of id 7, quiet runs that raise nothing, a reset, a
# 300-row backlog with one alert for every row, and an error. Then the
# trigger log of docs/TRIGGERS.md, read by its snippet: the classic
# through the triggers, and a forged call. On a local install, which this
# is, the rules trust neither file (only an agent's location names the
# file): every record is rule 100304, level 4 (docs/OSSEC.md, "Which
# channels the rules trust"); ossec_samples.sh sends the same lines from
# an agent's location to the real analysisd, where they get their rules.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/ossec_e2e_lib.sh"
[ -f "$top_builddir/.libs/dbsyscheck_udf.so" ] ||
    fail "$top_builddir/.libs/dbsyscheck_udf.so is not built"

e2e_setup=4
e2e_glued=0
e2e_trusted=0
e2e_begin --plugin-dir="$top_builddir/.libs"
e2e_localfile 4
scanlog=$(e2e_location)
e2e_localfile 5
triglog=$(e2e_location)
[ "$(e2e_cron 4 | grep -c -F -e "$scanlog")" = 1 ] ||
    fail "the cron line of set-up 4 does not write the file its snippet reads"
# The file made before OSSEC starts, as docs/OSSEC.md says.
awk '/^### Set-up 4:/ { on = 1; next } on && /^##/ { exit }
    on && /^install / { print }' "$top_srcdir/docs/OSSEC.md" | e2e_map \
    >"$W/scanlog.run"
sed 's/^/  | /' "$W/scanlog.run"
sh -eu "$W/scanlog.run" || fail "docs/OSSEC.md's set-up 4 commands failed"
[ -f "$scanlog" ] || fail "docs/OSSEC.md's set-up 4 makes no $scanlog"

# The trigger log as docs/TRIGGERS.md (step 3) makes it, the token (step
# 2, with the trigger-token directive for the build's binary, whose
# compiled-in sysconfdir is not README's), the server's environment.
sed -n '/^### 3\. /,/^### 4\. /p' "$top_srcdir/docs/TRIGGERS.md" |
    grep -E '^ +install ' | e2e_map >"$W/triglog.run"
[ -s "$W/triglog.run" ] || fail "docs/TRIGGERS.md: no install commands in step 3"
sed 's/^/  | /' "$W/triglog.run"
sh -eu "$W/triglog.run" || fail "docs/TRIGGERS.md's step 3 failed"
[ -f "$triglog" ] || fail "docs/TRIGGERS.md's step 3 made no $triglog"
echo "trigger-token $R/etc/dbsyscheck/trigger.token" >>"$conf"
e2e_run token
[ "$rc" = 0 ] || fail "dbsyscheck token failed"
DBSYSCHECK_UDF_TOKEN=$R/etc/dbsyscheck/trigger.token
DBSYSCHECK_UDF_LOG=$triglog
export DBSYSCHECK_UDF_TOKEN DBSYSCHECK_UDF_LOG
db_restart
ossec_start

e2e_classic
e2e_reset
e2e_backlog 300
[ "$e2e_ins" = 300 ] || fail "300 inserts raised $e2e_ins insert alerts"
[ "$e2e_keys" = 300 ] || fail "the insert alerts name $e2e_keys of 300 keys"
[ "$(wc -l <"$W/backlog.alerts")" = 301 ] ||
    fail "the backlog raised other alerts than its inserts and the sentinel"
e2e_error

# The trigger log (set-up 5): the functions, loaded by the command of
# docs/TRIGGERS.md (step 4) from README's data directory (what make
# install copies from sql/), and the triggers.
sed -n '/^### 4\. /,/^### 5\. /p' "$top_srcdir/docs/TRIGGERS.md" |
    sed -n 's#^ *mariadb < ##p' >"$W/udf.sql.path"
[ "$(wc -l <"$W/udf.sql.path")" = 1 ] ||
    fail "docs/TRIGGERS.md: not one 'mariadb < FILE' in step 4"
udf_sql=$(sed "s#^$e2e_datadir/#$top_srcdir/sql/#" "$W/udf.sql.path")
[ -f "$udf_sql" ] ||
    fail "docs/TRIGGERS.md loads $(cat "$W/udf.sql.path"), not a file of $e2e_datadir"
sql <"$udf_sql"
# log_error() is an opt-in of its own (udf_install_log_error.sql).
[ "$(sql "SELECT name FROM mysql.func ORDER BY name" | tr '\n' ' ')" = \
    "dbsyscheck_chunk dbsyscheck_log " ] ||
    fail "udf_install.sql does not create exactly dbsyscheck_log and dbsyscheck_chunk"
e2e_run triggers acme.users
[ "$rc" = 0 ] || fail "dbsyscheck triggers failed"
sql <"$W/out"
sql_db acme "INSERT INTO users VALUES (7, 'xavier', 'x1', NULL)"
sql_db acme "UPDATE users SET password = 'x2' WHERE id = 7"
sql_db acme "DELETE FROM users WHERE id = 7"
e2e_expect "triggers: insert, update and delete id 7" <<EOF
100304 4 1 op=insert table=acme.users pk=id=7 changed=- src=trigger by=root@localhost ;
100304 4 1 op=update table=acme.users pk=id=7 changed=password src=trigger by=root@localhost ;
100304 4 1 op=delete table=acme.users pk=id=7 changed=- src=trigger by=root@localhost ;
EOF
[ "$(grep -c -F -e "->$triglog|" "$W/new")" = 3 ] ||
    fail "the trigger alerts are not from $triglog"

# A forged call: an account with SELECT only calls the function without
# the token, claiming to be app@localhost (the record names the claim).
sql "CREATE USER 'eve'@'localhost' IDENTIFIED BY 'pw'"
sql "GRANT SELECT ON acme.users TO 'eve'@'localhost'"
mariadb --no-defaults --socket="$W/sock" -ueve -ppw --batch \
    -e "SELECT dbsyscheck_log(NULL, 'delete', 'acme', 'users', 'app@localhost', 1, 'id', 1)" \
    >/dev/null || fail "eve's call failed"
e2e_expect "a forged call" <<EOF
100304 4 1 op=forged table=acme.users by=app@localhost src=trigger ;
EOF
exit 0

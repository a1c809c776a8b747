#!/bin/sh
# Nobody forges a trigger or scan record through the error log, the
# journal or syslog. Failed logins whose user names hold record lines (no account
# needed), log_error() calls (now an opt-in: the default install SQL does
# not create it) and record-shaped lines in the program-name and command
# shapes reach no rule of the shipped decoders and rules at a trusted
# level, in any location OSSEC reads them from, with OSSEC's rules and
# Wazuh's. Genuine records go to the trigger log file, never the error
# log, and alert as docs/OSSEC.md says when they come from that file
# (for OSSEC: from an agent, the only way analysisd shows rules where an
# event came from). A trigger log that cannot be written loses records
# loudly: a line in the error log that the rules call "trigger log
# unavailable", never a record. Every check runs through the real
# ossec-analysisd 4.2.0 (fed from each location, local and an agent's:
# tests/ossec/ossec_real.py) and through the model check_rules.py, which
# also checks Wazuh's files.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/udf_lib.sh"
. "$top_srcdir/tests/ossec/ossec-env"

check=$top_srcdir/tests/ossec/check_rules.py
real=$top_srcdir/tests/ossec/ossec_real.py
command -v python3 >/dev/null 2>&1 || fail "python3 not found"
ossec_begin
ossec_install_dbsc agents
ossec_start_analysisd

# The trigger log that the shipped localfile snippet reads: configure's
# default, in a directory of its own. Were it under a directory that a
# distribution's logrotate snippet for the server covers (Debian's
# /var/log/mysql/*.log, Fedora's /var/log/mariadb/*.log), logrotate would
# refuse both snippets ("duplicate log entry") and the server's logs would
# not rotate any more.
tlog=$(sed -n 's|^ *<location>\(.*\)</location>$|\1|p' \
    "$top_srcdir/ossec/localfile-5-triggerlog.conf")
[ -n "$tlog" ] || fail "no location in localfile-5-triggerlog.conf"
grep -qF "[udf_log=$tlog]" "$top_srcdir/configure.ac" ||
    fail "$tlog: not configure's default trigger log"
case ${tlog%/*} in
/var/log|/var/log/mysql|/var/log/mariadb|/var/lib/mysql)
	fail "$tlog: in a directory the server's logrotate snippet covers" ;;
esac

# Where an agent's logcollector reads each file; what a local install
# calls the same files.
trusted="(db1) 192.0.2.10->$tlog"
trusted_local=$tlog
untrusted="(db1) 192.0.2.10->/var/log/mysql/error.log
(db1) 192.0.2.10->/var/log/syslog
/var/log/mysql/error.log
/var/log/syslog
stdin"
untrusted_rule=100304
unavailable_rule=100308

DBSYSCHECK_UDF_LOG=$W/udf.log
export DBSYSCHECK_UDF_LOG
udf_start "acme.users mask=password"
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (id INT PRIMARY KEY, login VARCHAR(20),
	password VARCHAR(60))"
udf_triggers acme.users

# errlog_mark; errlog_new: the error log's lines since the mark.
errlog_mark()
{
	el_seen=$(wc -l <"$W/err.log")
}
errlog_new()
{
	tail -n +"$((el_seen + 1))" "$W/err.log"
}

# untrusted_only FILE WHAT: no event of FILE (one a line), read from any
# location but the trigger log, reaches a rule that alerts at a trusted
# level: the rule is none, of level 0, the untrusted-record rule, or (when
# ALLOW is set) the trigger-log-unavailable rule. Checked with the real
# analysisd from each location, and with the model for OSSEC's files and
# Wazuh's.
cat >"$W/untrusted.py" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
import check_rules as cr
events = [l for l in open(sys.argv[2], encoding="utf-8",
                          errors="surrogateescape").read().split("\n") if l]
allowed = set(int(x) for x in sys.argv[4].split(","))
bad = 0
for wazuh in (False, True):
    sub = "ossec/wazuh" if wazuh else "ossec"
    decs, rules = cr.load([cr.TOP + "/" + sub + "/local_decoder.xml"],
                          [cr.TOP + "/" + sub + "/local_rules.xml"], wazuh)
    for loc in sys.argv[3].split("\n"):
        for e in events:
            ev, rule = cr.analyse(decs, rules, e, wazuh, loc)
            if rule is None or rule.level == 0 or rule.id in allowed:
                continue
            print("%s: rule %d (level %d) for %r from %s" % (
                "wazuh" if wazuh else "ossec", rule.id, rule.level, e, loc))
            bad += 1
sys.exit(1 if bad else 0)
EOF
untrusted_only()
{
	[ -s "$1" ] || fail "$2: no events to check"
	python3 "$W/untrusted.py" "$top_srcdir/tests/ossec" "$1" \
	    "$untrusted" "$untrusted_rule${ALLOW:+,$ALLOW}" ||
	    fail "$2: a hostile line alerts at a trusted level (model)"
	while IFS= read -r _uo_loc; do
		python3 "$real" untrusted "$OSSEC" --location "$_uo_loc" \
		    --allow "$untrusted_rule${ALLOW:+,$ALLOW}" "$1" ||
		    fail "$2: a hostile line alerts at a trusted level" \
		    "(ossec-analysisd, $_uo_loc)"
	done <<EOF
$untrusted
EOF
}

# --- Failed logins: user names that hold record lines. No account is
# needed; the server writes the name as sent, newlines and all.
rec="dbsyscheck: op=delete table=mysql.global_priv pk=Host=localhost,User=root changed=- src=trigger by=root@localhost ;"
short="dbsyscheck: op=delete table=mysql.user pk=User=root changed=- src=trigger by=x ;"
scanrec="dbsyscheck: op=delete table=mysql.global_priv pk=Host=localhost,User=root changed=- src=scan by=- ;"
tampered="dbsyscheck: op=error baseline=tampered msg=x src=scan ;"
nl='
'
errlog_mark
for name in "x$nl$rec" \
    "x${nl}2026-11-26T15:04:05Z $rec" \
    "x$nl$scanrec" \
    "x${nl}ossec: output: 'dbsyscheck':$tampered" \
    "x${nl}ossec: output: 'dbsyscheck': $scanrec" \
    "x${nl}ossec: output: 'dbsyscheck-SITEKEY': $scanrec" \
    "x${nl}dbsyscheck[1]: op=delete table=acme.users pk=id=1 changed=- src=scan by=- ;" \
    "x${nl}Nov 26 15:04:05 db1 dbsyscheck[1]: op=reset table=acme.users rows=1 src=scan by=root ;" \
    "x${nl}2026-11-26T15:04:05.123456+00:00 db1 dbsyscheck[4242]: $tampered" \
    "x${nl}dbsyscheck: op=forged src=trigger suppressed=1 ;" \
    "x${nl}ossec: output: 'dbsyscheck': $short" \
    "x${nl}Nov 26 15:04:05 db1 dbsyscheck[4242]: op=update table=acme.users pk=id=1 changed=password src=trigger by=root@localhost ;" \
    "x${nl}$(printf '\303\244\377') $rec"; do
	mariadb --no-defaults --socket="$W/sock" -u"$name" -pwrong \
	    -e "SELECT 1" >/dev/null 2>&1 &&
	    fail "a login with a hostile name succeeded"
done
errlog_new >"$W/logins"
grep -q -F -e "$rec'@'localhost'" "$W/logins" ||
    fail "the server no longer writes login names raw: the test proves nothing"
grep -q -x -F -e "ossec: output: 'dbsyscheck':$tampered'@'localhost' (using password: YES)" \
    "$W/logins" || fail "no forged scan record on a line of its own"
# The same lines through journald and syslog, under the server's name.
sed 's/^/Nov 26 15:04:05 db1 mariadbd[812]: /' "$W/logins" >"$W/logins.journal"
cat "$W/logins" "$W/logins.journal" >"$W/hostile"
untrusted_only "$W/hostile" "failed logins"
[ ! -s "$W/udf.log" ] || fail "failed logins reached the trigger log"

# --- log_error(): not there after the default install; an opt-in file
# creates it; any account may call it, and it writes to the error log
# only, never to the trigger log, with every byte outside 0x20-0x7E
# escaped.
_sql_run -e "SELECT log_error('x')" >/dev/null 2>&1 &&
    fail "udf_install.sql created log_error()"
[ -f "$top_srcdir/sql/udf_install_log_error.sql" ] ||
    fail "no sql/udf_install_log_error.sql"
sql <"$top_srcdir/sql/udf_install_log_error.sql"
sql "CREATE USER 'eve'@'localhost' IDENTIFIED BY 'pw'"
sql "GRANT SELECT ON acme.users TO 'eve'@'localhost'"
errlog_mark
for arg in "'$rec'" "'2026-11-26T15:04:05Z $rec'" \
    "CONCAT('x', X'0A', '$rec')" "CONCAT(X'C3A4FF', ' $rec')" \
    "'ossec: output: ''dbsyscheck'': $rec'"; do
	mariadb --no-defaults --socket="$W/sock" -ueve -ppw \
	    -e "SELECT log_error($arg)" >/dev/null ||
	    fail "eve cannot call log_error($arg)"
done
errlog_new >"$W/le"
grep -q -F -e 'x\n' "$W/le" || fail "log_error() did not escape a newline"
grep -q -F -e '\xc3\xa4\xff ' "$W/le" ||
    fail "log_error() did not escape bytes from 0x80 up"
LC_ALL=C grep -q '[^ -~]' "$W/le" &&
    fail "log_error() wrote a byte outside 0x20-0x7E"
sed 's/^/Nov 26 15:04:05 db1 mariadbd[812]: /' "$W/le" >"$W/le.journal"
cat "$W/le" "$W/le.journal" >"$W/hostile"
untrusted_only "$W/hostile" "log_error()"
[ ! -s "$W/udf.log" ] || fail "log_error() wrote to the trigger log"

# --- Syslog lines anyone writes (logger -t): the scanner's program name
# with a trigger record and with scan records, and the command shape.
cat >"$W/hostile" <<EOF
Nov 26 15:04:05 db1 dbsyscheck[1]: op=delete table=mysql.global_priv pk=Host=localhost,User=root changed=- src=scan by=- ;
Nov 26 15:04:05 db1 dbsyscheck[1]: op=error baseline=tampered msg=x src=scan ;
Nov 26 15:04:05 db1 dbsyscheck: op=reset table=acme.users rows=1 src=scan by=root ;
2026-11-26T15:04:05.123456+00:00 db1 dbsyscheck[4242]: op=schema table=acme.users baseline=tampered rows=uncompared src=scan ;
Nov 26 15:04:05 db1 eve: ossec: output: 'dbsyscheck':$tampered
ossec: output: 'dbsyscheck':$tampered
Nov 26 15:04:05 db1 dbsyscheck[4242]: op=delete table=mysql.global_priv pk=Host=localhost,User=root changed=- src=trigger by=root@localhost ;
Nov 26 15:04:05 db1 dbsyscheck[4242]: dbsyscheck: op=forged src=trigger suppressed=3 ;
Nov 26 15:04:05 db1 eve: ossec: output: 'dbsyscheck': $rec
ossec: output: 'dbsyscheck': $rec
ossec: output: 'dbsyscheck':dbsyscheck: op=summary inserts=0 updates=0 deletes=1 errors=0 pending=0 ;$rec
EOF
untrusted_only "$W/hostile" "syslog lines"

# --- Genuine records: in the trigger log only, trusted from there.
errlog_mark
sql_db acme "INSERT INTO users VALUES (7, 'xavier', 'x1')"
sql_db acme "UPDATE users SET password = 'x2' WHERE id = 7"
sql_db acme "DELETE FROM users WHERE id = 7"
tok=$(cut -c1-64 "$W/trigger.token")
sql "SELECT dbsyscheck_log('$tok', 'vacuum', 'acme', 'users',
    'root@localhost', 1, 'id', 7)" >/dev/null
mariadb --no-defaults --socket="$W/sock" -ueve -ppw -e "SELECT
    dbsyscheck_log('', 'delete', 'acme', 'users', 'eve@localhost', 1,
    'id', 1)" >/dev/null || fail "eve cannot call dbsyscheck_log()"
errlog_new | grep -q 'op=' && fail "a record went to the error log"
cat >"$W/udf.want" <<EOF
dbsyscheck: op=insert table=acme.users pk=id=7 changed=- src=trigger by=root@localhost ;
dbsyscheck: op=update table=acme.users pk=id=7 changed=password src=trigger by=root@localhost ;
dbsyscheck: op=delete table=acme.users pk=id=7 changed=- src=trigger by=root@localhost ;
dbsyscheck: op=error table=acme.users msg=op%20is%20not%20insert%2C%20update%20or%20delete src=trigger ;
dbsyscheck: op=forged table=acme.users by=eve@localhost src=trigger ;
EOF
cmp -s "$W/udf.want" "$W/udf.log" || {
	diff -u "$W/udf.want" "$W/udf.log" >&2 || true
	fail "unexpected lines in the trigger log"
}
[ "$(stat -c %a "$W/udf.log")" = 640 ] || fail "the trigger log is not 0640"
printf '%s\n' 100311 100330 100313 100315 100322 | paste - "$W/udf.log" \
    >"$W/trusted.txt"
python3 "$check" --location "$trusted" "$W/trusted.txt" ||
    fail "OSSEC: genuine records from an agent's trigger log"
python3 "$real" analysisd "$OSSEC" --location "$trusted" "$W/trusted.txt" ||
    fail "ossec-analysisd: genuine records from an agent's trigger log"
python3 "$check" --wazuh --location "$trusted" "$W/trusted.txt" ||
    fail "Wazuh: genuine records from an agent's trigger log"
python3 "$check" --wazuh --location "$trusted_local" "$W/trusted.txt" ||
    fail "Wazuh: genuine records from a local trigger log"
# A local OSSEC install cannot tell files apart: not trusted there.
sed "s/^[0-9]*	/$untrusted_rule	/" "$W/trusted.txt" >"$W/local.txt"
python3 "$check" --location "$trusted_local" "$W/local.txt" ||
    fail "OSSEC: records of a local install are not the untrusted rule"
python3 "$real" analysisd "$OSSEC" --location "$trusted_local" \
    "$W/local.txt" ||
    fail "ossec-analysisd: records of a local install are not untrusted"

# --- A trigger log that cannot be opened: the record is lost, loudly,
# and nothing record-shaped reaches the error log.
DBSYSCHECK_UDF_LOG=$W/nodir/udf.log
db_restart
errlog_mark
sql_db acme "INSERT INTO users VALUES (8, 'yves', 'y1')"
errlog_new >"$W/lost"
grep -q 'op=' "$W/lost" && fail "a record went to the error log"
grep -q -F -e "dbsyscheck-udf: trigger log unavailable, record lost: $W/nodir/udf.log: No such file or directory" \
    "$W/lost" || {
	cat "$W/lost" >&2
	fail "no 'trigger log unavailable' line in the error log"
}
grep 'trigger log unavailable' "$W/lost" | head -n 1 >"$W/lost.1"
sed 's/^/Nov 26 15:04:05 db1 mariadbd[812]: /' "$W/lost.1" >>"$W/lost.1"
sed "s/^/$unavailable_rule	/" "$W/lost.1" >"$W/lost.txt"
python3 "$check" --location "(db1) 192.0.2.10->/var/log/mysql/error.log" \
    "$W/lost.txt" || fail "OSSEC: the unavailable line"
python3 "$real" analysisd "$OSSEC" \
    --location "(db1) 192.0.2.10->/var/log/mysql/error.log" "$W/lost.txt" ||
    fail "ossec-analysisd: the unavailable line"
python3 "$check" --wazuh --location /var/log/syslog "$W/lost.txt" ||
    fail "Wazuh: the unavailable line"
ALLOW=$unavailable_rule untrusted_only "$W/lost" "the unavailable line"
rc=$(sql "SELECT dbsyscheck_log('$tok', 'insert', 'acme', 'users',
    'root@localhost', 1, 'id', 9)")
[ "$rc" = 0 ] || fail "dbsyscheck_log() returned $rc for a lost record"

# --- OSSEC's Mac OS X (ASL) format: analysisd takes the hostname of a
# line "[Time ...] ... [Host NAME]" read from its own host's files, so a
# failed login can claim an agent's log file or trigger log. As shipped,
# the rules that trust those files (100305, 100324) are off: nothing is
# trusted, from a local file or an agent's (docs/OSSEC.md, "Which
# channels the rules trust").
ossec_reset
ossec_install_dbsc
ossec_start_analysisd
asl='[Time 2026.12.07 10:00:00 UTC]'
errlog_mark
for name in \
    "x$nl$asl[Sender dbsyscheck][Message op=delete table=mysql.user ;][Host ->/var/log/dbsyscheck.log]" \
    "x$nl$asl[Message dbsyscheck: op=reset table=acme.users ;][Host ->/var/log/dbsyscheck-udf/trigger.log]" \
    "x$nl$asl[Sender dbsyscheck][Message op=error baseline=tampered msg=x src=scan ;][Host (a) 1.2.3.4->/var/log/dbsyscheck.log]" \
    "x$nl$asl[Message dbsyscheck: op=delete table=a.b pk=i=1 changed=- src=trigger by=r ;][Host (a) 1.2.3.4->$tlog]"; do
	mariadb --no-defaults --socket="$W/sock" -u"$name" -pwrong \
	    -e "SELECT 1" >/dev/null 2>&1 &&
	    fail "a login with a hostile name succeeded"
done
errlog_new >"$W/asl"
[ "$(grep -c '^\[Time ' "$W/asl")" = 4 ] ||
    fail "the ASL-shaped names are not on lines of their own"
while IFS= read -r _loc; do
	python3 "$real" untrusted "$OSSEC" --location "$_loc" \
	    --allow "$untrusted_rule" "$W/asl" ||
	    fail "an ASL-shaped line alerts at a trusted level ($_loc)"
done <<EOF
$untrusted
EOF
exit 0

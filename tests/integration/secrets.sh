#!/bin/sh
# Secrets: unsafe modes and owners of the config, option and key files are
# refused with a message naming the file and the fix; the password never
# shows on argv, in the environment, in records, on stderr or in the
# baseline; core dumps are off; mask= values never leave the process (text,
# JSON, --log); sql/grant.sql gives an account that can scan and nothing
# more.
. "$(dirname "$0")/setup"

pw='Pw-secret-9d71e2-never-shown'
masked='MASKED-VALUE-5c2f-do-not-print'
R='src=scan by=- ;'

db_start --innodb-buffer-pool-size=256M
sql "CREATE DATABASE sec"
sql_db sec "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40),
	secret VARCHAR(80))"
sql_db sec "INSERT INTO t VALUES (1, 'one', '$masked-1'), (2, 'two', NULL)"
sql_db sec "CREATE TABLE big (id INT PRIMARY KEY, v VARCHAR(40),
	pad VARCHAR(255))"
sql_db sec "INSERT INTO big SELECT seq, MD5(seq), REPEAT(MD5(seq), 6)
	FROM seq_1_to_300000"
sql "CREATE USER 'scan'@'localhost' IDENTIFIED BY '$pw';
	GRANT SELECT ON sec.t TO 'scan'@'localhost';
	GRANT SELECT ON sec.big TO 'scan'@'localhost'"

# conf [more table lines]: sec.t with mask=secret, the scan account.
conf()
{
	dbsc_conf "sec.t mask=secret" "$@"
	printf '[client]\nsocket=%s\nuser=scan\npassword=%s\n' "$W/sock" \
	    "$pw" >"$W/my.cnf"
	chmod 0600 "$W/my.cnf"
}

# nothing_leaks FILE...: neither the password nor a masked value (nor
# their percent-encodings) is in any of the files.
nothing_leaks()
{
	for _f in "$@"; do
		[ -e "$_f" ] || fail "nothing_leaks: no $_f"
		for _s in "$pw" "$masked"; do
			_e=$(printf '%s' "$_s" | pct)
			if grep -a -F -q -e "$_s" "$_f" ||
			    grep -a -F -q -e "$_e" "$_f"; then
				fail "$_f holds a secret ($_s)"
			fi
		done
	done
	return 0
}

conf
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=baseline table=sec.t rows=2 src=scan ;
EOF
nothing_leaks "$W/out" "$W/errout" "$W/baseline.db"

# refused MSG: a scan is refused with exactly MSG, touching nothing.
refused()
{
	_sum=$(bl_sha)
	dbsc scan
	expect_error_run "$1"
	[ "$(bl_sha)" = "$_sum" ] || fail "the baseline changed"
}

# A pending change every refusal must leave for the next good run.
sql_db sec "UPDATE t SET v = 'uno' WHERE id = 1"
cat >"$W/expected.pending" <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=sec.t pk=id=1 changed=v $R
EOF

case_modes()
{
	C=$W/dbsyscheck.conf M=$W/my.cnf K=$W/hmac.key
	for mode in 0620 0602 0660 0666; do
		chmod "$mode" "$C"
		refused "$C: group- or world-writable (mode $mode), run: chmod go-w '$C'"
	done
	chmod 0644 "$C"
	for f in "$M" "$K"; do
		for mode in 0640 0604 0644 0700; do
			chmod "$mode" "$f"
			if [ "$mode" = 0700 ]; then
				# The owner's x bit is harmless.
				continue
			fi
			refused "$f: group- or world-accessible (mode $mode), run: chmod 600 '$f'"
		done
		for mode in 0620 0602; do
			chmod "$mode" "$f"
			refused "$f: group- or world-writable (mode $mode), run: chmod go-w '$f'"
		done
		chmod 0600 "$f"
	done
	dbsc scan
	expect_rc 1
	expect_out <"$W/expected.pending"
}
case_run modes case_modes

sql_db sec "UPDATE t SET v = 'eins' WHERE id = 1"

case_owners()
{
	for f in "$W/dbsyscheck.conf" "$W/my.cnf" "$W/hmac.key"; do
		chown nobody "$f"
		refused "$f: owned by uid $(id -u nobody), not by root or the invoking user, who may have written what it holds: move it to a place of root's, or check it and run: chown $(id -u) '$f'"
		chown "$(id -u)" "$f"
	done
	dbsc scan
	expect_rc 1
	expect_out <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=sec.t pk=id=1 changed=v $R
EOF
}
case_run owners case_owners

# wait_streaming TABLE: wait until a scan waits to read sec.TABLE (hold_table).
wait_streaming()
{
	_n=0
	while [ "$(sql "SELECT COUNT(*) FROM information_schema.PROCESSLIST
	    WHERE ID <> CONNECTION_ID() AND
	    STATE = 'Waiting for table metadata lock' AND
	    INFO LIKE 'SELECT %FROM \`sec\`.\`$1\`%'")" = 0 ]; do
		_n=$((_n + 1))
		[ "$_n" -lt 3000 ] || fail "the scan never came to the table"
		_alive "$bg" || fail "the scan ended too soon"
		sleep 0.02
	done
}

# hold_table T: another session holds a write lock on sec.T until
# release_table, so that a scan's read of it waits (lock_wait_timeout is
# an hour in the scan's session): the scan is then certainly running
# while the test looks at it, however fast or loaded the machine.
hold_table()
{
	_sql_run -e "LOCK TABLES sec.$1 WRITE; SELECT SLEEP(600)" \
	    >/dev/null 2>&1 &
	table_holder=$!
	bg_track "$table_holder"
	_n=0
	while [ "$(sql "SELECT COUNT(*) FROM information_schema.PROCESSLIST
	    WHERE INFO = 'SELECT SLEEP(600)'")" = 0 ]; do
		_n=$((_n + 1))
		[ "$_n" -lt 3000 ] || fail "could not lock sec.$1"
		sleep 0.02
	done
}

release_table()
{
	sql "SELECT ID FROM information_schema.PROCESSLIST
	    WHERE INFO = 'SELECT SLEEP(600)'" | while read -r _id; do
		sql "KILL $_id"
	done
	bg_kill "$table_holder"
}

# While a scan runs: its argv and environment hold no password, core dumps
# are off; afterwards stdout, stderr and the baseline hold none either.
case_running()
{
	conf "sec.big"
	dbsc --max-bytes 0 scan
	expect_rc 1
	sql_db sec "UPDATE big SET v = 'x' WHERE id = 299999"
	hold_table big
	dbsc_bg --max-bytes 0 scan
	wait_streaming big
	tr '\0' '\n' <"/proc/$bg/cmdline" >"$W/cmdline"
	tr '\0' '\n' <"/proc/$bg/environ" >"$W/environ"
	grep 'Max core file size' "/proc/$bg/limits" >"$W/limits"
	release_table
	bg_wait "$bg"
	[ "$st" = 1 ] || fail "the scan exited $st"
	sed 's/^/  cmdline| /' "$W/cmdline"
	sed 's/^/  limits| /' "$W/limits"
	nothing_leaks "$W/cmdline" "$W/environ" "$W/bg.out" "$W/bg.err" \
	    "$W/baseline.db"
	grep -E -q '^Max core file size +0 +0 +bytes' "$W/limits" ||
	    fail "core dumps are not off"
	# MYSQL_PWD is ignored, with a warning: only the option file counts.
	sql_db sec "UPDATE big SET v = 'y' WHERE id = 299999"
	MYSQL_PWD=wrong-password-in-env
	export MYSQL_PWD
	dbsc --max-bytes 0 scan
	unset MYSQL_PWD
	expect_rc 1
	expect_out <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=sec.big pk=id=299999 changed=v $R
EOF
	expect_err "MYSQL_PWD is set: ignoring it"
}
case_run running case_running

# Run as an unprivileged user, the process is not dumpable: the kernel then
# makes its /proc files root's (a dumpable process's are its own).
case_not_dumpable()
{
	nb=$(id -u nobody)
	chmod 0711 "$W"
	mkdir "$W/nb"
	printf '[client]\nsocket=%s\nuser=scan\npassword=%s\n' "$W/sock" \
	    "$pw" >"$W/nb/my.cnf"
	printf 'baseline %s\nkey %s\nmysql-defaults-file %s\ntable sec.big\n' \
	    "$W/nb/baseline.db" "$W/nb/hmac.key" "$W/nb/my.cnf" \
	    >"$W/nb/dbsyscheck.conf"
	chmod 0600 "$W/nb/my.cnf" "$W/nb/dbsyscheck.conf"
	chown -R "$nb" "$W/nb"
	hold_table big
	setpriv --reuid="$nb" --regid="$(id -g nobody)" --clear-groups -- \
	    "$top_builddir/dbsyscheck" -c "$W/nb/dbsyscheck.conf" \
	    --max-bytes 0 scan >"$W/bg.out" 2>"$W/bg.err" </dev/null &
	bg=$!
	bg_track "$bg"
	wait_streaming big
	owner=$(stat -c %u "/proc/$bg/environ")
	uid=$(awk '/^Uid:/ { print $2 }' "/proc/$bg/status")
	grep 'Max core file size' "/proc/$bg/limits" >"$W/limits"
	release_table
	bg_wait "$bg"
	sed 's/^/  bg| /' "$W/bg.out" "$W/bg.err"
	[ "$st" = 1 ] || fail "the scan as nobody exited $st"
	[ "$uid" = "$nb" ] || fail "setup: the scan ran as uid $uid"
	[ "$owner" = 0 ] ||
	    fail "/proc/PID/environ is owned by $owner: the process is dumpable"
	grep -E -q '^Max core file size +0 +0 +bytes' "$W/limits" ||
	    fail "core dumps are not off"
}
case_run not_dumpable case_not_dumpable

# mask= columns: a record says the column changed, never its value: text,
# JSON, the --log sink, stderr, the baseline.
case_mask()
{
	conf
	dbsc scan
	sql_db sec "UPDATE t SET secret = '$masked-2' WHERE id = 1;
		INSERT INTO t VALUES (3, 'three', '$masked-3')"
	dbsc --log "$W/sink.log" scan
	expect_rc 1
	expect_out <<EOF
$(summary 1 1 0)
dbsyscheck: op=update table=sec.t pk=id=1 changed=secret $R
dbsyscheck: op=insert table=sec.t pk=id=3 changed=- $R
EOF
	grep -q ' op=update table=sec.t pk=id=1 changed=secret src=scan by=- ;$' \
	    "$W/sink.log" || fail "the log sink did not get the record"
	nothing_leaks "$W/out" "$W/errout" "$W/sink.log" "$W/baseline.db"
	sql_db sec "UPDATE t SET secret = CONCAT('$masked', X'0A', 'x')
		WHERE id = 3; DELETE FROM t WHERE id = 2"
	dbsc --format json --log "$W/sink.json" scan
	expect_rc 1
	expect_out <<EOF
{"program":"dbsyscheck","op":"summary","inserts":"0","updates":"1","deletes":"1","errors":"0","pending":"0"}
{"program":"dbsyscheck","op":"delete","table":"sec.t","pk":"id=2","changed":"-","src":"scan","by":"-"}
{"program":"dbsyscheck","op":"update","table":"sec.t","pk":"id=3","changed":"secret","src":"scan","by":"-"}
EOF
	jq -c . <"$W/out" >/dev/null || fail "stdout is not JSON lines"
	jq -c . <"$W/sink.json" >/dev/null || fail "the JSON log is not JSON"
	grep -q '"op":"update","table":"sec.t","pk":"id=3","changed":"secret"' \
	    "$W/sink.json" || fail "the JSON log did not get the record"
	nothing_leaks "$W/out" "$W/errout" "$W/sink.json" "$W/baseline.db"
}
case_run mask case_mask

# sql/grant.sql, for this test's tables, on a fresh account: SELECT on the
# watched tables and nothing else, and a scan works under exactly it.
case_grant_sql()
{
	[ -f "$top_srcdir/sql/grant.sql" ] || fail "no sql/grant.sql"
	gpw='Grant-pw-0b8e44'
	sed -e "s/CHANGE-ME-dbsyscheck-password/$gpw/" \
	    -e 's/acme\.users/sec.t/' -e 's/acme\.orders/sec.big/' \
	    "$top_srcdir/sql/grant.sql" >"$W/grant.sql"
	sql <"$W/grant.sql"
	sql "SHOW GRANTS FOR 'dbsyscheck'@'localhost'" >"$W/grants"
	sed 's/^/  grant| /' "$W/grants"
	[ "$(wc -l <"$W/grants")" = 3 ] || fail "not exactly three grants"
	grep -q "^GRANT USAGE ON \*\.\* TO \`dbsyscheck\`@\`localhost\` IDENTIFIED BY PASSWORD '\*[0-9A-F]*'\$" \
	    "$W/grants" || fail "the account has global privileges"
	grep -q '^GRANT SELECT ON `sec`.`t` TO `dbsyscheck`@`localhost`$' \
	    "$W/grants" || fail "no SELECT on sec.t"
	grep -q '^GRANT SELECT ON `sec`.`big` TO `dbsyscheck`@`localhost`$' \
	    "$W/grants" || fail "no SELECT on sec.big"
	# A fresh baseline, under that account only.
	rm -f "$W/baseline.db" "$W/hmac.key"
	dbsc_conf "sec.t mask=secret" "sec.big"
	printf '[client]\nsocket=%s\nuser=dbsyscheck\npassword=%s\n' \
	    "$W/sock" "$gpw" >"$W/my.cnf"
	chmod 0600 "$W/my.cnf"
	dbsc -t
	expect_rc 0
	dbsc --max-bytes 0 scan
	expect_rc 1
	expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=baseline table=sec.t rows=$(sql "SELECT COUNT(*) FROM sec.t") src=scan ;
dbsyscheck: op=baseline table=sec.big rows=300000 src=scan ;
EOF
	sql_db sec "INSERT INTO t VALUES (4, 'four', NULL)"
	dbsc --max-bytes 0 scan
	expect_rc 1
	expect_out <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=sec.t pk=id=4 changed=- $R
EOF
	# And the account can do nothing but read.
	if mariadb --no-defaults --socket="$W/sock" -udbsyscheck -p"$gpw" \
	    -e "DELETE FROM sec.t" 2>/dev/null; then
		fail "the account may delete"
	fi
	if mariadb --no-defaults --socket="$W/sock" -udbsyscheck -p"$gpw" \
	    -e "CREATE TABLE sec.x (a INT)" 2>/dev/null; then
		fail "the account may create tables"
	fi
}
case_run grant_sql case_grant_sql

case_end

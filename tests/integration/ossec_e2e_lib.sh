# Helpers for the ossec_e2e_*.sh tests, sourced after setup: dbsyscheck
# installed and configured as README says, the decoders and rules
# installed as docs/OSSEC.md says, a documented <localfile> set-up in a
# real OSSEC HIDS 4.2.0 (tests/ossec/ossec-env), and the alerts it raises.
#
# Nothing here names an install path, a command or an alias of its own:
# they come from README.md, docs/OSSEC.md and ossec/localfile-*.conf, with
# every absolute path moved below $R (a root of the test's own, a place
# dbsyscheck's permission checks accept) and OSSEC's /var/ossec replaced by
# its test prefix. A wrong path or command in the docs fails the test.

. "$top_srcdir/tests/ossec/ossec-env"

# The documented install (README: make install with the default prefix,
# configure with --sysconfdir=/etc --localstatedir=/var).
e2e_sbin=/usr/local/sbin
e2e_datadir=/usr/local/share/dbsyscheck
# Seconds to wait for the alerts of one step; generous on purpose (the
# machine is shared): the test never passes by waiting, only by what
# alerts.log then holds.
: "${E2E_DEADLINE:=120}"

# e2e_map: standard input with every absolute path but /dev's moved below
# $R (a path starts a word, or follows '=' or '>').
e2e_map()
{
	sed -e "s#\\(^\\|[ =>]\\)/#\\1$R/#g" -e "s#$R/dev/#/dev/#g"
}

# e2e_begin [mariadbd args...]: OSSEC reset for this test, a server, the
# manager's files per docs/OSSEC.md and dbsyscheck per README.
e2e_begin()
{
	ossec_begin
	ossec_ordered
	R=$W/root
	mkdir -p "$R/var/lib" "$R/var/log" "$R$e2e_sbin"
	# "make install" puts the binary here; the test runs the build's.
	ln -s "$top_builddir/dbsyscheck" "$R$e2e_sbin/dbsyscheck"
	db_start --userstat=1 "$@"
	e2e_manager_install
	e2e_schema
	e2e_dbsc_install
	alerts_seen=0
}

# e2e_code FILE HEADING: the first ``` block after the line HEADING.
e2e_code()
{
	awk -v h="$2" '
	$0 == h { on = 1; next }
	on && /^```/ { if (in_block) exit; in_block = 1; next }
	on && in_block { print }' "$1"
}

# e2e_manager_install: run docs/OSSEC.md's commands for the manager of an
# OSSEC HIDS install, with /var/ossec the test's OSSEC and the installed
# data directory the source tree's ossec/ (what make install copies). The
# restart is ours to do (ossec_start: analysisd and logcollector only);
# the configuration test before it runs.
e2e_manager_install()
{
	e2e_code "$top_srcdir/docs/OSSEC.md" "## On the manager" \
	    >"$W/manager.sh"
	[ -s "$W/manager.sh" ] ||
	    fail "docs/OSSEC.md: no commands under '## On the manager'"
	mkdir -p "$R/root"
	chmod 0700 "$R/root"
	sed -e "s#$e2e_datadir/ossec#$top_srcdir/ossec#g" \
	    -e "s#/var/ossec#$OSSEC#g" -e "s#/root/#$R/root/#g" \
	    -e 's#[[:space:]]*&&[^&]*ossec-control restart[[:space:]]*$##' \
	    "$W/manager.sh" >"$W/manager.run"
	echo "+ the manager's commands of docs/OSSEC.md:"
	sed 's/^/  | /' "$W/manager.run"
	(cd "$W" && sh -eu "$W/manager.run") >"$W/manager.out" 2>&1 || {
		cat "$W/manager.out" >&2
		fail "docs/OSSEC.md: the manager's commands failed"
	}
	# What OSSEC HIDS loads: etc/local_decoder.xml and the rules its
	# ossec.conf includes from rules/.
	grep -q 'id="100311"' "$OSSEC/rules/local_rules.xml" ||
	    fail "the rules are not in $OSSEC/rules/local_rules.xml"
	grep -q '<decoder name="dbsyscheck' "$OSSEC/etc/local_decoder.xml" ||
	    fail "the decoders are not in $OSSEC/etc/local_decoder.xml"
	# The site key was written into the rules and the snippet copies.
	! grep -q 'dbsyscheck-SITEKEY' "$OSSEC/rules/local_rules.xml" ||
	    fail "the installed rules still hold dbsyscheck-SITEKEY"
	e2e_keyed=$R/root/dbsyscheck-ossec
	ls "$e2e_keyed"/localfile-*.conf >/dev/null 2>&1 ||
	    fail "docs/OSSEC.md's commands wrote no keyed snippets in /root/dbsyscheck-ossec"
}

# e2e_schema: the tables of the configuration example.
e2e_schema()
{
	sql "CREATE DATABASE acme"
	sql_db acme "CREATE TABLE users (id INT PRIMARY KEY,
	    login VARCHAR(40) NOT NULL, password VARCHAR(60) NOT NULL,
	    last_login DATETIME NULL)"
	sql_db acme "INSERT INTO users VALUES (1, 'alice', 'a1', NULL),
	    (2, 'bob', 'b1', NULL)"
	sql_db acme "CREATE TABLE orders (id INT PRIMARY KEY, total INT)"
	sql_db acme "INSERT INTO orders VALUES (1, 10)"
}

# e2e_dbsc_install: README's quick start: the account of sql/grant.sql
# (its password changed), the install commands of README for the option
# file and the configuration (the examples, with the socket, the
# password and the paths edited as a site does).
e2e_dbsc_install()
{
	e2e_pw=e2e-$(od -An -N8 -tx1 /dev/urandom | tr -d ' ')
	sed "s/CHANGE-ME-dbsyscheck-password/$e2e_pw/" \
	    "$top_srcdir/sql/grant.sql" | sql
	grep -E '^ +install ' "$top_srcdir/README.md" | e2e_map \
	    >"$W/install.run"
	[ "$(wc -l <"$W/install.run")" -ge 3 ] ||
	    fail "README: no install commands in the quick start"
	echo "+ README's install commands:"
	sed 's/^/  | /' "$W/install.run"
	# They install the examples as make writes them (etc/*.example.in
	# with the configured paths) for README's configure, whatever the
	# build tree's own was.
	grep -q -- '--sysconfdir=/etc --localstatedir=/var' \
	    "$top_srcdir/README.md" ||
	    fail "README no longer recommends --sysconfdir=/etc --localstatedir=/var"
	mkdir -p "$W/tree/etc"
	for _f in dbsyscheck.conf.example my.cnf.example; do
		sed -e 's|@SYSCONFDIR@|/etc/dbsyscheck|g' \
		    -e 's|@STATEDIR@|/var/lib/dbsyscheck|g' \
		    "$top_srcdir/etc/$_f.in" >"$W/tree/etc/$_f"
	done
	(cd "$W/tree" && sh -eu "$W/install.run") ||
	    fail "README's install commands failed"
	conf=$R/etc/dbsyscheck/dbsyscheck.conf
	mycnf=$R/etc/dbsyscheck/my.cnf
	[ -f "$conf" ] && [ -f "$mycnf" ] ||
	    fail "README's install commands made no $conf and $mycnf"
	# Edited in place, so that the installed modes stay.
	sed -e "s#^socket *=.*#socket = $W/sock#" \
	    -e "s/CHANGE-ME-dbsyscheck-password/$e2e_pw/" "$mycnf" >"$W/tmp.cnf"
	cat "$W/tmp.cnf" >"$mycnf"
	grep -v '^#' "$conf" | grep -v '^$' | e2e_map >"$W/tmp.conf"
	cat "$W/tmp.conf" >"$conf"
	echo "+ $conf:"
	sed 's/^/  | /' "$conf"
	e2e_run -t
	[ "$rc" = 0 ] || fail "dbsyscheck -t failed"
}

# e2e_run ARGS...: the installed dbsyscheck with the installed
# configuration, as an operator runs it (stdout $W/out, stderr $W/errout,
# status $rc).
e2e_run()
{
	echo "+ dbsyscheck -c $conf $*"
	rc=0
	timeout -k 5 "$DBSC_TIMEOUT" "$R$e2e_sbin/dbsyscheck" -c "$conf" "$@" \
	    >"$W/out" 2>"$W/errout" </dev/null || rc=$?
	sed 's/^/  out| /' "$W/out"
	sed 's/^/  err| /' "$W/errout"
	echo "  exit $rc"
	[ "$rc" -ne 124 ] || fail "dbsyscheck $* hung"
}

# e2e_snippet N: the <localfile> block of localfile-N-*.conf, in the
# copies with the site key that docs/OSSEC.md's commands made.
e2e_snippet()
{
	set -- "$e2e_keyed"/localfile-"$1"-*.conf
	[ -f "$1" ] || fail "no $e2e_keyed/localfile-$1-*.conf"
	sed -n '/^<localfile>/,/^<\/localfile>/p' "$1"
}

# e2e_localfile N [FREQUENCY]: add set-up N's <localfile> block to
# ossec.conf, its paths below $R and its frequency (when it has one)
# FREQUENCY seconds.
e2e_localfile()
{
	e2e_snippet "$1" >"$W/localfile.xml"
	grep -q '<localfile>' "$W/localfile.xml" ||
	    fail "ossec/localfile-$1-*.conf holds no <localfile> block"
	sed -e "/<command>\\|<location>/{
	    s#<command>/#<command>$R/#
	    s#<location>/#<location>$R/#
	    s#\\([ =]\\)/#\\1$R/#g
	}" -e "s#<frequency>[0-9]*</frequency>#<frequency>${2:-3}</frequency>#" \
	    "$W/localfile.xml" >"$W/localfile.run"
	echo "+ <localfile> of set-up $1:"
	sed 's/^/  | /' "$W/localfile.run"
	ossec_conf_add "$(cat "$W/localfile.run")"
}

# e2e_location: the <location> of the last e2e_localfile (set-ups 4, 5).
e2e_location()
{
	sed -n 's#.*<location>\(.*\)</location>.*#\1#p' "$W/localfile.run"
}

# e2e_cron N: the cron line docs/OSSEC.md gives for set-up N (set-up 3
# says "Cron as in set-up 2"), without its schedule and user, paths below
# $R.
e2e_cron()
{
	_ec_n=$1
	[ "$_ec_n" != 3 ] || _ec_n=2
	awk -v h="### Set-up $_ec_n:" '
	index($0, h) == 1 { on = 1; next }
	on && /^## / { exit }
	on && /^\*/ { print; exit }' "$top_srcdir/docs/OSSEC.md" |
	    sed -E 's/^([^[:space:]]+[[:space:]]+){5}[^[:space:]]+[[:space:]]+//' |
	    e2e_map
}

# e2e_cron_run N: run set-up N's cron command as cron would (stdout and
# stderr to $W/cron.out, status in $rc).
e2e_cron_run()
{
	_ecr_cmd=$(e2e_cron "$1")
	[ -n "$_ecr_cmd" ] || fail "docs/OSSEC.md: no cron line for set-up $1"
	echo "+ cron: $_ecr_cmd"
	rc=0
	timeout -k 5 "$DBSC_TIMEOUT" sh -c "$_ecr_cmd" >"$W/cron.out" 2>&1 \
	    </dev/null || rc=$?
	sed 's/^/  cron| /' "$W/cron.out"
	echo "  exit $rc"
	[ "$rc" -ne 124 ] || fail "the cron command hung"
}

# e2e_alerts: alerts.log, one alert a line: "RULE LEVEL|LOCATION|LOG".
e2e_alerts()
{
	[ -f "$OSSEC/logs/alerts/alerts.log" ] || return 0
	awk '
	function flush() {
		if (rule != "")
			print rule " " level "|" loc "|" txt
		rule = ""; txt = ""; loc = ""
	}
	/^\*\* Alert / { flush(); n = 1; next }
	n == 1 { loc = $0; sub(/^[0-9]+ [A-Za-z]+ [0-9]+ [0-9:]+ /, "", loc);
		n = 2; next }
	n == 2 && /^Rule: / {
		rule = $2; level = $4; sub(/\)$/, "", level); n = 3; next }
	n == 3 && /^(Src IP|Dst IP|Src Port|Dst Port|User): / { next }
	n == 3 && /^$/ { next }
	n == 3 { txt = (txt == "" ? $0 : txt " " $0) }
	END { flush() }' "$OSSEC/logs/alerts/alerts.log" | {
		# Untrusted, a run's summary line is an alert of its own
		# (100304): the steps below expect the records' alerts.
		if [ "${e2e_trusted:-1}" = 1 ]; then
			cat
		else
			grep -v '^100304 4|[^|]*|.*op=summary inserts=' || true
		fi
	}
}

# e2e_new_count: how many alerts came since the last e2e_wait.
e2e_new_count()
{
	_en_total=$(e2e_alerts | wc -l)
	echo $((_en_total - alerts_seen))
}

# e2e_wait N [WHAT]: wait until at least N new alerts are in alerts.log,
# at most E2E_DEADLINE seconds; then put the new alerts (all of them) in
# $W/new and mark them seen. Fails only through what follows.
e2e_wait()
{
	_ew_n=0
	while [ "$(e2e_new_count)" -lt "$1" ] &&
	    [ "$_ew_n" -lt $((E2E_DEADLINE * 10)) ]; do
		_ew_n=$((_ew_n + 1))
		sleep 0.1
	done
	e2e_alerts | tail -n +"$((alerts_seen + 1))" >"$W/new"
	alerts_seen=$((alerts_seen + $(wc -l <"$W/new")))
	echo "+ new alerts (${2:-})" >&2
	sed 's/^/  alert| /' "$W/new" >&2
}

# e2e_expect WHAT <<EOF: wait for as many new alerts as lines below, then
# check that the new alerts are exactly these, in order: each line
# "RULE LEVEL RECORDS TEXT": the rule and level, the number of records
# ("dbsyscheck: op=") the alert's log holds (a full_command event holds
# the summary too), and TEXT, a fixed string the log holds.
e2e_expect()
{
	cat >"$W/want"
	e2e_wait "$(wc -l <"$W/want")" "$1"
	[ "$(wc -l <"$W/new")" = "$(wc -l <"$W/want")" ] || {
		sed 's/^/  want| /' "$W/want" >&2
		tail -n 20 "$OSSEC/logs/ossec.log" | sed 's/^/  ossec.log| /' >&2
		fail "$1: $(wc -l <"$W/new") alerts, expected $(wc -l <"$W/want")"
	}
	_ee_i=0
	while IFS= read -r _ee_w; do
		_ee_i=$((_ee_i + 1))
		_ee_a=$(sed -n "${_ee_i}p" "$W/new")
		_ee_rl=$(echo "$_ee_w" | cut -d' ' -f1-2)
		_ee_nr=$(echo "$_ee_w" | cut -d' ' -f3)
		_ee_txt=$(echo "$_ee_w" | cut -d' ' -f4-)
		case ${_ee_a%%|*} in
		"$_ee_rl") ;;
		*) fail "$1: alert $_ee_i is '${_ee_a%%|*}', expected '$_ee_rl'" ;;
		esac
		_ee_log=${_ee_a#*|}
		_ee_log=${_ee_log#*|}
		case $_ee_log in
		*"$_ee_txt"*) ;;
		*) fail "$1: alert $_ee_i does not hold '$_ee_txt'" ;;
		esac
		_ee_got=$(printf '%s\n' "$_ee_log" | grep -oE '(^|[ :;])op=' |
		    wc -l)
		[ "$_ee_got" = "$_ee_nr" ] ||
		    fail "$1: alert $_ee_i holds $_ee_got records, expected $_ee_nr"
	done <"$W/want"
}

# e2e_scans: the number of connections the scanner's account has made
# (every run that reaches the server makes one).
e2e_scans()
{
	sql "SELECT COALESCE(SUM(TOTAL_CONNECTIONS), 0)
	    FROM information_schema.USER_STATISTICS WHERE USER = 'dbsyscheck'"
}

# e2e_wait_scans N: wait until logcollector has run N more scans than now
# (set-up 1, where the scans are logcollector's).
e2e_wait_scans()
{
	_ews_want=$(($(e2e_scans) + $1))
	_ews_n=0
	while [ "$(e2e_scans)" -lt "$_ews_want" ]; do
		_ews_n=$((_ews_n + 1))
		[ "$_ews_n" -lt $((E2E_DEADLINE * 10)) ] ||
		    fail "logcollector ran no scan in ${E2E_DEADLINE}s"
		sleep 0.1
	done
}

# The steps every set-up goes through. $e2e_setup is the set-up's
# number; $e2e_glued is 1 when one run is one event (full_command), and
# then each alert holds the run's summary too.

# e2e_scan_now: have the changes made so far scanned: set-up 1's
# logcollector scans on its own; elsewhere cron runs (here: now).
e2e_scan_now()
{
	[ "$e2e_setup" = 1 ] && return 0
	e2e_cron_run "$e2e_setup"
	[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "the cron scan failed"
}

# e2e_rl RULE LEVEL: the rule and level an alert has: those given when
# the rules trust the set-up's channel here ($e2e_trusted, default 1),
# else the untrusted rule 100304, level 4 (a local install reading the
# log file of set-up 4: docs/OSSEC.md, "Which channels the rules trust").
e2e_rl()
{
	if [ "${e2e_trusted:-1}" = 1 ]; then
		echo "$1 $2"
	else
		echo "100304 4"
	fi
}

# e2e_n N: N records in one alert, plus the summary when glued.
e2e_n()
{
	echo $(($1 + e2e_glued))
}

# e2e_quiet: runs with nothing to report, which must raise nothing: set-up
# 1, two more scans by logcollector; elsewhere a cron scan. The next
# step's e2e_expect, which wants exactly its own alerts, checks that none
# came from here.
e2e_quiet()
{
	if [ "$e2e_setup" = 1 ]; then
		e2e_wait_scans 2
	else
		e2e_cron_run "$e2e_setup"
		[ "$rc" = 0 ] || fail "a scan with no change exited $rc"
	fi
}

# e2e_classic: the first scan, then insert, update and delete id 7, with
# quiet runs between.
e2e_classic()
{
	e2e_scan_now
	if [ "$e2e_glued" = 1 ]; then
		e2e_expect "first scan" <<-EOF
		$(e2e_rl 100310 3) 3 op=baseline table=acme.users rows=2 src=scan ;
		EOF
	else
		e2e_expect "first scan" <<-EOF
		$(e2e_rl 100310 3) 1 op=baseline table=acme.users rows=2 src=scan ;
		$(e2e_rl 100310 3) 1 op=baseline table=acme.orders rows=1 src=scan ;
		EOF
	fi
	e2e_quiet
	sql_db acme "INSERT INTO users VALUES (7, 'xavier', 'x1', NULL)"
	e2e_scan_now
	e2e_expect "insert id 7" <<-EOF
	$(e2e_rl 100311 5) $(e2e_n 1) op=insert table=acme.users pk=id=7 changed=- src=scan
	EOF
	e2e_quiet
	sql_db acme "UPDATE users SET password = 'x2' WHERE id = 7"
	e2e_scan_now
	e2e_expect "update id 7" <<-EOF
	$(e2e_rl 100330 10) $(e2e_n 1) op=update table=acme.users pk=id=7 changed=password src=scan
	EOF
	e2e_quiet
	sql_db acme "DELETE FROM users WHERE id = 7"
	e2e_scan_now
	e2e_expect "delete id 7" <<-EOF
	$(e2e_rl 100313 7) $(e2e_n 1) op=delete table=acme.users pk=id=7 changed=- src=scan
	EOF
	e2e_quiet
}

# e2e_lc_pid: the PID of this OSSEC's logcollector.
e2e_lc_pid()
{
	for _elp in $(_ossec_pids); do
		[ "$(readlink "/proc/$_elp/exe")" != \
		    "$OSSEC/bin/ossec-logcollector" ] || echo "$_elp"
	done
}

# e2e_lc_pause: stop logcollector between two of its commands (set-up 1:
# an operator's run must not meet logcollector's scan, which the lock
# would refuse; the refused run's op=error would be an alert of its own).
# e2e_lc_resume lets it go on.
e2e_lc_pause()
{
	e2e_lc=$(e2e_lc_pid)
	[ -n "$e2e_lc" ] || fail "logcollector is not running"
	_elc_n=0
	while :; do
		kill -STOP "$e2e_lc"
		[ -n "$(ps -o pid= --ppid "$e2e_lc")" ] || return 0
		kill -CONT "$e2e_lc"
		_elc_n=$((_elc_n + 1))
		[ "$_elc_n" -lt $((E2E_DEADLINE * 10)) ] ||
		    fail "logcollector's command never ends"
		sleep 0.1
	done
}

e2e_lc_resume()
{
	kill -CONT "$e2e_lc"
}

# e2e_reset: the password of id 1 changes, and an operator re-takes the
# baseline of acme.users before a scan sees it: one op=reset alert.
# The reset is run so that its record stays for the SIEM: with the cron
# line's sink (set-up 4), else with --no-report, which leaves it queued.
e2e_reset()
{
	sql_db acme "UPDATE users SET password = 'a2' WHERE id = 1"
	if [ "$e2e_setup" = 4 ]; then
		_er_cmd=$(e2e_cron 4 | sed 's/ scan$/ reset acme.users/')
		echo "+ $_er_cmd"
		sh -c "$_er_cmd" </dev/null || fail "reset failed"
	else
		[ "$e2e_setup" != 1 ] || e2e_lc_pause
		e2e_run --no-report reset acme.users
		[ "$e2e_setup" != 1 ] || e2e_lc_resume
		[ "$rc" = 0 ] || fail "reset exited $rc"
	fi
	[ "$e2e_setup" = 1 ] || [ "$e2e_setup" = 4 ] || e2e_quiet
	e2e_expect "reset" <<-EOF
	$(e2e_rl 100321 12) $(e2e_n 1) op=reset table=acme.users rows=2 src=scan by=
	EOF
	e2e_quiet
}

# e2e_error: the scanner loses SELECT on acme.orders: an op=error record
# for the table (the first alert after it; set-up 1 repeats it every
# scan until the grant is back).
e2e_error()
{
	sql "REVOKE SELECT ON acme.orders FROM 'dbsyscheck'@'localhost'"
	if [ "$e2e_setup" != 1 ]; then
		e2e_cron_run "$e2e_setup"
		[ "$rc" = 2 ] || fail "a scan with a table it cannot read exited $rc"
	fi
	e2e_wait 1 "error"
	sed -n 1p "$W/new" |
	    grep -q "^$(e2e_rl 100315 10)|.*op=error table=acme\\.orders msg=" ||
	    fail "error: no op=error alert ($(e2e_rl 100315 10)) first"
	sql "GRANT SELECT ON acme.orders TO 'dbsyscheck'@'localhost'"
}

# e2e_sentinel: a change of its own (acme.orders id 1), scanned, and every
# alert up to and including its own in $W/new: what came before it has
# been through analysisd.
e2e_sentinel()
{
	sql_db acme "UPDATE orders SET total = total + 1 WHERE id = 1"
	e2e_scan_now
	: >"$W/upto"
	_es_n=0
	while ! grep -q 'op=update table=acme\.orders pk=id=1 changed=total' \
	    "$W/upto"; do
		_es_n=$((_es_n + 1))
		[ "$_es_n" -lt $((E2E_DEADLINE * 10)) ] ||
		    fail "the sentinel change raised no alert"
		sleep 0.1
		e2e_alerts | tail -n +"$((alerts_seen + 1))" >"$W/upto"
	done
	cp "$W/upto" "$W/new"
	alerts_seen=$((alerts_seen + $(wc -l <"$W/new")))
}

# e2e_backlog N: insert N rows into acme.users (ids 1000 onwards), have
# them scanned and reported, and put in $e2e_keys how many of the N keys
# an insert alert names, and in $e2e_ins the number of insert alerts.
e2e_backlog()
{
	{
		echo "INSERT INTO users VALUES"
		_eb_i=0
		while [ "$_eb_i" -lt "$1" ]; do
			_eb_sep=,
			[ "$_eb_i" != $(($1 - 1)) ] || _eb_sep=";"
			echo "($((1000 + _eb_i)), 'user$_eb_i', 'pw$_eb_i', NULL)$_eb_sep"
			_eb_i=$((_eb_i + 1))
		done
	} | sql_db acme
	e2e_scan_now
	# Set-up 1: a scan that started after the inserts has run.
	[ "$e2e_setup" != 1 ] || e2e_wait_scans 2
	# Every record of the backlog printed: the queue is empty.
	_eb_n=0
	while :; do
		e2e_run status
		grep -q '^queued records=0$' "$W/out" && break
		_eb_n=$((_eb_n + 1))
		[ "$_eb_n" -lt "$E2E_DEADLINE" ] ||
		    fail "the backlog is still queued after ${E2E_DEADLINE}s"
		sleep 1
	done
	e2e_sentinel
	cp "$W/new" "$W/backlog.alerts"
	if [ "$e2e_glued" = 1 ]; then
		cut -c1-160 "$W/backlog.alerts" | sed 's/^/  alert| /'
	else
		cut -d'|' -f1 "$W/backlog.alerts" | sort | uniq -c |
		    sed 's/^/  alerts by rule| /'
	fi
	e2e_keys=$(grep -o 'op=insert table=acme\.users pk=id=[0-9]*' \
	    "$W/backlog.alerts" | sed 's/.*=//' | sort -un |
	    awk -v n="$1" '$1 >= 1000 && $1 < 1000 + n' | wc -l)
	e2e_ins=$(grep -c "^$(e2e_rl 100311 5)|.*op=insert table=acme\\.users " \
	    "$W/backlog.alerts" || true)
	echo "backlog of $1 inserts: $e2e_ins insert alerts name $e2e_keys keys"
}

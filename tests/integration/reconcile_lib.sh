# Helpers of the reconciliation tests (tests/integration/reconcile_*.sh),
# sourced after setup: the scan reads the binary log between the snapshot
# positions of two scans and says op=untraced for a change the log does not
# explain (docs/FORMAT.md, docs/BINLOG.md).
#
# Checked by hand on MariaDB 10.11 with the server db_start_binlog starts:
# - SHOW STATUS LIKE 'binlog_snapshot_%' in the session of START
#   TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY gives the file (its
#   base name, binlog.000001) and the offset of the snapshot, and a commit
#   by another session after it does not move them; outside a transaction
#   it gives the current end. An account with only SELECT may read it.
# - With nothing written by another session, that position is exactly
#   SHOW MASTER STATUS's, also after a rotation or a restart (the
#   Binlog_checkpoint events InnoDB has the server write a moment after a
#   rotation move both), and a change made with sql_log_bin=0 moves neither:
#   so $pos_now, taken just before a scan, is the scan's position.
# - Without --log-bin, binlog_snapshot_file is empty and the offset 0.

# rc_conf [table lines...]: follow_conf without its follow-server-id line:
# reconciliation reads the log as server id 0 (contract) and needs none.
# After follow_account, $W/my.cnf names the follower's account, which has
# the grants of sql/grant.sql with the follower's line taken in.
rc_conf()
{
	follow_conf "$@"
	grep -v '^follow-server-id ' "$W/dbsyscheck.conf" >"$W/conf.tmp"
	cat "$W/conf.tmp" >"$W/dbsyscheck.conf"
	rm -f "$W/conf.tmp"
}

# rc_conf_line LINE: add LINE to $W/dbsyscheck.conf.
rc_conf_line()
{
	printf '%s\n' "$1" >>"$W/dbsyscheck.conf"
}

# rc_conf_baseline NAME: the configuration's baseline and key become
# $W/NAME.db and $W/NAME.key (a new, empty state when they do not exist).
rc_conf_baseline()
{
	sed -e "s|^baseline .*|baseline $W/$1.db|" \
	    -e "s|^key .*|key $W/$1.key|" "$W/dbsyscheck.conf" >"$W/conf.tmp"
	cat "$W/conf.tmp" >"$W/dbsyscheck.conf"
	rm -f "$W/conf.tmp"
}

# rscan [args]: dbsc scan, with the server's binary-log position just
# before it in $pos_now and the one before the previous rscan in
# $pos_prev: the two snapshot positions (see above) when no other session
# writes during the scan.
pos_now=
pos_prev=
rscan()
{
	pos_prev=$pos_now
	pos_now=$(master_pos)
	dbsc scan "$@"
}

# untraced TABLE PK CHANGE LOGGED: the op=untraced record of the interval
# $pos_prev .. $pos_now.
untraced()
{
	echo "dbsyscheck: op=untraced table=$1 pk=$2 change=$3 logged=$4" \
	    "from=$pos_prev to=$pos_now src=scan by=- ;"
}

# expect_recs I U D [E] <<EOF: the last dbsc printed one summary with these
# counts (the fields after errors= are not checked) and exactly the records
# given, in any order; an empty here-document: none.
expect_recs()
{
	[ "$(grep -c '^dbsyscheck: op=summary ' "$W/out")" = 1 ] ||
	    fail "not exactly one op=summary"
	grep -q "^dbsyscheck: op=summary inserts=$1 updates=$2 deletes=$3 errors=${4:-0} " \
	    "$W/out" || fail "the summary is not inserts=$1 updates=$2 deletes=$3 errors=${4:-0}"
	grep -v '^$' | sort >"$W/want"
	grep -v '^dbsyscheck: op=summary ' "$W/out" | sort >"$W/got"
	if ! cmp -s "$W/want" "$W/got"; then
		echo "--- records differ (- expected, + actual, sorted):" >&2
		diff -u "$W/want" "$W/got" >&2 || true
		fail "unexpected records"
	fi
}

# expect_pos_form: every op=untraced record of the last dbsc has from= and
# to= of the form FILE:OFFSET (binlog.NNNNNN as setup names the files), and
# there is one.
expect_pos_form()
{
	grep -q '^dbsyscheck: op=untraced ' "$W/out" || fail "no op=untraced"
	! grep '^dbsyscheck: op=untraced ' "$W/out" | grep -Ev \
	    ' from=binlog\.[0-9]{6}:[0-9]+ to=binlog\.[0-9]{6}:[0-9]+ src=scan by=- ;$' ||
	    fail "from= and to= are not FILE:OFFSET"
}

# expect_none: the last dbsc printed nothing and exited 0.
expect_none()
{
	expect_rc 0
	expect_empty
}

# no_untraced: the last dbsc printed no op=untraced record.
no_untraced()
{
	! grep -q 'op=untraced' "$W/out" || fail "an op=untraced record"
}

# expect_rc_error TABLE...: the last dbsc exited 2 and printed, for each
# TABLE, one op=error table=TABLE ... src=scan record whose msg= begins
# "cannot reconcile", and no op=untraced.
expect_rc_error()
{
	expect_rc 2
	for _re_t in "$@"; do
		[ "$(grep -c "^dbsyscheck: op=error table=$_re_t msg=cannot%20reconcile[^ ]* src=scan ;\$" \
		    "$W/out")" = 1 ] ||
		    fail "not one op=error table=$_re_t msg=cannot%20reconcile..."
	done
	no_untraced
}

# re TEXT: TEXT as a literal in an extended regular expression.
re()
{
	printf '%s' "$1" | sed 's/[].[\*^$()+?{}|]/\\&/g'
}

# reconciled TABLE: run status and print TABLE's "reconcile" line(s)
# (docs/BINLOG.md, "status"):
#   reconcile DB.NAME from=FILE:OFF to=FILE:OFF at=TIME untraced=N
#   reconcile DB.NAME pos=FILE:OFF at=TIME msg=WHY
#   reconcile DB.NAME off at=TIME msg=WHY
#   reconcile DB.NAME none
reconciled()
{
	dbsc status >/dev/null
	expect_rc 0
	grep -E "^reconcile $(re "$1") " "$W/out" || true
}

# expect_reconciled TABLE ERE: status shows one reconcile line for TABLE
# and it matches ^reconcile TABLE ERE$.
expect_reconciled()
{
	reconciled "$1" >"$W/rline"
	[ "$(wc -l <"$W/rline")" = 1 ] ||
	    fail "status shows $(wc -l <"$W/rline") reconcile lines for $1"
	grep -Eq "^reconcile $(re "$1") $2\$" "$W/rline" ||
	    fail "status of $1: '$(cat "$W/rline")' does not match '$2'"
}

# A time as status writes it.
rc_time='[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z'

# expect_interval TABLE FROM TO N: status shows TABLE's last interval
# checked, FROM .. TO, and the N op=untraced records it gave.
expect_interval()
{
	expect_reconciled "$1" \
	    "from=$(re "$2") to=$(re "$3") at=$rc_time untraced=$4"
}

# expect_not_yet TABLE POS: status shows TABLE's position POS stored
# without a check, and why.
expect_not_yet()
{
	expect_reconciled "$1" "pos=$(re "$2") at=$rc_time msg=.+"
}

# expect_off TABLE: status shows reconciliation off for TABLE, and why.
expect_off()
{
	expect_reconciled "$1" "off at=$rc_time msg=.+"
}

# purge_to FILE: PURGE BINARY LOGS TO FILE until the server holds no file
# before it. Checked by hand: the server keeps the older file, with no
# error and no warning, until InnoDB has it write a Binlog_checkpoint
# event naming a later file, which comes about a second after a rotation
# (with --innodb-flush-log-at-trx-commit=2 as setup runs it; 0.8 s and 7
# tries seen), so one PURGE right after FLUSH BINARY LOGS purges nothing.
purge_to()
{
	_pt_n=0
	while :; do
		sql "PURGE BINARY LOGS TO '$1'"
		[ "$(_sql_run -e 'SHOW BINARY LOGS' | head -n 1 | cut -f 1)" != \
		    "$1" ] || break
		_pt_n=$((_pt_n + 1))
		[ "$_pt_n" -lt 150 ] || fail "PURGE BINARY LOGS TO '$1' kept older files"
		sleep 0.1
	done
	[ ! -e "$W/binlog.000001" ] || [ "$1" = binlog.000001 ] ||
	    fail "binlog.000001 is still there after the purge"
}

# unlogged "STATEMENTS": run STATEMENTS as root with sql_log_bin=0 (not in
# the binary log).
unlogged()
{
	sql "SET SESSION sql_log_bin=0; $1"
}

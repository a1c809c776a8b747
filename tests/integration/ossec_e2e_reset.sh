#!/bin/sh
# An operator's reset reaches OSSEC in every set-up of docs/OSSEC.md
# (issue 13): the password of id 1 changes, and before a scan sees it the
# operator re-takes the baseline with a plain "dbsyscheck reset
# acme.users" from a script, as the manual's EXAMPLES show; OSSEC must
# then raise op=reset (rule 100321; 100304 for set-up 4 on this local
# install, docs/OSSEC.md) from the set-up's own channel. The operator's
# run prints a copy and leaves the record queued for the SIEM's consumer
# (dbsyscheck(8), "Who takes records off the queue"); before that
# design, it took the record off the queue and OSSEC never saw it.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/ossec_e2e_lib.sh"

# A lost record never arrives: no need to wait long for it.
E2E_DEADLINE=60
e2e_begin
for e2e_setup in 1 2 3 4; do
	echo "=== set-up $e2e_setup"
	ossec_reset
	ossec_ordered
	alerts_seen=0
	e2e_manager_install
	rm -rf "$R/var/lib/dbsyscheck" "$R/var/log/dbsyscheck.log"
	case $e2e_setup in
	1 | 2) e2e_glued=1 ;;
	*) e2e_glued=0 ;;
	esac
	e2e_trusted=1
	[ "$e2e_setup" != 4 ] || e2e_trusted=0
	e2e_localfile "$e2e_setup" 3
	[ "$e2e_setup" != 4 ] || install -m 0600 /dev/null "$(e2e_location)"
	ossec_start
	e2e_scan_now
	e2e_wait 1 "set-up $e2e_setup: first scan"
	grep -q "^$(e2e_rl 100310 3)|.*op=baseline" "$W/new" ||
	    fail "set-up $e2e_setup: no baseline alert"
	# The first scan done (set-up 1: its records are in), nothing queued.
	sql_db acme "UPDATE users SET password = 'r$e2e_setup' WHERE id = 1"
	[ "$e2e_setup" != 1 ] || e2e_lc_pause
	e2e_run reset acme.users
	[ "$e2e_setup" != 1 ] || e2e_lc_resume
	[ "$rc" = 0 ] || fail "set-up $e2e_setup: reset exited $rc"
	# The next run of the set-up's channel delivers it.
	e2e_scan_now
	e2e_wait 1 "set-up $e2e_setup: reset"
	grep -q "^$(e2e_rl 100321 12)|.*op=reset table=acme\\.users rows=2 src=scan by=" \
	    "$W/new" || fail "set-up $e2e_setup: OSSEC did not see the reset"
	sql_db acme "UPDATE users SET password = 'a1' WHERE id = 1"
done
exit 0

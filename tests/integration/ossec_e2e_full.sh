#!/bin/sh
# Set-up 2 of docs/OSSEC.md against a real OSSEC HIDS 4.2.0: cron scans
# with the documented cron line, logcollector runs the report of the
# "full_command" snippet (one event per run). The classic insert, update
# and delete of id 7, quiet runs that raise nothing, a reset, an error,
# and a 300-row backlog: as in set-up 1, alerts.log keeps only the first
# 1,256 bytes of an event, so most keys appear in no alert.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/ossec_e2e_lib.sh"

e2e_setup=2
e2e_glued=1
e2e_begin
e2e_localfile 2 2
ossec_start

e2e_classic
e2e_reset

e2e_backlog 300
runs=$(grep -c '|.*op=summary ' "$W/backlog.alerts" || true)
echo "set-up 2: 300 inserts, $runs alerts, $e2e_keys keys shown"
[ "$runs" -ge 2 ] || fail "the backlog fitted one run (not a backlog)"
[ "$e2e_keys" -lt 300 ] ||
    fail "every key of the backlog is in alerts.log (docs/OSSEC.md says not)"
awk -F'|' '{ if (length($3) > 1256) exit 1 }' "$W/backlog.alerts" ||
    fail "an alert holds more than 1,256 bytes of its event"

e2e_error
exit 0

#!/bin/sh
# Set-up 3 of docs/OSSEC.md against a real OSSEC HIDS 4.2.0: cron scans
# with the documented cron line, logcollector runs the "command" snippet
# (one event per record). The classic insert, update and delete of id 7,
# quiet runs that raise nothing, a reset, a 300-row backlog with one alert
# for every row, and an error, as alerts.log shows them.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/ossec_e2e_lib.sh"

e2e_setup=3
e2e_glued=0
e2e_begin
e2e_localfile 3 2
ossec_start

e2e_classic
e2e_reset

# Every row of a backlog is an alert of its own, each key once.
e2e_backlog 300
[ "$e2e_ins" = 300 ] || fail "300 inserts raised $e2e_ins insert alerts"
[ "$e2e_keys" = 300 ] || fail "the insert alerts name $e2e_keys of 300 keys"
[ "$(wc -l <"$W/backlog.alerts")" = 301 ] ||
    fail "the backlog raised other alerts than its inserts and the sentinel"

e2e_error
exit 0

#!/bin/sh
# The OSSEC/Wazuh decoders and rules: well-formed as OSSEC reads them, and
# every hand-derived event (tests/ossec/expected*.txt) and every generated
# sample (ossec/samples/*.txt) decoded and ruled as expected by the real
# OSSEC HIDS 4.2.0 (tests/ossec/ossec-env): its ossec-logtest (decoder,
# fields; rule and level for local events) and its analysisd, fed through
# its queue from each event's location, local or an agent's (rule, level,
# the User: line of alerts.log); and by the model in
# tests/ossec/check_rules.py, which must agree with the real analysisd on
# every one. Wazuh's files are checked by the model only (Wazuh cannot be
# built here). Every rule documented in docs/OSSEC.md.
. "$(dirname "$0")/setup"
. "$top_srcdir/tests/ossec/ossec-env"

check="$top_srcdir/tests/ossec/check_rules.py"
command -v python3 >/dev/null 2>&1 || fail "python3 not found"
command -v xmllint >/dev/null 2>&1 || fail "xmllint not found (libxml2-utils)"

# Well-formed, wrapped in one root element as OSSEC has none.
for f in "$top_srcdir"/ossec/*.xml "$top_srcdir"/ossec/*.conf \
    "$top_srcdir"/ossec/wazuh/*.xml "$top_srcdir"/ossec/wazuh/*.conf; do
	[ -f "$f" ] || fail "missing $f"
	python3 "$check" --xmllint "$f" || fail "$f is not well-formed"
done

# The rule ids stay in the documented range.
ids=$(sed -n 's/.*<rule id="\([0-9]*\)".*/\1/p' "$top_srcdir"/ossec/*.xml \
    "$top_srcdir"/ossec/wazuh/*.xml)
[ -n "$ids" ] || fail "no rules found"
for id in $ids; do
	if [ "$id" -lt 100300 ] || [ "$id" -gt 100399 ]; then
		fail "rule $id outside 100300-100399"
	fi
done

# Every active rule is in docs/OSSEC.md's table.
for id in $ids; do
	case $id in
	1003[89][0-9]) continue ;;	# site-rule templates
	esac
	grep -q "| $id " "$top_srcdir/docs/OSSEC.md" ||
	    fail "rule $id is not documented in docs/OSSEC.md"
done

python3 "$check" "$top_srcdir/tests/ossec/expected.txt" \
    "$top_srcdir/tests/ossec/expected-ossec.txt" ||
    fail "OSSEC rules: expected events"
python3 "$check" --wazuh "$top_srcdir/tests/ossec/expected.txt" \
    "$top_srcdir/tests/ossec/expected-wazuh.txt" ||
    fail "Wazuh rules: expected events"

# Samples generated from real scanner and trigger output, if any; those
# of the trigger log as an agent reads it (ossec/samples/README.md).
for f in "$top_srcdir"/ossec/samples/*.txt; do
	[ -f "$f" ] || continue
	loc=stdin
	case $(basename "$f") in
	wazuh*) ;;
	*) loc=$(ossec_sample_location "$f") ;;
	esac
	case $(basename "$f") in
	wazuh*)
		python3 "$check" --wazuh --location /var/log/dbsyscheck.json \
		    "$f" || fail "$f" ;;
	*) python3 "$check" --location "$loc" "$f" || fail "$f" ;;
	esac
	# Every rule a sample expects is one the docs explain.
	for id in $(cut -f1 "$f" | grep '^[0-9]'); do
		grep -q "| $id " "$top_srcdir/docs/OSSEC.md" ||
		    fail "$f: rule $id is not documented in docs/OSSEC.md"
	done
done

# The event builder: lines of one run become one glued full_command
# event, or one command event each.
printf '%s\n' \
    'dbsyscheck: op=summary inserts=1 updates=0 deletes=1 errors=0 pending=0 ;' \
    'dbsyscheck: op=insert table=acme.users pk=id=7 changed=- src=scan by=- ;' \
    'dbsyscheck: op=delete table=acme.users pk=id=3 changed=- src=scan by=- ;' \
    >"$W/out"
python3 "$check" --events full_command <"$W/out" >"$W/full" ||
    fail "--events full_command"
[ "$(wc -l <"$W/full")" -eq 1 ] || fail "full_command: not one event"
grep -q "^ossec: output: 'dbsyscheck-[0-9a-f]*':dbsyscheck: op=summary .* ;dbsyscheck: op=delete table=acme.users pk=id=3 changed=- src=scan by=- ;\$" \
    "$W/full" || fail "full_command: event not glued as expected"
python3 "$check" --events command <"$W/out" >"$W/cmd" ||
    fail "--events command"
[ "$(wc -l <"$W/cmd")" -eq 3 ] || fail "command: not three events"
{ printf '100313\t'; cat "$W/full"; } >"$W/full.txt"
printf '%s\n' 100399 100311 100313 >"$W/ids"
paste "$W/ids" "$W/cmd" >"$W/cmd.txt"
alias=$(ossec_sample_location command.txt)
python3 "$check" --location "$alias" "$W/full.txt" "$W/cmd.txt" ||
    fail "built events"

# --- The real OSSEC: every case and sample, through ossec-logtest and
# through analysisd from its location; the model agrees with analysisd.
real=$top_srcdir/tests/ossec/ossec_real.py
ossec_begin
ossec_install_dbsc agents
# A site rule on the acting account (by=, decoded into dstuser): <user>.
cat >>"$OSSEC/rules/local_rules.xml" <<'EOF'
<group name="dbsc_test,">
  <rule id="199998" level="3">
    <if_sid>100321</if_sid>
    <user>^dbsc-test-root$</user>
    <description>dbsyscheck tests: a reset by dbsc-test-root.</description>
  </rule>
  <rule id="199997" level="3">
    <if_sid>100312</if_sid>
    <user>^app@localhost,</user>
    <description>dbsyscheck tests: a change by app, the follower's by=ACCOUNT,HOW.</description>
  </rule>
</group>
EOF
cat >"$W/user.txt" <<EOF
event: $(ossec_sample_location command.txt | sed 's/.*/ossec: output: '"'&'"': dbsyscheck: op=reset table=acme.users rows=3 src=scan by=dbsc-test-root ;/')
location: $(ossec_sample_location command.txt)
rule: 199998
level: 3
user: dbsc-test-root

event: 2026-11-26T15:04:05Z dbsyscheck: op=update table=acme.users pk=id=7 changed=login src=trigger by=app@localhost ;
location: $(ossec_sample_location triggerlog.txt)
rule: 100312
level: 5
user: app@localhost

event: $(ossec_sample_location command.txt | sed 's/.*/ossec: output: '"'&'"': dbsyscheck: op=update table=acme.users pk=id=1 changed=login src=binlog by=eve@localhost,statement ;/')
location: $(ossec_sample_location command.txt)
rule: 100312
level: 5
user: eve@localhost,statement

event: $(ossec_sample_location command.txt | sed 's/.*/ossec: output: '"'&'"': dbsyscheck: op=update table=acme.users pk=id=1 changed=login src=binlog by=app@localhost,exact ;/')
location: $(ossec_sample_location command.txt)
rule: 199997
level: 3
user: app@localhost,exact

event: 2026-11-26T15:04:05.123456+00:00 db1 dbsyscheck[4242]: op=reset table=acme.users rows=3 src=scan by=alice ;
location: $(ossec_sample_location logfile.txt)
rule: 100321
level: 12
user: alice
EOF
expected="$top_srcdir/tests/ossec/expected.txt
$top_srcdir/tests/ossec/expected-ossec.txt"
# shellcheck disable=SC2086
python3 "$real" logtest "$OSSEC" $expected ||
    fail "ossec-logtest: expected events"
ossec_start_analysisd
# shellcheck disable=SC2086
python3 "$real" analysisd "$OSSEC" $expected ||
    fail "ossec-analysisd: expected events"
python3 "$real" analysisd "$OSSEC" "$W/user.txt" ||
    fail "ossec-analysisd: the acting account as dstuser"
# shellcheck disable=SC2086
python3 "$real" agree "$OSSEC" $expected ||
    fail "the model and ossec-analysisd disagree on an expected event"
for f in "$top_srcdir"/ossec/samples/*.txt; do
	case $(basename "$f") in
	wazuh*) continue ;;
	esac
	loc=$(ossec_sample_location "$f")
	python3 "$real" logtest "$OSSEC" --location "$loc" "$f" ||
	    fail "ossec-logtest: $f"
	python3 "$real" analysisd "$OSSEC" --location "$loc" "$f" ||
	    fail "ossec-analysisd: $f"
	python3 "$real" agree "$OSSEC" --location "$loc" "$f" ||
	    fail "the model and ossec-analysisd disagree on $f"
done
exit 0

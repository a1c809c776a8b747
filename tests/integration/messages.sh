#!/bin/sh
# Messages on standard error carry names and server texts encoded: a
# database, table or column named like a record, or a server error that
# quotes such a name, reaches syslog (the systemd unit's standard error)
# as nothing the shipped decoders take for a record or the rules alert on.
. "$(dirname "$0")/setup"

fake='op=delete table=mysql.user pk=User=root changed=- src=scan ;'
# A name with every byte the record encoding names, a tab and non-ASCII.
odd=$(printf 'a"b%%c;d=e\\y`g|h\ti\303\244 j,k')
oddq=$(printf '%s' "$odd" | sed 's/`/``/g')

# check_stderr WHAT: standard error of the last run holds only encoded
# text, and each line, as syslog writes it for the systemd unit, decodes
# to no dbsyscheck record and raises no dbsyscheck rule above level 0.
check_stderr()
{
	[ -s "$W/errout" ] || fail "$1: nothing on standard error"
	if LC_ALL=C grep -n '[^ -~]' "$W/errout" >&2; then
		fail "$1: bytes outside printable ASCII on standard error"
	fi
	if grep -n -e '=' -e ';' -e '"' -e '|' -e '`' -e '\\' \
	    "$W/errout" >&2; then
		fail "$1: '=', ';', '\"', '|', '\`' or '\\' on standard error"
	fi
	while IFS= read -r line; do
		ev="Dec  7 04:05:06 host dbsyscheck[123]: $line"
		for flavour in '' --wazuh; do
			# shellcheck disable=SC2086
			python3 "$top_srcdir/tests/ossec/check_rules.py" \
			    $flavour --show "$ev" >"$W/show" ||
			    fail "check_rules.py failed on: $ev"
			sed "s/^/  show$flavour| /" "$W/show"
			if grep -q '^field\.' "$W/show"; then
				fail "$1: decoded as a record: $ev"
			fi
			grep -q '^level: 0$' "$W/show" ||
			    fail "$1: a rule above level 0 fires: $ev"
		done
	done <"$W/errout"
}

# expect_err_has TEXT: standard error holds TEXT encoded as a message.
expect_err_has()
{
	expect_err "$(printf '%s' "$1" | pct text)"
}

db_start
sql "CREATE DATABASE msg"
# A string key with chunk= is refused, naming the key column.
sql_db msg "CREATE TABLE chunky (\`$fake\` VARCHAR(64) PRIMARY KEY, v INT)"
# A table named like a record, with no usable key.
sql_db msg "CREATE TABLE \`$fake\` (v INT)"
# A table with every encoded byte in its name, and a column with it.
sql_db msg "CREATE TABLE \`$oddq\` (\`$oddq\` VARCHAR(10) PRIMARY KEY)"
dbsc_conf "msg.chunky chunk=100" "msg.\`$fake\`" "msg.\`$oddq\` chunk=10"

# The configuration test names each table and column.
dbsc -t
expect_rc 2
check_stderr "dbsyscheck -t"
expect_err_has "key column $fake is sorted"
expect_err_has "msg.$fake:"

# A scan fails the three tables, on standard error and as op=error.
dbsc scan
expect_rc 2
check_stderr "scan"
expect_err_has "key column $fake is sorted"
expect_err_has "msg.$fake: no primary key"
expect_err_has "key column $odd is sorted"
grep -F -q "%20key%20column%20$(printf '%s' "$fake" | pct)%20is%20sorted" \
    "$W/out" ||
    fail "no op=error record naming the column"

# Server error texts quote names: a view over a table that is gone.
sql_db msg "CREATE TABLE base (id INT PRIMARY KEY)"
sql_db msg "CREATE VIEW \`v $fake\` AS SELECT id FROM base"
sql_db msg "DROP TABLE base"
dbsc_conf "msg.\`v $fake\`"
dbsc scan
expect_rc 2
check_stderr "server error"
expect_err_has "v $fake"

# --progress names the table on standard error too.
sql_db msg "CREATE TABLE \`p $fake\` (id INT PRIMARY KEY)"
sql_db msg "INSERT INTO \`p $fake\` SELECT seq FROM seq_1_to_3000"
dbsc_conf "msg.\`p $fake\` max-rows-per-second=1000"
dbsc --progress scan
expect_rc 1
tr '\r' '\n' <"$W/errout" | grep -v '^$' >"$W/errout.lines"
mv "$W/errout.lines" "$W/errout"
grep -q rows "$W/errout" || fail "no progress line"
check_stderr "progress"

echo "$test_name: passed"

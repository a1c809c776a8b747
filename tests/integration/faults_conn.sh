#!/bin/sh
# Connection faults: the server down, a wrong socket, host or password, an
# account lacking SELECT on one table, TLS required by the option file but
# not offered by the server. Each run exits 2 with exactly one op=error
# record, leaves the baseline as it was (a failing table: that table's
# part), never shows the password, and the next good run reports exactly
# the changes made before it.
. "$(dirname "$0")/setup"

pw='Pw-7f3a9c-dbsc-secret'
badpw='Bad-41d2e8-dbsc-wrong'

db_start --tcp
sql "CREATE DATABASE fc"
sql_db fc "CREATE TABLE a (id INT PRIMARY KEY, v VARCHAR(20))"
sql_db fc "CREATE TABLE b (id INT PRIMARY KEY, v VARCHAR(20))"
sql_db fc "INSERT INTO a VALUES (1, 'a1'), (2, 'a2')"
sql_db fc "INSERT INTO b VALUES (1, 'b1'), (2, 'b2')"
# The scanner's account: SELECT on the two tables, nothing else. The server
# resolves 127.0.0.1 to localhost, so one account serves socket and TCP.
sql "CREATE USER 'scan'@'localhost' IDENTIFIED BY '$pw';
	GRANT SELECT ON fc.a TO 'scan'@'localhost';
	GRANT SELECT ON fc.b TO 'scan'@'localhost'"
dbsc_conf "fc.a" "fc.b"

# mycnf LINES...: the option file with these lines after [client].
mycnf()
{
	{
		echo "[client]"
		for _l in "$@"; do
			echo "$_l"
		done
	} >"$W/my.cnf"
	chmod 0600 "$W/my.cnf"
}

good_cnf()
{
	mycnf "socket=$W/sock" "user=scan" "password=$pw"
}

# The password is nowhere in what dbsyscheck wrote: stdout, stderr and the
# baseline file.
no_password()
{
	for _f in "$W/out" "$W/errout" "$W/baseline.db"; do
		for _p in "$pw" "$badpw"; do
			if grep -a -F -q -e "$_p" "$_f"; then
				fail "$_f holds the password $_p"
			fi
		done
	done
}

# changes N: make change set N (an insert in a, an update in b) and write
# what the next good scan must print to $W/expected.pending.
changes()
{
	sql_db fc "INSERT INTO a VALUES ($((100 + $1)), 'n$1');
		UPDATE b SET v = 'v$1' WHERE id = 1"
	{
		summary 1 1 0
		echo "dbsyscheck: op=insert table=fc.a pk=id=$((100 + $1))" \
		    "changed=- src=scan by=- ;"
		echo "dbsyscheck: op=update table=fc.b pk=id=1 changed=v" \
		    "src=scan by=- ;"
	} >"$W/expected.pending"
}

# good_run: with the good option file, the next scan reports exactly the
# pending changes, and the one after nothing.
good_run()
{
	good_cnf
	dbsc --deliver scan
	expect_rc 1
	expect_out <"$W/expected.pending"
	no_password
	dbsc --deliver scan
	expect_rc 0
	expect_empty
}

# A failed run: the error, the baseline as it was, no password anywhere.
# fault_run MSG: run a scan and check all that.
fault_run()
{
	bl_save before
	_sha=$(bl_sha)
	dbsc --deliver scan
	expect_error_run "$1"
	no_password
	bl_same before
	# The error record went out and left the outbox; the file may differ
	# only in SQLite's own bookkeeping, never in what it holds.
	[ "$(sqlite3 -readonly "$W/baseline.db" \
	    'SELECT count(*) FROM outbox')" = 0 ] ||
	    fail "records left queued after the error was printed"
	: "$_sha"
}

good_cnf
dbsc --deliver scan
expect_rc 1
expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=baseline table=fc.a rows=2 src=scan ;
dbsyscheck: op=baseline table=fc.b rows=2 src=scan ;
EOF

# The server down (its socket gone): the run fails as a whole. Not a
# case_run: it stops and starts the server.
echo "=== case server_down"
changes 1
db_stop
fault_run "cannot connect to the database: Can't connect to local server through socket '$W/sock' (2) (2002)"
db_start --tcp
good_run
echo "=== case server_down: PASS"

case_wrong_socket()
{
	changes 2
	mycnf "socket=$W/nosuch.sock" "user=scan" "password=$pw"
	fault_run "cannot connect to the database: Can't connect to local server through socket '$W/nosuch.sock' (2) (2002)"
	good_run
}
case_run wrong_socket case_wrong_socket

case_wrong_host()
{
	changes 3
	port=$(_free_port)
	mycnf "host=127.0.0.1" "port=$port" "user=scan" "password=$pw"
	bl_save before
	dbsc --deliver scan
	expect_rc 2
	# Connector/C reports the errno of its non-blocking connect: 115
	# (EINPROGRESS) here, 111 (ECONNREFUSED) elsewhere.
	summary 0 0 0 1 >"$W/want.1"
	head -n 1 "$W/out" | cmp -s - "$W/want.1" || fail "bad summary"
	[ "$(wc -l <"$W/out")" = 2 ] || fail "not one error record"
	tail -n 1 "$W/out" | grep -E -q '^dbsyscheck: op=error msg=cannot%20connect%20to%20the%20database:%20Can%27t%20connect%20to%20server%20on%20%27127\.0\.0\.1%27%20\(11[15]\)%20\(2002\) src=scan ;$' ||
	    fail "not the connection error record"
	expect_err "Can't connect to server on '127.0.0.1'"
	no_password
	bl_same before
	good_run
}
case_run wrong_host case_wrong_host

case_wrong_password()
{
	changes 4
	mycnf "socket=$W/sock" "user=scan" "password=$badpw"
	fault_run "cannot connect to the database: Access denied for user 'scan'@'localhost' (using password: YES) (1045)"
	good_run
}
case_run wrong_password case_wrong_password

# tstate NAME: the stored entry and rows of table fc.NAME.
tstate()
{
	sqlite3 -readonly "$W/baseline.db" "
	    SELECT hex(schema), hex(fingerprint), nrows, state, hex(mac)
		FROM tables WHERE db = CAST('fc' AS BLOB) AND
		name = CAST('$1' AS BLOB);
	    SELECT hex(b.hi), hex(b.data) FROM blocks b
		JOIN tables t USING (tid) WHERE t.db = CAST('fc' AS BLOB) AND
		t.name = CAST('$1' AS BLOB) ORDER BY b.hi"
}

# No SELECT on b: a is still scanned and reported, b fails alone with its
# own error record; b's stored state stays as it was.
case_no_select()
{
	changes 5
	good_cnf
	sql "REVOKE SELECT ON fc.b FROM 'scan'@'localhost'"
	tstate b >"$W/b.before"
	dbsc --deliver scan
	expect_rc 2
	m=$(printf '%s' "query: SELECT command denied to user 'scan'@'localhost' for table \`fc\`.\`b\` (1142)" | pct)
	expect_out <<EOF
$(summary 1 0 0 1)
dbsyscheck: op=insert table=fc.a pk=id=105 changed=- src=scan by=- ;
dbsyscheck: op=error table=fc.b msg=$m src=scan ;
EOF
	expect_err "fc.b: query: SELECT command denied"
	no_password
	tstate b | cmp -s "$W/b.before" - || fail "b's baseline changed"
	sql "GRANT SELECT ON fc.b TO 'scan'@'localhost'"
	{
		summary 0 1 0
		echo "dbsyscheck: op=update table=fc.b pk=id=1 changed=v" \
		    "src=scan by=- ;"
	} >"$W/expected.pending"
	good_run
}
case_run no_select case_no_select

# TLS demanded by the option file (Connector/C's ssl-verify-server-cert=1,
# as etc/my.cnf.example says) from a server that has none: refused before
# any password is sent in the clear.
case_tls_unavailable()
{
	[ "$(sql "SELECT @@have_ssl")" != YES ] ||
	    fail "setup: the server offers TLS"
	changes 6
	mycnf "host=127.0.0.1" "port=$db_port" "user=scan" "password=$pw" \
	    "ssl-verify-server-cert=1"
	fault_run "cannot connect to the database: TLS/SSL error: SSL is required, but the server does not support it (2026)"
	good_run
}
case_run tls_unavailable case_tls_unavailable

# Connector/C's own "require TLS" switch, ssl-enforce=1, must not fall
# back to plaintext either.
case_tls_enforce()
{
	changes 7
	mycnf "host=127.0.0.1" "port=$db_port" "user=scan" "password=$pw" \
	    "ssl-enforce=1"
	bl_save before
	dbsc --deliver scan
	expect_rc 2
	[ "$(wc -l <"$W/out")" = 2 ] || fail "not one error record"
	summary 0 0 0 1 >"$W/want.1"
	head -n 1 "$W/out" | cmp -s - "$W/want.1" || fail "bad summary"
	# Whatever the words, they must say TLS was required and missing.
	tail -n 1 "$W/out" | grep -E -q '^dbsyscheck: op=error msg=cannot%20connect%20to%20the%20database:%20[^ ]*(TLS|SSL)[^ ]* src=scan ;$' ||
	    fail "not a TLS error record"
	no_password
	bl_same before
	good_run
}
case_run tls_enforce case_tls_enforce

case_end

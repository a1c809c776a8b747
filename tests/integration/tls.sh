#!/bin/sh
# TLS through the option file: a server that requires secure transport, a
# throwaway CA and server certificate made here, an account that REQUIREs
# SSL. With ssl-ca and ssl-verify-server-cert=1 the scan works over TCP;
# a wrong CA, a certificate for another host, or no TLS at all fail the
# run (exit 2, one op=error record), keep the baseline, and the next good
# run reports the pending changes.
. "$(dirname "$0")/setup"

pw='Tls-pw-3e9b17'
R='src=scan by=- ;'
T=$W/tls
mkdir "$T"

command -v openssl >/dev/null 2>&1 ||
    fail "the openssl command is missing (scripts/deps.sh)"

# ca NAME: a self-signed CA in $T/NAME.pem (key NAME.key).
ca()
{
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/$1.key" \
	    -out "$T/$1.pem" -days 2 -subj "/CN=dbsyscheck test $1" \
	    >/dev/null 2>&1 || fail "openssl: cannot make CA $1"
}

# cert NAME CA SAN: a server certificate signed by CA for SAN.
cert()
{
	openssl req -newkey rsa:2048 -nodes -keyout "$T/$1.key" \
	    -out "$T/$1.csr" -subj "/CN=$1" >/dev/null 2>&1 &&
	printf 'subjectAltName=%s\n' "$3" >"$T/$1.ext" &&
	openssl x509 -req -in "$T/$1.csr" -CA "$T/$2.pem" -CAkey "$T/$2.key" \
	    -CAcreateserial -out "$T/$1.pem" -days 2 -extfile "$T/$1.ext" \
	    >/dev/null 2>&1 || fail "openssl: cannot make certificate $1"
}

ca ca
ca otherca
cert server ca "IP:127.0.0.1,DNS:localhost"
cert elsewhere ca "DNS:db.elsewhere.invalid"

db_start --tcp --ssl-ca="$T/ca.pem" --ssl-cert="$T/server.pem" \
    --ssl-key="$T/server.key" --require-secure-transport=ON
[ "$(sql "SELECT @@have_ssl")" = YES ] || fail "the server has no TLS"
sql "CREATE DATABASE tl"
sql_db tl "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))"
sql_db tl "INSERT INTO t VALUES (1, 'a'), (2, 'b')"
sql "CREATE USER 'tls'@'localhost' IDENTIFIED BY '$pw' REQUIRE SSL;
	GRANT SELECT ON tl.t TO 'tls'@'localhost'"
dbsc_conf "tl.t"

# mycnf LINES...: TCP to the server as the tls account, plus LINES.
mycnf()
{
	{
		echo "[client]"
		echo "host=127.0.0.1"
		echo "port=$db_port"
		echo "user=tls"
		echo "password=$pw"
		for _l in "$@"; do
			echo "$_l"
		done
	} >"$W/my.cnf"
	chmod 0600 "$W/my.cnf"
}

good_cnf()
{
	mycnf "ssl-ca=$T/ca.pem" "ssl-verify-server-cert=1"
}

good_cnf
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=baseline table=tl.t rows=2 src=scan ;
EOF
# It really was TLS: the server counts the handshakes.
[ "$(sql "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS
    WHERE VARIABLE_NAME = 'SSL_ACCEPTS'")" -ge 1 ] ||
    fail "no TLS handshake on the server"

# tls_fault N PATTERN CNF...: with this option file the run fails with an
# op=error record whose msg= matches PATTERN (encoded, extended regex);
# the baseline stays; the good run then reports change N.
tls_fault()
{
	_n=$1
	_p=$2
	shift 2
	sql_db tl "INSERT INTO t VALUES ($((100 + _n)), 'n')"
	mycnf "$@"
	bl_save before
	dbsc scan
	expect_rc 2
	[ "$(wc -l <"$W/out")" = 2 ] || fail "not one error record"
	summary 0 0 0 1 >"$W/want.1"
	head -n 1 "$W/out" | cmp -s - "$W/want.1" || fail "bad summary"
	tail -n 1 "$W/out" | grep -E -q \
	    "^dbsyscheck: op=error msg=cannot%20connect%20to%20the%20database:%20$_p src=scan ;\$" ||
	    fail "not the expected error record"
	grep -a -F -q -e "$pw" "$W/out" "$W/errout" && fail "password shown"
	bl_same before
	good_cnf
	dbsc scan
	expect_rc 1
	expect_out <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=tl.t pk=id=$((100 + _n)) changed=- $R
EOF
}

case_wrong_ca()
{
	tls_fault 1 'TLS/SSL%20error:%20[^ ]*%20\(2026\)' \
	    "ssl-ca=$T/otherca.pem" "ssl-verify-server-cert=1"
}
case_run wrong_ca case_wrong_ca

case_no_tls()
{
	# The server refuses insecure transport (and the account needs SSL).
	tls_fault 2 '[^ ]*(secure%20transport|Access%20denied)[^ ]*'
}
case_run no_tls case_no_tls

# A certificate from the right CA for another name: the server restarts
# with it (not a case_run: it restarts the server); refused; then back to
# the good certificate, and the good run reports the pending change.
echo "=== case other_host"
db_stop
db_start --tcp --ssl-ca="$T/ca.pem" --ssl-cert="$T/elsewhere.pem" \
    --ssl-key="$T/elsewhere.key" --require-secure-transport=ON
sql_db tl "INSERT INTO t VALUES (103, 'n')"
good_cnf
bl_save before
dbsc scan
expect_rc 2
[ "$(wc -l <"$W/out")" = 2 ] || fail "not one error record"
tail -n 1 "$W/out" | grep -E -q \
    '^dbsyscheck: op=error msg=cannot%20connect%20to%20the%20database:%20TLS/SSL%20error:%20[^ ]*%20\(2026\) src=scan ;$' ||
    fail "not the expected error record"
bl_same before
db_stop
db_start --tcp --ssl-ca="$T/ca.pem" --ssl-cert="$T/server.pem" \
    --ssl-key="$T/server.key" --require-secure-transport=ON
good_cnf
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=tl.t pk=id=103 changed=- $R
EOF
echo "=== case other_host: PASS"

case_end

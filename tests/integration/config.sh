#!/bin/sh
# Configuration errors: exit 2 with file:line on stderr, before anything is
# scanned; unsafe modes on the config, option and key files are refused.
. "$(dirname "$0")/setup"

# conf_plus LINE: the good config with LINE appended (as line 6).
conf_plus()
{
	dbsc_conf "cfg.t"
	printf '%s\n' "$1" >>"$W/dbsyscheck.conf"
}

# expect_refused WHAT: the last run exited 2 and named WHAT on stderr, and
# no baseline appeared.
expect_refused()
{
	expect_rc 2
	expect_err "$1"
	[ ! -e "$W/baseline.db" ] || fail "a refused run created the baseline"
}

db_start
sql "CREATE DATABASE cfg"
sql_db cfg "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))"
sql_db cfg "INSERT INTO t VALUES (1, 'a')"

dbsc_conf "cfg.t"
[ "$(wc -l <"$W/dbsyscheck.conf")" -eq 5 ] || fail "setup: config length"
dbsc -t
expect_rc 0
# One table is "1 table", two are "2 tables".
grep -q ': configuration OK, server .*, 1 table$' "$W/errout" ||
    fail "dbsyscheck -t does not say '1 table'"
conf_plus "table cfg.t2"
sql_db cfg "CREATE TABLE t2 (id INT PRIMARY KEY)"
dbsc -t
expect_rc 0
grep -q ': configuration OK, server .*, 2 tables$' "$W/errout" ||
    fail "dbsyscheck -t does not say '2 tables'"

conf_plus "frobnicate yes"
dbsc -t
expect_refused "dbsyscheck.conf:6"
dbsc scan
expect_refused "dbsyscheck.conf:6"

for line in "table" "table cfg." "table .t"; do
	conf_plus "$line"
	dbsc -t
	expect_refused "dbsyscheck.conf:6"
	dbsc scan
	expect_refused "dbsyscheck.conf:6"
done

# The config may be readable by others, never writable.
dbsc_conf "cfg.t"
chmod 0644 "$W/dbsyscheck.conf"
dbsc -t
expect_rc 0
for mode in 0620 0602 0666; do
	chmod "$mode" "$W/dbsyscheck.conf"
	dbsc -t
	expect_refused "dbsyscheck.conf"
	dbsc scan
	expect_refused "dbsyscheck.conf"
done

# The option file may hold a password: owner only.
dbsc_conf "cfg.t"
for mode in 0640 0604 0620 0602; do
	chmod "$mode" "$W/my.cnf"
	dbsc -t
	expect_refused "my.cnf"
	dbsc scan
	expect_refused "my.cnf"
done

# The key file is created 0600 by the first scan and must stay private.
dbsc_conf "cfg.t"
dbsc scan
expect_rc 1
[ -f "$W/hmac.key" ] || fail "first scan created no key file"
[ "$(stat -c %a "$W/hmac.key")" = 600 ] ||
    fail "key file mode is $(stat -c %a "$W/hmac.key"), not 600"
sql_db cfg "INSERT INTO t VALUES (2, 'b')"
for mode in 0640 0604 0620 0602; do
	chmod "$mode" "$W/hmac.key"
	dbsc scan
	expect_rc 2
	expect_err "hmac.key"
done
chmod 0600 "$W/hmac.key"
# The refused scans left the baseline alone.
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=cfg.t pk=id=2 changed=- src=scan by=- ;
EOF

dbsc -t
expect_rc 0

# -t checks where a run keeps its state as a run does: the baseline, its
# lock and its failure note (a link, another owner, a directory others can
# write) are refused, naming the file.
rm -f "$W/baseline.db.lock"
ln -s "$W/elsewhere" "$W/baseline.db.lock"
dbsc -t
expect_rc 2
expect_err "baseline.db.lock"
rm -f "$W/baseline.db.lock"
: >"$W/baseline.db.failed"
chown nobody "$W/baseline.db.failed"
dbsc -t
expect_rc 2
expect_err "baseline.db.failed"
rm -f "$W/baseline.db.failed"
mkdir "$W/open"
chmod 0777 "$W/open"
sed "s|^baseline .*|baseline $W/open/baseline.db|" "$W/dbsyscheck.conf" \
    >"$W/open.conf"
chmod 0600 "$W/open.conf"
cp "$W/open.conf" "$W/dbsyscheck.conf"
dbsc -t
expect_rc 2
expect_err "$W/open"
# A state directory the first scan would make passes; one whose parent
# is missing does not (the scan makes only the last directory).
sed "s|^baseline .*|baseline $W/new/state/baseline.db|" "$W/open.conf" \
    >"$W/dbsyscheck.conf"
dbsc -t
expect_rc 2
expect_err "$W/new"
mkdir -m 0755 "$W/new"
dbsc -t
expect_rc 0
dbsc_conf "cfg.t"
dbsc -t
expect_rc 0

# -t checks the connection too.
db_stop
dbsc -t
expect_rc 2

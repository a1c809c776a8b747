#!/bin/sh
# Watch dbsyscheck catch an INSERT, an UPDATE and a DELETE on a throwaway
# MariaDB server, then a change made around its binary log (op=untraced). Needs root the first time (Debian packages); leaves
# nothing behind.
set -eu

top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
top_builddir=$top_srcdir
. "$top_srcdir/tests/integration/setup"

say()
{
	printf '\n==> %s\n' "$*"
}

# run_sql STATEMENT: show it, then run it.
run_sql()
{
	printf 'mariadb> %s\n' "$1"
	sql "$1"
}

# scan: run a scan and show what it printed and what the exit code means.
scan()
{
	printf '$ dbsyscheck -c %s scan\n' "$W/dbsyscheck.conf"
	dbsc scan >/dev/null
	sed 's/^/    /' "$W/out"
	cat "$W/errout" >&2
	case $rc in
	0)	echo "    (exit 0: nothing changed)" ;;
	1)	echo "    (exit 1: changes reported)" ;;
	*)	fail "dbsyscheck exited $rc" ;;
	esac
}

say "Building (log in $W/build.log)"
if ! sh "$top_srcdir/scripts/build.sh" >"$W/build.log" 2>&1; then
	cat "$W/build.log" >&2
	fail "the build failed"
fi

say "Starting a throwaway MariaDB server in $W, with a row-based binary log"
db_start_binlog
h1='$2y$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'
h2='$2y$10$TKh8H1.PfQx37YgCzwiKb.KjNyWgaHb9cbcoQgdIVFlYg7B77UdFm'
h3='$2y$10$e0MYzXyjpJS7Pd0RVvHwHeFx4A8Pt.sLfT0bBu0LhzA9CUu4Vf1ZS'
h4='$2y$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z6yY9r3vK2mC1Lq8dXoTzB2u'
run_sql "CREATE DATABASE acme"
run_sql "CREATE TABLE acme.users (id INT PRIMARY KEY AUTO_INCREMENT, login VARCHAR(20) NOT NULL, password VARCHAR(60) NOT NULL)"
run_sql "INSERT INTO acme.users (login, password) VALUES ('alice', '$h1'), ('bob', '$h2')"

say "Configuration ($W/dbsyscheck.conf)"
dbsc_conf "acme.users"
sed 's/^/    /' "$W/dbsyscheck.conf"

say "First scan: record the baseline"
scan

say "Someone adds an account"
run_sql "INSERT INTO acme.users VALUES (7,'xavier','$h3')"
scan

say "Someone changes its password"
run_sql "UPDATE acme.users SET password='$h4' WHERE id=7"
scan

say "Someone removes it"
run_sql "DELETE FROM acme.users WHERE id=7"
scan

say "Nothing happened since"
scan

say "Someone with SUPER changes bob's password around the binary log"
run_sql "SET SESSION sql_log_bin = 0; UPDATE acme.users SET password='$h3' WHERE login='bob'"
echo "    (the scan reports the update, and op=untraced: the log has no trace of it)"
scan

say "Stopping the server and removing $W"
db_stop

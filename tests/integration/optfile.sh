#!/bin/sh
# Option files pulled in by !include and !includedir are checked like the
# option file itself (docs/SECURITY.md, "Option files and their includes"):
# a hostile include cannot make the scanner, run as root, load a plugin of
# another user's choosing, and a password in a file others may read is
# refused. The attacker is the user nobody.
. "$(dirname "$0")/setup"

play_nobody

db_start
sql "CREATE DATABASE optdb"
sql_db optdb "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))"
sql_db optdb "INSERT INTO t VALUES (1, 'a')"
dbsc_conf "optdb.t"
dbsc scan
expect_rc 1

# The plugin a hostile include names: loading it leaves $W/pwned.
cat >"$W/evil.c" <<EOF
#include <fcntl.h>
#include <unistd.h>
__attribute__((constructor)) static void
evil(void)
{
	int	 fd;

	fd = open("$W/pwned", O_WRONLY | O_CREAT, 0644);
	if (fd != -1)
		close(fd);
}
EOF
mkdir "$W/x"
chown nobody "$W/x"
${CC:-cc} -shared -fPIC -o "$W/evil.so" "$W/evil.c" ||
    fail "cannot build the test plugin"
as_nobody cp "$W/evil.so" "$W/x/evil.so"
as_nobody sh -c "umask 0; cat >'$W/x/inc.cnf'" <<EOF
[client]
plugin-dir=$W/x
default-auth=evil
EOF
[ "$(stat -c %a "$W/x/inc.cnf")" = 666 ] || fail "inc.cnf is not 0666"

# !include of another user's world-writable file: refused, nothing loaded.
echo "!include $W/x/inc.cnf" >>"$W/my.cnf"
dbsc scan
[ ! -e "$W/pwned" ] || fail "the scanner loaded the included plugin"
expect_rc 2
expect_err "$W/x"
grep -q '^dbsyscheck: op=error msg=.* src=scan ;$' "$W/out" ||
    fail "no op=error record for the hostile include"
dbsc -t
expect_rc 2
[ ! -e "$W/pwned" ] || fail "-t loaded the included plugin"

# The same file made root's and 0600, but in nobody's directory: nobody
# could swap it between the check and the client library's open.
chown root "$W/x/inc.cnf"
chmod 0600 "$W/x/inc.cnf"
dbsc scan
expect_rc 2
[ ! -e "$W/pwned" ] || fail "the scanner loaded a plugin from nobody's dir"
expect_err "$W/x"

# An include in a safe place, but readable by others while it holds a
# password: refused with the command that fixes it.
dbsc_conf "optdb.t"
mkdir -m 0755 "$W/inc"
printf '[client]\npassword=\n' >"$W/inc/pw.cnf"
chmod 0644 "$W/inc/pw.cnf"
echo "!include $W/inc/pw.cnf" >>"$W/my.cnf"
dbsc scan
expect_rc 2
expect_err "$W/inc/pw.cnf"
expect_err "chmod 600"
chmod 0600 "$W/inc/pw.cnf"
dbsc scan
expect_rc 0

# !includedir: every *.cnf in the directory is read, so each is checked;
# a world-writable one is refused, files of other names are not read.
dbsc_conf "optdb.t"
mkdir -m 0755 "$W/conf.d"
printf '[client]\n' >"$W/conf.d/a.cnf"
chmod 0600 "$W/conf.d/a.cnf"
printf 'not an option file\n' >"$W/conf.d/README"
chmod 0666 "$W/conf.d/README"
echo "!includedir $W/conf.d" >>"$W/my.cnf"
dbsc scan
expect_rc 0
printf '[client]\n' >"$W/conf.d/b.cnf"
chmod 0666 "$W/conf.d/b.cnf"
dbsc scan
expect_rc 2
expect_err "$W/conf.d/b.cnf"
rm "$W/conf.d/b.cnf"
# The directory itself writable by others: refused.
chmod 0777 "$W/conf.d"
dbsc scan
expect_rc 2
expect_err "$W/conf.d"
chmod 0755 "$W/conf.d"

# Nesting: an include of an include is checked too, and a cycle ends at
# the depth limit with a message instead of looping.
dbsc_conf "optdb.t"
printf '!include %s\n[client]\n' "$W/x/inc.cnf" >"$W/inc/nest.cnf"
chmod 0600 "$W/inc/nest.cnf"
chown nobody "$W/x/inc.cnf"
chmod 0666 "$W/x/inc.cnf"
echo "!include $W/inc/nest.cnf" >>"$W/my.cnf"
dbsc scan
expect_rc 2
[ ! -e "$W/pwned" ] || fail "a nested include loaded the plugin"
expect_err "$W/x"
printf '!include %s\n[client]\n' "$W/inc/loop.cnf" >"$W/inc/loop.cnf"
chmod 0600 "$W/inc/loop.cnf"
dbsc_conf "optdb.t"
echo "!include $W/inc/loop.cnf" >>"$W/my.cnf"
dbsc scan
expect_rc 2
expect_err "nested"

# A symbolic link to an include, placed where nobody may write: refused
# (nobody could point it elsewhere after the check).
dbsc_conf "optdb.t"
as_nobody ln -s "$W/inc/pw.cnf" "$W/x/link.cnf"
echo "!include $W/x/link.cnf" >>"$W/my.cnf"
dbsc scan
expect_rc 2
expect_err "$W/x"

[ ! -e "$W/pwned" ] || fail "the plugin was loaded"
exit 0

#!/bin/sh
# Hostile identifiers and the two ways of installing triggers
# (docs/SECURITY.md, "Installing triggers"). Names hold multibyte
# characters whose last byte is a lead byte of GBK, SJIS or BIG5 right
# before a backtick or a backslash, \! shell commands, statement
# separators, comment starters, DELIMITER and newlines. Printed SQL
# either runs as intended through the mariadb client under every
# multibyte client character set, or is refused, naming the column; the
# --install mode runs each statement by itself and installs working
# triggers for all of them, and never anything else.
. "$(dirname "$0")/setup"
. "$(dirname "$0")/udf_lib.sh"

by=root@localhost
# The names hold shell commands that create files in the client's
# directory: the driver runs in $W, whatever the length of its path (a
# name has at most 64 characters).
cd "$W"
pwned=PWNED
nl='
'
# Names: GBK/BIG5 (中 ends in 0xAD) and SJIS (ぁ ends in 0x81) lead
# bytes before a backtick and a backslash; a newline and DELIMITER; a
# statement that would create a table if anything split the SQL.
c_gbk="中\`\\! touch $pwned.gbk #"
c_sjis="ぁ\\\`\\! touch $pwned.sjis #"
c_nl="x${nl}DELIMITER ;;${nl}\\! touch $pwned.nl ;;"
c_split="y\`; CREATE TABLE cs.pwned (i INT); --"
t_mb="表\`\\! touch $pwned.table #"
# Printable ASCII without a backslash: hostile, yet printable.
a_key='id;`#'
a_c1='x; DROP TABLE cs.plain; --'
a_c2="q'\"/* DELIMITER //"

# ident NAME: NAME backtick-quoted for the server.
ident()
{
	printf '`%s`' "$(printf '%s' "$1" | sed 's/`/``/g')"
}

# (dbsc_conf echoes, which may take a backslash: the table lines here.)
udf_start
printf 'table cs.plain\ntable cs.mb\ntable cs.%s\n' "$(ident "$t_mb")" \
    >>"$W/dbsyscheck.conf"
sql "CREATE DATABASE cs"
sql_db cs "CREATE TABLE plain ($(ident "$a_key") INT PRIMARY KEY,
	$(ident "$a_c1") INT, $(ident "$a_c2") INT)"
sql_db cs "CREATE TABLE mb ($(ident "$c_gbk") INT PRIMARY KEY,
	$(ident "$c_sjis") INT, $(ident "$c_nl") INT, $(ident "$c_split") INT)"
sql_db cs "CREATE TABLE $(ident "$t_mb") (id INT PRIMARY KEY, v INT)"

# nothing_ran: no shell command ran and no statement hidden in a name.
nothing_ran()
{
	for f in "$W/$pwned".*; do
		[ ! -e "$f" ] || fail "a client ran a shell command ($f)"
	done
	[ "$(sql "SELECT COUNT(*) FROM information_schema.TABLES
	    WHERE TABLE_SCHEMA = 'cs'")" = 3 ] ||
	    fail "a statement hidden in a name ran"
}

# charsets: the multibyte character sets the mariadb client offers.
charsets=
for cs in gbk sjis big5 cp932 gb18030 eucjpms ujis euckr; do
	if mariadb --no-defaults --socket="$W/sock" -uroot \
	    --default-character-set="$cs" -e 'SELECT 1' >/dev/null 2>&1; then
		charsets="$charsets $cs"
	fi
done
echo "client character sets:$charsets"
[ -n "$charsets" ] || fail "the client offers none of the multibyte sets"

# Print mode, all tables: refused, since two hold names a client may
# misread; nothing printed. (Should it print, every client set runs it.)
dbsc triggers
if [ "$rc" = 0 ]; then
	for cs in $charsets; do
		mariadb --no-defaults --socket="$W/sock" -uroot \
		    --default-character-set="$cs" <"$W/out" >/dev/null 2>&1 ||
		    true
	done
	nothing_ran
	fail "printed SQL for names a client may misread"
fi
expect_rc 2
expect_empty
expect_err "cs.mb: the name of column $(printf '%s' "$c_gbk" | pct text)"
expect_err "dbsyscheck triggers --install"
dbsc triggers "cs.$(ident "$t_mb")"
expect_rc 2
expect_empty
expect_err "the table name"
# A printable table alone is printed: pure ASCII, and under every
# multibyte client set it installs working triggers and nothing else.
dbsc triggers cs.plain
expect_rc 0
LC_ALL=C grep -q '[^ -~]' "$W/out" && fail "printed SQL is not printable ASCII"
cp "$W/out" "$W/plain.sql"
udf_new >/dev/null
i=0
for cs in $charsets; do
	i=$((i + 1))
	mariadb --no-defaults --socket="$W/sock" -uroot \
	    --default-character-set="$cs" <"$W/plain.sql" >"$W/client.out" 2>&1 ||
	    fail "the printed SQL failed under $cs: $(cat "$W/client.out")"
	nothing_ran
	[ "$(sql "SELECT COUNT(*) FROM information_schema.TRIGGERS
	    WHERE TRIGGER_SCHEMA = 'cs'")" = 3 ] ||
	    fail "not 3 triggers under $cs"
	sql_db cs "INSERT INTO plain VALUES ($i, 0, 0);
	    UPDATE plain SET $(ident "$a_c2") = 1 WHERE $(ident "$a_key") = $i;
	    DELETE FROM plain WHERE $(ident "$a_key") = $i"
	k=$(printf '%s' "$a_key" | pct)
	expect_records <<EOF
dbsyscheck: op=insert table=cs.plain pk=$k=$i changed=- src=trigger by=$by ;
dbsyscheck: op=update table=cs.plain pk=$k=$i changed=$(printf '%s' "$a_c2" | pct) src=trigger by=$by ;
dbsyscheck: op=delete table=cs.plain pk=$k=$i changed=- src=trigger by=$by ;
EOF
done
# Dropping prints only the database and trigger names: printable here.
dbsc triggers --uninstall
expect_rc 0
sql <"$W/out"

# Install mode: an administrator's option file with the scanner's checks.
dbsc triggers --install
expect_rc 2
expect_err "--admin-file"
(umask 077 && cat >"$W/admin.cnf") <<EOF
[client]
socket=$W/sock
user=root
EOF
chmod 0644 "$W/admin.cnf"
dbsc triggers --install --admin-file "$W/admin.cnf"
expect_rc 2
expect_err "admin.cnf"
[ "$(sql "SELECT COUNT(*) FROM information_schema.TRIGGERS
    WHERE TRIGGER_SCHEMA = 'cs'")" = 0 ] || fail "a refused install ran"
chmod 0600 "$W/admin.cnf"
echo "trigger-admin-file $W/admin.cnf" >>"$W/dbsyscheck.conf"
dbsc triggers --install
expect_rc 0
expect_empty
nothing_ran
[ "$(sql "SELECT COUNT(*) FROM information_schema.TRIGGERS
    WHERE TRIGGER_SCHEMA = 'cs'")" = 9 ] || fail "not 9 triggers installed"
sql_db cs "INSERT INTO mb VALUES (1, 0, 0, 0);
    UPDATE mb SET $(ident "$c_sjis") = 1, $(ident "$c_nl") = 1,
	$(ident "$c_split") = 1;
    DELETE FROM mb;
    INSERT INTO $(ident "$t_mb") VALUES (1, 0);
    UPDATE $(ident "$t_mb") SET v = 1;
    DELETE FROM $(ident "$t_mb");
    INSERT INTO plain VALUES (1, 0, 0)"
k=$(printf '%s' "$c_gbk" | pct)
t=cs.$(printf '%s' "$t_mb" | pct ident)
chg=$(printf '%s' "$c_sjis" | pct),$(printf '%s' "$c_nl" | pct),$(printf '%s' "$c_split" | pct)
expect_records <<EOF
dbsyscheck: op=insert table=cs.mb pk=$k=1 changed=- src=trigger by=$by ;
dbsyscheck: op=update table=cs.mb pk=$k=1 changed=$chg src=trigger by=$by ;
dbsyscheck: op=delete table=cs.mb pk=$k=1 changed=- src=trigger by=$by ;
dbsyscheck: op=insert table=$t pk=id=1 changed=- src=trigger by=$by ;
dbsyscheck: op=update table=$t pk=id=1 changed=v src=trigger by=$by ;
dbsyscheck: op=delete table=$t pk=id=1 changed=- src=trigger by=$by ;
dbsyscheck: op=insert table=cs.plain pk=$(printf '%s' "$a_key" | pct)=1 changed=- src=trigger by=$by ;
EOF

# --token-only stores the token and touches no trigger; --install
# --uninstall drops exactly the triggers.
sql "DELETE FROM dbsyscheck.trigger_token"
dbsc triggers --install --token-only
expect_rc 0
[ "$(sql "SELECT COUNT(*) FROM dbsyscheck.trigger_token")" = 1 ] ||
    fail "--token-only stored no token"
dbsc triggers --install --uninstall
expect_rc 0
nothing_ran
[ "$(sql "SELECT COUNT(*) FROM information_schema.TRIGGERS
    WHERE TRIGGER_SCHEMA = 'cs'")" = 0 ] || fail "uninstall left triggers"
exit 0

#!/bin/sh
# The scanner's session does not depend on the server's defaults: global
# values that would cut a result (sql_select_limit), change its order
# (max_sort_length) or stop the query (max_join_size) neither invent nor
# hide a change, in full mode and in chunk mode; those that change what a
# VIRTUAL column computes (default_week_format, old_mode,
# default_regex_flags, lc_time_names, time_zone)
# change nothing; and a scan after every
# pinned variable got a hostile global value prints nothing
# (docs/DESIGN.md, "Session settings"). SET GLOBAL reaches the sessions
# that start after it: each scan opens new ones.
. "$(dirname "$0")/setup"

db_start
sql "CREATE DATABASE st"
# lim: 100 rows; wide: 6 columns; coll: keys sharing their first 64
# bytes, whose byte order differs from the collation's ('B' < 'a' in
# bytes); bin: the same keys as bytes (chunk= refuses coll's key);
# big: more than 1000 rows.
sql_db st "CREATE TABLE lim (id INT PRIMARY KEY, v INT)"
sql_db st "INSERT INTO lim SELECT seq, seq FROM seq_1_to_100"
sql_db st "CREATE TABLE wide (id INT PRIMARY KEY, c1 INT, c2 INT, c3 INT,
	c4 INT, c5 INT)"
sql_db st "INSERT INTO wide SELECT seq, seq, seq, seq, seq, seq
	FROM seq_1_to_10"
sql_db st "CREATE TABLE coll (k VARCHAR(100) PRIMARY KEY, v INT)
	CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
sql_db st "INSERT INTO coll SELECT CONCAT(REPEAT('p', 64),
	ELT(seq, 'a', 'B', 'c', 'D', 'e', 'F', 'g', 'H')), seq
	FROM seq_1_to_8"
sql_db st "CREATE TABLE bin (k VARBINARY(100) PRIMARY KEY, v INT)"
sql_db st "INSERT INTO bin SELECT k, v FROM coll"
sql_db st "CREATE TABLE big (id INT PRIMARY KEY, v VARCHAR(20))"
sql_db st "INSERT INTO big SELECT seq, CONCAT('v', seq) FROM seq_1_to_1500"
# vc: VIRTUAL columns, computed in the scanner's session, one for each
# setting that changes what its expression gives.
sql_db st "CREATE TABLE vc (id INT PRIMARY KEY, d DATE, t TIME, s VARCHAR(20),
	a INT, dt DATETIME,
	wk INT AS (WEEK(d)) VIRTUAL,
	zc DATETIME AS (CAST(t AS DATETIME)) VIRTUAL,
	rx VARCHAR(20) AS (REGEXP_REPLACE(s, '^b', 'x')) VIRTUAL,
	dn VARCHAR(20) AS (DAYNAME(d)) VIRTUAL,
	ut BIGINT AS (UNIX_TIMESTAMP(dt)) VIRTUAL)"
sql_db st "INSERT INTO vc (id, d, t, s, a, dt) VALUES
	(1, '2024-01-01', '12:00:00', CONCAT('a', CHAR(10), 'b'), 1,
	    '2024-01-01 00:00:00')"

(umask 077 && cat >"$W/my.cnf") <<EOF
[client]
socket=$W/sock
user=root
EOF
# chunk=100: lim is one chunk, which the sql_select_limit case changes;
# chunk=2000: big is one chunk (more than max_join_size rows); coll in
# full mode in both (chunk= needs keys in byte order).
for m in full chunk; do
	{
		echo "baseline $W/$m.db"
		echo "key $W/$m.key"
		echo "mysql-defaults-file $W/my.cnf"
		echo "mysql-group client"
		for t in lim wide coll bin big vc; do
			case $m.$t in
			*.coll) echo "table st.$t" ;;
			chunk.big) echo "table st.$t chunk=2000" ;;
			chunk.*) echo "table st.$t chunk=100" ;;
			*) echo "table st.$t" ;;
			esac
		done
	} | (umask 077 && cat >"$W/$m.conf")
done

# scan MODE: one scan with MODE's configuration; stdout in $W/out.MODE,
# exit status in $rc.
scan()
{
	echo "+ dbsyscheck ($1) scan"
	rc=0
	timeout -k 5 "$((DBSC_TIMEOUT * dbsc_slow))" $dbsc_wrap \
	    "$top_builddir/dbsyscheck" -c "$W/$1.conf" scan \
	    >"$W/out.$1" 2>"$W/err.$1" </dev/null || rc=$?
	_tool_keep "$W/err.$1"
	sed 's/^/  out| /' "$W/out.$1"
	sed 's/^/  err| /' "$W/err.$1"
	echo "  exit $rc"
}

# both RC <<EOF: a scan in each mode exits RC and prints exactly this.
both()
{
	cat >"$W/expected"
	for _m in full chunk; do
		scan "$_m"
		if ! cmp -s "$W/expected" "$W/out.$_m"; then
			echo "--- $_m mode: stdout differs" \
			    "(- expected, + actual):" >&2
			diff -u "$W/expected" "$W/out.$_m" >&2 || true
			fail "$_m mode: unexpected output"
		fi
		[ "$rc" = "$1" ] || fail "$_m mode: exit $rc, expected $1"
	done
}

for m in full chunk; do
	scan "$m"
	[ "$rc" = 1 ] || fail "$m mode: first scan exited $rc"
done
both 0 </dev/null

# sql_select_limit below the row count: no row is lost, a change beyond
# the limit is seen, and restoring the limit brings no row back.
sql "SET GLOBAL sql_select_limit = 50"
both 0 </dev/null
sql_db st "UPDATE lim SET v = -80 WHERE id = 80"
both 1 <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=st.lim pk=id=80 changed=v src=scan by=- ;
EOF
sql "SET GLOBAL sql_select_limit = 18446744073709551615"
both 0 </dev/null

# sql_select_limit below the column count: information_schema is read
# whole, so no column seems dropped and a real update of c1 is reported.
sql "SET GLOBAL sql_select_limit = 3"
sql_db st "UPDATE wide SET c1 = -7 WHERE id = 7"
both 1 <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=st.wide pk=id=7 changed=c1 src=scan by=- ;
EOF
sql "SET GLOBAL sql_select_limit = 18446744073709551615"
both 0 </dev/null

# max_sort_length shorter than the keys' shared prefix: the rows still
# come in byte order.
p=$(printf '%064d' 0 | tr 0 p)
sql "SET GLOBAL max_sort_length = 64"
both 0 </dev/null
sql_db st "UPDATE coll SET v = -2 WHERE k = '${p}B'"
sql_db st "UPDATE bin SET v = -4 WHERE k = '${p}D'"
both 1 <<EOF
$(summary 0 2 0)
dbsyscheck: op=update table=st.coll pk=k=${p}B changed=v src=scan by=- ;
dbsyscheck: op=update table=st.bin pk=k=${p}D changed=v src=scan by=- ;
EOF
sql "SET GLOBAL max_sort_length = 1024"
both 0 </dev/null

# max_join_size below the row count: the scan still runs.
sql "SET GLOBAL max_join_size = 1000"
both 0 </dev/null
sql_db st "UPDATE big SET v = 'changed' WHERE id = 1234"
both 1 <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=st.big pk=id=1234 changed=v src=scan by=- ;
EOF
sql "SET GLOBAL max_join_size = 18446744073709551615"
both 0 </dev/null

# A VIRTUAL column is computed in the scanner's session: a global value
# of a setting its expression depends on changes nothing. Each value is
# checked first to change the column in a session that does not pin it.
# FLUSH TABLES: a REGEXP_REPLACE pattern is compiled when a session opens
# the table, with that session's default_regex_flags, and the open table
# is kept for the next sessions (docs/SECURITY.md, "Generated columns").
# vc_global COLUMN 'VAR = HOSTILE' 'VAR = DEFAULT_VALUE'
vc_global()
{
	before=$(sql_db st "SELECT $1 FROM vc")
	sql "SET GLOBAL $2; FLUSH TABLES"
	[ "$(sql_db st "SELECT $1 FROM vc")" != "$before" ] ||
	    fail "setup: SET GLOBAL $2 does not change vc.$1"
	sql "FLUSH TABLES"
	both 0 </dev/null
	sql "SET GLOBAL $3; FLUSH TABLES"
	both 0 </dev/null
}
vc_global wk "default_week_format = 1" "default_week_format = 0"
vc_global zc "old_mode = 'ZERO_DATE_TIME_CAST'" \
    "old_mode = 'UTF8_IS_UTF8MB3'"
vc_global rx "default_regex_flags = 'MULTILINE'" "default_regex_flags = ''"
vc_global dn "lc_time_names = 'de_DE'" "lc_time_names = 'en_US'"
# A zone other than the server's own (the sanitizer pass runs the
# server in a zone of its own, which may be +05:00).
hostile_tz="'+05:00'"
[ "$(_sql_run -e "SELECT TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), NOW())")" \
    != 300 ] || hostile_tz="'-07:00'"
vc_global ut "time_zone = $hostile_tz" "time_zone = SYSTEM"
# ... and a real change of the column's source is still reported.
sql_db st "UPDATE vc SET d = '2024-01-08' WHERE id = 1"
both 1 <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=st.vc pk=id=1 changed=d,wk src=scan by=- ;
EOF

# Every pinned variable at once with a hostile global value, and a scan
# that must print nothing. The server is thrown away afterwards: nothing
# is restored.
sql "SET GLOBAL sql_mode = 'PAD_CHAR_TO_FULL_LENGTH,ANSI_QUOTES,ORACLE',
	time_zone = $hostile_tz,
	net_write_timeout = 1, net_read_timeout = 1,
	wait_timeout = 1, lock_wait_timeout = 1, autocommit = 0,
	sql_select_limit = 3, max_join_size = 10, sql_big_selects = 0,
	max_sort_length = 8, sort_buffer_size = 16384,
	sql_safe_updates = 1, div_precision_increment = 0,
	lc_time_names = 'de_DE', lc_messages = 'de_DE',
	tx_isolation = 'READ-UNCOMMITTED',
	max_statement_time = 0.000001, max_session_mem_used = 8192,
	tmp_disk_table_size = 1024, tmp_memory_table_size = 1024,
	idle_transaction_timeout = 1, idle_readonly_transaction_timeout = 1,
	idle_write_transaction_timeout = 1,
	collation_connection = 'latin1_swedish_ci',
	character_set_results = 'latin1',
	default_week_format = 1, old_mode = 'ZERO_DATE_TIME_CAST',
	default_regex_flags = 'MULTILINE'"
both 0 </dev/null

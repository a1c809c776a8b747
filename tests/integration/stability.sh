#!/bin/sh
# No change, no record (issue 12): scans of the upgrade fixture's database
# (every column type, tests/data/fixture-v3-fb2c9b5/fixture.sql), in full
# mode and with the chunkable tables in chunk mode, must print nothing and
# exit 0 after a clean restart, after a crash and restart, after a restart
# with other server defaults, for an account whose init_connect sets
# hostile values, and with each server default that must not matter set,
# one at a time, to a hostile global value: every variable that
# docs/DESIGN.md ("Session settings") pins, those it looked at and left
# alone, and more. settings.sh covers the issue's cases 2 to 4 (rows and
# columns past sql_select_limit, max_sort_length, max_join_size) with
# changes made meanwhile, and all pinned variables at once.
#
# system_versioning_asof: a global value in the past would make the scan
# read the history of system-versioned tables (pinned: DESIGN.md).
. "$(dirname "$0")/setup"

fx=$top_srcdir/tests/data/fixture-v3-fb2c9b5
db_start
sql <"$fx/fixture.sql"

for u in root scan; do
	(umask 077 && cat >"$W/my.$u.cnf") <<EOF
[client]
socket=$W/sock
user=$u
EOF
done
# full: every table in full mode; chunk: the fixture's configuration
# (its chunkable tables in chunk mode); scan: chunk's tables read by an
# account holding only SELECT on them.
for m in full chunk scan; do
	case $m in
	scan) u=scan ;;
	*) u=root ;;
	esac
	sed -e "s|@W@/baseline.db|$W/$m.db|" -e "s|@W@/hmac.key|$W/$m.key|" \
	    -e "s|@W@/my.cnf|$W/my.$u.cnf|" "$fx/dbsyscheck.conf.in" |
	    if [ "$m" = full ]; then sed 's/ chunk=[0-9]*//'; else cat; fi |
	    (umask 077 && cat >"$W/$m.conf")
done
sql "CREATE USER scan@localhost; GRANT SELECT ON fx.* TO scan@localhost"

# scan MODE: one scan; stdout in $W/out.MODE, exit status in $rc.
scan()
{
	rc=0
	timeout -k 5 "$((DBSC_TIMEOUT * dbsc_slow))" $dbsc_wrap \
	    "$top_builddir/dbsyscheck" -c "$W/$1.conf" scan \
	    >"$W/out.$1" 2>"$W/err.$1" </dev/null || rc=$?
	_tool_keep "$W/err.$1"
}

# quiet WHAT [MODES]: a scan in each mode prints nothing and exits 0;
# otherwise the failure is noted in $failed with what was printed.
failed=
quiet()
{
	for _m in ${2:-full chunk scan}; do
		scan "$_m"
		if [ "$rc" = 0 ] && [ ! -s "$W/out.$_m" ]; then
			continue
		fi
		echo "--- $1, $_m mode: exit $rc" >&2
		head -n 8 "$W/out.$_m" "$W/err.$_m" >&2
		failed="$failed
	$1 ($_m mode, exit $rc)"
	done
	echo "$1: checked"
}

for m in full chunk scan; do
	scan "$m"
	[ "$rc" = 1 ] || fail "$m mode: first scan exited $rc"
	[ "$(grep -c 'op=baseline' "$W/out.$m")" = 20 ] ||
	    fail "$m mode: not 20 tables: $(cat "$W/out.$m" "$W/err.$m")"
done
quiet "no change"
[ -z "$failed" ] || fail "records with nothing changed:$failed"

# Restarts: clean, after a crash, with other server defaults (the
# server's character set and collation, time zone, SQL mode).
db_restart
quiet "after a restart"
db_kill
db_start
quiet "after a crash and a restart"
db_stop
db_start --character-set-server=latin1 --collation-server=latin1_bin \
    --default-time-zone=+09:30 --sql-mode=PAD_CHAR_TO_FULL_LENGTH,ORACLE \
    --div-precision-increment=0 --max-sort-length=8 --lc-messages=de_DE
quiet "after a restart with other server defaults"
db_stop
db_start

# The account's init_connect (not run for root) sets hostile values;
# the scanner pins its session after it.
sql "SET GLOBAL init_connect = 'SET time_zone = ''+03:00'',
	sql_select_limit = 2, character_set_results = latin1,
	sql_mode = ''PAD_CHAR_TO_FULL_LENGTH'', max_sort_length = 8,
	div_precision_increment = 0, system_versioning_asof = DEFAULT'"
quiet "init_connect of the account" scan
sql "SET GLOBAL init_connect = ''"

# try VAR VALUE: set the global default VAR to VALUE, scan, restore it;
# after a failure, scan once more so that the next case starts even.
try()
{
	_old=$(sql "SELECT @@GLOBAL.$1")
	case $_old in
	DEFAULT) ;;
	'' | *[!0-9.-]*) _old="'$(printf '%s' "$_old" | sed "s/'/''/g")'" ;;
	esac
	_was=$failed
	sql "SET GLOBAL $1 = $2"
	quiet "$1 = $2" "full chunk"
	sql "SET GLOBAL $1 = $_old"
	if [ "$failed" != "$_was" ]; then
		scan full
		scan chunk
	fi
}

# Every variable of docs/DESIGN.md's table of pinned session settings.
try max_statement_time 0.000001
try max_session_mem_used 8192
try tmp_disk_table_size 1024
try idle_transaction_timeout 1
try idle_readonly_transaction_timeout 1
try idle_write_transaction_timeout 1
try character_set_client latin1
try character_set_connection latin1
try collation_connection latin1_german2_ci
try collation_connection utf8mb4_bin
try character_set_results latin1
try character_set_results utf16
for mode in PAD_CHAR_TO_FULL_LENGTH ANSI_QUOTES ORACLE MSSQL \
    EMPTY_STRING_IS_NULL NO_BACKSLASH_ESCAPES TIME_ROUND_FRACTIONAL \
    SIMULTANEOUS_ASSIGNMENT NO_ZERO_DATE IGNORE_SPACE PIPES_AS_CONCAT \
    HIGH_NOT_PRECEDENCE ANSI; do
	try sql_mode "'$mode'"
done
try time_zone "'+05:00'"
try time_zone "'-11:30'"
try net_write_timeout 1
try net_read_timeout 1
try wait_timeout 1
try lock_wait_timeout 1
try autocommit 0
try sql_select_limit 1
try max_join_size 1
try sql_big_selects 0
try max_sort_length 4
try sort_buffer_size 16384
try sql_safe_updates 1
try div_precision_increment 0
try div_precision_increment 30
try lc_time_names "'de_DE'"
try lc_messages "'de_DE'"
try tx_isolation "'READ-UNCOMMITTED'"
try tx_isolation "'SERIALIZABLE'"

# Looked at and not pinned (DESIGN.md), and others that could change a
# result's bytes, rows, order or whether it runs.
try group_concat_max_len 4
try max_allowed_packet 1024
try net_buffer_length 1024
try optimizer_switch "'index_merge=off,index_condition_pushdown=off,derived_merge=off,mrr=on,mrr_sort_keys=on,rowid_filter=off,condition_pushdown_for_derived=off'"
try optimizer_search_depth 0
try optimizer_use_condition_selectivity 1
try join_cache_level 0
try join_buffer_size 128
try eq_range_index_dive_limit 1
try in_predicate_conversion_threshold 1
try max_seeks_for_key 1
try max_length_for_sort_data 4
try sql_buffer_result 1
try big_tables 1
try tmp_table_size 1024
try tmp_memory_table_size 1024
try max_heap_table_size 16384
try read_buffer_size 8192
try read_rnd_buffer_size 1
try query_cache_type 1
try innodb_lock_wait_timeout 1
try innodb_snapshot_isolation 1
try collation_database "'latin1_bin'"
try character_set_database "'utf16'"
try character_set_server "'latin1'"
try collation_server "'latin1_german2_ci'"
try sql_auto_is_null 1
try old_mode "'NO_PROGRESS_INFO,ZERO_DATE_TIME_CAST,UTF8_IS_UTF8MB3,IGNORE_INDEX_ONLY_FOR_JOIN,COMPAT_5_1_CHECKSUM'"
try completion_type 1
try completion_type 2
try max_error_count 0
try sql_warnings 1
try sql_notes 0
try default_week_format 7
try max_recursive_iterations 0
try tx_read_only 1
try default_storage_engine "'Aria'"
try explicit_defaults_for_timestamp 0
try column_compression_threshold 0
# The system-versioned tables would be read as of 2001.
try system_versioning_asof "'2001-01-01 00:00:00'"

quiet "at the end"
[ -z "$failed" ] || fail "records or errors with nothing changed:$failed"
echo "$test_name: no record after restarts and changed defaults"

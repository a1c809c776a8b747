# Helpers for the udf_*.sh and triggers_*.sh tests, sourced after setup: a
# server with the UDF library loaded from the build, a trigger token, the
# generated triggers, and the records the trigger log receives (the file
# DBSYSCHECK_UDF_LOG names: $W/udf.log unless a test sets another).

# The built library: libtool leaves the module in $top_builddir/.libs.
udf_plugindir=$top_builddir/.libs
[ -f "$udf_plugindir/dbsyscheck_udf.so" ] ||
    fail "$udf_plugindir/dbsyscheck_udf.so is not built"

# Lines of the trigger log already looked at by udf_new.
udf_seen=0
: "${DBSYSCHECK_UDF_LOG:=$W/udf.log}"
export DBSYSCHECK_UDF_LOG

# udf_lines: the number of lines in the trigger log (0 before it exists).
udf_lines()
{
	if [ -f "$DBSYSCHECK_UDF_LOG" ]; then
		wc -l <"$DBSYSCHECK_UDF_LOG"
	else
		echo 0
	fi
}

# udf_conf [table lines...]: dbsc_conf plus a trigger-token line.
udf_conf()
{
	dbsc_conf "$@"
	echo "trigger-token $W/trigger.token" >>"$W/dbsyscheck.conf"
}

# udf_start [table lines...]: write the configuration, make a token with
# "dbsyscheck token", start a server whose environment names it and whose
# plugin directory is the build's, and load the functions. Extra mariadbd
# arguments go in $udf_server_args.
udf_start()
{
	udf_conf "$@"
	if [ ! -f "$W/trigger.token" ]; then
		dbsc token
		expect_rc 0
	fi
	DBSYSCHECK_UDF_TOKEN=$W/trigger.token
	export DBSYSCHECK_UDF_TOKEN
	# shellcheck disable=SC2086
	db_start --plugin-dir="$udf_plugindir" ${udf_server_args:-}
	sql <"$top_srcdir/sql/udf_install.sql"
	udf_seen=$(udf_lines)
}

# udf_triggers [db.table...]: generate the triggers and install them.
udf_triggers()
{
	dbsc triggers "$@" >/dev/null
	expect_rc 0
	cp "$W/out" "$W/triggers.sql"
	sql <"$W/triggers.sql"
}

# udf_new: the record lines ("dbsyscheck: ...", optionally after an
# ISO-8601 time) that the trigger log got since the last call.
udf_new()
{
	_total=$(udf_lines)
	[ "$_total" -gt 0 ] || return 0
	tail -n +"$((udf_seen + 1))" "$DBSYSCHECK_UDF_LOG" |
	    head -n "$((_total - udf_seen))" |
	    grep -E '^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z )?dbsyscheck: ' ||
	    true
	udf_seen=$_total
}

# expect_records <<EOF: exactly these records arrived since the last look.
expect_records()
{
	cat >"$W/rec.expected"
	udf_new >"$W/rec.actual"
	if ! cmp -s "$W/rec.expected" "$W/rec.actual"; then
		echo "--- records differ (- expected, + actual):" >&2
		diff -u "$W/rec.expected" "$W/rec.actual" >&2 || true
		fail "unexpected records in the trigger log"
	fi
}

# expect_no_records: nothing arrived since the last look.
expect_no_records()
{
	expect_records </dev/null
}

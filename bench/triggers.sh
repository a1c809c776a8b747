#!/bin/sh
# What watching a table with triggers costs: autocommit single-row INSERTs,
# then single-row UPDATEs by primary key, on an indexed table, five ways in
# one run of one throwaway MariaDB:
#   plain  no triggers;
#   dbsc   the triggers "dbsyscheck triggers" generates (dbsyscheck_log()
#          writing one record per row to the server's error log);
#   audit  the classic alternative: triggers INSERTing each change into an
#          audit table;
# and, to see where the dbsc time goes (DBSC_BENCH_PROFILE=1, the default):
#   setx   triggers doing only SET @x = 1: the cost of firing a trigger;
#   noop   the dbsc triggers with dbsyscheck_log() replaced by dbsc_noop()
#          (bench/noop_udf.c, built here): the same arguments to a UDF that
#          does nothing, so noop - setx is the server's cost of a UDF call
#          (_init, evaluating and converting the arguments, _deinit) and
#          dbsc - noop the function's own work (token, record, write).
# The statements run inside the server, in stored procedure loops (each
# statement commits on its own, autocommit is on), so the client is never
# the bottleneck: one CALL of a driver procedure runs a whole round. It
# cuts each phase into DBSC_BENCH_SLICES slices (20) and runs every slice
# on all the tables in turn, timing each with SYSDATE(6) in the server, so
# that load from other processes on a shared machine falls on all alike.
# A round's time for a phase and table is the sum of its slices. Of
# DBSC_BENCH_REPS rounds (5) the median is reported with the fastest and
# slowest; a ratio is the median of the per-round ratios to plain (each
# round's tables ran side by side) with their range.
#
# Each value of innodb_flush_log_at_trx_commit in DBSC_BENCH_FLUSH ("2 1")
# is one configuration, set with SET GLOBAL on the same server: 2 writes
# the redo log at each commit and syncs it once a second; 1, the server's
# default, syncs it at each commit, which costs an fsync per statement,
# milliseconds on a shared virtual disk: at 1 the per-row trigger costs
# (microseconds) are far below its noise, so setx and noop are left out.
# No binary log (so sync_binlog does not apply), innodb_buffer_pool_size
# DBSC_BENCH_POOL (128M, the server's default; the tables need far less).
#
# Usage: make bench-triggers, or top_builddir=... sh bench/triggers.sh.
# DBSC_BENCH_ROWS overrides the rows per phase (100000 at flush 2 and 0,
# 5000 at flush 1); DBSC_BENCH_OUT the results file
# (bench/results-triggers.txt). Lines from "== Notes" on in an existing
# results file are kept at its end. About 8 minutes with the defaults.

if [ -z "${top_srcdir:-}" ]; then
	top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
fi
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
. "$top_srcdir/tests/integration/setup"
. "$top_srcdir/tests/integration/udf_lib.sh"

flushes=${DBSC_BENCH_FLUSH:-"2 1"}
reps=${DBSC_BENCH_REPS:-5}
slices=${DBSC_BENCH_SLICES:-20}
pool=${DBSC_BENCH_POOL:-128M}
profile=${DBSC_BENCH_PROFILE:-1}
out=${DBSC_BENCH_OUT:-$top_builddir/bench/results-triggers.txt}

tables="plain dbsc audit"
[ "$profile" != 1 ] || tables="plain setx noop dbsc audit"

# tables_for FLUSH: the tables timed in that configuration.
tables_for()
{
	if [ "$1" = 1 ]; then
		echo plain dbsc audit
	else
		echo "$tables"
	fi
}

# rows_for FLUSH: the rows per phase.
rows_for()
{
	if [ -n "${DBSC_BENCH_ROWS:-}" ]; then
		echo "$DBSC_BENCH_ROWS"
	elif [ "$1" = 1 ]; then
		echo 5000
	else
		echo 100000
	fi
}

# The plugin directory: the built library and, for noop, dbsc_noop.so.
mkdir "$W/plugin"
cp "$udf_plugindir/dbsyscheck_udf.so" "$W/plugin/"
if [ "$profile" = 1 ]; then
	: "${MYSQL_CFLAGS:=$(mariadb_config --cflags 2>/dev/null ||
	    pkg-config --cflags libmariadb 2>/dev/null || true)}"
	# shellcheck disable=SC2086
	${CC:-cc} -O2 -shared -fPIC -I"$top_srcdir/src/udf" $MYSQL_CFLAGS \
	    -o "$W/plugin/dbsc_noop.so" "$top_srcdir/bench/noop_udf.c" ||
	    fail "cannot build bench/noop_udf.c"
fi
udf_plugindir=$W/plugin

udf_server_args=--innodb-buffer-pool-size=$pool
udf_start "bench.dbsc mask=password" "bench.noop mask=password"
sql "CREATE DATABASE bench"
for t in $tables; do
	sql_db bench "CREATE TABLE $t (
		id INT PRIMARY KEY,
		login VARCHAR(32) NOT NULL,
		password VARCHAR(64) NOT NULL,
		updated INT NOT NULL,
		KEY (login))"
	sql_db bench <<EOF
DELIMITER //
CREATE PROCEDURE ins_$t(lo INT, hi INT)
BEGIN
	DECLARE i INT DEFAULT lo;
	WHILE i < hi DO
		INSERT INTO $t VALUES (i, CONCAT('user', i), 'hash0', 0);
		SET i = i + 1;
	END WHILE;
END//
CREATE PROCEDURE upd_$t(lo INT, hi INT)
BEGIN
	DECLARE i INT DEFAULT lo;
	WHILE i < hi DO
		UPDATE $t SET password = CONCAT('hash', i), updated = updated + 1
		    WHERE id = i;
		SET i = i + 1;
	END WHILE;
END//
EOF
done
sql_db bench "CREATE TABLE audit_log (
	n BIGINT AUTO_INCREMENT PRIMARY KEY,
	at DATETIME NOT NULL,
	op CHAR(6) NOT NULL,
	tbl VARCHAR(64) NOT NULL,
	pk INT NOT NULL,
	account VARCHAR(200) NOT NULL)"
for ev in INSERT:insert:NEW UPDATE:update:NEW DELETE:delete:OLD; do
	IFS=: read -r event op row <<EOF
$ev
EOF
	sql_db bench "CREATE TRIGGER audit_$op AFTER $event ON audit
		FOR EACH ROW INSERT INTO audit_log VALUES (NULL, NOW(), '$op',
		'bench.audit', $row.id, USER())"
	if [ "$profile" = 1 ]; then
		sql_db bench "CREATE TRIGGER setx_$op AFTER $event ON setx
			FOR EACH ROW SET @x = 1"
	fi
done
udf_triggers bench.dbsc
if [ "$profile" = 1 ]; then
	sql "CREATE FUNCTION dbsc_noop RETURNS INTEGER SONAME 'dbsc_noop.so'"
	dbsc triggers bench.noop >/dev/null
	expect_rc 0
	grep -q 'dbsyscheck_log(' "$W/out" || fail "no dbsyscheck_log() call"
	sed 's/dbsyscheck_log(/dbsc_noop(/' "$W/out" >"$W/noop.sql"
	sql <"$W/noop.sql"
fi

# The driver: one round, every slice of a phase on each table in turn
# (setx and noop only when prof).
sql_db bench "CREATE TABLE times (flush INT, round INT, phase CHAR(3),
	tbl CHAR(5), us BIGINT)"
{
	echo "DELIMITER //"
	echo "CREATE PROCEDURE round(f INT, r INT, n INT, slices INT, prof INT)"
	echo "BEGIN"
	echo "	DECLARE s INT; DECLARE lo INT; DECLARE hi INT;"
	echo "	DECLARE t0 DATETIME(6);"
	for ph in ins upd; do
		echo "	SET s = 0;"
		echo "	WHILE s < slices DO"
		echo "		SET lo = n * s DIV slices, hi = n * (s + 1) DIV slices;"
		for t in $tables; do
			case $t in
			setx | noop) echo "		IF prof THEN" ;;
			esac
			echo "		SET t0 = SYSDATE(6);"
			echo "		CALL ${ph}_$t(lo, hi);"
			echo "		INSERT INTO times VALUES (f, r, '$ph', '$t',"
			echo "		    TIMESTAMPDIFF(MICROSECOND, t0, SYSDATE(6)));"
			case $t in
			setx | noop) echo "		END IF;" ;;
			esac
		done
		echo "		SET s = s + 1;"
		echo "	END WHILE;"
	done
	echo "END//"
} | sql_db bench

# The dbsyscheck records in the error log so far.
nrecords()
{
	grep -c '^dbsyscheck: op=\(insert\|update\) table=bench.dbsc ' \
	    "$W/err.log" || true
}

started=$(date +%s)
for flush in $flushes; do
	rows=$(rows_for "$flush")
	prof=0
	[ "$(tables_for "$flush")" = "plain dbsc audit" ] || prof=1
	echo "$flush $rows" >>"$W/configs"
	sql "SET GLOBAL innodb_flush_log_at_trx_commit = $flush"
	n0=$(nrecords)
	r=1
	while [ "$r" -le "$reps" ]; do
		for t in $tables; do
			sql_db bench "TRUNCATE TABLE $t"
		done
		sql_db bench "TRUNCATE TABLE audit_log"
		sql_db bench "CALL round($flush, $r, $rows, $slices, $prof)"
		echo "flush=$flush: round $r of $reps done," \
		    "$(($(date +%s) - started)) s" >&2
		r=$((r + 1))
	done
	# One record per dbsc row, none from the others: check before trusting.
	n=$(($(nrecords) - n0))
	[ "$n" = $((2 * rows * reps)) ] || fail "flush=$flush: the" \
	    "dbsyscheck triggers wrote $n records, not $((2 * rows * reps))"
done
grep -v '^dbsyscheck: op=\(insert\|update\) table=bench.dbsc ' \
    "$W/err.log" | grep '^dbsyscheck: ' && fail "unexpected records"
sql_db bench "SELECT flush, round, phase, tbl, SUM(us) FROM times
    GROUP BY flush, round, phase, tbl ORDER BY flush, round, phase, tbl" |
    tr '\t' ' ' >"$W/times"
settings=$(sql "SELECT CONCAT('innodb_buffer_pool_size=',
    @@innodb_buffer_pool_size DIV 1048576, 'M log_bin=', @@log_bin,
    ' sync_binlog=', @@sync_binlog, ' innodb_doublewrite=',
    @@innodb_doublewrite, ' innodb_flush_method=', @@innodb_flush_method)")

# summary FLUSH ROWS: the tables of one configuration from $W/times.
summary()
{
	grep "^$1 " "$W/times" |
	    awk -v rows="$2" -v tables="$(tables_for "$1")" '
	function sort(a, n,	i, j, t) {
		for (i = 2; i <= n; i++) {
			t = a[i]
			for (j = i - 1; j >= 1 && a[j] > t; j--)
				a[j + 1] = a[j]
			a[j + 1] = t
		}
	}
	function med(a, n) {
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	# The median over rounds of t(phase, tbl) - t(phase, base), per
	# statement, in microseconds.
	function delta(p, tbl, base,	i, n, d, st) {
		st = p == "tot" ? 2 * rows : rows
		n = 0
		for (i = 1; i <= nr; i++)
			d[++n] = (t[p, tbl, rr[i]] - t[p, base, rr[i]]) / st
		sort(d, n)
		return med(d, n)
	}
	{
		t[$3, $4, $2] += $5
		t["tot", $4, $2] += $5
		if (!($2 in rounds)) {
			rounds[$2] = 1
			rr[++nr] = $2
		}
		have[$4] = 1
	}
	END {
		nt = split(tables, tb, " ")
		split("ins upd tot", ph, " ")
		printf "%-5s %-6s %9s %9s %9s %7s %20s %8s\n", "phase",
		    "table", "median", "fastest", "slowest", "spread",
		    "ratio [range]", "us/stmt"
		for (p = 1; p <= 3; p++) {
			for (k = 1; k <= nt; k++) {
				n = 0
				for (i = 1; i <= nr; i++) {
					x = t[ph[p], tb[k], rr[i]]
					v[++n] = x / 1000
					q[n] = x / t[ph[p], "plain", rr[i]]
				}
				sort(v, n)
				sort(q, n)
				m = med(v, n)
				st = ph[p] == "tot" ? 2 * rows : rows
				printf "%-5s %-6s %6.0f ms %6.0f ms %6.0f ms " \
				    "%6.1f%% %6.3f [%.3f-%.3f] %8.2f\n",
				    ph[p], tb[k], m, v[1], v[n],
				    100 * (v[n] - v[1]) / m, med(q, n), q[1],
				    q[n], m * 1000 / st
			}
		}
		if (!("setx" in have) || !("noop" in have))
			exit
		printf "\nper statement, median over rounds of the paired " \
		    "differences (us):\n"
		printf "%-5s %9s %9s %9s %9s %9s %9s\n", "phase", "trigger",
		    "udf call", "dbsc fn", "dbsc", "audit ins", "audit"
		printf "%-5s %9s %9s %9s %9s %9s %9s\n", "", "setx-plain",
		    "noop-setx", "dbsc-noop", "dbsc-plain", "audit-setx",
		    "audit-plain"
		for (p = 1; p <= 3; p++)
			printf "%-5s %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f\n",
			    ph[p], delta(ph[p], "setx", "plain"),
			    delta(ph[p], "noop", "setx"),
			    delta(ph[p], "dbsc", "noop"),
			    delta(ph[p], "dbsc", "plain"),
			    delta(ph[p], "audit", "setx"),
			    delta(ph[p], "audit", "plain")
	}'
}

{
	echo "dbsyscheck trigger benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "server: $(mariadbd --version 2>&1 | head -n 1)"
	echo "machine: $(nproc) CPUs, $(uname -sr); load average at the" \
	    "end: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "server settings: $settings; records to the server's error log"
	echo "$reps rounds; each phase in $slices slices, each slice run on" \
	    "every table in turn"
	echo "(round-robin); autocommit single-row statements in stored" \
	    "procedure loops."
	echo "median, fastest, slowest: a round's time for the phase (the" \
	    "sum of its slices);"
	echo "spread: (slowest - fastest) / median; ratio: the median over" \
	    "rounds of the"
	echo "table's time / plain's time in the same round, [lowest-highest];"
	echo "us/stmt: the median time per statement."
	while read -r flush rows; do
		echo
		echo "== innodb_flush_log_at_trx_commit=$flush, $rows rows" \
		    "per phase"
		echo
		summary "$flush" "$rows"
	done <"$W/configs"
	echo
	echo "all rounds (flush round phase table us):"
	sed 's/^/  /' "$W/times"
	notes=$(sed -n '/^== Notes/,$p' "$out" 2>/dev/null || true)
	if [ -n "$notes" ]; then
		echo
		printf '%s\n' "$notes"
	fi
} >"$W/results"
cat "$W/results"
mkdir -p "$(dirname "$out")"
cp "$W/results" "$out"
echo "written to $out" >&2

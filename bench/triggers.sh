#!/bin/sh
# What watching a table with triggers costs: autocommit single-row INSERTs,
# then single-row UPDATEs by primary key, on an indexed table, several ways
# in one run of one throwaway MariaDB:
#   plain  no triggers;
#   dbsc   the triggers "dbsyscheck triggers" generates (dbsyscheck_log()
#          writing one record per row to the trigger log);
#   audit  the classic alternative: triggers INSERTing each change into an
#          audit table;
# and, to see where the dbsc time goes (DBSC_BENCH_PROFILE=1, the default):
#   setx   triggers doing only SET @x = 1: the cost of firing a trigger;
#   noop   the dbsc triggers with dbsyscheck_log() replaced by dbsc_noop()
#          (bench/noop_udf.c, built here): the same arguments to a UDF that
#          does nothing, so noop - setx is the server's cost of a UDF call
#          (_init, evaluating and converting the arguments, the token's
#          read from dbsyscheck.trigger_token among them, _deinit) and
#          dbsc - noop the function's own work (token, record, write).
# The statements run inside the server, in stored procedure loops (each
# statement commits on its own, autocommit is on), so the client is never
# the bottleneck: one CALL of a driver procedure runs a whole round. It
# cuts each phase into slices and runs every slice on all the tables in
# turn, timing each with SYSDATE(6) in the server, so that load from other
# processes on a shared machine falls on all alike. A round's time for a
# phase and table is the sum of its slices; of DBSC_BENCH_REPS rounds (5)
# the median is reported, with the spread of the rounds. Ratios to plain
# are paired in time: per round (the median and range of the rounds'
# ratios) and per slice (the median and quartiles of the slices' ratios,
# the steadier figure when the machine's load comes and goes).
#
# Each value of innodb_flush_log_at_trx_commit in DBSC_BENCH_FLUSH ("2 1")
# is one configuration, set with SET GLOBAL on the same server: 2 writes
# the redo log at each commit and syncs it once a second; 1, the server's
# default, syncs it at each commit: an fsync per statement, from 0.2 to
# several milliseconds on a shared virtual disk. At 1 the trigger costs
# (microseconds) are far below that noise, so setx and noop are left out,
# fewer rows are run and in more, shorter slices. No binary log (so
# sync_binlog does not apply); innodb_buffer_pool_size DBSC_BENCH_POOL
# (128M, the server's default; the tables need far less).
#
# Usage: make bench-triggers, or top_builddir=... sh bench/triggers.sh.
# DBSC_BENCH_ROWS and DBSC_BENCH_SLICES override the rows per phase and
# the slices (100000 rows in 20 slices at flush 2 and 0, 4000 in 100 at
# flush 1); DBSC_BENCH_OUT the results file (bench/results-triggers.txt).
# Lines from "== Notes" on in an existing results file are kept at its
# end. 5 to 10 minutes on 2 CPUs, depending on the load and the disk.

if [ -z "${top_srcdir:-}" ]; then
	top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
fi
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
. "$top_srcdir/tests/integration/setup"
. "$top_srcdir/tests/integration/udf_lib.sh"

flushes=${DBSC_BENCH_FLUSH:-"2 1"}
reps=${DBSC_BENCH_REPS:-5}
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
		echo 4000
	else
		echo 100000
	fi
}

# slices_for FLUSH: the slices per phase.
slices_for()
{
	if [ -n "${DBSC_BENCH_SLICES:-}" ]; then
		echo "$DBSC_BENCH_SLICES"
	elif [ "$1" = 1 ]; then
		echo 100
	else
		echo 20
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
	tbl CHAR(5), slice INT, us BIGINT)"
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
			echo "		INSERT INTO times VALUES (f, r, '$ph', '$t', s,"
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

# The dbsyscheck records in the trigger log so far.
nrecords()
{
	[ -f "$DBSYSCHECK_UDF_LOG" ] || { echo 0; return; }
	grep -c '^dbsyscheck: op=\(insert\|update\) table=bench.dbsc ' \
	    "$DBSYSCHECK_UDF_LOG" || true
}

started=$(date +%s)
for flush in $flushes; do
	rows=$(rows_for "$flush")
	slices=$(slices_for "$flush")
	prof=0
	[ "$(tables_for "$flush")" = "plain dbsc audit" ] || prof=1
	echo "$flush $rows $slices" >>"$W/configs"
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
    "$DBSYSCHECK_UDF_LOG" | grep '^dbsyscheck: ' && fail "unexpected records"
grep -q 'dbsyscheck' "$W/err.log" && fail "dbsyscheck lines in the error log"
sql_db bench "SELECT flush, round, phase, tbl, slice, us FROM times
    ORDER BY flush, round, phase, tbl, slice" | tr '\t' ' ' >"$W/times"
settings=$(sql "SELECT CONCAT('innodb_buffer_pool_size=',
    @@innodb_buffer_pool_size DIV 1048576, 'M log_bin=', @@log_bin,
    ' sync_binlog=', @@sync_binlog, ' innodb_doublewrite=',
    @@innodb_doublewrite, ' innodb_flush_method=', @@innodb_flush_method)")

# summary FLUSH ROWS SLICES: the tables of one configuration.
summary()
{
	grep "^$1 " "$W/times" | awk -v rows="$2" -v slices="$3" \
	    -v tables="$(tables_for "$1")" '
	function sort(a, n,	i, j, t) {
		for (i = 2; i <= n; i++) {
			t = a[i]
			for (j = i - 1; j >= 1 && a[j] > t; j--)
				a[j + 1] = a[j]
			a[j + 1] = t
		}
	}
	# The q-quantile of sorted a[1..n], interpolated.
	function quant(a, n, q,	x, i) {
		x = 1 + (n - 1) * q
		i = int(x)
		return i >= n ? a[n] : a[i] + (x - i) * (a[i + 1] - a[i])
	}
	# Rows in slice s.
	function srows(s) {
		return int(rows * (s + 1) / slices) - int(rows * s / slices)
	}
	# Fill v[1..] with the per-slice ratios tbl / plain of phase p (all
	# slices for "tot"); return their count, v sorted.
	function sratios(p, tbl,	k, n, parts) {
		n = 0
		for (k in us) {
			split(k, parts, SUBSEP)
			if (parts[4] != tbl || (p != "tot" && parts[2] != p))
				continue
			v[++n] = us[k] / us[parts[1], parts[2], parts[3], "plain"]
		}
		sort(v, n)
		return n
	}
	# The median per-slice difference tbl - base of phase p, in us per
	# statement.
	function sdelta(p, tbl, base,	k, n, parts, d) {
		n = 0
		for (k in us) {
			split(k, parts, SUBSEP)
			if (parts[4] != tbl || (p != "tot" && parts[2] != p))
				continue
			d[++n] = (us[k] - us[parts[1], parts[2], parts[3],
			    base]) / srows(parts[3])
		}
		sort(d, n)
		return quant(d, n, 0.5)
	}
	{
		# flush round phase tbl slice us
		us[$2, $3, $5, $4] = $6
		t[$3, $4, $2] += $6
		t["tot", $4, $2] += $6
		if (!($2 in rounds)) {
			rounds[$2] = 1
			rr[++nr] = $2
		}
		have[$4] = 1
	}
	END {
		nt = split(tables, tb, " ")
		split("ins upd tot", ph, " ")
		printf "%-5s %-6s %9s %7s %20s %20s %8s\n", "phase",
		    "table", "median", "spread", "round ratio [range]",
		    "slice ratio [IQR]", "us/stmt"
		for (p = 1; p <= 3; p++) {
			for (k = 1; k <= nt; k++) {
				n = 0
				for (i = 1; i <= nr; i++) {
					x = t[ph[p], tb[k], rr[i]]
					m[++n] = x / 1000
					q[n] = x / t[ph[p], "plain", rr[i]]
				}
				sort(m, n)
				sort(q, n)
				med = quant(m, n, 0.5)
				ns = sratios(ph[p], tb[k])
				st = ph[p] == "tot" ? 2 * rows : rows
				printf "%-5s %-6s %6.0f ms %6.1f%% " \
				    "%6.3f [%.3f-%.3f] %6.3f [%.3f-%.3f] " \
				    "%8.2f\n", ph[p], tb[k], med,
				    100 * (m[n] - m[1]) / med,
				    quant(q, n, 0.5), q[1], q[n],
				    quant(v, ns, 0.5), quant(v, ns, 0.25),
				    quant(v, ns, 0.75), med * 1000 / st
			}
		}
		# The slices by what a statement cost in them, averaged over
		# the tables (at flush 1 mostly the fsync of the commit): the
		# ratios in each band. Not by the time of plain alone, whose noise
		# would bias the ratios.
		nb = split("0 50 100 200 400 1000 3000", lo, " ")
		for (k in us) {
			split(k, parts, SUBSEP)
			if (parts[4] != "plain")
				continue
			x = 0
			for (j = 1; j <= nt; j++)
				x += us[parts[1], parts[2], parts[3], tb[j]]
			x /= nt * srows(parts[3])
			for (b = nb; b > 1 && x < lo[b]; b--)
				;
			cnt[b]++
			for (j = 1; j <= nt; j++)
				if (tb[j] != "plain")
					br[b, tb[j], cnt[b]] = us[parts[1],
					    parts[2], parts[3], tb[j]] / us[k]
		}
		printf "\nslice ratio (median) by the mean time per " \
		    "statement in the slice:\n"
		printf "%-16s %6s", "us/stmt", "slices"
		for (j = 1; j <= nt; j++)
			if (tb[j] != "plain")
				printf " %6s", tb[j]
		printf "\n"
		for (b = 1; b <= nb; b++) {
			if (!(b in cnt))
				continue
			printf "%-16s %6d", b < nb ? lo[b] "-" lo[b + 1] :
			    lo[b] "+", cnt[b]
			for (j = 1; j <= nt; j++) {
				if (tb[j] == "plain")
					continue
				for (i = 1; i <= cnt[b]; i++)
					v[i] = br[b, tb[j], i]
				sort(v, cnt[b])
				printf " %6.3f", quant(v, cnt[b], 0.5)
			}
			printf "\n"
		}
		if (!("setx" in have) || !("noop" in have))
			exit
		printf "\nwhere the time goes, us per statement (median of " \
		    "the per-slice differences):\n"
		printf "%-5s %10s %10s %10s %10s %10s %10s\n", "phase",
		    "trigger", "udf call", "dbsc fn", "dbsc", "audit ins",
		    "audit"
		printf "%-5s %10s %10s %10s %10s %10s %10s\n", "",
		    "setx-plain", "noop-setx", "dbsc-noop", "dbsc-plain",
		    "audit-setx", "audit-plain"
		for (p = 1; p <= 3; p++)
			printf "%-5s %10.2f %10.2f %10.2f %10.2f %10.2f " \
			    "%10.2f\n", ph[p],
			    sdelta(ph[p], "setx", "plain"),
			    sdelta(ph[p], "noop", "setx"),
			    sdelta(ph[p], "dbsc", "noop"),
			    sdelta(ph[p], "dbsc", "plain"),
			    sdelta(ph[p], "audit", "setx"),
			    sdelta(ph[p], "audit", "plain")
	}'
}

{
	echo "dbsyscheck trigger benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "server: $(mariadbd --version 2>&1 | head -n 1)"
	echo "machine: $(nproc) CPUs, $(uname -sr); load average at the" \
	    "end: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "server settings: $settings; records to the trigger log (a file in the test's work directory)"
	echo "$reps rounds of autocommit single-row statements in stored" \
	    "procedure loops; each"
	echo "phase cut into slices, each slice run on every table in turn."
	echo "median: of the rounds' times for the phase (a round's time is" \
	    "the sum of its"
	echo "slices); spread: (slowest - fastest round) / median; round" \
	    "ratio: median"
	echo "[lowest-highest] over rounds of the table's time / plain's in" \
	    "the same round;"
	echo "slice ratio: median [first-third quartile] over all slices of" \
	    "the same; us/stmt:"
	echo "median time per statement."
	while read -r flush rows slices; do
		echo
		echo "== innodb_flush_log_at_trx_commit=$flush, $rows rows" \
		    "per phase in $slices slices"
		echo
		summary "$flush" "$rows" "$slices"
	done <"$W/configs"
	echo
	echo "all rounds (flush round phase table ms):"
	awk '{ t[$1 " " $2 " " $3 " " $4] += $6 }
	    END { for (k in t) printf "  %s %.0f\n", k, t[k] / 1000 }' \
	    "$W/times" | sort -k1,1nr -k2,2n -k3,3 -k4,4
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

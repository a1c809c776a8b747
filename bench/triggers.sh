#!/bin/sh
# What watching a table with triggers costs: 100,000 autocommit single-row
# INSERTs, then 100,000 single-row UPDATEs by primary key, on an indexed
# table, three ways in one run of one throwaway MariaDB:
#   plain  no triggers;
#   dbsc   the triggers "dbsyscheck triggers" generates (dbsyscheck_log()
#          writing one record per row to the server's error log);
#   audit  the classic alternative: triggers INSERTing each change into an
#          audit table.
# The statements run inside the server, in stored procedure loops (each
# statement commits on its own, autocommit is on), so the client is never
# the bottleneck: one CALL of a driver procedure runs a whole round. It
# cuts each phase into DBSC_BENCH_SLICES slices (20) and runs every slice
# on the three tables in turn, timing each with SYSDATE(6) in the server,
# so that load from other processes on a shared machine falls on the three
# alike. A round's time for a phase and table is the sum of its slices;
# of DBSC_BENCH_REPS rounds (3) the best counts, the median is shown too.
# Times, ratios to plain and the set-up go to stdout and
# bench/results-triggers.txt.
#
# Usage: make bench-triggers, or top_builddir=... sh bench/triggers.sh.
# DBSC_BENCH_ROWS (100000), DBSC_BENCH_REPS (3) and DBSC_BENCH_SLICES (20)
# override the sizes;
# DBSC_BENCH_FLUSH (2) is innodb_flush_log_at_trx_commit: 1, the server's
# durable default, puts an fsync in every commit, which dwarfs any trigger.

if [ -z "${top_srcdir:-}" ]; then
	top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
fi
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
. "$top_srcdir/tests/integration/setup"
. "$top_srcdir/tests/integration/udf_lib.sh"

rows=${DBSC_BENCH_ROWS:-100000}
reps=${DBSC_BENCH_REPS:-3}
slices=${DBSC_BENCH_SLICES:-20}
flush=${DBSC_BENCH_FLUSH:-2}
out=$top_builddir/bench/results-triggers.txt

udf_server_args=--innodb-buffer-pool-size=256M
udf_server_args="$udf_server_args --innodb-flush-log-at-trx-commit=$flush"
udf_start "bench.dbsc mask=password"
sql "CREATE DATABASE bench"
for t in plain dbsc audit; do
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
done
udf_triggers

# The driver: one round, every slice of a phase on the three tables.
sql_db bench "CREATE TABLE times (round INT, phase CHAR(3), tbl CHAR(5),
	us BIGINT)"
{
	echo "DELIMITER //"
	echo "CREATE PROCEDURE round(r INT, n INT, slices INT)"
	echo "BEGIN"
	echo "	DECLARE s INT; DECLARE lo INT; DECLARE hi INT;"
	echo "	DECLARE t0 DATETIME(6);"
	for ph in ins upd; do
		echo "	SET s = 0;"
		echo "	WHILE s < slices DO"
		echo "		SET lo = n * s DIV slices, hi = n * (s + 1) DIV slices;"
		for t in plain dbsc audit; do
			echo "		SET t0 = SYSDATE(6);"
			echo "		CALL ${ph}_$t(lo, hi);"
			echo "		INSERT INTO times VALUES (r, '$ph', '$t',"
			echo "		    TIMESTAMPDIFF(MICROSECOND, t0, SYSDATE(6)));"
		done
		echo "		SET s = s + 1;"
		echo "	END WHILE;"
	done
	echo "END//"
} | sql_db bench

# median of the numbers on stdin.
median()
{
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

r=1
while [ "$r" -le "$reps" ]; do
	sql_db bench "TRUNCATE TABLE plain; TRUNCATE TABLE dbsc;
	    TRUNCATE TABLE audit; TRUNCATE TABLE audit_log"
	sql_db bench "CALL round($r, $rows, $slices)"
	echo "round $r of $reps done" >&2
	r=$((r + 1))
done
sql_db bench "SELECT phase, tbl, ROUND(SUM(us) / 1000) FROM times
    GROUP BY round, phase, tbl ORDER BY round, phase = 'upd', tbl" |
    tr '\t' ' ' >"$W/times"

# The dbsyscheck triggers wrote one record per row: check before trusting.
n=$(grep -c '^dbsyscheck: op=\(insert\|update\) table=bench.dbsc ' \
    "$W/err.log")
[ "$n" = $((2 * rows * reps)) ] ||
    fail "the dbsyscheck triggers wrote $n records, not $((2 * rows * reps))"

# ms PHASE TABLE: the best run; med PHASE TABLE: the median run.
ms()
{
	grep "^$1 $2 " "$W/times" | cut -d' ' -f3 | sort -n | head -n 1
}

med()
{
	grep "^$1 $2 " "$W/times" | cut -d' ' -f3 | median
}

ratio()
{
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'
}

mkdir -p "$(dirname "$out")"
{
	echo "dbsyscheck trigger benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "server: $(mariadbd --version 2>&1 | head -n 1)"
	echo "machine: $(nproc) CPUs, $(uname -sr)"
	echo "$rows autocommit single-row statements per phase, stored" \
	    "procedure loops, in $slices slices"
	echo "round-robin over the three tables; best of $reps rounds;"
	echo "innodb_flush_log_at_trx_commit=$flush, records to the server's" \
	    "error log; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo
	printf '%-7s %12s %12s %12s\n' phase plain dbsc audit
	for ph in ins upd; do
		p=$(ms "$ph" plain)
		d=$(ms "$ph" dbsc)
		a=$(ms "$ph" audit)
		printf '%-7s %9s ms %9s ms %9s ms\n' "$ph" "$p" "$d" "$a"
		printf '%-7s %12s %12s %12s\n' "  ratio" 1.000 \
		    "$(ratio "$d" "$p")" "$(ratio "$a" "$p")"
		printf '%-7s %9s ms %9s ms %9s ms\n' "  median" \
		    "$(med "$ph" plain)" "$(med "$ph" dbsc)" "$(med "$ph" audit)"
	done
	pt=$(($(ms ins plain) + $(ms upd plain)))
	dt=$(($(ms ins dbsc) + $(ms upd dbsc)))
	at=$(($(ms ins audit) + $(ms upd audit)))
	printf '%-7s %9s ms %9s ms %9s ms\n' total "$pt" "$dt" "$at"
	printf '%-7s %12s %12s %12s\n' "  ratio" 1.000 "$(ratio "$dt" "$pt")" \
	    "$(ratio "$at" "$pt")"
	echo
	echo "all rounds (phase table ms):"
	sed 's/^/  /' "$W/times"
} >"$W/results"
cat "$W/results"
cp "$W/results" "$out"
echo "written to $out" >&2

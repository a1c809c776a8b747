#!/bin/sh
# The attribution benchmark (make bench-audit; docs/PERFORMANCE.md,
# "Attribution", shows the figures): what audit-log costs the follower,
# and what the server's audit plugin costs the writers.
#
# On a throwaway MariaDB of its own with a row-based binary log and the
# audit plugin as docs/BINLOG.md sets it up (server_audit, file output,
# CONNECT,QUERY_DML_NO_SELECT, rotation at 1 MB, 9 files), bench.t holds
# BENCH_AROWS (10,000) rows. A client of account bench sends BENCH_STMTS
# (20,000) autocommit statements "UPDATE t SET v = v + 1 WHERE id = N" (N
# cycling over the rows), one connection: one binary-log group, one audit
# QUERY record each.
#   follow-plain  dbsyscheck --no-report follow over those statements'
#                 groups, without audit-log;
#   follow-audit  the same with audit-log: each statement's text looked
#                 up among the audit records (every record checked: each
#                 row record must say by=bench@localhost,statement);
#   write-on      the client's statements, the plugin logging;
#   write-off     the same, server_audit_logging OFF.
# Each follow run starts from a copy of the state a first run stored
# before the statements; BENCH_REPS (3) repetitions, the order rotated.
#
# Environment: BENCH_AROWS, BENCH_STMTS, BENCH_REPS, BENCH_OUT (directory
# for results-audit.md: $top_srcdir/bench), BENCH_QUIET (seconds to wait
# for the machine to be 80% idle: 10), DBSC_KEEP=1 (keep the work
# directory). Needs dbsyscheck built (sh scripts/build.sh).

if [ -z "${top_srcdir:-}" ]; then
	top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
fi
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
. "$top_srcdir/tests/integration/setup"
. "$top_srcdir/bench/idle.sh"

rows=${BENCH_AROWS:-10000}
stmts=${BENCH_STMTS:-20000}
reps=${BENCH_REPS:-3}
out=${BENCH_OUT:-$top_srcdir/bench}
for _v in "$rows" "$stmts" "$reps"; do
	case $_v in
	''|*[!0-9]*|0)	fail "BENCH_AROWS, BENCH_STMTS, BENCH_REPS: positive \
integers" ;;
	esac
done
tck=$(getconf CLK_TCK)
ncpu=$(nproc)
raw=$W/raw.tsv
: >"$raw"

db_start --log-bin="$W/binlog" --binlog-format=ROW --server-id=1 \
    --binlog-row-image=FULL --binlog-row-metadata=FULL \
    --innodb-buffer-pool-size=256M \
    --plugin-load-add=server_audit --server-audit-logging=ON \
    --server-audit-events=CONNECT,QUERY_DML_NO_SELECT \
    --server-audit-file-path="$W/audit.log"
sql "CREATE DATABASE bench"
sql_db bench "CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL)"
sql_db bench "INSERT INTO t SELECT seq, 0 FROM seq_1_to_$rows"
sql "CREATE USER 'bench'@'localhost' IDENTIFIED BY 'bench-pw-1'"
sql "GRANT SELECT, UPDATE ON bench.t TO 'bench'@'localhost'"
follow_account bench.t
awk -v n="$stmts" -v r="$rows" 'BEGIN {
	for (i = 0; i < n; i++)
		printf "UPDATE t SET v = v + 1 WHERE id = %d;\n", i % r + 1
}' >"$W/stmts.sql"

# The two configurations, their first runs (op=start), their states.
for c in plain audit; do
	follow_conf bench.t
	sed -e "s|^baseline .*|baseline $W/$c.db|" \
	    -e "s|^key .*|key $W/$c.key|" "$W/dbsyscheck.conf" >"$W/$c.conf"
	[ "$c" = plain ] || echo "audit-log $W/audit.log" >>"$W/$c.conf"
	chmod 0600 "$W/$c.conf"
	"$top_builddir/dbsyscheck" -c "$W/$c.conf" --no-report follow \
	    >/dev/null 2>"$W/err.setup" || [ $? = 1 ] ||
	    fail "first follow ($c): $(cat "$W/err.setup")"
	cp "$W/$c.db" "$W/$c.db.state"
done

# measure VARIANT REP EXPECTED-EXIT CMD...: one timed run into $raw.
measure()
{
	_var=$1 _rep=$2 _ok=$3
	shift 3
	sync
	settle
	quiet
	_s0=$(server_ticks)
	_t0=$(date +%s%N)
	_rc=0
	/usr/bin/time -f '%U %S %M' -o "$W/time.out" "$@" \
	    >"$W/out.$_var" 2>"$W/err.$_var" <"$W/in.$_var" || _rc=$?
	_t1=$(date +%s%N)
	_s1=$(server_ticks)
	[ "$_rc" = "$_ok" ] || {
		cat "$W/err.$_var" >&2
		fail "$_var: exit $_rc (expected $_ok)"
	}
	tail -n 1 "$W/time.out" | awk -v var="$_var" -v rep="$_rep" \
	    -v ns=$((_t1 - _t0)) -v st=$((_s1 - _s0)) -v tck="$tck" \
	    'BEGIN { OFS = "\t" } {
		print var, rep, sprintf("%.3f", ns / 1e9),
		    sprintf("%.2f", $1 + $2), $3, sprintf("%.2f", st / tck)
	}' >>"$raw"
	tail -n 1 "$raw" >&2
}

# writers ON|OFF REP: the client's statements, the plugin on or off.
writers()
{
	sql "SET GLOBAL server_audit_logging = $1"
	_wv=write-$(echo "$1" | tr 'A-Z' 'a-z')
	cp "$W/stmts.sql" "$W/in.$_wv"
	measure "$_wv" "$2" 0 mariadb --no-defaults --socket="$W/sock" \
	    -ubench -pbench-pw-1 bench
}

# The follower's interval: one writers' run (not counted).
writers ON 0
sed -i '$d' "$raw"

follow_run()
{
	cp "$W/$1.db.state" "$W/$1.db"
	: >"$W/in.follow-$1"
	measure "follow-$1" "$2" 1 "$top_builddir/dbsyscheck" \
	    -c "$W/$1.conf" --no-report follow
	_n=$(sqlite3 -readonly "$W/$1.db" "SELECT count(*) FROM outbox
	    WHERE op = 'update'")
	[ "$_n" = "$stmts" ] || fail "follow-$1: $_n updates, not $stmts"
	if [ "$1" = audit ]; then
		_n=$(sqlite3 -readonly "$W/$1.db" "SELECT count(*) FROM outbox
		    WHERE op = 'update' AND body LIKE
		    '% by=bench@localhost,statement ;'")
		[ "$_n" = "$stmts" ] ||
		    fail "follow-audit: $_n of $stmts updates named"
	fi
}

r=1
while [ "$r" -le "$reps" ]; do
	if [ $((r % 2)) = 1 ]; then
		follow_run plain "$r"
		follow_run audit "$r"
	else
		follow_run audit "$r"
		follow_run plain "$r"
	fi
	r=$((r + 1))
done
r=1
while [ "$r" -le "$reps" ]; do
	if [ $((r % 2)) = 1 ]; then
		writers OFF "$r"
		writers ON "$r"
	else
		writers ON "$r"
		writers OFF "$r"
	fi
	r=$((r + 1))
done

# The report: medians, and the ratios within each repetition.
awk -F '\t' -v stmts="$stmts" -v rows="$rows" -v reps="$reps" \
    -v ver="$(mariadbd --version | sed 's/^.*Ver //')" \
    -v rev="$(git -C "$top_srcdir" rev-parse --short HEAD 2>/dev/null)" \
    -v cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo |
    head -n 1)" -v ncpu="$(nproc)" -v now="$(date -u '+%Y-%m-%d %H:%M')" '
function median(l,    n, a, i, j, t) {
	n = split(l, a, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	k = $1; wall[k] = wall[k] " " $3; cpu_[k] = cpu_[k] " " $4
	rss[k] = rss[k] " " $5; srv[k] = srv[k] " " $6; w[k, $2] = $3
	c[k, $2] = $4
}
function ratio(a, b, arr,    i, l) {
	for (i = 1; i <= reps; i++)
		if (((a, i) in arr) && arr[b, i] > 0)
			l = l " " arr[a, i] / arr[b, i]
	return median(l)
}
END {
	printf "# Attribution benchmark results\n\n"
	printf "Written by bench/audit.sh (make bench-audit) on %s UTC: %s, " \
	    "%d cores; MariaDB %s; dbsyscheck %s. %d autocommit UPDATEs " \
	    "of one client over %d rows, server_audit CONNECT," \
	    "QUERY_DML_NO_SELECT to a file; medians of %d interleaved " \
	    "repetitions.\n\n", now, cpu, ncpu, ver, rev, stmts, rows, reps
	printf "| variant | wall s | client CPU s | peak RSS MiB | " \
	    "server CPU s |\n| --- | ---: | ---: | ---: | ---: |\n"
	n = split("follow-plain follow-audit write-off write-on", v, " ")
	for (i = 1; i <= n; i++)
		printf "| %s | %.2f | %.2f | %.1f | %.2f |\n", v[i],
		    median(wall[v[i]]), median(cpu_[v[i]]),
		    median(rss[v[i]]) / 1024, median(srv[v[i]])
	fa = ratio("follow-audit", "follow-plain", w)
	fc = ratio("follow-audit", "follow-plain", c)
	wo = ratio("write-on", "write-off", w)
	fd = median(wall["follow-audit"]) - median(wall["follow-plain"])
	wd = median(wall["write-on"]) - median(wall["write-off"])
	printf "\n- follow with audit-log: %.2f x the wall time without " \
	    "(%.2f x client CPU), %.1f us more a statement.\n", fa, fc,
	    fd * 1e6 / stmts
	printf "- the writers with the plugin logging: %.2f x the time " \
	    "with it off, %.1f us more a statement.\n", wo, wd * 1e6 / stmts
}' "$raw" >"$out/results-audit.md" || fail "report"
cp "$raw" "$out/results-audit-raw.tsv"
cat "$out/results-audit.md"

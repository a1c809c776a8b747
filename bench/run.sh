#!/bin/sh
# The scan benchmark (make bench; docs/PERFORMANCE.md explains the method).
#
# On a throwaway MariaDB of its own, bench.users (issue 6's table, about
# 177 bytes a row) is scanned by a bare fetch loop (bench/fetch, the floor),
# mariadb --quick, CHECKSUM TABLE, pt-table-checksum, mysqldump plus diff,
# and dbsyscheck in full and chunk mode (first baseline, re-scan with no
# change, re-scan after 1% of the rows were updated, 0.1% inserted and 0.1%
# deleted), and with load control (a re-scan paced by max-rows-per-second,
# one paused by max-threads-running while other sessions are busy). Every
# measurement is repeated, the variants interleaved so that noise hits
# them alike, and the medians are reported with the ratios to the floor
# and the targets of issue 6: on stdout, in results.md and in
# results.tsv (every repetition in results-raw.tsv, the set-up in
# results-facts.tsv; "sh bench/run.sh --report" writes the tables again
# from those two files, measuring nothing).
#
# Environment:
#   BENCH_ROWS      rows of the main run (1000000)
#   BENCH_SCALING   0 skips the 100,000-row run that shows scaling (1)
#   BENCH_REPS      repetitions of every measurement (5)
#   BENCH_CHUNK     chunk size of chunk mode (10000)
#   BENCH_POOL      the server's InnoDB buffer pool (2G: every state of
#                   the table stays in memory)
#   BENCH_OUT       directory for the results ($top_srcdir/bench)
#   BENCH_QUIET     seconds to wait before each measurement for the machine
#                   to be at least 80% idle (10)
#   DBSC_KEEP=1     keep the work directory
# Needs dbsyscheck built (sh scripts/build.sh); builds bench/fetch when
# missing; installs percona-toolkit and time with apt-get when missing.

if [ -z "${top_srcdir:-}" ]; then
	top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
fi
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
. "$top_srcdir/tests/integration/setup"
. "$top_srcdir/bench/rows.sh"
. "$top_srcdir/bench/idle.sh"

rows=${BENCH_ROWS:-1000000}
scaling=${BENCH_SCALING:-1}
reps=${BENCH_REPS:-5}
chunk=${BENCH_CHUNK:-10000}
pool=${BENCH_POOL:-2G}
out=${BENCH_OUT:-$top_srcdir/bench}
small=100000

for _v in "$rows" "$reps" "$chunk"; do
	case $_v in
	''|*[!0-9]*|0)	fail "BENCH_ROWS, BENCH_REPS, BENCH_CHUNK: positive \
integers" ;;
	esac
done
[ "$rows" -ge 1000 ] || fail "BENCH_ROWS must be at least 1000"

# report: the medians of $out/results-raw.tsv into $out/results.tsv, and
# the tables with the targets into $out/results.md (and on stdout).
report()
{
# The median of a space-separated list (both programs below).
awk_median='
function median(list,    n, a, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	if (n % 2)
		return a[(n + 1) / 2]
	return (a[n / 2] + a[n / 2 + 1]) / 2
}
'
awk -F '\t' -v OFS='\t' "$awk_median"'
function minmax(list, want,    n, a, i, m) {
	n = split(list, a, " ")
	m = a[1]
	for (i = 2; i <= n; i++)
		if ((want == "min" && a[i] + 0 < m + 0) ||
		    (want == "max" && a[i] + 0 > m + 0))
			m = a[i]
	return m
}
$1 == "rows" { next }
{
	k = $1 SUBSEP $2
	if (!(k in wall)) { order[++nk] = k; rowsof[k] = $1; varof[k] = $2 }
	wall[k] = wall[k] " " $4; cpu[k] = cpu[k] " " $5
	rss[k] = rss[k] " " $6; srv[k] = srv[k] " " $7; by[k] = by[k] " " $8
	oth[k] = oth[k] " " $10
	n[k]++
}
END {
	print "rows", "variant", "reps", "wall_s", "wall_min_s", "wall_max_s",
	    "client_cpu_s", "client_cpu_s_per_mrows", "server_cpu_s",
	    "peak_rss_kib", "bytes_received", "other_cpu_s"
	for (i = 1; i <= nk; i++) {
		k = order[i]
		c = median(cpu[k])
		print rowsof[k], varof[k], n[k], median(wall[k]),
		    minmax(wall[k], "min"), minmax(wall[k], "max"), c,
		    sprintf("%.2f", c * 1e6 / rowsof[k]), median(srv[k]),
		    median(rss[k]), median(by[k]), median(oth[k])
	}
}' "$out/results-raw.tsv" >"$out/results.tsv.new"

awk -F '\t' -v small="$small" "$awk_median"'
FILENAME == ARGV[1] && $2 == "pause_s" {
	pauses[$1] = pauses[$1] " " $3; next
}
FILENAME == ARGV[1] && $2 == "status" {
	status[$1] = status[$1] (status[$1] == "" ? "" : "\n") $3; next
}
FILENAME == ARGV[1] { fact[$1, $2] = $3; next }
FILENAME == ARGV[3] {
	if (FNR > 1) { rw[$1, $2, $3] = $4; if ($3 > maxrep) maxrep = $3 }
	next
}
FNR == 1 { next }
{
	k = $1 SUBSEP $2
	wall[k] = $4; wmin[k] = $5; cpu[k] = $7; cpum[k] = $8; srv[k] = $9
	rss[k] = $10; by[k] = $11; oth[k] = $12; have[k] = 1
	if ($3 > reps) reps = $3
	if ($1 > main) main = $1
	sizes[$1] = 1
}
function label(v) {
	if (v == "fetch") return "bare fetch loop (bench/fetch): the floor"
	if (v == "quick") return "mariadb --quick --batch > /dev/null"
	if (v == "checksum") return "CHECKSUM TABLE (server only)"
	if (v == "pt") return "pt-table-checksum (single server, CRC32)"
	if (v == "dump_a") return "mysqldump, state before"
	if (v == "dump_b") return "mysqldump, state after the changes"
	if (v == "diff") return "diff of the two dumps"
	if (v == "dumpdiff") return "mysqldump re-scan: dump + diff"
	if (v == "first") return "dbsyscheck full: first baseline"
	if (v == "nochange") return "dbsyscheck full: re-scan, no change"
	if (v == "changed") return "dbsyscheck full: re-scan, changes"
	if (v == "cfirst") return "dbsyscheck chunk: first baseline"
	if (v == "cnochange") return "dbsyscheck chunk: re-scan, no change"
	if (v == "cchanged") return "dbsyscheck chunk: re-scan, changes"
	if (v == "cclustered") \
		return "dbsyscheck chunk: re-scan, clustered changes"
	if (v == "unochange") \
		return "dbsyscheck chunk, UDF aggregate: re-scan, no change"
	if (v == "uclustered") \
		return "dbsyscheck chunk, UDF aggregate: re-scan, clustered " \
		    "changes"
	if (v == "paced") \
		return "dbsyscheck full: re-scan, no change, paced (load control)"
	if (v == "throttled") \
		return "dbsyscheck full: re-scan, no change, paused (load control)"
	return v
}
function f(x, d) { return sprintf("%." d "f", x) }
function row(r, v,    k, w) {
	k = r SUBSEP v
	if (!have[k]) return
	w = wall[r SUBSEP "fetch"]
	printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", label(v),
	    f(wall[k], 2), (w > 0 ? f(wall[k] / w, 2) : "-"), f(cpu[k], 2),
	    f(cpum[k], 2), f(srv[k], 2), f(rss[k] / 1024, 1),
	    f(by[k] / 1048576, 2), f(oth[k], 2)
}
function table(r,    k, a, b, d, v, i) {
	# The mysqldump re-scan: the new state dumped, then diffed.
	a = r SUBSEP "dump_b"; d = r SUBSEP "diff"; k = r SUBSEP "dumpdiff"
	if (have[a] && have[d]) {
		have[k] = 1
		wall[k] = wall[a] + wall[d]; cpu[k] = cpu[a] + cpu[d]
		cpum[k] = cpum[a] + cpum[d]; srv[k] = srv[a] + srv[d]
		rss[k] = rss[a] > rss[d] ? rss[a] : rss[d]; by[k] = by[a]
		oth[k] = oth[a] + oth[d]
	}
	printf "\n### %s rows\n\n", r
	wrap(sprintf("Average row: %s bytes of values; baseline file %.1f " \
	    "MiB; one dump %.1f MiB; %d repetitions, medians.",
	    fact[r, "avg_row_bytes"], fact[r, "baseline_bytes"] / 1048576,
	    fact[r, "dump_bytes"] / 1048576, reps))
	print ""
	print "| measurement | wall s | x fetch | client CPU s | " \
	    "client CPU s / M rows | server CPU s | client peak RSS MiB | " \
	    "received MiB | other load CPU s |"
	print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	split("fetch quick checksum pt dump_a dump_b diff dumpdiff first " \
	    "nochange changed cfirst cnochange cchanged cclustered " \
	    "unochange uclustered paced throttled", v, " ")
	for (i = 1; i in v; i++)
		row(r, v[i])
	loadctl(r)
}
function loadctl(r,    k, p) {
	k = r SUBSEP "paced"
	if (!have[k]) return
	print ""
	wrap(sprintf("Load control: paced is the no-change re-scan with " \
	    "max-rows-per-second %d, so at least %.2f s for %d rows " \
	    "(measured %.2f s, %.0f rows a second); paused is the same " \
	    "re-scan with max-threads-running 2, started while 3 other " \
	    "sessions run SELECT SLEEP(2): it paused %s s (median; the " \
	    "scan'"'"'s own report on standard error) and then scanned. " \
	    "status shows the limits:", fact[r, "paced_rate"],
	    r / fact[r, "paced_rate"], r, wall[k], r / wall[k],
	    f(median(pauses[r]), 2)))
	print ""
	print "```"
	print status[r]
	print "```"
}
function maxrss(r,    m, i, v) {
	split("first nochange changed cfirst cnochange cchanged cclustered " \
	    "unochange uclustered paced throttled", v, " ")
	m = 0
	for (i = 1; i in v; i++)
		if (have[r SUBSEP v[i]] && rss[r SUBSEP v[i]] > m)
			m = rss[r SUBSEP v[i]]
	return m
}
function target(what, limit, measured, ok, fast) {
	printf "| %s | %s | %s | - | %s | %s |\n", what, limit, measured,
	    (ok == "" ? "n/a" : (ok ? "ok" : "MISSED")), (fast == "" ? "-" :
	    fast)
}
# A time target: variant a at most lim times variant b, judged by the
# median of the per-repetition ratios.
function timed(what, limit, lim, a, b,    p, x) {
	p = paired(a, b)
	x = ratio(wall[m SUBSEP a], wall[m SUBSEP b])
	printf "| %s | %s | %s x | %s x (%s s / %s s) | %s | %s |\n", what,
	    limit, f(p, 2), f(x, 2), f(wall[m SUBSEP a], 2),
	    f(wall[m SUBSEP b], 2), (p <= lim ? "ok" : "MISSED"),
	    fastest(a, b)
}
function fastest(a, b) {
	return f(ratio(wmin[m SUBSEP a], wmin[m SUBSEP b]), 2) " x"
}
# The median over the repetitions of the time of a over the time of b in
# the same repetition: steadier than the ratio of medians when the speed
# of the machine drifts during the run (both are shown).
function paired(a, b,    r, l) {
	l = ""
	for (r = 1; r <= maxrep; r++)
		if (((m, a, r) in rw) && ((m, b, r) in rw) && rw[m, b, r] > 0)
			l = l " " rw[m, a, r] / rw[m, b, r]
	return l == "" ? 0 : median(l)
}
function ratio(a, b) { return b > 0 ? a / b : 0 }
function wrap(text,    n, w, i, line) {
	n = split(text, w, " ")
	line = w[1]
	for (i = 2; i <= n; i++) {
		if (length(line) + 1 + length(w[i]) > 76) {
			print line
			line = w[i]
		} else
			line = line " " w[i]
	}
	print line
}
END {
	scaling = (small in sizes) && main != small
	chunk = fact[0, "chunk"]; when = fact[0, "when"]
	cpumodel = fact[0, "cpu"]; ncpu = fact[0, "ncpu"]
	server = fact[0, "server"]; rev = fact[0, "revision"]
	print "# Scan benchmark results"
	print ""
	wrap(sprintf("Written by bench/run.sh (make bench) on %s: %s, %d cores; " \
	    "MariaDB %s; dbsyscheck %s; chunk mode with chunk=%d. Changes: " \
	    "1%% of the rows updated, 0.1%% deleted (both spread over the " \
	    "key range), 0.1%% inserted at the end; clustered changes: " \
	    "0.1%% inserted at the end, 0.1%% of the newest rows updated " \
	    "(chunk mode only). Wall times are medians of interleaved " \
	    "repetitions; x fetch is the ratio of medians to the bare fetch " \
	    "loop; received is the growth of the server'"'"'s Bytes_sent; " \
	    "other load is the CPU time that everything else on the " \
	    "machine used meanwhile (the noise). In the targets, a time " \
	    "target is judged by the median over the repetitions of the " \
	    "ratio within each repetition (the variants of one repetition " \
	    "run minutes apart at most, so a drift of the machine'"'"'s " \
	    "speed during the run cancels out); the ratio of the medians " \
	    "and the ratio between the fastest runs of each are shown " \
	    "beside it.", \
	    when, cpumodel, ncpu, server, rev, chunk))
	if (scaling)
		table(small)
	table(main)

	m = main
	print ""
	printf "## Targets of issue 6 (%s rows)\n\n", m
	print "| target | limit | per repetition (median) | " \
	    "medians | result | fastest runs |"
	print "| --- | --- | --- | --- | --- | --- |"
	fw = wall[m SUBSEP "fetch"]; nc = wall[m SUBSEP "nochange"]
	timed("full mode, no-change re-scan", "<= 1.15 x fetch", 1.15,
	    "nochange", "fetch")
	timed("first baseline", "<= 1.5 x fetch", 1.5, "first", "fetch")
	timed("re-scan after 1% / 0.1% / 0.1% changes",
	    "<= 1.1 x no-change re-scan", 1.1, "changed", "nochange")
	timed("chunk mode, no-change re-scan: time",
	    "<= 0.6 x pt-table-checksum", 0.6, "cnochange", "pt")
	timed("chunk mode with the UDF aggregate, no-change re-scan: time",
	    "<= 0.6 x pt-table-checksum", 0.6, "unochange", "pt")
	x = ratio(cpu[m SUBSEP "cnochange"], cpu[m SUBSEP "nochange"])
	target("chunk mode, no-change re-scan: client CPU",
	    "<= 5% of full mode", f(100 * x, 1) "% (" \
	    f(cpu[m SUBSEP "cnochange"], 2) " s / " \
	    f(cpu[m SUBSEP "nochange"], 2) " s)", x <= 0.05)
	x = ratio(by[m SUBSEP "cnochange"], by[m SUBSEP "nochange"])
	target("chunk mode, no-change re-scan: bytes received",
	    "<= 1% of full mode", f(100 * x, 2) "% (" \
	    f(by[m SUBSEP "cnochange"] / 1024, 1) " KiB / " \
	    f(by[m SUBSEP "nochange"] / 1048576, 1) " MiB)", x <= 0.01)
	big = maxrss(m)
	target("peak RSS, every dbsyscheck run", "<= 32 MiB",
	    f(big / 1024, 1) " MiB", big <= 32768)
	if (scaling) {
		sm = maxrss(small)
		x = ratio(big, sm)
		target("peak RSS growth from " small " rows", "<= 1.2 x",
		    f(x, 2) " x (" f(sm / 1024, 1) " MiB at " small ")",
		    x <= 1.2)
	} else
		target("peak RSS growth from " small " rows", "<= 1.2 x",
		    "not measured (BENCH_SCALING=0)", "", "")
	print ""
	print "Client CPU per million rows: the column client CPU s / M rows."
}' "$out/results-facts.tsv" "$out/results.tsv.new" "$out/results-raw.tsv" \
    >"$out/results.md.new"

for _f in results.md results.tsv; do
	mv "$out/$_f.new" "$out/$_f"
done
cat "$out/results.md"
}

# bench/run.sh --report: the tables again from the files of the last run.
if [ "${1:-}" = --report ]; then
	report
	exit 0
fi

# Tools: GNU time for CPU and peak RSS, percona-toolkit for the
# alternative (both Debian packages).
_pkgs=
[ -x /usr/bin/time ] || _pkgs="$_pkgs time"
command -v pt-table-checksum >/dev/null 2>&1 ||
    _pkgs="$_pkgs percona-toolkit"
if [ -n "$_pkgs" ]; then
	echo "bench: installing$_pkgs" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y \
	    --no-install-recommends $_pkgs >&2 ||
	    fail "cannot install$_pkgs"
fi
[ -x "$top_builddir/dbsyscheck" ] ||
    fail "$top_builddir/dbsyscheck is not built: run sh scripts/build.sh"
if [ ! -x "$top_builddir/bench/fetch" ]; then
	make -C "$top_builddir" bench/fetch >&2 ||
	    fail "cannot build bench/fetch"
fi
# Copies, so that a rebuild during the run does not change what is measured.
mkdir -p "$W/bin"
cp "$top_builddir/dbsyscheck" "$top_builddir/bench/fetch" "$W/bin/"
[ -f "$top_builddir/.libs/dbsyscheck_udf.so" ] ||
    fail "$top_builddir/.libs/dbsyscheck_udf.so is not built"
mkdir -p "$W/plugin"
cp "$top_builddir/.libs/dbsyscheck_udf.so" "$W/plugin/"

tck=$(getconf CLK_TCK)
ncpu=$(nproc)
raw=$W/raw.tsv
: >"$raw"

db_start "--innodb-buffer-pool-size=$pool" --innodb-log-file-size=512M \
    --innodb-flush-log-at-trx-commit=2 --max-allowed-packet=64M \
    --plugin-dir="$W/plugin"
(umask 077 && cat >"$W/my.cnf") <<EOF
[client]
socket=$W/sock
user=root
EOF
for _m in full chunk; do
	{
		echo "baseline $W/$_m.db"
		echo "key $W/hmac.key"
		echo "mysql-defaults-file $W/my.cnf"
		echo "mysql-group client"
		if [ "$_m" = chunk ]; then
			echo "table bench.users chunk=$chunk"
		else
			echo "table bench.users"
		fi
	} | (umask 077 && cat >"$W/$_m.conf")
	# A first baseline is a first run: no baseline and no key (a
	# baseline missing beside its key is refused as tampering).
	sed "s|^key .*|key $W/first.key|" "$W/$_m.conf" |
	    (umask 077 && cat >"$W/$_m.first.conf")
done

# Bytes the server has sent to all its clients (the only clients are ours).
bytes_sent()
{
	_sql_run -e "SHOW GLOBAL STATUS LIKE 'Bytes_sent'" | awk '{ print $2 }'
}

# Write the dirty pages of the last change out now, not during a measurement.
flush_dirty()
{
	sql "SET GLOBAL innodb_io_capacity_max = 100000,
	    innodb_io_capacity = 50000, innodb_max_dirty_pages_pct_lwm = 0.001,
	    innodb_max_dirty_pages_pct = 0"
	_fd_i=0
	while [ "$_fd_i" -lt 600 ]; do
		_fd_d=$(_sql_run -e "SHOW GLOBAL STATUS LIKE \
'Innodb_buffer_pool_pages_dirty'" | awk '{ print $2 }')
		[ "$_fd_d" -gt 0 ] || break
		sleep 0.2
		_fd_i=$((_fd_i + 1))
	done
	sql "SET GLOBAL innodb_max_dirty_pages_pct = 90,
	    innodb_max_dirty_pages_pct_lwm = 0, innodb_io_capacity = 200,
	    innodb_io_capacity_max = 2000"
}

# The bytes a status query itself adds to Bytes_sent, subtracted below.
calibrate_bytes()
{
	_b0=$(bytes_sent)
	_b1=$(bytes_sent)
	_b2=$(bytes_sent)
	bytes_overhead=$(( (_b2 - _b0) / 2 ))
}

# measure ROWS VARIANT REP EXPECTED-EXITS COMMAND...: one timed run (the
# command in $m_before, when set, runs just before it), its standard
# output to $m_out, appended to $raw as: rows variant rep wall_s
# client_cpu_s peak_rss_kib server_cpu_s bytes_received exit other_cpu_s
# (the CPU time of everything else on the machine meanwhile: the noise).
m_out=/dev/null
m_before=
measure()
{
	_rows=$1 _var=$2 _rep=$3 _ok=$4
	shift 4
	# Dirty pages of the runs before (dumps, copies) written out now: a
	# commit's fsync would otherwise wait for them (ext4 data=ordered).
	# Then a second for the disk's side of it to calm down.
	sync
	sleep 1
	settle
	quiet
	[ -z "$m_before" ] || $m_before
	_b0=$(bytes_sent)
	_s0=$(server_ticks)
	_c0=$(machine_ticks)
	_t0=$(date +%s%N)
	_rc=0
	/usr/bin/time -f '%U %S %M' -o "$W/time.out" "$@" >"$m_out" \
	    2>"$W/err.$_var" || _rc=$?
	_t1=$(date +%s%N)
	_c1=$(machine_ticks)
	_s1=$(server_ticks)
	_b1=$(bytes_sent)
	case " $_ok " in
	*" $_rc "*)	;;
	*)		cat "$W/err.$_var" >&2
			fail "$_var: exit $_rc (expected $_ok)" ;;
	esac
	tail -n 1 "$W/time.out" | awk -v rows="$_rows" -v var="$_var" \
	    -v rep="$_rep" -v ns=$((_t1 - _t0)) -v st=$((_s1 - _s0)) \
	    -v tck="$tck" -v by=$((_b1 - _b0 - bytes_overhead)) \
	    -v rc="$_rc" -v mt=$((_c1 - _c0)) 'BEGIN { OFS = "\t" } {
		o = mt / tck - st / tck - $1 - $2
		print rows, var, rep, sprintf("%.3f", ns / 1e9),
		    sprintf("%.2f", $1 + $2), $3,
		    sprintf("%.2f", st / tck), (by < 0 ? 0 : by), rc,
		    sprintf("%.2f", o < 0 ? 0 : o)
	}' >>"$raw"
	tail -n 1 "$raw" >&2
}

# row_sql: bench/rows.sh.

# State a: the table; b: 1% of the rows updated (spread over the whole
# key range), 0.1% deleted, 0.1% inserted at the end (auto-increment ids);
# c: clustered changes, 0.1% inserted at the end and 0.1% of the newest
# rows updated, so that chunk mode finds them in the last chunks.
make_states()
{
	_ms_n=$1
	sql "DROP DATABASE IF EXISTS bench"
	sql "CREATE DATABASE bench"
	sql_db bench "CREATE TABLE users (
		id INT AUTO_INCREMENT PRIMARY KEY,
		login VARCHAR(64),
		password CHAR(60),
		email VARCHAR(255),
		created DATETIME,
		balance DECIMAL(12,2),
		notes TEXT NULL)"
	sql_db bench "INSERT INTO users $(row_sql seq) FROM seq_1_to_$_ms_n"
	sql_db bench "CREATE TABLE users_b LIKE users"
	sql_db bench "INSERT INTO users_b SELECT * FROM users"
	sql_db bench "UPDATE users_b SET balance = balance + 1,
	    notes = CONCAT(IFNULL(notes, ''), ' (updated)')
	    WHERE id % 100 = 42"
	sql_db bench "DELETE FROM users_b WHERE id % 1000 = 500"
	sql_db bench "INSERT INTO users_b $(row_sql "($_ms_n + seq)")
	    FROM seq_1_to_$((_ms_n / 1000))"
	sql_db bench "CREATE TABLE users_c LIKE users"
	sql_db bench "INSERT INTO users_c SELECT * FROM users"
	sql_db bench "UPDATE users_c SET balance = balance + 1
	    WHERE id > $((_ms_n - _ms_n / 100)) AND id % 10 = 3"
	sql_db bench "INSERT INTO users_c $(row_sql "($_ms_n + seq)")
	    FROM seq_1_to_$((_ms_n / 1000))"
	state=a
	flush_dirty
}

# Put state $1 in place as bench.users (a RENAME: no data moves).
use_state()
{
	[ "$1" != "$state" ] || return 0
	sql "RENAME TABLE bench.users TO bench.users_$state,
	    bench.users_$1 TO bench.users"
	state=$1
}

# copy_baseline FROM TO: the baseline a re-scan starts from, written out
# to the disk first, so that the scan is not charged with the copy's
# writeback (the commit's fsync would wait for it).
copy_baseline()
{
	cp "$1" "$2"
	sync
}

# chunk_udf on|off: dbsyscheck_chunk() (the UDF library's aggregate, which
# the scanner uses when the server has it) loaded in the server or not.
udf_state=off
chunk_udf()
{
	[ "$1" != "$udf_state" ] || return 0
	if [ "$1" = on ]; then
		sql "CREATE AGGREGATE FUNCTION dbsyscheck_chunk RETURNS INTEGER
		    SONAME 'dbsyscheck_udf.so'"
	else
		sql "DROP FUNCTION dbsyscheck_chunk"
	fi
	udf_state=$1
}

# The variants, in the order of the first repetition: each time target's
# two sides next to each other (fetch, nochange, first; nochange, changed;
# pt, cnochange, unochange), so that a drift of the machine's speed hits
# both alike.
variants="quick checksum dump_a dump_b diff fetch nochange first changed pt
    cnochange unochange cfirst cchanged cclustered uclustered paced throttled"

# run_variant ROWS VARIANT REP
run_variant()
{
	m_out=/dev/null
	case $2 in
	fetch)
		m_out=$W/fetch.out
		measure "$1" "$2" "$3" 0 "$W/bin/fetch" "$W/my.cnf"
		grep -q "^$1 rows " "$W/fetch.out" ||
		    fail "fetch read $(cat "$W/fetch.out"), not $1 rows"
		;;
	quick)
		measure "$1" "$2" "$3" 0 mariadb --defaults-file="$W/my.cnf" \
		    --quick --batch -e 'SELECT * FROM bench.users ORDER BY id'
		;;
	checksum)
		measure "$1" "$2" "$3" 0 mariadb --defaults-file="$W/my.cnf" \
		    -e 'CHECKSUM TABLE bench.users'
		;;
	pt)
		m_out=$W/pt.out
		measure "$1" "$2" "$3" 0 pt-table-checksum \
		    --recursion-method=none --no-check-binlog-format \
		    --no-check-replication-filters --no-version-check \
		    --replicate=percona.checksums --databases=bench \
		    --tables=users "h=localhost,S=$W/sock,u=root"
		;;
	dump_a|dump_b)
		use_state "${2#dump_}"
		m_out=$W/$2.sql
		measure "$1" "$2" "$3" 0 mysqldump --defaults-file="$W/my.cnf" \
		    --skip-extended-insert --order-by-primary --skip-dump-date \
		    bench users
		use_state a
		;;
	diff)
		m_out=$W/dump.diff
		measure "$1" "$2" "$3" 1 diff "$W/dump_a.sql" "$W/dump_b.sql"
		;;
	first|cfirst)
		_m=full
		[ "$2" = first ] || _m=chunk
		chunk_udf off
		rm -f "$W/$_m.db" "$W/first.key"
		sync
		m_out=$W/out.$2
		measure "$1" "$2" "$3" 1 \
		    "$W/bin/dbsyscheck" -c "$W/$_m.first.conf" --max-bytes 0 \
		    scan
		;;
	paced)
		# Load control: a no-change re-scan held to half the rows
		# a second (max-rows-per-second): about 2 s at any size.
		copy_baseline "$W/full.a.db" "$W/full.db"
		m_out=$W/out.$2
		measure "$1" "$2" "$3" 0 \
		    "$W/bin/dbsyscheck" -c "$W/paced.conf" --max-bytes 0 scan
		;;
	throttled)
		# Load control: a no-change re-scan that starts while 3 other
		# sessions run SELECT SLEEP(2), above max-threads-running 2:
		# it pauses until they are done, then scans.
		copy_baseline "$W/full.a.db" "$W/full.db"
		m_out=$W/out.$2
		m_before="busy_sessions 3 2"
		measure "$1" "$2" "$3" 0 \
		    "$W/bin/dbsyscheck" -c "$W/throttled.conf" --max-bytes 0 scan
		m_before=
		busy_done
		_p=$(sed -n 's/^dbsyscheck: paused [0-9]* times, \([0-9.]*\) s in all, for max-threads-running 2$/\1/p' \
		    "$W/err.$2")
		[ -n "$_p" ] || fail "throttled: the scan did not pause: \
$(cat "$W/err.$2")"
		printf '%s\tpause_s\t%s\n' "$1" "$_p" >>"$W/facts.tsv"
		;;
	nochange|changed|cnochange|cchanged|cclustered|unochange|uclustered)
		# Chunk mode with SQL's aggregate (c...), or the UDF's (u...).
		case $2 in
		cnochange|cchanged|cclustered)	_m=chunk; chunk_udf off ;;
		unochange|uclustered)		_m=chunk; chunk_udf on ;;
		*)				_m=full ;;
		esac
		case $2 in
		*nochange)	_s=a _x=0 ;;
		*changed)	_s=b _x=1 ;;
		*)		_s=c _x=1 ;;
		esac
		copy_baseline "$W/$_m.a.db" "$W/$_m.db"
		use_state "$_s"
		m_out=$W/out.$2
		measure "$1" "$2" "$3" "$_x" \
		    "$W/bin/dbsyscheck" -c "$W/$_m.conf" --max-bytes 0 scan
		use_state a
		;;
	esac
}

# The whole set of measurements for a table of $1 rows.
bench_size()
{
	_bs_n=$1
	echo "bench: $_bs_n rows: making the table and its changed states" >&2
	make_states "$_bs_n"
	_bs_avg=$(_sql_run -e "SELECT ROUND(AVG(LENGTH(id) + IFNULL(LENGTH(login),
	    0) + IFNULL(LENGTH(password), 0) + IFNULL(LENGTH(email), 0) +
	    IFNULL(LENGTH(created), 0) + IFNULL(LENGTH(balance), 0) +
	    IFNULL(LENGTH(notes), 0)), 1) FROM bench.users")
	printf '%s\tavg_row_bytes\t%s\n' "$_bs_n" "$_bs_avg" >>"$W/facts.tsv"
	# Load control: paced to half the rows a second; paused by busy
	# sessions. status shows both limits.
	_bs_rate=$((_bs_n / 2))
	sed '/^table /d' "$W/full.conf" >"$W/paced.conf"
	sed '/^table /d' "$W/full.conf" >"$W/throttled.conf"
	echo "max-rows-per-second $_bs_rate" >>"$W/paced.conf"
	echo "table bench.users" >>"$W/paced.conf"
	echo "max-threads-running 2" >>"$W/throttled.conf"
	echo "table bench.users" >>"$W/throttled.conf"
	chmod 0600 "$W/paced.conf" "$W/throttled.conf"
	printf '%s\tpaced_rate\t%s\n' "$_bs_n" "$_bs_rate" >>"$W/facts.tsv"

	# Warm-up, not measured: the buffer pool, the dumps, and the
	# baselines of state a that every re-scan starts from.
	echo "bench: $_bs_n rows: warming up" >&2
	"$W/bin/fetch" "$W/my.cnf" >/dev/null
	for _bs_s in b c a; do
		use_state "$_bs_s"
		"$W/bin/fetch" "$W/my.cnf" >/dev/null
	done
	for _bs_v in dump_a dump_b; do
		use_state "${_bs_v#dump_}"
		mysqldump --defaults-file="$W/my.cnf" --skip-extended-insert \
		    --order-by-primary --skip-dump-date bench users \
		    >"$W/$_bs_v.sql" || fail "mysqldump failed"
		use_state a
	done
	for _bs_m in full chunk; do
		# reset: the second mode's baseline is new, its key is not.
		rm -f "$W/$_bs_m.db"
		"$W/bin/dbsyscheck" -c "$W/$_bs_m.conf" --max-bytes 0 reset \
		    >/dev/null 2>&1 || [ $? = 1 ] ||
		    fail "dbsyscheck first baseline ($_bs_m) failed"
		cp "$W/$_bs_m.db" "$W/$_bs_m.a.db"
	done
	printf '%s\tbaseline_bytes\t%s\n' "$_bs_n" \
	    "$(wc -c <"$W/full.a.db" | tr -d ' ')" >>"$W/facts.tsv"
	printf '%s\tdump_bytes\t%s\n' "$_bs_n" \
	    "$(wc -c <"$W/dump_a.sql" | tr -d ' ')" >>"$W/facts.tsv"
	_sql_run -e "SELECT COUNT(*) FROM bench.users_b" |
	    sed "s/^/$_bs_n	rows_b	/" >>"$W/facts.tsv"
	{
		cat "$W/paced.conf"
		echo "max-threads-running 2"
	} | (umask 077 && cat >"$W/status.conf")
	"$W/bin/dbsyscheck" -c "$W/status.conf" status |
	    sed "s/^/$_bs_n	status	/" >>"$W/facts.tsv" ||
	    fail "dbsyscheck status failed"

	_bs_r=1
	while [ "$_bs_r" -le "$reps" ]; do
		echo "bench: $_bs_n rows: repetition $_bs_r of $reps" >&2
		# Rotate the order each repetition.
		set -- $variants
		_bs_i=1
		while [ "$_bs_i" -lt "$_bs_r" ]; do
			_bs_f=$1
			shift
			set -- "$@" "$_bs_f"
			_bs_i=$((_bs_i + 1))
		done
		for _bs_v in "$@"; do
			run_variant "$_bs_n" "$_bs_v" "$_bs_r"
		done
		check_outputs "$_bs_n"
		_bs_r=$((_bs_r + 1))
	done
}

# The records must be right, and the same in both modes.
check_outputs()
{
	_u=$(($1 / 100))
	_d=$(($1 / 1000))
	grep -q "op=summary inserts=$_d updates=$_u deletes=$_d " \
	    "$W/out.changed" || fail "full mode reported: $(head -n 1 \
"$W/out.changed")"
	cmp -s "$W/out.changed" "$W/out.cchanged" ||
	    fail "chunk mode reported other records than full mode"
	[ ! -s "$W/out.nochange" ] && [ ! -s "$W/out.cnochange" ] &&
	    [ ! -s "$W/out.unochange" ] && [ ! -s "$W/out.paced" ] &&
	    [ ! -s "$W/out.throttled" ] ||
	    fail "a no-change re-scan reported something"
	cmp -s "$W/out.cclustered" "$W/out.uclustered" ||
	    fail "chunk mode reported other records with the UDF than without"
	grep -q "op=summary inserts=$_d updates=" "$W/out.cclustered" ||
	    fail "clustered: $(head -n 1 "$W/out.cclustered")"
}

calibrate_bytes
{
	printf '0\tchunk\t%s\n' "$chunk"
	printf '0\tserver\t%s\n' "$(mariadbd --version | sed 's/^mariadbd *//')"
	printf '0\tcpu\t%s\n' "$(awk -F ': ' '/^model name/ { print $2; exit }' \
	    /proc/cpuinfo)"
	printf '0\tncpu\t%s\n' "$ncpu"
	printf '0\twhen\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
	printf '0\trevision\t%s\n' "$(cd "$top_srcdir" &&
	    git describe --always --dirty 2>/dev/null || echo unknown)"
} >"$W/facts.tsv"
if [ "$scaling" != 0 ] && [ "$rows" != "$small" ]; then
	bench_size "$small"
fi
bench_size "$rows"

mkdir -p "$out"
{
	printf 'rows\tvariant\trep\twall_s\tclient_cpu_s\tpeak_rss_kib\t'
	printf 'server_cpu_s\tbytes_received\texit\tother_cpu_s\n'
	cat "$raw"
} >"$out/results-raw.tsv"
cp "$W/facts.tsv" "$out/results-facts.tsv"
report
echo "bench: results in $out/results.md and $out/results.tsv" >&2

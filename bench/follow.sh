#!/bin/sh
# The follower benchmark (make bench-follow; docs/PERFORMANCE.md explains
# the method and shows the figures).
#
# On a throwaway MariaDB of its own with a row-based binary log
# (--log-bin --binlog-format=ROW --server-id=1, CRC32 checksums, the
# server's defaults otherwise), three ranges of the log are written, each
# in a binary log file of its own (FLUSH BINARY LOGS before it):
#   t1k   BENCH_ROWS (1,000,000) rows inserted into bench.users (issue 6's
#         table, about 177 bytes of values a row) in transactions of
#         1,000 rows (one INSERT ... SELECT each);
#   big   one transaction updating all BENCH_ROWS rows (balance and
#         notes: every row event holds the before and the after image);
#   mid   one transaction updating BENCH_ROWS / 10 of them.
# Each range is read, interleaved and in an order rotated each
# repetition, by
#   floor     bench/binlog_floor: mariadb_rpl_fetch of every event, nothing
#             decoded (the floor); floorcrc the same with the library's
#             checksum check on, as the follower asks for;
#   follow    dbsyscheck --max-bytes 0 follow >/dev/null, bounded, from a
#             stored position at the start of the range: what a cron user
#             runs (every record queued in the baseline file's outbox in
#             the transaction that advances the position, then a copy to
#             standard output);
#   noreport  the same with --no-report: queued, not printed;
#   unwatched the same run on a configuration watching another table: the
#             events read and checked, no row decoded, nothing queued;
#   binlog    mariadb-binlog --read-from-remote-server
#             --base64-output=decode-rows -vv of the range's file >/dev/null;
# (mid: follow and noreport only, for peak RSS). Then the writers' cost:
# BENCH_WRITES (50,000) autocommit single-row UPDATEs by primary key, in a
# stored procedure loop (no client in the way), timed in the server, with
#   none      no reader;
#   follow    dbsyscheck --no-report --log FILE follow -f running, watching
#             the table (started and caught up before the clock starts);
#   reader    follow -f watching another table (every event read, no
#             row decoded, nothing queued);
#   floor     bench/binlog_floor -f: a blocking dump read and dropped,
#             the cheapest reader there is;
#   triggers  no reader, the triggers "dbsyscheck triggers" generates on
#             the table (dbsyscheck_log() loaded from the build);
# BENCH_WREPS (7) rounds, the order rotated each round.
#
# Environment:
#   BENCH_ROWS      rows of the ranges (1000000; at least 10000)
#   BENCH_REPS      repetitions of the decoding measurements (3)
#   BENCH_WRITES    UPDATEs per writer phase (50000)
#   BENCH_WREPS     rounds of the writer phases (7)
#   BENCH_LAGMAX    seconds follow -f may take to catch up after a phase
#                   before it is stopped (20)
#   BENCH_PARTS     what to measure: "decode writers" (both)
#   BENCH_OUT       directory for the results ($top_srcdir/bench)
#   BENCH_QUIET     seconds to wait for the machine to be 80% idle (10)
#   BENCH_PIN=1     the writers' phases with the writer's server thread
#                   alone on the first core, the server's other threads
#                   (its dump thread among them) and the reader on the
#                   second: a writer that has a core of its own (needs 2
#                   cores; the server runs with performance_schema to
#                   find the writer's thread)
#   DBSC_KEEP=1     keep the work directory
# "sh bench/follow.sh --report" writes the tables again from the files of
# the last run. Needs dbsyscheck and its UDF library built; builds
# bench/binlog_floor when missing.

if [ -z "${top_srcdir:-}" ]; then
	top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
fi
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
. "$top_srcdir/tests/integration/setup"
. "$top_srcdir/bench/rows.sh"
. "$top_srcdir/bench/idle.sh"

rows=${BENCH_ROWS:-1000000}
reps=${BENCH_REPS:-3}
writes=${BENCH_WRITES:-50000}
wreps=${BENCH_WREPS:-7}
lagmax=${BENCH_LAGMAX:-20}
out=${BENCH_OUT:-$top_srcdir/bench}
parts=${BENCH_PARTS:-decode writers}

for _v in "$rows" "$reps" "$writes" "$wreps"; do
	case $_v in
	''|*[!0-9]*|0)	fail "BENCH_ROWS, BENCH_REPS, BENCH_WRITES, \
BENCH_WREPS: positive integers" ;;
	esac
done
[ "$rows" -ge 10000 ] || fail "BENCH_ROWS must be at least 10000"
mid=$((rows / 10))

# report: $out/results-follow-raw.tsv and -facts.tsv into
# $out/results-follow.tsv (medians) and $out/results-follow.md.
report()
{
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
function lo(list,    n, a, i, m) {
	n = split(list, a, " "); m = a[1]
	for (i = 2; i <= n; i++) if (a[i] + 0 < m + 0) m = a[i]
	return m
}
function hi(list,    n, a, i, m) {
	n = split(list, a, " "); m = a[1]
	for (i = 2; i <= n; i++) if (a[i] + 0 > m + 0) m = a[i]
	return m
}
'
awk -F '\t' -v OFS='\t' "$awk_median"'
$1 == "range" { next }
{
	k = $1 SUBSEP $2
	if (!(k in wall)) { order[++nk] = k; rg[k] = $1; va[k] = $2 }
	wall[k] = wall[k] " " $4; cpu[k] = cpu[k] " " $5
	rss[k] = rss[k] " " $6; srv[k] = srv[k] " " $7; oth[k] = oth[k] " " $8
	if ($9 != "-") ex[k] = ex[k] " " $9
	else miss[k]++
	if ($10 != "-") ex2[k] = ex2[k] " " $10
	n[k]++
}
END {
	print "range", "variant", "reps", "wall_s", "wall_min_s", "wall_max_s",
	    "client_cpu_s", "peak_rss_kib", "peak_rss_max_kib", "server_cpu_s",
	    "other_cpu_s", "lag_s", "lag_missed", "rate_per_s"
	for (i = 1; i <= nk; i++) {
		k = order[i]
		print rg[k], va[k], n[k], median(wall[k]), lo(wall[k]),
		    hi(wall[k]), median(cpu[k]), median(rss[k]), hi(rss[k]),
		    median(srv[k]), median(oth[k]),
		    (ex[k] == "" ? "-" : median(ex[k])), miss[k] + 0,
		    (ex2[k] == "" ? "-" : median(ex2[k]))
	}
}' "$out/results-follow-raw.tsv" >"$out/results-follow.tsv.new"

awk -F '\t' "$awk_median"'
FILENAME == ARGV[1] { fact[$1, $2] = $3; next }
FILENAME == ARGV[2] {
	if (FNR == 1) next
	k = $1 SUBSEP $2
	have[k] = 1; wall[k] = $4; wmin[k] = $5; wmax[k] = $6; cpu[k] = $7
	rss[k] = $8; rssmax[k] = $9; srv[k] = $10; oth[k] = $11; ex[k] = $12
	lmiss[k] = $13; rate[k] = $14
	nrep[k] = $3
	next
}
FNR > 1 { rw[$1, $2, $3] = $4; if ($3 > maxrep[$1]) maxrep[$1] = $3 }
function f(x, d) { return sprintf("%." d "f", x) }
function label(v) {
	if (v == "floor") return "bare mariadb_rpl read (bench/binlog_floor): the floor"
	if (v == "floorcrc") return "the same, the library checking each CRC32"
	if (v == "follow") return "dbsyscheck follow > /dev/null"
	if (v == "noreport") return "dbsyscheck --no-report follow"
	if (v == "unwatched") return "dbsyscheck follow, another table watched"
	if (v == "binlog") return "mariadb-binlog -vv --base64-output=decode-rows"
	return v
}
# The median over the repetitions of a / b within each repetition.
function paired(r, a, b,    i, l) {
	l = ""
	for (i = 1; i <= maxrep[r]; i++)
		if (((r, a, i) in rw) && ((r, b, i) in rw) && rw[r, b, i] > 0)
			l = l " " rw[r, a, i] / rw[r, b, i]
	return l == "" ? 0 : median(l)
}
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
function table(r, title,    v, i, k, fl) {
	printf "\n### %s\n\n", title
	wrap(sprintf("%d row changes, %s%.1f MiB of binary log " \
	    "(%s); medians of %d repetitions.", fact[r, "rows"],
	    ((r, "events") in fact ? fact[r, "events"] " events, " : ""),
	    fact[r, "bytes"] / 1048576, fact[r, "file"],
	    nrep[r SUBSEP "follow"]))
	print ""
	print "| measurement | wall s | min-max s | x floor | client CPU s | " \
	    "server CPU s | client peak RSS MiB | other load CPU s |"
	print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	split("floor floorcrc follow noreport unwatched binlog", v, " ")
	fl = wall[r SUBSEP "floor"]
	for (i = 1; i in v; i++) {
		k = r SUBSEP v[i]
		if (!have[k]) continue
		printf "| %s | %s | %s-%s | %s | %s | %s | %s | %s |\n",
		    label(v[i]), f(wall[k], 2), f(wmin[k], 2), f(wmax[k], 2),
		    (fl > 0 ? f(wall[k] / fl, 2) : "-"), f(cpu[k], 2),
		    f(srv[k], 2), f(rss[k] / 1024, 1), f(oth[k], 2)
	}
}
function target(what, limit, measured, ok) {
	printf "| %s | %s | %s | %s |\n", what, limit, measured,
	    (ok == "" ? "n/a" : (ok ? "ok" : "MISSED"))
}
function timed(r, what, a, b, lim,    p) {
	if (!have[r SUBSEP a] || !have[r SUBSEP b]) {
		target(what, "<= " lim " x", "not measured", "")
		return
	}
	p = paired(r, a, b)
	target(what, "<= " lim " x", f(p, 2) " x (medians " f(wall[r SUBSEP a],
	    2) " s / " f(wall[r SUBSEP b], 2) " s)", p <= lim)
}
END {
	print "# Follower benchmark results"
	print ""
	wrap(sprintf("Written by bench/follow.sh (make bench-follow) on %s: " \
	    "%s, %d cores; MariaDB %s; dbsyscheck %s. The server: --log-bin " \
	    "--binlog-format=ROW --server-id=1, binlog_checksum CRC32, " \
	    "binlog_row_image FULL, innodb_flush_log_at_trx_commit=2, " \
	    "sync_binlog=0. Wall times are medians of interleaved " \
	    "repetitions; a time target is judged by the median over the " \
	    "repetitions of the ratio within each repetition. Client CPU " \
	    "and peak RSS: GNU time; server CPU: the server process; other " \
	    "load: what the rest of the machine used meanwhile (the noise).",
	    fact[0, "when"], fact[0, "cpu"], fact[0, "ncpu"],
	    fact[0, "server"], fact[0, "revision"]))
	table("t1k", "Decoding: " fact["t1k", "rows"] " rows inserted in " \
	    "transactions of 1,000")
	table("big", "Decoding: one transaction updating " \
	    fact["big", "rows"] " rows")
	table("mid", "One transaction updating " fact["mid", "rows"] \
	    " rows (peak RSS)")

	print ""
	printf "### Cost to writers: %d autocommit single-row UPDATEs\n\n",
	    fact["w", "rows"]
	wrap(sprintf("A stored procedure loop of UPDATE ... WHERE id = i " \
	    "(autocommit: one transaction and one binary log group each), " \
	    "timed in the server with SYSDATE(6); %d rounds, the order of " \
	    "the phases rotated each round. ratio: median [lowest-highest] " \
	    "over the rounds of the phase time / none in the same round. " \
	    "follower lag: seconds after the last UPDATE until follow -f " \
	    "had logged every record (median of the rounds where it did " \
	    "within %s s; it was stopped then in the others); follower " \
	    "rate: the records it logged a second, from the phase'"'"'s " \
	    "start until it caught up or was stopped. reader: follow -f " \
	    "watching another table: every event read and checked, no row " \
	    "decoded, nothing queued (its position stored every 1,000 " \
	    "groups or 5 s). floor: bench/binlog_floor -f, a blocking " \
	    "dump whose events are fetched and dropped: the cheapest " \
	    "reader.%s",
	    nrep["w" SUBSEP "none"], fact["w", "lagmax"],
	    fact["w", "pin"] == 1 ? " Pinned (BENCH_PIN=1): in every " \
	    "phase the writer'"'"'s server thread ran alone on the first " \
	    "core, the server'"'"'s other threads (the dump thread among " \
	    "them) and the reader on the second; the server ran with " \
	    "performance_schema." : ""))
	print ""
	print "| writers | median s | min-max s | spread | us / UPDATE | " \
	    "ratio to none | server CPU s | follower lag s | " \
	    "follower rate / s |"
	print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	split("none follow reader floor triggers", v, " ")
	for (i = 1; i in v; i++) {
		k = "w" SUBSEP v[i]
		if (!have[k]) continue
		l = ""
		for (j = 1; j <= maxrep["w"]; j++)
			if ((("w", v[i], j) in rw) && (("w", "none", j) in rw))
				l = l " " rw["w", v[i], j] / rw["w", "none", j]
		printf "| %s | %s | %s-%s | %s%% | %s | %s [%s-%s] | %s | " \
		    "%s | %s |\n",
		    v[i], f(wall[k], 2), f(wmin[k], 2), f(wmax[k], 2),
		    f(100 * (wmax[k] - wmin[k]) / wall[k], 1),
		    f(wall[k] * 1e6 / fact["w", "rows"], 1),
		    f(median(l), 3), f(lo(l), 3), f(hi(l), 3), f(srv[k], 2),
		    (v[i] != "follow" ? "-" : (lmiss[k] == nrep[k] ? \
		    "> " fact["w", "lagmax"] " s in every round" : ex[k] \
		    (lmiss[k] > 0 ? " (> " fact["w", "lagmax"] " s in " \
		    lmiss[k] " of " nrep[k] " rounds)" : ""))),
		    (v[i] == "follow" ? rate[k] : "-")
		ratio[v[i]] = median(l); rlo[v[i]] = lo(l); rhi[v[i]] = hi(l)
		slower[v[i]] = 0
		nr = split(l, rr, " ")
		for (j = 1; j <= nr; j++)
			if (rr[j] > 1)
				slower[v[i]]++
		rounds[v[i]] = nr
	}

	print ""
	print "## Targets of issue 15"
	print ""
	print "| target | limit | measured | result |"
	print "| --- | --- | --- | --- |"
	timed("t1k", "follow vs the floor, 1,000-row transactions", "follow",
	    "floor", 1.3)
	timed("big", "follow vs the floor, one big transaction", "follow",
	    "floor", 1.3)
	timed("t1k", "follow vs mariadb-binlog, 1,000-row transactions",
	    "follow", "binlog", 0.5)
	timed("big", "follow vs mariadb-binlog, one big transaction", "follow",
	    "binlog", 0.5)
	split("t1k:1000 mid:" fact["mid", "rows"] " big:" fact["big", "rows"],
	    sz, " ")
	for (i = 1; i in sz; i++) {
		split(sz[i], p, ":")
		m = 0
		if (!have[p[1] SUBSEP "follow"]) {
			target("peak RSS of follow, transactions of " p[2] \
			    " rows", "<= 32 MiB", "not measured", "")
			continue
		}
		split("follow noreport unwatched", v, " ")
		for (j = 1; j in v; j++)
			if (rssmax[p[1] SUBSEP v[j]] > m)
				m = rssmax[p[1] SUBSEP v[j]]
		target("peak RSS of follow, transactions of " p[2] " rows",
		    "<= 32 MiB", f(m / 1024, 1) " MiB (the largest run)",
		    m <= 32768)
	}
	# Within noise: the median of the paired ratios at most 1.05, and
	# the reader slower than none in at most 2 rounds of 3.
	k = "w" SUBSEP "none"
	if (!have[k]) {
		target("writers with follow -f running",
		    "within noise of none", "not measured", "")
		exit
	}
	nz = (wmax[k] - wmin[k]) / wall[k]
	split("follow reader floor", v, " ")
	for (i = 1; i in v; i++) {
		if (!have["w" SUBSEP v[i]])
			continue
		target("writers with " (v[i] == "follow" ? "follow -f" :
		    v[i] == "reader" ? "follow -f of another table" :
		    "the bare reader (binlog_floor -f)") " running",
		    "within noise of none (median ratio <= 1.05)",
		    f(ratio[v[i]], 3) " x [" f(rlo[v[i]], 3) "-" \
		    f(rhi[v[i]], 3) "], slower in " slower[v[i]] " of " \
		    rounds[v[i]] " rounds; none'"'"'s own spread " \
		    f(100 * nz, 1) "%",
		    ratio[v[i]] <= 1.05 && slower[v[i]] <= 2 * rounds[v[i]] / 3)
	}
}' "$out/results-follow-facts.tsv" "$out/results-follow.tsv.new" \
    "$out/results-follow-raw.tsv" >"$out/results-follow.md.new"

mv "$out/results-follow.tsv.new" "$out/results-follow.tsv"
mv "$out/results-follow.md.new" "$out/results-follow.md"
cat "$out/results-follow.md"
}

if [ "${1:-}" = --report ]; then
	report
	exit 0
fi

[ -x /usr/bin/time ] || fail "GNU time (/usr/bin/time) is not installed"
command -v mariadb-binlog >/dev/null 2>&1 || fail "no mariadb-binlog"
[ -x "$top_builddir/dbsyscheck" ] ||
    fail "$top_builddir/dbsyscheck is not built: run sh scripts/build.sh"
if [ ! -x "$top_builddir/bench/binlog_floor" ]; then
	make -C "$top_builddir" bench/binlog_floor >&2 ||
	    fail "cannot build bench/binlog_floor"
fi
[ -f "$top_builddir/.libs/dbsyscheck_udf.so" ] ||
    fail "$top_builddir/.libs/dbsyscheck_udf.so is not built"
# Copies, so that a rebuild during the run does not change what is measured.
mkdir -p "$W/bin" "$W/plugin"
cp "$top_builddir/dbsyscheck" "$top_builddir/bench/binlog_floor" "$W/bin/"
cp "$top_builddir/.libs/dbsyscheck_udf.so" "$W/plugin/"
top_builddir_real=$top_builddir
tck=$(getconf CLK_TCK)
ncpu=$(nproc)
pin=${BENCH_PIN:-0}
case $pin in
0)	pin_args= ;;
1)	[ "$ncpu" -ge 2 ] || fail "BENCH_PIN=1 needs 2 cores"
	command -v taskset >/dev/null || fail "BENCH_PIN=1 needs taskset"
	pin_args=--performance-schema=ON ;;
*)	fail "BENCH_PIN: 0 or 1" ;;
esac
raw=$W/raw.tsv
facts=$W/facts.tsv
: >"$raw"
sid=4242

# The server: row-based log, the UDF library of the build in its plugin
# directory and a trigger token in its environment (the triggers phase).
(umask 077 && cat >"$W/my.cnf") <<EOF
[client]
socket=$W/sock
user=root
EOF
# dbsyscheck token writes the trigger token named by the configuration.
conf()
{
	# conf NAME BASELINE TABLE...
	_c_name=$1 _c_bl=$2
	shift 2
	{
		echo "baseline $_c_bl"
		echo "key $W/$_c_name.key"
		echo "mysql-defaults-file $W/my.cnf"
		echo "mysql-group client"
		echo "follow-server-id $sid"
		echo "trigger-token $W/trigger.token"
		for _c_t in "$@"; do
			echo "table $_c_t"
		done
	} | (umask 077 && cat >"$W/$_c_name.conf")
	chmod 0600 "$W/$_c_name.conf"
}
conf follow "$W/f.db" bench.users
conf unwatched "$W/u.db" bench.other
conf writers "$W/w.db" bench.w_plain
conf wreader "$W/wr.db" bench.other
conf triggers "$W/t.db" bench.w_trig
"$W/bin/dbsyscheck" -c "$W/triggers.conf" token >/dev/null ||
    fail "dbsyscheck token failed"
DBSYSCHECK_UDF_TOKEN=$W/trigger.token
DBSYSCHECK_UDF_LOG=$W/udf.log
export DBSYSCHECK_UDF_TOKEN DBSYSCHECK_UDF_LOG
db_start --log-bin="$W/binlog" --binlog-format=ROW --server-id=1 \
    --binlog-row-image=FULL --binlog-row-metadata=FULL --binlog-checksum=CRC32 \
    --max-binlog-size=1G \
    --innodb-buffer-pool-size=1G --innodb-log-file-size=512M \
    --max-allowed-packet=64M --plugin-dir="$W/plugin" $pin_args
sql <"$top_srcdir/sql/udf_install.sql"

# measure RANGE VARIANT REP EXPECTED-EXITS COMMAND...: one timed run, its
# standard output to $m_out, appended to $raw as: range variant rep
# wall_s client_cpu_s peak_rss_kib server_cpu_s other_cpu_s extra.
m_out=/dev/null
measure()
{
	_rg=$1 _var=$2 _rep=$3 _ok=$4
	shift 4
	sync
	settle
	quiet
	_s0=$(server_ticks)
	_c0=$(machine_ticks)
	_t0=$(date +%s%N)
	_rc=0
	/usr/bin/time -f '%U %S %M' -o "$W/time.out" "$@" >"$m_out" \
	    2>"$W/err.$_var" || _rc=$?
	_t1=$(date +%s%N)
	_c1=$(machine_ticks)
	_s1=$(server_ticks)
	case " $_ok " in
	*" $_rc "*)	;;
	*)		cat "$W/err.$_var" >&2
			fail "$_rg $_var: exit $_rc (expected $_ok)" ;;
	esac
	tail -n 1 "$W/time.out" | awk -v rg="$_rg" -v var="$_var" \
	    -v rep="$_rep" -v ns=$((_t1 - _t0)) -v st=$((_s1 - _s0)) \
	    -v tck="$tck" -v mt=$((_c1 - _c0)) 'BEGIN { OFS = "\t" } {
		o = mt / tck - st / tck - $1 - $2
		print rg, var, rep, sprintf("%.3f", ns / 1e9),
		    sprintf("%.2f", $1 + $2), $3, sprintf("%.2f", st / tck),
		    sprintf("%.2f", o < 0 ? 0 : o), "-", "-"
	}' >>"$raw"
	tail -n 1 "$raw" >&2
}

# row_sql: bench/rows.sh, the rows of bench/run.sh.

sql "CREATE DATABASE bench"
sql_db bench "CREATE TABLE users (
	id INT PRIMARY KEY,
	login VARCHAR(64),
	password CHAR(60),
	email VARCHAR(255),
	created DATETIME,
	balance DECIMAL(12,2),
	notes TEXT NULL)"
sql_db bench "CREATE TABLE other LIKE users"
sql_db bench <<EOF
DELIMITER //
CREATE PROCEDURE fill(n INT)
BEGIN
	DECLARE b INT DEFAULT 0;
	WHILE b < n DO
		INSERT INTO users $(row_sql "(b + seq)") FROM seq_1_to_1000;
		SET b = b + 1000;
	END WHILE;
END//
EOF

# range NAME SQL: FLUSH BINARY LOGS, the follower's stored positions at
# the start of the new file (a first run of each configuration stores the
# current end), then SQL, and the range's facts.
range()
{
	_r_name=$1
	sql "FLUSH BINARY LOGS"
	rm -f "$W/f.db" "$W/u.db" "$W/follow.key" "$W/unwatched.key"
	for _r_c in follow unwatched; do
		"$W/bin/dbsyscheck" -c "$W/$_r_c.conf" --no-report follow \
		    >/dev/null 2>"$W/err.start" || [ $? = 1 ] ||
		    fail "first follow run: $(cat "$W/err.start")"
	done
	for _r_c in f:follow u:unwatched; do
		cp "$W/${_r_c%%:*}.db" "$W/${_r_c%%:*}.$_r_name.db"
		cp "$W/${_r_c#*:}.key" "$W/${_r_c#*:}.$_r_name.key"
	done
	_r_start=$(master_pos)
	sql_db bench "$2"
	_r_end=$(master_pos)
	[ "${_r_start%%:*}" = "${_r_end%%:*}" ] ||
	    fail "range $_r_name spans two binary log files"
	r_file=${_r_start%%:*}
	r_off=${_r_start##*:}
	r_rows=$3
	{
		printf '%s\tfile\t%s\n' "$_r_name" "$r_file"
		printf '%s\trows\t%s\n' "$_r_name" "$r_rows"
		printf '%s\tbytes\t%s\n' "$_r_name" $((${_r_end##*:} - r_off))
	} >>"$facts"
}

# The decoding variants of a range, in the order of the first repetition.
variants="floor follow binlog noreport floorcrc unwatched"

run_variant()
{
	# run_variant RANGE VARIANT REP
	m_out=/dev/null
	case $2 in
	floor|floorcrc)
		m_out=$W/floor.out
		_f=
		[ "$2" = floor ] || _f=-c
		measure "$1" "$2" "$3" 0 "$W/bin/binlog_floor" $_f \
		    "$W/my.cnf" "$r_file" "$r_off" "$sid"
		_ev=$(awk '{ print $1 }' "$W/floor.out")
		grep -q "^$1	events	" "$facts" ||
		    printf '%s\tevents\t%s\n' "$1" "$_ev" >>"$facts"
		;;
	follow|noreport)
		cp "$W/f.$1.db" "$W/f.db"
		cp "$W/follow.$1.key" "$W/follow.key"
		sync
		_n=
		[ "$2" = follow ] || _n=--no-report
		m_out=$W/out.$2
		measure "$1" "$2" "$3" 1 "$W/bin/dbsyscheck" -c \
		    "$W/follow.conf" --max-bytes 0 $_n follow
		check_follow "$1" "$2"
		;;
	unwatched)
		cp "$W/u.$1.db" "$W/u.db"
		cp "$W/unwatched.$1.key" "$W/unwatched.key"
		sync
		m_out=$W/out.$2
		measure "$1" "$2" "$3" 0 "$W/bin/dbsyscheck" -c \
		    "$W/unwatched.conf" --max-bytes 0 follow
		;;
	binlog)
		measure "$1" "$2" "$3" 0 mariadb-binlog --no-defaults \
		    --socket="$W/sock" -uroot --read-from-remote-server \
		    --base64-output=decode-rows -vv \
		    --start-position="$r_off" "$r_file"
		;;
	esac
}

# The follower's records: one per row change and one op=commit per
# transaction, every one of them in the queue (and on standard output
# when reporting).
check_follow()
{
	case $1 in
	t1k)	_op=insert _tx=$((r_rows / 1000)) ;;
	*)	_op=update _tx=1 ;;
	esac
	_q=$(sqlite3 "$W/f.db" "SELECT COUNT(*) FROM outbox WHERE op =
	    '$_op'" 2>/dev/null) || _q=?
	[ "$_q" = "$r_rows" ] ||
	    fail "$1 $2: $_q $_op records queued, not $r_rows"
	if [ "$2" = follow ]; then
		[ "$(grep -c "^dbsyscheck: op=$_op " "$W/out.$2")" = \
		    "$r_rows" ] || fail "$1 $2: not $r_rows $_op records"
		[ "$(grep -c '^dbsyscheck: op=commit ' "$W/out.$2")" = \
		    "$_tx" ] || fail "$1 $2: not $_tx op=commit records"
	fi
}

decode_range()
{
	# decode_range RANGE VARIANTS
	_d_r=1
	while [ "$_d_r" -le "$reps" ]; do
		echo "bench: range $1: repetition $_d_r of $reps" >&2
		set -- "$1" $2
		_d_name=$1
		shift
		_d_i=1
		while [ "$_d_i" -lt "$_d_r" ]; do
			_d_f=$1
			shift
			set -- "$@" "$_d_f"
			_d_i=$((_d_i + 1))
		done
		_d_vs="$*"
		for _d_v in $_d_vs; do
			run_variant "$_d_name" "$_d_v" "$_d_r"
		done
		set -- "$_d_name" "$_d_vs"
		_d_r=$((_d_r + 1))
	done
}

{
	printf '0\tserver\t%s\n' "$(mariadbd --version | sed 's/^mariadbd *//')"
	printf '0\tcpu\t%s\n' "$(awk -F ': ' '/^model name/ { print $2; exit }' \
	    /proc/cpuinfo)"
	printf '0\tncpu\t%s\n' "$ncpu"
	printf '0\twhen\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
	printf '0\trevision\t%s\n' "$(cd "$top_srcdir" &&
	    git describe --always --dirty 2>/dev/null || echo unknown)"
} >"$facts"

case " $parts " in
*" decode "*)
echo "bench: writing $rows rows in transactions of 1,000" >&2
range t1k "CALL fill($rows)" "$rows"
decode_range t1k "$variants"
echo "bench: one transaction updating $rows rows" >&2
range big "UPDATE users SET balance = balance + 1,
    notes = CONCAT(IFNULL(notes, ''), ' (updated)')" "$rows"
decode_range big "$variants"
echo "bench: one transaction updating $mid rows" >&2
range mid "UPDATE users SET balance = balance + 1 WHERE id <= $mid" "$mid"
decode_range mid "follow noreport"
;;
esac

# --- The writers' cost.
case " $parts " in
*" writers "*)
sql_db bench "CREATE TABLE w_plain (
	id INT PRIMARY KEY,
	login VARCHAR(32) NOT NULL,
	password VARCHAR(64) NOT NULL,
	updated INT NOT NULL,
	KEY (login))"
sql_db bench "CREATE TABLE w_trig LIKE w_plain"
for _t in w_plain w_trig; do
	sql_db bench "INSERT INTO $_t SELECT seq, CONCAT('user', seq), 'hash0',
	    0 FROM seq_1_to_$writes"
	sql_db bench <<EOF
DELIMITER //
CREATE PROCEDURE upd_$_t(n INT)
BEGIN
	DECLARE i INT DEFAULT 1;
	WHILE i <= n DO
		UPDATE $_t SET password = CONCAT('hash', i), updated = updated + 1
		    WHERE id = i;
		SET i = i + 1;
	END WHILE;
END//
EOF
done
"$W/bin/dbsyscheck" -c "$W/triggers.conf" triggers bench.w_trig \
    >"$W/triggers.sql" 2>"$W/err.triggers" ||
    fail "dbsyscheck triggers: $(cat "$W/err.triggers")"
sql <"$W/triggers.sql"
printf 'w\trows\t%s\nw\tlagmax\t%s\nw\tpin\t%s\n' "$writes" "$lagmax" \
    "$pin" >>"$facts"

# The reader's command prefix: on the second core with BENCH_PIN=1
# (taskset runs the command in its own process: its pid is the reader's).
reader_core=
[ "$pin" = 0 ] || reader_core="taskset -c 1"

# pin_server: BENCH_PIN=1, before a phase: every thread of the server on
# the second core (the writer's alone goes to the first: pin_writer).
pin_server()
{
	[ "$pin" = 1 ] || return 0
	taskset -apc 1 "$db_pid" >/dev/null || fail "taskset failed"
}

# writer_call SQL: run SQL in the writer's session, its last line of
# output in $_us; with BENCH_PIN=1 the session's server thread is moved
# to the first core while the session sleeps, before SQL starts.
writer_call()
{
	if [ "$pin" = 0 ]; then
		_us=$(_sql_run -D bench -e "$1") ||
		    fail "the writers' CALL failed"
		return 0
	fi
	_sql_run -D bench -e "DO SLEEP(1.5); $1" >"$W/writer.out" &
	_wc_pid=$!
	_wc_i=0
	_wc_t=
	while [ -z "$_wc_t" ] && [ "$_wc_i" -lt 25 ]; do
		_wc_t=$(_sql_run -e "SELECT THREAD_OS_ID FROM
		    performance_schema.threads WHERE PROCESSLIST_INFO =
		    'DO SLEEP(1.5)'")
		_wc_i=$((_wc_i + 1))
		[ -n "$_wc_t" ] || sleep 0.05
	done
	[ -n "$_wc_t" ] || fail "the writer's thread was not found"
	taskset -pc 0 "$_wc_t" >/dev/null || fail "taskset failed"
	wait "$_wc_pid" || fail "the writers' CALL failed"
	_us=$(tail -n 1 "$W/writer.out")
}

# phase VARIANT ROUND: one timed CALL, its time in the server.
phase()
{
	_p_t=w_plain
	[ "$1" != triggers ] || _p_t=w_trig
	sync
	pin_server
	settle
	quiet
	_c0=$(machine_ticks)
	_s0=$(server_ticks)
	p_start=$(date +%s%N)
	writer_call "SET @t0 = SYSDATE(6); CALL upd_$_p_t($writes);
	    SELECT TIMESTAMPDIFF(MICROSECOND, @t0, SYSDATE(6))"
	_s1=$(server_ticks)
	_c1=$(machine_ticks)
	p_end=$(date +%s%N)
	printf '%s\t%s\t%s\t%s\t-\t-\t%s\t%s\t' w "$1" "$2" \
	    "$(awk -v u="$_us" 'BEGIN { printf "%.3f", u / 1e6 }')" \
	    "$(awk -v t=$((_s1 - _s0)) -v k="$tck" \
	    'BEGIN { printf "%.2f", t / k }')" \
	    "$(awk -v t=$((_c1 - _c0 - _s1 + _s0)) -v k="$tck" \
	    'BEGIN { printf "%.2f", (t < 0 ? 0 : t) / k }')" >>"$raw"
}

# The records follow -f has written to its log so far.
flog_count()
{
	grep -c ' op=update table=bench.w_plain ' "$W/follow.log" \
	    2>/dev/null || true
}

w_r=1
set -- none follow triggers floor reader
while [ "$w_r" -le "$wreps" ]; do
	echo "bench: writers: round $w_r of $wreps" >&2
	for w_v in "$@"; do
		if [ "$w_v" = follow ] || [ "$w_v" = reader ]; then
			_wc=writers
			[ "$w_v" = follow ] || _wc=wreader
			rm -f "$W/w.db" "$W/wr.db" "$W/writers.key" \
			    "$W/wreader.key" "$W/follow.log"
			$reader_core "$W/bin/dbsyscheck" -c "$W/$_wc.conf" \
			    --no-report --log "$W/follow.log" follow -f \
			    >/dev/null 2>"$W/err.follow" &
			w_pid=$!
			bg_track "$w_pid"
			# Caught up: its op=start logged, the dump connected.
			_i=0
			until grep -q 'op=start' "$W/follow.log" 2>/dev/null &&
			    [ "$(_sql_run -e "SELECT COUNT(*) FROM
			    information_schema.PROCESSLIST WHERE COMMAND LIKE
			    'Binlog Dump%'")" = 1 ]; do
				_i=$((_i + 1))
				[ "$_i" -lt 300 ] || fail "follow -f did not start"
				sleep 0.1
			done
		fi
		if [ "$w_v" = floor ]; then
			_fp=$(master_pos)
			$reader_core "$W/bin/binlog_floor" -f "$W/my.cnf" \
			    "${_fp%%:*}" "${_fp##*:}" "$sid" >/dev/null \
			    2>"$W/err.floor" &
			w_pid=$!
			bg_track "$w_pid"
			_i=0
			until [ "$(_sql_run -e "SELECT COUNT(*) FROM
			    information_schema.PROCESSLIST WHERE COMMAND LIKE
			    'Binlog Dump%'")" = 1 ]; do
				_i=$((_i + 1))
				[ "$_i" -lt 300 ] ||
				    fail "binlog_floor -f did not start"
				sleep 0.1
			done
		fi
		phase "$w_v" "$w_r"
		if [ "$w_v" = floor ]; then
			_alive "$w_pid" ||
			    fail "binlog_floor -f: $(cat "$W/err.floor")"
			bg_kill "$w_pid"
		fi
		if [ "$w_v" = follow ]; then
			# Let it catch up, for BENCH_LAGMAX seconds at most.
			_i=0
			while [ "$(flog_count)" != "$writes" ] &&
			    [ "$_i" -lt $((20 * lagmax)) ]; do
				_i=$((_i + 1))
				sleep 0.05
			done
			_t=$(date +%s%N)
			_got=$(flog_count)
			kill -TERM "$w_pid"
			wait "$w_pid" || [ $? = 1 ] ||
			    fail "follow -f: $(cat "$W/err.follow")"
			bg_kill "$w_pid"
			# lag: after the last UPDATE until it had logged
			# every record ("-" past BENCH_LAGMAX); rate: its
			# records a second from the phase's start.
			awk -v g="$_got" -v n="$writes" -v t0="$p_start" \
			    -v t1="$p_end" -v t="$_t" 'BEGIN {
				printf "%s\t%.0f\n", (g == n ?
				    sprintf("%.2f", (t - t1) / 1e9) : "-"),
				    g / ((t - t0) / 1e9)
			}' >>"$raw"
		else
			printf -- '-\t-\n' >>"$raw"
		fi
		if [ "$w_v" = reader ]; then
			kill -TERM "$w_pid"
			wait "$w_pid" || [ $? = 1 ] ||
			    fail "follow -f: $(cat "$W/err.follow")"
			bg_kill "$w_pid"
		fi
		tail -n 1 "$raw" >&2
	done
	_f=$1
	shift
	set -- "$@" "$_f"
	w_r=$((w_r + 1))
done
# The triggers wrote their records; check before trusting.
_n=$(grep -c '^dbsyscheck: op=update table=bench.w_trig ' \
    "$DBSYSCHECK_UDF_LOG" 2>/dev/null || true)
[ "$_n" = $((writes * wreps)) ] ||
    fail "the triggers wrote $_n records, not $((writes * wreps))"
;;
esac

mkdir -p "$out"
{
	printf 'range\tvariant\trep\twall_s\tclient_cpu_s\tpeak_rss_kib\t'
	printf 'server_cpu_s\tother_cpu_s\textra\textra2\n'
	cat "$raw"
} >"$out/results-follow-raw.tsv"
cp "$facts" "$out/results-follow-facts.tsv"
report
echo "bench: results in $out/results-follow.md and" \
    "$out/results-follow.tsv" >&2

#!/bin/sh
# The reconciliation benchmark (make bench-reconcile; docs/PERFORMANCE.md,
# "Reconciliation", shows the figures): what reading the binary log
# between two snapshots and checking each change against it costs a scan.
#
# On a throwaway MariaDB of its own with a row-based binary log
# (--log-bin --binlog-format=ROW --binlog-row-image=FULL
# --binlog-row-metadata=FULL --server-id=1, CRC32 checksums), bench.users
# (issue 6's table and rows, bench/rows.sh) holds BENCH_ROWS (1,000,000)
# rows, inserted in transactions of 1,000, and bench.quiet the same shape
# with 1,000 rows. Four configurations, each with its own baseline file
# and key: bench.users with "reconcile yes" and with "reconcile no",
# bench.quiet likewise. Their first scans (state a) store the snapshot's
# position; then BENCH_CHANGES (100,000) rows of bench.users, spread evenly
# over the key range, are updated (balance) by BENCH_TXN (1,000) rows a
# transaction; a scan of each users configuration from state a gives state
# b, whose position is the end of the log. Then, BENCH_REPS (3) times, the
# order rotated each repetition, each scan from a copy of its state:
#   changed-yes   bench.users from state a, reconcile yes: the log's
#                 BENCH_CHANGES row events read, kept per key in the
#                 scratch file, and each of the scan's BENCH_CHANGES
#                 changes checked against them (no op=untraced expected);
#   changed-no    the same scan, reconcile no;
#   nochange-yes  bench.users from state b, reconcile yes: no change, an
#                 empty interval;
#   nochange-no   the same, reconcile no;
#   unwatched-yes bench.quiet from state a, reconcile yes: its rows
#                 unchanged, the interval holding bench.users'
#                 BENCH_CHANGES row events (read, checked, not decoded);
#   unwatched-no  the same, reconcile no.
# Every run's records are checked (the updates, no op=untraced, no
# op=error) and every "yes" run's status shows the interval checked.
#
# Environment:
#   BENCH_ROWS      rows of bench.users (1000000; at least 10000)
#   BENCH_CHANGES   rows updated between the two scans (100000; at most
#                   BENCH_ROWS)
#   BENCH_TXN       rows updated a transaction (1000)
#   BENCH_REPS      repetitions (3)
#   BENCH_OUT       directory for the results ($top_srcdir/bench)
#   BENCH_QUIET     seconds to wait for the machine to be 80% idle (10)
#   DBSC_KEEP=1     keep the work directory
# "sh bench/reconcile.sh --report" writes the tables again from the files
# of the last run. Needs dbsyscheck built (sh scripts/build.sh).

if [ -z "${top_srcdir:-}" ]; then
	top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
fi
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
. "$top_srcdir/tests/integration/setup"
. "$top_srcdir/bench/rows.sh"
. "$top_srcdir/bench/idle.sh"

rows=${BENCH_ROWS:-1000000}
changes=${BENCH_CHANGES:-100000}
txn=${BENCH_TXN:-1000}
reps=${BENCH_REPS:-3}
out=${BENCH_OUT:-$top_srcdir/bench}

for _v in "$rows" "$changes" "$txn" "$reps"; do
	case $_v in
	''|*[!0-9]*|0)	fail "BENCH_ROWS, BENCH_CHANGES, BENCH_TXN, \
BENCH_REPS: positive integers" ;;
	esac
done
[ "$rows" -ge 10000 ] || fail "BENCH_ROWS must be at least 10000"
[ "$changes" -le "$rows" ] || fail "BENCH_CHANGES must be at most BENCH_ROWS"
[ $((changes % txn)) = 0 ] ||
    fail "BENCH_CHANGES must be a multiple of BENCH_TXN"
# Every step-th row is updated: ids 1, 1 + step, ...
step=$((rows / changes))

# report: $out/results-reconcile-raw.tsv and -facts.tsv into
# $out/results-reconcile.tsv (medians) and $out/results-reconcile.md.
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
$1 == "variant" { next }
{
	k = $1
	if (!(k in wall)) order[++nk] = k
	wall[k] = wall[k] " " $3; cpu[k] = cpu[k] " " $4
	rss[k] = rss[k] " " $5; srv[k] = srv[k] " " $6; oth[k] = oth[k] " " $7
	n[k]++
}
END {
	print "variant", "reps", "wall_s", "wall_min_s", "wall_max_s",
	    "client_cpu_s", "peak_rss_kib", "peak_rss_max_kib", "server_cpu_s",
	    "other_cpu_s"
	for (i = 1; i <= nk; i++) {
		k = order[i]
		print k, n[k], median(wall[k]), lo(wall[k]), hi(wall[k]),
		    median(cpu[k]), median(rss[k]), hi(rss[k]), median(srv[k]),
		    median(oth[k])
	}
}' "$out/results-reconcile-raw.tsv" >"$out/results-reconcile.tsv.new"

awk -F '\t' "$awk_median"'
FILENAME == ARGV[1] { fact[$1] = $2; next }
FILENAME == ARGV[2] {
	if (FNR == 1) next
	k = $1
	have[k] = 1; nrep[k] = $2; wall[k] = $3; wmin[k] = $4; wmax[k] = $5
	cpu[k] = $6; rss[k] = $7; rssmax[k] = $8; srv[k] = $9; oth[k] = $10
	next
}
FNR > 1 {
	rw[$1, $2] = $3; rc[$1, $2] = $4
	if ($2 > maxrep) maxrep = $2
}
function f(x, d) { return sprintf("%." d "f", x) }
function label(v) {
	if (v == "changed-yes") return "changes, reconcile yes"
	if (v == "changed-no") return "changes, reconcile no"
	if (v == "nochange-yes") return "no change, reconcile yes"
	if (v == "nochange-no") return "no change, reconcile no"
	if (v == "unwatched-yes") return "bench.quiet, reconcile yes"
	if (v == "unwatched-no") return "bench.quiet, reconcile no"
	return v
}
# The median over the repetitions of x[a] / x[b] (or x[a] - x[b]) within
# each repetition, of wall time (rw) or client CPU (rc).
function paired(a, b, diff, cpuw,    i, l, x, y) {
	l = ""
	for (i = 1; i <= maxrep; i++) {
		if (!((a, i) in rw) || !((b, i) in rw))
			continue
		x = cpuw ? rc[a, i] : rw[a, i]
		y = cpuw ? rc[b, i] : rw[b, i]
		if (diff)
			l = l " " (x - y)
		else if (y > 0)
			l = l " " x / y
	}
	return l == "" ? "" : l
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
function cmp(what, a, b, per,    r, d, c) {
	if (!have[a] || !have[b]) {
		printf "| %s | not measured | | | |\n", what
		return
	}
	r = paired(a, b, 0, 0)
	d = paired(a, b, 1, 0)
	c = paired(a, b, 1, 1)
	printf "| %s | %s x [%s-%s] | %s s | %s s | %s |\n", what,
	    f(median(r), 2), f(lo(r), 2), f(hi(r), 2), f(median(d), 2),
	    f(median(c), 2),
	    (per > 0 ? f(median(d) * 1e6 / per, 1) " us" : "-")
}
END {
	print "# Reconciliation benchmark results"
	print ""
	wrap(sprintf("Written by bench/reconcile.sh (make bench-reconcile) " \
	    "on %s: %s, %d cores (a shared virtual machine); MariaDB %s; " \
	    "dbsyscheck %s. The server: --log-bin --binlog-format=ROW " \
	    "--binlog-row-image=FULL --binlog-row-metadata=FULL " \
	    "--server-id=1, binlog_checksum CRC32, " \
	    "innodb_flush_log_at_trx_commit=2, a 1 GiB buffer pool. " \
	    "bench.users: %d rows (%.1f MiB baseline file); between the " \
	    "two scans %d of them (every %d-th) updated, %d rows a " \
	    "transaction: %d transactions, %.1f MiB of binary log " \
	    "(%d events). bench.quiet: %d rows, unchanged. Wall times are " \
	    "medians of %d interleaved repetitions, each scan from a copy " \
	    "of its baseline. Client CPU and peak RSS: GNU time; server " \
	    "CPU: the server process; other load: what the rest of the " \
	    "machine used meanwhile (the noise).",
	    fact["when"], fact["cpu"], fact["ncpu"], fact["server"],
	    fact["revision"], fact["rows"], fact["baseline_bytes"] / 1048576,
	    fact["changes"], fact["step"], fact["txn"],
	    fact["changes"] / fact["txn"], fact["log_bytes"] / 1048576,
	    fact["log_events"], fact["quiet_rows"], nrep["changed-yes"]))
	print ""
	print "| scan | wall s | min-max s | client CPU s | " \
	    "client peak RSS MiB | server CPU s | other load CPU s |"
	print "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	split("changed-no changed-yes nochange-no nochange-yes " \
	    "unwatched-no unwatched-yes", v, " ")
	for (i = 1; i in v; i++) {
		k = v[i]
		if (!have[k]) continue
		printf "| %s | %s | %s-%s | %s | %s | %s | %s |\n", label(k),
		    f(wall[k], 2), f(wmin[k], 2), f(wmax[k], 2), f(cpu[k], 2),
		    f(rss[k] / 1024, 1), f(srv[k], 2), f(oth[k], 2)
	}
	print ""
	print "## What reconciliation adds"
	print ""
	wrap("Per repetition, the yes run against the no run of the same " \
	    "repetition; medians over the repetitions [lowest-highest] " \
	    "for the ratio.")
	print ""
	print "| interval | wall time yes / no | wall time added | " \
	    "client CPU added | per changed row |"
	print "| --- | ---: | ---: | ---: | ---: |"
	cmp(fact["changes"] " changed rows, " fact["changes"] \
	    " row events on the table", "changed-yes", "changed-no",
	    fact["changes"])
	cmp("no change, an empty interval", "nochange-yes", "nochange-no", 0)
	cmp(fact["changes"] " row events of another table, the " \
	    "table unchanged", "unwatched-yes", "unwatched-no", 0)
	print ""
	wrap(sprintf("Peak RSS, largest run: %s MiB with reconcile yes, " \
	    "%s MiB with reconcile no (the scratch file of net effects is " \
	    "a temporary SQLite file with a 4 MiB cache).",
	    f((rssmax["changed-yes"] > rssmax["nochange-yes"] ?
	    (rssmax["changed-yes"] > rssmax["unwatched-yes"] ?
	    rssmax["changed-yes"] : rssmax["unwatched-yes"]) :
	    (rssmax["nochange-yes"] > rssmax["unwatched-yes"] ?
	    rssmax["nochange-yes"] : rssmax["unwatched-yes"])) / 1024, 1),
	    f((rssmax["changed-no"] > rssmax["nochange-no"] ?
	    (rssmax["changed-no"] > rssmax["unwatched-no"] ?
	    rssmax["changed-no"] : rssmax["unwatched-no"]) :
	    (rssmax["nochange-no"] > rssmax["unwatched-no"] ?
	    rssmax["nochange-no"] : rssmax["unwatched-no"])) / 1024, 1)))
}' "$out/results-reconcile-facts.tsv" "$out/results-reconcile.tsv.new" \
    "$out/results-reconcile-raw.tsv" >"$out/results-reconcile.md.new"

mv "$out/results-reconcile.tsv.new" "$out/results-reconcile.tsv"
mv "$out/results-reconcile.md.new" "$out/results-reconcile.md"
cat "$out/results-reconcile.md"
}

if [ "${1:-}" = --report ]; then
	report
	exit 0
fi

[ -x /usr/bin/time ] || fail "GNU time (/usr/bin/time) is not installed"
command -v mariadb-binlog >/dev/null 2>&1 || fail "no mariadb-binlog"
[ -x "$top_builddir/dbsyscheck" ] ||
    fail "$top_builddir/dbsyscheck is not built: run sh scripts/build.sh"
# A copy, so that a rebuild during the run does not change what is measured.
mkdir -p "$W/bin"
cp "$top_builddir/dbsyscheck" "$W/bin/"
tck=$(getconf CLK_TCK)
ncpu=$(nproc)
raw=$W/raw.tsv
facts=$W/facts.tsv
: >"$raw"

(umask 077 && cat >"$W/my.cnf") <<EOF
[client]
socket=$W/sock
user=root
EOF
chmod 0600 "$W/my.cnf"
# conf NAME TABLE RECONCILE
conf()
{
	{
		echo "baseline $W/$1.db"
		echo "key $W/$1.key"
		echo "mysql-defaults-file $W/my.cnf"
		echo "mysql-group client"
		echo "reconcile $3"
		echo "table $2"
	} | (umask 077 && cat >"$W/$1.conf")
	chmod 0600 "$W/$1.conf"
}
conf yes bench.users yes
conf no bench.users no
conf qyes bench.quiet yes
conf qno bench.quiet no

db_start --log-bin="$W/binlog" --binlog-format=ROW --server-id=1 \
    --binlog-row-image=FULL --binlog-row-metadata=FULL \
    --binlog-checksum=CRC32 --max-binlog-size=1G \
    --innodb-buffer-pool-size=1G --innodb-log-file-size=512M \
    --max-allowed-packet=64M

# measure VARIANT REP EXPECTED-EXIT COMMAND...: one timed run, its
# standard output to $W/out.VARIANT, appended to $raw as: variant rep
# wall_s client_cpu_s peak_rss_kib server_cpu_s other_cpu_s.
measure()
{
	_var=$1 _rep=$2 _ok=$3
	shift 3
	sync
	settle
	quiet
	_s0=$(server_ticks)
	_c0=$(machine_ticks)
	_t0=$(date +%s%N)
	_rc=0
	/usr/bin/time -f '%U %S %M' -o "$W/time.out" "$@" >"$W/out.$_var" \
	    2>"$W/err.$_var" || _rc=$?
	_t1=$(date +%s%N)
	_c1=$(machine_ticks)
	_s1=$(server_ticks)
	[ "$_rc" = "$_ok" ] || {
		cat "$W/err.$_var" >&2
		fail "$_var: exit $_rc (expected $_ok)"
	}
	tail -n 1 "$W/time.out" | awk -v var="$_var" -v rep="$_rep" \
	    -v ns=$((_t1 - _t0)) -v st=$((_s1 - _s0)) -v tck="$tck" \
	    -v mt=$((_c1 - _c0)) 'BEGIN { OFS = "\t" } {
		o = mt / tck - st / tck - $1 - $2
		print var, rep, sprintf("%.3f", ns / 1e9),
		    sprintf("%.2f", $1 + $2), $3, sprintf("%.2f", st / tck),
		    sprintf("%.2f", o < 0 ? 0 : o)
	}' >>"$raw"
	tail -n 1 "$raw" >&2
}

# scan CONF EXPECTED-EXIT: an untimed scan (the states), output checked
# by the caller in $W/out.setup.
scan()
{
	_sc_rc=0
	"$W/bin/dbsyscheck" -c "$W/$1.conf" --max-bytes 0 scan \
	    >"$W/out.setup" 2>"$W/err.setup" || _sc_rc=$?
	[ "$_sc_rc" = "$2" ] ||
	    fail "scan $1: exit $_sc_rc (expected $2): $(cat "$W/err.setup")"
}

# count OP FILE: the records of OP in FILE.
count()
{
	grep -c "^dbsyscheck: op=$1 " "$2" || true
}

# check VARIANT UPDATES: the run's records: UPDATES op=update, no
# op=untraced, no op=error; a "yes" run's status names the interval it
# checked, with no op=untraced.
check()
{
	_ck_o=$W/out.$1
	[ "$(count update "$_ck_o")" = "$2" ] ||
	    fail "$1: $(count update "$_ck_o") op=update records, not $2"
	[ "$(count untraced "$_ck_o")" = 0 ] ||
	    fail "$1: op=untraced: $(grep -m 3 op=untraced "$_ck_o")"
	[ "$(count error "$_ck_o")" = 0 ] ||
	    fail "$1: op=error: $(grep -m 3 op=error "$_ck_o")"
	case $1 in
	*-yes)
		_ck_c=yes
		[ "${1%-yes}" != unwatched ] || _ck_c=qyes
		"$W/bin/dbsyscheck" -c "$W/$_ck_c.conf" status \
		    >"$W/status.$1" 2>&1 || fail "status: $(cat "$W/status.$1")"
		grep '^reconcile bench\.[a-z]* from=.* untraced=0' \
		    "$W/status.$1" | grep -q -v ' msg=' ||
		    fail "$1: no interval checked: $(cat "$W/status.$1")"
		;;
	esac
}

sql "CREATE DATABASE bench"
sql_db bench "CREATE TABLE users (
	id INT PRIMARY KEY,
	login VARCHAR(64),
	password CHAR(60),
	email VARCHAR(255),
	created DATETIME,
	balance DECIMAL(12,2),
	notes TEXT NULL) ENGINE=InnoDB"
sql_db bench "CREATE TABLE quiet LIKE users"
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
CREATE PROCEDURE upd(n INT, t INT, step INT)
BEGIN
	DECLARE b INT DEFAULT 0;
	WHILE b < n DO
		UPDATE users SET balance = balance + 1
		    WHERE id BETWEEN b * step + 1 AND (b + t) * step
		    AND (id - 1) % step = 0;
		SET b = b + t;
	END WHILE;
END//
EOF

echo "bench: inserting $rows rows into bench.users" >&2
sql_db bench "CALL fill($rows)"
sql_db bench "DELETE FROM users WHERE id > $rows"
sql_db bench "INSERT INTO quiet $(row_sql seq) FROM seq_1_to_1000"

{
	printf 'server\t%s\n' "$(mariadbd --version | sed 's/^mariadbd *//')"
	printf 'cpu\t%s\n' "$(awk -F ': ' '/^model name/ { print $2; exit }' \
	    /proc/cpuinfo)"
	printf 'ncpu\t%s\n' "$ncpu"
	printf 'when\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
	printf 'revision\t%s\n' "$(cd "$top_srcdir" &&
	    git describe --always --dirty 2>/dev/null || echo unknown)"
	printf 'rows\t%s\nchanges\t%s\ntxn\t%s\nstep\t%s\nquiet_rows\t1000\n' \
	    "$rows" "$changes" "$txn" "$step"
} >"$facts"

# State a: the first scans store the snapshot's position.
echo "bench: first scans" >&2
for _c in yes no qyes qno; do
	scan "$_c" 1
	grep -q '^dbsyscheck: op=baseline ' "$W/out.setup" ||
	    fail "first scan $_c: no op=baseline"
	cp "$W/$_c.db" "$W/$_c.a.db"
done
printf 'baseline_bytes\t%s\n' "$(wc -c <"$W/yes.a.db")" >>"$facts"

echo "bench: updating $changes rows, $txn a transaction" >&2
_p0=$(master_pos)
sql_db bench "CALL upd($changes, $txn, $step)"
_p1=$(master_pos)
[ "${_p0%%:*}" = "${_p1%%:*}" ] || fail "the changes span two log files"
_n=$(mariadb-binlog --no-defaults --socket="$W/sock" -uroot \
    --read-from-remote-server --start-position="${_p0##*:}" \
    --stop-position="${_p1##*:}" "${_p0%%:*}" |
    grep -c '^#[0-9].* end_log_pos ') || fail "mariadb-binlog failed"
printf 'log_bytes\t%s\nlog_events\t%s\n' $((${_p1##*:} - ${_p0##*:})) \
    "$_n" >>"$facts"

# State b: the changes scanned, the position at the end of the log.
echo "bench: scans of the changes" >&2
for _c in yes no; do
	scan "$_c" 1
	[ "$(count update "$W/out.setup")" = "$changes" ] ||
	    fail "scan $_c: $(count update "$W/out.setup") updates"
	[ "$(count untraced "$W/out.setup")" = 0 ] ||
	    fail "scan $_c: $(grep -m 3 op=untraced "$W/out.setup")"
	cp "$W/$_c.db" "$W/$_c.b.db"
done

run_variant()
{
	# run_variant VARIANT REP
	case $1 in
	changed-*)	_rv_s=a _rv_x=1 _rv_n=$changes ;;
	nochange-*)	_rv_s=b _rv_x=0 _rv_n=0 ;;
	unwatched-*)	_rv_s=a _rv_x=0 _rv_n=0 ;;
	esac
	_rv_c=${1#*-}
	[ "${1%-*}" != unwatched ] || _rv_c=q$_rv_c
	cp "$W/$_rv_c.$_rv_s.db" "$W/$_rv_c.db"
	measure "$1" "$2" "$_rv_x" "$W/bin/dbsyscheck" -c "$W/$_rv_c.conf" \
	    --max-bytes 0 scan
	check "$1" "$_rv_n"
}

set -- changed-yes changed-no nochange-yes nochange-no unwatched-yes \
    unwatched-no
_r=1
while [ "$_r" -le "$reps" ]; do
	echo "bench: repetition $_r of $reps" >&2
	for _v in "$@"; do
		run_variant "$_v" "$_r"
	done
	_f=$1
	shift
	set -- "$@" "$_f"
	_r=$((_r + 1))
done

mkdir -p "$out"
{
	printf 'variant\trep\twall_s\tclient_cpu_s\tpeak_rss_kib\t'
	printf 'server_cpu_s\tother_cpu_s\n'
	cat "$raw"
} >"$out/results-reconcile-raw.tsv"
cp "$facts" "$out/results-reconcile-facts.tsv"
report
echo "bench: results in $out/results-reconcile.md and" \
    "$out/results-reconcile.tsv" >&2

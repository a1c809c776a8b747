#!/bin/sh
# binlog.c against a live server (tests/binlog_events prints what it reads):
# event groups, rotation, both checksum settings, compression, the stop of
# a waiting read, and each refusal named by its cause.
. "$(dirname "$0")/setup"

ev="$top_builddir/tests/binlog_events"
[ -x "$ev" ] || fail "$ev is not built (make check builds it)"

# ev_end [CNF]: the current end of the log, "FILE:POS GTID", in $end.
ev_end()
{
	_out=$(timeout 60 "$ev" "${1:-$W/my.cnf}" client end) ||
	    fail "binlog_events end: $_out"
	case $_out in
	"end "*) ;;
	*) fail "binlog_events end: $_out" ;;
	esac
	end=${_out#end }
	endpos=${end% *}
}

# ev_read FILE POS [block] / ev_read_as CNF FILE POS: the events in $W/ev,
# the exit status in $rc.
ev_read_as()
{
	rc=0
	timeout 60 "$ev" "$@" >"$W/ev" 2>"$W/ev.err" || rc=$?
	[ "$rc" -ne 124 ] || fail "binlog_events $* hung"
	sed 's/^/  ev| /' "$W/ev"
}
ev_read()
{
	_cnf=$W/my.cnf
	ev_read_as "$_cnf" client read "$@"
}

# ev_shape: the events without positions and lengths, and without the
# statements' texts (annotate: checked on their own below).
ev_shape()
{
	sed -e '/^annotate /d' -e 's/ next=[^ ]*//' -e 's/ len=[0-9]*//' \
	    -e 's/ tid=[0-9]*//' "$W/ev"
}

# expect_shape <<EOF: ev_shape is exactly this.
expect_shape()
{
	cat >"$W/expected"
	ev_shape >"$W/shape"
	if ! cmp -s "$W/expected" "$W/shape"; then
		diff -u "$W/expected" "$W/shape" >&2 || true
		fail "unexpected events"
	fi
}

# expect_ev_err TEXT: the read failed naming TEXT.
expect_ev_err()
{
	[ "$rc" = 2 ] || fail "binlog_events exited $rc, expected 2"
	grep -F -q -e "error: " "$W/ev" || fail "no error printed"
	grep -F -i -q -e "$1" "$W/ev" || fail "the error does not name '$1'"
}

# upto_end WHAT: the last event read is in the file where the log ends,
# at or before its end (after a rotation the server may add a checkpoint
# event of its own after the last commit).
upto_end()
{
	_ln=$(last_next)
	[ "${_ln%:*}" = "${endpos%:*}" ] && [ "${_ln#*:}" -le "${endpos#*:}" ] ||
	    fail "$1: the last event ends at $_ln, the log at $endpos"
}

# last_next: the next= of the last event read.
last_next()
{
	grep ' next=' "$W/ev" | tail -n 1 | sed 's/.* next=\([^ ]*\).*/\1/'
}

db_start --log-bin="$W/binlog" --binlog-format=ROW --server-id=1 \
    --binlog-row-metadata=FULL
dbsc_conf
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(400))
	ENGINE=InnoDB"
sql_db acme "CREATE TABLE m (id INT PRIMARY KEY, v VARCHAR(20))
	ENGINE=MyISAM"
ev_end
start=$endpos
sfile=${start%:*}
spos=${start#*:}

# Autocommit statements, a transaction of three, a rollback (nothing in
# the log), a non-transactional table (its group ends with a COMMIT query,
# which carries the connection id) and a DDL statement (a standalone
# group: BEGIN, the query, a COMMIT made by binlog.c).
sql_db acme "INSERT INTO t VALUES (1, 'a')"
sql_db acme "UPDATE t SET v = 'b' WHERE id = 1"
sql_db acme "DELETE FROM t WHERE id = 1"
sql_db acme "BEGIN; INSERT INTO t VALUES (2, 'b');
	UPDATE t SET v = 'c' WHERE id = 2; DELETE FROM t WHERE id = 2; COMMIT"
sql_db acme "BEGIN; INSERT INTO t VALUES (3, 'x'); ROLLBACK"
sql_db acme "INSERT INTO m VALUES (1, 'a')"
sql_db acme "TRUNCATE t"
ev_end
ev_read "$sfile" "$spos"
[ "$rc" = 0 ] || fail "read failed: $(cat "$W/ev")"
expect_shape <<EOF
begin raw=162 gtid=0-1-4 thread=-
table_map raw=19 gtid=0-1-4 thread=-
rows raw=23 gtid=0-1-4 thread=-
commit raw=16 gtid=0-1-4 thread=-
begin raw=162 gtid=0-1-5 thread=-
table_map raw=19 gtid=0-1-5 thread=-
rows raw=24 gtid=0-1-5 thread=-
commit raw=16 gtid=0-1-5 thread=-
begin raw=162 gtid=0-1-6 thread=-
table_map raw=19 gtid=0-1-6 thread=-
rows raw=25 gtid=0-1-6 thread=-
commit raw=16 gtid=0-1-6 thread=-
begin raw=162 gtid=0-1-7 thread=-
table_map raw=19 gtid=0-1-7 thread=-
rows raw=23 gtid=0-1-7 thread=-
table_map raw=19 gtid=0-1-7 thread=-
rows raw=24 gtid=0-1-7 thread=-
table_map raw=19 gtid=0-1-7 thread=-
rows raw=25 gtid=0-1-7 thread=-
commit raw=16 gtid=0-1-7 thread=-
begin raw=162 gtid=0-1-8 thread=-
table_map raw=19 gtid=0-1-8 thread=-
rows raw=23 gtid=0-1-8 thread=-
commit raw=2 gtid=0-1-8 thread=set
begin raw=162 gtid=0-1-9 thread=-
query raw=2 gtid=0-1-9 thread=set db=acme stmt=TRUNCATE t
commit raw=2 gtid=0-1-9 thread=set
eof
EOF
# Each statement's text before its row events (Annotate_rows), byte for
# byte, for the audit log's (follow's by=); none for a rolled-back one.
grep '^annotate ' "$W/ev" | sed -e 's/ next=[^ ]*//' -e 's/ len=[0-9]*//' \
    >"$W/ann"
cat >"$W/want" <<'EOF'
annotate raw=160 gtid=0-1-4 thread=- stmt=INSERT INTO t VALUES (1, 'a')
annotate raw=160 gtid=0-1-5 thread=- stmt=UPDATE t SET v = 'b' WHERE id = 1
annotate raw=160 gtid=0-1-6 thread=- stmt=DELETE FROM t WHERE id = 1
annotate raw=160 gtid=0-1-7 thread=- stmt=INSERT INTO t VALUES (2, 'b')
annotate raw=160 gtid=0-1-7 thread=- stmt=UPDATE t SET v = 'c' WHERE id = 2
annotate raw=160 gtid=0-1-7 thread=- stmt=DELETE FROM t WHERE id = 2
annotate raw=160 gtid=0-1-8 thread=- stmt=INSERT INTO m VALUES (1, 'a')
EOF
diff -u "$W/want" "$W/ann" || fail "statement texts (annotate)"
[ "$(last_next)" = "$endpos" ] ||
    fail "the last commit ends at $(last_next), the log at $endpos"
[ "${end#* }" = 0-1-9 ] || fail "gtid_binlog_pos: ${end#* }"

# Starting inside a file (after the first group): the same from there on.
second=$(grep -v '^annotate ' "$W/ev" | sed -n 4p |
    sed 's/.* next=\([^ ]*\).*/\1/')
ev_read "${second%:*}" "${second#*:}"
[ "$rc" = 0 ] || fail "read from $second failed"
[ "$(sed -n 1p "$W/ev" | cut -d ' ' -f 1,3)" = "begin gtid=0-1-5" ] ||
    fail "reading from $second does not start with group 0-1-5"

# A rotation between two reads, and read across it.
sql "FLUSH BINARY LOGS"
sql_db acme "INSERT INTO t VALUES (10, 'after flush')"
ev_end
case $endpos in binlog.000002:*) ;; *) fail "no rotation: $endpos" ;; esac
ev_read "$sfile" "$spos"
[ "$rc" = 0 ] || fail "read across a rotation failed"
upto_end "across a rotation"
grep -q "^commit raw=16 gtid=0-1-10 .* next=binlog.000002:" "$W/ev" ||
    fail "the commit after the rotation is not in binlog.000002"

# binlog_checksum NONE (the server rotates): a read across both kinds of
# file, and one that starts in a file without checksums.
sql "SET GLOBAL binlog_checksum = NONE"
sql_db acme "INSERT INTO t VALUES (11, 'no checksum')"
ev_end
nfile=${endpos%:*}
ev_read "$sfile" "$spos"
[ "$rc" = 0 ] || fail "read across CRC32 and NONE failed"
upto_end "with NONE"
ev_read "$nfile" 4
[ "$rc" = 0 ] || fail "read of a file without checksums failed"
expect_shape <<EOF
begin raw=162 gtid=0-1-11 thread=-
table_map raw=19 gtid=0-1-11 thread=-
rows raw=23 gtid=0-1-11 thread=-
commit raw=16 gtid=0-1-11 thread=-
eof
EOF
sql "SET GLOBAL binlog_checksum = CRC32"
sql_db acme "INSERT INTO t VALUES (12, 'checksum again')"
ev_end
ev_read "$nfile" 4
[ "$rc" = 0 ] || fail "read from NONE into CRC32 failed"
upto_end "back to CRC32"

# A waiting read (BINLOG_BLOCK) sees new events, follows a rotation made
# while it waits, and ends within a few seconds of a signal.
ev_end
"$ev" "$W/my.cnf" client read "${endpos%:*}" "${endpos#*:}" block \
    >"$W/block" 2>"$W/block.err" &
bpid=$!
bg_track "$bpid"
sleep 1
sql_db acme "INSERT INTO t VALUES (20, 'while waiting')"
sql "FLUSH BINARY LOGS"
sql_db acme "INSERT INTO t VALUES (21, 'after a rotation')"
n=0
while [ "$(grep -c '^commit' "$W/block")" -lt 2 ]; do
	n=$((n + 1))
	[ "$n" -lt 100 ] || { cat "$W/block"; fail "the waiting read saw no commit"; }
	sleep 0.1
done
_alive "$bpid" || fail "the waiting read ended by itself"
kill -TERM "$bpid"
_wait_gone "$bpid" 30 || fail "the waiting read ignored the signal for 3 s"
wait "$bpid" || fail "the waiting read failed: $(cat "$W/block")"
sed 's/^/  block| /' "$W/block"
[ "$(tail -n 1 "$W/block")" = stopped ] || fail "the waiting read did not stop"
ev_end
tail -n 2 "$W/block" | grep -q "^commit .* next=${endpos%:*}:" ||
    fail "the waiting read did not follow the rotation to ${endpos%:*}"

# A lost connection: the dump thread killed under a waiting read (its
# own: connection ids grow, and the earlier read's may still be going).
before=$(_sql_run -e "SELECT MAX(ID) FROM information_schema.PROCESSLIST")
"$ev" "$W/my.cnf" client read "${endpos%:*}" "${endpos#*:}" block \
    >"$W/block" 2>"$W/block.err" &
bpid=$!
bg_track "$bpid"
n=0
while :; do
	dump=$(_sql_run -e "SELECT MAX(ID) FROM information_schema.PROCESSLIST
	    WHERE COMMAND = 'Binlog Dump' AND ID > $before")
	[ -z "$dump" ] || [ "$dump" = NULL ] || break
	n=$((n + 1))
	[ "$n" -lt 100 ] || fail "no dump thread"
	sleep 0.1
done
sql "KILL $dump"
_wait_gone "$bpid" 50 || fail "the read went on after its thread was killed"
rc=0
wait "$bpid" || rc=$?
sed 's/^/  lost| /' "$W/block"
[ "$rc" = 2 ] || fail "a lost connection: exit $rc"
grep -q "^error: .*lost connection" "$W/block" ||
    fail "a lost connection is not named"

# Compressed events (log_bin_compress): rows and a long statement, inflated
# where binlog.c inflates (statements) and left for binrow (rows).
db_stop
db_start --log-bin="$W/binlog" --binlog-format=ROW --server-id=1 \
    --binlog-row-metadata=FULL \
    --log-bin-compress=ON --log-bin-compress-min-len=10
ev_end
long=$(printf '%0300d' 7)
sql_db acme "INSERT INTO t VALUES (30, '$long')"
sql_db acme "CREATE TABLE long_name_for_a_compressed_statement (
	id INT PRIMARY KEY, a_column_with_a_long_name VARCHAR(20),
	another_column_with_a_long_name VARCHAR(20))"
cfile=${endpos%:*}
cpos=${endpos#*:}
ev_end
ev_read "$cfile" "$cpos"
[ "$rc" = 0 ] || fail "read of compressed events failed"
grep -q '^rows raw=166 ' "$W/ev" || fail "no compressed row event"
grep -q '^query raw=165 .* stmt=CREATE TABLE long_name_for_a_compressed_statement' \
    "$W/ev" || fail "the compressed statement is not inflated"
upto_end "compressed"
# Compressed row events without checksums: Connector/C 3.3 calls them
# malformed, so binlog_open refuses the settings, naming them.
sql "SET GLOBAL binlog_checksum = NONE"
ev_read_as "$W/my.cnf" client end
expect_ev_err "log_bin_compress is ON with binlog_checksum NONE"
sql "SET GLOBAL binlog_checksum = CRC32"

# Accounts: the follower's (sql/grant.sql's privileges) reads; one without
# REPLICATION SLAVE cannot read, one without BINLOG MONITOR cannot find the
# end of the log.
sql "CREATE USER 'follow'@'localhost' IDENTIFIED BY 'f-pw';
	GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'follow'@'localhost';
	CREATE USER 'noslave'@'localhost' IDENTIFIED BY 'n-pw';
	GRANT BINLOG MONITOR ON *.* TO 'noslave'@'localhost';
	CREATE USER 'nomon'@'localhost' IDENTIFIED BY 'm-pw';
	GRANT REPLICATION SLAVE ON *.* TO 'nomon'@'localhost'"
for u in follow:f-pw noslave:n-pw nomon:m-pw; do
	(umask 077 && printf '[client]\nsocket=%s\nuser=%s\npassword=%s\n' \
	    "$W/sock" "${u%%:*}" "${u#*:}" >"$W/${u%%:*}.cnf")
done
ev_end "$W/follow.cnf"
ev_read_as "$W/follow.cnf" client read "$cfile" "$cpos"
[ "$rc" = 0 ] || fail "the follower's account cannot read"
ev_read_as "$W/noslave.cnf" client read "$cfile" "$cpos"
expect_ev_err "privilege missing"
expect_ev_err "REPLICATION SLAVE"
ev_read_as "$W/nomon.cnf" client end
expect_ev_err "privilege missing: SHOW BINLOG STATUS needs BINLOG MONITOR"

# A position the server purged.
sql "FLUSH BINARY LOGS"
ev_end
sql "PURGE BINARY LOGS TO '${endpos%:*}'"
ev_read "$sfile" "$spos"
expect_ev_err "position purged"

# Settings a follower cannot work with.
sql "SET GLOBAL binlog_format = STATEMENT"
ev_read_as "$W/my.cnf" client end
expect_ev_err "binlog_format is STATEMENT, not ROW"
sql "SET GLOBAL binlog_format = ROW"
sql "SET GLOBAL binlog_row_image = MINIMAL"
ev_read_as "$W/my.cnf" client end
expect_ev_err "binlog_row_image is MINIMAL, not FULL"
sql "SET GLOBAL binlog_row_image = FULL"
ev_end

db_stop
db_start
ev_read_as "$W/my.cnf" client end
expect_ev_err "the binary log is off"

#!/bin/sh
# dbsyscheck follow and XA: a prepared transaction's rows are in the log
# in a group that XA PREPARE ends; XA COMMIT or XA ROLLBACK comes later,
# as a statement of its own, maybe after other runs or a restart. The
# rows are kept in the baseline until then: XA COMMIT gives them and an
# op=commit, XA ROLLBACK nothing; XA COMMIT ... ONE PHASE is an ordinary
# transaction. Never an error that stops following; follow -f and a
# SIGKILL between XA PREPARE and XA COMMIT lose nothing.
. "$(dirname "$0")/setup"

db_start_binlog
sql "CREATE DATABASE fx"
sql_db fx "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40))"
sql_db fx "CREATE TABLE u (id INT PRIMARY KEY, v VARCHAR(40))"
sql_db fx "INSERT INTO t VALUES (100, 'a'), (101, 'b')"
follow_account fx.t
follow_conf fx.t
follow_first

# xa_status N: status counts N prepared transactions with kept records.
xa_status()
{
	dbsc status
	expect_rc 0
	grep -Eq "^follow pos=[^ ]+ gtid=[^ ]+ stored=[^ ]+ xa-prepared=$1\$" \
	    "$W/out" || fail "status does not show xa-prepared=$1"
}

# Prepared and committed before a run: the rows, then op=commit.
sql_db fx "XA START 'a'; INSERT INTO t VALUES (1, 'x');
	UPDATE t SET v = 'y' WHERE id = 100; DELETE FROM t WHERE id = 101;
	INSERT INTO u VALUES (1, 'u'); XA END 'a'; XA PREPARE 'a'"
sql_db fx "XA COMMIT 'a'"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 1 1 1)
dbsyscheck: op=insert table=fx.t pk=id=1 changed=- src=binlog by=- ;
dbsyscheck: op=update table=fx.t pk=id=100 changed=v src=binlog by=- ;
dbsyscheck: op=delete table=fx.t pk=id=101 changed=- src=binlog by=- ;
$(commit_rec 3)
EOF
grep -q " pos=$(master_pos) src=binlog " "$W/out" ||
    fail "the op=commit is not at the XA COMMIT's end"
xa_status 0

# Prepared and rolled back: nothing, and nothing kept.
sql_db fx "XA START 'b'; INSERT INTO t VALUES (2, 'x'); XA END 'b';
	XA PREPARE 'b'"
sql_db fx "XA ROLLBACK 'b'"
dbsc follow
expect_rc 0
expect_empty
xa_status 0

# One phase: an ordinary transaction.
sql_db fx "XA START 'c'; INSERT INTO t VALUES (3, 'x'); XA END 'c';
	XA COMMIT 'c' ONE PHASE"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=fx.t pk=id=3 changed=- src=binlog by=- ;
$(commit_rec 1)
EOF

# A run between XA PREPARE and XA COMMIT: nothing yet, the rows kept
# (status says so); the run after the commit gives them. An xid with a
# branch qualifier, a format id and hostile bytes; two prepared at once,
# ended in the other order; one of only unwatched rows.
xid="X'00ff275c0a', 'br''q', 7"
sql_db fx "XA START $xid; INSERT INTO t VALUES (4, 'x'); XA END $xid;
	XA PREPARE $xid"
sql_db fx "XA START 'e'; INSERT INTO t VALUES (5, 'x'); XA END 'e';
	XA PREPARE 'e'"
sql_db fx "XA START 'f'; INSERT INTO u VALUES (5, 'x'); XA END 'f';
	XA PREPARE 'f'"
dbsc follow
expect_rc 0
expect_empty
xa_status 2
sql_db fx "XA COMMIT 'e'"
sql_db fx "XA COMMIT 'f'"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=fx.t pk=id=5 changed=- src=binlog by=- ;
$(commit_rec 1)
EOF
xa_status 1

# The server restarts with the transaction prepared; XA COMMIT after it.
db_restart
[ "$(sql "XA RECOVER" | wc -l)" = 1 ] ||
    fail "not one XA transaction to recover"
dbsc follow
expect_rc 0
expect_empty
sql "XA COMMIT $xid"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=fx.t pk=id=4 changed=- src=binlog by=- ;
$(commit_rec 1)
EOF
xa_status 0

# Prepared and ended within one run, the other way round.
sql_db fx "XA START 'g'; DELETE FROM t WHERE id = 5; XA END 'g';
	XA PREPARE 'g'"
sql_db fx "XA START 'h'; DELETE FROM t WHERE id = 4; XA END 'h';
	XA PREPARE 'h'"
sql_db fx "XA ROLLBACK 'g'"
sql_db fx "XA COMMIT 'h'"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 0 1)
dbsyscheck: op=delete table=fx.t pk=id=4 changed=- src=binlog by=- ;
$(commit_rec 1)
EOF

# follow -f: a prepared transaction prints nothing; killed (SIGKILL) with
# it prepared, the kept records survive for the bounded run after XA
# COMMIT; one prepared and committed while -f runs comes out at the commit.
wait_line()
{
	_wl_n=0
	while ! grep -q -F -e "$2" "$1" 2>/dev/null; do
		_wl_n=$((_wl_n + 1))
		[ "$_wl_n" -le 200 ] || fail "no '$2' in $(basename "$1") after 20 s"
		_alive "$bg" || fail "follow -f exited while waiting for '$2'"
		sleep 0.1
	done
}
dbsc_bg follow -f
sql_db fx "XA START 'j'; INSERT INTO t VALUES (6, 'x'); XA END 'j';
	XA PREPARE 'j'"
sql_db fx "INSERT INTO t VALUES (7, 'x')"
wait_line "$W/bg.out" "op=insert table=fx.t pk=id=7 "
! grep -q 'pk=id=6 ' "$W/bg.out" ||
    fail "follow -f printed a prepared transaction's row"
bg_kill "$bg"
sql_db fx "XA COMMIT 'j'"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=fx.t pk=id=6 changed=- src=binlog by=- ;
$(commit_rec 1)
EOF
dbsc_bg follow -f
sql_db fx "XA START 'k'; UPDATE t SET v = 'k' WHERE id = 6; XA END 'k';
	XA PREPARE 'k'"
sql_db fx "XA COMMIT 'k'"
wait_line "$W/bg.out" "op=update table=fx.t pk=id=6 changed=v "
wait_line "$W/bg.out" "op=commit rows=1 "
kill -TERM "$bg"
bg_wait "$bg"
[ "$st" = 1 ] || fail "follow -f exited $st on SIGTERM"

# reset without table names forgets the position and what was kept.
sql_db fx "XA START 'i'; DELETE FROM t WHERE id = 3; XA END 'i';
	XA PREPARE 'i'"
dbsc follow
expect_rc 0
xa_status 1
dbsc reset
dbsc status
grep -qx 'follow none' "$W/out" || fail "reset kept the follow position"
[ "$(sqlite3 "$W/baseline.db" 'SELECT count(*) FROM follow_xa')" = 0 ] ||
    fail "reset kept the prepared XA records"
sql_db fx "XA COMMIT 'i'"

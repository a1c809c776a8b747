#!/bin/sh
# dbsyscheck follow and rolled-back work that the binary log still holds
# (docs/BINLOG.md "Rolled back"): MariaDB logs the InnoDB rows of a
# transaction rolled back after it wrote a temporary table, with a
# ROLLBACK, and those of a ROLLBACK TO a savepoint in a transaction that
# wrote a non-transactional table, with SAVEPOINT and ROLLBACK TO: none
# of those rows is reported, and the rest of the transaction is. A
# rollback the follower cannot follow (a savepoint forgotten, a name
# outside ASCII in the transaction) keeps the rows and says so
# (op=error). (Cases from the seventh hostile review.)
. "$(dirname "$0")/setup"

db_start_binlog
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))
	ENGINE=InnoDB"
sql_db acme "CREATE TABLE m (id INT PRIMARY KEY, v VARCHAR(20))
	ENGINE=MyISAM"
sql_db acme "CREATE TABLE seq (n INT PRIMARY KEY) ENGINE=InnoDB"
sql_db acme "INSERT INTO seq VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)"
sql_db acme "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')"
follow_account acme.t acme.m
follow_conf "acme.t" "acme.m"
follow_first

# log_has TEXT: the binary log holds a statement TEXT (the server logged
# what this test relies on).
log_has()
{
	sql "SHOW BINLOG EVENTS" | grep -F -q -e "$1" ||
	    fail "the binary log holds no '$1': the server logs otherwise"
}

# A transaction rolled back after it wrote a temporary table: its InnoDB
# rows (1000 of them, and two single ones) and the ROLLBACK are logged.
sql_db acme "BEGIN; UPDATE t SET v = 'y' WHERE id = 1;
	CREATE TEMPORARY TABLE tt (a INT); INSERT INTO tt VALUES (1);
	INSERT INTO t SELECT 1000 + a.n * 100 + b.n * 10 + c.n, 'bulk'
	    FROM seq a, seq b, seq c;
	UPDATE t SET v = 'z' WHERE id = 2; ROLLBACK"
log_has "ROLLBACK"
dbsc follow
expect_rc 0
expect_empty

# Savepoints in a transaction that wrote a MyISAM table (its row is a
# group of its own): the rows after the savepoint rolled back to go, the
# savepoint stays (a second rollback to it), names in any case, quoted.
sql_db acme "BEGIN; UPDATE t SET v = 'q' WHERE id = 1;
	INSERT INTO m VALUES (1, 'm'); SAVEPOINT s;
	UPDATE t SET v = 'r' WHERE id = 2; SAVEPOINT \`Two\`;
	DELETE FROM t WHERE id = 3; ROLLBACK TO SAVEPOINT S;
	INSERT INTO t VALUES (5, 'e'); ROLLBACK WORK TO s;
	UPDATE t SET v = 'w' WHERE id = 4; COMMIT"
log_has "ROLLBACK TO \`s\`"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 1 2 0)
dbsyscheck: op=insert table=acme.m pk=id=1 changed=- src=binlog by=- ;
$(commit_rec 1)
dbsyscheck: op=update table=acme.t pk=id=1 changed=v src=binlog by=- ;
dbsyscheck: op=update table=acme.t pk=id=4 changed=v src=binlog by=- ;
$(commit_rec 2)
EOF

# A savepoint set again moves; RELEASE forgets it and those after it;
# a rollback to the first one drops all the transaction's rows, and its
# op=commit.
sql_db acme "BEGIN; INSERT INTO m VALUES (2, 'm'); SAVEPOINT a;
	UPDATE t SET v = 'a1' WHERE id = 1; SAVEPOINT b;
	UPDATE t SET v = 'b1' WHERE id = 2; SAVEPOINT b;
	UPDATE t SET v = 'b2' WHERE id = 4; ROLLBACK TO b;
	SAVEPOINT c; RELEASE SAVEPOINT c; ROLLBACK TO a; COMMIT"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=acme.m pk=id=2 changed=- src=binlog by=- ;
$(commit_rec 1)
EOF

# An XA transaction: its savepoint's rows go, the rest wait for XA
# COMMIT.
sql_db acme "XA START 'x1'; UPDATE t SET v = 'xa' WHERE id = 1;
	INSERT INTO m VALUES (3, 'm'); SAVEPOINT s;
	UPDATE t SET v = 'xb' WHERE id = 2; ROLLBACK TO s; XA END 'x1';
	XA PREPARE 'x1'"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=acme.m pk=id=3 changed=- src=binlog by=- ;
$(commit_rec 1)
EOF
sql_db acme "XA COMMIT 'x1'"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=acme.t pk=id=1 changed=v src=binlog by=- ;
$(commit_rec 1)
EOF

# Savepoints set and released one after another, as ORMs do (MariaDB
# does not log RELEASE): more than the follower keeps; the oldest are
# forgotten, a rollback to the last is followed.
sps=
i=1
while [ "$i" -le 40 ]; do
	sps="$sps SAVEPOINT orm$i; UPDATE t SET v = 'o$i' WHERE id = 3;
	    RELEASE SAVEPOINT orm$i;"
	i=$((i + 1))
done
sql_db acme "BEGIN; INSERT INTO m VALUES (4, 'm'); $sps SAVEPOINT orm41;
	UPDATE t SET v = 'o41' WHERE id = 4; ROLLBACK TO orm41; COMMIT"
dbsc follow
expect_rc 1
expect_norm <<EOF
$(summary 1 40 0)
dbsyscheck: op=insert table=acme.m pk=id=4 changed=- src=binlog by=- ;
$(commit_rec 1)
$(i=1; while [ "$i" -le 40 ]; do
	echo "dbsyscheck: op=update table=acme.t pk=id=3 changed=v src=binlog by=- ;"
	i=$((i + 1))
done)
$(commit_rec 40)
EOF

# A rollback the follower cannot follow: to a savepoint whose name is
# outside ASCII, or after one was named (the server compares names
# without accents: SAVEPOINT `é` moves the savepoint e, and ROLLBACK TO e
# then rolls back to it). The rows stay, reported, and an op=error says
# some may not stand.
for case in accented e-then-accented; do
	if [ "$case" = accented ]; then
		sp1='SAVEPOINT `sé`;' sp2= name='`sé`'
	else
		sp1='SAVEPOINT e;' sp2='SAVEPOINT `é`;' name=e
	fi
	sql_db acme "BEGIN; INSERT INTO m VALUES (10, 'm');
		UPDATE t SET v = 'k1$case' WHERE id = 1; $sp1
		UPDATE t SET v = 'k2$case' WHERE id = 2; $sp2
		ROLLBACK TO $name;
		UPDATE t SET v = 'k3$case' WHERE id = 4; COMMIT"
	sql_db acme "DELETE FROM m WHERE id = 10"
	dbsc follow
	expect_rc 2
	expect_err "ROLLBACK TO a savepoint the follower cannot follow"
	_m='a%20ROLLBACK%20TO%20a%20savepoint%20the%20follower%20cannot'
	_m="^dbsyscheck: op=error msg=binlog\.[0-9]*:[0-9]*:%20$_m"
	grep -q "$_m.* src=binlog ;\$" "$W/out" ||
	    fail "no op=error for the rollback not followed"
	grep -v '^dbsyscheck: op=error ' "$W/out" >"$W/out.rows"
	mv "$W/out.rows" "$W/out"
	expect_norm <<-EOF
	$(summary 1 3 1 1)
	dbsyscheck: op=insert table=acme.m pk=id=10 changed=- src=binlog by=- ;
	$(commit_rec 1)
	dbsyscheck: op=update table=acme.t pk=id=1 changed=v src=binlog by=- ;
	dbsyscheck: op=update table=acme.t pk=id=2 changed=v src=binlog by=- ;
	dbsyscheck: op=update table=acme.t pk=id=4 changed=v src=binlog by=- ;
	$(commit_rec 3)
	dbsyscheck: op=delete table=acme.m pk=id=10 changed=- src=binlog by=- ;
	$(commit_rec 1)
	EOF
	# The second: the server rolled back to e as moved, after id 2.
	[ "$case" = accented ] ||
	    [ "$(sql "SELECT v FROM acme.t WHERE id = 2")" = "k2$case" ] ||
	    fail "the server rolled back to e where it was first set"
done

# A trigger's own savepoint of the same name (logged like the session's,
# it leaves the session's where it was: the session's ROLLBACK TO goes
# back past it): the rows between the two are kept, with an op=error.
sql_db acme "CREATE TABLE trg (id INT PRIMARY KEY) ENGINE=InnoDB"
sql_db acme "CREATE TRIGGER trg_ai AFTER INSERT ON trg FOR EACH ROW
	SAVEPOINT a"
sql_db acme "BEGIN; INSERT INTO m VALUES (5, 'm'); SAVEPOINT a;
	UPDATE t SET v = 'rolled-back' WHERE id = 2;
	INSERT INTO trg VALUES (1); ROLLBACK TO a;
	UPDATE t SET v = 'kept' WHERE id = 4; COMMIT"
[ "$(sql "SELECT v FROM acme.t WHERE id = 2")" != rolled-back ] ||
    fail "the server did not roll back past the trigger's savepoint"
dbsc follow
expect_rc 2
_m='a%20ROLLBACK%20TO%20a%20savepoint%20whose%20name%20was%20set%20more'
grep -q "^dbsyscheck: op=error msg=binlog\.[0-9]*:[0-9]*:%20$_m.* src=binlog ;\$" \
    "$W/out" || fail "no op=error for the name set twice"
grep -v '^dbsyscheck: op=error ' "$W/out" >"$W/out.rows"
mv "$W/out.rows" "$W/out"
expect_norm <<EOF
$(summary 1 2 0 1)
dbsyscheck: op=insert table=acme.m pk=id=5 changed=- src=binlog by=- ;
$(commit_rec 1)
dbsyscheck: op=update table=acme.t pk=id=2 changed=v src=binlog by=- ;
dbsyscheck: op=update table=acme.t pk=id=4 changed=v src=binlog by=- ;
$(commit_rec 2)
EOF

#!/bin/sh
# An upgrade raises no false alarm (issue 12). Every fixture in
# tests/data/fixture-*/ is a database (fixture.sql), a configuration, a key
# and the baseline that an earlier release wrote for it (README.md there).
# For each: load the database, scan it with this build using the old
# baseline: nothing may be reported, twice. Then one change per column
# type, and no-op statements that leave the stored bytes as they were:
# the records must be exactly the expected ones.
#
# Group "exact" holds the changes that only the exact stored value shows
# (a FLOAT changed below its sixth significant digit: the text protocol
# prints 6 digits); the release that wrote the fixture missed them. The
# first run that writes a fixture's baseline marks it format 4
# (DESIGN.md, "The baseline store").
. "$(dirname "$0")/setup"

R='src=scan by=- ;'

db_start
(umask 077 && cat >"$W/my.cnf") <<EOF
[client]
socket=$W/sock
user=root
EOF
chmod 0600 "$W/my.cnf"

# use_fixture DIR: load its database, copy its key and baseline into
# $W/DIR's name with the modes dbsyscheck requires (git keeps 0644) and
# write its configuration as $W/dbsyscheck.conf.
use_fixture()
{
	fx_name=$(basename "$1")
	fx_w=$W/$fx_name
	rm -rf "$fx_w"
	mkdir -m 0700 "$fx_w"
	cp "$1/baseline.db" "$fx_w/baseline.db"
	cp "$1/hmac.key" "$fx_w/hmac.key"
	chmod 0600 "$fx_w/baseline.db" "$fx_w/hmac.key"
	sed "s|@W@/my.cnf|$W/my.cnf|; s|@W@|$fx_w|g" \
	    "$1/dbsyscheck.conf.in" | (umask 077 && cat >"$W/dbsyscheck.conf")
	chmod 0600 "$W/dbsyscheck.conf"
	sql <"$1/fixture.sql"
}

# expect_set <<EOF: the last dbsc printed exactly these lines, in any
# order.
expect_set()
{
	sort >"$W/expected.sorted"
	sort "$W/out" >"$W/out.sorted"
	if ! cmp -s "$W/expected.sorted" "$W/out.sorted"; then
		echo "--- records differ (- expected, + actual):" >&2
		diff -u "$W/expected.sorted" "$W/out.sorted" >&2 || true
		return 1
	fi
	return 0
}

# server_changed TABLE WHERE COL VALUE: check on the server that setting
# COL to VALUE changes the stored value (compared as DOUBLE, exactly),
# so that the exact-only changes below test something.
server_changed()
{
	[ "$(sql_db fx "SELECT CAST($3 AS DOUBLE) <=> CAST(CAST($4 AS FLOAT)
	    AS DOUBLE) FROM $1 WHERE $2")" = 0 ] ||
	    fail "setup: $1.$3 = $4 where $2 would not change the value"
	# ... and that the text protocol shows it the same: the change is
	# below what the client sees (mariadb prints what the scanner gets).
	[ "$(sql_db fx "SELECT $3 FROM $1 WHERE $2")" = \
	    "$(sql_db fx "SELECT CAST($4 AS FLOAT)")" ] ||
	    fail "setup: $1.$3 = $4 where $2 shows in the text form"
}

xfail=
nfx=0
for fx in "$top_srcdir"/tests/data/fixture-*/; do
	fx=${fx%/}
	nfx=$((nfx + 1))
	echo "=== fixture $(basename "$fx")"
	use_fixture "$fx"

	# status reads the earlier release's file as it is.
	fx_format=$(sqlite3 "$fx_w/baseline.db" "PRAGMA user_version")
	dbsc status
	expect_rc 0
	[ "$(sqlite3 "$fx_w/baseline.db" "PRAGMA user_version")" = \
	    "$fx_format" ] || fail "status changed the format"
	# The baseline of the earlier release, nothing changed: no record,
	# at the first scan (which may store rows under a new encoding) and
	# the next.
	dbsc scan
	expect_rc 0
	expect_empty
	[ "$(sqlite3 "$fx_w/baseline.db" "PRAGMA user_version")" = 4 ] ||
	    fail "the first scan left format $fx_format, not 4"
	[ "$(sqlite3 "$fx_w/baseline.db" "SELECT DISTINCT
	    hex(substr(schema, 1, 1)) FROM tables")" = 02 ] ||
	    fail "the table descriptions were not rewritten"
	# The chunks were laid out anew: the next scan fetches no row of a
	# chunk-mode table.
	rm -f "$W/general.log"
	sql "SET GLOBAL general_log_file = '$W/general.log', general_log = 1"
	dbsc scan
	sql "SET GLOBAL general_log = 0"
	expect_rc 0
	expect_empty
	chunked=$(sed -n 's/^table fx\.\([a-z]*\) chunk=.*/\1/p' \
	    "$fx/dbsyscheck.conf.in" | paste -sd '|' -)
	[ -n "$chunked" ] || fail "no chunk-mode table in the fixture"
	if grep -E "Query.*FROM \`fx\`\.\`($chunked)\`.*ORDER BY" \
	    "$W/general.log" >&2; then
		fail "chunk mode fetched rows after the upgrade"
	fi

	# Statements that leave every stored byte as it was: SET members in
	# another order, a BINARY value with the zero padding it gets anyway,
	# CHAR with the trailing spaces it loses anyway, a FLOAT given as a
	# longer decimal of the same float, a JSON value written again, a
	# DECIMAL with a scale digit that rounds away.
	sql_db fx "UPDATE bits SET s = 'x,z' WHERE id = 1;
		UPDATE bits SET s = 'z,y,x' WHERE id = 9;
		UPDATE bins SET bn = X'6100' WHERE id = 1;
		UPDATE bins SET bn = X'0000' WHERE id = 3;
		UPDATE strs SET c = 'abc   ' WHERE id = 1;
		UPDATE strs SET cl1 = 'x' WHERE id = 5;
		UPDATE reals SET f = 1.23456781 WHERE id = 1;
		UPDATE reals SET dec1 = 1.50001 WHERE id = 1;
		UPDATE docs SET j = j WHERE id = 1;
		UPDATE temporal SET t6 = '838:59:59' WHERE id = 2;
		UPDATE net SET i6 = '0:0::1' WHERE id = 1;
		UPDATE gen SET a = 1 WHERE id = 1"
	dbsc scan
	expect_rc 0
	expect_empty

	# Changes that the text form shows too: one per column type, each
	# on a row of its own, key changes as a delete and an insert.
	sql_db fx "SET time_zone = '+00:00';
		UPDATE ints SET ti = -127 WHERE id = 1;
		UPDATE ints SET biu = 18446744073709551614 WHERE id = 2;
		UPDATE ints SET i = 0 WHERE id = 3;
		UPDATE ints SET iz = 8 WHERE id = 4;
		UPDATE ints SET bo = 0 WHERE id = 5;
		UPDATE reals SET d = 1e0 WHERE id = 2;
		UPDATE reals SET dec2 = 1e-30 WHERE id = 3;
		UPDATE reals SET dec1 = 1.0001 WHERE id = 4;
		UPDATE reals SET dd = 1234.501 WHERE id = 6;
		UPDATE reals SET decu = 3.34 WHERE id = 7;
		UPDATE reals SET fs = 0.3001 WHERE id = 8;
		UPDATE bits SET b1 = b'1' WHERE id = 0;
		UPDATE bits SET b64 = 18446744073709551614 WHERE id = 1;
		UPDATE bits SET s = 'x,z' WHERE id = 9;
		UPDATE bits SET e = 'a' WHERE id = 10;
		UPDATE bits SET b10 = b'1' WHERE id = 18446744073709551615;
		UPDATE temporal SET dt6 = '2024-02-29 12:34:56.123457' WHERE id = 1;
		UPDATE temporal SET ts = '2038-01-19 03:14:07.999998' WHERE id = 2;
		UPDATE temporal SET d = '2024-01-01' WHERE id = 3;
		UPDATE temporal SET t6 = '00:00:00.000002' WHERE id = 4;
		UPDATE temporal SET y = 2000 WHERE id = 5;
		UPDATE strs SET c = 'abC' WHERE id = 1;
		UPDATE strs SET vbin = 'Ölmühle' WHERE id = 2;
		UPDATE strs SET u32 = '' WHERE id = 3;
		UPDATE strs SET vl1 = ' ' WHERE id = 4;
		UPDATE strs SET u16 = 'x ' WHERE id = 5;
		UPDATE strs SET lt = 'a\\0c' WHERE id = 6;
		UPDATE bins SET vb = X'6100' WHERE id = 1;
		UPDATE bins SET bl = X'610000' WHERE id = 2;
		UPDATE bins SET tb = X'' WHERE id = 3;
		UPDATE bins SET lb = X'00' WHERE id = 4;
		UPDATE bins SET bn = X'' WHERE id = 5;
		UPDATE bins SET mb = X'0A0D0900' WHERE id = 6;
		UPDATE docs SET j = '{\"a\":1,\"b\":[1.5,\"x\"]}' WHERE id = 1;
		UPDATE docs SET p = POINT(0.1, 0.2000000000000001) WHERE id = 2;
		UPDATE docs SET mp = ST_GeomFromText('MULTIPOINT(1 1)') WHERE id = 3;
		UPDATE docs SET g = ST_GeomFromText('POINT(1 2)') WHERE id = 4;
		UPDATE net SET i6 = '::2' WHERE id = 1;
		UPDATE net SET i4 = '255.255.255.254' WHERE id = 2;
		UPDATE net SET u = 'ffffffff-ffff-ffff-ffff-fffffffffffe' WHERE id = 3;
		UPDATE net SET i6 = '::' WHERE id = 4;
		UPDATE gen SET h = 11 WHERE id = 1;
		UPDATE gen SET a = 3 WHERE id = 2;
		UPDATE gen SET b = 'x' WHERE id = 3;
		UPDATE sv SET v = 'deux' WHERE id = 2;
		UPDATE svx SET v = 'uno' WHERE id = 1;
		UPDATE ck SET v = 5 WHERE BINARY k1 = 'a ' AND k3 = X'010000';
		UPDATE ck SET k1 = 'B' WHERE k1 = 'b';
		UPDATE ckb SET v = v + 1 WHERE k1 = 5 AND k2 = X'00';
		DELETE FROM ckb WHERE k1 = 12 AND k2 = 'a';
		UPDATE dk SET k = 0.001 WHERE k = 0;
		UPDATE fk SET v = 9 WHERE v = 1;
		UPDATE dbk SET v = 0.5 WHERE d = 2.5;
		UPDATE ek SET v = 'Z' WHERE k = 'z';
		UPDATE ek SET t = '-00:00:01.000001' WHERE k = 'a';
		UPDATE yk SET v = 1.0000000000000002 WHERE y = 1901;
		UPDATE uk SET a = 2 WHERE code = 'b';
		UPDATE big SET s = 'changed' WHERE id = 30;
		UPDATE big SET d = d + POW(2, -51) WHERE id = 60;
		UPDATE big SET t = t + INTERVAL 1 MICROSECOND WHERE id = 90;
		DELETE FROM big WHERE id = 99;
		INSERT INTO big (id, f) VALUES (1000, 1)"
	[ "$(sql_db fx "SELECT d = 1e0 FROM reals WHERE id = 2")" = 1 ] ||
	    fail "setup: reals.d"
	[ "$(sql_db fx "SELECT d = 20e0 / 7 FROM big WHERE id = 60")" = 0 ] ||
	    fail "setup: big.d did not change"
	[ "$(sql_db fx "SELECT v FROM ck WHERE BINARY k1 = 'a '")" = 5 ] ||
	    fail "setup: ck.v did not change"
	dbsc scan
	expect_rc 1
	expect_set <<EOF || fail "the changes the text form shows"
$(summary 3 57 4)
dbsyscheck: op=update table=fx.ints pk=id=1 changed=ti $R
dbsyscheck: op=update table=fx.ints pk=id=2 changed=biu $R
dbsyscheck: op=update table=fx.ints pk=id=3 changed=i $R
dbsyscheck: op=update table=fx.ints pk=id=4 changed=iz $R
dbsyscheck: op=update table=fx.ints pk=id=5 changed=bo $R
dbsyscheck: op=update table=fx.reals pk=id=2 changed=d $R
dbsyscheck: op=update table=fx.reals pk=id=3 changed=dec2 $R
dbsyscheck: op=update table=fx.reals pk=id=4 changed=dec1 $R
dbsyscheck: op=update table=fx.reals pk=id=6 changed=dd $R
dbsyscheck: op=update table=fx.reals pk=id=7 changed=decu $R
dbsyscheck: op=update table=fx.reals pk=id=8 changed=fs $R
dbsyscheck: op=update table=fx.bits pk=id=0 changed=b1 $R
dbsyscheck: op=update table=fx.bits pk=id=1 changed=b64 $R
dbsyscheck: op=update table=fx.bits pk=id=9 changed=s $R
dbsyscheck: op=update table=fx.bits pk=id=10 changed=e $R
dbsyscheck: op=update table=fx.bits pk=id=18446744073709551615 changed=b10 $R
dbsyscheck: op=update table=fx.temporal pk=id=1 changed=dt6 $R
dbsyscheck: op=update table=fx.temporal pk=id=2 changed=ts $R
dbsyscheck: op=update table=fx.temporal pk=id=3 changed=d $R
dbsyscheck: op=update table=fx.temporal pk=id=4 changed=t6 $R
dbsyscheck: op=update table=fx.temporal pk=id=5 changed=y $R
dbsyscheck: op=update table=fx.strs pk=id=1 changed=c $R
dbsyscheck: op=update table=fx.strs pk=id=2 changed=vbin $R
dbsyscheck: op=update table=fx.strs pk=id=3 changed=u32 $R
dbsyscheck: op=update table=fx.strs pk=id=4 changed=vl1 $R
dbsyscheck: op=update table=fx.strs pk=id=5 changed=u16 $R
dbsyscheck: op=update table=fx.strs pk=id=6 changed=lt $R
dbsyscheck: op=update table=fx.bins pk=id=1 changed=vb $R
dbsyscheck: op=update table=fx.bins pk=id=2 changed=bl $R
dbsyscheck: op=update table=fx.bins pk=id=3 changed=tb $R
dbsyscheck: op=update table=fx.bins pk=id=4 changed=lb $R
dbsyscheck: op=update table=fx.bins pk=id=5 changed=bn $R
dbsyscheck: op=update table=fx.bins pk=id=6 changed=mb $R
dbsyscheck: op=update table=fx.docs pk=id=1 changed=j $R
dbsyscheck: op=update table=fx.docs pk=id=2 changed=p $R
dbsyscheck: op=update table=fx.docs pk=id=3 changed=mp $R
dbsyscheck: op=update table=fx.docs pk=id=4 changed=g $R
dbsyscheck: op=update table=fx.net pk=id=1 changed=i6 $R
dbsyscheck: op=update table=fx.net pk=id=2 changed=i4 $R
dbsyscheck: op=update table=fx.net pk=id=3 changed=u $R
dbsyscheck: op=update table=fx.net pk=id=4 changed=i6 $R
dbsyscheck: op=update table=fx.gen pk=id=1 changed=h $R
dbsyscheck: op=update table=fx.gen pk=id=2 changed=a,gv,gf $R
dbsyscheck: op=update table=fx.gen pk=id=3 changed=b,gs $R
dbsyscheck: op=update table=fx.sv pk=id=2 changed=v $R
dbsyscheck: op=update table=fx.svx pk=id=1,re=2038-01-19%2003:14:07.999999 changed=v,rs $R
dbsyscheck: op=update table=fx.ck pk=k1=a%20,k2=2024-01-01,k3=%01%00%00 changed=v $R
dbsyscheck: op=delete table=fx.ck pk=k1=b,k2=1000-01-01,k3=%00%00%00 changed=- $R
dbsyscheck: op=insert table=fx.ck pk=k1=B,k2=1000-01-01,k3=%00%00%00 changed=- $R
dbsyscheck: op=update table=fx.ckb pk=k1=5,k2=%00,k3=2024-01-01%2000:00:05.000001 changed=v $R
dbsyscheck: op=delete table=fx.ckb pk=k1=12,k2=a,k3=2024-01-01%2000:00:12.000001 changed=- $R
dbsyscheck: op=delete table=fx.dk pk=k=0.000 changed=- $R
dbsyscheck: op=insert table=fx.dk pk=k=0.001 changed=- $R
dbsyscheck: op=update table=fx.fk pk=f=1.5 changed=v $R
dbsyscheck: op=update table=fx.dbk pk=d=2.5 changed=v $R
dbsyscheck: op=update table=fx.ek pk=k=z changed=v $R
dbsyscheck: op=update table=fx.ek pk=k=a changed=t $R
dbsyscheck: op=update table=fx.yk pk=y=1901 changed=v $R
dbsyscheck: op=update table=fx.uk pk=code=b changed=a $R
dbsyscheck: op=update table=fx.big pk=id=30 changed=s $R
dbsyscheck: op=update table=fx.big pk=id=60 changed=d $R
dbsyscheck: op=update table=fx.big pk=id=90 changed=t $R
dbsyscheck: op=delete table=fx.big pk=id=99 changed=- $R
dbsyscheck: op=insert table=fx.big pk=id=1000 changed=- $R
EOF
	dbsc scan
	expect_rc 0
	expect_empty

	# FLOAT changes below the sixth significant digit (missed by the
	# release that wrote the fixture), in full mode (reals,
	# dk, uk, dbk) and in chunk mode (big, ckb); the server confirms each is a
	# change of the stored value that the text form does not show.
	server_changed reals "id = 1" f 1.2345679
	server_changed reals "id = 2" f 743648
	server_changed reals "id = 3" f 1.1754948e-38
	server_changed dk "k = -1.5" v 1.2345679
	server_changed uk "code = 'AAAA'" v 1.5000001
	server_changed dbk "d = 0.1e0 + 0.2e0" v 1.2345679
	server_changed big "id = 3" f 0.1428571
	server_changed ckb "k1 = 7 AND k2 = X''" w 1.0000001
	sql_db fx "UPDATE reals SET f = 1.2345679 WHERE id = 1;
		UPDATE reals SET f = 743648 WHERE id = 2;
		UPDATE reals SET f = 1.1754948e-38 WHERE id = 3;
		UPDATE dk SET v = 1.2345679 WHERE k = -1.5;
		UPDATE uk SET v = 1.5000001 WHERE code = 'AAAA';
		UPDATE dbk SET v = 1.2345679 WHERE d = 0.1e0 + 0.2e0;
		UPDATE big SET f = 0.1428571 WHERE id = 3;
		UPDATE ckb SET w = 1.0000001 WHERE k1 = 7 AND k2 = X''"
	dbsc scan
	if [ "$rc" != 1 ] || ! expect_set <<EOF
$(summary 0 8 0)
dbsyscheck: op=update table=fx.reals pk=id=1 changed=f $R
dbsyscheck: op=update table=fx.reals pk=id=2 changed=f $R
dbsyscheck: op=update table=fx.reals pk=id=3 changed=f $R
dbsyscheck: op=update table=fx.dk pk=k=-1.500 changed=v $R
dbsyscheck: op=update table=fx.uk pk=code=AAAA changed=v $R
dbsyscheck: op=update table=fx.dbk pk=d=0.30000000000000004 changed=v $R
dbsyscheck: op=update table=fx.big pk=id=3 changed=f $R
dbsyscheck: op=update table=fx.ckb pk=k1=7,k2=,k3=2024-01-01%2000:00:07.000001 changed=w $R
EOF
	then
		echo "$test_name: $(basename "$fx"): FLOAT changes below the" \
		    "sixth digit not reported (exit $rc)" >&2
		xfail="$xfail $(basename "$fx")"
	fi
	dbsc scan
	expect_rc 0
	expect_empty

	# The same baseline of the earlier release, taken over after changes
	# made since its last scan that its text form shows: the first scan
	# of this build reports exactly them, with changed= as the earlier
	# release gives it, in full and chunk mode, in columns whose encoding
	# changed and in fk, whose FLOAT key's encoding changed: it is
	# compared under its old keys, so pk= is the old text (743647.75
	# shows as 743648); its other rows give nothing.
	echo "--- $(basename "$fx"): changes made before the first scan"
	# fk's key as the release of the fixture made it: the text of the
	# FLOAT before encoding version 2 (fixture-v3), its exact value since.
	case $(basename "$fx") in
	fixture-v3-*)	fk_old=743648 ;;
	*)		fk_old=743647.75 ;;
	esac
	use_fixture "$fx"
	sql_db fx "UPDATE fk SET v = 40 WHERE v = 4;
		UPDATE reals SET f = 99.5, fs = 1.5 WHERE id = 1;
		UPDATE reals SET dd = 7.25 WHERE id = 2;
		UPDATE bits SET e = 'b' WHERE id = 10;
		UPDATE bits SET e = '' WHERE id = 0;
		UPDATE big SET f = 2.5, s = 'x' WHERE id = 30;
		UPDATE ckb SET w = 0.5 WHERE k1 = 3 AND k2 = 'a';
		DELETE FROM big WHERE id = 33;
		INSERT INTO big (id, f) VALUES (1001, 0.25);
		UPDATE dk SET v = 3.5 WHERE k = 0;
		UPDATE ints SET ti = 5 WHERE id = 1"
	dbsc scan
	expect_rc 1
	expect_set <<EOF || fail "the changes made before the first scan"
$(summary 1 9 1)
dbsyscheck: op=update table=fx.fk pk=f=$fk_old changed=v $R
dbsyscheck: op=update table=fx.reals pk=id=1 changed=f,fs $R
dbsyscheck: op=update table=fx.reals pk=id=2 changed=dd $R
dbsyscheck: op=update table=fx.bits pk=id=10 changed=e $R
dbsyscheck: op=update table=fx.bits pk=id=0 changed=e $R
dbsyscheck: op=update table=fx.big pk=id=30 changed=f,s $R
dbsyscheck: op=update table=fx.ckb pk=k1=3,k2=a,k3=2024-01-01%2000:00:03.000001 changed=w $R
dbsyscheck: op=delete table=fx.big pk=id=33 changed=- $R
dbsyscheck: op=insert table=fx.big pk=id=1001 changed=- $R
dbsyscheck: op=update table=fx.dk pk=k=0.000 changed=v $R
dbsyscheck: op=update table=fx.ints pk=id=1 changed=ti $R
EOF
	dbsc scan
	expect_rc 0
	expect_empty

	# Afterwards FLOAT keys are exact: two keys whose text is the same
	# (1.2345678 and 1.2345679 both print 1.23457) are two rows, pk=
	# shows the exact value; an ENUM changed from its '' member to the
	# invalid value (both print '') is reported.
	sql_db fx "INSERT INTO fk VALUES (1.2345679, 6);
		UPDATE fk SET v = 41 WHERE v = 40;
		SET SESSION sql_mode = '';
		UPDATE bits SET e = 'zzz' WHERE id = 0"
	[ "$(sql_db fx "SELECT COUNT(DISTINCT f), COUNT(DISTINCT CONCAT(f))
	    FROM fk WHERE v IN (3, 6)")" = "$(printf '2\t1')" ] ||
	    fail "setup: fk keys 3 and 6 do not print the same"
	dbsc scan
	expect_rc 1
	expect_set <<EOF || fail "exact FLOAT keys after the upgrade"
$(summary 1 2 0)
dbsyscheck: op=insert table=fx.fk pk=f=1.2345678806304932 changed=- $R
dbsyscheck: op=update table=fx.fk pk=f=743647.75 changed=v $R
dbsyscheck: op=update table=fx.bits pk=id=0 changed=e $R
EOF
	sql_db fx "UPDATE fk SET v = 30 WHERE v = 3; DELETE FROM fk WHERE v = 6"
	dbsc scan
	expect_rc 1
	expect_set <<EOF || fail "exact FLOAT keys after the upgrade"
$(summary 0 1 1)
dbsyscheck: op=update table=fx.fk pk=f=1.2345677614212036 changed=v $R
dbsyscheck: op=delete table=fx.fk pk=f=1.2345678806304932 changed=- $R
EOF
	dbsc scan
	expect_rc 0
	expect_empty

	# From fixture-v4 on: ENUM and SET with duplicate members (numbers
	# from encoding version 3: the key of dupk changes, two passes) and
	# INET4 and INET6 keys. Taken over after changes its release sees
	# (reported as it would), then changes only the new encoding shows
	# and keys whose text order is not their byte order.
	grep -q '^table fx\.dup ' "$fx/dbsyscheck.conf.in" || continue
	echo "--- $(basename "$fx"): duplicate members, INET keys"
	use_fixture "$fx"
	sql_db fx "UPDATE dup SET e = 3 WHERE id = 1;
		UPDATE dupk SET v = 30 WHERE v = 3;
		UPDATE n4k SET v = 'changed' WHERE ip = '2.0.0.1'"
	dbsc scan
	expect_rc 1
	expect_set <<EOF2 || fail "the changes made before the first scan"
$(summary 0 3 0)
dbsyscheck: op=update table=fx.dup pk=id=1 changed=e $R
dbsyscheck: op=update table=fx.dupk pk=e=b changed=v $R
dbsyscheck: op=update table=fx.n4k pk=ip=2.0.0.1 changed=v $R
EOF2
	dbsc scan
	expect_rc 0
	expect_empty
	sql_db fx "UPDATE dup SET e = 1 WHERE id = 2;
		UPDATE dup SET s = 1 WHERE id = 2;
		UPDATE dup SET s = 2 WHERE id = 1;
		INSERT INTO dupk VALUES (2, 2);
		INSERT INTO n4k VALUES ('10.0.0.1', 'x');
		UPDATE n4k SET v = 'changed' WHERE ip = '3.0.0.1';
		INSERT INTO n6k VALUES ('1::', 'x');
		UPDATE n6k SET v = 'changed' WHERE ip = '::1'"
	dbsc scan
	expect_rc 1
	expect_set <<EOF2 || fail "duplicate members and INET keys"
$(summary 3 4 0)
dbsyscheck: op=update table=fx.dup pk=id=1 changed=s $R
dbsyscheck: op=update table=fx.dup pk=id=2 changed=e,s $R
dbsyscheck: op=insert table=fx.dupk pk=e=2 changed=- $R
dbsyscheck: op=insert table=fx.n4k pk=ip=10.0.0.1 changed=- $R
dbsyscheck: op=update table=fx.n4k pk=ip=3.0.0.1 changed=v $R
dbsyscheck: op=insert table=fx.n6k pk=ip=1:: changed=- $R
dbsyscheck: op=update table=fx.n6k pk=ip=::1 changed=v $R
EOF2
	dbsc scan
	expect_rc 0
	expect_empty
done
[ "$nfx" -ge 1 ] || fail "no fixture in tests/data"
[ -z "$xfail" ] ||
    fail "exact FLOAT changes missed with the fixtures:$xfail"
echo "$test_name: $nfx fixtures upgrade with no false alarm"

#!/bin/sh
# The hostile corpus (tests/data/hostile.txt) through every record path:
# each value as a key and as a BLOB value, inserted, updated and deleted,
# in text and JSON; hostile database, table and column names. Every
# record is exactly the one expected (percent-encodings computed here, not
# by dbsyscheck), one line, within the documented caps, none forged.
. "$(dirname "$0")/setup"

corpus=$top_srcdir/tests/data/hostile.txt
[ -f "$corpus" ] || fail "no $corpus"
R='src=scan by=- ;'

db_start --max-allowed-packet=64M
sql "CREATE DATABASE hc"
sql_db hc "CREATE TABLE k (k VARBINARY(3072) PRIMARY KEY, b LONGBLOB)"
sql_db hc "CREATE TABLE k2 (a VARBINARY(1500) NOT NULL,
	b VARBINARY(1500) NOT NULL, v INT, PRIMARY KEY (a, b))"
sql_db hc "CREATE TABLE big (id INT PRIMARY KEY, b LONGBLOB)"

# The corpus as "HEX<TAB>SQL-EXPRESSION<TAB>KEY" lines (KEY 1 when the
# value fits a 3072-byte key), keys sorted in byte order.
awk '
/^#/ || NF == 0 { next }
{
	sub(/[ \t]*#.*/, "")
	if ($1 == "@repeat") {
		n = $3; hex = ""
		len = n * length($2) / 2
		if (len <= 3072)
			for (i = 0; i < n; i++)
				hex = hex $2
		printf "%s\tREPEAT(X'\''%s'\'', %d)\t%d\n", \
		    (len <= 3072 ? hex : "BIG"), $2, n, len <= 3072
		next
	}
	hex = $1 == "-" ? "" : $1
	printf "%s\tX'\''%s'\''\t1\n", hex, hex
}' "$corpus" >"$W/corpus"
awk -F '\t' '$3 == 1' "$W/corpus" | sort -t "$(printf '\t')" -k 1,1 -u \
    >"$W/keys"
nkeys=$(wc -l <"$W/keys")
[ "$nkeys" -ge 75 ] || fail "setup: only $nkeys keys in the corpus"
echo "$nkeys distinct keys, $(wc -l <"$W/corpus") corpus values"

# The encoding rules of docs/FORMAT.md, in awk: pct(hex, max) encodes the
# bytes; a value whose encoding passes max is cut on a whole byte and
# marked "%..."; rcut(s, cap) cuts encoded text as record_cut does.
cat >"$W/enc.awk" <<'EOF'
BEGIN {
	for (i = 0; i < 256; i++)
		dec[sprintf("%02x", i)] = i
	split("22 25 27 2c 3b 3d 5c 60 7c", e, " ")
	for (j in e)
		esc[e[j]] = 1
}
function enc(h, ident,   v) {
	v = dec[h]
	if (v < 33 || v >= 127 || (h in esc) || (ident && h == "2e"))
		return "%" toupper(h)
	return sprintf("%c", v)
}
function pct(hex, max,   i, out, x, full) {
	full = ""
	for (i = 1; i <= length(hex); i += 2)
		full = full enc(substr(hex, i, 2), 0)
	if (!max || length(full) <= max)
		return full
	# Cut within max, the 4-byte marker counted, never inside an escape.
	out = ""
	for (i = 1; i <= length(hex); i += 2) {
		x = enc(substr(hex, i, 2), 0)
		if (length(out) + length(x) > max - 4)
			return out "%..."
		out = out x
	}
	return out
}
function rcut(s, cap,   n) {
	if (length(s) <= cap)
		return s
	n = cap - 4
	if (substr(s, n, 1) == "%")
		n -= 1
	else if (substr(s, n - 1, 1) == "%")
		n -= 2
	return substr(s, 1, n) "%..."
}
EOF
enc=$(cat "$W/enc.awk")

# The k2 rows: two long key columns (the pk= value cut as a whole), and a
# short pair.
cat >"$W/k2" <<EOF
$(awk 'BEGIN { for (i = 0; i < 1500; i++) printf "0a" }')	$(awk 'BEGIN { for (i = 0; i < 1500; i++) printf "0a" }')
$(awk 'BEGIN { for (i = 0; i < 1500; i++) printf "25" }')	
00	0a
EOF
sort -o "$W/k2" "$W/k2"

# records OP FORMAT: the expected records of OP on every row, tables in
# config order, rows in key order; FORMAT text or json.
records()
{
	_c=-
	[ "$1" = update ] && _c=b
	{
		awk -F '\t' -v op="$1" -v c="$_c" "$enc"'
		    { print op, "hc.k", \
		    "k=" pct($1, 1024), c }' "$W/keys"
		[ "$1" = update ] && _c=v
		awk -F '\t' -v op="$1" -v c="$_c" "$enc"'
		    { print op, "hc.k2", \
		    rcut("a=" pct($1, 1024) ",b=" pct($2, 1024), 1536), c }' \
		    "$W/k2"
		[ "$1" = update ] && _c=b
		echo "$1 hc.big id=1 $_c"
		echo "$1 hc.big id=2 $_c"
	} >"$W/recs"
	_n=$(wc -l <"$W/recs")
	case $1 in
	insert) set -- "$1" "$2" "$_n" 0 0 ;;
	update) set -- "$1" "$2" 0 "$_n" 0 ;;
	delete) set -- "$1" "$2" 0 0 "$_n" ;;
	esac
	if [ "$2" = json ]; then
		echo "{\"program\":\"dbsyscheck\",\"op\":\"summary\",\"inserts\":\"$3\",\"updates\":\"$4\",\"deletes\":\"$5\",\"errors\":\"0\",\"pending\":\"0\"}"
		awk '{ printf "{\"program\":\"dbsyscheck\",\"op\":\"%s\",\"table\":\"%s\",\"pk\":\"%s\",\"changed\":\"%s\",\"src\":\"scan\",\"by\":\"-\"}\n", $1, $2, $3, $4 }' "$W/recs"
	else
		summary "$3" "$4" "$5"
		awk '{ printf "dbsyscheck: op=%s table=%s pk=%s changed=%s src=scan by=- ;\n", $1, $2, $3, $4 }' "$W/recs"
	fi
}
# one_line_records FORMAT: every line is one record of printable ASCII.
one_line_records()
{
	if LC_ALL=C grep -q '[^ -~]' "$W/out"; then
		fail "output has bytes outside printable ASCII"
	fi
	case $1 in
	text)
		grep -v -q -E '^dbsyscheck: op=[a-z]+ .* ;$' "$W/out" &&
		    fail "a line is not one whole record"
		;;
	json)
		jq -c . <"$W/out" >"$W/json.check" 2>&1 ||
		    fail "a line is not valid JSON"
		[ "$(wc -l <"$W/json.check")" = "$(wc -l <"$W/out")" ] ||
		    fail "not one JSON value a line"
		;;
	esac
	cat "$W/out" >>"$W/all.$1"
}

dbsc_conf "hc.k" "hc.k2" "hc.big"
dbsc --deliver --max-bytes 0 scan
expect_rc 1
expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=baseline table=hc.k rows=0 src=scan ;
dbsyscheck: op=baseline table=hc.k2 rows=0 src=scan ;
dbsyscheck: op=baseline table=hc.big rows=0 src=scan ;
EOF

# The rows: every key with itself as the BLOB value; the k2 pairs; two
# 16 MiB BLOBs (newlines, and fake records).
awk -F '\t' '{ printf "INSERT INTO k VALUES (%s, %s);\n", $2, $2 }' "$W/keys" |
    sql_db hc
awk -F '\t' '{ printf "INSERT INTO k2 VALUES (X'\''%s'\'', X'\''%s'\'', 0);\n", $1, $2 }' \
    "$W/k2" | sql_db hc
awk -F '\t' '$3 == 0 { printf "INSERT INTO big VALUES (1, %s);\n", $2 }' \
    "$W/corpus" | sql_db hc
fakehex=$(printf '%s\n' 'dbsyscheck: op=delete table=hc.k pk=k= changed=- src=scan by=- ;' |
    od -An -v -tx1 | tr -d ' \n')
sql_db hc "INSERT INTO big VALUES (2, REPEAT(X'$fakehex', 16777216 DIV $((${#fakehex} / 2))))"
[ "$(sql "SELECT LENGTH(b) FROM hc.big WHERE id = 1")" = 16777216 ] ||
    fail "setup: the 16 MiB value is not there"

echo "=== case insert_text"
dbsc --deliver --max-bytes 0 scan
expect_rc 1
records insert text | expect_out
one_line_records text
echo "=== case insert_text: PASS"

echo "=== case update_json"
sql_db hc "UPDATE k SET b = CONCAT(b, X'00'); UPDATE k2 SET v = 1;
	UPDATE big SET b = CONCAT(LEFT(b, LENGTH(b) - 1), X'0D')"
dbsc --deliver --max-bytes 0 --format json scan
expect_rc 1
records update json | expect_out
one_line_records json
echo "=== case update_json: PASS"

echo "=== case delete_text"
sql_db hc "DELETE FROM k; DELETE FROM k2; DELETE FROM big"
dbsc --deliver --max-bytes 0 scan
expect_rc 1
records delete text | expect_out
one_line_records text
dbsc --deliver --max-bytes 0 scan
expect_rc 0
expect_empty
echo "=== case delete_text: PASS"

echo "=== case delete_json"
# The same deletes as JSON: rows back in, then gone again.
awk -F '\t' '{ printf "INSERT INTO k VALUES (%s, NULL);\n", $2 }' "$W/keys" |
    sql_db hc
awk -F '\t' '{ printf "INSERT INTO k2 VALUES (X'\''%s'\'', X'\''%s'\'', 0);\n", $1, $2 }' \
    "$W/k2" | sql_db hc
sql_db hc "INSERT INTO big VALUES (1, NULL), (2, NULL)"
dbsc --max-bytes 0 --no-report scan
expect_rc 1
sql_db hc "DELETE FROM k; DELETE FROM k2; DELETE FROM big"
dbsc --deliver --max-bytes 0 --format json scan
expect_rc 1
# The earlier inserts were queued first (--no-report).
records insert json >/dev/null
n=$(wc -l <"$W/recs")
{
	echo "{\"program\":\"dbsyscheck\",\"op\":\"summary\",\"inserts\":\"$n\",\"updates\":\"0\",\"deletes\":\"$n\",\"errors\":\"0\",\"pending\":\"0\"}"
	records insert json | tail -n +2
	records delete json | tail -n +2
} | expect_out
one_line_records json
echo "=== case delete_json: PASS"

# --- Hostile database, table and column names (config quoting with
# backticks, a doubled backtick for one).
echo "=== case hostile_names"
q=\'
dbn="h d.b${q}q\"b\`t#%;="
tbn="t a.b${q}c\"d\`e#f"
kcn="k e.y${q}\"\`#"
vcn="v a.l"
xcn="x;y=z,w%"
# bq NAME: NAME quoted with backticks for SQL and the config.
bq()
{
	printf '`%s`' "$(printf '%s' "$1" | sed 's/`/``/g')"
}
printf 'CREATE DATABASE %s;\nCREATE TABLE %s.%s (%s VARBINARY(64) PRIMARY KEY, %s VARCHAR(10), %s INT);\n' \
    "$(bq "$dbn")" "$(bq "$dbn")" "$(bq "$tbn")" "$(bq "$kcn")" \
    "$(bq "$vcn")" "$(bq "$xcn")" | sql
dbsc_conf "$(bq "$dbn").$(bq "$tbn")"
tenc="$(printf '%s' "$dbn" | pct ident).$(printf '%s' "$tbn" | pct ident)"
kenc=$(printf '%s' "$kcn" | pct)
venc=$(printf '%s' "$vcn" | pct)
xenc=$(printf '%s' "$xcn" | pct)
full="$(bq "$dbn").$(bq "$tbn")"
dbsc --deliver scan
expect_rc 1
expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=baseline table=$tenc rows=0 src=scan ;
EOF
printf 'INSERT INTO %s VALUES (X%s, %s, 1), (%s, %s, 2);\n' "$full" \
    "'610a62'" "'v'" "'plain'" "'w'" | sql
dbsc --deliver scan
expect_rc 1
expect_out <<EOF
$(summary 2 0 0)
dbsyscheck: op=insert table=$tenc pk=$kenc=a%0Ab changed=- $R
dbsyscheck: op=insert table=$tenc pk=$kenc=plain changed=- $R
EOF
one_line_records text
printf 'UPDATE %s SET %s = %s, %s = 3;\n' "$full" "$(bq "$vcn")" "'x'" \
    "$(bq "$xcn")" | sql
dbsc --deliver --format json scan
expect_rc 1
expect_out <<EOF
{"program":"dbsyscheck","op":"summary","inserts":"0","updates":"2","deletes":"0","errors":"0","pending":"0"}
{"program":"dbsyscheck","op":"update","table":"$tenc","pk":"$kenc=a%0Ab","changed":"$venc,$xenc","src":"scan","by":"-"}
{"program":"dbsyscheck","op":"update","table":"$tenc","pk":"$kenc=plain","changed":"$venc,$xenc","src":"scan","by":"-"}
EOF
one_line_records json
printf 'DELETE FROM %s;\n' "$full" | sql
dbsc --deliver scan
expect_rc 1
expect_out <<EOF
$(summary 0 0 2)
dbsyscheck: op=delete table=$tenc pk=$kenc=a%0Ab changed=- $R
dbsyscheck: op=delete table=$tenc pk=$kenc=plain changed=- $R
EOF
one_line_records text
echo "=== case hostile_names: PASS"

# --- The caps of docs/FORMAT.md over every line written above: a body of
# at most RECORD_MAX (4096) bytes, pk= at most RECORD_PK_MAX (1536), one
# key column's value at most RECORD_PK_VALUE_MAX (1024) "with the marker
# counted within the cap".
echo "=== case caps"
sed 's/^dbsyscheck: //' "$W/all.text" | awk '
{
	if (length($0) > 4096) { print "body of " length($0) " bytes"; bad = 1 }
	for (i = 1; i <= NF; i++) {
		if ($i !~ /^pk=/)
			continue
		v = substr($i, 4)
		if (length(v) > 1536) {
			print "pk= of " length(v) " bytes"; bad = 1
		}
		n = split(v, cols, ",")
		for (j = 1; j <= n; j++) {
			sub(/^[^=]*=/, "", cols[j])
			if (length(cols[j]) > 1024 && !seen[length(cols[j])]++) {
				print "a key value of " length(cols[j]) \
				    " bytes: " substr(cols[j], 1, 12) "..." \
				    substr(cols[j], length(cols[j]) - 11)
				bad = 1
			}
		}
	}
}
END { exit bad }' || fail "records past the documented caps"
echo "=== case caps: PASS"

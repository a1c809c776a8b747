# The row data of the benchmarks (bench/run.sh, bench/follow.sh,
# bench/reconcile.sh), sourced by each: row_sql ID prints a SELECT of one
# row of bench.users for the id expression ID, text of about 177 bytes a
# row (the values as the client receives them), notes NULL in every fifth
# row.
row_sql()
{
	# $1: the expression of the id
	cat <<EOF
SELECT $1, CONCAT('user', $1),
    CONCAT('\$2y\$10\$', LEFT(TO_BASE64(UNHEX(SHA2($1, 512))), 53)),
    CONCAT('user', $1, '@example.com'),
    TIMESTAMP'2015-01-01 00:00:00' + INTERVAL ($1 * 97) SECOND,
    ($1 * 7919) % 10000000 / 100,
    IF($1 % 5 = 0, NULL,
        LEFT(CONCAT('note for user ', $1, ': ', SHA2($1, 512)),
        36 + $1 % 63))
EOF
}

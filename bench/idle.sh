# The waits of the benchmarks (bench/run.sh, bench/follow.sh,
# bench/reconcile.sh), sourced by each: they use the server's process id
# (db_pid, from tests/integration/setup), the clock ticks a second (tck)
# and the cores (ncpu) the benchmark sets.

# The server's CPU time so far, in clock ticks.
server_ticks()
{
	awk '{ print $14 + $15 }' "/proc/$db_pid/stat"
}

# The machine's busy CPU time so far, all cores, in clock ticks.
machine_ticks()
{
	awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}

# Wait (up to 20 s) until the server is idle: at most 2 ticks in 0.25 s.
settle()
{
	_st_i=0
	while [ "$_st_i" -lt 80 ]; do
		_st_a=$(server_ticks)
		sleep 0.25
		_st_b=$(server_ticks)
		[ $((_st_b - _st_a)) -gt 2 ] || return 0
		_st_i=$((_st_i + 1))
	done
	echo "bench: server not idle after 20 s, measuring anyway" >&2
}

# Wait (up to BENCH_QUIET seconds, 10) for the other users of this machine:
# until its cores are at least 80% idle for half a second.
quiet()
{
	_q_i=0
	while [ "$_q_i" -lt $((2 * ${BENCH_QUIET:-10})) ]; do
		_q_a=$(machine_ticks)
		sleep 0.5
		_q_b=$(machine_ticks)
		[ $((_q_b - _q_a)) -gt $((ncpu * tck / 10)) ] || return 0
		_q_i=$((_q_i + 1))
	done
}

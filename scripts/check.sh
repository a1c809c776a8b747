#!/bin/sh
# Build with warnings as errors, run every test, close with one line
# "N passed, N failed"; exit non-zero when anything failed.
#
# With CI=true (or DBSC_CHECK_ALL=1) also: the whole suite again in a
# separate build directory (VPATH, from the tree make distdir writes)
# configured with --enable-asan --enable-ubsan --enable-werror (any
# sanitizer report fails its test), and make fuzz, every libFuzzer target
# for FUZZ_SECONDS (default 60); each target counts as one test. With
# DBSC_CHECK_VALGRIND=1 also the suite under valgrind (make check
# VALGRIND=1, about 9 minutes on 2 cores). The last line counts them all.
# The sanitizer pass runs in a time zone of its own (TZ), chosen so that
# one of the two passes sees a local hour of one digit and the other one
# of two: servers and syslog write their local time.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

DBSC_CONFIGURE_FLAGS=${DBSC_CONFIGURE_FLAGS:---enable-werror}
export DBSC_CONFIGURE_FLAGS
if [ "${CI:-}" = true ]; then
	: "${DBSC_CHECK_ALL:=1}"
fi
DBSC_CHECK_ALL=${DBSC_CHECK_ALL:-0}
DBSC_CHECK_VALGRIND=${DBSC_CHECK_VALGRIND:-0}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}

if ! sh scripts/build.sh; then
	echo "check: the build failed" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

passed=0
failed=0
skipped=0
san_dir=
cleanup()
{
	[ -z "$san_dir" ] || rm -rf "$san_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# count LOG NAME: the "# NAME: n" line of an automake test-suite log.
count()
{
	_n=$(sed -n "s/^# $2: *\([0-9][0-9]*\)\$/\1/p" "$1" 2>/dev/null |
	    head -n 1)
	echo "${_n:-0}"
}

# suite NAME DIR [MAKE ARGS...]: make check in DIR; add up its counts.
suite()
{
	_name=$1
	_dir=$2
	shift 2
	_t0=$(date +%s)
	rm -f "$_dir/test-suite.log"
	_st=0
	make -C "$_dir" -j2 check VERBOSE=1 "$@" || _st=$?
	_p=$(($(count "$_dir/test-suite.log" PASS) +
	    $(count "$_dir/test-suite.log" XFAIL)))
	_f=$(($(count "$_dir/test-suite.log" FAIL) +
	    $(count "$_dir/test-suite.log" ERROR) +
	    $(count "$_dir/test-suite.log" XPASS)))
	_s=$(count "$_dir/test-suite.log" SKIP)
	if [ "$_st" -ne 0 ] && [ "$_f" -eq 0 ]; then
		echo "check: $_name: make check failed (exit $_st) outside" \
		    "the tests" >&2
		_f=1
	fi
	passed=$((passed + _p))
	failed=$((failed + _f))
	skipped=$((skipped + _s))
	echo "check: $_name: PASS $_p, FAIL $_f, SKIP $_s" \
	    "($(($(date +%s) - _t0)) s)"
}

# The local hour as the first pass starts (the sanitizer pass picks a time
# zone from it).
first_hour=$(date +%H | sed 's/^0//')
suite "the suite (--enable-werror)" "$top"

if [ "$DBSC_CHECK_VALGRIND" = 1 ]; then
	suite "the suite under valgrind" "$top" VALGRIND=1
fi

if [ "$DBSC_CHECK_ALL" = 1 ]; then
	# The sanitizer build in a build directory of its own (a VPATH
	# build, as make distcheck does one): automake refuses to configure
	# a second build of a source tree configured in place, so its
	# sources are the tree make distdir writes (which also proves the
	# tarball complete and its VPATH build sound); the normal build stays
	# as it is.
	_t0=$(date +%s)
	san_dir=$(mktemp -d /tmp/dbsc-san.XXXXXX)
	if make distdir distdir="$san_dir/src" >"$san_dir/distdir.log" 2>&1 &&
	    mkdir "$san_dir/build-san" && (cd "$san_dir/build-san" &&
	    ../src/configure --enable-asan --enable-ubsan --enable-werror \
	    >configure.log 2>&1 && make -j2 >make.log 2>&1); then
		echo "check: sanitizer build in $san_dir/build-san" \
		    "($(($(date +%s) - _t0)) s)"
		# This pass runs in another time zone, for the tests and the
		# servers they start: a local hour of one digit if the first
		# pass started at an hour of two, and the other way round.
		_want=4
		[ "${first_hour:-0}" -ge 10 ] || _want=14
		_utc=$(date -u +%H | sed 's/^0//')
		_tz_set=${TZ+y}
		_tz_was=${TZ-}
		TZ="DBSC-$(((_want - ${_utc:-0} + 24) % 24))"
		export TZ
		echo "check: the sanitizer pass runs with TZ=$TZ" \
		    "(local time $(date '+%Y-%m-%d %k:%M'))"
		# The build is under /tmp, which dbsyscheck refuses as a place
		# for its files (sticky but world-writable): tests/testdir.sh
		# finds the tests another place.
		suite "the suite under ASan and UBSan" "$san_dir/build-san"
		if [ "$_tz_set" = y ]; then
			TZ=$_tz_was
		else
			unset TZ
		fi
	else
		tail -n 40 "$san_dir"/distdir.log \
		    "$san_dir"/build-san/configure.log \
		    "$san_dir"/build-san/make.log >&2 2>/dev/null || true
		echo "check: the sanitizer build failed" >&2
		failed=$((failed + 1))
	fi
	rm -rf "$san_dir"
	san_dir=

	# make fuzz: each target one test.
	_t0=$(date +%s)
	_st=0
	make fuzz FUZZ_SECONDS="$FUZZ_SECONDS" >fuzz.log 2>&1 || _st=$?
	cat fuzz.log
	_p=$(grep -c '^fuzz: fuzz_[a-z]*: .*no crash$' fuzz.log || true)
	_f=$(grep -c '^fuzz: fuzz_[a-z]*: FAILED' fuzz.log || true)
	if [ "$_st" -ne 0 ] && [ "$_f" -eq 0 ]; then
		echo "check: make fuzz failed (exit $_st)" >&2
		_f=1
	fi
	passed=$((passed + _p))
	failed=$((failed + _f))
	echo "check: fuzz (${FUZZ_SECONDS} s a target): PASS $_p, FAIL $_f" \
	    "($(($(date +%s) - _t0)) s)"
fi

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]

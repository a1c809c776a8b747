#!/bin/sh
# Build with warnings as errors, run every test, close with one line
# "N passed, N failed"; exit non-zero when anything failed.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

DBSC_CONFIGURE_FLAGS=${DBSC_CONFIGURE_FLAGS:---enable-werror}
export DBSC_CONFIGURE_FLAGS

if ! sh scripts/build.sh; then
	echo "check: the build failed" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

rm -f test-suite.log
status=0
make -j2 check VERBOSE=1 || status=$?

# count NAME: the "# NAME: n" line of the automake test-suite log.
count()
{
	_n=$(sed -n "s/^# $1: *\([0-9][0-9]*\)\$/\1/p" test-suite.log 2>/dev/null |
	    head -n 1)
	echo "${_n:-0}"
}

passed=$(($(count PASS) + $(count XFAIL)))
failed=$(($(count FAIL) + $(count ERROR) + $(count XPASS)))
skipped=$(count SKIP)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
	echo "check: make check failed (exit $status) outside the tests" >&2
	failed=1
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]

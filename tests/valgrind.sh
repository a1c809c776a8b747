#!/bin/sh
# Run a test program, through valgrind when DBSC_VALGRIND is 1.
#
# The LOG_COMPILER of make check (Makefile.am) and the wrapper of every
# dbsyscheck run in tests/integration/setup. DBSC_VALGRIND comes from make
# check VALGRIND=1 or configure --enable-valgrind; any memory error or
# definite or indirect leak makes the program exit 99, which fails the
# test. DBSC_VALGRIND_LOG, when set, is valgrind's --log-file (setup fails
# a driver whose files are not empty, so that a background run counts
# too). Shell drivers run as they are: setup wraps what they start.

case ${DBSC_VALGRIND:-0} in
0 | no | '')
	exec "$@"
	;;
esac
case $1 in
*.sh)
	exec "$@"
	;;
esac
command -v valgrind >/dev/null 2>&1 || {
	echo "valgrind.sh: DBSC_VALGRIND=$DBSC_VALGRIND but no valgrind" \
	    "(scripts/deps.sh installs it)" >&2
	exit 99
}
set -- valgrind -q --error-exitcode=99 --leak-check=full \
    --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect \
    --track-origins=yes --trace-children=no \
    ${DBSC_VALGRIND_LOG:+"--log-file=$DBSC_VALGRIND_LOG"} "$@"
exec "$@"

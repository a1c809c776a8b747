#!/bin/sh
# Build dbsyscheck in the source tree: Debian packages, autotools, make.
# DBSC_CONFIGURE_FLAGS, when set, are the configure arguments (the tree is
# reconfigured when they differ from the last ones); unset, the arguments
# of the last configure are kept.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

sh scripts/deps.sh

# One argument a line, to compare argument lists.
arg_lines()
{
	for _a in "$@"; do
		printf '%s\n' "$_a"
	done
}

if [ "${DBSC_CONFIGURE_FLAGS+set}" = set ]; then
	# shellcheck disable=SC2086
	set -- $DBSC_CONFIGURE_FLAGS
elif [ -x config.status ]; then
	# config.status prints them shell-quoted.
	eval "set -- $(./config.status --config)"
else
	set --
fi

reconf=0
if [ ! -f Makefile ] || [ ! -x config.status ] ||
    [ configure.ac -nt Makefile ] || [ Makefile.am -nt Makefile ]; then
	reconf=1
elif [ "$(eval "arg_lines $(./config.status --config)")" != \
    "$(arg_lines "$@")" ]; then
	reconf=1
fi

if [ "$reconf" = 1 ]; then
	./autogen.sh
	./configure "$@"
fi
make -j2

#!/bin/sh
# Build dbsyscheck in the source tree: Debian packages, autotools, make.
# DBSC_CONFIGURE_FLAGS, when set, are the configure arguments; the tree is
# reconfigured when they differ from those of the last configure.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

sh scripts/deps.sh

# The arguments as config.status --config prints them: each one quoted.
quoted_flags()
{
	# shellcheck disable=SC2086
	set -- ${DBSC_CONFIGURE_FLAGS:-}
	_q=
	for _a in "$@"; do
		_q="$_q '$_a'"
	done
	echo "${_q# }"
}

reconf=0
if [ ! -f Makefile ] || [ ! -x config.status ] ||
    [ configure.ac -nt Makefile ] || [ Makefile.am -nt Makefile ]; then
	reconf=1
elif [ "${DBSC_CONFIGURE_FLAGS+set}" = set ] &&
    [ "$(./config.status --config)" != "$(quoted_flags)" ]; then
	reconf=1
fi

if [ "$reconf" = 1 ]; then
	./autogen.sh
	# shellcheck disable=SC2086
	./configure ${DBSC_CONFIGURE_FLAGS:-}
fi
make -j2

#!/bin/sh
# build-ossec.sh: print the prefix of a local OSSEC HIDS 4.2.0 install for
# the tests, building it first if no cached build is there.
#
# The source is the public tarball of OSSEC HIDS 4.2.0 (docs/OSSEC.md,
# tests/README.md): $DBSC_OSSEC_TARBALL, else ossec-hids-4.2.0.tar.gz in a
# shared/vendor directory next to the source tree or above it. The build
# (about a minute on 2 cores) is installed under
# /var/lib/dbsc-tests/ossec-SHA (SHA: the first 12 hexadecimal digits of
# the tarball's SHA-256) and kept there for later runs; a build whose
# stamp is missing is redone. The binaries chroot into that prefix, and
# "make install" creates the users ossec, ossecm and ossecr: root only.
#
# Exit 0 and the prefix on standard output; exit 77 (automake's "skip")
# with a message that says how to run the tests, when there is no
# tarball or we are not root; exit 99 (a hard error) when the build
# fails, or when CI=true and the tests cannot run.
set -eu

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
want=1c564ed921c13ca002a6ae1a333dec8647499b8d80407eeedea96ca2f461d122

skip()
{
	echo "build-ossec.sh: $*" >&2
	if [ "${CI:-}" = true ]; then
		echo "build-ossec.sh: CI=true: the OSSEC tests must run" >&2
		exit 99
	fi
	echo "build-ossec.sh: to run the OSSEC tests, run them as root with" \
	    "DBSC_OSSEC_TARBALL=/path/to/ossec-hids-4.2.0.tar.gz" >&2
	exit 77
}

tarball=${DBSC_OSSEC_TARBALL:-}
if [ -z "$tarball" ]; then
	for d in "$srcdir/../shared/vendor" "$srcdir/../../shared/vendor" \
	    /work/shared/vendor; do
		if [ -f "$d/ossec-hids-4.2.0.tar.gz" ]; then
			tarball=$d/ossec-hids-4.2.0.tar.gz
			break
		fi
	done
fi
[ -n "$tarball" ] && [ -f "$tarball" ] ||
    skip "no OSSEC HIDS 4.2.0 source tarball found"
[ "$(id -u)" = 0 ] || skip "the OSSEC binaries run only as root"

sum=$(sha256sum "$tarball" | cut -d' ' -f1)
if [ "$sum" != "$want" ]; then
	echo "build-ossec.sh: $tarball: SHA-256 $sum, expected $want" >&2
	exit 99
fi
prefix=/var/lib/dbsc-tests/ossec-$(echo "$sum" | cut -c1-12)
stamp=$prefix/.dbsc-built

# One build at a time; a second caller waits for the first to finish.
mkdir -p /var/lib/dbsc-tests
chmod 0755 /var/lib/dbsc-tests
exec 9>/var/lib/dbsc-tests/ossec.build.lock
flock 9

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
	echo "$prefix"
	exit 0
fi

build=$(mktemp -d /var/lib/dbsc-tests/ossec-build.XXXXXX)
log=$build.log
trap 'rm -rf "$build"' EXIT
echo "build-ossec.sh: building OSSEC HIDS 4.2.0 into $prefix" \
    "(log: $log)" >&2
rm -rf "$prefix"
if ! (
	set -e
	tar -xzf "$tarball" -C "$build"
	cd "$build/ossec-hids-4.2.0/src"
	make -j2 TARGET=local PREFIX="$prefix" USE_SYSTEMD=no build
	make TARGET=local PREFIX="$prefix" USE_SYSTEMD=no install
) >"$log" 2>&1; then
	tail -n 30 "$log" >&2
	echo "build-ossec.sh: the OSSEC build failed (log: $log)" >&2
	exit 99
fi
[ -x "$prefix/bin/ossec-logtest" ] || {
	echo "build-ossec.sh: no ossec-logtest in $prefix" >&2
	exit 99
}
cp "$prefix/etc/ossec.conf" "$prefix/etc/ossec.conf.dist"
echo "$sum" >"$stamp"
rm -f "$log"
echo "$prefix"

#!/bin/sh
# Install the Debian packages that the build, the tests and the demo need
# (clang and libclang-rt-dev, whose libclang-rt-NN-dev has the libFuzzer
# runtime, for make fuzz; valgrind for make check VALGRIND=1; zlib1g-dev for
# the binary log's compressed row events, and with libpcre2-dev and
# libmagic-dev to build OSSEC HIDS 4.2.0 for the OSSEC tests).
# Idempotent: does nothing (and needs no root) when all are installed.
set -eu

pkgs="
	gcc make libc6-dev pkg-config autoconf automake libtool
	libmariadb-dev libssl-dev libsqlite3-dev libcmocka-dev
	mariadb-server mariadb-client libxml2-utils python3 sqlite3 openssl
	coreutils diffutils grep sed procps util-linux
	jq
	libpcre2-dev libmagic-dev zlib1g-dev
	clang libclang-rt-dev valgrind
"

missing=
for p in $pkgs; do
	s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) || s=
	[ "$s" = installed ] || missing="$missing $p"
done
[ -n "$missing" ] || exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$missing; run me as root" >&2
	exit 2
fi

# Without systemd, mariadb-server's postinst starts the server through
# invoke-rc.d and fails the install if that fails. Our tests never use the
# system service: deny service starts for this install, as container images
# do, unless a policy is already in place.
policy=/usr/sbin/policy-rc.d
added_policy=0
cleanup()
{
	[ "$added_policy" = 0 ] || rm -f "$policy"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ ! -d /run/systemd/system ] && [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 0755 "$policy"
	added_policy=1
fi

echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $missing

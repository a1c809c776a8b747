#!/bin/sh
# testdir.sh DIR: print the directory the tests keep their files in. It
# must be a place dbsyscheck accepts (docs/SECURITY.md): every directory
# from / down to it owned by root or the user and not writable by group or
# others, so never below /tmp. DIR (the build tree's tests/) when it is
# such a place, else $HOME/.cache/dbsc-tests (a clone or a make
# distcheck below /tmp); exit 1 when neither is.
set -eu

uid=$(id -u)

# safe DIR: DIR and every directory above it pass dbsyscheck's checks.
safe()
{
	_d=$(realpath -e "$1" 2>/dev/null) || return 1
	while :; do
		_st=$(stat -c '%u %a' "$_d") || return 1
		_u=${_st% *}
		_m=${_st#* }
		[ "$_u" = 0 ] || [ "$_u" = "$uid" ] || return 1
		[ $((0$_m & 022)) = 0 ] || return 1
		[ "$_d" != / ] || return 0
		_d=$(dirname "$_d")
	done
}

mkdir -p "$1" 2>/dev/null || true
if safe "$1"; then
	echo "$1"
	exit 0
fi
fb=${HOME:-/nonexistent}/.cache/dbsc-tests
if mkdir -p "$fb" 2>/dev/null && chmod 0700 "$fb" && safe "$fb"; then
	echo "$fb"
	exit 0
fi
echo "testdir.sh: neither $1 nor $fb is a place dbsyscheck accepts" \
    "(every directory above it owned by root or $(id -un), not writable" \
    "by group or others); set DBSC_TESTDIR to one" >&2
exit 1

#!/bin/sh
# testdir.sh DIR: print the directory the tests keep their files in. It
# must be a place dbsyscheck accepts (docs/SECURITY.md): every directory
# from / down to it owned by root or the user and not writable by group or
# others, so never below /tmp. DIR (the build tree's tests/) when it is
# such a place; else (a clone or a make distcheck below /tmp)
# /var/lib/dbsc-tests for root, mode 0755 because some tests act as
# another user (nobody) in their work dirs, or $HOME/.cache/dbsc-tests
# for other users; exit 1 when none is.
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
if [ "$uid" = 0 ]; then
	fb=/var/lib/dbsc-tests
	fbmode=0755
else
	fb=${HOME:-/nonexistent}/.cache/dbsc-tests
	fbmode=0700
fi
if mkdir -p "$fb" 2>/dev/null && chmod "$fbmode" "$fb" && safe "$fb"; then
	echo "$fb"
	exit 0
fi
echo "testdir.sh: neither $1 nor $fb is a place dbsyscheck accepts" \
    "(every directory above it owned by root or $(id -un), not writable" \
    "by group or others); set DBSC_TESTDIR to one" >&2
exit 1

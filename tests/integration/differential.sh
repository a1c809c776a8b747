#!/bin/sh
# Seeded randomized differential test (issue 12): rounds of random
# inserts, updates, deletes and key changes on tables of every column
# type, values drawn from pools that differ only in exact bytes (FLOAT
# below the sixth digit, a DOUBLE's last bit, DECIMAL scale digits,
# trailing zero bytes and spaces, TIME fractions, BIT, SET order) or not
# at all; after each round the records of a full-mode and a chunk-mode
# scan must be exactly those that the server's own view of every row
# before and after calls for (tests/integration/differential.py):
# 0 missed, 0 phantom, 0 wrong changed=.
#
# DBSC_DIFF_SEEDS: how many random seeds (default 3, 6 with CI=true);
# DBSC_SEED=S1[,S2...] runs exactly these (a failure prints the command);
# DBSC_DIFF_ROUNDS: rounds per seed (default 20). The seeds that once
# found a bug run too, every time (the first seeds of the list): 2926525849, whose
# round 19 reported a stored row as inserted in chunk mode (a range
# starting inside a block took in hand the block without its deltas up
# to the range's start; rewritten with a lower bound, it left one of them
# past every block, where no cursor read it again).
#
# On the code before issue 12's exact encoding this FAILS: FLOAT changes
# below the sixth significant digit are missed (the text protocol shows
# six digits).
. "$(dirname "$0")/setup"

command -v python3 >/dev/null 2>&1 || fail "python3 is missing"
if [ -n "${DBSC_SEED:-}" ]; then
	seeds=$DBSC_SEED
else
	case ${CI:-} in
	true) n=${DBSC_DIFF_SEEDS:-6} ;;
	*) n=${DBSC_DIFF_SEEDS:-3} ;;
	esac
	seeds=2926525849
	while [ "$n" -gt 0 ]; do
		s=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
		seeds=${seeds:+$seeds,}$s
		n=$((n - 1))
	done
fi
echo "$test_name: seeds $seeds (DBSC_SEED=$seeds repeats them)"

db_start
(umask 077 && cat >"$W/my.cnf") <<EOF2
[client]
socket=$W/sock
user=root
EOF2
DBSC_SOCK=$W/sock DBSC_BIN=$top_builddir/dbsyscheck DBSC_WRAP=$dbsc_wrap \
    DBSC_WORK=$W DBSC_SEEDS=$seeds DBSC_TIMEOUT=$DBSC_TIMEOUT \
    python3 "$top_srcdir/tests/integration/differential.py" ||
    fail "records differ from the server's truth (seeds $seeds)"

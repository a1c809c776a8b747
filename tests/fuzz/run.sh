#!/bin/sh
# Build the libFuzzer targets and run each for FUZZ_SECONDS.
#
# Called by make fuzz (Makefile.am), which passes top_srcdir, top_builddir
# (for config.h), FUZZ_CC, FUZZ_SECONDS, WARN_CFLAGS and the pkg-config
# flags; arguments name the targets (default: all). Everything is built
# with its own compiler invocation into $top_builddir/tests/fuzz/build/,
# never touching the normal build. Each target starts from the seed corpus
# in tests/fuzz/corpus/TARGET/ (read-only) plus what earlier runs found in
# build/corpus/TARGET/. A crash, leak, sanitizer report, timeout or failed
# invariant fails the run; the input is saved as build/TARGET-crash-*, and
# the run's output is in build/TARGET.log. Reproduce with
#   tests/fuzz/build/TARGET tests/fuzz/build/TARGET-crash-...
set -eu

: "${top_srcdir:?}" "${top_builddir:?}"
FUZZ_CC=${FUZZ_CC:-clang}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
fz=$top_srcdir/tests/fuzz
src=$top_srcdir/src
out=$top_builddir/tests/fuzz/build

all_targets="fuzz_conf fuzz_rowenc fuzz_record fuzz_records fuzz_udf"
all_targets="$all_targets fuzz_block"
all_targets="$all_targets fuzz_binrow"
all_targets="$all_targets fuzz_ddl"
all_targets="$all_targets fuzz_audit"
[ $# -gt 0 ] || set -- $all_targets

# The src/ files each target links (besides fuzz_check.c).
sources()
{
	case $1 in
	fuzz_conf)	echo conf buf util secret xmalloc ;;
	fuzz_rowenc)	echo rowenc chunkhash record buf schema siphash conf util \
			    secret xmalloc ;;
	fuzz_record)	echo record buf ;;
	fuzz_records)	echo record buf ;;
	fuzz_udf)	echo udf/udf_log udf/udf_log_error udf/udf_env record buf \
			    secret token ;;
	fuzz_block)	echo block diff buf xmalloc ;;
	fuzz_binrow)	echo binrow buf ;;
	fuzz_ddl)	echo ddl buf ;;
	fuzz_audit)	echo audit buf util secret xmalloc ;;
	*)		echo "fuzz: unknown target $1" >&2; return 1 ;;
	esac
}

[ -f "$top_builddir/config.h" ] || {
	echo "fuzz: $top_builddir/config.h is missing: run configure first" >&2
	exit 2
}
command -v "$FUZZ_CC" >/dev/null 2>&1 || {
	echo "fuzz: no $FUZZ_CC (scripts/deps.sh installs clang)" >&2
	exit 2
}

san="-fsanitize=address,undefined -fno-sanitize-recover=all"
san="$san -fno-omit-frame-pointer"
cppflags="-I$top_builddir -I$top_builddir/src -I$src -I$src/udf -I$fz"
cppflags="$cppflags -DDBSC_SYSCONFDIR=\"/etc/dbsyscheck\""
cppflags="$cppflags -DDBSC_STATEDIR=\"/var/lib/dbsyscheck\""
# shellcheck disable=SC2086
cflags="-g -O1 -pthread ${WARN_CFLAGS:-} ${CRYPTO_CFLAGS:-} ${MYSQL_CFLAGS:-}"
cflags=$(printf '%s\n' $cflags | grep -v -x -e '-Werror' | tr '\n' ' ')

rm -rf "$out/obj"
mkdir -p "$out/obj" "$out/corpus"

# The fuzzer runtime must be there: Debian's libclang-rt-NN-dev.
printf 'int LLVMFuzzerTestOneInput(const char *p, long n)' >"$out/probe.c"
printf '{ (void)p; (void)n; return 0; }\n' >>"$out/probe.c"
# shellcheck disable=SC2086
"$FUZZ_CC" $san -fsanitize=fuzzer -o "$out/probe" "$out/probe.c" \
    >"$out/probe.log" 2>&1 || {
	cat "$out/probe.log" >&2
	echo "fuzz: $FUZZ_CC cannot link -fsanitize=fuzzer" \
	    "(scripts/deps.sh installs libclang-rt-dev)" >&2
	exit 2
}
rm -f "$out/probe" "$out/probe.c" "$out/probe.log"

# cc OBJ SRC: compile for a target, with coverage for the fuzzer.
cc()
{
	# shellcheck disable=SC2086
	"$FUZZ_CC" $cppflags $cflags $san -fsanitize=fuzzer-no-link \
	    -c -o "$1" "$2"
}

status=0
summary=
for t in "$@"; do
	objs=
	for s in $(sources "$t"); do
		o=$out/obj/$(echo "$s" | tr / _).o
		[ -f "$o" ] || cc "$o" "$src/$s.c"
		objs="$objs $o"
	done
	[ -f "$out/obj/fuzz_check.o" ] ||
	    cc "$out/obj/fuzz_check.o" "$fz/fuzz_check.c"
	cc "$out/obj/$t.o" "$fz/$t.c"
	# shellcheck disable=SC2086
	"$FUZZ_CC" $san -fsanitize=fuzzer -pthread -o "$out/$t" \
	    "$out/obj/$t.o" "$out/obj/fuzz_check.o" $objs ${CRYPTO_LIBS:-} ${ZLIB_LIBS:-}

	mkdir -p "$out/corpus/$t"
	rm -f "$out/$t"-crash-* "$out/$t"-leak-* "$out/$t"-timeout-* \
	    "$out/$t"-oom-*
	echo "fuzz: $t for ${FUZZ_SECONDS}s"
	st=0
	"$out/$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$out/$t-" "$out/corpus/$t" "$fz/corpus/$t" \
	    >"$out/$t.log" 2>&1 </dev/null || st=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
	    "$out/$t.log" | tail -n 1)
	cov=$(sed -n \
	    's/^#[0-9]*.*DONE *cov: \([0-9]*\) ft: \([0-9]*\).*/cov \1, ft \2/p' \
	    "$out/$t.log" | tail -n 1)
	if [ "$st" -eq 0 ]; then
		line="$t: ${runs:-?} runs, ${cov:-no coverage figures}, no crash"
	else
		status=1
		line="$t: FAILED (exit $st) after ${runs:-?} runs"
		grep -E -A 40 -m 1 \
		    -e '^==[0-9]+==ERROR' -e 'check failed' \
		    -e 'runtime error' -e 'ALARM|timeout' "$out/$t.log" \
		    >&2 || tail -n 40 "$out/$t.log" >&2
		for a in "$out/$t"-crash-* "$out/$t"-leak-* \
		    "$out/$t"-timeout-* "$out/$t"-oom-*; do
			[ -f "$a" ] && echo "fuzz: reproduce with $out/$t $a" >&2
		done
	fi
	echo "fuzz: $line"
	summary="$summary$line
"
done
printf '%s' "$summary"
exit "$status"

#!/bin/sh
# Run one fuzz target (make fuzz): FUZZ_TIME seconds (FUZZ_RUNS inputs,
# when set) from its seeds, tests/fuzz/corpus/NAME, which it only reads;
# what it finds new goes to OUT/corpus/NAME.  Prints one line, and on a
# failure the end of the log, OUT/NAME.log; a crashing input is kept as
# OUT/NAME-crash-*.  OUT is FUZZ_OUT, by default build/fuzz.  tests/fuzz/fuzz-NAME.flags, when
# there is one, adds libFuzzer options for that target.
set -u
bin=$1
name=${bin##*/fuzz-}
out=${FUZZ_OUT:-build/fuzz}
work=$out/corpus/$name
log=$out/$name.log
flags=
[ -f "tests/fuzz/fuzz-$name.flags" ] && flags=$(cat "tests/fuzz/fuzz-$name.flags")
mkdir -p "$work" "tests/fuzz/corpus/$name"
# The targets write their input to a file under TMPDIR: a tmpfs spares
# the disk.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm
	export TMPDIR
fi
case $flags in
*-detect_leaks=0*)
	# Its leaks are die()'s leftovers: no check at exit either.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	export ASAN_OPTIONS
esac

# One libFuzzer process: FUZZ_TIME seconds, or $1 inputs.
run() {
	if [ -n "${1:-}" ]; then
		limit="-runs=$1"
	else
		limit="-max_total_time=${FUZZ_TIME:-60}"
	fi
	# shellcheck disable=SC2086
	"$bin" $limit -print_final_stats=1 -artifact_prefix="$out/$name-" \
	    $flags "$work" "tests/fuzz/corpus/$name" >"$log" 2>&1
	status=$?
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	runs=$((runs + ${n:-0}))
}

start=$(date +%s)
runs=0
status=0
if [ -n "${FUZZ_RUNS:-}" ]; then
	# A long run goes in parts of at most 200,000 inputs, each a new
	# process: what the inputs that die leave behind (see fuzz.h) does
	# not pile up past libFuzzer's memory limit.
	left=$FUZZ_RUNS
	while [ "$left" -gt 0 ] && [ "$status" -eq 0 ]; do
		part=$((left < 200000 ? left : 200000))
		run "$part"
		left=$((left - part))
		echo "fuzz-$name: $runs of $FUZZ_RUNS runs, $(($(date +%s) - start)) s" >&2
	done
else
	run
fi
secs=$(($(date +%s) - start))
if [ "$status" -ne 0 ]; then
	tail -n 40 "$log"
	echo "fuzz-$name: FAILED after $runs runs in $secs s (exit $status; log $log)"
	exit 1
fi
echo "fuzz-$name: $runs runs in $secs s, nothing found"

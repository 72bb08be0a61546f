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
if [ -n "${FUZZ_RUNS:-}" ]; then
	limit="-runs=$FUZZ_RUNS"
else
	limit="-max_total_time=${FUZZ_TIME:-60}"
fi
mkdir -p "$work" "tests/fuzz/corpus/$name"
# The targets write their input to a file under TMPDIR: a tmpfs spares
# the disk.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm
	export TMPDIR
fi
start=$(date +%s)
# shellcheck disable=SC2086
"$bin" $limit -print_final_stats=1 -artifact_prefix="$out/$name-" \
    $flags "$work" "tests/fuzz/corpus/$name" >"$log" 2>&1
status=$?
secs=$(($(date +%s) - start))
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
if [ "$status" -ne 0 ]; then
	tail -n 40 "$log"
	echo "fuzz-$name: FAILED after ${runs:-?} runs in $secs s (exit $status; log $log)"
	exit 1
fi
echo "fuzz-$name: ${runs:-?} runs in $secs s, nothing found"

#!/usr/bin/env bats
# The kill test (tests/crash.sh), short: 50 imports killed at random
# moments and 2 rounds of 8 writers.  make crash runs 1,000.

load helper

@test "crash: imports and single adds killed at random moments: all or nothing, no acknowledged id lost, nothing twice after a retry" {
	local slow=1

	# An ASan build is several times slower: wait longer before a kill.
	grep -q fsanitize "$TOP/build/flags" 2>/dev/null && slow=5
	run env TMPDIR="$T" CRASH_SLOW="$slow" sh "$TOP/tests/crash.sh" 50 2
	echo "$output"
	[ "$status" -eq 0 ]
	[[ ${lines[-1]} == "crash: 50 trials ("*"): 0 partial batches, 0 acknowledged lost, 0 duplicates after retry, 0 torn reads, 0 other failures; 2 writer trials ("*"): 0 acknowledged lost, 0 duplicates, 0 other failures (seed "*")" ]]
}

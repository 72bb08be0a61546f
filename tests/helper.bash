# Common setup for the bats tests: programs from ../bin, the fixture data
# set, a scratch directory, and a fixed "today" so defaults are stable.
TOP="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
PATH="$TOP/bin:$PATH"
FIX="$TOP/fixtures/binhluc-2024"
export DC_TODAY=2024-12-14
export LC_ALL=C

setup() {
	T="$BATS_TEST_TMPDIR"
}

# A fresh registry "$T/NAME.tsv" with the fixture's schema beside it.
new_registry() {
	cp "$FIX/$1.schema" "$T/$1.schema"
	dc-add --init "$T/$1.tsv"
}

# Run a command with standard input from a string.
run_in() {
	local input="$1"; shift
	run bash -c '"$@" <<<"$0"' "$input" "$@"
}

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

# -j N: the fixture NAME 40 times over in "$T/NAME.tsv", each copy with
# ids of its own, so that a history's versions of an id lie far apart
# and every range of a split holds some.
big_copies() {
	awk -F'\t' -v OFS='\t' 'NR == 1 { print; next }
	    { line[NR] = $0 }
	    END { for (c = 0; c < 40; c++) for (i = 2; i <= NR; i++) {
		$0 = line[i]; $1 = sprintf("%s-%d", $1, c); print } }' \
	    "$FIX/$1.tsv" > "$T/$1.tsv"
}

#!/bin/sh
# journal.sh [ADDS [DIR...]]: what a single add costs: 8 writers at
# once, each making ADDS single adds (default 200) to one registry (a
# copy of the fixture's people), with the dc-add of each DIR (default
# bin/).  Prints adds per second for each, the median of BENCH_RUNS
# (default 3) runs, after checking that every add is in.
#
#	JOURNAL_BEFORE=REV	also build REV (e.g. the commit before the
#				journal) in a temporary clone and time it
#				first: the before and after of one change
set -u
cd "$(dirname "$0")/../.." || exit 2
TOP=$(pwd)
ADDS=${1:-200}
[ $# -gt 0 ] && shift
RUNS=${BENCH_RUNS:-3}
WRITERS=8
DC_TODAY=2025-01-24
LC_ALL=C
export DC_TODAY LC_ALL

WORK=$(mktemp -d "${TMPDIR:-/tmp}/journal.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
trap 'exit 2' HUP INT TERM

dirs=
if [ -n "${JOURNAL_BEFORE:-}" ]; then
	git clone -q "$TOP" "$WORK/before" &&
	    git -C "$WORK/before" checkout -q "$JOURNAL_BEFORE" &&
	    make -C "$WORK/before" -s >/dev/null || exit 2
	dirs="$WORK/before/bin"
fi
[ $# -eq 0 ] && set -- "$TOP/bin"

# One writer (sh -c WRITER writer DIR W): ADDS single adds to the
# registry, each with its own cccd.
WRITER='i=1
while [ "$i" -le "$ADDS" ]; do
	"$1/dc-add" "$REG" name="Người $2-$i" sex=nam birth=1980-01-01 \
	    cccd="$(printf "8%02d%09d" "$2" "$i")" "commune=An Nội" \
	    status=nghien >/dev/null || exit 1
	i=$((i + 1))
done'
REG=$WORK/r/people.tsv
export WRITER ADDS REG

# One run: the seconds 8 writers take, on a fresh registry.
run_once() {
	rm -rf "$WORK/r" && mkdir "$WORK/r" &&
	    cp fixtures/binhluc-2024/people.schema fixtures/binhluc-2024/people.tsv \
		"$WORK/r/" || exit 2
	/usr/bin/time -p sh -c 'w=0
		while [ "$w" -lt '"$WRITERS"' ]; do
			w=$((w + 1))
			sh -c "$WRITER" writer "$1" "$w" &
		done
		wait' sh "$1" 2>&1 >/dev/null | awk '$1 == "real" { print $2 }'
	got=$(($(wc -l <"$REG") - $(wc -l <fixtures/binhluc-2024/people.tsv)))
	if [ "$got" -ne $((WRITERS * ADDS)) ]; then
		echo "journal.sh: $1: $got adds in the registry, not $((WRITERS * ADDS))" >&2
		exit 1
	fi
}

# The builds take turns, run by run, so that a change in the machine's
# load falls on all of them alike.
r=0
while [ "$r" -lt "$RUNS" ]; do
	k=0
	for dir in $dirs "$@"; do
		k=$((k + 1))
		t=$(run_once "$dir") || exit 1
		echo "$t" >>"$WORK/times.$k"
	done
	r=$((r + 1))
done
k=0
for dir in $dirs "$@"; do
	k=$((k + 1))
	label=$dir
	[ "$dir" = "$WORK/before/bin" ] && label="$JOURNAL_BEFORE (JOURNAL_BEFORE)"
	sort -n "$WORK/times.$k" | awk -v dir="$label" \
	    -v n=$((WRITERS * ADDS)) -v w="$WRITERS" -v a="$ADDS" '
		{ t[NR] = $1 }
		END {
			m = t[int((NR + 1) / 2)]
			printf "%s: %d writers x %d adds in %.2f s (median of %d): %.0f adds/s\n",
			    dir, w, a, m, NR, n / m
		}'
done

#!/bin/sh
# run.sh: time dc-tools against awk, GNU datamash, Miller and the plain
# Unix tools on the same generated files, after checking that they all
# give the same answers; write tests/bench/RESULTS.md.  Run by make bench.
#
#	BENCH_N=2000000		records per file
#	BENCH_RUNS=5		runs per command; the median is reported
#	BENCH_BIG=1		also a 10,000,000-record people file (1 GB)
#	BENCH_BIN=DIR		the dc-tools programs to time (default bin/)
#	BENCH_SOURCE=TEXT	what BENCH_BIN was built from (for RESULTS.md)
#	BENCH_ONLY=history	only the history rows (issue 8); the results
#				then go to data/RESULTS.md
#	BENCH_ONLY=targets	only the rows of the issue 11 targets (and the
#				read against mmap figures); replaces its own
#				block at the end of RESULTS.md (data/RESULTS.md
#				for a trial size)
#	BENCH_ONLY=province	only the province rows (issue 9): 10 district
#				offices made by gen district, dc-report over
#				them; replaces its own block at the end of
#				RESULTS.md (data/RESULTS.md for a trial size)
#	BENCH_DISTRICT_N=100000	records per district (BENCH_ONLY=province)
#
# A full run writes RESULTS.md anew but keeps the block of a province
# run; a BENCH_ONLY run of targets or province replaces its own block.
#
# Every command runs with DC_TODAY pinned, so that the current state of
# a history (the readers' default) is the same on every day.
set -u
cd "$(dirname "$0")/../.." || exit 2
TOP=$(pwd)
BIN=${BENCH_BIN:-$TOP/bin}
BENCH=$TOP/tests/bench
DATA=$BENCH/data
N=${BENCH_N:-2000000}
RUNS=${BENCH_RUNS:-5}
BIG=${BENCH_BIG:-0}
BIGN=10000000
# Only a full-size run replaces the committed results; a trial run
# writes beside its data.
ONLY=${BENCH_ONLY:-}
case $ONLY in
''|history|province|targets) ;;
*) echo "run.sh: BENCH_ONLY=$ONLY: history, province or targets" >&2; exit 2 ;;
esac
# full: the run is not BENCH_ONLY=targets, which times only the rows
# the issue 11 targets need.
full() {
	[ "$ONLY" != targets ]
}
# The history files: N/2 records (1,000,000 in a full run) of as many
# ids, and of a quarter as many ids with 4 versions each.
HN=$((N / 2))
RESULTS=$BENCH/RESULTS.md
case $N$ONLY in
2000000|2000000targets) ;;
*) RESULTS=$BENCH/data/RESULTS.md ;;
esac
DC_TODAY=2024-12-14
export DC_TODAY
TIME=/usr/bin/time
# The C locale for every peer: byte comparison is what the fast awk
# users get, and what dc-tools does.  The one peer that needs to fold
# Vietnamese case sets its own UTF-8 locale.
LC_ALL=C
export LC_ALL
UTF8=C.UTF-8

mkdir -p "$DATA" || exit 2
REPORT=$DATA/report.md
OUT=$DATA/out.txt
FAILED=0
: >"$REPORT"

say() { printf '%s\n' "$*" >&2; }
md() { printf '%s\n' "$*" >>"$REPORT"; }

# ---- data --------------------------------------------------------------

# newer A B: A was modified after B (test -nt is not POSIX).
newer() {
	[ -n "$(find "$1" -newer "$2" 2>/dev/null)" ]
}

generator() {
	if [ ! -x "$DATA/gen" ] || newer "$BENCH/gen.c" "$DATA/gen"; then
		say "building $DATA/gen"
		${CC:-cc} -std=c99 -D_POSIX_C_SOURCE=200809L -O2 \
		    -o "$DATA/gen" "$BENCH/gen.c" || exit 2
	fi
}

# datafile KIND COUNT [IDS]: the file's name, generated when missing or
# older than the generator.
datafile() {
	f=$DATA/$1-$2${3:+-$3}.tsv
	if [ ! -s "$f" ] || newer "$DATA/gen" "$f"; then
		say "generating $f"
		"$DATA/gen" "$@" >"$f.tmp" && mv "$f.tmp" "$f" || exit 2
	fi
	echo "$f"
}

# ---- measuring -----------------------------------------------------------

if [ -x "$TIME" ]; then
	HAVE_TIME=1
else
	HAVE_TIME=0
	say "note: $TIME missing (apt-get install time): no peak memory"
fi
case $(date +%N) in
*N*|'') NANO=0 ;;
*) NANO=1 ;;
esac

now_ns() { date +%s%N; }

# run_once CMD: run CMD with its output in $OUT; sets SECS, RSS_KB and
# CPU (user + system seconds of all its processes: on a busy machine
# less noisy than the wall time, which waits for the CPU).
run_once() {
	if [ "$NANO" = 1 ]; then
		t0=$(now_ns)
	fi
	if [ "$HAVE_TIME" = 1 ]; then
		"$TIME" -f '%e %M %U %S' -o "$DATA/time.txt" sh -c "$1" >"$OUT" \
		    2>"$DATA/err.txt"
	else
		sh -c "$1" >"$OUT" 2>"$DATA/err.txt"
	fi
	RC=$?
	if [ "$NANO" = 1 ]; then
		t1=$(now_ns)
		SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	fi
	RSS_KB=
	CPU=
	if [ "$HAVE_TIME" = 1 ]; then
		CPU=$(awk 'END { printf "%.3f", $3 + $4 }' "$DATA/time.txt")
		if [ "$NANO" = 0 ]; then
			SECS=$(awk 'END { print $1 }' "$DATA/time.txt")
		fi
		RSS_KB=$(awk 'END { print $2 }' "$DATA/time.txt")
	fi
}

median() {
	sort -n "$1" | awk '{ t[NR] = $1 }
	    END { if (NR % 2) m = t[(NR + 1) / 2]
		  else m = (t[NR / 2] + t[NR / 2 + 1]) / 2
		  printf "%.3f", m }'
}

# time_runs CMD: $RUNS runs; sets MEDIAN (seconds), CPU_MEDIAN, PEAK
# (MiB) and PEAK_KB (KiB, as /usr/bin/time gives it).  A
# run that exits otherwise than the checked run is an error: its time
# would be that of a failure.
time_runs() {
	: >"$DATA/secs.txt"
	: >"$DATA/cpus.txt"
	peak=0
	i=0
	checked_rc=$RC
	while [ "$i" -lt "$RUNS" ]; do
		run_once "$1"
		if [ "$RC" != "$checked_rc" ]; then
			say "MISMATCH: a timed run exited $RC, the checked run $checked_rc: $(head -c 300 "$DATA/err.txt")"
			FAILED=1
			BAD=1
		fi
		echo "$SECS" >>"$DATA/secs.txt"
		echo "${CPU:-0}" >>"$DATA/cpus.txt"
		if [ -n "$RSS_KB" ] && [ "$RSS_KB" -gt "$peak" ]; then
			peak=$RSS_KB
		fi
		i=$((i + 1))
	done
	MEDIAN=$(median "$DATA/secs.txt")
	CPU_MEDIAN=$(median "$DATA/cpus.txt")
	PEAK_KB=$peak
	if [ "$HAVE_TIME" = 1 ]; then
		PEAK=$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')
	else
		PEAK="n/a"
	fi
}

# ---- one comparison --------------------------------------------------------
#
# A comparison is a list of rows added with row, then printed with table.
# row KIND LABEL NEED CMD NORMALISE
#	KIND	dc (the dc-tools program: its answer is the reference),
#		dcj (dc-tools with other options, -j 2: checked against
#		the reference, shown as dc-tools), peer, limit (not the
#		same task: how fast the machine reads the file) or info
#	NEED	the program that must be installed or built
#	CMD	a shell command; its standard output is the answer
#	NORMALISE  a shell filter turning the answer into the common form
#		compared with dc-tools' ("-" for none: not compared)
# Each row's answer is checked first (this run also warms the cache),
# then it is timed.

begin() {
	TITLE=$1
	FILE=$2
	COMPARE=$3	# count: must be equal; sum: numbers may be inexact
	SIZE=$(wc -c <"$FILE")
	RATIO_TO=${4:-}	# a row's label: the ratio column is to its time
	FILES_NOTE=	# set after begin: the table's files, when not FILE
	ROWS=$DATA/rows.txt
	CMDS=$DATA/cmds.txt
	: >"$ROWS"
	: >"$CMDS"
	REF=$DATA/ref.txt
	rm -f "$REF"
	BAD=0
	say "== $TITLE"
}

# answer_verdict NORMALISED: compare with $REF.
answer_verdict() {
	if [ ! -f "$REF" ]; then
		VERDICT="no reference"
	elif cmp -s "$1" "$REF"; then
		VERDICT="same"
	elif [ "$COMPARE" = sum ] && awk -F'\t' '
	    NR == FNR { want[key($0)] = $NF; n++; next }
	    { k = key($0); if (!(k in want)) bad = 1
	      else { d = $NF - want[k]; if (d < 0) d = -d
		     w = want[k] < 0 ? -want[k] : want[k]
		     if (d > 1e-9 * w + 0.001) bad = 1 }
	      m++ }
	    END { exit bad || m != n }
	    function key(s) { sub(/\t[^\t]*$/, "", s); return s }' \
	    "$REF" "$1"; then
		VERDICT="inexact"
	else
		VERDICT="MISMATCH"
	fi
}

row() {
	kind=$1 label=$2 need=$3 cmd=$4 norm=$5
	case $need in
	dc-*) [ -x "$BIN/$need" ] || missing="not built (make)" ;;
	*) command -v "$need" >/dev/null 2>&1 || missing="not installed" ;;
	esac
	if [ -n "${missing:-}" ]; then
		printf '%s\t%s\t%s\n' "$kind" "$label" "skip:$missing" >>"$ROWS"
		say "  $label: $need $missing, skipped"
		missing=
		return
	fi
	run_once "$cmd"
	if [ "$RC" -gt 1 ]; then
		say "MISMATCH: $label failed (exit $RC): $(head -c 300 "$DATA/err.txt")"
		FAILED=1
		BAD=1
		printf '%s\t%s\t%s\n' "$kind" "$label" "skip:FAILED (exit $RC)" >>"$ROWS"
		return
	fi
	if [ "$norm" = - ]; then
		VERDICT="-"
	elif [ "$kind" = dcj ] && [ ! -f "$REF" ]; then
		VERDICT="MISMATCH (no reference)"
	else
		sh -c "$norm" <"$OUT" >"$DATA/norm.txt"
		if [ "$kind" = dc ]; then
			cp "$DATA/norm.txt" "$REF"
			VERDICT="reference"
			if [ -n "${EXACT:-}" ]; then
				# an independent exact computation checks dc-tools
				sh -c "$EXACT" >"$DATA/exact.txt"
				if cmp -s "$DATA/exact.txt" "$REF"; then
					VERDICT="exact (= $EXACT_NAME)"
				else
					VERDICT="MISMATCH"
				fi
			fi
		else
			answer_verdict "$DATA/norm.txt"
		fi
		case $VERDICT in
		MISMATCH*)
			FAILED=1
			BAD=1
			say "MISMATCH: $label disagrees with dc-tools on $TITLE"
			say "  first differences (< dc-tools, > $label):"
			diff "$REF" "$DATA/norm.txt" | head -6 >&2
			;;
		esac
	fi
	time_runs "$cmd"
	say "  $label: $MEDIAN s (CPU $CPU_MEDIAN s), $PEAK MiB, $VERDICT"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$label" "$MEDIAN" "$PEAK" \
	    "$VERDICT" "$CPU_MEDIAN" "$PEAK_KB" >>"$ROWS"
	{ printf '# %s\n' "$label"; printf '%s\n' "$cmd"; } |
	    sed "s|$BIN/||g; s|$DATA/||g; s|$TOP/||g" >>"$CMDS"
	if [ "$need" = mawk ]; then
		peer_program "$label" "$cmd" "$VERDICT"
	fi
}

# peer_program LABEL CMD VERDICT: the mawk command of a row, for the
# section "Peer programs" of RESULTS.md.
PEERS=$DATA/peers.md
: >"$PEERS"
peer_program() {
	{
		printf -- '- %s — **%s** (answer: %s):\n\n' "$TITLE" "$1" "$3"
		echo '```sh'
		printf '%s\n' "$2" | sed "s|$BIN/||g; s|$DATA/||g; s|$TOP/||g"
		echo '```'
		echo
	} >>"$PEERS"
}

# table: the markdown table of the rows, and the commands below it.
# Sets FASTEST_PEER (seconds) for the Targets section.
table() {
	md ""
	md "### $TITLE"
	md ""
	if [ -n "$FILES_NOTE" ]; then
		md "$FILES_NOTE"
	else
		md "File: \`$(basename "$FILE")\`, $(awk -v s="$SIZE" 'BEGIN { printf "%.1f", s / 1e6 }') MB."
	fi
	md ""
	awk -F'\t' -v size="$SIZE" -v to="$RATIO_TO" '
	$3 !~ /^skip:/ && to == "" && $1 == "peer" && (best == "" || $3 + 0 < best) { best = $3 + 0 }
	$3 !~ /^skip:/ && to != "" && $2 == to { best = $3 + 0 }
	{ r[NR] = $0 }
	END {
		t = to == "" ? "fastest peer" : to
		gsub(/\|/, "\\|", t)
		print "| tool | median s | MB/s | peak RSS MiB | time ÷ " t " | CPU s | answer |"
		print "|---|---:|---:|---:|---:|---:|---|"
		for (i = 1; i <= NR; i++) {
			split(r[i], f, "\t")
			name = f[2] (f[1] == "limit" ? " (limit)" : "")
			gsub(/\|/, "\\|", name)
			if (f[1] == "dc" || f[1] == "dcj")
				name = "**" name "**"
			if (f[3] ~ /^skip:/) {
				printf "| %s | – | – | – | – | – | %s |\n", name, substr(f[3], 6)
				continue
			}
			mbs = f[3] > 0 ? sprintf("%.0f", size / 1e6 / f[3]) : "–"
			ratio = best > 0 ? sprintf("%.2f", f[3] / best) : "–"
			printf "| %s | %.3f | %s | %s | %s | %s | %s |\n", name, f[3], mbs, f[4], ratio, f[6], f[5]
		}
	}' "$ROWS" >>"$REPORT"
	md ""
	md '```sh'
	cat "$CMDS" >>"$REPORT"
	md '```'
}

# seconds LABEL: the median of that row of the current table ("" if skipped)
seconds() {
	awk -F'\t' -v l="$1" '$2 == l && $3 !~ /^skip:/ { print $3 }' "$ROWS"
}
peak_of() {
	awk -F'\t' -v l="$1" '$2 == l && $3 !~ /^skip:/ { print $4 }' "$ROWS"
}
cpu_of() {
	awk -F'\t' -v l="$1" '$2 == l && $3 !~ /^skip:/ { print $6 }' "$ROWS"
}
verdict_of() {
	awk -F'\t' -v l="$1" '$2 == l && $3 !~ /^skip:/ { print $5 }' "$ROWS"
}

peak_kb_of() {
	awk -F'\t' -v l="$1" '$2 == l && $3 !~ /^skip:/ { print $7 }' "$ROWS"
}

# fastest LABEL...: of those rows of the current table that ran and
# gave dc-tools' answer (or one not compared), the fastest: sets BEST_S
# (seconds, "" if none ran) and BEST_L (its label).  The targets of
# issue 11 compare with the fastest honest mawk program.
fastest() {
	BEST_S='' BEST_L=''
	for l in "$@"; do
		s=$(seconds "$l")
		case $(verdict_of "$l") in
		MISMATCH*) continue ;;
		esac
		if [ -n "$s" ] && { [ -z "$BEST_S" ] ||
		    awk -v a="$s" -v b="$BEST_S" 'BEGIN { exit !(a + 0 < b + 0) }'; }; then
			BEST_S=$s BEST_L=$l
		fi
	done
}

# ---- the targets of issue 11 ---------------------------------------------------
#
# t11 TEXT MEASURED VERDICT: one row of the table.
# t11_faster TEXT DC-S PEER-S PEER MIN BAD [WHY]: dc-tools at least MIN
#	times faster than PEER (its label); WHY: why DC-S is missing.
# t11_within TEXT DC-S REF-S REF MAX BAD [WHY]: dc-tools' time at most
#	MAX times REF's.
TARGETS11=$DATA/targets11.md
: >"$TARGETS11"
t11() {
	printf '| %s | %s | %s |\n' "$1" "$2" "$3" >>"$TARGETS11"
}
# ALSO_S and ALSO_L, when set: a second peer's time and label, whose
# ratio is shown beside (issue 5's plain mawk program, where a faster
# one is the peer).
ALSO_S='' ALSO_L=''
t11_ratio() {
	op=$1 text=$2 dcs=$3 ps=$4 pname=$5 lim=$6 bad=$7 why=${8:-not measured}
	if [ -z "$dcs" ]; then
		t11 "$text" "$why" MISS
		return
	fi
	if [ -z "$ps" ]; then
		t11 "$text" "$pname not measured" MISS
		return
	fi
	[ "$ALSO_L" = "$pname" ] && ALSO_S=''
	awk -v op="$op" -v t="$text" -v d="$dcs" -v p="$ps" -v n="$pname" \
	    -v m="$lim" -v bad="$bad" -v as="$ALSO_S" -v al="$ALSO_L" 'BEGIN {
		gsub(/\|/, "\\|", n)
		if (op == "faster") {
			x = p / d
			ok = x >= m
			how = sprintf("%.2f× faster (%.3f s vs %s %.3f s)", x, d, n, p)
			if (as != "")
				how = how sprintf("; %.2f× faster than %s (%.3f s)", as / d, al, as)
		} else {
			x = d / p
			ok = x <= m
			how = sprintf("%.2f× the time of %s (%.3f s vs %.3f s)", x, n, d, p)
		}
		printf "| %s | %s | %s |\n", t, how,
		    bad ? "MISS (answers differ)" : ok ? "PASS" : "MISS"
	}' >>"$TARGETS11"
}
t11_faster() {
	t11_ratio faster "$@"
}
t11_within() {
	t11_ratio within "$@"
}

# target_speedup TEXT SLOWER FASTER MIN BAD: a "faster by at least MIN"
# target; BAD=1 when the answers of that comparison differed.
TARGETS=$DATA/targets.md
: >"$TARGETS"
target_speedup() {
	text=$1 slow=$2 fast=$3 min=$4 bad=${5:-0}
	if [ -z "$slow" ] || [ -z "$fast" ]; then
		printf '| %s | not measured | – |\n' "$text" >>"$TARGETS"
		return
	fi
	awk -v t="$text" -v s="$slow" -v f="$fast" -v m="$min" -v bad="$bad" 'BEGIN {
		x = s / f
		printf "| %s | %.2f× faster (%.3f s vs %.3f s) | %s |\n", t, x, f, s,
		    bad ? "MISS (answers differ)" : m == 0 ? "–" : x >= m ? "PASS" : "MISS"
	}' >>"$TARGETS"
}
target_line() {
	printf '| %s | %s | %s |\n' "$1" "$2" "$3" >>"$TARGETS"
}

# ---- normalisers (answers to a common form) ----------------------------------

NUM="tr -cd 0-9; echo"
NOHEAD_SORT="tail -n +2 | sort"
# uniq -c: "  COUNT commune<TAB>status" -> "commune<TAB>status<TAB>COUNT"
UNIQ_C="awk '{ n = \$1; sub(/^ *[0-9]+ /, \"\"); print \$0 \"\\t\" n }' | grep -v '^commune	status	' | sort"
KEY_SUM="cut -f1,3 | tail -n +2 | sort"
# dc-budget's pivot -> year, project, kind, sum; totals and zeros dropped
PIVOT="awk -F'\\t' 'NR == 1 { for (i = 3; i < NF; i++) kind[i] = \$i; next }
    \$1 != \"total\" && \$2 != \"total\" { for (i = 3; i < NF; i++) if (\$i != 0)
    print \$1 \"\\t\" \$2 \"\\t\" kind[i] \"\\t\" \$i }' | sort"
NONZERO_SORT="awk -F'\\t' '\$NF != 0' | sort"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
# BENCH_SOURCE: what BENCH_BIN was built from, for RESULTS.md
SOURCE=${BENCH_SOURCE:-}
if [ -z "$SOURCE" ]; then
	SOURCE="the working tree at commit $(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo '?')"
	git -C "$TOP" diff --quiet HEAD -- src 2>/dev/null ||
	    SOURCE="$SOURCE, with uncommitted changes in src/"
fi
FLAGS_NOTE=
if [ -f "$BIN/../build/flags" ]; then
	FLAGS_NOTE=", built with \`$(cat "$BIN/../build/flags")\`"
	if grep -q sanitize "$BIN/../build/flags"; then
		say "WARNING: bin/ is a sanitizer build (make SAN=1): the times mean nothing"
		FLAGS_NOTE="$FLAGS_NOTE **(sanitizer build: these times mean nothing)**"
	fi
fi
# Time a copy: a make in BENCH_BIN's tree while we run must not swap
# the programs under us (or remove them, which times a failure).
SHOWN_BIN=$BIN
mkdir -p "$DATA/bin" || exit 2
rm -f "$DATA"/bin/dc-*
for p in "$BIN"/dc-*; do
	[ -f "$p" ] && cp -p "$p" "$DATA/bin/"
done
BIN=$DATA/bin

# ---- histories (issues 8 and 11) -----------------------------------------------
#
# A history (fields id and date) is read as its current state by
# default: each id's newest record dated on or before DC_TODAY, the
# later line winning on equal dates; an end record (every field but id,
# date and note empty) takes the id out.  Each command is timed in the
# default and with --history (every version, one plain pass), and
# against the fastest mawk programs we found that compute the same
# state.  They keep one array element per id: the date of its newest
# record on or before the day (a date is YYYY-MM-DD, 10 bytes, in every
# registry: dc-format(5)), then what the answer needs; so a record
# costs one array lookup and one store, where the programs of issue 8
# (two arrays, date and value: kept in the full run) cost three.
# $2 >= substr(v[$1], 1, 10) also holds for an id not yet seen ("" sorts
# first), and >= lets the later line win on equal dates.  The end
# record test is made only where it can change the answer: a record
# with status nghien, or with a commune, is not an end record.  The
# gen'd histories hold no end records and no dates after DC_TODAY, so
# the every-version mawk programs are plain filters.

END_REC='$3 == "" && $4 == "" && $5 == "" && $6 == "" && $7 == "" && $8 == "" && $9 == "" && $10 == "" && $11 == "" && $12 == "" && $13 == "" && $14 == "" && $15 == ""'
NEWEST='FNR > 1 && $2 <= day && $2 >= substr(v[$1], 1, 10)'
STATE_GREP_AWK=$NEWEST' { v[$1] = $8 == "nghien" ? $2 "y" : $2 }
END { for (k in v) if (length(v[k]) > 10) n++; print n + 0 }'
STATE_GROUPS='END { for (k in v) if (length(v[k]) > 10) c[substr(v[k], 12)]++; for (k in c) print k "\t" c[k] }'
STATE_COUNT_AWK=$NEWEST' { v[$1] = $7 != "" || !('"$END_REC"') ? $2 "=" $7 : $2 }
'$STATE_GROUPS
STATE_PIPE_AWK=$NEWEST' { v[$1] = $8 == "nghien" ? $2 "=" $7 : $2 }
'$STATE_GROUPS
# issue 8's programs, timed in the full run beside the faster ones
STATE2_GREP_AWK='FNR > 1 && $2 <= day && $2 >= d[$1] { d[$1] = $2; s[$1] = '"$END_REC"' ? "" : $8 }
END { for (k in s) if (s[k] == "nghien") n++; print n + 0 }'
STATE2_COUNT_AWK='FNR > 1 && $2 <= day && $2 >= d[$1] { d[$1] = $2; g[$1] = '"$END_REC"' ? "" : $7 }
END { for (k in g) if (g[k] != "") c[g[k]]++; for (k in c) print k "\t" c[k] }'
# /nghien/ first: a regular expression over the line is cheaper than
# splitting it, and a line without the word cannot hold it as a field
ALL_GREP_AWK='FNR > 1 && /nghien/ && $8 == "nghien" { n++ } END { print n + 0 }'
ALL_COUNT_AWK='FNR > 1 { c[$7]++ } END { for (k in c) print k "\t" c[k] }'
ALL_PIPE_AWK='FNR > 1 && /nghien/ && $8 == "nghien" { c[$7]++ } END { for (k in c) print k "\t" c[k] }'

# hist_rows DC-DEFAULT DC-HISTORY STATE-AWK ALL-AWK NORMALISE NEED
# AWK-NORMALISE [STATE2-AWK]: the rows of one command on $FILE; the
# --history row is the reference of the every-version mawk row.  Only
# the rows of the targets with BENCH_ONLY=targets.
hist_rows() {
	mawk_day="mawk -F'\\t' -v day=$DC_TODAY"
	row dc "dc-tools, default (state)" "$6" "$1" "$5"
	row peer "mawk, the same state" mawk "$mawk_day '$3' $FILE" "$7"
	if full && [ -n "${8:-}" ]; then
		row peer "mawk, the same state (two arrays, issue 8)" mawk \
		    "$mawk_day '$8' $FILE" "$7"
	fi
	row dc "dc-tools --history" "$6" "$2" "$5"
	full && row peer "mawk, every version" mawk "mawk -F'\\t' '$4' $FILE" "$7"
}

# section_history FILE NAME: the commands on one history, recorded in
# $HIST for the targets.  The readers run with -j 1 where they take it
# (one core, as mawk).
section_history() {
	EXACT=
	f=$1 name=$2
	begin "History $name: dc-grep -c status=nghien" "$f" count "dc-tools --history"
	hist_rows "$BIN/dc-grep ${JGS:+$JGS }-c status=nghien $f" \
	    "$BIN/dc-grep ${JG:+$JG }-c --history status=nghien $f" \
	    "$STATE_GREP_AWK" "$ALL_GREP_AWK" "$NUM" dc-grep "$NUM" "$STATE2_GREP_AWK"
	table
	hist_record "$name" grep "$f" "$BIN/dc-grep ${JGS:+$JGS }-c status=nghien"
	begin "History $name: dc-count -g commune" "$f" count "dc-tools --history"
	hist_rows "$BIN/dc-count ${JCS:+$JCS }-g commune $f" \
	    "$BIN/dc-count ${JC:+$JC }--history -g commune $f" \
	    "$STATE_COUNT_AWK" "$ALL_COUNT_AWK" "$NOHEAD_SORT" dc-count sort "$STATE2_COUNT_AWK"
	table
	hist_record "$name" count "$f" "$BIN/dc-count ${JCS:+$JCS }-g commune"
	full || return 0
	begin "History $name: dc-grep status=nghien | dc-count -g commune" "$f" count "dc-tools --history"
	hist_rows "$BIN/dc-grep ${JGS:+$JGS }status=nghien $f | $BIN/dc-count ${JCS:+$JCS }-g commune" \
	    "$BIN/dc-grep ${JG:+$JG }--history status=nghien $f | $BIN/dc-count ${JC:+$JC }--history -g commune" \
	    "$STATE_PIPE_AWK" "$ALL_PIPE_AWK" "$NOHEAD_SORT" dc-count sort
	table
	hist_record "$name" pipe "$f" ""
}

# id_text FILE: "IDS BYTES", the number of distinct ids and their text's
# bytes together, kept beside FILE (FILE.ids) once counted.
id_text() {
	if [ ! -s "$1.ids" ] || newer "$1" "$1.ids"; then
		mawk -F'\t' 'FNR > 1 && !($1 in seen) { seen[$1]; n++; b += length($1) }
		    END { printf "%d %d\n", n, b }' "$1" >"$1.ids.tmp" &&
		    mv "$1.ids.tmp" "$1.ids" || exit 2
	fi
	cat "$1.ids"
}

# baseline_kb CMD: the largest peak RSS (KiB) of $RUNS runs of CMD: the
# same program on a tiny history with the same header, whose RSS is
# the program's code, libc and buffers, with next to nothing of a state.
baseline_kb() {
	b=0 i=0
	while [ "$i" -lt "$RUNS" ]; do
		run_once "$1"
		if [ -n "$RSS_KB" ] && [ "$RSS_KB" -gt "$b" ]; then
			b=$RSS_KB
		fi
		i=$((i + 1))
	done
	echo "$b"
}

# hist_record NAME CMD FILE PROG-AND-ARGS: the current table's figures,
# kept in $HIST as NAME CMD default-s default-MB history-s mawk-state-s
# bad default-cpu history-cpu default-KiB baseline-KiB ids id-bytes
# mawk-label.  PROG-AND-ARGS, run on the tiny history, is the baseline
# of the memory per id ("" for none).
HIST=$DATA/history.txt
: >"$HIST"
hist_record() {
	base='' ids=''
	if [ -n "$4" ] && [ "$HAVE_TIME" = 1 ]; then
		base=$(baseline_kb "$4 $TINY_HIST")
		ids=$(id_text "$3")
	fi
	fastest "mawk, the same state" "mawk, the same state (two arrays, issue 8)"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" \
	    "$(seconds "dc-tools, default (state)")" \
	    "$(peak_of "dc-tools, default (state)")" \
	    "$(seconds "dc-tools --history")" \
	    "$BEST_S" "$BAD" \
	    "$(cpu_of "dc-tools, default (state)")" \
	    "$(cpu_of "dc-tools --history")" \
	    "$(peak_kb_of "dc-tools, default (state)")" "$base" \
	    "${ids% *}" "${ids#* }" "$BEST_L" >>"$HIST"
}

# hist_targets: the targets of issue 8 from $HIST.
TARGETS8=$DATA/targets8.md
: >"$TARGETS8"
hist_targets() {
	awk -F'\t' '
	function verdict(ok) { return bad ? "MISS (answers differ)" : ok ? "PASS" : "MISS" }
	function cmd(c) {
		return c == "grep" ? "dc-grep -c" : c == "count" ? "dc-count -g" : "dc-grep \\| dc-count"
	}
	function out(t, m, v) { printf "| %s | %s | %s |\n", t, m, v }
	{
		name = $1; c = $2; ds = $3; dm = $4; hs = $5; ms = $6; bad = $7
		cpu = $9 > 0 ? sprintf("; CPU %.2f×", $8 / $9) : ""
		if (ds == "" || hs == "") {
			out(cmd(c) " on " name, "not measured", "–")
			next
		}
		r = ds / hs
		if (c == "pipe")
			out(cmd(c) " default ≤ 2.5× its --history pipeline, " name,
			    sprintf("%.2f× (%.3f s vs %.3f s%s)", r, ds, hs, cpu), verdict(r <= 2.5))
		else
			out(cmd(c) " default ≤ 2× --history, " name,
			    sprintf("%.2f× (%.3f s vs %.3f s%s)", r, ds, hs, cpu), verdict(r <= 2))
		if (dm == "n/a")
			out(cmd(c) " default ≤ 64 MB peak RSS, " name, "not measured", "–")
		else if (c == "pipe")
			out(cmd(c) " default peak RSS (largest process; no target), " name, dm " MiB", "–")
		else
			out(cmd(c) " default ≤ 64 MB peak RSS, " name, dm " MiB", verdict(dm + 0 <= 64))
		if (ms == "")
			out(cmd(c) " vs mawk state, " name, "not measured", "–")
		else if (c == "pipe")
			out(cmd(c) " default vs the mawk state program (no target), " name,
			    sprintf("%.2f× faster (%.3f s vs %.3f s)", ms / ds, ds, ms), bad ? "MISS (answers differ)" : "–")
		else
			out(cmd(c) " default ≥ 3× faster than the mawk state program, " name,
			    sprintf("%.2f× faster (%.3f s vs %.3f s)", ms / ds, ds, ms), verdict(ms / ds >= 3))
	}' "$HIST" >>"$TARGETS8"
}

# hist_targets11: the current-state targets of issue 11 from $HIST:
# the default at most 1.75× --history, at least 5× faster than the
# fastest mawk state program, at most 48 bytes of anonymous memory per
# id beyond the id's own text.  The readers read(2) their input (no
# mmap), so peak RSS is anonymous memory plus the pages of the code and
# libc; the same command on a tiny history with the same header
# measures those (and the fixed buffers), so (peak − baseline − the
# bytes of the distinct ids' text) / ids is what the state costs an id.
hist_targets11() {
	awk -F'\t' -v runs="$RUNS" '
	function verdict(ok) { return bad ? "MISS (answers differ)" : ok ? "PASS" : "MISS" }
	function out(t, m, v) { printf "| %s | %s | %s |\n", t, m, v }
	$2 != "pipe" {
		name = $1; ds = $3; hs = $5; ms = $6; bad = $7
		pk = $10; base = $11; ids = $12; idb = $13; ml = $14
		c = $2 == "grep" ? "dc-grep -c status=nghien" : "dc-count -g commune"
		if (ds == "" || hs == "")
			out(c " default ≤ 1.75× --history, " name, "not measured", "MISS")
		else
			out(c " default ≤ 1.75× --history, " name,
			    sprintf("%.2f× (%.3f s vs %.3f s)", ds / hs, ds, hs), verdict(ds / hs <= 1.75))
		if (ds == "" || ms == "")
			out(c " default ≥ 5× faster than the mawk state program, " name, "not measured", "MISS")
		else
			out(c " default ≥ 5× faster than the mawk state program, " name,
			    sprintf("%.2f× faster (%.3f s vs %s %.3f s)", ms / ds, ds, ml, ms), verdict(ms / ds >= 5))
		if (pk == "" || base == "" || ids + 0 == 0)
			out(c " default ≤ 48 B anonymous memory per id beyond its text, " name, "not measured", "MISS")
		else {
			per = (pk * 1024 - base * 1024 - idb) / ids
			out(c " default ≤ 48 B anonymous memory per id beyond its text, " name,
			    sprintf("%.1f B/id ((peak %d KiB − baseline %d KiB) × 1024 − %d B of id text) / %d ids", per, pk, base, idb, ids),
			    verdict(per <= 48))
		}
	}' "$HIST" >>"$TARGETS11"
}

run_histories() {
	H1=$(datafile history "$HN" "$HN")
	H4=$(datafile history "$HN" $((HN / 4)))
	section_history "$H1" "$(basename "$H1" .tsv) (1 version per id)"
	section_history "$H4" "$(basename "$H4" .tsv) (4 versions per id)"
	if full; then
		hist_targets
	fi
}

# run_facts: the run's date, machine, programs, load and how it measures.
run_facts() {
	echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- Machine: $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1),"\
	    "$(awk '/^MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo 2>/dev/null) memory"
	echo "- Programs: \`$SHOWN_BIN\`$FLAGS_NOTE (copied at the start); $SOURCE"
	echo "- Load average before / after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
	echo "- Runs: median of $RUNS runs per command, wall time; peak RSS is the largest over the runs"\
	    "(\`/usr/bin/time -f %M\`; for a pipeline, its largest process), in MiB (2^20 bytes);"\
	    "MB and MB/s: 10^6 bytes."
	echo "- CPU s: the median of user + system seconds (all the processes of a pipeline together);"\
	    "on a shared, busy machine it moves less than the wall time, which also counts the waits for a CPU."
}

# ---- a province (issue 9; BENCH_ONLY=province) ------------------------------
#
# gen district K N DIR writes a district office as fixtures/binhluc-2024
# is one (six registries and report.tsv, with their schemas); D1 to D10,
# seeds 1 to 10, are a province.  Timed: dc-report -p over the province
# and over the fixtures (issue 9: until bin/dc-report takes -p, those
# rows are skipped and say why), dc-check --future and a dc-grep on one
# district, and gen itself.  Every district must be clean under
# dc-check --future, and gen must write D1 again byte for byte.

DISTRICTS=10
DN=${BENCH_DISTRICT_N:-100000}
PROV=$DATA/province-$DN
REGISTRIES="people tests cases communes activities budget"
PROV_RESULTS=$DATA/province.md

province_data() {
	k=1
	while [ "$k" -le "$DISTRICTS" ]; do
		d=$PROV/D$k
		if [ ! -s "$d/report.tsv" ] || newer "$DATA/gen" "$d/report.tsv"; then
			say "generating $d"
			mkdir -p "$PROV" || exit 2
			rm -rf "$d.tmp" "$d"
			"$DATA/gen" district "$k" "$DN" "$d.tmp" && mv "$d.tmp" "$d" ||
			    exit 2
		fi
		k=$((k + 1))
	done
}

# bytes FILE...: their size together
bytes() {
	cat "$@" | wc -c | tr -d ' '
}
mb() {
	awk -v s="$1" 'BEGIN { printf "%.1f", s / 1e6 }'
}

# The dc-report of issue 9 (a C program) takes -p PERIOD; the shell
# script before it does not, and says so in its usage.
report_takes_p() {
	"$BIN/dc-report" --help 2>&1 | grep -Eq -- '(^|[^a-z-])-p([^a-z-]|$)'
}

# row_skip KIND LABEL WHY CMD: a row that is not measured, why, and the
# command it would time.
row_skip() {
	printf '%s\t%s\t%s\n' "$1" "$2" "skip:$3" >>"$ROWS"
	say "  $2: skipped: $3"
	{ printf '# %s (not run: %s)\n' "$2" "$3"; printf '%s\n' "$4"; } |
	    sed "s|$BIN/||g; s|$DATA/||g; s|$TOP/||g" >>"$CMDS"
}

run_province() {
	province_data
	dirs='' k=1
	while [ "$k" -le "$DISTRICTS" ]; do
		dirs="$dirs D$k"
		k=$((k + 1))
	done
	# The programs are timed from copies in data/bin (see above): a
	# dc-report there finds its templates by DC_REPORT_LIB.
	if [ -z "${DC_REPORT_LIB:-}" ] && [ -d "$SHOWN_BIN/../src/report" ]; then
		DC_REPORT_LIB=$(cd "$SHOWN_BIN/../src/report" && pwd)
		export DC_REPORT_LIB
	fi
	: >"$TARGETS"

	# every district clean, every version of every record
	clean=0 k=1
	while [ "$k" -le "$DISTRICTS" ]; do
		if "$BIN/dc-check" --future "$PROV/D$k"/*.tsv >"$DATA/check.txt" 2>&1; then
			clean=$((clean + 1))
		else
			FAILED=1
			say "PROBLEM: dc-check --future finds problems in D$k:"
			head -5 "$DATA/check.txt" >&2
		fi
		k=$((k + 1))
	done

	FIXTURES=$TOP/fixtures/binhluc-2024
	TAKES_P=0
	if report_takes_p; then
		TAKES_P=1
	else
		NO_P="not run: $SHOWN_BIN/dc-report does not take -p yet (the shell script; issue 9)"
		say "dc-report: $NO_P"
	fi

	all=$(bytes "$PROV"/D*/*.tsv)
	begin "dc-report -p 2024 over a province of $DISTRICTS districts" "$PROV/D1/people.tsv" count
	SIZE=$all
	FILES_NOTE="Files: the registries of \`province-$DN/D1\` … \`D$DISTRICTS\`, $(mb "$all") MB."
	cmd="cd $PROV && $BIN/dc-report -p 2024 -o D1$dirs > /dev/null"
	if [ "$TAKES_P" = 1 ]; then
		row dc "dc-report, a province" dc-report "$cmd" -
	else
		row_skip dc "dc-report, a province" "no -p yet" "$cmd"
	fi
	table
	PROV_SECS=$(seconds "dc-report, a province")

	begin "dc-report -p 2024 fixtures/binhluc-2024: the annual report" "$FIXTURES/people.tsv" count
	SIZE=$(bytes "$FIXTURES"/*.tsv)
	FILES_NOTE="Files: the registries of \`fixtures/binhluc-2024\`, $(mb "$SIZE") MB."
	cmd="$BIN/dc-report -p 2024 $FIXTURES > /dev/null"
	if [ "$TAKES_P" = 1 ]; then
		row dc "dc-report, the fixtures" dc-report "$cmd" -
	else
		row_skip dc "dc-report, the fixtures" "no -p yet" "$cmd"
	fi
	table
	FIX_SECS=$(seconds "dc-report, the fixtures")

	begin "dc-check --future, one district (every version of every record)" "$PROV/D1/people.tsv" count
	SIZE=$(bytes "$PROV"/D1/*.tsv)
	FILES_NOTE="Files: the registries of \`province-$DN/D1\`, $(mb "$SIZE") MB."
	row dc "dc-check --future" dc-check "$BIN/dc-check --future $PROV/D1/*.tsv" -
	table

	begin "dc-grep -c --asof 2024-12-14 status=nghien, one district" "$PROV/D1/people.tsv" count
	row dc "dc-grep -c --asof" dc-grep \
	    "$BIN/dc-grep -c --asof 2024-12-14 status=nghien $PROV/D1/people.tsv" "$NUM"
	table
	ADDICTS=$(cat "$REF" 2>/dev/null)

	begin "gen district: one district's registries written" "$PROV/D1/people.tsv" count
	SIZE=$(bytes "$PROV"/D1/*.tsv)
	FILES_NOTE="Files written: the registries of \`province-$DN/D1\`, $(mb "$SIZE") MB."
	row info "gen district 1 $DN" "$DATA/gen" \
	    "rm -rf $PROV/again && $DATA/gen district 1 $DN $PROV/again" -
	table
	if diff -r "$PROV/D1" "$PROV/again" >/dev/null; then
		SAME="yes: D1 written again is byte-identical"
		SAME_V=PASS
	else
		SAME="no: D1 written again differs"
		SAME_V=MISS
		FAILED=1
	fi
	rm -rf "$PROV/again"

	for t in "dc-report -p 2024 over $DISTRICTS districts of $DN records ≤ 5 s:$PROV_SECS:5" \
	    "dc-report -p 2024 fixtures/binhluc-2024 ≤ 0.5 s:$FIX_SECS:0.5"; do
		text=${t%%:*} rest=${t#*:}
		secs=${rest%%:*} max=${rest#*:}
		if [ -z "$secs" ]; then
			target_line "$text" "${NO_P:-not measured (failed)}" –
		else
			target_line "$text" "$secs s" "$(awk -v s="$secs" -v m="$max" \
			    'BEGIN { print s + 0 <= m + 0 ? "PASS" : "MISS" }')"
		fi
	done
	target_line "dc-check --future clean on every district" \
	    "$clean of $DISTRICTS clean" "$([ "$clean" = "$DISTRICTS" ] && echo PASS || echo MISS)"
	target_line "gen district deterministic" "$SAME" "$SAME_V"
	province_results
}

# The registries' sizes: D1 and the whole province.
province_sizes() {
	echo "| registry | records, D1 | MB, D1 | records, $DISTRICTS districts | MB, $DISTRICTS districts |"
	echo "|---|---:|---:|---:|---:|"
	for r in $REGISTRIES report; do
		awk -v r="$r" -v b1="$(bytes "$PROV/D1/$r.tsv")" -v ba="$(bytes "$PROV"/D*/"$r.tsv")" '
		    FNR > 1 { n++; if (FILENAME ~ /\/D1\//) n1++ }
		    END { printf "| %s.tsv | %d | %.2f | %d | %.1f |\n", r, n1, b1 / 1e6, n, ba / 1e6 }' \
		    "$PROV"/D*/"$r.tsv"
	done
	awk -v b1="$(bytes "$PROV"/D1/*.tsv)" -v ba="$(bytes "$PROV"/D*/*.tsv)" '
	    FNR > 1 { n++; if (FILENAME ~ /\/D1\//) n1++ }
	    END { printf "| all | %d | %.2f | %d | %.1f |\n", n1, b1 / 1e6, n, ba / 1e6 }' \
	    "$PROV"/D*/*.tsv
}

# block MODE PATTERN FILE: the block of an earlier separate run in
# FILE, whose "# " heading matches PATTERN: from the "---" above the
# heading to the "---" above the next "# " heading, or to the end.
# MODE drop prints FILE without it (and without blank lines at its
# end); keep prints the block alone (nothing if there is none).
block() {
	[ -f "$3" ] || return 0
	awk -v mode="$1" -v pat="$2" '{ line[NR] = $0 }
	function next_line(i) { while (i <= NR && line[i] == "") i++; return i }
	END {
		for (i = 1; i <= NR; i++) {
			if (line[i] !~ pat)
				continue
			s = i
			for (j = i - 1; j > 0 && line[j] == ""; j--)
				;
			if (j > 0 && line[j] == "---")
				s = j
			for (e = i + 1; e <= NR; e++)
				if (line[e] == "---" && line[next_line(e + 1)] ~ /^# /)
					break
			for (k = s; k < e; k++)
				drop[k] = 1
			i = e - 1
		}
		for (n = NR; n > 0 && (mode == "drop" ? drop[n] || line[n] == "" : !drop[n] || line[n] == ""); n--)
			;
		for (i = 1; i <= n; i++)
			if (mode == "drop" ? !drop[i] : drop[i])
				print line[i]
	}' "$3"
}
PROVINCE_BLOCK='^# Issue 9: a province'
TARGETS_BLOCK='^# Issue 11: the targets alone'

# The block of RESULTS.md, replacing the one of an earlier run; a trial
# size writes it alone to data/RESULTS.md.
province_results() {
	{
		echo "---"
		echo
		echo "# Issue 9: a province (a separate run, \`BENCH_ONLY=province sh tests/bench/run.sh\`, appended here)"
		echo
		echo "A province is $DISTRICTS district offices made by \`gen district K $DN DIR\`"\
		    "(tests/bench/gen.c; K = 1 … $DISTRICTS, each its own people with ids from P000001)"\
		    "in the format of fixtures/binhluc-2024: people (a history), tests, cases (opened, then concluded),"\
		    "communes (one record per unit per year 2021-2024), activities, budget, and report.tsv,"\
		    "each with its schema, records dated 2022-12-01 to 2024-12-14. They are generated into"\
		    "tests/bench/data/province-$DN/ (not committed)."
		echo
		echo "## Benchmark results"
		echo
		run_facts
		echo "- DC_TODAY=$DC_TODAY for every command."
		echo "- Answer of \`dc-grep -c --asof 2024-12-14 status=nghien\` on D1: ${ADDICTS:-?} addicts."
		echo
		province_sizes
		echo
		echo "## Targets (issue 9): the reports of a province and of a district"
		echo
		echo "| target | measured | |"
		echo "|---|---|---|"
		cat "$TARGETS"
		echo
		echo "## Province: the timings"
		cat "$REPORT"
	} >"$PROV_RESULTS"
	if [ "$DN" = 100000 ]; then
		RESULTS=$BENCH/RESULTS.md
		block drop "$PROVINCE_BLOCK" "$RESULTS" >"$RESULTS.tmp" &&
		    { echo; echo; cat "$PROV_RESULTS"; } >>"$RESULTS.tmp" &&
		    mv "$RESULTS.tmp" "$RESULTS" || exit 2
	else
		RESULTS=$DATA/RESULTS.md
		cp "$PROV_RESULTS" "$RESULTS" || exit 2
	fi
	rm -f "$OUT" "$DATA/norm.txt"
	say "wrote $RESULTS"
	cat "$TARGETS" >&2
	if [ "$FAILED" != 0 ]; then
		say "PROBLEM: see above"
		exit 1
	fi
	exit 0
}

# ---- the comparisons ------------------------------------------------------------

generator
if [ "$ONLY" = province ]; then
	run_province
fi
if [ "$ONLY" != history ]; then
	PEOPLE=$(datafile people "$N")
	CASES=$(datafile cases "$N")
	BUDGET=$(datafile budget "$N")
fi

# ---- -j (issue 11) ---------------------------------------------------------------
#
# dc-grep, dc-count and dc-budget take -j N (N processes) once issue
# 11's parallel reading is in; before that they refuse it as an unknown
# option.  Each is asked once, on tiny files: with -j the rows of one
# core run the program with -j 1 and the -j 2 rows are timed; without,
# the program is one process (one core) and the -j 2 rows say "not
# built".  The history rows pass -j 1 too when the current-state
# reading takes it.
TINY_HIST=$DATA/tiny-history.tsv
"$DATA/gen" history 10 10 >"$TINY_HIST" &&
    "$DATA/gen" budget 10 >"$DATA/tiny-budget.tsv" || exit 2
takes_j() {
	"$@" >/dev/null 2>&1
	[ $? -le 1 ]
}
probe_j() {
	prog=$1
	shift
	if takes_j "$BIN/$prog" -j 1 --history "$@" &&
	    takes_j "$BIN/$prog" -j 2 --history "$@"; then
		echo 1
	else
		echo 0
	fi
}
HAVE_JG=$(probe_j dc-grep -c status=nghien "$TINY_HIST")
HAVE_JC=$(probe_j dc-count -g commune "$TINY_HIST")
HAVE_JB=$(probe_j dc-budget -g year,project "$DATA/tiny-budget.tsv")
JG='' JC='' JB=''
[ "$HAVE_JG" = 1 ] && JG="-j 1"
[ "$HAVE_JC" = 1 ] && JC="-j 1"
[ "$HAVE_JB" = 1 ] && JB="-j 1"
say "-j: dc-grep $HAVE_JG, dc-count $HAVE_JC, dc-budget $HAVE_JB (1: taken)"
# The current state (no --history): -j 1 only if that reading takes it.
JGS='' JCS=''
[ "$HAVE_JG" = 1 ] && takes_j "$BIN/dc-grep" -j 1 -c status=nghien "$TINY_HIST" &&
    JGS="-j 1"
[ "$HAVE_JC" = 1 ] && takes_j "$BIN/dc-count" -j 1 -g commune "$TINY_HIST" &&
    JCS="-j 1"
takes() {
	if [ "$1" = 1 ]; then echo takes; else echo "does not take"; fi
}
J_NOTE="dc-grep $(takes "$HAVE_JG") -j, dc-count $(takes "$HAVE_JC") -j,"
J_NOTE="$J_NOTE dc-budget $(takes "$HAVE_JB") -j"

# The mawk programs for dc-grep: the plain field comparison of issue 5,
# and the same behind a regular expression over the line, which skips
# splitting the lines that cannot match (the same answer on any input,
# about 3 times faster).  The targets of issue 11 take the faster.
GREP_AWK='$7 == "Ngọc Lũ" && $8 == "nghien" { n++ } END { print n + 0 }'
GREP_RE_AWK='/Ngọc Lũ/ && $7 == "Ngọc Lũ" && $8 == "nghien" { n++ } END { print n + 0 }'
GREPI_AWK='$7 == "Ngọc Lũ" { n++ } END { print n + 0 }'
GREPI_RE_AWK='/Ngọc Lũ/ && $7 == "Ngọc Lũ" { n++ } END { print n + 0 }'

# jrow HAVE LABEL NEED CMD NORMALISE: a dc-tools row run with -j 2
# (both cores), checked against the -j 1 row's answer; skipped, saying
# so, while the program does not take -j (HAVE 0).
jrow() {
	if [ "$1" = 1 ]; then
		row dcj "$2" "$3" "$4" "$5"
	else
		row_skip dcj "$2" "not built: $3 does not take -j yet" "$4"
	fi
}

section_grep() {
	EXACT=
	begin "dc-grep: two-field equality (commune=Ngọc Lũ, status=nghien), counting" "$PEOPLE" count
	row dc "dc-grep, one core" dc-grep "$BIN/dc-grep ${JG:+$JG }--history -c 'commune=Ngọc Lũ' status=nghien $PEOPLE" "$NUM"
	jrow "$HAVE_JG" "dc-grep -j 2" dc-grep "$BIN/dc-grep -j 2 --history -c 'commune=Ngọc Lũ' status=nghien $PEOPLE" "$NUM"
	row peer mawk mawk "mawk -F'\\t' '$GREP_AWK' $PEOPLE" "$NUM"
	row peer "mawk, regex first" mawk "mawk -F'\\t' '$GREP_RE_AWK' $PEOPLE" "$NUM"
	if full; then
		row peer gawk gawk "gawk -F'\\t' '$GREP_AWK' $PEOPLE" "$NUM"
		row peer "Miller" mlr "mlr --itsv --ojson filter '\$commune == \"Ngọc Lũ\" && \$status == \"nghien\"' then count $PEOPLE" "$NUM"
	fi
	row limit "grep -c -F" grep "grep -c -F 'Ngọc Lũ' $PEOPLE" -
	table
	GREP_DC=$(seconds "dc-grep, one core")
	GREP_J2=$(seconds "dc-grep -j 2")
	GREP_MAWK=$(seconds mawk)
	fastest mawk "mawk, regex first"
	GREP_BEST=$BEST_S GREP_BEST_L=$BEST_L
	GREP_F=$(seconds "grep -c -F")
	GREP_PEAK=$(peak_of "dc-grep, one core")
	GREP_BAD=$BAD
}

# gawk in a UTF-8 locale folds case and strips the accents of the 17
# distinct values once each (a cache), as a careful awk user would.
FOLD_AWK='function fold(s) {
	s = tolower(s)
	gsub(/[àáảãạăằắẳẵặâầấẩẫậ]/, "a", s); gsub(/[èéẻẽẹêềếểễệ]/, "e", s)
	gsub(/[ìíỉĩị]/, "i", s); gsub(/[òóỏõọôồốổỗộơờớởỡợ]/, "o", s)
	gsub(/[ùúủũụưừứửữự]/, "u", s); gsub(/[ỳýỷỹỵ]/, "y", s); gsub(/đ/, "d", s)
	return s
}
{ if (!($7 in folded)) folded[$7] = fold($7); if (folded[$7] == "ngoc lu") n++ }
END { print n + 0 }'

section_grep_i() {
	EXACT=
	begin "dc-grep -i: accent- and case-insensitive equality (commune=ngoc lu), counting" "$PEOPLE" count
	row dc "dc-grep -i, one core" dc-grep "$BIN/dc-grep ${JG:+$JG }--history -ic 'commune=ngoc lu' $PEOPLE" "$NUM"
	full && jrow "$HAVE_JG" "dc-grep -i -j 2" dc-grep "$BIN/dc-grep -j 2 --history -ic 'commune=ngoc lu' $PEOPLE" "$NUM"
	row peer "mawk, plain accent-sensitive ==" mawk "mawk -F'\\t' '$GREPI_AWK' $PEOPLE" "$NUM"
	row peer "mawk, regex first, plain ==" mawk "mawk -F'\\t' '$GREPI_RE_AWK' $PEOPLE" "$NUM"
	if full; then
		row peer "gawk, UTF-8 tolower + accent gsub" gawk "LC_ALL=$UTF8 gawk -F'\\t' '$FOLD_AWK' $PEOPLE" "$NUM"
		row limit "grep -c -F" grep "grep -c -F 'Ngọc Lũ' $PEOPLE" -
	fi
	table
	GREPI_DC=$(seconds "dc-grep -i, one core")
	GREPI_MAWK=$(seconds "mawk, plain accent-sensitive ==")
	fastest "mawk, plain accent-sensitive ==" "mawk, regex first, plain =="
	GREPI_BEST=$BEST_S GREPI_BEST_L=$BEST_L
	GREPI_BAD=$BAD
}

COUNT_AWK='NR > 1 { c[$7 "\t" $8]++ } END { for (k in c) print k "\t" c[k] }'

section_count() {
	EXACT=
	begin "dc-count -g commune,status" "$PEOPLE" count
	row dc "dc-count, one core" dc-count "$BIN/dc-count ${JC:+$JC }--history -g commune,status $PEOPLE" "$NOHEAD_SORT"
	jrow "$HAVE_JC" "dc-count -j 2" dc-count "$BIN/dc-count -j 2 --history -g commune,status $PEOPLE" "$NOHEAD_SORT"
	row peer mawk mawk "mawk -F'\\t' '$COUNT_AWK' $PEOPLE" sort
	if full; then
		row peer gawk gawk "gawk -F'\\t' '$COUNT_AWK' $PEOPLE" sort
		row peer "cut | sort | uniq -c" sort "cut -f7,8 $PEOPLE | sort | uniq -c" "$UNIQ_C"
		row peer "datamash -s -g" datamash "datamash --header-in -s -g 7,8 count 7 <$PEOPLE" sort
		row peer "Miller count -g" mlr "mlr --itsv --otsv count -g commune,status $PEOPLE" "$NOHEAD_SORT"
	fi
	table
	COUNT_DC=$(seconds "dc-count, one core")
	COUNT_J2=$(seconds "dc-count -j 2")
	COUNT_MAWK=$(seconds mawk)
	COUNT_BAD=$BAD
}

# Exact reference for grams: integer milligrams, far below 2^53, so
# even a double adds them without error.
MG_AWK='NR > 1 { split($8, p, "."); s[$7] += p[1] * 1000 + (p[2] == "" ? 0 : p[2]) }
END { for (k in s) printf "%s\t%d.%03d\n", k, int(s[k] / 1000), s[k] % 1000 }'

section_sum() {
	EXACT="mawk -F'\\t' '$MG_AWK' $CASES | sort"
	EXACT_NAME="integer milligrams"
	begin "dc-count -g state -s heroin_g: exact decimal sums" "$CASES" sum
	row dc dc-count dc-count "$BIN/dc-count --history -g state -s heroin_g $CASES" "$KEY_SUM"
	EXACT=
	row peer "mawk, printf %.3f" mawk "mawk -F'\\t' 'NR > 1 { s[\$7] += \$8 } END { for (k in s) printf \"%s\\t%.3f\\n\", k, s[k] }' $CASES" sort
	row peer "mawk, integer milligrams" mawk "mawk -F'\\t' '$MG_AWK' $CASES" sort
	row peer "datamash sum --format %.3f" datamash "datamash --header-in --format %.3f -s -g 7 sum 8 <$CASES" sort
	row peer "Miller stats1 sum --ofmt %.3f" mlr "mlr --itsv --otsv --ofmt %.3f stats1 -a sum -f heroin_g -g state $CASES" "$NOHEAD_SORT"
	table
	SUM_DC=$(seconds dc-count)
	SUM_MAWK=$(seconds "mawk, printf %.3f")
	SUM_VERDICT=$(verdict_of dc-count)
	SUM_BAD=$BAD
}

BUDGET_AWK='NR > 1 { s[$3 "\t" $4 "\t" $6] += $7 } END { for (k in s) printf "%s\t%.0f\n", k, s[k] }'
BUDGET_GAWKM='NR > 1 { s[$3 "\t" $4 "\t" $6] += $7 } END { for (k in s) print k "\t" s[k] }'

section_budget() {
	EXACT="gawk -M -F'\\t' '$BUDGET_GAWKM' $BUDGET | $NONZERO_SORT"
	EXACT_NAME="gawk -M bignum sums"
	command -v gawk >/dev/null 2>&1 || EXACT=
	begin "dc-budget -g year,project: exact int64 sums of đồng (group sums pass 2^53)" "$BUDGET" sum
	row dc "dc-budget, one core" dc-budget "$BIN/dc-budget ${JB:+$JB }--history -g year,project $BUDGET" "$PIVOT"
	EXACT=
	jrow "$HAVE_JB" "dc-budget -j 2" dc-budget "$BIN/dc-budget -j 2 --history -g year,project $BUDGET" "$PIVOT"
	row peer "mawk, printf %.0f" mawk "mawk -F'\\t' '$BUDGET_AWK' $BUDGET" "$NONZERO_SORT"
	if full; then
		row peer "gawk -M (bignum)" gawk "gawk -M -F'\\t' '$BUDGET_GAWKM' $BUDGET" "$NONZERO_SORT"
		row peer "datamash sum" datamash "datamash --header-in -s -g 3,4,6 sum 7 <$BUDGET" "$NONZERO_SORT"
		row peer "datamash sum --format %.0f" datamash "datamash --header-in --format %.0f -s -g 3,4,6 sum 7 <$BUDGET" "$NONZERO_SORT"
		row peer "Miller stats1 sum" mlr "mlr --itsv --otsv stats1 -a sum -f amount -g year,project,kind $BUDGET" "tail -n +2 | $NONZERO_SORT"
	fi
	table
	BUDGET_DC=$(seconds "dc-budget, one core")
	BUDGET_J2=$(seconds "dc-budget -j 2")
	BUDGET_MAWK=$(seconds "mawk, printf %.0f")
	BUDGET_VERDICT=$(verdict_of "dc-budget, one core")
	BUDGET_BAD=$BAD
}

# awk's equivalent of {project|upper} {amount|money} {date|dmy}: money
# works on the digits as a string (no rounding); dmy pads the day, and
# the month only below 3, as dc-fmt(1) documents.
FMT_AWK='function money(s,   r) {
	r = ""
	while (length(s) > 3) { r = "." substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
	return s r "đ"
}
function dmy(d,   m) {
	m = substr(d, 6, 2) + 0
	return substr(d, 9, 2) "/" (m < 3 ? "0" m : m) "/" substr(d, 1, 4)
}
NR > 1 { print toupper($4) " " money($7) " " dmy($2) }'

section_fmt() {
	EXACT=
	begin "dc-fmt -t '{project|upper} {amount|money} {date|dmy}'" "$BUDGET" count
	row dc dc-fmt dc-fmt "$BIN/dc-fmt --history -t '{project|upper} {amount|money} {date|dmy}' $BUDGET" cat
	row peer "mawk printf (ASCII-only toupper)" mawk "mawk -F'\\t' '$FMT_AWK' $BUDGET" -
	full && row peer "gawk printf (UTF-8 toupper)" gawk "LC_ALL=$UTF8 gawk -F'\\t' '$FMT_AWK' $BUDGET" cat
	table
	FMT_DC=$(seconds dc-fmt)
	FMT_MAWK=$(seconds "mawk printf (ASCII-only toupper)")
	FMT_BAD=$BAD
}

section_limits() {
	EXACT=
	begin "Physical limits: reading the people file" "$PEOPLE" count
	row limit "wc -l" wc "wc -l $PEOPLE" -
	row limit "cat > /dev/null" cat "cat $PEOPLE >/dev/null" -
	table
}

# dc-count over two halves in parallel, then --merge, against one pass.
section_merge() {
	EXACT=
	half=$((N / 2))
	A=$DATA/people-$N-a.tsv
	B=$DATA/people-$N-b.tsv
	if [ ! -s "$A" ] || newer "$PEOPLE" "$A"; then
		head -n $((half + 1)) "$PEOPLE" >"$A"
		{ head -n 1 "$PEOPLE"; tail -n +$((half + 2)) "$PEOPLE"; } >"$B"
	fi
	begin "dc-count --merge over 2 parallel halves vs one pass" "$PEOPLE" count
	row dc "dc-count, one pass" dc-count "$BIN/dc-count --history -g commune,status $PEOPLE" cat
	row peer "2 × dc-count in parallel + --merge" dc-count "$BIN/dc-count --history -g commune,status $A >$DATA/a.out & $BIN/dc-count --history -g commune,status $B >$DATA/b.out & wait; $BIN/dc-count --merge $DATA/a.out $DATA/b.out" cat
	row info "dc-count on one half" dc-count "$BIN/dc-count --history -g commune,status $A" -
	table
	MERGE_ONE=$(seconds "dc-count, one pass")
	MERGE_TWO=$(seconds "2 × dc-count in parallel + --merge")
	HALF_PEAK=$(peak_of "dc-count on one half")
	FULL_PEAK=$(peak_of "dc-count, one pass")
	MERGE_BAD=$BAD
}

section_big() {
	EXACT=
	BIGFILE=$(datafile people "$BIGN")
	begin "10,000,000 records (BENCH_BIG=1)" "$BIGFILE" count
	row dc "dc-grep -c" dc-grep "$BIN/dc-grep --history -c 'commune=Ngọc Lũ' status=nghien $BIGFILE" "$NUM"
	row peer "mawk" mawk "mawk -F'\\t' '\$7 == \"Ngọc Lũ\" && \$8 == \"nghien\" { n++ } END { print n + 0 }' $BIGFILE" "$NUM"
	row dc "dc-grep | dc-count" dc-count "$BIN/dc-grep --history 'commune=Ngọc Lũ' $BIGFILE | $BIN/dc-count --history -g status" "$NOHEAD_SORT"
	row dc "dc-count -g commune,status" dc-count "$BIN/dc-count --history -g commune,status $BIGFILE" "$NOHEAD_SORT"
	table
	BIG_PEAK=$(peak_of "dc-grep -c")
	BIG_PIPE=$(verdict_of "dc-grep | dc-count")
	BIG_COUNT_PEAK=$(peak_of "dc-count -g commune,status")
}

# The files of issue 5 have fields id and date, one record per id: they
# are histories, which every reader now reads as their state by
# default.  Their rows measure what they measured before, one plain
# pass over every record, so dc-tools runs there with --history.
# The comparisons on the issue 5 files (every row in a full run, the
# rows of the issue 11 targets with BENCH_ONLY=targets).
comparisons() {
	section_grep
	section_grep_i
	section_count
	full && section_sum
	section_budget
	section_fmt
	if full; then
		section_limits
		section_merge
		[ "$BIG" = 1 ] && section_big
	fi
}

# ---- reading: read(2) against mmap(2) (issue 11) ---------------------------------
#
# readbench.c times the ways of getting the people file's bytes, warm
# in the page cache, each doing what a reader does to every byte (find
# the newlines, look at the rest).
READING=$DATA/reading.md
: >"$READING"
reading() {
	if [ ! -x "$DATA/readbench" ] || newer "$BENCH/readbench.c" "$DATA/readbench"; then
		say "building $DATA/readbench"
		${CC:-cc} -std=c99 -D_POSIX_C_SOURCE=200809L -O2 \
		    -o "$DATA/readbench" "$BENCH/readbench.c" || exit 2
	fi
	say "== reading: read against mmap"
	{
		echo "File: \`$(basename "$PEOPLE")\`, $(mb "$(wc -c <"$PEOPLE")") MB, warm in the page cache;"\
		    "median of $RUNS rounds, each running every way once (tests/bench/readbench.c:"\
		    "each way counts the newlines with memchr and adds up the bytes 8 at a time)."
		echo
		if ! "$DATA/readbench" "$PEOPLE" "$RUNS"; then
			FAILED=1
			echo "**readbench failed: the ways disagree (see the run's messages)**"
		fi
	} >"$READING"
	cat "$READING" >&2
}

# ---- the targets of issue 11 --------------------------------------------------------
targets11() {
	NOJ="not built: no -j yet"
	t11_within "dc-grep two-field equality, one core, ≤ 1.5× the time of grep -c -F" \
	    "$GREP_DC" "$GREP_F" "grep -c -F" 1.5 "$GREP_BAD"
	ALSO_S=$GREP_MAWK ALSO_L=mawk
	t11_faster "dc-grep two-field equality, both cores (-j 2), ≥ 8× faster than mawk" \
	    "$GREP_J2" "$GREP_BEST" "$GREP_BEST_L" 8 "$GREP_BAD" "$NOJ"
	ALSO_S=$GREPI_MAWK ALSO_L="mawk, plain accent-sensitive =="
	t11_faster "dc-grep -i, one core, ≥ 3× faster than mawk's plain comparison" \
	    "$GREPI_DC" "$GREPI_BEST" "$GREPI_BEST_L" 3 "$GREPI_BAD"
	ALSO_S='' ALSO_L=''
	t11_faster "dc-count -g commune,status, one core, ≥ 5× faster than mawk" \
	    "$COUNT_DC" "$COUNT_MAWK" mawk 5 "$COUNT_BAD"
	t11_faster "dc-count -g commune,status, both cores (-j 2), ≥ 8× faster than mawk" \
	    "$COUNT_J2" "$COUNT_MAWK" mawk 8 "$COUNT_BAD" "$NOJ"
	t11_faster "dc-budget -g year,project, one core, ≥ 5× faster than mawk" \
	    "$BUDGET_DC" "$BUDGET_MAWK" "mawk, printf %.0f" 5 "$BUDGET_BAD"
	t11_faster "dc-budget -g year,project, both cores (-j 2), ≥ 8× faster than mawk" \
	    "$BUDGET_J2" "$BUDGET_MAWK" "mawk, printf %.0f" 8 "$BUDGET_BAD" "$NOJ"
	hist_targets11
	t11_faster "dc-fmt ≥ 4× faster than mawk printf" \
	    "$FMT_DC" "$FMT_MAWK" "mawk printf" 4 "$FMT_BAD"
}

# The targets of issue 5, kept: the rows are those of issue 11's
# comparisons (one core), against issue 5's peers.
targets5() {
target_speedup "dc-grep two-field equality ≥ 5× faster than mawk" "$GREP_MAWK" "$GREP_DC" 5 "$GREP_BAD"
if [ -n "$GREP_DC" ] && [ -n "$GREP_F" ]; then
	awk -v d="$GREP_DC" -v g="$GREP_F" -v bad="$GREP_BAD" 'BEGIN {
		x = d / g
		printf "| dc-grep within 3× of grep -c -F | %.2f× grep'"'"'s time (%.3f s vs %.3f s) | %s |\n", x, d, g,
		    bad ? "MISS (answers differ)" : x <= 3 ? "PASS" : "MISS"
	}' >>"$TARGETS"
fi
target_speedup "dc-grep -i ≥ 3× faster than mawk's plain comparison" "$GREPI_MAWK" "$GREPI_DC" 3 "$GREPI_BAD"
target_speedup "dc-count -g commune,status ≥ 4× faster than mawk" "$COUNT_MAWK" "$COUNT_DC" 4 "$COUNT_BAD"
target_speedup "dc-count -s heroin_g vs mawk (no target; for reference)" "$SUM_MAWK" "$SUM_DC" 0 "$SUM_BAD"
target_speedup "dc-budget ≥ 4× faster than mawk" "$BUDGET_MAWK" "$BUDGET_DC" 4 "$BUDGET_BAD"
case ${SUM_VERDICT:-} in
exact*) target_line "dc-count decimal sums exact" "$SUM_VERDICT" PASS ;;
*) target_line "dc-count decimal sums exact" "${SUM_VERDICT:-not measured}" MISS ;;
esac
case ${BUDGET_VERDICT:-} in
exact*) target_line "dc-budget sums exact" "$BUDGET_VERDICT" PASS ;;
*) target_line "dc-budget sums exact" "${BUDGET_VERDICT:-not measured}" MISS ;;
esac
target_speedup "dc-fmt ≥ 2× faster than awk printf" "$FMT_MAWK" "$FMT_DC" 2 "$FMT_BAD"
if [ "$BIG" = 1 ] && [ -n "${BIG_PEAK:-}" ]; then
	awk -v p="$BIG_PEAK" 'BEGIN { printf "| dc-grep under 8 MB peak RSS on a 1 GB input | %s MB | %s |\n", p, p + 0 < 8 ? "PASS" : "MISS" }' >>"$TARGETS"
else
	target_line "dc-grep under 8 MB peak RSS on a 1 GB input" "not run (BENCH_BIG=1); on the $N-record file: ${GREP_PEAK:-?} MB" "–"
fi
if [ -n "${HALF_PEAK:-}" ] && [ -n "${FULL_PEAK:-}" ] && [ "$HAVE_TIME" = 1 ]; then
	awk -v h="$HALF_PEAK" -v f="$FULL_PEAK" -v b="${BIG_COUNT_PEAK:-}" 'BEGIN {
		printf "| dc-count memory grows only with the groups | %s MB on half the file, %s MB on all of it%s | %s |\n",
		    h, f, b == "" ? "" : ", " b " MB on 10,000,000 records",
		    (f - h <= 1 && (b == "" || b - h <= 1)) ? "PASS" : "MISS"
	}' >>"$TARGETS"
fi
if [ "$BIG" = 1 ]; then
	case ${BIG_PIPE:-} in
	reference) target_line "10,000,000 records through dc-grep \\| dc-count" "ran, exit 0" PASS ;;
	*) target_line "10,000,000 records through dc-grep \\| dc-count" "${BIG_PIPE:-failed}" MISS ;;
	esac
else
	target_line "10,000,000 records through dc-grep \\| dc-count" "not run (BENCH_BIG=1)" "–"
fi
target_speedup "dc-count --merge over 2 parallel halves beats one pass" "$MERGE_ONE" "$MERGE_TWO" 1 "$MERGE_BAD"
}

REPORT5=$REPORT
REPORT8=$DATA/report8.md
: >"$REPORT8"
REPORT=$REPORT8
run_histories
REPORT=$REPORT5
if [ "$ONLY" != history ]; then
	comparisons
	reading
	targets11
	[ -z "$ONLY" ] && targets5
else
	hist_targets11
fi

# ---- RESULTS.md --------------------------------------------------------------------

# head_facts: how the run was made, the programs' versions, the files.
head_facts() {
	run_facts
	echo "- Versions: $(mawk -W version 2>&1 | head -n 1 | cut -c1-40); $(gawk --version 2>/dev/null | head -n 1 | cut -d, -f1);"\
	    "$(datamash --version 2>/dev/null | head -n 1); $(mlr --version 2>/dev/null)"
	echo "- DC_TODAY=$DC_TODAY for every command."
	echo "- -j (issue 11): $J_NOTE."
	echo "- Peak RSS: our readers read(2) their input into buffers (no mmap), so their RSS is"\
	    "anonymous memory (buffers, the state's tables) plus a few hundred kB of code and libc pages."\
	    "MiB = 2^20 bytes (\`/usr/bin/time -f %M\` gives KiB)."
	echo "- Files (generated by tests/bench/gen.c, BENCH_N=$N):"
	for f in ${PEOPLE:-} ${CASES:-} ${BUDGET:-} "$H1" "$H4"; do
		echo "  - \`$(basename "$f")\`: $(awk -v s="$(wc -c <"$f")" 'BEGIN { printf "%.1f MB", s / 1e6 }'),"\
		    "$(($(wc -l <"$f") - 1)) records"
	done
	echo
	echo "\"answer\": each peer's answer, normalised (headers stripped, lines sorted), compared with dc-tools':"
	echo "*same*; *inexact* (the same groups, sums off in the last digits: floating point); *MISMATCH*; \`-\` not compared."
	echo "Ratios are of median times; \"time ÷ fastest peer\" below 1 means faster than every peer."
}

show_targets11() {
	echo "## Targets (issue 11)"
	echo
	echo "Median of $RUNS runs, all from this one run, on the files above ($N records in the"\
	    "people, cases and budget files; the histories $HN records). \"One core\": the program"\
	    "run with \`-j 1\` (a program that does not take -j is one process, so one core);"\
	    "\"both cores\": \`-j 2\`, a row \"not built\" (MISS) while the program lacks -j."\
	    "mawk is the peer: each row names the mawk program it is compared with, the fastest"\
	    "of those timed here that give dc-tools' answer (their command lines are under"\
	    "\"Peer programs\"). Anonymous memory per id: our readers read(2) their input, nothing"\
	    "is mapped, so peak RSS is anonymous memory plus the pages of the code and libc;"\
	    "the same command on a tiny history with the same header (10 records) is the baseline"\
	    "(code, libc, the fixed buffers), and (peak − baseline − the bytes of the distinct ids'"\
	    "text) / ids is what the state costs an id beyond its text (peak and baseline each the"\
	    "largest of $RUNS runs)."
	echo
	echo "| target | measured | |"
	echo "|---|---|---|"
	cat "$TARGETS11"
	echo
	# The analysis is written by hand, beside this script.
	[ -f "$BENCH/NOTES11.md" ] && cat "$BENCH/NOTES11.md" && echo
}

show_reading() {
	[ -s "$READING" ] || return 0
	echo "## Reading: read against mmap"
	echo
	cat "$READING"
	echo
}

show_peers() {
	echo "## Peer programs"
	echo
	echo "Every mawk command timed in this run, as run (LC_ALL=C; file names without their"\
	    "directory), with the table it belongs to. Where a target names \"regex first\","\
	    "the program tests a regular expression over the whole line before splitting it:"\
	    "a line without the text cannot hold it as a field, so the answer is the same on"\
	    "any input, and mawk skips splitting most lines. The state programs keep per id"\
	    "one array element, the date of its newest record on or before the day (10 bytes:"\
	    "YYYY-MM-DD, dc-format(5)) followed by what the answer needs; issue 8's programs,"\
	    "two arrays (date and value), are timed beside them in the full run; the later"\
	    "line wins on equal dates (\`>=\`) and an end record takes the id out."
	echo
	cat "$PEERS"
}

results_main() {
	echo "# Benchmark results"
	echo
	echo "Written by \`make bench\` (tests/bench/run.sh); do not edit by hand."
	echo
	head_facts
	echo
	show_targets11
	show_reading
	if [ "$ONLY" != targets ]; then
		echo "## Targets (issue 8): histories in the default view, the current state"
		echo
		echo "| target | measured | |"
		echo "|---|---|---|"
		cat "$TARGETS8"
		echo
		# The analysis is written by hand, beside this script.
		[ -f "$BENCH/NOTES8.md" ] && cat "$BENCH/NOTES8.md" && echo
	fi
	if [ -z "$ONLY" ]; then
		echo "## Targets (issue 5): files read with every version (--history)"
		echo
		echo "The targets of issue 5, from the same rows (dc-tools on one core, issue 5's peers);"\
		    "issue 11 raised them (above). The files of issue 5 have fields \`id\` and \`date\`"\
		    "(one record per id): they are histories, which the readers now read as their current"\
		    "state by default. These rows measure what they measured before issue 8, one plain"\
		    "pass over every record, so dc-tools runs there with \`--history\`; dc-grep's"\
		    "constant memory applies to such input (not a history, or read with \`--history\`)."
		echo
		echo "| target | measured | |"
		echo "|---|---|---|"
		cat "$TARGETS"
		echo
		# The analysis of missed targets is written by hand, beside this script.
		[ -f "$BENCH/NOTES.md" ] && cat "$BENCH/NOTES.md" && echo
	fi
	show_peers
	if [ "$ONLY" != history ]; then
		echo "## Comparisons"
		cat "$REPORT5"
		echo
	fi
	echo "## Histories: the comparisons"
	cat "$REPORT8"
}

# BENCH_ONLY=targets: its own block, after the rest of RESULTS.md.
results_targets() {
	echo "---"
	echo
	echo "# Issue 11: the targets alone (a separate run, \`BENCH_ONLY=targets sh tests/bench/run.sh\`, appended here)"
	echo
	echo "Only the rows the targets of issue 11 need, and the read against mmap figures;"\
	    "a full \`make bench\` writes the same table among the rest (and drops this block)."
	echo
	echo "## Benchmark results"
	echo
	head_facts
	echo
	show_targets11
	show_reading
	show_peers
	echo "## Comparisons"
	cat "$REPORT5"
	echo
	echo "## Histories: the comparisons"
	cat "$REPORT8"
}

# A full run writes RESULTS.md anew and keeps the province block (a
# separate run); the blocks it regenerates (the history rows once
# appended by hand, an earlier BENCH_ONLY=targets block) go.  A
# full-size BENCH_ONLY=targets run replaces its own block and leaves
# the rest; a trial size writes its block alone.
if [ "$ONLY" = targets ]; then
	results_targets >"$DATA/targets-block.md" || exit 2
	if [ "$N" = 2000000 ]; then
		{ block drop "$TARGETS_BLOCK" "$RESULTS"; echo; echo; cat "$DATA/targets-block.md"; } \
		    >"$RESULTS.tmp" && mv "$RESULTS.tmp" "$RESULTS" || exit 2
	else
		cp "$DATA/targets-block.md" "$RESULTS" || exit 2
	fi
else
	{
		results_main
		kept=$(block keep "$PROVINCE_BLOCK" "$RESULTS")
		if [ -n "$kept" ]; then
			echo
			echo
			printf '%s\n' "$kept"
		fi
	} >"$RESULTS.tmp" && mv "$RESULTS.tmp" "$RESULTS" || exit 2
fi
rm -f "$OUT" "$DATA/norm.txt" "$DATA/exact.txt"
say "wrote $RESULTS"
cat "$TARGETS11" >&2
[ "$ONLY" = history ] && cat "$TARGETS8" >&2
if [ "$FAILED" != 0 ]; then
	say "MISMATCH: some answers differ (see above)"
	exit 1
fi
exit 0

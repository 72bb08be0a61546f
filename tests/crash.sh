#!/bin/sh
# crash.sh [TRIALS [WRITER_TRIALS]]: kill dc-add -9 at random moments
# and check the journal's promise (dc-add(1), dc-format(5)).
#
# A trial: a registry of the first records of the fixture's people, a
# batch of 2,000-20,000 new people (distinct cccd) imported with
# "dc-add REG < batch > ids &" while a reader counts the records again
# and again, kill -9 after a random moment (at once, very early, during,
# once its journal is there, or after the end).  Then: the old bytes
# are intact; what readers see is the old records or the old and the
# whole batch, never a part; every id printed is in; every count a
# reader saw was one of the two; and
# the same command again (the retry) leaves the batch in exactly once,
# prints its ids, and dc-check finds nothing.
#
# A writer trial: 8 writers, each looping over single adds, some of
# them killed and then retried: nothing lost, nothing twice.
#
# The programs come from PATH (make crash and make check put bin/ first).
# CRASH_SEED=N repeats a run; CRASH_SLOW=F stretches the waits for a
# slower build (5 for SAN=1); CRASH_ADDS=N single adds per writer.  Prints one summary line; exit 1 when any
# check failed (the failing trials are described on stderr and their
# files kept under CRASH_KEEP, default a directory in TMPDIR).
set -u

TRIALS=${1:-50}
WTRIALS=${2:-$(( TRIALS / 25 > 2 ? TRIALS / 25 : 2 ))}
HERE=$(cd "$(dirname "$0")" && pwd)
FIX=$HERE/../fixtures/binhluc-2024
SEED=${CRASH_SEED:-$(date +%s)}
WRITERS=8
ADDS=${CRASH_ADDS:-12}          # single adds per writer
# After the fixture's last record, so that dc-check finds it clean.
DC_TODAY=2025-01-24
LC_ALL=C
export DC_TODAY LC_ALL

WORK=$(mktemp -d "${TMPDIR:-/tmp}/crash.XXXXXX") || exit 2
KEEP=${CRASH_KEEP:-$WORK.failed}
trap 'rm -rf "$WORK"' EXIT
trap 'exit 2' HUP INT TERM

killed=0 inwrite=0 finished=0 partial=0 lost=0 dups=0 torn_reads=0 other=0
wkilled=0 wlost=0 wdups=0 wother=0

# Keep a failing trial's files and say what failed.
fail() {
	echo "crash.sh: trial $trial (seed $SEED): $*" >&2
	mkdir -p "$KEEP" && cp -R "$D" "$KEEP/" 2>/dev/null
}

# The registry's committed bytes, as readers see them: all of it, or,
# beside a complete journal, its first "length" bytes.
committed() {
	if [ -f "$D/people.journal" ] &&
	    [ "$(tail -n 1 "$D/people.journal")" = end ]; then
		head -c "$(awk -F '\t' '$1 == "length" { print $2 }' \
		    "$D/people.journal")" "$D/people.tsv"
	else
		cat "$D/people.tsv"
	fi
}

# The trial's random choices, one line a trial: base records, batch
# size, and how long to wait before the kill.
awk -v seed="$SEED" -v n="$TRIALS" -v slow="${CRASH_SLOW:-1}" 'BEGIN {
	srand(seed)
	for (t = 1; t <= n; t++) {
		size = 2000 + int(rand() * 18001)
		# dc-add takes about 5 ms and 4.5 us a record here (more
		# under SAN=1, CRASH_SLOW=5); it appends in its last tenth.
		took = slow * (0.005 + size * 0.0000045)
		r = rand()
		if (r < 0.1)
			wait = 0                        # at once
		else if (r < 0.25)
			wait = sprintf("%.4f", rand() * 0.003)  # very early
		else if (r < 0.45)
			wait = sprintf("%.4f", rand() * took)   # any time
		else if (r < 0.65)              # near the end
			wait = sprintf("%.4f", took * (0.7 + 0.4 * rand()))
		else if (r < 0.9)               # once the journal is there
			wait = sprintf("j%.4f", rand() < 0.3 ? 0 : rand() * 0.01)
		else
			wait = sprintf("%.4f", took * (1.1 + rand()))   # late
		printf "%d %d %s\n", int(rand() * 944), size, wait
	}
}' >"$WORK/plan"

trial=0
while read -r base n wait; do
	trial=$((trial + 1))
	D=$WORK/t$trial
	mkdir "$D"
	cp "$FIX/people.schema" "$D/"
	head -n $((base + 1)) "$FIX/people.tsv" >"$D/people.tsv"
	cp "$D/people.tsv" "$D/old"
	awk -v n="$n" -v t="$trial" 'BEGIN {
		OFS = "\t"
		print "name", "sex", "birth", "cccd", "commune", "status"
		for (i = 1; i <= n; i++)
			print "Người " t "-" i, i % 2 ? "nam" : "nu",
			    sprintf("19%02d-%02d-15", 50 + i % 40, 1 + i % 12),
			    sprintf("9%05d%06d", t % 100000, i), "Bình Mỹ", "nghien"
	}' >"$D/batch"
	tail -n +2 "$D/batch" | cut -f 4 | sort >"$D/batch.cccd"
	oldc=$(dc-grep --history -c "$D/old")
	newc=$((oldc + n))
	oldlines=$((base + 1))

	# A reader that counts until told to stop.
	(while [ ! -e "$D/stop" ]; do
		c=$(dc-grep --history -c "$D/people.tsv" 2>/dev/null)
		echo "${c:-failed}"
	done >"$D/counts") &
	reader=$!
	# Made here: a kill at once comes before the shell's redirections.
	: >"$D/ids"
	: >"$D/err"
	dc-add "$D/people.tsv" <"$D/batch" >"$D/ids" 2>"$D/err" &
	adder=$!
	case $wait in
	0) ;;
	j*)	# Spin until the journal is written (or the batch done).
		spin=0
		while [ ! -s "$D/people.journal" ] && [ ! -s "$D/ids" ] &&
		    [ "$spin" -lt 200000 ]; do
			spin=$((spin + 1))
		done
		sleep "${wait#j}" ;;
	*) sleep "$wait" ;;
	esac
	kill -9 "$adder" 2>/dev/null
	wait "$adder" 2>/dev/null
	status=$?
	: >"$D/stop"
	wait "$reader"
	case $status in
	0) finished=$((finished + 1)) ;;
	137) killed=$((killed + 1))
		# Killed within the batch (a journal written, or new bytes): the
		# cases that matter most.
		if [ -s "$D/people.journal" ] ||
		    [ "$(wc -c <"$D/people.tsv")" -gt "$(wc -c <"$D/old")" ]; then
			inwrite=$((inwrite + 1))
		fi ;;
	*) other=$((other + 1)); fail "dc-add: exit $status: $(head -n 3 "$D/err")" ;;
	esac

	# The old bytes, then what is committed: the old lines, or the old
	# and the whole batch (its cccd, each once).
	if ! head -c "$(wc -c <"$D/old")" "$D/people.tsv" | cmp -s - "$D/old"; then
		other=$((other + 1)); fail "the old bytes were changed"
	fi
	committed >"$D/seen"
	lines=$(wc -l <"$D/seen")
	if [ "$lines" -ne "$oldlines" ] && { [ "$lines" -ne $((oldlines + n)) ] ||
	    ! tail -n +$((oldlines + 1)) "$D/seen" | cut -f 6 | sort |
	    cmp -s - "$D/batch.cccd"; }; then
		partial=$((partial + 1))
		fail "partial batch: $((lines - oldlines)) of $n lines committed"
	fi
	# Every id printed is committed (whole lines: a kill may cut a
	# write to a pipe).
	if tail -c 1 "$D/ids" | grep -q .; then
		sed '$d' "$D/ids" >"$D/told"
	else
		cp "$D/ids" "$D/told"
	fi
	missing=$(awk -F '\t' -v old="$oldlines" '
		FNR == NR { if (FNR > old) have[$1] = 1; next }
		!($0 in have) { m++ }
		END { print m + 0 }' "$D/seen" "$D/told")
	if [ "$missing" -ne 0 ]; then
		lost=$((lost + 1)); fail "$missing ids printed but not committed"
	fi
	bad=$(awk -v a="$oldc" -v b="$newc" '$0 != a && $0 != b' "$D/counts" | sort -u | head -n 3)
	if [ -n "$bad" ]; then
		torn_reads=$((torn_reads + 1))
		fail "a reader saw $(echo "$bad" | tr '\n' ' ')(not $oldc or $newc)"
	fi

	# The retry: the batch once, its ids, a clean registry.
	if ! dc-add "$D/people.tsv" <"$D/batch" >"$D/ids2" 2>"$D/err2"; then
		other=$((other + 1)); fail "the retry failed: $(head -n 3 "$D/err2")"
	fi
	committed >"$D/seen"
	twice=$(tail -n +$((oldlines + 1)) "$D/seen" | cut -f 6 | sort | uniq -d | wc -l)
	if [ "$twice" -ne 0 ] || [ "$(wc -l <"$D/seen")" -gt $((oldlines + n)) ]; then
		dups=$((dups + 1))
		fail "after the retry: $(($(wc -l <"$D/seen") - oldlines)) records" \
		    "for a batch of $n, $twice cccd twice"
	elif [ "$(wc -l <"$D/seen")" -ne $((oldlines + n)) ] ||
	    ! tail -n +$((oldlines + 1)) "$D/seen" | cut -f 1 | cmp -s - "$D/ids2"; then
		other=$((other + 1))
		fail "after the retry: $(($(wc -l <"$D/seen") - oldlines)) of $n" \
		    "records, $(wc -l <"$D/ids2") ids printed"
	elif ! head -n "$(wc -l <"$D/told")" "$D/ids2" | cmp -s - "$D/told"; then
		other=$((other + 1)); fail "the retry printed other ids than the first run"
	elif [ -s "$D/people.journal" ] || ! dc-check "$D/people.tsv" >"$D/check" 2>&1; then
		other=$((other + 1)); fail "after the retry: $(head -n 3 "$D/check")"
	fi
	rm -rf "$D"
done <"$WORK/plan"

# One writer of a writer trial: ADDS single adds, each killed at a
# random moment or not (the plan's line: a wait, or -), and retried
# until it ends; what it was told goes to w$w.told as "id<TAB>cccd".
writer() {
	w=$1 i=1
	while [ "$i" -le "$ADDS" ]; do
		cccd=$(printf '8%02d%09d' "$w" "$i")
		while :; do
			read -r wait <&3 || wait=-
			dc-add "$D/people.tsv" name="Người $w-$i" sex=nam \
			    birth=1980-01-01 cccd="$cccd" "commune=An Nội" \
			    status=nghien >"$D/w$w.out" 2>"$D/w$w.err" &
			p=$!
			if [ "$wait" != - ]; then
				sleep "$wait"
				kill -9 "$p" 2>/dev/null
			fi
			wait "$p" 2>/dev/null
			st=$?
			[ "$st" -eq 137 ] && echo >>"$D/w$w.killed"
			[ "$st" -eq 137 ] || break
		done
		if [ "$st" -ne 0 ]; then
			echo "writer $w, add $i: exit $st: $(head -n 3 "$D/w$w.err")" >>"$D/w$w.failed"
		else
			printf '%s\t%s\n' "$(cat "$D/w$w.out")" "$cccd" >>"$D/w$w.told"
		fi
		i=$((i + 1))
	done
}

t=0
while [ "$t" -lt "$WTRIALS" ]; do
	t=$((t + 1))
	trial=w$t
	D=$WORK/w$t
	mkdir "$D"
	cp "$FIX/people.schema" "$FIX/people.tsv" "$D/"
	oldlines=$(wc -l <"$D/people.tsv")
	w=0
	while [ "$w" -lt "$WRITERS" ]; do
		w=$((w + 1))
		awk -v seed="$SEED" -v w="$w" -v t="$t" -v n=$((ADDS * 4)) 'BEGIN {
			srand(seed + 1000 * t + w)
			for (i = 0; i < n; i++)
				if (rand() < 0.3)
					printf "%.4f\n", rand() * 0.03
				else
					print "-"
		}' >"$D/plan.$w"
		writer "$w" 3<"$D/plan.$w" &
	done
	wait
	wkilled=$((wkilled + $(cat "$D"/w*.killed 2>/dev/null | wc -l)))
	if [ -n "$(cat "$D"/w*.failed 2>/dev/null)" ]; then
		wother=$((wother + 1)); fail "$(cat "$D"/w*.failed | head -n 3)"
	fi
	committed >"$D/seen"
	# Each writer's cccd once; what each was told is in, under that id.
	counts=$(awk -F '\t' -v old="$oldlines" -v want=$((WRITERS * ADDS)) '
		FNR == NR { if (FNR > old) { n[$6]++; id[$6] = $1 }; next }
		id[$2] != $1 { lost++ }
		END {
			for (c in n) { have++; if (n[c] > 1) twice++ }
			print lost + 0, twice + 0, want - have
		}' "$D/seen" "$D"/w*.told)
	set -- $counts
	[ "$1" -eq 0 ] || { wlost=$((wlost + 1)); fail "$1 ids told but not in"; }
	[ "$2" -eq 0 ] || { wdups=$((wdups + 1)); fail "$2 cccd twice"; }
	[ "$3" -eq 0 ] || { wother=$((wother + 1)); fail "$3 adds missing"; }
	if [ -s "$D/people.journal" ] || ! dc-check "$D/people.tsv" >"$D/check" 2>&1; then
		wother=$((wother + 1)); fail "at the end: $(head -n 3 "$D/check")"
	fi
	rm -rf "$D"
done

echo "crash: $TRIALS trials ($killed killed, $inwrite of them within the" \
    "batch; $finished finished):" \
    "$partial partial batches, $lost acknowledged lost, $dups duplicates" \
    "after retry, $torn_reads torn reads, $other other failures;" \
    "$WTRIALS writer trials ($WRITERS x $ADDS adds, $wkilled killed):" \
    "$wlost acknowledged lost, $wdups duplicates, $wother other failures" \
    "(seed $SEED)"
[ $((partial + lost + dups + torn_reads + other + wlost + wdups + wother)) -eq 0 ]

#!/usr/bin/env bats
# A failure crosses the pipe (dc-format(5), FAILURE): a dc-* program that
# fails after it began writing ends its output with the failure line; the
# dc-* program reading it exits 2 saying its input was cut short, prints
# no table as if whole, and ends its own output with the failure line
# when it had begun one.  Every pipeline runs with pipefail off.
#
# How each writer can fail:
# - dc-grep streams: with --history, on an input that is not a history,
#   or on a piped state (#dc:state) with a second record of one id, a bad
#   record late in the input stops it after output began.  In the default
#   view of a history it reads everything before writing, so there its
#   failure leaves an empty output.
# - dc-count and dc-budget (without --check) count every record before
#   writing the first byte: they cannot fail after their output began,
#   except by a signal.  Their failure leaves an empty output, which
#   every reader refuses.
# - dc-budget --check writes each claim that does not hold as it goes:
#   a difference that overflows int64 stops it after output began.
# - dc-fmt writes text, so it is only ever the last stage.
# dc-budget reads a ledger (kind, amount): of the writers only dc-grep
# gives one.

load helper

setup() {
	T="$BATS_TEST_TMPDIR"
	cd "$T"
	cp "$FIX/people.tsv" "$FIX/budget.tsv" "$T/"
	# The issue's example: a bad record in the middle of people.tsv.
	awk 'NR == 500 { print "P999999\t2023-01-01\tbroken" } { print }' \
	    people.tsv > bad.tsv
	# The records before it that dc-grep --history status=nghien keeps.
	NGHIEN=$(awk -F'\t' 'NR > 1 && NR < 500 && $8 == "nghien"' people.tsv |
	    wc -l)
}

# Run a pipeline in bash with pipefail off; its last stage writes to
# out.  $output is every message, then "rc=" and the pipeline's status.
pipeline() {
	run bash -c 'set +o pipefail; keephead() { IFS= read -r h;
	    printf "%s\n" "$h"; sort "$@"; }; eval "$1"; echo "rc=$?"' _ "$1"
}

cut_msg() {
	echo "$1: (standard input):$2: input cut short by the failure of the program before this one ($3)"
}

empty_msg() {
	echo "$1: (standard input): empty input: no header line (did the program before this one fail?)"
}

# Whether file $1 ends with the failure line of program $2, and holds
# no other NUL byte.
ends_failed() {
	printf '\0dc-tools: incomplete output: %s failed\n' "$2" > want_end
	tail -c "$(wc -c < want_end)" "$1" | cmp -s - want_end &&
	    [ "$(tr -cd '\000' < "$1" | wc -c)" -eq 1 ]
}

# The middles a stream goes through, and the line of the stream where
# the failure line then stands, for a stream of n lines ending with it:
# sort puts the NUL first in C and in UTF-8; sort -r last; sorting the
# records under the header puts it right after the header.
middles=(cat sort 'LC_ALL=C.UTF-8 sort' 'sort -r' 'keephead -t"	" -k2')
fail_line_at() {
	case "$1" in
	cat|'sort -r') echo "$2" ;;
	keephead*) echo 2 ;;
	*) echo 1 ;;
	esac
}

@test "the failure line: a NUL, the program's name, no value; on a fresh line" {
	run bash -c 'dc-grep --history status=nghien bad.tsv > got'
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: bad.tsv:500: has 3 fields, header has 16" ]
	ends_failed got dc-grep
	# Everything before it is what the records before the bad one give.
	awk -F'\t' 'NR == 1 { print $0 "\t#dc:versions" }
	    NR > 1 && NR < 500 && $8 == "nghien"' people.tsv > want
	[ "$(wc -l < got)" -eq $((NGHIEN + 2)) ]
	head -n -1 got | cmp - want
	[ "$(tail -n 1 got | cat -v)" = "^@dc-tools: incomplete output: dc-grep failed" ]
	# Output that stopped within a line: the failure line starts a new one.
	printf '{birth|dmy}, ' > tmpl
	printf 'name\tbirth\nAn\t1990-01-02\nBình\t1990-13-01\n' > p.tsv
	run bash -c 'dc-fmt -f tmpl p.tsv > got'
	[ "$status" -eq 2 ]
	[ "$output" = "dc-fmt: p.tsv:3: filter 'dmy': '1990-13-01' is not a date" ]
	printf '02/01/1990, \n\0dc-tools: incomplete output: dc-fmt failed\n' | cmp - got
}

@test "the issue's example: a bad record in the middle fails the whole pipeline" {
	pipeline 'dc-grep status=nghien bad.tsv | dc-count -g present > out'
	[ "$output" = "dc-grep: bad.tsv:500: has 3 fields, header has 16
$(empty_msg dc-count)
rc=2" ]
	[ ! -s out ]
	# Every version, as an auditor asks: the output had begun.
	pipeline 'dc-grep --history status=nghien bad.tsv |
	    dc-count --history -g present > out'
	[ "$output" = "dc-grep: bad.tsv:500: has 3 fields, header has 16
$(cut_msg dc-count $((NGHIEN + 2)) dc-grep)
rc=2" ]
	[ ! -s out ]
}

# Writer $1 fails after its output began with message $2, writing n
# lines (the failure line last); each reader of $4... runs through
# every middle.  Readers whose name ends in '>' stream: their output must
# end with their own failure line when the failure line came after a
# record.
check_readers() {
	local writer="$1" wmsg="$2" n="$3" mid reader at prog
	shift 3
	for reader in "$@"; do
		for mid in "${middles[@]}"; do
			at=$(fail_line_at "$mid" "$n")
			prog=${reader%% *}
			echo "# $writer | $mid | $reader: failure line at $at"
			pipeline "$writer | $mid | ${reader%>} > out"
			[ "$output" = "$wmsg
$(cut_msg "$prog" "$at" "${writer%% *}")
rc=2" ]
			# A streaming reader that had begun ends with its own
			# failure line (dc-fmt -t begins with the first record).
			if [ "${reader%>}" = "$reader" ]; then
				[ ! -s out ]
			elif [ -s out ]; then
				ends_failed out "$prog"
			else
				[ "$at" -le 2 ]
			fi
			[ "$at" -le 2 ] || [ "${reader%>}" = "$reader" ] || [ -s out ]
		done
	done
}

@test "dc-grep --history failing late: every reader, through sort or not" {
	check_readers 'dc-grep --history status=nghien bad.tsv' \
	    'dc-grep: bad.tsv:500: has 3 fields, header has 16' $((NGHIEN + 2)) \
	    'dc-grep --history present=co>' 'dc-grep -c --history present=co' \
	    'dc-count --history -g present' 'dc-count --history -t -g commune,sex' \
	    'dc-fmt --history -t {name}>' 'dc-fmt --history --table'
}

@test "dc-grep on a piped state with a second record of an id: every reader" {
	dc-grep status=nghien people.tsv > state.tsv
	head -n 2 state.tsv | tail -n 1 >> state.tsv
	n=$(dc-grep present=co state.tsv 2>/dev/null | wc -l) || true
	check_readers 'dc-grep present=co < state.tsv' \
	    "dc-grep: (standard input):$(wc -l < state.tsv): a second record of one id in the state as of 2024-12-14" \
	    "$n" \
	    'dc-grep commune=An\ Lão>' 'dc-count -g commune' 'dc-fmt -t {name}>' \
	    'dc-fmt --table'
}

@test "dc-grep on an input that is not a history, failing late" {
	cut -f 2- bad.tsv > plain.tsv
	n=$(awk -F'\t' 'NR < 500 && (NR == 1 || $7 == "nghien")' plain.tsv | wc -l)
	check_readers 'dc-grep status=nghien plain.tsv' \
	    'dc-grep: plain.tsv:500: has 2 fields, header has 15' $((n + 1)) \
	    'dc-grep present=co>' 'dc-count -g present' 'dc-fmt -t {name}>'
}

@test "dc-grep of a ledger failing late: dc-budget and the others refuse it" {
	awk 'NR == 8 { print "B999999\t2024-03-01\t2023" } { print }' \
	    budget.tsv > badbudget.tsv
	check_readers "dc-grep --history 'kind!=du_kien' badbudget.tsv" \
	    'dc-grep: badbudget.tsv:8: has 3 fields, header has 9' 8 \
	    'dc-budget --history' 'dc-budget --history --check' \
	    'dc-budget --history -g year' 'dc-count --history -g kind -s amount' \
	    'dc-grep --history kind=cap>' "dc-fmt --history -t '{amount|money}'>"
}

@test "dc-budget --check failing after its first rows: every reader" {
	printf 'year\tproject\tkind\tamount\n2023\tB\tcap\t5\n2023\tB\tke_khai\t7\n2023\tA\tcap\t-5\n2023\tA\tke_khai\t9223372036854775807\n' > ledger.tsv
	check_readers 'dc-budget --check ledger.tsv' \
	    'dc-budget: ledger.tsv:5: difference overflows int64' 3 \
	    'dc-grep year=2023>' 'dc-count -g year -s difference' \
	    'dc-fmt -t {project}>' 'dc-fmt --table'
}

@test "dc-count and dc-budget cannot fail after output began: an empty output, refused" {
	awk -F'\t' 'NR == 40 { $8 = "1,5" } { print }' OFS='\t' \
	    "$FIX/cases.tsv" > cases.tsv
	# A correction typed with dots (the current state holds it).
	printf 'B000003\t2024-06-01\t2023\tDự án 2\tx\tcap\t41.000.000\t\t\n' |
	    cat budget.tsv - > badbudget.tsv
	for writer in 'dc-count --history -g commune -s heroin_g cases.tsv' \
	    'dc-grep status=nghien bad.tsv' 'dc-budget badbudget.tsv'; do
		for reader in 'dc-grep present=co' 'dc-count -g present' \
		    'dc-budget' 'dc-fmt -t {name}' 'dc-fmt --table' \
		    'dc-count --merge'; do
			for mid in cat sort; do
				echo "# $writer | $mid | $reader"
				pipeline "$writer 2>/dev/null | $mid | $reader > out"
				[ "$output" = "$(empty_msg "${reader%% *}")
rc=2" ]
				[ ! -s out ]
			done
		done
	done
	run dc-count --history -g commune -s heroin_g cases.tsv
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: cases.tsv:40: field 'heroin_g': '1,5' is not a number" ]
	# A named empty file is not a failed program's output.
	: > empty.tsv
	run dc-count empty.tsv
	[ "$output" = "dc-count: empty.tsv: empty file: no header line" ]
}

@test "a failure line in a named file: the program that wrote it failed" {
	dc-grep --history status=nghien bad.tsv > part.tsv 2>/dev/null || true
	run dc-count --history part.tsv
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: part.tsv:$((NGHIEN + 2)): input cut short by the failure of the program that wrote it (dc-grep)" ]
	# dc-check audits every line, but an incomplete file is not one to
	# audit; dc-add takes nothing from an incomplete batch.
	run bash -c 'dc-check part.tsv 2>&1 > /dev/null'
	[ "$status" -eq 2 ]
	[ "${lines[${#lines[@]}-1]}" = "dc-check: part.tsv:$((NGHIEN + 2)): input cut short by the failure of the program that wrote it (dc-grep)" ]
	cp "$FIX/people.schema" "$T/reg.schema"
	dc-add --init reg.tsv
	printf 'name\tsex\n\0dc-tools: incomplete output: dc-grep failed\n' > batch.tsv
	run dc-add reg.tsv < batch.tsv
	[ "$status" -eq 2 ]
	[ "$output" = "$(cut_msg dc-add 2 dc-grep)" ]
	[ "$(wc -l < reg.tsv)" -eq 1 ]
}

@test "the failure line is recognised as it comes: as the header, as a record, after a TAB" {
	printf '\0dc-tools: incomplete output: dc-grep failed\n' > only
	for reader in 'dc-grep x=y' 'dc-count' 'dc-budget' 'dc-fmt -t {x}'; do
		pipeline "$reader < only > out"
		[ "$output" = "$(cut_msg "${reader%% *}" 1 dc-grep)
rc=2" ]
	done
	# A one-field header: the failure line would otherwise be a record.
	printf 'x\na\n\0dc-tools: incomplete output: dc-count failed\n' > one
	pipeline 'dc-grep x=a < one > out'
	[ "$output" = "$(cut_msg dc-grep 3 dc-count)
rc=2" ]
	ends_failed out dc-grep
	# A program between that added a field keeps the name readable.
	printf 'x\ty\na\tb\n\0dc-tools: incomplete output: dc-count failed\t\n' > two
	pipeline 'dc-count < two > out'
	[ "$output" = "$(cut_msg dc-count 3 dc-count)
rc=2" ]
	# A bad line before it, then an empty line: the failure is the cause.
	printf 'x\ty\na\n\n\0dc-tools: incomplete output: dc-grep failed\n' > three
	pipeline 'dc-count < three > out'
	[ "$output" = "$(cut_msg dc-count 4 dc-grep)
rc=2" ]
	# Without it, the bad line is what is reported.
	printf 'x\ty\na\n' > four
	pipeline 'dc-count < four > out'
	[ "$output" = "dc-count: (standard input):2: has 1 fields, header has 2
rc=2" ]
}

@test "a usage error writes nothing to standard output" {
	for p in dc-grep dc-count dc-budget dc-fmt; do
		run bash -c "$p --no-such-option people.tsv 2>/dev/null | wc -c"
		[ "$output" = "0" ]
	done
}

big() {
	awk 'BEGIN { print "id\tdate\tcommune\tstatus"
	    for (i = 1; i <= 100000; i++)
		printf "P%06d\t2024-01-01\tAn Nội\tnghien\n", i }' > big.tsv
}

# Writer $2 (a simple command) writes into a FIFO; once its first byte
# came through, it gets signal $1, and the bytes go on to reader $3 (stdout in out, the
# stream as read in got).  Its output is far larger than a pipe holds,
# so it cannot have ended first.  Sets wrc (the writer's status) and
# rrc (the reader's), rmsg (the reader's messages).
kill_midway() {
	local sig="$1" writer="$2" reader="$3"
	set +o pipefail
	rm -f fifo
	mkfifo fifo
	# A simple command: without job control, it ignores SIGINT.
	eval "$writer > fifo 2> werr &"
	local w=$!
	if { dd bs=1 count=1 2>/dev/null; kill -"$sig" "$w"; cat; } < fifo |
	    tee got | bash -c "$reader" > out 2> rerr; then rrc=0; else rrc=$?; fi
	if wait "$w"; then wrc=0; else wrc=$?; fi
	rmsg=$(cat rerr)
	echo "# writer $wrc, reader $rrc: $rmsg"
}

@test "SIGTERM, SIGINT, SIGHUP in the middle of output: the failure line, then death by the signal" {
	big
	set +o pipefail
	for sig in TERM INT HUP; do
		echo "# $sig"
		set -m
		kill_midway "$sig" 'dc-grep --history status=nghien big.tsv' \
		    'dc-count --history -g status'
		set +m
		[ "$wrc" -eq $((128 + $(kill -l "$sig"))) ]
		[ ! -s werr ]
		ends_failed got dc-grep
		[ "$rrc" -eq 2 ]
		[ "$rmsg" = "$(cut_msg dc-count "$(wc -l < got)" dc-grep)" ]
		[ ! -s out ]
	done
}

@test "a signal to a streaming reader or a counter writing a large output" {
	big
	# dc-fmt, the last stage: what it wrote is plainly incomplete.
	kill_midway TERM 'dc-fmt -t "{id} {commune|upper}" big.tsv' 'cat'
	[ "$wrc" -eq 143 ]
	ends_failed out dc-fmt
	[ "$(head -n 1 out)" = "P000001 AN NỘI" ]
	# dc-count can be cut only while it writes: its counts of 100000 ids.
	kill_midway TERM 'dc-count -g id big.tsv' 'dc-grep count=1'
	[ "$wrc" -eq 143 ]
	ends_failed got dc-count
	[ "$rrc" -eq 2 ]
	[ "$rmsg" = "$(cut_msg dc-grep "$(wc -l < got)" dc-count)" ]
	ends_failed out dc-grep
	kill_midway TERM 'dc-count -g id big.tsv' 'dc-count --merge'
	[ "$rrc" -eq 2 ]
	[ "$rmsg" = "$(cut_msg dc-count "$(wc -l < got)" dc-count)" ]
	[ ! -s out ]
}

@test "a signal ignored by the shell stays ignored" {
	big
	set +o pipefail
	# An asynchronous command of a shell without job control ignores
	# SIGINT (SigIgn holds bit 2); trap '' ignores SIGTERM.
	set +m
	kill_midway INT 'dc-grep --history status=nghien big.tsv' \
	    'dc-count --history -g status'
	[ "$wrc" -eq 0 ]
	[ "$rrc" -eq 0 ]
	[ "$(cat out)" = "status	count
nghien	100000" ]
	[ "$(tr -cd '\000' < got | wc -c)" -eq 0 ]
	kill_midway TERM "bash -c \"trap '' TERM; exec dc-grep --history status=nghien big.tsv\"" \
	    'dc-count --history -g status'
	[ "$wrc" -eq 0 ]
	[ "$rrc" -eq 0 ]
	tail -n +2 got | cmp - <(tail -n +2 big.tsv)
}

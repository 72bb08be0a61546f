#!/usr/bin/env bats
# dc-budget: the ledger, its groupings, --check of declared totals,
# overflow and bad amounts.

load helper

budget_header() {
	printf 'id\tdate\tyear\tproject\ttitle\tkind\tamount\tsource\tnote\n'
}

# A small ledger whose declared totals all hold.
consistent() {
	budget_header
	printf 'B000001\t2024-01-01\t2023\tDự án 2\t\tcap\t51000000\t\t\n'
	printf 'B000002\t2024-01-01\t2023\tDự án 2\t\tbo_sung\t51000000\t\t\n'
	printf 'B000003\t2024-01-01\t2023\tĐề án 1\t\tcap\t10\t\t\n'
	printf 'B000004\t2024-01-01\t2023\tĐề án 1\t\tchi\t7\t\t\n'
	printf 'B000005\t2024-01-01\t2023\t\t\tke_khai\t102000010\t\t\n'
	printf 'B000006\t2024-01-01\t2023\tDự án 2\t\tke_khai\t102000000\t\t\n'
	printf 'B000007\t2024-01-01\t2022\tAn toàn\t\tcap\t5\t\t\n'
	printf 'B000008\t2024-01-01\t2022\tAn toàn\t\tdu_kien\t-2\t\t\n'
}

setup() {
	T="$BATS_TEST_TMPDIR"
	consistent > "$T/ok.tsv"
}

@test "fixtures: the default ledger by year and project, subtotals, grand total" {
	run dc-budget "$FIX/budget.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' \
	    'year	project	cap	bo_sung	du_kien	chi	total' \
	    '2021		0	0	0	0	0' \
	    '2021	total	0	0	0	0	0' \
	    '2022		0	0	0	0	0' \
	    '2022	total	0	0	0	0	0' \
	    '2023	Dự án 2	51000000	51000000	0	0	102000000' \
	    '2023	Dự án 3	31000000	31000000	0	0	62000000' \
	    '2023	Phương án 02	130000000	0	0	0	130000000' \
	    '2023	total	212000000	82000000	0	0	294000000' \
	    '2024		0	0	60000000	0	0' \
	    '2024	total	0	0	60000000	0	0' \
	    'total	total	212000000	82000000	60000000	0	294000000')" ]
}

@test "fixtures: the 2023 funding total equals awk's sum of cap and bo_sung" {
	computed=$(awk -F'\t' '$3 == 2023 && ($6 == "cap" || $6 == "bo_sung") { s += $7 }
	    END { print s }' "$FIX/budget.tsv")
	[ "$computed" = 294000000 ]
	run dc-budget -g year "$FIX/budget.tsv"
	[ "${lines[3]}" = "$(printf '2023\t212000000\t82000000\t0\t0\t%s' "$computed")" ]
}

@test "fixtures: --check flags the declared 194000000 against 294000000, exit 1" {
	run dc-budget --check "$FIX/budget.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '%s\n' \
	    'year	project	declared	computed	difference	line' \
	    "2023		194000000	294000000	-100000000	$FIX/budget.tsv:11")" ]
}

@test "a consistent ledger passes --check with exit 0 and only the header" {
	run dc-budget --check "$T/ok.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'year\tproject\tdeclared\tcomputed\tdifference\tline')" ]
}

@test "--check names each wrong claim by year, project and line" {
	{ consistent; printf 'B000009\t2024-01-01\t2023\tĐề án 1\t\tke_khai\t17\t\t\n'
	  printf 'B000010\t2024-01-01\t2021\t\t\tke_khai\t3\t\t\n'; } > "$T/bad.tsv"
	run dc-budget --check "$T/bad.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '%s\n' \
	    'year	project	declared	computed	difference	line' \
	    "2023	Đề án 1	17	10	7	$T/bad.tsv:10" \
	    "2021		3	0	3	$T/bad.tsv:11")" ]
}

@test "-g groups by other fields; claims are not money" {
	run dc-budget -g project "$T/ok.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' \
	    'project	cap	bo_sung	du_kien	chi	total' \
	    'An toàn	5	0	-2	0	5' \
	    'Dự án 2	51000000	51000000	0	0	102000000' \
	    'Đề án 1	10	0	0	7	10' \
	    'total	51000015	51000000	-2	7	102000015')" ]
}

@test "standard input and a header only: a history from a pipe is marked #dc:piped" {
	run_in "$(budget_header)" dc-budget
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'year\tproject\tcap\tbo_sung\tdu_kien\tchi\ttotal\t#dc:piped\ntotal\ttotal\t0\t0\t0\t0\t0')" ]
	# Not a history (no id, no date): nothing to mark.
	run_in "$(printf 'year\tproject\tkind\tamount')" dc-budget
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'year\tproject\tcap\tbo_sung\tdu_kien\tchi\ttotal\ntotal\ttotal\t0\t0\t0\t0\t0')" ]
}

@test "a sum that overflows int64 is an error" {
	{ budget_header
	  printf 'B1\t2024-01-01\t2023\tX\t\tcap\t9223372036854775807\t\t\n'
	  printf 'B2\t2024-01-01\t2023\tX\t\tcap\t9223372036854775807\t\t\n'; } > "$T/over.tsv"
	run dc-budget "$T/over.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-budget: $T/over.tsv:3: sum overflows int64" ]
	run dc-budget --check "$T/over.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-budget: $T/over.tsv:3: sum overflows int64" ]
}

@test "an amount written the Vietnamese way is an error" {
	{ budget_header
	  printf 'B1\t2024-01-01\t2023\tX\t\tcap\t51.000.000\t\t\n'; } > "$T/dots.tsv"
	run dc-budget "$T/dots.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-budget: $T/dots.tsv:2: amount '51.000.000' is not a whole number of đồng (digits only, no separators)" ]
}

@test "an empty amount, an unknown kind, a missing field are errors" {
	{ budget_header; printf 'B1\t2024-01-01\t2023\tX\t\tcap\t\t\t\n'; } > "$T/e.tsv"
	run dc-budget "$T/e.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-budget: $T/e.tsv:2: amount is empty" ]
	{ budget_header; printf 'B1\t2024-01-01\t2023\tX\t\tthu\t5\t\t\n'; } > "$T/k.tsv"
	run dc-budget "$T/k.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-budget: $T/k.tsv:2: kind 'thu' is not one of cap, bo_sung, du_kien, chi, ke_khai" ]
	printf 'year\tkind\n2023\tcap\n' > "$T/m.tsv"
	run dc-budget "$T/m.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-budget: unknown field 'project'; the fields are: year, kind" ]
}

# A usage error: what is wrong, how to get help, exit 2, no output.
usage_error() {
	[ "$status" -eq 2 ]
	[ "$output" = "dc-budget: $1
Try 'dc-budget --help'." ]
}

@test "-h and --help: the usage and a line for every option, exit 0" {
	run dc-budget --help
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "usage: dc-budget [-g FIELD,...] [-j N] [--asof DATE | --history] [--part K/N]" ]
	[ "${lines[1]}" = "                 [FILE...]" ]
	[ "${lines[2]}" = "       dc-budget --check [--asof DATE | --history] [FILE...]" ]
	for opt in '-g FIELD,...' '--check' '-j, --jobs N' '--asof DATE' '--history' \
	    '--part K/N' '-h, --help' '--version'; do
		printf '%s\n' "$output" | grep -q -e "^  $opt  " ||
		    { echo "no line for $opt"; return 1; }
	done
	help="$output"
	run dc-budget -h
	[ "$status" -eq 0 ]
	[ "$output" = "$help" ]
	run dc-budget "$T/ok.tsv" --check -h
	[ "$status" -eq 0 ]
	[ "$output" = "$help" ]
	run dc-budget --version
	[ "$status" -eq 0 ]
	[ "$output" = "dc-budget (dc-tools) 0.2.0" ]
}

@test "usage errors say what is wrong" {
	run dc-budget -x "$T/ok.tsv"
	usage_error "unknown option '-x'"
	run dc-budget "$T/ok.tsv" --chek
	usage_error "unknown option '--chek'"
	run dc-budget "$T/ok.tsv" -g
	usage_error "option '-g' needs a value"
	run dc-budget --asof
	usage_error "option '--asof' needs a value"
	run dc-budget --check=yes "$T/ok.tsv"
	usage_error "option '--check' takes no value"
	run dc-budget --h "$T/ok.tsv"
	usage_error "option '--h' is ambiguous: --history, --help"
	run dc-budget --check --part 1/2 "$T/ok.tsv"
	usage_error "--check needs every line of a year: no --part"
	run dc-budget --asof 2024-12-14 --history "$T/ok.tsv"
	usage_error "--asof and --history: the state of a day, or every version?"
	# Named after the program, not the path it was run by.
	run "$TOP/bin/dc-budget" -x "$T/ok.tsv"
	usage_error "unknown option '-x'"
}

@test "options anywhere before --" {
	run dc-budget "$T/ok.tsv" -g year
	[ "$status" -eq 0 ]
	[ "$output" = "$(dc-budget -g year "$T/ok.tsv")" ]
	[ "${lines[0]}" = "$(printf 'year\tcap\tbo_sung\tdu_kien\tchi\ttotal')" ]
	cp "$T/ok.tsv" "$T/-g"
	cd "$T"
	run dc-budget -g year -- -g
	[ "$status" -eq 0 ]
	[ "$output" = "$(dc-budget -g year ok.tsv)" ]
}

@test "-g may be repeated: its fields add up" {
	run dc-budget -g year -g project "$T/ok.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(dc-budget "$T/ok.tsv")" ]
	[ "${lines[0]}" = "$(printf 'year\tproject\tcap\tbo_sung\tdu_kien\tchi\ttotal')" ]
}

@test "--check with -g is bad usage" {
	run dc-budget --check -g year "$T/ok.tsv"
	usage_error "--check compares by year and project: no -g"
}

@test "negative cap and bo_sung lines are corrections: summed, and documented" {
	{ consistent
	  printf 'B000009\t2024-02-01\t2023\tĐề án 1\t\tcap\t-4\t\t\n'
	  printf 'B000010\t2024-02-01\t2023\tĐề án 1\t\tbo_sung\t-1\t\t\n'; } > "$T/neg.tsv"
	run dc-budget -g year "$T/neg.tsv"
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "$(printf '2023\t51000006\t50999999\t0\t7\t102000005')" ]
	run dc-budget --check "$T/neg.tsv"
	[ "$status" -eq 1 ]
	[ "${lines[1]}" = "$(printf '2023\t\t102000010\t102000005\t5\t%s' "$T/neg.tsv:6")" ]
	grep -q '^Negative amounts are accepted' "$TOP/man/dc-budget.1"
}

@test "a value quoted in a message is cut on a character boundary" {
	long=$(printf 'đ%.0s' $(seq 40))
	{ budget_header; printf 'B1\t2024-01-01\t2023\tX\t\tx%s\t5\t\t\n' "$long"; } > "$T/k.tsv"
	run dc-budget "$T/k.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-budget: $T/k.tsv:2: kind 'x$(printf 'đ%.0s' $(seq 29))...' is not one of cap, bo_sung, du_kien, chi, ke_khai" ]
	{ budget_header; printf 'B1\t2024-01-01\t2023\tX\t\tcap\t1%s\t\t\n' "$(printf '0%.0s' $(seq 70))"; } > "$T/a.tsv"
	run dc-budget "$T/a.tsv"
	[ "$output" = "dc-budget: $T/a.tsv:2: amount '1$(printf '0%.0s' $(seq 59))...' does not fit in int64" ]
}

# The consistent ledger with two corrections dated 2024-06-01: B000001's
# cap lowered, and B000005's declared total rewritten.
corrected() {
	consistent
	printf 'B000001\t2024-06-01\t2023\tDự án 2\t\tcap\t41000000\t\t\n'
	printf 'B000005\t2024-06-01\t2023\t\t\tke_khai\t92000010\t\t\n'
}

@test "--asof: a correction (same id, later date) replaces the line in the ledger" {
	corrected > "$T/c.tsv"
	run dc-budget --asof 2024-12-31 -g year "$T/c.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' \
	    'year	cap	bo_sung	du_kien	chi	total' \
	    '2022	5	0	-2	0	5' \
	    '2023	41000010	51000000	0	7	92000010' \
	    'total	41000015	51000000	-2	7	92000015')" ]
	# the 2023 funding of the newest line per id, by awk
	computed=$(awk -F'\t' 'NR > 1 && $2 <= "2024-12-31" { line[$1] = $0 }
	    END { for (id in line) { split(line[id], f, "\t")
	        if (f[3] == 2023 && (f[6] == "cap" || f[6] == "bo_sung")) s += f[7] }
	      print s }' "$T/c.tsv")
	[ "${lines[2]}" = "$(printf '2023\t41000010\t51000000\t0\t7\t%s' "$computed")" ]
	run dc-budget --asof 2024-03-01 "$T/c.tsv"
	[ "$output" = "$(dc-budget "$T/ok.tsv")" ]
}

@test "--asof --check: the corrected claim is checked, located at its own line" {
	corrected > "$T/c.tsv"
	run dc-budget --check --asof 2024-12-31 "$T/c.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '%s\n' \
	    'year	project	declared	computed	difference	line' \
	    "2023	Dự án 2	102000000	92000000	10000000	$T/c.tsv:7")" ]
	sed '$s/92000010/92000011/' "$T/c.tsv" > "$T/c2.tsv"
	run dc-budget --check --asof 2024-12-31 "$T/c2.tsv"
	[ "$output" = "$(printf '%s\n' \
	    'year	project	declared	computed	difference	line' \
	    "2023	Dự án 2	102000000	92000000	10000000	$T/c2.tsv:7" \
	    "2023		92000011	92000010	1	$T/c2.tsv:11")" ]
	run dc-budget --check --asof 2024-03-01 "$T/c.tsv"
	[ "$status" -eq 0 ]
	run dc-budget --check --asof 2024-3-1 "$T/c.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-budget: --asof: '2024-3-1' is not a date (YYYY-MM-DD)" ]
}

# ---- histories: the current state by default ----

# A copy of the fixture with B000003's cap corrected the documented way,
# dated today (DC_TODAY=2024-12-14): 51000000 becomes 41000000.
corrected_fixture() {
	cp "$FIX/budget.tsv" "$FIX/budget.schema" "$T/"
	cd "$T"
	dc-add budget.tsv id=B000003 amount=41000000 > /dev/null
	[ "$(tail -n 1 budget.tsv | cut -f1,2,6,7)" = "$(printf 'B000003\t2024-12-14\tcap\t41000000')" ]
}

@test "after a correction the ledger has the new amount only" {
	corrected_fixture
	run dc-budget budget.tsv
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' \
	    'year	project	cap	bo_sung	du_kien	chi	total' \
	    '2021		0	0	0	0	0' \
	    '2021	total	0	0	0	0	0' \
	    '2022		0	0	0	0	0' \
	    '2022	total	0	0	0	0	0' \
	    '2023	Dự án 2	41000000	51000000	0	0	92000000' \
	    '2023	Dự án 3	31000000	31000000	0	0	62000000' \
	    '2023	Phương án 02	130000000	0	0	0	130000000' \
	    '2023	total	202000000	82000000	0	0	284000000' \
	    '2024		0	0	60000000	0	0' \
	    '2024	total	0	0	60000000	0	0' \
	    'total	total	202000000	82000000	60000000	0	284000000')" ]
	# The same as awk's sums of the newest line of each id.
	awk -F'\t' 'NR > 1 && $2 <= "2024-12-14" { line[$1] = $0 }
	    END { for (id in line) { split(line[id], f, "\t")
		if (f[6] == "ke_khai")
			continue        # a claim is not money
		k = f[3] "\t" f[4]; seen[k] = 1
		if (f[6] == "cap" || f[6] == "bo_sung") { m[k, f[6]] += f[7]; t[k] += f[7] }
		if (f[6] == "du_kien" || f[6] == "chi") m[k, f[6]] += f[7] }
	      for (k in seen) printf "%s\t%d\t%d\t%d\t%d\t%d\n", k,
		m[k, "cap"], m[k, "bo_sung"], m[k, "du_kien"], m[k, "chi"], t[k] }' \
	    budget.tsv | sort > want
	printf '%s\n' "$output" | tail -n +2 | grep -v 'total' | sort | diff want -
	# The day before the correction: the ledger of the fixture.
	run dc-budget --asof 2024-12-13 budget.tsv
	[ "$output" = "$(dc-budget "$FIX/budget.tsv")" ]
}

@test "after a correction --check reports the project's real difference" {
	corrected_fixture
	run dc-budget --check budget.tsv
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '%s\n' \
	    'year	project	declared	computed	difference	line' \
	    '2023	Dự án 2	102000000	92000000	10000000	budget.tsv:6' \
	    '2023		194000000	284000000	-90000000	budget.tsv:11')" ]
	# Dự án 2 by awk, from the newest line of each id.
	diff=$(awk -F'\t' 'NR > 1 && $2 <= "2024-12-14" { line[$1] = $0 }
	    END { for (id in line) { split(line[id], f, "\t")
		if (f[3] != 2023 || f[4] != "Dự án 2") continue
		if (f[6] == "ke_khai") d += f[7]
		if (f[6] == "cap" || f[6] == "bo_sung") c += f[7] }
	      print d, c, d - c }' budget.tsv)
	[ "$diff" = "102000000 92000000 10000000" ]
	# The report's figure corrected too: only the year's claim is left,
	# named by the line that holds now.
	dc-add budget.tsv id=B000005 amount=92000000 > /dev/null
	run dc-budget --check budget.tsv
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '%s\n' \
	    'year	project	declared	computed	difference	line' \
	    '2023		194000000	284000000	-90000000	budget.tsv:11')" ]
	dc-add budget.tsv id=B000010 amount=284000000 > /dev/null
	run dc-budget --check budget.tsv
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'year\tproject\tdeclared\tcomputed\tdifference\tline')" ]
}

@test "--history: every version, the old and the new amount added, as asked" {
	corrected_fixture
	run dc-budget --history budget.tsv
	[ "$status" -eq 0 ]
	[ "${lines[5]}" = "$(printf '2023\tDự án 2\t92000000\t51000000\t0\t0\t143000000')" ]
	[ "${lines[8]}" = "$(printf '2023\ttotal\t253000000\t82000000\t0\t0\t335000000')" ]
	[ "${lines[11]}" = "$(printf 'total\ttotal\t253000000\t82000000\t60000000\t0\t335000000')" ]
	[ "${#lines[@]}" -eq 12 ]
	run dc-budget --history --check budget.tsv
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '%s\n' \
	    'year	project	declared	computed	difference	line' \
	    '2023	Dự án 2	102000000	143000000	-41000000	budget.tsv:6' \
	    '2023		194000000	335000000	-141000000	budget.tsv:11')" ]
}

@test "an end record takes a line out of the ledger from its date on" {
	corrected_fixture
	printf 'B000009\t2024-12-01\t\t\t\t\t\t\tnhập nhầm\n' >> budget.tsv
	run dc-budget -g year budget.tsv
	[ "$status" -eq 0 ]
	[ "${lines[3]}" = "$(printf '2023\t72000000\t82000000\t0\t0\t154000000')" ]
	run dc-budget -g year --asof 2024-11-30 budget.tsv
	[ "${lines[3]}" = "$(printf '2023\t212000000\t82000000\t0\t0\t294000000')" ]
}

@test "a history from a pipe: the same sums, the header marked #dc:piped" {
	corrected_fixture
	run bash -c 'cat budget.tsv | dc-budget'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(printf 'year\tproject\tcap\tbo_sung\tdu_kien\tchi\ttotal\t#dc:piped')" ]
	[ "$(printf '%s\n' "$output" | tail -n +2)" = "$(dc-budget budget.tsv | tail -n +2)" ]
	run bash -c 'cat budget.tsv | dc-budget --check'
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '%s\n' \
	    'year	project	declared	computed	difference	line	#dc:piped' \
	    '2023	Dự án 2	102000000	92000000	10000000	(standard input):6' \
	    '2023		194000000	284000000	-90000000	(standard input):11')" ]
	# Files are whole, also as standard input: no mark.
	[ "$(dc-budget budget.tsv | head -n 1)" = "$(printf 'year\tproject\tcap\tbo_sung\tdu_kien\tchi\ttotal')" ]
	[ "$(dc-budget < budget.tsv | head -n 1)" = "$(printf 'year\tproject\tcap\tbo_sung\tdu_kien\tchi\ttotal')" ]
}

@test "--part K/N: each part's header says so; the parts add up to the whole" {
	corrected_fixture
	for k in 1 2 3; do
		dc-budget --part "$k/3" budget.tsv > "p$k"
		[ "$(head -n 1 "p$k")" = "$(printf 'year\tproject\tcap\tbo_sung\tdu_kien\tchi\ttotal\t#dc:part %s/3' "$k")" ]
	done
	tail -q -n +2 p1 p2 p3 | awk -F'\t' -v OFS='\t' '
	    { k = $1 OFS $2; seen[k] = 1; for (i = 3; i <= 7; i++) s[k, i] += $i }
	    END { for (k in seen) print k, s[k, 3], s[k, 4], s[k, 5], s[k, 6], s[k, 7] }' |
	    sort > sum
	dc-budget budget.tsv | tail -n +2 | sort | diff - sum
	# The corrected id is whole in one part: no part adds both amounts.
	! cat p1 p2 p3 | grep -q "$(printf '^2023\tDự án 2\t92000000')"
	# A file that is not a history is shared out by record number.
	printf 'year\tproject\tkind\tamount\n2023\tA\tcap\t1\n2023\tA\tcap\t2\n2023\tA\tcap\t4\n' > plain.tsv
	run dc-budget -g year --part 1/2 plain.tsv
	[ "$output" = "$(printf 'year\tcap\tbo_sung\tdu_kien\tchi\ttotal\t#dc:part 1/2\n2023\t5\t0\t0\t0\t5\ntotal\t5\t0\t0\t0\t5')" ]
	run dc-budget -g year --part 2/2 plain.tsv
	[ "$output" = "$(printf 'year\tcap\tbo_sung\tdu_kien\tchi\ttotal\t#dc:part 2/2\n2023\t2\t0\t0\t0\t2\ntotal\t2\t0\t0\t0\t2')" ]
}

@test "a selection of versions is refused unless --history; a state is taken as it is" {
	{ printf 'id\tdate\tyear\tproject\ttitle\tkind\tamount\tsource\tnote\t#dc:versions\n'
	  printf 'B1\t2024-01-01\t2023\tX\t\tcap\t5\t\t\n'
	  printf 'B1\t2024-02-01\t2023\tX\t\tcap\t7\t\t\n'; } > "$T/v.tsv"
	run dc-budget -g year < "$T/v.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-budget: (standard input): a selection of record versions (dc-grep --history): not a registry's state, nor a whole history; give --history to take every version as it is, or select from the state (dc-grep without --history)" ]
	run dc-budget -g year --history < "$T/v.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'year\tcap\tbo_sung\tdu_kien\tchi\ttotal\n2023\t12\t0\t0\t0\t12\ntotal\t12\t0\t0\t0\t12')" ]
	{ printf 'id\tdate\tyear\tproject\ttitle\tkind\tamount\tsource\tnote\t#dc:state 2024-12-14\n'
	  printf 'B1\t2024-02-01\t2023\tX\t\tcap\t7\t\t\n'
	  printf 'B2\t2024-02-01\t2023\tX\t\tchi\t3\t\t\n'; } > "$T/s.tsv"
	run dc-budget -g year < "$T/s.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'year\tcap\tbo_sung\tdu_kien\tchi\ttotal\n2023\t7\t0\t0\t3\t7\ntotal\t7\t0\t0\t3\t7')" ]
}

@test "input cut short by a program that failed: exit 2, no ledger" {
	status=0
	{ budget_header; printf 'B1\t2024-01-01\t2023\tX\t\tcap\t5\t\t\n'
	  printf '\0dc-tools: incomplete output: dc-grep failed\n'; } |
	    dc-budget > "$T/out" 2> "$T/err" || status=$?
	[ "$status" -eq 2 ]
	[ "$(cat "$T/err")" = "dc-budget: (standard input):3: input cut short by the failure of the program before this one (dc-grep)" ]
	[ ! -s "$T/out" ]
}

@test "an invalid DC_TODAY is an error" {
	DC_TODAY=2024-12-32 run dc-budget "$T/ok.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-budget: DC_TODAY: '2024-12-32' is not a date (YYYY-MM-DD)" ]
}

@test "the manual tells of every option of --help, and of the exit status" {
	for opt in $(dc-budget --help | grep -o -e '^  -[a-z]' -e '--[a-z-]*' | sort -u); do
		grep -q -e "^\.B[IR]* ${opt//-/\\\\-}\( \|\$\)" "$TOP/man/dc-budget.1" ||
		    { echo "not in dc-budget.1: $opt"; return 1; }
	done
	grep -q '^at least one declared total does not add up' "$TOP/man/dc-budget.1"
}

@test "a failure line moved to the top by sort is recognised as the header" {
	status=0
	{ cat "$FIX/budget.tsv"; printf '\0dc-tools: incomplete output: dc-grep failed\n'; } |
	    sort | dc-budget > "$T/out" 2> "$T/err" || status=$?
	[ "$status" -eq 2 ]
	[ "$(cat "$T/err")" = "dc-budget: (standard input):1: input cut short by the failure of the program before this one (dc-grep)" ]
	[ ! -s "$T/out" ]
}

# -j N (issue 11): the fixture's ledger 2000 times over, each copy with
# ids and years of its own, and corrections (later lines of an id) far
# from the lines they correct.
big_ledger() {
	awk -F'\t' -v OFS='\t' 'NR == 1 { print; next }
	    { line[NR] = $0 }
	    END { for (c = 0; c < 2000; c++) for (i = 2; i <= NR; i++) {
		$0 = line[i]; $1 = $1 "-" c; $3 += c % 4; $7 += c; print
		if (c >= 1000 && i % 3 == 0) {
			$0 = line[i]; $1 = $1 "-" (c - 1000); $2 = "2024-06-01"
			$3 += (c - 1000) % 4; $7 += 7; print } } }' \
	    "$FIX/budget.tsv" > "$T/big.tsv"
}

@test "-j N: the same ledger as one process" {
	big_ledger
	for args in "" "--history" "-g year" "-g project,year,kind" \
	    "--part 1/2" "--asof 2024-04-01 -g kind" "--check" "--history --check"; do
		dc-budget -j 1 $args "$T/big.tsv" > "$T/one" || [ $? -eq 1 ]
		for j in 2 3 7; do
			dc-budget -j $j $args "$T/big.tsv" > "$T/many" || [ $? -eq 1 ]
			cmp "$T/one" "$T/many"
		done
	done
	# as awk adds every version
	n=$(awk -F'\t' 'NR > 1 && $6 == "cap" { s += $7 } END { printf "%.0f", s }' "$T/big.tsv")
	run dc-budget -j 2 --history -g kind "$T/big.tsv"
	[ "${lines[2]}" = "cap	$n	0	0	0	$n" ]
	# a pipe: one process (its sums say #dc:piped)
	cat "$T/big.tsv" | dc-budget -j 2 > "$T/many"
	cat "$T/big.tsv" | dc-budget -j 1 | cmp - "$T/many"
	[ "$(head -1 "$T/many")" = "year	project	cap	bo_sung	du_kien	chi	total	#dc:piped" ]
}

@test "-j N: an overflow, and an error in the second half, as one process reports them" {
	big_ledger
	n=$(wc -l < "$T/big.tsv")
	awk -F'\t' -v OFS='\t' -v bad=$((n * 3 / 4)) 'NR == bad { $7 = "12x" } 1' \
	    "$T/big.tsv" > "$T/bad.tsv"
	for j in 1 2 3; do
		run dc-budget -j $j --history "$T/bad.tsv"
		[ "$status" -eq 2 ]
		[ "$output" = "dc-budget: $T/bad.tsv:$((n * 3 / 4)): amount '12x' is not a whole number of đồng (digits only, no separators)" ]
	done
	# a running sum beyond int64, back within it at the end
	{ budget_header
	  for i in $(seq 1 300); do printf 'B%d\t2024-01-01\t2023\tX\t\tcap\t1\t\t\n' $i; done
	  printf 'C1\t2024-01-01\t2023\tX\t\tcap\t9000000000000000000\t\t\n'
	  printf 'C2\t2024-01-01\t2023\tX\t\tcap\t9000000000000000000\t\t\n'
	  printf 'C3\t2024-01-01\t2023\tX\t\tcap\t-9000000000000000000\t\t\n'
	  for i in $(seq 1 300); do printf 'D%d\t2024-01-01\t2023\tX\t\tcap\t1\t\t\n' $i; done; } > "$T/o.tsv"
	for j in 1 2 3; do
		run dc-budget -j $j "$T/o.tsv"
		[ "$status" -eq 2 ]
		[ "$output" = "dc-budget: $T/o.tsv:303: sum overflows int64" ]
	done
}

@test "-j N: a number of processes from 1 to 64" {
	for bad in 0 x 100000; do
		run dc-budget -j "$bad" "$FIX/budget.tsv"
		[ "$status" -eq 2 ]
		[ "$output" = "dc-budget: -j: '$bad' is not a number of processes from 1 to 64
Try 'dc-budget --help'." ]
	done
	run dc-budget --jobs 5 "$FIX/budget.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(dc-budget "$FIX/budget.tsv")" ]
}

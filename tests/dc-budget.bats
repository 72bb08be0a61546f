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

@test "standard input and a header only" {
	run_in "$(budget_header)" dc-budget
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

@test "--help, --version, bad usage" {
	run dc-budget --help
	[ "$status" -eq 0 ]
	[ "${lines[0]%% *}" = "usage:" ]
	run dc-budget --version
	[ "$output" = "dc-budget (dc-tools) 0.2.0" ]
	run dc-budget -x "$T/ok.tsv"
	[ "$status" -eq 2 ]
}

@test "-g may be repeated: its fields add up" {
	run dc-budget -g year -g project "$T/ok.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(dc-budget "$T/ok.tsv")" ]
	[ "${lines[0]}" = "$(printf 'year\tproject\tcap\tbo_sung\tdu_kien\tchi\ttotal')" ]
}

@test "--check with -g is bad usage" {
	run dc-budget --check -g year "$T/ok.tsv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "dc-budget: --check compares by year and project: no -g" ]
	[ "${lines[1]%% *}" = "usage:" ]
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

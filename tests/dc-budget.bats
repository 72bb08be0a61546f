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
	[ "$output" = "dc-budget (dc-tools) 0.1.0" ]
	run dc-budget -x "$T/ok.tsv"
	[ "$status" -eq 2 ]
}

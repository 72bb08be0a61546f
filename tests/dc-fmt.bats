#!/usr/bin/env bats
# dc-fmt: templates, filters, --table, errors.

load helper

# The filter table: filter|value|expected output.  An empty value stays
# empty under every filter.
filter_cases() {
	cat <<'EOF'
num|1530|1.530
num|6000|6.000
num|0|0
num|7|7
num|999|999
num|1000|1.000
num|100000|100.000
num|1234567|1.234.567
num|-1234567|-1.234.567
num|-5|-5
num|12.5|12,5
num|0.5|0,5
num|1234.5|1.234,5
num|-1234.567|-1.234,567
num|9223372036854775807|9.223.372.036.854.775.807
num|123456789012345678901234|123.456.789.012.345.678.901.234
num||
dec|12.243|12,243
dec|15.489|15,489
dec|1234.5|1.234,5
dec|0.001|0,001
dec|-0.5|-0,5
dec|80|80
dec|1000000.25|1.000.000,25
pct|68.2|68,2%
pct|80|80,0%
pct|7.65|7,7%
pct|7.64|7,6%
pct|7.6|7,6%
pct|24.25|24,3%
pct|24.24999|24,2%
pct|64.35|64,4%
pct|21.7|21,7%
pct|0|0,0%
pct|0.04|0,0%
pct|0.05|0,1%
pct|99.95|100,0%
pct|100|100,0%
pct|-7.65|-7,7%
pct|-0.04|0,0%
pct|1234.56|1.234,6%
pct|12.3456789012345678901|12,3%
money|51000000|51.000.000đ
money|102000000|102.000.000đ
money|194000000|194.000.000đ
money|3500000|3.500.000đ
money|0|0đ
money|999|999đ
money|1000|1.000đ
money|-3500000|-3.500.000đ
money|9223372036854775807|9.223.372.036.854.775.807đ
pad2|0|0
pad2|1|01
pad2|8|08
pad2|9|09
pad2|10|10
pad2|17|17
pad2|99|99
pad2|100|100
pad2|1530|1.530
pad2|1234567|1.234.567
pad2|07|07
pad2|-5|-5
cap|năm mươi mốt triệu|Năm mươi mốt triệu
cap|đồng du|Đồng du
cap|ấy|Ấy
cap|“ấy”|“Ấy”
cap|ư|Ư
cap|123 abc|123 abc
cap|Đã viết hoa|Đã viết hoa
upper|ngọc lũ|NGỌC LŨ
upper|đồng du|ĐỒNG DU
upper|bình mỹ|BÌNH MỸ
upper|ăn ở ư|ĂN Ở Ư
upper|abc xyz 12|ABC XYZ 12
upper|Ngọc LŨ|NGỌC LŨ
lower|NGỌC LŨ|ngọc lũ
lower|ĐỒNG DU|đồng du
lower|Tiêu Động|tiêu động
lower|ỨNG|ứng
lower|ABC|abc
date|2024-12-16|ngày 16 tháng 12 năm 2024
date|2024-02-23|ngày 23 tháng 02 năm 2024
date|2024-01-05|ngày 05 tháng 01 năm 2024
date|2022-04-05|ngày 05 tháng 4 năm 2022
date|2019-08-16|ngày 16 tháng 8 năm 2019
date|2024-02-29|ngày 29 tháng 02 năm 2024
date|2023-10-01|ngày 01 tháng 10 năm 2023
date|0099-05-01|ngày 01 tháng 5 năm 0099
date|0999-12-31|ngày 31 tháng 12 năm 0999
dmy|2024-12-16|16/12/2024
dmy|2024-02-02|02/02/2024
dmy|2019-01-22|22/01/2019
dmy|2022-04-05|05/4/2022
dmy|2023-03-09|09/3/2023
dmy|2024-11-13|13/11/2024
dmy|2000-02-29|29/02/2000
dmy|0099-05-01|01/5/0099
dmy|0001-01-01|01/01/0001
mask|035201001234|********1234
mask|001099012345|********2345
mask|12345|*2345
mask|1234|1234
mask|123|123
mask|035 201 001234|*** *** **1234
mask||
EOF
}

# Run every case of one filter through {v|FILTER} and compare.
check_filter() {
	local f="$1"
	filter_cases | awk -F'|' -v f="$f" 'BEGIN { print "v" } $1 == f { print $2 }' \
	    > "$T/in.tsv"
	filter_cases | awk -F'|' -v f="$f" '$1 == f { print $3 }' > "$T/want"
	[ "$(wc -l < "$T/want")" -ge 5 ]
	dc-fmt -t "{v|$f}" "$T/in.tsv" > "$T/got"
	diff "$T/want" "$T/got"
}

@test "filter table has at least 60 cases" {
	[ "$(filter_cases | wc -l)" -ge 60 ]
}

@test "num" { check_filter num; }
@test "dec" { check_filter dec; }
@test "pct" { check_filter pct; }
@test "money" { check_filter money; }
@test "pad2" { check_filter pad2; }
@test "cap" { check_filter cap; }
@test "upper" { check_filter upper; }
@test "lower" { check_filter lower; }
@test "date" { check_filter date; }
@test "dmy" { check_filter dmy; }
@test "mask" { check_filter mask; }

@test "words: every case of tests/words.tsv" {
	[ "$(wc -l < "$TOP/tests/words.tsv")" -ge 40 ]
	dc-fmt -t '{n|words}' "$TOP/tests/words.tsv" > "$T/got"
	tail -n +2 "$TOP/tests/words.tsv" | cut -f2 > "$T/want"
	diff "$T/want" "$T/got"
}

@test "seed strings: money in figures and in words" {
	printf 'amount\n51000000\n102000000\n194000000\n' > "$T/b.tsv"
	run dc-fmt -t '{amount|money} ({amount|words|cap} đồng)' "$T/b.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "51.000.000đ (Năm mươi mốt triệu đồng)
102.000.000đ (Một trăm linh hai triệu đồng)
194.000.000đ (Một trăm chín mươi tư triệu đồng)" ]
}

@test "an empty value stays empty under every filter" {
	printf 'v\tw\n\tx\n' > "$T/e.tsv"
	run dc-fmt -t '[{v|num}{v|dec}{v|pct}{v|money}{v|words}{v|pad2}{v|cap}{v|upper}{v|lower}{v|date}{v|dmy}{v|mask}]{w}' "$T/e.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "[]x" ]
}

@test "NFD input: cap and upper change the base letter, keep the marks" {
	nfd_lower=$(printf 'ngo\xcc\xa3c lu\xcc\x83')    # ngọc lũ, decomposed
	nfd_cap=$(printf 'Ngo\xcc\xa3c lu\xcc\x83')
	nfd_upper=$(printf 'NGO\xcc\xa3C LU\xcc\x83')
	printf 'v\n%s\n' "$nfd_lower" > "$T/nfd.tsv"
	run dc-fmt -t '{v|cap}|{v|upper}|{v|upper|lower}' "$T/nfd.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$nfd_cap|$nfd_upper|$nfd_lower" ]
}

@test "filters chain left to right" {
	printf 'n\n1530\n8\n' > "$T/n.tsv"
	run dc-fmt -t '{n|pad2} {n|words|cap} {n|words|upper|lower}' "$T/n.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "1.530 Một nghìn năm trăm ba mươi một nghìn năm trăm ba mươi
08 Tám tám" ]
}

@test "num and money agree with awk's digit grouping on random integers" {
	awk 'BEGIN { srand(7); print "v"
	    for (i = 0; i < 2000; i++) {
		d = int(rand() * 18) + 1; s = (rand() < 0.2) ? "-" : ""
		s = s (int(rand() * 9) + 1)
		for (j = 1; j < d; j++) s = s int(rand() * 10)
		print s } }' > "$T/r.tsv"
	tail -n +2 "$T/r.tsv" | awk '{
	    sign = ""; s = $0
	    if (substr(s, 1, 1) == "-") { sign = "-"; s = substr(s, 2) }
	    out = ""
	    while (length(s) > 3) {
		out = "." substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
	    g = sign s out
	    print g " " g "đ" }' > "$T/want"
	dc-fmt -t '{v|num} {v|money}' "$T/r.tsv" > "$T/got"
	diff "$T/want" "$T/got"
}

@test "pad2 agrees with awk's %02d from 1 to 999" {
	awk 'BEGIN { print "v"; for (i = 1; i <= 999; i++) print i }' > "$T/p.tsv"
	awk 'BEGIN { for (i = 1; i <= 999; i++) printf "%02d\n", i }' > "$T/want"
	dc-fmt -t '{v|pad2}' "$T/p.tsv" > "$T/got"
	diff "$T/want" "$T/got"
}

# awk rounds in binary floating point, so the reference works on the
# digits: tenths = integer part * 10 + first decimal, plus one when the
# second decimal is 5 or more.
@test "pct agrees with a digit-wise awk rounding on random decimals" {
	awk 'BEGIN { srand(11); print "v"
	    for (i = 0; i < 2000; i++) {
		s = (rand() < 0.2) ? "-" : ""
		s = s int(rand() * 5000)
		k = int(rand() * 5)
		if (k > 0) { s = s "."; for (j = 0; j < k; j++) s = s int(rand() * 10) }
		print s } }' > "$T/q.tsv"
	tail -n +2 "$T/q.tsv" | awk '{
	    s = $0; neg = 0
	    if (substr(s, 1, 1) == "-") { neg = 1; s = substr(s, 2) }
	    split(s, part, "."); f = part[2] "00"
	    t = part[1] * 10 + substr(f, 1, 1) + (substr(f, 2, 1) >= 5)
	    w = int(t / 10) ""; out = ""
	    while (length(w) > 3) {
		out = "." substr(w, length(w) - 2) out; w = substr(w, 1, length(w) - 3) }
	    printf "%s%s%s,%d%%\n", (neg && t > 0) ? "-" : "", w, out, t % 10 }' > "$T/want"
	dc-fmt -t '{v|pct}' "$T/q.tsv" > "$T/got"
	diff "$T/want" "$T/got"
}

@test "values are written unescaped: \\t is a real TAB" {
	printf 'v\tw\n%s\t%s\n' 'a\tb' 'c\\d\ne' > "$T/x.tsv"
	run dc-fmt -t '{v}|{w}' "$T/x.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\tb|c\\d\ne')" ]
}

@test "an escaped value goes through each filter unescaped, as does a plain one" {
	printf 'v\tw\n%s\t%s\n%s\t%s\n' 'ấy\tb\\' 'x' 'ấy b' '1\\n2' > "$T/x.tsv"
	run dc-fmt -t '{v|upper}|{v|upper|lower|cap}|{w|upper}' "$T/x.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'ẤY\tB\\|Ấy\tb\\|X\nẤY B|Ấy b|1\\N2')" ]
	run dc-fmt -t '{v}:{w|upper|money}' "$T/x.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-fmt: $T/x.tsv:2: filter 'money': 'X' is not an integer" ]
}

@test "-t escapes, braces, header and footer" {
	printf 'n\tname\n5\tAn Lão\n17\tBồ Đề\n' > "$T/h.tsv"
	run dc-fmt --header 'Xã\tSố\\' --footer 'Hết.' \
	    -t '{name}\t{{{n|pad2}}}\\n' "$T/h.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'Xã\tSố\\\nAn Lão\t{05}\\n\nBồ Đề\t{17}\\n\nHết.')" ]
}

@test "-f: the template file is used as it is" {
	printf 'n\tname\n5\tAn Lão\n17\tBồ Đề\n' > "$T/h.tsv"
	printf -- '- {name}: {n|pad2} người\\t{{x}}\n' > "$T/tpl"
	run dc-fmt -f "$T/tpl" "$T/h.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = '- An Lão: 05 người\t{x}
- Bồ Đề: 17 người\t{x}' ]
}

@test "-f without a final newline: records run together" {
	printf 'n\n1\n2\n' > "$T/n.tsv"
	printf '{n};' > "$T/tpl"
	run dc-fmt -f "$T/tpl" "$T/n.tsv"
	[ "$output" = "1;2;" ]
}

@test "standard input, and several files" {
	printf 'n\n1\n' > "$T/a.tsv"
	printf 'n\n2\n' > "$T/b.tsv"
	run dc-fmt -t '{n|pad2}' "$T/a.tsv" - "$T/b.tsv" < "$T/a.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "01
01
02" ]
}

# ---- errors ----

@test "unknown field: an error before any output" {
	printf 'n\tname\n1\tAn\n' > "$T/n.tsv"
	run dc-fmt --header H -t '{n} {nam}' "$T/n.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-fmt: unknown field 'nam'; the fields are: n, name" ]
}

@test "unknown filter: the reference and the list of the filters" {
	printf 'n\n1\n' > "$T/n.tsv"
	filters='num, dec, pct, money, words, pad2, cap, upper, lower, date, dmy, mask'
	run dc-fmt -t 'x {n|num|wrods} y' "$T/n.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-fmt: unknown filter 'wrods' in {n|num|wrods}; the filters are: $filters" ]
	run dc-fmt -t '{n|}' "$T/n.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-fmt: unknown filter '' in {n|}; the filters are: $filters" ]
	# The list is every filter there is: each of them is taken (an
	# empty value stays empty under every filter).
	printf 'n\tm\n\tx\n' > "$T/e.tsv"
	for f in $(echo "$filters" | tr -d ,); do
		[ "$(dc-fmt -t "{n|$f}{m}" "$T/e.tsv")" = x ]
	done
}

@test "unclosed and unmatched braces" {
	printf 'n\n1\n' > "$T/n.tsv"
	run dc-fmt -t 'x {n|num' "$T/n.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-fmt: unclosed '{' in template" ]
	run dc-fmt -t 'x } y' "$T/n.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-fmt: unmatched '}' in template (write '}}' for a brace)" ]
}

@test "template errors leave standard output empty" {
	printf 'n\n1\n' > "$T/n.tsv"
	for t in '{x}' '{n|x}' '{n'; do
		run bash -c 'dc-fmt --header H -t "$1" "$2" 2>/dev/null' _ "$t" "$T/n.tsv"
		[ "$status" -eq 2 ]
		[ "$output" = "" ]
	done
}

# The failure line that ends the output of a program that failed after
# it began writing (dc-format(5)).
failure_line() {
	printf '\0dc-tools: incomplete output: %s failed\n' "$1"
}

@test "a value a filter cannot take: FILE:LINE, filter and value; the output ends with the failure line" {
	printf 'v\n12\nabc\n' > "$T/v.tsv"
	status=0
	dc-fmt -t '{v|words}' "$T/v.tsv" > "$T/out" 2> "$T/err" || status=$?
	[ "$status" -eq 2 ]
	[ "$(cat "$T/err")" = "dc-fmt: $T/v.tsv:3: filter 'words': 'abc' is not an integer" ]
	{ printf 'mười hai\n'; failure_line dc-fmt; } | cmp - "$T/out"
}

# filter|value|message
filter_errors() {
	cat <<'EOF'
num|abc|is not a number
num|1,5|is not a number
num|7.|is not a number
dec|.5|is not a number
pct|12%|is not a number
pct|9223372036854775807.5|is out of range
money|1.5|is not an integer
money|99999999999999999999|is out of range
words|abc|is not an integer
words|1.000|is not an integer
words|9223372036854775808|is out of range
pad2|1.5|is not an integer
pad2| 7|is not an integer
date|2024-02-30|is not a date
date|2023-02-29|is not a date
date|16/12/2024|is not a date
dmy|2024-13-01|is not a date
dmy|2024-1-5|is not a date
EOF
}

@test "every filter error message" {
	filter_errors | while IFS='|' read -r f v why; do
		printf 'v\n%s\n' "$v" > "$T/v.tsv"
		run dc-fmt -t "{v|$f}" "$T/v.tsv"
		[ "$status" -eq 2 ] || { echo "$f $v: status $status"; return 1; }
		want="dc-fmt: $T/v.tsv:2: filter '$f': '$v' $why"
		[ "$output" = "$want" ] || { echo "got:  $output"; echo "want: $want"; return 1; }
	done
}

@test "a chained filter reports the value it was given" {
	printf 'v\n1530\n' | {
		run dc-fmt -t '{v|num|words}'
		[ "$status" -eq 2 ]
		[ "$output" = "dc-fmt: (standard input):2: filter 'words': '1.530' is not an integer" ]
	}
}

@test "-f: missing file, and a file that is not UTF-8" {
	printf 'n\n1\n' > "$T/n.tsv"
	run dc-fmt -f "$T/nope" "$T/n.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-fmt: $T/nope: No such file or directory" ]
	printf 'Ng\xf5c {n}' > "$T/tcvn.tpl"
	run dc-fmt -f "$T/tcvn.tpl" "$T/n.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-fmt: $T/tcvn.tpl: invalid UTF-8 at byte 3" ]
}

# A usage error: what is wrong, how to get help, exit 2, no output.
usage_error() {
	[ "$status" -eq 2 ]
	[ "$output" = "dc-fmt: $1
Try 'dc-fmt --help'." ]
}

@test "usage errors say what is wrong" {
	printf 'n\n1\n' > "$T/n.tsv"
	for args in "" "-t x -f y" "-t x --table" "-f y --table" "-t x -f y --table"; do
		run dc-fmt $args "$T/n.tsv"
		usage_error "give one of -t, -f or --table"
	done
	run dc-fmt "$T/n.tsv" -t
	usage_error "option '-t' needs a value"
	run dc-fmt --table -s
	usage_error "option '-s' needs a value"
	run dc-fmt -t x --header
	usage_error "option '--header' needs a value"
	run dc-fmt --bogus -t x "$T/n.tsv"
	usage_error "unknown option '--bogus'"
	run dc-fmt --bogus=1 -t x "$T/n.tsv"
	usage_error "unknown option '--bogus'"
	run dc-fmt -x -t x "$T/n.tsv"
	usage_error "unknown option '-x'"
	run dc-fmt --table=yes "$T/n.tsv"
	usage_error "option '--table' takes no value"
	run dc-fmt --h -t x "$T/n.tsv"
	usage_error "option '--h' is ambiguous: --header, --history, --help"
	run dc-fmt -s "$T/n.schema" -t x "$T/n.tsv"
	usage_error "-s goes with --table"
	run dc-fmt --asof 2024-12-14 --history -t x "$T/n.tsv"
	usage_error "--asof and --history: the state of a day, or every version?"
}

@test "a usage error is named after the program, not the path it was run by" {
	printf 'n\n1\n' > "$T/n.tsv"
	run "$TOP/bin/dc-fmt" -q "$T/n.tsv"
	usage_error "unknown option '-q'"
}

@test "options anywhere before --" {
	printf 'n\n1\n' > "$T/n.tsv"
	run dc-fmt "$T/n.tsv" -t '{n|pad2}' --footer end
	[ "$status" -eq 0 ]
	[ "$output" = "01
end" ]
	cp "$T/n.tsv" "$T/-n.tsv"
	cd "$T"
	run dc-fmt -t '<{n}>' -- -n.tsv
	[ "$status" -eq 0 ]
	[ "$output" = "<1>" ]
	run dc-fmt -t '<{n}>' -n.tsv
	usage_error "unknown option '-n'"
}

@test "-h and --help: the usage and a line for every option, exit 0" {
	run dc-fmt --help
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "usage: dc-fmt (-t TEMPLATE | -f TEMPLATE_FILE) [--header TEXT] [--footer TEXT] [FILE...]" ]
	[ "${lines[1]}" = "       dc-fmt --table [-s SCHEMA] [--show-cccd] [--header TEXT] [--footer TEXT] [FILE...]" ]
	for opt in '-t TEMPLATE' '-f TEMPLATE_FILE' '--header TEXT' '--footer TEXT' \
	    '--table' '-s SCHEMA' '--show-cccd' '--asof DATE' '--history' \
	    '--part K/N' '-h, --help' '--version'; do
		printf '%s\n' "$output" | grep -q -e "^  $opt  " ||
		    { echo "no line for $opt"; return 1; }
	done
	printf '%s\n' "$output" | grep -qx 'filters: num dec pct money words pad2 cap upper lower date dmy mask.'
	help="$output"
	run dc-fmt -h
	[ "$status" -eq 0 ]
	[ "$output" = "$help" ]
	run dc-fmt -t x -h /nonexistent
	[ "$status" -eq 0 ]
	[ "$output" = "$help" ]
}

@test "--version" {
	run dc-fmt --version
	[ "$status" -eq 0 ]
	[ "$output" = "dc-fmt (dc-tools) 0.2.0" ]
}

@test "malformed input is reported with FILE:LINE, after the failure line" {
	printf 'n\tm\n1\t2\n3\n' > "$T/bad.tsv"
	status=0
	dc-fmt -t '{n}' "$T/bad.tsv" > "$T/out" 2> "$T/err" || status=$?
	[ "$status" -eq 2 ]
	[ "$(cat "$T/err")" = "dc-fmt: $T/bad.tsv:3: has 1 fields, header has 2" ]
	{ printf '1\n'; failure_line dc-fmt; } | cmp - "$T/out"
}

@test "a history with a bad record: nothing is written before the error" {
	printf 'id\tdate\tn\nP1\t2024-01-01\t1\nP2\t2024-01-01\n' > "$T/bad.tsv"
	status=0
	dc-fmt -t '{n}' "$T/bad.tsv" > "$T/out" 2> "$T/err" || status=$?
	[ "$status" -eq 2 ]
	[ "$(cat "$T/err")" = "dc-fmt: $T/bad.tsv:3: has 2 fields, header has 3" ]
	[ ! -s "$T/out" ]
}

@test "input cut short by a program that failed: exit 2, and the failure goes on" {
	# Records stream: what came before the failure line is written,
	# then dc-fmt's own failure line.
	status=0
	{ printf 'name\nAn\n'; failure_line dc-grep; } |
	    dc-fmt -t '{name}' > "$T/out" 2> "$T/err" || status=$?
	[ "$status" -eq 2 ]
	[ "$(cat "$T/err")" = "dc-fmt: (standard input):3: input cut short by the failure of the program before this one (dc-grep)" ]
	{ printf 'An\n'; failure_line dc-fmt; } | cmp - "$T/out"
	# A history is read whole before its state is known: nothing out.
	status=0
	{ printf 'id\tdate\tname\nP1\t2024-01-01\tAn\n'; failure_line dc-grep; } |
	    dc-fmt --table > "$T/out" 2> "$T/err" || status=$?
	[ "$status" -eq 2 ]
	[ "$(cat "$T/err")" = "dc-fmt: (standard input):3: input cut short by the failure of the program before this one (dc-grep)" ]
	[ ! -s "$T/out" ]
}

# ---- --table ----

people_schema() {
	printf 'field\ttype\trequired\tvalues\tdefault\tlabel\n'
	printf 'id\tid\tyes\tP\tnext\tMã số\n'
	printf 'name\ttext\tyes\t\t\tHọ và tên\n'
	printf 'n\tint\tno\t\t\t\n'
	printf 'note\ttext\tno\t\t\tGhi chú\n'
}

@test "--table: schema labels, numbers right, text left, no trailing spaces" {
	people_schema > "$T/p.schema"
	printf 'id\tname\tn\tnote\nP000001\tNgọc Lũ\t5\tx\nP000002\tAn\t1234\t\nP000010\tBồ Đề\t-7.5\ta\\tb\n' > "$T/p.tsv"
	run dc-fmt --table "$T/p.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "Mã số    Họ và tên     n  Ghi chú
-------  ---------  ----  -------
P000001  Ngọc Lũ       5  x
P000002  An         1234
P000010  Bồ Đề      -7.5  a b" ]
}

@test "--table: field names without a schema, -s SCHEMA for standard input" {
	people_schema > "$T/labels.schema"
	printf 'id\tname\nP1\tAn\n' > "$T/q.tsv"
	run dc-fmt --table "$T/q.tsv"
	[ "$output" = "id  name
--  ----
P1  An" ]
	run dc-fmt --table -s "$T/labels.schema" < "$T/q.tsv"
	[ "$output" = "Mã số  Họ và tên
-----  ---------
P1     An" ]
}

@test "--table: NFD and NFC names take the same columns" {
	nfc='Ngọc Lũ'
	nfd=$(printf 'Ngo\xcc\xa3c Lu\xcc\x83')
	printf 'name\tn\n%s\t5\nAn\t17\n' "$nfc" > "$T/nfc.tsv"
	printf 'name\tn\n%s\t5\nAn\t17\n' "$nfd" > "$T/nfd.tsv"
	dc-fmt --table "$T/nfc.tsv" > "$T/nfc.out"
	dc-fmt --table "$T/nfd.tsv" | sed "s/$nfd/$nfc/" > "$T/nfd.out"
	diff "$T/nfc.out" "$T/nfd.out"
	[ "$(cat "$T/nfc.out")" = "name      n
-------  --
Ngọc Lũ   5
An       17" ]
	# Both forms in one table: the second column starts at one place.
	printf 'name\tn\n%s\t5\n%s\t6\n' "$nfc" "$nfd" > "$T/mix.tsv"
	run dc-fmt --table "$T/mix.tsv"
	[ "$output" = "name     n
-------  -
Ngọc Lũ  5
$nfd  6" ]
}

@test "--table with --header and --footer" {
	printf 'a\n1\n' > "$T/a.tsv"
	run dc-fmt --table --header 'Bảng 1' --footer '(hết)' "$T/a.tsv"
	[ "$output" = "Bảng 1
a
-
1
(hết)" ]
}

# ---- personal data in --table ----

cccd_schema() {
	printf 'field\ttype\trequired\tvalues\tdefault\tlabel\n'
	printf 'id\tid\tyes\tP\tnext\tMã số\n'
	printf 'so\tcccd\tno\t\t\tSố CCCD\n'
	printf 'cccd\ttext\tno\t\t\t\n'
}

@test "--table: a column of type cccd is masked; --show-cccd prints it in full" {
	cccd_schema > "$T/p.schema"
	printf 'id\tso\nP000001\t035201001234\nP000002\t\nP000003\t035 201 001234\n' > "$T/p.tsv"
	run dc-fmt --table "$T/p.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "Mã số    Số CCCD
-------  --------------
P000001  ********1234
P000002
P000003  *** *** **1234" ]
	run dc-fmt --table --show-cccd "$T/p.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "Mã số    Số CCCD
-------  --------------
P000001    035201001234
P000002
P000003  035 201 001234" ]
}

@test "--table: the schema's type decides; without a schema the name cccd does" {
	cccd_schema > "$T/s.schema"
	# The schema calls cccd text: shown.  x is not in it: only its
	# name could say, and it does not.
	printf 'cccd\tx\n001099012345\t001099012345\n' > "$T/q.tsv"
	run dc-fmt --table -s "$T/s.schema" < "$T/q.tsv"
	[ "$output" = "        cccd             x
------------  ------------
001099012345  001099012345" ]
	# No schema: the column named cccd is masked.
	run dc-fmt --table "$T/q.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "cccd                     x
------------  ------------
********2345  001099012345" ]
	run dc-fmt --table --show-cccd < "$T/q.tsv"
	[ "$output" = "        cccd             x
------------  ------------
001099012345  001099012345" ]
	# A schema that does not describe the column: the name says.
	printf 'field\ttype\trequired\tvalues\tdefault\tlabel\nx\ttext\tno\t\t\tX\n' > "$T/x.schema"
	run dc-fmt --table -s "$T/x.schema" "$T/q.tsv"
	[ "$output" = "cccd                     X
------------  ------------
********2345  001099012345" ]
}

@test "--table on the fixture: no national ID number in full" {
	dc-fmt --table --history "$FIX/people.tsv" > "$T/masked"
	dc-fmt --table --history --show-cccd "$FIX/people.tsv" > "$T/full"
	# The labels, the rule, a row for each record.
	[ "$(wc -l < "$T/masked")" -eq "$(($(wc -l < "$FIX/people.tsv") + 1))" ]
	# The full table does show them; the default one never does.
	grep -Eq '(^|[^0-9])[0-9]{12}([^0-9]|$)' "$T/full"
	! grep -Eq '[0-9]{5}' "$T/masked"
	# Masking keeps the width: below the labels, the tables differ
	# only in the masked digits.
	tail -n +2 "$T/full" | sed -E 's/(^|[^0-9])[0-9]{8}([0-9]{4})([^0-9]|$)/\1********\2\3/' > "$T/want"
	tail -n +2 "$T/masked" | diff "$T/want" -
}

@test "templates: {cccd} as stored, {cccd|mask} masked" {
	run dc-fmt -t '{cccd} {cccd|mask}' "$FIX/people.tsv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(sed -n 2p "$FIX/people.tsv" | cut -f6 | sed -E 's/^(.*)(....)$/\1\2 ********\2/')" ]
	[ "${lines[0]}" = "000087564031 ********4031" ]
}

@test "--show-cccd only with --table" {
	printf 'cccd\n001099012345\n' > "$T/q.tsv"
	run dc-fmt --show-cccd -t '{cccd}' "$T/q.tsv"
	usage_error "--show-cccd goes with --table"
}

# ---- histories: the current state by default ----

# Tests pin DC_TODAY=2024-12-14: P1 was corrected in June, P2 ended in
# September (every field but id, date and note empty), P3 is dated after
# today.
history() {
	printf 'id\tdate\tname\tstatus\tnote\n'
	printf 'P1\t2024-01-01\tAn\tnghien\t\n'
	printf 'P2\t2024-01-01\tBình\tnghien\t\n'
	printf 'P1\t2024-06-01\tAn\tcai\t\n'
	printf 'P3\t2024-12-20\tChi\tnghien\t\n'
	printf 'P2\t2024-09-01\t\t\tchuyển đi\n'
}

@test "a history is written as its state today: each id's newest record, ended ids left out" {
	history > "$T/h.tsv"
	run dc-fmt -t '{id} {name} {status}' "$T/h.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "P1 An cai" ]
	# The same from a pipe, and with the day given as --asof.
	[ "$(history | dc-fmt -t '{id} {name} {status}')" = "P1 An cai" ]
	[ "$(dc-fmt --asof 2024-12-14 -t '{id} {name} {status}' "$T/h.tsv")" = "P1 An cai" ]
	# Today moves with DC_TODAY.
	[ "$(DC_TODAY=2024-12-31 dc-fmt -t '{id} {name}' "$T/h.tsv")" = "P1 An
P3 Chi" ]
}

@test "--asof: the state of another day, in input order" {
	history > "$T/h.tsv"
	run dc-fmt --asof 2024-03-01 -t '{id} {name} {status}' "$T/h.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "P1 An nghien
P2 Bình nghien" ]
	run dc-fmt -t '{id} {status}' "$T/h.tsv" --asof 2024-12-31
	[ "$output" = "P1 cai
P3 nghien" ]
	run dc-fmt --asof 2023-12-31 -t '{id}' "$T/h.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	run dc-fmt --asof 2024-13-01 -t '{id}' "$T/h.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-fmt: --asof: '2024-13-01' is not a date (YYYY-MM-DD)" ]
}

@test "--history: every version, as the file holds them" {
	history > "$T/h.tsv"
	run dc-fmt --history -t '{id}|{name}|{status}|{note}' "$T/h.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(tail -n +2 "$T/h.tsv" | tr '\t' '|' | cut -d'|' -f1,3-)" ]
	[ "${#lines[@]}" -eq 5 ]
}

@test "--table of a history: the state's rows" {
	history > "$T/h.tsv"
	run dc-fmt --table "$T/h.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "id  date        name  status  note
--  ----------  ----  ------  ----
P1  2024-06-01  An    cai" ]
	run dc-fmt --table --asof 2024-03-01 "$T/h.tsv"
	[ "$output" = "id  date        name  status  note
--  ----------  ----  ------  ----
P1  2024-01-01  An    nghien
P2  2024-01-01  Bình  nghien" ]
}

@test "fixtures: people.tsv is written as its state, as awk computes it" {
	# The state by awk: per id the last line dated on or before today,
	# unless it ends the id (every field but id, date and note empty).
	awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	    $col["date"] <= "2024-12-14" && (!($1 in day) || $2 >= day[$1]) {
		day[$1] = $2; ended[$1] = 1
		for (i = 1; i <= NF; i++)
			if (i != col["id"] && i != col["date"] && i != col["note"] && $i != "")
				ended[$1] = 0
		name[$1] = $3; status[$1] = $8 }
	    END { for (id in day) if (!ended[id]) print id, name[id], status[id] }' \
	    "$FIX/people.tsv" | sort > "$T/want"
	[ "$(wc -l < "$T/want")" -eq 750 ]
	dc-fmt -t '{id} {name} {status}' "$FIX/people.tsv" | sort > "$T/got"
	diff "$T/want" "$T/got"
	# --history: a line for every record of the file.
	[ "$(dc-fmt --history -t '{id}' "$FIX/people.tsv" | wc -l)" -eq 944 ]
	# --table: the labels, the rule, a row for each id of the state.
	[ "$(dc-fmt --table "$FIX/people.tsv" | wc -l)" -eq 752 ]
}

@test "--part K/N: the parts share out the ids of the state, each id whole" {
	dc-fmt -t '{id}' "$FIX/people.tsv" | sort > "$T/all"
	for k in 1 2 3; do
		dc-fmt --part "$k/3" -t '{id}' "$FIX/people.tsv" > "$T/p$k"
		[ -s "$T/p$k" ]
	done
	sort "$T/p1" "$T/p2" "$T/p3" | diff "$T/all" -
	# No id in two parts, and with --history all versions of an id in one.
	for k in 1 2 3; do
		dc-fmt --history --part "$k/3" -t '{id}' "$FIX/people.tsv" | sort -u > "$T/h$k"
		sort "$T/p$k" | comm -23 - "$T/h$k" | { ! grep -q .; }
	done
	[ -z "$(sort "$T/h1" "$T/h2" "$T/h3" | uniq -d)" ]
	[ "$(cat "$T/h1" "$T/h2" "$T/h3" | wc -l)" -eq "$(tail -n +2 "$FIX/people.tsv" | cut -f1 | sort -u | wc -l)" ]
	run dc-fmt --part 0/3 -t '{id}' "$FIX/people.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-fmt: --part: '0/3' is not K/N with 1 <= K <= N" ]
}

@test "a selection of versions (#dc:versions) is refused unless --history" {
	{ printf 'id\tdate\tname\tstatus\tnote\t#dc:versions\n'; history | tail -n +2; } > "$T/v.tsv"
	run dc-fmt -t '{id}' < "$T/v.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-fmt: (standard input): a selection of record versions (dc-grep --history): not a registry's state, nor a whole history; give --history to take every version as it is, or select from the state (dc-grep without --history)" ]
	run dc-fmt --history -t '{id}' < "$T/v.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(history | tail -n +2 | cut -f1)" ]
}

@test "a state (#dc:state DAY) is written as it is; another day is refused" {
	{ printf 'id\tdate\tname\tstatus\tnote\t#dc:state 2024-12-14\n'
	  printf 'P2\t2024-01-01\tBình\tnghien\t\n'
	  printf 'P1\t2024-06-01\tAn\tcai\t\n'; } > "$T/s.tsv"
	run dc-fmt -t '{id} {status}' < "$T/s.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "P2 nghien
P1 cai" ]
	run dc-fmt --asof 2024-12-31 -t '{id}' < "$T/s.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-fmt: (standard input): the input is the state as of 2024-12-14, which cannot give the state as of 2024-12-31: read the registry itself" ]
	# A state holds one record per id: a second is an error.
	printf 'P1\t2024-07-01\tAn\tnghien\t\n' >> "$T/s.tsv"
	status=0
	dc-fmt -t '{id} {status}' "$T/s.tsv" > "$T/out" 2> "$T/err" || status=$?
	[ "$status" -eq 2 ]
	[ "$(cat "$T/err")" = "dc-fmt: $T/s.tsv:4: a second record of one id in the state as of 2024-12-14" ]
	{ printf 'P2 nghien\nP1 cai\n'; failure_line dc-fmt; } | cmp - "$T/out"
}

@test "an invalid DC_TODAY is an error, also for an input that is not a history" {
	printf 'n\n1\n' > "$T/n.tsv"
	DC_TODAY=14/12/2024 run dc-fmt -t '{n}' "$T/n.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-fmt: DC_TODAY: '14/12/2024' is not a date (YYYY-MM-DD)" ]
}

@test "the manual tells of every option of --help, and of the exit status" {
	for opt in $(dc-fmt --help | grep -o -e '^  -[a-z]' -e '--[a-z-]*' | sort -u); do
		grep -q -e "^\.B[IR]* ${opt//-/\\\\-}\( \|\$\)" "$TOP/man/dc-fmt.1" ||
		    { echo "not in dc-fmt.1: $opt"; return 1; }
	done
	grep -q '^Never: dc-fmt selects nothing' "$TOP/man/dc-fmt.1"
}

@test "a failure line moved to the top by sort is recognised as the header" {
	status=0
	{ cat "$FIX/budget.tsv"; printf '\0dc-tools: incomplete output: dc-grep failed\n'; } |
	    sort | dc-fmt -t '{id}' > "$T/out" 2> "$T/err" || status=$?
	[ "$status" -eq 2 ]
	[ "$(cat "$T/err")" = "dc-fmt: (standard input):1: input cut short by the failure of the program before this one (dc-grep)" ]
	[ ! -s "$T/out" ]
}

@test "a value a filter cannot take stops the output after the last whole record" {
	printf 'n\tm\n12\t1\nabc\t2\n3\t3\n' > "$T/v.tsv"
	status=0
	dc-fmt -t '[{n|words}] {m}' "$T/v.tsv" > "$T/out" 2> "$T/err" || status=$?
	[ "$status" -eq 2 ]
	[ "$(cat "$T/err")" = "dc-fmt: $T/v.tsv:3: filter 'words': 'abc' is not an integer" ]
	{ printf '[mười hai] 1\n'; failure_line dc-fmt; } | cmp - "$T/out"
	# A record of several lines (-f) is whole or absent too; so is the
	# first record: nothing but the header before the failure line.
	printf 'n: {m}\n  {n|num}\n' > "$T/tpl"
	status=0
	dc-fmt -f "$T/tpl" --header H "$T/v.tsv" > "$T/out" 2> "$T/err" || status=$?
	[ "$status" -eq 2 ]
	[ "$(cat "$T/err")" = "dc-fmt: $T/v.tsv:3: filter 'num': 'abc' is not a number" ]
	{ printf 'H\nn: 1\n  12\n'; failure_line dc-fmt; } | cmp - "$T/out"
	printf 'n\nx\n' > "$T/x.tsv"
	status=0
	dc-fmt -t 'text before {n|pad2} after' "$T/x.tsv" > "$T/out" 2> "$T/err" || status=$?
	[ "$status" -eq 2 ]
	[ "$(cat "$T/err")" = "dc-fmt: $T/x.tsv:2: filter 'pad2': 'x' is not an integer" ]
	# Nothing was written, so no failure line is needed either.
	[ ! -s "$T/out" ]
}

@test "a long value a filter cannot take is quoted cut short" {
	{ printf 'n\n'; printf 'x%.0s' $(seq 100); printf '\n'; } > "$T/v.tsv"
	run dc-fmt -t '{n|words}' "$T/v.tsv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "dc-fmt: $T/v.tsv:2: filter 'words': 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is not an integer" ]
}

@test "templates cost linear time: 100,000 references over a header of 100,000 fields" {
	awk 'BEGIN { ORS = ""; for (i = 0; i < 100000; i++) print (i ? "\t" : "") "f" i
	    print "\n"; for (i = 0; i < 100000; i++) print (i ? "\t" : "") i; print "\n" }' > "$T/w.tsv"
	awk 'BEGIN { ORS = ""; for (i = 99999; i >= 0; i--) print "{f" i "|num}{{," }' > "$T/tpl"
	dc-fmt -f "$T/tpl" "$T/w.tsv" > "$T/out"
	[ "$(head -c 24 "$T/out")" = "99.999{,99.998{,99.997{," ]
	[ "$(tail -c 6 "$T/out")" = "1{,0{," ]
	[ "$(tr -cd '{' < "$T/out" | wc -c)" -eq 100000 ]
	# An unknown field or filter at the end is still found.
	printf '{nope}' >> "$T/tpl"
	run dc-fmt -f "$T/tpl" "$T/w.tsv"
	[ "$status" -eq 2 ]
	[[ "$output" = "dc-fmt: unknown field 'nope'; the fields are: f0, f1, "* ]]
	printf '{f1|nope}' > "$T/tpl2"
	run dc-fmt -f "$T/tpl2" "$T/w.tsv"
	[ "$status" -eq 2 ]
	[[ "$output" = "dc-fmt: unknown filter 'nope' in {f1|nope}; the filters are: num, "* ]]
}

@test "--table: wide characters and emoji take two columns, an emoji sequence two in all" {
	# 表格: East Asian Wide; 😀: emoji; a family joined by ZWJ; ❤ + VS16
	# (❤ alone is one column); a thumb with a skin tone; the flag of
	# Việt Nam (two regional indicators); keycap 1 (1, VS16, U+20E3)
	{
		printf 'name\tn\n'
		printf '表格\t1\n😀\t2\n'
		printf '\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7\t3\n'
		printf '\xe2\x9d\xa4\xef\xb8\x8f\t4\n\xe2\x9d\xa4\t5\n'
		printf '\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd\t6\n'
		printf '\xf0\x9f\x87\xbb\xf0\x9f\x87\xb3\t7\n'
		printf '1\xef\xb8\x8f\xe2\x83\xa3\t8\nAn\t9\n'
	} > "$T/e.tsv"
	run dc-fmt --table "$T/e.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'name  n
----  -
表格  1
😀    2
\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7    3
\xe2\x9d\xa4\xef\xb8\x8f    4
\xe2\x9d\xa4     5
\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd    6
\xf0\x9f\x87\xbb\xf0\x9f\x87\xb3    7
1\xef\xb8\x8f\xe2\x83\xa3    8
An    9')" ]
}

@test "--table: zero-width characters and combining marks of any script take no column" {
	# ZWSP, ZWJ and a soft hyphen inside words; e + U+0301 (French);
	# Thai ก with a vowel and a tone mark above; Hebrew ש with two points;
	# Hangul 한 typed as three jamo; CJK to set the width
	{
		printf 'name\tn\n'
		printf 'a\xe2\x80\x8bb\t1\nx\xe2\x80\x8dy\t2\nsoft\xc2\xadhyphen\t3\n'
		printf 'cafe\xcc\x81\t4\n\xe0\xb8\x81\xe0\xb8\xb5\xe0\xb9\x88\t5\n'
		printf '\xd7\xa9\xd7\x81\xd6\xb8\t6\n\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab\t7\n'
		printf '東京都庁\t8\n'
	} > "$T/z.tsv"
	run dc-fmt --table "$T/z.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'name        n
----------  -
a\xe2\x80\x8bb          1
x\xe2\x80\x8dy          2
soft\xc2\xadhyphen  3
cafe\xcc\x81        4
\xe0\xb8\x81\xe0\xb8\xb5\xe0\xb9\x88           5
\xd7\xa9\xd7\x81\xd6\xb8           6
\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab          7
東京都庁    8')" ]
}

# Found by fuzz-text: 𝆹𝅥𝅮 (U+1D1BD) is canonically 𝆹 + two spacing marks
# (U+1D165, U+1D16E, category Mc), which took a column each.  Spacing
# marks are combining marks as well: none, as dc-fmt(1) says, so the
# character takes one column however it is written; likewise the
# Devanagari कि (KA + the vowel sign I, Mc).
@test "--table: spacing combining marks take no column: a character and its decomposition are as wide" {
	{
		printf 'name\tn\n'
		printf '\xf0\x9d\x86\xbd\t1\n'
		printf '\xf0\x9d\x86\xb9\xf0\x9d\x85\xa5\xf0\x9d\x85\xae\t2\n'
		printf '\xe0\xa4\x95\xe0\xa4\xbf\t3\nab\t4\n'
	} > "$T/mc.tsv"
	run dc-fmt --table "$T/mc.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'name  n
----  -
\xf0\x9d\x86\xbd     1
\xf0\x9d\x86\xb9\xf0\x9d\x85\xa5\xf0\x9d\x85\xae     2
\xe0\xa4\x95\xe0\xa4\xbf     3
ab    4')" ]
}

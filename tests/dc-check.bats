#!/usr/bin/env bats
# dc-check: every kind of malformed input gives its documented message,
# every problem is reported in file order, and the exit status says
# clean (0), problems (1) or unreadable (2).

load helper
bats_require_minimum_version 1.5.0

# Each test works in its scratch directory on r.tsv, whose schema r.schema
# (written here, independent of the fixtures) has one field of each kind
# the checks need.
setup() {
	T="$BATS_TEST_TMPDIR"
	cd "$T" || return 1
	{
		row field type required values default label
		row id id yes P next 'Mã số'
		row date date yes '' today 'Ngày ghi'
		row name text yes '' '' 'Họ và tên'
		row sex enum yes nam,nu '' 'Giới tính'
		row cccd cccd no '' '' 'Số CCCD'
		row fine money no '' 0 'Tiền phạt'
		row grams decimal no '' 0 'Khối lượng (g)'
	} > r.schema
}

# One line of TAB-separated fields.
row() {
	local IFS=$'\t'
	printf '%s\n' "$*"
}

header() {
	row id date name sex cccd fine grams
}

good() {
	row P000001 2024-01-02 'Nguyễn Văn An' nam 035090000001 150000 12.243
}

# A registry: the header, then the given lines.
registry() {
	{ header; printf "$@"; } > r.tsv
}

check_clean() {
	run --separate-stderr dc-check "$@"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	[ "$status" -eq 0 ]
}

check_one() {
	run --separate-stderr dc-check r.tsv
	[ "$output" = "$1" ]
	[ "$stderr" = "" ]
	[ "$status" -eq 1 ]
}

@test "a well-formed registry is clean" {
	{ header; good; row P000002 2024-02-29 'Trần Thị Bình' nu '' '' ''; } > r.tsv
	check_clean r.tsv
}

@test "a leading UTF-8 BOM is accepted" {
	{ printf '\357\273\277'; header; good; } > r.tsv
	check_clean r.tsv
}

@test "CRLF line ends are accepted" {
	{ header; good; } | sed 's/$/\r/' > r.tsv
	grep -c $'\r$' r.tsv | grep -qx 2
	check_clean r.tsv
}

@test "a BOM and CRLF together, as spreadsheets export, are accepted" {
	{ printf '\357\273\277'; header; good; } | sed 's/$/\r/' > r.tsv
	check_clean r.tsv
}

@test "a record with too few fields names both counts" {
	registry 'P000001\t2024-01-02\tAn\tnam\t\t150000\n'
	check_one "r.tsv:2: has 6 fields, header has 7"
}

@test "a record with too many fields names both counts" {
	registry 'P000001\t2024-01-02\tAn\tnam\t\t150000\t1\t\n'
	check_one "r.tsv:2: has 8 fields, header has 7"
}

@test "invalid UTF-8 is reported with its byte position" {
	# \303\050: a lead byte followed by '(' instead of a continuation.
	registry 'P000001\t2024-01-02\tAn\303\050\tnam\t\t\t\n'
	check_one "r.tsv:2: invalid UTF-8 at byte 22"
}

@test "legacy 8-bit Vietnamese (VNI, TCVN3) is rejected as invalid UTF-8" {
	# "Nguyễn Văn An" typed with a VNI font (cp1252 bytes), then TCVN3.
	registry 'P000001\t2024-01-02\tNguye\343n Va\352n An\tnam\t\t\t\n'
	printf 'P000002\t2024-01-02\tNguy\326n V\251n An\tnam\t\t\t\n' >> r.tsv
	run --separate-stderr dc-check r.tsv
	[ "$output" = "r.tsv:2: invalid UTF-8 at byte 25
r.tsv:3: invalid UTF-8 at byte 24" ]
	[ "$status" -eq 1 ]
}

@test "a NUL byte is reported" {
	registry 'P000001\t2024-01-02\tA\000n\tnam\t\t\t\n'
	check_one "r.tsv:2: NUL byte at byte 21"
}

@test "a torn last line (no newline) is reported as an interrupted write" {
	{ header; good; printf 'P000002\t2024-01-02\tBì'; } > r.tsv
	check_one "r.tsv:3: last line has no newline (interrupted write?)"
}

@test "a header with no newline is reported as an interrupted write" {
	printf 'id\tdate\tna' > r.tsv
	check_one "r.tsv:1: header line has no newline (interrupted write?)"
}

@test "an unknown enum value lists the allowed ones" {
	registry 'P000001\t2024-01-02\tAn\tnữ\t\t\t\n'
	check_one "r.tsv:2: field 'sex': 'nữ' is not one of: nam, nu"
}

@test "2024-02-30 is not a date" {
	registry 'P000001\t2024-02-30\tAn\tnam\t\t\t\n'
	check_one "r.tsv:2: field 'date': '2024-02-30' is not a date (YYYY-MM-DD)"
}

@test "2023-02-29 is not a date (2023 is not a leap year)" {
	registry 'P000001\t2023-02-29\tAn\tnam\t\t\t\n'
	check_one "r.tsv:2: field 'date': '2023-02-29' is not a date (YYYY-MM-DD)"
}

@test "dates in other shapes are not dates" {
	registry 'P000001\t14/12/2024\tAn\tnam\t\t\t\nP000002\t2024-1-2\tAn\tnam\t\t\t\n'
	run dc-check r.tsv
	[ "$output" = "r.tsv:2: field 'date': '14/12/2024' is not a date (YYYY-MM-DD)
r.tsv:3: field 'date': '2024-1-2' is not a date (YYYY-MM-DD)" ]
	[ "$status" -eq 1 ]
}

@test "an 11-digit cccd is not a national ID number" {
	registry 'P000001\t2024-01-02\tAn\tnam\t03509000000\t\t\n'
	check_one "r.tsv:2: field 'cccd': '03509000000' is not a national ID number (12 digits)"
}

@test "a cccd with a letter is not a national ID number" {
	registry 'P000001\t2024-01-02\tAn\tnam\t03509000000O\t\t\n'
	check_one "r.tsv:2: field 'cccd': '03509000000O' is not a national ID number (12 digits)"
}

@test "a duplicated header name is reported" {
	printf 'id\tdate\tname\tname\n' > r.tsv
	check_one "r.tsv:1: field name 'name' appears twice in header"
}

@test "a malformed header name is reported" {
	{ printf '%s\t' id date Name sex cccd fine; printf 'grams\n'; good; } > r.tsv
	check_one "r.tsv:1: bad field name 'Name' in header (names are [a-z][a-z0-9_]*)"
}

@test "an empty file has no header line" {
	: > r.tsv
	check_one "r.tsv: empty file: no header line"
}

@test "a header alone is a clean, empty registry" {
	header > r.tsv
	check_clean r.tsv
}

@test "a 1 MB field is fine" {
	{
		header
		printf 'P000001\t2024-01-02\t'
		head -c 1048576 /dev/zero | tr '\0' 'a'
		printf '\tnam\t\t\t\n'
	} > r.tsv
	[ "$(wc -c < r.tsv)" -gt 1048576 ]
	check_clean r.tsv
}

@test "a 1 MB bad value is quoted short" {
	{
		header
		printf 'P000001\t2024-01-02\tAn\tnam\t\t'
		head -c 1048576 /dev/zero | tr '\0' '9'
		printf '\t\n'
	} > r.tsv
	check_one "r.tsv:2: field 'fine': '$(printf '9%.0s' $(seq 60))...' is out of range"
}

@test "a long value is cut on a character boundary when quoted" {
	# 59 ASCII bytes, then 'đ' (2 bytes) straddles the 60-byte cut.
	v="$(printf 'x%.0s' $(seq 59))đđ"
	registry "P000001\t2024-01-02\tAn\t$v\t\t\t\n"
	check_one "r.tsv:2: field 'sex': '$(printf 'x%.0s' $(seq 59))...' is not one of: nam, nu"
}

@test "money is whole đồng without separators" {
	registry 'P000001\t2024-01-02\tAn\tnam\t\t1.500.000\t\nP000002\t2024-01-02\tAn\tnam\t\t150000.5\t\n'
	run dc-check r.tsv
	[ "$output" = "r.tsv:2: field 'fine': '1.500.000' is not an amount in đồng (digits only, no separators)
r.tsv:3: field 'fine': '150000.5' is not an amount in đồng (digits only, no separators)" ]
	[ "$status" -eq 1 ]
}

@test "money beyond 64 bits is out of range" {
	registry 'P000001\t2024-01-02\tAn\tnam\t\t9223372036854775808\t\n'
	check_one "r.tsv:2: field 'fine': '9223372036854775808' is out of range"
}

@test "a decimal has a point, not a comma" {
	registry 'P000001\t2024-01-02\tAn\tnam\t\t\t12,5\nP000002\t2024-01-02\tAn\tnam\t\t\t7.\n'
	run dc-check r.tsv
	[ "$output" = "r.tsv:2: field 'grams': '12,5' is not a decimal number (like 12.243)
r.tsv:3: field 'grams': '7.' is not a decimal number (like 12.243)" ]
	[ "$status" -eq 1 ]
}

@test "an id needs the schema's prefix and digits" {
	registry 'X000001\t2024-01-02\tAn\tnam\t\t\t\nP\t2024-01-02\tAn\tnam\t\t\t\nP00001a\t2024-01-02\tAn\tnam\t\t\t\n'
	run dc-check r.tsv
	[ "$output" = "r.tsv:2: field 'id': 'X000001' is not an id (prefix and digits)
r.tsv:3: field 'id': 'P' is not an id (prefix and digits)
r.tsv:4: field 'id': 'P00001a' is not an id (prefix and digits)" ]
	[ "$status" -eq 1 ]
}

@test "an empty required field is reported" {
	registry 'P000001\t2024-01-02\t\tnam\t\t\t\n'
	check_one "r.tsv:2: field 'name': required but empty"
}

@test "an empty optional field is fine" {
	registry 'P000001\t2024-01-02\tAn\tnam\t\t\t\n'
	check_clean r.tsv
}

@test "escapes are values, not problems" {
	registry 'P000001\t2024-01-02\tAn\\tBình\\n\\\\\tnam\t\t\t\n'
	grep -qF 'An\tBình\n\\' r.tsv
	check_clean r.tsv
}

@test "an update on a later date is history, not a duplicate" {
	registry 'P000001\t2024-01-02\tAn\tnam\t035090000001\t\t\nP000001\t2024-06-30\tAn\tnam\t035090000001\t\t\n'
	check_clean r.tsv
}

@test "the same id twice on one date is reported at each repeat" {
	registry 'P000001\t2024-12-14\tAn\tnam\t\t\t\nP000002\t2024-12-14\tBình\tnu\t\t\t\nP000001\t2024-12-14\tAn\tnam\t\t\t\nP000001\t2024-12-14\tAn\tnam\t\t\t\n'
	run --separate-stderr dc-check r.tsv
	[ "$output" = "r.tsv:4: id P000001: second record dated 2024-12-14 (first at line 2)
r.tsv:5: id P000001: third record dated 2024-12-14 (first at line 2)" ]
	[ "$status" -eq 1 ]
}

@test "one cccd under two ids is reported, unmasked, once per other id" {
	registry 'P000001\t2024-01-02\tAn\tnam\t035090000001\t\t\nP000002\t2024-01-02\tAn\tnam\t035090000001\t\t\nP000002\t2024-03-02\tAn\tnam\t035090000001\t\t\nP000003\t2024-03-02\tAn\tnam\t035090000001\t\t\n'
	run --separate-stderr dc-check r.tsv
	[ "$output" = "r.tsv:3: cccd 035090000001: also recorded under P000001 (line 2)
r.tsv:5: cccd 035090000001: also recorded under P000001 (line 2)" ]
	[ "$status" -eq 1 ]
}

@test "decomposed (NFD) letters are reported, in enum fields instead of 'not one of'" {
	{
		row field type required values default label
		row id id yes P next ''
		row date date yes '' today ''
		row name text yes '' '' ''
		row commune enum yes 'Ngọc Lũ,An Nội' '' ''
	} > v.schema
	{
		row id date name commune
		# "Lê" with e + circumflex; "Ngọc Lũ" with o + dot below, u + tilde
		printf 'P000001\t2024-01-02\tLe\xcc\x82\tNgo\xcc\xa3c Lu\xcc\x83\n'
		# decomposed and not a commune of the list either
		printf 'P000002\t2024-01-02\tAn\tNgo\xcc\xa3c\n'
		# decomposed letters of other languages too: n + tilde is ñ
		printf 'P000003\t2024-01-02\tPen\xcc\x83a\tAn Nội\n'
		row P000004 2024-01-02 'Lê' 'Ngọc Lũ'
	} > v.tsv
	run --separate-stderr dc-check v.tsv
	[ "$output" = "$(printf "v.tsv:2: field 'name': 'Le\xcc\x82' is in decomposed Unicode (NFD); dc-add stores NFC
v.tsv:2: field 'commune': 'Ngo\xcc\xa3c Lu\xcc\x83' is in decomposed Unicode (NFD); dc-add stores NFC
v.tsv:3: field 'commune': 'Ngo\xcc\xa3c' is in decomposed Unicode (NFD); dc-add stores NFC
v.tsv:3: field 'commune': 'Ngo\xcc\xa3c' is not one of: Ngọc Lũ, An Nội
v.tsv:4: field 'name': 'Pen\xcc\x83a' is in decomposed Unicode (NFD); dc-add stores NFC")" ]
	[ "$stderr" = "" ]
	[ "$status" -eq 1 ]
}

@test "the id is the field named id, not the first field of type id" {
	{
		row field type required values default label
		row person id yes P '' 'Mã người'
		row id id yes T next 'Mã số'
		row date date yes '' today ''
	} > t.schema
	{
		row person id date
		# one person tested twice on one day: two records, two ids
		row P000001 T000001 2024-01-02
		row P000001 T000002 2024-01-02
		# one id twice on one day
		row P000002 T000003 2024-01-03
		row P000003 T000003 2024-01-03
		# the id is still checked as an id
		row P000004 P000005 2024-01-04
	} > t.tsv
	run --separate-stderr dc-check t.tsv
	[ "$output" = "t.tsv:5: id T000003: second record dated 2024-01-03 (first at line 4)
t.tsv:6: field 'id': 'P000005' is not an id (prefix and digits)" ]
	[ "$status" -eq 1 ]
}

@test "a header with a field the schema lacks, and one missing" {
	{ row id date name sex cccd fine gram; good; } > r.tsv
	run --separate-stderr dc-check r.tsv
	[ "$output" = "r.tsv:1: header: field 'gram' is not in the schema r.schema
r.tsv:1: header: field 'grams' of the schema r.schema is missing" ]
	[ "$status" -eq 1 ]
}

@test "a header in another order than the schema's" {
	{ row date id name sex cccd fine grams; row 2024-01-02 P000001 An nam '' '' ''; } > r.tsv
	check_one "r.tsv:1: header: the fields are not in the order of the schema r.schema"
}

@test "values are still checked by name when the header does not match" {
	{ row id date name sex; row P000001 2024-02-30 An nam; } > r.tsv
	run --separate-stderr dc-check r.tsv
	[ "$output" = "r.tsv:1: header: field 'cccd' of the schema r.schema is missing
r.tsv:1: header: field 'fine' of the schema r.schema is missing
r.tsv:1: header: field 'grams' of the schema r.schema is missing
r.tsv:2: field 'date': '2024-02-30' is not a date (YYYY-MM-DD)" ]
	[ "$status" -eq 1 ]
}

@test "several problems in one file are all reported, in file order" {
	{
		header
		good
		printf 'P000002\t2024-02-30\t\tnu\t035090000001\t\t\n'
		printf 'P000003\t2024-01-02\tCúc\tx\t\t1,5\t\n'
		printf 'P000004\t2024-01-02\tDũng\n'
		good
		printf 'P000005\t2024-01-02\tE\xff\tnam\t\t\t\n'
		printf 'P000006\t2024-01-02\tG\tnam\t\t\t'
	} > r.tsv
	run --separate-stderr dc-check r.tsv
	[ "$output" = "r.tsv:3: field 'date': '2024-02-30' is not a date (YYYY-MM-DD)
r.tsv:3: field 'name': required but empty
r.tsv:3: cccd 035090000001: also recorded under P000001 (line 2)
r.tsv:4: field 'sex': 'x' is not one of: nam, nu
r.tsv:4: field 'fine': '1,5' is not an amount in đồng (digits only, no separators)
r.tsv:5: has 3 fields, header has 7
r.tsv:6: id P000001: second record dated 2024-01-02 (first at line 2)
r.tsv:7: invalid UTF-8 at byte 21
r.tsv:8: last line has no newline (interrupted write?)" ]
	[ "$stderr" = "" ]
	[ "$status" -eq 1 ]
}

@test "a missing file is an error (exit 2); the other files are still checked" {
	registry 'P000001\t2024-02-30\tAn\tnam\t\t\t\n'
	run --separate-stderr dc-check missing.tsv r.tsv
	[ "$stderr" = "dc-check: missing.tsv: No such file or directory" ]
	[ "$output" = "r.tsv:2: field 'date': '2024-02-30' is not a date (YYYY-MM-DD)" ]
	[ "$status" -eq 2 ]
}

@test "a missing file alone exits 2" {
	run --separate-stderr dc-check missing.tsv
	[ "$stderr" = "dc-check: missing.tsv: No such file or directory" ]
	[ "$output" = "" ]
	[ "$status" -eq 2 ]
}

@test "without a schema only the format is checked, and it says so" {
	printf 'a\tb\n1\t2024-02-30\n2\n' > plain.tsv
	run --separate-stderr dc-check plain.tsv
	[ "$stderr" = "dc-check: plain.tsv: no schema (plain.schema): checked the format only" ]
	[ "$output" = "plain.tsv:3: has 1 fields, header has 2" ]
	[ "$status" -eq 1 ]
}

@test "without a schema a well-formed file is clean" {
	printf 'a\tb\n1\t2024-02-30\n' > plain.tsv
	run --separate-stderr dc-check plain.tsv
	[ "$stderr" = "dc-check: plain.tsv: no schema (plain.schema): checked the format only" ]
	[ "$output" = "" ]
	[ "$status" -eq 0 ]
}

@test "-s names the schema; standard input is read without a file" {
	registry 'P000001\t2024-02-30\tAn\tnam\t\t\t\n'
	mv r.tsv other.tsv
	run --separate-stderr dc-check -s r.schema other.tsv
	[ "$output" = "other.tsv:2: field 'date': '2024-02-30' is not a date (YYYY-MM-DD)" ]
	[ "$status" -eq 1 ]
	run --separate-stderr bash -c 'dc-check --schema r.schema < other.tsv'
	[ "$output" = "(standard input):2: field 'date': '2024-02-30' is not a date (YYYY-MM-DD)" ]
	[ "$status" -eq 1 ]
	run --separate-stderr bash -c 'dc-check - < other.tsv'
	[ "$stderr" = "dc-check: (standard input): no schema (give one with -s): checked the format only" ]
	[ "$output" = "" ]
	[ "$status" -eq 0 ]
}

@test "each file is checked against its own schema" {
	registry 'P000001\t2024-01-02\tAn\tnam\t\t\t\n'
	{ row field type required values default label; row id id yes T next ''; row result enum yes am_tinh,duong_tinh '' ''; } > t.schema
	{ row id result; row T000001 am_tinh; row T000002 am; } > t.tsv
	run --separate-stderr dc-check r.tsv t.tsv
	[ "$output" = "t.tsv:3: field 'result': 'am' is not one of: am_tinh, duong_tinh" ]
	[ "$status" -eq 1 ]
}

@test "the fixture registries are all clean as of their last day" {
	files=()
	for s in "$FIX"/*.schema; do
		files+=("${s%.schema}.tsv")
	done
	[ "${#files[@]}" -ge 6 ]
	DC_TODAY=2025-01-24 check_clean "${files[@]}"
	check_clean --future "${files[@]}"
}

@test "the fixtures' records after the seed date are reported as future dates" {
	run --separate-stderr dc-check "$FIX/people.tsv" "$FIX/cases.tsv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "" ]
	# exactly the records dated after 2024-12-14, as awk finds them
	want=$(for f in people cases; do
		awk -F'\t' -v f="$FIX/$f.tsv" 'NR > 1 && $2 > "2024-12-14" {
		    printf "%s:%d: field '\''date'\'': %s is after today (2024-12-14)\n", f, NR, $2 }' "$FIX/$f.tsv"
	done)
	[ -n "$want" ]
	[ "$output" = "$want" ]
}

@test "--help lists every option; --version" {
	run --separate-stderr dc-check --help
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[0]}" = "usage: dc-check [-s SCHEMA] [--future] [FILE...]" ]
	for opt in '-s, --schema SCHEMA' --future '-h, --help' --version; do
		[[ "$output" == *"
  "*"$opt  "* ]]
	done
	[[ "$output" == *"Exit status: 0 clean, 1 problems found, 2 a file unreadable or an"* ]]
	run dc-check -h
	[ "$status" -eq 0 ]
	[ "$output" = "$(dc-check --help)" ]
	run dc-check --version
	[ "$output" = "dc-check (dc-tools) 0.2.0" ]
	[ "$status" -eq 0 ]
}

@test "a usage error says what was wrong and where to look" {
	{ header; good; } > r.tsv
	run --separate-stderr dc-check -x r.tsv
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "dc-check: unknown option '-x'
Try 'dc-check --help'." ]
	run --separate-stderr dc-check r.tsv --bogus
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "dc-check: unknown option '--bogus'
Try 'dc-check --help'." ]
	run --separate-stderr dc-check r.tsv -s
	[ "$status" -eq 2 ]
	[ "$stderr" = "dc-check: option '-s' needs a value
Try 'dc-check --help'." ]
	# options anywhere before --
	cp r.schema other.schema
	run --separate-stderr dc-check r.tsv -s other.schema
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	run --separate-stderr dc-check -- -s
	[ "$status" -eq 2 ]
	[ "$stderr" = "dc-check: -s: No such file or directory" ]
}

# ---- future dates and end records ----

@test "a record dated after today is a problem" {
	registry '%s\n' "$(good)" "$(row P000001 2024-12-15 'Nguyễn Văn An' nam '' '' '')" \
	    "$(row P000002 2052-01-01 'Trần Thị Bình' nu '' '' '')" "$(row P000003 2024-12-14 'Lê C' nu '' '' '')"
	run --separate-stderr dc-check r.tsv
	[ "$status" -eq 1 ]
	[ "$stderr" = "" ]
	[ "$output" = "r.tsv:3: field 'date': 2024-12-15 is after today (2024-12-14)
r.tsv:4: field 'date': 2052-01-01 is after today (2024-12-14)" ]
	DC_TODAY=2052-01-01 check_clean r.tsv
	check_clean --future r.tsv
	check_clean r.tsv --future
}

@test "an invalid DC_TODAY is an error up front" {
	{ header; good; } > r.tsv
	DC_TODAY=14/12/2024 run --separate-stderr dc-check r.tsv
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "dc-check: DC_TODAY: '14/12/2024' is not a date (YYYY-MM-DD)" ]
	# even when there is nothing to read
	DC_TODAY=2024-13-01 run --separate-stderr dc-check < /dev/null
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "dc-check: DC_TODAY: '2024-13-01' is not a date (YYYY-MM-DD)" ]
}

@test "an end record is accepted: its required fields are empty" {
	registry '%s\n' "$(good)" "$(row P000001 2024-06-01 '' '' '' '' '')"
	check_clean r.tsv
	# with a note too, when the schema has one
	sed 's/^grams\t.*/&\nnote\ttext\tno\t\t\tGhi chú/' r.schema > n.schema
	{ header | sed 's/$/\tnote/'; good | sed 's/$/\t/'; row P000001 2024-06-01 '' '' '' '' '' 'chuyển đi'; } > n.tsv
	check_clean n.tsv
	# but an end record needs its id and its date
	registry '%s\n' "$(good)" "$(row '' 2024-06-01 '' '' '' '' '')" "$(row P000001 '' '' '' '' '' '')"
	run --separate-stderr dc-check r.tsv
	[ "$status" -eq 1 ]
	[ "$output" = "r.tsv:3: field 'id': required but empty
r.tsv:4: field 'date': required but empty" ]
}

@test "a record that is not an end record still needs its required fields" {
	registry '%s\n' "$(good)" "$(row P000001 2024-06-01 '' '' '' 100 '')"
	run --separate-stderr dc-check r.tsv
	[ "$status" -eq 1 ]
	[ "$output" = "r.tsv:3: field 'name': required but empty
r.tsv:3: field 'sex': required but empty" ]
}

@test "an end record of an id with no record before it is a problem" {
	registry '%s\n' "$(row P000002 2024-03-01 '' '' '' '' '')" "$(good)" \
	    "$(row P000001 2024-01-01 '' '' '' '' '')" "$(row P000001 2024-01-02 '' '' '' '' '')" \
	    "$(row P000003 2024-05-01 'Lê C' nu '' '' '')" "$(row P000003 2024-05-01 '' '' '' '' '')"
	run --separate-stderr dc-check r.tsv
	[ "$status" -eq 1 ]
	[ "$stderr" = "" ]
	[ "$output" = "r.tsv:2: id P000002: an end record, but the id has no record dated before 2024-03-01: it ends nothing
r.tsv:4: id P000001: an end record, but the id has no record dated before 2024-01-01: it ends nothing
r.tsv:5: id P000001: second record dated 2024-01-02 (first at line 3)
r.tsv:5: id P000001: an end record, but the id has no record dated before 2024-01-02: it ends nothing
r.tsv:7: id P000003: second record dated 2024-05-01 (first at line 6)
r.tsv:7: id P000003: an end record, but the id has no record dated before 2024-05-01: it ends nothing" ]
}

@test "an end record made by dc-add --end is clean, and the id may be re-opened" {
	cp "$FIX/people.schema" p.schema
	dc-add --init p.tsv
	dc-add p.tsv name=A sex=nam birth=1990-01-01 'commune=An Nội' status=nghien date=2024-01-01 >/dev/null
	dc-add --end p.tsv id=P000001 date=2024-06-01 note=x >/dev/null
	dc-add p.tsv id=P000001 name=A sex=nam birth=1990-01-01 'commune=An Nội' status=sau_cai >/dev/null
	[ "$(wc -l < p.tsv)" -eq 4 ]
	check_clean p.tsv
}

@test "a schema and a header of 100,000 fields cost linear time (dc-add, dc-check)" {
	# Each field used to be looked up by a scan of the schema, and the
	# schema grown one field at a time: minutes for dc-add and dc-check.
	awk 'BEGIN { print "field\ttype\trequired\tvalues\tdefault\tlabel"
	    print "id\tid\tyes\tB\tnext\t"; print "date\tdate\tyes\t\ttoday\t"
	    for (i = 2; i < 100000; i++) print "f" i "\ttext\tno\t\t\t" }' > b.schema
	dc-add --init b.tsv
	[ "$(head -1 b.tsv | awk -F'\t' '{ print NF, $1, $2, $3, $NF }')" = "100000 id date f2 f99999" ]
	awk 'BEGIN { ORS = ""; print "date"; for (i = 99999; i >= 2; i--) print "\tf" i
	    print "\n2024-01-01"; for (i = 99999; i >= 2; i--) print "\tv" i; print "\n" }' > in.tsv
	run dc-add b.tsv < in.tsv
	[ "$status" -eq 0 ]
	[ "$output" = B000001 ]
	run --separate-stderr dc-check b.tsv
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$(tail -1 b.tsv | cut -f 1-4,100000)" = "$(printf 'B000001\t2024-01-01\tv2\tv3\tv99999')" ]
	# A header without the last field, and a name defined twice.
	cut -f 1-99999 b.tsv > c.tsv
	run --separate-stderr dc-check -s b.schema c.tsv
	[ "$status" -eq 1 ]
	[ "$output" = "c.tsv:1: header: field 'f99999' of the schema b.schema is missing" ]
	printf 'f7\ttext\tno\t\t\t\n' >> b.schema
	run dc-check b.tsv
	[ "$status" -eq 2 ]
	[ "$output" = "dc-check: b.schema:100002: field 'f7' defined twice" ]
}

@test "an enum of 100,000 values: each value is looked up, not searched for" {
	awk 'BEGIN { print "field\ttype\trequired\tvalues\tdefault\tlabel"
	    print "id\tid\tyes\tP\tnext\t"; print "date\tdate\tyes\t\ttoday\t"
	    printf "k\tenum\tyes\t"; for (i = 0; i < 100000; i++) printf "%s", (i ? "," : "") "v" i
	    print "\t\t" }' > e.schema
	awk 'BEGIN { print "id\tdate\tk"
	    for (i = 1; i <= 20000; i++) printf "P%06d\t2024-01-01\tv%d\n", i, 99999 - i % 7 }' > e.tsv
	run --separate-stderr dc-check e.tsv
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$(dc-grep -c k=v99999 e.tsv)" = 2857 ]
}

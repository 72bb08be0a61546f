#!/usr/bin/env bats
# dc-grep: expressions, -c -v -i, --asof, exit codes and errors.

load helper

people() {
	printf 'id\tdate\tname\tcommune\tstatus\tgrams\n'
	printf 'P000001\t2024-01-05\tLê Văn An\tNgọc Lũ\tnghi_su_dung\t1.5\n'
	printf 'P000002\t2024-02-01\tTrần Bình\tĐồng Du\tsu_dung\t10\n'
	printf 'P000001\t2024-06-01\tLê Văn An\tNgọc Lũ\tnghien\t2\n'
	# Ngọc Lũ decomposed (NFD), as typed on macOS
	printf 'P000003\t2024-06-01\tPhạm Cường\tNgo\314\243c Lu\314\203\tnghien\t-1\n'
	printf 'P000004\t2024-07-01\tVũ Tab\\tName\tVũ Bản\tnghien\t0.25\n'
	printf 'P000003\t2025-01-10\tPhạm Cường\tNgọc Lũ\tsau_cai\t\n'
}

setup() {
	T="$BATS_TEST_TMPDIR"
	people > "$T/p.tsv"
}

@test "equality keeps the header and matching records unchanged" {
	run dc-grep status=nghien "$T/p.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(people | awk -F'\t' 'NR == 1 || $5 == "nghien"')" ]
}

@test "expressions are ANDed" {
	run dc-grep status=nghien 'commune=Ngọc Lũ' "$T/p.tsv"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "$(printf 'P000001\t2024-06-01\tLê Văn An\tNgọc Lũ\tnghien\t2')" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "!= and -v" {
	run dc-grep -c status!=nghien "$T/p.tsv"
	[ "$output" = 3 ]
	run dc-grep -v -c status=nghien "$T/p.tsv"
	[ "$output" = 3 ]
}

@test "nothing selected exits 1 and still prints the header" {
	run dc-grep status=nghi_nghien "$T/p.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'id\tdate\tname\tcommune\tstatus\tgrams')" ]
	run dc-grep -c status=nghi_nghien "$T/p.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = 0 ]
}

@test "regular expressions apply to the unescaped value" {
	run dc-grep -c 'name~b	N' "$T/p.tsv"
	[ "$output" = 1 ]
	run dc-grep -c 'name~^Vũ Tab.Name$' "$T/p.tsv"
	[ "$output" = 1 ]
	run dc-grep -c 'status!~^nghi' "$T/p.tsv"
	[ "$output" = 2 ]
}

@test "equality compares the unescaped value" {
	run dc-grep -c "$(printf 'name=Vũ Tab\tName')" "$T/p.tsv"
	[ "$output" = 1 ]
	run dc-grep -c 'name=Vũ Tab\tName' "$T/p.tsv"
	[ "$output" = 0 ]
}

@test "numbers compare as numbers, dates by bytes" {
	run dc-grep -c 'grams>1.5' "$T/p.tsv"
	[ "$output" = 2 ]
	run dc-grep -c 'grams<=0.25' "$T/p.tsv"
	[ "$output" = 2 ]
	run dc-grep -c 'grams>=10.000' "$T/p.tsv"
	[ "$output" = 1 ]
	run dc-grep -c 'date>=2024-06-01' 'date<2025-01-01' "$T/p.tsv"
	[ "$output" = 3 ]
	run dc-grep -c 'grams<1000' "$T/p.tsv"
	[ "$output" = 5 ]
}

@test "numeric comparison agrees with awk on many values" {
	awk 'BEGIN { print "id\tdate\tx"; for (i = -300; i <= 300; i += 7) printf "P%d\t2024-01-01\t%.3f\n", i, i / 13 }' > "$T/n.tsv"
	run dc-grep -c 'x>3.5' "$T/n.tsv"
	[ "$output" = "$(awk -F'\t' 'NR > 1 && $3 + 0 > 3.5' "$T/n.tsv" | wc -l | tr -d ' ')" ]
	run dc-grep -c 'x<=-1' "$T/n.tsv"
	[ "$output" = "$(awk -F'\t' 'NR > 1 && $3 + 0 <= -1' "$T/n.tsv" | wc -l | tr -d ' ')" ]
}

@test "-i matches without accents or case, NFC and NFD alike" {
	run dc-grep -i -c 'commune=ngoc lu' "$T/p.tsv"
	[ "$output" = 4 ]
	run dc-grep -i -c 'commune=dong du' "$T/p.tsv"
	[ "$output" = 1 ]
	run dc-grep -i -c 'commune=NGỌC LŨ' "$T/p.tsv"
	[ "$output" = 4 ]
	run dc-grep -i -c 'name~^vu tab' "$T/p.tsv"
	[ "$output" = 1 ]
	run dc-grep -c 'commune=ngoc lu' "$T/p.tsv"
	[ "$output" = 0 ]
}

@test "--asof keeps the newest record of each id on or before the day" {
	run dc-grep --asof 2024-12-31 "$T/p.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(people | sed -n '1p;3p;4p;5p;6p')" ]
	run dc-grep --asof 2024-03-01 -c status=nghien "$T/p.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = 0 ]
	run dc-grep --asof 2025-12-31 -c status=nghien "$T/p.tsv"
	[ "$output" = 2 ]
}

@test "--asof: on equal dates the later line wins" {
	printf 'id\tdate\tv\nA1\t2024-01-01\tfirst\nA1\t2024-01-01\tsecond\n' > "$T/e.tsv"
	run dc-grep --asof 2024-01-01 "$T/e.tsv"
	[ "$output" = "$(printf 'id\tdate\tv\nA1\t2024-01-01\tsecond')" ]
}

@test "--asof needs id and date fields and a real date" {
	printf 'a\tb\n1\t2\n' > "$T/x.tsv"
	run dc-grep --asof 2024-01-01 "$T/x.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: --asof needs the fields id and date; the fields are: a, b" ]
	run dc-grep --asof 2024-02-30 status=x "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: --asof: '2024-02-30' is not a date (YYYY-MM-DD)" ]
}

@test "an unknown field is an error listing the fields" {
	run dc-grep statu=nghien "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: unknown field 'statu'; the fields are: id, date, name, commune, status, grams" ]
}

@test "several files: identical headers, header written once; - is stdin" {
	run dc-grep -c status=nghien "$T/p.tsv" "$T/p.tsv"
	[ "$output" = 6 ]
	run bash -c "people() { :; }; dc-grep status=su_dung - < '$T/p.tsv' | wc -l"
	[ "$output" = 2 ]
	printf 'id\tdate\n' > "$T/other.tsv"
	run dc-grep status=nghien "$T/p.tsv" "$T/other.tsv"
	[ "$status" -eq 2 ]
	[ "${lines[-1]}" = "dc-grep: $T/other.tsv:1: header differs from the first input's" ]
}

@test "-- ends the expressions" {
	cp "$T/p.tsv" "$T/a=b"
	run dc-grep -c status=nghien -- "$T/a=b"
	[ "$output" = 3 ]
}

@test "malformed input is an error with FILE:LINE" {
	printf 'id\tdate\nA\t2024-01-01\nB\n' > "$T/bad.tsv"
	run dc-grep id=A "$T/bad.tsv"
	[ "$status" -eq 2 ]
	[ "${lines[-1]}" = "dc-grep: $T/bad.tsv:3: has 1 fields, header has 2" ]
	printf 'id\tdate\nA\t2024-01-01' > "$T/torn.tsv"
	run dc-grep -c id=A "$T/torn.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/torn.tsv:2: last line has no newline (interrupted write?)" ]
	printf 'id\tdate\nA\t2024-01-01\n\xc4\xe1\t2024\n' > "$T/tcvn.tsv"
	run dc-grep -c id=A "$T/tcvn.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/tcvn.tsv:3: invalid UTF-8 at byte 1" ]
	run dc-grep -c id=A "$T/missing.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/missing.tsv: No such file or directory" ]
}

@test "BOM and CRLF are tolerated, and never written" {
	printf '\357\273\277id\tdate\r\nA\t2024-01-01\r\nB\t2024-01-02\r\n' > "$T/win.tsv"
	run dc-grep id=A "$T/win.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'id\tdate\nA\t2024-01-01')" ]
	dc-grep id=A "$T/win.tsv" | od -c | grep -q '\\r' && false || true
	[ "$(dc-grep id=A "$T/win.tsv" | head -c 3 | od -An -tx1 | tr -d ' ')" = 69640a ] || [ "$(dc-grep id=A "$T/win.tsv" | head -c 2)" = id ]
}

@test "a 1 MB field is no problem" {
	awk 'BEGIN { printf "id\tdate\tbig\nA\t2024-01-01\t"; for (i = 0; i < 1048576; i++) printf "x"; printf "\nB\t2024-01-01\ty\n" }' > "$T/big.tsv"
	run dc-grep -c 'big~^x+$' "$T/big.tsv"
	[ "$output" = 1 ]
	[ "$(dc-grep id=A "$T/big.tsv" | wc -c)" -eq $((12 + 13 + 1048576 + 1)) ]
}

@test "usage errors exit 2; --help and --version exit 0" {
	run dc-grep
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "dc-grep: no expression given" ]
	run dc-grep --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" = "usage: dc-grep "* ]]
	run dc-grep --version
	[ "$output" = "dc-grep (dc-tools) 0.2.0" ]
	run dc-grep -z a=b
	[ "$status" -eq 2 ]
	run dc-grep 'name~(' "$T/p.tsv"
	[ "$status" -eq 2 ]
	[[ "$output" = "dc-grep: bad regular expression '(': "* ]]
}

@test "regular expressions see Vietnamese letters as characters, in any locale" {
	run env LC_ALL=C dc-grep -c 'commune~^Ng.c L.$' "$T/p.tsv"
	[ "$output" = 3 ]
	run env LC_ALL=C dc-grep -c 'commune~^Ng[ọo]c' "$T/p.tsv"
	[ "$output" = 3 ]
}

@test "the fixtures: addicts in Ngọc Lũ as of 2024-12-14, checked against awk" {
	oracle=$(awk -F'\t' 'NR > 1 && $2 <= "2024-12-14" && (!($1 in d) || $2 >= d[$1]) { d[$1] = $2; last[$1] = $0 }
		END { for (id in last) { split(last[id], f, "\t"); if (f[8] == "nghien" && f[7] == "Ngọc Lũ") n++ } print n + 0 }' \
		"$FIX/people.tsv")
	run dc-grep -c --asof 2024-12-14 status=nghien 'commune=Ngọc Lũ' "$FIX/people.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$oracle" ]
	[ "$output" = 17 ]
	run dc-grep -ic --asof 2024-12-14 status=nghien 'commune=ngoc lu' "$FIX/people.tsv"
	[ "$output" = 17 ]
	run dc-grep -c --asof 2024-12-14 status=nghien "$FIX/people.tsv"
	[ "$output" = 129 ]
	# Without --asof the history counts every record: another answer.
	run dc-grep -c status=nghien "$FIX/people.tsv"
	[ "$output" != 129 ]
}

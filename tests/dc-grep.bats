#!/usr/bin/env bats
# dc-grep: expressions, the state of a history by default, -c -v -i,
# --asof and --history, queries checked before any record is read, the
# command line, exit codes and errors.

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

# The state of a history as of DC_TODAY, computed apart from dc-grep:
# for each id the last record of its newest date on or before the day,
# unless that record ends the id (nothing but id, date and note); the
# records in input order, under the header with its note.
state() {
	awk -F'\t' -v day="$DC_TODAY" '
	FNR == 1 {
		if (NR == 1)
			print $0 "\t#dc:state " day
		for (i = 1; i <= NF; i++)
			if ($i == "note")
				note = i
		next
	}
	{ line[NR] = $0; id[NR] = $1 }
	$2 <= day && (!($1 in d) || $2 >= d[$1]) {
		d[$1] = $2
		win[$1] = NR
		ended[$1] = 1
		for (i = 3; i <= NF; i++)
			if (i != note && $i != "")
				ended[$1] = 0
	}
	END {
		for (n = 1; n <= NR; n++)
			if ((n in line) && win[id[n]] == n && !ended[id[n]])
				print line[n]
	}' "$@"
}

# How many records of the state of file $1 awk condition $2 holds for.
state_count() {
	state "$1" | awk -F'\t' "NR > 1 && ($2)" | wc -l | tr -d ' '
}

setup() {
	T="$BATS_TEST_TMPDIR"
	people > "$T/p.tsv"
}

@test "the state oracle: the newest record of each id on or before today" {
	[ "$(state "$T/p.tsv")" = "$(people | sed -n '1s/$/\t#dc:state 2024-12-14/p;3p;4p;5p;6p')" ]
}

@test "with no expression, the state of a history as of today" {
	run dc-grep "$T/p.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(state "$T/p.tsv")" ]
	run dc-grep --asof "$DC_TODAY" "$T/p.tsv"
	[ "$output" = "$(state "$T/p.tsv")" ]
	DC_TODAY=2025-12-31 run dc-grep -c "$T/p.tsv"
	[ "$output" = 4 ]
}

@test "--history: every version, and no note when nothing was left out" {
	run dc-grep --history "$T/p.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(people)" ]
	run dc-grep --history status=nghien "$T/p.tsv"
	[ "${lines[0]}" = "$(printf 'id\tdate\tname\tcommune\tstatus\tgrams\t#dc:versions')" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "an end record takes its id out of the state from its day on" {
	people > "$T/end.tsv"
	printf 'P000002\t2024-11-01\t\t\t\t\n' >> "$T/end.tsv"
	run dc-grep -c "$T/end.tsv"
	[ "$output" = 3 ]
	[ "$(dc-grep "$T/end.tsv")" = "$(state "$T/end.tsv")" ]
	run dc-grep -c --asof 2024-10-31 status=su_dung "$T/end.tsv"
	[ "$output" = 1 ]
}

@test "equality keeps the header and matching records unchanged" {
	run dc-grep status=nghien "$T/p.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(state "$T/p.tsv" | awk -F'\t' 'NR == 1 || $5 == "nghien"')" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "expressions are ANDed" {
	run dc-grep status=nghien 'commune=Ngọc Lũ' "$T/p.tsv"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "$(printf 'P000001\t2024-06-01\tLê Văn An\tNgọc Lũ\tnghien\t2')" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "!= and -v" {
	run dc-grep -c status!=nghien "$T/p.tsv"
	[ "$output" = 1 ]
	run dc-grep -v -c status=nghien "$T/p.tsv"
	[ "$output" = 1 ]
	run dc-grep -v -c --history status=nghien "$T/p.tsv"
	[ "$output" = 3 ]
}

@test "nothing selected exits 1 and still prints the header" {
	run dc-grep status=nghi_nghien "$T/p.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'id\tdate\tname\tcommune\tstatus\tgrams\t#dc:state 2024-12-14')" ]
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
	[ "$output" = 1 ]
	run dc-grep -c --history 'status!~^nghi' "$T/p.tsv"
	[ "$output" = 2 ]
}

@test "equality compares the unescaped value" {
	run dc-grep -c "$(printf 'name=Vũ Tab\tName')" "$T/p.tsv"
	[ "$output" = 1 ]
	run dc-grep -c 'name=Vũ Tab\tName' "$T/p.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = 0 ]
}

@test "without a schema, numbers compare as numbers and ISO dates as dates" {
	run dc-grep -c 'grams>1.5' "$T/p.tsv"
	[ "$output" = 2 ]
	run dc-grep -c 'grams<=0.25' "$T/p.tsv"
	[ "$output" = 2 ]
	run dc-grep -c 'grams>=10.000' "$T/p.tsv"
	[ "$output" = 1 ]
	run dc-grep -c 'date>=2024-06-01' 'date<2025-01-01' "$T/p.tsv"
	[ "$output" = 3 ]
	run dc-grep -c 'grams<1000' "$T/p.tsv"
	[ "$output" = 4 ]
	# An empty value is missing: neither less nor greater.
	run dc-grep -c --history 'grams<1000' "$T/p.tsv"
	[ "$output" = 5 ]
	run dc-grep -c --history 'grams>=-1000' "$T/p.tsv"
	[ "$output" = 5 ]
}

@test "numeric comparison agrees with awk on many values" {
	awk 'BEGIN { print "id\tdate\tx"; for (i = -300; i <= 300; i += 7) printf "P%d\t2024-01-01\t%.3f\n", i, i / 13 }' > "$T/n.tsv"
	run dc-grep -c 'x>3.5' "$T/n.tsv"
	[ "$output" = "$(state_count "$T/n.tsv" '$3 + 0 > 3.5')" ]
	run dc-grep -c 'x<=-1' "$T/n.tsv"
	[ "$output" = "$(state_count "$T/n.tsv" '$3 + 0 <= -1')" ]
	[ "$output" -gt 10 ]
}

@test "without a schema, ordering by anything but a number or a date needs --text-order" {
	run dc-grep -c 'grams>1,5' "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: field 'grams': '1,5' is neither a number nor a date (YYYY-MM-DD); did you mean 'grams>1.5'?" ]
	run dc-grep -c 'date>=14/12/2024' "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: field 'date': '14/12/2024' is neither a number nor a date (YYYY-MM-DD); did you mean 'date>=2024-12-14'?" ]
	run dc-grep -c 'name<M' "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: field 'name': 'M' is neither a number nor a date (YYYY-MM-DD); give --text-order to compare text" ]
	run dc-grep -c --text-order 'name<M' "$T/p.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(state_count "$T/p.tsv" '$3 < "M"')" ]
	[ "$output" = 1 ]
	run dc-grep -c 'grams>' "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: 'grams>': nothing to compare with" ]
}

@test "a record's value that is not of the operand's kind is an error, not a byte comparison" {
	printf 'id\tdate\tx\nA\t2024-01-01\t5\nB\t2024-01-01\tabc\nC\t2024-01-01\t\n' > "$T/x.tsv"
	run dc-grep -c 'x>1' "$T/x.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/x.tsv:3: field 'x': 'abc' is not a number" ]
	run dc-grep -c 'x<2024-01-01' "$T/x.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/x.tsv:2: field 'x': '5' is not a date (YYYY-MM-DD)" ]
	run dc-grep -c --text-order 'x>a' "$T/x.tsv"
	[ "$output" = 1 ]
	run dc-grep -c -v 'x>1' "$T/x.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/x.tsv:3: field 'x': 'abc' is not a number" ]
	# A record another expression has left out is not compared.
	run dc-grep -c id!=B 'x>1' "$T/x.tsv"
	[ "$output" = 1 ]
	run dc-grep -c id!=B 'x<=1' "$T/x.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = 0 ]
}

@test "-i matches without accents or case, NFC and NFD alike" {
	run dc-grep -i -c 'commune=ngoc lu' "$T/p.tsv"
	[ "$output" = 2 ]
	run dc-grep -i -c 'commune=dong du' "$T/p.tsv"
	[ "$output" = 1 ]
	run dc-grep -i -c 'commune=NGỌC LŨ' "$T/p.tsv"
	[ "$output" = 2 ]
	run dc-grep -i -c 'name~^vu tab' "$T/p.tsv"
	[ "$output" = 1 ]
	run dc-grep -c 'commune=ngoc lu' "$T/p.tsv"
	[ "$output" = 0 ]
	run dc-grep -i -c --history 'commune=ngoc lu' "$T/p.tsv"
	[ "$output" = 4 ]
}

@test "--asof keeps the newest record of each id on or before the day" {
	run dc-grep --asof 2024-12-31 "$T/p.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(people | sed -n '1s/$/\t#dc:state 2024-12-31/p;3p;4p;5p;6p')" ]
	run dc-grep --asof 2024-03-01 -c status=nghien "$T/p.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = 0 ]
	run dc-grep --asof 2025-12-31 -c status=nghien "$T/p.tsv"
	[ "$output" = 2 ]
	DC_TODAY=2024-03-01 run dc-grep -c status=nghi_su_dung "$T/p.tsv"
	[ "$output" = 1 ]
}

@test "--asof: on equal dates the later line wins" {
	printf 'id\tdate\tv\nA1\t2024-01-01\tfirst\nA1\t2024-01-01\tsecond\n' > "$T/e.tsv"
	run dc-grep --asof 2024-01-01 "$T/e.tsv"
	[ "$output" = "$(printf 'id\tdate\tv\t#dc:state 2024-01-01\nA1\t2024-01-01\tsecond')" ]
}

@test "--asof needs id and date fields and a real date" {
	printf 'a\tb\n1\t2\n' > "$T/x.tsv"
	run dc-grep --asof 2024-01-01 "$T/x.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: --asof needs the fields id and date; the fields are: a, b" ]
	run dc-grep --asof 2024-02-30 status=x "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: --asof: '2024-02-30' is not a date (YYYY-MM-DD)" ]
	run dc-grep --asof 2024-01-01 --history "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf '%s\n' "dc-grep: --asof and --history: the state of a day, or every version?" "Try 'dc-grep --help'.")" ]
}

@test "a plain file (no id and date) is read as it is" {
	printf 'a\tb\n1\tx\n1\ty\n2\tz\n' > "$T/plain.tsv"
	run dc-grep a=1 "$T/plain.tsv"
	[ "$output" = "$(printf 'a\tb\n1\tx\n1\ty')" ]
}

@test "an unknown field is an error listing the fields, with the likely name" {
	run dc-grep statu=nghien "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: unknown field 'statu'; the fields are: id, date, name, commune, status, grams; did you mean 'status'?" ]
	run dc-grep Grams=1 "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: unknown field 'Grams'; the fields are: id, date, name, commune, status, grams; did you mean 'grams'?" ]
	run dc-grep weight=1 "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: unknown field 'weight'; the fields are: id, date, name, commune, status, grams" ]
}

@test "several files: identical headers, header written once; - is stdin" {
	# The same history twice: still one record per id.
	run dc-grep -c status=nghien "$T/p.tsv" "$T/p.tsv"
	[ "$output" = 3 ]
	run dc-grep -c --history status=nghien "$T/p.tsv" "$T/p.tsv"
	[ "$output" = 6 ]
	run bash -c "dc-grep status=su_dung - < '$T/p.tsv' | wc -l"
	[ "$output" = 2 ]
	printf 'id\tdate\n' > "$T/other.tsv"
	run dc-grep status=nghien "$T/p.tsv" "$T/other.tsv"
	[ "$status" -eq 2 ]
	[ "${lines[-1]}" = "dc-grep: $T/other.tsv:1: header differs from the first input's" ]
}

@test "-- ends the expressions and options: files named like expressions go after it" {
	cp "$T/p.tsv" "$T/a=b"
	run dc-grep -c status=nghien -- "$T/a=b"
	[ "$output" = 3 ]
	cd "$T"
	cp p.tsv Status=nghien
	run dc-grep -c Status=nghien < p.tsv
	[ "$status" -eq 2 ]
	[[ "$output" = "dc-grep: unknown field 'Status'; "*"; did you mean 'status'?" ]]
	run dc-grep -c status=nghien -- Status=nghien
	[ "$output" = 3 ]
	run dc-grep status=nghien p.tsv -- -c
	[ "$status" -eq 2 ]
	[ "${lines[-1]}" = "dc-grep: -c: No such file or directory" ]
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
	run dc-grep < /dev/null
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: (standard input): empty input: no header line (did the program before this one fail?)" ]
}

@test "BOM and CRLF are tolerated, and never written" {
	printf '\357\273\277id\tdate\tv\r\nA\t2024-01-01\tx\r\nB\t2024-01-02\ty\r\n' > "$T/win.tsv"
	run dc-grep id=A "$T/win.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'id\tdate\tv\t#dc:state 2024-12-14\nA\t2024-01-01\tx')" ]
	[ "$(dc-grep id=A "$T/win.tsv" | od -An -c | grep -c '\\r')" -eq 0 ]
	[ "$(dc-grep id=A "$T/win.tsv" | head -c 3 | od -An -tx1 | tr -d ' ')" = 696409 ]
}

@test "a 1 MB field is no problem" {
	awk 'BEGIN { printf "id\tdate\tbig\nA\t2024-01-01\t"; for (i = 0; i < 1048576; i++) printf "x"; printf "\nB\t2024-01-01\ty\n" }' > "$T/big.tsv"
	run dc-grep -c 'big~^x+$' "$T/big.tsv"
	[ "$output" = 1 ]
	note=$(printf '\t#dc:state 2024-12-14')
	[ "$(dc-grep id=A "$T/big.tsv" | wc -c)" -eq $((12 + ${#note} + 13 + 1048576 + 1)) ]
}

@test "regular expressions see Vietnamese letters as characters, in any locale" {
	run env LC_ALL=C dc-grep -c --history 'commune~^Ng.c L.$' "$T/p.tsv"
	[ "$output" = 3 ]
	run env LC_ALL=C dc-grep -c --history 'commune~^Ng[ọo]c' "$T/p.tsv"
	[ "$output" = 3 ]
}

@test "a bad regular expression is an error before any input is read" {
	run dc-grep 'name~(' "$T/p.tsv"
	[ "$status" -eq 2 ]
	[[ "$output" = "dc-grep: bad regular expression '(': "* ]]
	run dc-grep 'name~(' "$T/missing.tsv"
	[ "$status" -eq 2 ]
	[[ "$output" = "dc-grep: bad regular expression '(': "* ]]
}

@test "near misses of operators name the expression meant" {
	run dc-grep -c status==nghien "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: '==' is written '=': status=nghien" ]
	run dc-grep -c 'date=>2024-01-01' "$T/p.tsv"
	[ "$output" = "dc-grep: '=>' is written '>=': date>=2024-01-01" ]
	run dc-grep -c 'date=<2024-01-01' "$T/p.tsv"
	[ "$output" = "dc-grep: '=<' is written '<=': date<=2024-01-01" ]
	run dc-grep -c 'status=!nghien' "$T/p.tsv"
	[ "$output" = "dc-grep: '=!' is written '!=': status!=nghien" ]
	run dc-grep -c 'status!==nghien' "$T/p.tsv"
	[ "$output" = "dc-grep: '!==' is written '!=': status!=nghien" ]
	run dc-grep -c 'status<>nghien' "$T/p.tsv"
	[ "$output" = "dc-grep: '<>' is written '!=': status!=nghien" ]
	run dc-grep -c 'name=~^Lê' "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: '=~' is written '~': name~^Lê" ]
	run dc-grep -c 'status!nghien' "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: 'status!nghien' is not an expression: the operators are = != ~ !~ < <= > >= (a file of that name goes after --)" ]
}

@test "options anywhere before --, like the GNU tools" {
	run dc-grep status=nghien "$T/p.tsv" -c
	[ "$status" -eq 0 ]
	[ "$output" = 3 ]
	run dc-grep "$T/p.tsv" status=nghien -c -v
	[ "$output" = 1 ]
	run dc-grep status=nghien "$T/p.tsv" --history --count
	[ "$output" = 3 ]
	run dc-grep status=nghien "$T/p.tsv" --asof 2025-12-31 -c
	[ "$output" = 2 ]
}

@test "-h and --help print the usage and a line for every option" {
	run dc-grep -h
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" = "usage: dc-grep "* ]]
	help=$output
	for opt in '-c, --count' '-i, --ignore-case' '-v, --invert-match' \
	    '-s, --schema SCHEMA' '--text-order' '--asof DATE' '--history' \
	    '--part K/N' '-h, --help' '--version'; do
		printf '%s\n' "$help" | grep -q -e "^  $opt " -e "^  $opt\$"
	done
	run dc-grep --help
	[ "$status" -eq 0 ]
	[ "$output" = "$help" ]
	run dc-grep --version
	[ "$output" = "dc-grep (dc-tools) 0.2.0" ]
}

@test "usage errors say what is wrong, under the program's name, and exit 2" {
	try="Try 'dc-grep --help'."
	run "$TOP/bin/dc-grep" --bogus "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf '%s\n' "dc-grep: unknown option '--bogus'" "$try")" ]
	run dc-grep -z a=b
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf '%s\n' "dc-grep: unknown option '-z'" "$try")" ]
	run dc-grep "$T/p.tsv" --asof
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf '%s\n' "dc-grep: option '--asof' needs a value" "$try")" ]
	run dc-grep "$T/p.tsv" -s
	[ "$output" = "$(printf '%s\n' "dc-grep: option '-s' needs a value" "$try")" ]
	run dc-grep --count=2 "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf '%s\n' "dc-grep: option '--count' takes no value" "$try")" ]
	run dc-grep --h "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf '%s\n' "dc-grep: option '--h' is ambiguous: --history, --help" "$try")" ]
}

# ---- queries checked against the schema beside the registry ----

@test "the issue's figure: addicts in Ngọc Lũ today, checked against awk" {
	oracle=$(state "$FIX/people.tsv" | awk -F'\t' 'NR > 1 && $8 == "nghien" && $7 == "Ngọc Lũ"' | wc -l | tr -d ' ')
	run dc-grep -c status=nghien 'commune=Ngọc Lũ' "$FIX/people.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$oracle" ]
	[ "$output" = 17 ]
	run dc-grep -ic status=nghien 'commune=ngoc lu' "$FIX/people.tsv"
	[ "$output" = 17 ]
	run dc-grep -c --asof 2024-12-14 status=nghien 'commune=Ngọc Lũ' "$FIX/people.tsv"
	[ "$output" = 17 ]
	# Decomposed, as a Mac keyboard sends it: registries hold NFC.
	run dc-grep -c status=nghien "$(printf 'commune=Ngo\314\243c Lu\314\203')" "$FIX/people.tsv"
	[ "$output" = 17 ]
	run dc-grep status=nghien "$FIX/people.tsv" -c
	[ "$output" = "$(state_count "$FIX/people.tsv" '$8 == "nghien"')" ]
	[ "$output" = 129 ]
	# Every version: another answer, only when asked for.
	run dc-grep -c --history status=nghien 'commune=Ngọc Lũ' "$FIX/people.tsv"
	[ "$output" = 31 ]
	[ "$output" = "$(awk -F'\t' '$8 == "nghien" && $7 == "Ngọc Lũ"' "$FIX/people.tsv" | wc -l | tr -d ' ')" ]
}

@test "an enum operand must be one of its values" {
	run dc-grep -c status=Nghien "$FIX/people.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: field 'status': 'Nghien' is not one of: nghien, su_dung, nghi_nghien, nghi_su_dung, sau_cai; did you mean 'status=nghien'?" ]
	run dc-grep -c status!=addict "$FIX/people.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: field 'status': 'addict' is not one of: nghien, su_dung, nghi_nghien, nghi_su_dung, sau_cai" ]
	run dc-grep -c 'commune=ngoc lu' "$FIX/people.tsv"
	[ "$status" -eq 2 ]
	[[ "$output" = "dc-grep: field 'commune': 'ngoc lu' is not one of: Ngọc Lũ, Bình Nghĩa, "*"; did you mean 'commune=Ngọc Lũ'?" ]]
	# -i compares folded values.
	run dc-grep -c -i status=NGHIEN "$FIX/people.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = 129 ]
	run dc-grep -c -i status=NGHIENG "$FIX/people.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: field 'status': 'NGHIENG' is not one of: nghien, su_dung, nghi_nghien, nghi_su_dung, sau_cai; did you mean 'status=nghien'?" ]
	# An empty operand asks for an empty value.
	run dc-grep -c treatment= "$FIX/people.tsv"
	[ "$output" = "$(state_count "$FIX/people.tsv" '$10 == ""')" ]
}

@test "an unknown field of a registry is named with the likely one" {
	run dc-grep -c Status=nghien "$FIX/people.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: unknown field 'Status'; the fields are: id, date, name, sex, birth, cccd, commune, status, present, treatment, prior, drugs, determined, rehab_start, rehab_end, note; did you mean 'status'?" ]
	run dc-grep -c statsu=nghien "$FIX/people.tsv"
	[ "$status" -eq 2 ]
	[[ "$output" = "dc-grep: unknown field 'statsu'; "*"; did you mean 'status'?" ]]
}

@test "dates take dates: 14/12/2024 is an error showing the form" {
	run dc-grep -c 'date>=14/12/2024' "$FIX/people.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: field 'date': '14/12/2024' is not a date (YYYY-MM-DD); did you mean 'date>=2024-12-14'?" ]
	run dc-grep -c 'birth<1990' "$FIX/people.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: field 'birth': '1990' is not a date (YYYY-MM-DD)" ]
	run dc-grep -c 'date=2024-13-01' "$FIX/people.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: field 'date': '2024-13-01' is not a date (YYYY-MM-DD)" ]
	run dc-grep -c 'birth>=1990-01-01' "$FIX/people.tsv"
	[ "$output" = "$(state_count "$FIX/people.tsv" '$5 >= "1990-01-01"')" ]
	[ "$output" -gt 0 ]
}

@test "decimals, integers and money take numbers as records write them" {
	run dc-grep -c 'heroin_g>1,5' "$FIX/cases.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: field 'heroin_g': '1,5' is not a decimal number (like 12.243); did you mean 'heroin_g>1.5'?" ]
	run dc-grep -c 'heroin_g>1.5' "$FIX/cases.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(state_count "$FIX/cases.tsv" '$8 + 0 > 1.5')" ]
	[ "$output" = 5 ]
	run dc-grep -c --history 'heroin_g>1.5' "$FIX/cases.tsv"
	[ "$output" = 10 ]
	run dc-grep -c 'fine>1.500.000' "$FIX/cases.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: field 'fine': '1.500.000' is not an amount in đồng (digits only, no separators); did you mean 'fine>1500000'?" ]
	run dc-grep -c 'defendants>1.5' "$FIX/cases.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: field 'defendants': '1.5' is not an integer" ]
	run dc-grep -c 'defendants>=2' "$FIX/cases.tsv"
	[ "$output" = "$(state_count "$FIX/cases.tsv" '$6 + 0 >= 2')" ]
	[ "$output" = 18 ]
	# Equality of numbers is by value: 1.25 is the record's 1.250.
	run dc-grep -c 'heroin_g=1.25' "$FIX/cases.tsv"
	[ "$output" = 1 ]
	run dc-grep -c 'defendants!=01' "$FIX/cases.tsv"
	[ "$output" = "$(state_count "$FIX/cases.tsv" '$6 != 1')" ]
	run dc-grep -c 'heroin_g=' "$FIX/cases.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = 0 ]
}

@test "text, enum and cccd fields have no order unless --text-order" {
	run dc-grep -c 'commune>A' "$FIX/people.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: field 'commune' (enum) has no order: 'commune>A' would compare text byte by byte; give --text-order if that is meant" ]
	run dc-grep -c 'name<B' "$FIX/people.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: field 'name' (text) has no order: 'name<B' would compare text byte by byte; give --text-order if that is meant" ]
	run dc-grep -c 'cccd>000090000000' "$FIX/people.tsv"
	[ "$status" -eq 2 ]
	run dc-grep -c --text-order 'name<L' "$FIX/people.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(state_count "$FIX/people.tsv" '$3 < "L"')" ]
	[ "$output" -gt 0 ]
	run dc-grep -c --text-order 'cccd>000090000000' "$FIX/people.tsv"
	[ "$output" = "$(state_count "$FIX/people.tsv" '$6 > "000090000000"')" ]
	[ "$output" -gt 0 ]
}

@test "id fields order by the number after the prefix" {
	run dc-grep -c 'id>V000050' "$FIX/cases.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(state_count "$FIX/cases.tsv" 'substr($1, 2) + 0 > 50')" ]
	[ "$output" = 78 ]
	run dc-grep -c 'id>V50' "$FIX/cases.tsv"
	[ "$output" = 78 ]
	run dc-grep -c 'id>50' "$FIX/cases.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: field 'id': '50' is not an id (prefix and digits)" ]
	run dc-grep -c 'id=P000001' "$FIX/cases.tsv"
	[ "$status" -eq 2 ]
}

@test "queries are checked before any record is read" {
	cp "$FIX/people.schema" "$T/people.schema"
	{ cat "$FIX/people.tsv"; printf 'P999999\tbroken\n'; } > "$T/people.tsv"
	run dc-grep status=Nghien "$T/people.tsv"
	[ "$status" -eq 2 ]
	[[ "$output" = "dc-grep: field 'status': 'Nghien' is not one of: "* ]]
	[ "${#lines[@]}" -eq 1 ]
	run dc-grep status=nghien "$T/people.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/people.tsv:946: has 2 fields, header has 16" ]
}

@test "-s SCHEMA checks a query on standard input; without it, no schema" {
	run bash -c "dc-grep -c -s '$FIX/people.schema' status=Nghien < '$FIX/people.tsv'"
	[ "$status" -eq 2 ]
	[[ "$output" = "dc-grep: field 'status': 'Nghien' is not one of: "* ]]
	run bash -c "dc-grep -c --schema '$FIX/people.schema' status=nghien < '$FIX/people.tsv'"
	[ "$status" -eq 0 ]
	[ "$output" = 129 ]
	run bash -c "dc-grep -c status=Nghien < '$FIX/people.tsv'"
	[ "$status" -eq 1 ]
	[ "$output" = 0 ]
	run dc-grep -c -s "$FIX/cases.schema" 'grams>1,5' "$T/p.tsv"
	[ "$status" -eq 2 ]
	[[ "$output" = "dc-grep: unknown field 'grams'; the fields are: id, date, opened, "* ]]
	run dc-grep -c -s "$T/none.schema" status=nghien "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/none.schema: No such file or directory" ]
}

@test "a state written by dc-grep reads as it is, and is checked too" {
	run bash -c "dc-grep status=nghien '$FIX/people.tsv' | dc-grep -c -s '$FIX/people.schema' 'commune=Ngọc Lũ'"
	[ "$status" -eq 0 ]
	[ "$output" = 17 ]
	run bash -c "dc-grep status=nghien '$FIX/people.tsv' | dc-grep -c -s '$FIX/people.schema' 'commune=Ngoc Lu'"
	[ "$status" -eq 2 ]
	[[ "$output" = *"did you mean 'commune=Ngọc Lũ'?" ]]
}

@test "a regular expression too large written out is refused before regcomp builds it" {
	printf 'name\nab\n' > "$T/one.tsv"
	# regcomp writes this one out as 8,000,000 copies: 8 s and 1.7 GB.
	run timeout 20 dc-grep -c 'name~((a{200}){200}){200}' "$T/one.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: regular expression '((a{200}){200}){200}' is too large: with each x{m,n} written out as n copies of x, it is longer than 4096 bytes" ]
	run dc-grep -c 'name~(a?){1025}' "$T/one.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: regular expression '(a?){1025}' is too large: with each x{m,n} written out as n copies of x, it is longer than 4096 bytes" ]
	# A long one is quoted cut short; so is one long as written.
	run dc-grep -c "name~$(printf 'a%.0s' $(seq 5000))" "$T/one.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: regular expression 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is too large: with each x{m,n} written out as n copies of x, it is longer than 4096 bytes" ]
	# At the limit, and ordinary bounds, work.
	run dc-grep -c 'name~(a?){1024}' "$T/one.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
	run dc-grep -c 'name~^a{1}b{1,2}$' "$T/one.tsv"
	[ "$output" = 1 ]
	run dc-grep -c 'name~^(a{1,}|x{2}){1}[b]{,3}$' "$T/one.tsv"
	[ "$output" = 1 ]
	run dc-grep -c 'name~^a{2}' "$T/one.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = 0 ]
	run dc-grep -c 'name!~^[^}]{3,}$' "$T/one.tsv"
	[ "$output" = 1 ]
	run dc-grep -c -s "$FIX/people.schema" 'cccd~^[0-9]{12}$' "$FIX/people.tsv"
	[ "$status" -eq 0 ]
	[ "$output" -gt 0 ]
}

@test "-i folds case in every script (Unicode simple case folding): Greek, Cyrillic, final sigma" {
	printf 'id\tname\nP1\tαθηνα\nP2\tΟΔΥΣΣΕΥΣ\nP3\tМосква\nP4\tNgọc Lũ\nP5\tΑθήνα\nP6\tЁлка\nP7\tAthena\nP8\tΑΘΗΝΑ\n' > "$T/g.tsv"
	run dc-grep -i 'name=ΑΘΗΝΑ' "$T/g.tsv"
	[ "$status" -eq 0 ]
	# the tonos of Αθήνα is a mark -i ignores, as Vietnamese tones are
	[ "$output" = "$(printf 'id\tname\nP1\tαθηνα\nP5\tΑθήνα\nP8\tΑΘΗΝΑ')" ]
	# Σ, σ and the final ς are one letter
	run dc-grep -i -c 'name=οδυσσευς' "$T/g.tsv"
	[ "$output" = 1 ]
	run dc-grep -i -c 'name=Οδυσσεύς' "$T/g.tsv"
	[ "$output" = 1 ]
	run dc-grep -i 'name=МОСКВА' "$T/g.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'id\tname\nP3\tМосква')" ]
	# a regular expression sees the folded value
	run dc-grep -i -c 'name~^моск' "$T/g.tsv"
	[ "$output" = 1 ]
	run dc-grep -i -c 'name~σ$' "$T/g.tsv"
	[ "$output" = 1 ]
	# Ё is Е with a diaeresis: -i ignores the mark, precomposed or not
	run dc-grep -i -c 'name=елка' "$T/g.tsv"
	[ "$output" = 1 ]
	run dc-grep -i -c "name=$(printf '\xd0\x95\xcc\x88\xd0\xbb\xd0\xba\xd0\xb0')" "$T/g.tsv"
	[ "$output" = 1 ]
	# Vietnamese as before
	run dc-grep -i -c 'name=ngoc lu' "$T/g.tsv"
	[ "$output" = 1 ]
	# without -i, bytes
	run dc-grep -c 'name=москва' "$T/g.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = 0 ]
}

@test "stacked + are bounded too: glibc writes x+ out as xx*" {
	printf 'name\naab\n' > "$T/one.tsv"
	run timeout 20 dc-grep -c 'name~a++++++++++++++++++++' "$T/one.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: regular expression 'a++++++++++++++++++++' is too large: with each x{m,n} written out as n copies of x, it is longer than 4096 bytes" ]
	run dc-grep -c 'name~^a+b$' "$T/one.tsv"
	[ "$output" = 1 ]
}

# Found by fuzz-text: a compatibility ideograph folded apart from the
# character it is canonically (U+FA98, U+6EDB).
@test "-i: a character folds alike in its canonical forms" {
	printf 'id\tname\nA1\t\xef\xaa\x98\nA2\t\xe6\xbb\x9b\nA3\tx\n' > "$T/c.tsv"
	run dc-grep -ic "name=$(printf '\xe6\xbb\x9b')" "$T/c.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = 2 ]
}

# Found by fuzz-text: the Tibetan དྷ (U+0F52) is canonically ད (U+0F51)
# and the subjoined ྷ (U+0FB7), a mark folding keeps; precomposed, it
# folded to ད alone.
@test "-i: a precomposed character keeps the marks folding keeps, as its decomposition does" {
	printf 'id\tname\nA1\t\xe0\xbd\x92\nA2\t\xe0\xbd\x91\xe0\xbe\xb7\nA3\t\xe0\xbd\x91\n' > "$T/t.tsv"
	run dc-grep -ic "name=$(printf '\xe0\xbd\x91\xe0\xbe\xb7')" "$T/t.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = 2 ]
	run dc-grep -ic "name=$(printf '\xe0\xbd\x91')" "$T/t.tsv"
	[ "$output" = 1 ]
}

# dc-grep passes over the lines that lack an = operand's bytes without
# taking each as a record; every one is checked all the same.
@test "a line passed over for lacking the operand is still checked: its fields, bytes and id" {
	{ people; printf 'P000009\t2024-03-01\tNo Match\tĐồng Du\tnghien\n'; } > "$T/f.tsv"
	run dc-grep --history -c 'commune=Ngọc Lũ' "$T/f.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/f.tsv:8: has 5 fields, header has 6" ]
	{ people; printf 'P000009\t2024-03-01\tN\xffo\tĐồng Du\tnghien\t1\n'; } > "$T/f.tsv"
	run dc-grep --history -c 'commune=Ngọc Lũ' "$T/f.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/f.tsv:8: invalid UTF-8 at byte 21" ]
	{ people; printf '\t2024-03-01\tNo id\tĐồng Du\tnghien\t1\n'; } > "$T/f.tsv"
	run dc-grep --history -c 'commune=Ngọc Lũ' "$T/f.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/f.tsv:8: record has no id" ]
	{ people; people | sed -n 2p; } > "$T/f.tsv"
	people | head -1 >> "$T/f.tsv"
	run dc-grep --history -c 'commune=Đồng Du' "$T/f.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/f.tsv:9: the header line again (files joined with cat? give them as arguments)" ]
}

@test "passing over lines keeps --part, the state and the line numbers of later errors" {
	# A plain file (no id and date): --part K/N takes every Nth record.
	awk -F '\t' 'NR == 1 { print "name\tcommune\tstatus"; next }
	    { print $3 "\t" $7 "\t" $8 }' "$FIX/people.tsv" > "$T/plain.tsv"
	for k in 1 2 3; do
		want=$(awk -F '\t' -v k="$k" 'NR > 1 && (NR - 2) % 3 == k - 1 &&
		    $2 == "Hưng Công"' "$T/plain.tsv" | cksum)
		[ "$(dc-grep --part "$k/3" 'commune=Hưng Công' "$T/plain.tsv" |
		    tail -n +2 | cksum)" = "$want" ]
	done
	# The state, selected: as the selection of the state taken whole.
	for c in 'Hưng Công' 'An Nội' 'Bình Mỹ'; do
		[ "$(dc-grep "commune=$c" "$FIX/people.tsv" | cksum)" = \
		    "$(dc-grep -v 'id=P999999' "$FIX/people.tsv" | dc-grep "commune=$c" | cksum)" ]
	done
	# A bad line far after lines passed over: its own line number.
	{ cat "$FIX/people.tsv"; printf 'P999999\t2024-01-01\tx\n'; } > "$T/p.tsv"
	run dc-grep --history -c 'commune=Hưng Công' "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/p.tsv:946: has 3 fields, header has 16" ]
}

# -j N (issue 11): big_copies (helper.bash) of the people fixture.
big_people() {
	big_copies people
	mv "$T/people.tsv" "$T/big.tsv"
}

@test "-j N: the same records, in input order, as one process" {
	big_people
	for opts in "" "--history" "--asof 2023-06-01" "--part 2/3" "-v" "-i" \
	    "--history --part 1/2"; do
		dc-grep -j 1 $opts 'commune=Ngọc Lũ' "$T/big.tsv" > "$T/one"
		[ "$(wc -l < "$T/one")" -gt 100 ]
		for j in 2 3 7; do
			dc-grep -j $j $opts 'commune=Ngọc Lũ' "$T/big.tsv" > "$T/many"
			cmp "$T/one" "$T/many"
			run dc-grep --jobs $j -c $opts 'commune=Ngọc Lũ' "$T/big.tsv"
			[ "$status" -eq 0 ]
			[ "$output" = "$(($(wc -l < "$T/one") - 1))" ]
		done
	done
	# as awk counts every version
	n=$(awk -F'\t' '$7 == "Ngọc Lũ" && $8 == "nghien"' "$T/big.tsv" | wc -l)
	run dc-grep -j 2 --history -c 'commune=Ngọc Lũ' status=nghien "$T/big.tsv"
	[ "$output" = "$n" ]
	# nothing selected: exit 1 and no record, as grep
	run dc-grep -j 2 -c commune=nowhere "$T/big.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = 0 ]
	run dc-grep -j 2 commune=nowhere "$T/big.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = "$(head -1 "$T/big.tsv")	#dc:state 2024-12-14" ]
}

@test "-j N: a plain file, a pipe and a declared state read as by one process" {
	big_people
	cut -f 3- "$T/big.tsv" > "$T/plain.tsv"
	dc-grep -j 1 sex=nu "$T/plain.tsv" > "$T/one"
	dc-grep -j 3 sex=nu "$T/plain.tsv" > "$T/many"
	cmp "$T/one" "$T/many"
	# --part K/N of a plain file takes every Nth record: one process
	dc-grep -j 1 --part 2/3 sex=nu "$T/plain.tsv" > "$T/one"
	dc-grep -j 3 --part 2/3 sex=nu "$T/plain.tsv" > "$T/many"
	cmp "$T/one" "$T/many"
	# a pipe is read by one process, whatever -j says
	dc-grep -j 2 sex=nu < "$T/plain.tsv" > "$T/many"
	dc-grep -j 1 sex=nu "$T/plain.tsv" | cmp - "$T/many"
	cat "$T/big.tsv" | dc-grep -j 2 status=nghien > "$T/many"
	dc-grep -j 1 status=nghien "$T/big.tsv" | cmp - "$T/many"
	# no room for the workers' output: one process does it all
	TMPDIR=/nonexistent dc-grep -j 3 sex=nu "$T/plain.tsv" |
	    cmp - <(dc-grep -j 1 sex=nu "$T/plain.tsv")
	TMPDIR=/nonexistent dc-grep -j 3 status=nghien "$T/big.tsv" |
	    cmp - <(dc-grep -j 1 status=nghien "$T/big.tsv")
	dc-grep -j 2 'commune=Ngọc Lũ' "$T/big.tsv" > "$T/state.tsv"
	run dc-grep -j 3 -c status=nghien "$T/state.tsv"
	[ "$output" = "$(dc-grep -j 1 -c status=nghien "$T/state.tsv")" ]
}

@test "-j N: an error in the second half is the one one process reports" {
	big_people
	n=$(wc -l < "$T/big.tsv")
	awk -v bad=$((n * 3 / 4)) 'NR == bad { $0 = $0 "\textra" } 1' \
	    "$T/big.tsv" > "$T/bad.tsv"
	for opts in "" "--history" "-c" "-c --history"; do
		run dc-grep -j 1 $opts status=nghien "$T/bad.tsv"
		[ "$status" -eq 2 ]
		one=$output
		[[ "$one" = *"dc-grep: $T/bad.tsv:$((n * 3 / 4)): has 17 fields, header has 16"* ]]
		for j in 2 3; do
			run dc-grep -j $j $opts status=nghien "$T/bad.tsv"
			[ "$status" -eq 2 ]
			[ "$output" = "$one" ]
		done
	done
	# a last line without its newline
	printf 'P1\t2024-01-01' >> "$T/big.tsv"
	run dc-grep -j 2 --history -c status=nghien "$T/big.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/big.tsv:$((n + 1)): last line has no newline (interrupted write?)" ]
}

@test "-j N: a number of processes from 1 to 64" {
	printf 'a\n1\n' > "$T/a.tsv"
	for bad in 0 x 100000 -1 2x ""; do
		run dc-grep -j "$bad" a=1 "$T/a.tsv"
		[ "$status" -eq 2 ]
		[ "$output" = "dc-grep: -j: '$bad' is not a number of processes from 1 to 64
Try 'dc-grep --help'." ]
	done
	run dc-grep -j
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: option '-j' needs a value
Try 'dc-grep --help'." ]
	run dc-grep -j 64 -c a=1 "$T/a.tsv"
	[ "$output" = 1 ]
	run dc-grep --jobs=2 a=1 "$T/a.tsv"
	[ "$output" = "$(printf 'a\n1')" ]
}

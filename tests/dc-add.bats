#!/usr/bin/env bats
# dc-add: --init, defaults, escaping, bulk import, validation, duplicate
# checks, torn tails, write failures, concurrency and a large import.

load helper
bats_require_minimum_version 1.5.0

HEADER=$'id\tdate\tname\tsex\tbirth\tcccd\tcommune\tstatus\tpresent\ttreatment\tprior\tdrugs\tdetermined\trehab_start\trehab_end\tnote'
FIELDS='id, date, name, sex, birth, cccd, commune, status, present, treatment, prior, drugs, determined, rehab_start, rehab_end, note'
PERSON=(name='Lê Văn An' sex=nam birth=1990-01-02 'commune=Ngọc Lũ' status=nghien)

setup() {
	T="$BATS_TEST_TMPDIR"
	new_registry people
	R="$T/people.tsv"
}

# Save the registry, so a rejected call can be shown to change nothing.
keep() {
	cp "$R" "$T/before"
}

unchanged() {
	cmp "$R" "$T/before"
}

# dc-add with ARGS must fail with exactly the message EXPECT and leave the
# registry byte-for-byte as it was.
rejects() {
	local expect="$1"; shift
	keep
	run dc-add "$R" "$@"
	[ "$status" -eq 2 ]
	[ "$output" = "$expect" ]
	unchanged
}

@test "--init creates a header-only registry with mode 0600" {
	rm -f "$R"
	run dc-add --init "$R"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$(cat "$R")" = "$HEADER" ]
	[ "$(wc -c < "$R")" -eq $((${#HEADER} + 1)) ]
	[ "$(stat -c %a "$R")" = 600 ]
}

@test "--init refuses an existing file and leaves it alone" {
	echo precious > "$T/x.tsv"
	cp "$T/people.schema" "$T/x.schema"
	run dc-add --init "$T/x.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: $T/x.tsv: File exists" ]
	[ "$(cat "$T/x.tsv")" = precious ]
}

@test "--init -s copies the schema beside the registry" {
	mkdir "$T/d"
	run dc-add --init -s "$FIX/tests.schema" "$T/d/tests.tsv"
	[ "$status" -eq 0 ]
	cmp "$FIX/tests.schema" "$T/d/tests.schema"
	[ "$(cat "$T/d/tests.tsv")" = "$(printf 'id\tdate\tperson\tcommune\tresult\tnote')" ]
	# later calls find the schema without -s
	run dc-add "$T/d/tests.tsv" 'commune=An Nội' result=am_tinh
	[ "$status" -eq 0 ]
	[ "$output" = T000001 ]
}

@test "--init -s refuses a different schema already beside the registry" {
	mkdir "$T/d"
	echo mine > "$T/d/other.schema"
	run dc-add --init -s "$FIX/tests.schema" "$T/d/other.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: $T/d/other.schema exists and differs from $FIX/tests.schema" ]
	[ ! -e "$T/d/other.tsv" ]
	[ "$(cat "$T/d/other.schema")" = mine ]
	# the same schema already there is fine, and stays as it was
	cp "$FIX/tests.schema" "$T/d/same.schema"
	run dc-add --init -s "$FIX/tests.schema" "$T/d/same.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	cmp "$FIX/tests.schema" "$T/d/same.schema"
	[ "$(cat "$T/d/same.tsv")" = "$(printf 'id\tdate\tperson\tcommune\tresult\tnote')" ]
}

@test "no schema is an error" {
	run dc-add --init "$T/none.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: $T/none.tsv: no schema: give -s SCHEMA or put one in $T/none.schema" ]
	[ ! -e "$T/none.tsv" ]
	# a registry that is there but has no schema
	printf 'id\tdate\n' > "$T/none.tsv"
	run dc-add "$T/none.tsv" name=x
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: $T/none.tsv: no schema: give -s SCHEMA or put one in $T/none.schema" ]
}

@test "a registry that does not exist is said first, before its schema" {
	run dc-add "$T/absent.tsv" name=x
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: $T/absent.tsv: No such file or directory (create it with dc-add --init)" ]
	[ ! -e "$T/absent.tsv" ]
	# from the wrong directory, with the schema beside it or not
	cd "$T"
	run dc-add people2.tsv < /dev/null
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: people2.tsv: No such file or directory (create it with dc-add --init)" ]
}

@test "one record: defaults filled, id printed, line exactly as expected" {
	run dc-add "$R" "${PERSON[@]}"
	[ "$status" -eq 0 ]
	[ "$output" = P000001 ]
	[ "$(sed -n 2p "$R")" = "$(printf 'P000001\t2024-12-14\tLê Văn An\tnam\t1990-01-02\t\tNgọc Lũ\tnghien\tco\tkhong\tkhong\t\t\t\t\t')" ]
	[ "$(wc -l < "$R")" -eq 2 ]
	# the mode of the registry is kept
	[ "$(stat -c %a "$R")" = 600 ]
}

@test "next id follows the largest number, explicit ids are kept" {
	dc-add "$R" id=P000041 "${PERSON[@]}"
	dc-add "$R" id=P000007 date=2024-01-01 "${PERSON[@]}"
	run dc-add "$R" "${PERSON[@]}"
	[ "$output" = P000042 ]
	run dc-add "$R" id=P1234567 "${PERSON[@]}"
	# the same command as before: --again, or it is taken for a retry
	run dc-add --again "$R" "${PERSON[@]}"
	[ "$output" = P1234568 ]
	# an empty id is filled in as well
	run dc-add "$R" id= date=2024-01-02 "${PERSON[@]}"
	[ "$output" = P1234569 ]
	[ "$(cut -f1,2 "$R" | tr '\t\n' ': ')" = "id:date P000041:2024-12-14 P000007:2024-01-01 P000042:2024-12-14 P1234567:2024-12-14 P1234568:2024-12-14 P1234569:2024-01-02 " ]
}

@test "values are plain text on the command line and written escaped" {
	run dc-add "$R" "${PERSON[@]}" $'note=a\tb\nc\\d\re'
	[ "$status" -eq 0 ]
	[ "$(sed -n 2p "$R" | cut -f16)" = 'a\tb\nc\\d\re' ]
	[ "$(wc -l < "$R")" -eq 2 ]
}

@test "bulk import: any field order, optional fields missing, ids printed" {
	cat > "$T/in" <<-'EOF'
	status	birth	name	commune	sex	note	cccd
	nghien	1980-05-05	Trần\tBình	Bồ Đề	nam	x\\y	035080001111
	sau_cai	1970-01-01	Phạm Cường	An Nội	nu		
	EOF
	run dc-add "$R" < "$T/in"
	[ "$status" -eq 0 ]
	[ "${lines[*]}" = "P000001 P000002" ]
	{
		echo "$HEADER"
		printf 'P000001\t2024-12-14\tTrần\\tBình\tnam\t1980-05-05\t035080001111\tBồ Đề\tnghien\tco\tkhong\tkhong\t\t\t\t\tx\\\\y\n'
		printf 'P000002\t2024-12-14\tPhạm Cường\tnu\t1970-01-01\t\tAn Nội\tsau_cai\tco\tkhong\tkhong\t\t\t\t\t\n'
	} > "$T/want"
	cmp "$R" "$T/want"
}

@test "stdin values are normalized: a lone backslash is written escaped" {
	printf 'name\tsex\tbirth\tcommune\tstatus\tnote\nA\tnam\t1990-01-01\tAn Nội\tnghien\tC:\\x\\\n' > "$T/in"
	run dc-add "$R" < "$T/in"
	[ "$status" -eq 0 ]
	[ "$(sed -n 2p "$R" | cut -f16)" = 'C:\\x\\' ]
}

@test "CRLF line ends and a BOM on standard input are accepted" {
	printf '\xef\xbb\xbfname\tsex\tbirth\tcommune\tstatus\r\nA\tnam\t1990-01-01\tAn Nội\tnghien\r\nB\tnu\t1991-01-01\tLa Sơn\tsu_dung\r\n' > "$T/in"
	run dc-add "$R" < "$T/in"
	[ "$status" -eq 0 ]
	[ "${lines[*]}" = "P000001 P000002" ]
	! grep -q $'\r' "$R"
	! grep -q $'\xef\xbb\xbf' "$R"
	[ "$(cut -f3,4,5,7,8 "$R" | tail -n 2)" = "$(printf 'A\tnam\t1990-01-01\tAn Nội\tnghien\nB\tnu\t1991-01-01\tLa Sơn\tsu_dung')" ]
}

@test "bad date" {
	dc-add "$R" "${PERSON[@]}"
	rejects "dc-add: arguments: field 'birth': '2024-02-30' is not a date (YYYY-MM-DD)" \
	    "${PERSON[@]/birth=1990-01-02/birth=2024-02-30}"
}

@test "11-digit cccd" {
	dc-add "$R" "${PERSON[@]}"
	rejects "dc-add: arguments: field 'cccd': '12345678901' is not a national ID number (12 digits)" \
	    "${PERSON[@]}" cccd=12345678901
}

@test "unknown enum value" {
	dc-add "$R" "${PERSON[@]}"
	rejects "dc-add: arguments: field 'status': 'nghiện' is not one of: nghien, su_dung, nghi_nghien, nghi_su_dung, sau_cai" \
	    "${PERSON[@]/status=nghien/status=nghiện}"
}

@test "money with thousand separators, bad decimal, bad integer" {
	cp "$FIX/cases.schema" "$T/cases.schema"
	dc-add --init "$T/cases.tsv"
	R="$T/cases.tsv"
	local c=(opened=2024-03-01 kind=hinh_su offence=tang_tru defendants=2 state=ket_thuc 'commune=Vũ Bản')
	dc-add "$R" "${c[@]}"
	rejects "dc-add: arguments: field 'fine': '51.000.000' is not an amount in đồng (digits only, no separators)" \
	    "${c[@]}" fine=51.000.000
	rejects "dc-add: arguments: field 'heroin_g': '1,5' is not a decimal number (like 12.243)" \
	    "${c[@]}" heroin_g=1,5
	rejects "dc-add: arguments: field 'defendants': '2.5' is not an integer" \
	    "${c[@]/defendants=2/defendants=2.5}"
	rejects "dc-add: arguments: field 'fine': '99999999999999999999' is out of range" \
	    "${c[@]}" fine=99999999999999999999
	# the good forms go in, defaults for the others
	run dc-add "$R" "${c[@]}" fine=51000000 heroin_g=12.243
	[ "$status" -eq 0 ]
	[ "$(tail -n 1 "$R")" = "$(printf 'V000002\t2024-12-14\t2024-03-01\thinh_su\ttang_tru\t2\tket_thuc\t12.243\t0\t51000000\tVũ Bản\tkhong\t')" ]
}

@test "invalid UTF-8 in an argument is refused, every problem reported" {
	dc-add "$R" "${PERSON[@]}"
	# "Lê" then a space, then a byte of a legacy 8-bit encoding
	rejects "dc-add: arguments: field 'name': invalid UTF-8 at byte 5" \
	    "name=$(printf 'L\xc3\xaa \xffn')" sex=nam birth=1990-01-02 'commune=Ngọc Lũ' status=nghien
	# a sequence cut short, and the other problems of the record as well
	rejects "dc-add: arguments: field 'note': invalid UTF-8 at byte 3
dc-add: arguments: field 'birth': '1990-13-01' is not a date (YYYY-MM-DD)" \
	    "${PERSON[@]/birth=1990-01-02/birth=1990-13-01}" "note=$(printf 'ab\xe1\xba')"
	# the registry is still one every tool reads
	if [ -x "$TOP/bin/dc-check" ]; then
		run dc-check "$R"
		[ "$status" -eq 0 ]
	fi
}

@test "decomposed (NFD) text is stored precomposed (NFC)" {
	# "Ngọc Lũ" as base letters and combining marks: o + dot below, u + tilde
	local nfd_commune nfd_name
	nfd_commune="$(printf 'Ngo\xcc\xa3c Lu\xcc\x83')"
	# "Nguyễn Thị Ánh": e + circumflex + tilde, i + dot below, A + acute
	nfd_name="$(printf 'Nguye\xcc\x82\xcc\x83n Thi\xcc\xa3 A\xcc\x81nh')"
	run dc-add "$R" "name=$nfd_name" sex=nu birth=1990-01-02 "commune=$nfd_commune" status=nghien
	[ "$status" -eq 0 ]
	[ "$output" = P000001 ]
	[ "$(sed -n 2p "$R" | cut -f3,7)" = "$(printf 'Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b \xc3\x81nh\tNg\xe1\xbb\x8dc L\xc5\xa9')" ]
	# the same from standard input, marks typed dot-last (ậ as a, circumflex, dot)
	printf 'name\tsex\tbirth\tcommune\tstatus\nNga\xcc\x82\xcc\xa3u\tnam\t1990-01-01\t%s\tnghien\n' "$nfd_commune" > "$T/in"
	run dc-add "$R" < "$T/in"
	[ "$status" -eq 0 ]
	[ "$(sed -n 3p "$R" | cut -f3,7)" = "$(printf 'Ng\xe1\xba\xadu\tNg\xe1\xbb\x8dc L\xc5\xa9')" ]
	# other languages' letters are composed too (n + tilde is ñ); a mark
	# with no precomposed letter (q + tilde) is kept as typed
	run dc-add "$R" "${PERSON[@]}" "note=$(printf 'Pen\xcc\x83a q\xcc\x83')"
	[ "$status" -eq 0 ]
	[ "$(sed -n 4p "$R" | cut -f16)" = "$(printf 'Pe\xc3\xb1a q\xcc\x83')" ]
	[ "$(grep -c $'\xcc\xa3' "$R")" -eq 0 ]
}

@test "missing required field, unknown field, not FIELD=VALUE, field given twice" {
	dc-add "$R" "${PERSON[@]}"
	rejects "dc-add: arguments: field 'sex' is required" \
	    name=A birth=1990-01-01 commune=Ngọc\ Lũ status=nghien
	rejects "dc-add: arguments: field 'name' is required" \
	    "${PERSON[@]/name=Lê Văn An/name=}"
	rejects "dc-add: arguments: unknown field 'nmae'; the fields are: $FIELDS" \
	    "${PERSON[@]}" nmae=B
	rejects "dc-add: arguments: 'nghien' is not FIELD=VALUE" \
	    "${PERSON[@]}" nghien
	rejects "dc-add: arguments: field 'name' given twice" \
	    "${PERSON[@]}" name=B
}

@test "every problem of every record is reported, nothing is written" {
	dc-add "$R" "${PERSON[@]}"
	keep
	printf 'name\tsex\tbirth\tcommune\tstatus\tcccd\tfoo\n' > "$T/in"
	printf 'Good\tnam\t1990-01-01\tAn Nội\tnghien\t\t\n' >> "$T/in"
	printf 'B\tx\t2024-02-30\tAn Nội\tnghien\t12345678901\t\n' >> "$T/in"
	printf 'C\tnam\t1990-01-01\tAn Nội\n' >> "$T/in"
	printf 'D\tnu\t1990-01-01\t\xffAn\tnghien\t\t\n' >> "$T/in"
	printf '\tnu\t1990-01-01\tAn Nội\tnghien\t\t\n' >> "$T/in"
	printf 'E\tnu\t1990-01-01\tAn\x00\tnghien\t\t\n' >> "$T/in"
	printf 'F\tnu\t1990-01-01\tAn Nội\tnghien\t\t' >> "$T/in"
	run dc-add "$R" < "$T/in"
	[ "$status" -eq 2 ]
	cat > "$T/want" <<-EOF
	dc-add: (standard input):1: unknown field 'foo'; the fields are: $FIELDS
	dc-add: (standard input):3: field 'sex': 'x' is not one of: nam, nu
	dc-add: (standard input):3: field 'birth': '2024-02-30' is not a date (YYYY-MM-DD)
	dc-add: (standard input):3: field 'cccd': '12345678901' is not a national ID number (12 digits)
	dc-add: (standard input):4: has 4 fields, header has 7
	dc-add: (standard input):5: invalid UTF-8 at byte 17
	dc-add: (standard input):6: field 'name' is required
	dc-add: (standard input):7: NUL byte at byte 19
	dc-add: (standard input):8: last line has no newline (interrupted write?)
	EOF
	[ "$output" = "$(cat "$T/want")" ]
	unchanged
}

@test "an empty standard input or a bad header on it is an error" {
	keep
	run dc-add "$R" < /dev/null
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: (standard input): empty input: no header line (did the program before this one fail?)" ]
	printf 'name\tname\nA\tB\n' > "$T/in"
	run dc-add "$R" < "$T/in"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: (standard input):1: field name 'name' appears twice in header" ]
	# a header alone adds nothing and is fine
	printf 'name\tsex\n' > "$T/in"
	run dc-add "$R" < "$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	unchanged
}

@test "same id and date twice is rejected, a later date is an update" {
	dc-add "$R" "${PERSON[@]}"
	rejects "dc-add: arguments: id P000001 already has a record dated 2024-12-14" \
	    id=P000001 "${PERSON[@]}"
	run dc-add --future "$R" id=P000001 date=2024-12-20 "${PERSON[@]/status=nghien/status=sau_cai}"
	[ "$status" -eq 0 ]
	[ "$output" = P000001 ]
	[ "$(cut -f1,2,8 "$R" | tail -n 2)" = "$(printf 'P000001\t2024-12-14\tnghien\nP000001\t2024-12-20\tsau_cai')" ]
	# within one batch too
	keep
	printf 'id\tdate\tname\tsex\tbirth\tcommune\tstatus\n' > "$T/in"
	printf 'P000005\t2024-01-01\tA\tnam\t1990-01-01\tAn Nội\tnghien\n' >> "$T/in"
	printf 'P000005\t2024-01-01\tA\tnam\t1990-01-01\tAn Nội\tsu_dung\n' >> "$T/in"
	run dc-add "$R" < "$T/in"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: (standard input):3: id P000005 already has a record dated 2024-01-01" ]
	unchanged
}

# A person with every optional field filled, dated 2024-03-01: line 2.
add_full_person() {
	dc-add "$R" date=2024-03-01 "${PERSON[@]}" cccd=001122334455 present=khong \
	    treatment=methadone prior=ma_tuy drugs=heroin determined=2024-02-20 \
	    rehab_start=2024-02-25 rehab_end=2024-02-28 'note=ở nhà mẹ' > /dev/null
}

@test "an update gives the id and what changed; every other field is carried over" {
	add_full_person
	run dc-add "$R" id=P000001 status=sau_cai
	[ "$status" -eq 0 ]
	[ "$output" = P000001 ]
	[ "$(wc -l < "$R")" -eq 3 ]
	[ "$(sed -n 2p "$R")" = "$(printf 'P000001\t2024-03-01\tLê Văn An\tnam\t1990-01-02\t001122334455\tNgọc Lũ\tnghien\tkhong\tmethadone\tma_tuy\theroin\t2024-02-20\t2024-02-25\t2024-02-28\tở nhà mẹ')" ]
	# the whole new state, dated today (DC_TODAY), not the old date
	[ "$(sed -n 3p "$R")" = "$(printf 'P000001\t2024-12-14\tLê Văn An\tnam\t1990-01-02\t001122334455\tNgọc Lũ\tsau_cai\tkhong\tmethadone\tma_tuy\theroin\t2024-02-20\t2024-02-25\t2024-02-28\tở nhà mẹ')" ]
	# an update on the same day as the newest record is still refused
	rejects "dc-add: arguments: id P000001 already has a record dated 2024-12-14" \
	    id=P000001 note=x
}

@test "an update clears a field given empty; a field with a default gets it" {
	add_full_person
	run dc-add "$R" id=P000001 date=2024-05-01 note= drugs= treatment= 'commune=An Nội'
	[ "$status" -eq 0 ]
	[ "$output" = P000001 ]
	[ "$(tail -n 1 "$R")" = "$(printf 'P000001\t2024-05-01\tLê Văn An\tnam\t1990-01-02\t001122334455\tAn Nội\tnghien\tkhong\tkhong\tma_tuy\t\t2024-02-20\t2024-02-25\t2024-02-28\t')" ]
	# a required field cannot be cleared
	rejects "dc-add: arguments: field 'name' is required" \
	    id=P000001 date=2024-06-01 name=
	# the values given are checked as always
	rejects "dc-add: arguments: field 'status': 'x' is not one of: nghien, su_dung, nghi_nghien, nghi_su_dung, sau_cai" \
	    id=P000001 date=2024-06-01 status=x
}

@test "an update carries over from the newest record: by date, then the later line" {
	{
		echo "$HEADER"
		printf 'P000001\t2024-03-01\tA\tnam\t1990-01-01\t\tAn Nội\tnghien\tco\tkhong\tkhong\t\t\t\t\tline 2\n'
		printf 'P000002\t2024-03-01\tB\tnu\t1991-01-01\t\tLa Sơn\tsu_dung\tco\tkhong\tkhong\t\t\t\t\tline 3\n'
		printf 'P000001\t2024-06-01\tA\tnam\t1990-01-01\t\tAn Nội\tnghien\tco\tgia_dinh\tkhong\t\t\t\t\tline 4\n'
		printf 'P000001\t2024-06-01\tA\tnam\t1990-01-01\t\tAn Nội\tsau_cai\tco\tcong_dong\tkhong\t\t\t\t\tline 5\n'
		printf 'P000001\t2024-02-01\tA\tnam\t1990-01-01\t\tAn Nội\tnghien\tco\tkhong\tkhong\t\t\t\t\tline 6\n'
		printf 'P000002\t2024-09-01\tB\tnu\t1991-01-01\t\tLa Sơn\tsau_cai\tco\tbat_buoc\tkhong\t\t\t\t\tline 7\n'
	} > "$R"
	cp "$R" "$T/want"
	# empty cells and columns left out are carried over; an empty date is today
	printf 'id\tdate\tpresent\tnote\tname\tsex\tbirth\tcommune\tstatus\n' > "$T/in"
	printf 'P000001\t2024-07-01\tkhong\t\t\t\t\t\t\n' >> "$T/in"
	printf 'P000002\t\t\tchuyển đi\t\t\t\t\t\n' >> "$T/in"
	printf '\t\t\tmới\tC\tnam\t2000-01-01\tBồ Đề\tnghien\n' >> "$T/in"
	run dc-add "$R" < "$T/in"
	[ "$status" -eq 0 ]
	[ "${lines[*]}" = "P000001 P000002 P000003" ]
	printf 'P000001\t2024-07-01\tA\tnam\t1990-01-01\t\tAn Nội\tsau_cai\tkhong\tcong_dong\tkhong\t\t\t\t\tline 5\n' >> "$T/want"
	printf 'P000002\t2024-12-14\tB\tnu\t1991-01-01\t\tLa Sơn\tsau_cai\tco\tbat_buoc\tkhong\t\t\t\t\tchuyển đi\n' >> "$T/want"
	printf 'P000003\t2024-12-14\tC\tnam\t2000-01-01\t\tBồ Đề\tnghien\tco\tkhong\tkhong\t\t\t\t\tmới\n' >> "$T/want"
	cmp "$R" "$T/want"
}

# P000002: nghi_su_dung on 2024-01-01 (line 3), sau_cai with methadone
# on 2024-06-01 (line 4); P000001 (line 2) is in the way.
two_states() {
	{
		echo "$HEADER"
		printf 'P000001\t2024-02-01\tA\tnam\t1990-01-01\t\tAn Nội\tnghien\tco\tkhong\tkhong\t\t\t\t\t\n'
		printf 'P000002\t2024-01-01\tB\tnu\t1991-01-01\t\tLa Sơn\tnghi_su_dung\tco\tkhong\tkhong\t\t\t\t\tjan\n'
		printf 'P000002\t2024-06-01\tB\tnu\t1991-01-01\t\tLa Sơn\tsau_cai\tco\tmethadone\tkhong\t\t\t\t\tjun\n'
	} > "$R"
}

@test "a backdated update carries over the state of its own day, not later history" {
	two_states
	cp "$R" "$T/want"
	run dc-add "$R" id=P000002 date=2024-04-01 note=x
	[ "$status" -eq 0 ]
	[ "$output" = P000002 ]
	# the January values, not June's sau_cai and methadone
	printf 'P000002\t2024-04-01\tB\tnu\t1991-01-01\t\tLa Sơn\tnghi_su_dung\tco\tkhong\tkhong\t\t\t\t\tx\n' >> "$T/want"
	cmp "$R" "$T/want"
	# so the history as of May is what was recorded by May
	run dc-grep --asof 2024-05-01 id=P000002 "$R"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\t#dc:state 2024-05-01\nP000002\t2024-04-01\tB\tnu\t1991-01-01\t\tLa Sơn\tnghi_su_dung\tco\tkhong\tkhong\t\t\t\t\tx' "$HEADER")" ]
	run dc-grep --asof 2024-07-01 id=P000002 "$R"
	[ "$output" = "$(printf '%s\t#dc:state 2024-07-01\nP000002\t2024-06-01\tB\tnu\t1991-01-01\t\tLa Sơn\tsau_cai\tco\tmethadone\tkhong\t\t\t\t\tjun' "$HEADER")" ]
}

@test "an update dated before every record of its id needs every required field" {
	two_states
	rejects "dc-add: arguments: field 'name' is required
dc-add: arguments: field 'sex' is required
dc-add: arguments: field 'birth' is required
dc-add: arguments: field 'commune' is required
dc-add: arguments: field 'status' is required
dc-add: arguments: id P000002 has no record on or before 2023-12-01: give every required field" \
	    id=P000002 date=2023-12-01 note=x
	# the same from standard input, with its line
	printf 'id\tdate\tstatus\n' > "$T/in"
	printf 'P000002\t2023-12-01\tnghien\n' >> "$T/in"
	keep
	run dc-add "$R" < "$T/in"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: (standard input):2: field 'name' is required
dc-add: (standard input):2: field 'sex' is required
dc-add: (standard input):2: field 'birth' is required
dc-add: (standard input):2: field 'commune' is required
dc-add: (standard input):2: id P000002 has no record on or before 2023-12-01: give every required field" ]
	unchanged
	# given them all, it is a record of the past like any other: the
	# defaults fill the rest, nothing comes from the later records
	run dc-add "$R" id=P000002 date=2023-12-01 name=B sex=nu birth=1991-01-01 \
	    'commune=La Sơn' status=nghien
	[ "$status" -eq 0 ]
	[ "$output" = P000002 ]
	[ "$(tail -n 1 "$R")" = "$(printf 'P000002\t2023-12-01\tB\tnu\t1991-01-01\t\tLa Sơn\tnghien\tco\tkhong\tkhong\t\t\t\t\t')" ]
}

@test "an update dated after every record of its id carries over from the newest" {
	two_states
	run dc-add "$R" id=P000002 date=2024-08-01 present=khong
	[ "$status" -eq 0 ]
	[ "$output" = P000002 ]
	[ "$(tail -n 1 "$R")" = "$(printf 'P000002\t2024-08-01\tB\tnu\t1991-01-01\t\tLa Sơn\tsau_cai\tkhong\tmethadone\tkhong\t\t\t\t\tjun')" ]
	# and with no date it is today's, after them all
	run dc-add "$R" id=P000002 note=y
	[ "$status" -eq 0 ]
	[ "$(tail -n 1 "$R")" = "$(printf 'P000002\t2024-12-14\tB\tnu\t1991-01-01\t\tLa Sơn\tsau_cai\tkhong\tmethadone\tkhong\t\t\t\t\ty')" ]
}

@test "records of one id in one import: each carries over from its state on its own date" {
	add_full_person
	printf 'id\tdate\tstatus\tnote\n' > "$T/in"
	printf 'P000001\t2024-10-01\tsau_cai\t\n' >> "$T/in"
	printf 'P000001\t2024-11-01\t\tlần 2\n' >> "$T/in"
	printf 'P000001\t2024-04-01\tsu_dung\t\n' >> "$T/in"
	printf 'P000001\t2024-10-15\t\t\n' >> "$T/in"
	run dc-add "$R" < "$T/in"
	[ "$status" -eq 0 ]
	[ "${lines[*]}" = "P000001 P000001 P000001 P000001" ]
	# the second from the first (earlier in the input, added first); the
	# third, dated before both, from the registry's 2024-03-01 record; the
	# fourth from the first again, the newest on or before its date
	[ "$(tail -n 4 "$R" | cut -f2,8,10,16)" = "$(printf '2024-10-01\tsau_cai\tmethadone\tở nhà mẹ\n2024-11-01\tsau_cai\tmethadone\tlần 2\n2024-04-01\tsu_dung\tmethadone\tở nhà mẹ\n2024-10-15\tsau_cai\tmethadone\tở nhà mẹ')" ]
	# one dated before every record, registry or input, is refused
	keep
	printf 'id\tdate\tstatus\n' > "$T/in"
	printf 'P000001\t2024-12-01\tnghien\n' >> "$T/in"
	printf 'P000001\t2024-01-01\tnghien\n' >> "$T/in"
	run dc-add "$R" < "$T/in"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: (standard input):3: field 'name' is required
dc-add: (standard input):3: field 'sex' is required
dc-add: (standard input):3: field 'birth' is required
dc-add: (standard input):3: field 'commune' is required
dc-add: (standard input):3: id P000001 has no record on or before 2024-01-01: give every required field" ]
	unchanged
}

@test "an id with no record yet is a new record: it needs every required field" {
	dc-add "$R" "${PERSON[@]}" > /dev/null
	rejects "dc-add: arguments: field 'name' is required
dc-add: arguments: field 'sex' is required
dc-add: arguments: field 'birth' is required
dc-add: arguments: field 'commune' is required
dc-add: arguments: id P000009 has no record yet: this is a new record, not an update" \
	    id=P000009 status=nghien
	rejects "dc-add: arguments: field 'id': 'Q000001' is not an id (prefix and digits)" \
	    id=Q000001 status=nghien
	run dc-add "$R" id=P000009 "${PERSON[@]}"
	[ "$status" -eq 0 ]
	[ "$output" = P000009 ]
	[ "$(tail -n 1 "$R")" = "$(printf 'P000009\t2024-12-14\tLê Văn An\tnam\t1990-01-02\t\tNgọc Lũ\tnghien\tco\tkhong\tkhong\t\t\t\t\t')" ]
}

@test "a value carried over is checked, and its line named when it is bad" {
	{
		echo "$HEADER"
		printf 'P000001\t2024-03-01\tA\tnam\t1990-01-01\t\tAn Nội\tnghiện\tco\tkhong\tkhong\t\t\t\t\t\n'
	} > "$R"
	rejects "dc-add: arguments: field 'status': 'nghiện' is not one of: nghien, su_dung, nghi_nghien, nghi_su_dung, sau_cai (carried over from $R:2)" \
	    id=P000001 note=x
	# giving the field mends it
	run dc-add "$R" id=P000001 status=nghien
	[ "$status" -eq 0 ]
	[ "$(tail -n 1 "$R" | cut -f2,3,8)" = "$(printf '2024-12-14\tA\tnghien')" ]
}

@test "one cccd under two ids is rejected, the same id may repeat it" {
	dc-add "$R" "${PERSON[@]}" cccd=035090001234
	rejects "dc-add: arguments: cccd 035090001234: already recorded under P000001" \
	    --again "${PERSON[@]}" cccd=035090001234
	run dc-add --future "$R" id=P000001 date=2024-12-15 "${PERSON[@]}" cccd=035090001234
	[ "$status" -eq 0 ]
	keep
	printf 'name\tsex\tbirth\tcommune\tstatus\tcccd\n' > "$T/in"
	printf 'A\tnam\t1990-01-01\tAn Nội\tnghien\t001122334455\n' >> "$T/in"
	printf 'B\tnam\t1990-01-01\tAn Nội\tnghien\t001122334455\n' >> "$T/in"
	run dc-add "$R" < "$T/in"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: (standard input):3: cccd 001122334455: already recorded under P000002" ]
	unchanged
}

@test "a torn last line is refused, never extended" {
	dc-add "$R" "${PERSON[@]}"
	printf 'P000002\t2024-12-14\tHalf a rec' >> "$R"
	rejects "dc-add: $R:3: last line has no newline (interrupted write?); repair it before adding" \
	    "${PERSON[@]}"
	# a header without its newline too
	printf 'id\tdate' > "$R"
	rejects "dc-add: $R:1: header line has no newline (interrupted write?); repair it before adding" \
	    "${PERSON[@]}"
}

@test "a registry saved with a BOM and CRLF line ends is read and added to" {
	dc-add "$R" "${PERSON[@]}"
	{ printf '\xef\xbb\xbf'; sed 's/$/\r/' "$R"; } > "$T/crlf"
	cp "$T/crlf" "$R"
	# the same command again, its batch no longer where it was written
	keep
	run dc-add "$R" "${PERSON[@]}"
	[ "$status" -eq 2 ]
	[[ "$output" == "dc-add: $R: the same batch was added at 20"*" (line 2 of its batches log), but the registry no longer holds it there; give --again to add it once more" ]]
	unchanged
	run dc-add --again "$R" "${PERSON[@]}"
	[ "$status" -eq 0 ]
	[ "$output" = P000002 ]
	# the old bytes are kept as they were, the new line appended
	[ "$(head -c "$(wc -c < "$T/crlf")" "$R" | cmp - "$T/crlf" && echo same)" = same ]
	[ "$(tail -n 1 "$R" | cut -f1,3)" = "$(printf 'P000002\tLê Văn An')" ]
	# the same id again on the same date is still seen through the CRs
	rejects "dc-add: arguments: id P000001 already has a record dated 2024-12-14" \
	    id=P000001 "${PERSON[@]}"
}

@test "invalid UTF-8 in the registry is refused with its line and byte" {
	dc-add "$R" "${PERSON[@]}"
	printf 'P000002\t2024-12-14\tL\xea\tnam\t1990-01-02\t\tAn Nội\tnghien\tco\tkhong\tkhong\t\t\t\t\t\n' >> "$R"
	rejects "dc-add: $R:3: invalid UTF-8 at byte 21; repair it before adding" \
	    "${PERSON[@]}"
}

@test "a damaged line, an empty file or a header that does not match the schema is refused" {
	dc-add "$R" "${PERSON[@]}"
	printf 'P000002\t2024-12-14\n' >> "$R"
	rejects "dc-add: $R:3: has 2 fields, header has 16; repair it before adding" \
	    "${PERSON[@]}"
	: > "$R"
	rejects "dc-add: $R: empty file: no header line (create a registry with dc-add --init)" \
	    "${PERSON[@]}"
	printf 'id\tdate\tname\n' > "$R"
	rejects "dc-add: $R:1: header does not match the schema $T/people.schema: the registry has id, date, name; the schema has $FIELDS" \
	    "${PERSON[@]}"
}

@test "a failed write (file size limit) leaves the registry at its old length" {
	dc-add "$R" "${PERSON[@]}"
	keep
	awk 'BEGIN { print "name\tsex\tbirth\tcommune\tstatus"
	    for (i = 1; i <= 50; i++) print "Người " i "\tnam\t1990-01-01\tAn Nội\tnghien" }' > "$T/in"
	# 1 block of 1024 bytes: the write stops part way through the batch
	run bash -c 'ulimit -f 1; dc-add "$1" < "$2"' _ "$R" "$T/in"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: $R: cannot write: File too large; nothing was added" ]
	unchanged
	# without the limit the same import goes in
	run dc-add "$R" < "$T/in"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 50 ]
	[ "$(wc -l < "$R")" -eq 52 ]
}

@test "8 concurrent loops of 500 dc-add leave 4000 whole records with distinct ids" {
	local j
	for j in 1 2 3 4 5 6 7 8; do
		(
			for i in $(seq 500); do
				dc-add "$R" "name=w$j n$i" sex=nam birth=1990-01-01 \
				    'commune=An Nội' status=nghien > /dev/null || echo "w$j n$i"
			done > "$T/fail$j"
		) &
	done
	wait
	[ "$(cat "$T"/fail*)" = "" ]
	[ "$(wc -l < "$R")" -eq 4001 ]
	# every line whole, every name once, every id once and in P000001..P004000
	run awk -F'\t' 'NR > 1 {
		if (NF != 16 || $1 !~ /^P[0-9][0-9][0-9][0-9][0-9][0-9]$/ || $16 != "") bad++
		if (ids[$1]++) bad++
		if (names[$3]++) bad++
	} END { print NR - 1, length(ids), length(names), bad + 0 }' "$R"
	[ "$output" = "4000 4000 4000 0" ]
	[ "$(tail -n +2 "$R" | cut -f1 | sort | sed -n '1p;$p' | tr '\n' ' ')" = "P000001 P004000 " ]
	if [ -x "$TOP/bin/dc-check" ]; then
		run dc-check "$R"
		[ "$status" -eq 0 ]
	fi
}

@test "bulk-adding 100,000 people records" {
	awk 'BEGIN {
		print "name\tsex\tbirth\tcommune\tstatus\tcccd\tnote"
		for (i = 1; i <= 100000; i++)
			printf "Nguyễn Văn %d\t%s\t19%02d-%02d-%02d\tNgọc Lũ\tnghien\t%012d\tghi chú %d\n",
			    i, i % 2 ? "nam" : "nu", i % 100, i % 12 + 1, i % 28 + 1, 1000000 + i, i
	}' > "$T/in"
	run dc-add "$R" < "$T/in"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 100000 ]
	[ "${lines[0]}" = P000001 ]
	[ "${lines[99999]}" = P100000 ]
	# the registry is what an independent awk makes of the input
	awk -F'\t' -v OFS='\t' 'NR == 1 { print h; next }
	    { printf "P%06d\t2024-12-14\t%s\t%s\t%s\t%s\t%s\t%s\tco\tkhong\tkhong\t\t\t\t\t%s\n",
	        NR - 1, $1, $2, $3, $6, $4, $5, $7 }' h="$HEADER" "$T/in" > "$T/want"
	cmp "$R" "$T/want"
	if [ -x "$TOP/bin/dc-check" ]; then
		run dc-check "$R"
		[ "$status" -eq 0 ]
	fi
}

@test "--help lists every option; --version" {
	run --separate-stderr dc-add --help
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[0]}" = "usage: dc-add [-s SCHEMA] [--future] [--again] REGISTRY [FIELD=VALUE...]" ]
	for opt in '-s, --schema SCHEMA' --init --end --future --again --recover --backup '-h, --help' --version; do
		[[ "$output" == *"
  "*"$opt  "* ]]
	done
	[ "${lines[-1]}" = "Exit status: 0 added, 2 error (then nothing is added)." ]
	run dc-add -h
	[ "$status" -eq 0 ]
	[ "$output" = "$(dc-add --help)" ]
	run dc-add --version
	[ "$status" -eq 0 ]
	[ "$output" = "dc-add (dc-tools) 0.2.0" ]
}

# dc-add ARGS is a usage error: exactly MESSAGE, then where to look.
usage_error() {
	local message="$1"; shift
	run --separate-stderr dc-add "$@"
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "$message
Try 'dc-add --help'." ]
}

@test "a usage error says what was wrong, and changes nothing" {
	keep
	usage_error "dc-add: no REGISTRY given"
	usage_error "dc-add: unknown option '-x'" -x "$R" name=A
	usage_error "dc-add: unknown option '--bogus'" --bogus "$R"
	usage_error "dc-add: option '-s' needs a value" "$R" -s
	usage_error "dc-add: option '--schema' needs a value" "$R" --schema
	usage_error "dc-add: option '--help' takes no value" --help=1
	usage_error "dc-add: option '--end' takes no value" --end=P000001 "$R"
	usage_error "dc-add: --init: 'name=x' given; --init takes only the REGISTRY" --init "$R" name=x
	usage_error "dc-add: --init and --end go apart" --init --end "$R"
	usage_error "dc-add: --init and --future go apart" --init --future "$R"
	unchanged
}

@test "options may follow the registry and the fields, up to --" {
	run dc-add "$R" "${PERSON[@]}" date=2025-01-02 --future
	[ "$status" -eq 0 ]
	[ "$output" = P000001 ]
	[ "$(tail -n 1 "$R" | cut -f1,2)" = "$(printf 'P000001\t2025-01-02')" ]
	# after --, an argument is a field, even one that looks like an option
	keep
	run dc-add "$R" -- "${PERSON[@]}" --future
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: arguments: '--future' is not FIELD=VALUE" ]
	unchanged
}

@test "-s names the schema explicitly" {
	mkdir "$T/d"
	dc-add --init -s "$FIX/tests.schema" "$T/d/t.tsv"
	rm "$T/d/t.schema"
	run dc-add "$T/d/t.tsv" 'commune=An Nội' result=am_tinh
	[ "$status" -eq 2 ]
	run dc-add -s "$FIX/tests.schema" "$T/d/t.tsv" 'commune=An Nội' result=duong_tinh person=P000001
	[ "$status" -eq 0 ]
	[ "$output" = T000001 ]
	[ "$(tail -n 1 "$T/d/t.tsv")" = "$(printf 'T000001\t2024-12-14\tP000001\tAn Nội\tduong_tinh\t')" ]
}

@test "ids that cannot be written: the records are in, and the message says so" {
	[ -w /dev/full ] || skip "no /dev/full"
	run bash -c "dc-add '$R' \"\$@\" >/dev/full" _ "${PERSON[@]}"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: 1 record was added to $R, but the ids could not be written: No space left on device (the same command again prints them)" ]
	[ "$(wc -l < "$R")" -eq 2 ]
	# and so it does, adding nothing
	run --separate-stderr dc-add "$R" "${PERSON[@]}"
	[ "$status" -eq 0 ]
	[ "$output" = P000001 ]
	[[ "$stderr" == "dc-add: $R: the same batch was added at 20"*": not adding it again; its ids follow (--again adds it once more)" ]]
	[ "$(wc -l < "$R")" -eq 2 ]
}

# ---- future dates ----

@test "a record dated after today is refused without --future" {
	dc-add "$R" "${PERSON[@]}" >/dev/null
	rejects "dc-add: arguments: field 'date': 2052-01-01 is after today (2024-12-14); give --future to add a record that takes effect on that day" \
	    "${PERSON[@]}" date=2052-01-01
	# an update too
	rejects "dc-add: arguments: field 'date': 2024-12-15 is after today (2024-12-14); give --future to add a record that takes effect on that day" \
	    id=P000001 date=2024-12-15 status=sau_cai
	# from standard input, with the line
	keep
	printf 'name\tsex\tbirth\tcommune\tstatus\tdate\n' > "$T/in"
	printf 'B\tnu\t1991-01-01\tAn Nội\tnghien\t2024-12-14\n' >> "$T/in"
	printf 'C\tnu\t1991-01-01\tAn Nội\tnghien\t2025-01-01\n' >> "$T/in"
	run dc-add "$R" < "$T/in"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: (standard input):3: field 'date': 2025-01-01 is after today (2024-12-14); give --future to add a record that takes effect on that day" ]
	unchanged
	# today itself is not the future
	run dc-add "$R" "${PERSON[@]/Lê Văn An/X}" date=2024-12-14
	[ "$status" -eq 0 ]
	[ "$output" = P000002 ]
}

@test "--future adds a record dated after today; the state shows it from that day" {
	dc-add "$R" "${PERSON[@]}" >/dev/null
	run dc-add --future "$R" id=P000001 date=2052-01-01 status=sau_cai
	[ "$status" -eq 0 ]
	[ "$output" = P000001 ]
	[ "$(tail -n 1 "$R" | cut -f1,2,8)" = "$(printf 'P000001\t2052-01-01\tsau_cai')" ]
	run dc-grep -c status=nghien "$R"
	[ "$output" = 1 ]
	run dc-grep -c --asof 2052-01-01 status=sau_cai "$R"
	[ "$output" = 1 ]
}

@test "an invalid DC_TODAY is an error, and the registry is unchanged" {
	keep
	DC_TODAY=14/12/2024 run dc-add "$R" "${PERSON[@]}"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: DC_TODAY: '14/12/2024' is not a date (YYYY-MM-DD)" ]
	unchanged
	DC_TODAY=2024-02-30 run dc-add --future "$R" "${PERSON[@]}" date=2024-01-01
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: DC_TODAY: '2024-02-30' is not a date (YYYY-MM-DD)" ]
	unchanged
	rm "$R"
	DC_TODAY=tomorrow run dc-add --init "$R"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: DC_TODAY: 'tomorrow' is not a date (YYYY-MM-DD)" ]
	[ ! -e "$R" ]
}

# ---- end records ----

# P000001 from 2024-02-01 (line 2), P000002 from 2024-03-01 (line 3).
two_people() {
	{
		echo "$HEADER"
		printf 'P000001\t2024-02-01\tA\tnam\t1990-01-01\t\tAn Nội\tnghien\tco\tkhong\tkhong\t\t\t\t\t\n'
		printf 'P000002\t2024-03-01\tB\tnu\t1991-01-01\t\tLa Sơn\tnghien\tco\tkhong\tkhong\t\t\t\t\t\n'
	} > "$R"
}

@test "--end writes a record of id, date and note only, dated today" {
	two_people
	cp "$R" "$T/want"
	run dc-add --end "$R" id=P000001 'note=chuyển đi Hà Nội'
	[ "$status" -eq 0 ]
	[ "$output" = P000001 ]
	printf 'P000001\t2024-12-14\t\t\t\t\t\t\t\t\t\t\t\t\t\tchuyển đi Hà Nội\n' >> "$T/want"
	cmp "$R" "$T/want"
	# the id is out of the state from that day, not before
	run dc-grep -c status=nghien "$R"
	[ "$output" = 1 ]
	run dc-grep --asof 2024-12-13 -c status=nghien "$R"
	[ "$output" = 2 ]
	# and dc-check finds nothing wrong
	run dc-check "$R"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "--end with a date, and without a note" {
	two_people
	cp "$R" "$T/want"
	run dc-add --end "$R" date=2024-06-01 id=P000002
	[ "$status" -eq 0 ]
	[ "$output" = P000002 ]
	printf 'P000002\t2024-06-01\t\t\t\t\t\t\t\t\t\t\t\t\t\t\n' >> "$T/want"
	cmp "$R" "$T/want"
	run dc-grep --asof 2024-05-31 -c id=P000002 "$R"
	[ "$output" = 1 ]
	run dc-grep --asof 2024-06-01 -c id=P000002 "$R"
	[ "$output" = 0 ]
}

@test "--end from standard input ends several ids in one batch" {
	two_people
	cp "$R" "$T/want"
	printf 'id\tnote\tdate\n' > "$T/in"
	printf 'P000002\tmất\t2024-11-01\n' >> "$T/in"
	printf 'P000001\t\t2024-11-02\n' >> "$T/in"
	run dc-add --end "$R" < "$T/in"
	[ "$status" -eq 0 ]
	[ "${lines[*]}" = "P000002 P000001" ]
	printf 'P000002\t2024-11-01\t\t\t\t\t\t\t\t\t\t\t\t\t\tmất\n' >> "$T/want"
	printf 'P000001\t2024-11-02\t\t\t\t\t\t\t\t\t\t\t\t\t\t\n' >> "$T/want"
	cmp "$R" "$T/want"
	run dc-grep -c "$R"
	[ "$status" -eq 1 ]
	[ "$output" = 0 ]
}

@test "--end refuses an unknown id, an id not yet recorded on its date, and an ended id" {
	two_people
	rejects "dc-add: arguments: --end: id P000009 has no record: there is nothing to end" \
	    --end id=P000009
	rejects "dc-add: arguments: --end: id P000002 has no record on or before 2024-02-15: there is nothing to end then" \
	    --end id=P000002 date=2024-02-15
	dc-add --end "$R" id=P000002 date=2024-06-01 >/dev/null
	rejects "dc-add: arguments: --end: id P000002 is already ended on 2024-06-01 ($R:4)" \
	    --end id=P000002
	# and one of one id and date, like any record
	rejects "dc-add: arguments: id P000001 already has a record dated 2024-02-01" \
	    --end id=P000001 date=2024-02-01
	# within one batch: the second sees the first
	keep
	printf 'id\tdate\nP000001\t2024-10-01\nP000001\t2024-11-01\n' > "$T/in"
	run dc-add --end "$R" < "$T/in"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: (standard input):3: --end: id P000001 is already ended on 2024-10-01 ((standard input):2)" ]
	unchanged
}

@test "--end refuses fields other than id, date and note, and needs the id" {
	two_people
	rejects "dc-add: arguments: --end: field 'status' given; an end record gives only id, date and note" \
	    --end id=P000001 status=sau_cai
	rejects "dc-add: arguments: --end: give the id to end (id=...)" \
	    --end note=x
	rejects "dc-add: arguments: field 'id': 'X1' is not an id (prefix and digits)" \
	    --end id=X1
	rejects "dc-add: arguments: field 'date': '1/6/2024' is not a date (YYYY-MM-DD)" \
	    --end id=P000001 date=1/6/2024
	rejects "dc-add: arguments: field 'date': 2025-01-01 is after today (2024-12-14); give --future to add a record that takes effect on that day" \
	    --end id=P000001 date=2025-01-01
	run dc-add --end --future "$R" id=P000001 date=2025-01-01
	[ "$status" -eq 0 ]
	[ "$(tail -n 1 "$R")" = "$(printf 'P000001\t2025-01-01\t\t\t\t\t\t\t\t\t\t\t\t\t\t')" ]
}

@test "an update of an ended id must give every required field: it re-opens the id" {
	two_people
	dc-add --end "$R" id=P000001 date=2024-06-01 >/dev/null
	rejects "dc-add: arguments: field 'name' is required
dc-add: arguments: field 'sex' is required
dc-add: arguments: field 'birth' is required
dc-add: arguments: field 'commune' is required
dc-add: arguments: id P000001 was ended on 2024-06-01 ($R:4): there is nothing to carry over; give every required field to re-open it" \
	    id=P000001 status=sau_cai
	# an update dated before the end still carries over the state of its day
	run dc-add "$R" id=P000001 date=2024-05-01 status=sau_cai
	[ "$status" -eq 0 ]
	[ "$(tail -n 1 "$R")" = "$(printf 'P000001\t2024-05-01\tA\tnam\t1990-01-01\t\tAn Nội\tsau_cai\tco\tkhong\tkhong\t\t\t\t\t')" ]
	# giving every required field re-opens it, defaults applied
	run dc-add "$R" id=P000001 name=A sex=nam birth=1990-01-01 'commune=Bồ Đề' status=nghien
	[ "$status" -eq 0 ]
	[ "$output" = P000001 ]
	[ "$(tail -n 1 "$R")" = "$(printf 'P000001\t2024-12-14\tA\tnam\t1990-01-01\t\tBồ Đề\tnghien\tco\tkhong\tkhong\t\t\t\t\t')" ]
	run dc-grep -c 'commune=Bồ Đề' "$R"
	[ "$output" = 1 ]
	run dc-check "$R"
	[ "$status" -eq 0 ]
}

@test "an update carries over by the readers' rule: on one date the later line wins" {
	{
		echo "$HEADER"
		printf 'P000001\t2024-02-01\tA\tnam\t1990-01-01\t\tAn Nội\tnghien\tco\tkhong\tkhong\t\t\t\t\tfirst\n'
		printf 'P000001\t2024-02-01\tA\tnam\t1990-01-01\t\tAn Nội\tsau_cai\tco\tkhong\tkhong\t\t\t\t\tsecond\n'
	} > "$R"
	run dc-add "$R" id=P000001 date=2024-03-01
	[ "$status" -eq 0 ]
	[ "$(tail -n 1 "$R" | cut -f8,16)" = "$(printf 'sau_cai\tsecond')" ]
	run dc-grep --asof 2024-02-01 "$R"
	[ "${lines[1]}" = "$(sed -n 3p "$R")" ]
}

# ---- batches all or nothing, retries, backups, locks (dc-format(5), BATCHES)

# Leave a journal as a dc-add killed in the middle of its batch would:
# the registry's length before, then part of a batch after it.
cut_off_batch() {
	local size logsize=0
	size=$(stat -c %s "$R")
	[ -f "$T/people.batches" ] && logsize=$(stat -c %s "$T/people.batches")
	printf 'dc-add journal\t1\nregistry\tpeople.tsv\nlength\t%s\nlog-length\t%s\nbatch-bytes\t99\nbatch-sha256\t%064d\npid\t1\nend\n' \
	    "$size" "$logsize" 0 > "$T/people.journal"
	printf 'P000077\t2024-12-14\tHalf a' >> "$R"
}

@test "a batch cut off: readers leave it out, dc-check reports it, the next dc-add undoes it" {
	dc-add "$R" "${PERSON[@]}"
	keep
	cut_off_batch
	run --separate-stderr dc-grep --history -c "$R"
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
	[ "$stderr" = "dc-grep: $R: the 25 bytes after byte 196 are a batch that was cut off and are not read (dc-add --recover $R removes them)" ]
	run dc-check "$R"
	[ "$status" -eq 1 ]
	[ "$output" = "$R: the 25 bytes after byte 196 are a batch that was cut off: not checked, not committed; dc-add --recover $R removes them" ]
	# the auditor's tool changed nothing
	[ -f "$T/people.journal" ]
	[ "$(stat -c %s "$R")" -eq 221 ]
	# a backup stops at the committed length
	run --separate-stderr dc-add --backup "$R"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$T/before")" ]
	run --separate-stderr dc-add "$R" name='Trần Thị Bình' sex=nu birth=1992-03-04 'commune=An Nội' status=nghien
	[ "$status" -eq 0 ]
	[ "$output" = P000002 ]
	[ "$stderr" = "dc-add: $R: a batch was cut off before it was complete: its 25 bytes after byte 196 are removed" ]
	[ ! -s "$T/people.journal" ]
	[ "$(head -c 196 "$R" | cmp - "$T/before" && echo same)" = same ]
	[ "$(wc -l < "$R")" -eq 3 ]
	run dc-check "$R"
	[ "$status" -eq 0 ]
}

@test "--recover only undoes a batch cut off; a journal cut short itself is just removed" {
	dc-add "$R" "${PERSON[@]}"
	keep
	cut_off_batch
	run dc-add --recover "$R"
	[ "$status" -eq 0 ]
	[ "$output" = "dc-add: $R: a batch was cut off before it was complete: its 25 bytes after byte 196 are removed" ]
	unchanged
	[ ! -s "$T/people.journal" ]
	cmp "$T/people.batches" <(head -2 "$T/people.batches")
	# nothing to do: silence
	run dc-add --recover "$R"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	# a journal without its last line was being written: nothing to undo
	printf 'dc-add journal\t1\nregistry\tpeople.tsv\nlen' > "$T/people.journal"
	run dc-check "$R"
	[ "$status" -eq 1 ]
	[ "$output" = "$R: a journal left by a dc-add stopped before it wrote anything; dc-add --recover $R removes it" ]
	run dc-add --recover "$R"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ ! -s "$T/people.journal" ]
	unchanged
	run dc-add --recover "$R" name=x
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "dc-add: --recover: 'name=x' given; --recover takes only the REGISTRY" ]
}

@test "a journal that says what cannot be is an error, not a guess" {
	dc-add "$R" "${PERSON[@]}"
	printf 'dc-add journal\t1\nregistry\tpeople.tsv\nlength\t99999\nlog-length\t0\nbatch-bytes\t1\nbatch-sha256\t%064d\npid\t1\nend\n' 0 > "$T/people.journal"
	keep
	run dc-add "$R" name=B sex=nu birth=1990-01-01 'commune=An Nội' status=nghien
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: $R: it holds 196 bytes, less than the 99999 its journal says it held before a batch: repair it by hand" ]
	unchanged
	printf 'dc-add journal\t1\nregistry\tpeople.tsv\nlength\tten\nend\n' > "$T/people.journal"
	run dc-grep -c "$R"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/people.journal:3: a bad length; repair it by hand (dc-format(5), BATCHES)" ]
}

@test "the same import again is a retry: nothing stored twice, the ids printed again" {
	printf 'name\tsex\tbirth\tcommune\tstatus\tcccd\n' > "$T/in"
	for i in 1 2 3; do
		printf 'Người %s\tnam\t1990-01-0%s\tAn Nội\tnghien\t00112233445%s\n' "$i" "$i" "$i"
	done >> "$T/in"
	run dc-add "$R" < "$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'P000001\nP000002\nP000003')" ]
	keep
	# the same input through a pipe is the same import
	run --separate-stderr bash -c 'cat "$1" | dc-add "$2"' _ "$T/in" "$R"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'P000001\nP000002\nP000003')" ]
	[[ "$stderr" == "dc-add: $R: the same batch was added at 20"*": not adding it again; its ids follow (--again adds it once more)" ]]
	unchanged
	# the log is plain TSV: key, time, where the batch is, its checksum
	[ "$(sed -n 1p "$T/people.batches")" = "$(printf 'key\ttime\tstart\tbytes\trecords\tsha256')" ]
	start=$(sed -n 2p "$T/people.batches" | cut -f3)
	bytes=$(sed -n 2p "$T/people.batches" | cut -f4)
	[ "$start" -eq "$(head -1 "$R" | wc -c)" ]
	[ "$(tail -c +"$((start + 1))" "$R" | head -c "$bytes" | sha256sum | cut -d' ' -f1)" = "$(sed -n 2p "$T/people.batches" | cut -f6)" ]
	[ "$(sed -n 2p "$T/people.batches" | cut -f5)" = 3 ]
	# another input is another batch, checked as any
	printf 'name\tsex\tbirth\tcommune\tstatus\tcccd\n' > "$T/in2"
	printf 'Người 1\tnam\t1990-01-01\tAn Nội\tnghien\t001122334451\n' >> "$T/in2"
	run dc-add "$R" < "$T/in2"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: (standard input):2: cccd 001122334451: already recorded under P000001" ]
	unchanged
}

@test "a record dated by default today is another record tomorrow, not a retry" {
	DC_TODAY=2024-12-13 dc-add "$R" "${PERSON[@]}"
	run env DC_TODAY=2024-12-14 dc-add "$R" "${PERSON[@]}"
	[ "$status" -eq 0 ]
	[ "$output" = P000002 ]
	# the same day, the same command: a retry
	run --separate-stderr env DC_TODAY=2024-12-14 dc-add "$R" "${PERSON[@]}"
	[ "$output" = P000002 ]
	# a date given is the same record whatever the day
	DC_TODAY=2024-12-13 dc-add "$R" date=2024-12-01 name=C sex=nu birth=1990-01-01 'commune=An Nội' status=nghien
	run --separate-stderr env DC_TODAY=2024-12-14 dc-add "$R" date=2024-12-01 name=C sex=nu birth=1990-01-01 'commune=An Nội' status=nghien
	[ "$output" = P000003 ]
	[ "$(wc -l < "$R")" -eq 4 ]
	# --again adds it once more, still checked
	run dc-add --again "$R" date=2024-12-01 name=C sex=nu birth=1990-01-01 'commune=An Nội' status=nghien
	[ "$status" -eq 0 ]
	[ "$output" = P000004 ]
}

@test "--backup is the committed bytes, taken under the shared lock" {
	dc-add "$R" "${PERSON[@]}"
	run --separate-stderr dc-add --backup "$R"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$R")" ]
	dc-add --backup "$R" > "$T/copy"
	cmp "$R" "$T/copy"
	run dc-add --backup "$R" extra
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "dc-add: --backup: 'extra' given; --backup takes only the REGISTRY" ]
	run dc-add --backup --end "$R"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "dc-add: --backup and --end go apart" ]
}

# Hold the shared lock of a large registry: a dc-grep whose output
# nobody reads for a while (a FIFO that sleep holds open); its pid in
# $pid.
hold_lock() {
	awk -v h="$HEADER" 'BEGIN { print h; for (i = 1; i <= 60000; i++)
	    printf "P%06d\t2024-01-01\tNgười %d\tnam\t1990-01-01\t\tAn Nội\tnghien\tco\tkhong\tkhong\t\t\t\t\t\n", i, i }' > "$R"
	mkfifo "$T/held"
	sleep "$1" < "$T/held" 3>&- &
	dc-grep --history "$R" > "$T/held" 2>/dev/null 3>&- &
	pid=$!
	sleep 0.5
}

@test "a lock held too long: after a second dc-add says who holds it; DC_WAIT bounds the wait" {
	hold_lock 4
	keep
	run env DC_WAIT=2 dc-add "$R" "${PERSON[@]}"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "dc-add: $R: waiting for the lock held by process $pid" ]
	[ "${lines[1]}" = "dc-add: $R: still locked by process $pid after 2 s (DC_WAIT)" ]
	unchanged
	# DC_WAIT=0: no wait at all
	run env DC_WAIT=0 dc-add "$R" "${PERSON[@]}"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: $R: still locked by process $pid after 0 s (DC_WAIT)" ]
	# without a bound it waits, says so, and adds
	run dc-add "$R" "${PERSON[@]}"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "dc-add: $R: waiting for the lock held by process $pid" ]
	[ "${lines[1]}" = P060001 ]
	wait
}

@test "DC_WAIT bounds the readers' wait too; a bad DC_WAIT is an error" {
	run env DC_WAIT=soon dc-grep -c "$R"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: DC_WAIT: 'soon' is not a number of seconds" ]
	# a reader waits for a writer: a dc-add holds its lock until its
	# ids are written, to a pipe nobody reads for a while
	awk 'BEGIN { print "name\tsex\tbirth\tcommune\tstatus"; for (i = 1; i <= 30000; i++)
	    printf "Người %d\tnam\t1990-01-01\tAn Nội\tnghien\n", i }' > "$T/in"
	mkfifo "$T/slow"
	sleep 5 < "$T/slow" 3>&- &
	dc-add "$R" < "$T/in" > "$T/slow" 2>/dev/null 3>&- &
	adder=$!
	# its batch is in (wc takes no lock): it is writing the ids
	for _ in $(seq 50); do
		[ "$(wc -l < "$R")" -gt 30000 ] && break
		sleep 0.1
	done
	run env DC_WAIT=1 dc-count -g sex "$R"
	[ "$status" -eq 2 ]
	[ "${lines[-1]}" = "dc-count: $R: still locked by process $adder after 1 s (DC_WAIT)" ]
	wait
	run dc-count -g sex "$R"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'sex\tcount\nnam\t30000')" ]
}

@test "the schema is the one there once the lock is held" {
	hold_lock 3
	printf 'name\tsex\tbirth\tcommune\tstatus\n%s\tnam\t1990-01-01\tAn Nội\tnghien\n' 'Lê Văn Cường' > "$T/in"
	dc-add "$R" < "$T/in" > "$T/out" 2> "$T/err" &
	adder=$!
	sleep 0.5
	# while it waits, the commune list loses An Nội
	sed -i 's/,An Nội//; s/An Nội,//' "$T/people.schema"
	wait "$adder" || status=$?
	[ "${status:-0}" -eq 2 ]
	grep -q "^dc-add: (standard input):2: field 'commune': 'An Nội' is not one of: " "$T/err"
	[ "$(tail -n 1 "$R" | cut -f1)" = P060000 ]
	wait
}

@test "a FIFO or a dangling symbolic link is said to be what it is" {
	mkfifo "$T/f.tsv"
	cp "$T/people.schema" "$T/f.schema"
	run dc-add "$T/f.tsv" "${PERSON[@]}"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: $T/f.tsv: not a regular file" ]
	run dc-add --init "$T/f.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: $T/f.tsv: not a regular file" ]
	ln -s "$T/nowhere.tsv" "$T/l.tsv"
	cp "$T/people.schema" "$T/l.schema"
	run dc-add "$T/l.tsv" "${PERSON[@]}"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: $T/l.tsv: a symbolic link to $T/nowhere.tsv, which does not exist" ]
	run dc-add --init "$T/l.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-add: $T/l.tsv: a symbolic link: --init creates a registry only where there is no file" ]
	[ ! -e "$T/nowhere.tsv" ]
}

@test "NFC for every script: French, Å, the Ångström sign, Hangul jamo, marks in any order, exclusions" {
	# café with e + U+0301; A + U+030A; U+212B ANGSTROM SIGN; 한 as three
	# jamo; a + acute + dot below (the dot goes first: ạ then the acute);
	# क़ U+0958 is excluded from composition: it stays क + nukta
	run dc-add "$R" "${PERSON[@]}" "note=$(printf 'cafe\xcc\x81 A\xcc\x8a \xe2\x84\xab \xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab a\xcc\x81\xcc\xa3 \xe0\xa5\x98')"
	[ "$status" -eq 0 ]
	[ "$output" = P000001 ]
	local nfc
	nfc=$(printf 'caf\xc3\xa9 \xc3\x85 \xc3\x85 \xed\x95\x9c \xe1\xba\xa1\xcc\x81 \xe0\xa4\x95\xe0\xa4\xbc')
	[ "$(sed -n 2p "$R" | cut -f16)" = "$nfc" ]
	# NFC in, the same bytes out
	run dc-add "$R" "${PERSON[@]}" "note=$nfc"
	[ "$status" -eq 0 ]
	[ "$(sed -n 3p "$R" | cut -f16)" = "$nfc" ]
}

# tests/unicode/nfc.tsv: strings and their NFC by perl's Unicode::Normalize
# (tests/unicode/gen-nfc.pl wrote it once; no perl needed here).
@test "NFC agrees with Unicode::Normalize on 1,536 strings, and NFC is kept as it is" {
	local ref="$TOP/tests/unicode/nfc.tsv"
	printf 'field\ttype\trequired\tvalues\tdefault\tlabel\nid\tid\tyes\tU\tnext\t\ntext\ttext\tyes\t\t\t\n' > "$T/u.schema"
	cp "$T/u.schema" "$T/v.schema"
	dc-add --init "$T/u.tsv"
	dc-add --init "$T/v.tsv"
	{ echo text; tail -n +2 "$ref" | cut -f1; } > "$T/source"
	{ echo text; tail -n +2 "$ref" | cut -f2; } > "$T/nfc"
	run dc-add "$T/u.tsv" < "$T/source"
	[ "$status" -eq 0 ]
	[ "${lines[1535]}" = U001536 ]
	diff <(tail -n +2 "$T/nfc") <(tail -n +2 "$T/u.tsv" | cut -f2)
	run dc-add "$T/v.tsv" < "$T/nfc"
	[ "$status" -eq 0 ]
	diff <(tail -n +2 "$T/nfc") <(tail -n +2 "$T/v.tsv" | cut -f2)
}

@test "an empty batches log (a header that failed, a power cut) is as good as none" {
	: > "$T/people.batches"
	run dc-add "$R" "${PERSON[@]}"
	[ "$output" = P000001 ]
	[ "$(head -1 "$T/people.batches")" = "$(printf 'key\ttime\tstart\tbytes\trecords\tsha256')" ]
	run --separate-stderr dc-add "$R" "${PERSON[@]}"
	[ "$output" = P000001 ]
	[ "$(wc -l < "$R")" -eq 2 ]
}

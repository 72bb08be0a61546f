#!/usr/bin/env bats
# The record format itself (dc-format(5)), through the shared reader:
# field splitting at every length, escapes, UTF-8 at block edges.

load helper

# Records of 40 fields whose lengths run 0..37, so that TABs fall on
# every position of the reader's 16-byte blocks.
many_fields() {
	awk 'BEGIN {
		for (i = 1; i <= 40; i++) printf "f%d%s", i, i < 40 ? "\t" : "\n"
		for (r = 0; r < 300; r++)
			for (i = 1; i <= 40; i++) {
				n = (r * 7 + i * 13) % 38; v = ""
				for (k = 0; k < n; k++) v = v substr("abcdef", 1 + (k + r) % 6, 1)
				printf "%s%s", v, i < 40 ? "\t" : "\n"
			}
	}'
}

@test "every field of every record is split where its TABs are" {
	many_fields > "$T/m.tsv"
	for i in 1 2 3 7 16 17 31 40; do
		run dc-fmt -t "{f$i}" "$T/m.tsv"
		[ "$status" -eq 0 ]
		[ "$output" = "$(tail -n +2 "$T/m.tsv" | cut -f$i)" ]
	done
	run dc-count -g f17,f3 "$T/m.tsv"
	[ "$status" -eq 0 ]
	[ "$(tail -n +2 <<<"$output" | cut -f1,2 | sort)" = "$(tail -n +2 "$T/m.tsv" | awk -F'\t' '{ print $17 "\t" $3 }' | sort -u)" ]
}

# The programs ask for the fields they need, a later one before an
# earlier one at times; the SIMD paths pass over the TABs before the
# first asked for without splitting there.
@test "fields asked for in any order are split where their TABs are, on every code path" {
	many_fields > "$T/m.tsv"
	want_fmt=$(tail -n +2 "$T/m.tsv" | awk -F'\t' '{ print $17 "|" $3 "|" $40 "|" $1 "|" $39 "|" $2 }')
	want_last=$(tail -n +2 "$T/m.tsv" | awk -F'\t' '{ print $40 "|" $38 "|" $1 }')
	want_apart=$(tail -n +2 "$T/m.tsv" | awk -F'\t' '{ print $30 "\t" $5 }' | sort -u)
	want_side=$(tail -n +2 "$T/m.tsv" | awk -F'\t' '{ print $20 "\t" $21 "\t" $22 }' | sort -u)
	for p in portable $(simd_paths); do
		DC_SIMD=$p run dc-fmt -t '{f17}|{f3}|{f40}|{f1}|{f39}|{f2}' "$T/m.tsv"
		[ "$status" -eq 0 ]
		[ "$output" = "$want_fmt" ]
		DC_SIMD=$p run dc-fmt -t '{f40}|{f38}|{f1}' "$T/m.tsv"
		[ "$status" -eq 0 ]
		[ "$output" = "$want_last" ]
		DC_SIMD=$p run dc-count -g f30,f5 "$T/m.tsv"
		[ "$status" -eq 0 ]
		[ "$(tail -n +2 <<<"$output" | cut -f1,2 | sort)" = "$want_apart" ]
		DC_SIMD=$p run dc-count -g f20,f21,f22 "$T/m.tsv"
		[ "$status" -eq 0 ]
		[ "$(tail -n +2 <<<"$output" | cut -f1-3 | sort)" = "$want_side" ]
	done
}

# Lines whose values are spelt with backslashes, at every offset of a
# block: pad makes each line a byte longer than the one before.
escaped_values() {
	awk 'BEGIN {
		bs = "\\"
		sp[0] = "a" bs "qb"; sp[1] = "a" bs bs "qb"; sp[2] = "a" bs "tb"; sp[3] = "ab"
		printf "pad\tv\ttail\n"
		for (r = 0; r < 700; r++) {
			pad = ""
			for (k = 0; k < r % 131; k++) pad = pad (k % 3 ? "x" : "ộ")
			printf "%s\t%s\t%s\n", pad, sp[(r * 5 + int(r / 7)) % 4], r % 9 ? "c" : "c" bs "n"
		}
	}'
}

@test "a value spelt with a backslash is one group with its canonical spelling, on every code path" {
	escaped_values > "$T/e.tsv"
	[ "$(grep -c '\\' "$T/e.tsv")" -gt 500 ]
	want=$(tail -n +2 "$T/e.tsv" | awk -F'\t' '{ v = $2; if (v == "a\\qb") v = "a\\\\qb"; n[v]++ }
	    END { for (v in n) printf "%s\t%d\n", v, n[v] }' | sort)
	want_fmt=$(tail -n +2 "$T/e.tsv" | awk -F'\t' '{ v = $2; t = $3
	    if (v == "a\\tb") v = "A\tB"; else if (v == "a\\\\qb") v = "A\\QB"; else v = toupper(v)
	    if (t == "c\\n") t = "c\n"
	    printf "%s|%s\n", v, t }')
	for p in portable $(simd_paths); do
		DC_SIMD=$p run dc-count -g v "$T/e.tsv"
		[ "$status" -eq 0 ]
		[ "$(tail -n +2 <<<"$output" | sort)" = "$want" ]
		DC_SIMD=$p run dc-fmt -t '{v|upper}|{tail}' "$T/e.tsv"
		[ "$status" -eq 0 ]
		[ "$output" = "$want_fmt" ]
	done
}

@test "a wrong field count is found at any position of a long line" {
	many_fields > "$T/m.tsv"
	sed '200s/\t//' "$T/m.tsv" > "$T/short.tsv"
	run dc-count "$T/short.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: $T/short.tsv:200: has 39 fields, header has 40" ]
	sed '123s/$/\tx/' "$T/m.tsv" > "$T/long.tsv"
	run dc-grep -c f1~. "$T/long.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/long.tsv:123: has 41 fields, header has 40" ]
}

@test "invalid UTF-8 is found wherever it falls in a block" {
	for pos in 1 15 16 17 31 33 100; do
		awk -v pos=$pos 'BEGIN { printf "a\tb\n"; for (r = 0; r < 50; r++) printf "Ngọc Lũ\tx\n";
			s = ""; for (k = 1; k < pos; k++) s = s "y"; printf "%s\xe1\xbb\tz\n", s }' > "$T/u.tsv"
		run dc-grep -c a~. "$T/u.tsv"
		[ "$status" -eq 2 ]
		[ "$output" = "dc-grep: $T/u.tsv:52: invalid UTF-8 at byte $pos" ]
	done
}

@test "a NUL byte is an error" {
	printf 'a\tb\nx\ty\nx\0\ty\n' > "$T/nul.tsv"
	run dc-count "$T/nul.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: $T/nul.tsv:3: NUL byte at byte 2" ]
}

@test "legacy 8-bit Vietnamese (TCVN3) is rejected, not mangled" {
	# "Ngäc Lò" as TCVN3 bytes
	printf 'a\tb\nNg\xe4c L\xf2\t1\n' > "$T/tcvn.tsv"
	run dc-fmt -t '{a}' "$T/tcvn.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-fmt: $T/tcvn.tsv:2: invalid UTF-8 at byte 3" ]
}

@test "escapes: tools unescape to interpret and write escaped" {
	printf 'id\tdate\tnote\nA1\t2024-01-01\ttab\\there\\nnew\\\\back\\x\\\n' > "$T/e.tsv"
	# Bytes, not state: with only id, date and note the record would be
	# an end record, absent from the state; read it as a version.
	run dc-fmt --history -t '[{note}]' "$T/e.tsv"
	[ "$output" = "$(printf '[tab\there\nnew\\back\\x\\]')" ]
	run dc-grep --history 'note~^tab	here' "$T/e.tsv"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "$(printf 'A1\t2024-01-01\ttab\\there\\nnew\\\\back\\x\\')" ]
	run dc-count --history -g note "$T/e.tsv"
	[ "${lines[1]}" = "$(printf 'tab\\there\\nnew\\\\back\\\\x\\\\\t1')" ]
}

@test "an empty file has no header; a header-only file has no records" {
	: > "$T/empty.tsv"
	run dc-grep -c a=b "$T/empty.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/empty.tsv: empty file: no header line" ]
	printf 'a\tb\n' > "$T/h.tsv"
	run dc-grep a=b "$T/h.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'a\tb')" ]
	run dc-count "$T/h.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'count\n0')" ]
}

@test "header names: malformed and duplicated names are errors" {
	printf 'id\tName\nx\ty\n' > "$T/bad.tsv"
	run dc-grep -c id=x "$T/bad.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/bad.tsv:1: bad field name 'Name' in header (names are [a-z][a-z0-9_]*)" ]
	printf 'id\tdate\tid\nx\ty\tz\n' > "$T/dup.tsv"
	run dc-grep -c id=x "$T/dup.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/dup.tsv:1: field name 'id' appears twice in header" ]
}

@test "a header of 1 MB (120,000 fields) is read in linear time, by every reader" {
	awk 'BEGIN {
		printf "id\tdate"; for (i = 0; i < 120000; i++) printf "\tf%d", i; print ""
		printf "P000001\t2024-01-01"; for (i = 0; i < 120000; i++) printf "\tv%d", i; print ""
	}' > "$T/wide.tsv"
	[ "$(wc -c < "$T/wide.tsv")" -gt 1000000 ]
	run dc-grep -c f119999=v119999 "$T/wide.tsv"
	[ "$output" = 1 ]
	run dc-count -g f60000 "$T/wide.tsv"
	[ "${lines[1]}" = "v60000	1" ]
	run dc-fmt -t '{f0}{f119999}' "$T/wide.tsv"
	[ "$output" = v0v119999 ]
	run dc-check "$T/wide.tsv"
	[ "$status" -eq 0 ]
	# A name met again at the very end is found.
	sed '1s/$/\tf7/' "$T/wide.tsv" | sed '2s/$/\tx/' > "$T/dup.tsv"
	run dc-grep -c f7=v7 "$T/dup.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/dup.tsv:1: field name 'f7' appears twice in header" ]
}

@test "the Unicode version of the tables is the one the manual names" {
	v=$(sed -n 's/^const char unicode_version\[\] = "\([0-9.]*\)";$/\1/p' "$TOP/src/unidata.c")
	[ -n "$v" ]
	grep -q "Unicode $v" "$TOP/man/dc-format.5"
	grep -q "Unicode $v" "$TOP/man/dc-fmt.1"
	grep -q "Unicode $v" "$TOP/man/dc-add.1"
}

# Pipelines over the fixtures and the field-length test file, each run
# with the code path DC_SIMD names; their outputs, one file a path.
simd_pipelines() {
	local out="$1"
	many_fields > "$T/m.tsv"
	{
		dc-grep 'status=nghien' "$FIX/people.tsv" | dc-fmt -t '{id} {name|upper} {commune}'
		dc-grep -i 'name~hai' "$FIX/people.tsv" | dc-count -g commune,sex
		dc-fmt --table "$FIX/people.tsv"
		dc-count -g f17,f3 "$T/m.tsv"
		dc-grep 'f17~a' "$T/m.tsv" | dc-fmt --table
		dc-check "$FIX/people.tsv" "$FIX/cases.tsv" || echo "status $?"
		printf 'a\tb\nxxxxxxxxxxxxxxxxxxxx\xc3\x28x\tB\nc\td\te\n' |
		    dc-check - || echo "status $?"
	} > "$out" 2>&1
}

# The code paths this build and CPU run, past portable.
simd_paths() {
	local p
	for p in sse2 avx2 avx512; do
		DC_SIMD=$p dc-grep -c 'id=P000001' "$FIX/people.tsv" >/dev/null 2>&1 &&
		    echo "$p"
	done
}

@test "every DC_SIMD code path gives the same outputs as the portable one" {
	DC_SIMD=portable simd_pipelines "$T/portable"
	[ -s "$T/portable" ]
	for p in $(simd_paths); do
		DC_SIMD=$p simd_pipelines "$T/$p"
		cmp "$T/portable" "$T/$p"
	done
	simd_pipelines "$T/default"
	cmp "$T/portable" "$T/default"
}

# A file of 6,000 lines of Vietnamese text, of every length, so that
# characters straddle every place of the 64-byte blocks; every 37th line
# is damaged in one of nine ways, and some good lines hold the UTF-8
# sequences the block check leaves to the byte-wise one (E0, ED, F0, F4
# leads).  The awk that writes it writes what dc-check must say.
damaged_file() {
	LC_ALL=C awk -v name="$1" -v want="$2" 'BEGIN {
		split("\303\240|\341\272\241|\341\273\271|\304\221|a|b c|\340\244\205|\355\237\277|\360\220\200\200|\364\217\277\277", good, "|")
		split("\377|\341\272|\340\200\200|\355\240\200|\364\220\200\200|\001|\300\200|\370\210\200\200\200", bad, "|")
		print "id\ttext\tn"
		for (i = 1; i <= 6000; i++) {
			t = ""
			len = i % 131
			for (j = 0; j < len; j++)
				t = t good[(i * 7 + j * 3) % 10 + 1]
			kind = int(i / 37) % 9 + 1
			line = "L" i "\t" t
			if (i % 37 == 0 && want == "")
				continue
			if (i % 37 == 0 && kind <= 8) {
				at = length(line) + 1
				line = line bad[kind] "x\t" i
				why = kind == 6 ? "NUL byte" : "invalid UTF-8"
				printf "%s:%d: %s at byte %d\n", name, i + 1, why, at > want
			} else if (i % 37 == 0) {
				line = line "\t" i "\textra"
				printf "%s:%d: has 4 fields, header has 3\n", name, i + 1 > want
			} else
				line = line "\t" i
			print line
		}
	}' | tr '\001' '\000'
}

@test "every code path finds the same damaged lines in a large file, as written" {
	cd "$T"
	damaged_file d.tsv want > d.tsv
	[ "$(wc -l < want)" -eq 162 ]
	for p in portable $(simd_paths); do
		DC_SIMD=$p run dc-check d.tsv
		[ "$status" -eq 1 ]
		printf '%s\n' "$output" | grep -v '^dc-check: d.tsv: no schema' > "got-$p"
		diff want "got-$p"
	done
	# Without the damaged lines: every record, on every path.
	damaged_file g.tsv "" > g.tsv
	[ "$(wc -l < g.tsv)" -eq 5839 ]
	want=$(awk -F '\t' 'NR > 1 && $2 ~ /\355\237\277/' g.tsv | cksum)
	n=$(awk -F '\t' 'NR > 1 && $2 != ""' g.tsv | wc -l)
	for p in portable $(simd_paths); do
		[ "$(DC_SIMD=$p dc-grep -c --history 'text~.' g.tsv)" -eq "$n" ]
		[ "$(DC_SIMD=$p dc-grep --history "$(printf 'text~\355\237\277')" g.tsv |
		    tail -n +2 | cksum)" = "$want" ]
	done
}

@test "a DC_SIMD value that names no code path is an error" {
	DC_SIMD=mmx run dc-grep -c 'id=P000001' "$FIX/people.tsv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "dc-grep: DC_SIMD: unknown value 'mmx' (portable, sse2, avx2 or avx512)" ]
	DC_SIMD=portable run dc-grep -c 'id=P000001' "$FIX/people.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "1" ]
}

# The paths the CPU has (by /proc/cpuinfo) and the build has (by what
# its compiler targets: make check says in DC_TEST_CC) are the paths
# the programs run, so that the tests above skip none of them.
@test "DC_SIMD runs exactly the code paths the build and the CPU have" {
	[ -r /proc/cpuinfo ] && [ "$(uname -m)" = x86_64 ] || skip "not x86-64 Linux"
	[ -n "${DC_TEST_CC:-}" ] || skip "DC_TEST_CC unset: run by make check"
	built=0
	$DC_TEST_CC -dM -E - </dev/null | grep -q '^#define __SSE2__ ' && built=1
	for p in sse2 avx2 avx512; do
		case $p in
		sse2) flags='sse2' ;;
		avx2) flags='avx2 popcnt' ;;
		avx512) flags='avx512f avx512bw popcnt' ;;
		esac
		cpu=1
		for f in $flags; do
			grep -qw "$f" /proc/cpuinfo || cpu=0
		done
		DC_SIMD=$p run dc-grep -c 'id=P000001' "$FIX/people.tsv"
		if [ "$built" = 0 ]; then
			[ "$status" -eq 2 ]
			[ "$output" = "dc-grep: DC_SIMD=$p: this build has no $p code path" ]
		elif [ "$cpu" = 0 ]; then
			[ "$status" -eq 2 ]
			[ "$output" = "dc-grep: DC_SIMD=$p: this CPU has no $p code path" ]
		else
			[ "$status" -eq 0 ]
			[ "$output" = "1" ]
		fi
	done
}

# Found by fuzz-reader: a state note shorter than a date was read as ten
# bytes, past its end (a heap overflow under SAN=1).
@test "a state note too short for its date is a bad note" {
	for note in 'dc:state ' 'dc:state 2024-1' 'dc:state 2'; do
		run bash -c 'printf "id\tdate\tname\t#%s\nP1\t2024-01-01\tx\n" "$1" | dc-grep -c id=P1' _ "$note"
		[ "$status" -eq 2 ]
		[ "${lines[0]}" = "dc-grep: (standard input): bad note '#$note' in the header" ]
	done
}

# Found by fuzz-schema: a schema field without a proper name was taken,
# and dc-add --init then wrote a registry whose header no reader takes.
@test "a schema field name must be a field name" {
	for name in '' 'Name' '1st' 'ho ten'; do
		printf 'field\ttype\n%s\ttext\n' "$name" > "$T/p.schema"
		run dc-add --init "$T/p.tsv" -s "$T/p.schema"
		[ "$status" -eq 2 ]
		[ "$output" = "dc-add: $T/p.schema:2: bad field name '$name' (names are [a-z][a-z0-9_]*)" ]
		[ ! -e "$T/p.tsv" ]
	done
}

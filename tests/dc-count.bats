#!/usr/bin/env bats
# dc-count: groups, exact sums, distinct counts, shares, totals, order,
# wide columns, --merge, errors; the seed's figures from the fixtures; a
# history counted as its state, header notes, --part K/N and what
# --merge refuses (GNU parallel too); the command line.

load helper

small() {
	printf 'a\tb\tx\tid\n'
	printf '1\tNgọc Lũ\t1.5\tV1\n'
	printf '2\tAn Lão\t2\tV2\n'
	printf '1\tBình Nghĩa\t\tV1\n'
	printf '10\tĐồng Du\t3.25\t\n'
	printf '1\tVũ Bản\t1\tV3\n'
	printf '2\tAn Lão\t0.125\tV2\n'
}

setup() {
	T="$BATS_TEST_TMPDIR"
	small > "$T/s.tsv"
}

# The records of dc-count's seed pipelines: the reporting year 2024 runs
# from 2023-12-15 to 2024-12-14, counted on the state of its last day.
new_cases_2024() {
	dc-grep --asof 2024-12-14 kind=hinh_su 'opened>=2023-12-15' 'opened<=2024-12-14' "$FIX/cases.tsv"
}

@test "groups in Vietnamese order, exact sums at the column's scale, pct, total" {
	run dc-count -g b -s x -p -t "$T/s.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' \
	    'b	count	sum_x	pct' \
	    'An Lão	2	2.125	33.3' \
	    'Bình Nghĩa	1	0.000	16.7' \
	    'Đồng Du	1	3.250	16.7' \
	    'Ngọc Lũ	1	1.500	16.7' \
	    'Vũ Bản	1	1.000	16.7' \
	    'total	6	7.875	100.0')" ]
}

@test "numbers as group values are ordered by value" {
	run dc-count -g a -u id "$T/s.tsv"
	[ "$output" = "$(printf '%s\n' 'a	count	distinct_id' '1	3	2' '2	2	1' '10	1	0')" ]
}

@test "-n orders by count, ties alphabetically; -t counts distinct values overall" {
	run dc-count -n -t -g b -u id "$T/s.tsv"
	[ "$output" = "$(printf '%s\n' 'b	count	distinct_id' 'An Lão	2	1' \
	    'Bình Nghĩa	1	1' 'Đồng Du	1	0' 'Ngọc Lũ	1	1' 'Vũ Bản	1	1' \
	    'total	6	3')" ]
}

@test "several fields group field by field" {
	printf 'p\tq\nB\ty\nA\tz\nB\tx\nA\tz\n' > "$T/pq.tsv"
	run dc-count -g p,q "$T/pq.tsv"
	[ "$output" = "$(printf '%s\n' 'p	q	count' 'A	z	2' 'B	x	1' 'B	y	1')" ]
	run dc-count -g q,p -t "$T/pq.tsv"
	[ "${lines[3]}" = "$(printf 'z\tA\t2')" ]
	[ "${lines[4]}" = "$(printf 'total\ttotal\t4')" ]
}

@test "without -g: one record, also for an empty input; with -g an empty input gives the header" {
	run dc-count -s x -p "$T/s.tsv"
	[ "$output" = "$(printf 'count\tsum_x\tpct\n6\t7.875\t100.0')" ]
	printf 'a\tx\n' > "$T/empty.tsv"
	run dc-count -s x -p -t "$T/empty.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'count\tsum_x\tpct\n0\t0\t0.0')" ]
	run dc-count -g a "$T/empty.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\tcount')" ]
}

@test "standard input, and two spellings of one value are one group" {
	run_in "$(printf 'v\n\\\\q\n\\q\nx\\ty\n')" dc-count -g v
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'v\tcount\n\\\\q\t2\nx\\ty\t1')" ]
}

@test "integer sums stay integers; overflow is an error" {
	printf 'x\n9223372036854775806\n1\n' > "$T/big.tsv"
	run dc-count -s x "$T/big.tsv"
	[ "$output" = "$(printf 'count\tsum_x\n2\t9223372036854775807')" ]
	printf 'x\n9223372036854775807\n9223372036854775807\n' > "$T/over.tsv"
	run dc-count -s x "$T/over.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: $T/over.tsv:3: sum of 'x' overflows" ]
}

@test "trailing zeros cost no digits; a sum keeps the most decimals written" {
	printf 'v\n10.000000000000000000\n' > "$T/z.tsv"
	run dc-count -s v "$T/z.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'count\tsum_v\n1\t10.000000000000000000')" ]
	printf 'g\tv\na\t12.100\na\t1.000\nb\t2\n' > "$T/d.tsv"
	run dc-count -g g -s v -t "$T/d.tsv"
	[ "$output" = "$(printf 'g\tcount\tsum_v\na\t2\t13.100\nb\t1\t2.000\ntotal\t3\t15.100')" ]
	# the zeros are text: int64's largest still takes them
	printf 'v\n9223372036854775807\n0.000\n' > "$T/m.tsv"
	run dc-count -s v "$T/m.tsv"
	[ "$output" = "$(printf 'count\tsum_v\n2\t9223372036854775807.000')" ]
}

@test "a sum too exact for int64 says so; integer overflow keeps its message" {
	printf 'v\n12345678901\n0.000000000000000001\n' > "$T/p.tsv"
	run dc-count -s v "$T/p.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: $T/p.tsv:3: sum of 'v' needs more digits than int64 holds (decimals: 18)" ]
	printf 'v\n0.5\n9223372036854775807\n' > "$T/o.tsv"
	run dc-count -s v "$T/o.tsv"
	[ "$output" = "dc-count: $T/o.tsv:3: sum of 'v' needs more digits than int64 holds (decimals: 1)" ]
	printf 'v\n-9223372036854775807.5\n-9223372036854775807\n' > "$T/n.tsv"
	run dc-count -s v "$T/n.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: $T/n.tsv:2: field 'v': '-9223372036854775807.5' is out of range" ]
	printf 'v\n-922337203685477580.5\n-9223372036854775807\n' > "$T/n.tsv"
	run dc-count -s v "$T/n.tsv"
	[ "$output" = "dc-count: $T/n.tsv:3: sum of 'v' overflows" ]
}

@test "a value quoted in a message is cut on a character boundary" {
	printf 'x\nx%s\n' "$(printf 'đ%.0s' $(seq 40))" > "$T/long.tsv"
	run dc-count -s x "$T/long.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: $T/long.tsv:2: field 'x': 'x$(printf 'đ%.0s' $(seq 29))...' is not a number" ]
}

@test "number.c's vn_number (dc-fmt num, money): no leading zeros, no -0" {
	printf 'v\n0007\n-0007\n-0\n-0.0\n-0.5\n0001000.50\n' > "$T/v.tsv"
	run dc-fmt -t '{v|num}' "$T/v.tsv"
	[ "$output" = "$(printf '%s\n' 7 -7 0 0,0 -0,5 1.000,50)" ]
	printf 'v\n0001000\n-0\n' > "$T/m.tsv"
	run dc-fmt -t '{v|money}' "$T/m.tsv"
	[ "$output" = "$(printf '%s\n' 1.000đ 0đ)" ]
}

@test "--asof: only the newest record of each id dated on or before the day" {
	printf 'id\tdate\tcommune\tgrams\n' > "$T/h.tsv"
	printf 'V1\t2024-01-01\tAn Lão\t1.5\n' >> "$T/h.tsv"
	printf 'V2\t2024-01-02\tBình Nghĩa\t2\n' >> "$T/h.tsv"
	printf 'V1\t2024-03-01\tBình Nghĩa\t1.25\n' >> "$T/h.tsv"
	run dc-count --asof 2024-02-01 -g commune -s grams "$T/h.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 'commune	count	sum_grams' 'An Lão	1	1.5' 'Bình Nghĩa	1	2.0')" ]
	run dc-count --asof 2024-12-31 -g commune -s grams -t "$T/h.tsv"
	[ "$output" = "$(printf '%s\n' 'commune	count	sum_grams' 'Bình Nghĩa	2	3.25' 'total	2	3.25')" ]
	run dc-count --asof 2024-02-30 "$T/h.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: --asof: '2024-02-30' is not a date (YYYY-MM-DD)" ]
	run dc-count --asof 2024-12-31 "$T/s.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: --asof needs the fields id and date; the fields are: a, b, x, id" ]
	for o in '--asof 2024-12-31' --history '--part 1/2' '-s grams' '-u id' '-w id'; do
		run dc-count --merge $o "$T/h.tsv"
		[ "$status" -eq 2 ]
		[ "$output" = "$(printf '%s\n' \
		    "dc-count: --merge takes its sums from the input: no -s, -u, -w, --asof, --history or --part" \
		    "Try 'dc-count --help'.")" ]
	done
}

@test "a history is counted as its state today by default; --history counts every version" {
	printf 'id\tdate\tcommune\tgrams\tnote\n' > "$T/h.tsv"
	printf 'V1\t2024-01-01\tAn Lão\t1.5\t\n' >> "$T/h.tsv"
	printf 'V2\t2024-01-02\tBình Nghĩa\t2\t\n' >> "$T/h.tsv"
	printf 'V1\t2024-03-01\tBình Nghĩa\t1.25\t\n' >> "$T/h.tsv"
	printf 'V3\t2024-05-01\tĐồng Du\t4\t\n' >> "$T/h.tsv"
	printf 'V3\t2024-12-14\t\t\tchuyển đi\n' >> "$T/h.tsv"
	printf 'V2\t2025-01-01\tVũ Bản\t7\t\n' >> "$T/h.tsv"
	# DC_TODAY=2024-12-14: V3 has ended today, V2's move is tomorrow
	run dc-count -g commune -s grams -t "$T/h.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 'commune	count	sum_grams' 'Bình Nghĩa	2	3.25' 'total	2	3.25')" ]
	[ "$output" = "$(dc-count --asof 2024-12-14 -g commune -s grams -t "$T/h.tsv")" ]
	run env DC_TODAY=2025-01-01 dc-count -g commune "$T/h.tsv"
	[ "$output" = "$(printf '%s\n' 'commune	count' 'Bình Nghĩa	1' 'Vũ Bản	1')" ]
	run dc-count --history -g commune -s grams "$T/h.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 'commune	count	sum_grams' '	1	0.00' \
	    'An Lão	1	1.50' 'Bình Nghĩa	2	3.25' 'Đồng Du	1	4.00' 'Vũ Bản	1	7.00')" ]
	run env DC_TODAY=14/12/2024 dc-count "$T/h.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: DC_TODAY: '14/12/2024' is not a date (YYYY-MM-DD)" ]
}

@test "fixtures: --asof equals dc-grep --asof piped to dc-count" {
	run dc-count --asof 2024-06-30 -g commune -s heroin_g -t "$FIX/cases.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(dc-grep --asof 2024-06-30 "$FIX/cases.tsv" | dc-count -g commune -s heroin_g -t)" ]
}

@test "a value that is not a number is an error" {
	printf 'grams\n1.5\nabc\n' > "$T/bad.tsv"
	run dc-count -s grams "$T/bad.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: $T/bad.tsv:3: field 'grams': 'abc' is not a number" ]
	printf 'grams\n12,243\n' > "$T/comma.tsv"
	run dc-count -s grams "$T/comma.tsv"
	[ "$output" = "dc-count: $T/comma.tsv:2: field 'grams': '12,243' is not a number" ]
}

@test "unknown field, bad usage, --help, --version" {
	run dc-count -g commune "$T/s.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: unknown field 'commune'; the fields are: a, b, x, id" ]
	run dc-count -x "$T/s.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf '%s\n' "dc-count: unknown option '-x'" "Try 'dc-count --help'.")" ]
	run dc-count -w a -s x "$T/s.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf '%s\n' "dc-count: -w counts only: no -s or -u" "Try 'dc-count --help'.")" ]
	run dc-count --help
	[ "$status" -eq 0 ]
	[ "${lines[0]%% *}" = "usage:" ]
	run dc-count --version
	[ "$status" -eq 0 ]
	[ "$output" = "dc-count (dc-tools) 0.2.0" ]
}

@test "-w: the values of a field become columns" {
	run dc-count -g a -w b -t -p "$T/s.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' \
	    'a	total	an_lao	binh_nghia	dong_du	ngoc_lu	vu_ban	pct' \
	    '1	3	0	1	0	1	1	50.0' \
	    '2	2	2	0	0	0	0	33.3' \
	    '10	1	0	0	1	0	0	16.7' \
	    'total	6	2	1	1	1	1	100.0')" ]
}

@test "-w: an empty value is the column 'empty'; a real 'empty' then collides" {
	printf 'g\tv\na\tco\nb\t\na\t\n' > "$T/e.tsv"
	run dc-count -g g -w v "$T/e.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 'g	total	empty	co' 'a	2	1	1' 'b	1	1	0')" ]
	printf 'v\nempty\n\n' > "$T/ee.tsv"
	run dc-count -w v "$T/ee.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: the output would have two fields named 'empty'" ]
	printf 'v\n1%s\n' "$(printf 'đ%.0s' $(seq 40))" > "$T/long.tsv"
	run dc-count -w v "$T/long.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: -w v: value '1$(printf 'đ%.0s' $(seq 29))...' cannot be a column name" ]
}

@test "-g may be repeated: its fields add up like those of -s and -u" {
	printf 'p\tq\tx\nB\ty\t1\nA\tz\t2\nB\tx\t3\nA\tz\t4\n' > "$T/pq.tsv"
	run dc-count -g p -g q -s x "$T/pq.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(dc-count -g p,q -s x "$T/pq.tsv")" ]
	[ "${lines[0]}" = "$(printf 'p\tq\tcount\tsum_x')" ]
	[ "${lines[1]}" = "$(printf 'A\tz\t2\t6')" ]
}

@test "--merge: repeated headers skipped, totals ignored, pct recomputed" {
	small | sed -n '1p;2,3p' | dc-count -g b -s x -p -t > "$T/m1"
	small | sed -n '1p;4,7p' | dc-count -g b -s x -p -t > "$T/m2"
	run bash -c "cat '$T/m1' '$T/m2' | dc-count --merge -p -t"
	[ "$status" -eq 0 ]
	[ "$output" = "$(dc-count -g b -s x -p -t "$T/s.tsv")" ]
	run dc-count --merge -g a "$T/m1"
	[ "$status" -eq 2 ]
	run dc-count --merge "$T/m1" "$T/m2"
	[ "$output" = "$(dc-count -g b -s x "$T/s.tsv")" ]
}

@test "--merge keeps a group named total; a -t total is only the last row adding up its stream" {
	printf 'g\tv\ntotal\t1\nx\t2\n' > "$T/tv.tsv"
	run bash -c "dc-count -g g '$T/tv.tsv' | dc-count --merge"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'g\tcount\ntotal\t1\nx\t1')" ]
	# its own -t total is skipped, in a concatenated stream and per file
	dc-count -g g -t "$T/tv.tsv" > "$T/t1"
	[ "$(tail -1 "$T/t1")" = "$(printf 'total\t2')" ]
	run bash -c "cat '$T/t1' '$T/t1' | dc-count --merge -t"
	[ "$output" = "$(printf 'g\tcount\ntotal\t2\nx\t2\ntotal\t4')" ]
	run dc-count --merge "$T/t1" "$T/t1"
	[ "$output" = "$(printf 'g\tcount\ntotal\t2\nx\t2')" ]
	# last, but its count is not the sum of the rows before it: data
	printf 'g\tcount\na\t1\ntotal\t5\n' > "$T/t2"
	run dc-count --merge "$T/t2"
	[ "$output" = "$(printf 'g\tcount\na\t1\ntotal\t5')" ]
	# adds up, but is not last: data
	printf 'g\tcount\na\t1\ntotal\t1\nb\t2\n' > "$T/t3"
	run dc-count --merge "$T/t3"
	[ "$output" = "$(printf 'g\tcount\na\t1\nb\t2\ntotal\t1')" ]
	# a bad count in a held row is still named by its line
	printf 'g\tcount\na\t1\ntotal\tx\n' > "$T/t4"
	run dc-count --merge "$T/t4"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: $T/t4:3: field 'count': 'x' is not a count" ]
}

@test "--merge -g rolls up to fewer group fields" {
	dc-count -g a,b -s x "$T/s.tsv" > "$T/ab"
	run dc-count --merge -g a "$T/ab"
	[ "$output" = "$(dc-count -g a -s x "$T/s.tsv")" ]
}

@test "--merge refuses distinct counts, other columns and another header" {
	dc-count -g b -u id "$T/s.tsv" > "$T/u"
	run dc-count --merge "$T/u"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: $T/u:1: field 'distinct_id': distinct counts cannot be merged exactly; count them in one pass" ]
	run dc-count --merge "$T/s.tsv"
	[ "$output" = "dc-count: $T/s.tsv:1: not dc-count output: no 'count' field" ]
	{ dc-count -g a -s x "$T/s.tsv"; dc-count -g b -s x "$T/s.tsv"; } > "$T/two"
	run dc-count --merge "$T/two"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: $T/two:5: header differs from the first input's" ]
}

# ---- the seed's figures from the fixtures ----

@test "fixtures: new criminal cases of 2024 by offence (45 = 46, 68.2; 5 = 14, 7.6)" {
	run bash -c "dc-grep --asof 2024-12-14 kind=hinh_su 'opened>=2023-12-15' \
	    'opened<=2024-12-14' '$FIX/cases.tsv' | dc-count -g offence -s defendants -p -t"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' \
	    'offence	count	sum_defendants	pct' \
	    'mua_ban	15	19	22.7' \
	    'tang_tru	45	46	68.2' \
	    'to_chuc_su_dung	5	14	7.6' \
	    'van_chuyen	1	1	1.5' \
	    'total	66	80	100.0')" ]
	# by calendar year, the cases of 15-31/12/2023 are missed and one of
	# 15/12/2024 (the year 2025) is counted
	run bash -c "dc-grep --asof 2024-12-31 kind=hinh_su 'opened>=2024-01-01' '$FIX/cases.tsv' | dc-count"
	[ "$output" = "$(printf 'count\n59')" ]
}

@test "fixtures: trafficking and transport together (16 = 20, 24.2) by --merge" {
	new_cases_2024 | dc-count -g offence -s defendants -p > "$T/by-offence"
	run bash -c "sed 's/^van_chuyen	/mua_ban	/' '$T/by-offence' | dc-count --merge -p"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' \
	    'offence	count	sum_defendants	pct' \
	    'mua_ban	16	20	24.2' \
	    'tang_tru	45	46	68.2' \
	    'to_chuc_su_dung	5	14	7.6')" ]
}

@test "fixtures: addicts on 2024-12-14 (129; 83 present, 46 away; 10 home or community, 73 methadone)" {
	dc-grep --asof 2024-12-14 status=nghien "$FIX/people.tsv" > "$T/addicts"
	run dc-count -w present "$T/addicts"
	[ "$output" = "$(printf 'total\tco\tkhong\n129\t83\t46')" ]
	run bash -c "dc-grep present=co '$T/addicts' | dc-count -g treatment"
	[ "$output" = "$(printf '%s\n' 'treatment	count' 'cong_dong	4' 'gia_dinh	6' 'methadone	73')" ]
	run bash -c "dc-grep present=co 'treatment~^(gia_dinh|cong_dong)$' '$T/addicts' | dc-count"
	[ "$output" = "$(printf 'count\n10')" ]
	# the same figures by awk over the records dc-grep kept
	[ "$(awk -F'\t' 'NR > 1 && $9 == "co" && $10 == "methadone"' "$T/addicts" | wc -l)" -eq 73 ]
}

@test "fixtures: seizures of 2024 (12.243 g heroin, 15.489 g synthetic)" {
	run bash -c "dc-grep --asof 2024-12-14 'opened>=2023-12-15' '$FIX/cases.tsv' |
	    dc-count -s heroin_g,synthetic_g"
	[ "$output" = "$(printf 'count\tsum_heroin_g\tsum_synthetic_g\n67\t12.243\t15.489')" ]
}

# ---- a large generated file, checked against awk ----

# 120,000 records with Vietnamese values, a few escaped TABs and
# backslashes, and grams with up to three decimals (some empty).
generate() {
	awk 'BEGIN {
		n = split("Ngọc Lũ,Bình Nghĩa,Trung Lương,Tiêu Động,An Lão,Bối Cầu,Vũ Bản,An Ninh,Bồ Đề,Tràng An,Đồng Du,Hưng Công,La Sơn,Đồn Xá,Mỹ Thọ,An Nội,Bình Mỹ", c, ",")
		m = split("nghiện,sử dụng,nghi nghiện,nghi sử dụng,sau cai,Ẩn\\tdanh,đường\\\\tắt", s, ",")
		seed = 12345
		print "id\ta\tb\tx"
		for (i = 1; i <= 120000; i++) {
			seed = (seed * 16807) % 2147483647
			r = seed % 1000000
			if (r % 97 == 0)
				x = ""
			else if (r % 5 == 0)
				x = int(r / 7) % 1000
			else
				x = sprintf("%d.%03d", r % 500, int(r / 500) % 1000)
			printf "P%06d\t%s\t%s\t%s\n", i, c[1 + int(r / 13) % n], s[1 + int(r / 17) % m], x
		}
	}'
}

# The same answer as dc-count -g a,b -s x -p, in integer thousandths.
awk_count() {
	awk -F'\t' 'NR > 1 {
		k = $2 "\t" $3
		cnt[k]++
		v = $4
		if (v == "")
			v = "0"
		if (index(v, ".")) {
			split(v, part, ".")
			t = part[1] * 1000 + part[2]
		} else
			t = v * 1000
		sum[k] += t
		total++
	} END {
		for (k in cnt) {
			tenths = int((cnt[k] * 2000 + total) / (2 * total))
			printf "%s\t%d\t%d.%03d\t%d.%d\n", k, cnt[k],
			    int(sum[k] / 1000), sum[k] % 1000, int(tenths / 10), tenths % 10
		}
	}' "$@"
}

@test "differential: 120,000 records, counts, sums and pct equal awk's" {
	generate > "$T/big.tsv"
	[ "$(wc -l < "$T/big.tsv")" -eq 120001 ]
	grep -q 'Ẩn\\tdanh' "$T/big.tsv"
	run dc-count -g a,b -s x -p "$T/big.tsv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(printf 'a\tb\tcount\tsum_x\tpct')" ]
	printf '%s\n' "${lines[@]:1}" | sort > "$T/dc"
	awk_count "$T/big.tsv" | sort > "$T/awk"
	[ "$(wc -l < "$T/awk")" -eq 119 ]
	cmp "$T/dc" "$T/awk"
}

@test "split in 4 parts, counted apart and merged, equals one pass" {
	generate > "$T/big.tsv"
	tail -n +2 "$T/big.tsv" | (cd "$T" && split -l 30001 - part.)
	for p in "$T"/part.*; do
		{ head -1 "$T/big.tsv"; cat "$p"; } | dc-count -g a,b -s x -p -t > "$p.count"
	done
	[ "$(ls "$T"/part.*.count | wc -l)" -eq 4 ]
	dc-count -g a,b -s x -p -t "$T/big.tsv" > "$T/one"
	cat "$T"/part.*.count | dc-count --merge -p -t > "$T/merged"
	cmp "$T/one" "$T/merged"
	dc-count --merge -p -t "$T"/part.*.count > "$T/merged2"
	cmp "$T/one" "$T/merged2"
}

# ---- the current state, header notes, parts and what --merge refuses ----

# The state of the history FILE as of DAY by awk, counted by commune:
# "commune<TAB>count" lines in byte order.  Each id's newest record dated
# on or before DAY (on equal dates the later line); an end record (every
# field but id, date and note empty) takes the id out.
awk_state_by_commune() {
	awk -F'\t' -v day="$2" '
	NR == 1 {
		for (i = 1; i <= NF; i++)
			f[$i] = i
		next
	}
	$f["date"] <= day && (!($1 in held) || $f["date"] >= held[$1]) {
		held[$1] = $f["date"]
		ended = 1
		for (i = 1; i <= NF; i++)
			if (i != f["id"] && i != f["date"] && i != f["note"] && $i != "")
				ended = 0
		gone[$1] = ended
		commune[$1] = $f["commune"]
	}
	END {
		for (id in held)
			if (!gone[id])
				n[commune[id]]++
		for (c in n)
			print c "\t" n[c]
	}' "$1" | sort
}

# dc-count's rows without the header, in byte order, to compare with awk.
rows() {
	tail -n +2 "$@" | sort
}

@test "fixtures: people are counted, not versions (Ngọc Lũ 130 people, 155 versions)" {
	run dc-count -g commune "$FIX/people.tsv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(printf 'commune\tcount')" ]
	[ "${lines[13]}" = "$(printf 'Ngọc Lũ\t130')" ]
	[ "$(printf '%s\n' "$output" | rows)" = "$(awk_state_by_commune "$FIX/people.tsv" 2024-12-14)" ]
	[ "$(printf '%s\n' "$output" | rows | awk -F'\t' '{ n += $2 } END { print n }')" -eq 750 ]
	run dc-count --history -g commune "$FIX/people.tsv"
	[ "${lines[13]}" = "$(printf 'Ngọc Lũ\t155')" ]
	[ "$(awk -F'\t' '$7 == "Ngọc Lũ"' "$FIX/people.tsv" | wc -l)" -eq 155 ]
	# another day
	run dc-count --asof 2024-06-30 -g commune "$FIX/people.tsv"
	[ "$(printf '%s\n' "$output" | rows)" = "$(awk_state_by_commune "$FIX/people.tsv" 2024-06-30)" ]
}

@test "fixtures: dc-grep's state piped to dc-count: co 83, khong 46, and no note" {
	run bash -c "dc-grep status=nghien '$FIX/people.tsv' | dc-count -g present"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 'present	count' 'co	83' 'khong	46')" ]
	# the figures of awk over the state
	[ "$(awk -F'\t' -v day=2024-12-14 'NR > 1 && $2 <= day && (!($1 in d) || $2 >= d[$1]) {
		d[$1] = $2; s[$1] = $8; p[$1] = $9 }
		END { for (id in s) if (s[id] == "nghien") n[p[id]]++; print n["co"], n["khong"] }' \
	    "$FIX/people.tsv")" = "83 46" ]
}

@test "a selection of versions (dc-grep --history) is refused unless --history" {
	run bash -c "dc-grep --history status=nghien '$FIX/people.tsv' | dc-count -g present"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: (standard input): a selection of record versions (dc-grep --history): not a registry's state, nor a whole history; give --history to take every version as it is, or select from the state (dc-grep without --history)" ]
	run bash -c "dc-grep --history status=nghien '$FIX/people.tsv' | dc-count --history -g present"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'present\tcount\n%s' "$(awk -F'\t' 'NR > 1 && $8 == "nghien" { n[$9]++ }
	    END { printf "co\t%d\nkhong\t%d", n["co"], n["khong"] }' "$FIX/people.tsv")")" ]
}

@test "header notes: #dc:part K/N with --part, #dc:piped for a history from a pipe" {
	printf 'id\tdate\tcommune\n' > "$T/h.tsv"
	printf 'V%d\t2024-01-01\tAn Lão\n' 1 2 3 4 5 6 >> "$T/h.tsv"
	run dc-count "$T/h.tsv"
	[ "$output" = "$(printf 'count\n6')" ]
	run bash -c "dc-count < '$T/h.tsv'"
	[ "$output" = "$(printf 'count\n6')" ]
	run bash -c "cat '$T/h.tsv' | dc-count"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'count\t#dc:piped\n6')" ]
	# from a pipe, with every version or as a declared state: whole
	run bash -c "cat '$T/h.tsv' | dc-count --history"
	[ "$output" = "$(printf 'count\n6')" ]
	run bash -c "dc-grep '$T/h.tsv' | dc-count"
	[ "$output" = "$(printf 'count\n6')" ]
	# not a history: the records of a pipe add up as they are
	run bash -c "cut -f 3 '$T/h.tsv' | dc-count"
	[ "$output" = "$(printf 'count\n6')" ]
	run dc-count --part 2/3 -g commune "$T/h.tsv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(printf 'commune\tcount\t#dc:part 2/3')" ]
	run bash -c "cat '$T/h.tsv' | dc-count --part 2/3"
	[ "${lines[0]}" = "$(printf 'count\t#dc:piped')" ]
	run bash -c "cut -f 3 '$T/h.tsv' | dc-count --part 2/3"
	[ "$output" = "$(printf 'count\t#dc:part 2/3\n2')" ]
	# the notes are one field the tools read past: cut and awk still work
	[ "$(dc-count --part 2/3 -g commune "$T/h.tsv" | cut -f 1,2 | head -1)" = "$(printf 'commune\tcount')" ]
}

@test "--merge: all parts of one split add up; a missing, repeated or foreign part is refused" {
	printf 'id\tdate\tcommune\n' > "$T/h.tsv"
	for i in $(seq 40); do
		printf 'V%d\t2024-01-01\t%s\n' "$i" "$( [ $((i % 3)) -eq 0 ] && echo 'An Lão' || echo 'Vũ Bản')"
	done >> "$T/h.tsv"
	for k in 1 2 3; do dc-count --part $k/3 -g commune -t "$T/h.tsv" > "$T/c$k"; done
	dc-count --part 1/2 -g commune "$T/h.tsv" > "$T/d1"
	dc-count -g commune -t "$T/h.tsv" > "$T/one"
	[ "$(cat "$T/one")" = "$(printf '%s\n' 'commune	count' 'An Lão	13' 'Vũ Bản	27' 'total	40')" ]
	run dc-count --merge -t "$T/c2" "$T/c3" "$T/c1"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$T/one")" ]
	run bash -c "cat '$T/c3' '$T/c1' '$T/c2' | dc-count --merge -t"
	[ "$output" = "$(cat "$T/one")" ]
	run dc-count --merge "$T/c1" "$T/c3"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: part 2/3 is missing: merge every part of the split, 1/3 to 3/3" ]
	run dc-count --merge "$T/c2"
	[ "$output" = "dc-count: parts 1/3, 3/3 are missing: merge every part of the split, 1/3 to 3/3" ]
	run dc-count --merge "$T/c1" "$T/c2" "$T/c1" "$T/c3"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: $T/c1:1: part 1/3 a second time: merge each part once" ]
	run bash -c "cat '$T/c1' '$T/c2' '$T/c2' | dc-count --merge"
	[ "$output" = "dc-count: (standard input):9: part 2/3 a second time: merge each part once" ]
	run dc-count --merge "$T/c1" "$T/c2" "$T/c3" "$T/d1"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: $T/d1:1: part 1/2 is not of the split of part 1/3 ($T/c1:1): merge the parts of one --part K/N split" ]
	# 9 of 10 parts missing: the message stays short
	dc-count --part 4/10 -g commune "$T/h.tsv" > "$T/e4"
	run dc-count --merge "$T/e4"
	[ "$output" = "dc-count: parts 1/10, 2/10, 3/10, 5/10, 6/10, 7/10, 8/10, 9/10, ... are missing: merge every part of the split, 1/10 to 10/10" ]
}

@test "--merge: a part with no ids is still a part (a header alone)" {
	printf 'id\tdate\tcommune\nV1\t2024-01-01\tAn Lão\n' > "$T/h.tsv"
	dc-count --part 1/2 -g commune "$T/h.tsv" > "$T/p1"
	dc-count --part 2/2 -g commune "$T/h.tsv" > "$T/p2"
	[ "$(cat "$T/p1" "$T/p2" | wc -l)" -eq 3 ]
	run dc-count --merge "$T/p1" "$T/p2"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'commune\tcount\nAn Lão\t1')" ]
	run bash -c "cat '$T/p2' '$T/p1' | dc-count --merge"
	[ "$output" = "$(printf 'commune\tcount\nAn Lão\t1')" ]
	# which one is empty depends on the hash; either alone is refused
	run dc-count --merge "$T/p1"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: part 2/2 is missing: merge every part of the split, 1/2 to 2/2" ]
	run dc-count --merge "$T/p2"
	[ "$output" = "dc-count: part 1/2 is missing: merge every part of the split, 1/2 to 2/2" ]
}

@test "--merge refuses counts of a history read from a pipe, and notes it does not know" {
	printf 'id\tdate\tcommune\nV1\t2024-01-01\tAn Lão\n' > "$T/h.tsv"
	cat "$T/h.tsv" | dc-count -g commune > "$T/piped"
	[ "$(head -1 "$T/piped")" = "$(printf 'commune\tcount\t#dc:piped')" ]
	run dc-count --merge "$T/piped"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: $T/piped:1: cannot merge counts of a history read from a pipe (#dc:piped): the versions of an id may have been cut apart between blocks; count the whole registry with --part K/N instead" ]
	dc-count -g commune "$T/h.tsv" > "$T/whole"
	run bash -c "cat '$T/whole' '$T/piped' | dc-count --merge"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: (standard input):3: cannot merge counts of a history read from a pipe (#dc:piped): the versions of an id may have been cut apart between blocks; count the whole registry with --part K/N instead" ]
	printf 'commune\tcount\t#dc:state 2024-12-14\nAn Lão\t1\n' > "$T/odd"
	run dc-count --merge "$T/odd"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: $T/odd:1: the header's note '#dc:state 2024-12-14' is not one of dc-count's (#dc:part K/N, #dc:piped)" ]
	for bad in 'dc:part 3/2' 'dc:part 0/2' 'dc:part 1/2x' 'dc:part 1/0'; do
		printf 'commune\tcount\t#%s\nAn Lão\t1\n' "$bad" > "$T/odd"
		run dc-count --merge "$T/odd"
		[ "$status" -eq 2 ]
		[ "$output" = "dc-count: $T/odd:1: the header's note '#$bad' is not one of dc-count's (#dc:part K/N, #dc:piped)" ]
	done
}

@test "--merge: counts of two registries (other offices, other people) add up" {
	mkdir "$T/a" "$T/b"
	cp "$FIX/people.tsv" "$T/a/people.tsv"
	# the second office: the same records under other ids
	sed '2,$s/^P/Q/' "$FIX/people.tsv" > "$T/b/people.tsv"
	dc-count -g commune "$T/a/people.tsv" > "$T/a.count"
	dc-count -g commune "$T/b/people.tsv" > "$T/b.count"
	run dc-count --merge -t "$T/a.count" "$T/b.count"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(printf 'commune\tcount')" ]
	[ "${lines[1]}" = "$(printf 'An Lão\t110')" ]
	[ "${lines[18]}" = "$(printf 'total\t1500')" ]
	[ "$output" = "$(dc-count -g commune -t "$T/a/people.tsv" "$T/b/people.tsv")" ]
	# one office split in parts, the other whole
	for k in 1 2; do dc-count --part $k/2 -g commune "$T/a/people.tsv" > "$T/a$k.count"; done
	run dc-count --merge -t "$T/a1.count" "$T/b.count" "$T/a2.count"
	[ "$output" = "$(dc-count -g commune -t "$T/a/people.tsv" "$T/b/people.tsv")" ]
}

# A history whose ids have versions far apart: 2,000 people entered at
# the start, 3,000 others after them, then, near the end, new versions
# of the first: a move to another commune, an end record, a version
# dated after today, two versions of one day (the later line wins), a
# change of status only.
far_history() {
	awk 'BEGIN {
		n = split("Ngọc Lũ,Bình Nghĩa,An Lão,Đồng Du,Vũ Bản,Tiêu Động,Bối Cầu", c, ",")
		print "id\tdate\tcommune\tstatus\tnote"
		for (i = 1; i <= 2000; i++)
			printf "P%05d\t2023-%02d-%02d\t%s\tnghien\t\n", i, 1 + i % 12, 1 + i % 28, c[1 + i % n]
		for (i = 1; i <= 3000; i++)
			printf "Q%05d\t2024-01-%02d\t%s\tsau_cai\tmới\n", i, 1 + i % 28, c[1 + i % n]
		for (i = 1; i <= 2000; i++) {
			if (i % 5 == 0)
				printf "P%05d\t2024-11-%02d\t%s\tnghien\tchuyển xã\n", i, 1 + i % 28, c[1 + (3 * i) % n]
			else if (i % 7 == 0)
				printf "P%05d\t2024-12-01\t\t\tchuyển đi\n", i
			else if (i % 11 == 0)
				printf "P%05d\t2025-01-%02d\t%s\tnghien\t\n", i, 1 + i % 28, c[1 + (3 * i) % n]
			else if (i % 13 == 0) {
				printf "P%05d\t2024-12-14\t%s\tnghien\t\n", i, c[1 + (i + 1) % n]
				printf "P%05d\t2024-12-14\t%s\tnghien\t\n", i, c[1 + (i + 2) % n]
			} else if (i % 3 == 0)
				printf "P%05d\t2024-10-01\t%s\tsau_cai\t\n", i, c[1 + i % n]
		}
	}'
}

@test "a history with versions far apart: --part K/N merged equals one pass (N = 2, 3, 4)" {
	far_history > "$T/far.tsv"
	# the versions of P00010 are 5,000 lines apart
	[ "$(grep -n '^P00010	' "$T/far.tsv" | cut -d: -f1 | tr '\n' ' ')" = "11 5007 " ]
	dc-count -g commune "$T/far.tsv" > "$T/one"
	rows "$T/one" > "$T/one.rows"
	awk_state_by_commune "$T/far.tsv" 2024-12-14 > "$T/awk"
	cmp "$T/one.rows" "$T/awk"
	[ "$(awk -F'\t' '{ n += $2 } END { print n }' "$T/awk")" -eq 4772 ]
	for n in 2 3 4; do
		rm -f "$T"/c.*
		for k in $(seq $n); do
			dc-count --part $k/$n -g commune "$T/far.tsv" > "$T/c.$k"
			[ "$(head -1 "$T/c.$k")" = "$(printf 'commune\tcount\t#dc:part %d/%d' $k $n)" ]
		done
		dc-count --merge "$T"/c.* > "$T/merged"
		cmp "$T/one" "$T/merged"
		# in parts, each id counted once: the parts' rows add up to it
		[ "$(cat "$T"/c.* | awk -F'\t' '$2 ~ /^[0-9]+$/ { n += $2 } END { print n }')" -eq 4772 ]
	done
}

# GNU parallel: the one CI installs (moreutils has another parallel).
need_gnu_parallel() {
	parallel --version 2>/dev/null | grep -q 'GNU parallel' ||
	    skip "GNU parallel is not installed (apt-get install parallel)"
}

@test "GNU parallel: --part K/N jobs merged equal one pass; --pipe blocks are refused" {
	need_gnu_parallel
	far_history > "$T/far.tsv"
	dc-count -g commune -t "$T/far.tsv" > "$T/one"
	for n in 2 3 4; do
		run bash -c "parallel --will-cite dc-count --part {}/$n -g commune '$T/far.tsv' \
		    ::: $(seq -s ' ' $n) | dc-count --merge -g commune -t"
		[ "$status" -eq 0 ]
		[ "$output" = "$(cat "$T/one")" ]
	done
	# blocks of the file: an id's versions fall into different blocks,
	# so adding up their counts would be wrong; the merge refuses them
	parallel --will-cite --pipe --block 20k --header : dc-count -g commune < "$T/far.tsv" > "$T/blocks"
	[ "$(grep -c '#dc:piped$' "$T/blocks")" -gt 4 ]
	[ "$(awk -F'\t' '$2 ~ /^[0-9]+$/ { n += $2 } END { print n }' "$T/blocks")" -ne 4772 ]
	run dc-count --merge -g commune "$T/blocks"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: $T/blocks:1: cannot merge counts of a history read from a pipe (#dc:piped): the versions of an id may have been cut apart between blocks; count the whole registry with --part K/N instead" ]
}

@test "fixtures: issue 8's parallel --pipe example exits 2 instead of printing An Lão 64" {
	need_gnu_parallel
	cd "$FIX"
	run bash -c "parallel --will-cite --pipe --block 10k --header : dc-count --asof 2024-12-14 -g commune < people.tsv | dc-count --merge -g commune"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: (standard input):1: cannot merge counts of a history read from a pipe (#dc:piped): the versions of an id may have been cut apart between blocks; count the whole registry with --part K/N instead" ]
	# the recipe of dc-count(1) gives the one-pass answer, An Lão 55
	run bash -c "parallel --will-cite dc-count --part {}/4 -g commune people.tsv ::: 1 2 3 4 | dc-count --merge -g commune"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "$(printf 'An Lão\t55')" ]
	[ "$output" = "$(dc-count -g commune people.tsv)" ]
}

@test "fixtures: dc-count(1)'s recipe with a shell loop gives the one-pass answer, An Lão 55" {
	cd "$FIX"
	for k in 1 2; do dc-count --part $k/2 -g commune people.tsv > "$T/c$k.tsv" & done; wait
	run dc-count --merge -g commune "$T/c1.tsv" "$T/c2.tsv"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "$(printf 'An Lão\t55')" ]
	[ "$output" = "$(dc-count -g commune people.tsv)" ]
	[ "$(head -1 "$T/c1.tsv")" = "$(printf 'commune\tcount\t#dc:part 1/2')" ]
}

# ---- the command line ----

@test "options anywhere before --; messages name the program, not its path" {
	run dc-count "$T/s.tsv" -g b -t
	[ "$status" -eq 0 ]
	[ "$output" = "$(dc-count -g b -t "$T/s.tsv")" ]
	cp "$T/s.tsv" "$T/-t"
	run bash -c "cd '$T' && dc-count -g b -- -t"
	[ "$status" -eq 0 ]
	[ "$output" = "$(dc-count -g b "$T/s.tsv")" ]
	run "$TOP/bin/dc-count" -q
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf '%s\n' "dc-count: unknown option '-q'" "Try 'dc-count --help'.")" ]
	run "$TOP/bin/dc-count" -g commune "$T/s.tsv"
	[ "$output" = "dc-count: unknown field 'commune'; the fields are: a, b, x, id" ]
}

@test "usage errors say what was wrong, then where to look; exit 2" {
	try="Try 'dc-count --help'."
	run dc-count -g
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf '%s\n' "dc-count: option '-g' needs a value" "$try")" ]
	run dc-count -ptz "$T/s.tsv"
	[ "$output" = "$(printf '%s\n' "dc-count: unknown option '-z'" "$try")" ]
	run dc-count "$T/s.tsv" --asof
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf '%s\n' "dc-count: option '--asof' needs a value" "$try")" ]
	run dc-count --merge=yes "$T/s.tsv"
	[ "$output" = "$(printf '%s\n' "dc-count: option '--merge' takes no value" "$try")" ]
	run dc-count --hist=1 "$T/s.tsv"
	[ "$output" = "$(printf '%s\n' "dc-count: option '--history' takes no value" "$try")" ]
	run dc-count --h "$T/s.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf '%s\n' "dc-count: option '--h' is ambiguous: --history, --help" "$try")" ]
	run dc-count --groups=b "$T/s.tsv"
	[ "$output" = "$(printf '%s\n' "dc-count: unknown option '--groups'" "$try")" ]
	# bad values of the view's options (the core's messages)
	run dc-count --part 3/2 "$T/s.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: --part: '3/2' is not K/N with 1 <= K <= N" ]
	run dc-count --part half "$T/s.tsv"
	[ "$output" = "dc-count: --part: 'half' is not K/N (such as 1/4)" ]
	# nothing on standard output
	run bash -c "dc-count -z 2>/dev/null"
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
}

@test "-h and --help print the usage and a line for every option" {
	run dc-count -h
	[ "$status" -eq 0 ]
	[ "$output" = "$(dc-count --help)" ]
	[ "${lines[0]}" = "usage: dc-count [-npt] [-j N] [-g FIELD,...] [-s FIELD,...] [-u FIELD,...]" ]
	for o in -g -s -u -p -t -n -w '-j, --jobs' --asof --history --part --merge '-h, --help' --version; do
		printf '%s\n' "$output" | grep -q -e "^  $o " || { echo "no line for $o"; false; }
	done
	# the lines every reader shares
	printf '%s\n' "$output" | grep -qx '  --history     every version of every record, not the state'
	printf '%s\n' "$output" | grep -qx '  --part K/N    only the ids of part K of N (to share work)'
	[ "${lines[${#lines[@]}-1]}" = "A history (fields id and date) is counted as its state today." ]
	run bash -c "dc-count --help 2>&1 >/dev/null"
	[ "$output" = "" ]
}

# Found by fuzz-text: a letter precomposed and the same letter written
# with its mark apart sorted apart (Ḍ U+1E0C, D + U+0323).
@test "a letter sorts alike precomposed and decomposed: the key is its NFC form's" {
	printf 'id\tname\nA1\t\xe1\xb8\x8ca\nA2\tda\nA3\tD\xcc\xa3a\nA4\tdz\nA5\t\xe1\xb8\x9fa\nA6\tfa\n' > "$T/s.tsv"
	run dc-count -g name "$T/s.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'name\tcount\nda\t1\ndz\t1\nfa\t1\nD\xcc\xa3a\t1\n\xe1\xb8\x8ca\t1\n\xe1\xb8\x9fa\t1')" ]
}

@test "-j N: the same counts as one process" {
	big_copies people
	big_copies cases
	for args in "-g commune,status" "-g commune -p -t -n" "" "-t -p" \
	    "--history -g status,sex -t" "--part 2/3 -g commune" \
	    "--asof 2023-06-01 -g status -p" "-u commune -g status" \
	    "-w sex -g commune -t" "--history -u name"; do
		dc-count -j 1 $args "$T/people.tsv" > "$T/one"
		for j in 2 3 7; do
			dc-count -j $j $args "$T/people.tsv" | cmp "$T/one" -
		done
	done
	for args in "-g state -s heroin_g,synthetic_g,fine -t -p" \
	    "--history -s heroin_g" "-g commune -s fine -n"; do
		dc-count -j 1 $args "$T/cases.tsv" > "$T/one"
		for j in 2 3; do
			dc-count --jobs $j $args "$T/cases.tsv" | cmp "$T/one" -
		done
	done
	# as awk counts every version
	awk -F'\t' 'NR > 1 { n[$7 "\t" $8]++ }
	    END { for (k in n) print k "\t" n[k] }' "$T/people.tsv" |
	    sort > "$T/awk"
	dc-count -j 2 --history -g commune,status "$T/people.tsv" |
	    tail -n +2 | sort | cmp "$T/awk" -
	# a part of a split, merged with the other parts, as ever
	for k in 1 2; do dc-count -j 2 --part $k/2 -g commune "$T/people.tsv" > "$T/c$k"; done
	dc-count --merge -g commune "$T/c1" "$T/c2" |
	    cmp - <(dc-count -j 1 -g commune "$T/people.tsv")
}

@test "-j N: decimals, sums and a pipe as in one pass" {
	{ printf 'g\tx\n'
	  awk 'BEGIN { for (i = 1; i <= 30000; i++)
		printf "%s\t%s\n", i % 3 ? "a" : "b",
		    i == 29000 ? "1.25000" : i % 7 ? i : "" }'; } > "$T/d.tsv"
	run dc-count -j 3 -g g -s x -t "$T/d.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(dc-count -j 1 -g g -s x -t "$T/d.tsv")" ]
	[ "${lines[1]}" = "a	20000	257118142.25000" ]
	dc-count -j 2 -g g -s x < "$T/d.tsv" | cmp - <(dc-count -j 1 -g g -s x "$T/d.tsv")
	# a sum that goes beyond int64 on the way, as one pass goes:
	# the processes leave it to one pass, which says where
	{ printf 'g\tx\n'
	  for i in $(seq 1 200); do printf 'a\t1\n'; done
	  printf 'a\t9000000000000000000\na\t9000000000000000000\na\t-9000000000000000000\n'
	  for i in $(seq 1 200); do printf 'a\t1\n'; done; } > "$T/o.tsv"
	for j in 1 2 3; do
		run dc-count -j $j -s x "$T/o.tsv"
		[ "$status" -eq 2 ]
		[ "$output" = "dc-count: $T/o.tsv:203: sum of 'x' overflows" ]
	done
}

@test "-j N: an error in the second half is the one one process reports" {
	big_copies cases
	n=$(wc -l < "$T/cases.tsv")
	awk -F'\t' -v OFS='\t' -v bad=$((n * 2 / 3)) 'NR == bad { $8 = "1.2.3" } 1' \
	    "$T/cases.tsv" > "$T/bad.tsv"
	for args in "-s heroin_g" "--history -g state -s heroin_g"; do
		for j in 1 2 3; do
			run dc-count -j $j $args "$T/bad.tsv"
			[ "$status" -eq 2 ]
			[ "$output" = "dc-count: $T/bad.tsv:$((n * 2 / 3)): field 'heroin_g': '1.2.3' is not a number" ]
		done
	done
}

@test "-j N: a number of processes from 1 to 64" {
	for bad in 0 x 100000; do
		run dc-count -j "$bad" "$FIX/people.tsv"
		[ "$status" -eq 2 ]
		[ "$output" = "dc-count: -j: '$bad' is not a number of processes from 1 to 64
Try 'dc-count --help'." ]
	done
	run dc-count -j 4 -g status "$FIX/people.tsv"
	[ "$output" = "$(dc-count -g status "$FIX/people.tsv")" ]
}

@test "-j N: the workers run (strace)" {
	command -v strace >/dev/null || skip "strace is not installed"
	big_copies people
	strace -f -e trace=process -o "$T/trace" dc-count -j 3 -g status "$T/people.tsv" > /dev/null ||
	    skip "strace cannot trace here"
	[ "$(grep -c '+++ exited with 0 +++' "$T/trace")" -eq 4 ]
	strace -f -e trace=process -o "$T/trace" dc-count -j 3 -g status < "$T/people.tsv" > /dev/null
	[ "$(grep -c '+++ exited with 0 +++' "$T/trace")" -eq 1 ]
	# -u: one process
	strace -f -e trace=process -o "$T/trace" dc-count -j 3 -u commune "$T/people.tsv" > /dev/null
	[ "$(grep -c '+++ exited with 0 +++' "$T/trace")" -eq 1 ]
}

#!/usr/bin/env bats
# dc-report end to end: the shipped reports of the fixtures, every seed
# figure, reporting periods and comparisons against an independent awk
# count, an office's own templates and figures, several offices, the
# sources, and errors.

load helper
bats_require_minimum_version 1.5.0

# The state of registry $2 as of day $1, counted by awk alone: for each id
# the last record of its newest date on or before the day, unless that
# record ends the id (nothing but id, date and note).  $3 is an awk
# condition on the winning record, with f["name"] the value of a field.
oracle() {
	awk -F'\t' -v day="$1" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{ line[NR] = $0; id[NR] = $1 }
	$2 <= day && (!($1 in d) || $2 >= d[$1]) {
		d[$1] = $2; win[$1] = NR; ended[$1] = 1
		for (i = 3; i <= NF; i++)
			if (i != col["note"] && $i != "") ended[$1] = 0
	}
	END {
		for (n = 2; n <= NR; n++) {
			if (win[id[n]] != n || ended[id[n]]) continue
			split(line[n], v, "\t")
			for (k in col) f[k] = v[col[k]]
			if ('"$3"') hits++
		}
		print hits + 0
	}' "$2"
}

# The value of figure $2 in dc-report --figures output $1 (key $3).
figure() {
	awk -F'\t' -v name="$2" -v key="${3:-}" '$2 == name && $3 == key { print $4; found = 1 }
	    END { exit !found }' "$1"
}

@test "the 2024 report equals the reviewed golden file" {
	cd "$TOP"
	dc-report -p 2024 fixtures/binhluc-2024 > "$T/out"
	diff -u tests/golden/report-2024.txt "$T/out"
}

@test "the funding report and a quarterly report equal their reviewed golden files" {
	cd "$TOP"
	dc-report -p 2024 -r funding fixtures/binhluc-2024 > "$T/funding"
	diff -u tests/golden/funding-2024.txt "$T/funding"
	dc-report -p 2024-Q3 fixtures/binhluc-2024 > "$T/q3"
	diff -u tests/golden/periodic-2024-Q3.txt "$T/q3"
}

@test "without -p, the report is of the last year closed by today" {
	cd "$TOP"
	dc-report -p 2024 fixtures/binhluc-2024 > "$T/p"
	dc-report fixtures/binhluc-2024 > "$T/default"
	cmp "$T/p" "$T/default"
	DC_TODAY=2024-12-13 dc-report --explain fixtures/binhluc-2024 > "$T/e"
	grep -q -- '--asof 2023-12-14 ' "$T/e"
}

# Each row: a phrase of the annual report that carries a figure, and what
# the seed says.  Where the seed contradicts itself, the report prints
# what the records say and the third column names the difference.
FIGURES='
Tổng số người nghiện ma túy trên địa bàn 129 người (Nam: 129)|seed: 129 (Nam: 129)|
83 người có mặt tại địa phương, 46 người không có mặt tại địa phương|seed: 83 / 46|
Người nghiện ma túy đang ở ngoài xã hội: 83 người, chiếm 64,3%|seed: 64,3%|
10 người đang cai nghiện tại gia đình, cộng đồng|seed: 10|
73 người đang điều trị nghiện các chất dạng thuốc phiện|seed: 73|
Người nghiện đang trong cơ sở cai nghiện của tỉnh: 46 người|seed: 46|
Người sử dụng trái phép chất ma túy ngoài xã hội 80 người (Nam: 80 người, Nữ: không)|seed: 80 (Nam: 80, Nữ: không)|
độ tuổi từ đủ 18 đến dưới 30 tuổi: 15 người; từ đủ 30 tuổi trở lên: 65 người|seed: 15 / 65|
có tiền án 24 người (tiền án về tội ma túy: 17 người; về tội khác: 07 người)|seed: 24 (17, 07)|
75 người có mặt tại địa phương, 05 người không có mặt tại địa phương|seed: 75 / 0|SEED INCONSISTENT: 75 + 0 is not 80; the records hold 5 users away
Người nghi nghiện ma túy 0 người|seed: 0|
Người nghi sử dụng trái phép chất ma túy 533 người. Độ tuổi từ đủ 18 đến dưới 30 tuổi: 172 người; từ đủ 30 tuổi trở lên: 361 người|seed: 533 (172, 361)|
Người bị quản lý sau cai nghiện ma túy 08 người|seed: 08|
có 17/17 xã, thị trấn có tệ nạn ma túy|seed: 17/17|
đã test 557/696 lượt đạt (80,0%)|seed: 557/696 (80,3%)|SEED WRONG: 557/696 is 80,0%, not 80,3%
dương tính 121 trường hợp (21,7%)|seed: 121 (21,7%)|
trên 1.530 lượt tuyên truyền lưu động|seed: 1.530|
trên 6.000 tờ rơi|seed: 6.000|
thu hút trên 6.000 lượt người tham dự|seed: 6.000|
bắt giữ, khởi tố: 67 vụ = 81 đối tượng|seed: 67 = 81|
khởi tố: 66 vụ = 80 bị can|seed: 66 = 80|
Xử phạt hành chính: 01 vụ = 01 đối tượng; phạt tiền, nộp NSNN 3.500.000đ|seed: 01 = 01, 3.500.000đ|
Số lượng ma túy thu giữ: 12,243g hêrôin; 15,489g ma túy tổng hợp|seed: 12,243g / 15,489g|
chuyển sang 03 vụ = 03 bị can; khởi tố mới 66 vụ = 80 bị can|seed: 03 = 03; 66 = 80|
Tội Tàng trữ trái phép chất ma túy: 45 vụ, 46 bị can, chiếm 68,2%|seed: 45 = 46, 68,2%|
Tội Mua bán, vận chuyển trái phép chất ma túy: 16 vụ, 20 bị can, chiếm 24,2%|seed: 16 = 20, 24,2%|
Tội Tổ chức sử dụng trái phép chất ma túy: 05 vụ, 14 bị can, chiếm 7,6%|seed: 05 = 14, 7,6%|
kết thúc điều tra 62 vụ = 71 bị can|seed: 62 = 71|
đang điều tra 07 vụ = 12 bị can|seed: 07 = 12|
xây dựng 06 vụ án điểm|seed: 06|
có 09/18 cơ sở Y tế đủ điều kiện xác định tình trạng nghiện|seed: 09/18|
Còn 09 xã (Ngọc Lũ, Bình Nghĩa, Trung Lương, Tiêu Động, An Lão, Bối Cầu, Vũ Bản, An Ninh, Bồ Đề)|seed: 09 named|SEED INCONSISTENT: later the seed says 08
đã xác định tình trạng nghiện cho 34 người; lập hồ sơ đưa đi cai nghiện bắt buộc: 34 người|seed: 34 / 34|
chịu sự quản lý sau cai: 08 người|seed: 08|
thuốc thay thế Methadone: 73 người|seed: 73|
'

@test "every figure of the annual seed report, phrase by phrase" {
	run dc-report -p 2024 "$FIX"
	[ "$status" -eq 0 ]
	while IFS='|' read -r phrase seed note; do
		[ -n "$phrase" ] || continue
		[[ "$output" == *"$phrase"* ]] || {
			echo "missing: $phrase ($seed) $note"
			false
		}
	done <<<"$FIGURES"
}

@test "every figure of the funding seed report, and the wrong total named" {
	run dc-report -p 2024 -r funding "$FIX"
	[ "$status" -eq 0 ]
	[[ "$output" == *"· Năm 2021: 0"* ]]
	[[ "$output" == *"· Năm 2022: 0"* ]]
	[[ "$output" == *"51.000.000đ (Năm mươi mốt triệu đồng)"* ]]
	[[ "$output" == *"102.000.000đ (Một trăm linh hai triệu đồng)"* ]]
	[[ "$output" == *"62.000.000đ (Sáu mươi hai triệu đồng)"* ]]
	[[ "$output" == *"130.000.000đ (Một trăm ba mươi triệu đồng)"* ]]
	[[ "$output" == *"Tổng số tiền: 294.000.000đ (Hai trăm chín mươi tư triệu đồng)"* ]]
	[[ "$output" == *"194.000.000đ (Một trăm chín mươi tư triệu đồng)"* ]]
	[[ "$output" == *"· Năm 2021: 17 xã, thị trấn có tệ nạn ma túy. Không có xã trọng điểm"* ]]
	[[ "$output" == *"· Năm 2022: 17 xã, thị trấn có tệ nạn ma túy. Có 01 xã trọng điểm về ma túy (xã Ngọc Lũ)"* ]]
	[[ "$output" == *"60.000.000đ (Sáu mươi triệu đồng)"* ]]
}

@test "the periodic report prints for a month, a quarter, 6 and 9 months" {
	for p in 2024-06 2024-Q3 2024-H1 2024-9M; do
		run dc-report -p "$p" "$FIX"
		[ "$status" -eq 0 ]
		[[ "$output" == *"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"* ]]
		[[ "$output" == *"Nơi nhận:"* ]]
	done
	run dc-report -p 2024-Q3 "$FIX"
	[[ "$output" == *"quý III năm 2024"* ]]
	[[ "$output" == *"(Số liệu từ ngày 15/6/2024 đến ngày 14/9/2024)"* ]]
}

@test "the frame of Nghị định 30/2020: issuing body, Quốc hiệu, number, place and date, signature" {
	run dc-report -p 2024 "$FIX"
	[ "${lines[0]}" = "ỦY BAN NHÂN DÂN HUYỆN BÌNH LỤC" ]
	[[ "$output" == *"Độc lập - Tự do - Hạnh phúc"* ]]
	[[ "$output" == *"Số: 245/BC-BCĐ"* ]]
	[[ "$output" == *"Bình Lục, ngày 14 tháng 12 năm 2024"* ]]
	[[ "$output" == *"Trần Quốc Hưng"* ]]
}

# Each period, its first and last day (the 14th convention, then the
# calendar), as dc-report --explain writes them.
PERIODS='
2024 2023-12-15 2024-12-14 2024-01-01 2024-12-31
2024-06 2024-05-15 2024-06-14 2024-06-01 2024-06-30
2024-01 2023-12-15 2024-01-14 2024-01-01 2024-01-31
2024-Q3 2024-06-15 2024-09-14 2024-07-01 2024-09-30
2024-Q1 2023-12-15 2024-03-14 2024-01-01 2024-03-31
2024-H1 2023-12-15 2024-06-14 2024-01-01 2024-06-30
2024-H2 2024-06-15 2024-12-14 2024-07-01 2024-12-31
2024-9M 2023-12-15 2024-09-14 2024-01-01 2024-09-30
2024-02 2024-01-15 2024-02-14 2024-02-01 2024-02-29
'

@test "-p: every kind of period gives figures an awk count of the registries agrees with" {
	# The calendar year closes on 31 December: the report is made after.
	export DC_TODAY=2024-12-31
	while read -r p start end cstart cend; do
		[ -n "$p" ] || continue
		for cal in "" --calendar; do
			s=$start e=$end
			[ -z "$cal" ] || { s=$cstart e=$cend; }
			dc-report $cal --figures -p "$p" "$FIX" > "$T/f"
			dc-report $cal --explain -p "$p" "$FIX" > "$T/e"
			# Events as the registry holds them now; stocks on the last day.
			grep -q -- "--asof $e 'opened>=$s' 'opened<=$e'" "$T/e" || { echo "$p $cal: not $s..$e"; false; }
			grep -q -- "--asof $DC_TODAY 'date>=$s' 'date<=$e'" "$T/e" || { echo "$p $cal: tests not now"; false; }
			grep -q -- "--asof $e status=nghien " "$T/e" || { echo "$p $cal: stock not on $e"; false; }
			y=${e%%-*} md=${e#*-}
			want=$(oracle "$e" "$FIX/people.tsv" 'f["status"] == "nghien"')
			[ "$(figure "$T/f" addicts)" = "$want" ] || { echo "$p $cal addicts"; false; }
			want=$(oracle "$e" "$FIX/people.tsv" 'f["status"] == "su_dung" && f["birth"] <= "'$((y - 18))-$md'" && f["birth"] > "'$((y - 30))-$md'"')
			[ "$(figure "$T/f" users_18_30)" = "$want" ] || { echo "$p $cal users_18_30"; false; }
			want=$(oracle "$DC_TODAY" "$FIX/tests.tsv" 'f["date"] >= "'$s'" && f["date"] <= "'$e'"')
			[ "$(figure "$T/f" tests)" = "$want" ] || { echo "$p $cal tests"; false; }
			want=$(oracle "$e" "$FIX/cases.tsv" 'f["kind"] == "hinh_su" && f["opened"] >= "'$s'" && f["opened"] <= "'$e'"')
			[ "$(figure "$T/f" crim_new)" = "$want" ] || { echo "$p $cal crim_new"; false; }
			want=$(oracle "$e" "$FIX/cases.tsv" 'f["state"] == "ket_thuc" && f["kind"] == "hinh_su" && f["date"] >= "'$s'"')
			[ "$(figure "$T/f" crim_concluded)" = "$want" ] || { echo "$p $cal crim_concluded"; false; }
			# The eve of the period: the day before it starts.
			evd=$(grep -A1 '^# crim_carried ' "$T/e" | sed -n 's/.*--asof \([0-9-]*\) .*/\1/p')
			[ "$(awk -v a="$evd" -v b="$s" 'BEGIN { print (a < b) }')" = 1 ]
			want=$(oracle "$evd" "$FIX/cases.tsv" 'f["state"] == "dang_dieu_tra" && f["kind"] == "hinh_su"')
			[ "$(figure "$T/f" crim_carried)" = "$want" ] || { echo "$p $cal crim_carried"; false; }
		done
	done <<<"$PERIODS"
}

@test "the eve of a period is the day before its start, across months, years and leap days" {
	export DC_TODAY=2024-12-31
	run dc-report --explain -p 2024-03 --calendar "$FIX"
	[[ "$output" == *"--asof 2024-02-29 kind=hinh_su state=dang_dieu_tra"* ]]
	run dc-report --explain -p 2024 "$FIX"
	[[ "$output" == *"--asof 2023-12-14 kind=hinh_su state=dang_dieu_tra"* ]]
	run dc-report --explain -p 2024 --calendar "$FIX"
	[[ "$output" == *"--asof 2023-12-31 kind=hinh_su state=dang_dieu_tra"* ]]
}

@test "the setting period_close=calendar is --calendar" {
	export DC_TODAY=2024-12-31
	cp -r "$FIX" "$T/o"
	printf 'period_close\tcalendar\n' >> "$T/o/report.tsv"
	dc-report --figures -p 2024 "$T/o" > "$T/a"
	dc-report --figures --calendar -p 2024 "$FIX" | sed 's/^Bình Lục/Bình Lục/' > "$T/b"
	cmp "$T/a" "$T/b"
}

@test "comparisons with the same period a year earlier, counted from the registries as they stand" {
	dc-report --figures -p 2024 "$FIX" > "$T/f"
	[ "$(awk -F'\t' '$2 == "addicts" { print $5 }' "$T/f")" = "$(oracle 2023-12-14 "$FIX/people.tsv" 'f["status"] == "nghien"')" ]
	[ "$(awk -F'\t' '$2 == "tests" { print $5 }' "$T/f")" = "$(oracle 2023-12-14 "$FIX/tests.tsv" 'f["date"] >= "2022-12-15"')" ]
	cp -r "$FIX" "$T/o"
	cat > "$T/o/cmp.txt" <<-'EOF'
	{addicts|prev} -> {addicts}: {addicts|change}
	{tests|prev} -> {tests}: {tests|change}
	{communes|prev} -> {communes}: {communes|change}
	{post_rehab|prev} -> {post_rehab}: {post_rehab|change}
	{seized_heroin|prev} -> {seized_heroin}: {seized_heroin|change}
	EOF
	run dc-report -p 2024 -r cmp "$T/o"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "88 -> 129: tăng 41 người (46,6%)" ]
	[ "${lines[1]}" = "602 -> 557: giảm 45 lượt (7,5%)" ]
	[ "${lines[2]}" = "17 -> 17: bằng cùng kỳ" ]
	[ "${lines[3]}" = "0 -> 8: tăng 08 người" ]
	[ "${lines[4]}" = "10.412 -> 12.243: tăng 1,831g (17,6%)" ]
}

@test "an office edits a sentence of a copied template and adds a figure to a copied definitions file" {
	cp -r "$FIX" "$T/o"
	cp "$TOP/src/report/annual.txt" "$T/o/annual.txt"
	cp "$TOP/src/report/figures.tsv" "$T/o/figures.tsv"
	sed -i 's/^3. Tình hình trồng trái phép cây có chất ma túy: .*/3. Tình hình trồng trái phép cây có chất ma túy: Trên địa bàn huyện chưa ghi nhận trường hợp vi phạm. Nữ nghiện: {women_addicts|pad2} người; người nghiện ở xã Ngọc Lũ: {ngoc_lu_addicts|pad2} người./' "$T/o/annual.txt"
	printf 'women_addicts\tstock\tpeople\t\tstatus=nghien sex=nu\t\tcount\tngười\t\n' >> "$T/o/figures.tsv"
	printf "ngoc_lu_addicts\tstock\tpeople\t\tstatus=nghien 'commune=Ngọc Lũ'\t\tcount\tngười\tNgười nghiện ở xã Ngọc Lũ\n" >> "$T/o/figures.tsv"
	run dc-report -p 2024 "$T/o"
	[ "$status" -eq 0 ]
	want=$(oracle 2024-12-14 "$FIX/people.tsv" 'f["status"] == "nghien" && f["commune"] == "Ngọc Lũ"')
	[ "$want" -gt 9 ]
	[[ "$output" == *"3. Tình hình trồng trái phép cây có chất ma túy: Trên địa bàn huyện chưa ghi nhận trường hợp vi phạm. Nữ nghiện: 0 người; người nghiện ở xã Ngọc Lũ: $want người."* ]]
	# Only the office's copy changed: the shipped report is as it was.
	run dc-report -p 2024 "$FIX"
	[[ "$output" != *"chưa ghi nhận"* ]]
}

@test "an office's figure of the same name replaces the shipped one" {
	cp -r "$FIX" "$T/o"
	printf 'name\tkind\tregistry\tdate\twhere\tby\tvalue\tunit\tnote\naddicts\tstock\tpeople\t\tstatus=nghien present=co\t\tcount\tngười\t\n' > "$T/o/figures.tsv"
	dc-report --figures -p 2024 "$T/o" > "$T/f"
	[ "$(figure "$T/f" addicts)" = 83 ]
	[ "$(figure "$T/f" users)" = 80 ]
}

@test "labels come from data; trafficking and transport are counted together as declared" {
	dc-report --figures -p 2024 "$FIX" > "$T/f"
	want=$(oracle 2024-12-14 "$FIX/cases.tsv" 'f["kind"] == "hinh_su" && f["opened"] >= "2023-12-15" && (f["offence"] == "mua_ban" || f["offence"] == "van_chuyen")')
	[ "$(figure "$T/f" crim_by_offence mua_ban)" = "$want" ]
	run figure "$T/f" crim_by_offence van_chuyen
	[ "$status" -eq 1 ]
	cp -r "$FIX" "$T/o"
	cp "$TOP/src/report/labels.tsv" "$T/o/labels.tsv"
	sed -i '/^offence\tvan_chuyen/d' "$T/o/labels.tsv"
	printf 'offence\tvan_chuyen\tVận chuyển trái phép chất ma túy\t\n' >> "$T/o/labels.tsv"
	run dc-report -p 2024 "$T/o"
	[ "$status" -eq 0 ]
	[[ "$output" == *"+ Tội Mua bán, vận chuyển trái phép chất ma túy: 15 vụ, 19 bị can"* ]]
	[[ "$output" == *"+ Tội Vận chuyển trái phép chất ma túy: 01 vụ, 01 bị can"* ]]
}

@test "two offices: counted figures add up exactly, ids never collapse across offices" {
	cp -r "$FIX" "$T/a"
	cp -r "$FIX" "$T/b"
	sed -i 's/^district\t.*/district\tHuyện B/' "$T/b/report.tsv"
	dc-report --figures -p 2024 "$FIX" > "$T/one"
	dc-report --figures -p 2024 -o "$T/a" "$T/a" "$T/b" > "$T/two"
	# Every counted figure of the total ("" office) is twice one office's.
	awk -F'\t' 'NR == FNR { if ($4 ~ /^-?[0-9.]+$/) v[$2 "\t" $3] = $4; next }
	    $1 == "" && ($2 "\t" $3) in v { n++; if ($4 != 2 * v[$2 "\t" $3]) { print "not doubled:", $2, $3, $4; bad = 1 } }
	    END { if (n < 50) { print "only", n; bad = 1 }; exit bad }' "$T/one" "$T/two"
	run dc-report -p 2024 -o "$T/a" "$T/a" "$T/b"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Tổng số người nghiện ma túy trên địa bàn 258 người (Nam: 258)"* ]]
	[[ "$output" == *"khởi tố: 132 vụ = 160 bị can"* ]]
}

@test "a template asks for a table per office; ID numbers stay masked" {
	cp -r "$FIX" "$T/a"
	cp -r "$FIX" "$T/b"
	sed -i 's/^district\t.*/district\tHuyện B/' "$T/b/report.tsv"
	printf 'name\tkind\tregistry\tdate\twhere\tby\tvalue\tunit\tnote\nids\tstock\tpeople\t\tstatus=nghien commune=Ngọc\\ Lũ\t\tlist cccd\t\t\n' > "$T/a/figures.tsv"
	sed -i 's/Ngọc\\ Lũ/'"'"'commune=Ngọc Lũ'"'"'/; s/commune='"'"'commune=/'"'"'commune=/' "$T/a/figures.tsv"
	cat > "$T/a/table.txt" <<-'EOF'
	{each office}| {office} | {addicts} | {crim_new} |
	{end}| Tổng | {addicts} | {crim_new} |
	{ids}
	EOF
	run dc-report -p 2024 -r table -o "$T/a" "$T/a" "$T/b"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "| Bình Lục | 129 | 66 |" ]
	[ "${lines[1]}" = "| Huyện B | 129 | 66 |" ]
	[ "${lines[2]}" = "| Tổng | 258 | 132 |" ]
	[[ "${lines[3]}" =~ ^\*{8}[0-9]{4}, ]]
	run dc-report -p 2024 -r table --show-cccd -o "$T/a" "$T/a"
	[[ "${lines[2]}" =~ ^[0-9]{12}, ]]
}

@test "--explain gives for each figure a dc-* pipeline that computes exactly it" {
	dc-report --figures -p 2024 "$FIX" > "$T/f"
	dc-report --explain -p 2024 "$FIX" > "$T/e"
	n=0
	while IFS= read -r head && IFS= read -r cmd; do
		name=${head#\# }; name=${name%% *}
		case $cmd in *'|'*|[0-9]*) continue ;; esac
		got=$(sh -c "$cmd" || true)
		case $name in
		*'|prev') want=$(awk -F'\t' -v n="${name%|prev}" '$2 == n && $3 == "" { print $5 }' "$T/f") ;;
		*) want=$(figure "$T/f" "$name") ;;
		esac
		[ "$got" = "$want" ] || { echo "$name: $cmd -> $got, not $want"; false; }
		n=$((n + 1))
	done < <(grep -v '^#   ' "$T/e" | grep -A1 '^# ' | grep -v '^--$')
	[ "$n" -ge 80 ]
	grep -qx '#   labels.tsv: offence=van_chuyen is counted as offence=mua_ban' "$T/e"
}

@test "--sources: the length and SHA-256 of every registry read; cut back, the registries give the same report" {
	cp -r "$FIX" "$T/o"
	dc-report -p 2024 "$T/o" > "$T/before"
	dc-report --sources -p 2024 "$T/o" > "$T/src"
	while IFS="$(printf '\t')" read -r path len sum; do
		[ "$(wc -c < "$path" | tr -d ' ')" = "$len" ]
		[ "$(sha256sum < "$path" | cut -d' ' -f1)" = "$sum" ]
	done < "$T/src"
	[ "$(wc -l < "$T/src")" -eq 6 ]
	grep -q "^$T/o/people.tsv	" "$T/src"
	tail -n 7 "$T/before" | grep -q "people.tsv"
	# The registries grow; the report changes; cut back, it is the same.
	dc-add "$T/o/people.tsv" name='Nguyễn Văn Mới' sex=nam birth=1990-01-01 commune='An Lão' status=nghien present=co > /dev/null
	dc-report -p 2024 "$T/o" > "$T/after"
	! cmp -s "$T/before" "$T/after"
	while IFS="$(printf '\t')" read -r path len sum; do
		head -c "$len" "$path" > "$path.cut" && mv "$path.cut" "$path"
	done < "$T/src"
	dc-report -p 2024 "$T/o" > "$T/again"
	cmp "$T/before" "$T/again"
}

@test "registries with problems: dc-check's findings, nothing on standard output, exit 2" {
	cp -r "$FIX" "$T/o"
	printf 'P999999\t2024-02-30\tX\tnam\t1990-01-01\t\tAn Lão\tnghien\tco\t\t\t\t\t\t\t\n' >> "$T/o/people.tsv"
	run --separate-stderr dc-report -p 2024 "$T/o"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"people.tsv:"*"2024-02-30"* ]]
	[[ "$stderr" == *"dc-report: $T/o: sổ có vấn đề (dc-check, ở trên)"* ]]
	[[ "$stderr" == *"không lập được báo cáo; không in gì."* ]]
}

@test "a template naming an unknown figure: the file and line, nothing printed" {
	cp -r "$FIX" "$T/o"
	printf 'dòng một\n{addicts} và {addictz|pad2}\n' > "$T/o/bad.txt"
	run --separate-stderr dc-report -p 2024 -r bad "$T/o"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == "dc-report: $T/o/bad.txt:2: không có số liệu, thiết đặt hay tên 'addictz'"* ]]
	printf '{if addicts}x\n' > "$T/o/bad.txt"
	run --separate-stderr dc-report -p 2024 -r bad "$T/o"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"bad.txt:1: {if} thiếu {end}"* ]]
	printf '{addicts|wrods}\n' > "$T/o/bad.txt"
	run --separate-stderr dc-report -p 2024 -r bad "$T/o"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"bad.txt:1: không có bộ lọc 'wrods'"* ]]
}

@test "a figure definition with a bad expression: the file and line" {
	cp -r "$FIX" "$T/o"
	printf 'name\tkind\tregistry\tdate\twhere\tby\tvalue\tunit\tnote\nx\tstock\tpeople\t\tstatuss=nghien\t\tcount\t\t\n' > "$T/o/figures.tsv"
	run --separate-stderr dc-report --figures -p 2024 "$T/o"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"$T/o/figures.tsv:2: "*"statuss"* ]]
	printf 'name\tkind\tregistry\tdate\twhere\tby\tvalue\tunit\tnote\nx\tstok\tpeople\t\t\t\tcount\t\t\n' > "$T/o/figures.tsv"
	run --separate-stderr dc-report --figures -p 2024 "$T/o"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"figures.tsv:2: kind 'stok'"* ]]
}

@test "usage: bad periods, the old -y, -d and -s say what to write instead" {
	run --separate-stderr dc-report -p 2024-13 "$FIX"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-p '2024-13': kỳ phải là 2024, 2024-06, 2024-Q3, 2024-H1, 2024-H2 hoặc 2024-9M"* ]]
	run --separate-stderr dc-report -y 2024 "$FIX"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-y đã bỏ: viết -p 2024"* ]]
	run --separate-stderr dc-report -d 2024-12-31 "$FIX"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-d đã bỏ"*"-p 2024"*"--calendar"* ]]
	run --separate-stderr dc-report -s funding "$FIX"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-s đã bỏ: viết -r funding"* ]]
	run --separate-stderr dc-report
	[ "$status" -eq 2 ]
	run --separate-stderr dc-report "$T/none"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"không phải thư mục"* ]]
}

@test "a period that has not ended is refused: its last day is not known yet" {
	run --separate-stderr dc-report -p 2025-01 "$FIX"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == "dc-report: kỳ 2025-01 chưa kết thúc: kỳ đến hết ngày 2025-01-14, hôm nay là 2024-12-14"* ]]
	run --separate-stderr dc-report --calendar -p 2024 "$FIX"
	[ "$status" -eq 2 ]
	DC_TODAY=2024-12-31 dc-report --calendar -p 2024 "$FIX" > /dev/null
}

@test "a correction is not a new event: a flow stays in the period of the event it corrects" {
	cp -r "$FIX" "$T/o"
	export DC_TODAY=2025-12-14
	dc-report --figures -p 2025 "$T/o" > "$T/before"
	# A test of 2024-11-20 and a case concluded on 2024-11-12, corrected
	# in 2025: they stay in 2024, and out of 2025.
	grep -q "^T000927	2024-11-20	" "$T/o/tests.tsv"
	dc-add "$T/o/tests.tsv" id=T000927 date=2025-01-10 note='sửa xã' > /dev/null
	dc-add "$T/o/cases.tsv" id=V000117 date=2025-02-01 heroin_g=0.5 > /dev/null
	dc-report --figures -p 2025 "$T/o" > "$T/after"
	[ "$(figure "$T/after" tests)" = "$(figure "$T/before" tests)" ]
	[ "$(figure "$T/after" crim_concluded)" = "$(figure "$T/before" crim_concluded)" ]
	dc-report --figures -p 2024 "$T/o" > "$T/y2024"
	[ "$(figure "$T/y2024" tests)" = 557 ]
	[ "$(figure "$T/y2024" crim_concluded)" = 62 ]
}

@test "a correction that changes what a figure selects stays on the event's day" {
	cp -r "$FIX" "$T/o"
	printf 'T009001\t2024-09-10\t\tBồ Đề\tam_tinh\t\nT009001\t2024-09-20\t\tBồ Đề\tduong_tinh\tsửa\n' >> "$T/o/tests.tsv"
	dc-report --figures -p 2024-09 "$FIX" > "$T/a"
	dc-report --figures -p 2024-09 "$T/o" > "$T/b"
	[ "$(figure "$T/b" tests)" = $(($(figure "$T/a" tests) + 1)) ]
	[ "$(figure "$T/b" tests_positive)" = $(($(figure "$T/a" tests_positive) + 1)) ]
	DC_TODAY=2024-12-14 dc-report --figures -p 2024-10 "$FIX" > "$T/c"
	DC_TODAY=2024-12-14 dc-report --figures -p 2024-10 "$T/o" > "$T/d"
	[ "$(figure "$T/d" tests_positive)" = "$(figure "$T/c" tests_positive)" ]
}

@test "a version dated before the one above it takes its place in the history: one event, one period" {
	cp -r "$FIX" "$T/o"
	dc-add "$T/o/tests.tsv" id=T000927 date=2023-12-01 person=P000486 'commune=Đồng Du' result=duong_tinh note=x > /dev/null
	dc-report --figures -p 2023 "$T/o" > "$T/a"
	dc-report --figures -p 2024 "$T/o" > "$T/b"
	[ "$(figure "$T/a" tests)" = 603 ]
	[ "$(figure "$T/b" tests)" = 556 ]
}

@test "a second rehab does not take the first out of its period; late entries keep the case balance" {
	cp -r "$FIX" "$T/o"
	dc-report --figures -p 2024-Q1 "$T/o" > "$T/a"
	grep -q "^P000461	.*	2024-01-29	" "$T/o/people.tsv"
	dc-add "$T/o/people.tsv" id=P000461 date=2024-09-01 status=sau_cai present=co treatment=khong rehab_end=2024-09-01 > /dev/null
	dc-add "$T/o/people.tsv" id=P000461 date=2024-11-20 status=nghien present=khong treatment=bat_buoc rehab_start=2024-11-20 rehab_end= > /dev/null
	dc-report --figures -p 2024-Q1 "$T/o" > "$T/b"
	[ "$(figure "$T/b" rehab_sent)" = "$(figure "$T/a" rehab_sent)" ]
	cp -r "$FIX" "$T/c"
	DC_TODAY=2024-12-20 dc-add "$T/c/cases.tsv" date=2024-12-20 opened=2024-12-10 kind=hinh_su offence=tang_tru defendants=1 state=dang_dieu_tra 'commune=An Lão' > /dev/null
	DC_TODAY=2024-12-20 dc-report --figures -p 2024 "$T/c" > "$T/f"
	[ $(($(figure "$T/f" crim_carried) + $(figure "$T/f" crim_new))) -eq \
	  $(($(figure "$T/f" crim_concluded) + $(figure "$T/f" crim_open) + $(figure "$T/f" crim_suspended) + $(figure "$T/f" crim_dropped))) ]
}

@test "a registry linked into two offices is refused" {
	cp -r "$FIX" "$T/b"
	sed -i 's/^district\t.*/district\tHuyện B/' "$T/b/report.tsv"
	rm "$T/b/people.tsv"
	ln "$FIX/people.tsv" "$T/b/people.tsv" 2>/dev/null || ln -s "$FIX/people.tsv" "$T/b/people.tsv"
	run --separate-stderr dc-report --figures -p 2024 "$FIX" "$T/b"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"cùng một sổ trong hai đơn vị"* ]]
}

@test "an office counted twice, or two offices of one name, are refused" {
	run --separate-stderr dc-report --figures -p 2024 "$FIX" "$FIX/"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"cùng một thư mục, một đơn vị không được tính hai lần"* ]]
	cp -r "$FIX" "$T/b"
	run --separate-stderr dc-report --figures -p 2024 "$FIX" "$T/b"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"hai đơn vị cùng tên 'Bình Lục'"* ]]
}

@test "a figure named like a setting or a built-in name is refused" {
	cp -r "$FIX" "$T/o"
	printf 'name\tkind\tregistry\tdate\twhere\tby\tvalue\tunit\tnote\nyear\tstock\tpeople\t\t\t\tcount\tngười\t\n' > "$T/o/figures.tsv"
	run --separate-stderr dc-report -p 2024 "$T/o"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"figures.tsv:2: số liệu 'year' trùng tên một thiết đặt hay tên có sẵn"* ]]
	printf 'name\tkind\tregistry\tdate\twhere\tby\tvalue\tunit\tnote\ndistrict\tstock\tpeople\t\t\t\tcount\tngười\t\n' > "$T/o/figures.tsv"
	run --separate-stderr dc-report -p 2024 "$T/o"
	[ "$status" -eq 2 ]
	printf 'name\tkind\tregistry\tdate\twhere\tby\tvalue\tunit\tnote\nx\tstock\tpeople\t\t\t\tcount\t\t\nx\tstock\tpeople\t\t\t\tcount\t\t\n' > "$T/o/figures.tsv"
	run --separate-stderr dc-report -p 2024 "$T/o"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"figures.tsv:3: số liệu 'x' đã có ở $T/o/figures.tsv:2"* ]]
}

@test "a registry without its schema is refused: a misspelt value would count 0" {
	cp -r "$FIX" "$T/o"
	rm "$T/o/tests.schema"
	run --separate-stderr dc-report -p 2024 "$T/o"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"tests.tsv: sổ không có lược đồ"* ]]
	cp "$FIX/tests.schema" "$T/o/"
	printf 'name\tkind\tregistry\tdate\twhere\tby\tvalue\tunit\tnote\nx\tflow\ttests\t\tresult=duongtinh\t\tcount\t\t\n' > "$T/o/figures.tsv"
	run --separate-stderr dc-report --figures -p 2024 "$T/o"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"figures.tsv:2: "*"duongtinh"* ]]
}

@test "only the registries a report reads are needed" {
	cp -r "$FIX" "$T/o"
	rm "$T/o/tests.tsv" "$T/o/people.tsv"
	run dc-report -p 2024 -r funding "$T/o"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Tổng số tiền: 294.000.000đ"* ]]
	run --separate-stderr dc-report -p 2024 "$T/o"
	[ "$status" -eq 2 ]
}

@test "a misspelt setting is found by the audit, not silently no setting" {
	cp -r "$FIX" "$T/o"
	printf 'Period_close\tcalendar\n' >> "$T/o/report.tsv"
	run --separate-stderr dc-report -p 2024 "$T/o"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"report.tsv:"*"'Period_close' is not one of"* ]]
}

@test "label groups are one level: a chain or a loop is refused" {
	cp -r "$FIX" "$T/o"
	cp "$TOP/src/report/labels.tsv" "$T/o/labels.tsv"
	sed -i 's/^\(offence\ttang_tru\t[^\t]*\)\t.*/\1\tto_chuc_su_dung/; s/^\(offence\tto_chuc_su_dung\t[^\t]*\)\t.*/\1\ttang_tru/' "$T/o/labels.tsv"
	grep -q "tang_tru	.*	to_chuc_su_dung$" "$T/o/labels.tsv"
	run --separate-stderr dc-report -p 2024 "$T/o"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"nhóm chỉ một bậc"* ]]
}

@test "over several offices a list names each office's values after it" {
	cp -r "$FIX" "$T/a"
	cp -r "$FIX" "$T/b"
	sed -i 's/^district\t.*/district\tHuyện B/' "$T/b/report.tsv"
	run dc-report -p 2024 -o "$T/a" "$T/a" "$T/b"
	[ "$status" -eq 0 ]
	[[ "$output" == *"02 xã trọng điểm về ma túy (xã Ngọc Lũ (Bình Lục); Ngọc Lũ (Huyện B))"* ]]
}

@test "a figure named only on the right of {if A=B} is computed" {
	cp -r "$FIX" "$T/o"
	printf 'name\tkind\tregistry\tdate\twhere\tby\tvalue\tunit\tnote\naddicts2\tstock\tpeople\t\tstatus=nghien\t\tcount\tngười\t\n' > "$T/o/figures.tsv"
	printf '{addicts} {if addicts=addicts2}same{else}differ{end}\n' > "$T/o/t.txt"
	run dc-report -p 2024 -r t "$T/o"
	[ "$output" = "129 same" ]
}

@test "the writing office's settings are audited too; nothing to check is no check" {
	mkdir "$T/w"
	printf 'key\tvalue\ndistrct\tX\n' > "$T/w/report.tsv"
	cp "$FIX/report.schema" "$T/w/"
	printf '{addicts}\n' > "$T/w/t.txt"
	run --separate-stderr dc-report -p 2024 -r t -o "$T/w" "$FIX"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"'distrct' is not one of"* ]]
	cp -r "$FIX" "$T/o"
	rm "$T/o/report.schema"
	printf '{place}\n' > "$T/o/t.txt"
	run dc-report -p 2024 -r t "$T/o" < /dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "Bình Lục" ]
}

@test "names a template gives meaning to are no figure names; no table by ID numbers unless asked" {
	cp -r "$FIX" "$T/o"
	printf 'name\tkind\tregistry\tdate\twhere\tby\tvalue\tunit\tnote\noffice\tstock\tpeople\t\t\t\tcount\t\t\n' > "$T/o/figures.tsv"
	run --separate-stderr dc-report --figures -p 2024 "$T/o"
	[ "$status" -eq 2 ]
	printf 'name\tkind\tregistry\tdate\twhere\tby\tvalue\tunit\tnote\nids\tstock\tpeople\t\tstatus=nghien\tcccd\tcount\t\t\n' > "$T/o/figures.tsv"
	run --separate-stderr dc-report --figures -p 2024 "$T/o"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"chỉ lập được với --show-cccd"* ]]
	dc-report --figures --show-cccd -p 2024 "$T/o" > /dev/null
}

@test "a figure named like a by field is refused; a list leaves out empty values" {
	cp -r "$FIX" "$T/o"
	printf 'name\tkind\tregistry\tdate\twhere\tby\tvalue\tunit\tnote\nproject\tstock\tpeople\t\tstatus=nghien\t\tcount\tngười\t\n' > "$T/o/figures.tsv"
	run --separate-stderr dc-report -p 2024 -r funding "$T/o"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"trùng tên trường 'by'"* ]]
	printf 'name\tkind\tregistry\tdate\twhere\tby\tvalue\tunit\tnote\nnotes\tflow\ttests\t\tdate=2024-11-20\t\tlist note\t\t\n' > "$T/o/figures.tsv"
	printf '[{notes}]\n' > "$T/o/t.txt"
	run dc-report -p 2024 -r t "$T/o"
	[ "$status" -eq 0 ]
	[[ "$output" != *", ]"* && "$output" != *"[, "* && "$output" != *", ,"* ]]
}

@test "the sources are the report's: the funding report reads two registries" {
	run dc-report --sources -p 2024 -r funding "$FIX"
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == "$FIX/communes.tsv	"* || "${lines[1]}" == "$FIX/communes.tsv	"* ]]
}

@test "dc-report run through a link finds the templates beside the program" {
	ln -s "$TOP/bin/dc-report" "$T/dc-report"
	run env -u DC_REPORT_LIB "$T/dc-report" -p 2024 -r funding "$FIX"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Tổng số tiền: 294.000.000đ"* ]]
}

@test "usage errors are in Vietnamese too" {
	run --separate-stderr dc-report --bogus "$FIX"
	[ "$status" -eq 2 ]
	[ "$stderr" = "dc-report: không có tùy chọn '--bogus' (hoặc nó không nhận giá trị)
Xem 'dc-report --help'." ]
	run --separate-stderr dc-report -p
	[ "$status" -eq 2 ]
	[[ "$stderr" == "dc-report: tùy chọn '-p' cần một giá trị"* ]]
}

@test "--help is in Vietnamese; --version" {
	run dc-report --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "Cách dùng: dc-report "* ]]
	[[ "$output" == *"kỳ báo cáo"* ]]
	run dc-report --version
	[ "$output" = "dc-report (dc-tools) 0.2.0" ]
}

@test "a batch cut off stops the report until it is undone; a bad DC_WAIT is an error" {
	cp -r "$TOP/fixtures/binhluc-2024" "$T/o"
	dc-report -p 2024 "$T/o" > "$T/before"
	size=$(stat -c %s "$T/o/people.tsv")
	printf 'dc-add journal\t1\nregistry\tpeople.tsv\nlength\t%s\nlog-length\t0\nbatch-bytes\t99\nbatch-sha256\t%064d\npid\t1\nend\n' \
	    "$size" 0 > "$T/o/people.journal"
	tail -n 1 "$T/o/people.tsv" | sed 's/^P[0-9]*/P999999/' >> "$T/o/people.tsv"
	run --separate-stderr dc-report -p 2024 "$T/o"
	[ "$status" -eq 2 ]
	# the audit beside it reports the batch: nothing is printed
	[ "$output" = "" ]
	[[ "$stderr" == *"the "*" bytes after byte $size are a batch that was cut off: not checked, not committed; dc-add --recover $T/o/people.tsv removes them"* ]]
	dc-add --recover "$T/o/people.tsv"
	dc-report -p 2024 "$T/o" | cmp - "$T/before"
	run --separate-stderr env DC_WAIT=later dc-report -p 2024 "$T/o"
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "$(printf '%s\n' "dc-report: DC_WAIT: 'later' is not a number of seconds" "dc-report: không lập được báo cáo; không in gì.")" ]
}

#!/usr/bin/env bats
# dc-report end to end: the 2024 report of the fixtures against a
# reviewed golden file, and figure by figure against the seed reports.

load helper

@test "the 2024 report equals the reviewed golden file" {
	cd "$TOP"
	run dc-report fixtures/binhluc-2024
	[ "$status" -eq 0 ]
	diff -u tests/golden/report-2024.txt - <<<"$output"
}

# Each row: a phrase of the report that carries a figure, and what the
# seed says.  Where the seed contradicts itself, the report prints what
# the records say and the third column names the difference.
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
thụ lý năm 2023 chuyển sang 03 vụ = 03 bị can|seed: 03 = 03|
Tội Tàng trữ trái phép chất ma túy: 45 vụ, 46 bị can, chiếm 68,2%|seed: 45, 46, 68,2%|
Tội Mua bán, vận chuyển trái phép chất ma túy: 16 vụ, 20 bị can, chiếm 24,2%|seed: 16, 20, 24,2%|
Tội Tổ chức sử dụng trái phép chất ma túy: 05 vụ, 14 bị can, chiếm 7,6%|seed: 05, 14, 7,6%|
Kết thúc điều tra 62 vụ = 71 bị can|seed: 62 = 71|
đang điều tra 07 vụ = 12 bị can|seed: 07 = 12|
xây dựng 06 vụ án điểm|seed: 06|
hiện có 09/18 cơ sở Y tế đủ điều kiện|seed: 09/18|
Còn 09 xã (Ngọc Lũ, Bình Nghĩa, Trung Lương, Tiêu Động, An Lão, Bối Cầu, Vũ Bản, An Ninh, Bồ Đề)|seed: 09 xã, 9 names|SEED INCONSISTENT: later the seed says 08 communes; the records list 9
xác định tình trạng nghiện cho 34 người; lập hồ sơ đưa đi cai nghiện bắt buộc: 34 người|seed: 34 / 34|
chịu sự quản lý sau cai: 08 người|seed: 08|
thuốc thay thế Methadone: 73 người|seed: 73|
· Năm 2021: 0|seed 000: 2021: 0|
· Năm 2022: 0|seed 000: 2022: 0|
+ Dự án 2: 51.000.000đ (Năm mươi mốt triệu đồng). Kinh phí cấp bổ sung 51.000.000đ (Năm mươi mốt triệu đồng). Tổng: 102.000.000đ (Một trăm linh hai triệu đồng).|seed 000: Dự án 2|
+ Dự án 3: 31.000.000đ (Ba mươi mốt triệu đồng). Kinh phí cấp bổ sung 31.000.000đ (Ba mươi mốt triệu đồng). Tổng: 62.000.000đ (Sáu mươi hai triệu đồng).|seed 000: Dự án 3|
+ Phương án 02: 130.000.000đ (Một trăm ba mươi triệu đồng).|seed 000: Phương án 02|
Tổng số tiền: 294.000.000đ (Hai trăm chín mươi tư triệu đồng)|seed 000: 194.000.000đ|SEED WRONG: its lines add up to 294.000.000đ
số tổng kê khai năm 2023 là 194.000.000đ (Một trăm chín mươi tư triệu đồng), nhưng các dòng cộng lại được 294.000.000đ|seed 000: the wrong total, called out|
· Năm 2021: 17 xã, thị trấn có tệ nạn ma túy. Không có xã trọng điểm về ma túy.|seed 000: 2021: 17, no key commune|
· Năm 2022: 17 xã, thị trấn có tệ nạn ma túy. Có 01 xã trọng điểm về ma túy (xã Ngọc Lũ).|seed 000: 2022: 17, Ngọc Lũ|
· Năm 2023: 17 xã, thị trấn có tệ nạn ma túy. Có 01 xã trọng điểm về ma túy (xã Ngọc Lũ).|seed 000: 2023: 17, Ngọc Lũ|
· Năm 2024: 17 xã, thị trấn có tệ nạn ma túy. Có 01 xã trọng điểm về ma túy (xã Ngọc Lũ). Dự kiến kinh phí phòng, chống tội phạm: 60.000.000đ (Sáu mươi triệu đồng).|seed 000: 2024: 17, Ngọc Lũ, 60.000.000đ planned|
'

# Every registry is taken as of the report day (--asof) or as a whole
# history (--history: the first year of the communes registry), never
# as of today: the report of a day is the same whenever it is written.
@test "the report does not depend on today" {
	cd "$TOP"
	run env DC_TODAY=2030-06-01 dc-report fixtures/binhluc-2024
	[ "$status" -eq 0 ]
	diff -u tests/golden/report-2024.txt - <<<"$output"
	run env -u DC_TODAY dc-report fixtures/binhluc-2024
	[ "$status" -eq 0 ]
	diff -u tests/golden/report-2024.txt - <<<"$output"
}

@test "every figure of the seeds, phrase by phrase" {
	cd "$TOP"
	report=$(dc-report fixtures/binhluc-2024)
	missing=0
	while IFS='|' read -r phrase seed note; do
		[ -n "$phrase" ] || continue
		if [[ "$report" != *"$phrase"* ]]; then
			echo "missing: $phrase ($seed)"
			missing=$((missing + 1))
		elif [ -n "$note" ]; then
			echo "# $note" >&3
		fi
	done <<<"$FIGURES"
	[ "$missing" -eq 0 ]
}

@test "the as-of day changes the figures: 2024-12-14 predates late cases" {
	cd "$TOP"
	run dc-report -d 2024-12-14 -s situation fixtures/binhluc-2024
	[ "$status" -eq 0 ]
	[[ "$output" = *"khởi tố: 63 vụ = 75 bị can"* ]]
	[[ "$output" = *"(số liệu tính đến ngày 14 tháng 12 năm 2024)"* ]]
}

@test "-s funding prints only the funding section" {
	cd "$TOP"
	run dc-report -s funding fixtures/binhluc-2024
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "KINH PHÍ PHÒNG, CHỐNG MA TÚY" ]
	[[ "$output" != *"người nghiện"* ]]
}

@test "cccd never appears in the report" {
	cd "$TOP"
	run dc-report fixtures/binhluc-2024
	! grep -Eq '[0-9]{12}' <<<"$output"
}

@test "usage errors exit 2" {
	run dc-report
	[ "$status" -eq 2 ]
	[ "$output" = "usage: dc-report [-y YEAR] [-d ASOF] [-s funding|situation] DIR" ]
	run dc-report -y 24 "$FIX"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-report: -y: '24' is not a year" ]
	run dc-report -y 2024 -d 2023-05-01 "$FIX"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-report: -d: '2023-05-01' is not a date in 2024" ]
	run dc-report "$T/nowhere"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-report: $T/nowhere: not a directory" ]
	run dc-report "$T"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-report: $T/people.tsv: missing registry" ]
}

@test "--help and --version" {
	run dc-report --help
	[ "$status" -eq 0 ]
	[ "$output" = "usage: dc-report [-y YEAR] [-d ASOF] [-s funding|situation] DIR" ]
	run dc-report --version
	[ "$output" = "dc-report (dc-tools) 0.2.0" ]
}

@test "an error anywhere fails the whole report with exit 2 and no output" {
	cp -r "$FIX" "$T/d"
	printf 'V999999\t2024-12-01\n' >> "$T/d/cases.tsv"
	run dc-report "$T/d"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "$T/d/cases.tsv:151: has 2 fields, header has 13" ]
	[ "${lines[1]}" = "dc-report: $T/d: the registries have problems (dc-check); nothing was reported" ]
	cp -r "$FIX" "$T/e"
	printf 'A999999\t2024-12-01\tluu_dong\t\tmany\t\n' >> "$T/e/activities.tsv"
	run dc-report "$T/e"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "$T/e/activities.tsv:52: field 'quantity': 'many' is not an integer" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "a correction (same id, later date) replaces what it corrects" {
	cp -r "$FIX" "$T/d"
	# the first mobile-propaganda record, corrected to 0 sessions
	awk -F'\t' -v OFS='\t' '$3 == "luu_dong" { $2 = "2024-12-20"; $5 = 0; print; exit }' "$FIX/activities.tsv" >> "$T/d/activities.tsv"
	first=$(awk -F'\t' '$3 == "luu_dong" { print $5; exit }' "$FIX/activities.tsv")
	run dc-report -s situation "$T/d"
	[ "$status" -eq 0 ]
	[[ "$output" = *"trên $(dc-fmt -t '{n|num}' <<<"$(printf 'n\n%s' $((1530 - first)))") lượt tuyên truyền lưu động"* ]]
}

@test "-d alone chooses its year" {
	cd "$TOP"
	run dc-report -d 2023-12-31 -s situation fixtures/binhluc-2024
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "Tổng kết công tác phòng, chống ma túy năm 2023" ]
}

@test "a corrected budget line replaces the old one in the funding section" {
	cp -r "$FIX" "$T/d"
	printf 'B000009\t2024-03-02\t2023\tPhương án 02\t\tcap\t100000000\t\tSửa số liệu\n' >> "$T/d/budget.tsv"
	run dc-report -s funding "$T/d"
	[ "$status" -eq 0 ]
	[[ "$output" = *"+ Phương án 02: 100.000.000đ (Một trăm triệu đồng)."* ]]
	[[ "$output" = *"Tổng số tiền: 264.000.000đ (Hai trăm sáu mươi tư triệu đồng)"* ]]
}

@test "women, people under 18 and thousands are written when the records hold them" {
	cp -r "$FIX" "$T/d"
	printf 'P900001\t2024-06-01\tLê Thị Hoa\tnu\t1990-01-01\t\tAn Lão\tnghien\tco\tmethadone\tkhong\t\t\t\t\t\n' >> "$T/d/people.tsv"
	awk 'BEGIN { for (i = 0; i < 1000; i++) printf "P8%05d\t2024-06-01\tNgười %d\tnam\t2010-01-01\t\tAn Lão\tnghi_su_dung\tco\tkhong\tkhong\t\t\t\t\t\n", i, i }' >> "$T/d/people.tsv"
	run dc-report -s situation "$T/d"
	[ "$status" -eq 0 ]
	[[ "$output" = *"trên địa bàn 130 người (Nam: 129, Nữ: 01)"* ]]
	[[ "$output" = *"Người nghi sử dụng trái phép chất ma túy 1.533 người. Độ tuổi từ đủ 18 đến dưới 30 tuổi: 172 người; từ đủ 30 tuổi trở lên: 361 người; dưới 18 tuổi: 1.000 người."* ]]
}

@test "-d must be a real date" {
	run dc-report -d 2024-02-30 "$FIX"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-report: -d: '2024-02-30' is not a date (YYYY-MM-DD)" ]
}

@test "names with commas and backslashes are written as they are" {
	cp -r "$FIX" "$T/d"
	printf 'X000099\t2024-12-01\tThôn A, B\\\\C\txa\tco\tkhong\tkhong\t\n' >> "$T/d/communes.tsv"
	run dc-report -s situation "$T/d"
	[ "$status" -eq 0 ]
	[[ "$output" = *"Còn 10 xã (Ngọc Lũ, Bình Nghĩa, Trung Lương, Tiêu Động, An Lão, Bối Cầu, Vũ Bản, An Ninh, Bồ Đề, Thôn A, B\\C)"* ]]
}

@test "a new office with empty registries gets a report of zeros" {
	mkdir "$T/new"
	for r in people tests cases communes budget activities; do
		cp "$FIX/$r.schema" "$T/new/"
		dc-add --init "$T/new/$r.tsv"
	done
	run dc-report -y 2024 "$T/new"
	[ "$status" -eq 0 ]
	[[ "$output" = *"Tổng số người nghiện ma túy trên địa bàn 0 người"* ]]
	[[ "$output" = *"Tổng số tiền: 0đ (Không đồng)"* ]]
}

@test "without -y, -d and settings, the year is today's (DC_TODAY)" {
	mkdir "$T/new"
	for r in people tests cases communes budget activities; do
		cp "$FIX/$r.schema" "$T/new/"
		dc-add --init "$T/new/$r.tsv"
	done
	DC_TODAY=2019-05-05 run dc-report -s situation "$T/new"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "Tổng kết công tác phòng, chống ma túy năm 2019" ]
	[ "${lines[2]}" = "(số liệu tính đến ngày 31 tháng 12 năm 2019)" ]
}

@test "an invalid DC_TODAY is an error" {
	DC_TODAY=14/12/2024 run dc-report "$FIX"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-report: DC_TODAY: '14/12/2024' is not a date (YYYY-MM-DD)" ]
}

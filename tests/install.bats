#!/usr/bin/env bats
# make install: programs and manual pages under PREFIX, inside DESTDIR.

load helper

@test "make install DESTDIR PREFIX installs every program and page" {
	run make -s -C "$TOP" install DESTDIR="$T/root" PREFIX=/opt/dc
	[ "$status" -eq 0 ]
	for p in dc-add dc-grep dc-check dc-count dc-budget dc-fmt dc-report; do
		[ -x "$T/root/opt/dc/bin/$p" ]
		[ -f "$T/root/opt/dc/share/man/man1/$p.1" ]
	done
	[ -f "$T/root/opt/dc/share/man/man5/dc-format.5" ]
	[ -f "$T/root/opt/dc/share/man/man5/dc-report.5" ]
	[ -f "$T/root/opt/dc/share/man/man7/dc-tools.7" ]
	for f in figures.tsv figures.schema labels.tsv labels.schema annual.txt \
	    periodic.txt funding.txt frame-top.txt frame-end.txt; do
		cmp "$TOP/src/report/$f" "$T/root/opt/dc/share/dc-tools/report/$f"
	done
	# The installed dc-report finds the installed templates and dc-check,
	# nothing of the checkout.
	cp -r "$FIX" "$T/office"
	run env -u DC_REPORT_LIB PATH="$T/root/opt/dc/bin:/usr/bin:/bin" dc-report -p 2024 -r funding "$T/office"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Tổng số tiền: 294.000.000đ"* ]]
	rm "$T/root/opt/dc/bin/dc-check"
	run env -u DC_REPORT_LIB PATH="$T/root/opt/dc/bin:/usr/bin:/bin" dc-report -p 2024 -r funding "$T/office"
	[ "$status" -eq 2 ]
}

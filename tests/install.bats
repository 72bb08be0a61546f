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
	[ -f "$T/root/opt/dc/share/man/man7/dc-tools.7" ]
	# The installed report script finds the installed programs.
	run env PATH="$T/root/opt/dc/bin:/usr/bin:/bin" dc-report -s funding "$FIX"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "KINH PHÍ PHÒNG, CHỐNG MA TÚY" ]
}

#!/usr/bin/env bats
# The manual: one page per program, dc-format.5 and dc-tools.7, each
# rendering without a single warning.

load helper
load examples

@test "every program has a page, and every page renders cleanly" {
	command -v man >/dev/null || skip "man is not installed"
	for prog in dc-add dc-grep dc-check dc-count dc-budget dc-fmt dc-report; do
		[ -f "$TOP/man/$prog.1" ]
	done
	for page in "$TOP"/man/*.[157]; do
		run env LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -l "$page"
		[ "$status" -eq 0 ]
		[[ "$output" = *NAME* ]]
		errors=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -l "$page" 2>&1 >/dev/null)
		[ -z "$errors" ] || { echo "$page: $errors"; false; }
	done
}

@test "--help of every program starts with its usage line" {
	for prog in dc-add dc-grep dc-check dc-count dc-budget dc-fmt dc-report; do
		run "$prog" --help
		[ "$status" -eq 0 ]
		# dc-report speaks to the clerks who run it in Vietnamese.
		if [ "$prog" = dc-report ]; then
			[[ "${lines[0]}" = "Cách dùng: $prog "* ]]
		else
			[[ "${lines[0]}" = "usage: $prog "* ]]
		fi
		run "$prog" --version
		[ "$status" -eq 0 ]
		[ "$output" = "$prog (dc-tools) 0.2.0" ]
	done
}

@test "the examples of dc-tools(7) that show their output print it" {
	command -v man >/dev/null || skip "man is not installed"
	LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$TOP/man/dc-tools.7" > "$T/page"
	mkdir "$T/x"
	split_examples "$T/page" "$T/x" '^EXAMPLES' '^FILES' 14
	[ "$(cat "$T/x/count")" -ge 8 ]
	run run_examples "$T/x" "cp -r '$FIX' '$T/office' && cd '$T/office' || exit 2
export DC_TODAY=2024-12-14" shown
	[ "$output" = "" ] || { echo "$output"; false; }
	# Those with output shown were run, and only those.
	[ -f "$T/x/out.1" ]
	[ "$(ls "$T"/x/out.* | wc -l)" -eq "$(find "$T"/x -name 'exp.*' -size +0 | wc -l)" ]
	[ "$(ls "$T"/x/out.* | wc -l)" -lt "$(cat "$T/x/count")" ]
}

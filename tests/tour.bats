#!/usr/bin/env bats
# The README tour, run as it is written: every "$ command" from "## A
# tour" to "## Speed", in one shell, on a copy of the fixtures, must
# print exactly the lines the README shows after it, so that README and
# programs cannot drift apart.

load helper
load examples

# The tour of README $1, run as a reader would: from the top of the
# sources, today not pinned (the tour pins it itself).
tour() {
	mkdir "$T/t"
	split_examples "$1" "$T/t" '^## A tour' '^## Speed' 4
	run_examples "$T/t" "cd '$TOP' || exit 2; unset DC_TODAY" all
}

@test "every command of the README tour prints what the README shows" {
	run tour "$TOP/README.md"
	[ "$output" = "" ] || { echo "$output"; false; }
	# The tour is there and was run: commands it must hold.
	[ "$(cat "$T/t/count")" -ge 20 ]
	grep -qx 'export DC_TODAY=2024-12-14' "$T/t/cmd.3"
	grep -q '^dc-count --merge -g commune c1.tsv c2.tsv$' "$T"/t/cmd.*
	[ -f "$T/office/c2.tsv" ]
}

@test "a README that shows a wrong figure fails the tour" {
	sed 's/^    17$/    18/' "$TOP/README.md" > "$T/README.md"
	! cmp -s "$TOP/README.md" "$T/README.md"
	run tour "$T/README.md"
	[ "${lines[0]}" = "\$ dc-grep -c status=nghien 'commune=Ngọc Lũ' people.tsv" ]
	[ "${lines[1]}" = "1c1" ]
	[ "${lines[2]}" = "< 18" ]
	[ "${lines[4]}" = "> 17" ]
}

@test "\"...\" stands for any lines, and for none" {
	printf 'a\n...\nd\n' > "$T/e"
	printf 'a\nb\nc\nd\n' > "$T/o"
	shown "$T/e" "$T/o"
	printf 'a\nd\n' > "$T/o"
	shown "$T/e" "$T/o"
	printf 'a\nb\n' > "$T/o"
	! shown "$T/e" "$T/o"
	printf 'a\nd\nx\n' > "$T/o"
	! shown "$T/e" "$T/o"
	: > "$T/e"
	: > "$T/o"
	shown "$T/e" "$T/o"
	printf 'x\n' > "$T/o"
	! shown "$T/e" "$T/o"
}

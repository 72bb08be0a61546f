#!/usr/bin/env bats
# The README tour, run as it is written: every "$ command" from "## A
# tour" to "## Speed", in one shell, on a copy of the fixtures, must
# print exactly the lines the README shows after it (a line "..."
# stands for any lines), so that README and programs cannot drift apart.

load helper

# Split the tour of README $1 into $2/cmd.N and $2/exp.N: a command
# starts with "    $ ", goes on on lines indented further, and is
# followed by its output, indented by four spaces.
split_tour() {
	awk -v dir="$2" '
	/^## A tour/ { on = 1; next }
	/^## Speed/ { on = 0 }
	!on { next }
	/^    \$ / {
		n++; mode = "cmd"
		printf "%s\n", substr($0, 7) > (dir "/cmd." n)
		printf "" > (dir "/exp." n)
		next
	}
	mode == "cmd" && /^      / { print > (dir "/cmd." n); next }
	mode != "" && /^    / { mode = "out"; print substr($0, 5) > (dir "/exp." n); next }
	{ mode = "" }
	END { print n + 0 > (dir "/count") }' "$1"
}

# Whether file $2 holds what file $1 shows, a line "..." standing for
# any lines (none too).
shown() {
	awk '
	FILENAME == ARGV[1] { e[++ne] = $0; next }
	{ a[++na] = $0 }
	function m(i, j,    k) {
		if (i > ne)
			return j > na
		if (e[i] == "...") {
			for (k = j; k <= na + 1; k++)
				if (m(i + 1, k))
					return 1
			return 0
		}
		return j <= na && e[i] == a[j] && m(i + 1, j + 1)
	}
	END { exit !m(1, 1) }' "$1" "$2"
}

# Run the tour of README $1 in directory $2; print every command whose
# output differs from the README's, with the difference.  Commands
# that need a missing program (GNU parallel) are run but not compared.
run_tour() {
	local readme=$1 dir=$2 n i script=$2/tour.sh
	split_tour "$readme" "$dir"
	n=$(cat "$dir/count")
	{
		echo "cd '$TOP' || exit 2"
		echo "unset DC_TODAY"  # the tour pins it itself
		for ((i = 1; i <= n; i++)); do
			echo "{"
			sed "s|/tmp/office|$T/office|g" "$dir/cmd.$i"
			echo "} > '$dir/out.$i' 2>&1"
		done
	} > "$script"
	bash "$script"
	for ((i = 1; i <= n; i++)); do
		if grep -q '^parallel ' "$dir/cmd.$i" &&
		    ! command -v parallel >/dev/null; then
			echo "# not compared (no GNU parallel): $(head -1 "$dir/cmd.$i")" >&3
			continue
		fi
		shown "$dir/exp.$i" "$dir/out.$i" && continue
		echo "\$ $(cat "$dir/cmd.$i")"
		diff "$dir/exp.$i" "$dir/out.$i" || true
	done
}

@test "every command of the README tour prints what the README shows" {
	mkdir "$T/t"
	run run_tour "$TOP/README.md" "$T/t"
	[ "$output" = "" ]
	# The tour is there and was run: the commands it must hold.
	[ "$(cat "$T/t/count")" -ge 20 ]
	grep -qx 'export DC_TODAY=2024-12-14' "$T/t/cmd.3"
	grep -q '^dc-count --merge -g commune c1.tsv c2.tsv$' "$T"/t/cmd.*
	grep -qx '17' "$T"/t/out.*
	[ -f "$T/office/c2.tsv" ]
}

@test "a README that shows a wrong figure fails the tour" {
	sed 's/^    17$/    18/' "$TOP/README.md" > "$T/README.md"
	! cmp -s "$TOP/README.md" "$T/README.md"
	mkdir "$T/t"
	run run_tour "$T/README.md" "$T/t"
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

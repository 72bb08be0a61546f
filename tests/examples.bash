# Running the examples of a document (the README tour, a manual page as
# man(1) renders it) and comparing what they print with what the
# document shows.  In the document, a command is a line "$ command"
# indented by INDENT spaces, continued on lines indented further, and
# followed by its output, indented by INDENT spaces; a line "..." of the
# output stands for any lines, none too.

# split_examples FILE DIR FROM TO INDENT: the commands between the lines
# matching FROM and TO into DIR/cmd.N, the output shown after each into
# DIR/exp.N (empty when none is shown), their number into DIR/count.
split_examples() {
	awk -v dir="$2" -v from="$3" -v to="$4" -v indent="$5" '
	BEGIN {
		for (i = 0; i < indent; i++)
			pad = pad " "
		cmd = "^" pad "\\$ "; more = "^" pad "  "; out = "^" pad
	}
	$0 ~ from { on = 1; next }
	$0 ~ to { on = 0 }
	!on { next }
	$0 ~ cmd {
		n++; mode = "cmd"
		print substr($0, indent + 3) > (dir "/cmd." n)
		printf "" > (dir "/exp." n)
		next
	}
	mode == "cmd" && $0 ~ more { print > (dir "/cmd." n); next }
	mode != "" && $0 ~ out { mode = "out"; print substr($0, indent + 1) > (dir "/exp." n); next }
	{ mode = "" }
	END { print n + 0 > (dir "/count") }' "$1"
}

# shown EXPECTED ACTUAL: whether file ACTUAL holds what file EXPECTED
# shows.
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

# run_examples DIR PRELUDE WHICH: run the commands split into DIR in
# one shell, after the shell text PRELUDE, each with its output (and
# messages) into DIR/out.N; WHICH is "all", or "shown" for only the
# commands whose output the document shows.  /tmp/office, the tour's
# directory, becomes $T/office.  Then print every command whose output
# differs from the document's, and the difference.  A command that
# needs GNU parallel is run but not compared where it is missing.
run_examples() {
	local dir=$1 prelude=$2 which=$3 n i script=$1/run.sh
	n=$(cat "$dir/count")
	{
		printf '%s\n' "$prelude"
		for ((i = 1; i <= n; i++)); do
			[ "$which" = all ] || [ -s "$dir/exp.$i" ] || continue
			echo "{"
			sed "s|/tmp/office|$T/office|g" "$dir/cmd.$i"
			echo "} > '$dir/out.$i' 2>&1"
		done
	} > "$script"
	bash "$script"
	for ((i = 1; i <= n; i++)); do
		[ -f "$dir/out.$i" ] || continue
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

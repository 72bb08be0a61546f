#!/usr/bin/env bats
# The state of a history, as every reader sees it (src/reader.c): the
# default day, --asof, --history, --part, end records, header notes, and
# the two readings of files and pipes.  Checked against awk.

load helper

history() {
	printf 'id\tdate\tname\tcommune\tstatus\tnote\n'
	printf 'P000001\t2024-01-05\tLê Văn An\tNgọc Lũ\tsu_dung\t\n'
	printf 'P000002\t2024-02-01\tTrần Bình\tĐồng Du\tnghien\t\n'
	printf 'P000003\t2024-03-01\tPhạm Cường\tĐồng Du\tnghien\t\n'
	printf 'P000001\t2024-06-01\tLê Văn An\tNgọc Lũ\tnghien\tlần 2\n'
	# two records of one id on one date: the later line holds
	printf 'P000002\t2024-09-09\tTrần Bình\tĐồng Du\tsu_dung\t\n'
	printf 'P000002\t2024-09-09\tTrần Bình\tĐồng Du\tsau_cai\t\n'
	# an end record: P000003 died
	printf 'P000003\t2024-10-01\t\t\t\tđã chết\n'
	# dated after the pinned today (2024-12-14)
	printf 'P000001\t2025-01-10\tLê Văn An\tNgọc Lũ\tsau_cai\t\n'
	printf 'P000004\t2025-02-01\tVũ Mới\tVũ Bản\tnghien\t\n'
}

# The state as of $1, by awk: newest record per id dated on or before
# the day, the later line on equal dates, end records dropped; file order
# of the records that hold.
awk_state() {
	awk -F'\t' -v day="$1" '
		NR == 1 { print; next }
		$2 <= day && (!($1 in d) || $2 >= d[$1]) { d[$1] = $2; at[$1] = NR; line[NR] = $0 }
		END {
			for (id in at) {
				split(line[at[id]], f, "\t")
				if (f[3] f[4] f[5] != "") keep[at[id]] = 1
			}
			for (i = 2; i <= NR; i++) if (i in keep) print line[i]
		}' "$2"
}

setup() {
	T="$BATS_TEST_TMPDIR"
	history > "$T/h.tsv"
}

@test "the default is the state as of today (DC_TODAY)" {
	run dc-grep "$T/h.tsv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(printf 'id\tdate\tname\tcommune\tstatus\tnote\t#dc:state 2024-12-14')" ]
	[ "$(tail -n +2 <<<"$output")" = "$(awk_state 2024-12-14 "$T/h.tsv" | tail -n +2)" ]
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[1]}" = "$(printf 'P000001\t2024-06-01\tLê Văn An\tNgọc Lũ\tnghien\tlần 2')" ]
	[ "${lines[2]}" = "$(printf 'P000002\t2024-09-09\tTrần Bình\tĐồng Du\tsau_cai\t')" ]
}

@test "--asof gives another day; end records end an id from their day on" {
	for day in 2024-01-01 2024-02-01 2024-06-01 2024-09-09 2024-09-30 2024-10-01 2025-01-10 2030-01-01; do
		run dc-grep --asof "$day" "$T/h.tsv"
		[ "$(tail -n +2 <<<"$output")" = "$(awk_state "$day" "$T/h.tsv" | tail -n +2)" ]
		[ "${lines[0]}" = "$(printf 'id\tdate\tname\tcommune\tstatus\tnote\t#dc:state %s' "$day")" ]
	done
	run dc-grep -c --asof 2024-09-30 'name=Phạm Cường' "$T/h.tsv"
	[ "$output" = 1 ]
	run dc-grep -c --asof 2024-10-01 'name=Phạm Cường' "$T/h.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = 0 ]
}

@test "today follows DC_TODAY, which must be a real date" {
	DC_TODAY=2025-02-01 run dc-grep -c status=nghien "$T/h.tsv"
	[ "$output" = 1 ]
	for bad in 14/12/2024 2024-02-30 2024-12-14x yesterday; do
		for prog in "dc-grep -c status=nghien" "dc-count" "dc-fmt -t {id}"; do
			DC_TODAY=$bad run $prog "$T/h.tsv"
			[ "$status" -eq 2 ]
			[ "$output" = "${prog%% *}: DC_TODAY: '$bad' is not a date (YYYY-MM-DD)" ]
		done
	done
}

@test "--history gives every version, and says nothing of a state" {
	run dc-grep --history "$T/h.tsv"
	[ "$output" = "$(history)" ]
	run dc-count --history -g status "$T/h.tsv"
	[ "$output" = "$(printf 'status\tcount\n\t1\nnghien\t4\nsau_cai\t2\nsu_dung\t2')" ]
	run dc-count -g status "$T/h.tsv"
	[ "$output" = "$(printf 'status\tcount\nnghien\t1\nsau_cai\t1')" ]
}

@test "every reader sees the same state: dc-grep, dc-count, dc-fmt" {
	run dc-count "$T/h.tsv"
	[ "$output" = "$(printf 'count\n2')" ]
	run dc-fmt -t '{id} {status}' "$T/h.tsv"
	[ "$output" = "$(printf 'P000001 nghien\nP000002 sau_cai')" ]
	run dc-fmt --history -t '{id}' "$T/h.tsv"
	[ "${#lines[@]}" -eq 9 ]
}

@test "a pipe is read as the file is: the same state, no file left behind" {
	mkdir "$T/tmp"
	run env TMPDIR="$T/tmp" bash -c 'cat "$1" | dc-grep' _ "$T/h.tsv"
	[ "$output" = "$(dc-grep "$T/h.tsv")" ]
	[ -z "$(ls -A "$T/tmp")" ]
	run bash -c 'dc-count -g commune < "$1"' _ "$T/h.tsv"
	[ "$output" = "$(dc-count -g commune "$T/h.tsv")" ]
}

@test "standard input that does not start at the file's start is read from where it stands" {
	{ printf 'junk line\n'; history; } > "$T/j.tsv"
	run bash -c '{ IFS= read -r line; dc-grep; } < "$1"' _ "$T/j.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(dc-grep "$T/h.tsv")" ]
}

@test "a spool that cannot be made is an error, with what to do" {
	run bash -c 'cat "$1" | TMPDIR=/nonexistent/dir dc-grep' _ "$T/h.tsv"
	[ "$status" -eq 2 ]
	[[ "$output" == "dc-grep: /nonexistent/dir/dc-spool-"*": No such file or directory (set TMPDIR to a directory with room)" ]]
}

@test "several files are one history: versions of an id in different files" {
	head -4 "$T/h.tsv" > "$T/a.tsv"
	{ head -1 "$T/h.tsv"; tail -n +5 "$T/h.tsv"; } > "$T/b.tsv"
	run dc-grep "$T/a.tsv" "$T/b.tsv"
	[ "$output" = "$(dc-grep "$T/h.tsv")" ]
	run bash -c 'cat "$1" | dc-grep - "$2"' _ "$T/a.tsv" "$T/b.tsv"
	[ "$output" = "$(dc-grep "$T/h.tsv")" ]
}

@test "a state is taken as it is, checked, and not re-stated for another day" {
	dc-grep "$T/h.tsv" > "$T/s.tsv"
	run bash -c 'dc-count -g status < "$1"' _ "$T/s.tsv"
	[ "$output" = "$(printf 'status\tcount\nnghien\t1\nsau_cai\t1')" ]
	run dc-count --asof 2024-12-14 "$T/s.tsv"
	[ "$output" = "$(printf 'count\n2')" ]
	run dc-count --asof 2024-06-01 "$T/s.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: $T/s.tsv: the input is the state as of 2024-12-14, which cannot give the state as of 2024-06-01: read the registry itself" ]
	# a state with an id twice, or a record after its day, is refused
	{ cat "$T/s.tsv"; tail -1 "$T/s.tsv"; } > "$T/twice.tsv"
	run dc-count "$T/twice.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: $T/twice.tsv:4: a second record of one id in the state as of 2024-12-14" ]
	{ cat "$T/s.tsv"; printf 'P000009\t2024-12-15\tX\tY\tnghien\t\n'; } > "$T/late.tsv"
	run dc-grep -c status=nghien "$T/late.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: $T/late.tsv:4: a record dated after 2024-12-14 in the state as of 2024-12-14" ]
}

@test "a selection of versions is refused unless --history" {
	dc-grep --history status=nghien "$T/h.tsv" > "$T/v.tsv"
	[ "$(head -1 "$T/v.tsv")" = "$(printf 'id\tdate\tname\tcommune\tstatus\tnote\t#dc:versions')" ]
	for prog in "dc-count" "dc-grep" "dc-fmt -t {id}" "dc-budget"; do
		run bash -c "$prog < \"\$1\"" _ "$T/v.tsv"
		[ "$status" -eq 2 ]
		[ "$output" = "${prog%% *}: (standard input): a selection of record versions (dc-grep --history): not a registry's state, nor a whole history; give --history to take every version as it is, or select from the state (dc-grep without --history)" ]
	done
	run bash -c 'dc-count --history < "$1"' _ "$T/v.tsv"
	[ "$output" = "$(printf 'count\n4')" ]
	# every version, unselected, is a whole history: its state is right
	# (counts of a history from a pipe are marked: a merge refuses them)
	run bash -c 'dc-grep --history "$1" | dc-count -g status' _ "$T/h.tsv"
	[ "$output" = "$(printf 'status\tcount\t#dc:piped\nnghien\t1\nsau_cai\t1')" ]
}

@test "--part K/N: the parts hold every id once, with all its versions" {
	for n in 1 2 3 5; do
		: > "$T/all"
		for k in $(seq 1 $n); do
			dc-grep --history --part "$k/$n" "$T/h.tsv" | tail -n +2 >> "$T/all"
		done
		[ "$(sort "$T/all")" = "$(tail -n +2 "$T/h.tsv" | sort)" ]
		# no id in two parts
		[ "$(for k in $(seq 1 $n); do dc-grep --history --part "$k/$n" "$T/h.tsv" | tail -n +2 | cut -f1 | sort -u; done | sort | uniq -d)" = "" ]
	done
	run dc-grep --part 0/2 "$T/h.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: --part: '0/2' is not K/N with 1 <= K <= N" ]
	run dc-grep --part 2 "$T/h.tsv"
	[ "$output" = "dc-grep: --part: '2' is not K/N (such as 1/4)" ]
}

@test "a history's records need an id and a real date" {
	{ history; printf '\t2024-01-01\tX\tY\tnghien\t\n'; } > "$T/noid.tsv"
	run dc-count "$T/noid.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: $T/noid.tsv:11: record has no id" ]
	{ history; printf 'P000009\t1/1/2024\tX\tY\tnghien\t\n'; } > "$T/baddate.tsv"
	run dc-count "$T/baddate.tsv"
	[ "$output" = "dc-count: $T/baddate.tsv:11: field 'date': '1/1/2024' is not a date (YYYY-MM-DD)" ]
	run dc-count --history "$T/baddate.tsv"
	[ "$output" = "$(printf 'count\n10')" ]
}

@test "input that is not a history is read as it is" {
	printf 'commune\tcount\nAn Lão\t3\nĐồng Du\t2\n' > "$T/c.tsv"
	run dc-count -s count "$T/c.tsv"
	[ "$output" = "$(printf 'count\tsum_count\n2\t5')" ]
	run dc-grep --asof 2024-01-01 "$T/c.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-grep: --asof needs the fields id and date; the fields are: commune, count" ]
}

@test "the fixtures: every reader's state equals awk's, file and pipe" {
	for f in people cases tests budget communes activities; do
		[ "$(dc-grep --asof 2024-12-14 "$FIX/$f.tsv" | tail -n +2)" = "$(awk_state 2024-12-14 "$FIX/$f.tsv" | tail -n +2)" ]
		[ "$(cat "$FIX/$f.tsv" | dc-grep | tail -n +2)" = "$(awk_state 2024-12-14 "$FIX/$f.tsv" | tail -n +2)" ]
	done
}

@test "a history of many ids with versions far apart, against awk" {
	awk 'BEGIN {
		OFS = "\t"; print "id", "date", "commune", "status"
		for (v = 0; v < 3; v++)
			for (i = 1; i <= 3000; i++)
				print sprintf("P%06d", i), sprintf("202%d-%02d-%02d", v + 1, i % 12 + 1, i % 28 + 1), "c" (i * (v + 1)) % 17, (i + v) % 3 ? "nghien" : "su_dung"
	}' > "$T/big.tsv"
	[ "$(dc-count -g commune,status "$T/big.tsv" | tail -n +2 | sort)" = "$(awk_state 2024-12-14 "$T/big.tsv" | tail -n +2 | awk -F'\t' '{ n[$3 "\t" $4]++ } END { for (k in n) print k "\t" n[k] }' | sort)" ]
	[ "$(cat "$T/big.tsv" | dc-grep -c status=nghien)" = "$(awk_state 2024-12-14 "$T/big.tsv" | awk -F'\t' '$4 == "nghien"' | wc -l)" ]
}

@test "a part of a state says so, and its counts are that part's" {
	run dc-grep --part 1/2 "$T/h.tsv"
	[ "${lines[0]}" = "$(printf 'id\tdate\tname\tcommune\tstatus\tnote\t#dc:state 2024-12-14 part 1/2')" ]
	for k in 1 2; do dc-grep --part $k/2 "$T/h.tsv" | dc-count -g status; done > "$T/parts"
	[ "$(head -1 "$T/parts")" = "$(printf 'status\tcount\t#dc:part 1/2')" ]
	run dc-count --merge -g status "$T/parts"
	[ "$output" = "$(dc-count -g status "$T/h.tsv")" ]
	run bash -c 'dc-grep --part 1/2 "$1" | dc-count --part 1/3' _ "$T/h.tsv"
	[ "$status" -eq 2 ]
	[ "$output" = "dc-count: (standard input): the input is part 1/2 already: no --part 1/3" ]
}

@test "--asof and --history together are a usage error in every reader" {
	for prog in dc-grep dc-count dc-budget "dc-fmt -t {id}"; do
		run $prog --history --asof 2024-01-01 "$T/h.tsv"
		[ "$status" -eq 2 ]
		[ "$output" = "$(printf '%s\n' "${prog%% *}: --asof and --history: the state of a day, or every version?" "Try '${prog%% *} --help'.")" ]
	done
}

@test "end records are told by their fields, whatever their lengths (the first reading's quick test only rules out)" {
	# the note last: an end record with an empty note, with a note, with
	# CRLF; records with one other field filled, as long as a note is
	{
		printf 'id\tdate\tname\tcommune\tstatus\tnote\n'
		for id in P1 P2 P3 P4 P5 P6; do
			printf '%s\t2024-01-01\tA\tC\tnghien\t\n' "$id"
		done
		printf 'P1\t2024-02-01\t\t\t\t\n'
		printf 'P2\t2024-02-01\t\t\t\tđã chết\n'
		printf 'P3\t2024-02-01\tx\t\t\t\n'
		printf 'P4\t2024-02-01\t\t\tab\tab\n'
		printf 'P5\t2024-02-01\t\t\t\tab\r\n'
		printf 'P6\t2024-02-01\t\tab\t\tabcd\n'
	} > "$T/ends.tsv"
	run dc-grep "$T/ends.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'id\tdate\tname\tcommune\tstatus\tnote\t#dc:state 2024-12-14\nP3\t2024-02-01\tx\t\t\t\nP4\t2024-02-01\t\t\tab\tab\nP6\t2024-02-01\t\tab\t\tabcd')" ]
	[ "$(tail -n +2 <<<"$output")" = "$(awk_state 2024-12-14 "$T/ends.tsv" | tail -n +2)" ]
	[ "$(cat "$T/ends.tsv" | dc-grep | tail -n +2)" = "$(tail -n +2 <<<"$output")" ]
	# the note amid the fields, and no note at all
	printf 'id\tdate\tnote\tname\tstatus\nQ1\t2024-01-01\t\tA\tnghien\nQ2\t2024-01-01\t\tB\tnghien\nQ1\t2024-02-01\tab\t\t\nQ2\t2024-02-01\t\tab\t\n' > "$T/mid.tsv"
	run dc-fmt -t '{id} {name}' "$T/mid.tsv"
	[ "$output" = "Q2 ab" ]
	printf 'id\tdate\tname\tstatus\nR1\t2024-01-01\tA\tnghien\nR2\t2024-01-01\tB\tnghien\nR1\t2024-02-01\t\t\nR2\t2024-02-01\t\tx\n' > "$T/nonote.tsv"
	run dc-fmt -t '{id} {status}' "$T/nonote.tsv"
	[ "$output" = "R2 x" ]
	# no field but id and date: nothing to leave empty, nothing ends
	printf 'id\tdate\nS1\t2024-01-01\nS1\t2024-02-01\n' > "$T/bare.tsv"
	run dc-grep "$T/bare.tsv"
	[ "$output" = "$(printf 'id\tdate\t#dc:state 2024-12-14\nS1\t2024-02-01')" ]
}

@test "many ids of every length, versions and ends among them, against awk" {
	# ids of 7, 12, 13 and 40 bytes (kept in the table's entries up to
	# 12, apart beyond), enough for its slots to grow many times
	awk 'BEGIN {
		OFS = "\t"; print "id", "date", "name", "commune", "status", "note"
		for (v = 0; v < 3; v++)
			for (i = 1; i <= 12000; i++) {
				k = i % 4
				id = k == 0 ? sprintf("P%06d", i) : k == 1 ? sprintf("%012d", i) : k == 2 ? sprintf("X%012d", i) : sprintf("long-id-%032d", i)
				date = sprintf("202%d-%02d-%02d", v + 1, i % 12 + 1, i % 28 + 1)
				if (v == 2 && i % 7 == 0)
					print id, date, "", "", "", i % 2 ? "đã chết" : ""
				else
					print id, date, "n" i, "c" (i * (v + 1)) % 17, (i + v) % 3 ? "nghien" : "su_dung", ""
			}
	}' > "$T/many.tsv"
	[ "$(dc-grep "$T/many.tsv" | tail -n +2)" = "$(awk_state 2024-12-14 "$T/many.tsv" | tail -n +2)" ]
	[ "$(dc-grep --asof 2022-06-30 "$T/many.tsv" | tail -n +2)" = "$(awk_state 2022-06-30 "$T/many.tsv" | tail -n +2)" ]
	[ "$(cat "$T/many.tsv" | dc-count -g commune,status | tail -n +2)" = "$(dc-count -g commune,status "$T/many.tsv" | tail -n +2)" ]
	for k in 1 2 3; do dc-grep --part $k/3 "$T/many.tsv" | tail -n +2; done | sort > "$T/parts"
	[ "$(cat "$T/parts")" = "$(awk_state 2024-12-14 "$T/many.tsv" | tail -n +2 | sort)" ]
}

@test "a pipe's spool: mode 0600, under TMPDIR, removed at once" {
	[ -d /proc/self/fd ] || skip "no /proc to look at open files"
	mkdir "$T/tmp"
	mkfifo "$T/fifo"
	# the writer holds the pipe open until the spool is looked at
	{ history; for i in $(seq 100); do [ -e "$T/done" ] && break; sleep 0.1; done; } > "$T/fifo" &
	TMPDIR="$T/tmp" dc-grep -c status=nghien < "$T/fifo" > "$T/out" &
	pid=$!
	spool=
	for i in $(seq 50); do
		for fd in /proc/$pid/fd/*; do
			case $(readlink "$fd") in
			"$T/tmp/dc-spool-"*" (deleted)") spool=$fd ;;
			esac
		done
		[ -n "$spool" ] && break
		sleep 0.1
	done
	mode=$(stat -L -c %a "$spool")
	left=$(ls -A "$T/tmp")
	touch "$T/done"
	wait $pid
	[ -n "$spool" ]
	[ "$mode" = 600 ]
	[ -z "$left" ]
	[ "$(cat "$T/out")" = 1 ]
	[ -z "$(ls -A "$T/tmp")" ]
}

@test "a TMPDIR that is not a directory, or cannot be written, is an error naming it" {
	: > "$T/file"
	run bash -c 'cat "$1" | TMPDIR="$2" dc-count' _ "$T/h.tsv" "$T/file"
	[ "$status" -eq 2 ]
	[[ "$output" == "dc-count: $T/file/dc-spool-"*": Not a directory (set TMPDIR to a directory with room)" ]]
	# a file is read again from itself: no spool, TMPDIR unused
	run env TMPDIR="$T/file" dc-count "$T/h.tsv"
	[ "$output" = "$(printf 'count\n2')" ]
	[ "$(id -u)" != 0 ] || skip "root writes a read-only directory"
	mkdir "$T/ro"
	chmod 555 "$T/ro"
	run bash -c 'cat "$1" | TMPDIR="$2" dc-grep' _ "$T/h.tsv" "$T/ro"
	[ "$status" -eq 2 ]
	[[ "$output" == "dc-grep: $T/ro/dc-spool-"*": Permission denied (set TMPDIR to a directory with room)" ]]
}

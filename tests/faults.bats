#!/usr/bin/env bats
# Fault injection (bin/faults/dc-add, built by make faults from
# src/fault.c): every call that changes a file fails in turn, or the
# power is cut there.  The registry and people.batches must be left
# byte for byte as they were, or hold the whole batch, and dc-add must
# say which; the same dc-add again then adds the batch once and prints
# its ids.  The journal protocol checked is dc-format(5)'s.

load helper

FAULTY="$TOP/bin/faults/dc-add"
OPS="write fsync ftruncate rename unlink open any"

setup() {
	T="$BATS_TEST_TMPDIR"
	# After the fixture's last record, so that dc-check finds it clean.
	export DC_TODAY=2025-01-24
	[ -x "$FAULTY" ] || skip "no $FAULTY (make faults)"
}

# The starting state, $T/base: the fixture's people; "later": after one
# batch, so that people.batches exists.
make_base() {
	mkdir "$T/base"
	cp "$FIX/people.schema" "$FIX/people.tsv" "$T/base/"
	if [ "$1" = later ]; then
		(cd "$T/base" && dc-add people.tsv name='Đỗ Thị Lan' sex=nu \
		    birth=1991-05-06 'commune=An Nội' status=su_dung >/dev/null)
	fi
}

# The batch: ADD (FIELD=VALUE arguments) or INPUT (a record file).
single_add() {
	ADD=(name='Lê Văn An' sex=nam birth=1990-01-02 cccd=900000000001
	    'commune=Ngọc Lũ' status=nghien)
	INPUT=/dev/null
	RECORDS="1 record was"
}

bulk_import() {
	ADD=()
	INPUT="$T/batch"
	awk 'BEGIN {
		OFS = "\t"
		print "name", "sex", "birth", "cccd", "commune", "status"
		for (i = 1; i <= 50; i++)
			printf "Người %d\t%s\t19%02d-01-15\t9%011d\tBình Mỹ\tnghien\n",
			    i, i % 2 ? "nam" : "nu", 50 + i % 40, i
	}' >"$INPUT"
	RECORDS="50 records were"
}

# run_add DIR PROGRAM [DC_FAULT] [--recover]: the batch's dc-add (or
# dc-add --recover) run in DIR; its out, err and rc are left there.
run_add() {
	local dir="$1" prog="$2" fault="${3-}" rc=0

	if [ "${4-}" = --recover ]; then
		(cd "$dir" && DC_FAULT="$fault" "$prog" --recover people.tsv \
		    </dev/null >out 2>err) || rc=$?
	else
		(cd "$dir" && DC_FAULT="$fault" "$prog" people.tsv "${ADD[@]}" \
		    <"$INPUT" >out 2>err) || rc=$?
	fi
	echo "$rc" >"$dir/rc"
}

fresh() {
	rm -rf "$T/$2"
	cp -R "$T/$1" "$T/$2"
}

# $T/ref: the batch added by a plain dc-add, what "old + batch" is; and
# $T/counted/err: the calls the faulty one makes for it.
make_reference() {
	fresh base ref
	run_add "$T/ref" dc-add
	[ "$(cat "$T/ref/rc")" = 0 ]
	[ -s "$T/ref/out" ]
	OLD_COUNT=$(dc-grep --history -c "$T/base/people.tsv")
	NEW_COUNT=$(dc-grep --history -c "$T/ref/people.tsv")
	fresh base counted
	run_add "$T/counted" "$FAULTY" count
	cmp "$T/counted/people.tsv" "$T/ref/people.tsv"
}

# count_of OP [DIR]: how many calls of OP the counted run made.
count_of() {
	sed -n "s/^DC_FAULT=count:.* $1=\([0-9]*\).*/\1/p" "${2:-$T/counted}/err"
}

# kind_of N [DIR]: the kind of the counted run's Nth call.
kind_of() {
	awk -v n="$1" '/^DC_FAULT=order:/ { print $(n + 1) }' "${2:-$T/counted}/err"
}

# The batch log as it was: absent stays absent (or holds only the header
# a failed first batch may leave), else byte for byte.
batches_old() {
	if [ -e "$T/base/people.batches" ]; then
		cmp -s "$1/people.batches" "$T/base/people.batches"
	else
		[ ! -e "$1/people.batches" ] ||
		    cmp -s "$1/people.batches" <(head -n 1 "$T/ref/people.batches")
	fi
}

# The batch log with the batch: the old lines, then the reference's last
# line but for its time (field 2).
batches_new() {
	[ -e "$1/people.batches" ] &&
	    cmp -s <(sed '$d' "$1/people.batches") <(sed '$d' "$T/ref/people.batches") &&
	    cmp -s <(tail -n 1 "$1/people.batches" | cut -f 1,3-) \
		<(tail -n 1 "$T/ref/people.batches" | cut -f 1,3-)
}

# What DIR holds: old (the base, byte for byte), new (the base and the
# whole batch, as the reference left it), journal (a journal not empty)
# or torn (anything else).
state_of() {
	if [ -s "$1/people.journal" ]; then
		echo journal
	elif cmp -s "$1/people.tsv" "$T/base/people.tsv" && batches_old "$1"; then
		echo old
	elif cmp -s "$1/people.tsv" "$T/ref/people.tsv" && batches_new "$1"; then
		echo new
	else
		echo torn
	fi
}

# The same dc-add again, after whatever happened to DIR: the batch is
# in once, its ids are printed and dc-check finds nothing.  Says what
# went wrong, if anything.
retry_is_clean() {
	run_add "$1" dc-add
	if [ "$(cat "$1/rc")" != 0 ] || ! cmp -s "$1/out" "$T/ref/out" ||
	    [ "$(state_of "$1")" != new ] ||
	    ! dc-check "$1/people.tsv" >/dev/null 2>&1; then
		echo "then dc-add again: exit $(cat "$1/rc"), left $(state_of "$1")," \
		    "printed $(wc -l <"$1/out") ids, said: $(cat "$1/err")"
		return 1
	fi
}

# Fail every call in turn: exit 2, the message says what was left, and
# the files show it.
fail_every_call() {
	local op n kind why msg want st failed=0

	for op in $OPS; do
		for n in $(seq 1 "$(count_of "$op")"); do
			fresh base w
			run_add "$T/w" "$FAULTY" "$op:$n"
			kind=$op
			[ "$op" = any ] && kind=$(kind_of "$n")
			why="Input/output error"
			[ "$kind" = write ] && why="No space left on device"
			msg=$(cat "$T/w/err")
			case $msg in
			"dc-add: people.tsv: cannot write: $why; nothing was added" |\
			"dc-add: people.tsv: cannot write its batches log: $why; nothing was added" |\
			"dc-add: people.tsv: cannot write its journal: $why; nothing was added")
				want=old ;;
			"dc-add: $RECORDS added to people.tsv, but the ids could not be written: $why (the same command again prints them)")
				want=new ;;
			*)	want="a message that says so" ;;
			esac
			st=$(state_of "$T/w")
			if [ "$(cat "$T/w/rc")" != 2 ] || [ "$st" != "$want" ]; then
				echo "DC_FAULT=$op:$n ($kind): exit $(cat "$T/w/rc"), left $st, said: $msg"
				failed=$((failed + 1))
			elif ! retry_is_clean "$T/w"; then
				echo "  (after DC_FAULT=$op:$n)"
				failed=$((failed + 1))
			fi
		done
	done
	[ "$failed" = 0 ]
}

# Cut the power at every call, and once after the last: what is left is
# old or new once recovered, new if any id was printed; readers never
# count a part of the batch.
cut_every_call() {
	local n seen st failed=0

	for n in $(seq 1 $(($(count_of any) + 1))); do
		fresh base w
		run_add "$T/w" "$FAULTY" "power:$n"
		seen=$(dc-grep --history -c "$T/w/people.tsv" 2>/dev/null)
		if [ "$(cat "$T/w/rc")" != 137 ]; then
			echo "DC_FAULT=power:$n: exit $(cat "$T/w/rc"), said: $(cat "$T/w/err")"
			failed=$((failed + 1))
			continue
		fi
		if [ "$seen" != "$OLD_COUNT" ] && [ "$seen" != "$NEW_COUNT" ]; then
			echo "DC_FAULT=power:$n: a reader counts $seen records" \
			    "(before: $OLD_COUNT, with the batch: $NEW_COUNT)"
			failed=$((failed + 1))
		fi
		cp "$T/w/out" "$T/w/printed"
		run_add "$T/w" dc-add "" --recover
		st=$(state_of "$T/w")
		if [ "$(cat "$T/w/rc")" != 0 ] || { [ "$st" != old ] && [ "$st" != new ]; } ||
		    { [ -s "$T/w/printed" ] && [ "$st" != new ]; }; then
			echo "DC_FAULT=power:$n, then dc-add --recover: exit" \
			    "$(cat "$T/w/rc"), left $st, $(wc -l <"$T/w/printed")" \
			    "ids printed before the cut, said: $(cat "$T/w/err")"
			failed=$((failed + 1))
		elif ! retry_is_clean "$T/w"; then
			echo "  (after DC_FAULT=power:$n)"
			failed=$((failed + 1))
		fi
	done
	[ "$failed" = 0 ]
}

# $T/torn: a power cut that left the whole batch in the registry and a
# complete journal beside it (the cut before the journal's removal).
make_torn() {
	local n

	for n in $(seq 1 "$(count_of any)"); do
		fresh base torn
		run_add "$T/torn" "$FAULTY" "power:$n"
		if [ -e "$T/torn/people.journal" ] &&
		    tail -n 1 "$T/torn/people.journal" | grep -qx end &&
		    cmp -s "$T/torn/people.tsv" "$T/ref/people.tsv"; then
			return 0
		fi
	done
	echo "no power cut left the batch in with a complete journal"
	return 1
}

# A recovery that fails or loses the power itself: another recovery
# still undoes the batch, and readers never count it meanwhile.
recover_under_faults() {
	local fault n seen failed=0

	fresh torn counted-recover
	run_add "$T/counted-recover" "$FAULTY" count --recover
	[ "$(state_of "$T/counted-recover")" = old ]
	for fault in $(for op in $OPS; do
		    seq -f "$op:%g" 1 "$(count_of "$op" "$T/counted-recover")"
		done) $(seq -f "power:%g" 1 $(($(count_of any "$T/counted-recover") + 1))); do
		fresh torn w
		run_add "$T/w" "$FAULTY" "$fault" --recover
		seen=$(dc-grep --history -c "$T/w/people.tsv" 2>/dev/null)
		cp "$T/w/err" "$T/w/first"
		run_add "$T/w" dc-add "" --recover
		if [ "$seen" != "$OLD_COUNT" ] || [ "$(cat "$T/w/rc")" != 0 ] ||
		    [ "$(state_of "$T/w")" != old ]; then
			echo "dc-add --recover with DC_FAULT=$fault (said: $(cat "$T/w/first")):" \
			    "a reader counts $seen; then dc-add --recover: exit $(cat "$T/w/rc")," \
			    "left $(state_of "$T/w"), said: $(cat "$T/w/err")"
			failed=$((failed + 1))
		fi
	done
	[ "$failed" = 0 ]
}

@test "faults: the test build counts the calls and refuses a bad DC_FAULT" {
	make_base first
	single_add
	make_reference
	[ "$(count_of write)" -ge 2 ]   # the records, the ids
	[ "$(count_of any)" -ge "$(count_of write)" ]
	[ "$(kind_of "$(count_of any)")" = write ]      # the ids come last
	fresh base w
	run_add "$T/w" "$FAULTY" write:x
	[ "$(cat "$T/w/rc")" = 2 ]
	[ "$(cat "$T/w/err")" = "dc-add: DC_FAULT=write:x: give OP:N (OP write, fsync, ftruncate, rename, unlink, open or any), power:N or count" ]
	[ "$(state_of "$T/w")" = old ]
}

@test "faults: a plain dc-add is not the test build" {
	make_base first
	single_add
	fresh base w
	run_add "$T/w" dc-add write:1
	[ "$(cat "$T/w/rc")" = 0 ]
	[ ! -s "$T/w/err" ]
}

@test "faults: a single add: every failing call leaves the registry as it was, or the record in, and says which" {
	make_base later
	single_add
	make_reference
	fail_every_call
}

@test "faults: a bulk import, the first batch: every failing call leaves the registry as it was, or the batch in, and says which" {
	make_base first
	bulk_import
	make_reference
	fail_every_call
}

@test "faults: a single add: a power cut at any call leaves nothing or the record, and the record once ids were printed" {
	make_base later
	single_add
	make_reference
	cut_every_call
}

@test "faults: a bulk import: a power cut at any call leaves nothing or the batch, and the batch once ids were printed" {
	make_base first
	bulk_import
	make_reference
	cut_every_call
}

@test "faults: a recovery that fails or loses the power is undone by the next one" {
	make_base later
	bulk_import
	make_reference
	make_torn
	recover_under_faults
}

@test "faults: --init: every failing call leaves no registry, and says so" {
	local op n rc failed=0

	mkdir "$T/base"
	cp "$FIX/people.schema" "$T/base/"
	(cd "$T/base" && DC_FAULT=count "$FAULTY" --init people.tsv 2>"$T/counts")
	rm "$T/base/people.tsv"
	for op in $OPS; do
		for n in $(seq 1 "$(sed -n "s/^DC_FAULT=count:.* $op=\([0-9]*\).*/\1/p" "$T/counts")"); do
			fresh base w
			rc=0
			(cd "$T/w" && DC_FAULT="$op:$n" "$FAULTY" --init people.tsv 2>err) || rc=$?
			echo "$rc" >"$T/w/rc"
			if [ "$(cat "$T/w/rc")" != 2 ] || [ -e "$T/w/people.tsv" ] ||
			    ! cmp -s "$T/w/people.schema" "$FIX/people.schema" ||
			    ! grep -q '^dc-add: people.tsv: ' "$T/w/err"; then
				echo "--init with DC_FAULT=$op:$n: exit $(cat "$T/w/rc"), said: $(cat "$T/w/err")"
				failed=$((failed + 1))
			fi
			(cd "$T/w" && dc-add --init people.tsv) || failed=$((failed + 1))
		done
	done
	[ "$failed" = 0 ]
}

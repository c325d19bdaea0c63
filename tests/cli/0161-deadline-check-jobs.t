#!/usr/bin/env bash
# deadline-check -j: cases evaluated on several threads give the output of
# one thread, byte for byte, in every format, with and without the
# evaluation cache; warnings about unreadable cases come in tree order.
. "$(dirname "$0")/lib.sh"

: "${CT_BENCH:?CT_BENCH must name the directory of gen-store}"
S="$T/g"
"$CT_BENCH/gen-store" --seed 5 --history 2 600 "$S" 2>/dev/null
# two cases that can not be evaluated, in different shards
for f in $(git -C "$S" ls-tree -r --name-only HEAD | grep '/case.yaml$' | sed -n '1p;$p'); do
	id=$(basename "$(dirname "$f")")
	printf 'id: %s\njurisdiction: NSW\n' "$id" >"$S/$f"
done
git -C "$S" commit -qam "two broken cases"
n=$(commits "$S")

for fmt in text json csv ics; do
	deadline-check -C "$S" --today 2026-11-24 --status all --format $fmt \
	    --explain -j 1 --no-cache >"$T/one" 2>"$T/one.err"
	for j in 2 3; do
		run deadline-check -C "$S" --today 2026-11-24 --status all \
		    --format $fmt --explain -j $j --no-cache
		check "$fmt: -j $j gives the output of -j 1" cmp -s "$T/out" "$T/one"
		check "$fmt: -j $j warns as -j 1" cmp -s "$T/err" "$T/one.err"
	done
	run deadline-check -C "$S" --today 2026-11-24 --status all \
	    --format $fmt --explain -j 2
	check "$fmt: -j 2 with the cache gives the output of -j 1" cmp -s "$T/out" "$T/one"
done
expect 2 "two cases could not be evaluated"
err_has "2 cases could not be evaluated" "says how many"
run deadline-check -C "$S" --today 2026-11-24 -j 2 --stats
err_has "598 cases from cache, 2 evaluated" "-j 2 reads the cache the threads wrote"
run deadline-check -C "$S" --today 2026-11-24 -j 0
expect 2 "-j 0 refused"
err_has "-j: expected a number of threads" "says what -j takes"
is "$(commits "$S")" "$n" "no commit"
clean "$S" "at the end"
done_testing

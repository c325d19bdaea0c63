#!/usr/bin/env bash
# Concurrent writers on one store: 4 processes x 50 writes, to different
# cases and to the same case.  Every write lands exactly once.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$S" --today 2026-01-01 --cohort sentenced SHARED P0 P1 P2 P3 2>/dev/null
base=$(commits "$S")

writer() {
	local w=$1 i d
	for i in $(seq 1 50); do
		d=$(date -d "2026-01-01 + $((w * 50 + i)) days" +%F)
		if [ $((i % 2)) -eq 0 ]; then
			case-event -C "$S" SHARED engaged --date "$d" -m "w$w-$i" 2>>"$T/w$w.err" || echo "fail $w $i" >>"$T/fail"
		else
			case-event -C "$S" "P$w" engaged --date "$d" -m "w$w-$i" 2>>"$T/w$w.err" || echo "fail $w $i" >>"$T/fail"
		fi
	done
}
for w in 0 1 2 3; do writer "$w" & done
wait

check "no writer failed" test ! -e "$T/fail"
is "$(commits "$S")" "$((base + 200))" "exactly 200 new commits"
is "$(git -C "$S" log --format='%(trailers:key=Reason,valueonly)' | sed '/^$/d' | grep -c '^w[0-9]*-[0-9]*$')" 200 "200 distinct writes in history"
is "$(git -C "$S" log --format='%(trailers:key=Reason,valueonly)' | sed '/^$/d' | grep '^w' | sort -u | wc -l)" 200 "each write once"
is "$(grep -c 'type: engaged' "$S/$(shard SHARED)/case.yaml")" 100 "the shared case holds all 100 of its events"
for w in 0 1 2 3; do
	is "$(grep -c 'type: engaged' "$S/$(shard "P$w")/case.yaml")" 25 "P$w holds its 25 events"
done
check "git fsck clean" git -C "$S" fsck --strict --no-progress --no-dangling
clean "$S" "after concurrent writes"

done_testing

#!/usr/bin/env bash
# Concurrent writers on one store: WORKERS processes x WRITES writes each
# (4 x 50 here; make soak runs 8 x 500 with REL_WORKERS and REL_WRITES),
# mixing every tool of tests/reliability/writers.sh on mixed cases, several
# workers on the same record.  Every write that succeeds lands exactly
# once; a write that fails says why and exits 2; nothing else is committed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../reliability/writers.sh"

WORKERS=${REL_WORKERS:-4}
WRITES=${REL_WRITES:-50}
RS="$T/s"
rel_store "$RS" || { echo "Bail out! cannot make a store"; exit 1; }
base=$(commits "$RS")
set -- $REL_WRITERS
kinds=("$@")

# worker W: WRITES writes, cycling through the tools; one line per write
# in $T/wW.log: "tag exit in-record tool", and the last line of stderr of
# each write that failed in $T/wW.err
worker() {
	local w=$1 i k rc
	for i in $(seq 1 "$WRITES"); do
		k=${kinds[$(((w + i) % ${#kinds[@]}))]}
		rel_cmd "$k" "$w" "$((w * WRITES + i))" "rel-$w-$i"
		"${REL_CMD[@]}" >/dev/null 2>"$T/w$w.last"
		rc=$?
		echo "rel-$w-$i $rc $REL_IN_RECORD ${REL_CMD[0]}" >>"$T/w$w.log"
		[ "$rc" -ne 0 ] && echo "${REL_CMD[0]} $(tail -1 "$T/w$w.last")" >>"$T/w$w.err"
	done
}
start=$(date +%s)
for w in $(seq 0 $((WORKERS - 1))); do worker "$w" & done
wait
echo "# $((WORKERS * WRITES)) writes by $WORKERS workers in $(($(date +%s) - start)) s"

cat "$T"/w*.log >"$T/all"
is "$(wc -l <"$T/all")" "$((WORKERS * WRITES))" "every write ran"
is "$(awk '$2 != 0 && $2 != 2' "$T/all" | wc -l)" 0 "every write exited 0 or 2"
nfail=$(awk '$2 == 2' "$T/all" | wc -l)
echo "# $nfail writes failed with exit 2"
if [ "$nfail" -gt 0 ]; then
	# "tool tool: what went wrong", e.g. a review of a plan that another
	# review changed since it was read: "the plan changed meanwhile"
	is "$(cat "$T"/w*.err | grep -cv '^\([a-z-]*\) \1: ..........')" 0 \
	    "each of the $nfail failures said why"
	cat "$T"/w*.err | sed 's/[0-9]//g' | sort | uniq -c | sed 's/^/# /'
fi
awk '$2 == 0 {print $1}' "$T/all" | sort >"$T/ok"
rel_tags "$RS" | sort >"$T/history"
is "$(comm -23 "$T/ok" "$T/history" | wc -l)" 0 "every successful write is in the history ($(wc -l <"$T/ok"))"
is "$(uniq -d "$T/history" | wc -l)" 0 "no write is in the history twice"
is "$(comm -13 "$T/ok" "$T/history" | wc -l)" 0 "no failed write is in the history"
is "$(commits "$RS")" "$((base + $(wc -l <"$T/ok")))" "one commit per successful write"
git -C "$RS" grep -h -o 'rel-[0-9]*-[0-9]*' HEAD -- cases | sort -u >"$T/inhead"
awk '$2 == 0 && $3 == "yes" {print $1}' "$T/all" | sort >"$T/want"
is "$(comm -23 "$T/want" "$T/inhead" | wc -l)" 0 "each write's text is in the records at HEAD ($(wc -l <"$T/want"))"
check "store-verify accepts the history" store-verify -C "$RS" -q
check "git fsck clean" git -C "$RS" fsck --strict --no-progress --no-dangling
clean "$RS" "after concurrent writes"

done_testing

#!/usr/bin/env bash
# Crash consistency: run the writers of writers.sh one after another and
# kill them with SIGKILL at random points, until KILLS of them were killed.
#
#   bash tests/reliability/crash.sh [KILLS [SEED]]      (TAP; needs CT_BIN,
#                                                        CT_FIXTURES)
#
# Each write is killed after a random delay drawn from 0 to 1.5 times what
# that tool took unkilled, so kills land before, during and after the
# commit and the index/work tree sync.  After each kill: git fsck --strict
# is clean, HEAD is a complete commit whose new records store-verify
# accepts, the next write succeeds (unkilled) and leaves git status clean.
# At the end every write that reported success is in the history exactly
# once, a killed write at most once, and nothing else was committed.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/writers.sh"

KILLS=${1:-50}
RANDOM=${2:-$$}
echo "# $KILLS kills, seed $RANDOM"

RS="$T/s"
rel_store "$RS" || { echo "Bail out! cannot make a store"; exit 1; }
base=$(commits "$RS")
set -- $REL_WRITERS
nkinds=$#
kinds=("$@")

ms() { echo $(($(date +%s%N) / 1000000)); }

# what each tool takes unkilled (a few writes each), in microseconds
declare -A took
seq=0
: >"$T/ok"
: >"$T/killed"
for k in "${kinds[@]}"; do
	t0=$(ms)
	for i in 1 2 3; do
		seq=$((seq + 1))
		rel_write "$k" "$i" "$seq" "rel-1-$seq" >/dev/null 2>&1 &&
		    echo "rel-1-$seq" >>"$T/ok"
	done
	took[$k]=$((($(ms) - t0) * 1000 / 3))
	echo "# $k takes about $((took[$k] / 1000)) ms"
done

fail_fsck=0 fail_head=0 fail_verify=0 fail_next=0 fail_clean=0 fail_other=0
kills=0 landed=0 runs=0 recovered=0
# one write; $1: kill it after a random delay (1) or let it finish (0)
one() {
	local kill=$1 k=${kinds[$((RANDOM % nkinds))]} slot=$((RANDOM % 8)) us
	seq=$((seq + 1))
	tag="rel-1-$seq"
	rel_cmd "$k" "$slot" "$seq" "$tag"
	runs=$((runs + 1))
	if [ "$kill" -eq 1 ]; then
		us=$(( (RANDOM * 32768 + RANDOM) % (took[$k] * 3 / 2 + 1) ))
		# the subshell keeps bash's "Killed" notice out of the TAP
		( timeout -s KILL "$(printf '%d.%06d' $((us / 1000000)) \
		    $((us % 1000000)))" "${REL_CMD[@]}" >"$T/out" 2>"$T/err"
		    exit $? ) 2>/dev/null
	else
		"${REL_CMD[@]}" >"$T/out" 2>"$T/err"
	fi
	rc=$?
	lastkind=$k
}

while [ "$kills" -lt "$KILLS" ]; do
	before=$(git -C "$RS" rev-parse HEAD)
	one 1
	if [ "$rc" -eq 0 ]; then
		echo "$tag" >>"$T/ok"
		continue
	fi
	if [ "$rc" -ne 137 ]; then
		fail_other=$((fail_other + 1))
		not_ok "$tag ($lastkind) failed unkilled with exit $rc" "${REL_CMD[*]}"
		continue
	fi
	kills=$((kills + 1))
	echo "$tag" >>"$T/killed"
	after=$(git -C "$RS" rev-parse HEAD)
	[ "$after" != "$before" ] && landed=$((landed + 1))
	if ! git -C "$RS" fsck --strict --no-progress --no-dangling >"$T/fsck" 2>&1 ||
	    [ -s "$T/fsck" ]; then
		fail_fsck=$((fail_fsck + 1))
		not_ok "kill $kills ($tag, $lastkind): git fsck --strict" "$(head -5 "$T/fsck")"
	fi
	if ! git -C "$RS" cat-file -e "$after^{tree}" 2>/dev/null ||
	    { [ "$after" != "$before" ] &&
	      [ "$(git -C "$RS" rev-parse "$after^")" != "$before" ]; }; then
		fail_head=$((fail_head + 1))
		not_ok "kill $kills ($tag, $lastkind): HEAD is the old commit or one new commit on it"
	fi
	if [ "$after" != "$before" ] &&
	    ! store-verify -C "$RS" -q --since "$before" >"$T/verify" 2>&1; then
		fail_verify=$((fail_verify + 1))
		not_ok "kill $kills ($tag, $lastkind): store-verify of the new commit" "$(head -5 "$T/verify")"
	fi
	one 0
	if [ "$rc" -ne 0 ]; then
		fail_next=$((fail_next + 1))
		not_ok "kill $kills: the next write ($tag, $lastkind) succeeds" "exit $rc"
		cat "$T/err" | sed 's/^/#   /'
		continue
	fi
	echo "$tag" >>"$T/ok"
	grep -q 'left by an interrupted write' "$T/err" && recovered=$((recovered + 1))
	st=$(git -C "$RS" status --porcelain)
	if [ -n "$st" ]; then
		fail_clean=$((fail_clean + 1))
		not_ok "kill $kills: git status clean after the next write" "$st"
	fi
done

echo "# $runs writes, $kills killed ($landed of them after their commit), $recovered stale lock recoveries"
is "$fail_other" 0 "every write not killed succeeded"
is "$fail_fsck" 0 "git fsck --strict clean after each of $kills kills"
is "$fail_head" 0 "HEAD a complete commit (old, or one new) after each kill"
is "$fail_verify" 0 "store-verify accepts each commit a killed write made ($landed)"
is "$fail_next" 0 "the write after each kill succeeds"
is "$fail_clean" 0 "git status clean after the write that follows each kill"

rel_tags "$RS" | sort >"$T/history"
sort "$T/ok" >"$T/ok.s"
is "$(comm -23 "$T/ok.s" "$T/history" | wc -l)" 0 "every write that reported success is in the history ($(wc -l <"$T/ok"))"
is "$(uniq -d "$T/history" | wc -l)" 0 "no write is in the history twice"
is "$(sort "$T/ok" "$T/killed" | comm -13 - "$T/history" | wc -l)" 0 "nothing in the history that was not written"
is "$(commits "$RS")" "$((base + $(wc -l <"$T/history")))" "one commit per write that landed, nothing else"
check "store-verify accepts the whole history" store-verify -C "$RS" -q
check "git fsck --strict clean at the end" git -C "$RS" fsck --strict --no-progress --no-dangling
clean "$RS" "at the end"
done_testing

#!/usr/bin/env bash
# store-sync fetches the central repository's receipts to
# refs/remotes/<remote>/receipts/ and checks each new one against the
# remote's settings, registry and history; the receipt of its own push
# comes back in the same run.  A forged receipt is not kept and nothing
# is taken (exit 2); a receipt the remote moved does not replace the
# clone's copy.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/receipts.sh"

case-event -C "$S" ACT-0001 reception --date "$today" >/dev/null 2>&1
run store-sync -C "$S"
expect 0 "office 1 pushes"
ref=$(git -C "$C" for-each-ref --format='%(refname)' refs/receipts)
mine="refs/remotes/origin/receipts/${ref#refs/receipts/}"
is "$(git -C "$S" rev-parse -q --verify "$mine")" "$(git -C "$C" rev-parse "$ref")" \
    "office 1 holds the receipt of its own push at once"

B="$T/b"
office "$B" "Jo Lee" jo@example.org "$K/jo"
case-event -C "$B" ACT-0001 engaged --date "$today" >/dev/null 2>&1
run store-sync -C "$B"
expect 0 "office 2 syncs"
is "$(git -C "$B" for-each-ref refs/remotes/origin/receipts | wc -l)" 2 "office 2 holds both receipts"
run store-sync -C "$S"
expect 0 "office 1 syncs again"
is "$(git -C "$S" for-each-ref refs/remotes/origin/receipts | wc -l)" 2 "... and holds office 2's receipt"
run store-verify -C "$S" --quiet
expect 0 "office 1 verifies, receipts included"

# the central repository's owner forges a receipt (unsigned)
git -C "$C" -c user.name="Central repository" -c user.email=central@example.org \
    tag -a -m "casetrail receipt: main received at 2026-01-01 00:00:00Z

Received: 2026-01-01T00:00:00Z
Pusher: nobody
Update: 0000000000000000000000000000000000000000 $(git -C "$C" rev-parse main) refs/heads/main" forged main
git -C "$C" update-ref refs/receipts/20260101T000000Z-forged refs/tags/forged
case-event -C "$B" ACT-0001 at-risk --date "$today" >/dev/null 2>&1
git -C "$B" push -q origin main 2>/dev/null
n=$(git -C "$S" rev-parse main)
run store-sync -C "$S"
expect 2 "store-sync refuses a forged receipt"
err_has "refs/remotes/origin/receipts/20260101T000000Z-forged: receipt-signature: the receipt is not signed" "... naming it and why"
err_has "1 bad or moved receipt from origin, not kept; nothing was changed" "... nothing changed"
is "$(git -C "$S" rev-parse main)" "$n" "main did not move"
check "the forged receipt is not kept" test -z "$(git -C "$S" for-each-ref refs/remotes/origin/receipts/20260101T000000Z-forged)"
run store-sync -C "$S"
expect 2 "... and is refused again at the next sync"
git -C "$C" update-ref -d refs/receipts/20260101T000000Z-forged
run store-sync -C "$S"
expect 0 "without it, office 1 syncs"

# a receipt moved on the central repository: the clone keeps its copy
held=$(git -C "$S" rev-parse "$mine")
git -C "$C" update-ref "$ref" refs/tags/forged
case-event -C "$B" ACT-0001 released --date "$today" >/dev/null 2>&1
git -C "$B" push -q origin main 2>/dev/null
run store-sync -C "$S"
expect 2 "store-sync does not take a receipt the remote moved"
err_has "$mine: origin moved its receipt from ${held:0:12}" "... saying so"
is "$(git -C "$S" rev-parse "$mine")" "$held" "the clone's copy is as it was"
clean "$S" "office 1"

done_testing

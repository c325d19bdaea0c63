#!/usr/bin/env bash
# Backdating, a finding for review: store-verify prints an entry dated
# more than receipts.backdate_days (default 14) before its commit was
# received (its receipt), else made, as "review <commit> <path>
# backdated: ..." without changing the exit status; the window is the
# store's; a store without a receipts policy is not reviewed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/receipts.sh"

case-event -C "$S" ACT-0001 reception --date "$(day 20)" >/dev/null 2>&1
late=$(git -C "$S" rev-parse --short=12 HEAD)
case-event -C "$S" ACT-0001 engaged --date "$(day 10)" >/dev/null 2>&1
run store-sync -C "$S"
expect 0 "pushed through the hooks"
ref=$(git -C "$C" for-each-ref --format='%(refname)' refs/receipts)

run store-verify -C "$C"
expect 0 "store-verify: a finding for review is not a problem"
D=$(shard ACT-0001)
is "$(cat "$T/out")" "review $late $D/case.yaml backdated: events[0] (reception) is dated $(day 20), 20 days before its commit was received ($ref) on $today; the window is 14 days (receipts.backdate_days): review why it was recorded late" \
    "one finding: the event 20 days before its receipt, naming it"
err_has "store-verify: 1 finding for review (backdated entries), not problems" "counted on stderr"
run store-verify -C "$S" --quiet
expect 0 "the office's clone: the same"
is "$(grep -c '^review ' "$T/out")" 1 "... the same finding, by the fetched receipt"
out_has "received (refs/remotes/origin/receipts/${ref#refs/receipts/})" "... naming the receipt as fetched"

# a commit no receipt covers yet: by the day it was made
case-event -C "$S" ACT-0001 at-risk --date "$(day 30)" >/dev/null 2>&1
unpushed=$(git -C "$S" rev-parse --short=12 HEAD)
run store-verify -C "$S" --quiet
out_has "review $unpushed $D/case.yaml backdated: events[0] (at-risk) is dated $(day 30), 30 days before its commit was made (no receipt) on $today" \
    "an unpushed commit: by the day it was made"

# the window is store policy
settings_commit "$S" '$a \ \ backdate_days: 5' "casetrail.yaml: backdating window 5 days"
run store-verify -C "$S" --quiet
expect 0 "a narrower window"
is "$(grep -c '^review ' "$T/out")" 3 "... finds the 10-day-late entry too"
out_has "events[1] (engaged) is dated $(day 10), 10 days before its commit was received" "... the engaged event"
out_has "the window is 5 days" "... saying the window"

# bulk intake records history: its commits are not reviewed
printf 'id,cohort,manager,event,date,stage,note\nACT-0101,remandee,,,,,\nACT-0101,,,reception,%s,,\n' \
    "$(day 200)" >"$T/intake.csv"
run case-import -C "$S" "$T/intake.csv"
expect 0 "an intake of old cases"
run store-verify -C "$S" --quiet
is "$(grep -c '^review ' "$T/out")" 3 "... adds no finding for review"
check "... none for the imported case" bash -c "! grep -q ACT-0101 '$T/out'"
case-event -C "$S" ACT-0101 engaged --date "$(day 100)" >/dev/null 2>&1
run store-verify -C "$S" --quiet
out_has "$(shard ACT-0101)/case.yaml backdated: events[1] (engaged) is dated $(day 100), 100 days" \
    "... but an event recorded by hand later is"

# a problem still sets the exit status, findings or not
git -C "$S" commit -q --allow-empty -m "nothing"
git -C "$S" -c user.email=nobody@example.org commit -q --allow-empty -m "unregistered"
run store-verify -C "$S" --quiet
expect 1 "problems: exit 1"

# a store without a receipts policy is not reviewed
N="$T/n"
new_store "$N" ACT || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$N" --cohort remandee ACT-0002 >/dev/null 2>&1
case-event -C "$N" ACT-0002 reception --date "$(day 100)" >/dev/null 2>&1
run store-verify -C "$N" --quiet
expect 0 "no receipts policy"
is "$(cat "$T/out")" "" "... no review"

done_testing

#!/usr/bin/env bash
# deadline-check --explain notes an obligation met by an entry recorded
# (received, else committed) after its due date: every run from the day
# after the due date until the recording reported it overdue.  The
# remandee's engagement (ACT-REMAND-ENGAGE, 5 business days from
# reception) is dated in time but recorded, and received, weeks later;
# store-verify reviews the same entry as backdated.  An engagement
# recorded in time gets no note, and without --explain nothing changes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/receipts.sh"

case-event -C "$S" ACT-0001 reception --date "$(day 28)" >/dev/null 2>&1
case-event -C "$S" ACT-0001 engaged --date "$(day 27)" >/dev/null 2>&1
late=$(git -C "$S" rev-parse --short=12 HEAD)
case-new -C "$S" --cohort remandee ACT-0002 >/dev/null 2>&1
case-event -C "$S" ACT-0002 reception --date "$(day 1)" >/dev/null 2>&1
case-event -C "$S" ACT-0002 engaged --date "$today" >/dev/null 2>&1
run store-sync -C "$S"
expect 0 "pushed through the hooks: received today"

run deadline-check -C "$S" --status met --rule ACT-REMAND-ENGAGE --case ACT-0001 --explain
expect 0 "deadline-check --explain"
out_has "ACT-REMAND-ENGAGE" "the obligation is met"
due=$(sed -n 's/.* = \([0-9-]*\).*/\1/p' "$T/out" | head -1)
check "its due date is before today" test "$due" \< "$today"
out_has "$due; met by an entry dated $(day 27) that was recorded (received) on $today, after the due date: a run from $(date -u -d "$due + 1 day" +%F) until then reported it overdue" \
    "the note: recorded after the due date, by its receipt"

run deadline-check -C "$S" --status met --rule ACT-REMAND-ENGAGE --case ACT-0001 --explain --format json
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 1 and "recorded (received) on" in d[0]["explain"], d
' "$T/out" && ok "json: the note is in explain" || not_ok "json: the note is in explain"

run deadline-check -C "$S" --status met --rule ACT-REMAND-ENGAGE --case ACT-0002 --explain
expect 0 "an engagement recorded in time"
check "... has no note" bash -c "! grep -q 'met by an entry' '$T/out'"

run deadline-check -C "$S" --status met --rule ACT-REMAND-ENGAGE --case ACT-0001 --format json
check "without --explain no note" bash -c "! grep -q 'met by an entry' '$T/out'"

# a clone without the receipt: recorded means committed
O="$T/o"
git clone -q "$S" "$O"
run deadline-check -C "$O" --status met --rule ACT-REMAND-ENGAGE --case ACT-0001 --explain
out_has "that was recorded (committed) on $today" "no receipt: by the commit"

run store-verify -C "$S" --quiet
expect 0 "store-verify"
out_has "review $late $(shard ACT-0001)/case.yaml backdated: events[1] (engaged) is dated $(day 27), 27 days before its commit was received" \
    "store-verify reviews the same entry"
clean "$S" "the office"

done_testing

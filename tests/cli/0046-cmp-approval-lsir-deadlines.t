#!/usr/bin/env bash
# The CMP rules that read plan and assessment records, end to end:
# ACT-CMP-CUSTODIAL-APPROVAL (a plan pending approval is due 5 business
# days after it was submitted), ACT-CMP-CUSTODIAL staying met while a
# reviewed version waits, and ACT-LSIR-CURRENT (the newest LSI-R of a case
# in case planning is due again 12 months on).
. "$(dirname "$0")/lib.sh"
: "${CT_FIXTURES:?}"
PLAN="$CT_FIXTURES/cmp/custodial-act-0042.yaml"
Z=000000000000000000000000000000000000000000000000000000

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
registry -C "$S" add-operator carol --name "Carol Leader" --email carol@example.org \
    --role cmu-team-leader --agency djcs 2>/dev/null
case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 P-1 2>/dev/null
case-event -C "$S" ACT-0042 sentence-commenced --date 2026-03-02 2>/dev/null

# finding CASE RULE TODAY: "status,due" of each finding of that rule
finding() {
	deadline-check -C "$S" --today "$3" --status all --format csv \
	    --case "$1" --rule "$2" 2>/dev/null |
	    python3 -c '
import csv, sys
print(";".join("%s,%s" % (r["status"], r["due"]) for r in csv.DictReader(sys.stdin)))'
}

assess-add -C "$S" --today 2026-03-30 --date 2026-03-30 --items $Z ACT-0042 lsi-r >/dev/null 2>&1
# submitted Thu 2 Apr 2026; Good Friday 3 Apr and Easter Monday 6 Apr are
# ACT holidays: Tue 7 (1), Wed 8 (2), Thu 9 (3), Fri 10 (4), Mon 13 (5)
cmp-new -C "$S" --today 2026-04-02 --kind custodial -f "$PLAN" ACT-0042 >/dev/null 2>&1
is "$(finding ACT-0042 ACT-CMP-CUSTODIAL-APPROVAL 2026-04-13)" "due,2026-04-13" \
    "ACT-CMP-CUSTODIAL-APPROVAL: due on the 5th business day after Easter"
is "$(finding ACT-0042 ACT-CMP-CUSTODIAL-APPROVAL 2026-04-14)" "overdue,2026-04-13" \
    "ACT-CMP-CUSTODIAL-APPROVAL: overdue the day after"
run deadline-check -C "$S" --today 2026-04-10 --case ACT-0042 --explain
out_has "holidays skipped: 2026-04-03 Good Friday" "ACT-CMP-CUSTODIAL-APPROVAL: --explain names the holidays"
as "Carol Leader" carol@example.org cmp-approve -C "$S" --today 2026-04-08 --kind custodial ACT-0042 >/dev/null 2>&1
is "$(finding ACT-0042 ACT-CMP-CUSTODIAL-APPROVAL 2026-04-14)" "met,2026-04-13" \
    "ACT-CMP-CUSTODIAL-APPROVAL: met once the team leader approves"
run deadline-check -C "$S" --today 2026-04-14 --status all --format json \
    --case ACT-0042 --rule ACT-CMP-CUSTODIAL-APPROVAL
check "ACT-CMP-CUSTODIAL-APPROVAL: met_on is the approval's date" python3 -c '
import json, sys
f, = json.load(open(sys.argv[1]))
assert (f["status"], f["met_on"]) == ("met", "2026-04-08"), f
' "$T/out"

# a review sends the plan back for approval: a new approval obligation,
# while the plan itself (ACT-CMP-CUSTODIAL) stays met
cmp-review -C "$S" --today 2026-05-04 --kind custodial --reason scheduled \
    -m "Quarterly review" --offender-participated --complete N2 --date 2026-05-01 \
    ACT-0042 >/dev/null 2>&1
check "the review is pending approval" grep -q "status: pending-approval" \
    "$S/$(shard ACT-0042)/cmp/custodial.yaml"
is "$(finding ACT-0042 ACT-CMP-CUSTODIAL-APPROVAL 2026-05-12)" "overdue,2026-05-11" \
    "ACT-CMP-CUSTODIAL-APPROVAL: the reviewed version is due 5 business days after 4 May"
is "$(finding ACT-0042 ACT-CMP-CUSTODIAL 2026-05-12)" "met,2026-04-13" \
    "ACT-CMP-CUSTODIAL: still met while the reviewed version waits"
as "Carol Leader" carol@example.org cmp-approve -C "$S" --today 2026-05-13 --kind custodial ACT-0042 >/dev/null 2>&1
is "$(finding ACT-0042 ACT-CMP-CUSTODIAL-APPROVAL 2026-05-14)" "met-late,2026-05-11" \
    "ACT-CMP-CUSTODIAL-APPROVAL: approved on 13 May, two days late"

# ACT-LSIR-CURRENT: the newest LSI-R, in the case-planning stage only
case-event -C "$S" P-1 stage-changed --date 2026-01-10 --stage case-planning 2>/dev/null
is "$(finding P-1 ACT-LSIR-CURRENT 2026-06-01)" "" "ACT-LSIR-CURRENT: nothing without an LSI-R"
assess-add -C "$S" --today 2025-02-28 --date 2025-02-28 --items $Z P-1 lsi-r >/dev/null 2>&1
assess-add -C "$S" --today 2024-06-03 --date 2024-06-03 --items $Z P-1 lsi-r >/dev/null 2>&1
is "$(finding P-1 ACT-LSIR-CURRENT 2026-02-28)" "due,2026-02-28" \
    "ACT-LSIR-CURRENT: the newest LSI-R (28 Feb 2025) + 12 months, due that day"
is "$(finding P-1 ACT-LSIR-CURRENT 2026-03-01)" "overdue,2026-02-28" \
    "ACT-LSIR-CURRENT: overdue the day after"
assess-add -C "$S" --today 2026-03-05 --date 2026-03-05 --items $Z P-1 lsi-r >/dev/null 2>&1
is "$(finding P-1 ACT-LSIR-CURRENT 2026-03-06)" "upcoming,2027-03-05" \
    "ACT-LSIR-CURRENT: a new LSI-R restarts the 12 months"
case-event -C "$S" P-1 stage-changed --date 2026-03-10 --stage custodial 2>/dev/null
is "$(finding P-1 ACT-LSIR-CURRENT 2026-03-11)" "" "ACT-LSIR-CURRENT: not outside case planning"
clean "$S" "at the end"

done_testing

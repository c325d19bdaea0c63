#!/usr/bin/env bash
# The plans through deadline-check: ACT-CMP-CUSTODIAL met once cmp-approve
# approves the custodial plan (not while it is pending approval);
# ACT-EVENT-REVIEW due after a trigger event recorded with case-event
# (risk-rating-changed, stage-changed) and met by cmp-review after it,
# from the review's approval;
# ACT-CMP-COMMUNITY met by an approved community plan; ACT-REMAND-CMP met
# by a remand plan.
. "$(dirname "$0")/lib.sh"
: "${CT_FIXTURES:?}"
PLAN="$CT_FIXTURES/cmp/custodial-act-0042.yaml"
Z=000000000000000000000000000000000000000000000000000000

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
registry -C "$S" add-operator carol --name "Carol Leader" --email carol@example.org \
    --role cmu-team-leader --agency djcs 2>/dev/null
registry -C "$S" add-operator dan --name "Dan Community" --email dan@example.org \
    --role community-team-leader --agency djcs 2>/dev/null
case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 ACT-0043 2>/dev/null
case-new -C "$S" --today 2026-03-01 --cohort remandee ACT-0101 2>/dev/null
case-event -C "$S" ACT-0042 sentence-commenced --date 2026-03-02 2>/dev/null

# finding CASE RULE [TODAY]: "status,due,anchor_event" of the case's one
# finding of that rule, every status shown
finding() {
	deadline-check -C "$S" --today "${3:-2026-04-20}" --status all --format csv \
	    --case "$1" --rule "$2" 2>/dev/null |
	    python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
print(";".join("%s,%s,%s" % (r["status"], r["due"], r["anchor_event"]) for r in rows))'
}

# ACT-CMP-CUSTODIAL: due 6 weeks after sentence commencement
is "$(finding ACT-0042 ACT-CMP-CUSTODIAL 2026-04-01)" "due,2026-04-13,sentence-commenced" "ACT-CMP-CUSTODIAL: due with no plan"
assess-add -C "$S" --today 2026-04-01 --date 2026-04-01 --items $Z ACT-0042 lsi-r >/dev/null 2>&1
cmp-new -C "$S" --today 2026-04-02 --kind custodial -f "$PLAN" ACT-0042 >/dev/null 2>&1
is "$(finding ACT-0042 ACT-CMP-CUSTODIAL 2026-04-20)" "overdue,2026-04-13,sentence-commenced" "ACT-CMP-CUSTODIAL: a plan pending approval does not meet it"
run deadline-check -C "$S" --today 2026-04-20 --rule ACT-CMP-CUSTODIAL
expect 1 "ACT-CMP-CUSTODIAL: deadline-check exits 1 while overdue"
n=$(commits "$S")
run as "Carol Leader" carol@example.org cmp-approve -C "$S" --today 2026-04-03 --kind custodial ACT-0042
expect 0 "ACT-CMP-CUSTODIAL: the CMU Team Leader approves"
is "$(commits "$S")" "$((n + 1))" "one commit"
is "$(finding ACT-0042 ACT-CMP-CUSTODIAL 2026-04-20)" "met,2026-04-13,sentence-commenced" "ACT-CMP-CUSTODIAL: met after cmp-approve"
run deadline-check -C "$S" --today 2026-04-20 --rule ACT-CMP-CUSTODIAL
expect 0 "ACT-CMP-CUSTODIAL: nothing overdue"

# ACT-EVENT-REVIEW: a risk rating change makes a review due
is "$(finding ACT-0042 ACT-EVENT-REVIEW 2026-04-20)" "" "ACT-EVENT-REVIEW: nothing before a trigger event"
case-event -C "$S" ACT-0042 risk-rating-changed --date 2026-04-15 --rating high \
    -m "Positive drug test" 2>/dev/null
is "$(finding ACT-0042 ACT-EVENT-REVIEW 2026-04-20)" "upcoming,2026-05-13,risk-rating-changed" "ACT-EVENT-REVIEW: due 28 days after risk-rating-changed"
is "$(finding ACT-0042 ACT-EVENT-REVIEW 2026-05-14)" "overdue,2026-05-13,risk-rating-changed" "ACT-EVENT-REVIEW: overdue when not reviewed"
run deadline-check -C "$S" --today 2026-04-20 --case ACT-0042
out_has "ACT-EVENT-REVIEW" "ACT-EVENT-REVIEW: in the default report"
n=$(commits "$S")
run cmp-review -C "$S" --today 2026-04-20 --kind custodial --reason risk-rating-change \
    -m "Drug use relapse: program moved forward" --offender-participated \
    --complete N2 --date 2026-04-18 ACT-0042
expect 0 "ACT-EVENT-REVIEW: cmp-review after the event"
is "$(commits "$S")" "$((n + 1))" "one commit"
is "$(finding ACT-0042 ACT-EVENT-REVIEW 2026-04-21)" "upcoming,2026-05-13,risk-rating-changed" "ACT-EVENT-REVIEW: a review pending approval does not meet it yet"
# the review put the plan back to pending approval; the team leader
# approves it again, and that meets the review
as "Carol Leader" carol@example.org cmp-approve -C "$S" --today 2026-04-21 --kind custodial ACT-0042 >/dev/null 2>&1
is "$(finding ACT-0042 ACT-EVENT-REVIEW 2026-04-21)" "met,2026-05-13,risk-rating-changed" "ACT-EVENT-REVIEW: met once the review is approved"
is "$(finding ACT-0042 ACT-EVENT-REVIEW 2026-05-14)" "met,2026-05-13,risk-rating-changed" "ACT-EVENT-REVIEW: stays met"
is "$(finding ACT-0042 ACT-CMP-CUSTODIAL 2026-04-22)" "met,2026-04-13,sentence-commenced" "ACT-CMP-CUSTODIAL: met again after the review is approved"

# a stage transition triggers a review too; a review before it does not
# meet it
case-event -C "$S" ACT-0042 stage-changed --date 2026-04-25 --stage custodial 2>/dev/null
is "$(finding ACT-0042 ACT-EVENT-REVIEW 2026-04-26 | tr ';' '\n' | grep stage-changed)" \
    "upcoming,2026-05-23,stage-changed" "ACT-EVENT-REVIEW: due after stage-changed"
cmp-review -C "$S" --today 2026-04-27 --kind custodial --reason stage-transition \
    -f "$PLAN" ACT-0042 >/dev/null 2>&1
as "Carol Leader" carol@example.org cmp-approve -C "$S" --today 2026-04-27 --kind custodial ACT-0042 >/dev/null 2>&1
is "$(finding ACT-0042 ACT-EVENT-REVIEW 2026-04-28 | tr ';' '\n' | grep stage-changed)" \
    "met,2026-05-23,stage-changed" "ACT-EVENT-REVIEW: met by the stage-transition review"

# every other trigger event of ACT-EVENT-REVIEW, each met by the review
# with its reason
day=10
for ev in goals-change-requested:goals-change circumstances-changed:circumstances-change \
    charged-sentenced:serious-offence; do
	d=$(printf '2026-05-%02d' $day)
	r=$(printf '2026-05-%02d' $((day + 2)))
	case-event -C "$S" ACT-0042 "${ev%%:*}" --date "$d" 2>/dev/null
	is "$(finding ACT-0042 ACT-EVENT-REVIEW "$d" | tr ';' '\n' | grep ",${ev%%:*}$" | cut -d, -f1)" \
	    upcoming "ACT-EVENT-REVIEW: due after ${ev%%:*}"
	cmp-review -C "$S" --today "$r" --kind custodial --reason "${ev#*:}" -f "$PLAN" ACT-0042 >/dev/null 2>&1
	as "Carol Leader" carol@example.org cmp-approve -C "$S" --today "$r" --kind custodial ACT-0042 >/dev/null 2>&1
	is "$(finding ACT-0042 ACT-EVENT-REVIEW "$r" | tr ';' '\n' | grep ",${ev%%:*}$" | cut -d, -f1)" \
	    met "ACT-EVENT-REVIEW: ${ev%%:*} met by a ${ev#*:} review"
	day=$((day + 5))
done

# ACT-CMP-COMMUNITY: an approved community plan
case-event -C "$S" ACT-0043 stage-changed --date 2026-05-01 --stage community 2>/dev/null
case-event -C "$S" ACT-0043 cm-assigned --date 2026-05-04 --manager ada 2>/dev/null
is "$(finding ACT-0043 ACT-CMP-COMMUNITY 2026-05-10)" "upcoming,2026-06-29,cm-assigned" "ACT-CMP-COMMUNITY: due 8 weeks after cm-assigned"
printf 'goals: [Keep a job]\nneeds: []\n' >"$T/community.yaml"
cmp-new -C "$S" --today 2026-05-10 --kind community -f "$T/community.yaml" ACT-0043 >/dev/null 2>&1
is "$(finding ACT-0043 ACT-CMP-COMMUNITY 2026-05-11)" "upcoming,2026-06-29,cm-assigned" "ACT-CMP-COMMUNITY: not met while pending approval"
as "Dan Community" dan@example.org cmp-approve -C "$S" --today 2026-05-11 --kind community ACT-0043 >/dev/null 2>&1
is "$(finding ACT-0043 ACT-CMP-COMMUNITY 2026-05-12)" "met,2026-06-29,cm-assigned" "ACT-CMP-COMMUNITY: met after approval by the community team leader"

# ACT-REMAND-CMP: a remand plan may be made after 4 weeks; once made, met
case-event -C "$S" ACT-0101 reception --date 2026-03-02 2>/dev/null
is "$(finding ACT-0101 ACT-REMAND-CMP 2026-03-20)" "info,2026-03-30,reception" "ACT-REMAND-CMP: may be made from 4 weeks after reception"
run cmp-new -C "$S" --today 2026-03-29 --kind remand -f "$T/community.yaml" ACT-0101
expect 2 "ACT-REMAND-CMP: cmp-new refuses before that day"
cmp-new -C "$S" --today 2026-03-30 --kind remand -f "$T/community.yaml" ACT-0101 >/dev/null 2>&1
is "$(finding ACT-0101 ACT-REMAND-CMP 2026-03-31)" "met,2026-03-30,reception" "ACT-REMAND-CMP: met by the remand plan"
clean "$S" "at the end"

done_testing

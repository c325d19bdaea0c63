#!/usr/bin/env bash
# case-event not-engaging (ACT policy cl 1.11; community non-compliance) and
# breach-referred: the fields, the ACT-EVENT-REVIEW review they make due,
# and every refusal (exit 2, no commit).
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$S" --today 2026-01-02 --cohort sentenced ACT-0042 2>/dev/null
case-event -C "$S" ACT-0042 stage-changed --date 2026-01-05 --stage custodial 2>/dev/null
P="$S/$(shard ACT-0042)/case.yaml"
n=$(commits "$S")

run case-event -C "$S" ACT-0042 not-engaging --date 2026-03-02 \
    --service "Cognitive skills program" \
    --notified-by "Team Leader, Offender Reintegration" -m "Missed 3 sessions"
expect 0 "ACT-EVENT-REVIEW: not-engaging recorded"
is "$(commits "$S")" "$((n + 1))" "one commit"
is "$(git -C "$S" log -1 --format=%s)" "case-event: ACT-0042 not-engaging on 2026-03-02" "subject"
check "the event keeps the service and who notified the case manager" python3 - "$P" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
e = [x for x in d["events"] if x["type"] == "not-engaging"]
assert e == [{"date": "2026-03-02", "type": "not-engaging",
    "service": "Cognitive skills program",
    "notified_by": "Team Leader, Offender Reintegration",
    "note": "Missed 3 sessions"}], e
PY

# the review it makes due: only once a plan exists (not before it was made)
mkdir -p "$T/in"
cat >"$T/in/plan.yaml" <<'YAML'
goals:
  - Complete the cognitive skills program
needs:
  - id: N1
    domain: attitudes-orientation
    description: Pro-criminal attitudes
    interventions:
      - type: program
        description: Cognitive skills program
    target: '2026-09-30'
    status: open
s78:
  work_activities: Kitchen work
  needs_capacity_welfare: Assessed by the CM
  release_preparation: Pre-release planning from 2029
YAML
assess_items=$(printf "0%.0s" $(seq 54))
assess-add -C "$S" --today 2026-02-01 --date 2026-02-01 --items "$assess_items" ACT-0042 lsi-r >/dev/null 2>&1
run cmp-new -C "$S" --today 2026-02-10 --kind custodial -f "$T/in/plan.yaml" ACT-0042
expect 0 "a custodial plan is made"
run deadline-check -C "$S" --today 2026-03-31 --rule ACT-EVENT-REVIEW --format csv --fail-on overdue
expect 1 "ACT-EVENT-REVIEW: overdue after not-engaging"
out_has "ACT-0042,ACT-EVENT-REVIEW,CMP reviewed after a trigger event,not-engaging,2026-03-02,2026-03-30,overdue,-1" \
    "ACT-EVENT-REVIEW: 2 Mar + 28 days = 30 Mar, overdue on 31 Mar"
run cmp-review -C "$S" --today 2026-03-31 --kind custodial --reason needs-unmet \
    -m "Program changed" -f "$T/in/plan.yaml" ACT-0042
expect 0 "the plan reviewed for unmet needs"
run deadline-check -C "$S" --today 2026-03-31 --rule ACT-EVENT-REVIEW --format csv
out_has "not-engaging,2026-03-02,2026-03-30,overdue" "ACT-EVENT-REVIEW: not met until the review is approved"
registry -C "$S" add-operator carol --name "Carol Leader" --email carol@example.org \
    --role cmu-team-leader --agency djcs >/dev/null 2>&1
run as "Carol Leader" carol@example.org cmp-approve -C "$S" --today 2026-03-31 --kind custodial ACT-0042
expect 0 "the review approved by the CMU Team Leader"
run deadline-check -C "$S" --today 2026-03-31 --rule ACT-EVENT-REVIEW --status met --format csv
expect 0 "ACT-EVENT-REVIEW: met by the review"
out_has "not-engaging,2026-03-02,2026-03-30,met-late" "met-late (on 31 Mar)"
n=$(commits "$S")

# breach-referred: only in the community stage
run case-event -C "$S" ACT-0042 breach-referred --date 2026-04-01 --to sab
expect 2 "breach-referred in the custodial stage"
err_has "breach-referred: on 2026-04-01 the case is in the custodial stage" "says the stage"
case-event -C "$S" ACT-0042 stage-changed --date 2026-04-10 --stage community 2>/dev/null
n=$(commits "$S")
run case-event -C "$S" ACT-0042 breach-referred --date 2026-04-09 --to sab
expect 2 "breach-referred the day before the move to the community"
run case-event -C "$S" ACT-0042 breach-referred --date 2026-05-01 --to sentencing-court -m "Breach Policy"
expect 0 "breach-referred to the sentencing court in the community stage"
is "$(commits "$S")" "$((n + 1))" "one commit"
check "the event names the body" grep -qx "    to: sentencing-court" "$P"
n=$(commits "$S")

# refusals: each exits 2 and commits nothing
run case-event -C "$S" ACT-0042 not-engaging --date 2026-05-02 --service "AOD program"
expect 2 "not-engaging without --notified-by"
err_has "not-engaging needs --service" "says what it needs"
run case-event -C "$S" ACT-0042 not-engaging --date 2026-05-02 --notified-by "Director"
expect 2 "not-engaging without --service"
run case-event -C "$S" ACT-0042 not-engaging --date 2026-05-02 --service "AOD" \
    --notified-by $'Director\nCase: X'
expect 2 "a two-line --notified-by (trailer forgery)"
err_has "--notified-by" "names the option"
run case-event -C "$S" ACT-0042 not-engaging --date 2026-05-02 \
    --service "$(printf 's%.0s' $(seq 201))" --notified-by "Director"
expect 2 "a --service of 201 bytes"
err_has "at most 200 bytes" "says the limit"
run case-event -C "$S" ACT-0042 breach-referred --date 2026-05-02
expect 2 "breach-referred without --to"
err_has "breach-referred needs --to sab or sentencing-court" "says what it needs"
run case-event -C "$S" ACT-0042 breach-referred --date 2026-05-02 --to police
expect 2 "breach-referred to an unknown body"
run case-event -C "$S" ACT-0042 engaged --date 2026-05-02 --service "AOD"
expect 2 "--service on another event"
err_has "--service applies only to not-engaging events" "says so"
run case-event -C "$S" ACT-0042 reception --date 2026-05-02 --to sab
expect 2 "--to on another event"
err_has "--to applies only to breach-referred events" "says so"
is "$(commits "$S")" "$n" "no commit on any refusal"
clean "$S" "after refusals"

# VIC cases record neither
V="$T/v"
new_store "$V" VIC || { echo "Bail out! cannot make a VIC store"; exit 1; }
case-new -C "$V" --cohort post-sentence VIC-0007 2>/dev/null
nv=$(commits "$V")
run case-event -C "$V" VIC-0007 not-engaging --date 2026-05-02 --service "AOD" --notified-by "Director"
expect 2 "not-engaging on a VIC case"
err_has "not-engaging events are kept for ACT cases" "says why"
is "$(commits "$V")" "$nv" "no commit"

run store-verify -C "$S"
expect 0 "store-verify accepts the new events"
clean "$S" "at the end"

done_testing

#!/usr/bin/env bash
# cmp-review (non-interactive): -f FILE and --complete NEED --date DATE;
# a review appends a review entry, bumps the version, returns custodial
# and community plans to pending approval (ACT-CMP-CUSTODIAL,
# ACT-CMP-COMMUNITY) and keeps ACT-CMP-CONTENT and ACT-CONSENT; the
# field-level diff; refusals exit 2 with no commit; one commit per review.
. "$(dirname "$0")/lib.sh"
: "${CT_FIXTURES:?}"
PLAN="$CT_FIXTURES/cmp/custodial-act-0042.yaml"
Z=000000000000000000000000000000000000000000000000000000

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
registry -C "$S" add-operator carol --name "Carol Leader" --email carol@example.org \
    --role cmu-team-leader --agency djcs 2>/dev/null
case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 2>/dev/null
case-new -C "$S" --today 2026-03-01 --cohort remandee ACT-0101 2>/dev/null
case-event -C "$S" ACT-0101 reception --date 2026-03-02 2>/dev/null
assess-add -C "$S" --today 2026-03-10 --date 2026-03-04 --items $Z ACT-0042 lsi-r >/dev/null 2>&1
cmp-new -C "$S" --today 2026-03-10 --kind custodial -f "$PLAN" ACT-0042 >/dev/null 2>&1
as "Carol Leader" carol@example.org cmp-approve -C "$S" --today 2026-03-11 --kind custodial ACT-0042 >/dev/null 2>&1
P="$S/$(shard ACT-0042)/cmp/custodial.yaml"
check "set-up: an approved custodial plan" grep -qx "status: approved" "$P"
n=$(commits "$S")

# --complete: one need completed, the review recorded
run cmp-review -C "$S" --today 2026-04-01 --kind custodial --reason needs-unmet \
    -m "Bakery placement started" --offender-participated --complete N2 --date 2026-03-30 ACT-0042
expect 0 "review --complete"
is "$(commits "$S")" "$((n + 1))" "one commit"
out_has "version: 1 -> 2" "diff: the version"
out_has "status: approved -> pending-approval" "diff: back to pending approval"
out_has "needs[N2].status: in-progress -> completed" "diff: keyed by need id"
out_has "needs[N2].completed: (none) -> 2026-03-30" "diff: the completion date"
out_has "reviews[0].reason: (none) -> needs-unmet" "diff: the review entry"
is "$(git -C "$S" log -1 --format=%s)" "cmp-review: ACT-0042 custodial plan reviewed (version 2, needs-unmet)" "subject"
is "$(trailer "$S" Reason)" "needs-unmet: Bakery placement started" "Reason: the reason id and summary"
is "$(trailer "$S" Record)" cmp/custodial "Record trailer"
is "$(trailer "$S" Action)" review "Action trailer"
is "$(trailer "$S" Case)" ACT-0042 "Case trailer"
check "ACT-CMP-CUSTODIAL: a review needs approval again" grep -qx "status: pending-approval" "$P"
check "submitted on the review's day" grep -qx "submitted: '2026-04-01'" "$P"
check "version 2" grep -qx "version: 2" "$P"
check "the review entry" python3 - "$P" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
assert d["reviews"] == [{"date": "2026-04-01", "reason": "needs-unmet",
    "summary": "Bakery placement started", "offender_participated": "true",
    "by": "ada", "version": "2"}], d["reviews"]
n2 = [x for x in d["needs"] if x["id"] == "N2"][0]
assert n2["status"] == "completed" and n2["completed"] == "2026-03-30", n2
assert d["approvals"][0]["version"] == "1", d["approvals"]
PY

# -f: a new version from a file; the offender declined
sed -e 's/  - Find stable accommodation for release/  - Find stable accommodation for release\n  - Reconnect with his daughter/' \
    -e "s/target: '2028-01-31'/target: '2027-12-31'/" "$PLAN" >"$T/v3.yaml"
n=$(commits "$S")
run cmp-review -C "$S" --today 2026-04-15 --kind custodial --reason goals-change --offender-declined -f "$T/v3.yaml" ACT-0042
expect 0 "review -f"
is "$(commits "$S")" "$((n + 1))" "one commit"
out_has "goals[2]: (none) -> Reconnect with his daughter" "diff: the goal added"
out_has "needs[N3].target: 2028-01-31 -> 2027-12-31" "diff: the target changed"
out_has "needs[N2].status: completed -> in-progress" "diff: the file's content replaces the plan's"
check "offender_participated: false" grep -qx "    offender_participated: false" "$P"
is "$(trailer "$S" Reason)" goals-change "Reason: the reason id alone"
check "version 3" grep -qx "version: 3" "$P"
# a review of a plan still pending approval is allowed
run cmp-review -C "$S" --today 2026-04-15 --kind custodial --reason scheduled -f "$T/v3.yaml" ACT-0042
expect 0 "a review with the content unchanged is still a review"
out_has "version: 3 -> 4" "the version still moves on"
check "participation not recorded when not given" test "$(grep -c offender_participated "$P")" = 2

# a remand plan stays in force (ACT-REMAND-CMP: no approval)
cat >"$T/remand.yaml" <<'YAML'
goals: [Keep in touch with family]
needs:
  - id: N1
    domain: family-marital
    description: No contact with children
    interventions: [{type: support, description: Family video calls}]
    target: '2026-05-31'
    status: open
YAML
cmp-new -C "$S" --today 2026-04-01 --kind remand -f "$T/remand.yaml" ACT-0101 >/dev/null 2>&1
run cmp-review -C "$S" --today 2026-04-20 --kind remand --reason circumstances-change --complete N1 --date 2026-04-19 ACT-0101
expect 0 "review of a remand plan"
check "ACT-REMAND-CMP: remand plan stays approved" grep -qx "status: approved" "$S/$(shard ACT-0101)/cmp/remand.yaml"
out_has "version: 1 -> 2" "version moves on"
n=$(commits "$S")

# ACT-CMP-CONTENT and ACT-CONSENT hold for every version
sed "/target: '2027-06-30'/d" "$T/v3.yaml" >"$T/no-target.yaml"
run cmp-review -C "$S" --today 2026-04-20 --kind custodial --reason other -f "$T/no-target.yaml" ACT-0042
expect 2 "ACT-CMP-CONTENT: a review dropping a target date"
err_has "ACT-CMP-CONTENT: needs[N2]: no target date" "ACT-CMP-CONTENT: names the need"
sed "s/consent: given/consent: not-asked/" "$T/v3.yaml" >"$T/no-consent.yaml"
run cmp-review -C "$S" --today 2026-04-20 --kind custodial --reason other -f "$T/no-consent.yaml" ACT-0042
expect 2 "ACT-CONSENT: a review adding a referral without consent"
err_has "ACT-CONSENT: needs[N2].referral: consent is 'not-asked' and the case is not recorded At Risk" "ACT-CONSENT: the rule's message"

# other refusals
run cmp-review -C "$S" --today 2026-04-20 --kind custodial --reason risk-rating-changed --complete N1 --date 2026-04-19 ACT-0042
expect 2 "an unknown reason"
err_has "--reason: 'risk-rating-changed' is not a review reason" "says so"
run cmp-review -C "$S" --today 2026-04-20 --kind custodial --complete N1 --date 2026-04-19 ACT-0042
expect 2 "no --reason"
err_has "--reason is required" "says so"
run cmp-review -C "$S" --today 2026-04-20 --kind custodial --reason other --complete N9 --date 2026-04-19 ACT-0042
expect 2 "--complete an unknown need"
err_has "--complete: no need 'N9' in the plan (needs: N1, N2, N3)" "lists the needs"
run cmp-review -C "$S" --today 2026-04-20 --kind remand --reason other --complete N1 --date 2026-04-19 ACT-0101
expect 2 "--complete a need already completed"
err_has "need N1 was completed on 2026-04-19" "says when"
run cmp-review -C "$S" --today 2026-04-20 --kind custodial --reason other --complete N1 --date 2026-04-21 ACT-0042
expect 2 "--complete after today"
run cmp-review -C "$S" --today 2026-04-20 --kind custodial --reason other --complete N1 ACT-0042
expect 2 "--complete without --date"
run cmp-review -C "$S" --today 2026-04-20 --kind custodial --reason other --complete N1 --date 2026-04-19 -f "$T/v3.yaml" ACT-0042
expect 2 "--complete with -f"
run cmp-review -C "$S" --today 2026-04-20 --kind custodial --reason other ACT-0042
expect 2 "no -f, --edit or --complete"
run cmp-review -C "$S" --today 2026-04-20 --kind custodial --reason other --offender-participated --offender-declined --complete N1 --date 2026-04-19 ACT-0042
expect 2 "participated and declined"
run cmp-review -C "$S" --today 2026-04-10 --kind custodial --reason other --complete N1 --date 2026-04-09 ACT-0042
expect 2 "a review dated before the last one"
err_has "the review date 2026-04-10 is before the last review, of 2026-04-15" "says so"
run cmp-review -C "$S" --today 2026-04-20 --kind community --reason other --complete N1 --date 2026-04-19 ACT-0042
expect 2 "no plan of that kind"
err_has "ACT-0042 has no community plan (make one with cmp-new)" "says so"
run cmp-review -C "$S" --today 2026-04-20 --kind custodial --reason other -m $'a\nCase: X' --complete N1 --date 2026-04-19 ACT-0042
expect 2 "a summary with a newline"
run as "Bob Auditor" bob@example.org cmp-review -C "$S" --today 2026-04-20 --kind custodial --reason other --complete N1 --date 2026-04-19 ACT-0042
expect 2 "an auditor may not review"
err_has "'bob' is not a registered operator with the case-manager role" "names the role"
is "$(commits "$S")" "$n" "no commit on any refusal"

# dry run
run cmp-review -C "$S" -n --today 2026-04-20 --kind custodial --reason other --complete N1 --date 2026-04-19 ACT-0042
expect 0 "dry run"
out_has "+version: 5" "prints the change"
is "$(commits "$S")" "$n" "dry run commits nothing"
clean "$S" "at the end"

done_testing

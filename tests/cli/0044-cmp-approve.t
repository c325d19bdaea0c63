#!/usr/bin/env bash
# cmp-approve: ACT-CMP-CUSTODIAL (the CMU Team Leader approves custodial
# plans) and ACT-CMP-COMMUNITY (a Community Corrections Team Leader
# approves every change to a community plan): approval by each wrong role,
# by the operator who made the version, of a remand plan (ACT-REMAND-CMP)
# and of a plan not pending are refused with exit 2 and no commit; an
# approval is one commit with an Approved-by trailer.
. "$(dirname "$0")/lib.sh"
: "${CT_FIXTURES:?}"
PLAN="$CT_FIXTURES/cmp/custodial-act-0042.yaml"
Z=000000000000000000000000000000000000000000000000000000

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
reg() { registry -C "$S" add-operator "$1" --name "$2" --email "$1@example.org" --role "$3" --agency djcs 2>/dev/null; }
reg carol "Carol Leader" cmu-team-leader
reg dan "Dan Community" community-team-leader
reg cam "Cam Manager" case-manager
reg tess "Tess Senior" case-manager,cmu-team-leader
case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 ACT-0043 ACT-0044 2>/dev/null
case-new -C "$S" --today 2026-03-01 --cohort remandee ACT-0101 2>/dev/null
case-event -C "$S" ACT-0101 reception --date 2026-03-02 2>/dev/null
for c in ACT-0042 ACT-0044; do
	assess-add -C "$S" --today 2026-03-10 --date 2026-03-04 --items $Z $c lsi-r >/dev/null 2>&1
	cmp-new -C "$S" --today 2026-03-10 --kind custodial -f "$PLAN" $c >/dev/null 2>&1
done
printf 'goals: [Keep a job]\nneeds: []\n' >"$T/small.yaml"
cmp-new -C "$S" --today 2026-03-10 --kind community -f "$T/small.yaml" ACT-0043 >/dev/null 2>&1
cmp-new -C "$S" --today 2026-03-31 --kind remand -f "$T/small.yaml" ACT-0101 >/dev/null 2>&1
P="$S/$(shard ACT-0042)/cmp/custodial.yaml"
C="$S/$(shard ACT-0043)/cmp/community.yaml"
DAY=2026-03-12
approve() { local who=$1; shift; run as "$who" "$who@example.org" cmp-approve -C "$S" --today $DAY "$@"; }
n=$(commits "$S")

# ACT-CMP-CUSTODIAL: each wrong role
approve cam --kind custodial ACT-0042
expect 2 "ACT-CMP-CUSTODIAL: a case manager may not approve"
err_has "ACT-CMP-CUSTODIAL: cam may not approve a custodial plan: its approval needs the cmu-team-leader role (the CMU Team Leader), and cam has case-manager" "ACT-CMP-CUSTODIAL: names the rule, role and the roles held"
approve dan --kind custodial ACT-0042
expect 2 "ACT-CMP-CUSTODIAL: a community team leader may not approve a custodial plan"
err_has "ACT-CMP-CUSTODIAL: dan may not approve a custodial plan" "ACT-CMP-CUSTODIAL: names the approver"
approve bob --kind custodial ACT-0042
expect 2 "ACT-CMP-CUSTODIAL: an auditor may not approve"
err_has "and bob has auditor" "ACT-CMP-CUSTODIAL: lists the roles held"
# the operator who made the version, although a team leader
run cmp-approve -C "$S" --today 2026-03-12 --kind custodial ACT-0042
expect 2 "ACT-CMP-CUSTODIAL: a case manager approving their own plan"
err_has "ACT-CMP-CUSTODIAL: ada made version 1 of the custodial plan of ACT-0042 and may not approve their own change" "ACT-CMP-CUSTODIAL: says why"
run as "Eve Unknown" eve@example.org cmp-approve -C "$S" --today 2026-03-12 --kind custodial ACT-0042
expect 2 "an unregistered writer"
is "$(commits "$S")" "$n" "ACT-CMP-CUSTODIAL: no commit on any refusal"
check "still pending" grep -qx "status: pending-approval" "$P"

# ACT-CMP-CUSTODIAL: the CMU Team Leader approves
approve carol --kind custodial -m "Discussed with the case manager" ACT-0042
expect 0 "ACT-CMP-CUSTODIAL: approved by a cmu-team-leader"
is "$(commits "$S")" "$((n + 1))" "one commit"
out_has "ACT-0042 custodial plan version 1 approved by carol (cmu-team-leader)" "says who approved"
is "$(git -C "$S" log -1 --format=%s)" "cmp-approve: ACT-0042 custodial plan version 1 approved" "subject"
is "$(trailer "$S" Approved-by)" "carol (cmu-team-leader)" "Approved-by trailer"
is "$(trailer "$S" Reason)" "Discussed with the case manager" "Reason trailer: the note"
is "$(trailer "$S" Action)" approve "Action trailer"
is "$(trailer "$S" Record)" cmp/custodial "Record trailer"
is "$(git -C "$S" log -1 --format=%ae)" carol@example.org "the approver is the author"
check "ACT-CMP-CUSTODIAL: status approved" grep -qx "status: approved" "$P"
check "ACT-CMP-CUSTODIAL: the approval kept, dated" python3 - "$P" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
assert d["approvals"] == [{"version": "1", "by": "carol", "role": "cmu-team-leader",
    "date": "2026-03-12", "note": "Discussed with the case manager"}], d["approvals"]
PY
n=$(commits "$S")
approve carol --kind custodial ACT-0042
expect 2 "approving an approved plan"
err_has "the custodial plan of ACT-0042 is approved (version 1): only a plan pending approval is approved" "says so"

# a reviewed version is approved by someone other than its reviewer
as "Tess Senior" tess@example.org cmp-review -C "$S" --today 2026-03-20 --kind custodial --reason other --complete N1 --date 2026-03-19 ACT-0042 >/dev/null 2>&1
check "set-up: reviewed by tess" grep -qx "changed_by: tess" "$P"
n=$(commits "$S")
approve tess --kind custodial ACT-0042
expect 2 "ACT-CMP-CUSTODIAL: a team leader approving their own review"
err_has "ACT-CMP-CUSTODIAL: tess made version 2" "names the version"
is "$(commits "$S")" "$n" "no commit"
run cmp-approve -C "$S" --today 2026-03-21 --kind custodial --reason "Fine" ACT-0042
expect 0 "ACT-CMP-CUSTODIAL: approved by another team leader (who made version 1)"
is "$(trailer "$S" Approved-by)" "ada (cmu-team-leader)" "Approved-by trailer"
is "$(trailer "$S" Reason)" Fine "--reason is the note"
check "two approvals" test "$(grep -c '^  - version:' "$P")" = 2

# ACT-CMP-COMMUNITY: the community team leader approves
n=$(commits "$S")
approve carol --kind community ACT-0043
expect 2 "ACT-CMP-COMMUNITY: a CMU team leader may not approve a community plan"
err_has "ACT-CMP-COMMUNITY: carol may not approve a community plan: its approval needs the community-team-leader role (a Community Corrections Team Leader)" "ACT-CMP-COMMUNITY: names the rule and role"
approve cam --kind community ACT-0043
expect 2 "ACT-CMP-COMMUNITY: a case manager may not approve"
approve bob --kind community ACT-0043
expect 2 "ACT-CMP-COMMUNITY: an auditor may not approve"
run cmp-approve -C "$S" --today 2026-03-12 --kind community ACT-0043
expect 2 "ACT-CMP-COMMUNITY: its author may not approve"
is "$(commits "$S")" "$n" "ACT-CMP-COMMUNITY: no commit on any refusal"
approve dan --kind community ACT-0043
expect 0 "ACT-CMP-COMMUNITY: approved by a community-team-leader"
is "$(trailer "$S" Approved-by)" "dan (community-team-leader)" "Approved-by trailer"
check "ACT-CMP-COMMUNITY: approved" grep -qx "status: approved" "$C"
n=$(commits "$S")

# ACT-REMAND-CMP: remand plans need no approval
approve carol --kind remand ACT-0101
expect 2 "ACT-REMAND-CMP: approving a remand plan"
err_has "ACT-REMAND-CMP: a remand plan needs no approval" "ACT-REMAND-CMP: names the rule"

# other refusals
approve carol --kind custodial ACT-0043
expect 2 "no plan of that kind"
err_has "ACT-0043 has no custodial plan" "says so"
approve carol --kind custodial -m $'ok\nApproved-by: nobody' ACT-0044
expect 2 "a note forging a trailer"
approve carol ACT-0044
expect 2 "no --kind"
run as carol carol@example.org cmp-approve -C "$S" --today 2026-03-09 --kind custodial ACT-0044
expect 2 "an approval dated before the plan was submitted"
err_has "before version 1 was submitted, on 2026-03-10" "says so"
is "$(commits "$S")" "$n" "no commit on any refusal"

# dry run, then a batch from stdin
approve carol -n --kind custodial ACT-0044
expect 0 "dry run"
out_has "+status: approved" "prints the change"
is "$(commits "$S")" "$n" "dry run commits nothing"
as "Tess Senior" tess@example.org cmp-review -C "$S" --today 2026-03-25 --kind custodial --reason other --complete N1 --date 2026-03-19 ACT-0044 >/dev/null 2>&1
as "Tess Senior" tess@example.org cmp-review -C "$S" --today 2026-03-25 --kind custodial --reason other --complete N3 --date 2026-03-24 ACT-0042 >/dev/null 2>&1
n=$(commits "$S")
run_in $'ACT-0042\nACT-0044\n' as carol carol@example.org cmp-approve -C "$S" --today 2026-03-26 --kind custodial -
expect 0 "approve a batch of plans from stdin"
is "$(commits "$S")" "$((n + 2))" "one commit per plan"
is "$(git -C "$S" log -2 --format=%s | sort | tr '\n' '|')" \
    "cmp-approve: ACT-0042 custodial plan version 3 approved|cmp-approve: ACT-0044 custodial plan version 2 approved|" "each commit names its plan"

# the store's settings name the approving role
sed -i 's/^  custodial: cmu-team-leader$/  custodial: community-team-leader/' "$S/casetrail.yaml"
git -C "$S" commit -qam "custodial plans approved by the community team leader"
cmp-review -C "$S" --today 2026-03-30 --kind custodial --reason other --complete N2 --date 2026-03-29 ACT-0044 >/dev/null 2>&1
DAY=2026-03-30
approve carol --kind custodial ACT-0044
expect 2 "the settings' role replaces cmu-team-leader"
err_has "needs the community-team-leader role" "names the settings' role"
approve dan --kind custodial ACT-0044
expect 0 "approved by the settings' role"
is "$(trailer "$S" Approved-by)" "dan (community-team-leader)" "Approved-by trailer"
clean "$S" "at the end"

done_testing

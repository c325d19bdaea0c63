#!/usr/bin/env bash
# The change policy (policy.h), shared by the writer and store-verify: a
# verifier mutation suite.  From a history made by the tools, each change
# below is made with plain git by a registered operator, as the tools
# would refuse it; store-verify and the central pre-receive hook report it
# under its rule, and the untouched history verifies clean:
#   last-admin     the only administrator drops the role;
#   admin-only     an auditor gives himself cmu-team-leader; the approval
#                  roles changed by a case manager; signing turned off by
#                  a non-administrator; a rule retitled and re-timed; an
#                  emptied registry after which an unregistered identity
#                  registers itself (the bootstrap is over for good);
#   approval-role  the approval role taken from the parent's settings,
#                  not from the approving commit's own (ACT-CMP-CUSTODIAL);
#   approval-by    an approval entry naming another operator than the
#                  author, and an Approved-by trailer naming another;
#   approval-own   an operator approving the version they wrote
#                  (ACT-CMP-CUSTODIAL: approved by the CMU Team Leader);
#   approval-stale an approved custodial plan edited and still approved;
#   writer-role    an auditor editing a plan, a case manager's record;
#   jurisdiction   an ACT store's settings made VIC, by the administrator;
#   policy-file    by the administrator: a time zone the system does not
#                  know, a rule id repeated, an ACT calendar made VIC;
# and the walk follows merged side branches: a side commit by an
# unregistered author is reported, and so is a merge that brings in a
# change none of its parents has (merge-introduces).
. "$(dirname "$0")/lib.sh"
: "${CT_FIXTURES:?}"
PLAN="$CT_FIXTURES/cmp/custodial-act-0042.yaml"
Z=000000000000000000000000000000000000000000000000000000

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
{
	registry -C "$S" add-operator carol --name "Carol Leader" --email carol@example.org \
	    --role cmu-team-leader --agency djcs &&
	registry -C "$S" add-operator dave --name "Dave Manager" --email dave@example.org \
	    --role case-manager --agency djcs &&
	case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 &&
	case-event -C "$S" ACT-0042 sentence-commenced --date 2026-03-02 &&
	assess-add -C "$S" --today 2026-03-30 --date 2026-03-30 --items $Z ACT-0042 lsi-r &&
	as "Dave Manager" dave@example.org cmp-new -C "$S" --today 2026-04-02 \
	    --kind custodial -f "$PLAN" ACT-0042
} >/dev/null 2>&1 || { echo "Bail out! cannot fill the store"; exit 1; }
D=$(shard ACT-0042)
P="$D/cmp/custodial.yaml"
base=$(git -C "$S" rev-parse HEAD)

run store-verify -C "$S" --quiet
expect 0 "the history the tools made verifies"

B="$T/central.git"
git clone -q --bare "$S" "$B"
printf '#!/bin/sh\nexec store-verify --pre-receive\n' >"$B/hooks/pre-receive"
chmod +x "$B/hooks/pre-receive"
git -C "$S" remote add origin "$B"

# mutate DESC RULE PATH NAME EMAIL MESSAGE EDIT...: reset to the base,
# run the EDIT command (eval'd in the store), commit everything as NAME
# <EMAIL> with MESSAGE; store-verify reports RULE at PATH ("-": the
# commit) for that commit, and the hook refuses the push.
mutate() {
	local desc=$1 rule=$2 path=$3 name=$4 email=$5 msg=$6 h
	shift 6
	git -C "$S" reset -q --hard "$base"
	(cd "$S" && eval "$*")
	git -C "$S" add -A
	git -C "$S" -c user.name="$name" -c user.email="$email" commit -q -m "$msg"
	h=$(git -C "$S" rev-parse HEAD | cut -c1-12)
	run store-verify -C "$S" --quiet --since "$base"
	expect 1 "$desc: store-verify"
	out_has "$h $path $rule: " "$desc: reported as $rule"
	run git -C "$S" push -q origin HEAD:main
	check "$desc: the hook refuses it" test "$rc" -ne 0
	err_has "$h $path $rule: " "$desc: the hook names the rule"
}

REG="registry: change

Tool: registry 0.1.0"
SET="store-init: settings

Tool: store-init 0.1.0"

mutate "an auditor gives himself cmu-team-leader" admin-only registry/operators.yaml \
    "Bob Auditor" bob@example.org "$REG" \
    "sed -i '/email: bob@example.org/{n;n;s/- auditor/- cmu-team-leader/}' registry/operators.yaml"
grep -q "cmu-team-leader" <(git -C "$S" show HEAD:registry/operators.yaml | sed -n '/bob@/,/agency/p') &&
    ok "... the edit did give the role" || not_ok "... the edit did give the role"

mutate "the only administrator drops the role" last-admin registry/operators.yaml \
    "Ada Admin" ada@example.org "$REG" \
    "sed -i '/      - administrator/d' registry/operators.yaml"

mutate "signing turned off by a non-administrator" admin-only casetrail.yaml \
    "Carol Leader" carol@example.org "$SET" \
    "sed -i 's/^  format: none/  format: none # x/' casetrail.yaml"

mutate "the jurisdiction changed, by the administrator" jurisdiction casetrail.yaml \
    "Ada Admin" ada@example.org "$SET" \
    "sed -i 's/^jurisdiction: ACT/jurisdiction: VIC/' casetrail.yaml"

# policy-file: a policy file its schema accepts but its reader refuses,
# committed by the administrator, who may change it
mutate "an unknown time zone, by the administrator" policy-file casetrail.yaml \
    "Ada Admin" ada@example.org "$SET" \
    "sed -i 's|^timezone: .*|timezone: Mars/Olympus_Mons|' casetrail.yaml"
err_has "unknown time zone 'Mars/Olympus_Mons'" "... and the hook says why"
mutate "a rule id repeated, by the administrator" policy-file rules/deadlines.yaml \
    "Ada Admin" ada@example.org "$SET" \
    "sed -i 's/id: ACT-REMAND-ENGAGE/id: ACT-CMP-CUSTODIAL/' rules/deadlines.yaml"
err_has "rules/deadlines.yaml:45:5: rules[2].id: duplicate rule id" "... and the hook says where and why"
mutate "an ACT calendar that says VIC, by the administrator" policy-file calendars/ACT.yaml \
    "Ada Admin" ada@example.org "$SET" \
    "sed -i 's/^jurisdiction: ACT/jurisdiction: VIC/' calendars/ACT.yaml"

mutate "a rule retitled by a case manager" admin-only rules/deadlines.yaml \
    "Dave Manager" dave@example.org "$SET" \
    "sed -i '0,/title:/s/title: .*/title: Nothing to see here/' rules/deadlines.yaml"

# writer-role: the plan is a case manager's to write (cmp-new, cmp-review);
# an auditor edits it by plain git
REVIEW="cmp-review: ACT-0042 custodial plan reviewed

Case: ACT-0042
Record: cmp/custodial
Action: review
Tool: cmp-review 0.1.0"
mutate "an auditor edits a plan (writer-role)" writer-role "$P" \
    "Bob Auditor" bob@example.org "$REVIEW" \
    "sed -i 's/^comments: .*/comments: Changed by the auditor./' \"$P\""

# an approval that also changes the approval roles in the same commit
APPROVE="cmp-approve: ACT-0042 custodial plan approved

Case: ACT-0042
Record: cmp/custodial
Action: approve
Approved-by: dave (case-manager)
Tool: cmp-approve 0.1.0"
approve_as() { # BY: the plan approved, in the file, by BY
	printf 'approvals:\n  - version: 1\n    by: %s\n    role: cmu-team-leader\n    date: %s\n' \
	    "$1" "'2026-04-08'" >>"$P"
	sed -i 's/^status: .*/status: approved/' "$P"
}
mutate "the approval roles changed in the approving commit" approval-role "$P" \
    "Dave Manager" dave@example.org "$APPROVE" \
    "sed -i 's/custodial: cmu-team-leader/custodial: case-manager/' casetrail.yaml; approve_as dave"
err_has "casetrail.yaml admin-only: " "... and the settings change itself as admin-only"

APPROVE_C="${APPROVE/dave (case-manager)/carol (cmu-team-leader)}"
mutate "an approval entry naming another operator" approval-by "$P" \
    "Carol Leader" carol@example.org "$APPROVE_C" "approve_as ada"
mutate "an Approved-by trailer naming another operator" approval-by - \
    "Carol Leader" carol@example.org "${APPROVE/dave (case-manager)/ada (cmu-team-leader)}" \
    "approve_as carol"

# ada holds every role but wrote this version herself
mutate "an operator approving the version they wrote (ACT-CMP-CUSTODIAL)" approval-own "$P" \
    "Ada Admin" ada@example.org "${APPROVE/dave (case-manager)/ada (cmu-team-leader)}" \
    "sed -i 's/^changed_by: .*/changed_by: ada/' \"$P\"; approve_as ada"

# an approved custodial plan edited by hand and still 'approved'
git -C "$S" reset -q --hard "$base"
as "Carol Leader" carol@example.org cmp-approve -C "$S" --today 2026-04-08 \
    --kind custodial ACT-0042 >/dev/null 2>&1
approved=$(git -C "$S" rev-parse HEAD)
run store-verify -C "$S" --quiet --since "$base"
expect 0 "an approval made by cmp-approve verifies"
sed -i 's/^comments: .*/comments: Quietly changed after approval./' "$S/$P"
git -C "$S" -c user.name="Dave Manager" -c user.email=dave@example.org commit -q -am \
    "cmp-review: ACT-0042

Case: ACT-0042
Tool: cmp-review 0.1.0"
h=$(git -C "$S" rev-parse HEAD | cut -c1-12)
grep -q '^status: approved' "$S/$P" && ok "... the edited plan says approved" ||
    not_ok "... the edited plan says approved"
run store-verify -C "$S" --quiet --since "$approved"
expect 1 "an approved custodial plan changed and still approved (ACT-CMP-CUSTODIAL)"
is "$(cat "$T/out")" "$h $P approval-stale: the plan changed without a new approval and is still 'approved'; a changed plan goes back to 'pending-approval'" \
    "... reported as approval-stale"

# the registry emptied by its administrator, then an unregistered
# identity registers itself: the bootstrap never opens again
git -C "$S" reset -q --hard "$base"
printf 'operators: []\n' >"$S/registry/operators.yaml"
git -C "$S" -c user.name="Ada Admin" -c user.email=ada@example.org commit -q -am "$REG"
cat >"$S/registry/operators.yaml" <<'EOF'
operators:
  - id: eve
    name: Eve Intruder
    email: eve@example.org
    roles:
      - administrator
      - cmu-team-leader
    agency: djcs
EOF
git -C "$S" -c user.name="Eve Intruder" -c user.email=eve@example.org commit -q -am "$REG"
h=$(git -C "$S" rev-parse HEAD | cut -c1-12)
run store-verify -C "$S" --quiet --since "$base"
expect 1 "an intruder registering in an emptied registry"
out_has "$h - unregistered-author: the author <eve@example.org>" "... is an unregistered author"
out_has "$h registry/operators.yaml admin-only: " "... who may not change the registry"
run store-verify -C "$S" --quiet
out_has "$h registry/operators.yaml admin-only: " "... also when the whole history is walked"

# a side branch by an unregistered author, merged by a registered one
git -C "$S" reset -q --hard "$base"
git -C "$S" checkout -q -b side
sed -i 's/^comments: .*/comments: side work/' "$S/$P"
git -C "$S" -c user.name=Nobody -c user.email=nobody@example.org commit -q -am \
    "case-event: ACT-0042 note

Case: ACT-0042
Tool: case-event 0.1.0"
hs=$(git -C "$S" rev-parse HEAD | cut -c1-12)
git -C "$S" checkout -q main
git -C "$S" reset -q --hard "$base"
as "Ada Admin" ada@example.org case-event -C "$S" ACT-0042 reception --date 2026-03-01 \
    >/dev/null 2>&1
git -C "$S" merge -q --no-ff --no-edit side 2>/dev/null ||
    git -C "$S" -c user.email=ada@example.org commit -q --no-edit
hm=$(git -C "$S" rev-parse HEAD | cut -c1-12)
run store-verify -C "$S" --quiet --since "$base"
expect 1 "a merged side branch by an unregistered author"
out_has "$hs - unregistered-author: the author <nobody@example.org>" \
    "... the side commit is walked and reported"
if grep -q "^$hm " "$T/out"; then not_ok "... the honest merge itself is clean"
else ok "... the honest merge itself is clean"; fi
run git -C "$S" push -q origin HEAD:main
check "... and the hook refuses it" test "$rc" -ne 0
err_has "$hs - unregistered-author" "... naming the side commit"

# an evil merge: it brings in a change neither parent has
git -C "$S" reset -q --hard HEAD^
git -C "$S" merge -q --no-ff --no-commit side 2>/dev/null
sed -i 's/^comments: side work/comments: slipped in by the merge/' "$S/$P"
git -C "$S" add -A
git -C "$S" commit -q --no-edit
hm=$(git -C "$S" rev-parse HEAD | cut -c1-12)
run store-verify -C "$S" --quiet --since "$base"
out_has "$hm $P merge-introduces: the merge changes it, which none of its parents does" \
    "an evil merge is reported as merge-introduces"
git -C "$S" branch -q -D side
git -C "$S" reset -q --hard "$base"

# the writer runs the same policy: the tools refuse the same changes
git -C "$S" reset -q --hard "$base"
run as "Bob Auditor" bob@example.org registry -C "$S" add-agency x --name X
expect 2 "the auditor cannot change the registry with the tool"
run as "Dave Manager" dave@example.org cmp-approve -C "$S" --today 2026-04-08 \
    --kind custodial ACT-0042
expect 2 "a case manager cannot approve with the tool"
is "$(git -C "$S" rev-parse HEAD)" "$base" "no commit was made"
clean "$S" "at the end"
is "$(git -C "$B" rev-parse main)" "$base" "the central main never moved"

done_testing

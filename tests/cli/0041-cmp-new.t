#!/usr/bin/env bash
# cmp-new: custodial, remand and community plans from a file or stdin;
# every refusal names its rule (ACT-CMP-CONTENT, ACT-LSIR, ACT-REMAND-CMP,
# ACT-CONSENT), exits 2 and commits nothing; one commit per plan with its
# trailers.
. "$(dirname "$0")/lib.sh"
: "${CT_FIXTURES:?}"
PLAN="$CT_FIXTURES/cmp/custodial-act-0042.yaml"
Z=000000000000000000000000000000000000000000000000000000

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
registry -C "$S" add-operator carol --name "Carol Leader" --email carol@example.org \
    --role cmu-team-leader --agency djcs 2>/dev/null
case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 ACT-0043 2>/dev/null
case-new -C "$S" --today 2026-03-01 --cohort remandee ACT-0101 2>/dev/null
case-event -C "$S" ACT-0042 sentence-commenced --date 2026-03-02 2>/dev/null
case-event -C "$S" ACT-0101 reception --date 2026-03-02 2>/dev/null
P="$S/$(shard ACT-0042)/cmp/custodial.yaml"
R="$S/$(shard ACT-0101)/cmp/remand.yaml"

# ACT-LSIR: a custodial plan needs an LSI-R of the last 12 months
n=$(commits "$S")
run cmp-new -C "$S" --today 2026-03-10 --kind custodial -f "$PLAN" ACT-0042
expect 2 "ACT-LSIR: custodial plan without an LSI-R"
err_has "ACT-LSIR: ACT-0042 has no LSI-R: a custodial plan needs an LSI-R completed in the 12 months before it, on or after 2025-03-10" "ACT-LSIR: names the rule and the earliest date"
assess-add -C "$S" --today 2026-03-10 --date 2025-03-09 --items $Z ACT-0042 lsi-r 2>/dev/null >/dev/null
n=$(commits "$S")
run cmp-new -C "$S" --today 2026-03-10 --kind custodial -f "$PLAN" ACT-0042
expect 2 "ACT-LSIR: an LSI-R 12 months and a day old"
err_has "ACT-LSIR: the newest LSI-R of ACT-0042 is of 2025-03-09, more than 12 months before 2026-03-10" "ACT-LSIR: says which and why"
is "$(commits "$S")" "$n" "ACT-LSIR: no commit"
run cmp-new -C "$S" --today 2026-03-09 --kind custodial -f "$PLAN" -n ACT-0042
expect 0 "ACT-LSIR: an LSI-R exactly 12 months before is in time (dry run)"
assess-add -C "$S" --today 2026-03-10 --date 2026-03-04 --items $Z ACT-0042 lsi-r 2>/dev/null >/dev/null
n=$(commits "$S")

# ACT-CMP-CONTENT: every need has interventions and a target date; a
# custodial plan has the three s 78 parts
sed '/release_preparation:/d' "$PLAN" >"$T/no-s78.yaml"
run cmp-new -C "$S" --today 2026-03-10 --kind custodial -f "$T/no-s78.yaml" ACT-0042
expect 2 "ACT-CMP-CONTENT: custodial plan without the s 78 release part"
err_has "$T/no-s78.yaml:38:3: ACT-CMP-CONTENT: s78.release_preparation: missing" "ACT-CMP-CONTENT: names file, line, rule and field"
err_has "(Corrections Management Act 2007 s 78)" "ACT-CMP-CONTENT: cites s 78"
python3 - "$PLAN" "$T/no-target.yaml" "$T/no-intervention.yaml" <<'PY'
import sys
s = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(s.replace("    target: '2028-01-31'\n", ""))
i = s.index("      - type: activity")
j = s.index("    target: '2027-06-30'")
open(sys.argv[3], "w").write(s[:i - len("    interventions:\n")] + s[j:])
PY
run cmp-new -C "$S" --today 2026-03-10 --kind custodial -f "$T/no-target.yaml" ACT-0042
expect 2 "ACT-CMP-CONTENT: a need without a target date"
err_has "ACT-CMP-CONTENT: needs[N3]: no target date" "ACT-CMP-CONTENT: names the need"
run cmp-new -C "$S" --today 2026-03-10 --kind custodial -f "$T/no-intervention.yaml" ACT-0042
expect 2 "ACT-CMP-CONTENT: a need without interventions"
err_has "ACT-CMP-CONTENT: needs[N2]: no interventions, supports or activities" "ACT-CMP-CONTENT: names the need"
sed 's/domain: accommodation/domain: housing/' "$PLAN" >"$T/bad-domain.yaml"
run cmp-new -C "$S" --today 2026-03-10 --kind custodial -f "$T/bad-domain.yaml" ACT-0042
expect 2 "a schema error in the input"
err_has "$T/bad-domain.yaml:29:13: needs[2].domain: 'housing' is not one of" "names file, line, column and field"
is "$(commits "$S")" "$n" "ACT-CMP-CONTENT: no commit on any refusal"

# a custodial plan
run cmp-new -C "$S" --today 2026-03-10 --kind custodial -f "$PLAN" -m "Developed with the offender" ACT-0042
expect 0 "custodial plan made"
is "$(commits "$S")" "$((n + 1))" "one commit"
out_has "ACT-0042 custodial plan version 1: pending-approval, on the LSI-R of 2026-03-04" "says its state"
is "$(git -C "$S" log -1 --format=%s)" "cmp-new: ACT-0042 custodial plan made (version 1, pending-approval)" "subject"
is "$(trailer "$S" Case)" ACT-0042 "Case trailer"
is "$(trailer "$S" Record)" cmp/custodial "Record trailer"
is "$(trailer "$S" Action)" new "Action trailer"
is "$(trailer "$S" Reason)" "Developed with the offender" "Reason trailer"
is "$(trailer "$S" Approved-by)" "" "no Approved-by"
is "$(git -C "$S" show --stat --format= HEAD | grep -c '|')" 1 "the commit adds one file"
check "ACT-CMP-CUSTODIAL: starts pending approval" grep -qx "status: pending-approval" "$P"
check "version 1" grep -qx "version: 1" "$P"
check "submitted on the day made" grep -qx "submitted: '2026-03-10'" "$P"
check "changed_by the writer" grep -qx "changed_by: ada" "$P"
check "ACT-LSIR: the LSI-R it was made on" grep -qx "lsi_r: '2026-03-04'" "$P"
check "the s 78 parts kept" grep -q "^  release_preparation: " "$P"
check "the referral with consent has no exception" test "$(grep -c at_risk_exception "$P")" = 0
n=$(commits "$S")
run cmp-new -C "$S" --today 2026-03-11 --kind custodial -f "$PLAN" ACT-0042
expect 2 "a second custodial plan"
err_has "ACT-0042 already has a custodial plan (version 1, pending-approval): review it with cmp-review" "points to cmp-review"

# ACT-REMAND-CMP: not before 4 weeks in custody (received 2026-03-02)
cat >"$T/remand.yaml" <<'YAML'
goals:
  - Keep in touch with family
needs:
  - id: N1
    domain: mental-health
    description: Anxiety and poor sleep since reception
    interventions:
      - type: support
        description: Forensic mental health assessment
    target: '2026-05-31'
    status: open
    referral:
      to: Forensic mental health
      date: '2026-03-25'
      consent: not-asked
YAML
run cmp-new -C "$S" --today 2026-03-29 --kind remand -f "$T/remand.yaml" ACT-0101
expect 2 "ACT-REMAND-CMP: 27 days after reception"
err_has "ACT-REMAND-CMP: ACT-0101 was received on 2026-03-02: a remand plan may be made from 2026-03-30, after 4 weeks in custody, not on 2026-03-29" "ACT-REMAND-CMP: names the rule and the first day"
run cmp-new -C "$S" --today 2026-03-29 --kind remand -f "$T/remand.yaml" ACT-0043
expect 2 "ACT-REMAND-CMP: no reception recorded"
err_has "ACT-REMAND-CMP: ACT-0043 has no reception recorded" "ACT-REMAND-CMP: says so"
# received, released after 10 days, never received again: the 4 weeks in
# custody were never spent, and deadline-check agrees (the rule lapsed)
{
	case-new -C "$S" --today 2026-03-01 --cohort remandee ACT-0044 &&
	case-event -C "$S" ACT-0044 reception --date 2026-03-02 &&
	case-event -C "$S" ACT-0044 released --date 2026-03-12
} >/dev/null 2>&1 || echo "Bail out! cannot make ACT-0044"
n44=$(commits "$S")
run cmp-new -C "$S" --today 2026-04-10 --kind remand -f "$T/remand.yaml" ACT-0044
expect 2 "ACT-REMAND-CMP: released after 10 days"
err_has "ACT-REMAND-CMP: ACT-0044 was received on 2026-03-02 and released on 2026-03-12: a remand plan may be made after 4 weeks in custody since a reception, with no release" "ACT-REMAND-CMP: names the release"
is "$(commits "$S")" "$n44" "ACT-REMAND-CMP: no commit"
run deadline-check -C "$S" --today 2026-04-10 --case ACT-0044 --rule ACT-REMAND-CMP --format csv
is "$(sed 1d "$T/out")" "" "ACT-REMAND-CMP: deadline-check shows no window either"

# one number: the store's rule.  An administrator makes the remand window
# 3 weeks with store-policy (in a clone); cmp-new and deadline-check then
# both count 3 weeks from the reception of 2026-03-02.
R3="$T/r3"
git clone -q "$S" "$R3"
sed '/^  - id: ACT-REMAND-CMP$/,/^  - id:/s/^      weeks: 4$/      weeks: 3/' \
    "$CT_SOURCE_DIR/rules/deadlines.yaml" >"$T/rules3.yaml"
run store-policy -C "$R3" set rules/deadlines.yaml "$T/rules3.yaml" -m "remand window 3 weeks"
expect 0 "ACT-REMAND-CMP: the rule changed to 3 weeks"
run deadline-check -C "$R3" --today 2026-03-22 --case ACT-0101 --rule ACT-REMAND-CMP --format csv
is "$(sed 1d "$T/out" | cut -d, -f6)" "2026-03-23" "ACT-REMAND-CMP: deadline-check counts 3 weeks"
run cmp-new -C "$R3" -n --today 2026-03-22 --kind remand -f "$T/remand.yaml" ACT-0101
expect 2 "ACT-REMAND-CMP: 20 days after reception, under the 3-week rule"
err_has "a remand plan may be made from 2026-03-23, after 3 weeks in custody" "ACT-REMAND-CMP: cmp-new counts 3 weeks"
sed 's/consent: not-asked/consent: given/' "$T/remand.yaml" >"$T/remand-given.yaml"
run cmp-new -C "$R3" -n --today 2026-03-23 --kind remand -f "$T/remand-given.yaml" ACT-0101
expect 0 "ACT-REMAND-CMP: from the day the rule says (dry run)"
run store-verify -C "$R3" --quiet
expect 0 "ACT-REMAND-CMP: the rule change verifies"

# ACT-CONSENT: no referral without consent unless At Risk
run cmp-new -C "$S" --today 2026-03-30 --kind remand -f "$T/remand.yaml" ACT-0101
expect 2 "ACT-CONSENT: referral not asked, not At Risk"
err_has "ACT-CONSENT: needs[N1].referral: consent is 'not-asked' and the case is not recorded At Risk" "ACT-CONSENT: the message of the rule"
err_has "$T/remand.yaml:13:7: ACT-CONSENT" "ACT-CONSENT: names file and line"
sed 's/consent: not-asked/consent: refused/' "$T/remand.yaml" >"$T/refused.yaml"
run cmp-new -C "$S" --today 2026-03-30 --kind remand -f "$T/refused.yaml" ACT-0101
expect 2 "ACT-CONSENT: consent refused"
err_has "ACT-CONSENT: needs[N1].referral: consent is 'refused'" "ACT-CONSENT: says refused"
case-event -C "$S" ACT-0101 at-risk --date 2026-03-26 2>/dev/null
run cmp-new -C "$S" --today 2026-03-30 --kind remand -f "$T/remand.yaml" ACT-0101
expect 2 "ACT-CONSENT: At Risk only after the referral's date"
case-event -C "$S" ACT-0101 at-risk --date 2026-03-20 2>/dev/null
case-event -C "$S" ACT-0101 at-risk --cleared --date 2026-03-25 2>/dev/null
run cmp-new -C "$S" --today 2026-03-30 --kind remand -f "$T/remand.yaml" ACT-0101
expect 2 "ACT-CONSENT: At Risk lifted on the referral's date"
n=$(commits "$S")
case-event -C "$S" ACT-0101 at-risk --date 2026-03-25 -m "Self-harm threat" 2>/dev/null
n=$(commits "$S")
run_in "$(cat "$T/remand.yaml")" cmp-new -C "$S" --today 2026-03-30 --kind remand -f - ACT-0101
expect 0 "ACT-CONSENT: referral without consent while At Risk (stdin)"
is "$(commits "$S")" "$((n + 1))" "one commit"
check "ACT-CONSENT: the At Risk exception recorded" grep -qx "      at_risk_exception: true" "$R"
check "ACT-REMAND-CMP: a remand plan needs no approval" grep -qx "status: approved" "$R"
check "ACT-REMAND-CMP: nothing submitted for approval" test "$(grep -c submitted: "$R")" = 0
is "$(git -C "$S" log -1 --format=%s)" "cmp-new: ACT-0101 remand plan made (version 1, approved)" "subject"
is "$(trailer "$S" Record)" cmp/remand "Record trailer"

# a community plan
case-event -C "$S" ACT-0043 stage-changed --date 2026-04-01 --stage community 2>/dev/null
cat >"$T/community.yaml" <<'YAML'
goals: [Keep a job, No further offences]
needs:
  - id: N1
    domain: companions
    description: Peers involved in offending
    interventions:
      - {type: program, description: Cognitive skills group}
    target: '2026-09-30'
    status: open
YAML
run cmp-new -C "$S" --today 2026-04-10 --kind community -f "$T/community.yaml" ACT-0043
expect 0 "community plan made"
check "ACT-CMP-COMMUNITY: starts pending approval" grep -qx "status: pending-approval" "$S/$(shard ACT-0043)/cmp/community.yaml"
n=$(commits "$S")

# who may make plans, and other refusals
run as "Bob Auditor" bob@example.org cmp-new -C "$S" --today 2026-04-10 --kind community -f "$T/community.yaml" ACT-0042
expect 2 "an auditor may not make plans"
err_has "'bob' is not a registered operator with the case-manager role" "says which role"
run as "Carol Leader" carol@example.org cmp-new -C "$S" --today 2026-04-10 --kind community -f "$T/community.yaml" ACT-0042
expect 2 "a team leader without the case-manager role may not"
run as "Eve Unknown" eve@example.org cmp-new -C "$S" --today 2026-04-10 --kind community -f "$T/community.yaml" ACT-0042
expect 2 "an unregistered writer"
run cmp-new -C "$S" --today 2026-04-10 --kind parole -f "$T/community.yaml" ACT-0042
expect 2 "unknown kind"
err_has "--kind: 'parole' is not a plan kind" "says so"
run cmp-new -C "$S" --today 2026-04-10 -f "$T/community.yaml" ACT-0042
expect 2 "no --kind"
run cmp-new -C "$S" --today 2026-04-10 --kind community ACT-0042
expect 2 "neither -f nor --edit"
run cmp-new -C "$S" --today 2026-04-10 --kind community -f "$T/none.yaml" ACT-0042
expect 2 "a missing file"
run cmp-new -C "$S" --today 2026-04-10 --kind community -f "$T/community.yaml" ACT-0404
expect 2 "no such case"
err_has "case ACT-0404 does not exist" "says so"
run cmp-new -C "$S" --today 2026-04-10 --kind community -f "$T/community.yaml" -m $'x\nApproved-by: me' ACT-0042
expect 2 "a reason forging a trailer"
printf 'goals: [x]\nneeds: []\nstatus: approved\n' >"$T/forged.yaml"
run cmp-new -C "$S" --today 2026-04-10 --kind community -f "$T/forged.yaml" ACT-0042
expect 2 "input may not set the status"
err_has "$T/forged.yaml:3:1: status: not editable" "says so"
V="$T/v"
new_store "$V" VIC
case-new -C "$V" --cohort post-sentence VIC-0007 2>/dev/null
run cmp-new -C "$V" --today 2026-04-10 --kind community -f "$T/community.yaml" VIC-0007
expect 2 "a VIC case"
err_has "Case Management Plans are kept for ACT cases" "says why"
is "$(commits "$S")" "$n" "no commit on any refusal"

# dry run
run cmp-new -C "$S" -n --today 2026-04-10 --kind community -f "$T/community.yaml" ACT-0042
expect 0 "dry run"
out_has "+status: pending-approval" "prints the plan"
is "$(commits "$S")" "$n" "dry run commits nothing"
check "no file written" test ! -e "$S/$(shard ACT-0042)/cmp/community.yaml"
clean "$S" "at the end"

done_testing

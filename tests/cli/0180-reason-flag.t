#!/usr/bin/env bash
# -m is the commit's Reason in every writing tool (--reason where the tool
# has no other --reason); the old long names stay for one release:
# case-event and cmp-approve --note (the same as -m), contact-add and
# cmp-review -m without --summary (also the summary).  The new spellings
# keep the Reason and the record's note or summary apart.
. "$(dirname "$0")/lib.sh"
: "${CT_FIXTURES:?}"
PLAN="$CT_FIXTURES/cmp/custodial-act-0042.yaml"
Z=000000000000000000000000000000000000000000000000000000

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
registry -C "$S" add-operator carol --name "Carol Leader" --email carol@example.org \
    --role cmu-team-leader --agency djcs 2>/dev/null
case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 2>/dev/null
assess-add -C "$S" --today 2026-03-10 --date 2026-03-04 --items $Z ACT-0042 lsi-r >/dev/null 2>&1
cmp-new -C "$S" --today 2026-03-10 --kind custodial -f "$PLAN" ACT-0042 >/dev/null 2>&1
C="$S/$(shard ACT-0042)"
check "set-up: a custodial plan pending approval" grep -qx "status: pending-approval" "$C/cmp/custodial.yaml"

# every writing tool's --help lists -m as --reason, the commit's Reason
for tool in assess-add authority-notice case-event case-import case-new \
    cmp-approve cmp-copy cmp-new contact-add csp-endorse csp-new csp-pack \
    csp-update disclose-log registry sab-report store-policy; do
	line=$("$tool" --help | grep -E '^  -m')
	case $line in
	"  -m, --reason text"*) ok "$tool: -m, --reason" ;;
	*) not_ok "$tool: -m, --reason" "got: $line" ;;
	esac
done
line=$(cmp-review --help | grep -E '^  -m')
case $line in
"  -m text "*"commit's Reason"*) ok "cmp-review: -m, the commit's Reason (--reason is why the plan is reviewed)" ;;
*) not_ok "cmp-review: -m, the commit's Reason" "got: $line" ;;
esac

# case-event: -m and --reason the same; --note, the old name, too
n=$(commits "$S")
run case-event -C "$S" --today 2026-03-20 ACT-0042 engaged --date 2026-03-12 --reason "Attended induction"
expect 0 "case-event --reason"
is "$(trailer "$S" Reason)" "Attended induction" "--reason: the commit's Reason"
check "--reason: kept with the event as its note" grep -q "note: Attended induction" "$C/case.yaml"
run case-event -C "$S" --today 2026-03-20 ACT-0042 engaged --date 2026-03-13 --note "Second session"
expect 0 "case-event --note (for one release)"
is "$(trailer "$S" Reason)" "Second session" "--note: also the Reason, as before"
check "--note: the event's note" grep -q "note: Second session" "$C/case.yaml"
is "$(commits "$S")" "$((n + 2))" "one commit each"

# cmp-approve: --note still the same as -m
run as "Carol Leader" carol@example.org cmp-approve -C "$S" --today 2026-03-21 \
    --kind custodial --note "Checked with the CM" ACT-0042
expect 0 "cmp-approve --note (for one release)"
is "$(trailer "$S" Reason)" "Checked with the CM" "the Reason"
check "the approval's note" grep -q "note: Checked with the CM" "$C/cmp/custodial.yaml"

# contact-add: --summary is the summary; -m the Reason (default: the summary)
run contact-add -C "$S" --today 2026-03-22 --date 2026-03-22 --kind phone \
    --summary "Housing referral followed up" ACT-0042
expect 0 "contact-add --summary"
is "$(trailer "$S" Reason)" "Housing referral followed up" "the Reason defaults to the summary"
run contact-add -C "$S" --today 2026-03-22 --date 2026-03-21 --kind phone \
    --summary "Call about the program" -m "Recorded late: the CM was away" ACT-0042
expect 0 "contact-add --summary and -m"
is "$(trailer "$S" Reason)" "Recorded late: the CM was away" "-m: the Reason only"
check "the summary is --summary's" grep -q "summary: Call about the program" "$C/contacts.yaml"
check "-m is not the summary then" test "$(grep -c "Recorded late" "$C/contacts.yaml")" -eq 0
run contact-add -C "$S" --today 2026-03-22 --date 2026-03-20 --kind video -m "Video check-in" ACT-0042
expect 0 "contact-add -m alone (for one release)"
check "-m alone: the summary too, as before" grep -q "summary: Video check-in" "$C/contacts.yaml"
is "$(trailer "$S" Reason)" "Video check-in" "-m alone: the Reason"
n=$(commits "$S")
refuse "--summary" "contact-add without a summary" contact-add -C "$S" --today 2026-03-22 \
    --date 2026-03-19 --kind phone ACT-0042

# cmp-review: --summary kept in the review; -m the Reason's text after the reason
n=$(commits "$S")
run cmp-review -C "$S" --today 2026-04-01 --kind custodial --reason needs-unmet \
    --summary "Bakery placement started" -m "Asked for by the CM" \
    --complete N2 --date 2026-03-30 ACT-0042
expect 0 "cmp-review --summary and -m"
is "$(trailer "$S" Reason)" "needs-unmet: Asked for by the CM" "the Reason: the reason, then -m"
check "the review's summary is --summary's" grep -q "summary: Bakery placement started" "$C/cmp/custodial.yaml"
as "Carol Leader" carol@example.org cmp-approve -C "$S" --today 2026-04-02 --kind custodial ACT-0042 >/dev/null 2>&1
run cmp-review -C "$S" --today 2026-04-03 --kind custodial --reason scheduled \
    --summary "Quarterly" --complete N1 --date 2026-04-02 ACT-0042
expect 0 "cmp-review --summary alone"
is "$(trailer "$S" Reason)" "scheduled: Quarterly" "the Reason: the reason and the summary, as -m gave before"
is "$(commits "$S")" "$((n + 3))" "one commit each"
clean "$S" "after the writes"
done_testing

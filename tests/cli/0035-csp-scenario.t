#!/usr/bin/env bash
# A whole CSP year on two cases, with the SOCT review run script
# (examples/soct-review-run.sh): Supervision Orders made, plans drafted and
# endorsed (VIC-CSP-REQUIRED met, VIC-CSP-ENDORSE), the review clock
# (VIC-CSP-REVIEW) with a month-end endorsement, the review run requesting
# updates (VIC-SDU), answers recorded, the review opened and re-endorsed,
# and the clock moving six months on; every commit and trailer checked.
. "$(dirname "$0")/lib.sh"

: "${CT_SOURCE_DIR:?CT_SOURCE_DIR must name the source tree}"
FIX="${CT_FIXTURES:-$(dirname "$0")/../fixtures}/csp"
RUN="$CT_SOURCE_DIR/examples/soct-review-run.sh"

if ! command -v jq >/dev/null 2>&1; then
	echo "1..0 # SKIP the review run script needs jq"
	exit 0
fi

S="$T/s"
{
	new_store "$S" VIC &&
	registry -C "$S" add-agency dh --name "Health" --map-member &&
	registry -C "$S" add-agency vicpol --name "Victoria Police" --map-member &&
	registry -C "$S" add-agency forensicare --name "Forensicare" --funded-by dh &&
	case-new -C "$S" --today 2026-03-01 --cohort post-sentence VIC-0007 VIC-0012 &&
	case-event -C "$S" VIC-0007 order-made --date 2026-03-02 --order supervision &&
	case-event -C "$S" VIC-0012 order-made --date 2026-05-20 --order interim-supervision
} >/dev/null 2>&1 || { echo "Bail out! cannot make a store"; exit 1; }
n0=$(commits "$S")

# review DATE: "case due status anchor" of VIC-CSP-REVIEW, as of DATE
review() {
	deadline-check -C "$S" --today "$1" --rule VIC-CSP-REVIEW --status all --format json |
	    jq -r '.[] | "\(.case) \(.due) \(.status) \(.anchor_event)"' | tr '\n' ';'
}

# plans drafted and endorsed
run csp-new -C "$S" --today 2026-03-10 -f "$FIX/plan-vic-0007.yaml" VIC-0007
expect 0 "VIC-0007 plan drafted"
run deadline-check -C "$S" --today 2026-03-19 --rule VIC-CSP-REQUIRED --format csv
expect 0 "VIC-CSP-REQUIRED: a draft does not meet it"
out_has "VIC-0007,VIC-CSP-REQUIRED,Endorsed CSP for an offender on a (Interim) Supervision Order,order-made,2026-03-02,2026-03-30,due,11" \
    "VIC-CSP-REQUIRED: due 28 days after the SO was made"
run csp-endorse -C "$S" --today 2026-03-20 --meeting "MAP 2026-03" --date 2026-03-20 --agency djcs,dh,dffh VIC-0007
expect 0 "VIC-CSP-ENDORSE: VIC-0007 endorsed"
run csp-new -C "$S" --today 2026-06-01 -f "$FIX/plan-vic-0012.yaml" VIC-0012
expect 0 "VIC-0012 plan drafted"

# the clock: VIC-CSP-REVIEW from the endorsement, 6 months on
is "$(review 2026-08-20)" "VIC-0007 2026-09-20 due csp endorsement 1;" \
    "VIC-CSP-REVIEW: VIC-0007 due 2026-09-20; VIC-0012 has no endorsement yet"

# the review run, 31 days before VIC-0007's review is due
run sh "$RUN" -C "$S" --today 2026-08-20 42 2026-09-04
expect 0 "the review run"
out_has "CSP reviews due within 42 days: VIC-0007" "finds the plan due for review"
out_has "2026-09-04  outstanding    15  VIC-0007  r1       djcs         written  2026-08-20  -" \
    "VIC-SDU: djcs asked"
out_has "2026-09-04  outstanding    15  VIC-0007  r2       forensicare  written  2026-08-20  -" \
    "VIC-SDU: forensicare (the provider of DH's service) asked"
run sh "$RUN" -C "$S" --today 2026-08-20 42 2026-09-04
expect 0 "the same run again"
err_has "nothing changed, no commit made" "asks nobody twice"

# answers come in; VIC-0012 is endorsed at the end of August
run csp-update -C "$S" --today 2026-08-28 record --agency forensicare --received 2026-08-28 \
    -f "$FIX/answer-forensicare.yaml" VIC-0007
expect 0 "forensicare answers"
run csp-endorse -C "$S" --today 2026-08-31 --meeting "MAP 2026-08" --date 2026-08-31 --agency djcs,vicpol VIC-0012
expect 0 "VIC-0012 endorsed on 31 August"
run deadline-check -C "$S" --today 2026-09-01 --rule VIC-CSP-REQUIRED --status all --format csv
out_has "VIC-0012,VIC-CSP-REQUIRED,Endorsed CSP for an offender on a (Interim) Supervision Order,order-made,2026-05-20,2026-06-17,met-late,-76,2026-08-31," \
    "VIC-CSP-REQUIRED: VIC-0012 met (late) by its endorsement"

# the review of VIC-0007 opens; the clock still runs from version 1
run csp-new -C "$S" --today 2026-09-01 --review -m "Six-monthly review" VIC-0007
expect 0 "review opened"
run csp-update -C "$S" --today 2026-09-03 record --agency djcs --received 2026-09-03 \
    --delivered "Weekly supervision sessions, all attended" --next "Weekly sessions continue" VIC-0007
expect 0 "djcs answers"
is "$(review 2026-09-05)" "VIC-0007 2026-09-20 due csp endorsement 1;VIC-0012 2027-02-28 upcoming csp endorsement 1;" \
    "VIC-CSP-REVIEW: during the review, due from version 1; 31 August + 6 months = 28 February"
run deadline-check -C "$S" --today 2026-09-05 --rule VIC-SDU --rule VIC-CSP-REQUIRED --case VIC-0007 --status all --format csv
out_has "VIC-CSP-REQUIRED,Endorsed CSP for an offender on a (Interim) Supervision Order,order-made,2026-03-02,2026-03-30,met" \
    "VIC-CSP-REQUIRED: still met while version 2 is a draft"
is "$(grep -c ',VIC-SDU,.*,met,' "$T/out")" 2 "VIC-SDU: both requests met"

# re-endorsed: the clock moves six months on
run csp-endorse -C "$S" --today 2026-09-15 --meeting "MAP 2026-09" --date 2026-09-15 --agency djcs,dh,dffh VIC-0007
expect 0 "version 2 endorsed"
is "$(review 2026-09-16)" "VIC-0012 2027-02-28 upcoming csp endorsement 1;VIC-0007 2027-03-15 upcoming csp endorsement 2;" \
    "VIC-CSP-REVIEW: VIC-0007 now due 2027-03-15"

# the next run finds VIC-0012 (due 28 February), not VIC-0007 (15 March)
run sh "$RUN" -C "$S" --today 2027-01-20 42 2027-02-10
expect 0 "the next review run"
out_has "CSP reviews due within 42 days: VIC-0012" "finds VIC-0012 only"
# three weeks later both are due: VIC-0012's agencies are not asked
# again, VIC-0007's are
run sh "$RUN" -C "$S" --today 2027-02-11 42 2027-02-25
expect 1 "a run with overdue answers exits 1"
out_has "CSP reviews due within 42 days: VIC-0007 VIC-0012" "finds both"
err_has "VIC-0012 service-delivery update requested: nothing changed" "VIC-0012's agencies were asked already"
out_has "2027-02-10  overdue        -1  VIC-0012  r2       vicpol       written  2027-01-20  -" \
    "VIC-SDU: vicpol's answer is overdue"
run deadline-check -C "$S" --today 2027-02-11 --rule VIC-SDU --format csv
out_has "VIC-0012,VIC-SDU,Service-delivery update received from the agency,sdu request vicpol,2027-02-10,2027-02-10,overdue,-1," \
    "VIC-SDU: a finding for vicpol"

# every commit, in order, with its trailers
git -C "$S" log --reverse --format='%s|%(trailers:key=Action,valueonly,separator=)|%(trailers:key=Case,valueonly,separator=)|%(trailers:key=Record,valueonly,separator=)|%(trailers:key=Reason,valueonly,separator=)' \
    "HEAD~$(($(commits "$S") - n0))..HEAD" >"$T/log"
cat >"$T/want" <<'EOF'
csp-new: VIC-0007 CSP version 1 drafted|new|VIC-0007|csp|
csp-endorse: VIC-0007 CSP version 1 endorsed at MAP 2026-03 on 2026-03-20|endorse|VIC-0007|csp|
csp-new: VIC-0012 CSP version 1 drafted|new|VIC-0012|csp|
csp-update: VIC-0007 service-delivery update requested from djcs, forensicare (written, due 2026-09-04)|request|VIC-0007|csp|Six-monthly CSP review run
csp-update: VIC-0007 service-delivery update r2 from forensicare received 2026-08-28|record|VIC-0007|csp|
csp-endorse: VIC-0012 CSP version 1 endorsed at MAP 2026-08 on 2026-08-31|endorse|VIC-0012|csp|
csp-new: VIC-0007 CSP review opened: version 2 drafted|review|VIC-0007|csp|Six-monthly review
csp-update: VIC-0007 service-delivery update r1 from djcs received 2026-09-03|record|VIC-0007|csp|
csp-endorse: VIC-0007 CSP version 2 endorsed at MAP 2026-09 on 2026-09-15|endorse|VIC-0007|csp|
csp-update: VIC-0012 service-delivery update requested from djcs, vicpol (written, due 2027-02-10)|request|VIC-0012|csp|Six-monthly CSP review run
csp-update: VIC-0007 service-delivery update requested from djcs, forensicare (written, due 2027-02-25)|request|VIC-0007|csp|Six-monthly CSP review run
EOF
if diff -u "$T/want" "$T/log" >"$T/diff"; then ok "git log: every commit and trailer"; else
	not_ok "git log: every commit and trailer" "$(cat "$T/diff")"; fi
is "$(git -C "$S" log -1 --format='%(trailers:key=Tool,valueonly)' | sed '/^$/d')" "csp-update 0.1.0" "Tool trailer"
check "git fsck" git -C "$S" fsck --no-progress --no-dangling
clean "$S" "at the end"

done_testing

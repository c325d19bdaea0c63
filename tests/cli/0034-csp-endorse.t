#!/usr/bin/env bash
# csp-endorse: VIC-CSP-ENDORSE (every MAP member delivering or funding a
# service commits, only MAP members commit), who may record it, dates; the
# endorsement starts the VIC-CSP-REVIEW clock and meets VIC-CSP-REQUIRED.
. "$(dirname "$0")/lib.sh"

FIX="${CT_FIXTURES:-$(dirname "$0")/../fixtures}/csp"

csp_store() {
	new_store "$1" VIC &&
	registry -C "$1" add-agency dh --name "Health" --map-member &&
	registry -C "$1" add-agency vicpol --name "Victoria Police" --map-member &&
	registry -C "$1" add-agency forensicare --name "Forensicare" --funded-by dh &&
	registry -C "$1" add-operator mia --name "Mia Member" --email mia@example.org \
	    --role map-member --agency dh &&
	registry -C "$1" add-operator cass --name "Cass Manager" --email cass@example.org \
	    --role case-manager --agency djcs
} >/dev/null 2>&1

S="$T/s"
csp_store "$S" || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$S" --today 2026-03-01 --cohort post-sentence VIC-0007 VIC-0012 VIC-0013 2>/dev/null
case-event -C "$S" VIC-0007 order-made --date 2026-03-02 --order supervision 2>/dev/null
case-event -C "$S" VIC-0012 order-made --date 2026-02-27 --order interim-supervision 2>/dev/null
csp-new -C "$S" -f "$FIX/plan-vic-0007.yaml" VIC-0007 2>/dev/null
csp-new -C "$S" -f "$FIX/plan-vic-0012.yaml" VIC-0012 2>/dev/null
P="$S/$(shard VIC-0007)/csp.yaml"
export CASETRAIL_TODAY=2026-03-20
n=$(commits "$S")

# VIC-CSP-ENDORSE: the members answerable for the services must commit
# (s1 djcs; s2 dh, which funds forensicare; s3 dffh, planned)
run csp-endorse -C "$S" --meeting "MAP 2026-03" --date 2026-03-20 --agency djcs VIC-0007
expect 2 "VIC-CSP-ENDORSE: endorsing with missing agencies"
err_has "VIC-0007: every MAP member agency delivering or funding a service in the plan must commit; missing: dh (service s2), dffh (service s3)" \
    "VIC-CSP-ENDORSE: lists each missing agency and its services"
run csp-endorse -C "$S" --meeting "MAP 2026-03" --date 2026-03-20 --agency djcs,dffh,forensicare VIC-0007
expect 2 "VIC-CSP-ENDORSE: a funded service commits in place of its funder"
err_has "not MAP members: forensicare" "VIC-CSP-ENDORSE: only MAP members commit"
run csp-endorse -C "$S" --meeting "MAP 2026-03" --date 2026-03-20 --agency djcs,dh,dffh --agency acme VIC-0007
expect 2 "VIC-CSP-ENDORSE: an unregistered agency"
err_has "VIC-0007: endorsement by the MAP commits its member agencies; not registered: acme" "names it"
# dates and options
run csp-endorse -C "$S" --meeting "MAP 2026-03" --date 2026-02-30 --agency djcs,dh,dffh VIC-0007
expect 2 "an invalid date"
err_has "--date: " "names the option"
run csp-endorse -C "$S" --meeting "MAP 2026-03" --date 2026-3-20 --agency djcs,dh,dffh VIC-0007
expect 2 "an unpadded date"
run csp-endorse -C "$S" --meeting "MAP 2026-03" --date 2026-03-21 --agency djcs,dh,dffh VIC-0007
expect 2 "a meeting after today"
err_has "--date 2026-03-21 is after today (2026-03-20)" "says so"
run csp-endorse -C "$S" --date 2026-03-20 --agency djcs,dh,dffh VIC-0007
expect 2 "no --meeting"
run csp-endorse -C "$S" --meeting "MAP 2026-03" --agency djcs,dh,dffh VIC-0007
expect 2 "no --date"
run csp-endorse -C "$S" --meeting "MAP 2026-03" --date 2026-03-20 VIC-0007
expect 2 "no --agency"
run csp-endorse -C "$S" --meeting $'MAP\nCase: VIC-0001' --date 2026-03-20 --agency djcs,dh,dffh VIC-0007
expect 2 "a meeting with a newline (trailer forgery)"
run csp-endorse -C "$S" --meeting "MAP 2026-03" --date 2026-03-20 --agency djcs VIC-0013
expect 2 "a case without a plan"
err_has "VIC-0013 has no CSP (draft one with csp-new)" "says so"
# who records it: soct-officer or map-member
run as "Bob Auditor" bob@example.org csp-endorse -C "$S" --meeting "MAP 2026-03" \
    --date 2026-03-20 --agency djcs,dh,dffh VIC-0007
expect 2 "an auditor"
err_has "recording a MAP endorsement: 'bob' is not a registered operator with the soct-officer or map-member role" \
    "names the roles"
run as "Cass Manager" cass@example.org csp-endorse -C "$S" --meeting "MAP 2026-03" \
    --date 2026-03-20 --agency djcs,dh,dffh VIC-0007
expect 2 "a case manager"
is "$(commits "$S")" "$n" "no commit on any error"
check "still a draft" grep -qx "status: draft" "$P"
clean "$S" "after errors"

run csp-endorse -C "$S" -n --meeting "MAP 2026-03" --date 2026-03-20 --agency djcs,dh,dffh VIC-0007
expect 0 "dry run"
out_has "+status: endorsed" "prints the diff"
is "$(commits "$S")" "$n" "dry run commits nothing"

run csp-endorse -C "$S" --meeting "MAP 2026-03" --date 2026-03-20 --agency djcs,dh \
    --agency dffh,djcs -m "Endorsed at the March MAP" VIC-0007
expect 0 "VIC-CSP-ENDORSE: endorsed by every answerable member"
is "$(commits "$S")" "$((n + 1))" "one commit"
is "$(git -C "$S" log -1 --format=%s)" \
    "csp-endorse: VIC-0007 CSP version 1 endorsed at MAP 2026-03 on 2026-03-20" "subject"
is "$(trailer "$S" Action)" endorse "Action: endorse"
is "$(trailer "$S" Record)" csp "Record: csp"
is "$(trailer "$S" Case)" VIC-0007 "Case trailer"
is "$(trailer "$S" Reason)" "Endorsed at the March MAP" "Reason trailer"
check "status and endorsement recorded" python3 - "$P" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
assert d["status"] == "endorsed", d
assert d["endorsements"] == [{"version": "1", "meeting": "MAP 2026-03",
    "date": "2026-03-20", "agencies": ["djcs", "dh", "dffh"]}], d["endorsements"]
PY
n=$(commits "$S")
run csp-endorse -C "$S" --meeting "MAP 2026-03" --date 2026-03-20 --agency djcs,dh,dffh VIC-0007
expect 2 "endorsing an endorsed plan"
err_has "VIC-0007: CSP version 1 is already endorsed; open the next version with csp-new --review" "says so"

# a MAP member may record it too
run as "Mia Member" mia@example.org csp-endorse -C "$S" --meeting "MAP 2026-03" \
    --date 2026-03-20 --agency djcs,vicpol VIC-0012
expect 0 "recorded by a map-member"
is "$(git -C "$S" log -1 --format=%an)" "Mia Member" "as its author"
is "$(commits "$S")" "$((n + 1))" "one commit"

# VIC-CSP-REQUIRED met, VIC-CSP-REVIEW due 6 months after the endorsement
run deadline-check -C "$S" --status all --case VIC-0007 --format csv
expect 0 "deadline-check"
out_has "VIC-0007,VIC-CSP-REQUIRED,Endorsed CSP for an offender on a (Interim) Supervision Order,order-made,2026-03-02,2026-03-30,met,10,2026-03-20," \
    "VIC-CSP-REQUIRED: met on the endorsement day"
out_has "VIC-0007,VIC-CSP-REVIEW,CSP reviewed at least every six months,csp endorsement 1,2026-03-20,2026-09-20,upcoming,184," \
    "VIC-CSP-REVIEW: 2026-03-20 + 6 months = 2026-09-20"

# several cases on stdin, one commit each; month-end: endorsed 31 August,
# the review is due at the end of February (VIC-CSP-REVIEW)
case-new -C "$S" --cohort post-sentence VIC-0020 VIC-0021 2>/dev/null
for c in VIC-0020 VIC-0021; do
	case-event -C "$S" --today 2026-08-03 $c order-made --date 2026-08-03 --order supervision 2>/dev/null
	csp-new -C "$S" -f "$FIX/plan-vic-0012.yaml" $c 2>/dev/null
done
n=$(commits "$S")
run_in $'VIC-0020\nVIC-0021\n' csp-endorse -C "$S" --today 2026-08-31 --meeting "MAP 2026-08" \
    --date 2026-08-31 --agency djcs,vicpol -
expect 0 "ids on stdin"
is "$(commits "$S")" "$((n + 2))" "one commit per case"
is "$(git -C "$S" log -2 --format='%(trailers:key=Case,valueonly)' | sed '/^$/d' | tr '\n' ' ')" \
    "VIC-0021 VIC-0020 " "a commit for each case"
run deadline-check -C "$S" --today 2026-09-01 --status all --rule VIC-CSP-REVIEW --case VIC-0020 --explain --format csv
out_has "VIC-0020,VIC-CSP-REVIEW,CSP reviewed at least every six months,csp endorsement 1,2026-08-31,2027-02-28,upcoming,180," \
    "VIC-CSP-REVIEW: 31 August + 6 months = 28 February"
out_has "csp endorsement 1 2026-08-31 + 6 months = 2027-02-28 (day of month clamped to the month's end)" \
    "explained as clamped"
clean "$S" "at the end"

done_testing

#!/usr/bin/env bash
# csp-update: service-delivery update requests (VIC-SDU): request, record,
# list; one commit per case; every error commits nothing.
. "$(dirname "$0")/lib.sh"

FIX="${CT_FIXTURES:-$(dirname "$0")/../fixtures}/csp"

csp_store() {
	new_store "$1" VIC &&
	registry -C "$1" add-agency dh --name "Health" --map-member &&
	registry -C "$1" add-agency vicpol --name "Victoria Police" --map-member &&
	registry -C "$1" add-agency forensicare --name "Forensicare" --funded-by dh
} >/dev/null 2>&1

S="$T/s"
csp_store "$S" || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$S" --today 2026-03-01 --cohort post-sentence VIC-0007 VIC-0012 VIC-0013 2>/dev/null
case-event -C "$S" VIC-0007 order-made --date 2026-03-02 --order supervision 2>/dev/null
case-event -C "$S" VIC-0012 order-made --date 2026-02-27 --order interim-supervision 2>/dev/null
csp-new -C "$S" -f "$FIX/plan-vic-0007.yaml" VIC-0007 2>/dev/null
csp-new -C "$S" -f "$FIX/plan-vic-0012.yaml" VIC-0012 2>/dev/null
P="$S/$(shard VIC-0007)/csp.yaml"
export CASETRAIL_TODAY=2026-08-10

run csp-update -C "$S" list
expect 0 "list with no requests"
is "$(cat "$T/out")" "no requests to show" "says so"
n=$(commits "$S")

# request: --agency all = the provider, else the agency, of every active
# service (s1 djcs, s2 forensicare for dh; s3 dffh is only planned)
run csp-update -C "$S" request --agency all --via written --due 2026-08-31 VIC-0007
expect 0 "VIC-SDU: request from every agency with an active service"
is "$(commits "$S")" "$((n + 1))" "one commit"
is "$(git -C "$S" log -1 --format=%s)" \
    "csp-update: VIC-0007 service-delivery update requested from djcs, forensicare (written, due 2026-08-31)" "subject"
is "$(trailer "$S" Action)" request "Action: request"
is "$(trailer "$S" Record)" csp "Record: csp"
is "$(trailer "$S" Case)" VIC-0007 "Case trailer"
check "one request per agency" python3 - "$P" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
assert d["requests"] == [
    {"id": "r1", "version": "1", "agency": "djcs", "via": "written",
     "requested": "2026-08-10", "due": "2026-08-31"},
    {"id": "r2", "version": "1", "agency": "forensicare", "via": "written",
     "requested": "2026-08-10", "due": "2026-08-31"}], d["requests"]
PY
n=$(commits "$S")
run csp-update -C "$S" request --agency all --via written --due 2026-08-31 VIC-0007
expect 0 "the same run again"
err_has "nothing changed, no commit made" "says nothing changed"
is "$(commits "$S")" "$n" "no commit"

# errors
run csp-update -C "$S" request --agency vicpol --via written --due 2026-08-31 VIC-0007
expect 2 "VIC-SDU: a request for an agency not in the plan"
err_has "VIC-0007: 'vicpol' is not named in the plan (its agencies: djcs, dh, forensicare, dffh)" \
    "names the plan's agencies"
run csp-update -C "$S" request --agency djcs --via conference --due 2026-09-07 VIC-0007
expect 2 "another request while one is open"
err_has "VIC-0007: djcs already has an open request r1 (due 2026-08-31): record its answer first" "says so"
run csp-update -C "$S" request --agency dffh --via email --due 2026-08-31 VIC-0007
expect 2 "--via email"
err_has "--via: expected conference or written, not 'email'" "says what is expected"
run csp-update -C "$S" request --agency dffh --via written --due 2026-08-32 VIC-0007
expect 2 "an invalid due date"
err_has "--due: " "names the option"
run csp-update -C "$S" request --agency dffh --via written --due 2026-08-09 VIC-0007
expect 2 "due before the request"
err_has "--due 2026-08-09 is before the request (2026-08-10)" "says so"
run csp-update -C "$S" request --agency all,dh --via written --due 2026-08-31 VIC-0007
expect 2 "all with another agency"
run csp-update -C "$S" request --via written --due 2026-08-31 VIC-0007
expect 2 "no --agency"
run csp-update -C "$S" request --agency dh --via written --due 2026-08-31 VIC-0013
expect 2 "a case without a plan"
run csp-update -C "$S" request --agency dh --via written --due 2026-08-31 --received 2026-08-01 VIC-0007
expect 2 "an option of record"
run as "Bob Auditor" bob@example.org csp-update -C "$S" request --agency dh --via written --due 2026-08-31 VIC-0007
expect 2 "an auditor"
err_has "'bob' is not a registered operator with the soct-officer role" "names the role"
run csp-update -C "$S" frobnicate VIC-0007
expect 2 "an unknown command"
is "$(commits "$S")" "$n" "no commit on any error"

# dry run, then a named agency and the ids on stdin
run csp-update -C "$S" -n request --agency dffh --via conference --due 2026-08-31 VIC-0007
expect 0 "dry run"
out_has "+    agency: dffh" "prints the diff"
is "$(commits "$S")" "$n" "dry run commits nothing"
run_in $'VIC-0007\nVIC-0012\n' csp-update -C "$S" request --agency djcs --via written --due 2026-08-31 -
expect 0 "ids on stdin"
is "$(commits "$S")" "$((n + 1))" "one commit: VIC-0007 was asked already"
is "$(trailer "$S" Case)" VIC-0012 "for VIC-0012"
n=$(commits "$S")

# record
run csp-update -C "$S" record --agency dffh --received 2026-08-20 --delivered a --next b VIC-0007
expect 2 "VIC-SDU: recording an answer with no open request"
err_has "VIC-0007: no open service-delivery update request for dffh" "says so"
export CASETRAIL_TODAY=2026-08-20
run csp-update -C "$S" record --agency djcs --received 2026-08-21 --delivered a --next b VIC-0007
expect 2 "received after today"
err_has "--received 2026-08-21 is after today (2026-08-20)" "says so"
run csp-update -C "$S" record --agency djcs --received 2026-08-09 --delivered a --next b VIC-0007
expect 2 "received before the request"
err_has "--received 2026-08-09 is before the request r1 (2026-08-10)" "says so"
run csp-update -C "$S" record --agency djcs --received 2026-08-19 VIC-0007
expect 2 "no answer"
run csp-update -C "$S" record --agency djcs --received 2026-08-19 --delivered a VIC-0007
expect 2 "--delivered without --next"
run csp-update -C "$S" record --agency djcs --received 2026-08-19 --delivered a --next b \
    -f "$FIX/answer-forensicare.yaml" VIC-0007
expect 2 "-f and --delivered"
run csp-update -C "$S" record --agency djcs --received 2026-08-19 --delivered a --next b VIC-0007 VIC-0012
expect 2 "two cases"
printf 'delivered: x\n' >"$T/half.yaml"
run csp-update -C "$S" record --agency forensicare --received 2026-08-19 -f "$T/half.yaml" VIC-0007
expect 2 "an answer file without next"
err_has "half.yaml:1:1: next: required field is missing" "names file and field"
is "$(commits "$S")" "$n" "no commit on any error"

run csp-update -C "$S" record --agency forensicare --received 2026-08-19 \
    -f "$FIX/answer-forensicare.yaml" VIC-0007
expect 0 "an answer from a file"
is "$(git -C "$S" log -1 --format=%s)" \
    "csp-update: VIC-0007 service-delivery update r2 from forensicare received 2026-08-19" "subject"
is "$(trailer "$S" Action)" record "Action: record"
check "the answer recorded" python3 - "$P" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
r = d["requests"][1]
assert r["received"] == "2026-08-19", r
assert r["delivered"] == "Twelve fortnightly sessions; two missed (illness).\n", r
assert r["next"] == "Fortnightly sessions continue.\nTreatment goal: medication adherence.\n", r
PY
run csp-update -C "$S" record --agency djcs --received 2026-08-20 --delivered "Weekly sessions held" \
    --next "Weekly sessions continue" -m "Phone call with the SCM" VIC-0007
expect 0 "an answer on the command line"
is "$(trailer "$S" Reason)" "Phone call with the SCM" "Reason trailer"
is "$(commits "$S")" "$((n + 2))" "one commit each"
run csp-update -C "$S" record --agency djcs --received 2026-08-20 --delivered a --next b VIC-0007
expect 2 "a second answer"

# list: VIC-0012's djcs request is overdue on 1 September
run csp-update -C "$S" --today 2026-09-01 list
expect 1 "list with an overdue request"
out_has "2026-08-31  overdue     -1  VIC-0012  r1       djcs         written  2026-08-10  -" \
    "the overdue one, aligned"
out_has "2026-08-31  received    -1  VIC-0007  r2       forensicare  written  2026-08-10  2026-08-19" \
    "a received one"
run csp-update -C "$S" --today 2026-08-30 list --outstanding
expect 0 "nothing overdue yet"
is "$(sed 1d "$T/out" | awk '{print $4, $6}' | tr '\n' ' ')" "VIC-0012 djcs " "only the outstanding"
run csp-update -C "$S" --today 2026-09-01 list --format json --agency djcs
expect 1 "json"
check "json fields" python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert [(x["case"], x["request"], x["status"], x["received"], x["days"]) for x in d] == [
    ("VIC-0007", "r1", "received", "2026-08-20", -1),
    ("VIC-0012", "r1", "overdue", None, -1)], d
assert list(d[0]) == ["case", "request", "version", "agency", "via",
    "requested", "due", "received", "status", "days"], list(d[0])
PY
run csp-update -C "$S" --today 2026-09-01 list --format csv --outstanding
expect 1 "csv"
is "$(tr -d '\r' <"$T/out")" "case,request,version,agency,via,requested,due,received,status,days
VIC-0012,r1,1,djcs,written,2026-08-10,2026-08-31,,overdue,-1" "csv rows"
run csp-update -C "$S" --today 2026-08-09 list
expect 0 "before any request was made"
is "$(cat "$T/out")" "no requests to show" "requests count from their day"
run csp-update -C "$S" list --format xml
expect 2 "an unknown format"
run csp-update -C "$S" -n list
expect 2 "list takes no -n"

# VIC-SDU in deadline-check: one finding per request, for its agency
run deadline-check -C "$S" --today 2026-09-01 --rule VIC-SDU --status all --format csv --fail-on overdue
expect 1 "deadline-check VIC-SDU"
out_has "VIC-0012,VIC-SDU,Service-delivery update received from the agency,sdu request djcs,2026-08-31,2026-08-31,overdue,-1," \
    "VIC-SDU: the unanswered request is overdue for its agency"
out_has "VIC-0007,VIC-SDU,Service-delivery update received from the agency,sdu request forensicare,2026-08-31,2026-08-31,met,-1,2026-08-19," \
    "VIC-SDU: an answered one is met"
clean "$S" "at the end"

done_testing

#!/usr/bin/env bash
# authority-notice: Post-Sentence Authority notices and SOCT's responses
# (VIC-AUTHORITY-NOTICE): add, respond, list; one commit per change; every
# refusal exits 2 and commits nothing.
. "$(dirname "$0")/lib.sh"

S="$T/s"
{
	new_store "$S" VIC &&
	registry -C "$S" add-agency dh --name "Health" --map-member
} >/dev/null 2>&1 || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$S" --today 2026-03-01 --cohort post-sentence VIC-0007 VIC-0012 2>/dev/null
case-event -C "$S" VIC-0007 order-made --date 2026-03-02 --order supervision 2>/dev/null
P="$S/$(shard VIC-0007)/authority-notices.yaml"
export CASETRAIL_TODAY=2026-05-04

run authority-notice -C "$S" list
expect 0 "VIC-AUTHORITY-NOTICE: list with no notices"
is "$(cat "$T/out")" "no notices to show" "says so"

# add
n=$(commits "$S")
run authority-notice -C "$S" add --kind update-request \
    --asks "Progress on housing & <treatment> since March" --due 2026-05-18 \
    --agency dffh,dh --ref PSA/2026/17 -m "Notice by email" VIC-0007
expect 0 "VIC-AUTHORITY-NOTICE: add a notice"
is "$(cat "$T/out")" "n1" "prints the notice id"
is "$(commits "$S")" "$((n + 1))" "one commit"
is "$(git -C "$S" log -1 --format=%s)" \
    "authority-notice: VIC-0007 Authority notice n1 received 2026-05-04 (update-request, due 2026-05-18)" "subject"
is "$(trailer "$S" Case)" VIC-0007 "Case trailer"
is "$(trailer "$S" Record)" authority-notices "Record: authority-notices"
is "$(trailer "$S" Action)" add "Action: add"
is "$(trailer "$S" Reason)" "Notice by email" "Reason trailer"
is "$(trailer "$S" Tool)" "authority-notice 0.1.0" "Tool trailer"
check "the record holds the notice" python3 - "$P" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
assert d == {"case": "VIC-0007", "notices": [
    {"id": "n1", "received": "2026-05-04", "kind": "update-request",
     "asks": "Progress on housing & <treatment> since March",
     "due": "2026-05-18", "agencies": ["dffh", "dh"],
     "reference": "PSA/2026/17"}]}, d
PY
clean "$S" "after add"

n=$(commits "$S")
run authority-notice -C "$S" add --kind update-request \
    --asks "Progress on housing & <treatment> since March" --due 2026-05-18 \
    --agency dffh,dh --ref PSA/2026/17 VIC-0007
expect 0 "the same notice again"
err_has "nothing changed, no commit made" "says nothing changed"
is "$(commits "$S")" "$n" "no commit"

run authority-notice -C "$S" -n add --kind report-request --asks "Report" \
    --received 2026-05-01 --due 2026-05-08 VIC-0007
expect 0 "a dry run"
out_has "+  - id: n2" "prints the diff"
is "$(commits "$S")" "$n" "dry run: no commit"

run authority-notice -C "$S" add --kind report-request --asks "Report on compliance" \
    --received 2026-05-01 --due 2026-05-08 VIC-0007
expect 0 "a second notice, received earlier"
is "$(cat "$T/out")" "n2" "gets n2"
n=$(commits "$S")

# refusals: exit 2, a clear message, nothing committed
refuse() {
	local want=$1 desc=$2
	shift 2
	run "$@"
	expect 2 "VIC-AUTHORITY-NOTICE: $desc"
	err_has "$want" "$desc: says so"
	is "$(commits "$S")" "$n" "$desc: no commit"
}
refuse "--kind: expected update-request, report-request, conditions-instruction or other, not 'direction'" \
    "an unknown kind" authority-notice -C "$S" add --kind direction --asks x --due 2026-05-18 VIC-0007
refuse "--due 2026-05-03 is before the notice was received (2026-05-04)" \
    "due before received" authority-notice -C "$S" add --kind other --asks x --due 2026-05-03 VIC-0007
refuse "--received 2026-05-05 is after today (2026-05-04)" \
    "received after today" authority-notice -C "$S" add --kind other --asks x --received 2026-05-05 --due 2026-05-18 VIC-0007
refuse "--agency: 'vicpol' is not a registered agency (see registry list agencies)" \
    "an unregistered agency" authority-notice -C "$S" add --kind other --asks x --due 2026-05-18 --agency dh,vicpol VIC-0007
refuse "add needs --kind, --asks and --due" \
    "no --asks" authority-notice -C "$S" add --kind other --due 2026-05-18 VIC-0007
refuse "--asks: " \
    "--asks with a newline" authority-notice -C "$S" add --kind other --asks "$(printf 'a\nTool: forged')" --due 2026-05-18 VIC-0007
refuse "--due: " \
    "an invalid due date" authority-notice -C "$S" add --kind other --asks x --due 2026-02-30 VIC-0007
refuse "case VIC-0099 does not exist (create it with case-new)" \
    "a case that does not exist" authority-notice -C "$S" add --kind other --asks x --due 2026-05-18 VIC-0099
refuse "invalid case id" \
    "a bad case id" authority-notice -C "$S" add --kind other --asks x --due 2026-05-18 ../VIC-0007
refuse "--summary is not an option of add" \
    "an option of respond" authority-notice -C "$S" add --kind other --asks x --due 2026-05-18 --summary s VIC-0007
refuse "recording an Authority notice: 'bob' is not a registered operator with the soct-officer role" \
    "a writer without the soct-officer role" as "Bob Auditor" bob@example.org \
    authority-notice -C "$S" add --kind other --asks x --due 2026-05-18 VIC-0007
refuse "unknown command 'close': expected add, respond or list" \
    "an unknown command" authority-notice -C "$S" close VIC-0007

A="$T/act"
new_store "$A" ACT >/dev/null 2>&1 && case-new -C "$A" --today 2026-03-01 --cohort sentenced ACT-0001 2>/dev/null
na=$(commits "$A")
run authority-notice -C "$A" add --kind other --asks x --due 2026-05-18 ACT-0001
expect 2 "VIC-AUTHORITY-NOTICE: an ACT case"
err_has "case ACT-0001 is not a VIC case: Post-Sentence Authority notices are kept under the Serious Offenders Act 2018 (Vic)" "says so"
is "$(commits "$A")" "$na" "ACT case: no commit"

# respond
export CASETRAIL_TODAY=2026-05-12
refuse "VIC-0007: no Authority notice 'n7' (see authority-notice list VIC-0007)" \
    "respond to an unknown notice" authority-notice -C "$S" respond --notice n7 --summary s VIC-0007
refuse "--notice: expected a notice id such as n1" \
    "a bad notice id" authority-notice -C "$S" respond --notice 'n1; rm' --summary s VIC-0007
refuse "VIC-0012: no Authority notice 'n1' (the case has no notices)" \
    "respond on a case without notices" authority-notice -C "$S" respond --notice n1 --summary s VIC-0012
refuse "--date 2026-05-13 is after today (2026-05-12)" \
    "a response after today" authority-notice -C "$S" respond --notice n1 --summary s --date 2026-05-13 VIC-0007
refuse "--date 2026-05-03 is before notice n1 was received (2026-05-04)" \
    "a response before the notice" authority-notice -C "$S" respond --notice n1 --summary s --date 2026-05-03 VIC-0007
refuse "respond needs --notice and --summary" \
    "no --summary" authority-notice -C "$S" respond --notice n1 VIC-0007
refuse "--kind is not an option of respond" \
    "an option of add" authority-notice -C "$S" respond --notice n1 --summary s --kind other VIC-0007

run authority-notice -C "$S" respond --notice n1 --summary "Update sent with DFFH and DH contributions" \
    --ref SOCT-L-031 --date 2026-05-11 VIC-0007
expect 0 "VIC-AUTHORITY-NOTICE: respond"
is "$(commits "$S")" "$((n + 1))" "one commit"
is "$(git -C "$S" log -1 --format=%s)" \
    "authority-notice: VIC-0007 Authority notice n1 responded to on 2026-05-11" "subject"
is "$(trailer "$S" Action)" respond "Action: respond"
is "$(trailer "$S" Record)" authority-notices "Record trailer"
check "the response is in the record" python3 - "$P" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
assert d["notices"][0]["response"] == {"date": "2026-05-11",
    "summary": "Update sent with DFFH and DH contributions",
    "reference": "SOCT-L-031"}, d
assert "response" not in d["notices"][1], d
PY
n=$(commits "$S")
run authority-notice -C "$S" respond --notice n1 --summary "Update sent with DFFH and DH contributions" \
    --ref SOCT-L-031 --date 2026-05-11 VIC-0007
expect 0 "the same response again"
is "$(commits "$S")" "$n" "no commit"
refuse "VIC-0007: notice n1 was already answered on 2026-05-11; a further exchange is a new notice" \
    "a second, different response" authority-notice -C "$S" respond --notice n1 --summary "Another" VIC-0007

# list and the deadline rule on 12 May: n2 (due 8 May) overdue, n1 answered
run authority-notice -C "$S" list
expect 1 "VIC-AUTHORITY-NOTICE: list shows an overdue notice"
out_has "2026-05-08  overdue     -4  VIC-0007  n2      report-request  2026-05-01  -           Report on compliance" "the overdue line"
out_has "2026-05-18  answered     6  VIC-0007  n1      update-request  2026-05-04  2026-05-11  Progress on housing & <treatment> since March" "the answered line"
run authority-notice -C "$S" list --open --format json
expect 1 "list --open --format json"
check "json: only n2, fields" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [x["notice"] for x in d] == ["n2"], d
assert d[0]["status"] == "overdue" and d[0]["days"] == -4 and d[0]["agencies"] == [] and d[0]["responded"] is None, d
' "$T/out"
run authority-notice -C "$S" list --format csv VIC-0012
expect 0 "list of a case without notices"
is "$(tr -d '\r' <"$T/out")" "case,notice,kind,received,due,asks,agencies,reference,status,days,responded,summary,response_reference" "csv header only"
run authority-notice -C "$S" --today 2026-05-08 list VIC-0007
expect 0 "on the due day nothing is overdue"

run deadline-check -C "$S" --rule VIC-AUTHORITY-NOTICE --status all --format csv --fail-on overdue
expect 1 "VIC-AUTHORITY-NOTICE: deadline-check reports the overdue notice"
check "deadline-check: n2 overdue, n1 met" python3 -c '
import csv, sys
rows = [(r["case"], r["anchor_event"], r["due"], r["status"], r["met_on"]) for r in csv.DictReader(open(sys.argv[1]))]
assert rows == [("VIC-0007", "authority notice n2", "2026-05-08", "overdue", ""),
                ("VIC-0007", "authority notice n1", "2026-05-18", "met", "2026-05-11")], rows
' "$T/out"

run store-verify -C "$S"
expect 0 "store-verify accepts the history"
clean "$S" "at the end"

# store-verify checks the record against its schema: a hand edit that
# gives a notice an unknown kind is reported
C="$T/c"
git clone -q "$S" "$C"
D=$(shard VIC-0007)
sed -i 's/kind: report-request/kind: summons/' "$C/$D/authority-notices.yaml"
git -C "$C" commit -q -am "authority-notice: x" --trailer "Case: VIC-0007" \
    --trailer "Tool: authority-notice 0.1.0"
run store-verify -C "$C"
expect 1 "store-verify: a notice of an unknown kind"
out_has "$(git -C "$C" rev-parse --short=12 HEAD) $D/authority-notices.yaml record-invalid: " \
    "record-invalid names the record"

done_testing

#!/usr/bin/env bash
# sab-report: pre-release report requests of the SAB Secretariat with the
# Community Corrections Officer allocated and the due date, and their
# completion (rule ACT-SAB-REPORT); every refusal exits 2 without a commit.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
registry -C "$S" add-operator jlee --name "Jo Lee" --email jlee@example.org \
    --role community-corrections-officer --agency djcs >/dev/null 2>&1
case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 2>/dev/null
case-new -C "$S" --today 2026-03-01 --cohort remandee ACT-0101 2>/dev/null
P="$S/$(shard ACT-0042)/sab-reports.yaml"
n=$(commits "$S")

run sab-report -C "$S" --today 2026-05-02 request --ref SAB-2026-014 \
    --requested 2026-05-01 --officer jlee --due 2026-06-12 ACT-0042
expect 0 "ACT-SAB-REPORT: a request recorded"
is "$(commits "$S")" "$((n + 1))" "one commit"
is "$(git -C "$S" log -1 --format=%s)" "sab-report: ACT-0042 pre-release report SAB-2026-014 requested by the SAB Secretariat" "subject"
is "$(trailer "$S" Action)" request "Action trailer"
is "$(trailer "$S" Record)" sab-reports "Record trailer"
check "the request holds reference, dates, officer and writer" python3 - "$P" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
assert d == {"case": "ACT-0042", "requests": [{"ref": "SAB-2026-014",
    "requested": "2026-05-01", "officer": "jlee", "due": "2026-06-12",
    "by": "ada"}]}, d
PY
run deadline-check -C "$S" --today 2026-06-13 --rule ACT-SAB-REPORT --format csv --fail-on overdue
expect 1 "ACT-SAB-REPORT: overdue the day after its due date"
out_has "ACT-0042,ACT-SAB-REPORT,Pre-release report to the SAB completed by its due date,pre-release report SAB-2026-014,2026-06-12,2026-06-12,overdue,-1" \
    "ACT-SAB-REPORT: due on the request's due date"
n=$(commits "$S")

run sab-report -C "$S" --today 2026-05-02 request --ref SAB-2026-014 \
    --requested 2026-05-01 --officer jlee --due 2026-06-12 ACT-0042
expect 0 "the same request again"
err_has "nothing changed" "says nothing changed"
is "$(commits "$S")" "$n" "no commit"

run as "Jo Lee" jlee@example.org sab-report -C "$S" --today 2026-06-10 \
    complete --ref SAB-2026-014 --date 2026-06-10 ACT-0042
expect 0 "ACT-SAB-REPORT: the allocated officer records the completion"
is "$(commits "$S")" "$((n + 1))" "one commit"
is "$(git -C "$S" log -1 --format='%an %s')" "Jo Lee sab-report: ACT-0042 pre-release report SAB-2026-014 completed" "author and subject"
check "completed and completed_by" python3 - "$P" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
r = d["requests"][0]
assert r["completed"] == "2026-06-10" and r["completed_by"] == "jlee", r
PY
run deadline-check -C "$S" --today 2026-06-13 --rule ACT-SAB-REPORT --status met --format csv
expect 0 "ACT-SAB-REPORT: met by the completion"
out_has "2026-06-12,met,-1,2026-06-10" "met on 10 Jun"
n=$(commits "$S")
run sab-report -C "$S" --today 2026-06-12 complete --ref SAB-2026-014 --date 2026-06-10 ACT-0042
expect 0 "the same completion again"
is "$(commits "$S")" "$n" "no commit"

# refusals
run sab-report -C "$S" --today 2026-06-12 complete --ref SAB-2026-014 --date 2026-06-11 ACT-0042
expect 2 "a second completion on another day"
err_has "the report of request SAB-2026-014 was completed on 2026-06-10" "says when"
run sab-report -C "$S" --today 2026-06-12 request --ref SAB-2026-014 \
    --requested 2026-05-01 --officer jlee --due 2026-06-30 ACT-0042
expect 2 "the same reference with another due date"
err_has "request SAB-2026-014 is already recorded" "says so"
run sab-report -C "$S" --today 2026-06-12 request --ref SAB-2026-020 \
    --requested 2026-06-01 --officer ada --due 2026-06-30 ACT-0042
expect 2 "an officer without the community-corrections-officer role"
err_has "--officer: 'ada' is not a registered operator with the community-corrections-officer role" "names the role"
run sab-report -C "$S" --today 2026-06-12 request --ref SAB-2026-020 \
    --requested 2026-06-01 --officer ghost --due 2026-06-30 ACT-0042
expect 2 "an unregistered officer"
run sab-report -C "$S" --today 2026-06-12 request --ref SAB-2026-020 \
    --requested 2026-06-01 --officer jlee --due 2026-05-30 ACT-0042
expect 2 "due before the request"
err_has "--due: 2026-05-30 is before the request was received, on 2026-06-01" "says why"
run sab-report -C "$S" --today 2026-06-12 request --ref SAB-2026-020 \
    --requested 2026-06-13 --officer jlee --due 2026-06-30 ACT-0042
expect 2 "a request received after today"
run sab-report -C "$S" --today 2026-06-12 request --ref SAB-2026-020 \
    --requested 2026-06-01 --officer jlee ACT-0042
expect 2 "request without --due"
err_has "request needs --ref, --requested, --officer and --due" "says what it needs"
run sab-report -C "$S" --today 2026-06-12 request --ref "SAB 2026" \
    --requested 2026-06-01 --officer jlee --due 2026-06-30 ACT-0042
expect 2 "a reference with a space"
err_has "--ref: 'SAB 2026' is not a reference" "says why"
run sab-report -C "$S" --today 2026-06-12 complete --ref SAB-2026-099 --date 2026-06-10 ACT-0042
expect 2 "completing an unknown request"
err_has "no request SAB-2026-099" "says so"
run sab-report -C "$S" --today 2026-06-12 complete --ref SAB-2026-014 ACT-0042
expect 2 "complete without --date"
run sab-report -C "$S" --today 2026-06-12 withdraw --ref SAB-2026-014 ACT-0042
expect 2 "an unknown action"
err_has "unknown command 'withdraw': expected request or complete" "names it and the commands"
run sab-report -C "$S" --today 2026-06-12 request --ref SAB-2026-020 \
    --requested 2026-06-01 --officer jlee --due 2026-06-30 ACT-0101
expect 2 "a remandee"
err_has "ACT-0101 (ACT, remandee): pre-release reports are requested for sentenced ACT offenders" "says why"
run as "Bob Auditor" bob@example.org sab-report -C "$S" --today 2026-06-12 request \
    --ref SAB-2026-020 --requested 2026-06-01 --officer jlee --due 2026-06-30 ACT-0042
expect 2 "a writer without a case-management role"
err_has "'bob' is not a registered operator with the case-manager" "says which roles"
run sab-report -C "$S" --today 2026-06-12 request --ref SAB-2026-020 \
    --requested 2026-06-01 --officer jlee --due 2026-06-30 ACT-0404
expect 2 "no such case"
is "$(commits "$S")" "$n" "no commit on any refusal"

run sab-report -C "$S" -n --today 2026-06-12 request --ref SAB-2026-020 \
    --requested 2026-06-01 --officer jlee --due 2026-06-30 ACT-0042
expect 0 "dry run"
out_has "+  - ref: SAB-2026-020" "prints the diff"
is "$(commits "$S")" "$n" "dry run commits nothing"

run store-verify -C "$S"
expect 0 "store-verify accepts the requests"
clean "$S" "at the end"

done_testing

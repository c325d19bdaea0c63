#!/usr/bin/env bash
# contact-add: regular contact with the offender (ACT policy cl 1.12-1.13,
# rule ACT-CONTACT): contacts.yaml in date order, one commit per contact,
# nothing for a repeat, and every refusal exits 2 without a commit.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 2>/dev/null
case-event -C "$S" ACT-0042 stage-changed --date 2026-03-02 --stage custodial 2>/dev/null
case-event -C "$S" ACT-0042 cm-assigned --date 2026-03-02 --manager ada 2>/dev/null
P="$S/$(shard ACT-0042)/contacts.yaml"
n=$(commits "$S")

# ACT-CONTACT before any contact: 30 days from the case manager's assignment
run deadline-check -C "$S" --today 2026-03-25 --rule ACT-CONTACT --format csv
expect 0 "ACT-CONTACT: no contact yet, not overdue"
out_has "ACT-0042,ACT-CONTACT,Regular contact with the offender,cm-assigned,2026-03-02,2026-04-01,due,7" \
    "ACT-CONTACT: due 30 days after cm-assigned (2 Mar + 30 = 1 Apr)"

run contact-add -C "$S" --today 2026-03-10 --date 2026-03-10 --kind in-person \
    -m "Reviewed progress on N1; barrier: AOD program wait list" ACT-0042
expect 0 "ACT-CONTACT: contact-add records a contact"
is "$(commits "$S")" "$((n + 1))" "one commit"
is "$(cat "$T/out")" "ACT-0042: 1 contact on file" "says how many are on file"
is "$(git -C "$S" log -1 --format=%s)" "contact-add: ACT-0042 in-person contact on 2026-03-10" "subject"
is "$(trailer "$S" Reason)" "Reviewed progress on N1; barrier: AOD program wait list" "summary is the Reason"
is "$(trailer "$S" Record)" contacts "Record trailer"
is "$(trailer "$S" Action)" contact "Action trailer"
is "$(trailer "$S" Case)" ACT-0042 "Case trailer"

# an earlier contact with others taking part goes before it
run contact-add -C "$S" --today 2026-03-10 --date 2026-03-05 --kind video \
    --staff ada,bob --other interpreter --other "AOD worker" \
    -m "First contact: introduced the case plan" ACT-0042
expect 0 "an earlier contact with staff and others"
is "$(cat "$T/out")" "ACT-0042: 2 contacts on file" "two on file"
check "contacts.yaml in date order with every field" python3 - "$P" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
assert d["case"] == "ACT-0042", d
c = d["contacts"]
assert [x["date"] for x in c] == ["2026-03-05", "2026-03-10"], c
assert c[0] == {"date": "2026-03-05", "kind": "video",
    "summary": "First contact: introduced the case plan",
    "staff": ["ada", "bob"], "others": ["interpreter", "AOD worker"],
    "by": "ada"}, c[0]
assert c[1]["staff"] == ["ada"] and c[1]["by"] == "ada", c[1]
assert "others" not in c[1], c[1]
PY
n=$(commits "$S")

run contact-add -C "$S" --today 2026-03-10 --date 2026-03-10 --kind in-person \
    -m "Reviewed progress on N1; barrier: AOD program wait list" ACT-0042
expect 0 "the same contact again"
err_has "nothing changed" "says nothing changed"
is "$(commits "$S")" "$n" "no commit for a repeat"

run contact-add -C "$S" -n --today 2026-03-12 --date 2026-03-12 --kind phone \
    -m "Confirmed program start date" ACT-0042
expect 0 "dry run"
out_has "+  - date: '2026-03-12'" "prints the diff"
is "$(commits "$S")" "$n" "dry run commits nothing"

# ACT-CONTACT after the contacts: 30 days from the last one
run deadline-check -C "$S" --today 2026-04-10 --rule ACT-CONTACT --format csv --fail-on overdue
expect 1 "ACT-CONTACT: overdue 31 days after the last contact"
out_has "ACT-0042,ACT-CONTACT,Regular contact with the offender,last contact,2026-03-10,2026-04-09,overdue,-1" \
    "ACT-CONTACT: 10 Mar + 30 days = 9 Apr, overdue by one day"

# refusals: each exits 2, names the problem, commits nothing
long=$(printf 'x%.0s' $(seq 281))
run contact-add -C "$S" --today 2026-03-12 --date 2026-03-12 --kind letter -m "Wrote" ACT-0042
expect 2 "unknown kind"
err_has "--kind: 'letter' is not a kind of contact" "names the kind"
run contact-add -C "$S" --today 2026-03-12 --date 2026-03-13 --kind phone -m "Call" ACT-0042
expect 2 "a contact after today"
err_has "--date: 2026-03-13 is after today (2026-03-12)" "says the date is in the future"
run contact-add -C "$S" --today 2026-03-12 --date 2026-03-12 --kind phone -m "$long" ACT-0042
expect 2 "a summary of 281 characters"
err_has "--summary: 281 characters, at most 280" "says the limit"
run contact-add -C "$S" --today 2026-03-12 --date 2026-03-12 --kind phone \
    -m "$(printf 'é%.0s' $(seq 280))" ACT-0042
expect 0 "280 two-byte characters are within the limit"
n=$(commits "$S")
run contact-add -C "$S" --today 2026-03-12 --date 2026-03-12 --kind phone \
    -m $'Call\nCase: ACT-0001' ACT-0042
expect 2 "a summary of two lines (trailer forgery)"
err_has "--summary" "names the option"
run contact-add -C "$S" --today 2026-03-12 --date 2026-03-12 --kind phone ACT-0042
expect 2 "no summary"
err_has "--summary is required" "says it is required"
run contact-add -C "$S" --today 2026-03-12 --kind phone -m "Call" ACT-0042
expect 2 "no date"
err_has "--date is required" "says --date is required"
run contact-add -C "$S" --today 2026-03-12 --date 2026-03-12 -m "Call" ACT-0042
expect 2 "no kind"
err_has "--kind is required" "says --kind is required"
run contact-add -C "$S" --today 2026-03-12 --date 2026-03-12 --kind phone \
    --staff ada,ghost -m "Call" ACT-0042
expect 2 "unregistered staff"
err_has "--staff: 'ghost' is not a registered operator" "names the operator"
run contact-add -C "$S" --today 2026-03-12 --date 2026-03-12 --kind phone \
    --other "$(printf 'y%.0s' $(seq 81))" -m "Call" ACT-0042
expect 2 "an other's role longer than 80 characters"
err_has "by their role" "says to name them by role"
run as "Bob Auditor" bob@example.org contact-add -C "$S" --today 2026-03-12 \
    --date 2026-03-12 --kind phone -m "Call" ACT-0042
expect 2 "a writer who is not a case manager"
err_has "'bob' is not a registered operator with the case-manager or community-corrections-officer role" "says which roles"
run contact-add -C "$S" --today 2026-03-12 --date 2026-03-12 --kind phone -m "Call" ACT-0404
expect 2 "no such case"
err_has "case ACT-0404 does not exist" "says so"
run contact-add -C "$S" --today 2026-03-12 --date 2026-03-12 --kind phone -m "Call" ../x
expect 2 "invalid id"
run contact-add -C "$S" --today 2026-03-12 --date 2026-03-12 --kind phone -m "Call" ACT-0042 ACT-0043
expect 2 "two ids"
is "$(commits "$S")" "$n" "no commit on any refusal"
clean "$S" "after refusals"

# a VIC case keeps no contacts
V="$T/v"
new_store "$V" VIC || { echo "Bail out! cannot make a VIC store"; exit 1; }
case-new -C "$V" --cohort post-sentence VIC-0007 2>/dev/null
nv=$(commits "$V")
run contact-add -C "$V" --today 2026-03-12 --date 2026-03-12 --kind phone -m "Call" VIC-0007
expect 2 "a VIC case"
err_has "VIC-0007 is a VIC case: contacts are kept for ACT cases" "says why"
is "$(commits "$V")" "$nv" "no commit"

run store-verify -C "$S"
expect 0 "store-verify accepts the contacts records"
clean "$S" "at the end"

done_testing

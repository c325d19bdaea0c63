#!/usr/bin/env bash
# case-event: event order, derived fields, validation, unchanged, dirty tree.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$S" --today 2026-01-02 --cohort sentenced ACT-0042 2>/dev/null
P="$S/$(shard ACT-0042)/case.yaml"
n=$(commits "$S")

run case-event -C "$S" ACT-0042 sentence-commenced --date 2026-01-05 -m "Sentenced in the Supreme Court"
expect 0 "sentence-commenced"
is "$(commits "$S")" "$((n + 1))" "one commit"
is "$(trailer "$S" Reason)" "Sentenced in the Supreme Court" "note is the Reason"
is "$(trailer "$S" Action)" event "Action trailer"
is "$(git -C "$S" log -1 --format=%s)" "case-event: ACT-0042 sentence-commenced on 2026-01-05" "subject"

case-event -C "$S" ACT-0042 stage-changed --date 2026-01-20 --stage custodial 2>/dev/null
case-event -C "$S" ACT-0042 reception --date 2026-01-03 2>/dev/null
case-event -C "$S" ACT-0042 eprd-set --date 2029-06-30 2>/dev/null
case-event -C "$S" ACT-0042 risk-rating-changed --date 2026-02-01 --rating high 2>/dev/null
case-event -C "$S" ACT-0042 at-risk --date 2026-02-02 2>/dev/null
case-event -C "$S" ACT-0042 cm-assigned --date 2026-02-03 --manager ada 2>/dev/null
is "$(commits "$S")" "$((n + 7))" "one commit per event"
is "$(grep -o "type: [a-z-]*" "$P" | tr '\n' ' ')" \
    "type: reception type: sentence-commenced type: stage-changed type: risk-rating-changed type: at-risk type: cm-assigned type: eprd-set " \
    "events kept in date order"
check "stage derived" grep -qx "stage: custodial" "$P"
check "eprd derived" grep -qx "eprd: '2029-06-30'" "$P"
check "risk rating derived" grep -qx "risk_rating: high" "$P"
check "at risk derived" grep -qx "at_risk: true" "$P"
check "manager derived" grep -qx "manager: ada" "$P"
case-event -C "$S" ACT-0042 eprd-set --date 2029-01-31 -m "sentence reduced on appeal" 2>/dev/null
check "an earlier EPRD replaces a later one" grep -qx "eprd: '2029-01-31'" "$P"
check "the old EPRD is kept, superseded" python3 - "$P" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
e = [x for x in d["events"] if x["type"] == "eprd-set"]
assert [(x["date"], x.get("superseded")) for x in e] == [("2029-01-31", None), ("2029-06-30", "true")], e
PY
case-event -C "$S" ACT-0042 at-risk --cleared --date 2026-03-01 2>/dev/null
check "at risk cleared" grep -qx "at_risk: false" "$P"
n=$(commits "$S")

run case-event -C "$S" ACT-0042 reception --date 2026-01-03
expect 0 "the same event again"
err_has "nothing changed" "says nothing changed"
is "$(commits "$S")" "$n" "no commit for an unchanged record"

# orders: those of the Serious Offenders Act 2018, on VIC cases only
run case-event -C "$S" ACT-0042 order-made --date 2026-03-01 --order supervision
expect 2 "a supervision order on an ACT case"
err_has "order-made: ACT-0042 is a ACT case; the orders (supervision) are those of the Serious Offenders Act 2018 (VIC)" "says why"
is "$(commits "$S")" "$n" "no commit for the refused order"
V="$T/v"
new_store "$V" VIC || echo "Bail out! cannot make a VIC store"
case-new -C "$V" --today 2026-01-02 --cohort post-sentence VIC-0007 2>/dev/null
PV="$V/$(shard VIC-0007)/case.yaml"
run case-event -C "$V" VIC-0007 order-ended --date 2026-04-01 --order supervision
expect 2 "ending an order never made"
err_has "no supervision order is open" "says why"
case-event -C "$V" VIC-0007 order-made --date 2026-03-01 --order interim-supervision 2>/dev/null
case-event -C "$V" VIC-0007 order-ended --date 2026-04-01 --order interim-supervision 2>/dev/null
case-event -C "$V" VIC-0007 order-made --date 2026-04-01 --order supervision 2>/dev/null
check "orders derived" python3 - "$PV" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
assert d["orders"] == [
    {"type": "interim-supervision", "made": "2026-03-01", "ended": "2026-04-01"},
    {"type": "supervision", "made": "2026-04-01"}], d["orders"]
PY
n=$(commits "$S")

# cohorts fit the jurisdiction: post-sentence is the Serious Offenders
# Act's
run case-new -C "$S" --today 2026-01-02 --cohort post-sentence ACT-0099
expect 2 "post-sentence in an ACT store"
err_has "cohort post-sentence is for offenders under the Serious Offenders Act 2018 (VIC); an ACT case is sentenced or remandee" "says which cohorts an ACT case has"
is "$(commits "$S")" "$n" "no commit for the refused case"

# an event is recorded once it has happened; eprd-set names a date to come
run case-event -C "$S" --today 2026-05-01 ACT-0042 released --date 2026-05-02
expect 2 "an event dated after --today"
err_has "released dated 2026-05-02 is after today (2026-05-01): an event is recorded once it has happened (only eprd-set names a date to come; --today sets the day)" "says why and how"
is "$(commits "$S")" "$n" "no commit for the future event"
CASETRAIL_TODAY=2026-05-01 run case-event -C "$S" ACT-0042 released --date 2026-05-02
expect 2 "after \$CASETRAIL_TODAY too"
run case-event -C "$S" --today 2026-05-01 ACT-0042 eprd-set --date 2030-01-31
expect 0 "eprd-set names a date to come"
run case-event -C "$S" --today 2026-05-02 ACT-0042 released --date 2026-05-02
expect 0 "released on the day itself"
n=$(commits "$S")

# bad input: each exits 2 and commits nothing
run case-event -C "$S" ACT-0042 escaped --date 2026-01-05
expect 2 "unknown event type"
err_has "unknown event type 'escaped'" "names the type"
run case-event -C "$S" ACT-0042 reception --date 2026-02-30
expect 2 "invalid date"
err_has "2026-02-30" "quotes the date"
run case-event -C "$S" ACT-0042 reception --date 2026-2-3
expect 2 "unpadded date"
run case-event -C "$S" ACT-0042 reception
expect 2 "missing --date"
run case-event -C "$S" ACT-0042 stage-changed --date 2026-05-01
expect 2 "stage-changed without --stage"
err_has "needs --stage" "says what is needed"
run case-event -C "$S" ACT-0042 stage-changed --date 2026-05-01 --stage parole
expect 2 "unknown stage"
run case-event -C "$S" ACT-0042 reception --date 2026-05-01 --rating high
expect 2 "--rating on the wrong event"
run case-event -C "$S" ACT-0042 order-made --date 2026-05-01 --order home-detention
expect 2 "unknown order"
run case-event -C "$S" ACT-0042 cm-assigned --date 2026-05-01 --manager ghost
expect 2 "unregistered manager"
run case-event -C "$S" ACT-0042 reception --date 2026-05-01 -m $'two\nCase: ACT-0001'
expect 2 "note with a newline (trailer forgery)"
run case-event -C "$S" ACT-0404 reception --date 2026-05-01
expect 2 "no such case"
err_has "does not exist" "says so"
run case-event -C "$S" ../x reception --date 2026-05-01
expect 2 "invalid id"
is "$(commits "$S")" "$n" "no commit on any error"
clean "$S" "after errors"

# a record with an alias is refused with file:line:column
cp "$P" "$T/keep"
git -C "$S" config user.name "Ada Admin"
sed -i 's/^cohort: sentenced/cohort: \&c sentenced\nx: *c/' "$P"
git -C "$S" commit -qam "hand edit with an alias"
n=$(commits "$S")
run case-event -C "$S" ACT-0042 engaged --date 2026-05-02
expect 2 "record with an anchor/alias"
err_has "$(shard ACT-0042)/case.yaml:3:" "names file and line"
is "$(commits "$S")" "$n" "no commit"
cp "$T/keep" "$P"
git -C "$S" commit -qam "undo the hand edit"
n=$(commits "$S")

# uncommitted edits in the touched file are refused, untouched files are fine
echo "comments: draft" >>"$P"
run case-event -C "$S" ACT-0042 engaged --date 2026-05-02
expect 2 "uncommitted edit in the record"
err_has "uncommitted changes" "says why"
is "$(commits "$S")" "$n" "no commit"
check "the edit is kept" grep -q "comments: draft" "$P"
git -C "$S" checkout -q -- .
echo "scratch" >"$S/notes.txt"
run case-event -C "$S" ACT-0042 engaged --date 2026-05-02
expect 0 "an unrelated untracked file does not block"
rm "$S/notes.txt"

# stdin ids, dry run
case-new -C "$S" --cohort remandee R-1 R-2 2>/dev/null
n=$(commits "$S")
run_in $'R-1\nR-2\n' case-event -C "$S" - reception --date 2026-06-01
expect 0 "event for ids on stdin"
is "$(commits "$S")" "$((n + 2))" "one commit per case"
run case-event -C "$S" -n R-1 engaged --date 2026-06-03
expect 0 "dry run"
out_has "+  - date: '2026-06-03'" "prints the diff"
is "$(commits "$S")" "$((n + 2))" "dry run commits nothing"
clean "$S" "after the dry run"

# the index: written directly for versions 2 and 3, by libgit2 for others
for v in 4 3 2; do
	git -C "$S" update-index --index-version $v
	n=$(commits "$S")
	run case-event -C "$S" R-1 engaged --date "2026-06-1$v"
	expect 0 "a write with an index of version $v"
	is "$(commits "$S")" "$((n + 1))" "index version $v: one commit"
	check "index version $v: the stat data is current" git -C "$S" diff-files --quiet
	clean "$S" "index version $v"
done
is "$(git -C "$S" ls-files -s "$(shard R-1)/case.yaml" | cut -d' ' -f2)" \
    "$(git -C "$S" rev-parse "HEAD:$(shard R-1)/case.yaml")" "the index holds the new blob"
touch "$S/.git/index.lock"
run case-event -C "$S" R-1 engaged --date 2026-06-20
expect 0 "a held index.lock: committed"
err_has "the work tree was not updated" "says the work tree was not updated"
rm "$S/.git/index.lock"
git -C "$S" reset -q --keep HEAD
clean "$S" "after git reset --keep"

# corrections: a mistaken event is withdrawn, kept, and read by no rule
W="$T/w"
new_store "$W" ACT || echo "Bail out! cannot make a store"
{
	case-new -C "$W" --today 2026-03-01 --cohort remandee R-9 &&
	case-event -C "$W" R-9 reception --date 2026-03-02 &&
	case-event -C "$W" R-9 engaged --date 2026-03-04
} >/dev/null 2>&1 || echo "Bail out! cannot fill the store"
PW="$W/$(shard R-9)/case.yaml"
n=$(commits "$W")
run deadline-check -C "$W" --today 2026-03-20 --case R-9 --rule ACT-REMAND-ENGAGE --status all --format csv
is "$(sed 1d "$T/out" | cut -d, -f7)" "met" "withdraw: met by the engagement before"
run case-event -C "$W" --today 2026-03-20 --withdraw R-9 engaged --date 2026-03-04
expect 2 "withdraw: without a reason"
err_has "--withdraw needs -m" "withdraw: asks why"
run case-event -C "$W" --today 2026-03-20 --withdraw -m "recorded on the wrong case" R-9 engaged --date 2026-03-05
expect 2 "withdraw: no such event"
err_has "R-9 has no engaged event on 2026-03-05 to withdraw" "withdraw: says there is none"
is "$(commits "$W")" "$n" "withdraw: refusals commit nothing"
run case-event -C "$W" --today 2026-03-20 --withdraw -m "recorded on the wrong case" R-9 engaged --date 2026-03-04
expect 0 "withdraw: the engagement"
is "$(commits "$W")" "$((n + 1))" "withdraw: one commit"
is "$(git -C "$W" log -1 --format=%s)" "case-event: R-9 engaged on 2026-03-04 withdrawn" "withdraw: subject"
is "$(trailer "$W" Action)" withdraw "withdraw: Action trailer"
is "$(trailer "$W" Reason)" "recorded on the wrong case" "withdraw: Reason trailer"
check "withdraw: kept in the record, with who, when and why" python3 - "$PW" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
e = d["events"][1]
assert e["type"] == "engaged" and e["date"] == "2026-03-04", e
assert e["withdrawn"] == {"by": "ada", "date": "2026-03-20",
                          "reason": "recorded on the wrong case"}, e
PY
run deadline-check -C "$W" --today 2026-03-20 --case R-9 --rule ACT-REMAND-ENGAGE --status all --format csv
is "$(sed 1d "$T/out" | cut -d, -f7)" "overdue" "withdraw: no rule reads it: the engagement is overdue again"
run case-log -C "$W" R-9
out_has "case: events[1].withdrawn.reason: (none) -> recorded on the wrong case" "withdraw: case-log shows it"
run store-verify -C "$W" --quiet
expect 0 "withdraw: the history verifies"
run case-event -C "$W" --today 2026-03-20 --withdraw -m again R-9 engaged --date 2026-03-04
expect 2 "withdraw: twice"
case-event -C "$W" --today 2026-03-20 R-9 eprd-set --date 2027-01-01 >/dev/null 2>&1
run case-event -C "$W" --today 2026-03-20 --withdraw -m wrong R-9 eprd-set --date 2027-01-01
expect 2 "withdraw: an eprd-set"
err_has "record the right date with a new eprd-set" "withdraw: a new eprd-set supersedes it"
run case-event -C "$W" --today 2026-03-21 R-9 engaged --date 2026-03-04
expect 0 "withdraw: the same event may be recorded again"
is "$(grep -c 'type: engaged' "$PW")" 2 "withdraw: beside the withdrawn one"

done_testing

#!/usr/bin/env bash
# Recorded exceptions (obligation-defer(1), obligation-waive(1)): an
# obligation deferred with a reason shows 'deferred' in every format until
# its day, then overdue again; a waived one shows 'waived' and is never
# overdue.  Each needs a team-leader role of the case's jurisdiction (the
# store's settings may name others), a deferral is capped at 30 days from
# the day it is recorded and twice per obligation, and a new anchor lapses
# them.  store-verify accepts them and reports, under exception, one
# changed or made by plain git against these rules.
. "$(dirname "$0")/lib.sh"
: "${CT_FIXTURES:?}"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
registry -C "$S" add-operator carol --name "Carol Leader" --email carol@example.org \
    --role cmu-team-leader --agency djcs >/dev/null 2>&1
registry -C "$S" add-operator cam --name "Cam Manager" --email cam@example.org \
    --role case-manager --agency djcs >/dev/null 2>&1
{
	case-new -C "$S" --today 2026-03-01 --cohort remandee R1 &&
	case-event -C "$S" --today 2026-03-02 R1 reception --date 2026-03-02
} >/dev/null 2>&1 || { echo "Bail out! cannot make the case"; exit 1; }
D=$(shard R1)
carol() { as "Carol Leader" carol@example.org "$@"; }
engage() { deadline-check -C "$S" --today "$1" --case R1 --rule ACT-REMAND-ENGAGE --status all --format csv | sed 1d | cut -d, -f6,7,10,11,12; }

# ACT-REMAND-ENGAGE: 2 Mar + 5 business days (Canberra Day 9 Mar) = 10 Mar
is "$(engage 2026-03-20)" "2026-03-10,overdue,,," "overdue before any exception"
n=$(commits "$S")
run as "Cam Manager" cam@example.org obligation-defer -C "$S" --today 2026-03-20 --until 2026-04-10 -m "In hospital" R1 ACT-REMAND-ENGAGE
expect 2 "a case manager may not defer"
err_has "ACT-REMAND-ENGAGE: an exception on a case of ACT is recorded by an operator with the role cmu-team-leader or community-team-leader" "names the roles"
run as "Bob Auditor" bob@example.org obligation-waive -C "$S" --today 2026-03-20 -m "No" R1 ACT-REMAND-ENGAGE
expect 2 "an auditor may not waive"
run carol obligation-defer -C "$S" --today 2026-03-20 --until 2026-04-20 -m "In hospital" R1 ACT-REMAND-ENGAGE
expect 2 "a deferral of 31 days"
err_has "at most 30 days after it (store policy: exceptions.defer_days)" "says the cap"
run carol obligation-defer -C "$S" --today 2026-03-20 --until 2026-03-19 -m "In hospital" R1 ACT-REMAND-ENGAGE
expect 2 "a deferral ending before today"
run carol obligation-defer -C "$S" --today 2026-03-20 -m "In hospital" R1 ACT-REMAND-ENGAGE
expect 2 "obligation-defer without --until"
run carol obligation-waive -C "$S" --today 2026-03-20 --until 2026-03-30 -m "x" R1 ACT-REMAND-ENGAGE
expect 2 "obligation-waive with --until"
run carol obligation-defer -C "$S" --today 2026-03-20 --until 2026-03-30 -m "x" R1 ACT-REMAND-CMP
expect 2 "an info finding is not deferred"
run carol obligation-defer -C "$S" --today 2026-03-20 --until 2026-03-30 -m "x" R1 ACT-CMP-CUSTODIAL
expect 2 "no such obligation on the case"
err_has "R1 has no obligation of ACT-CMP-CUSTODIAL as of 2026-03-20" "says so"
run carol obligation-defer -C "$S" --today 2026-03-20 --until 2026-03-30 -m "$(printf 'a\nb')" R1 ACT-REMAND-ENGAGE
expect 2 "a reason of two lines"
is "$(commits "$S")" "$n" "no commit on any refusal"

run carol obligation-defer -C "$S" --today 2026-03-20 --until 2026-04-19 -m "Remandee in hospital" R1 ACT-REMAND-ENGAGE
expect 0 "deferred 30 days by the CMU Team Leader"
is "$(commits "$S")" "$((n + 1))" "one commit"
is "$(git -C "$S" log -1 --format=%s)" "obligation-defer: R1 ACT-REMAND-ENGAGE deferred until 2026-04-19" "subject"
is "$(trailer "$S" Record)" "exceptions" "Record trailer"
is "$(trailer "$S" Reason)" "Remandee in hospital" "Reason trailer"
check "exceptions.yaml holds the entry" grep -q "action: defer" "$S/$D/exceptions.yaml"
is "$(sed -n '/^  - /,$p' "$S/$D/exceptions.yaml" | tr -d ' ' | tr '\n' ';')" \
    "-rule:ACT-REMAND-ENGAGE;anchor:'2026-03-02';due:'2026-03-10';action:defer;until:'2026-04-19';reason:Remandeeinhospital;by:carol;date:'2026-03-20';" \
    "the entry: rule, anchor, due, until, reason, by, date"
is "$(engage 2026-03-20)" "2026-03-10,deferred,2026-04-19,carol,Remandee in hospital" "csv: deferred, until, by, reason"
run deadline-check -C "$S" --today 2026-03-20 --case R1
expect 0 "text: nothing overdue while deferred"
out_has "deferred  " "text: status deferred"
out_has "deferred until 2026-04-19 by carol: Remandee in hospital" "text: until, by and reason"
run deadline-check -C "$S" --today 2026-03-20 --case R1 --format json
is "$(jq -r '.[] | select(.rule == "ACT-REMAND-ENGAGE") | [.status, .exception.action, .exception.until, .exception.by] | join(",")' "$T/out")" \
    "deferred,defer,2026-04-19,carol" "json: status and exception"
run deadline-check -C "$S" --today 2026-03-20 --case R1 --status all --format ics
out_has "SUMMARY:R1 ACT-REMAND-ENGAGE (deferred)" "ics: deferred"
is "$(engage 2026-04-19)" "2026-03-10,deferred,2026-04-19,carol,Remandee in hospital" "deferred on its last day"
is "$(engage 2026-04-20)" "2026-03-10,overdue,,," "overdue again the day after"
run deadline-check -C "$S" --today 2026-04-20 --case R1 --status deferred --format csv
is "$(sed 1d "$T/out")" "" "--status deferred: none after the day"

# at most twice
carol obligation-defer -C "$S" --today 2026-04-20 --until 2026-05-01 -m "Still in hospital" R1 ACT-REMAND-ENGAGE >/dev/null 2>&1
is "$(engage 2026-04-21 | cut -d, -f2,3)" "deferred,2026-05-01" "a second deferral"
run carol obligation-defer -C "$S" --today 2026-05-01 --until 2026-05-10 -m "Again" R1 ACT-REMAND-ENGAGE
expect 2 "a third deferral"
err_has "has been deferred 2 times already, the most the store allows (store policy: exceptions.defers)" "says the cap"

# a new anchor is a new obligation: the deferrals lapse
case-event -C "$S" --today 2026-05-02 R1 released --date 2026-05-02 >/dev/null 2>&1
case-event -C "$S" --today 2026-05-04 R1 reception --date 2026-05-04 >/dev/null 2>&1
# 4 May + 5 business days = 11 May
is "$(engage 2026-05-12)" "2026-05-11,overdue,,," "a new reception: the deferrals do not apply"

# waived: never overdue; a met obligation is not waived
run carol obligation-waive -C "$S" --today 2026-05-12 -m "Transferred interstate the same day" R1 ACT-REMAND-ENGAGE
expect 0 "waived"
is "$(engage 2026-05-12)" "2026-05-11,waived,,carol,Transferred interstate the same day" "csv: waived, by, reason"
run deadline-check -C "$S" --today 2026-06-30 --case R1 --rule ACT-REMAND-ENGAGE
expect 0 "a waived obligation is never overdue"
is "$(cat "$T/out")" "no obligations to show" "... and not in the default report"
run carol obligation-waive -C "$S" --today 2026-05-12 -m "Again" R1 ACT-REMAND-ENGAGE
expect 2 "waived twice"
err_has "waived already (by carol: Transferred interstate the same day)" "says by whom"
case-event -C "$S" --today 2026-05-13 R1 released --date 2026-05-13 >/dev/null 2>&1
case-event -C "$S" --today 2026-05-18 R1 reception --date 2026-05-18 >/dev/null 2>&1
case-event -C "$S" --today 2026-05-19 R1 engaged --date 2026-05-19 >/dev/null 2>&1
run carol obligation-waive -C "$S" --today 2026-05-20 -m "x" R1 ACT-REMAND-ENGAGE
expect 2 "a met obligation is not waived"
err_has "is met (on 2026-05-19): there is nothing to waive" "says met"

# two open obligations of one rule: --anchor says which
Z=000000000000000000000000000000000000000000000000000000
{
	case-new -C "$S" --today 2026-03-01 --cohort sentenced S1 &&
	case-event -C "$S" --today 2026-03-02 S1 sentence-commenced --date 2026-03-02 &&
	assess-add -C "$S" --today 2026-03-04 --date 2026-03-04 --items $Z S1 lsi-r &&
	cmp-new -C "$S" --today 2026-03-05 --kind custodial -f "$CT_FIXTURES/cmp/custodial-act-0042.yaml" S1 &&
	case-event -C "$S" --today 2026-03-10 S1 circumstances-changed --date 2026-03-10 &&
	case-event -C "$S" --today 2026-03-12 S1 goals-change-requested --date 2026-03-12
} >/dev/null 2>&1 || not_ok "S1 setup"
run carol obligation-defer -C "$S" -n --today 2026-03-20 --until 2026-04-20 -m "x" S1 ACT-EVENT-REVIEW
expect 2 "two open obligations of the rule"
err_has "S1 has 2 open obligations of ACT-EVENT-REVIEW: name one with --anchor" "says to name one"
run carol obligation-defer -C "$S" --today 2026-03-20 --until 2026-04-19 --anchor 2026-03-12 -m "Goals discussed at the next MDT" S1 ACT-EVENT-REVIEW
expect 0 "--anchor names the goals change"
run deadline-check -C "$S" --today 2026-04-08 --case S1 --rule ACT-EVENT-REVIEW --status all --format csv
is "$(sed 1d "$T/out" | cut -d, -f4,7 | sort | tr '\n' ' ')" "circumstances-changed,overdue goals-change-requested,deferred " \
    "the other obligation stays as it was"

run case-log -C "$S" R1
out_has "obligation-waive" "case-log shows the waiver"
out_has "Transferred interstate the same day" "... and its reason"
run store-verify -C "$S"
expect 0 "store-verify accepts the exceptions"

# plain git: an entry changed, one by an auditor, one too long
G="$T/g"
git clone -q "$S" "$G"
sed -i 's/reason: Remandee in hospital/reason: Changed later/' "$G/$D/exceptions.yaml"
git -C "$G" commit -qam "edit"
run store-verify -C "$G"
expect 1 "store-verify: an exception changed"
out_has "exception: an exception was changed or removed: entries are only ever added" "... reported under exception"
git -C "$G" reset -q --hard HEAD~1
cat >>"$G/$D/exceptions.yaml" <<'YAML'
  - rule: ACT-REMAND-ENGAGE
    anchor: '2026-05-18'
    due: '2026-05-25'
    action: defer
    until: '2026-07-30'
    reason: Long
    by: ada
    date: '2026-05-20'
YAML
git -C "$G" commit -qam "long"
run store-verify -C "$G"
expect 1 "store-verify: a deferral of 71 days"
out_has "exception: ACT-REMAND-ENGAGE: a deferral ends on or after the day it is recorded and at most 30 days after it" "... reported under exception"
git -C "$G" reset -q --hard HEAD~1
sed -i 's/^    by: carol$/    by: bob/' "$G/$D/exceptions.yaml"
git -C "$G" -c user.email=bob@example.org commit -qam "bob"
run store-verify -C "$G"
expect 1 "store-verify: an auditor's change"
out_has "exception" "... reported under exception"

# the store names the roles: a case manager allowed
git -C "$G" reset -q --hard HEAD~1
cat >>"$G/casetrail.yaml" <<'YAML'
exceptions:
  roles:
    ACT: [case-manager]
  defer_days: 10
YAML
git -C "$G" commit -qam "settings"
case-event -C "$G" --today 2026-06-01 R1 released --date 2026-06-01 >/dev/null 2>&1
case-event -C "$G" --today 2026-06-02 R1 reception --date 2026-06-02 >/dev/null 2>&1
run as "Cam Manager" cam@example.org obligation-defer -C "$G" -n --today 2026-06-20 --until 2026-06-30 -m "Settings allow" R1 ACT-REMAND-ENGAGE
expect 0 "the store's roles: a case manager may (dry run)"
run as "Cam Manager" cam@example.org obligation-defer -C "$G" -n --today 2026-06-20 --until 2026-07-01 -m "Settings allow" R1 ACT-REMAND-ENGAGE
expect 2 "the store's cap: 10 days"
run carol obligation-defer -C "$G" -n --today 2026-06-20 --until 2026-06-25 -m "x" R1 ACT-REMAND-ENGAGE
expect 2 "the store's roles: the CMU Team Leader no longer"

# VIC: the soct-officer
V="$T/v"
new_store "$V" VIC || echo "Bail out! cannot make a VIC store"
{
	case-new -C "$V" --today 2026-03-01 --cohort post-sentence V1 &&
	case-event -C "$V" --today 2026-03-02 V1 order-made --order supervision --date 2026-03-02
} >/dev/null 2>&1 || not_ok "VIC case"
run deadline-check -C "$V" --today 2026-04-30 --case V1 --format csv
rule=$(sed -n 2p "$T/out" | cut -d, -f2)
run as "Bob Auditor" bob@example.org obligation-defer -C "$V" -n --today 2026-04-30 --until 2026-05-10 -m "x" V1 "$rule"
expect 2 "VIC: an auditor may not"
err_has "recorded by an operator with the role soct-officer" "VIC: names soct-officer"
run obligation-defer -C "$V" -n --today 2026-04-30 --until 2026-05-10 -m "MAP meets on 10 May" V1 "$rule"
expect 0 "VIC: the soct-officer may (dry run)"

done_testing

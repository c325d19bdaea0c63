#!/usr/bin/env bash
# Plans belong to an episode (issue: the sentence continuum; docs/
# decisions.md, "Episodes"): the event that ends an episode -- a release,
# a move to the community, a return to custody, a new sentence -- moves
# the episode's plan to cmp/closed/<episode start>-<kind>.yaml with a
# closed entry, in the event's own commit, whoever records it; the new
# episode needs its own plan; the closed plan is kept and never changed;
# cmp-review and cmp-approve find no plan in force; withdrawing the
# ending event puts the plan back.  store-verify accepts these moves and
# reports, under plan-close, one made by plain git.
. "$(dirname "$0")/lib.sh"
: "${CT_FIXTURES:?}"
PLAN="$CT_FIXTURES/cmp/custodial-act-0042.yaml"
Z=000000000000000000000000000000000000000000000000000000

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
reg() { registry -C "$S" add-operator "$1" --name "$2" --email "$1@example.org" --role "$3" --agency djcs 2>/dev/null; }
reg carol "Carol Leader" cmu-team-leader
reg cco "Cy Officer" community-corrections-officer
printf 'goals: [Keep a job]\nneeds: []\n' >"$T/small.yaml"
D=$(shard ACT-0042)
DR=$(shard ACT-0101)
{
	case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 &&
	case-event -C "$S" ACT-0042 sentence-commenced --date 2026-03-02 &&
	assess-add -C "$S" --today 2026-03-10 --date 2026-03-04 --items $Z ACT-0042 lsi-r &&
	cmp-new -C "$S" --today 2026-03-10 --kind custodial -f "$PLAN" ACT-0042 &&
	as carol carol@example.org cmp-approve -C "$S" --today 2026-03-12 --kind custodial ACT-0042
} >/dev/null 2>&1 || { echo "Bail out! cannot make the case"; exit 1; }

# a release, recorded by an officer who is no case manager
n=$(commits "$S")
run as cco cco@example.org case-event -C "$S" --today 2026-09-01 ACT-0042 released --date 2026-09-01
expect 0 "a release is recorded by a community corrections officer"
is "$(commits "$S")" "$((n + 1))" "one commit"
check "the custodial plan is no longer in force" test ! -e "$S/$D/cmp/custodial.yaml"
check "it is kept as the closed plan of the custody from 2026-03-02" test -f "$S/$D/cmp/closed/2026-03-02-custodial.yaml"
is "$(git -C "$S" show --no-renames --name-status --format= HEAD | sort | tr '\t' ' ' | tr '\n' ';')" \
    "A $D/cmp/closed/2026-03-02-custodial.yaml;D $D/cmp/custodial.yaml;M $D/case.yaml;" \
    "the event's commit moves the plan"
check "the closed entry says when and by what" grep -q "^closed:" "$S/$D/cmp/closed/2026-03-02-custodial.yaml"
is "$(sed -n '/^closed:/,$p' "$S/$D/cmp/closed/2026-03-02-custodial.yaml" | tr -d ' ' | tr '\n' ';')" \
    "closed:;date:'2026-09-01';event:released;episode:custody;episode_start:'2026-03-02';" "closed: date, event, episode"
is "$(git -C "$S" show HEAD~1:$D/cmp/custodial.yaml | sed '/^closed:/,$d' | md5sum)" \
    "$(sed '/^closed:/,$d' "$S/$D/cmp/closed/2026-03-02-custodial.yaml" | md5sum)" "the plan is moved unchanged"
git -C "$S" show HEAD~1:$D/cmp/custodial.yaml >"$T/before"
check "... status approved kept" grep -qx "status: approved" "$S/$D/cmp/closed/2026-03-02-custodial.yaml"

run cmp-review -C "$S" --today 2026-09-02 --kind custodial --reason scheduled -f "$PLAN" ACT-0042
expect 2 "cmp-review refuses: no custodial plan in force"
err_has "ACT-0042 has no custodial plan in force: the plan of the custody from 2026-03-02 was closed when it ended (released on 2026-09-01)" "... and says the plan was closed"
run as carol carol@example.org cmp-approve -C "$S" --today 2026-09-02 --kind custodial ACT-0042
expect 2 "cmp-approve refuses the closed plan"
run store-verify -C "$S"
expect 0 "store-verify accepts the move"

# withdrawing the release puts the plan back
run case-event -C "$S" --today 2026-09-03 --withdraw -m "Release recorded in error" ACT-0042 released --date 2026-09-01
expect 0 "the release is withdrawn"
check "the custodial plan is in force again" test -f "$S/$D/cmp/custodial.yaml"
check "and no longer closed" test ! -e "$S/$D/cmp/closed/2026-03-02-custodial.yaml"
is "$(md5sum <"$S/$D/cmp/custodial.yaml")" "$(md5sum <"$T/before")" "the plan is as it was"
run store-verify -C "$S"
expect 0 "store-verify accepts the reopening"

# the right release date: closed again; then to the community
case-event -C "$S" --today 2026-09-03 ACT-0042 released --date 2026-09-02 >/dev/null 2>&1
check "closed again on the right day" grep -q "date: '2026-09-02'" "$S/$D/cmp/closed/2026-03-02-custodial.yaml"
case-event -C "$S" --today 2026-09-03 ACT-0042 stage-changed --stage community --date 2026-09-03 >/dev/null 2>&1
run cmp-new -C "$S" --today 2026-09-10 --kind community -f "$T/small.yaml" ACT-0042
expect 0 "the community episode gets its own plan"
# a return to custody ends the community episode: its plan closes
run case-event -C "$S" --today 2026-11-02 ACT-0042 reception --date 2026-11-02
expect 0 "a reception from the community"
check "the community plan is closed" test -f "$S/$D/cmp/closed/2026-09-03-community.yaml"
check "... and not in force" test ! -e "$S/$D/cmp/community.yaml"
grep -q "event: reception" "$S/$D/cmp/closed/2026-09-03-community.yaml"
check "closed by the reception" test $? -eq 0
run store-verify -C "$S"
expect 0 "store-verify accepts the history"

# a remandee sentenced: the remand plan closes with the remand
{
	case-new -C "$S" --today 2026-03-01 --cohort remandee ACT-0101 &&
	case-event -C "$S" ACT-0101 reception --date 2026-03-02 &&
	cmp-new -C "$S" --today 2026-03-31 --kind remand -f "$T/small.yaml" ACT-0101
} >/dev/null 2>&1 || not_ok "remand setup"
run case-event -C "$S" --today 2026-05-01 ACT-0101 sentence-commenced --date 2026-05-01
expect 0 "the remandee is sentenced"
check "the remand plan is closed" test -f "$S/$DR/cmp/closed/2026-03-02-remand.yaml"
check "... none in force" test ! -e "$S/$DR/cmp/remand.yaml"

# re-received: the remand window counts from the latest reception (day
# 27 of the second stay refused, day 28 allowed), as deadline-check does
{
	case-new -C "$S" --today 2026-03-01 --cohort remandee ACT-0102 &&
	case-event -C "$S" ACT-0102 reception --date 2026-03-02 &&
	case-event -C "$S" ACT-0102 released --date 2026-03-30 &&
	case-event -C "$S" ACT-0102 reception --date 2026-04-13
} >/dev/null 2>&1 || not_ok "second stay setup"
run cmp-new -C "$S" -n --today 2026-05-10 --kind remand -f "$T/small.yaml" ACT-0102
expect 2 "ACT-REMAND-CMP: day 27 of the second stay"
err_has "ACT-REMAND-CMP: ACT-0102 was received on 2026-04-13: a remand plan may be made from 2026-05-11" "ACT-REMAND-CMP: counts from the latest reception"
run cmp-new -C "$S" -n --today 2026-05-11 --kind remand -f "$T/small.yaml" ACT-0102
expect 0 "ACT-REMAND-CMP: day 28 of the second stay (dry run)"
run deadline-check -C "$S" --today 2026-05-10 --case ACT-0102 --rule ACT-REMAND-CMP --format csv
is "$(sed 1d "$T/out" | cut -d, -f6)" "2026-05-11" "ACT-REMAND-CMP: deadline-check agrees"

# plain git: a plan closed without an event, a closed plan changed
G="$T/g"
git clone -q "$S" "$G"
git -C "$G" config user.email ada@example.org
git -C "$G" mv "$DR/cmp/closed/2026-03-02-remand.yaml" "$DR/cmp/closed/2026-04-02-remand.yaml"
git -C "$G" commit -qm "move"
run store-verify -C "$G"
expect 1 "store-verify: a closed plan renamed"
out_has "plan-close" "... reported under plan-close"
git -C "$G" reset -q --hard HEAD~1
sed -i 's/^version: 1$/version: 2/' "$G/$D/cmp/closed/2026-03-02-custodial.yaml"
git -C "$G" commit -qam "edit closed"
run store-verify -C "$G"
expect 1 "store-verify: a closed plan changed"
out_has "append-only" "... reported under append-only"
git -C "$G" reset -q --hard HEAD~1
mkdir -p "$G/$D/cmp/closed"
git -C "$G" show HEAD:$D/cmp/closed/2026-03-02-custodial.yaml >/dev/null
case-event -C "$G" --today 2026-11-03 ACT-0042 engaged --date 2026-11-03 >/dev/null 2>&1
cmp-new -C "$G" --today 2026-11-03 --kind custodial -f "$PLAN" ACT-0042 >/dev/null 2>&1
git -C "$G" mv "$D/cmp/custodial.yaml" "$D/cmp/closed/2026-11-02-custodial.yaml"
git -C "$G" commit -qm "close by hand"
run store-verify -C "$G"
expect 1 "store-verify: a plan closed with no event ending its episode"
out_has "plan-close" "... reported under plan-close"

done_testing

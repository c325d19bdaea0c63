#!/usr/bin/env bash
# Work queues (issue: what team leaders, SOCT and the Authority ask of
# it): deadline-check --manager (the cases an operator manages),
# --agency (what an agency is asked for, and the cases of its managers),
# --role (the plans waiting for an approving role) and --summary (counts
# by rule x status, by manager, by agency; text, json, csv).
. "$(dirname "$0")/lib.sh"
: "${CT_FIXTURES:?}"
Z=000000000000000000000000000000000000000000000000000000

A="$T/act"
new_store "$A" ACT || { echo "Bail out! cannot make a store"; exit 1; }
{
	registry -C "$A" add-operator cam --name "Cam Manager" --email cam@example.org --role case-manager --agency djcs --team "AMC North" &&
	registry -C "$A" add-operator jo --name "Jo Manager" --email jo@example.org --role case-manager --agency dffh --team "AMC South" &&
	registry -C "$A" add-operator tl --name "Team Leader" --email tl@example.org --role cmu-team-leader --agency djcs &&
	case-new -C "$A" --today 2026-03-01 --cohort remandee --manager cam R1 &&
	case-new -C "$A" --today 2026-03-01 --cohort remandee --manager jo R2 &&
	case-new -C "$A" --today 2026-03-01 --cohort sentenced --manager cam S1 &&
	case-event -C "$A" --today 2026-03-02 R1 reception --date 2026-03-02 &&
	case-event -C "$A" --today 2026-03-02 R2 reception --date 2026-03-02 &&
	case-event -C "$A" --today 2026-03-02 S1 sentence-commenced --date 2026-03-02 &&
	assess-add -C "$A" --today 2026-03-04 --date 2026-03-04 --items $Z S1 lsi-r &&
	cmp-new -C "$A" --today 2026-03-05 --kind custodial -f "$CT_FIXTURES/cmp/custodial-act-0042.yaml" S1
} >/dev/null 2>"$T/setup.err" || { echo "Bail out! $(head -2 "$T/setup.err")"; exit 1; }
dc() { deadline-check -C "$A" --today 2026-03-20 --status all --format csv "$@" | sed 1d | cut -d, -f1,2 | sort | tr '\n' ' '; }

is "$(dc --manager cam)" "R1,ACT-REMAND-CMP R1,ACT-REMAND-ENGAGE S1,ACT-CMP-CUSTODIAL S1,ACT-CMP-CUSTODIAL-APPROVAL " "--manager cam: cam's cases"
is "$(dc --manager jo)" "R2,ACT-REMAND-CMP R2,ACT-REMAND-ENGAGE " "--manager jo: jo's"
is "$(dc --agency dffh)" "R2,ACT-REMAND-CMP R2,ACT-REMAND-ENGAGE " "--agency dffh: the cases of its managers"
is "$(dc --team "AMC South")" "R2,ACT-REMAND-CMP R2,ACT-REMAND-ENGAGE " "--team: the cases of the team's managers"
run deadline-check -C "$A" --today 2026-03-20 --team "AMC West"
expect 2 "a team nobody is in"
err_has "--team: no operator of team 'AMC West'" "says so"
check "the registry keeps the team" grep -q "team: AMC North" "$A/registry/operators.yaml"
run registry -C "$A" add-agency x --name X --team T
expect 2 "add-agency takes no --team"
is "$(dc --role cmu-team-leader)" "S1,ACT-CMP-CUSTODIAL S1,ACT-CMP-CUSTODIAL-APPROVAL " "--role cmu-team-leader: the plans it approves"
is "$(dc --role cmu-team-leader --manager jo)" "" "queues together must all hold"
run deadline-check -C "$A" --today 2026-03-20 --manager nobody
expect 2 "an unknown manager"
err_has "--manager: no operator 'nobody' in registry/operators.yaml" "says so"
run deadline-check -C "$A" --today 2026-03-20 --agency nowhere
expect 2 "an unknown agency"
run deadline-check -C "$A" --today 2026-03-20 --role auditor
expect 2 "a role with no queue"
err_has "--role: auditor approves no plan in this store" "says why"
run deadline-check -C "$A" --today 2026-03-20 --manager cam --format json
is "$(jq -r '[.[].manager] | unique | join(",")' "$T/out")" "cam" "json findings name their manager"

# the calendar feed of one person's queue
run deadline-check -C "$A" --today 2026-03-20 --status all --manager jo --format ics
is "$(grep -c '^BEGIN:VEVENT' "$T/out")" "2" "--manager jo --format ics: jo's two obligations"
check "... and none of cam's" sh -c "! grep -q 'SUMMARY:R1 \|SUMMARY:S1 ' '$T/out'"
# whose plan waits: the manager in json and csv
run deadline-check -C "$A" --today 2026-03-20 --status all --role cmu-team-leader --format csv
is "$(sed 1d "$T/out" | cut -d, -f13 | sort -u | tr -d '\r')" "cam" "the approver's queue names whose plans they are"

# --summary
run deadline-check -C "$A" --today 2026-03-20 --status all --summary --format csv
expect 0 "--summary csv"
is "$(head -1 "$T/out")" $'group,key,overdue,due,upcoming,met,info,met-late,deferred,waived,total\r' "csv header"
is "$(grep '^rule,ACT-REMAND-ENGAGE,' "$T/out" | tr -d '\r')" "rule,ACT-REMAND-ENGAGE,2,0,0,0,0,0,0,0,2" "both engagements overdue"
is "$(grep '^manager,cam,' "$T/out" | tr -d '\r' | cut -d, -f11)" "4" "cam's total"
is "$(grep '^manager,jo,' "$T/out" | tr -d '\r' | cut -d, -f11)" "2" "jo's total"
is "$(grep -c '^agency,(none),' "$T/out")" "1" "ACT findings are no agency's"
run deadline-check -C "$A" --today 2026-03-20 --status all --summary --format json
is "$(jq -r '.by_manager[] | "\(.key)=\(.overdue)"' "$T/out" | tr '\n' ' ')" "cam=2 jo=1 " "json by_manager overdue counts"
run deadline-check -C "$A" --today 2026-03-20 --status all --summary
expect 1 "text summary exits 1 with overdue findings"
out_has "RULE" "text: a table by rule"
out_has "MANAGER" "text: by manager"
run deadline-check -C "$A" --today 2026-03-20 --summary --format ics
expect 2 "--summary is not ics"

# VIC: the agencies' service-delivery requests
V="$T/vic"
{
	new_store "$V" VIC &&
	registry -C "$V" add-agency dh --name "Health" --map-member &&
	registry -C "$V" add-agency vicpol --name "Victoria Police" --map-member &&
	registry -C "$V" add-agency forensicare --name "Forensicare" --funded-by dh &&
	case-new -C "$V" --today 2026-03-01 --cohort post-sentence --manager ada VIC-0007 &&
	case-event -C "$V" VIC-0007 order-made --date 2026-03-02 --order supervision &&
	csp-new -C "$V" -f "$CT_FIXTURES/csp/plan-vic-0007.yaml" VIC-0007 &&
	csp-update -C "$V" --today 2026-08-10 request --agency all --via written --due 2026-08-31 VIC-0007
} >/dev/null 2>"$T/setup.err" || not_ok "VIC setup" "$(head -2 "$T/setup.err")"
run deadline-check -C "$V" --today 2026-08-20 --rule VIC-SDU --agency forensicare --format csv
is "$(sed 1d "$T/out" | cut -d, -f2,4 | tr '\n' ' ')" "VIC-SDU,sdu request forensicare " "--agency forensicare: the request to it"
run deadline-check -C "$V" --today 2026-08-20 --rule VIC-SDU --status all --summary --format csv
check "summary by agency counts each agency asked" grep -q '^agency,forensicare,' "$T/out"

done_testing

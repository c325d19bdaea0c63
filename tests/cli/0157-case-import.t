#!/usr/bin/env bash
# case-import: cases and dated events from a CSV file (the agencies'
# spreadsheets).  Every row is checked first; each bad row is named by its
# line with the reason and nothing is committed (unless --skip-bad, exit
# 1); then one commit per case changed; duplicates and a re-import change
# nothing and commit nothing; -n prints the summary.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
registry -C "$S" add-operator cam --name "Cam Manager" --email cam@example.org --role case-manager --agency djcs >/dev/null 2>&1
case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0001 >/dev/null 2>&1

# quoted cells, a BOM and CR LF, as spreadsheets write them
printf '\xef\xbb\xbfid,cohort,manager,event,date,stage,note\r\n' >"$T/good.csv"
printf 'ACT-0101,remandee,cam,,,,\r\n' >>"$T/good.csv"
printf 'ACT-0101,,,reception,2026-03-02,,"Received from court, Friday"\r\n' >>"$T/good.csv"
printf 'ACT-0101,,,engaged,2026-03-04,,\r\n' >>"$T/good.csv"
printf 'ACT-0001,sentenced,,stage-changed,2026-03-05,custodial,\r\n' >>"$T/good.csv"
printf 'ACT-0101,,,engaged,2026-03-04,,\r\n' >>"$T/good.csv"

n=$(commits "$S")
run case-import -C "$S" --today 2026-03-10 -n "$T/good.csv"
expect 0 "a dry run"
is "$(cat "$T/out")" "5 rows: 1 case to create, 3 events to record, 1 already there, 0 bad" "its summary"
is "$(commits "$S")" "$n" "the dry run commits nothing"

run case-import -C "$S" --today 2026-03-10 -m "Intake of March" "$T/good.csv"
expect 0 "imported"
is "$(commits "$S")" "$((n + 2))" "one commit per case changed"
is "$(git -C "$S" log -2 --format=%s | sort | tr '\n' ';')" "case-import: ACT-0001 imported;case-import: ACT-0101 imported;" "subjects"
is "$(trailer "$S" Reason)" "Intake of March" "the Reason trailer"
run case-show -C "$S" --format json ACT-0101
is "$(jq -r '[.records["case.yaml"].events[].type] | join(",")' "$T/out")" "reception,engaged" "the events, the duplicate once"
is "$(jq -r '.records["case.yaml"].manager' "$T/out")" "cam" "the manager"
is "$(jq -r '.records["case.yaml"].events[0].note' "$T/out")" "Received from court, Friday" "a quoted cell with a comma"
run case-show -C "$S" --format json ACT-0001
is "$(jq -r '.records["case.yaml"].stage' "$T/out")" "custodial" "the existing case's event"
run store-verify -C "$S" --quiet
expect 0 "store-verify accepts the imports"

run case-import -C "$S" --today 2026-03-10 "$T/good.csv"
expect 0 "a re-import"
is "$(commits "$S")" "$((n + 2))" "... commits nothing"
err_has "0 cases to create, 0 events to record, 5 already there" "... all already there"

# bad rows: each named by its line; nothing committed
{
	printf 'id,cohort,event,date,stage\n'
	printf 'ACT-0200,remandee,,,\n'
	printf 'ACT-0201,,reception,2026-03-02,\n'
	printf 'ACT-0200,,reception,02/03/2026,\n'
	printf 'ACT-0001,remandee,,,\n'
	printf 'ACT-0200,,stage-changed,2026-03-03,nowhere\n'
	printf 'bad id,remandee,,,\n'
	printf 'ACT-0200,,reception,2026-04-01,\n'
	printf 'ACT-0200,,escape,2026-03-03,\n'
} >"$T/bad.csv"
n=$(commits "$S")
run case-import -C "$S" --today 2026-03-10 "$T/bad.csv"
expect 2 "bad rows"
err_has "$T/bad.csv:3: case ACT-0201 does not exist: give its cohort to create it" "a case that does not exist"
err_has "$T/bad.csv:4: date: expected YYYY-MM-DD" "a date in another form"
err_has "$T/bad.csv:5: cohort: case ACT-0001 is sentenced in the store" "a cohort that differs"
err_has "$T/bad.csv:6: " "a bad stage"
err_has "$T/bad.csv:7: the id is not a case id" "a bad id"
err_has "$T/bad.csv:8: " "an event after today"
err_has "$T/bad.csv:9: event: not an event type" "an unknown event"
err_has "7 bad rows: nothing was imported" "the count"
is "$(commits "$S")" "$n" "nothing committed"
run case-import -C "$S" --today 2026-03-10 --skip-bad "$T/bad.csv"
expect 1 "--skip-bad: the good rows, exit 1"
is "$(commits "$S")" "$((n + 1))" "... one case made"
check "ACT-0200 exists" test -f "$S/$(shard ACT-0200)/case.yaml"

# the file itself
printf 'id,colour\nACT-1,red\n' >"$T/col.csv"
run case-import -C "$S" "$T/col.csv"
expect 2 "an unknown column"
err_has "$T/col.csv:1: unknown column 'colour'" "names it"
printf 'id,cohort\n"ACT-1,remandee\n' >"$T/q.csv"
run case-import -C "$S" "$T/q.csv"
expect 2 "an unclosed quote"
err_has "$T/q.csv:2: a quoted cell is not closed" "names the line"
printf 'id,cohort\nACT-\xff,remandee\n' >"$T/u.csv"
run case-import -C "$S" "$T/u.csv"
expect 2 "not UTF-8"
run_in $'id,cohort\nACT-0300,sentenced\n' case-import -C "$S" --today 2026-03-10 -
expect 0 "from stdin"

done_testing

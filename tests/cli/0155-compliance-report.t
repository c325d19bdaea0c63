#!/usr/bin/env bash
# compliance-report: each month's (or quarter's) obligations that fell due
# and how they stood at its end, computed from the store as it was at the
# end of the period's last day -- so a late engagement recorded in April
# still shows March's obligation overdue in March -- and the share met on
# time; CSV, JSON and a self-contained HTML document with SVG charts.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
{
	case-new -C "$S" --today 2026-01-05 --cohort remandee R1 R2 R3 &&
	case-event -C "$S" --today 2099-12-31 R1 reception --date 2026-02-02 &&
	case-event -C "$S" --today 2099-12-31 R1 engaged --date 2026-02-05 &&
	case-event -C "$S" --today 2099-12-31 R2 reception --date 2026-03-02 &&
	case-event -C "$S" --today 2099-12-31 R3 reception --date 2026-03-16 &&
	case-event -C "$S" --today 2099-12-31 R3 engaged --date 2026-03-20
} >/dev/null 2>"$T/setup.err" || { echo "Bail out! $(head -2 "$T/setup.err")"; exit 1; }
redate() {
	FILTER_BRANCH_SQUELCH_WARNING=1 git -C "$S" filter-branch -f --env-filter "
	if [ -z \"$2\" ] || [ \"\$GIT_COMMIT\" = \"$2\" ]; then
		GIT_AUTHOR_DATE='$1'; GIT_COMMITTER_DATE='$1'
		export GIT_AUTHOR_DATE GIT_COMMITTER_DATE
	fi" HEAD >/dev/null 2>&1
	rm -rf "$S/.git/refs/original"
}
redate 2026-01-10T00:00:00Z ""
# R2's engagement, late, recorded on 15 April
case-event -C "$S" --today 2026-04-15 R2 engaged --date 2026-04-14 >/dev/null 2>&1
redate 2026-04-15T00:00:00Z "$(git -C "$S" rev-parse HEAD)"

# ACT-REMAND-ENGAGE: R1 due Mon 9 Feb, met 5 Feb; R2 due Tue 10 Mar
# (Canberra Day 9 Mar), overdue at the end of March (engaged 14 Apr,
# recorded 15 Apr); R3 due Mon 23 Mar, met 20 Mar
run compliance-report -C "$S" --from 2025-12-01 --to 2026-04-30 --format csv
expect 0 "csv"
is "$(head -1 "$T/out")" $'period,start,end,group,key,fell_due,met,met_late,overdue,open,deferred,waived,on_time_pct\r' "header"
is "$(grep ',rule,ACT-REMAND-ENGAGE,' "$T/out" | tr -d '\r' | tr '\n' ' ')" \
    "2026-02,2026-02-01,2026-02-28,rule,ACT-REMAND-ENGAGE,1,1,0,0,0,0,0,100.0 2026-03,2026-03-01,2026-03-31,rule,ACT-REMAND-ENGAGE,2,1,0,1,0,0,0,50.0 " \
    "February 1 of 1 on time; March 1 of 2, the other overdue at its end"
check "the informational rule is not counted" sh -c "! grep -q ACT-REMAND-CMP '$T/out'"
err_has "compliance-report: 2026-03 (4 of 5)" "progress on stderr"
run deadline-check -C "$S" --as-of 2026-03-31 --case R2 --rule ACT-REMAND-ENGAGE --format csv
check "the same figure from deadline-check --as-of the period's last day" grep -q ',overdue,' "$T/out"
run deadline-check -C "$S" --today 2026-04-30 --case R2 --rule ACT-REMAND-ENGAGE --status all --format csv
check "... while today's store says met late" grep -q ',met-late,' "$T/out"

run compliance-report -C "$S" --from 2025-12-01 --to 2026-04-30 --format json
expect 0 "json"
is "$(jq -r '.periods[] | "\(.period):\(.before_store)"' "$T/out" | tr '\n' ' ')" \
    "2025-12:true 2026-01:false 2026-02:false 2026-03:false 2026-04:false " "periods, the first before the store"
is "$(jq -r '.periods[3].rules[0] | "\(.key) \(.fell_due) \(.met) \(.overdue) \(.on_time_pct)"' "$T/out")" \
    "ACT-REMAND-ENGAGE 2 1 1 50" "March in json"

run compliance-report -C "$S" --from 2026-01-01 --to 2026-06-30 --by quarter --format csv
is "$(grep ',rule,ACT-REMAND-ENGAGE,' "$T/out" | tr -d '\r')" "2026-Q1,2026-01-01,2026-03-31,rule,ACT-REMAND-ENGAGE,3,2,0,1,0,0,0,66.7" "by quarter"

run compliance-report -C "$S" --from 2026-01-01 --to 2026-04-30 -o "$T/report.html"
expect 0 "html to a file"
check "self-contained: no external resource" sh -c "! grep -Eiq '(src|href)=\"?(https?:|//)' '$T/report.html'"
check "a line chart per rule" grep -q '<polyline' "$T/report.html"
check "the rule's section" grep -q 'ACT-REMAND-ENGAGE' "$T/report.html"
check "50.0% in the table" grep -q '50.0%' "$T/report.html"
run compliance-report -C "$S" --by week
expect 2 "--by week"
run compliance-report -C "$S" --from 2026-05-01 --to 2026-04-01
expect 2 "--from after --to"

done_testing

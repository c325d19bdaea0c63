#!/usr/bin/env bash
# rules-impact: what another revision's rules and calendars would do to
# the store's obligations, before the change lands.  A proposal branch
# that adds a holiday moves the due dates it falls within; one that
# shortens ACT-REMAND-ENGAGE moves every engagement due date and turns
# one upcoming obligation overdue.  Exit 1 when something changes, 0 when
# nothing does; the store is not changed.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
{
	case-new -C "$S" --today 2026-10-01 --cohort remandee R1 R2 &&
	case-event -C "$S" --today 2026-11-02 R1 reception --date 2026-11-02 &&
	case-event -C "$S" --today 2026-11-09 R2 reception --date 2026-11-09
} >/dev/null 2>&1 || { echo "Bail out! cannot make the cases"; exit 1; }

# a proposal: a holiday on Wed 4 Nov 2026, made in a clone, fetched here
P="$T/p"
git clone -q "$S" "$P"
git -C "$P" show HEAD:calendars/ACT.yaml >"$T/cal.yaml"
printf '  - date: "2026-11-04"\n    name: Declared holiday\n' >"$T/add.yaml"
sed '/^add:$/r '"$T/add.yaml" "$T/cal.yaml" >"$T/cal2.yaml"
store-policy -C "$P" set calendars/ACT.yaml "$T/cal2.yaml" -m "Proposed holiday" >/dev/null 2>&1 ||
    not_ok "the proposal is made"
git -C "$S" fetch -q "$P" main:proposal-holiday
n=$(commits "$S")

# R1: 2 Nov + 5 business days = Mon 9 Nov; with Wed 4 Nov a holiday, Tue 10
# Nov.  R2: 9 Nov + 5 = Mon 16 Nov, unmoved.
run rules-impact -C "$S" --today 2026-11-05 proposal-holiday
expect 1 "a holiday proposed: something changes"
out_has "0 new, 0 gone, 1 moved, 0 with another status" "the counts"
run rules-impact -C "$S" --today 2026-11-05 --format csv proposal-holiday
is "$(sed 1d "$T/out" | tr -d '\r')" "moved,R1,ACT-REMAND-ENGAGE,2026-11-02,2026-11-09,upcoming,2026-11-10,upcoming" "R1's engagement moves a day"
is "$(commits "$S")" "$n" "the store is not changed"

# a proposal: 3 business days instead of 5
Q="$T/q"
git clone -q "$S" "$Q"
sed '/^  - id: ACT-REMAND-ENGAGE$/,/^  - id:/s/^      business_days: 5$/      business_days: 3/' \
    "$S/rules/deadlines.yaml" >"$T/rules3.yaml"
store-policy -C "$Q" set rules/deadlines.yaml "$T/rules3.yaml" -m "Proposed 3 days" >/dev/null 2>&1 ||
    not_ok "the rule proposal is made"
git -C "$S" fetch -q "$Q" main:proposal-3-days
# R1: 2 Nov + 3 = Thu 5 Nov; R2: 9 Nov + 3 = Thu 12 Nov (due within the
# warning window on the 10th)
run rules-impact -C "$S" --today 2026-11-10 --format json proposal-3-days
expect 1 "a shorter rule"
is "$(jq -r '.counts | "\(.new) \(.gone) \(.moved) \(.status)"' "$T/out")" "0 0 2 0" "json counts"
is "$(jq -r '.changes[] | "\(.case) \(.due_now) \(.status_now) \(.due_proposed) \(.status_proposed)"' "$T/out" | tr '\n' ';')" \
    "R1 2026-11-09 overdue 2026-11-05 overdue;R2 2026-11-16 upcoming 2026-11-12 due;" "each move"
run rules-impact -C "$S" --today 2026-11-06 --case R1 --format csv proposal-3-days
is "$(sed 1d "$T/out" | tr -d '\r' | cut -d, -f5-8)" "2026-11-09,upcoming,2026-11-05,overdue" "--case: R1 would be overdue on the 6th"

run rules-impact -C "$S" --today 2026-11-06 HEAD
expect 0 "the same revision: nothing changes"
out_has "0 new, 0 gone, 0 moved, 0 with another status" "says so"
run rules-impact -C "$S" no-such-rev
expect 2 "an unknown revision"

done_testing

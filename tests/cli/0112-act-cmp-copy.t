#!/usr/bin/env bash
# cmp-copy: a copy of the completed remand plan given to the remandee's
# Accommodation Area Supervisor (CO2), rule ACT-REMAND-CMP-COPY: recorded
# per version, cleared by a review, and every refusal exits 2 without a
# commit.
. "$(dirname "$0")/lib.sh"

S="$T/s"
PLAN="${CT_FIXTURES:-$(dirname "$0")/../fixtures}/cmp/remand-act-0101.yaml"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$S" --today 2026-03-01 --cohort remandee ACT-0101 2>/dev/null
case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 2>/dev/null
case-event -C "$S" ACT-0101 reception --date 2026-03-02 2>/dev/null
R="$S/$(shard ACT-0101)/cmp/remand.yaml"

# made on Thu 2 Apr 2026: due 2 business days later, after Easter (Fri 3 -
# Mon 6 Apr): Tue 7 (1), Wed 8 (2)
run cmp-new -C "$S" --today 2026-04-02 --kind remand -f "$PLAN" ACT-0101
expect 0 "a remand plan is made"
check "the plan records the day its version was completed" grep -qx "version_date: '2026-04-02'" "$R"
run deadline-check -C "$S" --today 2026-04-09 --rule ACT-REMAND-CMP-COPY --format csv --fail-on overdue
expect 1 "ACT-REMAND-CMP-COPY: a remand plan without the copy is overdue"
out_has "ACT-0101,ACT-REMAND-CMP-COPY,Remand CMP copy given to the Accommodation Area Supervisor,cmp/remand.yaml version_date,2026-04-02,2026-04-08,overdue,-1" \
    "ACT-REMAND-CMP-COPY: 2 Apr + 2 business days over Easter = 8 Apr"
n=$(commits "$S")

run cmp-copy -C "$S" --today 2026-04-09 --date 2026-04-09 --supervisor "CO2, Area 4" ACT-0101
expect 0 "ACT-REMAND-CMP-COPY: cmp-copy records the copy"
is "$(commits "$S")" "$((n + 1))" "one commit"
is "$(git -C "$S" log -1 --format=%s)" "cmp-copy: ACT-0101 remand plan version 1 copied to the Accommodation Area Supervisor" "subject"
is "$(trailer "$S" Action)" copy "Action trailer"
is "$(trailer "$S" Record)" cmp/remand "Record trailer"
check "supervisor_copy holds version, date, to and by" python3 - "$R" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
assert d["supervisor_copy"] == {"version": "1", "date": "2026-04-09",
    "to": "CO2, Area 4", "by": "ada"}, d["supervisor_copy"]
assert d["status"] == "approved" and d["version"] == "1", d
PY
run deadline-check -C "$S" --today 2026-04-09 --rule ACT-REMAND-CMP-COPY --status met --format csv
expect 0 "ACT-REMAND-CMP-COPY: met once the copy is given"
out_has "2026-04-08,met-late,-1,2026-04-09" "met-late (a day late) on 9 Apr"
n=$(commits "$S")

run cmp-copy -C "$S" --today 2026-04-10 --date 2026-04-09 --supervisor "CO2, Area 4" ACT-0101
expect 0 "the same copy again"
err_has "nothing changed" "says nothing changed"
is "$(commits "$S")" "$n" "no commit"
run cmp-copy -C "$S" --today 2026-04-10 --date 2026-04-10 ACT-0101
expect 2 "another copy of the same version"
err_has "a copy of version 1 was given to the Accommodation Area Supervisor on 2026-04-09" "says when it was given"

# a review makes version 2, whose copy is owed again
run cmp-review -C "$S" --today 2026-04-20 --kind remand --reason circumstances-change -f "$PLAN" ACT-0101
expect 0 "the remand plan reviewed"
check "the review clears the copy of version 1" sh -c "! grep -q supervisor_copy '$R'"
check "version_date moves to the review" grep -qx "version_date: '2026-04-20'" "$R"
run deadline-check -C "$S" --today 2026-04-23 --rule ACT-REMAND-CMP-COPY --format csv --fail-on overdue
expect 1 "ACT-REMAND-CMP-COPY: version 2 without a copy"
out_has "2026-04-20,2026-04-22,overdue,-1" "Mon 20 Apr + 2 business days = Wed 22 Apr"
n=$(commits "$S")

# refusals
run cmp-copy -C "$S" --today 2026-04-23 --date 2026-04-19 ACT-0101
expect 2 "a copy dated before the version was completed"
err_has "--date: 2026-04-19 is before version 2 of the plan was completed, on 2026-04-20" "says why"
run cmp-copy -C "$S" --today 2026-04-23 --date 2026-04-24 ACT-0101
expect 2 "a copy dated after today"
err_has "--date: 2026-04-24 is after today (2026-04-23)" "says why"
run cmp-copy -C "$S" --today 2026-04-23 ACT-0101
expect 2 "no --date"
err_has "--date is required" "says so"
run cmp-copy -C "$S" --today 2026-04-23 --date 2026-04-23 ACT-0042
expect 2 "a case without a remand plan"
err_has "ACT-0042 has no remand plan" "says so"
run cmp-copy -C "$S" --today 2026-04-23 --date 2026-04-23 --supervisor $'CO2\nCase: X' ACT-0101
expect 2 "a two-line --supervisor"
run as "Bob Auditor" bob@example.org cmp-copy -C "$S" --today 2026-04-23 --date 2026-04-23 ACT-0101
expect 2 "a writer who is not a case manager"
err_has "'bob' is not a registered operator with the case-manager role" "says which role"
run cmp-copy -C "$S" --today 2026-04-23 --date 2026-04-23 ACT-0404
expect 2 "no such case"
is "$(commits "$S")" "$n" "no commit on any refusal"

run cmp-copy -C "$S" -n --today 2026-04-23 --date 2026-04-23 ACT-0101
expect 0 "dry run"
out_has "+supervisor_copy:" "prints the diff"
is "$(commits "$S")" "$n" "dry run commits nothing"
run cmp-copy -C "$S" --today 2026-04-23 --date 2026-04-23 ACT-0101
expect 0 "the copy of version 2"
run deadline-check -C "$S" --today 2026-04-23 --rule ACT-REMAND-CMP-COPY --status met --format csv
out_has "2026-04-22,met-late,-1,2026-04-23" "ACT-REMAND-CMP-COPY: version 2 met, a day late"

run store-verify -C "$S"
expect 0 "store-verify accepts the copies"
clean "$S" "at the end"

done_testing

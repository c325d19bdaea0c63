#!/usr/bin/env bash
# bench/gen-store makes realistic data: a history that store-verify
# passes (every commit by a registered operator with the role for what it
# changes, with the tools' trailers), and an open caseload as of --today
# in which about one case in five has an overdue obligation.
. "$(dirname "$0")/lib.sh"

: "${CT_BENCH:?CT_BENCH must name the directory of gen-store}"

# overdue FILE: the percentage of the cases of FILE (deadline-check
# --format json --status all) with at least one overdue finding, and the
# cases and rules of both jurisdictions it shows
overdue() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
cases = {f["case"] for f in d}
over = {f["case"] for f in d if f["status"] == "overdue"}
jur = sorted({f["case"][:3] for f in d})
print(round(100 * len(over) / int(sys.argv[2])), len(cases), " ".join(jur))' "$@"
}

for h in 1 3; do
	S="$T/g$h"
	run "$CT_BENCH/gen-store" --seed 3 --history $h 200 "$S"
	expect 0 "history $h: generate 200 cases"
	run store-verify -C "$S" --quiet
	expect 0 "history $h: store-verify finds no problem"
	is "$(cat "$T/out")" "" "history $h: and prints none"
	run deadline-check -C "$S" --today 2026-11-24 --status all --format json
	read -r pct ncases jur < <(overdue "$T/out" 200)
	check "history $h: $pct% of the cases overdue (10-30%)" \
	    test "$pct" -ge 10 -a "$pct" -le 30
	is "$ncases" 200 "history $h: every case has findings"
	is "$jur" "ACT VIC" "history $h: both jurisdictions"
done

S="$T/g3"
# the commits: authors are operators, trailers name the cases changed
is "$(git -C "$S" log --format=%ae | sort -u | grep -c '^cm-')" 40 \
    "commits by the shards' case managers"
check "CSPs by the SOCT officer" bash -c \
    "git -C '$S' log --format=%ae -- 'cases/*/csp.yaml' | sort -u | grep -qx soct-01@example.org"
check "approvals by the Team Leader, with Approved-by" bash -c \
    "git -C '$S' log --format=%B --author=tl-01 | grep -q '^Approved-by: tl-01 (cmu-team-leader)$'"
c=$(git -C "$S" log -1 --format=%H --author=cm-01 -- cases)
is "$(git -C "$S" log -1 --format=%B "$c" | sed -n 's/^Case: //p' | tr -d ' ' | tr , '\n' | sort)" \
    "$(git -C "$S" diff-tree -r --name-only --no-commit-id "$c" | cut -d/ -f3 | sort -u)" \
    "a commit's Case: trailer names exactly the cases it changes"
clean "$S" "the work tree and index match HEAD"
check "git fsck accepts it" git -C "$S" fsck --strict --no-progress

# the kinds of records: custodial plans, CSPs with endorsements
check "custodial plans" test "$(git -C "$S" ls-tree -r --name-only HEAD | grep -c '/cmp/custodial.yaml$')" -gt 40
check "CSPs" test "$(git -C "$S" ls-tree -r --name-only HEAD | grep -c '/csp.yaml$')" -gt 80

# another day: the caseload is open as of that day, and verifies
S="$T/old"
run "$CT_BENCH/gen-store" --seed 4 --today 2024-02-29 150 "$S"
expect 0 "generate as of 2024-02-29"
run store-verify -C "$S" --quiet
expect 0 "store-verify finds no problem"
run deadline-check -C "$S" --today 2024-02-29 --status all --format json
read -r pct ncases jur < <(overdue "$T/out" 150)
check "$pct% of the cases overdue on that day (10-30%)" \
    test "$pct" -ge 10 -a "$pct" -le 30

# a tool's write on top verifies too
n=$(commits "$T/g3")
run case-event -C "$T/g3" ACT-000002 engaged --date 2026-11-20
expect 0 "write to a generated store"
run store-verify -C "$T/g3" --quiet
expect 0 "store-verify after the write"
is "$(commits "$T/g3")" "$((n + 1))" "one commit"
clean "$T/g3" "after the write"

run "$CT_BENCH/gen-store" --today 2026-02-30 10 "$T/bad"
expect 2 "an invalid --today refused"
err_has "2026-02-30" "names the date"
check "nothing made" test ! -e "$T/bad"
run "$CT_BENCH/gen-store" 1000001 "$T/bad"
expect 2 "more than 1,000,000 cases refused"

done_testing

#!/usr/bin/env bash
# case-log: a case's commits newest first with their field-level changes;
# --field, --record, --since, --format json; errors; reading commits
# nothing; a case among hundreds of unrelated commits lists only its own.
. "$(dirname "$0")/lib.sh"

: "${CT_BENCH:?CT_BENCH must name the directory of gen-store}"
: "${CT_FIXTURES:?}"
Z=000000000000000000000000000000000000000000000000000000

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 2>/dev/null
case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0043 2>/dev/null
case-event -C "$S" ACT-0042 sentence-commenced --date 2026-03-02 2>/dev/null
case-event -C "$S" ACT-0043 sentence-commenced --date 2026-03-02 2>/dev/null
case-event -C "$S" -m "new charges" ACT-0042 risk-rating-changed \
    --date 2026-03-03 --rating high 2>/dev/null
case-event -C "$S" ACT-0042 stage-changed --date 2026-03-04 --stage case-planning 2>/dev/null
assess-add -C "$S" --today 2026-03-10 --date 2026-03-04 --items $Z ACT-0042 lsi-r >/dev/null 2>&1
cmp-new -C "$S" --today 2026-03-10 --kind custodial \
    -f "$CT_FIXTURES/cmp/custodial-act-0042.yaml" -m "Developed with the offender" \
    ACT-0042 >/dev/null 2>&1
# ACT-0043: a release date, then an event backdated before it
case-event -C "$S" ACT-0043 eprd-set --date 2029-06-30 2>/dev/null
case-event -C "$S" ACT-0043 stage-changed --date 2026-03-10 --stage case-planning 2>/dev/null
n=$(commits "$S")
D=$(shard ACT-0042)
check "the scenario made its commits" test "$(git -C "$S" log --format=%h -- "$D" | wc -l)" -eq 6

# hide commit ids and times, which differ from run to run
norm() {
	sed -E 's/^commit [0-9a-f]{12}  [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} /commit ID  DATE /;
	    s/; recorded [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$/; recorded DATE/' "$T/out"
}

run case-log -C "$S" --record case ACT-0042
expect 0 "log of the case record"
is "$(norm)" "commit ID  DATE Ada Admin
    case-event event
    dated 2026-03-04; recorded DATE
    case: events[2].date: (none) -> 2026-03-04
    case: events[2].type: (none) -> stage-changed
    case: events[2].stage: (none) -> case-planning
    case: stage: (none) -> case-planning

commit ID  DATE Ada Admin
    case-event event  reason: new charges
    dated 2026-03-03; recorded DATE
    case: events[1].date: (none) -> 2026-03-03
    case: events[1].type: (none) -> risk-rating-changed
    case: events[1].rating: (none) -> high
    case: events[1].note: (none) -> new charges
    case: risk_rating: (none) -> high

commit ID  DATE Ada Admin
    case-event event
    dated 2026-03-02; recorded DATE
    case: events[0].date: (none) -> 2026-03-02
    case: events[0].type: (none) -> sentence-commenced

commit ID  DATE Ada Admin
    case-new create
    case: id: (none) -> ACT-0042
    case: jurisdiction: (none) -> ACT
    case: cohort: (none) -> sentenced
    case: created: (none) -> 2026-03-01
    case: events: (none) -> []" "exact field-level lines, newest first"
check "commit ids are the case's commits, newest first" test \
    "$(grep -o '^commit [0-9a-f]*' "$T/out" | cut -c8-)" = \
    "$(git -C "$S" log --first-parent --format=%h --abbrev=12 -- "$D/case.yaml")"

run case-log -C "$S" ACT-0042
expect 0 "log of every record"
is "$(grep -c '^commit ' "$T/out")" 6 "six commits touched the case"
is "$(sed -n 2p "$T/out")" "    cmp-new new  reason: Developed with the offender" \
    "newest first: the plan, with tool, action and reason"
out_has "    cmp/custodial: version: (none) -> 1" "an added record shows its fields"
out_has "    assessments/2026-03-04-lsi-r: tool: (none) -> lsi-r" "the assessment record is listed"
run case-log -C "$S" --record assessments ACT-0042
is "$(grep -c '^commit ' "$T/out")" 1 "--record assessments: the directory of assessments"
check "no line of the other case" bash -c "! grep -q ACT-0043 '$T/out'"

run case-log -C "$S" --field stage ACT-0042
expect 0 "--field stage"
is "$(norm)" "commit ID  DATE Ada Admin
    case-event event
    case: stage: (none) -> case-planning" "only the commit that changed the stage"

run case-log -C "$S" --field 'events[1]' ACT-0042
expect 0 "--field with a list entry"
is "$(grep -c '^    case: events\[1\]\.' "$T/out")" 4 "the entry's fields"
is "$(grep -c '^commit ' "$T/out")" 1 "in one commit"
run case-log -C "$S" --field event ACT-0042
is "$(cat "$T/out")" "" "--field matches whole names only (event is not events)"

run case-log -C "$S" --record cmp ACT-0042
expect 0 "--record with a directory"
is "$(grep -c '^commit ' "$T/out")" 1 "one commit made the plan"
check "only the plan's lines" bash -c "! grep -E '^    (case|assessments):' '$T/out'"
run case-log -C "$S" --record cmp/custodial --field version ACT-0042
is "$(sed -n 3p "$T/out")" "    cmp/custodial: version: (none) -> 1" "--record cmp/custodial --field version"
run case-log -C "$S" --record csp ACT-0042
expect 0 "--record of a record the case never had"
is "$(cat "$T/out")" "" "prints nothing"

run case-log -C "$S" --since 2199-12-31 ACT-0042
expect 0 "--since after every commit"
is "$(cat "$T/out")" "" "nothing"
run case-log -C "$S" --since "$(git -C "$S" log -1 --format=%cd --date=format:%Y-%m-%d)" ACT-0042
is "$(grep -c '^commit ' "$T/out")" 6 "--since the day of the commits lists them all"
run case-log -C "$S" --since 2026-02-30 ACT-0042
expect 2 "--since an invalid date"

run case-log -C "$S" --format json ACT-0042
expect 0 "--format json"
check "json has every field, newest first" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 6, len(d)
for c in d:
    assert set(c) == {"commit", "date", "author", "email", "tool", "action",
                      "reason", "approved_by", "dated", "recorded",
                      "received", "receipt", "changes"}, c.keys()
    assert c["recorded"] == c["date"] and c["received"] is None
    assert len(c["commit"]) == 40 and c["author"] == "Ada Admin"
    assert c["email"] == "ada@example.org"
    for ch in c["changes"]:
        assert set(ch) == {"record", "kind", "path", "old", "new"}, ch
assert d[0]["tool"] == "cmp-new" and d[0]["reason"] == "Developed with the offender"
assert d[-1]["tool"] == "case-new" and d[-1]["action"] == "create"
assert d[-1]["approved_by"] is None
stage = [ch for c in d for ch in c["changes"] if ch["path"] == "stage"]
assert stage == [{"record": "case", "kind": "field", "path": "stage",
                  "old": None, "new": "case-planning"}], stage
assert [c["date"] for c in d] == sorted([c["date"] for c in d], reverse=True)
' "$T/out"
run case-log -C "$S" --format json --since 2199-12-31 ACT-0042
is "$(tr -d ' \n' <"$T/out")" "[]" "json of no commits is an empty array"

# events are compared by identity (date, type, position among equals),
# not by list index: the backdated event is one addition, and the release
# date after it reads as unchanged
run case-log -C "$S" --record case ACT-0043
expect 0 "log of a case with a backdated event"
is "$(norm | sed -n '1,/^$/p')" "commit ID  DATE Ada Admin
    case-event event
    dated 2026-03-10; recorded DATE
    case: events[1].date: (none) -> 2026-03-10
    case: events[1].type: (none) -> stage-changed
    case: events[1].stage: (none) -> case-planning
    case: stage: (none) -> case-planning" "the backdated event shows as one added event"
check "the release date is not shown rewritten" bash -c \
    "! grep -q 'eprd-set ->\|2029-06-30 ->' '$T/out'"
run case-log -C "$S" --field 'events[2]' ACT-0043
is "$(grep -c '^commit ' "$T/out")" 0 "the moved release date has no change at its new place"

run case-log -C "$S" ACT-9999
expect 2 "unknown case"
err_has "case ACT-9999 does not exist" "says so"
run case-log -C "$S" "a/b"
expect 2 "invalid id"
run case-log -C "$S" --format yaml ACT-0042
expect 2 "unknown format"
run case-log -C "$T/nowhere" ACT-0042
expect 2 "not a store"
run case-log -C "$S"
expect 2 "no id"

is "$(commits "$S")" "$n" "reading commits nothing"
clean "$S" "after case-log"

# a case among a few hundred unrelated commits: exactly the commits git
# itself finds for the case directory, in the same order
G="$T/g"
"$CT_BENCH/gen-store" --seed 7 --history 3 200 "$G" >/dev/null 2>&1
check "a generated store of hundreds of commits" test "$(commits "$G")" -gt 300
GD=$(case-show -C "$G" --path ACT-000000)
run case-log -C "$G" ACT-000000
expect 0 "log in a large store"
is "$(grep -o '^commit [0-9a-f]*' "$T/out" | cut -c8-)" \
    "$(git -C "$G" log --first-parent --format=%h --abbrev=12 -- "$GD")" \
    "only the case's commits, as git log finds them"
check "every change line names a record" bash -c \
    "! grep -vE '^(commit |    |$)' '$T/out'"

done_testing

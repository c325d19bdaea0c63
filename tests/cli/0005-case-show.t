#!/usr/bin/env bash
# case-show: yaml, json, --path, --rev.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" VIC || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$S" --today 2026-01-02 --cohort post-sentence VIC-0007 2>/dev/null
case-event -C "$S" VIC-0007 order-made --date 2026-01-10 --order supervision 2>/dev/null
n=$(commits "$S")

run case-show -C "$S" VIC-0007
expect 0 "show yaml"
out_has "# $(shard VIC-0007)/case.yaml" "names the file"
out_has "  - type: supervision" "prints the record"
check "stdout equals the file after its header line" \
    cmp <(tail -n +2 "$T/out") "$S/$(shard VIC-0007)/case.yaml"

run case-show -C "$S" --format json VIC-0007
expect 0 "show json"
check "json parses and has the derived order" python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
assert d["id"]=="VIC-0007"
assert d["records"]["case.yaml"]["orders"][0]["type"]=="supervision", d' "$T/out"

# episodes: a remandee received, released, received again, sentenced,
# released into the community
A="$T/a"
new_store "$A" ACT || echo "Bail out! cannot make an ACT store"
{
	case-new -C "$A" --today 2025-01-01 --cohort remandee R1 &&
	case-event -C "$A" R1 reception --date 2025-01-06 &&
	case-event -C "$A" R1 released --date 2025-01-20 &&
	case-event -C "$A" R1 reception --date 2025-03-02 &&
	case-event -C "$A" R1 sentence-commenced --date 2025-05-01 &&
	case-event -C "$A" R1 released --date 2026-06-30 &&
	case-event -C "$A" R1 stage-changed --date 2026-06-30 --stage community
} >/dev/null 2>&1 || echo "Bail out! cannot fill the ACT store"
run case-show -C "$A" R1
expect 0 "episodes: show yaml"
is "$(sed -n '/^# episodes/,$p' "$T/out")" "# episodes (derived from the events):
#   remand     2025-01-06 reception .. 2025-01-20 released
#   remand     2025-03-02 reception .. 2025-05-01 sentence-commenced
#   custody    2025-05-01 sentence-commenced .. 2026-06-30 released
#   community  2026-06-30 stage-changed .. open" "episodes: remand, remand, custody, community, after case.yaml"
run case-show -C "$A" --format json R1
check "episodes: in json" python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
e=d["episodes"]
assert [x["kind"] for x in e]==["remand","remand","custody","community"], e
assert e[2]=={"kind":"custody","start":"2025-05-01","end":"2026-06-30",
    "opened_by":"sentence-commenced","closed_by":"released"}, e
assert e[3]["end"] is None and e[3]["closed_by"] is None, e' "$T/out"

run case-show -C "$S" --path VIC-0007
expect 0 "--path"
is "$(cat "$T/out")" "$(shard VIC-0007)" "prints the case directory"

run case-show -C "$S" --rev HEAD~1 VIC-0007
expect 0 "--rev"
check "the earlier version has no orders" bash -c "! grep -q orders '$T/out'"

run case-show -C "$S" VIC-9999
expect 2 "unknown case"
err_has "does not exist" "says so"
run case-show -C "$S" --rev nope VIC-0007
expect 2 "unknown revision"
run case-show -C "$S" "a/b"
expect 2 "invalid id"
is "$(commits "$S")" "$n" "reading commits nothing"

done_testing

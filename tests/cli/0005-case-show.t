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

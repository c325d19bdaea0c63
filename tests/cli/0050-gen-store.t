#!/usr/bin/env bash
# bench/gen-store: a small generated store is a valid store the tools use.
. "$(dirname "$0")/lib.sh"

: "${CT_BENCH:?CT_BENCH must name the directory of gen-store}"
S="$T/g"
run "$CT_BENCH/gen-store" --seed 7 --history 3 200 "$S"
expect 0 "generate 200 cases"
err_has "200 cases" "says what it made"
is "$(git -C "$S" ls-tree -r --name-only HEAD | grep -c '/case.yaml$')" 200 "200 case records"
check "git fsck accepts it" git -C "$S" fsck --strict --no-progress
clean "$S" "work tree checked out"

# every generated record loads and validates (deadline-check reads them
# all with the case schema and exits 2 when one fails)
run deadline-check -C "$S" --today 2026-11-24 --status all --format json
check "deadline-check reads every record (exit 0 or 1, not 2)" test "$rc" -lt 2
check "findings for both jurisdictions" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
rules = {f["rule"] for f in d}
assert any(r.startswith("ACT-") for r in rules) and any(r.startswith("VIC-") for r in rules), rules
assert any(f["status"] == "overdue" for f in d) and any(f["status"] == "met" for f in d)' "$T/out"
run case-show -C "$S" --format json ACT-000000 VIC-000001
expect 0 "case-show reads generated cases"

# deterministic: the same seed gives the same records
"$CT_BENCH/gen-store" --seed 7 --history 3 200 "$T/g2" 2>/dev/null
is "$(git -C "$T/g2" rev-parse HEAD^{tree})" "$(git -C "$S" rev-parse HEAD^{tree})" "same seed, same tree"

# a tool can write to it: the caller's git identity is its administrator
n=$(commits "$S")
run registry -C "$S" list
out_has "ada@example.org" "the caller is a registered operator"
run case-event -C "$S" ACT-000000 engaged --date 2026-11-20
expect 0 "write to a generated store"
is "$(commits "$S")" "$((n + 1))" "one commit"
clean "$S" "after writes"

run "$CT_BENCH/gen-store" 0 "$T/bad"
expect 2 "n out of range"

done_testing

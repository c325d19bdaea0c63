#!/usr/bin/env bash
# case-log shows the two timelines of each commit: the dates of the
# entries it records, when it was recorded (committed) and when the
# central repository received it (the receipt covering it, fetched by
# store-sync), in text and JSON.  An office's commit brought in by a
# store-sync merge is received with the merge's push.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/receipts.sh"

case-event -C "$S" ACT-0001 reception --date "$(day 3)" >/dev/null 2>&1
store-sync -C "$S" -q 2>/dev/null
B="$T/b"
office "$B" "Jo Lee" jo@example.org "$K/jo"
case-event -C "$B" ACT-0001 engaged --date "$(day 1)" >/dev/null 2>&1
mine=$(git -C "$B" rev-parse HEAD)
case-new -C "$S" --cohort remandee ACT-0002 >/dev/null 2>&1
store-sync -C "$S" -q 2>/dev/null

run case-log -C "$B" ACT-0001
expect 0 "case-log in office 2"
sed -n '/^commit '"${mine:0:12}"'/,/^$/p' "$T/out" >"$T/mine"
check "its own unpushed commit: not received yet" \
    grep -Eqx "    dated $(day 1); recorded [0-9-]{10} [0-9:]{5}; not received yet" "$T/mine"

run store-sync -C "$B"
expect 0 "office 2 syncs: a merge with its commit"
check "a merge was pushed" test "$(git -C "$B" rev-list --merges --count HEAD)" -ge 1
ref=$(git -C "$C" for-each-ref --format='%(refname)' "refs/receipts/*-$(git -C "$C" rev-parse --short=12 main)")
check "the merge has its receipt" test -n "$ref"
when=$(git -C "$C" for-each-ref --format='%(taggerdate:unix)' "$ref")
at=$(date -u -d "@$when" '+%Y-%m-%d %H:%M')

run case-log -C "$B" ACT-0001
expect 0 "case-log after the sync"
sed -n '/^commit '"${mine:0:12}"'/,/^$/p' "$T/out" >"$T/mine"
recorded=$(git -C "$B" log -1 --format=%cd --date=format-local:'%Y-%m-%d %H:%M' "$mine")
is "$(sed -n 3p "$T/mine")" "    dated $(day 1); recorded $recorded; received $at" \
    "the office's commit: dated, recorded, received with the merge"
is "$(grep -c '; received ' "$T/out")" 2 "both events of the case were received"
is "$(sed -n '/case-new create/{n;p}' "$T/out")" "    case: id: (none) -> ACT-0001" \
    "the case-new commit, made before the central repository was, has no when line"

run case-log -C "$B" --format json ACT-0001
expect 0 "json"
python3 - "$T/out" "$mine" "refs/remotes/origin/receipts/${ref#refs/receipts/}" "$(day 1)" "$when" <<'EOF' && ok "json: dated, recorded, received, receipt" || not_ok "json: dated, recorded, received, receipt"
import json, sys, datetime
d = json.load(open(sys.argv[1]))
c = [c for c in d if c["commit"] == sys.argv[2]][0]
assert c["dated"] == [sys.argv[4]], c
assert c["recorded"] == c["date"], c
assert c["receipt"] == sys.argv[3], c
t = datetime.datetime.fromisoformat(c["received"]).timestamp()
assert int(t) == int(sys.argv[5]), (t, sys.argv[5])
assert all(set(x) >= {"dated", "recorded", "received", "receipt"} for x in d)
EOF
clean "$B" "office 2"

done_testing

#!/usr/bin/env bash
# case-new: sharded path, ids, duplicates, stdin.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
n=$(commits "$S")

run case-new -C "$S" --today 2026-03-02 --cohort sentenced --manager ada ACT-0042
expect 0 "create a case"
P=$(shard ACT-0042)
check "case.yaml at the git hash-object shard ($P)" test -f "$S/$P/case.yaml"
check "at HEAD too" git -C "$S" cat-file -e "HEAD:$P/case.yaml"
is "$(commits "$S")" "$((n + 1))" "one commit"
is "$(trailer "$S" Case)" ACT-0042 "Case trailer"
is "$(trailer "$S" Record)" case "Record trailer"
is "$(trailer "$S" Action)" create "Action trailer"
is "$(sed -n 's/^created: //p' "$S/$P/case.yaml")" "'2026-03-02'" "created date from --today"
check "manager kept" grep -qx "manager: ada" "$S/$P/case.yaml"
check "jurisdiction defaults to the store's" grep -qx "jurisdiction: ACT" "$S/$P/case.yaml"
clean "$S" "after create"
n=$(commits "$S")

run case-new -C "$S" --cohort sentenced ACT-0042
expect 2 "existing id"
err_has "already exists" "says it exists"
is "$(commits "$S")" "$n" "no commit"

for id in "../x" "a/b" "" "$(printf 'x%.0s' $(seq 41))" $'ACT-1\nCase: forged' "-x" ".hidden" "a b"; do
	run case-new -C "$S" --cohort sentenced -- "$id"
	expect 2 "invalid id $(printf %q "$id")"
	err_has "invalid case id" "says the id is invalid"
done
run case-new -C "$S" --cohort sentenced "$(printf 'x%.0s' $(seq 40))"
expect 0 "40-character id accepted"
n=$(commits "$S")
is "$(git -C "$S" ls-tree -r --name-only HEAD | grep -c '\.\.')" 0 "no path escapes"

run case-new -C "$S" --cohort prisoner ACT-7
expect 2 "unknown cohort"
run case-new -C "$S" --cohort sentenced --manager nobody ACT-7
expect 2 "unregistered manager"
run case-new -C "$S" --cohort sentenced --manager bob ACT-7
expect 2 "manager without the case-manager role"
err_has "case-manager role" "names the role"
run case-new -C "$S" --cohort sentenced --today 2026-02-30 ACT-7
expect 2 "invalid --today"
err_has "2026-02-30" "quotes the date"
is "$(commits "$S")" "$n" "no commit on errors"

run_in $'VIC-1\nVIC-2\n\nVIC-3\n' case-new -C "$S" --cohort post-sentence --jurisdiction VIC -
expect 0 "ids from stdin"
is "$(commits "$S")" "$((n + 3))" "one commit per case"
check "VIC-2 exists" test -f "$S/$(shard VIC-2)/case.yaml"
check "jurisdiction VIC" grep -qx "jurisdiction: VIC" "$S/$(shard VIC-3)/case.yaml"
n=$(commits "$S")

run case-new -C "$S" -n --cohort remandee ACT-9
expect 0 "dry run"
out_has "+id: ACT-9" "prints the new record"
is "$(commits "$S")" "$n" "dry run commits nothing"
check "no file written" test ! -e "$S/$(shard ACT-9)"

as "Zed" zed@example.org run case-new -C "$S" --cohort remandee ACT-9
expect 2 "unregistered identity"
err_has "not a registered operator" "says why"
is "$(commits "$S")" "$n" "no commit"
clean "$S" "at the end"

done_testing

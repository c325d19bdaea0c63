#!/usr/bin/env bash
# store-init --no-worktree: the store is a bare repository (no work tree,
# no index) that every tool reads and writes as any store: cases are made
# and changed, deadlines and the case log read, store-verify accepts the
# history; git show reads the records; a clone with a work tree of it
# holds the same records.
. "$(dirname "$0")/lib.sh"

S="$T/s.git"
run store-init -C "$S" --jurisdiction ACT --no-worktree
expect 0 "store-init --no-worktree"
err_has "new ACT store in $S (no work tree)" "says there is no work tree"
is "$(git -C "$S" rev-parse --is-bare-repository)" "true" "a bare repository"
check "no index" test ! -e "$S/index"
check "no casetrail.yaml outside git" test ! -e "$S/casetrail.yaml"

{
	registry -C "$S" add-agency actcs --name "ACT Corrective Services" &&
	registry -C "$S" add-operator ada --name "Ada Admin" --email ada@example.org \
	    --role case-manager,administrator --agency actcs
} >/dev/null 2>"$T/setup.err" || { echo "Bail out! $(head -2 "$T/setup.err")"; exit 1; }

run case-new -C "$S" --today 2026-03-01 --cohort remandee R1 R2
expect 0 "case-new in a store without a work tree"
run case-event -C "$S" --today 2026-03-03 R1 reception --date 2026-03-02 -m "received"
expect 0 "case-event"
check "still no index after writes" test ! -e "$S/index"
is "$(git -C "$S" rev-list --count main)" 6 "a commit each: init, agency, operator, two cases, the event"
git -C "$S" show "main:$(shard R1)/case.yaml" >"$T/r1.yaml" 2>/dev/null
check "git show reads the record" grep -q 'type: reception' "$T/r1.yaml"

run deadline-check -C "$S" --today 2026-03-20 --rule ACT-REMAND-ENGAGE --format csv
expect 0 "deadline-check reads it"
out_has "R1,ACT-REMAND-ENGAGE,Case manager engages the remandee,reception,2026-03-02,2026-03-10,overdue,-10," "the engagement is overdue"
run case-log -C "$S" R1
expect 0 "case-log"
out_has "received" "the reason of the event"
run store-verify -C "$S"
expect 0 "store-verify accepts the history"

W="$T/w"
git clone -q "$S" "$W"
check "a clone with a work tree has the record" cmp -s "$T/r1.yaml" "$W/$(shard R1)/case.yaml"
run case-show -C "$W" R1
expect 0 "the tools read the clone too"

run store-init -C "$T/x" --jurisdiction ACT --no-worktree --bogus
expect 2 "an unknown option is refused"
check "nothing made" test ! -e "$T/x"

done_testing

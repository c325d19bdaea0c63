#!/usr/bin/env bash
# registry set-roles, deactivate and reactivate: each one commit by an
# administrator; a deactivated operator can no longer write (the tools
# refuse, store-verify reports a plain-git commit as inactive-author and
# the hook refuses it), their earlier commits stay valid; reactivated,
# they write again.  The last active administrator cannot be deactivated
# or lose the role.  A non-administrator cannot use these commands.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
{
	registry -C "$S" add-operator dave --name "Dave Manager" --email dave@example.org \
	    --role case-manager --agency djcs &&
	as "Dave Manager" dave@example.org case-new -C "$S" --today 2026-03-01 \
	    --cohort sentenced ACT-0042
} >/dev/null 2>&1 || { echo "Bail out! cannot fill the store"; exit 1; }
dave_commit=$(git -C "$S" rev-parse HEAD)
n=$(commits "$S")

# --- set-roles
run registry -C "$S" set-roles dave --role case-manager,cmu-team-leader -m "Acting TL"
expect 0 "set-roles"
is "$(commits "$S")" "$((n + 1))" "... one commit"
is "$(git -C "$S" show HEAD:registry/operators.yaml | sed -n '/id: dave/,/agency/p' | grep -c 'cmu-team-leader')" \
    1 "... dave now holds cmu-team-leader"
is "$(trailer "$S" Action)" "set-roles" "... Action: set-roles"
run registry -C "$S" set-roles dave --role nonsense
expect 2 "an unknown role"
err_has "unknown role 'nonsense'" "... named"
run as "Dave Manager" dave@example.org registry -C "$S" set-roles dave --role administrator
expect 2 "a non-administrator giving himself a role"
run registry -C "$S" set-roles ada --role case-manager
expect 2 "the last administrator losing the role"
err_has "would leave no active administrator" "... refused with the reason"
is "$(commits "$S")" "$((n + 1))" "... no commit for the refusals"

# --- deactivate
run registry -C "$S" deactivate dave -m "Left the agency"
expect 0 "deactivate"
grep -A8 'id: dave' "$S/registry/operators.yaml" | grep -q 'active: false' &&
    ok "... active: false in the work tree too" || not_ok "... active: false in the work tree too"
run as "Dave Manager" dave@example.org case-event -C "$S" ACT-0042 reception --date 2026-03-02
expect 2 "a deactivated operator cannot write with the tools"
err_has "is the deactivated operator dave" "... says so"
before=$(git -C "$S" rev-parse HEAD)
run store-verify -C "$S" --quiet
expect 0 "the history verifies: dave's earlier commits stay valid"
git -C "$S" cat-file -e "$dave_commit" && ok "... dave's commit is still in the history" ||
    not_ok "... dave's commit is still in the history"

# a plain-git commit by the deactivated operator
B="$T/central.git"
git clone -q --bare "$S" "$B"
printf '#!/bin/sh\nexec store-verify --pre-receive\n' >"$B/hooks/pre-receive"
chmod +x "$B/hooks/pre-receive"
git -C "$S" remote add origin "$B"
git -C "$S" -c user.name="Dave Manager" -c user.email=dave@example.org commit -q \
    --allow-empty -m "case-event: ACT-0042 note

Case: ACT-0042
Tool: case-event 0.1.0"
h=$(git -C "$S" rev-parse HEAD | cut -c1-12)
run store-verify -C "$S" --quiet
expect 1 "a commit by the deactivated operator"
is "$(cat "$T/out")" "$h - inactive-author: the author <dave@example.org> is the operator dave, deactivated at the parent commit" \
    "... reported as inactive-author"
run git -C "$S" push -q origin main
check "... and refused by the hook" test "$rc" -ne 0
git -C "$S" reset -q --hard "$before"

run registry -C "$S" deactivate ada
expect 2 "the last active administrator cannot be deactivated"

# --- reactivate
run registry -C "$S" reactivate dave
expect 0 "reactivate"
run as "Dave Manager" dave@example.org case-event -C "$S" ACT-0042 reception --date 2026-03-02
expect 0 "a reactivated operator writes again"
run store-verify -C "$S" --quiet
expect 0 "the store verifies at the end"
clean "$S" "at the end"
is "$(commits "$S")" "$((n + 4))" "four commits in all: set-roles, deactivate, reactivate, the event"

done_testing

#!/usr/bin/env bash
# store-sync: two clones of a central bare repository (pre-receive hook:
# store-verify).  Pushing, fast-forwarding and merging keep every local
# commit as it was made (its id, author, message and trailers); the merge
# is by the operator who syncs; a same-record conflict is reported with
# both commits and both field changes, exit 1, nothing pushed, local
# branch unchanged; --set-aside merges the commits before the conflict and
# keeps the old branch; disclosure entries never conflict; a push the hook refuses (an
# unregistered author) is reported and nothing is lost; uncommitted
# edits in a path to update stop the sync before anything changes.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
{
	registry -C "$S" add-operator dave --name "Dave Manager" --email dave@example.org \
	    --role case-manager --agency djcs &&
	case-new -C "$S" --today 2026-01-01 --cohort sentenced SHARED A1 B1
} >/dev/null 2>&1 || { echo "Bail out! cannot fill the store"; exit 1; }

C="$T/central.git"
git clone -q --bare "$S" "$C"
printf '#!/bin/sh\nexec store-verify --pre-receive\n' >"$C/hooks/pre-receive"
chmod +x "$C/hooks/pre-receive"
git -C "$C" config receive.denyNonFastForwards true
X="$T/x"
Y="$T/y"
git clone -q "$C" "$X"
git clone -q "file://$C" "$Y"
central() { git -C "$C" rev-parse main; }
tip() { git -C "$1" rev-parse HEAD; }
dave() { as "Dave Manager" dave@example.org "$@"; }

# --- nothing to do
run store-sync -C "$X"
expect 0 "a fresh clone is in sync"
err_has "in sync with origin" "says so"
is "$(tip "$X")" "$(central)" "nothing moved"

# --- push, then fast-forward
case-event -C "$X" A1 engaged --date 2026-01-05 -m "x one" >/dev/null 2>&1
run store-sync -C "$X"
expect 0 "push a local commit"
is "$(central)" "$(tip "$X")" "the central repository has it"
err_has "pushed $(tip "$X" | cut -c1-12) to origin" "says what it pushed"
run store-sync -C "$Y" --quiet
expect 0 "fast-forward the other clone"
is "$(cat "$T/err")" "" "--quiet: no message"
is "$(tip "$Y")" "$(central)" "the other clone is at the central tip"
check "its work tree has the change" grep -q 'note: x one' "$Y/$(shard A1)/case.yaml"
clean "$Y" "after a fast-forward"

# --- merge: disjoint changes on both sides, the local commit kept as made
case-event -C "$X" A1 engaged --date 2026-01-06 -m "x two" >/dev/null 2>&1
store-sync -C "$X" -q
dave case-event -C "$Y" B1 engaged --date 2026-01-07 -m "y one" >/dev/null 2>&1
orig=$(tip "$Y")
run as Nobody nobody@example.org store-sync -C "$Y"
expect 2 "an unregistered operator may not sync"
err_has "git identity 'Nobody <nobody@example.org>' is not an active registered operator" "says who"
is "$(tip "$Y")" "$orig" "nothing moved"
is "$(central)" "$(tip "$X")" "nothing pushed"
run store-sync -C "$Y"
expect 0 "merge a local commit with a moved remote"
err_has "merged 1 local commit with origin's history" "says it merged one"
is "$(central)" "$(tip "$Y")" "pushed"
is "$(git -C "$Y" rev-list --parents -n 1 HEAD | wc -w | tr -d ' ')" 3 "the tip is a merge"
is "$(git -C "$Y" rev-parse HEAD^1)" "$(tip "$X")" "its first parent: the remote's tip"
is "$(git -C "$Y" rev-parse HEAD^2)" "$orig" "its second: the local commit, the very one made"
is "$(git -C "$Y" log -1 --format=%s HEAD)" \
    "store-sync: join 1 local commit with main at $(tip "$X" | cut -c1-12)" "the merge's subject"
is "$(trailer "$Y" Action)" "sync" "its Action trailer"
is "$(git -C "$Y" log -1 --format='%an <%ae>/%cn <%ce>')" \
    "Ada Admin <ada@example.org>/Ada Admin <ada@example.org>" \
    "the merge: author and committer the operator who ran the sync"
is "$(git -C "$Y" log -1 --format='%an <%ae>/%cn <%ce>' HEAD^2)" \
    "Dave Manager <dave@example.org>/Dave Manager <dave@example.org>" "the local commit: its own author"
is "$(git -C "$Y" log -1 --format='%(trailers:key=Reason,valueonly)' HEAD^2 | sed '/^$/d')" \
    "y one" "and its trailers"
check "the work tree has both changes" grep -q 'note: x two' "$Y/$(shard A1)/case.yaml"
clean "$Y" "after a merge"
run store-verify -C "$C" --quiet
expect 0 "the central history verifies"
run case-log -C "$Y" B1
expect 0 "case-log on a merged history"
out_has "$(echo "$orig" | cut -c1-12)" "shows the local commit itself"
out_has "Dave Manager" "by its author"
check "and not the merge" test "$(grep -c 'store-sync' "$T/out")" -eq 0
run case-log -C "$Y" A1
out_has "x two" "and the other clone's change of another case"

# --- a change of another record of a shared case does not conflict
store-sync -C "$X" -q
case-event -C "$X" SHARED sentence-commenced --date 2026-01-02 >/dev/null 2>&1
store-sync -C "$X" -q
assess-add -C "$Y" --today 2026-01-20 --date 2026-01-20 \
    --items 000000000000000000000000000000000000000000000000000000 SHARED lsi-r >/dev/null 2>&1
run store-sync -C "$Y"
expect 0 "two records of one case, one changed on each side"
is "$(central)" "$(tip "$Y")" "pushed"

# --- a same-record conflict
store-sync -C "$X" -q
case-event -C "$X" SHARED engaged --date 2026-01-21 -m "from x" >/dev/null 2>&1
store-sync -C "$X" -q
xc=$(tip "$X")
case-event -C "$Y" B1 engaged --date 2026-01-22 -m "y fine" >/dev/null 2>&1
dave case-event -C "$Y" SHARED engaged --date 2026-01-23 -m "from y" >/dev/null 2>&1
yc=$(tip "$Y")
case-event -C "$Y" SHARED engaged --date 2026-01-24 -m "y after" >/dev/null 2>&1
before=$(tip "$Y")
n=$(commits "$Y")
D=$(shard SHARED)
run store-sync -C "$Y"
expect 1 "a record changed on both sides"
out_has "conflict: case SHARED, record case ($D/case.yaml)" "names the case and record"
out_has "  local  $(echo "$yc" | cut -c1-12) case-event: SHARED engaged on 2026-01-23 (Dave Manager <dave@example.org>)" \
    "names the local commit and its author"
out_has "  remote $(echo "$xc" | cut -c1-12) case-event: SHARED engaged on 2026-01-21 (Ada Admin <ada@example.org>)" \
    "names the remote commit"
out_has "    events[1].note: (none) -> from y" "the local field change"
out_has "    events[1].note: (none) -> from x" "the remote field change"
is "$(grep -c '^conflict:' "$T/out")" 1 "one conflict"
err_has "nothing was pushed and the local branch is as it was" "says nothing changed"
is "$(tip "$Y")" "$before" "the local branch is untouched"
is "$(commits "$Y")" "$n" "every local commit is still there"
is "$(central)" "$xc" "the remote is unchanged"
clean "$Y" "after a conflict"

# --- uncommitted edits where the sync would write
echo "# draft" >>"$Y/$D/case.yaml"
run store-sync -C "$Y" --set-aside
expect 2 "uncommitted edits in a path to update"
err_has "has uncommitted changes" "says why"
is "$(tip "$Y")" "$before" "nothing moved"
check "no set-aside branch was made" test -z "$(git -C "$Y" branch --list 'set-aside/*')"
git -C "$Y" checkout -q -- "$D/case.yaml"

# --- --set-aside: the rest goes through, the old branch is kept
run store-sync -C "$Y" --set-aside
expect 0 "--set-aside"
out_has "conflict: case SHARED, record case ($D/case.yaml)" "the conflict is still reported"
sa=$(git -C "$Y" for-each-ref --format='%(refname:short)' 'refs/heads/set-aside/*')
check "a set-aside branch" test -n "$sa"
err_has "2 local commits set aside on branch $sa" "names it"
out_has "set aside: $(echo "$yc" | cut -c1-12) case-event: SHARED engaged on 2026-01-23 (conflicts)" \
    "lists the conflicting commit"
out_has "set aside: $(echo "$before" | cut -c1-12) case-event: SHARED engaged on 2026-01-24 (after a conflicting commit)" \
    "and the one after it"
is "$(git -C "$Y" rev-parse "$sa")" "$before" "it keeps the old local branch"
is "$(central)" "$(tip "$Y")" "the rest was pushed"
is "$(git -C "$Y" rev-parse HEAD^1)" "$xc" "... merged with the remote's commit"
is "$(git -C "$Y" log -1 --format='%(trailers:key=Reason,valueonly)' HEAD^2 | sed '/^$/d')" \
    "y fine" "the commit before the conflict went through"
check "the remote's version of the record" grep -q 'note: from x' "$Y/$D/case.yaml"
check "the local change is not in it" test "$(grep -c 'from y' "$Y/$D/case.yaml")" -eq 0
clean "$Y" "after --set-aside"
dave case-event -C "$Y" SHARED engaged --date 2026-01-23 -m "from y" >/dev/null 2>&1
run store-sync -C "$Y"
expect 0 "the redone change syncs"
git -C "$C" show "main:$D/case.yaml" >"$T/shared.yaml"
check "the central record has both changes" grep -q 'note: from y' "$T/shared.yaml"
check "... and the remote's" grep -q 'note: from x' "$T/shared.yaml"

# --- a push the hook refuses: an unregistered author
store-sync -C "$X" -q
good=$(central)
sed -i 's/^cohort: .*/cohort: remand/' "$X/$(shard B1)/case.yaml"
git -C "$X" -c user.name=Nobody -c user.email=nobody@example.org commit -q -am \
    "case-event: B1 hand edit" --trailer "Case: B1" --trailer "Tool: case-event 0.1.0"
bad=$(tip "$X")
run store-sync -C "$X"
expect 2 "a push the pre-receive hook refuses"
err_has "unregistered-author: the author <nobody@example.org> is not a registered operator" \
    "shows what the hook reported"
err_has "the remote refused the push; your commits stay in the local branch" "says nothing was lost"
is "$(central)" "$good" "the remote is unchanged"
is "$(tip "$X")" "$bad" "the local commit is still there"

# --- disclosure entries never conflict (VIC store)
V="$T/v"
new_store "$V" VIC || { echo "Bail out! cannot make a VIC store"; exit 1; }
{
	registry -C "$V" add-operator jlee --name "Jo Lee" --email jo@example.org \
	    --role case-manager --agency dffh &&
	case-new -C "$V" --cohort post-sentence VIC-0007
} >/dev/null 2>&1 || { echo "Bail out! cannot fill the VIC store"; exit 1; }
VC="$T/vic.git"
git clone -q --bare "$V" "$VC"
cp "$C/hooks/pre-receive" "$VC/hooks/pre-receive"
git clone -q "$VC" "$T/v1"
git clone -q "$VC" "$T/v2"
for c in v1 v2; do
	disclose-log -C "$T/$c" add VIC-0007 --to jlee --purpose csp --info "Draft CSP from $c" \
	    --date 2026-03-02T09:30:00+11:00 >/dev/null 2>&1
done
E=$(git -C "$T/v1" ls-files "$(shard VIC-0007)/disclosures")
is "$E" "$(git -C "$T/v2" ls-files "$(shard VIC-0007)/disclosures")" "both clones used one file name"
store-sync -C "$T/v1" -q
run store-sync -C "$T/v2"
expect 0 "two entries with one name"
err_has "1 disclosure entry given a free name" "says it renamed one"
is "$(git -C "$VC" ls-tree -r --name-only main "$(shard VIC-0007)/disclosures" | wc -l | tr -d ' ')" 2 \
    "the central register has both entries"
is "$(git -C "$VC" show "main:${E%-1.yaml}-2.yaml" | grep -c 'from v2')" 1 "the second under the next number"
run store-verify -C "$VC" --quiet
expect 0 "the central register verifies"
# a merge may carry that entry under a free name only byte for byte
F="$T/forge"
git clone -q --bare "$VC" "$F"
R2="${E%-1.yaml}-2.yaml"
blob=$(git -C "$F" show "main:$R2" | sed 's/from v2/from someone else/' | git -C "$F" hash-object -w --stdin)
GIT_INDEX_FILE="$T/forge.idx" git -C "$F" read-tree main
GIT_INDEX_FILE="$T/forge.idx" git -C "$F" update-index --cacheinfo "100644,$blob,$R2"
tree=$(GIT_INDEX_FILE="$T/forge.idx" git -C "$F" write-tree)
forged=$(git -C "$F" commit-tree "$tree" -p main^1 -p main^2 -m "store-sync: join 1 local commit")
git -C "$F" update-ref refs/heads/main "$forged"
run store-verify -C "$F" --since main^1
expect 1 "a merge that carries an altered entry under the free name"
out_has "$(echo "$forged" | cut -c1-12) $R2 merge-introduces" "is reported"
run disclose-log -C "$T/v2" verify
expect 0 "disclose-log verify in the clone"
clean "$T/v2" "after a renamed entry"

# --- usage
run store-sync -C "$Y" nope
expect 2 "an unknown remote"
err_has "no remote 'nope'" "names it"
run store-sync -C "$Y" -- -x
expect 2 "a remote name like an option"
run store-sync -C "$Y" origin extra
expect 2 "two remotes"

done_testing

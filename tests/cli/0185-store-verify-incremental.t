#!/usr/bin/env bash
# store-verify remembers a clean run in refs/casetrail/verified and checks
# only what is new after it: a problem hidden below the remembered commit
# is not reported again, --all and deleting the ref report it; a run with
# problems remembers nothing; a rewrite of the verified history is walked
# whole and said so; --since and the hook record nothing; a ref that can
# not be written, or names no commit, changes nothing but the time; the
# ref is never pushed or fetched by store-sync.
. "$(dirname "$0")/lib.sh"

REF=refs/casetrail/verified
S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
{
	case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 ACT-0043 &&
	case-event -C "$S" ACT-0042 sentence-commenced --date 2026-03-02
} >/dev/null 2>&1 || { echo "Bail out! cannot fill the store"; exit 1; }
n=$(commits "$S")
verified() { git -C "$S" rev-parse -q --verify "$REF" 2>/dev/null; }
head_() { git -C "$S" rev-parse HEAD; }
head12() { git -C "$S" rev-parse HEAD | cut -c1-12; }
event() { case-event -C "$S" ACT-0043 engaged --date "$1" >/dev/null 2>&1; }
# bad DATE: a valid hand edit of a case (an event) committed without
# trailers
bad() {
	printf '  - date: %s\n    type: engaged\n' "$1" >>"$S/$(shard ACT-0043)/case.yaml"
	git -C "$S" commit -q -am "by hand: $1"
}

# --- the first run checks everything and remembers the tip
run store-verify -C "$S" -q
expect 0 "a clean store"
is "$(cat "$T/out")$(cat "$T/err")" "" "no output"
is "$(verified)" "$(head_)" "the tip is remembered in $REF"
is "$(commits "$S")" "$n" "no commit"
clean "$S" "after a run that records"
is "$(git -C "$S" for-each-ref --format='%(refname)' refs/heads)" "refs/heads/main" \
    "no branch is made"

# --- new commits: checked, remembered
event 2026-03-05 && event 2026-03-06
run store-verify -C "$S" -q
expect 0 "two new clean commits"
is "$(verified)" "$(head_)" "the new tip is remembered"

# --- a new bad commit is reported, and nothing is remembered
v=$(verified)
bad 2026-03-20
h1=$(head12)
run store-verify -C "$S" -q
expect 1 "a new bad commit"
is "$(cat "$T/out")" "$h1 - no-trailers: the commit changes records but has no Tool: trailer
$h1 - case-mismatch: the commit changes case ACT-0043 but has no Case: trailer" \
    "its problems"
is "$(verified)" "$v" "a run with problems remembers nothing"
run store-verify -C "$S" -q
expect 1 "reported again on the next run"
is "$(wc -l <"$T/out")" "2" "the same two lines"

# --- a problem below the remembered commit is not walked again: the
# ref is what decides (set here by hand, as no clean run would)
event 2026-03-07
git -C "$S" update-ref "$REF" HEAD
run store-verify -C "$S" -q
expect 0 "the bad commit lies below the remembered one"
is "$(cat "$T/out")" "" "not reported: only new commits are walked"
run store-verify -C "$S" -q --all
expect 1 "--all walks every commit"
is "$(grep -c "^$h1 " "$T/out")" "2" "--all reports the old commit's problems"
is "$(verified)" "$(head_)" "--all with problems leaves the ref alone"
run store-verify -C "$S" -q --since "$h1~1"
expect 1 "--since keeps its meaning"
is "$(grep -c "^$h1 " "$T/out")" "2" "--since walks from the revision given"
git -C "$S" update-ref -d "$REF"
run store-verify -C "$S" -q
expect 1 "the ref deleted: everything is walked"
is "$(grep -c "^$h1 " "$T/out")" "2" "the old problems again"
check "nothing is remembered" test -z "$(verified)"

# --- a clean store again, for the rewrites
git -C "$S" reset -q --hard "$v"
run store-verify -C "$S" -q
expect 0 "back at the clean tip"
is "$(verified)" "$v" "remembered"

# --- a rewrite of verified history: walked whole and said so
git -C "$S" reset -q --hard HEAD~1
bad 2026-03-21
h2=$(head12)
run store-verify -C "$S" -q
expect 1 "a rewritten history with a bad commit"
is "$(grep -c "^$h2 " "$T/out")" "2" "the bad commit is caught"
err_has "store-verify: the last verified commit $(printf %s "$v" | cut -c1-12) is not in the history of main (rewritten, or set aside): every commit was checked" \
    "the rewrite is said, even with --quiet"
is "$(verified)" "$v" "nothing remembered"
# a rewrite that changes an old commit's message: the commit and all
# after it are new, and checked
git -C "$S" reset -q --hard "$v"
GIT_SEQUENCE_EDITOR="sed -i '1s/^pick/reword/'" EDITOR="sed -i '/^Tool:/d'" \
    git -C "$S" rebase -q -i "$v~2" >/dev/null 2>&1
old=$(git -C "$S" rev-parse HEAD~1 | cut -c1-12)
check "the rebase removed the trailer" test -z "$(trailer "$S" Tool HEAD~1)"
run store-verify -C "$S" -q
expect 1 "an old commit's trailer removed by a rebase"
out_has "$old - no-trailers:" "the rewritten commit is reported"
err_has "is not in the history of main" "the rewrite is said"
git -C "$S" reset -q --hard "$v"

# a clean rewrite is walked whole, then remembered
git -C "$S" reset -q --hard HEAD~1
event 2026-03-09
run store-verify -C "$S"
expect 0 "a clean rewritten history"
err_has "is not in the history of main" "said"
is "$(verified)" "$(head_)" "the new tip is remembered"

# --- a ref that names no commit, or garbage: a whole walk
git -C "$S" update-ref --no-deref "$REF" "$(git -C "$S" rev-parse HEAD:casetrail.yaml)" 2>/dev/null ||
    printf '%s\n' "$(git -C "$S" rev-parse HEAD:casetrail.yaml)" >"$S/.git/$REF"
run store-verify -C "$S" -q
expect 0 "the ref names a blob"
err_has "every commit was checked" "walked whole, and said"
is "$(verified)" "$(head_)" "then the tip is remembered"
printf 'garbage\n' >"$S/.git/$REF"
run store-verify -C "$S" -q
expect 0 "the ref file is damaged"
err_has "store-verify: $REF can not be read: every commit was checked, and nothing is remembered until it is deleted" \
    "walked whole, and said"
rm "$S/.git/$REF"
run store-verify -C "$S" -q
expect 0 "the damaged ref deleted"
is "$(verified)" "$(head_)" "then the tip is remembered"

# --- a ref that can not be written: the run stands, nothing recorded
event 2026-03-10
v=$(verified)
: >"$S/.git/$REF.lock"
run store-verify -C "$S" -q
expect 0 "the ref is locked"
is "$(cat "$T/out")$(cat "$T/err")" "" "nothing said"
is "$(verified)" "$v" "nothing recorded"
rm -f "$S/.git/$REF.lock"
if [ "$(id -u)" -ne 0 ]; then
	chmod -R a-w "$S/.git"
	run store-verify -C "$S" -q
	expect 0 "a read-only store"
	is "$(verified)" "$v" "a read-only store: nothing recorded"
	chmod -R u+w "$S/.git"
else
	ok "# SKIP read-only store: running as root"
	ok "# SKIP read-only store: running as root"
fi

# --- usage
run store-verify -C "$S" --all --since HEAD~1
expect 2 "--all and --since together"
run store-verify -C "$S" --all --pre-receive
expect 2 "--all and --pre-receive together"

# --- the hook records nothing in the central repository; store-sync
# neither pushes nor fetches the ref
C="$T/central.git"
git clone -q --bare "$S" "$C"
printf '#!/bin/sh\nexec store-verify --pre-receive\n' >"$C/hooks/pre-receive"
chmod +x "$C/hooks/pre-receive"
X="$T/x"
git clone -q "$C" "$X"
case-event -C "$X" ACT-0042 engaged --date 2026-03-11 >/dev/null 2>&1
run store-verify -C "$X" -q
expect 0 "a clone verifies"
check "the clone remembers its tip" git -C "$X" rev-parse -q --verify --quiet "$REF" >/dev/null
run store-sync -C "$X" -q
expect 0 "store-sync pushes the commit through the hook"
is "$(git -C "$C" rev-parse main)" "$(git -C "$X" rev-parse HEAD)" "pushed"
is "$(git -C "$C" for-each-ref refs/casetrail)" "" \
    "neither the hook nor store-sync put a ref under refs/casetrail in the central repository"
git -C "$S" remote add origin "$C"
run store-sync -C "$S" -q
expect 0 "the first store syncs from the central repository"
is "$(git -C "$S" rev-parse HEAD)" "$(git -C "$C" rev-parse main)" "it has the clone's commit"
is "$(verified)" "$v" "the fetch does not touch the store's own ref"
is "$(git -C "$S" for-each-ref --format='%(refname)' | grep -c verified)" "1" \
    "no other verified ref is fetched"
clean "$S" "at the end"

echo "1..$tap_n"
[ "$tap_failed" -eq 0 ]

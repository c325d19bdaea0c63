#!/usr/bin/env bash
# store-init: layout, first commit, refusals, no identity.
. "$(dirname "$0")/lib.sh"

run store-init --help
expect 0 "--help"
out_has "usage: store-init" "--help prints the synopsis"

run store-init -C "$T/s" --jurisdiction ACT
expect 0 "new ACT store"
for f in casetrail.yaml registry/agencies.yaml registry/operators.yaml rules/deadlines.yaml; do
	check "$f exists at HEAD" git -C "$T/s" cat-file -e "HEAD:$f"
done
is "$(commits "$T/s")" 1 "one first commit"
is "$(git -C "$T/s" symbolic-ref HEAD)" refs/heads/main "branch is main"
is "$(trailer "$T/s" Action)" init "Action: init trailer"
is "$(trailer "$T/s" Tool)" "store-init 0.1.0" "Tool trailer"
is "$(git -C "$T/s" log -1 --format=%s)" "store-init: new store" "subject"
check "settings name the jurisdiction" grep -qx "jurisdiction: ACT" "$T/s/casetrail.yaml"
check "ACT default time zone" grep -qx "timezone: Australia/Canberra" "$T/s/casetrail.yaml"
clean "$T/s" "after init"
check "git fsck accepts the store" git -C "$T/s" fsck --strict --no-progress

run store-init -C "$T/s" --jurisdiction ACT
expect 2 "init over an existing store"
err_has "already a git repository" "says why"
is "$(commits "$T/s")" 1 "no commit added"

mkdir -p "$T/full" && echo x >"$T/full/file"
run store-init -C "$T/full" --jurisdiction VIC
expect 2 "non-empty directory"
err_has "not empty" "says the directory is not empty"
check "nothing created in it" test ! -e "$T/full/.git"

run store-init -C "$T/v" --jurisdiction VIC --timezone Australia/Melbourne
expect 0 "VIC store with a time zone"
check "VIC settings" grep -qx "jurisdiction: VIC" "$T/v/casetrail.yaml"

run store-init -C "$T/bad" --jurisdiction NSW
expect 2 "unknown jurisdiction"
check "nothing created" test ! -e "$T/bad"

run store-init -C "$T/tz" --jurisdiction ACT --timezone Mars/Olympus
expect 2 "unknown time zone"
err_has "Mars/Olympus" "names the zone"
check "nothing created for a bad zone" test ! -e "$T/tz"

run store-init -C "$T/noj"
expect 2 "missing --jurisdiction"

HOME="$T/nohome" run store-init -C "$T/anon" --jurisdiction ACT
expect 2 "no git identity"
err_has "user.email" "names the missing setting"
check "nothing created without identity" test ! -e "$T/anon"

# CASETRAIL_STORE names the directory when -C is absent
CASETRAIL_STORE="$T/env" run store-init --jurisdiction ACT
expect 0 "store from \$CASETRAIL_STORE"
check "created there" test -f "$T/env/casetrail.yaml"

done_testing

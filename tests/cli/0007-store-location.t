#!/usr/bin/env bash
# The store is -C, else $CASETRAIL_STORE, else the store of the current
# directory (0132); -C names no enclosing repository, and GIT_DIR /
# GIT_WORK_TREE are never used.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$S" --cohort sentenced ACT-1 2>/dev/null

(cd "$S" && run case-show --path ACT-1; echo "$rc" >"$T/rc")
is "$(cat "$T/rc")" 0 "current directory is the store"
CASETRAIL_STORE="$S" run case-show --path ACT-1
expect 0 "\$CASETRAIL_STORE names the store"

mkdir -p "$S/cases/sub"
(cd "$S/cases/sub" && run case-show --path ACT-1; echo "$rc" >"$T/rc")
is "$(cat "$T/rc")" 0 "from a subdirectory, the store above it (0132)"
run case-show -C "$S/cases" --path ACT-1
expect 2 "-C names the store itself, not a directory in it"
rmdir "$S/cases/sub"

git init -q "$T/other"
GIT_DIR="$T/other/.git" GIT_WORK_TREE="$T/other" run case-show -C "$S" --path ACT-1
expect 0 "GIT_DIR and GIT_WORK_TREE are ignored"
n=$(commits "$S")
GIT_DIR="$T/other/.git" run case-event -C "$S" ACT-1 engaged --date 2026-01-09
expect 0 "write with GIT_DIR set"
is "$(commits "$S")" "$((n + 1))" "the commit went to the store"
check "not to GIT_DIR" bash -c "! git -C '$T/other' rev-parse -q --verify HEAD"

mkdir -p "$T/other/inner"
run case-show -C "$T/other/inner" --path ACT-1
expect 2 "an enclosing repository is not used"
err_has "not a casetrail store" "says so"
run case-show -C "$T/other" --path ACT-1
expect 2 "a git repository that is not a store"
run case-show -C "$T/missing" --path ACT-1
expect 2 "a missing directory"
clean "$S" "at the end"

done_testing

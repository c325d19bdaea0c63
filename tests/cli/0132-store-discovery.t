#!/usr/bin/env bash
# Store discovery: run from cases/ or deeper, the tools find the store as
# git finds a repository, and write to it.  The search stops at the first
# repository: one that is not a casetrail store is named, with -C as the
# way out, and never skipped to reach a store further up.  It never starts
# inside a .git directory or a bare repository, never follows GIT_DIR, and
# -C or $CASETRAIL_STORE name exactly the store.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT &&
    case-new -C "$S" --today 2026-01-02 --cohort sentenced ACT-1 2>/dev/null ||
    { echo "Bail out! cannot make a store with a case"; exit 1; }
n=$(commits "$S") D="$S/$(shard ACT-1)"

# run_at DIR CMD...: run CMD in DIR
run_at() {
	local dir=$1
	shift
	pushd "$dir" >/dev/null || return
	run "$@"
	popd >/dev/null || return
}

run_at "$S/cases" case-show --path ACT-1
expect 0 "from cases/"
is "$(cat "$T/out")" "$(shard ACT-1)" "finds the store"
run_at "$D" case-show --path ACT-1
expect 0 "from a case directory"
run_at "$D" case-event ACT-1 engaged --date 2026-01-09
expect 0 "a writer from a case directory"
is "$(commits "$S")" "$((n + 1))" "one commit to the store"
n=$((n + 1))
clean "$S" "after the write"
run_at "$D" env GIT_DIR="$T/nowhere/.git" case-show --path ACT-1
expect 0 "GIT_DIR is ignored"

# a repository that is not a store stops the search
git init -q "$T/other"
mkdir -p "$T/other/a/b"
run_at "$T/other/a/b" case-show --path ACT-1
expect 2 "inside a repository that is not a store"
err_has "case-show: $T/other/: not a casetrail store; use -C DIR or run store-init" \
    "names the repository found and -C"
mkdir -p "$T/none"
run_at "$T/none" case-show --path ACT-1
expect 2 "in no repository"
err_has "not a casetrail store (not a git repository); use -C DIR or run store-init" \
    "says so, naming -C"
git init -q "$S/nested"
mkdir -p "$S/nested/deeper"
run_at "$S/nested/deeper" case-show --path ACT-1
expect 2 "a repository inside a store's work tree"
err_has "$S/nested/: not a casetrail store" "is not skipped to reach the store"
rm -rf "$S/nested"

# never from inside a git directory or a bare repository
run_at "$S/.git/refs" case-show --path ACT-1
expect 2 "from inside .git"
err_has "not in the work tree of a casetrail store; use -C DIR" "says so"
git clone -q --bare "$S" "$T/b.git"
run_at "$T/b.git" store-verify -q
expect 0 "a bare store, at its top (a hook's directory)"
run_at "$T/b.git/refs" store-verify -q
expect 2 "below the top of a bare store"

# a named store is exactly that directory
run_at "$D" case-show -C "$D" --path ACT-1
expect 2 "-C a directory inside a store"
run_at "$S/cases" env CASETRAIL_STORE="$S/cases" case-show --path ACT-1
expect 2 "\$CASETRAIL_STORE a directory inside a store"
run_at "$T/other" case-show -C "$S" --path ACT-1
expect 0 "-C the store from inside another repository"

is "$(commits "$S")" "$n" "no other commit"
clean "$S" "at the end"
done_testing

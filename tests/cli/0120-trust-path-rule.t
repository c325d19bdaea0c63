#!/usr/bin/env bash
# The path rule (DESIGN.md §2, casetrail(7)) against hostile trees made
# with git plumbing by a registered author: entries named "..", ".git",
# ".GIT", "git~1", a symbolic link, a gitlink, an executable record, a
# ghost case in a shard not its own, a case.yaml naming another case and
# a file outside the layout.  Each is reported by store-verify with its
# rule and refused by the pre-receive hook of a central repository;
# deadline-check reports misplaced records and skips them.  Then the
# work-tree writer: a symlinked case directory, a symlinked cmp/, a
# symlinked record and temporaries planted at the old predictable names
# never redirect a write.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
{
	case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 &&
	case-event -C "$S" ACT-0042 sentence-commenced --date 2026-03-02 &&
	assess-add -C "$S" --today 2026-03-30 --date 2026-03-30 \
	    --items 000000000000000000000000000000000000000000000000000000 ACT-0042 lsi-r
} >/dev/null 2>&1 || { echo "Bail out! cannot fill the store"; exit 1; }
D=$(shard ACT-0042)
good=$(git -C "$S" rev-parse HEAD)
n=$(commits "$S")

# the central repository, with the hook
B="$T/central.git"
git clone -q --bare "$S" "$B"
printf '#!/bin/sh\nexec store-verify --pre-receive\n' >"$B/hooks/pre-receive"
chmod +x "$B/hooks/pre-receive"
git -C "$S" remote add origin "$B"

MSG="case-event: ACT-0042 note

Case: ACT-0042
Tool: case-event 0.1.0"

# commit_tree TREE [MESSAGE]: a commit on top of main, not on a branch
commit_tree() { git -C "$S" commit-tree "$1" -p "$good" -m "${2:-$MSG}"; }

# root_plus LINE: main's tree with one more root entry (mktree line)
root_plus() {
	local t
	t=$({ git -C "$S" ls-tree "$good"; printf '%s\n' "$1"; } | git -C "$S" mktree)
	commit_tree "$t" "${2:-}"
}

# index_plus MODE OBJECT PATH [MESSAGE]: main's tree with one entry more
# or replaced, through a private index (for names git itself allows)
index_plus() {
	local idx="$T/index.$$" t
	rm -f "$idx"
	GIT_INDEX_FILE=$idx git -C "$S" read-tree "$good"
	GIT_INDEX_FILE=$idx git -C "$S" update-index --add --cacheinfo "$1,$2,$3"
	t=$(GIT_INDEX_FILE=$idx git -C "$S" write-tree)
	rm -f "$idx"
	commit_tree "$t" "${4:-}"
}

blob=$(printf 'pwned\n' | git -C "$S" hash-object -w --stdin)
sub=$(printf '100644 blob %s\tpwned\n' "$blob" | git -C "$S" mktree)
hook_src=$(printf '#!/bin/sh\ntouch "%s/hooked"\n' "$T" | git -C "$S" hash-object -w --stdin)
hooks=$(printf '100755 blob %s\tpost-merge\n' "$hook_src" | git -C "$S" mktree)
dotgit=$(printf '040000 tree %s\thooks\n' "$hooks" | git -C "$S" mktree)
case_blob=$(git -C "$S" rev-parse "$good:$D/case.yaml")

# refused C RULE PATH DESC: store-verify reports PATH under RULE for
# commit C, and a push of C to the central repository is refused
refused() {
	local c=$1 rule=$2 path=$3 desc=$4 h
	h=$(printf %s "$c" | cut -c1-12)
	git -C "$S" update-ref refs/heads/main "$c"
	run store-verify -C "$S" --quiet
	expect 1 "$desc: store-verify"
	out_has "$h $path $rule: " "$desc: reported as $rule"
	git -C "$S" update-ref refs/heads/main "$good"
	run git -C "$S" push -q origin "$c:refs/heads/main"
	check "$desc: the hook refuses the push" test "$rc" -ne 0
	err_has "$h $path $rule: " "$desc: the hook names it"
	is "$(git -C "$B" rev-parse main)" "$good" "$desc: the central main is unchanged"
}

refused "$(root_plus "040000 tree $sub	..")" bad-path "../pwned" "an entry named .."
refused "$(root_plus "040000 tree $dotgit	.git")" bad-path ".git/hooks/post-merge" \
    "an entry named .git"
refused "$(root_plus "040000 tree $dotgit	.GIT")" bad-path ".GIT/hooks/post-merge" \
    "an entry named .GIT"
refused "$(root_plus "040000 tree $sub	git~1")" bad-path "git~1/pwned" \
    "an entry named git~1"
refused "$(root_plus "040000 tree $sub	.git. ")" bad-path ".git. /pwned" \
    "an entry named '.git. '"
link=$(printf '/etc/passwd' | git -C "$S" hash-object -w --stdin)
refused "$(index_plus 120000 "$link" "$D/csp.yaml")" bad-path "$D/csp.yaml" \
    "a symbolic link"
refused "$(index_plus 160000 "$good" "$D/cmp")" bad-path "$D/cmp" "a gitlink"
refused "$(index_plus 100755 "$case_blob" "$D/case.yaml")" bad-path "$D/case.yaml" \
    "an executable record"
ghost=$(git -C "$S" cat-file blob "$case_blob" | sed 's/^id: .*/id: GHOST/' |
    git -C "$S" hash-object -w --stdin)
GMSG="case-new: GHOST

Case: GHOST
Tool: case-new 0.1.0"
ghost_c=$(index_plus 100644 "$ghost" "cases/00/GHOST/case.yaml" "$GMSG")
refused "$ghost_c" misplaced-record "cases/00/GHOST/case.yaml" "a ghost case in shard 00"
OTHER=$(shard ACT-0099)
XMSG="case-new: ACT-0099

Case: ACT-0099
Tool: case-new 0.1.0"
other_c=$(index_plus 100644 "$case_blob" "$OTHER/case.yaml" "$XMSG")
refused "$other_c" misplaced-record "$OTHER/case.yaml" \
    "a case.yaml whose id names another case"
refused "$(index_plus 100644 "$blob" "$D/notes.txt")" misplaced-record "$D/notes.txt" \
    "a file outside the layout"
esc=$(printf 'x\033[2Jy')
refused "$(root_plus "100644 blob $blob	$esc")" bad-path 'x\x1b[2Jy' \
    "a name with an escape sequence"
run store-verify -C "$S" --quiet
if grep -q "$(printf '\033')" "$T/out" "$T/err"; then
	not_ok "no raw ESC in store-verify's output"
else ok "no raw ESC in store-verify's output"; fi

# --- deadline-check reports a misplaced case and skips it
for c in "$ghost_c" "$other_c"; do
	git -C "$S" update-ref refs/heads/main "$c"
	run deadline-check -C "$S" --today 2026-04-01 --status all --format csv
	expect 2 "deadline-check on a misplaced case"
	err_has "misplaced-record" "... says so on stderr"
	is "$(grep -c ',ACT-0042,' "$T/out")" \
	    "$(git -C "$S" update-ref refs/heads/main "$good"; deadline-check -C "$S" \
	    --today 2026-04-01 --status all --format csv | grep -c ',ACT-0042,')" \
	    "... and reports ACT-0042 once, not twice"
	if grep -q 'GHOST\|ACT-0099' "$T/out"; then
		not_ok "... and nothing under the wrong id"
	else ok "... and nothing under the wrong id"; fi
done
git -C "$S" update-ref refs/heads/main "$good"
run store-verify -C "$S" --quiet
expect 0 "main itself still verifies"
is "$(commits "$S")" "$n" "no commit made on main"
clean "$S" "after the hostile trees"
check "nothing was written outside the store" test ! -e "$T/pwned"
check "no hook was planted" test ! -e "$T/hooked"

# --- the work-tree writer never writes through a symbolic link
OUT="$T/outside"
mkdir -p "$OUT"
echo sentinel >"$OUT/case.yaml"
mv "$S/$D" "$T/real-case"
ln -s "$OUT" "$S/$D"
h=$(git -C "$S" rev-parse HEAD)
run case-event -C "$S" ACT-0042 reception --date 2026-03-05
expect 2 "a write to a case whose directory is a symbolic link"
err_has "$D is a symbolic link" "... names the link"
is "$(cat "$OUT/case.yaml")" "sentinel" "... the file outside is untouched"
is "$(git -C "$S" rev-parse HEAD)" "$h" "... no commit"
rm "$S/$D"
mv "$T/real-case" "$S/$D"

mkdir -p "$OUT/cmp"
ln -s "$OUT/cmp" "$S/$D/cmp"
run cmp-new -C "$S" --today 2026-04-02 --kind custodial \
    -f "$CT_FIXTURES/cmp/custodial-act-0042.yaml" ACT-0042
expect 2 "a new plan when cmp/ is a symbolic link"
err_has "$D/cmp is a symbolic link" "... names the link"
check "... nothing written through it" test -z "$(ls -A "$OUT/cmp")"
is "$(git -C "$S" rev-parse HEAD)" "$h" "... no commit"
rm "$S/$D/cmp"

mv "$S/$D/case.yaml" "$T/case.yaml"
ln -s "$OUT/case.yaml" "$S/$D/case.yaml"
run case-event -C "$S" ACT-0042 reception --date 2026-03-05
expect 2 "a write to a record that is a symbolic link"
is "$(cat "$OUT/case.yaml")" "sentinel" "... the file it points at is untouched"
rm "$S/$D/case.yaml"
mv "$T/case.yaml" "$S/$D/case.yaml"
clean "$S" "after the refused writes"

# temporaries at the names an older writer used: <record>.ct-tmp-<pid>
next=$(sh -c 'echo $$')
for p in $(seq "$next" $((next + 300))); do
	ln -s "$OUT/case.yaml" "$S/$D/case.yaml.ct-tmp-$p"
done
run case-event -C "$S" ACT-0042 reception --date 2026-03-05
expect 0 "a write beside planted temporary links"
is "$(cat "$OUT/case.yaml")" "sentinel" "... the file they point at is untouched"
check "... the record is a regular file" test -f "$S/$D/case.yaml" -a ! -L "$S/$D/case.yaml"
check "... it holds the new event" grep -q reception "$S/$D/case.yaml"
rm -f "$S/$D"/case.yaml.ct-tmp-*
clean "$S" "after the write"
is "$(commits "$S")" "$((n + 1))" "one commit in all"
run store-verify -C "$S" --quiet
expect 0 "the store verifies at the end"

done_testing

#!/usr/bin/env bash
# Witnessed checkpoints (store-checkpoint(1)): a signed tag "main was at C
# at time T" by the operator who runs it, under refs/checkpoints/; git
# verify-tag accepts it with the store's allowed signers.  A rewrite of a
# disclosure older than the checkpoint -- amended, the later commits
# replayed and re-signed with their authors kept -- is a history every
# commit check accepts, but store-verify --since-checkpoint reports it
# (checkpoint-rewritten), and store-sync in a clone that holds the
# checkpoint refuses the rewritten central repository (exit 2, both
# commits named).
. "$(dirname "$0")/lib.sh"

ssh_keys ada
S="$T/s"
{
	signing_store "$S" &&
	case-new -C "$S" --today 2026-03-01 --cohort post-sentence VIC-0007 &&
	disclose-log -C "$S" add VIC-0007 --to djcs --purpose csp \
	    --info "CSP summary" --date 2026-03-02
} >/dev/null 2>"$T/setup.err" || { echo "Bail out! cannot make the store: $(head -3 "$T/setup.err")"; exit 1; }
C="$T/central.git"
git clone -q --bare "$S" "$C"
git -C "$S" remote add origin "$C"
git -C "$S" fetch -q origin

run store-checkpoint -C "$S" -m "nightly, office 1"
expect 0 "store-checkpoint"
ref=$(cut -d' ' -f1 "$T/out")
at=$(cut -d' ' -f2 "$T/out")
is "$at" "$(git -C "$S" rev-parse main)" "names main's commit"
case $ref in refs/checkpoints/ada/20[0-9][0-9][01][0-9][0-3][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z) ok "ref refs/checkpoints/<operator>/<time>" ;; *) not_ok "ref refs/checkpoints/<operator>/<time>" "got $ref" ;; esac
is "$(git -C "$S" cat-file -t "$ref")" "tag" "a tag object"
is "$(git -C "$S" rev-parse "$ref^{commit}")" "$at" "of main's commit"
check "its message says so" sh -c "git -C '$S' cat-file tag '$ref' | grep -q 'casetrail checkpoint: main at $at'"
check "with the note" sh -c "git -C '$S' cat-file tag '$ref' | grep -qx 'nightly, office 1'"
git -C "$S" config gpg.ssh.allowedSignersFile "$S/registry/allowed_signers"
run git -C "$S" verify-tag "$ref"
expect 0 "git verify-tag accepts its signature"
run store-checkpoint -C "$S" --list
out_has "$(printf '%.12s' "$at")  ada@example.org  $ref  signed" "--list shows it"
run store-verify -C "$S" --quiet --since-checkpoint
expect 0 "store-verify --since-checkpoint: main holds it"
run as "Eve Unknown" eve@example.org store-checkpoint -C "$S"
expect 2 "an unregistered writer makes none"

# the central repository's hook takes a checkpoint, never a moved one
printf '#!/bin/sh\nexec store-verify --pre-receive\n' >"$C/hooks/pre-receive"
chmod +x "$C/hooks/pre-receive"
case-event -C "$S" --today 2026-03-03 VIC-0007 order-made --order supervision --date 2026-03-03 >/dev/null 2>&1
run store-sync -C "$S"
expect 0 "office 1 syncs"
is "$(git -C "$C" rev-parse "$ref" 2>/dev/null)" "$(git -C "$S" rev-parse "$ref")" "... and its checkpoint is in the central repository"
run git -C "$S" push origin "+main:$ref"
expect 1 "the hook refuses a checkpoint moved"
err_has "checkpoint-refused: a checkpoint is never moved or removed" "... saying so"
run git -C "$S" push origin ":$ref"
expect 1 "the hook refuses a checkpoint removed"
git -C "$S" tag -a -m "fake" fake main
run git -C "$S" push origin "fake:refs/checkpoints/ada/20990101T000000Z"
expect 1 "the hook refuses an unsigned tag as a checkpoint"
err_has "checkpoint-refused" "... as checkpoint-refused"
run git -C "$S" push origin "$ref:refs/checkpoints/bob/20990101T000000Z"
expect 1 "the hook refuses a checkpoint under another operator's name"
err_has "but its ref names the operator bob" "... saying whose it is"

# a second clone (office 2) syncs: it holds the central checkpoints too
B="$T/b"
git clone -q "$C" "$B"
run store-sync -C "$B"
expect 0 "office 2 syncs"
check "... and holds office 1's checkpoint" git -C "$B" rev-parse -q --verify "refs/remotes/origin/checkpoints/${ref#refs/checkpoints/}" >/dev/null
run store-verify -C "$B" --quiet --since-checkpoint
expect 0 "office 2's main holds it"

# whoever controls the central repository rewrites the disclosure (older
# than the checkpoint), re-signing every commit with the authors kept
R="$T/r"
git clone -q "$C" "$R"
git -C "$R" config user.signingkey "$K/ada"
git -C "$R" config gpg.format ssh
dis=$(git -C "$R" log --format=%H -1 --grep "disclose-log")
git -C "$R" checkout -q -b rw "$dis~1"
git -C "$R" cherry-pick -S "$dis" >/dev/null 2>&1
f=$(git -C "$R" show --name-only --format= HEAD | grep disclosures/)
sed -i 's/CSP summary/Nothing disclosed/' "$R/$f"
git -C "$R" commit -q -S --amend -a --no-edit
git -C "$R" cherry-pick -S "$dis..main" >/dev/null 2>&1
rm "$C/hooks/pre-receive"    # the central repository's owner
git -C "$R" push -q --force "$C" rw:main 2>/dev/null
check "the central history is rewritten" test "$(git -C "$C" rev-parse main)" != "$(git -C "$S" rev-parse main)"
check "... the disclosure says otherwise now" sh -c "git -C '$C' show 'main:$f' | grep -q 'Nothing disclosed'"
is "$(git -C "$C" log -1 --format='%an <%ae>' main)" "Ada Admin <ada@example.org>" "... the authors kept"

# every commit of the rewrite passes the checks of each commit
git clone -q "$C" "$T/fresh"
run store-verify -C "$T/fresh" --quiet
expect 0 "store-verify alone accepts the rewritten history"

# office 2 holds the checkpoint (fetched): store-sync refuses
n=$(git -C "$B" rev-parse main)
run store-sync -C "$B"
expect 2 "store-sync refuses a remote that does not hold the checkpoint"
err_has "nothing was changed" "... nothing changed"
is "$(git -C "$B" rev-parse main)" "$n" "nothing changed"
# a clone that never synced before, given the checkpoint (an auditor's):
# store-sync refuses by the checkpoint alone, naming both commits
git -C "$T/fresh" fetch -q "$S" "$ref:$ref"
run store-sync -C "$T/fresh"
expect 2 "store-sync refuses by the checkpoint"
err_has "origin/main $(git -C "$C" rev-parse --short=12 main) does not hold the checkpoint $ref by <ada@example.org>, which says main was at $(printf '%.12s' "$at")" "names both commits"
run store-verify -C "$T/fresh" --quiet --since-checkpoint
expect 1 "store-verify --since-checkpoint reports the rewrite"
out_has "$ref checkpoint-rewritten: the checkpoint by <ada@example.org> says main was at $at" "checkpoint-rewritten"

done_testing

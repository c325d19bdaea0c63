#!/usr/bin/env bash
# store-sync at the trust boundary: a central bare repository (pre-receive
# hook: store-verify) and clones of it.  Each sync remembers the remote's
# tip in refs/casetrail/synced/origin; a remote whose history was
# rewritten (commits made anew, the branch forced back) is refused with
# both commits named, exit 2, and nothing changed, until the documented
# steps accept it.  A remote commit that fails store-verify's checks (an
# unregistered author, through a central repository without its hook) is
# refused with store-verify's line, exit 2, and nothing changed, until the
# remote is corrected.  A remote tree entry ".." or ".GIT" is refused by
# git's checks of what it fetched or, with the objects already there, by
# store-verify's path rule: nothing appears beside the clone or in its
# .git; so is a symlink entry.  A store whose git configuration names programs
# (fsmonitor, hooks, uploadpack, receivepack, alternateRefsCommand, an
# ext:: remote, an ssh command) and an environment that points git
# elsewhere (GIT_CONFIG_PARAMETERS, GIT_CONFIG_COUNT, GIT_EXEC_PATH,
# GIT_DIR) run none of them, and the sync still works; plain git, given
# the same, runs them.  Over ssh, the user's own ssh command
# (GIT_SSH_COMMAND, else git config --global) runs.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
{
	registry -C "$S" add-operator dave --name "Dave Manager" --email dave@example.org \
	    --role case-manager --agency djcs &&
	case-new -C "$S" --today 2026-01-01 --cohort sentenced A1 B1
} >/dev/null 2>&1 || { echo "Bail out! cannot fill the store"; exit 1; }

C="$T/central.git"
git clone -q --bare "$S" "$C"
printf '#!/bin/sh\nexec store-verify --pre-receive\n' >"$C/hooks/pre-receive"
chmod +x "$C/hooks/pre-receive"
git -C "$C" config receive.denyNonFastForwards true
A="$T/a"
B="$T/sentinel/b"   # alone in its directory: nothing may appear beside it
mkdir "$T/sentinel"
git clone -q "$C" "$A"
git clone -q "$C" "$B"
central() { git -C "$C" rev-parse main; }
tip() { git -C "$1" rev-parse "${2:-HEAD}"; }
short() { printf %s "$1" | cut -c1-12; }
synced() { git -C "$1" rev-parse -q --verify refs/casetrail/synced/origin; }
not_ancestor() { ! git -C "$1" merge-base --is-ancestor "$2" "$3"; }
event() { case-event -C "$1" "$2" engaged --date "$3" -m "$4" >/dev/null 2>&1; }

# --- the remote's tip is remembered after each sync
check "a fresh clone remembers nothing yet" test -z "$(synced "$B")"
run store-sync -C "$B"
expect 0 "a fresh clone in sync"
is "$(synced "$B")" "$(central)" "remembers the remote's tip"
event "$A" A1 2026-01-05 "from a"
run store-sync -C "$A"
expect 0 "a push"
is "$(synced "$A")" "$(tip "$A")" "remembers the tip it pushed"
is "$(central)" "$(tip "$A")" "which is the remote's"
run store-sync -C "$B"
expect 0 "a fast-forward"
is "$(synced "$B")" "$(central)" "remembers the tip it moved to"

# --- a rewritten remote
# An administrator makes the last two commits of the central main anew,
# as git rebase or git commit --amend would: same trees, authors and
# messages, new ids.  Every commit still verifies.
event "$A" B1 2026-01-06 "second from a"
store-sync -C "$A" -q
store-sync -C "$B" -q
old=$(central)
# again COMMIT PARENT: COMMIT made anew on PARENT
again() {
	git -C "$C" log -1 --format=%B "$1" |
	    GIT_AUTHOR_NAME=$(git -C "$C" log -1 --format=%an "$1") \
	    GIT_AUTHOR_EMAIL=$(git -C "$C" log -1 --format=%ae "$1") \
	    GIT_AUTHOR_DATE=$(git -C "$C" log -1 --format=%aD "$1") \
	    GIT_COMMITTER_DATE="2026-02-01T10:00:00Z" \
	    git -C "$C" commit-tree "$1^{tree}" -p "$2"
}
n1=$(again "$old~1" "$old~2")
new=$(again "$old" "$n1")
git -C "$C" update-ref refs/heads/main "$new" "$old"
run store-verify -C "$C" --quiet
expect 0 "the rewritten central history verifies"
event "$B" A1 2026-01-07 "from b"
before=$(tip "$B")
n=$(commits "$B")
msg="store-sync: the remote's history was rewritten: origin/main $(short "$new") does not descend from $(short "$old"), the last commit synced with; nothing was changed"
run store-sync -C "$B"
expect 2 "a rewritten remote is refused"
err_has "$msg" "names both commits"
err_has "git log --stat $(short "$old")..$(short "$new") and git log --stat $(short "$new")..$(short "$old")" \
    "says how to see what changed"
err_has 'follow "Rewritten history" in store-sync(1)' "and where to read how to accept it"
is "$(tip "$B")" "$before" "the local branch is untouched"
is "$(commits "$B")" "$n" "every local commit is still there"
is "$(synced "$B")" "$old" "the remembered tip is untouched"
is "$(tip "$B" origin/main)" "$new" "origin/main shows the remote's new tip"
clean "$B" "after the refusal"
is "$(central)" "$new" "nothing was pushed"
run store-sync -C "$B"
expect 2 "refused again on the next run"
run store-sync -C "$A"
expect 2 "refused in a clone with nothing of its own too"
err_has "$msg" "the same message"
is "$(tip "$A")" "$old" "its branch did not follow the rewrite"

# accepting it, as store-sync(1) says: a clone with nothing of its own
git -C "$A" reset -q --keep origin/main
run store-verify -C "$A" --quiet
expect 0 "the new history verifies in the clone"
git -C "$A" update-ref refs/casetrail/synced/origin origin/main "$old"
run store-sync -C "$A"
expect 0 "in sync after accepting the rewrite"
is "$(synced "$A")" "$new" "remembers the new tip"
# ... and one with a change of its own, set aside and redone
git -C "$B" branch set-aside/rewrite main
git -C "$B" reset -q --keep origin/main
git -C "$B" update-ref refs/casetrail/synced/origin origin/main "$old"
event "$B" A1 2026-01-07 "from b"
run store-sync -C "$B"
expect 0 "the redone change syncs"
is "$(central)" "$(tip "$B")" "pushed"
is "$(tip "$B" HEAD~1)" "$new" "on top of the rewritten history"
check "the old commits are not in its history" not_ancestor "$B" "$old" main
git -C "$B" branch -q -D set-aside/rewrite
store-sync -C "$A" -q

# a remote forced back to an older commit is a rewrite too
good=$(central)
back=$(git -C "$C" rev-parse "$good~1")
git -C "$C" update-ref refs/heads/main "$back" "$good"
run store-sync -C "$B"
expect 2 "a remote forced back"
err_has "origin/main $(short "$back") does not descend from $(short "$good")" "is refused"
is "$(tip "$B")" "$good" "the local branch is untouched"
is "$(central)" "$back" "and not pushed back"
git -C "$C" update-ref refs/heads/main "$good" "$back"

# --- incoming commits must pass store-verify's checks
# A central repository without its hook takes a hand edit (valid, with a
# tool's trailers) by an unregistered author.
P="$T/p"
git clone -q "$C" "$P"
sed -i 's/^cohort: .*/cohort: remandee/' "$P/$(shard B1)/case.yaml"
git -C "$P" -c user.name=Nobody -c user.email=nobody@example.org commit -q -am \
    "case-event: B1 hand edit" --trailer "Case: B1" --trailer "Tool: case-event 0.1.0"
bad=$(tip "$P")
mv "$C/hooks/pre-receive" "$C/hooks/off"
git -C "$P" push -q origin HEAD:main
mv "$C/hooks/off" "$C/hooks/pre-receive"
is "$(central)" "$bad" "a central repository without its hook took it"
event "$B" A1 2026-02-10 "b, before the hand edit"
before=$(tip "$B")
was=$(synced "$B")
run store-sync -C "$B"
expect 2 "a remote commit by an unregistered author"
out_has "$(short "$bad") - unregistered-author: the author <nobody@example.org> is not a registered operator" \
    "the problem, as store-verify prints it"
is "$(wc -l <"$T/out" | tr -d ' ')" 1 "one problem"
err_has "1 problem in what origin/main $(short "$bad") would bring in" "says where"
err_has "nothing was changed" "says nothing was changed"
is "$(tip "$B")" "$before" "the local branch is untouched"
is "$(synced "$B")" "$was" "the remembered tip is untouched"
clean "$B" "after the refusal"
is "$(central)" "$bad" "nothing was pushed"
check "the local change was not merged with it" not_ancestor "$B" "$bad" main
run store-sync -C "$A"
expect 2 "refused in a clone with nothing of its own too"
is "$(tip "$A")" "$(tip "$B" "$before~1")" "which did not fast-forward"
# the administrator takes it out; the next sync goes ahead
git -C "$C" update-ref refs/heads/main "$bad~1" "$bad"
run store-sync -C "$B"
expect 0 "in sync once the remote is corrected"
is "$(central)" "$(tip "$B")" "the local change is pushed"
store-sync -C "$A" -q

# --- remote tree entries that lead out of the work tree
# Commits made with git plumbing in the central repository, by a
# registered author with a tool's trailer, whose tree adds an entry ".."
# holding a file "pwned" (a checkout would write it beside the clone) or
# ".GIT" holding hooks/post-checkout.  Each clone sits alone in its own
# directory.  git's checks of what a fetch receives refuse them; with the
# objects already in the clone (a plain git fetch brought them) the sync
# itself refuses the path.
# fresh NAME: a new clone $T/alone-NAME/clone, synced once
fresh() {
	mkdir "$T/alone-$1"
	git clone -q "$C" "$T/alone-$1/clone" && store-sync -C "$T/alone-$1/clone" -q
}
# offer ENTRY: a commit adding ENTRY (a git mktree line) to the central
# main, in $evil; withdraw: take it out again
good=$(central)
offer() {
	local top
	top=$({ git -C "$C" ls-tree "$good"; printf '%s\n' "$1"; } | git -C "$C" mktree)
	evil=$(printf 'case-event: notes\n\nTool: case-event 0.1.0\n' |
	    git -C "$C" commit-tree "$top" -p "$good")
	git -C "$C" update-ref refs/heads/main "$evil" "$good"
}
withdraw() { git -C "$C" update-ref refs/heads/main "$good" "$evil"; }
# prefetch CLONE: the remote's objects fetched by plain git, no ref kept
prefetch() {
	git -C "$1" fetch -q origin main:refs/plain && git -C "$1" update-ref -d refs/plain
}
blob=$(echo pwned | git -C "$C" hash-object -w --stdin)
dotdot=$(printf '100644 blob %s\tpwned\n' "$blob" | git -C "$C" mktree)
hooks=$(printf '100755 blob %s\tpost-checkout\n' "$blob" | git -C "$C" mktree)
dotgit=$(printf '040000 tree %s\thooks\n' "$hooks" | git -C "$C" mktree)

fresh dotdot
D="$T/alone-dotdot/clone"
offer "$(printf '040000 tree %s\t..' "$dotdot")"
run store-sync -C "$D"
expect 2 "a remote commit with a tree entry '..'"
err_has "hasDotdot: contains '..'" "git refuses what it fetched"
err_has "store-sync: nothing was changed" "says nothing was changed"
is "$(ls -A "$T/alone-dotdot")" clone "nothing appeared beside the clone"
is "$(tip "$D")" "$good" "the local branch is untouched"
is "$(synced "$D")" "$good" "the remembered tip too"
prefetch "$D"
run store-sync -C "$D"
expect 2 "the same, its objects already in the clone"
out_has " ../pwned bad-path: '.' and '..' are not names" \
    "names the path, as store-verify's bad-path"
is "$(ls -A "$T/alone-dotdot")" clone "nothing appeared beside the clone"
is "$(find "$T/alone-dotdot" -name pwned)" "" "no file pwned anywhere"
is "$(tip "$D")" "$good" "the local branch is untouched"
withdraw

fresh dotgit
D="$T/alone-dotgit/clone"
offer "$(printf '040000 tree %s\t.GIT' "$dotgit")"
run store-sync -C "$D"
expect 2 "a remote commit with a tree entry '.GIT'"
err_has "hasDotgit: contains '.git'" "git refuses what it fetched"
prefetch "$D"
run store-sync -C "$D"
expect 2 "the same, its objects already in the clone"
out_has " .GIT/hooks/post-checkout bad-path: a name that reads as .git" \
    "names the path, as store-verify's bad-path"
check "no hook was written into .git" test ! -e "$D/.git/hooks/post-checkout"
check "nor into .GIT" test ! -e "$D/.GIT"
is "$(tip "$D")" "$good" "the local branch is untouched"
withdraw

# A symlink entry passes git's checks; store-verify's path rule refuses it.
fresh symlink
D="$T/alone-symlink/clone"
offer "$(printf '120000 blob %s\tescape' "$(printf .. | git -C "$C" hash-object -w --stdin)")"
run store-sync -C "$D"
expect 2 "a remote commit adding a symlink"
out_has " escape bad-path: a symbolic link" "... refused by the path rule"
check "... no link in the work tree" test ! -L "$D/escape"
withdraw

# --- programs named by the store's configuration and the environment
M="$T/marks"
mkdir -p "$M" "$T/hooks" "$T/exec"
# mark NAME [PROGRAM]: a script that leaves $M/NAME, then runs PROGRAM
mark() {
	local f="$T/bin-$1"
	{
		printf '#!/bin/sh\ntouch "%s/%s"\n' "$M" "$1"
		[ -z "${2:-}" ] || printf 'exec %s "$@"\n' "$2"
	} >"$f"
	chmod +x "$f"
	printf %s "$f"
}
for h in pre-push post-merge post-checkout reference-transaction pre-auto-gc; do
	cp "$(mark "hook-$h")" "$T/hooks/$h"
	cp "$T/hooks/$h" "$B/.git/hooks/$h"
done
cp "$(mark exec-upload-pack "$(git --exec-path)/git-upload-pack")" "$T/exec/git-upload-pack"
git -C "$B" config core.hooksPath "$T/hooks"
git -C "$B" config core.fsmonitor "$(mark fsmonitor)"
git -C "$B" config remote.origin.uploadpack "$(mark uploadpack git-upload-pack)"
git -C "$B" config remote.origin.receivepack "$(mark receivepack git-receive-pack)"
git -C "$B" config core.alternateRefsCommand "$(mark alternate-refs true)"
echo "$S/.git/objects" >"$B/.git/objects/info/alternates"
marks() { ls "$M" | tr '\n' ' ' | sed 's/ $//'; }
# hostile ENV... CMD...: CMD with an environment that would run them too
hostile() {
	GIT_CONFIG_PARAMETERS="'core.hooksPath'='$T/hooks'" \
	GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.fsmonitor \
	GIT_CONFIG_VALUE_0="$T/bin-fsmonitor" GIT_EXEC_PATH="$T/exec" \
	GIT_DIR="$T/nowhere" GIT_WORK_TREE="$T/nowhere" "$@"
}

event "$A" A1 2026-03-01 "a, hostile 1"
store-sync -C "$A" -q
event "$B" B1 2026-03-02 "b, hostile 1"
run hostile store-sync -C "$B"
expect 0 "a sync with a hostile configuration and environment"
err_has "merged 1 local commit with origin's history" "it merged the local commit"
is "$(central)" "$(tip "$B")" "and pushed it"
is "$(tip "$B" HEAD^1)" "$(tip "$A")" "with the other clone's commit"
is "$(marks)" "" "no hook, fsmonitor, uploadpack, receivepack or alternateRefsCommand ran"
clean "$B" "after the sync"
rm -f "$M"/*    # git status ran the fsmonitor

# the same, once more, with the hooks only in .git/hooks
git -C "$B" config --unset core.hooksPath
event "$A" A1 2026-03-03 "a, hostile 2"
store-sync -C "$A" -q
event "$B" B1 2026-03-04 "b, hostile 2"
run hostile store-sync -C "$B"
expect 0 "a sync with the hooks in .git/hooks"
is "$(central)" "$(tip "$B")" "pushed"
is "$(marks)" "" "no hook in .git/hooks ran"

# plain git, given the same, runs them: the checks above can fail
event "$A" A1 2026-03-05 "a, hostile 3"
store-sync -C "$A" -q
git -C "$B" config core.hooksPath "$T/hooks"
hostile env -u GIT_DIR -u GIT_WORK_TREE git -C "$B" fetch -q origin >/dev/null 2>&1
git -C "$B" commit -q --allow-empty -m probe
git -C "$B" push -q origin HEAD:refs/heads/probe >/dev/null 2>&1
for m in fsmonitor uploadpack exec-upload-pack receivepack alternate-refs \
    hook-pre-push hook-reference-transaction; do
	check "plain git runs $m" test -e "$M/$m"
done
git -C "$B" reset -q --hard HEAD~1
git -C "$C" update-ref -d refs/heads/probe
rm -f "$M"/*

# --- transports outside file, ssh and https are refused
git -C "$B" config protocol.ext.allow always
git -C "$B" remote add evil "ext::sh -c touch% $M/ext"
run store-sync -C "$B" evil
expect 2 "an ext:: remote"
err_has "transport 'ext' not allowed" "git refuses the transport"
is "$(marks)" "" "its command did not run"
git -C "$B" remote add plain "http://127.0.0.1:9/central.git"
run store-sync -C "$B" plain
expect 2 "a plain http remote"
err_has "transport 'http' not allowed" "git refuses it too"

# --- ssh: the user's own ssh command runs, never the store's
# fakessh NAME: an "ssh" that leaves $M/NAME and runs the remote command
# (its last argument) here
fakessh() {
	local f="$T/bin-$1"
	printf '#!/bin/sh\ntouch "%s/%s"\nfor a; do last=$a; done\nexec sh -c "$last"\n' \
	    "$M" "$1" >"$f"
	chmod +x "$f"
	printf %s "$f"
}
H="$T/home-ssh"
mkdir -p "$H"
cp "$HOME/.gitconfig" "$H/.gitconfig"
HOME="$H" git config --global core.sshCommand "$(fakessh ssh-user)"
HOME="$H" git config --global ssh.variant simple
git -C "$B" config core.sshCommand "$(mark ssh-store)"
git -C "$B" remote add viassh "ssh://localhost$C"
event "$A" A1 2026-03-06 "a, before ssh"
store-sync -C "$A" -q
event "$B" B1 2026-03-07 "b, over ssh"
run env HOME="$H" store-sync -C "$B" viassh
expect 0 "a sync over ssh"
is "$(central)" "$(tip "$B")" "pushed"
is "$(tip "$B" HEAD~1)" "$(tip "$A")" "on top of the other clone's commit"
is "$(marks)" ssh-user "the user's ssh command ran, not the store's"
rm -f "$M"/*
event "$B" B1 2026-03-08 "b, over ssh again"
run env HOME="$H" GIT_SSH_COMMAND="$(fakessh ssh-env)" store-sync -C "$B" viassh
expect 0 "a sync over ssh with GIT_SSH_COMMAND"
is "$(central)" "$(tip "$B")" "pushed"
is "$(marks)" ssh-env "GIT_SSH_COMMAND ran, before the user's configuration"

done_testing

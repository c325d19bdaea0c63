#!/usr/bin/env bash
# store-sync at the trust boundary: a central bare repository (pre-receive
# hook: store-verify) and clones of it.  A store whose git configuration
# names programs (fsmonitor, hooks, uploadpack, receivepack,
# alternateRefsCommand, an ext:: remote) and an environment that points
# git elsewhere (GIT_CONFIG_PARAMETERS, GIT_CONFIG_COUNT, GIT_EXEC_PATH,
# GIT_DIR) run none of them, and the sync still works; plain git, given
# the same, runs them.
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
B="$T/b"
git clone -q "$C" "$A"
git clone -q "$C" "$B"
central() { git -C "$C" rev-parse main; }
tip() { git -C "$1" rev-parse "${2:-HEAD}"; }
short() { printf %s "$1" | cut -c1-12; }

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

case-event -C "$A" A1 engaged --date 2026-01-05 -m "from a" >/dev/null 2>&1
store-sync -C "$A" -q
case-event -C "$B" B1 engaged --date 2026-01-06 -m "from b" >/dev/null 2>&1
run hostile store-sync -C "$B"
expect 0 "a sync with a hostile configuration and environment"
err_has "replayed 1 local commit onto origin's history" "it replayed the local commit"
is "$(central)" "$(tip "$B")" "and pushed it"
is "$(tip "$B" HEAD~1)" "$(tip "$A")" "on top of the other clone's commit"
is "$(marks)" "" "no hook, fsmonitor, uploadpack, receivepack or alternateRefsCommand ran"
clean "$B" "after the sync"
rm -f "$M"/*    # git status ran the fsmonitor

# the same, once more, with the hooks only in .git/hooks
git -C "$B" config --unset core.hooksPath
case-event -C "$A" A1 engaged --date 2026-01-07 -m "again from a" >/dev/null 2>&1
store-sync -C "$A" -q
case-event -C "$B" B1 engaged --date 2026-01-08 -m "again from b" >/dev/null 2>&1
run hostile store-sync -C "$B"
expect 0 "a sync with the hooks in .git/hooks"
is "$(central)" "$(tip "$B")" "pushed"
is "$(marks)" "" "no hook in .git/hooks ran"

# plain git, given the same, runs them: the checks above can fail
case-event -C "$A" A1 engaged --date 2026-01-09 -m "third from a" >/dev/null 2>&1
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

done_testing

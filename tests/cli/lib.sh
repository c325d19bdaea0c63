# Shared helpers of the CLI tests: TAP output, a private HOME with a git
# identity, a fresh store, and assertions on exit status, output, commits
# and the work tree.  Source it from a tests/cli/NNNN-name.t script.
set -u

: "${CT_BIN:?CT_BIN must name the directory of the built tools}"
T=$(mktemp -d "${TMPDIR:-/tmp}/casetrail-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export HOME="$T/home"
mkdir -p "$HOME"
export PATH="$CT_BIN:$PATH"
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE CASETRAIL_STORE CASETRAIL_TODAY \
    GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
export GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1 LC_ALL=C
git config --global user.name "Ada Admin"
git config --global user.email ada@example.org
git config --global init.defaultBranch main

tap_n=0
tap_failed=0

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
	shift
	for line in "$@"; do echo "#   $line"; done
	if [ -s "$T/out" ]; then sed 's/^/#   stdout: /' "$T/out" | head -20; fi
	if [ -s "$T/err" ]; then sed 's/^/#   stderr: /' "$T/err" | head -20; fi
}

# run CMD...: run it, keep stdout in $T/out, stderr in $T/err, status in $rc
run() {
	"$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
}

# run_in INPUT CMD...: like run with INPUT on stdin
run_in() {
	local input=$1
	shift
	printf '%s' "$input" | "$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# is GOT WANT DESC
is() {
	if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3" "got:  '$1'" "want: '$2'"; fi
}

# check DESC CMD...: ok when CMD succeeds
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc" "failed: $*"; fi
}

# expect RC DESC: the last run exited with RC
expect() {
	if [ "$rc" -eq "$1" ]; then ok "$2 (exit $1)"; else
		not_ok "$2" "exit status $rc, wanted $1"; fi
}

# err_has TEXT DESC / out_has TEXT DESC: fixed-string match
err_has() {
	if grep -qF -- "$1" "$T/err"; then ok "$2"; else
		not_ok "$2" "stderr lacks: $1"; fi
}
out_has() {
	if grep -qF -- "$1" "$T/out"; then ok "$2"; else
		not_ok "$2" "stdout lacks: $1"; fi
}

commits() { git -C "$1" rev-list --count HEAD; }

# refuse WANT DESC CMD...: CMD exits 2 saying WANT, and the store $S still
# has its $n commits (a test may define its own refuse)
refuse() {
	local want=$1 desc=$2
	shift 2
	run "$@"
	expect 2 "$desc"
	err_has "$want" "$desc: says so"
	is "$(commits "$S")" "$n" "$desc: no commit"
}

# clean STORE DESC: the work tree and index match HEAD
clean() {
	local st
	st=$(git -C "$1" status --porcelain)
	if [ -z "$st" ]; then ok "$2: git status clean"; else
		not_ok "$2: git status clean" "$st"; fi
}

trailer() { git -C "$1" log -1 --format="%(trailers:key=$2,valueonly)" "${3:-HEAD}" | sed '/^$/d'; }

# shard ID: the directory a case id lives in
shard() { printf 'cases/%s/%s' "$(printf %s "$1" | git hash-object --stdin | cut -c1-2)" "$1"; }

# new_store DIR JUR: a store with two agencies and operators: ada (admin,
# case manager, team leaders) whose identity HOME uses, and bob (auditor).
new_store() {
	store-init -C "$1" --jurisdiction "$2" >/dev/null 2>&1 || return 1
	registry -C "$1" add-agency djcs --name "Justice and Community Safety" --map-member >/dev/null 2>&1 &&
	registry -C "$1" add-agency dffh --name "Families, Fairness and Housing" --map-member >/dev/null 2>&1 &&
	registry -C "$1" add-operator ada --name "Ada Admin" --email ada@example.org \
	    --role case-manager,cmu-team-leader,community-team-leader,soct-officer,administrator \
	    --agency djcs >/dev/null 2>&1 &&
	registry -C "$1" add-operator bob --name "Bob Auditor" --email bob@example.org \
	    --role auditor --agency djcs >/dev/null 2>&1
}

# ssh_keys NAME...: an ed25519 key pair $K/NAME for each (K is $T/keys);
# the test is skipped where ssh-keygen is not installed
ssh_keys() {
	command -v ssh-keygen >/dev/null || { echo "1..0 # SKIP ssh-keygen is not installed"; exit 0; }
	K="$T/keys"
	mkdir -p "$K"
	local k
	for k in "$@"; do
		ssh-keygen -q -t ed25519 -N '' -C "$k" -f "$K/$k" || exit 1
	done
}

# signing_store DIR [KEY]: a VIC store that signs with ssh, with the
# agency djcs and ada (administrator, case manager, SOCT officer), who
# signs with KEY (default $K/ada; KEY.pub is registered)
signing_store() {
	local key=${2:-$K/ada}
	store-init -C "$1" --jurisdiction VIC --signing ssh --signing-key "$key" &&
	registry -C "$1" add-agency djcs --name "Justice and Community Safety" --map-member &&
	registry -C "$1" add-operator ada --name "Ada Admin" --email ada@example.org \
	    --role administrator,case-manager,soct-officer --agency djcs --signing-key "$key.pub"
}

# as NAME EMAIL CMD...: run CMD under another git identity
as() {
	local name=$1 email=$2 h="$T/home-$2"
	shift 2
	mkdir -p "$h"
	printf '[user]\n\tname = %s\n\temail = %s\n' "$name" "$email" >"$h/.gitconfig"
	HOME="$h" "$@"
}

# on_a_tty CMD...: run CMD with standard output on a pseudo-terminal
# (stderr discarded) and print what it wrote
on_a_tty() {
	python3 -c '
import os, pty, subprocess, sys
m, s = pty.openpty()
p = subprocess.Popen(sys.argv[1:], stdout=s, stderr=subprocess.DEVNULL)
os.close(s)
out = b""
while True:
    try:
        chunk = os.read(m, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
p.wait()
sys.stdout.buffer.write(out)' "$@"
}

done_testing() {
	echo "1..$tap_n"
	if [ "$tap_failed" -ne 0 ]; then
		echo "# $tap_failed of $tap_n failed"
		exit 1
	fi
	exit 0
}

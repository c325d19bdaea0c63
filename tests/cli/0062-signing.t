#!/usr/bin/env bash
# Signed stores: store-init --signing makes every commit signed from the
# first; registry keeps the operators' public keys; a writer without a
# usable key commits nothing; store-verify checks every signature against
# the signer's registered key (ssh and OpenPGP), reporting an unsigned
# commit and a signature by another operator's key; git itself accepts
# the signatures; store-sync keeps every author's signed commit and signs
# its merge as the operator who syncs; a commit committed or signed by
# another than its author is refused; an operator with no registered key
# writes nothing (the first administrator included); the commits of a new store before
# its first registration need only be signed.
. "$(dirname "$0")/lib.sh"

command -v ssh-keygen >/dev/null || { echo "1..0 # SKIP ssh-keygen is not installed"; exit 0; }

K="$T/keys"
mkdir -p "$K"
for who in ada bob eve; do
	ssh-keygen -q -t ed25519 -N '' -C "$who" -f "$K/$who" || exit 1
done
# signed NAME EMAIL KEY CMD...: like `as`, with user.signingKey set to KEY
signed() {
	local name=$1 email=$2 key=$3 h="$T/keyhome-$2"
	shift 3
	mkdir -p "$h"
	printf '[user]\n\tname = %s\n\temail = %s\n\tsigningKey = %s\n' "$name" "$email" "$key" \
	    >"$h/.gitconfig"
	HOME="$h" "$@"
}
# git_verifies STORE: git verify-commit accepts HEAD with the registry's keys
git_verifies() {
	git -C "$1" -c gpg.ssh.allowedSignersFile="$1/registry/allowed_signers" \
	    verify-commit HEAD >/dev/null 2>&1
}
sig_of() { git -C "$1" cat-file commit "${2:-HEAD}" | sed -n '/^gpgsig /,/END SSH/p'; }

# --- a new signing store: the first commit is signed with the store's key
S="$T/s"
run store-init -C "$S" --jurisdiction ACT --signing ssh --signing-key "$K/ada"
expect 0 "store-init --signing ssh"
is "$(sed -n '/^signing:/,$p' "$S/casetrail.yaml")" "signing:
  format: ssh
  key: '$K/ada'" "casetrail.yaml: signing.format and signing.key"
sig_of "$S" | grep -q 'BEGIN SSH SIGNATURE' && ok "the first commit is signed" ||
    not_ok "the first commit is signed"

run store-init -C "$T/x" --jurisdiction ACT --signing-key "$K/ada"
expect 2 "--signing-key without --signing"
err_has "--signing-key needs --signing ssh or openpgp" "says what is missing"
run store-init -C "$T/y" --jurisdiction ACT --signing gpg
expect 2 "--signing gpg"
err_has "'gpg' is not ssh or openpgp" "names the formats"
run store-init -C "$T/z" --jurisdiction ACT --signing ssh --signing-key "$T/no-such-key"
expect 2 "an unusable key"
err_has "signing the commit: ssh-keygen:" "says the signing failed"
check "nothing is left of the failed store" test ! -e "$T/z/.git"

# --- registry keeps the public keys
run registry -C "$S" add-operator ada --name "Ada Admin" --email ada@example.org \
    --role administrator,case-manager --signing-key "$K/ada.pub"
expect 0 "add-operator --signing-key"
is "$(cat "$S/registry/allowed_signers")" "# ada
ada@example.org namespaces=\"git\" $(cut -d' ' -f1-2 "$K/ada.pub")" \
    "registry/allowed_signers: the operator's line"
run registry -C "$S" add-operator bob --name "Bob Manager" --email bob@example.org \
    --role case-manager --signing-key "$K/bob"
expect 2 "a private key given as the public key"
err_has "this is a private key; give the public key (the .pub file)" "says so"
printf 'not a key\n' >"$T/junk.pub"
run registry -C "$S" add-operator bob --name "Bob Manager" --email bob@example.org \
    --role case-manager --signing-key "$T/junk.pub"
expect 2 "a file that is no key"
err_has "junk.pub: not an ssh public key line" "names the file"
n=$(commits "$S")
run registry -C "$S" add-operator bob --name "Bob Manager" --email bob@example.org \
    --role case-manager --signing-key "$K/bob.pub"
expect 0 "a second operator with a key"
is "$(grep -c namespaces "$S/registry/allowed_signers")" 2 "two keys"
is "$(commits "$S")" $((n + 1)) "one commit"
is "$(trailer "$S" Action)" "add-operator" "Action: add-operator"

# git itself accepts the signatures
check "git verify-commit accepts the registry commit" git_verifies "$S"

# --- writers sign with their own key (git config user.signingKey)
run signed "Bob Manager" bob@example.org "$K/bob" case-new -C "$S" --cohort sentenced ACT-0001
expect 0 "bob writes with his key"
check "git verify-commit: bob's commit" git_verifies "$S"
run store-verify -C "$S"
expect 0 "store-verify: a store made by the tools, every commit signed"
is "$(cat "$T/out")" "" "no output"
clean "$S" "after signed writes"
is "$(find "$S/.git" -maxdepth 1 -name 'casetrail-sign-*')" "" "no temporary files left in the git directory"

# --- a writer with no key at all: refused, nothing committed
N="$T/n"
store-init -C "$N" --jurisdiction ACT --signing ssh --signing-key "$K/ada" >/dev/null 2>&1
sed -i '/^  key:/d' "$N/casetrail.yaml"
git -C "$N" -c user.signingKey="$K/ada" -c gpg.format=ssh commit -q -S -am "settings: no default key" \
    --trailer "Action: settings" --trailer "Tool: store-init 0.1.0"
n=$(commits "$N")
run as "Carol Nokey" carol@example.org registry -C "$N" add-agency djcs --name DJCS
expect 2 "no key configured anywhere"
err_has "no key is set: set git config user.signingKey, or signing.key in casetrail.yaml" \
    "says where to set one"
is "$(commits "$N")" "$n" "no commit"
clean "$N" "after the refusal"

# --- crafted bad histories
h() { git -C "$S" rev-parse HEAD | cut -c1-12; }

# bob writes with the store's default key (ada's): a wrong operator's key
as "Bob Manager" bob@example.org case-event -C "$S" ACT-0001 reception --date 2026-03-02 \
    >/dev/null 2>&1 || not_ok "bob writes with the default key"
h1=$(h)
run store-verify -C "$S" --quiet
expect 1 "a signature by another operator's key"
is "$(cat "$T/out")" "$h1 - bad-signature: the signature is not made by a key registered for <bob@example.org>" \
    "the report line"

# an unsigned commit made with plain git
sed -i 's/^cohort: sentenced/cohort: sentenced/' "$S/$(shard ACT-0001)/case.yaml"
git -C "$S" commit -q --allow-empty -m "case-event: ACT-0001 note" --trailer "Case: ACT-0001" \
    --trailer "Tool: case-event 0.1.0" --author "Ada Admin <ada@example.org>"
h2=$(h)
run store-verify -C "$S" --quiet --since "$h1"
expect 1 "an unsigned commit"
is "$(cat "$T/out")" "$h2 - unsigned: the commit is not signed, but the store requires ssh signatures" \
    "the report line"

# a commit signed by a key no operator holds (eve's), as ada
git -C "$S" -c user.signingKey="$K/eve" -c gpg.format=ssh commit -q -S --allow-empty \
    -m "case-event: ACT-0001 note" --trailer "Case: ACT-0001" --trailer "Tool: case-event 0.1.0" \
    --author "Ada Admin <ada@example.org>"
h3=$(h)
run store-verify -C "$S" --quiet --since "$h2"
expect 1 "a signature by an unregistered key"
is "$(cat "$T/out")" "$h3 - bad-signature: the signature is not made by a key registered for <ada@example.org>" \
    "the report line"

# --- key rotation: set-key replaces bob's key; history before stays good
S2="$T/s2"
store-init -C "$S2" --jurisdiction ACT --signing ssh --signing-key "$K/ada" >/dev/null 2>&1 &&
registry -C "$S2" add-operator ada --name "Ada Admin" --email ada@example.org \
    --role administrator,case-manager --signing-key "$K/ada.pub" >/dev/null 2>&1 &&
registry -C "$S2" add-operator bob --name "Bob Manager" --email bob@example.org \
    --role case-manager --signing-key "$K/bob.pub" >/dev/null 2>&1 &&
signed "Bob Manager" bob@example.org "$K/bob" case-new -C "$S2" --cohort sentenced ACT-0002 >/dev/null 2>&1 ||
    not_ok "a second signing store"
ssh-keygen -q -t ed25519 -N '' -C bob2 -f "$K/bob2"
run registry -C "$S2" set-key bob --signing-key "$K/bob2.pub"
expect 0 "set-key"
is "$(grep -c '^bob@example.org ' "$S2/registry/allowed_signers")" 1 "one line for bob"
grep -qF "$(cut -d' ' -f2 "$K/bob2.pub")" "$S2/registry/allowed_signers" &&
    ok "the line holds the new key" || not_ok "the line holds the new key"
is "$(trailer "$S2" Action)" "set-key" "Action: set-key"
signed "Bob Manager" bob@example.org "$K/bob2" case-event -C "$S2" ACT-0002 reception --date 2026-03-02 \
    >/dev/null 2>&1 || not_ok "bob writes with his new key"
run store-verify -C "$S2"
expect 0 "old and new signatures verify against the keys of their time"
run registry -C "$S2" set-key nobody --signing-key "$K/eve.pub"
expect 2 "set-key for an unknown operator"
err_has "no operator 'nobody' is registered" "says so"

# --- an operator registered without a key writes nothing until one is
# registered: store-verify would refuse the commit
ssh-keygen -q -t ed25519 -N '' -C carol -f "$K/carol"
registry -C "$S2" add-operator carol --name "Carol Nokey" --email carol@example.org \
    --role case-manager >/dev/null 2>&1 || not_ok "carol registered without a key"
n=$(commits "$S2")
run signed "Carol Nokey" carol@example.org "$K/carol" case-new -C "$S2" --cohort sentenced ACT-0009
expect 2 "a writer with no registered key"
err_has "no key is registered for operator carol <carol@example.org>, so store-verify would refuse the commit: an administrator registers one (registry set-key carol --signing-key FILE)" \
    "... says so and what to do"
is "$(commits "$S2")" "$n" "... no commit"
registry -C "$S2" set-key carol --signing-key "$K/carol.pub" >/dev/null 2>&1
run signed "Carol Nokey" carol@example.org "$K/carol" case-new -C "$S2" --cohort sentenced ACT-0009
expect 0 "with her key registered she writes"
run store-verify -C "$S2"
expect 0 "... and the history verifies"
N2="$T/n2"
store-init -C "$N2" --jurisdiction ACT --signing ssh --signing-key "$K/ada" >/dev/null 2>&1
n=$(commits "$N2")
run registry -C "$N2" add-operator ada --name "Ada Admin" --email ada@example.org --role administrator
expect 2 "the first administrator registering herself without a key"
err_has "no key is registered for operator ada <ada@example.org>, so store-verify would refuse the commit: register your key with --signing-key" \
    "... says so"
is "$(commits "$N2")" "$n" "... no commit"

# --- the bootstrap: before the first registration any identity may write
# (registry says so), and no key is registered yet, so those commits are
# only checked to be signed: an installer's own key, the store's default
# key; the first registration is checked with the keys it registers
ssh-keygen -q -t ed25519 -N '' -C store -f "$K/store"
B="$T/boot"
store-init -C "$B" --jurisdiction ACT --signing ssh --signing-key "$K/store" >/dev/null 2>&1 &&
signed "Ivan Installer" ivan@example.org "$K/eve" registry -C "$B" add-agency djcs --name DJCS \
    >/dev/null 2>&1 &&
as "Ada Admin" ada@example.org registry -C "$B" add-agency dffh --name DFFH >/dev/null 2>&1 &&
signed "Ada Admin" ada@example.org "$K/ada" registry -C "$B" add-operator ada --name "Ada Admin" \
    --email ada@example.org --role administrator --agency djcs --signing-key "$K/ada.pub" \
    >/dev/null 2>&1 || not_ok "a store bootstrapped by an installer"
run store-verify -C "$B"
expect 0 "agencies signed by an installer's key and the store's key, then the first registration"
is "$(cat "$T/out")" "" "... no finding"
git -C "$B" reset -q --hard HEAD~1
signed "Ada Admin" ada@example.org "$K/bob" registry -C "$B" add-operator ada --name "Ada Admin" \
    --email ada@example.org --role administrator --agency djcs --signing-key "$K/ada.pub" \
    >/dev/null 2>&1
run store-verify -C "$B" --quiet
expect 1 "the first registration signed with another key than the one it registers"
is "$(cat "$T/out")" "$(git -C "$B" rev-parse HEAD | cut -c1-12) - bad-signature: the signature is not made by a key registered for <ada@example.org>" \
    "... reported"
git -C "$B" reset -q --hard HEAD~2
git -C "$B" commit -q --allow-empty -m "registry: note" --trailer "Tool: registry 0.1.0"
run store-verify -C "$B" --quiet
expect 1 "an unsigned commit in the bootstrap"
out_has "unsigned: the commit is not signed" "... reported"

# --- store-sync keeps every author's signed commit; the merge is the syncer's
C="$T/central.git"
git clone -q --bare "$S2" "$C"
printf '#!/bin/sh\nexec store-verify --pre-receive\n' >"$C/hooks/pre-receive"
chmod +x "$C/hooks/pre-receive"
git clone -q "$C" "$T/x" && git clone -q "$C" "$T/y"
ada_s() { signed "Ada Admin" ada@example.org "$K/ada" "$@"; }
bob_s() { signed "Bob Manager" bob@example.org "$K/bob2" "$@"; }
ada_s case-event -C "$T/x" ACT-0002 engaged --date 2026-03-03 >/dev/null 2>&1
ada_s store-sync -C "$T/x" -q
ada_s case-new -C "$T/y" --cohort sentenced ACT-0003 >/dev/null 2>&1
bob_s case-event -C "$T/y" ACT-0003 reception --date 2026-03-04 >/dev/null 2>&1
ytip=$(git -C "$T/y" rev-parse HEAD)
run bob_s store-sync -C "$T/y"
expect 0 "bob syncs his clone: two commits merged, the central hook accepts them"
is "$(git -C "$C" log -1 --format=%P main | wc -w | tr -d ' ')" 2 "the central tip is a merge"
is "$(git -C "$C" log -1 --format='%an/%cn' main)" "Bob Manager/Bob Manager" "bob's merge"
is "$(git -C "$C" rev-parse main^2)" "$ytip" "the clone's commits are in the central history as made"
is "$(git -C "$C" log -2 --format='%an/%cn' main^2 | tr '\n' ' ')" "Bob Manager/Bob Manager Ada Admin/Ada Admin " \
    "each its own author's"
git -C "$C" show main:registry/allowed_signers >"$T/signers"
verify_commit() {
	git -C "$C" -c gpg.format=ssh -c gpg.ssh.allowedSignersFile="$T/signers" \
	    verify-commit "$1" 2>/dev/null
}
for c in main main^2 main^2~1; do
	check "git verify-commit $c with its author's key" verify_commit "$c"
done
run store-verify -C "$C"
expect 0 "store-verify: each commit signed by its author"

# --- a commit signed by another than its author
git clone -q "$C" "$T/z"
git -C "$T/z" config gpg.format ssh
git -C "$T/z" config user.signingKey "$K/bob2"
sed -i 's/^cohort: .*/cohort: remand/' "$T/z/$(shard ACT-0003)/case.yaml"
GIT_AUTHOR_NAME="Ada Admin" GIT_AUTHOR_EMAIL=ada@example.org \
GIT_COMMITTER_NAME="Bob Manager" GIT_COMMITTER_EMAIL=bob@example.org \
    git -C "$T/z" commit -q -S -am "case-event: ACT-0003 hand edit" \
    --trailer "Case: ACT-0003" --trailer "Tool: case-event 0.1.0"
run store-verify -C "$T/z" --since main~1
expect 1 "ada's commit committed and signed by bob"
out_has "committer-not-author: the committer <bob@example.org> is not the author <ada@example.org>" \
    "the identities must be one"
out_has "bad-signature" "and the signature is checked against the author's key"

# --- OpenPGP
if command -v gpg >/dev/null; then
	export GNUPGHOME="$T/gnupg"
	mkdir -m 700 "$GNUPGHOME"
	for who in ada eve; do
		gpg --batch --quiet --passphrase '' --quick-gen-key "$who <$who@example.org>" \
		    ed25519 sign never 2>/dev/null || not_ok "gpg key for $who"
	done
	fpr() { gpg --with-colons --list-keys "$1" 2>/dev/null | awk -F: '/^fpr/ {print $10; exit}'; }
	P="$T/p"
	run store-init -C "$P" --jurisdiction VIC --signing openpgp --signing-key "$(fpr ada@example.org)"
	expect 0 "store-init --signing openpgp"
	git -C "$P" cat-file commit HEAD | grep -q 'BEGIN PGP SIGNATURE' &&
	    ok "the first commit has an OpenPGP signature" ||
	    not_ok "the first commit has an OpenPGP signature"
	gpg --armor --export ada@example.org >"$T/ada.asc"
	run registry -C "$P" add-operator ada --name "Ada Admin" --email ada@example.org \
	    --role administrator,soct-officer --signing-key "$T/ada.asc"
	expect 0 "add-operator with an OpenPGP key"
	check "the key is kept as registry/openpgp/ada.asc" cmp -s "$T/ada.asc" "$P/registry/openpgp/ada.asc"
	case-new -C "$P" --cohort post-sentence VIC-0001 >/dev/null 2>&1 || not_ok "case-new, openpgp"
	run store-verify -C "$P"
	expect 0 "store-verify: OpenPGP signatures by the registered key"
	git -C "$P" -c user.signingKey="$(fpr eve@example.org)" commit -q -S --allow-empty \
	    -m "case-event: VIC-0001 note" --trailer "Case: VIC-0001" --trailer "Tool: case-event 0.1.0" \
	    --author "Ada Admin <ada@example.org>"
	hp=$(git -C "$P" rev-parse HEAD | cut -c1-12)
	run store-verify -C "$P" --quiet
	expect 1 "an OpenPGP signature by another key"
	is "$(cat "$T/out")" "$hp - bad-signature: the signature is not made by the OpenPGP key registered for <ada@example.org>" \
	    "the report line"
	gpgconf --kill gpg-agent 2>/dev/null
else
	ok "# SKIP gpg is not installed"
fi

done_testing

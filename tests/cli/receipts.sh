# Set-up shared by the receipt tests (0170-0174), sourced after lib.sh:
# a store that signs with ssh, its administrator ada, a case manager jo,
# and the central repository registered as the operator "central" whose
# key signs receipts (casetrail.yaml receipts.signer); the central bare
# repository $C with store-verify as its pre-receive and post-receive
# hooks, signing as central; office clones made with office DIR.

command -v ssh-keygen >/dev/null || { echo "1..0 # SKIP ssh-keygen is not installed"; exit 0; }

# Commits and receipts are made now; the tools count days in the store's
# time zone (ACT), so the tests do too: today and day N (N days ago).
export TZ=UTC
today=$(TZ=Australia/Canberra date +%F)
day() { date -d "$today -$1 days" +%F; }

K="$T/keys"
mkdir -p "$K"
for k in ada jo central; do
	ssh-keygen -q -t ed25519 -N '' -C "$k" -f "$K/$k" || exit 1
done
S="$T/s"
C="$T/central.git"

# settings_commit DIR SED MESSAGE: an administrator's change of
# casetrail.yaml by plain git, signed
settings_commit() {
	sed -i "$2" "$1/casetrail.yaml"
	git -C "$1" -c gpg.format=ssh -c user.signingkey="$K/ada" \
	    commit -q -S -m "$3

Tool: git" casetrail.yaml
}

{
	store-init -C "$S" --jurisdiction ACT --signing ssh --signing-key "$K/ada" &&
	registry -C "$S" add-agency acs --name "ACT Corrective Services" &&
	registry -C "$S" add-operator ada --name "Ada Admin" --email ada@example.org \
	    --role administrator,case-manager,cmu-team-leader --agency acs --signing-key "$K/ada.pub" &&
	registry -C "$S" add-operator jo --name "Jo Lee" --email jo@example.org \
	    --role case-manager --agency acs --signing-key "$K/jo.pub" &&
	registry -C "$S" add-operator central --name "Central repository" \
	    --email central@example.org --role auditor --agency acs \
	    --signing-key "$K/central.pub" &&
	settings_commit "$S" '$a receipts:\n  signer: central' \
	    "casetrail.yaml: receipts signed by the central repository" &&
	case-new -C "$S" --today 2026-03-01 --cohort remandee ACT-0001
} >/dev/null 2>"$T/setup.err" || { echo "Bail out! cannot make the store: $(head -3 "$T/setup.err")"; exit 1; }

git clone -q --bare "$S" "$C"
git -C "$C" config user.name "Central repository"
git -C "$C" config user.email central@example.org
git -C "$C" config user.signingKey "$K/central"
printf '#!/bin/sh\nexec store-verify --pre-receive\n' >"$C/hooks/pre-receive"
printf '#!/bin/sh\nexec store-verify --post-receive\n' >"$C/hooks/post-receive"
chmod +x "$C/hooks/pre-receive" "$C/hooks/post-receive"
git -C "$S" remote add origin "$C"
git -C "$S" fetch -q origin

# office DIR NAME EMAIL KEY: a clone of the central repository working
# as that operator
office() {
	git clone -q "$C" "$1"
	git -C "$1" config user.name "$2"
	git -C "$1" config user.email "$3"
	git -C "$1" config user.signingKey "$4"
}

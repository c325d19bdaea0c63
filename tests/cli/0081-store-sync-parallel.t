#!/usr/bin/env bash
# store-sync in parallel: three clones of one central bare repository
# (pre-receive hook: store-verify) of a store that signs every commit
# (ssh), each clone worked by its own operator with their own key, each
# making $CT_SYNC_CHANGES changes (default 200) -- events of its own case,
# disclosure entries of its own case, and changes to a shared case (one
# clone its events, the others its disclosure register, under the same
# file names) -- and syncing at random points, all at once.  At the end
# every change is in the central history exactly once, as the very commit
# its author made (same id), store-verify passes there, git verify-commit
# accepts every commit with its author's key, git fsck is clean and every
# clone is at the central tip after a final sync.
# CT_SYNC_CHANGES=2000 make soak runs a bigger one.
. "$(dirname "$0")/lib.sh"

command -v ssh-keygen >/dev/null || { echo "1..0 # SKIP ssh-keygen is not installed"; exit 0; }

N=${CT_SYNC_CHANGES:-200}
S="$T/s"
K="$T/keys"
mkdir -p "$K"
for who in ada o0 o1 o2; do
	ssh-keygen -q -t ed25519 -N '' -C "$who" -f "$K/$who" || exit 1
done
{
	store-init -C "$S" --jurisdiction VIC --signing ssh --signing-key "$K/ada" &&
	registry -C "$S" add-agency djcs --name "Justice and Community Safety" --map-member &&
	registry -C "$S" add-agency dffh --name "Families, Fairness and Housing" --map-member &&
	registry -C "$S" add-operator ada --name "Ada Admin" --email ada@example.org \
	    --role administrator,case-manager,soct-officer --agency djcs --signing-key "$K/ada.pub" &&
	registry -C "$S" add-operator jlee --name "Jo Lee" --email jo@example.org \
	    --role case-manager --agency dffh &&
	for k in 0 1 2; do
		registry -C "$S" add-operator "o$k" --name "Office $k" --email "o$k@example.org" \
		    --role case-manager,soct-officer --agency djcs --signing-key "$K/o$k.pub" || exit 1
	done &&
	case-new -C "$S" --cohort post-sentence SHARED OWN0 OWN1 OWN2
} >/dev/null 2>&1 || { echo "Bail out! cannot make the store"; exit 1; }
C="$T/central.git"
git clone -q --bare "$S" "$C"
printf '#!/bin/sh\nexec store-verify --pre-receive\n' >"$C/hooks/pre-receive"
chmod +x "$C/hooks/pre-receive"
git -C "$C" config receive.denyNonFastForwards true
for k in 0 1 2; do
	git clone -q "$C" "$T/c$k"
	git -C "$T/c$k" config user.name "Office $k"
	git -C "$T/c$k" config user.email "o$k@example.org"
	git -C "$T/c$k" config user.signingKey "$K/o$k"
done
base=$(git -C "$C" rev-list --count main)

# day I: 2020-01-01 + I days, as a date and as an RFC 3339 time
day() { date -u -d "2020-01-01 + $1 days" +%F; }

# office K: N changes, a sync after about one change in 12
office() {
	local k=$1 i d cs="$T/c$k" rc
	RANDOM=$((k * 7919 + $$))
	for i in $(seq 1 "$N"); do
		d=$(day "$i")
		case $((i % 4)) in
		0|1) case-event -C "$cs" "OWN$k" engaged --date "$d" -m "c$k-$i" ;;
		2) if [ "$k" -eq 0 ]; then
			case-event -C "$cs" SHARED engaged --date "$d" -m "c$k-$i"
		   else
			disclose-log -C "$cs" add SHARED --to jlee --purpose csp \
			    --info "entry $k/$i" --date "${d}T09:00:00Z" -m "c$k-$i"
		   fi ;;
		3) disclose-log -C "$cs" add "OWN$k" --to jlee --purpose offender-management \
		    --info "entry $k/$i" --date "${d}T10:00:00Z" -m "c$k-$i" ;;
		esac >/dev/null 2>>"$T/office$k.err" || echo "change $k $i" >>"$T/fail"
		git -C "$cs" rev-parse HEAD >>"$T/made$k"
		if [ $((RANDOM % 12)) -eq 0 ]; then
			store-sync -C "$cs" -q 2>"$T/sync$k.err"
			rc=$?
			[ "$rc" -eq 0 ] || echo "sync $k $i: exit $rc:" \
			    "$(cat "$T/sync$k.err")" >>"$T/fail"
		fi
	done
}
start=$(date +%s)
for k in 0 1 2; do office "$k" & done
wait
for round in 1 2; do
	for k in 0 1 2; do
		store-sync -C "$T/c$k" -q 2>>"$T/final.err" || echo "final sync $k" >>"$T/fail"
	done
done
echo "# $((3 * N)) changes in three clones synced in $(($(date +%s) - start)) s"

if [ -e "$T/fail" ]; then
	not_ok "every change and sync succeeded" "$(head -5 "$T/fail")" \
	    "$(cat "$T"/office*.err "$T/final.err" | head -10)"
else
	ok "every change and sync succeeded"
fi
reasons() {
	git -C "$C" log --no-merges --format='%(trailers:key=Reason,valueonly)' main |
	    sed '/^$/d' | grep -E '^c[0-9]-[0-9]+$'
}
is "$(reasons | wc -l | tr -d ' ')" "$((3 * N))" "the central history has $((3 * N)) changes"
is "$(reasons | sort -u | wc -l | tr -d ' ')" "$((3 * N))" "... each exactly once"
is "$(git -C "$C" rev-list --no-merges --count main)" "$((base + 3 * N))" \
    "and no other commit but store-sync's merges"
git -C "$C" rev-list main | sort >"$T/central"
sort -u "$T"/made? >"$T/made"
is "$(comm -23 "$T/made" "$T/central" | wc -l | tr -d ' ')" 0 \
    "every commit an office made is in the central history, as made"
for k in 0 1 2; do
	is "$(git -C "$C" log --no-merges --format='%ae %ce' --grep="^Reason: c$k-" main |
	    sort -u)" "o$k@example.org o$k@example.org" "office $k's changes: its operator's own commits"
done
is "$(git -C "$C" log --merges --format='%ae' main | sort -u | tr '\n' ' ')" \
    "o0@example.org o1@example.org o2@example.org " "the merges: each by the office that synced"
git -C "$C" show main:registry/allowed_signers >"$T/signers"
bad=0
while read -r c; do
	git -C "$C" -c gpg.format=ssh -c gpg.ssh.allowedSignersFile="$T/signers" \
	    verify-commit "$c" >/dev/null 2>&1 || bad=$((bad + 1))
done <"$T/central"
is "$bad" 0 "git verify-commit accepts all $(wc -l <"$T/central" | tr -d ' ') commits with their authors' keys"
run store-verify -C "$C" --quiet
expect 0 "store-verify passes on the central repository"
check "git fsck is clean on the central repository" \
    git -C "$C" fsck --strict --no-progress --no-dangling
for k in 0 1 2; do
	is "$(git -C "$T/c$k" rev-parse HEAD)" "$(git -C "$C" rev-parse main)" "clone $k is at the central tip"
	clean "$T/c$k" "clone $k"
done
check "git fsck is clean in a clone" git -C "$T/c1" fsck --strict --no-progress --no-dangling
own=$(( (N / 4) * 2 + (N % 4 >= 1 ? 1 : 0) ))
for k in 0 1 2; do
	is "$(grep -c 'type: engaged' "$T/c2/$(shard "OWN$k")/case.yaml")" "$own" \
	    "OWN$k holds its $own events"
done
entries=$(git -C "$C" ls-tree -r --name-only main "$(shard SHARED)/disclosures" | wc -l | tr -d ' ')
is "$entries" "$(( 2 * (N / 4 + (N % 4 >= 2 ? 1 : 0)) ))" "the shared register holds both clones' entries"

done_testing

#!/usr/bin/env bash
# A case bundle of a case worked on in two offices: commits made in each
# clone, joined by store-sync's signed merges at a central repository,
# are all in the bundle, with the merge that made a case directory
# neither side had (a merge that took one side's is not), in an order in
# which each commit's parent directory is an earlier commit's, and the
# bundle verifies offline, with the checkpoints of both offices; so does
# one made for a recipient, whose register entry names them all.
. "$(dirname "$0")/lib.sh"

ssh_keys ada cat
S="$T/s"
{
	signing_store "$S" &&
	registry -C "$S" add-operator cat --name "Cat Officer" --email cat@example.org \
	    --role case-manager,soct-officer --agency djcs --signing-key "$K/cat.pub" &&
	case-new -C "$S" --today 2026-03-01 --cohort post-sentence VIC-0007
} >/dev/null 2>"$T/setup.err" || { echo "Bail out! cannot make the store: $(head -3 "$T/setup.err")"; exit 1; }
C="$T/central.git"
git clone -q --bare "$S" "$C"
printf '#!/bin/sh\nexec store-verify --pre-receive\n' >"$C/hooks/pre-receive"
chmod +x "$C/hooks/pre-receive"
A="$T/a"
B="$T/b"
git clone -q "$C" "$A"
git clone -q "$C" "$B"
git -C "$B" config user.signingKey "$K/cat"   # office b is Cat's clone
catdo() { as "Cat Officer" cat@example.org "$@"; }
{
	case-event -C "$A" --today 2026-03-03 VIC-0007 order-made --order supervision --date 2026-03-03 &&
	catdo disclose-log -C "$B" add VIC-0007 --to djcs --purpose csp --info "CSP summary" --date 2026-03-04 &&
	store-sync -C "$A" &&
	catdo store-sync -C "$B" &&
	store-sync -C "$A" &&
	store-checkpoint -C "$A" -m "office a" &&
	catdo store-checkpoint -C "$B" -m "office b" &&
	catdo store-sync -C "$B" &&
	store-sync -C "$A"
} >/dev/null 2>"$T/work.err"
check "both offices worked and synced" test $? -eq 0
merges=$(git -C "$A" rev-list --merges --count HEAD)
check "... through a merge" test "$merges" -ge 1

run case-bundle -C "$A" VIC-0007 -o "$T/v.bundle"
expect 0 "office a bundles the case"
err_has "4 commits, 2 checkpoints" "... the three commits of the case and the merge that joined them, the checkpoints of both offices"
run case-bundle --verify "$T/v.bundle"
expect 0 "the bundle verifies"
out_has "Cat Officer <cat@example.org>" "... office b's commit, by its author"
out_has "case-event: VIC-0007 order-made on 2026-03-03" "... office a's"
out_has "store-sync: join 1 local commit with main at" "... the merge, which made a case directory neither side had"
out_has "a merge; what its other side brought:" "... said to be one"
out_has "checkpoint by <cat@example.org>" "... office b's checkpoint"
out_has "checkpoint by <ada@example.org>" "... office a's"

# a disclosure after the merge: the entry names the commits of both
# offices, in the order the bundle holds them
run case-bundle -C "$A" VIC-0007 -o "$T/d.bundle" --recipient djcs --purpose csp
expect 0 "a bundle for a recipient after the merge"
run case-bundle --verify "$T/d.bundle"
expect 0 "... verifies"
out_has "names the 4 commits before it" "... its entry names both offices' commits and the merge"

done_testing

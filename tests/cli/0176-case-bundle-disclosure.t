#!/usr/bin/env bash
# A case bundle for someone outside the agency is a disclosure under s 284
# (rule VIC-S284): case-bundle --recipient --purpose commits the register
# entry, whose reference names the case's commits before it, and the
# bundle holds that commit; --verify shows the disclosure and refuses a
# bundle from which a commit was dropped, even with the line fixed.  A
# recipient or purpose the register refuses makes no commit and no file.
. "$(dirname "$0")/lib.sh"

ssh_keys ada
S="$T/s"
{
	signing_store "$S" &&
	registry -C "$S" add-agency vicpol --name "Victoria Police" --map-member &&
	registry -C "$S" add-agency acme --name "Acme Pty Ltd" &&
	case-new -C "$S" --today 2026-03-01 --cohort post-sentence VIC-0007 &&
	case-event -C "$S" --today 2026-03-03 VIC-0007 order-made --order supervision --date 2026-03-03 &&
	case-event -C "$S" --today 2026-03-04 VIC-0007 stage-changed --stage community --date 2026-03-04
} >/dev/null 2>"$T/setup.err" || { echo "Bail out! cannot make the store: $(head -3 "$T/setup.err")"; exit 1; }
n=$(commits "$S")
P=$(shard VIC-0007)

refuse "--purpose: unknown purpose" "a purpose s 284 does not list" \
    case-bundle -C "$S" VIC-0007 -o "$T/b" --recipient vicpol --purpose curiosity
check "... writes no bundle" test ! -e "$T/b"
check "... nor a temporary file" sh -c "! ls '$T' | grep -q '^b.tmp'"
refuse "is not a relevant person" "a recipient who is not a relevant person" \
    case-bundle -C "$S" VIC-0007 -o "$T/b" --recipient acme --purpose csp
check "... writes no bundle" test ! -e "$T/b"
refuse "needs --grounds" "risk-reduction without grounds" \
    case-bundle -C "$S" VIC-0007 -o "$T/b" --recipient vicpol --purpose risk-reduction
refuse "--recipient and --purpose go together" "a recipient without a purpose" \
    case-bundle -C "$S" VIC-0007 -o "$T/b" --recipient vicpol
run case-bundle -C "$S" -n VIC-0007 -o "$T/b" --recipient vicpol --purpose offender-management
expect 0 "a dry run"
out_has "+recipient: vicpol" "... prints the entry"
check "... writes no bundle" test ! -e "$T/b"
is "$(commits "$S")" "$n" "... and commits nothing"

run case-bundle -C "$S" VIC-0007 -o "$T/b" --recipient vicpol --purpose offender-management -m "requested by VicPol"
expect 0 "a bundle for Victoria Police"
is "$(commits "$S")" "$((n + 1))" "... one commit: the register entry"
entry=$(head -1 "$T/out")
case $entry in "$P"/disclosures/*.yaml) ok "... prints the entry's path" ;; *) not_ok "... prints the entry's path" "got $entry" ;; esac
is "$(trailer "$S" Purpose)" "offender-management" "... Purpose trailer"
is "$(trailer "$S" Case)" "VIC-0007" "... Case trailer"
is "$(trailer "$S" Reason)" "requested by VicPol" "... Reason trailer"
check "the entry names the recipient" grep -qx "recipient: vicpol" "$S/$entry"
check "... and what was disclosed" grep -q "information: the case's records and their history, as a case bundle" "$S/$entry"
check "... and the three commits before it" grep -q "reference: 'case-bundle: 3 commits of the case before this one, list [0-9a-f]\{40\}'" "$S/$entry"
clean "$S" "case-bundle --recipient"
run disclose-log -C "$S" list VIC-0007
out_has "vicpol" "disclose-log lists the entry"
run disclose-log -C "$S" verify
expect 0 "the register verifies"
run store-verify -C "$S" --quiet
expect 0 "store-verify accepts the commit"
grep -q "^disclosure $(git -C "$S" rev-parse HEAD)$" "$T/b" 2>/dev/null
check "the bundle holds the entry's commit" test $? -eq 0

F="$T/fresh"
mkdir -p "$F/home"
cp "$T/b" "$F/b"
(cd "$F" && HOME="$F/home" case-bundle --verify b) >"$T/out" 2>"$T/err"
rc=$?
expect 0 "the disclosed bundle verifies offline"
out_has "disclosed to vicpol (Victoria Police) for offender-management by ada at" "... naming the disclosure"
out_has "names the 3 commits before it" "... and the commits its entry names"

# a commit dropped and the next commit's line made to fit: the entry,
# signed with its commit, still names the dropped one
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$CT_SOURCE_DIR/tests/cli" python3 - "$T/b" "$F/drop" <<'PY'
import sys
import bundlefile
lines, objs, rest = bundlefile.read(sys.argv[1])
cl = [l for l in lines if l.startswith(b"commit ")]
drop, after = cl[1].split(b" "), cl[2].split(b" ")
lines = [l for l in lines if l != cl[1]]
lines = [b"commit %s %s" % (after[1], drop[2]) if l == cl[2] else l for l in lines]
objs = [o for o in objs if o[1] != drop[1]]
bundlefile.write(sys.argv[2], lines, objs, rest)
PY
(cd "$F" && HOME="$F/home" case-bundle --verify drop) >"$T/out" 2>"$T/err"
rc=$?
expect 1 "a commit dropped, the lines made to fit: refused"
out_has "bundle-incomplete: the register entry of a bundle says \"case-bundle: 3 commits" "... by the register entry"
out_has "but the commits before it in this bundle give \"case-bundle: 2 commits" "... which names one more"
is "$(grep -c bundle-incomplete "$T/out")" "1" "... once"

# a later bundle, made for use inside the agency, holds the first's
# register entry, which still names the commits before it
S="$T/s"
run case-bundle -C "$S" VIC-0007 -o "$T/later"
expect 0 "a later bundle without a recipient"
is "$(commits "$S")" "$((n + 1))" "... commits nothing"
run case-bundle --verify "$T/later"
expect 0 "... verifies"
out_has "1 register entry of a bundle, signed with its commit, names the commits before it" "... with the earlier bundle's entry"

# an ACT case: s 284 is Victorian law
A="$T/act"
new_store "$A" ACT
case-new -C "$A" --today 2026-03-01 --cohort sentenced ACT-0001 >/dev/null 2>&1
n=$(commits "$A")
S=$A refuse "VIC" "a disclosure of an ACT case under s 284" \
    case-bundle -C "$A" ACT-0001 -o "$T/act.b" --recipient dffh --purpose csp
run case-bundle -C "$A" ACT-0001 -o "$T/act.b"
expect 0 "an ACT case is bundled without a disclosure"
run case-bundle --verify "$T/act.b"
expect 0 "... and verifies"
out_has "the store does not sign its commits" "... saying its commits are unsigned"

# a commit (by plain git) that changes the case and the registry together
# can not be checked offline against its parent's keys: no bundle
P=$(shard ACT-0001)
printf '# note\n' >>"$A/registry/agencies.yaml"
printf '# note\n' >>"$A/$P/case.yaml"
git -C "$A" commit -q -a -m "case and registry at once"
rm -f "$T/act.b"
run case-bundle -C "$A" ACT-0001 -o "$T/act.b"
expect 2 "a commit that changes the case and the registry together"
err_has "changes the case and registry together: its signature could not be checked offline" "... saying why"
check "... writes no bundle" test ! -e "$T/act.b"

# ... and for a recipient, no register entry either: the bundle is made
# before the entry is committed
S="$T/s"
P=$(shard VIC-0007)
printf '# note\n' >>"$S/registry/agencies.yaml"
printf '# note\n' >>"$S/$P/case.yaml"
git -C "$S" -c gpg.format=ssh -c user.signingKey="$K/ada" commit -q -S -a -m "case and registry at once"
n=$(commits "$S")
refuse "changes the case and registry together" "a bundle that can not be made, for a recipient" \
    case-bundle -C "$S" VIC-0007 -o "$T/vic.b" --recipient vicpol --purpose csp
check "... writes no bundle" test ! -e "$T/vic.b"
clean "$S" "... and no register entry"

done_testing

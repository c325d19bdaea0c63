#!/usr/bin/env bash
# store-verify: a store made only by the tools is clean; each kind of
# hand-made bad commit gives exactly its report line(s) and exit 1;
# --since limits the walk; --pre-receive as the hook of a bare clone
# accepts a good push and refuses a bad one; reading commits nothing.
. "$(dirname "$0")/lib.sh"
: "${CT_FIXTURES:?}"
PLAN="$CT_FIXTURES/cmp/custodial-act-0042.yaml"
Z=000000000000000000000000000000000000000000000000000000

# --- a clean ACT store: registry, cases, events, LSI-R, plan, approval
S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
{
	registry -C "$S" add-operator carol --name "Carol Leader" --email carol@example.org \
	    --role cmu-team-leader --agency djcs &&
	registry -C "$S" add-operator dave --name "Dave Manager" --email dave@example.org \
	    --role case-manager --agency djcs &&
	case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 ACT-0043 &&
	case-event -C "$S" ACT-0042 sentence-commenced --date 2026-03-02 &&
	assess-add -C "$S" --today 2026-03-30 --date 2026-03-30 --items $Z ACT-0042 lsi-r &&
	cmp-new -C "$S" --today 2026-04-02 --kind custodial -f "$PLAN" ACT-0042 &&
	as "Carol Leader" carol@example.org cmp-approve -C "$S" --today 2026-04-08 \
	    --kind custodial ACT-0042
} >/dev/null 2>&1 || { echo "Bail out! cannot fill the store"; exit 1; }
D=$(shard ACT-0042)
n=$(commits "$S")

run store-verify -C "$S"
expect 0 "a store made by the tools"
is "$(cat "$T/out")" "" "no output"
is "$(commits "$S")" "$n" "reading commits nothing"
clean "$S" "after store-verify"

# --- a clean VIC store with a disclosure entry
V="$T/v"
new_store "$V" VIC || { echo "Bail out! cannot make a VIC store"; exit 1; }
{
	registry -C "$V" add-operator jlee --name "Jo Lee" --email jo@example.org \
	    --role case-manager --agency dffh &&
	case-new -C "$V" --cohort post-sentence VIC-0007 &&
	disclose-log -C "$V" add VIC-0007 --to jlee --purpose csp \
	    --info "Draft CSP" --date 2026-03-02T09:30:00+11:00
} >/dev/null 2>&1 || { echo "Bail out! cannot fill the VIC store"; exit 1; }
run store-verify -C "$V"
expect 0 "a VIC store with a disclosure entry"
is "$(cat "$T/out")" "" "no output"

# head12 STORE: the abbreviated id of HEAD
head12() { git -C "$1" rev-parse HEAD | cut -c1-12; }

# --- a disclosure entry changed by hand (with trailers: only the entry)
E=$(git -C "$V" ls-files "$(shard VIC-0007)/disclosures")
sed -i 's/^information: .*/information: Something else/' "$V/$E"
git -C "$V" commit -q -am "disclose-log: fix" --trailer "Case: VIC-0007" \
    --trailer "Tool: disclose-log 0.1.0"
h=$(head12 "$V")
run store-verify -C "$V" --quiet
expect 1 "a disclosure entry changed"
is "$(cat "$T/out")" "$h $E append-only: changed after it was recorded: a disclosure is never changed" \
    "one line: the entry, rule append-only (the change policy's, not twice)"
run disclose-log -C "$V" verify
expect 1 "disclose-log verify: the changed entry"
out_has " $E: modified after it was added" "disclose-log verify names it"

# --- a disclosure entry removed by hand
git -C "$V" reset -q --hard HEAD~1
git -C "$V" rm -q "$E"
git -C "$V" commit -q -m "disclose-log: drop" --trailer "Case: VIC-0007" \
    --trailer "Tool: disclose-log 0.1.0"
h=$(head12 "$V")
run store-verify -C "$V" --quiet
expect 1 "a disclosure entry removed"
is "$(cat "$T/out")" "$h $E append-only: removed after it was recorded: a disclosure is never removed" \
    "one line: the entry, rule append-only"
git -C "$V" reset -q --hard HEAD~1

# --- case.yaml edited by hand, committed without trailers
C="$T/c"
git clone -q "$S" "$C"
printf '  - date: %s\n    type: %s\n' 2026-03-05 sentence-commenced >>"$C/$D/case.yaml"
git -C "$C" commit -q -am "fix the date"
h=$(head12 "$C")
run store-verify -C "$C"
expect 1 "case.yaml edited without trailers"
is "$(cat "$T/out")" "$h - no-trailers: the commit changes records but has no Tool: trailer
$h - case-mismatch: the commit changes case ACT-0042 but has no Case: trailer" \
    "no-trailers and case-mismatch"

# --- --since: only the commits after rev
run store-verify -C "$C" --since HEAD
expect 0 "--since HEAD: nothing to check"
run store-verify -C "$C" --since HEAD~1
expect 1 "--since HEAD~1: the last commit"
is "$(wc -l <"$T/out" | tr -d ' ')" 2 "--since HEAD~1: its two lines"
run store-verify -C "$C" --since nosuchrev
expect 2 "--since an unknown revision"
err_has "unknown revision 'nosuchrev'" "names the revision"

# --- invalid YAML, with good trailers
git -C "$C" reset -q --hard "$(git -C "$S" rev-parse HEAD)"
printf 'id: [unclosed\n' >"$C/$D/case.yaml"
git -C "$C" commit -q -am "case-event: x" --trailer "Case: ACT-0042" \
    --trailer "Tool: case-event 0.1.0"
h=$(head12 "$C")
run store-verify -C "$C"
expect 1 "invalid YAML"
is "$(wc -l <"$T/out" | tr -d ' ')" 1 "one line"
out_has "$h $D/case.yaml record-invalid: " "record-invalid names the record"

# --- a record that is YAML but not valid against its schema
git -C "$C" reset -q --hard "$(git -C "$S" rev-parse HEAD)"
sed -i 's/^cohort: .*/cohort: nonsense/' "$C/$D/case.yaml"
git -C "$C" commit -q -am "case-event: x" --trailer "Case: ACT-0042" \
    --trailer "Tool: case-event 0.1.0"
run store-verify -C "$C"
expect 1 "a schema-invalid case"
out_has "$(head12 "$C") $D/case.yaml record-invalid: " "record-invalid"
is "$(wc -l <"$T/out" | tr -d ' ')" 1 "one line however many schema errors"

# --- an unknown author
git -C "$C" reset -q --hard "$(git -C "$S" rev-parse HEAD)"
printf '  - date: %s\n    type: %s\n' 2026-03-05 stage-changed >>"$C/$D/case.yaml"
sed -i '$ d' "$C/$D/case.yaml"
printf '    type: sentence-commenced\n' >>"$C/$D/case.yaml"
git -C "$C" -c user.email=nobody@example.org commit -q -am "case-event: x" \
    --trailer "Case: ACT-0042" --trailer "Tool: case-event 0.1.0"
run store-verify -C "$C"
expect 1 "an unknown author"
is "$(cat "$T/out")" "$(head12 "$C") - unregistered-author: the author <nobody@example.org> is not a registered operator" \
    "one line: unregistered-author"

# --- Case: trailer naming another case
git -C "$C" reset -q --hard "$(git -C "$S" rev-parse HEAD)"
sed -i 's/^created: .*/created: '"'2026-03-02'"'/' "$C/$D/case.yaml"
git -C "$C" commit -q -am "case-event: x" --trailer "Case: ACT-0043" \
    --trailer "Tool: case-event 0.1.0"
h=$(head12 "$C")
run store-verify -C "$C"
expect 1 "Case: names the wrong case"
is "$(cat "$T/out")" "$h - case-mismatch: the commit changes case ACT-0042 but its Case: trailer is 'ACT-0043'
$h - case-mismatch: the Case: trailer names ACT-0043 but the commit does not change its directory" \
    "both directions of case-mismatch"

# --- a forged approval by a case manager
git -C "$C" reset -q --hard "$(git -C "$S" rev-parse HEAD)"
cat >>"$C/$D/cmp/custodial.yaml" <<'EOF'
  - version: 1
    by: dave
    role: cmu-team-leader
    date: '2026-04-09'
EOF
git -C "$C" -c user.name="Dave Manager" -c user.email=dave@example.org commit -q -am \
    "cmp-approve: x" --trailer "Case: ACT-0042" --trailer "Record: cmp/custodial" \
    --trailer "Action: approve" --trailer "Approved-by: dave (cmu-team-leader)" \
    --trailer "Tool: cmp-approve 0.1.0"
run store-verify -C "$C"
expect 1 "an approval forged by a case manager"
is "$(cat "$T/out")" "$(head12 "$C") $D/cmp/custodial.yaml approval-role: approved by <dave@example.org>, who does not hold the role cmu-team-leader at the parent commit" \
    "one line: approval-role"

# --- Action: approve without an approval
git -C "$C" reset -q --hard "$(git -C "$S" rev-parse HEAD)"
sed -i 's/^comments: .*/comments: Changed./' "$C/$D/cmp/custodial.yaml"
git -C "$C" commit -q -am "cmp-approve: x" --trailer "Case: ACT-0042" \
    --trailer "Action: approve" --trailer "Tool: cmp-approve 0.1.0"
run store-verify -C "$C"
expect 1 "Action: approve without an approval"
is "$(grep -c . "$T/out")" 2 "two lines"
out_has "$(head12 "$C") - action-mismatch: Action: approve but no plan's approvals grew" \
    "one line: action-mismatch"
out_has "$(head12 "$C") $D/cmp/custodial.yaml approval-stale: " \
    "one line: approval-stale (the plan changed and is still approved)"

# --- an approved community plan changed by hand, still approved
git -C "$C" reset -q --hard "$(git -C "$S" rev-parse HEAD)"
mkdir -p "$C/$D/cmp"
sed -e 's/^kind: custodial/kind: community/' "$C/$D/cmp/custodial.yaml" >"$C/$D/cmp/community.yaml"
sed -i -e 's/role: cmu-team-leader/role: community-team-leader/' \
    -e 's/^changed_by: .*/changed_by: dave/' -e 's/by: carol$/by: ada/' "$C/$D/cmp/community.yaml"
git -C "$C" add "$D/cmp/community.yaml"
git -C "$C" commit -q -m "cmp-approve: x" --trailer "Case: ACT-0042" \
    --trailer "Action: approve" --trailer "Approved-by: ada (community-team-leader)" \
    --trailer "Tool: cmp-approve 0.1.0"
run store-verify -C "$C" --since HEAD~1
if [ "$rc" -eq 0 ]; then
	sed -i 's/^comments: .*/comments: Changed after approval./' "$C/$D/cmp/community.yaml"
	git -C "$C" commit -q -am "cmp-review: x" --trailer "Case: ACT-0042" \
	    --trailer "Tool: cmp-review 0.1.0"
	run store-verify -C "$C" --since HEAD~2
	expect 1 "an approved community plan changed after its approval"
	is "$(cat "$T/out")" "$(head12 "$C") $D/cmp/community.yaml approval-stale: the plan changed without a new approval and is still 'approved'; a changed plan goes back to 'pending-approval'" \
	    "one line: approval-stale, at the change"
	sed -i 's/^status: .*/status: pending-approval/' "$C/$D/cmp/community.yaml"
	git -C "$C" commit -q -am "cmp-review: y" --trailer "Case: ACT-0042" \
	    --trailer "Tool: cmp-review 0.1.0"
	run store-verify -C "$C" --since HEAD~1
	expect 0 "a changed community plan back in pending-approval"
	run store-verify -C "$C" --since HEAD~3
	expect 1 "... the commit that left it approved stays reported"
else
	not_ok "a hand-made approved community plan verifies" "exit $rc"
fi

# --- --pre-receive in a bare clone
B="$T/b.git"
W="$T/w"
git clone -q --bare "$S" "$B"
printf '#!/bin/sh\nexec store-verify --pre-receive\n' >"$B/hooks/pre-receive"
chmod +x "$B/hooks/pre-receive"
git clone -q "$B" "$W"
case-event -C "$W" ACT-0043 sentence-commenced --date 2026-03-03 >/dev/null 2>&1
run git -C "$W" push -q origin main
expect 0 "push of a commit made by a tool"
is "$(git -C "$B" rev-parse main)" "$(git -C "$W" rev-parse HEAD)" "the remote took it"
good=$(git -C "$B" rev-parse main)
sed -i 's/^cohort: .*/cohort: remand/' "$W/$(shard ACT-0043)/case.yaml"
git -C "$W" -c user.email=nobody@example.org commit -q -am "hand edit"
h=$(head12 "$W")
run git -C "$W" push -q origin main
check "push of a bad commit is refused" test "$rc" -ne 0
err_has "$h - no-trailers: the commit changes records but has no Tool: trailer" \
    "the hook prints the problems"
err_has "$h - unregistered-author: the author <nobody@example.org> is not a registered operator" \
    "... every one of them"
is "$(git -C "$B" rev-parse main)" "$good" "the remote ref is unchanged"
run store-verify -C "$B" --quiet
expect 0 "the bare store itself verifies"

run store-verify -C "$S" extra
expect 2 "an extra argument"
clean "$S" "at the end"
is "$(commits "$S")" "$n" "no commit made"

done_testing

#!/usr/bin/env bash
# The central pre-receive hook refuses what a server setting might let
# through: a non-fast-forward update of main on a server that allows them
# (receive.denyNonFastForwards false), a deletion of main, any other ref
# unless --allow-ref takes it; and it runs the full s 284 disclosure
# checks (VIC-S284) on pushed entries, reading them from the push's
# quarantine: an entry to a person who is not a relevant person, with a
# purpose that is not one of s 284's, or without the Purpose trailer.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" VIC || { echo "Bail out! cannot make a store"; exit 1; }
{
	registry -C "$S" add-agency acme --name "Acme Pty Ltd (not funded)" &&
	registry -C "$S" add-operator jlee --name "Jo Lee" --email jo@example.org \
	    --role case-manager --agency dffh &&
	registry -C "$S" add-operator zed --name "Zed Outsider" --email zed@example.org \
	    --role case-manager --agency acme &&
	case-new -C "$S" --cohort post-sentence VIC-0007 &&
	disclose-log -C "$S" add VIC-0007 --to jlee --purpose csp \
	    --info "Draft CSP" --date 2026-03-02T09:30:00+11:00
} >/dev/null 2>&1 || { echo "Bail out! cannot fill the store"; exit 1; }

B="$T/central.git"
git clone -q --bare "$S" "$B"
git -C "$B" config receive.denyNonFastForwards false
git -C "$B" config receive.denyDeletes false
printf '#!/bin/sh\nexec store-verify --pre-receive --allow-ref "refs/tags/*"\n' \
    >"$B/hooks/pre-receive"
chmod +x "$B/hooks/pre-receive"
W="$T/w"
git clone -q "$B" "$W"
tip=$(git -C "$B" rev-parse main)

# --- history is never rewritten, main never deleted
git -C "$W" commit -q --amend -m "disclose-log: rewritten" --no-edit
h=$(git -C "$W" rev-parse HEAD | cut -c1-12)
run git -C "$W" push -q --force origin main
check "a forced non-fast-forward push is refused" test "$rc" -ne 0
err_has "$h - non-fast-forward: " "... as non-fast-forward"
is "$(git -C "$B" rev-parse main)" "$tip" "... main is unchanged"
git -C "$W" reset -q --hard origin/main

run git -C "$W" push -q origin :main
check "a deletion of main is refused" test "$rc" -ne 0
err_has "branch-deleted" "... as branch-deleted"
is "$(git -C "$B" rev-parse main)" "$tip" "... main is still there"

run git -C "$W" push -q origin main:refs/heads/other
check "a push of another branch is refused" test "$rc" -ne 0
err_has "ref-refused: only refs/heads/main may be pushed" "... as ref-refused"
check "... the branch was not made" test -z "$(git -C "$B" for-each-ref refs/heads/other)"

git -C "$W" tag v1
run git -C "$W" push -q origin v1
expect 0 "a tag the hook's --allow-ref takes"

# --- disclosure entries made by plain git, pushed
E=$(git -C "$W" ls-files "$(shard VIC-0007)/disclosures")
dir=$(dirname "$E")

# push_entry NAME SED MESSAGE DESC RULE-TEXT: add a copy of the entry as
# NAME edited by SED, commit with MESSAGE, push: refused, naming it
push_entry() {
	sed "$2" "$W/$E" >"$W/$dir/$1"
	git -C "$W" add "$dir/$1"
	git -C "$W" commit -q -m "$3"
	h=$(git -C "$W" rev-parse HEAD | cut -c1-12)
	run git -C "$W" push -q origin main
	check "$4: refused by the hook" test "$rc" -ne 0
	err_has "$h $dir/$1 disclosure: $5" "$4: the hook names the entry and why"
	is "$(git -C "$B" rev-parse main)" "$tip" "$4: main is unchanged"
	git -C "$W" reset -q --hard origin/main
}

TR="disclose-log: VIC-0007 disclosed

Case: VIC-0007
Record: disclosure
Action: add
Purpose: csp
Tool: disclose-log 0.1.0"

push_entry 20260401T000000Z-1.yaml \
    "s/^at: .*/at: '2026-04-01T00:00:00Z'/; s/^recipient: .*/recipient: zed/; s/^recipient_name: .*/recipient_name: Zed Outsider/; s/^recipient_agency: .*/recipient_agency: acme/" \
    "$TR" "an entry to a person who is not a relevant person (VIC-S284)" \
    "recipient: 'zed' is not a relevant person under s 284"
push_entry 20260401T000000Z-1.yaml \
    "s/^at: .*/at: '2026-04-01T00:00:00Z'/; s/^purpose: .*/purpose: curiosity/" \
    "${TR/Purpose: csp/Purpose: curiosity}" "an entry with a purpose s 284 does not list (VIC-S284)" \
    "not a valid disclosure entry: $dir/20260401T000000Z-1.yaml:9:10: purpose: 'curiosity' is not one of"
push_entry 20260401T000000Z-1.yaml \
    "s/^at: .*/at: '2026-04-01T00:00:00Z'/" \
    "${TR/Purpose: csp
/}" "an entry without the Purpose trailer (VIC-S284)" \
    "added by a commit without matching trailers (Purpose: none"

# --- and a good entry made by the tool goes through
disclose-log -C "$W" add VIC-0007 --to jlee --purpose csp --info "Final CSP" \
    --date 2026-04-02T09:30:00+11:00 >/dev/null 2>&1
run git -C "$W" push -q origin main
expect 0 "an entry made by disclose-log is accepted"
is "$(git -C "$B" rev-parse main)" "$(git -C "$W" rev-parse HEAD)" "... main moved"
run store-verify -C "$B" --quiet
expect 0 "the central store verifies"
clean "$W" "the clone at the end"

done_testing

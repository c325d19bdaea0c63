#!/usr/bin/env bash
# disclose-log add (rule VIC-S284): entries, commits and trailers, every
# refusal (nothing committed), a batch from stdin, dry run, entries never
# overwritten.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" VIC || { echo "Bail out! cannot make a store"; exit 1; }
{
	registry -C "$S" add-agency dh --name "Department of Health" --map-member &&
	registry -C "$S" add-agency forensicare --name "Forensicare" --funded-by dh &&
	registry -C "$S" add-agency acme --name "Acme Security" &&
	registry -C "$S" add-agency acmecare --name "Acme Care" --funded-by acme &&
	registry -C "$S" add-operator jlee --name "Jo Lee" --email jo@example.org \
	    --role case-manager --agency forensicare &&
	registry -C "$S" add-operator kim --name "Kim Guard" --email kim@example.org \
	    --role auditor --agency acme &&
	registry -C "$S" add-operator nemo --name "Nemo Free" --email nemo@example.org \
	    --role auditor &&
	registry -C "$S" add-operator dh --name "Dana Hill" --email dana@example.org \
	    --role case-manager --agency dh &&
	case-new -C "$S" --cohort post-sentence VIC-0007 VIC-0012 VIC-0020
} >/dev/null 2>&1 || { echo "Bail out! cannot fill the store"; exit 1; }
D="$(shard VIC-0007)/disclosures"
n=$(commits "$S")

# --- a disclosure to an operator of a funded service
run disclose-log -C "$S" add VIC-0007 --to jlee --purpose csp \
    --info "Draft CSP, treatment goals section" --means written \
    --ref "MAP meeting 2026-03" --date 2026-03-02T09:30:00+11:00 \
    -m "CSP review before the March MAP meeting"
expect 0 "VIC-S284: disclosure to a funded service's operator for csp"
is "$(cat "$T/out")" "$D/20260301T223000Z-1.yaml" "prints the entry's path (UTC timestamp file name)"
is "$(commits "$S")" "$((n + 1))" "one commit"
is "$(trailer "$S" Purpose)" csp "Purpose trailer"
is "$(trailer "$S" Case)" VIC-0007 "Case trailer"
is "$(trailer "$S" Record)" disclosure "Record trailer"
is "$(trailer "$S" Action)" add "Action trailer"
is "$(trailer "$S" Reason)" "CSP review before the March MAP meeting" "-m is the Reason"
is "$(git -C "$S" log -1 --format=%s)" "disclose-log: VIC-0007 disclosed to jlee for csp" "subject"
is "$(git -C "$S" log -1 --format=%ae)" ada@example.org "committed as the discloser"
is "$(git -C "$S" show --name-status --format= HEAD)" "A	$D/20260301T223000Z-1.yaml" "the commit adds the entry and nothing else"
is "$(cat "$S/$D/20260301T223000Z-1.yaml")" "case: VIC-0007
at: '2026-03-01T22:30:00Z'
discloser: ada
discloser_agency: djcs
recipient: jlee
recipient_kind: operator
recipient_name: Jo Lee
recipient_agency: forensicare
purpose: csp
information: Draft CSP, treatment goals section
means: written
reference: MAP meeting 2026-03" "the entry, canonical YAML in schema order"
clean "$S" "after add"

# --- a day, an agency recipient, risk-reduction with grounds
run disclose-log -C "$S" add VIC-0007 --to dffh --purpose offender-management \
    --info "Change of address" --means verbal --date 2026-03-05
expect 0 "VIC-S284: disclosure to a MAP member agency"
is "$(cat "$T/out")" "$D/20260305T000000Z-1.yaml" "a day is stored at 00:00:00Z"
check "recipient_kind agency" grep -qx "recipient_kind: agency" "$S/$D/20260305T000000Z-1.yaml"
check "the at field" grep -qx "at: '2026-03-05T00:00:00Z'" "$S/$D/20260305T000000Z-1.yaml"
run disclose-log -C "$S" add VIC-0007 --to forensicare --purpose risk-reduction \
    --grounds "Threat against a named person reported on 2026-03-06" \
    --info "Current address and vehicle" --means electronic --date 2026-03-06T08:00:00Z
expect 0 "VIC-S284: risk-reduction with stated grounds"
check "grounds are kept" grep -qx "grounds: Threat against a named person reported on 2026-03-06" \
    "$S/$D/20260306T080000Z-1.yaml"
is "$(trailer "$S" Purpose)" risk-reduction "Purpose trailer risk-reduction"
run disclose-log -C "$S" add VIC-0007 --to agency:dh --purpose report \
    --info "Progress report for the Authority" --date 2026-03-07
expect 0 "agency:ID names the agency when an operator has the same id"
check "agency chosen" grep -qx "recipient_kind: agency" "$S/$D/20260307T000000Z-1.yaml"
run disclose-log -C "$S" add VIC-0007 --to operator:dh --purpose application \
    --info "Affidavit for a supervision order application" --date 2026-03-07
expect 0 "operator:ID names the operator"
is "$(cat "$T/out")" "$D/20260307T000000Z-2.yaml" "a second entry in the same second gets -2"
check "operator chosen" grep -qx "recipient_name: Dana Hill" "$S/$D/20260307T000000Z-2.yaml"

# --- never overwritten: the same second again leaves the others unchanged
before=$(git -C "$S" rev-parse "HEAD:$D/20260307T000000Z-1.yaml" "HEAD:$D/20260307T000000Z-2.yaml")
run disclose-log -C "$S" add VIC-0007 --to jlee --purpose service-delivery \
    --info "Appointment times" --date 2026-03-07
expect 0 "a third entry of that second"
is "$(cat "$T/out")" "$D/20260307T000000Z-3.yaml" "takes the next free name"
is "$(git -C "$S" rev-parse "HEAD:$D/20260307T000000Z-1.yaml" "HEAD:$D/20260307T000000Z-2.yaml")" \
    "$before" "the existing entries are unchanged"
is "$(git -C "$S" show --name-status --format= HEAD | cut -c1)" A "the commit only adds"

# --- without --date: now, to the second, in UTC
run disclose-log -C "$S" add VIC-0012 --to jlee --purpose csp --info "CSP v2"
expect 0 "without --date"
check "named by the current UTC time" grep -qE "^$(shard VIC-0012)/disclosures/[0-9]{8}T[0-9]{6}Z-1\.yaml$" "$T/out"
check "at is RFC 3339 UTC" grep -qE "^at: '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'$" "$S/$(cat "$T/out")"
check "no means: not recorded" sh -c "! grep -q '^means:' '$S/$(cat "$T/out")'"
n=$(commits "$S")
clean "$S" "after the adds"

# --- refusals: each exits 2, says why, commits nothing
refuse() {
	local want=$1 desc=$2
	shift 2
	run "$@"
	expect 2 "$desc"
	err_has "$want" "$desc: says why"
}
refuse "'ghost' is not a registered operator or agency" "VIC-S284: recipient not registered" \
    disclose-log -C "$S" add VIC-0007 --to ghost --purpose csp --info x
refuse "'kim' is not a relevant person under s 284 (VIC-S284): their agency 'acme' is neither a MAP member agency nor a service funded by one" \
    "VIC-S284: recipient operator of an agency outside the MAP" \
    disclose-log -C "$S" add VIC-0007 --to kim --purpose csp --info x
refuse "'acme' is not a relevant person under s 284 (VIC-S284): agency 'acme' is neither" \
    "VIC-S284: recipient agency outside the MAP" \
    disclose-log -C "$S" add VIC-0007 --to acme --purpose csp --info x
refuse "agency 'acmecare' is funded by 'acme', which is not a MAP member agency" \
    "VIC-S284: recipient service funded by a non-member" \
    disclose-log -C "$S" add VIC-0007 --to acmecare --purpose csp --info x
refuse "'nemo' is not a relevant person under s 284 (VIC-S284): they belong to no agency" \
    "VIC-S284: recipient operator without an agency" \
    disclose-log -C "$S" add VIC-0007 --to nemo --purpose csp --info x
refuse "names both an operator and an agency; write operator:dh or agency:dh" \
    "an id naming an operator and an agency is ambiguous" \
    disclose-log -C "$S" add VIC-0007 --to dh --purpose csp --info x
refuse "--purpose: unknown purpose 'curiosity'; s 284 (VIC-S284) allows only report, application, csp, service-delivery, offender-management or risk-reduction" \
    "VIC-S284: unknown purpose" \
    disclose-log -C "$S" add VIC-0007 --to jlee --purpose curiosity --info x
refuse "--purpose risk-reduction needs --grounds" "VIC-S284: risk-reduction without grounds" \
    disclose-log -C "$S" add VIC-0007 --to jlee --purpose risk-reduction --info x
refuse "--grounds: only for --purpose risk-reduction" "grounds with another purpose" \
    disclose-log -C "$S" add VIC-0007 --to jlee --purpose csp --grounds y --info x
refuse "git identity 'Eve Outsider <eve@example.org>' is not a registered operator" \
    "VIC-S284: discloser not registered" \
    as "Eve Outsider" eve@example.org disclose-log -C "$S" add VIC-0007 --to jlee --purpose csp --info x
refuse "the discloser: 'kim' is not a relevant person under s 284" \
    "VIC-S284: discloser registered but not a relevant person" \
    as "Kim Guard" kim@example.org disclose-log -C "$S" add VIC-0007 --to jlee --purpose csp --info x
refuse "--means: expected verbal, written, electronic or meeting, not 'fax'" "unknown means" \
    disclose-log -C "$S" add VIC-0007 --to jlee --purpose csp --info x --means fax
refuse "--to: the recipient" "no --to" disclose-log -C "$S" add VIC-0007 --purpose csp --info x
refuse "--purpose is required" "no --purpose" disclose-log -C "$S" add VIC-0007 --to jlee --info x
refuse "--info is required" "no --info" disclose-log -C "$S" add VIC-0007 --to jlee --purpose csp
refuse "--info: must be one line" "--info with a newline (trailer forgery)" \
    disclose-log -C "$S" add VIC-0007 --to jlee --purpose csp --info $'x\nPurpose: report'
refuse "--grounds: must be one line" "--grounds with a newline" \
    disclose-log -C "$S" add VIC-0007 --to jlee --purpose risk-reduction --info x --grounds $'a\nb'
refuse "--reason: must be one line" "-m with a newline" \
    disclose-log -C "$S" add VIC-0007 --to jlee --purpose csp --info x -m $'a\nCase: VIC-0012'
refuse "--ref: longer than 200" "--ref too long" \
    disclose-log -C "$S" add VIC-0007 --to jlee --purpose csp --info x --ref "$(printf '%0201d' 0)"
refuse "case VIC-0404 does not exist" "no such case" \
    disclose-log -C "$S" add VIC-0404 --to jlee --purpose csp --info x
refuse "invalid" "invalid case id" disclose-log -C "$S" add ../x --to jlee --purpose csp --info x
refuse "--date: expected a day YYYY-MM-DD or an RFC 3339 date-time" "malformed --date" \
    disclose-log -C "$S" add VIC-0007 --to jlee --purpose csp --info x --date 2026-03-05T10:00
refuse "--date: 2026-12-01 is after today (2026-11-24)" "--date after today" \
    env CASETRAIL_TODAY=2026-11-24 disclose-log -C "$S" add VIC-0007 --to jlee --purpose csp --info x --date 2026-12-01
refuse "--format is not an option of add" "an option of another subcommand" \
    disclose-log -C "$S" add VIC-0007 --to jlee --purpose csp --info x --format json
is "$(commits "$S")" "$n" "VIC-S284: no refusal made a commit"
clean "$S" "after the refusals"
run env CASETRAIL_TODAY=2026-11-24 disclose-log -C "$S" add VIC-0007 --to jlee --purpose csp --info x --date 2026-11-24T23:00:00+11:00
is "$rc" 0 "a local date-time of today (earlier in UTC) is not after today"
n=$(commits "$S")
run_in $'VIC-0007\nVIC-0404\nVIC-0012\n' disclose-log -C "$S" add - --to jlee --purpose csp --info x
expect 2 "a batch with a case that does not exist"
err_has "case VIC-0404 does not exist" "names the case"
is "$(commits "$S")" "$n" "no commit on any error, not even for the cases before it"
clean "$S" "after the refusals"

A="$T/act"
new_store "$A" ACT && case-new -C "$A" --cohort sentenced ACT-0042 >/dev/null 2>&1
na=$(commits "$A")
run disclose-log -C "$A" add ACT-0042 --to ada --purpose csp --info x
expect 2 "VIC-S284: an ACT case"
err_has "case ACT-0042 is an ACT case; s 284 of the Serious Offenders Act 2018 (VIC-S284) applies to VIC cases only" "says why"
is "$(commits "$A")" "$na" "no commit in the ACT store"

# --- dry run
run disclose-log -C "$S" -n add VIC-0020 --to jlee --purpose csp --info "CSP v1" --date 2026-04-01
expect 0 "dry run"
out_has "+purpose: csp" "prints the entry as a diff"
out_has "+++ b/$(shard VIC-0020)/disclosures/20260401T000000Z-1.yaml" "names the new file"
err_has "dry run" "says nothing was committed"
is "$(commits "$S")" "$n" "dry run commits nothing"
check "no file written" test ! -e "$S/$(shard VIC-0020)/disclosures"

# --- a batch from stdin: one entry and one commit per case
run_in $'VIC-0007\nVIC-0012\n\nVIC-0020\n' disclose-log -C "$S" add - --to dffh --purpose csp \
    --info "MAP meeting pack, April" --means meeting --ref "MAP 2026-04-14" --date 2026-04-14T10:00:00+10:00
expect 0 "VIC-S284: batch from stdin"
is "$(commits "$S")" "$((n + 3))" "one commit per case"
is "$(wc -l <"$T/out")" 3 "one path per case"
is "$(git -C "$S" log -3 --format='%(trailers:key=Case,valueonly)' | sed '/^$/d' | sort | tr '\n' ' ')" \
    "VIC-0007 VIC-0012 VIC-0020 " "each commit names its case"
is "$(git -C "$S" log -3 --format='%(trailers:key=Purpose,valueonly)' | sed '/^$/d' | sort -u)" csp \
    "each commit has the Purpose trailer"
for c in VIC-0007 VIC-0012 VIC-0020; do
	check "$c has the entry" test -f "$S/$(shard "$c")/disclosures/20260414T000000Z-1.yaml"
done
is "$(git -C "$S" log -3 --format= --name-only | sed '/^$/d' | wc -l)" 3 "each commit adds one file"
clean "$S" "at the end"

done_testing

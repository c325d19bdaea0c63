#!/usr/bin/env bash
# disclose-log list, verify and report (rule VIC-S284): filters and formats
# (CSV safe in a spreadsheet), verify clean on a normal history and failing
# on histories edited with plain git, the report for an oversight body.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" VIC || { echo "Bail out! cannot make a store"; exit 1; }
{
	registry -C "$S" add-agency dh --name "Department of Health" --map-member &&
	registry -C "$S" add-agency forensicare --name "Forensicare" --funded-by dh &&
	registry -C "$S" add-agency acme --name "Acme Security" &&
	registry -C "$S" add-operator jlee --name "Jo Lee" --email jo@example.org \
	    --role case-manager --agency forensicare &&
	case-new -C "$S" --cohort post-sentence VIC-0007 VIC-0012 VIC-0020 &&
	disclose-log -C "$S" add VIC-0007 --to jlee --purpose csp --means written \
	    --info '=HYPERLINK("http://example.org","CSP draft")' --date 2026-03-01T10:00:00Z &&
	disclose-log -C "$S" add VIC-0012 --to dh --purpose report \
	    --info "Progress report, six months" --date 2026-03-15 &&
	disclose-log -C "$S" add VIC-0007 --to forensicare --purpose risk-reduction \
	    --grounds "Threat to a former partner reported by police on 2026-04-01" \
	    --info "+61 phone number and current address" --means verbal \
	    --ref "Police report 2026-0401" --date 2026-04-02T08:00:00Z &&
	disclose-log -C "$S" add VIC-0007 --to dffh --purpose offender-management \
	    --info "@home visit schedule" --means meeting --date 2026-02-10
} >/dev/null 2>&1 || { echo "Bail out! cannot fill the store"; exit 1; }
D7="$(shard VIC-0007)/disclosures"
D12="$(shard VIC-0012)/disclosures"
n=$(commits "$S")

# --- list
run disclose-log -C "$S" list
expect 0 "list"
is "$(head -1 "$T/out" | tr -s ' ')" "AT CASE PURPOSE DISCLOSER RECIPIENT MEANS INFORMATION" "header"
is "$(sed 1d "$T/out" | awk '{print $1, $2, $3}' | tr '\n' '|')" \
    "2026-02-10T00:00:00Z VIC-0007 offender-management|2026-03-01T10:00:00Z VIC-0007 csp|2026-03-15T00:00:00Z VIC-0012 report|2026-04-02T08:00:00Z VIC-0007 risk-reduction|" \
    "every entry, in time order (not the order recorded)"
check "recipient with its agency" grep -q "jlee (forensicare)  written" "$T/out"
check "means not recorded shows -" grep -q "dh  *-  *Progress report" "$T/out"

rows() { sed 1d "$T/out" | awk '{print $1}' | tr '\n' ' '; }
run disclose-log -C "$S" list VIC-0012
is "$(rows)" "2026-03-15T00:00:00Z " "list ID: that case only"
run_in $'VIC-0012\nVIC-0020\n' disclose-log -C "$S" list -
is "$(rows)" "2026-03-15T00:00:00Z " "ids from stdin"
run disclose-log -C "$S" list --purpose csp
is "$(rows)" "2026-03-01T10:00:00Z " "VIC-S284: --purpose"
run disclose-log -C "$S" list --to jlee
is "$(rows)" "2026-03-01T10:00:00Z " "--to an operator"
run disclose-log -C "$S" list --to forensicare
is "$(rows)" "2026-03-01T10:00:00Z 2026-04-02T08:00:00Z " "--to an agency: to it and to its staff"
run disclose-log -C "$S" list --since 2026-03-01 --until 2026-03-15
is "$(rows)" "2026-03-01T10:00:00Z 2026-03-15T00:00:00Z " "--since/--until days are inclusive"
run disclose-log -C "$S" list --since 2026-03-01T10:00:01Z --until 2026-03-14
is "$(rows)" "" "--since a date-time, --until a day"
out_has "no disclosures to show" "says there is nothing"
run disclose-log -C "$S" list VIC-0007 --purpose risk-reduction --to forensicare --since 2026-04-01
is "$(rows)" "2026-04-02T08:00:00Z " "filters combine"
run disclose-log -C "$S" list VIC-0020
expect 0 "a case without entries"
out_has "no disclosures to show" "says so"

run disclose-log -C "$S" list --format json
expect 0 "list --format json"
check "json: every field, the path, time order" python3 - "$T/out" "$D7" "$D12" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d7, d12 = sys.argv[2], sys.argv[3]
assert [e["path"] for e in d] == [d7 + "/20260210T000000Z-1.yaml",
    d7 + "/20260301T100000Z-1.yaml", d12 + "/20260315T000000Z-1.yaml",
    d7 + "/20260402T080000Z-1.yaml"], d
e = d[3]
assert e == {"case": "VIC-0007", "at": "2026-04-02T08:00:00Z",
    "discloser": "ada", "discloser_agency": "djcs",
    "recipient": "forensicare", "recipient_kind": "agency",
    "recipient_name": "Forensicare", "recipient_agency": "forensicare",
    "purpose": "risk-reduction",
    "information": "+61 phone number and current address",
    "grounds": "Threat to a former partner reported by police on 2026-04-01",
    "means": "verbal", "reference": "Police report 2026-0401",
    "path": d7 + "/20260402T080000Z-1.yaml"}, e
PY
run disclose-log -C "$S" list VIC-0020 --format json
is "$(tr -d ' \n' <"$T/out")" "[]" "json: an empty list"

run disclose-log -C "$S" list --format csv
expect 0 "list --format csv"
is "$(head -1 "$T/out")" $'at,case,purpose,discloser,discloser_agency,recipient,recipient_kind,recipient_name,recipient_agency,means,information,grounds,reference,path\r' \
    "csv header, CRLF"
check "csv: a formula-looking description is neutralised" \
    grep -qF "\"'=HYPERLINK(\"\"http://example.org\"\",\"\"CSP draft\"\")\"" "$T/out"
check "csv: cells parse back, every formula start neutralised" python3 - "$T/out" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert len(rows) == 5, rows
info = [r[10] for r in rows[1:]]
assert info == ["'@home visit schedule", "'=HYPERLINK(\"http://example.org\",\"CSP draft\")",
    "Progress report, six months", "'+61 phone number and current address"], info
for r in rows[1:]:
    for c in r:
        assert c[:1] not in ("=", "+", "-", "@", "\t", "\r"), c
PY

run disclose-log -C "$S" list --purpose curiosity
expect 2 "list: unknown purpose"
run disclose-log -C "$S" list --format xml
expect 2 "list: unknown format"
run disclose-log -C "$S" list VIC-0404
expect 2 "list: no such case"
err_has "case VIC-0404 does not exist" "says so"
run disclose-log -C "$S" list --since 2026-13-01
expect 2 "list: bad --since"
run disclose-log -C "$S" list -n
expect 2 "list: -n is refused"
err_has "-n/--dry-run is not an option of list" "says so"

# --- verify: a normal history
run disclose-log -C "$S" verify
expect 0 "VIC-S284: verify a normal history"
is "$(cat "$T/out")" "" "no problem lines"
err_has "4 entries added, 0 problems" "counts the entries"
B="$T/bare.git"
git clone -q --bare "$S" "$B"
run disclose-log -C "$B" verify
expect 0 "VIC-S284: verify a bare clone (a central repository)"

# copy STORE: a private copy to tamper with
copy() { rm -rf "$T/$1"; cp -a "$S" "$T/$1"; echo "$T/$1"; }
hand() { git -C "$1" -c user.name="Ada Admin" -c user.email=ada@example.org "${@:2}"; }

# a later change to the registries does not taint earlier entries
E=$(copy later)
sed -i '/^  - id: dh$/,/^  - id:/{/map_member: true/d}' "$E/registry/agencies.yaml"
hand "$E" commit -qam "dh leaves the MAP"
check "the registry was changed" sh -c "! grep -A2 'id: dh$' '$E/registry/agencies.yaml' | grep -q map_member"
run disclose-log -C "$E" verify
expect 0 "VIC-S284: relevant at the time: a later registry change taints nothing"

# an entry edited with plain git
E=$(copy edited)
sed -i 's/^information: Progress report, six months$/information: Nothing to see/' "$E/$D12/20260315T000000Z-1.yaml"
hand "$E" commit -qam "tidy"
run disclose-log -C "$E" verify
expect 1 "VIC-S284: verify finds an edited entry"
is "$(cat "$T/out")" "$(git -C "$E" rev-parse HEAD) $D12/20260315T000000Z-1.yaml: modified after it was added (entries are never changed)" \
    "one line: commit, path, what"
err_has "1 problem" "counts it"
run disclose-log -C "$E" verify --since HEAD
expect 0 "verify --since HEAD: nothing after it"
run disclose-log -C "$E" verify --since HEAD~1
expect 1 "verify --since HEAD~1: the edit"

# an edit with trailers that look right is still an edit
E=$(copy edited-trailers)
sed -i 's/^means: written$/means: verbal/' "$E/$D7/20260301T100000Z-1.yaml"
hand "$E" commit -qam "disclose-log: fix" --trailer "Purpose: csp" --trailer "Case: VIC-0007"
run disclose-log -C "$E" verify
expect 1 "VIC-S284: an edit with Purpose and Case trailers is still an edit"
out_has "$D7/20260301T100000Z-1.yaml: modified after it was added" "says modified"

# an entry deleted with plain git
E=$(copy deleted)
hand "$E" rm -q "$D7/20260210T000000Z-1.yaml"
hand "$E" commit -qm "remove"
run disclose-log -C "$E" verify
expect 1 "VIC-S284: verify finds a deleted entry"
is "$(cat "$T/out")" "$(git -C "$E" rev-parse HEAD) $D7/20260210T000000Z-1.yaml: deleted (entries are never removed)" \
    "one line: commit, path, what"

# an entry renamed: the old one deleted, the new one added without trailers
E=$(copy renamed)
hand "$E" mv "$D7/20260210T000000Z-1.yaml" "$D7/20260210T000000Z-2.yaml"
hand "$E" commit -qm "rename"
run disclose-log -C "$E" verify
expect 1 "verify finds a renamed entry"
out_has "$D7/20260210T000000Z-1.yaml: deleted" "the old name deleted"
out_has "$D7/20260210T000000Z-2.yaml: added by a commit without matching trailers" "the new name unaccounted for"

# entry FILE CASE RECIPIENT KIND AGENCY NAME: write a well-formed entry by hand
entry() {
	mkdir -p "$(dirname "$1")"
	cat >"$1" <<EOF
case: $2
at: '2026-05-01T00:00:00Z'
discloser: ada
discloser_agency: djcs
recipient: $3
recipient_kind: $4
recipient_name: $6
recipient_agency: $5
purpose: offender-management
information: Bail address
EOF
}

# an entry added with plain git, no trailers
E=$(copy no-trailers)
entry "$E/$D12/20260501T000000Z-1.yaml" VIC-0012 dh agency dh "Department of Health"
hand "$E" add -A
hand "$E" commit -qm "add a disclosure by hand"
run disclose-log -C "$E" verify
expect 1 "VIC-S284: verify finds an entry added without trailers"
is "$(cat "$T/out")" "$(git -C "$E" rev-parse HEAD) $D12/20260501T000000Z-1.yaml: added by a commit without matching trailers (Purpose: none, Case: none; the entry has purpose offender-management, case VIC-0012)" \
    "one line: commit, path, what"

# the same with trailers naming another purpose and case
E=$(copy wrong-trailers)
entry "$E/$D12/20260501T000000Z-1.yaml" VIC-0012 dh agency dh "Department of Health"
hand "$E" add -A
hand "$E" commit -qm "add" --trailer "Purpose: csp" --trailer "Case: VIC-0007"
run disclose-log -C "$E" verify
expect 1 "VIC-S284: trailers that do not match the entry"
out_has "(Purpose: csp, Case: VIC-0007; the entry has purpose offender-management, case VIC-0012)" "says which"

# the same with matching trailers by a relevant person is accepted
E=$(copy matching-trailers)
entry "$E/$D12/20260501T000000Z-1.yaml" VIC-0012 dh agency dh "Department of Health"
hand "$E" add -A
hand "$E" commit -qm "add" --trailer "Purpose: offender-management" --trailer "Case: VIC-0012"
run disclose-log -C "$E" verify
expect 0 "VIC-S284: an entry added with matching trailers by a relevant person"

# a recipient who was not a relevant person at the time
E=$(copy not-relevant)
entry "$E/$D12/20260501T000000Z-1.yaml" VIC-0012 acme agency acme "Acme Security"
hand "$E" add -A
hand "$E" commit -qm "add" --trailer "Purpose: offender-management" --trailer "Case: VIC-0012"
run disclose-log -C "$E" verify
expect 1 "VIC-S284: verify finds a recipient who was not a relevant person"
is "$(cat "$T/out")" "$(git -C "$E" rev-parse HEAD) $D12/20260501T000000Z-1.yaml: recipient: 'acme' is not a relevant person under s 284 (VIC-S284): agency 'acme' is neither a MAP member agency nor a service funded by one (registries at this commit)" \
    "one line: commit, path, what"

# committed by someone else than the discloser it names
E=$(copy other-author)
entry "$E/$D12/20260501T000000Z-1.yaml" VIC-0012 dh agency dh "Department of Health"
hand "$E" add -A
git -C "$E" -c user.name="Jo Lee" -c user.email=jo@example.org commit -qm "add" \
    --trailer "Purpose: offender-management" --trailer "Case: VIC-0012"
run disclose-log -C "$E" verify
expect 1 "verify finds an entry whose discloser is not the commit's author"
out_has "the entry names discloser 'ada' but the commit's author is operator 'jlee'" "says so"

# an entry in another case's directory, and one whose name is not its time
E=$(copy misplaced)
entry "$E/$D7/20260501T000000Z-1.yaml" VIC-0012 dh agency dh "Department of Health"
entry "$E/$D12/20260502T000000Z-1.yaml" VIC-0012 dh agency dh "Department of Health"
hand "$E" add -A
hand "$E" commit -qm "add" --trailer "Purpose: offender-management" --trailer "Case: VIC-0012"
run disclose-log -C "$E" verify
expect 1 "verify finds misplaced entries"
out_has "$D7/20260501T000000Z-1.yaml: in the directory of another case (the entry is about case VIC-0012)" "another case's directory"
out_has "$D12/20260502T000000Z-1.yaml: the file name does not match the entry's time 2026-05-01T00:00:00Z" "name and time differ"

# not a valid entry
E=$(copy invalid)
printf 'case: VIC-0012\nat: yesterday\n' >"$E/$D12/20260503T000000Z-1.yaml"
hand "$E" add -A
hand "$E" commit -qm "add" --trailer "Purpose: report" --trailer "Case: VIC-0012"
run disclose-log -C "$E" verify
expect 1 "verify finds an invalid entry"
out_has "$D12/20260503T000000Z-1.yaml: not a valid disclosure entry: $D12/20260503T000000Z-1.yaml:1:1: discloser: required field is missing; " "names file, line and field"
out_has "; $D12/20260503T000000Z-1.yaml:2:5: at: 'yesterday' is not a valid RFC 3339 date-time" "every schema problem, joined with '; '"
is "$(wc -l <"$T/out")" 1 "on one line"

run disclose-log -C "$S" verify --since no-such-rev
expect 2 "verify: unknown revision"
run disclose-log -C "$S" verify VIC-0007
expect 2 "verify takes no ids"

# --- report
run disclose-log -C "$S" report VIC-0007
expect 0 "VIC-S284: report on a case"
out_has "Use and disclosure of information about case VIC-0007" "title"
out_has "Serious Offenders Act 2018 (Vic) s 284 (rule VIC-S284)" "cites the rule"
out_has "Store commit:   $(git -C "$S" rev-parse HEAD)" "the commit it was made from"
out_has "Entries:        3" "counts the entries"
out_has "History check:  clean" "the history check"
is "$(grep -E '^[0-9]+\. ' "$T/out" | awk '{print $1, $3}' | tr '\n' ' ')" \
    "1. offender-management 2. csp 3. risk-reduction " "entries numbered in time order"
out_has "   Purpose:      managing an offender" "the seed's wording of the purpose"
out_has "   Purpose:      when a relevant person believes on reasonable grounds it is" "risk-reduction's wording, wrapped"
out_has "   By:           ada, Ada Admin (djcs)" "the discloser's name and agency"
out_has "   To:           jlee, Jo Lee (forensicare)" "the recipient's name and agency"
out_has "   Grounds:      Threat to a former partner reported by police on 2026-04-01" "the grounds"
out_has "   Reference:    Police report 2026-0401" "the reference"
out_has "   Recorded:     " "when it was recorded"
out_has "$(git -C "$S" log --format=%H --diff-filter=A -- "$D7/20260402T080000Z-1.yaml")" "the commit that recorded it"

run disclose-log -C "$S" report VIC-0007 --format json
expect 0 "report --format json"
check "json report" python3 - "$T/out" "$S" "$D7" <<'PY'
import json, subprocess, sys
r = json.load(open(sys.argv[1]))
s, d7 = sys.argv[2], sys.argv[3]
assert r["case"] == "VIC-0007" and r["rule"] == "VIC-S284" and r["clean"] is True, r
assert r["problems"] == [], r
assert [e["purpose"] for e in r["entries"]] == ["offender-management", "csp", "risk-reduction"]
e = r["entries"][2]
assert e["purpose_wording"].startswith("when a relevant person believes on reasonable grounds"), e
assert e["discloser_name"] == "Ada Admin", e
added = subprocess.check_output(["git", "-C", s, "log", "--format=%H", "--diff-filter=A",
    "--", e["path"]], text=True).strip()
assert e["recorded"]["commit"] == added, (e, added)
assert e["recorded"]["author"] == "Ada Admin <ada@example.org>", e
PY
run disclose-log -C "$S" report VIC-0020
expect 0 "report on a case without entries"
out_has "No use or disclosure of information about this case is recorded." "says so"

E="$T/edited"
run disclose-log -C "$E" report VIC-0012
expect 1 "VIC-S284: report on a case with an edited entry"
out_has "History check:  1 problem, listed at the end" "says there is a problem"
out_has "   PROBLEM:      modified after it was added (entries are never changed)" "marks the entry"
run disclose-log -C "$E" report VIC-0012 --format json
expect 1 "json report on it"
check "json: clean false, the problem" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["clean"] is False and len(r["problems"]) == 1, r
assert r["problems"][0]["what"].startswith("modified"), r' "$T/out"
run disclose-log -C "$S" report VIC-0404
expect 2 "report: no such case"
run disclose-log -C "$S" report
expect 2 "report: no id"
run disclose-log -C "$S" report VIC-0007 --format csv
expect 2 "report: no csv"

is "$(commits "$S")" "$n" "list, verify and report commit nothing"
clean "$S" "at the end"

done_testing

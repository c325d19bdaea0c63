#!/usr/bin/env bash
# The lists of csp-update, authority-notice and disclose-log in every
# format, byte for byte (tests/fixtures/lists: the bytes the tools wrote
# before they shared one report layer): columns as wide as their content
# (UTF-8 counted in characters), JSON nulls and arrays, CSV with CRLF and
# formula cells neutralised; an entry written by hand in another order
# listed in the documented one.
. "$(dirname "$0")/lib.sh"

FIX="${CT_FIXTURES:-$(dirname "$0")/../fixtures}/csp"
WANT="${CT_FIXTURES:-$(dirname "$0")/../fixtures}/lists"

S="$T/s"
{
	new_store "$S" VIC &&
	registry -C "$S" add-agency dh --name "Health" --map-member &&
	registry -C "$S" add-agency vicpol --name "Victoria Police" --map-member &&
	registry -C "$S" add-agency forensicare --name "Forensicare" --funded-by dh &&
	registry -C "$S" add-operator jlee --name "Jo Lee" --email jo@example.org \
	    --role case-manager --agency forensicare &&
	case-new -C "$S" --today 2026-03-01 --cohort post-sentence VIC-0007 VIC-0012 &&
	case-event -C "$S" VIC-0007 order-made --date 2026-03-02 --order supervision &&
	case-event -C "$S" VIC-0012 order-made --date 2026-02-27 --order interim-supervision &&
	csp-new -C "$S" -f "$FIX/plan-vic-0007.yaml" VIC-0007 &&
	csp-new -C "$S" -f "$FIX/plan-vic-0012.yaml" VIC-0012 &&
	csp-update -C "$S" --today 2026-08-10 request --agency all --via written --due 2026-08-31 VIC-0007 &&
	csp-update -C "$S" --today 2026-07-20 request --agency djcs --via conference --due 2026-08-05 VIC-0012 &&
	csp-update -C "$S" --today 2026-08-10 record --agency djcs --received 2026-08-10 \
	    --delivered "Delivered" --next "=SUM(A1)" VIC-0007 &&
	authority-notice -C "$S" --today 2026-05-04 add --kind update-request \
	    --asks "Housing, « naïve » plan" --due 2026-05-18 --agency dh,forensicare --ref PSA/17 VIC-0007 &&
	for i in 2 3 4 5 6 7 8 9 10; do
		authority-notice -C "$S" --today 2026-05-04 add --kind other --asks "=n$i" --due 2026-05-20 VIC-0007 || exit 1
	done &&
	authority-notice -C "$S" --today 2026-05-04 add --kind other --asks "Ten" --due 2026-05-08 VIC-0012 &&
	authority-notice -C "$S" --today 2026-05-12 respond --notice n1 --summary 'Sent, "DH"' \
	    --ref L-31 --date 2026-05-11 VIC-0007 &&
	disclose-log -C "$S" add VIC-0007 --to jlee --purpose csp --means written \
	    --info '=HYPERLINK("x","CSP draft")' --date 2026-03-01T10:00:00Z &&
	disclose-log -C "$S" add VIC-0012 --to dh --purpose report \
	    --info "Progress report, « six » months" --date 2026-03-15 &&
	disclose-log -C "$S" add VIC-0007 --to forensicare --purpose risk-reduction \
	    --grounds "Threat reported" --info "+61 phone" --means verbal \
	    --ref "Police 0401" --date 2026-04-02T08:00:00Z
} >"$T/build.log" 2>&1 || { cat "$T/build.log"; echo "Bail out! cannot make the store"; exit 1; }

for f in text json csv; do
	run csp-update -C "$S" --today 2026-08-10 list --format $f
	expect 1 "csp-update list --format $f (an overdue request)"
	check "csp-update list --format $f: the bytes" cmp -s "$T/out" "$WANT/sdu.$f"
	run authority-notice -C "$S" --today 2026-05-12 list --format $f
	expect 1 "authority-notice list --format $f (an overdue notice)"
	check "authority-notice list --format $f: the bytes" cmp -s "$T/out" "$WANT/notice.$f"
	run disclose-log -C "$S" list --format $f
	expect 0 "disclose-log list --format $f"
	check "disclose-log list --format $f: the bytes" cmp -s "$T/out" "$WANT/disc.$f"
done

# empty lists
run csp-update -C "$S" --today 2026-08-10 list --agency dh --format json
is "$(cat "$T/out")" "[]" "no rows: JSON []"
run authority-notice -C "$S" --today 2026-05-12 list --format csv VIC-0012 --open
is "$(tr -d '\r' <"$T/out")" "case,notice,kind,received,due,asks,agencies,reference,status,days,responded,summary,response_reference
VIC-0012,n1,other,2026-05-04,2026-05-08,Ten,,,overdue,-4,,," "one row, null cells empty"
run disclose-log -C "$S" list --purpose application
is "$(cat "$T/out")" "no disclosures to show" "no rows: text says so"

# an entry written by hand, its fields in another order: JSON shows them
# in the order of the documented columns, CSV too
D="$S/$(shard VIC-0012)/disclosures"
cat >"$D/20260316T000000Z-1.yaml" <<'YAML'
information: Added by hand
at: '2026-03-16T00:00:00Z'
case: VIC-0012
purpose: report
discloser: ada
discloser_agency: djcs
recipient: dh
recipient_kind: agency
recipient_name: Health
recipient_agency: dh
YAML
git -C "$S" add -A && git -C "$S" commit -q -m "by hand"
run disclose-log -C "$S" list --format json VIC-0012
check "JSON: the hand-written entry's fields in the documented order" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
want = ["case", "at", "discloser", "discloser_agency", "recipient",
    "recipient_kind", "recipient_name", "recipient_agency", "purpose",
    "information", "path"]
assert [list(e) for e in d] == [want, want], d
assert d[1]["information"] == "Added by hand", d
' "$T/out"
run disclose-log -C "$S" list --format csv VIC-0012
is "$(tr -d '\r' <"$T/out" | sed -n 3p | cut -d, -f1-4,11)" "2026-03-16T00:00:00Z,VIC-0012,report,ada,Added by hand" "CSV: its columns"
run disclose-log -C "$S" verify
expect 1 "verify reports the entry added without trailers"

done_testing

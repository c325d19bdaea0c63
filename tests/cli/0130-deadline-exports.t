#!/usr/bin/env bash
# deadline-check's exports for scripts and calendars: the exit status of
# each format with and without --fail-on; iCalendar UIDs that name the
# obligation (the same across runs and filters), SUMMARY naming the agency,
# a valid calendar when there is nothing to show; CSV with --bom.
. "$(dirname "$0")/lib.sh"

FIX="${CT_FIXTURES:-$(dirname "$0")/../fixtures}/csp"

S="$T/s"
{
	new_store "$S" VIC &&
	registry -C "$S" add-agency dh --name "Health" --map-member &&
	registry -C "$S" add-agency forensicare --name "Forensicare" --funded-by dh &&
	case-new -C "$S" --today 2026-03-01 --cohort post-sentence VIC-0007 VIC-0012 &&
	case-event -C "$S" VIC-0007 order-made --date 2026-03-02 --order supervision &&
	csp-new -C "$S" --today 2026-03-10 -f "$FIX/plan-vic-0007.yaml" VIC-0007 &&
	csp-endorse -C "$S" --today 2026-03-20 --meeting "MAP 2026-03" \
	    --date 2026-03-20 --agency djcs,dh,dffh VIC-0007 &&
	# two requests of one case due on one day: r1 djcs, r2 forensicare
	csp-update -C "$S" --today 2026-08-10 request --agency all --via written \
	    --due 2026-08-31 VIC-0007 &&
	csp-update -C "$S" --today 2026-08-28 record --agency djcs \
	    --received 2026-08-28 --delivered "Weekly case management" \
	    --next "Weekly case management" VIC-0007
} >/dev/null 2>&1 || { echo "Bail out! cannot make a store"; exit 1; }
export CASETRAIL_TODAY=2026-09-05
n=$(commits "$S")

# --- exit status per format ---------------------------------------------------
# forensicare's update is overdue: text says so with 1, exports exit 0
run deadline-check -C "$S"
expect 1 "text: an overdue finding"
out_has "VIC-SDU" "text shows the overdue update"
run deadline-check -C "$S" --fail-on never
expect 0 "text with --fail-on never"
for f in json csv ics; do
	run deadline-check -C "$S" --format $f
	expect 0 "$f: an export is written, overdue findings or not"
	check "$f: the export holds the overdue finding" grep -q overdue "$T/out"
	run deadline-check -C "$S" --format $f --fail-on overdue
	expect 1 "$f with --fail-on overdue"
	run deadline-check -C "$S" --format $f --fail-on never
	expect 0 "$f with --fail-on never"
done
run deadline-check -C "$S" --fail-on overdue --status met --format json
expect 0 "--fail-on overdue follows what is shown: nothing overdue among met"
run deadline-check -C "$S" --fail-on sometimes
expect 2 "--fail-on with an unknown value"
err_has "--fail-on: expected overdue or never, not 'sometimes'" "says which values"
run deadline-check -C "$S" --case NOPE --format ics
expect 2 "an error stays 2 in an export"

# a set -e script writing the calendar does not stop
run bash -ec 'deadline-check -C "$1" --format ics >"$2"; echo written' x "$S" "$T/cal.ics"
expect 0 "set -e: deadline-check --format ics > file"
out_has written "the script went on"

# --- iCalendar ----------------------------------------------------------------
# unfold RFC 5545 content lines
unfold() { tr -d '\r' <"$1" | sed -e ':a' -e '$!N' -e 's/\n //' -e 'ta' -e 'P' -e 'D'; }
# uid_of FILE TEXT: the UID of the VEVENT whose SUMMARY holds TEXT
uid_of() {
	unfold "$1" | awk -v t="$2" '
		/^BEGIN:VEVENT/ { uid = ""; s = "" }
		/^UID:/ { uid = substr($0, 5) }
		/^SUMMARY:/ { s = $0 }
		/^END:VEVENT/ && index(s, t) { print uid }'
}

deadline-check -C "$S" --status all --format ics >"$T/all1" 2>/dev/null
deadline-check -C "$S" --status all --format ics >"$T/all2" 2>/dev/null
check "ics: two runs give the same bytes" cmp -s "$T/all1" "$T/all2"
is "$(uid_of "$T/all1" "(sdu request forensicare)")" "VIC-0007/VIC-SDU/r2@casetrail" \
    "UID of an update request: case, rule and the request's id"
is "$(uid_of "$T/all1" "(sdu request djcs)")" "VIC-0007/VIC-SDU/r1@casetrail" \
    "the other request of that day keeps its own"
is "$(uid_of "$T/all1" "VIC-CSP-REVIEW")" "VIC-0007/VIC-CSP-REVIEW/1@casetrail" \
    "UID of a review: the endorsed version"
is "$(uid_of "$T/all1" "VIC-CSP-REQUIRED")" "VIC-0007/VIC-CSP-REQUIRED/order-made/2026-03-02@casetrail" \
    "UID of an event-anchored obligation: the event and its date"
check "SUMMARY names the agency" \
    grep -q "^SUMMARY:VIC-0007 VIC-SDU (overdue): Service-delivery update received from the agency (sdu request forensicare)" \
    <(unfold "$T/all1")

deadline-check -C "$S" --status overdue --format ics >"$T/overdue" 2>/dev/null
is "$(uid_of "$T/overdue" "(sdu request forensicare)")" "VIC-0007/VIC-SDU/r2@casetrail" \
    "the same UID when a filter leaves out the met request of that day"
deadline-check -C "$S" --rule VIC-SDU --case VIC-0007 --status all --format ics \
    >"$T/narrow" 2>/dev/null
is "$(uid_of "$T/narrow" "(sdu request djcs)")" "VIC-0007/VIC-SDU/r1@casetrail" \
    "the same UID with --rule and --case"
deadline-check -C "$S" --today 2026-09-20 --status all --format ics >"$T/later" 2>/dev/null
is "$(uid_of "$T/later" "(sdu request forensicare)")" "VIC-0007/VIC-SDU/r2@casetrail" \
    "the same UID on another day"
check "every UID of the calendar is unique" \
    test "$(unfold "$T/all1" | grep -c '^UID:')" = "$(unfold "$T/all1" | grep '^UID:' | sort -u | wc -l)"

# nothing to show: still a calendar with one component
run deadline-check -C "$S" --case VIC-0012 --format ics
expect 0 "ics without findings"
is "$(unfold "$T/out" | tr '\n' ' ')" \
    "BEGIN:VCALENDAR VERSION:2.0 PRODID:-//casetrail//deadline-check//EN CALSCALE:GREGORIAN BEGIN:VJOURNAL UID:no-obligations@casetrail DTSTAMP:20260905T000000Z DTSTART;VALUE=DATE:20260905 SUMMARY:No obligations to show END:VJOURNAL END:VCALENDAR " \
    "an empty report: VCALENDAR with one VJOURNAL (RFC 5545 3.6), no VEVENT"
check "an empty report: every line ends in CRLF" \
    test "$(grep -c $'\r$' "$T/out")" = "$(wc -l <"$T/out")"

# --- CSV --bom ------------------------------------------------------------------
deadline-check -C "$S" --status all --format csv >"$T/plain.csv" 2>/dev/null
run deadline-check -C "$S" --status all --format csv --bom
expect 0 "csv --bom"
is "$(head -c 3 "$T/out" | od -An -tx1 | tr -d ' \n')" "efbbbf" "begins with the UTF-8 BOM"
check "then the same bytes as without it" cmp -s <(tail -c +4 "$T/out") "$T/plain.csv"
is "$(head -c 3 "$T/plain.csv" | od -An -c | tr -d ' \n')" "cas" "no BOM by default"
check "a spreadsheet's reader sees the header" python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert rows[0][0] == "case", rows[0]
' "$T/out"
run deadline-check -C "$S" --format json --bom
expect 2 "--bom is for csv only"
err_has "--bom: only with --format csv" "says so"

is "$(commits "$S")" "$n" "deadline-check made no commit"
clean "$S" "at the end"
done_testing

#!/usr/bin/env bash
# Terminal safety: control and bidi characters of data (record fields, a
# rule's title, an agency's name, a file name, a git author and a commit
# message) reach no text output raw.  ESC sequences (clear screen, window
# title), CR and U+202E (right-to-left override) go in through the tools
# where they accept them (bidi) and through plain git where they do not;
# every text, CSV and iCalendar output shows them as escapes (\x1b, \x0d,
# \u202e), diagnostics too, and JSON still carries the exact value.
. "$(dirname "$0")/lib.sh"

ESC=$(printf '\033')
CR=$(printf '\r')
RLO=$(printf '\342\200\256')

S="$T/s"
{
	new_store "$S" VIC &&
	registry -C "$S" add-agency evil --name "Evil ${RLO}ycnega" &&
	case-new -C "$S" --today 2026-03-01 --cohort sentenced VIC-0042 &&
	case-event -C "$S" -m "note ${RLO}desrever" VIC-0042 \
	    sentence-commenced --date 2026-03-02 &&
	case-event -C "$S" VIC-0042 order-made --order supervision \
	    --date 2026-03-03 &&
	disclose-log -C "$S" add VIC-0042 --to dffh --purpose csp \
	    --info "CSP draft ${RLO}fdp.txt" --date 2026-03-04
} >/dev/null 2>&1 || { echo "Bail out! cannot make a store"; exit 1; }
D=$(shard VIC-0042)
D3=$(shard VIC-0043)
DISC=$(git -C "$S" ls-files "$D/disclosures")
check "the tools took the bidi override" grep -q "$RLO" "$S/$D/case.yaml"

# What the tools refuse, plain git writes: YAML escapes put ESC, BEL and
# CR into the values; the author, email and trailers carry them raw.
sed -i "s|^    note: .*|    note: \"clear\\\\e[2J\\\\e]0;pwned\\\\a\\\\rforged\"|" "$S/$D/case.yaml"
sed -i "s|^information: .*|information: \"CSP draft\\\\e[2J\"|" "$S/$DISC"
git -C "$S" add -A
GIT_AUTHOR_NAME="Mallory${ESC}[2J" GIT_AUTHOR_EMAIL="mal${ESC}]0;x${ESC}\\@example.org" \
    git -C "$S" commit -q -F - <<EOF || { echo "Bail out! cannot commit"; exit 1; }
VIC-0042 note${ESC}[1A edited

Reason: hidden${ESC}[8m text${CR}over
Case: VIC-0042
Record: case
Action: event
Tool: case-event 0.1.0
EOF
sed -i "s|^    title: Endorsed CSP for an offender.*|    title: \"Endorsed CSP\\\\e[2J\\\\r\\\\u202e\"|" "$S/rules/deadlines.yaml"
sed -i "s|^    name: 'Evil .*ycnega'\$|    name: \"Evil\\\\e]0;owned\\\\a\"|" "$S/registry/agencies.yaml"
# a record with raw bytes: CRLF line ends, a raw U+202E; and a disclosure
# entry, not YAML, whose name holds ESC
mkdir -p "$S/$D3"
printf 'id: VIC-0043\r\njurisdiction: VIC\r\ncohort: sentenced\r\ncreated: %s\r\nevents: []\r\n# %sesrever\r\n' \
    "'2026-03-01'" "$RLO" >"$S/$D3/case.yaml"
mkdir -p "$S/$D3/disclosures"
printf 'x: [\n' >"$S/$D3/disclosures/${ESC}[2Jevil.yaml"
git -C "$S" add -A
git -C "$S" commit -q -m "rules, registry and a case edited by hand" ||
    { echo "Bail out! cannot commit"; exit 1; }
check "plain git wrote the escapes" sh -c "grep -qF 'Endorsed CSP\\e[2J' '$S/rules/deadlines.yaml' &&
    grep -qF 'Evil\\e]0;owned' '$S/registry/agencies.yaml' && test -z \"\$(git -C '$S' status --porcelain)\""
n=$(commits "$S")

# raw OUT DESC: no raw ESC, BEL, U+202E in stdout or stderr, and no CR but
# the CR of a CRLF line end (CSV and iCalendar end their lines so)
raw() {
	local f bad=
	for f in "$T/out" "$T/err"; do
		if grep -q "[$ESC$(printf '\007')]" "$f" || grep -qF "$RLO" "$f" ||
		    sed 's/\r$//' "$f" | grep -q "$CR"; then bad="$bad $f"; fi
	done
	if [ -z "$bad" ]; then ok "$1: no raw control or bidi character"; else
		not_ok "$1: no raw control or bidi character" "raw bytes in:$bad"; fi
}

# JSON VALUE EXPR DESC: the python expression EXPR over the parsed stdout
# (d) equals VALUE, decoded from its escapes
json_is() {
	check "$3" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
want = sys.argv[2].encode("ascii").decode("unicode_escape")
got = eval(sys.argv[3])
assert got == want, (got, want)' "$T/out" "$1" "$2"
}

run deadline-check -C "$S" --case VIC-0042 --today 2026-03-10 --status all
expect 0 "deadline-check text"
raw "deadline-check text"
out_has 'Endorsed CSP\x1b[2J\x0d\u202e (order-made 2026-03-03)' "the title shown escaped"
check "the columns stay aligned" sh -c \
    "grep -q '^2026-03-31  upcoming    21  VIC-0042  VIC-CSP-REQUIRED  Endorsed' '$T/out'"
run deadline-check -C "$S" --case VIC-0042 --today 2026-03-10 --status all --explain
raw "deadline-check --explain"
run deadline-check -C "$S" --case VIC-0042 --today 2026-03-10 --status all --format csv
expect 0 "deadline-check csv"
raw "deadline-check csv"
out_has 'Endorsed CSP\x1b[2J\x0d\u202e' "csv: the title escaped"
run deadline-check -C "$S" --case VIC-0042 --today 2026-03-10 --status all --format ics
expect 0 "deadline-check ics"
raw "deadline-check ics"
out_has 'SUMMARY:VIC-0042 VIC-CSP-REQUIRED (upcoming): Endorsed CSP\\x1b[2J\\u202e' \
    "ics: the title escaped (the escape's backslash escaped for TEXT, CR dropped)"
run deadline-check -C "$S" --case VIC-0042 --today 2026-03-10 --status all --format json
json_is 'Endorsed CSP\x1b[2J\r\u202e' 'd[0]["title"]' "deadline-check json: the exact title"
run deadline-check -C "$S" --today 2026-03-10 --status all
expect 0 "deadline-check of every case"
raw "deadline-check of every case"

run case-log -C "$S" VIC-0042
expect 0 "case-log"
raw "case-log"
out_has ' Mallory\x1b[2J' "the author's name escaped"
out_has 'reason: hidden\x1b[8m text\x0dover' "the Reason trailer escaped"
out_has 'case: events[0].note: note \u202edesrever -> "clear\x1b[2J\x1b]0;pwned\x07\rforged"' \
    "the field change escaped"
run case-log -C "$S" --format json VIC-0042
expect 0 "case-log json"
json_is 'Mallory\x1b[2J' 'd[0]["author"]' "json: the exact author"
json_is 'mal\x1b]0;x\x1b\\@example.org' 'd[0]["email"]' "json: the exact email"
json_is 'hidden\x1b[8m text\rover' 'd[0]["reason"]' "json: the exact reason"
json_is 'note \u202edesrever' 'd[0]["changes"][0]["old"]' "json: the exact old value"

run store-verify -C "$S" --quiet
expect 1 "store-verify finds problems"
raw "store-verify"
out_has 'unregistered-author: the author <mal\x1b]0;x\x1b\@example.org>' \
    "the author's email escaped in what"
out_has "$D3/disclosures/\\x1b[2Jevil.yaml bad-path" "a path with ESC escaped"

run case-show -C "$S" VIC-0042 VIC-0043
expect 0 "case-show"
raw "case-show"
out_has "# $D3/disclosures/\\x1b[2Jevil.yaml" "a file name with ESC escaped"
out_has 'id: VIC-0043\x0d' "a CR of the file escaped, its line kept"
out_has '# \u202eesrever\x0d' "a raw U+202E of the file escaped"
out_has 'note: "clear\e[2J\e]0;pwned\a\rforged"' "YAML escapes are text and stay"
run case-show -C "$S" --format json VIC-0042
json_is 'clear\x1b[2J\x1b]0;pwned\x07\rforged' \
    'd["records"]["case.yaml"]["events"][0]["note"]' "case-show json: the exact note"

run registry -C "$S" list agencies
expect 0 "registry list"
raw "registry list"
out_has 'Evil\x1b]0;owned\x07' "the agency's name escaped"
run registry -C "$S" list agencies --format json
json_is 'Evil\x1b]0;owned\x07' '[a["name"] for a in d if a["id"] == "evil"][0]' \
    "registry json: the exact name"

run disclose-log -C "$S" list VIC-0042
expect 0 "disclose-log list"
raw "disclose-log list"
out_has 'CSP draft\x1b[2J' "the information escaped"
run disclose-log -C "$S" list --format csv VIC-0042
raw "disclose-log list csv"
out_has 'CSP draft\x1b[2J' "csv: the information escaped"
run disclose-log -C "$S" list --format json VIC-0042
json_is 'CSP draft\x1b[2J' 'd[0]["information"]' "disclose-log json: the exact information"
run disclose-log -C "$S" verify
expect 1 "disclose-log verify: the entry was changed"
raw "disclose-log verify"
run disclose-log -C "$S" report VIC-0042
expect 1 "disclose-log report"
raw "disclose-log report"
out_has 'Information:  CSP draft\x1b[2J' "the report's information escaped"

# diagnostics quoting data: the bad entry's file name
run disclose-log -C "$S" list
expect 2 "disclose-log list of every case: an entry is no YAML"
raw "disclose-log's diagnostic"
err_has "disclose-log: $D3/disclosures/\\x1b[2Jevil.yaml:2:1: " \
    "the diagnostic names the file, escaped"
run case-show -C "$S" --format json VIC-0043
expect 2 "case-show json of the case with the bad entry"
raw "case-show's diagnostic"
err_has "case-show: $D3/disclosures/\\x1b[2Jevil.yaml:2:1: " \
    "case-show's diagnostic escaped"

is "$(commits "$S")" "$n" "reading made no commit"
clean "$S" "terminal safety"
done_testing

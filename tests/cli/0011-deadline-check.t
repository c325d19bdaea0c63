#!/usr/bin/env bash
# deadline-check: exit status, formats (text, json, csv, ics), --as-of,
# the store's rules and calendar files, --explain, colour, and reading
# commits nothing.  Rule arithmetic itself is in 0010-deadlines-fixtures.t.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
# R1 (ACT-REMAND-ENGAGE): reception Mon 2026-03-30 + 5 business days over
#   Easter = 2026-04-08; ACT-REMAND-CMP 2026-04-27 (info).
# S1 (ACT-CMP-CUSTODIAL): sentence 2026-01-05 + 6 weeks = 2026-02-16;
#   (ACT-PRE-RELEASE): EPRD 2027-08-31 - 6 months = 2027-02-28.
{
	case-new -C "$S" --today 2026-01-01 --cohort remandee R1 &&
	case-event -C "$S" R1 reception --date 2026-03-30 &&
	case-new -C "$S" --today 2026-01-01 --cohort sentenced S1 &&
	case-event -C "$S" S1 sentence-commenced --date 2026-01-05 &&
	case-event -C "$S" S1 eprd-set --date 2027-08-31
} >/dev/null 2>&1 || { echo "Bail out! cannot record the cases"; exit 1; }
n=$(commits "$S")

# copy NAME: a copy of the store to change without touching $S
copy() {
	rm -rf "$T/$1"
	cp -a "$S" "$T/$1"
	echo "$T/$1"
}

# --- exit status ---------------------------------------------------------
run deadline-check --help
expect 0 "--help"
out_has "usage: deadline-check" "--help prints the synopsis"

run deadline-check -C "$S" --today 2026-04-01 --case R1
expect 0 "nothing overdue"
out_has "2026-04-08  upcoming     7  R1" "text line: due, status, days, case"
run deadline-check -C "$S" --today 2026-04-08 --case R1 --rule ACT-REMAND-ENGAGE
expect 0 "due today is not overdue"
run deadline-check -C "$S" --today 2026-04-09 --case R1
expect 1 "ACT-REMAND-ENGAGE overdue the day after the due day"
out_has "overdue" "says overdue"
run deadline-check -C "$S" --today 2026-04-09 --case R1 --rule ACT-REMAND-CMP
expect 0 "overdue findings filtered out do not count"
run deadline-check -C "$S" --today 2026-04-01 --case R1 --rule ACT-CMP-CUSTODIAL
expect 0 "no findings"
out_has "no obligations to show" "says so"

run deadline-check -C "$S" --today 2026-02-30
expect 2 "bad --today"
err_has "2026-02-30" "quotes the date"
run env CASETRAIL_TODAY=2026-13-01 deadline-check -C "$S"
expect 2 "bad \$CASETRAIL_TODAY"
run deadline-check -C "$S" --today 2026-04-01 --rule ACT-NO-SUCH
expect 2 "unknown --rule"
err_has "ACT-NO-SUCH" "names the rule"
run deadline-check -C "$S" --today 2026-04-01 --case NOBODY
expect 2 "unknown --case"
err_has "NOBODY" "names the case"
run deadline-check -C "$S" --today 2026-04-01 --case ../x
expect 2 "invalid --case id"
run deadline-check -C "$S" --today 2026-04-01 --format xml
expect 2 "bad --format"
err_has "xml" "names the format"
run deadline-check -C "$S" --today 2026-04-01 --status late
expect 2 "bad --status"
err_has "late" "names the status"
run deadline-check -C "$S" --today 2026-04-01 --within soon
expect 2 "bad --within"
run deadline-check -C "$S" --today 2026-04-01 --within -1
expect 2 "negative --within"
run deadline-check -C "$S" --today 2026-04-01 R1
expect 2 "stray operand"
mkdir -p "$T/empty"
run deadline-check -C "$T/empty" --today 2026-04-01
expect 2 "not a store (empty directory)"
err_has "not a casetrail store" "says so"
git init -q "$T/plain"
run deadline-check -C "$T/plain" --today 2026-04-01
expect 2 "not a store (a git repository without a store)"
run deadline-check -C "$S" --as-of no-such-rev
expect 2 "unknown --as-of revision"
run deadline-check -C "$S" --as-of 2026-02-30
expect 2 "--as-of an invalid date"
err_has "2026-02-30" "quotes the date"
run deadline-check -C "$S" --as-of 2000-01-01
expect 2 "--as-of before the first commit"
is "$(cat "$T/out")" "" "errors print nothing on stdout"

B="$T/bare"
new_store "$B" VIC
run deadline-check -C "$B" --today 2026-04-01
expect 0 "a store without cases"
out_has "no obligations to show" "says so"
for f in json csv ics; do
	run deadline-check -C "$B" --today 2026-04-01 --status all --format $f
	expect 0 "a store without cases, $f"
done
# RFC 5545 3.6: a calendar has at least one component; an empty one has
# a VJOURNAL, which calendars keep but do not show on a day
is "$(cat "$T/out" | tr -d '\r' | tr '\n' ' ')" \
    "BEGIN:VCALENDAR VERSION:2.0 PRODID:-//casetrail//deadline-check//EN CALSCALE:GREGORIAN BEGIN:VJOURNAL UID:no-obligations@casetrail DTSTAMP:20260401T000000Z DTSTART;VALUE=DATE:20260401 SUMMARY:No obligations to show END:VJOURNAL END:VCALENDAR " \
    "an empty VCALENDAR has one VJOURNAL"

# --- where the store and today come from ------------------------------------
(cd "$S" && deadline-check --today 2026-04-09 --case R1 --format csv) \
    >"$T/a" 2>/dev/null
CASETRAIL_STORE="$S" CASETRAIL_TODAY=2026-04-09 \
    deadline-check --case R1 --format csv >"$T/b" 2>/dev/null
check "\$CASETRAIL_STORE and \$CASETRAIL_TODAY as -C and --today" \
    cmp -s "$T/a" "$T/b"
run_in $'R1\nS1\n' deadline-check -C "$S" --today 2026-04-09 --case - \
    --status all --format csv --fail-on overdue
expect 1 "case ids on stdin"
is "$(cut -d, -f1 "$T/out" | tr -d '\r' | sort -u | tr '\n' ' ')" "R1 S1 case " \
    "both stdin cases evaluated"

# --- json ---------------------------------------------------------------------
run deadline-check -C "$S" --today 2026-04-09 --status all --format json --fail-on overdue
expect 1 "json"
check "json parses (json.tool)" python3 -m json.tool "$T/out" /dev/null
check "json fields and values" python3 - "$T/out" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
keys = ["case", "rule", "title", "anchor_event", "anchor_date", "key",
        "manager", "agency", "due",
        "status", "days", "met_on", "days_late", "exception", "explain",
        "citation"]
assert isinstance(v, list) and len(v) == 4, v
for f in v:
    assert list(f) == keys, list(f)
    assert isinstance(f["days"], int), f
    assert f["met_on"] is None, f
    assert f["days_late"] is None, f
    assert f["exception"] is None, f
    assert f["citation"], f
got = [(f["case"], f["rule"], f["due"], f["status"], f["days"]) for f in v]
assert got == [
    ("S1", "ACT-CMP-CUSTODIAL", "2026-02-16", "overdue", -52),
    ("R1", "ACT-REMAND-ENGAGE", "2026-04-08", "overdue", -1),
    ("R1", "ACT-REMAND-CMP", "2026-04-27", "info", 18),
    ("S1", "ACT-PRE-RELEASE", "2027-02-28", "upcoming", 325),
], got
e = v[1]
assert (e["anchor_event"], e["anchor_date"]) == ("reception", "2026-03-30"), e
assert "holidays skipped" in e["explain"], e
PY
run deadline-check -C "$S" --today 2026-04-01 --case R1 --rule ACT-CMP-CUSTODIAL --format json
check "json with no findings is []" python3 -c \
    'import json,sys; assert json.load(open(sys.argv[1])) == []' "$T/out"

# late is a status: R1 engaged on Fri 10 Apr, two days after the due date
# of Wed 8 Apr (ACT-REMAND-ENGAGE), in a clone
L="$T/late"
git clone -q "$S" "$L"
case-event -C "$L" --today 2026-04-10 R1 engaged --date 2026-04-10 >/dev/null 2>&1
run deadline-check -C "$L" --today 2026-04-20 --case R1 --rule ACT-REMAND-ENGAGE --status met-late
expect 0 "met-late: shown with --status met-late"
out_has "2026-04-08  met-late   -12  R1" "met-late: the status in text"
out_has "(reception 2026-03-30), met 2026-04-10, 2 days late" "met-late: when it was met and how late"
run deadline-check -C "$L" --today 2026-04-20 --case R1 --rule ACT-REMAND-ENGAGE
is "$(cat "$T/out")" "no obligations to show" "met-late: not in the default view, like met"
run deadline-check -C "$L" --today 2026-04-20 --case R1 --rule ACT-REMAND-ENGAGE --status met
out_has "2026-04-08  met-late   -12  R1" "met-late: --status met shows the met, late ones too"
run deadline-check -C "$L" --today 2026-04-20 --case R1 --rule ACT-REMAND-ENGAGE --status all --format json
check "met-late: json status, met_on, days_late" python3 -c '
import json, sys
f, = json.load(open(sys.argv[1]))
assert (f["status"], f["met_on"], f["days_late"]) == ("met-late", "2026-04-10", 2), f
' "$T/out"
run deadline-check -C "$L" --today 2026-04-20 --case R1 --rule ACT-REMAND-ENGAGE --status all --format csv
out_has ",2026-04-08,met-late,-12,2026-04-10," "met-late: csv status and met_on"
run deadline-check -C "$L" --today 2026-04-20 --case R1 --rule ACT-REMAND-ENGAGE --status all --format ics
out_has "SUMMARY:R1 ACT-REMAND-ENGAGE (met-late): " "met-late: ics summary"
S2=$(copy met)
case-event -C "$S2" R1 engaged --date 2026-04-02 >/dev/null 2>&1
run deadline-check -C "$S2" --today 2026-04-09 --case R1 --status met --format json
check "json met_on is the satisfying event's date" python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
assert [(f["status"], f["met_on"]) for f in v] == [("met", "2026-04-02")], v
' "$T/out"

# --- csv ----------------------------------------------------------------------
run deadline-check -C "$S" --today 2026-04-09 --status all --format csv --fail-on overdue
expect 1 "csv"
is "$(head -1 "$T/out")" $'case,rule,title,anchor_event,anchor_date,due,status,days,met_on,deferred_until,exception_by,exception_reason,manager,agency,citation\r' \
    "csv header, CRLF"
check "every csv line ends in CRLF" python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
assert b.endswith(b"\r\n") and b.count(b"\n") == b.count(b"\r\n") == 5, b
' "$T/out"
check "csv parses (csv module): 4 findings, 15 columns" python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert len(rows) == 5 and all(len(r) == 15 for r in rows), rows
assert rows[2][:3] == ["R1", "ACT-REMAND-ENGAGE", "Case manager engages the remandee"], rows[2]
assert "five (5) business days" in rows[2][14], rows[2]
' "$T/out"
run deadline-check -C "$S" --today 2026-04-09 --status all --format csv --explain
check "csv --explain adds an explain column" python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0][-1] == "explain" and all(len(r) == 16 for r in rows), rows
assert "holidays skipped: 2026-04-03 Good Friday, 2026-04-06 Easter Monday" in rows[2][15], rows[2]
' "$T/out"

S3=$(copy csv)
sed -i -e 's/^    title: Case manager engages the remandee$/    title: "=SUM(1)"/' \
    -e 's/^    title: A remand CMP may be made (4 weeks in custody)$/    title: "-x"/' \
    -e 's/^    title: Custodial CMP developed and approved$/    title: "@cmd, +1 \\"q\\""/' \
    "$S3/rules/deadlines.yaml"
git -C "$S3" commit -qam "titles that look like formulas"
run deadline-check -C "$S3" --today 2026-04-09 --status all --format csv --fail-on overdue
expect 1 "csv with formula-like titles"
check "cells beginning with = - @ are neutralised" python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
t = {r[1]: r[2] for r in rows[1:]}
assert t["ACT-REMAND-ENGAGE"] == "\x27=SUM(1)", t
assert t["ACT-REMAND-CMP"] == "\x27-x", t
assert t["ACT-CMP-CUSTODIAL"] == "\x27@cmd, +1 \"q\"", t
' "$T/out"
check "no raw cell begins with = + - @ (plain numbers are data)" python3 -c '
import csv, re, sys
for r in csv.reader(open(sys.argv[1], newline="")):
    for c in r:
        if re.fullmatch(r"-?[0-9]+", c):
            continue
        assert c[:1] not in ("=", "+", "-", "@", "\t", "\r"), (c, r)
' "$T/out"
check "negative days stay a number in csv" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert [r["days"] for r in rows] == ["-52", "-1", "18", "325"], rows
' "$T/out"

# --- ics ----------------------------------------------------------------------
run deadline-check -C "$S" --today 2026-04-09 --status all --format ics --fail-on overdue
expect 1 "ics"
cp "$T/out" "$T/ics1"
deadline-check -C "$S" --today 2026-04-09 --status all --format ics >"$T/ics2" 2>/dev/null
check "ics is the same on a second run (stable UIDs, DTSTAMP)" cmp -s "$T/ics1" "$T/ics2"
cat >"$T/ics.py" <<'PY'
import sys

b = open(sys.argv[1], "rb").read()
want = int(sys.argv[2])
assert b.endswith(b"\r\n"), "no final CRLF"
phys = b[:-2].split(b"\r\n")
for p in phys:
    assert b"\n" not in p and b"\r" not in p, ("bare LF/CR", p)
    assert len(p) <= 75, ("longer than 75 octets", len(p), p)
    p.decode("utf-8")  # a fold never splits a UTF-8 sequence
lines = []
for p in phys:
    if p[:1] == b" ":
        assert lines, "continuation first"
        lines[-1] += p[1:]
    else:
        lines.append(p)
lines = [l.decode("utf-8") for l in lines]
assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR", lines
assert "VERSION:2.0" in lines and any(l.startswith("PRODID:") for l in lines)
assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == want, lines
# at least one component (RFC 5545 3.6): without findings, one VJOURNAL
journals = 0 if want else 1
assert lines.count("BEGIN:VJOURNAL") == lines.count("END:VJOURNAL") == journals, lines
uids = [l[4:] for l in lines if l.startswith("UID:")]
assert len(uids) == want + journals and len(set(uids)) == len(uids), uids
for l in lines:
    if l.startswith("DTSTART"):
        assert l.startswith("DTSTART;VALUE=DATE:") and len(l) == 27, l
for t in sys.argv[3:]:
    assert any(t in l for l in lines), ("missing", t)
PY
check "ics: CRLF, folded at 75 octets, one VEVENT per finding, unique UIDs" \
    python3 "$T/ics.py" "$T/ics1" 4 "DTSTART;VALUE=DATE:20260408" \
    "SUMMARY:R1 ACT-REMAND-ENGAGE (overdue): Case manager engages the remandee (reception)"
run deadline-check -C "$S" --today 2026-04-01 --case R1 --rule ACT-CMP-CUSTODIAL --format ics
check "ics with no findings: a VCALENDAR with one VJOURNAL, no VEVENT" python3 "$T/ics.py" "$T/out" 0

S4=$(copy ics)
long="Plan für Häftlinge – überprüft, genehmigt; Ärger über Ölförderung \\\\ $(printf 'é%.0s' $(seq 1 60))"
sed -i "s/^    title: Case manager engages the remandee$/    title: '$long'/" \
    "$S4/rules/deadlines.yaml"
git -C "$S4" commit -qam "a long UTF-8 title"
run deadline-check -C "$S4" --today 2026-04-09 --case R1 --format ics
check "ics folds a long UTF-8 title without splitting a character" \
    python3 "$T/ics.py" "$T/out" 2 "überprüft\\, genehmigt\\; Ärger" "\\\\ éé"
run deadline-check -C "$S4" --today 2026-04-09 --case R1 --format json
check "json keeps the UTF-8 title" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))[0]["title"]
assert t.startswith("Plan für") and t.endswith("\\ " + "é" * 60), t
' "$T/out"

# ACT-EVENT-REVIEW with a CMP on file (written by hand: no tool makes CMPs
# yet): two trigger events on one day are two obligations, due 1 Mar + 28
# = 29 Mar, with two distinct, stable UIDs.
S8=$(copy review)
mkdir -p "$S8/$(shard S1)/cmp"
printf 'status: approved\nreviews:\n  - date: "2026-02-10"\n' \
    >"$S8/$(shard S1)/cmp/custodial.yaml"
git -C "$S8" add -A && git -C "$S8" commit -qm "a custodial CMP, by hand"
case-event -C "$S8" S1 risk-rating-changed --date 2026-03-01 --rating high >/dev/null 2>&1
case-event -C "$S8" S1 circumstances-changed --date 2026-03-01 >/dev/null 2>&1
run deadline-check -C "$S8" --today 2026-03-30 --rule ACT-EVENT-REVIEW --format csv --fail-on overdue
expect 1 "ACT-EVENT-REVIEW: two triggers on one day, not reviewed since"
is "$(grep -c '^S1,ACT-EVENT-REVIEW,.*,2026-03-01,2026-03-29,overdue,-1,' "$T/out")" 2 \
    "two overdue findings due 2026-03-29"
run deadline-check -C "$S8" --today 2026-03-30 --rule ACT-EVENT-REVIEW --format ics
cp "$T/out" "$T/review1"
check "ics: one VEVENT each, distinct UIDs" python3 "$T/ics.py" "$T/review1" 2
deadline-check -C "$S8" --today 2026-03-30 --rule ACT-EVENT-REVIEW --format ics >"$T/review2" 2>/dev/null
check "ics: the same UIDs on a second run" cmp -s "$T/review1" "$T/review2"

# --- --as-of ------------------------------------------------------------------
# History: everything up to the cases at 2026-04-01 23:30 Canberra time
# (12:30 UTC, AEDT); 'engaged' recorded at 2026-04-02 00:30 Canberra
# (13:30 UTC), a day later in the store's time zone but not in UTC.
S5=$(copy asof)
FILTER_BRANCH_SQUELCH_WARNING=1 git -C "$S5" filter-branch -f --env-filter '
	GIT_AUTHOR_DATE="2026-04-01T12:30:00Z"
	GIT_COMMITTER_DATE="2026-04-01T12:30:00Z"
	export GIT_AUTHOR_DATE GIT_COMMITTER_DATE' HEAD >/dev/null 2>&1
case-event -C "$S5" R1 engaged --date 2026-04-02 >/dev/null 2>&1
FILTER_BRANCH_SQUELCH_WARNING=1 git -C "$S5" filter-branch -f --env-filter '
	if [ "$GIT_COMMIT" = "'"$(git -C "$S5" rev-parse HEAD)"'" ]; then
		GIT_AUTHOR_DATE="2026-04-01T13:30:00Z"
		GIT_COMMITTER_DATE="2026-04-01T13:30:00Z"
		export GIT_AUTHOR_DATE GIT_COMMITTER_DATE
	fi' HEAD >/dev/null 2>&1
rm -rf "$S5/.git/refs/original"
is "$(git -C "$S5" log -1 --format=%ct)" "$(date -u -d 2026-04-01T13:30:00Z +%s)" \
    "as-of store: the engaged commit is dated 2026-04-02 00:30 in Canberra"
m=$(commits "$S5")

run deadline-check -C "$S5" --today 2026-04-09 --case R1 --rule ACT-REMAND-ENGAGE --status all --format csv
expect 0 "HEAD: engaged, met"
out_has ",met," "met at HEAD"
run deadline-check -C "$S5" --as-of HEAD~1 --today 2026-04-09 --case R1 --rule ACT-REMAND-ENGAGE --status all --format csv --fail-on overdue
expect 1 "--as-of REV before the engaged commit: overdue"
out_has ",overdue," "overdue as of HEAD~1"
run deadline-check -C "$S5" --as-of 2026-04-01 --today 2026-04-09 --case R1 --rule ACT-REMAND-ENGAGE --status all --format csv --fail-on overdue
expect 1 "--as-of DATE (end of that day, Canberra time) before the engaged commit"
out_has ",overdue," "overdue as of 2026-04-01"
run deadline-check -C "$S5" --as-of 2026-04-02 --today 2026-04-09 --case R1 --rule ACT-REMAND-ENGAGE --status all --format csv
expect 0 "--as-of the next day includes the engaged commit"
run deadline-check -C "$S5" --as-of 2026-04-01 --case R1 --rule ACT-REMAND-ENGAGE --status all --format csv
expect 0 "--as-of DATE without --today evaluates on that day"
out_has ",2026-04-08,upcoming,7," "2026-04-01: upcoming, 7 days"
is "$(commits "$S5")" "$m" "--as-of commits nothing"
clean "$S5" "after --as-of"

# --- the store's rules file ------------------------------------------------------
S6=$(copy rules)
sed -i '/^  - id: ACT-CMP-CUSTODIAL$/,/^  - id:/s/^      weeks: 6$/      weeks: 8/' \
    "$S6/rules/deadlines.yaml"
run deadline-check -C "$S6" --today 2026-02-20 --case S1 --rule ACT-CMP-CUSTODIAL --format csv
out_has ",2026-02-16,overdue," "an uncommitted rules edit is not read (HEAD is)"
git -C "$S6" commit -qam "custodial CMP within 8 weeks"
run deadline-check -C "$S6" --today 2026-02-20 --case S1 --rule ACT-CMP-CUSTODIAL --format csv
expect 0 "the committed rules edit changes the answer"
out_has ",2026-03-02,due,10," "2026-01-05 + 8 weeks = 2026-03-02, due in 10 days"
run deadline-check -C "$S6" --as-of HEAD~1 --today 2026-02-20 --case S1 --rule ACT-CMP-CUSTODIAL --format csv
out_has ",2026-02-16,overdue," "--as-of uses the rules of that revision"

# names_line FILE LINE DESC: stderr says "FILE:LINE:", or for a YAML syntax
# error found further on, "FILE:N:... at line LINE"
names_line() {
	if grep -qE "^(deadline-check: )?$1:($2:|[0-9]+:.* line $2,)" "$T/err"; then
		ok "$3: names $1 and line $2"
	else
		not_ok "$3: names $1 and line $2"
	fi
}

# bad_rules EDIT DESC NEEDLE [DELTA]: the edited rules file is refused with
# exit 2 and a message that names the file and the line of NEEDLE (+ DELTA)
bad_rules() {
	local d
	d=$(copy bad)
	(cd "$d" && eval "$1") && git -C "$d" commit -qam "bad rules" ||
	    { not_ok "$2" "cannot edit"; return; }
	local line
	line=$(grep -n -- "$3" "$d/rules/deadlines.yaml" | tail -1 | cut -d: -f1)
	line=$((line + ${4:-0}))
	run deadline-check -C "$d" --today 2026-04-09
	expect 2 "$2"
	names_line rules/deadlines.yaml "$line" "$2"
	is "$(cat "$T/out")" "" "$2: prints no findings"
}
bad_rules 'printf "  - id: [unclosed\n" >>rules/deadlines.yaml' \
    "rules file that is not YAML" "id: \[unclosed"
bad_rules 'sed -i "s/^      business_days: 5$/      fortnights: 5/" rules/deadlines.yaml' \
    "an unknown offset unit" "fortnights"
bad_rules 'sed -i "/^    cite: .ACT Corrections Management (Case Management) Policy 2022, Case management for remandees: .The CM must/d" rules/deadlines.yaml' \
    "a rule without cite" "^  - id: ACT-REMAND-ENGAGE"
bad_rules 'sed -i "s/^          - engaged$/          - engagment/" rules/deadlines.yaml' \
    "an unknown event type (the satisfied_by entry's line)" "engagment" -1
bad_rules 'sed -i "s/^    warn_days: 2$/    warn_days: two/" rules/deadlines.yaml' \
    "a warning window that is not a number" "warn_days: two"
bad_rules 'sed -i "s/^      weeks: 6$/      weeks: 6\n      days: 1/" rules/deadlines.yaml' \
    "two offset units" "^      weeks: 6$"
bad_rules 'sed -i "s/^  - id: ACT-REMAND-CMP$/  - id: ACT-REMAND-ENGAGE/" rules/deadlines.yaml' \
    "a duplicate rule id" "^  - id: ACT-REMAND-ENGAGE$"

# --- the store's calendar file ------------------------------------------------------
# bad_cal EDIT DESC NEEDLE: like bad_rules for calendars/ACT.yaml
bad_cal() {
	local d line
	d=$(copy badcal)
	(cd "$d" && eval "$1") && git -C "$d" commit -qam "bad calendar" ||
	    { not_ok "$2" "cannot edit"; return; }
	line=$(grep -n -- "$3" "$d/calendars/ACT.yaml" | tail -1 | cut -d: -f1)
	run deadline-check -C "$d" --today 2026-04-09
	expect 2 "$2"
	names_line calendars/ACT.yaml "$line" "$2"
}
bad_cal 'printf "  - date: \"2026-02-30\"\n    name: Not a day\n" >>calendars/ACT.yaml' \
    "calendar: an invalid date" "2026-02-30"
bad_cal 'printf "cancel:\n  - date: \"2026-03-10\"\n    reason: not a holiday\n" >>calendars/ACT.yaml' \
    "calendar: cancelling a day that is not a holiday" "2026-03-10"
bad_cal 'printf "  - date: \"2026-07-15\n" >>calendars/ACT.yaml' \
    "calendar: not YAML (unterminated quote)" "2026-07-15"
bad_cal 'sed -i "s/^jurisdiction: ACT$/jurisdiction: VIC/" calendars/ACT.yaml' \
    "calendar: another jurisdiction" "^jurisdiction: VIC"

S7=$(copy cal)
printf '  - date: "2026-04-07"\n    name: Gazetted Tuesday\n' >>"$S7/calendars/ACT.yaml"
git -C "$S7" commit -qam "a gazetted day"
run deadline-check -C "$S7" --today 2026-04-09 --case R1 --rule ACT-REMAND-ENGAGE --explain
expect 0 "a gazetted day added to calendars/ACT.yaml moves the due day"
out_has "2026-04-09  due" "ACT-REMAND-ENGAGE now due 2026-04-09"
out_has "2026-04-07 Gazetted Tuesday" "--explain names the gazetted day"

# --- --explain and text ---------------------------------------------------------
run deadline-check -C "$S" --today 2026-04-09 --status all --explain
expect 1 "--explain"
out_has "reception 2026-03-30 + 5 business days = 2026-04-08 (holidays skipped: 2026-04-03 Good Friday, 2026-04-06 Easter Monday)" \
    "--explain shows the business days and the holidays skipped"
out_has "sentence-commenced 2026-01-05 + 6 weeks = 2026-02-16" "--explain shows weeks"
out_has "eprd-set 2027-08-31 - 6 months = 2027-02-28 (day of month clamped to the month's end)" \
    "--explain shows a clamped month"
is "$(grep -c 'holidays skipped' "$T/out")" 1 "one finding with holidays skipped"
run deadline-check -C "$S" --today 2026-04-09 --status all
check "no explanation without --explain" sh -c "! grep -q 'business days =' '$T/out'"
is "$(sed -n 1p "$T/out" | tr -s ' ')" "DUE STATUS DAYS CASE RULE WHAT" "text header"

# --- colour -------------------------------------------------------------------------
esc=$(printf '\033')
env -u NO_COLOR deadline-check -C "$S" --today 2026-04-09 --status all >"$T/nc" 2>/dev/null
check "not a terminal: no escape codes" sh -c "! grep -q '$esc' '$T/nc'"
on_a_tty env NO_COLOR=1 TERM=xterm deadline-check -C "$S" --today 2026-04-09 --status all >"$T/nc" 2>/dev/null
check "NO_COLOR on a terminal: no escape codes" sh -c "! grep -q '$esc' '$T/nc' && grep -q overdue '$T/nc'"
on_a_tty env -u NO_COLOR TERM=xterm deadline-check -C "$S" --today 2026-04-09 --status all >"$T/nc" 2>/dev/null
check "a terminal without NO_COLOR: overdue in colour" grep -q "$esc\[31moverdue" "$T/nc"
on_a_tty env NO_COLOR= TERM=xterm deadline-check -C "$S" --today 2026-04-09 --status all >"$T/nc" 2>/dev/null
check "an empty NO_COLOR is unset (no-color.org)" grep -q "$esc\[31moverdue" "$T/nc"
for f in json csv ics; do
	on_a_tty env -u NO_COLOR TERM=xterm deadline-check -C "$S" --today 2026-04-09 --status all --format $f >"$T/nc" 2>/dev/null
	check "$f on a terminal: no escape codes" sh -c "! grep -q '$esc' '$T/nc'"
done

# --- reading commits nothing ------------------------------------------------------
is "$(commits "$S")" "$n" "no run added a commit"
clean "$S" "after every run"

done_testing

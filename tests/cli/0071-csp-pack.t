#!/usr/bin/env bash
# csp-pack: the MAP meeting pack (HTML) and --share-with-map, the s 284
# register entries (VIC-S284, purpose csp) that record it was shared.
# Asserts on the document (escaping of hostile record text, the summary
# rows, the deadlines as deadline-check computes them, no external
# resources) and on the disclosure commits; every refusal writes nothing.
. "$(dirname "$0")/lib.sh"

S="$T/s"
{
	new_store "$S" VIC &&
	registry -C "$S" add-agency dh --name "Health" --map-member &&
	registry -C "$S" add-agency forensicare --name "Forensicare" --funded-by dh &&
	registry -C "$S" add-agency ngo --name "Unfunded NGO" &&
	registry -C "$S" add-operator carol --name "Carol Outside" \
	    --email carol@example.org --role soct-officer --agency ngo
} >/dev/null 2>&1 || { echo "Bail out! cannot make a store"; exit 1; }

# hostile text in every kind of record field the pack shows
cat >"$T/plan.yaml" <<'EOF'
services:
  - id: s1
    agency: djcs
    delivers: <script>alert("x")</script> & 'case management'
    addresses: Compliance </td></tr></table>
    frequency: weekly
    start: '2026-03-02'
    status: active
  - id: s2
    agency: dh
    provider: forensicare
    delivers: Forensic mental health treatment
    addresses: Mental illness
    frequency: fortnightly
    start: '2026-03-16'
    status: active
comments: |
  <img src=x onerror=alert(1)>
  Second line.
EOF
{
	case-new -C "$S" --today 2026-03-01 --cohort post-sentence VIC-0007 VIC-0012 VIC-0013
	case-event -C "$S" VIC-0007 order-made --date 2026-03-02 --order supervision
	case-event -C "$S" VIC-0012 order-made --date 2026-04-01 --order interim-supervision
	csp-new -C "$S" --today 2026-03-10 -f "$T/plan.yaml" VIC-0007
	csp-endorse -C "$S" --today 2026-03-20 --meeting 'MAP-3 "March"' --date 2026-03-20 --agency djcs,dh VIC-0007
	csp-update -C "$S" request --today 2026-08-03 --agency djcs,forensicare --via written --due 2026-08-14 VIC-0007
	csp-update -C "$S" record --today 2026-08-10 --agency forensicare --received 2026-08-10 \
	    --delivered 'Twelve sessions </td><b>bold</b>' --next 'Continue; goal: adherence' VIC-0007
	authority-notice -C "$S" add --today 2026-08-04 --kind report-request \
	    --asks 'Report <iframe src="http://evil.example/">' --due 2026-08-12 --agency dffh VIC-0007
} >/dev/null 2>&1 || { echo "Bail out! cannot fill the store"; exit 1; }
export CASETRAIL_TODAY=2026-08-17
n0=$(commits "$S")

# document checks in Python: tags and attributes, rows of tables
cat >"$T/pack_html.py" <<'PY'
import sys
from html.parser import HTMLParser

TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1",
        "h2", "h3", "p", "section", "table", "thead", "tbody", "tr", "th",
        "td", "a", "dl", "dt", "dd", "ol", "ul", "li", "span",
        "svg", "rect", "line", "text"}
ATTRS = {"lang", "charset", "http-equiv", "content", "name", "class", "id",
         "href",
         # the review clock's inline SVG: shapes and text, nothing loaded
         "viewbox", "role", "aria-label", "font-size", "font-family", "x",
         "y", "width", "height", "fill", "x1", "y1", "x2", "y2", "stroke",
         "stroke-width", "text-anchor"}


class Doc(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad = []
        self.sections = {}      # id -> list of tables -> rows -> cells
        self.section = None
        self.rows = None
        self.tables = []        # open tables: rows, or None for a page table
        self.cell = None
        self.h3 = None
        self.in_h3 = False
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            self.bad.append("tag " + tag)
        for k, v in attrs:
            if k not in ATTRS:
                self.bad.append("attribute %s=%s" % (k, v))
            if k == "href" and not v.startswith("#case-"):
                self.bad.append("href " + v)
        a = dict(attrs)
        if tag == "section":
            self.section = a.get("id") or a.get("class")
            self.sections[self.section] = {}
        elif tag == "h3":
            self.h3 = ""
            self.in_h3 = True
        elif tag == "table" and a.get("class") == "page":
            self.tables.append(None)    # the running head's frame
        elif tag == "table":
            self.rows = []
            self.tables.append(self.rows)
            self.sections[self.section][self.h3 or "summary"] = self.rows
        elif tag in ("tr", "td", "th") and not self.in_table():
            pass
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = ""
        elif tag == "li" and self.cell:
            self.cell += " | "

    def in_table(self):
        return bool(self.tables) and self.tables[-1] is not None

    def handle_endtag(self, tag):
        if tag == "table":
            self.tables.pop()
            self.rows = next((t for t in reversed(self.tables) if t is not None), None)
        elif tag in ("td", "th") and not self.in_table():
            pass
        elif tag in ("td", "th"):
            self.rows[-1].append(self.cell)
            self.cell = None
        elif tag == "h3":
            self.h3 = self.h3.strip()
            self.in_h3 = False

    def handle_data(self, data):
        self.text.append(data)
        if self.cell is not None:
            self.cell += data
        elif self.in_h3:
            self.h3 += data


def load(path):
    d = Doc()
    d.feed(open(path, encoding="utf-8").read())
    d.close()
    return d


if __name__ == "__main__":
    cmd, path = sys.argv[1], sys.argv[2]
    d = load(path)
    if cmd == "safe":
        assert not d.bad, d.bad
    elif cmd == "table":   # SECTION TITLE: rows, tab-separated
        for r in d.sections[sys.argv[3]].get(sys.argv[4], [[]])[1:]:
            print("\t".join(r))
    elif cmd == "text":
        print("".join(d.text))
PY
table() { python3 "$T/pack_html.py" table "$@"; }

run csp-pack -C "$S" --meeting 'MAP-2026-08 <"Aug"> & co' --date 2026-08-19 VIC-0007 VIC-0012 VIC-0013
expect 0 "a pack on standard output"
cp "$T/out" "$T/pack.html"
is "$(commits "$S")" "$n0" "no commit without --share-with-map"
clean "$S" "after a pack"
out_has '<h1>MAP meeting pack: MAP-2026-08 &lt;&quot;Aug&quot;&gt; &amp; co</h1>' "the meeting reference escaped"
out_has '<meta http-equiv="Content-Security-Policy" content="default-src '"'none'"'; style-src '"'unsafe-inline'"'">' \
    "a policy that forbids any external resource"
out_has '@media print{' "a print style sheet"
out_has 'section.case{break-before:page}' "each case on a new printed page"
out_has 'Meeting of 2026-08-19; 3 cases; deadlines as of 2026-08-17; from store commit' "the heading line"
check "only plain markup: no script, image, frame, form, event handler or external link" \
    python3 "$T/pack_html.py" safe "$T/pack.html"
out_has '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;case management&#39;' "service text escaped"
out_has 'Compliance &lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;' "markup that would close the table escaped"
out_has '&lt;img src=x onerror=alert(1)&gt;' "plan comments escaped"
out_has 'Twelve sessions &lt;/td&gt;&lt;b&gt;bold&lt;/b&gt;' "an update's text escaped"
out_has 'Report &lt;iframe src=&quot;http://evil.example/&quot;&gt;' "a notice's text escaped"
check "the endorsement in the timeline" sh -c "python3 '$T/pack_html.py' text '$T/pack.html' |
    grep -F 'CSP version 1 endorsed at MAP-3 \"March\"; committed: djcs, dh' >/dev/null"
is "$(grep -cE '<(script|img|iframe|link|object|embed)' "$T/pack.html")" 0 "no raw hostile markup"

# the summary: one row per case, in the order given
is "$(table "$T/pack.html" summary summary | cut -f1-6)" \
"VIC-0007	supervision since 2026-03-02	version 1, endorsed	2026-03-20 (MAP-3 \"March\")	2026-09-20 (due)	1
VIC-0012	interim-supervision since 2026-04-01	no CSP	never	-	0
VIC-0013	none open	no CSP	never	-	0" "the summary rows"
# what is overdue and what the meeting must decide, named
is "$(table "$T/pack.html" summary summary | cut -f7 | sed 's/ | /\n/g')" \
"Overdue: VIC-AUTHORITY-NOTICE (authority notice n1), due 2026-08-12, 5 days ago
Overdue: VIC-SDU (sdu request djcs), due 2026-08-14, 3 days ago
Decide: review the CSP, due 2026-09-20 (VIC-CSP-REVIEW)
Decide: the response to Authority notice n1 (report-request), due 2026-08-12
Follow up: djcs's update r1, due 2026-08-14
Overdue: VIC-CSP-REQUIRED (order-made), due 2026-04-29, 110 days ago
Decide: who drafts the CSP, required by 2026-04-29 (VIC-CSP-REQUIRED)
Nothing overdue or to decide: for noting" "the summary names what is overdue and what is to decide"
grep -c '^<tr><td class="v"><a href="#case-' "$T/pack.html" >"$T/n"
is "$(cat "$T/n")" 3 "one line per case in the summary"

# per case: the plan, the latest update per agency, outstanding requests,
# the open notices, the deadlines and the timeline
is "$(table "$T/pack.html" case-VIC-0007 "Coordinated Services Plan" | cut -f1-3,7-8)" \
"s1	djcs (Justice and Community Safety)	-	2026-03-02	active
s2	dh (Health)	forensicare (Forensicare)	2026-03-16	active" "VIC-0007: the services, agencies named"
is "$(table "$T/pack.html" case-VIC-0007 "Latest service-delivery updates" | cut -f1-3)" \
"forensicare (Forensicare)	2026-08-10	r2 (written)" "VIC-0007: forensicare's update"
is "$(table "$T/pack.html" case-VIC-0007 "Outstanding requests")" \
"r1	djcs (Justice and Community Safety)	written	2026-08-03	2026-08-14	overdue	-3" "VIC-0007: djcs's request is outstanding and overdue"
is "$(table "$T/pack.html" case-VIC-0007 "Open Authority notices" | cut -f1,2,6-8)" \
"n1	report-request	2026-08-12	overdue	-5" "VIC-0007: the open Authority notice"

# the deadlines are deadline-check's: the same rules, dates, statuses
deadline_rows() {
	deadline-check -C "$S" --status all --case "$1" --format csv |
	    python3 -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    if r["status"] != "met":
        print("\t".join([r["due"], r["status"], r["days"], r["rule"]]))'
}
for id in VIC-0007 VIC-0012 VIC-0013; do
	want=$(deadline_rows "$id")
	got=$(table "$T/pack.html" "case-$id" Deadlines | cut -f1-4)
	is "$got" "$want" "$id: the deadlines are those of deadline-check"
done
is "$(table "$T/pack.html" case-VIC-0007 Deadlines | cut -f1-4)" \
"2026-08-12	overdue	-5	VIC-AUTHORITY-NOTICE
2026-08-14	overdue	-3	VIC-SDU
2026-09-20	due	34	VIC-CSP-REVIEW" "VIC-0007: the deadlines, by hand"
is "$(table "$T/pack.html" case-VIC-0012 Deadlines | cut -f1-4)" \
"2026-04-29	overdue	-110	VIC-CSP-REQUIRED" "VIC-0012: the plan required, overdue"
out_has '<p class="none">Nothing due: every obligation of the rules is met.</p>' "VIC-0013: nothing due"
check "VIC-0007: the timeline in date order, the review ahead" python3 - "$T/pack.html" <<'PY'
import re, sys
html = open(sys.argv[1]).read()
sec = html.split('id="case-VIC-0007"')[1].split("</section>")[0]
items = re.findall(r'<li( class="ahead")?><span class="date">([0-9-]+)</span> (.*?)</li>', sec)
got = [(d, re.sub(r"<[^>]*>", "", t)) for _, d, t in items]
assert got == [
    ("2026-03-02", "supervision order made"),
    ("2026-03-20", "CSP version 1 endorsed at MAP-3 &quot;March&quot;; committed: djcs, dh"),
    ("2026-08-03", "Service-delivery update r1 requested from djcs (written, due 2026-08-14)"),
    ("2026-08-03", "Service-delivery update r2 requested from forensicare (written, due 2026-08-14)"),
    ("2026-08-04", "Authority notice n1 received: report-request, due 2026-08-12"),
    ("2026-08-10", "Service-delivery update r2 received from forensicare"),
    ("2026-09-20", "CSP review due (VIC-CSP-REVIEW, due)"),
], got
assert items[-1][0] == ' class="ahead"' and all(a == "" for a, _, _ in items[:-1])
PY

# ids on stdin, --out, a repeated id shown once
run_in "$(printf 'VIC-0012\nVIC-0007\nVIC-0012\n')" csp-pack -C "$S" --meeting M-1 --out "$T/p.html" -
expect 0 "ids on standard input, --out"
is "$(cat "$T/out")" "" "nothing on standard output"
is "$(table "$T/p.html" summary summary | cut -f1)" "VIC-0012
VIC-0007" "in the order given, once each"
is "$(commits "$S")" "$n0" "still no commit"

# refusals: exit 2, nothing written, no commit
refuse() {
	local want=$1 desc=$2
	shift 2
	rm -f "$T/r.html"
	run "$@"
	expect 2 "$desc"
	err_has "$want" "$desc: says so"
	is "$(commits "$S")" "$n0" "$desc: no commit"
	if [ -e "$T/r.html" ]; then not_ok "$desc: no file written"; else
		ok "$desc: no file written"; fi
}
refuse "--meeting is required" "no --meeting" \
    csp-pack -C "$S" --out "$T/r.html" VIC-0007
refuse "--meeting: " "a meeting reference with a newline" \
    csp-pack -C "$S" --meeting "$(printf 'M\nPurpose: forged')" --out "$T/r.html" VIC-0007
refuse "case VIC-0099 does not exist" "an unknown case" \
    csp-pack -C "$S" --meeting M --out "$T/r.html" VIC-0007 VIC-0099
refuse "--date: " "an invalid meeting date" \
    csp-pack -C "$S" --meeting M --date 2026-13-01 --out "$T/r.html" VIC-0007
refuse "-n and -m go with --share-with-map" "-n without --share-with-map" \
    csp-pack -C "$S" -n --meeting M --out "$T/r.html" VIC-0007
refuse "--share-with-map needs --out" "--share-with-map without --out" \
    csp-pack -C "$S" --meeting M --share-with-map VIC-0007
refuse "the discloser: 'carol' is not a relevant person under s 284 (VIC-S284)" \
    "VIC-S284: sharing by an operator who is not a relevant person" \
    as "Carol Outside" carol@example.org csp-pack -C "$S" --meeting M \
    --out "$T/r.html" --share-with-map VIC-0007 VIC-0012
refuse "is not a registered operator" "VIC-S284: sharing by an unregistered identity" \
    as "Eve" eve@example.org csp-pack -C "$S" --meeting M \
    --out "$T/r.html" --share-with-map VIC-0007

A="$T/act"
new_store "$A" ACT >/dev/null 2>&1 && case-new -C "$A" --today 2026-03-01 --cohort sentenced ACT-0001 2>/dev/null
run csp-pack -C "$A" --meeting M ACT-0001
expect 2 "an ACT case"
err_has "case ACT-0001 is not a VIC case" "says so"

# a dry run of the sharing: the entries, no file, no commit
rm -f "$T/r.html"
run csp-pack -C "$S" -n --meeting MAP-2026-08 --out "$T/r.html" --share-with-map VIC-0007
expect 0 "VIC-S284: --share-with-map -n"
out_has "+recipient: dh" "prints the entries"
is "$(commits "$S")" "$n0" "dry run: no commit"
if [ -e "$T/r.html" ]; then not_ok "dry run: no file"; else ok "dry run: no file"; fi

# sharing: the file, then one commit per case with one entry per MAP member
run csp-pack -C "$S" --meeting MAP-2026-08 --date 2026-08-19 --out "$T/shared.html" \
    -m "Pack sent before the meeting" --share-with-map VIC-0007 VIC-0012 VIC-0007
expect 0 "VIC-S284: --share-with-map"
is "$(commits "$S")" "$((n0 + 2))" "one commit per case"
check "the pack was written" test -s "$T/shared.html"
is "$(wc -l <"$T/out" | tr -d ' ')" 6 "prints the six entries (two cases, three MAP members)"
for rev in HEAD HEAD~1; do
	is "$(trailer "$S" Purpose "$rev")" csp "$rev: Purpose: csp"
	is "$(trailer "$S" Record "$rev")" disclosure "$rev: Record: disclosure"
	is "$(trailer "$S" Action "$rev")" add "$rev: Action: add"
	is "$(trailer "$S" Reason "$rev")" "Pack sent before the meeting" "$rev: Reason"
	is "$(trailer "$S" Tool "$rev")" "csp-pack 0.1.0" "$rev: Tool"
done
is "$(trailer "$S" Case HEAD~1)" VIC-0007 "the first commit is VIC-0007's"
is "$(trailer "$S" Case HEAD)" VIC-0012 "the second VIC-0012's"
is "$(git -C "$S" log -1 --format=%s HEAD~1)" \
    "csp-pack: VIC-0007 MAP meeting pack MAP-2026-08 shared with the MAP members (djcs, dffh, dh)" "subject"
is "$(git -C "$S" show --stat --format= HEAD | grep -c 'disclosures/')" 3 "three entries in a commit"
check "the entries: one per MAP member agency, purpose csp, the meeting" python3 - "$S" <<'PY'
import glob, sys, yaml
for case in ("VIC-0007", "VIC-0012"):
    files = sorted(glob.glob("%s/cases/*/%s/disclosures/*.yaml" % (sys.argv[1], case)))
    es = [yaml.load(open(f), Loader=yaml.BaseLoader) for f in files]
    assert [e["recipient"] for e in es] == ["djcs", "dffh", "dh"], es
    for e in es:
        assert e["case"] == case and e["purpose"] == "csp", e
        assert e["recipient_kind"] == "agency" and e["discloser"] == "ada", e
        assert e["reference"] == "MAP-2026-08" and e["means"] == "written", e
        assert e["information"].startswith("MAP meeting pack MAP-2026-08: "), e
PY
run disclose-log -C "$S" list --purpose csp --format csv
is "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 6 "disclose-log lists the six entries"
run disclose-log -C "$S" verify
expect 0 "disclose-log verify: no problem"
run store-verify -C "$S"
expect 0 "store-verify accepts the history"
clean "$S" "after sharing"

done_testing

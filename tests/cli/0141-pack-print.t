#!/usr/bin/env bash
# The MAP meeting pack as a reader gets it: printed to PDF by headless
# Chromium (scripts/pack-preview.sh, what make pack-preview runs).  Each
# case starts a page; every page has the running head (meeting, day,
# case) and "Page n of m"; no date is broken across lines: every
# YYYY-MM-DD of the document's text is found whole in the PDF's text, as
# often.  Skipped without chromium and pdftotext (poppler-utils).
. "$(dirname "$0")/lib.sh"

if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
	echo "1..0 # SKIP chromium or pdftotext (poppler-utils) not installed"
	exit 77
fi
: "${CT_SOURCE_DIR:?CT_SOURCE_DIR must name the source directory}"

O="$T/o"
run sh "$CT_SOURCE_DIR/scripts/pack-preview.sh" "$CT_BIN" "$O"
expect 0 "the demo pack made and rendered"
check "a PDF" test -s "$O/pack-preview.pdf"
check "a screenshot" test -s "$O/pack-preview.png"
check "the PDF is a PDF" sh -c "head -c 5 '$O/pack-preview.pdf' | grep -q '%PDF-'"

pages=$(pdfinfo "$O/pack-preview.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
[ -n "$pages" ] || pages=$(grep -ac '/Type */Page[^s]' "$O/pack-preview.pdf")
check "3 to 5 pages: the summary, then each of the two cases from a new page ($pages)" \
    test "$pages" -ge 3 -a "$pages" -le 5

pdftotext -layout "$O/pack-preview.pdf" "$T/all.txt"
first_of() { pdftotext -layout -f "$1" -l "$1" "$O/pack-preview.pdf" - | sed '/^ *$/d' | head -1; }
ok_heads=0 ok_numbers=0 cases=""
for p in $(seq 1 "$pages"); do
	pdftotext -layout -f "$p" -l "$p" "$O/pack-preview.pdf" "$T/p$p.txt"
	first_of "$p" | grep -q "MAP meeting pack MAP-2026-08, meeting of 2026-08-19:" &&
	    ok_heads=$((ok_heads + 1))
	grep -q "Page $p of $pages" "$T/p$p.txt" && ok_numbers=$((ok_numbers + 1))
	cases="$cases$(first_of "$p" | grep -o 'case VIC-[0-9]*\|the cases' | head -1);"
done
is "$ok_heads" "$pages" "the running head at the top of every page"
is "$ok_numbers" "$pages" "Page n of m on every page"
check "the first page is the summary, the last VIC-0012's ($cases)" \
    sh -c "case '$cases' in 'the cases;case VIC-0007;'*'case VIC-0012;') exit 0;; esac; exit 1"
check "VIC-0007 runs over a page: the head repeats on it" \
    test "$(echo "$cases" | tr ';' '\n' | grep -c 'case VIC-0007')" -ge 1

# every date of the text, whole, as often (the running head, repeated on
# each page, and the SVG's tooltip are not in the count)
check "no date broken across lines: each one whole in the PDF, as often" \
    python3 - "$O/pack-preview.html" "$T/all.txt" <<'PY'
import re, sys
from html.parser import HTMLParser

class Text(HTMLParser):
    skip = {"style", "title", "thead"}
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.out = 0, []
    def handle_starttag(self, tag, attrs):
        if tag in self.skip:
            self.depth += 1
    def handle_endtag(self, tag):
        if tag in self.skip:
            self.depth -= 1
    def handle_data(self, data):
        if self.depth == 0:
            self.out.append(data)

t = Text()
t.feed(open(sys.argv[1], encoding="utf-8").read())
html = " ".join(t.out)
pdf = open(sys.argv[2], encoding="utf-8").read()
pdf = re.sub(r"MAP meeting pack MAP-2026-08, meeting of 2026-08-19:", "", pdf)
date = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
want = {}
for d in date.findall(html):
    want[d] = want.get(d, 0) + 1
got = {}
for d in date.findall(pdf):
    got[d] = got.get(d, 0) + 1
assert len(want) >= 8, want
bad = {d: (n, got.get(d, 0)) for d, n in want.items() if got.get(d, 0) < n}
assert not bad, "dates broken or lost (in the HTML, in the PDF): %r" % bad
# and no line of the PDF ends or begins with a piece of a date
for line in pdf.splitlines():
    assert not re.search(r"(?<![\w-])\d{4}-(\d{2}-?)?$", line.rstrip()), line
    assert not re.match(r"^\s*-?\d{2}-\d{2}\b", line), line
PY
check "ids and rule ids whole" sh -c "grep -q 'VIC-AUTHORITY-NOTICE' '$T/all.txt' &&
    grep -q 'VIC-CSP-REVIEW' '$T/all.txt'"
check "agency names beside the ids" grep -q "djcs (Justice and Community Safety)" "$T/all.txt"
check "the review clock printed: its dates as text" grep -q "review due 2026-09-20" "$T/all.txt"
done_testing

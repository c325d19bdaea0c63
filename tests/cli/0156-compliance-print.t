#!/usr/bin/env bash
# The compliance report as a reader prints it: a store with four months
# of history (scripts/report-preview.sh, what make report-preview runs),
# its report rendered to PDF by headless Chromium.  The figures are the
# ones computed by hand from the story: January 1 of 1 on time; February
# 1 of 2 (the other met late); March 1 of 2 (the other overdue at the end
# of March, met in April); April 1 of 1.  Skipped without chromium and
# pdftotext (poppler-utils).
. "$(dirname "$0")/lib.sh"

if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
	echo "1..0 # SKIP chromium or pdftotext (poppler-utils) not installed"
	exit 77
fi
: "${CT_SOURCE_DIR:?CT_SOURCE_DIR must name the source directory}"

O="$T/o"
run sh "$CT_SOURCE_DIR/scripts/report-preview.sh" "$CT_BIN" "$O"
expect 0 "the report made and rendered"
check "a PDF" sh -c "head -c 5 '$O/report-preview.pdf' | grep -q '%PDF-'"
check "a screenshot" test -s "$O/report-preview.png"
pdftotext -layout "$O/report-preview.pdf" "$T/all.txt"
check "the title" grep -q "Compliance over time" "$T/all.txt"
check "the rule" grep -q "ACT-REMAND-ENGAGE" "$T/all.txt"
for row in "2026-01 +1 +1 +0 +0" "2026-02 +2 +1 +1 +0" "2026-03 +2 +1 +0 +1" "2026-04 +1 +1 +0 +0"; do
	check "the row ${row%% *}: fell due, met, met late, overdue" grep -Eq "^ *$row " "$T/all.txt"
done
is "$(grep -Eo '[0-9]+\.[0-9]%' "$T/all.txt" | tr '\n' ' ')" "100.0% 50.0% 50.0% 100.0% " "the shares on time"
check "the chart is in the document" grep -q '<polyline' "$O/report-preview.html"
run git -C "$O/report-preview-store" log --format='%cs %s'
is "$(grep ' case-event: R1 reception ' "$T/out" | cut -d' ' -f1)" "2026-01-12" "the events' commits are dated as the story goes"

done_testing

#!/usr/bin/env bash
# cmp-print: a case's Case Management Plans as one printable HTML
# document: goals, needs with interventions, targets and referrals, the
# three s 78 parts of a custodial plan, comments, reviews and approvals;
# record text escaped; --kind picks one plan; -o writes only a regular
# file outside the store; reading commits nothing.
. "$(dirname "$0")/lib.sh"
: "${CT_FIXTURES:?}"
PLAN="$CT_FIXTURES/cmp/custodial-act-0042.yaml"
Z=000000000000000000000000000000000000000000000000000000

S="$T/s"
printf '%s\n' "goals: ['Keep a job <b>&</b> \"stay\"']" 'needs: []' >"$T/small.yaml"
{
	new_store "$S" ACT &&
	registry -C "$S" add-operator carol --name "Carol Leader" --email carol@example.org \
	    --role cmu-team-leader --agency djcs &&
	case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 ACT-0043 ACT-0044 &&
	assess-add -C "$S" --today 2026-03-10 --date 2026-03-04 --items $Z ACT-0042 lsi-r &&
	cmp-new -C "$S" --today 2026-03-10 --kind custodial -f "$PLAN" ACT-0042 &&
	as "Carol Leader" carol@example.org cmp-approve -C "$S" --today 2026-03-12 \
	    --kind custodial -m "Discussed with the case manager" ACT-0042 &&
	cmp-new -C "$S" --today 2026-03-10 --kind community -f "$T/small.yaml" ACT-0043
} >/dev/null 2>&1 || { echo "Bail out! cannot make a store"; exit 1; }
export CASETRAIL_TODAY=2026-03-20
n0=$(commits "$S")

run cmp-print --help
expect 0 "--help"
out_has "usage: cmp-print [-C dir] [--today date] [--kind kind] [-o file] id" "the synopsis"

run cmp-print -C "$S" ACT-0042
expect 0 "the custodial plan"
cp "$T/out" "$T/p.html"
# text FILE: the document's text, tags dropped, a line per block, a tab
# before each cell
text() {
	python3 -c '
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.out = []
    def handle_starttag(self, t, a):
        self.skip += t in ("style", "title")
        if t in ("tr", "li", "dt", "h2", "h3", "p"):
            self.out.append("\n")
        if t in ("td", "th", "dd"):
            self.out.append("\t")
    def handle_endtag(self, t):
        self.skip -= t in ("style", "title")
    def handle_data(self, d):
        if not self.skip:
            self.out.append(d)
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
print("".join(p.out))' "$1"
}
text "$T/p.html" >"$T/p.txt"
has() { if grep -qF -- "$1" "$T/p.txt"; then ok "$2"; else not_ok "$2" "text lacks: $1"; fi; }
has "ACT-0042: custodial Case Management Plan" "the heading names the case and the plan"
has "Case Management Plan, case ACT-0042: custodial plan, version 1, printed 2026-03-20" "the running head"
has "Complete a drug and alcohol program before the earliest release date" "a goal"
has "	N1	alcohol-drug	Long history of methamphetamine use linked to the offences" "a need"
has "program: Solaris therapeutic community program" "its interventions"
has "	2026-12-31	-	open" "its target, no completion, its status"
has "Referral to CIT Vocational Education, 2026-03-10, consent given" "a referral"
has "Family home not available (protection order)" "a need's comments"
has "Work and other activities (s 78 (a))	Bakery work five days a week; literacy classes" "s 78 (a)"
has "Needs, capacity and welfare (s 78 (b))	See needs N1-N3" "s 78 (b)"
has "Preparation for release (s 78 (c))	Justice Housing and Centrelink referrals" "s 78 (c)"
has "Plan developed with the offender on 2026-03-10." "the comments"
has "	1	carol	cmu-team-leader	2026-03-12	" "the approval"
has "Not reviewed yet." "no review"
has "Gone through together" "room to sign"
check "dates and ids kept on one line" grep -q '<td class="v">2026-12-31</td>' "$T/p.html"
check "self-contained: a policy that loads nothing" \
    grep -qF "content=\"default-src 'none'; style-src 'unsafe-inline'\"" "$T/p.html"
check "the pack's style sheet" grep -qF 'table.page>tbody>tr{break-inside:auto}' "$T/p.html"
is "$(grep -cE '<(script|img|iframe|link|object|embed)' "$T/p.html")" 0 "nothing loaded, no script"

run cmp-print -C "$S" ACT-0043
expect 0 "a community plan"
out_has 'Keep a job &lt;b&gt;&amp;&lt;/b&gt; &quot;stay&quot;' "record text escaped"
out_has '<p class="none">The plan lists no needs.</p>' "no needs"
out_has '<p class="none">Not approved yet.</p>' "not approved"

run cmp-print -C "$S" --kind community ACT-0042
expect 2 "--kind: a plan the case does not hold"
err_has "case ACT-0042 has no community Case Management Plan" "says so"
run cmp-print -C "$S" ACT-0044
expect 2 "a case without a plan"
err_has "case ACT-0044 has no Case Management Plan" "says so"
run cmp-print -C "$S" ACT-0099
expect 2 "an unknown case"
err_has "case ACT-0099 does not exist" "says so"
run cmp-print -C "$S" --kind other ACT-0042
expect 2 "an unknown kind"
run cmp-print -C "$S"
expect 2 "no case id"

run cmp-print -C "$S" -o "$T/plan.html" ACT-0042
expect 0 "-o file"
is "$(cat "$T/out")" "" "nothing on standard output"
check "the file is the document" cmp -s "$T/plan.html" "$T/p.html"
run cmp-print -C "$S" -o "$S/plan.html" ACT-0042
expect 2 "-o inside the store"
err_has "lies inside the store" "says so"
check "nothing written there" test ! -e "$S/plan.html"
ln -s "$T/victim" "$T/link.html"
run cmp-print -C "$S" -o "$T/link.html" ACT-0042
expect 2 "-o a symbolic link"
check "nothing written through it" test ! -e "$T/victim"

is "$(commits "$S")" "$n0" "printing commits nothing"
clean "$S" "after printing"
done_testing

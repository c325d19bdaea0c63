#!/usr/bin/env bash
# assess-add: LSI-R scoring against the hand-computed fixtures, the
# record, the store's cut-offs, input files, refusals (exit 2, no commit),
# one commit per action with its trailers, and the case's risk rating
# left to case-event.
. "$(dirname "$0")/lib.sh"
: "${CT_FIXTURES:?}"
F="$CT_FIXTURES/lsi-r"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 2>/dev/null
D="$S/$(shard ACT-0042)/assessments"
items() { tr -d ' \n' <"$F/$1.items"; }

check "the store has the default cut-offs" grep -qx "    max: 13" "$S/rules/lsi-r-bands.yaml"

# hand-computed fixtures through the tool: scores, total and band
n=$(commits "$S")
day=1
for f in "$F"/*.items; do
	name=$(basename "$f" .items)
	date=$(printf '2026-02-%02d' "$day")
	day=$((day + 1))
	run assess-add -C "$S" --today 2026-03-01 --date "$date" --items "$(items "$name")" ACT-0042 lsi-r
	want=$(sed -n 's/^total //p' "$F/$name.expected")
	band=$(sed -n 's/^band \([a-z-]*\) .*/\1/p' "$F/$name.expected")
	range=$(sed -n 's/^band [a-z-]* //p' "$F/$name.expected")
	if [ "$rc" -eq 0 ] && grep -qx "total: $want" "$D/$date-lsi-r.yaml" &&
	    grep -qx "band: $band" "$D/$date-lsi-r.yaml" &&
	    grep -qx "cutoffs: '$range'" "$D/$date-lsi-r.yaml" &&
	    python3 - "$D/$date-lsi-r.yaml" "$F/$name.expected" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
want = open(sys.argv[2]).read().split("\n")[0].split()[1:]
assert list(d["scores"].values()) == want, (d["scores"], want)
PY
	then ok "LSI-R fixture $name: total $want, $band ($range)"
	else not_ok "LSI-R fixture $name: total $want, $band ($range)"; fi
done
nf=$(ls "$F"/*.items | wc -l)
is "$(commits "$S")" "$((n + nf))" "one commit per assessment"

# the printed summary, the commit and its trailers
run assess-add -C "$S" --today 2026-03-01 --date 2026-03-01 --items "$(items mixed-25)" -m "Intake interview" ACT-0042 lsi-r
expect 0 "assess-add with --items"
out_has "ACT-0042 LSI-R of 2026-03-01: total 25 of 54, moderate (24-33)" "prints the total and band"
out_has "  Criminal history          5 of 10" "prints the subscale scores"
out_has "  Attitudes/orientation     2 of  4" "prints the last subscale"
is "$(git -C "$S" log -1 --format=%s)" "assess-add: ACT-0042 LSI-R of 2026-03-01: total 25, moderate" "subject"
is "$(trailer "$S" Case)" ACT-0042 "Case trailer"
is "$(trailer "$S" Record)" "assessments/2026-03-01-lsi-r" "Record trailer"
is "$(trailer "$S" Action)" add "Action trailer"
is "$(trailer "$S" Reason)" "Intake interview" "Reason trailer"
is "$(git -C "$S" show --stat --format= HEAD | grep -c '|')" 1 "the commit adds one file"
check "assessor recorded" grep -qx "assessor: ada" "$D/2026-03-01-lsi-r.yaml"
check "items kept per subscale" grep -qx "  alcohol_drug: '010010010'" "$D/2026-03-01-lsi-r.yaml"
check "date field kept" grep -qx "date: '2026-03-01'" "$D/2026-03-01-lsi-r.yaml"

# -f: a file by subscale, with comments; and stdin
cat >"$T/lsir.yaml" <<'YAML'
items:
  criminal_history: '1111111111'
  education_employment: '1111111111'
  financial: '11'
  family_marital: '1000'
  accommodation: '100'
  leisure_recreation: '00'
  companions: '00000'
  alcohol_drug: '000000000'
  emotional_personal: '00000'
  attitudes_orientation: '0000'
comments: Completed with the offender at the AMC
YAML
run assess-add -C "$S" --today 2026-03-10 --date 2026-03-02 -f "$T/lsir.yaml" ACT-0042 lsi-r
expect 0 "assess-add -f file"
check "total from the file" grep -qx "total: 24" "$D/2026-03-02-lsi-r.yaml"
check "comments kept" grep -qx "comments: Completed with the offender at the AMC" "$D/2026-03-02-lsi-r.yaml"
run_in "items: '$(items all-one)'" assess-add -C "$S" --today 2026-03-10 --date 2026-03-03 -f - ACT-0042 lsi-r
expect 0 "assess-add -f - (stdin)"
check "total from stdin" grep -qx "band: high" "$D/2026-03-03-lsi-r.yaml"

# the case's risk rating follows only case-event risk-rating-changed
case-event -C "$S" ACT-0042 risk-rating-changed --date 2026-03-04 --rating high 2>/dev/null
run assess-add -C "$S" --today 2026-03-10 --date 2026-03-05 --items "$(items all-zero)" ACT-0042 lsi-r
expect 0 "an assessment below the case's rating"
err_has "note: ACT-0042's risk rating is high and this LSI-R's band is low; the rating changes only with case-event ACT-0042 risk-rating-changed --date 2026-03-05 --rating low" "points to case-event"
check "the case's rating is unchanged" grep -qx "risk_rating: high" "$S/$(shard ACT-0042)/case.yaml"

# the store's own cut-offs are used (and the range recorded)
python3 - "$S/rules/lsi-r-bands.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read().replace("max: 13", "max: 24").replace("min: 14", "min: 25")
s = s.replace("    max: 23\n", "    max: 30\n").replace("min: 24", "min: 31")
open(p, "w").write(s)
PY
git -C "$S" commit -qam "local cut-offs" 
run assess-add -C "$S" --today 2026-03-10 --date 2026-03-06 --items "$(items moderate-24)" ACT-0042 lsi-r
expect 0 "assess-add with the store's cut-offs"
check "banded by the store's cut-offs" grep -qx "band: low" "$D/2026-03-06-lsi-r.yaml"
check "their range recorded" grep -qx "cutoffs: '0-24'" "$D/2026-03-06-lsi-r.yaml"
check "earlier records keep their band" grep -qx "band: moderate" "$D/2026-03-02-lsi-r.yaml"
printf 'format: 1\ncite: x\nbands:\n  - {band: low, min: 0, max: 20}\n  - {band: high, min: 22, max: 54}\n' >"$S/rules/lsi-r-bands.yaml"
git -C "$S" commit -qam "broken cut-offs"
n=$(commits "$S")
run assess-add -C "$S" --today 2026-03-10 --date 2026-03-07 --items "$(items moderate-24)" ACT-0042 lsi-r
expect 2 "cut-offs with a gap"
err_has "rules/lsi-r-bands.yaml:5:5: bands[1].min: 22" "names the file, line and band"
is "$(commits "$S")" "$n" "no commit"
git -C "$S" rm -q rules/lsi-r-bands.yaml && git -C "$S" commit -qm "no cut-offs"
run assess-add -C "$S" --today 2026-03-10 --date 2026-03-07 --items "$(items moderate-24)" ACT-0042 lsi-r
expect 0 "a store without cut-offs uses the built-in default"
check "default band" grep -qx "band: moderate" "$D/2026-03-07-lsi-r.yaml"
n=$(commits "$S")

# refusals: exit 2, nothing committed
run assess-add -C "$S" --today 2026-03-10 --date 2026-03-08 --items 0101 ACT-0042 lsi-r
expect 2 "too few items"
err_has "--items: 4 items; the LSI-R has 54" "says how many"
run assess-add -C "$S" --today 2026-03-10 --date 2026-03-08 --items "$(items all-one)1" ACT-0042 lsi-r
expect 2 "too many items"
err_has "55 items; the LSI-R has 54" "says how many"
run assess-add -C "$S" --today 2026-03-10 --date 2026-03-08 --items "$(items all-zero | sed 's/^0/2/')" ACT-0042 lsi-r
expect 2 "an item that is not 0 or 1"
err_has "item 1 is '2'" "names the item"
sed 's/  financial: .11./  financial: '"'"'1'"'"'/' "$T/lsir.yaml" >"$T/short.yaml"
run assess-add -C "$S" --today 2026-03-10 --date 2026-03-08 -f "$T/short.yaml" ACT-0042 lsi-r
expect 2 "a subscale with too few items"
err_has "$T/short.yaml:4:14: items.financial: 1 items; Financial has 2" "names file, line, subscale"
run assess-add -C "$S" --today 2026-03-10 --date 2026-03-01 --items "$(items all-zero)" ACT-0042 lsi-r
expect 2 "a second LSI-R on the same day"
err_has "an LSI-R of 2026-03-01 is already recorded" "says so"
run assess-add -C "$S" --today 2026-03-10 --date 2026-03-11 --items "$(items all-zero)" ACT-0042 lsi-r
expect 2 "an assessment after today"
err_has "2026-03-11 is after today" "says so"
run assess-add -C "$S" --today 2026-03-10 --items "$(items all-zero)" ACT-0042 lsi-r
expect 2 "no --date"
run assess-add -C "$S" --today 2026-03-10 --date 2026-03-08 ACT-0042 lsi-r
expect 2 "no items"
run assess-add -C "$S" --today 2026-03-10 --date 2026-03-08 --items "$(items all-zero)" ACT-0042 static-99
expect 2 "an unknown assessment"
run assess-add -C "$S" --today 2026-03-10 --date 2026-03-08 --items "$(items all-zero)" ACT-0404 lsi-r
expect 2 "no such case"
err_has "case ACT-0404 does not exist" "says so"
run assess-add -C "$S" --today 2026-03-10 --date 2026-03-08 --items "$(items all-zero)" -m $'two\nCase: X' ACT-0042 lsi-r
expect 2 "a reason with a newline"
run as "Bob Auditor" bob@example.org assess-add -C "$S" --today 2026-03-10 --date 2026-03-08 --items "$(items all-zero)" ACT-0042 lsi-r
expect 0 "any registered operator may record an assessment"
check "the assessor is the writer" grep -qx "assessor: bob" "$D/2026-03-08-lsi-r.yaml"
n=$(commits "$S")
run as "Eve Unknown" eve@example.org assess-add -C "$S" --today 2026-03-10 --date 2026-03-09 --items "$(items all-zero)" ACT-0042 lsi-r
expect 2 "an unregistered writer"
V="$T/v"
new_store "$V" VIC
case-new -C "$V" --cohort post-sentence VIC-0007 2>/dev/null
run assess-add -C "$V" --today 2026-03-10 --date 2026-03-08 --items "$(items all-zero)" VIC-0007 lsi-r
expect 2 "a VIC case"
err_has "LSI-R assessments are kept for ACT cases" "says why"
is "$(commits "$S")" "$n" "no commit on any refusal"

# dry run
run assess-add -C "$S" -n --today 2026-03-10 --date 2026-03-09 --items "$(items all-zero)" ACT-0042 lsi-r
expect 0 "dry run"
out_has "+total: 0" "prints the record"
is "$(commits "$S")" "$n" "dry run commits nothing"
check "no file written" test ! -e "$D/2026-03-09-lsi-r.yaml"
clean "$S" "at the end"

done_testing

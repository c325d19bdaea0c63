#!/usr/bin/env bash
# store-policy: show the rules, bands and calendars; set and edit them in
# one commit by an administrator, checked as their readers load them
# (YAML, schema, the reader's own checks) so that nothing deadline-check
# or assess-add would refuse is committed; a non-administrator refused;
# --dry-run and an unchanged file commit nothing; deadline-check uses a
# new holiday at once; store-verify accepts every sanctioned change.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
{
	case-new -C "$S" --today 2026-11-01 --cohort remandee R1 &&
	case-event -C "$S" R1 reception --date 2026-11-02
} >/dev/null 2>&1 || { echo "Bail out! cannot fill the store"; exit 1; }

tip() { git -C "$S" rev-parse HEAD; }
subject() { git -C "$S" log -1 --format=%s; }
# due: the ACT-REMAND-ENGAGE due date of R1
due() {
	deadline-check -C "$S" --today 2026-11-03 --case R1 \
	    --rule ACT-REMAND-ENGAGE --status all --format csv 2>/dev/null |
	    awk -F, 'NR == 2 { print $6 }'
}
# refused DESC: the last run exited 2 and committed nothing
refused() {
	expect 2 "$1"
	is "$(tip)" "$h0" "... nothing committed"
}

run store-policy --help
expect 0 "--help"
out_has "usage: store-policy [-C dir] show file" "... prints the synopsis"

# --- show
run store-policy -C "$S" show calendars/ACT.yaml
expect 0 "show calendars/ACT.yaml"
is "$(cat "$T/out")" "$(git -C "$S" show HEAD:calendars/ACT.yaml)" "... prints the file at HEAD"
run store-policy -C "$S" show rules/deadlines.yaml
expect 0 "show rules/deadlines.yaml"
out_has "id: ACT-REMAND-ENGAGE" "... the rules"
run store-policy -C "$S" show calendars/VIC.yaml
expect 2 "show a policy file the store does not have"
err_has "calendars/VIC.yaml: not in the store at HEAD" "... says so"
for p in registry/operators.yaml calendars/NSW.yaml ../rules/deadlines.yaml \
    cases/R1/case.yaml; do
	run store-policy -C "$S" show "$p"
	expect 2 "show $p refused"
	err_has "not a policy file; store-policy changes casetrail.yaml, rules/deadlines.yaml, rules/lsi-r-bands.yaml, calendars/ACT.yaml or calendars/VIC.yaml" \
	    "... naming the allowed files"
done
run store-policy -C "$S" set casetrail.yaml /dev/null
expect 2 "set casetrail.yaml refused"
run store-policy -C "$S" frob calendars/ACT.yaml
expect 2 "an unknown command"
run store-policy -C "$S" set calendars/ACT.yaml
expect 2 "set without newfile"

is "$(due)" "2026-11-09" "before: ACT-REMAND-ENGAGE due 5 business days after Mon 2 Nov"

# --- set: a valid calendar
n=$(commits "$S")
h0=$(tip)
git -C "$S" show HEAD:calendars/ACT.yaml >"$T/act.yaml"
cat >>"$T/act.yaml" <<'END'
  - date: "2026-11-04"
    name: Declared holiday
    source: Holidays Act 1958 s 3 (1) (b) declaration
END
run store-policy -C "$S" -n set calendars/ACT.yaml "$T/act.yaml"
expect 0 "set --dry-run"
out_has '+  - date: "2026-11-04"' "... prints the diff"
out_has "add[3].date: (none) -> 2026-11-04" "... and the changed fields"
err_has "dry run" "... says it is a dry run"
is "$(tip)" "$h0" "... commits nothing"
clean "$S" "dry run"

run store-policy -C "$S" -m "Declared 4 November 2026" set calendars/ACT.yaml "$T/act.yaml"
expect 0 "set a valid calendar"
is "$(commits "$S")" "$((n + 1))" "... one commit"
is "$(subject)" "store-policy: calendars/ACT.yaml changed (3 fields)" "... subject counts the fields"
is "$(trailer "$S" Record)" "calendars/ACT.yaml" "... Record: the file"
is "$(trailer "$S" Action)" "set" "... Action: set"
is "$(trailer "$S" Reason)" "Declared 4 November 2026" "... Reason: the -m text"
is "$(trailer "$S" Tool)" "store-policy 0.1.0" "... Tool trailer"
is "$(git -C "$S" log -1 --format='%an <%ae>')" "Ada Admin <ada@example.org>" "... by the administrator"
out_has "add[3].name: (none) -> Declared holiday" "... prints the changed fields"
is "$(git -C "$S" show HEAD:calendars/ACT.yaml)" "$(cat "$T/act.yaml")" "... the file as written, comments kept"
check "... the work tree has it too" cmp -s "$S/calendars/ACT.yaml" "$T/act.yaml"
clean "$S" "set"
is "$(due)" "2026-11-10" "deadline-check skips the new holiday"

n=$(commits "$S")
h0=$(tip)
run store-policy -C "$S" set calendars/ACT.yaml "$T/act.yaml"
expect 0 "the same file again"
err_has "calendars/ACT.yaml: nothing to change" "... nothing to change"
is "$(tip)" "$h0" "... no commit"
{ echo "# a new comment"; cat "$T/act.yaml"; } >"$T/act-comment.yaml"
run store-policy -C "$S" set calendars/ACT.yaml "$T/act-comment.yaml"
expect 0 "only a comment changed"
err_has "only comments or layout differ: nothing to change" "... nothing to change"
is "$(tip)" "$h0" "... no commit"

# --- refused: YAML, schema, reader
printf 'jurisdiction: ACT\nadd: [\n' >"$T/bad.yaml"
run store-policy -C "$S" set calendars/ACT.yaml "$T/bad.yaml"
refused "invalid YAML"
err_has "$T/bad.yaml:" "... names the file"
grep -qE "bad.yaml:[0-9]+:[0-9]+:" "$T/err" && ok "... with line and column" ||
    not_ok "... with line and column"

sed 's/name: Declared holiday/nmae: Declared holiday/' "$T/act.yaml" >"$T/schema.yaml"
line=$(grep -n 'nmae:' "$T/schema.yaml" | cut -d: -f1)
run store-policy -C "$S" set calendars/ACT.yaml "$T/schema.yaml"
refused "a calendar against its schema"
err_has "$T/schema.yaml:$line:" "... names file and line"
err_has "add[3]" "... and the field"

sed 's/^jurisdiction: ACT/jurisdiction: VIC/' "$T/act.yaml" >"$T/jur.yaml"
run store-policy -C "$S" set calendars/ACT.yaml "$T/jur.yaml"
refused "a VIC calendar as calendars/ACT.yaml (valid schema, refused by the reader)"
err_has "$T/jur.yaml:4:15: jurisdiction: VIC does not match the ACT calendar" "... file, line, field"

{ cat "$T/act.yaml"; printf 'cancel:\n  - date: "2026-11-05"\n'; } >"$T/cancel.yaml"
line=$(grep -n '2026-11-05' "$T/cancel.yaml" | cut -d: -f1)
run store-policy -C "$S" set calendars/ACT.yaml "$T/cancel.yaml"
refused "cancelling a day that is not a holiday"
err_has "$T/cancel.yaml:$line:11: cancel[0].date: 2026-11-05 is not a ACT holiday" "... file, line, field"

git -C "$S" show HEAD:rules/deadlines.yaml >"$T/rules.yaml"
awk '!done && /^        - reception$/ { sub("reception", "recepshun"); done = 1 } { print }' \
    "$T/rules.yaml" >"$T/rules-bad.yaml"
line=$(grep -n 'recepshun' "$T/rules-bad.yaml" | cut -d: -f1)
run store-policy -C "$S" set rules/deadlines.yaml "$T/rules-bad.yaml"
refused "a rule anchored on an unknown event"
err_has "rules[0].anchor.event: unknown event type 'recepshun'" "... names the field"
err_has "$T/rules-bad.yaml:$((line - 1)):" "... and the file and line"
awk '/^  - id: ACT-REMAND-CMP$/ { sub("ACT-REMAND-CMP", "ACT-REMAND-ENGAGE") } { print }' \
    "$T/rules.yaml" >"$T/rules-dup.yaml"
run store-policy -C "$S" set rules/deadlines.yaml "$T/rules-dup.yaml"
refused "a duplicate rule id"
err_has "rules[1].id: duplicate rule id" "... named"

# every bad rules file of the corpus deadline-check refuses (0100) is
# refused here, with the same message about the file given
while IFS='|' read -r file code frag how; do
	file=$(echo $file) how=$(echo $how) frag=${frag# } frag=${frag% }
	[ "$how" = rules ] || continue
	run store-policy -C "$S" set rules/deadlines.yaml "$CT_FIXTURES/bad/$file"
	expect 2 "corpus: $file refused as deadline-check refuses it"
	err_has "$CT_FIXTURES/bad/$file${frag#rules/deadlines.yaml}" "... with its message"
done < <(grep -v '^#' "$CT_FIXTURES/bad/MANIFEST")
is "$(tip)" "$h0" "... nothing committed"

git -C "$S" show HEAD:rules/lsi-r-bands.yaml >"$T/bands.yaml"
sed 's/min: 14/min: 15/' "$T/bands.yaml" >"$T/bands-gap.yaml"
run store-policy -C "$S" set rules/lsi-r-bands.yaml "$T/bands-gap.yaml"
refused "bands with a gap"
err_has "bands[1].min: 15" "... named"

# --- a non-administrator
run as "Bob Auditor" bob@example.org store-policy -C "$S" set calendars/ACT.yaml "$T/cancel.yaml"
refused "an auditor changing a calendar"
sed 's/Declared holiday/Declared public holiday/' "$T/act.yaml" >"$T/act2.yaml"
run as "Bob Auditor" bob@example.org store-policy -C "$S" set calendars/ACT.yaml "$T/act2.yaml"
refused "an auditor with a valid calendar"
err_has "changing calendars/ACT.yaml: 'bob' is not a registered operator with the administrator role" \
    "... told why"
run as "Bob Auditor" bob@example.org store-policy -C "$S" -n set calendars/ACT.yaml "$T/act2.yaml"
refused "... also on a dry run"
printf '#!/bin/sh\ntouch "%s/edited"\necho "# x" >>"$1"\n' "$T" >"$T/ed-mark"
chmod +x "$T/ed-mark"
run as "Bob Auditor" bob@example.org env EDITOR="$T/ed-mark" store-policy -C "$S" edit calendars/ACT.yaml
refused "an auditor editing"
check "... refused before the editor opens" test ! -e "$T/edited"

# --- edit
cat >"$T/ed-holiday" <<'END'
#!/bin/sh
printf '  - date: "2026-12-29"\n    name: Shutdown day\n' >>"$1"
END
chmod +x "$T/ed-holiday"
n=$(commits "$S")
run env EDITOR="$T/ed-holiday" store-policy -C "$S" -m "Shutdown" edit calendars/ACT.yaml
expect 0 "edit with EDITOR set to a script"
is "$(commits "$S")" "$((n + 1))" "... one commit"
is "$(subject)" "store-policy: calendars/ACT.yaml changed (2 fields)" "... subject"
is "$(trailer "$S" Action)" "edit" "... Action: edit"
out_has "add[4].name: (none) -> Shutdown day" "... prints the changed fields"
clean "$S" "edit"

# an invalid edit is re-opened with the errors, then fixed
cat >"$T/ed-twice" <<END
#!/bin/sh
if [ ! -e "$T/once" ]; then
	touch "$T/once"
	printf '  - date: "2026-02-30"\n    name: No such day\n' >>"\$1"
else
	grep -q '^#! ' "\$1" && touch "$T/saw-errors"
	sed -i 's/2026-02-30/2026-12-30/' "\$1"
fi
END
chmod +x "$T/ed-twice"
n=$(commits "$S")
run env VISUAL="$T/ed-twice" EDITOR=false store-policy -C "$S" edit calendars/ACT.yaml
expect 0 "an invalid edit fixed on the second try (VISUAL before EDITOR)"
err_has "add[5].date" "... the first error named"
check "... the errors were in the re-opened file" test -e "$T/saw-errors"
is "$(commits "$S")" "$((n + 1))" "... one commit"
check "... the fixed day is in the file" grep -q '2026-12-30' "$S/calendars/ACT.yaml"
check "... the error lines are not" sh -c "! grep -q '^#!' '$S/calendars/ACT.yaml'"

h0=$(tip)
run env EDITOR=true store-policy -C "$S" edit calendars/ACT.yaml
expect 0 "edit saved unchanged"
is "$(tip)" "$h0" "... no commit"
run env EDITOR=false store-policy -C "$S" edit calendars/ACT.yaml
refused "the editor failing"

# --- the rules and bands, from stdin and a file
sed '0,/warn_days: 2/s//warn_days: 4/' "$T/rules.yaml" >"$T/rules-new.yaml"
n=$(commits "$S")
run_in "$(cat "$T/rules-new.yaml")" store-policy -C "$S" set rules/deadlines.yaml -
expect 0 "set the rules from stdin"
is "$(subject)" "store-policy: rules/deadlines.yaml changed (1 field)" "... one field"
out_has "rules[ACT-REMAND-ENGAGE].warn_days: 2 -> 4" "... named by rule id"
sed -e 's/max: 13/max: 12/' -e 's/min: 14/min: 13/' "$T/bands.yaml" >"$T/bands-new.yaml"
run store-policy -C "$S" set rules/lsi-r-bands.yaml "$T/bands-new.yaml"
expect 0 "set the LSI-R bands"
is "$(commits "$S")" "$((n + 2))" "... two commits in all"

# a calendar the store did not have
printf 'jurisdiction: VIC\nadd:\n  - date: "2026-12-31"\n    name: Declared\n' >"$T/vic.yaml"
run store-policy -C "$S" set calendars/VIC.yaml "$T/vic.yaml"
expect 0 "set a calendar the store did not have"
is "$(subject)" "store-policy: calendars/VIC.yaml added (3 fields)" "... added"

run store-verify -C "$S"
expect 0 "store-verify accepts every sanctioned change"
clean "$S" "at the end"
# --- the settings: casetrail.yaml, its time zone checked, its jurisdiction kept
run store-policy -C "$S" show casetrail.yaml
expect 0 "show casetrail.yaml"
is "$(cat "$T/out")" "$(git -C "$S" show HEAD:casetrail.yaml)" "... prints the settings at HEAD"
git -C "$S" show HEAD:casetrail.yaml >"$T/settings.yaml"
n=$(commits "$S")
sed 's/^jurisdiction: ACT/jurisdiction: VIC/' "$T/settings.yaml" >"$T/vic.yaml"
run store-policy -C "$S" set casetrail.yaml "$T/vic.yaml"
expect 2 "the jurisdiction changed"
err_has "casetrail.yaml: jurisdiction: the store's jurisdiction changed from ACT to VIC" "... refused by the change policy"
sed 's#^timezone: .*#timezone: Mars/Olympus#' "$T/settings.yaml" >"$T/tz.yaml"
run store-policy -C "$S" set casetrail.yaml "$T/tz.yaml"
expect 2 "an unknown time zone"
err_has "tz.yaml: timezone: " "... named"
is "$(commits "$S")" "$n" "... neither committed"
{ cat "$T/settings.yaml"; printf 'receipts:\n  backdate_days: 7\n'; } >"$T/receipts.yaml"
run store-policy -C "$S" -m "a week's window" set casetrail.yaml "$T/receipts.yaml"
expect 0 "the receipts window set"
is "$(commits "$S")" "$((n + 1))" "... one commit"
is "$(git -C "$S" show HEAD:casetrail.yaml)" "$(cat "$T/receipts.yaml")" "... the settings as written"
is "$(trailer "$S" Reason)" "a week's window" "... with its Reason"
run as "Bob Auditor" bob@example.org store-policy -C "$S" set casetrail.yaml "$T/settings.yaml"
expect 2 "an auditor changing the settings"
err_has "changing casetrail.yaml: 'bob' is not a registered operator with the administrator role" "... told why"
run store-policy -C "$S" set casetrail.yaml "$T/settings.yaml"
expect 0 "the settings put back"

done_testing

#!/usr/bin/env bash
# cmp-review --edit and cmp-new --edit, driven by scripted editors: a
# valid edit, an invalid edit re-opened with the errors as "#!" comments
# at the top (line numbers of the re-opened file) and then fixed, an
# aborted edit, an unchanged file, an invalid edit left as it was, a
# change of comments only, too many attempts; each commits once or not at
# all, and the copy edited never outlives the run.
. "$(dirname "$0")/lib.sh"
: "${CT_FIXTURES:?}"
PLAN="$CT_FIXTURES/cmp/custodial-act-0042.yaml"
Z=000000000000000000000000000000000000000000000000000000
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 ACT-0043 2>/dev/null
assess-add -C "$S" --today 2026-03-10 --date 2026-03-04 --items $Z ACT-0042 lsi-r >/dev/null 2>&1
assess-add -C "$S" --today 2026-03-10 --date 2026-03-04 --items $Z ACT-0043 lsi-r >/dev/null 2>&1
cmp-new -C "$S" --today 2026-03-10 --kind custodial -f "$PLAN" ACT-0042 >/dev/null 2>&1
P="$S/$(shard ACT-0042)/cmp/custodial.yaml"

# editor NAME SCRIPT: a scripted editor; it counts its runs in $T/NAME.n
# and keeps a copy of each file it is given as $T/NAME.seen.K
editor() {
	local f="$T/$1.sh"
	rm -f "$T/$1".n "$T/$1".seen.*
	{
		echo '#!/bin/sh'
		echo "n=\$(cat '$T/$1.n' 2>/dev/null || echo 0); n=\$((n + 1)); echo \$n >'$T/$1.n'"
		echo "cp \"\$1\" '$T/$1.seen.'\$n"
		printf '%s\n' "$2"
	} >"$f"
	chmod +x "$f"
	printf '%s' "$f"
}
review() { cmp-review -C "$S" --today 2026-04-01 --kind custodial --reason circumstances-change --edit ACT-0042; }
leftovers() { ls -A "$TMPDIR" | wc -l; }

# a valid edit: one commit, the fields changed shown
n=$(commits "$S")
ED=$(editor valid "sed -i \"s/target: '2028-01-31'/target: '2027-10-31'/\" \"\$1\"")
EDITOR=$ED run review
expect 0 "valid edit"
is "$(cat "$T/valid.n")" 1 "the editor ran once"
is "$(commits "$S")" "$((n + 1))" "one commit"
out_has "needs[N3].target: 2028-01-31 -> 2027-10-31" "shows the field-level diff"
out_has "version: 1 -> 2" "and the new version"
check "the plan changed" grep -qx "    target: '2027-10-31'" "$P"
check "the editor was given the plan under a comment" grep -q "^# Review of the custodial Case Management Plan of ACT-0042: version 1 (pending-approval) becomes version 2.$" "$T/valid.seen.1"
check "the editor was given the editable part only" test "$(grep -c '^version:\|^reviews:\|^status:' "$T/valid.seen.1")" = 0
is "$(trailer "$S" Reason)" circumstances-change "Reason trailer"
is "$(leftovers)" 0 "no copy left behind"

# VISUAL comes before EDITOR
ED=$(editor visual "sed -i \"s/target: '2027-10-31'/target: '2027-11-30'/\" \"\$1\"")
VISUAL=$ED EDITOR=false run review
expect 0 "VISUAL is used before EDITOR"
is "$(cat "$T/visual.n")" 1 "VISUAL ran"

# invalid, re-opened with the errors at the top, then fixed
n=$(commits "$S")
ED=$(editor fix '
if [ $n = 1 ]; then sed -i "/target: .2027-11-30./d" "$1"; exit 0; fi
sed -i "s/^\(  - id: N3\)$/\1\n    target: '"'"'2027-12-24'"'"'/" "$1"')
EDITOR=$ED run review
expect 0 "invalid then fixed"
is "$(cat "$T/fix.n")" 2 "the editor ran twice"
is "$(commits "$S")" "$((n + 1))" "one commit"
err_has "ACT-CMP-CONTENT: needs[N3]: no target date" "the error printed"
check "the re-opened file starts with the errors as #! comments" \
    grep -q "^#! .*ACT-CMP-CONTENT: needs\[N3\]: no target date" "$T/fix.seen.2"
is "$(head -1 "$T/fix.seen.2" | cut -c1-3)" "#! " "they are at the top"
line=$(sed -n 's/^#! [^:]*:\([0-9]*\):[0-9]*: ACT-CMP-CONTENT: needs\[N3\].*/\1/p' "$T/fix.seen.2")
is "$(sed -n "${line:-0}p" "$T/fix.seen.2")" "  - id: N3" "the line number is the re-opened file's"
err_has ":$line:5: ACT-CMP-CONTENT: needs[N3]" "stderr has the same line number"
check "the fixed target committed" grep -qx "    target: '2027-12-24'" "$P"
check "no #! text in the plan" test "$(grep -c '#!' "$P")" = 0
is "$(leftovers)" 0 "no copy left behind"

# aborted: the editor fails
n=$(commits "$S")
ED=$(editor abort 'sed -i "s/2027-12-24/2029-01-01/" "$1"; exit 1')
EDITOR=$ED run review
expect 2 "the editor exits non-zero"
err_has "exited with status 1: nothing changed" "says nothing changed"
is "$(commits "$S")" "$n" "no commit"
check "the plan is as it was" grep -qx "    target: '2027-12-24'" "$P"

# unchanged: saved as it was
ED=$(editor same ':')
EDITOR=$ED run review
expect 0 "the file saved unchanged"
err_has "the file was not changed: nothing changed" "says so"
is "$(commits "$S")" "$n" "no commit"

# invalid, then saved again as it was: give up
ED=$(editor giveup 'if [ $n = 1 ]; then sed -i "s/domain: accommodation/domain: housing/" "$1"; fi')
EDITOR=$ED run review
expect 2 "invalid, then left as it was"
err_has "needs[2].domain: 'housing' is not one of" "the schema error printed"
err_has "the file is still not valid: nothing changed" "gives up"
is "$(commits "$S")" "$n" "no commit"

# only comments and layout changed: the plan's content is the same
ED=$(editor comments 'sed -i "1i # my notes" "$1"')
EDITOR=$ED run review
expect 0 "only a comment added"
err_has "the plan's content was not changed: nothing changed, no review recorded" "says so"
is "$(commits "$S")" "$n" "no commit"

# an editor that never gets it right: at most 10 runs
ED=$(editor never 'echo "needs: \"$n\"" >>"$1"')
EDITOR=$ED run review
expect 2 "never valid"
is "$(cat "$T/never.n")" 10 "the editor ran 10 times"
err_has "giving up after 10 attempts: nothing changed" "gives up"
is "$(commits "$S")" "$n" "no commit"
is "$(leftovers)" 0 "no copy left behind"

# cmp-new --edit: from the template
ED=$(editor same2 ':')
EDITOR=$ED run cmp-new -C "$S" --today 2026-03-10 --kind custodial --edit ACT-0043
expect 0 "cmp-new --edit, template left as it was"
is "$(commits "$S")" "$n" "no commit"
check "the template names the plan" grep -q "^# Custodial Case Management Plan of ACT-0043, version 1.$" "$T/same2.seen.1"
check "the template has the s 78 parts" grep -qx "  release_preparation:" "$T/same2.seen.1"
ED=$(editor new "
if [ \$n = 1 ]; then sed -i 's/^    status: open\$/    status: opened/' \"\$1\"; exit 0; fi
grep -v '^#!' '$PLAN' >\"\$1\"")
EDITOR=$ED run cmp-new -C "$S" --today 2026-03-10 --kind custodial --edit ACT-0043
expect 0 "cmp-new --edit: invalid, then a whole plan written"
is "$(cat "$T/new.n")" 2 "the editor ran twice"
check "the errors at the top of the re-opened template" grep -q "^#! .*needs\[0\].status: 'opened' is not one of" "$T/new.seen.2"
is "$(commits "$S")" "$((n + 1))" "one commit"
check "the plan made" grep -qx "status: pending-approval" "$S/$(shard ACT-0043)/cmp/custodial.yaml"
is "$(trailer "$S" Action)" new "Action trailer"
is "$(leftovers)" 0 "no copy left behind"
clean "$S" "at the end"

done_testing

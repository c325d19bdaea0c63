#!/usr/bin/env bash
# csp-new: a draft CSP from a file, stdin or $EDITOR; --review opens the
# next version (VIC-CSP-REQUIRED, VIC-CSP-REVIEW keep their anchor); every
# error commits nothing.
. "$(dirname "$0")/lib.sh"

FIX="${CT_FIXTURES:-$(dirname "$0")/../fixtures}/csp"
unset VISUAL EDITOR

# csp_store DIR: new_store's VIC store with all four MAP members, a funded
# service, a MAP member operator (mia) and a case manager (cass).
csp_store() {
	new_store "$1" VIC &&
	registry -C "$1" add-agency dh --name "Health" --map-member &&
	registry -C "$1" add-agency vicpol --name "Victoria Police" --map-member &&
	registry -C "$1" add-agency forensicare --name "Forensicare" --funded-by dh &&
	registry -C "$1" add-operator mia --name "Mia Member" --email mia@example.org \
	    --role map-member --agency dh &&
	registry -C "$1" add-operator cass --name "Cass Manager" --email cass@example.org \
	    --role case-manager --agency djcs
} >/dev/null 2>&1

S="$T/s"
csp_store "$S" || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$S" --today 2026-03-01 --cohort post-sentence VIC-0007 VIC-0012 VIC-0013 2>/dev/null
case-event -C "$S" VIC-0007 order-made --date 2026-03-02 --order supervision 2>/dev/null
P="$S/$(shard VIC-0007)/csp.yaml"
n=$(commits "$S")

run csp-new -C "$S" -f "$FIX/plan-vic-0007.yaml" -m "CSP conference 10 March" VIC-0007
expect 0 "a draft from a file"
is "$(commits "$S")" "$((n + 1))" "one commit"
is "$(git -C "$S" log -1 --format=%s)" "csp-new: VIC-0007 CSP version 1 drafted" "subject"
is "$(trailer "$S" Action)" new "Action: new"
is "$(trailer "$S" Record)" csp "Record: csp"
is "$(trailer "$S" Case)" VIC-0007 "Case trailer"
is "$(trailer "$S" Reason)" "CSP conference 10 March" "Reason trailer"
is "$(trailer "$S" Tool)" "csp-new 0.1.0" "Tool trailer"
check "the record is the canonical plan, version 1, draft" cmp -s "$FIX/vic-0007-v1.yaml" "$P"
is "$(git -C "$S" show HEAD:"$(shard VIC-0007)/csp.yaml" | md5sum)" "$(md5sum <"$P")" "work tree in sync"
if grep -q "Supervision Order" "$T/err"; then not_ok "no warning for a case with an SO"; else ok "no warning for a case with an SO"; fi
n=$(commits "$S")

run csp-new -C "$S" -f "$FIX/plan-vic-0007.yaml" VIC-0007
expect 2 "a second plan"
err_has "VIC-0007 already has a CSP (version 1): review it with csp-new --review" "says to review"

# stdin, and the warning for a case without SO or ISO (VIC-CSP-REQUIRED)
run_in "$(cat "$FIX/plan-vic-0012.yaml")" csp-new -C "$S" -f - VIC-0012
expect 0 "a draft from stdin"
err_has "warning: VIC-0012 has no open Supervision Order or Interim Supervision Order recorded" \
    "warns: no SO or ISO"
is "$(commits "$S")" "$((n + 1))" "one commit"
n=$(commits "$S")

# errors: nothing committed, no file
run csp-new -C "$S" -f "$FIX/plan-unregistered.yaml" VIC-0013
expect 2 "an unregistered agency in a service"
err_has "plan-unregistered.yaml:10:13: services[1].agency: 'acme' is not a registered agency" \
    "names file, line, column and field"
printf 'services:\n  - id: s1\n    agency: djcs\n    delivers: x\n    addresses: y\n    frequency: z\n    status: planned\nstatus: endorsed\n' >"$T/bad.yaml"
run csp-new -C "$S" -f "$T/bad.yaml" VIC-0013
expect 2 "a plan setting status"
err_has "bad.yaml:8:1: status: unknown field" "names the field the tools keep"
printf 'services:\n  - id: s1\n    agency: djcs\n    delivers: x\n    addresses: y\n    frequency: z\n    start: 2026-02-30\n    status: active\n' >"$T/bad.yaml"
run csp-new -C "$S" -f "$T/bad.yaml" VIC-0013
expect 2 "an invalid start date"
err_has "services[0].start: '2026-02-30' is not a valid date" "quotes the date"
printf 'services: [\n' >"$T/bad.yaml"
run csp-new -C "$S" -f "$T/bad.yaml" VIC-0013
expect 2 "not YAML"
err_has "bad.yaml:" "names the file"
run csp-new -C "$S" VIC-0013
expect 2 "neither -f nor --edit"
err_has "give the services with -f file, -f - or --edit" "says how"
run csp-new -C "$S" -f "$T/nonexistent.yaml" VIC-0013
expect 2 "a missing file"
run csp-new -C "$S" -f "$FIX/plan-vic-0007.yaml" VIC-0404
expect 2 "no such case"
err_has "case VIC-0404 does not exist" "says so"
run csp-new -C "$S" -f "$FIX/plan-vic-0007.yaml" ../x
expect 2 "invalid id"
run csp-new -C "$S" -f "$FIX/plan-vic-0007.yaml" -m $'two\nCase: VIC-0001' VIC-0013
expect 2 "a reason with a newline (trailer forgery)"
run as "Bob Auditor" bob@example.org csp-new -C "$S" -f "$FIX/plan-vic-0007.yaml" VIC-0013
expect 2 "an auditor"
err_has "changing a CSP: 'bob' is not a registered operator with the soct-officer role" "names the role"
run as "Cass Manager" cass@example.org csp-new -C "$S" -f "$FIX/plan-vic-0007.yaml" VIC-0013
expect 2 "a case manager"
A="$T/act"
new_store "$A" ACT >/dev/null 2>&1
case-new -C "$A" --cohort sentenced ACT-0042 2>/dev/null
run csp-new -C "$A" -f "$FIX/plan-vic-0007.yaml" ACT-0042
expect 2 "an ACT case"
err_has "case ACT-0042 is not a VIC case" "says why"
is "$(commits "$S")" "$n" "no commit on any error"
check "no plan written" test ! -e "$S/$(shard VIC-0013)/csp.yaml"

# dry run
run csp-new -C "$S" -n -f "$FIX/plan-vic-0007.yaml" VIC-0013
expect 0 "dry run"
out_has "+status: draft" "prints the diff"
is "$(commits "$S")" "$n" "dry run commits nothing"

# --edit: the editor edits a copy; nothing is written when it fails or
# leaves the file unchanged
cat >"$T/fill.sh" <<'EOF'
#!/bin/sh
sed -i -e 's/^    agency:$/    agency: dffh/' -e 's/^    delivers:$/    delivers: Housing support/' \
    -e 's/^    addresses:$/    addresses: Unstable housing/' -e 's/^    frequency:$/    frequency: monthly/' "$1"
EOF
chmod +x "$T/fill.sh"
run env EDITOR=false csp-new -C "$S" --edit VIC-0013
expect 2 "the editor fails"
err_has "the editor (false) exited with status 1: nothing changed" "says so"
run env EDITOR=true csp-new -C "$S" --edit VIC-0013
expect 0 "the file left unchanged"
err_has "the file was not changed: nothing changed" "says so"
run env EDITOR="sed -i s/^services:/servics:/" csp-new -C "$S" --edit VIC-0013
expect 2 "an edit that stays invalid"
err_has ": servics: unknown field" "shows the error"
err_has "the file is still not valid: nothing changed" "gives up when re-opened unchanged"
is "$(commits "$S")" "$n" "no commit"
# the first run makes it invalid, the editor is re-opened, the second run
# fixes it
cat >"$T/twice.sh" <<EOF
#!/bin/sh
if [ -e "$T/ran" ]; then exec sed -i 's/^    agency: nobody$/    agency: dffh/' "\$1"; fi
touch "$T/ran"
"$T/fill.sh" "\$1"
sed -i 's/^    agency: dffh$/    agency: nobody/' "\$1"
EOF
chmod +x "$T/twice.sh"
run env EDITOR="$T/twice.sh" csp-new -C "$S" --edit VIC-0013
expect 0 "re-opened on error, then valid"
err_has "services[0].agency: 'nobody' is not a registered agency" "showed the error"
is "$(commits "$S")" "$((n + 1))" "one commit"
check "the edited plan" grep -qx "    agency: dffh" "$S/$(shard VIC-0013)/csp.yaml"
check "no copy left behind" sh -c "! ls '${TMPDIR:-/tmp}'/csp-new-*.yaml 2>/dev/null | grep -q ."
# --edit with -f edits a copy of the file
cp "$FIX/plan-vic-0012.yaml" "$T/copy.yaml"
case-new -C "$S" --cohort post-sentence VIC-0014 2>/dev/null
run env EDITOR="sed -i s/monthly/weekly/" csp-new -C "$S" --edit -f "$T/copy.yaml" VIC-0014
expect 0 "--edit -f"
check "the plan has the edit" grep -q "frequency: weekly" "$S/$(shard VIC-0014)/csp.yaml"
check "the file given is untouched" cmp -s "$FIX/plan-vic-0012.yaml" "$T/copy.yaml"
n=$(commits "$S")

# --review: an open draft is an error
run csp-new -C "$S" --review VIC-0007
expect 2 "a review while the draft is open"
err_has "VIC-0007: CSP version 1 is a draft still open: endorse it (csp-endorse) before the next review" \
    "says to endorse first"
run csp-new -C "$S" --review VIC-0404
expect 2 "a review of no case"
case-new -C "$S" --cohort post-sentence VIC-0015 2>/dev/null
run csp-new -C "$S" --review VIC-0015
expect 2 "a review of a case without a plan"
err_has "VIC-0015 has no CSP (draft one with csp-new)" "says so"
n=$(commits "$S")
csp-endorse -C "$S" --today 2026-03-20 --meeting "MAP 2026-03" --date 2026-03-20 \
    --agency djcs,dh,dffh VIC-0007 2>/dev/null
run csp-new -C "$S" --today 2026-09-01 --review -m "Six-monthly review" VIC-0007
expect 0 "review of the endorsed plan"
is "$(commits "$S")" "$((n + 2))" "one commit"
is "$(git -C "$S" log -1 --format=%s)" "csp-new: VIC-0007 CSP review opened: version 2 drafted" "subject"
is "$(trailer "$S" Action)" review "Action: review"
check "version 2, a draft, the services and endorsement carried" python3 - "$P" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
assert d["version"] == "2" and d["status"] == "draft", d
assert [s["id"] for s in d["services"]] == ["s1", "s2", "s3"], d["services"]
assert d["endorsements"] == [{"version": "1", "meeting": "MAP 2026-03",
    "date": "2026-03-20", "agencies": ["djcs", "dh", "dffh"]}], d["endorsements"]
assert d["reviews"] == [{"version": "2", "opened": "2026-09-01",
    "reason": "Six-monthly review"}], d["reviews"]
PY
# VIC-CSP-REVIEW still runs from version 1's endorsement; VIC-CSP-REQUIRED
# stays met while version 2 is a draft
run deadline-check -C "$S" --today 2026-09-01 --case VIC-0007 --status all --format csv
expect 0 "deadline-check during the review"
out_has "VIC-0007,VIC-CSP-REVIEW,CSP reviewed at least every six months,csp endorsement 1,2026-03-20,2026-09-20,due,19," \
    "VIC-CSP-REVIEW: due 2026-09-20 from version 1's endorsement"
out_has "VIC-0007,VIC-CSP-REQUIRED,Endorsed CSP for an offender on a (Interim) Supervision Order,order-made,2026-03-02,2026-03-30,met,-155,2026-03-20," \
    "VIC-CSP-REQUIRED: still met"
run csp-new -C "$S" --today 2026-09-01 --review VIC-0007
expect 2 "a second review while version 2 is a draft"
n=$(commits "$S")

# a review with new services from a file
csp-endorse -C "$S" --today 2026-09-15 --meeting "MAP 2026-09" --date 2026-09-15 \
    --agency djcs,dh,dffh VIC-0007 2>/dev/null
run csp-new -C "$S" --today 2027-02-01 --review -f "$FIX/plan-vic-0012.yaml" VIC-0007
expect 0 "a review with new services"
check "version 3 with the new services" python3 - "$P" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
assert d["version"] == "3" and d["status"] == "draft"
assert [s["agency"] for s in d["services"]] == ["djcs", "vicpol"], d["services"]
assert "comments" not in d
assert [e["version"] for e in d["endorsements"]] == ["1", "2"]
assert [r["version"] for r in d["reviews"]] == ["2", "3"]
PY
# --review --edit starts from the plan's services
run env EDITOR="sed -i s/contact/visits/" csp-new -C "$S" --today 2027-02-01 --review --edit VIC-0014
expect 2 "review --edit of a draft"
csp-endorse -C "$S" --today 2027-02-01 --meeting M --date 2027-02-01 --agency djcs,vicpol VIC-0014 2>/dev/null
run env EDITOR="sed -i s/contact/visits/" csp-new -C "$S" --today 2027-02-01 --review --edit VIC-0014
expect 0 "review --edit"
check "the edit is in version 2" python3 - "$S/$(shard VIC-0014)/csp.yaml" <<'PY'
import sys, yaml
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
assert d["version"] == "2", d
assert [s["delivers"] for s in d["services"]] == ["Specialist case management",
    "Offender management visits"], d
PY
is "$(git -C "$S" log --format='%(trailers:key=Action,valueonly)' | sed '/^$/d' | head -4 | tr '\n' ' ')" \
    "review endorse review endorse " "the Action trailers of the last four commits"
clean "$S" "at the end"

done_testing

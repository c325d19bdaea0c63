#!/usr/bin/env bash
# Text reports: every column is as wide as its content, so a 40-character
# case id or a long rule id (VIC-AUTHORITY-NOTICE) widens its own column
# and every line keeps the header's column starts (deadline-check,
# authority-notice list, csp-update list).  deadline-check --color: never
# and TERM=dumb write no escape sequence even on a terminal, always writes
# them into a pipe, auto only on a terminal.
. "$(dirname "$0")/lib.sh"

S="$T/s"
LONG=VIC-2026-MELBOURNE-NORTH-WEST-REGION-001
cat >"$T/plan.yaml" <<'EOF'
services:
  - id: s1
    agency: djcs
    delivers: Case management
    addresses: Compliance
    frequency: weekly
    start: '2026-03-02'
    status: active
EOF
{
	new_store "$S" VIC &&
	case-new -C "$S" --today 2026-03-01 --cohort post-sentence VIC-1 "$LONG" &&
	case-event -C "$S" VIC-1 order-made --date 2026-03-02 --order supervision &&
	case-event -C "$S" "$LONG" order-made --date 2026-03-02 --order supervision &&
	authority-notice -C "$S" add --today 2026-03-04 --kind report-request \
	    --asks 'Report on compliance' --due 2026-03-12 --agency dffh "$LONG" &&
	csp-new -C "$S" --today 2026-03-03 -f "$T/plan.yaml" VIC-1 &&
	csp-update -C "$S" request --today 2026-03-05 --agency djcs --via written \
	    --due 2026-03-20 VIC-1
} >/dev/null 2>&1 || { echo "Bail out! cannot make a store"; exit 1; }
is "${#LONG}" 40 "a case id of 40 characters"
export CASETRAIL_TODAY=2026-03-16
n0=$(commits "$S")

# aligned FILE: every line's columns start where the header's do (the
# header's words are single, so its column starts are where words begin)
cat >"$T/aligned.py" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
head = lines[0]
starts = [m.start() for m in re.finditer(r"\S+", head)]
assert len(lines) > 1, lines
right = {int(k) for k in sys.argv[2:]}
for line in lines[1:]:
    for k, s in enumerate(starts):
        if k in right:
            continue
        assert s == 0 or line[s - 2:s] == "  " and line[s] != " ", \
            "column %d (%s) does not start at %d: %r" % (k, head.split()[k], s, line)
print("ok")
PY
aligned() { python3 "$T/aligned.py" "$@" >/dev/null; }

run deadline-check -C "$S" --status all
expect 1 "deadline-check: an overdue notice"
cp "$T/out" "$T/dc"
out_has "VIC-AUTHORITY-NOTICE" "the long rule id is shown whole"
out_has "$LONG  VIC-AUTHORITY-NOTICE  " "the 40-character case id whole, then the rule"
check "deadline-check: every line keeps the header's columns" aligned "$T/dc" 2
case_at=$(head -1 "$T/dc" | awk '{ print index($0, "CASE") }')
is "$(awk 'NR > 1 { print index($0, "VIC-") }' "$T/dc" | sort -u)" "$case_at" \
    "the case column starts under CASE on every line"
rule_at=$(head -1 "$T/dc" | awk '{ print index($0, "RULE") }')
is "$(awk -v c="$rule_at" 'NR > 1 { print substr($0, c, 4) }' "$T/dc" | sort -u)" "VIC-" \
    "the rule column starts under RULE on every line"
check "the columns as wide as their longest entry, no wider" \
    grep -q "^DUE         STATUS   DAYS  CASE$(printf '%36s' '')  RULE                  WHAT$" "$T/dc"

run deadline-check -C "$S" --status all --explain
check "--explain: the finding lines still aligned" sh -c \
    "grep -v '^            ' '$T/out' >'$T/dcx' && cmp -s '$T/dcx' '$T/dc'"

run authority-notice -C "$S" list
cp "$T/out" "$T/an"
out_has "$LONG  n1      report-request  2026-03-04" "authority-notice list: the long id whole"
check "authority-notice list: aligned" aligned "$T/an" 2

run csp-update -C "$S" list
cp "$T/out" "$T/cu"
check "csp-update list: aligned" aligned "$T/cu" 2

# --- colour -------------------------------------------------------------
esc=$(printf '\033')
tty() { on_a_tty "$@" >"$T/c" 2>/dev/null; }
no_esc() { ! grep -q "$esc" "$T/c" && grep -q overdue "$T/c"; }
has_esc() { grep -q "$esc\[31moverdue$esc\[0m" "$T/c"; }
dc="deadline-check -C $S --status all"

env -u NO_COLOR TERM=xterm $dc --color=never >"$T/c" 2>/dev/null
check "--color=never into a pipe: no escape sequence" no_esc
env -u NO_COLOR TERM=xterm $dc >"$T/c" 2>/dev/null
check "auto into a pipe: no escape sequence" no_esc
tty env -u NO_COLOR TERM=xterm $dc --color=never
check "--color=never on a terminal: no escape sequence" no_esc
tty env -u NO_COLOR TERM=dumb $dc
check "TERM=dumb on a terminal: no escape sequence" no_esc
tty env -u NO_COLOR TERM=dumb $dc --color=auto
check "TERM=dumb, --color=auto: no escape sequence" no_esc
tty env NO_COLOR=1 TERM=xterm $dc
check "NO_COLOR on a terminal: no escape sequence" no_esc
tty env -u NO_COLOR TERM=xterm $dc
check "auto on a terminal: overdue in red" has_esc
env NO_COLOR=1 TERM=dumb $dc --color=always >"$T/c" 2>/dev/null
check "--color=always into a pipe, whatever TERM and NO_COLOR say" has_esc
env -u NO_COLOR $dc --color >"$T/c" 2>/dev/null
check "--color alone is always" has_esc
sed "s/$esc\[[0-9;]*m//g" "$T/c" >"$T/plain"
check "colour does not move the columns" cmp -s "$T/plain" "$T/dc"
env -u NO_COLOR $dc --color=always --format csv >"$T/c" 2>/dev/null
check "--color=always: csv stays plain" sh -c "! grep -q '$esc' '$T/c'"
run deadline-check -C "$S" --color=sometimes
expect 2 "--color with another value"
err_has "--color: expected auto, always or never, not 'sometimes'" "says so"

is "$(commits "$S")" "$n0" "reading commits nothing"
clean "$S" "after the reports"
done_testing

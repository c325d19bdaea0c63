#!/usr/bin/env bash
# deadline-check against hand-computed fixtures (DESIGN.md §4, "Dates").
#
# Each tests/fixtures/deadlines/NNN-name.in builds a fresh store from
# directives, one a line ('#' starts a comment):
#
#   store ACT|VIC                      first: a store made by new_store
#   case ID COHORT [MANAGER]           case-new
#   event ID TYPE DATE [--flag v ...]  case-event ID TYPE --date DATE ...
#                                      (recorded --today 2099-12-31, so that
#                                      an event after the fixture's today
#                                      can be built)
#   calendar-add DATE NAME             an 'add' entry of calendars/<JUR>.yaml
#   calendar-cancel DATE               a 'cancel' entry of calendars/<JUR>.yaml
#   rule-set RULE-ID KEY VALUE         edit rules/deadlines.yaml (KEY may be
#                                      dotted; offset.UNIT replaces the offset)
#   tool NAME ARG...                   run the tool NAME -C store ARG... (such
#                                      as csp-new, csp-endorse); an ARG
#                                      @PATH names tests/fixtures/PATH
#   tl-tool NAME ARG...                the same as the operator tl, a CMU and
#                                      a Community Team Leader (ada, who
#                                      runs the rest, may not approve her
#                                      own plans)
#   today DATE                         --today
#   args ...                           deadline-check arguments (default:
#                                      --status all)
#
# File edits are committed with git (the tool reads HEAD).  The tool's CSV
# output, projected to "case rule due status days", must equal
# NNN-name.expected, which was computed by hand from the policy's rule and
# the golden holiday tables, never copied from the tool.  The exit status
# must be 1 when an expected line is overdue, else 0.  A fixture whose
# comments hold "KNOWN-BUG:" documents a defect: a mismatch is reported as
# a TAP TODO failure so that the suite stays green and the bug visible.
. "$(dirname "$0")/lib.sh"

FIX="${CT_FIXTURES:-$(dirname "$0")/../fixtures}/deadlines"

# Line-based editors: they keep the files' comments and quoting.
cat >"$T/edit.py" <<'PY'
import re
import sys


def quote(v):
    if re.fullmatch(r"-?[0-9]+|true|false|\[.*\]", v):
        return v
    return "'" + v.replace("'", "''") + "'"


def indent(line):
    return len(line) - len(line.lstrip(" "))


def children_end(lines, i):
    """Index after the lines nested under lines[i]."""
    base = indent(lines[i])
    j = i + 1
    while j < len(lines) and (lines[j].strip() == "" or
                              indent(lines[j]) > base):
        j += 1
    while j > i + 1 and lines[j - 1].strip() == "":
        j -= 1
    return j


def rule_set(path, rule, key, value):
    lines = open(path).read().split("\n")
    start = None
    for i, line in enumerate(lines):
        if re.fullmatch(r"  - id: *'?%s'?\s*" % re.escape(rule), line):
            start = i
            break
    if start is None:
        sys.exit("rule-set: no rule %s" % rule)
    end = start + 1
    while end < len(lines) and (lines[end].strip() == "" or
                                indent(lines[end]) >= 4):
        end += 1
    parts = key.split(".")
    if parts[0] == "offset":
        if len(parts) != 2:
            sys.exit("rule-set: offset.UNIT")
        for i in range(start, end):
            if re.fullmatch(r"    offset:\s*", lines[i]):
                j = children_end(lines, i)
                lines[i + 1:j] = ["      %s: %s" % (parts[1], quote(value))]
                break
        else:
            sys.exit("rule-set: %s has no offset" % rule)
    else:
        lo, hi, level = start + 1, end, 0
        for n, part in enumerate(parts):
            pad = " " * (4 + 2 * level)
            for i in range(lo, hi):
                if re.match(r"%s%s:( |$)" % (pad, re.escape(part)), lines[i]):
                    break
            else:
                sys.exit("rule-set: %s has no %s" % (rule, key))
            if n == len(parts) - 1:
                j = children_end(lines, i)
                lines[i:j] = ["%s%s: %s" % (pad, part, quote(value))]
            else:
                lo, hi, level = i + 1, children_end(lines, i), level + 1
    open(path, "w").write("\n".join(lines))


def calendar(path, section, date, text):
    lines = open(path).read().rstrip("\n").split("\n")
    if section == "add":
        entry = ['  - date: "%s"' % date, "    name: %s" % quote(text)]
    else:
        entry = ['  - date: "%s"' % date, "    reason: %s" % quote(text)]
    for i, line in enumerate(lines):
        if re.fullmatch(r"%s:\s*(\[\])?\s*" % section, line):
            if line.rstrip().endswith("[]"):
                lines[i] = section + ":"
            j = i + 1
            while j < len(lines) and (lines[j].startswith(" ") or
                                      lines[j].startswith("-")):
                j += 1
            lines[j:j] = entry
            break
    else:
        lines += [section + ":"] + entry
    open(path, "w").write("\n".join(lines) + "\n")


if sys.argv[1] == "rule-set":
    rule_set(*sys.argv[2:6])
else:
    calendar(*sys.argv[2:6])
PY

# Template stores made by new_store, one per jurisdiction; each fixture
# starts from a fresh copy (faster than making a store each time).
for j in ACT VIC; do
	{ new_store "$T/template-$j" "$j" &&
	  registry -C "$T/template-$j" add-operator tl --name "Team Leader" \
	    --email tl@example.org --agency djcs \
	    --role cmu-team-leader,community-team-leader >/dev/null 2>&1; } ||
	    { echo "Bail out! cannot make a $j store"; exit 1; }
done

# project CSV: "case rule due status days" lines (a missing header fails)
cat >"$T/project.py" <<'PY'
import csv
import sys

rows = list(csv.reader(open(sys.argv[1], newline="")))
if not rows:
    sys.exit("no CSV header")
col = [rows[0].index(k) for k in ("case", "rule", "due", "status", "days")]
for r in rows[1:]:
    print(" ".join(r[i] for i in col))
PY

# fixture IN: build its store in $S, set $today and $args; 0 when ready
build() {
	local in=$1 kw rest line jur="" id ty date
	local -a w
	S="$T/store"
	rm -rf "$S"
	today=""
	args=(--status all)
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line%%#*}
		read -r kw rest <<<"$line"
		[ -z "$kw" ] && continue
		read -r -a w <<<"$rest"
		case $kw in
		store)
			jur=${w[0]}
			cp -a "$T/template-$jur" "$S" || return 1 ;;
		case)
			case-new -C "$S" --today 2020-01-01 --cohort "${w[1]}" \
			    ${w[2]:+--manager "${w[2]}"} "${w[0]}" \
			    >/dev/null 2>>"$T/build.err" || return 1 ;;
		event)
			id=${w[0]} ty=${w[1]} date=${w[2]}
			# recorded as of a day after every fixture's events
			case-event -C "$S" --today 2099-12-31 "$id" "$ty" \
			    --date "$date" "${w[@]:3}" \
			    >/dev/null 2>>"$T/build.err" || return 1 ;;
		calendar-add|calendar-cancel)
			date=${w[0]}
			rest=${rest#"$date"}
			rest=${rest# }
			python3 "$T/edit.py" calendar "$S/calendars/$jur.yaml" \
			    "${kw#calendar-}" "$date" "${rest:-fixture}" \
			    2>>"$T/build.err" &&
			git -C "$S" commit -qam "fixture: $kw $date" \
			    >/dev/null 2>>"$T/build.err" || return 1 ;;
		rule-set)
			python3 "$T/edit.py" rule-set "$S/rules/deadlines.yaml" \
			    "${w[0]}" "${w[1]}" "${w[*]:2}" 2>>"$T/build.err" &&
			git -C "$S" commit -qam "fixture: rule-set ${w[0]} ${w[1]}" \
			    >/dev/null 2>>"$T/build.err" || return 1 ;;
		tool|tl-tool)
			local -a targs=() who=()
			[ "$kw" = tl-tool ] && who=(as tl tl@example.org)
			local x
			for x in "${w[@]:1}"; do
				case $x in
				@*) targs+=("$FIX/../${x#@}") ;;
				*) targs+=("$x") ;;
				esac
			done
			"${who[@]}" "${w[0]}" -C "$S" "${targs[@]}" \
			    >/dev/null 2>>"$T/build.err" || return 1 ;;
		today) today=${w[0]} ;;
		args) args=("${w[@]}") ;;
		*) echo "unknown directive '$kw'" >>"$T/build.err"; return 1 ;;
		esac
	done <"$in"
	[ -n "$jur" ] && [ -n "$today" ]
}

n=0
for in in "$FIX"/*.in; do
	name=$(basename "$in" .in)
	exp="${in%.in}.expected"
	todo=""
	grep -q '^#.*KNOWN-BUG:' "$in" && todo=" # TODO known bug"
	n=$((n + 1))
	: >"$T/build.err"
	: >"$T/out"
	: >"$T/err"
	if [ ! -f "$exp" ]; then
		not_ok "$name$todo" "missing $(basename "$exp")"
		continue
	fi
	if ! build "$in"; then
		tap_n=$((tap_n + 1))
		tap_failed=$((tap_failed + 1))
		echo "not ok $tap_n - $name: cannot build the store"
		sed 's/^/#   /' "$T/build.err"
		continue
	fi
	deadline-check -C "$S" --today "$today" --format csv --fail-on overdue "${args[@]}" \
	    >"$T/csv" 2>"$T/err"
	rc=$?
	want_rc=0
	grep -q ' overdue ' "$exp" && want_rc=1
	python3 "$T/project.py" "$T/csv" >"$T/got" 2>>"$T/err"
	parsed=$?
	diff -u --label expected --label got "$exp" "$T/got" >"$T/diff"
	same=$?
	[ "$parsed" -eq 0 ] || same=1
	if [ "$rc" -eq "$want_rc" ] && [ "$same" -eq 0 ]; then
		ok "$name$todo"
		continue
	fi
	tap_n=$((tap_n + 1))
	if [ -n "$todo" ]; then
		echo "not ok $tap_n - $name$todo"
	else
		tap_failed=$((tap_failed + 1))
		echo "not ok $tap_n - $name"
	fi
	[ "$rc" -eq "$want_rc" ] || echo "#   exit status $rc, wanted $want_rc"
	sed 's/^/#   /' "$T/diff" "$T/err"
done
[ "$n" -ge 1 ] || not_ok "fixtures found in tests/fixtures/deadlines"

done_testing

#!/usr/bin/env bash
# deadline-check's options from its option table: --help lists them in
# the order they always had, --color takes its word only joined to it
# (--color=never; --color alone is always; "--color always" leaves an
# operand), each option's word is checked with the words it takes named,
# and the checks between options (--bom, --summary) refuse before the
# store is read.
. "$(dirname "$0")/lib.sh"

S="$T/s"
{
	new_store "$S" ACT &&
	case-new -C "$S" --today 2026-03-30 --cohort remandee R1 &&
	case-event -C "$S" R1 reception --date 2026-03-30
} >/dev/null 2>&1 || { echo "Bail out! cannot make a store"; exit 1; }
n=$(commits "$S")
esc=$(printf '\033')

# --help: every option, in its order, -h/--help and --version last
run deadline-check --help
expect 0 "--help"
is "$(grep -oE '^  (-[A-Za-z], --[a-z-]+|-[A-Za-z]|    --[a-z-]+(\[=when\])?)' "$T/out" | tr -d ' ' | tr '\n' ' ')" \
    "-C --today --within --case --rule --status --format --bom --fail-on --as-of --explain --manager --agency --team --role --summary --color[=when] -j --no-cache --stats -h,--help --version " \
    "--help lists the options in their order"
out_has "      --color[=when] text: the status in colour: auto (the default: on a" \
    "--color[=when] joined, its help in the column"

# --color: alone it is always; its word only as --color=WORD
run deadline-check -C "$S" --today 2026-04-09 --color
expect 1 "--color alone"
check "--color alone: colour, not on a terminal" grep -q "$esc\[31moverdue" "$T/out"
run deadline-check -C "$S" --today 2026-04-09 --color=never
check "--color=never: no escape codes" sh -c "! grep -q '$esc' '$T/out' && grep -q overdue '$T/out'"
run deadline-check -C "$S" --today 2026-04-09 --col=always
check "--col=always: abbreviated" grep -q "$esc\[31moverdue" "$T/out"
run deadline-check -C "$S" --today 2026-04-09 --color always
expect 2 "--color always: always is an operand"
err_has "usage: deadline-check" "... and the usage is shown"

# each option's word, checked
refuse "--color: expected auto, always or never, not 'sometimes'" "--color=sometimes" \
    deadline-check -C "$S" --color=sometimes
refuse "--status: expected overdue, due, upcoming, met, met-late, info, deferred, waived or all, not 'late'" \
    "--status late" deadline-check -C "$S" --status late
refuse "--fail-on: expected overdue or never, not 'always'" "--fail-on always" \
    deadline-check -C "$S" --fail-on always
refuse "--format: expected text, json, csv or ics, not 'xml'" "--format xml" \
    deadline-check -C "$S" --format xml
refuse "-j: expected a number of threads from 1 to 64, not '0'" "-j 0" \
    deadline-check -C "$S" -j 0
refuse "--within: expected a number of days, not '2w'" "--within 2w" \
    deadline-check -C "$S" --within 2w
refuse "--rule: no rule 'ACT-NOPE' in rules/deadlines.yaml" "--rule unknown" \
    deadline-check -C "$S" --rule ACT-NOPE
refuse "--as-of: invalid date '2026-04-31': expected YYYY-MM-DD" "--as-of a bad date" \
    deadline-check -C "$S" --as-of 2026-04-31
refuse "unknown revision '2026-4-1'" "--as-of not of a date's shape: a revision" \
    deadline-check -C "$S" --as-of 2026-4-1

# checks between options, before the store is read
run deadline-check -C "$T/none" --bom
expect 2 "--bom with text"
err_has "--bom: only with --format csv" "--bom: says so before the store"
run deadline-check -C "$T/none" --summary --format ics
expect 2 "--summary --format ics"
err_has "--summary: text, json or csv, not ics" "--summary: says so before the store"

# --fail-on: the last given holds; text's default is overdue
run deadline-check -C "$S" --today 2026-04-09 --fail-on overdue --fail-on never
expect 0 "--fail-on: the last one given"
run deadline-check -C "$S" --today 2026-04-09 --format csv --fail-on never --fail-on overdue
expect 1 "--fail-on overdue last, for csv"

is "$(commits "$S")" "$n" "no run added a commit"
clean "$S" "after every run"
done_testing

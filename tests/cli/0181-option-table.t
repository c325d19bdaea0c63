#!/usr/bin/env bash
# The option table every tool is written with (cmd/lib/opt.h): --help made
# from it in one shape (each option on its line, the help in one column,
# -h/--help and --version last), a bad option named with the nearest one,
# the options of each command checked, --format checked against the
# formats a tool knows, and the per-id write loop (cli_each_case): one
# commit per id, the first failing id and those after it unchanged.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$S" --today 2026-01-02 --cohort sentenced ACT-0042 2>/dev/null

# --help: the option list of every tool, in the shape completion reads
for bin in "$CT_BIN"/*; do
	tool=${bin##*/}
	[ "$tool" = casetrail ] && continue
	"$bin" --help >"$T/help" 2>&1 || { not_ok "$tool --help exits 0"; continue; }
	check "$tool: --help ends its option list with -h, --help and --version" \
	    awk '/^  -h, --help +show this help$/ { h = NR }
		/^      --version +print the version$/ { v = NR }
		END { exit !(h && v == h + 1) }' "$T/help"
	# the column of the help text: the same on every line that has one
	cols=$(awk '/^(  -[A-Za-z]|      --)/ {
		if (match($0, /^ +-[^ ]+(, --[^ ]+)?( [^ -][^ ]*)?  +/)) print RLENGTH
	}' "$T/help" | sort -u | wc -l)
	is "$cols" 1 "$tool: its options' help in one column"
done

# a bad option: named, with the nearest; exit 2, usage on stderr
run cmp-print -C "$S" --kidn custodial ACT-0042
expect 2 "cmp-print --kidn"
err_has "unknown option '--kidn'; did you mean '--kind'?" "cmp-print names the option it means"
err_has "usage: cmp-print" "... and prints its usage"
run case-new -C "$S" --cohort sentenced --todya 2026-01-03 ACT-0043
expect 2 "a shared option misspelt"
err_has "did you mean '--today'?" "the shared options are in the table too"

# the options of each command
n=$(commits "$S")
refuse "--kind is not an option of respond" "authority-notice respond --kind" \
    authority-notice -C "$S" respond --kind other --notice n1 --summary x ACT-0042
refuse "-n/--dry-run is not an option of list" "authority-notice list -n" \
    authority-notice -C "$S" -n list
refuse "--format is not an option of add" "disclose-log add --format" \
    disclose-log -C "$S" add ACT-0042 --to dffh --purpose csp --info x --format json
refuse "-m/--reason is not an option of verify" "disclose-log verify -m" \
    disclose-log -C "$S" -m why verify

# --format: the formats the tool knows
refuse "--format: expected text, json or csv, not 'xml'" "csp-update list --format xml" \
    csp-update -C "$S" list --format xml
refuse "--format: expected yaml or json, not 'csv'" "case-show --format csv" \
    case-show -C "$S" --format csv ACT-0042
refuse "--format: expected text or json, not 'csv'" "disclose-log report --format csv" \
    disclose-log -C "$S" report ACT-0042 --format csv
run case-show -C "$S" --format json ACT-0042
expect 0 "case-show --format json"

# the per-id loop: one commit per id, in order; the first failing id stops
case-new -C "$S" --today 2026-01-02 --cohort sentenced ACT-0044 2>/dev/null
n=$(commits "$S")
run case-event -C "$S" --today 2026-01-10 ACT-0042 ACT-0043 ACT-0044 engaged --date 2026-01-09
expect 2 "case-event on three ids, the second not a case"
err_has "case ACT-0043 does not exist" "names the failing id"
is "$(commits "$S")" "$((n + 1))" "the id before it committed, none after"
is "$(git -C "$S" log -1 --format='%(trailers:key=Case,valueonly)' | sed '/^$/d')" ACT-0042 \
    "the commit is the first id's"
check "the id after it is unchanged" test "$(grep -c engaged "$S/$(shard ACT-0044)/case.yaml")" -eq 0
n=$(commits "$S")
run_in $'ACT-0044\n\nACT-0042\n' case-event -C "$S" --today 2026-01-10 - engaged --date 2026-01-08
expect 0 "ids from stdin"
is "$(commits "$S")" "$((n + 2))" "one commit per id"
is "$(git -C "$S" log -2 --format=%s | tr '\n' '|')" \
    "case-event: ACT-0042 engaged on 2026-01-08|case-event: ACT-0044 engaged on 2026-01-08|" \
    "each its own subject, in the order given"
run case-event -C "$S" --today 2026-01-10 -n ACT-0042 ACT-0044 engaged --date 2026-01-07
expect 0 "-n on two ids"
is "$(commits "$S")" "$((n + 2))" "-n: nothing committed"
is "$(grep -c '^+  - date: .2026-01-07.$' "$T/out")" 2 "-n: the new event in each id's diff"
is "$(grep -c '^diff --git' "$T/out")" 2 "-n: one diff per id"

# -n holds for every write of a tool, store-policy edit's too (its check
# of the writer's role is a dry run of its own)
cat >"$T/ed-holiday" <<'END'
#!/bin/sh
printf '  - date: "2026-12-29"\n    name: Shutdown day\n' >>"$1"
END
chmod +x "$T/ed-holiday"
n=$(commits "$S")
run env EDITOR="$T/ed-holiday" store-policy -C "$S" -n -m "Shutdown" edit calendars/ACT.yaml
expect 0 "store-policy -n edit"
is "$(commits "$S")" "$n" "-n edit: nothing committed"
err_has "dry run: calendars/ACT.yaml changed (2 fields) not committed" "-n edit: says so"
out_has "+    name: Shutdown day" "-n edit: prints the change"
clean "$S" "after the writes"
done_testing

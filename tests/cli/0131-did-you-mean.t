#!/usr/bin/env bash
# Errors that say what to do: an unknown long option, command or case id
# names the nearest ones ("did you mean"); an invalid date names the form
# expected.  Each refusal exits 2 and commits nothing.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$S" --today 2026-01-02 --cohort sentenced ACT-0042 2>/dev/null
case-new -C "$S" --today 2026-01-02 --cohort sentenced ACT-0078 2>/dev/null
n=$(commits "$S")

# long options
refuse "case-event: unknown option '--dte'; did you mean '--date'?" \
    "a misspelt long option" case-event -C "$S" ACT-0042 engaged --dte 2026-01-09
refuse "case-event: unknown option '--daet'; did you mean '--date'?" \
    "a long option with two letters swapped" case-event -C "$S" ACT-0042 engaged --daet 2026-01-09
err_has "usage: case-event" "... then the usage"
err_has "Try 'case-event --help'" "... and where to read more"
check "getopt's own message is not printed" bash -c "! grep -q 'unrecognized' '$T/err'"
refuse "registry: unknown option '--emial'; did you mean '--email'?" \
    "registry --emial" registry -C "$S" add-operator cy --name Cy --emial cy@example.org --role auditor
refuse "unknown option '--frobnicate'" "an option near none" \
    case-show -C "$S" --frobnicate ACT-0042
check "... suggests nothing" bash -c "! grep -q 'did you mean' '$T/err'"
refuse "ambiguous option '--f'; did you mean '--format' or '--fail-on'?" \
    "an ambiguous abbreviation" deadline-check -C "$S" --f json
refuse "option '--format' needs an argument" "a missing argument" \
    case-show -C "$S" ACT-0042 --format
refuse "option '--path' takes no argument" "an unwanted argument" \
    case-show -C "$S" --path=yes ACT-0042
refuse "option '-C' needs an argument" "a short option's missing argument" \
    case-show ACT-0042 -C
refuse "unknown option '-z'" "an unknown short option" case-show -z ACT-0042

# commands
refuse "registry: unknown command 'lst'; did you mean 'list'?" \
    "registry lst" registry -C "$S" lst
refuse "store-policy: unknown command 'shwo'; did you mean 'show'?" \
    "store-policy shwo" store-policy -C "$S" shwo rules/deadlines.yaml
refuse "disclose-log: unknown command 'lsit'; did you mean 'list'?" \
    "disclose-log lsit" disclose-log -C "$S" lsit
refuse "csp-update: unknown command 'recrod'; did you mean 'record'?" \
    "csp-update recrod" csp-update -C "$S" recrod
refuse "sab-report: unknown command 'complet'; did you mean 'complete'?" \
    "sab-report complet" sab-report -C "$S" complet --ref R1 --date 2026-01-05 ACT-0042
refuse "authority-notice: unknown command 'close': expected add, respond or list" \
    "a command near none names them all" authority-notice -C "$S" close ACT-0042

# case ids: one edit away (a swap, a wrong, missing or extra character)
refuse "case ACT-0024 does not exist; did you mean 'ACT-0042'?" \
    "case-show: two digits swapped" case-show -C "$S" ACT-0024
refuse "case ACT-007 does not exist; did you mean 'ACT-0078'?" \
    "case-show --path: a digit missing" case-show -C "$S" --path ACT-007
refuse "case act-0042 does not exist; did you mean 'ACT-0042'?" \
    "letter case" case-log -C "$S" act-0042
refuse "case ACT-0043 does not exist; did you mean 'ACT-0042'?" \
    "a writer (case-event)" case-event -C "$S" ACT-0043 engaged --date 2026-01-09
refuse "case ACT-0079 does not exist; did you mean 'ACT-0078'?" \
    "deadline-check --case" deadline-check -C "$S" --today 2026-02-01 --case ACT-0079
refuse "case ACT-9999 does not exist (create it with case-new)" \
    "an id near none" contact-add -C "$S" --date 2026-01-09 --kind in-person -m x ACT-9999
check "... suggests nothing" bash -c "! grep -q 'did you mean' '$T/err'"

# dates
refuse "--date: invalid date '9/1/2026': expected YYYY-MM-DD" \
    "a date as d/m/y" case-event -C "$S" ACT-0042 engaged --date 9/1/2026
refuse "--today: invalid date '2026-02-30': expected YYYY-MM-DD" \
    "no such day" deadline-check -C "$S" --today 2026-02-30
refuse "CASETRAIL_TODAY: invalid date '2026-1-2': expected YYYY-MM-DD" \
    "\$CASETRAIL_TODAY" env CASETRAIL_TODAY=2026-1-2 deadline-check -C "$S"
refuse "--since: invalid date '1 Jan 2026': expected YYYY-MM-DD" \
    "case-log --since" case-log -C "$S" --since "1 Jan 2026" ACT-0042
refuse "--since: expected a day YYYY-MM-DD" \
    "disclose-log --since" disclose-log -C "$S" list --since yesterday

clean "$S" "at the end"
done_testing

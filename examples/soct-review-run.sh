#!/bin/sh
# soct-review-run.sh: the six-monthly review run of Coordinated Services
# Plans, as an SOCT officer might script it before a MAP meeting.  Copy it
# and adapt it: how far ahead to look, how to ask, when answers are due.
#
#   1. the plans whose review (VIC-CSP-REVIEW) falls due within DAYS days,
#      or is overdue: deadline-check's JSON, read with jq(1);
#   2. a service-delivery update request to every agency with an active
#      service in each of those plans, due on DUE, in one pipeline (one
#      commit per case; agencies already asked are skipped);
#   3. every request still outstanding, across the store.
#
# usage: soct-review-run.sh [-C store] [--today date]
#            [--via conference|written] DAYS DUE
#
# Exit status: 0 done, 1 some outstanding request is overdue, 2 error.
# The tools are found on PATH; the store is -C, else $CASETRAIL_STORE,
# else the current directory.
set -eu

prog=${0##*/}
usage() {
	echo "usage: $prog [-C store] [--today date] [--via conference|written] DAYS DUE" >&2
	exit 2
}

via=written
while [ $# -gt 0 ]; do
	case $1 in
	-C) [ $# -ge 2 ] || usage; CASETRAIL_STORE=$2; export CASETRAIL_STORE; shift 2 ;;
	--today) [ $# -ge 2 ] || usage; CASETRAIL_TODAY=$2; export CASETRAIL_TODAY; shift 2 ;;
	--via) [ $# -ge 2 ] || usage; via=$2; shift 2 ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -eq 2 ] || usage
days=$1
due=$2
command -v jq >/dev/null 2>&1 || { echo "$prog: needs jq(1)" >&2; exit 2; }

# 1. Plans due for review (an export: exit status 0 unless it failed).
json=$(deadline-check --rule VIC-CSP-REVIEW --within "$days" --format json) ||
	exit 2
cases=$(printf '%s\n' "$json" | jq -r '.[] | select(.status != "met") | .case' | sort -u)

# 2. One request per agency with an active service, one commit per case.
if [ -n "$cases" ]; then
	echo "CSP reviews due within $days days:" $cases
	printf '%s\n' "$cases" |
	    csp-update request --agency all --via "$via" --due "$due" \
	    -m "Six-monthly CSP review run" -
else
	echo "no CSP review due within $days days"
fi

# 3. What is still to come in, across the store.
echo "Outstanding service-delivery update requests:"
csp-update list --outstanding

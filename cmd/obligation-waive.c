/*
 * obligation-waive: waive an obligation, with a reason.
 */
#include "cli.h"
#include "obligation.h"

static const char usage[] =
"usage: obligation-waive [-C dir] [-n] [--today date] [--anchor date]\n"
"                        [--key key] -m reason id rule\n"
"\n"
"Record that the obligation of the rule on the case (as deadline-check\n"
"shows it today) is waived: it shows as 'waived' and is never overdue.\n"
"One commit.  Needs a role the store allows for the case's jurisdiction\n"
"(ACT: cmu-team-leader or community-team-leader; VIC: soct-officer;\n"
"store policy: exceptions in casetrail.yaml).  A new anchor (a new\n"
"reception, sentence or request) is a new obligation: the waiver no\n"
"longer applies.\n"
"\n"
"  -C dir             the store (default $CASETRAIL_STORE, else .)\n"
"  -n, --dry-run      print the change, commit nothing\n"
"  -m, --reason text  why (required; also the commit's Reason)\n"
"      --anchor date  which obligation, when the rule has several open on\n"
"                     the case: the day it counts from\n"
"      --key key      which obligation: a request id, a report ref\n"
"      --today date   today (default $CASETRAIL_TODAY, else today in the\n"
"                     store's time zone)\n"
"  -h, --help         show this help\n"
"      --version      print the version\n"
"\n"
"Exit status: 0 ok, 2 error (nothing changed).\n";

int
main(int argc, char **argv)
{
	return obligation_main(argc, argv, CT_EXCEPTION_WAIVE, usage);
}

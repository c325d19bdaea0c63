/*
 * obligation-waive: waive an obligation, with a reason.
 */
#include "cli.h"
#include "obligation.h"

/* the options and exit status: obligation_main */
static const char synopsis[] =
"usage: obligation-waive [-C dir] [-n] [--today date] [--anchor date]\n"
"                        [--key key] -m reason id rule\n";
static const char about[] =
"Record that the obligation of the rule on the case (as deadline-check\n"
"shows it today) is waived: it shows as 'waived' and is never overdue.\n"
"One commit.  Needs a role the store allows for the case's jurisdiction\n"
"(ACT: cmu-team-leader or community-team-leader; VIC: soct-officer;\n"
"store policy: exceptions in casetrail.yaml).  A new anchor (a new\n"
"reception, sentence or request) is a new obligation: the waiver no\n"
"longer applies.\n";

int
main(int argc, char **argv)
{
	return obligation_main(argc, argv, CT_EXCEPTION_WAIVE, synopsis,
	    about);
}

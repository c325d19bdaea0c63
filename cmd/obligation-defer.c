/*
 * obligation-defer: defer an obligation to a later day, with a reason.
 */
#include "cli.h"
#include "obligation.h"

/* the options and exit status: obligation_main */
static const char synopsis[] =
"usage: obligation-defer [-C dir] [-n] [--today date] [--anchor date]\n"
"                        [--key key] --until date -m reason id rule\n";
static const char about[] =
"Record that the obligation of the rule on the case (as deadline-check\n"
"shows it today) is deferred: it shows as 'deferred' until the day given\n"
"and is overdue again after it, unless met.  One commit.  Needs a role\n"
"the store allows for the case's jurisdiction (ACT: cmu-team-leader or\n"
"community-team-leader; VIC: soct-officer); a deferral ends at most 30\n"
"days after the day it is recorded and one obligation is deferred at\n"
"most twice (store policy: exceptions in casetrail.yaml).  A new anchor\n"
"(a new reception, sentence or request) is a new obligation: the\n"
"deferral no longer applies.\n";

int
main(int argc, char **argv)
{
	return obligation_main(argc, argv, CT_EXCEPTION_DEFER, synopsis,
	    about);
}

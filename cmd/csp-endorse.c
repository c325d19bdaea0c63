/*
 * csp-endorse: record the Multi-Agency Panel's endorsement of a draft
 * Coordinated Services Plan (VIC-CSP-ENDORSE).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "casetrail/csp.h"
#include "casetrail/trailers.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE, CLI_OPT_DRY_RUN, CLI_OPT_REASON,
	CLI_OPT_TODAY_HELP("today (default $CASETRAIL_TODAY, else today in "
	    "the\nstore's time zone); the meeting is not after it"),
	CLI_LONG('M', "meeting", "ref", "the MAP meeting's reference"),
	CLI_OPT_DATE_HELP("the day of the meeting"),
	CLI_LONG('a', "agency", "ids", "committing MAP member agencies "
	    "(comma-separated,\nrepeatable)"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: csp-endorse [-C dir] [-n] [-m reason] [--today date] --meeting ref\n"
"                   --date date --agency agency[,agency...]... id... | -\n",
	.about =
"Record that the Multi-Agency Panel endorsed the draft CSP of each case\n"
"(\"-\" reads ids from stdin) at a meeting, with the member agencies that\n"
"committed to its services; one commit per case.  Every committing agency\n"
"must be a registered MAP member, and every MAP member that delivers a\n"
"planned or active service, or funds its provider, must commit.  The\n"
"endorsement starts the six-month review clock (VIC-CSP-REVIEW).\n",
	.opts = opts,
	.status = CLI_STATUS_EACH,
};

static char *
subject(const char *id, void *arg)
{
	ct_csp_op *op = arg;
	char *s;

	op->case_id = id;
	return asprintf(&s, "%s CSP endorsed at %s on %s", id, op->meeting,
	    cli.date) < 0 ? NULL : s;
}

int
main(int argc, char **argv)
{
	ct_commit_spec spec = { .tool = "csp-endorse", .version = CT_VERSION,
	    .record = "csp", .action = "endorse" };
	ct_csp_op op = { .action = CT_CSP_ENDORSE };
	struct cli_each each = { subject, ct_csp_apply, NULL, &op };
	char **agencies = NULL, **ids;
	size_t nagencies = 0;
	ct_store *st;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'M': op.meeting = optarg; break;
		case 'a': cli_strv_append(&agencies, &nagencies, optarg); break;
		default: cli_usage();
		}
	}
	if (argc - optind < 1)
		cli_usage();
	if (op.meeting == NULL)
		cli_die("--meeting is required");
	if (cli.date == NULL)
		cli_die("--date is required");
	if (nagencies == 0)
		cli_die("--agency is required: the MAP member agencies that "
		    "committed");
	op.date = cli_date("--date", cli.date);
	cli_check_text("--meeting", op.meeting);
	cli_check_text("--reason", cli.reason);
	cli_spec(&spec);
	op.agencies = agencies;
	ids = cli_case_ids(argc - optind, argv + optind, NULL);
	st = cli_open_store(cli.dir);
	op.today = cli_today(cli.today, st);
	cli_each_case(st, &spec, ids, &each);
	ct_strv_free(ids);
	ct_strv_free(agencies);
	ct_store_free(st);
	return 0;
}

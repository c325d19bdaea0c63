/*
 * sab-report: pre-release report requests of the Sentence Administration
 * Board Secretariat (ACT-SAB-REPORT): record a request with the Community
 * Corrections Officer allocated and the due cli.date, and its completion.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/case.h"
#include "casetrail/sabreport.h"
#include "casetrail/trailers.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_OPT_DRY_RUN,
	CLI_OPT_REASON,
	CLI_LONG('r', "ref", "ref", "the Secretariat's reference (1 to 40 "
	    "letters,\ndigits, '.', '_', '/' and '-')"),
	CLI_LONG('q', "requested", "d", "request: the day the request was "
	    "received"),
	CLI_LONG('o', "officer", "op", "request: the Community Corrections "
	    "Officer allocated\n(role community-corrections-officer)"),
	CLI_LONG('u', "due", "date", "request: the day the report is due"),
	CLI_OPT_DATE_HELP("complete: the day the report was completed"),
	CLI_OPT_TODAY,
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: sab-report [-C dir] [-n] [-m reason] [--today date] request\n"
"                  --ref ref --requested date --officer operator\n"
"                  --due date id\n"
"       sab-report [-C dir] [-n] [-m reason] [--today date] complete\n"
"                  --ref ref --date date id\n",
	.about =
"Pre-release reports requested by the Sentence Administration Board (SAB)\n"
"Secretariat for a sentenced ACT offender.  request: the request received\n"
"on a day, with the Secretariat's reference, the Community Corrections\n"
"Officer allocated to develop the report with the offender and the day it\n"
"is due.  complete: the day the report was completed.  One commit each;\n"
"none when the same is already recorded.  deadline-check reports a report\n"
"not completed by its due date (ACT-SAB-REPORT).\n",
	.opts = opts,
	.status = CLI_STATUS_ONE,
};

static const char *const commands[] = { "request", "complete", NULL };

int
main(int argc, char **argv)
{
	ct_commit_spec spec = { .tool = "sab-report", .version = CT_VERSION,
	    .record = "sab-reports" };
	ct_sab_op op = { 0 };
	const char *requested = NULL, *due = NULL;
	const char *verb;
	char *subject = NULL;
	ct_error err = { 0 };
	ct_store *st;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'r': op.ref = optarg; break;
		case 'q': requested = optarg; break;
		case 'o': op.officer = optarg; break;
		case 'u': due = optarg; break;
		default: cli_usage();
		}
	}
	cli_spec(&spec);
	if (argc - optind != 2)
		cli_usage();
	verb = argv[optind];
	cli_command(verb, commands);
	op.case_id = argv[optind + 1];
	if (strcmp(verb, "request") == 0) {
		op.action = CT_SAB_REQUEST;
		if (requested == NULL || op.officer == NULL || due == NULL)
			cli_die("request needs --ref, --requested, --officer "
			    "and --due");
		if (cli.date != NULL)
			cli_die("--date goes with complete");
		op.requested = cli_date("--requested", requested);
		op.due = cli_date("--due", due);
	} else {
		op.action = CT_SAB_COMPLETE;
		if (cli.date == NULL)
			cli_die("complete needs --ref and --date");
		if (requested != NULL || op.officer != NULL || due != NULL)
			cli_die("--requested, --officer and --due go with "
			    "request");
		op.completed = cli_date("--date", cli.date);
	}
	if (op.ref == NULL)
		cli_die("%s needs --ref", verb);
	if (ct_sab_ref_check(op.ref, &err) < 0 ||
	    ct_case_id_check(op.case_id, &err) < 0)
		cli_die_err(&err);
	cli_check_text("--reason", spec.reason);
	st = cli_open_store(cli.dir);
	op.today = cli_today(cli.today, st);
	if (asprintf(&subject, op.action == CT_SAB_REQUEST ?
	    "%s pre-release report %s requested by the SAB Secretariat" :
	    "%s pre-release report %s completed", op.case_id, op.ref) < 0)
		cli_die("out of memory");
	spec.subject = subject;
	spec.case_id = op.case_id;
	spec.action = verb;
	cli_write(st, &spec, ct_sab_apply, &op);
	free(subject);
	ct_store_free(st);
	return 0;
}

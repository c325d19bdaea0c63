/*
 * sab-report: pre-release report requests of the Sentence Administration
 * Board Secretariat (ACT-SAB-REPORT): record a request with the Community
 * Corrections Officer allocated and the due date, and its completion.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/case.h"
#include "casetrail/sabreport.h"
#include "casetrail/trailers.h"

static const char usage[] =
"usage: sab-report [-C dir] [-n] [-m reason] [--today date] request\n"
"                  --ref ref --requested date --officer operator\n"
"                  --due date id\n"
"       sab-report [-C dir] [-n] [-m reason] [--today date] complete\n"
"                  --ref ref --date date id\n"
"\n"
"Pre-release reports requested by the Sentence Administration Board (SAB)\n"
"Secretariat for a sentenced ACT offender.  request: the request received\n"
"on a day, with the Secretariat's reference, the Community Corrections\n"
"Officer allocated to develop the report with the offender and the day it\n"
"is due.  complete: the day the report was completed.  One commit each;\n"
"none when the same is already recorded.  deadline-check reports a report\n"
"not completed by its due date (ACT-SAB-REPORT).\n"
"\n"
"  -C dir             the store (default $CASETRAIL_STORE, else .)\n"
"  -n, --dry-run      print the change, commit nothing\n"
"  -m, --reason text  the commit's Reason\n"
"      --ref ref      the Secretariat's reference (1 to 40 letters,\n"
"                     digits, '.', '_', '/' and '-')\n"
"      --requested d  request: the day the request was received\n"
"      --officer op   request: the Community Corrections Officer allocated\n"
"                     (role community-corrections-officer)\n"
"      --due date     request: the day the report is due\n"
"      --date date    complete: the day the report was completed\n"
"      --today date   today (default $CASETRAIL_TODAY, else today in the\n"
"                     store's time zone)\n"
"  -h, --help         show this help\n"
"      --version      print the version\n"
"\n"
"Exit status: 0 ok (also when nothing changed), 2 error (nothing\n"
"changed).\n";

static const char *const commands[] = { "request", "complete", NULL };

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "reason", required_argument, NULL, 'm' },
		{ "ref", required_argument, NULL, 'r' },
		{ "requested", required_argument, NULL, 'q' },
		{ "officer", required_argument, NULL, 'o' },
		{ "due", required_argument, NULL, 'u' },
		{ "date", required_argument, NULL, 'd' },
		{ "today", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	ct_commit_spec spec = { .tool = "sab-report", .version = CT_VERSION,
	    .record = "sab-reports" };
	ct_sab_op op = { 0 };
	const char *dir = NULL, *today = NULL, *requested = NULL, *due = NULL;
	const char *date = NULL, *verb;
	char *subject = NULL;
	ct_error err = { 0 };
	ct_store *st;
	int ch;

	cli_init(argc, argv, usage);
	while ((ch = cli_getopt(argc, argv, "C:nm:", longopts)) != -1) {
		switch (ch) {
		case 'C': dir = optarg; break;
		case 'n': spec.flags |= CT_WRITE_DRY_RUN; break;
		case 'm': spec.reason = optarg; break;
		case 'r': op.ref = optarg; break;
		case 'q': requested = optarg; break;
		case 'o': op.officer = optarg; break;
		case 'u': due = optarg; break;
		case 'd': date = optarg; break;
		case 't': today = optarg; break;
		default: cli_usage();
		}
	}
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
		if (date != NULL)
			cli_die("--date goes with complete");
		op.requested = cli_date("--requested", requested);
		op.due = cli_date("--due", due);
	} else {
		op.action = CT_SAB_COMPLETE;
		if (date == NULL)
			cli_die("complete needs --ref and --date");
		if (requested != NULL || op.officer != NULL || due != NULL)
			cli_die("--requested, --officer and --due go with "
			    "request");
		op.completed = cli_date("--date", date);
	}
	if (op.ref == NULL)
		cli_die("%s needs --ref", verb);
	if (ct_sab_ref_check(op.ref, &err) < 0 ||
	    ct_case_id_check(op.case_id, &err) < 0 ||
	    (spec.reason != NULL &&
	    ct_text_check("--reason", spec.reason, &err) < 0))
		cli_die_err(&err);
	st = cli_open_store(dir);
	op.today = cli_today(today, st);
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

/*
 * obligation-defer and obligation-waive (obligation.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "obligation.h"
#include "casetrail/case.h"
#include "casetrail/trailers.h"

#define OPTS(until_help) { \
	CLI_OPT_STORE, CLI_OPT_DRY_RUN, \
	CLI_OPT_REASON_HELP("why (required; also the commit's Reason)"), \
	CLI_LONG('u', "until", "date", until_help), \
	CLI_LONG('a', "anchor", "date", "which obligation, when the rule " \
	    "has several open on\nthe case: the day it counts from"), \
	CLI_LONG('k', "key", "key", "which obligation: a request id, a " \
	    "report ref"), \
	CLI_OPT_TODAY, CLI_OPT_END, \
}

/* The options of both tools; a waiver's --until is refused by name, so
 * it is there, but not in its --help. */
static const struct cli_opt defer_opts[] =
    OPTS("the last day it is deferred to (required)");
static const struct cli_opt waive_opts[] = OPTS(NULL);

int
obligation_main(int argc, char **argv, ct_exception_action action,
    const char *synopsis, const char *about)
{
	bool defer = action == CT_EXCEPTION_DEFER;
	ct_commit_spec spec = { .tool = defer ? "obligation-defer" :
	    "obligation-waive", .version = CT_VERSION, .record = "exceptions",
	    .action = defer ? "defer" : "waive" };
	ct_exception_req q = { .action = action };
	struct cli_cmd cmd = { .synopsis = synopsis, .about = about,
	    .opts = defer ? defer_opts : waive_opts,
	    .status = "Exit status: 0 ok, 2 error (nothing changed).\n" };
	const char *until = NULL;
	char *subject = NULL, d[CT_DATE_BUFSZ];
	ct_error err = { 0 };
	ct_store *st;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'u': until = optarg; break;
		case 'k': q.key = optarg; break;
		case 'a': q.anchor = cli_date("--anchor", optarg); break;
		default: cli_usage();
		}
	}
	if (argc - optind != 2)
		cli_usage();
	cli_spec(&spec);
	q.reason = cli.reason;
	q.case_id = argv[optind];
	q.rule = argv[optind + 1];
	if (ct_case_id_check(q.case_id, &err) < 0)
		cli_die_err(&err);
	if (q.reason == NULL)
		cli_die("-m is required: why the obligation is %s",
		    defer ? "deferred" : "waived");
	if (ct_text_check("-m", q.reason, &err) < 0)
		cli_die_err(&err);
	if (defer && until == NULL)
		cli_die("--until is required: the last day it is deferred to");
	if (!defer && until != NULL)
		cli_die("--until is for obligation-defer; a waiver has none");
	if (until != NULL)
		q.until = cli_date("--until", until);
	st = cli_open_store(cli.dir);
	q.today = cli_today(cli.today, st);
	if (asprintf(&subject, "%s %s %s%s", q.case_id, q.rule,
	    defer ? "deferred until " : "waived", defer ?
	    ct_date_format(q.until, d) : "") < 0)
		cli_die("out of memory");
	spec.subject = subject;
	spec.case_id = q.case_id;
	cli_write(st, &spec, ct_exception_record, &q);
	free(subject);
	ct_store_free(st);
	return 0;
}

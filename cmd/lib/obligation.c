/*
 * obligation-defer and obligation-waive (obligation.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "obligation.h"
#include "casetrail/case.h"
#include "casetrail/trailers.h"

/* The options of both tools, after each one's synopsis and description;
 * obligation-defer's --until first. */
static const char until_help[] =
"      --until date   the last day it is deferred to (required)\n";
static const char options_help[] =
"  -C dir             the store (default $CASETRAIL_STORE, else .)\n"
"  -n, --dry-run      print the change, commit nothing\n"
"  -m, --reason text  why (required; also the commit's Reason)\n"
"%s"
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
obligation_main(int argc, char **argv, ct_exception_action action,
    const char *head)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "reason", required_argument, NULL, 'm' },
		{ "until", required_argument, NULL, 'u' },
		{ "key", required_argument, NULL, 'k' },
		{ "anchor", required_argument, NULL, 'a' },
		{ "today", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	bool defer = action == CT_EXCEPTION_DEFER;
	ct_commit_spec spec = { .tool = defer ? "obligation-defer" :
	    "obligation-waive", .version = CT_VERSION, .record = "exceptions",
	    .action = defer ? "defer" : "waive" };
	ct_exception_req q = { .action = action };
	const char *dir = NULL, *today = NULL, *until = NULL;
	char *subject = NULL, *opts, *full, d[CT_DATE_BUFSZ];
	ct_error err = { 0 };
	ct_store *st;
	int ch;

	if (asprintf(&opts, options_help, defer ? until_help : "") < 0 ||
	    asprintf(&full, "%s%s", head, opts) < 0)
		cli_die("out of memory");
	cli_init(argc, argv, full);
	while ((ch = cli_getopt(argc, argv, "C:nm:", longopts)) != -1) {
		switch (ch) {
		case 'C': dir = optarg; break;
		case 'n': spec.flags |= CT_WRITE_DRY_RUN; break;
		case 'm': q.reason = optarg; break;
		case 'u': until = optarg; break;
		case 'k': q.key = optarg; break;
		case 'a': q.anchor = cli_date("--anchor", optarg); break;
		case 't': today = optarg; break;
		default: cli_usage();
		}
	}
	if (argc - optind != 2)
		cli_usage();
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
	st = cli_open_store(dir);
	q.today = cli_today(today, st);
	if (asprintf(&subject, "%s %s %s%s", q.case_id, q.rule,
	    defer ? "deferred until " : "waived", defer ?
	    ct_date_format(q.until, d) : "") < 0)
		cli_die("out of memory");
	spec.subject = subject;
	spec.case_id = q.case_id;
	spec.reason = q.reason;
	cli_write(st, &spec, ct_exception_record, &q);
	free(subject);
	free(opts);
	free(full);
	ct_store_free(st);
	return 0;
}

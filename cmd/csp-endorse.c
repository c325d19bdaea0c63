/*
 * csp-endorse: record the Multi-Agency Panel's endorsement of a draft
 * Coordinated Services Plan (VIC-CSP-ENDORSE).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/csp.h"
#include "casetrail/trailers.h"

static const char usage[] =
"usage: csp-endorse [-C dir] [-n] [-m reason] [--today date] --meeting ref\n"
"                   --date date --agency agency[,agency...]... id... | -\n"
"\n"
"Record that the Multi-Agency Panel endorsed the draft CSP of each case\n"
"(\"-\" reads ids from stdin) at a meeting, with the member agencies that\n"
"committed to its services; one commit per case.  Every committing agency\n"
"must be a registered MAP member, and every MAP member that delivers a\n"
"planned or active service, or funds its provider, must commit.  The\n"
"endorsement starts the six-month review clock (VIC-CSP-REVIEW).\n"
"\n"
"  -C dir             the store (default $CASETRAIL_STORE, else .)\n"
"  -n, --dry-run      print the change, commit nothing\n"
"  -m, --reason text  the commit's Reason\n"
"      --today date   today (default $CASETRAIL_TODAY, else today in the\n"
"                     store's time zone); the meeting is not after it\n"
"      --meeting ref  the MAP meeting's reference\n"
"      --date date    the day of the meeting\n"
"      --agency ids   committing MAP member agencies (comma-separated,\n"
"                     repeatable)\n"
"  -h, --help         show this help\n"
"      --version      print the version\n"
"\n"
"Exit status: 0 ok, 2 error (the failing case and any after it are\n"
"unchanged).\n";

/* Append the comma-separated ids of s to *v. */
static void
add_agencies(char ***v, size_t *n, const char *s)
{
	char **parts = cli_split(s), **grown;
	size_t i, k;

	for (k = 0; parts[k] != NULL; k++)
		;
	if ((grown = realloc(*v, (*n + k + 1) * sizeof(**v))) == NULL)
		cli_die("out of memory");
	*v = grown;
	for (i = 0; i < k; i++)
		(*v)[(*n)++] = parts[i];
	(*v)[*n] = NULL;
	free(parts);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "reason", required_argument, NULL, 'm' },
		{ "today", required_argument, NULL, 't' },
		{ "meeting", required_argument, NULL, 'M' },
		{ "date", required_argument, NULL, 'd' },
		{ "agency", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	ct_commit_spec spec = { .tool = "csp-endorse", .version = CT_VERSION,
	    .record = "csp", .action = "endorse" };
	ct_csp_op op = { .action = CT_CSP_ENDORSE };
	const char *dir = NULL, *today = NULL, *date = NULL;
	char **agencies = NULL, **ids, *subject;
	size_t nagencies = 0, n, i;
	ct_error err = { 0 };
	ct_store *st;
	int ch;

	cli_init(argc, argv, usage);
	while ((ch = cli_getopt(argc, argv, "C:nm:", longopts)) != -1) {
		switch (ch) {
		case 'C': dir = optarg; break;
		case 'n': spec.flags |= CT_WRITE_DRY_RUN; break;
		case 'm': spec.reason = optarg; break;
		case 't': today = optarg; break;
		case 'M': op.meeting = optarg; break;
		case 'd': date = optarg; break;
		case 'a': add_agencies(&agencies, &nagencies, optarg); break;
		default: cli_usage();
		}
	}
	if (argc - optind < 1)
		cli_usage();
	if (op.meeting == NULL)
		cli_die("--meeting is required");
	if (date == NULL)
		cli_die("--date is required");
	if (nagencies == 0)
		cli_die("--agency is required: the MAP member agencies that "
		    "committed");
	op.date = cli_date("--date", date);
	if (ct_text_check("--meeting", op.meeting, &err) < 0 ||
	    (spec.reason != NULL &&
	    ct_text_check("--reason", spec.reason, &err) < 0))
		cli_die_err(&err);
	op.agencies = agencies;
	ids = cli_case_ids(argc - optind, argv + optind, &n);
	st = cli_open_store(dir);
	op.today = cli_today(today, st);
	for (i = 0; i < n; i++) {
		op.case_id = ids[i];
		if (asprintf(&subject, "%s CSP endorsed at %s on %s",
		    op.case_id, op.meeting, date) < 0)
			cli_die("out of memory");
		spec.subject = subject;
		spec.case_id = op.case_id;
		cli_write(st, &spec, ct_csp_apply, &op);
		free(subject);
	}
	ct_strv_free(ids);
	ct_strv_free(agencies);
	ct_store_free(st);
	return 0;
}

/*
 * cmp-copy: record that a copy of a remandee's completed remand Case
 * Management Plan was given to their Accommodation Area Supervisor (CO2)
 * (ACT-REMAND-CMP-COPY).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/case.h"
#include "casetrail/cmp.h"
#include "casetrail/trailers.h"

static const char usage[] =
"usage: cmp-copy [-C dir] [-n] [-m reason] [--today date] --date date\n"
"                [--supervisor text] id... | -\n"
"\n"
"Record that a copy of the current version of each case's remand Case\n"
"Management Plan was given to the remandee's Accommodation Area\n"
"Supervisor (CO2) on a day (\"-\" reads ids from stdin), one commit per\n"
"case.  A review makes a new version, which needs a new copy; until then\n"
"deadline-check reports the plan (ACT-REMAND-CMP-COPY).\n"
"\n"
"  -C dir             the store (default $CASETRAIL_STORE, else .)\n"
"  -n, --dry-run      print the change, commit nothing\n"
"  -m, --reason text  the commit's Reason\n"
"      --date date    the day the copy was given (required; not before the\n"
"                     version was completed, not after today)\n"
"      --supervisor text\n"
"                     the supervisor or accommodation area given the copy\n"
"      --today date   today (default $CASETRAIL_TODAY, else today in the\n"
"                     store's time zone)\n"
"  -h, --help         show this help\n"
"      --version      print the version\n"
"\n"
"Exit status: 0 ok (also when the copy was already recorded), 2 error\n"
"(the failing case and any after it are unchanged).\n";

static int
copy(ct_txn *txn, void *arg, ct_error *err)
{
	ct_cmp_op *op = arg;
	char *subject;
	int rc;

	if ((rc = ct_cmp_apply(txn, op, err)) < 0)
		return rc;
	if (asprintf(&subject, "%s remand plan version %lld copied to the "
	    "Accommodation Area Supervisor", op->case_id, op->version) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	rc = ct_txn_set_subject(txn, subject, err);
	free(subject);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "reason", required_argument, NULL, 'm' },
		{ "date", required_argument, NULL, 'd' },
		{ "supervisor", required_argument, NULL, 's' },
		{ "today", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	ct_commit_spec spec = { .tool = "cmp-copy", .version = CT_VERSION,
	    .record = "cmp/remand", .action = "copy" };
	ct_cmp_op op = { .action = CT_CMP_COPY, .kind = CT_CMP_REMAND,
	    .participated = -1 };
	const char *dir = NULL, *today = NULL, *date = NULL;
	char **ids, *subject = NULL;
	ct_error err = { 0 };
	ct_store *st;
	size_t i, n;
	int ch;

	cli_init(argc, argv, usage);
	while ((ch = cli_getopt(argc, argv, "C:nm:", longopts)) != -1) {
		switch (ch) {
		case 'C': dir = optarg; break;
		case 'n': spec.flags |= CT_WRITE_DRY_RUN; break;
		case 'm': spec.reason = optarg; break;
		case 'd': date = optarg; break;
		case 's': op.copy_to = optarg; break;
		case 't': today = optarg; break;
		default: cli_usage();
		}
	}
	if (argc - optind < 1)
		cli_usage();
	if (date == NULL)
		cli_die("--date is required: the day the copy was given");
	op.copy_date = cli_date("--date", date);
	if (spec.reason != NULL &&
	    ct_text_check("--reason", spec.reason, &err) < 0)
		cli_die_err(&err);
	if (op.copy_to != NULL) {
		if (ct_text_check("--supervisor", op.copy_to, &err) < 0)
			cli_die_err(&err);
		if (strlen(op.copy_to) > 1000)
			cli_die("--supervisor: at most 1000 bytes");
	}
	ids = cli_case_ids(argc - optind, argv + optind, &n);
	st = cli_open_store(dir);
	op.today = cli_today(today, st);
	for (i = 0; i < n; i++) {
		op.case_id = ids[i];
		if (asprintf(&subject, "%s remand plan copied to the "
		    "Accommodation Area Supervisor", op.case_id) < 0)
			cli_die("out of memory");
		spec.subject = subject;
		spec.case_id = op.case_id;
		cli_write(st, &spec, copy, &op);
		ct_cmp_op_clear(&op);
		free(subject);
	}
	ct_strv_free(ids);
	ct_store_free(st);
	return 0;
}

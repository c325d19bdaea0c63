/*
 * cmp-copy: record that a copy of a remandee's completed remand Case
 * Management Plan was given to their Accommodation Area Supervisor (CO2)
 * (ACT-REMAND-CMP-COPY).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/case.h"
#include "casetrail/cmp.h"
#include "casetrail/trailers.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_OPT_DRY_RUN,
	CLI_OPT_REASON,
	CLI_OPT_DATE_HELP("the day the copy was given (required; not before "
	    "the\nversion was completed, not after today)"),
	CLI_LONG('s', "supervisor", "text", "the supervisor or "
	    "accommodation area given the copy"),
	CLI_OPT_TODAY,
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: cmp-copy [-C dir] [-n] [-m reason] [--today date] --date date\n"
"                [--supervisor text] id... | -\n",
	.about =
"Record that a copy of the current version of each case's remand Case\n"
"Management Plan was given to the remandee's Accommodation Area\n"
"Supervisor (CO2) on a day (\"-\" reads ids from stdin), one commit per\n"
"case.  A review makes a new version, which needs a new copy; until then\n"
"deadline-check reports the plan (ACT-REMAND-CMP-COPY).\n",
	.opts = opts,
	.status =
"Exit status: 0 ok (also when the copy was already recorded), 2 error\n"
"(the failing case and any after it are unchanged).\n",
};

static char *
subject(const char *id, void *arg)
{
	ct_cmp_op *op = arg;
	char *s;

	op->case_id = id;
	return asprintf(&s, "%s remand plan copied to the Accommodation Area "
	    "Supervisor", id) < 0 ? NULL : s;
}

static void
done(const char *id, void *arg)
{
	(void)id;
	ct_cmp_op_clear(arg);
}

int
main(int argc, char **argv)
{
	ct_commit_spec spec = { .tool = "cmp-copy", .version = CT_VERSION,
	    .record = "cmp/remand", .action = "copy" };
	ct_cmp_op op = { .action = CT_CMP_COPY, .kind = CT_CMP_REMAND,
	    .participated = -1 };
	struct cli_each each = { subject, ct_cmp_apply_versioned, done, &op };
	ct_store *st;
	char **ids;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 's': op.copy_to = optarg; break;
		default: cli_usage();
		}
	}
	if (argc - optind < 1)
		cli_usage();
	if (cli.date == NULL)
		cli_die("--date is required: the day the copy was given");
	op.copy_date = cli_date("--date", cli.date);
	cli_check_text("--reason", cli.reason);
	cli_check_text("--supervisor", op.copy_to);
	if (op.copy_to != NULL && strlen(op.copy_to) > 1000)
		cli_die("--supervisor: at most 1000 bytes");
	cli_spec(&spec);
	ids = cli_case_ids(argc - optind, argv + optind, NULL);
	st = cli_open_store(cli.dir);
	op.today = cli_today(cli.today, st);
	cli_each_case(st, &spec, ids, &each);
	ct_strv_free(ids);
	ct_store_free(st);
	return 0;
}

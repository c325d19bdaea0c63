/*
 * cmp-approve: a team leader approves the pending version of cases'
 * custodial or community Case Management Plans (ACT).
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
	CLI_OPT_REASON_HELP("the commit's Reason, also kept with the "
	    "approval as\nits note"),
	CLI_LONG('m', "note", "text", "the same as -m (its old name, kept "
	    "for one release)"),
	CLI_OPT_TODAY_HELP("the day of the approval (default "
	    "$CASETRAIL_TODAY,\nelse today in the store's time zone)"),
	CLI_LONG('k', "kind", "kind", "custodial or community"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: cmp-approve [-C dir] [-n] [-m reason] [--today date] --kind kind\n"
"                   id... | -\n",
	.about =
"Approve the version of each case's custodial or community Case\n"
"Management Plan that is pending approval (\"-\" reads ids from stdin),\n"
"one commit per case with an Approved-by trailer.  The approver is the\n"
"writer, who must have the approving role of the store's settings:\n"
"cmu-team-leader for custodial plans (ACT-CMP-CUSTODIAL),\n"
"community-team-leader for community plans (ACT-CMP-COMMUNITY), and must\n"
"not be the operator who made the version.  Remand plans need no\n"
"approval (ACT-REMAND-CMP).\n",
	.opts = opts,
	.status = CLI_STATUS_EACH,
};

static char *
subject(const char *id, void *arg)
{
	ct_cmp_op *op = arg;
	char *s;

	op->case_id = id;
	op->spec->approved_by = NULL;
	return asprintf(&s, "%s %s plan approved", id,
	    ct_cmp_kind_name(op->kind)) < 0 ? NULL : s;
}

static void
done(const char *id, void *arg)
{
	ct_cmp_op *op = arg;

	if (!(op->spec->flags & CT_WRITE_DRY_RUN))
		printf("%s %s plan version %lld approved by %s\n", id,
		    ct_cmp_kind_name(op->kind), op->version, op->approved_by);
	ct_cmp_op_clear(op);
}

int
main(int argc, char **argv)
{
	ct_commit_spec spec = { .tool = "cmp-approve", .version = CT_VERSION,
	    .action = "approve" };
	ct_cmp_op op = { .action = CT_CMP_APPROVE, .participated = -1,
	    .spec = &spec };
	struct cli_each each = { subject, ct_cmp_apply_versioned, done, &op };
	const char *kind = NULL;
	char **ids, *record_name = NULL;
	ct_error err = { 0 };
	ct_store *st;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'k': kind = optarg; break;
		default: cli_usage();
		}
	}
	if (argc - optind < 1)
		cli_usage();
	if (kind == NULL)
		cli_die("--kind is required (custodial or community)");
	if (ct_cmp_kind_parse(kind, "--kind", &op.kind, &err) < 0)
		cli_die_err(&err);
	op.note = cli.reason;
	cli_check_text("--note", op.note);
	cli_spec(&spec);
	if (asprintf(&record_name, "cmp/%s", kind) < 0)
		cli_die("out of memory");
	spec.record = record_name;
	ids = cli_case_ids(argc - optind, argv + optind, NULL);
	st = cli_open_store(cli.dir);
	op.today = cli_today(cli.today, st);
	cli_each_case(st, &spec, ids, &each);
	free(record_name);
	ct_strv_free(ids);
	ct_store_free(st);
	return 0;
}

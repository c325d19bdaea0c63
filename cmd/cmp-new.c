/*
 * cmp-new: make a case's custodial, remand or community Case Management
 * Plan (ACT) from a file, standard input or the editor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "edit.h"
#include "casetrail/case.h"
#include "casetrail/cmp.h"
#include "casetrail/trailers.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_OPT_DRY_RUN,
	CLI_OPT_REASON,
	CLI_OPT_TODAY_HELP("the day the plan is made (default "
	    "$CASETRAIL_TODAY,\nelse today in the store's time zone)"),
	CLI_LONG('k', "kind", "kind", "custodial, remand or community"),
	CLI_OPT_FILE_HELP("the plan's goals, needs, s78 and "
	    "comments, YAML;\n- for stdin"),
	CLI_OPT_EDIT_HELP("edit them in $VISUAL or $EDITOR first "
	    "(a copy,\nchecked on save and re-opened with the errors at "
	    "the\ntop; nothing is written when the editor fails or "
	    "the\nfile is left unchanged)"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: cmp-new [-C dir] [-n] [-m reason] [--today date] --kind kind\n"
"               [-f file|-] [--edit] id\n",
	.about =
"Make version 1 of a case's Case Management Plan, cases/<xx>/<id>/cmp/\n"
"<kind>.yaml, from its goals, needs, s78 parts and comments given in a\n"
"YAML file, on standard input (-f -) or in the editor.  One commit.\n"
"Custodial and community plans start pending approval by a team leader\n"
"(cmp-approve); remand plans need no approval.  Refused, naming the rule:\n"
"ACT-CMP-CONTENT (every need has an intervention and a target date; a\n"
"custodial plan has the three s 78 parts), ACT-LSIR (custodial: an LSI-R\n"
"of the last 12 months), ACT-REMAND-CMP (remand: 4 weeks since\n"
"reception), ACT-CONSENT (no referral without consent unless the case\n"
"is recorded At Risk).\n",
	.opts = opts,
	.status = CLI_STATUS_ONE,
};

struct edit_ctx {
	const char *case_id;
	const ct_node *casedoc;
	ct_cmp_kind kind;
	ct_date today;
	ct_node *input;
};

static int
load(const char *text, size_t len, const char *name, void *arg,
    ct_node **doc, ct_error *err)
{
	struct edit_ctx *e = arg;

	return ct_cmp_input_load(text, len, name, e->kind, e->casedoc,
	    e->today, doc, err);
}

static int
template(void *arg, char **text, ct_error *err)
{
	const struct edit_ctx *e = arg;

	return ct_cmp_template(e->case_id, e->kind, NULL, text, err);
}

/* The plan's transaction, then the subject. */
static int
make(ct_txn *txn, void *arg, ct_error *err)
{
	ct_cmp_op *op = arg;
	char *subject;
	int rc;

	if ((rc = ct_cmp_apply(txn, op, err)) < 0)
		return rc;
	if (asprintf(&subject, "%s %s plan made (version 1, %s)", op->case_id,
	    ct_cmp_kind_name(op->kind), op->status) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	rc = ct_txn_set_subject(txn, subject, err);
	free(subject);
	return rc;
}

/* The case as HEAD has it, after the checks that need no input (so that
 * a refusal comes before the editor opens). */
static ct_node *
read_head(ct_store *st, const ct_cmp_op *op)
{
	ct_snapshot *snap = NULL;
	ct_error err = { 0 };
	ct_node *c = NULL;

	if (ct_snapshot_open(st, NULL, &snap, &err) < 0 ||
	    ct_cmp_precheck(snap, op, &c, NULL, &err) < 0)
		cli_die_err(&err);
	ct_snapshot_free(snap);
	return c;
}

int
main(int argc, char **argv)
{
	ct_commit_spec spec = { .tool = "cmp-new", .version = CT_VERSION,
	    .action = "new" };
	ct_cmp_op op = { .action = CT_CMP_NEW, .participated = -1 };
	const char *kind = NULL;
	struct edit_ctx ectx = { 0 };
	char *subject = NULL, *record_name = NULL;
	ct_error err = { 0 };
	ct_store *st;
	int ch, rc = 0;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'k': kind = optarg; break;
		default: cli_usage();
		}
	}
	cli_spec(&spec);
	op.case_id = cli_one_id(argc, argv);
	if (kind == NULL)
		cli_die("--kind is required (custodial, remand or community)");
	if (ct_cmp_kind_parse(kind, "--kind", &op.kind, &err) < 0)
		cli_die_err(&err);
	if (cli.file == NULL && !cli.edit)
		cli_die("give the plan with -f file, -f - or --edit");
	cli_check_text("--reason", spec.reason);
	st = cli_open_store(cli.dir);
	op.today = cli_today(cli.today, st);

	ectx.casedoc = read_head(st, &op);
	ectx.kind = op.kind;
	ectx.today = op.today;
	ectx.case_id = op.case_id;
	rc = cli_input_doc(load, template, &ectx, CLI_EDIT_ERRORS_IN_FILE,
	    &ectx.input);
	if (rc != CLI_EDIT_CHANGED) {
		rc = rc == CLI_EDIT_UNCHANGED ? 0 : EXIT_ERROR;
		goto out;
	}
	rc = 0;
	op.input_name = cli.edit ? "the edited plan" : cli_input_name(cli.file);
	op.input = ectx.input;
	if (asprintf(&subject, "%s %s plan made", op.case_id, kind) < 0 ||
	    asprintf(&record_name, "cmp/%s", kind) < 0)
		cli_die("out of memory");
	spec.subject = subject;
	spec.record = record_name;
	spec.case_id = op.case_id;
	cli_write(st, &spec, make, &op);
	if (!(spec.flags & CT_WRITE_DRY_RUN))
		printf("%s %s plan version 1: %s%s%s\n", op.case_id, kind,
		    op.status, op.lsir ? ", on the LSI-R of " : "",
		    op.lsir ? op.lsir : "");
out:
	ct_cmp_op_clear(&op);
	free(subject);
	free(record_name);
	ct_node_free(ectx.input);
	ct_node_free((ct_node *)ectx.casedoc);
	ct_store_free(st);
	return rc;
}

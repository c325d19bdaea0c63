/*
 * csp-new: draft a Coordinated Services Plan, or open its next version for
 * review, from a file, standard input or the editor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "edit.h"
#include "casetrail/case.h"
#include "casetrail/csp.h"
#include "casetrail/trailers.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_OPT_DRY_RUN,
	CLI_OPT_REASON_HELP("the commit's Reason (with --review, kept in "
	    "the plan)"),
	CLI_OPT_TODAY_HELP("the day of the review (default "
	    "$CASETRAIL_TODAY,\nelse today in the store's time zone)"),
	CLI_OPT_FILE_HELP("the services and comments, YAML; - "
	    "for stdin"),
	CLI_OPT_EDIT_HELP("edit them in $VISUAL or $EDITOR first "
	    "(a copy, checked\nand re-opened on error; nothing is written "
	    "when the\neditor fails or the file is left unchanged)"),
	CLI_LONG('r', "review", NULL, "open the next version of an "
	    "endorsed plan"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: csp-new [-C dir] [-n] [-m reason] [--today date] [-f file|-]\n"
"               [--edit] id\n"
"       csp-new [-C dir] [-n] [-m reason] [--today date] --review\n"
"               [-f file|-] [--edit] id\n",
	.about =
"Draft version 1 of a case's Coordinated Services Plan (cases/<xx>/<id>/\n"
"csp.yaml) from the services given in a YAML file, on standard input\n"
"(-f -) or in the editor; or, with --review, open the next version as a\n"
"draft from the endorsed plan (its services unchanged unless -f or --edit\n"
"gives new ones).  Services must name registered agencies.  One commit.\n"
"A case without an open Supervision Order or Interim Supervision Order\n"
"gets a warning.\n",
	.opts = opts,
	.status = CLI_STATUS_ONE,
};

struct edit_ctx {
	const char *case_id;
	const ct_node *csp;
	const ct_node *agencies;
	ct_node *input;
};

static int
load(const char *text, size_t len, const char *name, void *arg,
    ct_node **doc, ct_error *err)
{
	const struct edit_ctx *e = arg;

	return ct_csp_input_load(text, len, name, e->agencies, doc, err);
}

static int
template(void *arg, char **text, ct_error *err)
{
	const struct edit_ctx *e = arg;

	return ct_csp_template(e->case_id, e->csp, e->agencies, text, err);
}

/* The agencies and the plan (NULL when none) as HEAD has them, so that
 * the input is checked before the editor closes; the case must exist. */
static void
read_head(ct_store *st, const char *id, ct_node **agencies, ct_node **csp)
{
	ct_snapshot *snap = NULL;
	ct_error err = { 0 };
	ct_node *c = NULL;
	char *path = NULL, *cpath = NULL;
	int rc;

	*csp = NULL;
	if (ct_snapshot_open(st, NULL, &snap, &err) < 0 ||
	    ct_snapshot_load(snap, CT_AGENCIES_PATH, agencies,
	    &err) < 0 ||
	    ct_case_path(id, "case.yaml", &cpath, &err) < 0 ||
	    ct_case_path(id, CT_CSP_REL, &path, &err) < 0)
		cli_die_err(&err);
	if ((rc = ct_snapshot_load(snap, cpath, &c, &err)) ==
	    CT_ENOTFOUND)
		cli_no_case(snap, id);
	if (rc < 0 || ct_csp_case_check(c, id, &err) < 0)
		cli_die_err(&err);
	rc = ct_snapshot_load(snap, path, csp, &err);
	if (rc < 0 && rc != CT_ENOTFOUND)
		cli_die_err(&err);
	ct_error_clear(&err);
	ct_node_free(c);
	free(cpath);
	free(path);
	ct_snapshot_free(snap);
}

int
main(int argc, char **argv)
{
	ct_commit_spec spec = { .tool = "csp-new", .version = CT_VERSION,
	    .record = "csp" };
	ct_csp_op op = { .action = CT_CSP_NEW };
	struct edit_ctx ectx = { 0 };
	ct_node *agencies = NULL, *csp = NULL;
	char *subject = NULL;
	ct_error err = { 0 };
	ct_store *st;
	int ch, rc, status = 0;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'r': op.action = CT_CSP_REVIEW; break;
		default: cli_usage();
		}
	}
	cli_spec(&spec);
	op.case_id = cli_one_id(argc, argv);
	if (cli.file == NULL && !cli.edit && op.action == CT_CSP_NEW)
		cli_die("give the services with -f file, -f - or --edit");
	cli_check_text("--reason", spec.reason);
	op.reason = spec.reason;
	spec.action = ct_csp_action_name(op.action);
	spec.case_id = op.case_id;
	st = cli_open_store(cli.dir);
	op.today = cli_today(cli.today, st);

	read_head(st, op.case_id, &agencies, &csp);
	ectx.agencies = agencies;
	if (op.action == CT_CSP_NEW && csp != NULL)
		cli_die("%s already has a CSP (version %s): review it with "
		    "csp-new --review", op.case_id,
		    ct_map_get(csp, "version")->str);
	if (op.action == CT_CSP_REVIEW && csp == NULL)
		cli_die("%s has no CSP (draft one with csp-new)", op.case_id);
	if (op.action == CT_CSP_REVIEW &&
	    ct_csp_can_review(csp, op.case_id, &err) < 0)
		cli_die_err(&err);
	ectx.case_id = op.case_id;
	ectx.csp = csp;
	rc = cli_input_doc(load, template, &ectx, 0, &ectx.input);
	if (rc != CLI_EDIT_CHANGED) {
		status = rc == CLI_EDIT_UNCHANGED ? 0 : EXIT_ERROR;
		goto done;
	}
	op.input = ectx.input;
	if (asprintf(&subject, op.action == CT_CSP_NEW ? "%s CSP drafted" :
	    "%s CSP review opened", op.case_id) < 0)
		cli_die("out of memory");
	spec.subject = subject;
	cli_write(st, &spec, ct_csp_apply, &op);
	if (op.unsupervised)
		cli_warn("warning: %s has no open Supervision Order or Interim "
		    "Supervision Order recorded (case-event order-made)",
		    op.case_id);
done:
	free(subject);
	ct_node_free(ectx.input);
	ct_node_free(agencies);
	ct_node_free(csp);
	ct_store_free(st);
	return status;
}

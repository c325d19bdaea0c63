/*
 * cmp-review: review a case's Case Management Plan (ACT): a new version
 * from a file, from the editor (visudo-style) or by completing one need;
 * the review is recorded with its reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "edit.h"
#include "casetrail/case.h"
#include "casetrail/cmp.h"
#include "casetrail/diff.h"
#include "casetrail/trailers.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_OPT_DRY_RUN,
	CLI_SHORT('m', NULL, "text", "the commit's Reason, after the review's "
	    "reason\n(default: the summary); for one release, without\n"
	    "--summary also the summary"),
	CLI_LONG('S', "summary", "text", "the review's summary"),
	CLI_LONG('r', "reason", "r", "why the plan is reviewed (required; "
	    "see above)"),
	CLI_OPT_TODAY_HELP("the day of the review (default "
	    "$CASETRAIL_TODAY,\nelse today in the store's time zone)"),
	CLI_LONG('k', "kind", "kind", "custodial, remand or community"),
	CLI_LONG('P', "offender-participated", NULL, "the offender took "
	    "part in the review"),
	CLI_LONG('D', "offender-declined", NULL, "the offender declined to "
	    "take part"),
	CLI_OPT_FILE_HELP("the new goals, needs, s78 and "
	    "comments, YAML; - for\nstdin (with --edit: the text to start "
	    "editing from)"),
	CLI_OPT_EDIT_HELP("edit the plan in $VISUAL or $EDITOR "
	    "(a copy, checked\non save and re-opened with the errors at "
	    "the top;\nnothing is written when the editor fails or "
	    "nothing\nis changed)"),
	CLI_LONG('c', "complete", "need", "mark the need with this id "
	    "completed"),
	CLI_OPT_DATE_HELP("with --complete: the day it was completed"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: cmp-review [-C dir] [-n] [-m text] [--today date] --kind kind\n"
"                  --reason reason [--summary text]\n"
"                  [--offender-participated | --offender-declined]\n"
"                  -f file|- | --edit | --complete need --date date id\n",
	.about =
"Review a case's Case Management Plan: record the review (day, reason,\n"
"summary, whether the offender took part) and make the next version of\n"
"the plan, from a YAML file of its goals, needs, s78 and comments, from\n"
"the editor, or by completing one need.  A custodial or community plan\n"
"goes back to pending approval (cmp-approve).  The changed fields are\n"
"printed.  One commit; with --edit, none when the editor fails or\n"
"nothing is changed.  The rules of cmp-new (ACT-CMP-CONTENT,\n"
"ACT-CONSENT) hold for every version.\n"
"\n"
"Reasons: goals-change, circumstances-change, needs-unmet,\n"
"serious-offence, risk-rating-change, stage-transition, scheduled,\n"
"other.\n",
	.opts = opts,
	.status = CLI_STATUS_ONE,
};

struct ctx {
	ct_cmp_op op;
	const ct_node *casedoc;
	ct_node *input;   /* the edited or given editable part */
};

static int
load(const char *text, size_t len, const char *name, void *arg,
    ct_node **doc, ct_error *err)
{
	const struct ctx *c = arg;

	return ct_cmp_input_load(text, len, name, c->op.kind, c->casedoc,
	    c->op.today, doc, err);
}

/* The case and plan as HEAD has them, after the checks that need no
 * input. */
static void
read_head(ct_store *st, struct ctx *c, ct_node **plan)
{
	ct_snapshot *snap = NULL;
	ct_error err = { 0 };
	ct_node *cd = NULL;
	const ct_node *v;

	if (ct_snapshot_open(st, NULL, &snap, &err) < 0 ||
	    ct_cmp_precheck(snap, &c->op, &cd, plan, &err) < 0)
		cli_die_err(&err);
	ct_snapshot_free(snap);
	c->casedoc = cd;
	v = ct_map_get(*plan, "version");
	c->op.base_version = v != NULL ? v->ival : 0;
}

/* With --edit: the fields changed by the edit ("" when none), or NULL
 * when nothing was edited (*rc the exit status then). */
static char *
edit_plan(struct ctx *c, const ct_node *plan, const char *start,
    size_t startlen, int *rc)
{
	ct_node *old = NULL, *new = NULL;
	ct_error err = { 0 };
	char *tmpl = NULL, *edited = NULL, *fields = NULL;
	size_t outlen;

	if (start == NULL) {
		if (ct_cmp_template(c->op.case_id, c->op.kind, plan, &tmpl,
		    &err) < 0)
			cli_die_err(&err);
		start = tmpl;
		startlen = strlen(tmpl);
	}
	switch (cli_edit_doc(start, startlen, CLI_EDIT_ERRORS_IN_FILE, load, c,
	    &c->input, &edited, &outlen)) {
	case CLI_EDIT_CHANGED:
		break;
	case CLI_EDIT_UNCHANGED:
		*rc = 0;
		free(tmpl);
		return NULL;
	default:
		*rc = EXIT_ERROR;
		free(tmpl);
		return NULL;
	}
	if (ct_cmp_editable(plan, &old, &err) < 0 ||
	    ct_cmp_editable(c->input, &new, &err) < 0 ||
	    ct_node_diff(old, new, &fields, NULL, &err) < 0)
		cli_die_err(&err);
	ct_node_free(old);
	ct_node_free(new);
	free(tmpl);
	free(edited);
	return fields;
}

/* The checks of the options, before the store is opened. */
static void
check_args(struct ctx *c, const char *kind, bool input, const char *date)
{
	ct_error err = { 0 };

	if (kind == NULL)
		cli_die("--kind is required (custodial, remand or community)");
	if (ct_cmp_kind_parse(kind, "--kind", &c->op.kind, &err) < 0)
		cli_die_err(&err);
	if (c->op.reason == NULL)
		cli_die("--reason is required (see cmp-review --help)");
	if (!ct_in_list(ct_cmp_reasons, c->op.reason))
		cli_die("--reason: '%s' is not a review reason (see "
		    "cmp-review --help)", c->op.reason);
	if ((c->op.complete != NULL) + input != 1)
		cli_die("give the new plan with -f file, -f - or --edit, or "
		    "complete a need with --complete need --date date");
	if ((c->op.complete != NULL) != (date != NULL))
		cli_die("--complete and --date go together");
	if (c->op.complete != NULL)
		c->op.completed = cli_date("--date", date);
	cli_check_text("--summary", c->op.summary);
}

/* The review's one write; then the fields it changed. */
static void
write_review(ct_store *st, ct_commit_spec *spec, struct ctx *c,
    const char *kind)
{
	const char *note = cli.reason != NULL ? cli.reason : c->op.summary;
	char *subject, *record, *reason;

	if (asprintf(&subject, "%s %s plan reviewed", c->op.case_id,
	    kind) < 0 || asprintf(&record, "cmp/%s", kind) < 0 ||
	    asprintf(&reason, "%s%s%s", c->op.reason, note != NULL ? ": " :
	    "", note != NULL ? note : "") < 0)
		cli_die("out of memory");
	cli_check_text("the review's reason and summary", reason);
	spec->subject = subject;
	spec->record = record;
	spec->case_id = c->op.case_id;
	spec->reason = reason;
	cli_write(st, spec, ct_cmp_review, &c->op);
	if (!(spec->flags & CT_WRITE_DRY_RUN))
		cli_print_lines(c->op.fields);
	free(subject);
	free(record);
	free(reason);
}

int
main(int argc, char **argv)
{
	ct_commit_spec spec = { .tool = "cmp-review", .version = CT_VERSION,
	    .action = "review" };
	struct ctx c = { .op = { .action = CT_CMP_REVIEW,
	    .participated = -1 } };
	const char *kind = NULL;
	char *buf = NULL, *edit_fields = NULL;
	ct_node *plan = NULL;
	size_t len = 0;
	ct_error err = { 0 };
	ct_store *st;
	int ch, rc = 0;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'S': c.op.summary = optarg; break;
		case 'r': c.op.reason = optarg; break;
		case 'k': kind = optarg; break;
		case 'P':
		case 'D':
			if (c.op.participated >= 0 &&
			    c.op.participated != (ch == 'P'))
				cli_die("--offender-participated and "
				    "--offender-declined exclude each other");
			c.op.participated = ch == 'P';
			break;
		case 'c': c.op.complete = optarg; break;
		default: cli_usage();
		}
	}
	cli_spec(&spec);
	if (c.op.summary == NULL)
		c.op.summary = cli.reason;
	c.op.case_id = cli_one_id(argc, argv);
	check_args(&c, kind, cli.file != NULL || cli.edit, cli.date);
	st = cli_open_store(cli.dir);
	c.op.today = cli_today(cli.today, st);

	read_head(st, &c, &plan);
	if (cli.file != NULL) {
		buf = cli_read_input("-f", cli.file, &len);
		c.op.input_name = cli_input_name(cli.file);
		if (!cli.edit && ct_cmp_input_load(buf, len, c.op.input_name,
		    c.op.kind, c.casedoc, c.op.today, &c.input, &err) < 0)
			cli_die_err(&err);
	}
	if (cli.edit) {
		if ((edit_fields = edit_plan(&c, plan, buf, len, &rc)) == NULL)
			goto out;
		if (*edit_fields == '\0') {
			cli_warn("the plan's content was not changed: nothing "
			    "changed, no review recorded");
			goto out;
		}
		c.op.input_name = "the edited plan";
	}
	c.op.input = c.input;
	write_review(st, &spec, &c, kind);
out:
	ct_cmp_op_clear(&c.op);
	free(edit_fields);
	free(buf);
	ct_node_free(c.input);
	ct_node_free((ct_node *)c.casedoc);
	ct_node_free(plan);
	ct_store_free(st);
	return rc;
}

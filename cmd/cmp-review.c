/*
 * cmp-review: review a case's Case Management Plan (ACT): a new version
 * from a file, from the editor (visudo-style) or by completing one need;
 * the review is recorded with its reason.
 */
#include <getopt.h>
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
	CLI_SHORT('m', "summary", "text", "the review's summary (also in "
	    "the commit's Reason)"),
	CLI_LONG('r', "reason", "r", "why the plan is reviewed (required; "
	    "see above)"),
	CLI_OPT_TODAY_HELP("the day of the review (default "
	    "$CASETRAIL_TODAY,\nelse today in the store's time zone)"),
	CLI_LONG('k', "kind", "kind", "custodial, remand or community"),
	CLI_LONG('P', "offender-participated", NULL, "the offender took "
	    "part in the review"),
	CLI_LONG('D', "offender-declined", NULL, "the offender declined to "
	    "take part"),
	CLI_SHORT('f', "file", "file", "the new goals, needs, s78 and "
	    "comments, YAML; - for\nstdin (with --edit: the text to start "
	    "editing from)"),
	CLI_LONG('e', "edit", NULL, "edit the plan in $VISUAL or $EDITOR "
	    "(a copy, checked\non save and re-opened with the errors at "
	    "the top;\nnothing is written when the editor fails or "
	    "nothing\nis changed)"),
	CLI_LONG('c', "complete", "need", "mark the need with this id "
	    "completed"),
	CLI_LONG('d', "date", "date", "with --complete: the day it was "
	    "completed"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: cmp-review [-C dir] [-n] [-m summary] [--today date] --kind kind\n"
"                  --reason reason\n"
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
	.status =
"Exit status: 0 ok (also when nothing changed), 2 error (nothing\n"
"changed).\n",
};

struct ctx {
	ct_cmp_op op;
	const ct_node *casedoc;
	ct_node *input;   /* the edited or given editable part */
	char *fields;     /* the field-level diff of the last try */
};

static int
check_edit(const char *text, size_t len, const char *name, void *arg,
    ct_error *err)
{
	struct ctx *c = arg;
	ct_node *doc = NULL;
	int rc;

	if ((rc = ct_cmp_input_load(text, len, name, c->op.kind, c->casedoc,
	    c->op.today, &doc, err)) < 0)
		return rc;
	ct_node_free(c->input);
	c->input = doc;
	return 0;
}

/* The review's transaction; then the subject and the fields changed. */
static int
review(ct_txn *txn, void *arg, ct_error *err)
{
	struct ctx *c = arg;
	ct_node *before = NULL, *after = NULL;
	char *path = NULL, *subject = NULL;
	int rc;

	free(c->fields);
	c->fields = NULL;
	if ((rc = ct_cmp_apply(txn, &c->op, err)) < 0 ||
	    (rc = ct_cmp_path(c->op.case_id, c->op.kind, &path, err)) < 0 ||
	    (rc = ct_snapshot_load(ct_txn_snapshot(txn), path,
	    &before, err)) < 0 ||
	    (rc = ct_txn_load(txn, path, &after, err)) < 0 ||
	    (rc = ct_node_diff(before, after, &c->fields, NULL, err)) < 0)
		goto out;
	if (asprintf(&subject, "%s %s plan reviewed (version %lld, %s)",
	    c->op.case_id, ct_cmp_kind_name(c->op.kind), c->op.version,
	    c->op.reason) < 0) {
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto out;
	}
	rc = ct_txn_set_subject(txn, subject, err);
out:
	ct_node_free(before);
	ct_node_free(after);
	free(subject);
	free(path);
	return rc;
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
	switch (cli_edit_flags(start, startlen, ".yaml",
	    CLI_EDIT_ERRORS_IN_FILE, check_edit, c, &edited, &outlen)) {
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

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "summary", required_argument, NULL, 'm' },
		{ "reason", required_argument, NULL, 'r' },
		{ "today", required_argument, NULL, 't' },
		{ "kind", required_argument, NULL, 'k' },
		{ "offender-participated", no_argument, NULL, 'P' },
		{ "offender-declined", no_argument, NULL, 'D' },
		{ "file", required_argument, NULL, 'f' },
		{ "edit", no_argument, NULL, 'e' },
		{ "complete", required_argument, NULL, 'c' },
		{ "date", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	ct_commit_spec spec = { .tool = "cmp-review", .version = CT_VERSION,
	    .action = "review" };
	struct ctx c = { .op = { .action = CT_CMP_REVIEW,
	    .participated = -1 } };
	const char *dir = NULL, *today = NULL, *file = NULL, *kind = NULL;
	const char *date = NULL;
	char *buf = NULL, *subject = NULL, *reason = NULL, *record_name = NULL;
	char *edit_fields = NULL;
	ct_node *plan = NULL;
	size_t len = 0;
	bool edit = false;
	ct_error err = { 0 };
	ct_store *st;
	int ch, rc = 0;

	cli_init(argc, argv, usage);
	while ((ch = cli_getopt(argc, argv, "C:nm:f:", longopts)) != -1) {
		switch (ch) {
		case 'C': dir = optarg; break;
		case 'n': spec.flags |= CT_WRITE_DRY_RUN; break;
		case 'm': c.op.summary = optarg; break;
		case 'r': c.op.reason = optarg; break;
		case 't': today = optarg; break;
		case 'k': kind = optarg; break;
		case 'P':
		case 'D':
			if (c.op.participated >= 0 &&
			    c.op.participated != (ch == 'P'))
				cli_die("--offender-participated and "
				    "--offender-declined exclude each other");
			c.op.participated = ch == 'P';
			break;
		case 'f': file = optarg; break;
		case 'e': edit = true; break;
		case 'c': c.op.complete = optarg; break;
		case 'd': date = optarg; break;
		default: cli_usage();
		}
	}
	if (argc - optind != 1)
		cli_usage();
	c.op.case_id = argv[optind];
	if (ct_case_id_check(c.op.case_id, &err) < 0)
		cli_die_err(&err);
	if (kind == NULL)
		cli_die("--kind is required (custodial, remand or community)");
	if (ct_cmp_kind_parse(kind, "--kind", &c.op.kind, &err) < 0)
		cli_die_err(&err);
	if (c.op.reason == NULL)
		cli_die("--reason is required (see cmp-review --help)");
	if (!ct_in_list(ct_cmp_reasons, c.op.reason))
		cli_die("--reason: '%s' is not a review reason (see "
		    "cmp-review --help)", c.op.reason);
	if ((c.op.complete != NULL) + (file != NULL || edit) != 1)
		cli_die("give the new plan with -f file, -f - or --edit, or "
		    "complete a need with --complete need --date date");
	if ((c.op.complete != NULL) != (date != NULL))
		cli_die("--complete and --date go together");
	if (c.op.complete != NULL)
		c.op.completed = cli_date("--date", date);
	if (c.op.summary != NULL &&
	    ct_text_check("--summary", c.op.summary, &err) < 0)
		cli_die_err(&err);
	st = cli_open_store(dir);
	c.op.today = cli_today(today, st);

	read_head(st, &c, &plan);
	if (file != NULL) {
		buf = cli_read_input("-f", file, &len);
		c.op.input_name = strcmp(file, "-") ? file : "<stdin>";
		if (!edit && ct_cmp_input_load(buf, len, c.op.input_name,
		    c.op.kind, c.casedoc, c.op.today, &c.input, &err) < 0)
			cli_die_err(&err);
	}
	if (edit) {
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
	if (asprintf(&subject, "%s %s plan reviewed", c.op.case_id, kind) < 0 ||
	    asprintf(&record_name, "cmp/%s", kind) < 0 ||
	    asprintf(&reason, "%s%s%s", c.op.reason, c.op.summary ? ": " : "",
	    c.op.summary ? c.op.summary : "") < 0)
		cli_die("out of memory");
	if (ct_text_check("the review's reason and summary", reason, &err) < 0)
		cli_die_err(&err);
	spec.subject = subject;
	spec.record = record_name;
	spec.case_id = c.op.case_id;
	spec.reason = reason;
	cli_write(st, &spec, review, &c);
	if (!(spec.flags & CT_WRITE_DRY_RUN))
		cli_print_lines(c.fields);
out:
	ct_cmp_op_clear(&c.op);
	free(c.fields);
	free(edit_fields);
	free(subject);
	free(record_name);
	free(reason);
	free(buf);
	ct_node_free(c.input);
	ct_node_free((ct_node *)c.casedoc);
	ct_node_free(plan);
	ct_store_free(st);
	return rc;
}

/*
 * authority-notice: notices of the Post-Sentence Authority about an
 * offender and SOCT's responses (VIC-AUTHORITY-NOTICE): record them, record
 * the response, list them across the store.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/case.h"
#include "casetrail/notice.h"
#include "casetrail/trailers.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_OPT_DRY_RUN,
	CLI_OPT_REASON,
	CLI_OPT_TODAY_HELP("the day taken as today (default "
	    "$CASETRAIL_TODAY,\nelse today in the store's time zone)"),
	CLI_LONG('k', "kind", "k", "add: update-request, "
	    "report-request,\nconditions-instruction or other"),
	CLI_LONG('a', "asks", "text", "add: what the Authority asks for "
	    "(one line)"),
	CLI_LONG('d', "due", "date", "add: the day the response is due"),
	CLI_LONG('r', "received", "d", "add: the day the notice came "
	    "(default today)"),
	CLI_LONG('A', "agency", "ids", "add: agencies asked to contribute "
	    "(comma-separated,\nrepeatable)"),
	CLI_LONG('R', "ref", "text", "add: the Authority's reference; "
	    "respond: the\nresponse's reference"),
	CLI_LONG('N', "notice", "id", "respond: the notice (n1, n2, ...)"),
	CLI_LONG('s', "summary", "text", "respond: what the response said "
	    "(one line)"),
	CLI_OPT_DATE_HELP("respond: the day of the response (default today)"),
	CLI_LONG('o', "open", NULL, "list: only notices without a response"),
	CLI_OPT_FORMAT_HELP("list: text (default), json or csv"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: authority-notice [-C dir] [-n] [-m reason] [--today date] add\n"
"                        --kind kind --asks text --due date\n"
"                        [--received date] [--agency agency[,agency...]]\n"
"                        [--ref ref] id\n"
"       authority-notice [-C dir] [-n] [-m reason] [--today date] respond\n"
"                        --notice notice --summary text [--date date]\n"
"                        [--ref ref] id\n"
"       authority-notice [-C dir] [--today date] list [--open]\n"
"                        [--format text|json|csv] [id...|-]\n",
	.about =
"Notices of the Post-Sentence Authority about an offender, kept by SOCT,\n"
"which \"coordinates, responds and reports on notices from the Authority\".\n"
"add: a notice received (an update-request, report-request,\n"
"conditions-instruction or other), what it asks, when the response is due\n"
"and the agencies asked to contribute.  respond: SOCT's response to it.\n"
"list: the notices of the store (or of the cases given); one without a\n"
"response after its due date is overdue (VIC-AUTHORITY-NOTICE).  One\n"
"commit per change.\n",
	.opts = opts,
	.status =
"Exit status: 0 ok; 1 list showed an overdue notice; 2 error (nothing\n"
"changed).\n",
};

struct opts {
	const char *kind, *asks, *due, *received, *ref, *notice, *summary;
	char **agencies;
	size_t nagencies;
	bool open;
	ct_commit_spec spec;
};

struct list_ctx {
	ct_date today;
	ct_rows rows;
};

static int
rows_of(const ct_node *doc, void *arg, ct_error *err)
{
	struct list_ctx *c = arg;

	return ct_notices_rows(doc, c->today, &c->rows, err);
}

/* --open: the notices not answered. */
static bool
open_only(const ct_rows *r, size_t i, void *arg)
{
	(void)arg;
	return !ct_rows_is(r, i, CT_NOTICE_COL_STATUS, "answered");
}

static int
list(struct opts *o, int argc, char **argv)
{
	static const char *const formats[] = { "text", "json", "csv", NULL };
	const char *format = cli_format("text", formats);
	struct list_ctx c = { 0 };
	ct_buf b = { 0 };
	ct_store *st;
	char **ids = NULL;
	size_t i, n = 0;
	int overdue = 0, bad;

	if (argc > 0)
		ids = cli_case_ids(argc, argv, &n);
	st = cli_open_store(cli.dir);
	c.today = cli_today(cli.today, st);
	ct_rows_init(&c.rows, &ct_notice_report);
	bad = cli_list_cases(st, ids, CT_NOTICES_REL, rows_of, &c);
	if (o->open)
		ct_rows_keep(&c.rows, open_only, NULL);
	for (i = 0; i < c.rows.n; i++)
		overdue |= ct_rows_is(&c.rows, i, CT_NOTICE_COL_STATUS,
		    "overdue");
	ct_rows_sort(&c.rows, ct_notice_order);
	ct_rows_render(&c.rows, format, &b);
	cli_put(&b);
	ct_rows_clear(&c.rows);
	ct_store_free(st);
	ct_strv_free(ids);
	return bad > 0 ? EXIT_ERROR : overdue ? EXIT_PROBLEMS : 0;
}

static void
write_one(struct opts *o, ct_notice_op *op, int argc, char **argv)
{
	ct_error err = { 0 };
	ct_store *st;
	char *subject;

	if (argc != 1 || strcmp(argv[0], "-") == 0)
		cli_usage();
	if (ct_case_id_check(argv[0], &err) < 0)
		cli_die_err(&err);
	cli_check_text("--reason", o->spec.reason);
	st = cli_open_store(cli.dir);
	op->case_id = argv[0];
	op->today = cli_today(cli.today, st);
	if (op->action == CT_NOTICE_ADD)
		op->req.received = o->received ?
		    cli_date("--received", o->received) : op->today;
	else
		op->date = cli.date ? cli_date("--date", cli.date) : op->today;
	if (asprintf(&subject, "%s Authority notice %s", op->case_id,
	    op->action == CT_NOTICE_ADD ? "recorded" : "responded to") < 0)
		cli_die("out of memory");
	o->spec.subject = subject;
	o->spec.case_id = op->case_id;
	o->spec.action = ct_notice_action_name(op->action);
	cli_write(st, &o->spec, ct_notice_apply, op);
	if (!cli.dry_run && op->id[0] != '\0')
		printf("%s\n", op->id);
	free(subject);
	ct_store_free(st);
}

static bool
notice_id_ok(const char *s)
{
	size_t i;

	if (s[0] != 'n' || s[1] < '1' || s[1] > '9')
		return false;
	for (i = 2; s[i] != '\0'; i++)
		if (!isdigit((unsigned char)s[i]) || i > 6)
			return false;
	return true;
}

static int
add(struct opts *o, int argc, char **argv)
{
	ct_notice_op op = { .action = CT_NOTICE_ADD };

	if (o->kind == NULL || o->asks == NULL || o->due == NULL)
		cli_die("add needs --kind, --asks and --due");
	op.req.kind = o->kind;
	op.req.asks = o->asks;
	op.req.due = cli_date("--due", o->due);
	op.req.agencies = o->agencies;
	op.req.ref = o->ref;
	write_one(o, &op, argc, argv);
	return 0;
}

static int
respond(struct opts *o, int argc, char **argv)
{
	ct_notice_op op = { .action = CT_NOTICE_RESPOND };

	if (o->notice == NULL || o->summary == NULL)
		cli_die("respond needs --notice and --summary");
	if (!notice_id_ok(o->notice))
		cli_die("--notice: expected a notice id such as n1 (see "
		    "authority-notice list)");
	op.notice = o->notice;
	op.summary = o->summary;
	op.ref = o->ref;
	write_one(o, &op, argc, argv);
	return 0;
}

/* The options of each command (beside -C and --today). */
static const int add_opts[] = { 'n', 'm', 'k', 'a', 'd', 'r', 'A', 'R', 0 };
static const int respond_opts[] = { 'n', 'm', 'N', 's', CLI_O_DATE, 'R', 0 };
static const int list_opts[] = { 'o', CLI_O_FORMAT, 0 };

int
main(int argc, char **argv)
{
	static const char *const cmds[] = { "add", "respond", "list", NULL };
	static const int *const allowed[] = { add_opts, respond_opts,
	    list_opts };
	struct opts o = { .spec = { .tool = "authority-notice",
	    .version = CT_VERSION, .record = "authority-notices" } };
	size_t c;
	int ch, rc;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'k': o.kind = optarg; break;
		case 'a': o.asks = optarg; break;
		case 'd': o.due = optarg; break;
		case 'r': o.received = optarg; break;
		case 'A': cli_strv_append(&o.agencies, &o.nagencies, optarg);
			break;
		case 'R': o.ref = optarg; break;
		case 'N': o.notice = optarg; break;
		case 's': o.summary = optarg; break;
		case 'o': o.open = true; break;
		default: cli_usage();
		}
	}
	cli_spec(&o.spec);
	c = cli_subcommand(&argc, &argv, cmds, allowed);
	if (c == 0)
		rc = add(&o, argc, argv);
	else if (c == 1)
		rc = respond(&o, argc, argv);
	else
		rc = list(&o, argc, argv);
	ct_strv_free(o.agencies);
	return rc;
}

/*
 * csp-update: service-delivery update requests of Coordinated Services
 * Plans (VIC-SDU): request them from agencies, record the answers, list
 * them across the store.
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
	CLI_OPT_REASON,
	CLI_OPT_TODAY_HELP("the day of the request, and of the listing "
	    "(default\n$CASETRAIL_TODAY, else today in the store's time "
	    "zone)"),
	CLI_LONG('a', "agency", "id", "request: agencies (comma-separated, "
	    "repeatable) or\nall; record: the agency answering; list: only "
	    "it"),
	CLI_LONG('v', "via", "how", "request: conference or written"),
	CLI_LONG('d', "due", "date", "request: the day the answer is due"),
	CLI_LONG('r', "received", "d", "record: the day the answer came"),
	CLI_OPT_FILE_HELP("record: the answer as YAML with "
	    "the texts delivered\nand next; - for stdin"),
	CLI_LONG('D', "delivered", "t", "record: services delivered, "
	    "previous six months"),
	CLI_LONG('N', "next", "text", "record: services and treatment "
	    "goals, next six months"),
	CLI_LONG('o', "outstanding", NULL, "list: only requests not received"),
	CLI_OPT_FORMAT_HELP("list: text (default), json or csv"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: csp-update [-C dir] [-n] [-m reason] [--today date] request\n"
"                  --agency agency[,agency...]|all... --via conference|written\n"
"                  --due date id... | -\n"
"       csp-update [-C dir] [-n] [-m reason] [--today date] record\n"
"                  --agency agency --received date\n"
"                  (-f file|- | --delivered text --next text) id\n"
"       csp-update [-C dir] [--today date] list [--outstanding]\n"
"                  [--agency agency] [--format text|json|csv]\n",
	.about =
"Service-delivery updates of Coordinated Services Plans.  request: ask each\n"
"agency named (all: the provider, else the agency, of every active\n"
"service) for the services delivered in the previous six months and those\n"
"planned, with treatment goals, for the next six, by CSP conference or\n"
"written request, due on a day; one commit per case (\"-\" reads ids from\n"
"stdin).  record: the answer to an agency's open request.  list: the\n"
"requests of every plan; one not received after its due date is overdue.\n",
	.opts = opts,
	.status =
"Exit status: 0 ok; 1 list showed an overdue request; 2 error (the\n"
"failing case and any after it are unchanged).\n",
};

struct opts {
	const char *via, *due, *received, *delivered, *next;
	char **agencies;
	size_t nagencies;
	bool outstanding;
	ct_commit_spec spec;
};

struct list_ctx {
	ct_date today;
	ct_rows sdus;
};

static int
rows_of(const ct_node *csp, void *arg, ct_error *err)
{
	struct list_ctx *c = arg;

	return ct_csp_sdus(csp, c->today, &c->sdus, err);
}

/* A request list shows: --outstanding, --agency. */
static bool
wanted(const ct_rows *r, size_t i, void *arg)
{
	const struct opts *o = arg;

	return !(o->outstanding &&
	    ct_rows_is(r, i, CT_SDU_COL_STATUS, "received")) &&
	    (o->nagencies != 1 ||
	    ct_rows_is(r, i, CT_SDU_COL_AGENCY, o->agencies[0]));
}

static int
list(struct opts *o, int argc)
{
	static const char *const formats[] = { "text", "json", "csv", NULL };
	struct list_ctx c = { 0 };
	const char *format;
	ct_buf b = { 0 };
	ct_store *st;
	size_t i;
	int overdue = 0, bad;

	if (argc != 0 || cli.dry_run || cli.reason || o->via ||
	    o->due || o->received || cli.file || o->delivered || o->next ||
	    o->nagencies > 1)
		cli_die("list takes only --outstanding, --agency, --format "
		    "and --today");
	format = cli_format("text", formats);
	st = cli_open_store(cli.dir);
	c.today = cli_today(cli.today, st);
	ct_rows_init(&c.sdus, &ct_sdu_report);
	bad = cli_list_cases(st, NULL, CT_CSP_REL, rows_of, &c);
	ct_rows_keep(&c.sdus, wanted, o);
	for (i = 0; i < c.sdus.n; i++)
		overdue |= ct_rows_is(&c.sdus, i, CT_SDU_COL_STATUS, "overdue");
	ct_rows_sort(&c.sdus, ct_sdu_order);
	ct_rows_render(&c.sdus, format, &b);
	cli_put(&b);
	ct_rows_clear(&c.sdus);
	ct_store_free(st);
	return bad > 0 ? EXIT_ERROR : overdue ? EXIT_PROBLEMS : 0;
}

static char *
subject(const char *id, void *arg)
{
	ct_csp_op *op = arg;
	char *s;

	op->case_id = id;
	if ((op->action == CT_CSP_REQUEST ? asprintf(&s, "%s service-delivery "
	    "update requested", id) : asprintf(&s, "%s service-delivery "
	    "update from %s recorded", id, op->agency)) < 0)
		return NULL;
	return s;
}

static int
write_cases(struct opts *o, ct_csp_op *op, int argc, char **argv)
{
	struct cli_each each = { subject, ct_csp_apply, NULL, op };
	ct_store *st;
	char **ids;

	ids = cli_case_ids(argc, argv, NULL);
	st = cli_open_store(cli.dir);
	op->today = cli_today(cli.today, st);
	o->spec.action = ct_csp_action_name(op->action);
	cli_each_case(st, &o->spec, ids, &each);
	ct_strv_free(ids);
	ct_store_free(st);
	return 0;
}

static int
request(struct opts *o, int argc, char **argv)
{
	ct_csp_op op = { .action = CT_CSP_REQUEST, .agencies = o->agencies,
	    .via = o->via };

	if (o->received || cli.file || o->delivered || o->next ||
	    o->outstanding || cli.format)
		cli_die("request takes --agency, --via and --due");
	if (o->nagencies == 0 || o->via == NULL || o->due == NULL)
		cli_die("request needs --agency, --via and --due");
	if (strcmp(o->via, "conference") && strcmp(o->via, "written"))
		cli_die("--via: expected conference or written, not '%s'",
		    o->via);
	if (argc < 1)
		cli_usage();
	op.due = cli_date("--due", o->due);
	return write_cases(o, &op, argc, argv);
}

static int
record(struct opts *o, int argc, char **argv)
{
	ct_csp_op op = { .action = CT_CSP_RECORD };
	char *buf = NULL, *delivered = NULL, *next = NULL;
	ct_error err = { 0 };
	size_t len;
	int rc;

	if (o->via || o->due || o->outstanding || cli.format)
		cli_die("record takes --agency, --received and -f or "
		    "--delivered and --next");
	if (o->nagencies != 1 || o->received == NULL)
		cli_die("record needs one --agency and --received");
	if ((cli.file != NULL) == (o->delivered != NULL || o->next != NULL))
		cli_die("give the answer with -f file or with --delivered and "
		    "--next");
	if (cli.file == NULL && (o->delivered == NULL || o->next == NULL))
		cli_die("--delivered and --next go together");
	if (argc != 1 || strcmp(argv[0], "-") == 0)
		cli_usage();
	op.received = cli_date("--received", o->received);
	op.agency = o->agencies[0];
	if (cli.file != NULL) {
		buf = cli_read_input("-f", cli.file, &len);
		if (ct_csp_answer_load(buf, len, cli_input_name(cli.file),
		    &delivered, &next, &err) < 0)
			cli_die_err(&err);
		op.delivered = delivered;
		op.next = next;
	} else {
		op.delivered = o->delivered;
		op.next = o->next;
	}
	rc = write_cases(o, &op, argc, argv);
	free(buf);
	free(delivered);
	free(next);
	return rc;
}

static const char *const commands[] = { "request", "record", "list", NULL };

int
main(int argc, char **argv)
{
	struct opts o = { .spec = { .tool = "csp-update",
	    .version = CT_VERSION, .record = "csp" } };
	const char *verb;
	int ch, rc;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'a': cli_strv_append(&o.agencies, &o.nagencies, optarg);
			break;
		case 'v': o.via = optarg; break;
		case 'd': o.due = optarg; break;
		case 'r': o.received = optarg; break;
		case 'D': o.delivered = optarg; break;
		case 'N': o.next = optarg; break;
		case 'o': o.outstanding = true; break;
		default: cli_usage();
		}
	}
	cli_spec(&o.spec);
	if (optind >= argc)
		cli_usage();
	verb = argv[optind++];
	cli_command(verb, commands);
	cli_check_text("--reason", cli.reason);
	if (strcmp(verb, "request") == 0)
		rc = request(&o, argc - optind, argv + optind);
	else if (strcmp(verb, "record") == 0)
		rc = record(&o, argc - optind, argv + optind);
	else
		rc = list(&o, argc - optind);
	ct_strv_free(o.agencies);
	return rc;
}

/*
 * csp-update: service-delivery update requests of Coordinated Services
 * Plans (VIC-SDU): request them from agencies, record the answers, list
 * them across the store.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "edit.h"
#include "casetrail/case.h"
#include "casetrail/csp.h"
#include "casetrail/output.h"
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
	CLI_SHORT('f', "file", "file", "record: the answer as YAML with "
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
	const char *dir, *today, *via, *due, *received, *file, *format;
	const char *delivered, *next;
	char **agencies;
	size_t nagencies;
	bool outstanding;
	ct_commit_spec spec;
};

struct list_ctx {
	ct_date today;
	ct_sdus sdus;
	int bad;
};

static int
list_case(ct_snapshot *snap, const char *id, const char *dir, void *arg,
    ct_error *unused)
{
	struct list_ctx *c = arg;
	ct_error err = { 0 };
	ct_node *csp = NULL;
	char *path;
	int rc;

	(void)unused;
	if (asprintf(&path, "%s/%s", dir, CT_CSP_REL) < 0)
		cli_die("out of memory");
	rc = ct_snapshot_load(snap, path, &csp, &err);
	if (rc == 0)
		rc = ct_csp_sdus(csp, c->today, &c->sdus, &err);
	if (rc < 0 && rc != CT_ENOTFOUND) {
		cli_warn("%s: %s", id, ct_error_msg(&err));
		c->bad++;
	}
	ct_error_clear(&err);
	ct_node_free(csp);
	free(path);
	return 0;
}

/* The text list: columns as wide as their content. */
static void
text_list(const ct_sdus *s, ct_buf *b)
{
	static const char *const head[] = { "DUE", "STATUS", "DAYS", "CASE",
	    "REQUEST", "AGENCY", "VIA", "REQUESTED", "RECEIVED" };
	char d[3][CT_DATE_BUFSZ], days[16];
	const char *cells[9];
	ct_table t;
	size_t i;

	if (s->n == 0) {
		ct_buf_puts(b, "no requests to show\n");
		return;
	}
	if (ct_table_init(&t, 9, 1u << 2))
		ct_table_add(&t, head);
	for (i = 0; i < s->n; i++) {
		const ct_sdu *u = &s->v[i];

		snprintf(days, sizeof(days), "%d", u->days);
		cells[0] = ct_date_format(u->due, d[0]);
		cells[1] = ct_sdu_status_name(u->status);
		cells[2] = days;
		cells[3] = u->case_id;
		cells[4] = u->id;
		cells[5] = u->agency;
		cells[6] = u->via;
		cells[7] = ct_date_format(u->requested, d[1]);
		cells[8] = u->status == CT_SDU_RECEIVED ?
		    ct_date_format(u->received, d[2]) : "-";
		ct_table_add(&t, cells);
	}
	ct_table_flush(&t, b);
}

static void
print_list(const ct_sdus *s, const char *format)
{
	ct_buf b = { 0 };

	if (strcmp(format, "json") == 0)
		ct_sdus_json(s, &b);
	else if (strcmp(format, "csv") == 0)
		ct_sdus_csv(s, &b);
	else
		text_list(s, &b);
	if (b.failed)
		cli_die("out of memory");
	fputs(b.s, stdout);
	ct_buf_free(&b);
	if (fflush(stdout) != 0)
		cli_die("writing output failed");
}

static int
list(struct opts *o, int argc)
{
	struct list_ctx c = { 0 };
	ct_snapshot *snap = NULL;
	ct_error err = { 0 };
	ct_store *st;
	size_t i, kept;
	int overdue = 0;

	if (argc != 0 || o->spec.flags || o->spec.reason || o->via ||
	    o->due || o->received || o->file || o->delivered || o->next ||
	    o->nagencies > 1)
		cli_die("list takes only --outstanding, --agency, --format "
		    "and --today");
	if (strcmp(o->format, "text") && strcmp(o->format, "json") &&
	    strcmp(o->format, "csv"))
		cli_die("--format: expected text, json or csv, not '%s'",
		    o->format);
	st = cli_open_store(o->dir);
	c.today = cli_today(o->today, st);
	if (ct_snapshot_open(st, NULL, &snap, &err) < 0 ||
	    ct_snapshot_each_case(snap, list_case, cli_misplaced, &c, &err) < 0)
		cli_die_err(&err);
	for (i = kept = 0; i < c.sdus.n; i++) {
		ct_sdu *u = &c.sdus.v[i];

		if ((o->outstanding && u->status == CT_SDU_RECEIVED) ||
		    (o->nagencies == 1 && strcmp(u->agency,
		    o->agencies[0]) != 0)) {
			free(u->case_id);
			free(u->id);
			free(u->agency);
			free(u->via);
			continue;
		}
		overdue |= u->status == CT_SDU_OVERDUE;
		c.sdus.v[kept++] = *u;
	}
	c.sdus.n = kept;
	ct_sdus_sort(&c.sdus);
	print_list(&c.sdus, o->format);
	ct_sdus_clear(&c.sdus);
	ct_snapshot_free(snap);
	ct_store_free(st);
	if (c.bad > 0) {
		cli_warn("%d case%s could not be read", c.bad,
		    c.bad == 1 ? "" : "s");
		return EXIT_ERROR;
	}
	return overdue ? EXIT_PROBLEMS : 0;
}

static int
write_cases(struct opts *o, ct_csp_op *op, int argc, char **argv)
{
	ct_store *st;
	char **ids, *subject;
	size_t n, i;

	ids = cli_case_ids(argc, argv, &n);
	st = cli_open_store(o->dir);
	op->today = cli_today(o->today, st);
	o->spec.action = ct_csp_action_name(op->action);
	for (i = 0; i < n; i++) {
		op->case_id = ids[i];
		if ((op->action == CT_CSP_REQUEST ? asprintf(&subject,
		    "%s service-delivery update requested", op->case_id) :
		    asprintf(&subject, "%s service-delivery update from %s "
		    "recorded", op->case_id, op->agency)) < 0)
			cli_die("out of memory");
		o->spec.subject = subject;
		o->spec.case_id = op->case_id;
		cli_write(st, &o->spec, ct_csp_apply, op);
		free(subject);
	}
	ct_strv_free(ids);
	ct_store_free(st);
	return 0;
}

static int
request(struct opts *o, int argc, char **argv)
{
	ct_csp_op op = { .action = CT_CSP_REQUEST };

	if (o->received || o->file || o->delivered || o->next ||
	    o->outstanding || o->format)
		cli_die("request takes --agency, --via and --due");
	if (o->nagencies == 0 || o->via == NULL || o->due == NULL)
		cli_die("request needs --agency, --via and --due");
	if (strcmp(o->via, "conference") && strcmp(o->via, "written"))
		cli_die("--via: expected conference or written, not '%s'",
		    o->via);
	if (argc < 1)
		cli_usage();
	op.agencies = o->agencies;
	op.via = o->via;
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

	if (o->via || o->due || o->outstanding || o->format)
		cli_die("record takes --agency, --received and -f or "
		    "--delivered and --next");
	if (o->nagencies != 1 || o->received == NULL)
		cli_die("record needs one --agency and --received");
	if ((o->file != NULL) == (o->delivered != NULL || o->next != NULL))
		cli_die("give the answer with -f file or with --delivered and "
		    "--next");
	if (o->file == NULL && (o->delivered == NULL || o->next == NULL))
		cli_die("--delivered and --next go together");
	if (argc != 1 || strcmp(argv[0], "-") == 0)
		cli_usage();
	op.received = cli_date("--received", o->received);
	op.agency = o->agencies[0];
	if (o->file != NULL) {
		buf = cli_read_input("-f", o->file, &len);
		if (ct_csp_answer_load(buf, len, strcmp(o->file, "-") ?
		    o->file : "<stdin>", &delivered, &next, &err) < 0)
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
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "reason", required_argument, NULL, 'm' },
		{ "today", required_argument, NULL, 't' },
		{ "agency", required_argument, NULL, 'a' },
		{ "via", required_argument, NULL, 'v' },
		{ "due", required_argument, NULL, 'd' },
		{ "received", required_argument, NULL, 'r' },
		{ "file", required_argument, NULL, 'f' },
		{ "delivered", required_argument, NULL, 'D' },
		{ "next", required_argument, NULL, 'N' },
		{ "outstanding", no_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .spec = { .tool = "csp-update",
	    .version = CT_VERSION, .record = "csp" } };
	ct_error err = { 0 };
	const char *cmd;
	char **parts, **grown;
	size_t k;
	int ch, rc;

	cli_init(argc, argv, usage);
	while ((ch = cli_getopt(argc, argv, "C:nm:f:", longopts)) != -1) {
		switch (ch) {
		case 'C': o.dir = optarg; break;
		case 'n': o.spec.flags |= CT_WRITE_DRY_RUN; break;
		case 'm': o.spec.reason = optarg; break;
		case 't': o.today = optarg; break;
		case 'a':
			parts = cli_split(optarg);
			for (k = 0; parts[k] != NULL; k++)
				;
			grown = realloc(o.agencies,
			    (o.nagencies + k + 1) * sizeof(*grown));
			if (grown == NULL)
				cli_die("out of memory");
			o.agencies = grown;
			memcpy(o.agencies + o.nagencies, parts,
			    (k + 1) * sizeof(*parts));
			o.nagencies += k;
			free(parts);
			break;
		case 'v': o.via = optarg; break;
		case 'd': o.due = optarg; break;
		case 'r': o.received = optarg; break;
		case 'f': o.file = optarg; break;
		case 'D': o.delivered = optarg; break;
		case 'N': o.next = optarg; break;
		case 'o': o.outstanding = true; break;
		case 'F': o.format = optarg; break;
		default: cli_usage();
		}
	}
	if (optind >= argc)
		cli_usage();
	cmd = argv[optind++];
	cli_command(cmd, commands);
	if (o.spec.reason != NULL &&
	    ct_text_check("--reason", o.spec.reason, &err) < 0)
		cli_die_err(&err);
	if (strcmp(cmd, "request") == 0)
		rc = request(&o, argc - optind, argv + optind);
	else if (strcmp(cmd, "record") == 0)
		rc = record(&o, argc - optind, argv + optind);
	else {
		if (o.format == NULL)
			o.format = "text";
		rc = list(&o, argc - optind);
	}
	ct_strv_free(o.agencies);
	return rc;
}

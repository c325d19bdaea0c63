/*
 * authority-notice: notices of the Post-Sentence Authority about an
 * offender and SOCT's responses (VIC-AUTHORITY-NOTICE): record them, record
 * the response, list them across the store.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/case.h"
#include "casetrail/notice.h"
#include "casetrail/output.h"
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
	CLI_LONG('D', "date", "date", "respond: the day of the response "
	    "(default today)"),
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

enum {
	O_DRY = 1 << 0, O_REASON = 1 << 1, O_KIND = 1 << 2, O_ASKS = 1 << 3,
	O_DUE = 1 << 4, O_RECEIVED = 1 << 5, O_AGENCY = 1 << 6,
	O_REF = 1 << 7, O_NOTICE = 1 << 8, O_SUMMARY = 1 << 9,
	O_DATE = 1 << 10, O_OPEN = 1 << 11, O_FORMAT = 1 << 12,
};

static const char *const optnames[] = {
	"-n/--dry-run", "-m/--reason", "--kind", "--asks", "--due",
	"--received", "--agency", "--ref", "--notice", "--summary", "--date",
	"--open", "--format",
};

struct opts {
	const char *dir, *today, *kind, *asks, *due, *received, *ref;
	const char *notice, *summary, *date, *format;
	char **agencies;
	size_t nagencies;
	unsigned given;
	ct_commit_spec spec;
};

struct list_ctx {
	ct_date today;
	ct_notice_rows rows;
	int bad;
};

static int
list_case(ct_snapshot *snap, const char *id, const char *dir, void *arg,
    ct_error *unused)
{
	struct list_ctx *c = arg;
	ct_error err = { 0 };
	ct_node *doc = NULL;
	char *path;
	int rc;

	(void)unused;
	if (asprintf(&path, "%s/%s", dir, CT_NOTICES_REL) < 0)
		cli_die("out of memory");
	rc = ct_snapshot_load(snap, path, &doc, &err);
	if (rc == 0)
		rc = ct_notices_rows(doc, c->today, &c->rows, &err);
	if (rc < 0 && rc != CT_ENOTFOUND) {
		cli_warn("%s: %s", id, ct_error_msg(&err));
		c->bad++;
	}
	ct_error_clear(&err);
	ct_node_free(doc);
	free(path);
	return 0;
}

/* The text list: columns as wide as their content. */
static void
text_list(const ct_notice_rows *r, ct_buf *b)
{
	static const char *const head[] = { "DUE", "STATUS", "DAYS", "CASE",
	    "NOTICE", "KIND", "RECEIVED", "RESPONDED", "ASKS" };
	char d[3][CT_DATE_BUFSZ], days[16];
	const char *cells[9];
	ct_table t;
	size_t i;

	if (r->n == 0) {
		ct_buf_puts(b, "no notices to show\n");
		return;
	}
	if (ct_table_init(&t, 9, 1u << 2))
		ct_table_add(&t, head);
	for (i = 0; i < r->n; i++) {
		const ct_notice_row *u = &r->v[i];

		snprintf(days, sizeof(days), "%d", u->days);
		cells[0] = ct_date_format(u->due, d[0]);
		cells[1] = ct_notice_status_name(u->status);
		cells[2] = days;
		cells[3] = u->case_id;
		cells[4] = u->id;
		cells[5] = u->kind;
		cells[6] = ct_date_format(u->received, d[1]);
		cells[7] = u->status == CT_NOTICE_ANSWERED ?
		    ct_date_format(u->answered, d[2]) : "-";
		cells[8] = u->asks;
		ct_table_add(&t, cells);
	}
	ct_table_flush(&t, b);
}

static void
print_list(const ct_notice_rows *r, const char *format)
{
	ct_buf b = { 0 };

	if (strcmp(format, "json") == 0)
		ct_notice_rows_json(r, &b);
	else if (strcmp(format, "csv") == 0)
		ct_notice_rows_csv(r, &b);
	else
		text_list(r, &b);
	if (b.failed)
		cli_die("out of memory");
	fputs(b.s, stdout);
	ct_buf_free(&b);
	if (fflush(stdout) != 0)
		cli_die("writing output failed");
}

static int
list(struct opts *o, int argc, char **argv)
{
	struct list_ctx c = { 0 };
	ct_snapshot *snap = NULL;
	ct_error err = { 0 };
	ct_store *st;
	char **ids = NULL, *cdir;
	size_t i, n = 0;
	int overdue = 0;

	if (strcmp(o->format, "text") && strcmp(o->format, "json") &&
	    strcmp(o->format, "csv"))
		cli_die("--format: expected text, json or csv, not '%s'",
		    o->format);
	if (argc > 0)
		ids = cli_case_ids(argc, argv, &n);
	st = cli_open_store(o->dir);
	c.today = cli_today(o->today, st);
	if (ct_snapshot_open(st, NULL, &snap, &err) < 0)
		cli_die_err(&err);
	if (ids == NULL) {
		if (ct_snapshot_each_case(snap, list_case, cli_misplaced, &c,
		    &err) < 0)
			cli_die_err(&err);
	}
	for (i = 0; i < n; i++) {
		if (ct_case_dir(ids[i], &cdir, &err) < 0)
			cli_die_err(&err);
		if (!ct_snapshot_is_dir(snap, cdir))
			cli_no_case(snap, ids[i]);
		list_case(snap, ids[i], cdir, &c, &err);
		free(cdir);
	}
	for (i = c.rows.n; i > 0; i--)
		if ((o->given & O_OPEN) &&
		    c.rows.v[i - 1].status == CT_NOTICE_ANSWERED)
			ct_notice_rows_drop(&c.rows, i - 1);
	for (i = 0; i < c.rows.n; i++)
		overdue |= c.rows.v[i].status == CT_NOTICE_OVERDUE;
	ct_notice_rows_sort(&c.rows);
	print_list(&c.rows, o->format);
	ct_notice_rows_clear(&c.rows);
	ct_snapshot_free(snap);
	ct_store_free(st);
	ct_strv_free(ids);
	if (c.bad > 0) {
		cli_warn("%d case%s could not be read", c.bad,
		    c.bad == 1 ? "" : "s");
		return EXIT_ERROR;
	}
	return overdue ? EXIT_PROBLEMS : 0;
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
	if (o->spec.reason != NULL &&
	    ct_text_check("--reason", o->spec.reason, &err) < 0)
		cli_die_err(&err);
	st = cli_open_store(o->dir);
	op->case_id = argv[0];
	op->today = cli_today(o->today, st);
	if (op->action == CT_NOTICE_ADD)
		op->req.received = o->received ?
		    cli_date("--received", o->received) : op->today;
	else
		op->date = o->date ? cli_date("--date", o->date) : op->today;
	if (asprintf(&subject, "%s Authority notice %s", op->case_id,
	    op->action == CT_NOTICE_ADD ? "recorded" : "responded to") < 0)
		cli_die("out of memory");
	o->spec.subject = subject;
	o->spec.case_id = op->case_id;
	o->spec.action = ct_notice_action_name(op->action);
	cli_write(st, &o->spec, ct_notice_apply, op);
	if (!(o->given & O_DRY) && op->id[0] != '\0')
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

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "reason", required_argument, NULL, 'm' },
		{ "today", required_argument, NULL, 't' },
		{ "kind", required_argument, NULL, 'k' },
		{ "asks", required_argument, NULL, 'a' },
		{ "due", required_argument, NULL, 'd' },
		{ "received", required_argument, NULL, 'r' },
		{ "agency", required_argument, NULL, 'A' },
		{ "ref", required_argument, NULL, 'R' },
		{ "notice", required_argument, NULL, 'N' },
		{ "summary", required_argument, NULL, 's' },
		{ "date", required_argument, NULL, 'D' },
		{ "open", no_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const cmds[] = { "add", "respond", "list", NULL };
	static const unsigned allowed[] = {	/* the options of each */
		O_DRY | O_REASON | O_KIND | O_ASKS | O_DUE | O_RECEIVED |
		    O_AGENCY | O_REF,
		O_DRY | O_REASON | O_NOTICE | O_SUMMARY | O_DATE | O_REF,
		O_OPEN | O_FORMAT,
	};
	struct opts o = { .format = "text", .spec = { .tool =
	    "authority-notice", .version = CT_VERSION,
	    .record = "authority-notices" } };
	const char *cmd;
	char **parts, **grown;
	size_t c, k;
	int ch, rc;

	cli_init(argc, argv, usage);
	while ((ch = cli_getopt(argc, argv, "C:nm:", longopts)) != -1) {
		switch (ch) {
		case 'C': o.dir = optarg; break;
		case 'n':
			o.spec.flags |= CT_WRITE_DRY_RUN;
			o.given |= O_DRY;
			break;
		case 'm': o.spec.reason = optarg; o.given |= O_REASON; break;
		case 't': o.today = optarg; break;
		case 'k': o.kind = optarg; o.given |= O_KIND; break;
		case 'a': o.asks = optarg; o.given |= O_ASKS; break;
		case 'd': o.due = optarg; o.given |= O_DUE; break;
		case 'r': o.received = optarg; o.given |= O_RECEIVED; break;
		case 'A':
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
			o.given |= O_AGENCY;
			break;
		case 'R': o.ref = optarg; o.given |= O_REF; break;
		case 'N': o.notice = optarg; o.given |= O_NOTICE; break;
		case 's': o.summary = optarg; o.given |= O_SUMMARY; break;
		case 'D': o.date = optarg; o.given |= O_DATE; break;
		case 'o': o.given |= O_OPEN; break;
		case 'F': o.format = optarg; o.given |= O_FORMAT; break;
		default: cli_usage();
		}
	}
	if (optind >= argc)
		cli_usage();
	c = cli_command(argv[optind++], cmds);
	cmd = cmds[c];
	for (k = 0; k < sizeof(optnames) / sizeof(optnames[0]); k++)
		if ((o.given & (1u << k)) && !(allowed[c] & (1u << k)))
			cli_die("%s is not an option of %s", optnames[k], cmd);
	argc -= optind;
	argv += optind;
	if (c == 0)
		rc = add(&o, argc, argv);
	else if (c == 1)
		rc = respond(&o, argc, argv);
	else
		rc = list(&o, argc, argv);
	ct_strv_free(o.agencies);
	return rc;
}

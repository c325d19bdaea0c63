/*
 * disclose-log: the register of information use and disclosure under s 284
 * of the Serious Offenders Act 2018 (Vic), rule VIC-S284: add entries,
 * list them, verify the history, and report on one case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "casetrail/case.h"
#include "casetrail/disclosure.h"
#include "casetrail/output.h"
#include "casetrail/trailers.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_SHORT('n', "dry-run", NULL, "add: print the entries, commit "
	    "nothing"),
	CLI_OPT_REASON_HELP("add: the Reason trailer of each commit"),
	CLI_LONG('t', "to", "r", "the recipient: a registered operator or "
	    "agency id\n(operator:id or agency:id if both); list: "
	    "the\nrecipient or the recipient's agency"),
	CLI_LONG('p', "purpose", "p", "the s 284 purpose"),
	CLI_LONG('i', "info", "text", "what was disclosed, described "
	    "(never the\ninformation itself)"),
	CLI_LONG('g', "grounds", "text", "risk-reduction: the reasonable "
	    "grounds"),
	CLI_LONG('M', "means", "m", "verbal, written, electronic or meeting"),
	CLI_LONG('r', "ref", "text", "a reference, e.g. a MAP meeting or "
	    "CSP version"),
	CLI_LONG(CLI_O_DATE, "date", "d", "when: a day (stored as "
	    "00:00:00Z) or an RFC 3339\ndate-time; default now"),
	CLI_LONG('s', "since", "x", "list: from day or date-time x; "
	    "verify: only the\ncommits after revision x"),
	CLI_LONG('u', "until", "x", "list: up to day or date-time x"),
	CLI_OPT_FORMAT_HELP("text (default), json, or csv (list only)"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: disclose-log [-C dir] [-n] [-m reason] add id...|- --to recipient\n"
"                    --purpose purpose --info text [--grounds text]\n"
"                    [--means means] [--ref ref] [--date date]\n"
"       disclose-log [-C dir] list [id...|-] [--since date] [--until date]\n"
"                    [--purpose purpose] [--to recipient]\n"
"                    [--format text|json|csv]\n"
"       disclose-log [-C dir] verify [--since rev]\n"
"       disclose-log [-C dir] report id [--format text|json]\n",
	.about =
"The register of uses and disclosures of information under s 284 of the\n"
"Serious Offenders Act 2018 (Vic).  add records one entry and one commit\n"
"per case (\"-\" reads ids from stdin); it refuses a recipient or discloser\n"
"who is not a registered relevant person (of a MAP member agency or a\n"
"service funded by one) and a purpose s 284 does not list.  Entries are\n"
"never changed: verify walks the history and reports every entry changed,\n"
"removed, or added without matching Purpose and Case trailers or to a\n"
"recipient who was not a relevant person at the time.\n"
"\n"
"Purposes: report, application, csp, service-delivery,\n"
"offender-management, risk-reduction (needs --grounds).\n",
	.opts = opts,
	.status =
"Exit status: 0 ok; 1 verify or report found problems in the history;\n"
"2 error (nothing changed).\n",
	.width = 23,
};

struct opts {
	const char *since, *until;
	ct_disclosure_req req;
};

struct add_arg {
	const char *id;
	const ct_disclosure_req *req;
	char *path;
};

static int
add_fn(ct_txn *txn, void *arg, ct_error *err)
{
	struct add_arg *a = arg;

	free(a->path);
	a->path = NULL;
	return ct_disclosure_add(txn, a->id, a->req, &a->path, err);
}

static long long
when(const char *opt, const char *s, bool end)
{
	ct_error err = { 0 };
	long long t;
	bool day;

	if (ct_timestamp_parse(s, &t, &day, &err) < 0)
		cli_die("%s: %s", opt, ct_error_msg(&err));
	return day && end ? t + 86399 : t;
}

static char *
subject(const char *id, void *arg)
{
	struct add_arg *a = arg;
	char *s;

	a->id = id;
	return asprintf(&s, "%s disclosed to %s for %s", id, a->req->to,
	    a->req->purpose) < 0 ? NULL : s;
}

static void
added(const char *id, void *arg)
{
	struct add_arg *a = arg;

	(void)id;
	if (!cli.dry_run && a->path != NULL)
		printf("%s\n", a->path);
}

static int
add(struct opts *o, int argc, char **argv)
{
	ct_commit_spec spec = { .tool = "disclose-log", .version = CT_VERSION,
	    .record = "disclosure", .action = "add",
	    .purpose = o->req.purpose };
	struct add_arg a = { .req = &o->req };
	struct cli_each each = { subject, add_fn, added, &a };
	char day[CT_DATE_BUFSZ];
	ct_error err = { 0 };
	ct_snapshot *snap;
	ct_store *st;
	char **ids;
	size_t i, n;

	cli_spec(&spec);
	cli_check_text("--to", o->req.to);
	cli_check_text("--reason", spec.reason);
	if (ct_disclosure_check(&o->req, &err) < 0)
		cli_die_err(&err);
	ids = cli_case_ids(argc, argv, &n);
	st = cli_open_store(cli.dir);
	o->req.at = cli.date != NULL ? when("--date", cli.date, false) :
	    (long long)time(NULL);
	if (o->req.at / 86400 > cli_today(NULL, st))
		cli_die("--date: %s is after today (%s)", cli.date,
		    ct_date_format(cli_today(NULL, st), day));
	/* every case is checked before the first commit */
	if (ct_snapshot_open(st, NULL, &snap, &err) < 0)
		cli_die_err(&err);
	for (i = 0; i < n; i++)
		if (ct_disclosure_case_check(snap, ids[i], &err) < 0)
			cli_die_err(&err);
	ct_snapshot_free(snap);
	cli_each_case(st, &spec, ids, &each);
	free(a.path);
	ct_strv_free(ids);
	ct_store_free(st);
	return 0;
}

static int
list(struct opts *o, int argc, char **argv)
{
	static const char *const formats[] = { "text", "json", "csv", NULL };
	ct_disclosure_filter f = { .purpose = o->req.purpose, .to = o->req.to };
	ct_disclosures d = { 0 };
	ct_rows rows;
	ct_error err = { 0 };
	ct_snapshot *snap;
	ct_buf out = { 0 };
	ct_store *st;
	const char *format = cli_format("text", formats);
	char **ids = NULL;
	size_t i, n = 0;

	if (f.purpose != NULL && ct_purpose_find(f.purpose) == NULL)
		cli_die("--purpose: unknown purpose '%s'", f.purpose);
	if ((f.has_since = o->since != NULL))
		f.since = when("--since", o->since, false);
	if ((f.has_until = o->until != NULL))
		f.until = when("--until", o->until, true);
	if (argc > 0)
		ids = cli_case_ids(argc, argv, &n);
	st = cli_open_store(cli.dir);
	if (ct_snapshot_open(st, NULL, &snap, &err) < 0)
		cli_die_err(&err);
	for (i = 0; i < (ids != NULL ? n : 1); i++)
		if (ct_disclosures_load(snap, ids != NULL ? ids[i] : NULL, &d,
		    &err) < 0)
			cli_die_err(&err);
	ct_disclosures_filter(&d, &f);
	ct_rows_init(&rows, &ct_disclosure_list);
	ct_disclosures_rows(&d, &rows);
	ct_rows_render(&rows, format, &out);
	ct_rows_clear(&rows);
	cli_put(&out);
	ct_disclosures_clear(&d);
	ct_snapshot_free(snap);
	ct_store_free(st);
	ct_strv_free(ids);
	return 0;
}

static int
verify(struct opts *o, int argc)
{
	ct_audit_stats s;
	ct_error err = { 0 };
	ct_store *st;

	if (argc != 0)
		cli_usage();
	st = cli_open_store(cli.dir);
	if (ct_disclosure_verify(st, o->since, NULL, cli_print_audit, NULL, &s,
	    &err) < 0)
		cli_die_err(&err);
	ct_store_free(st);
	cli_warn("verify: %zu commit%s, %zu entr%s added, %zu problem%s",
	    s.commits, s.commits == 1 ? "" : "s", s.added, s.added == 1 ?
	    "y" : "ies", s.problems, s.problems == 1 ? "" : "s");
	return s.problems > 0 ? EXIT_PROBLEMS : 0;
}

static int
report(int argc, char **argv)
{
	static const char *const formats[] = { "text", "json", NULL };
	ct_error err = { 0 };
	bool json;
	ct_buf out = { 0 };
	ct_store *st;
	size_t problems;

	if (argc != 1)
		cli_usage();
	json = strcmp(cli_format("text", formats), "json") == 0;
	if (ct_case_id_check(argv[0], &err) < 0)
		cli_die_err(&err);
	st = cli_open_store(cli.dir);
	if (ct_disclosure_report(st, argv[0], json, &out, &problems,
	    &err) < 0)
		cli_die_err(&err);
	fputs(out.s, stdout);
	ct_buf_free(&out);
	ct_store_free(st);
	return problems > 0 ? EXIT_PROBLEMS : 0;
}

/* The options of each command (beside -C). */
static const int add_opts[] = { 'n', 'm', 't', 'p', 'i', 'g', 'M', 'r',
    CLI_O_DATE, 0 };
static const int list_opts[] = { 's', 'u', 'p', 't', CLI_O_FORMAT, 0 };
static const int verify_opts[] = { 's', 0 };
static const int report_opts[] = { CLI_O_FORMAT, 0 };

int
main(int argc, char **argv)
{
	static const char *const cmds[] = { "add", "list", "verify",
	    "report", NULL };
	static const int *const allowed[] = { add_opts, list_opts,
	    verify_opts, report_opts };
	struct opts o = { 0 };
	size_t c;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 't': o.req.to = optarg; break;
		case 'p': o.req.purpose = optarg; break;
		case 'i': o.req.info = optarg; break;
		case 'g': o.req.grounds = optarg; break;
		case 'M': o.req.means = optarg; break;
		case 'r': o.req.ref = optarg; break;
		case 's': o.since = optarg; break;
		case 'u': o.until = optarg; break;
		default: cli_usage();
		}
	}
	c = cli_subcommand(&argc, &argv, cmds, allowed);
	switch (c) {
	case 0: return add(&o, argc, argv);
	case 1: return list(&o, argc, argv);
	case 2: return verify(&o, argc);
	default: return report(argc, argv);
	}
}

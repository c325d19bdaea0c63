/*
 * disclose-log: the register of information use and disclosure under s 284
 * of the Serious Offenders Act 2018 (Vic), rule VIC-S284: add entries,
 * list them, verify the history, and report on one case.
 */
#include <getopt.h>
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
	CLI_LONG('d', "date", "d", "when: a day (stored as 00:00:00Z) or "
	    "an RFC 3339\ndate-time; default now"),
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

enum {
	O_DRY = 1 << 0, O_REASON = 1 << 1, O_TO = 1 << 2, O_PURPOSE = 1 << 3,
	O_INFO = 1 << 4, O_GROUNDS = 1 << 5, O_MEANS = 1 << 6, O_REF = 1 << 7,
	O_DATE = 1 << 8, O_SINCE = 1 << 9, O_UNTIL = 1 << 10,
	O_FORMAT = 1 << 11,
};

static const char *const optnames[] = {
	"-n/--dry-run", "-m/--reason", "--to", "--purpose", "--info",
	"--grounds", "--means", "--ref", "--date", "--since", "--until",
	"--format",
};

struct opts {
	const char *dir, *reason, *date, *since, *until, *format;
	ct_disclosure_req req;
	unsigned given;
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

static int
add(struct opts *o, int argc, char **argv)
{
	ct_commit_spec spec = { .tool = "disclose-log", .version = CT_VERSION,
	    .record = "disclosure", .action = "add", .reason = o->reason,
	    .purpose = o->req.purpose };
	struct add_arg a = { .req = &o->req };
	char **ids, *subject, day[CT_DATE_BUFSZ];
	ct_error err = { 0 };
	ct_snapshot *snap;
	ct_store *st;
	size_t i, n;

	if (o->req.to != NULL && ct_text_check("--to", o->req.to, &err) < 0)
		cli_die_err(&err);
	if ((o->reason != NULL && ct_text_check("--reason", o->reason,
	    &err) < 0) || ct_disclosure_check(&o->req, &err) < 0)
		cli_die_err(&err);
	ids = cli_case_ids(argc, argv, &n);
	st = cli_open_store(o->dir);
	if (o->date == NULL)
		o->req.at = (long long)time(NULL);
	else if (ct_timestamp_parse(o->date, &o->req.at, NULL, &err) < 0)
		cli_die("--date: %s", ct_error_msg(&err));
	else if (o->req.at / 86400 > cli_today(NULL, st))
		cli_die("--date: %s is after today (%s)", o->date,
		    ct_date_format(cli_today(NULL, st), day));
	/* every case is checked before the first commit */
	if (ct_snapshot_open(st, NULL, &snap, &err) < 0)
		cli_die_err(&err);
	for (i = 0; i < n; i++)
		if (ct_disclosure_case_check(snap, ids[i], &err) < 0)
			cli_die_err(&err);
	ct_snapshot_free(snap);
	if (o->given & O_DRY)
		spec.flags |= CT_WRITE_DRY_RUN;
	for (i = 0; i < n; i++) {
		a.id = spec.case_id = ids[i];
		if (asprintf(&subject, "%s disclosed to %s for %s", ids[i],
		    o->req.to, o->req.purpose) < 0)
			cli_die("out of memory");
		spec.subject = subject;
		cli_write(st, &spec, add_fn, &a);
		if (!(o->given & O_DRY) && a.path != NULL)
			printf("%s\n", a.path);
		free(subject);
	}
	free(a.path);
	ct_strv_free(ids);
	ct_store_free(st);
	return 0;
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

static int
list(struct opts *o, int argc, char **argv)
{
	ct_disclosure_filter f = { .purpose = o->req.purpose, .to = o->req.to };
	ct_disclosures d = { 0 };
	ct_error err = { 0 };
	ct_snapshot *snap;
	ct_buf out = { 0 };
	ct_store *st;
	char **ids = NULL;
	size_t i, n = 0;

	if (strcmp(o->format, "text") && strcmp(o->format, "json") &&
	    strcmp(o->format, "csv"))
		cli_die("--format: expected text, json or csv, not '%s'",
		    o->format);
	if (f.purpose != NULL && ct_purpose_find(f.purpose) == NULL)
		cli_die("--purpose: unknown purpose '%s'", f.purpose);
	if ((f.has_since = o->since != NULL))
		f.since = when("--since", o->since, false);
	if ((f.has_until = o->until != NULL))
		f.until = when("--until", o->until, true);
	if (argc > 0)
		ids = cli_case_ids(argc, argv, &n);
	st = cli_open_store(o->dir);
	if (ct_snapshot_open(st, NULL, &snap, &err) < 0)
		cli_die_err(&err);
	for (i = 0; i < (ids != NULL ? n : 1); i++)
		if (ct_disclosures_load(snap, ids != NULL ? ids[i] : NULL, &d,
		    &err) < 0)
			cli_die_err(&err);
	ct_disclosures_filter(&d, &f);
	if (strcmp(o->format, "json") == 0)
		ct_disclosures_json(&d, &out);
	else if (strcmp(o->format, "csv") == 0)
		ct_disclosures_csv(&d, &out);
	else
		ct_disclosures_text(&d, &out);
	if (out.failed)
		cli_die("out of memory");
	fputs(out.s, stdout);
	ct_buf_free(&out);
	ct_disclosures_clear(&d);
	ct_snapshot_free(snap);
	ct_store_free(st);
	ct_strv_free(ids);
	return 0;
}

static int
print_problem(const ct_audit_item *it, void *arg, ct_error *err)
{
	ct_buf b = { 0 };

	(void)arg;
	(void)err;
	if (it->kind == CT_AUDIT_ADDED)
		return 0;
	ct_buf_printf(&b, "%s ", it->commit);
	ct_text_safe(&b, it->path);
	ct_buf_puts(&b, ": ");
	ct_text_safe(&b, it->what);
	ct_buf_putc(&b, '\n');
	if (b.failed)
		cli_die("out of memory");
	fputs(b.s, stdout);
	ct_buf_free(&b);
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
	st = cli_open_store(o->dir);
	if (ct_disclosure_verify(st, o->since, NULL, print_problem, NULL, &s,
	    &err) < 0)
		cli_die_err(&err);
	ct_store_free(st);
	fprintf(stderr, "%s: verify: %zu commit%s, %zu entr%s added, %zu "
	    "problem%s\n", cli_prog, s.commits, s.commits == 1 ? "" : "s",
	    s.added, s.added == 1 ? "y" : "ies", s.problems,
	    s.problems == 1 ? "" : "s");
	return s.problems > 0 ? EXIT_PROBLEMS : 0;
}

static int
report(struct opts *o, int argc, char **argv)
{
	ct_error err = { 0 };
	ct_buf out = { 0 };
	ct_store *st;
	size_t problems;

	if (argc != 1)
		cli_usage();
	if (strcmp(o->format, "text") && strcmp(o->format, "json"))
		cli_die("--format: expected text or json, not '%s'", o->format);
	if (ct_case_id_check(argv[0], &err) < 0)
		cli_die_err(&err);
	st = cli_open_store(o->dir);
	if (ct_disclosure_report(st, argv[0], strcmp(o->format, "json") == 0,
	    &out, &problems, &err) < 0)
		cli_die_err(&err);
	fputs(out.s, stdout);
	ct_buf_free(&out);
	ct_store_free(st);
	return problems > 0 ? EXIT_PROBLEMS : 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "reason", required_argument, NULL, 'm' },
		{ "to", required_argument, NULL, 't' },
		{ "purpose", required_argument, NULL, 'p' },
		{ "info", required_argument, NULL, 'i' },
		{ "grounds", required_argument, NULL, 'g' },
		{ "means", required_argument, NULL, 'M' },
		{ "ref", required_argument, NULL, 'r' },
		{ "date", required_argument, NULL, 'd' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const cmds[] = {
		"add", "list", "verify", "report", NULL
	};
	static const unsigned allowed[] = {	/* the options of each */
		O_DRY | O_REASON | O_TO | O_PURPOSE | O_INFO | O_GROUNDS |
		    O_MEANS | O_REF | O_DATE,
		O_SINCE | O_UNTIL | O_PURPOSE | O_TO | O_FORMAT,
		O_SINCE,
		O_FORMAT,
	};
	struct opts o = { .format = "text" };
	const char *cmd;
	size_t c, k;
	int ch;

	cli_init(argc, argv, usage);
	while ((ch = cli_getopt(argc, argv, "C:nm:", longopts)) != -1) {
		switch (ch) {
		case 'C': o.dir = optarg; break;
		case 'n': o.given |= O_DRY; break;
		case 'm': o.reason = optarg; o.given |= O_REASON; break;
		case 't': o.req.to = optarg; o.given |= O_TO; break;
		case 'p': o.req.purpose = optarg; o.given |= O_PURPOSE; break;
		case 'i': o.req.info = optarg; o.given |= O_INFO; break;
		case 'g': o.req.grounds = optarg; o.given |= O_GROUNDS; break;
		case 'M': o.req.means = optarg; o.given |= O_MEANS; break;
		case 'r': o.req.ref = optarg; o.given |= O_REF; break;
		case 'd': o.date = optarg; o.given |= O_DATE; break;
		case 's': o.since = optarg; o.given |= O_SINCE; break;
		case 'u': o.until = optarg; o.given |= O_UNTIL; break;
		case 'f': o.format = optarg; o.given |= O_FORMAT; break;
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
	switch (c) {
	case 0: return add(&o, argc, argv);
	case 1: return list(&o, argc, argv);
	case 2: return verify(&o, argc);
	default: return report(&o, argc, argv);
	}
}

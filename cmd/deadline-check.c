/*
 * deadline-check: every due, overdue and upcoming obligation of a store.
 *
 * The library does the work: the snapshot --as-of names (asof.h), the
 * evaluation and its cache (evaluate.h), which findings are shown
 * (filter.h), the --explain notes (latenote.h) and the report (report.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/asof.h"
#include "casetrail/case.h"
#include "casetrail/evaluate.h"
#include "casetrail/filter.h"
#include "casetrail/latenote.h"
#include "casetrail/queue.h"
#include "casetrail/report.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_OPT_TODAY_HELP("evaluate as of this day (default $CASETRAIL_TODAY,"
	    "\nelse today in the store's time zone)"),
	CLI_LONG('w', "within", "days", "how far ahead to look (default 30)"),
	CLI_LONG('c', "case", "id", "only this case (repeatable; - reads ids "
	    "from stdin)"),
	CLI_LONG('r', "rule", "id", "only this rule (repeatable)"),
	CLI_LONG('s', "status", "s", "only findings of this status; all: "
	    "every finding"),
	CLI_OPT_FORMAT_HELP("text (default), json, csv or ics"),
	CLI_LONG('b', "bom", NULL, "csv: begin with a UTF-8 byte order mark, "
	    "for\nspreadsheets that need one to read UTF-8"),
	CLI_LONG('F', "fail-on", "w", "overdue: exit 1 when a finding shown is "
	    "overdue\n(the default for text); never: exit 0 (the\ndefault for "
	    "json, csv and ics)"),
	CLI_LONG('a', "as-of", "x", "the store as it was at a commit (rev), or "
	    "at the end\nof a day (date); today defaults to that day"),
	CLI_LONG('x', "explain", NULL, "show how each due date was computed, "
	    "and note an\nobligation met by an entry recorded (received,\nelse "
	    "committed) after the due date"),
	CLI_LONG('M', "manager", "op", "work queue: the cases this operator "
	    "manages"),
	CLI_LONG('A', "agency", "id", "work queue: what this agency is asked "
	    "for, and the\ncases of its managers"),
	CLI_LONG('T', "team", "team", "work queue: the cases of this team's "
	    "managers"),
	CLI_LONG('R', "role", "role", "work queue: the plans waiting for this "
	    "approving\nrole"),
	CLI_LONG('S', "summary", NULL, "counts by rule and status, by manager "
	    "and by agency\n(text, json or csv) instead of the findings"),
	CLI_LONG('K', "color", "[=when]", "text: the status in colour: auto "
	    "(the default: on a\nterminal, unless NO_COLOR is set or TERM is "
	    "dumb),\nalways (--color alone) or never"),
	CLI_SHORT('j', NULL, "jobs", "evaluate on this many threads (default: "
	    "the number\nof processors, at most 8); the output is the same"),
	CLI_LONG('N', "no-cache", NULL, "evaluate every case, neither reading "
	    "nor writing\nthe evaluation cache"),
	CLI_LONG('Z', "stats", NULL, "say on standard error how many cases "
	    "came from the\ncache and how many were evaluated"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: deadline-check [-C dir] [--today date] [--within days]\n"
"                      [--case id|-] [--rule id]\n"
"                      [--status overdue|due|upcoming|met|met-late|info|all]\n"
"                      [--format text|json|csv|ics] [--bom]\n"
"                      [--fail-on overdue|never] [--as-of date|rev]\n"
"                      [--explain] [--color[=auto|always|never]]\n"
"                      [--manager op] [--agency id] [--team team]\n"
"                      [--role role]\n"
"                      [--summary]\n"
"                      [-j jobs] [--no-cache] [--stats]\n",
	.about =
"Evaluate the store's deadline rules (rules/deadlines.yaml) for every case\n"
"in one snapshot and print one finding per obligation: case, rule, anchor,\n"
"due date, status and days left.  By default: everything overdue, and\n"
"everything not yet met that falls due within 30 days, sorted by due date\n"
"then case id.\n",
	.opts = opts,
	.status =
"Exit status: 0 success, 1 a finding shown is overdue and --fail-on\n"
"overdue is in force (the default for text), 2 error.\n",
};

/* The options and the run. */
struct dc {
	const char *format, *asof, *color, *fail_on;
	char **case_args;		/* --case */
	size_t ncases;
	int jobs;
	bool explain, bom, summary, cache, stats, fail;
	ct_filter filter;		/* --status, --within, --rule, queue */
	ct_queue queue;			/* the work queue options */
	ct_rules *r;			/* the findings' rules */
	ct_evaluator *ev;
	ct_findings findings;		/* only those to be shown */
	bool overdue;			/* a finding shown is overdue */
	int bad;			/* records that could not be read */
};

static void
option(struct dc *d, int ch)
{
	static const char *const statuses[] = { "overdue", "due", "upcoming",
	    "met", "met-late", "info", "deferred", "waived", "all", NULL };
	static const char *const fail_on[] = { "overdue", "never", NULL };
	static const char *const colors[] = { "auto", "always", "never", NULL };

	switch (ch) {
	case 'j':
		d->jobs = cli_number("-j", optarg, 1, 64,
		    "a number of threads from 1 to 64");
		break;
	case 'w':
		d->filter.within = cli_number("--within", optarg, 0, 36600,
		    "a number of days");
		break;
	case 'c': cli_strv_push(&d->case_args, &d->ncases, optarg); break;
	case 'r':
		cli_strv_push(&d->filter.rules, &d->filter.nrules, optarg);
		break;
	case 's':
		cli_choice("--status", optarg, statuses);
		d->filter.status = strcmp(optarg, "all") == 0 ? CT_FILTER_ALL :
		    ct_status_parse(optarg);
		break;
	case 'a': d->asof = optarg; break;
	case 'x': d->explain = true; break;
	case 'M': d->queue.manager = optarg; break;
	case 'A': d->queue.agency = optarg; break;
	case 'R': d->queue.role = optarg; break;
	case 'T': d->queue.team = optarg; break;
	case 'S': d->summary = true; break;
	case 'b': d->bom = true; break;
	case 'N': d->cache = false; break;
	case 'Z': d->stats = true; break;
	case 'F':
		d->fail_on = fail_on[cli_choice("--fail-on", optarg, fail_on)];
		break;
	case 'K':
		d->color = colors[cli_choice("--color", optarg != NULL ?
		    optarg : "always", colors)];
		break;
	default: cli_usage();
	}
}

/* The options, checked; the case ids asked for, or NULL for all. */
static char **
parse(struct dc *d, int argc, char **argv)
{
	static const char *const formats[] = { "text", "json", "csv", "ics",
	    NULL };
	char **cases = NULL;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1)
		option(d, ch);
	if (optind != argc)
		cli_usage();
	d->format = cli_format("text", formats);
	if (d->bom && strcmp(d->format, "csv") != 0)
		cli_die("--bom: only with --format csv");
	if (d->summary && strcmp(d->format, "ics") == 0)
		cli_die("--summary: text, json or csv, not ics");
	/* people read text and act on its exit status; a script that
	 * exports wants 0 unless it asks: an overdue finding is data */
	if (d->fail_on != NULL)
		d->fail = strcmp(d->fail_on, "overdue") == 0;
	else
		d->fail = strcmp(d->format, "text") == 0;
	if (d->case_args != NULL)
		cases = cli_case_ids((int)d->ncases, d->case_args, &d->ncases);
	free(d->case_args);
	d->filter.queue = &d->queue;
	return cases;
}

static int
found_case(const char *id, ct_findings *fs, const ct_error *failed,
    void *arg)
{
	struct dc *d = arg;
	size_t from = d->findings.n;

	if (failed != NULL) {
		cli_warn("%s: %s", id, ct_error_msg(failed));
		d->bad++;
	}
	if (ct_findings_move(&d->findings, fs) < 0)
		cli_die("out of memory");
	d->overdue |= ct_filter_keep(&d->filter, &d->findings, from);
	return 0;
}

/* A case directory outside the layout: reported and skipped. */
static int
misplaced_case(ct_snapshot *snap, const char *dir, const char *why, void *arg,
    ct_error *err)
{
	struct dc *d = arg;

	d->bad++;
	return cli_misplaced(snap, dir, why, arg, err);
}

/* Every case of snap as of today, or those asked for in their order:
 * d->findings. */
static void
evaluate(struct dc *d, ct_snapshot *snap, ct_date today, char *const *cases)
{
	ct_findings fs = { 0 };
	ct_error err = { 0 };
	char *dir;

	if (ct_snapshot_rules(snap, &d->r, &err) < 0)
		cli_die_err(&err);
	if (ct_filter_check(&d->filter, d->r, &err) < 0)
		cli_die("--rule: %s", ct_error_msg(&err));
	if (ct_evaluator_new(snap, d->r, today, &d->ev, &err) < 0 ||
	    (d->cache && ct_evaluator_use_cache(d->ev, &err) < 0) ||
	    ct_queue_open(&d->queue, snap, &err) < 0)
		cli_die_err(&err);
	ct_evaluator_filter(d->ev, ct_filter_early, &d->filter);
	if (cases == NULL && ct_evaluator_each_case(d->ev, d->jobs, found_case,
	    misplaced_case, d, &err) < 0)
		cli_die_err(&err);
	for (; cases != NULL && *cases != NULL; cases++) {
		dir = cli_case_dir(snap, *cases);
		found_case(*cases, &fs, ct_evaluator_case(d->ev, dir, &fs,
		    &err) < 0 ? &err : NULL, d);
		ct_findings_clear(&fs);
		ct_error_clear(&err);
		free(dir);
	}
	ct_findings_sort(&d->findings);
}

static void
print(const struct dc *d, ct_date today)
{
	ct_buf out = { .sink = cli_stdout };
	ct_report_opts o = { .format = d->format, .summary = d->summary,
	    .explain = d->explain, .color = cli_use_color(d->color),
	    .bom = d->bom, .stamp = today };

	ct_findings_report(&d->findings, &o, &out);
	cli_put_stream(&out);
}

int
main(int argc, char **argv)
{
	struct dc d = { .color = "auto", .cache = true,
	    .filter = { .status = CT_FILTER_DEFAULT, .within = -1 } };
	ct_snapshot *snap;
	ct_error err = { 0 };
	ct_store *st;
	ct_date today;
	char **cases;
	size_t ncached, nevaluated;

	cases = parse(&d, argc, argv);
	ct_init_report_reads();
	st = cli_open_store(cli.dir);
	if (ct_asof_open(st, "--as-of", d.asof, &snap, &today, &err) < 0)
		cli_die_err(&err);
	/* --as-of: today is its day, unless --today says otherwise */
	if (d.asof == NULL || cli.today != NULL)
		today = cli_today(cli.today, st);
	evaluate(&d, snap, today, cases);
	if (d.explain && ct_findings_note_late(st, &d.findings, &err) < 0)
		cli_die_err(&err);
	print(&d, today);
	ct_findings_clear(&d.findings);
	ct_evaluator_counts(d.ev, &ncached, &nevaluated);
	if (d.stats)
		fprintf(stderr, "%s: %zu cases from cache, %zu evaluated\n",
		    cli_prog, ncached, nevaluated);
	ct_queue_clear(&d.queue);
	ct_evaluator_free(d.ev);
	ct_rules_free(d.r);
	ct_snapshot_free(snap);
	ct_store_free(st);
	ct_strv_free(cases);
	free(d.filter.rules);
	if (d.bad > 0) {
		cli_warn("%d case%s could not be evaluated", d.bad,
		    d.bad == 1 ? "" : "s");
		return EXIT_ERROR;
	}
	return d.fail && d.overdue ? EXIT_PROBLEMS : 0;
}

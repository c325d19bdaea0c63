/*
 * deadline-check: every due, overdue and upcoming obligation of a store.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "casetrail/case.h"
#include "casetrail/evaluate.h"
#include "casetrail/queue.h"
#include "casetrail/receipt.h"
#include "casetrail/report.h"
#include "casetrail/summary.h"

static const char usage[] =
"usage: deadline-check [-C dir] [--today date] [--within days]\n"
"                      [--case id|-] [--rule id]\n"
"                      [--status overdue|due|upcoming|met|met-late|info|all]\n"
"                      [--format text|json|csv|ics] [--bom]\n"
"                      [--fail-on overdue|never] [--as-of date|rev]\n"
"                      [--explain] [--color[=auto|always|never]]\n"
"                      [--manager op] [--agency id] [--team team]\n"
"                      [--role role]\n"
"                      [--summary]\n"
"                      [-j jobs] [--no-cache] [--stats]\n"
"\n"
"Evaluate the store's deadline rules (rules/deadlines.yaml) for every case\n"
"in one snapshot and print one finding per obligation: case, rule, anchor,\n"
"due date, status and days left.  By default: everything overdue, and\n"
"everything not yet met that falls due within 30 days, sorted by due date\n"
"then case id.\n"
"\n"
"  -C dir             the store (default $CASETRAIL_STORE, else .)\n"
"      --today date   evaluate as of this day (default $CASETRAIL_TODAY,\n"
"                     else today in the store's time zone)\n"
"      --within days  how far ahead to look (default 30)\n"
"      --case id      only this case (repeatable; - reads ids from stdin)\n"
"      --rule id      only this rule (repeatable)\n"
"      --status s     only findings of this status; all: every finding\n"
"      --format f     text (default), json, csv or ics\n"
"      --bom          csv: begin with a UTF-8 byte order mark, for\n"
"                     spreadsheets that need one to read UTF-8\n"
"      --fail-on w    overdue: exit 1 when a finding shown is overdue\n"
"                     (the default for text); never: exit 0 (the\n"
"                     default for json, csv and ics)\n"
"      --as-of x      the store as it was at a commit (rev), or at the end\n"
"                     of a day (date); today defaults to that day\n"
"      --explain      show how each due date was computed, and note an\n"
"                     obligation met by an entry recorded (received,\n"
"                     else committed) after the due date\n"
"      --manager op   work queue: the cases this operator manages\n"
"      --agency id    work queue: what this agency is asked for, and the\n"
"                     cases of its managers\n"
"      --team team    work queue: the cases of this team's managers\n"
"      --role role    work queue: the plans waiting for this approving\n"
"                     role\n"
"      --summary      counts by rule and status, by manager and by agency\n"
"                     (text, json or csv) instead of the findings\n"
"      --color[=when] text: the status in colour: auto (the default: on a\n"
"                     terminal, unless NO_COLOR is set or TERM is dumb),\n"
"                     always (--color alone) or never\n"
"  -j jobs            evaluate on this many threads (default: the number\n"
"                     of processors, at most 8); the output is the same\n"
"      --no-cache     evaluate every case, neither reading nor writing\n"
"                     the evaluation cache\n"
"      --stats        say on standard error how many cases came from the\n"
"                     cache and how many were evaluated\n"
"  -h, --help         show this help\n"
"      --version      print the version\n"
"\n"
"Exit status: 0 success, 1 a finding shown is overdue and --fail-on\n"
"overdue is in force (the default for text), 2 error.\n";

struct ctx {
	ct_evaluator *ev;
	ct_findings findings;     /* only those to be shown */
	int status, within;       /* --status, --within */
	char **rules;             /* --rule, n of them */
	size_t nrules;
	ct_queue queue;           /* --manager, --agency, --role */
	bool overdue;             /* a finding shown is overdue */
	int bad;                  /* records that could not be read */
};

static bool
wanted(const ct_finding *f, int status, int within)
{
	if (status == -2)           /* all */
		return within < 0 || f->days <= within;
	if (status >= 0) {
		/* met: on time or late; met-late: late only */
		if ((int)f->status != status && !(status == CT_STATUS_MET &&
		    ct_status_met(f->status)))
			return false;
		return within < 0 || f->status == CT_STATUS_OVERDUE ||
		    ct_status_met(f->status) || f->days <= within;
	}
	/* default: overdue, and what is not met within the window; a
	 * deferral when it ends within it, never a waiver */
	if (f->status == CT_STATUS_OVERDUE)
		return true;
	if (ct_status_met(f->status) || f->status == CT_STATUS_WAIVED)
		return false;
	if (f->status == CT_STATUS_DEFERRED)
		return f->exception_until - (f->due - f->days) <=
		    (within < 0 ? 30 : within);  /* due - days: today */
	return f->days >= 0 && f->days <= (within < 0 ? 30 : within);
}

/* --rule: one of the rules asked for (all when none is). */
static bool
rule_asked(const struct ctx *c, const ct_finding *f)
{
	size_t j;

	for (j = 0; j < c->nrules; j++)
		if (strcmp(c->rules[j], ct_rule_id(f->rule)) == 0)
			return true;
	return c->nrules == 0;
}

/* What the evaluator may drop before a finding reaches keep_from (its
 * strings are not there yet: no work queue test).  Runs on the worker
 * threads: it only reads. */
static bool
prefilter(const ct_finding *f, void *arg)
{
	const struct ctx *c = arg;

	return wanted(f, c->status, c->within) && rule_asked(c, f);
}

/*
 * Of the findings from index from on, keep only those to be shown.  Done
 * after each case, so the met findings of a large store and their
 * explanations are never all held at once.
 */
static void
keep_from(struct ctx *c, size_t from)
{
	size_t i, kept = from;

	for (i = from; i < c->findings.n; i++) {
		ct_finding *f = &c->findings.v[i];
		bool keep = prefilter(f, c) && ct_queue_has(&c->queue, f);

		if (!keep) {
			ct_finding_clear(f);
			continue;
		}
		c->overdue |= f->status == CT_STATUS_OVERDUE;
		c->findings.v[kept++] = *f;
	}
	c->findings.n = kept;
}

static int
found_case(const char *id, ct_findings *fs, const ct_error *failed,
    void *arg)
{
	struct ctx *c = arg;
	size_t from = c->findings.n;

	if (failed != NULL) {
		cli_warn("%s: %s", id, ct_error_msg(failed));
		c->bad++;
	}
	if (ct_findings_move(&c->findings, fs) < 0)
		cli_die("out of memory");
	keep_from(c, from);
	return 0;
}

static void
eval_case(struct ctx *c, const char *id, const char *dir)
{
	ct_findings fs = { 0 };
	ct_error err = { 0 };

	found_case(id, &fs, ct_evaluator_case(c->ev, dir, &fs, &err) < 0 ?
	    &err : NULL, c);
	ct_findings_clear(&fs);
	ct_error_clear(&err);
}

/* A case directory outside the layout: reported and skipped. */
static int
misplaced_case(ct_snapshot *snap, const char *dir, const char *why, void *arg,
    ct_error *err)
{
	struct ctx *c = arg;

	c->bad++;
	return cli_misplaced(snap, dir, why, arg, err);
}

static int
to_stdout(const char *s, size_t n, void *arg)
{
	(void)arg;
	return fwrite(s, 1, n, stdout) == n ? 0 : -1;
}

/* NNNN-NN-NN: meant as a date, so a bad one is a date error, not an
 * unknown revision. */
static bool
looks_like_date(const char *s)
{
	size_t i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return false;
	return s[10] == '\0';
}

/*
 * --explain: an obligation met by an entry that was recorded after its
 * due date (received, by its receipt, else committed) was reported
 * overdue by every run in between; say so.  The entry is found by its
 * date among the dated entries of the case's history; of several on that
 * date the earliest recorded counts, so the note is never given when an
 * entry of that date was recorded in time.
 */
static void
note_late(ct_store *st, ct_finding *f, const ct_case_recorded *c)
{
	char due[CT_DATE_BUFSZ], on[CT_DATE_BUFSZ], met[CT_DATE_BUFSZ];
	char *note;
	ct_date day;
	size_t i;

	for (i = 0; i < c->n && c->v[i].date != f->met_on; i++)
		;
	if (i == c->n || (day = ct_receipt_day(ct_store_timezone(st),
	    c->v[i].when)) <= f->due)
		return;
	ct_date_format(day, on);
	ct_date_format(f->met_on, met);
	if (asprintf(&note, "%s; met by an entry dated %s that was recorded "
	    "(%s) on %s, after the due date: a run from %s until then "
	    "reported it overdue", f->explain, met, c->v[i].received ?
	    "received" : "committed", on, ct_date_format(f->due + 1, due)) < 0)
		cli_die("out of memory");
	if (ct_finding_unpack(f) < 0)
		cli_die("out of memory");
	free(f->explain);
	f->explain = note;
}

static int
by_case(const void *a, const void *b)
{
	const ct_finding *x = *(ct_finding *const *)a;
	const ct_finding *y = *(ct_finding *const *)b;

	return strcmp(x->case_id, y->case_id);
}

/* The met findings, case by case; the cases' recordings from one walk of
 * the history. */
static void
explain_late(ct_store *st, ct_findings *fs)
{
	ct_case_recorded *cases;
	ct_finding **byc;
	ct_receipts *rs;
	ct_error err = { 0 };
	size_t i, j, n = 0, ncases = 0;

	if ((byc = calloc(fs->n + 1, sizeof(*byc))) == NULL ||
	    (cases = calloc(fs->n + 1, sizeof(*cases))) == NULL)
		cli_die("out of memory");
	for (i = 0; i < fs->n; i++)
		if (ct_status_met(fs->v[i].status) && fs->v[i].met_known)
			byc[n++] = &fs->v[i];
	qsort(byc, n, sizeof(*byc), by_case);
	/* the ids copied: note_late unpacks a finding, which frees the
	 * packed strings its case_id pointed into */
	for (i = 0; i < n; i++)
		if ((ncases == 0 || strcmp(cases[ncases - 1].case_id,
		    byc[i]->case_id) != 0) &&
		    (cases[ncases++].case_id = strdup(byc[i]->case_id)) == NULL)
			cli_die("out of memory");
	if (ncases > 0) {
		if (ct_receipts_open(st, NULL, &rs, &err) < 0 ||
		    ct_receipt_recorded(st, rs, cases, ncases, &err) < 0)
			cli_die_err(&err);
		ct_receipts_free(rs);
	}
	for (i = j = 0; i < n; i++) {
		while (strcmp(cases[j].case_id, byc[i]->case_id) != 0)
			j++;
		note_late(st, byc[i], &cases[j]);
	}
	for (i = 0; i < ncases; i++) {
		free(cases[i].v);
		free((char *)cases[i].case_id);
	}
	free(cases);
	free(byc);
}

/* --color: always, never, or auto: only on a terminal, and not when
 * NO_COLOR is set and not empty (no-color.org) or TERM is dumb. */
static bool
use_color(const char *when)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (strcmp(when, "always") == 0)
		return true;
	if (strcmp(when, "never") == 0)
		return false;
	return isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0') &&
	    (term == NULL || strcmp(term, "dumb") != 0);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "today", required_argument, NULL, 't' },
		{ "within", required_argument, NULL, 'w' },
		{ "case", required_argument, NULL, 'c' },
		{ "rule", required_argument, NULL, 'r' },
		{ "status", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "explain", no_argument, NULL, 'x' },
		{ "bom", no_argument, NULL, 'b' },
		{ "fail-on", required_argument, NULL, 'F' },
		{ "color", optional_argument, NULL, 'K' },
		{ "manager", required_argument, NULL, 'M' },
		{ "agency", required_argument, NULL, 'A' },
		{ "role", required_argument, NULL, 'R' },
		{ "team", required_argument, NULL, 'T' },
		{ "summary", no_argument, NULL, 'S' },
		{ "no-cache", no_argument, NULL, 'N' },
		{ "stats", no_argument, NULL, 'Z' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *today = NULL, *format = "text", *asof = NULL;
	const char *fail_on = NULL, *color = "auto";
	char **case_args = NULL, **cases = NULL, **rules = NULL, *end, *cdir;
	size_t ncases = 0, nrules = 0, i;
	int ch, within = -1, status = -1, jobs = 0;
	bool explain = false, bom = false, summary = false, fail, cache = true;
	bool stats = false;
	size_t ncached, nevaluated;
	struct ctx c = { 0 };
	ct_snapshot *snap = NULL;
	ct_date today_d;
	ct_error err = { 0 };
	ct_rules *r = NULL;
	ct_store *st;
	ct_date asof_date;
	long v;

	cli_init(argc, argv, usage);
	while ((ch = cli_getopt(argc, argv, "C:j:", longopts)) != -1) {
		switch (ch) {
		case 'C': dir = optarg; break;
		case 'j':
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v < 1 || v > 64)
				cli_die("-j: expected a number of threads from 1 "
				    "to 64, not '%s'", optarg);
			jobs = (int)v;
			break;
		case 't': today = optarg; break;
		case 'w':
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v < 0 || v > 36600)
				cli_die("--within: expected a number of days, "
				    "not '%s'", optarg);
			within = (int)v;
			break;
		case 'c':
			case_args = realloc(case_args,
			    (ncases + 1) * sizeof(*case_args));
			if (case_args == NULL)
				cli_die("out of memory");
			case_args[ncases++] = optarg;
			break;
		case 'r':
			rules = realloc(rules, (nrules + 1) * sizeof(*rules));
			if (rules == NULL)
				cli_die("out of memory");
			rules[nrules++] = optarg;
			break;
		case 's':
			status = strcmp(optarg, "all") == 0 ? -2 :
			    ct_status_parse(optarg);
			if (status == -1)
				cli_die("--status: expected overdue, due, "
				    "upcoming, met, met-late, info, deferred, "
				    "waived or all, not '%s'", optarg);
			break;
		case 'f': format = optarg; break;
		case 'a': asof = optarg; break;
		case 'x': explain = true; break;
		case 'M': c.queue.manager = optarg; break;
		case 'A': c.queue.agency = optarg; break;
		case 'R': c.queue.role = optarg; break;
		case 'T': c.queue.team = optarg; break;
		case 'S': summary = true; break;
		case 'b': bom = true; break;
		case 'N': cache = false; break;
		case 'Z': stats = true; break;
		case 'F':
			if (strcmp(optarg, "overdue") != 0 &&
			    strcmp(optarg, "never") != 0)
				cli_die("--fail-on: expected overdue or never, "
				    "not '%s'", optarg);
			fail_on = optarg;
			break;
		case 'K':
			color = optarg != NULL ? optarg : "always";
			if (strcmp(color, "auto") && strcmp(color, "always") &&
			    strcmp(color, "never"))
				cli_die("--color: expected auto, always or "
				    "never, not '%s'", color);
			break;
		default: cli_usage();
		}
	}
	if (optind != argc)
		cli_usage();
	if (strcmp(format, "text") && strcmp(format, "json") &&
	    strcmp(format, "csv") && strcmp(format, "ics"))
		cli_die("--format: expected text, json, csv or ics, not '%s'",
		    format);
	if (bom && strcmp(format, "csv") != 0)
		cli_die("--bom: only with --format csv");
	if (summary && strcmp(format, "ics") == 0)
		cli_die("--summary: text, json or csv, not ics");
	/* people read text and act on its exit status; a script that
	 * exports wants 0 unless it asks: an overdue finding is data */
	fail = fail_on != NULL ? strcmp(fail_on, "overdue") == 0 :
	    strcmp(format, "text") == 0;
	if (case_args != NULL)
		cases = cli_case_ids((int)ncases, case_args, &ncases);
	free(case_args);
	st = cli_open_store(dir);
	today_d = 0;
	if (asof != NULL && looks_like_date(asof)) {
		int64_t t;

		asof_date = cli_date("--as-of", asof);
		if (ct_date_end_of_day(ct_store_timezone(st), asof_date, &t,
		    &err) < 0 ||
		    ct_snapshot_open_at(st, (long long)t, &snap, &err) < 0)
			cli_die_err(&err);
		today_d = today ? cli_today(today, st) : asof_date;
	} else {
		if (ct_snapshot_open(st, asof, &snap, &err) < 0)
			cli_die_err(&err);
		if (asof != NULL && today == NULL) {
			if (ct_date_today(ct_store_timezone(st),
			    ct_snapshot_time(snap), &today_d, &err) < 0)
				cli_die_err(&err);
		} else
			today_d = cli_today(today, st);
	}
	if (ct_snapshot_rules(snap, &r, &err) < 0)
		cli_die_err(&err);
	for (i = 0; i < nrules; i++)
		if (ct_rules_find(r, rules[i]) == NULL)
			cli_die("--rule: no rule '%s' in %s", rules[i],
			    CT_RULES_PATH);
	if (ct_evaluator_new(snap, r, today_d, &c.ev, &err) < 0 ||
	    (cache && ct_evaluator_use_cache(c.ev, &err) < 0))
		cli_die_err(&err);
	if (ct_queue_open(&c.queue, snap, &err) < 0)
		cli_die_err(&err);
	c.status = status;
	c.within = within;
	c.rules = rules;
	c.nrules = nrules;
	ct_evaluator_filter(c.ev, prefilter, &c);
	if (cases == NULL) {
		if (ct_evaluator_each_case(c.ev, jobs, found_case,
		    misplaced_case, &c, &err) < 0)
			cli_die_err(&err);
	} else {
		for (i = 0; i < ncases; i++) {
			if (ct_case_dir(cases[i], &cdir, &err) < 0)
				cli_die_err(&err);
			if (!ct_snapshot_is_dir(snap, cdir))
				cli_no_case(snap, cases[i]);
			eval_case(&c, cases[i], cdir);
			free(cdir);
		}
	}
	ct_findings_sort(&c.findings);
	if (explain)
		explain_late(st, &c.findings);
	{
		ct_buf out = { .sink = to_stdout };

		if (summary) {
			if (bom)
				ct_buf_puts(&out, "\xef\xbb\xbf");
			ct_findings_summary(&c.findings, format, &out);
		} else if (strcmp(format, "text") == 0)
			ct_findings_text(&c.findings, explain, use_color(color),
			    &out);
		else if (strcmp(format, "json") == 0)
			ct_findings_json(&c.findings, &out);
		else if (strcmp(format, "csv") == 0) {
			if (bom)
				ct_buf_puts(&out, "\xef\xbb\xbf");
			ct_findings_csv(&c.findings, explain, &out);
		}
		else
			ct_findings_ics(&c.findings, today_d, &out);
		ct_buf_flush(&out, true);
		if (out.failed)
			cli_die("writing the report failed");
		ct_buf_free(&out);
	}
	if (fflush(stdout) != 0)
		cli_die("writing output failed");
	ct_findings_clear(&c.findings);
	ct_evaluator_counts(c.ev, &ncached, &nevaluated);
	if (stats)
		fprintf(stderr, "%s: %zu cases from cache, %zu evaluated\n",
		    cli_prog, ncached, nevaluated);
	ct_queue_clear(&c.queue);
	ct_evaluator_free(c.ev);
	ct_rules_free(r);
	ct_snapshot_free(snap);
	ct_store_free(st);
	ct_strv_free(cases);
	free(rules);
	if (c.bad > 0) {
		cli_warn("%d case%s could not be evaluated", c.bad,
		    c.bad == 1 ? "" : "s");
		return EXIT_ERROR;
	}
	return fail && c.overdue ? EXIT_PROBLEMS : 0;
}

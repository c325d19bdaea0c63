/*
 * compliance-report: for each month or quarter, the obligations that fell
 * due and how they stood at its end, from the store as it was then.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/compliance.h"
#include "casetrail/evaluate.h"
#include "casetrail/pack.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_LONG('f', "from", "date", "the first period is the one holding "
	    "this day\n(default: eleven periods before --to)"),
	CLI_LONG('t', "to", "date", "the last period is the one holding "
	    "this day\n(default $CASETRAIL_TODAY, else today)"),
	CLI_LONG('b', "by", "p", "month (default) or quarter"),
	CLI_LONG('r', "rule", "id", "only this rule (repeatable)"),
	CLI_OPT_FORMAT_HELP("html (default), csv or json"),
	CLI_SHORT('o', "out", "file", "write to file (a regular file "
	    "outside the store,\nchecked as csp-pack checks it), else "
	    "standard\noutput"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: compliance-report [-C dir] [--from date] [--to date]\n"
"                         [--by month|quarter] [--rule id]...\n"
"                         [--format html|csv|json] [-o file]\n",
	.about =
"For each period, each rule's obligations that fell due in it and how\n"
"they stood at its end: met on time, met late, overdue, open, deferred or\n"
"waived, and the share met on time; and the service-delivery requests by\n"
"the agency asked.  Each period is computed from the store as it was at\n"
"the end of its last day, by the rules it held then, so every figure can\n"
"be reproduced from the history (deadline-check as of that day).  HTML\n"
"(self-contained, printable, with charts), CSV or JSON.  Progress on\n"
"standard error.\n",
	.opts = opts,
	.status =
"Exit status: 0 ok, 2 error.\n",
};

struct ctx {
	ct_evaluator *ev;
	ct_findings fs;
	char **rules;
	size_t nrules;
	int bad;
};

static int
eval_case(ct_snapshot *snap, const char *id, const char *dir, void *arg,
    ct_error *unused)
{
	struct ctx *c = arg;
	ct_error err = { 0 };

	(void)snap;
	(void)unused;
	if (ct_evaluator_case(c->ev, dir, &c->fs, &err) < 0) {
		cli_warn("%s: %s", id, ct_error_msg(&err));
		ct_error_clear(&err);
		c->bad++;
	}
	return 0;
}

/* Keep only the findings of the --rule rules. */
static void
only_rules(struct ctx *c)
{
	size_t i, j, kept = 0;

	for (i = 0; i < c->fs.n; i++) {
		for (j = 0; j < c->nrules; j++)
			if (strcmp(c->rules[j], ct_rule_id(c->fs.v[i].rule)) ==
			    0)
				break;
		if (c->nrules == 0 || j < c->nrules)
			c->fs.v[kept++] = c->fs.v[i];
		else
			ct_finding_clear(&c->fs.v[i]);
	}
	c->fs.n = kept;
}

/* One period: the store at the end of its last day, evaluated then. */
static void
period(ct_store *st, ct_cc_period *p, struct ctx *c)
{
	ct_snapshot *snap = NULL;
	ct_rules *r = NULL;
	ct_error err = { 0 };
	int64_t t;
	int rc;

	if (ct_date_end_of_day(ct_store_timezone(st), p->end, &t, &err) < 0)
		cli_die_err(&err);
	rc = ct_snapshot_open_at(st, (long long)t, &snap, &err);
	if (rc == CT_ENOTFOUND) {
		p->before_store = true;
		ct_error_clear(&err);
		return;
	}
	if (rc < 0 || ct_snapshot_rules(snap, &r, &err) < 0 ||
	    ct_evaluator_new(snap, r, p->end, &c->ev, &err) < 0 ||
	    ct_snapshot_each_case(snap, eval_case, cli_misplaced, c,
	    &err) < 0)
		cli_die_err(&err);
	only_rules(c);
	if (ct_compliance_count(p, &c->fs, &err) < 0)
		cli_die_err(&err);
	ct_findings_clear(&c->fs);
	ct_evaluator_free(c->ev);
	c->ev = NULL;
	ct_rules_free(r);
	ct_snapshot_free(snap);
}

static void
write_out(const ct_compliance *cc, const char *format, const char *out,
    ct_store *st)
{
	ct_buf b = { 0 };
	ct_error err = { 0 };

	ct_compliance_write(cc, format, "Compliance over time", &b);
	if (b.failed)
		cli_die("out of memory");
	if (out == NULL) {
		if (fwrite(b.s, 1, b.len, stdout) != b.len ||
		    fflush(stdout) != 0)
			cli_die("writing the report failed");
	} else if (ct_pack_write(st, out, b.s, b.len, &err) < 0)
		cli_die("-o: %s", ct_error_msg(&err));
	ct_buf_free(&b);
}

int
main(int argc, char **argv)
{
	static const char *const formats[] = { "html", "csv", "json", NULL };
	const char *from = NULL, *to = NULL, *format;
	const char *out = NULL;
	bool quarters = false;
	struct ctx c = { 0 };
	ct_compliance cc;
	ct_error err = { 0 };
	ct_date tod, fromd;
	ct_store *st;
	size_t i;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'o': out = optarg; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'b':
			if (strcmp(optarg, "month") && strcmp(optarg, "quarter"))
				cli_die("--by: expected month or quarter, not "
				    "'%s'", optarg);
			quarters = strcmp(optarg, "quarter") == 0;
			break;
		case 'r':
			if ((c.rules = realloc(c.rules, (c.nrules + 1) *
			    sizeof(*c.rules))) == NULL)
				cli_die("out of memory");
			c.rules[c.nrules++] = optarg;
			break;
		default: cli_usage();
		}
	}
	if (optind != argc)
		cli_usage();
	format = cli_format("html", formats);
	st = cli_open_store(cli.dir);
	tod = cli_today(to, st);
	fromd = from != NULL ? cli_date("--from", from) :
	    ct_date_add_months(tod, quarters ? -33 : -11);
	if (ct_compliance_init(&cc, fromd, tod, quarters, &err) < 0)
		cli_die_err(&err);
	for (i = 0; i < cc.n; i++) {
		char name[32];

		fprintf(stderr, "%s: %s (%zu of %zu)\n", cli_prog,
		    ct_cc_period_name(&cc, &cc.v[i], name), i + 1, cc.n);
		period(st, &cc.v[i], &c);
	}
	write_out(&cc, format, out, st);
	ct_compliance_clear(&cc);
	ct_store_free(st);
	free(c.rules);
	return c.bad > 0 ? EXIT_ERROR : 0;
}

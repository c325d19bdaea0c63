/*
 * rules-impact: what another revision's rules and calendars (a proposed
 * rule, a newly gazetted holiday) would do to the store's obligations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/case.h"
#include "casetrail/evaluate.h"
#include "casetrail/impact.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_OPT_TODAY_HELP("evaluate as of this day (default "
	    "$CASETRAIL_TODAY,\nelse today in the store's time zone)"),
	CLI_LONG('c', "case", "id", "only this case (repeatable)"),
	CLI_OPT_FORMAT_HELP("text (default), json or csv"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: rules-impact [-C dir] [--today date] [--case id]...\n"
"                    [--format text|json|csv] rev\n",
	.about =
"Evaluate the store's cases (at HEAD) under its rules and calendars and\n"
"under those of rev (a branch with a proposed rule, a newly gazetted\n"
"holiday), and list what would change: obligations new or gone, due\n"
"dates moved, statuses changed, with counts.  Nothing is changed: the\n"
"change itself goes through store-policy like any other.\n",
	.opts = opts,
	.status =
"Exit status: 0 nothing would change, 1 something would, 2 error.\n",
};

struct side {
	ct_evaluator *ev;
	ct_findings fs;
	int bad;
};

static int
eval_case(ct_snapshot *snap, const char *id, const char *dir, void *arg,
    ct_error *unused)
{
	struct side *s = arg;
	ct_error err = { 0 };

	(void)snap;
	(void)unused;
	if (ct_evaluator_case(s->ev, dir, &s->fs, &err) < 0) {
		cli_warn("%s: %s", id, ct_error_msg(&err));
		ct_error_clear(&err);
		s->bad++;
	}
	return 0;
}

/* Evaluate the cases of head (all, or ids) into s. */
static void
evaluate(ct_snapshot *head, char **ids, size_t nids, struct side *s)
{
	ct_error err = { 0 };
	char *dir;
	size_t i;

	if (nids == 0) {
		if (ct_snapshot_each_case(head, eval_case, cli_misplaced, s,
		    &err) < 0)
			cli_die_err(&err);
		return;
	}
	for (i = 0; i < nids; i++) {
		if (ct_case_dir(ids[i], &dir, &err) < 0)
			cli_die_err(&err);
		if (!ct_snapshot_is_dir(head, dir))
			cli_no_case(head, ids[i]);
		eval_case(head, ids[i], dir, s, &err);
		free(dir);
	}
}

int
main(int argc, char **argv)
{
	static const char *const formats[] = { "text", "json", "csv", NULL };
	const char *format;
	char **ids = NULL;
	size_t nids = 0;
	struct side now = { 0 }, then = { 0 };
	ct_snapshot *head, *rev;
	ct_rules *rn, *rt;
	ct_impacts im;
	ct_error err = { 0 };
	ct_buf out = { 0 };
	ct_store *st;
	ct_date d;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'c':
			if ((ids = realloc(ids, (nids + 1) * sizeof(*ids))) ==
			    NULL)
				cli_die("out of memory");
			ids[nids++] = optarg;
			break;
		default: cli_usage();
		}
	}
	if (argc - optind != 1)
		cli_usage();
	format = cli_format("text", formats);
	st = cli_open_store(cli.dir);
	d = cli_today(cli.today, st);
	if (ct_snapshot_open(st, NULL, &head, &err) < 0 ||
	    ct_snapshot_open(st, argv[optind], &rev, &err) < 0 ||
	    ct_snapshot_rules(head, &rn, &err) < 0 ||
	    ct_snapshot_rules(rev, &rt, &err) < 0 ||
	    ct_evaluator_new(head, rn, d, &now.ev, &err) < 0 ||
	    ct_evaluator_new_cal(head, rt, rev, d, &then.ev, &err) < 0)
		cli_die_err(&err);
	evaluate(head, ids, nids, &now);
	evaluate(head, ids, nids, &then);
	if (ct_impact_diff(&now.fs, &then.fs, &im, &err) < 0)
		cli_die_err(&err);
	ct_impacts_write(&im, format, &out);
	if (out.failed || fwrite(out.s, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0)
		cli_die("writing the report failed");
	ch = now.bad + then.bad > 0 ? EXIT_ERROR : im.n > 0 ? EXIT_PROBLEMS : 0;
	ct_buf_free(&out);
	ct_impacts_clear(&im);
	ct_findings_clear(&now.fs);
	ct_findings_clear(&then.fs);
	ct_evaluator_free(now.ev);
	ct_evaluator_free(then.ev);
	ct_rules_free(rn);
	ct_rules_free(rt);
	ct_snapshot_free(rev);
	ct_snapshot_free(head);
	ct_store_free(st);
	free(ids);
	return ch;
}

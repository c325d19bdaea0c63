/*
 * assess-add: record an assessment on a case; the LSI-R (Level of Service
 * Inventory - Revised) is scored and banded as it is recorded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "edit.h"
#include "casetrail/assess.h"
#include "casetrail/case.h"
#include "casetrail/trailers.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_OPT_DRY_RUN,
	CLI_OPT_REASON,
	CLI_OPT_TODAY_HELP("today (default $CASETRAIL_TODAY, else today in "
	    "the\nstore's time zone); --date may not be later"),
	CLI_OPT_DATE_HELP("the day the assessment was completed"),
	CLI_OPT_FILE_HELP("the items (and comments), YAML; - "
	    "for stdin"),
	CLI_LONG('i', "items", "items", "the 54 items as one string of 0 "
	    "and 1, in item order"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: assess-add [-C dir] [-n] [-m reason] [--today date] --date date\n"
"                  -f file|- | --items items id lsi-r\n",
	.about =
"Record an LSI-R of the case, completed on --date, in\n"
"cases/<xx>/<id>/assessments/<date>-lsi-r.yaml: its 54 items scored 0 or\n"
"1, the ten subscale scores, the total and the risk band under the\n"
"store's cut-offs (rules/lsi-r-bands.yaml).  One commit.  The case's risk\n"
"rating is not changed: record a change with case-event\n"
"risk-rating-changed.\n",
	.opts = opts,
	.status =
"Exit status: 0 ok, 2 error (nothing changed).\n",
};

/* assess-add's transaction, then the subject with the score. */
static int
record(ct_txn *txn, void *arg, ct_error *err)
{
	ct_assess_op *op = arg;
	char d[CT_DATE_BUFSZ], *subject;
	int rc;

	if ((rc = ct_assess_apply(txn, op, err)) < 0)
		return rc;
	if (asprintf(&subject, "%s LSI-R of %s: total %d, %s", op->case_id,
	    ct_date_format(op->date, d), op->score.total, op->score.band) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	rc = ct_txn_set_subject(txn, subject, err);
	free(subject);
	return rc;
}

static void
print_score(const ct_assess_op *op)
{
	char d[CT_DATE_BUFSZ];
	int i;

	printf("%s LSI-R of %s: total %d of %d, %s (%d-%d)\n", op->case_id,
	    ct_date_format(op->date, d), op->score.total, CT_LSIR_ITEMS,
	    op->score.band, op->score.min, op->score.max);
	for (i = 0; i < CT_LSIR_SUBSCALES; i++)
		printf("  %-24s %2d of %2d\n", ct_lsir_subscales[i].title,
		    op->score.scores[i], ct_lsir_subscales[i].items);
}

int
main(int argc, char **argv)
{
	ct_commit_spec spec = { .tool = "assess-add", .version = CT_VERSION,
	    .action = "add" };
	ct_assess_op op = { 0 };
	char *items = NULL, *comments = NULL, *buf = NULL, *record_name = NULL;
	char *subject = NULL;
	char d[CT_DATE_BUFSZ];
	ct_error err = { 0 };
	ct_store *st;
	size_t len;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'i':
			if ((items = strdup(optarg)) == NULL)
				cli_die("out of memory");
			break;
		default: cli_usage();
		}
	}
	cli_spec(&spec);
	if (argc - optind != 2)
		cli_usage();
	op.case_id = argv[optind];
	if (ct_case_id_check(op.case_id, &err) < 0)
		cli_die_err(&err);
	if (strcmp(argv[optind + 1], "lsi-r") != 0)
		cli_die("unknown assessment '%s' (the tools know lsi-r)",
		    argv[optind + 1]);
	if (cli.date == NULL)
		cli_die("--date is required");
	op.date = cli_date("--date", cli.date);
	if ((cli.file == NULL) == (items == NULL))
		cli_die("give the items with -f file, -f - or --items");
	cli_check_text("--reason", spec.reason);
	if (items != NULL && ct_lsir_items_check(items, "--items", &err) < 0)
		cli_die_err(&err);
	if (cli.file != NULL) {
		buf = cli_read_input("-f", cli.file, &len);
		if (ct_lsir_input_load(buf, len, cli_input_name(cli.file),
		    &items, &comments, &err) < 0)
			cli_die_err(&err);
	}
	op.items = items;
	op.comments = comments;
	st = cli_open_store(cli.dir);
	op.today = cli_today(cli.today, st);
	if (asprintf(&record_name, "assessments/%s-lsi-r",
	    ct_date_format(op.date, d)) < 0)
		cli_die("out of memory");
	if (asprintf(&subject, "%s LSI-R of %s", op.case_id, d) < 0)
		cli_die("out of memory");
	spec.record = record_name;
	spec.case_id = op.case_id;
	spec.subject = subject;
	cli_write(st, &spec, record, &op);
	print_score(&op);
	if (op.rating != NULL && strcmp(op.rating, op.score.band) != 0)
		cli_warn("note: %s's risk rating is %s and this LSI-R's band "
		    "is %s; the rating changes only with case-event %s "
		    "risk-rating-changed --date %s --rating %s", op.case_id,
		    op.rating, op.score.band, op.case_id, d, op.score.band);
	ct_assess_op_clear(&op);
	free(record_name);
	free(subject);
	free(items);
	free(comments);
	free(buf);
	ct_store_free(st);
	return 0;
}

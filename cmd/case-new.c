/*
 * case-new: create case records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/case.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_OPT_DRY_RUN,
	CLI_OPT_REASON_HELP("the Reason trailer of the commit"),
	CLI_OPT_TODAY_HELP("the creation date (default: today)"),
	CLI_LONG('c', "cohort", "c", "sentenced, remandee or post-sentence"),
	CLI_LONG('j', "jurisdiction", "j", "ACT or VIC (default: the "
	    "store's)"),
	CLI_LONG('M', "manager", "op", "the registered operator managing "
	    "the case"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: case-new [-C dir] [-n] [-m reason] [--today date]\n"
"                --cohort sentenced|remandee|post-sentence\n"
"                [--jurisdiction ACT|VIC] [--manager operator] id... | -\n",
	.about =
"Create the case record cases/<xx>/<id>/case.yaml of each id (\"-\" reads\n"
"ids from stdin, one per line), one commit per case.  An id that already\n"
"exists is an error.\n",
	.opts = opts,
	.status =
"Exit status: 0 ok, 2 error (the failing case and any after it are not\n"
"created).\n",
	.width = 25,
};

struct new_case {
	const char *id, *cohort, *manager;
	ct_jurisdiction jur;
	ct_date today;
};

static int
create(ct_txn *txn, void *arg, ct_error *err)
{
	struct new_case *a = arg;
	ct_node *doc = NULL;
	char *path = NULL, *buf = NULL;
	size_t len;
	int rc;

	if ((rc = ct_case_path(a->id, "case.yaml", &path, err)) < 0)
		return rc;
	rc = ct_txn_read(txn, path, &buf, &len, err);
	free(buf);
	if (rc == 0) {
		rc = ct_error_set(err, CT_EEXISTS, "case %s already exists "
		    "(%s)", a->id, path);
		goto out;
	}
	if (rc != CT_ENOTFOUND)
		goto out;
	ct_error_clear(err);
	if (a->manager != NULL && (rc = ct_txn_require_role(txn, "--manager",
	    a->manager, "case-manager", err)) < 0)
		goto out;
	if ((rc = ct_case_new(a->id, a->jur, a->cohort, a->manager, a->today,
	    &doc, err)) < 0)
		goto out;
	rc = ct_txn_put(txn, path, doc, err);
out:
	ct_node_free(doc);
	free(path);
	return rc;
}

static char *
subject(const char *id, void *arg)
{
	struct new_case *a = arg;
	char *s;

	a->id = id;
	return asprintf(&s, "%s case created (%s)", id, a->cohort) < 0 ?
	    NULL : s;
}

int
main(int argc, char **argv)
{
	ct_commit_spec spec = { .tool = "case-new", .version = CT_VERSION,
	    .record = "case", .action = "create" };
	struct new_case a = { 0 };
	struct cli_each each = { subject, create, NULL, &a };
	const char *jur = NULL;
	ct_store *st;
	char **ids;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'c': a.cohort = optarg; break;
		case 'j': jur = optarg; break;
		case 'M': a.manager = optarg; break;
		default: cli_usage();
		}
	}
	if (optind == argc || a.cohort == NULL)
		cli_usage();
	if (!ct_in_list(ct_cohorts, a.cohort))
		cli_die("--cohort: expected sentenced, remandee or "
		    "post-sentence, not '%s'", a.cohort);
	cli_spec(&spec);
	ids = cli_case_ids(argc - optind, argv + optind, NULL);
	st = cli_open_store(cli.dir);
	a.jur = jur != NULL ? ct_jurisdiction_parse(jur) :
	    ct_store_jurisdiction(st);
	if (a.jur == CT_JUR_NONE)
		cli_die("--jurisdiction: '%s' is not ACT or VIC", jur);
	a.today = cli_today(cli.today, st);
	cli_each_case(st, &spec, ids, &each);
	ct_strv_free(ids);
	ct_store_free(st);
	return 0;
}

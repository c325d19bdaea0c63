/*
 * case-new: create case records.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/case.h"

static const char usage[] =
"usage: case-new [-C dir] [-n] [-m reason] [--today date]\n"
"                --cohort sentenced|remandee|post-sentence\n"
"                [--jurisdiction ACT|VIC] [--manager operator] id... | -\n"
"\n"
"Create the case record cases/<xx>/<id>/case.yaml of each id (\"-\" reads\n"
"ids from stdin, one per line), one commit per case.  An id that already\n"
"exists is an error.\n"
"\n"
"  -C dir                 the store (default $CASETRAIL_STORE, else .)\n"
"  -n, --dry-run          print the change, commit nothing\n"
"  -m, --reason text      the Reason trailer of the commit\n"
"      --today date       the creation date (default: today)\n"
"      --cohort c         sentenced, remandee or post-sentence\n"
"      --jurisdiction j   ACT or VIC (default: the store's)\n"
"      --manager op       the registered operator managing the case\n"
"  -h, --help             show this help\n"
"      --version          print the version\n"
"\n"
"Exit status: 0 ok, 2 error (the failing case and any after it are not\n"
"created).\n";

struct args {
	const char *id, *cohort, *manager;
	ct_jurisdiction jur;
	ct_date today;
};

static int
create(ct_txn *txn, void *arg, ct_error *err)
{
	struct args *a = arg;
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

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "reason", required_argument, NULL, 'm' },
		{ "today", required_argument, NULL, 't' },
		{ "cohort", required_argument, NULL, 'c' },
		{ "jurisdiction", required_argument, NULL, 'j' },
		{ "manager", required_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	ct_commit_spec spec = { .tool = "case-new", .version = CT_VERSION,
	    .record = "case", .action = "create" };
	struct args a = { 0 };
	const char *dir = NULL, *today = NULL, *jur = NULL;
	ct_store *st;
	char **ids, *subject;
	size_t i, n;
	int ch;

	cli_init(argc, argv, usage);
	while ((ch = cli_getopt(argc, argv, "C:nm:", longopts)) != -1) {
		switch (ch) {
		case 'C': dir = optarg; break;
		case 'n': spec.flags |= CT_WRITE_DRY_RUN; break;
		case 'm': spec.reason = optarg; break;
		case 't': today = optarg; break;
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
	ids = cli_case_ids(argc - optind, argv + optind, &n);
	st = cli_open_store(dir);
	a.jur = jur != NULL ? ct_jurisdiction_parse(jur) :
	    ct_store_jurisdiction(st);
	if (a.jur == CT_JUR_NONE)
		cli_die("--jurisdiction: '%s' is not ACT or VIC", jur);
	a.today = cli_today(today, st);
	for (i = 0; i < n; i++) {
		a.id = ids[i];
		if (asprintf(&subject, "%s case created (%s)", a.id,
		    a.cohort) < 0)
			cli_die("out of memory");
		spec.subject = subject;
		spec.case_id = a.id;
		cli_write(st, &spec, create, &a);
		free(subject);
	}
	ct_strv_free(ids);
	ct_store_free(st);
	return 0;
}

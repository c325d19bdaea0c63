/*
 * cmp-approve: a team leader approves the pending version of cases'
 * custodial or community Case Management Plans (ACT).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/case.h"
#include "casetrail/cmp.h"
#include "casetrail/trailers.h"

static const char usage[] =
"usage: cmp-approve [-C dir] [-n] [-m note] [--today date] --kind kind\n"
"                   id... | -\n"
"\n"
"Approve the version of each case's custodial or community Case\n"
"Management Plan that is pending approval (\"-\" reads ids from stdin),\n"
"one commit per case with an Approved-by trailer.  The approver is the\n"
"writer, who must have the approving role of the store's settings:\n"
"cmu-team-leader for custodial plans (ACT-CMP-CUSTODIAL),\n"
"community-team-leader for community plans (ACT-CMP-COMMUNITY), and must\n"
"not be the operator who made the version.  Remand plans need no\n"
"approval (ACT-REMAND-CMP).\n"
"\n"
"  -C dir             the store (default $CASETRAIL_STORE, else .)\n"
"  -n, --dry-run      print the change, commit nothing\n"
"  -m, --note text    a note kept with the approval; also the commit's\n"
"                     Reason\n"
"      --reason text  the same as --note\n"
"      --today date   the day of the approval (default $CASETRAIL_TODAY,\n"
"                     else today in the store's time zone)\n"
"      --kind kind    custodial or community\n"
"  -h, --help         show this help\n"
"      --version      print the version\n"
"\n"
"Exit status: 0 ok, 2 error (the failing case and any after it are\n"
"unchanged).\n";

/* The approval's transaction, then the subject. */
static int
approve(ct_txn *txn, void *arg, ct_error *err)
{
	ct_cmp_op *op = arg;
	char *subject;
	int rc;

	if ((rc = ct_cmp_apply(txn, op, err)) < 0)
		return rc;
	if (asprintf(&subject, "%s %s plan version %lld approved",
	    op->case_id, ct_cmp_kind_name(op->kind), op->version) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	rc = ct_txn_set_subject(txn, subject, err);
	free(subject);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "note", required_argument, NULL, 'm' },
		{ "reason", required_argument, NULL, 'm' },
		{ "today", required_argument, NULL, 't' },
		{ "kind", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	ct_commit_spec spec = { .tool = "cmp-approve", .version = CT_VERSION,
	    .action = "approve" };
	ct_cmp_op op = { .action = CT_CMP_APPROVE, .participated = -1 };
	const char *dir = NULL, *today = NULL, *kind = NULL;
	char **ids, *subject = NULL, *record_name = NULL;
	ct_error err = { 0 };
	ct_store *st;
	size_t i, n;
	int ch;

	cli_init(argc, argv, usage);
	while ((ch = cli_getopt(argc, argv, "C:nm:", longopts)) != -1) {
		switch (ch) {
		case 'C': dir = optarg; break;
		case 'n': spec.flags |= CT_WRITE_DRY_RUN; break;
		case 'm': op.note = optarg; break;
		case 't': today = optarg; break;
		case 'k': kind = optarg; break;
		default: cli_usage();
		}
	}
	if (argc - optind < 1)
		cli_usage();
	if (kind == NULL)
		cli_die("--kind is required (custodial or community)");
	if (ct_cmp_kind_parse(kind, "--kind", &op.kind, &err) < 0)
		cli_die_err(&err);
	if (op.note != NULL && ct_text_check("--note", op.note, &err) < 0)
		cli_die_err(&err);
	spec.reason = op.note;
	if (asprintf(&record_name, "cmp/%s", kind) < 0)
		cli_die("out of memory");
	spec.record = record_name;
	op.spec = &spec;
	ids = cli_case_ids(argc - optind, argv + optind, &n);
	st = cli_open_store(dir);
	op.today = cli_today(today, st);
	for (i = 0; i < n; i++) {
		op.case_id = ids[i];
		if (asprintf(&subject, "%s %s plan approved", op.case_id,
		    kind) < 0)
			cli_die("out of memory");
		spec.subject = subject;
		spec.case_id = op.case_id;
		spec.approved_by = NULL;
		cli_write(st, &spec, approve, &op);
		if (!(spec.flags & CT_WRITE_DRY_RUN))
			printf("%s %s plan version %lld approved by %s\n",
			    op.case_id, kind, op.version, op.approved_by);
		ct_cmp_op_clear(&op);
		free(subject);
	}
	free(record_name);
	ct_strv_free(ids);
	ct_store_free(st);
	return 0;
}

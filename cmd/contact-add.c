/*
 * contact-add: record a case manager's contact with an offender (ACT
 * policy cl 1.12-1.13, ACT-CONTACT).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/case.h"
#include "casetrail/contact.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_OPT_DRY_RUN,
	CLI_OPT_REASON_HELP("the commit's Reason (default: the summary); for "
	    "one\nrelease, without --summary also the summary"),
	CLI_LONG('S', "summary", "text", "what the contact was for: one line "
	    "of at most 280\ncharacters (required)"),
	CLI_OPT_DATE_HELP("the day of the contact (required; not after "
	    "today)"),
	CLI_LONG('k', "kind", "kind", "in-person, phone, video or other "
	    "(required)"),
	CLI_LONG('s', "staff", "ids", "the registered operators who took "
	    "part\n(comma-separated; default: the writer)"),
	CLI_LONG('o', "other", "role", "someone else who took part, by "
	    "role, not by name\n(repeatable; at most 80 characters)"),
	CLI_OPT_TODAY,
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: contact-add [-C dir] [-n] [-m reason] [--today date] --date date\n"
"                   --kind kind --summary text\n"
"                   [--staff operator[,operator...]]\n"
"                   [--other role]... id\n",
	.about =
"Record that a contact with the offender of an ACT case happened: its\n"
"day, kind, who took part and one short factual line saying what it was\n"
"for (progress towards the CMP goals, barriers).  One commit; none when\n"
"the same contact is already recorded.  deadline-check reports a case\n"
"with no contact for 30 days (ACT-CONTACT, a store policy).  This is the\n"
"record that a contact happened, not a case note.\n"
"\n"
"Kinds: in-person, phone, video, other.\n",
	.opts = opts,
	.status =
"Exit status: 0 ok (also when the contact was already recorded), 2 error\n"
"(nothing changed).\n",
};

int
main(int argc, char **argv)
{
	ct_commit_spec spec = { .tool = "contact-add", .version = CT_VERSION,
	    .record = "contacts", .action = "contact" };
	ct_contact_op op = { 0 };
	const char *staff = NULL;
	char **others = NULL, *subject = NULL, d[CT_DATE_BUFSZ];
	size_t nothers = 0, i;
	ct_error err = { 0 };
	ct_store *st;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'S': op.summary = optarg; break;
		case 'k': op.kind = optarg; break;
		case 's': staff = optarg; break;
		case 'o':
			if ((others = realloc(others, (nothers + 2) *
			    sizeof(*others))) == NULL)
				cli_die("out of memory");
			others[nothers++] = optarg;
			others[nothers] = NULL;
			break;
		default: cli_usage();
		}
	}
	cli_spec(&spec);
	op.case_id = cli_one_id(argc, argv);
	if (op.summary == NULL)
		op.summary = cli.reason;
	if (cli.reason == NULL)
		spec.reason = op.summary;
	if (cli.date == NULL)
		cli_die("--date is required");
	if (op.kind == NULL)
		cli_die("--kind is required (in-person, phone, video or other)");
	op.date = cli_date("--date", cli.date);
	op.others = others;
	if (staff != NULL) {
		op.staff = cli_split(staff);
		if (op.staff[0] == NULL)
			cli_die("--staff: no operator given");
	}
	st = cli_open_store(cli.dir);
	op.today = cli_today(cli.today, st);
	if (ct_contact_check(&op, &err) < 0)
		cli_die_err(&err);
	if (asprintf(&subject, "%s %s contact on %s", op.case_id, op.kind,
	    ct_date_format(op.date, d)) < 0)
		cli_die("out of memory");
	spec.subject = subject;
	spec.case_id = op.case_id;
	cli_write(st, &spec, ct_contact_add, &op);
	if (!(spec.flags & CT_WRITE_DRY_RUN))
		printf("%s: %zu contact%s on file\n", op.case_id, op.count,
		    op.count == 1 ? "" : "s");
	for (i = 0; op.staff != NULL && op.staff[i] != NULL; i++)
		free(op.staff[i]);
	free(op.staff);
	free(others);
	free(subject);
	ct_store_free(st);
	return 0;
}

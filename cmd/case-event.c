/*
 * case-event: record a dated event on cases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/case.h"
#include "casetrail/cmp.h"
#include "casetrail/episode.h"
#include "casetrail/trailers.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_OPT_DRY_RUN,
	CLI_OPT_REASON_HELP("the commit's Reason, also kept with the event "
	    "as\nits note"),
	CLI_LONG('m', "note", "text", "the same as -m (its old name, kept "
	    "for one release)"),
	CLI_OPT_DATE_HELP("the day of the event, not after today; for\n"
	    "eprd-set, the earliest possible release date"),
	CLI_OPT_TODAY_HELP("the day it is recorded (default "
	    "$CASETRAIL_TODAY,\nelse today in the store's time zone)"),
	CLI_LONG('s', "stage", "s", "stage-changed: induction, "
	    "case-planning, custodial,\npre-release or community"),
	CLI_LONG('o', "order", "o", "order-made, order-ended: "
	    "supervision,\ninterim-supervision, detention, "
	    "interim-detention or\nemergency-detention"),
	CLI_LONG('r', "rating", "r", "risk-rating-changed: low, "
	    "low-moderate, moderate,\nmedium-high or high"),
	CLI_LONG('M', "manager", "op", "cm-assigned: the registered "
	    "operator assigned"),
	CLI_LONG('c', "cleared", NULL, "at-risk: the At Risk status was "
	    "lifted"),
	CLI_LONG('S', "service", "text", "not-engaging (ACT): the support, "
	    "program or service"),
	CLI_LONG('N', "notified-by", "text", "not-engaging (ACT): who "
	    "notified the case manager"),
	CLI_LONG('T', "to", "body", "breach-referred (ACT, community "
	    "stage): sab or\nsentencing-court"),
	CLI_LONG('W', "withdraw", NULL, "withdraw the event instead (-m "
	    "gives the reason)"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: case-event [-C dir] [-n] [-m reason] [--today date] --date date\n"
"                  [--stage stage] [--order order] [--rating rating]\n"
"                  [--manager operator] [--cleared]\n"
"                  [--service text --notified-by text]\n"
"                  [--to sab|sentencing-court] id... | - type\n"
"       case-event [-C dir] [-n] --withdraw -m reason [--today date]\n"
"                  --date date id... | - type\n",
	.about =
"Record an event of the given type on each case (\"-\" reads ids from\n"
"stdin), one commit per case.  Events are kept in date order; the case's\n"
"stage, orders, earliest possible release date (eprd), risk rating, At\n"
"Risk status and manager follow from them.  Recording an event that is\n"
"already there changes nothing.  --withdraw marks the event of that type\n"
"and date withdrawn, with who, when and why: it stays in the record and\n"
"its history, and no rule reads it (a wrong date: withdraw it, record\n"
"the right one).\n"
"\n"
"Types: reception, sentence-commenced, cm-assigned, stage-changed,\n"
"order-made, order-ended, eprd-set, engaged, at-risk, risk-rating-changed,\n"
"charged-sentenced, circumstances-changed, goals-change-requested,\n"
"released, not-engaging, breach-referred.\n",
	.opts = opts,
	.status = CLI_STATUS_EACH,
};

struct args {
	const char *id;
	ct_event ev;
	bool withdraw;
};

/* --withdraw: the event of the type on the day, by the writer. */
static int
withdraw(ct_txn *txn, struct args *a, ct_node *doc, ct_error *err)
{
	ct_withdrawal w = { .type = a->ev.type, .date = a->ev.date,
	    .by = ct_txn_operator(txn), .today = a->ev.today,
	    .reason = a->ev.note };

	if (w.by == NULL)
		return ct_error_set(err, CT_EINVALID, "withdrawing an event "
		    "needs a registered operator (%s)", CT_OPERATORS_PATH);
	return ct_case_withdraw_event(doc, &w, err);
}

static int
record(ct_txn *txn, void *arg, ct_error *err)
{
	struct args *a = arg;
	ct_episodes before = { 0 };
	ct_node *doc = NULL;
	char *path = NULL;
	bool added;
	int rc;

	if ((rc = ct_case_path(a->id, "case.yaml", &path, err)) < 0)
		return rc;
	rc = ct_txn_load(txn, path, &doc, err);
	if (rc == CT_ENOTFOUND)
		rc = ct_error_set(err, CT_ENOTFOUND,
		    "case %s does not exist (create it with case-new)", a->id);
	if (rc < 0)
		goto out;
	if (a->ev.manager != NULL && (rc = ct_txn_require_role(txn,
	    "--manager", a->ev.manager, "case-manager", err)) < 0)
		goto out;
	if ((rc = ct_case_episodes(doc, &before, err)) < 0)
		goto out;
	if (a->withdraw) {
		added = true;
		rc = withdraw(txn, a, doc, err);
	} else
		rc = ct_case_add_event(doc, &a->ev, &added, err);
	if (rc < 0) {
		ct_error_prefix(err, "%s", path);
		goto out;
	}
	if (added && (rc = ct_txn_put(txn, path, doc, err)) == 0)
		rc = ct_cmp_follow_episodes(txn, a->id, &before, doc, err);
out:
	ct_episodes_clear(&before);
	ct_node_free(doc);
	free(path);
	return rc;
}

static char *
subject(const char *id, void *arg)
{
	struct args *a = arg;
	char d[CT_DATE_BUFSZ], *s;

	a->id = id;
	return asprintf(&s, "%s %s on %s%s", id, a->ev.type,
	    ct_date_format(a->ev.date, d), a->withdraw ? " withdrawn" : "") <
	    0 ? NULL : s;
}

int
main(int argc, char **argv)
{
	ct_commit_spec spec = { .tool = "case-event", .version = CT_VERSION,
	    .record = "case", .action = "event" };
	struct args a = { 0 };
	struct cli_each each = { subject, record, NULL, &a };
	ct_store *st;
	char **ids;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 's': a.ev.stage = optarg; break;
		case 'o': a.ev.order = optarg; break;
		case 'r': a.ev.rating = optarg; break;
		case 'M': a.ev.manager = optarg; break;
		case 'c': a.ev.cleared = true; break;
		case 'S': a.ev.service = optarg; break;
		case 'N': a.ev.notified_by = optarg; break;
		case 'T': a.ev.to = optarg; break;
		case 'W': a.withdraw = true; break;
		default: cli_usage();
		}
	}
	if (argc - optind < 2)
		cli_usage();
	a.ev.type = argv[argc - 1];
	if (!ct_in_list(ct_event_types, a.ev.type))
		cli_die("unknown event type '%s' (see case-event --help)",
		    a.ev.type);
	if (cli.date == NULL)
		cli_die("--date is required");
	a.ev.date = cli_date("--date", cli.date);
	a.ev.note = cli.reason;
	if (a.withdraw) {
		if (a.ev.note == NULL)
			cli_die("--withdraw needs -m: why the event is "
			    "withdrawn");
		if (a.ev.stage || a.ev.order || a.ev.rating || a.ev.manager ||
		    a.ev.cleared || a.ev.service || a.ev.notified_by || a.ev.to)
			cli_die("--withdraw takes the event by its type and "
			    "--date only");
		spec.action = "withdraw";
	}
	cli_check_text("--note", a.ev.note);
	cli_spec(&spec);
	ids = cli_case_ids(argc - optind - 1, argv + optind, NULL);
	st = cli_open_store(cli.dir);
	a.ev.today = cli_today(cli.today, st);
	cli_each_case(st, &spec, ids, &each);
	ct_strv_free(ids);
	ct_store_free(st);
	return 0;
}

/*
 * case-log: the audit history of one case, newest first: who changed
 * what, with which tool, why and with whose approval, and the field-level
 * changes of every record, computed by comparing the parsed records
 * before and after each commit (ct_node_diff), not lines of text.
 *
 * The log comes from ct_case_log (history.h): the commits of main that
 * changed the case directory, with their trailers and the structured
 * {path, old, new} changes of each record; their times, receipts and
 * JSON are the library's too (lib/audit/caselog.c).  This tool parses the
 * options and prints them, as text or JSON.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/case.h"
#include "casetrail/history.h"
#include "casetrail/output.h"
#include "casetrail/trailers.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_LONG('r', "record", "r", "only the record r: its path in the "
	    "case directory\nwithout .yaml (case, csp, cmp/custodial), or a\n"
	    "directory of records (cmp)"),
	CLI_LONG('F', "field", "path", "only changes of the field path and "
	    "the fields below\nit (stage, needs[N2], needs[N2].completed)"),
	CLI_LONG('s', "since", "date", "stop at the first commit made before "
	    "date"),
	CLI_OPT_FORMAT_HELP("text (default) or json: an array of {\"commit\",\n"
	    "\"date\", \"author\", \"email\", \"tool\", \"action\",\n"
	    "\"reason\", \"approved_by\", \"dated\", \"recorded\",\n"
	    "\"received\", \"receipt\", \"changes\": [{\"record\",\n"
	    "\"kind\", \"path\", \"old\", \"new\"}]}"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: case-log [-C dir] [--record record] [--field path] [--since date]\n"
"                [--format text|json] id\n",
	.about =
"Print the history of a case, newest first: for every commit that changed\n"
"the case directory, its date, author, tool and action, reason and\n"
"approval, and the field-level changes of each record it changed\n"
"(\"case: stage: induction -> case-planning\").  A commit that records\n"
"dated entries (events, approvals) or that the central repository has\n"
"received also shows \"dated D; recorded T; received R\": when it\n"
"happened, when it was committed, and when its receipt says the central\n"
"repository took it.  Reads only.\n",
	.opts = opts,
	.status = "Exit status: 0 ok, 2 error (e.g. no such case, bad date).\n",
	.width = 20,
};

static ct_receipts *receipts;

static void
when_of(const ct_log_commit *c, ct_log_when *w)
{
	ct_error err = { 0 };

	if (ct_log_when_of(receipts, c, w, &err) < 0)
		cli_die_err(&err);
}

/* "    dated D; recorded T; received R", when the commit dates entries or
 * was received; the receipt part in a store that keeps receipts. */
static void
print_when(ct_buf *b, const ct_log_commit *c, const ct_log_when *w)
{
	const ct_history_entry *e = &c->entry;
	char buf[64];
	size_t i;

	if (w->ndated == 0 && w->receipt == NULL)
		return;
	ct_buf_puts(b, "    ");
	for (i = 0; i < w->ndated; i++)
		ct_buf_printf(b, "%s%s", i == 0 ? "dated " : ", ",
		    ct_date_format(w->dated[i], buf));
	ct_log_time(e->time, e->offset, false, buf, sizeof(buf));
	ct_buf_printf(b, "%srecorded %s", w->ndated > 0 ? "; " : "", buf);
	if (w->receipt != NULL) {
		ct_log_time(w->receipt->when, e->offset, false, buf,
		    sizeof(buf));
		ct_buf_printf(b, "; received %s", buf);
	} else if (ct_receipts_policy(receipts)->set)
		ct_buf_puts(b, "; not received yet");
	ct_buf_putc(b, '\n');
}

static void
print_change(ct_buf *b, const ct_log_change *ch)
{
	ct_buf v = { 0 };

	ct_buf_puts(b, "    ");
	ct_text_safe(b, ch->record);
	ct_buf_puts(b, ": ");
	if (ch->removed) {
		ct_buf_puts(b, "removed\n");
		return;
	}
	ct_text_safe(b, ct_log_path_text(ch));
	ct_buf_puts(b, ": ");
	ct_diff_put_value(&v, ch->field.old);
	ct_buf_puts(&v, " -> ");
	ct_diff_put_value(&v, ch->field.new);
	if (v.failed)
		cli_die("out of memory");
	ct_text_safe(b, v.s);
	ct_buf_putc(b, '\n');
	ct_buf_free(&v);
}

/* A commit's text: author, trailers and changes come from the commit and
 * its records, so each is written terminal-safe. */
static void
print_text(const ct_log_commit *c, bool first)
{
	const ct_history_entry *e = &c->entry;
	ct_log_when w;
	char date[64];
	ct_buf b = { 0 };
	size_t i;

	when_of(c, &w);
	ct_log_time(e->time, e->offset, false, date, sizeof(date));
	ct_buf_printf(&b, "%scommit %.12s  %s ", first ? "" : "\n", e->commit,
	    date);
	ct_text_safe(&b, e->author_name);
	ct_buf_puts(&b, "\n    ");
	ct_text_safe(&b, c->tool != NULL ? c->tool : "-");
	ct_buf_putc(&b, ' ');
	ct_text_safe(&b, c->action != NULL ? c->action : "-");
	if (c->reason != NULL) {
		ct_buf_puts(&b, "  reason: ");
		ct_text_safe(&b, c->reason);
	}
	if (c->approved_by != NULL) {
		ct_buf_puts(&b, "  approved-by: ");
		ct_text_safe(&b, c->approved_by);
	}
	ct_buf_putc(&b, '\n');
	print_when(&b, c, &w);
	for (i = 0; i < c->nchanges; i++)
		print_change(&b, &c->changes[i]);
	if (b.failed)
		cli_die("out of memory");
	fputs(b.s, stdout);
	ct_buf_free(&b);
}

/* The filter and the format from the options; optind at the id. */
static bool
parse_options(int argc, char **argv, ct_log_filter *f)
{
	static const char *const formats[] = { "text", "json", NULL };
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'r': f->record = optarg; break;
		case 'F': f->field = optarg; break;
		case 's':
			f->since = cli_date("--since", optarg);
			f->has_since = true;
			break;
		default: cli_usage();
		}
	}
	if (argc - optind != 1)
		cli_usage();
	return strcmp(cli_format("text", formats), "json") == 0;
}

/* Add c to the JSON array all. */
static void
add_json(ct_node *all, const ct_log_commit *c)
{
	ct_error err = { 0 };
	ct_log_when w;

	when_of(c, &w);
	if (ct_case_log_json(all, c, &w, &err) < 0)
		cli_die_err(&err);
}

int
main(int argc, char **argv)
{
	ct_log_filter f = { 0 };
	ct_error err = { 0 };
	const ct_log_commit *c;
	ct_case_log *log;
	ct_snapshot *head;
	ct_store *st;
	ct_node *all = NULL;
	char *cdir, *out;
	size_t len;
	bool json, first = true;
	int rc;

	json = parse_options(argc, argv, &f);
	if (ct_case_dir(argv[optind], &cdir, &err) < 0)
		cli_die_err(&err);
	st = cli_open_store(cli.dir);
	if (ct_snapshot_open(st, NULL, &head, &err) < 0)
		cli_die_err(&err);
	if (!ct_snapshot_is_dir(head, cdir))
		cli_no_case(head, argv[optind]);
	ct_snapshot_free(head);
	if (ct_receipts_open(st, NULL, &receipts, &err) < 0)
		cli_die_err(&err);
	if (json && (all = ct_node_new_seq()) == NULL)
		cli_die("out of memory");
	if (ct_case_log_open(st, cdir, &f, &log, &err) < 0)
		cli_die_err(&err);
	while ((rc = ct_case_log_next(log, &c, &err)) > 0) {
		if (json)
			add_json(all, c);
		else
			print_text(c, first);
		first = false;
	}
	if (rc < 0)
		cli_die_err(&err);
	ct_case_log_free(log);
	ct_receipts_free(receipts);
	if (json) {
		if (ct_json_emit(all, true, &out, &len, &err) < 0)
			cli_die_err(&err);
		printf("%s\n", out);
		free(out);
		ct_node_free(all);
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die("writing the output failed");
	free(cdir);
	ct_store_free(st);
	return 0;
}

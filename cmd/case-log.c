/*
 * case-log: the audit history of one case, newest first: who changed
 * what, with which tool, why and with whose approval, and the field-level
 * changes of every record, computed by comparing the parsed records
 * before and after each commit (ct_node_diff), not lines of text.
 *
 * The log comes from ct_case_log (history.h): the commits of main that
 * changed the case directory, with their trailers and the structured
 * {path, old, new} changes of each record; this tool parses the options
 * and prints them, as text or JSON.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "casetrail/case.h"
#include "casetrail/history.h"
#include "casetrail/output.h"
#include "casetrail/receipt.h"
#include "casetrail/trailers.h"

static const char usage[] =
"usage: case-log [-C dir] [--record record] [--field path] [--since date]\n"
"                [--format text|json] id\n"
"\n"
"Print the history of a case, newest first: for every commit that changed\n"
"the case directory, its date, author, tool and action, reason and\n"
"approval, and the field-level changes of each record it changed\n"
"(\"case: stage: induction -> case-planning\").  A commit that records\n"
"dated entries (events, approvals) or that the central repository has\n"
"received also shows \"dated D; recorded T; received R\": when it\n"
"happened, when it was committed, and when its receipt says the central\n"
"repository took it.  Reads only.\n"
"\n"
"  -C dir            the store (default $CASETRAIL_STORE, else .)\n"
"      --record r    only the record r: its path in the case directory\n"
"                    without .yaml (case, csp, cmp/custodial), or a\n"
"                    directory of records (cmp)\n"
"      --field path  only changes of the field path and the fields below\n"
"                    it (stage, needs[N2], needs[N2].completed)\n"
"      --since date  stop at the first commit made before date\n"
"      --format f    text (default) or json: an array of {\"commit\",\n"
"                    \"date\", \"author\", \"email\", \"tool\", \"action\",\n"
"                    \"reason\", \"approved_by\", \"dated\", \"recorded\",\n"
"                    \"received\", \"receipt\", \"changes\": [{\"record\",\n"
"                    \"kind\", \"path\", \"old\", \"new\"}]}\n"
"  -h, --help        show this help\n"
"      --version     print the version\n"
"\n"
"Exit status: 0 ok, 2 error (e.g. no such case, bad date).\n";

/* The commit's local time as "YYYY-MM-DD HH:MM" (iso false) or
 * "YYYY-MM-DDTHH:MM:SS+hh:mm" (iso true). */
static void
format_time(long long t, int offset, bool iso, char *buf, size_t sz)
{
	time_t local = (time_t)(t + (long long)offset * 60);
	struct tm tm;
	size_t n;
	int a = offset < 0 ? -offset : offset;

	gmtime_r(&local, &tm);
	n = strftime(buf, sz, iso ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d %H:%M",
	    &tm);
	if (iso)
		snprintf(buf + n, sz - n, "%c%02d:%02d", offset < 0 ? '-' : '+',
		    a / 60, a % 60);
}

/* When a commit's entries happened, and when it was received. */
struct when {
	ct_date dated[16];     /* the distinct dates, in order of change */
	size_t ndated;
	const ct_receipt *receipt;
};

static ct_receipts *receipts;

static void
when_of(const ct_log_commit *c, struct when *w)
{
	ct_error err = { 0 };
	ct_date d;
	size_t i, j;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < c->nchanges; i++) {
		if (c->changes[i].removed ||
		    !ct_event_date_of(&c->changes[i].field, &d))
			continue;
		for (j = 0; j < w->ndated && w->dated[j] != d; j++)
			;
		if (j == w->ndated && w->ndated < sizeof(w->dated) /
		    sizeof(w->dated[0]))
			w->dated[w->ndated++] = d;
	}
	if (ct_receipts_covering(receipts, c->entry.commit, &w->receipt,
	    &err) < 0)
		cli_die_err(&err);
}

/* "    dated D; recorded T; received R", when the commit dates entries or
 * was received; the receipt part in a store that keeps receipts. */
static void
print_when(ct_buf *b, const ct_log_commit *c, const struct when *w)
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
	format_time(e->time, e->offset, false, buf, sizeof(buf));
	ct_buf_printf(b, "%srecorded %s", w->ndated > 0 ? "; " : "", buf);
	if (w->receipt != NULL) {
		format_time(w->receipt->when, e->offset, false, buf,
		    sizeof(buf));
		ct_buf_printf(b, "; received %s", buf);
	} else if (ct_receipts_policy(receipts)->set)
		ct_buf_puts(b, "; not received yet");
	ct_buf_putc(b, '\n');
}

static ct_node *
str_or_null(const char *s)
{
	return s != NULL ? ct_node_new_str(s) : ct_node_new_null();
}

/* A change's path as text: "(root)" for the root of the record. */
static const char *
path_text(const ct_log_change *ch)
{
	return ch->field.path[0] != '\0' ? ch->field.path : "(root)";
}

/* A value of a change in its text form (ct_diff_put_value) as a JSON
 * string, or null when the field is absent on that side. */
static ct_node *
value_json(const ct_node *v)
{
	ct_buf b = { 0 };
	ct_node *n;

	if (v == NULL)
		return ct_node_new_null();
	ct_diff_put_value(&b, v);
	if (b.failed)
		cli_die("out of memory");
	n = ct_node_new_str(b.s);
	ct_buf_free(&b);
	return n;
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
	ct_text_safe(b, path_text(ch));
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
	struct when w;
	char date[64];
	ct_buf b = { 0 };
	size_t i;

	when_of(c, &w);
	format_time(e->time, e->offset, false, date, sizeof(date));
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

static void
add_json(ct_node *all, const ct_log_commit *c)
{
	const ct_history_entry *e = &c->entry;
	const ct_log_change *ch;
	ct_node *obj, *list, *o, *dated;
	struct when w;
	char date[64], buf[64];
	size_t i;

	when_of(c, &w);
	format_time(e->time, e->offset, true, date, sizeof(date));
	if ((obj = ct_node_new_map()) == NULL ||
	    (list = ct_node_new_seq()) == NULL ||
	    (dated = ct_node_new_seq()) == NULL)
		cli_die("out of memory");
	ct_map_set(obj, "commit", ct_node_new_str(e->commit));
	ct_map_set(obj, "date", ct_node_new_str(date));
	ct_map_set(obj, "author", ct_node_new_str(e->author_name));
	ct_map_set(obj, "email", ct_node_new_str(e->author_email));
	ct_map_set(obj, "tool", str_or_null(c->tool));
	ct_map_set(obj, "action", str_or_null(c->action));
	ct_map_set(obj, "reason", str_or_null(c->reason));
	ct_map_set(obj, "approved_by", str_or_null(c->approved_by));
	for (i = 0; i < w.ndated; i++)
		ct_seq_push(dated, ct_node_new_str(ct_date_format(w.dated[i],
		    buf)));
	ct_map_set(obj, "dated", dated);
	ct_map_set(obj, "recorded", ct_node_new_str(date));
	if (w.receipt != NULL)
		format_time(w.receipt->when, e->offset, true, buf,
		    sizeof(buf));
	ct_map_set(obj, "received", w.receipt != NULL ?
	    ct_node_new_str(buf) : ct_node_new_null());
	ct_map_set(obj, "receipt", w.receipt != NULL ?
	    ct_node_new_str(w.receipt->ref) : ct_node_new_null());
	for (i = 0; i < c->nchanges; i++) {
		ch = &c->changes[i];
		if ((o = ct_node_new_map()) == NULL)
			cli_die("out of memory");
		ct_map_set(o, "record", ct_node_new_str(ch->record));
		ct_map_set(o, "kind", ct_node_new_str(ch->removed ?
		    "removed" : "field"));
		ct_map_set(o, "path", ch->removed ? ct_node_new_null() :
		    ct_node_new_str(path_text(ch)));
		ct_map_set(o, "old", value_json(ch->field.old));
		ct_map_set(o, "new", value_json(ch->field.new));
		ct_seq_push(list, o);
	}
	ct_map_set(obj, "changes", list);
	ct_seq_push(all, obj);
}

static void
parse_options(int argc, char **argv, const char **dir, ct_log_filter *f,
    bool *json)
{
	static const struct option longopts[] = {
		{ "record", required_argument, NULL, 'r' },
		{ "field", required_argument, NULL, 'F' },
		{ "since", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text";
	int ch;

	while ((ch = cli_getopt(argc, argv, "C:", longopts)) != -1) {
		switch (ch) {
		case 'C': *dir = optarg; break;
		case 'r': f->record = optarg; break;
		case 'F': f->field = optarg; break;
		case 's':
			f->since = cli_date("--since", optarg);
			f->has_since = true;
			break;
		case 'f': format = optarg; break;
		default: cli_usage();
		}
	}
	if (argc - optind != 1)
		cli_usage();
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
		cli_die("--format: expected text or json, not '%s'", format);
	*json = strcmp(format, "json") == 0;
}

int
main(int argc, char **argv)
{
	const char *dir = NULL;
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

	cli_init(argc, argv, usage);
	parse_options(argc, argv, &dir, &f, &json);
	if (ct_case_dir(argv[optind], &cdir, &err) < 0)
		cli_die_err(&err);
	st = cli_open_store(dir);
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

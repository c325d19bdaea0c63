/*
 * case-log: the audit history of one case, newest first: who changed
 * what, with which tool, why and with whose approval, and the field-level
 * changes of every record, computed by comparing the parsed records
 * before and after each commit (ct_node_diff), not lines of text.
 *
 * The commits come from ct_history (every commit of main but merges,
 * each against its parent; a commit that did not touch the case
 * directory costs one tree lookup).
 * Only the records a commit changed are read, from the snapshots of the
 * commit and its parent.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "casetrail/case.h"
#include "casetrail/diff.h"
#include "casetrail/history.h"
#include "casetrail/output.h"
#include "casetrail/trailers.h"

static const char usage[] =
"usage: case-log [-C dir] [--record record] [--field path] [--since date]\n"
"                [--format text|json] id\n"
"\n"
"Print the history of a case, newest first: for every commit that changed\n"
"the case directory, its date, author, tool and action, reason and\n"
"approval, and the field-level changes of each record it changed\n"
"(\"case: stage: induction -> case-planning\").  Reads only.\n"
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
"                    \"reason\", \"approved_by\", \"changes\": [{\"record\",\n"
"                    \"kind\", \"path\", \"old\", \"new\"}]}\n"
"  -h, --help        show this help\n"
"      --version     print the version\n"
"\n"
"Exit status: 0 ok, 2 error (e.g. no such case, bad date).\n";

struct opts {
	const char *record;   /* without ".yaml"; NULL: all */
	const char *field;    /* NULL: all */
	bool has_since;
	ct_date since;
	bool json;
};

/* One change: a field line of ct_node_diff split, or a removed record. */
struct change {
	const char *record;
	bool removed;
	char *path, *old, *new_; /* owned; NULL for a removed record */
};

struct changes {
	struct change *v;
	size_t n;
};

static void
changes_clear(struct changes *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		free(cs->v[i].path);
		free(cs->v[i].old);
		free(cs->v[i].new_);
	}
	free(cs->v);
	cs->v = NULL;
	cs->n = 0;
}

static struct change *
changes_add(struct changes *cs, const char *record)
{
	struct change *grown;

	if ((grown = realloc(cs->v, (cs->n + 1) * sizeof(*grown))) == NULL)
		cli_die("out of memory");
	cs->v = grown;
	memset(&cs->v[cs->n], 0, sizeof(cs->v[cs->n]));
	cs->v[cs->n].record = record;
	return &cs->v[cs->n++];
}

static char *
xstrndup(const char *s, size_t n)
{
	char *p;

	if ((p = strndup(s, n)) == NULL)
		cli_die("out of memory");
	return p;
}

/*
 * Split one line of ct_node_diff, "path: old -> new", into its parts.  A
 * path may hold ": " only inside brackets (list ids); a value holding
 * " -> " is quoted by ct_node_diff, so the old value ends at its closing
 * quote or at the first " -> ".
 */
static bool
split_line(const char *line, size_t len, struct change *c)
{
	const char *p = line, *end = line + len, *o, *arrow;
	int depth = 0;

	for (; p + 1 < end; p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']' && depth > 0)
			depth--;
		else if (depth == 0 && p[0] == ':' && p[1] == ' ')
			break;
	}
	if (p + 1 >= end)
		return false;
	o = p + 2;
	arrow = o;
	if (*o == '"') {
		for (arrow = o + 1; arrow < end && *arrow != '"'; arrow++)
			if (*arrow == '\\' && arrow + 1 < end)
				arrow++;
		if (arrow < end)
			arrow++;
	}
	for (; arrow + 4 <= end; arrow++)
		if (memcmp(arrow, " -> ", 4) == 0)
			break;
	if (arrow + 4 > end)
		return false;
	c->path = xstrndup(line, (size_t)(p - line));
	c->old = xstrndup(o, (size_t)(arrow - o));
	c->new_ = xstrndup(arrow + 4, (size_t)(end - arrow - 4));
	return true;
}

/* True when path is field or lies below it ("field." or "field["). */
static bool
field_match(const char *path, const char *field)
{
	size_t n = strlen(field);

	return strncmp(path, field, n) == 0 &&
	    (path[n] == '\0' || path[n] == '.' || path[n] == '[');
}

/* True when the record name (relative path without .yaml) is selected. */
static bool
record_match(const char *name, const char *record)
{
	size_t n;

	if (record == NULL)
		return true;
	n = strlen(record);
	return strncmp(name, record, n) == 0 &&
	    (name[n] == '\0' || name[n] == '/');
}

static ct_node *
load(ct_snapshot *snap, const char *path)
{
	ct_error err = { 0 };
	ct_node *doc;

	if (ct_snapshot_parse(snap, path, &doc, &err) < 0)
		cli_die_err(&err);
	return doc;
}

/* The field changes of one record between the two snapshots. */
static void
record_changes(ct_snapshot *old, ct_snapshot *new_, const char *cdir,
    const ct_history_file *f, const char *name, const struct opts *o,
    struct changes *cs)
{
	ct_error err = { 0 };
	ct_node *a = NULL, *b = NULL;
	char *path, *text, *line, *nl;
	struct change c;

	if (f->status == CT_HISTORY_REMOVED && o->field == NULL) {
		changes_add(cs, name)->removed = true;
		return;
	}
	if (asprintf(&path, "%s/%s", cdir, f->path) < 0)
		cli_die("out of memory");
	if (f->status != CT_HISTORY_ADDED)
		a = load(old, path);
	if (f->status != CT_HISTORY_REMOVED)
		b = load(new_, path);
	if (ct_node_diff(a, b, &text, NULL, &err) < 0)
		cli_die_err(&err);
	for (line = text; *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			nl = line + strlen(line);
		memset(&c, 0, sizeof(c));
		if (!split_line(line, (size_t)(nl - line), &c))
			cli_die("%s: cannot read the change '%.*s'", path,
			    (int)(nl - line), line);
		if (o->field == NULL || field_match(c.path, o->field)) {
			c.record = name;
			*changes_add(cs, name) = c;
		} else {
			free(c.path);
			free(c.old);
			free(c.new_);
		}
		if (*nl == '\0')
			break;
	}
	free(text);
	ct_node_free(a);
	ct_node_free(b);
	free(path);
}

static char *
trailer(const char *msg, const char *key)
{
	ct_error err = { 0 };
	char *v;

	if (ct_trailer_get(msg, key, &v, &err) < 0)
		cli_die_err(&err);
	return v;
}

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

static ct_node *
str_or_null(const char *s)
{
	return s != NULL ? ct_node_new_str(s) : ct_node_new_null();
}

static ct_node *
value_node(const char *s)
{
	return s == NULL || strcmp(s, "(none)") == 0 ? ct_node_new_null() :
	    ct_node_new_str(s);
}

/* A commit's text: author, trailers and changes come from the commit and
 * its records, so each is written terminal-safe. */
static void
print_text(const ct_history_entry *e, const char *tool, const char *action,
    const char *reason, const char *approved, const struct changes *cs,
    bool first)
{
	char date[64];
	ct_buf b = { 0 };
	size_t i;

	format_time(e->time, e->offset, false, date, sizeof(date));
	ct_buf_printf(&b, "%scommit %.12s  %s ", first ? "" : "\n", e->commit,
	    date);
	ct_text_safe(&b, e->author_name);
	ct_buf_puts(&b, "\n    ");
	ct_text_safe(&b, tool != NULL ? tool : "-");
	ct_buf_putc(&b, ' ');
	ct_text_safe(&b, action != NULL ? action : "-");
	if (reason != NULL) {
		ct_buf_puts(&b, "  reason: ");
		ct_text_safe(&b, reason);
	}
	if (approved != NULL) {
		ct_buf_puts(&b, "  approved-by: ");
		ct_text_safe(&b, approved);
	}
	ct_buf_putc(&b, '\n');
	for (i = 0; i < cs->n; i++) {
		ct_buf_puts(&b, "    ");
		ct_text_safe(&b, cs->v[i].record);
		ct_buf_puts(&b, ": ");
		if (cs->v[i].removed) {
			ct_buf_puts(&b, "removed\n");
			continue;
		}
		ct_text_safe(&b, cs->v[i].path);
		ct_buf_puts(&b, ": ");
		ct_text_safe(&b, cs->v[i].old);
		ct_buf_puts(&b, " -> ");
		ct_text_safe(&b, cs->v[i].new_);
		ct_buf_putc(&b, '\n');
	}
	if (b.failed)
		cli_die("out of memory");
	fputs(b.s, stdout);
	ct_buf_free(&b);
}

static void
add_json(ct_node *all, const ct_history_entry *e, const char *tool,
    const char *action, const char *reason, const char *approved,
    const struct changes *cs)
{
	ct_node *obj, *list, *c;
	char date[64];
	size_t i;

	format_time(e->time, e->offset, true, date, sizeof(date));
	if ((obj = ct_node_new_map()) == NULL ||
	    (list = ct_node_new_seq()) == NULL)
		cli_die("out of memory");
	ct_map_set(obj, "commit", ct_node_new_str(e->commit));
	ct_map_set(obj, "date", ct_node_new_str(date));
	ct_map_set(obj, "author", ct_node_new_str(e->author_name));
	ct_map_set(obj, "email", ct_node_new_str(e->author_email));
	ct_map_set(obj, "tool", str_or_null(tool));
	ct_map_set(obj, "action", str_or_null(action));
	ct_map_set(obj, "reason", str_or_null(reason));
	ct_map_set(obj, "approved_by", str_or_null(approved));
	for (i = 0; i < cs->n; i++) {
		if ((c = ct_node_new_map()) == NULL)
			cli_die("out of memory");
		ct_map_set(c, "record", ct_node_new_str(cs->v[i].record));
		ct_map_set(c, "kind", ct_node_new_str(cs->v[i].removed ?
		    "removed" : "field"));
		ct_map_set(c, "path", str_or_null(cs->v[i].path));
		ct_map_set(c, "old", value_node(cs->v[i].old));
		ct_map_set(c, "new", value_node(cs->v[i].new_));
		ct_seq_push(list, c);
	}
	ct_map_set(obj, "changes", list);
	ct_seq_push(all, obj);
}

/* The record name of a file: its relative path without ".yaml". */
static char *
record_name(const char *path)
{
	size_t n = strlen(path);

	if (n > 5 && strcmp(path + n - 5, ".yaml") == 0)
		n -= 5;
	return xstrndup(path, n);
}

/* Print (or collect) one commit; false when the filters left nothing. */
static bool
one_commit(ct_store *st, const char *cdir, const ct_history_entry *e,
    const struct opts *o, ct_node *all, bool first)
{
	ct_error err = { 0 };
	ct_snapshot *old = NULL, *new_;
	struct changes cs = { 0 };
	char **names, *tool, *action, *reason, *approved;
	size_t i, n = 0;
	bool shown = false;

	if ((names = calloc(e->nfiles + 1, sizeof(*names))) == NULL)
		cli_die("out of memory");
	for (i = 0; i < e->nfiles; i++) {
		names[i] = record_name(e->files[i].path);
		if (record_match(names[i], o->record))
			n++;
	}
	if (n == 0 && (o->record != NULL || o->field != NULL))
		goto cleanup;
	if (ct_snapshot_open(st, e->commit, &new_, &err) < 0 ||
	    (e->parent[0] != '\0' &&
	    ct_snapshot_open(st, e->parent, &old, &err) < 0))
		cli_die_err(&err);
	for (i = 0; i < e->nfiles; i++)
		if (record_match(names[i], o->record))
			record_changes(old, new_, cdir, &e->files[i],
			    names[i], o, &cs);
	ct_snapshot_free(old);
	ct_snapshot_free(new_);
	if (cs.n == 0 && (o->record != NULL || o->field != NULL))
		goto cleanup;
	tool = trailer(e->message, "Tool");
	if (tool != NULL)
		tool[strcspn(tool, " ")] = '\0'; /* "case-event 0.1.0" */
	action = trailer(e->message, "Action");
	reason = trailer(e->message, "Reason");
	approved = trailer(e->message, "Approved-by");
	if (o->json)
		add_json(all, e, tool, action, reason, approved, &cs);
	else
		print_text(e, tool, action, reason, approved, &cs, first);
	free(tool);
	free(action);
	free(reason);
	free(approved);
	shown = true;
cleanup:
	changes_clear(&cs);
	ct_strv_free(names);
	return shown;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "record", required_argument, NULL, 'r' },
		{ "field", required_argument, NULL, 'F' },
		{ "since", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *format = "text";
	struct opts o = { 0 };
	ct_error err = { 0 };
	ct_history_entry e;
	ct_history *h;
	ct_snapshot *head;
	ct_store *st;
	ct_node *all = NULL;
	char *cdir, *rec = NULL, *out;
	size_t len;
	bool first = true;
	int ch, rc;

	cli_init(argc, argv, usage);
	while ((ch = cli_getopt(argc, argv, "C:", longopts)) != -1) {
		switch (ch) {
		case 'C': dir = optarg; break;
		case 'r': o.record = optarg; break;
		case 'F': o.field = optarg; break;
		case 's':
			o.since = cli_date("--since", optarg);
			o.has_since = true;
			break;
		case 'f': format = optarg; break;
		default: cli_usage();
		}
	}
	if (argc - optind != 1)
		cli_usage();
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
		cli_die("--format: expected text or json, not '%s'", format);
	o.json = strcmp(format, "json") == 0;
	if (o.record != NULL) {
		rec = record_name(o.record);
		len = strlen(rec);
		while (len > 0 && rec[len - 1] == '/')
			rec[--len] = '\0';
		if (len == 0)
			cli_die("--record: empty record name");
		o.record = rec;
	}
	if (o.field != NULL && o.field[0] == '\0')
		cli_die("--field: empty field path");
	if (ct_case_dir(argv[optind], &cdir, &err) < 0)
		cli_die_err(&err);
	st = cli_open_store(dir);
	if (ct_snapshot_open(st, NULL, &head, &err) < 0)
		cli_die_err(&err);
	if (!ct_snapshot_is_dir(head, cdir))
		cli_no_case(head, argv[optind]);
	ct_snapshot_free(head);
	if (o.json && (all = ct_node_new_seq()) == NULL)
		cli_die("out of memory");
	if (ct_history_open(st, cdir, &h, &err) < 0)
		cli_die_err(&err);
	while ((rc = ct_history_next(h, &e, &err)) > 0) {
		long long day = e.time + (long long)e.offset * 60;

		day = (day - ((day % 86400) + 86400) % 86400) / 86400;
		if (o.has_since && day < o.since)
			break;
		if (one_commit(st, cdir, &e, &o, all, first))
			first = false;
	}
	if (rc < 0)
		cli_die_err(&err);
	ct_history_free(h);
	if (o.json) {
		if (ct_json_emit(all, true, &out, &len, &err) < 0)
			cli_die_err(&err);
		printf("%s\n", out);
		free(out);
		ct_node_free(all);
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die("writing the output failed");
	free(cdir);
	free(rec);
	ct_store_free(st);
	return 0;
}

/*
 * The case log as case-log shows it (history.h): when each commit's
 * entries happened and when the central repository received it, the
 * commit's local time, and the JSON of a commit.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "casetrail/buf.h"
#include "casetrail/history.h"
#include "casetrail/receipt.h"
#include "casetrail/util.h"
#include "casetrail/yaml.h"

void
ct_log_time(long long t, int offset, bool iso, char *buf, size_t sz)
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

int
ct_log_when_of(ct_receipts *rs, const ct_log_commit *c, ct_log_when *w,
    ct_error *err)
{
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
	return ct_receipts_covering(rs, c->entry.commit, &w->receipt, err);
}

static ct_node *
str_or_null(const char *s)
{
	return s != NULL ? ct_node_new_str(s) : ct_node_new_null();
}

const char *
ct_log_path_text(const ct_log_change *ch)
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
	n = b.failed ? NULL : ct_node_new_str(b.s);
	ct_buf_free(&b);
	return n;
}

/* {"record", "kind", "path", "old", "new"}, or NULL (out of memory). */
static ct_node *
change_json(const ct_log_change *ch)
{
	ct_node *o;
	int bad = 0;

	if ((o = ct_node_new_map()) == NULL)
		return NULL;
	bad |= ct_map_set(o, "record", ct_node_new_str(ch->record));
	bad |= ct_map_set(o, "kind", ct_node_new_str(ch->removed ?
	    "removed" : "field"));
	bad |= ct_map_set(o, "path", ch->removed ? ct_node_new_null() :
	    ct_node_new_str(ct_log_path_text(ch)));
	bad |= ct_map_set(o, "old", value_json(ch->field.old));
	bad |= ct_map_set(o, "new", value_json(ch->field.new));
	if (bad) {
		ct_node_free(o);
		return NULL;
	}
	return o;
}

/* The commit's "dated", "recorded", "received" and "receipt". */
static int
when_json(ct_node *obj, const ct_log_commit *c, const ct_log_when *w)
{
	const ct_history_entry *e = &c->entry;
	ct_node *dated;
	char buf[64];
	size_t i;
	int bad = 0;

	dated = ct_node_new_seq();
	for (i = 0; i < w->ndated; i++)
		bad |= ct_seq_push(dated, ct_node_new_str(ct_date_format(
		    w->dated[i], buf)));
	bad |= ct_map_set(obj, "dated", dated);
	ct_log_time(e->time, e->offset, true, buf, sizeof(buf));
	bad |= ct_map_set(obj, "recorded", ct_node_new_str(buf));
	if (w->receipt != NULL)
		ct_log_time(w->receipt->when, e->offset, true, buf,
		    sizeof(buf));
	bad |= ct_map_set(obj, "received", w->receipt != NULL ?
	    ct_node_new_str(buf) : ct_node_new_null());
	bad |= ct_map_set(obj, "receipt", w->receipt != NULL ?
	    ct_node_new_str(w->receipt->ref) : ct_node_new_null());
	return bad ? -1 : 0;
}

int
ct_case_log_json(ct_node *all, const ct_log_commit *c, const ct_log_when *w,
    ct_error *err)
{
	const ct_history_entry *e = &c->entry;
	ct_node *obj, *list;
	char date[64];
	size_t i;
	int bad = 0;

	/* a failed set or push frees its value, so obj owns all it holds */
	if ((obj = ct_node_new_map()) == NULL)
		return ct_nomem(err);
	ct_log_time(e->time, e->offset, true, date, sizeof(date));
	bad |= ct_map_set(obj, "commit", ct_node_new_str(e->commit));
	bad |= ct_map_set(obj, "date", ct_node_new_str(date));
	bad |= ct_map_set(obj, "author", ct_node_new_str(e->author_name));
	bad |= ct_map_set(obj, "email", ct_node_new_str(e->author_email));
	bad |= ct_map_set(obj, "tool", str_or_null(c->tool));
	bad |= ct_map_set(obj, "action", str_or_null(c->action));
	bad |= ct_map_set(obj, "reason", str_or_null(c->reason));
	bad |= ct_map_set(obj, "approved_by", str_or_null(c->approved_by));
	bad |= when_json(obj, c, w);
	list = ct_node_new_seq();
	for (i = 0; i < c->nchanges; i++)
		bad |= ct_seq_push(list, change_json(&c->changes[i]));
	bad |= ct_map_set(obj, "changes", list);
	if (bad) {
		ct_node_free(obj);
		return ct_nomem(err);
	}
	return ct_seq_push(all, obj) != 0 ? ct_nomem(err) : 0;
}

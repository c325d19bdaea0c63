/*
 * Findings as aligned text, JSON, CSV and iCalendar.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/report.h"
#include "casetrail/summary.h"

/* A finding's WHAT: the rule's title, what it counts from, how late. */
static void
text_what(const ct_finding *f, ct_buf *w)
{
	char a[CT_DATE_BUFSZ];

	ct_buf_truncate(w, 0);
	ct_buf_printf(w, "%s (%s %s)", ct_rule_title(f->rule), f->anchor_what,
	    ct_date_format(f->anchor, a));
	if (f->status == CT_STATUS_MET_LATE)
		ct_buf_printf(w, ", met %s, %d day%s late",
		    ct_date_format(f->met_on, a), (int)(f->met_on - f->due),
		    f->met_on - f->due == 1 ? "" : "s");
	if (f->status == CT_STATUS_DEFERRED)
		ct_buf_printf(w, ", deferred until %s",
		    ct_date_format(f->exception_until, a));
	else if (f->status == CT_STATUS_WAIVED)
		ct_buf_puts(w, ", waived");
	if (f->exception != NULL)
		ct_buf_printf(w, " by %s: %s", f->exception_by,
		    f->exception_reason);
}

static void
text_rows(const ct_findings *fs, bool color, ct_table *t)
{
	static const char *const head[] = { "DUE", "STATUS", "DAYS", "CASE",
	    "RULE", "WHAT" };
	const char *cells[6];
	char d[CT_DATE_BUFSZ], days[16];
	ct_buf what = { 0 };
	size_t i;

	ct_table_add(t, head);
	for (i = 0; i < fs->n; i++) {
		const ct_finding *f = &fs->v[i];

		snprintf(days, sizeof(days), "%d", f->days);
		text_what(f, &what);
		cells[0] = ct_date_format(f->due, d);
		cells[1] = ct_status_name(f->status);
		cells[2] = days;
		cells[3] = f->case_id;
		cells[4] = ct_rule_id(f->rule);
		cells[5] = what.failed ? NULL : what.s;
		ct_table_add(t, cells);
		if (color && f->status == CT_STATUS_OVERDUE)
			ct_table_style(t, 1, "\033[31m");
		else if (color && f->status == CT_STATUS_DUE)
			ct_table_style(t, 1, "\033[33m");
	}
	t->failed |= what.failed;
	ct_buf_free(&what);
}

void
ct_findings_text(const ct_findings *fs, bool explain, bool color, ct_buf *b)
{
	ct_table t;
	size_t i;

	if (fs->n == 0) {
		ct_buf_puts(b, "no obligations to show\n");
		return;
	}
	if (ct_table_init(&t, 6, 1u << 2))
		text_rows(fs, color, &t);
	for (i = 0; i < t.nrows; i++) {
		ct_table_line(&t, i, b);
		if (explain && i > 0) {
			ct_buf_spaces(b, 12);
			ct_text_safe(b, fs->v[i - 1].explain);
			ct_buf_putc(b, '\n');
		}
		ct_buf_flush(b, false);
	}
	if (t.failed)
		b->failed = true;
	ct_table_free(&t);
}

/*
 * The JSON of a field, as ct_json_field() writes it, with its head
 * ("    \"key\": ") a literal: the report writes 18 fields for each of
 * up to a few hundred thousand findings.
 */
#define FIELD(b, key, v, last) \
	field(b, "    \"" key "\": ", sizeof("    \"" key "\": ") - 1, v, last)

/* ct_buf_add without a call while there is room: the writer reserves
 * room for a finding before it writes one. */
static inline void
put(ct_buf *b, const char *s, size_t n)
{
	if (!b->failed && b->len + n < b->cap) {
		memcpy(b->s + b->len, s, n);
		b->len += n;
		b->s[b->len] = '\0';
	} else
		ct_buf_add(b, s, n);
}

/* A JSON string: printable ASCII (nearly every value) in one piece,
 * anything else through ct_json_str. */
static void
jstr(ct_buf *b, const char *v)
{
	const unsigned char *p = (const unsigned char *)v;

	while (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
		p++;
	if (*p != '\0') {
		ct_json_str(b, v);
		return;
	}
	put(b, "\"", 1);
	put(b, v, (size_t)((const char *)p - v));
	put(b, "\"", 1);
}

static void
field(ct_buf *b, const char *head, size_t n, const char *v, bool last)
{
	put(b, head, n);
	if (v != NULL)
		jstr(b, v);
	else
		put(b, "null", 4);
	put(b, last ? "\n" : ",\n", last ? 1 : 2);
}

/* A field whose value needs no escape (a date, a status name). */
#define PLAIN(b, key, v) \
	plain(b, "    \"" key "\": \"", sizeof("    \"" key "\": \"") - 1, v)

static void
plain(ct_buf *b, const char *head, size_t n, const char *v)
{
	put(b, head, n);
	put(b, v, strlen(v));
	put(b, "\",\n", 3);
}

/* A JSON number field: "    \"key\": n,\n". */
#define NUMBER(b, key, n) \
	number(b, "    \"" key "\": ", sizeof("    \"" key "\": ") - 1, n)

static void
number(ct_buf *b, const char *head, size_t len, long n)
{
	char digits[24], *p = digits + sizeof(digits);
	unsigned long u = n < 0 ? 0UL - (unsigned long)n : (unsigned long)n;

	*--p = '\n';
	*--p = ',';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (n < 0)
		*--p = '-';
	put(b, head, len);
	put(b, p, (size_t)(digits + sizeof(digits) - p));
}

/*
 * The fields of a rule as JSON, made once per rule of a report: its
 * citation alone is most of the bytes of a finding.
 */
struct rule_json {
	const ct_rule *rule;
	ct_buf head;        /* "rule" and "title" */
	ct_buf tail;        /* "citation" */
};

struct rules_json {
	struct rule_json *v;
	size_t n;
	bool failed;
};

static const struct rule_json *
rule_json(struct rules_json *rj, const ct_rule *r)
{
	struct rule_json *grown, *j;
	size_t i;

	for (i = 0; i < rj->n; i++)
		if (rj->v[i].rule == r)
			return &rj->v[i];
	if ((grown = realloc(rj->v, (rj->n + 1) * sizeof(*grown))) == NULL) {
		rj->failed = true;
		return NULL;
	}
	rj->v = grown;
	j = &rj->v[rj->n++];
	memset(j, 0, sizeof(*j));
	j->rule = r;
	FIELD(&j->head, "rule", ct_rule_id(r), false);
	FIELD(&j->head, "title", ct_rule_title(r), false);
	FIELD(&j->tail, "citation", ct_rule_cite(r), true);
	if (j->head.failed || j->tail.failed)
		rj->failed = true;
	return j;
}

static void
rules_json_free(struct rules_json *rj)
{
	size_t i;

	for (i = 0; i < rj->n; i++) {
		ct_buf_free(&rj->v[i].head);
		ct_buf_free(&rj->v[i].tail);
	}
	free(rj->v);
}

void
ct_findings_json(const ct_findings *fs, ct_buf *b)
{
	char a[CT_DATE_BUFSZ], d[CT_DATE_BUFSZ], m[CT_DATE_BUFSZ];
	struct rules_json rj = { 0 };
	const struct rule_json *r;
	size_t i;

	ct_buf_puts(b, "[");
	for (i = 0; i < fs->n; i++) {
		const ct_finding *f = &fs->v[i];

		if ((r = rule_json(&rj, f->rule)) == NULL || rj.failed) {
			b->failed = true;
			break;
		}
		(void)ct_buf_reserve(b, 4096);
		put(b, ",\n  {\n" + (i == 0), i == 0 ? 5 : 6);
		FIELD(b, "case", f->case_id, false);
		put(b, r->head.s, r->head.len);
		FIELD(b, "anchor_event", f->anchor_what, false);
		PLAIN(b, "anchor_date", ct_date_format(f->anchor, a));
		FIELD(b, "key", f->key, false);
		FIELD(b, "manager", f->manager, false);
		FIELD(b, "agency", f->agency, false);
		PLAIN(b, "due", ct_date_format(f->due, d));
		PLAIN(b, "status", ct_status_name(f->status));
		NUMBER(b, "days", f->days);
		FIELD(b, "met_on", f->met_known ?
		    ct_date_format(f->met_on, m) : NULL, false);
		if (f->status == CT_STATUS_MET_LATE)
			NUMBER(b, "days_late", (long)(f->met_on - f->due));
		else
			ct_buf_puts(b, "    \"days_late\": null,\n");
		if (f->exception != NULL) {
			ct_buf_puts(b, "    \"exception\": {\n  ");
			ct_json_field(b, "action", f->exception, false);
			ct_buf_puts(b, "  ");
			ct_json_field(b, "until", f->status == CT_STATUS_DEFERRED ?
			    ct_date_format(f->exception_until, m) : NULL, false);
			ct_buf_puts(b, "  ");
			ct_json_field(b, "by", f->exception_by, false);
			ct_buf_puts(b, "  ");
			ct_json_field(b, "reason", f->exception_reason, true);
			ct_buf_puts(b, "    },\n");
		} else
			ct_buf_puts(b, "    \"exception\": null,\n");
		FIELD(b, "explain", f->explain, false);
		put(b, r->tail.s, r->tail.len);
		put(b, "  }", 3);
		ct_buf_flush(b, false);
	}
	rules_json_free(&rj);
	ct_buf_puts(b, fs->n ? "\n]\n" : "]\n");
}

void
ct_findings_csv(const ct_findings *fs, bool explain, ct_buf *b)
{
	char a[CT_DATE_BUFSZ], d[CT_DATE_BUFSZ], m[CT_DATE_BUFSZ];
	char u[CT_DATE_BUFSZ];
	char days[16];
	const char *cells[16];
	size_t i, k, ncells = explain ? 16 : 15;

	ct_buf_puts(b, "case,rule,title,anchor_event,anchor_date,due,status,"
	    "days,met_on,deferred_until,exception_by,exception_reason,"
	    "manager,agency,citation");
	ct_buf_puts(b, explain ? ",explain\r\n" : "\r\n");
	for (i = 0; i < fs->n; i++) {
		const ct_finding *f = &fs->v[i];

		snprintf(days, sizeof(days), "%d", f->days);
		cells[0] = f->case_id;
		cells[1] = ct_rule_id(f->rule);
		cells[2] = ct_rule_title(f->rule);
		cells[3] = f->anchor_what;
		cells[4] = ct_date_format(f->anchor, a);
		cells[5] = ct_date_format(f->due, d);
		cells[6] = ct_status_name(f->status);
		cells[7] = days;
		cells[8] = f->met_known ? ct_date_format(f->met_on, m) : "";
		cells[9] = f->status == CT_STATUS_DEFERRED ?
		    ct_date_format(f->exception_until, u) : "";
		cells[10] = f->exception_by != NULL ? f->exception_by : "";
		cells[11] = f->exception_reason != NULL ? f->exception_reason :
		    "";
		cells[12] = f->manager != NULL ? f->manager : "";
		cells[13] = f->agency != NULL ? f->agency : "";
		cells[14] = ct_rule_cite(f->rule);
		cells[15] = f->explain;
		for (k = 0; k < ncells; k++) {
			if (k > 0)
				ct_buf_puts(b, ",");
			ct_csv_cell(b, cells[k]);
		}
		ct_buf_puts(b, "\r\n");
		ct_buf_flush(b, false);
	}
}

/* YYYYMMDD of a date. */
static char *
ics_date(ct_date d, char out[9])
{
	char s[CT_DATE_BUFSZ];

	ct_date_format(d, s);
	snprintf(out, 9, "%.4s%.2s%.2s", s, s + 5, s + 8);
	return out;
}

/*
 * The UID of a finding's VEVENT, from the obligation's identity, never
 * from its place in the output: the case, the rule and, for an
 * obligation of a list entry, the entry's key (a request id "r3", a
 * notice id "n1", a report's ref, a plan version); for any other, what
 * it counts from and the anchor date.  So a filter, another day's run or
 * a new finding beside it leaves it as it is.  The case id and rule id
 * hold no '/', so the parts read back unambiguously.
 */
static void
ics_uid(const ct_finding *f, ct_buf *b)
{
	char a[CT_DATE_BUFSZ];
	const char *p;

	ct_buf_printf(b, "%s/%s/", f->case_id, ct_rule_id(f->rule));
	if (f->key != NULL) {
		ct_ics_text(b, f->key);
		return;
	}
	for (p = f->anchor_what; *p != '\0'; p++)
		ct_buf_putc(b, *p == ' ' ? '-' : *p);
	ct_buf_printf(b, "/%s", ct_date_format(f->anchor, a));
}

/* seq > 1 tells apart obligations that are the same in every respect
 * (two events of one type on one day): they sort next to each other. */
static void
ics_finding(const ct_finding *f, const char *uid, int seq, const char *stamp,
    ct_buf *b)
{
	char d1[9], d2[9];
	ct_buf line = { 0 };

	ct_ics_line(b, "BEGIN:VEVENT");
	ct_buf_printf(&line, "UID:%s", uid);
	if (seq > 1)
		ct_buf_printf(&line, "/%d", seq);
	ct_buf_puts(&line, "@casetrail");
	ct_ics_line(b, line.s);
	line.len = 0;
	ct_buf_printf(&line, "DTSTAMP:%sT000000Z", stamp);
	ct_ics_line(b, line.s);
	line.len = 0;
	ct_buf_printf(&line, "DTSTART;VALUE=DATE:%s", ics_date(f->due, d1));
	ct_ics_line(b, line.s);
	line.len = 0;
	ct_buf_printf(&line, "DTEND;VALUE=DATE:%s", ics_date(f->due + 1, d2));
	ct_ics_line(b, line.s);
	line.len = 0;
	/* the anchor names the agency asked, the notice, the report */
	ct_buf_printf(&line, "SUMMARY:%s %s (%s): ", f->case_id,
	    ct_rule_id(f->rule), ct_status_name(f->status));
	ct_ics_text(&line, ct_rule_title(f->rule));
	ct_buf_puts(&line, " (");
	ct_ics_text(&line, f->anchor_what);
	ct_buf_puts(&line, ")");
	ct_ics_line(b, line.s);
	line.len = 0;
	ct_buf_puts(&line, "DESCRIPTION:");
	ct_ics_text(&line, f->explain);
	ct_buf_puts(&line, "\\n");
	ct_ics_text(&line, ct_rule_cite(f->rule));
	ct_ics_line(b, line.s);
	ct_ics_line(b, "END:VEVENT");
	if (line.failed)
		b->failed = 1;
	ct_buf_free(&line);
}

/*
 * RFC 5545 3.6 wants at least one component in a calendar, and some
 * readers refuse one without.  An empty report is one VJOURNAL, which
 * calendar applications keep but do not show on a day: the file stays
 * valid, the calendar stays empty.
 */
static void
ics_nothing(const char *stamp, ct_buf *b)
{
	ct_buf line = { 0 };

	ct_ics_line(b, "BEGIN:VJOURNAL");
	ct_ics_line(b, "UID:no-obligations@casetrail");
	ct_buf_printf(&line, "DTSTAMP:%sT000000Z", stamp);
	ct_ics_line(b, line.s);
	line.len = 0;
	ct_buf_printf(&line, "DTSTART;VALUE=DATE:%s", stamp);
	ct_ics_line(b, line.s);
	ct_ics_line(b, "SUMMARY:No obligations to show");
	ct_ics_line(b, "END:VJOURNAL");
	if (line.failed)
		b->failed = 1;
	ct_buf_free(&line);
}

void
ct_findings_ics(const ct_findings *fs, ct_date stamp, ct_buf *b)
{
	ct_buf uid = { 0 }, prev = { 0 };
	char s[9];
	size_t i;
	int seq = 0;

	ics_date(stamp, s);
	ct_ics_line(b, "BEGIN:VCALENDAR");
	ct_ics_line(b, "VERSION:2.0");
	ct_ics_line(b, "PRODID:-//casetrail//deadline-check//EN");
	ct_ics_line(b, "CALSCALE:GREGORIAN");
	if (fs->n == 0)
		ics_nothing(s, b);
	for (i = 0; i < fs->n; i++) {
		ct_buf_truncate(&uid, 0);
		ct_buf_puts(&uid, "");
		ics_uid(&fs->v[i], &uid);
		if (uid.failed)
			break;
		seq = i > 0 && strcmp(uid.s, prev.s) == 0 ? seq + 1 : 1;
		ics_finding(&fs->v[i], uid.s, seq, s, b);
		ct_buf_truncate(&prev, 0);
		ct_buf_puts(&prev, uid.s);
		ct_buf_flush(b, false);
	}
	if (uid.failed || prev.failed)
		b->failed = 1;
	ct_buf_free(&uid);
	ct_buf_free(&prev);
	ct_ics_line(b, "END:VCALENDAR");
}

void
ct_findings_report(const ct_findings *fs, const ct_report_opts *o,
    ct_buf *b)
{
	if (o->bom)
		ct_buf_puts(b, "\xef\xbb\xbf");
	if (o->summary)
		ct_findings_summary(fs, o->format, b);
	else if (strcmp(o->format, "text") == 0)
		ct_findings_text(fs, o->explain, o->color, b);
	else if (strcmp(o->format, "json") == 0)
		ct_findings_json(fs, b);
	else if (strcmp(o->format, "csv") == 0)
		ct_findings_csv(fs, o->explain, b);
	else
		ct_findings_ics(fs, o->stamp, b);
}

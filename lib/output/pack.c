/*
 * MAP meeting packs: the cases of a meeting's agenda as one printable,
 * self-contained HTML document.
 *
 * Everything is read from one snapshot: each case's case.yaml, csp.yaml
 * and authority-notices.yaml, the agency registry, and the findings of
 * the deadline rules (ct_evaluator, as deadline-check).  Things dated
 * after today have not happened yet and are left out, as the listings of
 * csp-update and authority-notice leave them out; only the next review
 * due is shown ahead.  Every string from a record goes through
 * ct_html_text().
 *
 * The document is written to a file (ct_pack_write) only when it is a
 * regular file, or none yet, outside the store: never over a record, a
 * link, a directory or a device.  The checked directory is opened once
 * and everything after is done relative to it, with ct_wt_put_at (an
 * unpredictable temporary created exclusively, never through a link,
 * fsync'd, then renamed over the target, checked once more just before).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "casetrail/case.h"
#include "casetrail/csp.h"
#include "casetrail/evaluate.h"
#include "casetrail/notice.h"
#include "casetrail/pack.h"
#include "casetrail/util.h"
#include "casetrail/worktree.h"
#include "casetrail/record.h"
#include "casetrail/registry.h"

#define REVIEW_RULE "VIC-CSP-REVIEW"
#define TIMELINE_MONTHS 12  /* the timeline's reach before the meeting */

static const char *
day(ct_date d, char buf[CT_DATE_BUFSZ])
{
	return ct_date_format(d, buf);
}

/* A date cell of a row table (always well formed: the table wrote it). */
static ct_date
cell_day(const ct_rows *r, size_t i, size_t col)
{
	ct_error err = { 0 };
	ct_date d = 0;

	if (ct_date_parse(ct_rows_str(r, i, col), &d, &err) < 0)
		ct_error_clear(&err);
	return d;
}

/* A record of the case, or *out NULL when absent. */
static int
load_rec(ct_snapshot *snap, const char *id, const char *rel, ct_node **out,
    ct_error *err)
{
	char *path = NULL;
	int rc;

	*out = NULL;
	if ((rc = ct_case_path(id, rel, &path, err)) < 0)
		return rc;
	rc = ct_snapshot_load(snap, path, out, err);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		rc = 0;
	}
	free(path);
	return rc;
}

int
ct_pack_check_cases(ct_snapshot *snap, char *const *ids, size_t n,
    ct_error *err)
{
	ct_node *c = NULL;
	char *path = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < n; i++) {
		if ((rc = ct_case_path(ids[i], "case.yaml", &path, err)) < 0)
			break;
		rc = ct_snapshot_load(snap, path, &c, err);
		if (rc == CT_ENOTFOUND)
			rc = ct_error_set(err, CT_ENOTFOUND, "case %s does not "
			    "exist", ids[i]);
		else if (rc == 0 && !ct_streq(ct_map_str(c, "jurisdiction"),
		    "VIC"))
			rc = ct_error_set(err, CT_EINVALID, "case %s is not a "
			    "VIC case: MAP meeting packs are for Coordinated "
			    "Services Plans under the Serious Offenders Act "
			    "2018 (Vic)", ids[i]);
		ct_node_free(c);
		c = NULL;
		free(path);
		path = NULL;
	}
	return rc;
}

/*
 * One case's data.
 */
struct item {
	ct_date d;
	bool ahead;            /* after today: due, not done */
	size_t seq;            /* order of making, for ties */
	char *what;
};

struct onecase {
	const char *id;
	const ct_node *registry;   /* the agency registry, borrowed */
	int warn;                  /* VIC-CSP-REVIEW's warning window, days */
	ct_date warn_from;         /* the meeting's day + warn */
	ct_node *c, *csp, *notices;
	ct_findings fs;
	ct_rows sdus;               /* of ct_sdu_report */
	ct_rows rows;               /* of ct_notice_report */
	struct item *tl;
	size_t ntl, captl;
};

static void
onecase_free(struct onecase *k)
{
	size_t i;

	ct_node_free(k->c);
	ct_node_free(k->csp);
	ct_node_free(k->notices);
	ct_findings_clear(&k->fs);
	ct_rows_clear(&k->sdus);
	ct_rows_clear(&k->rows);
	for (i = 0; i < k->ntl; i++)
		free(k->tl[i].what);
	free(k->tl);
	memset(k, 0, sizeof(*k));
}

static int
tl_add(struct onecase *k, ct_date d, bool ahead, ct_error *err,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
tl_add(struct onecase *k, ct_date d, bool ahead, ct_error *err,
    const char *fmt, ...)
{
	struct item *grown;
	va_list ap;
	char *s;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return ct_nomem(err);
	if (k->ntl == k->captl) {
		size_t cap = k->captl ? k->captl * 2 : 32;

		if ((grown = realloc(k->tl, cap * sizeof(*grown))) == NULL) {
			free(s);
			return ct_nomem(err);
		}
		k->tl = grown;
		k->captl = cap;
	}
	k->tl[k->ntl].d = d;
	k->tl[k->ntl].ahead = ahead;
	k->tl[k->ntl].seq = k->ntl;
	k->tl[k->ntl++].what = s;
	return 0;
}

static int
cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->d != y->d)
		return x->d < y->d ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The agencies of a list node, "a, b, c". */
static char *
joined(const ct_node *list)
{
	ct_buf b = { 0 };
	size_t i;

	ct_buf_puts(&b, "");
	for (i = 0; i < ct_rec_len(list); i++)
		ct_buf_printf(&b, "%s%s", i ? ", " : "",
		    list->items[i]->str ? list->items[i]->str : "");
	if (b.failed) {
		ct_buf_free(&b);
		return NULL;
	}
	return b.s;
}

/* The timeline's entries of the CSP: endorsements, reviews opened, and
 * the review due (unless met). */
static int
timeline_plan(struct onecase *k, const ct_pack_opts *o, ct_error *err)
{
	const ct_node *en = ct_map_get(k->csp, "endorsements");
	const ct_node *rv = ct_map_get(k->csp, "reviews");
	char *ags;
	size_t i;
	ct_date d;
	int rc = 0;

	for (i = 0; rc == 0 && i < ct_rec_len(en); i++) {
		const ct_node *e = en->items[i];

		if (!ct_rec_date(e, "date", &d) || d > o->today)
			continue;
		if ((ags = joined(ct_map_get(e, "agencies"))) == NULL)
			return ct_nomem(err);
		rc = tl_add(k, d, false, err, "CSP version %lld endorsed at "
		    "%s; committed: %s", ct_rec_int(e, "version"),
		    ct_rec_str_or(e, "meeting", "?"), ags);
		free(ags);
	}
	for (i = 0; rc == 0 && i < ct_rec_len(rv); i++) {
		const ct_node *e = rv->items[i];

		if (ct_rec_date(e, "opened", &d) && d <= o->today)
			rc = tl_add(k, d, false, err, "CSP review opened: "
			    "version %lld drafted", ct_rec_int(e, "version"));
	}
	for (i = 0; rc == 0 && i < k->fs.n; i++) {
		const ct_finding *f = &k->fs.v[i];

		if (strcmp(ct_rule_id(f->rule), REVIEW_RULE) == 0 &&
		    !ct_status_met(f->status))
			rc = tl_add(k, f->due, f->due > o->today, err,
			    "CSP review due (%s, %s)", REVIEW_RULE,
			    ct_status_name(f->status));
	}
	return rc;
}

/* The timeline's entries of what was asked of the agencies and of the
 * Authority's notices. */
static int
timeline_asks(struct onecase *k, const ct_pack_opts *o, ct_error *err)
{
	const ct_node *rq = ct_map_get(k->csp, "requests");
	size_t i;
	ct_date d;
	int rc = 0;

	for (i = 0; rc == 0 && i < ct_rec_len(rq); i++) {
		const ct_node *e = rq->items[i];

		if (!ct_rec_date(e, "requested", &d) || d > o->today)
			continue;
		rc = tl_add(k, d, false, err, "Service-delivery update %s "
		    "requested from %s (%s, due %s)",
		    ct_rec_str_or(e, "id", "?"),
		    ct_rec_str_or(e, "agency", "?"),
		    ct_rec_str_or(e, "via", "?"), ct_rec_str_or(e, "due", "?"));
		if (rc == 0 && ct_rec_date(e, "received", &d) &&
		    d <= o->today)
			rc = tl_add(k, d, false, err, "Service-delivery update "
			    "%s received from %s", ct_rec_str_or(e, "id", "?"),
			    ct_rec_str_or(e, "agency", "?"));
	}
	for (i = 0; rc == 0 && i < k->rows.n; i++) {
		const char *id = ct_rows_str(&k->rows, i, CT_NOTICE_COL_NOTICE);

		rc = tl_add(k, cell_day(&k->rows, i, CT_NOTICE_COL_RECEIVED),
		    false, err, "Authority notice %s received: %s, due %s", id,
		    ct_rows_str(&k->rows, i, CT_NOTICE_COL_KIND),
		    ct_rows_str(&k->rows, i, CT_NOTICE_COL_DUE));
		if (rc == 0 && ct_rows_is(&k->rows, i, CT_NOTICE_COL_STATUS,
		    "answered"))
			rc = tl_add(k, cell_day(&k->rows, i,
			    CT_NOTICE_COL_RESPONDED), false, err, "Response to "
			    "Authority notice %s", id);
	}
	return rc;
}

/* The case's timeline (k->tl): its orders, the plan, what was asked and
 * answered, from TIMELINE_MONTHS before the meeting on, in date order. */
static int
timeline(struct onecase *k, const ct_pack_opts *o, ct_error *err)
{
	const ct_node *ev = ct_map_get(k->c, "events");
	size_t i;
	ct_date d, from = ct_date_add_months(o->date, -TIMELINE_MONTHS);
	int rc = 0;

	for (i = 0; rc == 0 && i < ct_rec_len(ev); i++) {
		const ct_node *e = ev->items[i];
		const char *t = ct_map_str(e, "type");

		if (!ct_rec_date(e, "date", &d) || d > o->today ||
		    ct_event_withdrawn(e) ||
		    (!ct_streq(t, "order-made") && !ct_streq(t, "order-ended")))
			continue;
		rc = tl_add(k, d, false, err, "%s order %s",
		    ct_rec_str_or(e, "order", "?"), ct_streq(t, "order-made") ?
		    "made" : "ended");
	}
	if (rc < 0 || (rc = timeline_plan(k, o, err)) < 0 ||
	    (rc = timeline_asks(k, o, err)) < 0)
		return rc;
	/* the timeline's reach: a year before the meeting, and ahead */
	for (i = 0; i < k->ntl;)
		if (k->tl[i].d < from) {
			free(k->tl[i].what);
			k->tl[i] = k->tl[--k->ntl];
		} else
			i++;
	if (k->ntl > 1)
		qsort(k->tl, k->ntl, sizeof(*k->tl), cmp_item);
	return 0;
}

static int
load_case(ct_snapshot *snap, ct_evaluator *ev, const char *id,
    const ct_pack_opts *o, struct onecase *k, ct_error *err)
{
	char *dir = NULL;
	int rc;

	memset(k, 0, sizeof(*k));
	k->id = id;
	ct_rows_init(&k->sdus, &ct_sdu_report);
	ct_rows_init(&k->rows, &ct_notice_report);
	if ((rc = load_rec(snap, id, "case.yaml", &k->c, err)) < 0 ||
	    (rc = load_rec(snap, id, CT_CSP_REL, &k->csp, err)) < 0 ||
	    (rc = load_rec(snap, id, CT_NOTICES_REL, &k->notices, err)) < 0)
		return rc;
	if (k->c == NULL)
		return ct_error_set(err, CT_ENOTFOUND, "case %s does not exist",
		    id);
	if ((rc = ct_case_dir(id, &dir, err)) < 0)
		return rc;
	rc = ct_evaluator_case(ev, dir, &k->fs, err);
	free(dir);
	if (rc < 0)
		return rc;
	ct_findings_sort(&k->fs);
	if ((k->csp != NULL &&
	    (rc = ct_csp_sdus(k->csp, o->today, &k->sdus, err)) < 0) ||
	    (k->notices != NULL &&
	    (rc = ct_notices_rows(k->notices, o->today, &k->rows, err)) < 0))
		return rc;
	ct_rows_sort(&k->sdus, ct_sdu_order);
	ct_rows_sort(&k->rows, ct_notice_order);
	return timeline(k, o, err);
}

/*
 * Rendering.
 */
/* An agency id, kept on one line, and its registered name beside it. */
static void
agency(ct_buf *b, const struct onecase *k, const char *id)
{
	const ct_node *a = ct_registry_find(k->registry, "agencies", "id", id);
	const char *name = ct_map_str(a, "name");

	ct_html_value(b, id);
	if (name != NULL) {
		ct_buf_puts(b, " <span class=\"ag\">(");
		ct_html_text(b, name);
		ct_buf_puts(b, ")</span>");
	}
}

/* The agencies of "a, b" or of a list node, each with its name. */
static void
agencies(ct_buf *b, const struct onecase *k, const char *csv,
    const ct_node *list)
{
	char *s = NULL, *p, *save = NULL;
	size_t n = 0;

	if (list != NULL)
		s = joined(list);
	else if (csv != NULL)
		s = strdup(csv);
	if (s == NULL) {
		b->failed |= list != NULL || csv != NULL;
		return;
	}
	for (p = strtok_r(s, ", ", &save); p != NULL;
	    p = strtok_r(NULL, ", ", &save)) {
		ct_buf_puts(b, n++ ? ", " : "");
		agency(b, k, p);
	}
	if (n == 0)
		ct_buf_puts(b, "-");
	free(s);
}

static void
cell_agency(ct_buf *b, const struct onecase *k, const char *id)
{
	ct_buf_puts(b, "<td>");
	if (id == NULL)
		ct_buf_puts(b, "-");
	else
		agency(b, k, id);
	ct_buf_puts(b, "</td>");
}

/* "supervision since 2026-03-02; interim-supervision ..." of open orders */
static void
orders_text(ct_buf *b, const ct_node *c)
{
	const ct_node *orders = ct_map_get(c, "orders");
	size_t i, n = 0;

	for (i = 0; i < ct_rec_len(orders); i++) {
		const ct_node *o = orders->items[i];

		if (ct_map_get(o, "ended") != NULL)
			continue;
		ct_buf_puts(b, n++ ? "; " : "");
		ct_html_value(b, ct_rec_str_or(o, "type", "?"));
		if (ct_map_str(o, "made") != NULL) {
			ct_buf_puts(b, " since ");
			ct_html_value(b, ct_map_str(o, "made"));
		}
	}
	if (n == 0)
		ct_buf_puts(b, "none open");
}

static const ct_node *
last_endorsement(const ct_node *csp)
{
	const ct_node *e = ct_map_get(csp, "endorsements");

	return ct_rec_len(e) > 0 ? e->items[e->n - 1] : NULL;
}

static void
csp_status(ct_buf *b, const ct_node *csp)
{
	if (csp == NULL) {
		ct_buf_puts(b, "no CSP");
		return;
	}
	ct_buf_printf(b, "version %lld, ", ct_rec_int(csp, "version"));
	ct_html_value(b, ct_rec_str_or(csp, "status", "?"));
	if (ct_streq(ct_map_str(csp, "status"), "draft") &&
	    ct_rec_int(csp, "version") > 1)
		ct_buf_puts(b, " (review open)");
}

static void
endorsed_text(ct_buf *b, const ct_node *csp)
{
	const ct_node *e = last_endorsement(csp);

	if (e == NULL) {
		ct_buf_puts(b, "never");
		return;
	}
	ct_html_value(b, ct_rec_str_or(e, "date", "?"));
	ct_buf_puts(b, " (");
	ct_html_words(b, ct_rec_str_or(e, "meeting", "?"));
	ct_buf_puts(b, ")");
}

/* The earliest unmet VIC-CSP-REVIEW finding. */
static const ct_finding *
next_review(const struct onecase *k)
{
	size_t i;

	for (i = 0; i < k->fs.n; i++)
		if (strcmp(ct_rule_id(k->fs.v[i].rule), REVIEW_RULE) == 0 &&
		    !ct_status_met(k->fs.v[i].status))
			return &k->fs.v[i];
	return NULL;
}

static size_t
open_requests(const struct onecase *k)
{
	size_t i, n = 0;

	for (i = 0; i < k->sdus.n; i++)
		n += !ct_rows_is(&k->sdus, i, CT_SDU_COL_STATUS, "received");
	return n;
}

static bool
unmet(const struct onecase *k, const char *rule, ct_date *due)
{
	size_t i;

	for (i = 0; i < k->fs.n; i++)
		if (strcmp(ct_rule_id(k->fs.v[i].rule), rule) == 0 &&
		    !ct_status_met(k->fs.v[i].status)) {
			*due = k->fs.v[i].due;
			return true;
		}
	return false;
}

static void
todo(ct_buf *b, const char *lead, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* One item of the summary's list: lead, a value kept on one line (when
 * not NULL), then the rest (fmt), its dates and ids kept whole too. */
static void
todo(ct_buf *b, const char *lead, const char *value, const char *fmt, ...)
{
	va_list ap;
	char *rest;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&rest, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		b->failed = true;
		return;
	}
	ct_buf_puts(b, "<li>");
	ct_html_text(b, lead);
	if (value != NULL)
		ct_html_value(b, value);
	ct_html_words(b, rest);
	ct_buf_puts(b, "</li>");
	free(rest);
}

/* Every overdue finding, named: the rule, what it counts from, since. */
static void
todo_overdue(ct_buf *b, const struct onecase *k)
{
	char d[CT_DATE_BUFSZ];
	size_t i;

	for (i = 0; i < k->fs.n; i++) {
		const ct_finding *f = &k->fs.v[i];

		if (f->status == CT_STATUS_OVERDUE)
			todo(b, "Overdue: ", ct_rule_id(f->rule), " (%s), due "
			    "%s, %d day%s ago", f->anchor_what, day(f->due, d),
			    -f->days, f->days == -1 ? "" : "s");
	}
}

/* What the meeting must decide: the plan to endorse or draft, the
 * review, the Authority's notices to answer, the updates to chase. */
static void
todo_decide(ct_buf *b, const struct onecase *k)
{
	char d[CT_DATE_BUFSZ];
	ct_date due;
	size_t i;

	if (k->csp == NULL && unmet(k, "VIC-CSP-REQUIRED", &due))
		todo(b, "Decide: who drafts the CSP, ", NULL, "required by %s "
		    "(VIC-CSP-REQUIRED)", day(due, d));
	else if (ct_streq(ct_map_str(k->csp, "status"), "draft"))
		todo(b, "Decide: endorse CSP version ", NULL, "%lld",
		    ct_rec_int(k->csp, "version"));
	if (unmet(k, REVIEW_RULE, &due) && due <= k->warn_from)
		todo(b, "Decide: review the CSP, ", NULL, "due %s (%s)",
		    day(due, d), REVIEW_RULE);
	for (i = 0; i < k->rows.n; i++)
		if (!ct_rows_is(&k->rows, i, CT_NOTICE_COL_STATUS, "answered"))
			todo(b, "Decide: the response to Authority notice ",
			    ct_rows_str(&k->rows, i, CT_NOTICE_COL_NOTICE),
			    " (%s), due %s",
			    ct_rows_str(&k->rows, i, CT_NOTICE_COL_KIND),
			    ct_rows_str(&k->rows, i, CT_NOTICE_COL_DUE));
	for (i = 0; i < k->sdus.n; i++)
		if (ct_rows_is(&k->sdus, i, CT_SDU_COL_STATUS, "overdue"))
			todo(b, "Follow up: ",
			    ct_rows_str(&k->sdus, i, CT_SDU_COL_AGENCY),
			    "'s update %s, due %s",
			    ct_rows_str(&k->sdus, i, CT_SDU_COL_REQUEST),
			    ct_rows_str(&k->sdus, i, CT_SDU_COL_DUE));
}

static void
summary_todo(ct_buf *b, const struct onecase *k)
{
	size_t len;

	ct_buf_puts(b, "<td class=\"todo\"><ul>");
	len = b->len;
	todo_overdue(b, k);
	todo_decide(b, k);
	if (b->len == len)
		ct_buf_puts(b, "<li>Nothing overdue or to decide: for "
		    "noting</li>");
	ct_buf_puts(b, "</ul></td>");
}

static void
summary_row(ct_buf *b, const struct onecase *k)
{
	const ct_finding *f = next_review(k);
	char d[CT_DATE_BUFSZ];

	ct_buf_puts(b, "<tr><td class=\"v\"><a href=\"#case-");
	ct_html_text(b, k->id);
	ct_buf_puts(b, "\">");
	ct_html_text(b, k->id);
	ct_buf_puts(b, "</a></td><td>");
	orders_text(b, k->c);
	ct_buf_puts(b, "</td><td>");
	csp_status(b, k->csp);
	ct_buf_puts(b, "</td><td>");
	endorsed_text(b, k->csp);
	ct_buf_puts(b, "</td>");
	if (f == NULL)
		ct_buf_puts(b, "<td>-</td>");
	else
		ct_buf_printf(b, "<td class=\"%s\"><span class=\"v\">%s</span> "
		    "<span class=\"v\">(%s)</span></td>",
		    ct_status_name(f->status), day(f->due, d),
		    ct_status_name(f->status));
	ct_html_cell_num(b, (long long)open_requests(k));
	summary_todo(b, k);
	ct_buf_puts(b, "</tr>\n");
}

/*
 * The review clock: a line from the last endorsement to the review due,
 * the rule's warning window before the due day shaded, today marked; past
 * the due day the overdue stretch in red.  Inline SVG, 600 x 64 units.
 */
#define CLOCK_X0 10.0
#define CLOCK_X1 590.0

static double
clock_x(ct_date d, ct_date from, ct_date to)
{
	return CLOCK_X0 + (CLOCK_X1 - CLOCK_X0) * (double)(d - from) /
	    (double)(to - from);
}

static void
clock_mark(ct_buf *b, double x, const char *label, ct_date d, bool below)
{
	char s[CT_DATE_BUFSZ];
	const char *anchor = x < 80 ? "start" : x > 520 ? "end" : "middle";

	ct_buf_printf(b, "<line x1=\"%.1f\" y1=\"18\" x2=\"%.1f\" y2=\"38\" "
	    "stroke=\"#111\" stroke-width=\"2\"/>\n<text x=\"%.1f\" y=\"%d\" "
	    "text-anchor=\"%s\">%s %s</text>\n", x, x, x, below ? 54 : 12,
	    anchor, label, day(d, s));
}

static void
review_clock(ct_buf *b, const struct onecase *k, ct_date today)
{
	const ct_finding *f = next_review(k);
	const ct_node *e = last_endorsement(k->csp);
	ct_date from, to, warn;
	char d[CT_DATE_BUFSZ];

	if (f == NULL || e == NULL || !ct_rec_date(e, "date", &from) ||
	    from >= f->due)
		return;
	to = today > f->due ? today : f->due;
	warn = f->due - k->warn < from ? from : f->due - k->warn;
	ct_buf_printf(b, "<svg class=\"clock\" viewBox=\"0 0 600 64\" "
	    "role=\"img\" aria-label=\"Review clock: endorsed %s, ",
	    day(from, d));
	ct_buf_printf(b, "review due %s\" "
	    "font-size=\"11\" font-family=\"system-ui,sans-serif\">\n"
	    "<rect x=\"10\" y=\"24\" width=\"580\" height=\"8\" "
	    "fill=\"#ddd\"/>\n", day(f->due, d));
	ct_buf_printf(b, "<rect x=\"%.1f\" y=\"24\" width=\"%.1f\" height=\"8\" "
	    "fill=\"#f2c14e\"><title>warning window, %d days</title></rect>\n",
	    clock_x(warn, from, to), clock_x(f->due, from, to) -
	    clock_x(warn, from, to), k->warn);
	if (today > f->due)
		ct_buf_printf(b, "<rect x=\"%.1f\" y=\"24\" width=\"%.1f\" "
		    "height=\"8\" fill=\"#c33\"/>\n", clock_x(f->due, from, to),
		    CLOCK_X1 - clock_x(f->due, from, to));
	clock_mark(b, clock_x(from, from, to), "endorsed", from, false);
	clock_mark(b, clock_x(f->due, from, to), "review due", f->due, false);
	if (today >= from)
		clock_mark(b, clock_x(today, from, to), "today", today, true);
	ct_buf_puts(b, "</svg>\n");
}

static const char *const service_cols[] = { "Service", "Agency",
    "Provider", "Delivers", "Addresses", "Frequency", "Start", "Status" };

static void
section_csp(ct_buf *b, const struct onecase *k)
{
	const ct_node *sv = ct_map_get(k->csp, "services");
	const ct_node *e = last_endorsement(k->csp);
	size_t i;

	ct_buf_puts(b, "<h3>Coordinated Services Plan</h3>\n");
	if (k->csp == NULL) {
		ct_html_none(b, "No CSP on file.");
		return;
	}
	ct_buf_puts(b, "<dl class=\"facts\"><dt>Version</dt><dd>");
	csp_status(b, k->csp);
	ct_buf_puts(b, "</dd><dt>Last endorsed</dt><dd>");
	endorsed_text(b, k->csp);
	ct_buf_puts(b, "</dd>");
	if (e != NULL) {
		ct_buf_printf(b, "<dt>Committed (version %lld)</dt><dd>",
		    ct_rec_int(e, "version"));
		agencies(b, k, NULL, ct_map_get(e, "agencies"));
		ct_buf_puts(b, "</dd>");
	}
	ct_buf_puts(b, "</dl>\n");
	if (ct_rec_len(sv) == 0)
		ct_html_none(b, "The plan lists no services.");
	else {
		ct_html_table(b, service_cols, 8);
		for (i = 0; i < sv->n; i++) {
			const ct_node *s = sv->items[i];

			ct_buf_puts(b, "<tr>");
			ct_html_cell_value(b, ct_rec_str_or(s, "id", ""));
			cell_agency(b, k, ct_map_str(s, "agency"));
			cell_agency(b, k, ct_map_str(s, "provider"));
			ct_html_cell(b, ct_rec_str_or(s, "delivers", ""));
			ct_html_cell(b, ct_rec_str_or(s, "addresses", ""));
			ct_html_cell(b, ct_rec_str_or(s, "frequency", ""));
			ct_html_cell_value(b, ct_rec_str_or(s, "start", "-"));
			ct_html_cell_value(b, ct_rec_str_or(s, "status", ""));
			ct_buf_puts(b, "</tr>\n");
		}
		ct_buf_puts(b, "</tbody></table>\n");
	}
	if (ct_map_str(k->csp, "comments") != NULL) {
		ct_buf_puts(b, "<p class=\"text\">");
		ct_html_text(b, ct_map_str(k->csp, "comments"));
		ct_buf_puts(b, "</p>\n");
	}
}

/* Each agency's latest answered request (by the day received). */
static void
section_updates(ct_buf *b, const struct onecase *k, ct_date today)
{
	const ct_node *rq = ct_map_get(k->csp, "requests");
	size_t i, j, shown = 0;

	ct_buf_puts(b, "<h3>Latest service-delivery updates</h3>\n");
	for (i = 0; i < ct_rec_len(rq); i++) {
		const ct_node *r = rq->items[i], *later = NULL;
		const char *ag = ct_map_str(r, "agency");
		ct_date d, d2;

		if (!ct_rec_date(r, "received", &d) || d > today)
			continue;
		for (j = 0; j < rq->n && later == NULL; j++)
			if (j != i && ct_streq(ag, ct_map_str(rq->items[j],
			    "agency")) && ct_rec_date(rq->items[j],
			    "received", &d2) && d2 <= today &&
			    (d2 > d || (d2 == d && j > i)))
				later = rq->items[j];
		if (later != NULL)
			continue;
		if (shown++ == 0)
			ct_buf_puts(b, "<table><thead><tr><th>Agency</th>"
			    "<th>Received</th><th>Request</th><th>Delivered, "
			    "previous six months</th><th>Next six months, "
			    "treatment goals</th></tr></thead><tbody>\n");
		ct_buf_puts(b, "<tr>");
		cell_agency(b, k, ag);
		ct_html_cell_value(b, ct_rec_str_or(r, "received", ""));
		ct_buf_puts(b, "<td class=\"v\">");
		ct_html_text(b, ct_rec_str_or(r, "id", ""));
		ct_buf_puts(b, " (");
		ct_html_text(b, ct_rec_str_or(r, "via", ""));
		ct_buf_puts(b, ")</td><td class=\"text\">");
		ct_html_text(b, ct_rec_str_or(r, "delivered", ""));
		ct_buf_puts(b, "</td><td class=\"text\">");
		ct_html_text(b, ct_rec_str_or(r, "next", ""));
		ct_buf_puts(b, "</td></tr>\n");
	}
	if (shown == 0)
		ct_html_none(b, "No service-delivery update received.");
	else
		ct_buf_puts(b, "</tbody></table>\n");
}

static void
section_requests(ct_buf *b, const struct onecase *k)
{
	size_t i, shown = 0;

	ct_buf_puts(b, "<h3>Outstanding requests</h3>\n");
	for (i = 0; i < k->sdus.n; i++) {
		const ct_rows *u = &k->sdus;

		if (ct_rows_is(u, i, CT_SDU_COL_STATUS, "received"))
			continue;
		if (shown++ == 0)
			ct_buf_puts(b, "<table><thead><tr><th>Request</th>"
			    "<th>Agency</th><th>Via</th><th>Requested</th>"
			    "<th>Due</th><th>Status</th><th>Days</th></tr>"
			    "</thead><tbody>\n");
		ct_buf_puts(b, "<tr>");
		ct_html_cell_value(b, ct_rows_str(u, i, CT_SDU_COL_REQUEST));
		cell_agency(b, k, ct_rows_str(u, i, CT_SDU_COL_AGENCY));
		ct_html_cell_value(b, ct_rows_str(u, i, CT_SDU_COL_VIA));
		ct_html_cell_value(b, ct_rows_str(u, i, CT_SDU_COL_REQUESTED));
		ct_html_cell_value(b, ct_rows_str(u, i, CT_SDU_COL_DUE));
		ct_html_cell_status(b, ct_rows_str(u, i, CT_SDU_COL_STATUS));
		ct_html_cell_num(b, strtoll(ct_rows_str(u, i, CT_SDU_COL_DAYS),
		    NULL, 10));
		ct_buf_puts(b, "</tr>\n");
	}
	if (shown == 0)
		ct_html_none(b, "No service-delivery update request outstanding.");
	else
		ct_buf_puts(b, "</tbody></table>\n");
}

static void
section_notices(ct_buf *b, const struct onecase *k)
{
	size_t i, shown = 0;

	ct_buf_puts(b, "<h3>Open Authority notices</h3>\n");
	for (i = 0; i < k->rows.n; i++) {
		const ct_rows *r = &k->rows;
		const char *ref = ct_rows_get(r, i, CT_NOTICE_COL_REFERENCE);

		if (ct_rows_is(r, i, CT_NOTICE_COL_STATUS, "answered"))
			continue;
		if (shown++ == 0)
			ct_buf_puts(b, "<table><thead><tr><th>Notice</th>"
			    "<th>Kind</th><th>Received</th><th>Asks</th>"
			    "<th>Agencies</th><th>Due</th><th>Status</th>"
			    "<th>Days</th></tr></thead><tbody>\n");
		ct_buf_puts(b, "<tr><td>");
		ct_html_value(b, ct_rows_str(r, i, CT_NOTICE_COL_NOTICE));
		if (ref != NULL) {
			ct_buf_puts(b, " (");
			ct_html_value(b, ref);
			ct_buf_puts(b, ")");
		}
		ct_buf_puts(b, "</td>");
		ct_html_cell_value(b, ct_rows_str(r, i, CT_NOTICE_COL_KIND));
		ct_html_cell_value(b, ct_rows_str(r, i, CT_NOTICE_COL_RECEIVED));
		ct_html_cell(b, ct_rows_str(r, i, CT_NOTICE_COL_ASKS));
		ct_buf_puts(b, "<td>");
		agencies(b, k, ct_rows_str(r, i, CT_NOTICE_COL_AGENCIES), NULL);
		ct_buf_puts(b, "</td>");
		ct_html_cell_value(b, ct_rows_str(r, i, CT_NOTICE_COL_DUE));
		ct_html_cell_status(b, ct_rows_str(r, i, CT_NOTICE_COL_STATUS));
		ct_html_cell_num(b, strtoll(ct_rows_str(r, i, CT_NOTICE_COL_DAYS),
		    NULL, 10));
		ct_buf_puts(b, "</tr>\n");
	}
	if (shown == 0)
		ct_html_none(b, "No open notice of the Post-Sentence Authority.");
	else
		ct_buf_puts(b, "</tbody></table>\n");
}

static void
section_deadlines(ct_buf *b, const struct onecase *k)
{
	char d[CT_DATE_BUFSZ];
	size_t i, shown = 0;

	ct_buf_puts(b, "<h3>Deadlines</h3>\n");
	for (i = 0; i < k->fs.n; i++) {
		const ct_finding *f = &k->fs.v[i];

		if (f->status == CT_STATUS_MET)
			continue;
		if (shown++ == 0)
			ct_buf_puts(b, "<table><thead><tr><th>Due</th>"
			    "<th>Status</th><th>Days</th><th>Rule</th>"
			    "<th>What</th></tr></thead><tbody>\n");
		ct_buf_puts(b, "<tr>");
		ct_html_cell_value(b, day(f->due, d));
		ct_html_cell_status(b, ct_status_name(f->status));
		ct_html_cell_num(b, f->days);
		ct_html_cell_value(b, ct_rule_id(f->rule));
		ct_buf_puts(b, "<td>");
		ct_html_text(b, ct_rule_title(f->rule));
		ct_buf_puts(b, " (");
		ct_html_words(b, f->anchor_what);
		ct_buf_printf(b, " <span class=\"v\">%s</span>)",
		    day(f->anchor, d));
		if (f->status == CT_STATUS_MET_LATE)
			ct_buf_printf(b, ", met <span class=\"v\">%s</span>, "
			    "%d day%s late",
			    day(f->met_on, d), (int)(f->met_on - f->due),
			    f->met_on - f->due == 1 ? "" : "s");
		ct_buf_puts(b, "</td></tr>\n");
	}
	if (shown == 0)
		ct_html_none(b, "Nothing due: every obligation of the rules is met.");
	else
		ct_buf_puts(b, "</tbody></table>\n");
}

static void
section_timeline(ct_buf *b, const struct onecase *k)
{
	char d[CT_DATE_BUFSZ];
	size_t i;

	ct_buf_printf(b, "<h3>Timeline (%d months before the meeting, and "
	    "ahead)</h3>\n", TIMELINE_MONTHS);
	if (k->ntl == 0) {
		ct_html_none(b, "Nothing in that time.");
		return;
	}
	ct_buf_puts(b, "<ol class=\"timeline\">\n");
	for (i = 0; i < k->ntl; i++) {
		ct_buf_printf(b, "<li%s><span class=\"date\">%s</span> ",
		    k->tl[i].ahead ? " class=\"ahead\"" : "",
		    day(k->tl[i].d, d));
		ct_html_words(b, k->tl[i].what);
		ct_buf_puts(b, "</li>\n");
	}
	ct_buf_puts(b, "</ol>\n");
}

/* The running head of a part: the meeting, its day, and what. */
static char *
running_head(const ct_pack_opts *o, const char *what, const char *id)
{
	char d[CT_DATE_BUFSZ], *s;

	if (asprintf(&s, "MAP meeting pack %s, meeting of %s: %s%s", o->meeting,
	    day(o->date, d), what, id != NULL ? id : "") < 0)
		return NULL;
	return s;
}

static void
section_case(ct_buf *b, const struct onecase *k, const ct_pack_opts *o)
{
	char *run = running_head(o, "case ", k->id), *id = NULL;

	if (run == NULL || asprintf(&id, "case-%s", k->id) < 0) {
		b->failed = true;
		free(run);
		return;
	}
	ct_html_part(b, "case", id, run);
	ct_buf_puts(b, "<h2>");
	ct_html_text(b, k->id);
	ct_buf_puts(b, "</h2>\n<dl class=\"facts\"><dt>Cohort</dt><dd>");
	ct_html_text(b, ct_rec_str_or(k->c, "cohort", "-"));
	ct_buf_puts(b, "</dd><dt>Orders open</dt><dd>");
	orders_text(b, k->c);
	ct_buf_puts(b, "</dd>");
	if (ct_map_str(k->c, "manager") != NULL) {
		ct_buf_puts(b, "<dt>Case manager</dt><dd>");
		ct_html_value(b, ct_map_str(k->c, "manager"));
		ct_buf_puts(b, "</dd>");
	}
	ct_buf_puts(b, "</dl>\n");
	review_clock(b, k, o->today);
	section_csp(b, k);
	section_updates(b, k, o->today);
	section_requests(b, k);
	section_notices(b, k);
	section_deadlines(b, k);
	section_timeline(b, k);
	ct_html_part_end(b);
	free(run);
	free(id);
}

static const char *const summary_cols[] = { "Case", "Order", "CSP status",
    "Last endorsed", "Next review due", "Open requests",
    "Overdue, and for the meeting to decide" };

static void
summary(ct_buf *b, ct_snapshot *snap, const ct_pack_opts *o,
    const struct onecase *k, size_t nk)
{
	char d[2][CT_DATE_BUFSZ], *run = running_head(o, "the cases", NULL);
	size_t i;

	if (run == NULL) {
		b->failed = true;
		return;
	}
	ct_html_part(b, "summary", NULL, run);
	ct_buf_puts(b, "<header>\n<h1>MAP meeting pack: ");
	ct_html_text(b, o->meeting);
	ct_buf_printf(b, "</h1>\n<p class=\"meta\">Meeting of %s; %zu "
	    "case%s; deadlines as of %s; from store commit %.12s.</p>\n",
	    day(o->date, d[0]), nk, nk == 1 ? "" : "s",
	    day(o->today, d[1]), ct_snapshot_id(snap));
	ct_buf_puts(b, "<p class=\"note\">Prepared by the Serious Offenders "
	    "Coordination Team for the Multi-Agency Panel: information used "
	    "and disclosed under s 284 of the Serious Offenders Act 2018 "
	    "(Vic) for preparing and reviewing coordinated services plans. "
	    "Not for further disclosure except as s 284 allows.</p>\n"
	    "</header>\n<h2>Cases</h2>\n");
	ct_html_table(b, summary_cols, 7);
	for (i = 0; i < nk; i++)
		summary_row(b, &k[i]);
	ct_buf_puts(b, "</tbody></table>\n");
	ct_html_part_end(b);
	free(run);
}

/* The warning window of VIC-CSP-REVIEW in the store's rules (0 when the
 * rule is not there). */
static int
review_warn(ct_snapshot *snap, int *warn, ct_error *err)
{
	const ct_node *list, *v;
	ct_node *doc = NULL;
	size_t i;
	int rc;

	*warn = 0;
	if ((rc = ct_snapshot_load(snap, CT_RULES_PATH, &doc, err)) < 0)
		return rc;
	list = ct_map_get(doc, "rules");
	for (i = 0; i < ct_rec_len(list); i++)
		if (ct_streq(ct_map_str(list->items[i], "id"), REVIEW_RULE) &&
		    (v = ct_map_get(list->items[i], "warn_days")) != NULL)
			*warn = (int)v->ival;
	ct_node_free(doc);
	return 0;
}

/* The agency registry, or *out NULL when the store has none. */
static int
load_registry(ct_snapshot *snap, ct_node **out, ct_error *err)
{
	int rc = ct_snapshot_load(snap, CT_AGENCIES_PATH, out, err);

	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		*out = NULL;
		rc = 0;
	}
	return rc;
}

int
ct_pack_html(ct_snapshot *snap, const ct_rules *rules,
    const ct_pack_opts *o, char *const *ids, size_t n, ct_buf *out,
    ct_error *err)
{
	struct onecase *k = NULL;
	ct_evaluator *ev = NULL;
	ct_node *reg = NULL;
	char *title = NULL;
	size_t i, j, nk = 0;
	int rc, warn;

	if ((rc = ct_pack_check_cases(snap, ids, n, err)) < 0 ||
	    (rc = review_warn(snap, &warn, err)) < 0 ||
	    (rc = load_registry(snap, &reg, err)) < 0)
		goto out;
	if ((k = calloc(n ? n : 1, sizeof(*k))) == NULL) {
		rc = ct_nomem(err);
		goto out;
	}
	if ((rc = ct_evaluator_new(snap, rules, o->today, &ev, err)) < 0 ||
	    (!o->no_cache && (rc = ct_evaluator_use_cache(ev, err)) < 0))
		goto out;
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && strcmp(ids[i], ids[j]) != 0; j++)
			;
		if (j < i)
			continue;
		if ((rc = load_case(snap, ev, ids[i], o, &k[nk++], err)) < 0)
			goto out;
		k[nk - 1].registry = reg;
		k[nk - 1].warn = warn;
		k[nk - 1].warn_from = o->date + warn;
	}
	if ((title = running_head(o, "the cases", NULL)) == NULL) {
		rc = ct_nomem(err);
		goto out;
	}
	ct_html_begin(out, title);
	summary(out, snap, o, k, nk);
	for (i = 0; i < nk; i++)
		section_case(out, &k[i], o);
	ct_html_end(out);
	if (out->failed)
		rc = ct_nomem(err);
out:
	for (i = 0; i < nk; i++)
		onecase_free(&k[i]);
	free(k);
	free(title);
	ct_node_free(reg);
	ct_evaluator_free(ev);
	return rc;
}

/*
 * Writing the pack to a file (--out).
 */

/* True when dir (a real path) is top or lies below it; top is any path
 * of a directory, resolved here. */
static bool
below(const char *dir, const char *top)
{
	char *real;
	size_t n;
	bool in;

	if (top == NULL || (real = realpath(top, NULL)) == NULL)
		return false;
	n = strlen(real);
	while (n > 1 && real[n - 1] == '/')
		n--;
	in = strncmp(dir, real, n) == 0 &&
	    (dir[n] == '\0' || dir[n] == '/' || n == 1);
	free(real);
	return in;
}

/*
 * Open the directory path is to be written in, checked: its real path
 * must lie outside the store's work tree and git directory.  *dfd gets
 * the directory, *base the file's name in it (owned).
 */
static int
out_dir(const ct_store *st, const char *path, int *dfd, char **base,
    ct_error *err)
{
	const char *slash = strrchr(path, '/');
	char *dir, *real = NULL;
	int rc = 0;

	*dfd = -1;
	*base = NULL;
	if (slash == NULL)
		dir = strdup(".");
	else
		dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
	if (dir == NULL || (*base = strdup(slash ? slash + 1 : path)) == NULL)
		rc = ct_nomem(err);
	else if (**base == '\0' || strcmp(*base, ".") == 0 ||
	    strcmp(*base, "..") == 0)
		rc = ct_error_set(err, CT_EINVALID, "%s: names a directory, "
		    "not a regular file", path);
	else if ((real = realpath(dir, NULL)) == NULL)
		rc = ct_error_set(err, CT_ERROR, "%s: %s", dir,
		    strerror(errno));
	else if (below(real, ct_store_workdir(st)) ||
	    below(real, ct_store_gitdir(st)))
		rc = ct_error_set(err, CT_EINVALID, "%s: lies inside the "
		    "store (%s); write the pack outside it", path, real);
	else if ((*dfd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		rc = ct_error_set(err, CT_ERROR, "%s: %s", dir,
		    strerror(errno));
	if (rc < 0) {
		free(*base);
		*base = NULL;
	}
	free(real);
	free(dir);
	return rc;
}

/* The file base in dfd may be replaced: absent, or a regular file. */
static int
out_target(int dfd, const char *base, const char *path, ct_error *err)
{
	struct stat sb;

	if (fstatat(dfd, base, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : ct_error_set(err, CT_ERROR,
		    "%s: %s", path, strerror(errno));
	if (S_ISREG(sb.st_mode))
		return 0;
	return ct_error_set(err, CT_EINVALID, "%s: %s, not a regular file",
	    path, S_ISLNK(sb.st_mode) ? "is a symbolic link" :
	    S_ISDIR(sb.st_mode) ? "is a directory" :
	    S_ISFIFO(sb.st_mode) ? "is a FIFO" :
	    S_ISSOCK(sb.st_mode) ? "is a socket" : "is a device");
}

int
ct_pack_out_check(const ct_store *st, const char *path, ct_error *err)
{
	char *base;
	int dfd, rc;

	if ((rc = out_dir(st, path, &dfd, &base, err)) < 0)
		return rc;
	rc = out_target(dfd, base, path, err);
	close(dfd);
	free(base);
	return rc;
}

/* ct_wt_put_at's last check: the target is still a regular file, or
 * absent, just before it is replaced. */
static int
target_still_ok(int dfd, const char *base, void *arg, ct_error *err)
{
	return out_target(dfd, base, arg, err);
}

int
ct_pack_write(const ct_store *st, const char *path, const char *buf,
    size_t len, ct_error *err)
{
	ct_wt_put_opts o = { .mode = 0666, .sync = true,
	    .check = target_still_ok, .arg = (void *)path, .label = path };
	char *base = NULL;
	int dfd, rc;

	if ((rc = out_dir(st, path, &dfd, &base, err)) < 0)
		return rc;
	if ((rc = out_target(dfd, base, path, err)) == 0)
		rc = ct_wt_put_at(dfd, base, buf, len, &o, err);
	close(dfd);
	free(base);
	return rc;
}

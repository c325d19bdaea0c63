/*
 * Compliance over time: periods, counts, CSV and JSON (compliance.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/compliance.h"
#include "casetrail/output.h"

static const char *const cc_names[CT_CC_N] = { "met", "met_late",
    "overdue", "open", "deferred", "waived" };

/* The first day of the period holding d. */
static ct_date
period_start(ct_date d, bool quarters)
{
	int y, m, day;

	ct_date_to_ymd(d, &y, &m, &day);
	if (quarters)
		m = (m - 1) / 3 * 3 + 1;
	return ct_date_from_ymd(y, m, 1);
}

int
ct_compliance_init(ct_compliance *c, ct_date from, ct_date to,
    bool quarters, ct_error *err)
{
	int step = quarters ? 3 : 1;
	ct_date s;
	size_t n = 0, i;

	memset(c, 0, sizeof(*c));
	c->quarters = quarters;
	if (to < from)
		return ct_error_set(err, CT_EINVALID, "--from is after --to");
	for (s = period_start(from, quarters); s <= to;
	    s = ct_date_add_months(s, step))
		n++;
	if (n > 1200)
		return ct_error_set(err, CT_EINVALID, "at most 1200 periods");
	if ((c->v = calloc(n, sizeof(*c->v))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	c->n = n;
	for (i = 0, s = period_start(from, quarters); i < n; i++) {
		c->v[i].start = s;
		s = ct_date_add_months(s, step);
		c->v[i].end = s - 1;
	}
	return 0;
}

static void
rows_free(ct_cc_row *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].key);
	free(v);
}

void
ct_compliance_clear(ct_compliance *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		rows_free(c->v[i].rules, c->v[i].nrules);
		rows_free(c->v[i].agencies, c->v[i].nagencies);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static int
category(const ct_finding *f)
{
	switch (f->status) {
	case CT_STATUS_MET: return CT_CC_MET;
	case CT_STATUS_MET_LATE: return CT_CC_LATE;
	case CT_STATUS_OVERDUE: return CT_CC_OVERDUE;
	case CT_STATUS_DEFERRED: return CT_CC_DEFERRED;
	case CT_STATUS_WAIVED: return CT_CC_WAIVED;
	default: return CT_CC_OPEN;
	}
}

/* Count one finding under key in rows (kept in key order). */
static int
add(ct_cc_row **rows, size_t *n, const char *key, int cat)
{
	ct_cc_row *grown;
	size_t i, at;

	for (i = 0; i < *n; i++)
		if (strcmp((*rows)[i].key, key) == 0)
			break;
	if (i == *n) {
		if ((grown = realloc(*rows, (*n + 1) * sizeof(*grown))) == NULL)
			return -1;
		*rows = grown;
		for (at = 0; at < *n && strcmp(grown[at].key, key) < 0; at++)
			;
		memmove(&grown[at + 1], &grown[at], (*n - at) *
		    sizeof(*grown));
		memset(&grown[at], 0, sizeof(*grown));
		if ((grown[at].key = strdup(key)) == NULL)
			return -1;
		(*n)++;
		i = at;
	}
	(*rows)[i].n[cat]++;
	(*rows)[i].total++;
	return 0;
}

int
ct_compliance_count(ct_cc_period *p, const ct_findings *fs, ct_error *err)
{
	const ct_finding *f;
	size_t i;
	int cat;

	for (i = 0; i < fs->n; i++) {
		f = &fs->v[i];
		if (f->status == CT_STATUS_INFO || f->due < p->start ||
		    f->due > p->end)
			continue;
		cat = category(f);
		if (add(&p->rules, &p->nrules, ct_rule_id(f->rule), cat) < 0 ||
		    (f->agency != NULL && add(&p->agencies, &p->nagencies,
		    f->agency, cat) < 0))
			return ct_error_set(err, CT_ERROR, "out of memory");
	}
	return 0;
}

const char *
ct_cc_period_name(const ct_compliance *c, const ct_cc_period *p,
    char buf[32])
{
	int y, m, d;

	ct_date_to_ymd(p->start, &y, &m, &d);
	if (c->quarters)
		snprintf(buf, 32, "%04d-Q%d", y, (m - 1) / 3 + 1);
	else
		snprintf(buf, 32, "%04d-%02d", y, m);
	return buf;
}

long
ct_cc_on_time(const ct_cc_row *r)
{
	return r->total > 0 ? (long)((r->n[CT_CC_MET] * 1000 + r->total / 2) /
	    r->total) : -1;
}

static void
csv_rows(const ct_compliance *c, const ct_cc_period *p, const char *group,
    const ct_cc_row *rows, size_t n, ct_buf *b)
{
	char name[32], s[CT_DATE_BUFSZ], e[CT_DATE_BUFSZ];
	size_t i, k;
	long pct;

	for (i = 0; i < n; i++) {
		ct_buf_printf(b, "%s,%s,%s,%s,", ct_cc_period_name(c, p, name),
		    ct_date_format(p->start, s), ct_date_format(p->end, e),
		    group);
		ct_csv_cell(b, rows[i].key);
		ct_buf_printf(b, ",%zu", rows[i].total);
		for (k = 0; k < CT_CC_N; k++)
			ct_buf_printf(b, ",%zu", rows[i].n[k]);
		pct = ct_cc_on_time(&rows[i]);
		ct_buf_printf(b, ",%ld.%ld\r\n", pct / 10, pct % 10);
	}
}

static void
json_rows(const char *name, const ct_cc_row *rows, size_t n, ct_buf *b)
{
	size_t i, k;
	long pct;

	ct_buf_printf(b, "\"%s\": [", name);
	for (i = 0; i < n; i++) {
		ct_buf_puts(b, i ? ", {\"key\": " : "{\"key\": ");
		ct_json_str(b, rows[i].key);
		ct_buf_printf(b, ", \"fell_due\": %zu", rows[i].total);
		for (k = 0; k < CT_CC_N; k++)
			ct_buf_printf(b, ", \"%s\": %zu", cc_names[k],
			    rows[i].n[k]);
		pct = ct_cc_on_time(&rows[i]);
		ct_buf_printf(b, ", \"on_time_pct\": %ld.%ld}", pct / 10,
		    pct % 10);
	}
	ct_buf_puts(b, "]");
}

static void
json(const ct_compliance *c, ct_buf *b)
{
	char name[32], s[CT_DATE_BUFSZ], e[CT_DATE_BUFSZ];
	size_t i;

	ct_buf_printf(b, "{\n  \"by\": \"%s\",\n  \"periods\": [",
	    c->quarters ? "quarter" : "month");
	for (i = 0; i < c->n; i++) {
		const ct_cc_period *p = &c->v[i];

		ct_buf_printf(b, "%s\n    {\"period\": \"%s\", \"start\": "
		    "\"%s\", \"end\": \"%s\", \"before_store\": %s,\n     ",
		    i ? "," : "", ct_cc_period_name(c, p, name),
		    ct_date_format(p->start, s), ct_date_format(p->end, e),
		    p->before_store ? "true" : "false");
		json_rows("rules", p->rules, p->nrules, b);
		ct_buf_puts(b, ",\n     ");
		json_rows("agencies", p->agencies, p->nagencies, b);
		ct_buf_puts(b, "}");
	}
	ct_buf_puts(b, c->n ? "\n  ]\n}\n" : "]\n}\n");
}

void
ct_compliance_write(const ct_compliance *c, const char *format,
    const char *title, ct_buf *b)
{
	size_t i, k;

	if (strcmp(format, "json") == 0) {
		json(c, b);
		return;
	}
	if (strcmp(format, "html") == 0) {
		ct_compliance_html(c, title, b);
		return;
	}
	ct_buf_puts(b, "period,start,end,group,key,fell_due");
	for (k = 0; k < CT_CC_N; k++)
		ct_buf_printf(b, ",%s", cc_names[k]);
	ct_buf_puts(b, ",on_time_pct\r\n");
	for (i = 0; i < c->n; i++) {
		csv_rows(c, &c->v[i], "rule", c->v[i].rules, c->v[i].nrules, b);
		csv_rows(c, &c->v[i], "agency", c->v[i].agencies,
		    c->v[i].nagencies, b);
	}
}

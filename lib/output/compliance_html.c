/*
 * The compliance report as a printable HTML document with inline SVG
 * charts (compliance.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/compliance.h"
#include "casetrail/html.h"

#define W 640          /* chart width, px */
#define H 160          /* chart height */
#define L 40           /* left margin (the axis labels) */
#define B 24           /* bottom margin */

/* The distinct keys of every period's rows (rules or agencies), sorted. */
static char **
keys_of(const ct_compliance *c, bool agencies, size_t *n)
{
	char **v = NULL, **grown;
	size_t i, j, k;

	*n = 0;
	for (i = 0; i < c->n; i++) {
		const ct_cc_row *r = agencies ? c->v[i].agencies :
		    c->v[i].rules;
		size_t nr = agencies ? c->v[i].nagencies : c->v[i].nrules;

		for (j = 0; j < nr; j++) {
			for (k = 0; k < *n && strcmp(v[k], r[j].key) != 0; k++)
				;
			if (k < *n)
				continue;
			if ((grown = realloc(v, (*n + 1) * sizeof(*v))) == NULL)
				return v;
			v = grown;
			for (k = *n; k > 0 && strcmp(v[k - 1], r[j].key) > 0;
			    k--)
				v[k] = v[k - 1];
			v[k] = r[j].key;   /* borrowed */
			(*n)++;
		}
	}
	return v;
}

static const ct_cc_row *
row_of(const ct_cc_period *p, const char *key, bool agencies)
{
	const ct_cc_row *r = agencies ? p->agencies : p->rules;
	size_t i, n = agencies ? p->nagencies : p->nrules;

	for (i = 0; i < n; i++)
		if (strcmp(r[i].key, key) == 0)
			return &r[i];
	return NULL;
}

/* A line chart of the share met on time of key, one point a period
 * where something fell due. */
static void
line_chart(ct_buf *b, const ct_compliance *c, const char *key)
{
	double dx = c->n > 1 ? (double)(W - L - 40) / (double)(c->n - 1) : 0;
	const ct_cc_row *r;
	char name[32];
	size_t i;
	long pct;

	ct_buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" "
	    "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"share met "
	    "on time\">", W, H, W, H);
	ct_buf_printf(b, "<line x1=\"%d\" y1=\"10\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#888\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#888\"/>", L, L, H - B, L, H - B, W - 5, H - B);
	ct_buf_printf(b, "<text x=\"2\" y=\"14\" font-size=\"10\">100%%</text>"
	    "<text x=\"2\" y=\"%d\" font-size=\"10\">0%%</text>", H - B);
	ct_buf_puts(b, "<polyline fill=\"none\" stroke=\"#1f5fa8\" "
	    "stroke-width=\"2\" points=\"");
	for (i = 0; i < c->n; i++)
		if ((r = row_of(&c->v[i], key, false)) != NULL &&
		    (pct = ct_cc_on_time(r)) >= 0)
			ct_buf_printf(b, "%.1f,%.1f ", L + dx * (double)i,
			    10 + (double)(H - B - 10) * (1000 - pct) / 1000.0);
	ct_buf_puts(b, "\"/>");
	for (i = 0; i < c->n; i++)
		if (c->n <= 12 || i % ((c->n + 11) / 12) == 0)
			ct_buf_printf(b, "<text x=\"%.1f\" y=\"%d\" "
			    "font-size=\"9\" text-anchor=\"middle\">%s</text>",
			    L + dx * (double)i, H - 8,
			    ct_cc_period_name(c, &c->v[i], name));
	ct_buf_puts(b, "</svg>\n");
}

static void
rule_table(ct_buf *b, const ct_compliance *c, const char *key)
{
	static const char *const cols[] = { "period", "fell due", "met",
	    "met late", "overdue", "open", "deferred", "waived", "on time" };
	const ct_cc_row *r;
	char name[32], pct[48];
	size_t i, k;
	long v;

	ct_html_table(b, cols, 9);
	for (i = 0; i < c->n; i++) {
		r = row_of(&c->v[i], key, false);
		ct_buf_puts(b, "<tr>");
		ct_html_cell_value(b, ct_cc_period_name(c, &c->v[i], name));
		ct_html_cell_num(b, r != NULL ? (long long)r->total : 0);
		for (k = 0; k < CT_CC_N; k++)
			ct_html_cell_num(b, r != NULL ? (long long)r->n[k] : 0);
		v = r != NULL ? ct_cc_on_time(r) : -1;
		if (v >= 0)
			snprintf(pct, sizeof(pct), "%ld.%ld%%", v / 10, v % 10);
		ct_html_cell_value(b, v >= 0 ? pct : "");
		ct_buf_puts(b, "</tr>\n");
	}
	ct_buf_puts(b, "</tbody></table>\n");
}

/* The agencies' service-delivery requests over the whole range: a bar of
 * the share met on time each, and the counts. */
static void
agencies(ct_buf *b, const ct_compliance *c, char **keys, size_t n)
{
	ct_cc_row sum;
	const ct_cc_row *r;
	size_t i, j, k;
	long pct;

	ct_buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %d %zu\" "
	    "width=\"%d\" height=\"%zu\" role=\"img\" aria-label=\"requests "
	    "answered on time by agency\">", W, 22 * n + 4, W, 22 * n + 4);
	for (j = 0; j < n; j++) {
		memset(&sum, 0, sizeof(sum));
		for (i = 0; i < c->n; i++)
			if ((r = row_of(&c->v[i], keys[j], true)) != NULL) {
				for (k = 0; k < CT_CC_N; k++)
					sum.n[k] += r->n[k];
				sum.total += r->total;
			}
		pct = ct_cc_on_time(&sum);
		ct_buf_printf(b, "<text x=\"0\" y=\"%zu\" font-size=\"11\">",
		    22 * j + 15);
		ct_html_text(b, keys[j]);
		ct_buf_printf(b, "</text><rect x=\"140\" y=\"%zu\" width=\"%ld\" "
		    "height=\"14\" fill=\"#1f5fa8\"/><text x=\"%ld\" y=\"%zu\" "
		    "font-size=\"11\">%ld.%ld%% of %zu</text>", 22 * j + 4,
		    pct * 400 / 1000, 146 + pct * 400 / 1000, 22 * j + 15,
		    pct / 10, pct % 10, sum.total);
	}
	ct_buf_puts(b, "</svg>\n");
}

void
ct_compliance_html(const ct_compliance *c, const char *title, ct_buf *b)
{
	char **rules, **ags, from[32], to[32];
	size_t nr, na, i;

	rules = keys_of(c, false, &nr);
	ags = keys_of(c, true, &na);
	ct_html_begin(b, title);
	ct_html_part(b, "summary", NULL, title);
	ct_buf_puts(b, "<h1>");
	ct_html_text(b, title);
	ct_buf_puts(b, "</h1>\n<p>");
	if (c->n > 0)
		ct_buf_printf(b, "From %s to %s, by %s.  ", ct_cc_period_name(c,
		    &c->v[0], from), ct_cc_period_name(c, &c->v[c->n - 1], to),
		    c->quarters ? "quarter" : "month");
	ct_buf_puts(b, "Each obligation counts in the period its due date "
	    "falls in, as it stood at the end of that period, computed from "
	    "the store as it was then.</p>\n");
	if (nr == 0)
		ct_html_none(b, "obligations that fell due");
	ct_html_part_end(b);
	for (i = 0; i < nr; i++) {
		ct_html_part(b, "rule", NULL, rules[i]);
		ct_buf_puts(b, "<h2>");
		ct_html_value(b, rules[i]);
		ct_buf_puts(b, "</h2>\n");
		line_chart(b, c, rules[i]);
		rule_table(b, c, rules[i]);
		ct_html_part_end(b);
	}
	if (na > 0) {
		ct_html_part(b, "agencies", NULL, "Service-delivery requests");
		ct_buf_puts(b, "<h2>Service-delivery requests answered on time, "
		    "by agency</h2>\n");
		agencies(b, c, ags, na);
		ct_html_part_end(b);
	}
	ct_html_end(b);
	free(rules);
	free(ags);
}

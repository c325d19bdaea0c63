/*
 * Printed Case Management Plans: a case's plans as one HTML document
 * (see plandoc.h), made of the pieces of lib/output/html.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/case.h"
#include "casetrail/html.h"
#include "casetrail/plandoc.h"
#include "casetrail/record.h"

/* <dt>name</dt><dd>value</dd>, the value kept on one line; nothing when
 * the field is absent. */
static void
fact(ct_buf *b, const char *name, const char *v)
{
	if (v == NULL)
		return;
	ct_buf_puts(b, "<dt>");
	ct_html_text(b, name);
	ct_buf_puts(b, "</dt><dd>");
	ct_html_words(b, v);
	ct_buf_puts(b, "</dd>");
}

static void
plan_facts(ct_buf *b, const ct_node *p)
{
	ct_buf_printf(b, "<dl class=\"facts\"><dt>Version</dt><dd>%lld</dd>",
	    ct_rec_int(p, "version"));
	fact(b, "Status", ct_map_str(p, "status"));
	fact(b, "Made", ct_map_str(p, "created"));
	fact(b, "Submitted for approval", ct_map_str(p, "submitted"));
	fact(b, "Version completed", ct_map_str(p, "version_date"));
	fact(b, "This version by", ct_map_str(p, "changed_by"));
	fact(b, "LSI-R of", ct_map_str(p, "lsi_r"));
	ct_buf_puts(b, "</dl>\n");
}

static void
plan_goals(ct_buf *b, const ct_node *p)
{
	const ct_node *g = ct_map_get(p, "goals");
	size_t i;

	ct_buf_puts(b, "<h3>Goals</h3>\n<ul>\n");
	for (i = 0; i < ct_rec_len(g); i++) {
		ct_buf_puts(b, "<li class=\"text\">");
		ct_html_text(b, g->items[i]->str);
		ct_buf_puts(b, "</li>\n");
	}
	ct_buf_puts(b, "</ul>\n");
}

/* A need's interventions, "type: what" each on a line, and its referral. */
static void
need_actions(ct_buf *b, const ct_node *n)
{
	const ct_node *iv = ct_map_get(n, "interventions");
	const ct_node *r = ct_map_get(n, "referral");
	size_t i;

	ct_buf_puts(b, "<td><ul>");
	for (i = 0; i < ct_rec_len(iv); i++) {
		ct_buf_puts(b, "<li>");
		ct_html_value(b, ct_rec_str_or(iv->items[i], "type", "?"));
		ct_buf_puts(b, ": ");
		ct_html_text(b, ct_rec_str_or(iv->items[i], "description", ""));
		ct_buf_puts(b, "</li>");
	}
	if (r != NULL) {
		ct_buf_puts(b, "<li>Referral to ");
		ct_html_text(b, ct_rec_str_or(r, "to", "?"));
		ct_buf_puts(b, ", ");
		ct_html_value(b, ct_rec_str_or(r, "date", "?"));
		ct_buf_puts(b, ", consent ");
		ct_html_value(b, ct_rec_str_or(r, "consent", "?"));
		ct_buf_puts(b, "</li>");
	}
	ct_buf_puts(b, "</ul></td>");
}

static const char *const need_cols[] = { "Need", "Domain", "Description",
    "Interventions, supports, activities", "Target", "Completed", "Status" };

static void
plan_needs(ct_buf *b, const ct_node *p)
{
	const ct_node *nd = ct_map_get(p, "needs");
	size_t i;

	ct_buf_puts(b, "<h3>Needs and interventions</h3>\n");
	if (ct_rec_len(nd) == 0) {
		ct_html_none(b, "The plan lists no needs.");
		return;
	}
	ct_html_table(b, need_cols, 7);
	for (i = 0; i < nd->n; i++) {
		const ct_node *n = nd->items[i];

		ct_buf_puts(b, "<tr>");
		ct_html_cell_value(b, ct_rec_str_or(n, "id", ""));
		ct_html_cell_value(b, ct_rec_str_or(n, "domain", ""));
		ct_buf_puts(b, "<td class=\"text\">");
		ct_html_text(b, ct_rec_str_or(n, "description", ""));
		if (ct_map_str(n, "comments") != NULL) {
			ct_buf_puts(b, "\n");
			ct_html_text(b, ct_map_str(n, "comments"));
		}
		ct_buf_puts(b, "</td>");
		need_actions(b, n);
		ct_html_cell_value(b, ct_rec_str_or(n, "target", "-"));
		ct_html_cell_value(b, ct_rec_str_or(n, "completed", "-"));
		ct_html_cell_status(b, ct_rec_str_or(n, "status", ""));
		ct_buf_puts(b, "</tr>\n");
	}
	ct_buf_puts(b, "</tbody></table>\n");
}

/* The s 78 parts and the comments, as paragraphs. */
static void
plan_texts(ct_buf *b, const ct_node *p)
{
	static const char *const parts[][2] = {
		{ "work_activities", "Work and other activities (s 78 (a))" },
		{ "needs_capacity_welfare", "Needs, capacity and welfare "
		    "(s 78 (b))" },
		{ "release_preparation", "Preparation for release (s 78 (c))" },
	};
	const ct_node *s78 = ct_map_get(p, "s78");
	size_t i;

	if (s78 != NULL) {
		ct_buf_puts(b, "<h3>Corrections Management Act 2007 s 78</h3>\n"
		    "<dl class=\"facts\">");
		for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
			ct_buf_puts(b, "<dt>");
			ct_html_text(b, parts[i][1]);
			ct_buf_puts(b, "</dt><dd class=\"text\">");
			ct_html_text(b, ct_rec_str_or(s78, parts[i][0], "-"));
			ct_buf_puts(b, "</dd>");
		}
		ct_buf_puts(b, "</dl>\n");
	}
	if (ct_map_str(p, "comments") != NULL) {
		ct_buf_puts(b, "<h3>Comments</h3>\n<p class=\"text\">");
		ct_html_text(b, ct_map_str(p, "comments"));
		ct_buf_puts(b, "</p>\n");
	}
}

static const char *const review_cols[] = { "Date", "Reason", "By",
    "Made version", "Offender took part", "Summary" };
static const char *const approval_cols[] = { "Version", "Approved by",
    "Role", "Date", "Note" };

static void
plan_reviews(ct_buf *b, const ct_node *p)
{
	const ct_node *rv = ct_map_get(p, "reviews");
	const ct_node *part;
	size_t i;

	ct_buf_puts(b, "<h3>Reviews</h3>\n");
	if (ct_rec_len(rv) == 0) {
		ct_html_none(b, "Not reviewed yet.");
		return;
	}
	ct_html_table(b, review_cols, 6);
	for (i = 0; i < rv->n; i++) {
		const ct_node *r = rv->items[i];

		part = ct_map_get(r, "offender_participated");
		ct_buf_puts(b, "<tr>");
		ct_html_cell_value(b, ct_rec_str_or(r, "date", ""));
		ct_html_cell_value(b, ct_rec_str_or(r, "reason", ""));
		ct_html_cell_value(b, ct_rec_str_or(r, "by", ""));
		ct_html_cell_num(b, ct_rec_int(r, "version"));
		ct_html_cell(b, part == NULL ? "not recorded" :
		    part->ival ? "yes" : "no");
		ct_html_cell(b, ct_rec_str_or(r, "summary", ""));
		ct_buf_puts(b, "</tr>\n");
	}
	ct_buf_puts(b, "</tbody></table>\n");
}

static void
plan_approvals(ct_buf *b, const ct_node *p)
{
	const ct_node *ap = ct_map_get(p, "approvals");
	size_t i;

	ct_buf_puts(b, "<h3>Approvals</h3>\n");
	if (ct_rec_len(ap) == 0) {
		ct_html_none(b, "Not approved yet.");
		return;
	}
	ct_html_table(b, approval_cols, 5);
	for (i = 0; i < ap->n; i++) {
		const ct_node *a = ap->items[i];

		ct_buf_puts(b, "<tr>");
		ct_html_cell_num(b, ct_rec_int(a, "version"));
		ct_html_cell_value(b, ct_rec_str_or(a, "by", ""));
		ct_html_cell_value(b, ct_rec_str_or(a, "role", ""));
		ct_html_cell_value(b, ct_rec_str_or(a, "date", ""));
		ct_html_cell(b, ct_rec_str_or(a, "note", ""));
		ct_buf_puts(b, "</tr>\n");
	}
	ct_buf_puts(b, "</tbody></table>\n");
}

/* Where the case manager and the offender sign that they went through
 * this version together. */
static void
plan_signatures(ct_buf *b)
{
	ct_buf_puts(b, "<h3>Gone through together</h3>\n<table class=\"sign\">"
	    "<tbody><tr><th>Offender</th><td></td><th>Date</th><td></td></tr>"
	    "<tr><th>Case manager</th><td></td><th>Date</th><td></td></tr>"
	    "</tbody></table>\n");
}

static int
plan_part(ct_buf *b, const char *id, ct_cmp_kind kind, const ct_node *p,
    ct_date today)
{
	char d[CT_DATE_BUFSZ], *run, *anchor;

	if (asprintf(&run, "Case Management Plan, case %s: %s plan, version "
	    "%lld, printed %s", id, ct_cmp_kind_name(kind),
	    ct_rec_int(p, "version"), ct_date_format(today, d)) < 0)
		return -1;
	if (asprintf(&anchor, "plan-%s", ct_cmp_kind_name(kind)) < 0) {
		free(run);
		return -1;
	}
	ct_html_part(b, "plan", anchor, run);
	ct_buf_puts(b, "<h2>");
	ct_html_text(b, id);
	ct_buf_printf(b, ": %s Case Management Plan</h2>\n",
	    ct_cmp_kind_name(kind));
	plan_facts(b, p);
	plan_goals(b, p);
	plan_needs(b, p);
	plan_texts(b, p);
	plan_reviews(b, p);
	plan_approvals(b, p);
	plan_signatures(b);
	ct_html_part_end(b);
	free(run);
	free(anchor);
	return 0;
}

int
ct_plan_html(ct_snapshot *snap, const char *id, bool only, ct_cmp_kind kind,
    ct_date today, ct_buf *out, ct_error *err)
{
	ct_node *c = NULL, *p = NULL;
	char *path = NULL, *title = NULL;
	int k, shown = 0, rc;

	if ((rc = ct_case_path(id, "case.yaml", &path, err)) < 0)
		return rc;
	rc = ct_snapshot_load(snap, path, &c, err);
	free(path);
	ct_node_free(c);
	if (rc == CT_ENOTFOUND)
		return ct_error_set(err, CT_ENOTFOUND, "case %s does not exist",
		    id);
	if (rc < 0)
		return rc;
	if (asprintf(&title, "Case Management Plan: %s", id) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	ct_html_begin(out, title);
	free(title);
	for (k = CT_CMP_CUSTODIAL; rc == 0 && k <= CT_CMP_COMMUNITY; k++) {
		if (only && (ct_cmp_kind)k != kind)
			continue;
		if ((rc = ct_cmp_path(id, (ct_cmp_kind)k, &path, err)) < 0)
			break;
		rc = ct_snapshot_load(snap, path, &p, err);
		free(path);
		if (rc == CT_ENOTFOUND) {
			ct_error_clear(err);
			rc = 0;
			continue;
		}
		if (rc == 0 && plan_part(out, id, (ct_cmp_kind)k, p, today) < 0)
			out->failed = true;
		ct_node_free(p);
		shown++;
	}
	ct_html_end(out);
	if (rc == 0 && shown == 0)
		rc = ct_error_set(err, CT_ENOTFOUND, "case %s has no %s%sCase "
		    "Management Plan", id, only ? ct_cmp_kind_name(kind) : "",
		    only ? " " : "");
	if (rc == 0 && out->failed)
		rc = ct_error_set(err, CT_ERROR, "out of memory");
	return rc;
}

/*
 * Rule-change impact (impact.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/impact.h"
#include "casetrail/output.h"
#include "casetrail/util.h"

const char *
ct_impact_name(ct_impact_kind k)
{
	static const char *const names[CT_IMPACT_N] = { "new", "gone",
	    "moved", "status" };

	return (unsigned)k < CT_IMPACT_N ? names[k] : "?";
}

static int
identity(const ct_finding *a, const ct_finding *b)
{
	int c;

	if ((c = strcmp(a->case_id, b->case_id)) != 0 ||
	    (c = strcmp(ct_rule_id(a->rule), ct_rule_id(b->rule))) != 0)
		return c;
	if (a->anchor != b->anchor)
		return a->anchor < b->anchor ? -1 : 1;
	return strcmp(a->key != NULL ? a->key : "", b->key != NULL ? b->key :
	    "");
}

static int
by_identity(const void *a, const void *b)
{
	return identity(*(const ct_finding *const *)a,
	    *(const ct_finding *const *)b);
}

static const ct_finding **
sorted(const ct_findings *fs)
{
	const ct_finding **v = calloc(fs->n + 1, sizeof(*v));
	size_t i;

	if (v == NULL)
		return NULL;
	for (i = 0; i < fs->n; i++)
		v[i] = &fs->v[i];
	qsort(v, fs->n, sizeof(*v), by_identity);
	return v;
}

static int
add(ct_impacts *im, ct_impact_kind k, const ct_finding *now,
    const ct_finding *then)
{
	ct_impact *grown;

	if ((grown = realloc(im->v, (im->n + 1) * sizeof(*grown))) == NULL)
		return -1;
	im->v = grown;
	im->v[im->n++] = (ct_impact){ k, now, then };
	im->count[k]++;
	return 0;
}

int
ct_impact_diff(const ct_findings *now, const ct_findings *then,
    ct_impacts *out, ct_error *err)
{
	const ct_finding **a = sorted(now), **b = sorted(then);
	size_t i = 0, j = 0;
	int c, rc = 0;

	memset(out, 0, sizeof(*out));
	if (a == NULL || b == NULL)
		rc = -1;
	while (rc == 0 && (i < now->n || j < then->n)) {
		c = i == now->n ? 1 : j == then->n ? -1 : identity(a[i], b[j]);
		if (c < 0)
			rc = add(out, CT_IMPACT_GONE, a[i++], NULL);
		else if (c > 0)
			rc = add(out, CT_IMPACT_NEW, NULL, b[j++]);
		else {
			if (a[i]->due != b[j]->due)
				rc = add(out, CT_IMPACT_MOVED, a[i], b[j]);
			else if (a[i]->status != b[j]->status)
				rc = add(out, CT_IMPACT_STATUS, a[i], b[j]);
			i++;
			j++;
		}
	}
	free(a);
	free(b);
	if (rc < 0) {
		ct_impacts_clear(out);
		return ct_nomem(err);
	}
	return 0;
}

void
ct_impacts_clear(ct_impacts *im)
{
	free(im->v);
	memset(im, 0, sizeof(*im));
}

/* The cells of one impact: change, case, rule, anchor, due and status
 * now, due and status then. */
static void
cells(const ct_impact *x, const char **c, char d[3][CT_DATE_BUFSZ])
{
	const ct_finding *f = x->now != NULL ? x->now : x->then;

	c[0] = ct_impact_name(x->kind);
	c[1] = f->case_id;
	c[2] = ct_rule_id(f->rule);
	c[3] = ct_date_format(f->anchor, d[0]);
	c[4] = x->now != NULL ? ct_date_format(x->now->due, d[1]) : "";
	c[5] = x->now != NULL ? ct_status_name(x->now->status) : "";
	c[6] = x->then != NULL ? ct_date_format(x->then->due, d[2]) : "";
	c[7] = x->then != NULL ? ct_status_name(x->then->status) : "";
}

static const char *const heads[8] = { "change", "case", "rule", "anchor",
    "due_now", "status_now", "due_proposed", "status_proposed" };

void
ct_impacts_write(const ct_impacts *im, const char *format, ct_buf *b)
{
	const char *c[8];
	char d[3][CT_DATE_BUFSZ];
	ct_table t;
	size_t i, k;

	if (strcmp(format, "csv") == 0) {
		for (k = 0; k < 8; k++)
			ct_buf_printf(b, k ? ",%s" : "%s", heads[k]);
		ct_buf_puts(b, "\r\n");
		for (i = 0; i < im->n; i++) {
			cells(&im->v[i], c, d);
			for (k = 0; k < 8; k++) {
				ct_buf_puts(b, k ? "," : "");
				ct_csv_cell(b, c[k]);
			}
			ct_buf_puts(b, "\r\n");
		}
		return;
	}
	if (strcmp(format, "json") == 0) {
		ct_buf_puts(b, "{\n  \"counts\": {");
		for (k = 0; k < CT_IMPACT_N; k++)
			ct_buf_printf(b, "%s\"%s\": %zu", k ? ", " : "",
			    ct_impact_name((ct_impact_kind)k), im->count[k]);
		ct_buf_puts(b, "},\n  \"changes\": [");
		for (i = 0; i < im->n; i++) {
			cells(&im->v[i], c, d);
			ct_buf_puts(b, i ? ",\n    {" : "\n    {");
			for (k = 0; k < 8; k++) {
				ct_buf_printf(b, "%s\"%s\": ", k ? ", " : "",
				    heads[k]);
				if (c[k][0] != '\0')
					ct_json_str(b, c[k]);
				else
					ct_buf_puts(b, "null");
			}
			ct_buf_puts(b, "}");
		}
		ct_buf_puts(b, im->n ? "\n  ]\n}\n" : "]\n}\n");
		return;
	}
	ct_buf_printf(b, "%zu new, %zu gone, %zu moved, %zu with another "
	    "status\n", im->count[CT_IMPACT_NEW], im->count[CT_IMPACT_GONE],
	    im->count[CT_IMPACT_MOVED], im->count[CT_IMPACT_STATUS]);
	if (im->n == 0 || !ct_table_init(&t, 8, 0))
		return;
	ct_buf_putc(b, '\n');
	ct_table_add(&t, (const char *const []){ "CHANGE", "CASE", "RULE",
	    "ANCHOR", "DUE NOW", "STATUS", "PROPOSED", "STATUS" });
	for (i = 0; i < im->n; i++) {
		cells(&im->v[i], c, d);
		ct_table_add(&t, c);
	}
	ct_table_flush(&t, b);
}

/*
 * Summaries of findings (summary.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/output.h"
#include "casetrail/summary.h"

struct row {
	const char *key;       /* borrowed from the findings */
	size_t n[CT_STATUS_COUNT];
	size_t total;
};

struct group {
	const char *name;      /* "rule", "manager", "agency" */
	struct row *v;
	size_t n;
	bool failed;
};

static const char *
key_of(const ct_finding *f, int g)
{
	const char *k = g == 0 ? ct_rule_id(f->rule) : g == 1 ? f->manager :
	    f->agency;

	return k != NULL ? k : "(none)";
}

static void
count(struct group *gr, const char *key, ct_status st)
{
	struct row *grown;
	size_t i;

	for (i = 0; i < gr->n && strcmp(gr->v[i].key, key) != 0; i++)
		;
	if (i == gr->n) {
		if ((grown = realloc(gr->v, (gr->n + 1) * sizeof(*grown))) ==
		    NULL) {
			gr->failed = true;
			return;
		}
		gr->v = grown;
		memset(&gr->v[gr->n], 0, sizeof(gr->v[0]));
		gr->v[gr->n++].key = key;
	}
	gr->v[i].n[st]++;
	gr->v[i].total++;
}

static int
by_key(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->key,
	    ((const struct row *)b)->key);
}

static void
text(const struct group *gr, ct_buf *b)
{
	const char *cells[CT_STATUS_COUNT + 2];
	char num[CT_STATUS_COUNT + 1][24];
	ct_table t;
	size_t i, k;

	if (!ct_table_init(&t, CT_STATUS_COUNT + 2, ~1u))
		return;
	cells[0] = gr->name[0] == 'r' ? "RULE" : gr->name[0] == 'm' ?
	    "MANAGER" : "AGENCY";
	for (k = 0; k < CT_STATUS_COUNT; k++)
		cells[k + 1] = ct_status_name((ct_status)k);
	cells[CT_STATUS_COUNT + 1] = "total";
	ct_table_add(&t, cells);
	for (i = 0; i < gr->n; i++) {
		cells[0] = gr->v[i].key;
		for (k = 0; k <= CT_STATUS_COUNT; k++) {
			snprintf(num[k], sizeof(num[k]), "%zu", k <
			    CT_STATUS_COUNT ? gr->v[i].n[k] : gr->v[i].total);
			cells[k + 1] = num[k];
		}
		ct_table_add(&t, cells);
	}
	ct_table_flush(&t, b);
}

static void
json(const struct group *gr, bool last, ct_buf *b)
{
	size_t i, k;

	ct_buf_printf(b, "  \"by_%s\": [", gr->name);
	for (i = 0; i < gr->n; i++) {
		ct_buf_puts(b, i ? ",\n    {" : "\n    {");
		ct_buf_puts(b, "\"key\": ");
		ct_json_str(b, gr->v[i].key);
		for (k = 0; k < CT_STATUS_COUNT; k++)
			ct_buf_printf(b, ", \"%s\": %zu",
			    ct_status_name((ct_status)k), gr->v[i].n[k]);
		ct_buf_printf(b, ", \"total\": %zu}", gr->v[i].total);
	}
	ct_buf_puts(b, gr->n ? "\n  ]" : "]");
	ct_buf_puts(b, last ? "\n" : ",\n");
}

static void
csv(const struct group *gr, ct_buf *b)
{
	size_t i, k;

	for (i = 0; i < gr->n; i++) {
		ct_buf_printf(b, "%s,", gr->name);
		ct_csv_cell(b, gr->v[i].key);
		for (k = 0; k < CT_STATUS_COUNT; k++)
			ct_buf_printf(b, ",%zu", gr->v[i].n[k]);
		ct_buf_printf(b, ",%zu\r\n", gr->v[i].total);
	}
}

void
ct_findings_summary(const ct_findings *fs, const char *format, ct_buf *b)
{
	struct group g[3] = { { .name = "rule" }, { .name = "manager" },
	    { .name = "agency" } };
	size_t i, k;
	int j;

	for (j = 0; j < 3; j++) {
		for (i = 0; i < fs->n; i++)
			count(&g[j], key_of(&fs->v[i], j), fs->v[i].status);
		if (g[j].n > 1)
			qsort(g[j].v, g[j].n, sizeof(g[j].v[0]), by_key);
		b->failed |= g[j].failed;
	}
	if (strcmp(format, "json") == 0)
		ct_buf_puts(b, "{\n");
	if (strcmp(format, "csv") == 0) {
		ct_buf_puts(b, "group,key");
		for (k = 0; k < CT_STATUS_COUNT; k++)
			ct_buf_printf(b, ",%s", ct_status_name((ct_status)k));
		ct_buf_puts(b, ",total\r\n");
	}
	for (j = 0; j < 3; j++) {
		if (strcmp(format, "json") == 0)
			json(&g[j], j == 2, b);
		else if (strcmp(format, "csv") == 0)
			csv(&g[j], b);
		else {
			if (j > 0)
				ct_buf_putc(b, '\n');
			text(&g[j], b);
		}
		free(g[j].v);
	}
	if (strcmp(format, "json") == 0)
		ct_buf_puts(b, "}\n");
}

/*
 * Row tables: one description of a report's columns, string cells, a
 * stable sort and the text, JSON and CSV renderers.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/output.h"
#include "casetrail/rows.h"
#include "casetrail/util.h"

void
ct_rows_init(ct_rows *r, const ct_rowspec *spec)
{
	memset(r, 0, sizeof(*r));
	r->spec = spec;
}

void
ct_rows_clear(ct_rows *r)
{
	const ct_rowspec *spec = r->spec;
	size_t i;

	for (i = 0; r->cell != NULL && i < r->n * spec->ncols; i++)
		free(r->cell[i]);
	free(r->cell);
	ct_rows_init(r, spec);
}

bool
ct_rows_add(ct_rows *r)
{
	size_t nc = r->spec->ncols, cap, k;
	char **cell;

	if (r->failed)
		return false;
	if (r->n == r->cap) {
		cap = r->cap ? r->cap * 2 : 16;
		if (nc == 0 || cap > SIZE_MAX / sizeof(*cell) / nc ||
		    (cell = realloc(r->cell, cap * nc * sizeof(*cell))) ==
		    NULL) {
			r->failed = true;
			return false;
		}
		r->cell = cell;
		r->cap = cap;
	}
	for (k = 0; k < nc; k++)
		r->cell[r->n * nc + k] = NULL;
	r->n++;
	return true;
}

static char **
slot(ct_rows *r, size_t col)
{
	if (r->failed || r->n == 0 || col >= r->spec->ncols)
		return NULL;
	return &r->cell[(r->n - 1) * r->spec->ncols + col];
}

void
ct_rows_set(ct_rows *r, size_t col, const char *s)
{
	char **c = slot(r, col), *v = NULL;

	if (c == NULL)
		return;
	if (s != NULL && (v = strdup(s)) == NULL)
		r->failed = true;
	free(*c);
	*c = v;
}

void
ct_rows_setf(ct_rows *r, size_t col, const char *fmt, ...)
{
	char **c = slot(r, col), *v;
	va_list ap;
	int rc;

	if (c == NULL)
		return;
	va_start(ap, fmt);
	rc = vasprintf(&v, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		r->failed = true;
		v = NULL;
	}
	free(*c);
	*c = v;
}

const char *
ct_rows_get(const ct_rows *r, size_t i, size_t col)
{
	if (i >= r->n || col >= r->spec->ncols)
		return NULL;
	return r->cell[i * r->spec->ncols + col];
}

const char *
ct_rows_str(const ct_rows *r, size_t i, size_t col)
{
	const char *s = ct_rows_get(r, i, col);

	return s != NULL ? s : "";
}

bool
ct_rows_is(const ct_rows *r, size_t i, size_t col, const char *s)
{
	const char *c = ct_rows_get(r, i, col);

	return c != NULL && s != NULL && strcmp(c, s) == 0;
}

void
ct_rows_keep(ct_rows *r, bool (*keep)(const ct_rows *, size_t, void *),
    void *arg)
{
	size_t nc = r->spec->ncols, i, k, kept = 0;

	for (i = 0; i < r->n; i++) {
		if (keep(r, i, arg)) {
			if (kept != i)
				memmove(&r->cell[kept * nc], &r->cell[i * nc],
				    nc * sizeof(*r->cell));
			kept++;
			continue;
		}
		for (k = 0; k < nc; k++)
			free(r->cell[i * nc + k]);
	}
	r->n = kept;
}

/*
 * Sorting: a merge sort of row numbers (stable, unlike qsort), then the
 * cells moved into that order.
 */
static int
cmp_cell(const char *x, const char *y, int how)
{
	size_t lx, ly;
	long long a, b;

	if (x == NULL || y == NULL)
		return (x != NULL) - (y != NULL);
	switch (how) {
	case CT_SORT_SHORT:
		if ((lx = strlen(x)) != (ly = strlen(y)))
			return lx < ly ? -1 : 1;
		break;
	case CT_SORT_NUM:
		a = strtoll(x, NULL, 10);
		b = strtoll(y, NULL, 10);
		if (a != b)
			return a < b ? -1 : 1;
		break;
	}
	return strcmp(x, y);
}

static int
cmp_rows(const ct_rows *r, const ct_sortkey *keys, size_t a, size_t b)
{
	size_t nc = r->spec->ncols;
	int c;

	for (; keys->col != CT_COLS_END; keys++)
		if ((c = cmp_cell(r->cell[a * nc + keys->col],
		    r->cell[b * nc + keys->col], keys->how)) != 0)
			return c;
	return 0;
}

static void
merge_sort(const ct_rows *r, const ct_sortkey *keys, size_t *v, size_t *tmp,
    size_t n)
{
	size_t h = n / 2, i = 0, j = h, k = 0;

	if (n < 2)
		return;
	merge_sort(r, keys, v, tmp, h);
	merge_sort(r, keys, v + h, tmp, n - h);
	while (i < h && j < n)
		tmp[k++] = cmp_rows(r, keys, v[j], v[i]) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

void
ct_rows_sort(ct_rows *r, const ct_sortkey *keys)
{
	size_t nc = r->spec->ncols, *ord, *tmp, i;
	char **cell;

	if (r->failed || r->n < 2)
		return;
	ord = calloc(r->n, sizeof(*ord));
	tmp = calloc(r->n, sizeof(*tmp));
	cell = calloc(r->n * nc, sizeof(*cell));
	if (ord == NULL || tmp == NULL || cell == NULL) {
		r->failed = true;
		goto out;
	}
	for (i = 0; i < r->n; i++)
		ord[i] = i;
	merge_sort(r, keys, ord, tmp, r->n);
	for (i = 0; i < r->n; i++)
		memcpy(&cell[i * nc], &r->cell[ord[i] * nc],
		    nc * sizeof(*cell));
	memcpy(r->cell, cell, r->n * nc * sizeof(*cell));
out:
	free(ord);
	free(tmp);
	free(cell);
}

/*
 * Rendering.
 */

/* The n-th column of a format's order, or -1 past its end. */
static int
col_at(const ct_rowspec *spec, const int *order, size_t n)
{
	if (order == NULL)
		return n < spec->ncols ? (int)n : CT_COLS_END;
	return order[n];
}

void
ct_rows_text(const ct_rows *r, ct_buf *b)
{
	const ct_rowspec *spec = r->spec;
	const char *cells[32];
	unsigned right = 0;
	ct_table t;
	size_t n, i;
	int c;

	if (r->failed) {
		b->failed = true;
		return;
	}
	if (r->n == 0) {
		ct_buf_printf(b, "%s\n", spec->empty ? spec->empty : "");
		return;
	}
	for (n = 0; n < 32 && (c = col_at(spec, spec->text, n)) >= 0; n++) {
		cells[n] = spec->col[c].head;
		if (spec->col[c].flags & CT_COL_RIGHT)
			right |= 1u << n;
	}
	if (!ct_table_init(&t, n, right)) {
		b->failed = true;
		return;
	}
	/* a column's minimum is where ct_table starts its widths from */
	for (i = 0; i < n; i++)
		t.width[i] = spec->col[col_at(spec, spec->text, i)].min;
	ct_table_add(&t, cells);
	for (i = 0; i < r->n; i++) {
		size_t k;

		for (k = 0; k < n; k++) {
			const ct_col *col = &spec->col[c = col_at(spec,
			    spec->text, k)];
			const char *s = ct_rows_get(r, i, (size_t)c);

			cells[k] = s != NULL ? s : col->none;
		}
		ct_table_add(&t, cells);
	}
	ct_table_flush(&t, b);
}

/* A comma-separated cell as a JSON array of strings; "" is []. */
static void
json_list(ct_buf *b, const char *s)
{
	const char *p, *comma;

	ct_buf_putc(b, '[');
	for (p = s; *p != '\0'; p = *comma ? comma + 1 : comma) {
		comma = p + strcspn(p, ",");
		if (p != s)
			ct_buf_puts(b, ", ");
		ct_json_strn(b, p, (size_t)(comma - p));
	}
	ct_buf_putc(b, ']');
}

void
ct_rows_json(const ct_rows *r, ct_buf *b)
{
	const ct_rowspec *spec = r->spec;
	size_t i, n;
	bool first;
	int c;

	if (r->failed) {
		b->failed = true;
		return;
	}
	ct_buf_puts(b, "[");
	for (i = 0; i < r->n; i++) {
		ct_buf_puts(b, i ? ",\n  {" : "\n  {");
		first = true;
		for (n = 0; (c = col_at(spec, spec->json, n)) >= 0; n++) {
			const ct_col *col = &spec->col[c];
			const char *s = ct_rows_get(r, i, (size_t)c);

			if (s == NULL && (col->flags & CT_COL_OMIT))
				continue;
			ct_buf_puts(b, first ? "\n    " : ",\n    ");
			first = false;
			ct_json_str(b, col->key);
			ct_buf_puts(b, ": ");
			if (s == NULL)
				ct_buf_puts(b, "null");
			else if (col->flags & CT_COL_NUM)
				ct_buf_puts(b, s);
			else if (col->flags & CT_COL_LIST)
				json_list(b, s);
			else
				ct_json_str(b, s);
		}
		ct_buf_puts(b, first ? "}" : "\n  }");
	}
	ct_buf_puts(b, r->n ? "\n]\n" : "]\n");
}

void
ct_rows_csv(const ct_rows *r, bool bom, ct_buf *b)
{
	const ct_rowspec *spec = r->spec;
	size_t i, n;
	int c;

	if (r->failed) {
		b->failed = true;
		return;
	}
	if (bom)
		ct_buf_puts(b, "\xef\xbb\xbf");
	for (n = 0; (c = col_at(spec, spec->csv, n)) >= 0; n++) {
		if (n > 0)
			ct_buf_putc(b, ',');
		ct_csv_cell(b, spec->col[c].key);
	}
	ct_buf_puts(b, "\r\n");
	for (i = 0; i < r->n; i++) {
		for (n = 0; (c = col_at(spec, spec->csv, n)) >= 0; n++) {
			if (n > 0)
				ct_buf_putc(b, ',');
			ct_csv_cell(b, ct_rows_str(r, i, (size_t)c));
		}
		ct_buf_puts(b, "\r\n");
	}
}

void
ct_rows_render(const ct_rows *r, const char *format, ct_buf *b)
{
	if (strcmp(format, "json") == 0)
		ct_rows_json(r, b);
	else if (strcmp(format, "csv") == 0)
		ct_rows_csv(r, false, b);
	else
		ct_rows_text(r, b);
}

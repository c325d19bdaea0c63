/*
 * CSV input (csvread.h).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/buf.h"
#include "casetrail/csvread.h"
#include "casetrail/util.h"

struct parse {
	const char *s, *name;
	size_t len, i;
	unsigned line;
	ct_csv *out;
	ct_csv_row row;
	ct_buf cell;
};

static int
push_cell(struct parse *p, ct_error *err)
{
	char **grown = realloc(p->row.cells, (p->row.n + 1) * sizeof(*grown));

	ct_buf_puts(&p->cell, "");
	if (grown == NULL || p->cell.failed)
		return ct_nomem(err);
	p->row.cells = grown;
	grown[p->row.n++] = p->cell.s;
	memset(&p->cell, 0, sizeof(p->cell));
	return 0;
}

static int
push_row(struct parse *p, ct_error *err)
{
	ct_csv_row *grown = realloc(p->out->rows, (p->out->n + 1) *
	    sizeof(*grown));

	if (grown == NULL)
		return ct_nomem(err);
	p->out->rows = grown;
	grown[p->out->n++] = p->row;
	memset(&p->row, 0, sizeof(p->row));
	return 0;
}

static int
bad(struct parse *p, ct_error *err, const char *why)
{
	return ct_error_set(err, CT_EINVALID, "%s:%u: %s", p->name, p->line,
	    why);
}

/* One quoted cell, from after its opening quote. */
static int
quoted(struct parse *p, ct_error *err)
{
	unsigned start = p->line;

	while (p->i < p->len) {
		char c = p->s[p->i++];

		if (c == '"') {
			if (p->i < p->len && p->s[p->i] == '"') {
				ct_buf_putc(&p->cell, '"');
				p->i++;
				continue;
			}
			return 0;
		}
		if (c == '\n')
			p->line++;
		else if ((unsigned char)c < 0x20 && c != '\t' && c != '\r')
			return bad(p, err, "a control character in a cell");
		ct_buf_putc(&p->cell, c);
	}
	p->line = start;
	return bad(p, err, "a quoted cell is not closed");
}

static int
rows(struct parse *p, ct_error *err)
{
	bool fresh = true;   /* at the start of a cell */
	int rc;

	while (p->i < p->len) {
		char c = p->s[p->i];

		if (fresh && p->row.n == 0)
			p->row.line = p->line;
		if (c == '"' && fresh) {
			p->i++;
			if ((rc = quoted(p, err)) < 0)
				return rc;
			fresh = false;
			continue;
		}
		p->i++;
		if (c == ',') {
			if ((rc = push_cell(p, err)) < 0)
				return rc;
			fresh = true;
		} else if (c == '\n' || (c == '\r' && p->i < p->len &&
		    p->s[p->i] == '\n')) {
			p->i += c == '\r';
			if ((rc = push_cell(p, err)) < 0 ||
			    (rc = push_row(p, err)) < 0)
				return rc;
			p->line++;
			fresh = true;
		} else if ((unsigned char)c < 0x20 && c != '\t')
			return bad(p, err, "a control character in a cell");
		else if (c == '"')
			return bad(p, err, "a quote inside an unquoted cell");
		else {
			ct_buf_putc(&p->cell, c);
			fresh = false;
		}
	}
	if (!fresh || p->row.n > 0)
		if ((rc = push_cell(p, err)) < 0 || (rc = push_row(p, err)) < 0)
			return rc;
	return 0;
}

int
ct_csv_parse(const char *buf, size_t len, const char *name, ct_csv *out,
    ct_error *err)
{
	struct parse p = { buf, name, len, 0, 1, out, { 0 }, { 0 } };
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		p.i = 3;
	if (memchr(buf, '\0', len) != NULL)
		return bad(&p, err, "a NUL byte: not a text file");
	for (i = p.i; i < len;) {
		uint32_t cp;
		size_t n = ct_utf8_decode((const unsigned char *)buf + i,
		    len - i, &cp);

		if (n == 0)
			return bad(&p, err, "not UTF-8 (save the sheet as CSV "
			    "UTF-8)");
		i += n;
	}
	rc = rows(&p, err);
	ct_buf_free(&p.cell);
	for (i = 0; i < p.row.n; i++)
		free(p.row.cells[i]);
	free(p.row.cells);
	if (rc < 0)
		ct_csv_clear(out);
	return rc;
}

void
ct_csv_clear(ct_csv *c)
{
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		for (j = 0; j < c->rows[i].n; j++)
			free(c->rows[i].cells[j]);
		free(c->rows[i].cells);
	}
	free(c->rows);
	memset(c, 0, sizeof(*c));
}

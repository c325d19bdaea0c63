/*
 * Output helpers: terminal-safe text, CSV cells, JSON strings and
 * iCalendar lines.
 *
 * Text for people (ct_text_safe and its kin) is the one place that
 * decides which characters of data may reach a terminal as they are: the
 * strict UTF-8 decoder (ct_utf8_decode) walks the bytes, and every control character,
 * every bidirectional formatting character and every byte that is not
 * well-formed UTF-8 is written as a visible escape instead.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/output.h"
#include "casetrail/util.h"
#include "casetrail/yaml.h"

/* C1 controls, the bidirectional formatting characters and the Unicode
 * line and paragraph separators: shown as \uXXXX. */
static bool
unsafe_code_point(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0x061c || c == 0x200e ||
	    c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
}

void
ct_text_safe_mem(ct_buf *b, const char *s, size_t len, unsigned keep)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, run = 0, n;
	uint32_t c;

	for (i = 0; i < len; i += n) {
		n = ct_utf8_decode(p + i, len - i, &c);
		if (n == 1 && ((c >= 0x20 && c != 0x7f) ||
		    (c == '\n' && (keep & CT_TEXT_KEEP_LF)) ||
		    (c == '\t' && (keep & CT_TEXT_KEEP_TAB))))
			continue;
		if (n > 1 && !unsafe_code_point(c))
			continue;
		ct_buf_add(b, s + run, i - run);
		if (n == 0) {
			n = 1;
			ct_buf_printf(b, "\\x%02x", p[i]);
		} else if (n == 1)
			ct_buf_printf(b, "\\x%02x", (unsigned)c);
		else
			ct_buf_printf(b, "\\u%04x", (unsigned)c);
		run = i + n;
	}
	ct_buf_add(b, s + run, len - run);
}

void
ct_text_safe(ct_buf *b, const char *s)
{
	if (s != NULL)
		ct_text_safe_mem(b, s, strlen(s), 0);
}

void
ct_text_safe_lines(ct_buf *b, const char *s)
{
	if (s != NULL)
		ct_text_safe_mem(b, s, strlen(s), CT_TEXT_KEEP_LF);
}

void
ct_text_col(ct_buf *b, const char *s, int width)
{
	size_t start = b->len;

	ct_text_safe(b, s);
	if (!b->failed && b->len - start < (size_t)(width > 0 ? width : 0))
		ct_buf_spaces(b, width - (int)(b->len - start));
}

void
ct_text_safe_indent(ct_buf *b, const char *indent, const char *text)
{
	const char *p = text, *nl;
	size_t n;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		ct_buf_puts(b, indent);
		ct_text_safe_mem(b, p, n, 0);
		ct_buf_putc(b, '\n');
		p = nl != NULL ? nl + 1 : NULL;
	}
}

char *
ct_text_safe_dup(const char *s)
{
	ct_buf b = { 0 };

	ct_buf_puts(&b, "");
	ct_text_safe(&b, s);
	if (b.failed) {
		ct_buf_free(&b);
		return NULL;
	}
	return b.s;
}

/* A plain number ("-42", "3.5") is data, not a formula. */
static int
is_number(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!isdigit((unsigned char)*s))
		return 0;
	while (isdigit((unsigned char)*s))
		s++;
	if (*s == '.' && isdigit((unsigned char)s[1]))
		for (s++; isdigit((unsigned char)*s); s++)
			;
	return *s == '\0';
}

void
ct_csv_cell(ct_buf *b, const char *s)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	int neutral = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL &&
	    !is_number(s);
	ct_buf safe = { 0 };
	const char *p;

	ct_buf_puts(&safe, "");
	ct_text_safe_lines(&safe, s);
	if (safe.failed) {
		b->failed = true;
		ct_buf_free(&safe);
		return;
	}
	if (neutral)
		quote = 1;
	if (!quote) {
		ct_buf_puts(b, safe.s);
		ct_buf_free(&safe);
		return;
	}
	ct_buf_add(b, "\"", 1);
	if (neutral)
		ct_buf_add(b, "'", 1);
	for (p = safe.s; *p != '\0'; p++) {
		if (*p == '"')
			ct_buf_add(b, "\"", 1);
		ct_buf_add(b, p, 1);
	}
	ct_buf_add(b, "\"", 1);
	ct_buf_free(&safe);
}

void
ct_json_field(ct_buf *b, const char *key, const char *v, bool last)
{
	ct_buf_printf(b, "    \"%s\": ", key);
	if (v != NULL)
		ct_json_str(b, v);
	else
		ct_buf_puts(b, "null");
	ct_buf_puts(b, last ? "\n" : ",\n");
}

void
ct_ics_text(ct_buf *b, const char *s)
{
	ct_buf safe = { 0 };
	const char *p;
	size_t n;

	/* RFC 5545 TEXT holds no control but tab: the others are shown as
	 * escapes first; a CR is dropped, so CRLF reads as one line break */
	ct_buf_puts(&safe, "");
	for (p = s; *p != '\0'; p += n + (p[n] == '\r')) {
		n = strcspn(p, "\r");
		ct_text_safe_mem(&safe, p, n,
		    CT_TEXT_KEEP_LF | CT_TEXT_KEEP_TAB);
	}
	if (safe.failed) {
		b->failed = true;
		ct_buf_free(&safe);
		return;
	}
	for (p = safe.s; *p != '\0'; p++) {
		switch (*p) {
		case '\\': ct_buf_puts(b, "\\\\"); break;
		case ';': ct_buf_puts(b, "\\;"); break;
		case ',': ct_buf_puts(b, "\\,"); break;
		case '\n': ct_buf_puts(b, "\\n"); break;
		default: ct_buf_add(b, p, 1);
		}
	}
	ct_buf_free(&safe);
}

void
ct_ics_line(ct_buf *b, const char *line)
{
	size_t len = strlen(line), pos = 0, room = 75, n;

	while (len - pos > room) {
		n = room;
		/* back off to the start of a UTF-8 sequence */
		while (n > 0 && ((unsigned char)line[pos + n] & 0xc0) == 0x80)
			n--;
		ct_buf_add(b, line + pos, n);
		ct_buf_add(b, "\r\n ", 3);
		pos += n;
		room = 74; /* the leading space counts */
	}
	ct_buf_add(b, line + pos, len - pos);
	ct_buf_add(b, "\r\n", 2);
}

/*
 * Text tables.
 */

bool
ct_table_init(ct_table *t, size_t ncols, unsigned right)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols > 32 ? 32 : ncols;
	t->right = right;
	if ((t->width = calloc(t->ncols ? t->ncols : 1,
	    sizeof(*t->width))) == NULL)
		t->failed = true;
	return !t->failed;
}

static bool
table_grow(ct_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 16, n = cap * t->ncols;
	char **cell;
	const char **sgr;

	if (cap > SIZE_MAX / sizeof(*cell) / (t->ncols ? t->ncols : 1))
		return false;
	if ((cell = realloc(t->cell, n * sizeof(*cell))) == NULL)
		return false;
	t->cell = cell;
	if ((sgr = realloc(t->sgr, n * sizeof(*sgr))) == NULL)
		return false;
	t->sgr = sgr;
	t->cap = cap;
	return true;
}

void
ct_table_add(ct_table *t, const char *const *cells)
{
	size_t k, at, w;

	if (t->failed || (t->nrows == t->cap && !table_grow(t))) {
		t->failed = true;
		return;
	}
	at = t->nrows * t->ncols;
	for (k = 0; k < t->ncols; k++) {
		t->sgr[at + k] = NULL;
		if ((t->cell[at + k] = ct_text_safe_dup(cells[k])) == NULL) {
			while (k-- > 0)
				free(t->cell[at + k]);
			t->failed = true;
			return;
		}
		if ((w = ct_utf8_chars(t->cell[at + k])) > t->width[k])
			t->width[k] = w;
	}
	t->nrows++;
}

void
ct_table_style(ct_table *t, size_t col, const char *sgr)
{
	if (!t->failed && t->nrows > 0 && col < t->ncols)
		t->sgr[(t->nrows - 1) * t->ncols + col] = sgr;
}

void
ct_table_line(const ct_table *t, size_t row, ct_buf *b)
{
	size_t k, pad;

	if (t->failed || row >= t->nrows) {
		b->failed |= t->failed;
		return;
	}
	for (k = 0; k < t->ncols; k++) {
		const char *s = t->cell[row * t->ncols + k];
		const char *sgr = t->sgr[row * t->ncols + k];
		bool right = (t->right >> k) & 1u, last = k + 1 == t->ncols;

		pad = t->width[k] - ct_utf8_chars(s);
		if (k > 0)
			ct_buf_puts(b, "  ");
		if (right)
			ct_buf_spaces(b, (int)pad);
		ct_buf_puts(b, sgr != NULL ? sgr : "");
		ct_buf_puts(b, s);
		ct_buf_puts(b, sgr != NULL ? "\033[0m" : "");
		if (!right && !last)
			ct_buf_spaces(b, (int)pad);
	}
	ct_buf_putc(b, '\n');
}

void
ct_table_flush(ct_table *t, ct_buf *b)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		ct_table_line(t, i, b);
	b->failed |= t->failed;
	ct_table_free(t);
}

void
ct_table_free(ct_table *t)
{
	size_t i;

	for (i = 0; t->cell != NULL && i < t->nrows * t->ncols; i++)
		free(t->cell[i]);
	free(t->cell);
	free(t->sgr);
	free(t->width);
	memset(t, 0, sizeof(*t));
}

/*
 * Output helpers: a growable buffer, CSV cells and iCalendar lines.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/output.h"

void
ct_buf_add(ct_buf *b, const char *s, size_t n)
{
	char *grown;
	size_t cap;

	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((grown = realloc(b->s, cap)) == NULL) {
			b->failed = 1;
			return;
		}
		b->s = grown;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
ct_buf_puts(ct_buf *b, const char *s)
{
	ct_buf_add(b, s, strlen(s));
}

void
ct_buf_printf(ct_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	ct_buf_add(b, s, (size_t)n);
	free(s);
}

void
ct_buf_free(ct_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
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
	const char *p;

	if (neutral)
		quote = 1;
	if (!quote) {
		ct_buf_puts(b, s);
		return;
	}
	ct_buf_add(b, "\"", 1);
	if (neutral)
		ct_buf_add(b, "'", 1);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			ct_buf_add(b, "\"", 1);
		ct_buf_add(b, p, 1);
	}
	ct_buf_add(b, "\"", 1);
}

void
ct_ics_text(ct_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\\': ct_buf_puts(b, "\\\\"); break;
		case ';': ct_buf_puts(b, "\\;"); break;
		case ',': ct_buf_puts(b, "\\,"); break;
		case '\n': ct_buf_puts(b, "\\n"); break;
		case '\r': break;
		default: ct_buf_add(b, s, 1);
		}
	}
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

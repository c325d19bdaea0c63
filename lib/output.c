/*
 * Output helpers: CSV cells and iCalendar lines.
 */
#include <ctype.h>
#include <string.h>

#include "casetrail/output.h"

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
ct_json_str(ct_buf *b, const char *s)
{
	const char *run = s;

	ct_buf_putc(b, '"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		ct_buf_add(b, run, (size_t)(s - run));
		run = s + 1;
		switch (c) {
		case '"': ct_buf_puts(b, "\\\""); break;
		case '\\': ct_buf_puts(b, "\\\\"); break;
		case '\n': ct_buf_puts(b, "\\n"); break;
		case '\t': ct_buf_puts(b, "\\t"); break;
		case '\r': ct_buf_puts(b, "\\r"); break;
		default: ct_buf_printf(b, "\\u%04x", c);
		}
	}
	ct_buf_add(b, run, (size_t)(s - run));
	ct_buf_putc(b, '"');
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

/*
 * Small shared helpers (util.h): out of memory, a message formatted for
 * a callback, NULL-safe string equality, UTF-8, and the JSON string
 * escaper every JSON writer uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <git2.h>

#include "casetrail/util.h"

int
ct_nomem(ct_error *err)
{
	return ct_error_set(err, CT_ERROR, "out of memory");
}

int
ct_vformat_to(ct_text_fn fn, void *arg, ct_error *err, const char *fmt,
    va_list ap)
{
	char *text = NULL;
	int rc;

	if (vasprintf(&text, fmt, ap) < 0)
		return ct_nomem(err);
	rc = fn(text, arg, err);
	free(text);
	return rc;
}

bool
ct_streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

int
ct_digits(const char *s, int n)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

size_t
ct_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c, min;
	size_t n, i;

	if (len == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		n = 2, c &= 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, c &= 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, c &= 0x07, min = 0x10000;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

size_t
ct_utf8_next(const char *s, size_t len, uint32_t *cp)
{
	size_t n = ct_utf8_decode((const unsigned char *)s, len, cp);

	if (n == 0) {
		*cp = 0xFFFD;
		n = 1;
	}
	return n;
}

size_t
ct_utf8_chars(const char *s)
{
	return ct_utf8_charsn(s, strlen(s));
}

size_t
ct_utf8_charsn(const char *s, size_t n)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

/* The escape of c in a JSON string, or NULL when it stands as it is. */
static const char *
json_named(uint32_t c)
{
	switch (c) {
	case '"': return "\\\"";
	case '\\': return "\\\\";
	case '\b': return "\\b";
	case '\f': return "\\f";
	case '\n': return "\\n";
	case '\r': return "\\r";
	case '\t': return "\\t";
	default: return NULL;
	}
}

void
ct_json_strn(ct_buf *b, const char *s, size_t len)
{
	const char *named;
	size_t i, n, run = 0;
	uint32_t c;

	ct_buf_putc(b, '"');
	for (i = 0; i < len; i += n) {
		unsigned char u;

		/* printable ASCII, the bulk of any record: as it is */
		while (i < len && (u = (unsigned char)s[i]) >= 0x20 &&
		    u < 0x7f && u != '"' && u != '\\')
			i++;
		if (i == len)
			break;
		n = ct_utf8_decode((const unsigned char *)s + i, len - i, &c);
		named = n > 0 ? json_named(c) : NULL;
		if (n > 0 && named == NULL && c >= 0x20 &&
		    !(c >= 0x7F && c <= 0x9F) && c != 0x2028 && c != 0x2029)
			continue;
		ct_buf_add(b, s + run, i - run);
		if (n == 0) {
			ct_buf_puts(b, "\\ufffd");
			n = 1;
		} else if (named != NULL) {
			ct_buf_puts(b, named);
		} else {
			ct_buf_printf(b, "\\u%04x", (unsigned)c);
		}
		run = i + n;
	}
	ct_buf_add(b, s + run, len - run);
	ct_buf_putc(b, '"');
}

void
ct_json_str(ct_buf *b, const char *s)
{
	ct_json_strn(b, s, strlen(s));
}

void
ct_strv_free(char **v)
{
	char **p;

	if (v == NULL)
		return;
	for (p = v; *p != NULL; p++)
		free(*p);
	free(v);
}

int
ct_git_fail(ct_error *err, const char *what)
{
	const git_error *e = git_error_last();

	return ct_error_set(err, CT_ERROR, "%s: %s", what,
	    e != NULL && e->message != NULL ? e->message : "git error");
}

void
ct_utc_stamp(long long t, bool compact, char buf[CT_STAMP_SIZE])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, CT_STAMP_SIZE,
	    compact ? "%Y%m%dT%H%M%SZ" : "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strcpy(buf, "?");
}

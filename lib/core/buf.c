/*
 * ct_buf: the growable buffer every emitter and message builder uses.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/buf.h"

bool
ct_buf_reserve(ct_buf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->failed)
		return false;
	if (n >= SIZE_MAX / 4 - b->len) {
		b->failed = true;
		return false;
	}
	if (b->len + n + 1 <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1)
		cap *= 2;
	if ((p = realloc(b->s, cap)) == NULL) {
		b->failed = true;
		return false;
	}
	b->s = p;
	b->cap = cap;
	return true;
}

void
ct_buf_add(ct_buf *b, const char *s, size_t n)
{
	if (!ct_buf_reserve(b, n))
		return;
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
ct_buf_putc(ct_buf *b, char c)
{
	ct_buf_add(b, &c, 1);
}

void
ct_buf_spaces(ct_buf *b, int n)
{
	if (n <= 0 || !ct_buf_reserve(b, (size_t)n))
		return;
	memset(b->s + b->len, ' ', (size_t)n);
	b->len += (size_t)n;
	b->s[b->len] = '\0';
}

void
ct_buf_vprintf(ct_buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if (!ct_buf_reserve(b, (size_t)n))
		return;
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
ct_buf_printf(ct_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ct_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
ct_buf_truncate(ct_buf *b, size_t len)
{
	if (b->s != NULL && len < b->len) {
		b->len = len;
		b->s[len] = '\0';
	}
}

void
ct_buf_flush(ct_buf *b, bool force)
{
	if (b->sink == NULL || b->failed || b->len == 0 ||
	    (!force && b->len < CT_BUF_FLUSH))
		return;
	if (b->sink(b->s, b->len, b->sink_arg) != 0)
		b->failed = true;
	ct_buf_truncate(b, 0);
}

void
ct_buf_free(ct_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

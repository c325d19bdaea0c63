/*
 * casetrail ct_buf: a growable NUL-terminated byte buffer.
 *
 * A zero-initialised ct_buf is empty and ready.  An allocation failure sets
 * failed and turns every later write into a no-op, so callers check once,
 * at the end.  s is NULL until the first write; ct_buf_free() releases it.
 */
#ifndef CASETRAIL_BUF_H
#define CASETRAIL_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Where a streaming writer's bytes go; non-zero return = failure. */
typedef int (*ct_buf_sink)(const char *s, size_t n, void *arg);

typedef struct ct_buf {
	char *s;
	size_t len, cap;
	bool failed;
	ct_buf_sink sink;     /* optional: see ct_buf_flush() */
	void *sink_arg;
} ct_buf;

#define CT_BUF_FLUSH 65536

/*
 * With a sink set: when at least CT_BUF_FLUSH bytes are held (or always,
 * when force), hand them to the sink and empty the buffer.  Writers of
 * long output call it between items, so output is streamed instead of
 * built whole in memory.  Without a sink it does nothing.
 */
void ct_buf_flush(ct_buf *b, bool force);

/* Make room for n more bytes and a NUL; false when out of memory. */
bool ct_buf_reserve(ct_buf *b, size_t n);
void ct_buf_add(ct_buf *b, const char *s, size_t n);
void ct_buf_puts(ct_buf *b, const char *s);
void ct_buf_putc(ct_buf *b, char c);
/* n spaces (nothing when n <= 0). */
void ct_buf_spaces(ct_buf *b, int n);
void ct_buf_printf(ct_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ct_buf_vprintf(ct_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Cut back to len bytes (no-op when len >= b->len). */
void ct_buf_truncate(ct_buf *b, size_t len);
void ct_buf_free(ct_buf *b);

#endif

/*
 * casetrail small shared helpers: the out-of-memory error, a message
 * formatted for a callback, string equality that allows NULL, UTF-8
 * decoding and counting, and the one JSON string escaper.  Every module
 * uses these rather than its own copy.
 */
#ifndef CASETRAIL_UTIL_H
#define CASETRAIL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casetrail/buf.h"
#include "casetrail/error.h"

/* Set err to CT_ERROR "out of memory" and return CT_ERROR. */
int ct_nomem(ct_error *err);

/*
 * fn(text, arg, err) with text formatted from fmt and ap, and freed after:
 * how a check hands a problem it words with printf to its callback.
 * What fn returns; CT_ERROR "out of memory" when text can not be made.
 */
typedef int (*ct_text_fn)(const char *text, void *arg, ct_error *err);
int ct_vformat_to(ct_text_fn fn, void *arg, ct_error *err, const char *fmt,
    va_list ap) __attribute__((format(printf, 4, 0)));

/* True when a and b are both strings (not NULL) and equal. */
bool ct_streq(const char *a, const char *b);

/* The value of the n ASCII digits at s (n <= 9); -1 when one of them is
 * not a digit. */
int ct_digits(const char *s, int n);

/*
 * The length (1-4) of the well-formed UTF-8 sequence at s[0..len), its
 * code point in *cp; 0 when s does not start one (a stray continuation
 * byte, a truncated sequence, an overlong form, a surrogate, a value
 * above U+10FFFF) or len is 0.
 */
size_t ct_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* As ct_utf8_decode, but an ill-formed byte reads as U+FFFD, length 1;
 * len must be > 0. */
size_t ct_utf8_next(const char *s, size_t len, uint32_t *cp);

/* The number of characters of UTF-8 text: the bytes of s (NUL-ended) or
 * of s[0..n) that do not continue a sequence. */
size_t ct_utf8_chars(const char *s);
size_t ct_utf8_charsn(const char *s, size_t n);

/*
 * Append s (NUL-ended) or s[0..len) to b as a JSON string, quotes
 * included: '"' and '\' escaped, \b \f \n \r \t by name, the other C0
 * controls, DEL, the C1 controls and U+2028 and U+2029 as \uXXXX
 * (lower-case hex), an ill-formed UTF-8 byte as \ufffd; other text as it
 * is.  The result is valid JSON and safe in JavaScript and terminals.
 */
void ct_json_str(ct_buf *b, const char *s);
void ct_json_strn(ct_buf *b, const char *s, size_t len);

/* Free a NULL-terminated array of strings and the strings (NULL is
 * nothing). */
void ct_strv_free(char **v);

/* CT_ERROR with "what: " and libgit2's last error message. */
int ct_git_fail(ct_error *err, const char *what);

/* The UTC time t (Unix seconds) as "2026-09-01T04:30:00Z", or compact
 * (for a ref name) "20260901T043000Z"; "?" when it has no such form. */
#define CT_STAMP_SIZE 32
void ct_utc_stamp(long long t, bool compact, char buf[CT_STAMP_SIZE]);

#endif

/*
 * casetrail error reporting.
 *
 * Every library function returns an int: 0 on success, a negative CT_E*
 * code on failure.  On failure it also fills a ct_error with a message the
 * tool prints as "prog: message".  Messages that come from a record name
 * "file:line:column: field: what is wrong".
 *
 * A ct_error owns its message; ct_error_clear() frees it.  A zero-initialised
 * ct_error ({0}) is empty and ready to use.
 */
#ifndef CASETRAIL_ERROR_H
#define CASETRAIL_ERROR_H

#include <stdarg.h>

enum {
	CT_OK = 0,
	CT_ERROR = -1,     /* generic failure: invalid input, I/O, git */
	CT_ENOTFOUND = -2, /* the path, record, case or revision does not exist */
	CT_EEXISTS = -3,   /* the thing to create already exists */
	CT_ECONFLICT = -4, /* lost a compare-and-swap or a lock; retryable */
	CT_EINVALID = -5,  /* input failed validation (schema, policy, syntax) */
	CT_ENOTSUP = -6,   /* a format this code leaves to another path */
};

typedef struct ct_error {
	char *msg;
	int code;
} ct_error;

/* Replace the message; returns code so callers can "return ct_error_set(...)". */
int ct_error_set(ct_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ct_error_vset(ct_error *err, int code, const char *fmt, va_list ap);

/* Prepend context: "context: old message".  Keeps the code. Returns it. */
int ct_error_prefix(ct_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The message, or "unknown error" when none was set. Never NULL. */
const char *ct_error_msg(const ct_error *err);

/* Free the message and reset to empty. */
void ct_error_clear(ct_error *err);

#endif

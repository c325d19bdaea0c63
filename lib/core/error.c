/*
 * ct_error: heap-allocated error messages with a code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/error.h"

int
ct_error_vset(ct_error *err, int code, const char *fmt, va_list ap)
{
	char *msg = NULL;

	if (code >= 0)
		code = CT_ERROR;
	if (err == NULL)
		return code;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	free(err->msg);
	err->msg = msg;
	err->code = code;
	return code;
}

int
ct_error_set(ct_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	code = ct_error_vset(err, code, fmt, ap);
	va_end(ap);
	return code;
}

int
ct_error_prefix(ct_error *err, const char *fmt, ...)
{
	va_list ap;
	char *ctx = NULL, *msg = NULL;

	if (err == NULL)
		return CT_ERROR;
	if (err->code >= 0)
		err->code = CT_ERROR;
	va_start(ap, fmt);
	if (vasprintf(&ctx, fmt, ap) < 0)
		ctx = NULL;
	va_end(ap);
	if (ctx != NULL &&
	    asprintf(&msg, "%s: %s", ctx, ct_error_msg(err)) >= 0) {
		free(err->msg);
		err->msg = msg;
	}
	free(ctx);
	return err->code;
}

const char *
ct_error_msg(const ct_error *err)
{
	if (err == NULL || err->msg == NULL)
		return "unknown error";
	return err->msg;
}

void
ct_error_clear(ct_error *err)
{
	if (err == NULL)
		return;
	free(err->msg);
	err->msg = NULL;
	err->code = 0;
}

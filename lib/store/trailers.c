/*
 * Commit messages with audit trailers, and the checks that keep user text
 * from breaking out of its line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/trailers.h"
#include "casetrail/util.h"

/* Length of the UTF-8 character starting at s (NUL-ended), or 0 when it
 * is ill-formed or a control character (C0, DEL, C1, U+2028, U+2029). */
static size_t
utf8_char(const unsigned char *s)
{
	uint32_t cp;
	size_t n = ct_utf8_decode(s, strnlen((const char *)s, 4), &cp);

	if (n == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
	    cp == 0x2028 || cp == 0x2029)
		return 0;
	return n;
}

int
ct_text_check(const char *what, const char *value, ct_error *err)
{
	const unsigned char *p;
	size_t len, n;

	if (value == NULL || *value == '\0')
		return ct_error_set(err, CT_EINVALID, "%s: must not be empty",
		    what);
	len = strlen(value);
	if (len > CT_TEXT_MAX)
		return ct_error_set(err, CT_EINVALID,
		    "%s: longer than %d bytes", what, CT_TEXT_MAX);
	for (p = (const unsigned char *)value; *p != '\0'; p += n) {
		n = utf8_char(p);
		if (n == 0)
			return ct_error_set(err, CT_EINVALID,
			    "%s: must be one line of text (found %s at byte "
			    "%zu)", what,
			    *p == '\n' ? "a newline" :
			    *p < 0x80 ? "a control character" :
			    "invalid UTF-8 or a control character",
			    (size_t)(p - (const unsigned char *)value) + 1);
	}
	if (value[0] == ' ' || value[len - 1] == ' ')
		return ct_error_set(err, CT_EINVALID,
		    "%s: must not begin or end with a space", what);
	return 0;
}

static int
add_trailer(FILE *f, const char *key, const char *value, ct_error *err)
{
	if (value == NULL)
		return 0;
	if (ct_text_check(key, value, err) < 0)
		return err->code;
	fprintf(f, "%s: %s\n", key, value);
	return 0;
}

int
ct_commit_message(const ct_commit_spec *spec, const char *subject,
    char **out, ct_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	*out = NULL;
	if (subject == NULL)
		subject = spec->subject;
	if ((rc = ct_text_check("subject", subject, err)) < 0 ||
	    (rc = ct_text_check("tool", spec->tool, err)) < 0)
		return rc;
	if ((f = open_memstream(&buf, &len)) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	fprintf(f, "%s: %s\n\n", spec->tool, subject);
	if ((rc = add_trailer(f, "Reason", spec->reason, err)) < 0 ||
	    (rc = add_trailer(f, "Case", spec->case_id, err)) < 0 ||
	    (rc = add_trailer(f, "Record", spec->record, err)) < 0 ||
	    (rc = add_trailer(f, "Action", spec->action, err)) < 0 ||
	    (rc = add_trailer(f, "Approved-by", spec->approved_by, err)) < 0 ||
	    (rc = add_trailer(f, "Purpose", spec->purpose, err)) < 0)
		goto out;
	fprintf(f, "Tool: %s %s\n", spec->tool,
	    spec->version != NULL ? spec->version : "");
out:
	if (fclose(f) != 0 && rc == 0)
		rc = ct_error_set(err, CT_ERROR, "out of memory");
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*out = buf;
	return 0;
}

int
ct_trailer_get(const char *message, const char *key, char **out,
    ct_error *err)
{
	const char *line, *eol, *found = NULL;
	size_t klen = strlen(key), flen = 0;

	*out = NULL;
	for (line = message; line != NULL && *line != '\0';
	    line = eol ? eol + 1 : NULL) {
		eol = strchr(line, '\n');
		if (strncmp(line, key, klen) == 0 && line[klen] == ':' &&
		    line[klen + 1] == ' ') {
			found = line + klen + 2;
			flen = eol ? (size_t)(eol - found) : strlen(found);
		}
	}
	if (found == NULL)
		return 0;
	if ((*out = strndup(found, flen)) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	return 0;
}

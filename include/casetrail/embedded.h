/*
 * Files built into the library: the JSON Schemas of schemas/ and the default
 * rules of rules/.  The table ends with a NULL name.
 */
#ifndef CASETRAIL_EMBEDDED_H
#define CASETRAIL_EMBEDDED_H

#include <stddef.h>

struct ct_embedded_file {
	const char *name; /* file name, e.g. "case.schema.json" */
	const char *text; /* NUL-terminated */
	size_t len;       /* without the NUL */
};

extern const struct ct_embedded_file ct_embedded[];

/* The embedded file of that name, or NULL. */
const struct ct_embedded_file *ct_embedded_find(const char *name);

#endif

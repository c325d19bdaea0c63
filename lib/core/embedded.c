/*
 * Lookup in the table of built-in files generated at build time.
 */
#include <string.h>

#include "casetrail/embedded.h"

const struct ct_embedded_file *
ct_embedded_find(const char *name)
{
	const struct ct_embedded_file *f;

	for (f = ct_embedded; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

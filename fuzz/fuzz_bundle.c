/*
 * Fuzz the case bundle checker: any bytes are a valid bundle, a bundle
 * with problems, or an error, and nothing else; problems are counted as
 * they are reported.  Seeded with tests/fixtures/bundle/.
 */
#include <stdint.h>
#include <stdlib.h>

#include "casetrail/bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
count(const char *id, const char *rule, const char *what, void *arg,
    ct_error *err)
{
	(void)id;
	(void)err;
	if (rule == NULL || what == NULL)
		abort();
	(*(size_t *)arg)++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ct_bundle_opts o = { .tmpdir = "/tmp" };
	ct_error err = { 0 };
	ct_buf out = { 0 };
	size_t seen = 0, problems = 0;
	int rc;

	rc = ct_bundle_verify((const char *)data, size, &o, count, &seen,
	    &out, &problems, &err);
	if (rc != 0 && rc != CT_EINVALID && rc != CT_ERROR)
		abort();
	if (seen != problems)
		abort();
	ct_error_clear(&err);
	ct_buf_free(&out);
	return 0;
}

/*
 * Fuzz the commit message builder and the trailer parser.  The input is
 * split at NUL bytes into a subject and the values of the Reason, Case and
 * Purpose trailers.  Whatever ct_commit_message accepts must parse back
 * to exactly those values, and no trailer that was not given may appear:
 * user text can never forge an audit trailer (DESIGN.md §2).  The raw
 * input is also parsed as a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/trailers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const keys[] = {
	"Reason", "Case", "Record", "Action", "Approved-by", "Purpose", "Tool",
};

static void
expect(const char *msg, const char *key, const char *want)
{
	ct_error err = { 0 };
	char *got = NULL;

	if (ct_trailer_get(msg, key, &got, &err) < 0)
		abort();
	if ((want == NULL) != (got == NULL) ||
	    (want != NULL && strcmp(want, got) != 0))
		abort(); /* a trailer was lost, changed or forged */
	free(got);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ct_commit_spec spec = { .tool = "case-event", .version = "0.1.0",
	    .record = "case", .action = "event" };
	ct_error err = { 0 };
	char *s, *part[4] = { 0 }, *msg = NULL, *got = NULL, *p;
	size_t i, n = 0;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (ct_trailer_get(s, keys[i], &got, &err) < 0)
			abort();
		free(got);
		got = NULL;
	}
	for (p = s; n < 4 && p <= s + size; p += strlen(p) + 1)
		part[n++] = p;
	spec.subject = part[0];
	spec.reason = part[1];
	spec.case_id = part[2];
	spec.purpose = part[3];
	if (ct_commit_message(&spec, NULL, &msg, &err) == 0) {
		expect(msg, "Reason", spec.reason);
		expect(msg, "Case", spec.case_id);
		expect(msg, "Purpose", spec.purpose);
		expect(msg, "Approved-by", NULL);
		expect(msg, "Record", "case");
		expect(msg, "Tool", "case-event 0.1.0");
		if (strchr(msg, '\r') != NULL)
			abort();
	} else if (err.msg == NULL) {
		abort();
	}
	free(msg);
	ct_error_clear(&err);
	free(s);
	return 0;
}

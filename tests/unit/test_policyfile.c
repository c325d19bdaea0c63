/*
 * Tests of lib/policy/policyfile.c: the check of a new rules, bands or calendar
 * file, as its reader judges it (YAML, schema, then the reader's own
 * checks), with the file, line and field in every refusal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casetrail/embedded.h"
#include "casetrail/policyfile.h"

/* Check text as path; returns the code, *msg the message (or NULL). */
static int
check(const char *path, const char *text, const char *name, char **msg)
{
	ct_error err = {0};
	int rc = ct_policyfile_check(path, text, strlen(text), name, NULL,
	    &err);

	*msg = rc < 0 ? strdup(ct_error_msg(&err)) : NULL;
	ct_error_clear(&err);
	return rc;
}

static void
refused(const char *path, const char *text, const char *want)
{
	char *msg;

	assert_int_equal(check(path, text, "new.yaml", &msg), CT_EINVALID);
	if (strstr(msg, want) == NULL)
		fail_msg("message '%s' lacks '%s'", msg, want);
	free(msg);
}

static void
test_paths(void **state)
{
	char *msg;

	(void)state;
	assert_true(ct_policyfile_is("rules/deadlines.yaml"));
	assert_true(ct_policyfile_is("rules/lsi-r-bands.yaml"));
	assert_true(ct_policyfile_is("calendars/ACT.yaml"));
	assert_true(ct_policyfile_is("calendars/VIC.yaml"));
	assert_false(ct_policyfile_is("calendars/NSW.yaml"));
	assert_true(ct_policyfile_is("casetrail.yaml"));
	assert_false(ct_policyfile_is("registry/operators.yaml"));
	assert_false(ct_policyfile_is(NULL));
	assert_int_equal(check("registry/operators.yaml", "operators: []\n",
	    NULL, &msg), CT_EINVALID);
	assert_non_null(strstr(msg, "calendars/VIC.yaml"));
	free(msg);
}

/* The files store-init writes pass. */
static void
test_shipped_files(void **state)
{
	static const struct { const char *path, *file; } f[] = {
		{ "rules/deadlines.yaml", "deadlines.yaml" },
		{ "rules/lsi-r-bands.yaml", "lsi-r-bands.yaml" },
		{ "calendars/ACT.yaml", "calendar-ACT.yaml" },
		{ "calendars/VIC.yaml", "calendar-VIC.yaml" },
	};
	const struct ct_embedded_file *e;
	ct_error err = {0};
	ct_node *doc = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		assert_non_null(e = ct_embedded_find(f[i].file));
		if (ct_policyfile_check(f[i].path, e->text, e->len, NULL, &doc,
		    &err) < 0)
			fail_msg("%s: %s", f[i].path, ct_error_msg(&err));
		assert_non_null(doc);
		ct_node_free(doc);
	}
}

static void
test_calendar_yaml(void **state)
{
	(void)state;
	refused("calendars/ACT.yaml", "jurisdiction: ACT\nadd: [\n",
	    "new.yaml:");
}

static void
test_calendar_schema(void **state)
{
	(void)state;
	refused("calendars/ACT.yaml",
	    "jurisdiction: ACT\n"
	    "add:\n"
	    "  - date: \"2026-12-28\"\n"
	    "    nmae: Typo\n",
	    "new.yaml:4:");
	refused("calendars/ACT.yaml",
	    "jurisdiction: ACT\n"
	    "add:\n"
	    "  - date: \"2026-02-30\"\n"
	    "    name: No such day\n",
	    "new.yaml:3:");
}

/* The schema allows either jurisdiction; the reader wants the file's. */
static void
test_calendar_reader(void **state)
{
	(void)state;
	refused("calendars/ACT.yaml", "jurisdiction: VIC\n",
	    "new.yaml:1:15: jurisdiction: VIC does not match the ACT calendar");
	refused("calendars/ACT.yaml",
	    "jurisdiction: ACT\n"
	    "cancel:\n"
	    "  - date: \"2026-03-03\"\n",
	    "new.yaml:3:11: cancel[0].date: 2026-03-03 is not a ACT holiday");
	refused("calendars/VIC.yaml",
	    "jurisdiction: VIC\n"
	    "cancel:\n"
	    "  - date: \"2026-11-03\"\n"
	    "  - date: \"2026-11-03\"\n",
	    "cancel[1].date: 2026-11-03 is not a VIC holiday (cancelled twice)");
}

static const char rule_head[] =
    "format: 1\n"
    "rules:\n"
    "  - id: X-ONE\n"
    "    title: One\n"
    "    cite: store policy (not set by the seed)\n"
    "    applies:\n"
    "      jurisdiction: ACT\n"
    "    anchor:\n"
    "      event:\n";

static void
test_rules_reader(void **state)
{
	char text[1024];

	(void)state;
	snprintf(text, sizeof(text), "%s        - reception\n"
	    "    offset:\n      days: 5\n", rule_head);
	{
		char *msg;

		assert_int_equal(check("rules/deadlines.yaml", text, NULL, &msg),
		    0);
	}
	snprintf(text, sizeof(text), "%s        - recepshun\n"
	    "    offset:\n      days: 5\n", rule_head);
	refused("rules/deadlines.yaml", text,
	    "new.yaml:9:7: rules[0].anchor.event: unknown event type "
	    "'recepshun'");
	snprintf(text, sizeof(text), "%s        - reception\n"
	    "    offset:\n      days: 5\n      weeks: 1\n", rule_head);
	refused("rules/deadlines.yaml", text, "rules[0].offset: give exactly "
	    "one of days");
}

static void
test_bands_reader(void **state)
{
	(void)state;
	refused("rules/lsi-r-bands.yaml",
	    "format: 1\n"
	    "cite: store policy (not set by the seed)\n"
	    "bands:\n"
	    "  - {band: low, min: 0, max: 13}\n"
	    "  - {band: moderate, min: 15, max: 54}\n",
	    "new.yaml:5:5: bands[1].min: 15");
}

/* The settings: the schema's, then a time zone the system knows. */
static void
test_settings_reader(void **state)
{
	char *msg;

	(void)state;
	assert_int_equal(check("casetrail.yaml", "format: 1\n"
	    "jurisdiction: ACT\ntimezone: Australia/Canberra\n", NULL, &msg),
	    0);
	refused("casetrail.yaml", "format: 1\njurisdiction: ACT\n"
	    "timezone: Mars/Olympus\n", "new.yaml: timezone: ");
	refused("casetrail.yaml", "format: 1\njurisdiction: ACT\n"
	    "colour: blue\n", "colour");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_shipped_files),
		cmocka_unit_test(test_calendar_yaml),
		cmocka_unit_test(test_calendar_schema),
		cmocka_unit_test(test_calendar_reader),
		cmocka_unit_test(test_rules_reader),
		cmocka_unit_test(test_bands_reader),
		cmocka_unit_test(test_settings_reader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

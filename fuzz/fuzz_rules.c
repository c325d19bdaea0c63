/*
 * Fuzz the rules file loader: YAML -> "rules" schema -> ct_rules_load,
 * then evaluate the rules against a small fixed case so that anchors,
 * offsets and satisfiers a loader let through are exercised too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/calendar.h"
#include "casetrail/rules.h"
#include "casetrail/schema.h"
#include "casetrail/yaml.h"

static const char casetext[] =
    "id: ACT-0001\n"
    "jurisdiction: ACT\n"
    "cohort: remandee\n"
    "created: '2026-01-01'\n"
    "stage: custodial\n"
    "events:\n"
    "- type: reception\n"
    "  date: '2026-01-05'\n"
    "- type: sentence-commenced\n"
    "  date: '2026-02-01'\n"
    "- type: eprd-set\n"
    "  date: '2027-06-30'\n";

static ct_schema *schema;
static ct_calendar *cal;
static ct_node *casedoc;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
no_records(void *arg, const char *rel, const ct_node **out, ct_error *err)
{
	(void)arg;
	(void)rel;
	(void)err;
	*out = NULL;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ct_error err = { 0 };
	ct_findings f = { 0 };
	ct_rules *rules = NULL;
	ct_node *doc = NULL;

	if (schema == NULL &&
	    (ct_schema_load("rules", &schema, &err) < 0 ||
	    ct_calendar_new(CT_JUR_ACT, &cal, &err) < 0 ||
	    ct_yaml_load(casetext, sizeof(casetext) - 1, "case.yaml",
	    &casedoc, &err) < 0))
		abort();
	if (ct_yaml_load((const char *)data, size, "rules/deadlines.yaml",
	    &doc, &err) < 0 ||
	    ct_schema_validate(schema, doc, "rules/deadlines.yaml", &err) < 0)
		goto out;
	if (ct_rules_load(doc, "rules/deadlines.yaml", &rules, &err) < 0) {
		if (err.msg == NULL)
			abort();
		goto out;
	}
	if (ct_rules_eval(rules, cal, casedoc, no_records, NULL,
	    ct_date_from_ymd(2026, 6, 1), &f, &err) < 0 && err.msg == NULL)
		abort();
out:
	ct_findings_clear(&f);
	ct_rules_free(rules);
	ct_node_free(doc);
	ct_error_clear(&err);
	return 0;
}

/*
 * Policy files (policyfile.h): each path with its reader's check.
 */
#include <stdlib.h>
#include <string.h>

#include "casetrail/assess.h"
#include "casetrail/calendar.h"
#include "casetrail/date.h"
#include "casetrail/policyfile.h"
#include "casetrail/rules.h"
#include "casetrail/schema.h"

const char *const ct_policyfile_paths[] = {
	"casetrail.yaml",
	"rules/deadlines.yaml",
	"rules/lsi-r-bands.yaml",
	"calendars/ACT.yaml",
	"calendars/VIC.yaml",
	NULL,
};

const char *
ct_policyfile_list(void)
{
	return "casetrail.yaml, rules/deadlines.yaml, rules/lsi-r-bands.yaml, "
	    "calendars/ACT.yaml or calendars/VIC.yaml";
}

bool
ct_policyfile_is(const char *path)
{
	size_t i;

	for (i = 0; path != NULL && ct_policyfile_paths[i] != NULL; i++)
		if (strcmp(ct_policyfile_paths[i], path) == 0)
			return true;
	return false;
}

/* The reader's own checks, after the schema. */
static int
check_reader(const ct_kind *k, const char *path, const ct_node *doc,
    const char *name, ct_error *err)
{
	ct_rules *rules = NULL;
	ct_calendar *cal = NULL;
	ct_lsir_bands bands;
	ct_error sub = { 0 };
	const char *tz;
	ct_date today;
	int rc;

	switch (k->id) {
	case CT_KIND_SETTINGS:
		/* the time zone that says what today is: one the system
		 * knows (the change policy keeps the jurisdiction) */
		tz = ct_map_str(doc, "timezone");
		if (tz == NULL)
			return 0;
		if (ct_date_today(tz, 0, &today, &sub) < 0) {
			rc = ct_error_set(err, CT_EINVALID, "%s: timezone: %s",
			    name, ct_error_msg(&sub));
			ct_error_clear(&sub);
			return rc;
		}
		return 0;
	case CT_KIND_RULES:
		rc = ct_rules_load(doc, name, &rules, err);
		ct_rules_free(rules);
		return rc;
	case CT_KIND_LSIR_BANDS:
		return ct_lsir_bands_parse(doc, name, &bands, err);
	case CT_KIND_CALENDAR:
		/* calendars/<JUR>.yaml: the computed calendar of <JUR> */
		if ((rc = ct_calendar_new(strcmp(path, "calendars/ACT.yaml") ==
		    0 ? CT_JUR_ACT : CT_JUR_VIC, &cal, err)) < 0)
			return rc;
		rc = ct_calendar_apply(cal, doc, name, err);
		ct_calendar_free(cal);
		return rc;
	default:
		return ct_error_set(err, CT_EINVALID, "%s: not a policy file",
		    path);
	}
}

int
ct_policyfile_check(const char *path, const char *text, size_t len,
    const char *name, ct_node **doc, ct_error *err)
{
	const ct_kind *k = ct_kind_of(path);
	ct_schema *schema = NULL;
	ct_node *d = NULL;
	int rc;

	if (doc != NULL)
		*doc = NULL;
	if (!ct_policyfile_is(path) || k == NULL || k->schema == NULL)
		return ct_error_set(err, CT_EINVALID, "%s: not a policy file; "
		    "the policy files are %s", path, ct_policyfile_list());
	if (name == NULL)
		name = path;
	if ((rc = ct_yaml_load(text, len, name, &d, err)) < 0)
		return rc;
	if ((rc = ct_schema_load(k->schema, &schema, err)) < 0 ||
	    (rc = ct_schema_validate(schema, d, name, err)) < 0 ||
	    (rc = check_reader(k, path, d, name, err)) < 0) {
		ct_schema_free(schema);
		ct_node_free(d);
		return rc;
	}
	ct_schema_free(schema);
	if (doc != NULL)
		*doc = d;
	else
		ct_node_free(d);
	return 0;
}

int
ct_policyfile_check_doc(const char *path, const ct_node *doc, ct_error *err)
{
	const ct_kind *k = ct_kind_of(path);
	ct_schema *schema = NULL;
	ct_error why = { 0 };
	int rc;

	if (!ct_policyfile_is(path) || k == NULL || k->schema == NULL ||
	    doc == NULL)
		return 0;
	if ((rc = ct_schema_load(k->schema, &schema, err)) < 0)
		return rc;
	rc = ct_schema_validate(schema, doc, path, &why);
	ct_schema_free(schema);
	if (rc == CT_EINVALID) {
		/* the schema's problems are the schema check's to report */
		ct_error_clear(&why);
		return 0;
	}
	if (rc < 0) {
		rc = ct_error_set(err, rc, "%s", ct_error_msg(&why));
		ct_error_clear(&why);
		return rc;
	}
	return check_reader(k, path, doc, path, err);
}

/*
 * Tests of lib/policy/rules.c: deadline rules as data (DESIGN.md §4).
 *
 * Rules are loaded from YAML text the way deadline-check does it: parsed,
 * validated against the built-in "rules" schema, then compiled by
 * ct_rules_load().  The built-in rules/deadlines.yaml (embedded in the
 * library) is evaluated on small case trees written as YAML, with the
 * case's other records (CMPs, CSPs) served by a callback, so that the
 * record-based satisfiers and anchors the tools can not create yet
 * (ACT-CMP-CUSTODIAL, ACT-CMP-COMMUNITY, ACT-REMAND-CMP met by a record,
 * ACT-EVENT-REVIEW) are covered too, and the CSP rules (VIC-CSP-REQUIRED
 * met by an endorsement, VIC-CSP-REVIEW anchored on the latest entry of
 * the plan's endorsements, VIC-SDU on each service-delivery update
 * request) on hand-written plans.  Expected dates are computed by hand (the comment by
 * each says how); the calendars are the computed ones, without a store's
 * calendars/<JUR>.yaml.  The end-to-end fixtures are
 * tests/fixtures/deadlines/ (tests/cli/0010-deadlines-fixtures.t).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casetrail/calendar.h"
#include "casetrail/embedded.h"
#include "casetrail/rules.h"
#include "casetrail/schema.h"
#include "casetrail/yaml.h"
#include "yamlfx.h"

#define RULES_FILE "rules/deadlines.yaml"

static ct_date
day(const char *s)
{
	ct_error err = {0};
	ct_date d = 0;

	if (ct_date_parse(s, &d, &err) != 0)
		fail_msg("%s", ct_error_msg(&err));
	return d;
}

/* Parse, validate against the rules schema, compile; as deadline-check. */
static int
load_rules(const char *text, ct_rules **out, ct_error *err)
{
	ct_schema *schema = NULL;
	ct_node *doc = NULL;
	int rc;

	*out = NULL;
	if ((rc = ct_yaml_load(text, strlen(text), RULES_FILE, &doc,
	    err)) < 0)
		return rc;
	if ((rc = ct_schema_load("rules", &schema, err)) == 0 &&
	    (rc = ct_schema_validate(schema, doc, RULES_FILE, err)) == 0)
		rc = ct_rules_load(doc, RULES_FILE, out, err);
	ct_schema_free(schema);
	ct_node_free(doc);
	return rc;
}

static ct_rules *
default_rules(void)
{
	const struct ct_embedded_file *f = ct_embedded_find("deadlines.yaml");
	ct_error err = {0};
	ct_rules *r = NULL;

	assert_non_null(f);
	if (load_rules(f->text, &r, &err) != 0)
		fail_msg("%s", ct_error_msg(&err));
	return r;
}

/* The case's other records: rel -> YAML text. */
struct records {
	const char *rel[4];
	const char *text[4];
	ct_node *doc[4];
	int calls;
};

static int
get_record(void *arg, const char *rel, const ct_node **out, ct_error *err)
{
	struct records *rs = arg;
	size_t i;

	(void)err;
	rs->calls++;
	*out = NULL;
	for (i = 0; i < 4 && rs->rel[i] != NULL; i++)
		if (strcmp(rs->rel[i], rel) == 0) {
			if (rs->doc[i] == NULL)
				rs->doc[i] = yaml_doc(rs->text[i], rel);
			*out = rs->doc[i];
		}
	return 0;
}

static void
records_free(struct records *rs)
{
	size_t i;

	for (i = 0; i < 4; i++)
		ct_node_free(rs->doc[i]);
}

/* Evaluate rules on the case (YAML text) as of today into out. */
static void
eval(const ct_rules *r, const char *casetext, struct records *rs,
    const char *today, ct_findings *out)
{
	ct_node *c = yaml_doc(casetext, "case.yaml");
	ct_calendar *cal = NULL;
	ct_error err = {0};

	if (ct_calendar_new(ct_jurisdiction_parse(ct_map_str(c,
	    "jurisdiction")), &cal, &err) != 0 ||
	    ct_rules_eval(r, cal, c, rs != NULL ? get_record : NULL, rs,
	    day(today), out, &err) != 0)
		fail_msg("%s", ct_error_msg(&err));
	ct_calendar_free(cal);
	ct_node_free(c);
}

static size_t
count(const ct_findings *fs, const char *rule)
{
	size_t i, n = 0;

	for (i = 0; i < fs->n; i++)
		if (strcmp(ct_rule_id(fs->v[i].rule), rule) == 0)
			n++;
	return n;
}

/* The k-th (0-based) finding of a rule; fails when there is none. */
static const ct_finding *
nth(const ct_findings *fs, const char *rule, size_t k)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (strcmp(ct_rule_id(fs->v[i].rule), rule) == 0 && k-- == 0)
			return &fs->v[i];
	fail_msg("no finding %s", rule);
	return NULL;
}

static void
check_at(int line, const ct_finding *f, const char *due, ct_status status,
    int days)
{
	char buf[CT_DATE_BUFSZ];

	ct_date_format(f->due, buf);
	if (strcmp(buf, due) != 0 || f->status != status || f->days != days)
		fail_msg("line %d: got due %s, %s, %d days; want %s, %s, %d",
		    line, buf, ct_status_name(f->status), f->days, due,
		    ct_status_name(status), days);
}

/* The finding f is due on due, has status and days to go. */
#define check(f, due, status, days) \
	check_at(__LINE__, (f), (due), (status), (days))

/*
 * Statuses and the built-in rules.
 */
static void
test_status_names(void **state)
{
	static const char *const names[] = {
		"overdue", "due", "upcoming", "met", "info", "met-late",
		"deferred", "waived",
	};
	int i;

	(void)state;
	for (i = 0; i < CT_STATUS_COUNT; i++) {
		assert_string_equal(ct_status_name((ct_status)i), names[i]);
		assert_int_equal(ct_status_parse(names[i]), i);
	}
	assert_int_equal(ct_status_parse("all"), -1);
	assert_int_equal(ct_status_parse("Overdue"), -1);
	assert_int_equal(ct_status_parse(""), -1);
}

static void
test_builtin_rules_cited(void **state)
{
	static const char *const ids[] = {
		"ACT-REMAND-ENGAGE", "ACT-REMAND-CMP", "ACT-CMP-CUSTODIAL",
		"ACT-CMP-COMMUNITY", "ACT-PRE-RELEASE", "ACT-EVENT-REVIEW",
		"VIC-CSP-REQUIRED", "VIC-CSP-REVIEW", "VIC-SDU",
		"ACT-CMP-CUSTODIAL-APPROVAL", "ACT-CMP-COMMUNITY-APPROVAL",
		"ACT-LSIR-CURRENT",
		"VIC-AUTHORITY-NOTICE",
		"ACT-CONTACT", "ACT-REMAND-CMP-COPY", "ACT-SAB-REPORT",
	};
	const size_t nids = sizeof(ids) / sizeof(ids[0]);
	ct_rules *r = default_rules();
	size_t i;

	(void)state;
	assert_int_equal(ct_rules_count(r), nids);
	for (i = 0; i < nids; i++) {
		const ct_rule *rule = ct_rules_find(r, ids[i]);

		assert_non_null(rule);
		assert_ptr_equal(ct_rules_get(r, i), rule);
		assert_true(strlen(ct_rule_title(rule)) > 0);
		/* every rule cites a policy source; numbers the source does
		 * not set are marked as the store's policy */
		assert_true(strstr(ct_rule_cite(rule), "Policy 2022") != NULL ||
		    strstr(ct_rule_cite(rule), "Serious Offenders Act") != NULL);
	}
	assert_non_null(strstr(ct_rule_cite(ct_rules_find(r,
	    "VIC-CSP-REQUIRED")), "store policy default, the policy sets no number"));
	assert_non_null(strstr(ct_rule_cite(ct_rules_find(r,
	    "ACT-EVENT-REVIEW")), "store policy default, the policy sets no number"));
	assert_non_null(strstr(ct_rule_cite(ct_rules_find(r,
	    "VIC-CSP-REVIEW")), "42 days: store policy default"));
	assert_non_null(strstr(ct_rule_cite(ct_rules_find(r,
	    "VIC-SDU")), "Where services do not provide updates"));
	assert_non_null(strstr(ct_rule_cite(ct_rules_find(r,
	    "VIC-AUTHORITY-NOTICE")), "coordinates, responds and reports on "
	    "notices from the Authority"));
	assert_non_null(strstr(ct_rule_cite(ct_rules_find(r,
	    "ACT-CONTACT")), "store policy default, the policy sets no number"));
	assert_null(ct_rules_find(r, "ACT-NO-SUCH"));
	ct_rules_free(r);
}

/*
 * ACT-REMAND-ENGAGE and ACT-REMAND-CMP.
 */
static const char remandee[] =
    "id: R1\njurisdiction: ACT\ncohort: remandee\ncreated: '2026-01-01'\n"
    "events:\n"
    "  - date: '2026-03-30'\n    type: reception\n";

static void
test_act_remand_engage_easter(void **state)
{
	ct_rules *r = default_rules();
	ct_findings fs = {0};
	const ct_finding *f;

	(void)state;
	/* Mon 30 Mar + 5 business days over Good Friday 3 Apr and Easter
	 * Monday 6 Apr = Wed 8 Apr */
	eval(r, remandee, NULL, "2026-04-08", &fs);
	assert_int_equal(fs.n, 2);
	f = nth(&fs, "ACT-REMAND-ENGAGE", 0);
	check(f, "2026-04-08", CT_STATUS_DUE, 0);
	assert_string_equal(f->case_id, "R1");
	assert_string_equal(f->anchor_what, "reception");
	assert_int_equal(f->anchor, day("2026-03-30"));
	assert_false(f->met_known);
	assert_string_equal(f->explain, "reception 2026-03-30 + 5 business "
	    "days = 2026-04-08 (holidays skipped: 2026-04-03 Good Friday, "
	    "2026-04-06 Easter Monday)");
	/* 30 Mar + 28 = 27 Apr, informational */
	check(nth(&fs, "ACT-REMAND-CMP", 0), "2026-04-27", CT_STATUS_INFO, 19);
	ct_findings_clear(&fs);

	eval(r, remandee, NULL, "2026-04-09", &fs);
	check(nth(&fs, "ACT-REMAND-ENGAGE", 0), "2026-04-08",
	    CT_STATUS_OVERDUE, -1);
	check(nth(&fs, "ACT-REMAND-CMP", 0), "2026-04-27", CT_STATUS_INFO, 18);
	ct_findings_clear(&fs);
	eval(r, remandee, NULL, "2026-04-06", &fs);    /* warn_days 2 */
	check(nth(&fs, "ACT-REMAND-ENGAGE", 0), "2026-04-08", CT_STATUS_DUE, 2);
	ct_findings_clear(&fs);
	eval(r, remandee, NULL, "2026-04-05", &fs);
	check(nth(&fs, "ACT-REMAND-ENGAGE", 0), "2026-04-08",
	    CT_STATUS_UPCOMING, 3);
	ct_findings_clear(&fs);
	eval(r, remandee, NULL, "2026-06-01", &fs);    /* info is never overdue */
	check(nth(&fs, "ACT-REMAND-CMP", 0), "2026-04-27", CT_STATUS_INFO, -35);
	ct_findings_clear(&fs);
	ct_rules_free(r);
}

static void
test_act_remand_engage_met_and_lapsed(void **state)
{
	ct_rules *r = default_rules();
	ct_findings fs = {0};
	const ct_finding *f;

	(void)state;
	eval(r, "id: R1\njurisdiction: ACT\ncohort: remandee\nevents:\n"
	    "  - {date: '2026-01-05', type: reception}\n"
	    "  - {date: '2026-01-06', type: engaged}\n"
	    "  - {date: '2026-02-01', type: released}\n"
	    "  - {date: '2026-03-30', type: reception}\n"
	    "  - {date: '2026-03-30', type: engaged}\n",
	    NULL, "2026-04-20", &fs);
	f = nth(&fs, "ACT-REMAND-ENGAGE", 0);
	check(f, "2026-04-08", CT_STATUS_MET, -12);
	assert_true(f->met_known);
	assert_int_equal(f->met_on, day("2026-03-30"));
	assert_int_equal(count(&fs, "ACT-REMAND-ENGAGE"), 1);
	ct_findings_clear(&fs);

	/* the earlier episode's engagement does not count */
	eval(r, "id: R1\njurisdiction: ACT\ncohort: remandee\nevents:\n"
	    "  - {date: '2026-01-05', type: reception}\n"
	    "  - {date: '2026-01-06', type: engaged}\n"
	    "  - {date: '2026-03-30', type: reception}\n",
	    NULL, "2026-04-09", &fs);
	check(nth(&fs, "ACT-REMAND-ENGAGE", 0), "2026-04-08",
	    CT_STATUS_OVERDUE, -1);
	ct_findings_clear(&fs);

	/* released on the reception day: both rules lapse */
	eval(r, "id: R1\njurisdiction: ACT\ncohort: remandee\nevents:\n"
	    "  - {date: '2026-03-30', type: reception}\n"
	    "  - {date: '2026-03-30', type: released}\n",
	    NULL, "2026-04-09", &fs);
	assert_int_equal(fs.n, 0);
	ct_findings_clear(&fs);

	/* another cohort, another jurisdiction: nothing */
	eval(r, "id: S1\njurisdiction: ACT\ncohort: sentenced\nevents:\n"
	    "  - {date: '2026-03-30', type: reception}\n",
	    NULL, "2026-04-09", &fs);
	assert_int_equal(fs.n, 0);
	eval(r, "id: V1\njurisdiction: VIC\ncohort: remandee\nevents:\n"
	    "  - {date: '2026-03-30', type: reception}\n",
	    NULL, "2026-04-09", &fs);
	assert_int_equal(fs.n, 0);
	ct_rules_free(r);
}

/* Events dated after today have not happened yet: they neither satisfy
 * nor lapse an obligation. */
static void
test_act_remand_engage_future_events(void **state)
{
	static const char c[] =
	    "id: R1\njurisdiction: ACT\ncohort: remandee\nevents:\n"
	    "  - {date: '2026-03-30', type: reception}\n"
	    "  - {date: '2026-04-10', type: engaged}\n"
	    "  - {date: '2026-04-20', type: released}\n";
	ct_rules *r = default_rules();
	ct_findings fs = {0};
	const ct_finding *f;

	(void)state;
	eval(r, c, NULL, "2026-04-09", &fs);
	assert_int_equal(fs.n, 2);
	check(nth(&fs, "ACT-REMAND-ENGAGE", 0), "2026-04-08",
	    CT_STATUS_OVERDUE, -1);
	ct_findings_clear(&fs);
	eval(r, c, NULL, "2026-04-10", &fs);
	f = nth(&fs, "ACT-REMAND-ENGAGE", 0);
	/* engaged 04-10, due 04-08: met two days late */
	check(f, "2026-04-08", CT_STATUS_MET_LATE, -2);
	assert_int_equal(f->met_on, day("2026-04-10"));
	ct_findings_clear(&fs);
	eval(r, c, NULL, "2026-04-19", &fs);
	assert_int_equal(fs.n, 2);
	ct_findings_clear(&fs);
	eval(r, c, NULL, "2026-04-20", &fs);        /* released today */
	assert_int_equal(fs.n, 0);
	ct_rules_free(r);
}

static void
test_act_remand_cmp_met_by_record(void **state)
{
	struct records rs = {
		.rel = { "cmp/remand.yaml" },
		.text = { "status: draft\n" },
	};
	ct_rules *r = default_rules();
	ct_findings fs = {0};
	const ct_finding *f;

	(void)state;
	eval(r, remandee, &rs, "2026-05-01", &fs);
	f = nth(&fs, "ACT-REMAND-CMP", 0);
	check(f, "2026-04-27", CT_STATUS_MET, -4);  /* any status will do */
	assert_false(f->met_known);                 /* a record has no date */
	ct_findings_clear(&fs);
	records_free(&rs);
	ct_rules_free(r);
}

/*
 * ACT-CMP-CUSTODIAL, ACT-CMP-COMMUNITY: met by an approved plan only.
 */
static const char sentenced[] =
    "id: S1\njurisdiction: ACT\ncohort: sentenced\nstage: custodial\n"
    "events:\n"
    "  - {date: '2026-01-05', type: sentence-commenced}\n"
    "  - {date: '2026-01-05', type: stage-changed, stage: custodial}\n";

/* Satisfiers bounded by the anchor's episode (since: episode): an
 * approval of an earlier period of custody does not meet the custodial
 * CMP of a new one, nor of a new sentence. */
static void
test_act_cmp_custodial_episodes(void **state)
{
	static const char returned[] =
	    "id: S1\njurisdiction: ACT\ncohort: sentenced\nstage: custodial\n"
	    "events:\n"
	    "  - {date: '2025-01-06', type: reception}\n"
	    "  - {date: '2025-01-06', type: sentence-commenced}\n"
	    "  - {date: '2025-09-01', type: released}\n"
	    "  - {date: '2026-03-02', type: reception}\n"
	    "  - {date: '2026-03-02', type: sentence-commenced}\n";
	static const char resentenced[] =
	    "id: S1\njurisdiction: ACT\ncohort: sentenced\nstage: custodial\n"
	    "events:\n"
	    "  - {date: '2026-01-05', type: reception}\n"
	    "  - {date: '2026-01-05', type: sentence-commenced}\n"
	    "  - {date: '2026-06-01', type: sentence-commenced}\n";
	struct records old = {
		.rel = { "cmp/custodial.yaml" },
		.text = { "status: approved\napprovals:\n"
		    "  - {by: carol, role: cmu-team-leader, date: '2025-02-10'}\n" },
	};
	struct records first = {
		.rel = { "cmp/custodial.yaml" },
		.text = { "status: approved\napprovals:\n"
		    "  - {by: carol, role: cmu-team-leader, date: '2026-02-10'}\n" },
	};
	struct records again = {
		.rel = { "cmp/custodial.yaml" },
		.text = { "status: approved\napprovals:\n"
		    "  - {by: carol, role: cmu-team-leader, date: '2026-02-10'}\n"
		    "  - {by: carol, role: cmu-team-leader, date: '2026-07-01'}\n" },
	};
	ct_rules *r = default_rules();
	ct_findings fs = {0};

	(void)state;
	/* received again 2 Mar 2026: 2 Mar + 6 weeks = 13 Apr; the 2025
	 * approval belongs to the first custody */
	eval(r, returned, &old, "2026-04-20", &fs);
	check(nth(&fs, "ACT-CMP-CUSTODIAL", 0), "2026-04-13",
	    CT_STATUS_OVERDUE, -7);
	ct_findings_clear(&fs);
	/* a new sentence on 1 Jun 2026 is a new custody: 1 Jun + 6 weeks =
	 * 13 Jul, not met by the approval of February */
	eval(r, resentenced, &first, "2026-07-20", &fs);
	check(nth(&fs, "ACT-CMP-CUSTODIAL", 0), "2026-07-13",
	    CT_STATUS_OVERDUE, -7);
	ct_findings_clear(&fs);
	eval(r, resentenced, &again, "2026-07-20", &fs);
	check(nth(&fs, "ACT-CMP-CUSTODIAL", 0), "2026-07-13", CT_STATUS_MET,
	    -7);
	assert_int_equal(nth(&fs, "ACT-CMP-CUSTODIAL", 0)->met_on,
	    day("2026-07-01"));
	ct_findings_clear(&fs);
	records_free(&old);
	records_free(&first);
	records_free(&again);
	ct_rules_free(r);
}

static void
test_act_cmp_custodial(void **state)
{
	struct records draft = {
		.rel = { "cmp/custodial.yaml" },
		.text = { "status: draft\n" },
	};
	struct records approved = {
		.rel = { "cmp/custodial.yaml" },
		.text = { "status: approved\napprovals:\n"
		    "  - {by: carol, role: cmu-team-leader, date: '2026-02-17'}\n" },
	};
	struct records other = {
		.rel = { "cmp/community.yaml" },
		.text = { "status: approved\napprovals:\n"
		    "  - {by: carol, role: community-team-leader, "
		    "date: '2026-02-10'}\n" },
	};
	ct_rules *r = default_rules();
	ct_findings fs = {0};

	(void)state;
	/* 5 Jan + 6 weeks = 16 Feb */
	eval(r, sentenced, NULL, "2026-02-16", &fs);
	check(nth(&fs, "ACT-CMP-CUSTODIAL", 0), "2026-02-16", CT_STATUS_DUE, 0);
	assert_string_equal(nth(&fs, "ACT-CMP-CUSTODIAL", 0)->explain,
	    "sentence-commenced 2026-01-05 + 6 weeks = 2026-02-16");
	ct_findings_clear(&fs);
	eval(r, sentenced, NULL, "2026-02-02", &fs);   /* warn_days 14 */
	check(nth(&fs, "ACT-CMP-CUSTODIAL", 0), "2026-02-16", CT_STATUS_DUE, 14);
	ct_findings_clear(&fs);
	eval(r, sentenced, NULL, "2026-02-01", &fs);
	check(nth(&fs, "ACT-CMP-CUSTODIAL", 0), "2026-02-16",
	    CT_STATUS_UPCOMING, 15);
	ct_findings_clear(&fs);
	eval(r, sentenced, &draft, "2026-02-17", &fs);
	check(nth(&fs, "ACT-CMP-CUSTODIAL", 0), "2026-02-16",
	    CT_STATUS_OVERDUE, -1);
	ct_findings_clear(&fs);
	eval(r, sentenced, &other, "2026-02-17", &fs);
	check(nth(&fs, "ACT-CMP-CUSTODIAL", 0), "2026-02-16",
	    CT_STATUS_OVERDUE, -1);
	ct_findings_clear(&fs);
	eval(r, sentenced, &approved, "2026-02-17", &fs);
	/* approved 02-17, due 02-16: met a day late */
	check(nth(&fs, "ACT-CMP-CUSTODIAL", 0), "2026-02-16",
	    CT_STATUS_MET_LATE, -1);
	ct_findings_clear(&fs);
	records_free(&draft);
	records_free(&approved);
	records_free(&other);
	ct_rules_free(r);
}

static void
test_act_cmp_community(void **state)
{
	/* the custodial CM (5 Jan) is not the community CM */
	static const char before[] =
	    "id: C1\njurisdiction: ACT\ncohort: sentenced\nstage: community\n"
	    "events:\n"
	    "  - {date: '2026-01-05', type: stage-changed, stage: custodial}\n"
	    "  - {date: '2026-01-05', type: cm-assigned, manager: ada}\n"
	    "  - {date: '2026-06-01', type: stage-changed, stage: community}\n";
	static const char after[] =
	    "id: C1\njurisdiction: ACT\ncohort: sentenced\nstage: community\n"
	    "events:\n"
	    "  - {date: '2026-01-05', type: stage-changed, stage: custodial}\n"
	    "  - {date: '2026-01-05', type: cm-assigned, manager: ada}\n"
	    "  - {date: '2026-06-01', type: stage-changed, stage: community}\n"
	    "  - {date: '2026-06-03', type: cm-assigned, manager: ada}\n";
	static const char community[] =
	    "id: C1\njurisdiction: ACT\ncohort: sentenced\nstage: community\n"
	    "events:\n"
	    "  - {date: '2026-03-02', type: stage-changed, stage: community}\n"
	    "  - {date: '2026-03-02', type: cm-assigned, manager: ada}\n";
	struct records approved = {
		.rel = { "cmp/community.yaml" },
		.text = { "status: approved\napprovals:\n"
		    "  - {by: dee, role: community-team-leader, "
		    "date: '2026-04-20'}\n" },
	};
	ct_rules *r = default_rules();
	ct_findings fs = {0};

	(void)state;
	/* 2 Mar + 8 weeks = 27 Apr */
	eval(r, community, NULL, "2026-04-28", &fs);
	check(nth(&fs, "ACT-CMP-COMMUNITY", 0), "2026-04-27",
	    CT_STATUS_OVERDUE, -1);
	ct_findings_clear(&fs);
	eval(r, community, &approved, "2026-04-28", &fs);
	check(nth(&fs, "ACT-CMP-COMMUNITY", 0), "2026-04-27", CT_STATUS_MET, -1);
	/* a community CMP on file makes ACT-EVENT-REVIEW apply: the stage
	 * change of 2 Mar + 28 days = 30 Mar, not reviewed */
	check(nth(&fs, "ACT-EVENT-REVIEW", 0), "2026-03-30",
	    CT_STATUS_OVERDUE, -29);
	ct_findings_clear(&fs);
	eval(r, before, NULL, "2026-06-02", &fs);
	assert_int_equal(count(&fs, "ACT-CMP-COMMUNITY"), 0);
	ct_findings_clear(&fs);
	/* 3 Jun + 56 = 29 Jul */
	eval(r, after, NULL, "2026-07-29", &fs);
	assert_int_equal(count(&fs, "ACT-CMP-COMMUNITY"), 1);
	check(nth(&fs, "ACT-CMP-COMMUNITY", 0), "2026-07-29", CT_STATUS_DUE, 0);
	assert_int_equal(nth(&fs, "ACT-CMP-COMMUNITY", 0)->anchor,
	    day("2026-06-03"));
	ct_findings_clear(&fs);
	/* custodial stage: the rule does not apply */
	eval(r, sentenced, &approved, "2026-04-28", &fs);
	assert_int_equal(count(&fs, "ACT-CMP-COMMUNITY"), 0);
	ct_findings_clear(&fs);
	records_free(&approved);
	ct_rules_free(r);
}

/*
 * ACT-PRE-RELEASE: months back from the EPRD, clamped.
 */
static void
test_act_pre_release(void **state)
{
	ct_rules *r = default_rules();
	ct_findings fs = {0};
	const ct_finding *f;

	(void)state;
	/* 31 Aug 2027 - 6 months = 28 Feb 2027 */
	eval(r, "id: S1\njurisdiction: ACT\ncohort: sentenced\nevents:\n"
	    "  - {date: '2027-08-31', type: eprd-set}\n",
	    NULL, "2027-02-28", &fs);
	f = nth(&fs, "ACT-PRE-RELEASE", 0);
	check(f, "2027-02-28", CT_STATUS_DUE, 0);
	assert_string_equal(f->explain, "eprd-set 2027-08-31 - 6 months = "
	    "2027-02-28 (day of month clamped to the month's end)");
	ct_findings_clear(&fs);
	/* leap year: 31 Aug 2028 - 6 months = 29 Feb 2028 */
	eval(r, "id: S1\njurisdiction: ACT\ncohort: sentenced\nevents:\n"
	    "  - {date: '2028-08-31', type: eprd-set}\n",
	    NULL, "2028-01-30", &fs);
	check(nth(&fs, "ACT-PRE-RELEASE", 0), "2028-02-29", CT_STATUS_DUE, 30);
	ct_findings_clear(&fs);
	/* a stage change to pre-release at any time satisfies it */
	eval(r, "id: S1\njurisdiction: ACT\ncohort: sentenced\nevents:\n"
	    "  - {date: '2026-05-01', type: stage-changed, stage: pre-release}\n"
	    "  - {date: '2027-06-15', type: eprd-set}\n",
	    NULL, "2026-06-01", &fs);
	f = nth(&fs, "ACT-PRE-RELEASE", 0);
	check(f, "2026-12-15", CT_STATUS_MET, 197);
	assert_true(f->met_known);
	assert_int_equal(f->met_on, day("2026-05-01"));
	ct_findings_clear(&fs);
	/* ... a stage change to custodial does not */
	eval(r, "id: S1\njurisdiction: ACT\ncohort: sentenced\nevents:\n"
	    "  - {date: '2026-05-01', type: stage-changed, stage: custodial}\n"
	    "  - {date: '2027-06-15', type: eprd-set}\n",
	    NULL, "2026-11-14", &fs);
	check(nth(&fs, "ACT-PRE-RELEASE", 0), "2026-12-15",
	    CT_STATUS_UPCOMING, 31);
	ct_findings_clear(&fs);
	ct_rules_free(r);
}

/*
 * ACT-EVENT-REVIEW: one obligation per trigger event, only with a CMP.
 */
static void
test_act_event_review(void **state)
{
	static const char c[] =
	    "id: S1\njurisdiction: ACT\ncohort: sentenced\nstage: custodial\n"
	    "events:\n"
	    "  - {date: '2026-02-01', type: stage-changed, stage: custodial}\n"
	    "  - {date: '2026-02-20', type: at-risk}\n"
	    "  - {date: '2026-03-01', type: risk-rating-changed, rating: high}\n"
	    "  - {date: '2026-03-02', type: goals-change-requested}\n";
	struct records cmp = {
		.rel = { "cmp/custodial.yaml" },
		.text = { "status: approved\nreviews:\n"
		    "  - date: '2026-02-10'\n    reason: stage\n"
		    "approvals:\n  - date: '2026-02-11'\n" },
	};
	ct_rules *r = default_rules();
	ct_findings fs = {0};
	const ct_finding *f;

	(void)state;
	eval(r, c, NULL, "2026-03-30", &fs);
	assert_int_equal(count(&fs, "ACT-EVENT-REVIEW"), 0);
	ct_findings_clear(&fs);

	eval(r, c, &cmp, "2026-03-30", &fs);
	assert_int_equal(count(&fs, "ACT-EVENT-REVIEW"), 3); /* not at-risk */
	/* 1 Feb + 28 = 1 Mar: reviewed 10 Feb, met on its approval of 11
	 * Feb (a custodial plan's changes are approved) */
	f = nth(&fs, "ACT-EVENT-REVIEW", 0);
	check(f, "2026-03-01", CT_STATUS_MET, -29);
	assert_string_equal(f->anchor_what, "stage-changed");
	assert_true(f->met_known);
	assert_int_equal(f->met_on, day("2026-02-11"));
	/* 1 Mar + 28 = 29 Mar: the review of 10 Feb is before the trigger */
	f = nth(&fs, "ACT-EVENT-REVIEW", 1);
	check(f, "2026-03-29", CT_STATUS_OVERDUE, -1);
	assert_string_equal(f->anchor_what, "risk-rating-changed");
	/* 2 Mar + 28 = 30 Mar, warn_days 7 */
	f = nth(&fs, "ACT-EVENT-REVIEW", 2);
	check(f, "2026-03-30", CT_STATUS_DUE, 0);
	assert_string_equal(f->anchor_what, "goals-change-requested");
	ct_findings_clear(&fs);
	records_free(&cmp);
	ct_rules_free(r);
}

/*
 * VIC-CSP-REQUIRED and VIC-CSP-REVIEW.
 */
static const char vic[] =
    "id: V1\njurisdiction: VIC\ncohort: post-sentence\n"
    "orders:\n  - {type: supervision, made: '2026-03-02'}\n"
    "events:\n"
    "  - {date: '2026-03-02', type: order-made, order: supervision}\n";

static void
test_vic_csp(void **state)
{
	struct records endorsed = {
		.rel = { "csp.yaml" },
		.text = { "case: V1\nversion: 1\nstatus: endorsed\n"
		    "endorsements:\n  - version: 1\n    meeting: MAP-1\n"
		    "    date: '2026-08-31'\n    agencies: [djcs]\n" },
	};
	struct records unendorsed = {
		.rel = { "csp.yaml" },
		.text = { "status: draft\n" },
	};
	ct_rules *r = default_rules();
	ct_findings fs = {0};
	const ct_finding *f;

	(void)state;
	/* order 2 Mar + 28 days = 30 Mar; no CSP, so no review */
	eval(r, vic, NULL, "2026-03-30", &fs);
	assert_int_equal(fs.n, 1);
	check(nth(&fs, "VIC-CSP-REQUIRED", 0), "2026-03-30", CT_STATUS_DUE, 0);
	ct_findings_clear(&fs);
	eval(r, vic, &unendorsed, "2026-03-31", &fs);
	assert_int_equal(fs.n, 1);
	check(nth(&fs, "VIC-CSP-REQUIRED", 0), "2026-03-30",
	    CT_STATUS_OVERDUE, -1);
	ct_findings_clear(&fs);

	/* endorsed (late) 31 Aug: required met; review 31 Aug + 6 months =
	 * 28 Feb 2027 (clamped), 30 days ahead on 29 Jan 2027: due (the
	 * window is 42 days) */
	eval(r, vic, &endorsed, "2027-01-29", &fs);
	assert_int_equal(fs.n, 2);
	f = nth(&fs, "VIC-CSP-REQUIRED", 0);
	/* endorsed 31 Aug, due 30 Mar: met late */
	check(f, "2026-03-30", CT_STATUS_MET_LATE, -305);
	assert_true(f->met_known);
	assert_int_equal(f->met_on, day("2026-08-31"));
	f = nth(&fs, "VIC-CSP-REVIEW", 0);
	check(f, "2027-02-28", CT_STATUS_DUE, 30);
	assert_string_equal(f->anchor_what, "csp endorsement 1");
	assert_non_null(strstr(f->explain, "+ 6 months = 2027-02-28 (day of "
	    "month clamped"));
	ct_findings_clear(&fs);

	/* the order ended: neither applies */
	eval(r, "id: V1\njurisdiction: VIC\ncohort: post-sentence\n"
	    "orders:\n  - {type: supervision, made: '2026-03-02', "
	    "ended: '2026-03-20'}\nevents:\n"
	    "  - {date: '2026-03-02', type: order-made, order: supervision}\n"
	    "  - {date: '2026-03-20', type: order-ended, order: supervision}\n",
	    &endorsed, "2026-04-01", &fs);
	assert_int_equal(fs.n, 0);
	ct_findings_clear(&fs);
	records_free(&endorsed);
	records_free(&unendorsed);
	ct_rules_free(r);
}

/* The head of a rules file written for a test. */
static const char head[] = "format: 1\nrules:\n";

/*
 * VIC-CSP-REVIEW and VIC-CSP-REQUIRED while version 2 is a draft under
 * review: the endorsements of earlier versions are carried in the plan,
 * so the clock still runs from version 1's endorsement and the plan is
 * still endorsed.
 */
static void
test_vic_csp_review_during_draft(void **state)
{
	struct records draft = {
		.rel = { "csp.yaml" },
		.text = { "case: V1\nversion: 2\nstatus: draft\n"
		    "endorsements:\n"
		    "  - {version: 1, meeting: MAP-1, date: '2026-03-20', "
		    "agencies: [djcs]}\n"
		    "reviews:\n  - {version: 2, opened: '2026-08-10'}\n" },
	};
	struct records reendorsed = {
		.rel = { "csp.yaml" },
		.text = { "case: V1\nversion: 2\nstatus: endorsed\n"
		    "endorsements:\n"
		    "  - {version: 1, meeting: MAP-1, date: '2026-03-20', "
		    "agencies: [djcs]}\n"
		    "  - {version: 2, meeting: MAP-7, date: '2026-09-15', "
		    "agencies: [djcs]}\n" },
	};
	ct_rules *r = default_rules();
	ct_findings fs = {0};
	const ct_finding *f;

	(void)state;
	/* v1 endorsed 20 Mar + 6 months = 20 Sep; on 10 Aug: 41 days, in
	 * the 42-day window: due; required met by v1's endorsement */
	eval(r, vic, &draft, "2026-08-10", &fs);
	assert_int_equal(fs.n, 2);
	f = nth(&fs, "VIC-CSP-REVIEW", 0);
	check(f, "2026-09-20", CT_STATUS_DUE, 41);
	assert_string_equal(f->anchor_what, "csp endorsement 1");
	f = nth(&fs, "VIC-CSP-REQUIRED", 0);
	check(f, "2026-03-30", CT_STATUS_MET, -133);
	assert_int_equal(f->met_on, day("2026-03-20"));
	ct_findings_clear(&fs);

	/* 9 Aug: 42 days is still due; 8 Aug: 43 days, upcoming */
	eval(r, vic, &draft, "2026-08-09", &fs);
	check(nth(&fs, "VIC-CSP-REVIEW", 0), "2026-09-20", CT_STATUS_DUE, 42);
	ct_findings_clear(&fs);
	eval(r, vic, &draft, "2026-08-08", &fs);
	check(nth(&fs, "VIC-CSP-REVIEW", 0), "2026-09-20",
	    CT_STATUS_UPCOMING, 43);
	ct_findings_clear(&fs);

	/* v2 endorsed 15 Sep: the clock moves on, 15 Sep + 6 months = 15
	 * Mar 2027 */
	eval(r, vic, &reendorsed, "2026-09-16", &fs);
	f = nth(&fs, "VIC-CSP-REVIEW", 0);
	check(f, "2027-03-15", CT_STATUS_UPCOMING, 180);
	assert_string_equal(f->anchor_what, "csp endorsement 2");
	assert_int_equal(count(&fs, "VIC-CSP-REVIEW"), 1);
	ct_findings_clear(&fs);
	/* ... but not before it happened: on 14 Sep v1's clock is running,
	 * 6 days left */
	eval(r, vic, &reendorsed, "2026-09-14", &fs);
	f = nth(&fs, "VIC-CSP-REVIEW", 0);
	check(f, "2026-09-20", CT_STATUS_DUE, 6);
	assert_string_equal(f->anchor_what, "csp endorsement 1");
	ct_findings_clear(&fs);
	/* ... and an endorsement dated after today does not meet
	 * VIC-CSP-REQUIRED either */
	eval(r, vic, &reendorsed, "2026-03-19", &fs);
	check(nth(&fs, "VIC-CSP-REQUIRED", 0), "2026-03-30", CT_STATUS_DUE,
	    11);
	assert_int_equal(count(&fs, "VIC-CSP-REVIEW"), 0);
	ct_findings_clear(&fs);
	records_free(&draft);
	records_free(&reendorsed);
	ct_rules_free(r);
}

/*
 * VIC-AUTHORITY-NOTICE: each Post-Sentence Authority notice is due on its
 * due date, from the day it was received, and met by the date of its
 * response (a dotted field of the list entry).
 */
static void
test_vic_authority_notice(void **state)
{
	struct records notices = {
		.rel = { "authority-notices.yaml" },
		.text = { "case: V1\nnotices:\n"
		    "  - {id: n1, received: '2026-05-04', kind: update-request, "
		    "asks: Progress, due: '2026-05-18'}\n"
		    "  - {id: n2, received: '2026-05-04', kind: report-request, "
		    "asks: Report, due: '2026-05-11', "
		    "response: {date: '2026-05-13', summary: Sent}}\n"
		    "  - {id: n3, received: '2026-06-01', kind: other, "
		    "asks: Letter, due: '2026-06-05'}\n" },
	};
	ct_rules *r = default_rules();
	ct_findings fs = {0};
	const ct_finding *f;

	(void)state;
	/* 12 May: n2 is a day late (its response dated 13 May has not
	 * happened yet); n1 due in 6 days (within the 7-day window); n3 not
	 * received yet */
	eval(r, vic, &notices, "2026-05-12", &fs);
	assert_int_equal(count(&fs, "VIC-AUTHORITY-NOTICE"), 2);
	f = nth(&fs, "VIC-AUTHORITY-NOTICE", 0);
	check(f, "2026-05-18", CT_STATUS_DUE, 6);
	assert_string_equal(f->anchor_what, "authority notice n1");
	f = nth(&fs, "VIC-AUTHORITY-NOTICE", 1);
	check(f, "2026-05-11", CT_STATUS_OVERDUE, -1);
	assert_string_equal(f->anchor_what, "authority notice n2");
	ct_findings_clear(&fs);

	/* 19 May: n1 a day late; n2 answered late on 13 May: met */
	eval(r, vic, &notices, "2026-05-19", &fs);
	check(nth(&fs, "VIC-AUTHORITY-NOTICE", 0), "2026-05-18",
	    CT_STATUS_OVERDUE, -1);
	f = nth(&fs, "VIC-AUTHORITY-NOTICE", 1);
	/* answered 13 May, due 11 May: met late */
	check(f, "2026-05-11", CT_STATUS_MET_LATE, -8);
	assert_true(f->met_known);
	assert_int_equal(f->met_on, day("2026-05-13"));
	ct_findings_clear(&fs);

	/* 1 Jun: n3 counts from the day received; 10 May: n1 is 8 days
	 * off, upcoming */
	eval(r, vic, &notices, "2026-06-01", &fs);
	assert_int_equal(count(&fs, "VIC-AUTHORITY-NOTICE"), 3);
	check(nth(&fs, "VIC-AUTHORITY-NOTICE", 2), "2026-06-05",
	    CT_STATUS_DUE, 4);
	ct_findings_clear(&fs);
	eval(r, vic, &notices, "2026-05-10", &fs);
	check(nth(&fs, "VIC-AUTHORITY-NOTICE", 0), "2026-05-18",
	    CT_STATUS_UPCOMING, 8);
	ct_findings_clear(&fs);

	/* an ACT case has no such obligation */
	eval(r, "id: A1\njurisdiction: ACT\ncohort: sentenced\nevents: []\n",
	    &notices, "2026-05-19", &fs);
	assert_int_equal(count(&fs, "VIC-AUTHORITY-NOTICE"), 0);
	ct_findings_clear(&fs);
	records_free(&notices);
	ct_rules_free(r);
}

/*
 * VIC-SDU: each outstanding service-delivery update request is a finding
 * for its agency, due on its due date; an answer received meets it.
 */
static void
test_vic_sdu(void **state)
{
	struct records plan = {
		.rel = { "csp.yaml" },
		.text = { "case: V1\nversion: 1\nstatus: endorsed\n"
		    "requests:\n"
		    "  - {id: r1, version: 1, agency: dffh, via: written, "
		    "requested: '2026-08-01', due: '2026-08-29'}\n"
		    "  - {id: r2, version: 1, agency: djcs, via: conference, "
		    "requested: '2026-08-01', due: '2026-08-29', "
		    "received: '2026-08-20'}\n"
		    "  - {id: r3, version: 1, agency: dh, via: written, "
		    "requested: '2026-09-01', due: '2026-09-15', "
		    "received: '2026-09-02'}\n" },
	};
	ct_rules *r = default_rules();
	ct_findings fs = {0};
	const ct_finding *f;

	(void)state;
	/* 30 Aug: dffh's is a day late; djcs answered on 20 Aug; dh's was
	 * not asked yet (requested 1 Sep) */
	eval(r, vic, &plan, "2026-08-30", &fs);
	assert_int_equal(count(&fs, "VIC-SDU"), 2);
	f = nth(&fs, "VIC-SDU", 0);
	check(f, "2026-08-29", CT_STATUS_OVERDUE, -1);
	assert_string_equal(f->anchor_what, "sdu request dffh");
	assert_int_equal(f->anchor, day("2026-08-29"));
	assert_non_null(strstr(f->explain,
	    "sdu request dffh 2026-08-29 + 0 days = 2026-08-29"));
	f = nth(&fs, "VIC-SDU", 1);
	check(f, "2026-08-29", CT_STATUS_MET, -1);
	assert_string_equal(f->anchor_what, "sdu request djcs");
	assert_true(f->met_known);
	assert_int_equal(f->met_on, day("2026-08-20"));
	ct_findings_clear(&fs);

	/* 22 Aug: dffh's is due in 7 days (the window): due; 21 Aug: 8,
	 * upcoming; djcs's answer dated 20 Aug counts, one dated after
	 * today would not */
	eval(r, vic, &plan, "2026-08-22", &fs);
	check(nth(&fs, "VIC-SDU", 0), "2026-08-29", CT_STATUS_DUE, 7);
	ct_findings_clear(&fs);
	eval(r, vic, &plan, "2026-08-19", &fs);
	check(nth(&fs, "VIC-SDU", 0), "2026-08-29", CT_STATUS_UPCOMING, 10);
	check(nth(&fs, "VIC-SDU", 1), "2026-08-29", CT_STATUS_UPCOMING, 10);
	ct_findings_clear(&fs);

	/* 2 Sep: dh's request counts from its requested day; answered */
	eval(r, vic, &plan, "2026-09-02", &fs);
	assert_int_equal(count(&fs, "VIC-SDU"), 3);
	check(nth(&fs, "VIC-SDU", 2), "2026-09-15", CT_STATUS_MET, 13);
	ct_findings_clear(&fs);

	/* an ended order stops the CSP rules */
	eval(r, "id: V1\njurisdiction: VIC\ncohort: post-sentence\n"
	    "orders:\n  - {type: supervision, made: '2026-03-02', "
	    "ended: '2026-08-25'}\nevents:\n"
	    "  - {date: '2026-03-02', type: order-made, order: supervision}\n"
	    "  - {date: '2026-08-25', type: order-ended, order: supervision}\n",
	    &plan, "2026-08-30", &fs);
	assert_int_equal(fs.n, 0);
	ct_findings_clear(&fs);
	records_free(&plan);
	ct_rules_free(r);
}

/*
 * The list anchor and the entry satisfier as data, without the shipped
 * rules: latest and each, the default name, a missing label, "since:
 * after", entries dated after today.
 */
static void
test_list_anchor(void **state)
{
	struct records rec = {
		.rel = { "x.yaml" },
		.text = { "visits:\n"
		    "  - {on: '2026-01-10', who: ann, done: '2026-01-12'}\n"
		    "  - {on: '2026-03-01', who: bo}\n"
		    "  - {on: '2026-02-01'}\n"
		    "  - {on: 'not a date', who: cy}\n"
		    "  - {on: '2026-12-01', who: di}\n" },
	};
	char text[2048];
	ct_rules *r = NULL;
	ct_findings fs = {0};
	ct_error err = {0};
	const ct_finding *f;

	(void)state;
	snprintf(text, sizeof(text), "%s"
	    "  - id: T-LATEST\n    title: latest\n    cite: test\n"
	    "    anchor: {record: x.yaml, list: visits, field: on}\n"
	    "    offset: {days: 10}\n"
	    "  - id: T-EACH\n    title: each\n    cite: test\n"
	    "    anchor: {record: x.yaml, list: visits, field: on, each: true,"
	    " name: visit, label: who}\n"
	    "    offset: {days: 10}\n"
	    "    satisfied_by:\n      - entry: done\n"
	    "      - record: [x.yaml]\n        list: visits\n"
	    "        since: after\n"
	    "  - id: T-BACK\n    title: back\n    cite: test\n"
	    "    anchor: {record: x.yaml, list: visits, field: on}\n"
	    "    offset: {days: -10}\n", head);
	if (load_rules(text, &r, &err) != 0)
		fail_msg("%s", ct_error_msg(&err));
	/* event dates in the list entries are "on", not "date": the list
	 * satisfier reads "date", so T-EACH is met only by "done" */
	eval(r, "id: X\njurisdiction: ACT\ncohort: remandee\nevents: []\n",
	    &rec, "2026-03-05", &fs);
	/* latest by date, not by position: 1 Mar; 1 Dec is ahead */
	f = nth(&fs, "T-LATEST", 0);
	check(f, "2026-03-11", CT_STATUS_UPCOMING, 6);
	assert_string_equal(f->anchor_what, "x.yaml visits");
	/* counting back, a future entry anchors */
	check(nth(&fs, "T-BACK", 0), "2026-11-21", CT_STATUS_UPCOMING, 261);
	assert_int_equal(count(&fs, "T-EACH"), 3);
	f = nth(&fs, "T-EACH", 0);
	check(f, "2026-01-20", CT_STATUS_MET, -44);
	assert_string_equal(f->anchor_what, "visit ann");
	assert_int_equal(f->met_on, day("2026-01-12"));
	f = nth(&fs, "T-EACH", 1);
	check(f, "2026-03-11", CT_STATUS_UPCOMING, 6);
	assert_string_equal(f->anchor_what, "visit bo");
	f = nth(&fs, "T-EACH", 2);
	check(f, "2026-02-11", CT_STATUS_OVERDUE, -22);
	assert_string_equal(f->anchor_what, "visit");
	ct_findings_clear(&fs);
	records_free(&rec);
	ct_rules_free(r);

	/* since: after, with entries that have a "date": each is met by a
	 * later one, the last is open */
	{
		struct records dated = {
			.rel = { "x.yaml" },
			.text = { "visits:\n  - {date: '2026-01-10'}\n"
			    "  - {date: '2026-01-10'}\n"
			    "  - {date: '2026-02-01'}\n" },
		};

		snprintf(text, sizeof(text), "%s"
		    "  - id: T-NEXT\n    title: next\n    cite: test\n"
		    "    anchor: {record: x.yaml, list: visits, field: date,"
		    " each: true}\n"
		    "    offset: {days: 30}\n"
		    "    satisfied_by:\n      - record: [x.yaml]\n"
		    "        list: visits\n        since: after\n", head);
		if (load_rules(text, &r, &err) != 0)
			fail_msg("%s", ct_error_msg(&err));
		eval(r, "id: X\njurisdiction: ACT\ncohort: remandee\n"
		    "events: []\n", &dated, "2026-02-05", &fs);
		assert_int_equal(fs.n, 3);
		/* the same day is not after: both 10 Jan entries are met by
		 * 1 Feb */
		check(nth(&fs, "T-NEXT", 0), "2026-02-09", CT_STATUS_MET, 4);
		assert_int_equal(nth(&fs, "T-NEXT", 0)->met_on,
		    day("2026-02-01"));
		check(nth(&fs, "T-NEXT", 1), "2026-02-09", CT_STATUS_MET, 4);
		check(nth(&fs, "T-NEXT", 2), "2026-03-03", CT_STATUS_UPCOMING,
		    26);
		ct_findings_clear(&fs);
		records_free(&dated);
		ct_rules_free(r);
	}
}

/*
 * Rules written for the test: units, negative business days, VIC
 * holidays, info.
 */

static void
test_custom_units(void **state)
{
	char text[2048];
	ct_rules *r = NULL;
	ct_findings fs = {0};
	ct_error err = {0};

	(void)state;
	snprintf(text, sizeof(text), "%s"
	    "  - id: T-BACK\n    title: three business days before\n"
	    "    cite: test\n    anchor: {event: [reception]}\n"
	    "    offset: {business_days: -3}\n"
	    "  - id: T-VIC\n    title: five VIC business days\n"
	    "    cite: test\n    applies: {jurisdiction: VIC}\n"
	    "    anchor: {event: [order-made], match: {order: [supervision]}}\n"
	    "    offset: {business_days: 5}\n    warn_days: 3\n"
	    "  - id: T-INFO\n    title: info\n    cite: test\n    info: true\n"
	    "    anchor: {event: [reception]}\n    offset: {days: 0}\n", head);
	if (load_rules(text, &r, &err) != 0)
		fail_msg("%s", ct_error_msg(&err));
	assert_int_equal(ct_rules_count(r), 3);

	/* Tue 7 Apr 2026 - 3 business days: [Mon 6 Easter Monday, Sun 5,
	 * Sat 4, Fri 3 Good Friday], Thu 2 (1), Wed 1 (2), Tue 31 Mar (3) */
	eval(r, "id: R1\njurisdiction: ACT\ncohort: remandee\nevents:\n"
	    "  - {date: '2026-04-07', type: reception}\n", NULL, "2026-03-31",
	    &fs);
	check(nth(&fs, "T-BACK", 0), "2026-03-31", CT_STATUS_DUE, 0);
	assert_non_null(strstr(nth(&fs, "T-BACK", 0)->explain,
	    "reception 2026-04-07 - 3 business days = 2026-03-31"));
	/* counting forward from a reception that has not happened yet
	 * starts nothing; counting back from it (T-BACK) does */
	assert_int_equal(count(&fs, "T-INFO"), 0);
	assert_int_equal(count(&fs, "T-VIC"), 0);
	ct_findings_clear(&fs);

	/* VIC: Fri 30 Oct 2026 + 5: Mon 2 (1), [Tue 3 Melbourne Cup Day],
	 * Wed 4 (2), Thu 5 (3), Fri 6 (4), Mon 9 (5) */
	eval(r, "id: V1\njurisdiction: VIC\ncohort: post-sentence\nevents:\n"
	    "  - {date: '2026-10-30', type: order-made, order: supervision}\n",
	    NULL, "2026-11-06", &fs);
	check(nth(&fs, "T-VIC", 0), "2026-11-09", CT_STATUS_DUE, 3);
	assert_non_null(strstr(nth(&fs, "T-VIC", 0)->explain,
	    "holidays skipped: 2026-11-03 Melbourne Cup Day"));
	ct_findings_clear(&fs);
	/* ... and Melbourne Cup Day is not an ACT holiday: Fri 6 */
	eval(r, "id: A1\njurisdiction: ACT\ncohort: post-sentence\nevents:\n"
	    "  - {date: '2026-10-30', type: order-made, order: supervision}\n",
	    NULL, "2026-11-06", &fs);
	assert_int_equal(count(&fs, "T-VIC"), 0);   /* a VIC rule */
	ct_findings_clear(&fs);
	ct_rules_free(r);
}

static void
test_case_without_events(void **state)
{
	ct_rules *r = default_rules();
	ct_node *c = yaml_doc("id: X\njurisdiction: ACT\ncohort: remandee\n",
	    "case.yaml");
	ct_calendar *cal = NULL;
	ct_findings fs = {0};
	ct_error err = {0};

	(void)state;
	assert_int_equal(ct_calendar_new(CT_JUR_ACT, &cal, &err), 0);
	assert_int_equal(ct_rules_eval(r, cal, c, NULL, NULL,
	    day("2026-01-01"), &fs, &err), CT_EINVALID);
	assert_non_null(strstr(ct_error_msg(&err), "no id or events"));
	ct_error_clear(&err);
	ct_calendar_free(cal);
	ct_node_free(c);
	ct_rules_free(r);
}

/*
 * Malformed rules: every message names the file, line and column and the
 * rule's field.
 */
static void
bad_rules(const char *rules, const char *want)
{
	char text[2048];
	ct_rules *r = NULL;
	ct_error err = {0};

	snprintf(text, sizeof(text), "%s%s", head, rules);
	assert_int_not_equal(load_rules(text, &r, &err), 0);
	assert_null(r);
	if (strstr(ct_error_msg(&err), want) == NULL)
		fail_msg("message '%s' lacks '%s'", ct_error_msg(&err), want);
	ct_error_clear(&err);
}

#define RULE_HEAD "  - id: T-ONE\n    title: one\n    cite: test\n"

static void
test_malformed_rules(void **state)
{
	(void)state;
	/* lines: 1 format, 2 rules, 3 id, 4 title, 5 cite, 6 anchor, ... */
	bad_rules(RULE_HEAD "    anchor: {event: [reception]}\n"
	    "    offset:\n      fortnights: 2\n",
	    RULES_FILE ":8:7: rules[0].offset.fortnights: unknown field");
	bad_rules(RULE_HEAD "    anchor: {event: [reception]}\n"
	    "    offset:\n      weeks: 2\n      days: 3\n",
	    RULES_FILE ":8:7: rules[0].offset: give exactly one of");
	bad_rules(RULE_HEAD "    anchor: {event: [reception]}\n"
	    "    offset: {}\n",
	    "rules[0].offset: give exactly one of");
	bad_rules("  - id: T-ONE\n    title: one\n"
	    "    anchor: {event: [reception]}\n    offset: {days: 1}\n",
	    RULES_FILE ":3:5: rules[0].cite: required field is missing");
	bad_rules(RULE_HEAD "    anchor: {event: [escaped]}\n"
	    "    offset: {days: 1}\n",
	    RULES_FILE ":6:13: rules[0].anchor.event: unknown event type "
	    "'escaped'");
	bad_rules(RULE_HEAD "    anchor: {event: [reception]}\n"
	    "    offset: {days: 1}\n    lapses_on: [paroled]\n",
	    "rules[0].lapses_on: unknown event type 'paroled'");
	bad_rules(RULE_HEAD "    anchor:\n      event: [reception]\n"
	    "      record: csp.yaml\n      field: endorsement.date\n"
	    "    offset: {days: 1}\n",
	    RULES_FILE ":7:7: rules[0].anchor: give either event");
	bad_rules(RULE_HEAD "    anchor:\n      event: [cm-assigned]\n"
	    "      record: c.yaml\n      list: l\n      field: date\n"
	    "      each: true\n    offset: {days: 1}\n",
	    "rules[0].anchor: give either event");
	bad_rules(RULE_HEAD "    anchor: {record: csp.yaml}\n"
	    "    offset: {days: 1}\n",
	    "rules[0].anchor: give either event");
	bad_rules(RULE_HEAD "    anchor: {event: [reception]}\n"
	    "    offset: {days: 1}\n    satisfied_by:\n"
	    "      - event: [engaged]\n        record: [csp.yaml]\n",
	    RULES_FILE ":9:9: rules[0].satisfied_by: give either event or "
	    "record");
	bad_rules(RULE_HEAD "    anchor: {event: [reception]}\n"
	    "    offset: {days: 1}\n    satisfied_by:\n"
	    "      - event: [engaged]\n        status: [approved]\n",
	    "rules[0].satisfied_by: status, list and field go with record");
	bad_rules(RULE_HEAD "    anchor: {event: [reception]}\n"
	    "    offset: {days: 1}\n" RULE_HEAD
	    "    anchor: {event: [reception]}\n    offset: {days: 2}\n",
	    RULES_FILE ":8:5: rules[1].id: duplicate rule id");
	bad_rules(RULE_HEAD "    anchor: {event: [reception]}\n"
	    "    offset: {days: 1}\n    warn_days: soon\n",
	    "rules[0].warn_days");
	bad_rules(RULE_HEAD "    anchor: {event: [reception]}\n"
	    "    offset: {days: 1}\n    applies: {jurisdiction: NSW}\n",
	    "rules[0].applies.jurisdiction");
	bad_rules(RULE_HEAD "    anchor:\n      event: [cm-assigned]\n"
	    "      after: {event: [transferred]}\n    offset: {days: 1}\n",
	    "rules[0].anchor.after.event: unknown event type 'transferred'");
	bad_rules(RULE_HEAD "    anchor:\n      event: [cm-assigned]\n"
	    "      after: {match: {stage: [community]}}\n"
	    "    offset: {days: 1}\n", "rules[0].anchor.after");
	bad_rules(RULE_HEAD "    anchor: {record: x.yaml, field: on,"
	    " label: who}\n    offset: {days: 1}\n",
	    RULES_FILE ":6:13: rules[0].anchor: each, label, name and from "
	    "of a record go with list");
	bad_rules(RULE_HEAD "    anchor: {record: x.yaml, field: on,"
	    " each: true}\n    offset: {days: 1}\n",
	    "rules[0].anchor: each, label, name and from of a record go with "
	    "list");
	bad_rules(RULE_HEAD "    anchor: {event: [reception], list: x}\n"
	    "    offset: {days: 1}\n", "rules[0].anchor: list goes with record");
	bad_rules(RULE_HEAD "    anchor: {event: [reception]}\n"
	    "    offset: {days: 1}\n    satisfied_by:\n"
	    "      - entry: received\n",
	    RULES_FILE ":9:9: rules[0].satisfied_by.entry: entry needs an "
	    "anchor on a record's list");
	bad_rules(RULE_HEAD "    anchor: {record: x.yaml, list: l, field: d}\n"
	    "    offset: {days: 1}\n    satisfied_by:\n"
	    "      - entry: received\n        record: [x.yaml]\n",
	    "rules[0].satisfied_by: give either event or record (or entry)");
	bad_rules(RULE_HEAD "    anchor: {record: x.yaml, list: l, field: d}\n"
	    "    offset: {days: 1}\n    satisfied_by:\n"
	    "      - entry: received\n        status: [open]\n",
	    "rules[0].satisfied_by: status, list and field go with record");
	bad_rules(RULE_HEAD "    anchor: {event: [reception]}\n"
	    "    offset: {days: 1}\n    satisfied_by:\n"
	    "      - event: [engaged]\n        since: before\n",
	    "rules[0].satisfied_by[0].since");
	bad_rules("  - [not, a, rule]\n", "rules[0]");
	bad_rules("  - id: T-ONE\n    title: [unclosed\n", RULES_FILE ":");
}

/* ACT-CMP-CUSTODIAL-APPROVAL: a plan pending approval is due 5 business
 * days after it was submitted; ACT-CMP-CUSTODIAL stays met once the plan
 * was ever approved, even while a reviewed version waits. */
static void
test_act_cmp_custodial_approval(void **state)
{
	/* submitted Thu 2 Apr 2026: Fri 3 (Good Friday), Mon 6 (Easter
	 * Monday) skipped -> Tue 7 (1), Wed 8 (2), Thu 9 (3), Fri 10 (4),
	 * Mon 13 (5) */
	struct records pending = {
		.rel = { "cmp/custodial.yaml" },
		.text = { "status: pending-approval\nsubmitted: '2026-04-02'\n"
		    "approvals:\n"
		    "  - {by: carol, role: cmu-team-leader, date: '2026-02-10'}\n" },
	};
	struct records approved = {
		.rel = { "cmp/custodial.yaml" },
		.text = { "status: approved\nsubmitted: '2026-04-02'\n"
		    "approvals:\n"
		    "  - {by: carol, role: cmu-team-leader, date: '2026-04-08'}\n" },
	};
	ct_rules *r = default_rules();
	ct_findings fs = {0};

	(void)state;
	eval(r, sentenced, &pending, "2026-04-13", &fs);
	check(nth(&fs, "ACT-CMP-CUSTODIAL-APPROVAL", 0), "2026-04-13",
	    CT_STATUS_DUE, 0);
	check(nth(&fs, "ACT-CMP-CUSTODIAL", 0), "2026-02-16", CT_STATUS_MET,
	    -56);
	ct_findings_clear(&fs);
	eval(r, sentenced, &pending, "2026-04-14", &fs);
	check(nth(&fs, "ACT-CMP-CUSTODIAL-APPROVAL", 0), "2026-04-13",
	    CT_STATUS_OVERDUE, -1);
	ct_findings_clear(&fs);
	eval(r, sentenced, &approved, "2026-04-14", &fs);
	check(nth(&fs, "ACT-CMP-CUSTODIAL-APPROVAL", 0), "2026-04-13",
	    CT_STATUS_MET, -1);
	assert_int_equal(count(&fs, "ACT-CMP-COMMUNITY-APPROVAL"), 0);
	ct_findings_clear(&fs);
	records_free(&pending);
	records_free(&approved);
	ct_rules_free(r);
}

/* ACT-EVENT-REVIEW: a trigger event before the first plan was made asks
 * for no review of it (anchor.after on the plans' created dates). */
static void
test_act_event_review_not_before_plan(void **state)
{
	static const char c[] =
	    "id: E1\njurisdiction: ACT\ncohort: sentenced\nstage: custodial\n"
	    "events:\n"
	    "  - {date: '2026-01-05', type: stage-changed, stage: custodial}\n"
	    "  - {date: '2026-04-01', type: risk-rating-changed, rating: high}\n";
	struct records plan = {
		.rel = { "cmp/custodial.yaml" },
		.text = { "status: approved\ncreated: '2026-03-01'\n" },
	};
	ct_rules *r = default_rules();
	ct_findings fs = {0};

	(void)state;
	eval(r, c, &plan, "2026-04-10", &fs);
	assert_int_equal(count(&fs, "ACT-EVENT-REVIEW"), 1);
	check(nth(&fs, "ACT-EVENT-REVIEW", 0), "2026-04-29",
	    CT_STATUS_UPCOMING, 19);
	assert_string_equal(nth(&fs, "ACT-EVENT-REVIEW", 0)->anchor_what,
	    "risk-rating-changed");
	ct_findings_clear(&fs);
	records_free(&plan);
	ct_rules_free(r);
}

/* ACT-LSIR-CURRENT: in case planning, the newest LSI-R + 12 months. */
static void
test_act_lsir_current(void **state)
{
	static const char planning[] =
	    "id: P1\njurisdiction: ACT\ncohort: sentenced\n"
	    "stage: case-planning\nevents:\n"
	    "  - {date: '2026-01-05', type: stage-changed, stage: case-planning}\n";
	struct records lsir = {
		.rel = { "assessments/*-lsi-r.yaml" },
		.text = { "date: '2025-02-28'\n" },
	};
	ct_rules *r = default_rules();
	ct_findings fs = {0};

	(void)state;
	eval(r, planning, &lsir, "2026-02-28", &fs);
	check(nth(&fs, "ACT-LSIR-CURRENT", 0), "2026-02-28", CT_STATUS_DUE, 0);
	ct_findings_clear(&fs);
	eval(r, planning, &lsir, "2026-03-01", &fs);
	check(nth(&fs, "ACT-LSIR-CURRENT", 0), "2026-02-28",
	    CT_STATUS_OVERDUE, -1);
	ct_findings_clear(&fs);
	eval(r, planning, NULL, "2026-03-01", &fs);
	assert_int_equal(count(&fs, "ACT-LSIR-CURRENT"), 0);
	ct_findings_clear(&fs);
	eval(r, sentenced, &lsir, "2026-03-01", &fs);  /* custodial stage */
	assert_int_equal(count(&fs, "ACT-LSIR-CURRENT"), 0);
	ct_findings_clear(&fs);
	records_free(&lsir);
	ct_rules_free(r);
}

/*
 * ACT-CONTACT: the next contact is due 30 days after the last one, or
 * after the case manager's assignment when there has been none since
 * (anchor: the latest of a list's latest entry and some events).
 */
static void
test_act_contact(void **state)
{
	static const char c[] =
	    "id: C1\njurisdiction: ACT\ncohort: sentenced\nstage: custodial\n"
	    "events:\n"
	    "  - {date: '2026-03-02', type: cm-assigned, manager: ada}\n";
	static const char reassigned[] =
	    "id: C1\njurisdiction: ACT\ncohort: sentenced\nstage: custodial\n"
	    "events:\n"
	    "  - {date: '2026-03-02', type: cm-assigned, manager: ada}\n"
	    "  - {date: '2026-04-10', type: cm-assigned, manager: eve}\n";
	static const char released[] =
	    "id: C1\njurisdiction: ACT\ncohort: sentenced\nstage: custodial\n"
	    "events:\n"
	    "  - {date: '2026-03-02', type: cm-assigned, manager: ada}\n"
	    "  - {date: '2026-04-01', type: released}\n";
	static const char remandee_c[] =
	    "id: C2\njurisdiction: ACT\ncohort: remandee\n"
	    "events:\n"
	    "  - {date: '2026-03-02', type: cm-assigned, manager: ada}\n";
	struct records contacts = {
		.rel = { "contacts.yaml" },
		.text = { "contacts:\n"
		    "  - {date: '2026-03-02', kind: phone}\n"
		    "  - {date: '2026-03-20', kind: in-person}\n"
		    "  - {date: '2026-05-01', kind: video}\n" },
	};
	ct_rules *r = default_rules();
	ct_findings fs = {0};

	(void)state;
	/* no contact yet: 2 Mar + 30 days = 1 Apr (March has 31 days) */
	eval(r, c, NULL, "2026-03-25", &fs);
	assert_int_equal(count(&fs, "ACT-CONTACT"), 1);
	check(nth(&fs, "ACT-CONTACT", 0), "2026-04-01", CT_STATUS_DUE, 7);
	assert_string_equal(nth(&fs, "ACT-CONTACT", 0)->anchor_what,
	    "cm-assigned");
	ct_findings_clear(&fs);
	eval(r, c, NULL, "2026-04-02", &fs);
	check(nth(&fs, "ACT-CONTACT", 0), "2026-04-01", CT_STATUS_OVERDUE, -1);
	ct_findings_clear(&fs);
	/* last contact 20 Mar (the 1 May one has not happened on 10 Apr):
	 * 20 Mar + 30 = 19 Apr; never met, only moved on */
	eval(r, c, &contacts, "2026-04-01", &fs);
	assert_int_equal(count(&fs, "ACT-CONTACT"), 1);
	check(nth(&fs, "ACT-CONTACT", 0), "2026-04-19", CT_STATUS_UPCOMING,
	    18);
	assert_string_equal(nth(&fs, "ACT-CONTACT", 0)->anchor_what,
	    "last contact");
	ct_findings_clear(&fs);
	eval(r, c, &contacts, "2026-04-20", &fs);
	check(nth(&fs, "ACT-CONTACT", 0), "2026-04-19", CT_STATUS_OVERDUE, -1);
	ct_findings_clear(&fs);
	/* a contact on 1 May counts from that day: 1 May + 30 = 31 May */
	eval(r, c, &contacts, "2026-05-01", &fs);
	check(nth(&fs, "ACT-CONTACT", 0), "2026-05-31", CT_STATUS_UPCOMING,
	    30);
	ct_findings_clear(&fs);
	/* a new case manager on 10 Apr, after the last contact: 10 Apr + 30
	 * = 10 May */
	eval(r, reassigned, &contacts, "2026-04-12", &fs);
	check(nth(&fs, "ACT-CONTACT", 0), "2026-05-10", CT_STATUS_UPCOMING,
	    28);
	assert_string_equal(nth(&fs, "ACT-CONTACT", 0)->anchor_what,
	    "cm-assigned");
	ct_findings_clear(&fs);
	/* a contact on the day of the assignment is the anchor (a tie goes
	 * to the entry) */
	eval(r, c, &contacts, "2026-03-10", &fs);
	check(nth(&fs, "ACT-CONTACT", 0), "2026-04-01", CT_STATUS_UPCOMING,
	    22);
	assert_string_equal(nth(&fs, "ACT-CONTACT", 0)->anchor_what,
	    "last contact");
	ct_findings_clear(&fs);
	/* released after the last contact: the obligation lapses */
	eval(r, released, &contacts, "2026-04-25", &fs);
	assert_int_equal(count(&fs, "ACT-CONTACT"), 0);
	ct_findings_clear(&fs);
	/* remandees: ACT-REMAND-ENGAGE instead */
	eval(r, remandee_c, &contacts, "2026-04-25", &fs);
	assert_int_equal(count(&fs, "ACT-CONTACT"), 0);
	ct_findings_clear(&fs);
	records_free(&contacts);
	ct_rules_free(r);
}

/* ACT-EVENT-REVIEW: a not-engaging event (cl 1.11) asks for a review (the
 * plan does not meet the offender's needs), met by a review from that day
 * on; a breach referral alone asks for none. */
static void
test_act_event_review_not_engaging(void **state)
{
	static const char c[] =
	    "id: N1\njurisdiction: ACT\ncohort: sentenced\nstage: community\n"
	    "events:\n"
	    "  - {date: '2026-01-05', type: stage-changed, stage: community}\n"
	    "  - {date: '2026-05-04', type: not-engaging, service: AOD program,"
	    " notified_by: Team Leader}\n"
	    "  - {date: '2026-05-20', type: breach-referred, to: sab}\n";
	struct records plan = {
		.rel = { "cmp/community.yaml" },
		.text = { "status: approved\ncreated: '2026-02-01'\n" },
	};
	struct records reviewed = {
		.rel = { "cmp/community.yaml" },
		.text = { "status: pending-approval\ncreated: '2026-02-01'\n"
		    "reviews:\n  - {date: '2026-05-10', reason: needs-unmet}\n" },
	};
	struct records approved = {
		.rel = { "cmp/community.yaml" },
		.text = { "status: approved\ncreated: '2026-02-01'\n"
		    "reviews:\n  - {date: '2026-05-10', reason: needs-unmet}\n"
		    "approvals:\n  - {date: '2026-02-02'}\n"
		    "  - {date: '2026-05-12'}\n" },
	};
	ct_rules *r = default_rules();
	ct_findings fs = {0};

	(void)state;
	/* 4 May + 28 days = 1 Jun 2026 */
	eval(r, c, &plan, "2026-06-02", &fs);
	assert_int_equal(count(&fs, "ACT-EVENT-REVIEW"), 1);
	check(nth(&fs, "ACT-EVENT-REVIEW", 0), "2026-06-01",
	    CT_STATUS_OVERDUE, -1);
	assert_string_equal(nth(&fs, "ACT-EVENT-REVIEW", 0)->anchor_what,
	    "not-engaging");
	ct_findings_clear(&fs);
	/* reviewed, not yet approved by a Community Corrections Team
	 * Leader ("must approve any changes"): not met */
	eval(r, c, &reviewed, "2026-06-02", &fs);
	assert_int_equal(count(&fs, "ACT-EVENT-REVIEW"), 1);
	check(nth(&fs, "ACT-EVENT-REVIEW", 0), "2026-06-01",
	    CT_STATUS_OVERDUE, -1);
	ct_findings_clear(&fs);
	/* approved on 12 May: met then */
	eval(r, c, &approved, "2026-06-02", &fs);
	check(nth(&fs, "ACT-EVENT-REVIEW", 0), "2026-06-01", CT_STATUS_MET,
	    -1);
	assert_int_equal(nth(&fs, "ACT-EVENT-REVIEW", 0)->met_on,
	    day("2026-05-12"));
	ct_findings_clear(&fs);
	records_free(&plan);
	records_free(&reviewed);
	records_free(&approved);
	ct_rules_free(r);
}

/* ACT-EVENT-REVIEW: a review of a remand plan, which needs no approval
 * ("Remand CMPs do not require the review or approval of the ... CMU
 * Team Leader"), meets it on its own day. */
static void
test_act_event_review_remand_needs_no_approval(void **state)
{
	static const char c[] =
	    "id: R1\njurisdiction: ACT\ncohort: remandee\n"
	    "events:\n"
	    "  - {date: '2026-03-02', type: reception}\n"
	    "  - {date: '2026-04-06', type: circumstances-changed}\n";
	struct records plan = {
		.rel = { "cmp/remand.yaml" },
		.text = { "status: approved\ncreated: '2026-03-31'\n"
		    "reviews:\n  - {date: '2026-04-08', reason: "
		    "circumstances-change}\n" },
	};
	ct_rules *r = default_rules();
	ct_findings fs = {0};

	(void)state;
	eval(r, c, &plan, "2026-04-10", &fs);
	assert_int_equal(count(&fs, "ACT-EVENT-REVIEW"), 1);
	/* 6 Apr + 28 = 4 May */
	check(nth(&fs, "ACT-EVENT-REVIEW", 0), "2026-05-04", CT_STATUS_MET,
	    24);
	assert_int_equal(nth(&fs, "ACT-EVENT-REVIEW", 0)->met_on,
	    day("2026-04-08"));
	ct_findings_clear(&fs);
	records_free(&plan);
	ct_rules_free(r);
}

/* ACT-REMAND-CMP-COPY: 2 business days from the day the remand plan's
 * version was completed, met by a copy given from that day on. */
static void
test_act_remand_cmp_copy(void **state)
{
	/* version_date Thu 2 Apr 2026: Fri 3 (Good Friday), Sat-Mon 4-6
	 * (Easter) skipped -> Tue 7 (1), Wed 8 (2) */
	struct records none = {
		.rel = { "cmp/remand.yaml" },
		.text = { "status: approved\nversion_date: '2026-04-02'\n" },
	};
	struct records copied = {
		.rel = { "cmp/remand.yaml" },
		.text = { "status: approved\nversion_date: '2026-04-02'\n"
		    "supervisor_copy: {version: 1, date: '2026-04-09', by: ada}\n" },
	};
	struct records old_copy = {
		.rel = { "cmp/remand.yaml" },
		.text = { "status: approved\nversion_date: '2026-04-02'\n"
		    "supervisor_copy: {version: 1, date: '2026-03-30', by: ada}\n" },
	};
	ct_rules *r = default_rules();
	ct_findings fs = {0};

	(void)state;
	eval(r, remandee, &none, "2026-04-08", &fs);
	check(nth(&fs, "ACT-REMAND-CMP-COPY", 0), "2026-04-08", CT_STATUS_DUE,
	    0);
	ct_findings_clear(&fs);
	eval(r, remandee, &none, "2026-04-09", &fs);
	check(nth(&fs, "ACT-REMAND-CMP-COPY", 0), "2026-04-08",
	    CT_STATUS_OVERDUE, -1);
	ct_findings_clear(&fs);
	eval(r, remandee, &copied, "2026-04-09", &fs);
	/* copied 04-09, due 04-08: met a day late */
	check(nth(&fs, "ACT-REMAND-CMP-COPY", 0), "2026-04-08",
	    CT_STATUS_MET_LATE, -1);
	ct_findings_clear(&fs);
	/* a copy dated before the version was completed is of another one */
	eval(r, remandee, &old_copy, "2026-04-09", &fs);
	check(nth(&fs, "ACT-REMAND-CMP-COPY", 0), "2026-04-08",
	    CT_STATUS_OVERDUE, -1);
	ct_findings_clear(&fs);
	/* sentenced cases have no remand plan rule */
	eval(r, sentenced, &none, "2026-04-09", &fs);
	assert_int_equal(count(&fs, "ACT-REMAND-CMP-COPY"), 0);
	ct_findings_clear(&fs);
	records_free(&none);
	records_free(&copied);
	records_free(&old_copy);
	ct_rules_free(r);
}

/* ACT-SAB-REPORT: one obligation per request, due on its due date, met by
 * its completion; a request received after today counts for nothing yet. */
static void
test_act_sab_report(void **state)
{
	struct records reports = {
		.rel = { "sab-reports.yaml" },
		.text = { "requests:\n"
		    "  - {ref: A-1, requested: '2026-05-01', officer: jlee,"
		    " due: '2026-06-12', completed: '2026-06-10'}\n"
		    "  - {ref: A-2, requested: '2026-06-15', officer: jlee,"
		    " due: '2026-07-10'}\n"
		    "  - {ref: A-3, requested: '2026-07-20', officer: jlee,"
		    " due: '2026-08-31'}\n" },
	};
	ct_rules *r = default_rules();
	ct_findings fs = {0};

	(void)state;
	eval(r, sentenced, &reports, "2026-07-11", &fs);
	assert_int_equal(count(&fs, "ACT-SAB-REPORT"), 2);
	check(nth(&fs, "ACT-SAB-REPORT", 0), "2026-06-12", CT_STATUS_MET, -29);
	check(nth(&fs, "ACT-SAB-REPORT", 1), "2026-07-10", CT_STATUS_OVERDUE,
	    -1);
	assert_string_equal(nth(&fs, "ACT-SAB-REPORT", 1)->anchor_what,
	    "pre-release report A-2");
	ct_findings_clear(&fs);
	eval(r, sentenced, &reports, "2026-07-03", &fs);
	check(nth(&fs, "ACT-SAB-REPORT", 1), "2026-07-10", CT_STATUS_DUE, 7);
	ct_findings_clear(&fs);
	records_free(&reports);
	ct_rules_free(r);
}

/*
 * ct_rules_eval_span: on every day of the span of an evaluation, the
 * findings are the same but for their days.  Each day of a year and a
 * half is evaluated on a case whose events start, meet, lapse and reopen
 * obligations, and each day's findings are compared with those of every
 * evaluation whose span holds it.
 */
#define SPAN_DAYS 540

struct day_eval {
	ct_span span;
	size_t n;
	ct_finding v[16];
};

static bool
same_findings(const struct day_eval *a, const struct day_eval *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->v[i].rule != b->v[i].rule ||
		    a->v[i].status != b->v[i].status ||
		    a->v[i].anchor != b->v[i].anchor ||
		    a->v[i].due != b->v[i].due ||
		    a->v[i].met_known != b->v[i].met_known ||
		    (a->v[i].met_known && a->v[i].met_on != b->v[i].met_on))
			return false;
	return true;
}

static void
test_eval_span(void **state)
{
	static const char casetext[] =
	    "id: R1\njurisdiction: ACT\ncohort: remandee\nevents:\n"
	    "  - {date: '2026-01-05', type: reception}\n"
	    "  - {date: '2026-01-14', type: engaged}\n"
	    "  - {date: '2026-02-01', type: released}\n"
	    "  - {date: '2026-03-30', type: reception}\n"
	    "  - {date: '2026-09-30', type: engaged}\n";
	ct_rules *r = default_rules();
	ct_node *c = yaml_doc(casetext, "case.yaml");
	ct_calendar *cal = NULL;
	struct day_eval *d = calloc(SPAN_DAYS, sizeof(*d));
	ct_date start = day("2025-12-01");
	ct_findings fs = {0};
	ct_error err = {0};
	size_t i, j, held = 0;

	(void)state;
	assert_non_null(d);
	assert_int_equal(ct_calendar_new(CT_JUR_ACT, &cal, &err), 0);
	for (i = 0; i < SPAN_DAYS; i++) {
		d[i].span = (ct_span){ CT_SPAN_MIN, CT_SPAN_MAX };
		assert_int_equal(ct_rules_eval_span(r, cal, c, NULL, NULL,
		    start + (ct_date)i, &fs, &d[i].span, &err), 0);
		assert_true(fs.n <= 16);
		assert_true(d[i].span.from <= start + (ct_date)i);
		assert_true(start + (ct_date)i < d[i].span.until);
		d[i].n = fs.n;
		if (fs.n > 0)
			memcpy(d[i].v, fs.v, fs.n * sizeof(*fs.v));
		/* the strings are not compared; free them */
		ct_findings_clear(&fs);
	}
	for (i = 0; i < SPAN_DAYS; i++)
		for (j = 0; j < SPAN_DAYS; j++)
			if (start + (ct_date)j >= d[i].span.from &&
			    start + (ct_date)j < d[i].span.until) {
				held++;
				if (!same_findings(&d[i], &d[j]))
					fail_msg("the span of day %zu holds "
					    "day %zu, whose findings differ",
					    i, j);
			}
	/* the spans are not single days */
	assert_true(held > 4 * SPAN_DAYS);
	free(d);
	ct_calendar_free(cal);
	ct_node_free(c);
	ct_rules_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_builtin_rules_cited),
		cmocka_unit_test(test_act_remand_engage_easter),
		cmocka_unit_test(test_eval_span),
		cmocka_unit_test(test_act_remand_engage_met_and_lapsed),
		cmocka_unit_test(test_act_remand_engage_future_events),
		cmocka_unit_test(test_act_remand_cmp_met_by_record),
		cmocka_unit_test(test_act_cmp_custodial),
		cmocka_unit_test(test_act_cmp_custodial_episodes),
		cmocka_unit_test(test_act_cmp_custodial_approval),
		cmocka_unit_test(test_act_lsir_current),
		cmocka_unit_test(test_act_event_review_not_before_plan),
		cmocka_unit_test(test_act_cmp_community),
		cmocka_unit_test(test_act_pre_release),
		cmocka_unit_test(test_act_event_review),
		cmocka_unit_test(test_vic_csp),
		cmocka_unit_test(test_vic_csp_review_during_draft),
		cmocka_unit_test(test_vic_sdu),
		cmocka_unit_test(test_vic_authority_notice),
		cmocka_unit_test(test_list_anchor),
		cmocka_unit_test(test_custom_units),
		cmocka_unit_test(test_case_without_events),
		cmocka_unit_test(test_malformed_rules),
		cmocka_unit_test(test_act_contact),
		cmocka_unit_test(test_act_event_review_not_engaging),
		cmocka_unit_test(test_act_event_review_remand_needs_no_approval),
		cmocka_unit_test(test_act_remand_cmp_copy),
		cmocka_unit_test(test_act_sab_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Tests of lib/records/cmp.c: the ACT Case Management Plan rules on YAML trees
 * written here (DESIGN.md §4): ACT-CMP-CONTENT (interventions, target and
 * completion dates, the s 78 parts of a custodial plan), ACT-CONSENT
 * (referrals without consent only while At Risk, judged on the
 * referral's date), ACT-REMAND-CMP (4 weeks from the latest reception),
 * the approving roles of ACT-CMP-CUSTODIAL and ACT-CMP-COMMUNITY, the
 * checks of plan input, and the editable part and editor templates.
 * the schema on the record fixtures of CT_FIXTURES/schema/cmp/.  ACT-LSIR
 * and the transactions need a store: tests/cli/0041-0045.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casetrail/cmp.h"
#include "casetrail/diff.h"
#include "casetrail/schema.h"
#include "casetrail/yaml.h"

#include "yamlfx.h"

/* A remandee received on 2026-03-02, At Risk from 03-04 to 03-11. */
static const char case_text[] =
    "id: ACT-0101\njurisdiction: ACT\ncohort: remandee\n"
    "created: '2026-03-02'\nevents:\n"
    "  - {date: '2026-03-02', type: reception}\n"
    "  - {date: '2026-03-04', type: at-risk}\n"
    "  - {date: '2026-03-11', type: at-risk, cleared: true}\n";

/* A custodial plan's editable part, valid. */
static const char input_text[] =
    "goals:\n  - Stay drug free\n"
    "needs:\n"
    "  - id: N1\n    domain: alcohol-drug\n    description: Meth use\n"
    "    interventions:\n      - {type: program, description: Solaris}\n"
    "    target: '2026-12-31'\n    status: open\n"
    "  - id: N2\n    domain: mental-health\n    description: Anxiety\n"
    "    interventions:\n      - {type: support, description: Psychologist}\n"
    "    target: '2026-09-30'\n    status: open\n"
    "    referral: {to: Forensic mental health, date: '2026-03-05', "
    "consent: given}\n"
    "s78:\n  work_activities: Bakery\n  needs_capacity_welfare: See needs\n"
    "  release_preparation: Housing referral\n";

static ct_node *
load(const char *yaml)
{
	return yaml_doc(yaml, "in.yaml");
}

static ct_date
day(const char *s)
{
	ct_error err = {0};
	ct_date d = 0;

	if (ct_date_parse(s, &d, &err) != 0)
		fail_msg("%s", ct_error_msg(&err));
	return d;
}

/* The result of checking input text: "ok" or the message. */
static const char *
input_check(const char *yaml, ct_cmp_kind kind, const char *today)
{
	static char msg[4096];
	ct_node *c = load(case_text), *in = NULL;
	ct_error err = {0};

	if (ct_cmp_input_load(yaml, strlen(yaml), "in.yaml", kind, c,
	    day(today), &in, &err) == 0)
		snprintf(msg, sizeof(msg), "ok");
	else
		snprintf(msg, sizeof(msg), "%s", ct_error_msg(&err));
	ct_error_clear(&err);
	ct_node_free(in);
	ct_node_free(c);
	return msg;
}

/* input_text with one string replaced. */
static char *
edited(const char *from, const char *to)
{
	const char *at = strstr(input_text, from);
	char *s;

	assert_non_null(at);
	s = malloc(strlen(input_text) + strlen(to) + 1);
	assert_non_null(s);
	sprintf(s, "%.*s%s%s", (int)(at - input_text), input_text, to,
	    at + strlen(from));
	return s;
}

static void
has(const char *msg, const char *want)
{
	if (strstr(msg, want) == NULL)
		fail_msg("message\n%s\ndoes not contain\n%s", msg, want);
}

/* ------------------------------------------------- ACT-CMP-CONTENT */

static void
test_act_cmp_content_valid_plan(void **state)
{
	(void)state;
	assert_string_equal(input_check(input_text, CT_CMP_CUSTODIAL,
	    "2026-03-10"), "ok");
}

static void
test_act_cmp_content_need_without_intervention(void **state)
{
	char *t = edited("    interventions:\n      - {type: program, "
	    "description: Solaris}\n", "    interventions: []\n");

	(void)state;
	assert_string_equal(input_check(t, CT_CMP_REMAND, "2026-03-10"),
	    "in.yaml:4:5: ACT-CMP-CONTENT: needs[N1]: no interventions, "
	    "supports or activities: every need identified must be addressed "
	    "by at least one (cl 1.8)");
	free(t);
}

static void
test_act_cmp_content_need_without_target(void **state)
{
	char *t = edited("    target: '2026-12-31'\n", "");

	(void)state;
	assert_string_equal(input_check(t, CT_CMP_COMMUNITY, "2026-03-10"),
	    "in.yaml:4:5: ACT-CMP-CONTENT: needs[N1]: no target date: every "
	    "need has a timeframe for completion (cl 1.8)");
	free(t);
}

static void
test_act_cmp_content_completion_dates(void **state)
{
	char *t = edited("    target: '2026-12-31'\n    status: open\n",
	    "    target: '2026-12-31'\n    status: completed\n");
	char *u = edited("    target: '2026-12-31'\n    status: open\n",
	    "    target: '2026-12-31'\n    completed: '2026-03-01'\n"
	    "    status: in-progress\n");
	char *v = edited("    target: '2026-12-31'\n    status: open\n",
	    "    target: '2026-12-31'\n    completed: '2026-03-11'\n"
	    "    status: completed\n");

	(void)state;
	assert_string_equal(input_check(t, CT_CMP_REMAND, "2026-03-10"),
	    "in.yaml:4:5: ACT-CMP-CONTENT: needs[N1]: status is 'completed' "
	    "but there is no completion date (completed: YYYY-MM-DD, cl 1.8)");
	assert_string_equal(input_check(u, CT_CMP_REMAND, "2026-03-10"),
	    "in.yaml:10:16: ACT-CMP-CONTENT: needs[N1].completed: a completion "
	    "date on a need whose status is 'in-progress'");
	assert_string_equal(input_check(v, CT_CMP_REMAND, "2026-03-10"),
	    "in.yaml:10:16: ACT-CMP-CONTENT: needs[N1].completed: 2026-03-11 is "
	    "after today (2026-03-10)");
	assert_string_equal(input_check(v, CT_CMP_REMAND, "2026-03-11"), "ok");
	free(t);
	free(u);
	free(v);
}

static void
test_act_cmp_content_custodial_s78_parts(void **state)
{
	char *t = edited("  release_preparation: Housing referral\n", "");
	const char *msg;
	size_t at = strlen(input_text) - strlen("s78:\n  work_activities: "
	    "Bakery\n  needs_capacity_welfare: See needs\n  "
	    "release_preparation: Housing referral\n");
	char *none = strndup(input_text, at);

	(void)state;
	assert_string_equal(input_check(t, CT_CMP_CUSTODIAL, "2026-03-10"),
	    "in.yaml:20:3: ACT-CMP-CONTENT: s78.release_preparation: missing: "
	    "a custodial plan outlines how the detainee will be prepared for "
	    "release and reintegration at the earliest possible release date "
	    "(Corrections Management Act 2007 s 78)");
	/* no s78 at all: all three parts, at the plan */
	msg = input_check(none, CT_CMP_CUSTODIAL, "2026-03-10");
	has(msg, "in.yaml:1:1: ACT-CMP-CONTENT: s78.work_activities: missing");
	has(msg, "in.yaml:1:1: ACT-CMP-CONTENT: s78.needs_capacity_welfare: "
	    "missing");
	has(msg, "in.yaml:1:1: ACT-CMP-CONTENT: s78.release_preparation: "
	    "missing");
	/* only custodial plans need them */
	assert_string_equal(input_check(none, CT_CMP_REMAND, "2026-03-10"),
	    "ok");
	assert_string_equal(input_check(none, CT_CMP_COMMUNITY, "2026-03-10"),
	    "ok");
	free(t);
	free(none);
}

static void
test_act_cmp_content_every_problem_reported(void **state)
{
	char *t = edited("    target: '2026-12-31'\n    status: open\n",
	    "    status: completed\n");
	const char *msg;

	(void)state;
	msg = input_check(t, CT_CMP_CUSTODIAL, "2026-03-10");
	has(msg, "needs[N1]: no target date");
	has(msg, "\nin.yaml:4:5: ACT-CMP-CONTENT: needs[N1]: status is "
	    "'completed'");
	free(t);
}

/* ------------------------------------------------- input checks */

static void
test_input_schema_and_shape(void **state)
{
	char *t = edited("domain: mental-health", "domain: anxiety");
	char *u = edited("  - id: N2\n", "  - id: N1\n");
	const char *msg;

	(void)state;
	has(input_check(t, CT_CMP_CUSTODIAL, "2026-03-10"),
	    "in.yaml:12:13: needs[1].domain:");
	assert_string_equal(input_check(u, CT_CMP_CUSTODIAL, "2026-03-10"),
	    "in.yaml:11:9: needs[1].id: 'N1' is the id of needs[0] too; need "
	    "ids are unique");
	msg = input_check("goals: [x]\nneeds: []\nversion: 3\nstatus: x\n",
	    CT_CMP_REMAND, "2026-03-10");
	has(msg, "in.yaml:3:1: version: not editable");
	has(msg, "in.yaml:4:1: status: not editable");
	has(input_check("needs: []\n", CT_CMP_REMAND, "2026-03-10"),
	    "in.yaml:1:1: goals: required field is missing");
	has(input_check("- a list\n", CT_CMP_REMAND, "2026-03-10"),
	    "in.yaml:1:1: (root): the plan is a mapping");
	assert_string_equal(input_check("goals: [x]\nneeds: []\n",
	    CT_CMP_REMAND, "2026-03-10"), "ok");
	free(t);
	free(u);
}

/* ------------------------------------------------- ACT-CONSENT */

static void
test_act_consent_at_risk_on(void **state)
{
	ct_node *c = load(case_text);

	(void)state;
	assert_false(ct_cmp_at_risk_on(c, day("2026-03-03")));
	assert_true(ct_cmp_at_risk_on(c, day("2026-03-04")));
	assert_true(ct_cmp_at_risk_on(c, day("2026-03-10")));
	assert_false(ct_cmp_at_risk_on(c, day("2026-03-11")));
	assert_false(ct_cmp_at_risk_on(c, day("2026-06-01")));
	ct_node_free(c);
}

static void
test_act_consent_refused_without_at_risk(void **state)
{
	char *t = edited("date: '2026-03-05', consent: given",
	    "date: '2026-03-12', consent: not-asked");
	char *u = edited("date: '2026-03-05', consent: given",
	    "date: '2026-03-03', consent: refused");

	(void)state;
	assert_string_equal(input_check(t, CT_CMP_REMAND, "2026-03-31"),
	    "in.yaml:18:15: ACT-CONSENT: needs[N2].referral: consent is "
	    "'not-asked' and the case is not recorded At Risk on 2026-03-12, "
	    "the referral's date: a referral needs the offender's expressed "
	    "consent unless they are At Risk (record it with case-event "
	    "at-risk)");
	has(input_check(u, CT_CMP_REMAND, "2026-03-31"),
	    "ACT-CONSENT: needs[N2].referral: consent is 'refused' and the "
	    "case is not recorded At Risk on 2026-03-03");
	free(t);
	free(u);
}

static void
test_act_consent_at_risk_exception(void **state)
{
	char *t = edited("date: '2026-03-05', consent: given",
	    "date: '2026-03-05', consent: not-asked");
	char *u = edited("date: '2026-03-05', consent: given",
	    "date: '2026-03-10', consent: refused");

	(void)state;
	assert_string_equal(input_check(t, CT_CMP_REMAND, "2026-03-31"), "ok");
	assert_string_equal(input_check(u, CT_CMP_REMAND, "2026-03-31"), "ok");
	free(t);
	free(u);
}

/* ------------------------------------------------- ACT-REMAND-CMP */

/* The shipped rules (rules/deadlines.yaml), with sed applied when not
 * NULL: the window is the rules file's. */
static ct_rules *
shipped_rules(const char *from, const char *to)
{
	ct_node *doc = NULL;
	ct_rules *r = NULL;
	ct_error err = {0};
	FILE *f = fopen(CT_SOURCE_DIR "/rules/deadlines.yaml", "r");
	char *buf, *p;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 64);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	if (from != NULL) {
		p = strstr(buf, from);
		assert_non_null(p);
		assert_int_equal(strlen(from), strlen(to));
		memcpy(p, to, strlen(to));
	}
	assert_int_equal(ct_yaml_load(buf, strlen(buf), "rules/deadlines.yaml",
	    &doc, &err), 0);
	assert_int_equal(ct_rules_load(doc, "rules/deadlines.yaml", &r, &err),
	    0);
	ct_node_free(doc);
	free(buf);
	return r;
}

static int
remand(const ct_rules *r, const ct_node *c, const char *id, const char *on,
    ct_error *err)
{
	ct_calendar *cal = NULL;
	int rc;

	assert_int_equal(ct_calendar_new(CT_JUR_ACT, &cal, err), 0);
	rc = ct_cmp_check_remand(ct_rules_find(r, "ACT-REMAND-CMP"), cal, c,
	    id, day(on), err);
	ct_calendar_free(cal);
	return rc;
}

static void
test_act_remand_cmp_four_weeks(void **state)
{
	ct_node *c = load(case_text), *none;
	ct_rules *r = shipped_rules(NULL, NULL);
	ct_error err = {0};

	(void)state;
	/* received 2026-03-02: from 2026-03-30 (the day itself not
	 * counted, 28 days on) */
	assert_int_equal(remand(r, c, "ACT-0101", "2026-03-29", &err),
	    CT_EINVALID);
	assert_string_equal(ct_error_msg(&err), "ACT-REMAND-CMP: ACT-0101 "
	    "was received on 2026-03-02: a remand plan may be made from "
	    "2026-03-30, after 4 weeks in custody, not on 2026-03-29");
	assert_int_equal(remand(r, c, "ACT-0101", "2026-03-30", &err), 0);
	none = load("id: X\njurisdiction: ACT\ncohort: remandee\n"
	    "created: '2026-03-02'\nevents: []\n");
	assert_int_equal(remand(r, none, "X", "2026-03-30", &err),
	    CT_EINVALID);
	has(ct_error_msg(&err), "ACT-REMAND-CMP: X has no reception recorded "
	    "on or before 2026-03-30");
	ct_error_clear(&err);
	ct_node_free(c);
	ct_node_free(none);
	ct_rules_free(r);
}

static void
test_act_remand_cmp_latest_reception(void **state)
{
	ct_node *c = load("id: X\njurisdiction: ACT\ncohort: remandee\n"
	    "created: '2025-01-02'\nevents:\n"
	    "  - {date: '2025-01-02', type: reception}\n"
	    "  - {date: '2025-02-01', type: released}\n"
	    "  - {date: '2026-03-02', type: reception}\n");
	ct_rules *r = shipped_rules(NULL, NULL);
	ct_error err = {0};

	(void)state;
	/* received again: the 4 weeks run from the new reception */
	assert_int_equal(remand(r, c, "X", "2026-03-20", &err), CT_EINVALID);
	has(ct_error_msg(&err), "received on 2026-03-02");
	assert_int_equal(remand(r, c, "X", "2026-03-30", &err), 0);
	/* a reception recorded for a later day does not count yet, and the
	 * first stay ended with the release */
	assert_int_equal(remand(r, c, "X", "2026-01-20", &err), CT_EINVALID);
	has(ct_error_msg(&err), "X was received on 2025-01-02 and released "
	    "on 2025-02-01: a remand plan may be made after 4 weeks in "
	    "custody since a reception, with no release");
	ct_error_clear(&err);
	ct_node_free(c);
	ct_rules_free(r);
}

/* Received, released after 10 days, never received again: the 4 weeks
 * were never spent ("Remandees who have spent four (4) weeks in custody
 * may have a Remand CMP developed"). */
static void
test_act_remand_cmp_released(void **state)
{
	ct_node *c = load("id: X\njurisdiction: ACT\ncohort: remandee\n"
	    "created: '2026-03-02'\nevents:\n"
	    "  - {date: '2026-03-02', type: reception}\n"
	    "  - {date: '2026-03-12', type: released}\n");
	ct_rules *r = shipped_rules(NULL, NULL);
	ct_error err = {0};

	(void)state;
	assert_int_equal(remand(r, c, "X", "2026-03-11", &err), CT_EINVALID);
	has(ct_error_msg(&err), "from 2026-03-30");
	assert_int_equal(remand(r, c, "X", "2026-04-30", &err), CT_EINVALID);
	has(ct_error_msg(&err), "released on 2026-03-12");
	ct_error_clear(&err);
	ct_node_free(c);
	ct_rules_free(r);
}

/* The window is the rules file's: 3 weeks there, 3 weeks here. */
static void
test_act_remand_cmp_rules_file(void **state)
{
	ct_node *c = load(case_text);
	ct_rules *r = shipped_rules("      weeks: 4\n    satisfied_by:\n"
	    "      - record:\n          - cmp/remand.yaml",
	    "      weeks: 3\n    satisfied_by:\n"
	    "      - record:\n          - cmp/remand.yaml");
	ct_error err = {0};

	(void)state;
	assert_int_equal(remand(r, c, "ACT-0101", "2026-03-22", &err),
	    CT_EINVALID);
	has(ct_error_msg(&err), "may be made from 2026-03-23, after 3 weeks "
	    "in custody");
	assert_int_equal(remand(r, c, "ACT-0101", "2026-03-23", &err), 0);
	ct_error_clear(&err);
	ct_node_free(c);
	ct_rules_free(r);
}

/* ------------------------------------------ approvals and kinds */

static void
test_act_cmp_custodial_community_approval_roles(void **state)
{
	ct_node *s = load("format: 1\njurisdiction: ACT\ntimezone: X\n"
	    "approval_roles:\n  custodial: director\n");

	(void)state;
	assert_string_equal(ct_cmp_approval_role(NULL, CT_CMP_CUSTODIAL),
	    "cmu-team-leader");
	assert_string_equal(ct_cmp_approval_role(NULL, CT_CMP_COMMUNITY),
	    "community-team-leader");
	assert_null(ct_cmp_approval_role(NULL, CT_CMP_REMAND));
	/* the store's settings decide */
	assert_string_equal(ct_cmp_approval_role(s, CT_CMP_CUSTODIAL),
	    "director");
	assert_string_equal(ct_cmp_approval_role(s, CT_CMP_COMMUNITY),
	    "community-team-leader");
	ct_node_free(s);
}

static void
test_kinds_and_reasons(void **state)
{
	ct_error err = {0};
	ct_cmp_kind k;
	char *path = NULL;

	(void)state;
	assert_int_equal(ct_cmp_kind_parse("remand", "--kind", &k, &err), 0);
	assert_int_equal(k, CT_CMP_REMAND);
	assert_int_equal(ct_cmp_kind_parse("parole", "--kind", &k, &err),
	    CT_EINVALID);
	assert_string_equal(ct_error_msg(&err), "--kind: 'parole' is not a "
	    "plan kind (custodial, remand or community)");
	assert_int_equal(ct_cmp_path("ACT-0042", CT_CMP_COMMUNITY, &path,
	    &err), 0);
	assert_non_null(strstr(path, "/ACT-0042/cmp/community.yaml"));
	assert_string_equal(ct_cmp_reasons[4], "risk-rating-change");
	free(path);
	ct_error_clear(&err);
}

/* ------------------------------------------ editable part, template */

static void
test_editable_part_and_template(void **state)
{
	ct_node *plan = load("case: X\nkind: remand\nversion: 2\n"
	    "status: approved\ncreated: '2026-03-30'\nchanged_by: ada\n"
	    "comments: c\ngoals: [g]\n"
	    "needs:\n  - id: N1\n    domain: welfare\n    description: d\n"
	    "    status: open\n    referral: {to: t, date: '2026-03-05', "
	    "consent: not-asked, at_risk_exception: true}\n"
	    "reviews: []\n");
	ct_node *ed = NULL, *back = NULL;
	ct_error err = {0};
	char *text = NULL, *yaml = NULL, *diff = NULL;
	size_t len;

	(void)state;
	assert_int_equal(ct_cmp_editable(plan, &ed, &err), 0);
	assert_int_equal(ct_yaml_emit(ed, &yaml, &len, &err), 0);
	/* schema order; no bookkeeping; the At Risk exception is the
	 * tools' */
	assert_string_equal(yaml, "goals:\n  - g\nneeds:\n  - id: N1\n"
	    "    domain: welfare\n    description: d\n    status: open\n"
	    "    referral:\n      to: t\n      date: '2026-03-05'\n"
	    "      consent: not-asked\ncomments: c\n");
	assert_int_equal(ct_cmp_template("X", CT_CMP_REMAND, plan, &text,
	    &err), 0);
	has(text, "# Review of the remand Case Management Plan of X: version "
	    "2 (approved) becomes version 3.\n");
	has(text, yaml);
	/* the template reads back as the same editable part */
	back = load(text);
	assert_int_equal(ct_node_diff(ed, back, &diff, NULL, &err), 0);
	assert_string_equal(diff, "");
	free(text);
	assert_int_equal(ct_cmp_template("X", CT_CMP_CUSTODIAL, NULL, &text,
	    &err), 0);
	has(text, "# Custodial Case Management Plan of X, version 1.\n");
	has(text, "s78:\n  work_activities:\n");
	free(text);
	free(yaml);
	free(diff);
	ct_node_free(back);
	ct_node_free(ed);
	ct_node_free(plan);
}

/*
 * Every CT_FIXTURES/schema/<set>/valid/NAME.yaml validates against the
 * schema; every invalid/NAME.yaml fails with each line of NAME.error in
 * the message.  (tests/schema_crosscheck.py gives Python's jsonschema the
 * same fixtures.)
 */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_act_cmp_content_valid_plan),
		cmocka_unit_test(test_act_cmp_content_need_without_intervention),
		cmocka_unit_test(test_act_cmp_content_need_without_target),
		cmocka_unit_test(test_act_cmp_content_completion_dates),
		cmocka_unit_test(test_act_cmp_content_custodial_s78_parts),
		cmocka_unit_test(test_act_cmp_content_every_problem_reported),
		cmocka_unit_test(test_input_schema_and_shape),
		cmocka_unit_test(test_act_consent_at_risk_on),
		cmocka_unit_test(test_act_consent_refused_without_at_risk),
		cmocka_unit_test(test_act_consent_at_risk_exception),
		cmocka_unit_test(test_act_remand_cmp_four_weeks),
		cmocka_unit_test(test_act_remand_cmp_latest_reception),
		cmocka_unit_test(test_act_remand_cmp_released),
		cmocka_unit_test(test_act_remand_cmp_rules_file),
		cmocka_unit_test(test_act_cmp_custodial_community_approval_roles),
		cmocka_unit_test(test_kinds_and_reasons),
		cmocka_unit_test(test_editable_part_and_template),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

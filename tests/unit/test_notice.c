/*
 * Tests of lib/records/notice.c: Post-Sentence Authority notices
 * (VIC-AUTHORITY-NOTICE).
 *
 * The record operations run on YAML trees written here with a registry of
 * two agencies: adding notices (ids, a repeated notice, every refusal),
 * responding (once; the same response again changes nothing; every
 * refusal), the record checks the schema can not make, and the listing
 * as of a day with its JSON and CSV.  The deadline rule itself is tested
 * in test_rules.c; the tool and the store end to end in
 * tests/cli/0070-authority-notice.t.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casetrail/notice.h"
#include "casetrail/yaml.h"

#include "yamlfx.h"

static const char registry[] =
    "agencies:\n"
    "  - {id: djcs, name: Justice, map_member: true}\n"
    "  - {id: dffh, name: Families, map_member: true}\n";

static ct_date
day(const char *s)
{
	ct_error err = {0};
	ct_date d = 0;

	if (ct_date_parse(s, &d, &err) != 0)
		fail_msg("%s", ct_error_msg(&err));
	return d;
}

static ct_node *
yaml(const char *text)
{
	return yaml_doc(text, "t.yaml");
}

static void
assert_err(int rc, ct_error *err, const char *want)
{
	assert_int_equal(rc, CT_EINVALID);
	if (strstr(ct_error_msg(err), want) == NULL)
		fail_msg("message '%s' lacks '%s'", ct_error_msg(err), want);
	ct_error_clear(err);
}

static ct_notice_req
req(const char *kind, const char *asks, const char *received,
    const char *due, char *const *agencies)
{
	ct_notice_req r = { .received = day(received), .kind = kind,
	    .asks = asks, .due = day(due), .agencies = agencies };

	return r;
}

static void
test_add(void **state)
{
	char *ags[] = { "dffh", "djcs", "dffh", NULL };
	ct_node *reg = yaml(registry), *doc = NULL;
	ct_notice_req r = req("update-request", "Progress", "2026-05-04",
	    "2026-05-18", ags);
	ct_error err = {0};
	const char *id;
	bool added;
	const ct_node *n;

	(void)state;
	r.ref = "PSA/2026/17";
	assert_int_equal(ct_notice_add(&doc, "V1", reg, &r, day("2026-05-04"),
	    &id, &added, &err), 0);
	assert_true(added);
	assert_string_equal(id, "n1");
	assert_string_equal(ct_map_str(doc, "case"), "V1");
	n = ct_map_get(doc, "notices")->items[0];
	assert_string_equal(ct_map_str(n, "received"), "2026-05-04");
	assert_string_equal(ct_map_str(n, "due"), "2026-05-18");
	assert_string_equal(ct_map_str(n, "reference"), "PSA/2026/17");
	/* agencies named twice are kept once, in the order given */
	assert_int_equal(ct_map_get(n, "agencies")->n, 2);
	assert_string_equal(ct_map_get(n, "agencies")->items[1]->str, "djcs");

	/* the same notice again: nothing added */
	assert_int_equal(ct_notice_add(&doc, "V1", reg, &r, day("2026-05-05"),
	    &id, &added, &err), 0);
	assert_false(added);
	assert_string_equal(id, "n1");
	/* another: n2, no agencies, no reference */
	r = req("other", "Letter", "2026-05-05", "2026-05-05", NULL);
	assert_int_equal(ct_notice_add(&doc, "V1", reg, &r, day("2026-05-05"),
	    &id, &added, &err), 0);
	assert_true(added);
	assert_string_equal(id, "n2");
	n = ct_map_get(doc, "notices")->items[1];
	assert_null(ct_map_get(n, "agencies"));
	assert_null(ct_map_get(n, "reference"));
	assert_int_equal(ct_notices_check(doc, reg, "t.yaml", &err), 0);
	ct_node_free(doc);
	ct_node_free(reg);
}

static void
test_add_refused(void **state)
{
	char *bad[] = { "vicpol", NULL };
	ct_node *reg = yaml(registry), *doc = NULL;
	ct_notice_req r;
	ct_error err = {0};
	const char *id;
	bool added;

	(void)state;
	r = req("direction", "x", "2026-05-04", "2026-05-18", NULL);
	assert_err(ct_notice_add(&doc, "V1", reg, &r, day("2026-05-04"), &id,
	    &added, &err), &err, "--kind: expected update-request, "
	    "report-request, conditions-instruction or other, not 'direction'");
	r = req("other", "x", "2026-05-05", "2026-05-18", NULL);
	assert_err(ct_notice_add(&doc, "V1", reg, &r, day("2026-05-04"), &id,
	    &added, &err), &err, "--received 2026-05-05 is after today "
	    "(2026-05-04)");
	r = req("other", "x", "2026-05-04", "2026-05-03", NULL);
	assert_err(ct_notice_add(&doc, "V1", reg, &r, day("2026-05-04"), &id,
	    &added, &err), &err, "--due 2026-05-03 is before the notice was "
	    "received (2026-05-04)");
	r = req("other", "x", "2026-05-04", "2026-05-18", bad);
	assert_err(ct_notice_add(&doc, "V1", reg, &r, day("2026-05-04"), &id,
	    &added, &err), &err, "--agency: 'vicpol' is not a registered "
	    "agency");
	r = req("other", "two\nlines", "2026-05-04", "2026-05-18", NULL);
	assert_err(ct_notice_add(&doc, "V1", reg, &r, day("2026-05-04"), &id,
	    &added, &err), &err, "--asks");
	r = req("other", "x", "2026-05-04", "2026-05-18", NULL);
	r.ref = "Trailer: forged\n";
	assert_err(ct_notice_add(&doc, "V1", reg, &r, day("2026-05-04"), &id,
	    &added, &err), &err, "--ref");
	assert_null(doc);
	ct_node_free(reg);
}

static void
test_respond(void **state)
{
	ct_node *doc = yaml("case: V1\nnotices:\n"
	    "  - {id: n1, received: '2026-05-04', kind: other, asks: x, "
	    "due: '2026-05-18'}\n");
	ct_error err = {0};
	const ct_node *resp;
	bool changed;

	(void)state;
	assert_err(ct_notice_respond(doc, "V1", "n2", day("2026-05-10"), "s",
	    NULL, day("2026-05-10"), &changed, &err), &err,
	    "V1: no Authority notice 'n2'");
	assert_err(ct_notice_respond(doc, "V1", "n1", day("2026-05-11"), "s",
	    NULL, day("2026-05-10"), &changed, &err), &err,
	    "--date 2026-05-11 is after today (2026-05-10)");
	assert_err(ct_notice_respond(doc, "V1", "n1", day("2026-05-03"), "s",
	    NULL, day("2026-05-10"), &changed, &err), &err,
	    "--date 2026-05-03 is before notice n1 was received (2026-05-04)");
	assert_err(ct_notice_respond(doc, "V1", "n1", day("2026-05-10"), NULL,
	    NULL, day("2026-05-10"), &changed, &err), &err, "--summary is "
	    "required");
	assert_int_equal(ct_notice_respond(doc, "V1", "n1", day("2026-05-10"),
	    "Sent", "L-1", day("2026-05-10"), &changed, &err), 0);
	assert_true(changed);
	resp = ct_map_get(ct_map_get(doc, "notices")->items[0], "response");
	assert_string_equal(ct_map_str(resp, "date"), "2026-05-10");
	assert_string_equal(ct_map_str(resp, "summary"), "Sent");
	assert_string_equal(ct_map_str(resp, "reference"), "L-1");
	/* the same response again: no change; another: refused */
	assert_int_equal(ct_notice_respond(doc, "V1", "n1", day("2026-05-10"),
	    "Sent", "L-1", day("2026-05-12"), &changed, &err), 0);
	assert_false(changed);
	assert_err(ct_notice_respond(doc, "V1", "n1", day("2026-05-12"),
	    "Again", NULL, day("2026-05-12"), &changed, &err), &err,
	    "V1: notice n1 was already answered on 2026-05-10");
	ct_node_free(doc);
}

static void
test_check(void **state)
{
	ct_node *reg = yaml(registry), *doc;
	ct_error err = {0};

	(void)state;
	doc = yaml("case: V1\nnotices:\n"
	    "  - {id: n1, received: '2026-05-04', kind: other, asks: x, "
	    "due: '2026-05-18'}\n"
	    "  - {id: n1, received: '2026-05-04', kind: other, asks: y, "
	    "due: '2026-05-18'}\n");
	assert_err(ct_notices_check(doc, reg, "t.yaml", &err), &err,
	    "t.yaml:4:10: notices[1].id: 'n1' is already the id of notices[0]");
	ct_node_free(doc);
	doc = yaml("case: V1\nnotices:\n"
	    "  - {id: n1, received: '2026-05-04', kind: other, asks: x, "
	    "due: '2026-05-03'}\n");
	assert_err(ct_notices_check(doc, reg, "t.yaml", &err), &err,
	    "notices[0].due: before the notice was received");
	ct_node_free(doc);
	doc = yaml("case: V1\nnotices:\n"
	    "  - {id: n1, received: '2026-05-04', kind: other, asks: x, "
	    "due: '2026-05-08', response: {date: '2026-05-01', summary: s}}\n");
	assert_err(ct_notices_check(doc, reg, "t.yaml", &err), &err,
	    "notices[0].response.date: before the notice was received");
	ct_node_free(doc);
	doc = yaml("case: V1\nnotices:\n"
	    "  - {id: n1, received: '2026-05-04', kind: other, asks: x, "
	    "due: '2026-05-08', agencies: [dffh, gone]}\n");
	assert_err(ct_notices_check(doc, reg, "t.yaml", &err), &err,
	    "notices[0].agencies[1]: 'gone' is not a registered agency");
	ct_node_free(doc);
	doc = yaml("case: V1\nnotices:\n"
	    "  - {id: n1, received: '2026-05-04', kind: other, asks: x, "
	    "due: '2026-05-08', agencies: [dffh, dffh]}\n");
	assert_err(ct_notices_check(doc, reg, "t.yaml", &err), &err,
	    "notices[0].agencies[1]: 'dffh' is named twice");
	ct_node_free(doc);
	ct_node_free(reg);
}

static const char listed[] =
    "case: V1\nnotices:\n"
    "  - {id: n1, received: '2026-05-04', kind: update-request, "
    "asks: '=HYPERLINK(\"x\") \"quoted\", too', due: '2026-05-18', "
    "agencies: [dffh, djcs], reference: PSA/17}\n"
    "  - {id: n2, received: '2026-05-04', kind: other, asks: b, "
    "due: '2026-05-08', response: {date: '2026-05-07', summary: Done, "
    "reference: L-9}}\n"
    "  - {id: n3, received: '2026-05-20', kind: other, asks: c, "
    "due: '2026-05-25'}\n"
    "  - {id: n10, received: '2026-05-04', kind: other, asks: d, "
    "due: '2026-05-08', response: {date: '2026-05-30', summary: Late}}\n";

static void
test_rows(void **state)
{
	ct_node *doc = yaml(listed);
	ct_rows r;
	ct_error err = {0};
	ct_buf b = {0};

	(void)state;
	ct_rows_init(&r, &ct_notice_report);
	assert_int_equal(ct_notices_rows(doc, day("2026-05-19"), &r, &err), 0);
	/* n3 is received after the day: not yet */
	assert_int_equal(r.n, 3);
	ct_rows_sort(&r, ct_notice_order);
	/* n2 and n10 both due 8 May: n2 first (ids in number order) */
	assert_string_equal(ct_rows_get(&r, 0, CT_NOTICE_COL_NOTICE), "n2");
	assert_string_equal(ct_rows_get(&r, 0, CT_NOTICE_COL_STATUS),
	    "answered");
	assert_string_equal(ct_rows_get(&r, 0, CT_NOTICE_COL_RESPONDED),
	    "2026-05-07");
	assert_string_equal(ct_rows_get(&r, 1, CT_NOTICE_COL_NOTICE), "n10");
	/* its response is dated after the day: not yet answered */
	assert_string_equal(ct_rows_get(&r, 1, CT_NOTICE_COL_STATUS),
	    "overdue");
	assert_string_equal(ct_rows_get(&r, 1, CT_NOTICE_COL_DAYS), "-11");
	assert_null(ct_rows_get(&r, 1, CT_NOTICE_COL_RESPONDED));
	assert_null(ct_rows_get(&r, 1, CT_NOTICE_COL_SUMMARY));
	assert_string_equal(ct_rows_get(&r, 2, CT_NOTICE_COL_NOTICE), "n1");
	assert_string_equal(ct_rows_get(&r, 2, CT_NOTICE_COL_STATUS),
	    "overdue");
	assert_string_equal(ct_rows_get(&r, 2, CT_NOTICE_COL_AGENCIES),
	    "dffh,djcs");

	ct_rows_csv(&r, false, &b);
	assert_false(b.failed);
	assert_non_null(strstr(b.s, "case,notice,kind,received,due,asks,"
	    "agencies,reference,status,days,responded,summary,"
	    "response_reference\r\n"));
	assert_non_null(strstr(b.s, "V1,n2,other,2026-05-04,2026-05-08,b,,,"
	    "answered,-11,2026-05-07,Done,L-9\r\n"));
	/* a formula is neutralised, quotes doubled */
	assert_non_null(strstr(b.s, ",\"'=HYPERLINK(\"\"x\"\") \"\"quoted\"\", "
	    "too\",\"dffh,djcs\",PSA/17,overdue,-1,,,\r\n"));
	ct_buf_free(&b);

	ct_rows_json(&r, &b);
	assert_false(b.failed);
	assert_non_null(strstr(b.s, "\"agencies\": [\"dffh\", \"djcs\"]"));
	assert_non_null(strstr(b.s, "\"agencies\": []"));
	assert_non_null(strstr(b.s, "\"asks\": \"=HYPERLINK(\\\"x\\\") "
	    "\\\"quoted\\\", too\""));
	assert_non_null(strstr(b.s, "\"responded\": \"2026-05-07\""));
	assert_non_null(strstr(b.s, "\"responded\": null"));
	assert_non_null(strstr(b.s, "\"days\": -11,"));
	ct_buf_free(&b);
	ct_rows_clear(&r);
	assert_int_equal(r.n, 0);

	/* 24 May: n3 received, open, due tomorrow */
	assert_int_equal(ct_notices_rows(doc, day("2026-05-24"), &r, &err), 0);
	assert_int_equal(r.n, 4);
	ct_rows_sort(&r, ct_notice_order);
	assert_string_equal(ct_rows_get(&r, 3, CT_NOTICE_COL_NOTICE), "n3");
	assert_string_equal(ct_rows_get(&r, 3, CT_NOTICE_COL_STATUS), "open");
	assert_string_equal(ct_rows_get(&r, 3, CT_NOTICE_COL_DAYS), "1");
	ct_rows_clear(&r);
	ct_node_free(doc);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(ct_notice_action_name(CT_NOTICE_ADD), "add");
	assert_string_equal(ct_notice_action_name(CT_NOTICE_RESPOND),
	    "respond");
	assert_string_equal(ct_notice_status_name(CT_NOTICE_OVERDUE),
	    "overdue");
	assert_string_equal(ct_notice_status_name(CT_NOTICE_OPEN), "open");
	assert_string_equal(ct_notice_status_name(CT_NOTICE_ANSWERED),
	    "answered");
	assert_string_equal(ct_notice_kinds[2], "conditions-instruction");
	assert_null(ct_notice_kinds[4]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_add_refused),
		cmocka_unit_test(test_respond),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

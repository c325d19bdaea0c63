/*
 * Unit tests of lib/records/case.c (ids, shard paths, events) and lib/store/trailers.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "casetrail/case.h"
#include "casetrail/trailers.h"

/* The shard directory computed the way DESIGN.md §2 defines it, with git. */
static void
git_shard(const char *id, char out[3])
{
	char cmd[256], line[64];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "printf %%s '%s' | git hash-object --stdin",
	    id);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	pclose(p);
	out[0] = line[0];
	out[1] = line[1];
	out[2] = '\0';
}

static void
test_shard_path_equals_git_hash_object(void **state)
{
	const char *ids[] = { "ACT-0042", "VIC-0007", "a", "Z9._-x",
	    "0000000000000000000000000000000000000000", NULL };
	char want[3], *dir, *expect;
	ct_error err = { 0 };
	int i;

	(void)state;
	for (i = 0; ids[i] != NULL; i++) {
		git_shard(ids[i], want);
		assert_int_equal(ct_case_dir(ids[i], &dir, &err), 0);
		assert_true(asprintf(&expect, "cases/%s/%s", want, ids[i]) > 0);
		assert_string_equal(dir, expect);
		free(dir);
		free(expect);
	}
}

static void
test_case_id_rejects_bad_ids(void **state)
{
	const char *bad[] = { "", "../x", "a/b", "-a", ".a", "a b", "a\nb",
	    "a\tb", "é", "a:b", "12345678901234567890123456789012345678901",
	    NULL };
	ct_error err = { 0 };
	int i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		assert_int_equal(ct_case_id_check(bad[i], &err), CT_EINVALID);
		assert_non_null(strstr(ct_error_msg(&err), "invalid case id"));
		assert_null(strchr(ct_error_msg(&err), '\n'));
	}
	ct_error_clear(&err);
	assert_int_equal(ct_case_id_check(
	    "1234567890123456789012345678901234567890", &err), 0);
	assert_int_equal(ct_case_id_check("A.b_c-9", &err), 0);
}

static ct_node *
case_of(const char *id, ct_jurisdiction j, const char *cohort)
{
	ct_node *c;
	ct_error err = { 0 };

	assert_int_equal(ct_case_new(id, j, cohort, NULL,
	    ct_date_from_ymd(2026, 1, 1), &c, &err), 0);
	return c;
}

static ct_node *
new_case(void)
{
	return case_of("ACT-1", CT_JUR_ACT, "sentenced");
}

/* A VIC case: the orders are the Serious Offenders Act 2018's. */
static ct_node *
new_vic_case(void)
{
	return case_of("VIC-1", CT_JUR_VIC, "post-sentence");
}

static void
add(ct_node *c, const char *type, int y, int m, int d, const char *field,
    const char *value)
{
	ct_event ev = { .type = type, .date = ct_date_from_ymd(y, m, d) };
	ct_error err = { 0 };
	bool added;

	if (field && strcmp(field, "stage") == 0)
		ev.stage = value;
	if (field && strcmp(field, "order") == 0)
		ev.order = value;
	if (field && strcmp(field, "rating") == 0)
		ev.rating = value;
	assert_int_equal(ct_case_add_event(c, &ev, &added, &err), 0);
	assert_true(added);
}

static void
test_events_sorted_and_derived(void **state)
{
	ct_node *c = new_case(), *ev;

	(void)state;
	add(c, "stage-changed", 2026, 3, 1, "stage", "custodial");
	add(c, "reception", 2026, 1, 5, NULL, NULL);
	add(c, "stage-changed", 2026, 2, 1, "stage", "case-planning");
	add(c, "eprd-set", 2028, 6, 30, NULL, NULL);
	ev = ct_map_get(c, "events");
	assert_int_equal(ev->n, 4);
	assert_string_equal(ct_map_str(ev->items[0], "type"), "reception");
	assert_string_equal(ct_map_str(ev->items[1], "stage"), "case-planning");
	assert_string_equal(ct_map_str(ev->items[2], "stage"), "custodial");
	assert_string_equal(ct_map_str(c, "stage"), "custodial");
	assert_string_equal(ct_map_str(c, "eprd"), "2028-06-30");
	ct_node_free(c);
}

/* A withdrawn event stays in the record and counts for nothing: the
 * stage follows the events left. */
static void
test_withdrawn_event_counts_for_nothing(void **state)
{
	ct_node *c = new_case(), *ev;
	ct_withdrawal w = { .type = "stage-changed",
	    .date = ct_date_from_ymd(2026, 3, 1), .by = "ada",
	    .today = ct_date_from_ymd(2026, 3, 9), .reason = "wrong case" };
	ct_error err = { 0 };

	(void)state;
	add(c, "stage-changed", 2026, 2, 1, "stage", "case-planning");
	add(c, "stage-changed", 2026, 3, 1, "stage", "custodial");
	assert_string_equal(ct_map_str(c, "stage"), "custodial");
	assert_int_equal(ct_case_withdraw_event(c, &w, &err), 0);
	ev = ct_map_get(c, "events");
	assert_int_equal(ev->n, 2);
	assert_true(ct_event_withdrawn(ev->items[1]));
	assert_string_equal(ct_map_str(ct_map_get(ev->items[1], "withdrawn"),
	    "reason"), "wrong case");
	assert_string_equal(ct_map_str(c, "stage"), "case-planning");
	/* once withdrawn, there is none left to withdraw */
	assert_int_equal(ct_case_withdraw_event(c, &w, &err), CT_ENOTFOUND);
	ct_error_clear(&err);
	ct_node_free(c);
}

static void
test_same_day_events_keep_insertion_order(void **state)
{
	ct_node *c = new_case(), *ev;

	(void)state;
	add(c, "risk-rating-changed", 2026, 2, 1, "rating", "low");
	add(c, "risk-rating-changed", 2026, 2, 1, "rating", "high");
	ev = ct_map_get(c, "events");
	assert_string_equal(ct_map_str(ev->items[1], "rating"), "high");
	assert_string_equal(ct_map_str(c, "risk_rating"), "high");
	ct_node_free(c);
}

static void
test_duplicate_event_not_added(void **state)
{
	ct_node *c = new_case();
	ct_event ev = { .type = "engaged", .date = ct_date_from_ymd(2026, 1,
	    9) };
	ct_error err = { 0 };
	bool added;

	(void)state;
	assert_int_equal(ct_case_add_event(c, &ev, &added, &err), 0);
	assert_true(added);
	assert_int_equal(ct_case_add_event(c, &ev, &added, &err), 0);
	assert_false(added);
	assert_int_equal(ct_map_get(c, "events")->n, 1);
	ct_node_free(c);
}

static void
test_event_fields_checked(void **state)
{
	ct_node *c = new_case();
	ct_event ev = { .type = "stage-changed",
	    .date = ct_date_from_ymd(2026, 1, 9) };
	ct_error err = { 0 };
	bool added;

	(void)state;
	assert_int_equal(ct_case_add_event(c, &ev, &added, &err), CT_EINVALID);
	assert_non_null(strstr(ct_error_msg(&err), "needs --stage"));
	ev.type = "reception";
	ev.rating = "high";
	assert_int_equal(ct_case_add_event(c, &ev, &added, &err), CT_EINVALID);
	assert_non_null(strstr(ct_error_msg(&err), "--rating applies only"));
	ev.type = "absconded";
	ev.rating = NULL;
	assert_int_equal(ct_case_add_event(c, &ev, &added, &err), CT_EINVALID);
	assert_int_equal(ct_map_get(c, "events")->n, 0);
	ct_error_clear(&err);
	ct_node_free(c);
}

static void
test_orders_follow_events(void **state)
{
	ct_node *c = new_vic_case(), *o;
	ct_event ev = { .type = "order-ended", .order = "detention",
	    .date = ct_date_from_ymd(2026, 5, 1) };
	ct_error err = { 0 };
	bool added;

	(void)state;
	add(c, "order-made", 2026, 1, 10, "order", "interim-supervision");
	add(c, "order-ended", 2026, 4, 1, "order", "interim-supervision");
	add(c, "order-made", 2026, 4, 1, "order", "supervision");
	o = ct_map_get(c, "orders");
	assert_int_equal(o->n, 2);
	assert_string_equal(ct_map_str(o->items[0], "ended"), "2026-04-01");
	assert_null(ct_map_get(o->items[1], "ended"));
	assert_int_equal(ct_case_add_event(c, &ev, &added, &err), CT_EINVALID);
	assert_non_null(strstr(ct_error_msg(&err), "no detention order"));
	ct_error_clear(&err);
	ct_node_free(c);
}

static void
test_text_check_rejects_forged_trailers(void **state)
{
	ct_error err = { 0 };

	(void)state;
	assert_int_equal(ct_text_check("--reason", "ok: fine", &err), 0);
	assert_int_equal(ct_text_check("--reason", "a\nCase: X", &err),
	    CT_EINVALID);
	assert_int_equal(ct_text_check("--reason", "a\rb", &err), CT_EINVALID);
	assert_int_equal(ct_text_check("--reason", "a\tb", &err), CT_EINVALID);
	assert_int_equal(ct_text_check("--reason", "\xe2\x80\xa8", &err),
	    CT_EINVALID);
	assert_int_equal(ct_text_check("--reason", "\xff", &err), CT_EINVALID);
	assert_int_equal(ct_text_check("--reason", "", &err), CT_EINVALID);
	assert_int_equal(ct_text_check("--reason", "Ünïcödé ✓", &err), 0);
	ct_error_clear(&err);
}

static void
test_commit_message_layout(void **state)
{
	ct_commit_spec spec = { .tool = "cmp-review", .version = "0.1.0",
	    .subject = "ACT-0042 custodial plan reviewed",
	    .case_id = "ACT-0042", .record = "cmp/custodial",
	    .action = "review", .reason = "risk-rating-changed" };
	ct_error err = { 0 };
	char *msg, *v;

	(void)state;
	assert_int_equal(ct_commit_message(&spec, NULL, &msg, &err), 0);
	assert_string_equal(msg,
	    "cmp-review: ACT-0042 custodial plan reviewed\n\n"
	    "Reason: risk-rating-changed\n"
	    "Case: ACT-0042\n"
	    "Record: cmp/custodial\n"
	    "Action: review\n"
	    "Tool: cmp-review 0.1.0\n");
	assert_int_equal(ct_trailer_get(msg, "Case", &v, &err), 0);
	assert_string_equal(v, "ACT-0042");
	free(v);
	assert_int_equal(ct_trailer_get(msg, "Approved-by", &v, &err), 0);
	assert_null(v);
	free(msg);
	spec.reason = "x\nApproved-by: boss";
	assert_int_equal(ct_commit_message(&spec, NULL, &msg, &err),
	    CT_EINVALID);
	assert_null(msg);
	ct_error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shard_path_equals_git_hash_object),
		cmocka_unit_test(test_case_id_rejects_bad_ids),
		cmocka_unit_test(test_events_sorted_and_derived),
		cmocka_unit_test(test_same_day_events_keep_insertion_order),
		cmocka_unit_test(test_duplicate_event_not_added),
		cmocka_unit_test(test_event_fields_checked),
		cmocka_unit_test(test_orders_follow_events),
		cmocka_unit_test(test_withdrawn_event_counts_for_nothing),
		cmocka_unit_test(test_text_check_rejects_forged_trailers),
		cmocka_unit_test(test_commit_message_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

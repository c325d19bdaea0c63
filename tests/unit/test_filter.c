/*
 * Tests of lib/policy/filter.c, which findings deadline-check shows: the status
 * and window tests keep exactly what the tool kept before they moved to
 * the library (the tool's function is kept below as the reference and
 * compared on every status, window and day), a few cases spelled out,
 * the rule list, the work queue (checked only once the strings are
 * there), and ct_filter_keep: those shown kept in order, the others
 * freed, the findings before from untouched, overdue among those kept.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "shell.h"

#include "casetrail/evaluate.h"
#include "casetrail/filter.h"
#include "casetrail/store.h"

#include "storefx.h"

/* deadline-check's own test before the filter moved to the library. */
static bool
was_wanted(const ct_finding *f, int status, int within)
{
	if (status == -2)           /* all */
		return within < 0 || f->days <= within;
	if (status >= 0) {
		/* met: on time or late; met-late: late only */
		if ((int)f->status != status && !(status == CT_STATUS_MET &&
		    ct_status_met(f->status)))
			return false;
		return within < 0 || f->status == CT_STATUS_OVERDUE ||
		    ct_status_met(f->status) || f->days <= within;
	}
	if (f->status == CT_STATUS_OVERDUE)
		return true;
	if (ct_status_met(f->status) || f->status == CT_STATUS_WAIVED)
		return false;
	if (f->status == CT_STATUS_DEFERRED)
		return f->exception_until - (f->due - f->days) <=
		    (within < 0 ? 30 : within);
	return f->days >= 0 && f->days <= (within < 0 ? 30 : within);
}

struct rfx {
	struct fx *fx;
	ct_rules *rules;
	const ct_rule *engage, *cmp;
};

static int
setup(void **state)
{
	struct rfx *r = calloc(1, sizeof(*r));
	ct_snapshot *snap = NULL;
	ct_error err = { 0 };

	assert_non_null(r);
	r->fx = fx_new();
	if (ct_snapshot_open(r->fx->st, NULL, &snap, &err) < 0 ||
	    ct_snapshot_rules(snap, &r->rules, &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
	ct_snapshot_free(snap);
	r->engage = ct_rules_find(r->rules, "ACT-REMAND-ENGAGE");
	r->cmp = ct_rules_find(r->rules, "ACT-REMAND-CMP");
	assert_non_null(r->engage);
	assert_non_null(r->cmp);
	*state = r;
	return 0;
}

static int
teardown(void **state)
{
	struct rfx *r = *state;

	ct_rules_free(r->rules);
	*state = r->fx;
	fx_teardown(state);
	free(r);
	return 0;
}

/* A finding of rule on a day days before its due date (today 2026-05-01;
 * a deferral until days_until after today). */
static ct_finding
finding(const ct_rule *rule, ct_status status, int days, int until)
{
	ct_date today = ct_date_from_ymd(2026, 5, 1);

	return (ct_finding){ .rule = rule, .status = status, .days = days,
	    .due = today + days, .exception_until = today + until };
}

static void
test_the_status_and_window_tests_are_the_tools(void **state)
{
	static const int withins[] = { -1, 0, 1, 7, 30, 31, 90 };
	struct rfx *r = *state;
	ct_filter fl = { 0 };
	ct_finding f;
	int st, s, w, days, until;
	size_t n = 0;

	for (st = 0; st < CT_STATUS_COUNT; st++)
	for (s = -2; s < CT_STATUS_COUNT; s++)
	for (w = 0; w < (int)(sizeof(withins) / sizeof(*withins)); w++)
	for (days = -45; days <= 100; days++)
	for (until = -5; until <= 100; until++) {
		f = finding(r->engage, (ct_status)st, days, until);
		fl.status = s;
		fl.within = withins[w];
		if (ct_filter_early(&f, &fl) != was_wanted(&f, s, withins[w]))
			fail_msg("status %s, asked %d, within %d, days %d, "
			    "until %d", ct_status_name((ct_status)st), s,
			    withins[w], days, until);
		n++;
	}
	assert_true(n > 100000);
}

static void
test_what_is_shown_by_default_and_when_asked(void **state)
{
	struct rfx *r = *state;
	ct_filter def = { .status = CT_FILTER_DEFAULT, .within = -1 };
	ct_filter all = { .status = CT_FILTER_ALL, .within = -1 };
	ct_filter met = { .status = CT_STATUS_MET, .within = 10 };
	ct_filter late = { .status = CT_STATUS_MET_LATE, .within = -1 };
	ct_finding f;

	/* default: overdue however long ago; due within 30 days */
	f = finding(r->engage, CT_STATUS_OVERDUE, -400, 0);
	assert_true(ct_filter_shows(&def, &f));
	f = finding(r->engage, CT_STATUS_UPCOMING, 30, 0);
	assert_true(ct_filter_shows(&def, &f));
	f = finding(r->engage, CT_STATUS_UPCOMING, 31, 0);
	assert_false(ct_filter_shows(&def, &f));
	f = finding(r->engage, CT_STATUS_MET, -3, 0);
	assert_false(ct_filter_shows(&def, &f));
	/* a deferral by when it ends, never a waiver */
	f = finding(r->engage, CT_STATUS_DEFERRED, -10, 30);
	assert_true(ct_filter_shows(&def, &f));
	f = finding(r->engage, CT_STATUS_DEFERRED, -10, 31);
	assert_false(ct_filter_shows(&def, &f));
	f = finding(r->engage, CT_STATUS_WAIVED, 2, 0);
	assert_false(ct_filter_shows(&def, &f));
	/* all: everything, met or waived */
	f = finding(r->engage, CT_STATUS_WAIVED, 200, 0);
	assert_true(ct_filter_shows(&all, &f));
	/* met: late too, whenever it fell due; met-late: late only */
	f = finding(r->engage, CT_STATUS_MET_LATE, 40, 0);
	assert_true(ct_filter_shows(&met, &f));
	assert_true(ct_filter_shows(&late, &f));
	f = finding(r->engage, CT_STATUS_MET, 40, 0);
	assert_true(ct_filter_shows(&met, &f));
	assert_false(ct_filter_shows(&late, &f));
	f = finding(r->engage, CT_STATUS_DUE, 0, 0);
	assert_false(ct_filter_shows(&met, &f));
}

static void
test_rules_and_the_work_queue(void **state)
{
	struct rfx *r = *state;
	char *rules[] = { "ACT-REMAND-CMP" };
	ct_queue q = { .manager = "ada" };
	ct_filter fl = { .status = CT_FILTER_ALL, .within = -1,
	    .rules = rules, .nrules = 1, .queue = &q };
	ct_finding f;
	ct_error err = { 0 };
	char *bad[] = { "ACT-REMAND-CMP", "ACT-NO-SUCH" };

	f = finding(r->cmp, CT_STATUS_DUE, 0, 0);
	f.manager = "ada";
	assert_true(ct_filter_shows(&fl, &f));
	f.manager = "bob";
	/* the early test leaves the queue to later */
	assert_true(ct_filter_early(&f, &fl));
	assert_false(ct_filter_shows(&fl, &f));
	fl.queue = NULL;
	assert_true(ct_filter_shows(&fl, &f));
	f = finding(r->engage, CT_STATUS_DUE, 0, 0);
	assert_false(ct_filter_early(&f, &fl));
	fl.nrules = 0;
	assert_true(ct_filter_early(&f, &fl));

	fl.rules = rules;
	fl.nrules = 1;
	assert_int_equal(ct_filter_check(&fl, r->rules, &err), 0);
	fl.rules = bad;
	fl.nrules = 2;
	assert_int_equal(ct_filter_check(&fl, r->rules, &err), CT_ENOTFOUND);
	assert_string_equal(ct_error_msg(&err),
	    "no rule 'ACT-NO-SUCH' in rules/deadlines.yaml");
	ct_error_clear(&err);
}

/* A finding that owns its strings, as the evaluator's do. */
static void
push(ct_findings *fs, const ct_rule *rule, const char *id, ct_status st,
    int days)
{
	ct_finding *f;

	assert_int_equal(ct_findings_reserve(fs, 1), 0);
	f = &fs->v[fs->n++];
	*f = finding(rule, st, days, 0);
	f->case_id = strdup(id);
	f->explain = strdup("how");
	assert_non_null(f->case_id);
}

static void
test_keep_keeps_those_shown_in_order(void **state)
{
	struct rfx *r = *state;
	ct_filter fl = { .status = CT_FILTER_DEFAULT, .within = 7 };
	ct_findings fs = { 0 };

	push(&fs, r->engage, "ACT-0001", CT_STATUS_MET, -9);	/* before from */
	push(&fs, r->engage, "ACT-0002", CT_STATUS_MET, -9);
	push(&fs, r->engage, "ACT-0003", CT_STATUS_DUE, 7);
	push(&fs, r->cmp, "ACT-0004", CT_STATUS_UPCOMING, 8);
	push(&fs, r->cmp, "ACT-0005", CT_STATUS_DUE, 0);
	assert_false(ct_filter_keep(&fl, &fs, 1));
	assert_int_equal(fs.n, 3);
	assert_string_equal(fs.v[0].case_id, "ACT-0001");
	assert_string_equal(fs.v[1].case_id, "ACT-0003");
	assert_string_equal(fs.v[2].case_id, "ACT-0005");
	/* overdue: of those kept only */
	push(&fs, r->cmp, "ACT-0006", CT_STATUS_OVERDUE, -1);
	fl.status = CT_STATUS_DUE;
	assert_false(ct_filter_keep(&fl, &fs, 3));
	assert_int_equal(fs.n, 3);
	push(&fs, r->cmp, "ACT-0007", CT_STATUS_OVERDUE, -1);
	fl.status = CT_FILTER_DEFAULT;
	assert_true(ct_filter_keep(&fl, &fs, 3));
	assert_int_equal(fs.n, 4);
	assert_string_equal(fs.v[3].case_id, "ACT-0007");
	ct_findings_clear(&fs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_the_status_and_window_tests_are_the_tools),
		T(test_what_is_shown_by_default_and_when_asked),
		T(test_rules_and_the_work_queue),
		T(test_keep_keeps_those_shown_in_order),
#undef T
	};

	return run_with_identity(tests);
}

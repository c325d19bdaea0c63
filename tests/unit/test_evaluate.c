/*
 * Tests of lib/policy/evaluate.c on a real store: the evaluator reads the
 * snapshot's rules and calendars (a holiday added to calendars/ACT.yaml
 * moves a business-day count), never the work tree; status and days
 * follow today; every case is handed on in tree order, the same for one
 * and two threads; a case that cannot be evaluated is reported and the
 * walk goes on; ct_findings_sort is a total order (DESIGN.md §4
 * ACT-CMP-CUSTODIAL, ACT-REMAND-ENGAGE).
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

#include "casetrail/case.h"
#include "casetrail/evaluate.h"
#include "casetrail/store.h"

#include "storefx.h"

struct change {
	const char *id, *cohort;
	const char *event;
	ct_date date;
};

static int
change_fn(ct_txn *txn, void *arg, ct_error *err)
{
	const struct change *c = arg;
	ct_event ev = { .type = c->event, .date = c->date };
	ct_node *doc = NULL;
	char *path = NULL;
	bool added;
	int rc;

	if ((rc = ct_case_path(c->id, "case.yaml", &path, err)) == 0 &&
	    (rc = ct_case_new(c->id, CT_JUR_ACT, c->cohort, NULL,
	    ct_date_from_ymd(2026, 3, 1), &doc, err)) == 0 &&
	    (rc = ct_case_add_event(doc, &ev, &added, err)) == 0)
		rc = ct_txn_put(txn, path, doc, err);
	ct_node_free(doc);
	free(path);
	return rc;
}

/* A new case of cohort with one event. */
static void
new_case(struct fx *f, const char *id, const char *cohort, const char *event,
    int y, int m, int d)
{
	ct_commit_spec s = { .tool = "case-new", .version = "0.1.0",
	    .subject = "new case", .case_id = id, .record = "case",
	    .action = "create", .flags = CT_WRITE_BOOTSTRAP };
	struct change c = { id, cohort, event, ct_date_from_ymd(y, m, d) };
	ct_write_result res;
	ct_error err = { 0 };

	if (ct_store_write(f->st, &s, change_fn, &c, &res, &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
	ct_write_result_clear(&res);
}

static int
setup(void **state)
{
	struct fx *f = fx_new();

	/* Monday 2 March 2026 */
	new_case(f, "ACT-0001", "sentenced", "sentence-commenced", 2026, 3, 2);
	new_case(f, "ACT-0002", "remandee", "reception", 2026, 3, 2);
	new_case(f, "ACT-0003", "sentenced", "sentence-commenced", 2026, 3,
	    16);
	*state = f;
	return 0;
}

/* The findings of one case at HEAD and the rules they point into. */
struct eval {
	ct_rules *rules;
	ct_findings fs;
};

static void
evaluate(struct fx *f, const char *dir, ct_date today, struct eval *e)
{
	ct_snapshot *snap = NULL;
	ct_evaluator *ev = NULL;
	ct_error err = { 0 };

	memset(e, 0, sizeof(*e));
	if (ct_snapshot_open(f->st, NULL, &snap, &err) < 0 ||
	    ct_snapshot_rules(snap, &e->rules, &err) < 0 ||
	    ct_evaluator_new(snap, e->rules, today, &ev, &err) < 0 ||
	    ct_evaluator_case(ev, dir, &e->fs, &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
	ct_evaluator_free(ev);
	ct_snapshot_free(snap);
}

static void
done(struct eval *e)
{
	ct_findings_clear(&e->fs);
	ct_rules_free(e->rules);
}

static const ct_finding *
find(const struct eval *e, const char *rule)
{
	size_t i;

	for (i = 0; i < e->fs.n; i++)
		if (strcmp(ct_rule_id(e->fs.v[i].rule), rule) == 0)
			return &e->fs.v[i];
	return NULL;
}

static char *
case_dir(const char *id)
{
	ct_error err = { 0 };
	char *dir = NULL;

	if (ct_case_dir(id, &dir, &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
	return dir;
}

static void
test_status_and_days_follow_today(void **state)
{
	struct fx *f = *state;
	char *dir = case_dir("ACT-0001");
	const ct_finding *c;
	struct eval fs;

	/* six weeks from Monday 2 March: Monday 13 April */
	evaluate(f, dir, ct_date_from_ymd(2026, 4, 13), &fs);
	assert_non_null(c = find(&fs, "ACT-CMP-CUSTODIAL"));
	assert_int_equal(c->due, ct_date_from_ymd(2026, 4, 13));
	assert_int_equal(c->anchor, ct_date_from_ymd(2026, 3, 2));
	assert_int_equal(c->days, 0);
	assert_int_not_equal(c->status, CT_STATUS_OVERDUE);
	assert_string_equal(c->case_id, "ACT-0001");
	done(&fs);

	evaluate(f, dir, ct_date_from_ymd(2026, 4, 14), &fs);
	assert_non_null(c = find(&fs, "ACT-CMP-CUSTODIAL"));
	assert_int_equal(c->status, CT_STATUS_OVERDUE);
	assert_int_equal(c->days, -1);
	/* a rule of the other cohort does not apply */
	assert_null(find(&fs, "ACT-REMAND-CMP"));
	done(&fs);
	free(dir);
}

static void
test_reads_the_snapshot_calendar_not_the_work_tree(void **state)
{
	struct fx *f = *state;
	char *dir = case_dir("ACT-0002");
	const ct_finding *c;
	struct eval fs;
	ct_date before;

	evaluate(f, dir, ct_date_from_ymd(2026, 3, 3), &fs);
	assert_non_null(c = find(&fs, "ACT-REMAND-ENGAGE"));
	before = c->due;
	done(&fs);

	/* a holiday on the day after reception: uncommitted, not read */
	sh("cd %s && printf '  - date: \"2026-03-03\"\\n    name: A day\\n"
	    "    source: a test\\n' >> calendars/ACT.yaml", f->store);
	evaluate(f, dir, ct_date_from_ymd(2026, 3, 3), &fs);
	assert_int_equal(find(&fs, "ACT-REMAND-ENGAGE")->due, before);
	done(&fs);

	/* committed: a business day fewer, so due a day later */
	sh("cd %s && git commit -qam 'a holiday'", f->store);
	evaluate(f, dir, ct_date_from_ymd(2026, 3, 3), &fs);
	c = find(&fs, "ACT-REMAND-ENGAGE");
	assert_true(c->due > before);
	done(&fs);
	free(dir);
}

/* The case ids handed on, space-separated, and the errors. */
struct walk {
	char ids[256];
	char failed[256];
	size_t findings;
};

static int
walk_fn(const char *case_id, ct_findings *fs, const ct_error *failed,
    void *arg)
{
	struct walk *w = arg;

	strcat(w->ids, case_id);
	strcat(w->ids, " ");
	if (failed != NULL)
		strcat(w->failed, case_id);
	w->findings += fs->n;
	return 0;
}

static void
walk(struct fx *f, int jobs, struct walk *w)
{
	ct_snapshot *snap = NULL;
	ct_rules *rules = NULL;
	ct_evaluator *ev = NULL;
	ct_error err = { 0 };

	memset(w, 0, sizeof(*w));
	if (ct_snapshot_open(f->st, NULL, &snap, &err) < 0 ||
	    ct_snapshot_rules(snap, &rules, &err) < 0 ||
	    ct_evaluator_new(snap, rules, ct_date_from_ymd(2026, 4, 1), &ev,
	    &err) < 0 ||
	    ct_evaluator_each_case(ev, jobs, walk_fn, NULL, w, &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
	ct_evaluator_free(ev);
	ct_rules_free(rules);
	ct_snapshot_free(snap);
}

static void
test_each_case_in_tree_order_for_any_jobs(void **state)
{
	struct fx *f = *state;
	struct walk one, two;
	char *d1 = case_dir("ACT-0001"), *d3 = case_dir("ACT-0003");

	walk(f, 1, &one);
	walk(f, 2, &two);
	assert_string_equal(one.ids, two.ids);
	assert_int_equal(one.findings, two.findings);
	assert_true(one.findings >= 3);
	assert_string_equal(one.failed, "");
	/* all three, each once */
	assert_non_null(strstr(one.ids, "ACT-0001 "));
	assert_non_null(strstr(one.ids, "ACT-0002 "));
	assert_non_null(strstr(one.ids, "ACT-0003 "));
	assert_int_equal(strlen(one.ids), 3 * strlen("ACT-0001 "));
	/* tree order: by shard directory */
	assert_true((strcmp(d1, d3) < 0) ==
	    (strstr(one.ids, "ACT-0001") < strstr(one.ids, "ACT-0003")));
	free(d1);
	free(d3);
}

static void
test_a_broken_case_is_reported_and_the_walk_goes_on(void **state)
{
	struct fx *f = *state;
	struct walk w;

	sh("cd %s && f=$(ls cases/*/ACT-0003/case.yaml) && "
	    "printf 'id: [\\n' > $f && git commit -qam broken", f->store);
	walk(f, 2, &w);
	assert_string_equal(w.failed, "ACT-0003");
	assert_non_null(strstr(w.ids, "ACT-0001 "));
	assert_non_null(strstr(w.ids, "ACT-0002 "));
}

static void
test_sort_is_a_total_order(void **state)
{
	struct fx *f = *state;
	char *d1 = case_dir("ACT-0001"), *d2 = case_dir("ACT-0002"),
	    *d3 = case_dir("ACT-0003");
	struct eval a, b, c;
	size_t i;

	evaluate(f, d3, ct_date_from_ymd(2026, 4, 1), &a);
	evaluate(f, d1, ct_date_from_ymd(2026, 4, 1), &b);
	evaluate(f, d2, ct_date_from_ymd(2026, 4, 1), &c);
	assert_int_equal(ct_findings_move(&b.fs, &a.fs), 0);
	assert_int_equal(ct_findings_move(&b.fs, &c.fs), 0);
	assert_int_equal(a.fs.n, 0);
	ct_findings_sort(&b.fs);
	assert_true(b.fs.n >= 4);
	for (i = 1; i < b.fs.n; i++) {
		const ct_finding *p = &b.fs.v[i - 1], *q = &b.fs.v[i];

		assert_true(p->due < q->due || (p->due == q->due &&
		    (strcmp(p->case_id, q->case_id) < 0 ||
		    (strcmp(p->case_id, q->case_id) == 0 &&
		    strcmp(ct_rule_id(p->rule), ct_rule_id(q->rule)) <= 0))));
	}
	/* b's findings point into a's and c's rules too: free b's first */
	done(&b);
	done(&a);
	done(&c);
	free(d1);
	free(d2);
	free(d3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, fx_teardown)
		T(test_status_and_days_follow_today),
		T(test_reads_the_snapshot_calendar_not_the_work_tree),
		T(test_each_case_in_tree_order_for_any_jobs),
		T(test_a_broken_case_is_reported_and_the_walk_goes_on),
		T(test_sort_is_a_total_order),
#undef T
	};

	return run_with_identity(tests);
}

/*
 * Tests of lib/audit/history.c against real stores: the walk over the commits
 * that changed one directory (newest first, the files each changed,
 * unrelated commits passed over) and the case log on top of it (trailers,
 * structured field changes, the record, field and day filters, and a
 * backdated event read as one addition), and what case-log prints of
 * it (lib/audit/caselog.c: the times, the dates set, the JSON).
 *
 * Each test makes a store in a fresh temporary directory; one HOME with a
 * git identity serves them all.
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
#include "casetrail/history.h"
#include "casetrail/store.h"

#include "storefx.h"

static int
setup(void **state)
{
	*state = fx_new();
	return 0;
}

/* One write: create the case (ev NULL) or add the event to it. */
struct change {
	const char *id;
	const ct_event *ev;
};

static int
change_fn(ct_txn *txn, void *arg, ct_error *err)
{
	struct change *c = arg;
	ct_node *doc = NULL;
	char *path = NULL;
	bool added;
	int rc;

	if ((rc = ct_case_path(c->id, "case.yaml", &path, err)) < 0)
		return rc;
	if (c->ev == NULL)
		rc = ct_case_new(c->id, CT_JUR_ACT, "sentenced", NULL,
		    ct_date_from_ymd(2026, 3, 1), &doc, err);
	else if ((rc = ct_txn_load(txn, path, &doc, err)) == 0)
		rc = ct_case_add_event(doc, c->ev, &added, err);
	if (rc == 0)
		rc = ct_txn_put(txn, path, doc, err);
	ct_node_free(doc);
	free(path);
	return rc;
}

static void
write_case(struct fx *f, const char *id, const ct_event *ev,
    const char *reason)
{
	ct_commit_spec s = { .tool = ev ? "case-event" : "case-new",
	    .version = "0.1.0", .subject = "a change", .case_id = id,
	    .record = "case", .action = ev ? "event" : "create",
	    .reason = reason, .flags = CT_WRITE_BOOTSTRAP };
	struct change c = { id, ev };
	ct_write_result res;
	ct_error err = { 0 };

	if (ct_store_write(f->st, &s, change_fn, &c, &res, &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
	assert_true(res.changed);
	ct_write_result_clear(&res);
}

static ct_event
event(const char *type, int y, int m, int d)
{
	ct_event e = { .type = type, .date = ct_date_from_ymd(y, m, d) };

	return e;
}

static char *
case_dir(const char *id)
{
	ct_error err = { 0 };
	char *dir;

	assert_int_equal(ct_case_dir(id, &dir, &err), 0);
	return dir;
}

/* The log of id with filter, collected: the number of commits, and the
 * newest one's changes as "path: old -> new" lines. */
static size_t
log_of(struct fx *f, const char *id, const ct_log_filter *flt,
    char **newest)
{
	const ct_log_commit *c;
	ct_case_log *log;
	ct_error err = { 0 };
	ct_buf b = { 0 };
	char *dir = case_dir(id);
	size_t n = 0, i;
	int rc;

	if (ct_case_log_open(f->st, dir, flt, &log, &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
	ct_buf_puts(&b, "");
	while ((rc = ct_case_log_next(log, &c, &err)) > 0) {
		for (i = 0; n == 0 && i < c->nchanges; i++) {
			ct_buf_printf(&b, "%s: %s: ", c->changes[i].record,
			    c->changes[i].field.path);
			ct_diff_put_value(&b, c->changes[i].field.old);
			ct_buf_puts(&b, " -> ");
			ct_diff_put_value(&b, c->changes[i].field.new);
			ct_buf_putc(&b, '\n');
		}
		n++;
	}
	assert_int_equal(rc, 0);
	ct_case_log_free(log);
	free(dir);
	if (newest != NULL)
		*newest = b.s;
	else
		ct_buf_free(&b);
	return n;
}

static void
test_walk_lists_only_the_directory_commits(void **state)
{
	struct fx *f = *state;
	ct_event ev = event("sentence-commenced", 2026, 3, 2);
	ct_history_entry e;
	ct_history *h;
	ct_error err = { 0 };
	char *dir = case_dir("ACT-0001"), *head;

	write_case(f, "ACT-0001", NULL, NULL);
	write_case(f, "ACT-0002", NULL, NULL);
	write_case(f, "ACT-0001", &ev, "started");
	write_case(f, "ACT-0002", &ev, NULL);
	assert_int_equal(ct_history_open(f->st, dir, &h, &err), 0);
	assert_int_equal(ct_history_next(h, &e, &err), 1);
	head = sh_out("git -C %s rev-parse HEAD~1", f->store);
	assert_string_equal(e.commit, head);
	assert_int_equal(e.nfiles, 1);
	assert_string_equal(e.files[0].path, "case.yaml");
	assert_int_equal(e.files[0].status, CT_HISTORY_MODIFIED);
	assert_non_null(strstr(e.message, "Reason: started\n"));
	assert_string_equal(e.author_email, "t@example.org");
	assert_true(e.old_tree[0] != '\0' && e.new_tree[0] != '\0');
	assert_int_equal(ct_history_next(h, &e, &err), 1);
	assert_int_equal(e.files[0].status, CT_HISTORY_ADDED);
	assert_string_equal(e.old_tree, "");
	assert_int_equal(ct_history_next(h, &e, &err), 0);
	ct_history_free(h);
	free(head);
	free(dir);
}

static void
test_walk_of_a_directory_never_written_is_empty(void **state)
{
	struct fx *f = *state;
	ct_history_entry e;
	ct_history *h;
	ct_error err = { 0 };

	write_case(f, "ACT-0001", NULL, NULL);
	assert_int_equal(ct_history_open(f->st, "cases/zz/NOPE", &h, &err),
	    0);
	assert_int_equal(ct_history_next(h, &e, &err), 0);
	ct_history_free(h);
}

static void
test_log_gives_trailers_and_structured_changes(void **state)
{
	struct fx *f = *state;
	ct_event ev = event("sentence-commenced", 2026, 3, 2);
	const ct_log_commit *c;
	ct_case_log *log;
	ct_error err = { 0 };
	char *dir = case_dir("ACT-0001");
	size_t i;
	bool seen = false;

	write_case(f, "ACT-0001", NULL, NULL);
	write_case(f, "ACT-0001", &ev, "new charges");
	assert_int_equal(ct_case_log_open(f->st, dir, NULL, &log, &err), 0);
	assert_int_equal(ct_case_log_next(log, &c, &err), 1);
	assert_string_equal(c->tool, "case-event");   /* without version */
	assert_string_equal(c->action, "event");
	assert_string_equal(c->reason, "new charges");
	assert_null(c->approved_by);
	for (i = 0; i < c->nchanges; i++) {
		if (strcmp(c->changes[i].field.path, "events[0].date") != 0)
			continue;
		assert_string_equal(c->changes[i].record, "case");
		assert_false(c->changes[i].removed);
		assert_null(c->changes[i].field.old);
		assert_string_equal(c->changes[i].field.new->str,
		    "2026-03-02");
		seen = true;
	}
	assert_true(seen);
	assert_int_equal(ct_case_log_next(log, &c, &err), 1);
	assert_string_equal(c->tool, "case-new");
	assert_null(c->reason);
	assert_int_equal(ct_case_log_next(log, &c, &err), 0);
	ct_case_log_free(log);
	free(dir);
}

static void
test_backdated_event_is_one_addition(void **state)
{
	struct fx *f = *state;
	ct_event a = event("sentence-commenced", 2026, 3, 2);
	ct_event b = event("eprd-set", 2029, 6, 30);
	ct_event c = event("stage-changed", 2026, 3, 10);
	ct_log_filter flt = { .record = "case" };
	char *newest;

	c.stage = "case-planning";
	write_case(f, "ACT-0001", NULL, NULL);
	write_case(f, "ACT-0001", &a, NULL);
	write_case(f, "ACT-0001", &b, NULL);
	write_case(f, "ACT-0001", &c, NULL);
	assert_int_equal(log_of(f, "ACT-0001", &flt, &newest), 4);
	assert_string_equal(newest,
	    "case: events[1].date: (none) -> 2026-03-10\n"
	    "case: events[1].type: (none) -> stage-changed\n"
	    "case: events[1].stage: (none) -> case-planning\n"
	    "case: stage: (none) -> case-planning\n");
	free(newest);
}

static void
test_log_filters(void **state)
{
	struct fx *f = *state;
	ct_event a = event("sentence-commenced", 2026, 3, 2);
	ct_event s = event("stage-changed", 2026, 3, 4);
	ct_log_filter field = { .field = "stage" };
	ct_log_filter list = { .field = "events" };
	ct_log_filter other = { .record = "cmp/" };
	ct_log_filter later = { .has_since = true,
	    .since = ct_date_from_ymd(2199, 1, 1) };
	ct_log_filter bad = { .record = "/" };
	ct_case_log *log;
	ct_error err = { 0 };
	char *newest, *dir = case_dir("ACT-0001");

	s.stage = "case-planning";
	write_case(f, "ACT-0001", NULL, NULL);
	write_case(f, "ACT-0001", &a, NULL);
	write_case(f, "ACT-0001", &s, NULL);
	assert_int_equal(log_of(f, "ACT-0001", NULL, NULL), 3);
	assert_int_equal(log_of(f, "ACT-0001", &field, &newest), 1);
	assert_string_equal(newest, "case: stage: (none) -> case-planning\n");
	free(newest);
	/* "events" and those below it, in every commit that has them */
	assert_int_equal(log_of(f, "ACT-0001", &list, NULL), 3);
	assert_int_equal(log_of(f, "ACT-0001", &other, NULL), 0);
	assert_int_equal(log_of(f, "ACT-0001", &later, NULL), 0);
	assert_int_equal(ct_case_log_open(f->st, dir, &bad, &log, &err),
	    CT_EINVALID);
	assert_string_equal(ct_error_msg(&err), "--record: empty record name");
	ct_error_clear(&err);
	free(dir);
}

/* What case-log prints: the commit's time at its offset, the dates its
 * changes set, and the JSON of the commit. */
static void
test_log_when_and_json(void **state)
{
	struct fx *f = *state;
	ct_event ev = event("sentence-commenced", 2026, 3, 2);
	const ct_log_commit *c;
	ct_case_log *log;
	ct_receipts *rs;
	ct_log_when w;
	ct_error err = { 0 };
	ct_node *all = ct_node_new_seq();
	char buf[32], *dir = case_dir("ACT-0001"), *json;
	size_t len;

	ct_log_time(0, -330, true, buf, sizeof(buf));
	assert_string_equal(buf, "1969-12-31T18:30:00-05:30");
	ct_log_time(86400 + 59, 600, false, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-02 10:00");
	write_case(f, "ACT-0001", NULL, NULL);
	write_case(f, "ACT-0001", &ev, "new charges");
	assert_int_equal(ct_receipts_open(f->st, NULL, &rs, &err), 0);
	assert_int_equal(ct_case_log_open(f->st, dir, NULL, &log, &err), 0);
	assert_int_equal(ct_case_log_next(log, &c, &err), 1);
	assert_int_equal(ct_log_when_of(rs, c, &w, &err), 0);
	assert_int_equal(w.ndated, 1);
	assert_int_equal(w.dated[0], ct_date_from_ymd(2026, 3, 2));
	assert_null(w.receipt);
	assert_int_equal(ct_case_log_json(all, c, &w, &err), 0);
	assert_int_equal(ct_json_emit(all, false, &json, &len, &err), 0);
	assert_non_null(strstr(json, "\"reason\":\"new charges\","
	    "\"approved_by\":null,\"dated\":[\"2026-03-02\"],"));
	assert_non_null(strstr(json, "\"received\":null,\"receipt\":null,"));
	assert_non_null(strstr(json, "{\"record\":\"case\",\"kind\":"
	    "\"field\",\"path\":\"events[0].date\",\"old\":null,"
	    "\"new\":\"2026-03-02\"}"));
	free(json);
	ct_node_free(all);
	ct_case_log_free(log);
	ct_receipts_free(rs);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, fx_teardown)
		T(test_walk_lists_only_the_directory_commits),
		T(test_walk_of_a_directory_never_written_is_empty),
		T(test_log_gives_trailers_and_structured_changes),
		T(test_backdated_event_is_one_addition),
		T(test_log_filters),
		T(test_log_when_and_json),
#undef T
	};

	return run_with_identity(tests);
}

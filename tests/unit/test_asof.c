/*
 * Tests of lib/store/asof.c, the snapshot --as-of names: a date is the store at
 * the end of that day in the store's time zone (Canberra for an ACT
 * store), so a commit made at 00:30 there on the next day -- the same
 * day in UTC -- is not in it; a revision is the commit it names, and its
 * day is the commit's day in the store's zone; a bad date, an unknown
 * revision and a day before the first commit are errors that say so.
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

#include "casetrail/asof.h"
#include "casetrail/store.h"

#include "storefx.h"

/* An empty commit on the store's main line at the UTC time when. */
static void
commit_at(struct fx *f, const char *when, const char *subject)
{
	sh("cd %s && GIT_AUTHOR_DATE=%s GIT_COMMITTER_DATE=%s git commit -q "
	    "--allow-empty -m '%s'", f->store, when, when, subject);
}

/*
 * History: the store made on 2026-03-31 (UTC); "before midnight" at
 * 2026-04-01 23:30 Canberra time (12:30 UTC, AEDT); "after midnight" at
 * 2026-04-02 00:30 Canberra (13:30 UTC), 2026-04-01 still in UTC.
 */
static int
setup(void **state)
{
	struct fx *f = fx_new();

	sh("cd %s && GIT_COMMITTER_DATE=2026-03-31T00:00:00Z git commit -q "
	    "--amend --no-edit --allow-empty", f->store);
	commit_at(f, "2026-04-01T12:30:00Z", "before midnight");
	commit_at(f, "2026-04-01T13:30:00Z", "after midnight");
	*state = f;
	return 0;
}

/* The commit id of rev in the store. */
static char *
rev_id(struct fx *f, const char *rev)
{
	return sh_out("git -C %s rev-parse %s", f->store, rev);
}

/* Open asof; its snapshot's commit id (the caller frees it) and day. */
static char *
open_asof(struct fx *f, const char *asof, ct_date *day)
{
	ct_snapshot *snap = NULL;
	ct_error err = { 0 };
	char *id;

	if (ct_asof_open(f->st, "--as-of", asof, &snap, day, &err) < 0)
		fail_msg("%s: %s", asof, ct_error_msg(&err));
	id = strdup(ct_snapshot_id(snap));
	ct_snapshot_free(snap);
	return id;
}

static void
test_a_date_is_the_end_of_that_day_in_the_store_zone(void **state)
{
	struct fx *f = *state;
	char *before = rev_id(f, "HEAD~1"), *after = rev_id(f, "HEAD");
	char *got;
	ct_date day;

	assert_string_equal(ct_store_timezone(f->st), "Australia/Canberra");
	/* in UTC both commits are of 2026-04-01; in Canberra only the
	 * first is */
	got = open_asof(f, "2026-04-01", &day);
	assert_string_equal(got, before);
	assert_int_equal(day, ct_date_from_ymd(2026, 4, 1));
	free(got);
	got = open_asof(f, "2026-04-02", &day);
	assert_string_equal(got, after);
	assert_int_equal(day, ct_date_from_ymd(2026, 4, 2));
	free(got);
	/* a day with no commit of its own: the last before it */
	got = open_asof(f, "2026-05-10", &day);
	assert_string_equal(got, after);
	assert_int_equal(day, ct_date_from_ymd(2026, 5, 10));
	free(got);
	free(before);
	free(after);
}

static void
test_a_revision_is_its_commit_on_the_commit_day(void **state)
{
	struct fx *f = *state;
	char *before = rev_id(f, "HEAD~1"), *after = rev_id(f, "HEAD");
	char *got;
	ct_date day;

	got = open_asof(f, "HEAD~1", &day);
	assert_string_equal(got, before);
	assert_int_equal(day, ct_date_from_ymd(2026, 4, 1));
	free(got);
	/* 13:30 UTC is the next day in Canberra */
	got = open_asof(f, after, &day);
	assert_string_equal(got, after);
	assert_int_equal(day, ct_date_from_ymd(2026, 4, 2));
	free(got);
	/* none: HEAD, and the day is the caller's */
	got = open_asof(f, NULL, &day);
	assert_string_equal(got, after);
	assert_int_equal(day, 0);
	free(got);
	free(before);
	free(after);
}

/* asof fails with code and exactly msg, and gives no snapshot. */
static void
refused(struct fx *f, const char *asof, int code, const char *msg)
{
	ct_snapshot *snap = (ct_snapshot *)1;
	ct_error err = { 0 };
	ct_date day;

	assert_int_equal(ct_asof_open(f->st, "--as-of", asof, &snap, &day,
	    &err), code);
	assert_null(snap);
	assert_string_equal(ct_error_msg(&err), msg);
	ct_error_clear(&err);
}

static void
test_bad_ones_are_refused_saying_why(void **state)
{
	struct fx *f = *state;

	/* of a date's shape: a date error, not an unknown revision */
	refused(f, "2026-02-30", CT_EINVALID,
	    "--as-of: invalid date '2026-02-30': expected YYYY-MM-DD");
	refused(f, "2026-13-01", CT_EINVALID,
	    "--as-of: invalid date '2026-13-01': expected YYYY-MM-DD");
	refused(f, "no-such-rev", CT_ENOTFOUND,
	    "unknown revision 'no-such-rev'");
	refused(f, "2026-4-01", CT_ENOTFOUND, "unknown revision '2026-4-01'");
	refused(f, "2026-03-30", CT_ENOTFOUND,
	    "the store has no commit on or before that date");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, fx_teardown)
		T(test_a_date_is_the_end_of_that_day_in_the_store_zone),
		T(test_a_revision_is_its_commit_on_the_commit_day),
		T(test_bad_ones_are_refused_saying_why),
#undef T
	};

	return run_with_identity(tests);
}

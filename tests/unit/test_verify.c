/*
 * Tests of lib/verify.c against real stores: a history the tools made is
 * clean; each change made by plain git that the writer would refuse is
 * reported under its rule, on its commit and path; --since walks
 * only what is new; and the pre-receive checks of one "old new ref" line
 * (ref-refused, branch-deleted, non-fast-forward).
 *
 * Each test makes a store in a fresh temporary directory, writes two
 * cases through the library as a tool does, then changes it with git.
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
#include "casetrail/store.h"
#include "casetrail/verify.h"

#include "storefx.h"

#define ZEROS "0000000000000000000000000000000000000000"

static int
change_fn(ct_txn *txn, void *arg, ct_error *err)
{
	const char *id = arg;
	ct_node *doc = NULL;
	char *path = NULL;
	int rc;

	if ((rc = ct_case_path(id, "case.yaml", &path, err)) == 0 &&
	    (rc = ct_case_new(id, CT_JUR_ACT, "sentenced", NULL,
	    ct_date_from_ymd(2026, 3, 1), &doc, err)) == 0)
		rc = ct_txn_put(txn, path, doc, err);
	ct_node_free(doc);
	free(path);
	return rc;
}

/* case-new of id, as the tool makes it (before any operator exists). */
static void
new_case(struct fx *f, const char *id)
{
	ct_commit_spec s = { .tool = "case-new", .version = "0.1.0",
	    .subject = "new case", .case_id = id, .record = "case",
	    .action = "create", .flags = CT_WRITE_BOOTSTRAP };
	ct_write_result res;
	ct_error err = { 0 };

	if (ct_store_write(f->st, &s, change_fn, (void *)id, &res, &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
	assert_true(res.changed);
	ct_write_result_clear(&res);
}

static int
setup(void **state)
{
	struct fx *f = fx_new();

	new_case(f, "ACT-0001");
	new_case(f, "ACT-0002");
	*state = f;
	return 0;
}

/* What the walk reported: "rule path" per problem, one per line. */
struct seen {
	char text[2048];
	char first_commit[41];
};

static int
collect(const ct_verify_problem *p, void *arg, ct_error *err)
{
	struct seen *s = arg;
	size_t n = strlen(s->text);

	(void)err;
	if (s->first_commit[0] == '\0')
		snprintf(s->first_commit, sizeof(s->first_commit), "%s",
		    p->commit);
	snprintf(s->text + n, sizeof(s->text) - n, "%s %s\n", p->rule,
	    p->path != NULL ? p->path : "-");
	return 0;
}

/* ct_verify over since..main (since may be NULL); returns the count. */
static size_t
verify(struct fx *f, const char *since, struct seen *s)
{
	ct_verify_opts o = { .since = since, .fn = collect, .arg = s };
	ct_error err = { 0 };
	size_t n = 0;

	memset(s, 0, sizeof(*s));
	if (ct_verify(f->st, &o, &n, &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
	return n;
}

/* The message of the last tool commit (case-new ACT-0002), naming
 * ACT-0001 instead. */
#define OTHER_CASE_MSG \
	"git log -1 --format=%%B HEAD | sed s/ACT-0002/ACT-0001/ > ../msg"

static void
test_tool_history_is_clean(void **state)
{
	struct fx *f = *state;
	struct seen s;

	assert_int_equal(verify(f, NULL, &s), 0);
	assert_string_equal(s.text, "");
}

static void
test_commit_without_trailers(void **state)
{
	struct fx *f = *state;
	struct seen s;
	char *head;

	sh("cd %s && sed -i 's/sentenced/remandee/' cases/*/ACT-0001/case.yaml"
	    " && git commit -qam 'by hand'", f->store);
	head = sh_out("git -C %s rev-parse HEAD", f->store);
	/* no Tool: trailer, and no Case: trailer naming the case changed */
	assert_int_equal(verify(f, NULL, &s), 2);
	assert_string_equal(s.text, "no-trailers -\ncase-mismatch -\n");
	assert_string_equal(s.first_commit, head);
	free(head);
}

static void
test_case_trailer_names_another_case(void **state)
{
	struct fx *f = *state;
	struct seen s;

	/* the tool's own message, naming ACT-0001, on a change of 0002 */
	sh("cd %s && " OTHER_CASE_MSG " && sed -i 's/sentenced/remandee/' "
	    "cases/*/ACT-0002/case.yaml && git commit -qa -F ../msg",
	    f->store);
	assert_int_equal(verify(f, NULL, &s), 2);
	assert_non_null(strstr(s.text, "case-mismatch"));
	assert_null(strstr(s.text, "no-trailers"));
}

static void
test_invalid_record(void **state)
{
	struct fx *f = *state;
	struct seen s;

	sh("cd %s && git log -1 --format=%%B > ../msg && "
	    "f=$(ls cases/*/ACT-0002/case.yaml) && printf 'id: [\\n' > $f && "
	    "git commit -qa -F ../msg", f->store);
	assert_int_equal(verify(f, NULL, &s), 1);
	assert_non_null(strstr(s.text, "record-invalid cases/"));
	assert_non_null(strstr(s.text, "/ACT-0002/case.yaml\n"));

}

static void
test_executable_record(void **state)
{
	struct fx *f = *state;
	struct seen s;

	sh("cd %s && git log -1 --format=%%B > ../msg && "
	    "chmod +x cases/*/ACT-0002/case.yaml && git commit -qa -F ../msg",
	    f->store);
	assert_int_equal(verify(f, NULL, &s), 1);
	assert_non_null(strstr(s.text, "bad-path cases/"));
	assert_non_null(strstr(s.text, "/ACT-0002/case.yaml\n"));
}

static void
test_since_walks_only_what_is_new(void **state)
{
	struct fx *f = *state;
	struct seen s;
	ct_verify_opts o = { .since = "no-such-revision", .fn = collect,
	    .arg = &s };
	ct_error err = { 0 };
	size_t n = 0;

	sh("cd %s && sed -i 's/sentenced/remandee/' cases/*/ACT-0001/case.yaml"
	    " && git commit -qam 'by hand'", f->store);
	new_case(f, "ACT-0003");
	/* the hand-made commit is before HEAD~1: not walked */
	assert_int_equal(verify(f, "HEAD~1", &s), 0);
	assert_int_equal(verify(f, "HEAD~2", &s), 2);
	assert_int_equal(verify(f, NULL, &s), 2);

	memset(&s, 0, sizeof(s));
	assert_int_equal(ct_verify(f->st, &o, &n, &err), CT_ENOTFOUND);
	assert_string_equal(s.text, "");
	ct_error_clear(&err);
}

/* ct_verify_push of one line; returns the count, rules in s. */
static size_t
push(struct fx *f, const char *old, const char *new, const char *ref,
    const char *const *allow, struct seen *s)
{
	ct_verify_opts o = { .fn = collect, .arg = s };
	ct_error err = { 0 };
	size_t n = 0;

	memset(s, 0, sizeof(*s));
	if (ct_verify_push(f->st, &o, old, new, ref, allow, &n, &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
	return n;
}

static void
test_push_lines(void **state)
{
	struct fx *f = *state;
	const char *allow[] = { "refs/heads/review/*", NULL };
	char *head = sh_out("git -C %s rev-parse HEAD", f->store);
	char *prev = sh_out("git -C %s rev-parse HEAD~1", f->store);
	struct seen s;

	/* main moving forward by tool commits: nothing to report */
	assert_int_equal(push(f, prev, head, "refs/heads/main", NULL, &s), 0);
	/* the whole history of a new main */
	assert_int_equal(push(f, ZEROS, head, "refs/heads/main", NULL, &s), 0);
	assert_int_equal(push(f, head, prev, "refs/heads/main", NULL, &s), 1);
	assert_string_equal(s.text, "non-fast-forward -\n");
	assert_int_equal(push(f, head, ZEROS, "refs/heads/main", NULL, &s), 1);
	assert_string_equal(s.text, "branch-deleted -\n");
	assert_int_equal(push(f, ZEROS, head, "refs/heads/other", allow, &s),
	    1);
	assert_string_equal(s.text, "ref-refused -\n");
	assert_int_equal(push(f, ZEROS, head, "refs/heads/review/x", allow,
	    &s), 0);
	free(head);
	free(prev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, fx_teardown)
		T(test_tool_history_is_clean),
		T(test_commit_without_trailers),
		T(test_case_trailer_names_another_case),
		T(test_invalid_record),
		T(test_executable_record),
		T(test_since_walks_only_what_is_new),
		T(test_push_lines),
#undef T
	};

	return run_with_identity(tests);
}

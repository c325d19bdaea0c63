/*
 * Tests of lib/audit/verify.c against real stores: a history the tools made is
 * clean; each change made by plain git that the writer would refuse is
 * reported under its rule, on its commit and path; --since walks
 * only what is new; the pre-receive checks of one "old new ref" line
 * (ref-refused, branch-deleted, non-fast-forward) and of a hook's lines;
 * the receipts held, checked after the walk; and the post-receive
 * hook's lines (ct_receipt_hook).
 *
 * Each test makes a store in a fresh temporary directory, writes two
 * cases through the library as a tool does, then changes it with git.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "shell.h"

#include "casetrail/case.h"
#include "casetrail/receipt.h"
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

/* ct_verify_pre_receive of the lines text; returns its result. */
static int
pre_receive(struct fx *f, const char *text, struct seen *s, size_t *n,
    ct_error *err)
{
	ct_verify_opts o = { .fn = collect, .arg = s };
	ct_verify_hook h = { fmemopen((void *)text, strlen(text), "r"), NULL,
	    NULL, NULL };
	int rc;

	assert_non_null(h.in);
	memset(s, 0, sizeof(*s));
	rc = ct_verify_pre_receive(f->st, &o, &h, n, err);
	fclose(h.in);
	return rc;
}

static void
test_pre_receive(void **state)
{
	struct fx *f = *state;
	char *head = sh_out("git -C %s rev-parse HEAD", f->store);
	char *prev = sh_out("git -C %s rev-parse HEAD~1", f->store);
	char text[512];
	ct_error err = { 0 };
	struct seen s;
	size_t n = 9;

	/* every line is checked, and the problems of all counted */
	snprintf(text, sizeof(text), "%s %s refs/heads/main\n"
	    "%s %s refs/heads/other\n%s %s refs/heads/main\n", prev, head,
	    ZEROS, head, head, prev);
	assert_int_equal(pre_receive(f, text, &s, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(s.text, "ref-refused -\nnon-fast-forward -\n");
	/* no line: nothing pushed, nothing to report */
	assert_int_equal(pre_receive(f, "", &s, &n, &err), 0);
	assert_int_equal(n, 0);
	/* a line that is not "old new ref" stops the hook */
	assert_int_equal(pre_receive(f, "garbage\n", &s, &n, &err),
	    CT_EINVALID);
	assert_string_equal(ct_error_msg(&err), "--pre-receive: expected "
	    "\"old new ref\" lines, not 'garbage\n'");
	ct_error_clear(&err);
	free(head);
	free(prev);
}

/* ct_verify_store: the walk, the receipts held and the checkpoints. */
static void
test_verify_store(void **state)
{
	struct fx *f = *state;
	ct_verify_result res = { 0 };
	struct seen s = { 0 };
	ct_verify_opts o = { .fn = collect, .arg = &s, .result = &res };
	ct_error err = { 0 };
	size_t n = 9;

	assert_int_equal(ct_verify_store(f->st, &o, CT_VERIFY_CHECKPOINTS, &n,
	    &err), 0);
	assert_int_equal(n, 0);
	assert_true(res.walked);
	/* a tag under refs/receipts/ that is no receipt */
	sh("cd %s && git tag -a -m 'not a receipt' nr && git update-ref "
	    "refs/receipts/20260301T000000Z-x $(git rev-parse nr) && "
	    "git tag -d nr >/dev/null", f->store);
	assert_int_equal(ct_verify_store(f->st, &o, 0, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(s.text, "receipt-bad "
	    "refs/receipts/20260301T000000Z-x\n");
	/* an unknown revision: an error, and no walk */
	o.since = "no-such-revision";
	assert_int_equal(ct_verify_store(f->st, &o, 0, &n, &err),
	    CT_ENOTFOUND);
	assert_false(res.walked);
	ct_error_clear(&err);
}

/* ct_receipt_hook of the lines text. */
static int
post_receive(struct fx *f, const char *text, char **ref, bool *read,
    ct_error *err)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	int rc;

	assert_non_null(in);
	rc = ct_receipt_hook(f->st, in, NULL, ref, read, err);
	fclose(in);
	return rc;
}

static void
test_post_receive(void **state)
{
	struct fx *f = *state;
	char *head = sh_out("git -C %s rev-parse HEAD", f->store);
	char text[256], *ref = NULL;
	ct_error err = { 0 };
	bool read = true;

	/* a line that is not "old new ref": nothing read, no receipt */
	assert_int_equal(post_receive(f, "a b\n", &ref, &read, &err),
	    CT_EINVALID);
	assert_false(read);
	assert_null(ref);
	assert_string_equal(ct_error_msg(&err), "--post-receive: expected "
	    "\"old new ref\" lines");
	ct_error_clear(&err);
	/* a push that does not move main has no receipt */
	snprintf(text, sizeof(text), "%s %s refs/heads/other\n", ZEROS, head);
	assert_int_equal(post_receive(f, text, &ref, &read, &err), 0);
	assert_true(read);
	assert_null(ref);
	/* one that does, in a store that names no signer: read, refused */
	snprintf(text, sizeof(text), "%s %s refs/heads/main\n", ZEROS, head);
	assert_int_equal(post_receive(f, text, &ref, &read, &err),
	    CT_EINVALID);
	assert_true(read);
	assert_null(ref);
	assert_non_null(strstr(ct_error_msg(&err), "names no receipts.signer"));
	ct_error_clear(&err);
	free(head);
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
		T(test_pre_receive),
		T(test_verify_store),
		T(test_post_receive),
#undef T
	};

	return run_with_identity(tests);
}

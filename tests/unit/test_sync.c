/*
 * Tests of lib/audit/sync.c on real clones of a central bare repository: each
 * state of ct_sync_merge() (up to date, ahead, fast-forward, merged,
 * conflict), the merge's parents (the remote's tip first, so
 * --first-parent is the central line) and author, ct_sync_move() moving
 * the branch and the work tree, a conflict changing nothing, and
 * CT_SYNC_SET_ASIDE keeping the commits it leaves out on a branch; and
 * the text of the conflicts (lib/audit/syncrun.c).
 *
 * Clone a is made with the library (one registered operator, the git
 * identity of HOME) and pushed to a bare "central"; clone b is a git
 * clone of central.
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
#include "casetrail/sync.h"
#include "casetrail/yaml.h"

struct fx {
	char dir[64];
	char *a, *b;
	ct_store *sa, *sb;
};

static const char operators[] =
    "operators:\n"
    "  - id: t\n    name: T\n    email: t@example.org\n"
    "    roles: [administrator, case-manager]\n    agency: djcs\n";

/* A write: the registry (id NULL), a new case, or a case's cohort. */
struct change {
	const char *id;
	const char *cohort;
};

static int
change_fn(ct_txn *txn, void *arg, ct_error *err)
{
	struct change *c = arg;
	ct_node *doc = NULL;
	char *path = NULL;
	int rc;

	if (c->id == NULL) {
		if ((rc = ct_yaml_load(operators, sizeof(operators) - 1,
		    CT_OPERATORS_PATH, &doc, err)) == 0)
			rc = ct_txn_put(txn, CT_OPERATORS_PATH, doc, err);
		ct_node_free(doc);
		return rc;
	}
	if ((rc = ct_case_path(c->id, "case.yaml", &path, err)) == 0 &&
	    (rc = ct_case_new(c->id, CT_JUR_ACT, c->cohort, NULL,
	    ct_date_from_ymd(2026, 3, 1), &doc, err)) == 0)
		rc = ct_txn_put(txn, path, doc, err);
	ct_node_free(doc);
	free(path);
	return rc;
}

static void
write(ct_store *st, const char *id, const char *cohort)
{
	ct_commit_spec s = { .tool = id ? "case-new" : "registry",
	    .version = "0.1.0", .subject = "a change", .case_id = id,
	    .record = id ? "case" : "operators", .action = "create",
	    .flags = CT_WRITE_BOOTSTRAP };
	struct change c = { id, cohort };
	ct_write_result res;
	ct_error err = { 0 };

	if (ct_store_write(st, &s, change_fn, &c, &res, &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
	assert_true(res.changed);
	ct_write_result_clear(&res);
}

static void
open_store(const char *dir, ct_store **st)
{
	ct_error err = { 0 };

	if (ct_store_open(dir, st, &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
}

static int
setup(void **state)
{
	ct_init_opts opts = { .jurisdiction = CT_JUR_ACT, .tool = "test",
	    .version = "0" };
	ct_error err = { 0 };
	struct fx *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/ct-sync-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_true(asprintf(&f->a, "%s/a", f->dir) > 0);
	assert_true(asprintf(&f->b, "%s/b", f->dir) > 0);
	if (ct_store_init(f->a, &opts, &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
	open_store(f->a, &f->sa);
	write(f->sa, NULL, NULL);
	write(f->sa, "ACT-0001", "sentenced");
	sh("cd %s && git clone -q --bare a central && "
	    "git -C a remote add origin ../central && "
	    "git -C a fetch -q origin && git clone -q central b", f->dir);
	open_store(f->b, &f->sb);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	ct_store_free(f->sa);
	ct_store_free(f->sb);
	sh("rm -rf %s", f->dir);
	free(f->a);
	free(f->b);
	free(f);
	return 0;
}

/* Push b's main to central, fetch it into a; the fetched tip (owned). */
static char *
b_to_a(struct fx *f)
{
	sh("cd %s && git -C b push -q origin main && git -C a fetch -q origin",
	    f->dir);
	return sh_out("git -C %s rev-parse origin/main", f->a);
}

static void
merge(struct fx *f, const char *tip, unsigned flags, ct_sync_result *res)
{
	ct_error err = { 0 };

	if (ct_sync_merge(f->sa, tip, flags, res, &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
}

static void
move(struct fx *f, ct_sync_result *res)
{
	ct_error err = { 0 };

	if (ct_sync_move(f->sa, res, &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
	assert_null(res->warning);
}

static void
test_up_to_date_and_ahead(void **state)
{
	struct fx *f = *state;
	char *tip = b_to_a(f);
	ct_sync_result res;

	merge(f, tip, 0, &res);
	assert_int_equal(res.state, CT_SYNC_UP_TO_DATE);
	assert_string_equal(res.tip, tip);
	ct_sync_result_clear(&res);

	write(f->sa, "ACT-0002", "sentenced");
	merge(f, tip, 0, &res);
	assert_int_equal(res.state, CT_SYNC_AHEAD);
	assert_string_equal(res.remote, tip);
	assert_string_not_equal(res.tip, tip);
	ct_sync_result_clear(&res);
	free(tip);
}

static void
test_fast_forward_moves_branch_and_work_tree(void **state)
{
	struct fx *f = *state;
	ct_sync_result res;
	char *tip, *head;

	write(f->sb, "ACT-0003", "remandee");
	tip = b_to_a(f);
	merge(f, tip, 0, &res);
	assert_int_equal(res.state, CT_SYNC_FAST_FORWARD);
	assert_string_equal(res.tip, tip);
	move(f, &res);
	head = sh_out("git -C %s rev-parse HEAD", f->a);
	assert_string_equal(head, tip);
	sh("cd %s && ls cases/*/ACT-0003/case.yaml >/dev/null && "
	    "test -z \"$(git status --porcelain)\"", f->a);
	ct_sync_result_clear(&res);
	free(head);
	free(tip);
}

static void
test_disjoint_changes_merge(void **state)
{
	struct fx *f = *state;
	ct_sync_result res;
	char *tip, *local, *parents, *author, *want;

	write(f->sa, "ACT-0002", "sentenced");
	write(f->sb, "ACT-0003", "remandee");
	tip = b_to_a(f);
	local = sh_out("git -C %s rev-parse HEAD", f->a);
	merge(f, tip, 0, &res);
	assert_int_equal(res.state, CT_SYNC_MERGED);
	assert_int_equal(res.merged, 1);
	assert_string_equal(res.local, local);
	/* only made: the branch has not moved yet */
	free(local);
	local = sh_out("git -C %s rev-parse HEAD", f->a);
	assert_string_equal(res.local, local);
	parents = sh_out("git -C %s log -1 --format=%%P %s", f->a, res.tip);
	assert_true(asprintf(&want, "%s %s", tip, local) > 0);
	assert_string_equal(parents, want);
	author = sh_out("git -C %s log -1 --format='%%ae %%ce' %s", f->a,
	    res.tip);
	assert_string_equal(author, "t@example.org t@example.org");
	move(f, &res);
	sh("cd %s && ls cases/*/ACT-0002/case.yaml cases/*/ACT-0003/case.yaml"
	    " >/dev/null && test -z \"$(git status --porcelain)\"", f->a);
	ct_sync_result_clear(&res);
	free(tip);
	free(local);
	free(parents);
	free(author);
	free(want);
}

static void
test_conflict_changes_nothing(void **state)
{
	struct fx *f = *state;
	ct_sync_result res;
	char *tip, *before, *after;

	/* both sides make ACT-0004, differently */
	write(f->sa, "ACT-0004", "sentenced");
	write(f->sb, "ACT-0004", "remandee");
	tip = b_to_a(f);
	before = sh_out("git -C %s rev-parse HEAD", f->a);
	merge(f, tip, 0, &res);
	assert_int_equal(res.state, CT_SYNC_CONFLICT);
	assert_int_equal(res.nconflicts, 1);
	assert_string_equal(res.conflicts[0].case_id, "ACT-0004");
	assert_non_null(strstr(res.conflicts[0].path, "/ACT-0004/case.yaml"));
	assert_string_equal(res.conflicts[0].local.commit, before);
	assert_string_equal(res.tip, "");
	after = sh_out("git -C %s rev-parse HEAD", f->a);
	assert_string_equal(after, before);
	ct_sync_result_clear(&res);
	free(after);

	/* set aside: the conflicting commit is left out, kept on a branch */
	merge(f, tip, CT_SYNC_SET_ASIDE, &res);
	assert_int_equal(res.nskipped, 1);
	assert_string_equal(res.skipped[0].commit, before);
	move(f, &res);
	assert_non_null(res.set_aside);
	after = sh_out("git -C %s rev-parse %s", f->a, res.set_aside);
	assert_string_equal(after, before);
	free(after);
	after = sh_out("git -C %s rev-parse HEAD", f->a);
	assert_string_equal(after, tip);
	ct_sync_result_clear(&res);
	free(after);
	free(before);
	free(tip);
}

/* The conflicts as store-sync prints them: both sides of each record,
 * data terminal-safe, then the commits set aside. */
static void
test_conflicts_text(void **state)
{
	ct_sync_conflict c = {
		.path = "cases/ab/ACT-1/case.yaml", .case_id = "ACT-1",
		.record = "case",
		.local = { "1111111111111111111111111111111111111111",
		    "Ada <ada@example.org>", "ACT-1 stage\x1b", "stage: a -> b\n" },
		.remote = { "", NULL, NULL, "removed\n" },
	};
	ct_sync_skipped sk[] = {
		{ "1111111111111111111111111111111111111111", "ACT-1 stage" },
		{ "2222222222222222222222222222222222222222", "ACT-2 new" },
	};
	ct_sync_result res = { .state = CT_SYNC_CONFLICT, .conflicts = &c,
	    .nconflicts = 1, .skipped = sk, .nskipped = 2 };
	ct_buf b = { 0 };

	(void)state;
	ct_sync_conflicts_text(&res, &b);
	assert_false(b.failed);
	assert_string_equal(b.s,
	    "conflict: case ACT-1, record case (cases/ab/ACT-1/case.yaml)\n"
	    "  local  111111111111 ACT-1 stage\\x1b (Ada <ada@example.org>)\n"
	    "    stage: a -> b\n"
	    "  remote (no single commit)\n"
	    "    removed\n"
	    "set aside: 111111111111 ACT-1 stage (conflicts)\n"
	    "set aside: 222222222222 ACT-2 new (after a conflicting commit)\n");
	ct_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_up_to_date_and_ahead),
		T(test_fast_forward_moves_branch_and_work_tree),
		T(test_disjoint_changes_merge),
		T(test_conflict_changes_nothing),
#undef T
		cmocka_unit_test(test_conflicts_text),
	};

	return run_with_identity(tests);
}

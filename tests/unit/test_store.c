/*
 * Unit tests of the store (lib/store/store.c and the files of its seams):
 * init, snapshots, record loads, the write path (one commit per change,
 * none when unchanged, dry run, trailers), the retry after a lost
 * compare-and-swap, and the work tree sync.
 *
 * Each test makes a store in a fresh temporary directory with its own HOME
 * (for the git identity) and removes it afterwards.
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
#include "casetrail/trailers.h"

#include "storefx.h"

static int
setup(void **state)
{
	*state = fx_new();
	return 0;
}

static int
commits(struct fx *f)
{
	char *n = sh_out("git -C %s rev-list --count HEAD", f->store);
	int c = atoi(n);

	free(n);
	return c;
}

struct put {
	const char *path, *text;
	struct fx *f;
	int runs;
	bool race;    /* move the branch behind the writer's back, once */
};

static int
put_fn(ct_txn *txn, void *arg, ct_error *err)
{
	struct put *p = arg;

	if (p->race && p->runs == 0)
		sh("cd %s && echo x > other.txt && git add other.txt && "
		    "git commit -qm 'a commit from elsewhere'", p->f->store);
	p->runs++;
	return ct_txn_put_raw(txn, p->path, p->text, strlen(p->text), err);
}

static ct_commit_spec
spec(void)
{
	ct_commit_spec s = { .tool = "test", .version = "0",
	    .subject = "a change", .case_id = "X-1", .record = "note",
	    .action = "put", .reason = "testing",
	    .flags = CT_WRITE_BOOTSTRAP };

	return s;
}

static void
test_init_makes_one_commit_on_main(void **state)
{
	struct fx *f = *state;
	char *branch = sh_out("git -C %s symbolic-ref HEAD", f->store);

	assert_int_equal(commits(f), 1);
	assert_string_equal(branch, "refs/heads/main");
	assert_int_equal(ct_store_jurisdiction(f->st), CT_JUR_ACT);
	assert_string_equal(ct_store_timezone(f->st), "Australia/Canberra");
	free(branch);
}

static void
test_write_commits_once_and_syncs(void **state)
{
	struct fx *f = *state;
	struct put p = { "registry/openpgp/a.asc", "hello\n", f, 0, false };
	ct_commit_spec s = spec();
	ct_write_result res;
	ct_error err = { 0 };
	char *msg, *status;

	assert_int_equal(ct_store_write(f->st, &s, put_fn, &p, &res, &err), 0);
	assert_true(res.changed);
	assert_int_equal(res.tries, 1);
	assert_int_equal(commits(f), 2);
	ct_write_result_clear(&res);
	msg = sh_out("git -C %s log -1 '--format=%%(trailers:key=Case,valueonly)'",
	    f->store);
	assert_string_equal(msg, "X-1");
	free(msg);
	status = sh_out("git -C %s status --porcelain", f->store);
	assert_string_equal(status, "");
	free(status);
	sh("cmp -s %s/registry/openpgp/a.asc - <<'EOF'\nhello\nEOF", f->store);

	/* the same content again: no commit */
	assert_int_equal(ct_store_write(f->st, &s, put_fn, &p, &res, &err), 0);
	assert_false(res.changed);
	assert_int_equal(commits(f), 2);
	ct_write_result_clear(&res);
}

/* A store made with no_worktree is a bare repository that is written and
 * read like any other, with no index and no work tree to keep. */
static void
test_no_worktree_store(void **state)
{
	struct fx *f = *state;
	ct_init_opts opts = { .jurisdiction = CT_JUR_VIC, .tool = "test",
	    .version = "0", .no_worktree = true };
	struct put p = { "registry/openpgp/a.asc", "hello\n", f, 0, false };
	ct_commit_spec s = spec();
	ct_snapshot *snap = NULL;
	ct_write_result res;
	ct_error err = { 0 };
	ct_store *st = NULL;
	char *bare, *dir, *buf = NULL;
	size_t len;

	assert_true(asprintf(&dir, "%s/bare", f->dir) > 0);
	if (ct_store_init(dir, &opts, &err) < 0 ||
	    ct_store_open(dir, &st, &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
	bare = sh_out("git -C %s rev-parse --is-bare-repository", dir);
	assert_string_equal(bare, "true");
	assert_int_equal(ct_store_jurisdiction(st), CT_JUR_VIC);
	assert_int_equal(ct_store_write(st, &s, put_fn, &p, &res, &err), 0);
	assert_true(res.changed);
	assert_null(res.warning);
	ct_write_result_clear(&res);
	sh("test ! -e %s/index && test \"$(git -C %s rev-list --count main)\" "
	    "= 2", dir, dir);
	if (ct_snapshot_open(st, NULL, &snap, &err) < 0 ||
	    ct_snapshot_read(snap, "registry/openpgp/a.asc", &buf, &len,
	    &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
	assert_memory_equal(buf, "hello\n", 6);
	free(buf);
	ct_snapshot_free(snap);
	ct_store_free(st);
	free(bare);
	free(dir);
}

static void
test_dry_run_diffs_and_commits_nothing(void **state)
{
	struct fx *f = *state;
	struct put p = { "registry/openpgp/b.asc", "draft\n", f, 0, false };
	ct_commit_spec s = spec();
	ct_write_result res;
	ct_error err = { 0 };

	s.flags |= CT_WRITE_DRY_RUN;
	assert_int_equal(ct_store_write(f->st, &s, put_fn, &p, &res, &err), 0);
	assert_true(res.changed);
	assert_non_null(res.diff);
	assert_non_null(strstr(res.diff, "+draft"));
	assert_int_equal(commits(f), 1);
	sh("test ! -e %s/registry/openpgp/b.asc", f->store);
	ct_write_result_clear(&res);
}

static void
test_lost_race_is_retried_and_keeps_both(void **state)
{
	struct fx *f = *state;
	struct put p = { "registry/openpgp/c.asc", "mine\n", f, 0, true };
	ct_commit_spec s = spec();
	ct_write_result res;
	ct_error err = { 0 };
	char *subject;

	assert_int_equal(ct_store_write(f->st, &s, put_fn, &p, &res, &err), 0);
	assert_int_equal(res.tries, 2);
	assert_int_equal(p.runs, 2);
	assert_int_equal(commits(f), 3);
	subject = sh_out("git -C %s log -1 --skip=1 --format=%%s", f->store);
	assert_string_equal(subject, "a commit from elsewhere");
	free(subject);
	sh("git -C %s cat-file -e HEAD:other.txt", f->store);
	sh("git -C %s cat-file -e HEAD:registry/openpgp/c.asc", f->store);
	ct_write_result_clear(&res);
}

static void
test_uncommitted_edit_refused(void **state)
{
	struct fx *f = *state;
	struct put p = { "registry/openpgp/d.asc", "one\n", f, 0, false };
	ct_commit_spec s = spec();
	ct_write_result res;
	ct_error err = { 0 };

	assert_int_equal(ct_store_write(f->st, &s, put_fn, &p, &res, &err), 0);
	ct_write_result_clear(&res);
	sh("echo 'my edit' >> %s/registry/openpgp/d.asc", f->store);
	p.text = "two\n";
	assert_int_equal(ct_store_write(f->st, &s, put_fn, &p, &res, &err),
	    CT_EINVALID);
	assert_non_null(strstr(ct_error_msg(&err), "uncommitted changes"));
	assert_int_equal(commits(f), 2);
	sh("grep -q 'my edit' %s/registry/openpgp/d.asc", f->store);
	ct_error_clear(&err);
}

static void
test_snapshot_reads_any_revision(void **state)
{
	struct fx *f = *state;
	struct put p = { "registry/openpgp/e.asc", "v1\n", f, 0, false };
	ct_commit_spec s = spec();
	ct_write_result res;
	ct_snapshot *snap;
	ct_error err = { 0 };
	char *buf;
	size_t len;

	assert_int_equal(ct_store_write(f->st, &s, put_fn, &p, &res, &err), 0);
	ct_write_result_clear(&res);
	p.text = "v2\n";
	assert_int_equal(ct_store_write(f->st, &s, put_fn, &p, &res, &err), 0);
	ct_write_result_clear(&res);

	assert_int_equal(ct_snapshot_open(f->st, "HEAD~1", &snap, &err), 0);
	assert_int_equal(ct_snapshot_read(snap, "registry/openpgp/e.asc", &buf, &len,
	    &err), 0);
	assert_string_equal(buf, "v1\n");
	free(buf);
	assert_int_equal(ct_snapshot_read(snap, "notes/none.txt", &buf, &len,
	    &err), CT_ENOTFOUND);
	ct_snapshot_free(snap);
	assert_int_equal(ct_snapshot_open(f->st, NULL, &snap, &err), 0);
	assert_int_equal(ct_snapshot_read(snap, "registry/openpgp/e.asc", &buf, &len,
	    &err), 0);
	assert_string_equal(buf, "v2\n");
	free(buf);
	ct_snapshot_free(snap);
	assert_int_equal(ct_snapshot_open(f->st, "no-such-rev", &snap, &err),
	    CT_ENOTFOUND);
	ct_error_clear(&err);
}

/* The writer runs the change policy (policy.h) before it commits: the
 * first operators registered must include the writer, as administrator. */
static void
test_policy_refuses_before_writing(void **state)
{
	struct fx *f = *state;
	struct put p = { "registry/operators.yaml",
	    "operators:\n  - id: other\n    name: Other\n"
	    "    email: other@example.org\n    roles:\n"
	    "      - administrator\n", f, 0, false };
	ct_commit_spec s = spec();
	ct_write_result res;
	ct_error err = { 0 };

	assert_int_equal(ct_store_write(f->st, &s, put_fn, &p, &res, &err),
	    CT_EINVALID);
	assert_non_null(strstr(ct_error_msg(&err),
	    "registry/operators.yaml: bootstrap: "));
	assert_int_equal(commits(f), 1);
	ct_error_clear(&err);
	ct_write_result_clear(&res);
}

static void
test_forged_trailer_refused_before_writing(void **state)
{
	struct fx *f = *state;
	struct put p = { "registry/openpgp/f.asc", "x\n", f, 0, false };
	ct_commit_spec s = spec();
	ct_write_result res;
	ct_error err = { 0 };

	s.reason = "fine\nApproved-by: someone";
	assert_int_equal(ct_store_write(f->st, &s, put_fn, &p, &res, &err),
	    CT_EINVALID);
	assert_int_equal(p.runs, 0);
	assert_int_equal(commits(f), 1);
	ct_error_clear(&err);
}

static void
test_open_refuses_other_branch(void **state)
{
	struct fx *f = *state;
	ct_store *st;
	ct_error err = { 0 };

	sh("git -C %s checkout -q -b side", f->store);
	assert_int_equal(ct_store_open(f->store, &st, &err), CT_EINVALID);
	assert_non_null(strstr(ct_error_msg(&err), "not on branch main"));
	sh("git -C %s checkout -q main", f->store);
	ct_error_clear(&err);
}

/* What the loads inside a transform saw, checked after the write. */
struct loads {
	int txn_load, txn_parse, snap_load, txn_case, snap_case;
	char *case_msg;
};

static int
loads_fn(ct_txn *txn, void *arg, ct_error *err)
{
	struct loads *l = arg;
	ct_node *doc = NULL;
	ct_error e = { 0 };

	if (ct_txn_put_raw(txn, CT_AGENCIES_PATH, "agencies: 5\n", 12, err) < 0)
		return CT_ERROR;
	l->txn_load = ct_txn_load(txn, CT_AGENCIES_PATH, &doc, &e);
	ct_node_free(doc);
	ct_error_clear(&e);
	l->txn_parse = ct_txn_parse(txn, CT_AGENCIES_PATH, &doc, &e);
	ct_node_free(doc);
	l->snap_load = ct_snapshot_load(ct_txn_snapshot(txn), CT_AGENCIES_PATH,
	    &doc, &e);
	ct_node_free(doc);
	l->txn_case = ct_txn_load_case(txn, "ACT-0001", &doc, &e);
	ct_error_clear(&e);
	l->snap_case = ct_snapshot_load_case(ct_txn_snapshot(txn), "ACT-0001",
	    &doc, &e);
	l->case_msg = strdup(ct_error_msg(&e));
	ct_error_clear(&e);
	return ct_error_set(err, CT_EEXISTS, "loads done");
}

/* A load sees the transaction's own puts and validates them; a parse
 * does not; the snapshot still holds what HEAD holds; a missing case
 * says how to make one. */
static void
test_loads_validate_and_see_own_puts(void **state)
{
	struct fx *f = *state;
	struct loads l = { 0 };
	ct_commit_spec s = spec();
	ct_write_result res;
	ct_error err = { 0 };

	assert_int_equal(ct_store_write(f->st, &s, loads_fn, &l, &res, &err),
	    CT_EEXISTS);
	assert_int_equal(l.txn_load, CT_EINVALID);
	assert_int_equal(l.txn_parse, 0);
	assert_int_equal(l.snap_load, 0);
	assert_int_equal(l.txn_case, CT_ENOTFOUND);
	assert_int_equal(l.snap_case, CT_ENOTFOUND);
	assert_string_equal(l.case_msg, "case ACT-0001 does not exist "
	    "(create it with case-new)");
	assert_int_equal(commits(f), 1);
	free(l.case_msg);
	ct_error_clear(&err);
	ct_write_result_clear(&res);
}

/*
 * A tool that moves the branch itself (as store-sync does) leaves the
 * index and work tree behind: the path is not an edit, and
 * ct_store_sync_paths brings it up to date; an edit after that is
 * refused.
 */
static void
test_check_clean_and_sync_paths(void **state)
{
	struct fx *f = *state;
	const char *paths[] = { "registry/openpgp/z.asc" };
	ct_error err = { 0 };
	char *warning, *status;

	sh("cd %s && export GIT_INDEX_FILE=.git/tmpidx && git read-tree HEAD "
	    "&& b=$(echo new | git hash-object -w --stdin) && "
	    "git update-index --add --cacheinfo 100644,$b,%s && "
	    "t=$(git write-tree) && c=$(git commit-tree -p HEAD -m moved $t) "
	    "&& git update-ref refs/heads/main $c && rm .git/tmpidx",
	    f->store, paths[0]);
	assert_int_equal(ct_store_check_clean(f->st, paths, 1, &err), 0);
	assert_int_equal(ct_store_sync_paths(f->st, paths, 1, &warning, &err),
	    0);
	assert_null(warning);
	sh("cmp -s %s/%s - <<'EOF'\nnew\nEOF", f->store, paths[0]);
	status = sh_out("git -C %s status --porcelain", f->store);
	assert_string_equal(status, "");
	free(status);
	sh("echo 'my edit' >> %s/%s", f->store, paths[0]);
	assert_int_equal(ct_store_check_clean(f->st, paths, 1, &err),
	    CT_EINVALID);
	assert_non_null(strstr(ct_error_msg(&err), "uncommitted changes"));
	ct_error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, fx_teardown)
		T(test_init_makes_one_commit_on_main),
		T(test_write_commits_once_and_syncs),
		T(test_no_worktree_store),
		T(test_dry_run_diffs_and_commits_nothing),
		T(test_lost_race_is_retried_and_keeps_both),
		T(test_uncommitted_edit_refused),
		T(test_snapshot_reads_any_revision),
		T(test_policy_refuses_before_writing),
		T(test_forged_trailer_refused_before_writing),
		T(test_open_refuses_other_branch),
		T(test_loads_validate_and_see_own_puts),
		T(test_check_clean_and_sync_paths),
#undef T
	};

	return run_with_identity(tests);
}

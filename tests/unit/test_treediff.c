/*
 * Tests of lib/store/treediff.c: the changed files between two commits of a
 * repository built with git are exactly what `git diff-tree -r
 * --name-status` says, for additions, deletions, modifications, nested
 * directories, a file replaced by a directory of the same name and names
 * that sort differently as files and as directories ("a.b" and "a/"), and
 * a change of mode only; and a record's blob read as YAML.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "shell.h"
#include "casetrail/buf.h"
#include "casetrail/treediff.h"

static char dir[] = "/tmp/ct-test-treediff-XXXXXX";

#define GIT "git -C %s -c user.name=T -c user.email=t@example.org "

static int
collect(const ct_tree_change *c, void *arg, ct_error *err)
{
	ct_buf *b = arg;

	(void)err;
	ct_buf_printf(b, "%c\t%s\n", c->status == GIT_DELTA_ADDED ? 'A' :
	    c->status == GIT_DELTA_DELETED ? 'D' : 'M', c->path);
	return 0;
}

/* Our diff of rev a..b as "X\tpath" lines sorted, and git's. */
static void
same_as_git(const char *a, const char *b)
{
	git_repository *repo = NULL;
	git_object *oa = NULL, *ob = NULL;
	git_tree *ta = NULL, *tb = NULL;
	ct_error err = {0};
	ct_buf got = {0};
	char *want, *p;
	FILE *f;

	assert_int_equal(git_repository_open(&repo, dir), 0);
	assert_int_equal(git_revparse_single(&oa, repo, a), 0);
	assert_int_equal(git_revparse_single(&ob, repo, b), 0);
	assert_int_equal(git_object_peel((git_object **)&ta, oa,
	    GIT_OBJECT_TREE), 0);
	assert_int_equal(git_object_peel((git_object **)&tb, ob,
	    GIT_OBJECT_TREE), 0);
	assert_int_equal(ct_tree_diff(repo, ta, tb, collect, &got, &err), 0);
	assert_true(asprintf(&p, "%s/got", dir) > 0);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(got.s != NULL ? got.s : "", f);
	fclose(f);
	sh("sort -o %s %s", p, p);
	want = sh_out("git -C %s diff-tree -r --no-renames --name-status %s %s "
	    "| sort | cmp - %s >/dev/null && echo same", dir, a, b, p);
	if (strcmp(want, "same") != 0) {
		sh("git -C %s diff-tree -r --no-renames --name-status %s %s "
		    "| sort | diff - %s >&2 || true", dir, a, b, p);
		fail_msg("%s..%s differs from git diff-tree", a, b);
	}
	free(want);
	free(p);
	ct_buf_free(&got);
	git_tree_free(ta);
	git_tree_free(tb);
	git_object_free(oa);
	git_object_free(ob);
	git_repository_free(repo);
}

static void
test_like_git_diff_tree(void **state)
{
	(void)state;
	same_as_git("c1", "c2");
	same_as_git("c2", "c1");
	same_as_git("c2", "c3");
	same_as_git("c1", "c3");
	same_as_git("c3", "c1");
	same_as_git("c1", "c1");
}

static void
test_null_sides(void **state)
{
	git_repository *repo = NULL;
	git_object *o = NULL;
	ct_error err = {0};
	ct_buf got = {0};

	(void)state;
	assert_int_equal(git_repository_open(&repo, dir), 0);
	assert_int_equal(git_revparse_single(&o, repo, "c1^{tree}"), 0);
	assert_int_equal(ct_tree_diff(repo, NULL, (git_tree *)o, collect, &got,
	    &err), 0);
	assert_non_null(strstr(got.s, "A\tcases/3f/ACT-0042/case.yaml\n"));
	ct_buf_truncate(&got, 0);
	assert_int_equal(ct_tree_diff(repo, (git_tree *)o, NULL, collect, &got,
	    &err), 0);
	assert_non_null(strstr(got.s, "D\ta.b\n"));
	ct_buf_free(&got);
	git_object_free(o);
	git_repository_free(repo);
}

/* ct_blob_yaml: a blob parsed; one that is no YAML CT_EINVALID, and a
 * blob the repository lacks CT_ERROR naming the path. */
static void
test_blob_yaml(void **state)
{
	git_repository *repo = NULL;
	git_oid good, bad, none;
	ct_error err = {0};
	ct_node *doc = NULL;

	(void)state;
	assert_int_equal(git_repository_open(&repo, dir), 0);
	assert_int_equal(git_blob_create_from_buffer(&good, repo, "id: X\n", 6),
	    0);
	assert_int_equal(git_blob_create_from_buffer(&bad, repo, "a: [\n", 5),
	    0);
	assert_int_equal(ct_blob_yaml(repo, &good, "c.yaml", &doc, &err), 0);
	assert_string_equal(ct_map_str(doc, "id"), "X");
	ct_node_free(doc);
	assert_int_equal(ct_blob_yaml(repo, &bad, "c.yaml", &doc, &err),
	    CT_EINVALID);
	assert_null(doc);
	assert_non_null(strstr(ct_error_msg(&err), "c.yaml"));
	ct_error_clear(&err);
	memset(&none, 0x42, sizeof(none));
	assert_int_equal(ct_blob_yaml(repo, &none, "d.yaml", &doc, &err),
	    CT_ERROR);
	assert_int_equal(strncmp(ct_error_msg(&err), "d.yaml: ", 8), 0);
	ct_error_clear(&err);
	git_repository_free(repo);
}

static int
setup(void **state)
{
	(void)state;
	git_libgit2_init();
	if (mkdtemp(dir) == NULL)
		return -1;
	sh("git init -q %s && cd %s && mkdir -p cases/3f/ACT-0042 cases/3f/ACT-0043 "
	    "cases/a0/VIC-1 && echo 1 > cases/3f/ACT-0042/case.yaml && "
	    "echo 2 > cases/3f/ACT-0043/case.yaml && echo 3 > cases/a0/VIC-1/csp.yaml && "
	    "echo x > a.b && echo y > a && echo z > top.yaml", dir, dir);
	sh("git -C %s add -A && " GIT "commit -q -m 1 && git -C %s tag c1", dir,
	    dir, dir);
	/* modify, delete, add in a new shard, a file replaced by a directory */
	sh("cd %s && echo 1b > cases/3f/ACT-0042/case.yaml && rm cases/a0/VIC-1/csp.yaml "
	    "&& mkdir -p cases/b1/ACT-9/cmp && echo p > cases/b1/ACT-9/cmp/custodial.yaml "
	    "&& rm a && mkdir a && echo in > a/file", dir);
	sh("git -C %s add -A && " GIT "commit -q -m 2 && git -C %s tag c2", dir,
	    dir, dir);
	/* only one nested file changes; another only its mode */
	sh("cd %s && echo 2b > cases/3f/ACT-0043/case.yaml && chmod +x top.yaml",
	    dir);
	sh("git -C %s add -A && " GIT "commit -q -m 3 && git -C %s tag c3", dir,
	    dir, dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sh("rm -rf %s", dir);
	git_libgit2_shutdown();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_like_git_diff_tree),
		cmocka_unit_test(test_null_sides),
		cmocka_unit_test(test_blob_yaml),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * Tests of lib/store/index.c: indexes written by git are read, rewritten with
 * entries changed, added and removed, and git then reads the result as
 * its own (status, ls-files, diff-files, fsck); formats left to libgit2
 * (version 4), a damaged file, a concurrent rewrite and a held lock are
 * reported as such.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "shell.h"
#include "casetrail/index.h"

static char dir[] = "/tmp/ct-test-index-XXXXXX";
static char gitdir[sizeof(dir) + 8];

#define GIT "git -C %s -c user.name=T -c user.email=t@example.org "

static void
hex_to_raw(const char *hex, unsigned char raw[CT_OID_RAWSZ])
{
	int i;

	for (i = 0; i < CT_OID_RAWSZ; i++)
		assert_int_equal(sscanf(hex + 2 * i, "%2hhx", &raw[i]), 1);
}

/* An update of path to the work-tree file's content (written to the
 * object store by git hash-object -w). */
static void
update_to_file(ct_index_update *u, const char *path)
{
	char *full, *hex;

	memset(u, 0, sizeof(*u));
	u->path = path;
	assert_true(asprintf(&full, "%s/%s", dir, path) > 0);
	hex = sh_out("git -C %s hash-object -w -- '%s'", dir, path);
	hex_to_raw(hex, u->id);
	assert_int_equal(lstat(full, &u->st), 0);
	free(hex);
	free(full);
}

static ct_index *
open_ok(void)
{
	ct_error err = {0};
	ct_index *ix = NULL;

	if (ct_index_open(gitdir, &ix, &err) != 0)
		fail_msg("%s", ct_error_msg(&err));
	return ix;
}

static void
test_find(void **state)
{
	unsigned char id[CT_OID_RAWSZ], want[CT_OID_RAWSZ];
	ct_index *ix = open_ok();
	bool conflict;
	char *hex = sh_out("git -C %s rev-parse :b/c", dir);

	(void)state;
	hex_to_raw(hex, want);
	assert_true(ct_index_find(ix, "b/c", id, &conflict));
	assert_memory_equal(id, want, CT_OID_RAWSZ);
	assert_false(conflict);
	assert_false(ct_index_find(ix, "b", id, &conflict));
	assert_false(ct_index_find(ix, "b/c/d", id, &conflict));
	assert_false(ct_index_find(ix, "zz", id, &conflict));
	assert_false(ct_index_find(ix, "", id, &conflict));
	assert_true(ct_index_find(ix, "a", id, &conflict));
	assert_true(ct_index_find(ix, "d.yaml", id, &conflict));
	ct_index_free(ix);
	free(hex);
}

static void
test_modify_is_clean_for_git(void **state)
{
	ct_error err = {0};
	ct_index_update u;
	ct_index *ix;

	(void)state;
	sh("printf 'changed\\n' > %s/b/c", dir);
	update_to_file(&u, "b/c");
	ix = open_ok();
	assert_int_equal(ct_index_write(ix, &u, 1, &err), 0);
	ct_index_free(ix);
	/* staged, and the stat data matches the file (no refresh needed) */
	sh("test \"$(git -C %s status --porcelain)\" = 'M  b/c'", dir);
	sh("git -C %s diff-files --quiet", dir);
	sh(GIT "commit -q -m 'b/c changed'", dir);
	sh("test -z \"$(git -C %s status --porcelain)\"", dir);
	sh("git -C %s fsck --no-dangling >/dev/null", dir);
}

static void
test_add_and_remove_keep_order(void **state)
{
	ct_error err = {0};
	ct_index_update u[4];
	ct_index *ix;

	(void)state;
	sh("printf 'ba\\n' > %s/b/a && printf 'z\\n' > %s/z && "
	    "printf 'aa\\n' > %s/a.a && rm %s/a", dir, dir, dir, dir);
	update_to_file(&u[0], "z");
	update_to_file(&u[1], "b/a");
	update_to_file(&u[2], "a.a");
	memset(&u[3], 0, sizeof(u[3]));
	u[3].path = "a";
	u[3].remove = true;
	ix = open_ok();
	assert_int_equal(ct_index_write(ix, u, 4, &err), 0);
	ct_index_free(ix);
	sh("test \"$(git -C %s ls-files | sed 's|^long/.*|long|' | "
	    "tr '\\n' ' ')\" = 'a.a b/a b/c d.yaml long z '", dir);
	sh("git -C %s diff-files --quiet", dir);
	sh(GIT "commit -q -m 'add and remove'", dir);
	sh("test -z \"$(git -C %s status --porcelain)\"", dir);
	sh("test \"$(git -C %s show --name-status --format= HEAD | "
	    "tr '\\t\\n' ': ')\" = 'D:a A:a.a A:b/a A:z '", dir);
	/* removing a path that has no entry changes nothing */
	memset(&u[0], 0, sizeof(u[0]));
	u[0].path = "no/such";
	u[0].remove = true;
	ix = open_ok();
	assert_int_equal(ct_index_write(ix, u, 1, &err), 0);
	ct_index_free(ix);
	sh("test -z \"$(git -C %s status --porcelain)\"", dir);
}

static void
test_long_path(void **state)
{
	ct_error err = {0};
	ct_index_update u;
	ct_index *ix;
	char *path, *hex;
	unsigned char id[CT_OID_RAWSZ];
	bool conflict;

	(void)state;
	/* a path longer than the 12-bit name length field (4095): no work
	 * tree can hold it, but an index can (git update-index --cacheinfo) */
	path = malloc(4401);
	assert_non_null(path);
	memset(path, 'p', 4400);
	path[4400] = '\0';
	path[2000] = '/';
	hex = sh_out("git -C %s rev-parse :b/c", dir);
	sh("git -C %s update-index --add --cacheinfo 100644,%s,%s", dir, hex,
	    path);
	ix = open_ok();
	assert_true(ct_index_find(ix, path, id, &conflict));
	assert_true(ct_index_find(ix, "z", id, &conflict));
	/* entries after it are found, and it is copied as it is */
	sh("printf 'after long\n' > %s/z", dir);
	update_to_file(&u, "z");
	assert_int_equal(ct_index_write(ix, &u, 1, &err), 0);
	ct_index_free(ix);
	sh("test \"$(git -C %s ls-files -s | grep -c ' 0\tpppp')\" = 1", dir);
	sh("git -C %s update-index --force-remove %s", dir, path);
	sh(GIT "commit -q -m z", dir);
	sh("test -z \"$(git -C %s status --porcelain)\"", dir);
	free(hex);
	free(path);
}

static void
test_refusals(void **state)
{
	ct_error err = {0};
	ct_index_update u;
	ct_index *ix = NULL;

	(void)state;
	/* a lock held by someone else */
	sh("printf 'locked\\n' > %s/z", dir);
	update_to_file(&u, "z");
	ix = open_ok();
	sh("touch %s/index.lock", gitdir);
	assert_int_equal(ct_index_write(ix, &u, 1, &err), CT_EEXISTS);
	sh("rm %s/index.lock", gitdir);
	/* rewritten by git since it was read */
	sh("touch -d '2001-01-01' %s/index", gitdir);
	assert_int_equal(ct_index_write(ix, &u, 1, &err), CT_ECONFLICT);
	ct_index_free(ix);
	sh("git -C %s checkout -q -- z", dir);
	/* version 4 is left to libgit2 */
	sh("git -C %s update-index --index-version 4", dir);
	assert_int_equal(ct_index_open(gitdir, &ix, &err), CT_ENOTSUP);
	assert_null(ix);
	sh("git -C %s update-index --index-version 2", dir);
	ix = open_ok();
	ct_index_free(ix);
	/* a damaged file */
	sh("cp %s/index %s/index.good && printf 'X' | dd of=%s/index bs=1 "
	    "seek=100 conv=notrunc 2>/dev/null", gitdir, gitdir, gitdir);
	assert_int_equal(ct_index_open(gitdir, &ix, &err), CT_ERROR);
	assert_non_null(strstr(ct_error_msg(&err), "checksum mismatch"));
	sh("mv %s/index.good %s/index", gitdir, gitdir);
	/* no index at all */
	sh("mv %s/index %s/index.away", gitdir, gitdir);
	assert_int_equal(ct_index_open(gitdir, &ix, &err), CT_ENOTFOUND);
	sh("mv %s/index.away %s/index", gitdir, gitdir);
	ct_error_clear(&err);
}

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(gitdir, sizeof(gitdir), "%s/.git", dir);
	sh("git init -q %s && mkdir -p %s/b && printf 'a\\n' > %s/a && "
	    "printf 'c\\n' > %s/b/c && printf 'd\\n' > %s/d.yaml", dir, dir,
	    dir, dir, dir);
	sh("mkdir -p %s/long/$(printf 'x%%.0s' $(seq 1 200)) && printf 'l\\n' "
	    "> %s/long/$(printf 'x%%.0s' $(seq 1 200))/$(printf 'y%%.0s' "
	    "$(seq 1 200))", dir, dir);
	sh("git -C %s add -A && " GIT "commit -q -m first", dir, dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sh("rm -rf %s", dir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_modify_is_clean_for_git),
		cmocka_unit_test(test_add_and_remove_keep_order),
		cmocka_unit_test(test_long_path),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

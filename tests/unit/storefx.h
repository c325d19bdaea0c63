/*
 * The fixture of the unit tests that work on a real store: a store (ACT
 * unless the test names another jurisdiction) made by ct_store_init in a
 * fresh temporary directory, opened.  Include after <cmocka.h>, "shell.h"
 * and "casetrail/store.h".
 */
#ifndef CT_TEST_STOREFX_H
#define CT_TEST_STOREFX_H

struct fx {
	char dir[64];
	char *store;     /* <dir>/store */
	ct_store *st;
};

/* A new fixture of a store of jurisdiction j (fails the test when the
 * store can not be made). */
__attribute__((unused)) static struct fx *
fx_new_in(ct_jurisdiction j)
{
	ct_init_opts opts = { .jurisdiction = j, .tool = "test",
	    .version = "0" };
	ct_error err = { 0 };
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	strcpy(f->dir, "/tmp/ct-test-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_true(asprintf(&f->store, "%s/store", f->dir) > 0);
	if (ct_store_init(f->store, &opts, &err) < 0 ||
	    ct_store_open(f->store, &f->st, &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
	return f;
}

/* A new fixture of an ACT store. */
__attribute__((unused)) static struct fx *
fx_new(void)
{
	return fx_new_in(CT_JUR_ACT);
}

/* A cmocka teardown: the store closed and its directory removed. */
__attribute__((unused)) static int
fx_teardown(void **state)
{
	struct fx *f = *state;

	ct_store_free(f->st);
	sh("rm -rf %s", f->dir);
	free(f->store);
	free(f);
	return 0;
}

#endif

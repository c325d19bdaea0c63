/*
 * Tests of lib/policy/evalcache.c: the evaluation cache (evalcache.h).
 *
 * Findings made by hand against the built-in rules are put for a case
 * directory and a tree id, written, and read back by a new cache: every
 * field survives, days are counted from the day of the reading, a day
 * outside the entry's span or another run key finds nothing, and a file
 * that is damaged, truncated or garbage is not trusted and not fatal.  A
 * directory that can not be written is not written, silently.
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

#include "casetrail/embedded.h"
#include "casetrail/evalcache.h"
#include "shell.h"

#define DIR1 "cases/3f/ACT-0042"
#define TREE1 "0123456789abcdef0123456789abcdef01234567"
#define TREE2 "89abcdef0123456789abcdef0123456789abcdef"
#define KEY "rules 1 calendar-act none calendar-vic none settings 2"

struct fx {
	char dir[64];
	char *cache;          /* <dir>/cache */
	ct_rules *rules;
};

static ct_date
day(const char *s)
{
	ct_date d = 0;

	assert_int_equal(ct_date_parse(s, &d, NULL), 0);
	return d;
}

static int
setup(void **state)
{
	const struct ct_embedded_file *f = ct_embedded_find("deadlines.yaml");
	struct fx *x = calloc(1, sizeof(*x));
	ct_error err = { 0 };
	ct_node *doc = NULL;

	assert_non_null(x);
	assert_non_null(f);
	snprintf(x->dir, sizeof(x->dir), "/tmp/ct-evalcache-XXXXXX");
	assert_non_null(mkdtemp(x->dir));
	assert_true(asprintf(&x->cache, "%s/cache", x->dir) > 0);
	assert_int_equal(ct_yaml_load(f->text, strlen(f->text),
	    "deadlines.yaml", &doc, &err), 0);
	assert_int_equal(ct_rules_load(doc, "deadlines.yaml", &x->rules,
	    &err), 0);
	ct_node_free(doc);
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *x = *state;

	sh("rm -rf '%s'", x->dir);
	free(x->cache);
	ct_rules_free(x->rules);
	free(x);
	return 0;
}

/* Two findings of the case: one deferred with a key, one met. */
static void
findings(const struct fx *x, ct_finding f[2])
{
	f[0] = (ct_finding){ .case_id = "ACT-0042",
	    .rule = ct_rules_get(x->rules, 1),
	    .anchor_what = "sdu request dffh", .anchor = day("2026-01-05"),
	    .due = day("2026-01-19"), .status = CT_STATUS_DEFERRED,
	    .explain = "sdu request dffh 2026-01-05 + 10 business days",
	    .key = "r3", .exception = "defer",
	    .exception_reason = "waiting for the report",
	    .exception_by = "tl1", .exception_until = day("2026-02-01") };
	f[1] = (ct_finding){ .case_id = "ACT-0042",
	    .rule = ct_rules_get(x->rules, 0), .anchor_what = "reception",
	    .anchor = day("2025-12-01"), .due = day("2025-12-15"),
	    .status = CT_STATUS_MET, .met_known = true,
	    .met_on = day("2025-12-10"),
	    .explain = "reception 2025-12-01 + 14 days = 2025-12-15" };
}

static ct_span
span(const char *from, const char *until)
{
	ct_span s = { day(from), day(until) };

	return s;
}

/* Put the two findings for DIR1 at TREE1, in a cache of key, written. */
static void
put_two(const struct fx *x, const char *key, ct_span s)
{
	ct_evalcache *c = NULL;
	ct_error err = { 0 };
	ct_finding f[2];

	findings(x, f);
	assert_int_equal(ct_evalcache_open(x->cache, key, &c, &err), 0);
	assert_int_equal(ct_evalcache_put(c, DIR1, TREE1, x->rules, f, 2, s,
	    &err), 0);
	ct_evalcache_free(c);
}

/* ct_evalcache_get of DIR1 at tree on today, in a new cache of key. */
static int
get(const struct fx *x, const char *key, const char *tree, const char *today,
    ct_findings *out)
{
	ct_evalcache *c = NULL;
	ct_error err = { 0 };
	int rc;

	assert_int_equal(ct_evalcache_open(x->cache, key, &c, &err), 0);
	rc = ct_evalcache_get(c, DIR1, tree, x->rules, day(today), out, &err);
	ct_error_clear(&err);
	ct_evalcache_free(c);
	return rc;
}

static void
test_round_trip(void **state)
{
	struct fx *x = *state;
	ct_findings out = { 0 };
	ct_finding f[2];
	size_t i;

	findings(x, f);
	put_two(x, KEY, span("2026-01-10", "2026-02-02"));
	assert_int_equal(get(x, KEY, TREE1, "2026-01-20", &out), 0);
	assert_int_equal(out.n, 2);
	for (i = 0; i < 2; i++) {
		assert_string_equal(out.v[i].case_id, "ACT-0042");
		assert_ptr_equal(out.v[i].rule, f[i].rule);
		assert_string_equal(out.v[i].anchor_what, f[i].anchor_what);
		assert_int_equal(out.v[i].anchor, f[i].anchor);
		assert_int_equal(out.v[i].due, f[i].due);
		assert_int_equal(out.v[i].status, f[i].status);
		assert_int_equal(out.v[i].met_known, f[i].met_known);
		assert_int_equal(out.v[i].met_on, f[i].met_on);
		assert_string_equal(out.v[i].explain, f[i].explain);
		assert_int_equal(out.v[i].exception_until,
		    f[i].exception_until);
		/* days from the day of the reading */
		assert_int_equal(out.v[i].days, f[i].due - day("2026-01-20"));
	}
	assert_string_equal(out.v[0].key, "r3");
	assert_string_equal(out.v[0].exception, "defer");
	assert_string_equal(out.v[0].exception_reason,
	    "waiting for the report");
	assert_string_equal(out.v[0].exception_by, "tl1");
	assert_null(out.v[1].key);
	assert_null(out.v[1].exception);
	assert_null(out.v[1].exception_reason);
	ct_findings_clear(&out);
}

static void
test_span(void **state)
{
	struct fx *x = *state;
	ct_findings out = { 0 };

	put_two(x, KEY, span("2026-01-10", "2026-02-02"));
	assert_int_equal(get(x, KEY, TREE1, "2026-01-10", &out), 0);
	ct_findings_clear(&out);
	assert_int_equal(get(x, KEY, TREE1, "2026-02-01", &out), 0);
	ct_findings_clear(&out);
	assert_int_equal(get(x, KEY, TREE1, "2026-01-09", &out),
	    CT_ENOTFOUND);
	assert_int_equal(get(x, KEY, TREE1, "2026-02-02", &out),
	    CT_ENOTFOUND);
	assert_int_equal(out.n, 0);
}

static void
test_keys(void **state)
{
	struct fx *x = *state;
	ct_findings out = { 0 };

	put_two(x, KEY, span("2026-01-10", "2026-02-02"));
	assert_int_equal(get(x, KEY, TREE2, "2026-01-20", &out),
	    CT_ENOTFOUND);
	assert_int_equal(get(x, KEY " changed", TREE1, "2026-01-20", &out),
	    CT_ENOTFOUND);
	assert_int_equal(out.n, 0);
}

/* Damage the shard's file with a shell command; nothing is found, and the
 * next write replaces the file with a good one. */
static void
damaged(struct fx *x, const char *cmd)
{
	ct_findings out = { 0 };
	char *files;

	put_two(x, KEY, span("2026-01-10", "2026-02-02"));
	sh("cd '%s' && %s", x->cache, cmd);
	assert_int_equal(get(x, KEY, TREE1, "2026-01-20", &out),
	    CT_ENOTFOUND);
	assert_int_equal(out.n, 0);
	put_two(x, KEY, span("2026-01-10", "2026-02-02"));
	assert_int_equal(get(x, KEY, TREE1, "2026-01-20", &out), 0);
	ct_findings_clear(&out);
	/* no temporary file left behind */
	files = sh_out("ls -A '%s' | tr '\\n' ' '", x->cache);
	assert_string_equal(files, "3f ");
	free(files);
}

static void
test_corrupt(void **state)
{
	/* a byte of the findings changed */
	damaged(*state, "printf 'X' | dd of=3f bs=1 seek=150 conv=notrunc "
	    "2>/dev/null");
}

static void
test_truncated(void **state)
{
	damaged(*state, "truncate -s 100 3f");
}

static void
test_garbage(void **state)
{
	damaged(*state, "head -c 4096 /dev/urandom >3f");
}

static void
test_empty_and_other_version(void **state)
{
	damaged(*state, ": >3f");
	damaged(*state, "printf 'CTEVC999' | dd of=3f bs=1 conv=notrunc "
	    "2>/dev/null");
}

static void
test_unwritable(void **state)
{
	struct fx *x = *state;
	ct_findings out = { 0 };

	/* a file where the directory should be: even root can not write */
	free(x->cache);
	assert_true(asprintf(&x->cache, "%s/file/cache", x->dir) > 0);
	sh("touch '%s/file'", x->dir);
	put_two(x, KEY, span("2026-01-10", "2026-02-02"));
	assert_int_equal(get(x, KEY, TREE1, "2026-01-20", &out),
	    CT_ENOTFOUND);
}

/* An entry no run uses falls out after some writes of its shard; one
 * that runs keep using stays. */
static void
test_eviction(void **state)
{
	struct fx *x = *state;
	ct_findings out = { 0 };
	ct_evalcache *c = NULL;
	ct_error err = { 0 };
	ct_finding f[2];
	char tree[CT_OID_HEXSZ + 1];
	int i;

	findings(x, f);
	put_two(x, KEY, span("2026-01-10", "2026-02-02"));
	for (i = 0; i < 12; i++) {
		snprintf(tree, sizeof(tree), "%040d", i);
		assert_int_equal(ct_evalcache_open(x->cache, KEY, &c, &err),
		    0);
		if (i % 2 == 0)
			assert_int_equal(ct_evalcache_get(c, DIR1, TREE2,
			    x->rules, day("2026-01-20"), &out, &err),
			    i == 0 ? CT_ENOTFOUND : 0);
		ct_error_clear(&err);
		ct_findings_clear(&out);
		if (i == 0)
			assert_int_equal(ct_evalcache_put(c, DIR1, TREE2,
			    x->rules, f, 2, span("2026-01-10", "2026-02-02"),
			    &err), 0);
		assert_int_equal(ct_evalcache_put(c, DIR1, tree, x->rules, f,
		    1, span("2026-01-10", "2026-02-02"), &err), 0);
		ct_evalcache_free(c);
	}
	assert_int_equal(get(x, KEY, TREE1, "2026-01-20", &out),
	    CT_ENOTFOUND);
	assert_int_equal(get(x, KEY, TREE2, "2026-01-20", &out), 0);
	ct_findings_clear(&out);
}

/* The list of a shard's directories: read back for its tree id only,
 * kept when the shard is written for findings, and with the findings. */
static void
test_shard_list(void **state)
{
	struct fx *x = *state;
	ct_evalcache_dir put[2] = { { "ACT-0042", TREE1 },
	    { "ACT-0099", TREE2 } }, *got = NULL;
	ct_evalcache *c = NULL;
	ct_error err = { 0 };
	size_t n = 0;

	assert_int_equal(ct_evalcache_open(x->cache, KEY, &c, &err), 0);
	assert_int_equal(ct_evalcache_put_shard(c, "3f", TREE2, put, 2, &err),
	    0);
	ct_evalcache_free(c);
	assert_int_equal(ct_evalcache_open(x->cache, "another key", &c, &err),
	    0);
	assert_int_equal(ct_evalcache_shard(c, "3f", TREE2, &got, &n, &err),
	    0);
	assert_int_equal(n, 2);
	assert_string_equal(got[0].name, "ACT-0042");
	assert_string_equal(got[0].tree, TREE1);
	assert_string_equal(got[1].name, "ACT-0099");
	assert_string_equal(got[1].tree, TREE2);
	free(got);
	assert_int_equal(ct_evalcache_shard(c, "3f", TREE1, &got, &n, &err),
	    CT_ENOTFOUND);
	ct_error_clear(&err);
	assert_int_equal(ct_evalcache_shard(c, "40", TREE2, &got, &n, &err),
	    CT_ENOTFOUND);
	ct_error_clear(&err);
	ct_evalcache_free(c);
	/* a write for findings keeps the list */
	put_two(x, KEY, span("2026-01-10", "2026-02-02"));
	assert_int_equal(ct_evalcache_open(x->cache, KEY, &c, &err), 0);
	assert_int_equal(ct_evalcache_shard(c, "3f", TREE2, &got, &n, &err),
	    0);
	assert_int_equal(n, 2);
	free(got);
	ct_evalcache_free(c);
	/* damaged: no list, no findings */
	sh("printf x | dd of='%s/3f' bs=1 seek=30 conv=notrunc 2>/dev/null",
	    x->cache);
	assert_int_equal(ct_evalcache_open(x->cache, KEY, &c, &err), 0);
	assert_int_equal(ct_evalcache_shard(c, "3f", TREE2, &got, &n, &err),
	    CT_ENOTFOUND);
	ct_error_clear(&err);
	ct_evalcache_free(c);
}

static bool
only_met(const ct_finding *f, void *arg)
{
	(void)arg;
	assert_null(f->case_id);     /* no string copied yet */
	assert_null(f->explain);
	return f->status == CT_STATUS_MET;
}

/* A filter sees each finding before its strings are copied. */
static void
test_filter(void **state)
{
	struct fx *x = *state;
	ct_findings out = { 0 };
	ct_evalcache *c = NULL;
	ct_error err = { 0 };

	put_two(x, KEY, span("2026-01-10", "2026-02-02"));
	assert_int_equal(ct_evalcache_open(x->cache, KEY, &c, &err), 0);
	assert_int_equal(ct_evalcache_get_kept(c, DIR1, TREE1, x->rules,
	    day("2026-01-20"), only_met, NULL, &out, &err), 0);
	assert_int_equal(out.n, 1);
	assert_int_equal(out.v[0].status, CT_STATUS_MET);
	assert_string_equal(out.v[0].case_id, "ACT-0042");
	assert_string_equal(out.v[0].explain,
	    "reception 2025-12-01 + 14 days = 2025-12-15");
	assert_true(out.v[0].packed);
	ct_findings_clear(&out);
	ct_evalcache_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_span, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_other_version,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_eviction, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_shard_list, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_filter, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

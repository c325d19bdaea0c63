/*
 * Tests of the bundle checker (lib/audit/bundle.c) on a bundle of an unsigned
 * store, CT_FIXTURES/bundle/VIC-0007.bundle (made by case-bundle
 * --recipient: three commits, a checkpoint, the register entry): it is
 * valid; one byte changed in any object is a problem named by the object;
 * a header or an object cut short, a wrong directory, an unknown line are
 * errors, not problems; a commit line that gives the wrong directory
 * before it is a history gap.  Inputs fuzz-bundle found are kept beside
 * it.  And the file around it: a bundle read from its file and the keys
 * from theirs, a problem's line, a bundle written whole or not at all.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "casetrail/bundle.h"

#define FIXTURE CT_FIXTURES "/bundle/VIC-0007.bundle"

static char *bundle;
static size_t bundle_len;

struct seen {
	size_t n;
	char rules[512];
};

static int
note(const char *id, const char *rule, const char *what, void *arg,
    ct_error *err)
{
	struct seen *s = arg;

	(void)id;
	(void)what;
	(void)err;
	s->n++;
	if (strlen(s->rules) + strlen(rule) + 2 < sizeof(s->rules)) {
		strcat(s->rules, rule);
		strcat(s->rules, " ");
	}
	return 0;
}

/* Check data; its return code, the problems in *s, the text in *out. */
static int
check(const char *data, size_t len, struct seen *s, ct_buf *out,
    ct_error *err)
{
	ct_bundle_opts o = { .tmpdir = "/tmp" };
	size_t problems;
	int rc;

	memset(s, 0, sizeof(*s));
	rc = ct_bundle_verify(data, len, &o, note, s, out, &problems, err);
	assert_int_equal(problems, s->n);
	return rc;
}

static int
setup(void **state)
{
	FILE *f = fopen(FIXTURE, "rb");
	long n;

	(void)state;
	if (f == NULL || fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) <= 0)
		return -1;
	rewind(f);
	bundle_len = (size_t)n;
	if ((bundle = malloc(bundle_len)) == NULL ||
	    fread(bundle, 1, bundle_len, f) != bundle_len)
		return -1;
	fclose(f);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(bundle);
	return 0;
}

static void
test_valid(void **state)
{
	struct seen s;
	ct_buf out = { 0 };
	ct_error err = { 0 };

	(void)state;
	assert_int_equal(check(bundle, bundle_len, &s, &out, &err), 0);
	assert_int_equal(s.n, 0);
	assert_non_null(strstr(out.s, "case VIC-0007 (cases/52/VIC-0007): "
	    "3 commits, 1 checkpoint, 23 objects\n"));
	assert_non_null(strstr(out.s, "case-event: VIC-0007 order-made"));
	assert_non_null(strstr(out.s, "disclosed to djcs (Justice and "
	    "Community Safety) for csp by ada"));
	assert_non_null(strstr(out.s, "3 commits are the store's word"));
	ct_buf_free(&out);
}

/* Every byte of every object: changed, it is a problem, never an error
 * and never unnoticed. */
static void
test_every_object_byte(void **state)
{
	char *copy = malloc(bundle_len), *p;
	size_t off, tried = 0;

	(void)state;
	assert_non_null(copy);
	p = strstr(bundle, "\nobjects ");
	assert_non_null(p);
	p = strchr(p + 1, '\n') + 1;
	/* a byte in the middle of each object's content */
	while (strncmp(p, "end\n", 4) != 0) {
		char type[16], hex[41];
		size_t size;
		struct seen s;
		ct_buf out = { 0 };
		ct_error err = { 0 };
		char *body = strchr(p, '\n') + 1;

		assert_int_equal(sscanf(p, "%15s %40s %zu", type, hex, &size),
		    3);
		off = (size_t)(body - bundle) + size / 2;
		memcpy(copy, bundle, bundle_len);
		copy[off] ^= 0x01;
		if (check(copy, bundle_len, &s, &out, &err) != 0)
			fail_msg("%s %s: %s", type, hex, ct_error_msg(&err));
		assert_true(s.n > 0);
		assert_non_null(strstr(s.rules, "object-changed"));
		ct_buf_free(&out);
		p = body + size + 1;
		tried++;
	}
	assert_int_equal(tried, 23);
	free(copy);
}

static void
test_cut_short(void **state)
{
	size_t cut;

	(void)state;
	for (cut = 0; cut < bundle_len; cut += 97) {
		struct seen s;
		ct_buf out = { 0 };
		ct_error err = { 0 };

		assert_int_equal(check(bundle, cut, &s, &out, &err),
		    CT_EINVALID);
		assert_non_null(strstr(ct_error_msg(&err),
		    "not a casetrail bundle"));
		ct_error_clear(&err);
		ct_buf_free(&out);
	}
}

/* Replace the first occurrence of from by to in the bundle; check it. */
static int
edited(const char *from, const char *to, struct seen *s, ct_error *err)
{
	char *p = memmem(bundle, bundle_len, from, strlen(from)), *copy;
	size_t len = bundle_len - strlen(from) + strlen(to), at;
	ct_buf out = { 0 };
	int rc;

	assert_non_null(p);
	at = (size_t)(p - bundle);
	assert_non_null(copy = malloc(len));
	memcpy(copy, bundle, at);
	memcpy(copy + at, to, strlen(to));
	memcpy(copy + at + strlen(to), p + strlen(from),
	    bundle_len - at - strlen(from));
	rc = check(copy, len, s, &out, err);
	ct_buf_free(&out);
	free(copy);
	return rc;
}

static void
test_header(void **state)
{
	struct seen s;
	ct_error err = { 0 };

	(void)state;
	assert_int_equal(edited("casetrail-bundle 1\n", "casetrail-bundle 2\n",
	    &s, &err), CT_EINVALID);
	ct_error_clear(&err);
	assert_int_equal(edited("dir cases/52/", "dir cases/53/", &s, &err),
	    CT_EINVALID);
	assert_non_null(strstr(ct_error_msg(&err), "not the case's"));
	ct_error_clear(&err);
	assert_int_equal(edited("case VIC-0007\n", "case ../x\n", &s, &err),
	    CT_EINVALID);
	ct_error_clear(&err);
	assert_int_equal(edited("\nobjects ", "\nextra line\nobjects ", &s,
	    &err), CT_EINVALID);
	assert_non_null(strstr(ct_error_msg(&err), "unknown header line"));
	ct_error_clear(&err);
}

/* The first commit said to have had a directory before it: the case's
 * earlier commits are missing. */
static void
test_history_gap(void **state)
{
	const char *line = strstr(bundle, "\ncommit ");
	char from[128], to[128], id[41];
	struct seen s;
	ct_error err = { 0 };

	(void)state;
	assert_int_equal(sscanf(line + 1, "commit %40s -", id), 1);
	snprintf(from, sizeof(from), "commit %s -\n", id);
	snprintf(to, sizeof(to), "commit %s %s\n", id, id);
	assert_int_equal(edited(from, to, &s, &err), 0);
	assert_non_null(strstr(s.rules, "history-gap"));
	/* the register entry names the list as it was */
	assert_non_null(strstr(s.rules, "bundle-incomplete"));
}

/* Found by fuzz-bundle: the newest commit's root tree changed, so the
 * checkpoints' keys are read from an older commit (the lookup of the
 * newest leaked it). */
static void
test_root_tree_missing(void **state)
{
	FILE *f = fopen(CT_FIXTURES "/bundle/root-tree-missing.bundle", "rb");
	char buf[8192];
	size_t n;
	struct seen s;
	ct_buf out = { 0 };
	ct_error err = { 0 };

	(void)state;
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(check(buf, n, &s, &out, &err), 0);
	assert_non_null(strstr(s.rules, "object-changed"));
	assert_non_null(strstr(s.rules, "object-missing"));
	ct_buf_free(&out);
}

/* ct_bundle_verify_file: the fixture from its file is valid; a file
 * that is not there, or trusted keys that are not, name that file. */
static void
test_verify_file(void **state)
{
	ct_buf out = { 0 };
	ct_error err = { 0 };
	size_t problems = 9;

	(void)state;
	assert_int_equal(ct_bundle_verify_file(FIXTURE, NULL, "/tmp", &out,
	    &problems, &err), 0);
	assert_int_equal(problems, 0);
	assert_non_null(strstr(out.s, "3 commits, 1 checkpoint, 23 objects"));
	ct_buf_free(&out);
	assert_int_equal(ct_bundle_verify_file("/nonexistent/b", NULL, "/tmp",
	    &out, &problems, &err), CT_ERROR);
	assert_string_equal(ct_error_msg(&err), "/nonexistent/b: No such file "
	    "or directory");
	ct_error_clear(&err);
	assert_int_equal(ct_bundle_verify_file(FIXTURE, "/nonexistent/k",
	    "/tmp", &out, &problems, &err), CT_ERROR);
	assert_string_equal(ct_error_msg(&err), "/nonexistent/k: No such file "
	    "or directory");
	ct_error_clear(&err);
	assert_null(out.s);
}

/* An error of the bundle itself is prefixed with the file's name, the
 * history found before it kept in out. */
static void
test_verify_file_error(void **state)
{
	char path[] = "/tmp/ct-bundle-XXXXXX";
	ct_buf out = { 0 };
	ct_error err = { 0 };
	size_t problems;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "casetrail-bundle 2\n", 19), 19);
	close(fd);
	assert_int_equal(ct_bundle_verify_file(path, NULL, "/tmp", &out,
	    &problems, &err), CT_EINVALID);
	assert_int_equal(strncmp(ct_error_msg(&err), path, strlen(path)), 0);
	assert_int_equal(ct_error_msg(&err)[strlen(path)], ':');
	ct_error_clear(&err);
	ct_buf_free(&out);
	unlink(path);
}

/* ct_bundle_problem_text: store-verify's line, the text terminal-safe. */
static void
test_problem_text(void **state)
{
	ct_buf b = { 0 };
	ct_error err = { 0 };

	(void)state;
	assert_int_equal(ct_bundle_problem_text("0123456789abcdef0123", "blob",
	    "id does not match\033[2J", &b, &err), 0);
	assert_int_equal(ct_bundle_problem_text(NULL, "history", "a gap", &b,
	    &err), 0);
	assert_string_equal(b.s, "0123456789ab blob: id does not match"
	    "\\x1b[2J\n- history: a gap\n");
	ct_buf_free(&b);
}

/* ct_bundle_write: the temporary file renamed into place, whole. */
static void
test_write(void **state)
{
	char dir[] = "/tmp/ct-bundle-XXXXXX", tmp[64], file[64], got[16];
	ct_buf b = { 0 };
	ct_error err = { 0 };
	FILE *f;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(tmp, sizeof(tmp), "%s/b.tmp", dir);
	snprintf(file, sizeof(file), "%s/b", dir);
	ct_buf_puts(&b, "casetrail\n");
	assert_true((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600)) >= 0);
	assert_int_equal(ct_bundle_write(fd, tmp, file, &b, &err), 0);
	assert_int_equal(access(tmp, F_OK), -1);
	assert_non_null(f = fopen(file, "r"));
	assert_non_null(fgets(got, sizeof(got), f));
	assert_string_equal(got, "casetrail\n");
	fclose(f);
	/* a rename that fails names the bundle */
	snprintf(file, sizeof(file), "%s/no/b", dir);
	assert_true((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600)) >= 0);
	assert_int_equal(ct_bundle_write(fd, tmp, file, &b, &err), CT_ERROR);
	assert_non_null(strstr(ct_error_msg(&err), "/no/b: No such file"));
	ct_error_clear(&err);
	ct_buf_free(&b);
	unlink(tmp);
	snprintf(file, sizeof(file), "%s/b", dir);
	unlink(file);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_every_object_byte),
		cmocka_unit_test(test_cut_short),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_history_gap),
		cmocka_unit_test(test_root_tree_missing),
		cmocka_unit_test(test_verify_file),
		cmocka_unit_test(test_verify_file_error),
		cmocka_unit_test(test_problem_text),
		cmocka_unit_test(test_write),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

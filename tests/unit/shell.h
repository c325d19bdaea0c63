/*
 * Shell helpers for the unit tests that drive git alongside the library:
 * run a command (the test fails when it fails) or read the first line of
 * its output.  Include after <cmocka.h>.
 */
#ifndef CT_TEST_SHELL_H
#define CT_TEST_SHELL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
sh(const char *fmt, ...)
{
	va_list ap;
	char *cmd;

	va_start(ap, fmt);
	assert_true(vasprintf(&cmd, fmt, ap) > 0);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* The first line of a shell command's output (owned by the caller). */
__attribute__((unused)) static char *
sh_out(const char *fmt, ...)
{
	va_list ap;
	char *cmd, line[256] = "";
	FILE *p;

	va_start(ap, fmt);
	assert_true(vasprintf(&cmd, fmt, ap) > 0);
	va_end(ap);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (fgets(line, sizeof(line), p) != NULL)
		line[strcspn(line, "\n")] = '\0';
	pclose(p);
	free(cmd);
	return strdup(line);
}

/*
 * Run a group of tests with HOME a fresh directory whose .gitconfig
 * gives the identity "T <t@example.org>" (libgit2 reads HOME once, so one
 * identity serves every test of the group) and no GIT_DIR or
 * GIT_WORK_TREE from the caller; the directory is removed after.
 */
#define run_with_identity(tests) \
	with_identity(#tests, (tests), sizeof(tests) / sizeof((tests)[0]))

__attribute__((unused)) static int
with_identity(const char *name, const struct CMUnitTest *tests, size_t n)
{
	char home[] = "/tmp/ct-home-XXXXXX";
	int rc;

	if (mkdtemp(home) == NULL)
		return 1;
	sh("printf '[user]\\n\\tname = T\\n\\temail = t@example.org\\n' "
	    "> %s/.gitconfig", home);
	setenv("HOME", home, 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	rc = _cmocka_run_group_tests(name, tests, n, NULL, NULL);
	sh("rm -rf %s", home);
	return rc;
}

#endif

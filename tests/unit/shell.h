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

#endif

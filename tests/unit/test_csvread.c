/*
 * CSV input (csvread.h): RFC 4180 cells, lines, and the errors' lines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "casetrail/csvread.h"

static void
parse_ok(const char *text, ct_csv *c)
{
	ct_error err = { 0 };

	if (ct_csv_parse(text, strlen(text), "t.csv", c, &err) != 0)
		fail_msg("%s", ct_error_msg(&err));
}

static void
test_cells_and_lines(void **state)
{
	ct_csv c;

	(void)state;
	parse_ok("\xef\xbb\xbfid,note\r\nA-1,\"a, b\"\r\nA-2,\"say \"\"hi\"\"\"\r\n"
	    "A-3,\"two\nlines\"\nA-4,", &c);
	assert_int_equal(c.n, 5);
	assert_string_equal(c.rows[0].cells[0], "id");
	assert_string_equal(c.rows[1].cells[1], "a, b");
	assert_int_equal(c.rows[1].line, 2);
	assert_string_equal(c.rows[2].cells[1], "say \"hi\"");
	assert_string_equal(c.rows[3].cells[1], "two\nlines");
	assert_int_equal(c.rows[3].line, 4);
	/* the row after a quoted line break begins two lines on */
	assert_int_equal(c.rows[4].line, 6);
	assert_int_equal(c.rows[4].n, 2);
	assert_string_equal(c.rows[4].cells[1], "");
	ct_csv_clear(&c);
}

static void
test_empty_cells(void **state)
{
	ct_csv c;

	(void)state;
	parse_ok(",,\n", &c);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.rows[0].n, 3);
	ct_csv_clear(&c);
	parse_ok("", &c);
	assert_int_equal(c.n, 0);
	ct_csv_clear(&c);
}

static void
refused(const char *text, size_t len, const char *want)
{
	ct_csv c;
	ct_error err = { 0 };

	assert_int_equal(ct_csv_parse(text, len, "t.csv", &c, &err),
	    CT_EINVALID);
	assert_non_null(strstr(ct_error_msg(&err), want));
	ct_error_clear(&err);
}

static void
test_errors(void **state)
{
	(void)state;
	refused("a\n\"b\n", 5, "t.csv:2: a quoted cell is not closed");
	refused("a\nb\"c\n", 6, "t.csv:2: a quote inside an unquoted cell");
	refused("a\n\x01\n", 4, "t.csv:2: a control character");
	refused("a\xff\n", 3, "not UTF-8");
	refused("a\0b\n", 4, "a NUL byte");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cells_and_lines),
		cmocka_unit_test(test_empty_cells),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

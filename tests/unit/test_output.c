/*
 * Unit tests of lib/output.c: CSV cells and iCalendar text and folding.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "casetrail/output.h"

static char *
cell(ct_buf *b, const char *s)
{
	b->len = 0;
	ct_csv_cell(b, s);
	return b->s;
}

static void
test_csv_plain_and_quoted(void **state)
{
	ct_buf b = { 0 };

	(void)state;
	assert_string_equal(cell(&b, "ACT-0042"), "ACT-0042");
	assert_string_equal(cell(&b, ""), "");
	assert_string_equal(cell(&b, "a,b"), "\"a,b\"");
	assert_string_equal(cell(&b, "say \"hi\""), "\"say \"\"hi\"\"\"");
	assert_string_equal(cell(&b, "two\nlines"), "\"two\nlines\"");
	ct_buf_free(&b);
}

static void
test_csv_formula_cells_neutralised(void **state)
{
	ct_buf b = { 0 };

	(void)state;
	assert_string_equal(cell(&b, "=SUM(A1)"), "\"'=SUM(A1)\"");
	assert_string_equal(cell(&b, "+1+1"), "\"'+1+1\"");
	assert_string_equal(cell(&b, "-x"), "\"'-x\"");
	assert_string_equal(cell(&b, "@cmd"), "\"'@cmd\"");
	assert_string_equal(cell(&b, "\tx"), "\"'\tx\"");
	assert_string_equal(cell(&b, "\rx"), "\"'\rx\"");
	/* numbers are data */
	assert_string_equal(cell(&b, "-42"), "-42");
	assert_string_equal(cell(&b, "+3.5"), "+3.5");
	assert_string_equal(cell(&b, "-4-2"), "\"'-4-2\"");
	ct_buf_free(&b);
}

static void
test_json_string_escapes(void **state)
{
	ct_buf b = { 0 };

	(void)state;
	ct_json_str(&b, "a\"b\\c\nd\te\x01 \xc3\xa9");
	assert_string_equal(b.s, "\"a\\\"b\\\\c\\nd\\te\\u0001 \xc3\xa9\"");
	ct_buf_free(&b);
}

static void
test_ics_text_escapes(void **state)
{
	ct_buf b = { 0 };

	(void)state;
	ct_ics_text(&b, "a,b;c\\d\ne");
	assert_string_equal(b.s, "a\\,b\\;c\\\\d\\ne");
	ct_buf_free(&b);
}

static void
test_ics_lines_folded_at_75_octets(void **state)
{
	char line[400];
	ct_buf b = { 0 };
	const char *p, *eol;
	size_t i, total = 0;

	(void)state;
	for (i = 0; i < 300; i += 3)
		memcpy(line + i, "\xc3\xa9x", 3); /* é x: 2-byte sequences */
	line[300] = '\0';
	ct_ics_line(&b, line);
	for (p = b.s; *p != '\0'; p = eol + 2) {
		eol = strstr(p, "\r\n");
		assert_non_null(eol);
		assert_true(eol - p <= 75);
		if (p != b.s)
			assert_int_equal(*p, ' ');
		/* never starts a physical line inside a UTF-8 sequence */
		assert_true(((unsigned char)p[p == b.s ? 0 : 1] & 0xc0) != 0x80);
		total += (size_t)(eol - p) - (p == b.s ? 0 : 1);
	}
	assert_int_equal(total, 300);
	ct_buf_free(&b);
}

static void
test_ics_short_line_unchanged(void **state)
{
	ct_buf b = { 0 };

	(void)state;
	ct_ics_line(&b, "BEGIN:VEVENT");
	assert_string_equal(b.s, "BEGIN:VEVENT\r\n");
	ct_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_plain_and_quoted),
		cmocka_unit_test(test_csv_formula_cells_neutralised),
		cmocka_unit_test(test_json_string_escapes),
		cmocka_unit_test(test_ics_text_escapes),
		cmocka_unit_test(test_ics_lines_folded_at_75_octets),
		cmocka_unit_test(test_ics_short_line_unchanged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

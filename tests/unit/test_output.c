/*
 * Unit tests of lib/core/output.c: terminal-safe text, CSV cells, JSON strings,
 * and iCalendar text and folding.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "casetrail/output.h"

static char *
safe(ct_buf *b, const char *s)
{
	ct_buf_truncate(b, 0);
	ct_buf_puts(b, "");
	ct_text_safe(b, s);
	return b->s;
}

static void
test_text_safe_escapes_c0_controls(void **state)
{
	ct_buf b = { 0 };

	(void)state;
	assert_string_equal(safe(&b, "a\033[2Jb"), "a\\x1b[2Jb");
	assert_string_equal(safe(&b, "\033]0;title\007"),
	    "\\x1b]0;title\\x07");
	assert_string_equal(safe(&b, "forged\rline"), "forged\\x0dline");
	assert_string_equal(safe(&b, "one\ntwo"), "one\\x0atwo");
	assert_string_equal(safe(&b, "a\tb"), "a\\x09b");
	assert_string_equal(safe(&b, "\001\037"), "\\x01\\x1f");
	ct_buf_free(&b);
}

static void
test_text_safe_escapes_del_and_c1(void **state)
{
	ct_buf b = { 0 };

	(void)state;
	assert_string_equal(safe(&b, "x\177y"), "x\\x7fy");
	/* U+009B CSI, U+0080, U+009F, U+0085 NEL */
	assert_string_equal(safe(&b, "\xc2\x9b" "31m"), "\\u009b31m");
	assert_string_equal(safe(&b, "\xc2\x80\xc2\x9f\xc2\x85"),
	    "\\u0080\\u009f\\u0085");
	/* U+00A0, the first code point after C1, is text */
	assert_string_equal(safe(&b, "\xc2\xa0"), "\xc2\xa0");
	ct_buf_free(&b);
}

static void
test_text_safe_escapes_bidi_and_separators(void **state)
{
	ct_buf b = { 0 };

	(void)state;
	assert_string_equal(safe(&b, "abc\xe2\x80\xae" "fed"),
	    "abc\\u202efed");
	assert_string_equal(safe(&b, "\xe2\x81\xa6x\xe2\x81\xa9"),
	    "\\u2066x\\u2069");
	assert_string_equal(safe(&b, "\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac"
	    "\xe2\x80\xad\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c"),
	    "\\u202a\\u202b\\u202c\\u202d\\u200e\\u200f\\u061c");
	assert_string_equal(safe(&b, "a\xe2\x80\xa8" "b\xe2\x80\xa9"),
	    "a\\u2028b\\u2029");
	/* neighbours are text: U+2027, U+202F, U+2065, U+206A */
	assert_string_equal(safe(&b, "\xe2\x80\xa7\xe2\x80\xaf"
	    "\xe2\x81\xa5\xe2\x81\xaa"), "\xe2\x80\xa7\xe2\x80\xaf"
	    "\xe2\x81\xa5\xe2\x81\xaa");
	ct_buf_free(&b);
}

static void
test_text_safe_escapes_invalid_utf8(void **state)
{
	ct_buf b = { 0 };

	(void)state;
	assert_string_equal(safe(&b, "a\xff" "b"), "a\\xffb");
	/* a lone continuation byte, a truncated sequence */
	assert_string_equal(safe(&b, "\x80"), "\\x80");
	assert_string_equal(safe(&b, "x\xe2\x80"), "x\\xe2\\x80");
	/* overlong ESC and overlong '/', a surrogate, above U+10FFFF */
	assert_string_equal(safe(&b, "\xc0\x9b"), "\\xc0\\x9b");
	assert_string_equal(safe(&b, "\xe0\x80\xaf"), "\\xe0\\x80\\xaf");
	assert_string_equal(safe(&b, "\xed\xa0\x80"), "\\xed\\xa0\\x80");
	assert_string_equal(safe(&b, "\xf4\x90\x80\x80"),
	    "\\xf4\\x90\\x80\\x80");
	/* a bad byte does not swallow the character after it */
	assert_string_equal(safe(&b, "\xc3\xc3\xa9"), "\\xc3\xc3\xa9");
	ct_buf_free(&b);
}

static void
test_text_safe_keeps_text(void **state)
{
	ct_buf b = { 0 };

	(void)state;
	assert_string_equal(safe(&b, ""), "");
	assert_string_equal(safe(&b, "ACT-0042 case-event: a~b {c} 100%"),
	    "ACT-0042 case-event: a~b {c} 100%");
	/* é, 中, an emoji: well-formed UTF-8 */
	assert_string_equal(safe(&b,
	    "caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80"),
	    "caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80");
	/* a backslash is not doubled */
	assert_string_equal(safe(&b, "C:\\x1b\\n"), "C:\\x1b\\n");
	ct_text_safe(&b, NULL);
	assert_string_equal(b.s, "C:\\x1b\\n");
	ct_buf_free(&b);
}

static void
test_text_safe_lines_keeps_newlines_only(void **state)
{
	ct_buf b = { 0 };

	(void)state;
	ct_text_safe_lines(&b, "one\r\ntwo\033[1A\n\tthree\n");
	assert_string_equal(b.s, "one\\x0d\ntwo\\x1b[1A\n\\x09three\n");
	ct_buf_truncate(&b, 0);
	ct_text_safe_mem(&b, "a\tb\0c\n", 6, CT_TEXT_KEEP_TAB);
	assert_string_equal(b.s, "a\tb\\x00c\\x0a");
	ct_buf_free(&b);
}

static void
test_text_col_pads_the_escaped_width(void **state)
{
	ct_buf b = { 0 };

	(void)state;
	ct_text_col(&b, "ab", 5);
	ct_buf_putc(&b, '|');
	ct_text_col(&b, "\033x", 6);
	ct_buf_putc(&b, '|');
	ct_text_col(&b, "\033[2J", 3);
	ct_buf_putc(&b, '|');
	assert_string_equal(b.s, "ab   |\\x1bx |\\x1b[2J|");
	ct_buf_free(&b);
}

static void
test_text_safe_indent(void **state)
{
	ct_buf b = { 0 };

	(void)state;
	ct_buf_puts(&b, "");
	ct_text_safe_indent(&b, "  ", NULL);
	ct_text_safe_indent(&b, "  ", "");
	assert_string_equal(b.s, "");
	ct_text_safe_indent(&b, "  ", "a\rb\nc\033[2J\n\nd");
	assert_string_equal(b.s, "  a\\x0db\n  c\\x1b[2J\n  \n  d\n");
	ct_buf_free(&b);
}

static void
test_text_safe_dup(void **state)
{
	char *s;

	(void)state;
	s = ct_text_safe_dup("a\033b\xe2\x80\xae");
	assert_non_null(s);
	assert_string_equal(s, "a\\x1bb\\u202e");
	free(s);
	s = ct_text_safe_dup(NULL);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

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
	assert_string_equal(cell(&b, "\tx"), "\"'\\x09x\"");
	assert_string_equal(cell(&b, "\rx"), "\"'\\x0dx\"");
	/* numbers are data */
	assert_string_equal(cell(&b, "-42"), "-42");
	assert_string_equal(cell(&b, "+3.5"), "+3.5");
	assert_string_equal(cell(&b, "-4-2"), "\"'-4-2\"");
	ct_buf_free(&b);
}

static void
test_csv_controls_escaped(void **state)
{
	ct_buf b = { 0 };

	(void)state;
	assert_string_equal(cell(&b, "a\033[2Jb"), "a\\x1b[2Jb");
	assert_string_equal(cell(&b, "a\r\nb"), "\"a\\x0d\nb\"");
	assert_string_equal(cell(&b, "x\xe2\x80\xae" "y"), "x\\u202ey");
	assert_string_equal(cell(&b, "\xc2\x9b" "1m,"), "\"\\u009b1m,\"");
	/* the formula check still sees the cell's first character */
	assert_string_equal(cell(&b, "=\0331"), "\"'=\\x1b1\"");
	assert_string_equal(cell(&b, "caf\xc3\xa9"), "caf\xc3\xa9");
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
test_json_escapes_del_c1_separators(void **state)
{
	ct_buf b = { 0 };

	(void)state;
	ct_json_str(&b, "\033[2J\177\xc2\x9b\xc2\x85" "a\xe2\x80\xa8"
	    "b\xe2\x80\xa9\xc2\xa0\xe2\x80\xae\xe4\xb8\xad");
	/* bidi characters and other UTF-8 stay: JSON carries them exactly */
	assert_string_equal(b.s, "\"\\u001b[2J\\u007f\\u009b\\u0085a\\u2028"
	    "b\\u2029\xc2\xa0\xe2\x80\xae\xe4\xb8\xad\"");
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
test_ics_text_controls(void **state)
{
	ct_buf b = { 0 };

	(void)state;
	/* ESC shows as \x1b (its backslash escaped for TEXT); CR dropped;
	 * tab kept; bidi override and C1 shown */
	ct_ics_text(&b, "a\033[2J\r\nb\tc\xe2\x80\xae" "d\xc2\x9b\177");
	assert_string_equal(b.s,
	    "a\\\\x1b[2J\\nb\tc\\\\u202ed\\\\u009b\\\\x7f");
	assert_null(strchr(b.s, '\033'));
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

static void
test_table_widths_from_content(void **state)
{
	static const char *const r0[] = { "ID", "N", "WHAT" };
	static const char *const r1[] = { "VIC-AUTHORITY-NOTICE", "7", "x" };
	static const char *const r2[] = { "\xc3\xa9t\xc3\xa9\x1b", "-12", "" };
	ct_table t;
	ct_buf b = { 0 };
	size_t i;

	(void)state;
	assert_true(ct_table_init(&t, 3, 1u << 1));
	ct_table_add(&t, r0);
	ct_table_add(&t, r1);
	ct_table_add(&t, r2);
	ct_table_style(&t, 1, "\033[31m");
	for (i = 0; i < t.nrows; i++)
		ct_table_line(&t, i, &b);
	assert_false(b.failed);
	/* UTF-8 counts by character, an escape by what it shows; the
	 * number column right-aligned; the last column not padded; the
	 * style's sequence not counted */
	assert_string_equal(b.s,
	    "ID                      N  WHAT\n"
	    "VIC-AUTHORITY-NOTICE    7  x\n"
	    "\xc3\xa9t\xc3\xa9\\x1b" "               \033[31m-12\033[0m  \n");
	ct_table_free(&t);
	ct_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_safe_escapes_c0_controls),
		cmocka_unit_test(test_text_safe_escapes_del_and_c1),
		cmocka_unit_test(test_text_safe_escapes_bidi_and_separators),
		cmocka_unit_test(test_text_safe_escapes_invalid_utf8),
		cmocka_unit_test(test_text_safe_keeps_text),
		cmocka_unit_test(test_text_safe_lines_keeps_newlines_only),
		cmocka_unit_test(test_text_col_pads_the_escaped_width),
		cmocka_unit_test(test_table_widths_from_content),
		cmocka_unit_test(test_text_safe_indent),
		cmocka_unit_test(test_text_safe_dup),
		cmocka_unit_test(test_csv_plain_and_quoted),
		cmocka_unit_test(test_csv_formula_cells_neutralised),
		cmocka_unit_test(test_csv_controls_escaped),
		cmocka_unit_test(test_json_string_escapes),
		cmocka_unit_test(test_json_escapes_del_c1_separators),
		cmocka_unit_test(test_ics_text_escapes),
		cmocka_unit_test(test_ics_text_controls),
		cmocka_unit_test(test_ics_lines_folded_at_75_octets),
		cmocka_unit_test(test_ics_short_line_unchanged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

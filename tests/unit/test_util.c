/*
 * Tests of lib/core/util.c: the out-of-memory error, a message formatted for
 * a callback, NULL-safe string equality, the UTF-8 decoder and counters,
 * and the one JSON escaper, with its edge cases (ill-formed UTF-8, C0 and C1 controls, DEL, the
 * line and paragraph separators).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casetrail/util.h"

/* The JSON string of s[0..len) must be want. */
static void
json_is(const char *s, size_t len, const char *want)
{
	ct_buf b = { 0 };

	ct_json_strn(&b, s, len);
	assert_false(b.failed);
	assert_string_equal(b.s, want);
	ct_buf_free(&b);
}

static void
test_nomem_sets_the_error(void **state)
{
	ct_error err = { 0 };

	(void)state;
	assert_int_equal(ct_nomem(&err), CT_ERROR);
	assert_int_equal(err.code, CT_ERROR);
	assert_string_equal(ct_error_msg(&err), "out of memory");
	ct_error_clear(&err);
}

static void
test_streq_allows_null(void **state)
{
	(void)state;
	assert_true(ct_streq("a", "a"));
	assert_false(ct_streq("a", "b"));
	assert_false(ct_streq(NULL, "a"));
	assert_false(ct_streq("a", NULL));
	assert_false(ct_streq(NULL, NULL));
}

static void
test_utf8_decode_well_formed(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(ct_utf8_decode((const unsigned char *)"a", 1, &cp), 1);
	assert_int_equal(cp, 'a');
	assert_int_equal(ct_utf8_decode((const unsigned char *)"\xc3\xa9", 2,
	    &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(ct_utf8_decode((const unsigned char *)"\xe4\xb8\xad",
	    3, &cp), 3);
	assert_int_equal(cp, 0x4e2d);
	assert_int_equal(ct_utf8_decode(
	    (const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
}

static void
test_utf8_decode_ill_formed(void **state)
{
	uint32_t cp;

	(void)state;
	/* empty, stray continuation, truncated, overlong, surrogate, too
	 * large, a bad continuation byte */
	assert_int_equal(ct_utf8_decode((const unsigned char *)"", 0, &cp), 0);
	assert_int_equal(ct_utf8_decode((const unsigned char *)"\x80", 1, &cp),
	    0);
	assert_int_equal(ct_utf8_decode((const unsigned char *)"\xc3", 1, &cp),
	    0);
	assert_int_equal(ct_utf8_decode((const unsigned char *)"\xe4\xb8", 2,
	    &cp), 0);
	assert_int_equal(ct_utf8_decode((const unsigned char *)"\xc0\xaf", 2,
	    &cp), 0);
	assert_int_equal(ct_utf8_decode((const unsigned char *)"\xe0\x80\xaf",
	    3, &cp), 0);
	assert_int_equal(ct_utf8_decode((const unsigned char *)"\xed\xa0\x80",
	    3, &cp), 0);
	assert_int_equal(ct_utf8_decode(
	    (const unsigned char *)"\xf4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(ct_utf8_decode((const unsigned char *)"\xc3\x41", 2,
	    &cp), 0);
	assert_int_equal(ct_utf8_decode((const unsigned char *)"\xff", 1, &cp),
	    0);
}

static void
test_utf8_next_replaces_ill_formed(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(ct_utf8_next("\xff" "a", 2, &cp), 1);
	assert_int_equal(cp, 0xfffd);
	assert_int_equal(ct_utf8_next("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
}

static void
test_utf8_chars_counts_characters(void **state)
{
	(void)state;
	assert_int_equal(ct_utf8_chars(""), 0);
	assert_int_equal(ct_utf8_chars("abc"), 3);
	assert_int_equal(ct_utf8_chars("caf\xc3\xa9 \xe4\xb8\xad"), 6);
	assert_int_equal(ct_utf8_charsn("\xe4\xb8\xad\xe4\xb8\xad", 3), 1);
}

static void
test_json_plain_and_named_escapes(void **state)
{
	(void)state;
	json_is("", 0, "\"\"");
	json_is("plain text", 10, "\"plain text\"");
	json_is("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
	json_is("\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"");
}

static void
test_json_controls_as_u_escapes(void **state)
{
	(void)state;
	/* C0 controls, DEL and the C1 controls (U+0080-U+009F) */
	json_is("\x01\x1b\x1f", 3, "\"\\u0001\\u001b\\u001f\"");
	json_is("\x7f", 1, "\"\\u007f\"");
	json_is("\xc2\x80\xc2\x85\xc2\x9b\xc2\x9f", 8,
	    "\"\\u0080\\u0085\\u009b\\u009f\"");
	/* a NUL inside a counted string */
	json_is("a\0b", 3, "\"a\\u0000b\"");
	/* U+00A0 is not a control: it stays */
	json_is("\xc2\xa0", 2, "\"\xc2\xa0\"");
}

static void
test_json_line_separators_escaped(void **state)
{
	(void)state;
	json_is("a\xe2\x80\xa8" "b\xe2\x80\xa9" "c", 9,
	    "\"a\\u2028b\\u2029c\"");
	/* bidi controls and other characters are carried as they are */
	json_is("\xe2\x80\xae\xe4\xb8\xad", 6, "\"\xe2\x80\xae\xe4\xb8\xad\"");
}

static void
test_json_ill_formed_utf8_as_replacement(void **state)
{
	(void)state;
	json_is("a\xff" "b", 3, "\"a\\ufffdb\"");
	json_is("\xc3", 1, "\"\\ufffd\"");
	json_is("\xc0\xaf", 2, "\"\\ufffd\\ufffd\"");
	json_is("\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"");
	json_is("\xe4\xb8" "x", 3, "\"\\ufffd\\ufffdx\"");
}

static void
test_json_str_is_the_nul_ended_form(void **state)
{
	ct_buf b = { 0 };

	(void)state;
	ct_json_str(&b, "x\ny\xc2\x9b");
	assert_string_equal(b.s, "\"x\\ny\\u009b\"");
	ct_buf_free(&b);
}

static int
keep_text(const char *text, void *arg, ct_error *err)
{
	(void)err;
	snprintf(arg, 64, "%s", text);
	return 7;
}

static int
format_to(char *got, ct_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
format_to(char *got, ct_error *err, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ct_vformat_to(keep_text, got, err, fmt, ap);
	va_end(ap);
	return rc;
}

/* The callback has the formatted text, and its return is returned. */
static void
test_vformat_to_hands_the_text_on(void **state)
{
	ct_error err = { 0 };
	char got[64] = "";

	(void)state;
	assert_int_equal(format_to(got, &err, "%s: %d problems", "x.yaml", 2),
	    7);
	assert_string_equal(got, "x.yaml: 2 problems");
	assert_null(err.msg);
}

static void
test_utc_stamp_both_forms(void **state)
{
	char buf[CT_STAMP_SIZE];

	(void)state;
	ct_utc_stamp(1788237000LL, false, buf);   /* 2026-09-01 04:30 UTC */
	assert_string_equal(buf, "2026-09-01T04:30:00Z");
	ct_utc_stamp(1788237000LL, true, buf);
	assert_string_equal(buf, "20260901T043000Z");
	ct_utc_stamp(0, false, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	ct_utc_stamp(LLONG_MAX, false, buf);      /* no calendar year */
	assert_string_equal(buf, "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nomem_sets_the_error),
		cmocka_unit_test(test_streq_allows_null),
		cmocka_unit_test(test_vformat_to_hands_the_text_on),
		cmocka_unit_test(test_utf8_decode_well_formed),
		cmocka_unit_test(test_utf8_decode_ill_formed),
		cmocka_unit_test(test_utf8_next_replaces_ill_formed),
		cmocka_unit_test(test_utf8_chars_counts_characters),
		cmocka_unit_test(test_json_plain_and_named_escapes),
		cmocka_unit_test(test_json_controls_as_u_escapes),
		cmocka_unit_test(test_json_line_separators_escaped),
		cmocka_unit_test(test_json_ill_formed_utf8_as_replacement),
		cmocka_unit_test(test_json_str_is_the_nul_ended_form),
		cmocka_unit_test(test_utc_stamp_both_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Tests of lib/store/trailers.c: the check of user text bound for a subject or
 * a trailer (one line, UTF-8, no controls, no edge spaces, bounded), the
 * commit message built from a commit spec, and reading a trailer back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casetrail/trailers.h"

/* ct_text_check of value must fail with a message containing want. */
static void
refused(const char *value, const char *want)
{
	ct_error err = { 0 };

	assert_int_equal(ct_text_check("--reason", value, &err), CT_EINVALID);
	if (strstr(ct_error_msg(&err), want) == NULL)
		fail_msg("'%s' does not say '%s'", ct_error_msg(&err), want);
	ct_error_clear(&err);
}

static void
test_text_check_accepts_one_line_of_text(void **state)
{
	ct_error err = { 0 };

	(void)state;
	assert_int_equal(ct_text_check("--reason", "new charges", &err), 0);
	assert_int_equal(ct_text_check("--reason", "caf\xc3\xa9 \xe4\xb8\xad",
	    &err), 0);
	assert_int_equal(ct_text_check("--reason", "x", &err), 0);
	assert_int_equal(ct_text_check("--reason", "\xf0\x9f\x98\x80", &err),
	    0);
}

static void
test_text_check_refuses_breaking_text(void **state)
{
	char *big = malloc(CT_TEXT_MAX + 2);

	(void)state;
	refused("", "--reason: must not be empty");
	refused(NULL, "must not be empty");
	refused("a\nb", "found a newline at byte 2");
	refused("a\tb", "a control character at byte 2");
	refused("a\x7f", "a control character at byte 2");
	refused("a\xc2\x85", "invalid UTF-8 or a control character at byte 2");
	refused("a\xe2\x80\xa8", "invalid UTF-8 or a control character");
	refused("\xff", "invalid UTF-8");
	refused("\xc3", "invalid UTF-8");
	refused(" lead", "must not begin or end with a space");
	refused("trail ", "must not begin or end with a space");
	memset(big, 'a', CT_TEXT_MAX + 1);
	big[CT_TEXT_MAX + 1] = '\0';
	refused(big, "longer than 1000 bytes");
	free(big);
}

static void
test_commit_message_has_subject_and_trailers(void **state)
{
	ct_commit_spec s = { .tool = "case-event", .version = "0.1.0",
	    .subject = "ACT-0042 reception on 2026-01-05",
	    .case_id = "ACT-0042", .record = "case", .action = "event",
	    .reason = "arrived" };
	ct_error err = { 0 };
	char *msg;

	(void)state;
	assert_int_equal(ct_commit_message(&s, NULL, &msg, &err), 0);
	assert_string_equal(msg,
	    "case-event: ACT-0042 reception on 2026-01-05\n\n"
	    "Reason: arrived\n"
	    "Case: ACT-0042\n"
	    "Record: case\n"
	    "Action: event\n"
	    "Tool: case-event 0.1.0\n");
	free(msg);
	assert_int_equal(ct_commit_message(&s, "another subject", &msg, &err),
	    0);
	assert_non_null(strstr(msg, "case-event: another subject\n"));
	free(msg);
}

static void
test_commit_message_refuses_bad_text(void **state)
{
	ct_commit_spec s = { .tool = "case-event", .version = "0.1.0",
	    .subject = "a subject", .reason = "two\nlines" };
	ct_error err = { 0 };
	char *msg = NULL;

	(void)state;
	assert_true(ct_commit_message(&s, NULL, &msg, &err) < 0);
	assert_null(msg);
	ct_error_clear(&err);
	s.reason = NULL;
	s.subject = "";
	assert_true(ct_commit_message(&s, NULL, &msg, &err) < 0);
	ct_error_clear(&err);
}

static void
test_trailer_get_reads_the_last_value(void **state)
{
	const char *msg = "tool: subject\n\nReason: first\nCase: X-1\n"
	    "Reason: second\nTool: t 1";
	ct_error err = { 0 };
	char *v;

	(void)state;
	assert_int_equal(ct_trailer_get(msg, "Reason", &v, &err), 0);
	assert_string_equal(v, "second");
	free(v);
	assert_int_equal(ct_trailer_get(msg, "Tool", &v, &err), 0);
	assert_string_equal(v, "t 1");   /* the last line, no newline */
	free(v);
	assert_int_equal(ct_trailer_get(msg, "Approved-by", &v, &err), 0);
	assert_null(v);
	/* a key is matched whole, with its ": " */
	assert_int_equal(ct_trailer_get(msg, "Cas", &v, &err), 0);
	assert_null(v);
	assert_int_equal(ct_trailer_get("", "Case", &v, &err), 0);
	assert_null(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_check_accepts_one_line_of_text),
		cmocka_unit_test(test_text_check_refuses_breaking_text),
		cmocka_unit_test(test_commit_message_has_subject_and_trailers),
		cmocka_unit_test(test_commit_message_refuses_bad_text),
		cmocka_unit_test(test_trailer_get_reads_the_last_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

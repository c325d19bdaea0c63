/*
 * Tests of lib/output/pack.c: the HTML escaping every string of a MAP meeting
 * pack goes through.  The pack itself is tested end to end, on a real
 * store, by tests/cli/0071-csp-pack.t.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "casetrail/pack.h"

static void
escaped(const char *in, const char *want)
{
	ct_buf b = {0};

	ct_buf_puts(&b, "");
	ct_html_text(&b, in);
	assert_false(b.failed);
	assert_string_equal(b.s, want);
	ct_buf_free(&b);
}

static void
test_html_text(void **state)
{
	(void)state;
	escaped("plain text", "plain text");
	escaped("<script>alert(\"x\")</script>",
	    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
	escaped("a & b", "a &amp; b");
	escaped("it's", "it&#39;s");
	/* an entity is text, escaped again */
	escaped("&amp;", "&amp;amp;");
	/* an attribute can not be closed */
	escaped("\" onmouseover=\"x", "&quot; onmouseover=&quot;x");
	/* UTF-8 and newlines pass through */
	escaped("caf\xc3\xa9\nline", "caf\xc3\xa9\nline");
	escaped("", "");
}

static void
test_html_text_null(void **state)
{
	ct_buf b = {0};

	(void)state;
	ct_buf_puts(&b, "x");
	ct_html_text(&b, NULL);
	assert_string_equal(b.s, "x");
	ct_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_text),
		cmocka_unit_test(test_html_text_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

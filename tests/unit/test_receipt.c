/*
 * Tests of lib/audit/receipt.c that need no repository: the receipts settings
 * (signer, backdating window and its default) and which changes of a
 * record are dated entries (ct_event_date_of).  The receipts themselves
 * are tested on real repositories by tests/cli/0170-0174.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casetrail/receipt.h"
#include "casetrail/yaml.h"

#include "yamlfx.h"

static ct_node *
load(const char *yaml)
{
	return yaml_doc(yaml, "t.yaml");
}

static void
test_policy_default_and_set(void **state)
{
	ct_node *none = load("format: 1\n");
	ct_node *some = load("receipts:\n  signer: central\n");
	ct_node *all = load("receipts:\n  signer: c\n  backdate_days: 3\n");
	ct_receipt_policy p;

	(void)state;
	ct_receipt_policy_of(none, &p);
	assert_false(p.set);
	assert_null(p.signer);
	assert_int_equal(p.backdate_days, CT_BACKDATE_DAYS);
	ct_receipt_policy_of(NULL, &p);
	assert_false(p.set);
	ct_receipt_policy_of(some, &p);
	assert_true(p.set);
	assert_string_equal(p.signer, "central");
	assert_int_equal(p.backdate_days, 14);
	ct_receipt_policy_of(all, &p);
	assert_int_equal(p.backdate_days, 3);
	ct_node_free(none);
	ct_node_free(some);
	ct_node_free(all);
}

/* The dated entries of the change from a to b, as "path=date ...". */
static void
dated_is(const char *a, const char *b, const char *want)
{
	ct_node *x = a != NULL ? load(a) : NULL, *y = load(b);
	ct_error err = {0};
	ct_diff d = {0};
	char got[256] = "", day[CT_DATE_BUFSZ];
	ct_date date;
	size_t i;

	assert_int_equal(ct_diff_trees(x, y, &d, &err), 0);
	for (i = 0; i < d.n; i++)
		if (ct_event_date_of(&d.v[i], &date)) {
			strcat(got, got[0] ? " " : "");
			strcat(got, d.v[i].path);
			strcat(got, "=");
			strcat(got, ct_date_format(date, day));
		}
	assert_string_equal(got, want);
	ct_diff_clear(&d);
	ct_node_free(x);
	ct_node_free(y);
}

static void
test_event_dates(void **state)
{
	(void)state;
	/* an event added: its date; its type is not a date */
	dated_is("events:\n  - date: '2026-03-01'\n    type: reception\n",
	    "events:\n  - date: '2026-03-01'\n    type: reception\n"
	    "  - date: '2026-03-05'\n    type: engaged\n",
	    "events[1].date=2026-03-05");
	/* a record's own date (an assessment) */
	dated_is(NULL, "tool: lsi-r\ndate: '2026-02-01'\n", "date=2026-02-01");
	/* other date fields are not events: created, due, target */
	dated_is(NULL, "created: '2026-02-01'\ndue: '2026-04-01'\n", "");
	/* a field named date that is not a date */
	dated_is(NULL, "x:\n  date: soon\n", "");
	/* unchanged dates are not recorded again */
	dated_is("date: '2026-02-01'\n", "date: '2026-02-01'\nnote: x\n", "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_default_and_set),
		cmocka_unit_test(test_event_dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

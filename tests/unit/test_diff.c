/*
 * Tests of lib/core/diff.c: ct_node_diff, the field-level differences that
 * cmp-review shows after an edit.  Trees are loaded from YAML written
 * here; each test states the exact lines expected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casetrail/diff.h"
#include "casetrail/yaml.h"

#include "yamlfx.h"

static ct_node *
load(const char *yaml)
{
	return yaml_doc(yaml, "t.yaml");
}

/* The diff of two YAML texts (either NULL: no record) must be want. */
static void
diff_is(const char *a, const char *b, const char *want, size_t nwant)
{
	ct_node *x = a ? load(a) : NULL, *y = b ? load(b) : NULL;
	ct_error err = {0};
	char *out = NULL;
	size_t n = 99;

	assert_int_equal(ct_node_diff(x, y, &out, &n, &err), 0);
	assert_string_equal(out, want);
	assert_int_equal(n, nwant);
	free(out);
	ct_node_free(x);
	ct_node_free(y);
}

static void
test_equal_trees_give_nothing(void **state)
{
	(void)state;
	diff_is("a: 1\nb: [x, y]\n", "a: 1\nb: [x, y]\n", "", 0);
}

static void
test_scalar_changed_added_removed(void **state)
{
	(void)state;
	diff_is("version: 2\nstatus: approved\nold: x\n",
	    "version: 3\nstatus: approved\nnew: y\n",
	    "version: 2 -> 3\n"
	    "old: x -> (none)\n"
	    "new: (none) -> y\n", 3);
}

static void
test_entries_keyed_by_id(void **state)
{
	(void)state;
	/* N1 unchanged, N2 completed, N3 removed, N4 added; the ids keep
	 * the later entries from showing as changed */
	diff_is("needs:\n"
	    "  - {id: N1, status: open}\n"
	    "  - {id: N2, status: in-progress}\n"
	    "  - {id: N3, status: open}\n",
	    "needs:\n"
	    "  - {id: N1, status: open}\n"
	    "  - {id: N2, status: completed, completed: '2026-10-01'}\n"
	    "  - {id: N4, status: open}\n",
	    "needs[N2].status: in-progress -> completed\n"
	    "needs[N2].completed: (none) -> 2026-10-01\n"
	    "needs[N3].id: N3 -> (none)\n"
	    "needs[N3].status: open -> (none)\n"
	    "needs[N4].id: (none) -> N4\n"
	    "needs[N4].status: (none) -> open\n", 6);
}

static void
test_moved_entries_are_no_change(void **state)
{
	(void)state;
	diff_is("needs:\n  - {id: a, x: 1}\n  - {id: b, x: 2}\n",
	    "needs:\n  - {id: b, x: 2}\n  - {id: a, x: 1}\n", "", 0);
}

static void
test_lists_without_ids_by_position(void **state)
{
	(void)state;
	diff_is("goals: [one, two, three]\n", "goals: [one, 2]\n",
	    "goals[1]: two -> 2\n"
	    "goals[2]: three -> (none)\n", 2);
	/* a repeated id falls back to positions too */
	diff_is("l:\n  - {id: a, v: 1}\n  - {id: a, v: 2}\n",
	    "l:\n  - {id: a, v: 1}\n  - {id: a, v: 3}\n",
	    "l[1].v: 2 -> 3\n", 1);
}

static void
test_nested_mappings(void **state)
{
	(void)state;
	diff_is("needs:\n  - id: N3\n    referral: {to: X, consent: given}\n",
	    "needs:\n  - id: N3\n    referral: {to: X, consent: not-asked}\n",
	    "needs[N3].referral.consent: given -> not-asked\n", 1);
	diff_is("s78: {a: x}\n", "s78: {a: x, b: y}\n", "s78.b: (none) -> y\n",
	    1);
}

static void
test_empty_collections_and_kinds(void **state)
{
	(void)state;
	diff_is("a: x\n", "a: x\nl: []\nm: {}\n",
	    "l: (none) -> []\nm: (none) -> {}\n", 2);
	diff_is("a: x\n", "a: [1, 2]\n",
	    "a: x -> (none)\na[0]: (none) -> 1\na[1]: (none) -> 2\n", 3);
	/* a string and an integer of the same text differ */
	diff_is("a: '1'\n", "a: 1\n", "a: \"1\" -> 1\n", 1);
	diff_is("a: 'true'\n", "a: true\n", "a: \"true\" -> true\n", 1);
}

static void
test_strings_quoted_when_needed(void **state)
{
	(void)state;
	diff_is("c: plain text\n", "c: \"two\\nlines\"\n",
	    "c: plain text -> \"two\\nlines\"\n", 1);
	diff_is("c: a\n", "c: 'x -> y'\n", "c: a -> \"x -> y\"\n", 1);
	diff_is("c: a\n", "c: ''\n", "c: a -> \"\"\n", 1);
	diff_is("c: a\n", "c: ' pad'\n", "c: a -> \" pad\"\n", 1);
	diff_is("c: a\n", "c: '(none)'\n", "c: a -> \"(none)\"\n", 1);
	diff_is("c: a\n", "c: 'say \"hi\"'\n",
	    "c: a -> \"say \\\"hi\\\"\"\n", 1);
	diff_is("c: a\n", "c: null\n", "c: a -> null\n", 1);
}

static void
test_whole_record_added_or_removed(void **state)
{
	(void)state;
	diff_is(NULL, "a: 1\nb: {c: 2}\n", "a: (none) -> 1\nb.c: (none) -> 2\n",
	    2);
	diff_is("a: 1\n", NULL, "a: 1 -> (none)\n", 1);
	diff_is(NULL, NULL, "", 0);
	diff_is("x\n", "y\n", "(root): x -> y\n", 1);
}

static void
test_events_by_identity(void **state)
{
	(void)state;
	/* a backdated event inserted before a later one is one addition */
	diff_is("events:\n"
	    "  - {date: '2026-03-02', type: sentence-commenced}\n"
	    "  - {date: '2026-03-10', type: eprd-set, eprd: '2027-01-01'}\n",
	    "events:\n"
	    "  - {date: '2026-03-02', type: sentence-commenced}\n"
	    "  - {date: '2026-03-05', type: stage-changed, stage: x}\n"
	    "  - {date: '2026-03-10', type: eprd-set, eprd: '2027-01-01'}\n",
	    "events[1].date: (none) -> 2026-03-05\n"
	    "events[1].type: (none) -> stage-changed\n"
	    "events[1].stage: (none) -> x\n", 3);
	/* a field changed on a moved entry is named at its new position */
	diff_is("events:\n"
	    "  - {date: '2026-03-10', type: eprd-set}\n",
	    "events:\n"
	    "  - {date: '2026-03-01', type: note}\n"
	    "  - {date: '2026-03-10', type: eprd-set, superseded: true}\n",
	    "events[1].superseded: (none) -> true\n"
	    "events[0].date: (none) -> 2026-03-01\n"
	    "events[0].type: (none) -> note\n", 3);
	/* equal date and type: matched by their order among themselves */
	diff_is("events:\n"
	    "  - {date: '2026-03-10', type: note, n: 1}\n"
	    "  - {date: '2026-03-10', type: note, n: 2}\n",
	    "events:\n"
	    "  - {date: '2026-03-01', type: note, n: 0}\n"
	    "  - {date: '2026-03-10', type: note, n: 1}\n"
	    "  - {date: '2026-03-10', type: note, n: 3}\n",
	    "events[2].n: 2 -> 3\n"
	    "events[0].date: (none) -> 2026-03-01\n"
	    "events[0].type: (none) -> note\n"
	    "events[0].n: (none) -> 0\n", 4);
}

static void
test_structured_changes(void **state)
{
	ct_node *x = load("a: x\nl: [1]\n"), *y = load("a: y\nb: 2\n");
	ct_error err = {0};
	ct_diff d;

	(void)state;
	assert_int_equal(ct_diff_trees(x, y, &d, &err), 0);
	assert_int_equal(d.n, 3);
	assert_string_equal(d.v[0].path, "a");
	assert_string_equal(d.v[0].old->str, "x");
	assert_string_equal(d.v[0].new->str, "y");
	assert_string_equal(d.v[1].path, "l[0]");
	assert_null(d.v[1].new);
	assert_string_equal(d.v[2].path, "b");
	assert_null(d.v[2].old);
	assert_int_equal(d.v[2].new->type, CT_SCALAR_INT);
	ct_diff_clear(&d);
	assert_int_equal(d.n, 0);
	assert_int_equal(ct_diff_trees(x, x, &d, &err), 0);
	assert_int_equal(d.n, 0);
	ct_diff_clear(&d);
	ct_node_free(x);
	ct_node_free(y);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equal_trees_give_nothing),
		cmocka_unit_test(test_scalar_changed_added_removed),
		cmocka_unit_test(test_entries_keyed_by_id),
		cmocka_unit_test(test_moved_entries_are_no_change),
		cmocka_unit_test(test_lists_without_ids_by_position),
		cmocka_unit_test(test_nested_mappings),
		cmocka_unit_test(test_empty_collections_and_kinds),
		cmocka_unit_test(test_strings_quoted_when_needed),
		cmocka_unit_test(test_whole_record_added_or_removed),
		cmocka_unit_test(test_events_by_identity),
		cmocka_unit_test(test_structured_changes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

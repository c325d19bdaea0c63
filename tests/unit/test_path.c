/*
 * Unit tests of lib/core/path.c and lib/core/kind.c: the path rule of DESIGN.md §2
 * against a hand-checked table (shards computed with git hash-object:
 * ACT-0042 -> 5b, VIC-0007 -> 52, GHOST -> 6a).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "casetrail/kind.h"
#include "casetrail/path.h"

struct row {
	const char *path;
	unsigned mode;
	const char *rule;     /* NULL: accepted */
	const char *kind;     /* the kind of an accepted file */
};

static const struct row rows[] = {
	{ "casetrail.yaml", CT_MODE_FILE, NULL, "settings" },
	{ "registry/agencies.yaml", CT_MODE_FILE, NULL, "agencies" },
	{ "registry/operators.yaml", CT_MODE_FILE, NULL, "operators" },
	{ "registry/allowed_signers", CT_MODE_FILE, NULL, "allowed-signers" },
	{ "registry/openpgp/ada.asc", CT_MODE_FILE, NULL, "openpgp-key" },
	{ "rules/deadlines.yaml", CT_MODE_FILE, NULL, "rules" },
	{ "rules/lsi-r-bands.yaml", CT_MODE_FILE, NULL, "lsi-r-bands" },
	{ "calendars/ACT.yaml", CT_MODE_FILE, NULL, "calendar" },
	{ "calendars/VIC.yaml", CT_MODE_FILE, NULL, "calendar" },
	{ "cases/5b/ACT-0042/case.yaml", CT_MODE_FILE, NULL, "case" },
	{ "cases/52/VIC-0007/csp.yaml", CT_MODE_FILE, NULL, "csp" },
	{ "cases/52/VIC-0007/authority-notices.yaml", CT_MODE_FILE, NULL,
	  "authority-notices" },
	{ "cases/5b/ACT-0042/contacts.yaml", CT_MODE_FILE, NULL, "contacts" },
	{ "cases/5b/ACT-0042/sab-reports.yaml", CT_MODE_FILE, NULL,
	  "sab-reports" },
	{ "cases/5b/ACT-0042/cmp/custodial.yaml", CT_MODE_FILE, NULL, "cmp" },
	{ "cases/5b/ACT-0042/cmp/remand.yaml", CT_MODE_FILE, NULL, "cmp" },
	{ "cases/5b/ACT-0042/cmp/community.yaml", CT_MODE_FILE, NULL, "cmp" },
	{ "cases/5b/ACT-0042/assessments/2026-09-10-lsi-r.yaml", CT_MODE_FILE,
	  NULL, "lsi-r" },
	{ "cases/52/VIC-0007/disclosures/20260303T233000Z-1.yaml",
	  CT_MODE_FILE, NULL, "disclosure" },
	{ "cases/52/VIC-0007/disclosures/20260303T233000Z-12.yaml",
	  CT_MODE_FILE, NULL, "disclosure" },
	/* directories of the layout */
	{ "cases", CT_MODE_TREE, NULL, NULL },
	{ "cases/5b", CT_MODE_TREE, NULL, NULL },
	{ "cases/5b/ACT-0042", CT_MODE_TREE, NULL, NULL },
	{ "cases/5b/ACT-0042/cmp", CT_MODE_TREE, NULL, NULL },
	{ "registry/openpgp", CT_MODE_TREE, NULL, NULL },
	/* names git itself refuses */
	{ "../pwned", CT_MODE_FILE, CT_RULE_BAD_PATH, NULL },
	{ "cases/../pwned", CT_MODE_FILE, CT_RULE_BAD_PATH, NULL },
	{ "./casetrail.yaml", CT_MODE_FILE, CT_RULE_BAD_PATH, NULL },
	{ ".git/hooks/post-merge", CT_MODE_FILE, CT_RULE_BAD_PATH, NULL },
	{ ".GIT/config", CT_MODE_FILE, CT_RULE_BAD_PATH, NULL },
	{ ".Git/config", CT_MODE_FILE, CT_RULE_BAD_PATH, NULL },
	{ "git~1/config", CT_MODE_FILE, CT_RULE_BAD_PATH, NULL },
	{ "GIT~1/config", CT_MODE_FILE, CT_RULE_BAD_PATH, NULL },
	{ ".git./config", CT_MODE_FILE, CT_RULE_BAD_PATH, NULL },
	{ ".git . ./config", CT_MODE_FILE, CT_RULE_BAD_PATH, NULL },
	{ ".git::$INDEX_ALLOCATION/config", CT_MODE_FILE, CT_RULE_BAD_PATH,
	  NULL },
	{ ".g\xe2\x80\x8cit/config", CT_MODE_FILE, CT_RULE_BAD_PATH, NULL },
	{ "\xef\xbb\xbf.git/config", CT_MODE_FILE, CT_RULE_BAD_PATH, NULL },
	{ "cases//5b", CT_MODE_TREE, CT_RULE_BAD_PATH, NULL },
	{ "casetrail.yaml/", CT_MODE_FILE, CT_RULE_BAD_PATH, NULL },
	{ "/casetrail.yaml", CT_MODE_FILE, CT_RULE_BAD_PATH, NULL },
	{ "cases\\5b", CT_MODE_TREE, CT_RULE_BAD_PATH, NULL },
	{ "case\x1b[2Js.yaml", CT_MODE_FILE, CT_RULE_BAD_PATH, NULL },
	{ "cases/5b/ACT-0042/case\x7f.yaml", CT_MODE_FILE, CT_RULE_BAD_PATH,
	  NULL },
	{ "cases/5b/ACT-0042/\xc2\x9b.yaml", CT_MODE_FILE, CT_RULE_BAD_PATH,
	  NULL },
	{ "cases/5b/ACT-0042/\xff.yaml", CT_MODE_FILE, CT_RULE_BAD_PATH,
	  NULL },
	/* modes */
	{ "cases/5b/ACT-0042/case.yaml", 0120000, CT_RULE_BAD_PATH, NULL },
	{ "cases/5b/ACT-0042/case.yaml", 0160000, CT_RULE_BAD_PATH, NULL },
	{ "cases/5b/ACT-0042/case.yaml", 0100755, CT_RULE_BAD_PATH, NULL },
	{ "cases/5b/ACT-0042/cmp", 0120000, CT_RULE_BAD_PATH, NULL },
	/* valid names, but not in the layout */
	{ "cases/00/GHOST/case.yaml", CT_MODE_FILE, CT_RULE_MISPLACED, NULL },
	{ "cases/00/GHOST", CT_MODE_TREE, CT_RULE_MISPLACED, NULL },
	{ "cases/6a/GHOST/case.yaml", CT_MODE_FILE, NULL, "case" },
	{ "cases/5B/ACT-0042/case.yaml", CT_MODE_FILE, CT_RULE_MISPLACED,
	  NULL },
	{ "cases/5b/ACT-0042/notes.txt", CT_MODE_FILE, CT_RULE_MISPLACED,
	  NULL },
	{ "cases/5b/ACT-0042/cmp/other.yaml", CT_MODE_FILE, CT_RULE_MISPLACED,
	  NULL },
	{ "cases/5b/ACT-0042/case.yaml", CT_MODE_TREE, CT_RULE_MISPLACED,
	  NULL },
	{ "cases/5b/ACT-0042", CT_MODE_FILE, CT_RULE_MISPLACED, NULL },
	{ "cases/5b/ACT-0042/assessments/2026-9-10-lsi-r.yaml", CT_MODE_FILE,
	  CT_RULE_MISPLACED, NULL },
	{ "cases/52/VIC-0007/disclosures/20260303T233000Z-0.yaml",
	  CT_MODE_FILE, CT_RULE_MISPLACED, NULL },
	{ "cases/52/VIC-0007/disclosures/20260303T233000Z-01.yaml",
	  CT_MODE_FILE, CT_RULE_MISPLACED, NULL },
	{ "cases/52/VIC-0007/disclosures/x/20260303T233000Z-1.yaml",
	  CT_MODE_FILE, CT_RULE_MISPLACED, NULL },
	{ "calendars/NSW.yaml", CT_MODE_FILE, CT_RULE_MISPLACED, NULL },
	{ "registry/openpgp/Ada.asc", CT_MODE_FILE, CT_RULE_MISPLACED, NULL },
	{ "README.md", CT_MODE_FILE, CT_RULE_MISPLACED, NULL },
	{ "pwned", CT_MODE_TREE, CT_RULE_MISPLACED, NULL },
	{ "cases/5b/-x/case.yaml", CT_MODE_FILE, CT_RULE_MISPLACED, NULL },
	{ "a/b/c/d/e/f/g", CT_MODE_FILE, CT_RULE_MISPLACED, NULL },
};

static void
test_path_rule_table(void **state)
{
	const ct_kind *k;
	const char *rule;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ct_error err = { 0 };

		rc = ct_path_check(rows[i].path, rows[i].mode, &rule, &err);
		if (rows[i].rule == NULL) {
			if (rc != 0)
				fail_msg("%s refused: %s", rows[i].path,
				    ct_error_msg(&err));
		} else {
			if (rc != CT_EINVALID || rule == NULL ||
			    strcmp(rule, rows[i].rule) != 0)
				fail_msg("row %zu: want %s, got rc %d rule %s",
				    i, rows[i].rule, rc,
				    rule != NULL ? rule : "(none)");
			/* the message quotes the path with nothing raw */
			assert_null(strchr(ct_error_msg(&err), '\x1b'));
		}
		k = ct_kind_of(rows[i].path);
		if (rows[i].kind != NULL) {
			assert_non_null(k);
			assert_string_equal(k->name, rows[i].kind);
		}
		ct_error_clear(&err);
	}
}

static void
test_path_kind_case_id(void **state)
{
	const char *id;
	size_t n;

	(void)state;
	assert_int_equal(ct_kind_place("cases/5b/ACT-0042/cmp/remand.yaml",
	    NULL, &id, &n), CT_PLACE_FILE);
	assert_int_equal(n, 8);
	assert_memory_equal(id, "ACT-0042", 8);
	assert_int_equal(ct_kind_place("registry/operators.yaml", NULL, &id,
	    &n), CT_PLACE_FILE);
	assert_null(id);
}

static void
test_path_kinds_table_is_indexed_by_id(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < CT_KIND_COUNT; i++)
		assert_int_equal(ct_kinds[i].id, (ct_kind_id)i);
}

static void
test_path_quote(void **state)
{
	char *q = ct_path_quote("a\x1b[2J\nb");

	(void)state;
	assert_string_equal(q, "a\\x1b[2J\\x0ab");
	free(q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_rule_table),
		cmocka_unit_test(test_path_kind_case_id),
		cmocka_unit_test(test_path_kinds_table_is_indexed_by_id),
		cmocka_unit_test(test_path_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

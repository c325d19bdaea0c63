/*
 * Unit tests of the record-kind table (lib/core/kind.c): its columns against
 * the shipped rules (every record a rule reads names the rule in its
 * kind's row, and every rule a case record's row names reads it), the
 * administered kinds, the append-only kinds, and the approvals with the
 * settings' approval_roles (DESIGN.md §4 ACT-CMP-CUSTODIAL,
 * ACT-CMP-COMMUNITY).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "casetrail/case.h"
#include "casetrail/kind.h"
#include "casetrail/yaml.h"

/* The word w in the space-separated list (or the list is "*"). */
static bool
lists(const char *list, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	if (strcmp(list, "*") == 0)
		return true;
	for (p = list; (p = strstr(p, w)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

/* The kind of a record path as a rule writes it ("cmp/remand.yaml",
 * "assessments/<glob>-lsi-r.yaml"), in the case ACT-0042. */
static const ct_kind *
rule_kind(const char *rel)
{
	char *dir = NULL, path[256];
	const char *star = strchr(rel, '*');
	ct_error err = { 0 };
	const ct_kind *k;

	assert_int_equal(ct_case_dir("ACT-0042", &dir, &err), 0);
	if (star != NULL)
		snprintf(path, sizeof(path), "%s/%.*s2026-01-01%s", dir,
		    (int)(star - rel), rel, star + 1);
	else
		snprintf(path, sizeof(path), "%s/%s", dir, rel);
	free(dir);
	k = ct_kind_of(path);
	if (k == NULL)
		fail_msg("a rule reads '%s', which is no kind of the table",
		    rel);
	return k;
}

/* Every "record" value anywhere under n, a scalar or a list: fn. */
static void
each_record(const ct_node *n, void (*fn)(const char *, void *), void *arg)
{
	size_t i, j;

	if (n == NULL)
		return;
	if (n->kind == CT_NODE_MAP) {
		for (i = 0; i < n->n; i++) {
			const ct_node *v = n->pairs[i].value;
			bool rec = strcmp(n->pairs[i].key, "record") == 0;

			if (rec && v->kind == CT_NODE_SCALAR)
				fn(v->str, arg);
			else if (rec && v->kind == CT_NODE_SEQ)
				for (j = 0; j < v->n; j++)
					fn(v->items[j]->str, arg);
			else
				each_record(v, fn, arg);
		}
	} else if (n->kind == CT_NODE_SEQ)
		for (i = 0; i < n->n; i++)
			each_record(n->items[i], fn, arg);
}

struct reads {
	const char *rule;
	bool read[CT_KIND_COUNT];
};

static void
note_read(const char *rel, void *arg)
{
	struct reads *r = arg;
	const ct_kind *k = rule_kind(rel);

	r->read[k->id] = true;
	if (!lists(k->rules, r->rule))
		fail_msg("%s reads %s, but the %s row does not name it",
		    r->rule, rel, k->name);
}

static ct_node *
shipped_rules(void)
{
	ct_node *doc = NULL;
	ct_error err = { 0 };

	assert_int_equal(ct_yaml_load_file(CT_SOURCE_DIR
	    "/rules/deadlines.yaml", &doc, &err), 0);
	return doc;
}

static void
rules_column_matches_the_shipped_rules(void **state)
{
	ct_node *doc = shipped_rules();
	const ct_node *rules = ct_map_get(doc, "rules");
	struct reads all[64];
	size_t i, n, k;
	char word[64];
	const char *p, *e;
	bool found;

	(void)state;
	assert_non_null(rules);
	assert_true(rules->n <= 64);
	for (i = 0; i < rules->n; i++) {
		memset(&all[i], 0, sizeof(all[i]));
		all[i].rule = ct_map_str(rules->items[i], "id");
		assert_non_null(all[i].rule);
		each_record(rules->items[i], note_read, &all[i]);
	}
	/* the reverse: a case record's row names only rules that read it */
	for (k = 0; k < CT_KIND_COUNT; k++) {
		if (!ct_kinds[k].in_case || strcmp(ct_kinds[k].rules, "*") == 0)
			continue;
		for (p = ct_kinds[k].rules; *p != '\0'; p = *e ? e + 1 : e) {
			e = strchr(p, ' ');
			if (e == NULL)
				e = p + strlen(p);
			n = (size_t)(e - p);
			assert_true(n < sizeof(word));
			memcpy(word, p, n);
			word[n] = '\0';
			for (found = false, i = 0; i < rules->n; i++)
				if (strcmp(all[i].rule, word) == 0)
					found = all[i].read[k];
			if (!found)
				fail_msg("the %s row names %s, which does not "
				    "read it", ct_kinds[k].name, word);
		}
	}
	ct_node_free(doc);
}

static void
administered_and_append_only(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < CT_KIND_COUNT; k++) {
		const ct_kind *t = &ct_kinds[k];

		assert_int_equal(t->id, k);
		/* store-wide files are the administrator's; case records
		 * any registered operator's */
		if (t->in_case)
			assert_null(t->change_role);
		else
			assert_string_equal(t->change_role,
			    CT_ROLE_ADMINISTRATOR);
		assert_int_equal(t->append_only, t->id == CT_KIND_DISCLOSURE ||
		    t->id == CT_KIND_CMP_CLOSED);
		assert_true(t->approvals == NULL || t->id == CT_KIND_CMP);
	}
}

static void
approvals(void **state)
{
	const char *dir = "cases/5b/ACT-0042/cmp/";
	const ct_approval *a;
	ct_node *settings = NULL;
	ct_error err = { 0 };
	char path[128];
	static const char yaml[] = "approval_roles:\n  custodial: sentence-"
	    "management\n";

	(void)state;
	snprintf(path, sizeof(path), "%scustodial.yaml", dir);
	a = ct_kind_approval_of(path);
	assert_non_null(a);
	assert_string_equal(a->rule, "ACT-CMP-CUSTODIAL");
	assert_string_equal(ct_kind_approval_role(a, NULL), "cmu-team-leader");
	assert_int_equal(ct_yaml_load(yaml, sizeof(yaml) - 1, "settings",
	    &settings, &err), 0);
	assert_string_equal(ct_kind_approval_role(a, settings),
	    "sentence-management");

	snprintf(path, sizeof(path), "%scommunity.yaml", dir);
	a = ct_kind_approval_of(path);
	assert_non_null(a);
	assert_string_equal(a->rule, "ACT-CMP-COMMUNITY");
	assert_string_equal(ct_kind_approval_role(a, settings),
	    "community-team-leader");

	snprintf(path, sizeof(path), "%sremand.yaml", dir);
	assert_null(ct_kind_approval_of(path));        /* no approval */
	assert_null(ct_kind_approval_of("cases/5b/ACT-0042/case.yaml"));
	assert_null(ct_kind_approval_of("casetrail.yaml"));
	assert_null(ct_kind_approval_of("cases/00/ACT-0042/cmp/custodial.yaml"));
	ct_node_free(settings);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules_column_matches_the_shipped_rules),
		cmocka_unit_test(administered_and_append_only),
		cmocka_unit_test(approvals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of the change policy (lib/policy/policy.c) on in-memory parent and
 * child snapshots: each clause reported under its rule for the change
 * that breaks it, and nothing for the same change made as the tools make
 * it (DESIGN.md §4 ACT-CMP-CUSTODIAL, VIC-S284).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "casetrail/policy.h"
#include "casetrail/yaml.h"

#define CASE "cases/5b/ACT-0042"
#define PLAN CASE "/cmp/custodial.yaml"
#define ENTRY "cases/52/VIC-0007/disclosures/20260301T223000Z-1.yaml"

/* A snapshot: up to 8 files, path -> YAML text. */
struct snap {
	const char *path[8], *yaml[8];
};

static int
snap_load(void *arg, const char *path, ct_node **doc, ct_error *err)
{
	const struct snap *s = arg;
	size_t i;

	*doc = NULL;
	for (i = 0; i < 8 && s->path[i] != NULL; i++)
		if (strcmp(s->path[i], path) == 0)
			return ct_yaml_load(s->yaml[i], strlen(s->yaml[i]), path,
			    doc, err);
	return 0;
}

static const char ops[] =
    "operators:\n"
    "  - id: ada\n    email: ada@example.org\n    roles: [administrator]\n"
    "  - id: dave\n    email: dave@example.org\n    roles: [case-manager]\n"
    "  - id: carol\n    email: carol@example.org\n"
    "    roles: [cmu-team-leader]\n";
static const char settings[] = "jurisdiction: ACT\n";

/* The rules reported, space-separated, into buf. */
static int
collect(const char *path, const char *rule, const char *what, void *arg,
    ct_error *err)
{
	char *buf = arg;

	(void)path;
	(void)what;
	(void)err;
	if (*buf != '\0')
		strcat(buf, " ");
	strcat(buf, rule);
	return 0;
}

/* Check the change of path from parent to child by email. */
static const char *
check(struct snap *parent, struct snap *child, const char *path,
    const char *email)
{
	static char found[256];
	const char *paths[] = { path };
	ct_policy_input in = {
		.parent = { snap_load, parent },
		.child = { snap_load, child },
		.paths = paths,
		.npaths = 1,
		.email = email,
	};
	ct_error err = { 0 };

	found[0] = '\0';
	assert_int_equal(ct_policy_check(&in, collect, found, &err), 0);
	return found;
}

/* A snapshot of the registry and settings and one file (may be NULL). */
static struct snap
with(const char *path, const char *yaml)
{
	struct snap s = { { "registry/operators.yaml", "casetrail.yaml", path },
	    { ops, settings, yaml } };

	return s;
}

static void
append_only(void **state)
{
	struct snap p = with(ENTRY, "information: Draft CSP\n");
	struct snap changed = with(ENTRY, "information: Something else\n");
	struct snap removed = with(NULL, NULL), none = with(NULL, NULL);

	(void)state;
	assert_string_equal(check(&none, &p, ENTRY, "dave@example.org"), "");
	assert_string_equal(check(&p, &changed, ENTRY, "ada@example.org"),
	    "append-only");
	assert_string_equal(check(&p, &removed, ENTRY, "ada@example.org"),
	    "append-only");
}

static void
admin_only(void **state)
{
	struct snap p = with("rules/deadlines.yaml", "format: 1\n");
	struct snap c = with("rules/deadlines.yaml", "format: 1\nrules: []\n");

	(void)state;
	assert_string_equal(check(&p, &c, "rules/deadlines.yaml",
	    "ada@example.org"), "");
	assert_string_equal(check(&p, &c, "rules/deadlines.yaml",
	    "dave@example.org"), "admin-only");
	assert_string_equal(check(&p, &c, "rules/deadlines.yaml",
	    "eve@example.org"), "admin-only");
	/* a case record: any registered operator */
	p = with(CASE "/case.yaml", "id: ACT-0042\n");
	c = with(CASE "/case.yaml", "id: ACT-0042\nevents: []\n");
	assert_string_equal(check(&p, &c, CASE "/case.yaml",
	    "dave@example.org"), "");
}

/* The settings keep the jurisdiction, whoever changes them. */
static void
jurisdiction(void **state)
{
	struct snap p = with(NULL, NULL);
	struct snap c = { { "registry/operators.yaml", "casetrail.yaml" },
	    { ops, "jurisdiction: VIC\n" } };
	struct snap tz = { { "registry/operators.yaml", "casetrail.yaml" },
	    { ops, "jurisdiction: ACT\ntimezone: Australia/Sydney\n" } };

	(void)state;
	assert_string_equal(check(&p, &c, "casetrail.yaml", "ada@example.org"),
	    "jurisdiction");
	assert_string_equal(check(&p, &tz, "casetrail.yaml",
	    "ada@example.org"), "");
	assert_string_equal(check(&p, &tz, "casetrail.yaml",
	    "dave@example.org"), "admin-only");
}

/* A policy file its schema accepts is read as its reader reads it: here
 * the settings' time zone must be one the system knows. */
#define SETTINGS(tz) "format: 1\njurisdiction: ACT\ntimezone: " tz "\n" \
    "approval_roles:\n  custodial: cmu-team-leader\n" \
    "  community: community-team-leader\nsigning:\n  format: none\n"

static void
policy_file(void **state)
{
	struct snap p = with(NULL, NULL);
	struct snap good = { { "registry/operators.yaml", "casetrail.yaml" },
	    { ops, SETTINGS("Australia/Canberra") } };
	struct snap bad = { { "registry/operators.yaml", "casetrail.yaml" },
	    { ops, SETTINGS("Mars/Base") } };
	struct snap invalid = { { "registry/operators.yaml", "casetrail.yaml" },
	    { ops, "jurisdiction: ACT\ntimezone: Mars/Base\n" } };

	(void)state;
	assert_string_equal(check(&p, &good, "casetrail.yaml",
	    "ada@example.org"), "");
	assert_string_equal(check(&p, &bad, "casetrail.yaml",
	    "ada@example.org"), "policy-file");
	/* a file the schema refuses is the schema check's to report */
	assert_string_equal(check(&p, &invalid, "casetrail.yaml",
	    "ada@example.org"), "");
}

static const char pending[] =
    "status: pending-approval\nchanged_by: dave\napprovals: []\n";
static const char approved_carol[] =
    "status: approved\nchanged_by: dave\napprovals:\n  - by: carol\n";
static const char approved_dave[] =
    "status: approved\nchanged_by: dave\napprovals:\n  - by: dave\n";

static void
approvals(void **state)
{
	struct snap p = with(PLAN, pending);
	struct snap ok = with(PLAN, approved_carol);
	struct snap own = with(PLAN, approved_dave);
	struct snap edited = with(PLAN, "status: approved\nchanged_by: dave\n"
	    "goals: [other]\napprovals:\n  - by: carol\n");

	(void)state;
	/* ACT-CMP-CUSTODIAL: the CMU Team Leader approves */
	assert_string_equal(check(&p, &ok, PLAN, "carol@example.org"), "");
	/* by someone else, naming carol: neither the role nor the name */
	assert_string_equal(check(&p, &ok, PLAN, "ada@example.org"),
	    "approval-role approval-by");
	/* the entry names the author */
	assert_string_equal(check(&p, &own, PLAN, "carol@example.org"),
	    "approval-by");
	/* an approved plan changed without a new approval */
	assert_string_equal(check(&ok, &edited, PLAN, "dave@example.org"),
	    "approval-stale");
}

/* writer-role: a plan is a case manager's; its approval the approving
 * role's */
static void
writer_role(void **state)
{
	struct snap p = with(PLAN, pending);
	struct snap c = with(PLAN, "status: pending-approval\nchanged_by: "
	    "dave\ngoals: [other]\napprovals: []\n");
	struct snap ok = with(PLAN, approved_carol);

	(void)state;
	assert_string_equal(check(&p, &c, PLAN, "dave@example.org"), "");
	assert_string_equal(check(&p, &c, PLAN, "carol@example.org"),
	    "writer-role");
	assert_string_equal(check(&p, &c, PLAN, "ada@example.org"),
	    "writer-role");
	/* carol is no case manager, but approving is her role's */
	assert_string_equal(check(&p, &ok, PLAN, "carol@example.org"), "");
	/* a case record any operator writes */
	p = with(CASE "/case.yaml", "id: ACT-0042\n");
	c = with(CASE "/case.yaml", "id: ACT-0042\nevents: []\n");
	assert_string_equal(check(&p, &c, CASE "/case.yaml",
	    "carol@example.org"), "");
}

static void
approval_own_version(void **state)
{
	static const char ops2[] =
	    "operators:\n"
	    "  - id: carol\n    email: carol@example.org\n"
	    "    roles: [cmu-team-leader]\n";
	struct snap p = { { "registry/operators.yaml", "casetrail.yaml", PLAN },
	    { ops2, settings, "status: pending-approval\nchanged_by: carol\n" } };
	struct snap c = { { "registry/operators.yaml", "casetrail.yaml", PLAN },
	    { ops2, settings, "status: approved\nchanged_by: carol\n"
	    "approvals:\n  - by: carol\n" } };

	(void)state;
	assert_string_equal(check(&p, &c, PLAN, "carol@example.org"),
	    "approval-own");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(append_only),
		cmocka_unit_test(admin_only),
		cmocka_unit_test(jurisdiction),
		cmocka_unit_test(policy_file),
		cmocka_unit_test(approvals),
		cmocka_unit_test(writer_role),
		cmocka_unit_test(approval_own_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

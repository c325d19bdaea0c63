/*
 * Tests of lib/records/csp.c: Coordinated Services Plans (DESIGN.md §4).
 *
 * The plan operations run on YAML trees written here, with an agency
 * registry of four MAP members (djcs, dffh, dh, vicpol), a service funded
 * by DH (forensicare), one funded by no member (ngo) and one funded by an
 * agency that is not registered (orphan): VIC-CSP-ENDORSE (who must
 * commit), VIC-SDU (requests and answers), the versions of a plan under
 * review (VIC-CSP-REVIEW, VIC-CSP-REQUIRED read the endorsements they
 * keep), the checks of plan input and of whole plans, and the schema and
 * ct_csp_check() on the record fixtures of CT_FIXTURES/csp/schema/
 * {valid,invalid}/ (which Python's jsonschema checks too, in
 * tests/cli/0032-csp-schema.t) and CT_FIXTURES/csp/check/invalid/ (valid
 * by the schema, refused by ct_csp_check()).  Each invalid NAME.yaml has a
 * NAME.error whose lines the message must hold.
 * The tools and the store are tested end to end by tests/cli/003[1-5]-csp-*.t.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casetrail/csp.h"
#include "casetrail/schema.h"
#include "casetrail/yaml.h"

#include "yamlfx.h"

static const char registry[] =
    "agencies:\n"
    "  - {id: djcs, name: Justice, map_member: true}\n"
    "  - {id: dffh, name: Families, map_member: true}\n"
    "  - {id: dh, name: Health, map_member: true}\n"
    "  - {id: vicpol, name: Police, map_member: true}\n"
    "  - {id: forensicare, name: Forensicare, funded_by: dh}\n"
    "  - {id: ngo, name: Unfunded}\n"
    "  - {id: orphan, name: Orphan, funded_by: gone}\n";

/* s1 djcs active, s2 dh via forensicare planned, s3 dffh ceased */
static const char input_text[] =
    "services:\n"
    "  - id: s1\n    agency: djcs\n    delivers: Case management\n"
    "    addresses: Compliance\n    frequency: weekly\n"
    "    start: '2026-03-02'\n    status: active\n"
    "  - id: s2\n    agency: dh\n    provider: forensicare\n"
    "    delivers: Treatment\n    addresses: Mental illness\n"
    "    frequency: fortnightly\n    status: planned\n"
    "  - id: s3\n    agency: dffh\n    delivers: Housing\n"
    "    addresses: Accommodation\n    frequency: once\n"
    "    start: '2026-01-01'\n    status: ceased\n"
    "comments: First plan.\n";

static ct_date
day(const char *s)
{
	ct_error err = {0};
	ct_date d = 0;

	if (ct_date_parse(s, &d, &err) != 0)
		fail_msg("%s", ct_error_msg(&err));
	return d;
}

static ct_node *
yaml(const char *text)
{
	return yaml_doc(text, "t.yaml");
}

/* The error message contains want; clears err. */
static void
has(ct_error *err, const char *want)
{
	if (strstr(ct_error_msg(err), want) == NULL)
		fail_msg("message '%s' lacks '%s'", ct_error_msg(err), want);
	ct_error_clear(err);
}

/* A plan from input_text, endorsed or not. */
static ct_node *
plan(bool endorsed)
{
	ct_node *in = yaml(input_text), *csp = NULL, *reg = yaml(registry);
	char *committed[] = { "djcs", "dh", NULL };
	ct_error err = {0};

	assert_int_equal(ct_csp_new("V1", in, &csp, &err), 0);
	if (endorsed && ct_csp_endorse(csp, "V1", reg, "MAP-1",
	    day("2026-03-20"), day("2026-03-20"), committed, &err) != 0)
		fail_msg("%s", ct_error_msg(&err));
	ct_node_free(in);
	ct_node_free(reg);
	return csp;
}

static void
check_ok(const ct_node *csp)
{
	ct_node *reg = yaml(registry);
	ct_schema *s = NULL;
	ct_error err = {0};

	if (ct_schema_load(CT_CSP_SCHEMA, &s, &err) != 0 ||
	    ct_schema_validate(s, csp, "csp.yaml", &err) != 0 ||
	    ct_csp_check(csp, reg, "csp.yaml", &err) != 0)
		fail_msg("%s", ct_error_msg(&err));
	ct_schema_free(s);
	ct_node_free(reg);
}

/*
 * Plan input: services and comments only, registered agencies.
 */
static void
test_input(void **state)
{
	ct_node *reg = yaml(registry), *in = NULL;
	ct_error err = {0};

	(void)state;
	assert_int_equal(ct_csp_input_load(input_text, strlen(input_text),
	    "plan.yaml", reg, &in, &err), 0);
	assert_int_equal(ct_map_get(in, "services")->n, 3);
	ct_node_free(in);

#define BAD(text, want) do { \
	assert_int_equal(ct_csp_input_load(text, strlen(text), "plan.yaml", \
	    reg, &in, &err), CT_EINVALID); \
	assert_null(in); \
	has(&err, want); \
} while (0)
#define SVC(extra) "services:\n  - id: s1\n    agency: djcs\n" \
	"    delivers: x\n    addresses: y\n    frequency: z\n" extra

	BAD(SVC("    status: planned\nstatus: endorsed\n"),
	    "plan.yaml:8:1: status: unknown field (a plan gives services and "
	    "comments; the tools keep");
	BAD("comments: none\n", "plan.yaml:1:1: services: required field");
	BAD("- a list\n", "plan.yaml:1:1: (root): expected a mapping");
	BAD(SVC("    status: maybe\n"),
	    "plan.yaml:7:13: services[0].status: 'maybe' is not one of "
	    "planned, active, ceased");
	BAD(SVC("    status: planned\n    colour: red\n"),
	    "plan.yaml:8:5: services[0].colour: unknown field");
	/* an unregistered agency in a service */
	BAD("services:\n  - id: s1\n    agency: acme\n    delivers: x\n"
	    "    addresses: y\n    frequency: z\n    status: planned\n",
	    "plan.yaml:3:13: services[0].agency: 'acme' is not a registered "
	    "agency");
	BAD(SVC("    status: planned\n    provider: acme\n"),
	    "plan.yaml:8:15: services[0].provider: 'acme' is not a registered");
	BAD(SVC("    status: planned\n    provider: djcs\n"),
	    "services[0].provider: the provider is the agency itself");
	BAD(SVC("    status: active\n"),
	    "plan.yaml:2:5: services[0].start: an active service needs its "
	    "start date");
	BAD(SVC("    status: planned\n") "  - id: s1\n    agency: dh\n"
	    "    delivers: x\n    addresses: y\n    frequency: z\n"
	    "    status: planned\n",
	    "plan.yaml:8:9: services[1].id: 's1' is already the id of "
	    "services[0]");
	BAD(SVC("    status: planned\n    start: '2026-02-30'\n"),
	    "services[0].start: '2026-02-30' is not a valid date");
	BAD("services: [unclosed\n", "plan.yaml:");
	BAD("services:\n  - &a {id: s1}\n", "plan.yaml:2:5");
#undef BAD
#undef SVC
	ct_node_free(reg);
}

static void
test_case_supervised(void **state)
{
	ct_node *c;

	(void)state;
	c = yaml("orders:\n  - {type: supervision, made: '2026-01-01'}\n");
	assert_true(ct_csp_case_supervised(c));
	ct_node_free(c);
	c = yaml("orders:\n  - {type: interim-supervision, made: "
	    "'2026-01-01', ended: '2026-02-01'}\n"
	    "  - {type: detention, made: '2026-02-01'}\n");
	assert_false(ct_csp_case_supervised(c));
	ct_node_free(c);
	c = yaml("id: X\n");
	assert_false(ct_csp_case_supervised(c));
	ct_node_free(c);
}

/*
 * Versions: a draft, its endorsement, a review (VIC-CSP-REVIEW keeps its
 * anchor: the endorsements are carried into the new version).
 */
static void
test_versions(void **state)
{
	ct_node *csp = plan(false), *in;
	ct_error err = {0};
	const ct_node *e;

	(void)state;
	assert_string_equal(ct_map_str(csp, "case"), "V1");
	assert_int_equal(ct_map_get(csp, "version")->ival, 1);
	assert_string_equal(ct_map_str(csp, "status"), "draft");
	assert_string_equal(ct_map_str(csp, "comments"), "First plan.");
	check_ok(csp);
	/* a review while the draft is open */
	assert_int_equal(ct_csp_can_review(csp, "V1", &err), CT_EINVALID);
	has(&err, "V1: CSP version 1 is a draft still open: endorse it");
	assert_int_equal(ct_csp_review(csp, "V1", NULL, day("2026-04-01"),
	    NULL, &err), CT_EINVALID);
	has(&err, "draft still open");
	ct_node_free(csp);

	csp = plan(true);
	check_ok(csp);
	assert_int_equal(ct_csp_review(csp, "V1", NULL, day("2026-09-01"),
	    "Six-monthly review", &err), 0);
	check_ok(csp);
	assert_int_equal(ct_map_get(csp, "version")->ival, 2);
	assert_string_equal(ct_map_str(csp, "status"), "draft");
	assert_int_equal(ct_map_get(csp, "services")->n, 3);
	e = ct_map_get(csp, "endorsements");
	assert_int_equal(e->n, 1);
	assert_string_equal(ct_map_str(e->items[0], "date"), "2026-03-20");
	e = ct_map_get(csp, "reviews");
	assert_int_equal(e->n, 1);
	assert_int_equal(ct_map_get(e->items[0], "version")->ival, 2);
	assert_string_equal(ct_map_str(e->items[0], "opened"), "2026-09-01");
	assert_string_equal(ct_map_str(e->items[0], "reason"),
	    "Six-monthly review");
	ct_node_free(csp);

	/* new services from input; comments dropped when it has none */
	csp = plan(true);
	in = yaml("services:\n  - id: s9\n    agency: vicpol\n"
	    "    delivers: x\n    addresses: y\n    frequency: z\n"
	    "    status: planned\n");
	assert_int_equal(ct_csp_review(csp, "V1", in, day("2026-09-01"),
	    NULL, &err), 0);
	assert_int_equal(ct_map_get(csp, "services")->n, 1);
	assert_null(ct_map_get(csp, "comments"));
	assert_null(ct_map_get(ct_map_get(csp, "reviews")->items[0],
	    "reason"));
	check_ok(csp);
	ct_node_free(in);
	ct_node_free(csp);
}

/*
 * VIC-CSP-ENDORSE: the MAP's endorsement commits its member agencies and
 * their funded services to the services in the plan.
 */
static void
test_vic_csp_endorse(void **state)
{
	ct_node *reg = yaml(registry), *csp = plan(false), *in;
	char *djcs[] = { "djcs", NULL };
	char *both[] = { "djcs", "dh", "djcs", NULL };
	char *bad[] = { "djcs", "dh", "forensicare", "acme", "ngo", NULL };
	char *all[] = { "djcs", "dffh", "dh", "vicpol", NULL };
	ct_error err = {0};
	const ct_node *e;
	ct_date today = day("2026-03-20");

	(void)state;
	/* dh funds forensicare's s2; s3 (dffh) has ceased */
	assert_int_equal(ct_csp_endorse(csp, "V1", reg, "MAP-1", today,
	    today, djcs, &err), CT_EINVALID);
	has(&err, "V1: every MAP member agency delivering or funding a "
	    "service in the plan must commit; missing: dh (service s2)");
	assert_string_equal(ct_map_str(csp, "status"), "draft");
	assert_null(ct_map_get(csp, "endorsements"));
	/* committing agencies must be registered MAP members */
	assert_int_equal(ct_csp_endorse(csp, "V1", reg, "MAP-1", today,
	    today, bad, &err), CT_EINVALID);
	has(&err, "V1: endorsement by the MAP commits its member agencies; "
	    "not MAP members: forensicare, ngo; not registered: acme");
	assert_int_equal(ct_csp_endorse(csp, "V1", reg, "MAP-1", today,
	    today, NULL, &err), CT_EINVALID);
	has(&err, "name the committing MAP member agencies");
	/* dates */
	assert_int_equal(ct_csp_endorse(csp, "V1", reg, "MAP-1",
	    day("2026-03-21"), today, both, &err), CT_EINVALID);
	has(&err, "--date 2026-03-21 is after today (2026-03-20)");
	assert_int_equal(ct_csp_endorse(csp, "V1", reg, "MAP\n1", today,
	    today, both, &err), CT_EINVALID);
	has(&err, "--meeting");
	/* endorsed; duplicates ignored; more members than needed is fine */
	assert_int_equal(ct_csp_endorse(csp, "V1", reg, "MAP-1", today,
	    today, both, &err), 0);
	check_ok(csp);
	assert_string_equal(ct_map_str(csp, "status"), "endorsed");
	e = ct_map_get(csp, "endorsements");
	assert_int_equal(e->n, 1);
	assert_int_equal(ct_map_get(e->items[0], "version")->ival, 1);
	assert_string_equal(ct_map_str(e->items[0], "meeting"), "MAP-1");
	assert_string_equal(ct_map_str(e->items[0], "date"), "2026-03-20");
	assert_int_equal(ct_map_get(e->items[0], "agencies")->n, 2);
	/* twice */
	assert_int_equal(ct_csp_endorse(csp, "V1", reg, "MAP-1", today,
	    today, both, &err), CT_EINVALID);
	has(&err, "V1: CSP version 1 is already endorsed; open the next "
	    "version with csp-new --review");
	/* the next version: not before the review was opened, nor before
	 * the last endorsement */
	assert_int_equal(ct_csp_review(csp, "V1", NULL, day("2026-09-01"),
	    NULL, &err), 0);
	assert_int_equal(ct_csp_endorse(csp, "V1", reg, "MAP-7",
	    day("2026-03-19"), day("2026-09-15"), all, &err), CT_EINVALID);
	has(&err, "--date 2026-03-19 is before the previous endorsement "
	    "(2026-03-20)");
	assert_int_equal(ct_csp_endorse(csp, "V1", reg, "MAP-7",
	    day("2026-08-31"), day("2026-09-15"), all, &err), CT_EINVALID);
	has(&err, "--date 2026-08-31 is before the review of version 2 was "
	    "opened (2026-09-01)");
	assert_int_equal(ct_csp_endorse(csp, "V1", reg, "MAP-7",
	    day("2026-09-15"), day("2026-09-15"), all, &err), 0);
	check_ok(csp);
	assert_int_equal(ct_map_get(csp, "endorsements")->n, 2);
	ct_node_free(csp);

	/* a service whose agency is a funded service: its funder commits */
	in = yaml("services:\n  - id: t1\n    agency: forensicare\n"
	    "    delivers: x\n    addresses: y\n    frequency: z\n"
	    "    status: planned\n");
	assert_int_equal(ct_csp_new("V2", in, &csp, &err), 0);
	assert_int_equal(ct_csp_endorse(csp, "V2", reg, "MAP-1", today,
	    today, djcs, &err), CT_EINVALID);
	has(&err, "missing: dh (service t1)");
	ct_node_free(csp);
	ct_node_free(in);
	/* no member answers for a service: an agency nobody funds, or one
	 * funded by an agency that is not registered */
	in = yaml("services:\n  - id: t1\n    agency: ngo\n"
	    "    delivers: x\n    addresses: y\n    frequency: z\n"
	    "    status: planned\n");
	assert_int_equal(ct_csp_new("V3", in, &csp, &err), 0);
	assert_int_equal(ct_csp_endorse(csp, "V3", reg, "MAP-1", today,
	    today, all, &err), CT_EINVALID);
	has(&err, "V3: service t1: agency 'ngo' is not a MAP member and no "
	    "MAP member funds it");
	ct_node_free(csp);
	ct_node_free(in);
	/* nothing to endorse */
	in = yaml("services:\n  - id: t1\n    agency: orphan\n"
	    "    delivers: x\n    addresses: y\n    frequency: z\n"
	    "    start: '2026-01-01'\n    status: ceased\n");
	assert_int_equal(ct_csp_new("V4", in, &csp, &err), 0);
	assert_int_equal(ct_csp_endorse(csp, "V4", reg, "MAP-1", today,
	    today, all, &err), CT_EINVALID);
	has(&err, "V4: the plan has no planned or active service to endorse");
	ct_node_free(csp);
	ct_node_free(in);
	ct_node_free(reg);
}

/*
 * VIC-SDU: requests for service-delivery updates, and their answers.
 */
static void
test_vic_sdu_request(void **state)
{
	ct_node *csp = plan(true);
	char *all[] = { "all", NULL };
	char *two[] = { "dh", "forensicare", NULL };
	char *dh[] = { "dh", NULL };
	char *bad[] = { "vicpol", NULL };
	char *mixed[] = { "all", "dh", NULL };
	char *djcs[] = { "djcs", NULL };
	char *asked = NULL;
	ct_error err = {0};
	const ct_node *rq;
	ct_date today = day("2026-08-10"), due = day("2026-08-31");

	(void)state;
	/* all: the provider, else the agency, of every active service */
	assert_int_equal(ct_csp_request(csp, "V1", all, "written", today,
	    due, &asked, &err), 0);
	assert_string_equal(asked, "djcs");
	free(asked);
	rq = ct_map_get(csp, "requests");
	assert_int_equal(rq->n, 1);
	assert_string_equal(ct_map_str(rq->items[0], "id"), "r1");
	assert_int_equal(ct_map_get(rq->items[0], "version")->ival, 1);
	assert_string_equal(ct_map_str(rq->items[0], "agency"), "djcs");
	assert_string_equal(ct_map_str(rq->items[0], "via"), "written");
	assert_string_equal(ct_map_str(rq->items[0], "requested"),
	    "2026-08-10");
	assert_string_equal(ct_map_str(rq->items[0], "due"), "2026-08-31");
	check_ok(csp);
	/* the same again: nothing to ask */
	assert_int_equal(ct_csp_request(csp, "V1", all, "written", today,
	    due, &asked, &err), 0);
	assert_string_equal(asked, "");
	free(asked);
	assert_int_equal(rq->n, 1);
	/* with all, an agency with any open request is skipped; named, it
	 * is an error to ask again differently while one is open */
	assert_int_equal(ct_csp_request(csp, "V1", all, "conference", today,
	    day("2026-09-30"), &asked, &err), 0);
	assert_string_equal(asked, "");
	free(asked);
	asked = NULL;
	assert_int_equal(ct_csp_request(csp, "V1", djcs, "conference", today,
	    due, &asked, &err), CT_EINVALID);
	assert_null(asked);
	has(&err, "V1: djcs already has an open request r1 (due 2026-08-31): "
	    "record its answer first");
	/* agencies named in the plan, as agency or provider */
	assert_int_equal(ct_csp_request(csp, "V1", two, "conference", today,
	    due, &asked, &err), 0);
	assert_string_equal(asked, "dh, forensicare");
	free(asked);
	assert_int_equal(rq->n, 3);
	assert_string_equal(ct_map_str(rq->items[2], "id"), "r3");
	check_ok(csp);
	assert_int_equal(ct_csp_request(csp, "V1", bad, "written", today,
	    due, &asked, &err), CT_EINVALID);
	has(&err, "V1: 'vicpol' is not named in the plan (its agencies: djcs, "
	    "dh, forensicare, dffh)");
	assert_int_equal(ct_csp_request(csp, "V1", mixed, "written", today,
	    due, &asked, &err), CT_EINVALID);
	has(&err, "--agency all goes alone");
	assert_int_equal(ct_csp_request(csp, "V1", dh, "email", today, due,
	    &asked, &err), CT_EINVALID);
	has(&err, "--via: expected conference or written, not 'email'");
	assert_int_equal(ct_csp_request(csp, "V1", dh, "written", today,
	    day("2026-08-09"), &asked, &err), CT_EINVALID);
	has(&err, "--due 2026-08-09 is before the request (2026-08-10)");
	assert_int_equal(rq->n, 3);
	ct_node_free(csp);
}

static void
test_vic_sdu_record(void **state)
{
	ct_node *csp = plan(true);
	char *two[] = { "djcs", "dh", NULL };
	char *asked = NULL, *delivered = NULL, *next = NULL;
	const char *id = NULL;
	ct_error err = {0};
	const ct_node *r;
	ct_date today = day("2026-08-20");

	(void)state;
	/* an answer with no open request */
	assert_int_equal(ct_csp_record(csp, "V1", "djcs", today, today, "a",
	    "b", &id, &err), CT_EINVALID);
	has(&err, "V1: no open service-delivery update request for djcs");
	assert_int_equal(ct_csp_request(csp, "V1", two, "written",
	    day("2026-08-10"), day("2026-08-31"), &asked, &err), 0);
	free(asked);
	assert_int_equal(ct_csp_record(csp, "V1", "djcs", day("2026-08-09"),
	    today, "a", "b", &id, &err), CT_EINVALID);
	has(&err, "--received 2026-08-09 is before the request r1 "
	    "(2026-08-10)");
	assert_int_equal(ct_csp_record(csp, "V1", "djcs", day("2026-08-21"),
	    today, "a", "b", &id, &err), CT_EINVALID);
	has(&err, "--received 2026-08-21 is after today (2026-08-20)");
	assert_int_equal(ct_csp_record(csp, "V1", "djcs", today, today, "",
	    "b", &id, &err), CT_EINVALID);
	has(&err, "an answer needs");
	assert_int_equal(ct_csp_record(csp, "V1", "djcs", day("2026-08-19"),
	    today, "Weekly sessions,\nall attended", "Continue", &id, &err),
	    0);
	assert_string_equal(id, "r1");
	r = ct_map_get(csp, "requests")->items[0];
	assert_string_equal(ct_map_str(r, "received"), "2026-08-19");
	assert_string_equal(ct_map_str(r, "delivered"),
	    "Weekly sessions,\nall attended");
	assert_string_equal(ct_map_str(r, "next"), "Continue");
	check_ok(csp);
	/* answered: no open request any more */
	assert_int_equal(ct_csp_record(csp, "V1", "djcs", today, today, "a",
	    "b", &id, &err), CT_EINVALID);
	has(&err, "no open service-delivery update request for djcs");
	ct_node_free(csp);

	/* answers from a file */
	{
		static const char a[] = "delivered: |\n  one\n  two\n"
		    "next: three\n";

		assert_int_equal(ct_csp_answer_load(a, strlen(a), "a.yaml",
		    &delivered, &next, &err), 0);
	}
	assert_string_equal(delivered, "one\ntwo\n");
	assert_string_equal(next, "three");
	free(delivered);
	free(next);
#define ABAD(text, want) do { \
	assert_int_equal(ct_csp_answer_load(text, strlen(text), "a.yaml", \
	    &delivered, &next, &err), CT_EINVALID); \
	assert_null(delivered); \
	assert_null(next); \
	has(&err, want); \
} while (0)
	ABAD("delivered: x\n", "a.yaml:1:1: next: required field is missing");
	ABAD("delivered: x\nnext: 3\n", "a.yaml:2:7: next: expected text");
	ABAD("delivered: x\nnext: y\nreceived: z\n",
	    "a.yaml:3:1: received: unknown field");
	ABAD("[x]\n", "a.yaml:1:1: (root): expected a mapping");
#undef ABAD
}

static void
test_sdus(void **state)
{
	ct_node *csp = yaml("case: V1\nversion: 1\nstatus: endorsed\n"
	    "services: []\nrequests:\n"
	    "  - {id: r1, version: 1, agency: djcs, via: written, "
	    "requested: '2026-08-01', due: '2026-08-29', "
	    "received: '2026-08-20', delivered: a, next: b}\n"
	    "  - {id: r2, version: 1, agency: dh, via: conference, "
	    "requested: '2026-08-01', due: '2026-08-29'}\n"
	    "  - {id: r3, version: 1, agency: dffh, via: written, "
	    "requested: '2026-09-01', due: '2026-09-15'}\n");
	ct_rows s;
	ct_error err = {0};

	(void)state;
	ct_rows_init(&s, &ct_sdu_report);
	assert_int_equal(ct_csp_sdus(csp, day("2026-08-30"), &s, &err), 0);
	assert_int_equal(s.n, 2);   /* r3 not asked yet on 30 Aug */
	assert_string_equal(ct_rows_get(&s, 0, CT_SDU_COL_CASE), "V1");
	assert_string_equal(ct_rows_get(&s, 0, CT_SDU_COL_REQUEST), "r1");
	assert_string_equal(ct_rows_get(&s, 0, CT_SDU_COL_STATUS),
	    "received");
	assert_string_equal(ct_rows_get(&s, 0, CT_SDU_COL_RECEIVED),
	    "2026-08-20");
	assert_string_equal(ct_rows_get(&s, 1, CT_SDU_COL_AGENCY), "dh");
	assert_string_equal(ct_rows_get(&s, 1, CT_SDU_COL_VIA), "conference");
	assert_string_equal(ct_rows_get(&s, 1, CT_SDU_COL_STATUS), "overdue");
	assert_string_equal(ct_rows_get(&s, 1, CT_SDU_COL_DAYS), "-1");
	assert_null(ct_rows_get(&s, 1, CT_SDU_COL_RECEIVED));
	ct_rows_clear(&s);
	/* on the due day it is outstanding; an answer dated after today
	 * has not come yet */
	assert_int_equal(ct_csp_sdus(csp, day("2026-08-19"), &s, &err), 0);
	assert_string_equal(ct_rows_get(&s, 0, CT_SDU_COL_STATUS),
	    "outstanding");
	assert_null(ct_rows_get(&s, 0, CT_SDU_COL_RECEIVED));
	assert_string_equal(ct_rows_get(&s, 1, CT_SDU_COL_DAYS), "10");
	assert_string_equal(ct_sdu_status_name(CT_SDU_RECEIVED), "received");
	ct_rows_clear(&s);
	assert_int_equal(ct_csp_sdus(csp, day("2026-08-29"), &s, &err), 0);
	assert_string_equal(ct_rows_get(&s, 1, CT_SDU_COL_STATUS),
	    "outstanding");
	assert_string_equal(ct_rows_get(&s, 1, CT_SDU_COL_DAYS), "0");
	ct_rows_clear(&s);
	ct_node_free(csp);
}

/* Sorted by due date, case and id; rendered as text, JSON and CSV. */
static void
test_sdus_output(void **state)
{
	ct_node *a = yaml("case: V2\nrequests:\n"
	    "  - {id: r2, version: 1, agency: dh, via: written, "
	    "requested: '2026-08-01', due: '2026-08-29'}\n"
	    "  - {id: r1, version: 1, agency: djcs, via: written, "
	    "requested: '2026-08-01', due: '2026-08-29', "
	    "received: '2026-08-02'}\n");
	ct_node *b = yaml("case: V1\nrequests:\n"
	    "  - {id: r9, version: 2, agency: dffh, via: conference, "
	    "requested: '2026-08-01', due: '2026-09-01'}\n"
	    "  - {id: r3, version: 2, agency: dffh, via: conference, "
	    "requested: '2026-07-01', due: '2026-08-29'}\n");
	ct_buf out = {0};
	ct_rows s;
	ct_error err = {0};
	ct_node *json;

	(void)state;
	ct_rows_init(&s, &ct_sdu_report);
	assert_int_equal(ct_csp_sdus(a, day("2026-08-30"), &s, &err), 0);
	assert_int_equal(ct_csp_sdus(b, day("2026-08-30"), &s, &err), 0);
	ct_rows_sort(&s, ct_sdu_order);
	assert_string_equal(ct_rows_get(&s, 0, CT_SDU_COL_CASE), "V1");
	assert_string_equal(ct_rows_get(&s, 0, CT_SDU_COL_REQUEST), "r3");
	assert_string_equal(ct_rows_get(&s, 1, CT_SDU_COL_REQUEST), "r1");
	assert_string_equal(ct_rows_get(&s, 2, CT_SDU_COL_REQUEST), "r2");
	assert_string_equal(ct_rows_get(&s, 3, CT_SDU_COL_REQUEST), "r9");
	ct_rows_csv(&s, false, &out);
	assert_false(out.failed);
	assert_string_equal(out.s,
	    "case,request,version,agency,via,requested,due,received,status,"
	    "days\r\n"
	    "V1,r3,2,dffh,conference,2026-07-01,2026-08-29,,overdue,-1\r\n"
	    "V2,r1,1,djcs,written,2026-08-01,2026-08-29,2026-08-02,received,"
	    "-1\r\n"
	    "V2,r2,1,dh,written,2026-08-01,2026-08-29,,overdue,-1\r\n"
	    "V1,r9,2,dffh,conference,2026-08-01,2026-09-01,,outstanding,2\r\n");
	ct_buf_free(&out);
	memset(&out, 0, sizeof(out));
	ct_rows_text(&s, &out);
	assert_false(out.failed);
	assert_string_equal(out.s,
	    "DUE         STATUS       DAYS  CASE  REQUEST  AGENCY  VIA         "
	    "REQUESTED   RECEIVED\n"
	    "2026-08-29  overdue        -1  V1    r3       dffh    conference  "
	    "2026-07-01  -\n"
	    "2026-08-29  received       -1  V2    r1       djcs    written     "
	    "2026-08-01  2026-08-02\n"
	    "2026-08-29  overdue        -1  V2    r2       dh      written     "
	    "2026-08-01  -\n"
	    "2026-09-01  outstanding     2  V1    r9       dffh    conference  "
	    "2026-08-01  -\n");
	ct_buf_free(&out);
	memset(&out, 0, sizeof(out));
	ct_rows_json(&s, &out);
	assert_false(out.failed);
	json = yaml(out.s);   /* JSON is YAML */
	assert_int_equal(json->n, 4);
	assert_string_equal(ct_map_str(json->items[1], "received"),
	    "2026-08-02");
	assert_int_equal(ct_map_get(json->items[0], "received")->type,
	    CT_SCALAR_NULL);
	assert_int_equal(ct_map_get(json->items[3], "days")->ival, 2);
	assert_int_equal(ct_map_get(json->items[3], "version")->ival, 2);
	assert_string_equal(ct_map_str(json->items[3], "status"),
	    "outstanding");
	ct_node_free(json);
	ct_buf_free(&out);
	memset(&out, 0, sizeof(out));
	ct_rows_clear(&s);
	ct_rows_json(&s, &out);
	assert_string_equal(out.s, "[]\n");
	ct_buf_free(&out);
	memset(&out, 0, sizeof(out));
	ct_rows_text(&s, &out);
	assert_string_equal(out.s, "no requests to show\n");
	ct_buf_free(&out);
	ct_node_free(a);
	ct_node_free(b);
}

/*
 * Whole plans: what the schema can not say.
 */
static void
check_bad(const char *text, const char *want)
{
	ct_node *reg = yaml(registry), *csp = yaml(text);
	ct_error err = {0};

	assert_int_equal(ct_csp_check(csp, reg, "csp.yaml", &err),
	    CT_EINVALID);
	has(&err, want);
	ct_node_free(csp);
	ct_node_free(reg);
}

#define PLAN "case: V1\nversion: 2\nstatus: %s\nservices: []\n"
#define E1 "  - {version: 1, meeting: M, date: '2026-03-20', agencies: [djcs]}\n"
#define E2 "  - {version: 2, meeting: M, date: '2026-09-20', agencies: [djcs]}\n"
#define RQ(rest) "  - {id: r1, version: 1, agency: dh, via: written, " \
	"requested: '2026-08-10', due: '2026-08-31'" rest "}\n"

static void
test_check(void **state)
{
	char text[1024];

	(void)state;
	snprintf(text, sizeof(text), PLAN "endorsements:\n" E1, "endorsed");
	check_bad(text, "csp.yaml:3:9: status: endorsed, but endorsements "
	    "has no entry for version 2");
	snprintf(text, sizeof(text), PLAN "endorsements:\n" E1 E2, "draft");
	check_bad(text, "status: draft, but version 2 is endorsed");
	snprintf(text, sizeof(text), PLAN "endorsements:\n" E2 E1, "draft");
	check_bad(text, "csp.yaml:7:5: endorsements[1].version: 1 is out of "
	    "order");
	snprintf(text, sizeof(text), PLAN "endorsements:\n" E1
	    "  - {version: 2, meeting: M, date: '2026-03-01', agencies: "
	    "[djcs]}\n", "endorsed");
	check_bad(text, "endorsements[1].date: before the previous");
	snprintf(text, sizeof(text), PLAN "reviews:\n"
	    "  - {version: 3, opened: '2026-09-01'}\n", "draft");
	check_bad(text, "reviews[0].version: 3 is not a version");
	snprintf(text, sizeof(text), PLAN "requests:\n" RQ("") RQ(""),
	    "draft");
	check_bad(text, "csp.yaml:7:10: requests[1].id: 'r1' is already");
	snprintf(text, sizeof(text), PLAN "requests:\n" RQ("")
	    "  - {id: r2, version: 1, agency: dh, via: written, "
	    "requested: '2026-08-10', due: '2026-08-31'}\n", "draft");
	check_bad(text, "requests[1]: a second open request for dh");
	snprintf(text, sizeof(text), PLAN "requests:\n"
	    RQ(", received: '2026-08-01', delivered: a, next: b"), "draft");
	check_bad(text, "requests[0].received: before the request");
	snprintf(text, sizeof(text), PLAN "requests:\n"
	    "  - {id: r1, version: 1, agency: dh, via: written, "
	    "requested: '2026-08-10', due: '2026-08-01'}\n", "draft");
	check_bad(text, "requests[0].due: before the request");
	snprintf(text, sizeof(text), PLAN "requests:\n" RQ(", delivered: a"),
	    "draft");
	check_bad(text, "requests[0]: delivered and next go with received");
	snprintf(text, sizeof(text), PLAN "requests:\n"
	    RQ(", received: '2026-08-20', next: b"), "draft");
	check_bad(text, "requests[0]: a received request needs delivered and "
	    "next");
	check_bad("case: V1\nversion: 1\nstatus: draft\nservices:\n"
	    "  - {id: s1, agency: gone, delivers: x, addresses: y, "
	    "frequency: z, status: planned}\n",
	    "csp.yaml:5:22: services[0].agency: 'gone' is not a registered");
}

/*
 * Editor templates.
 */
static void
test_template(void **state)
{
	ct_node *reg = yaml(registry), *csp = plan(true), *in = NULL;
	char *t = NULL;
	ct_error err = {0};

	(void)state;
	assert_int_equal(ct_csp_template("V1", NULL, reg, &t, &err), 0);
	assert_non_null(strstr(t, "# Coordinated Services Plan of V1: "
	    "version 1, draft.\n"));
	assert_non_null(strstr(t, "djcs (MAP), dffh (MAP), dh (MAP), "
	    "vicpol (MAP), forensicare (funded by dh), ngo, orphan (funded "
	    "by gone)"));
	/* the skeleton is YAML but not yet a plan: the blanks are to fill */
	assert_int_equal(ct_csp_input_load(t, strlen(t), "t.yaml", reg, &in,
	    &err), CT_EINVALID);
	has(&err, "services[0].agency: expected a string, found null");
	free(t);

	/* a review starts from the endorsed services and comments */
	assert_int_equal(ct_csp_template("V1", csp, reg, &t, &err), 0);
	assert_non_null(strstr(t, "version 2, draft, from version 1.\n"));
	assert_int_equal(ct_csp_input_load(t, strlen(t), "t.yaml", reg, &in,
	    &err), 0);
	assert_true(ct_node_equal(ct_map_get(in, "services"),
	    ct_map_get(csp, "services")));
	assert_string_equal(ct_map_str(in, "comments"), "First plan.");
	assert_null(strstr(t, "endorsements"));
	free(t);
	ct_node_free(in);
	ct_node_free(csp);
	ct_node_free(reg);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(ct_csp_action_name(CT_CSP_NEW), "new");
	assert_string_equal(ct_csp_action_name(CT_CSP_REVIEW), "review");
	assert_string_equal(ct_csp_action_name(CT_CSP_REQUEST), "request");
	assert_string_equal(ct_csp_action_name(CT_CSP_RECORD), "record");
	assert_string_equal(ct_csp_action_name(CT_CSP_ENDORSE), "endorse");
}

/*
 * The schema on record fixtures.
 */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int
fixtures(const ct_schema *s, const ct_node *reg, const char *set, bool valid)
{
	char dir[1024], path[2048], *text, *want, *line, *save = NULL;
	struct dirent *de;
	ct_error err = {0};
	ct_node *doc;
	size_t len, wlen;
	int n = 0, rc;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/csp/%s/%s", CT_FIXTURES, set,
	    valid ? "valid" : "invalid");
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		assert_non_null(text = slurp(path, &len));
		doc = NULL;
		rc = ct_yaml_load(text, len, de->d_name, &doc, &err);
		if (rc == 0)
			rc = ct_schema_validate(s, doc, de->d_name, &err);
		if (rc == 0)
			rc = ct_csp_check(doc, reg, de->d_name, &err);
		if (valid && rc != 0)
			fail_msg("%s: %s", path, ct_error_msg(&err));
		if (!valid) {
			if (rc == 0)
				fail_msg("%s: expected invalid", path);
			snprintf(path + strlen(path) - 5, 8, ".error");
			assert_non_null(want = slurp(path, &wlen));
			for (line = strtok_r(want, "\n", &save); line != NULL;
			    line = strtok_r(NULL, "\n", &save))
				if (strstr(ct_error_msg(&err), line) == NULL)
					fail_msg("%s: '%s' lacks '%s'", path,
					    ct_error_msg(&err), line);
			free(want);
		}
		ct_error_clear(&err);
		ct_node_free(doc);
		free(text);
		n++;
	}
	closedir(d);
	return n;
}

static void
test_schema_fixtures(void **state)
{
	ct_node *reg = yaml(registry);
	ct_schema *s = NULL;
	ct_error err = {0};

	(void)state;
	assert_int_equal(ct_schema_load(CT_CSP_SCHEMA, &s, &err), 0);
	assert_true(fixtures(s, reg, "schema", true) >= 3);
	assert_true(fixtures(s, reg, "schema", false) >= 8);
	assert_true(fixtures(s, reg, "check", false) >= 2);
	ct_schema_free(s);
	ct_node_free(reg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_input),
		cmocka_unit_test(test_case_supervised),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_vic_csp_endorse),
		cmocka_unit_test(test_vic_sdu_request),
		cmocka_unit_test(test_vic_sdu_record),
		cmocka_unit_test(test_sdus),
		cmocka_unit_test(test_sdus_output),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_schema_fixtures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of lib/records/disclosure.c, rule VIC-S284: the purposes and their
 * wording, times, the relevant-person check, request checks, the schema
 * fixtures, output (CSV neutralised), filters, and on real stores: adding
 * entries (never overwriting) and the verification of the history after
 * plain git edits.
 *
 * The store tests make a VIC store in a fresh temporary directory; one HOME
 * with one git identity serves them all (libgit2 reads HOME once).
 */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "shell.h"

#include "casetrail/case.h"
#include "casetrail/disclosure.h"
#include "casetrail/schema.h"
#include "casetrail/store.h"

#include "yamlfx.h"
#include "storefx.h"

#define FIXTURES CT_FIXTURES "/schema/disclosure"

static ct_node *
yaml(const char *text)
{
	return yaml_doc(text, "test");
}

static const char agencies_yaml[] =
"agencies:\n"
"  - id: djcs\n    name: Justice\n    map_member: true\n"
"  - id: dh\n    name: Health\n    map_member: true\n"
"  - id: forensicare\n    name: Forensicare\n    funded_by: dh\n"
"  - id: acme\n    name: Acme\n"
"  - id: acmecare\n    name: Acme Care\n    funded_by: acme\n"
"  - id: orphan\n    name: Orphan\n    funded_by: gone\n"
"  - id: jlee\n    name: An agency named like an operator\n"
"    map_member: true\n";

static const char operators_yaml[] =
"operators:\n"
"  - id: ada\n    name: Ada Admin\n    email: t@example.org\n"
"    roles: [soct-officer, administrator]\n    agency: djcs\n"
"  - id: jlee\n    name: Jo Lee\n    email: jo@example.org\n"
"    roles: [case-manager]\n    agency: forensicare\n"
"  - id: kim\n    name: Kim Guard\n    email: kim@example.org\n"
"    roles: [auditor]\n    agency: acme\n"
"  - id: nemo\n    name: Nemo\n    email: nemo@example.org\n"
"    roles: [auditor]\n";

/* ------------------------------------------------------------ purposes */

static void
test_vic_s284_purposes_have_the_seed_wording(void **state)
{
	static const char *const ids[] = { "report", "application", "csp",
	    "service-delivery", "offender-management", "risk-reduction" };
	size_t i;

	(void)state;
	for (i = 0; i < 6; i++) {
		assert_non_null(ct_purposes[i].id);
		assert_string_equal(ct_purposes[i].id, ids[i]);
		assert_ptr_equal(ct_purpose_find(ids[i]), &ct_purposes[i]);
		assert_int_equal(ct_purposes[i].needs_grounds, i == 5);
	}
	assert_null(ct_purposes[6].id);
	assert_null(ct_purpose_find("curiosity"));
	assert_null(ct_purpose_find(NULL));
	assert_string_equal(ct_purpose_find("report")->wording,
	    "preparing assessment reports, progress reports, treatment and "
	    "supervision plans or any other reports or documents required by "
	    "the Act");
	assert_string_equal(ct_purpose_find("application")->wording,
	    "making or responding to an application for an Order under the "
	    "Act");
	assert_string_equal(ct_purpose_find("csp")->wording,
	    "preparing and reviewing CSPs");
	assert_string_equal(ct_purpose_find("service-delivery")->wording,
	    "delivering or providing for the delivery of services consistent "
	    "with a CSP");
	assert_string_equal(ct_purpose_find("offender-management")->wording,
	    "managing an offender");
	assert_string_equal(ct_purpose_find("risk-reduction")->wording,
	    "when a relevant person believes on reasonable grounds it is "
	    "necessary to use or disclose the information to reduce the risk "
	    "of an offence or threat to any person");
}

/* The schema's purpose enum is exactly the table. */
static void
test_vic_s284_schema_purposes_match_the_table(void **state)
{
	ct_schema *s = NULL;
	ct_error err = { 0 };
	ct_node *doc = yaml("case: VIC-1\nat: '2026-01-01T00:00:00Z'\n"
	    "discloser: ada\ndiscloser_agency: djcs\nrecipient: dh\n"
	    "recipient_kind: agency\nrecipient_name: Health\n"
	    "recipient_agency: dh\npurpose: x\ninformation: y\n");
	const ct_purpose *p;

	(void)state;
	assert_int_equal(ct_schema_load("disclosure", &s, &err), 0);
	for (p = ct_purposes; p->id != NULL; p++) {
		assert_int_equal(ct_map_set(doc, "purpose",
		    ct_node_new_str(p->id)), 0);
		if (ct_schema_validate(s, doc, "t", &err) < 0)
			fail_msg("%s: %s", p->id, ct_error_msg(&err));
	}
	assert_int_equal(ct_map_set(doc, "purpose",
	    ct_node_new_str("curiosity")), 0);
	assert_int_equal(ct_schema_validate(s, doc, "t", &err), CT_EINVALID);
	ct_error_clear(&err);
	ct_node_free(doc);
	ct_schema_free(s);
}

/* --------------------------------------------------------------- times */

static void
test_timestamps_parse_and_format(void **state)
{
	char buf[CT_TIMESTAMP_BUFSZ];
	ct_error err = { 0 };
	long long t;
	bool day;

	(void)state;
	assert_int_equal(ct_timestamp_parse("2026-03-01", &t, &day, &err), 0);
	assert_true(day);
	assert_string_equal(ct_timestamp_format(t, buf),
	    "2026-03-01T00:00:00Z");
	assert_int_equal(ct_timestamp_parse("2026-03-01T10:15:30Z", &t, &day,
	    &err), 0);
	assert_false(day);
	assert_int_equal(t, 1772360130LL);
	assert_string_equal(ct_timestamp_format(t, buf),
	    "2026-03-01T10:15:30Z");
	assert_int_equal(ct_timestamp_parse("2026-03-01T09:15:30+11:00", &t,
	    NULL, &err), 0);
	assert_string_equal(ct_timestamp_format(t, buf),
	    "2026-02-28T22:15:30Z");
	assert_int_equal(ct_timestamp_parse("2026-12-31T23:30:00-01:00", &t,
	    NULL, &err), 0);
	assert_string_equal(ct_timestamp_format(t, buf),
	    "2027-01-01T00:30:00Z");
	assert_string_equal(ct_timestamp_format(-1, buf),
	    "1969-12-31T23:59:59Z");
	static const char *const bad[] = { "", "2026-3-1", "2026-02-30",
	    "2026-03-01T10:15", "2026-03-01T10:15:30", "2026-03-01T24:00:00Z",
	    "2026-03-01T10:60:00Z", "2026-03-01T10:15:30.5Z",
	    "2026-03-01 10:15:30Z", "2026-03-01T10:15:30+1100",
	    "2026-03-01T10:15:30+11:00x", "2026-03-01T10:15:30z", NULL };
	for (const char *const *b = bad; *b != NULL; b++) {
		assert_int_equal(ct_timestamp_parse(*b, &t, NULL, &err),
		    CT_EINVALID);
		assert_non_null(strstr(ct_error_msg(&err), "expected a day"));
		ct_error_clear(&err);
	}
}

/* ---------------------------------------------------- relevant persons */

static int
party(const char *who, bool operator_only, ct_party *p, ct_error *err)
{
	ct_node *ag = yaml(agencies_yaml), *ops = yaml(operators_yaml);
	int rc = ct_s284_party(ag, ops, who, operator_only, "--to", p, err);

	ct_node_free(ag);
	ct_node_free(ops);
	return rc;
}

static void
refused(const char *who, bool operator_only, int code, const char *msg)
{
	ct_error err = { 0 };
	ct_party p;

	assert_int_equal(party(who, operator_only, &p, &err), code);
	if (strstr(ct_error_msg(&err), msg) == NULL)
		fail_msg("%s: '%s' lacks '%s'", who, ct_error_msg(&err), msg);
	ct_error_clear(&err);
}

static void
test_vic_s284_relevant_persons(void **state)
{
	ct_node *ag = yaml(agencies_yaml), *ops = yaml(operators_yaml);
	ct_error err = { 0 };
	ct_party p;

	(void)state;
	/* staff of a MAP member agency */
	assert_int_equal(ct_s284_party(ag, ops, "ada", true, "x", &p, &err), 0);
	assert_string_equal(p.kind, "operator");
	assert_string_equal(p.agency, "djcs");
	assert_string_equal(p.name, "Ada Admin");
	/* a MAP member agency */
	assert_int_equal(ct_s284_party(ag, ops, "dh", false, "x", &p, &err), 0);
	assert_string_equal(p.kind, "agency");
	assert_string_equal(p.agency, "dh");
	/* a funded service, and its staff */
	assert_int_equal(ct_s284_party(ag, ops, "forensicare", false, "x", &p,
	    &err), 0);
	assert_int_equal(ct_s284_party(ag, ops, "operator:jlee", false, "x",
	    &p, &err), 0);
	assert_string_equal(p.id, "jlee");
	assert_string_equal(p.agency, "forensicare");
	assert_int_equal(ct_s284_party(ag, ops, "agency:jlee", false, "x", &p,
	    &err), 0);
	assert_string_equal(p.kind, "agency");
	/* the discloser is an operator: no agency lookup */
	assert_int_equal(ct_s284_party(ag, ops, "jlee", true, "x", &p, &err),
	    0);
	assert_string_equal(p.kind, "operator");
	ct_node_free(ag);
	ct_node_free(ops);

	refused("ghost", false, CT_ENOTFOUND,
	    "--to: 'ghost' is not a registered operator or agency");
	refused("dh", true, CT_ENOTFOUND,
	    "--to: 'dh' is not a registered operator");
	refused("agency:ada", false, CT_ENOTFOUND,
	    "'ada' is not a registered agency");
	refused("jlee", false, CT_EINVALID,
	    "'jlee' names both an operator and an agency; write operator:jlee "
	    "or agency:jlee");
	refused("kim", false, CT_EINVALID, "--to: 'kim' is not a relevant "
	    "person under s 284 (VIC-S284): their agency 'acme' is neither a "
	    "MAP member agency nor a service funded by one");
	refused("acme", false, CT_EINVALID, "agency 'acme' is neither");
	refused("acmecare", false, CT_EINVALID, "agency 'acmecare' is funded "
	    "by 'acme', which is not a MAP member agency");
	refused("orphan", false, CT_EINVALID, "agency 'orphan' is funded by "
	    "'gone', which is not a registered MAP member agency");
	refused("nemo", false, CT_EINVALID, "they belong to no agency");
}

/* ------------------------------------------------------------ requests */

static void
bad_req(ct_disclosure_req r, const char *msg)
{
	ct_error err = { 0 };

	assert_int_equal(ct_disclosure_check(&r, &err), CT_EINVALID);
	if (strstr(ct_error_msg(&err), msg) == NULL)
		fail_msg("'%s' lacks '%s'", ct_error_msg(&err), msg);
	ct_error_clear(&err);
}

static void
test_vic_s284_request_checks(void **state)
{
	ct_disclosure_req ok = { .to = "jlee", .purpose = "csp",
	    .info = "CSP draft" }, r;
	ct_error err = { 0 };
	char longref[202];

	(void)state;
	assert_int_equal(ct_disclosure_check(&ok, &err), 0);
	r = ok;
	r.purpose = "risk-reduction";
	r.grounds = "Threat reported";
	assert_int_equal(ct_disclosure_check(&r, &err), 0);
	r.means = "meeting";
	r.ref = "MAP 2026-03";
	assert_int_equal(ct_disclosure_check(&r, &err), 0);

	r = ok; r.to = NULL;
	bad_req(r, "--to: the recipient");
	r = ok; r.purpose = NULL;
	bad_req(r, "--purpose is required");
	r = ok; r.purpose = "curiosity";
	bad_req(r, "--purpose: unknown purpose 'curiosity'; s 284 (VIC-S284)");
	r = ok; r.purpose = "risk-reduction";
	bad_req(r, "--purpose risk-reduction needs --grounds");
	r = ok; r.grounds = "because";
	bad_req(r, "--grounds: only for --purpose risk-reduction");
	r = ok; r.info = NULL;
	bad_req(r, "--info is required");
	r = ok; r.info = "one\nPurpose: report";
	bad_req(r, "--info: must be one line");
	r = ok; r.info = " padded";
	bad_req(r, "--info: must not begin or end with a space");
	r = ok; r.purpose = "risk-reduction"; r.grounds = "a\tb";
	bad_req(r, "--grounds: must be one line");
	r = ok; r.means = "fax";
	bad_req(r, "--means: expected verbal, written, electronic or meeting");
	r = ok; r.ref = "x\ny";
	bad_req(r, "--ref: must be one line");
	memset(longref, 'r', sizeof(longref) - 1);
	longref[sizeof(longref) - 1] = '\0';
	r = ok; r.ref = longref;
	bad_req(r, "--ref: longer than 200 characters");
}

/* ------------------------------------------------------ schema fixtures */

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (f == NULL)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

/* Every valid/NAME.yaml validates; every invalid/NAME.yaml fails with each
 * line of its .error file in the message. */
static void
run_dir(const ct_schema *s, bool valid, size_t *count)
{
	char *dir, *path, *want, *line, *save, **names = NULL;
	struct dirent *de;
	ct_error err = { 0 };
	ct_node *doc;
	size_t n = 0, i, len;
	DIR *d;

	assert_true(asprintf(&dir, "%s/%s", FIXTURES, valid ? "valid" :
	    "invalid") > 0);
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		assert_non_null(names = realloc(names, (n + 1) *
		    sizeof(*names)));
		assert_non_null(names[n++] = strdup(de->d_name));
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		assert_true(asprintf(&path, "%s/%s", dir, names[i]) > 0);
		if (ct_yaml_load_file(path, &doc, &err) < 0)
			fail_msg("%s", ct_error_msg(&err));
		if ((ct_schema_validate(s, doc, names[i], &err) == 0) != valid)
			fail_msg("%s: expected %s: %s", path, valid ? "valid" :
			    "invalid", ct_error_msg(&err));
		if (!valid) {
			free(path);
			assert_true(asprintf(&path, "%s/%.*s.error", dir,
			    (int)(strlen(names[i]) - 5), names[i]) > 0);
			assert_non_null(want = slurp(path));
			for (line = strtok_r(want, "\n", &save); line != NULL;
			    line = strtok_r(NULL, "\n", &save))
				if (strstr(ct_error_msg(&err), line) == NULL)
					fail_msg("%s: '%s' lacks '%s'", path,
					    ct_error_msg(&err), line);
			free(want);
		}
		ct_error_clear(&err);
		ct_node_free(doc);
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
	*count = n;
}

static void
test_disclosure_schema_fixtures(void **state)
{
	ct_schema *s = NULL;
	ct_error err = { 0 };
	size_t nvalid, ninvalid;

	(void)state;
	assert_int_equal(ct_schema_load("disclosure", &s, &err), 0);
	run_dir(s, true, &nvalid);
	run_dir(s, false, &ninvalid);
	assert_true(nvalid >= 5);
	assert_true(ninvalid >= 10);
	ct_schema_free(s);
}

/* ----------------------------------------------- lists, filters, output */

static void
add_entry(ct_disclosures *d, const char *path, const char *text)
{
	ct_disclosure *grown;
	ct_node *doc = yaml(text);

	assert_non_null(grown = realloc(d->v, (d->n + 1) * sizeof(*grown)));
	d->v = grown;
	d->v[d->n].path = strdup(path);
	d->v[d->n].doc = doc;
	assert_int_equal(ct_timestamp_parse(ct_map_str(doc, "at"),
	    &d->v[d->n].at, NULL, NULL), 0);
	d->v[d->n].n = 1;
	d->n++;
	d->cap = d->n;
}

static void
three(ct_disclosures *d)
{
	memset(d, 0, sizeof(*d));
	add_entry(d, "cases/aa/V-2/disclosures/20260402T080000Z-1.yaml",
	    "case: V-2\nat: '2026-04-02T08:00:00Z'\ndiscloser: ada\n"
	    "discloser_agency: djcs\nrecipient: forensicare\n"
	    "recipient_kind: agency\nrecipient_name: Forensicare\n"
	    "recipient_agency: forensicare\npurpose: risk-reduction\n"
	    "information: '+61 phone, address'\ngrounds: '-threat'\n");
	add_entry(d, "cases/bb/V-1/disclosures/20260301T100000Z-1.yaml",
	    "case: V-1\nat: '2026-03-01T10:00:00Z'\ndiscloser: ada\n"
	    "discloser_agency: djcs\nrecipient: jlee\n"
	    "recipient_kind: operator\nrecipient_name: Jo Lee\n"
	    "recipient_agency: forensicare\npurpose: csp\n"
	    "information: '=HYPERLINK(\"http://x\",\"CSP\")'\n"
	    "means: written\nreference: '@MAP'\n");
	add_entry(d, "cases/cc/V-0/disclosures/20260301T100000Z-1.yaml",
	    "case: V-0\nat: '2026-03-01T10:00:00Z'\ndiscloser: ada\n"
	    "discloser_agency: djcs\nrecipient: dh\nrecipient_kind: agency\n"
	    "recipient_name: Health\nrecipient_agency: dh\n"
	    "purpose: report\ninformation: Progress report\n");
}

static void
test_sort_and_filter(void **state)
{
	ct_disclosure_filter f = { 0 };
	ct_disclosures d;

	(void)state;
	three(&d);
	ct_disclosures_sort(&d);
	assert_string_equal(ct_map_str(d.v[0].doc, "case"), "V-0");
	assert_string_equal(ct_map_str(d.v[1].doc, "case"), "V-1");
	assert_string_equal(ct_map_str(d.v[2].doc, "case"), "V-2");
	f.to = "agency:forensicare";
	ct_disclosures_filter(&d, &f);
	assert_int_equal(d.n, 2);
	f.to = NULL;
	f.has_since = true;
	assert_int_equal(ct_timestamp_parse("2026-04-02T08:00:00Z", &f.since,
	    NULL, NULL), 0);
	ct_disclosures_filter(&d, &f);
	assert_int_equal(d.n, 1);
	assert_string_equal(ct_map_str(d.v[0].doc, "case"), "V-2");
	f.has_since = false;
	f.purpose = "csp";
	ct_disclosures_filter(&d, &f);
	assert_int_equal(d.n, 0);
	ct_disclosures_clear(&d);
}

static void
test_csv_neutralises_formula_cells(void **state)
{
	ct_disclosures d;
	ct_rows r;
	ct_buf b = { 0 };

	(void)state;
	three(&d);
	ct_disclosures_sort(&d);
	ct_rows_init(&r, &ct_disclosure_list);
	ct_disclosures_rows(&d, &r);
	ct_rows_csv(&r, false, &b);
	ct_rows_clear(&r);
	assert_false(b.failed);
	assert_non_null(strstr(b.s, "at,case,purpose,discloser,"
	    "discloser_agency,recipient,recipient_kind,recipient_name,"
	    "recipient_agency,means,information,grounds,reference,path\r\n"));
	assert_non_null(strstr(b.s,
	    ",\"'=HYPERLINK(\"\"http://x\"\",\"\"CSP\"\")\","));
	assert_non_null(strstr(b.s, ",\"'@MAP\","));
	assert_non_null(strstr(b.s, ",\"'+61 phone, address\",\"'-threat\","));
	assert_non_null(strstr(b.s, "\r\n2026-03-01T10:00:00Z,V-0,report,"));
	assert_null(strstr(b.s, ",="));
	ct_buf_free(&b);
	ct_disclosures_clear(&d);
}

/* The records' own JSON, each with its path: what the list's JSON is for
 * entries in the order disclose-log add writes them. */
static void
records_json(const ct_disclosures *d, ct_buf *b)
{
	ct_node *all = ct_node_new_seq(), *e;
	char *json = NULL;
	size_t i, len;

	assert_non_null(all);
	for (i = 0; i < d->n; i++) {
		assert_non_null(e = ct_node_dup(d->v[i].doc));
		assert_int_equal(ct_map_set(e, "path",
		    ct_node_new_str(d->v[i].path)), 0);
		assert_int_equal(ct_seq_push(all, e), 0);
	}
	assert_int_equal(ct_json_emit(all, true, &json, &len, NULL), 0);
	ct_buf_add(b, json, len);
	free(json);
	ct_node_free(all);
}

/* The text's columns; JSON and text of no entries. */
static void
test_text_and_json(void **state)
{
	ct_disclosures d, none = { 0 };
	ct_buf b = { 0 }, rec = { 0 };
	ct_rows r;

	(void)state;
	three(&d);
	ct_disclosures_sort(&d);
	ct_rows_init(&r, &ct_disclosure_list);
	ct_disclosures_rows(&d, &r);
	ct_rows_text(&r, &b);
	assert_non_null(strstr(b.s, "AT                    CASE  PURPOSE"));
	assert_non_null(strstr(b.s, "jlee (forensicare)"));
	assert_non_null(strstr(b.s, "  written     =HYPERLINK"));
	ct_buf_truncate(&b, 0);
	ct_rows_json(&r, &b);
	assert_non_null(strstr(b.s, "\"path\": \"cases/bb/V-1/disclosures/"
	    "20260301T100000Z-1.yaml\""));
	assert_non_null(strstr(b.s, "\"grounds\": \"-threat\""));
	assert_null(strstr(b.s, "null"));   /* absent fields left out */
	records_json(&d, &rec);
	assert_string_equal(b.s, rec.s);
	ct_buf_truncate(&b, 0);
	ct_rows_clear(&r);
	ct_disclosures_rows(&none, &r);
	ct_rows_text(&r, &b);
	assert_string_equal(b.s, "no disclosures to show\n");
	ct_buf_truncate(&b, 0);
	ct_rows_json(&r, &b);
	assert_string_equal(b.s, "[]\n");
	ct_buf_free(&b);
	ct_buf_free(&rec);
	ct_disclosures_clear(&d);
}

/* --------------------------------------------------------- on a store */

struct raw {
	const char *path, *text;
};

static int
put_raw(ct_txn *txn, void *arg, ct_error *err)
{
	const struct raw *r = arg;
	int rc = 0;

	for (; rc == 0 && r->path != NULL; r++)
		rc = ct_txn_put_raw(txn, r->path, r->text, strlen(r->text),
		    err);
	return rc;
}

static int
new_case(ct_txn *txn, void *arg, ct_error *err)
{
	ct_node *c = NULL;
	char *path = NULL;
	int rc;

	if ((rc = ct_case_new(arg, CT_JUR_VIC, "post-sentence", NULL, 0, &c,
	    err)) == 0 &&
	    (rc = ct_case_path(arg, "case.yaml", &path, err)) == 0)
		rc = ct_txn_put(txn, path, c, err);
	ct_node_free(c);
	free(path);
	return rc;
}

static void
store_put(struct fx *f, const char *subject, ct_txn_fn fn, void *arg,
    unsigned flags)
{
	ct_commit_spec spec = { .tool = "test", .version = "0",
	    .subject = subject, .flags = flags };
	ct_write_result res;
	ct_error err = { 0 };

	if (ct_store_write(f->st, &spec, fn, arg, &res, &err) < 0)
		fail_msg("%s: %s", subject, ct_error_msg(&err));
	ct_write_result_clear(&res);
}

static int
setup(void **state)
{
	struct raw regs[] = {
		{ CT_AGENCIES_PATH, agencies_yaml },
		{ CT_OPERATORS_PATH, operators_yaml },
		{ NULL, NULL },
	};
	struct fx *f = fx_new_in(CT_JUR_VIC);

	store_put(f, "registries", put_raw, regs, CT_WRITE_BOOTSTRAP);
	store_put(f, "case", new_case, "VIC-0007", 0);
	*state = f;
	return 0;
}

static int
commits(struct fx *f)
{
	char *n = sh_out("git -C %s rev-list --count HEAD", f->store);
	int c = atoi(n);

	free(n);
	return c;
}

struct adds {
	const char *case_id;
	ct_disclosure_req req;
	int times;          /* entries in one transaction */
	char *paths[3];
};

static int
add_fn(ct_txn *txn, void *arg, ct_error *err)
{
	struct adds *a = arg;
	int i, rc = 0;

	for (i = 0; rc == 0 && i < a->times; i++) {
		free(a->paths[i]);
		rc = ct_disclosure_add(txn, a->case_id, &a->req, &a->paths[i],
		    err);
	}
	return rc;
}

static void
add(struct fx *f, struct adds *a)
{
	ct_commit_spec spec = { .tool = "disclose-log", .version = "0",
	    .subject = "disclosure", .case_id = a->case_id,
	    .purpose = a->req.purpose, .record = "disclosure",
	    .action = "add" };
	ct_write_result res;
	ct_error err = { 0 };

	if (ct_store_write(f->st, &spec, add_fn, a, &res, &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
	ct_write_result_clear(&res);
}

struct seen {
	size_t added, problems;
	char what[8][400];
};

static int
collect(const ct_audit_item *it, void *arg, ct_error *err)
{
	struct seen *s = arg;

	(void)err;
	if (it->kind == CT_AUDIT_ADDED) {
		s->added++;
		return 0;
	}
	if (s->problems < 8)
		snprintf(s->what[s->problems], sizeof(s->what[0]), "%s %s: %s",
		    it->commit, it->path, it->what);
	s->problems++;
	return 0;
}

static void
verify(struct fx *f, const char *since, const char *case_id,
    struct seen *s)
{
	ct_audit_stats stats;
	ct_error err = { 0 };

	memset(s, 0, sizeof(*s));
	if (ct_disclosure_verify(f->st, since, case_id, collect, s, &stats,
	    &err) < 0)
		fail_msg("%s", ct_error_msg(&err));
	assert_int_equal(stats.added, s->added);
	assert_int_equal(stats.problems, s->problems);
}

static void
test_vic_s284_add_never_overwrites(void **state)
{
	struct fx *f = *state;
	struct adds a = { .case_id = "VIC-0007", .req = { .to = "operator:jlee",
	    .purpose = "csp", .info = "CSP draft", .at = 1772360130LL },
	    .times = 2 };
	char *dir = NULL;

	ct_case_dir("VIC-0007", &dir, NULL);
	add(f, &a);
	assert_int_equal(commits(f), 4);
	assert_non_null(strstr(a.paths[0], "/disclosures/"
	    "20260301T101530Z-1.yaml"));
	assert_non_null(strstr(a.paths[1], "/disclosures/"
	    "20260301T101530Z-2.yaml"));
	assert_int_equal(strncmp(a.paths[0], dir, strlen(dir)), 0);
	a.times = 1;
	add(f, &a);
	assert_non_null(strstr(a.paths[0], "-3.yaml"));
	sh("test \"$(git -C %s show --format= --name-status HEAD | cut -c1)\" "
	    "= A", f->store);
	sh("test \"$(git -C %s log -1 '--format=%%(trailers:key=Purpose,"
	    "valueonly)')\" = csp", f->store);
	free(a.paths[0]);
	free(a.paths[1]);
	free(dir);
}

static void
test_vic_s284_add_refusals_write_nothing(void **state)
{
	static const struct {
		const char *case_id, *to, *msg;
	} cases[] = {
		{ "VIC-0007", "kim", "'kim' is not a relevant person" },
		{ "VIC-0007", "ghost", "not a registered operator or agency" },
		{ "VIC-0404", "dh", "case VIC-0404 does not exist" },
	};
	struct fx *f = *state;
	ct_commit_spec spec = { .tool = "disclose-log", .version = "0",
	    .subject = "disclosure", .purpose = "csp" };
	struct adds a = { .req = { .purpose = "csp", .info = "x" },
	    .times = 1 };
	ct_write_result res;
	ct_error err = { 0 };
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		a.case_id = cases[i].case_id;
		a.req.to = cases[i].to;
		assert_true(ct_store_write(f->st, &spec, add_fn, &a, &res,
		    &err) < 0);
		if (strstr(ct_error_msg(&err), cases[i].msg) == NULL)
			fail_msg("'%s' lacks '%s'", ct_error_msg(&err),
			    cases[i].msg);
		ct_error_clear(&err);
		assert_false(res.changed);
	}
	assert_int_equal(commits(f), 3);
	free(a.paths[0]);
}

static void
test_vic_s284_verify_clean_then_tampered(void **state)
{
	struct fx *f = *state;
	struct adds a = { .case_id = "VIC-0007", .req = { .to = "dh",
	    .purpose = "offender-management", .info = "Address",
	    .at = 1772360130LL }, .times = 1 };
	struct seen s;
	char *head, *p1, *p2;

	add(f, &a);
	p1 = a.paths[0];
	a.paths[0] = NULL;
	a.req.at += 3600;
	add(f, &a);
	p2 = a.paths[0];
	verify(f, NULL, NULL, &s);
	assert_int_equal(s.added, 2);
	assert_int_equal(s.problems, 0);

	/* edit one, delete the other, with plain git */
	sh("cd %s && sed -i 's/^information: Address$/information: X/' %s && "
	    "git commit -qam edit && git rm -q %s && git commit -qm rm",
	    f->store, p1, p2);
	verify(f, NULL, NULL, &s);
	assert_int_equal(s.problems, 2);
	head = sh_out("git -C %s rev-parse HEAD~1", f->store);
	assert_non_null(strstr(s.what[0], head));
	assert_non_null(strstr(s.what[0], "modified after it was added"));
	free(head);
	head = sh_out("git -C %s rev-parse HEAD", f->store);
	assert_non_null(strstr(s.what[1], head));
	assert_non_null(strstr(s.what[1], "deleted"));
	free(head);

	/* only after a revision; only one case */
	verify(f, "HEAD~1", NULL, &s);
	assert_int_equal(s.problems, 1);
	assert_int_equal(s.added, 0);
	verify(f, NULL, "VIC-0007", &s);
	assert_int_equal(s.problems, 2);
	verify(f, NULL, "VIC-0012", &s);
	assert_int_equal(s.problems, 0);
	assert_int_equal(s.added, 0);

	/* re-added by hand, without trailers */
	sh("cd %s && git checkout -q HEAD~2 -- %s && git commit -qm again",
	    f->store, p2);
	verify(f, "HEAD~1", NULL, &s);
	assert_int_equal(s.added, 1);
	assert_int_equal(s.problems, 1);
	assert_non_null(strstr(s.what[0], "without matching trailers "
	    "(Purpose: none, Case: none;"));
	free(p1);
	free(p2);
}

static void
test_vic_s284_report(void **state)
{
	struct fx *f = *state;
	struct adds a = { .case_id = "VIC-0007", .req = { .to = "operator:jlee",
	    .purpose = "risk-reduction", .grounds = "Threat reported",
	    .info = "Address", .means = "verbal", .ref = "Police 12",
	    .at = 1772360130LL }, .times = 1 };
	ct_error err = { 0 };
	ct_buf b = { 0 };
	size_t problems;

	add(f, &a);
	assert_int_equal(ct_disclosure_report(f->st, "VIC-0007", false, &b,
	    &problems, &err), 0);
	assert_int_equal(problems, 0);
	assert_non_null(strstr(b.s, "History check:  clean"));
	assert_non_null(strstr(b.s, "   Purpose:      when a relevant "
	    "person believes on reasonable grounds it is\n"
	    "                 necessary"));
	assert_non_null(strstr(b.s, "   To:           jlee, Jo Lee "
	    "(forensicare)\n"));
	assert_non_null(strstr(b.s, "   Grounds:      Threat reported\n"));
	ct_buf_truncate(&b, 0);
	assert_int_equal(ct_disclosure_report(f->st, "VIC-0007", true, &b,
	    &problems, &err), 0);
	assert_non_null(strstr(b.s, "\"clean\": true"));
	assert_non_null(strstr(b.s, "\"rule\": \"VIC-S284\""));
	assert_non_null(strstr(b.s, "\"author\": \"T <t@example.org>\""));
	ct_buf_free(&b);
	free(a.paths[0]);
	assert_int_equal(ct_disclosure_report(f->st, "VIC-0404", false, &b,
	    &problems, &err), CT_ENOTFOUND);
	ct_error_clear(&err);
	ct_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vic_s284_purposes_have_the_seed_wording),
		cmocka_unit_test(test_vic_s284_schema_purposes_match_the_table),
		cmocka_unit_test(test_timestamps_parse_and_format),
		cmocka_unit_test(test_vic_s284_relevant_persons),
		cmocka_unit_test(test_vic_s284_request_checks),
		cmocka_unit_test(test_disclosure_schema_fixtures),
		cmocka_unit_test(test_sort_and_filter),
		cmocka_unit_test(test_csv_neutralises_formula_cells),
		cmocka_unit_test(test_text_and_json),
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, fx_teardown)
		T(test_vic_s284_add_never_overwrites),
		T(test_vic_s284_add_refusals_write_nothing),
		T(test_vic_s284_verify_clean_then_tampered),
		T(test_vic_s284_report),
#undef T
	};

	return run_with_identity(tests);
}

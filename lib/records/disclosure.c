/*
 * The s 284 register (rule VIC-S284): purposes, the relevant-person check
 * against the registries, writing an entry, reading and printing entries,
 * and the walk over the history that proves no entry was changed.
 *
 * The walk diffs each first-parent commit's cases/ tree against its
 * parent's (ct_tree_diff, which descends only where the tree ids differ),
 * so the cost of a commit is that of the few trees it changed, not of the
 * store; of the changes it keeps those in cases/<xx>/<id>/disclosures/.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "casetrail/case.h"
#include "casetrail/date.h"
#include "casetrail/disclosure.h"
#include "casetrail/output.h"
#include "casetrail/registry.h"
#include "casetrail/schema.h"
#include "casetrail/trailers.h"
#include "casetrail/treediff.h"
#include "casetrail/util.h"
#include "casetrail/walk.h"

#define MAX_SAME_SECOND 10000  /* entries of one case in one second */
#define REF_MAX 200            /* characters of a reference (schema) */

const ct_purpose ct_purposes[] = {
	{ "report", "preparing assessment reports, progress reports, "
	    "treatment and supervision plans or any other reports or "
	    "documents required by the Act", false },
	{ "application", "making or responding to an application for an "
	    "Order under the Act", false },
	{ "csp", "preparing and reviewing CSPs", false },
	{ "service-delivery", "delivering or providing for the delivery of "
	    "services consistent with a CSP", false },
	{ "offender-management", "managing an offender", false },
	{ "risk-reduction", "when a relevant person believes on reasonable "
	    "grounds it is necessary to use or disclose the information to "
	    "reduce the risk of an offence or threat to any person", true },
	{ NULL, NULL, false },
};

const char *const ct_disclosure_means[] = {
	"verbal", "written", "electronic", "meeting", NULL,
};

const ct_purpose *
ct_purpose_find(const char *id)
{
	const ct_purpose *p;

	for (p = ct_purposes; id != NULL && p->id != NULL; p++)
		if (strcmp(p->id, id) == 0)
			return p;
	return NULL;
}

int
ct_timestamp_parse(const char *s, long long *out, bool *day_only,
    ct_error *err)
{
	char day[CT_DATE_BUFSZ];
	int h, m, sec, oh = 0, om = 0, sign = 0;
	const char *z;
	ct_date d;

	*out = 0;
	if (day_only != NULL)
		*day_only = false;
	if (s == NULL || strlen(s) < 10)
		goto bad;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (!ct_date_valid(day))
		goto bad;
	(void)ct_date_parse(day, &d, NULL);
	if (s[10] == '\0') {
		if (day_only != NULL)
			*day_only = true;
		*out = (long long)d * 86400;
		return 0;
	}
	if (s[10] != 'T' || strlen(s) < 20 || s[13] != ':' || s[16] != ':')
		goto bad;
	h = ct_digits(s + 11, 2);
	m = ct_digits(s + 14, 2);
	sec = ct_digits(s + 17, 2);
	if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
		goto bad;
	z = s + 19;
	if (strcmp(z, "Z") != 0) {
		if ((z[0] != '+' && z[0] != '-') || strlen(z) != 6 ||
		    z[3] != ':' || (oh = ct_digits(z + 1, 2)) < 0 || oh > 23 ||
		    (om = ct_digits(z + 4, 2)) < 0 || om > 59)
			goto bad;
		sign = z[0] == '+' ? 1 : -1;
	}
	*out = (long long)d * 86400 + h * 3600 + m * 60 + sec -
	    sign * (oh * 3600 + om * 60);
	return 0;
bad:
	return ct_error_set(err, CT_EINVALID, "expected a day YYYY-MM-DD or "
	    "an RFC 3339 date-time such as 2026-03-01T10:15:00Z, not '%s'",
	    s != NULL ? s : "");
}

static void
civil(long long t, int *y, int *mo, int *d, int *h, int *mi, int *s)
{
	long long days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	long long rest = t - days * 86400;

	ct_date_to_ymd((ct_date)days, y, mo, d);
	*h = (int)(rest / 3600);
	*mi = (int)(rest / 60 % 60);
	*s = (int)(rest % 60);
}

char *
ct_timestamp_format(long long t, char buf[CT_TIMESTAMP_BUFSZ])
{
	int y, mo, d, h, mi, s;

	civil(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(buf, CT_TIMESTAMP_BUFSZ, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    y, mo, d, h, mi, s);
	return buf;
}

/* The file name stem of an entry: YYYYMMDDTHHMMSSZ. */
static char *
file_stem(long long t, char buf[CT_TIMESTAMP_BUFSZ])
{
	int y, mo, d, h, mi, s;

	civil(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(buf, CT_TIMESTAMP_BUFSZ, "%04d%02d%02dT%02d%02d%02dZ",
	    y, mo, d, h, mi, s);
	return buf;
}

/*
 * Parse an entry's file name "<stem>-<n>.yaml"; *stem gets the stem.
 * False when the name has another form.
 */
static bool
parse_name(const char *name, char stem[CT_TIMESTAMP_BUFSZ], unsigned long *n)
{
	const char *dash = strchr(name, '-'), *p;
	size_t len;

	*n = 0;
	stem[0] = '\0';
	if (dash == NULL || (size_t)(dash - name) != 16)
		return false;
	memcpy(stem, name, 16);
	stem[16] = '\0';
	for (p = dash + 1; *p >= '0' && *p <= '9'; p++)
		;
	len = (size_t)(p - dash - 1);
	if (len == 0 || len > 9 || dash[1] == '0' || strcmp(p, ".yaml") != 0)
		return false;
	*n = strtoul(dash + 1, NULL, 10);
	return true;
}

/*
 * Relevant persons.
 */
/* True when agency id is a MAP member or funded by a registered one;
 * otherwise why says so, naming the agency as label. */
static bool
agency_relevant(const ct_node *agencies, const char *id, const char *label,
    ct_buf *why)
{
	const ct_node *a = ct_registry_find(agencies, "agencies", "id", id), *f;
	const char *by;

	if (a == NULL) {
		ct_buf_printf(why, "%s '%s' is not a registered agency", label,
		    id);
		return false;
	}
	if (ct_agency_map_member(a))
		return true;
	if ((by = ct_map_str(a, "funded_by")) == NULL) {
		ct_buf_printf(why, "%s '%s' is neither a MAP member agency nor "
		    "a service funded by one", label, id);
		return false;
	}
	f = ct_registry_find(agencies, "agencies", "id", by);
	if (f != NULL && ct_agency_map_member(f))
		return true;
	ct_buf_printf(why, "%s '%s' is funded by '%s', which is not a %sMAP "
	    "member agency", label, id, by, f == NULL ? "registered " : "");
	return false;
}

int
ct_s284_party(const ct_node *agencies, const ct_node *operators,
    const char *who, bool operator_only, const char *what, ct_party *out,
    ct_error *err)
{
	const ct_node *op = NULL, *ag = NULL;
	bool want_op = true, want_ag = !operator_only;
	const char *id = who != NULL ? who : "";
	ct_buf why = { 0 };
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (strncmp(id, "operator:", 9) == 0) {
		id += 9;
		want_ag = false;
	} else if (!operator_only && strncmp(id, "agency:", 7) == 0) {
		id += 7;
		want_op = false;
	}
	if (want_op)
		op = ct_registry_find(operators, "operators", "id", id);
	if (want_ag)
		ag = ct_registry_find(agencies, "agencies", "id", id);
	if (op != NULL && ag != NULL)
		return ct_error_set(err, CT_EINVALID, "%s: '%s' names both an "
		    "operator and an agency; write operator:%s or agency:%s",
		    what, id, id, id);
	if (op == NULL && ag == NULL)
		return ct_error_set(err, CT_ENOTFOUND, "%s: '%s' is not a "
		    "registered %s (see 'registry list')", what, id,
		    !want_ag ? "operator" : !want_op ? "agency" :
		    "operator or agency");
	if (op != NULL) {
		out->id = ct_map_str(op, "id");
		out->kind = "operator";
		out->name = ct_map_str(op, "name");
		out->agency = ct_map_str(op, "agency");
		if (out->agency == NULL)
			ct_buf_puts(&why, "they belong to no agency");
		else
			(void)agency_relevant(agencies, out->agency,
			    "their agency", &why);
	} else {
		out->id = ct_map_str(ag, "id");
		out->kind = "agency";
		out->name = ct_map_str(ag, "name");
		out->agency = out->id;
		(void)agency_relevant(agencies, out->id, "agency", &why);
	}
	if (why.failed)
		rc = ct_error_set(err, CT_ERROR, "out of memory");
	else if (why.len > 0)
		rc = ct_error_set(err, CT_EINVALID, "%s: '%s' is not a "
		    "relevant person under s 284 (%s): %s", what, id,
		    CT_S284_RULE, why.s);
	ct_buf_free(&why);
	return rc;
}

/*
 * Requests.
 */
static const char *
purpose_ids(void)
{
	return "report, application, csp, service-delivery, "
	    "offender-management or risk-reduction";
}

int
ct_disclosure_check(const ct_disclosure_req *req, ct_error *err)
{
	const ct_purpose *p;
	int rc;

	if (req->to == NULL || *req->to == '\0')
		return ct_error_set(err, CT_EINVALID, "--to: the recipient "
		    "(a registered operator or agency) is required");
	if (req->purpose == NULL)
		return ct_error_set(err, CT_EINVALID, "--purpose is required: "
		    "%s", purpose_ids());
	if ((p = ct_purpose_find(req->purpose)) == NULL)
		return ct_error_set(err, CT_EINVALID, "--purpose: unknown "
		    "purpose '%s'; s 284 (%s) allows only %s", req->purpose,
		    CT_S284_RULE, purpose_ids());
	if (req->info == NULL)
		return ct_error_set(err, CT_EINVALID, "--info is required: a "
		    "description of the information (never the information "
		    "itself)");
	if ((rc = ct_text_check("--info", req->info, err)) < 0)
		return rc;
	if (p->needs_grounds && req->grounds == NULL)
		return ct_error_set(err, CT_EINVALID, "--purpose %s needs "
		    "--grounds: the reasonable grounds for believing the use "
		    "or disclosure necessary to reduce the risk of an offence "
		    "or threat to any person (s 284, %s)", p->id,
		    CT_S284_RULE);
	if (!p->needs_grounds && req->grounds != NULL)
		return ct_error_set(err, CT_EINVALID, "--grounds: only for "
		    "--purpose risk-reduction; purpose %s needs none", p->id);
	if (req->grounds != NULL &&
	    (rc = ct_text_check("--grounds", req->grounds, err)) < 0)
		return rc;
	if (req->means != NULL && !ct_in_list(ct_disclosure_means, req->means))
		return ct_error_set(err, CT_EINVALID, "--means: expected "
		    "verbal, written, electronic or meeting, not '%s'",
		    req->means);
	if (req->ref != NULL &&
	    (rc = ct_text_check("--ref", req->ref, err)) < 0)
		return rc;
	if (req->ref != NULL && ct_utf8_chars(req->ref) > REF_MAX)
		return ct_error_set(err, CT_EINVALID, "--ref: longer than %d "
		    "characters", REF_MAX);
	return 0;
}

static int
check_case_doc(const ct_node *doc, const char *case_id, ct_error *err)
{
	const char *j = ct_map_str(doc, "jurisdiction");

	if (j != NULL && strcmp(j, "VIC") == 0)
		return 0;
	return ct_error_set(err, CT_EINVALID, "case %s is a%s %s case; s 284 "
	    "of the Serious Offenders Act 2018 (%s) applies to VIC cases only",
	    case_id, j != NULL && strcmp(j, "ACT") == 0 ? "n" : "",
	    j != NULL ? j : "non-VIC", CT_S284_RULE);
}

int
ct_disclosure_case_check(ct_snapshot *snap, const char *case_id,
    ct_error *err)
{
	ct_node *doc = NULL;
	int rc;

	if ((rc = ct_snapshot_load_case(snap, case_id, &doc, err)) == 0)
		rc = check_case_doc(doc, case_id, err);
	ct_node_free(doc);
	return rc;
}

/* Set key to a copy of value (nothing when value is NULL). */
static int
set_str(ct_node *map, const char *key, const char *value)
{
	ct_node *v;

	if (value == NULL)
		return 0;
	if ((v = ct_node_new_str(value)) == NULL)
		return -1;
	return ct_map_set(map, key, v);
}

static int
build_entry(const char *case_id, const ct_disclosure_req *req,
    const ct_party *from, const ct_party *to, ct_node **out, ct_error *err)
{
	char at[CT_TIMESTAMP_BUFSZ];
	ct_node *e;

	*out = NULL;
	if ((e = ct_node_new_map()) == NULL ||
	    set_str(e, "case", case_id) < 0 ||
	    set_str(e, "at", ct_timestamp_format(req->at, at)) < 0 ||
	    set_str(e, "discloser", from->id) < 0 ||
	    set_str(e, "discloser_agency", from->agency) < 0 ||
	    set_str(e, "recipient", to->id) < 0 ||
	    set_str(e, "recipient_kind", to->kind) < 0 ||
	    set_str(e, "recipient_name", to->name) < 0 ||
	    set_str(e, "recipient_agency", to->agency) < 0 ||
	    set_str(e, "purpose", req->purpose) < 0 ||
	    set_str(e, "information", req->info) < 0 ||
	    set_str(e, "grounds", req->grounds) < 0 ||
	    set_str(e, "means", req->means) < 0 ||
	    set_str(e, "reference", req->ref) < 0) {
		ct_node_free(e);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	*out = e;
	return 0;
}

/* The first <dir>/disclosures/<stem>-<n>.yaml the transaction does not
 * hold yet. */
static int
free_path(ct_txn *txn, const char *dir, long long at, char **out,
    ct_error *err)
{
	char stem[CT_TIMESTAMP_BUFSZ], *path = NULL, *buf;
	unsigned long n;
	size_t len;
	int rc = 0;

	*out = NULL;
	file_stem(at, stem);
	for (n = 1; n <= MAX_SAME_SECOND; n++) {
		free(path);
		if (asprintf(&path, "%s/%s/%s-%lu.yaml", dir,
		    CT_DISCLOSURES_DIR, stem, n) < 0) {
			path = NULL;
			rc = ct_error_set(err, CT_ERROR, "out of memory");
			break;
		}
		rc = ct_txn_read(txn, path, &buf, &len, err);
		if (rc == CT_ENOTFOUND) {
			ct_error_clear(err);
			*out = path;
			return 0;
		}
		free(buf);
		if (rc < 0)
			break;
	}
	if (rc == 0)
		rc = ct_error_set(err, CT_EINVALID, "%s/%s: more than %d "
		    "entries at %s", dir, CT_DISCLOSURES_DIR, MAX_SAME_SECOND,
		    stem);
	free(path);
	return rc;
}

int
ct_disclosure_add(ct_txn *txn, const char *case_id,
    const ct_disclosure_req *req, char **pathp, ct_error *err)
{
	ct_node *agencies = NULL, *ops = NULL, *c = NULL, *doc = NULL;
	const char *me = ct_txn_operator(txn);
	char *dir = NULL, *cpath = NULL, *path = NULL;
	ct_party from, to;
	int rc;

	if (pathp != NULL)
		*pathp = NULL;
	if ((rc = ct_disclosure_check(req, err)) < 0)
		return rc;
	if ((rc = ct_txn_load(txn, CT_AGENCIES_PATH, &agencies,
	    err)) < 0 ||
	    (rc = ct_txn_load(txn, CT_OPERATORS_PATH, &ops,
	    err)) < 0)
		goto out;
	if (me == NULL) {
		rc = ct_error_set(err, CT_EINVALID, "the discloser must be a "
		    "registered operator (%s)", CT_OPERATORS_PATH);
		goto out;
	}
	if ((rc = ct_s284_party(agencies, ops, me, true, "the discloser",
	    &from, err)) < 0 ||
	    (rc = ct_s284_party(agencies, ops, req->to, false, "--to", &to,
	    err)) < 0)
		goto out;
	if ((rc = ct_case_dir(case_id, &dir, err)) < 0)
		goto out;
	if (asprintf(&cpath, "%s/case.yaml", dir) < 0) {
		cpath = NULL;
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto out;
	}
	rc = ct_txn_load(txn, cpath, &c, err);
	if (rc == CT_ENOTFOUND)
		rc = ct_error_set(err, CT_ENOTFOUND, "case %s does not exist "
		    "(create it with case-new)", case_id);
	if (rc < 0 || (rc = check_case_doc(c, case_id, err)) < 0)
		goto out;
	if ((rc = free_path(txn, dir, req->at, &path, err)) < 0 ||
	    (rc = build_entry(case_id, req, &from, &to, &doc, err)) < 0 ||
	    (rc = ct_txn_put(txn, path, doc, err)) < 0)
		goto out;
	if (pathp != NULL) {
		*pathp = path;
		path = NULL;
	}
out:
	ct_node_free(agencies);
	ct_node_free(ops);
	ct_node_free(c);
	ct_node_free(doc);
	free(dir);
	free(cpath);
	free(path);
	return rc;
}

/*
 * Reading entries.
 */
static int
push(ct_disclosures *d, char *path, ct_node *doc, long long at,
    unsigned long n, ct_error *err)
{
	ct_disclosure *grown;
	size_t cap;

	if (d->n == d->cap) {
		cap = d->cap ? d->cap * 2 : 16;
		if ((grown = realloc(d->v, cap * sizeof(*grown))) == NULL) {
			free(path);
			ct_node_free(doc);
			return ct_error_set(err, CT_ERROR, "out of memory");
		}
		d->v = grown;
		d->cap = cap;
	}
	d->v[d->n].path = path;
	d->v[d->n].doc = doc;
	d->v[d->n].at = at;
	d->v[d->n].n = n;
	d->n++;
	return 0;
}

static int
load_dir(ct_snapshot *snap, const char *casedir, ct_disclosures *out,
    ct_error *err)
{
	char *dir = NULL, *path = NULL, **names = NULL;
	char stem[CT_TIMESTAMP_BUFSZ];
	unsigned long n;
	ct_node *doc;
	long long at;
	size_t i, cnt;
	int rc;

	if (asprintf(&dir, "%s/%s", casedir, CT_DISCLOSURES_DIR) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	rc = ct_snapshot_list(snap, dir, &names, &cnt, err);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		rc = 0;
		cnt = 0;
	}
	for (i = 0; rc == 0 && i < cnt; i++) {
		if (asprintf(&path, "%s/%s", dir, names[i]) < 0) {
			rc = ct_error_set(err, CT_ERROR, "out of memory");
			break;
		}
		if ((rc = ct_snapshot_load(snap, path, &doc,
		    err)) < 0) {
			free(path);
			break;
		}
		(void)parse_name(names[i], stem, &n);
		(void)ct_timestamp_parse(ct_map_str(doc, "at"), &at, NULL,
		    NULL);
		rc = push(out, path, doc, at, n, err);
	}
	ct_strv_free(names);
	free(dir);
	return rc;
}

static int
load_case_fn(ct_snapshot *snap, const char *case_id, const char *dir,
    void *arg, ct_error *err)
{
	(void)case_id;
	return load_dir(snap, dir, arg, err);
}

int
ct_disclosures_load(ct_snapshot *snap, const char *case_id,
    ct_disclosures *out, ct_error *err)
{
	char *dir = NULL;
	int rc;

	if (case_id == NULL)
		rc = ct_snapshot_each_case(snap, load_case_fn, NULL, out, err);
	else if ((rc = ct_case_dir(case_id, &dir, err)) == 0) {
		if (!ct_snapshot_is_dir(snap, dir))
			rc = ct_error_set(err, CT_ENOTFOUND, "case %s does not "
			    "exist", case_id);
		else
			rc = load_dir(snap, dir, out, err);
	}
	free(dir);
	if (rc == 0)
		ct_disclosures_sort(out);
	return rc;
}

static int
cmp_entry(const void *a, const void *b)
{
	const ct_disclosure *x = a, *y = b;
	int r;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if ((r = strcmp(ct_map_str(x->doc, "case"),
	    ct_map_str(y->doc, "case"))) != 0)
		return r;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return strcmp(x->path, y->path);
}

void
ct_disclosures_sort(ct_disclosures *d)
{
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), cmp_entry);
}

void
ct_disclosures_clear(ct_disclosures *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].path);
		ct_node_free(d->v[i].doc);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

static bool
matches(const ct_disclosure *e, const ct_disclosure_filter *f)
{
	const char *to = f->to, *p;

	if (f->has_since && e->at < f->since)
		return false;
	if (f->has_until && e->at > f->until)
		return false;
	if (f->purpose != NULL && ((p = ct_map_str(e->doc, "purpose")) ==
	    NULL || strcmp(p, f->purpose) != 0))
		return false;
	if (to == NULL)
		return true;
	if (strncmp(to, "operator:", 9) == 0)
		to += 9;
	else if (strncmp(to, "agency:", 7) == 0)
		to += 7;
	return ((p = ct_map_str(e->doc, "recipient")) != NULL &&
	    strcmp(p, to) == 0) ||
	    ((p = ct_map_str(e->doc, "recipient_agency")) != NULL &&
	    strcmp(p, to) == 0);
}

void
ct_disclosures_filter(ct_disclosures *d, const ct_disclosure_filter *f)
{
	size_t i, kept = 0;

	for (i = 0; i < d->n; i++) {
		if (matches(&d->v[i], f)) {
			d->v[kept++] = d->v[i];
			continue;
		}
		free(d->v[i].path);
		ct_node_free(d->v[i].doc);
	}
	d->n = kept;
}

/*
 * Output.
 */
static const char *
field(const ct_node *doc, const char *key)
{
	const char *s = ct_map_str(doc, key);

	return s != NULL ? s : "";
}

/* "jlee (forensicare)" for an operator, "forensicare" for an agency. */
static void
recipient_text(const ct_node *doc, ct_buf *b)
{
	ct_buf_puts(b, field(doc, "recipient"));
	if (strcmp(field(doc, "recipient_kind"), "operator") == 0)
		ct_buf_printf(b, " (%s)", field(doc, "recipient_agency"));
}

/* The record fields, in the order disclose-log add writes them. */
static const ct_col disc_cols[CT_DISC_NCOLS] = {
	[CT_DISC_COL_CASE] = { "case", "CASE", NULL, CT_COL_OMIT, 0 },
	[CT_DISC_COL_AT] = { "at", "AT", NULL, CT_COL_OMIT, 20 },
	[CT_DISC_COL_DISCLOSER] = { "discloser", "DISCLOSER", NULL,
	    CT_COL_OMIT, 0 },
	[CT_DISC_COL_DISCLOSER_AGENCY] = { "discloser_agency", NULL, NULL,
	    CT_COL_OMIT, 0 },
	[CT_DISC_COL_RECIPIENT] = { "recipient", NULL, NULL, CT_COL_OMIT, 0 },
	[CT_DISC_COL_RECIPIENT_KIND] = { "recipient_kind", NULL, NULL,
	    CT_COL_OMIT, 0 },
	[CT_DISC_COL_RECIPIENT_NAME] = { "recipient_name", NULL, NULL,
	    CT_COL_OMIT, 0 },
	[CT_DISC_COL_RECIPIENT_AGENCY] = { "recipient_agency", NULL, NULL,
	    CT_COL_OMIT, 0 },
	[CT_DISC_COL_PURPOSE] = { "purpose", "PURPOSE", NULL, CT_COL_OMIT, 0 },
	[CT_DISC_COL_INFORMATION] = { "information", "INFORMATION", NULL,
	    CT_COL_OMIT, 0 },
	[CT_DISC_COL_GROUNDS] = { "grounds", NULL, NULL, CT_COL_OMIT, 0 },
	/* as wide as "electronic", whichever means the list shows */
	[CT_DISC_COL_MEANS] = { "means", "MEANS", "-", CT_COL_OMIT, 10 },
	[CT_DISC_COL_REFERENCE] = { "reference", NULL, NULL, CT_COL_OMIT, 0 },
	[CT_DISC_COL_PATH] = { "path", NULL, NULL, 0, 0 },
	[CT_DISC_COL_TO] = { "to", "RECIPIENT", NULL, 0, 0 },
};

static const int disc_text[] = {
	CT_DISC_COL_AT, CT_DISC_COL_CASE, CT_DISC_COL_PURPOSE,
	CT_DISC_COL_DISCLOSER, CT_DISC_COL_TO, CT_DISC_COL_MEANS,
	CT_DISC_COL_INFORMATION, CT_COLS_END,
};

static const int disc_json[] = {
	CT_DISC_COL_CASE, CT_DISC_COL_AT, CT_DISC_COL_DISCLOSER,
	CT_DISC_COL_DISCLOSER_AGENCY, CT_DISC_COL_RECIPIENT,
	CT_DISC_COL_RECIPIENT_KIND, CT_DISC_COL_RECIPIENT_NAME,
	CT_DISC_COL_RECIPIENT_AGENCY, CT_DISC_COL_PURPOSE,
	CT_DISC_COL_INFORMATION, CT_DISC_COL_GROUNDS, CT_DISC_COL_MEANS,
	CT_DISC_COL_REFERENCE, CT_DISC_COL_PATH, CT_COLS_END,
};

static const int disc_csv[] = {
	CT_DISC_COL_AT, CT_DISC_COL_CASE, CT_DISC_COL_PURPOSE,
	CT_DISC_COL_DISCLOSER, CT_DISC_COL_DISCLOSER_AGENCY,
	CT_DISC_COL_RECIPIENT, CT_DISC_COL_RECIPIENT_KIND,
	CT_DISC_COL_RECIPIENT_NAME, CT_DISC_COL_RECIPIENT_AGENCY,
	CT_DISC_COL_MEANS, CT_DISC_COL_INFORMATION, CT_DISC_COL_GROUNDS,
	CT_DISC_COL_REFERENCE, CT_DISC_COL_PATH, CT_COLS_END,
};

const ct_rowspec ct_disclosure_list = {
	disc_cols, CT_DISC_NCOLS, disc_text, disc_json, disc_csv,
	"no disclosures to show",
};

void
ct_disclosures_rows(const ct_disclosures *d, ct_rows *out)
{
	ct_buf to = { 0 };
	size_t i, k;

	for (i = 0; i < d->n && ct_rows_add(out); i++) {
		const ct_node *e = d->v[i].doc;

		for (k = 0; k < CT_DISC_COL_PATH; k++)
			ct_rows_set(out, k, ct_map_str(e, disc_cols[k].key));
		ct_rows_set(out, CT_DISC_COL_PATH, d->v[i].path);
		ct_buf_truncate(&to, 0);
		ct_buf_puts(&to, "");
		recipient_text(e, &to);
		out->failed |= to.failed;
		ct_rows_set(out, CT_DISC_COL_TO, to.s);
	}
	ct_buf_free(&to);
}

/* Emit a tree as pretty JSON into b. */
static void
json_out(const ct_node *n, ct_buf *b)
{
	ct_error err = { 0 };
	char *out = NULL;
	size_t len;

	if (n == NULL || ct_json_emit(n, true, &out, &len, &err) < 0) {
		b->failed = true;
		ct_error_clear(&err);
		return;
	}
	ct_buf_add(b, out, len);
	free(out);
}

/*
 * Verification: the walk over the history.
 */
enum { REG_AGENCIES, REG_OPERATORS, NREG };

static const char *const reg_path[NREG] = {
	CT_AGENCIES_PATH, CT_OPERATORS_PATH,
};
static const char *const reg_schema[NREG] = { "agencies", "operators" };

/* Problems with the parties are judged by the registries of the commit. */
#define AT_THE_TIME "(registries at this commit)"

struct walk {
	git_repository *repo;
	ct_schema *entry_schema;
	ct_schema *schemas[NREG];
	const char *case_dir;    /* one case only, else NULL */
	/* the commit being looked at */
	git_commit *commit;
	git_tree *tree;
	char id[GIT_OID_HEXSZ + 1];
	long long time;
	char *author;            /* "Name <email>" */
	const char *email;
	/* the registries of the commit; kept while their blobs are the same */
	bool have[NREG];
	git_oid reg_oid[NREG];
	ct_node *reg[NREG];      /* NULL: see reg_err */
	char *reg_err[NREG];
	ct_audit_fn fn;
	void *arg;
	ct_audit_stats stats;
};

static int
emit(struct walk *w, ct_audit_kind kind, const char *path, const char *what,
    ct_error *err)
{
	ct_audit_item it = { kind, w->id, w->time, w->author, path, what };

	if (kind != CT_AUDIT_ADDED)
		w->stats.problems++;
	else
		w->stats.added++;
	return w->fn != NULL ? w->fn(&it, w->arg, err) : 0;
}

/* Report a problem; the message is made one line ("; " for newlines). */
static int
problem(struct walk *w, ct_error *err, const char *path, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static int
problem(struct walk *w, ct_error *err, const char *path, const char *fmt,
    ...)
{
	ct_buf raw = { 0 }, line = { 0 };
	const char *p;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	ct_buf_vprintf(&raw, fmt, ap);
	va_end(ap);
	for (p = raw.s; p != NULL && *p != '\0'; p++) {
		if (*p != '\n' && *p != '\r')
			ct_buf_putc(&line, *p);
		else if (p[1] != '\0' && p[1] != '\n' && p[1] != '\r')
			ct_buf_puts(&line, "; ");
	}
	if (raw.failed || line.failed || line.s == NULL)
		rc = ct_error_set(err, CT_ERROR, "out of memory");
	else
		rc = emit(w, CT_AUDIT_PROBLEM, path, line.s, err);
	ct_buf_free(&raw);
	ct_buf_free(&line);
	return rc;
}

static void
drop_registry(struct walk *w, int k)
{
	ct_node_free(w->reg[k]);
	w->reg[k] = NULL;
	free(w->reg_err[k]);
	w->reg_err[k] = NULL;
	w->have[k] = false;
}

/* Load the registries of the current commit (when they changed). */
static int
load_registries(struct walk *w, ct_error *err)
{
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	ct_error perr = { 0 };
	int k, rc = 0, grc = GIT_ITEROVER;

	for (k = 0; rc == 0 && k < NREG; k++) {
		grc = git_tree_entry_bypath(&e, w->tree, reg_path[k]);
		if (grc == 0 && w->have[k] &&
		    git_oid_equal(&w->reg_oid[k], git_tree_entry_id(e))) {
			git_tree_entry_free(e);
			e = NULL;
			continue;
		}
		drop_registry(w, k);
		if (grc < 0 || git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
		    git_blob_lookup(&blob, w->repo, git_tree_entry_id(e)) < 0) {
			if (asprintf(&w->reg_err[k], "%s: no such file",
			    reg_path[k]) < 0) {
				w->reg_err[k] = NULL;
				rc = ct_error_set(err, CT_ERROR,
				    "out of memory");
			}
		} else {
			git_oid_cpy(&w->reg_oid[k], git_tree_entry_id(e));
			w->have[k] = true;
			if (ct_yaml_load(git_blob_rawcontent(blob),
			    (size_t)git_blob_rawsize(blob), reg_path[k],
			    &w->reg[k], &perr) < 0 ||
			    ct_schema_validate(w->schemas[k], w->reg[k],
			    reg_path[k], &perr) < 0) {
				ct_node_free(w->reg[k]);
				w->reg[k] = NULL;
				if ((w->reg_err[k] = strdup(ct_error_msg(
				    &perr))) == NULL)
					rc = ct_error_set(err, CT_ERROR,
					    "out of memory");
			}
			ct_error_clear(&perr);
		}
		git_blob_free(blob);
		blob = NULL;
		git_tree_entry_free(e);
		e = NULL;
	}
	return rc;
}

/* Check that the commit's trailers name the entry's purpose and case. */
static int
check_trailers(struct walk *w, const char *path, const char *purpose,
    const char *case_id, ct_error *err)
{
	const char *msg = git_commit_message(w->commit);
	char *tp = NULL, *tc = NULL;
	int rc;

	if ((rc = ct_trailer_get(msg, "Purpose", &tp, err)) < 0 ||
	    (rc = ct_trailer_get(msg, "Case", &tc, err)) < 0)
		goto out;
	if (tp == NULL || tc == NULL || strcmp(tp, purpose) != 0 ||
	    strcmp(tc, case_id) != 0)
		rc = problem(w, err, path, "added by a commit without matching "
		    "trailers (Purpose: %s, Case: %s; the entry has purpose "
		    "%s, case %s)", tp ? tp : "none", tc ? tc : "none",
		    purpose, case_id);
out:
	free(tp);
	free(tc);
	return rc;
}

/* The parties of the entry, as the registries of the commit see them. */
static int
check_parties(struct walk *w, const char *path, const ct_node *doc,
    ct_error *err)
{
	const char *discloser = field(doc, "discloser");
	char *to = NULL;
	ct_error perr = { 0 };
	const ct_node *op;
	ct_party p;
	int rc = 0, prc, k;

	if ((rc = load_registries(w, err)) < 0)
		return rc;
	for (k = 0; k < NREG; k++)
		if (w->reg[k] == NULL)
			return problem(w, err, path, "the registries of "
			    "this commit can not be read, so the parties can "
			    "not be checked: %s", w->reg_err[k]);
	op = ct_registry_find(w->reg[REG_OPERATORS], "operators", "email",
	    w->email);
	if (op == NULL)
		rc = problem(w, err, path, "added by %s, who is not a "
		    "registered operator %s", w->author, AT_THE_TIME);
	else if (strcmp(field(op, "id"), discloser) != 0)
		rc = problem(w, err, path, "the entry names discloser '%s' "
		    "but the commit's author is operator '%s'", discloser,
		    field(op, "id"));
	if (rc == 0 && (prc = ct_s284_party(w->reg[REG_AGENCIES],
	    w->reg[REG_OPERATORS], discloser, true, "discloser", &p,
	    &perr)) < 0)
		rc = prc == CT_ERROR ? ct_error_set(err, prc, "%s",
		    ct_error_msg(&perr)) : problem(w, err, path, "%s %s",
		    ct_error_msg(&perr), AT_THE_TIME);
	else if (rc == 0 && strcmp(field(doc, "discloser_agency"),
	    p.agency) != 0)
		rc = problem(w, err, path, "discloser_agency '%s' is not the "
		    "discloser's agency '%s' %s",
		    field(doc, "discloser_agency"), p.agency, AT_THE_TIME);
	ct_error_clear(&perr);
	if (rc == 0 && asprintf(&to, "%s:%s", field(doc, "recipient_kind"),
	    field(doc, "recipient")) < 0) {
		to = NULL;
		rc = ct_error_set(err, CT_ERROR, "out of memory");
	}
	if (rc == 0 && (prc = ct_s284_party(w->reg[REG_AGENCIES],
	    w->reg[REG_OPERATORS], to, false, "recipient", &p, &perr)) < 0)
		rc = prc == CT_ERROR ? ct_error_set(err, prc, "%s",
		    ct_error_msg(&perr)) : problem(w, err, path, "%s %s",
		    ct_error_msg(&perr), AT_THE_TIME);
	else if (rc == 0 && strcmp(field(doc, "recipient_agency"),
	    p.agency) != 0)
		rc = problem(w, err, path, "recipient_agency '%s' is not the "
		    "recipient's agency '%s' %s",
		    field(doc, "recipient_agency"), p.agency, AT_THE_TIME);
	else if (rc == 0 && strcmp(field(doc, "recipient_name"),
	    p.name != NULL ? p.name : "") != 0)
		rc = problem(w, err, path, "recipient_name '%s' is not the "
		    "recipient's registered name '%s' %s",
		    field(doc, "recipient_name"), p.name, AT_THE_TIME);
	ct_error_clear(&perr);
	free(to);
	return rc;
}

/* Where the entry lives: its case's directory, a name from its time. */
static int
check_place(struct walk *w, const char *path, const ct_node *doc,
    ct_error *err)
{
	const char *case_id = field(doc, "case"), *name;
	char stem[CT_TIMESTAMP_BUFSZ], want[CT_TIMESTAMP_BUFSZ];
	char *dir = NULL;
	unsigned long n;
	long long at;
	size_t len;
	int rc;

	if ((rc = ct_case_dir(case_id, &dir, err)) < 0)
		return rc;
	len = strlen(dir);
	name = strrchr(path, '/') + 1;
	if (strncmp(path, dir, len) != 0 || path[len] != '/' ||
	    strncmp(path + len + 1, CT_DISCLOSURES_DIR "/",
	    sizeof(CT_DISCLOSURES_DIR)) != 0)
		rc = problem(w, err, path, "in the directory of another case "
		    "(the entry is about case %s)", case_id);
	else if (ct_timestamp_parse(field(doc, "at"), &at, NULL, NULL) < 0 ||
	    !parse_name(name, stem, &n) ||
	    strcmp(stem, file_stem(at, want)) != 0)
		rc = problem(w, err, path, "the file name does not match the "
		    "entry's time %s (expected %s-<n>.yaml)", field(doc, "at"),
		    file_stem(at, want));
	free(dir);
	return rc;
}

/* An entry added by the current commit. */
static int
check_added(struct walk *w, const char *path, const git_tree_entry *e,
    ct_error *err)
{
	git_blob *blob = NULL;
	ct_error perr = { 0 };
	ct_node *doc = NULL;
	const ct_purpose *p;
	int rc;

	if ((rc = emit(w, CT_AUDIT_ADDED, path, NULL, err)) < 0)
		return rc;
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return problem(w, err, path, "not a disclosure entry (not a "
		    "file)");
	if (git_blob_lookup(&blob, w->repo, git_tree_entry_id(e)) < 0)
		return ct_git_fail(err, path);
	if (ct_yaml_load(git_blob_rawcontent(blob),
	    (size_t)git_blob_rawsize(blob), path, &doc, &perr) < 0 ||
	    ct_schema_validate(w->entry_schema, doc, path, &perr) < 0) {
		rc = problem(w, err, path, "not a valid disclosure entry: %s",
		    ct_error_msg(&perr));
		goto out;
	}
	p = ct_purpose_find(field(doc, "purpose"));
	if ((rc = check_place(w, path, doc, err)) < 0 ||
	    (rc = check_trailers(w, path, p->id, field(doc, "case"),
	    err)) < 0)
		goto out;
	if (p->needs_grounds && ct_map_get(doc, "grounds") == NULL &&
	    (rc = problem(w, err, path, "purpose %s without the reasonable "
	    "grounds s 284 requires (%s)", p->id, CT_S284_RULE)) < 0)
		goto out;
	rc = check_parties(w, path, doc, err);
out:
	ct_error_clear(&perr);
	ct_node_free(doc);
	git_blob_free(blob);
	return rc;
}

/* One name in a disclosures directory whose entries differ: o and n are
 * its entries in the parent's tree and the commit's (either NULL). */
static int
entry_fn(struct walk *w, const char *path, const git_tree_entry *o,
    const git_tree_entry *n, ct_error *err)
{
	if (o == NULL)
		return check_added(w, path, n, err);
	return emit(w, CT_AUDIT_REWRITTEN, path, n == NULL ? "deleted "
	    "(entries are never removed)" : "modified after it was "
	    "added (entries are never changed)", err);
}

/* What ct_tree_diff() reports under the trees compared: the directory
 * they are (base), how many names lead from there to a disclosures
 * directory's entries (depth: 3 for cases/, <xx>/<id>/disclosures/, 0 for
 * one case's disclosures/), the names already judged that are a tree on
 * a side (their files come one by one). */
struct changes {
	struct walk *w;
	git_tree *old;           /* the parent's root tree, or NULL */
	const char *base;
	int depth;
	char **seen;
	size_t nseen;
};

/* The length of c->path's first depth + 1 names, or 0 when it is not in
 * a disclosures directory. */
static size_t
entry_len(const char *path, int depth)
{
	const char *p = path, *slash;
	int k;

	for (k = 0; k <= depth; k++) {
		slash = strchr(p, '/');
		if (k == 2 && depth == 3 && (slash == NULL ||
		    (size_t)(slash - p) != strlen(CT_DISCLOSURES_DIR) ||
		    strncmp(p, CT_DISCLOSURES_DIR, (size_t)(slash - p)) != 0))
			return 0;
		if (k == depth)
			return slash != NULL ? (size_t)(slash - path) :
			    strlen(path);
		if (slash == NULL)
			return 0;
		p = slash + 1;
	}
	return 0;
}

static bool
seen(struct changes *c, const char *path)
{
	size_t i;

	for (i = 0; i < c->nseen; i++)
		if (strcmp(c->seen[i], path) == 0)
			return true;
	return false;
}

static bool
is_tree(const git_tree_entry *e)
{
	return e != NULL && git_tree_entry_type(e) == GIT_OBJECT_TREE;
}

static int
change_fn(const ct_tree_change *tc, void *arg, ct_error *err)
{
	struct changes *c = arg;
	git_tree_entry *o = NULL, *n = NULL;
	size_t len = entry_len(tc->path, c->depth);
	char *path = NULL, **grown;
	int rc = 0;

	if (len == 0)
		return 0;
	if (asprintf(&path, "%s/%.*s", c->base, (int)len, tc->path) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	if (c->old != NULL)
		(void)git_tree_entry_bypath(&o, c->old, path);
	(void)git_tree_entry_bypath(&n, c->w->tree, path);
	/* an entry that is a tree on a side comes as the changes of its
	 * files (and of a blob it replaced): it is judged once */
	if (tc->path[len] == '/' || is_tree(o) || is_tree(n)) {
		if (seen(c, path))
			goto out;
		if ((grown = realloc(c->seen, (c->nseen + 1) *
		    sizeof(*grown))) == NULL) {
			rc = ct_error_set(err, CT_ERROR, "out of memory");
			goto out;
		}
		c->seen = grown;
		c->seen[c->nseen++] = path;
	}
	rc = entry_fn(c->w, path, o, n, err);
out:
	git_tree_entry_free(o);
	git_tree_entry_free(n);
	if (c->nseen == 0 || c->seen[c->nseen - 1] != path)
		free(path);
	return rc;
}

/* The tree at path of root, or NULL when there is none. */
static int
tree_at(struct walk *w, git_tree *root, const char *path, git_tree **out,
    ct_error *err)
{
	git_tree_entry *e = NULL;
	int rc = 0;

	*out = NULL;
	if (root == NULL || git_tree_entry_bypath(&e, root, path) < 0)
		return 0;
	if (git_tree_entry_type(e) == GIT_OBJECT_TREE &&
	    git_tree_lookup(out, w->repo, git_tree_entry_id(e)) < 0)
		rc = ct_git_fail(err, path);
	git_tree_entry_free(e);
	return rc;
}

/* The disclosure registers of one commit against its parent's: the
 * changes under cases/ (or the one case's disclosures/), trees whose ids
 * are equal skipped (ct_tree_diff). */
static int
walk_commit(struct walk *w, const ct_walk_step *st, ct_error *err)
{
	struct changes c = { .w = w, .old = st->ptree };
	git_tree *ot = NULL, *nt = NULL;
	const git_signature *a;
	char *dir = NULL;
	size_t i;
	int rc = 0;

	/* a merge brings entries its parents' commits added and were checked
	 * at; store-verify refuses a merge that brings anything else */
	if (st->nparents > 1)
		return 0;
	w->commit = st->commit;
	w->tree = st->tree;
	memcpy(w->id, st->id, sizeof(w->id));
	w->time = (long long)git_commit_time(w->commit);
	a = git_commit_author(w->commit);
	w->email = a->email;
	if (asprintf(&w->author, "%s <%s>", a->name, a->email) < 0 ||
	    (w->case_dir != NULL && asprintf(&dir, "%s/%s", w->case_dir,
	    CT_DISCLOSURES_DIR) < 0)) {
		dir = NULL;
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto out;
	}
	w->stats.commits++;
	c.base = dir != NULL ? dir : "cases";
	c.depth = dir != NULL ? 0 : 3;
	if ((rc = tree_at(w, st->ptree, c.base, &ot, err)) == 0 &&
	    (rc = tree_at(w, w->tree, c.base, &nt, err)) == 0 &&
	    (ot == NULL || nt == NULL ||
	    !git_oid_equal(git_tree_id(ot), git_tree_id(nt))))
		rc = ct_tree_diff(w->repo, ot, nt, change_fn, &c, err);
out:
	for (i = 0; i < c.nseen; i++)
		free(c.seen[i]);
	free(c.seen);
	git_tree_free(ot);
	git_tree_free(nt);
	w->tree = NULL;
	w->commit = NULL;
	free(w->author);
	w->author = NULL;
	free(dir);
	return rc;
}

struct ct_disclosure_audit {
	struct walk w;
	char *case_dir;
};

int
ct_disclosure_audit_new(struct git_repository *repo, const char *case_id,
    ct_audit_fn fn, void *arg, ct_disclosure_audit **out, ct_error *err)
{
	ct_disclosure_audit *dc;
	int k, rc = 0;

	*out = NULL;
	if ((dc = calloc(1, sizeof(*dc))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	dc->w.fn = fn;
	dc->w.arg = arg;
	dc->w.repo = repo;
	if (case_id != NULL &&
	    (rc = ct_case_dir(case_id, &dc->case_dir, err)) < 0)
		goto fail;
	dc->w.case_dir = dc->case_dir;
	if ((rc = ct_schema_load("disclosure", &dc->w.entry_schema, err)) < 0)
		goto fail;
	for (k = 0; k < NREG; k++)
		if ((rc = ct_schema_load(reg_schema[k], &dc->w.schemas[k],
		    err)) < 0)
			goto fail;
	*out = dc;
	return 0;
fail:
	ct_disclosure_audit_free(dc, NULL);
	return rc;
}

int
ct_disclosure_audit_commit(ct_disclosure_audit *dc, const ct_walk_step *st,
    ct_error *err)
{
	return walk_commit(&dc->w, st, err);
}

void
ct_disclosure_audit_free(ct_disclosure_audit *dc, ct_audit_stats *stats)
{
	int k;

	if (stats != NULL)
		*stats = dc != NULL ? dc->w.stats : (ct_audit_stats){ 0 };
	if (dc == NULL)
		return;
	for (k = 0; k < NREG; k++) {
		drop_registry(&dc->w, k);
		ct_schema_free(dc->w.schemas[k]);
	}
	ct_schema_free(dc->w.entry_schema);
	free(dc->case_dir);
	free(dc);
}

static int
verify_walk(git_repository *repo, const git_oid *tip, const git_oid *since,
    const char *case_id, ct_audit_fn fn, void *arg, ct_audit_stats *stats,
    ct_error *err)
{
	ct_disclosure_audit *dc = NULL;
	const ct_walk_step *st;
	ct_walk *walk = NULL;
	int rc;

	if (stats != NULL)
		memset(stats, 0, sizeof(*stats));
	if ((rc = ct_disclosure_audit_new(repo, case_id, fn, arg, &dc,
	    err)) < 0)
		return rc;
	if ((rc = ct_walk_open(repo, tip, since, CT_WALK_NO_MERGES, &walk,
	    err)) == 0)
		while ((rc = ct_walk_next(walk, &st, err)) > 0 &&
		    (rc = walk_commit(&dc->w, st, err)) == 0)
			;
	ct_walk_free(walk);
	ct_disclosure_audit_free(dc, stats);
	return rc < 0 ? rc : 0;
}

int
ct_disclosure_verify(ct_store *st, const char *since, const char *case_id,
    ct_audit_fn fn, void *arg, ct_audit_stats *stats, ct_error *err)
{
	git_repository *repo = NULL;
	git_object *obj = NULL, *peeled = NULL;
	git_oid tip;
	int rc = 0;

	if (stats != NULL)
		memset(stats, 0, sizeof(*stats));
	if (git_repository_open_ext(&repo, ct_store_workdir(st),
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
	    git_reference_name_to_id(&tip, repo, CT_BRANCH) < 0) {
		rc = ct_git_fail(err, "reading " CT_BRANCH);
		goto out;
	}
	if (since != NULL && (git_revparse_single(&obj, repo, since) < 0 ||
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0)) {
		rc = ct_error_set(err, CT_ENOTFOUND, "--since: unknown "
		    "revision '%s'", since);
		goto out;
	}
	rc = verify_walk(repo, &tip, since != NULL ?
	    git_object_id(peeled) : NULL, case_id, fn, arg, stats, err);
out:
	git_object_free(obj);
	git_object_free(peeled);
	git_repository_free(repo);
	return rc;
}

/*
 * The report for an oversight body.
 */
struct recorded {
	char *path, *commit, *author;
	long long time;
};

struct found {
	char *commit, *path, *what;
};

struct report_ctx {
	struct recorded *rec;
	size_t nrec;
	struct found *prob;
	size_t nprob;
};

static int
collect(const ct_audit_item *it, void *arg, ct_error *err)
{
	struct report_ctx *r = arg;
	void *grown;

	if (it->kind == CT_AUDIT_ADDED) {
		if ((grown = realloc(r->rec, (r->nrec + 1) *
		    sizeof(*r->rec))) == NULL)
			return ct_error_set(err, CT_ERROR, "out of memory");
		r->rec = grown;
		r->rec[r->nrec] = (struct recorded){ strdup(it->path),
		    strdup(it->commit), strdup(it->author), it->time };
		if (r->rec[r->nrec++].author == NULL ||
		    r->rec[r->nrec - 1].path == NULL ||
		    r->rec[r->nrec - 1].commit == NULL)
			return ct_error_set(err, CT_ERROR, "out of memory");
		return 0;
	}
	if ((grown = realloc(r->prob, (r->nprob + 1) *
	    sizeof(*r->prob))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	r->prob = grown;
	r->prob[r->nprob] = (struct found){ strdup(it->commit),
	    strdup(it->path), strdup(it->what) };
	if (r->prob[r->nprob].commit == NULL || r->prob[r->nprob].path ==
	    NULL || r->prob[r->nprob].what == NULL) {
		r->nprob++;
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	r->nprob++;
	return 0;
}

static void
report_ctx_free(struct report_ctx *r)
{
	size_t i;

	for (i = 0; i < r->nrec; i++) {
		free(r->rec[i].path);
		free(r->rec[i].commit);
		free(r->rec[i].author);
	}
	for (i = 0; i < r->nprob; i++) {
		free(r->prob[i].commit);
		free(r->prob[i].path);
		free(r->prob[i].what);
	}
	free(r->rec);
	free(r->prob);
}

/* The latest commit that added path (an entry may be re-added after a
 * deletion; the entry at HEAD is the latest). */
static const struct recorded *
recorded_of(const struct report_ctx *r, const char *path)
{
	size_t i;

	for (i = r->nrec; i > 0; i--)
		if (strcmp(r->rec[i - 1].path, path) == 0)
			return &r->rec[i - 1];
	return NULL;
}

static const char *
operator_name(const ct_node *ops, const char *id)
{
	const ct_node *op = ct_registry_find(ops, "operators", "id", id);

	return op != NULL ? ct_map_str(op, "name") : NULL;
}

/* "   Label:        text", the text written terminal-safe and wrapped at
 * REPORT_WIDTH columns under itself. */
#define REPORT_WIDTH 78
#define REPORT_INDENT 17

static void
report_line(ct_buf *b, const char *label, const char *text)
{
	ct_buf safe = { 0 };
	const char *p, *end;
	size_t col = REPORT_INDENT, len;

	ct_buf_puts(&safe, "");
	ct_text_safe(&safe, text);
	if (safe.failed) {
		b->failed = true;
		ct_buf_free(&safe);
		return;
	}
	ct_buf_printf(b, "   %-*s", REPORT_INDENT - 3, label);
	for (p = safe.s; *p != '\0'; p += len) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		end = strchr(p, ' ');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (col > REPORT_INDENT && col + 1 + len > REPORT_WIDTH) {
			ct_buf_putc(b, '\n');
			ct_buf_spaces(b, REPORT_INDENT);
			col = REPORT_INDENT;
		} else if (col > REPORT_INDENT) {
			ct_buf_putc(b, ' ');
			col++;
		}
		ct_buf_add(b, p, len);
		col += len;
	}
	ct_buf_putc(b, '\n');
	ct_buf_free(&safe);
}

/* Entry i + 1 of the report: its heading and labelled lines; line is
 * scratch. */
static void
report_entry(size_t i, const ct_disclosures *d, const ct_node *ops,
    const struct report_ctx *r, ct_buf *line, ct_buf *b)
{
	const ct_node *e = d->v[i].doc;
	const ct_purpose *p = ct_purpose_find(field(e, "purpose"));
	char t[CT_TIMESTAMP_BUFSZ];
	const struct recorded *rec;
	const char *s;
	size_t k;

	ct_buf_printf(b, "\n%zu. ", i + 1);
	ct_text_safe(b, field(e, "at"));
	ct_buf_puts(b, "  ");
	ct_text_safe(b, field(e, "purpose"));
	ct_buf_putc(b, '\n');
	report_line(b, "Purpose:", p != NULL ? p->wording :
	    field(e, "purpose"));
	ct_buf_truncate(line, 0);
	s = operator_name(ops, field(e, "discloser"));
	ct_buf_printf(line, "%s%s%s (%s)", field(e, "discloser"),
	    s ? ", " : "", s ? s : "", field(e, "discloser_agency"));
	report_line(b, "By:", line->s);
	ct_buf_truncate(line, 0);
	if (strcmp(field(e, "recipient_kind"), "operator") == 0)
		ct_buf_printf(line, "%s, %s (%s)", field(e, "recipient"),
		    field(e, "recipient_name"), field(e, "recipient_agency"));
	else
		ct_buf_printf(line, "agency %s, %s", field(e, "recipient"),
		    field(e, "recipient_name"));
	report_line(b, "To:", line->s);
	report_line(b, "Information:", field(e, "information"));
	if ((s = ct_map_str(e, "grounds")) != NULL)
		report_line(b, "Grounds:", s);
	report_line(b, "Means:", (s = ct_map_str(e, "means")) ? s :
	    "not recorded");
	if ((s = ct_map_str(e, "reference")) != NULL)
		report_line(b, "Reference:", s);
	if ((rec = recorded_of(r, d->v[i].path)) != NULL) {
		ct_buf_truncate(line, 0);
		ct_buf_printf(line, "%s by %s in commit %s",
		    ct_timestamp_format(rec->time, t), rec->author,
		    rec->commit);
		report_line(b, "Recorded:", line->s);
	}
	report_line(b, "File:", d->v[i].path);
	for (k = 0; k < r->nprob; k++) {
		if (strcmp(r->prob[k].path, d->v[i].path) != 0)
			continue;
		ct_buf_truncate(line, 0);
		ct_buf_printf(line, "%s (commit %s)", r->prob[k].what,
		    r->prob[k].commit);
		report_line(b, "PROBLEM:", line->s);
	}
}

/* The report as text; every field of data in it is terminal-safe. */
static void
report_text(const char *case_id, const char *head, const ct_disclosures *d,
    const ct_node *ops, const struct report_ctx *r, ct_buf *b)
{
	ct_buf line = { 0 };
	size_t i;

	ct_buf_printf(b, "Use and disclosure of information about case %s\n"
	    "Serious Offenders Act 2018 (Vic) s 284 (rule %s)\n\n", case_id,
	    CT_S284_RULE);
	ct_buf_printf(b, "Store commit:   %s\n", head);
	ct_buf_printf(b, "Entries:        %zu\n", d->n);
	if (r->nprob == 0)
		ct_buf_puts(b, "History check:  clean: no entry was changed or "
		    "removed after it was recorded;\n                every "
		    "entry was recorded with matching trailers by a\n"
		    "                relevant person, to a relevant person\n");
	else
		ct_buf_printf(b, "History check:  %zu problem%s, listed at the "
		    "end\n", r->nprob, r->nprob == 1 ? "" : "s");
	for (i = 0; i < d->n; i++)
		report_entry(i, d, ops, r, &line, b);
	if (d->n == 0)
		ct_buf_puts(b, "\nNo use or disclosure of information about "
		    "this case is recorded.\n");
	if (r->nprob > 0)
		ct_buf_puts(b, "\nProblems found in the history:\n");
	for (i = 0; i < r->nprob; i++) {
		ct_buf_printf(b, "  %s ", r->prob[i].commit);
		ct_text_safe(b, r->prob[i].path);
		ct_buf_puts(b, ": ");
		ct_text_safe(b, r->prob[i].what);
		ct_buf_putc(b, '\n');
	}
	if (line.failed)
		b->failed = true;
	ct_buf_free(&line);
}

static int
report_json(const char *case_id, const char *head, const ct_disclosures *d,
    const ct_node *ops, const struct report_ctx *r, ct_buf *b, ct_error *err)
{
	char t[CT_TIMESTAMP_BUFSZ];
	ct_node *root = ct_node_new_map(), *entries = ct_node_new_seq();
	ct_node *probs = ct_node_new_seq(), *e = NULL, *rec = NULL;
	const struct recorded *rd;
	const ct_purpose *p;
	bool oom = root == NULL || entries == NULL || probs == NULL;
	size_t i;

	if (!oom)
		oom = set_str(root, "case", case_id) < 0 ||
		    set_str(root, "rule", CT_S284_RULE) < 0 ||
		    set_str(root, "commit", head) < 0 ||
		    ct_map_set(root, "clean",
		    ct_node_new_bool(r->nprob == 0)) < 0;
	for (i = 0; !oom && i < d->n; i++) {
		p = ct_purpose_find(field(d->v[i].doc, "purpose"));
		oom = (e = ct_node_dup(d->v[i].doc)) == NULL ||
		    set_str(e, "purpose_wording", p ? p->wording : NULL) < 0 ||
		    set_str(e, "discloser_name", operator_name(ops,
		    field(e, "discloser"))) < 0 ||
		    set_str(e, "path", d->v[i].path) < 0;
		if (!oom && (rd = recorded_of(r, d->v[i].path)) != NULL)
			oom = (rec = ct_node_new_map()) == NULL ||
			    set_str(rec, "commit", rd->commit) < 0 ||
			    set_str(rec, "time", ct_timestamp_format(rd->time,
			    t)) < 0 ||
			    set_str(rec, "author", rd->author) < 0 ||
			    ct_map_set(e, "recorded", rec) < 0;
		rec = NULL;
		if (!oom)
			oom = ct_seq_push(entries, e) < 0;
		else
			ct_node_free(e);
		e = NULL;
	}
	for (i = 0; !oom && i < r->nprob; i++)
		oom = (e = ct_node_new_map()) == NULL ||
		    set_str(e, "commit", r->prob[i].commit) < 0 ||
		    set_str(e, "path", r->prob[i].path) < 0 ||
		    set_str(e, "what", r->prob[i].what) < 0 ||
		    ct_seq_push(probs, e) < 0;
	if (!oom) {
		oom = ct_map_set(root, "entries", entries) < 0;
		entries = NULL;
	}
	if (!oom) {
		oom = ct_map_set(root, "problems", probs) < 0;
		probs = NULL;
	}
	if (!oom)
		json_out(root, b);
	ct_node_free(root);
	ct_node_free(entries);
	ct_node_free(probs);
	return oom || b->failed ?
	    ct_error_set(err, CT_ERROR, "out of memory") : 0;
}

int
ct_disclosure_report(ct_store *st, const char *case_id, bool json,
    ct_buf *out, size_t *problems, ct_error *err)
{
	struct report_ctx r = { 0 };
	ct_disclosures d = { 0 };
	ct_snapshot *snap = NULL;
	ct_node *ops = NULL;
	int rc;

	*problems = 0;
	if ((rc = ct_snapshot_open(st, NULL, &snap, err)) < 0 ||
	    (rc = ct_disclosures_load(snap, case_id, &d, err)) < 0 ||
	    (rc = ct_snapshot_load(snap, CT_OPERATORS_PATH, &ops,
	    err)) < 0 ||
	    (rc = ct_disclosure_verify(st, NULL, case_id, collect, &r, NULL,
	    err)) < 0)
		goto out;
	*problems = r.nprob;
	if (json)
		rc = report_json(case_id, ct_snapshot_id(snap), &d, ops, &r,
		    out, err);
	else
		report_text(case_id, ct_snapshot_id(snap), &d, ops, &r, out);
	if (rc == 0 && out->failed)
		rc = ct_error_set(err, CT_ERROR, "out of memory");
out:
	report_ctx_free(&r);
	ct_disclosures_clear(&d);
	ct_node_free(ops);
	ct_snapshot_free(snap);
	return rc;
}

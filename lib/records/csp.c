/*
 * Coordinated Services Plans: the record cases/<xx>/<id>/csp.yaml, its
 * checks, and the changes of csp-new, csp-update and csp-endorse.
 *
 * The record keeps, besides the current version's services, the history
 * the deadline rules anchor on: "endorsements" (every version's MAP
 * endorsement, carried into each new version), "reviews" and "requests".
 * Everything here works on YAML trees; ct_csp_apply() is the one
 * transaction the tools run, so that a lost race re-reads and re-applies.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/record.h"
#include "casetrail/buf.h"
#include "casetrail/case.h"
#include "casetrail/csp.h"
#include "casetrail/registry.h"
#include "casetrail/role.h"
#include "casetrail/schema.h"
#include "casetrail/trailers.h"
#include "casetrail/util.h"

static const char *const action_names[] = {
	"new", "review", "request", "record", "endorse",
};

const char *
ct_csp_action_name(ct_csp_action a)
{
	return (unsigned)a < 5 ? action_names[a] : "?";
}

const char *
ct_sdu_status_name(ct_sdu_status s)
{
	static const char *const names[] = {
		"overdue", "outstanding", "received",
	};

	return (unsigned)s < 3 ? names[s] : "?";
}

/*
 * Small helpers.
 */
static const ct_node *
agency_entry(const ct_node *agencies, const char *id)
{
	return ct_registry_find(agencies, "agencies", "id", id);
}

/* The MAP member answerable for agency id: itself when a member, else the
 * member funding it; NULL when there is none. */
static const char *
member_for(const ct_node *agencies, const char *id)
{
	const ct_node *a = agency_entry(agencies, id), *f;
	const char *funder;

	if (a == NULL)
		return NULL;
	if (ct_agency_map_member(a))
		return ct_map_str(a, "id");
	funder = ct_map_str(a, "funded_by");
	f = agency_entry(agencies, funder);
	return f != NULL && ct_agency_map_member(f) ? funder : NULL;
}

/* Add s to a NULL-terminated vector unless it is there; false on
 * allocation failure. */
static bool
strv_add(char ***v, size_t *n, const char *s)
{
	char **grown;
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return true;
	if ((grown = realloc(*v, (*n + 2) * sizeof(**v))) == NULL)
		return false;
	*v = grown;
	if ((grown[*n] = strdup(s)) == NULL)
		return false;
	grown[++*n] = NULL;
	return true;
}

static bool
strv_has(char *const *v, const char *s)
{
	for (; v != NULL && *v != NULL; v++)
		if (strcmp(*v, s) == 0)
			return true;
	return false;
}

static void
strv_free(char **v)
{
	char **p;

	for (p = v; p != NULL && *p != NULL; p++)
		free(*p);
	free(v);
}

/* "a, b, c" */
static void
join(ct_buf *b, char *const *v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		ct_buf_printf(b, "%s%s", i ? ", " : "", v[i]);
}

/*
 * Orders.
 */
int
ct_csp_case_check(const ct_node *casedoc, const char *case_id,
    ct_error *err)
{
	if (ct_streq(ct_map_str(casedoc, "jurisdiction"), "VIC"))
		return 0;
	return ct_error_set(err, CT_EINVALID, "case %s is not a VIC case: "
	    "Coordinated Services Plans are kept under the Serious Offenders "
	    "Act 2018 (Vic)", case_id);
}

bool
ct_csp_case_supervised(const ct_node *casedoc)
{
	const ct_node *orders = ct_map_get(casedoc, "orders");
	size_t i;

	for (i = 0; i < ct_rec_len(orders); i++) {
		const char *t = ct_map_str(orders->items[i], "type");

		if ((ct_streq(t, "supervision") ||
		    ct_streq(t, "interim-supervision")) &&
		    ct_map_get(orders->items[i], "ended") == NULL)
			return true;
	}
	return false;
}

/*
 * Checks.
 */
static int
check_services(const ct_node *services, const ct_node *agencies,
    const char *file, ct_error *err)
{
	size_t i, j;

	for (i = 0; i < ct_rec_len(services); i++) {
		const ct_node *s = services->items[i];
		const char *id = ct_map_str(s, "id");
		const char *agency = ct_map_str(s, "agency");
		const char *provider = ct_map_str(s, "provider");
		const char *status = ct_map_str(s, "status");

		for (j = 0; j < i; j++)
			if (ct_streq(id, ct_map_str(services->items[j], "id")))
				return ct_error_at(err, file, ct_map_get(s, "id"),
				    "services[%zu].id: '%s' is already the id "
				    "of services[%zu]", i, id, j);
		if (agency_entry(agencies, agency) == NULL)
			return ct_error_at(err, file, ct_map_get(s, "agency"),
			    "services[%zu].agency: '%s' is not a registered "
			    "agency (see registry list agencies)", i,
			    agency ? agency : "");
		if (provider != NULL &&
		    agency_entry(agencies, provider) == NULL)
			return ct_error_at(err, file, ct_map_get(s, "provider"),
			    "services[%zu].provider: '%s' is not a registered "
			    "agency (see registry list agencies)", i, provider);
		if (ct_streq(provider, agency))
			return ct_error_at(err, file, ct_map_get(s, "provider"),
			    "services[%zu].provider: the provider is the "
			    "agency itself; leave provider out", i);
		if ((ct_streq(status, "active") || ct_streq(status, "ceased")) &&
		    ct_map_get(s, "start") == NULL)
			return ct_error_at(err, file, s, "services[%zu].start: an %s "
			    "service needs its start date", i, status);
	}
	return 0;
}

int
ct_csp_input_check(const ct_node *input, const char *name,
    const ct_node *agencies, ct_error *err)
{
	ct_schema *schema = NULL;
	ct_node *wrap = NULL, *v;
	size_t i;
	int rc;

	if (input == NULL || input->kind != CT_NODE_MAP)
		return ct_error_at(err, name, input, "(root): expected a mapping with "
		    "services and comments");
	for (i = 0; i < input->n; i++) {
		const char *k = input->pairs[i].key;

		if (strcmp(k, "services") != 0 && strcmp(k, "comments") != 0)
			return ct_error_set(err, CT_EINVALID, "%s:%u:%u: %s: "
			    "unknown field (a plan gives services and "
			    "comments; the tools keep case, version, status, "
			    "endorsements, reviews and requests)", name,
			    input->pairs[i].line, input->pairs[i].col, k);
	}
	if (ct_map_get(input, "services") == NULL)
		return ct_error_at(err, name, input, "services: required field is "
		    "missing");
	/* validate as the plan it becomes, positions of the input kept */
	if ((wrap = ct_node_new_map()) == NULL)
		return ct_nomem(err);
	if ((rc = ct_rec_set_str(wrap, "case", "x", err)) < 0 ||
	    (rc = ct_rec_set_int(wrap, "version", 1, err)) < 0 ||
	    (rc = ct_rec_set_str(wrap, "status", "draft", err)) < 0)
		goto out;
	for (i = 0; i < input->n; i++)
		if ((v = ct_node_dup(input->pairs[i].value)) == NULL ||
		    ct_map_set(wrap, input->pairs[i].key, v) < 0) {
			rc = ct_nomem(err);
			goto out;
		}
	if ((rc = ct_schema_load(CT_CSP_SCHEMA, &schema, err)) < 0 ||
	    (rc = ct_schema_validate(schema, wrap, name, err)) < 0)
		goto out;
	rc = check_services(ct_map_get(input, "services"), agencies, name, err);
out:
	ct_schema_free(schema);
	ct_node_free(wrap);
	return rc;
}

int
ct_csp_input_load(const char *buf, size_t len, const char *name,
    const ct_node *agencies, ct_node **out, ct_error *err)
{
	ct_node *doc = NULL;
	int rc;

	*out = NULL;
	if ((rc = ct_yaml_load(buf, len, name, &doc, err)) < 0)
		return rc;
	if ((rc = ct_csp_input_check(doc, name, agencies, err)) < 0) {
		ct_node_free(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

static int
check_endorsements(const ct_node *csp, const char *file, ct_error *err)
{
	const ct_node *e = ct_map_get(csp, "endorsements");
	long long version = ct_rec_int(csp, "version"), v, prev_v = 0;
	const char *status = ct_map_str(csp, "status");
	ct_date d, prev_d = 0;
	size_t i, n = ct_rec_len(e);

	for (i = 0; i < n; i++) {
		v = ct_rec_int(e->items[i], "version");
		if (v > version || v <= prev_v)
			return ct_error_at(err, file, e->items[i], "endorsements[%zu]."
			    "version: %lld is out of order (after %lld, plan "
			    "version %lld)", i, v, prev_v, version);
		if (ct_rec_date(e->items[i], "date", &d)) {
			if (i > 0 && d < prev_d)
				return ct_error_at(err, file, e->items[i],
				    "endorsements[%zu].date: before the "
				    "previous endorsement", i);
			prev_d = d;
		}
		prev_v = v;
	}
	if (ct_streq(status, "endorsed") && prev_v != version)
		return ct_error_at(err, file, ct_map_get(csp, "status"), "status: "
		    "endorsed, but endorsements has no entry for version %lld",
		    version);
	if (ct_streq(status, "draft") && prev_v == version)
		return ct_error_at(err, file, ct_map_get(csp, "status"), "status: "
		    "draft, but version %lld is endorsed", version);
	e = ct_map_get(csp, "reviews");
	for (i = 0; i < ct_rec_len(e); i++)
		if ((v = ct_rec_int(e->items[i], "version")) > version || v < 2)
			return ct_error_at(err, file, e->items[i], "reviews[%zu].version: "
			    "%lld is not a version this plan had", i, v);
	return 0;
}

static int
check_requests(const ct_node *csp, const char *file, ct_error *err)
{
	const ct_node *rq = ct_map_get(csp, "requests");
	size_t i, j, n = ct_rec_len(rq);

	for (i = 0; i < n; i++) {
		const ct_node *r = rq->items[i];
		const char *id = ct_map_str(r, "id");
		const char *agency = ct_map_str(r, "agency");
		bool open = ct_map_get(r, "received") == NULL;
		bool answer = ct_map_get(r, "delivered") != NULL &&
		    ct_map_get(r, "next") != NULL;
		bool part = ct_map_get(r, "delivered") != NULL ||
		    ct_map_get(r, "next") != NULL;
		ct_date req, d;

		for (j = 0; j < i; j++) {
			const ct_node *o = rq->items[j];

			if (ct_streq(id, ct_map_str(o, "id")))
				return ct_error_at(err, file, ct_map_get(r, "id"),
				    "requests[%zu].id: '%s' is already the id "
				    "of requests[%zu]", i, id, j);
			if (open && ct_map_get(o, "received") == NULL &&
			    ct_streq(agency, ct_map_str(o, "agency")))
				return ct_error_at(err, file, r, "requests[%zu]: a "
				    "second open request for %s (requests[%zu] "
				    "is open)", i, agency, j);
		}
		if (!ct_rec_date(r, "requested", &req))
			continue;
		if (ct_rec_date(r, "due", &d) && d < req)
			return ct_error_at(err, file, ct_map_get(r, "due"),
			    "requests[%zu].due: before the request", i);
		if (ct_rec_date(r, "received", &d) && d < req)
			return ct_error_at(err, file, ct_map_get(r, "received"),
			    "requests[%zu].received: before the request", i);
		if (open && part)
			return ct_error_at(err, file, r, "requests[%zu]: delivered and "
			    "next go with received", i);
		if (!open && !answer)
			return ct_error_at(err, file, r, "requests[%zu]: a received "
			    "request needs delivered and next", i);
	}
	return 0;
}

int
ct_csp_check(const ct_node *csp, const ct_node *agencies, const char *file,
    ct_error *err)
{
	int rc;

	if ((rc = check_services(ct_map_get(csp, "services"), agencies, file,
	    err)) < 0 ||
	    (rc = check_endorsements(csp, file, err)) < 0)
		return rc;
	return check_requests(csp, file, err);
}

/*
 * Templates for an editor.
 */
int
ct_csp_template(const char *case_id, const ct_node *csp,
    const ct_node *agencies, char **out, ct_error *err)
{
	const ct_node *list = ct_registry_list(agencies, "agencies");
	ct_schema *schema = NULL;
	ct_node *doc = NULL, *v;
	ct_buf b = { 0 };
	size_t i;
	int rc = 0;

	*out = NULL;
	if (csp == NULL)
		ct_buf_printf(&b, "# Coordinated Services Plan of %s: version 1, "
		    "draft.\n", case_id);
	else
		ct_buf_printf(&b, "# Coordinated Services Plan of %s: version "
		    "%lld, draft, from version %lld.\n", case_id,
		    ct_rec_int(csp, "version") + 1, ct_rec_int(csp, "version"));
	ct_buf_puts(&b,
	    "# One entry per service: id, agency (the registered agency that\n"
	    "# delivers it or funds its provider), provider (a funded service,\n"
	    "# if any), delivers, addresses (the risk factor or need),\n"
	    "# frequency, start (YYYY-MM-DD; needed once active), status\n"
	    "# (planned, active or ceased) and comments.\n"
	    "# Registered agencies:");
	for (i = 0; i < ct_rec_len(list); i++) {
		const char *id = ct_map_str(list->items[i], "id");
		const char *fb = ct_map_str(list->items[i], "funded_by");

		ct_buf_printf(&b, "%s %s", i ? "," : "", id ? id : "?");
		if (ct_agency_map_member(list->items[i]))
			ct_buf_puts(&b, " (MAP)");
		else if (fb != NULL)
			ct_buf_printf(&b, " (funded by %s)", fb);
	}
	ct_buf_puts(&b, list == NULL || list->n == 0 ? " none\n" : "\n");
	ct_buf_puts(&b,
	    "# Save and quit to keep the plan; quit without saving, or make\n"
	    "# the editor fail, to keep nothing.  Lines beginning with # are\n"
	    "# ignored.\n");
	if (csp == NULL) {
		ct_buf_puts(&b, "services:\n  - id: s1\n    agency:\n"
		    "    delivers:\n    addresses:\n    frequency:\n"
		    "    status: planned\n");
		goto done;
	}
	if ((doc = ct_node_new_map()) == NULL) {
		rc = ct_nomem(err);
		goto done;
	}
	if ((v = ct_node_dup(ct_map_get(csp, "services"))) == NULL ||
	    ct_map_set(doc, "services", v) < 0 ||
	    (ct_map_get(csp, "comments") != NULL &&
	    ((v = ct_node_dup(ct_map_get(csp, "comments"))) == NULL ||
	    ct_map_set(doc, "comments", v) < 0))) {
		rc = ct_nomem(err);
		goto done;
	}
	if ((rc = ct_schema_load(CT_CSP_SCHEMA, &schema, err)) < 0)
		goto done;
	ct_schema_order(schema, doc);
done:
	rc = ct_yaml_emit_doc(&b, doc, rc, out, err);
	ct_node_free(doc);
	ct_schema_free(schema);
	return rc;
}

/*
 * Versions: new, review.
 */
static int
put_input(ct_node *csp, const ct_node *input, ct_error *err)
{
	ct_node *v;

	if ((v = ct_node_dup(ct_map_get(input, "services"))) == NULL ||
	    ct_map_set(csp, "services", v) < 0)
		return ct_nomem(err);
	ct_map_del(csp, "comments");
	if (ct_map_get(input, "comments") != NULL &&
	    ((v = ct_node_dup(ct_map_get(input, "comments"))) == NULL ||
	    ct_map_set(csp, "comments", v) < 0))
		return ct_nomem(err);
	return 0;
}

int
ct_csp_new(const char *case_id, const ct_node *input, ct_node **out,
    ct_error *err)
{
	ct_node *csp;
	int rc;

	*out = NULL;
	if ((csp = ct_node_new_map()) == NULL)
		return ct_nomem(err);
	if ((rc = ct_rec_set_str(csp, "case", case_id, err)) < 0 ||
	    (rc = ct_rec_set_int(csp, "version", 1, err)) < 0 ||
	    (rc = ct_rec_set_str(csp, "status", "draft", err)) < 0 ||
	    (rc = put_input(csp, input, err)) < 0) {
		ct_node_free(csp);
		return rc;
	}
	*out = csp;
	return 0;
}

int
ct_csp_can_review(const ct_node *csp, const char *case_id, ct_error *err)
{
	if (!ct_streq(ct_map_str(csp, "status"), "draft"))
		return 0;
	return ct_error_set(err, CT_EINVALID, "%s: CSP version %lld is a "
	    "draft still open: endorse it (csp-endorse) before the next "
	    "review", case_id, ct_rec_int(csp, "version"));
}

int
ct_csp_review(ct_node *csp, const char *case_id, const ct_node *input,
    ct_date opened, const char *reason, ct_error *err)
{
	long long version = ct_rec_int(csp, "version") + 1;
	ct_node *reviews, *r;
	int rc;

	if ((rc = ct_csp_can_review(csp, case_id, err)) < 0)
		return rc;
	if ((rc = ct_rec_set_int(csp, "version", version, err)) < 0 ||
	    (rc = ct_rec_set_str(csp, "status", "draft", err)) < 0 ||
	    (input != NULL && (rc = put_input(csp, input, err)) < 0))
		return rc;
	if ((reviews = ct_rec_list(csp, "reviews", err)) == NULL)
		return CT_ERROR;
	if ((r = ct_node_new_map()) == NULL || ct_seq_push(reviews, r) < 0)
		return ct_nomem(err);
	if ((rc = ct_rec_set_int(r, "version", version, err)) < 0 ||
	    (rc = ct_rec_set_date(r, "opened", opened, err)) < 0 ||
	    (reason != NULL && (rc = ct_rec_set_str(r, "reason", reason, err)) < 0))
		return rc;
	return 0;
}

/*
 * Endorsement (VIC-CSP-ENDORSE).
 */

/* The members answerable for the planned and active services; an error
 * for a service no member answers for. */
static int
answerable(const ct_node *csp, const char *case_id, const ct_node *agencies,
    char ***need, size_t *n, ct_error *err)
{
	const ct_node *services = ct_map_get(csp, "services");
	const char *m;
	size_t i;

	for (i = 0; i < ct_rec_len(services); i++) {
		const ct_node *s = services->items[i];
		const char *status = ct_map_str(s, "status");
		const char *agency = ct_map_str(s, "agency");
		const char *provider = ct_map_str(s, "provider");

		if (ct_streq(status, "ceased"))
			continue;
		if ((m = member_for(agencies, agency)) == NULL)
			return ct_error_set(err, CT_EINVALID, "%s: service %s: "
			    "agency '%s' is not a MAP member and no MAP "
			    "member funds it (registry funded_by)", case_id,
			    ct_map_str(s, "id"), agency ? agency : "");
		if (!strv_add(need, n, m))
			return ct_nomem(err);
		if (provider != NULL &&
		    (m = member_for(agencies, provider)) != NULL &&
		    !strv_add(need, n, m))
			return ct_nomem(err);
	}
	if (*n == 0)
		return ct_error_set(err, CT_EINVALID, "%s: the plan has no "
		    "planned or active service to endorse", case_id);
	return 0;
}

/* "services s1, s2" that member answers for. */
static void
services_of(ct_buf *b, const ct_node *csp, const ct_node *agencies,
    const char *member)
{
	const ct_node *services = ct_map_get(csp, "services");
	const char *p;
	size_t i, n = 0;

	for (i = 0; i < ct_rec_len(services); i++) {
		const ct_node *s = services->items[i];

		p = ct_map_str(s, "provider");
		if (ct_streq(ct_map_str(s, "status"), "ceased") ||
		    (!ct_streq(member_for(agencies, ct_map_str(s, "agency")),
		    member) && (p == NULL ||
		    !ct_streq(member_for(agencies, p), member))))
			continue;
		ct_buf_printf(b, "%s%s", n++ ? ", " : "service ",
		    ct_map_str(s, "id"));
	}
}

/* ct_csp_endorse: the draft, the meeting and the day (not after today,
 * nor before the last endorsement or the opening of this review). */
static int
endorse_check(const ct_node *csp, const char *case_id, const char *meeting,
    ct_date date, ct_date today, ct_error *err)
{
	const ct_node *hist = ct_map_get(csp, "endorsements");
	const ct_node *reviews = ct_map_get(csp, "reviews");
	long long version = ct_rec_int(csp, "version");
	char a[CT_DATE_BUFSZ], b[CT_DATE_BUFSZ];
	ct_date d;
	int rc;

	if (!ct_streq(ct_map_str(csp, "status"), "draft"))
		return ct_error_set(err, CT_EINVALID, "%s: CSP version %lld is "
		    "already endorsed; open the next version with csp-new "
		    "--review", case_id, version);
	if ((rc = ct_text_check("--meeting", meeting, err)) < 0)
		return rc;
	if (strlen(meeting) > 200)
		return ct_error_set(err, CT_EINVALID, "--meeting: longer than "
		    "200 bytes");
	if (date > today)
		return ct_error_set(err, CT_EINVALID, "--date %s is after "
		    "today (%s)", ct_date_format(date, a),
		    ct_date_format(today, b));
	if (ct_rec_len(hist) > 0 &&
	    ct_rec_date(hist->items[hist->n - 1], "date", &d) && date < d)
		return ct_error_set(err, CT_EINVALID, "--date %s is before "
		    "the previous endorsement (%s)", ct_date_format(date, a),
		    ct_date_format(d, b));
	if (ct_rec_len(reviews) > 0 &&
	    ct_rec_int(reviews->items[reviews->n - 1], "version") == version &&
	    ct_rec_date(reviews->items[reviews->n - 1], "opened", &d) &&
	    date < d)
		return ct_error_set(err, CT_EINVALID, "--date %s is before the "
		    "review of version %lld was opened (%s)",
		    ct_date_format(date, a), version, ct_date_format(d, b));
	return 0;
}

/* The committing agencies (committed) into *given: at least one, each a
 * registered MAP member. */
static int
endorse_agencies(const char *case_id, const ct_node *agencies,
    char *const *committed, char ***given, ct_error *err)
{
	char **bad = NULL, **unknown = NULL;
	size_t ngiven = 0, nbad = 0, nunknown = 0, i;
	ct_buf msg = { 0 };
	int rc = 0;

	for (i = 0; committed != NULL && committed[i] != NULL; i++) {
		const ct_node *ent = agency_entry(agencies, committed[i]);

		if (!strv_add(given, &ngiven, committed[i]) ||
		    (ent == NULL &&
		    !strv_add(&unknown, &nunknown, committed[i])) ||
		    (ent != NULL && !ct_agency_map_member(ent) &&
		    !strv_add(&bad, &nbad, committed[i]))) {
			rc = ct_nomem(err);
			goto out;
		}
	}
	if (ngiven == 0) {
		rc = ct_error_set(err, CT_EINVALID, "%s: name the committing "
		    "MAP member agencies with --agency", case_id);
		goto out;
	}
	if (nbad > 0 || nunknown > 0) {
		ct_buf_printf(&msg, "%s: endorsement by the MAP commits its "
		    "member agencies;", case_id);
		if (nbad > 0) {
			ct_buf_puts(&msg, " not MAP members: ");
			join(&msg, bad);
		}
		if (nunknown > 0) {
			ct_buf_puts(&msg, nbad ? "; not registered: " :
			    " not registered: ");
			join(&msg, unknown);
		}
		rc = ct_error_set(err, CT_EINVALID, "%s", msg.failed ?
		    "out of memory" : msg.s);
	}
out:
	ct_buf_free(&msg);
	strv_free(bad);
	strv_free(unknown);
	return rc;
}

/* Every MAP member agency delivering or funding a service of the plan is
 * among given. */
static int
endorse_complete(const ct_node *csp, const char *case_id,
    const ct_node *agencies, char **given, ct_error *err)
{
	char **need = NULL, **missing = NULL;
	size_t nneed = 0, nmissing = 0, i;
	ct_buf msg = { 0 };
	int rc;

	if ((rc = answerable(csp, case_id, agencies, &need, &nneed, err)) < 0)
		goto out;
	for (i = 0; i < nneed; i++)
		if (!strv_has(given, need[i]) &&
		    !strv_add(&missing, &nmissing, need[i])) {
			rc = ct_nomem(err);
			goto out;
		}
	if (nmissing > 0) {
		ct_buf_printf(&msg, "%s: every MAP member agency delivering or "
		    "funding a service in the plan must commit; missing: ",
		    case_id);
		for (i = 0; i < nmissing; i++) {
			ct_buf_printf(&msg, "%s%s (", i ? ", " : "",
			    missing[i]);
			services_of(&msg, csp, agencies, missing[i]);
			ct_buf_puts(&msg, ")");
		}
		rc = ct_error_set(err, CT_EINVALID, "%s", msg.failed ?
		    "out of memory" : msg.s);
	}
out:
	ct_buf_free(&msg);
	strv_free(need);
	strv_free(missing);
	return rc;
}

int
ct_csp_endorse(ct_node *csp, const char *case_id, const ct_node *agencies,
    const char *meeting, ct_date date, ct_date today,
    char *const *committed, ct_error *err)
{
	long long version = ct_rec_int(csp, "version");
	char **given = NULL;
	ct_node *list, *e, *ag;
	size_t i;
	int rc;

	if ((rc = endorse_check(csp, case_id, meeting, date, today, err)) < 0 ||
	    (rc = endorse_agencies(case_id, agencies, committed, &given,
	    err)) < 0 ||
	    (rc = endorse_complete(csp, case_id, agencies, given, err)) < 0)
		goto out;
	if ((list = ct_rec_list(csp, "endorsements", err)) == NULL) {
		rc = CT_ERROR;
		goto out;
	}
	if ((e = ct_node_new_map()) == NULL || ct_seq_push(list, e) < 0) {
		rc = ct_nomem(err);
		goto out;
	}
	if ((rc = ct_rec_set_int(e, "version", version, err)) < 0 ||
	    (rc = ct_rec_set_str(e, "meeting", meeting, err)) < 0 ||
	    (rc = ct_rec_set_date(e, "date", date, err)) < 0)
		goto out;
	if ((ag = ct_node_new_seq()) == NULL ||
	    ct_map_set(e, "agencies", ag) < 0) {
		rc = ct_nomem(err);
		goto out;
	}
	for (i = 0; given[i] != NULL; i++)
		if (ct_seq_push(ag, ct_node_new_str(given[i])) < 0) {
			rc = ct_nomem(err);
			goto out;
		}
	rc = ct_rec_set_str(csp, "status", "endorsed", err);
out:
	strv_free(given);
	return rc;
}

/*
 * Service-delivery updates (VIC-SDU).
 */

/* Agencies named by the services: as agency or provider (all), or who
 * answers for each active service (its provider, else its agency). */
static int
plan_agencies(const ct_node *csp, bool active, char ***out, size_t *n,
    ct_error *err)
{
	const ct_node *services = ct_map_get(csp, "services");
	size_t i;

	for (i = 0; i < ct_rec_len(services); i++) {
		const ct_node *s = services->items[i];
		const char *agency = ct_map_str(s, "agency");
		const char *provider = ct_map_str(s, "provider");

		if (active) {
			if (ct_streq(ct_map_str(s, "status"), "active") &&
			    !strv_add(out, n, provider ? provider : agency))
				return ct_nomem(err);
			continue;
		}
		if ((agency && !strv_add(out, n, agency)) ||
		    (provider && !strv_add(out, n, provider)))
			return ct_nomem(err);
	}
	return 0;
}

static const ct_node *
open_request(const ct_node *csp, const char *agency)
{
	const ct_node *rq = ct_map_get(csp, "requests");
	size_t i;

	for (i = 0; i < ct_rec_len(rq); i++)
		if (ct_streq(ct_map_str(rq->items[i], "agency"), agency) &&
		    ct_map_get(rq->items[i], "received") == NULL)
			return rq->items[i];
	return NULL;
}

/* The agencies a request goes to (agencies: "all", or each named in the
 * plan) into *want, *nwant. */
static int
request_agencies(const ct_node *csp, const char *case_id,
    char *const *agencies, char ***want, size_t *nwant, ct_error *err)
{
	char **named = NULL;
	size_t nnamed = 0, i;
	ct_buf msg = { 0 };
	int rc;

	if ((rc = plan_agencies(csp, false, &named, &nnamed, err)) < 0)
		goto out;
	if (strv_has(agencies, "all")) {
		if (agencies[1] != NULL)
			rc = ct_error_set(err, CT_EINVALID, "--agency all "
			    "goes alone");
		else
			rc = plan_agencies(csp, true, want, nwant, err);
		goto out;
	}
	for (i = 0; agencies != NULL && agencies[i] != NULL; i++) {
		if (!strv_has(named, agencies[i])) {
			ct_buf_printf(&msg, "%s: '%s' is not named in the plan "
			    "(its agencies: ", case_id, agencies[i]);
			join(&msg, named);
			ct_buf_puts(&msg, ")");
			rc = ct_error_set(err, CT_EINVALID, "%s",
			    msg.failed ? "out of memory" : msg.s);
			goto out;
		}
		if (!strv_add(want, nwant, agencies[i])) {
			rc = ct_nomem(err);
			goto out;
		}
	}
out:
	ct_buf_free(&msg);
	strv_free(named);
	return rc;
}

int
ct_csp_request(ct_node *csp, const char *case_id, char *const *agencies,
    const char *via, ct_date requested, ct_date due, char **asked,
    ct_error *err)
{
	char **want = NULL, **ask = NULL;
	size_t nwant = 0, nask = 0, i;
	char a[CT_DATE_BUFSZ], b[CT_DATE_BUFSZ], id[32];
	ct_node *list, *r;
	ct_buf msg = { 0 };
	const ct_node *o;
	ct_date d;
	int rc;

	*asked = NULL;
	if (!ct_streq(via, "conference") && !ct_streq(via, "written"))
		return ct_error_set(err, CT_EINVALID, "--via: expected "
		    "conference or written, not '%s'", via ? via : "");
	if (due < requested)
		return ct_error_set(err, CT_EINVALID, "--due %s is before the "
		    "request (%s)", ct_date_format(due, a),
		    ct_date_format(requested, b));
	if ((rc = request_agencies(csp, case_id, agencies, &want, &nwant,
	    err)) < 0)
		goto out;
	for (i = 0; i < nwant; i++) {
		if ((o = open_request(csp, want[i])) == NULL) {
			if (!strv_add(&ask, &nask, want[i])) {
				rc = ct_nomem(err);
				goto out;
			}
			continue;
		}
		/* asked already: the same request, or anything with all */
		if (strv_has(agencies, "all") ||
		    (ct_streq(ct_map_str(o, "via"), via) &&
		    ct_rec_date(o, "due", &d) && d == due))
			continue;
		rc = ct_error_set(err, CT_EINVALID, "%s: %s already has an "
		    "open request %s (due %s): record its answer first",
		    case_id, want[i], ct_map_str(o, "id"),
		    ct_map_str(o, "due"));
		goto out;
	}
	if ((list = ct_rec_list(csp, "requests", err)) == NULL) {
		rc = CT_ERROR;
		goto out;
	}
	for (i = 0; i < nask; i++) {
		ct_rec_next_id(ct_map_get(csp, "requests"), 'r', id,
		    sizeof(id));
		if ((r = ct_node_new_map()) == NULL ||
		    ct_seq_push(list, r) < 0) {
			rc = ct_nomem(err);
			goto out;
		}
		if ((rc = ct_rec_set_str(r, "id", id, err)) < 0 ||
		    (rc = ct_rec_set_int(r, "version", ct_rec_int(csp, "version"),
		    err)) < 0 ||
		    (rc = ct_rec_set_str(r, "agency", ask[i], err)) < 0 ||
		    (rc = ct_rec_set_str(r, "via", via, err)) < 0 ||
		    (rc = ct_rec_set_date(r, "requested", requested, err)) < 0 ||
		    (rc = ct_rec_set_date(r, "due", due, err)) < 0)
			goto out;
	}
	ct_buf_free(&msg);
	ct_buf_puts(&msg, "");
	join(&msg, ask);
	if (msg.failed)
		rc = ct_nomem(err);
	else {
		*asked = msg.s;
		msg.s = NULL;
	}
out:
	ct_buf_free(&msg);
	strv_free(want);
	strv_free(ask);
	return rc;
}

int
ct_csp_record(ct_node *csp, const char *case_id, const char *agency,
    ct_date received, ct_date today, const char *delivered,
    const char *next, const char **id, ct_error *err)
{
	char a[CT_DATE_BUFSZ], b[CT_DATE_BUFSZ];
	ct_node *r;
	ct_date req;
	int rc;

	*id = NULL;
	if ((r = (ct_node *)open_request(csp, agency)) == NULL)
		return ct_error_set(err, CT_EINVALID, "%s: no open "
		    "service-delivery update request for %s (see csp-update "
		    "list)", case_id, agency);
	if (received > today)
		return ct_error_set(err, CT_EINVALID, "--received %s is after "
		    "today (%s)", ct_date_format(received, a),
		    ct_date_format(today, b));
	if (ct_rec_date(r, "requested", &req) && received < req)
		return ct_error_set(err, CT_EINVALID, "--received %s is before "
		    "the request %s (%s)", ct_date_format(received, a),
		    ct_map_str(r, "id"), ct_date_format(req, b));
	if (delivered == NULL || *delivered == '\0' || next == NULL ||
	    *next == '\0')
		return ct_error_set(err, CT_EINVALID, "an answer needs what "
		    "was delivered and what is planned next");
	if ((rc = ct_rec_set_date(r, "received", received, err)) < 0 ||
	    (rc = ct_rec_set_str(r, "delivered", delivered, err)) < 0 ||
	    (rc = ct_rec_set_str(r, "next", next, err)) < 0)
		return rc;
	*id = ct_map_str(r, "id");
	return 0;
}

int
ct_csp_answer_load(const char *buf, size_t len, const char *name,
    char **delivered, char **next, ct_error *err)
{
	static const char *const keys[] = { "delivered", "next" };
	ct_node *doc = NULL;
	const ct_node *v;
	char **outs[2] = { delivered, next };
	size_t i;
	int rc;

	*delivered = *next = NULL;
	if ((rc = ct_yaml_load(buf, len, name, &doc, err)) < 0)
		return rc;
	if (doc->kind != CT_NODE_MAP) {
		rc = ct_error_at(err, name, doc, "(root): expected a mapping with "
		    "delivered and next");
		goto out;
	}
	for (i = 0; i < doc->n; i++)
		if (strcmp(doc->pairs[i].key, "delivered") != 0 &&
		    strcmp(doc->pairs[i].key, "next") != 0) {
			rc = ct_error_set(err, CT_EINVALID, "%s:%u:%u: %s: "
			    "unknown field (expected delivered and next)",
			    name, doc->pairs[i].line, doc->pairs[i].col,
			    doc->pairs[i].key);
			goto out;
		}
	for (i = 0; i < 2; i++) {
		v = ct_map_get(doc, keys[i]);
		if (v == NULL || !ct_node_is_str(v) || v->len == 0 ||
		    strlen(v->str) != v->len) {
			rc = ct_error_at(err, name, v != NULL ? v : doc, "%s: %s",
			    keys[i], v == NULL ? "required field is missing" :
			    "expected text");
			goto out;
		}
		if ((*outs[i] = strdup(v->str)) == NULL) {
			rc = ct_nomem(err);
			goto out;
		}
	}
out:
	if (rc < 0) {
		free(*delivered);
		free(*next);
		*delivered = *next = NULL;
	}
	ct_node_free(doc);
	return rc;
}

/*
 * Listing.
 */
static const ct_col sdu_cols[CT_SDU_NCOLS] = {
	[CT_SDU_COL_CASE] = { "case", "CASE", NULL, 0, 0 },
	[CT_SDU_COL_REQUEST] = { "request", "REQUEST", NULL, 0, 0 },
	[CT_SDU_COL_VERSION] = { "version", NULL, NULL, CT_COL_NUM, 0 },
	[CT_SDU_COL_AGENCY] = { "agency", "AGENCY", NULL, 0, 0 },
	[CT_SDU_COL_VIA] = { "via", "VIA", NULL, 0, 0 },
	[CT_SDU_COL_REQUESTED] = { "requested", "REQUESTED", NULL, 0, 0 },
	[CT_SDU_COL_DUE] = { "due", "DUE", NULL, 0, 0 },
	[CT_SDU_COL_RECEIVED] = { "received", "RECEIVED", "-", 0, 0 },
	[CT_SDU_COL_STATUS] = { "status", "STATUS", NULL, 0, 0 },
	[CT_SDU_COL_DAYS] = { "days", "DAYS", NULL,
	    CT_COL_NUM | CT_COL_RIGHT, 0 },
};

static const int sdu_text[] = {
	CT_SDU_COL_DUE, CT_SDU_COL_STATUS, CT_SDU_COL_DAYS, CT_SDU_COL_CASE,
	CT_SDU_COL_REQUEST, CT_SDU_COL_AGENCY, CT_SDU_COL_VIA,
	CT_SDU_COL_REQUESTED, CT_SDU_COL_RECEIVED, CT_COLS_END,
};

const ct_rowspec ct_sdu_report = {
	sdu_cols, CT_SDU_NCOLS, sdu_text, NULL, NULL, "no requests to show",
};

const ct_sortkey ct_sdu_order[] = {
	{ CT_SDU_COL_DUE, CT_SORT_BYTES },
	{ CT_SDU_COL_CASE, CT_SORT_BYTES },
	{ CT_SDU_COL_REQUEST, CT_SORT_BYTES },
	{ CT_COLS_END, 0 },
};

int
ct_csp_sdus(const ct_node *csp, ct_date today, ct_rows *out, ct_error *err)
{
	const ct_node *rq = ct_map_get(csp, "requests");
	const char *case_id = ct_map_str(csp, "case");
	char d[CT_DATE_BUFSZ];
	size_t i;

	for (i = 0; i < ct_rec_len(rq); i++) {
		const ct_node *r = rq->items[i];
		ct_date req, due, rec;
		ct_sdu_status status;
		bool got;

		if (!ct_rec_date(r, "requested", &req) || req > today ||
		    !ct_rec_date(r, "due", &due) || !ct_rows_add(out))
			continue;
		got = ct_rec_date(r, "received", &rec) && rec <= today;
		status = got ? CT_SDU_RECEIVED : due < today ?
		    CT_SDU_OVERDUE : CT_SDU_OUTSTANDING;
		ct_rows_set(out, CT_SDU_COL_CASE, case_id ? case_id : "");
		ct_rows_set(out, CT_SDU_COL_REQUEST, ct_rec_str_or(r, "id", ""));
		ct_rows_setf(out, CT_SDU_COL_VERSION, "%lld",
		    ct_rec_int(r, "version"));
		ct_rows_set(out, CT_SDU_COL_AGENCY,
		    ct_rec_str_or(r, "agency", ""));
		ct_rows_set(out, CT_SDU_COL_VIA, ct_rec_str_or(r, "via", ""));
		ct_rows_set(out, CT_SDU_COL_REQUESTED, ct_date_format(req, d));
		ct_rows_set(out, CT_SDU_COL_DUE, ct_date_format(due, d));
		ct_rows_set(out, CT_SDU_COL_RECEIVED, got ?
		    ct_date_format(rec, d) : NULL);
		ct_rows_set(out, CT_SDU_COL_STATUS, ct_sdu_status_name(status));
		ct_rows_setf(out, CT_SDU_COL_DAYS, "%d", (int)(due - today));
	}
	return out->failed ? ct_nomem(err) : 0;
}

/*
 * The transaction of one csp-* write.
 */
static int
require_role(ct_txn *txn, ct_csp_action action, ct_error *err)
{
	const char *me = ct_txn_operator(txn);
	const char *what = action == CT_CSP_ENDORSE ? "recording a MAP "
	    "endorsement" : "changing a CSP";
	int rc;

	if (me == NULL)
		return ct_error_set(err, CT_EINVALID, "%s needs a registered "
		    "operator", what);
	rc = ct_txn_require_role(txn, what, me, CT_ROLE_SOCT_OFFICER, err);
	if (rc == CT_EINVALID && action == CT_CSP_ENDORSE) {
		ct_error_clear(err);
		if ((rc = ct_txn_require_role(txn, what, me, CT_ROLE_MAP_MEMBER,
		    err)) == CT_EINVALID)
			rc = ct_error_set(err, CT_EINVALID, "%s: '%s' is not a "
			    "registered operator with the soct-officer or "
			    "map-member role", what, me);
	}
	return rc;
}

static int
subject(ct_txn *txn, ct_csp_op *op, const char *asked, const char *id,
    ct_error *err)
{
	char a[CT_DATE_BUFSZ], b[CT_DATE_BUFSZ];
	char *s = NULL;
	int rc = -1;

	switch (op->action) {
	case CT_CSP_NEW:
		rc = asprintf(&s, "%s CSP version 1 drafted", op->case_id);
		break;
	case CT_CSP_REVIEW:
		rc = asprintf(&s, "%s CSP review opened: version %d drafted",
		    op->case_id, op->version);
		break;
	case CT_CSP_ENDORSE:
		rc = asprintf(&s, "%s CSP version %d endorsed at %s on %s",
		    op->case_id, op->version, op->meeting,
		    ct_date_format(op->date, a));
		break;
	case CT_CSP_REQUEST:
		rc = asprintf(&s, "%s service-delivery update requested from "
		    "%s (%s, due %s)", op->case_id, asked, op->via,
		    ct_date_format(op->due, a));
		break;
	case CT_CSP_RECORD:
		rc = asprintf(&s, "%s service-delivery update %s from %s "
		    "received %s", op->case_id, id, op->agency,
		    ct_date_format(op->received, b));
		break;
	}
	if (rc < 0)
		return ct_nomem(err);
	rc = ct_txn_set_subject(txn, s, err);
	free(s);
	return rc;
}

/* The CSP the operation works on, in *csp: a new one for csp-new (none
 * there yet), else the one at path, filed under its case and valid. */
static int
csp_of(ct_txn *txn, const ct_csp_op *op, const char *path,
    const ct_node *agencies, ct_node **csp, ct_error *err)
{
	int rc = ct_txn_load(txn, path, csp, err);

	if (op->action == CT_CSP_NEW) {
		if (rc == 0)
			return ct_error_set(err, CT_EEXISTS, "%s already has a "
			    "CSP (version %lld, %s): review it with csp-new "
			    "--review", op->case_id, ct_rec_int(*csp, "version"),
			    ct_map_str(*csp, "status"));
		if (rc != CT_ENOTFOUND)
			return rc;
		ct_error_clear(err);
		return ct_csp_new(op->case_id, op->input, csp, err);
	}
	if (rc == CT_ENOTFOUND)
		return ct_error_set(err, CT_ENOTFOUND, "%s has no CSP (draft one "
		    "with csp-new)", op->case_id);
	if (rc < 0)
		return rc;
	if (!ct_streq(ct_map_str(*csp, "case"), op->case_id))
		return ct_error_at(err, path, ct_map_get(*csp, "case"), "case: "
		    "'%s' is not the case it is filed under",
		    ct_map_str(*csp, "case"));
	return ct_csp_check(*csp, agencies, path, err);
}

int
ct_csp_apply(ct_txn *txn, void *arg, ct_error *err)
{
	ct_csp_op *op = arg;
	ct_node *c = NULL, *agencies = NULL, *csp = NULL;
	char *path = NULL, *asked = NULL;
	const char *id = NULL;
	int rc;

	op->unsupervised = false;
	op->version = 0;
	if ((rc = ct_case_path(op->case_id, CT_CSP_REL, &path, err)) < 0 ||
	    (rc = ct_txn_load_case(txn, op->case_id, &c, err)) < 0)
		goto out;
	if ((rc = ct_csp_case_check(c, op->case_id, err)) < 0 ||
	    (rc = require_role(txn, op->action, err)) < 0 ||
	    (rc = ct_txn_load(txn, CT_AGENCIES_PATH, &agencies,
	    err)) < 0)
		goto out;
	if ((rc = csp_of(txn, op, path, agencies, &csp, err)) < 0)
		goto out;
	switch (op->action) {
	case CT_CSP_NEW:
		break;
	case CT_CSP_REVIEW:
		rc = ct_csp_review(csp, op->case_id, op->input, op->today,
		    op->reason, err);
		break;
	case CT_CSP_ENDORSE:
		rc = ct_csp_endorse(csp, op->case_id, agencies, op->meeting,
		    op->date, op->today, op->agencies, err);
		break;
	case CT_CSP_REQUEST:
		rc = ct_csp_request(csp, op->case_id, op->agencies, op->via,
		    op->today, op->due, &asked, err);
		break;
	case CT_CSP_RECORD:
		rc = ct_csp_record(csp, op->case_id, op->agency,
		    op->received, op->today, op->delivered, op->next, &id,
		    err);
		break;
	}
	if (rc < 0)
		goto out;
	op->version = (int)ct_rec_int(csp, "version");
	op->unsupervised = !ct_csp_case_supervised(c);
	if (op->action == CT_CSP_REQUEST && *asked == '\0')
		goto out;   /* everyone was asked already: no change */
	if ((rc = ct_csp_check(csp, agencies, path, err)) < 0 ||
	    (rc = subject(txn, op, asked, id, err)) < 0)
		goto out;
	rc = ct_txn_put(txn, path, csp, err);
out:
	ct_node_free(c);
	ct_node_free(agencies);
	ct_node_free(csp);
	free(path);
	free(asked);
	return rc;
}

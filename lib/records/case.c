/*
 * Case ids, sharded case paths, and the case record with its events.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "casetrail/record.h"
#include "casetrail/case.h"
#include "casetrail/path.h"
#include "casetrail/store.h"
#include "casetrail/trailers.h"

const char *const ct_event_types[] = {
	"reception", "sentence-commenced", "cm-assigned", "stage-changed",
	"order-made", "order-ended", "eprd-set", "engaged", "at-risk",
	"risk-rating-changed", "charged-sentenced", "circumstances-changed",
	"goals-change-requested", "released", "not-engaging",
	"breach-referred", NULL,
};

/* breach-referred: to whom (ACT policy, Community case management). */
const char *const ct_breach_bodies[] = {
	"sab", "sentencing-court", NULL,
};

const char *const ct_cohorts[] = {
	"sentenced", "remandee", "post-sentence", NULL,
};

const char *const ct_stages[] = {
	"induction", "case-planning", "custodial", "pre-release", "community",
	NULL,
};

const char *const ct_orders[] = {
	"supervision", "interim-supervision", "detention", "interim-detention",
	"emergency-detention", NULL,
};

const char *const ct_ratings[] = {
	"low", "low-moderate", "moderate", "medium-high", "high", NULL,
};

bool
ct_in_list(const char *const *list, const char *s)
{
	if (s == NULL)
		return false;
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

static bool
id_char(char c, bool first)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return !first && (c == '.' || c == '_' || c == '-');
}

int
ct_case_id_check(const char *id, ct_error *err)
{
	const char *why = NULL;
	char *q;
	size_t i, n;

	if (id == NULL || *id == '\0')
		return ct_error_set(err, CT_EINVALID,
		    "invalid case id '': must not be empty");
	n = strlen(id);
	if (n > CT_CASE_ID_MAX)
		why = "longer than 40 characters";
	for (i = 0; why == NULL && i < n; i++)
		if (!id_char(id[i], i == 0))
			why = i == 0 ? "must begin with a letter or digit" :
			    "only letters, digits, '.', '_' and '-' are allowed";
	if (why == NULL)
		return 0;
	q = ct_path_quote(id);
	ct_error_set(err, CT_EINVALID, "invalid case id '%s': %s",
	    q != NULL ? q : "?", why);
	free(q);
	return CT_EINVALID;
}

int
ct_case_dir(const char *id, char **out, ct_error *err)
{
	git_oid oid;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	*out = NULL;
	if ((rc = ct_case_id_check(id, err)) < 0)
		return rc;
	if (git_odb_hash(&oid, id, strlen(id), GIT_OBJECT_BLOB) < 0)
		return ct_error_set(err, CT_ERROR, "hashing case id");
	git_oid_tostr(hex, sizeof(hex), &oid);
	if (asprintf(out, "cases/%.2s/%s", hex, id) < 0) {
		*out = NULL;
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	return 0;
}

int
ct_case_path(const char *id, const char *rel, char **out, ct_error *err)
{
	char *dir;
	int rc;

	*out = NULL;
	if ((rc = ct_case_dir(id, &dir, err)) < 0)
		return rc;
	rc = asprintf(out, "%s/%s", dir, rel);
	free(dir);
	if (rc < 0) {
		*out = NULL;
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	return 0;
}

bool
ct_event_superseded(const ct_node *e)
{
	const ct_node *s = ct_map_get(e, "superseded");

	return s != NULL && s->type == CT_SCALAR_BOOL && s->ival;
}

bool
ct_event_withdrawn(const ct_node *e)
{
	return ct_map_get(e, "withdrawn") != NULL;
}

int
ct_case_new(const char *id, ct_jurisdiction j, const char *cohort,
    const char *manager, ct_date created, ct_node **out, ct_error *err)
{
	ct_node *c, *events;
	int rc;

	*out = NULL;
	if ((rc = ct_case_id_check(id, err)) < 0)
		return rc;
	if (!ct_in_list(ct_cohorts, cohort))
		return ct_error_set(err, CT_EINVALID,
		    "invalid cohort '%s': expected sentenced, remandee or "
		    "post-sentence", cohort ? cohort : "");
	if (j == CT_JUR_ACT && strcmp(cohort, "post-sentence") == 0)
		return ct_error_set(err, CT_EINVALID, "cohort post-sentence is "
		    "for offenders under the Serious Offenders Act 2018 (VIC); "
		    "an ACT case is sentenced or remandee");
	if ((c = ct_node_new_map()) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	if ((rc = ct_rec_set_str(c, "id", id, err)) < 0 ||
	    (rc = ct_rec_set_str(c, "jurisdiction", ct_jurisdiction_name(j),
	    err)) < 0 ||
	    (rc = ct_rec_set_str(c, "cohort", cohort, err)) < 0 ||
	    (manager != NULL &&
	    (rc = ct_rec_set_str(c, "manager", manager, err)) < 0) ||
	    (rc = ct_rec_set_date(c, "created", created, err)) < 0)
		goto fail;
	if ((events = ct_node_new_seq()) == NULL ||
	    ct_map_set(c, "events", events) < 0) {
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto fail;
	}
	*out = c;
	return 0;
fail:
	ct_node_free(c);
	return rc;
}

/* Which optional field each event type needs ("stage", ...) or NULL. */
static const char *
required_field(const char *type)
{
	if (strcmp(type, "stage-changed") == 0)
		return "stage";
	if (strcmp(type, "order-made") == 0 || strcmp(type, "order-ended") == 0)
		return "order";
	if (strcmp(type, "risk-rating-changed") == 0)
		return "rating";
	if (strcmp(type, "breach-referred") == 0)
		return "to";
	return NULL;
}

static int
check_event(const ct_event *ev, ct_error *err)
{
	const char *need;
	struct {
		const char *name, *value, *owner;
	} f[] = {
		{ "stage", ev->stage, "stage-changed" },
		{ "order", ev->order, "order-made and order-ended" },
		{ "rating", ev->rating, "risk-rating-changed" },
		{ "manager", ev->manager, "cm-assigned" },
		{ "service", ev->service, "not-engaging" },
		{ "notified-by", ev->notified_by, "not-engaging" },
		{ "to", ev->to, "breach-referred" },
	};
	bool ne = strcmp(ev->type ? ev->type : "", "not-engaging") == 0;
	size_t i;
	int rc;

	if (!ct_in_list(ct_event_types, ev->type))
		return ct_error_set(err, CT_EINVALID,
		    "unknown event type '%s' (see case-event --help)",
		    ev->type ? ev->type : "");
	need = required_field(ev->type);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		bool wanted = (need != NULL && strcmp(need, f[i].name) == 0) ||
		    (strcmp(f[i].name, "manager") == 0 &&
		    strcmp(ev->type, "cm-assigned") == 0) ||
		    (ne && (strcmp(f[i].name, "service") == 0 ||
		    strcmp(f[i].name, "notified-by") == 0));

		if (f[i].value != NULL && !wanted)
			return ct_error_set(err, CT_EINVALID,
			    "--%s applies only to %s events", f[i].name,
			    f[i].owner);
	}
	if (ev->cleared && strcmp(ev->type, "at-risk") != 0)
		return ct_error_set(err, CT_EINVALID,
		    "--cleared applies only to at-risk events");
	if (need != NULL && strcmp(need, "stage") == 0 &&
	    !ct_in_list(ct_stages, ev->stage))
		return ct_error_set(err, CT_EINVALID,
		    "%s needs --stage induction, case-planning, custodial, "
		    "pre-release or community", ev->type);
	if (need != NULL && strcmp(need, "order") == 0 &&
	    !ct_in_list(ct_orders, ev->order))
		return ct_error_set(err, CT_EINVALID,
		    "%s needs --order supervision, interim-supervision, "
		    "detention, interim-detention or emergency-detention",
		    ev->type);
	if (need != NULL && strcmp(need, "rating") == 0 &&
	    !ct_in_list(ct_ratings, ev->rating))
		return ct_error_set(err, CT_EINVALID,
		    "%s needs --rating low, low-moderate, moderate, "
		    "medium-high or high", ev->type);
	if (need != NULL && strcmp(need, "to") == 0 &&
	    !ct_in_list(ct_breach_bodies, ev->to))
		return ct_error_set(err, CT_EINVALID,
		    "%s needs --to sab or sentencing-court", ev->type);
	if (ne && (ev->service == NULL || ev->notified_by == NULL))
		return ct_error_set(err, CT_EINVALID,
		    "not-engaging needs --service (the support, program or "
		    "service) and --notified-by (who notified the case "
		    "manager, cl 1.11)");
	if (ne && ((rc = ct_text_check("--service", ev->service, err)) < 0 ||
	    (rc = ct_text_check("--notified-by", ev->notified_by, err)) < 0))
		return rc;
	if (ne && (strlen(ev->service) > 200 || strlen(ev->notified_by) > 200))
		return ct_error_set(err, CT_EINVALID, "--service and "
		    "--notified-by are at most 200 bytes each");
	return 0;
}

/* The stage the case was in on day (the latest stage-changed on or before
 * it), or NULL. */
static const char *
stage_on(const ct_node *c, ct_date day)
{
	const ct_node *events = ct_map_get(c, "events");
	const char *stage = NULL, *t;
	size_t i;
	ct_date d;

	for (i = 0; events != NULL && i < events->n; i++) {
		t = ct_map_str(events->items[i], "type");
		if (ct_event_withdrawn(events->items[i]))
			continue;
		if (t != NULL && strcmp(t, "stage-changed") == 0 &&
		    ct_date_parse(ct_map_str(events->items[i], "date") ?
		    ct_map_str(events->items[i], "date") : "", &d, NULL) == 0 &&
		    d <= day)
			stage = ct_map_str(events->items[i], "stage");
	}
	return stage;
}

/* The ACT-only events: not-engaging (cl 1.11; community non-compliance)
 * and breach-referred, which a community case may record. */
static int
check_act_event(const ct_node *c, const ct_event *ev, ct_error *err)
{
	const char *j = ct_map_str(c, "jurisdiction"), *stage;
	char d[CT_DATE_BUFSZ];

	if (strcmp(ev->type, "not-engaging") != 0 &&
	    strcmp(ev->type, "breach-referred") != 0)
		return 0;
	if (j == NULL || strcmp(j, "ACT") != 0)
		return ct_error_set(err, CT_EINVALID, "%s events are kept for "
		    "ACT cases (ACT Corrections Management (Case Management) "
		    "Policy 2022); %s is a %s case", ev->type,
		    ct_map_str(c, "id") ? ct_map_str(c, "id") : "?",
		    j ? j : "?");
	if (strcmp(ev->type, "breach-referred") != 0)
		return 0;
	stage = stage_on(c, ev->date);
	if (stage == NULL || strcmp(stage, "community") != 0)
		return ct_error_set(err, CT_EINVALID, "breach-referred: on %s "
		    "the case is in the %s stage: a breach is referred to the "
		    "SAB or the sentencing court by the Community CM, in the "
		    "community stage", ct_date_format(ev->date, d),
		    stage ? stage : "no");
	return 0;
}

static int
event_node(const ct_event *ev, ct_node **out, ct_error *err)
{
	ct_node *e, *b;
	int rc;

	*out = NULL;
	if ((e = ct_node_new_map()) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	if ((rc = ct_rec_set_date(e, "date", ev->date, err)) < 0 ||
	    (rc = ct_rec_set_str(e, "type", ev->type, err)) < 0 ||
	    (ev->stage && (rc = ct_rec_set_str(e, "stage", ev->stage, err)) < 0) ||
	    (ev->order && (rc = ct_rec_set_str(e, "order", ev->order, err)) < 0) ||
	    (ev->rating && (rc = ct_rec_set_str(e, "rating", ev->rating, err)) < 0) ||
	    (ev->manager &&
	    (rc = ct_rec_set_str(e, "manager", ev->manager, err)) < 0) ||
	    (ev->service &&
	    (rc = ct_rec_set_str(e, "service", ev->service, err)) < 0) ||
	    (ev->notified_by &&
	    (rc = ct_rec_set_str(e, "notified_by", ev->notified_by, err)) < 0) ||
	    (ev->to && (rc = ct_rec_set_str(e, "to", ev->to, err)) < 0) ||
	    (ev->note && (rc = ct_rec_set_str(e, "note", ev->note, err)) < 0))
		goto fail;
	if (ev->cleared) {
		if ((b = ct_node_new_bool(true)) == NULL ||
		    ct_map_set(e, "cleared", b) < 0) {
			rc = ct_error_set(err, CT_ERROR, "out of memory");
			goto fail;
		}
	}
	*out = e;
	return 0;
fail:
	ct_node_free(e);
	return rc;
}

/*
 * A new earliest possible release date replaces the old one whatever the
 * two dates are (a sentence can be shortened as well as lengthened): the
 * earlier eprd-set events stay, marked superseded.
 */
static int
supersede(ct_node *events, ct_error *err)
{
	ct_node *b;
	size_t i;

	for (i = 0; i < events->n; i++) {
		const char *t = ct_map_str(events->items[i], "type");

		if (t == NULL || strcmp(t, "eprd-set") != 0)
			continue;
		if ((b = ct_node_new_bool(true)) == NULL ||
		    ct_map_set(events->items[i], "superseded", b) < 0)
			return ct_error_set(err, CT_ERROR, "out of memory");
	}
	return 0;
}

/* The event fits the case's jurisdiction and has happened. */
static int
check_fit(const ct_node *c, const ct_event *ev, ct_error *err)
{
	const char *j = ct_map_str(c, "jurisdiction"), *id = ct_map_str(c, "id");
	char a[CT_DATE_BUFSZ], b[CT_DATE_BUFSZ];

	if (ev->order != NULL && j != NULL && strcmp(j, "VIC") != 0)
		return ct_error_set(err, CT_EINVALID, "%s: %s is a %s case; "
		    "the orders (%s) are those of the Serious Offenders Act "
		    "2018 (VIC)", ev->type, id ? id : "?", j, ev->order);
	if (ev->today != 0 && ev->date > ev->today &&
	    strcmp(ev->type, "eprd-set") != 0)
		return ct_error_set(err, CT_EINVALID, "%s dated %s is after "
		    "today (%s): an event is recorded once it has happened "
		    "(only eprd-set names a date to come; --today sets the "
		    "day)", ev->type, ct_date_format(ev->date, a),
		    ct_date_format(ev->today, b));
	return 0;
}

int
ct_case_add_event(ct_node *c, const ct_event *ev, bool *added, ct_error *err)
{
	ct_node *events = ct_map_get(c, "events"), *e;
	const char *d;
	char date[CT_DATE_BUFSZ];
	size_t i;
	int rc;

	*added = false;
	if ((rc = check_event(ev, err)) < 0)
		return rc;
	if (events == NULL || events->kind != CT_NODE_SEQ)
		return ct_error_set(err, CT_EINVALID, "case has no events list");
	if ((rc = check_act_event(c, ev, err)) < 0 ||
	    (rc = check_fit(c, ev, err)) < 0)
		return rc;
	if ((rc = event_node(ev, &e, err)) < 0)
		return rc;
	for (i = 0; i < events->n; i++)
		if (ct_node_equal(events->items[i], e)) {
			ct_node_free(e);
			return 0;
		}
	/* after every event of the same or an earlier date */
	ct_date_format(ev->date, date);
	for (i = events->n; i > 0; i--) {
		d = ct_map_str(events->items[i - 1], "date");
		if (d != NULL && strcmp(d, date) <= 0)
			break;
	}
	if (strcmp(ev->type, "eprd-set") == 0 &&
	    (rc = supersede(events, err)) < 0) {
		ct_node_free(e);
		return rc;
	}
	if (ct_seq_insert(events, i, e) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	*added = true;
	return ct_case_derive(c, "case.yaml", err);
}

int
ct_case_withdraw_event(ct_node *c, const ct_withdrawal *w, ct_error *err)
{
	ct_node *events = ct_map_get(c, "events"), *found = NULL, *m;
	const char *id = ct_map_str(c, "id");
	char d[CT_DATE_BUFSZ];
	size_t i, n = 0;
	ct_date day;
	int rc;

	if (!ct_in_list(ct_event_types, w->type))
		return ct_error_set(err, CT_EINVALID,
		    "unknown event type '%s' (see case-event --help)", w->type);
	if (strcmp(w->type, "eprd-set") == 0)
		return ct_error_set(err, CT_EINVALID, "an eprd-set is not "
		    "withdrawn: record the right date with a new eprd-set, "
		    "which supersedes it");
	if ((rc = ct_text_check("--reason", w->reason, err)) < 0)
		return rc;
	ct_date_format(w->date, d);
	for (i = 0; events != NULL && events->kind == CT_NODE_SEQ &&
	    i < events->n; i++)
		if (strcmp(ct_map_str(events->items[i], "type") ?
		    ct_map_str(events->items[i], "type") : "", w->type) == 0 &&
		    ct_rec_date(events->items[i], "date", &day) &&
		    day == w->date && !ct_event_withdrawn(events->items[i])) {
			found = events->items[i];
			n++;
		}
	if (n == 0)
		return ct_error_set(err, CT_ENOTFOUND, "%s has no %s event on "
		    "%s to withdraw (case-show %s lists its events)",
		    id ? id : "?", w->type, d, id ? id : "?");
	if (n > 1)
		return ct_error_set(err, CT_EINVALID, "%s has %zu %s events on "
		    "%s, and --withdraw takes the one event of a type on a "
		    "day", id ? id : "?", n, w->type, d);
	if ((m = ct_node_new_map()) == NULL ||
	    ct_map_set(found, "withdrawn", m) < 0) {
		ct_node_free(m);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	if ((rc = ct_rec_set_str(m, "by", w->by, err)) < 0 ||
	    (rc = ct_rec_set_date(m, "date", w->today, err)) < 0 ||
	    (rc = ct_rec_set_str(m, "reason", w->reason, err)) < 0)
		return rc;
	return ct_case_derive(c, "case.yaml", err);
}

/* The orders of the (VIC) Serious Offenders Act the events make and end,
 * as the derived "orders" list: each order-ended closes the latest open
 * order of its type, and one with none open is an error. */
static int
derive_orders(const ct_node *events, const char *file, ct_node **out,
    ct_error *err)
{
	ct_node *orders, *o;
	size_t i, j;

	if ((*out = orders = ct_node_new_seq()) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	for (i = 0; i < events->n; i++) {
		const ct_node *e = events->items[i];
		const char *type = ct_map_str(e, "type");
		const char *date = ct_map_str(e, "date");
		const char *ot = ct_map_str(e, "order");

		if (type == NULL || date == NULL ||
		    ct_event_superseded(e) || ct_event_withdrawn(e))
			continue;
		if (strcmp(type, "order-made") == 0) {
			if ((o = ct_node_new_map()) == NULL ||
			    ct_seq_push(orders, o) < 0 ||
			    ct_rec_set_str(o, "type", ot, err) < 0 ||
			    ct_rec_set_str(o, "made", date, err) < 0)
				goto nomem;
		} else if (strcmp(type, "order-ended") == 0) {
			for (j = orders->n; j > 0; j--) {
				o = orders->items[j - 1];
				if (ot != NULL &&
				    strcmp(ct_map_str(o, "type"), ot) == 0 &&
				    ct_map_get(o, "ended") == NULL)
					break;
			}
			if (j == 0) {
				ct_node_free(orders);
				*out = NULL;
				return ct_error_set(err, CT_EINVALID,
				    "%s:%u:%u: events[%zu]: order-ended on %s: "
				    "no %s order is open then", file, e->line,
				    e->col, i, date, ot ? ot : "?");
			}
			if (ct_rec_set_str(o, "ended", date, err) < 0)
				goto nomem;
		}
	}
	return 0;
nomem:
	ct_node_free(orders);
	*out = NULL;
	return ct_error_set(err, CT_ERROR, "out of memory");
}

int
ct_case_derive(ct_node *c, const char *file, ct_error *err)
{
	ct_node *events = ct_map_get(c, "events"), *orders, *b;
	const char *stage = NULL, *eprd = NULL, *rating = NULL;
	const char *released = NULL, *manager = NULL;
	int at_risk = -1, rc;
	size_t i;

	if (events == NULL || events->kind != CT_NODE_SEQ)
		return ct_error_set(err, CT_EINVALID,
		    "%s: events: expected a list", file);
	for (i = 0; i < events->n; i++) {
		const ct_node *e = events->items[i];
		const char *type = ct_map_str(e, "type");
		const char *date = ct_map_str(e, "date");
		const ct_node *cl;

		if (type == NULL || date == NULL)
			continue;
		if (ct_event_superseded(e) || ct_event_withdrawn(e))
			continue;
		if (strcmp(type, "stage-changed") == 0)
			stage = ct_map_str(e, "stage");
		else if (strcmp(type, "eprd-set") == 0)
			eprd = date;
		else if (strcmp(type, "risk-rating-changed") == 0)
			rating = ct_map_str(e, "rating");
		else if (strcmp(type, "released") == 0)
			released = date;
		else if (strcmp(type, "cm-assigned") == 0 &&
		    ct_map_str(e, "manager") != NULL)
			manager = ct_map_str(e, "manager");
		else if (strcmp(type, "at-risk") == 0) {
			cl = ct_map_get(e, "cleared");
			at_risk = !(cl != NULL && cl->type == CT_SCALAR_BOOL &&
			    cl->ival);
		}
	}
	if ((rc = derive_orders(events, file, &orders, err)) < 0)
		return rc;
	if (orders->n > 0) {
		if (ct_map_set(c, "orders", orders) < 0)
			return ct_error_set(err, CT_ERROR, "out of memory");
	} else {
		ct_node_free(orders);
		ct_map_del(c, "orders");
	}
	if ((stage && (rc = ct_rec_set_str(c, "stage", stage, err)) < 0) ||
	    (eprd && (rc = ct_rec_set_str(c, "eprd", eprd, err)) < 0) ||
	    (rating && (rc = ct_rec_set_str(c, "risk_rating", rating, err)) < 0) ||
	    (released && (rc = ct_rec_set_str(c, "released", released, err)) < 0) ||
	    (manager && (rc = ct_rec_set_str(c, "manager", manager, err)) < 0))
		return rc;
	if (!stage)
		ct_map_del(c, "stage");
	if (!eprd)
		ct_map_del(c, "eprd");
	if (!rating)
		ct_map_del(c, "risk_rating");
	if (!released)
		ct_map_del(c, "released");
	if (at_risk < 0)
		ct_map_del(c, "at_risk");
	else if ((b = ct_node_new_bool(at_risk)) == NULL ||
	    ct_map_set(c, "at_risk", b) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	return 0;
}

/* case.yaml of case_id through txn, or snap when txn is NULL. */
static int
load_case(ct_snapshot *snap, ct_txn *txn, const char *case_id, ct_node **out,
    ct_error *err)
{
	char *path = NULL;
	int rc;

	*out = NULL;
	if ((rc = ct_case_path(case_id, "case.yaml", &path, err)) < 0)
		return rc;
	rc = txn != NULL ? ct_txn_load(txn, path, out, err) :
	    ct_snapshot_load(snap, path, out, err);
	free(path);
	if (rc == CT_ENOTFOUND)
		rc = ct_error_set(err, CT_ENOTFOUND, "case %s does not exist "
		    "(create it with case-new)", case_id);
	return rc;
}

int
ct_txn_load_case(ct_txn *txn, const char *case_id, ct_node **out,
    ct_error *err)
{
	return load_case(NULL, txn, case_id, out, err);
}

int
ct_snapshot_load_case(ct_snapshot *snap, const char *case_id, ct_node **out,
    ct_error *err)
{
	return load_case(snap, NULL, case_id, out, err);
}

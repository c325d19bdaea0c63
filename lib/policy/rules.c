/*
 * Deadline rules as data, and the engine that evaluates them for a case.
 *
 * A rules document is first validated against schemas/rules.schema.json
 * (by the caller), then compiled here into ct_rule structures; what the
 * schema can not say (exactly one offset unit, an anchor that is either
 * events, a record field or a record's list, known event types, a
 * satisfier of exactly one kind) is checked here with file:line:column
 * messages.
 *
 * Evaluation of one case:
 *   applies?  jurisdiction, cohort, stage, open order, record present
 *   anchors   the latest (or each) matching event, optionally only those
 *             on or after the latest event of another kind; or a record's
 *             date field; or the latest (or each) entry of a record's list
 *             by a date field of the entry, named after another of its
 *             fields (the "label": "sdu request dffh"), or the latest of
 *             that list's latest entry and some events
 *   due       anchor + offset (calendar days, business days, weeks, months)
 *   lapsed?   a lapses_on event after the anchor ends the obligation
 *   met?      any satisfier: an event, a record (in a status), a dated
 *             entry of a record's list, a record's date field, or a date
 *             field of the anchoring list entry itself; dated ones count
 *             only up to today (a later date has not happened), and from
 *             the anchor on, after it, or at any date ("since")
 *   status    met / info / overdue / due (within warn_days) / upcoming
 *
 * The kinds are generic: a new record kind adds rules as data, never a
 * special case here.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/case.h"
#include "casetrail/episode.h"
#include "casetrail/kind.h"
#include "casetrail/rules.h"
#include "casetrail/store.h"

enum unit { U_DAYS, U_BUSINESS_DAYS, U_WEEKS, U_MONTHS };

static const char *const unit_names[] = {
	"days", "business_days", "weeks", "months", NULL,
};

struct match {
	char *field;
	char **values;
};

struct matches {
	struct match *v;
	size_t n;
};

enum since { SINCE_ANCHOR, SINCE_ANY, SINCE_AFTER, SINCE_EPISODE };

struct satisfier {
	char **events;         /* event types, or NULL */
	struct matches match;
	char **records;        /* record paths, or NULL */
	char **statuses;       /* record status values, or NULL for any */
	char *list;            /* a dated list of the record */
	char *field;           /* a date field of the record */
	char *entry;           /* a date field of the anchoring list entry */
	enum since since;      /* on or after the anchor, any date, after
	                          it, within its episode (episode.h) */
	bool approved;         /* a list entry of a record that needs
	                          approval counts from its approval */
};

struct ct_rule {
	char *id, *title, *cite;
	bool info;
	ct_jurisdiction jur;
	char **cohorts, **stages, **orders, **has_records;
	char **anchor_events;
	struct matches anchor_match;
	bool each;
	char **after_events;       /* anchors only on/after the latest of */
	struct matches after_match;
	char **after_records;      /* ... or on/after the earliest field */
	char *after_field;         /* date of these records */
	char *anchor_record, *anchor_field;
	char *anchor_list;         /* a list of anchor_record: its entries */
	char *anchor_label;        /* entry field naming the finding */
	char *anchor_name;         /* what the anchor is called */
	char *anchor_from;         /* entry date field: exists from then */
	enum unit unit;
	int amount;
	struct satisfier *sat;
	size_t nsat;
	char **lapses_on;
	int warn_days;
};

struct ct_rules {
	ct_rule *v;
	size_t n;
};

const char *
ct_status_name(ct_status s)
{
	static const char *const names[CT_STATUS_COUNT] = {
		"overdue", "due", "upcoming", "met", "info", "met-late",
		"deferred", "waived",
	};

	return (unsigned)s < CT_STATUS_COUNT ? names[s] : "?";
}

bool
ct_status_met(ct_status s)
{
	return s == CT_STATUS_MET || s == CT_STATUS_MET_LATE;
}

int
ct_status_parse(const char *s)
{
	int i;

	for (i = 0; i < CT_STATUS_COUNT; i++)
		if (strcmp(s, ct_status_name((ct_status)i)) == 0)
			return i;
	return -1;
}

/*
 * Compiling.
 */
static char *
dupstr(const ct_node *n)
{
	return n != NULL && ct_node_is_str(n) ? strdup(n->str) : NULL;
}

/* A list of strings (or absent: NULL). */
static int
strv(const ct_node *n, char ***out, ct_error *err)
{
	size_t i;

	*out = NULL;
	if (n == NULL)
		return 0;
	if ((*out = calloc(n->n + 1, sizeof(**out))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	for (i = 0; i < n->n; i++)
		if (((*out)[i] = dupstr(n->items[i])) == NULL)
			return ct_error_set(err, CT_ERROR, "out of memory");
	return 0;
}

static int
matches(const ct_node *n, struct matches *m, ct_error *err)
{
	size_t i;
	int rc;

	m->v = NULL;
	m->n = 0;
	if (n == NULL)
		return 0;
	if ((m->v = calloc(n->n, sizeof(*m->v))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	m->n = n->n;
	for (i = 0; i < n->n; i++) {
		if ((m->v[i].field = strdup(n->pairs[i].key)) == NULL)
			return ct_error_set(err, CT_ERROR, "out of memory");
		if ((rc = strv(n->pairs[i].value, &m->v[i].values, err)) < 0)
			return rc;
	}
	return 0;
}

static void
matches_free(struct matches *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].field);
		ct_strv_free(m->v[i].values);
	}
	free(m->v);
}

static int
bad(ct_error *err, const char *file, const ct_node *n, size_t i,
    const char *path, const char *msg)
{
	return ct_error_set(err, CT_EINVALID, "%s:%u:%u: rules[%zu]%s: %s",
	    file, n ? n->line : 0, n ? n->col : 0, i, path, msg);
}

static int
check_events(char **types, const char *file, const ct_node *n, size_t i,
    const char *path, ct_error *err)
{
	char *msg = NULL;
	int rc;

	for (; types != NULL && *types != NULL; types++) {
		if (ct_in_list(ct_event_types, *types))
			continue;
		if (asprintf(&msg, "unknown event type '%s'", *types) < 0)
			return ct_error_set(err, CT_ERROR, "out of memory");
		rc = bad(err, file, n, i, path, msg);
		free(msg);
		return rc;
	}
	return 0;
}

/* The anchor of rule i (an, its "anchor" mapping; its events and the
 * rule's lapses_on already read): after, record, field, list and the
 * rest, and that they go together. */
static int
compile_anchor(ct_rule *r, const ct_node *an, const ct_node *n,
    const char *file, size_t i, ct_error *err)
{
	const ct_node *v;
	int rc;

	v = ct_map_get(an, "each");
	r->each = v != NULL && v->ival;
	v = ct_map_get(an, "after");
	if ((rc = strv(ct_map_get(v, "event"), &r->after_events, err)) < 0 ||
	    (rc = strv(ct_map_get(v, "record"), &r->after_records, err)) < 0 ||
	    (rc = matches(ct_map_get(v, "match"), &r->after_match, err)) < 0 ||
	    (rc = check_events(r->after_events, file, v, i,
	    ".anchor.after.event", err)) < 0)
		return rc;
	r->after_field = dupstr(ct_map_get(v, "field"));
	if (v != NULL && (r->after_events != NULL) ==
	    (r->after_records != NULL || r->after_field != NULL))
		return bad(err, file, v, i, ".anchor.after",
		    "give either event (and match) or record and field");
	if ((r->after_records != NULL) != (r->after_field != NULL))
		return bad(err, file, v, i, ".anchor.after",
		    "record and field go together");
	r->anchor_record = dupstr(ct_map_get(an, "record"));
	r->anchor_field = dupstr(ct_map_get(an, "field"));
	r->anchor_list = dupstr(ct_map_get(an, "list"));
	r->anchor_label = dupstr(ct_map_get(an, "label"));
	r->anchor_name = dupstr(ct_map_get(an, "name"));
	r->anchor_from = dupstr(ct_map_get(an, "from"));
	/* events and a record's list together: the latest of both */
	if (((r->anchor_events != NULL) ==
	    (r->anchor_record != NULL || r->anchor_field != NULL) &&
	    !(r->anchor_events != NULL && r->anchor_list != NULL &&
	    !r->each)) ||
	    (r->anchor_record == NULL && r->anchor_events == NULL) ||
	    (r->anchor_record != NULL) != (r->anchor_field != NULL))
		return bad(err, file, an, i, ".anchor",
		    "give either event (and match, each) or record and field "
		    "(or event with the latest entry of a record's list)");
	if (r->anchor_list == NULL && (r->anchor_label != NULL ||
	    r->anchor_name != NULL || r->anchor_from != NULL ||
	    (r->each && r->anchor_record != NULL)))
		return bad(err, file, an, i, ".anchor",
		    "each, label, name and from of a record go with list");
	if (r->anchor_list != NULL && r->anchor_record == NULL)
		return bad(err, file, an, i, ".anchor",
		    "list goes with record and field");
	if ((rc = check_events(r->anchor_events, file, an, i,
	    ".anchor.event", err)) < 0 ||
	    (rc = check_events(r->lapses_on, file, n, i, ".lapses_on",
	    err)) < 0)
		return rc;
	return 0;
}

/* The offset of rule i: exactly one unit. */
static int
compile_offset(ct_rule *r, const ct_node *off, const char *file, size_t i,
    ct_error *err)
{
	size_t j;
	int units = 0;

	for (j = 0; off != NULL && j < off->n; j++) {
		const char *const *u;

		for (u = unit_names; *u != NULL; u++)
			if (strcmp(*u, off->pairs[j].key) == 0) {
				r->unit = (enum unit)(u - unit_names);
				r->amount = (int)off->pairs[j].value->ival;
				units++;
			}
	}
	if (units != 1)
		return bad(err, file, off, i, ".offset",
		    "give exactly one of days, business_days, weeks, months");
	return 0;
}

/* One satisfied_by entry s of rule i into st. */
static int
compile_satisfier(const ct_rule *r, struct satisfier *st, const ct_node *s,
    const char *file, size_t i, ct_error *err)
{
	const char *since = ct_map_str(s, "since");
	const ct_node *appr;
	int rc;

	if ((rc = strv(ct_map_get(s, "event"), &st->events, err)) < 0 ||
	    (rc = matches(ct_map_get(s, "match"), &st->match, err)) < 0 ||
	    (rc = strv(ct_map_get(s, "record"), &st->records, err)) < 0 ||
	    (rc = strv(ct_map_get(s, "status"), &st->statuses, err)) < 0)
		return rc;
	st->list = dupstr(ct_map_get(s, "list"));
	st->field = dupstr(ct_map_get(s, "field"));
	st->entry = dupstr(ct_map_get(s, "entry"));
	st->approved = (appr = ct_map_get(s, "approved")) != NULL &&
	    appr->type == CT_SCALAR_BOOL && appr->ival != 0;
	st->since = since == NULL ? SINCE_ANCHOR :
	    strcmp(since, "any") == 0 ? SINCE_ANY :
	    strcmp(since, "after") == 0 ? SINCE_AFTER :
	    strcmp(since, "episode") == 0 ? SINCE_EPISODE :
	    SINCE_ANCHOR;
	if ((st->events != NULL) + (st->records != NULL) +
	    (st->entry != NULL) != 1)
		return bad(err, file, s, i, ".satisfied_by",
		    "give either event or record (or entry)");
	if (st->records == NULL && (st->statuses || st->list || st->field))
		return bad(err, file, s, i, ".satisfied_by",
		    "status, list and field go with record");
	if (st->approved && st->list == NULL)
		return bad(err, file, s, i, ".satisfied_by.approved",
		    "approved goes with list");
	if (st->entry != NULL && r->anchor_list == NULL)
		return bad(err, file, s, i, ".satisfied_by.entry",
		    "entry needs an anchor on a record's list");
	return check_events(st->events, file, s, i, ".satisfied_by.event",
	    err);
}

/* Rule i of the (schema-checked) document into r. */
static int
compile_rule(ct_rule *r, const ct_node *n, const char *file, size_t i,
    ct_error *err)
{
	const ct_node *ap = ct_map_get(n, "applies");
	const ct_node *an = ct_map_get(n, "anchor");
	const ct_node *sat = ct_map_get(n, "satisfied_by");
	const ct_node *v;
	size_t j;
	int rc;

	r->id = dupstr(ct_map_get(n, "id"));
	r->title = dupstr(ct_map_get(n, "title"));
	r->cite = dupstr(ct_map_get(n, "cite"));
	if (r->id == NULL || r->title == NULL || r->cite == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	v = ct_map_get(n, "info");
	r->info = v != NULL && v->ival;
	v = ct_map_get(n, "warn_days");
	r->warn_days = v != NULL ? (int)v->ival : 0;
	r->jur = ct_jurisdiction_parse(ct_map_str(ap, "jurisdiction"));
	if ((rc = strv(ct_map_get(ap, "cohort"), &r->cohorts, err)) < 0 ||
	    (rc = strv(ct_map_get(ap, "stage"), &r->stages, err)) < 0 ||
	    (rc = strv(ct_map_get(ap, "order"), &r->orders, err)) < 0 ||
	    (rc = strv(ct_map_get(ap, "record"), &r->has_records, err)) < 0 ||
	    (rc = strv(ct_map_get(an, "event"), &r->anchor_events, err)) < 0 ||
	    (rc = matches(ct_map_get(an, "match"), &r->anchor_match,
	    err)) < 0 ||
	    (rc = strv(ct_map_get(n, "lapses_on"), &r->lapses_on, err)) < 0)
		return rc;
	if ((rc = compile_anchor(r, an, n, file, i, err)) < 0 ||
	    (rc = compile_offset(r, ct_map_get(n, "offset"), file, i, err)) < 0)
		return rc;
	if (sat == NULL)
		return 0;
	if ((r->sat = calloc(sat->n, sizeof(*r->sat))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	r->nsat = sat->n;
	for (j = 0; j < sat->n; j++)
		if ((rc = compile_satisfier(r, &r->sat[j], sat->items[j], file,
		    i, err)) < 0)
			return rc;
	return 0;
}

static void
rule_free(ct_rule *r)
{
	size_t j;

	free(r->id);
	free(r->title);
	free(r->cite);
	ct_strv_free(r->cohorts);
	ct_strv_free(r->stages);
	ct_strv_free(r->orders);
	ct_strv_free(r->has_records);
	ct_strv_free(r->anchor_events);
	matches_free(&r->anchor_match);
	ct_strv_free(r->after_events);
	matches_free(&r->after_match);
	ct_strv_free(r->after_records);
	free(r->after_field);
	free(r->anchor_record);
	free(r->anchor_field);
	free(r->anchor_list);
	free(r->anchor_label);
	free(r->anchor_name);
	free(r->anchor_from);
	ct_strv_free(r->lapses_on);
	for (j = 0; j < r->nsat; j++) {
		ct_strv_free(r->sat[j].events);
		matches_free(&r->sat[j].match);
		ct_strv_free(r->sat[j].records);
		ct_strv_free(r->sat[j].statuses);
		free(r->sat[j].list);
		free(r->sat[j].field);
		free(r->sat[j].entry);
	}
	free(r->sat);
}

int
ct_rules_load(const ct_node *doc, const char *file, ct_rules **out,
    ct_error *err)
{
	const ct_node *list = ct_map_get(doc, "rules");
	ct_rules *r;
	size_t i, j;
	int rc;

	*out = NULL;
	if (list == NULL || list->kind != CT_NODE_SEQ)
		return ct_error_set(err, CT_EINVALID, "%s: rules: expected a "
		    "list", file);
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->v = calloc(list->n + 1, sizeof(*r->v))) == NULL) {
		free(r);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	for (i = 0; i < list->n; i++) {
		r->n = i + 1;
		if ((rc = compile_rule(&r->v[i], list->items[i], file, i,
		    err)) < 0) {
			ct_rules_free(r);
			return rc;
		}
		for (j = 0; j < i; j++)
			if (strcmp(r->v[j].id, r->v[i].id) == 0) {
				rc = bad(err, file, list->items[i], i, ".id",
				    "duplicate rule id");
				ct_rules_free(r);
				return rc;
			}
	}
	*out = r;
	return 0;
}

void
ct_rules_free(ct_rules *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		rule_free(&r->v[i]);
	free(r->v);
	free(r);
}

size_t ct_rules_count(const ct_rules *r) { return r->n; }
const ct_rule *ct_rules_get(const ct_rules *r, size_t i) { return &r->v[i]; }
const char *ct_rule_id(const ct_rule *r) { return r->id; }
size_t
ct_rule_index(const ct_rules *rules, const ct_rule *r)
{
	return (size_t)(r - rules->v);
}
const char *ct_rule_title(const ct_rule *r) { return r->title; }
const char *ct_rule_cite(const ct_rule *r) { return r->cite; }

const ct_rule *
ct_rules_find(const ct_rules *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].id, id) == 0)
			return &r->v[i];
	return NULL;
}

void
ct_finding_clear(ct_finding *f)
{
	if (f->packed) {
		free(f->case_id);
		return;
	}
	free(f->case_id);
	free(f->anchor_what);
	free(f->explain);
	free(f->key);
	free(f->exception_reason);
	free(f->exception_by);
	free(f->manager);
	free(f->agency);
}

int
ct_finding_pack(ct_finding *f)
{
	char **s[8] = { &f->case_id, &f->anchor_what, &f->explain, &f->key,
	    &f->manager, &f->agency, &f->exception_reason, &f->exception_by };
	size_t len[8], total = 0, i;
	char *block, *p;

	if (f->packed || f->case_id == NULL)
		return 0;
	for (i = 0; i < 8; i++)
		total += (len[i] = *s[i] != NULL ? strlen(*s[i]) + 1 : 0);
	if ((block = p = malloc(total)) == NULL)
		return -1;
	for (i = 0; i < 8; i++) {
		if (*s[i] == NULL)
			continue;
		memcpy(p, *s[i], len[i]);
		free(*s[i]);
		*s[i] = p;
		p += len[i];
	}
	f->packed = true;
	return 0;
}

int
ct_finding_unpack(ct_finding *f)
{
	char **s[8] = { &f->case_id, &f->anchor_what, &f->explain, &f->key,
	    &f->manager, &f->agency, &f->exception_reason, &f->exception_by };
	char *copy[8] = { NULL };
	size_t i;

	if (!f->packed)
		return 0;
	for (i = 0; i < 8; i++)
		if (*s[i] != NULL && (copy[i] = strdup(*s[i])) == NULL) {
			while (i > 0)
				free(copy[--i]);
			return -1;
		}
	free(f->case_id);   /* the block */
	for (i = 0; i < 8; i++)
		*s[i] = copy[i];
	f->packed = false;
	return 0;
}

int
ct_findings_reserve(ct_findings *f, size_t more)
{
	ct_finding *v;
	size_t cap = f->cap ? f->cap : 64;

	if (more > SIZE_MAX / 4 / sizeof(*v) - f->n)
		return -1;
	while (cap < f->n + more)
		cap *= 2;
	if (cap == f->cap)
		return 0;
	if ((v = realloc(f->v, cap * sizeof(*v))) == NULL)
		return -1;
	f->v = v;
	f->cap = cap;
	return 0;
}

int
ct_findings_move(ct_findings *dst, ct_findings *src)
{
	if (ct_findings_reserve(dst, src->n) < 0)
		return -1;
	if (src->n > 0)
		memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	dst->n += src->n;
	src->n = 0;
	return 0;
}

void
ct_findings_clear(ct_findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		ct_finding_clear(&f->v[i]);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

/*
 * Evaluating.
 */
struct eval {
	const ct_rule *rule;
	const ct_calendar *cal;
	const ct_node *c;          /* case.yaml */
	const ct_node *events;
	const ct_node *entry;      /* the anchoring list entry, or NULL */
	const char *key;           /* that entry's identity, or NULL */
	ct_record_fn records;
	void *arg;
	ct_date today;
	ct_span *span;             /* narrowed by every test of today, or
	                              NULL */
	ct_findings *out;
	const ct_episodes *episodes;  /* of the case, or NULL */
};

/*
 * Has day d come (d <= today)?  Every test of today goes through here, so
 * that the span keeps the days on which each answer would be the same.
 */
static bool
happened(const struct eval *ev, ct_date d)
{
	bool yes = d <= ev->today;

	if (ev->span != NULL && yes && d > ev->span->from)
		ev->span->from = d;
	else if (ev->span != NULL && !yes && d < ev->span->until)
		ev->span->until = d;
	return yes;
}

static bool
in(char **list, const char *s)
{
	return s != NULL && ct_in_list((const char *const *)list, s);
}

static bool
event_matches(const ct_node *e, char **types, const struct matches *m)
{
	size_t i;

	if (!in(types, ct_map_str(e, "type")) || ct_event_superseded(e) ||
	    ct_event_withdrawn(e))
		return false;
	for (i = 0; i < m->n; i++)
		if (!in(m->v[i].values, ct_map_str(e, m->v[i].field)))
			return false;
	return true;
}

static bool
event_date(const ct_node *e, ct_date *d)
{
	const char *s = ct_map_str(e, "date");

	return s != NULL && ct_date_parse(s, d, NULL) == 0;
}

/* The node at a dotted path ("endorsement.date") of a record. */
static const ct_node *
field_at(const ct_node *n, const char *path)
{
	const char *dot;
	char *key;

	while (n != NULL && (dot = strchr(path, '.')) != NULL) {
		if ((key = strndup(path, (size_t)(dot - path))) == NULL)
			return NULL;
		n = ct_map_get(n, key);
		free(key);
		path = dot + 1;
	}
	return ct_map_get(n, path);
}

static int
record(struct eval *ev, const char *rel, const ct_node **out, ct_error *err)
{
	*out = NULL;
	return ev->records != NULL ? ev->records(ev->arg, rel, out, err) : 0;
}

static int
applies(struct eval *ev, bool *yes, ct_error *err)
{
	const ct_rule *r = ev->rule;
	const ct_node *orders, *rec;
	size_t i;
	int rc;

	*yes = false;
	if (r->jur != CT_JUR_NONE && r->jur !=
	    ct_jurisdiction_parse(ct_map_str(ev->c, "jurisdiction")))
		return 0;
	if (r->cohorts && !in(r->cohorts, ct_map_str(ev->c, "cohort")))
		return 0;
	if (r->stages && !in(r->stages, ct_map_str(ev->c, "stage")))
		return 0;
	if (r->orders) {
		orders = ct_map_get(ev->c, "orders");
		for (i = 0; orders != NULL && i < orders->n; i++)
			if (in(r->orders, ct_map_str(orders->items[i], "type"))
			    && ct_map_get(orders->items[i], "ended") == NULL)
				break;
		if (orders == NULL || i == orders->n)
			return 0;
	}
	if (r->has_records) {
		for (i = 0; r->has_records[i] != NULL; i++) {
			if ((rc = record(ev, r->has_records[i], &rec, err)) < 0)
				return rc;
			if (rec != NULL)
				break;
		}
		if (r->has_records[i] == NULL)
			return 0;
	}
	*yes = true;
	return 0;
}

/* The first lapses_on event on or after the anchor, up to today, or
 * NULL. */
static const ct_node *
lapsed(struct eval *ev, ct_date anchor)
{
	size_t i;
	ct_date d;

	if (ev->rule->lapses_on == NULL)
		return NULL;
	for (i = 0; i < ev->events->n; i++)
		if (in(ev->rule->lapses_on,
		    ct_map_str(ev->events->items[i], "type")) &&
		    !ct_event_withdrawn(ev->events->items[i]) &&
		    event_date(ev->events->items[i], &d) && d >= anchor &&
		    happened(ev, d))
			return ev->events->items[i];
	return NULL;
}

/* A dated satisfier counts from the anchor (or any time) up to today:
 * something recorded for a later day has not happened yet. */
static bool
counts(const struct eval *ev, const struct satisfier *s, ct_date anchor,
    ct_date d)
{
	const ct_episode *p;

	if (!happened(ev, d))
		return false;

	switch (s->since) {
	case SINCE_ANY:
		return true;
	case SINCE_AFTER:
		return d > anchor;
	case SINCE_EPISODE:
		/* outside every episode (no reception, sentence or stage
		 * recorded): no bound */
		p = ev->episodes != NULL ? ct_episode_on(ev->episodes, anchor) :
		    NULL;
		return p == NULL || (d >= p->start && (!p->closed ||
		    d <= p->end));
	default:
		return d >= anchor;
	}
}

/* The date in a (dotted) date field of a record or list entry. */
static bool
date_at(const ct_node *n, const char *field, ct_date *d)
{
	const ct_node *f = field_at(n, field);

	return f != NULL && ct_node_is_str(f) &&
	    ct_date_parse(f->str, d, NULL) == 0;
}

/*
 * approved: a list entry of *d of the record at rel (a plan) counts from
 * the record's first approval on or after it, moving *d there; at once
 * when the kind table says the record needs no approval (a remand plan).
 */
static bool
approved_from(struct eval *ev, const struct satisfier *s, const char *rel,
    const ct_node *rec, ct_date anchor, ct_date *d)
{
	const ct_node *list = ct_map_get(rec, "approvals");
	const char *base = strrchr(rel, '/');
	ct_date a;
	size_t i;

	if (strncmp(rel, "cmp/", 4) != 0 || ct_kind_approval_find(
	    &ct_kinds[CT_KIND_CMP], base != NULL ? base + 1 : rel) == NULL)
		return true;
	for (i = 0; list != NULL && list->kind == CT_NODE_SEQ && i < list->n;
	    i++)
		if (event_date(list->items[i], &a) && a >= *d &&
		    counts(ev, s, anchor, a)) {
			*d = a;
			return true;
		}
	return false;
}

/* Does one satisfier hold?  *when gets the date it was met, if known. */
static int
satisfied(struct eval *ev, const struct satisfier *s, ct_date anchor,
    bool *yes, bool *known, ct_date *when, ct_error *err)
{
	const ct_node *rec, *list;
	const char *st;
	size_t i, j;
	ct_date d;
	int rc;

	*yes = *known = false;
	if (s->entry != NULL) {
		if (ev->entry != NULL && date_at(ev->entry, s->entry, &d) &&
		    counts(ev, s, anchor, d)) {
			*yes = *known = true;
			*when = d;
		}
		return 0;
	}
	if (s->events != NULL) {
		for (i = 0; i < ev->events->n; i++) {
			const ct_node *e = ev->events->items[i];

			if (event_matches(e, s->events, &s->match) &&
			    event_date(e, &d) && counts(ev, s, anchor, d)) {
				*yes = *known = true;
				*when = d;
				return 0;
			}
		}
		return 0;
	}
	for (j = 0; s->records[j] != NULL; j++) {
		if ((rc = record(ev, s->records[j], &rec, err)) < 0)
			return rc;
		if (rec == NULL)
			continue;
		st = ct_map_str(rec, "status");
		if (s->statuses != NULL && !in(s->statuses, st))
			continue;
		if (s->list != NULL) {
			list = ct_map_get(rec, s->list);
			for (i = 0; list != NULL && list->kind == CT_NODE_SEQ &&
			    i < list->n; i++)
				if (event_date(list->items[i], &d) &&
				    counts(ev, s, anchor, d) &&
				    (!s->approved || approved_from(ev, s,
				    s->records[j], rec, anchor, &d))) {
					*yes = *known = true;
					*when = d;
					return 0;
				}
			continue;
		}
		if (s->field != NULL) {
			if (date_at(rec, s->field, &d) &&
			    counts(ev, s, anchor, d)) {
				*yes = *known = true;
				*when = d;
				return 0;
			}
			continue;
		}
		*yes = true;
		return 0;
	}
	return 0;
}

/* anchor + offset, and how it was computed. */
static int
due_date(struct eval *ev, ct_date anchor, const char *what, ct_date *due,
    char **explain)
{
	const ct_rule *r = ev->rule;
	char a[CT_DATE_BUFSZ], b[CT_DATE_BUFSZ], c[CT_DATE_BUFSZ];
	char *skipped = NULL, *grown;
	const char *name;
	size_t len = 0;
	int n = r->amount < 0 ? -r->amount : r->amount;
	ct_date d, lo, hi;

	switch (r->unit) {
	case U_DAYS:
		*due = anchor + r->amount;
		break;
	case U_WEEKS:
		*due = anchor + 7 * r->amount;
		break;
	case U_MONTHS:
		*due = ct_date_add_months(anchor, r->amount);
		break;
	case U_BUSINESS_DAYS:
		if (r->amount >= 0)
			*due = ct_calendar_add_business_days(ev->cal, anchor,
			    r->amount);
		else {
			for (d = anchor; n > 0;)
				if (ct_calendar_is_business_day(ev->cal, --d))
					n--;
			*due = d;
		}
		break;
	}
	lo = anchor < *due ? anchor : *due;
	hi = anchor < *due ? *due : anchor;
	for (d = lo + 1; r->unit == U_BUSINESS_DAYS && d < hi; d++) {
		if (!ct_calendar_is_holiday(ev->cal, d, &name) ||
		    ct_date_weekday(d) >= 6)
			continue;
		if ((grown = realloc(skipped, len + strlen(name) + 32)) ==
		    NULL)
			return -1;
		skipped = grown;
		len += (size_t)sprintf(skipped + len, "%s%s %s",
		    len ? ", " : "", ct_date_format(d, a), name);
	}
	ct_date_format(anchor, a);
	ct_date_format(*due, b);
	c[0] = '\0';
	if (r->unit == U_MONTHS) {
		int y1, m1, d1, y2, m2, d2;

		ct_date_to_ymd(anchor, &y1, &m1, &d1);
		ct_date_to_ymd(*due, &y2, &m2, &d2);
		if (d1 != d2)
			snprintf(c, sizeof(c), "clamped");
	}
	if (asprintf(explain, "%s %s %s %d %s = %s%s%s%s%s", what, a,
	    r->amount < 0 ? "-" : "+", r->amount < 0 ? -r->amount : r->amount,
	    strcmp(unit_names[r->unit], "business_days") == 0 ?
	    "business days" : unit_names[r->unit], b,
	    c[0] ? " (day of month clamped to the month's end)" : "",
	    skipped ? " (holidays skipped: " : "", skipped ? skipped : "",
	    skipped ? ")" : "") < 0) {
		free(skipped);
		return -1;
	}
	free(skipped);
	return 0;
}

/* *out a copy of s (NULL stays NULL); false when out of memory. */
static bool
dup_opt(const char *s, char **out)
{
	*out = s != NULL ? strdup(s) : NULL;
	return s == NULL || *out != NULL;
}

static int
add_finding(struct eval *ev, ct_date anchor, const char *what, ct_error *err)
{
	const ct_rule *r = ev->rule;
	ct_finding f = { 0 }, *grown;
	bool yes = false, known = false;
	ct_date when = 0;
	size_t i;
	int rc;

	if (lapsed(ev, anchor) != NULL)
		return 0;
	for (i = 0; i < r->nsat && !yes; i++)
		if ((rc = satisfied(ev, &r->sat[i], anchor, &yes, &known,
		    &when, err)) < 0)
			return rc;
	f.rule = r;
	f.anchor = anchor;
	if (due_date(ev, anchor, what, &f.due, &f.explain) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	f.days = (int)(f.due - ev->today);
	f.met_known = known;
	f.met_on = when;
	if (yes)
		f.status = known && when > f.due ? CT_STATUS_MET_LATE :
		    CT_STATUS_MET;
	else if (r->info)
		f.status = CT_STATUS_INFO;
	else if (happened(ev, f.due + 1))     /* days < 0 */
		f.status = CT_STATUS_OVERDUE;
	else if (happened(ev, f.due - r->warn_days))
		f.status = CT_STATUS_DUE;
	else
		f.status = CT_STATUS_UPCOMING;
	f.case_id = strdup(ct_map_str(ev->c, "id"));
	f.anchor_what = strdup(what);
	if (f.case_id == NULL || f.anchor_what == NULL)
		goto nomem;
	if (ev->key != NULL && (f.key = strdup(ev->key)) == NULL)
		goto nomem;
	if (!dup_opt(ct_map_str(ev->c, "manager"), &f.manager) ||
	    !dup_opt(ct_map_str(ev->entry, "agency"), &f.agency))
		goto nomem;
	if (ev->out->n == ev->out->cap) {
		size_t cap = ev->out->cap ? ev->out->cap * 2 : 64;

		if ((grown = realloc(ev->out->v, cap * sizeof(*grown))) == NULL)
			goto nomem;
		ev->out->v = grown;
		ev->out->cap = cap;
	}
	ev->out->v[ev->out->n++] = f;
	return 0;
nomem:
	ct_finding_clear(&f);
	return ct_error_set(err, CT_ERROR, "out of memory");
}

/* One obligation anchored on a list entry: "name label" names it. */
static int
add_entry_finding(struct eval *ev, const ct_node *e, ct_date d,
    ct_error *err)
{
	const ct_rule *r = ev->rule;
	const ct_node *label = r->anchor_label != NULL ?
	    field_at(e, r->anchor_label) : NULL;
	char *what;
	int rc;

	if (label != NULL && (label->kind != CT_NODE_SCALAR ||
	    label->str == NULL || label->type == CT_SCALAR_NULL))
		label = NULL;
	if ((r->anchor_name != NULL ? asprintf(&what, "%s%s%s",
	    r->anchor_name, label ? " " : "", label ? label->str : "") :
	    asprintf(&what, "%s %s%s%s", r->anchor_record, r->anchor_list,
	    label ? " " : "", label ? label->str : "")) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	/* an entry's own id names it best: an agency is asked again in
	 * the next review run, a request id is never reused */
	ev->entry = e;
	ev->key = ct_map_str(e, "id");
	if (ev->key == NULL && label != NULL)
		ev->key = label->str;
	rc = add_finding(ev, d, what, err);
	ev->entry = NULL;
	ev->key = NULL;
	free(what);
	return rc;
}

/* The latest anchor event that has happened by today (counting forward),
 * or NULL. */
static const ct_node *
latest_event(struct eval *ev)
{
	const ct_rule *r = ev->rule;
	const ct_node *latest = NULL;
	size_t i;
	ct_date d;

	for (i = 0; i < ev->events->n; i++) {
		const ct_node *e = ev->events->items[i];

		if (event_matches(e, r->anchor_events, &r->anchor_match) &&
		    event_date(e, &d) && (r->amount < 0 || happened(ev, d)))
			latest = e;
	}
	return latest;
}

/*
 * Anchors on the entries of a record's list, by a date field of each: one
 * obligation per entry (each) or for the latest entry by that date (the
 * later in the list on a tie).  An entry exists from its "from" date when
 * the rule names one, else from the anchor date when counting forward:
 * an entry dated after today starts nothing yet.  A rule that names anchor
 * events too (not each) anchors on the latest of its latest entry and
 * those events: "the last contact, or the case manager's assignment when
 * there has been none since".  rec may be NULL (no such record yet).
 */
static int
eval_list(struct eval *ev, const ct_node *rec, ct_error *err)
{
	const ct_rule *r = ev->rule;
	const ct_node *list = ct_map_get(rec, r->anchor_list), *latest = NULL;
	const ct_node *e;
	ct_date d, from, latest_d = 0;
	size_t i;
	int rc;

	for (i = 0; list != NULL && list->kind == CT_NODE_SEQ && i < list->n;
	    i++) {
		e = list->items[i];

		if (!date_at(e, r->anchor_field, &d))
			continue;
		if (r->anchor_from != NULL) {
			if (!date_at(e, r->anchor_from, &from) ||
			    !happened(ev, from))
				continue;
		} else if (r->amount >= 0 && !happened(ev, d))
			continue;
		if (r->each) {
			if ((rc = add_entry_finding(ev, e, d, err)) < 0)
				return rc;
		} else if (latest == NULL || d >= latest_d) {
			latest = e;
			latest_d = d;
		}
	}
	/* with events: the latest of the entries and those events (an
	 * entry on the same day wins) */
	if (r->anchor_events != NULL && (e = latest_event(ev)) != NULL &&
	    event_date(e, &d) && (latest == NULL || d > latest_d))
		return add_finding(ev, d, ct_map_str(e, "type"), err);
	return latest != NULL ? add_entry_finding(ev, latest, latest_d, err) :
	    0;
}

static int
eval_rule(struct eval *ev, ct_error *err)
{
	const ct_rule *r = ev->rule;
	const ct_node *rec, *latest = NULL;
	char *what;
	bool yes, floor_set;
	size_t i;
	ct_date d, floor = INT32_MIN;
	int rc;

	if ((rc = applies(ev, &yes, err)) < 0 || !yes)
		return rc;
	if (r->anchor_record != NULL) {
		if ((rc = record(ev, r->anchor_record, &rec, err)) < 0)
			return rc;
		if (r->anchor_list != NULL)
			return eval_list(ev, rec, err);
		if (rec == NULL)
			return 0;
		if (!date_at(rec, r->anchor_field, &d))
			return 0;
		if (asprintf(&what, "%s %s", r->anchor_record,
		    r->anchor_field) < 0)
			return ct_error_set(err, CT_ERROR, "out of memory");
		rc = add_finding(ev, d, what, err);
		free(what);
		return rc;
	}
	if (r->after_events != NULL) {
		floor_set = false;
		for (i = 0; i < ev->events->n; i++)
			if (event_matches(ev->events->items[i], r->after_events,
			    &r->after_match) &&
			    event_date(ev->events->items[i], &d)) {
				floor = d;
				floor_set = true;
			}
		if (!floor_set)
			return 0;
	}
	if (r->after_records != NULL) {
		/* the earliest date among the records that exist: e.g. the
		 * first plan, before which there was nothing to review */
		floor_set = false;
		for (i = 0; r->after_records[i] != NULL; i++) {
			if ((rc = record(ev, r->after_records[i], &rec,
			    err)) < 0)
				return rc;
			if (rec != NULL && date_at(rec, r->after_field, &d) &&
			    (!floor_set || d < floor)) {
				floor = d;
				floor_set = true;
			}
		}
		/* no such date on file: no restriction */
	}
	for (i = 0; i < ev->events->n; i++) {
		const ct_node *e = ev->events->items[i];

		if (!event_matches(e, r->anchor_events, &r->anchor_match) ||
		    !event_date(e, &d) || d < floor)
			continue;
		/* counting forward from an event that has not happened yet
		 * starts nothing; counting back (from an EPRD) is meant to */
		if (r->amount >= 0 && !happened(ev, d))
			continue;
		if (r->each) {
			if ((rc = add_finding(ev, d, ct_map_str(e, "type"),
			    err)) < 0)
				return rc;
		} else
			latest = e;
	}
	if (latest != NULL && event_date(latest, &d))
		return add_finding(ev, d, ct_map_str(latest, "type"), err);
	return 0;
}

int
ct_rules_eval(const ct_rules *r, const ct_calendar *cal,
    const ct_node *casedoc, ct_record_fn records, void *arg, ct_date today,
    ct_findings *out, ct_error *err)
{
	return ct_rules_eval_span(r, cal, casedoc, records, arg, today, out,
	    NULL, err);
}

void
ct_span_narrow(ct_span *span, ct_date d, ct_date today)
{
	struct eval ev = { .today = today, .span = span };

	(void)happened(&ev, d);
}

int
ct_rules_eval_span(const ct_rules *r, const ct_calendar *cal,
    const ct_node *casedoc, ct_record_fn records, void *arg, ct_date today,
    ct_findings *out, ct_span *span, ct_error *err)
{
	struct eval ev = {
		.cal = cal, .c = casedoc, .records = records, .arg = arg,
		.today = today, .out = out, .span = span,
	};
	ct_episodes eps;
	size_t i;
	int rc;

	ev.events = ct_map_get(casedoc, "events");
	if (ev.events == NULL || ev.events->kind != CT_NODE_SEQ ||
	    ct_map_str(casedoc, "id") == NULL)
		return ct_error_set(err, CT_EINVALID, "case has no id or events");
	if ((rc = ct_case_episodes(casedoc, &eps, err)) < 0)
		return rc;
	ev.episodes = &eps;
	for (i = 0; rc == 0 && i < r->n; i++) {
		ev.rule = &r->v[i];
		rc = eval_rule(&ev, err);
	}
	ct_episodes_clear(&eps);
	return rc < 0 ? rc : 0;
}

/*
 * One rule read by a write-time gate (rules.h).
 */
int
ct_rule_due(const ct_rule *r, const ct_calendar *cal, ct_date anchor,
    ct_date *due, ct_error *err)
{
	struct eval ev = { .rule = r, .cal = cal };
	char *explain = NULL;

	if (due_date(&ev, anchor, "anchor", due, &explain) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	free(explain);
	return 0;
}

ct_date
ct_rule_earliest_anchor(const ct_rule *r, const ct_calendar *cal, ct_date day)
{
	ct_date d = day;
	int n = r->amount;

	switch (r->unit) {
	case U_DAYS:
		return day - r->amount;
	case U_WEEKS:
		return day - 7 * r->amount;
	case U_MONTHS:
		return ct_date_add_months(day, -r->amount);
	case U_BUSINESS_DAYS:
		break;
	}
	if (n <= 0)
		return ct_calendar_add_business_days(cal, day, -n);
	while (n > 0)
		if (ct_calendar_is_business_day(cal, --d))
			n--;
	return d;
}

const char *
ct_rule_offset(const ct_rule *r, char *buf, size_t size)
{
	static const char *const words[] = {
		"days", "business days", "weeks", "months",
	};
	int n = r->amount < 0 ? -r->amount : r->amount;
	const char *w = words[r->unit];
	size_t len = strlen(w);

	/* "1 week", "12 months" */
	snprintf(buf, size, "%d %.*s", n, (int)(n == 1 ? len - 1 : len), w);
	return buf;
}

int
ct_rule_anchor(const ct_rule *r, const ct_calendar *cal,
    const ct_node *casedoc, ct_date today, ct_anchor *out, ct_error *err)
{
	struct eval ev = { .rule = r, .cal = cal, .c = casedoc,
	    .today = today };
	const ct_node *e, *l;

	memset(out, 0, sizeof(*out));
	ev.events = ct_map_get(casedoc, "events");
	if (ev.events == NULL || ev.events->kind != CT_NODE_SEQ ||
	    r->anchor_events == NULL)
		return 0;
	if ((e = latest_event(&ev)) == NULL || !event_date(e, &out->anchor))
		return 0;
	out->found = true;
	out->anchor_type = ct_map_str(e, "type");
	if ((l = lapsed(&ev, out->anchor)) != NULL && event_date(l,
	    &out->lapsed_on))
		out->lapsed_by = ct_map_str(l, "type");
	return ct_rule_due(r, cal, out->anchor, &out->due, err);
}

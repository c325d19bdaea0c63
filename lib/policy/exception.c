/*
 * Recorded exceptions: deferrals and waivers of obligations
 * (exception.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/case.h"
#include "casetrail/evaluate.h"
#include "casetrail/exception.h"
#include "casetrail/registry.h"
#include "casetrail/role.h"
#include "casetrail/util.h"

#define DEFER_DAYS 30
#define DEFERS 2

static const char *const act_roles[] = { CT_ROLE_CMU_TEAM_LEADER,
    CT_ROLE_COMMUNITY_TEAM_LEADER, NULL };
static const char *const vic_roles[] = { CT_ROLE_SOCT_OFFICER, NULL };

static const ct_node *
settings_of(const ct_node *settings)
{
	return ct_map_get(settings, "exceptions");
}

/* The settings' roles of jur, or NULL for the defaults. */
static const ct_node *
roles_set(const ct_node *settings, const char *jur)
{
	return jur != NULL ? ct_map_get(ct_map_get(settings_of(settings),
	    "roles"), jur) : NULL;
}

static const char *const *
default_roles(const char *jur)
{
	return ct_streq(jur, "VIC") ? vic_roles : act_roles;
}

static bool
holds_one(const ct_node *settings, const char *jur, const ct_node *op)
{
	const ct_node *set = roles_set(settings, jur);
	const char *const *r;
	size_t i;

	if (set != NULL) {
		for (i = 0; set->kind == CT_NODE_SEQ && i < set->n; i++)
			if (ct_node_is_str(set->items[i]) &&
			    ct_operator_has_role(op, set->items[i]->str))
				return true;
		return false;
	}
	for (r = default_roles(jur); *r != NULL; r++)
		if (ct_operator_has_role(op, *r))
			return true;
	return false;
}

const char *
ct_exception_roles_text(const ct_node *settings, const char *jur, char *buf,
    size_t size)
{
	const ct_node *set = roles_set(settings, jur);
	const char *names[16];
	size_t n = 0, i, len = 0;

	if (set != NULL && set->kind == CT_NODE_SEQ)
		for (i = 0; i < set->n && n < 16; i++)
			names[n++] = ct_node_is_str(set->items[i]) ?
			    set->items[i]->str : "?";
	else
		for (i = 0; default_roles(jur)[i] != NULL; i++)
			names[n++] = default_roles(jur)[i];
	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    i == 0 ? "" : i + 1 == n ? " or " : ", ", names[i]);
	return buf;
}

static long long
limit(const ct_node *settings, const char *key, long long def)
{
	const ct_node *v = ct_map_get(settings_of(settings), key);

	return v != NULL && v->kind == CT_NODE_SCALAR &&
	    v->type == CT_SCALAR_INT ? v->ival : def;
}

static bool
date_of(const ct_node *entry, const char *key, ct_date *d)
{
	const char *s = ct_map_str(entry, key);

	return s != NULL && ct_date_parse(s, d, NULL) == 0;
}

/* The entry is of the obligation (rule, anchor, key). */
static bool
same_obligation(const ct_node *entry, const char *rule, ct_date anchor,
    const char *key)
{
	const char *k = ct_map_str(entry, "key");
	ct_date a;

	return ct_streq(ct_map_str(entry, "rule"), rule) &&
	    date_of(entry, "anchor", &a) && a == anchor &&
	    (k == NULL ? key == NULL : ct_streq(k, key));
}

static int
copy_exception(ct_finding *f, const ct_node *e, ct_status st, ct_error *err)
{
	const char *reason = ct_map_str(e, "reason"), *by = ct_map_str(e, "by");

	free(f->exception_reason);
	free(f->exception_by);
	f->exception_reason = strdup(reason != NULL ? reason : "");
	f->exception_by = strdup(by != NULL ? by : "");
	if (f->exception_reason == NULL || f->exception_by == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	f->exception = st == CT_STATUS_WAIVED ? "waive" : "defer";
	f->status = st;
	return 0;
}

int
ct_exceptions_apply(const ct_node *doc, ct_finding *f, size_t n,
    ct_date today, ct_error *err)
{
	const ct_node *list = ct_map_get(doc, "exceptions"), *e, *defer;
	ct_date until, last;
	size_t i, j;
	int rc;

	for (i = 0; list != NULL && list->kind == CT_NODE_SEQ && i < n; i++) {
		if (ct_status_met(f[i].status) || f[i].status == CT_STATUS_INFO)
			continue;
		defer = NULL;
		last = 0;
		for (j = 0; j < list->n; j++) {
			e = list->items[j];
			if (!same_obligation(e, ct_rule_id(f[i].rule),
			    f[i].anchor, f[i].key))
				continue;
			if (ct_streq(ct_map_str(e, "action"), "waive"))
				break;
			if (date_of(e, "until", &until) && (defer == NULL ||
			    until >= last)) {
				defer = e;
				last = until;
			}
		}
		if (j < list->n)
			rc = copy_exception(&f[i], list->items[j],
			    CT_STATUS_WAIVED, err);
		else if (defer != NULL && last >= today) {
			rc = copy_exception(&f[i], defer, CT_STATUS_DEFERRED,
			    err);
			f[i].exception_until = last;
		} else
			rc = 0;
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The deferrals of entry's obligation in list's first n entries. */
static size_t
defers_of(const ct_node *list, size_t before, const ct_node *entry)
{
	const char *k = ct_map_str(entry, "key");
	ct_date a;
	size_t i, n = 0;

	if (!date_of(entry, "anchor", &a))
		return 0;
	for (i = 0; list != NULL && list->kind == CT_NODE_SEQ && i < list->n &&
	    i < before; i++)
		if (same_obligation(list->items[i], ct_map_str(entry, "rule"),
		    a, k) && ct_streq(ct_map_str(list->items[i], "action"),
		    "defer"))
			n++;
	return n;
}

int
ct_exception_check_entry(const ct_node *settings, const char *jur,
    const ct_node *op, const ct_node *list, size_t before,
    const ct_node *entry, ct_error *err)
{
	const char *rule = ct_map_str(entry, "rule");
	bool defer = ct_streq(ct_map_str(entry, "action"), "defer");
	long long days = limit(settings, "defer_days", DEFER_DAYS);
	long long most = limit(settings, "defers", DEFERS);
	ct_date day = 0, until = 0;
	char roles[160];

	if (op == NULL || !holds_one(settings, jur, op))
		return ct_error_set(err, CT_EINVALID, "%s: an exception on "
		    "a case of %s is recorded by an operator with the role %s",
		    rule, jur != NULL ? jur : "?", ct_exception_roles_text(
		    settings, jur, roles, sizeof(roles)));
	if (!ct_streq(ct_map_str(entry, "by"), ct_map_str(op, "id")))
		return ct_error_set(err, CT_EINVALID, "%s: the exception "
		    "names '%s' but is recorded by '%s'", rule,
		    ct_map_str(entry, "by"), ct_map_str(op, "id"));
	if (!defer)
		return ct_map_get(entry, "until") == NULL ? 0 : ct_error_set(err,
		    CT_EINVALID, "%s: a waiver has no until", rule);
	if (!date_of(entry, "date", &day) || !date_of(entry, "until", &until))
		return ct_error_set(err, CT_EINVALID, "%s: a deferral needs "
		    "its until", rule);
	if (until < day || until - day > days)
		return ct_error_set(err, CT_EINVALID, "%s: a deferral ends on "
		    "or after the day it is recorded and at most %lld days "
		    "after it (store policy: exceptions.defer_days)", rule,
		    days);
	if ((long long)defers_of(list, before, entry) >= most)
		return ct_error_set(err, CT_EINVALID, "%s: this obligation "
		    "has been deferred %lld time%s already, the most the store "
		    "allows (store policy: exceptions.defers)", rule, most,
		    most == 1 ? "" : "s");
	return 0;
}

/*
 * Recording one.
 */
struct record {
	const ct_exception_req *q;
	ct_rules *rules;
	ct_findings fs;
	const ct_finding *f;
	ct_node *ops, *settings, *casedoc, *doc, *entry;
	char *path;
};

static void
record_clear(struct record *r)
{
	ct_findings_clear(&r->fs);
	ct_rules_free(r->rules);
	ct_node_free(r->ops);
	ct_node_free(r->settings);
	ct_node_free(r->casedoc);
	ct_node_free(r->doc);
	ct_node_free(r->entry);
	free(r->path);
}

static bool
of_request(const ct_exception_req *q, const ct_finding *f)
{
	return strcmp(ct_rule_id(f->rule), q->rule) == 0 &&
	    (q->key == NULL || ct_streq(f->key, q->key)) &&
	    (q->anchor == 0 || f->anchor == q->anchor);
}

/* The request's obligation among the case's findings as the snapshot
 * has them, exceptions applied: the one open, or the one named. */
static int
find_obligation(ct_txn *txn, struct record *r, ct_error *err)
{
	const ct_exception_req *q = r->q;
	ct_snapshot *snap = ct_txn_snapshot(txn);
	ct_evaluator *ev = NULL;
	char *dir = NULL, day[CT_DATE_BUFSZ];
	size_t i, n = 0;
	int rc;

	if ((rc = ct_snapshot_rules(snap, &r->rules, err)) < 0 ||
	    (rc = ct_case_dir(q->case_id, &dir, err)) < 0 ||
	    (rc = ct_evaluator_new(snap, r->rules, q->today, &ev, err)) < 0 ||
	    (rc = ct_evaluator_case(ev, dir, &r->fs, err)) < 0)
		goto out;
	/* the open obligations first: a met one only when none is open */
	for (i = 0; i < r->fs.n; i++)
		if (of_request(q, &r->fs.v[i]) && !ct_status_met(
		    r->fs.v[i].status)) {
			r->f = &r->fs.v[i];
			n++;
		}
	for (i = 0; n == 0 && i < r->fs.n; i++)
		if (of_request(q, &r->fs.v[i]))
			r->f = &r->fs.v[i];
	if (n == 0 && r->f != NULL)
		n = 1;
	if (n == 0)
		rc = ct_error_set(err, CT_ENOTFOUND, "%s has no obligation of "
		    "%s%s%s as of %s (see deadline-check --case %s --status "
		    "all)", q->case_id, q->rule, q->key != NULL ? " with key " :
		    "", q->key != NULL ? q->key : "", ct_date_format(q->today,
		    day), q->case_id);
	else if (n > 1)
		rc = ct_error_set(err, CT_EINVALID, "%s has %zu open "
		    "obligations of %s: name one with --anchor (its anchor "
		    "date) or --key (deadline-check --case %s --rule %s "
		    "--format json shows each)", q->case_id, n, q->rule,
		    q->case_id, q->rule);
out:
	ct_evaluator_free(ev);
	free(dir);
	return rc;
}

static int
refuse_status(const struct record *r, ct_error *err)
{
	const ct_finding *f = r->f;
	char d[CT_DATE_BUFSZ];

	if (ct_status_met(f->status))
		return ct_error_set(err, CT_EINVALID, "%s of %s is met (on %s): "
		    "there is nothing to %s", r->q->rule, r->q->case_id,
		    f->met_known ? ct_date_format(f->met_on, d) : "record",
		    r->q->action == CT_EXCEPTION_DEFER ? "defer" : "waive");
	if (f->status == CT_STATUS_INFO)
		return ct_error_set(err, CT_EINVALID, "%s says from when "
		    "something may be done and is never overdue: there is "
		    "nothing to defer or waive", r->q->rule);
	if (f->status == CT_STATUS_WAIVED)
		return ct_error_set(err, CT_EINVALID, "%s of %s is waived "
		    "already (by %s: %s)", r->q->rule, r->q->case_id,
		    f->exception_by, f->exception_reason);
	return 0;
}

static int
set_date(ct_node *m, const char *key, ct_date d)
{
	char s[CT_DATE_BUFSZ];

	return ct_map_set(m, key, ct_node_new_str(ct_date_format(d, s)));
}

static int
make_entry(ct_txn *txn, struct record *r, ct_error *err)
{
	const ct_exception_req *q = r->q;
	const char *me = ct_txn_operator(txn);
	ct_node *m = r->entry = ct_node_new_map();
	bool defer = q->action == CT_EXCEPTION_DEFER;

	if (me == NULL)
		return ct_error_set(err, CT_EINVALID, "an exception is recorded "
		    "by a registered operator (%s)", CT_OPERATORS_PATH);
	if (m == NULL || ct_map_set(m, "rule", ct_node_new_str(q->rule)) < 0 ||
	    set_date(m, "anchor", r->f->anchor) < 0 ||
	    (r->f->key != NULL && ct_map_set(m, "key",
	    ct_node_new_str(r->f->key)) < 0) ||
	    set_date(m, "due", r->f->due) < 0 ||
	    ct_map_set(m, "action", ct_node_new_str(defer ? "defer" :
	    "waive")) < 0 ||
	    (defer && set_date(m, "until", q->until) < 0) ||
	    ct_map_set(m, "reason", ct_node_new_str(q->reason)) < 0 ||
	    ct_map_set(m, "by", ct_node_new_str(me)) < 0 ||
	    set_date(m, "date", q->today) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	return 0;
}

/* The case's exceptions.yaml as the transaction has it, or a new one. */
static int
load_doc(ct_txn *txn, struct record *r, ct_error *err)
{
	int rc;

	if ((rc = ct_case_path(r->q->case_id, CT_EXCEPTIONS_FILE, &r->path,
	    err)) < 0)
		return rc;
	rc = ct_txn_load(txn, r->path, &r->doc, err);
	if (rc != CT_ENOTFOUND)
		return rc;
	ct_error_clear(err);
	if ((r->doc = ct_node_new_map()) == NULL ||
	    ct_map_set(r->doc, "case", ct_node_new_str(r->q->case_id)) < 0 ||
	    ct_map_set(r->doc, "exceptions", ct_node_new_seq()) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	return 0;
}

int
ct_exception_record(ct_txn *txn, void *arg, ct_error *err)
{
	struct record r = { .q = arg };
	const ct_node *op, *list;
	int rc;

	if ((rc = find_obligation(txn, &r, err)) < 0 ||
	    (rc = refuse_status(&r, err)) < 0 ||
	    (rc = make_entry(txn, &r, err)) < 0 ||
	    (rc = ct_txn_load(txn, CT_OPERATORS_PATH, &r.ops, err)) < 0 ||
	    (rc = ct_txn_load(txn, CT_SETTINGS_PATH, &r.settings, err)) < 0 ||
	    (rc = ct_txn_load_case(txn, r.q->case_id, &r.casedoc, err)) < 0 ||
	    (rc = load_doc(txn, &r, err)) < 0)
		goto out;
	op = ct_registry_find(r.ops, "operators", "id", ct_txn_operator(txn));
	list = ct_map_get(r.doc, "exceptions");
	if ((rc = ct_exception_check_entry(r.settings, ct_map_str(r.casedoc,
	    "jurisdiction"), op, list, list != NULL ? list->n : 0, r.entry,
	    err)) < 0)
		goto out;
	if (ct_seq_push((ct_node *)list, r.entry) < 0) {
		r.entry = NULL;
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto out;
	}
	r.entry = NULL;
	rc = ct_txn_put(txn, r.path, r.doc, err);
out:
	record_clear(&r);
	return rc;
}

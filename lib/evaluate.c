/*
 * Evaluating the deadline rules on the cases of a snapshot: calendars,
 * and the per-case record cache the rules engine reads through its
 * ct_record_fn callback.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/evalcache.h"
#include "casetrail/evaluate.h"
#include "casetrail/exception.h"

struct rec {
	char *rel;
	ct_node *doc;          /* NULL: the case has no such record */
};

struct ct_evaluator {
	ct_snapshot *snap;
	const ct_rules *rules;
	ct_date today;
	ct_calendar *cal[3];   /* by ct_jurisdiction */
	const char *dir;       /* the case being evaluated */
	struct rec *rec;
	size_t nrec, caprec;
	ct_evalcache *cache;   /* NULL: evaluate every case */
	size_t ncached, nevaluated;
};

static int
nomem(ct_error *err)
{
	return ct_error_set(err, CT_ERROR, "out of memory");
}

int
ct_snapshot_calendar(ct_snapshot *snap, ct_jurisdiction j, ct_calendar **out,
    ct_error *err)
{
	ct_node *doc = NULL;
	char *path = NULL;
	int rc;

	*out = NULL;
	if (asprintf(&path, "calendars/%s.yaml", ct_jurisdiction_name(j)) < 0)
		return nomem(err);
	if ((rc = ct_calendar_new(j, out, err)) == 0)
		rc = ct_snapshot_load(snap, path, &doc, err);
	if (rc == 0)
		rc = ct_calendar_apply(*out, doc, path, err);
	else if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		rc = 0;
	}
	if (rc < 0) {
		ct_calendar_free(*out);
		*out = NULL;
	}
	ct_node_free(doc);
	free(path);
	return rc;
}

int
ct_snapshot_rules(ct_snapshot *snap, ct_rules **out, ct_error *err)
{
	ct_node *doc = NULL;
	int rc;

	*out = NULL;
	if ((rc = ct_snapshot_load(snap, CT_RULES_PATH, &doc, err)) == 0)
		rc = ct_rules_load(doc, CT_RULES_PATH, out, err);
	ct_node_free(doc);
	return rc;
}

int
ct_evaluator_new(ct_snapshot *snap, const ct_rules *rules, ct_date today,
    ct_evaluator **out, ct_error *err)
{
	ct_evaluator *ev;
	int rc;

	*out = NULL;
	if ((ev = calloc(1, sizeof(*ev))) == NULL)
		return nomem(err);
	ev->snap = snap;
	ev->rules = rules;
	ev->today = today;
	if ((rc = ct_snapshot_calendar(snap, CT_JUR_ACT, &ev->cal[CT_JUR_ACT],
	    err)) < 0 ||
	    (rc = ct_snapshot_calendar(snap, CT_JUR_VIC, &ev->cal[CT_JUR_VIC],
	    err)) < 0) {
		ct_evaluator_free(ev);
		return rc;
	}
	*out = ev;
	return 0;
}

static void
drop_records(ct_evaluator *ev)
{
	while (ev->nrec > 0) {
		ev->nrec--;
		free(ev->rec[ev->nrec].rel);
		ct_node_free(ev->rec[ev->nrec].doc);
	}
}

void
ct_evaluator_free(ct_evaluator *ev)
{
	size_t i;

	if (ev == NULL)
		return;
	drop_records(ev);
	free(ev->rec);
	ct_evalcache_free(ev->cache);
	for (i = 0; i < 3; i++)
		ct_calendar_free(ev->cal[i]);
	free(ev);
}

/*
 * The path of the record rel of the current case.  rel may end in a
 * pattern ("assessments/<date>-lsi-r.yaml" as a glob): the last matching
 * file in name order (dated names: the newest).  *path NULL when nothing
 * matches.
 */
static int
record_path(ct_evaluator *ev, const char *rel, char **path, ct_error *err)
{
	const char *slash = strrchr(rel, '/');
	char *dir = NULL, **names = NULL;
	size_t i, n = 0;
	int rc;

	*path = NULL;
	if (strchr(rel, '*') == NULL)
		return asprintf(path, "%s/%s", ev->dir, rel) < 0 ?
		    nomem(err) : 0;
	if (asprintf(&dir, "%s/%.*s", ev->dir, slash ? (int)(slash - rel) : 0,
	    rel) < 0)
		return nomem(err);
	rc = ct_snapshot_list(ev->snap, dir, &names, &n, err);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		rc = 0;
	}
	for (i = n; rc == 0 && i > 0; i--)
		if (fnmatch(slash ? slash + 1 : rel, names[i - 1], 0) == 0) {
			if (asprintf(path, "%s/%s", dir, names[i - 1]) < 0)
				rc = nomem(err);
			break;
		}
	ct_strv_free(names);
	free(dir);
	return rc;
}

static int
case_record(void *arg, const char *rel, const ct_node **out, ct_error *err)
{
	ct_evaluator *ev = arg;
	char *path = NULL;
	ct_node *doc = NULL;
	size_t i;
	int rc;

	*out = NULL;
	for (i = 0; i < ev->nrec; i++)
		if (strcmp(ev->rec[i].rel, rel) == 0) {
			*out = ev->rec[i].doc;
			return 0;
		}
	if ((rc = record_path(ev, rel, &path, err)) < 0)
		return rc;
	rc = path != NULL ? ct_snapshot_parse(ev->snap, path, &doc, err) :
	    CT_ENOTFOUND;
	free(path);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		rc = 0;
	}
	if (rc < 0)
		return rc;
	if (ev->nrec == ev->caprec) {
		size_t cap = ev->caprec ? ev->caprec * 2 : 16;
		struct rec *grown = realloc(ev->rec, cap * sizeof(*grown));

		if (grown == NULL) {
			ct_node_free(doc);
			return nomem(err);
		}
		ev->rec = grown;
		ev->caprec = cap;
	}
	if ((ev->rec[ev->nrec].rel = strdup(rel)) == NULL) {
		ct_node_free(doc);
		return nomem(err);
	}
	ev->rec[ev->nrec++].doc = doc;
	*out = doc;
	return 0;
}

/* The days on which the case's exceptions stay as they apply today: a
 * deferral counts up to its last day. */
static void
exceptions_span(const ct_node *exc, ct_date today, ct_span *span)
{
	const ct_node *list = ct_map_get(exc, "exceptions");
	const char *until;
	ct_date d;
	size_t i;

	for (i = 0; list != NULL && list->kind == CT_NODE_SEQ && i < list->n;
	    i++)
		if ((until = ct_map_str(list->items[i], "until")) != NULL &&
		    ct_date_parse(until, &d, NULL) == 0)
			ct_span_narrow(span, d + 1, today);
}

static int
evaluate(ct_evaluator *ev, const char *dir, ct_findings *out, ct_span *span,
    ct_error *err)
{
	ct_node *doc = NULL;
	const ct_node *exc = NULL;
	char *path = NULL;
	const char *base, *id;
	ct_jurisdiction j;
	size_t first;
	int rc;

	if (asprintf(&path, "%s/case.yaml", dir) < 0)
		return nomem(err);
	ev->dir = dir;
	if ((rc = ct_snapshot_load(ev->snap, path, &doc, err)) < 0)
		goto out;
	base = strrchr(dir, '/') != NULL ? strrchr(dir, '/') + 1 : dir;
	id = ct_map_str(doc, "id");
	if (id == NULL || strcmp(id, base) != 0) {
		rc = ct_error_set(err, CT_EINVALID, "%s: misplaced-record: its "
		    "id '%s' is not the name of its directory; skipped", path,
		    id != NULL ? id : "");
		goto out;
	}
	j = ct_jurisdiction_parse(ct_map_str(doc, "jurisdiction"));
	if (j == CT_JUR_NONE) {
		rc = ct_error_set(err, CT_EINVALID, "%s: jurisdiction: neither "
		    "ACT nor VIC", path);
		goto out;
	}
	first = out->n;
	if ((rc = ct_rules_eval_span(ev->rules, ev->cal[j], doc, case_record,
	    ev, ev->today, out, span, err)) == 0 &&
	    (rc = case_record(ev, CT_EXCEPTIONS_FILE, &exc, err)) == 0)
		rc = ct_exceptions_apply(exc, out->v + first, out->n - first,
		    ev->today, err);
	exceptions_span(exc, ev->today, span);
out:
	drop_records(ev);
	ev->dir = NULL;
	ct_node_free(doc);
	free(path);
	return rc;
}

int
ct_evaluator_case(ct_evaluator *ev, const char *dir, ct_findings *out,
    ct_error *err)
{
	char tree[CT_OID_HEXSZ + 1];
	ct_span span = { CT_SPAN_MIN, CT_SPAN_MAX };
	ct_error miss = { 0 };
	size_t first = out->n;
	bool keyed;
	int rc;

	keyed = ev->cache != NULL &&
	    ct_snapshot_entry_id(ev->snap, dir, tree, &miss) == 0;
	if (keyed && ct_evalcache_get(ev->cache, dir, tree, ev->rules,
	    ev->today, out, &miss) == 0) {
		ev->ncached++;
		return 0;
	}
	ct_error_clear(&miss);
	ev->nevaluated++;
	if ((rc = evaluate(ev, dir, out, &span, err)) == 0 && keyed &&
	    ct_evalcache_put(ev->cache, dir, tree, ev->rules, out->v + first,
	    out->n - first, span, &miss) < 0)
		ct_error_clear(&miss);
	return rc;
}

int
ct_evaluator_use_cache(ct_evaluator *ev, ct_error *err)
{
	char *key = NULL, *dir = NULL;
	int rc;

	if (ev->cache != NULL)
		return 0;
	if ((rc = ct_evalcache_key(ev->snap, &key, err)) < 0)
		return rc;
	if (asprintf(&dir, "%s/%s", ct_store_gitdir(ct_snapshot_store(
	    ev->snap)), CT_EVALCACHE_DIR) < 0)
		rc = nomem(err);
	else
		rc = ct_evalcache_open(dir, key, &ev->cache, err);
	free(dir);
	free(key);
	return rc;
}

void
ct_evaluator_counts(const ct_evaluator *ev, size_t *cached,
    size_t *evaluated)
{
	*cached = ev->ncached;
	*evaluated = ev->nevaluated;
}

static int
cmp_finding(const void *a, const void *b)
{
	const ct_finding *x = a, *y = b;
	int r;

	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	if ((r = strcmp(x->case_id, y->case_id)) != 0)
		return r;
	if ((r = strcmp(ct_rule_id(x->rule), ct_rule_id(y->rule))) != 0)
		return r;
	/* a total order: qsort is not stable, and two requests of one
	 * case due on one day must come out the same way every run */
	if (x->anchor != y->anchor)
		return x->anchor < y->anchor ? -1 : 1;
	if ((r = strcmp(x->key != NULL ? x->key : "",
	    y->key != NULL ? y->key : "")) != 0)
		return r;
	return strcmp(x->anchor_what, y->anchor_what);
}

void
ct_findings_sort(ct_findings *fs)
{
	if (fs->n > 1)
		qsort(fs->v, fs->n, sizeof(*fs->v), cmp_finding);
}

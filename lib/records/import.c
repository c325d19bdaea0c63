/*
 * Bulk intake of cases and events (import.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/case.h"
#include "casetrail/import.h"
#include "casetrail/registry.h"
#include "casetrail/role.h"
#include "casetrail/util.h"

enum col { C_ID, C_COHORT, C_MANAGER, C_EVENT, C_DATE, C_STAGE, C_ORDER,
    C_RATING, C_SERVICE, C_NOTIFIED_BY, C_TO, C_CLEARED, C_NOTE, C_N };

static const char *const cols[C_N] = { "id", "cohort", "manager", "event",
    "date", "stage", "order", "rating", "service", "notified_by", "to",
    "cleared", "note" };

static int
header(const ct_csv_row *h, const char *name, int *at, ct_error *err)
{
	size_t i;
	int k;

	for (k = 0; k < C_N; k++)
		at[k] = -1;
	for (i = 0; i < h->n; i++) {
		for (k = 0; k < C_N && strcmp(h->cells[i], cols[k]) != 0; k++)
			;
		if (k == C_N)
			return ct_error_set(err, CT_EINVALID, "%s:%u: unknown "
			    "column '%s' (expected id, cohort, manager, event, "
			    "date, stage, order, rating, service, notified_by, "
			    "to, cleared, note)", name, h->line, h->cells[i]);
		if (at[k] >= 0)
			return ct_error_set(err, CT_EINVALID, "%s:%u: column "
			    "'%s' twice", name, h->line, cols[k]);
		at[k] = (int)i;
	}
	if (at[C_ID] < 0)
		return ct_error_set(err, CT_EINVALID, "%s:%u: no id column",
		    name, h->line);
	return 0;
}

/* The row's cell of column k, or NULL when absent or empty. */
static const char *
cell(const ct_csv_row *r, const int *at, int k)
{
	return at[k] >= 0 && (size_t)at[k] < r->n &&
	    r->cells[at[k]][0] != '\0' ? r->cells[at[k]] : NULL;
}

/* The row's fields; "why" when they can not be an intake row. */
static const char *
fields(const ct_csv_row *c, const int *at, ct_import_row *r, ct_error *err)
{
	const char *d = cell(c, at, C_DATE), *cl = cell(c, at, C_CLEARED);

	r->line = c->line;
	r->id = cell(c, at, C_ID);
	r->cohort = cell(c, at, C_COHORT);
	r->manager = cell(c, at, C_MANAGER);
	r->ev.type = cell(c, at, C_EVENT);
	r->has_event = r->ev.type != NULL;
	r->ev.stage = cell(c, at, C_STAGE);
	r->ev.order = cell(c, at, C_ORDER);
	r->ev.rating = cell(c, at, C_RATING);
	r->ev.service = cell(c, at, C_SERVICE);
	r->ev.notified_by = cell(c, at, C_NOTIFIED_BY);
	r->ev.to = cell(c, at, C_TO);
	r->ev.note = cell(c, at, C_NOTE);
	r->ev.manager = r->has_event ? r->manager : NULL;
	if (r->id == NULL)
		return "no id";
	if (ct_case_id_check(r->id, err) < 0)
		return "the id is not a case id";
	if (r->cohort != NULL && !ct_in_list(ct_cohorts, r->cohort))
		return "cohort: expected sentenced, remandee or post-sentence";
	if (!r->has_event && r->cohort == NULL)
		return "neither a cohort (a new case) nor an event";
	if (r->has_event && !ct_in_list(ct_event_types, r->ev.type))
		return "event: not an event type (see case-event --help)";
	if (r->has_event && (d == NULL || ct_date_parse(d, &r->ev.date,
	    NULL) < 0))
		return "date: expected YYYY-MM-DD";
	if (!r->has_event && d != NULL)
		return "a date without an event";
	if (cl != NULL && strcmp(cl, "true") && strcmp(cl, "false"))
		return "cleared: expected true or false";
	r->ev.cleared = cl != NULL && strcmp(cl, "true") == 0;
	return NULL;
}

/* Apply row r to *doc (NULL: the case does not exist yet). */
static int
apply(const ct_import *im, const ct_import_row *r, const ct_node *ops,
    ct_node **doc, bool *changed, ct_error *err)
{
	const char *had;
	bool added = false;
	int rc;

	*changed = false;
	if (r->manager != NULL && !ct_operator_has_role(ct_registry_find(ops,
	    "operators", "id", r->manager), CT_ROLE_CASE_MANAGER))
		return ct_error_set(err, CT_EINVALID, "manager: '%s' is not a "
		    "registered operator with the case-manager role",
		    r->manager);
	if (*doc == NULL) {
		if (r->cohort == NULL)
			return ct_error_set(err, CT_ENOTFOUND, "case %s does "
			    "not exist: give its cohort to create it", r->id);
		if ((rc = ct_case_new(r->id, im->jur, r->cohort, r->has_event ?
		    NULL : r->manager, im->today, doc, err)) < 0)
			return rc;
		*changed = true;
	} else if (r->cohort != NULL && !ct_streq(r->cohort,
	    had = ct_map_str(*doc, "cohort")))
		return ct_error_set(err, CT_EINVALID, "cohort: case %s is %s in "
		    "the store; a row does not change it", r->id, had ? had :
		    "of no cohort");
	if (!r->has_event)
		return 0;
	if ((rc = ct_case_add_event(*doc, &r->ev, &added, err)) == 0)
		*changed |= added;
	return rc;
}

struct doc {
	const char *id;
	ct_node *doc;
};

static int
note_bad(ct_import *im, const char *name, unsigned line, const char *why)
{
	char **grown = realloc(im->bad, (im->nbad + 1) * sizeof(*grown));

	if (grown == NULL)
		return -1;
	im->bad = grown;
	if (asprintf(&grown[im->nbad], "%s:%u: %s", name, line, why) < 0)
		return -1;
	im->nbad++;
	return 0;
}

/* The state of the case of row r as the snapshot and the earlier rows
 * leave it, from docs (added to it on first sight). */
static int
doc_of(ct_import *im, struct doc **docs, ct_snapshot *snap, const char *id,
    struct doc **out, ct_error *err)
{
	struct doc *grown;
	size_t i;
	int rc;

	for (i = 0; i < im->nids; i++)
		if (strcmp(im->ids[i], id) == 0) {
			*out = &(*docs)[i];
			return 0;
		}
	if ((grown = realloc(*docs, (im->nids + 1) * sizeof(*grown))) == NULL ||
	    (im->ids = realloc(im->ids, (im->nids + 1) * sizeof(char *))) ==
	    NULL) {
		if (grown != NULL)
			*docs = grown;
		return ct_nomem(err);
	}
	*docs = grown;
	im->ids[im->nids] = (char *)id;   /* borrowed from the CSV */
	grown[im->nids] = (struct doc){ id, NULL };
	rc = ct_snapshot_load_case(snap, id, &grown[im->nids].doc, err);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		rc = 0;
	}
	*out = &grown[im->nids++];
	return rc;
}

static int
check_rows(ct_import *im, const int *at, const char *name, ct_snapshot *snap,
    ct_error *err)
{
	struct doc *docs = NULL, *d = NULL;
	ct_node *ops = NULL;
	ct_error why = { 0 };
	const char *msg;
	size_t i;
	int rc;

	if ((rc = ct_snapshot_load(snap, CT_OPERATORS_PATH, &ops, err)) < 0)
		return rc;
	for (i = 0; rc == 0 && i < im->n; i++) {
		ct_import_row *r = &im->rows[i];

		msg = fields(&im->csv.rows[i + 1], at, r, &why);
		if (msg == NULL && (rc = doc_of(im, &docs, snap, r->id, &d,
		    err)) == 0 && apply(im, r, ops, &d->doc, &r->changes,
		    &why) < 0)
			msg = ct_error_msg(&why);
		if (msg != NULL) {
			r->bad = true;
			if (note_bad(im, name, r->line, msg) < 0)
				rc = ct_nomem(err);
		}
		ct_error_clear(&why);
	}
	for (i = 0; docs != NULL && i < im->nids; i++)
		ct_node_free(docs[i].doc);
	free(docs);
	ct_node_free(ops);
	return rc;
}

int
ct_import_read(ct_import *im, const char *buf, size_t len, const char *name,
    ct_snapshot *snap, ct_error *err)
{
	int at[C_N], rc;
	ct_jurisdiction jur = im->jur;
	ct_date today = im->today;
	size_t i;

	memset(im, 0, sizeof(*im));
	im->jur = jur;
	im->today = today;
	if ((rc = ct_csv_parse(buf, len, name, &im->csv, err)) < 0)
		return rc;
	if (im->csv.n == 0)
		return ct_error_set(err, CT_EINVALID, "%s: empty: no header "
		    "line", name);
	if ((rc = header(&im->csv.rows[0], name, at, err)) < 0)
		return rc;
	im->n = im->csv.n - 1;
	if ((im->rows = calloc(im->n + 1, sizeof(*im->rows))) == NULL)
		return ct_nomem(err);
	for (i = 0; i < im->n; i++)
		im->rows[i].ev.today = today;
	return check_rows(im, at, name, snap, err);
}

void
ct_import_clear(ct_import *im)
{
	size_t i;

	for (i = 0; i < im->nbad; i++)
		free(im->bad[i]);
	free(im->bad);
	free(im->ids);
	free(im->rows);
	ct_csv_clear(&im->csv);
	memset(im, 0, sizeof(*im));
}

int
ct_import_apply(ct_txn *txn, void *arg, ct_error *err)
{
	ct_import_case *ic = arg;
	const ct_import *im = ic->im;
	ct_node *doc = NULL, *ops = NULL;
	char *path = NULL;
	bool changed, any = false;
	size_t i;
	int rc;

	ic->applied = 0;
	if ((rc = ct_case_path(ic->id, "case.yaml", &path, err)) < 0 ||
	    (rc = ct_txn_load(txn, CT_OPERATORS_PATH, &ops, err)) < 0)
		goto out;
	if ((rc = ct_txn_load(txn, path, &doc, err)) == CT_ENOTFOUND) {
		ct_error_clear(err);
		rc = 0;
	}
	for (i = 0; rc == 0 && i < im->n; i++) {
		if (im->rows[i].bad || strcmp(im->rows[i].id, ic->id) != 0)
			continue;
		if ((rc = apply(im, &im->rows[i], ops, &doc, &changed,
		    err)) < 0)
			ct_error_prefix(err, "line %u", im->rows[i].line);
		ic->applied += changed;
		any |= changed;
	}
	if (rc == 0 && any)
		rc = ct_txn_put(txn, path, doc, err);
out:
	ct_node_free(doc);
	ct_node_free(ops);
	free(path);
	return rc;
}

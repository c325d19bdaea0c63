/*
 * Pre-release report requests of the SAB Secretariat (ACT-SAB-REPORT):
 * sab-reports.yaml of a case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/case.h"
#include "casetrail/record.h"
#include "casetrail/registry.h"
#include "casetrail/kind.h"
#include "casetrail/sabreport.h"
#include "casetrail/util.h"

int
ct_sab_ref_check(const char *ref, ct_error *err)
{
	size_t i, n = ref != NULL ? strlen(ref) : 0;
	bool ok = n >= 1 && n <= 40;

	for (i = 0; ok && i < n; i++) {
		char c = ref[i];
		bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9');

		ok = alnum || (i > 0 && strchr("._/-", c) != NULL);
	}
	if (!ok)
		return ct_error_set(err, CT_EINVALID, "--ref: '%.60s' is not a "
		    "reference: 1 to 40 letters, digits, '.', '_', '/' and '-', "
		    "beginning with a letter or digit", ref ? ref : "");
	return 0;
}

static int
check_writer(const ct_node *ops, const char *who, ct_error *err)
{
	const ct_node *me = ct_registry_find(ops, "operators", "id", who);
	const ct_kind *k = &ct_kinds[CT_KIND_SAB_REPORTS];
	char roles[128];

	if (ct_kind_writer(k, me))
		return 0;
	return ct_error_set(err, CT_EINVALID, "the writer: '%s' is not a "
	    "registered operator with the %s role", who,
	    ct_kind_writers_text(k, roles, sizeof(roles)));
}

static ct_node *
find(ct_node *list, const char *ref)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		const char *r = ct_map_str(list->items[i], "ref");

		if (r != NULL && strcmp(r, ref) == 0)
			return list->items[i];
	}
	return NULL;
}

static int
request(ct_sab_op *op, const ct_node *ops, const char *who, ct_node *list,
    ct_error *err)
{
	char a[CT_DATE_BUFSZ], b[CT_DATE_BUFSZ];
	ct_node *e, *old;
	int rc;

	if (!ct_operator_has_role(ct_registry_find(ops, "operators", "id",
	    op->officer), CT_ROLE_COMMUNITY_CORRECTIONS_OFFICER))
		return ct_error_set(err, CT_EINVALID, "--officer: '%s' is not a "
		    "registered operator with the %s role: a Community "
		    "Corrections Officer must be allocated to develop the "
		    "report", op->officer,
		    CT_ROLE_COMMUNITY_CORRECTIONS_OFFICER);
	if (op->requested > op->today)
		return ct_error_set(err, CT_EINVALID, "--requested: %s is "
		    "after today (%s)", ct_date_format(op->requested, a),
		    ct_date_format(op->today, b));
	if (op->due < op->requested)
		return ct_error_set(err, CT_EINVALID, "--due: %s is before the "
		    "request was received, on %s", ct_date_format(op->due, a),
		    ct_date_format(op->requested, b));
	if ((e = ct_node_new_map()) == NULL)
		return ct_nomem(err);
	if ((rc = ct_rec_set_str(e, "ref", op->ref, err)) < 0 ||
	    (rc = ct_rec_set_date(e, "requested", op->requested, err)) < 0 ||
	    (rc = ct_rec_set_str(e, "officer", op->officer, err)) < 0 ||
	    (rc = ct_rec_set_date(e, "due", op->due, err)) < 0 ||
	    (rc = ct_rec_set_str(e, "by", who, err)) < 0) {
		ct_node_free(e);
		return rc;
	}
	if ((old = find(list, op->ref)) != NULL) {
		ct_node *cmp = ct_node_dup(old);

		if (cmp == NULL) {
			ct_node_free(e);
			return ct_nomem(err);
		}
		ct_map_del(cmp, "completed");
		ct_map_del(cmp, "completed_by");
		rc = ct_node_equal(cmp, e) ? 0 : ct_error_set(err, CT_EEXISTS,
		    "request %s is already recorded (received %s, due %s, "
		    "officer %s)", op->ref, ct_map_str(old, "requested"),
		    ct_map_str(old, "due"), ct_map_str(old, "officer"));
		ct_node_free(cmp);
		ct_node_free(e);
		return rc;
	}
	if (ct_seq_push(list, e) < 0) {
		ct_node_free(e);
		return ct_nomem(err);
	}
	op->changed = true;
	return 0;
}

static int
complete(ct_sab_op *op, const char *who, ct_node *list, const char *path,
    ct_error *err)
{
	char a[CT_DATE_BUFSZ], b[CT_DATE_BUFSZ];
	ct_node *e = find(list, op->ref);
	ct_date requested, done;
	int rc;

	if (e == NULL)
		return ct_error_set(err, CT_ENOTFOUND, "%s: no request %s "
		    "(record it with sab-report request)", path, op->ref);
	if (op->completed > op->today)
		return ct_error_set(err, CT_EINVALID, "--date: %s is after "
		    "today (%s)", ct_date_format(op->completed, a),
		    ct_date_format(op->today, b));
	if (ct_rec_date(e, "requested", &requested) &&
	    op->completed < requested)
		return ct_error_set(err, CT_EINVALID, "--date: %s is before "
		    "request %s was received, on %s",
		    ct_date_format(op->completed, a), op->ref,
		    ct_date_format(requested, b));
	if (ct_rec_date(e, "completed", &done)) {
		if (done == op->completed)
			return 0;
		return ct_error_set(err, CT_EEXISTS, "%s: the report of "
		    "request %s was completed on %s", path, op->ref,
		    ct_date_format(done, a));
	}
	if ((rc = ct_rec_set_date(e, "completed", op->completed, err)) < 0 ||
	    (rc = ct_rec_set_str(e, "completed_by", who, err)) < 0)
		return rc;
	op->changed = true;
	return 0;
}

int
ct_sab_apply(ct_txn *txn, void *arg, ct_error *err)
{
	ct_sab_op *op = arg;
	const char *who = ct_txn_operator(txn), *j, *cohort;
	ct_node *c = NULL, *ops = NULL, *doc = NULL, *list;
	char *path = NULL;
	int rc;

	op->changed = false;
	if (who == NULL)
		return ct_error_set(err, CT_EINVALID, "register operators "
		    "first (registry add-operator)");
	if ((rc = ct_case_path(op->case_id, CT_SAB_REL, &path, err)) < 0 ||
	    (rc = ct_txn_load_case(txn, op->case_id, &c, err)) < 0)
		goto out;
	j = ct_map_str(c, "jurisdiction");
	cohort = ct_map_str(c, "cohort");
	if (j == NULL || strcmp(j, "ACT") != 0 || cohort == NULL ||
	    strcmp(cohort, "sentenced") != 0) {
		rc = ct_error_set(err, CT_EINVALID, "%s (%s, %s): pre-release "
		    "reports are requested for sentenced ACT offenders "
		    "(ACT-SAB-REPORT)", op->case_id, j ? j : "?",
		    cohort ? cohort : "?");
		goto out;
	}
	if ((rc = ct_txn_load(txn, CT_OPERATORS_PATH, &ops,
	    err)) < 0 || (rc = check_writer(ops, who, err)) < 0)
		goto out;
	rc = ct_txn_load(txn, path, &doc, err);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		if ((doc = ct_node_new_map()) == NULL ||
		    (list = ct_node_new_seq()) == NULL ||
		    ct_map_set(doc, "requests", list) < 0) {
			rc = ct_nomem(err);
			goto out;
		}
		rc = ct_rec_set_str(doc, "case", op->case_id, err);
	}
	if (rc < 0)
		goto out;
	list = ct_map_get(doc, "requests");
	rc = op->action == CT_SAB_REQUEST ? request(op, ops, who, list, err) :
	    complete(op, who, list, path, err);
	if (rc == 0 && op->changed)
		rc = ct_txn_put(txn, path, doc, err);
out:
	ct_node_free(c);
	ct_node_free(ops);
	ct_node_free(doc);
	free(path);
	return rc;
}

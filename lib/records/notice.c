/*
 * Post-Sentence Authority notices: the record
 * cases/<xx>/<id>/authority-notices.yaml, its checks, the changes of
 * authority-notice add and respond, and the listing.
 *
 * ct_notice_apply() is the one transaction the tool runs, so that a lost
 * race re-reads the record and applies the change again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/case.h"
#include "casetrail/notice.h"
#include "casetrail/record.h"
#include "casetrail/registry.h"
#include "casetrail/role.h"
#include "casetrail/trailers.h"
#include "casetrail/util.h"

#define REF_MAX 200

const char *const ct_notice_kinds[] = {
	"update-request", "report-request", "conditions-instruction", "other",
	NULL,
};

const char *
ct_notice_action_name(ct_notice_action a)
{
	return a == CT_NOTICE_ADD ? "add" : a == CT_NOTICE_RESPOND ?
	    "respond" : "?";
}

const char *
ct_notice_status_name(ct_notice_status s)
{
	static const char *const names[] = { "overdue", "open", "answered" };

	return (unsigned)s < 3 ? names[s] : "?";
}

static int
check_ref(const char *what, const char *ref, ct_error *err)
{
	int rc;

	if (ref == NULL)
		return 0;
	if ((rc = ct_text_check(what, ref, err)) < 0)
		return rc;
	if (ct_utf8_chars(ref) > REF_MAX)
		return ct_error_set(err, CT_EINVALID, "%s: longer than %d "
		    "characters", what, REF_MAX);
	return 0;
}

static const ct_node *
find_notice(const ct_node *doc, const char *id)
{
	const ct_node *list = ct_map_get(doc, "notices");
	size_t i;

	for (i = 0; i < ct_rec_len(list); i++)
		if (ct_streq(ct_map_str(list->items[i], "id"), id))
			return list->items[i];
	return NULL;
}

/*
 * Checks.
 */
int
ct_notices_check(const ct_node *doc, const ct_node *agencies,
    const char *file, ct_error *err)
{
	const ct_node *list = ct_map_get(doc, "notices");
	size_t i, j, k;

	for (i = 0; i < ct_rec_len(list); i++) {
		const ct_node *n = list->items[i];
		const ct_node *ag = ct_map_get(n, "agencies");
		const ct_node *resp = ct_map_get(n, "response");
		const char *id = ct_map_str(n, "id");
		ct_date rec, d;

		for (j = 0; j < i; j++)
			if (ct_streq(id, ct_map_str(list->items[j], "id")))
				return ct_error_at(err, file, ct_map_get(n, "id"),
				    "notices[%zu].id: '%s' is already the id "
				    "of notices[%zu]", i, id, j);
		for (j = 0; j < ct_rec_len(ag); j++) {
			const char *a = ag->items[j]->str;

			if (ct_registry_find(agencies, "agencies", "id", a) ==
			    NULL)
				return ct_error_at(err, file, ag->items[j],
				    "notices[%zu].agencies[%zu]: '%s' is not a "
				    "registered agency (see registry list "
				    "agencies)", i, j, a ? a : "");
			for (k = 0; k < j; k++)
				if (ct_streq(a, ag->items[k]->str))
					return ct_error_at(err, file,
					    ag->items[j], "notices[%zu]."
					    "agencies[%zu]: '%s' is named "
					    "twice", i, j, a);
		}
		if (!ct_rec_date(n, "received", &rec))
			continue;
		if (ct_rec_date(n, "due", &d) && d < rec)
			return ct_error_at(err, file, ct_map_get(n, "due"),
			    "notices[%zu].due: before the notice was "
			    "received", i);
		if (ct_rec_date(resp, "date", &d) && d < rec)
			return ct_error_at(err, file, ct_map_get(resp, "date"),
			    "notices[%zu].response.date: before the notice "
			    "was received", i);
	}
	return 0;
}

/* Is the entry e the notice req? */
static bool
same_notice(const ct_node *e, const ct_notice_req *req, char *const *ags,
    size_t nags)
{
	const ct_node *ag = ct_map_get(e, "agencies");
	ct_date d;
	size_t i;

	if (!ct_rec_date(e, "received", &d) || d != req->received ||
	    !ct_rec_date(e, "due", &d) || d != req->due ||
	    !ct_streq(ct_map_str(e, "kind"), req->kind) ||
	    !ct_streq(ct_map_str(e, "asks"), req->asks) ||
	    (req->ref == NULL) != (ct_map_get(e, "reference") == NULL) ||
	    (req->ref != NULL && !ct_streq(ct_map_str(e, "reference"), req->ref))
	    || ct_rec_len(ag) != nags)
		return false;
	for (i = 0; i < nags; i++)
		if (!ct_streq(ag->items[i]->str, ags[i]))
			return false;
	return true;
}

/* The fields of a new notice, as ct_notice_add takes them. */
static int
notice_check(const ct_notice_req *req, const ct_node *agencies,
    ct_date today, ct_error *err)
{
	char a[CT_DATE_BUFSZ], b[CT_DATE_BUFSZ];
	size_t i;
	int rc;

	if (req->kind == NULL || !ct_in_list(ct_notice_kinds, req->kind))
		return ct_error_set(err, CT_EINVALID, "--kind: expected "
		    "update-request, report-request, conditions-instruction or "
		    "other, not '%s'", req->kind ? req->kind : "");
	if (req->asks == NULL)
		return ct_error_set(err, CT_EINVALID, "--asks is required: "
		    "what the Authority asks for");
	if ((rc = ct_text_check("--asks", req->asks, err)) < 0 ||
	    (rc = check_ref("--ref", req->ref, err)) < 0)
		return rc;
	if (req->received > today)
		return ct_error_set(err, CT_EINVALID, "--received %s is after "
		    "today (%s)", ct_date_format(req->received, a),
		    ct_date_format(today, b));
	if (req->due < req->received)
		return ct_error_set(err, CT_EINVALID, "--due %s is before the "
		    "notice was received (%s)", ct_date_format(req->due, a),
		    ct_date_format(req->received, b));
	for (i = 0; req->agencies != NULL && req->agencies[i] != NULL; i++)
		if (ct_registry_find(agencies, "agencies", "id",
		    req->agencies[i]) == NULL)
			return ct_error_set(err, CT_EINVALID, "--agency: '%s' "
			    "is not a registered agency (see registry list "
			    "agencies)", req->agencies[i]);
	return 0;
}

/* The agencies of req, each once, in the order given: *out (the array
 * owned, its strings req's; NULL when there are none). */
static int
notice_agencies(const ct_notice_req *req, char ***out, size_t *n,
    ct_error *err)
{
	size_t i, j, len = 0;

	*out = NULL;
	*n = 0;
	while (req->agencies != NULL && req->agencies[len] != NULL)
		len++;
	if (len == 0)
		return 0;
	if ((*out = calloc(len + 1, sizeof(**out))) == NULL)
		return ct_nomem(err);
	for (i = 0; i < len; i++) {
		for (j = 0; j < *n; j++)
			if (strcmp((*out)[j], req->agencies[i]) == 0)
				break;
		if (j == *n)
			(*out)[(*n)++] = req->agencies[i];
	}
	return 0;
}

int
ct_notice_add(ct_node **docp, const char *case_id, const ct_node *agencies,
    const ct_notice_req *req, ct_date today, const char **id, bool *added,
    ct_error *err)
{
	char nid[32];
	char **ags = NULL;
	size_t nags = 0, i;
	ct_node *doc = *docp, *list, *e, *seq, *v;
	int rc = 0;

	*id = NULL;
	*added = false;
	if ((rc = notice_check(req, agencies, today, err)) < 0 ||
	    (rc = notice_agencies(req, &ags, &nags, err)) < 0)
		return rc;
	list = ct_map_get(doc, "notices");
	for (i = 0; i < ct_rec_len(list); i++)
		if (same_notice(list->items[i], req, ags, nags)) {
			*id = ct_map_str(list->items[i], "id");
			goto out;
		}
	if (doc == NULL) {
		if ((doc = ct_node_new_map()) == NULL) {
			rc = ct_nomem(err);
			goto out;
		}
		*docp = doc;
		if ((rc = ct_rec_set_str(doc, "case", case_id, err)) < 0)
			goto out;
	}
	if ((list = ct_map_get(doc, "notices")) == NULL) {
		if ((list = ct_node_new_seq()) == NULL ||
		    ct_map_set(doc, "notices", list) < 0) {
			rc = ct_nomem(err);
			goto out;
		}
	}
	ct_rec_next_id(ct_map_get(doc, "notices"), 'n', nid, sizeof(nid));
	if ((e = ct_node_new_map()) == NULL || ct_seq_push(list, e) < 0) {
		rc = ct_nomem(err);
		goto out;
	}
	if ((rc = ct_rec_set_str(e, "id", nid, err)) < 0 ||
	    (rc = ct_rec_set_date(e, "received", req->received, err)) < 0 ||
	    (rc = ct_rec_set_str(e, "kind", req->kind, err)) < 0 ||
	    (rc = ct_rec_set_str(e, "asks", req->asks, err)) < 0 ||
	    (rc = ct_rec_set_date(e, "due", req->due, err)) < 0 ||
	    (req->ref != NULL &&
	    (rc = ct_rec_set_str(e, "reference", req->ref, err)) < 0))
		goto out;
	if (nags > 0) {
		if ((seq = ct_node_new_seq()) == NULL ||
		    ct_map_set(e, "agencies", seq) < 0) {
			rc = ct_nomem(err);
			goto out;
		}
		for (i = 0; i < nags; i++)
			if ((v = ct_node_new_str(ags[i])) == NULL ||
			    ct_seq_push(seq, v) < 0) {
				rc = ct_nomem(err);
				goto out;
			}
	}
	*id = ct_map_str(e, "id");
	*added = true;
out:
	free(ags);
	return rc;
}

int
ct_notice_respond(ct_node *doc, const char *case_id, const char *id,
    ct_date date, const char *summary, const char *ref, ct_date today,
    bool *changed, ct_error *err)
{
	char a[CT_DATE_BUFSZ], b[CT_DATE_BUFSZ];
	ct_node *n, *resp;
	ct_date rec, d;
	int rc;

	*changed = false;
	if (summary == NULL)
		return ct_error_set(err, CT_EINVALID, "--summary is required: "
		    "what the response said, in one line");
	if ((rc = ct_text_check("--summary", summary, err)) < 0 ||
	    (rc = check_ref("--ref", ref, err)) < 0)
		return rc;
	if ((n = (ct_node *)find_notice(doc, id)) == NULL)
		return ct_error_set(err, CT_EINVALID, "%s: no Authority notice "
		    "'%s' (see authority-notice list %s)", case_id, id,
		    case_id);
	if ((resp = ct_map_get(n, "response")) != NULL) {
		if (ct_rec_date(resp, "date", &d) && d == date &&
		    ct_streq(ct_map_str(resp, "summary"), summary) &&
		    (ref == NULL ? ct_map_get(resp, "reference") == NULL :
		    ct_streq(ct_map_str(resp, "reference"), ref)))
			return 0;
		return ct_error_set(err, CT_EINVALID, "%s: notice %s was "
		    "already answered on %s; a further exchange is a new "
		    "notice", case_id, id, ct_map_str(resp, "date"));
	}
	if (date > today)
		return ct_error_set(err, CT_EINVALID, "--date %s is after today "
		    "(%s)", ct_date_format(date, a), ct_date_format(today, b));
	if (ct_rec_date(n, "received", &rec) && date < rec)
		return ct_error_set(err, CT_EINVALID, "--date %s is before "
		    "notice %s was received (%s)", ct_date_format(date, a), id,
		    ct_date_format(rec, b));
	if ((resp = ct_node_new_map()) == NULL ||
	    ct_map_set(n, "response", resp) < 0)
		return ct_nomem(err);
	if ((rc = ct_rec_set_date(resp, "date", date, err)) < 0 ||
	    (rc = ct_rec_set_str(resp, "summary", summary, err)) < 0 ||
	    (ref != NULL &&
	    (rc = ct_rec_set_str(resp, "reference", ref, err)) < 0))
		return rc;
	*changed = true;
	return 0;
}

/*
 * Listing.
 */
static const ct_col notice_cols[CT_NOTICE_NCOLS] = {
	[CT_NOTICE_COL_CASE] = { "case", "CASE", NULL, 0, 0 },
	[CT_NOTICE_COL_NOTICE] = { "notice", "NOTICE", NULL, 0, 0 },
	[CT_NOTICE_COL_KIND] = { "kind", "KIND", NULL, 0, 0 },
	[CT_NOTICE_COL_RECEIVED] = { "received", "RECEIVED", NULL, 0, 0 },
	[CT_NOTICE_COL_DUE] = { "due", "DUE", NULL, 0, 0 },
	[CT_NOTICE_COL_ASKS] = { "asks", "ASKS", NULL, 0, 0 },
	[CT_NOTICE_COL_AGENCIES] = { "agencies", NULL, NULL, CT_COL_LIST, 0 },
	[CT_NOTICE_COL_REFERENCE] = { "reference", NULL, NULL, 0, 0 },
	[CT_NOTICE_COL_STATUS] = { "status", "STATUS", NULL, 0, 0 },
	[CT_NOTICE_COL_DAYS] = { "days", "DAYS", NULL,
	    CT_COL_NUM | CT_COL_RIGHT, 0 },
	[CT_NOTICE_COL_RESPONDED] = { "responded", "RESPONDED", "-", 0, 0 },
	[CT_NOTICE_COL_SUMMARY] = { "summary", NULL, NULL, 0, 0 },
	[CT_NOTICE_COL_RESPONSE_REF] = { "response_reference", NULL, NULL,
	    0, 0 },
};

static const int notice_text[] = {
	CT_NOTICE_COL_DUE, CT_NOTICE_COL_STATUS, CT_NOTICE_COL_DAYS,
	CT_NOTICE_COL_CASE, CT_NOTICE_COL_NOTICE, CT_NOTICE_COL_KIND,
	CT_NOTICE_COL_RECEIVED, CT_NOTICE_COL_RESPONDED, CT_NOTICE_COL_ASKS,
	CT_COLS_END,
};

const ct_rowspec ct_notice_report = {
	notice_cols, CT_NOTICE_NCOLS, notice_text, NULL, NULL,
	"no notices to show",
};

const ct_sortkey ct_notice_order[] = {
	{ CT_NOTICE_COL_DUE, CT_SORT_BYTES },
	{ CT_NOTICE_COL_CASE, CT_SORT_BYTES },
	{ CT_NOTICE_COL_NOTICE, CT_SORT_SHORT },
	{ CT_COLS_END, 0 },
};

/* The response of a notice answered as of today, in the last row. */
static void
row_response(ct_rows *out, const ct_node *resp, ct_date d)
{
	char day[CT_DATE_BUFSZ];

	ct_rows_set(out, CT_NOTICE_COL_RESPONDED, ct_date_format(d, day));
	ct_rows_set(out, CT_NOTICE_COL_SUMMARY, ct_map_str(resp, "summary"));
	ct_rows_set(out, CT_NOTICE_COL_RESPONSE_REF,
	    ct_map_str(resp, "reference"));
}

int
ct_notices_rows(const ct_node *doc, ct_date today, ct_rows *out,
    ct_error *err)
{
	const ct_node *list = ct_map_get(doc, "notices");
	const char *case_id = ct_map_str(doc, "case");
	char day[CT_DATE_BUFSZ];
	size_t i, j;

	for (i = 0; i < ct_rec_len(list); i++) {
		const ct_node *n = list->items[i];
		const ct_node *ag = ct_map_get(n, "agencies");
		const ct_node *resp = ct_map_get(n, "response");
		ct_notice_status status;
		ct_date rec, due, d;
		ct_buf b = { 0 };
		bool answered;

		if (!ct_rec_date(n, "received", &rec) || rec > today ||
		    !ct_rec_date(n, "due", &due) || !ct_rows_add(out))
			continue;
		ct_buf_puts(&b, "");
		for (j = 0; j < ct_rec_len(ag); j++)
			ct_buf_printf(&b, "%s%s", j ? "," : "",
			    ag->items[j]->str);
		out->failed |= b.failed;
		answered = ct_rec_date(resp, "date", &d) && d <= today;
		status = answered ? CT_NOTICE_ANSWERED : due < today ?
		    CT_NOTICE_OVERDUE : CT_NOTICE_OPEN;
		ct_rows_set(out, CT_NOTICE_COL_CASE, case_id ? case_id : "");
		ct_rows_set(out, CT_NOTICE_COL_NOTICE, ct_rec_str_or(n, "id", ""));
		ct_rows_set(out, CT_NOTICE_COL_KIND, ct_rec_str_or(n, "kind", ""));
		ct_rows_set(out, CT_NOTICE_COL_RECEIVED,
		    ct_date_format(rec, day));
		ct_rows_set(out, CT_NOTICE_COL_DUE, ct_date_format(due, day));
		ct_rows_set(out, CT_NOTICE_COL_ASKS, ct_rec_str_or(n, "asks", ""));
		ct_rows_set(out, CT_NOTICE_COL_AGENCIES, b.s);
		ct_rows_set(out, CT_NOTICE_COL_REFERENCE,
		    ct_map_str(n, "reference"));
		ct_rows_set(out, CT_NOTICE_COL_STATUS,
		    ct_notice_status_name(status));
		ct_rows_setf(out, CT_NOTICE_COL_DAYS, "%d", (int)(due - today));
		if (answered)
			row_response(out, resp, d);
		ct_buf_free(&b);
	}
	return out->failed ? ct_nomem(err) : 0;
}

/*
 * The transaction of one authority-notice write.
 */
static int
subject(ct_txn *txn, const ct_notice_op *op, ct_error *err)
{
	char a[CT_DATE_BUFSZ], b[CT_DATE_BUFSZ];
	char *s = NULL;
	int rc;

	if (op->action == CT_NOTICE_ADD)
		rc = asprintf(&s, "%s Authority notice %s received %s (%s, due "
		    "%s)", op->case_id, op->id, ct_date_format(op->req.received,
		    a), op->req.kind, ct_date_format(op->req.due, b));
	else
		rc = asprintf(&s, "%s Authority notice %s responded to on %s",
		    op->case_id, op->id, ct_date_format(op->date, a));
	if (rc < 0)
		return ct_nomem(err);
	rc = ct_txn_set_subject(txn, s, err);
	free(s);
	return rc;
}

int
ct_notice_apply(ct_txn *txn, void *arg, ct_error *err)
{
	ct_notice_op *op = arg;
	ct_node *c = NULL, *agencies = NULL, *doc = NULL;
	char *path = NULL;
	const char *me = ct_txn_operator(txn), *id = NULL;
	bool changed = false;
	int rc;

	op->id[0] = '\0';
	if ((rc = ct_case_path(op->case_id, CT_NOTICES_REL, &path, err)) < 0 ||
	    (rc = ct_txn_load_case(txn, op->case_id, &c, err)) < 0)
		goto out;
	if (!ct_streq(ct_map_str(c, "jurisdiction"), "VIC")) {
		rc = ct_error_set(err, CT_EINVALID, "case %s is not a VIC case: "
		    "Post-Sentence Authority notices are kept under the Serious "
		    "Offenders Act 2018 (Vic)", op->case_id);
		goto out;
	}
	if (me == NULL) {
		rc = ct_error_set(err, CT_EINVALID, "recording an Authority "
		    "notice needs a registered operator");
		goto out;
	}
	if ((rc = ct_txn_require_role(txn, "recording an Authority notice",
	    me, CT_ROLE_SOCT_OFFICER, err)) < 0 ||
	    (rc = ct_txn_load(txn, CT_AGENCIES_PATH, &agencies,
	    err)) < 0)
		goto out;
	rc = ct_txn_load(txn, path, &doc, err);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		rc = 0;
		if (op->action == CT_NOTICE_RESPOND) {
			rc = ct_error_set(err, CT_EINVALID, "%s: no Authority "
			    "notice '%s' (the case has no notices)",
			    op->case_id, op->notice);
			goto out;
		}
	} else if (rc < 0)
		goto out;
	else if (!ct_streq(ct_map_str(doc, "case"), op->case_id)) {
		rc = ct_error_at(err, path, ct_map_get(doc, "case"), "case: "
		    "'%s' is not the case it is filed under",
		    ct_map_str(doc, "case"));
		goto out;
	} else if ((rc = ct_notices_check(doc, agencies, path, err)) < 0)
		goto out;
	if (op->action == CT_NOTICE_ADD)
		rc = ct_notice_add(&doc, op->case_id, agencies, &op->req,
		    op->today, &id, &changed, err);
	else {
		rc = ct_notice_respond(doc, op->case_id, op->notice, op->date,
		    op->summary, op->ref, op->today, &changed, err);
		id = op->notice;
	}
	if (rc < 0)
		goto out;
	snprintf(op->id, sizeof(op->id), "%s", id ? id : "");
	if (!changed)
		goto out;
	if ((rc = ct_notices_check(doc, agencies, path, err)) < 0 ||
	    (rc = subject(txn, op, err)) < 0)
		goto out;
	rc = ct_txn_put(txn, path, doc, err);
out:
	ct_node_free(c);
	ct_node_free(agencies);
	ct_node_free(doc);
	free(path);
	return rc;
}

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
#include "casetrail/output.h"
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
static void
row_free(ct_notice_row *r)
{
	free(r->case_id);
	free(r->id);
	free(r->kind);
	free(r->asks);
	free(r->agencies);
	free(r->ref);
	free(r->summary);
	free(r->response_ref);
}

void
ct_notice_rows_clear(ct_notice_rows *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		row_free(&r->v[i]);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

void
ct_notice_rows_drop(ct_notice_rows *r, size_t i)
{
	if (i >= r->n)
		return;
	row_free(&r->v[i]);
	memmove(&r->v[i], &r->v[i + 1], (r->n - i - 1) * sizeof(*r->v));
	r->n--;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

int
ct_notices_rows(const ct_node *doc, ct_date today, ct_notice_rows *out,
    ct_error *err)
{
	const ct_node *list = ct_map_get(doc, "notices");
	const char *case_id = ct_map_str(doc, "case");
	ct_notice_row *grown, *u;
	size_t i, j;

	for (i = 0; i < ct_rec_len(list); i++) {
		const ct_node *n = list->items[i];
		const ct_node *ag = ct_map_get(n, "agencies");
		const ct_node *resp = ct_map_get(n, "response");
		ct_date rec, due, d;
		ct_buf b = { 0 };

		if (!ct_rec_date(n, "received", &rec) || rec > today ||
		    !ct_rec_date(n, "due", &due))
			continue;
		if (out->n == out->cap) {
			size_t cap = out->cap ? out->cap * 2 : 16;

			if ((grown = realloc(out->v, cap * sizeof(*grown))) ==
			    NULL)
				return ct_nomem(err);
			out->v = grown;
			out->cap = cap;
		}
		u = &out->v[out->n++];
		memset(u, 0, sizeof(*u));
		ct_buf_puts(&b, "");
		for (j = 0; j < ct_rec_len(ag); j++)
			ct_buf_printf(&b, "%s%s", j ? "," : "",
			    ag->items[j]->str);
		u->agencies = b.s;
		u->case_id = strdup(case_id ? case_id : "");
		u->id = strdup(ct_map_str(n, "id") ? ct_map_str(n, "id") : "");
		u->kind = strdup(ct_map_str(n, "kind") ?
		    ct_map_str(n, "kind") : "");
		u->asks = strdup(ct_map_str(n, "asks") ?
		    ct_map_str(n, "asks") : "");
		u->ref = dup_or_null(ct_map_str(n, "reference"));
		if (b.failed || !u->case_id || !u->id || !u->kind ||
		    !u->asks || (ct_map_str(n, "reference") && !u->ref))
			return ct_nomem(err);
		u->received = rec;
		u->due = due;
		u->days = (int)(due - today);
		if (ct_rec_date(resp, "date", &d) && d <= today) {
			u->status = CT_NOTICE_ANSWERED;
			u->answered = d;
			u->summary = dup_or_null(ct_map_str(resp, "summary"));
			u->response_ref = dup_or_null(ct_map_str(resp,
			    "reference"));
			if (u->summary == NULL ||
			    (ct_map_str(resp, "reference") && !u->response_ref))
				return ct_nomem(err);
		} else
			u->status = due < today ? CT_NOTICE_OVERDUE :
			    CT_NOTICE_OPEN;
	}
	return 0;
}

static int
cmp_row(const void *a, const void *b)
{
	const ct_notice_row *x = a, *y = b;
	int r;

	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	if ((r = strcmp(x->case_id, y->case_id)) != 0)
		return r;
	if (strlen(x->id) != strlen(y->id))
		return strlen(x->id) < strlen(y->id) ? -1 : 1;
	return strcmp(x->id, y->id);
}

void
ct_notice_rows_sort(ct_notice_rows *r)
{
	if (r->n > 1)
		qsort(r->v, r->n, sizeof(*r->v), cmp_row);
}

void
ct_notice_rows_json(const ct_notice_rows *r, ct_buf *b)
{
	char d[3][CT_DATE_BUFSZ];
	const char *p, *comma;
	size_t i;

	ct_buf_puts(b, "[");
	for (i = 0; i < r->n; i++) {
		const ct_notice_row *u = &r->v[i];
		bool answered = u->status == CT_NOTICE_ANSWERED;

		ct_buf_puts(b, i ? ",\n  {\n" : "\n  {\n");
		ct_json_field(b, "case", u->case_id, false);
		ct_json_field(b, "notice", u->id, false);
		ct_json_field(b, "kind", u->kind, false);
		ct_json_field(b, "received", ct_date_format(u->received, d[0]), false);
		ct_json_field(b, "due", ct_date_format(u->due, d[1]), false);
		ct_json_field(b, "asks", u->asks, false);
		ct_buf_puts(b, "    \"agencies\": [");
		for (p = u->agencies; *p != '\0'; p = *comma ? comma + 1 :
		    comma) {
			char *one;

			comma = strchr(p, ',');
			if (comma == NULL)
				comma = p + strlen(p);
			if ((one = strndup(p, (size_t)(comma - p))) == NULL) {
				b->failed = true;
				return;
			}
			if (p != u->agencies)
				ct_buf_puts(b, ", ");
			ct_json_str(b, one);
			free(one);
		}
		ct_buf_puts(b, "],\n");
		ct_json_field(b, "reference", u->ref, false);
		ct_json_field(b, "status", ct_notice_status_name(u->status), false);
		ct_buf_printf(b, "    \"days\": %d,\n", u->days);
		ct_json_field(b, "responded", answered ?
		    ct_date_format(u->answered, d[2]) : NULL, false);
		ct_json_field(b, "summary", answered ? u->summary : NULL, false);
		ct_json_field(b, "response_reference", answered ? u->response_ref :
		    NULL, true);
		ct_buf_puts(b, "  }");
	}
	ct_buf_puts(b, r->n ? "\n]\n" : "]\n");
}

void
ct_notice_rows_csv(const ct_notice_rows *r, ct_buf *b)
{
	char d[3][CT_DATE_BUFSZ], num[24];
	const char *cells[13];
	size_t i, k;

	ct_buf_puts(b, "case,notice,kind,received,due,asks,agencies,reference,"
	    "status,days,responded,summary,response_reference\r\n");
	for (i = 0; i < r->n; i++) {
		const ct_notice_row *u = &r->v[i];
		bool answered = u->status == CT_NOTICE_ANSWERED;

		snprintf(num, sizeof(num), "%d", u->days);
		cells[0] = u->case_id;
		cells[1] = u->id;
		cells[2] = u->kind;
		cells[3] = ct_date_format(u->received, d[0]);
		cells[4] = ct_date_format(u->due, d[1]);
		cells[5] = u->asks;
		cells[6] = u->agencies;
		cells[7] = u->ref ? u->ref : "";
		cells[8] = ct_notice_status_name(u->status);
		cells[9] = num;
		cells[10] = answered ? ct_date_format(u->answered, d[2]) : "";
		cells[11] = answered && u->summary ? u->summary : "";
		cells[12] = answered && u->response_ref ? u->response_ref : "";
		for (k = 0; k < 13; k++) {
			if (k > 0)
				ct_buf_putc(b, ',');
			ct_csv_cell(b, cells[k]);
		}
		ct_buf_puts(b, "\r\n");
	}
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

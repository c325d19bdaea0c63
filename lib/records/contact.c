/*
 * Contacts with the offender (ACT-CONTACT): contacts.yaml of a case, one
 * entry per contact in date order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/case.h"
#include "casetrail/contact.h"
#include "casetrail/kind.h"
#include "casetrail/record.h"
#include "casetrail/registry.h"
#include "casetrail/trailers.h"
#include "casetrail/util.h"

const char *const ct_contact_kinds[] = {
	"in-person", "phone", "video", "other", NULL,
};

/* The writer's roles that may record a contact. */

static size_t
count_of(char **v)
{
	size_t n = 0;

	while (v != NULL && v[n] != NULL)
		n++;
	return n;
}

int
ct_contact_check(const ct_contact_op *op, ct_error *err)
{
	char a[CT_DATE_BUFSZ], b[CT_DATE_BUFSZ];
	size_t i, n;
	int rc;

	if (!ct_in_list(ct_contact_kinds, op->kind))
		return ct_error_set(err, CT_EINVALID, "--kind: '%s' is not a "
		    "kind of contact (in-person, phone, video or other)",
		    op->kind ? op->kind : "");
	if (op->date > op->today)
		return ct_error_set(err, CT_EINVALID, "--date: %s is after "
		    "today (%s): record a contact once it has happened",
		    ct_date_format(op->date, a), ct_date_format(op->today, b));
	if (op->summary == NULL)
		return ct_error_set(err, CT_EINVALID, "--summary is required: "
		    "one short line saying what the contact was for");
	if ((rc = ct_text_check("--summary", op->summary, err)) < 0)
		return rc;
	if ((n = ct_utf8_chars(op->summary)) > CT_CONTACT_SUMMARY_MAX)
		return ct_error_set(err, CT_EINVALID, "--summary: %zu "
		    "characters, at most %d: say briefly and factually what the "
		    "contact was for; a contact is recorded here, case notes "
		    "are kept elsewhere", n, CT_CONTACT_SUMMARY_MAX);
	if (count_of(op->staff) > CT_CONTACT_PEOPLE_MAX ||
	    count_of(op->others) > CT_CONTACT_PEOPLE_MAX)
		return ct_error_set(err, CT_EINVALID, "at most %d --staff and "
		    "%d --others", CT_CONTACT_PEOPLE_MAX, CT_CONTACT_PEOPLE_MAX);
	for (i = 0; op->others != NULL && op->others[i] != NULL; i++) {
		if ((rc = ct_text_check("--others", op->others[i], err)) < 0)
			return rc;
		if (ct_utf8_chars(op->others[i]) > CT_CONTACT_OTHER_MAX)
			return ct_error_set(err, CT_EINVALID, "--others: '%.40s"
			    "...' is longer than %d characters: name others "
			    "who took part by their role", op->others[i],
			    CT_CONTACT_OTHER_MAX);
	}
	return 0;
}

static ct_node *
strlist(char **v)
{
	ct_node *l = ct_node_new_seq(), *s;
	size_t i;

	for (i = 0; l != NULL && v[i] != NULL; i++)
		if ((s = ct_node_new_str(v[i])) == NULL ||
		    ct_seq_push(l, s) < 0) {
			ct_node_free(s);
			ct_node_free(l);
			return NULL;
		}
	return l;
}

static int
entry_node(const ct_contact_op *op, const char *who, ct_node **out,
    ct_error *err)
{
	char *self[] = { (char *)who, NULL };
	ct_node *e;
	int rc;

	*out = NULL;
	if ((e = ct_node_new_map()) == NULL)
		return ct_nomem(err);
	if ((rc = ct_rec_set_date(e, "date", op->date, err)) < 0 ||
	    (rc = ct_rec_set_str(e, "kind", op->kind, err)) < 0 ||
	    (rc = ct_rec_set_str(e, "summary", op->summary, err)) < 0 ||
	    (rc = ct_rec_set(e, "staff", strlist(op->staff ? op->staff : self),
	    err)) < 0 ||
	    (op->others != NULL &&
	    (rc = ct_rec_set(e, "others", strlist(op->others), err)) < 0) ||
	    (rc = ct_rec_set_str(e, "by", who, err)) < 0) {
		ct_node_free(e);
		return rc;
	}
	*out = e;
	return 0;
}

/* The writer may record contacts; every staff member is registered. */
static int
check_people(ct_txn *txn, const ct_contact_op *op, const char *who,
    ct_error *err)
{
	ct_node *ops = NULL;
	const ct_node *me;
	char roles[128];
	size_t i;
	int rc;

	if ((rc = ct_txn_load(txn, CT_OPERATORS_PATH, &ops,
	    err)) < 0)
		return rc;
	me = ct_registry_find(ops, "operators", "id", who);
	if (!ct_kind_writer(&ct_kinds[CT_KIND_CONTACTS], me))
		rc = ct_error_set(err, CT_EINVALID, "the writer: '%s' is not a "
		    "registered operator with the %s role: contacts are "
		    "recorded by case managers", who, ct_kind_writers_text(
		    &ct_kinds[CT_KIND_CONTACTS], roles, sizeof(roles)));
	for (i = 0; rc == 0 && op->staff != NULL && op->staff[i] != NULL; i++)
		if (ct_registry_find(ops, "operators", "id",
		    op->staff[i]) == NULL)
			rc = ct_error_set(err, CT_EINVALID, "--staff: '%s' is "
			    "not a registered operator (name others who took "
			    "part with --others, by role)", op->staff[i]);
	ct_node_free(ops);
	return rc;
}

int
ct_contact_add(ct_txn *txn, void *arg, ct_error *err)
{
	ct_contact_op *op = arg;
	const char *who = ct_txn_operator(txn), *j;
	ct_node *c = NULL, *doc = NULL, *list, *e = NULL;
	char *path = NULL, date[CT_DATE_BUFSZ];
	size_t i;
	int rc;

	op->added = false;
	op->count = 0;
	if (who == NULL)
		return ct_error_set(err, CT_EINVALID, "register operators "
		    "first (registry add-operator)");
	if ((rc = ct_case_path(op->case_id, CT_CONTACTS_REL, &path, err)) < 0 ||
	    (rc = ct_txn_load_case(txn, op->case_id, &c, err)) < 0)
		goto out;
	j = ct_map_str(c, "jurisdiction");
	if (j == NULL || strcmp(j, "ACT") != 0) {
		rc = ct_error_set(err, CT_EINVALID, "%s is a %s case: contacts "
		    "are kept for ACT cases (ACT-CONTACT)", op->case_id,
		    j ? j : "?");
		goto out;
	}
	if ((rc = check_people(txn, op, who, err)) < 0)
		goto out;
	rc = ct_txn_load(txn, path, &doc, err);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		if ((doc = ct_node_new_map()) == NULL ||
		    (rc = ct_rec_set_str(doc, "case", op->case_id, err)) < 0 ||
		    (rc = ct_rec_set(doc, "contacts", ct_node_new_seq(),
		    err)) < 0)
			goto out_nomem;
	}
	if (rc < 0)
		goto out;
	list = ct_map_get(doc, "contacts");
	if ((rc = entry_node(op, who, &e, err)) < 0)
		goto out;
	for (i = 0; i < list->n; i++)
		if (ct_node_equal(list->items[i], e)) {
			op->count = list->n;
			goto out;
		}
	ct_date_format(op->date, date);
	for (i = list->n; i > 0; i--) {
		const char *d = ct_map_str(list->items[i - 1], "date");

		if (d != NULL && strcmp(d, date) <= 0)
			break;
	}
	if (ct_seq_insert(list, i, e) < 0)
		goto out_nomem;
	e = NULL;
	op->added = true;
	op->count = list->n;
	rc = ct_txn_put(txn, path, doc, err);
	goto out;
out_nomem:
	rc = ct_nomem(err);
out:
	ct_node_free(e);
	ct_node_free(c);
	ct_node_free(doc);
	free(path);
	return rc;
}

/*
 * Work queues (queue.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/case.h"
#include "casetrail/kind.h"
#include "casetrail/queue.h"
#include "casetrail/registry.h"
#include "casetrail/util.h"

/* s is one of the NULL-terminated v (NULL: none). */
static bool
in(char **v, const char *s)
{
	return v != NULL && ct_in_list((const char *const *)v, s);
}

static int
push(char ***v, size_t *n, const char *s, ct_error *err)
{
	char **grown = realloc(*v, (*n + 2) * sizeof(*grown));

	if (grown == NULL || (grown[*n] = strdup(s)) == NULL) {
		if (grown != NULL)
			*v = grown;
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	grown[++*n] = NULL;
	*v = grown;
	return 0;
}

/* The ids of the operators whose field is value, into *v. */
static int
operators_with(ct_snapshot *snap, const char *field, const char *value,
    char ***v, ct_error *err)
{
	ct_node *ops = NULL;
	const ct_node *list;
	size_t i, n = 0;
	int rc;

	if ((rc = ct_snapshot_load(snap, CT_OPERATORS_PATH, &ops, err)) < 0)
		return rc;
	list = ct_map_get(ops, "operators");
	for (i = 0; rc == 0 && list != NULL && list->kind == CT_NODE_SEQ &&
	    i < list->n; i++)
		if (ct_streq(ct_map_str(list->items[i], field), value) &&
		    ct_map_str(list->items[i], "id") != NULL)
			rc = push(v, &n, ct_map_str(list->items[i], "id"), err);
	ct_node_free(ops);
	return rc;
}

/* The operators of the agency, which must be registered. */
static int
agency_staff(ct_queue *q, ct_snapshot *snap, ct_error *err)
{
	ct_node *ags = NULL;
	int rc;

	if ((rc = ct_snapshot_load(snap, CT_AGENCIES_PATH, &ags, err)) < 0)
		return rc;
	if (ct_registry_find(ags, "agencies", "id", q->agency) == NULL)
		rc = ct_error_set(err, CT_EINVALID, "--agency: no agency '%s' "
		    "in %s", q->agency, CT_AGENCIES_PATH);
	ct_node_free(ags);
	return rc < 0 ? rc : operators_with(snap, "agency", q->agency,
	    &q->staff, err);
}

/* The rules of the plans the role approves. */
static int
role_rules(ct_queue *q, ct_snapshot *snap, ct_error *err)
{
	const ct_approval *a;
	ct_node *settings = NULL;
	char approval[96];
	size_t n = 0;
	int rc;

	if ((rc = ct_snapshot_load(snap, CT_SETTINGS_PATH, &settings,
	    err)) < 0)
		return rc;
	for (a = ct_kinds[CT_KIND_CMP].approvals; rc == 0 && a->file != NULL;
	    a++) {
		if (!ct_streq(ct_kind_approval_role(a, settings), q->role))
			continue;
		snprintf(approval, sizeof(approval), "%s-APPROVAL", a->rule);
		if ((rc = push(&q->rules, &n, a->rule, err)) == 0)
			rc = push(&q->rules, &n, approval, err);
	}
	if (rc == 0 && n == 0)
		rc = ct_error_set(err, CT_EINVALID, "--role: %s approves no "
		    "plan in this store: a queue is kept for an approving role "
		    "(casetrail.yaml approval_roles)", q->role);
	ct_node_free(settings);
	return rc;
}

int
ct_queue_open(ct_queue *q, ct_snapshot *snap, ct_error *err)
{
	ct_node *ops = NULL;
	int rc = 0;

	if (q->manager != NULL) {
		if ((rc = ct_snapshot_load(snap, CT_OPERATORS_PATH, &ops,
		    err)) < 0)
			return rc;
		if (ct_registry_find(ops, "operators", "id", q->manager) ==
		    NULL)
			rc = ct_error_set(err, CT_EINVALID, "--manager: no "
			    "operator '%s' in %s", q->manager,
			    CT_OPERATORS_PATH);
		ct_node_free(ops);
	}
	if (rc == 0 && q->agency != NULL)
		rc = agency_staff(q, snap, err);
	if (rc == 0 && q->role != NULL)
		rc = role_rules(q, snap, err);
	if (rc == 0 && q->team != NULL &&
	    (rc = operators_with(snap, "team", q->team, &q->members,
	    err)) == 0 && q->members == NULL)
		rc = ct_error_set(err, CT_EINVALID, "--team: no operator of "
		    "team '%s' in %s", q->team, CT_OPERATORS_PATH);
	return rc;
}

bool
ct_queue_has(const ct_queue *q, const ct_finding *f)
{
	if (q->manager != NULL && !ct_streq(f->manager, q->manager))
		return false;
	if (q->agency != NULL && !ct_streq(f->agency, q->agency) &&
	    !in(q->staff, f->manager))
		return false;
	if (q->team != NULL && !in(q->members, f->manager))
		return false;
	return q->role == NULL || in(q->rules, ct_rule_id(f->rule));
}

void
ct_queue_clear(ct_queue *q)
{
	ct_strv_free(q->staff);
	ct_strv_free(q->rules);
	ct_strv_free(q->members);
	q->staff = q->rules = q->members = NULL;
}

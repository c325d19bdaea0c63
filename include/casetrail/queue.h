/*
 * casetrail work queues: the findings one person or office acts on
 * (deadline-check --manager, --agency, --role).
 *
 *   manager  the cases whose manager is that operator;
 *   agency   the obligations of that agency (a service-delivery request
 *            to it), and the cases whose manager belongs to it;
 *   team     the cases whose manager is of that team (the registry's
 *            operators' team);
 *   role     what that role must do: for an approving role (the settings'
 *            approval_roles, else the record-kind table's), the plans
 *            waiting for its approval -- the rule that asks for the
 *            approval and its -APPROVAL rule.
 *
 * Given together they must all hold.
 */
#ifndef CASETRAIL_QUEUE_H
#define CASETRAIL_QUEUE_H

#include <stdbool.h>

#include "casetrail/error.h"
#include "casetrail/rules.h"
#include "casetrail/store.h"

typedef struct ct_queue {
	const char *manager, *agency, *role, *team;   /* NULL: any */
	char **staff;      /* the agency's operators (resolved) */
	char **members;    /* the team's operators (resolved) */
	char **rules;      /* the role's rules (resolved) */
} ct_queue;

/* Resolve q against the snapshot's registry and settings: CT_EINVALID
 * for a manager, agency, team or role the registry does not know, or a
 * role with no queue. */
int ct_queue_open(ct_queue *q, ct_snapshot *snap, ct_error *err);

bool ct_queue_has(const ct_queue *q, const ct_finding *f);

void ct_queue_clear(ct_queue *q);

#endif

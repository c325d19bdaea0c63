/*
 * casetrail pre-release report requests (ACT Corrections Management (Case
 * Management) Policy 2022, The pre-release stage): "the Sentence
 * Administration Board (SAB) Secretariat may request that an offender's
 * pre-release report be prepared for submission to the SAB.  Once this
 * request is received, a Community Corrections Officer must be allocated
 * to develop the pre-release report with the offender."
 *
 * Kept in cases/<xx>/<id>/sab-reports.yaml: each request with the
 * Secretariat's reference, the day it was received, the officer allocated
 * (a registered operator with the community-corrections-officer role),
 * the report's due date and, once done, its completion.  Rule
 * ACT-SAB-REPORT (rules/deadlines.yaml) reports a report not completed by
 * its due date.
 *
 * Functions return 0 or a negative CT_E* code with err set.
 */
#ifndef CASETRAIL_SABREPORT_H
#define CASETRAIL_SABREPORT_H

#include <stdbool.h>

#include "casetrail/date.h"
#include "casetrail/error.h"
#include "casetrail/role.h"
#include "casetrail/store.h"

#define CT_SAB_REL "sab-reports.yaml"
#define CT_SAB_SCHEMA "sab-reports"

typedef enum ct_sab_action {
	CT_SAB_REQUEST,     /* a request received, officer allocated */
	CT_SAB_COMPLETE,    /* the report completed */
} ct_sab_action;

typedef struct ct_sab_op {
	ct_sab_action action;
	const char *case_id;
	const char *ref;        /* the Secretariat's reference */
	ct_date requested;      /* request: the day it was received */
	const char *officer;    /* request: the officer allocated */
	ct_date due;            /* request: the report's due date */
	ct_date completed;      /* complete: the day it was completed */
	ct_date today;

	/* out */
	bool changed;           /* false: the same was already recorded */
} ct_sab_op;

/* Check a reference: [A-Za-z0-9][A-Za-z0-9._/-]{0,39}. */
int ct_sab_ref_check(const char *ref, ct_error *err);

/*
 * The transaction (arg is a ct_sab_op).  Both actions: the case exists,
 * is an ACT case of a sentenced offender, and the writer is registered
 * with the case-manager, community-corrections-officer or
 * community-team-leader role; no date after today.  request: the officer
 * has the community-corrections-officer role, the due date is not before
 * the request, the reference is new (the same request again changes
 * nothing).  complete: the request exists, is not completed (the same
 * completion again changes nothing), and the day is not before the
 * request.
 */
int ct_sab_apply(ct_txn *txn, void *arg, ct_error *err);

#endif

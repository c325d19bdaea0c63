/*
 * casetrail Coordinated Services Plans (Serious Offenders Act 2018, Vic):
 * the record cases/<xx>/<id>/csp.yaml and every change the csp-* tools
 * make to it (DESIGN.md §4: VIC-CSP-REQUIRED, VIC-CSP-REVIEW,
 * VIC-CSP-ENDORSE, VIC-SDU).
 *
 * A plan has a version (1, 2, ...) and a status: draft until the
 * Multi-Agency Panel (MAP) endorses that version, then endorsed.  A review
 * opens the next version as a draft from the endorsed one.  The plan keeps
 * its history of endorsements (every version's MAP meeting, date and
 * committing agencies), of reviews opened and of service-delivery update
 * requests, so that while version N+1 is a draft the review clock still
 * runs from version N's endorsement and the plan is still endorsed.  The
 * text of earlier versions is in git history.
 *
 * Services name registered agencies: "agency" delivers the service or
 * funds its "provider" (a funded service).  Endorsement (VIC-CSP-ENDORSE;
 * DFFH factsheet: "The endorsement of a plan by the MAP commits the MAP
 * members agencies and their funded services to the delivery of the
 * specified services") needs every MAP member agency answerable for a
 * planned or active
 * service to commit: the service's agency when it is a MAP member, else
 * the member that funds it (registry funded_by), and likewise for its
 * provider; every committing agency must be a MAP member.
 *
 * The editable part of a plan, given to csp-new from a file or an editor,
 * is a mapping with "services" (required) and "comments"; the tools keep
 * every other field.
 *
 * Every function returns 0 or a negative CT_E* code with err set; record
 * errors name "file:line:column: field: ...".  Nodes passed in stay owned
 * by the caller; *out nodes and strings are the caller's to free.
 */
#ifndef CASETRAIL_CSP_H
#define CASETRAIL_CSP_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/buf.h"
#include "casetrail/date.h"
#include "casetrail/error.h"
#include "casetrail/rows.h"
#include "casetrail/store.h"
#include "casetrail/yaml.h"

#define CT_CSP_REL "csp.yaml" /* in the case directory */
#define CT_CSP_SCHEMA "csp"

/* What a write does; the Action trailer is ct_csp_action_name(). */
typedef enum ct_csp_action {
	CT_CSP_NEW,
	CT_CSP_REVIEW,
	CT_CSP_REQUEST,
	CT_CSP_RECORD,
	CT_CSP_ENDORSE,
} ct_csp_action;

/* "new", "review", "request", "record", "endorse". */
const char *ct_csp_action_name(ct_csp_action a);

/* CT_EINVALID unless the case record casedoc (of case_id) may have a plan:
 * a VIC case. */
int ct_csp_case_check(const ct_node *casedoc, const char *case_id,
    ct_error *err);

/* True when the case record has an open (not ended) Supervision Order or
 * Interim Supervision Order. */
bool ct_csp_case_supervised(const ct_node *casedoc);

/*
 * Load the editable part of a plan from buf[0..len) (YAML; name is used in
 * messages) and check it: only services and comments, valid against the
 * plan's schema, service ids unique, every agency and provider registered
 * in agencies (the registry/agencies.yaml document), a provider other
 * than the agency, a start date on every active or ceased service.
 */
int ct_csp_input_load(const char *buf, size_t len, const char *name,
    const ct_node *agencies, ct_node **out, ct_error *err);

/* The same checks on an input already loaded. */
int ct_csp_input_check(const ct_node *input, const char *name,
    const ct_node *agencies, ct_error *err);

/*
 * The text an editor starts from: for a new plan (csp NULL) a commented
 * skeleton with one service to fill in, naming the registered agencies;
 * for a review, the services and comments of the plan csp.  *out is owned
 * by the caller.
 */
int ct_csp_template(const char *case_id, const ct_node *csp,
    const ct_node *agencies, char **out, ct_error *err);

/*
 * Check a whole plan (already valid against its schema) for what the
 * schema can not say: the services as in ct_csp_input_check; endorsements
 * in version and date order, the last one of this version exactly when
 * the status is endorsed; reviews of versions up to this one; request ids
 * unique, due and received on or after requested, an answer (delivered,
 * next) exactly on received requests, at most one open request per
 * agency.  file names the plan in messages.
 */
int ct_csp_check(const ct_node *csp, const ct_node *agencies,
    const char *file, ct_error *err);

/* A new plan: version 1, draft, from input. */
int ct_csp_new(const char *case_id, const ct_node *input, ct_node **out,
    ct_error *err);

/* CT_EINVALID unless the plan may be reviewed (it is endorsed; an open
 * draft is an error). */
int ct_csp_can_review(const ct_node *csp, const char *case_id,
    ct_error *err);

/*
 * Open the next version as a draft, on the day opened; its services and
 * comments are input's, or (input NULL) the endorsed version's.  reason
 * (may be NULL) is kept in the review entry.
 */
int ct_csp_review(ct_node *csp, const char *case_id, const ct_node *input,
    ct_date opened, const char *reason, ct_error *err);

/*
 * VIC-CSP-ENDORSE: record the MAP's endorsement of the draft at meeting
 * on date (not after today, not before the previous endorsement or the
 * review opened) with the committing agencies (NULL-terminated, duplicates
 * ignored).  Every committing agency must be a registered MAP member, and
 * every member answerable for a planned or active service must be among
 * them; the messages list every one missing.
 */
int ct_csp_endorse(ct_node *csp, const char *case_id,
    const ct_node *agencies, const char *meeting, ct_date date,
    ct_date today, char *const *committed, ct_error *err);

/*
 * VIC-SDU: request a service-delivery update, on the day requested, due
 * on due, via "conference" or "written", from each agency of the
 * NULL-terminated list; "all" alone means the provider (else the agency)
 * of every active service.  Each must be named in the plan as a service's
 * agency or provider.  An agency with the same request open is skipped;
 * one with another open request is an error, except with "all", which
 * skips every agency with an open request.  *asked gets the agencies
 * asked, comma-separated ("" when none; owned by the caller).
 */
int ct_csp_request(ct_node *csp, const char *case_id, char *const *agencies,
    const char *via, ct_date requested, ct_date due, char **asked,
    ct_error *err);

/*
 * Record the answer of agency to its open request: received on received
 * (not before the request, not after today), the services delivered in
 * the previous six months and the plan and treatment goals for the next.
 * *id gets the request's id (borrowed from csp).
 */
int ct_csp_record(ct_node *csp, const char *case_id, const char *agency,
    ct_date received, ct_date today, const char *delivered,
    const char *next, const char **id, ct_error *err);

/* An answer from a file: a mapping with the texts delivered and next
 * (both required).  *delivered and *next are owned by the caller. */
int ct_csp_answer_load(const char *buf, size_t len, const char *name,
    char **delivered, char **next, ct_error *err);

/*
 * The requests of plans, for listing.  A request counts from its
 * requested day, and an answer from its received day: later ones have not
 * happened as of today.
 */
typedef enum ct_sdu_status {
	CT_SDU_OVERDUE,      /* not received, past its due date */
	CT_SDU_OUTSTANDING,  /* not received, due today or later */
	CT_SDU_RECEIVED,
} ct_sdu_status;

/* "overdue", "outstanding", "received". */
const char *ct_sdu_status_name(ct_sdu_status s);

/*
 * The request list is a row table (rows.h) of ct_sdu_report: one row a
 * request, the cells its fields, in the JSON and CSV order: case,
 * request, version, agency, via, requested, due, received (null when not
 * received), status (ct_sdu_status_name), days (due - today).  Text shows
 * DUE, STATUS, DAYS, CASE, REQUEST, AGENCY, VIA, REQUESTED, RECEIVED.
 */
enum {
	CT_SDU_COL_CASE, CT_SDU_COL_REQUEST, CT_SDU_COL_VERSION,
	CT_SDU_COL_AGENCY, CT_SDU_COL_VIA, CT_SDU_COL_REQUESTED,
	CT_SDU_COL_DUE, CT_SDU_COL_RECEIVED, CT_SDU_COL_STATUS,
	CT_SDU_COL_DAYS, CT_SDU_NCOLS
};
extern const ct_rowspec ct_sdu_report;
/* By due date, case, request id. */
extern const ct_sortkey ct_sdu_order[];

/* Append the requests of the plan csp that count as of today to out, a
 * table of ct_sdu_report. */
int ct_csp_sdus(const ct_node *csp, ct_date today, ct_rows *out,
    ct_error *err);

/*
 * One write of a csp-* tool on one case: a ct_txn_fn whose arg is a
 * ct_csp_op.  It loads the case (which must exist and be a VIC case), the
 * agency registry and the plan as the transaction sees them, checks the
 * writer's role (soct-officer; for an endorsement soct-officer or
 * map-member), applies the action, checks the plan and puts it with its
 * schema, and sets the commit subject.  The results are reset on every
 * run (a lost race runs it again).
 */
typedef struct ct_csp_op {
	ct_csp_action action;
	const char *case_id;
	ct_date today;
	/* new, review */
	const ct_node *input;       /* review: NULL keeps the services */
	const char *reason;         /* review: kept in the review entry */
	/* endorse */
	const char *meeting;
	ct_date date;
	/* endorse (committing), request (asked) */
	char *const *agencies;
	/* request */
	const char *via;
	ct_date due;
	/* record */
	const char *agency;
	ct_date received;
	const char *delivered, *next;

	/* results */
	bool unsupervised;          /* new, review: no open SO or ISO */
	int version;                /* the plan's version after the write */
} ct_csp_op;

int ct_csp_apply(ct_txn *txn, void *op, ct_error *err);

#endif

/*
 * casetrail Post-Sentence Authority notices (Serious Offenders Act 2018,
 * Vic): the record cases/<xx>/<id>/authority-notices.yaml and the changes
 * the authority-notice tool makes to it (rule VIC-AUTHORITY-NOTICE).
 *
 * The Authority monitors the progress and compliance of offenders on
 * post-sentence orders, issues instructions and directions about
 * conditions and may seek updates and reports from the departments; the
 * Serious Offenders Coordination Team (SOCT) "coordinates, responds and
 * reports on notices from the Authority" (DFFH factsheet).  Each notice
 * is an entry of the record's list "notices": its id (n1, n2, ...), the
 * day received, its kind, what it asks, its due date, the registered
 * agencies asked to contribute, the Authority's reference, and, once
 * given, SOCT's response (date, summary, reference).  One response per
 * notice: a further exchange on the same matter is a new notice.
 *
 * The deadline rule reads the list as data (rules/deadlines.yaml): each
 * notice is due on its due date and met by its response's date.
 *
 * Every function returns 0 or a negative CT_E* code with err set; record
 * errors name "file:line:column: field: ...".  Nodes passed in stay owned
 * by the caller; *out nodes and strings are the caller's to free.
 */
#ifndef CASETRAIL_NOTICE_H
#define CASETRAIL_NOTICE_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/buf.h"
#include "casetrail/date.h"
#include "casetrail/error.h"
#include "casetrail/rows.h"
#include "casetrail/store.h"
#include "casetrail/yaml.h"

#define CT_NOTICES_REL "authority-notices.yaml" /* in the case directory */
#define CT_NOTICES_SCHEMA "authority-notices"
#define CT_NOTICE_RULE "VIC-AUTHORITY-NOTICE"

/* The kinds of notice, NULL-terminated: update-request, report-request,
 * conditions-instruction, other. */
extern const char *const ct_notice_kinds[];

typedef enum ct_notice_action {
	CT_NOTICE_ADD,
	CT_NOTICE_RESPOND,
} ct_notice_action;

/* "add", "respond": the Action trailer. */
const char *ct_notice_action_name(ct_notice_action a);

/* A new notice. */
typedef struct ct_notice_req {
	ct_date received;
	const char *kind;          /* one of ct_notice_kinds */
	const char *asks;          /* one line */
	ct_date due;
	char *const *agencies;     /* NULL-terminated, may be NULL */
	const char *ref;           /* may be NULL */
} ct_notice_req;

/*
 * Check a whole record (already valid against its schema) for what the
 * schema can not say: notice ids unique, a due date and a response not
 * before the day received, agencies registered in agencies (the
 * registry/agencies.yaml document) and not repeated.  file names the
 * record in messages.
 */
int ct_notices_check(const ct_node *doc, const ct_node *agencies,
    const char *file, ct_error *err);

/*
 * Add a notice to doc (*doc NULL: a new record for case_id is made).  The
 * kind must be known, the texts single lines (ct_text_check), received not
 * after today, due not before received, every agency registered.  A notice
 * with the same day received, kind, text, due date, agencies and reference
 * is there already: nothing is added and *id names it with *added false.
 * *id is borrowed from *doc.
 */
int ct_notice_add(ct_node **doc, const char *case_id, const ct_node *agencies,
    const ct_notice_req *req, ct_date today, const char **id, bool *added,
    ct_error *err);

/*
 * Record the response to notice id: on date (not before the notice was
 * received, not after today), with a one-line summary and an optional
 * reference.  A notice already answered is an error, unless with the same
 * response (*changed false).
 */
int ct_notice_respond(ct_node *doc, const char *case_id, const char *id,
    ct_date date, const char *summary, const char *ref, ct_date today,
    bool *changed, ct_error *err);

/*
 * Notices for listing.  A notice counts from the day received and a
 * response from its date: later ones have not happened as of today.
 */
typedef enum ct_notice_status {
	CT_NOTICE_OVERDUE,    /* no response, past its due date */
	CT_NOTICE_OPEN,       /* no response, due today or later */
	CT_NOTICE_ANSWERED,
} ct_notice_status;

/* "overdue", "open", "answered". */
const char *ct_notice_status_name(ct_notice_status s);

/*
 * The notice list is a row table (rows.h) of ct_notice_report: one row a
 * notice, the cells in the JSON and CSV order: case, notice, kind,
 * received, due, asks, agencies (comma-separated; a JSON array), reference,
 * status (ct_notice_status_name), days (due - today), and, null unless
 * answered, responded, summary, response_reference.  Text shows DUE,
 * STATUS, DAYS, CASE, NOTICE, KIND, RECEIVED, RESPONDED, ASKS.
 */
enum {
	CT_NOTICE_COL_CASE, CT_NOTICE_COL_NOTICE, CT_NOTICE_COL_KIND,
	CT_NOTICE_COL_RECEIVED, CT_NOTICE_COL_DUE, CT_NOTICE_COL_ASKS,
	CT_NOTICE_COL_AGENCIES, CT_NOTICE_COL_REFERENCE,
	CT_NOTICE_COL_STATUS, CT_NOTICE_COL_DAYS, CT_NOTICE_COL_RESPONDED,
	CT_NOTICE_COL_SUMMARY, CT_NOTICE_COL_RESPONSE_REF, CT_NOTICE_NCOLS
};
extern const ct_rowspec ct_notice_report;
/* By due date, case, notice id (n2 before n10). */
extern const ct_sortkey ct_notice_order[];

/* Append the notices of the record doc that count as of today to out, a
 * table of ct_notice_report. */
int ct_notices_rows(const ct_node *doc, ct_date today, ct_rows *out,
    ct_error *err);

/*
 * One write of authority-notice on one case: a ct_txn_fn whose arg is a
 * ct_notice_op.  It loads the case (which must exist and be a VIC case),
 * checks the writer's role (soct-officer), loads the agency registry and
 * the record as the transaction sees them, applies the action, checks the
 * record and puts it with its schema, and sets the commit subject.  The
 * results are reset on every run (a lost race runs it again).
 */
typedef struct ct_notice_op {
	ct_notice_action action;
	const char *case_id;
	ct_date today;
	/* add */
	ct_notice_req req;
	/* respond */
	const char *notice;
	ct_date date;
	const char *summary, *ref;

	/* results */
	char id[16];                /* the notice added or answered */
} ct_notice_op;

int ct_notice_apply(ct_txn *txn, void *op, ct_error *err);

#endif

/*
 * casetrail cases: case ids, their place in the store, and the case record
 * (cases/<xx>/<id>/case.yaml) with its dated events.
 *
 * Events are kept in date order (events of one day in the order they were
 * recorded).  The fields stage, orders, eprd, risk_rating, at_risk,
 * released and manager follow from the events: ct_case_derive() recomputes
 * them, and every change to the events goes through it.
 */
#ifndef CASETRAIL_CASE_H
#define CASETRAIL_CASE_H

#include <stdbool.h>

#include "casetrail/calendar.h"
#include "casetrail/date.h"
#include "casetrail/error.h"
#include "casetrail/kind.h"
#include "casetrail/store.h"
#include "casetrail/yaml.h"

/* CT_CASE_ID_MAX (kind.h): the longest case id. */

/* Check a case id: [A-Za-z0-9][A-Za-z0-9._-]{0,39}.  The message quotes
 * the id with control characters escaped. */
int ct_case_id_check(const char *id, ct_error *err);

/* "cases/<xx>/<id>", <xx> the first two hex digits of the git blob id of
 * the case id.  Checks the id.  *out is owned by the caller. */
int ct_case_dir(const char *id, char **out, ct_error *err);

/* "cases/<xx>/<id>/<rel>" (rel like "case.yaml", "cmp/custodial.yaml"). */
int ct_case_path(const char *id, const char *rel, char **out, ct_error *err);

/* Event types (DESIGN.md §5), NULL-terminated; cohorts, stages, orders and
 * risk ratings likewise. */
extern const char *const ct_event_types[];
extern const char *const ct_cohorts[];
extern const char *const ct_stages[];
extern const char *const ct_orders[];
extern const char *const ct_ratings[];
/* breach-referred --to: sab, sentencing-court. */
extern const char *const ct_breach_bodies[];

/* True when s is one of the NULL-terminated list. */
bool ct_in_list(const char *const *list, const char *s);

/* A new case record. manager may be NULL. */
int ct_case_new(const char *id, ct_jurisdiction j, const char *cohort,
    const char *manager, ct_date created, ct_node **out, ct_error *err);

typedef struct ct_event {
	const char *type;
	ct_date date;
	const char *note;     /* may be NULL */
	const char *stage;    /* stage-changed */
	const char *order;    /* order-made, order-ended */
	const char *rating;   /* risk-rating-changed */
	const char *manager;  /* cm-assigned (optional) */
	bool cleared;         /* at-risk: the status was lifted */
	const char *service;  /* not-engaging: the support, program, service */
	const char *notified_by; /* not-engaging: who notified the CM */
	const char *to;       /* breach-referred: sab, sentencing-court */
	ct_date today;        /* the day it is recorded: an event dated
	                         later is refused, but eprd-set, which names
	                         a date to come; 0: not checked */
} ct_event;

/*
 * Add an event in date order and re-derive the case.  Checks that the
 * type is known and has the fields it needs and no others; not-engaging
 * and breach-referred are for ACT cases, and breach-referred only on a
 * day the case is in the community stage; order-made and order-ended (the
 * orders of the Serious Offenders Act 2018) for VIC cases; no event but
 * eprd-set after ev->today.  An identical
 * event already present is not added again (*added = false).  A new
 * eprd-set marks every earlier eprd-set superseded: the latest recorded
 * date is the case's eprd, whether it is earlier or later.
 */
int ct_case_add_event(ct_node *c, const ct_event *ev, bool *added,
    ct_error *err);

/* True for an eprd-set event replaced by a later one ("superseded"). */
bool ct_event_superseded(const ct_node *e);

/* The event was withdrawn (its "withdrawn" entry: by, date, reason):
 * kept in the record and the history, read by no rule and no derived
 * field. */
bool ct_event_withdrawn(const ct_node *e);

typedef struct ct_withdrawal {
	const char *type;     /* the event's type and date */
	ct_date date;
	const char *by;       /* the operator who withdraws it */
	ct_date today;        /* the day it is withdrawn */
	const char *reason;   /* why (required, one line) */
} ct_withdrawal;

/*
 * Withdraw the one event of w->type on w->date that is not withdrawn yet
 * and re-derive the case: a mistaken event is corrected so, and a wrong
 * date by a withdrawal and a new event.  CT_ENOTFOUND when there is no
 * such event; CT_EINVALID for several, or an eprd-set (a new eprd-set
 * supersedes it).
 */
int ct_case_withdraw_event(ct_node *c, const ct_withdrawal *w,
    ct_error *err);

/* Recompute the fields that follow from the events.  file names the
 * record in messages (e.g. an order ended that was never made). */
int ct_case_derive(ct_node *c, const char *file, ct_error *err);

/*
 * A case's case.yaml as the transaction (or a snapshot) sees it;
 * CT_ENOTFOUND with "case ID does not exist (create it with case-new)"
 * when there is none.
 */
int ct_txn_load_case(ct_txn *txn, const char *case_id, ct_node **out,
    ct_error *err);
int ct_snapshot_load_case(ct_snapshot *snap, const char *case_id,
    ct_node **out, ct_error *err);

#endif

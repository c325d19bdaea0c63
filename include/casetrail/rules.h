/*
 * casetrail deadline rules: policy obligations as data (rules/deadlines.yaml)
 * and the engine that turns a case into findings (DESIGN.md §4).
 *
 * A rule says which cases it applies to (jurisdiction, cohorts, stages,
 * open orders, records present), its anchor (the latest, or each, event of
 * some types; a date field of a record; or the latest, or each, entry of a
 * record's list by a date field of the entry, named by another field of
 * it; or the latest of a list's latest entry and some events), an offset
 * from the anchor (days, business days, weeks or months;
 * negative = before), what satisfies it (an event; a record in some
 * status, a dated entry of its list or a date field of it; or a date field
 * of the anchoring list entry), events after which it lapses, and a
 * warning window.  Satisfiers are a small table of kinds in rules.c: a new
 * record kind adds data and, at most, a satisfier kind, never a special
 * case.
 *
 * Findings: one per obligation, with the due date and a status:
 *   met       satisfied (met_on holds when, when known)
 *   overdue   not satisfied and today is after the due date
 *   due       not satisfied, due within the rule's warning window
 *   upcoming  not satisfied, due later
 *   info      an informational rule (e.g. from when a plan may be made)
 */
#ifndef CASETRAIL_RULES_H
#define CASETRAIL_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casetrail/calendar.h"
#include "casetrail/date.h"
#include "casetrail/error.h"
#include "casetrail/yaml.h"

typedef struct ct_rules ct_rules;
typedef struct ct_rule ct_rule;

typedef enum ct_status {
	CT_STATUS_OVERDUE,
	CT_STATUS_DUE,
	CT_STATUS_UPCOMING,
	CT_STATUS_MET,
	CT_STATUS_INFO,
	CT_STATUS_MET_LATE,        /* met, on a day after the due date */
	CT_STATUS_DEFERRED,        /* not met, deferred to a later day
	                              (exception.h) */
	CT_STATUS_WAIVED,          /* not met, waived (exception.h) */
	CT_STATUS_COUNT
} ct_status;

const char *ct_status_name(ct_status s);
/* "overdue" ... "met-late" -> status; -1 when unknown. */
int ct_status_parse(const char *s);
/* met or met-late */
bool ct_status_met(ct_status s);

typedef struct ct_finding {
	char *case_id;
	const ct_rule *rule;       /* borrowed from the ct_rules */
	char *anchor_what;         /* "reception", "eprd-set", a record field
	                              "cmp.yaml x.date", a list entry's name
	                              and label "sdu request dffh" */
	ct_date anchor;
	ct_date due;
	ct_status status;
	int days;                  /* due - today: < 0 overdue by -days */
	bool met_known;
	ct_date met_on;            /* when met_known; met-late by
	                              met_on - due days */
	char *explain;             /* how the due date was computed */
	char *key;                 /* for an obligation of a list entry, the
	                              entry's identity within its case and
	                              rule: its id ("r3", "n1"), else its
	                              label (a report's ref, a plan
	                              version); NULL for other anchors */
	char *manager;             /* the case's manager, or NULL */
	char *agency;              /* the anchoring list entry's agency (a
	                              service-delivery request), or NULL */
	const char *exception;     /* "defer" or "waive" when an exception
	                              of the case applies (exception.h),
	                              else NULL */
	char *exception_reason;    /* its reason and who recorded it */
	char *exception_by;
	ct_date exception_until;   /* defer: the last day it is deferred */
	bool packed;               /* its strings are one allocation that
	                              begins at case_id (a finding read from
	                              the evaluation cache): to replace one
	                              of them, ct_finding_unpack first */
} ct_finding;

typedef struct ct_findings {
	ct_finding *v;
	size_t n, cap;
} ct_findings;

void ct_findings_clear(ct_findings *f);
/* Move f's strings into one allocation beginning at case_id (packed),
 * for findings held long: fewer allocations, less memory.  -1 when out
 * of memory (f unchanged). */
int ct_finding_pack(ct_finding *f);
/* The other way: each string its own allocation again, as a caller that
 * replaces one of them needs.  -1 when out of memory (f unchanged). */
int ct_finding_unpack(ct_finding *f);
/* Room for more findings in f; -1 when out of memory. */
int ct_findings_reserve(ct_findings *f, size_t more);
/* Append the findings of src to dst, leaving src empty (its array kept);
 * -1 when out of memory (nothing moved). */
int ct_findings_move(ct_findings *dst, ct_findings *src);
/* Free what one finding owns (not the finding). */
void ct_finding_clear(ct_finding *f);

/* Compile a rules document that has been validated against the "rules"
 * schema (ct_snapshot_load(..., "rules", ...)); this adds the checks the
 * schema can not express.  file names it in messages. */
int ct_rules_load(const ct_node *doc, const char *file, ct_rules **out,
    ct_error *err);
void ct_rules_free(ct_rules *r);

size_t ct_rules_count(const ct_rules *r);
const ct_rule *ct_rules_get(const ct_rules *r, size_t i);
const ct_rule *ct_rules_find(const ct_rules *r, const char *id);

/* The index of r in rules (ct_rules_get(rules, i) == r). */
size_t ct_rule_index(const ct_rules *rules, const ct_rule *r);
const char *ct_rule_id(const ct_rule *r);
const char *ct_rule_title(const ct_rule *r);
const char *ct_rule_cite(const ct_rule *r);

/*
 * A rule read by a write-time gate, so that a tool's refusal and
 * deadline-check count from the same number of the store's rules file
 * (e.g. cmp-new's remand plan window, ACT-REMAND-CMP, and its LSI-R age,
 * ACT-LSIR-CURRENT).
 *
 * ct_rule_due: anchor + the rule's offset.  ct_rule_earliest_anchor: the
 * earliest anchor whose due date is not before day (day - offset; in
 * whole months the day of the month is clamped, as forwards).
 * ct_rule_offset: the offset in words ("4 weeks", "12 months") into buf.
 * ct_rule_anchor: for a rule anchored on events, the latest such event on
 * or before today, the first lapses_on event on or after it that has
 * happened (lapsed_by NULL when none) and the due date; found is false
 * when there is no such event or the rule has no event anchor.
 */
typedef struct ct_anchor {
	bool found;
	ct_date anchor, due;
	const char *anchor_type;   /* the anchoring event's type */
	const char *lapsed_by;     /* the lapsing event's type, or NULL */
	ct_date lapsed_on;
} ct_anchor;

int ct_rule_due(const ct_rule *r, const ct_calendar *cal, ct_date anchor,
    ct_date *due, ct_error *err);
ct_date ct_rule_earliest_anchor(const ct_rule *r, const ct_calendar *cal,
    ct_date day);
const char *ct_rule_offset(const ct_rule *r, char *buf, size_t size);
int ct_rule_anchor(const ct_rule *r, const ct_calendar *cal,
    const ct_node *casedoc, ct_date today, ct_anchor *out, ct_error *err);

/*
 * A case's other records, for record satisfiers and anchors: return the
 * parsed record at rel ("cmp/custodial.yaml") in *out (owned by the
 * callee's cache, valid until the evaluation of the case ends), *out = NULL
 * when absent, or a negative error.  The last component of rel may be a
 * pattern ("assessments/<date>-lsi-r.yaml" as a glob): the callee returns the last
 * matching file in name order, which for dated names is the newest.
 */
typedef int (*ct_record_fn)(void *arg, const char *rel, const ct_node **out,
    ct_error *err);

/*
 * Evaluate every rule for one case (its case.yaml in casedoc) and append
 * the findings.  cal is the calendar of the case's jurisdiction.
 */
int ct_rules_eval(const ct_rules *r, const ct_calendar *cal,
    const ct_node *casedoc, ct_record_fn records, void *arg, ct_date today,
    ct_findings *out, ct_error *err);

/*
 * The days on which an evaluation gives the same findings but for their
 * days (due - today): today in [from, until).  Start it as
 * { CT_SPAN_MIN, CT_SPAN_MAX } (every day); each test of today narrows it.
 */
typedef struct ct_span {
	ct_date from, until;
} ct_span;

#define CT_SPAN_MIN INT32_MIN
#define CT_SPAN_MAX INT32_MAX

/* ct_rules_eval, narrowing span (may be NULL) to the days on which the
 * findings' statuses stay what they are today. */
int ct_rules_eval_span(const ct_rules *r, const ct_calendar *cal,
    const ct_node *casedoc, ct_record_fn records, void *arg, ct_date today,
    ct_findings *out, ct_span *span, ct_error *err);

/* Narrow span by the test "has day d come" (d <= today). */
void ct_span_narrow(ct_span *span, ct_date d, ct_date today);

#endif

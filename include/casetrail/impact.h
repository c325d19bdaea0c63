/*
 * casetrail rule-change impact (rules-impact(1)): the findings of the same
 * cases under two sets of rules and calendars, matched by identity (case,
 * rule, anchor date, key), and what differs: an obligation new or gone, a
 * due date moved, a status changed.
 */
#ifndef CASETRAIL_IMPACT_H
#define CASETRAIL_IMPACT_H

#include <stddef.h>

#include "casetrail/buf.h"
#include "casetrail/rules.h"

typedef enum ct_impact_kind {
	CT_IMPACT_NEW,         /* only under the proposed rules */
	CT_IMPACT_GONE,        /* only under the current ones */
	CT_IMPACT_MOVED,       /* its due date differs (and maybe status) */
	CT_IMPACT_STATUS,      /* the same due date, another status */
	CT_IMPACT_N
} ct_impact_kind;

typedef struct ct_impact {
	ct_impact_kind kind;
	const ct_finding *now, *then;   /* borrowed; NULL for new / gone */
} ct_impact;

typedef struct ct_impacts {
	ct_impact *v;
	size_t n;
	size_t count[CT_IMPACT_N];
} ct_impacts;

/* The differences from current (now) to proposed (then), in the order of
 * the findings' identity. */
int ct_impact_diff(const ct_findings *now, const ct_findings *then,
    ct_impacts *out, ct_error *err);
void ct_impacts_clear(ct_impacts *im);

const char *ct_impact_name(ct_impact_kind k);

/* As text (a count line and an aligned table), "json" or "csv". */
void ct_impacts_write(const ct_impacts *im, const char *format, ct_buf *b);

#endif

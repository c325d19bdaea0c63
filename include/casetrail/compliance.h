/*
 * casetrail compliance over time (compliance-report(1)): for each period,
 * the obligations of each rule that fell due in it and how they stood at
 * its end, computed from the store as it was at the end of the period's
 * last day, by the rules it held then; and the service-delivery requests
 * (VIC-SDU) by the agency asked.  Every figure can be reproduced from the
 * signed history: deadline-check --as-of the period's last day gives the
 * findings counted.
 *
 * A finding counts in the period its due date falls in, as: met (on
 * time), met-late, overdue, open (due that day, or informational rules
 * left out), deferred or waived.
 */
#ifndef CASETRAIL_COMPLIANCE_H
#define CASETRAIL_COMPLIANCE_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/buf.h"
#include "casetrail/date.h"
#include "casetrail/rules.h"

enum { CT_CC_MET, CT_CC_LATE, CT_CC_OVERDUE, CT_CC_OPEN, CT_CC_DEFERRED,
    CT_CC_WAIVED, CT_CC_N };

typedef struct ct_cc_row {
	char *key;             /* a rule id, or an agency id */
	size_t n[CT_CC_N];
	size_t total;
} ct_cc_row;

typedef struct ct_cc_period {
	ct_date start, end;
	bool before_store;     /* the store did not exist yet */
	ct_cc_row *rules, *agencies;
	size_t nrules, nagencies;
} ct_cc_period;

typedef struct ct_compliance {
	ct_cc_period *v;
	size_t n;
	bool quarters;
} ct_compliance;

/* The periods from the one holding from to the one holding to, of
 * months (or quarters), each with no counts yet. */
int ct_compliance_init(ct_compliance *c, ct_date from, ct_date to,
    bool quarters, ct_error *err);
void ct_compliance_clear(ct_compliance *c);

/* Count the findings fs (evaluated as of p->end) that fell due in p. */
int ct_compliance_count(ct_cc_period *p, const ct_findings *fs,
    ct_error *err);

/* The report: "csv", "json" or "html" (self-contained, printable, with a
 * line chart of the share met on time per rule and a bar chart per
 * agency, as inline SVG). */
void ct_compliance_write(const ct_compliance *c, const char *format,
    const char *title, ct_buf *b);

/* The share of r met on time, in tenths of a percent; -1 when none. */
long ct_cc_on_time(const ct_cc_row *r);

/* The HTML report (ct_compliance_write's "html"). */
void ct_compliance_html(const ct_compliance *c, const char *title,
    ct_buf *b);

/* A period's name: "2026-03", or "2026-Q1". */
const char *ct_cc_period_name(const ct_compliance *c, const ct_cc_period *p,
    char buf[32]);

#endif

/*
 * casetrail printed Case Management Plans (ACT): one printable,
 * self-contained HTML document of a case's plans, for the case manager to
 * go through with the offender: the goals, each need with its
 * interventions, target and referral, the three parts of the Corrections
 * Management Act 2007 s 78 a custodial plan holds, the comments, the
 * reviews and the approvals.  Built of the pieces of html.h (the same
 * style, escaping and page parts as the MAP meeting pack); every string
 * from a record escaped.
 */
#ifndef CASETRAIL_PLANDOC_H
#define CASETRAIL_PLANDOC_H

#include <stdbool.h>

#include "casetrail/buf.h"
#include "casetrail/cmp.h"
#include "casetrail/error.h"
#include "casetrail/store.h"

/*
 * Append to out the document of case id's plans read from snap: the plan
 * of kind only, when only is true, else every plan the case holds
 * (custodial, remand, community, in that order).  today heads it.
 * Errors: CT_ENOTFOUND when the case does not exist or holds no such
 * plan; a record that can not be read.
 */
int ct_plan_html(ct_snapshot *snap, const char *id, bool only,
    ct_cmp_kind kind, ct_date today, ct_buf *out, ct_error *err);

#endif

/*
 * casetrail summaries of findings (deadline-check --summary): counts by
 * rule and status, by manager and by agency.
 */
#ifndef CASETRAIL_SUMMARY_H
#define CASETRAIL_SUMMARY_H

#include "casetrail/buf.h"
#include "casetrail/rules.h"

/*
 * The counts of fs as format "text" (three aligned tables), "json" (an
 * object of three arrays: by_rule, by_manager, by_agency, each entry a
 * key and one count per status and a total) or "csv" (the columns group,
 * key, one per status, total).  A finding with no manager or agency
 * counts under "(none)".
 */
void ct_findings_summary(const ct_findings *fs, const char *format,
    ct_buf *b);

#endif

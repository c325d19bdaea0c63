/*
 * casetrail reports: findings of the deadline rules rendered as aligned
 * text, JSON, CSV (RFC 4180) and iCalendar (RFC 5545) into a ct_buf.
 *
 * With a sink on the buffer (ct_buf_flush) the output is streamed as it is
 * written.  Field names and columns are stable: case, rule, title, anchor_event,
 * anchor_date, due, status, days, met_on, explain (JSON always; CSV with
 * --explain), citation.
 */
#ifndef CASETRAIL_REPORT_H
#define CASETRAIL_REPORT_H

#include <stdbool.h>

#include "casetrail/output.h"
#include "casetrail/rules.h"

/*
 * A text table, one line per finding: DUE, STATUS, DAYS, CASE, RULE and
 * WHAT (the rule's title, what it counts from, how late it was met), the
 * columns as wide as their content (ct_table), data terminal-safe; with
 * explain, each finding's explanation on a line of its own below it.
 * With color, the status of an overdue finding is red and of a due one
 * yellow (SGR sequences); the caller decides (a terminal, NO_COLOR).
 * "no obligations to show" when fs is empty.
 */
void ct_findings_text(const ct_findings *fs, bool explain, bool color,
    ct_buf *b);

/* A JSON array of finding objects. */
void ct_findings_json(const ct_findings *fs, ct_buf *b);

/* CSV with a header line; CRLF line ends; formula cells neutralised. */
void ct_findings_csv(const ct_findings *fs, bool explain, ct_buf *b);

/* A VCALENDAR with one all-day VEVENT per finding, or with one VJOURNAL
 * saying there is none (a calendar needs a component).  Each UID comes
 * from the obligation's identity: case, rule and the list entry's key
 * (ct_finding.key: a request or notice id), else what it counts from and
 * the anchor date; a number tells apart findings equal in all of these.
 * SUMMARY ends with the anchor, which names the agency or notice.
 * DTSTAMP is the evaluation day.  The findings must be sorted with
 * ct_findings_sort(). */
void ct_findings_ics(const ct_findings *fs, ct_date stamp, ct_buf *b);

/* How a report is given (deadline-check --format, --summary, --bom). */
typedef struct ct_report_opts {
	const char *format;	/* text, json, csv or ics */
	bool summary;		/* the counts (summary.h; not ics) */
	bool explain;		/* text and csv: the explanations */
	bool color;		/* text: the status in colour */
	bool bom;		/* csv: a UTF-8 byte order mark first */
	ct_date stamp;		/* ics: the evaluation day */
} ct_report_opts;

/* fs (sorted, ct_findings_sort) as o says. */
void ct_findings_report(const ct_findings *fs, const ct_report_opts *o,
    ct_buf *b);

#endif

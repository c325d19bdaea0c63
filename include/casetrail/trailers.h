/*
 * casetrail commit messages: subject line and audit trailers (DESIGN.md §2).
 *
 *   case-event: ACT-0042 reception on 2026-01-05
 *
 *   Reason: ...
 *   Case: ACT-0042
 *   Record: case
 *   Action: event
 *   Approved-by: ...
 *   Purpose: ...
 *   Tool: case-event 0.1.0
 *
 * Every value is a single line of printable text, so no user text can end a
 * trailer early or forge another one.
 */
#ifndef CASETRAIL_TRAILERS_H
#define CASETRAIL_TRAILERS_H

#include "casetrail/error.h"

#define CT_TEXT_MAX 1000 /* bytes of one subject or trailer value */

/* What a write is, for its commit message (flags: store.h CT_WRITE_*). */
typedef struct ct_commit_spec {
	const char *tool;        /* "case-event" */
	const char *version;     /* "0.1.0" */
	const char *subject;     /* "ACT-0042 reception on 2026-01-05" */
	const char *case_id;     /* trailers; NULL to omit */
	const char *record;
	const char *action;
	const char *reason;
	const char *approved_by;
	const char *purpose;
	unsigned flags;
} ct_commit_spec;

/* Check user text for a subject or trailer: non-empty, at most CT_TEXT_MAX
 * bytes, valid UTF-8, no control characters (newline, CR, tab, ...).  what
 * names it in the message ("--reason"). */
int ct_text_check(const char *what, const char *value, ct_error *err);

/* Build the full commit message of spec (subject may be overridden). */
int ct_commit_message(const ct_commit_spec *spec, const char *subject,
    char **out, ct_error *err);

/* The value of trailer key in a commit message (the last one wins), copied
 * into *out (NULL when absent). */
int ct_trailer_get(const char *message, const char *key, char **out,
    ct_error *err);

#endif

/*
 * casetrail digests: one e-mail per person per run, saying what became
 * due or overdue in their cases since their previous digest, then
 * everything open (deadline-digest(1)).
 *
 * A digest lists the open findings of the cases a recipient manages:
 * those overdue or due (within their rule's warning window).  What it
 * told is remembered per recipient under the git directory
 * (<gitdir>/casetrail/digest/<operator>): one line per finding, its case,
 * rule, anchor date, key and status.  A finding whose line was not there
 * is new; when nothing is new, no message is made (and the state still
 * follows what is open, so that a finding that closes and opens again is
 * new again).
 */
#ifndef CASETRAIL_DIGEST_H
#define CASETRAIL_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/buf.h"
#include "casetrail/error.h"
#include "casetrail/rules.h"
#include "casetrail/store.h"

/* Is the finding open, for a digest: overdue or due? */
bool ct_digest_open(const ct_finding *f);

typedef struct ct_digest_to {
	const char *id, *name, *email;   /* the recipient, an operator */
	const char *from;                /* the From: address */
	long long now;                   /* the Date:, seconds */
} ct_digest_to;

/*
 * The digest of fs (the store's open findings, sorted) for to: *state the
 * lines it tells (owned by the caller), *nnew how many of them were not
 * in prev (the previous state, NULL for none).  When *nnew > 0 the RFC
 * 5322 message is appended to msg (lines ending in LF; the header fields
 * safe from the registry's text).
 */
int ct_digest_make(const ct_findings *fs, const ct_digest_to *to,
    const char *prev, ct_buf *msg, char **state, size_t *nnew,
    ct_error *err);

/* The recipient's previous state (*text NULL when none), and the new one
 * written atomically (temporary file and rename). */
int ct_digest_state_read(ct_store *st, const char *id, char **text,
    ct_error *err);
int ct_digest_state_write(ct_store *st, const char *id, const char *text,
    ct_error *err);

#endif

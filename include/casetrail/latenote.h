/*
 * casetrail late notes (deadline-check --explain): an obligation met by
 * an entry that was recorded after its due date -- received, by its
 * receipt (receipt.h), else committed -- was reported overdue by every
 * run in between, though the entry's date says it was met in time.  The
 * note says so, in the finding's explanation.
 */
#ifndef CASETRAIL_LATENOTE_H
#define CASETRAIL_LATENOTE_H

#include "casetrail/error.h"
#include "casetrail/rules.h"
#include "casetrail/store.h"

/*
 * Add the note to the explanation of every met finding of fs whose entry
 * was recorded after the due date.  The entry is found by its date among
 * the dated entries of the case's history (one walk of the history for
 * all the cases, the receipts of HEAD); of several on that date the
 * earliest recorded counts, so the note is never given when an entry of
 * that date was recorded in time.  A finding noted is unpacked
 * (ct_finding_unpack).
 */
int ct_findings_note_late(ct_store *st, ct_findings *fs, ct_error *err);

#endif

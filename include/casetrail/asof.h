/*
 * casetrail as-of snapshots: the store as it was at a point a person
 * names (deadline-check --as-of), either a day or a commit.
 *
 * A date, YYYY-MM-DD, is the store at the end of that day in the store's
 * time zone: the last commit on or before 23:59:59 of it there (the
 * first-parent history of HEAD, ct_snapshot_open_at), so a commit made
 * at 00:30 Canberra time on the next day is not in it although it is the
 * same day in UTC.  Anything else is a git revision (HEAD~3, a commit id,
 * a branch).  A word of that shape that is no real date is refused as a
 * date, not looked up as a revision.
 */
#ifndef CASETRAIL_ASOF_H
#define CASETRAIL_ASOF_H

#include "casetrail/date.h"
#include "casetrail/error.h"
#include "casetrail/store.h"

/*
 * Open the snapshot asof names (NULL: HEAD) into *out, and set *day to
 * the day it stands for: the date itself, or the day of the revision's
 * commit in the store's time zone (0 when asof is NULL: the caller's
 * today).  what names asof in messages ("--as-of: invalid date
 * '2026-02-30': expected YYYY-MM-DD").  Errors: CT_EINVALID for a bad
 * date, CT_ENOTFOUND for an unknown revision or a day before the store's
 * first commit.
 */
int ct_asof_open(ct_store *st, const char *what, const char *asof,
    ct_snapshot **out, ct_date *day, ct_error *err);

#endif

/*
 * As-of snapshots (asof.h): a day in the store's time zone, or a
 * revision.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>

#include "casetrail/asof.h"

/* NNNN-NN-NN: meant as a date, so a bad one is a date error, not an
 * unknown revision. */
static bool
looks_like_date(const char *s)
{
	size_t i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' :
		    !isdigit((unsigned char)s[i]))
			return false;
	return s[10] == '\0';
}

/* The store at the end of the day s names, in the store's time zone. */
static int
open_day(ct_store *st, const char *what, const char *s, ct_snapshot **out,
    ct_date *day, ct_error *err)
{
	ct_error bad = { 0 };
	int64_t t;
	int rc;

	if (ct_date_parse(s, day, &bad) < 0) {
		rc = ct_error_set(err, CT_EINVALID, "%s: %s: expected "
		    "YYYY-MM-DD", what, ct_error_msg(&bad));
		ct_error_clear(&bad);
		return rc;
	}
	if ((rc = ct_date_end_of_day(ct_store_timezone(st), *day, &t,
	    err)) < 0)
		return rc;
	return ct_snapshot_open_at(st, (long long)t, out, err);
}

int
ct_asof_open(ct_store *st, const char *what, const char *asof,
    ct_snapshot **out, ct_date *day, ct_error *err)
{
	int rc;

	*out = NULL;
	*day = 0;
	if (asof != NULL && looks_like_date(asof))
		return open_day(st, what, asof, out, day, err);
	if ((rc = ct_snapshot_open(st, asof, out, err)) < 0 || asof == NULL)
		return rc;
	if ((rc = ct_date_today(ct_store_timezone(st),
	    ct_snapshot_time(*out), day, err)) < 0) {
		ct_snapshot_free(*out);
		*out = NULL;
	}
	return rc;
}

/*
 * casetrail calendars: public holidays of a jurisdiction (ACT or VIC) and
 * business-day arithmetic.
 *
 * Holidays are computed by rule for 2000-2100 (Easter by the Gregorian
 * computus, nth-weekday days, substitute days), then adjusted by the store's
 * calendars/<JUR>.yaml: "add" entries for gazetted one-off days (e.g. the
 * Friday before the AFL Grand Final in VIC) and "cancel" entries that remove
 * a computed day.  Business days skip Saturdays, Sundays and holidays.
 */
#ifndef CASETRAIL_CALENDAR_H
#define CASETRAIL_CALENDAR_H

#include <stddef.h>
#include <stdbool.h>

#include "casetrail/date.h"
#include "casetrail/error.h"
#include "casetrail/yaml.h"

typedef enum ct_jurisdiction {
	CT_JUR_NONE = 0,
	CT_JUR_ACT,
	CT_JUR_VIC,
} ct_jurisdiction;

/* "ACT"/"VIC" <-> enum; parse returns CT_JUR_NONE for anything else. */
ct_jurisdiction ct_jurisdiction_parse(const char *s);
const char *ct_jurisdiction_name(ct_jurisdiction j);

typedef struct ct_holiday {
	ct_date date;
	const char *name; /* e.g. "Canberra Day", "Christmas Day (substitute)" */
} ct_holiday;

typedef struct ct_calendar ct_calendar;

/* A calendar of computed holidays only. */
int ct_calendar_new(ct_jurisdiction j, ct_calendar **out, ct_error *err);

/*
 * Apply a parsed calendars/<JUR>.yaml (see casetrail-records(5)); file is
 * the name used in messages.  Validates dates and that the file's
 * jurisdiction matches; a cancel entry must name a computed holiday.
 */
int ct_calendar_apply(ct_calendar *cal, const ct_node *doc, const char *file,
    ct_error *err);

void ct_calendar_free(ct_calendar *cal);

ct_jurisdiction ct_calendar_jurisdiction(const ct_calendar *cal);

/* True when d is a public holiday; *name (if not NULL) gets its name. */
bool ct_calendar_is_holiday(const ct_calendar *cal, ct_date d,
    const char **name);

/* True when d is Monday-Friday and not a holiday. */
bool ct_calendar_is_business_day(const ct_calendar *cal, ct_date d);

/*
 * The holidays of a year in date order: *out is an array of *n entries
 * owned by the calendar (valid until it is freed).  Years outside 2000-2100
 * give CT_EINVALID.
 */
int ct_calendar_year(ct_calendar *cal, int year, const ct_holiday **out,
    size_t *n, ct_error *err);

/* d plus n business days (n >= 0); the start day is not counted:
 * Friday + 1 business day = next Monday (when it is not a holiday). */
ct_date ct_calendar_add_business_days(const ct_calendar *cal, ct_date d,
    int n);

/* Business days in (from, to]: how many business days after from up to and
 * including to; negative when to < from. */
int ct_calendar_business_days_between(const ct_calendar *cal, ct_date from,
    ct_date to);

#endif

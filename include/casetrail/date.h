/*
 * casetrail dates: proleptic Gregorian civil dates as day numbers.
 *
 * A ct_date is the number of days since 1970-01-01 (negative before it), so
 * adding days is addition and comparing dates is comparing integers.  Only
 * years 1900-2199 are accepted from text; arithmetic is exact over a much
 * wider range.  Policy arithmetic (DESIGN.md §4 "Dates"): the trigger day
 * is not counted ("within 6 weeks of D" = D + 42); months keep the day of
 * the month, clamped to the last day of the target month (31 Aug + 6 months
 * = 28/29 Feb).
 */
#ifndef CASETRAIL_DATE_H
#define CASETRAIL_DATE_H

#include <stdbool.h>
#include <stdint.h>

#include "casetrail/error.h"

typedef int32_t ct_date;

#define CT_DATE_MIN_YEAR 1900
#define CT_DATE_MAX_YEAR 2199
#define CT_DATE_BUFSZ 11 /* "YYYY-MM-DD" and a NUL */

/* Parse exactly "YYYY-MM-DD" (zero-padded, a real calendar day, year in
 * 1900-2199).  Anything else is CT_EINVALID with a message quoting s. */
int ct_date_parse(const char *s, ct_date *out, ct_error *err);

/* Same check without a message; true when s is a valid date. */
bool ct_date_valid(const char *s);

/* Write "YYYY-MM-DD" into buf (CT_DATE_BUFSZ bytes); returns buf. */
char *ct_date_format(ct_date d, char buf[CT_DATE_BUFSZ]);

/* Conversions; month 1-12, day 1-31.  ct_date_from_ymd does not check. */
ct_date ct_date_from_ymd(int y, int m, int d);
void ct_date_to_ymd(ct_date date, int *y, int *m, int *d);

bool ct_is_leap_year(int y);
int ct_days_in_month(int y, int m);

/* ISO weekday: 1 = Monday ... 7 = Sunday. */
int ct_date_weekday(ct_date d);

/* Add n months (n may be negative), clamping the day of the month. */
ct_date ct_date_add_months(ct_date d, int n);

/* Today in the named IANA time zone (e.g. "Australia/Canberra"; NULL or ""
 * means UTC).  now is a Unix time (pass time(NULL)). */
int ct_date_today(const char *tz, int64_t now, ct_date *out, ct_error *err);

/* The Unix time of the end of day d (23:59:59) in time zone tz. */
int ct_date_end_of_day(const char *tz, ct_date d, int64_t *out, ct_error *err);

#endif

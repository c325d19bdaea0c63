/*
 * casetrail dates: civil dates as days since 1970-01-01.
 *
 * Conversions use the well-known days_from_civil / civil_from_days
 * algorithms (proleptic Gregorian calendar, 400-year eras), so they are
 * exact and branch-light for any year a ct_date can hold.  Text is
 * accepted only as "YYYY-MM-DD", zero-padded, a real calendar day, with
 * the year in CT_DATE_MIN_YEAR..CT_DATE_MAX_YEAR: no signs, no spaces, no
 * trailing characters.
 *
 * Time zones (ct_date_today, ct_date_end_of_day).  The C library does the
 * conversion: TZ is set to ":<zone>" with setenv(3), tzset(3) is called,
 * localtime_r(3) or mktime(3) does the work, and the previous value of TZ
 * (or its absence) is put back before returning.  This is the only use of
 * the environment in the library, and it is not thread-safe: the tools are
 * single-threaded.  Because glibc silently falls back to UTC for a zone it
 * can not load, the zone name is checked first: it must look like an IANA
 * name (letters, digits, "_", "-", "+", ".", "/"; no "..", no leading "/")
 * and name a TZif file under the system zoneinfo directory
 * (/usr/share/zoneinfo).  NULL or "" means UTC and needs no zone file.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casetrail/date.h"
#include "casetrail/util.h"

#define ZONEINFO_DIR "/usr/share/zoneinfo"
#define TZ_NAME_MAX 128

/* Years a ct_date can hold comfortably (|days| < 2^31). */
#define ARITH_MIN_YEAR (-5000000)
#define ARITH_MAX_YEAR 5000000

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;                                    /* [0, 399] */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  /* [0, 365] */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;                                       /* [0, 146096] */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  /* [0, 399] */
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                /* [0, 365] */
	mp = (5 * doy + 2) / 153;                                     /* [0, 11] */
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

bool
ct_is_leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
ct_days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && ct_is_leap_year(y))
		return 29;
	return dim[m - 1];
}

ct_date
ct_date_from_ymd(int y, int m, int d)
{
	return (ct_date)days_from_civil(y, (unsigned)m, (unsigned)d);
}

void
ct_date_to_ymd(ct_date date, int *y, int *m, int *d)
{
	int64_t yy;
	unsigned mm, dd;

	civil_from_days(date, &yy, &mm, &dd);
	if (y != NULL)
		*y = (int)yy;
	if (m != NULL)
		*m = (int)mm;
	if (d != NULL)
		*d = (int)dd;
}

int
ct_date_weekday(ct_date d)
{
	/* 1970-01-01 was a Thursday (4). */
	return (int)(((int64_t)d + 3) - floor_div((int64_t)d + 3, 7) * 7) + 1;
}

/* Parse s strictly; true and *out set when s is a valid date. */
static bool
parse_date(const char *s, ct_date *out)
{
	int y, m, d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	if ((y = ct_digits(s, 4)) < 0 || (m = ct_digits(s + 5, 2)) < 0 ||
	    (d = ct_digits(s + 8, 2)) < 0)
		return false;
	if (y < CT_DATE_MIN_YEAR || y > CT_DATE_MAX_YEAR)
		return false;
	if (m < 1 || m > 12 || d < 1 || d > ct_days_in_month(y, m))
		return false;
	if (out != NULL)
		*out = ct_date_from_ymd(y, m, d);
	return true;
}

bool
ct_date_valid(const char *s)
{
	return parse_date(s, NULL);
}

int
ct_date_parse(const char *s, ct_date *out, ct_error *err)
{
	char shown[41];
	size_t i;

	if (parse_date(s, out))
		return 0;
	if (s == NULL)
		return ct_error_set(err, CT_EINVALID, "invalid date (none)");
	/* Quote at most 40 bytes, control characters made visible. */
	for (i = 0; s[i] != '\0' && i < sizeof(shown) - 1; i++)
		shown[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ?
		    '?' : s[i];
	shown[i] = '\0';
	return ct_error_set(err, CT_EINVALID, "invalid date '%s%s'", shown,
	    s[i] != '\0' ? "..." : "");
}

static void
put_digits(char *p, int v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Years outside 0000-9999 do not fit "YYYY" and are written "????". */
char *
ct_date_format(ct_date d, char buf[CT_DATE_BUFSZ])
{
	int y, m, dd;

	ct_date_to_ymd(d, &y, &m, &dd);
	if (y < 0 || y > 9999)
		memcpy(buf, "????", 4);
	else
		put_digits(buf, y, 4);
	buf[4] = '-';
	put_digits(buf + 5, m, 2);
	buf[7] = '-';
	put_digits(buf + 8, dd, 2);
	buf[10] = '\0';
	return buf;
}

/*
 * Months are counted on a single scale (year * 12 + month - 1) so that
 * negative n borrows years correctly; the day of the month is clamped to
 * the last day of the target month.  The year is kept within the range a
 * ct_date can represent.
 */
ct_date
ct_date_add_months(ct_date d, int n)
{
	int y, m, dd, dim;
	int64_t total, ny;

	ct_date_to_ymd(d, &y, &m, &dd);
	total = (int64_t)y * 12 + (m - 1) + n;
	ny = floor_div(total, 12);
	if (ny < ARITH_MIN_YEAR)
		ny = ARITH_MIN_YEAR;
	if (ny > ARITH_MAX_YEAR)
		ny = ARITH_MAX_YEAR;
	m = (int)(total - floor_div(total, 12) * 12) + 1;
	y = (int)ny;
	dim = ct_days_in_month(y, m);
	if (dd > dim)
		dd = dim;
	return ct_date_from_ymd(y, m, dd);
}

/* --- time zones --------------------------------------------------------- */

static bool
tz_is_utc(const char *tz)
{
	return tz == NULL || tz[0] == '\0';
}

/* Check that tz is a plausible IANA name with a TZif file behind it. */
static int
tz_check(const char *tz, ct_error *err)
{
	char path[sizeof(ZONEINFO_DIR) + TZ_NAME_MAX + 2];
	char magic[4];
	size_t i, len = strlen(tz);
	FILE *f;
	bool ok;

	if (len > TZ_NAME_MAX || tz[0] == '/' || strstr(tz, "..") != NULL)
		goto bad;
	for (i = 0; i < len; i++) {
		char c = tz[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		    c == '+' || c == '.' || c == '/'))
			goto bad;
	}
	snprintf(path, sizeof(path), "%s/%s", ZONEINFO_DIR, tz);
	if ((f = fopen(path, "rb")) == NULL)
		return ct_error_set(err, CT_EINVALID,
		    "unknown time zone '%s'", tz);
	ok = fread(magic, 1, sizeof(magic), f) == sizeof(magic) &&
	    memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	if (!ok)
		return ct_error_set(err, CT_EINVALID,
		    "unknown time zone '%s'", tz);
	return 0;
bad:
	return ct_error_set(err, CT_EINVALID, "invalid time zone name '%.*s'",
	    TZ_NAME_MAX, tz);
}

typedef struct tz_saved {
	char *old;   /* previous TZ value, or NULL when it was unset */
	bool had;
} tz_saved;

/* Switch the C library to zone tz, remembering the previous TZ. */
static int
tz_push(const char *tz, tz_saved *saved, ct_error *err)
{
	const char *old = getenv("TZ");
	char *val = NULL;
	int rc = 0;

	saved->had = old != NULL;
	saved->old = NULL;
	if (old != NULL && (saved->old = strdup(old)) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	if ((val = malloc(strlen(tz) + 2)) == NULL) {
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto cleanup;
	}
	val[0] = ':';
	strcpy(val + 1, tz);
	if (setenv("TZ", val, 1) != 0) {
		rc = ct_error_set(err, CT_ERROR, "setenv TZ: %s",
		    strerror(errno));
		goto cleanup;
	}
	tzset();
cleanup:
	free(val);
	if (rc != 0) {
		free(saved->old);
		saved->old = NULL;
	}
	return rc;
}

static void
tz_pop(tz_saved *saved)
{
	if (saved->had)
		setenv("TZ", saved->old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved->old);
	saved->old = NULL;
}

int
ct_date_today(const char *tz, int64_t now, ct_date *out, ct_error *err)
{
	tz_saved saved;
	struct tm tm;
	time_t t = (time_t)now;
	int rc;

	if (tz_is_utc(tz)) {
		*out = (ct_date)floor_div(now, 86400);
		return 0;
	}
	if ((rc = tz_check(tz, err)) != 0)
		return rc;
	if ((int64_t)t != now)
		return ct_error_set(err, CT_EINVALID, "time out of range");
	if ((rc = tz_push(tz, &saved, err)) != 0)
		return rc;
	if (localtime_r(&t, &tm) == NULL)
		rc = ct_error_set(err, CT_EINVALID,
		    "can not convert time %lld to zone '%s'", (long long)now,
		    tz);
	else
		*out = ct_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday);
	tz_pop(&saved);
	return rc;
}

int
ct_date_end_of_day(const char *tz, ct_date d, int64_t *out, ct_error *err)
{
	tz_saved saved;
	struct tm tm;
	time_t t;
	int y, m, dd, rc;

	if (tz_is_utc(tz)) {
		*out = (int64_t)d * 86400 + 86399;
		return 0;
	}
	if ((rc = tz_check(tz, err)) != 0)
		return rc;
	ct_date_to_ymd(d, &y, &m, &dd);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = dd;
	tm.tm_hour = 23;
	tm.tm_min = 59;
	tm.tm_sec = 59;
	tm.tm_isdst = -1;
	if ((rc = tz_push(tz, &saved, err)) != 0)
		return rc;
	errno = 0;
	t = mktime(&tm);
	if (t == (time_t)-1 && errno != 0)
		rc = ct_error_set(err, CT_EINVALID,
		    "can not convert the end of day %d to zone '%s'", d, tz);
	else
		*out = (int64_t)t;
	tz_pop(&saved);
	return rc;
}

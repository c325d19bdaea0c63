/*
 * casetrail calendars: ACT and VIC public holidays, business days.
 *
 * ct_calendar_new() computes every holiday of 2000-2100 by rule once and
 * keeps them in one array sorted by date, with an index of where each year
 * starts; lookups are binary searches and never change the calendar.  A
 * second sorted array holds the distinct holiday dates that fall on a
 * weekday, so that counting business days between two dates is arithmetic
 * on weekdays minus two binary searches, whatever the distance.
 *
 * The rules, with the statute each comes from and the years it applies,
 * are listed in docs/holidays.md; in short:
 *
 *   both  New Year's Day, Australia Day (moved to Monday from a weekend),
 *         Good Friday, Easter Saturday, Easter Sunday (from 2016), Easter
 *         Monday, Anzac Day, the Sovereign's Birthday (2nd Monday in June;
 *         "Queen's Birthday" to 2022, "King's Birthday" from 2023),
 *         Christmas Day and Boxing Day with their Monday/Tuesday days.
 *   ACT   Holidays Act 1958: Canberra Day (3rd Monday in March to 2007,
 *         2nd Monday from 2008), Reconciliation Day (27 May or the next
 *         Monday, from 2018), Labour Day (1st Monday in October); Anzac
 *         Day on a Sunday moves to the Monday (on a Saturday it stays,
 *         and any Monday is declared); since the 2014 amendment
 *         New Year's Day, Christmas Day and Boxing Day on a weekend are
 *         kept and a Monday/Tuesday is added (before it they moved).
 *   VIC   Public Holidays Act 1993 s 6: Labour Day (2nd Monday in March),
 *         Melbourne Cup Day (1st Tuesday in November, metropolitan
 *         Melbourne); New Year's Day and Boxing Day on a weekend are kept
 *         and a Monday/Tuesday is added; Christmas Day likewise from 2019
 *         (before the 2019 amendment it moved).  Anzac Day never moves.
 *
 * Not computed, because they are gazetted or depend on something other
 * than the date: the Friday before the AFL Grand Final (VIC), Family and
 * Community Day (ACT 2007-2017), the ACT's declared Monday after an Anzac
 * Day on a Saturday, one-off days such as the National Day of Mourning of
 * 22 September 2022.  They come from the store's calendars/<JUR>.yaml
 * through ct_calendar_apply().
 *
 * Holidays that share a date (e.g. Easter Monday on Anzac Day) are kept as
 * separate entries in the order they were made; the date counts once.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/calendar.h"

#define FIRST_YEAR 2000
#define LAST_YEAR 2100
#define NYEARS (LAST_YEAR - FIRST_YEAR + 1)
#define NAME_MAX_LEN 200

enum { MON = 1, TUE, WED, THU, FRI, SAT, SUN };

struct ct_calendar {
	ct_jurisdiction jur;
	ct_holiday *days;          /* sorted by date, stable */
	size_t n, cap;
	size_t year_start[NYEARS + 1];
	ct_date *weekday_dates;    /* distinct holiday dates on Mon-Fri */
	size_t nweekday;
	char **owned;              /* names copied from calendar files */
	size_t nowned, capowned;
	ct_holiday **retired;      /* tables replaced by ct_calendar_apply */
	size_t nretired;
	ct_date first, last;       /* 2000-01-01 and 2100-12-31 */
};

ct_jurisdiction
ct_jurisdiction_parse(const char *s)
{
	if (s == NULL)
		return CT_JUR_NONE;
	if (strcmp(s, "ACT") == 0)
		return CT_JUR_ACT;
	if (strcmp(s, "VIC") == 0)
		return CT_JUR_VIC;
	return CT_JUR_NONE;
}

const char *
ct_jurisdiction_name(ct_jurisdiction j)
{
	switch (j) {
	case CT_JUR_ACT:
		return "ACT";
	case CT_JUR_VIC:
		return "VIC";
	default:
		return "NONE";
	}
}

/* --- rules --------------------------------------------------------------- */

/* Easter Sunday by the anonymous Gregorian computus (Meeus/Jones/Butcher). */
static ct_date
easter_sunday(int y)
{
	int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int day = (h + l - 7 * m + 114) % 31 + 1;

	return ct_date_from_ymd(y, month, day);
}

/* The nth (1-based) weekday wd (1 = Monday) of month m of year y. */
static ct_date
nth_weekday(int y, int m, int wd, int n)
{
	ct_date first = ct_date_from_ymd(y, m, 1);
	int off = (wd - ct_date_weekday(first) + 7) % 7;

	return first + off + 7 * (n - 1);
}

/* The first day on or after d that is weekday wd. */
static ct_date
on_or_after(ct_date d, int wd)
{
	return d + (wd - ct_date_weekday(d) + 7) % 7;
}

static int
push(ct_calendar *cal, ct_date d, const char *name)
{
	ct_holiday *p;
	size_t cap;

	if (cal->n == cal->cap) {
		cap = cal->cap ? cal->cap * 2 : 2048;
		if ((p = realloc(cal->days, cap * sizeof(*p))) == NULL)
			return -1;
		cal->days = p;
		cal->cap = cap;
	}
	cal->days[cal->n].date = d;
	cal->days[cal->n].name = name;
	cal->n++;
	return 0;
}

/*
 * A day fixed by date that, on a weekend, either moves ("or the following
 * Monday": keep == false) or stays and gains a weekday ("and the following
 * Monday": keep == true).  sat and sun are the days added after a Saturday
 * and a Sunday (0: nothing).
 */
static int
fixed(ct_calendar *cal, ct_date d, const char *name, const char *subname,
    bool keep, int sat, int sun)
{
	int wd = ct_date_weekday(d);
	int add = wd == SAT ? sat : wd == SUN ? sun : 0;

	if (add == 0 || keep)
		if (push(cal, d, name) != 0)
			return -1;
	if (add != 0)
		if (push(cal, d + add, subname) != 0)
			return -1;
	return 0;
}

static int
common_easter(ct_calendar *cal, int y)
{
	ct_date e = easter_sunday(y);

	if (push(cal, e - 2, "Good Friday") != 0 ||
	    push(cal, e - 1, "Easter Saturday") != 0)
		return -1;
	if (y >= 2016 && push(cal, e, "Easter Sunday") != 0)
		return -1;
	return push(cal, e + 1, "Easter Monday");
}

static const char *
sovereign(int y)
{
	return y <= 2022 ? "Queen's Birthday" : "King's Birthday";
}

static int
act_year(ct_calendar *cal, int y)
{
	bool keep = y >= 2014;  /* Holidays Amendment Act 2014 (A2014-28) */
	ct_date xmas = ct_date_from_ymd(y, 12, 25);

	if (fixed(cal, ct_date_from_ymd(y, 1, 1), "New Year's Day",
	    "New Year's Day (substitute)", keep, 2, 1) != 0 ||
	    fixed(cal, ct_date_from_ymd(y, 1, 26), "Australia Day",
	    "Australia Day (substitute)", false, 2, 1) != 0)
		return -1;
	if (push(cal, nth_weekday(y, 3, MON, y <= 2007 ? 3 : 2),
	    "Canberra Day") != 0)
		return -1;
	if (common_easter(cal, y) != 0)
		return -1;
	/* s 3 (1) (a): Anzac Day on a Sunday moves to the Monday. */
	if (fixed(cal, ct_date_from_ymd(y, 4, 25), "Anzac Day",
	    "Anzac Day (substitute)", false, 0, 1) != 0)
		return -1;
	if (y >= 2018 && push(cal, on_or_after(ct_date_from_ymd(y, 5, 27),
	    MON), "Reconciliation Day") != 0)
		return -1;
	if (push(cal, nth_weekday(y, 6, MON, 2), sovereign(y)) != 0 ||
	    push(cal, nth_weekday(y, 10, MON, 1), "Labour Day") != 0)
		return -1;
	if (keep) {
		/* 25 and 26 December stay; Monday/Tuesday are added. */
		if (fixed(cal, xmas, "Christmas Day",
		    "Christmas Day (substitute)", true, 2, 2) != 0 ||
		    fixed(cal, xmas + 1, "Boxing Day",
		    "Boxing Day (substitute)", true, 2, 2) != 0)
			return -1;
		return 0;
	}
	/*
	 * Before 2014 (Holidays (Amendment) Act 1992): Christmas Day on a
	 * Saturday or Sunday moved to the following Monday; Boxing Day on a
	 * Saturday to the Monday, on a Sunday or Monday to the Tuesday.
	 */
	if (fixed(cal, xmas, "Christmas Day", "Christmas Day (substitute)",
	    false, 2, 1) != 0)
		return -1;
	if (ct_date_weekday(xmas + 1) == MON)
		return push(cal, xmas + 2, "Boxing Day (substitute)");
	return fixed(cal, xmas + 1, "Boxing Day", "Boxing Day (substitute)",
	    false, 2, 2);
}

static int
vic_year(ct_calendar *cal, int y)
{
	ct_date xmas = ct_date_from_ymd(y, 12, 25);

	if (fixed(cal, ct_date_from_ymd(y, 1, 1), "New Year's Day",
	    "New Year's Day (substitute)", true, 2, 1) != 0 ||
	    fixed(cal, ct_date_from_ymd(y, 1, 26), "Australia Day",
	    "Australia Day (substitute)", false, 2, 1) != 0)
		return -1;
	if (push(cal, nth_weekday(y, 3, MON, 2), "Labour Day") != 0)
		return -1;
	if (common_easter(cal, y) != 0)
		return -1;
	if (push(cal, ct_date_from_ymd(y, 4, 25), "Anzac Day") != 0 ||
	    push(cal, nth_weekday(y, 6, MON, 2), sovereign(y)) != 0 ||
	    push(cal, nth_weekday(y, 11, TUE, 1), "Melbourne Cup Day") != 0)
		return -1;
	/* s 6(k)/(ka): Christmas on a weekend kept from the 2019 amendment. */
	if (fixed(cal, xmas, "Christmas Day", "Christmas Day (substitute)",
	    y >= 2019, 2, 2) != 0)
		return -1;
	return fixed(cal, xmas + 1, "Boxing Day", "Boxing Day (substitute)",
	    true, 2, 2);
}

/* --- the sorted table ---------------------------------------------------- */

/* Stable insertion sort of days[from..n) by date (a year at a time). */
static void
sort_range(ct_holiday *days, size_t from, size_t n)
{
	size_t i, j;
	ct_holiday h;

	for (i = from + 1; i < n; i++) {
		h = days[i];
		for (j = i; j > from && days[j - 1].date > h.date; j--)
			days[j] = days[j - 1];
		days[j] = h;
	}
}

/* Index of the first entry with date >= d. */
static size_t
lower_bound(const ct_holiday *days, size_t n, ct_date d)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (days[mid].date < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Number of entries of dates[0..n) that are <= d. */
static size_t
count_le(const ct_date *dates, size_t n, ct_date d)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (dates[mid] <= d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Rebuild the year index and the weekday-holiday dates after a change.
 * Allocates first, so that on failure nothing has changed.
 */
static int
reindex(ct_calendar *cal)
{
	ct_date *wk;
	size_t i, k = 0;
	int y;

	if ((wk = malloc((cal->n ? cal->n : 1) * sizeof(*wk))) == NULL)
		return -1;
	for (i = 0; i < cal->n; i++) {
		ct_date d = cal->days[i].date;

		if (ct_date_weekday(d) >= SAT || (k > 0 && wk[k - 1] == d))
			continue;
		wk[k++] = d;
	}
	free(cal->weekday_dates);
	cal->weekday_dates = wk;
	cal->nweekday = k;
	for (y = FIRST_YEAR; y <= LAST_YEAR + 1; y++)
		cal->year_start[y - FIRST_YEAR] = lower_bound(cal->days,
		    cal->n, ct_date_from_ymd(y, 1, 1));
	return 0;
}

int
ct_calendar_new(ct_jurisdiction j, ct_calendar **out, ct_error *err)
{
	ct_calendar *cal;
	size_t from;
	int y, rc = 0;

	*out = NULL;
	if (j != CT_JUR_ACT && j != CT_JUR_VIC)
		return ct_error_set(err, CT_EINVALID,
		    "no holiday rules for jurisdiction %d", (int)j);
	if ((cal = calloc(1, sizeof(*cal))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	cal->jur = j;
	cal->first = ct_date_from_ymd(FIRST_YEAR, 1, 1);
	cal->last = ct_date_from_ymd(LAST_YEAR, 12, 31);
	for (y = FIRST_YEAR; y <= LAST_YEAR; y++) {
		from = cal->n;
		if ((j == CT_JUR_ACT ? act_year(cal, y) : vic_year(cal, y)) != 0)
			goto nomem;
		sort_range(cal->days, from, cal->n);
	}
	if (reindex(cal) != 0)
		goto nomem;
	*out = cal;
	return 0;
nomem:
	rc = ct_error_set(err, CT_ERROR, "out of memory");
	ct_calendar_free(cal);
	return rc;
}

void
ct_calendar_free(ct_calendar *cal)
{
	size_t i;

	if (cal == NULL)
		return;
	for (i = 0; i < cal->nowned; i++)
		free(cal->owned[i]);
	free(cal->owned);
	for (i = 0; i < cal->nretired; i++)
		free(cal->retired[i]);
	free(cal->retired);
	free(cal->days);
	free(cal->weekday_dates);
	free(cal);
}

ct_jurisdiction
ct_calendar_jurisdiction(const ct_calendar *cal)
{
	return cal->jur;
}

bool
ct_calendar_is_holiday(const ct_calendar *cal, ct_date d, const char **name)
{
	size_t i = lower_bound(cal->days, cal->n, d);

	if (i == cal->n || cal->days[i].date != d)
		return false;
	if (name != NULL)
		*name = cal->days[i].name;
	return true;
}

bool
ct_calendar_is_business_day(const ct_calendar *cal, ct_date d)
{
	return ct_date_weekday(d) <= FRI && !ct_calendar_is_holiday(cal, d,
	    NULL);
}

int
ct_calendar_year(ct_calendar *cal, int year, const ct_holiday **out,
    size_t *n, ct_error *err)
{
	size_t a, b;

	if (year < FIRST_YEAR || year > LAST_YEAR)
		return ct_error_set(err, CT_EINVALID,
		    "no holidays for %d: the calendar covers %d-%d", year,
		    FIRST_YEAR, LAST_YEAR);
	a = cal->year_start[year - FIRST_YEAR];
	b = cal->year_start[year - FIRST_YEAR + 1];
	*out = cal->days + a;
	*n = b - a;
	return 0;
}

/* --- business days ------------------------------------------------------- */

/* Weekdays in (-inf, x], counted from the Monday 1969-12-29 (day -3). */
static int64_t
weekdays_upto(int64_t x)
{
	int64_t k = x + 3, q, r;

	q = k / 7;
	r = k % 7;
	if (r < 0) {
		q--;
		r += 7;
	}
	return q * 5 + (r + 1 < 5 ? r + 1 : 5);
}

/* Business days in (a, b], a <= b. */
static int64_t
business_upto(const ct_calendar *cal, ct_date a, ct_date b)
{
	int64_t w = weekdays_upto(b) - weekdays_upto(a);
	size_t h = count_le(cal->weekday_dates, cal->nweekday, b) -
	    count_le(cal->weekday_dates, cal->nweekday, a);

	return w - (int64_t)h;
}

int
ct_calendar_business_days_between(const ct_calendar *cal, ct_date from,
    ct_date to)
{
	int64_t v;

	if (to >= from)
		v = business_upto(cal, from, to);
	else
		v = -business_upto(cal, to, from);
	if (v > INT32_MAX)
		v = INT32_MAX;
	if (v < -INT32_MAX)
		v = -INT32_MAX;
	return (int)v;
}

/*
 * The smallest t > d with n business days in (d, t] (n > 0), found by
 * bisection on the count, which grows with t.  The first bracket, d + 2n +
 * 7, is always wide enough for the computed holidays; it is doubled while
 * it is not (a calendar file could add long runs of days).  A negative n
 * counts backwards: the largest t < d with |n| business days in [t, d).
 * Results are clamped to the range of a ct_date.
 */
ct_date
ct_calendar_add_business_days(const ct_calendar *cal, ct_date d, int n)
{
	int64_t lo, hi, mid, span, want = n < 0 ? -(int64_t)n : n;

	if (n == 0)
		return d;
	span = 2 * want + 7;
	if (n > 0) {
		lo = d;                         /* count(d, lo] < want */
		for (;;) {
			hi = (int64_t)d + span;
			if (hi >= INT32_MAX) {
				hi = INT32_MAX;
				break;
			}
			if (business_upto(cal, d, (ct_date)hi) >= want)
				break;
			span *= 2;
		}
		while (hi - lo > 1) {
			mid = lo + (hi - lo) / 2;
			if (business_upto(cal, d, (ct_date)mid) >= want)
				hi = mid;
			else
				lo = mid;
		}
		return (ct_date)hi;
	}
	hi = d;                                 /* count[hi, d) < want */
	for (;;) {
		lo = (int64_t)d - span;
		if (lo <= INT32_MIN + 1) {
			lo = INT32_MIN + 1;
			break;
		}
		if (business_upto(cal, (ct_date)(lo - 1), d - 1) >= want)
			break;
		span *= 2;
	}
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (business_upto(cal, (ct_date)(mid - 1), d - 1) >= want)
			lo = mid;
		else
			hi = mid;
	}
	return (ct_date)lo;
}

/* --- calendar files ------------------------------------------------------ */

/* Where a node is, for messages: "file:line:col" or just "file". */
static void
where(char *buf, size_t len, const char *file, const ct_node *n)
{
	if (n != NULL && n->line > 0)
		snprintf(buf, len, "%s:%u:%u", file, n->line, n->col);
	else
		snprintf(buf, len, "%s", file);
}

static int
node_error(ct_error *err, const char *file, const ct_node *n,
    const char *field, const char *msg)
{
	char pos[512];

	where(pos, sizeof(pos), file, n);
	return ct_error_set(err, CT_EINVALID, "%s: %s: %s", pos, field, msg);
}

static const ct_node *
map_get(const ct_node *map, const char *key)
{
	size_t i;

	if (map == NULL || map->kind != CT_NODE_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (strcmp(map->pairs[i].key, key) == 0)
			return map->pairs[i].value;
	return NULL;
}

static bool
is_str(const ct_node *n)
{
	return n != NULL && n->kind == CT_NODE_SCALAR &&
	    n->type == CT_SCALAR_STR && n->str != NULL &&
	    strlen(n->str) == n->len;
}

/* Reject keys of map that are not in allowed (NULL-terminated). */
static int
check_keys(const ct_node *map, const char *const *allowed, const char *file,
    const char *path, ct_error *err)
{
	char field[256], pos[512];
	size_t i, k;

	for (i = 0; i < map->n; i++) {
		for (k = 0; allowed[k] != NULL; k++)
			if (strcmp(map->pairs[i].key, allowed[k]) == 0)
				break;
		if (allowed[k] != NULL)
			continue;
		snprintf(field, sizeof(field), "%s%s%.100s", path,
		    path[0] ? "." : "", map->pairs[i].key);
		if (map->pairs[i].line > 0)
			snprintf(pos, sizeof(pos), "%s:%u:%u", file,
			    map->pairs[i].line, map->pairs[i].col);
		else
			snprintf(pos, sizeof(pos), "%s", file);
		return ct_error_set(err, CT_EINVALID, "%s: %s: unknown field",
		    pos, field);
	}
	return 0;
}

/* Parse item[field] as a date in the calendar's range. */
static int
item_date(const ct_calendar *cal, const ct_node *item, const char *file,
    const char *path, ct_date *out, ct_error *err)
{
	const ct_node *v = map_get(item, "date");
	char field[128], msg[128];
	ct_error perr = {0};
	int rc;

	snprintf(field, sizeof(field), "%s.date", path);
	if (v == NULL)
		return node_error(err, file, item, field, "missing");
	if (!is_str(v))
		return node_error(err, file, v, field,
		    "must be a date YYYY-MM-DD");
	if (ct_date_parse(v->str, out, &perr) != 0) {
		rc = node_error(err, file, v, field, ct_error_msg(&perr));
		ct_error_clear(&perr);
		return rc;
	}
	if (*out < cal->first || *out > cal->last) {
		snprintf(msg, sizeof(msg), "%s is outside %d-%d", v->str,
		    FIRST_YEAR, LAST_YEAR);
		return node_error(err, file, v, field, msg);
	}
	return 0;
}

/* An optional free-text field: a non-empty string of at most 200 bytes. */
static int
item_text(const ct_node *item, const char *key, bool required,
    const char *file, const char *path, const char **out, ct_error *err)
{
	const ct_node *v = map_get(item, key);
	char field[128];

	*out = NULL;
	snprintf(field, sizeof(field), "%s.%s", path, key);
	if (v == NULL)
		return required ? node_error(err, file, item, field,
		    "missing") : 0;
	if (!is_str(v) || v->len == 0 || v->len > NAME_MAX_LEN)
		return node_error(err, file, v, field,
		    "must be a string of 1-200 characters");
	*out = v->str;
	return 0;
}

static int
check_seq(const ct_node *seq, const char *file, const char *key,
    ct_error *err)
{
	if (seq == NULL)
		return 0;
	if (seq->kind != CT_NODE_SEQ)
		return node_error(err, file, seq, key, "must be a list");
	return 0;
}

/*
 * The shape of a calendars/<JUR>.yaml document: its keys, its
 * jurisdiction (cal's), and every add and cancel entry's keys, date and
 * texts; *add and *cancel get the lists (NULL when absent).
 */
static int
calendar_doc_check(const ct_calendar *cal, const ct_node *doc,
    const char *file, const ct_node **add, const ct_node **cancel,
    ct_error *err)
{
	static const char *const top_keys[] = {"jurisdiction", "add",
	    "cancel", NULL};
	static const char *const add_keys[] = {"date", "name", "source",
	    NULL};
	static const char *const cancel_keys[] = {"date", "reason", NULL};
	const ct_node *jur, *item;
	const char *text;
	char path[64], msg[160];
	size_t i;
	ct_date d;
	int rc;

	if (doc == NULL || doc->kind != CT_NODE_MAP)
		return node_error(err, file, doc, "(root)",
		    "must be a mapping");
	if ((rc = check_keys(doc, top_keys, file, "", err)) != 0)
		return rc;
	jur = map_get(doc, "jurisdiction");
	if (jur == NULL)
		return node_error(err, file, doc, "jurisdiction", "missing");
	if (!is_str(jur) || ct_jurisdiction_parse(jur->str) == CT_JUR_NONE)
		return node_error(err, file, jur, "jurisdiction",
		    "must be ACT or VIC");
	if (ct_jurisdiction_parse(jur->str) != cal->jur) {
		snprintf(msg, sizeof(msg), "%s does not match the %s calendar",
		    jur->str, ct_jurisdiction_name(cal->jur));
		return node_error(err, file, jur, "jurisdiction", msg);
	}
	*add = map_get(doc, "add");
	*cancel = map_get(doc, "cancel");
	if ((rc = check_seq(*add, file, "add", err)) != 0 ||
	    (rc = check_seq(*cancel, file, "cancel", err)) != 0)
		return rc;
	for (i = 0; *cancel != NULL && i < (*cancel)->n; i++) {
		item = (*cancel)->items[i];
		snprintf(path, sizeof(path), "cancel[%zu]", i);
		if (item == NULL || item->kind != CT_NODE_MAP)
			return node_error(err, file, item, path,
			    "must be a mapping");
		if ((rc = check_keys(item, cancel_keys, file, path, err)) != 0 ||
		    (rc = item_date(cal, item, file, path, &d, err)) != 0 ||
		    (rc = item_text(item, "reason", false, file, path, &text,
		    err)) != 0)
			return rc;
	}
	for (i = 0; *add != NULL && i < (*add)->n; i++) {
		item = (*add)->items[i];
		snprintf(path, sizeof(path), "add[%zu]", i);
		if (item == NULL || item->kind != CT_NODE_MAP)
			return node_error(err, file, item, path,
			    "must be a mapping");
		if ((rc = check_keys(item, add_keys, file, path, err)) != 0 ||
		    (rc = item_date(cal, item, file, path, &d, err)) != 0 ||
		    (rc = item_text(item, "name", true, file, path, &text,
		    err)) != 0 ||
		    (rc = item_text(item, "source", false, file, path, &text,
		    err)) != 0)
			return rc;
	}
	return 0;
}

/* The dates of the (checked) cancel entries in *out (owned): each must
 * name a day that is a holiday now, once. */
static int
cancelled_dates(const ct_calendar *cal, const ct_node *cancel,
    const char *file, ct_date **out, ct_error *err)
{
	size_t i, k, nc = cancel ? cancel->n : 0;
	char path[64], msg[160], buf[CT_DATE_BUFSZ];
	const ct_node *item;
	ct_date d;

	if ((*out = calloc(nc ? nc : 1, sizeof(**out))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	for (i = 0; i < nc; i++) {
		item = cancel->items[i];
		snprintf(path, sizeof(path), "cancel[%zu].date", i);
		item_date(cal, item, file, path, &d, NULL);
		for (k = 0; k < i; k++)
			if ((*out)[k] == d)
				break;
		if (k < i || !ct_calendar_is_holiday(cal, d, NULL)) {
			snprintf(msg, sizeof(msg), "%s is not a %s holiday%s",
			    ct_date_format(d, buf),
			    ct_jurisdiction_name(cal->jur),
			    k < i ? " (cancelled twice)" : "");
			return node_error(err, file, map_get(item, "date"),
			    path, msg);
		}
		(*out)[i] = d;
	}
	return 0;
}

/* Room in cal for na more owned names and one more retired table (the
 * rest of cal unchanged). */
static int
calendar_reserve(ct_calendar *cal, size_t na, ct_error *err)
{
	ct_holiday **r;

	if (cal->nowned + na > cal->capowned) {
		size_t cap = cal->nowned + na + 16;
		char **p = realloc(cal->owned, cap * sizeof(*p));

		if (p == NULL)
			return ct_error_set(err, CT_ERROR, "out of memory");
		cal->owned = p;
		cal->capowned = cap;
	}
	if ((r = realloc(cal->retired, (cal->nretired + 1) * sizeof(*r))) ==
	    NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	cal->retired = r;
	return 0;
}

/*
 * The new table of cal: its days but the nc cancelled ones, plus the
 * (checked) added ones, each after the days already on its date.  All
 * the memory is had before cal changes, so on an error cal is as it was.
 */
static int
calendar_splice(ct_calendar *cal, const ct_node *add, const ct_date *cdates,
    size_t nc, const char *file, ct_error *err)
{
	const ct_node *item;
	ct_holiday *ndays = NULL;
	char **nowned = NULL;
	size_t i, k, na = add ? add->n : 0, nn = cal->n + na, pos;
	ct_date d;
	int rc = 0;

	if ((ndays = malloc((nn ? nn : 1) * sizeof(*ndays))) == NULL ||
	    (nowned = calloc(na ? na : 1, sizeof(*nowned))) == NULL) {
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto cleanup;
	}
	for (i = 0, k = 0; i < cal->n; i++) {
		size_t c;

		for (c = 0; c < nc; c++)
			if (cdates[c] == cal->days[i].date)
				break;
		if (c == nc)
			ndays[k++] = cal->days[i];
	}
	for (i = 0; i < na; i++) {
		item = add->items[i];
		item_date(cal, item, file, "add", &d, NULL);
		if ((nowned[i] = strdup(map_get(item, "name")->str)) == NULL) {
			rc = ct_error_set(err, CT_ERROR, "out of memory");
			goto cleanup;
		}
		/* After the days already on that date. */
		pos = lower_bound(ndays, k, d + 1);
		memmove(ndays + pos + 1, ndays + pos,
		    (k - pos) * sizeof(*ndays));
		ndays[pos].date = d;
		ndays[pos].name = nowned[i];
		k++;
	}
	if ((rc = calendar_reserve(cal, na, err)) != 0)
		goto cleanup;

	/* Commit. */
	{
		ct_holiday *old = cal->days;
		size_t oldn = cal->n, oldcap = cal->cap;

		cal->days = ndays;
		cal->n = k;
		cal->cap = nn ? nn : 1;
		if (reindex(cal) != 0) {
			cal->days = old;
			cal->n = oldn;
			cal->cap = oldcap;
			rc = ct_error_set(err, CT_ERROR, "out of memory");
			goto cleanup;
		}
		/* Arrays from ct_calendar_year() stay valid until the free. */
		cal->retired[cal->nretired++] = old;
		ndays = NULL;
	}
	for (i = 0; i < na; i++) {
		cal->owned[cal->nowned++] = nowned[i];
		nowned[i] = NULL;
	}

cleanup:
	if (nowned != NULL)
		for (i = 0; i < na; i++)
			free(nowned[i]);
	free(nowned);
	free(ndays);
	return rc;
}

/*
 * Validate the whole document before changing anything, so that a bad file
 * leaves the calendar as it was; then remove the cancelled days and insert
 * the added ones into a new table.  The old table is kept until the
 * calendar is freed, because ct_calendar_year() promised its callers that
 * the arrays it returned stay valid that long.
 */
int
ct_calendar_apply(ct_calendar *cal, const ct_node *doc, const char *file,
    ct_error *err)
{
	const ct_node *add = NULL, *cancel = NULL;
	ct_date *cdates = NULL;
	int rc;

	if (file == NULL)
		file = "calendar";
	if ((rc = calendar_doc_check(cal, doc, file, &add, &cancel, err)) == 0 &&
	    (rc = cancelled_dates(cal, cancel, file, &cdates, err)) == 0)
		rc = calendar_splice(cal, add, cdates, cancel ? cancel->n : 0,
		    file, err);
	free(cdates);
	return rc;
}

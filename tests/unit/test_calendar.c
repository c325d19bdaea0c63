/*
 * Tests of lib/core/calendar.c.
 *
 * The heart is the golden tables tests/fixtures/holidays/{ACT,VIC}.txt,
 * written by hand from the published lists (2018-2030): the calendar,
 * after applying the gazetted days of tests/fixtures/holidays/
 * JUR-gazetted.yaml, must hold exactly the table's holidays for each year
 * in it, date and name, and every difference either way is printed.
 * Then the business-day fixtures of tests/fixtures/dates/, the rules of
 * the years before the table (Canberra Day before 2008, the 2014 and 2019
 * amendments, Easter Sunday from 2016), and ct_calendar_apply's checks
 * and messages.  Rule ACT-REMAND-ENGAGE (DESIGN.md §4) counts business
 * days with these calendars.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casetrail/calendar.h"
#include "casetrail/yaml.h"

#ifndef CT_FIXTURES
#error "CT_FIXTURES must name the tests/fixtures directory"
#endif

#define MAX_ROWS 512
#define MAX_LINE 256

typedef struct row {
	ct_date date;
	char name[128];
	bool seen;
} row;

static ct_date
must_parse(const char *s)
{
	ct_error err = {0};
	ct_date d = 0;

	if (ct_date_parse(s, &d, &err) != 0)
		fail_msg("%s", ct_error_msg(&err));
	return d;
}

static ct_date
ymd(int y, int m, int d)
{
	return ct_date_from_ymd(y, m, d);
}

static ct_calendar *
new_calendar(ct_jurisdiction j)
{
	ct_calendar *cal = NULL;
	ct_error err = {0};

	if (ct_calendar_new(j, &cal, &err) != 0)
		fail_msg("%s", ct_error_msg(&err));
	return cal;
}

/* A calendar with tests/fixtures/holidays/JUR-gazetted.yaml applied. */
static ct_calendar *
gazetted_calendar(ct_jurisdiction j)
{
	ct_calendar *cal = new_calendar(j);
	ct_node *doc = NULL;
	ct_error err = {0};
	char path[1024];

	snprintf(path, sizeof(path), "%s/holidays/%s-gazetted.yaml",
	    CT_FIXTURES, ct_jurisdiction_name(j));
	if (ct_yaml_load_file(path, &doc, &err) != 0 ||
	    ct_calendar_apply(cal, doc, path, &err) != 0)
		fail_msg("%s", ct_error_msg(&err));
	ct_node_free(doc);
	return cal;
}

/* Read a golden table; returns the number of rows. */
static size_t
read_table(const char *name, row *rows, size_t max)
{
	char path[1024], line[MAX_LINE], *tab;
	FILE *f;
	size_t n = 0, len;
	int lineno = 0;

	snprintf(path, sizeof(path), "%s/holidays/%s", CT_FIXTURES, name);
	if ((f = fopen(path, "r")) == NULL)
		fail_msg("can not open %s", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if ((tab = strchr(line, '\t')) == NULL || n == max)
			fail_msg("%s:%d: want DATE<TAB>NAME", name, lineno);
		*tab = '\0';
		rows[n].date = must_parse(line);
		if (n > 0 && rows[n].date < rows[n - 1].date)
			fail_msg("%s:%d: out of date order", name, lineno);
		snprintf(rows[n].name, sizeof(rows[n].name), "%s", tab + 1);
		rows[n].seen = false;
		n++;
	}
	fclose(f);
	return n;
}

/*
 * Compare, for every year in the table, the calendar's list with the
 * table both ways; print each difference; return how many there were.
 */
static int
compare_with_table(ct_calendar *cal, row *rows, size_t nrows,
    const char *label)
{
	const ct_holiday *hs;
	ct_error err = {0};
	char buf[CT_DATE_BUFSZ];
	size_t i, k, nh;
	int y, prev = 0, ndiff = 0, years = 0;

	for (i = 0; i < nrows; i++) {
		ct_date_to_ymd(rows[i].date, &y, NULL, NULL);
		if (y == prev)
			continue;
		prev = y;
		years++;
		assert_int_equal(ct_calendar_year(cal, y, &hs, &nh, &err), 0);
		for (k = 0; k < nh; k++) {
			size_t r;

			for (r = 0; r < nrows; r++)
				if (!rows[r].seen && rows[r].date == hs[k].date &&
				    strcmp(rows[r].name, hs[k].name) == 0)
					break;
			if (r < nrows) {
				rows[r].seen = true;
				continue;
			}
			print_error("%s: extra   %s\t%s\n", label,
			    ct_date_format(hs[k].date, buf), hs[k].name);
			ndiff++;
		}
	}
	for (i = 0; i < nrows; i++)
		if (!rows[i].seen) {
			print_error("%s: missing %s\t%s\n", label,
			    ct_date_format(rows[i].date, buf), rows[i].name);
			ndiff++;
		}
	assert_int_equal(years, 13);
	return ndiff;
}

static void
golden(ct_jurisdiction j, const char *table)
{
	static row rows[MAX_ROWS];
	ct_calendar *cal = gazetted_calendar(j);
	size_t n = read_table(table, rows, MAX_ROWS);
	int ndiff;

	assert_true(n > 13 * 12);
	ndiff = compare_with_table(cal, rows, n, table);
	ct_calendar_free(cal);
	if (ndiff != 0)
		fail_msg("%d differences between the calendar and %s", ndiff,
		    table);
}

static void
test_golden_ACT(void **state)
{
	(void)state;
	golden(CT_JUR_ACT, "ACT.txt");
}

static void
test_golden_VIC(void **state)
{
	(void)state;
	golden(CT_JUR_VIC, "VIC.txt");
}

/* --- business-day fixtures ----------------------------------------------- */

typedef struct fixture_cals {
	ct_calendar *act, *vic;
} fixture_cals;

static ct_calendar *
pick(fixture_cals *c, const char *jur)
{
	switch (ct_jurisdiction_parse(jur)) {
	case CT_JUR_ACT:
		return c->act;
	case CT_JUR_VIC:
		return c->vic;
	default:
		fail_msg("unknown jurisdiction '%s'", jur);
	}
	return NULL;
}

static FILE *
open_dates(const char *name)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/dates/%s", CT_FIXTURES, name);
	if ((f = fopen(path, "r")) == NULL)
		fail_msg("can not open %s", path);
	return f;
}

static void
test_add_business_days_fixture(void **state)
{
	fixture_cals c = {gazetted_calendar(CT_JUR_ACT),
	    gazetted_calendar(CT_JUR_VIC)};
	char line[MAX_LINE], jur[8], a[32], e[32], buf[CT_DATE_BUFSZ];
	FILE *f = open_dates("add-business-days.txt");
	int n, lineno = 0, count = 0, nfail = 0;
	ct_date got;

	(void)state;
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_int_equal(sscanf(line, "%7s %31s %d %31s", jur, a, &n,
		    e), 4);
		got = ct_calendar_add_business_days(pick(&c, jur),
		    must_parse(a), n);
		count++;
		if (got != must_parse(e)) {
			print_error("add-business-days.txt:%d: %s %s %+d: "
			    "want %s, got %s\n", lineno, jur, a, n, e,
			    ct_date_format(got, buf));
			nfail++;
		}
	}
	fclose(f);
	ct_calendar_free(c.act);
	ct_calendar_free(c.vic);
	assert_true(count >= 30);
	assert_int_equal(nfail, 0);
}

static void
test_business_days_between_fixture(void **state)
{
	fixture_cals c = {gazetted_calendar(CT_JUR_ACT),
	    gazetted_calendar(CT_JUR_VIC)};
	char line[MAX_LINE], jur[8], a[32], b[32];
	FILE *f = open_dates("business-days-between.txt");
	int want, got, lineno = 0, count = 0, nfail = 0;

	(void)state;
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_int_equal(sscanf(line, "%7s %31s %31s %d", jur, a, b,
		    &want), 4);
		got = ct_calendar_business_days_between(pick(&c, jur),
		    must_parse(a), must_parse(b));
		count++;
		if (got != want) {
			print_error("business-days-between.txt:%d: %s %s..%s: "
			    "want %d, got %d\n", lineno, jur, a, b, want, got);
			nfail++;
		}
	}
	fclose(f);
	ct_calendar_free(c.act);
	ct_calendar_free(c.vic);
	assert_true(count >= 15);
	assert_int_equal(nfail, 0);
}

/*
 * ACT-REMAND-ENGAGE counts business days: adding n and counting back agree
 * with a day-by-day walk, for every start day of 2018-2030 and n <= 15.
 */
static void
test_ACT_REMAND_ENGAGE_business_days_agree(void **state)
{
	ct_calendar *cal = gazetted_calendar(CT_JUR_ACT);
	ct_date d, t, walk, first = ymd(2018, 1, 1), last = ymd(2030, 12, 31);
	int n, k;

	(void)state;
	for (d = first; d <= last; d++) {
		walk = d;
		for (n = 1; n <= 15; n++) {
			do
				walk++;
			while (!ct_calendar_is_business_day(cal, walk));
			t = ct_calendar_add_business_days(cal, d, n);
			assert_int_equal(t, walk);
			assert_int_equal(ct_calendar_business_days_between(cal,
			    d, t), n);
			assert_int_equal(ct_calendar_business_days_between(cal,
			    t, d), -n);
			if (ct_calendar_is_business_day(cal, d))
				assert_int_equal(
				    ct_calendar_add_business_days(cal, t, -n),
				    d);
		}
		k = ct_calendar_business_days_between(cal, d, d + 6);
		assert_true(k >= 0 && k <= 5);
	}
	/* The remand engagement window: 5 business days from reception. */
	assert_int_equal(ct_calendar_add_business_days(cal, ymd(2026, 4, 2),
	    5), ymd(2026, 4, 13));
	/* Outside 2000-2100 only weekends are skipped. */
	assert_int_equal(ct_calendar_add_business_days(cal, ymd(2101, 12, 24),
	    1), ymd(2101, 12, 26));
	assert_int_equal(ct_calendar_business_days_between(cal,
	    ymd(1999, 12, 31), ymd(2000, 1, 4)), 1);
	/* Large counts are computed, not walked. */
	assert_int_equal(ct_calendar_business_days_between(cal,
	    ymd(2000, 1, 1), ymd(2100, 12, 31)),
	    ct_calendar_business_days_between(cal, ymd(2000, 1, 1),
	    ymd(2050, 6, 30)) + ct_calendar_business_days_between(cal,
	    ymd(2050, 6, 30), ymd(2100, 12, 31)));
	t = ct_calendar_add_business_days(cal, ymd(2000, 1, 1), 20000);
	assert_int_equal(ct_calendar_business_days_between(cal,
	    ymd(2000, 1, 1), t), 20000);
	assert_true(ct_calendar_is_business_day(cal, t));
	ct_calendar_free(cal);
}

/* --- rules outside the golden years -------------------------------------- */

static void
expect_holiday(const ct_calendar *cal, ct_date d, const char *name)
{
	const char *got = NULL;
	char buf[CT_DATE_BUFSZ];

	if (!ct_calendar_is_holiday(cal, d, &got))
		fail_msg("%s: %s is not a holiday (want %s)",
		    ct_jurisdiction_name(ct_calendar_jurisdiction(cal)),
		    ct_date_format(d, buf), name);
	if (strcmp(got, name) != 0)
		fail_msg("%s: %s is %s (want %s)",
		    ct_jurisdiction_name(ct_calendar_jurisdiction(cal)),
		    ct_date_format(d, buf), got, name);
}

static void
expect_not_holiday(const ct_calendar *cal, ct_date d)
{
	const char *got = NULL;
	char buf[CT_DATE_BUFSZ];

	if (ct_calendar_is_holiday(cal, d, &got))
		fail_msg("%s: %s is %s (want no holiday)",
		    ct_jurisdiction_name(ct_calendar_jurisdiction(cal)),
		    ct_date_format(d, buf), got);
}

static void
test_canberra_day_history(void **state)
{
	ct_calendar *act = new_calendar(CT_JUR_ACT);
	ct_calendar *vic = new_calendar(CT_JUR_VIC);

	(void)state;
	/* 3rd Monday in March 2000-2007 (A2007-30 s 6: 19 March 2007). */
	expect_holiday(act, ymd(2000, 3, 20), "Canberra Day");
	expect_holiday(act, ymd(2007, 3, 19), "Canberra Day");
	expect_not_holiday(act, ymd(2007, 3, 12));
	/* 2nd Monday from 2008. */
	expect_holiday(act, ymd(2008, 3, 10), "Canberra Day");
	expect_not_holiday(act, ymd(2008, 3, 17));
	expect_holiday(act, ymd(2013, 3, 11), "Canberra Day");
	expect_holiday(act, ymd(2100, 3, 8), "Canberra Day");
	expect_not_holiday(vic, ymd(2007, 3, 19));
	expect_holiday(vic, ymd(2007, 3, 12), "Labour Day");
	ct_calendar_free(act);
	ct_calendar_free(vic);
}

static void
test_easter(void **state)
{
	static const struct {
		int y, m, d;
	} sundays[] = {{2000, 4, 23}, {2008, 3, 23}, {2011, 4, 24},
	    {2019, 4, 21}, {2038, 4, 25}, {2049, 4, 18}, {2095, 4, 24},
	    {2100, 3, 28}};
	ct_calendar *act = new_calendar(CT_JUR_ACT);
	ct_calendar *vic = new_calendar(CT_JUR_VIC);
	const ct_holiday *hs;
	size_t i, n, k, nmon = 0;
	ct_date e;

	(void)state;
	for (i = 0; i < sizeof(sundays) / sizeof(sundays[0]); i++) {
		e = ymd(sundays[i].y, sundays[i].m, sundays[i].d);
		expect_holiday(act, e - 2, "Good Friday");
		expect_holiday(vic, e - 1, "Easter Saturday");
		expect_holiday(vic, e + 1, "Easter Monday");
	}
	/* Easter Sunday from 2016 in both. */
	expect_not_holiday(act, ymd(2015, 4, 5));
	expect_not_holiday(vic, ymd(2015, 4, 5));
	expect_holiday(act, ymd(2016, 3, 27), "Easter Sunday");
	expect_holiday(vic, ymd(2016, 3, 27), "Easter Sunday");
	/* 2011: Easter Monday is Anzac Day; both are listed, the day once. */
	assert_int_equal(ct_calendar_year(vic, 2011, &hs, &n, NULL), 0);
	for (k = 0; k < n; k++)
		if (hs[k].date == ymd(2011, 4, 25))
			nmon++;
	assert_int_equal(nmon, 2);
	assert_int_equal(ct_calendar_business_days_between(vic,
	    ymd(2011, 4, 21), ymd(2011, 4, 26)), 1);
	ct_calendar_free(act);
	ct_calendar_free(vic);
}

static void
test_christmas_amendments(void **state)
{
	ct_calendar *act = new_calendar(CT_JUR_ACT);
	ct_calendar *vic = new_calendar(CT_JUR_VIC);

	(void)state;
	/* ACT before A2014-28: weekend days moved. 2010: Sat/Sun. */
	expect_not_holiday(act, ymd(2010, 12, 25));
	expect_holiday(act, ymd(2010, 12, 27), "Christmas Day (substitute)");
	expect_holiday(act, ymd(2010, 12, 28), "Boxing Day (substitute)");
	/* 2011: Christmas on Sunday -> Monday; Boxing Day (Monday) -> Tuesday. */
	expect_holiday(act, ymd(2011, 12, 26), "Christmas Day (substitute)");
	expect_holiday(act, ymd(2011, 12, 27), "Boxing Day (substitute)");
	expect_not_holiday(act, ymd(2011, 1, 1));
	expect_holiday(act, ymd(2011, 1, 3), "New Year's Day (substitute)");
	/* ACT from 2014: kept and added. 2016: Christmas on Sunday. */
	expect_holiday(act, ymd(2016, 12, 25), "Christmas Day");
	expect_holiday(act, ymd(2016, 12, 26), "Boxing Day");
	expect_holiday(act, ymd(2016, 12, 27), "Christmas Day (substitute)");
	/* VIC before the 2019 amendment: Christmas moved, Boxing Day kept. */
	expect_not_holiday(vic, ymd(2016, 12, 25));
	expect_holiday(vic, ymd(2016, 12, 26), "Boxing Day");
	expect_holiday(vic, ymd(2016, 12, 27), "Christmas Day (substitute)");
	expect_not_holiday(vic, ymd(2010, 12, 25));
	expect_holiday(vic, ymd(2010, 12, 26), "Boxing Day");
	expect_holiday(vic, ymd(2010, 12, 27), "Christmas Day (substitute)");
	expect_holiday(vic, ymd(2010, 12, 28), "Boxing Day (substitute)");
	expect_holiday(vic, ymd(2011, 1, 1), "New Year's Day");
	expect_holiday(vic, ymd(2011, 1, 3), "New Year's Day (substitute)");
	/* Both from 2019 (VIC) / 2014 (ACT): 2032 Christmas on Saturday. */
	expect_holiday(vic, ymd(2032, 12, 25), "Christmas Day");
	expect_holiday(vic, ymd(2032, 12, 27), "Christmas Day (substitute)");
	expect_holiday(vic, ymd(2032, 12, 28), "Boxing Day (substitute)");
	expect_holiday(act, ymd(2032, 12, 25), "Christmas Day");
	ct_calendar_free(act);
	ct_calendar_free(vic);
}

static void
test_other_rules(void **state)
{
	ct_calendar *act = new_calendar(CT_JUR_ACT);
	ct_calendar *vic = new_calendar(CT_JUR_VIC);
	const ct_holiday *hs;
	size_t n, k;

	(void)state;
	/* Reconciliation Day from 2018 only; no Family and Community Day. */
	expect_not_holiday(act, ymd(2017, 5, 29));
	expect_not_holiday(act, ymd(2017, 9, 25));
	expect_holiday(act, ymd(2018, 5, 28), "Reconciliation Day");
	expect_holiday(act, ymd(2036, 6, 2), "Reconciliation Day");
	expect_not_holiday(vic, ymd(2018, 5, 28));
	/* Anzac Day: ACT moves a Sunday to Monday, VIC never moves. */
	expect_not_holiday(act, ymd(2010, 4, 25));
	expect_holiday(act, ymd(2010, 4, 26), "Anzac Day (substitute)");
	expect_holiday(vic, ymd(2010, 4, 25), "Anzac Day");
	expect_not_holiday(vic, ymd(2010, 4, 26));
	expect_holiday(act, ymd(2015, 4, 25), "Anzac Day");
	expect_not_holiday(act, ymd(2015, 4, 27));
	/* The Sovereign's name changes after 2022. */
	expect_holiday(vic, ymd(2022, 6, 13), "Queen's Birthday");
	expect_holiday(vic, ymd(2023, 6, 12), "King's Birthday");
	/* Melbourne Cup Day is VIC only; the AFL Friday is never computed. */
	expect_holiday(vic, ymd(2000, 11, 7), "Melbourne Cup Day");
	expect_not_holiday(act, ymd(2000, 11, 7));
	expect_not_holiday(vic, ymd(2025, 9, 26));
	/* Every year is in date order with no holiday on a wrong year. */
	for (int y = 2000; y <= 2100; y++) {
		assert_int_equal(ct_calendar_year(act, y, &hs, &n, NULL), 0);
		assert_true(n >= 11 && n <= 17);
		for (k = 0; k < n; k++) {
			int yy;

			ct_date_to_ymd(hs[k].date, &yy, NULL, NULL);
			assert_int_equal(yy, y);
			if (k > 0)
				assert_true(hs[k - 1].date <= hs[k].date);
		}
	}
	ct_calendar_free(act);
	ct_calendar_free(vic);
}

static void
test_basics(void **state)
{
	ct_calendar *cal = NULL;
	ct_error err = {0};
	const ct_holiday *hs;
	size_t n;

	(void)state;
	assert_int_equal(ct_jurisdiction_parse("ACT"), CT_JUR_ACT);
	assert_int_equal(ct_jurisdiction_parse("VIC"), CT_JUR_VIC);
	assert_int_equal(ct_jurisdiction_parse("vic"), CT_JUR_NONE);
	assert_int_equal(ct_jurisdiction_parse("NSW"), CT_JUR_NONE);
	assert_int_equal(ct_jurisdiction_parse(NULL), CT_JUR_NONE);
	assert_string_equal(ct_jurisdiction_name(CT_JUR_ACT), "ACT");
	assert_string_equal(ct_jurisdiction_name(CT_JUR_VIC), "VIC");
	assert_int_equal(ct_calendar_new(CT_JUR_NONE, &cal, &err),
	    CT_EINVALID);
	assert_null(cal);
	ct_error_clear(&err);

	cal = new_calendar(CT_JUR_VIC);
	assert_int_equal(ct_calendar_jurisdiction(cal), CT_JUR_VIC);
	assert_int_equal(ct_calendar_year(cal, 1999, &hs, &n, &err),
	    CT_EINVALID);
	ct_error_clear(&err);
	assert_int_equal(ct_calendar_year(cal, 2101, &hs, &n, &err),
	    CT_EINVALID);
	ct_error_clear(&err);
	assert_int_equal(ct_calendar_year(cal, 2100, &hs, &n, &err), 0);
	assert_true(ct_calendar_is_holiday(cal, ymd(2026, 1, 1), NULL));
	assert_false(ct_calendar_is_holiday(cal, ymd(1999, 1, 1), NULL));
	assert_false(ct_calendar_is_business_day(cal, ymd(2026, 1, 1)));
	assert_false(ct_calendar_is_business_day(cal, ymd(2026, 1, 3)));
	assert_true(ct_calendar_is_business_day(cal, ymd(2026, 1, 2)));
	assert_int_equal(ct_calendar_add_business_days(cal, ymd(2026, 1, 2),
	    1), ymd(2026, 1, 5));
	ct_calendar_free(cal);
	ct_calendar_free(NULL);
}

/* --- calendar files ------------------------------------------------------ */

static int
apply_text(ct_calendar *cal, const char *text, ct_error *err)
{
	ct_node *doc = NULL;
	int rc;

	if (ct_yaml_load(text, strlen(text), "calendars/VIC.yaml", &doc,
	    err) != 0)
		fail_msg("fixture YAML: %s", ct_error_msg(err));
	rc = ct_calendar_apply(cal, doc, "calendars/VIC.yaml", err);
	ct_node_free(doc);
	return rc;
}

static void
expect_apply_error(const char *text, const char *msg)
{
	ct_calendar *cal = new_calendar(CT_JUR_VIC);
	ct_error err = {0};
	const ct_holiday *hs;
	size_t n;

	assert_int_equal(apply_text(cal, text, &err), CT_EINVALID);
	if (err.msg == NULL || strcmp(err.msg, msg) != 0)
		fail_msg("want \"%s\", got \"%s\"", msg, ct_error_msg(&err));
	ct_error_clear(&err);
	/* A rejected file changes nothing. */
	expect_holiday(cal, ymd(2026, 11, 3), "Melbourne Cup Day");
	expect_not_holiday(cal, ymd(2026, 9, 25));
	assert_int_equal(ct_calendar_year(cal, 2026, &hs, &n, NULL), 0);
	assert_int_equal(n, 13);
	ct_calendar_free(cal);
}

static void
test_apply_errors(void **state)
{
	(void)state;
	expect_apply_error(
	    "jurisdiction: VIC\n"
	    "add:\n"
	    "  - name: Friday before the AFL Grand Final\n"
	    "    date: 2026-02-30\n",
	    "calendars/VIC.yaml:4:11: add[0].date: invalid date '2026-02-30'");
	expect_apply_error(
	    "jurisdiction: ACT\n",
	    "calendars/VIC.yaml:1:15: jurisdiction: ACT does not match the "
	    "VIC calendar");
	expect_apply_error(
	    "jurisdiction: NSW\n",
	    "calendars/VIC.yaml:1:15: jurisdiction: must be ACT or VIC");
	expect_apply_error(
	    "add: []\n",
	    "calendars/VIC.yaml:1:1: jurisdiction: missing");
	expect_apply_error(
	    "jurisdiction: VIC\n"
	    "holidays: []\n",
	    "calendars/VIC.yaml:2:1: holidays: unknown field");
	expect_apply_error(
	    "jurisdiction: VIC\n"
	    "add:\n"
	    "  - date: 2026-09-25\n"
	    "    name: AFL Friday\n"
	    "    when: morning\n",
	    "calendars/VIC.yaml:5:5: add[0].when: unknown field");
	expect_apply_error(
	    "jurisdiction: VIC\n"
	    "add:\n"
	    "  - date: 2026-09-25\n",
	    "calendars/VIC.yaml:3:5: add[0].name: missing");
	expect_apply_error(
	    "jurisdiction: VIC\n"
	    "add:\n"
	    "  - date: 2026-09-25\n"
	    "    name: \"\"\n",
	    "calendars/VIC.yaml:4:11: add[0].name: must be a string of 1-200 "
	    "characters");
	expect_apply_error(
	    "jurisdiction: VIC\n"
	    "add:\n"
	    "  - date: 2101-01-02\n"
	    "    name: Late\n",
	    "calendars/VIC.yaml:3:11: add[0].date: 2101-01-02 is outside "
	    "2000-2100");
	expect_apply_error(
	    "jurisdiction: VIC\n"
	    "add:\n"
	    "  - date: 20260925\n"
	    "    name: Number\n",
	    "calendars/VIC.yaml:3:11: add[0].date: must be a date YYYY-MM-DD");
	expect_apply_error(
	    "jurisdiction: VIC\n"
	    "add: {date: 2026-09-25}\n",
	    "calendars/VIC.yaml:2:6: add: must be a list");
	expect_apply_error(
	    "jurisdiction: VIC\n"
	    "cancel:\n"
	    "  - date: 2026-11-03\n"
	    "  - date: 2026-03-10\n"
	    "    reason: not a holiday\n",
	    "calendars/VIC.yaml:4:11: cancel[1].date: 2026-03-10 is not a VIC "
	    "holiday");
	expect_apply_error(
	    "jurisdiction: VIC\n"
	    "cancel:\n"
	    "  - date: 2026-11-03\n"
	    "  - date: 2026-11-03\n",
	    "calendars/VIC.yaml:4:11: cancel[1].date: 2026-11-03 is not a VIC "
	    "holiday (cancelled twice)");
	expect_apply_error(
	    "- jurisdiction: VIC\n",
	    "calendars/VIC.yaml:1:1: (root): must be a mapping");
}

static void
test_apply_add_and_cancel(void **state)
{
	ct_calendar *cal = new_calendar(CT_JUR_VIC);
	ct_error err = {0};
	const ct_holiday *hs, *before;
	const char *name;
	size_t n, nbefore;

	(void)state;
	/* Arrays returned earlier stay valid after an apply. */
	assert_int_equal(ct_calendar_year(cal, 2026, &before, &nbefore, NULL),
	    0);
	/* A regional council replaces Melbourne Cup Day with its show day. */
	assert_int_equal(apply_text(cal,
	    "jurisdiction: VIC\n"
	    "cancel:\n"
	    "  - date: 2026-11-03\n"
	    "    reason: Melbourne Cup Day substituted (s 8A)\n"
	    "add:\n"
	    "  - date: 2026-09-25\n"
	    "    name: Friday before the AFL Grand Final\n"
	    "    source: Victoria Government Gazette\n"
	    "  - date: 2026-10-16\n"
	    "    name: Show Day\n"
	    "  - date: 2026-11-03\n"
	    "    name: Cup Day (local)\n", &err), 0);
	expect_holiday(cal, ymd(2026, 9, 25),
	    "Friday before the AFL Grand Final");
	expect_holiday(cal, ymd(2026, 10, 16), "Show Day");
	expect_holiday(cal, ymd(2026, 11, 3), "Cup Day (local)");
	assert_int_equal(ct_calendar_year(cal, 2026, &hs, &n, NULL), 0);
	assert_int_equal(n, 15);
	assert_int_equal(ct_calendar_add_business_days(cal, ymd(2026, 9, 24),
	    1), ymd(2026, 9, 28));
	assert_int_equal(ct_calendar_business_days_between(cal,
	    ymd(2026, 9, 24), ymd(2026, 9, 28)), 1);

	/* A second file: adding on a holiday keeps both names. */
	assert_int_equal(apply_text(cal,
	    "jurisdiction: VIC\n"
	    "add:\n"
	    "  - date: 2026-12-25\n"
	    "    name: Second name\n", &err), 0);
	assert_true(ct_calendar_is_holiday(cal, ymd(2026, 12, 25), &name));
	assert_string_equal(name, "Christmas Day");
	assert_int_equal(ct_calendar_year(cal, 2026, &hs, &n, NULL), 0);
	assert_int_equal(n, 16);
	/* Cancelling a date removes every holiday on it. */
	assert_int_equal(apply_text(cal,
	    "jurisdiction: VIC\n"
	    "cancel:\n"
	    "  - date: 2026-12-25\n", &err), 0);
	expect_not_holiday(cal, ymd(2026, 12, 25));
	assert_int_equal(nbefore, 13);
	assert_int_equal(before[nbefore - 1].date, ymd(2026, 12, 28));
	assert_string_equal(before[9].name, "Melbourne Cup Day");
	/* An empty file is fine. */
	assert_int_equal(apply_text(cal, "jurisdiction: VIC\n", &err), 0);
	ct_calendar_free(cal);
}

/* Trees built in memory have no positions: messages name only the file. */
static void
test_apply_built_tree(void **state)
{
	ct_calendar *cal = new_calendar(CT_JUR_ACT);
	ct_node *doc = ct_node_new_map(), *add = ct_node_new_seq();
	ct_node *item = ct_node_new_map();
	ct_error err = {0};

	(void)state;
	assert_non_null(doc);
	assert_int_equal(ct_map_set(doc, "jurisdiction",
	    ct_node_new_str("ACT")), 0);
	assert_int_equal(ct_map_set(item, "date",
	    ct_node_new_str("2026-04-31")), 0);
	assert_int_equal(ct_map_set(item, "name",
	    ct_node_new_str("Nothing")), 0);
	assert_int_equal(ct_seq_push(add, item), 0);
	assert_int_equal(ct_map_set(doc, "add", add), 0);
	assert_int_equal(ct_calendar_apply(cal, doc, "calendars/ACT.yaml",
	    &err), CT_EINVALID);
	assert_string_equal(err.msg,
	    "calendars/ACT.yaml: add[0].date: invalid date '2026-04-31'");
	ct_error_clear(&err);
	assert_int_equal(ct_map_set(item, "date",
	    ct_node_new_str("2026-04-27")), 0);
	assert_int_equal(ct_calendar_apply(cal, doc, NULL, &err), 0);
	expect_holiday(cal, ymd(2026, 4, 27), "Nothing");
	assert_int_equal(ct_calendar_apply(cal, NULL, NULL, &err),
	    CT_EINVALID);
	assert_string_equal(err.msg, "calendar: (root): must be a mapping");
	ct_error_clear(&err);
	ct_node_free(doc);
	ct_calendar_free(cal);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_ACT),
		cmocka_unit_test(test_golden_VIC),
		cmocka_unit_test(test_add_business_days_fixture),
		cmocka_unit_test(test_business_days_between_fixture),
		cmocka_unit_test(test_ACT_REMAND_ENGAGE_business_days_agree),
		cmocka_unit_test(test_canberra_day_history),
		cmocka_unit_test(test_easter),
		cmocka_unit_test(test_christmas_amendments),
		cmocka_unit_test(test_other_rules),
		cmocka_unit_test(test_basics),
		cmocka_unit_test(test_apply_errors),
		cmocka_unit_test(test_apply_add_and_cancel),
		cmocka_unit_test(test_apply_built_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

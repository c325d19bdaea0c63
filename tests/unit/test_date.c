/*
 * Tests of lib/core/date.c: the paired input/expected fixtures in
 * tests/fixtures/dates/ (add-months, add-days, weekday, parse-valid,
 * parse-invalid), a round trip over every day of 2000-2100, and the time
 * zone functions.  DESIGN.md §4 "Dates": the trigger day is not counted
 * (D + 42 for six weeks); months clamp to the end of the month.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casetrail/date.h"

#ifndef CT_FIXTURES
#error "CT_FIXTURES must name the tests/fixtures directory"
#endif

#define MAX_LINE 256

typedef void (*line_fn)(const char *line, const char *where, int *nfail);

/*
 * Call fn for each line of fixtures/dates/<name> that is not empty or a
 * comment; returns the number of lines.  fn reports its failures with
 * print_error and counts them, so that every bad line is shown before the
 * test fails.
 */
static int
each_line(const char *name, line_fn fn)
{
	char path[1024], line[MAX_LINE], where[1100];
	FILE *f;
	int lineno = 0, n = 0, nfail = 0;
	size_t len;

	snprintf(path, sizeof(path), "%s/dates/%s", CT_FIXTURES, name);
	f = fopen(path, "r");
	if (f == NULL)
		fail_msg("can not open %s", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		len = strcspn(line, "\n");
		assert_true(line[len] == '\n');
		line[len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		snprintf(where, sizeof(where), "%s:%d", name, lineno);
		fn(line, where, &nfail);
		n++;
	}
	fclose(f);
	if (nfail > 0)
		fail_msg("%d of %d lines of %s failed", nfail, n, name);
	return n;
}

static ct_date
must_parse(const char *s)
{
	ct_error err = {0};
	ct_date d = 0;

	if (ct_date_parse(s, &d, &err) != 0)
		fail_msg("%s", ct_error_msg(&err));
	return d;
}

static void
check_add_months(const char *line, const char *where, int *nfail)
{
	char a[32], e[32], buf[CT_DATE_BUFSZ];
	int n;
	ct_date got;

	assert_int_equal(sscanf(line, "%31s %d %31s", a, &n, e), 3);
	got = ct_date_add_months(must_parse(a), n);
	if (got != must_parse(e)) {
		print_error("%s: %s %+d months: want %s, got %s\n", where, a, n,
		    e, ct_date_format(got, buf));
		(*nfail)++;
	}
}

static void
test_add_months_fixture(void **state)
{
	(void)state;
	assert_true(each_line("add-months.txt", check_add_months) >= 20);
}

static void
check_add_days(const char *line, const char *where, int *nfail)
{
	char a[32], e[32], buf[CT_DATE_BUFSZ];
	int n;
	ct_date got;

	assert_int_equal(sscanf(line, "%31s %d %31s", a, &n, e), 3);
	got = must_parse(a) + n;
	if (got != must_parse(e)) {
		print_error("%s: %s %+d days: want %s, got %s\n", where, a, n,
		    e, ct_date_format(got, buf));
		(*nfail)++;
	}
}

static void
test_add_days_fixture(void **state)
{
	(void)state;
	assert_true(each_line("add-days.txt", check_add_days) >= 10);
}

static void
check_weekday(const char *line, const char *where, int *nfail)
{
	char a[32];
	int want, got;

	assert_int_equal(sscanf(line, "%31s %d", a, &want), 2);
	got = ct_date_weekday(must_parse(a));
	if (got != want) {
		print_error("%s: weekday of %s: want %d, got %d\n", where, a,
		    want, got);
		(*nfail)++;
	}
}

static void
test_weekday_fixture(void **state)
{
	(void)state;
	assert_true(each_line("weekday.txt", check_weekday) >= 10);
}

static void
check_parse_valid(const char *line, const char *where, int *nfail)
{
	char buf[CT_DATE_BUFSZ];
	ct_error err = {0};
	ct_date d;

	if (ct_date_parse(line, &d, &err) != 0 || !ct_date_valid(line) ||
	    strcmp(ct_date_format(d, buf), line) != 0) {
		print_error("%s: '%s' should parse and round-trip: %s\n",
		    where, line, err.msg ? err.msg : buf);
		(*nfail)++;
	}
	ct_error_clear(&err);
}

static void
test_parse_valid_fixture(void **state)
{
	(void)state;
	assert_true(each_line("parse-valid.txt", check_parse_valid) >= 5);
}

static void
check_parse_invalid(const char *line, const char *where, int *nfail)
{
	ct_error err = {0};
	ct_date d = 12345;
	char want[MAX_LINE + 32];
	int rc;

	rc = ct_date_parse(line, &d, &err);
	snprintf(want, sizeof(want), "invalid date '%s'", line);
	if (rc != CT_EINVALID || ct_date_valid(line) || d != 12345 ||
	    err.msg == NULL || strcmp(err.msg, want) != 0) {
		print_error("%s: '%s' should be rejected (rc %d, message %s)\n",
		    where, line, rc, ct_error_msg(&err));
		(*nfail)++;
	}
	ct_error_clear(&err);
}

static void
test_parse_invalid_fixture(void **state)
{
	(void)state;
	assert_true(each_line("parse-invalid.txt", check_parse_invalid) >= 20);
}

static void
test_parse_edges(void **state)
{
	static const char *bad[] = {"", "2026-02-03 ", "2026-02-03\n",
	    "2026-02-03\t", "\t2026-02-03", "2026-02-0", "2026"};
	ct_error err = {0};
	ct_date d;
	size_t i;
	char longer[200];

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(ct_date_valid(bad[i]));
		assert_int_equal(ct_date_parse(bad[i], &d, &err), CT_EINVALID);
		ct_error_clear(&err);
	}
	assert_false(ct_date_valid(NULL));
	assert_int_equal(ct_date_parse(NULL, &d, &err), CT_EINVALID);
	ct_error_clear(&err);

	/* The message quotes the input, shortened and with controls hidden. */
	assert_int_equal(ct_date_parse("2026-02-30", &d, &err), CT_EINVALID);
	assert_string_equal(err.msg, "invalid date '2026-02-30'");
	ct_error_clear(&err);
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	longer[3] = '\n';
	assert_int_equal(ct_date_parse(longer, &d, &err), CT_EINVALID);
	assert_non_null(strstr(err.msg, "xxx?xxx"));
	assert_non_null(strstr(err.msg, "...'"));
	assert_true(strlen(err.msg) < 80);
	ct_error_clear(&err);

	/* A NULL error is allowed. */
	assert_int_equal(ct_date_parse("2026-02-30", &d, NULL), CT_EINVALID);
}

static void
test_leap_years(void **state)
{
	(void)state;
	assert_true(ct_is_leap_year(2000));
	assert_false(ct_is_leap_year(2100));
	assert_false(ct_is_leap_year(1900));
	assert_true(ct_is_leap_year(2024));
	assert_false(ct_is_leap_year(2026));
	assert_true(ct_is_leap_year(2400));
	assert_int_equal(ct_days_in_month(2000, 2), 29);
	assert_int_equal(ct_days_in_month(2100, 2), 28);
	assert_int_equal(ct_days_in_month(2026, 4), 30);
	assert_int_equal(ct_days_in_month(2026, 12), 31);
	assert_int_equal(ct_days_in_month(2026, 0), 0);
	assert_int_equal(ct_days_in_month(2026, 13), 0);
}

static void
test_epoch_and_range(void **state)
{
	char buf[CT_DATE_BUFSZ];
	int y, m, d;

	(void)state;
	assert_int_equal(ct_date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(ct_date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(ct_date_from_ymd(2000, 3, 1), 11017);
	assert_string_equal(ct_date_format(-1, buf), "1969-12-31");
	/* Far outside the text range the arithmetic still holds. */
	ct_date_to_ymd(ct_date_from_ymd(-4713, 11, 24), &y, &m, &d);
	assert_int_equal(y, -4713);
	assert_int_equal(m, 11);
	assert_int_equal(d, 24);
	ct_date_to_ymd(ct_date_from_ymd(1000000, 2, 29), &y, &m, &d);
	assert_int_equal(y, 1000000);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
	assert_string_equal(ct_date_format(ct_date_from_ymd(10000, 1, 1), buf),
	    "\?\?\?\?-01-01");
	assert_string_equal(ct_date_format(ct_date_from_ymd(-1, 6, 1), buf),
	    "\?\?\?\?-06-01");
	ct_date_to_ymd(0, NULL, NULL, NULL);
	/* Huge month counts saturate instead of overflowing. */
	ct_date_to_ymd(ct_date_add_months(0, INT_MAX), &y, NULL, NULL);
	assert_true(y > 100000);
	ct_date_to_ymd(ct_date_add_months(0, INT_MIN), &y, NULL, NULL);
	assert_true(y < -100000);
}

/*
 * Every day of 2000-01-01..2100-12-31: format(parse(x)) == x, from_ymd and
 * to_ymd are inverse, days are consecutive (including 29 February 2000 and
 * no 29 February 2100) and the weekday steps by one.
 */
static void
test_roundtrip_2000_2100(void **state)
{
	char text[32], buf[CT_DATE_BUFSZ];
	ct_date d, parsed, first, last;
	int y, m, dd, yy, mm, ddd, wd, count = 0;

	(void)state;
	first = ct_date_from_ymd(2000, 1, 1);
	last = ct_date_from_ymd(2100, 12, 31);
	d = first;
	wd = ct_date_weekday(first);
	assert_int_equal(wd, 6);
	for (y = 2000; y <= 2100; y++) {
		for (m = 1; m <= 12; m++) {
			for (dd = 1; dd <= ct_days_in_month(y, m); dd++) {
				snprintf(text, sizeof(text), "%04d-%02d-%02d",
				    y, m, dd);
				assert_int_equal(ct_date_from_ymd(y, m, dd), d);
				ct_date_to_ymd(d, &yy, &mm, &ddd);
				assert_int_equal(yy, y);
				assert_int_equal(mm, m);
				assert_int_equal(ddd, dd);
				assert_true(ct_date_valid(text));
				assert_int_equal(ct_date_parse(text, &parsed,
				    NULL), 0);
				assert_int_equal(parsed, d);
				assert_string_equal(ct_date_format(d, buf),
				    text);
				assert_int_equal(ct_date_weekday(d), wd);
				wd = wd % 7 + 1;
				d++;
				count++;
			}
		}
	}
	assert_int_equal(d, last + 1);
	assert_int_equal(count, 36890);  /* 101 years, 25 of them leap */
}

static void
test_today(void **state)
{
	ct_error err = {0};
	ct_date d;
	char buf[CT_DATE_BUFSZ];

	(void)state;
	/* 1700000000 is 2023-11-14 22:13:20 UTC: already the 15th in Canberra. */
	assert_int_equal(ct_date_today(NULL, 1700000000, &d, &err), 0);
	assert_string_equal(ct_date_format(d, buf), "2023-11-14");
	assert_int_equal(ct_date_today("", 1700000000, &d, &err), 0);
	assert_string_equal(ct_date_format(d, buf), "2023-11-14");
	assert_int_equal(ct_date_today("Australia/Canberra", 1700000000, &d,
	    &err), 0);
	assert_string_equal(ct_date_format(d, buf), "2023-11-15");
	assert_int_equal(ct_date_today("Australia/Melbourne", 1700000000, &d,
	    &err), 0);
	assert_string_equal(ct_date_format(d, buf), "2023-11-15");
	assert_int_equal(ct_date_today("UTC", 1700000000, &d, &err), 0);
	assert_string_equal(ct_date_format(d, buf), "2023-11-14");
	/* Before the epoch, UTC still floors. */
	assert_int_equal(ct_date_today(NULL, -1, &d, &err), 0);
	assert_string_equal(ct_date_format(d, buf), "1969-12-31");
	/* 13:59:59 UTC on 2026-06-30 is 23:59:59 AEST, 14:00:00 is 1 July. */
	assert_int_equal(ct_date_today("Australia/Canberra", 1782827999, &d,
	    &err), 0);
	assert_string_equal(ct_date_format(d, buf), "2026-06-30");
	assert_int_equal(ct_date_today("Australia/Canberra", 1782828000, &d,
	    &err), 0);
	assert_string_equal(ct_date_format(d, buf), "2026-07-01");
}

static void
test_end_of_day(void **state)
{
	ct_error err = {0};
	int64_t t;

	(void)state;
	assert_int_equal(ct_date_end_of_day(NULL, 0, &t, &err), 0);
	assert_int_equal(t, 86399);
	/* Winter (AEST, +10): 2026-06-30 23:59:59 = 13:59:59 UTC. */
	assert_int_equal(ct_date_end_of_day("Australia/Canberra",
	    ct_date_from_ymd(2026, 6, 30), &t, &err), 0);
	assert_int_equal(t, 1782827999);
	/* Summer (AEDT, +11): one hour earlier in UTC. */
	assert_int_equal(ct_date_end_of_day("Australia/Melbourne",
	    ct_date_from_ymd(2026, 1, 15), &t, &err), 0);
	assert_int_equal(t, (int64_t)ct_date_from_ymd(2026, 1, 15) * 86400 +
	    86399 - 11 * 3600);
	/* The day daylight saving starts (5 October 2025) is 23 hours long. */
	assert_int_equal(ct_date_end_of_day("Australia/Canberra",
	    ct_date_from_ymd(2025, 10, 5), &t, &err), 0);
	assert_int_equal(t, (int64_t)ct_date_from_ymd(2025, 10, 5) * 86400 +
	    86399 - 11 * 3600);
}

static void
test_bad_zones(void **state)
{
	static const char *bad[] = {"Australia/Nowhere", "../etc/passwd",
	    "/etc/localtime", "Australia/../UTC", "Australia Canberra",
	    "Australia/Canberra;", "zone.tab"};
	ct_error err = {0};
	ct_date d = 7;
	int64_t t = 7;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ct_date_today(bad[i], 0, &d, &err),
		    CT_EINVALID);
		assert_non_null(strstr(err.msg, "time zone"));
		ct_error_clear(&err);
		assert_int_equal(ct_date_end_of_day(bad[i], 0, &t, &err),
		    CT_EINVALID);
		ct_error_clear(&err);
	}
	assert_int_equal(d, 7);
	assert_int_equal(t, 7);
}

/* The caller's TZ, set or unset, is exactly as it was afterwards. */
static void
test_tz_restored(void **state)
{
	ct_date d;
	int64_t t;
	const char *v;

	(void)state;
	assert_int_equal(setenv("TZ", "America/New_York", 1), 0);
	assert_int_equal(ct_date_today("Australia/Canberra", 0, &d, NULL), 0);
	assert_int_equal(ct_date_end_of_day("Australia/Canberra", 0, &t,
	    NULL), 0);
	v = getenv("TZ");
	assert_non_null(v);
	assert_string_equal(v, "America/New_York");
	assert_int_equal(unsetenv("TZ"), 0);
	assert_int_equal(ct_date_today("Australia/Canberra", 0, &d, NULL), 0);
	assert_null(getenv("TZ"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_months_fixture),
		cmocka_unit_test(test_add_days_fixture),
		cmocka_unit_test(test_weekday_fixture),
		cmocka_unit_test(test_parse_valid_fixture),
		cmocka_unit_test(test_parse_invalid_fixture),
		cmocka_unit_test(test_parse_edges),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_epoch_and_range),
		cmocka_unit_test(test_roundtrip_2000_2100),
		cmocka_unit_test(test_today),
		cmocka_unit_test(test_end_of_day),
		cmocka_unit_test(test_bad_zones),
		cmocka_unit_test(test_tz_restored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

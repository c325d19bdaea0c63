/*
 * Tests of lib/records/assess.c: LSI-R scoring against the hand-computed fixtures
 * of CT_FIXTURES/lsi-r/ (NAME.items, NAME.expected; see its README), the
 * store's risk bands (rules/lsi-r-bands.yaml: the shipped default and the
 * checks of a store's own), the input file of assess-add -f, and the
 * record, which must be valid against schemas/lsi-r.schema.json.  The
 * tool and the store are tested end to end by tests/cli/0040-assess-add.t.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casetrail/assess.h"
#include "casetrail/schema.h"
#include "casetrail/yaml.h"

#include "yamlfx.h"

#define LSIR_FIXTURES CT_FIXTURES "/lsi-r"

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (f == NULL)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static ct_node *
load(const char *yaml)
{
	return yaml_doc(yaml, "bands.yaml");
}

/* ------------------------------------------------------- scoring */

static void
test_default_bands(void **state)
{
	ct_lsir_bands b;
	ct_error err = {0};
	static const struct { const char *band; int min, max; } want[] = {
		{"low", 0, 13}, {"low-moderate", 14, 23}, {"moderate", 24, 33},
		{"medium-high", 34, 40}, {"high", 41, 54},
	};
	size_t i;

	(void)state;
	assert_int_equal(ct_lsir_bands_default(&b, &err), 0);
	assert_int_equal(b.n, 5);
	for (i = 0; i < 5; i++) {
		assert_string_equal(b.b[i].band, want[i].band);
		assert_int_equal(b.b[i].min, want[i].min);
		assert_int_equal(b.b[i].max, want[i].max);
	}
}

static void
test_subscales_are_54_items(void **state)
{
	int i, n = 0;

	(void)state;
	for (i = 0; i < CT_LSIR_SUBSCALES; i++)
		n += ct_lsir_subscales[i].items;
	assert_int_equal(n, CT_LSIR_ITEMS);
	assert_string_equal(ct_lsir_subscales[0].key, "criminal_history");
	assert_int_equal(ct_lsir_subscales[7].items, 9);
}

/* Score one fixture and compare with its .expected. */
static int
check_fixture(const char *name, const ct_lsir_bands *bands)
{
	char path[512], items[CT_LSIR_ITEMS + 1], got[512], *text, *want;
	ct_lsir_score s;
	ct_error err = {0};
	size_t k = 0;
	int i, len, ok;

	snprintf(path, sizeof(path), "%s/%s.items", LSIR_FIXTURES, name);
	text = slurp(path);
	for (i = 0; text[i] != '\0'; i++)
		if (text[i] == '0' || text[i] == '1') {
			if (k == CT_LSIR_ITEMS)
				fail_msg("%s: more than 54 items", path);
			items[k++] = text[i];
		}
	items[k] = '\0';
	free(text);
	if (ct_lsir_score_items(items, bands, &s, &err) != 0)
		fail_msg("%s: %s", name, ct_error_msg(&err));
	len = snprintf(got, sizeof(got), "scores");
	for (i = 0; i < CT_LSIR_SUBSCALES; i++)
		len += snprintf(got + len, sizeof(got) - (size_t)len, " %d",
		    s.scores[i]);
	snprintf(got + len, sizeof(got) - (size_t)len,
	    "\ntotal %d\nband %s %d-%d\n", s.total, s.band, s.min, s.max);
	snprintf(path, sizeof(path), "%s/%s.expected", LSIR_FIXTURES, name);
	want = slurp(path);
	ok = strcmp(got, want) == 0;
	if (!ok)
		print_error("%s: got\n%swant\n%s", name, got, want);
	free(want);
	return ok;
}

static void
test_scoring_fixtures(void **state)
{
	ct_lsir_bands b;
	ct_error err = {0};
	struct dirent *de;
	DIR *d;
	char name[256];
	size_t len;
	int n = 0, bad = 0;

	(void)state;
	assert_int_equal(ct_lsir_bands_default(&b, &err), 0);
	assert_non_null(d = opendir(LSIR_FIXTURES));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 7 || strcmp(de->d_name + len - 6, ".items") != 0)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - 6),
		    de->d_name);
		n++;
		if (!check_fixture(name, &b))
			bad++;
	}
	closedir(d);
	assert_true(n >= 12);
	assert_int_equal(bad, 0);
}

static void
test_items_checked(void **state)
{
	ct_error err = {0};
	char items[CT_LSIR_ITEMS + 2];

	(void)state;
	memset(items, '0', sizeof(items));
	items[CT_LSIR_ITEMS] = '\0';
	assert_int_equal(ct_lsir_items_check(items, "--items", &err), 0);
	items[CT_LSIR_ITEMS - 1] = '\0';
	assert_int_equal(ct_lsir_items_check(items, "--items", &err),
	    CT_EINVALID);
	assert_string_equal(ct_error_msg(&err),
	    "--items: 53 items; the LSI-R has 54");
	items[CT_LSIR_ITEMS - 1] = '0';
	items[CT_LSIR_ITEMS] = '0';
	items[CT_LSIR_ITEMS + 1] = '\0';
	assert_int_equal(ct_lsir_items_check(items, "--items", &err),
	    CT_EINVALID);
	assert_string_equal(ct_error_msg(&err),
	    "--items: 55 items; the LSI-R has 54");
	items[CT_LSIR_ITEMS] = '\0';
	items[9] = '2';
	assert_int_equal(ct_lsir_items_check(items, "--items", &err),
	    CT_EINVALID);
	assert_string_equal(ct_error_msg(&err),
	    "--items: item 10 is '2'; every item is scored 0 or 1");
	ct_error_clear(&err);
}

/* ------------------------------------------------------- the bands */

static const char *
bands_error(const char *yaml)
{
	static char msg[512];
	ct_node *doc = load(yaml);
	ct_lsir_bands b;
	ct_error err = {0};

	if (ct_lsir_bands_parse(doc, "bands.yaml", &b, &err) == 0)
		snprintf(msg, sizeof(msg), "ok %zu", b.n);
	else
		snprintf(msg, sizeof(msg), "%s", ct_error_msg(&err));
	ct_error_clear(&err);
	ct_node_free(doc);
	return msg;
}

static void
test_store_bands_checked(void **state)
{
	(void)state;
	/* a store's own, coarser cut-offs */
	assert_string_equal(bands_error("format: 1\ncite: local norms\n"
	    "bands:\n  - {band: low, min: 0, max: 20}\n"
	    "  - {band: moderate, min: 21, max: 35}\n"
	    "  - {band: high, min: 36, max: 54}\n"), "ok 3");
	assert_string_equal(bands_error("format: 1\ncite: x\n"
	    "bands:\n  - {band: low, min: 0, max: 20}\n"
	    "  - {band: high, min: 22, max: 54}\n"),
	    "bands.yaml:5:5: bands[1].min: 22, but the bands must cover 0-54 "
	    "in order without gaps or overlaps: this band should start at 21");
	assert_string_equal(bands_error("format: 1\ncite: x\n"
	    "bands:\n  - {band: low, min: 0, max: 20}\n"
	    "  - {band: high, min: 20, max: 54}\n"),
	    "bands.yaml:5:5: bands[1].min: 20, but the bands must cover 0-54 "
	    "in order without gaps or overlaps: this band should start at 21");
	assert_string_equal(bands_error("format: 1\ncite: x\n"
	    "bands:\n  - {band: low, min: 0, max: 50}\n"),
	    "bands.yaml:4:3: bands: they end at 50; the last band must end "
	    "at 54");
	assert_string_equal(bands_error("format: 1\ncite: x\n"
	    "bands:\n  - {band: low, min: 0, max: 20}\n"
	    "  - {band: low, min: 21, max: 54}\n"),
	    "bands.yaml:5:5: bands[1].band: 'low' is given twice");
	assert_non_null(strstr(bands_error("format: 1\ncite: x\n"
	    "bands:\n  - {band: extreme, min: 0, max: 54}\n"),
	    "bands[0].band"));
	assert_non_null(strstr(bands_error("format: 1\nbands: []\n"),
	    "cite"));
}

/* ------------------------------------------------------- input files */

static const char *
input_result(const char *yaml)
{
	static char msg[512];
	ct_error err = {0};
	char *items = NULL, *comments = NULL;

	if (ct_lsir_input_load(yaml, strlen(yaml), "in.yaml", &items,
	    &comments, &err) == 0)
		snprintf(msg, sizeof(msg), "%s|%s", items,
		    comments ? comments : "-");
	else
		snprintf(msg, sizeof(msg), "%s", ct_error_msg(&err));
	free(items);
	free(comments);
	ct_error_clear(&err);
	return msg;
}

static void
test_input_by_subscale(void **state)
{
	(void)state;
	assert_string_equal(input_result(
	    "items:\n"
	    "  criminal_history: '1010101010'\n"
	    "  education_employment: '0110011000'\n"
	    "  financial: '01'\n"
	    "  family_marital: '0110'\n"
	    "  accommodation: '001'\n"
	    "  leisure_recreation: '11'\n"
	    "  companions: '10101'\n"
	    "  alcohol_drug: '010010010'\n"
	    "  emotional_personal: '00110'\n"
	    "  attitudes_orientation: '0101'\n"
	    "comments: Interviewed at the AMC\n"),
	    "1010101010011001100001011000111101010100100100011"
	    "00101|Interviewed at the AMC");
	assert_string_equal(input_result(
	    "items: '000000000000000000000000000000000000000000000000000001'\n"),
	    "000000000000000000000000000000000000000000000000000001|-");
}

static void
test_input_errors(void **state)
{
	(void)state;
	assert_string_equal(input_result(
	    "items:\n  criminal_history: '101010101'\n"),
	    "in.yaml:2:21: items.criminal_history: 9 items; Criminal history "
	    "has 10");
	assert_string_equal(input_result(
	    "items:\n  criminal_history: '1010101010'\n"),
	    "in.yaml:2:3: items.education_employment: missing "
	    "(Education/employment, 10 items)");
	assert_string_equal(input_result(
	    "items:\n  criminal_history: 1010101010\n"),
	    "in.yaml:2:21: items.criminal_history: write the items in quotes "
	    "('1010101010'), or a leading 0 is lost");
	assert_string_equal(input_result(
	    "items:\n  criminal_history: '10101x1010'\n"),
	    "in.yaml:2:21: items.criminal_history: every item is scored 0 or "
	    "1");
	assert_string_equal(input_result("items:\n  drugs: '1'\n"),
	    "in.yaml:2:3: items.drugs: not an LSI-R subscale");
	assert_string_equal(input_result("items: '0101'\ntotal: 3\n"),
	    "in.yaml:2:1: total: not an LSI-R input field (items, comments; "
	    "the scores, total and band are computed)");
	assert_string_equal(input_result("items: '0101'\n"),
	    "in.yaml:1:8: items: 4 items; the LSI-R has 54");
	assert_string_equal(input_result("comments: x\n"),
	    "in.yaml:1:1: items: required field is missing");
}

/* ------------------------------------------------------- the record */

static void
test_record_valid_and_canonical(void **state)
{
	static const char items[] =
	    "101010101001100110000101100011110101010010010001100101";
	ct_lsir_bands b;
	ct_lsir_score s;
	ct_schema *schema = NULL;
	ct_node *rec = NULL;
	ct_error err = {0};
	char *yaml = NULL, *path = NULL;
	size_t len;
	ct_date d;

	(void)state;
	assert_int_equal(ct_lsir_bands_default(&b, &err), 0);
	assert_int_equal(ct_lsir_score_items(items, &b, &s, &err), 0);
	assert_int_equal(s.total, 25);
	assert_int_equal(ct_date_parse("2026-03-04", &d, &err), 0);
	assert_int_equal(ct_lsir_record("ACT-0042", d, "ada", items,
	    "Interviewed", &s, &rec, &err), 0);
	assert_int_equal(ct_schema_load(CT_LSIR_SCHEMA, &schema, &err), 0);
	if (ct_schema_validate(schema, rec, "rec", &err) != 0)
		fail_msg("%s", ct_error_msg(&err));
	assert_int_equal(ct_yaml_emit(rec, &yaml, &len, &err), 0);
	assert_non_null(strstr(yaml, "date: '2026-03-04'\nassessor: ada\n"
	    "items:\n  criminal_history: '1010101010'\n"));
	assert_non_null(strstr(yaml, "total: 25\nband: moderate\n"
	    "cutoffs: '24-33'\ncomments: Interviewed\n"));
	assert_int_equal(ct_lsir_path("ACT-0042", d, &path, &err), 0);
	assert_non_null(strstr(path, "/ACT-0042/assessments/"
	    "2026-03-04-lsi-r.yaml"));
	free(path);
	free(yaml);
	ct_schema_free(schema);
	ct_node_free(rec);
}

/*
 * Every CT_FIXTURES/schema/<set>/valid/NAME.yaml validates against the
 * schema; every invalid/NAME.yaml fails with each line of NAME.error in
 * the message.  (tests/schema_crosscheck.py gives Python's jsonschema the
 * same fixtures.)
 */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_bands),
		cmocka_unit_test(test_subscales_are_54_items),
		cmocka_unit_test(test_scoring_fixtures),
		cmocka_unit_test(test_items_checked),
		cmocka_unit_test(test_store_bands_checked),
		cmocka_unit_test(test_input_by_subscale),
		cmocka_unit_test(test_input_errors),
		cmocka_unit_test(test_record_valid_and_canonical),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of lib/core/rows.c: the row tables of the list tools, their
 * stable sort and the text, JSON and CSV renderers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "casetrail/rows.h"

enum { C_ID, C_NAME, C_N, C_TAGS, C_NOTE, NCOLS };

static const ct_col cols[NCOLS] = {
	[C_ID] = { "id", "ID", NULL, 0, 0 },
	[C_NAME] = { "name", "NAME", "-", 0, 0 },
	[C_N] = { "n", "N", NULL, CT_COL_NUM | CT_COL_RIGHT, 0 },
	[C_TAGS] = { "tags", NULL, NULL, CT_COL_LIST, 0 },
	[C_NOTE] = { "note", "NOTE", NULL, CT_COL_OMIT, 0 },
};

/* Text: NAME, ID, N, NOTE; JSON and CSV every column in order. */
static const int text_order[] = { C_NAME, C_ID, C_N, C_NOTE, CT_COLS_END };

static const ct_rowspec spec = {
	cols, NCOLS, text_order, NULL, NULL, "nothing to show",
};

static void
row(ct_rows *r, const char *id, const char *name, const char *n,
    const char *tags, const char *note)
{
	assert_true(ct_rows_add(r));
	ct_rows_set(r, C_ID, id);
	ct_rows_set(r, C_NAME, name);
	ct_rows_set(r, C_N, n);
	ct_rows_set(r, C_TAGS, tags);
	ct_rows_set(r, C_NOTE, note);
}

static char *
render(ct_buf *b, const ct_rows *r, const char *format)
{
	ct_buf_truncate(b, 0);
	ct_buf_puts(b, "");
	ct_rows_render(r, format, b);
	assert_false(b->failed);
	return b->s;
}

/* Widths count characters (code points) of the terminal-safe text: "é"
 * and "中" are one each, an ESC the four of "\x1b"; a null cell reads its
 * column's none text; the last column is not padded. */
static void
test_text_widths_by_content(void **state)
{
	ct_buf b = { 0 };
	ct_rows r;

	(void)state;
	ct_rows_init(&r, &spec);
	row(&r, "a", "Zoé", "7", "", "x");
	row(&r, "bb", "中文", "-12", "", NULL);
	row(&r, "c", NULL, "100", "", "\033[2J");
	assert_string_equal(render(&b, &r, "text"),
	    "NAME  ID    N  NOTE\n"
	    "Zoé   a     7  x\n"
	    "中文    bb  -12  \n"
	    "-     c   100  \\x1b[2J\n");
	ct_rows_clear(&r);
	assert_string_equal(render(&b, &r, "text"), "nothing to show\n");
	ct_buf_free(&b);
}

/* A column's min makes it at least that wide, header or not. */
static void
test_text_min_width(void **state)
{
	static const ct_col mcols[2] = {
		{ "a", "A", NULL, 0, 6 }, { "b", "B", NULL, 0, 0 },
	};
	static const ct_rowspec mspec = { mcols, 2, NULL, NULL, NULL, "" };
	ct_buf b = { 0 };
	ct_rows r;

	(void)state;
	ct_rows_init(&r, &mspec);
	assert_true(ct_rows_add(&r));
	ct_rows_set(&r, 0, "x");
	ct_rows_set(&r, 1, "y");
	assert_string_equal(render(&b, &r, "text"), "A       B\nx       y\n");
	ct_rows_clear(&r);
	ct_buf_free(&b);
}

/* JSON: null cells are null, or left out (CT_COL_OMIT); numbers as they
 * are; a list cell an array; strings through the one escaper. */
static void
test_json_nulls_numbers_lists(void **state)
{
	ct_buf b = { 0 };
	ct_rows r;

	(void)state;
	ct_rows_init(&r, &spec);
	row(&r, "a\"1", NULL, "-3", "dh,dffh", "é\n");
	row(&r, "b", "B", "0", "", NULL);
	assert_string_equal(render(&b, &r, "json"),
	    "[\n"
	    "  {\n"
	    "    \"id\": \"a\\\"1\",\n"
	    "    \"name\": null,\n"
	    "    \"n\": -3,\n"
	    "    \"tags\": [\"dh\", \"dffh\"],\n"
	    "    \"note\": \"é\\n\"\n"
	    "  },\n"
	    "  {\n"
	    "    \"id\": \"b\",\n"
	    "    \"name\": \"B\",\n"
	    "    \"n\": 0,\n"
	    "    \"tags\": []\n"
	    "  }\n"
	    "]\n");
	ct_rows_clear(&r);
	assert_string_equal(render(&b, &r, "json"), "[]\n");
	ct_buf_free(&b);
}

/* CSV: a header line, null cells empty, formula cells neutralised (a
 * plain number is not), quotes doubled, CRLF; a BOM on request. */
static void
test_csv_nulls_and_formulas(void **state)
{
	ct_buf b = { 0 };
	ct_rows r;

	(void)state;
	ct_rows_init(&r, &spec);
	row(&r, "=HYPERLINK(\"x\")", NULL, "-3", "dh,dffh", "@SUM(A1)");
	assert_string_equal(render(&b, &r, "csv"),
	    "id,name,n,tags,note\r\n"
	    "\"'=HYPERLINK(\"\"x\"\")\",,-3,\"dh,dffh\",\"'@SUM(A1)\"\r\n");
	ct_buf_truncate(&b, 0);
	ct_rows_csv(&r, true, &b);
	assert_memory_equal(b.s, "\xef\xbb\xbfid,name,", 11);
	ct_rows_clear(&r);
	assert_string_equal(render(&b, &r, "csv"), "id,name,n,tags,note\r\n");
	ct_buf_free(&b);
}

/* Each format shows its own order of the columns. */
static void
test_orders(void **state)
{
	static const int json[] = { C_N, C_ID, CT_COLS_END };
	static const int csv[] = { C_NOTE, C_ID, CT_COLS_END };
	static const ct_rowspec ospec = {
		cols, NCOLS, text_order, json, csv, "",
	};
	ct_buf b = { 0 };
	ct_rows r;

	(void)state;
	ct_rows_init(&r, &ospec);
	row(&r, "a", "A", "1", "", "z");
	assert_string_equal(render(&b, &r, "json"),
	    "[\n  {\n    \"n\": 1,\n    \"id\": \"a\"\n  }\n]\n");
	assert_string_equal(render(&b, &r, "csv"), "note,id\r\nz,a\r\n");
	ct_rows_clear(&r);
	ct_buf_free(&b);
}

/* Rows the keys do not tell apart keep their order; CT_SORT_SHORT puts
 * n2 before n10, CT_SORT_NUM -3 before 12, a null cell first. */
static void
test_sort_stable(void **state)
{
	static const ct_sortkey by_name[] = {
		{ C_NAME, CT_SORT_BYTES }, { CT_COLS_END, 0 },
	};
	static const ct_sortkey by_id[] = {
		{ C_ID, CT_SORT_SHORT }, { CT_COLS_END, 0 },
	};
	static const ct_sortkey by_n[] = {
		{ C_N, CT_SORT_NUM }, { C_ID, CT_SORT_BYTES },
		{ CT_COLS_END, 0 },
	};
	char id[8];
	ct_rows r;
	size_t i;

	(void)state;
	ct_rows_init(&r, &spec);
	/* 40 rows, two names: sorted by name, each name's rows stay in
	 * the order added */
	for (i = 0; i < 40; i++) {
		snprintf(id, sizeof(id), "r%02zu", i);
		row(&r, id, i % 2 ? "b" : "a", "0", "", NULL);
	}
	ct_rows_sort(&r, by_name);
	for (i = 0; i < 40; i++) {
		snprintf(id, sizeof(id), "r%02zu", i < 20 ? 2 * i :
		    2 * (i - 20) + 1);
		assert_string_equal(ct_rows_get(&r, i, C_ID), id);
	}
	ct_rows_clear(&r);

	row(&r, "n10", "x", "12", "", NULL);
	row(&r, "n2", "x", "-3", "", NULL);
	row(&r, "n1", "x", NULL, "", NULL);
	ct_rows_sort(&r, by_id);
	assert_string_equal(ct_rows_get(&r, 0, C_ID), "n1");
	assert_string_equal(ct_rows_get(&r, 1, C_ID), "n2");
	assert_string_equal(ct_rows_get(&r, 2, C_ID), "n10");
	ct_rows_sort(&r, by_n);
	assert_string_equal(ct_rows_get(&r, 0, C_ID), "n1");
	assert_string_equal(ct_rows_get(&r, 1, C_ID), "n2");
	assert_string_equal(ct_rows_get(&r, 2, C_ID), "n10");
	ct_rows_clear(&r);
}

static bool
not_b(const ct_rows *r, size_t i, void *arg)
{
	(void)arg;
	return !ct_rows_is(r, i, C_NAME, "b");
}

/* keep: the others freed, the order kept; setf and get. */
static void
test_keep_and_cells(void **state)
{
	ct_rows r;

	(void)state;
	ct_rows_init(&r, &spec);
	row(&r, "1", "a", "0", "", NULL);
	row(&r, "2", "b", "0", "", NULL);
	row(&r, "3", NULL, "0", "", NULL);
	row(&r, "4", "a", "0", "", NULL);
	ct_rows_setf(&r, C_NOTE, "%d days", -4);
	ct_rows_keep(&r, not_b, NULL);
	assert_int_equal(r.n, 3);
	assert_string_equal(ct_rows_get(&r, 0, C_ID), "1");
	assert_string_equal(ct_rows_get(&r, 1, C_ID), "3");
	assert_null(ct_rows_get(&r, 1, C_NAME));
	assert_string_equal(ct_rows_str(&r, 1, C_NAME), "");
	assert_false(ct_rows_is(&r, 1, C_NAME, ""));
	assert_string_equal(ct_rows_get(&r, 2, C_NOTE), "-4 days");
	assert_null(ct_rows_get(&r, 3, C_ID));
	assert_null(ct_rows_get(&r, 0, NCOLS));
	ct_rows_clear(&r);
	assert_int_equal(r.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_widths_by_content),
		cmocka_unit_test(test_text_min_width),
		cmocka_unit_test(test_json_nulls_numbers_lists),
		cmocka_unit_test(test_csv_nulls_and_formulas),
		cmocka_unit_test(test_orders),
		cmocka_unit_test(test_sort_stable),
		cmocka_unit_test(test_keep_and_cells),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

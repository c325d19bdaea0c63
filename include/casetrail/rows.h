/*
 * casetrail row tables: the one report layer of the list tools.  A report
 * is described once, as its columns (ct_col: JSON key and CSV header,
 * text header, alignment, how a null cell reads) and the order each
 * format shows them in (ct_rowspec); its rows are string cells, NULL for
 * an absent value.  The renderers write every format from that: text as
 * a ct_table (columns as wide as their content), JSON as an array of
 * objects (ct_json_str, the one JSON escaper) and CSV (ct_csv_cell, a
 * header line, CRLF).
 *
 * Cells are copied; a failed allocation sets r->failed, later calls are
 * no-ops and the renderers set b->failed.
 */
#ifndef CASETRAIL_ROWS_H
#define CASETRAIL_ROWS_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/buf.h"

/* ct_col flags. */
#define CT_COL_RIGHT 0x1   /* text: right-aligned (numbers) */
#define CT_COL_NUM   0x2   /* JSON: a number (the cell one, "%d" say),
                              written as it is */
#define CT_COL_LIST  0x4   /* JSON: comma-separated, an array of strings */
#define CT_COL_OMIT  0x8   /* JSON: a null cell leaves its key out (else
                              the key is there, null) */

typedef struct ct_col {
	const char *key;    /* JSON key and CSV header */
	const char *head;   /* text header (NULL: the column is not in text) */
	const char *none;   /* text of a null cell; NULL reads "" */
	unsigned flags;     /* CT_COL_* */
	unsigned min;       /* text: at least this many characters wide */
} ct_col;

/* End of a column order. */
#define CT_COLS_END (-1)

/*
 * A report: its columns, and the order of each format as column indices
 * ending in CT_COLS_END (NULL: every column, in order).  CSV writes a
 * null cell as an empty cell.  Text with no rows is the line empty.
 */
typedef struct ct_rowspec {
	const ct_col *col;
	size_t ncols;
	const int *text, *json, *csv;
	const char *empty;
} ct_rowspec;

typedef struct ct_rows {
	const ct_rowspec *spec;
	char **cell;        /* n * spec->ncols, owned, NULL: null */
	size_t n, cap;
	bool failed;        /* out of memory */
} ct_rows;

/* An empty table of the report spec (static: it is not copied). */
void ct_rows_init(ct_rows *r, const ct_rowspec *spec);
void ct_rows_clear(ct_rows *r);

/* Append a row, every cell null; false when out of memory. */
bool ct_rows_add(ct_rows *r);

/* Set cell col of the last row to a copy of s (NULL: null). */
void ct_rows_set(ct_rows *r, size_t col, const char *s);
/* ... to the formatted text. */
void ct_rows_setf(ct_rows *r, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Cell col of row i; NULL when null. */
const char *ct_rows_get(const ct_rows *r, size_t i, size_t col);
/* The cell, "" when null. */
const char *ct_rows_str(const ct_rows *r, size_t i, size_t col);
/* The cell is s (a null cell is no string). */
bool ct_rows_is(const ct_rows *r, size_t i, size_t col, const char *s);

/* Keep the rows keep() is true of, in their order; free the others. */
void ct_rows_keep(ct_rows *r, bool (*keep)(const ct_rows *, size_t, void *),
    void *arg);

/* Sort keys: a column and how its cells compare.  A null cell sorts
 * before every string. */
#define CT_SORT_BYTES 0    /* strcmp: dates, timestamps, ids */
#define CT_SORT_SHORT 1    /* shorter first, then strcmp: n2 before n10 */
#define CT_SORT_NUM   2    /* as (long long) numbers */

typedef struct ct_sortkey {
	int col;            /* CT_COLS_END ends the keys */
	int how;            /* CT_SORT_* */
} ct_sortkey;

/* Sort the rows by the keys, the first first; stable: rows the keys do
 * not tell apart keep their order. */
void ct_rows_sort(ct_rows *r, const ct_sortkey *keys);

/* The renderers append to b.  Text: the header and the rows, at most 32
 * columns two spaces apart, data terminal-safe (or spec->empty without
 * rows).
 * JSON: an array of objects, two-space indented, one key a line; "[]"
 * without rows.  CSV: RFC 4180, CRLF, a header line, formula cells
 * neutralised; bom: begin with a UTF-8 byte order mark. */
void ct_rows_text(const ct_rows *r, ct_buf *b);
void ct_rows_json(const ct_rows *r, ct_buf *b);
void ct_rows_csv(const ct_rows *r, bool bom, ct_buf *b);

/* ct_rows_text, _json or _csv (no BOM) by format name: "text", "json",
 * "csv". */
void ct_rows_render(const ct_rows *r, const char *format, ct_buf *b);

#endif

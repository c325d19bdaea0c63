/*
 * casetrail printable documents: the pieces every HTML document of the
 * tools is made of (the MAP meeting pack of csp-pack, the plan of
 * cmp-print).  One style sheet, inline, with a print style for A4; no
 * scripts, images or external resources, and a Content-Security-Policy
 * that says so to the browser; every string from a record escaped.
 *
 * Printing.  Each part of a document (a summary, a case, a plan) is a
 * "page table": a table whose header row, the running head, the browser
 * repeats at the top of every printed page the part runs over (Chromium,
 * Firefox and WebKit repeat a table's thead); on screen the running head
 * is hidden.  The page number is printed in the page's bottom margin
 * (@page margin boxes, Chromium 131 and later).  Values that must never be
 * broken across lines (dates, ids, rule ids, statuses) are written in
 * elements of class "v" (white-space: nowrap).
 */
#ifndef CASETRAIL_HTML_H
#define CASETRAIL_HTML_H

#include "casetrail/buf.h"

/* Text for HTML element content and attribute values: & < > " ' escaped;
 * NULL writes nothing. */
void ct_html_text(ct_buf *b, const char *s);

/* ct_html_text(), but each word (a run of characters between spaces)
 * that holds a hyphen, such as a date, an id or a rule id, is kept on one
 * line: <span class="v">...</span>. */
void ct_html_words(ct_buf *b, const char *s);

/* A value kept on one line: <span class="v">s</span>. */
void ct_html_value(ct_buf *b, const char *s);

/* The document's beginning up to and including <body>: the policy that
 * forbids any external resource, the title (escaped) and the style. */
void ct_html_begin(ct_buf *b, const char *title);

/* The document's end: </body></html>. */
void ct_html_end(ct_buf *b);

/* Open a part, <section class="cls" id="id"> (id may be NULL) holding a
 * page table whose running head is head (escaped); close it with
 * ct_html_part_end(). */
void ct_html_part(ct_buf *b, const char *cls, const char *id,
    const char *head);
void ct_html_part_end(ct_buf *b);

/* Table cells: text (may wrap), a value kept on one line, a number
 * (right-aligned), a status (a value with the status's class, which
 * colours it). */
void ct_html_cell(ct_buf *b, const char *s);
void ct_html_cell_value(ct_buf *b, const char *s);
void ct_html_cell_num(ct_buf *b, long long v);
void ct_html_cell_status(ct_buf *b, const char *status);

/* A table's opening with a header row of the n names of cols, and its
 * <tbody>. */
void ct_html_table(ct_buf *b, const char *const *cols, size_t n);

/* A paragraph saying there is nothing to show. */
void ct_html_none(ct_buf *b, const char *what);

#endif

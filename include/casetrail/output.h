/*
 * casetrail output helpers: CSV cells (RFC 4180, with spreadsheet formula
 * injection neutralised) and iCalendar text (RFC 5545 escaping and line
 * folding).  They append to a growable buffer; the tools print it.
 */
#ifndef CASETRAIL_OUTPUT_H
#define CASETRAIL_OUTPUT_H

#include "casetrail/buf.h"

/*
 * One CSV cell: quoted when it holds a comma, quote, CR or LF; a cell that
 * begins with '=', '+', '-', '@', tab or CR gets a leading apostrophe so
 * that spreadsheets do not run it as a formula.  A plain number such as
 * "-42" is left as it is: it is data, not a formula.
 */
void ct_csv_cell(ct_buf *b, const char *s);

/* A JSON string literal (quoted; ", \ and control characters escaped;
 * UTF-8 passed through). */
void ct_json_str(ct_buf *b, const char *s);

/* One line of a report's JSON object: `    "key": value,` with the value
 * a string literal, or null when v is NULL; no comma when last. */
void ct_json_field(ct_buf *b, const char *key, const char *v, bool last);

/* An iCalendar TEXT value with \\, \;, \, and \n escaped. */
void ct_ics_text(ct_buf *b, const char *s);

/*
 * Append one content line "line" + CRLF, folded so that no physical line
 * exceeds 75 octets (continuations start with a space), never splitting a
 * UTF-8 sequence.
 */
void ct_ics_line(ct_buf *b, const char *line);

#endif

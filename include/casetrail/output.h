/*
 * casetrail output helpers: terminal-safe text, CSV cells (RFC 4180, with
 * spreadsheet formula injection neutralised), JSON strings and iCalendar
 * text (RFC 5545 escaping and line folding).  They append to a growable
 * buffer; the tools print it.
 *
 * Terminal safety.  Text output is read on terminals, and a record
 * field, a git author name, a commit message or a directory name can hold
 * bytes a terminal obeys: an ESC sequence that clears the screen, moves
 * the cursor or retitles the window, a CR that overwrites the line, a
 * bidirectional override that shows a line in another order than it is
 * stored.  Every field of data that a text output prints goes through
 * ct_text_safe() (or one of its kin below), which writes these as visible
 * escapes:
 *
 *   \xNN    a C0 control (U+0000-U+001F, ESC is \x1b, CR \x0d, LF \x0a,
 *           tab \x09), DEL (\x7f), or a byte that is not well-formed
 *           UTF-8 (\xff), two lower-case hex digits
 *   \uNNNN  a C1 control (U+0080-U+009F, CSI is \u009b), a bidirectional
 *           formatting character (U+061C, U+200E, U+200F, U+202A-U+202E,
 *           U+2066-U+2069) or a line or paragraph separator (U+2028,
 *           U+2029)
 *
 * Everything else, ASCII and well-formed UTF-8 (é, 中), is written as it
 * is.  A backslash is not doubled: the output stays readable, and text
 * output is for people, not for parsing back; "\x1b" in it may stand for
 * an ESC or for those four characters in the data.  Tools that must carry
 * the exact value offer JSON, which escapes as JSON does (ct_json_str).
 */
#ifndef CASETRAIL_OUTPUT_H
#define CASETRAIL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/buf.h"
#include "casetrail/util.h"

/* Flags of ct_text_safe_mem(): characters to keep as they are. */
#define CT_TEXT_KEEP_LF  0x1   /* newlines of text that has lines */
#define CT_TEXT_KEEP_TAB 0x2   /* horizontal tabs */

/*
 * Append s[0..len) to b with the characters above escaped, but for those
 * keep names.  NUL bytes inside are escaped too (\x00).  The one escaping
 * function: the others below call it.
 */
void ct_text_safe_mem(ct_buf *b, const char *s, size_t len, unsigned keep);

/* A one-line field: everything above escaped, a newline too.  NULL
 * writes nothing. */
void ct_text_safe(ct_buf *b, const char *s);

/* Text printed with its lines on purpose (a record file, a diff, a
 * multi-line message): as ct_text_safe() but newlines are kept.  CR and
 * other controls inside the lines are escaped. */
void ct_text_safe_lines(ct_buf *b, const char *s);

/* Each line of text after indent, terminal-safe, ending in a newline
 * (a last line without one gets one; "" and NULL write nothing). */
void ct_text_safe_indent(ct_buf *b, const char *indent, const char *text);

/* ct_text_safe(), then spaces up to width columns: a left-aligned column
 * whose width counts the escaped text, so tables stay aligned. */
void ct_text_col(ct_buf *b, const char *s, int width);

/* ct_text_safe() of s (NULL reads as "") as a new string the caller
 * frees; NULL when out of memory. */
char *ct_text_safe_dup(const char *s);

/*
 * One CSV cell: quoted when it holds a comma, quote, CR or LF; a cell that
 * begins with '=', '+', '-', '@', tab or CR gets a leading apostrophe so
 * that spreadsheets do not run it as a formula.  A plain number such as
 * "-42" is left as it is: it is data, not a formula.  Control characters
 * but the newline (which a quoted cell may hold), bidirectional formatting
 * characters and ill-formed UTF-8 are written as ct_text_safe() writes
 * them.
 */
void ct_csv_cell(ct_buf *b, const char *s);

/* A JSON string literal: ct_json_str (util.h), the one JSON escaper. */

/* One line of a report's JSON object: `    "key": value,` with the value
 * a string literal, or null when v is NULL; no comma when last. */
void ct_json_field(ct_buf *b, const char *key, const char *v, bool last);

/* An iCalendar TEXT value with \\, \;, \, and \n escaped.  TEXT holds no
 * control character but tab (RFC 5545 3.3.11): a CR is dropped, the others
 * and the bidirectional formatting characters are first written as
 * ct_text_safe() writes them (so ESC reads "\x1b" in a calendar). */
void ct_ics_text(ct_buf *b, const char *s);

/*
 * Append one content line "line" + CRLF, folded so that no physical line
 * exceeds 75 octets (continuations start with a space), never splitting a
 * UTF-8 sequence.
 */
void ct_ics_line(ct_buf *b, const char *line);

/*
 * A text table whose column widths come from its content: each column is
 * as wide as its widest cell (header included), counted in characters
 * (UTF-8 code points) of the terminal-safe text, so a long rule id or a
 * 40-character case id widens its own column and the table stays aligned.
 * Columns are two spaces apart; the last is not padded.  Rows are held
 * until printed; the first row added is usually the header.
 */
typedef struct ct_table {
	size_t ncols, nrows, cap;
	char **cell;           /* nrows * ncols, terminal-safe, owned */
	const char **sgr;      /* nrows * ncols: an SGR sequence, or NULL */
	size_t *width;         /* per column */
	unsigned right;        /* bit k set: column k is right-aligned */
	bool failed;           /* out of memory: every later call a no-op */
} ct_table;

/* An empty table of ncols columns (at most 32); right as above.  Fails
 * (false, t->failed) only when out of memory. */
bool ct_table_init(ct_table *t, size_t ncols, unsigned right);

/* Append a row of ncols cells (NULL reads as ""), each made terminal-safe
 * (ct_text_safe) and copied. */
void ct_table_add(ct_table *t, const char *const *cells);

/* Show the last row's cell col in the SGR sequence sgr (a static string
 * such as "\033[31m"), reset after it; its width is not counted. */
void ct_table_style(ct_table *t, size_t col, const char *sgr);

/* Append row to b, padded to the columns' widths, and a newline. */
void ct_table_line(const ct_table *t, size_t row, ct_buf *b);

/* Append every row (ct_table_line), then free the table; b->failed when
 * the table ran out of memory. */
void ct_table_flush(ct_table *t, ct_buf *b);

void ct_table_free(ct_table *t);

#endif

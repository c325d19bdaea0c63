/*
 * casetrail CSV input (RFC 4180): the rows of a spreadsheet export, each
 * a list of cells, with the line each row begins on for messages.
 *
 * Quoted cells may hold commas, doubled quotes and line breaks; lines end
 * in LF or CR LF; a UTF-8 byte order mark at the start is skipped.  The
 * text must be UTF-8 without NUL or other control characters but tab (in
 * a quoted cell, CR and LF too).
 */
#ifndef CASETRAIL_CSVREAD_H
#define CASETRAIL_CSVREAD_H

#include <stddef.h>

#include "casetrail/error.h"

typedef struct ct_csv_row {
	char **cells;
	size_t n;
	unsigned line;         /* 1-based line of the row's start */
} ct_csv_row;

typedef struct ct_csv {
	ct_csv_row *rows;
	size_t n;
} ct_csv;

/* Parse buf[0..len) (name for messages): CT_EINVALID "name:line: why". */
int ct_csv_parse(const char *buf, size_t len, const char *name, ct_csv *out,
    ct_error *err);
void ct_csv_clear(ct_csv *c);

#endif

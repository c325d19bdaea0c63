/*
 * casetrail bulk intake (case-import(1)): cases and dated events from a
 * CSV file, one row each.
 *
 * The header names the columns (any order; only id is required):
 *
 *   id        the case id
 *   cohort    for a case the store does not have: create it (case-new);
 *             for one it has, it must be the case's cohort
 *   manager   with cohort: the case manager of a new case; with event
 *             cm-assigned: the manager assigned
 *   event     an event type (case-event), with date and the event's own
 *             fields: stage, order, rating, service, notified_by, to,
 *             cleared (true or false) and note
 *   date      the event's day
 *
 * Every row is checked first, in order, against the case as the store
 * and the earlier rows leave it: a bad row is named by its line with the
 * reason.  Then each case changed is one commit of its rows; a row that
 * changes nothing (an event already recorded) makes none.
 */
#ifndef CASETRAIL_IMPORT_H
#define CASETRAIL_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/calendar.h"
#include "casetrail/case.h"
#include "casetrail/csvread.h"
#include "casetrail/store.h"

typedef struct ct_import_row {
	unsigned line;
	const char *id, *cohort, *manager;
	bool has_event;
	ct_event ev;
	bool bad;              /* refused by the check */
	bool changes;          /* creates the case or adds an event */
} ct_import_row;

typedef struct ct_import {
	ct_csv csv;            /* owns the strings */
	ct_import_row *rows;
	size_t n;
	char **ids;            /* the cases, in order of first row */
	size_t nids;
	char **bad;            /* "file:line: why", one a bad row */
	size_t nbad;
	ct_jurisdiction jur;
	ct_date today;
} ct_import;

/* Read buf (name for messages) and check every row against snap.  0 when
 * the file could be read (bad rows are listed in im->bad); CT_EINVALID
 * for a file that is not CSV or has no id column. */
int ct_import_read(ct_import *im, const char *buf, size_t len,
    const char *name, ct_snapshot *snap, ct_error *err);
void ct_import_clear(ct_import *im);

/* The transform for one case (arg: a ct_import_case): its good rows
 * applied to the case as the transaction has it. */
typedef struct ct_import_case {
	const ct_import *im;
	const char *id;
	size_t applied;        /* rows that changed it */
} ct_import_case;
int ct_import_apply(ct_txn *txn, void *arg, ct_error *err);

#endif

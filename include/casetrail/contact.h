/*
 * casetrail contacts (ACT Corrections Management (Case Management) Policy
 * 2022, cl 1.12-1.13; Community case management): the record that a case
 * manager's regular contact with an offender happened, its kind, who took
 * part and a short factual line saying what it was for, kept in
 * cases/<xx>/<id>/contacts.yaml in date order.  Rule ACT-CONTACT
 * (rules/deadlines.yaml) counts the days since the last one.
 *
 * It is deliberately not a case note store: one line of at most
 * CT_CONTACT_SUMMARY_MAX characters, others who took part by role only.
 *
 * Functions return 0 or a negative CT_E* code with err set.
 */
#ifndef CASETRAIL_CONTACT_H
#define CASETRAIL_CONTACT_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/date.h"
#include "casetrail/error.h"
#include "casetrail/store.h"

#define CT_CONTACTS_REL "contacts.yaml"
#define CT_CONTACTS_SCHEMA "contacts"
#define CT_CONTACT_SUMMARY_MAX 280  /* characters */
#define CT_CONTACT_OTHER_MAX 80     /* characters of one role */
#define CT_CONTACT_PEOPLE_MAX 10    /* staff, and others */

/* in-person, phone, video, other; NULL-terminated. */
extern const char *const ct_contact_kinds[];

/* One contact to add, run by ct_contact_add() as a transaction. */
typedef struct ct_contact_op {
	const char *case_id;
	ct_date date;           /* the day of the contact */
	const char *kind;       /* one of ct_contact_kinds */
	const char *summary;
	char **staff;           /* operator ids; NULL: the writer */
	char **others;          /* roles of others who took part, or NULL */
	ct_date today;          /* a contact is not recorded ahead */

	/* out */
	bool added;             /* false: the same contact was there */
	size_t count;           /* contacts on file after the change */
} ct_contact_op;

/*
 * The checks that need no store: kind, date not after today, summary one
 * line of 1..CT_CONTACT_SUMMARY_MAX characters, at most
 * CT_CONTACT_PEOPLE_MAX staff and others, each other a line of at most
 * CT_CONTACT_OTHER_MAX characters.  Messages name the option.
 */
int ct_contact_check(const ct_contact_op *op, ct_error *err);

/*
 * The transaction (arg is a ct_contact_op): the case exists and is an ACT
 * case; the writer is registered with the case-manager or
 * community-corrections-officer role; every staff member is a registered
 * operator; the contact is inserted in date order (after the contacts of
 * its day), or nothing changes when the same contact is already there.
 */
int ct_contact_add(ct_txn *txn, void *arg, ct_error *err);

#endif
